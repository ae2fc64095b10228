//! `child_process.spawn` on the loop: a [`ChildProcess`] with Node's events and fields.
//!
//! As in libuv, each `'pipe'` slot is a Unix stream socket pair: the child gets one end as
//! its fd, and this process reads or writes the other as a [`nodestd_net::Socket`] (Node's
//! `child.stdout` is a `net.Socket` over a pipe handle too). The child is reaped on the loop:
//! a `pidfd` (Linux 5.3+) watched by an [`IoWatcher`](nodestd_loop::IoWatcher) becomes
//! readable when the child ends, and `waitpid(pid, WNOHANG)` then collects its status, so no
//! thread waits and no zombie stays.

use std::cell::{Cell, RefCell};
use std::os::fd::OwnedFd;
use std::process::Stdio;
use std::rc::Rc;

use nodestd_events::{EventEmitter, event};
use nodestd_loop as nd;
use nodestd_net::{Socket, SocketOptions};

use crate::sync::{SpawnError, SyncOptions, command_for, kill, libc_like};

event!(
    /// `'spawn'`: the child started (emitted on the next tick after `spawn`).
    pub Spawn = "spawn" => ()
);
event!(
    /// `'exit'`: `(code, signal)`, one of them set, when the child ended.
    pub Exit = "exit" => (Option<i32>, Option<&'static str>)
);
event!(
    /// `'close'`: `(code, signal)` after `'exit'` and once stdout and stderr closed; after a
    /// failed spawn, `(-errno, None)`.
    pub Close = "close" => (Option<i32>, Option<&'static str>)
);
event!(
    /// `'error'`: the spawn failed (`spawn nope ENOENT`) or a kill failed.
    pub Error = "error" => SpawnError
);

/// One slot of `options.stdio`.
#[derive(Debug, Default)]
#[non_exhaustive]
pub enum StdioSlot {
    /// `'pipe'`: a socket pair; this side becomes `child.stdin` / `stdout` / `stderr`.
    #[default]
    Pipe,
    /// `'inherit'`: the child shares this process's fd.
    Inherit,
    /// `'ignore'`: `/dev/null`.
    Ignore,
    /// An fd of this process, given to the child in that slot.
    Fd(OwnedFd),
}

/// `options` of `spawn`: the sync forms' options plus `stdio`, `detached` and `timeout` in
/// milliseconds (`kill_signal` is sent when it runs out).
#[derive(Debug, Default)]
pub struct SpawnOptions {
    /// cwd, env, argv0, shell, kill_signal (input and max_buffer do not apply).
    pub base: SyncOptions,
    /// stdin, stdout, stderr.
    pub stdio: [StdioSlot; 3],
    /// `detached`: the child leads a new process group (Node also makes it a session
    /// leader; see the crate's deviations).
    pub detached: bool,
    /// `timeout` in ms (0 = none).
    pub timeout: u64,
}

pub(crate) struct Inner {
    pub(crate) em: EventEmitter,
    pid: Cell<Option<u32>>,
    exit_code: Cell<Option<i32>>,
    signal_code: Cell<Option<&'static str>>,
    exited: Cell<bool>,
    killed: Cell<bool>,
    /// Node's `_closesNeeded` / `_closesGot`: the exit plus each readable stdio stream.
    pub(crate) closes_needed: Cell<usize>,
    closes_got: Cell<usize>,
    watcher: RefCell<Option<nd::IoWatcher>>,
    timer: RefCell<Option<nd::Timeout>>,
    stdio: [Option<Socket>; 3],
    /// The child keeps itself alive from its spawn to its 'close' (as a JavaScript
    /// ChildProcess is held by its handle): dropping every `ChildProcess` clone does not lose
    /// the events. Taken when 'close' is emitted.
    keep_alive: RefCell<Option<Rc<Inner>>>,
    /// The IPC channel of a forked child.
    pub(crate) channel: RefCell<Option<Rc<crate::fork::Channel>>>,
}

/// Node's `ChildProcess`. Cheap to clone (every clone is the same child).
#[derive(Clone)]
pub struct ChildProcess {
    pub(crate) inner: Rc<Inner>,
}

impl std::fmt::Debug for ChildProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChildProcess")
            .field("pid", &self.pid())
            .field("exit_code", &self.exit_code())
            .field("signal_code", &self.signal_code())
            .finish()
    }
}

pub(crate) fn maybe_close(inner: &Rc<Inner>) {
    inner.closes_got.set(inner.closes_got.get() + 1);
    if inner.closes_got.get() == inner.closes_needed.get() {
        let _keep = inner.keep_alive.borrow_mut().take();
        let _ = inner
            .em
            .emit(Close, (inner.exit_code.get(), inner.signal_code.get()));
    }
}

/// `child_process.spawn(command, args, options)`. Must run on the loop. A failed spawn is not
/// an `Err`: as in Node, the child's `'error'` event reports it on the next tick, then
/// `'close'` with `-errno`.
///
/// # Panics
/// Outside a running loop.
pub fn spawn(command: &str, args: &[&str], options: SpawnOptions) -> ChildProcess {
    spawn_with(command, args, options, None)
}

/// `spawn`, handing `channel` (the child's end of fork's socket pair) down under its own fd
/// number, named by `NODE_CHANNEL_FD`.
pub(crate) fn spawn_with(
    command: &str,
    args: &[&str],
    options: SpawnOptions,
    channel: Option<&OwnedFd>,
) -> ChildProcess {
    let (file, argv, mut cmd) = command_for(command, args, &options.base);
    if let Some(fd) = channel {
        use std::os::fd::AsRawFd;
        // Close-on-exec here; the child alone clears the flag (another thread's child must
        // not inherit the channel).
        crate::sys::inherit_in_child(&mut cmd, fd.as_raw_fd());
        cmd.env("NODE_CHANNEL_FD", fd.as_raw_fd().to_string())
            .env("NODE_CHANNEL_SERIALIZATION_MODE", "json");
    }
    if options.detached {
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    }
    let mut ours: [Option<OwnedFd>; 3] = [None, None, None];
    let mut pair_error = None;
    for (i, slot) in options.stdio.into_iter().enumerate() {
        let stdio = match slot {
            StdioSlot::Pipe => match nodestd_sys::socketpair(false) {
                Ok((a, b)) => {
                    ours[i] = Some(a);
                    Stdio::from(b)
                }
                Err(e) => {
                    pair_error = e.raw_os_error();
                    Stdio::null()
                }
            },
            StdioSlot::Inherit => Stdio::inherit(),
            StdioSlot::Ignore => Stdio::null(),
            StdioSlot::Fd(fd) => Stdio::from(fd),
        };
        match i {
            0 => cmd.stdin(stdio),
            1 => cmd.stdout(stdio),
            _ => cmd.stderr(stdio),
        };
    }
    let spawned = match pair_error {
        Some(errno) => Err(std::io::Error::from_raw_os_error(errno)),
        None => cmd.spawn(),
    };
    // The child's ends went with `cmd`; drop it so they close here.
    drop(cmd);
    let (pid, errno) = match &spawned {
        Ok(c) => (Some(c.id()), None),
        Err(e) => (None, Some(e.raw_os_error().unwrap_or(libc_like::EINVAL))),
    };
    drop(spawned); // std's Child is never waited: the loop reaps the pid.
    let stdio = ours.map(|fd| {
        let fd = fd?;
        pid?;
        Socket::from_fd(fd, SocketOptions::default()).ok()
    });
    let inner = Rc::new(Inner {
        em: EventEmitter::new(),
        pid: Cell::new(pid),
        exit_code: Cell::new(None),
        signal_code: Cell::new(None),
        exited: Cell::new(false),
        killed: Cell::new(false),
        closes_needed: Cell::new(1),
        closes_got: Cell::new(0),
        watcher: RefCell::new(None),
        timer: RefCell::new(None),
        stdio,
        keep_alive: RefCell::new(None),
        channel: RefCell::new(None),
    });
    let child = ChildProcess { inner };
    let Some(pid) = pid else {
        let err = SpawnError::new("spawn", errno.unwrap_or(libc_like::EINVAL), &file, &argv);
        let inner = Rc::clone(&child.inner);
        let errno = -errno.unwrap_or(libc_like::EINVAL);
        nd::next_tick(move || {
            inner.exit_code.set(Some(errno));
            let _ = inner.em.emit(Error, err);
            let i2 = Rc::clone(&inner);
            nd::set_immediate(move || maybe_close(&i2));
        });
        return child;
    };
    *child.inner.keep_alive.borrow_mut() = Some(Rc::clone(&child.inner));
    // stdout, stderr: 'close' waits for them.
    for s in child.inner.stdio[1..].iter().flatten() {
        child
            .inner
            .closes_needed
            .set(child.inner.closes_needed.get() + 1);
        let w = Rc::downgrade(&child.inner);
        s.once_close(move || {
            if let Some(inner) = w.upgrade() {
                maybe_close(&inner);
            }
        });
    }
    child.watch(pid);
    if options.timeout > 0 {
        let c = child.clone();
        let signal = options.base.kill_signal;
        *child.inner.timer.borrow_mut() = Some(nd::set_timeout(options.timeout, move || {
            c.kill(signal);
        }));
    }
    let inner = Rc::clone(&child.inner);
    nd::next_tick(move || {
        let _ = inner.em.emit(Spawn, ());
    });
    child
}

impl ChildProcess {
    fn watch(&self, pid: u32) {
        let Some(p) = rustix::process::Pid::from_raw(pid as i32) else {
            return;
        };
        let pidfd = match rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty()) {
            Ok(fd) => fd,
            Err(e) => {
                // No pidfd (a kernel older than 5.3): see the crate's deviations.
                let err = SpawnError::new("spawn", e.raw_os_error(), "pidfd_open", &[]);
                let _ = self.inner.em.emit(Error, err);
                return;
            }
        };
        let w = Rc::downgrade(&self.inner);
        let watcher = nd::IoWatcher::new(pidfd, nd::Interest::Readable, move |_| {
            let Some(inner) = w.upgrade() else { return };
            let (code, signal) =
                match rustix::process::waitpid(Some(p), rustix::process::WaitOptions::NOHANG) {
                    Ok(Some((_, s))) => (
                        s.exit_status(),
                        s.terminating_signal()
                            .and_then(nodestd_sys::signals::signal_name),
                    ),
                    Ok(None) => return,
                    // Already reaped elsewhere (ECHILD): the status is lost.
                    Err(_) => (None, None),
                };
            if let Some(w) = inner.watcher.borrow_mut().take() {
                w.close_quietly();
            }
            if let Some(t) = inner.timer.borrow_mut().take() {
                t.clear();
            }
            inner.exited.set(true);
            inner
                .exit_code
                .set(if signal.is_some() { None } else { code });
            inner.signal_code.set(signal);
            // stdin cannot be written any more.
            if let Some(s) = &inner.stdio[0] {
                s.destroy(None);
            }
            let _ = inner.em.emit(Exit, (inner.exit_code.get(), signal));
            // Node's flushStdio: output nobody reads is drained, so that it closes and
            // 'close' can follow.
            for s in inner.stdio[1..].iter().flatten() {
                s.resume();
            }
            maybe_close(&inner);
        });
        match watcher {
            Ok(w) => *self.inner.watcher.borrow_mut() = Some(w),
            Err(e) => {
                let err = SpawnError::new("spawn", e.raw_os_error().unwrap_or(0), "pidfd", &[]);
                let _ = self.inner.em.emit(Error, err);
            }
        }
    }

    /// The child's events ([`Spawn`], [`Exit`], [`Close`], [`Error`]).
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    /// `child.pid`: `None` when the spawn failed.
    pub fn pid(&self) -> Option<u32> {
        self.inner.pid.get()
    }

    /// `child.exitCode`: the exit status once the child exited (`-errno` after a failed
    /// spawn).
    pub fn exit_code(&self) -> Option<i32> {
        self.inner.exit_code.get()
    }

    /// `child.signalCode`: the signal that ended the child.
    pub fn signal_code(&self) -> Option<&'static str> {
        self.inner.signal_code.get()
    }

    /// `child.killed`: a signal was sent successfully by [`kill`](Self::kill).
    pub fn killed(&self) -> bool {
        self.inner.killed.get()
    }

    /// `child.stdin`, when its slot is `'pipe'`.
    pub fn stdin(&self) -> Option<&Socket> {
        self.inner.stdio[0].as_ref()
    }

    /// `child.stdout`, when its slot is `'pipe'`.
    pub fn stdout(&self) -> Option<&Socket> {
        self.inner.stdio[1].as_ref()
    }

    /// `child.stderr`, when its slot is `'pipe'`.
    pub fn stderr(&self) -> Option<&Socket> {
        self.inner.stdio[2].as_ref()
    }

    /// `child.kill(signal)` with a signal number: true when the signal was sent (then
    /// `killed` is set); false once the child has exited or when it failed.
    pub fn kill(&self, signal: i32) -> bool {
        let Some(pid) = self.inner.pid.get() else {
            return false;
        };
        if self.inner.exited.get() {
            return false;
        }
        let ok = kill(pid, signal);
        if ok {
            self.inner.killed.set(true);
        }
        ok
    }

    /// `child.ref()`: the child keeps the loop alive until it exits (the default).
    pub fn ref_(&self) {
        if let Some(w) = &*self.inner.watcher.borrow() {
            w.ref_();
        }
    }

    /// `child.unref()`: the loop may end while the child runs.
    pub fn unref(&self) {
        if let Some(w) = &*self.inner.watcher.borrow() {
            w.unref();
        }
    }
}
