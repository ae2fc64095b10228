//! Node.js's [`cluster`](https://nodejs.org/docs/latest-v20.x/api/cluster.html) module for
//! Rust: a primary process forks workers (the same program, re-executed with
//! `NODE_UNIQUE_ID`), and a worker's `net`/`http` server `listen` on a TCP port asks the
//! primary for the handle, so every worker serves the same port.
//!
//! - [`is_primary`] / [`is_worker`]; in the primary [`setup_primary`] (`exec`, `args`,
//!   `silent`), [`fork`], [`workers`], [`disconnect`], [`Worker`] (id, process, send, kill,
//!   disconnect, is_connected, is_dead, exited_after_disconnect) and the events `fork`,
//!   `online`, `listening`, `message`, `disconnect`, `exit`, `setup` on [`emitter`] (each
//!   worker's own on [`Worker::emitter`]); [`respawn`] re-forks a worker that dies unexpectedly,
//!   with a backoff against crash loops.
//! - In a worker, [`worker()`] (Node's `cluster.worker`): it reports `online`, installs
//!   nodestd-net's cluster hook so that `listen` sends `queryServer` to the primary, takes
//!   connections handed over (`newconn`), and disconnects gracefully (servers close, in-flight
//!   requests finish, then the channel).
//! - [`SchedulingPolicy`]: round-robin (the default; the primary accepts and hands each
//!   connection to the next free worker, Node's `RoundRobinHandle`) or `None` (the shared
//!   handle: workers accept on the primary's listening socket), also chosen by
//!   `NODE_CLUSTER_SCHED_POLICY` (`rr` / `none`).
//!
//! The wire is Node's: `NODE_CLUSTER` internal messages with `act` (`online`,
//! `queryServer`, `listening`, `newconn`, `disconnect`, `close`, `exitedAfterDisconnect`),
//! `seq` and `ack`, over child_process's fork channel, handles as `net.Native`.
//!
//! The example `cluster-hello` is issue 17's contract; its Node twin is
//! `tests/node/cluster-hello.js`.
//!
//! No cargo features.
//!
//! ## Platforms
//!
//! Linux is what is tested. Workers are forked through nodestd-child-process (Unix socket
//! pairs with `SCM_RIGHTS` to hand connections and listening sockets over, children reaped
//! through a pidfd or, where `pidfd_open` fails, `SIGCHLD`).
//!
//! ## Deviations from Node
//! - Nothing happens at load time: a worker is set up by the first [`worker()`] call, which
//!   the program makes before it listens (Node's cluster module does it on `require`).
//!   `NODE_UNIQUE_ID` stays in the worker's environment.
//! - A worker's disconnect closes a server with `net::Server::close` unless the program
//!   registered the owner's close with [`set_close`] (an `http` server's close, which also
//!   ends idle keep-alive connections, as Node's `handle[owner_symbol].close()` does).
//! - Only TCP listens go through the primary (no Unix paths, no dgram); `exclusive` listens
//!   bind in the worker. The primary binds with the standard library (`SO_REUSEADDR`).
//! - No `execArgv`, `inspectPort`, `uid`/`gid`, `stdio` or `serialization` settings; `kill`
//!   takes a signal number.
//! - A connection handed to a worker that dies before answering is closed by the primary
//!   (Node keeps its copy open in the pending callback).

mod primary;
mod wire;
mod worker;

use std::time::{Duration, Instant};

use nodestd_child_process::fork::Handle;
use nodestd_child_process::json::Value;
use nodestd_events::event;

pub use primary::{
    Worker, disconnect, emitter, fork, scheduling_policy, set_scheduling_policy, settings,
    setup_primary, workers,
};
pub use worker::{ChildDisconnect, ChildWorker, set_close, worker};

/// `cluster.isPrimary`: `NODE_UNIQUE_ID` is not set.
pub fn is_primary() -> bool {
    std::env::var_os("NODE_UNIQUE_ID").is_none()
}

/// `cluster.isWorker`.
pub fn is_worker() -> bool {
    !is_primary()
}

/// `cluster.schedulingPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedulingPolicy {
    /// `SCHED_NONE`: the shared handle; the operating system spreads the connections.
    None,
    /// `SCHED_RR`: the primary accepts and hands connections out in turn.
    RoundRobin,
}

/// `cluster.settings` (`setupPrimary`'s options).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The program a worker runs; default the current executable.
    pub exec: Option<String>,
    /// Its arguments; default this program's arguments.
    pub args: Option<Vec<String>>,
    /// `silent`: the worker's stdio is piped to the primary instead of inherited.
    pub silent: bool,
}

/// Where a worker listens (the `listening` event's `address`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenAddress {
    /// The host asked for (`None`: every address).
    pub address: Option<String>,
    /// The port.
    pub port: u16,
    /// 4 or 6.
    pub address_type: u8,
}

event!(
    /// `cluster.on('fork', worker)`.
    pub ClusterFork = "fork" => Worker
);
event!(
    /// `cluster.on('online', worker)`.
    pub ClusterOnline = "online" => Worker
);
event!(
    /// `cluster.on('listening', (worker, address))`.
    pub ClusterListening = "listening" => (Worker, ListenAddress)
);
event!(
    /// `cluster.on('message', (worker, message, handle))`.
    pub ClusterMessage = "message" => (Worker, Value, Option<Handle>)
);
event!(
    /// `cluster.on('disconnect', worker)`.
    pub ClusterDisconnect = "disconnect" => Worker
);
event!(
    /// `cluster.on('exit', (worker, code, signal))`.
    pub ClusterExit = "exit" => (Worker, Option<i32>, Option<&'static str>)
);
event!(
    /// `cluster.on('setup', settings)`.
    pub Setup = "setup" => Settings
);
event!(
    /// `worker.on('online')`.
    pub WorkerOnline = "online" => ()
);
event!(
    /// `worker.on('listening', address)`.
    pub WorkerListening = "listening" => ListenAddress
);
event!(
    /// `worker.on('message', (message, handle))`.
    pub WorkerMessage = "message" => (Value, Option<Handle>)
);
event!(
    /// `worker.on('disconnect')`.
    pub WorkerDisconnect = "disconnect" => ()
);
event!(
    /// `worker.on('exit', (code, signal))`.
    pub WorkerExit = "exit" => (Option<i32>, Option<&'static str>)
);

/// How [`respawn`] waits before re-forking: nothing after a worker that lived at least
/// `stable`, then `first`, doubling up to `max` while workers keep dying young.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// A worker that lived this long resets the backoff.
    pub stable: Duration,
    /// The first delay after a young death.
    pub first: Duration,
    /// The longest delay.
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            stable: Duration::from_secs(1),
            first: Duration::from_millis(100),
            max: Duration::from_secs(5),
        }
    }
}

/// Re-forks (with `env`) every worker that exits without `disconnect`/`kill` from the
/// primary (`exitedAfterDisconnect` false), unless the cluster is shutting down (no worker
/// left because of [`disconnect`]), waiting per `backoff` when workers die young.
pub fn respawn(env: Vec<(String, String)>, backoff: Backoff) {
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use std::rc::Rc;
    let born: Rc<RefCell<HashMap<u32, Instant>>> = Rc::default();
    let young = Rc::new(Cell::new(0u32));
    let b = Rc::clone(&born);
    emitter().on(ClusterFork, move |w| {
        b.borrow_mut().insert(w.id(), Instant::now());
    });
    emitter().on(ClusterExit, move |(w, _, _)| {
        let started = born.borrow_mut().remove(&w.id());
        if w.exited_after_disconnect() == Some(true) {
            return;
        }
        let lived = started.map_or(Duration::ZERO, |t| t.elapsed());
        let delay = if lived >= backoff.stable {
            young.set(0);
            Duration::ZERO
        } else {
            let n = young.get();
            young.set(n + 1);
            if n == 0 {
                Duration::ZERO
            } else {
                backoff
                    .first
                    .saturating_mul(1 << (n - 1).min(16))
                    .min(backoff.max)
            }
        };
        let env = env.clone();
        nodestd_loop::set_timeout(delay.as_millis() as u64, move || {
            let pairs: Vec<(&str, &str)> =
                env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            fork(&pairs);
        });
    });
}
