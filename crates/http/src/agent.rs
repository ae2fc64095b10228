//! `http.Agent` (`lib/_http_agent.js`): sockets per origin name, keep-alive pooling of free
//! sockets (`lifo` by default), `maxSockets` / `maxTotalSockets` queueing, `maxFreeSockets`,
//! the agent's `timeout` on free sockets, and the global agent.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::rc::{Rc, Weak};

use nodestd_net::{self as net, ConnectTarget, LookupFn, Socket, SocketOptions};
use nodestd_stream::{Chunk, Duplex};

use crate::client::ClientRequest;

/// `scheduling`: which free socket is reused first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scheduling {
    /// The most recently freed (Node 20's default).
    #[default]
    Lifo,
    /// The least recently freed.
    Fifo,
}

/// `new http.Agent(options)`'s options, with Node's defaults.
#[derive(Debug, Clone)]
pub struct AgentOptions {
    /// `keepAlive` (default false; the global agent's is true).
    pub keep_alive: bool,
    /// `keepAliveMsecs` (default 1000): the TCP keep-alive delay of free sockets.
    pub keep_alive_msecs: u64,
    /// `maxSockets` per origin (`None` is Infinity).
    pub max_sockets: Option<usize>,
    /// `maxFreeSockets` per origin (default 256).
    pub max_free_sockets: usize,
    /// `maxTotalSockets` (`None` is Infinity).
    pub max_total_sockets: Option<usize>,
    /// `timeout` in ms for the agent's sockets (the global agent's is 5000).
    pub timeout: Option<u64>,
    /// `scheduling` (default `lifo`).
    pub scheduling: Scheduling,
}

impl Default for AgentOptions {
    fn default() -> AgentOptions {
        AgentOptions {
            keep_alive: false,
            keep_alive_msecs: 1000,
            max_sockets: None,
            max_free_sockets: 256,
            max_total_sockets: None,
            timeout: None,
            scheduling: Scheduling::Lifo,
        }
    }
}

/// How a socket for an origin is made: `agent.createConnection(options)`.
#[derive(Clone, Default)]
pub(crate) struct ConnectParams {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) socket_path: Option<PathBuf>,
    pub(crate) family: u8,
    pub(crate) lookup: Option<LookupFn>,
    /// For https: wraps the TCP socket into a TLS stream.
    pub(crate) tls: Option<crate::https::TlsConnect>,
}

/// One connection of an agent: the byte stream (the socket itself, or TLS over it) and the
/// TCP socket under it, with the request it serves now (`socket._httpMessage`).
pub(crate) struct Conn {
    pub(crate) stream: Duplex,
    pub(crate) tcp: Socket,
    pub(crate) name: String,
    agent: Weak<AgentInner>,
    pub(crate) buf: RefCell<Vec<u8>>,
    pub(crate) owner: RefCell<Option<ClientRequest>>,
    removed: Cell<bool>,
}

impl Conn {
    /// `socket.destroySoon()`: end, then destroy once the end has flushed.
    pub(crate) fn destroy_soon(&self) {
        if self.stream.writable_ended() || self.stream.destroyed() {
            self.stream.destroy(None);
            return;
        }
        let s = self.stream.clone();
        self.stream.once_finish(move || s.destroy(None));
        self.stream.end();
    }
}

pub(crate) struct AgentInner {
    opts: AgentOptions,
    sockets: RefCell<HashMap<String, Vec<Rc<Conn>>>>,
    free: RefCell<HashMap<String, Vec<Rc<Conn>>>>,
    requests: RefCell<HashMap<String, VecDeque<(ClientRequest, ConnectParams)>>>,
    total: Cell<usize>,
}

/// `http.Agent`. Cheap to clone (every clone is the same agent).
#[derive(Clone)]
pub struct Agent {
    pub(crate) inner: Rc<AgentInner>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("options", &self.inner.opts)
            .finish()
    }
}

thread_local! {
    /// http's and https's global agents.
    static GLOBAL: RefCell<[Option<Agent>; 2]> = const { RefCell::new([None, None]) };
}

/// `http.globalAgent`: Node 20's is `keepAlive: true`, `timeout: 5000`, `scheduling: 'lifo'`.
pub fn global_agent() -> Agent {
    global_for(false)
}

/// The global agent of http or (with `https`) of https, made on first use.
pub(crate) fn global_for(https: bool) -> Agent {
    GLOBAL.with(|g| {
        g.borrow_mut()[usize::from(https)]
            .get_or_insert_with(|| {
                Agent::new(AgentOptions {
                    keep_alive: true,
                    timeout: Some(5000),
                    ..AgentOptions::default()
                })
            })
            .clone()
    })
}

impl Agent {
    /// `new http.Agent(options)`.
    pub fn new(opts: AgentOptions) -> Agent {
        Agent {
            inner: Rc::new(AgentInner {
                opts,
                sockets: RefCell::default(),
                free: RefCell::default(),
                requests: RefCell::default(),
                total: Cell::new(0),
            }),
        }
    }

    /// The options the agent was made with.
    pub fn options(&self) -> &AgentOptions {
        &self.inner.opts
    }

    /// `agent.keepAlive`.
    pub fn keep_alive(&self) -> bool {
        self.inner.opts.keep_alive
    }

    /// `agent.sockets[name].length`: sockets in use for an origin name.
    pub fn sockets_count(&self, name: &str) -> usize {
        self.inner.sockets.borrow().get(name).map_or(0, Vec::len)
    }

    /// `agent.freeSockets[name].length`.
    pub fn free_sockets_count(&self, name: &str) -> usize {
        self.inner.free.borrow().get(name).map_or(0, Vec::len)
    }

    /// `agent.requests[name].length`: requests waiting for a socket.
    pub fn requests_count(&self, name: &str) -> usize {
        self.inner
            .requests
            .borrow()
            .get(name)
            .map_or(0, VecDeque::len)
    }

    /// `agent.totalSocketCount`.
    pub fn total_socket_count(&self) -> usize {
        self.inner.total.get()
    }

    /// `agent.getName({ host, port, family })`: `host:port:` (plus `:family` for 4 or 6).
    #[doc(alias = "getName")]
    pub fn get_name(host: &str, port: u16, family: u8) -> String {
        let mut name = format!("{host}:{port}:");
        if family == 4 || family == 6 {
            name.push_str(&format!(":{family}"));
        }
        name
    }

    /// `agent.destroy()`: destroys every socket, in use or free.
    pub fn destroy(&self) {
        let all: Vec<Rc<Conn>> = {
            let s = self.inner.sockets.borrow();
            let f = self.inner.free.borrow();
            s.values().chain(f.values()).flatten().cloned().collect()
        };
        for c in all {
            c.stream.destroy(None);
        }
    }

    /// `agent.addRequest(req, options)`.
    pub(crate) fn add_request(&self, req: &ClientRequest, name: String, params: ConnectParams) {
        let free = {
            let mut free = self.inner.free.borrow_mut();
            let list = free.get_mut(&name);
            let conn = list.and_then(|l| match self.inner.opts.scheduling {
                Scheduling::Lifo => l.pop(),
                Scheduling::Fifo => (!l.is_empty()).then(|| l.remove(0)),
            });
            if free.get(&name).is_some_and(Vec::is_empty) {
                free.remove(&name);
            }
            conn
        };
        if let Some(conn) = free {
            // `reuseSocket`.
            conn.tcp.ref_();
            self.inner
                .sockets
                .borrow_mut()
                .entry(name)
                .or_default()
                .push(Rc::clone(&conn));
            req.on_socket(conn, true);
            return;
        }
        let in_use = self.sockets_count(&name);
        let below_max = self.inner.opts.max_sockets.is_none_or(|m| in_use < m);
        let below_total = self
            .inner
            .opts
            .max_total_sockets
            .is_none_or(|m| self.inner.total.get() < m);
        if below_max && below_total {
            let conn = self.create_socket(&name, &params);
            req.on_socket(conn, false);
        } else {
            self.inner
                .requests
                .borrow_mut()
                .entry(name)
                .or_default()
                .push_back((req.clone(), params));
        }
    }

    /// `agent.createSocket`: a connection with the agent's listeners on it (`free`,
    /// `close`, `timeout` of a free socket).
    fn create_socket(&self, name: &str, params: &ConnectParams) -> Rc<Conn> {
        let opts = SocketOptions {
            family: params.family,
            lookup: params.lookup.clone(),
            timeout: self.inner.opts.timeout,
            no_delay: true,
            ..SocketOptions::default()
        };
        let target = match &params.socket_path {
            Some(p) => ConnectTarget::Path(p.clone()),
            None => ConnectTarget::Tcp {
                port: params.port,
                host: Some(params.host.clone()),
            },
        };
        let tcp = net::connect(target, opts);
        if params.socket_path.is_none() {
            tcp.set_no_delay(true);
        }
        let stream = match &params.tls {
            Some(tls) => crate::https::wrap(&tcp, tls, &params.host),
            None => tcp.stream().clone(),
        };
        let conn = Rc::new(Conn {
            stream,
            tcp,
            name: name.to_owned(),
            agent: Rc::downgrade(&self.inner),
            buf: RefCell::new(Vec::new()),
            owner: RefCell::new(None),
            removed: Cell::new(false),
        });
        self.inner.total.set(self.inner.total.get() + 1);
        self.inner
            .sockets
            .borrow_mut()
            .entry(name.to_owned())
            .or_default()
            .push(Rc::clone(&conn));
        install_listeners(&conn);
        conn
    }
}

/// The connection's listeners, installed once: each event goes to the request the socket
/// serves now, or to the agent when it is free.
fn install_listeners(conn: &Rc<Conn>) {
    let w = Rc::downgrade(conn);
    conn.stream.on_data(move |chunk: &Chunk| {
        if let Some(c) = w.upgrade() {
            c.buf.borrow_mut().extend_from_slice(chunk.as_bytes());
            let owner = c.owner.borrow().clone();
            match owner {
                Some(req) => req.on_conn_data(&c),
                // Data on a free socket: Node's parser is gone; the bytes are dropped.
                None => c.buf.borrow_mut().clear(),
            }
        }
    });
    let w = Rc::downgrade(conn);
    conn.stream.on_end(move || {
        if let Some(c) = w.upgrade() {
            let owner = c.owner.borrow().clone();
            if let Some(req) = owner {
                req.on_conn_end(&c);
            } else {
                c.stream.destroy(None);
            }
        }
    });
    let w = Rc::downgrade(conn);
    conn.stream.on_error(move |e| {
        if let Some(c) = w.upgrade() {
            let owner = c.owner.borrow().clone();
            if let Some(req) = owner {
                req.on_conn_error(e);
            }
        }
    });
    let w = Rc::downgrade(conn);
    conn.tcp.on_timeout(move || {
        if let Some(c) = w.upgrade() {
            let owner = c.owner.borrow().clone();
            match owner {
                Some(req) => req.on_conn_timeout(),
                // A free socket that timed out is destroyed (`onTimeout`).
                None => c.stream.destroy(None),
            }
        }
    });
    // The TCP socket's close comes after the TLS stream's; both end the connection.
    let w = Rc::downgrade(conn);
    conn.tcp.on_close(move || {
        if let Some(c) = w.upgrade() {
            let owner = c.owner.borrow_mut().take();
            if let Some(req) = owner {
                req.on_conn_close(&c);
            }
            remove_socket(&c);
        }
    });
    if conn.stream.id() != conn.tcp.stream().id() {
        // TLS: the TLS stream's destruction destroys the TCP socket.
        let tcp = conn.tcp.clone();
        conn.stream.on_close(move || tcp.destroy(None));
    }
}

/// `agent.removeSocket`: forgets a closed socket; a waiting request may get a new one.
fn remove_socket(conn: &Rc<Conn>) {
    if conn.removed.replace(true) {
        return;
    }
    let Some(inner) = conn.agent.upgrade() else {
        return;
    };
    let agent = Agent { inner };
    for map in [&agent.inner.sockets, &agent.inner.free] {
        let mut m = map.borrow_mut();
        if let Some(list) = m.get_mut(&conn.name) {
            list.retain(|c| !Rc::ptr_eq(c, conn));
            if list.is_empty() {
                m.remove(&conn.name);
            }
        }
    }
    agent
        .inner
        .total
        .set(agent.inner.total.get().saturating_sub(1));
    // A waiting request of this origin first, else (maxTotalSockets) of another.
    let next_name = {
        let reqs = agent.inner.requests.borrow();
        if reqs.get(&conn.name).is_some_and(|q| !q.is_empty()) {
            Some(conn.name.clone())
        } else {
            reqs.iter()
                .find(|(_, q)| !q.is_empty())
                .map(|(n, _)| n.clone())
        }
    };
    if let Some(name) = next_name {
        let next = {
            let mut reqs = agent.inner.requests.borrow_mut();
            let q = reqs.get_mut(&name);
            let r = q.and_then(VecDeque::pop_front);
            if reqs.get(&name).is_some_and(VecDeque::is_empty) {
                reqs.remove(&name);
            }
            r
        };
        if let Some((req, params)) = next {
            let c = agent.create_socket(&name, &params);
            req.on_socket(c, false);
        }
    }
}

/// The socket's `free` event: the request is done with it (`agent.on('free')`).
pub(crate) fn on_free(conn: &Rc<Conn>, keep_alive_hint: Option<u64>) {
    let Some(inner) = conn.agent.upgrade() else {
        conn.stream.destroy(None);
        return;
    };
    let agent = Agent { inner };
    if conn.stream.destroyed() {
        return;
    }
    // A request waiting for this origin takes the socket at once.
    let next = {
        let mut reqs = agent.inner.requests.borrow_mut();
        let r = reqs.get_mut(&conn.name).and_then(VecDeque::pop_front);
        if reqs.get(&conn.name).is_some_and(VecDeque::is_empty) {
            reqs.remove(&conn.name);
        }
        r
    };
    if let Some((req, _)) = next {
        conn.tcp.ref_();
        req.on_socket(Rc::clone(conn), true);
        return;
    }
    let opts = &agent.inner.opts;
    let free_len = agent.free_sockets_count(&conn.name);
    // `keepSocketAlive`: a `Keep-Alive: timeout=N` hint of N s keeps it N-1 s at most.
    let mut timeout = opts.timeout.unwrap_or(0);
    let mut can_keep = opts.keep_alive && free_len < opts.max_free_sockets;
    if let Some(hint_s) = keep_alive_hint {
        let hint = (hint_s * 1000).saturating_sub(1000);
        if hint == 0 {
            can_keep = false;
        } else if timeout == 0 || hint < timeout {
            timeout = hint;
        }
    }
    if !can_keep {
        conn.stream.destroy(None);
        return;
    }
    {
        let mut s = agent.inner.sockets.borrow_mut();
        if let Some(list) = s.get_mut(&conn.name) {
            list.retain(|c| !Rc::ptr_eq(c, conn));
            if list.is_empty() {
                s.remove(&conn.name);
            }
        }
    }
    agent
        .inner
        .free
        .borrow_mut()
        .entry(conn.name.clone())
        .or_default()
        .push(Rc::clone(conn));
    conn.tcp.set_keep_alive(true, opts.keep_alive_msecs);
    conn.tcp.unref();
    if conn.tcp.timeout().unwrap_or(0) != timeout {
        conn.tcp.set_timeout(timeout);
    }
}
