//! The primary's side (Node's `lib/internal/cluster/primary.js`, `round_robin_handle.js` and
//! `shared_handle.js`): forking workers, their `Worker` objects and events, and the listening
//! handles workers ask for with `queryServer`.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::os::fd::OwnedFd;
use std::rc::Rc;

use nodestd_child_process::fork::{self as cp_fork, ForkOptions, Handle, InternalMessage};
use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::spawn::{ChildProcess, Exit};
use nodestd_child_process::sync::SyncOptions;
use nodestd_events::EventEmitter;
use nodestd_loop as nd;
use nodestd_net as net;

use crate::wire::{self, Peer};
use crate::{
    ClusterDisconnect, ClusterExit, ClusterFork, ClusterListening, ClusterMessage, ClusterOnline,
    ListenAddress, SchedulingPolicy, Settings, Setup, WorkerDisconnect, WorkerExit,
    WorkerListening, WorkerMessage, WorkerOnline,
};

/// A worker as the primary sees it (Node's `Worker` in the primary). Cheap to clone.
#[derive(Clone)]
pub struct Worker {
    inner: Rc<WorkerInner>,
}

struct WorkerInner {
    id: u32,
    process: ChildProcess,
    em: EventEmitter,
    state: Cell<&'static str>,
    exited_after_disconnect: Cell<Option<bool>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.id())
            .field("state", &self.state())
            .finish()
    }
}

impl PartialEq for Worker {
    fn eq(&self, other: &Worker) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Worker {
    /// `worker.id`: 1, 2, ... in fork order, never reused.
    pub fn id(&self) -> u32 {
        self.inner.id
    }

    /// `worker.process`.
    pub fn process(&self) -> &ChildProcess {
        &self.inner.process
    }

    /// The worker's own emitter: `online`, `listening`, `message`, `disconnect`, `exit`.
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    /// `worker.state`: `none`, `online`, `listening`, `disconnected`, `dead`.
    pub fn state(&self) -> &'static str {
        self.inner.state.get()
    }

    /// `worker.send(message)`.
    pub fn send(&self, message: &Value) -> bool {
        self.inner.process.send(message)
    }

    /// `worker.kill(signal)` (`destroy`): a connected worker is disconnected first and killed
    /// once the channel closes, as in Node.
    pub fn kill(&self, signal: i32) {
        if self.is_connected() {
            let p = self.inner.process.clone();
            self.inner.em.once(WorkerDisconnect, move |_| {
                p.kill(signal);
            });
            self.disconnect();
        } else {
            self.inner.process.kill(signal);
        }
    }

    /// `worker.disconnect()`: the worker closes its servers (in-flight requests finish) and
    /// then its channel; it leaves the workers map at once.
    pub fn disconnect(&self) -> &Worker {
        self.inner.exited_after_disconnect.set(Some(true));
        wire::send(
            Peer::Child(&self.inner.process),
            &[("act", Value::string("disconnect"))],
            None,
            None,
        );
        remove_handles_for_worker(self);
        remove_worker(self);
        self
    }

    /// `worker.isConnected()`.
    #[doc(alias = "isConnected")]
    pub fn is_connected(&self) -> bool {
        self.inner.process.connected()
    }

    /// `worker.isDead()`.
    #[doc(alias = "isDead")]
    pub fn is_dead(&self) -> bool {
        self.inner.process.exit_code().is_some() || self.inner.process.signal_code().is_some()
    }

    /// `worker.exitedAfterDisconnect`: `None` until the worker disconnects or exits; then
    /// whether it was through `disconnect()` (or `kill`).
    pub fn exited_after_disconnect(&self) -> Option<bool> {
        self.inner.exited_after_disconnect.get()
    }
}

/// A listening handle in the primary, per `queryServer` key.
enum ServerHandle {
    RoundRobin(Rc<RoundRobin>),
    Shared(Shared),
}

/// `RoundRobinHandle`: the primary accepts; each connection goes to the next free worker.
struct RoundRobin {
    key: String,
    server: net::Server,
    address: Option<net::Address>,
    all: RefCell<BTreeMap<u32, Worker>>,
    /// `this.free`: workers ready for a connection, in the order they became free.
    free: RefCell<VecDeque<Worker>>,
    /// `this.handles`: accepted connections waiting for a free worker.
    pending: RefCell<VecDeque<OwnedFd>>,
    /// This side's copy of the connection each worker was handed and has not answered for
    /// (Node keeps it in the reply callback): sent to another worker if refused, closed
    /// when the worker dies.
    inflight: RefCell<HashMap<u32, OwnedFd>>,
}

/// `SharedHandle`: one listening socket every worker accepts on.
struct Shared {
    fd: Option<OwnedFd>,
    errno: i32,
    workers: Vec<u32>,
}

#[derive(Default)]
struct PrimaryState {
    settings: Option<Settings>,
    next_id: u32,
    workers: BTreeMap<u32, Worker>,
    handles: HashMap<String, ServerHandle>,
    policy: Option<SchedulingPolicy>,
    disconnect_waiters: Vec<Box<dyn FnOnce()>>,
}

thread_local! {
    static PRIMARY: RefCell<PrimaryState> = RefCell::default();
    static EMITTER: EventEmitter = EventEmitter::new();
}

/// The cluster's emitter (`cluster.on(...)`).
pub fn emitter() -> EventEmitter {
    EMITTER.with(Clone::clone)
}

/// `cluster.schedulingPolicy`: set before the first `fork`, else from
/// `NODE_CLUSTER_SCHED_POLICY` (`rr` or `none`), else round-robin.
pub fn scheduling_policy() -> SchedulingPolicy {
    if let Some(p) = PRIMARY.with(|s| s.borrow().policy) {
        return p;
    }
    let p = match std::env::var("NODE_CLUSTER_SCHED_POLICY").as_deref() {
        Ok("none") => SchedulingPolicy::None,
        _ => SchedulingPolicy::RoundRobin,
    };
    PRIMARY.with(|s| s.borrow_mut().policy = Some(p));
    p
}

/// `cluster.schedulingPolicy = policy`.
pub fn set_scheduling_policy(policy: SchedulingPolicy) {
    PRIMARY.with(|s| s.borrow_mut().policy = Some(policy));
}

/// `cluster.setupPrimary(settings)`: `exec` (default the current program), `args` (default
/// this program's arguments), `silent`. Emits `setup` on the next tick.
#[doc(alias = "setupPrimary")]
pub fn setup_primary(settings: Settings) {
    PRIMARY.with(|s| s.borrow_mut().settings = Some(settings.clone()));
    nd::next_tick(move || {
        let _ = emitter().emit(Setup, settings);
    });
}

/// `cluster.settings`.
pub fn settings() -> Settings {
    PRIMARY
        .with(|s| s.borrow().settings.clone())
        .unwrap_or_default()
}

/// `cluster.workers`, in id order.
pub fn workers() -> Vec<Worker> {
    PRIMARY.with(|s| s.borrow().workers.values().cloned().collect())
}

/// `cluster.fork(env)`: re-executes the program (`settings().exec`) as a worker with
/// `NODE_UNIQUE_ID` set and `env` added to the process crate's environment. Must run on the
/// loop.
pub fn fork(env: &[(&str, &str)]) -> Worker {
    if PRIMARY.with(|s| s.borrow().settings.is_none()) {
        setup_primary(Settings::default());
    }
    let _ = scheduling_policy();
    let settings = settings();
    let id = PRIMARY.with(|s| {
        let mut s = s.borrow_mut();
        s.next_id += 1;
        s.next_id
    });
    let mut vars = nodestd_process::env::vars();
    for (k, v) in env {
        vars.retain(|(name, _)| name != k);
        vars.push(((*k).into(), (*v).into()));
    }
    vars.retain(|(name, _)| name != "NODE_UNIQUE_ID");
    vars.push(("NODE_UNIQUE_ID".into(), id.to_string().into()));
    let exec = settings.exec.clone().unwrap_or_else(|| {
        std::env::current_exe()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let args = settings
        .args
        .clone()
        .unwrap_or_else(|| std::env::args().skip(1).collect());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let process = cp_fork::fork_exec(
        &exec,
        &argv,
        ForkOptions {
            base: SyncOptions {
                env: Some(vars),
                ..SyncOptions::default()
            },
            silent: settings.silent,
            ..ForkOptions::default()
        },
    );
    let worker = Worker {
        inner: Rc::new(WorkerInner {
            id,
            process: process.clone(),
            em: EventEmitter::new(),
            state: Cell::new("none"),
            exited_after_disconnect: Cell::new(None),
        }),
    };
    let w = worker.clone();
    process.emitter().on(cp_fork::Message, move |(m, h)| {
        let _ = w.inner.em.emit(WorkerMessage, (m.clone(), h.clone()));
        let _ = emitter().emit(ClusterMessage, (w.clone(), m.clone(), h.clone()));
    });
    let w = worker.clone();
    process.emitter().once(Exit, move |(code, signal)| {
        drop_inflight(w.id());
        if !w.is_connected() {
            remove_handles_for_worker(&w);
            remove_worker(&w);
        }
        let ead = w.inner.exited_after_disconnect.get().unwrap_or(false);
        w.inner.exited_after_disconnect.set(Some(ead));
        w.inner.state.set("dead");
        let _ = w.inner.em.emit(WorkerExit, (*code, *signal));
        let _ = emitter().emit(ClusterExit, (w.clone(), *code, *signal));
    });
    let w = worker.clone();
    process.emitter().once(cp_fork::Disconnect, move |_| {
        remove_handles_for_worker(&w);
        if w.is_dead() {
            remove_worker(&w);
        }
        let ead = w.inner.exited_after_disconnect.get().unwrap_or(false);
        w.inner.exited_after_disconnect.set(Some(ead));
        w.inner.state.set("disconnected");
        let _ = w.inner.em.emit(WorkerDisconnect, ());
        let _ = emitter().emit(ClusterDisconnect, w.clone());
    });
    let w = worker.clone();
    process.emitter().on(InternalMessage, move |(m, h)| {
        if !wire::is_cluster(m) {
            return;
        }
        if let Some(reply) = wire::take_reply(m) {
            reply(m, h.as_ref());
            return;
        }
        on_message(&w, m);
    });
    PRIMARY.with(|s| s.borrow_mut().workers.insert(id, worker.clone()));
    let w = worker.clone();
    nd::next_tick(move || {
        let _ = emitter().emit(ClusterFork, w);
    });
    worker
}

/// `cluster.disconnect(cb)`: every connected worker disconnects; `cb` once none is left.
pub fn disconnect(cb: Option<Box<dyn FnOnce()>>) {
    let workers = workers();
    if let Some(cb) = cb {
        PRIMARY.with(|s| s.borrow_mut().disconnect_waiters.push(cb));
    }
    if workers.is_empty() {
        nd::next_tick(run_disconnect_waiters);
        return;
    }
    for w in workers {
        if w.is_connected() {
            w.disconnect();
        }
    }
}

fn run_disconnect_waiters() {
    let waiters = PRIMARY.with(|s| std::mem::take(&mut s.borrow_mut().disconnect_waiters));
    for w in waiters {
        w();
    }
}

fn remove_worker(w: &Worker) {
    let empty = PRIMARY.with(|s| {
        let mut s = s.borrow_mut();
        s.workers.remove(&w.id());
        s.workers.is_empty()
    });
    if empty {
        run_disconnect_waiters();
    }
}

fn remove_handles_for_worker(w: &Worker) {
    let keys: Vec<String> = PRIMARY.with(|s| s.borrow().handles.keys().cloned().collect());
    for key in keys {
        remove_from_handle(&key, w.id());
    }
}

/// `handle.remove(worker)`, and the handle forgotten once its last worker left.
fn remove_from_handle(key: &str, id: u32) {
    PRIMARY.with(|s| {
        let mut s = s.borrow_mut();
        let gone = match s.handles.get_mut(key) {
            Some(ServerHandle::RoundRobin(rr)) => rr.remove(id),
            Some(ServerHandle::Shared(sh)) => sh.remove(id),
            None => false,
        };
        if gone {
            s.handles.remove(key);
        }
    });
}

/// A dead worker never answers for the connection it was handed: this side's copy closes,
/// so the client sees the connection end instead of hanging.
fn drop_inflight(id: u32) {
    let rrs: Vec<Rc<RoundRobin>> = PRIMARY.with(|s| {
        s.borrow()
            .handles
            .values()
            .filter_map(|h| match h {
                ServerHandle::RoundRobin(rr) => Some(Rc::clone(rr)),
                ServerHandle::Shared(_) => None,
            })
            .collect()
    });
    for rr in rrs {
        drop(rr.inflight.borrow_mut().remove(&id));
    }
}

fn on_message(w: &Worker, m: &Value) {
    match wire::act(m).as_str() {
        "online" => {
            w.inner.state.set("online");
            let _ = w.inner.em.emit(WorkerOnline, ());
            let _ = emitter().emit(ClusterOnline, w.clone());
        }
        "queryServer" => query_server(w, m),
        "listening" => {
            let info = ListenAddress {
                address: wire::string(m, "address"),
                port: wire::int(m, "port").unwrap_or(0) as u16,
                address_type: wire::int(m, "addressType").unwrap_or(4) as u8,
            };
            w.inner.state.set("listening");
            let _ = w.inner.em.emit(WorkerListening, info.clone());
            let _ = emitter().emit(ClusterListening, (w.clone(), info));
        }
        "exitedAfterDisconnect" => {
            w.inner.exited_after_disconnect.set(Some(true));
            if let Some(seq) = m.get("seq") {
                wire::send(
                    Peer::Child(&w.inner.process),
                    &[("ack", seq.clone())],
                    None,
                    None,
                );
            }
        }
        "close" => remove_from_handle(&wire::string(m, "key").unwrap_or_default(), w.id()),
        _ => {}
    }
}

/// Node's `key` of a `queryServer`: `address:port:addressType:fd:index`.
fn key_of(m: &Value) -> String {
    let show = |k: &str| match m.get(k) {
        None => "undefined".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::String(s)) => s.to_string_lossy(),
        Some(v) => v.to_json(),
    };
    format!(
        "{}:{}:{}:{}:{}",
        show("address"),
        show("port"),
        show("addressType"),
        show("fd"),
        show("index")
    )
}

/// Binds the address a worker asked for (Node's `_createServerHandle`): the socket is bound
/// and listening (std's listen), close-on-exec; or the positive errno.
fn bind(m: &Value) -> Result<OwnedFd, i32> {
    let port = wire::int(m, "port").unwrap_or(0) as u16;
    let ip: IpAddr = match wire::string(m, "address").as_deref() {
        Some("localhost") => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(a) => a.parse().map_err(|_| 22)?,
        None if wire::int(m, "addressType") == Some(6) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    };
    TcpListener::bind(SocketAddr::new(ip, port))
        .map(OwnedFd::from)
        .map_err(|e| e.raw_os_error().unwrap_or(22))
}

fn query_server(w: &Worker, m: &Value) {
    if w.inner.exited_after_disconnect.get() == Some(true) {
        return;
    }
    let key = key_of(m);
    let seq = m.get("seq").cloned().unwrap_or(Value::Null);
    let policy = scheduling_policy();
    let exists = PRIMARY.with(|s| s.borrow().handles.contains_key(&key));
    if !exists {
        let h = match (policy, bind(m)) {
            (SchedulingPolicy::RoundRobin, Ok(fd)) => RoundRobin::start(&key, fd),
            (SchedulingPolicy::RoundRobin, Err(errno)) => ServerHandle::Shared(Shared {
                fd: None,
                errno,
                workers: Vec::new(),
            }),
            (SchedulingPolicy::None, r) => ServerHandle::Shared(Shared {
                errno: r.as_ref().err().copied().unwrap_or(0),
                fd: r.ok(),
                workers: Vec::new(),
            }),
        };
        PRIMARY.with(|s| s.borrow_mut().handles.insert(key.clone(), h));
    }
    // handle.add(worker, send)
    enum Added {
        Rr(Rc<RoundRobin>),
        Shared(i32, Option<OwnedFd>),
    }
    let added = PRIMARY.with(|s| {
        let mut s = s.borrow_mut();
        match s.handles.get_mut(&key) {
            Some(ServerHandle::RoundRobin(rr)) => {
                rr.all.borrow_mut().insert(w.id(), w.clone());
                Added::Rr(Rc::clone(rr))
            }
            Some(ServerHandle::Shared(sh)) => {
                sh.workers.push(w.id());
                let dup = sh.fd.as_ref().and_then(|fd| fd.try_clone().ok());
                Added::Shared(sh.errno, dup)
            }
            None => Added::Shared(22, None),
        }
    });
    let mut reply = vec![
        ("errno", Value::Null),
        ("key", Value::string(&key)),
        ("ack", seq),
        ("data", Value::Null),
    ];
    match added {
        Added::Rr(rr) => {
            reply[0].1 = Value::Number(0.0);
            if let Some(net::Address::Inet {
                address,
                family,
                port,
            }) = &rr.address
            {
                let mut sn = Object::new();
                sn.insert("address", Value::string(address));
                sn.insert("family", Value::string(family.as_str()));
                sn.insert("port", Value::Number(f64::from(*port)));
                reply.push(("sockname", Value::Object(sn)));
            }
            wire::send(Peer::Child(&w.inner.process), &reply, None, None);
            rr.handoff(w);
        }
        Added::Shared(errno, fd) => {
            if errno != 0 {
                // Node sends libuv's negative errno, and forgets the key so others may retry.
                reply[0].1 = Value::Number(-f64::from(errno));
                PRIMARY.with(|s| s.borrow_mut().handles.remove(&key));
            } else {
                reply[0].1 = Value::Number(0.0);
            }
            let handle = fd.map(cp_fork::SendHandle::Native);
            wire::send(Peer::Child(&w.inner.process), &reply, handle, None);
        }
    }
}

impl Shared {
    fn remove(&mut self, id: u32) -> bool {
        let before = self.workers.len();
        self.workers.retain(|&w| w != id);
        if self.workers.len() == before {
            return false;
        }
        if self.workers.is_empty() {
            self.fd = None;
            return true;
        }
        false
    }
}

impl RoundRobin {
    fn start(key: &str, fd: OwnedFd) -> ServerHandle {
        let server = net::Server::new(net::ServerOptions {
            pause_on_connect: true,
            ..net::ServerOptions::default()
        });
        let _ = server.listen(net::ListenOptions::fd(fd), None);
        let rr = Rc::new(RoundRobin {
            key: key.to_owned(),
            server: server.clone(),
            address: server.address(),
            all: RefCell::default(),
            free: RefCell::default(),
            pending: RefCell::default(),
            inflight: RefCell::default(),
        });
        let weak = Rc::downgrade(&rr);
        server.on_connection(move |sock| {
            let Some(hand) = sock.into_owned_fd() else {
                return;
            };
            if let Some(rr) = weak.upgrade() {
                rr.distribute(hand.fd);
            }
        });
        ServerHandle::RoundRobin(rr)
    }

    /// `distribute`: queue the connection; hand it to the first free worker.
    fn distribute(self: &Rc<Self>, fd: OwnedFd) {
        self.pending.borrow_mut().push_back(fd);
        let free = self.free.borrow_mut().pop_front();
        if let Some(w) = free {
            self.handoff(&w);
        }
    }

    /// `handoff`: the next waiting connection to `w` as `newconn`; on the worker's answer,
    /// the next one (or back to the queue if it did not accept).
    fn handoff(self: &Rc<Self>, w: &Worker) {
        if !self.all.borrow().contains_key(&w.id()) {
            return;
        }
        let next = self.pending.borrow_mut().pop_front();
        let Some(fd) = next else {
            self.free.borrow_mut().push_back(w.clone());
            return;
        };
        if let Ok(copy) = fd.try_clone() {
            self.inflight.borrow_mut().insert(w.id(), copy);
        }
        let rr = Rc::clone(self);
        let worker = w.clone();
        wire::send(
            Peer::Child(&w.inner.process),
            &[
                ("act", Value::string("newconn")),
                ("key", Value::string(&self.key)),
            ],
            Some(cp_fork::SendHandle::Native(fd)),
            Some(Box::new(move |reply: &Value, _: Option<&Handle>| {
                let accepted = matches!(reply.get("accepted"), Some(Value::Bool(true)));
                let copy = rr.inflight.borrow_mut().remove(&worker.id());
                if let (false, Some(fd)) = (accepted, copy) {
                    rr.distribute(fd);
                }
                rr.handoff(&worker);
            })),
        );
    }

    /// `remove`: true when the last worker left and the listening socket closed.
    fn remove(&self, id: u32) -> bool {
        if self.all.borrow_mut().remove(&id).is_none() {
            return false;
        }
        self.free.borrow_mut().retain(|w| w.id() != id);
        if !self.all.borrow().is_empty() {
            return false;
        }
        self.pending.borrow_mut().clear();
        self.server.close(None);
        true
    }
}
