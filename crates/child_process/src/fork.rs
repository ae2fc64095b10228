//! `child_process.fork` and both sides of the IPC channel on the loop: the parent's `send`,
//! `disconnect`, `connected`, and the `message` and `disconnect` events, and the child's
//! [`process_channel`], in Node's `json` serialization (see [`ipc`](crate::ipc)).
//!
//! The channel is a non-blocking socket pair end watched by an
//! [`IoWatcher`](nodestd_loop::IoWatcher): reads follow the loop's rule of fair reading and
//! go through the bounded [`Decoder`]; writes go out at once and the
//! rest waits for writability. Handles travel as in Node's `lib/internal/child_process.js`:
//! [`send_with`](ChildProcess::send_with) wraps the message as
//! `{"cmd":"NODE_HANDLE","type":...,"msg":M}` with the fd attached (`SCM_RIGHTS`) to its first
//! byte, and everything sent after it waits in the `_handleQueue` until the peer's
//! `NODE_HANDLE_ACK` (a `NODE_HANDLE_NACK` resends it, at most 3 times); a sent socket's fd
//! is closed at the ACK, a sent server keeps listening. A received `NODE_HANDLE` is answered
//! with `NODE_HANDLE_ACK` (`NODE_HANDLE_NACK` when no fd came with it) and its message
//! delivered with the handle rebuilt on the loop ([`Handle`]). Other internal `NODE_*`
//! messages go to the `'internalMessage'` event ([`InternalMessage`]), as in Node. The
//! child's `'close'` waits for the channel's `'disconnect'`, as in Node.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::ErrorKind;
use std::os::fd::{AsFd, OwnedFd};
use std::rc::{Rc, Weak};

use nodestd_events::{EventEmitter, ListenerId, event};
use nodestd_loop as nd;
use nodestd_net as net;

use crate::ipc::{Decoder, encode, is_internal};
use crate::json::{Object, Value};
use crate::spawn::{
    ChildProcess, Error, Inner, SpawnOptions, StdioSlot, check_stdio, maybe_close, spawn_checked,
};
use crate::sync::{SpawnError, SyncOptions};

event!(
    /// `'message'`: a message from the other end and the handle sent with it (Node's
    /// `(message, sendHandle)`); internal `NODE_*` messages never come here.
    pub Message = "message" => (Value, Option<Handle>)
);
event!(
    /// `'internalMessage'`: an internal `NODE_*` message (such as cluster's `NODE_CLUSTER`)
    /// and the handle sent with it; the handle protocol's own messages are not emitted.
    pub InternalMessage = "internalMessage" => (Value, Option<Handle>)
);

/// How many times a handle refused with `NODE_HANDLE_NACK` is sent again
/// (`MAX_HANDLE_RETRANSMISSIONS`).
const MAX_HANDLE_RETRANSMISSIONS: u32 = 3;

/// The size of the channel's reads (libuv hands `uv__read` 64 KiB buffers).
const READ_BUF_BYTES: usize = 64 * 1024;

thread_local! {
    /// The buffer every channel of this thread reads into, kept between reads: allocating
    /// (and zeroing) 64 KiB per readiness cost more than the message itself.
    static READ_BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Received fds waiting for their `NODE_HANDLE` messages beyond which the peer is taken to
/// be speaking something else than Node's protocol (the channel closes with an error).
const MAX_UNCLAIMED_FDS: usize = 64;

/// A handle received with a message, rebuilt on the loop as Node's `handleConversion[type].got`
/// does: a `net.Server` listening on the fd, a `net.Socket` over the connection, or the bare
/// fd for the other types (`net.Native` and the rest).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Handle {
    /// `net.Server`: listening; add a `connection` listener.
    Server(net::Server),
    /// `net.Socket`: connected, reading.
    Socket(net::Socket),
    /// `net.Native` (or a type Rust has no object for): the fd, to take once.
    Native(NativeHandle),
}

/// An fd received as a handle of a type other than `net.Server` and `net.Socket`.
#[derive(Clone, Debug)]
pub struct NativeHandle {
    kind: String,
    fd: Rc<RefCell<Option<OwnedFd>>>,
}

impl NativeHandle {
    /// The type the sender gave (`net.Native`, `dgram.Native`, ...).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The fd; `None` once taken (by this clone or another).
    pub fn take(&self) -> Option<OwnedFd> {
        self.fd.borrow_mut().take()
    }
}

/// What `send` can carry with a message (Node's `sendHandle`).
#[derive(Debug)]
#[non_exhaustive]
pub enum SendHandle {
    /// A listening server (`net.Server`): the peer gets a copy, this one keeps listening,
    /// as in Node.
    Server(net::Server),
    /// A connection (`net.Socket`): handed over, this socket destroyed at once and its fd
    /// closed when the peer acknowledges; with [`SendOptions::keep_open`] the peer gets a
    /// duplicate and this socket stays open.
    Socket(net::Socket),
    /// A bare fd, sent as `net.Native` (cluster's round-robin connections and shared
    /// listening sockets travel so).
    Native(OwnedFd),
}

impl From<net::Server> for SendHandle {
    fn from(s: net::Server) -> SendHandle {
        SendHandle::Server(s)
    }
}

impl From<net::Socket> for SendHandle {
    fn from(s: net::Socket) -> SendHandle {
        SendHandle::Socket(s)
    }
}

impl From<OwnedFd> for SendHandle {
    fn from(fd: OwnedFd) -> SendHandle {
        SendHandle::Native(fd)
    }
}

/// A message waiting in the `_handleQueue` for the peer's ACK.
struct Queued {
    message: Value,
    handle: Option<SendHandle>,
    options: SendOptions,
}

/// `send`'s `options`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SendOptions {
    /// `keepOpen`: a `net.Socket` sent stays open and reading on this side too (the peer gets
    /// a duplicate of its fd); without it the socket is handed over.
    pub keep_open: bool,
}

impl SendOptions {
    /// `{ keepOpen: true }`.
    pub fn keep_open() -> SendOptions {
        SendOptions { keep_open: true }
    }
}

/// The handle sent last, kept until the peer's ACK (`_pendingMessage`).
struct Pending {
    bytes: Vec<u8>,
    fd: OwnedFd,
    retransmissions: u32,
    /// Sent with `keepOpen`: Node keeps no `_pendingMessage` then, so a NACK sends nothing
    /// again and lets the queue go on, as an ACK does.
    keep_open: bool,
}
event!(
    /// `'disconnect'`: the channel closed (either side).
    pub Disconnect = "disconnect" => ()
);

/// Options of `fork`: `execPath` (default `node` from PATH) and the spawn options (cwd, env,
/// argv0, kill_signal); stdio is inherited, as Node's default `[0, 1, 2, 'ipc']`.
#[derive(Debug, Clone, Default)]
pub struct ForkOptions {
    /// `execPath`: the program run as `EXEC_PATH MODULE args...`.
    pub exec_path: Option<String>,
    /// cwd, env, argv0, kill_signal.
    pub base: SyncOptions,
    /// `silent`: the child's stdin, stdout and stderr are pipes to the parent (Node's
    /// `['pipe', 'pipe', 'pipe', 'ipc']`) instead of inherited.
    pub silent: bool,
}

/// The parent's end of a forked child's channel.
pub(crate) struct Channel {
    /// Where 'message', 'disconnect' and 'error' go: the child's emitter in the parent, the
    /// process channel's own in a child.
    em: EventEmitter,
    /// The forked child (parent side), whose 'close' waits for the channel.
    child: Weak<Inner>,
    /// Child side: how many 'message'/'disconnect' listeners want the loop kept alive.
    refs: Cell<Option<usize>>,
    watcher: RefCell<Option<nd::IoWatcher>>,
    decoder: RefCell<Decoder>,
    fds: RefCell<VecDeque<OwnedFd>>,
    out: RefCell<Vec<u8>>,
    /// Where in `out` the pending handle's fd goes (the first byte of its message).
    out_fd: Cell<Option<usize>>,
    /// `_handleQueue`: `Some` while a handle waits for its ACK.
    queue: RefCell<Option<VecDeque<Queued>>>,
    pending: RefCell<Option<Pending>>,
    /// `disconnect()` was called while handles were queued: it happens after the ACK.
    disconnect_pending: Cell<bool>,
    connected: Cell<bool>,
}

/// `{"cmd": name}`.
fn cmd(name: &str) -> Value {
    let mut o = Object::new();
    o.insert("cmd", Value::string(name));
    Value::Object(o)
}

/// `handleConversion[type].send`: the type's name and the fd that goes on the wire (kept
/// until the ACK); `None` when there is no fd to send (a destroyed socket, a closed server).
fn to_wire(h: SendHandle, options: SendOptions) -> Option<(&'static str, OwnedFd)> {
    match h {
        SendHandle::Server(s) => Some(("net.Server", s.dup_fd()?)),
        SendHandle::Socket(s) if options.keep_open => Some(("net.Socket", s.dup_fd()?)),
        SendHandle::Socket(s) => Some(("net.Socket", s.into_owned_fd()?.fd)),
        SendHandle::Native(fd) => Some(("net.Native", fd)),
    }
}

fn error(code: &str, syscall: &str) -> SpawnError {
    SpawnError {
        code: code.to_owned(),
        errno: 0,
        syscall: syscall.to_owned(),
        path: String::new(),
        spawnargs: Vec::new(),
        message: None,
    }
}

impl Channel {
    /// A connected channel (not yet watching its fd) emitting on `em`; `refs` is `Some` on
    /// the child's side, which counts the listeners that keep the loop alive.
    fn new(em: EventEmitter, child: Weak<Inner>, refs: Option<usize>) -> Rc<Channel> {
        Rc::new(Channel {
            em,
            child,
            refs: Cell::new(refs),
            watcher: RefCell::new(None),
            decoder: RefCell::new(Decoder::new()),
            fds: RefCell::new(VecDeque::new()),
            out: RefCell::new(Vec::new()),
            out_fd: Cell::new(None),
            queue: RefCell::new(None),
            pending: RefCell::new(None),
            disconnect_pending: Cell::new(false),
            connected: Cell::new(true),
        })
    }

    /// `connected` as the user sees it: false from `disconnect()` on, even while a handle's
    /// ACK holds the channel open.
    fn is_connected(&self) -> bool {
        self.connected.get() && !self.disconnect_pending.get()
    }

    fn fd(&self) -> Option<Rc<OwnedFd>> {
        self.watcher.borrow().as_ref().and_then(nd::IoWatcher::fd)
    }

    fn on_ready(self: &Rc<Self>, ready: nd::Readiness) {
        if ready.writable {
            self.flush();
        }
        if ready.readable || ready.hangup || ready.error {
            self.read(ready.hangup || ready.error);
        }
    }

    /// Reads what the readiness announced. As libuv's `uv__read`, a read that fills less than
    /// the buffer and brought no fd ends the round: an `AF_UNIX` stream read takes every queued
    /// byte up to the buffer's size (it stops early only after a message that carried fds),
    /// and bytes that arrive later raise a new edge, so the `EAGAIN` read that would follow
    /// is saved. With `hangup` set the end of file is already queued: read on until it.
    fn read(self: &Rc<Self>, hangup: bool) {
        let Some(fd) = self.fd() else { return };
        let mut buf = READ_BUF.with(|b| std::mem::take(&mut *b.borrow_mut()));
        buf.resize(READ_BUF_BYTES, 0);
        self.read_into(&fd, &mut buf, hangup);
        READ_BUF.with(|b| *b.borrow_mut() = buf);
    }

    fn read_into(self: &Rc<Self>, fd: &OwnedFd, buf: &mut [u8], hangup: bool) {
        let mut eof = false;
        for i in 0..nd::MAX_READS_PER_READINESS {
            match nodestd_sys::ipc::recv_with_fds(fd, buf, 16) {
                Ok(r) if r.bytes == 0 => {
                    eof = true;
                    break;
                }
                Ok(r) => {
                    let partial = r.bytes < buf.len() && r.fds.is_empty() && !hangup;
                    self.fds.borrow_mut().extend(r.fds);
                    self.decoder.borrow_mut().push(&buf[..r.bytes]);
                    if self.fds.borrow().len() > MAX_UNCLAIMED_FDS {
                        // Fds that no NODE_HANDLE claims: not Node's protocol.
                        self.emit_error(error("ERR_IPC_BAD_MESSAGE", "read"));
                        self.close();
                        return;
                    }
                    if partial {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => {
                    eof = true;
                    break;
                }
            }
            if i + 1 == nd::MAX_READS_PER_READINESS {
                if let Some(w) = &*self.watcher.borrow() {
                    let _ = w.rearm();
                }
            }
        }
        loop {
            let next = self.decoder.borrow_mut().next_message();
            let Some(r) = next else { break };
            match r {
                Ok(v) => self.deliver(v),
                Err(_) => {
                    self.emit_error(error("ERR_IPC_BAD_MESSAGE", "read"));
                    self.close();
                    return;
                }
            }
            if !self.connected.get() {
                return;
            }
        }
        if eof {
            self.close();
        }
    }

    fn deliver(self: &Rc<Self>, v: Value) {
        if !is_internal(&v) {
            let _ = self.em.emit(Message, (v, None));
            return;
        }
        match v.get("cmd").and_then(Value::as_str).as_deref() {
            Some("NODE_HANDLE") => self.got_handle(&v),
            Some("NODE_HANDLE_ACK") => self.got_ack(),
            Some("NODE_HANDLE_NACK") => self.got_nack(),
            _ => {
                let _ = self.em.emit(InternalMessage, (v, None));
            }
        }
    }

    /// A `NODE_HANDLE`: ACK (NACK without an fd), rebuild, deliver `msg` with it.
    fn got_handle(self: &Rc<Self>, v: &Value) {
        let Some(fd) = self.fds.borrow_mut().pop_front() else {
            self.write(&encode(&cmd("NODE_HANDLE_NACK")));
            return;
        };
        self.write(&encode(&cmd("NODE_HANDLE_ACK")));
        let kind = v.get("type").and_then(Value::as_str).unwrap_or_default();
        let handle = match kind.as_str() {
            "net.Server" => {
                let s = net::Server::new(net::ServerOptions::default());
                match s.listen(net::ListenOptions::fd(fd), None) {
                    Ok(_) => Handle::Server(s),
                    Err(_) => return,
                }
            }
            "net.Socket" => match net::Socket::from_fd(fd, net::SocketOptions::default()) {
                Ok(s) => Handle::Socket(s),
                Err(_) => return,
            },
            _ => Handle::Native(NativeHandle {
                kind,
                fd: Rc::new(RefCell::new(Some(fd))),
            }),
        };
        let msg = v.get("msg").cloned().unwrap_or(Value::Null);
        if is_internal(&msg) {
            let _ = self.em.emit(InternalMessage, (msg, Some(handle)));
        } else {
            let _ = self.em.emit(Message, (msg, Some(handle)));
        }
    }

    /// `NODE_HANDLE_ACK`: close the sent handle, send what queued up behind it, and a
    /// disconnect that waited for it.
    fn got_ack(self: &Rc<Self>) {
        drop(self.pending.borrow_mut().take());
        self.out_fd.set(None);
        let queue = self.queue.borrow_mut().take();
        for q in queue.into_iter().flatten() {
            self.send_msg(q.message, q.handle, q.options);
        }
        if self.disconnect_pending.get() && self.queue.borrow().is_none() {
            self.disconnect_pending.set(false);
            disconnect(self);
        }
    }

    /// `NODE_HANDLE_NACK`: the fd did not arrive with its message; send both again.
    fn got_nack(self: &Rc<Self>) {
        if self.pending.borrow().as_ref().is_some_and(|p| p.keep_open) {
            self.got_ack();
            return;
        }
        let again = {
            let mut p = self.pending.borrow_mut();
            match p.as_mut() {
                Some(p) if p.retransmissions < MAX_HANDLE_RETRANSMISSIONS => {
                    p.retransmissions += 1;
                    Some(p.bytes.clone())
                }
                _ => None,
            }
        };
        match again {
            Some(bytes) if self.out_fd.get().is_none() => {
                self.out_fd.set(Some(self.out.borrow().len()));
                self.write(&bytes);
            }
            Some(_) => {}
            None => {
                self.emit_error(error("ERR_CHILD_PROCESS_IPC_REQUIRED", "send"));
                self.got_ack();
            }
        }
    }

    /// Node's `target._send`: a message (with a handle, or queued behind one).
    fn send_msg(
        self: &Rc<Self>,
        message: Value,
        handle: Option<SendHandle>,
        options: SendOptions,
    ) -> bool {
        if let Some(q) = self.queue.borrow_mut().as_mut() {
            q.push_back(Queued {
                message,
                handle,
                options,
            });
            return q.len() == 1;
        }
        let converted = handle.and_then(|h| to_wire(h, options));
        match converted {
            Some((kind, fd)) => {
                let mut o = Object::new();
                o.insert("cmd", Value::string("NODE_HANDLE"));
                o.insert("type", Value::string(kind));
                o.insert("msg", message);
                let bytes = encode(&Value::Object(o));
                *self.queue.borrow_mut() = Some(VecDeque::new());
                *self.pending.borrow_mut() = Some(Pending {
                    bytes: bytes.clone(),
                    fd,
                    retransmissions: 0,
                    keep_open: options.keep_open,
                });
                self.out_fd.set(Some(self.out.borrow().len()));
                self.write(&bytes);
            }
            // Node: a handle it cannot get a native handle from sends the text alone.
            None => self.write(&encode(&message)),
        }
        self.out.borrow().is_empty()
    }

    fn emit_error(&self, e: SpawnError) {
        let _ = self.em.emit(Error, e);
    }

    /// Child side: the channel keeps the loop alive while it has 'message' or 'disconnect'
    /// listeners or writes waiting (Node's `refCounted` / `unrefCounted`).
    fn update_ref(&self) {
        let Some(n) = self.refs.get() else { return };
        if let Some(w) = &*self.watcher.borrow() {
            if n > 0 || !self.out.borrow().is_empty() {
                w.ref_();
            } else {
                w.unref();
            }
        }
    }

    fn write(&self, bytes: &[u8]) {
        self.out.borrow_mut().extend_from_slice(bytes);
        self.flush();
    }

    fn flush(&self) {
        let Some(fd) = self.fd() else { return };
        let mut out = self.out.borrow_mut();
        let pending = self.pending.borrow();
        let mut done = 0;
        while done < out.len() {
            // The handle's fd rides on the first byte of its message; the bytes before it go
            // without.
            let (end, attach) = match (self.out_fd.get(), pending.as_ref()) {
                (Some(at), Some(p)) if at == done => (out.len(), Some(p.fd.as_fd())),
                (Some(at), Some(_)) if at > done => (at, None),
                _ => (out.len(), None),
            };
            let fds: &[_] = match &attach {
                Some(f) => std::slice::from_ref(f),
                None => &[],
            };
            match nodestd_sys::ipc::send_with_fds(&*fd, &out[done..end], fds) {
                Ok(n) => {
                    if attach.is_some() && n > 0 {
                        self.out_fd.set(None);
                    }
                    done += n;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break, // EAGAIN: wait; EPIPE: the end of file follows
            }
        }
        drop(pending);
        out.drain(..done);
        if let Some(at) = self.out_fd.get() {
            self.out_fd.set(Some(at.saturating_sub(done)));
        }
        let want = if out.is_empty() {
            nd::Interest::Readable
        } else {
            nd::Interest::Both
        };
        if let Some(w) = &*self.watcher.borrow() {
            let _ = w.start(want);
        }
        drop(out);
        self.update_ref();
    }

    fn close(&self) {
        if !self.connected.replace(false) {
            return;
        }
        if let Some(w) = self.watcher.borrow_mut().take() {
            w.close_quietly();
        }
        self.out.borrow_mut().clear();
        self.fds.borrow_mut().clear();
        self.out_fd.set(None);
        drop(self.pending.borrow_mut().take());
        drop(self.queue.borrow_mut().take());
        let _ = self.em.emit(Disconnect, ());
        if let Some(inner) = self.child.upgrade() {
            maybe_close(&inner);
        }
    }
}

/// `child_process.fork(module, args, options)`: runs `EXEC_PATH MODULE args...` (node by
/// default) with Node's stdio `[0, 1, 2, 'ipc']` (`['pipe', 'pipe', 'pipe', 'ipc']` when
/// `silent`): the channel at fd 3, `NODE_CHANNEL_FD=3`. Must run on the loop.
///
/// # Panics
/// Outside a running loop.
pub fn fork(module: &str, args: &[&str], options: ForkOptions) -> ChildProcess {
    let exec_path = options
        .exec_path
        .clone()
        .unwrap_or_else(|| "node".to_owned());
    let argv: Vec<&str> = std::iter::once(module)
        .chain(args.iter().copied())
        .collect();
    fork_exec(&exec_path, &argv, options)
}

/// `fork` of a program that is not a script for an interpreter: runs `file args...` (no
/// module argument) with the channel, as cluster re-executes the current program as a
/// worker. `options.exec_path` is not used. Must run on the loop.
///
/// # Panics
/// Outside a running loop.
pub fn fork_exec(exec_path: &str, argv: &[&str], options: ForkOptions) -> ChildProcess {
    let std = if options.silent {
        [StdioSlot::Pipe, StdioSlot::Pipe, StdioSlot::Pipe]
    } else {
        [StdioSlot::Inherit, StdioSlot::Inherit, StdioSlot::Inherit]
    };
    // Node's `stdioStringToArray(..., 'ipc')`: the channel at fd 3.
    let spawn_options = SpawnOptions {
        base: options.base,
        stdio: std,
        extra_stdio: vec![StdioSlot::Ipc],
        ..SpawnOptions::default()
    };
    crate::spawn::spawn(exec_path, argv, spawn_options)
}

/// `fork(module, args, { ...options, stdio })`: [`fork`] with the stdio slots given, one of
/// them `'ipc'` (at any index: the child finds it in `NODE_CHANNEL_FD`). `options.silent`
/// is not used, as in Node when `stdio` is given.
///
/// # Errors
/// Node's throws: no `'ipc'` slot is `ERR_CHILD_PROCESS_IPC_REQUIRED` (`Forked processes
/// must have an IPC channel, missing value 'ipc' in options.stdio`), two are
/// `ERR_IPC_ONE_PIPE`.
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "fork")]
pub fn fork_with_stdio(
    module: &str,
    args: &[&str],
    options: ForkOptions,
    stdio: Vec<StdioSlot>,
) -> Result<ChildProcess, SpawnError> {
    let exec_path = options.exec_path.as_deref().unwrap_or("node");
    let argv: Vec<&str> = std::iter::once(module)
        .chain(args.iter().copied())
        .collect();
    let mut slots = stdio.into_iter();
    let mut std = [StdioSlot::Pipe, StdioSlot::Pipe, StdioSlot::Pipe];
    for s in &mut std {
        *s = slots.next().unwrap_or_default();
    }
    let spawn_options = SpawnOptions {
        base: options.base,
        stdio: std,
        extra_stdio: slots.collect(),
        ..SpawnOptions::default()
    };
    let all = spawn_options.stdio.iter().chain(&spawn_options.extra_stdio);
    if !all.into_iter().any(|s| matches!(s, StdioSlot::Ipc)) {
        return Err(SpawnError::thrown(
            "ERR_CHILD_PROCESS_IPC_REQUIRED",
            "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio",
        ));
    }
    crate::spawn::check_arguments(exec_path, &argv, &spawn_options.base)?;
    check_stdio(&spawn_options)?;
    spawn_checked(exec_path, &argv, spawn_options)
}

/// Makes `ours`, this side of a spawned child's `'ipc'` slot, the child's channel
/// (Node's `setupChannel`); `'close'` then waits for its `'disconnect'`.
pub(crate) fn attach_channel(child: &ChildProcess, ours: OwnedFd) {
    if nodestd_sys::fdflags::set_nonblocking(&ours, true).is_err() {
        return;
    }
    let channel = Channel::new(child.inner.em.clone(), Rc::downgrade(&child.inner), None);
    if watch(&channel, ours).is_err() {
        return;
    }
    child
        .inner
        .closes_needed
        .set(child.inner.closes_needed.get() + 1);
    *child.inner.channel.borrow_mut() = Some(channel);
}

fn watch(channel: &Rc<Channel>, fd: OwnedFd) -> std::io::Result<()> {
    let weak = Rc::downgrade(channel);
    let w = nd::IoWatcher::new(fd, nd::Interest::Readable, move |ready| {
        if let Some(c) = weak.upgrade() {
            c.on_ready(ready);
        }
    })?;
    *channel.watcher.borrow_mut() = Some(w);
    channel.update_ref();
    Ok(())
}

/// The child's side of the channel (`process.send`, `process.on('message')`,
/// `process.connected`, `process.disconnect()`), for a program that Node (or [`fork`]) forked.
/// Cheap to clone. It keeps the loop alive only while it has listeners added through
/// [`on_message`](Self::on_message) / [`on_disconnect`](Self::on_disconnect) or writes
/// waiting, as Node's channel does; the parent closing the channel ends it with
/// `'disconnect'`.
#[derive(Clone)]
pub struct ProcessChannel {
    ch: Rc<Channel>,
}

impl std::fmt::Debug for ProcessChannel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessChannel")
            .field("connected", &self.connected())
            .finish()
    }
}

thread_local! {
    static PROCESS_CHANNEL: RefCell<Option<ProcessChannel>> = const { RefCell::new(None) };
}

/// The channel in `NODE_CHANNEL_FD` (json serialization), opened on the current loop at the
/// first call; `None` when the variable is not set or not an open fd. Node removes the
/// variable from `process.env`; here it stays in the OS environment.
///
/// # Panics
/// Outside a running loop.
pub fn process_channel() -> Option<ProcessChannel> {
    if let Some(c) = PROCESS_CHANNEL.with(|p| p.borrow().clone()) {
        return Some(c);
    }
    let n: i32 = std::env::var("NODE_CHANNEL_FD").ok()?.trim().parse().ok()?;
    let fd = crate::sys::take_inherited_fd(n)?;
    nodestd_sys::fdflags::set_nonblocking(&fd, true).ok()?;
    nodestd_sys::fdflags::set_cloexec(&fd, true).ok()?;
    let ch = Channel::new(EventEmitter::new(), Weak::new(), Some(0));
    watch(&ch, fd).ok()?;
    let c = ProcessChannel { ch };
    PROCESS_CHANNEL.with(|p| *p.borrow_mut() = Some(c.clone()));
    Some(c)
}

impl ProcessChannel {
    /// `process.on('message', (message, sendHandle) => ...)`; keeps the loop alive until
    /// removed or disconnected.
    #[doc(alias = "on")]
    pub fn on_message(&self, f: impl Fn(&Value, Option<&Handle>) + 'static) -> ListenerId {
        self.ch.refs.set(self.ch.refs.get().map(|n| n + 1));
        self.ch.update_ref();
        self.ch.em.on(Message, move |(m, h)| f(m, h.as_ref()))
    }

    /// `process.on('internalMessage', f)`: internal `NODE_*` messages (cluster's); does not
    /// keep the loop alive, as in Node.
    #[doc(alias = "on")]
    pub fn on_internal_message(&self, f: impl Fn(&Value, Option<&Handle>) + 'static) -> ListenerId {
        self.ch
            .em
            .on(InternalMessage, move |(m, h)| f(m, h.as_ref()))
    }

    /// `process.on('disconnect', f)`; keeps the loop alive as a message listener does.
    #[doc(alias = "on")]
    pub fn on_disconnect(&self, f: impl Fn(&()) + 'static) -> ListenerId {
        self.ch.refs.set(self.ch.refs.get().map(|n| n + 1));
        self.ch.update_ref();
        self.ch.em.on(Disconnect, f)
    }

    /// Removes a listener added by `on_message` / `on_disconnect`.
    pub fn off(&self, id: ListenerId) {
        let count = || self.ch.em.listener_count(Message) + self.ch.em.listener_count(Disconnect);
        let before = count();
        self.ch.em.off(Message, id);
        self.ch.em.off(Disconnect, id);
        self.ch.em.off(InternalMessage, id);
        if count() < before {
            self.ch
                .refs
                .set(self.ch.refs.get().map(|n| n.saturating_sub(1)));
            self.ch.update_ref();
        }
    }

    /// The channel's emitter (`'error'` for a bad line on the channel).
    pub fn emitter(&self) -> &EventEmitter {
        &self.ch.em
    }

    /// `process.connected`.
    pub fn connected(&self) -> bool {
        self.ch.is_connected()
    }

    /// `process.send(message)`: false, with an `ERR_IPC_CHANNEL_CLOSED` error event on the
    /// next tick, once disconnected.
    pub fn send(&self, message: &Value) -> bool {
        send_on(&self.ch, &self.ch.em, message, None, SendOptions::default())
    }

    /// `process.send(message, handle)`: see [`ChildProcess::send_handle`].
    #[doc(alias = "send")]
    pub fn send_handle(&self, message: &Value, handle: impl Into<SendHandle>) -> bool {
        send_on(
            &self.ch,
            &self.ch.em,
            message,
            Some(handle.into()),
            SendOptions::default(),
        )
    }

    /// `process.send(message, handle, options)`: see [`ChildProcess::send_with_options`].
    #[doc(alias = "send")]
    pub fn send_with_options(
        &self,
        message: &Value,
        handle: Option<SendHandle>,
        options: SendOptions,
    ) -> bool {
        send_on(&self.ch, &self.ch.em, message, handle, options)
    }

    /// `process.disconnect()`.
    pub fn disconnect(&self) {
        disconnect(&self.ch);
    }
}

/// Node's `target.send`: `_send` while connected, else `ERR_IPC_CHANNEL_CLOSED` on the next
/// tick.
fn send_on(
    c: &Rc<Channel>,
    em: &EventEmitter,
    message: &Value,
    h: Option<SendHandle>,
    options: SendOptions,
) -> bool {
    if c.is_connected() {
        return c.send_msg(message.clone(), h, options);
    }
    let em = em.clone();
    nd::next_tick(move || {
        let _ = em.emit(Error, error("ERR_IPC_CHANNEL_CLOSED", "send"));
    });
    false
}

fn disconnect(c: &Rc<Channel>) {
    if !c.connected.get() {
        return;
    }
    if c.queue.borrow().is_some() {
        // Node: no new messages; the disconnect happens once the queue is flushed.
        c.disconnect_pending.set(true);
        return;
    }
    c.flush();
    if let Some(fd) = c.fd() {
        let _ = rustix::net::shutdown(&*fd, rustix::net::Shutdown::Both);
    }
    let c = Rc::clone(c);
    nd::next_tick(move || c.close());
}

impl ChildProcess {
    fn channel(&self) -> Option<Rc<Channel>> {
        self.inner.channel.borrow().clone()
    }

    /// `child.connected`: the IPC channel is open.
    pub fn connected(&self) -> bool {
        self.channel().is_some_and(|c| c.is_connected())
    }

    /// `child.send(message)`: false, and an `ERR_IPC_CHANNEL_CLOSED` error event on the next
    /// tick, when the channel is closed (or there never was one).
    pub fn send(&self, message: &Value) -> bool {
        self.send_with(message, None)
    }

    /// `child.send(message, handle)`: the message travels as Node's `NODE_HANDLE` with the
    /// handle's fd, and what is sent after it waits until the child acknowledges. A server
    /// stays listening here too (Node shares it); a socket is handed over (destroyed here at
    /// once, its fd closed at the ACK). A socket without a connection goes as the message
    /// alone, as in Node.
    #[doc(alias = "send")]
    pub fn send_handle(&self, message: &Value, handle: impl Into<SendHandle>) -> bool {
        self.send_with(message, Some(handle.into()))
    }

    /// `child.send(message, handle?)`.
    #[doc(alias = "send")]
    pub fn send_with(&self, message: &Value, handle: Option<SendHandle>) -> bool {
        self.send_with_options(message, handle, SendOptions::default())
    }

    /// `child.send(message, handle, options)`: with
    /// [`keep_open`](SendOptions::keep_open), a socket sent stays open and reading here (the
    /// child gets a duplicate of its fd), as Node's `{ keepOpen: true }`.
    #[doc(alias = "send")]
    pub fn send_with_options(
        &self,
        message: &Value,
        handle: Option<SendHandle>,
        options: SendOptions,
    ) -> bool {
        match self.channel() {
            Some(c) => send_on(&c, &self.inner.em, message, handle, options),
            None => {
                let inner = Rc::clone(&self.inner);
                nd::next_tick(move || {
                    let _ = inner
                        .em
                        .emit(Error, error("ERR_IPC_CHANNEL_CLOSED", "send"));
                });
                false
            }
        }
    }

    /// `child.disconnect()`: closes the channel (what is still queued is written first when
    /// the socket takes it at once); `'disconnect'` follows on the next tick.
    pub fn disconnect(&self) {
        if let Some(c) = self.channel() {
            disconnect(&c);
        }
    }
}
