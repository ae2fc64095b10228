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
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use crate::Error;
use crate::decode::{Kind, Records, interpret};
use crate::runtime::Channel;
use crate::wire;

/// c-ares' default per-try timeout (ms), for a `timeout` of -1 or 0 when `/etc/resolv.conf`
/// sets none.
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
    channel: Arc<Channel>,
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

/// The per-try timeout c-ares takes when Node passes none (`timeout` -1 or 0, which c-ares
/// ignores): `/etc/resolv.conf`'s `options timeout:N` (seconds, the last one; `retrans:N` is
/// the same), else 2000 ms.
fn system_timeout_ms() -> u64 {
    let text = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    let mut ms = DEFAULT_TIMEOUT_MS;
    for line in text.lines() {
        let mut it = line.split_whitespace();
        if it.next() != Some("options") {
            continue;
        }
        for opt in it {
            let Some((key, val)) = opt.split_once(':') else {
                continue;
            };
            if let ("timeout" | "retrans", Ok(n @ 1..)) = (key, val.parse::<u64>()) {
                ms = n * 1000;
            }
        }
    }
    ms
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

/// `util.inspect` of an array of strings that need no escaping (valid server entries), as
/// Node's `ERR_DNS_SET_SERVERS_FAILED` message shows the list (`%s`): on one line when it
/// fits in 80 columns, else one entry per line, or in columns when there are more than six
/// (`groupArrayElements` and `reduceToSingleString` of lib/internal/util/inspect.js, at depth
/// 0 with `breakLength` 80 and `compact` 3).
fn inspect_strings(items: &[&str]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let mut output: Vec<String> = items.iter().map(|s| format!("'{s}'")).collect();
    let entries = output.len();
    if entries > 6 {
        let sep = 2;
        let lens: Vec<usize> = output.iter().map(String::len).collect();
        let total: usize = lens.iter().map(|l| l + sep).sum();
        let max = lens.iter().copied().max().unwrap_or(0);
        let actual_max = max + sep;
        if actual_max * 3 < 80 && (total as f64 / actual_max as f64 > 5.0 || max <= 6) {
            let average_bias = (actual_max as f64 - total as f64 / entries as f64).sqrt();
            let biased_max = (actual_max as f64 - 3.0 - average_bias).max(1.0);
            let columns = ((2.5 * biased_max * entries as f64).sqrt() / biased_max)
                .round()
                .min((80 / actual_max) as f64)
                .min(12.0)
                .min(15.0) as usize;
            if columns > 1 {
                let widths: Vec<usize> = (0..columns)
                    .map(|c| lens.iter().skip(c).step_by(columns).max().unwrap_or(&0) + sep)
                    .collect();
                output = output
                    .chunks(columns)
                    .map(|row| {
                        let mut line = String::new();
                        for (j, cell) in row.iter().enumerate() {
                            if j + 1 == row.len() {
                                line.push_str(cell);
                            } else {
                                line.push_str(&format!(
                                    "{:<w$}",
                                    format!("{cell}, "),
                                    w = widths[j]
                                ));
                            }
                        }
                        line
                    })
                    .collect();
            }
        }
    }
    if output.len() == entries {
        let start = output.len() + 1 + 10;
        let total = output.len() + start + output.iter().map(String::len).sum::<usize>();
        if total + output.len() <= 80 {
            return format!("[ {} ]", output.join(", "));
        }
    }
    format!("[\n  {}\n]", output.join(",\n  "))
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
                channel: Arc::new(Channel::new()),
                servers: system_servers(),
                timeout_ms: if timeout <= 0 {
                    system_timeout_ms()
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
    /// `ERR_DNS_SET_SERVERS_FAILED` while a query is outstanding (c-ares' "There are pending
    /// queries."). The servers are then unchanged.
    #[doc(alias = "setServers")]
    pub fn set_servers<S: AsRef<str>>(&self, servers: &[S]) -> Result<(), Error> {
        let mut out = Vec::with_capacity(servers.len());
        for s in servers {
            let s = s.as_ref();
            out.push(parse_server(s).ok_or_else(|| {
                Error::arg("ERR_INVALID_IP_ADDRESS", format!("Invalid IP address: {s}"))
            })?);
        }
        let mut st = self.state.borrow_mut();
        if !st.pending.is_empty() {
            let list: Vec<&str> = servers.iter().map(AsRef::as_ref).collect();
            return Err(Error::arg(
                "ERR_DNS_SET_SERVERS_FAILED",
                format!(
                    "c-ares failed to set servers: \"There are pending queries.\" [{}]",
                    inspect_strings(&list)
                ),
            ));
        }
        st.servers = out;
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
        let channel = Arc::clone(&st.channel);
        drop(st);
        let job = crate::runtime::Job {
            channel,
            servers,
            timeout_ms,
            tries,
            name: encoded,
            qtype: kind.qtype(),
            cancelled,
            done,
        };
        if let Err((job, code)) = crate::runtime::submit(job) {
            // No runtime thread: the query cannot be sent; its code comes as an answer would.
            (job.done)(Err(code));
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

#[cfg(test)]
mod tests {
    /// Expected strings recorded from node v20.20.2: `util.format('%s', list)`.
    #[test]
    fn server_lists_are_shown_as_node_inspects_them() {
        let v = |n: usize, f: &dyn Fn(usize) -> String| (0..n).map(f).collect::<Vec<_>>();
        let show = |l: Vec<String>| {
            super::inspect_strings(&l.iter().map(String::as_str).collect::<Vec<_>>())
        };
        assert_eq!(show(vec![]), "[]");
        assert_eq!(show(v(1, &|_| "1.2.3.4".into())), "[ '1.2.3.4' ]");
        assert_eq!(
            show(vec!["1.2.3.4".into(), "[::1]:5353".into()]),
            "[ '1.2.3.4', '[::1]:5353' ]"
        );
        let port = |i| format!("10.0.0.{i}:5353");
        assert_eq!(
            show(v(7, &port)),
            "[\n  '10.0.0.0:5353',\n  '10.0.0.1:5353',\n  '10.0.0.2:5353',\n  '10.0.0.3:5353',\n  '10.0.0.4:5353',\n  '10.0.0.5:5353',\n  '10.0.0.6:5353'\n]"
        );
        assert_eq!(
            show(v(20, &port)),
            "[\n  '10.0.0.0:5353',  '10.0.0.1:5353',\n  '10.0.0.2:5353',  '10.0.0.3:5353',\n  '10.0.0.4:5353',  '10.0.0.5:5353',\n  '10.0.0.6:5353',  '10.0.0.7:5353',\n  '10.0.0.8:5353',  '10.0.0.9:5353',\n  '10.0.0.10:5353', '10.0.0.11:5353',\n  '10.0.0.12:5353', '10.0.0.13:5353',\n  '10.0.0.14:5353', '10.0.0.15:5353',\n  '10.0.0.16:5353', '10.0.0.17:5353',\n  '10.0.0.18:5353', '10.0.0.19:5353'\n]"
        );
        assert_eq!(
            show(v(9, &|i| format!("::{i}"))),
            "[\n  '::0', '::1',\n  '::2', '::3',\n  '::4', '::5',\n  '::6', '::7',\n  '::8'\n]"
        );
    }
}
