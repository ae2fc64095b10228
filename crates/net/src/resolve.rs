//! Name resolution in `connect`: Node's `lookupAndConnect` (`lib/net.js`) for a host that is
//! not an IP literal. The name goes through `dns.lookup` (nodestd-dns, getaddrinfo on the
//! worker pool) or the socket's `lookup` option; the `lookup` event follows with
//! `(err, address, family, host)`; a failure destroys the socket on the next tick
//! (`connectErrorNT`) with the lookup's error (`getaddrinfo ENOTFOUND nope.invalid`, code,
//! errno -3008, syscall, hostname), a success connects at once (`internalConnect`).
//!
//! `autoSelectFamily` (Node 20's default, happy eyeballs over every address) is not done: the
//! first address is used, as Node does with `autoSelectFamily: false`.

use std::fmt;
use std::net::IpAddr;
use std::rc::Rc;

use nodestd_events::{ListenerId, Named};
use nodestd_loop as nd;
use nodestd_stream::Error;

use crate::Socket;

/// What a custom `lookup` function answers: `Ok((address, family))` or the error to destroy
/// the socket with.
pub type LookupResult = Result<(String, u8), Error>;

/// A custom `lookup` option (`net.connect({ lookup })`): called as
/// `lookup(hostname, options, callback)`, with Node's `{ family, hints }` in `options`; it must
/// call the callback once, at any time.
#[derive(Clone)]
pub struct LookupFn(
    #[allow(clippy::type_complexity)]
    pub  Rc<dyn Fn(&str, nodestd_dns::LookupOptions, Box<dyn FnOnce(LookupResult)>)>,
);

impl LookupFn {
    /// Wraps a function.
    pub fn new(
        f: impl Fn(&str, nodestd_dns::LookupOptions, Box<dyn FnOnce(LookupResult)>) + 'static,
    ) -> LookupFn {
        LookupFn(Rc::new(f))
    }
}

impl fmt::Debug for LookupFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LookupFn")
    }
}

/// The arguments of the `lookup` event: `(err, address, family, host)`.
#[derive(Debug, Clone)]
pub struct LookupEvent {
    /// The lookup's error, if it failed.
    pub error: Option<Error>,
    /// The address found.
    pub address: Option<String>,
    /// 4 or 6 (absent on failure).
    pub family: Option<u8>,
    /// The host name asked for.
    pub host: String,
}

/// `socketToDnsFamily`: `IPv4`/4 → 4, `IPv6`/6 → 6, anything else 0.
fn dns_options(family: u8, hints: u32) -> nodestd_dns::LookupOptions {
    let family = if family == 4 || family == 6 {
        family
    } else {
        0
    };
    // Node (not on Windows): with no family and no hints, `dns.ADDRCONFIG`.
    let hints = if family == 0 && hints == 0 {
        nodestd_dns::ADDRCONFIG
    } else {
        hints
    };
    nodestd_dns::LookupOptions {
        family: f64::from(family),
        hints,
        ..nodestd_dns::LookupOptions::default()
    }
}

impl Socket {
    /// Adds a `lookup` listener (emitted after a host name was resolved, or failed to be).
    pub fn on_lookup(&self, f: impl Fn(&LookupEvent) + 'static) -> ListenerId {
        self.emitter().on(Named::<LookupEvent>::new("lookup"), f)
    }

    /// `lookupAndConnect` for a name: the lookup starts now; its answer comes in the poll
    /// phase (the pool's completion) for `dns.lookup`.
    pub(crate) fn lookup_and_connect(&self, host: String, port: u16) {
        let (family, hints, custom) = self.lookup_settings();
        let opts = dns_options(family, hints);
        let s = self.clone();
        let h = host.clone();
        let done = move |r: LookupResult| s.after_lookup(r, &h, port);
        match custom {
            Some(LookupFn(f)) => f(&host, opts, Box::new(done)),
            None => {
                let cb = move |r: Result<nodestd_dns::Lookup, nodestd_dns::Error>| {
                    done(match r {
                        Ok(nodestd_dns::Lookup::One { address, family }) => {
                            Ok((address.unwrap_or_default(), family))
                        }
                        Ok(nodestd_dns::Lookup::All(list)) => Ok(list
                            .into_iter()
                            .next()
                            .map(|a| (a.address, a.family))
                            .unwrap_or_default()),
                        Err(e) => Err(dns_error(e)),
                    })
                };
                if let Err(e) = nodestd_dns::callback::lookup(&host, opts, cb) {
                    // Node throws at the call; here the socket is destroyed with it.
                    let s = self.clone();
                    nd::next_tick(move || s.destroy(Some(dns_error(e))));
                }
            }
        }
    }

    /// `emitLookup`.
    fn after_lookup(&self, r: LookupResult, host: &str, port: u16) {
        let ev = match &r {
            Ok((address, family)) => LookupEvent {
                error: None,
                address: Some(address.clone()),
                family: Some(*family),
                host: host.to_owned(),
            },
            Err(e) => LookupEvent {
                error: Some(e.clone()),
                address: None,
                family: None,
                host: host.to_owned(),
            },
        };
        let _ = self.emitter().emit(Named::<LookupEvent>::new("lookup"), ev);
        if !self.connecting() {
            return;
        }
        let err = match r {
            Err(e) => e,
            Ok((address, family)) => match address.parse::<IpAddr>() {
                Ok(ip) if family == 4 || family == 6 => {
                    self.refresh_timeout();
                    return self.internal_connect(std::net::SocketAddr::new(ip, port));
                }
                Ok(_) => crate::NetError::code_only(
                    "ERR_INVALID_ADDRESS_FAMILY",
                    &format!("Invalid address family: {family} {host}:{port}"),
                )
                .into_stream_error(),
                Err(_) => crate::NetError::code_only(
                    "ERR_INVALID_IP_ADDRESS",
                    &format!("Invalid IP address: {address}"),
                )
                .into_stream_error(),
            },
        };
        let s = self.clone();
        nd::next_tick(move || s.destroy(Some(err)));
    }
}

/// The dns error as the socket's error (`downcast_ref::<nodestd_dns::Error>()` gives it back).
fn dns_error(e: nodestd_dns::Error) -> Error {
    let code = e.code().to_owned();
    Error::from_error_with_code(code, e)
}
