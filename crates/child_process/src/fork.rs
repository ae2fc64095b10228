//! `child_process.fork` and both sides of the IPC channel on the loop: the parent's `send`,
//! `disconnect`, `connected`, and the `message` and `disconnect` events, and the child's
//! [`process_channel`], in Node's `json` serialization (see [`ipc`](crate::ipc)).
//!
//! The channel is a non-blocking socket pair end watched by an
//! [`IoWatcher`](nodestd_loop::IoWatcher): reads follow the loop's rule of fair reading and
//! go through the bounded [`Decoder`]; writes go out at once and the
//! rest waits for writability. A `NODE_HANDLE` is answered with `NODE_HANDLE_ACK` and its
//! message delivered (the handle itself is closed: receiving handles on the loop is not
//! here yet). The child's `'close'` waits for the channel's `'disconnect'`, as in Node.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::ErrorKind;
use std::os::fd::OwnedFd;
use std::rc::{Rc, Weak};

use nodestd_events::{EventEmitter, ListenerId, event};
use nodestd_loop as nd;

use crate::ipc::{Decoder, encode, is_internal};
use crate::json::{Object, Value};
use crate::spawn::{ChildProcess, Error, Inner, SpawnOptions, StdioSlot, maybe_close, spawn_with};
use crate::sync::{SpawnError, SyncOptions};

event!(
    /// `'message'`: a message from the child (internal `NODE_*` messages never come here).
    pub Message = "message" => Value
);
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
    connected: Cell<bool>,
}

fn error(code: &str, syscall: &str) -> SpawnError {
    SpawnError {
        code: code.to_owned(),
        errno: 0,
        syscall: syscall.to_owned(),
        path: String::new(),
        spawnargs: Vec::new(),
    }
}

impl Channel {
    fn fd(&self) -> Option<Rc<OwnedFd>> {
        self.watcher.borrow().as_ref().and_then(nd::IoWatcher::fd)
    }

    fn on_ready(self: &Rc<Self>, ready: nd::Readiness) {
        if ready.writable {
            self.flush();
        }
        if ready.readable || ready.hangup || ready.error {
            self.read();
        }
    }

    fn read(self: &Rc<Self>) {
        let Some(fd) = self.fd() else { return };
        let mut buf = vec![0u8; 64 * 1024];
        let mut eof = false;
        for i in 0..nd::MAX_READS_PER_READINESS {
            match nodestd_sys::ipc::recv_with_fds(&*fd, &mut buf, 16) {
                Ok(r) if r.bytes == 0 => {
                    eof = true;
                    break;
                }
                Ok(r) => {
                    self.fds.borrow_mut().extend(r.fds);
                    self.decoder.borrow_mut().push(&buf[..r.bytes]);
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
            let _ = self.em.emit(Message, v);
            return;
        }
        if v.get("cmd").and_then(Value::as_str).as_deref() == Some("NODE_HANDLE") {
            // The fd is not kept (see the module docs); the message still arrives.
            drop(self.fds.borrow_mut().pop_front());
            let mut ack = Object::new();
            ack.insert("cmd", Value::string("NODE_HANDLE_ACK"));
            self.write(&encode(&Value::Object(ack)));
            let msg = v.get("msg").cloned().unwrap_or(Value::Null);
            let _ = self.em.emit(Message, msg);
        }
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
        let mut done = 0;
        while done < out.len() {
            match nodestd_sys::ipc::send_with_fds(&*fd, &out[done..], &[]) {
                Ok(n) => done += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break, // EAGAIN: wait; EPIPE: the end of file follows
            }
        }
        out.drain(..done);
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
        let _ = self.em.emit(Disconnect, ());
        if let Some(inner) = self.child.upgrade() {
            maybe_close(&inner);
        }
    }
}

/// `child_process.fork(module, args, options)`: runs `EXEC_PATH MODULE args...` (node by
/// default) with the channel's fd in `NODE_CHANNEL_FD`. Must run on the loop.
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
    let spawn_options = SpawnOptions {
        base: options.base,
        stdio: [StdioSlot::Inherit, StdioSlot::Inherit, StdioSlot::Inherit],
        ..SpawnOptions::default()
    };
    let pair = nodestd_sys::socketpair(false);
    let (ours, theirs) = match pair {
        Ok(p) => p,
        Err(_) => return spawn_with(&exec_path, &argv, spawn_options, None),
    };
    let child = spawn_with(&exec_path, &argv, spawn_options, Some(&theirs));
    drop(theirs);
    if child.pid().is_none() || nodestd_sys::fdflags::set_nonblocking(&ours, true).is_err() {
        return child;
    }
    let channel = Rc::new(Channel {
        em: child.inner.em.clone(),
        child: Rc::downgrade(&child.inner),
        refs: Cell::new(None),
        watcher: RefCell::new(None),
        decoder: RefCell::new(Decoder::new()),
        fds: RefCell::new(VecDeque::new()),
        out: RefCell::new(Vec::new()),
        connected: Cell::new(true),
    });
    if watch(&channel, ours).is_err() {
        return child;
    }
    child
        .inner
        .closes_needed
        .set(child.inner.closes_needed.get() + 1);
    *child.inner.channel.borrow_mut() = Some(channel);
    child
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
    let ch = Rc::new(Channel {
        em: EventEmitter::new(),
        child: Weak::new(),
        refs: Cell::new(Some(0)),
        watcher: RefCell::new(None),
        decoder: RefCell::new(Decoder::new()),
        fds: RefCell::new(VecDeque::new()),
        out: RefCell::new(Vec::new()),
        connected: Cell::new(true),
    });
    watch(&ch, fd).ok()?;
    let c = ProcessChannel { ch };
    PROCESS_CHANNEL.with(|p| *p.borrow_mut() = Some(c.clone()));
    Some(c)
}

impl ProcessChannel {
    /// `process.on('message', f)`; keeps the loop alive until removed or disconnected.
    pub fn on_message(&self, f: impl Fn(&Value) + 'static) -> ListenerId {
        self.ch.refs.set(self.ch.refs.get().map(|n| n + 1));
        self.ch.update_ref();
        self.ch.em.on(Message, f)
    }

    /// `process.on('disconnect', f)`; keeps the loop alive as a message listener does.
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
        self.ch.connected.get()
    }

    /// `process.send(message)`: false, with an `ERR_IPC_CHANNEL_CLOSED` error event on the
    /// next tick, once disconnected.
    pub fn send(&self, message: &Value) -> bool {
        if self.ch.connected.get() {
            self.ch.write(&encode(message));
            return self.ch.out.borrow().is_empty();
        }
        let em = self.ch.em.clone();
        nd::next_tick(move || {
            let _ = em.emit(Error, error("ERR_IPC_CHANNEL_CLOSED", "send"));
        });
        false
    }

    /// `process.disconnect()`.
    pub fn disconnect(&self) {
        disconnect(&self.ch);
    }
}

fn disconnect(c: &Rc<Channel>) {
    if !c.connected.get() {
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
        self.channel().is_some_and(|c| c.connected.get())
    }

    /// `child.send(message)`: false, and an `ERR_IPC_CHANNEL_CLOSED` error event on the next
    /// tick, when the channel is closed (or there never was one).
    pub fn send(&self, message: &Value) -> bool {
        match self.channel() {
            Some(c) if c.connected.get() => {
                c.write(&encode(message));
                c.out.borrow().is_empty()
            }
            _ => {
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
