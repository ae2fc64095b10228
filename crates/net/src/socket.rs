//! `net.Socket`: a Duplex stream of `nodestd-stream` over a TCP or Unix-domain socket,
//! with Node's `net.js` behaviour on top of libuv's `stream.c`/`tcp.c` semantics: reads start
//! when the stream asks (`_read`, `uv_read_start`) and stop when `push` reports the
//! high-water mark (`uv_read_stop`, so a paused socket no longer keeps the loop alive);
//! writes are tried at once and the rest waits for writability (a synchronous completion
//! calls back synchronously, as `afterWriteDispatched`); `end()` shuts the write side down
//! once the writes are flushed (`uv_shutdown`, completed in the pending phase when nothing
//! is queued); `destroy()` closes the fd at once and `close` follows in the close phase.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_events::{ListenerId, Named};
use nodestd_loop as nd;
use nodestd_stream::{Bytes, Callback, Chunk, Duplex, Error, Options};

use crate::error::{NetError, os_errno};
use crate::sys::{self, Kind};
use crate::{Address, Family};

/// libuv's read size for a stream (`uv_buf_t` of 64 KiB from Node's allocator).
const READ_SIZE: usize = 64 * 1024;

/// The options of `new net.Socket(options)` / `net.connect(options)` that a socket keeps.
#[derive(Debug, Clone, Default)]
pub struct SocketOptions {
    /// `allowHalfOpen` (default false): when false, the end of the readable side ends the
    /// writable side.
    pub allow_half_open: bool,
    /// `readable: false`: no reading is started (for an fd handed over write-only).
    pub no_read: bool,
    /// `pauseOnConnect` (accepted sockets): reading is not started until `resume`/`read`.
    pub pause_on_create: bool,
    /// `noDelay`: TCP_NODELAY right after connecting.
    pub no_delay: bool,
    /// `keepAlive` with `keepAliveInitialDelay` in ms.
    pub keep_alive: Option<u64>,
    /// `timeout` (`net.connect({ timeout })`): [`Socket::set_timeout`] at creation.
    pub timeout: Option<u64>,
    /// `family` for a host name's lookup: 4, 6, or 0 (either).
    pub family: u8,
    /// `hints` for a host name's lookup (`nodestd_dns::ADDRCONFIG` …; 0 is Node's default).
    pub hints: u32,
    /// `lookup`: a custom lookup function in place of `dns.lookup`.
    pub lookup: Option<crate::resolve::LookupFn>,
}

/// Where to connect: `net.connect(port, host)` or `net.connect(path)`.
#[derive(Debug, Clone)]
pub enum ConnectTarget {
    /// A TCP port and host: an IP literal or a name, resolved as Node's `dns.lookup` does
    /// (default `localhost`).
    Tcp {
        /// The port.
        port: u16,
        /// The host; `None` is Node's default, `localhost`.
        host: Option<String>,
    },
    /// A Unix-domain socket path.
    Path(PathBuf),
}

type Cb = Box<dyn FnOnce()>;

#[derive(Default)]
struct TimeoutState {
    ms: u64,
    timer: Option<nd::Timeout>,
    fired: Rc<Cell<bool>>,
}

#[derive(Default)]
pub(crate) struct State {
    fd: Option<OwnedFd>,
    kind: Option<Kind>,
    watcher: Option<nd::IoWatcher>,
    /// `handle.reading`: `uv_read_start` is on.
    reading: bool,
    connecting: bool,
    /// Set once `connect` was asked for (Node's `pending` is false from then on).
    had_target: bool,
    /// `connect()` failed at once: reported from the pending phase, as libuv's
    /// `delayed_error`.
    delayed_error: Option<io::Error>,
    target: Option<(String, Option<i32>)>,
    read_on_connect: bool,
    write_on_connect: Option<(Bytes, Callback)>,
    final_on_connect: Option<Callback>,
    /// The one write in flight (the Writable gives one at a time), what is left of it.
    write_req: Option<(Bytes, Callback)>,
    shutdown_req: Option<Callback>,
    bytes_read: u64,
    bytes_dispatched: u64,
    timeout: TimeoutState,
    unrefed: bool,
    opts: SocketOptions,
    /// Run when the handle closes (the server's `_connections--`).
    on_handle_close: Option<Cb>,
    handle_closed: bool,
    /// Node's `_peername`: the peer's address once asked for, kept after the close.
    peername: Option<Address>,
    /// The peer's FIN arrived on a socket without `allowHalfOpen` (`writeAfterFIN`).
    fin_received: bool,
    /// Our side was shut down (`shutdown(SHUT_WR)`): with the peer's FIN too, the kernel
    /// reports POLLHUP.
    write_shut: bool,
    /// A socket layered over another connection ([`Socket::layered`], Node's `TLSSocket`
    /// over its TCP handle): the connection's facts and options are this one's.
    under: Option<Socket>,
    /// `socket.encrypted` (a TLS layer).
    encrypted: bool,
}

/// `net.Socket`. Cheap to clone (every clone is the same socket); it derefs to its
/// [`Duplex`] for the stream side (`write`, `end`, `on_data`, `pause`, `pipe` …).
#[derive(Clone)]
pub struct Socket {
    stream: Duplex,
    st: Rc<RefCell<State>>,
}

impl std::ops::Deref for Socket {
    type Target = Duplex;
    fn deref(&self) -> &Duplex {
        &self.stream
    }
}

impl std::fmt::Debug for Socket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.st.borrow();
        f.debug_struct("Socket")
            .field("connecting", &st.connecting)
            .field("reading", &st.reading)
            .field("destroyed", &self.stream.destroyed())
            .finish()
    }
}

/// What [`Socket::into_owned_fd`] hands over: the fd and the state Node's `child_process`
/// sends with a socket handle.
#[derive(Debug)]
pub struct SocketHandOver {
    /// The connected socket.
    pub fd: OwnedFd,
    /// Whether the readable side was still open (not ended).
    pub readable: bool,
    /// Whether the writable side was still open (not ended).
    pub writable: bool,
    /// `allowHalfOpen`.
    pub allow_half_open: bool,
}

impl Socket {
    /// `new net.Socket(options)`: a socket with no connection yet; call
    /// [`Socket::connect`].
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new(opts: SocketOptions) -> Socket {
        Socket::build(None, None, opts)
    }

    fn apply_timeout_option(&self) {
        let timeout = self.st.borrow().opts.timeout;
        if let Some(ms) = timeout {
            self.set_timeout(ms);
        }
    }

    fn build(fd: Option<OwnedFd>, kind: Option<Kind>, opts: SocketOptions) -> Socket {
        let st = Rc::new(RefCell::new(State {
            fd,
            kind,
            opts: opts.clone(),
            ..State::default()
        }));
        let (s1, s2, s3, s4, s5) = (
            Rc::clone(&st),
            Rc::clone(&st),
            Rc::clone(&st),
            Rc::clone(&st),
            Rc::clone(&st),
        );
        let stream: Duplex = Duplex::new_duplex(
            Options::new()
                .allow_half_open(opts.allow_half_open)
                .emit_close(false)
                .auto_destroy(true)
                .read(move |s, _n| Socket::wrap(s, &s1).on_read())
                .write(move |s, chunk: Chunk, cb| {
                    Socket::wrap(s, &s2).write_generic(chunk.into_bytes(), cb)
                })
                .writev(move |s, chunks: Vec<Chunk>, cb| {
                    let mut all = Vec::new();
                    for c in &chunks {
                        all.extend_from_slice(c.as_bytes());
                    }
                    Socket::wrap(s, &s3).write_generic(Bytes::from(all), cb)
                })
                .final_(move |s, cb| Socket::wrap(s, &s4).on_final(cb))
                .destroy(move |s, err, cb| {
                    // Node's order: the handle's close, `cb(exception)`, then (no handle)
                    // `close` on the next tick, then the server's `_connections--`.
                    let sock = Socket::wrap(s, &s5);
                    let had_handle = sock.close_handle(err.is_some());
                    cb.call(err);
                    if !had_handle {
                        nd::next_tick(move || sock.emit_close(false));
                    }
                    let on_close = s5.borrow_mut().on_handle_close.take();
                    if let Some(f) = on_close {
                        f();
                    }
                }),
        );
        if !opts.allow_half_open {
            // Node's onReadableStreamEnd: after the peer's FIN, writes once the writable side
            // has ended are `writeAfterFIN`.
            let s6 = Rc::clone(&st);
            stream.on_end(move || s6.borrow_mut().fin_received = true);
        }
        Socket { stream, st }
    }

    /// `socket.write(chunk)`: the stream's `write`, except after the peer's FIN on a socket
    /// without `allowHalfOpen` whose writable side has ended, where it is Node's
    /// `writeAfterFIN` (the socket is destroyed with EPIPE "This socket has been ended by
    /// the other party").
    pub fn write(&self, chunk: Chunk) -> bool {
        self.write_cb(chunk, None)
    }

    /// `socket.write(chunk, cb)` (see [`Socket::write`]).
    #[doc(alias = "write")]
    pub fn write_with(&self, chunk: Chunk, cb: impl FnOnce(Option<Error>) + 'static) -> bool {
        self.write_cb(chunk, Some(Box::new(cb)))
    }

    fn write_cb(&self, chunk: Chunk, cb: Option<Box<dyn FnOnce(Option<Error>)>>) -> bool {
        if !(self.st.borrow().fin_received && self.stream.writable_ended()) {
            return match cb {
                Some(cb) => self.stream.write_with(chunk, cb),
                None => self.stream.write(chunk),
            };
        }
        let er = NetError::code_only("EPIPE", "This socket has been ended by the other party")
            .into_stream_error();
        if let Some(cb) = cb {
            let e = er.clone();
            nd::next_tick(move || cb(Some(e)));
        }
        self.stream.destroy(Some(er));
        false
    }

    fn wrap(s: &Duplex, st: &Rc<RefCell<State>>) -> Socket {
        Socket {
            stream: s.clone(),
            st: Rc::clone(st),
        }
    }

    /// A socket whose stream is `stream`, a layer over the connection of `under` (Node's
    /// `TLSSocket`, a `net.Socket` whose handle is a TLS layer over the TCP handle), or over
    /// no connection at all (a Duplex handed to an http server, as Node's
    /// `server.emit('connection', duplex)`). Reading, writing, ending and destroying are the
    /// stream's (the layer destroys `under` when it is destroyed); the connection's facts
    /// and options go to `under`: `address`, `remoteAddress`/`remotePort`, `setNoDelay`,
    /// `setKeepAlive`, `ref`/`unref`, `bytesRead`/`bytesWritten`, `connecting`, and the
    /// inactivity timeout (`setTimeout`, `timeout` listeners: activity is the connection's
    /// bytes). Without `under` they answer as a socket with no connection. A layered socket
    /// cannot hand its fd over ([`Socket::into_owned_fd`] is `None`), and its `close`
    /// carries no `hadError`.
    pub fn layered(stream: Duplex, under: Option<&Socket>, encrypted: bool) -> Socket {
        let st = Rc::new(RefCell::new(State {
            under: under.cloned(),
            encrypted,
            ..State::default()
        }));
        Socket { stream, st }
    }

    /// The socket this one is layered over ([`Socket::layered`]).
    fn lower(&self) -> Option<Socket> {
        self.st.borrow().under.clone()
    }

    /// `socket.encrypted`: a TLS layer ([`Socket::layered`]); false for a plain socket.
    pub fn encrypted(&self) -> bool {
        self.st.borrow().encrypted
    }

    /// A socket over a connection this process accepted or received (Node's
    /// `new Socket({ handle })`), reading at once unless `opts` says otherwise.
    pub(crate) fn from_connected(fd: OwnedFd, kind: Kind, opts: SocketOptions) -> Socket {
        let start = !opts.no_read && !opts.pause_on_create;
        let pause = opts.pause_on_create;
        let s = Socket::build(Some(fd), Some(kind), opts);
        if pause {
            s.stream.pause();
        }
        if start {
            s.stream.read(Some(0));
        }
        s
    }

    /// `new net.Socket({ fd })`: rebuilds a connected socket from an fd (one handed over by
    /// [`Socket::into_owned_fd`], received over IPC, or inherited). The fd is made
    /// non-blocking and close-on-exec.
    ///
    /// # Errors
    /// `ENOTSOCK` (or the OS error) when `fd` is not a TCP or Unix stream socket.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn from_fd(fd: OwnedFd, opts: SocketOptions) -> Result<Socket, NetError> {
        let kind = sys::kind_of(&fd).map_err(|e| NetError::errno(os_errno(&e), "open"))?;
        nodestd_sys::set_nonblocking(&fd, true)
            .and_then(|()| nodestd_sys::set_cloexec(&fd, true))
            .map_err(|e| NetError::errno(os_errno(&e), "open"))?;
        Ok(Socket::from_connected(fd, kind, opts))
    }

    /// A duplicate of the connection's fd, this socket staying as it is (for
    /// `child_process`'s `send(msg, socket, { keepOpen: true })` and a socket in a child's
    /// stdio slot, where Node shares the handle). `None` when the socket has no fd (not
    /// connected yet, destroyed, layered) or out of fds.
    pub fn dup_fd(&self) -> Option<OwnedFd> {
        let st = self.st.borrow();
        if st.connecting {
            return None;
        }
        st.fd
            .as_ref()
            .and_then(|fd| nodestd_sys::dup_cloexec(fd).ok())
    }

    /// Hands the connection over (for `child_process`'s `send(msg, socket)` and cluster):
    /// reading stops, the fd leaves the loop's poller and this socket, and the socket is
    /// destroyed without touching the connection (its `close` event follows). Data already
    /// read into the stream's buffer stays with this socket, as in Node.
    ///
    /// A write still waiting for writability is dropped with the socket (its callback is not
    /// called); hand over between writes, after `drain`.
    ///
    /// Returns `None` if the socket has no fd (not connected yet, or destroyed).
    pub fn into_owned_fd(&self) -> Option<SocketHandOver> {
        let (fd, watcher) = {
            let mut st = self.st.borrow_mut();
            if st.connecting || st.under.is_some() {
                return None;
            }
            st.reading = false;
            (st.fd.take()?, st.watcher.take())
        };
        if let Some(w) = watcher {
            w.close_quietly();
        }
        let hand = SocketHandOver {
            fd,
            readable: !self.stream.readable_ended(),
            writable: !self.stream.writable_ended(),
            allow_half_open: self.st.borrow().opts.allow_half_open,
        };
        self.stream.destroy(None);
        Some(hand)
    }

    // ----- connecting -----

    /// `socket.connect(...)`. For a TCP target with an IP literal the connection starts on
    /// the next tick (Node's `lookupAndConnect`); a name is looked up first (see
    /// [`Socket::on_lookup`]); for a path, at once. `connect` is
    /// emitted in the poll phase when it completes; a failure destroys the socket with
    /// Node's error (`connect ECONNREFUSED 127.0.0.1:1`).
    pub fn connect(&self, target: ConnectTarget) -> &Socket {
        {
            let mut st = self.st.borrow_mut();
            st.connecting = true;
            st.had_target = true;
        }
        match target {
            ConnectTarget::Path(path) => self.internal_connect_path(path),
            ConnectTarget::Tcp { port, host } => {
                let host = host.unwrap_or_else(|| "localhost".to_owned());
                let Ok(ip) = host.parse::<IpAddr>() else {
                    self.lookup_and_connect(host, port);
                    return self;
                };
                let s = self.clone();
                nd::next_tick(move || {
                    if s.st.borrow().connecting {
                        s.internal_connect(SocketAddr::new(ip, port));
                    }
                });
            }
        }
        self
    }

    /// `socket.connect(...)` with a callback added as a one-time `connect` listener.
    #[doc(alias = "connect")]
    pub fn connect_with(&self, target: ConnectTarget, cb: impl Fn() + 'static) -> &Socket {
        self.once_connect(cb);
        self.connect(target)
    }

    pub(crate) fn internal_connect(&self, addr: SocketAddr) {
        let address = addr.ip().to_string();
        self.st.borrow_mut().target = Some((address.clone(), Some(i32::from(addr.port()))));
        let fd = match sys::tcp_socket(&addr.ip()) {
            Ok(fd) => fd,
            Err(e) => {
                return self.fail_connect(&e);
            }
        };
        self.start_connect(fd, Kind::Tcp, sys::ConnectTo::Addr(addr));
    }

    fn internal_connect_path(&self, path: PathBuf) {
        self.st.borrow_mut().target = Some((path.to_string_lossy().into_owned(), None));
        let fd = match sys::unix_socket() {
            Ok(fd) => fd,
            Err(e) => return self.fail_connect(&e),
        };
        self.start_connect(fd, Kind::Unix, sys::ConnectTo::Path(path));
    }

    fn start_connect(&self, fd: OwnedFd, kind: Kind, to: sys::ConnectTo) {
        let result = match &to {
            sys::ConnectTo::Addr(a) => sys::connect(&fd, a),
            sys::ConnectTo::Path(p) => sys::connect_unix(&fd, p),
        };
        {
            let mut st = self.st.borrow_mut();
            st.fd = Some(fd);
            st.kind = Some(kind);
        }
        match result {
            Ok(_) => {
                // Connected or in progress: writability reports it.
                self.update_interest();
            }
            Err(e) if e.raw_os_error() == Some(111) || kind == Kind::Unix => {
                // libuv's delayed_error: reported from the pending phase.
                self.st.borrow_mut().delayed_error = Some(e);
                let s = self.clone();
                nd::queue_pending(move || s.after_connect());
                self.update_interest();
            }
            Err(e) => self.fail_connect(&e),
        }
    }

    fn fail_connect(&self, e: &io::Error) {
        let (address, port) = self
            .st
            .borrow()
            .target
            .clone()
            .unwrap_or_else(|| (String::new(), None));
        self.stream.destroy(Some(
            NetError::with_host_port(os_errno(e), "connect", &address, port).into_stream_error(),
        ));
    }

    /// Node's `afterConnect`.
    fn after_connect(&self) {
        let (connecting, delayed, fd_ok) = {
            let mut st = self.st.borrow_mut();
            (st.connecting, st.delayed_error.take(), st.fd.is_some())
        };
        if !connecting || !fd_ok {
            return;
        }
        let err = match delayed {
            Some(e) => Some(e),
            None => {
                let st = self.st.borrow();
                match sys::take_error(st.fd.as_ref().expect("checked above")) {
                    Ok(e) => e,
                    Err(e) => Some(e),
                }
            }
        };
        if let Some(e) = err {
            self.st.borrow_mut().connecting = false;
            return self.fail_connect(&e);
        }
        let (read_on_connect, write, fin) = {
            let mut st = self.st.borrow_mut();
            st.connecting = false;
            (
                std::mem::take(&mut st.read_on_connect),
                st.write_on_connect.take(),
                st.final_on_connect.take(),
            )
        };
        self.update_interest();
        self.unref_timer();
        let opts = self.st.borrow().opts.clone();
        if opts.no_delay {
            self.set_no_delay(true);
        }
        if let Some(delay) = opts.keep_alive {
            self.set_keep_alive(true, delay);
        }
        self.emit_plain("connect");
        if let Some((data, cb)) = write {
            self.write_generic(data, cb);
        }
        if let Some(cb) = fin {
            self.on_final(cb);
        }
        self.emit_plain("ready");
        if self.stream.destroyed() {
            return;
        }
        if read_on_connect {
            self.read_start();
        } else if !self.stream.is_paused() {
            self.stream.read(Some(0));
        }
    }

    // ----- the watcher -----

    /// Sets the poller's interest from the state: readable while reading, writable while
    /// connecting or a write waits; stopped (not keeping the loop alive) otherwise.
    fn update_interest(&self) {
        let result = {
            let mut st = self.st.borrow_mut();
            let Some(fd) = st.fd.as_ref() else { return };
            let want_w = st.connecting || st.write_req.is_some();
            let interest = match (st.reading, want_w) {
                (true, true) => Some(nd::Interest::Both),
                (true, false) => Some(nd::Interest::Readable),
                (false, true) => Some(nd::Interest::Writable),
                (false, false) => None,
            };
            match (interest, &st.watcher) {
                (None, Some(w)) => {
                    w.stop();
                    Ok(())
                }
                (None, None) => Ok(()),
                (Some(i), Some(w)) => w.start(i),
                (Some(i), None) => {
                    use std::os::fd::AsRawFd;
                    let raw = fd.as_raw_fd();
                    let s = self.clone();
                    match nd::IoWatcher::borrowed(raw, i, move |ready| s.on_io(ready)) {
                        Ok(w) => {
                            if st.unrefed {
                                w.unref();
                            }
                            st.watcher = Some(w);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                }
            }
        };
        if let Err(e) = result {
            self.stream.destroy(Some(
                NetError::errno(os_errno(&e), "read").into_stream_error(),
            ));
        }
    }

    fn on_io(&self, ready: nd::Readiness) {
        if self.st.borrow().connecting {
            self.after_connect();
            return;
        }
        let any = ready.readable || ready.hangup || ready.error;
        if any && self.st.borrow().reading {
            self.do_read(ready.hangup || ready.error);
        }
        if (ready.writable || ready.error || ready.hangup) && self.st.borrow().write_req.is_some() {
            self.flush();
        }
    }

    /// `uv__read`: at most [`nd::MAX_READS_PER_READINESS`] reads, then rearm. A read that
    /// does not fill the buffer ends the round (libuv's `UV_HANDLE_READ_PARTIAL`: the kernel
    /// had no more). When the peer's FIN came with the data (`hung_up`), libuv's
    /// level-triggered poll reports the fd again and the end of file is read in the next
    /// poll phase (so `data` and `end` come in two loop iterations, as in Node): the
    /// edge-triggered watcher is re-armed to the same effect. But when our side was shut
    /// down too, the kernel says POLLHUP and libuv's `uv__stream_io` reports the end of file
    /// at once: the reading goes on.
    fn do_read(&self, hung_up: bool) {
        thread_local! {
            /// The read buffer, reused (libuv's 64 KiB `uv_buf_t`; data leaves it as a copy).
            static READ_BUF: RefCell<Box<[u8]>> =
                RefCell::new(vec![0u8; READ_SIZE].into_boxed_slice());
        }
        for _ in 0..nd::MAX_READS_PER_READINESS {
            let r = READ_BUF.with_borrow_mut(|buf| {
                let st = self.st.borrow();
                if !st.reading {
                    return None;
                }
                let fd = st.fd.as_ref()?;
                Some(sys::recv(fd, buf).map(|n| (Chunk::from(&buf[..n]), n == buf.len())))
            });
            let Some(r) = r else { return };
            match r {
                Ok((chunk, _)) if chunk.is_empty() => {
                    self.st.borrow_mut().reading = false;
                    self.update_interest();
                    self.stream.push(None);
                    self.stream.read(Some(0));
                    return;
                }
                Ok((chunk, full)) => {
                    self.st.borrow_mut().bytes_read += chunk.len() as u64;
                    self.unref_timer();
                    let more = self.stream.push(Some(chunk));
                    if !more && self.st.borrow().reading {
                        self.read_stop();
                    }
                    if !full {
                        let st = self.st.borrow();
                        if !hung_up {
                            return;
                        }
                        if !st.write_shut {
                            if let Some(w) = st.watcher.as_ref() {
                                let _ = w.rearm();
                            }
                            return;
                        }
                    }
                    // Node enters each read callback through MakeCallback: the data's ticks
                    // and microtasks run before the next read is handed out.
                    nd::drain_queues();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.stream.destroy(Some(
                        NetError::errno(os_errno(&e), "read").into_stream_error(),
                    ));
                    return;
                }
            }
        }
        if let Some(w) = self.st.borrow().watcher.as_ref() {
            let _ = w.rearm();
        }
    }

    fn read_start(&self) {
        {
            let mut st = self.st.borrow_mut();
            if st.reading || st.fd.is_none() {
                return;
            }
            st.reading = true;
        }
        self.update_interest();
    }

    fn read_stop(&self) {
        self.st.borrow_mut().reading = false;
        self.update_interest();
    }

    /// `Socket.prototype._read`.
    fn on_read(&self) {
        let pending = {
            let mut st = self.st.borrow_mut();
            if st.connecting || (st.fd.is_none() && !st.had_target) {
                st.read_on_connect = true;
                true
            } else {
                false
            }
        };
        if !pending {
            self.read_start();
        }
    }

    // ----- writing -----

    /// `writeGeneric`: try now; the rest waits for writability. A write that completes at
    /// once calls back synchronously (`req.async` false).
    fn write_generic(&self, data: Bytes, cb: Callback) {
        {
            let mut st = self.st.borrow_mut();
            if st.connecting || (st.fd.is_none() && st.had_target && !self.stream.destroyed()) {
                st.write_on_connect = Some((data, cb));
                return;
            }
            if st.fd.is_none() {
                drop(st);
                cb.err(NetError::socket_closed().into_stream_error());
                return;
            }
            st.bytes_dispatched += data.len() as u64;
        }
        self.unref_timer();
        self.st.borrow_mut().write_req = Some((data, cb));
        if !self.try_write() {
            self.update_interest();
        }
    }

    /// Writes what it can of the write in flight. Returns true when it is finished (done,
    /// failed or gone), false when the rest waits for writability.
    fn try_write(&self) -> bool {
        let outcome = {
            let mut st = self.st.borrow_mut();
            let Some((mut data, cb)) = st.write_req.take() else {
                return true;
            };
            let Some(fd) = st.fd.as_ref() else {
                return true;
            };
            let mut err = None;
            while !data.is_empty() {
                match sys::send(fd, &data) {
                    Ok(n) => {
                        data.split_to(n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            if err.is_none() && !data.is_empty() {
                st.write_req = Some((data, cb));
                return false;
            }
            (cb, err)
        };
        match outcome {
            (cb, Some(e)) => cb.err(NetError::errno(os_errno(&e), "write").into_stream_error()),
            (cb, None) => {
                self.unref_timer();
                cb.ok();
            }
        }
        true
    }

    /// The writable readiness of a write in flight (`uv__write` then `uv__write_callbacks`,
    /// then `uv__drain` for a waiting shutdown).
    fn flush(&self) {
        if self.try_write() {
            self.update_interest();
            let shutdown = self.st.borrow_mut().shutdown_req.take();
            if let Some(cb) = shutdown {
                self.do_shutdown(cb);
            }
        }
    }

    /// `Socket.prototype._final`: `uv_shutdown` once the writes are flushed.
    fn on_final(&self, cb: Callback) {
        let mut st = self.st.borrow_mut();
        if st.connecting || (st.fd.is_none() && st.had_target && !self.stream.destroyed()) {
            st.final_on_connect = Some(cb);
            return;
        }
        if st.fd.is_none() {
            drop(st);
            return cb.ok();
        }
        if st.write_req.is_some() {
            st.shutdown_req = Some(cb);
            return;
        }
        drop(st);
        // libuv's uv_shutdown with an empty write queue feeds the watcher: the shutdown
        // completes in the pending phase.
        let s = self.clone();
        nd::queue_pending(move || s.do_shutdown(cb));
    }

    fn do_shutdown(&self, cb: Callback) {
        let r = {
            let mut st = self.st.borrow_mut();
            st.write_shut = true;
            match st.fd.as_ref() {
                Some(fd) => sys::shutdown_write(fd),
                // Destroyed meanwhile: libuv cancels the request; the stream is gone.
                None => return,
            }
        };
        match r {
            Err(e) if e.raw_os_error() != Some(107) => {
                cb.err(NetError::errno(os_errno(&e), "shutdown").into_stream_error())
            }
            _ => cb.ok(),
        }
    }

    // ----- closing -----

    /// `Socket.prototype._destroy`'s handle part: the fd closes now; `close` is emitted from
    /// the close phase (the handle's close callback), with `hadError`. Returns false when
    /// there was no handle (never connected, or handed over).
    fn close_handle(&self, is_exception: bool) -> bool {
        let (watcher, fd, timer, made) = {
            let mut st = self.st.borrow_mut();
            st.connecting = false;
            st.reading = false;
            st.write_req = None;
            st.shutdown_req = None;
            st.write_on_connect = None;
            st.final_on_connect = None;
            st.handle_closed = true;
            // `connect()` made Node's handle before any lookup, so a socket whose lookup
            // failed still closes through it (`close` with hadError, from the close phase).
            let made = st.had_target;
            (
                st.watcher.take(),
                st.fd.take(),
                st.timeout.timer.take(),
                made,
            )
        };
        if let Some(t) = timer {
            t.clear();
        }
        let s = self.clone();
        let emit = move || s.emit_close(is_exception);
        let had_handle = watcher.is_some() || fd.is_some() || made;
        match watcher {
            Some(w) => w.close(emit),
            None if had_handle => nd::Handle::new().close(emit),
            None => {}
        }
        drop(fd);
        had_handle
    }

    fn emit_close(&self, had_error: bool) {
        let em = self.stream.emitter();
        let _ = em.emit(Named::<bool>::new("close"), had_error);
        let _ = em.emit(Named::<()>::new("close"), ());
    }

    pub(crate) fn set_on_handle_close(&self, f: impl FnOnce() + 'static) {
        self.st.borrow_mut().on_handle_close = Some(Box::new(f));
    }

    // ----- events -----

    fn emit_plain(&self, name: &'static str) {
        let _ = self.stream.emitter().emit(Named::<()>::new(name), ());
    }

    /// Adds a `connect` listener.
    pub fn on_connect(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<()>::new("connect"), move |_| f())
    }
    /// Adds a one-time `connect` listener.
    pub fn once_connect(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .once(Named::<()>::new("connect"), move |_| f())
    }
    /// Adds a `ready` listener (right after `connect`).
    pub fn on_ready(&self, f: impl Fn() + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<()>::new("ready"), move |_| f())
    }
    /// Adds a `timeout` listener.
    pub fn on_timeout(&self, f: impl Fn() + 'static) -> ListenerId {
        if let Some(u) = self.lower() {
            return u.on_timeout(f);
        }
        self.stream
            .emitter()
            .on(Named::<()>::new("timeout"), move |_| f())
    }
    /// Adds a `close` listener that receives `hadError` (the stream's
    /// [`on_close`](Duplex::on_close) listeners receive nothing; both run).
    pub fn on_close_had_error(&self, f: impl Fn(bool) + 'static) -> ListenerId {
        self.stream
            .emitter()
            .on(Named::<bool>::new("close"), move |h| f(*h))
    }

    // ----- options and facts -----

    /// `socket.setTimeout(ms)`: after `ms` of inactivity (no read, write or connect) emit
    /// `timeout`; 0 turns it off. The timer does not keep the loop alive. Activity after a
    /// `timeout` arms it again, as Node's `refresh` does.
    #[doc(alias = "setTimeout")]
    pub fn set_timeout(&self, ms: u64) -> &Socket {
        if let Some(u) = self.lower() {
            u.set_timeout(ms);
            return self;
        }
        let old = {
            let mut st = self.st.borrow_mut();
            st.timeout.ms = ms;
            st.timeout.timer.take()
        };
        if let Some(t) = old {
            t.clear();
        }
        if ms > 0 && !self.stream.destroyed() {
            self.arm_timer();
        }
        self
    }

    /// `socket.setTimeout(ms, cb)`: also adds `cb` as a one-time `timeout` listener.
    #[doc(alias = "setTimeout")]
    pub fn set_timeout_with(&self, ms: u64, cb: impl Fn() + 'static) -> &Socket {
        if let Some(u) = self.lower() {
            u.set_timeout_with(ms, cb);
            return self;
        }
        if ms > 0 {
            self.stream
                .emitter()
                .once(Named::<()>::new("timeout"), move |_| cb());
        }
        self.set_timeout(ms)
    }

    /// `socket.timeout`: the inactivity timeout in ms (`None` when unset).
    pub fn timeout(&self) -> Option<u64> {
        if let Some(u) = self.lower() {
            return u.timeout();
        }
        Some(self.st.borrow().timeout.ms).filter(|&ms| ms > 0)
    }

    fn arm_timer(&self) {
        let ms = self.st.borrow().timeout.ms;
        let fired = Rc::new(Cell::new(false));
        let f = Rc::clone(&fired);
        let s = self.clone();
        let t = nd::set_timeout(ms, move || {
            f.set(true);
            s.emit_plain("timeout");
        });
        t.unref();
        let mut st = self.st.borrow_mut();
        st.timeout.timer = Some(t);
        st.timeout.fired = fired;
    }

    /// What a name's lookup needs from the options: `family`, `hints`, `lookup`.
    pub(crate) fn lookup_settings(&self) -> (u8, u32, Option<crate::resolve::LookupFn>) {
        let st = self.st.borrow();
        (st.opts.family, st.opts.hints, st.opts.lookup.clone())
    }

    /// `socket._unrefTimer()` for the lookup's success.
    pub(crate) fn refresh_timeout(&self) {
        self.unref_timer();
    }

    /// `socket._unrefTimer()`: activity restarts the inactivity countdown.
    fn unref_timer(&self) {
        let (ms, fired) = {
            let st = self.st.borrow();
            if st.timeout.ms == 0 || st.handle_closed {
                return;
            }
            if !st.timeout.fired.get() {
                if let Some(t) = &st.timeout.timer {
                    t.refresh();
                }
                return;
            }
            (st.timeout.ms, true)
        };
        if ms > 0 && fired {
            self.arm_timer();
        }
    }

    /// `socket.setNoDelay(on)` (TCP only; nothing for Unix sockets or without a connection).
    #[doc(alias = "setNoDelay")]
    pub fn set_no_delay(&self, on: bool) -> &Socket {
        if let Some(u) = self.lower() {
            u.set_no_delay(on);
            return self;
        }
        let mut st = self.st.borrow_mut();
        match (&st.fd, st.kind) {
            (Some(fd), Some(Kind::Tcp)) if !st.connecting => {
                let _ = sys::set_nodelay(fd, on);
            }
            _ => st.opts.no_delay = on,
        }
        self
    }

    /// `socket.setKeepAlive(enable, initialDelay)` (ms, turned into whole seconds as Node
    /// does).
    #[doc(alias = "setKeepAlive")]
    pub fn set_keep_alive(&self, enable: bool, initial_delay_ms: u64) -> &Socket {
        if let Some(u) = self.lower() {
            u.set_keep_alive(enable, initial_delay_ms);
            return self;
        }
        let mut st = self.st.borrow_mut();
        match (&st.fd, st.kind) {
            (Some(fd), Some(Kind::Tcp)) if !st.connecting => {
                let secs = u32::try_from(initial_delay_ms / 1000).unwrap_or(u32::MAX);
                let _ = sys::set_keepalive(fd, enable, secs);
            }
            _ => st.opts.keep_alive = enable.then_some(initial_delay_ms),
        }
        self
    }

    /// `socket.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) -> &Socket {
        if let Some(u) = self.lower() {
            u.ref_();
            return self;
        }
        let mut st = self.st.borrow_mut();
        st.unrefed = false;
        if let Some(w) = &st.watcher {
            w.ref_();
        }
        self
    }

    /// `socket.unref()`: the socket no longer keeps the loop alive by itself.
    pub fn unref(&self) -> &Socket {
        if let Some(u) = self.lower() {
            u.unref();
            return self;
        }
        let mut st = self.st.borrow_mut();
        st.unrefed = true;
        if let Some(w) = &st.watcher {
            w.unref();
        }
        self
    }

    /// `socket.address()`: the local address (`None` without a connection).
    pub fn address(&self) -> Option<Address> {
        if let Some(u) = self.lower() {
            return u.address();
        }
        self.st.borrow().fd.as_ref().and_then(sys::local_address)
    }

    fn peer(&self) -> Option<(String, Family, u16)> {
        if let Some(u) = self.lower() {
            return u.peer();
        }
        let cached = self.st.borrow().peername.clone();
        let peer = match cached {
            Some(p) => p,
            None => {
                let p = self.st.borrow().fd.as_ref().and_then(sys::peer_address)?;
                self.st.borrow_mut().peername = Some(p.clone());
                p
            }
        };
        match peer {
            Address::Inet {
                address,
                family,
                port,
            } => Some((address, family, port)),
            Address::Path(_) => None,
        }
    }

    /// `socket.remoteAddress` (still known after the socket closed, once asked for while it
    /// was connected, as Node caches `_peername`).
    pub fn remote_address(&self) -> Option<String> {
        self.peer().map(|p| p.0)
    }
    /// `socket.remoteFamily`.
    pub fn remote_family(&self) -> Option<Family> {
        self.peer().map(|p| p.1)
    }
    /// `socket.remotePort`.
    pub fn remote_port(&self) -> Option<u16> {
        self.peer().map(|p| p.2)
    }
    /// `socket.localAddress`.
    pub fn local_address(&self) -> Option<String> {
        match self.address()? {
            Address::Inet { address, .. } => Some(address),
            Address::Path(_) => None,
        }
    }
    /// `socket.localPort`.
    pub fn local_port(&self) -> Option<u16> {
        match self.address()? {
            Address::Inet { port, .. } => Some(port),
            Address::Path(_) => None,
        }
    }

    /// `socket.bytesRead`.
    pub fn bytes_read(&self) -> u64 {
        if let Some(u) = self.lower() {
            return u.bytes_read();
        }
        self.st.borrow().bytes_read
    }

    /// `socket.bytesWritten`: bytes handed to the socket, plus those still buffered in the
    /// stream (as Node counts them).
    pub fn bytes_written(&self) -> u64 {
        if let Some(u) = self.lower() {
            return u.bytes_written();
        }
        let st = self.st.borrow();
        let pending = st
            .write_on_connect
            .as_ref()
            .map_or(0, |(d, _)| d.len() as u64);
        st.bytes_dispatched + pending + self.stream.writable_length() as u64
    }

    /// `socket.connecting`.
    pub fn connecting(&self) -> bool {
        if let Some(u) = self.lower() {
            return u.connecting();
        }
        self.st.borrow().connecting
    }

    /// `socket.pending`: no connection yet (not connected, or destroyed).
    pub fn pending(&self) -> bool {
        if let Some(u) = self.lower() {
            return u.pending();
        }
        let st = self.st.borrow();
        st.fd.is_none() || st.connecting
    }

    /// `socket.readyState`: `opening`, `open`, `readOnly`, `writeOnly` or `closed`.
    pub fn ready_state(&self) -> &'static str {
        if self.connecting() {
            return "opening";
        }
        match (self.stream.readable(), self.stream.writable()) {
            (true, true) => "open",
            (true, false) => "readOnly",
            (false, true) => "writeOnly",
            (false, false) => "closed",
        }
    }

    /// `socket.resetAndDestroy()`: closes with an RST (SO_LINGER 0) so the peer reads
    /// ECONNRESET.
    #[doc(alias = "resetAndDestroy")]
    pub fn reset_and_destroy(&self) {
        if let Some(u) = self.lower() {
            u.reset_and_destroy();
            self.stream.destroy(None);
            return;
        }
        if let Some(fd) = self.st.borrow().fd.as_ref() {
            let _ = rustix::net::sockopt::set_socket_linger(
                fd.as_fd(),
                Some(std::time::Duration::ZERO),
            );
        }
        self.stream.destroy(None);
    }

    /// The stream side (also reachable through `Deref`).
    pub fn stream(&self) -> &Duplex {
        &self.stream
    }

    /// `socket.destroy(err)` with a [`NetError`].
    #[doc(alias = "destroy")]
    pub fn destroy_with_error(&self, err: NetError) {
        self.stream.destroy(Some(err.into_stream_error()));
    }

    /// Whether the socket's error is the given stream error's `NetError` (a helper for
    /// `on_error` listeners).
    pub fn net_error(err: &Error) -> Option<&NetError> {
        NetError::from_stream_error(err)
    }
}

/// `net.connect(options)` / `net.createConnection(options)`: a new socket connecting to
/// `target`, with `cb` as a one-time `connect` listener.
///
/// # Panics
/// Outside a running loop.
pub fn connect(target: ConnectTarget, opts: SocketOptions) -> Socket {
    let s = Socket::new(opts);
    s.apply_timeout_option();
    s.connect(target);
    s
}

/// `net.createConnection`: the same as [`connect`].
pub fn create_connection(target: ConnectTarget, opts: SocketOptions) -> Socket {
    connect(target, opts)
}
