//! The worker's side (Node's `lib/internal/cluster/child.js`): `online` at start, `listen`
//! asking the primary (`queryServer`) through nodestd-net's cluster hook, connections handed
//! over by a round-robin primary (`newconn`), and disconnect (servers close, in-flight
//! requests finish, then the channel).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use nodestd_child_process::fork::{Handle, ProcessChannel, process_channel};
use nodestd_child_process::json::Value;
use nodestd_events::{EventEmitter, ListenerId, event};
use nodestd_loop as nd;
use nodestd_net as net;

use crate::wire::{self, Peer};

event!(
    /// The worker side's `'disconnect'` (`cluster.worker.on('disconnect')`).
    pub ChildDisconnect = "disconnect" => ()
);

/// `cluster.worker` in a worker. Cheap to clone.
#[derive(Clone)]
pub struct ChildWorker {
    inner: Rc<ChildInner>,
}

struct ChildInner {
    id: u32,
    channel: ProcessChannel,
    em: EventEmitter,
    exited_after_disconnect: Cell<bool>,
    /// `handles`: this worker's servers by the primary's key.
    servers: RefCell<HashMap<String, net::Server>>,
    /// `indexes`: the next `index` per `address:port:addressType:fd`.
    indexes: RefCell<HashMap<String, u32>>,
}

impl std::fmt::Debug for ChildWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChildWorker")
            .field("id", &self.inner.id)
            .finish()
    }
}

thread_local! {
    static WORKER: RefCell<Option<ChildWorker>> = const { RefCell::new(None) };
}

/// `cluster.worker`: `None` in the primary. The first call sets the worker up on the current
/// loop (Node's `_setupWorker`): `online` goes to the primary, `listen` on a TCP port asks the
/// primary for the handle, and the channel keeps the process alive until the primary
/// disconnects it (an unexpected disconnect exits 0, as Node's worker does).
///
/// # Panics
/// Outside a running loop.
pub fn worker() -> Option<ChildWorker> {
    if let Some(w) = WORKER.with(|w| w.borrow().clone()) {
        return Some(w);
    }
    let id: u32 = std::env::var("NODE_UNIQUE_ID").ok()?.parse().ok()?;
    let channel = process_channel()?;
    let w = ChildWorker {
        inner: Rc::new(ChildInner {
            id,
            channel: channel.clone(),
            em: EventEmitter::new(),
            exited_after_disconnect: Cell::new(false),
            servers: RefCell::default(),
            indexes: RefCell::default(),
        }),
    };
    WORKER.with(|x| *x.borrow_mut() = Some(w.clone()));
    let w2 = w.clone();
    let once = Cell::new(false);
    channel.on_disconnect(move |()| {
        if once.replace(true) {
            return;
        }
        let _ = w2.inner.em.emit(ChildDisconnect, ());
        if !w2.inner.exited_after_disconnect.get() {
            nd::exit(0);
        }
    });
    let w2 = w.clone();
    channel.on_internal_message(move |m, h| {
        if !wire::is_cluster(m) {
            return;
        }
        if let Some(reply) = wire::take_reply(m) {
            reply(m, h);
            return;
        }
        match wire::act(m).as_str() {
            "newconn" => w2.on_connection(m, h),
            "disconnect" => w2.disconnect_inner(true),
            _ => {}
        }
    });
    let w2 = w.clone();
    let hook: net::ClusterHook = Rc::new(move |server, query| w2.get_server(server, query));
    net::set_cluster_hook(Some(hook));
    wire::send(
        Peer::Parent(&channel),
        &[("act", Value::string("online"))],
        None,
        None,
    );
    Some(w)
}

impl ChildWorker {
    /// `worker.id` (`NODE_UNIQUE_ID`).
    pub fn id(&self) -> u32 {
        self.inner.id
    }

    /// The worker side's emitter (`disconnect`).
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    /// `process.send(message)` to the primary (its `message` event).
    pub fn send(&self, message: &Value) -> bool {
        self.inner.channel.send(message)
    }

    /// `process.on('message')`: messages the primary sent with `worker.send`.
    #[doc(alias = "on")]
    pub fn on_message(&self, f: impl Fn(&Value, Option<&Handle>) + 'static) -> ListenerId {
        self.inner.channel.on_message(f)
    }

    /// `worker.isConnected()`.
    #[doc(alias = "isConnected")]
    pub fn is_connected(&self) -> bool {
        self.inner.channel.connected()
    }

    /// `worker.exitedAfterDisconnect`.
    pub fn exited_after_disconnect(&self) -> bool {
        self.inner.exited_after_disconnect.get()
    }

    /// `worker.disconnect()` in the worker: its servers close (in-flight requests finish),
    /// the primary learns it was deliberate, then the channel closes and nothing keeps the
    /// process alive.
    pub fn disconnect(&self) {
        self.disconnect_inner(false);
    }

    /// `_disconnect(primaryInitiated)`.
    fn disconnect_inner(&self, primary_initiated: bool) {
        self.inner.exited_after_disconnect.set(true);
        let servers: Vec<net::Server> = self
            .inner
            .servers
            .borrow_mut()
            .drain()
            .map(|(_, s)| s)
            .collect();
        let waiting = Rc::new(Cell::new(servers.len() + 1));
        let me = self.clone();
        let check: Rc<dyn Fn()> = Rc::new(move || {
            waiting.set(waiting.get() - 1);
            if waiting.get() != 0 {
                return;
            }
            if primary_initiated {
                me.inner.channel.disconnect();
            } else {
                let ch = me.inner.channel.clone();
                wire::send(
                    Peer::Parent(&me.inner.channel),
                    &[("act", Value::string("exitedAfterDisconnect"))],
                    None,
                    Some(Box::new(move |_, _| ch.disconnect())),
                );
            }
        });
        for s in servers {
            let c = Rc::clone(&check);
            close_server(&s, Box::new(move || c()));
        }
        check();
    }

    /// `cluster._getServer`: `queryServer`, then the shared handle or round-robin.
    fn get_server(&self, server: &net::Server, query: net::ClusterQuery) {
        let address = query.address.clone();
        let addr_value = address.as_deref().map_or(Value::Null, Value::string);
        let indexes_key = format!(
            "{}:{}:{}:undefined",
            address.as_deref().unwrap_or("null"),
            query.port,
            query.address_type
        );
        let index = {
            let mut ix = self.inner.indexes.borrow_mut();
            let n = ix.entry(indexes_key).or_insert(0);
            *n += 1;
            *n - 1
        };
        let fields = vec![
            ("act", Value::string("queryServer")),
            ("index", Value::Number(f64::from(index))),
            ("data", Value::Null),
            ("address", addr_value.clone()),
            ("port", Value::Number(f64::from(query.port))),
            ("addressType", Value::Number(f64::from(query.address_type))),
            ("backlog", Value::Number(f64::from(query.backlog))),
        ];
        let me = self.clone();
        let srv = server.clone();
        let q = query.clone();
        wire::send(
            Peer::Parent(&self.inner.channel),
            &fields,
            None,
            Some(Box::new(move |reply, handle| {
                me.on_query_reply(&srv, &q, reply, handle)
            })),
        );
        let me = self.clone();
        let srv = server.clone();
        server
            .emitter()
            .once(nodestd_events::Named::<()>::new("listening"), move |_| {
                let port = srv.port().unwrap_or(query.port);
                wire::send(
                    Peer::Parent(&me.inner.channel),
                    &[
                        ("act", Value::string("listening")),
                        ("index", Value::Number(f64::from(index))),
                        ("data", Value::Null),
                        ("address", addr_value.clone()),
                        ("port", Value::Number(f64::from(port))),
                        ("addressType", Value::Number(f64::from(query.address_type))),
                    ],
                    None,
                    None,
                );
            });
    }

    fn on_query_reply(
        &self,
        server: &net::Server,
        query: &net::ClusterQuery,
        reply: &Value,
        handle: Option<&Handle>,
    ) {
        let errno = wire::int(reply, "errno").unwrap_or(0);
        let key = wire::string(reply, "key").unwrap_or_default();
        if errno != 0 {
            let addr = query.address.clone().unwrap_or_default();
            let e = net::NetError::uv_with_host_port(
                (-errno) as i32,
                "listen",
                &addr,
                Some(i32::from(query.port)),
            );
            server.listen_on_primary(Err(e));
            return;
        }
        self.inner
            .servers
            .borrow_mut()
            .insert(key.clone(), server.clone());
        if let Some(Handle::Native(h)) = handle {
            // Shared handle: accept on the primary's listening socket.
            if let Some(fd) = h.take() {
                let me = self.clone();
                let k = key.clone();
                server.on_close(move || {
                    if me.inner.servers.borrow_mut().remove(&k).is_some() {
                        me.send_close(&k);
                    }
                });
                server.listen_on_primary(Ok(net::PrimaryHandle::Shared(fd)));
                return;
            }
        }
        // Round-robin: a listening server without a socket of its own; a ref'd interval keeps
        // the worker alive as Node's faux handle does.
        let address = sockname(reply.get("sockname"));
        let keep = nd::set_interval(1 << 30, || {});
        let me = self.clone();
        let close = Box::new(move || {
            keep.clear();
            if me.inner.servers.borrow_mut().remove(&key).is_some() {
                me.send_close(&key);
            }
        });
        server.listen_on_primary(Ok(net::PrimaryHandle::RoundRobin { address, close }));
    }

    fn send_close(&self, key: &str) {
        wire::send(
            Peer::Parent(&self.inner.channel),
            &[("act", Value::string("close")), ("key", Value::string(key))],
            None,
            None,
        );
    }

    /// `onconnection`: a round-robin connection for the server under `key`.
    fn on_connection(&self, m: &Value, handle: Option<&Handle>) {
        let key = wire::string(m, "key").unwrap_or_default();
        let server = self.inner.servers.borrow().get(&key).cloned();
        let fd = match handle {
            Some(Handle::Native(h)) => h.take(),
            _ => None,
        };
        let accepted = server.is_some() && fd.is_some();
        if let Some(seq) = m.get("seq") {
            wire::send(
                Peer::Parent(&self.inner.channel),
                &[("ack", seq.clone()), ("accepted", Value::Bool(accepted))],
                None,
                None,
            );
        }
        if let (Some(s), Some(fd)) = (server, fd) {
            s.accept_handed(fd);
        }
    }
}

/// The `sockname` of a round-robin reply as an address.
fn sockname(v: Option<&Value>) -> Option<net::Address> {
    let v = v?;
    let family = match v.get("family").and_then(Value::as_str).as_deref() {
        Some("IPv6") => net::Family::IPv6,
        _ => net::Family::IPv4,
    };
    Some(net::Address::Inet {
        address: v.get("address").and_then(Value::as_str)?,
        family,
        port: v.get("port").and_then(Value::as_f64)? as u16,
    })
}

/// Closes a server as its owner would (the close registered with [`set_close`], else
/// `net.Server.close`), then `done`.
fn close_server(s: &net::Server, done: Box<dyn FnOnce()>) {
    let custom = CLOSERS.with(|c| {
        c.borrow()
            .iter()
            .find(|(srv, _)| srv == s)
            .map(|(_, f)| Rc::clone(f))
    });
    match custom {
        Some(f) => f(done),
        None => {
            let done = RefCell::new(Some(done));
            s.close(Some(Box::new(move |_| {
                if let Some(d) = done.borrow_mut().take() {
                    d();
                }
            })));
        }
    }
}

type Closer = Rc<dyn Fn(Box<dyn FnOnce()>)>;

thread_local! {
    static CLOSERS: RefCell<Vec<(net::Server, Closer)>> = const { RefCell::new(Vec::new()) };
}

/// How the worker's disconnect closes `server` (Node calls the owner's `close`, which for an
/// `http.Server` also closes its idle keep-alive connections): `close(done)` must call `done`
/// once the server has closed. For a server of nodestd-http:
/// `set_close(http.net(), move |done| http.close(done))`.
pub fn set_close(server: &net::Server, close: impl Fn(Box<dyn FnOnce()>) + 'static) {
    CLOSERS.with(|c| c.borrow_mut().push((server.clone(), Rc::new(close))));
}
