//! The resolver's runtime thread: one thread for the whole process that sends every query,
//! waits for all the answers at once (`poll` on one connected UDP socket per server, as
//! c-ares keeps them) and applies c-ares' timeouts and tries, so a query costs a datagram,
//! not a thread. A truncated answer is asked again over TCP on a short-lived thread.
//! Submitters wake the thread with an empty datagram to its wake-up socket.

use std::collections::HashMap;
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::wire::{self, Response};

/// What a query's owner gets: the response, or c-ares' code.
pub(crate) type Done = Box<dyn FnOnce(Result<Response, &'static str>) + Send>;

/// One query for the runtime.
pub(crate) struct Job {
    pub(crate) servers: Vec<SocketAddr>,
    pub(crate) timeout_ms: u64,
    pub(crate) tries: u32,
    pub(crate) name: Vec<u8>,
    pub(crate) qtype: u16,
    pub(crate) cancelled: Arc<AtomicBool>,
    pub(crate) done: Done,
}

struct Runtime {
    queue: Mutex<Vec<Job>>,
    waker: UdpSocket,
    wake_addr: SocketAddr,
}

static RUNTIME: OnceLock<Option<Runtime>> = OnceLock::new();

fn runtime() -> Option<&'static Runtime> {
    RUNTIME
        .get_or_init(|| {
            let wake = UdpSocket::bind("127.0.0.1:0").ok()?;
            wake.set_nonblocking(true).ok()?;
            let wake_addr = wake.local_addr().ok()?;
            let waker = UdpSocket::bind("127.0.0.1:0").ok()?;
            std::thread::Builder::new()
                .name("nodestd-dns".into())
                .spawn(move || run(wake))
                .ok()?;
            Some(Runtime {
                queue: Mutex::new(Vec::new()),
                waker,
                wake_addr,
            })
        })
        .as_ref()
}

/// Hands `job` to the runtime thread; gives it back when the thread cannot be started.
pub(crate) fn submit(job: Job) -> Result<(), Job> {
    let Some(rt) = runtime() else { return Err(job) };
    let first = {
        let Ok(mut q) = rt.queue.lock() else {
            return Err(job);
        };
        q.push(job);
        q.len() == 1
    };
    if first {
        let _ = rt.waker.send_to(&[], rt.wake_addr);
    }
    Ok(())
}

struct Flight {
    job: Job,
    t: usize,
    skipped: Vec<bool>,
    last: &'static str,
    deadline: Instant,
    msg: Vec<u8>,
    server: SocketAddr,
}

struct State {
    sockets: HashMap<SocketAddr, UdpSocket>,
    flights: HashMap<u16, Flight>,
    seed: u64,
    /// Outcomes of this round, handed over together at its end, so that the loop thread is
    /// woken once for all of them rather than once each.
    finished: Vec<(Done, Result<Response, &'static str>)>,
}

impl State {
    fn next_id(&mut self) -> u16 {
        loop {
            // xorshift64: ids need to be unpredictable enough and unique among flights.
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            let id = (self.seed >> 32) as u16;
            if !self.flights.contains_key(&id) {
                return id;
            }
        }
    }

    fn socket(&mut self, server: SocketAddr) -> Option<&UdpSocket> {
        use std::collections::hash_map::Entry;
        match self.sockets.entry(server) {
            Entry::Occupied(e) => Some(e.into_mut()),
            Entry::Vacant(e) => {
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

    /// Sends try `f.t` or a later one (c-ares' `next_server`), or finishes the query.
    fn send(&mut self, mut f: Flight) {
        let n = f.job.servers.len();
        let total = n * f.job.tries as usize;
        while f.t < total {
            if f.job.cancelled.load(Ordering::Acquire) {
                return;
            }
            if f.skipped.iter().all(|&s| s) {
                break;
            }
            let si = f.t % n;
            if f.skipped[si] {
                f.t += 1;
                continue;
            }
            let server = f.job.servers[si];
            let id = self.next_id();
            f.msg = wire::query(id, &f.job.name, f.job.qtype);
            let sent = self
                .socket(server)
                .map(|s| s.send(&f.msg).is_ok())
                .unwrap_or(false);
            if !sent {
                f.last = "ECONNREFUSED";
                f.t += 1;
                continue;
            }
            let wait = f.job.timeout_ms.max(1) << (f.t / n).min(16);
            f.deadline = Instant::now() + Duration::from_millis(wait);
            f.server = server;
            self.flights.insert(id, f);
            return;
        }
        self.finished.push((f.job.done, Err(f.last)));
    }

    fn retry(&mut self, mut f: Flight, code: &'static str) {
        f.last = code;
        f.t += 1;
        self.send(f);
    }

    fn malformed(&mut self, from: SocketAddr, id: u16) {
        if self.flights.get(&id).is_some_and(|f| f.server == from) {
            let f = self.flights.remove(&id).expect("present");
            self.retry(f, "EBADRESP");
        }
    }

    fn answer(&mut self, from: SocketAddr, r: Response) {
        let Some(f) = self.flights.get(&r.id) else {
            return;
        };
        if f.server != from {
            return;
        }
        let mut f = self.flights.remove(&r.id).expect("present");
        if r.truncated {
            let (server, msg, id) = (f.server, std::mem::take(&mut f.msg), r.id);
            let wait = Duration::from_millis(f.job.timeout_ms.max(1));
            let done = f.job.done;
            if let Err(e) = std::thread::Builder::new()
                .name("nodestd-dns-tcp".into())
                .spawn(move || done(crate::resolver::tcp(server, &msg, id, wait)))
            {
                drop(e);
            }
            return;
        }
        let si = f.t % f.job.servers.len();
        let code = match r.rcode {
            2 => "ESERVFAIL",
            4 => "ENOTIMP",
            5 => "EREFUSED",
            _ => return self.finished.push((f.job.done, Ok(r))),
        };
        f.skipped[si] = true;
        self.retry(f, code);
    }
}

fn run(wake: UdpSocket) {
    let mut st = State {
        sockets: HashMap::new(),
        flights: HashMap::new(),
        finished: Vec::new(),
        seed: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64 | 1)
            .unwrap_or(0x9e37_79b9_7f4a_7c15),
    };
    let mut buf = vec![0u8; 65535];
    loop {
        // New queries.
        let jobs = RUNTIME
            .get()
            .and_then(|r| r.as_ref())
            .and_then(|r| r.queue.lock().ok().map(|mut q| std::mem::take(&mut *q)))
            .unwrap_or_default();
        for job in jobs {
            let skipped = vec![false; job.servers.len()];
            if job.servers.is_empty() {
                st.finished.push((job.done, Err("ECONNREFUSED")));
                continue;
            }
            st.send(Flight {
                job,
                t: 0,
                skipped,
                last: "ETIMEOUT",
                deadline: Instant::now(),
                msg: Vec::new(),
                server: ([0, 0, 0, 0], 0).into(),
            });
        }
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
        let servers: Vec<SocketAddr> = st.sockets.keys().copied().collect();
        let ready: Vec<bool> = {
            let mut fds = Vec::with_capacity(servers.len() + 1);
            fds.push(PollFd::new(&wake, PollFlags::IN));
            for s in &servers {
                fds.push(PollFd::new(&st.sockets[s], PollFlags::IN));
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
        for (i, server) in servers.iter().enumerate() {
            if !ready[i + 1] {
                continue;
            }
            loop {
                let got = st.sockets[server].recv(&mut buf);
                match got {
                    Ok(n) => match wire::parse(buf[..n].to_vec()) {
                        Ok(r) => st.answer(*server, r),
                        // A malformed answer to a query in flight fails that try, as in c-ares.
                        Err(_) => {
                            if let Some(id) = wire::id_of(&buf[..n]) {
                                st.malformed(*server, id);
                            }
                        }
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                        let ids: Vec<u16> = st
                            .flights
                            .iter()
                            .filter(|(_, f)| f.server == *server)
                            .map(|(id, _)| *id)
                            .collect();
                        for id in ids {
                            let f = st.flights.remove(&id).expect("present");
                            st.retry(f, "ECONNREFUSED");
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
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
                st.retry(f, "ETIMEOUT");
            }
        }
    }
}
