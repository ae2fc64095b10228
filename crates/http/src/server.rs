//! `http.Server`: one parser state per connection (httparse for the head, the body framing
//! and llhttp's refusals hand-written), keep-alive, pipelining and Node's timeouts.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use nodestd_events::{Event, EventEmitter, ListenerId};
use nodestd_net::{self as net, Socket};
use nodestd_stream::Chunk;

use crate::headers::{Headers, latin1};
use crate::request::IncomingMessage;
use crate::response::ServerResponse;

/// `http.createServer(options)`'s limits and timeouts (Node v20's defaults).
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// `headersTimeout` (60 000 ms): a request's head must arrive within it, else 408.
    pub headers_timeout: u64,
    /// `requestTimeout` (300 000 ms): a whole request must arrive within it, else 408.
    pub request_timeout: u64,
    /// `keepAliveTimeout` (5 000 ms): the `Keep-Alive` header's timeout; an idle keep-alive
    /// connection is closed 1 s after it, as Node 20.20 closes it.
    pub keep_alive_timeout: u64,
    /// `connectionsCheckingInterval` (30 000 ms): how often the two timeouts above are checked.
    pub connections_checking_interval: u64,
    /// `maxHeaderSize` (16 KiB): a larger head is refused with 431.
    pub max_header_size: usize,
    /// `maxHeadersCount`: header lines beyond it are dropped from `headers` and
    /// `rawHeaders`. `None` (Node's unset default) keeps 1000 lines: the parser's cap of 2000
    /// `rawHeaders` entries.
    pub max_headers_count: Option<usize>,
    /// `server.maxRequestsPerSocket` (0, no limit): the response to the last allowed request
    /// says `Connection: close`, requests beyond it get 503.
    pub max_requests_per_socket: u32,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            headers_timeout: 60_000,
            request_timeout: 300_000,
            keep_alive_timeout: 5_000,
            connections_checking_interval: 30_000,
            max_header_size: 16 * 1024,
            max_headers_count: None,
            max_requests_per_socket: 0,
        }
    }
}

/// Takes the connection's listeners off its socket.
type Unlisten = Box<dyn FnOnce(&Socket)>;

/// The events of an `http.Server`, for [`Server::on`], [`Server::once`], [`Server::off`]
/// and [`Server::listener_count`] (Node's names and arguments; listeners get the arguments
/// as a tuple, by reference). An http server is a net server: `connection`, `listening`,
/// `close` and `error` are the net server's own events, on the same emitter.
pub mod events {
    use nodestd_events::event;
    use nodestd_net::{NetError, Socket};

    use crate::{IncomingMessage, ServerResponse};

    event!(
        /// `'request'`: `(req, res)`.
        pub Request = "request" => (IncomingMessage, ServerResponse)
    );
    event!(
        /// `'checkContinue'`: `(req, res)` for a request with `Expect: 100-continue`; with
        /// a listener, no `100 Continue` is sent and `request` is not emitted.
        pub CheckContinue = "checkContinue" => (IncomingMessage, ServerResponse)
    );
    event!(
        /// `'checkExpectation'`: `(req, res)` for another `Expect`; without a listener,
        /// `417`.
        pub CheckExpectation = "checkExpectation" => (IncomingMessage, ServerResponse)
    );
    event!(
        /// `'clientError'`: `(err, socket)`; with a listener the socket is the listener's
        /// (nothing is written, the connection is not closed).
        pub ClientError = "clientError" => (crate::ClientError, Socket)
    );
    event!(
        /// `'upgrade'`: `(req, socket, head)` for `Connection: upgrade` with an `Upgrade`
        /// header; without a listener such a request is an ordinary one.
        pub Upgrade = "upgrade" => (IncomingMessage, Socket, Vec<u8>)
    );
    event!(
        /// `'connect'`: `(req, socket, head)` for `CONNECT`; without a listener the
        /// connection is destroyed.
        pub Connect = "connect" => (IncomingMessage, Socket, Vec<u8>)
    );
    event!(
        /// `'connection'`: the new socket.
        pub Connection = "connection" => Socket
    );
    event!(
        /// `'listening'`.
        pub Listening = "listening" => ()
    );
    event!(
        /// `'close'`: the server has closed and its last connection is gone.
        pub Close = "close" => ()
    );
    event!(
        /// `'error'` (a failed `listen`, an `accept` error). Without a listener it is an
        /// uncaught exception (a panic on the loop), as in Node.
        pub Error = "error" => NetError
    );
}

/// How a request's body is framed.
#[derive(Debug, Clone, Copy)]
enum Body {
    Length(u64),
    /// Chunked: the state of the chunk reader.
    Chunked(ChunkState),
}

#[derive(Debug, Clone, Copy)]
enum ChunkState {
    Size,
    Data(u64),
    DataEnd,
    Trailers,
}

enum Phase {
    /// Waiting for (the rest of) a request head.
    Head,
    /// Reading a body.
    Body(Body),
    /// Closing: nothing more is parsed.
    Closed,
}

struct Conn {
    /// The server (Node's `socket.server`): a connection keeps its server, so a program that
    /// keeps no handle to a server it handed connections to still has them served. The
    /// cycle through the server's list ends when the connection closes.
    server: Rc<ServerInner>,
    socket: Socket,
    /// The `data`, `end`, `close`, `error` and `timeout` listeners this connection added to
    /// the socket (taken off when an upgrade hands the socket over).
    unlisten: Option<Unlisten>,
    /// Requests seen on this connection (Node's `state.requestsCount`, counted only with
    /// `maxRequestsPerSocket`).
    requests: u32,
    buf: Vec<u8>,
    phase: Phase,
    /// When the current request's head started (`last_message_start_`), if one is active.
    started: Option<u64>,
    /// The request whose body is being read.
    req: Option<IncomingMessage>,
    /// Body bytes or trailers were just handed over: parsing goes on a `setImmediate`
    /// later. Node's parser calls its body (and trailer) callbacks through `MakeCallback`,
    /// which runs the nextTick queue and the microtasks before the parser reads on: a
    /// response may finish (and the next queued one go out) or a piping handler write in
    /// between. Other callbacks (head, message complete) skip the queues, so requests
    /// without a body are parsed ahead and an error after them is answered at once.
    yielded: bool,
    /// The response on the wire (Node's `socket._httpMessage`).
    current: Option<ServerResponse>,
    /// Responses to pipelined requests, waiting their turn (Node's `state.outgoing`).
    outgoing: VecDeque<ServerResponse>,
    /// llhttp's `should_keep_alive` of the current request.
    keep_alive: bool,
    /// A request that does not keep the connection alive is complete: any further byte is
    /// llhttp's "Data after `Connection: close`" (400).
    no_more: bool,
    /// The client's FIN has been read (Node's `socketOnEnd`).
    eof: bool,
    /// The keep-alive timer: armed at the first idle time and re-armed for what is left
    /// when it fires early, not made and cleared for every request.
    keep_alive_timer: Option<nodestd_loop::Timeout>,
    /// When the connection last became idle after a response (`None` while a request is
    /// coming or being answered): the keep-alive timeout counts from there.
    idle_since: Option<u64>,
}

type ConnRef = Rc<RefCell<Conn>>;

/// Arms the keep-alive timer for `delay` ms. When it fires, a connection idle for `full` ms
/// is destroyed; one that became idle later waits for the rest; a busy one lets it go (its
/// next response arms it again).
fn arm_keep_alive(c: &ConnRef, delay: u64, full: u64) {
    let w = Rc::downgrade(c);
    let t = nodestd_loop::set_timeout(delay, move || {
        let Some(c) = w.upgrade() else { return };
        let (since, sock) = {
            let mut cm = c.borrow_mut();
            cm.keep_alive_timer = None;
            (cm.idle_since, cm.socket.clone())
        };
        let Some(since) = since else { return };
        let idle = nodestd_loop::now().saturating_sub(since);
        if idle >= full {
            sock.destroy(None);
        } else {
            arm_keep_alive(&c, full - idle, full);
        }
    });
    t.unref();
    c.borrow_mut().keep_alive_timer = Some(t);
}

/// Node 20.20's `HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER`: an idle keep-alive connection is
/// closed `keepAliveTimeout` + 1 s after its last response (the `Keep-Alive` header still
/// says `keepAliveTimeout`), so a client reusing it at the advertised limit is not cut off.
const KEEP_ALIVE_TIMEOUT_BUFFER: u64 = 1000;

struct ServerInner {
    net: net::Server,
    opts: ServerOptions,
    conns: RefCell<Vec<ConnRef>>,
    closing: Cell<bool>,
    checker: RefCell<Option<nodestd_loop::Timeout>>,
    /// The server itself while it listens: as in Node, where the listening handle keeps the
    /// server reachable, a program may drop every `Server` it holds and the server still
    /// answers. Set by `listen`, taken when the net server's `close` comes (after its last
    /// connection), whether [`Server::close`] or `server.net().close()` closed it, through
    /// the net server's `after_close` hook, so that `close` has Node's listeners only.
    alive: RefCell<Option<Rc<ServerInner>>>,
}

/// `http.Server`.
#[derive(Clone)]
pub struct Server {
    inner: Rc<ServerInner>,
}

/// `http.createServer(options, requestListener)`: `requestListener` is the first
/// `request` listener.
#[doc(alias = "createServer")]
pub fn create_server(
    opts: ServerOptions,
    handler: impl Fn(IncomingMessage, ServerResponse) + 'static,
) -> Server {
    let server = Server::new(opts);
    server.on_request(handler);
    server
}

impl Server {
    /// `new http.Server(options)`: a server with no `request` listener yet.
    pub fn new(opts: ServerOptions) -> Server {
        let inner = Rc::new(ServerInner {
            net: net::Server::new(net::ServerOptions {
                allow_half_open: true,
                // Node's `http.Server`: `noDelay` defaults to true.
                no_delay: true,
                ..Default::default()
            }),
            opts,
            conns: RefCell::new(Vec::new()),
            closing: Cell::new(false),
            checker: RefCell::new(None),
            alive: RefCell::new(None),
        });
        // Node's own listeners, first: `connectionListener` and `setupConnectionsTracking`.
        let weak = Rc::downgrade(&inner);
        inner.net.on_connection(move |sock| {
            if let Some(s) = weak.upgrade() {
                on_connection(&s, sock.clone());
            }
        });
        // An `http.Server` is a `net.Server`: closed through either, it lets go of itself
        // once the net server's 'close' comes (all connections gone).
        let weak = Rc::downgrade(&inner);
        inner.net.after_close(move || {
            if let Some(s) = weak.upgrade() {
                let keep = s.alive.borrow_mut().take();
                drop(keep);
            }
        });
        let weak = Rc::downgrade(&inner);
        inner.net.on_listening(move || {
            if let Some(inner) = weak.upgrade() {
                Server { inner }.start_tracking();
            }
        });
        Server { inner }
    }

    /// `server.listen(port, host, cb)`.
    ///
    /// # Errors
    ///
    /// As [`net::Server::listen_port`].
    pub fn listen(
        &self,
        port: u16,
        host: Option<&str>,
        cb: impl FnOnce() + 'static,
    ) -> Result<&Server, net::NetError> {
        *self.inner.alive.borrow_mut() = Some(Rc::clone(&self.inner));
        let cb = RefCell::new(Some(cb));
        let listening = self.inner.net.listen_port(port, host, move || {
            if let Some(cb) = cb.borrow_mut().take() {
                cb();
            }
        });
        if let Err(e) = listening {
            self.inner.alive.borrow_mut().take();
            return Err(e);
        }
        Ok(self)
    }

    /// Node's `setupConnectionsTracking`: the unref'd interval that checks the heads and
    /// requests in progress against `headersTimeout` and `requestTimeout`.
    pub(crate) fn start_tracking(&self) {
        let weak = Rc::downgrade(&self.inner);
        let every = self.inner.opts.connections_checking_interval.max(1);
        let t = nodestd_loop::set_interval(every, move || {
            if let Some(s) = weak.upgrade() {
                check_connections(&s);
            }
        });
        t.unref();
        if let Some(old) = self.inner.checker.borrow_mut().replace(t) {
            old.clear();
        }
    }

    /// `server.emit('connection', socket)`: serves a connection the server did not accept
    /// itself, on any transport: a [`Socket`] from elsewhere, or any Duplex made one by
    /// [`Socket::layered`] (the https server hands its TLS connections over so).
    #[doc(alias = "emit")]
    pub fn emit_connection(&self, socket: Socket) {
        let _ = self.inner.net.emitter().emit(events::Connection, socket);
    }

    /// Emits `clientError` for a TLS error (https's `tlsClientError` listener); whether
    /// there were listeners. The code is Node's when it is one of the TLS errors this crate
    /// makes (`ERR_TLS_HANDSHAKE_TIMEOUT`), else `ERR_SSL`.
    pub(crate) fn emit_client_error(&self, err: &nodestd_stream::Error, socket: &Socket) -> bool {
        if self.inner.net.emitter().listener_count(events::ClientError) == 0 {
            return false;
        }
        let code = match err.code() {
            Some("ERR_TLS_HANDSHAKE_TIMEOUT") => "ERR_TLS_HANDSHAKE_TIMEOUT",
            _ => "ERR_SSL",
        };
        let e = ClientError {
            code,
            message: err.message().to_owned(),
        };
        let _ = self
            .inner
            .net
            .emitter()
            .emit(events::ClientError, (e, socket.clone()));
        true
    }

    /// Serves a connection without emitting `connection` (the https server's TLS
    /// connections, whose `connection` event is the TCP socket's, on the TLS listener).
    pub(crate) fn serve(&self, socket: Socket) {
        on_connection(&self.inner, socket);
    }

    /// Node's `httpServerPreClose`: no more keep-alive, the timeout checks stop, idle
    /// connections close.
    pub(crate) fn pre_close(&self) {
        self.inner.closing.set(true);
        if let Some(t) = self.inner.checker.borrow_mut().take() {
            t.clear();
        }
        self.close_idle_connections();
    }

    /// The event emitter the server's events go through (the net server's: an
    /// `http.Server` is a `net.Server`).
    pub fn emitter(&self) -> &EventEmitter {
        self.inner.net.emitter()
    }

    /// `server.on(event, listener)` for one of [`events`] (or any event of the emitter).
    #[doc(alias = "addListener")]
    pub fn on<E: Event>(&self, event: E, f: impl Fn(&E::Payload) + 'static) -> ListenerId {
        self.emitter().on(event, f)
    }

    /// `server.once(event, listener)`.
    pub fn once<E: Event>(&self, event: E, f: impl Fn(&E::Payload) + 'static) -> ListenerId {
        self.emitter().once(event, f)
    }

    /// `server.off(event, listener)`: removes the listener `on` or `once` returned.
    #[doc(alias = "removeListener")]
    pub fn off(&self, event: impl Event, listener: ListenerId) {
        self.emitter().off(event, listener);
    }

    /// `server.listenerCount(event)`, Node's own listeners included (`request`'s from
    /// [`create_server`], `connection`'s and `listening`'s).
    #[doc(alias = "listenerCount")]
    pub fn listener_count(&self, event: impl Event) -> usize {
        self.emitter().listener_count(event)
    }

    /// `server.on('request', f)`.
    #[doc(alias = "on")]
    pub fn on_request(&self, f: impl Fn(IncomingMessage, ServerResponse) + 'static) -> ListenerId {
        self.on(events::Request, move |(req, res)| {
            f(req.clone(), res.clone())
        })
    }

    /// `server.on('checkContinue', f)`: with a listener, a request with
    /// `Expect: 100-continue` goes to the `checkContinue` listeners instead of the `request`
    /// ones, and no `100 Continue` is sent for it (call [`ServerResponse::write_continue`]).
    #[doc(alias = "on")]
    pub fn on_check_continue(
        &self,
        f: impl Fn(IncomingMessage, ServerResponse) + 'static,
    ) -> ListenerId {
        self.on(events::CheckContinue, move |(req, res)| {
            f(req.clone(), res.clone())
        })
    }

    /// `server.on('checkExpectation', f)`: with a listener, a request with another
    /// `Expect` value goes to the `checkExpectation` listeners instead of being answered 417.
    #[doc(alias = "on")]
    pub fn on_check_expectation(
        &self,
        f: impl Fn(IncomingMessage, ServerResponse) + 'static,
    ) -> ListenerId {
        self.on(events::CheckExpectation, move |(req, res)| {
            f(req.clone(), res.clone())
        })
    }

    /// `server.on('clientError', f)`: with a listener, a request the parser refuses (or that
    /// times out) goes to the listeners with the socket, which they then own: nothing is
    /// written and the connection is not closed for it (Node's default: 400/431/408 and
    /// close).
    #[doc(alias = "on")]
    pub fn on_client_error(&self, f: impl Fn(&ClientError, &Socket) + 'static) -> ListenerId {
        self.on(events::ClientError, move |(err, sock)| f(err, sock))
    }

    /// `server.on('upgrade', f)`: with a listener, a request with `Connection: upgrade` and
    /// an `Upgrade` header goes to the listeners with the socket (no longer read by the
    /// server; add a `data` listener) and the bytes that followed the head. Without one such
    /// a request is an ordinary one.
    #[doc(alias = "on")]
    pub fn on_upgrade(&self, f: impl Fn(IncomingMessage, Socket, Vec<u8>) + 'static) -> ListenerId {
        self.on(events::Upgrade, move |(req, sock, head)| {
            f(req.clone(), sock.clone(), head.clone())
        })
    }

    /// `server.on('connect', f)`: a `CONNECT` request goes to the listeners as in
    /// [`Server::on_upgrade`]. Without one the connection is destroyed.
    #[doc(alias = "on")]
    pub fn on_connect(&self, f: impl Fn(IncomingMessage, Socket, Vec<u8>) + 'static) -> ListenerId {
        self.on(events::Connect, move |(req, sock, head)| {
            f(req.clone(), sock.clone(), head.clone())
        })
    }

    /// `server.on('connection', f)`: after the server's own listener, which serves it.
    #[doc(alias = "on")]
    pub fn on_connection(&self, f: impl Fn(&Socket) + 'static) -> ListenerId {
        self.on(events::Connection, f)
    }

    /// `server.on('listening', f)`.
    #[doc(alias = "on")]
    pub fn on_listening(&self, f: impl Fn() + 'static) -> ListenerId {
        self.on(events::Listening, move |_| f())
    }

    /// `server.on('close', f)`.
    #[doc(alias = "on")]
    pub fn on_close(&self, f: impl Fn() + 'static) -> ListenerId {
        self.on(events::Close, move |_| f())
    }

    /// `server.on('error', f)`.
    #[doc(alias = "on")]
    pub fn on_error(&self, f: impl Fn(&net::NetError) + 'static) -> ListenerId {
        self.on(events::Error, f)
    }

    /// The port listened on.
    pub fn port(&self) -> Option<u16> {
        self.inner.net.port()
    }

    /// The underlying `net.Server`. Closing through it is Node's `net.Server.prototype.close`
    /// on an http server: it stops accepting and lets the server go once its connections are
    /// gone, without [`Server::close`]'s closing of idle connections.
    pub fn net(&self) -> &net::Server {
        &self.inner.net
    }

    /// `server.close(cb)`: stops accepting, closes idle connections (Node 19+), lets
    /// in-flight requests finish (their connections close after the response), and calls
    /// `cb` once the last connection is gone.
    pub fn close(&self, cb: impl FnOnce() + 'static) {
        self.pre_close();
        let cb = RefCell::new(Some(cb));
        let weak = Rc::downgrade(&self.inner);
        self.inner.net.close(Some(Box::new(move |_| {
            // Closed and drained: the server no longer keeps itself (see `alive`).
            if let Some(s) = weak.upgrade() {
                let keep = s.alive.borrow_mut().take();
                drop(keep);
            }
            if let Some(cb) = cb.borrow_mut().take() {
                cb();
            }
        })));
    }

    /// `server.closeIdleConnections()`: destroys the connections with no request in
    /// progress.
    #[doc(alias = "closeIdleConnections")]
    pub fn close_idle_connections(&self) {
        let conns = self.inner.conns.borrow().clone();
        for c in conns {
            let idle = {
                let c = c.borrow();
                c.started.is_none()
                    && matches!(c.phase, Phase::Head)
                    && c.buf.is_empty()
                    && c.req.is_none()
                    && c.current.is_none()
            };
            if idle {
                let sock = c.borrow().socket.clone();
                sock.destroy(None);
            }
        }
    }
}

fn on_connection(server: &Rc<ServerInner>, socket: Socket) {
    let conn = Rc::new(RefCell::new(Conn {
        server: Rc::clone(server),
        socket: socket.clone(),
        unlisten: None,
        requests: 0,
        buf: Vec::new(),
        phase: Phase::Head,
        // Node starts the head clock when the parser is set up on the connection.
        started: Some(nodestd_loop::now()),
        req: None,
        yielded: false,
        current: None,
        outgoing: VecDeque::new(),
        keep_alive: true,
        no_more: false,
        eof: false,
        keep_alive_timer: None,
        idle_since: None,
    }));
    server.conns.borrow_mut().push(Rc::clone(&conn));
    let (s, c) = (Rc::downgrade(server), Rc::downgrade(&conn));
    let data = socket.on_data(move |chunk| {
        let (Some(s), Some(c)) = (s.upgrade(), c.upgrade()) else {
            return;
        };
        {
            let mut cm = c.borrow_mut();
            cm.idle_since = None;
            if matches!(cm.phase, Phase::Closed) {
                return;
            }
            cm.buf.extend_from_slice(chunk.as_bytes());
        }
        if c.borrow().no_more {
            refuse(&c, Refusal::CLOSED_CONNECTION);
            return;
        }
        process(&s, &c);
    });
    let (s, c) = (Rc::downgrade(server), Rc::downgrade(&conn));
    let end = socket.on_end(move || {
        // The client's FIN: finish what is in flight, then close our side.
        let (Some(_s), Some(c)) = (s.upgrade(), c.upgrade()) else {
            return;
        };
        c.borrow_mut().eof = true;
        // Node's `parser.finish()`: a FIN in the middle of a request (a head or a body not
        // all there) is llhttp's HPE_INVALID_EOF_STATE, a client error (400 when nothing was
        // sent yet, then the socket is destroyed). Parsing put off to a later turn checks it
        // when it runs out of bytes.
        if eof_mid_message(&c) {
            refuse(&c, Refusal::EOF_STATE);
            return;
        }
        let idle = {
            let c = c.borrow();
            c.req.is_none() && c.current.is_none()
        };
        if idle {
            let sock = c.borrow().socket.clone();
            destroy_soon(&sock);
        }
    });
    let (s, c) = (Rc::downgrade(server), Rc::downgrade(&conn));
    let close = socket.on_close(move || {
        let (Some(s), Some(c)) = (s.upgrade(), c.upgrade()) else {
            return;
        };
        let req = {
            let mut cm = c.borrow_mut();
            cm.phase = Phase::Closed;
            if let Some(t) = cm.keep_alive_timer.take() {
                t.clear();
            }
            cm.current = None;
            cm.outgoing.clear();
            cm.req.take()
        };
        if let Some(r) = req
            && !r.complete()
        {
            r.body().destroy(None);
        }
        s.conns.borrow_mut().retain(|x| !Rc::ptr_eq(x, &c));
    });
    let error = socket.on_error(|_| {});
    let c = Rc::downgrade(&conn);
    let timeout = socket.on_timeout(move || {
        // Node's socketOnTimeout: the response's `timeout` listeners, else destroy.
        let Some(c) = c.upgrade() else { return };
        let (sock, res) = {
            let cm = c.borrow();
            (cm.socket.clone(), cm.current.clone())
        };
        if !res.is_some_and(|r| r.emit_timeout()) {
            sock.destroy(None);
        }
    });
    // One closure for all five: a connection's memory counts (10,000 idle ones).
    conn.borrow_mut().unlisten = Some(Box::new(move |s: &Socket| {
        s.off_data(data);
        s.off("end", end);
        s.off("close", close);
        s.off("error", error);
        s.off("timeout", timeout);
    }));
}

/// Hands the socket over (an upgrade or CONNECT): the server's listeners come off, the
/// connection leaves the server's list, and the socket waits for a new `data` listener.
fn detach(server: &Rc<ServerInner>, c: &ConnRef) {
    let (sock, unlisten) = {
        let mut cm = c.borrow_mut();
        cm.phase = Phase::Closed;
        if let Some(t) = cm.keep_alive_timer.take() {
            t.clear();
        }
        (cm.socket.clone(), cm.unlisten.take())
    };
    if let Some(off) = unlisten {
        off(&sock);
    }
    // Node's `socket.readableFlowing = null`: the new owner's `data` listener starts the
    // flow.
    sock.reset_flowing();
    server.conns.borrow_mut().retain(|x| !Rc::ptr_eq(x, c));
}

/// Node's `continueExpression`: `/(?:^|\W)100-continue(?:$|\W)/i`.
fn expects_continue(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    v.match_indices("100-continue")
        .any(|(i, m)| !word(v[..i].chars().next_back()) && !word(v[i + m.len()..].chars().next()))
}

/// Why a request is refused: llhttp's error (or Node's request timeout), as a
/// `clientError` listener sees it.
#[derive(Debug, Clone, Copy)]
struct Refusal {
    code: &'static str,
    reason: &'static str,
}

impl Refusal {
    const fn new(code: &'static str, reason: &'static str) -> Refusal {
        Refusal { code, reason }
    }

    const CLOSED_CONNECTION: Refusal =
        Refusal::new("HPE_CLOSED_CONNECTION", "Data after `Connection: close`");
    const HEADER_OVERFLOW: Refusal = Refusal::new("HPE_HEADER_OVERFLOW", "Header overflow");
    const HEADER_TOKEN: Refusal = Refusal::new("HPE_INVALID_HEADER_TOKEN", "Invalid header token");
    const CHUNK_SIZE: Refusal =
        Refusal::new("HPE_INVALID_CHUNK_SIZE", "Invalid character in chunk size");
    const TIMEOUT: Refusal = Refusal::new("ERR_HTTP_REQUEST_TIMEOUT", "Request timeout");
    const EOF_STATE: Refusal = Refusal::new("HPE_INVALID_EOF_STATE", "Invalid EOF state");

    /// llhttp's error for a head httparse refused (`buf` is the head as received).
    fn from_httparse(buf: &[u8], e: httparse::Error) -> Refusal {
        match e {
            httparse::Error::HeaderName => Refusal::HEADER_TOKEN,
            httparse::Error::HeaderValue => {
                Refusal::new("HPE_INVALID_HEADER_TOKEN", "Invalid header value char")
            }
            httparse::Error::TooManyHeaders => Refusal::HEADER_OVERFLOW,
            httparse::Error::Token => {
                let method = buf.split(|&b| b == b' ').next().unwrap_or(b"");
                let tchar = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
                if !method.is_empty() && method.len() < buf.len() && method.iter().all(tchar) {
                    Refusal::new("HPE_INVALID_URL", "Invalid char in url path")
                } else {
                    Refusal::new("HPE_INVALID_METHOD", "Invalid method encountered")
                }
            }
            httparse::Error::Version => {
                // After the method and the URL, llhttp expects the constant `HTTP/`.
                let mut parts = buf.splitn(3, |&b| b == b' ');
                let version = parts.nth(2).unwrap_or(b"");
                if version.starts_with(b"HTTP/") {
                    Refusal::new("HPE_INVALID_VERSION", "Invalid HTTP version")
                } else {
                    Refusal::new("HPE_INVALID_CONSTANT", "Expected HTTP/")
                }
            }
            httparse::Error::NewLine | httparse::Error::Status => {
                Refusal::new("HPE_STRICT", "Expected CRLF")
            }
        }
    }

    /// The reply of Node's `socketOnError` with no `clientError` listener.
    fn reply(self) -> &'static [u8] {
        match self.code {
            "HPE_HEADER_OVERFLOW" => {
                b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n"
            }
            "ERR_HTTP_REQUEST_TIMEOUT" => {
                b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n"
            }
            _ => b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
        }
    }

    fn client_error(self) -> ClientError {
        ClientError {
            code: self.code,
            message: if self.code.starts_with("HPE_") {
                format!("Parse Error: {}", self.reason)
            } else {
                self.reason.to_owned()
            },
        }
    }
}

/// What a `clientError` listener gets (Node's `err`): the parser's error, or the request
/// timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    /// `err.code`: llhttp's name (`HPE_INVALID_METHOD`, `HPE_HEADER_OVERFLOW` …) or
    /// `ERR_HTTP_REQUEST_TIMEOUT`.
    pub code: &'static str,
    /// `err.message` (`Parse Error: Invalid method encountered`, `Request timeout`).
    pub message: String,
}

/// Refuses the request: parsing stops, and Node's `socketOnError` runs: the `clientError`
/// listener if there is one (it owns the socket from then on), else the reply for the
/// error (when no response has started) and the connection is closed.
fn refuse(c: &ConnRef, why: Refusal) {
    let (sock, sent, server) = {
        let mut cm = c.borrow_mut();
        cm.phase = Phase::Closed;
        cm.buf.clear();
        let sent = cm.current.as_ref().is_some_and(|r| r.headers_sent());
        cm.outgoing.clear();
        (cm.socket.clone(), sent, Some(Rc::clone(&cm.server)))
    };
    let handled = server.is_some_and(|s| {
        s.net
            .emitter()
            .emit(events::ClientError, (why.client_error(), sock.clone()))
            .unwrap_or(true)
    });
    if handled {
        return;
    }
    if !sent {
        sock.write(Chunk::from(why.reply()));
    }
    destroy_soon(&sock);
}

/// Node's `socket.destroySoon()`: end the writable side, destroy once it has finished
/// (without waiting for the peer's FIN).
fn destroy_soon(sock: &Socket) {
    let s = sock.clone();
    sock.once_finish(move || s.destroy(None));
    sock.end();
}

fn check_connections(server: &Rc<ServerInner>) {
    let now = nodestd_loop::now();
    let o = &server.opts;
    let conns = server.conns.borrow().clone();
    for c in conns {
        let expired = {
            let cm = c.borrow();
            match (cm.started, &cm.phase) {
                (Some(t), Phase::Head) => {
                    (o.headers_timeout > 0 && now.saturating_sub(t) > o.headers_timeout)
                        || (o.request_timeout > 0 && now.saturating_sub(t) > o.request_timeout)
                }
                (Some(t), Phase::Body(_)) => {
                    o.request_timeout > 0 && now.saturating_sub(t) > o.request_timeout
                }
                _ => false,
            }
        };
        if expired {
            refuse(&c, Refusal::TIMEOUT);
        }
    }
}

/// Whether a comma-separated header value holds `token` (case-insensitive).
fn has_token(value: &str, token: &str) -> bool {
    value
        .split(',')
        .any(|t| t.trim().eq_ignore_ascii_case(token))
}

/// Parses what `buf` holds, one request at a time; a request whose response is not done
/// leaves the following (pipelined) bytes waiting.
fn process(server: &Rc<ServerInner>, c: &ConnRef) {
    loop {
        let phase = {
            let cm = c.borrow();
            if cm.yielded {
                return;
            }
            match cm.phase {
                Phase::Head if cm.buf.is_empty() => return,
                Phase::Head => 0,
                Phase::Body(_) => 1,
                Phase::Closed => return,
            }
        };
        let progressed = if phase == 0 {
            parse_head(server, c)
        } else {
            parse_body(server, c)
        };
        if !progressed {
            if eof_mid_message(c) {
                refuse(c, Refusal::EOF_STATE);
            }
            return;
        }
    }
}

/// Whether the client's FIN came in the middle of a request whose bytes have all been
/// parsed: a partial head (leading empty lines aside, as llhttp skips them) or a body still
/// waiting for bytes.
fn eof_mid_message(c: &ConnRef) -> bool {
    let cm = c.borrow();
    cm.eof
        && !cm.yielded
        && match cm.phase {
            Phase::Head => cm.buf.iter().any(|&b| b != b'\r' && b != b'\n'),
            // A body whose last byte came is complete; its end is delivered later.
            Phase::Body(Body::Length(0)) => false,
            Phase::Body(_) => true,
            Phase::Closed => false,
        }
}

enum Head {
    Partial,
    Bad(Refusal),
    Done(usize, ParsedHead),
}

struct ParsedHead {
    /// One of [`crate::status::METHODS`] (`""` for another: refused).
    method: &'static str,
    url: String,
    minor: u8,
    raw: Vec<(String, String)>,
}

/// The header slots tried first (on the stack); a request with more is parsed again with
/// more slots.
const HEADER_SLOTS: usize = 64;

fn parse_once(buf: &[u8], n: usize) -> Result<Head, httparse::Error> {
    if n <= HEADER_SLOTS {
        let mut hs = [httparse::EMPTY_HEADER; HEADER_SLOTS];
        parse_with(buf, &mut hs)
    } else {
        parse_with(buf, &mut vec![httparse::EMPTY_HEADER; n])
    }
}

/// A header value as Node's latin1 string (ASCII, the usual case, copied as it is).
fn value_string(v: &[u8]) -> String {
    match std::str::from_utf8(v) {
        Ok(s) if v.is_ascii() => s.to_owned(),
        _ => latin1(v),
    }
}

fn parse_with<'b>(buf: &'b [u8], hs: &mut [httparse::Header<'b>]) -> Result<Head, httparse::Error> {
    let mut req = httparse::Request::new(hs);
    match req.parse(buf)? {
        httparse::Status::Partial => Ok(Head::Partial),
        httparse::Status::Complete(len) => {
            let raw = req
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), value_string(h.value)))
                .collect();
            Ok(Head::Done(
                len,
                ParsedHead {
                    method: req.method.map_or("", known_method),
                    url: req.path.unwrap_or("").to_owned(),
                    minor: req.version.unwrap_or(1),
                    raw,
                },
            ))
        }
    }
}

/// The method as its entry of [`crate::status::METHODS`]; `""` for one llhttp does not know.
fn known_method(m: &str) -> &'static str {
    crate::status::METHODS
        .iter()
        .find(|k| **k == m)
        .copied()
        .unwrap_or("")
}

/// llhttp's header size: the URL and every header name and value (not the method, the
/// version, the separators or the optional whitespace). Node refuses at `maxHeaderSize`.
fn counted_size(head: &ParsedHead) -> usize {
    head.url.len()
        + head
            .raw
            .iter()
            .map(|(n, v)| n.len() + v.len())
            .sum::<usize>()
}

fn parse_head_bytes(buf: &[u8], max: usize) -> Head {
    let mut n = HEADER_SLOTS;
    loop {
        match parse_once(buf, n) {
            Ok(Head::Partial) => {
                // Not all there yet: estimate llhttp's count from the complete lines (each
                // line's CRLF, colon and a space are not counted).
                let lines = buf.windows(2).filter(|w| w == b"\r\n").count();
                if buf.len().saturating_sub(4 * lines + 16) >= max {
                    return Head::Bad(Refusal::HEADER_OVERFLOW);
                }
                return Head::Partial;
            }
            Ok(Head::Done(len, h)) => {
                if counted_size(&h) >= max {
                    return Head::Bad(Refusal::HEADER_OVERFLOW);
                }
                return Head::Done(len, h);
            }
            Ok(h) => return h,
            Err(httparse::Error::TooManyHeaders) if n < 4 * max => n *= 4,
            Err(e) => return Head::Bad(Refusal::from_httparse(buf, e)),
        }
    }
}

fn parse_head(server: &Rc<ServerInner>, c: &ConnRef) -> bool {
    let head = {
        let mut cm = c.borrow_mut();
        if cm.started.is_none() {
            cm.started = Some(nodestd_loop::now());
        }
        parse_head_bytes(&cm.buf, server.opts.max_header_size)
    };
    let (len, head) = match head {
        Head::Partial => return false,
        Head::Bad(why) => {
            refuse(c, why);
            return false;
        }
        Head::Done(len, h) => (len, h),
    };
    if head.method.is_empty() {
        refuse(
            c,
            Refusal::new("HPE_INVALID_METHOD", "Invalid method encountered"),
        );
        return false;
    }
    let (mut cl, mut te, mut conn_hdr) = (None::<&str>, None::<String>, None::<String>);
    let (mut te_first, mut upgrade_hdr) = (false, false);
    for (name, value) in &head.raw {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("content-length") {
            if cl.is_some() {
                refuse(
                    c,
                    Refusal::new("HPE_UNEXPECTED_CONTENT_LENGTH", "Duplicate Content-Length"),
                );
                return false;
            }
            te_first = te_first || te.is_some();
            cl = Some(value);
        } else if is("transfer-encoding") {
            te = Some(match te {
                Some(t) => format!("{t}, {value}"),
                None => value.clone(),
            });
        } else if is("upgrade") {
            upgrade_hdr = true;
        } else if is("connection") {
            conn_hdr = Some(match conn_hdr {
                Some(t) => format!("{t}, {value}"),
                None => value.clone(),
            });
        }
    }
    let body = match (&cl, &te) {
        (Some(_), Some(_)) if te_first => {
            refuse(
                c,
                Refusal::new(
                    "HPE_INVALID_CONTENT_LENGTH",
                    "Content-Length can't be present with Transfer-Encoding",
                ),
            );
            return false;
        }
        (Some(_), Some(_)) => {
            refuse(
                c,
                Refusal::new(
                    "HPE_INVALID_TRANSFER_ENCODING",
                    "Transfer-Encoding can't be present with Content-Length",
                ),
            );
            return false;
        }
        (Some(v), None) => {
            let v = v.trim();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) || v.len() > 19 {
                refuse(
                    c,
                    Refusal::new(
                        "HPE_INVALID_CONTENT_LENGTH",
                        "Invalid character in Content-Length",
                    ),
                );
                return false;
            }
            Body::Length(v.parse().unwrap_or(0))
        }
        (None, Some(t)) => {
            let last = t.rsplit(',').next().unwrap_or("").trim();
            if !last.eq_ignore_ascii_case("chunked") {
                // llhttp refuses a request whose last transfer-coding is not chunked.
                refuse(
                    c,
                    Refusal::new(
                        "HPE_INVALID_TRANSFER_ENCODING",
                        "Request has invalid `Transfer-Encoding`",
                    ),
                );
                return false;
            }
            Body::Chunked(ChunkState::Size)
        }
        (None, None) => Body::Length(0),
    };
    // `headers` and `rawHeaders`: the names and values move into `rawHeaders`.
    let limit = server.opts.max_headers_count.unwrap_or(1000);
    let mut headers = Headers::new();
    let mut raw_headers = Vec::with_capacity(2 * head.raw.len().min(limit));
    for (name, value) in head.raw.into_iter().take(limit) {
        headers.add_line(&name, &value);
        raw_headers.push(name);
        raw_headers.push(value);
    }
    let conn_v = conn_hdr.unwrap_or_default();
    let keep_alive = if head.minor >= 1 {
        !has_token(&conn_v, "close")
    } else {
        has_token(&conn_v, "keep-alive")
    };
    let use_chunked = head.minor >= 1
        || headers
            .get("te")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let is_head = head.method == "HEAD";
    let is_connect = head.method == "CONNECT";
    // llhttp's `upgrade`: CONNECT, or `Connection: upgrade` with an `Upgrade` header; Node
    // keeps it only for CONNECT or with an `upgrade` listener.
    let upgrade = is_connect
        || (upgrade_hdr
            && has_token(&conn_v, "upgrade")
            && server.net.emitter().listener_count(events::Upgrade) > 0);
    let sock = c.borrow().socket.clone();
    // The body stream is made when it is first used (reading it resumes the socket).
    let req = IncomingMessage::new(
        Cow::Borrowed(head.method),
        head.url,
        head.minor,
        headers,
        raw_headers,
        None,
        sock.clone(),
    );
    if upgrade {
        let rest = {
            let mut cm = c.borrow_mut();
            let rest = cm.buf.split_off(len);
            cm.buf.clear();
            rest
        };
        detach(server, c);
        req.set_complete();
        req.end_body();
        let em = server.net.emitter();
        if !is_connect {
            let _ = em.emit(events::Upgrade, (req, sock, rest));
        } else if em.listener_count(events::Connect) > 0 {
            let _ = em.emit(events::Connect, (req, sock, rest));
        } else {
            // A CONNECT with no `connect` listener.
            sock.destroy(None);
        }
        return false;
    }
    let (sw, cw) = (Rc::downgrade(server), Rc::downgrade(c));
    let res = ServerResponse::new(
        sock.clone(),
        keep_alive && !server.closing.get(),
        use_chunked,
        is_head,
        server.opts.keep_alive_timeout,
        Box::new(move |last| {
            if let (Some(s), Some(c)) = (sw.upgrade(), cw.upgrade()) {
                response_done(&s, &c, last);
            }
        }),
    );
    {
        let mut cm = c.borrow_mut();
        cm.buf.drain(..len);
        cm.req = Some(req.clone());
        if cm.current.is_none() {
            cm.current = Some(res.clone());
            res.attach();
        } else {
            cm.outgoing.push_back(res.clone());
        }
        cm.keep_alive = keep_alive;
        cm.phase = Phase::Body(body);
    }
    if head.minor == 1 {
        if !req.headers().contains("host") {
            // Node answers it itself and parses on (what follows may still be an error).
            res.write_head(400, &[("Connection", "close")]);
            res.end(b"");
            return true;
        }
        let max = server.opts.max_requests_per_socket;
        if max > 0 {
            let count = {
                let mut cm = c.borrow_mut();
                cm.requests += 1;
                cm.requests
            };
            res.set_max_requests(max, count >= max);
            if count > max {
                // Node emits `dropRequest` here.
                res.write_head(503, &[]);
                res.end(b"");
                return true;
            }
        }
        if let Some(e) = req.headers().get("expect") {
            let em = server.net.emitter();
            if expects_continue(&e) {
                res.set_expect_continue();
                if em.listener_count(events::CheckContinue) > 0 {
                    let _ = em.emit(events::CheckContinue, (req, res));
                } else {
                    res.write_continue();
                    let _ = em.emit(events::Request, (req, res));
                }
            } else if em.listener_count(events::CheckExpectation) > 0 {
                let _ = em.emit(events::CheckExpectation, (req, res));
            } else {
                res.write_head(417, &[]);
                res.end(b"");
            }
            return true;
        }
    }
    let _ = server.net.emitter().emit(events::Request, (req, res));
    true
}

/// Feeds body bytes from `buf` to the request; returns whether parsing may go on.
fn parse_body(server: &Rc<ServerInner>, c: &ConnRef) -> bool {
    loop {
        let mut cm = c.borrow_mut();
        let Phase::Body(body) = cm.phase else {
            return true;
        };
        match body {
            Body::Length(0) => {
                drop(cm);
                request_complete(c, None);
                return true;
            }
            Body::Length(n) => {
                if cm.buf.is_empty() {
                    return false;
                }
                let take = (n as usize).min(cm.buf.len());
                let data: Vec<u8> = cm.buf.drain(..take).collect();
                cm.phase = Phase::Body(Body::Length(n - take as u64));
                drop(cm);
                push_body(server, c, data);
                return false;
            }
            Body::Chunked(ChunkState::Size) => {
                let Some(pos) = cm.buf.windows(2).position(|w| w == b"\r\n") else {
                    if cm.buf.len() > 1024 {
                        drop(cm);
                        refuse(c, Refusal::CHUNK_SIZE);
                    }
                    return false;
                };
                let line = &cm.buf[..pos];
                let size_part = line.split(|&b| b == b';').next().unwrap_or(b"");
                let ok = !size_part.is_empty()
                    && size_part.len() <= 16
                    && size_part.iter().all(|b| b.is_ascii_hexdigit());
                if !ok {
                    drop(cm);
                    refuse(c, Refusal::CHUNK_SIZE);
                    return false;
                }
                let size = u64::from_str_radix(std::str::from_utf8(size_part).unwrap_or("0"), 16)
                    .unwrap_or(0);
                cm.buf.drain(..pos + 2);
                cm.phase = Phase::Body(Body::Chunked(if size == 0 {
                    ChunkState::Trailers
                } else {
                    ChunkState::Data(size)
                }));
            }
            Body::Chunked(ChunkState::Data(n)) => {
                if cm.buf.is_empty() {
                    return false;
                }
                let take = (n as usize).min(cm.buf.len());
                let data: Vec<u8> = cm.buf.drain(..take).collect();
                let left = n - take as u64;
                cm.phase = Phase::Body(Body::Chunked(if left == 0 {
                    ChunkState::DataEnd
                } else {
                    ChunkState::Data(left)
                }));
                drop(cm);
                push_body(server, c, data);
                return false;
            }
            Body::Chunked(ChunkState::DataEnd) => {
                if cm.buf.len() < 2 {
                    return false;
                }
                if &cm.buf[..2] != b"\r\n" {
                    drop(cm);
                    refuse(
                        c,
                        Refusal::new("HPE_STRICT", "Expected LF after chunk data"),
                    );
                    return false;
                }
                cm.buf.drain(..2);
                cm.phase = Phase::Body(Body::Chunked(ChunkState::Size));
            }
            Body::Chunked(ChunkState::Trailers) => {
                if cm.buf.starts_with(b"\r\n") {
                    cm.buf.drain(..2);
                    drop(cm);
                    request_complete(c, Some(Headers::new()));
                    return true;
                }
                let Some(end) = cm.buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    if cm.buf.len() > 16 * 1024 {
                        drop(cm);
                        refuse(c, Refusal::HEADER_OVERFLOW);
                    }
                    return false;
                };
                let block: Vec<u8> = cm.buf.drain(..end + 4).collect();
                drop(cm);
                let mut hs = [httparse::EMPTY_HEADER; 64];
                match httparse::parse_headers(&block, &mut hs) {
                    Ok(httparse::Status::Complete((_, parsed))) => {
                        let mut t = Headers::new();
                        for h in parsed {
                            t.add_line(h.name, &latin1(h.value));
                        }
                        // Node hands trailers over through `MakeCallback` too (its
                        // `Flush`): the tick queue runs before the parser reads on.
                        let yields = !t.entries().is_empty();
                        request_complete(c, Some(t));
                        if yields {
                            yield_parse(server, c);
                            return false;
                        }
                        return true;
                    }
                    _ => {
                        refuse(c, Refusal::HEADER_TOKEN);
                        return false;
                    }
                }
            }
        }
    }
}

/// Stops parsing until a `setImmediate` (see `Conn::yielded`).
fn yield_parse(server: &Rc<ServerInner>, c: &ConnRef) {
    c.borrow_mut().yielded = true;
    let (sw, cw) = (Rc::downgrade(server), Rc::downgrade(c));
    nodestd_loop::set_immediate(move || {
        if let (Some(s), Some(c)) = (sw.upgrade(), cw.upgrade()) {
            c.borrow_mut().yielded = false;
            process(&s, &c);
        }
    });
}

/// Hands body bytes to the request's stream, then yields (see `Conn::yielded`).
fn push_body(server: &Rc<ServerInner>, c: &ConnRef, data: Vec<u8>) {
    yield_parse(server, c);
    let (req, sock) = {
        let cm = c.borrow();
        (cm.req.clone(), cm.socket.clone())
    };
    if let Some(req) = req
        && !req.body().push(Some(Chunk::from(data)))
    {
        sock.pause();
    }
}

fn request_complete(c: &ConnRef, trailers: Option<Headers>) {
    let (req, data_after_close) = {
        let mut cm = c.borrow_mut();
        cm.started = None;
        cm.no_more = !cm.keep_alive;
        cm.phase = Phase::Head;
        (cm.req.take(), cm.no_more && !cm.buf.is_empty())
    };
    if let Some(req) = req {
        if let Some(t) = trailers {
            req.set_trailers(t);
        }
        req.set_complete();
        req.end_body();
    }
    if data_after_close {
        refuse(c, Refusal::CLOSED_CONNECTION);
        return;
    }
    // The client ended while this request's body was still coming (a dumped body after its
    // response, say): nothing is left to answer, so the connection closes, as Node's
    // socketOnEnd would have ended it had the body been parsed at once.
    let done = {
        let cm = c.borrow();
        cm.eof
            && cm.current.is_none()
            && cm.outgoing.is_empty()
            && cm.buf.iter().all(|&b| b == b'\r' || b == b'\n')
    };
    if done {
        let sock = c.borrow().socket.clone();
        destroy_soon(&sock);
    }
}

/// The response on the wire finished: close (`_last`), or put the next queued response
/// on the wire, or wait for the next request (the keep-alive timer).
fn response_done(server: &Rc<ServerInner>, c: &ConnRef, last: bool) {
    let sock = c.borrow().socket.clone();
    if last || server.closing.get() {
        let mut cm = c.borrow_mut();
        cm.phase = Phase::Closed;
        cm.current = None;
        cm.outgoing.clear();
        drop(cm);
        destroy_soon(&sock);
        return;
    }
    if sock.timeout().is_some_and(|ms| ms > 0) {
        // `res.setTimeout` set the socket's; Node's resOnFinish replaces it with the
        // keep-alive timeout (here the keep-alive timer below).
        sock.set_timeout(0);
    }
    let next = {
        let mut cm = c.borrow_mut();
        cm.current = cm.outgoing.pop_front();
        cm.current.clone()
    };
    if let Some(next) = next {
        next.attach();
        return;
    }
    // The request's unread body is dumped (Node's `req._dump()`); once it is all read,
    // `request_complete` closes the connection if the client has ended.
    let req = c.borrow().req.clone();
    if let Some(r) = req {
        r.body().resume();
        return;
    }
    if sock.readable_ended() {
        destroy_soon(&sock);
        return;
    }
    let idle = c.borrow().buf.is_empty();
    let ka = server.opts.keep_alive_timeout;
    if idle && ka > 0 {
        let arm = {
            let mut cm = c.borrow_mut();
            cm.idle_since = Some(nodestd_loop::now());
            cm.keep_alive_timer.is_none()
        };
        if arm {
            let full = ka + KEEP_ALIVE_TIMEOUT_BUFFER;
            arm_keep_alive(c, full, full);
        }
    }
}
