//! Node's `dns.Resolver` (c-ares underneath in Node): the client that sends a query to the
//! configured servers with c-ares' timeout and tries, falls back to TCP on a truncated
//! answer, and turns the reply into Node's result shapes and codes.
//!
//! Each query is sent and awaited by the process's DNS runtime thread (`runtime.rs`, off the
//! loop thread; a thread of its own if that one cannot start); its result comes back through
//! an [`AsyncHandle`] (libuv's `uv_async_t`), so it is delivered on the loop thread in the
//! poll phase, as c-ares' socket events are in Node.

use std::cell::RefCell;
use std::future::Future;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, UdpSocket};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use nodestd_loop::AsyncHandle;

use crate::Error;
use crate::decode::{Kind, Records, interpret};
use crate::wire::{self, Response};

/// c-ares' default per-try timeout (ms) when `timeout` is -1.
const DEFAULT_TIMEOUT_MS: u64 = 2000;
/// c-ares' default number of tries.
const DEFAULT_TRIES: u32 = 4;

/// `new dns.Resolver({ timeout, tries })`'s options, as Node numbers.
#[derive(Debug, Clone, Copy)]
pub struct ResolverOptions {
    /// Per-try timeout in ms; -1 (the default) is c-ares' default.
    pub timeout: f64,
    /// How many times each server is tried (default 4).
    pub tries: f64,
}

impl Default for ResolverOptions {
    fn default() -> Self {
        ResolverOptions {
            timeout: -1.0,
            tries: DEFAULT_TRIES as f64,
        }
    }
}

type Outcome = Result<Records, Error>;

struct Pending {
    cancelled: Arc<AtomicBool>,
    syscall: &'static str,
    hostname: String,
    deliver: Box<dyn FnOnce(Outcome)>,
}

struct State {
    servers: Vec<SocketAddr>,
    timeout_ms: u64,
    tries: u32,
    next: u64,
    pending: Vec<(u64, Pending)>,
}

/// Node's `dns.Resolver` / `dns.promises.Resolver`: its own servers, timeout and tries.
/// Methods return a [`Query`] future; Node's synchronous throws are `Err` at the call.
#[derive(Clone)]
pub struct Resolver {
    state: Rc<RefCell<State>>,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Resolver")
            .field("servers", &self.state.borrow().servers)
            .finish_non_exhaustive()
    }
}

fn validate_int32(v: f64, name: &str, min: i64) -> Result<i64, Error> {
    if v.fract() != 0.0 || !v.is_finite() {
        return Err(Error::arg(
            "ERR_OUT_OF_RANGE",
            format!("The value of \"{name}\" is out of range. It must be an integer. Received {v}"),
        ));
    }
    if v < min as f64 || v > i32::MAX as f64 {
        return Err(Error::arg(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be >= {min} && <= 2147483647. Received {v}"
            ),
        ));
    }
    Ok(v as i64)
}

/// The system's servers, as c-ares reads them from `/etc/resolv.conf` (127.0.0.1:53 when
/// there are none).
fn system_servers() -> Vec<SocketAddr> {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut out: Vec<SocketAddr> = text
        .lines()
        .filter_map(|l| {
            let mut it = l.split_whitespace();
            (it.next() == Some("nameserver")).then_some(())?;
            let ip: IpAddr = it.next()?.split('%').next()?.parse().ok()?;
            Some(SocketAddr::new(ip, 53))
        })
        .collect();
    if out.is_empty() {
        out.push(SocketAddr::from(([127, 0, 0, 1], 53)));
    }
    out
}

/// The names `/etc/hosts` gives `ip`, as Node's `reverse` reports a hosts-file hit: c-ares
/// makes the first name the hostent's `h_name` and the others its aliases, and Node returns
/// the aliases. `None` when the file has no line for `ip`.
fn hosts_names(ip: &str) -> Option<Vec<String>> {
    let want: IpAddr = ip.parse().ok()?;
    let text = std::fs::read_to_string("/etc/hosts").ok()?;
    let mut names: Vec<String> = Vec::new();
    let mut found = false;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut it = line.split_whitespace();
        let Some(addr) = it.next().and_then(|a| a.parse::<IpAddr>().ok()) else {
            continue;
        };
        if addr != want {
            continue;
        }
        found = true;
        for n in it {
            if !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
                names.push(n.to_string());
            }
        }
    }
    found.then(|| names.into_iter().skip(1).collect())
}

/// Parses one `setServers` entry as Node does (`1.2.3.4`, `1.2.3.4:53`, `::1`, `[::1]`,
/// `[::1]:53`).
fn parse_server(s: &str) -> Option<SocketAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(SocketAddr::new(ip, 53));
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (ip, tail) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = ip.parse().ok()?;
        let port = match tail {
            "" => 53,
            t => t.strip_prefix(':')?.parse().ok()?,
        };
        return Some(SocketAddr::new(IpAddr::V6(ip), port));
    }
    let (ip, port) = s.rsplit_once(':')?;
    let ip: std::net::Ipv4Addr = ip.parse().ok()?;
    Some(SocketAddr::new(IpAddr::V4(ip), port.parse().ok()?))
}

impl Resolver {
    /// `new dns.Resolver(options)`, with the system's servers.
    ///
    /// # Errors
    /// `ERR_OUT_OF_RANGE` for a timeout that is not an integer >= -1 or tries not >= 1.
    pub fn new(options: ResolverOptions) -> Result<Resolver, Error> {
        let timeout = validate_int32(options.timeout, "options.timeout", -1)?;
        let tries = validate_int32(options.tries, "options.tries", 1)?;
        Ok(Resolver {
            state: Rc::new(RefCell::new(State {
                servers: system_servers(),
                timeout_ms: if timeout < 0 {
                    DEFAULT_TIMEOUT_MS
                } else {
                    timeout as u64
                },
                tries: tries as u32,
                next: 0,
                pending: Vec::new(),
            })),
        })
    }

    /// `resolver.setServers(servers)` (a server given twice is kept once, as c-ares does).
    ///
    /// # Errors
    /// `ERR_INVALID_IP_ADDRESS` for an entry that is not an IP address with an optional port;
    /// the servers are then unchanged.
    pub fn set_servers<S: AsRef<str>>(&self, servers: &[S]) -> Result<(), Error> {
        let mut out = Vec::with_capacity(servers.len());
        for s in servers {
            let s = s.as_ref();
            out.push(parse_server(s).ok_or_else(|| {
                Error::arg("ERR_INVALID_IP_ADDRESS", format!("Invalid IP address: {s}"))
            })?);
        }
        self.state.borrow_mut().servers = out;
        Ok(())
    }

    /// `resolver.getServers()`: `ip` for port 53, else `ip:port` / `[ip6]:port`.
    pub fn get_servers(&self) -> Vec<String> {
        self.state
            .borrow()
            .servers
            .iter()
            .map(|s| match (s.ip(), s.port()) {
                (ip, 53) => ip.to_string(),
                (IpAddr::V4(ip), p) => format!("{ip}:{p}"),
                (IpAddr::V6(ip), p) => format!("[{ip}]:{p}"),
            })
            .collect()
    }

    /// `resolver.cancel()`: every outstanding query ends with `ECANCELLED`, at once.
    pub fn cancel(&self) {
        let pending = std::mem::take(&mut self.state.borrow_mut().pending);
        for (_, p) in pending {
            p.cancelled.store(true, Ordering::Release);
            (p.deliver)(Err(Error::cares("ECANCELLED", p.syscall, &p.hostname)));
        }
    }

    /// `resolver.resolve(hostname, rrtype)` (`rrtype` is one of Node's: `A`, `AAAA`, `ANY`,
    /// `CAA`, `CNAME`, `MX`, `NAPTR`, `NS`, `PTR`, `SOA`, `SRV`, `TXT`).
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for another rrtype (Node throws at the call).
    pub fn resolve(&self, hostname: &str, rrtype: &str) -> Result<Query, Error> {
        let kind = Kind::from_rrtype(rrtype)
            .ok_or_else(|| Error::invalid_arg("rrtype", &crate::error::shown_str(rrtype)))?;
        Ok(self.start(hostname, kind, false))
    }

    /// `resolver.reverse(ip)`: the PTR names of an address.
    pub fn reverse(&self, ip: &str) -> Query {
        let name = match ip.parse::<IpAddr>() {
            Ok(IpAddr::V4(v4)) => {
                let o = v4.octets();
                format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
            }
            Ok(IpAddr::V6(v6)) => {
                let mut s = String::new();
                for b in v6.octets().iter().rev() {
                    s.push_str(&format!("{:x}.{:x}.", b & 0xf, b >> 4));
                }
                s + "ip6.arpa"
            }
            Err(_) => {
                return Query::settled(Err(Error::uv(-libc::EINVAL, "getHostByAddr", ip)));
            }
        };
        // c-ares looks in the hosts file first ("files" before "bind").
        if let Some(names) = hosts_names(ip) {
            return Query::settled(Ok(Records::Names(names)));
        }
        self.start_named(ip, &name, Kind::Reverse, false)
    }

    fn start(&self, hostname: &str, kind: Kind, ttl: bool) -> Query {
        self.start_named(hostname, hostname, kind, ttl)
    }

    fn start_named(&self, shown: &str, qname: &str, kind: Kind, ttl: bool) -> Query {
        let (resolver, promise) = nodestd_loop::promise::<Outcome>();
        let syscall = kind.syscall();
        let shown_owned = shown.to_string();
        let ascii = wire::to_ascii(qname.split('\0').next().unwrap_or(""));
        let encoded = match wire::encode_name(&ascii) {
            Ok(n) => n,
            Err(_) => return Query::settled(Err(Error::cares("EBADNAME", syscall, shown))),
        };
        let mut st = self.state.borrow_mut();
        st.next += 1;
        let id = st.next;
        let cancelled = Arc::new(AtomicBool::new(false));
        let slot: Arc<std::sync::Mutex<Option<Result<Response, &'static str>>>> = Arc::default();
        // A strong reference: an outstanding query keeps its resolver alive, as in Node.
        let state = Rc::clone(&self.state);
        let slot_loop = Arc::clone(&slot);
        let handle: Rc<RefCell<Option<AsyncHandle>>> = Rc::default();
        let handle_cb = Rc::clone(&handle);
        let async_handle = AsyncHandle::new(move || {
            if let Some(h) = handle_cb.borrow_mut().take() {
                h.close(|| {});
            }
            let Some(raw) = slot_loop.lock().ok().and_then(|mut s| s.take()) else {
                return;
            };
            let entry = take_pending(&state, id);
            if let Some(p) = entry {
                // c-ares' gethostbyaddr ends every failed lookup with ENOTFOUND.
                let code = |c: &'static str| {
                    if kind == Kind::Reverse && c != "ECANCELLED" {
                        "ENOTFOUND"
                    } else {
                        c
                    }
                };
                let outcome = raw
                    .map_err(|c| Error::cares(code(c), syscall, &shown_owned))
                    .and_then(|resp| {
                        interpret(&resp, kind, ttl)
                            .map_err(|c| Error::cares(code(c), syscall, &shown_owned))
                    });
                (p.deliver)(outcome);
            }
        });
        let sender = async_handle.sender();
        *handle.borrow_mut() = Some(async_handle.clone());
        let deliver_handle = async_handle;
        st.pending.push((
            id,
            Pending {
                cancelled: Arc::clone(&cancelled),
                syscall,
                hostname: shown.to_string(),
                deliver: Box::new(move |o| {
                    if !deliver_handle.is_closing() {
                        deliver_handle.close(|| {});
                    }
                    resolver.resolve(o)
                }),
            },
        ));
        let servers = st.servers.clone();
        let (timeout_ms, tries) = (st.timeout_ms, st.tries);
        drop(st);
        let qtype = kind.qtype();
        let job = crate::runtime::Job {
            servers,
            timeout_ms,
            tries,
            name: encoded,
            qtype,
            cancelled: Arc::clone(&cancelled),
            done: Box::new(move |r| {
                if let Ok(mut s) = slot.lock() {
                    *s = Some(r);
                }
                sender.send();
            }),
        };
        if let Err(job) = crate::runtime::submit(job) {
            // No runtime thread: the query runs on a thread of its own.
            let spawned = std::thread::Builder::new()
                .name("nodestd-dns".into())
                .spawn(move || {
                    let r = exchange(
                        &job.servers,
                        timeout_ms,
                        tries,
                        &job.name,
                        qtype,
                        &cancelled,
                    );
                    if !cancelled.load(Ordering::Acquire) {
                        (job.done)(r);
                    }
                });
            if spawned.is_err() {
                // No thread at all: c-ares' ENOMEM (the query cannot be sent).
                if let Some(p) = take_pending(&self.state, id) {
                    (p.deliver)(Err(Error::cares("ENOMEM", syscall, shown)));
                }
            }
        }
        Query {
            inner: QueryInner::Waiting(promise),
        }
    }
}

/// Removes query `id` from the outstanding ones, if it is still there (not cancelled).
fn take_pending(state: &RefCell<State>, id: u64) -> Option<Pending> {
    let mut st = state.borrow_mut();
    let pos = st.pending.iter().position(|(i, _)| *i == id)?;
    Some(st.pending.remove(pos).1)
}

macro_rules! typed {
    ($($(#[$doc:meta])* fn $name:ident => $kind:ident, $ttl:expr;)*) => {
        impl Resolver {$(
            $(#[$doc])*
            pub fn $name(&self, hostname: &str) -> Query {
                self.start(hostname, Kind::$kind, $ttl)
            }
        )*}
    };
}

typed! {
    /// `resolver.resolve4(hostname)`.
    fn resolve4 => A, false;
    /// `resolver.resolve4(hostname, { ttl: true })`.
    fn resolve4_ttl => A, true;
    /// `resolver.resolve6(hostname)`.
    fn resolve6 => Aaaa, false;
    /// `resolver.resolve6(hostname, { ttl: true })`.
    fn resolve6_ttl => Aaaa, true;
    /// `resolver.resolveAny(hostname)`.
    fn resolve_any => Any, false;
    /// `resolver.resolveCaa(hostname)`.
    fn resolve_caa => Caa, false;
    /// `resolver.resolveCname(hostname)`.
    fn resolve_cname => Cname, false;
    /// `resolver.resolveMx(hostname)`.
    fn resolve_mx => Mx, false;
    /// `resolver.resolveNaptr(hostname)`.
    fn resolve_naptr => Naptr, false;
    /// `resolver.resolveNs(hostname)`.
    fn resolve_ns => Ns, false;
    /// `resolver.resolvePtr(hostname)`.
    fn resolve_ptr => Ptr, false;
    /// `resolver.resolveSoa(hostname)`.
    fn resolve_soa => Soa, false;
    /// `resolver.resolveSrv(hostname)`.
    fn resolve_srv => Srv, false;
    /// `resolver.resolveTxt(hostname)`.
    fn resolve_txt => Txt, false;
}

enum QueryInner {
    Waiting(nodestd_loop::Promise<Outcome>),
    Settled(Option<Outcome>),
}

/// A query in flight: resolves (as a microtask after the poll phase delivers it) to the
/// records or Node's error.
#[must_use = "the query runs anyway; the future is the only way to its result"]
pub struct Query {
    inner: QueryInner,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query").finish_non_exhaustive()
    }
}

impl Query {
    fn settled(o: Outcome) -> Query {
        Query {
            inner: QueryInner::Settled(Some(o)),
        }
    }
}

impl Future for Query {
    type Output = Outcome;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        match &mut self.inner {
            QueryInner::Waiting(p) => Pin::new(p)
                .poll(cx)
                .map(|r| r.unwrap_or_else(|_| Err(Error::cares("ECANCELLED", "", "")))),
            QueryInner::Settled(o) => {
                Poll::Ready(o.take().expect("Query polled after it completed"))
            }
        }
    }
}

/// One query through the servers, c-ares' way: try `t` goes to server `t % n` and waits
/// `timeout << (t / n)`; a truncated UDP answer is asked again over TCP; SERVFAIL, NOTIMP and
/// REFUSED skip that server. The last failure's code is the result when all tries fail.
fn exchange(
    servers: &[SocketAddr],
    timeout_ms: u64,
    tries: u32,
    name: &[u8],
    qtype: u16,
    cancelled: &AtomicBool,
) -> Result<Response, &'static str> {
    if servers.is_empty() {
        return Err("ECONNREFUSED");
    }
    let n = servers.len();
    let mut skipped = vec![false; n];
    let mut last = "ETIMEOUT";
    let total = n * tries as usize;
    for t in 0..total {
        if cancelled.load(Ordering::Acquire) {
            return Err("ECANCELLED");
        }
        let si = t % n;
        if skipped[si] {
            if skipped.iter().all(|&s| s) {
                break;
            }
            continue;
        }
        let server = servers[si];
        let wait = Duration::from_millis(timeout_ms.max(1) << (t / n).min(16));
        let id: u16 = rand_id();
        let msg = wire::query(id, name, qtype);
        let got = udp(server, &msg, id, wait).and_then(|r| {
            if r.truncated {
                tcp(server, &msg, id, wait)
            } else {
                Ok(r)
            }
        });
        match got {
            Ok(r) => match r.rcode {
                2 => {
                    last = "ESERVFAIL";
                    skipped[si] = true;
                }
                4 => {
                    last = "ENOTIMP";
                    skipped[si] = true;
                }
                5 => {
                    last = "EREFUSED";
                    skipped[si] = true;
                }
                _ => return Ok(r),
            },
            Err(code) => last = code,
        }
        if skipped.iter().all(|&s| s) {
            break;
        }
    }
    Err(last)
}

fn rand_id() -> u16 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish() as u16
}

fn udp(server: SocketAddr, msg: &[u8], id: u16, wait: Duration) -> Result<Response, &'static str> {
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let sock = UdpSocket::bind(bind).map_err(|_| "ECONNREFUSED")?;
    sock.connect(server).map_err(|_| "ECONNREFUSED")?;
    sock.send(msg).map_err(|_| "ECONNREFUSED")?;
    let deadline = Instant::now() + wait;
    let mut buf = vec![0u8; 65535];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err("ETIMEOUT");
        }
        sock.set_read_timeout(Some(left))
            .map_err(|_| "ECONNREFUSED")?;
        match sock.recv(&mut buf) {
            Ok(len) if wire::id_of(&buf[..len]) == Some(id) => {
                // A malformed answer fails the try, as in c-ares.
                return wire::parse(buf[..len].to_vec()).map_err(|_| "EBADRESP");
            }
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err("ETIMEOUT");
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err("ECONNREFUSED"),
        }
    }
}

pub(crate) fn tcp(
    server: SocketAddr,
    msg: &[u8],
    id: u16,
    wait: Duration,
) -> Result<Response, &'static str> {
    let mut s = TcpStream::connect_timeout(&server, wait).map_err(|e| {
        if e.kind() == std::io::ErrorKind::TimedOut {
            "ETIMEOUT"
        } else {
            "ECONNREFUSED"
        }
    })?;
    let io = |e: std::io::Error| {
        if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            "ETIMEOUT"
        } else {
            "ECONNREFUSED"
        }
    };
    s.set_read_timeout(Some(wait)).map_err(io)?;
    let mut framed = (msg.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(msg);
    s.write_all(&framed).map_err(io)?;
    let mut len = [0u8; 2];
    s.read_exact(&mut len).map_err(io)?;
    let mut buf = vec![0u8; u16::from_be_bytes(len) as usize];
    s.read_exact(&mut buf).map_err(io)?;
    let r = wire::parse(buf).map_err(|_| "EBADRESP")?;
    if r.id != id {
        return Err("EBADRESP");
    }
    Ok(r)
}
