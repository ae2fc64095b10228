//! `dns.lookup` and `dns.lookupService`: Node's argument checks at the call, then
//! getaddrinfo / getnameinfo on the worker pool's slow lane ([`nodestd_loop::work::Lane::Slow`],
//! libuv's `UV__WORK_SLOW_IO`), as one table of rows for the callback and promise forms.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::Error;
use crate::error::shown_str;

/// `order` / `verbatim`: how lookup orders the addresses getaddrinfo gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// As getaddrinfo gives them (Node 20's default).
    Verbatim,
    /// IPv4 addresses first, then IPv6, each in getaddrinfo's order.
    Ipv4First,
    /// IPv6 addresses first, then IPv4 (Node 20.20's `ipv6first`).
    Ipv6First,
}

static DEFAULT_ORDER: AtomicU8 = AtomicU8::new(0);

/// `dns.setDefaultResultOrder(order)`: `"verbatim"`, `"ipv4first"` or `"ipv6first"`.
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE` for another string.
#[doc(alias = "setDefaultResultOrder")]
pub fn set_default_result_order(order: &str) -> Result<(), Error> {
    let v = match order {
        "verbatim" => 0,
        "ipv4first" => 1,
        "ipv6first" => 2,
        _ => {
            return Err(Error::arg(
                "ERR_INVALID_ARG_VALUE",
                format!(
                    "The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first', 'ipv6first'. Received {}",
                    shown_str(order)
                ),
            ));
        }
    };
    DEFAULT_ORDER.store(v, Ordering::Relaxed);
    Ok(())
}

/// `dns.getDefaultResultOrder()`.
#[doc(alias = "getDefaultResultOrder")]
pub fn get_default_result_order() -> &'static str {
    match DEFAULT_ORDER.load(Ordering::Relaxed) {
        0 => "verbatim",
        1 => "ipv4first",
        _ => "ipv6first",
    }
}

/// `AI_ADDRCONFIG`, one of the hints Node accepts.
pub const ADDRCONFIG: u32 = libc::AI_ADDRCONFIG as u32;
/// `AI_V4MAPPED`.
pub const V4MAPPED: u32 = libc::AI_V4MAPPED as u32;
/// `AI_ALL`.
pub const ALL: u32 = libc::AI_ALL as u32;

/// `dns.lookup`'s options. `family` is a Node number (0, 4 or 6; anything else, NaN
/// included, is `ERR_INVALID_ARG_VALUE`).
#[derive(Debug, Clone, Copy, Default)]
pub struct LookupOptions {
    /// `family`: 0 (both), 4 or 6.
    pub family: f64,
    /// `hints`: an OR of [`ADDRCONFIG`], [`V4MAPPED`], [`ALL`].
    pub hints: u32,
    /// `all`: every address instead of the first.
    pub all: bool,
    /// `order` (or `verbatim`); `None` is [`get_default_result_order`].
    pub order: Option<Order>,
}

/// One address: `{ address, family }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupAddress {
    /// `address`.
    pub address: String,
    /// `family`: 4 or 6.
    pub family: u8,
}

/// What `lookup` gives: the first address (`address` is `None` for Node's empty hostname)
/// or, with `all`, every one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// `(address, family)`.
    One {
        /// The address, or `None` (`null`) for an empty hostname.
        address: Option<String>,
        /// 4 or 6.
        family: u8,
    },
    /// `all: true`.
    All(Vec<LookupAddress>),
}

/// `dns.lookupService`'s result: `{ hostname, service }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `hostname`.
    pub hostname: String,
    /// `service`.
    pub service: String,
}

/// Node's checks; `Ok(Err(result))` when Node answers without asking the system (empty
/// hostname, IP literal), `Ok(Ok((family, hints, order)))` when getaddrinfo must run.
#[allow(clippy::type_complexity)]
pub(crate) fn check_lookup(
    hostname: &str,
    o: &LookupOptions,
) -> Result<Result<(u8, u32, Order), Lookup>, Error> {
    if o.hints & !(ADDRCONFIG | V4MAPPED | ALL) != 0 {
        return Err(Error::invalid_arg("hints", &o.hints.to_string()));
    }
    let family = match o.family {
        0.0 => 0,
        4.0 => 4,
        6.0 => 6,
        f => {
            return Err(Error::arg(
                "ERR_INVALID_ARG_VALUE",
                format!("The property 'options.family' must be one of: 0, 4, 6. Received {f}"),
            ));
        }
    };
    if hostname.is_empty() {
        return Ok(Err(if o.all {
            Lookup::All(Vec::new())
        } else {
            Lookup::One {
                address: None,
                family: if family == 6 { 6 } else { 4 },
            }
        }));
    }
    if let Ok(ip) = hostname.parse::<IpAddr>() {
        let fam = if ip.is_ipv4() { 4 } else { 6 };
        let address = hostname.to_string();
        return Ok(Err(if o.all {
            Lookup::All(vec![LookupAddress {
                address,
                family: fam,
            }])
        } else {
            Lookup::One {
                address: Some(address),
                family: fam,
            }
        }));
    }
    let order = o.order.unwrap_or(match get_default_result_order() {
        "verbatim" => Order::Verbatim,
        "ipv4first" => Order::Ipv4First,
        _ => Order::Ipv6First,
    });
    Ok(Ok((family, o.hints, order)))
}

/// The row's job: Node's checks at the call, then the closure for the pool.
pub(crate) fn lookup_job(
    hostname: &str,
    options: LookupOptions,
) -> Result<impl FnOnce() -> Result<Lookup, Error> + Send + 'static, Error> {
    let checked = check_lookup(hostname, &options)?;
    let host = hostname.to_string();
    Ok(move || {
        let (family, hints, order) = match checked {
            Ok(x) => x,
            Err(answer) => return Ok(answer),
        };
        let af = match family {
            4 => libc::AF_INET,
            6 => libc::AF_INET6,
            _ => libc::AF_UNSPEC,
        };
        let c = crate::sys::c_string(&crate::wire::to_ascii(&host));
        let mut addrs = crate::sys::getaddrinfo(&c, af, hints as i32)
            .map_err(|e| Error::uv(e.0, "getaddrinfo", &host))?;
        match order {
            Order::Verbatim => {}
            Order::Ipv4First => addrs.sort_by_key(|a| a.is_ipv6()),
            Order::Ipv6First => addrs.sort_by_key(|a| a.is_ipv4()),
        }
        let mut list = addrs.into_iter().map(|a| LookupAddress {
            address: a.to_string(),
            family: if a.is_ipv4() { 4 } else { 6 },
        });
        Ok(if options.all {
            Lookup::All(list.collect())
        } else {
            match list.next() {
                Some(a) => Lookup::One {
                    address: Some(a.address),
                    family: a.family,
                },
                None => return Err(Error::uv(-3008, "getaddrinfo", &host)),
            }
        })
    })
}

/// `lookupService`'s checks and job. `port` is a Node number.
pub(crate) fn lookup_service_job(
    address: &str,
    port: f64,
) -> Result<impl FnOnce() -> Result<Service, Error> + Send + 'static, Error> {
    let ip: IpAddr = address
        .parse()
        .map_err(|_| Error::invalid_arg("address", &shown_str(address)))?;
    if !(port.fract() == 0.0 && (0.0..=65535.0).contains(&port)) {
        return Err(Error::arg(
            "ERR_SOCKET_BAD_PORT",
            format!("Port should be >= 0 and < 65536. Received type number ({port})."),
        ));
    }
    let sa = SocketAddr::new(ip, port as u16);
    Ok(move || {
        crate::sys::getnameinfo(sa)
            .map(|(hostname, service)| Service { hostname, service })
            .map_err(|e| Error::uv(e.0, "getnameinfo", ""))
    })
}
