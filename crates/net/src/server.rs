//! `net.Server`: a listening TCP or Unix-domain socket on the loop's poller, accepting as
//! libuv's `uv__server_io` does (until EAGAIN, with the EMFILE trick), with Node's events:
//! `listening` on the next tick after `listen`, `connection` in the poll phase, `error` on
//! the next tick for a failed `listen`, `close` on the next tick once the server is closed
//! and its last connection gone.

use std::cell::RefCell;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::PathBuf;
use std::rc::{Rc, Weak};

use nodestd_events::{EventEmitter, ListenerId, Named};
use nodestd_loop as nd;

use crate::error::{NetError, os_errno};
use crate::socket::{Socket, SocketOptions};
use crate::sys::{self, Kind};
use crate::{Address, Family};

/// Node's default backlog (`listen(port, host, backlog)`): 511.
pub const DEFAULT_BACKLOG: i32 = 511;

/// The callback of [`Server::close`]: `None`, or `ERR_SERVER_NOT_RUNNING`.
pub type CloseCallback = Box<dyn Fn(Option<&NetError>)>;

/// Options of `net.createServer(options)`.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// `allowHalfOpen` of the accepted sockets (default false).
    pub allow_half_open: bool,
    /// `pauseOnConnect`: accepted sockets do not start reading.
    pub pause_on_connect: bool,
    /// `noDelay`: TCP_NODELAY on accepted sockets.
    pub no_delay: bool,
    /// `keepAlive` (with `keepAliveInitialDelay` in ms) on accepted sockets.
    pub keep_alive: Option<u64>,
}

/// What to listen on (`server.listen(options)`).
#[derive(Debug)]
pub enum ListenTarget {
    /// A TCP port (0 picks a free one) on `host` (an IP literal or `localhost`; `None` is
    /// every address: `::` dual-stack, or `0.0.0.0` where IPv6 is missing).
    Tcp {
        /// The port.
        port: u16,
        /// The host.
        host: Option<String>,
        /// `ipv6Only`: IPV6_V6ONLY on an IPv6 host.
        ipv6_only: bool,
    },
    /// A Unix-domain socket path (removed again by `close`).
    Path(PathBuf),
    /// An existing socket fd (`listen({ fd })`): bound already; `listen` is called on it.
    Fd(OwnedFd),
}

/// `server.listen(options)`: the target, the backlog and `exclusive`.
#[derive(Debug)]
pub struct ListenOptions {
    /// Where.
    pub target: ListenTarget,
    /// The backlog ([`DEFAULT_BACKLOG`]).
    pub backlog: i32,
    /// `exclusive`: only meaningful with cluster (not sharing the handle with the primary);
    /// kept for the cluster crate, no effect here.
    pub exclusive: bool,
}

impl ListenOptions {
    /// A TCP port on a host.
    pub fn tcp(port: u16, host: Option<&str>) -> ListenOptions {
        ListenOptions {
            target: ListenTarget::Tcp {
                port,
                host: host.map(str::to_owned),
                ipv6_only: false,
            },
            backlog: DEFAULT_BACKLOG,
            exclusive: false,
        }
    }

    /// A Unix-domain socket path.
    pub fn path(path: impl Into<PathBuf>) -> ListenOptions {
        ListenOptions {
            target: ListenTarget::Path(path.into()),
            backlog: DEFAULT_BACKLOG,
            exclusive: false,
        }
    }

    /// An existing socket fd.
    pub fn fd(fd: OwnedFd) -> ListenOptions {
        ListenOptions {
            target: ListenTarget::Fd(fd),
            backlog: DEFAULT_BACKLOG,
            exclusive: false,
        }
    }

    /// `backlog`.
    pub fn backlog(mut self, n: i32) -> ListenOptions {
        self.backlog = n;
        self
    }

    /// `ipv6Only` (TCP targets).
    pub fn ipv6_only(mut self, on: bool) -> ListenOptions {
        if let ListenTarget::Tcp { ipv6_only, .. } = &mut self.target {
            *ipv6_only = on;
        }
        self
    }

    /// `exclusive`.
    pub fn exclusive(mut self, on: bool) -> ListenOptions {
        self.exclusive = on;
        self
    }
}

/// The payload of the `drop` event (a connection refused because of `maxConnections`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropInfo {
    /// `localAddress`, `localPort`, `localFamily`.
    pub local: Option<Address>,
    /// `remoteAddress`, `remotePort`, `remoteFamily`.
    pub remote: Option<Address>,
}

struct State {
    fd: Option<OwnedFd>,
    kind: Kind,
    watcher: Option<nd::IoWatcher>,
    connections: usize,
    max_connections: usize,
    opts: ServerOptions,
    unrefed: bool,
    unix_path: Option<PathBuf>,
    /// A cluster worker's round-robin handle (Node's `RoundRobinHandle` in `child.js`): the
    /// primary listens and accepts; this server is listening without an fd.
    round_robin: Option<RoundRobin>,
    /// Run after each `close` event, outside the emitter: what a server built on this one
    /// (http's) must do when it closes, without a listener Node would not count.
    after_close: Vec<Rc<dyn Fn()>>,
}

/// A cluster worker's round-robin listen: the address the primary listens on and what
/// `close` tells the primary.
struct RoundRobin {
    address: Option<Address>,
    close: Option<Box<dyn FnOnce()>>,
}

/// What a cluster worker's `listen` on a TCP port asks the primary (Node's `serverQuery` for
/// `cluster._getServer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterQuery {
    /// The host (`None`: every address).
    pub address: Option<String>,
    /// The port (0: the primary picks one, once for every worker).
    pub port: u16,
    /// 4 or 6 (Node's `addressType`); 6 when no host is given, as Node's `-1` resolves.
    pub address_type: u8,
    /// The backlog.
    pub backlog: i32,
}

/// The primary's answer to a [`ClusterQuery`] (Node's `listenOnPrimaryHandle`).
#[non_exhaustive]
pub enum PrimaryHandle {
    /// Shared handle: the primary's listening socket; this server accepts on it.
    Shared(OwnedFd),
    /// Round-robin: the primary accepts and hands connections over
    /// ([`Server::accept_handed`]); `close` tells the primary this worker stops.
    RoundRobin {
        /// The address the primary listens on (`sockname`).
        address: Option<Address>,
        /// Called once when this server closes.
        close: Box<dyn FnOnce()>,
    },
}

/// cluster's `_getServer`: in a worker, `listen` on a TCP port (not `exclusive`) calls the
/// hook instead of binding, and the hook completes it with [`Server::listen_on_primary`].
pub type ClusterHook = Rc<dyn Fn(&Server, ClusterQuery)>;

thread_local! {
    static CLUSTER_HOOK: RefCell<Option<ClusterHook>> = const { RefCell::new(None) };
}

/// Installs (or removes) the cluster worker's listen hook on this thread (the cluster crate
/// does, in a worker).
pub fn set_cluster_hook(hook: Option<ClusterHook>) {
    CLUSTER_HOOK.with(|h| *h.borrow_mut() = hook);
}

struct Inner {
    em: EventEmitter,
    st: RefCell<State>,
}

/// `net.Server`. Cheap to clone; every clone is the same server.
#[derive(Clone)]
pub struct Server {
    inner: Rc<Inner>,
}

/// Two `Server`s are equal when they are the same server (clones of one another).
impl PartialEq for Server {
    fn eq(&self, other: &Server) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Server {}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.inner.st.borrow();
        f.debug_struct("Server")
            .field("listening", &st.fd.is_some())
            .field("connections", &st.connections)
            .finish()
    }
}

/// `net.createServer(options, connectionListener)`.
///
/// # Panics
/// Outside a running loop (when it listens).
#[doc(alias = "createServer")]
pub fn create_server(opts: ServerOptions, on_connection: impl Fn(&Socket) + 'static) -> Server {
    let s = Server::new(opts);
    s.on_connection(on_connection);
    s
}

thread_local! {
    /// libuv's `loop->emfile_fd`: a reserve fd given up to accept-and-close connections
    /// when the process is out of fds, so the backlog does not fill (uv__emfile_trick).
    static EMFILE_RESERVE: RefCell<Option<OwnedFd>> = const { RefCell::new(None) };
}

fn open_reserve() {
    EMFILE_RESERVE.with(|r| {
        let mut r = r.borrow_mut();
        if r.is_none() {
            *r = std::fs::File::open("/").ok().map(OwnedFd::from);
        }
    });
}

/// `uv__emfile_trick`: close the reserve, accept and close until EAGAIN, reopen it.
fn emfile_trick(listen_fd: &OwnedFd) -> io::Result<()> {
    let had = EMFILE_RESERVE.with(|r| r.borrow_mut().take());
    if had.is_none() {
        return Err(io::Error::from_raw_os_error(24));
    }
    drop(had);
    let r = loop {
        match sys::accept(listen_fd) {
            Ok(fd) => drop(fd),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break e,
        }
    };
    open_reserve();
    Err(r)
}

impl Server {
    /// `new net.Server(options)`.
    pub fn new(opts: ServerOptions) -> Server {
        Server {
            inner: Rc::new(Inner {
                em: EventEmitter::new(),
                st: RefCell::new(State {
                    fd: None,
                    kind: Kind::Tcp,
                    watcher: None,
                    connections: 0,
                    max_connections: 0,
                    opts,
                    unrefed: false,
                    unix_path: None,
                    round_robin: None,
                    after_close: Vec::new(),
                }),
            }),
        }
    }

    /// The event emitter (for `once`, `off` and other events).
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    /// Adds a `connection` listener.
    pub fn on_connection(&self, f: impl Fn(&Socket) + 'static) -> ListenerId {
        self.inner.em.on(Named::<Socket>::new("connection"), f)
    }
    /// Adds a `listening` listener.
    pub fn on_listening(&self, f: impl Fn() + 'static) -> ListenerId {
        self.inner
            .em
            .on(Named::<()>::new("listening"), move |_| f())
    }
    /// Adds a `close` listener.
    pub fn on_close(&self, f: impl Fn() + 'static) -> ListenerId {
        self.inner.em.on(Named::<()>::new("close"), move |_| f())
    }
    /// Adds an `error` listener. Without one, an error is an uncaught exception (a panic
    /// on the loop), as in Node.
    pub fn on_error(&self, f: impl Fn(&NetError) + 'static) -> ListenerId {
        self.inner.em.on(Named::<NetError>::new("error"), f)
    }
    /// Adds a `drop` listener (connections refused over `maxConnections`).
    pub fn on_drop(&self, f: impl Fn(&DropInfo) + 'static) -> ListenerId {
        self.inner.em.on(Named::<DropInfo>::new("drop"), f)
    }

    fn emit_error(&self, e: NetError) {
        if self
            .inner
            .em
            .emit(Named::<NetError>::new("error"), e.clone())
            .is_err()
        {
            panic!("Unhandled 'error' event: {e}");
        }
    }

    fn emit_plain(&self, name: &'static str) {
        let _ = self.inner.em.emit(Named::<()>::new(name), ());
    }

    /// `server.listen(options, cb)`: `cb` becomes a one-time `listening` listener.
    /// `listening` is emitted on the next tick; a failure is emitted as `error` on the next
    /// tick with Node's message (`listen EADDRINUSE: address already in use
    /// 127.0.0.1:8080`).
    ///
    /// # Errors
    /// `ERR_SERVER_ALREADY_LISTEN` when already listening (Node throws).
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn listen(
        &self,
        opts: ListenOptions,
        cb: Option<Box<dyn Fn()>>,
    ) -> Result<&Server, NetError> {
        if self.listening() {
            return Err(NetError::server_already_listen());
        }
        if let Some(cb) = cb {
            self.inner
                .em
                .once(Named::<()>::new("listening"), move |_| cb());
        }
        // A host goes through Node's `lookupAndListen`: `dns.lookup` answers an IP literal
        // on the next tick, and the socket is bound then.
        let looked_up = matches!(&opts.target, ListenTarget::Tcp { host: Some(_), .. });
        if looked_up {
            let s = self.clone();
            nd::next_tick(move || s.listen_in_cluster(opts));
        } else {
            self.listen_in_cluster(opts);
        }
        Ok(self)
    }

    /// Node's `listenInCluster` (for the primary): bind and listen now, emit `listening`
    /// or the error on the next tick.
    fn listen_in_cluster(&self, opts: ListenOptions) {
        if let (ListenTarget::Tcp { port, host, .. }, false) = (&opts.target, opts.exclusive) {
            if let Some(hook) = CLUSTER_HOOK.with(|h| h.borrow().clone()) {
                let v4 = host
                    .as_deref()
                    .is_some_and(|h| h == "localhost" || h.contains('.'));
                let query = ClusterQuery {
                    address: host.clone(),
                    port: *port,
                    address_type: if v4 { 4 } else { 6 },
                    backlog: opts.backlog,
                };
                hook(self, query);
                return;
            }
        }
        self.listened(self.setup_listen_handle(opts));
    }

    /// `listening` (or the error) on the next tick.
    fn listened(&self, r: Result<(), NetError>) {
        let s = self.clone();
        match r {
            Ok(()) => nd::next_tick(move || {
                if s.listening() {
                    s.emit_plain("listening");
                }
            }),
            Err(e) => nd::next_tick(move || s.emit_error(e)),
        }
    }

    /// `server.listen(port, host, cb)`.
    ///
    /// # Errors
    /// As [`Server::listen`].
    #[doc(alias = "listen")]
    pub fn listen_port(
        &self,
        port: u16,
        host: Option<&str>,
        cb: impl Fn() + 'static,
    ) -> Result<&Server, NetError> {
        self.listen(ListenOptions::tcp(port, host), Some(Box::new(cb)))
    }

    fn setup_listen_handle(&self, opts: ListenOptions) -> Result<(), NetError> {
        let backlog = opts.backlog;
        let (fd, kind, path) = match opts.target {
            ListenTarget::Tcp {
                port,
                host,
                ipv6_only,
            } => {
                let fail = |e: &io::Error, addr: &str| {
                    NetError::uv_with_host_port(os_errno(e), "listen", addr, Some(i32::from(port)))
                };
                let fd = match host.as_deref() {
                    None => {
                        let any6 = SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port);
                        match sys::tcp_bind(any6, ipv6_only) {
                            Ok(fd) => fd,
                            Err(e) if e.raw_os_error() == Some(98) => {
                                return Err(fail(&e, "::"));
                            }
                            Err(_) => {
                                let any4 = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port);
                                sys::tcp_bind(any4, false).map_err(|e| fail(&e, "0.0.0.0"))?
                            }
                        }
                    }
                    Some(h) => {
                        let ip: IpAddr = if h == "localhost" {
                            IpAddr::V4(Ipv4Addr::LOCALHOST)
                        } else {
                            h.parse().map_err(|_| {
                                NetError::code_only(
                                    "ENOTFOUND",
                                    &format!("getaddrinfo ENOTFOUND {h}"),
                                )
                            })?
                        };
                        let addr = SocketAddr::new(ip, port);
                        sys::tcp_bind(addr, ipv6_only).map_err(|e| fail(&e, &ip.to_string()))?
                    }
                };
                let shown = sys::local_address(&fd);
                if let Err(e) = sys::listen(&fd, backlog) {
                    let addr = match shown {
                        Some(Address::Inet { address, .. }) => address,
                        _ => String::new(),
                    };
                    return Err(fail(&e, &addr));
                }
                (fd, Kind::Tcp, None)
            }
            ListenTarget::Path(path) => {
                let shown = path.to_string_lossy().into_owned();
                let fail = |e: &io::Error| {
                    NetError::uv_with_host_port(os_errno(e), "listen", &shown, Some(-1))
                };
                let fd = sys::unix_bind(&path).map_err(|e| fail(&e))?;
                sys::listen(&fd, backlog).map_err(|e| fail(&e))?;
                (fd, Kind::Unix, Some(path))
            }
            ListenTarget::Fd(fd) => {
                let fail =
                    |e: &io::Error| NetError::uv_with_host_port(os_errno(e), "listen", "", None);
                let kind = sys::kind_of(&fd).map_err(|e| fail(&e))?;
                nodestd_sys::set_nonblocking(&fd, true)
                    .and_then(|()| nodestd_sys::set_cloexec(&fd, true))
                    .map_err(|e| fail(&e))?;
                sys::listen(&fd, backlog).map_err(|e| fail(&e))?;
                (fd, kind, None)
            }
        };
        open_reserve();
        // The watcher's callback holds the server: a listening server lives until closed,
        // as a Node server is held by its handle, even when the program keeps no reference.
        let this = self.clone();
        let watcher = nd::IoWatcher::borrowed(fd.as_raw_fd(), nd::Interest::Readable, move |_| {
            this.on_readable();
        })
        .map_err(|e| NetError::uv_with_host_port(os_errno(&e), "listen", "", None))?;
        let mut st = self.inner.st.borrow_mut();
        if st.unrefed {
            watcher.unref();
        }
        st.fd = Some(fd);
        st.kind = kind;
        st.watcher = Some(watcher);
        st.unix_path = path;
        Ok(())
    }

    /// `uv__server_io`: accept until EAGAIN; each connection is handed to `onconnection`
    /// at once.
    fn on_readable(&self) {
        loop {
            let r = {
                let st = self.inner.st.borrow();
                let Some(fd) = st.fd.as_ref() else { return };
                match sys::accept(fd) {
                    Err(e) if matches!(e.raw_os_error(), Some(24 | 23)) => {
                        Err(emfile_trick(fd).unwrap_err())
                    }
                    r => r,
                }
            };
            match r {
                Ok(fd) => self.on_connection_fd(fd),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.raw_os_error() == Some(103) => {}
                Err(e) => {
                    self.emit_error(NetError::errno(os_errno(&e), "accept"));
                    return;
                }
            }
        }
    }

    /// Node's `onconnection`.
    fn on_connection_fd(&self, fd: OwnedFd) {
        let (max, count, kind, opts) = {
            let st = self.inner.st.borrow();
            (st.max_connections, st.connections, st.kind, st.opts.clone())
        };
        if max > 0 && count >= max {
            let info = DropInfo {
                local: sys::local_address(&fd),
                remote: sys::peer_address(&fd),
            };
            drop(fd);
            let _ = self.inner.em.emit(Named::<DropInfo>::new("drop"), info);
            return;
        }
        let socket = Socket::from_connected(
            fd,
            kind,
            SocketOptions {
                allow_half_open: opts.allow_half_open,
                pause_on_create: opts.pause_on_connect,
                ..SocketOptions::default()
            },
        );
        if opts.no_delay {
            socket.set_no_delay(true);
        }
        if let Some(d) = opts.keep_alive {
            socket.set_keep_alive(true, d);
        }
        self.inner.st.borrow_mut().connections += 1;
        let weak = Rc::downgrade(&self.inner);
        socket.set_on_handle_close(move || {
            if let Some(inner) = Weak::upgrade(&weak) {
                inner.st.borrow_mut().connections -= 1;
                Server { inner }.emit_close_if_drained();
            }
        });
        let _ = self
            .inner
            .em
            .emit(Named::<Socket>::new("connection"), socket);
    }

    fn emit_close_if_drained(&self) {
        {
            let st = self.inner.st.borrow();
            if st.fd.is_some() || st.round_robin.is_some() || st.connections > 0 {
                return;
            }
        }
        let s = self.clone();
        nd::next_tick(move || {
            s.emit_plain("close");
            let hooks = s.inner.st.borrow().after_close.clone();
            for hook in hooks {
                hook();
            }
        });
    }

    /// Runs `f` after each `close` event, after its listeners, without being one (the
    /// emitter's `listenerCount('close')` does not see it): for a server built on this one,
    /// as `http.Server` is on `net.Server`, to learn that it closed however it was closed.
    #[doc(hidden)]
    pub fn after_close(&self, f: impl Fn() + 'static) {
        self.inner.st.borrow_mut().after_close.push(Rc::new(f));
    }

    /// `server.close(cb)`: stops accepting at once; `close` (and `cb`) follow on the next
    /// tick after the last connection ends. `cb` gets `ERR_SERVER_NOT_RUNNING` when the
    /// server was not listening.
    pub fn close(&self, cb: Option<CloseCallback>) -> &Server {
        let listening = self.listening();
        if let Some(cb) = cb {
            if listening {
                self.inner
                    .em
                    .once(Named::<()>::new("close"), move |_| cb(None));
            } else {
                let e = NetError::server_not_running();
                self.inner
                    .em
                    .once(Named::<()>::new("close"), move |_| cb(Some(&e)));
            }
        }
        let (watcher, fd, path, rr) = {
            let mut st = self.inner.st.borrow_mut();
            let rr = st.round_robin.take();
            (st.watcher.take(), st.fd.take(), st.unix_path.take(), rr)
        };
        if let Some(close) = rr.and_then(|mut r| r.close.take()) {
            close();
        }
        if let Some(w) = watcher {
            w.close_quietly();
        }
        drop(fd);
        if let Some(p) = path {
            // uv__pipe_close unlinks the socket's path.
            let _ = std::fs::remove_file(p);
        }
        self.emit_close_if_drained();
        self
    }

    /// Hands the listening socket over (for `child_process` handle passing and cluster's
    /// shared handles): the fd leaves the poller and this server, which stops listening
    /// without a `close` event. Rebuild with `listen(ListenOptions::fd(fd))`
    /// ([`Server::from_fd`]). A Unix socket's path is not removed.
    pub fn into_owned_fd(&self) -> Option<OwnedFd> {
        let (watcher, fd) = {
            let mut st = self.inner.st.borrow_mut();
            st.unix_path = None;
            (st.watcher.take(), st.fd.take())
        };
        if let Some(w) = watcher {
            w.close_quietly();
        }
        fd
    }

    /// A duplicate of the listening socket's fd, the server listening on (for
    /// `child_process`'s `send(msg, server)`, which shares the listening socket and leaves
    /// this server listening, as Node's does). `None` when not listening or out of fds.
    pub fn dup_fd(&self) -> Option<OwnedFd> {
        let st = self.inner.st.borrow();
        st.fd
            .as_ref()
            .and_then(|fd| nodestd_sys::dup_cloexec(fd).ok())
    }

    /// A server listening on a socket fd handed over by [`Server::into_owned_fd`] (or
    /// received over IPC): `listen({ fd })`.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn from_fd(
        fd: OwnedFd,
        opts: ServerOptions,
        on_connection: impl Fn(&Socket) + 'static,
    ) -> Server {
        let s = create_server(opts, on_connection);
        let _ = s.listen(ListenOptions::fd(fd), None);
        s
    }

    /// `server.listening`.
    pub fn listening(&self) -> bool {
        let st = self.inner.st.borrow();
        st.fd.is_some() || st.round_robin.is_some()
    }

    /// Completes a listen handed to the cluster hook (Node's `listenOnPrimaryHandle`):
    /// `listening` on the next tick, or the primary's error (`listen EADDRINUSE ...`).
    pub fn listen_on_primary(&self, answer: Result<PrimaryHandle, NetError>) {
        match answer {
            Ok(PrimaryHandle::Shared(fd)) => {
                self.listen_in_cluster(ListenOptions {
                    exclusive: true,
                    ..ListenOptions::fd(fd)
                });
            }
            Ok(PrimaryHandle::RoundRobin { address, close }) => {
                self.inner.st.borrow_mut().round_robin = Some(RoundRobin {
                    address,
                    close: Some(close),
                });
                self.listened(Ok(()));
            }
            Err(e) => self.listened(Err(e)),
        }
    }

    /// A connection the server did not accept itself (a cluster worker's round-robin
    /// `onconnection`, Node's `server.emit('connection')` path): counted, configured and
    /// emitted as an accepted one. An fd that is no socket is closed.
    pub fn accept_handed(&self, fd: OwnedFd) {
        if nodestd_sys::set_nonblocking(&fd, true)
            .and_then(|()| nodestd_sys::set_cloexec(&fd, true))
            .is_ok()
        {
            self.on_connection_fd(fd);
        }
    }

    /// `server.address()`: `{ address, family, port }` for TCP, the path for a Unix socket;
    /// `None` when not listening.
    pub fn address(&self) -> Option<Address> {
        let st = self.inner.st.borrow();
        if let Some(p) = &st.unix_path {
            return Some(Address::Path(p.to_string_lossy().into_owned()));
        }
        if let Some(rr) = &st.round_robin {
            return rr.address.clone();
        }
        st.fd.as_ref().and_then(sys::local_address)
    }

    /// The port listened on (a shortcut for `address().port`).
    pub fn port(&self) -> Option<u16> {
        match self.address()? {
            Address::Inet { port, .. } => Some(port),
            Address::Path(_) => None,
        }
    }

    /// `server.getConnections(cb)`: `cb` gets the count on the next tick.
    #[doc(alias = "getConnections")]
    pub fn get_connections(&self, cb: impl FnOnce(Result<usize, NetError>) + 'static) {
        let n = self.inner.st.borrow().connections;
        nd::next_tick(move || cb(Ok(n)));
    }

    /// The number of open connections now (what `getConnections` reports).
    pub fn connections(&self) -> usize {
        self.inner.st.borrow().connections
    }

    /// `server.maxConnections = n` (0: no limit).
    pub fn set_max_connections(&self, n: usize) -> &Server {
        self.inner.st.borrow_mut().max_connections = n;
        self
    }

    /// `server.maxConnections`.
    pub fn max_connections(&self) -> usize {
        self.inner.st.borrow().max_connections
    }

    /// `server.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) -> &Server {
        let mut st = self.inner.st.borrow_mut();
        st.unrefed = false;
        if let Some(w) = &st.watcher {
            w.ref_();
        }
        self
    }

    /// `server.unref()`: the server no longer keeps the loop alive by itself.
    pub fn unref(&self) -> &Server {
        let mut st = self.inner.st.borrow_mut();
        st.unrefed = true;
        if let Some(w) = &st.watcher {
            w.unref();
        }
        self
    }

    /// The address family listened on.
    pub fn family(&self) -> Option<Family> {
        match self.address()? {
            Address::Inet { family, .. } => Some(family),
            Address::Path(_) => None,
        }
    }
}
