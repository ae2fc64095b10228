//! The resolver's runtime thread: one thread for the whole process that sends every query,
//! waits for all the answers at once (`poll` on the connected UDP sockets, one per resolver
//! and server, as c-ares keeps a connection per server in each channel) and applies c-ares
//! 1.34's rules (`ares_process.c`), so a query costs a datagram, not a thread:
//!
//! - a query keeps its id for all its tries; each try goes to the server with the fewest
//!   consecutive failures (timeouts and broken sockets; an answer clears them), the first
//!   in the list among equals, and waits the server's timeout (`ares_metrics_server_timeout`: the channel's timeout, or five times the
//!   server's mean answer time once it has answered three queries, within 250..=5000 ms)
//!   shifted left by `t / n`, less up to half of it at random after the first round, never
//!   less than the server's timeout (`ares_calc_query_timeout`);
//! - an answer counts only if its id is a query of the same resolver and its question is that
//!   query's (`same_questions`: one question, same type and class, the name compared without
//!   regard to ASCII case, since Node does not turn on DNS 0x20); anything else is dropped
//!   and the query keeps waiting; the sockets are connected, so the kernel drops datagrams
//!   from any other address or port, as c-ares' check of the source does;
//! - a malformed datagram (`EBADRESP`) or a refused send/receive (`ECONNREFUSED`) closes that
//!   socket and sends every query that was waiting on it again, counting a try (c-ares'
//!   `handle_conn_error`); an empty datagram is ignored;
//! - a truncated answer over UDP switches the query to TCP for the rest of its tries, sent
//!   again at once without counting a try; over TCP (a connection per try, on a short-lived
//!   thread) frames for other ids or questions are skipped, a malformed frame (`EBADRESP`) or
//!   a closed or refused connection (`ECONNREFUSED`) counts a try;
//! - SERVFAIL, NOTIMP and REFUSED answers are final, as Node asks with `ARES_FLAG_NOCHECKRESP`.
//!
//! Submitters and TCP threads wake the runtime with an empty datagram to its wake-up socket.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::wire::{self, Response};

/// What a query's owner gets: the response, or c-ares' code.
pub(crate) type Done = Box<dyn FnOnce(Result<Response, &'static str>) + Send>;

/// c-ares' bounds on a server's timeout (`MIN_TIMEOUT_MS`, `MAX_TIMEOUT_MS`).
const MIN_TIMEOUT_MS: u64 = 250;
const MAX_TIMEOUT_MS: u64 = 5000;
/// A server's timeout is this many times its mean answer time ...
const AVG_TIMEOUT_MULTIPLIER: u64 = 5;
/// ... once a period holds this many answers.
const MIN_COUNT_FOR_AVERAGE: u64 = 3;

/// One period of a server's answer times (c-ares' `ares_server_metrics_t`).
#[derive(Default, Clone, Copy)]
struct Bucket {
    ts: u64,
    total_ms: u64,
    count: u64,
    prev_ts: u64,
    prev_total_ms: u64,
    prev_count: u64,
}

/// c-ares' periods: a minute, 15 minutes, an hour, a day, and since the start (`None`).
const PERIODS: [Option<u64>; 5] = [Some(60), Some(900), Some(3600), Some(86400), None];

/// A server's answer times in one resolver (`ares_metrics.c`).
#[derive(Default)]
struct Metrics([Bucket; 5]);

/// What a resolver knows of one of its servers: its answer times and its consecutive
/// failures (c-ares' `consec_failures`, which order the servers).
#[derive(Default)]
struct Server {
    metrics: Metrics,
    failures: u64,
}

/// Seconds of the monotonic clock, as c-ares' `ares_tvnow` reads it for its periods.
fn now_secs() -> u64 {
    rustix::time::clock_gettime(rustix::time::ClockId::Monotonic).tv_sec as u64
}

fn period_ts(period: Option<u64>, now: u64, previous: bool) -> u64 {
    match (period, previous) {
        (None, p) => u64::from(!p),
        (Some(d), false) => now / d,
        (Some(d), true) if d >= now => 0,
        (Some(d), true) => (now - d) / d,
    }
}

impl Metrics {
    /// `ares_metrics_record` for an answer that took `ms`.
    fn record(&mut self, ms: u64) {
        let now = now_secs();
        let ms = ms.max(1);
        for (b, period) in self.0.iter_mut().zip(PERIODS) {
            let ts = period_ts(period, now, false);
            if ts != b.ts {
                *b = Bucket {
                    ts,
                    prev_ts: b.ts,
                    prev_total_ms: b.total_ms,
                    prev_count: b.count,
                    ..Bucket::default()
                };
            }
            b.count += 1;
            b.total_ms += ms;
        }
    }

    /// `ares_metrics_server_timeout`: the first period with enough answers gives the mean.
    fn timeout(&self, channel_timeout: u64) -> u64 {
        let now = now_secs();
        let mut ms = 0;
        for (b, period) in self.0.iter().zip(PERIODS) {
            if period_ts(period, now, false) == b.ts && b.count >= MIN_COUNT_FOR_AVERAGE {
                ms = b.total_ms / b.count * AVG_TIMEOUT_MULTIPLIER;
                break;
            }
            if period_ts(period, now, true) == b.prev_ts && b.prev_count >= MIN_COUNT_FOR_AVERAGE {
                ms = b.prev_total_ms / b.prev_count * AVG_TIMEOUT_MULTIPLIER;
                break;
            }
        }
        if ms == 0 {
            ms = channel_timeout;
        }
        ms.clamp(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS)
    }
}

/// A resolver as the runtime knows it (c-ares' channel): its identity, which keys its
/// sockets, and what it knows of its servers.
pub(crate) struct Channel {
    id: u64,
    servers: Mutex<HashMap<SocketAddr, Server>>,
}

impl Channel {
    fn with_server<T>(&self, server: SocketAddr, f: impl FnOnce(&mut Server) -> T) -> Option<T> {
        self.servers
            .lock()
            .ok()
            .map(|mut m| f(m.entry(server).or_default()))
    }

    /// The server a try goes to: c-ares keeps its servers sorted by consecutive failures,
    /// then by their place in the list, and sends each try to the first.
    fn best(&self, servers: &[SocketAddr]) -> SocketAddr {
        let failures = self.servers.lock();
        let of = |s: &SocketAddr| {
            failures
                .as_ref()
                .ok()
                .and_then(|m| m.get(s).map(|v| v.failures))
                .unwrap_or(0)
        };
        servers
            .iter()
            .enumerate()
            .min_by_key(|(i, s)| (of(s), *i))
            .map(|(_, s)| *s)
            .unwrap_or(servers[0])
    }

    /// c-ares' `server_increment_failures`.
    fn failed(&self, server: SocketAddr) {
        self.with_server(server, |s| s.failures += 1);
    }
}

impl Channel {
    /// A channel of its own.
    pub(crate) fn new() -> Channel {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Channel {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            servers: Mutex::default(),
        }
    }
}

/// One query for the runtime.
pub(crate) struct Job {
    pub(crate) channel: Arc<Channel>,
    pub(crate) servers: Vec<SocketAddr>,
    /// The channel's timeout (ms) before c-ares' bounds.
    pub(crate) timeout_ms: u64,
    pub(crate) tries: u32,
    pub(crate) name: Vec<u8>,
    pub(crate) qtype: u16,
    pub(crate) cancelled: Arc<AtomicBool>,
    pub(crate) done: Done,
}

/// What reaches the runtime thread.
enum Msg {
    Query(Job),
    /// A TCP try's outcome: an answer to its question, or the code of a failed connection.
    Tcp {
        id: u16,
        attempt: u64,
        outcome: Result<Response, &'static str>,
    },
}

struct Runtime {
    queue: Mutex<Vec<Msg>>,
    waker: UdpSocket,
    wake_addr: SocketAddr,
}

static RUNTIME: OnceLock<Runtime> = OnceLock::new();

/// The runtime, started at first use; a start that failed (no socket, no thread) is tried
/// again by the next query.
fn runtime() -> Result<&'static Runtime, &'static str> {
    static STARTING: Mutex<()> = Mutex::new(());
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let _guard = STARTING.lock().map_err(|_| "ENOMEM")?;
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let socket = || UdpSocket::bind("127.0.0.1:0").map_err(|_| "ECONNREFUSED");
    let wake = socket()?;
    wake.set_nonblocking(true).map_err(|_| "ECONNREFUSED")?;
    let wake_addr = wake.local_addr().map_err(|_| "ECONNREFUSED")?;
    let waker = socket()?;
    std::thread::Builder::new()
        .name("nodestd-dns".into())
        .spawn(move || run(wake))
        .map_err(|_| "ENOMEM")?;
    Ok(RUNTIME.get_or_init(|| Runtime {
        queue: Mutex::new(Vec::new()),
        waker,
        wake_addr,
    }))
}

fn push(rt: &Runtime, msg: Msg) {
    let first = match rt.queue.lock() {
        Ok(mut q) => {
            q.push(msg);
            q.len() == 1
        }
        Err(_) => false,
    };
    if first {
        let _ = rt.waker.send_to(&[], rt.wake_addr);
    }
}

/// Hands `job` to the runtime thread; when it cannot be started, gives the job back with
/// c-ares' code for a query that cannot be sent (`ECONNREFUSED` without a socket, `ENOMEM`
/// without a thread).
pub(crate) fn submit(job: Job) -> Result<(), (Job, &'static str)> {
    match runtime() {
        Ok(rt) => {
            push(rt, Msg::Query(job));
            Ok(())
        }
        Err(code) => Err((job, code)),
    }
}

struct Flight {
    job: Job,
    id: u16,
    /// c-ares' `try_count`.
    t: usize,
    /// c-ares' `error_status`: the code of the last failed try.
    last: &'static str,
    /// When the current try was sent (`query->ts`) and when it times out.
    sent: Instant,
    deadline: Instant,
    msg: Vec<u8>,
    server: SocketAddr,
    /// c-ares' `using_tcp`: set by a truncated answer, kept for the remaining tries.
    tcp: bool,
    /// Which try a TCP outcome belongs to.
    attempt: u64,
}

impl Flight {
    fn socket_key(&self) -> (u64, SocketAddr) {
        (self.job.channel.id, self.server)
    }
}

struct State {
    sockets: HashMap<(u64, SocketAddr), UdpSocket>,
    flights: HashMap<u16, Flight>,
    seed: u64,
    attempts: u64,
    /// Outcomes of this round, handed over together at its end, so that the loop thread is
    /// woken once for all of them rather than once each.
    finished: Vec<(Done, Result<Response, &'static str>)>,
}

impl State {
    fn rand(&mut self) -> u64 {
        // xorshift64: ids and jitter need to be unpredictable enough, not cryptographic.
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed
    }

    fn next_id(&mut self) -> u16 {
        loop {
            let id = (self.rand() >> 32) as u16;
            if !self.flights.contains_key(&id) {
                return id;
            }
        }
    }

    fn socket(&mut self, key: (u64, SocketAddr)) -> Option<&UdpSocket> {
        use std::collections::hash_map::Entry;
        match self.sockets.entry(key) {
            Entry::Occupied(e) => Some(e.into_mut()),
            Entry::Vacant(e) => {
                let server = key.1;
                let bind: SocketAddr = if server.is_ipv4() {
                    ([0, 0, 0, 0], 0).into()
                } else {
                    (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
                };
                let s = UdpSocket::bind(bind).ok()?;
                s.connect(server).ok()?;
                s.set_nonblocking(true).ok()?;
                Some(e.insert(s))
            }
        }
    }

    /// `ares_calc_query_timeout` for try `f.t` to `server`.
    fn try_timeout(&mut self, f: &Flight, server: SocketAddr) -> Duration {
        let base = f
            .job
            .channel
            .with_server(server, |s| s.metrics.timeout(f.job.timeout_ms))
            .unwrap_or_else(|| f.job.timeout_ms.clamp(MIN_TIMEOUT_MS, MAX_TIMEOUT_MS));
        let rounds = f.t / f.job.servers.len();
        // base is at most 5000 (13 bits): 40 doublings stay far inside u64.
        let mut ms = base << rounds.min(40);
        if rounds > 0 {
            let r = (self.rand() >> 48) as f32;
            let delta = r / f32::from(u16::MAX) * 0.5;
            ms -= (ms as f32 * delta) as u64;
        }
        Duration::from_millis(ms.max(base))
    }

    /// Sends try `f.t`, or a later one when it cannot be sent (c-ares' `ares_send_query`), or
    /// finishes the query when the tries are used up.
    fn send(&mut self, mut f: Flight) {
        let n = f.job.servers.len();
        let total = n * f.job.tries as usize;
        loop {
            if f.job.cancelled.load(Ordering::Acquire) {
                return;
            }
            if f.t >= total {
                self.finished.push((f.job.done, Err(f.last)));
                return;
            }
            let server = f.job.channel.best(&f.job.servers);
            let wait = self.try_timeout(&f, server);
            f.server = server;
            if f.tcp {
                self.attempts += 1;
                f.attempt = self.attempts;
                f.sent = Instant::now();
                f.deadline = f.sent + wait;
                tcp_try(f.id, f.attempt, server, f.msg.clone(), f.deadline);
                self.flights.insert(f.id, f);
                return;
            }
            let key = f.socket_key();
            let sent = self
                .socket(key)
                .map(|s| s.send(&f.msg).is_ok())
                .unwrap_or(false);
            if !sent {
                // The socket is closed and its other queries sent again, as c-ares'
                // handle_conn_error does.
                f.job.channel.failed(server);
                let others = self.close_socket(key);
                f.last = "ECONNREFUSED";
                f.t += 1;
                for o in others {
                    self.retry(o, "ECONNREFUSED");
                }
                continue;
            }
            f.sent = Instant::now();
            f.deadline = f.sent + wait;
            self.flights.insert(f.id, f);
            return;
        }
    }

    fn retry(&mut self, mut f: Flight, code: &'static str) {
        f.last = code;
        f.t += 1;
        self.send(f);
    }

    /// Closes a UDP socket: the queries waiting on it, taken out of the flights.
    fn close_socket(&mut self, key: (u64, SocketAddr)) -> Vec<Flight> {
        self.sockets.remove(&key);
        let ids: Vec<u16> = self
            .flights
            .iter()
            .filter(|(_, f)| !f.tcp && f.socket_key() == key)
            .map(|(id, _)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| self.flights.remove(&id))
            .collect()
    }

    /// An answer that passed c-ares' checks ends its query and clears the server's failures
    /// (`server_set_good`); its time counts for the server when it is NOERROR or NXDOMAIN
    /// (`ares_metrics_record`).
    fn finish(&mut self, f: Flight, from: SocketAddr, r: Response) {
        let ms = f.sent.elapsed().as_millis() as u64;
        f.job.channel.with_server(from, |s| {
            s.failures = 0;
            if matches!(r.rcode, 0 | 3) {
                s.metrics.record(ms);
            }
        });
        self.finished.push((f.job.done, Ok(r)));
    }

    /// A socket's failure (a malformed datagram, a refused read): the server counts a
    /// failure once, and every query waiting on the socket is sent again.
    fn socket_failed(&mut self, key: (u64, SocketAddr), code: &'static str) {
        let flights = self.close_socket(key);
        if let Some(f) = flights.first() {
            f.job.channel.failed(key.1);
        }
        for f in flights {
            self.retry(f, code);
        }
    }

    /// A datagram on the socket `key`.
    /// `false` when the socket was closed (a malformed datagram).
    fn datagram(&mut self, key: (u64, SocketAddr), bytes: Vec<u8>) -> bool {
        if bytes.is_empty() {
            return true;
        }
        let Ok(r) = wire::parse(bytes) else {
            self.socket_failed(key, "EBADRESP");
            return false;
        };
        let Some(f) = self.flights.get(&r.id) else {
            return true;
        };
        if f.job.channel.id != key.0 || !wire::same_question(&f.msg, &r) {
            return true;
        }
        let mut f = self.flights.remove(&r.id).expect("present");
        if r.truncated {
            f.tcp = true;
            self.send(f);
            return true;
        }
        self.finish(f, key.1, r);
        true
    }

    /// A TCP try's outcome, unless its query has moved on (timed out, answered, cancelled).
    fn tcp_outcome(&mut self, id: u16, attempt: u64, outcome: Result<Response, &'static str>) {
        if !self
            .flights
            .get(&id)
            .is_some_and(|f| f.tcp && f.attempt == attempt)
        {
            return;
        }
        let f = self.flights.remove(&id).expect("present");
        match outcome {
            Ok(r) => {
                let server = f.server;
                self.finish(f, server, r)
            }
            Err(code) => {
                f.job.channel.failed(f.server);
                self.retry(f, code)
            }
        }
    }
}

/// One TCP try on a thread of its own: connects, sends `msg` framed, and reads frames until
/// one answers it; hands the answer or the connection's failure to the runtime, or nothing
/// when `deadline` comes first (the runtime times the try out itself).
fn tcp_try(id: u16, attempt: u64, server: SocketAddr, msg: Vec<u8>, deadline: Instant) {
    let report = move |outcome| {
        if let Some(rt) = RUNTIME.get() {
            push(
                rt,
                Msg::Tcp {
                    id,
                    attempt,
                    outcome,
                },
            );
        }
    };
    let spawned = std::thread::Builder::new()
        .name("nodestd-dns-tcp".into())
        .spawn(move || {
            if let Some(outcome) = tcp_exchange(server, &msg, deadline) {
                report(outcome);
            }
        });
    if spawned.is_err() {
        // No thread for the connection: c-ares' code for a connection that cannot be made.
        report(Err("ECONNREFUSED"));
    }
}

fn tcp_exchange(
    server: SocketAddr,
    msg: &[u8],
    deadline: Instant,
) -> Option<Result<Response, &'static str>> {
    let left = || {
        let d = deadline.saturating_duration_since(Instant::now());
        (!d.is_zero()).then_some(d)
    };
    // An I/O error: the deadline passing is the runtime's ETIMEOUT, anything else a lost
    // connection.
    let lost = |e: std::io::Error| {
        (!matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ))
        .then_some(Err("ECONNREFUSED"))
    };
    let mut s = match TcpStream::connect_timeout(&server, left()?) {
        Ok(s) => s,
        Err(e) => return lost(e),
    };
    let mut framed = (msg.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(msg);
    if let Err(e) = s.write_all(&framed) {
        return lost(e);
    }
    let id = u16::from_be_bytes([msg[0], msg[1]]);
    loop {
        let mut read = |buf: &mut [u8]| -> Result<(), Option<Result<Response, &'static str>>> {
            s.set_read_timeout(Some(left().ok_or(None)?))
                .map_err(|_| Some(Err("ECONNREFUSED")))?;
            s.read_exact(buf).map_err(lost)
        };
        let mut len = [0u8; 2];
        if let Err(out) = read(&mut len) {
            return out;
        }
        let mut buf = vec![0u8; u16::from_be_bytes(len) as usize];
        if let Err(out) = read(&mut buf) {
            return out;
        }
        if buf.is_empty() {
            continue;
        }
        match wire::parse(buf) {
            Err(_) => return Some(Err("EBADRESP")),
            Ok(r) if r.id == id && wire::same_question(msg, &r) => return Some(Ok(r)),
            Ok(_) => {}
        }
    }
}

fn run(wake: UdpSocket) {
    let mut st = State {
        sockets: HashMap::new(),
        flights: HashMap::new(),
        finished: Vec::new(),
        attempts: 0,
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 | 1)
            .unwrap_or(0x9e37_79b9_7f4a_7c15),
    };
    let mut buf = vec![0u8; 65535];
    loop {
        // New queries and TCP outcomes.
        let msgs = RUNTIME
            .get()
            .and_then(|r| r.queue.lock().ok().map(|mut q| std::mem::take(&mut *q)))
            .unwrap_or_default();
        for msg in msgs {
            match msg {
                Msg::Query(job) => {
                    if job.servers.is_empty() {
                        st.finished.push((job.done, Err("ECONNREFUSED")));
                        continue;
                    }
                    let id = st.next_id();
                    let msg = wire::query(id, &job.name, job.qtype);
                    let now = Instant::now();
                    st.send(Flight {
                        job,
                        id,
                        t: 0,
                        last: "ETIMEOUT",
                        sent: now,
                        deadline: now,
                        msg,
                        server: ([0, 0, 0, 0], 0).into(),
                        tcp: false,
                        attempt: 0,
                    });
                }
                Msg::Tcp {
                    id,
                    attempt,
                    outcome,
                } => st.tcp_outcome(id, attempt, outcome),
            }
        }
        // Deadlines and cancellations.
        let now = Instant::now();
        let due: Vec<u16> = st
            .flights
            .iter()
            .filter(|(_, f)| f.deadline <= now || f.job.cancelled.load(Ordering::Acquire))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            let f = st.flights.remove(&id).expect("present");
            if !f.job.cancelled.load(Ordering::Acquire) {
                f.job.channel.failed(f.server);
                st.retry(f, "ETIMEOUT");
            }
        }
        // A socket no query waits on is closed, as c-ares closes an idle connection.
        let used: HashSet<(u64, SocketAddr)> = st
            .flights
            .values()
            .filter(|f| !f.tcp)
            .map(Flight::socket_key)
            .collect();
        st.sockets.retain(|k, _| used.contains(k));
        // Hand over what ended since the last wait, together.
        for (done, outcome) in st.finished.drain(..) {
            done(outcome);
        }
        // Wait for answers, a wake-up or the nearest deadline.
        let now = Instant::now();
        let wait = st
            .flights
            .values()
            .map(|f| f.deadline.saturating_duration_since(now))
            .min()
            .unwrap_or(Duration::from_secs(1));
        let keys: Vec<(u64, SocketAddr)> = st.sockets.keys().copied().collect();
        let ready: Vec<bool> = {
            let mut fds = Vec::with_capacity(keys.len() + 1);
            fds.push(PollFd::new(&wake, PollFlags::IN));
            for k in &keys {
                fds.push(PollFd::new(&st.sockets[k], PollFlags::IN));
            }
            let ts = Timespec {
                tv_sec: wait.as_secs() as _,
                tv_nsec: wait.subsec_nanos() as _,
            };
            let _ = poll(&mut fds, Some(&ts));
            fds.iter().map(|f| !f.revents().is_empty()).collect()
        };
        if ready[0] {
            while wake.recv(&mut buf).is_ok() {}
        }
        for (i, key) in keys.iter().enumerate() {
            if !ready[i + 1] {
                continue;
            }
            while let Some(sock) = st.sockets.get(key) {
                match sock.recv(&mut buf) {
                    Ok(n) => {
                        if !st.datagram(*key, buf[..n].to_vec()) {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(_) => {
                        st.socket_failed(*key, "ECONNREFUSED");
                        break;
                    }
                }
            }
        }
    }
}
