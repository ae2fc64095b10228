//! Node's `dns.Resolver` (c-ares underneath in Node): the client that sends a query to the
//! configured servers with c-ares' timeout and tries, falls back to TCP on a truncated
//! answer, and turns the reply into Node's result shapes and codes.
//!
//! Each query is sent and awaited by the process's DNS runtime thread (`runtime.rs`, off the
//! loop thread; a thread of its own if that one cannot start); its result comes back through
//! an [`AsyncHandle`](nodestd_loop::AsyncHandle) (libuv's `uv_async_t`), one for all of a
//! thread's queries, so it is delivered on the loop thread in the poll phase, as c-ares'
//! socket events are in Node.

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

/// Where a query's outcome goes: a promise's resolver or a callback.
type Deliver = Box<dyn FnOnce(Outcome)>;

/// How an outcome known at the call (`EBADNAME`, a hosts-file hit ...) is delivered: at once
/// for a promise (its continuation is a microtask anyway), later for a callback, as Node's
/// cares_wrap queues every c-ares callback as a native immediate (`QueueResponseCallback`):
/// see [`mailbox::defer`].
#[derive(Clone, Copy)]
enum Form {
    Promise,
    Callback,
}

impl Form {
    fn settle(self, deliver: Deliver, outcome: Outcome) {
        match self {
            Form::Promise => deliver(outcome),
            Form::Callback => mailbox::defer(Box::new(move || deliver(outcome))),
        }
    }
}

struct Pending {
    cancelled: Arc<AtomicBool>,
    syscall: &'static str,
    hostname: String,
    deliver: Deliver,
}

struct State {
    servers: Vec<SocketAddr>,
    timeout_ms: u64,
    tries: u32,
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
                pending: Vec::new(),
            })),
        })
    }

    /// `resolver.setServers(servers)` (a server given twice is kept once, as c-ares does).
    ///
    /// # Errors
    /// `ERR_INVALID_IP_ADDRESS` for an entry that is not an IP address with an optional port;
    /// the servers are then unchanged.
    #[doc(alias = "setServers")]
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
    #[doc(alias = "getServers")]
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

    /// `resolver.cancel()`: every outstanding query ends with `ECANCELLED`, in the order they
    /// were made: just after the current resolver callback returns when called from one (as
    /// Node's native immediates), else on the check phase.
    pub fn cancel(&self) {
        let pending = std::mem::take(&mut self.state.borrow_mut().pending);
        for (id, p) in pending {
            p.cancelled.store(true, Ordering::Release);
            mailbox::forget(id);
            let e = Error::cares("ECANCELLED", p.syscall, &p.hostname);
            mailbox::defer(Box::new(move || (p.deliver)(Err(e))));
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
        Ok(Query::new(|d| {
            self.query(hostname, hostname, kind, false, Form::Promise, d)
        }))
    }

    /// `resolver.reverse(ip)`: the PTR names of an address.
    pub fn reverse(&self, ip: &str) -> Query {
        Query::new(|d| self.reverse_with(ip, Form::Promise, d))
    }

    fn reverse_with(&self, ip: &str, form: Form, deliver: Deliver) {
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
                let e = Error::uv(-libc::EINVAL, "getHostByAddr", ip);
                return form.settle(deliver, Err(e));
            }
        };
        // c-ares looks in the hosts file first ("files" before "bind").
        if let Some(names) = hosts_names(ip) {
            return form.settle(deliver, Ok(Records::Names(names)));
        }
        self.query(ip, &name, Kind::Reverse, false, form, deliver)
    }

    /// Sends query `kind` for `qname` (reported as `shown` in errors); its outcome goes to
    /// `deliver`, in the poll phase, or as `form` settles it when it is known at the call.
    fn query(&self, shown: &str, qname: &str, kind: Kind, ttl: bool, form: Form, deliver: Deliver) {
        let syscall = kind.syscall();
        let ascii = wire::to_ascii(qname.split('\0').next().unwrap_or(""));
        let encoded = match wire::encode_name(&ascii) {
            Ok(n) => n,
            Err(_) => {
                return form.settle(deliver, Err(Error::cares("EBADNAME", syscall, shown)));
            }
        };
        let cancelled = Arc::new(AtomicBool::new(false));
        // A strong reference: an outstanding query keeps its resolver alive, as in Node.
        let state = Rc::clone(&self.state);
        let shown_owned = shown.to_string();
        let (id, done) = mailbox::register(Box::new(move |id, raw| {
            let Some(p) = take_pending(&state, id) else {
                return;
            };
            // c-ares' gethostbyaddr ends every failed lookup with ENOTFOUND.
            let code = |c: &'static str| {
                if kind == Kind::Reverse && c != "ECANCELLED" {
                    "ENOTFOUND"
                } else {
                    c
                }
            };
            let outcome = raw
                .and_then(|resp| interpret(&resp, kind, ttl))
                .map_err(|c| Error::cares(code(c), syscall, &shown_owned));
            (p.deliver)(outcome);
        }));
        let mut st = self.state.borrow_mut();
        st.pending.push((
            id,
            Pending {
                cancelled: Arc::clone(&cancelled),
                syscall,
                hostname: shown.to_string(),
                deliver,
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
            done,
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
                mailbox::forget(id);
                if let Some(p) = take_pending(&self.state, id) {
                    form.settle(p.deliver, Err(Error::cares("ENOMEM", syscall, shown)));
                }
            }
        }
    }
}

/// Removes query `id` from the outstanding ones, if it is still there (not cancelled).
fn take_pending(state: &RefCell<State>, id: u64) -> Option<Pending> {
    let mut st = state.borrow_mut();
    let pos = st.pending.iter().position(|(i, _)| *i == id)?;
    Some(st.pending.remove(pos).1)
}

/// The loop thread's end of the runtime: one [`AsyncHandle`](nodestd_loop::AsyncHandle) for all of the thread's queries,
/// ref'd while one is outstanding, so that answers arriving together wake the loop once
/// (`uv_async_send` coalesces as well) instead of once per query; each answer then goes to
/// its query's `finish` in the poll phase.
mod mailbox {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use nodestd_loop::{AsyncHandle, AsyncSender};

    use crate::runtime::Done;
    use crate::wire::Response;

    /// What the runtime gives a query.
    pub(super) type Raw = Result<Response, &'static str>;
    /// What the loop thread does with it.
    pub(super) type Finish = Box<dyn FnOnce(u64, Raw)>;
    type Inbox = Arc<Mutex<Vec<(u64, Raw)>>>;
    /// What resolver callbacks deferred while answers are delivered.
    type Deferred = std::collections::VecDeque<Box<dyn FnOnce()>>;

    struct Mailbox {
        handle: AsyncHandle,
        sender: AsyncSender,
        inbox: Inbox,
        waiting: HashMap<u64, Finish>,
    }

    thread_local! {
        static MAILBOX: RefCell<Option<Mailbox>> = const { RefCell::new(None) };
        static NEXT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
        /// Some while answers are being delivered: what their callbacks deferred.
        static DEFERRED: RefCell<Option<Deferred>> = const { RefCell::new(None) };
    }

    /// Registers a query: its id and the runtime's `done` for it.
    pub(super) fn register(finish: Finish) -> (u64, Done) {
        let id = NEXT.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        MAILBOX.with(|m| {
            let mut m = m.borrow_mut();
            let mb = m.get_or_insert_with(|| {
                let handle = AsyncHandle::new(drain);
                Mailbox {
                    sender: handle.sender(),
                    handle,
                    inbox: Arc::default(),
                    waiting: HashMap::new(),
                }
            });
            mb.waiting.insert(id, finish);
            let (inbox, sender) = (Arc::clone(&mb.inbox), mb.sender.clone());
            let done: Done = Box::new(move |raw| {
                if let Ok(mut q) = inbox.lock() {
                    q.push((id, raw));
                }
                sender.send();
            });
            (id, done)
        })
    }

    /// Drops query `id` (cancelled): a late answer for it is ignored.
    pub(super) fn forget(id: u64) {
        MAILBOX.with(|m| {
            if let Some(mb) = m.borrow_mut().as_mut() {
                mb.waiting.remove(&id);
            }
        });
        close_if_idle();
    }

    /// Runs `f` after the answer being delivered now and the others that came with it, when
    /// called while answers are delivered, else on the check phase (`set_immediate`). Node
    /// queues every resolver callback as a native immediate, which runs before the tick queue
    /// of the callback that queued it; outside a resolver callback the JS immediates queued
    /// earlier run first here, while Node's native ones would run before them.
    pub(super) fn defer(f: Box<dyn FnOnce()>) {
        let queued = DEFERRED.with(|d| match d.borrow_mut().as_mut() {
            Some(q) => {
                q.push_back(f);
                None
            }
            None => Some(f),
        });
        if let Some(f) = queued {
            nodestd_loop::set_immediate(f);
        }
    }

    /// The handle's callback: every answer that came, to its query, then what their callbacks
    /// deferred, in order.
    fn drain() {
        let arrived = MAILBOX.with(|m| {
            m.borrow()
                .as_ref()
                .and_then(|mb| mb.inbox.lock().ok().map(|mut q| std::mem::take(&mut *q)))
                .unwrap_or_default()
        });
        DEFERRED.with(|d| *d.borrow_mut() = Some(std::collections::VecDeque::new()));
        for (id, raw) in arrived {
            let finish = MAILBOX.with(|m| m.borrow_mut().as_mut()?.waiting.remove(&id));
            if let Some(finish) = finish {
                finish(id, raw);
            }
        }
        while let Some(f) = DEFERRED.with(|d| d.borrow_mut().as_mut()?.pop_front()) {
            f();
        }
        DEFERRED.with(|d| *d.borrow_mut() = None);
        close_if_idle();
    }

    /// With no query outstanding the handle closes, so the loop can end (the next query
    /// opens a new one, on whichever loop runs then).
    fn close_if_idle() {
        let idle = MAILBOX.with(|m| {
            let mut m = m.borrow_mut();
            if m.as_ref().is_some_and(|mb| mb.waiting.is_empty()) {
                m.take()
            } else {
                None
            }
        });
        if let Some(mb) = idle {
            mb.handle.close(|| {});
        }
    }
}

/// The rows of query methods: each gives a promise-form method on [`Resolver`] and a
/// callback-form one on [`crate::callback::Resolver`], and the module-level functions of
/// both forms on the thread's default resolver.
macro_rules! typed {
    ($($(#[$doc:meta])* fn $name:ident => $kind:ident, $ttl:expr;)*) => {
        impl Resolver {$(
            $(#[$doc])*
            pub fn $name(&self, hostname: &str) -> Query {
                Query::new(|d| {
                    self.query(hostname, hostname, Kind::$kind, $ttl, Form::Promise, d)
                })
            }
        )*}

        impl CallbackResolver {$(
            $(#[$doc])*
            /// The callback gets the outcome in the poll phase (or, when it is known at the
            /// call, on the check phase).
            pub fn $name(&self, hostname: &str, callback: impl FnOnce(Outcome) + 'static) {
                self.0.query(hostname, hostname, Kind::$kind, $ttl, Form::Callback, Box::new(callback))
            }
        )*}

        /// `dns.resolve*(hostname, callback)`: the thread's default resolver.
        pub mod default_callback {
            /// `dns.resolve(hostname, rrtype, callback)`.
            ///
            /// # Errors
            /// `ERR_INVALID_ARG_VALUE` for an rrtype Node does not know (thrown at the call).
            pub fn resolve(
                hostname: &str,
                rrtype: &str,
                callback: impl FnOnce(super::Outcome) + 'static,
            ) -> Result<(), crate::Error> {
                super::with_default(|r| super::CallbackResolver(r.clone()).resolve(hostname, rrtype, callback))
            }
            /// `dns.reverse(ip, callback)`.
            pub fn reverse(ip: &str, callback: impl FnOnce(super::Outcome) + 'static) {
                super::with_default(|r| super::CallbackResolver(r.clone()).reverse(ip, callback))
            }
            $(
            $(#[$doc])*
            pub fn $name(hostname: &str, callback: impl FnOnce(super::Outcome) + 'static) {
                super::with_default(|r| super::CallbackResolver(r.clone()).$name(hostname, callback))
            }
        )*}

        /// `dns.promises.resolve*(hostname)`: the thread's default resolver.
        pub mod default_promise {
            /// `dns.promises.resolve(hostname, rrtype)`.
            ///
            /// # Errors
            /// `ERR_INVALID_ARG_VALUE` for an rrtype Node does not know (thrown at the call).
            pub fn resolve(hostname: &str, rrtype: &str) -> Result<super::Query, crate::Error> {
                super::with_default(|r| r.resolve(hostname, rrtype))
            }
            /// `dns.promises.reverse(ip)`.
            pub fn reverse(ip: &str) -> super::Query {
                super::with_default(|r| r.reverse(ip))
            }
            $(
            $(#[$doc])*
            pub fn $name(hostname: &str) -> super::Query {
                super::with_default(|r| r.$name(hostname))
            }
        )*}
    };
}

/// Node's `dns.Resolver`, the callback form: the same resolver as [`Resolver`] (they share
/// servers, options and outstanding queries when made with [`CallbackResolver::from`]), each
/// method taking the callback Node's takes.
#[derive(Clone, Debug)]
pub struct CallbackResolver(Resolver);

impl From<Resolver> for CallbackResolver {
    fn from(r: Resolver) -> Self {
        CallbackResolver(r)
    }
}

impl CallbackResolver {
    /// `new dns.Resolver(options)`, with the system's servers.
    ///
    /// # Errors
    /// As [`Resolver::new`].
    pub fn new(options: ResolverOptions) -> Result<CallbackResolver, Error> {
        Resolver::new(options).map(CallbackResolver)
    }

    /// The promise form of the same resolver.
    pub fn promises(&self) -> &Resolver {
        &self.0
    }

    /// `resolver.setServers(servers)`.
    ///
    /// # Errors
    /// As [`Resolver::set_servers`].
    #[doc(alias = "setServers")]
    pub fn set_servers<S: AsRef<str>>(&self, servers: &[S]) -> Result<(), Error> {
        self.0.set_servers(servers)
    }

    /// `resolver.getServers()`.
    #[doc(alias = "getServers")]
    pub fn get_servers(&self) -> Vec<String> {
        self.0.get_servers()
    }

    /// `resolver.cancel()`: every outstanding query's callback gets `ECANCELLED`, at once.
    pub fn cancel(&self) {
        self.0.cancel()
    }

    /// `resolver.resolve(hostname, rrtype, callback)`.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for an rrtype Node does not know (thrown at the call; the
    /// callback is not called).
    pub fn resolve(
        &self,
        hostname: &str,
        rrtype: &str,
        callback: impl FnOnce(Outcome) + 'static,
    ) -> Result<(), Error> {
        let kind = Kind::from_rrtype(rrtype)
            .ok_or_else(|| Error::invalid_arg("rrtype", &crate::error::shown_str(rrtype)))?;
        self.0.query(
            hostname,
            hostname,
            kind,
            false,
            Form::Callback,
            Box::new(callback),
        );
        Ok(())
    }

    /// `resolver.reverse(ip, callback)`.
    pub fn reverse(&self, ip: &str, callback: impl FnOnce(Outcome) + 'static) {
        self.0.reverse_with(ip, Form::Callback, Box::new(callback))
    }
}

thread_local! {
    /// The module-level functions' resolver (Node's default resolver), made at first use.
    static DEFAULT: std::cell::OnceCell<Resolver> = const { std::cell::OnceCell::new() };
}

fn with_default<T>(f: impl FnOnce(&Resolver) -> T) -> T {
    DEFAULT.with(|d| {
        f(d.get_or_init(|| {
            Resolver::new(ResolverOptions::default()).expect("the default options are valid")
        }))
    })
}

/// `dns.setServers(servers)`: the default resolver's servers (this thread's).
///
/// # Errors
/// As [`Resolver::set_servers`].
#[doc(alias = "setServers")]
pub fn set_servers<S: AsRef<str>>(servers: &[S]) -> Result<(), Error> {
    with_default(|r| r.set_servers(servers))
}

/// `dns.getServers()`.
#[doc(alias = "getServers")]
pub fn get_servers() -> Vec<String> {
    with_default(Resolver::get_servers)
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
    /// Starts a query through `start`, which delivers its outcome to the box it is given.
    fn new(start: impl FnOnce(Deliver)) -> Query {
        let (resolver, promise) = nodestd_loop::promise::<Outcome>();
        start(Box::new(move |o| resolver.resolve(o)));
        Query {
            inner: QueryInner::Waiting(promise),
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
