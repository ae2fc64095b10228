//! `child_process.fork` and the parent's side of the IPC channel on the loop: `send`,
//! `disconnect`, `connected`, and the `message` and `disconnect` events, in Node's `json`
//! serialization (see [`ipc`](crate::ipc)).
//!
//! The channel is a non-blocking socket pair end watched by an
//! [`IoWatcher`](nodestd_loop::IoWatcher): reads follow the loop's rule of fair reading and
//! go through the bounded [`Decoder`](crate::ipc::Decoder); writes go out at once and the
//! rest waits for writability. A `NODE_HANDLE` is answered with `NODE_HANDLE_ACK` and its
//! message delivered (the handle itself is closed: receiving handles on the loop is not
//! here yet). The child's `'close'` waits for the channel's `'disconnect'`, as in Node.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::ErrorKind;
use std::os::fd::OwnedFd;
use std::rc::{Rc, Weak};

use nodestd_events::event;
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
    child: Weak<Inner>,
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
        let Some(inner) = self.child.upgrade() else {
            return;
        };
        if !is_internal(&v) {
            let _ = inner.em.emit(Message, v);
            return;
        }
        if v.get("cmd").and_then(Value::as_str).as_deref() == Some("NODE_HANDLE") {
            // The fd is not kept (see the module docs); the message still arrives.
            drop(self.fds.borrow_mut().pop_front());
            let mut ack = Object::new();
            ack.insert("cmd", Value::string("NODE_HANDLE_ACK"));
            self.write(&encode(&Value::Object(ack)));
            let msg = v.get("msg").cloned().unwrap_or(Value::Null);
            let _ = inner.em.emit(Message, msg);
        }
    }

    fn emit_error(&self, e: SpawnError) {
        if let Some(inner) = self.child.upgrade() {
            let _ = inner.em.emit(Error, e);
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
        if let Some(inner) = self.child.upgrade() {
            let _ = inner.em.emit(Disconnect, ());
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
        child: Rc::downgrade(&child.inner),
        watcher: RefCell::new(None),
        decoder: RefCell::new(Decoder::new()),
        fds: RefCell::new(VecDeque::new()),
        out: RefCell::new(Vec::new()),
        connected: Cell::new(true),
    });
    let weak = Rc::downgrade(&channel);
    match nd::IoWatcher::new(ours, nd::Interest::Readable, move |ready| {
        if let Some(c) = weak.upgrade() {
            c.on_ready(ready);
        }
    }) {
        Ok(w) => *channel.watcher.borrow_mut() = Some(w),
        Err(_) => return child,
    }
    child
        .inner
        .closes_needed
        .set(child.inner.closes_needed.get() + 1);
    *child.inner.channel.borrow_mut() = Some(channel);
    child
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
        let Some(c) = self.channel() else { return };
        if !c.connected.get() {
            return;
        }
        c.flush();
        if let Some(fd) = c.fd() {
            let _ = rustix::net::shutdown(&*fd, rustix::net::Shutdown::Both);
        }
        nd::next_tick(move || c.close());
    }
}
