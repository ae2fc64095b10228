//! libuv's handles: long-lived objects that keep the loop alive while active and referenced,
//! and end with `close(cb)`, whose callback runs in the close phase (LIFO, as libuv's
//! `closing_handles` list).
//!
//! Kinds: a plain [`Handle`] (for crates that own their resource, e.g. a socket, and only need
//! the loop's liveness and close semantics), [`IoWatcher`] (readiness of a raw fd, through
//! mio), [`AsyncHandle`] (a wake-up from any thread, `uv_async_t`), [`SignalHandle`]
//! (`uv_signal_t`), and [`PhaseHandle`] for the idle, prepare and check phases.
//!
//! As in libuv, a handle lives until it is closed: dropping the Rust value does not close it.

use std::collections::HashMap;
use std::io;
use std::os::fd::RawFd;
use std::rc::Rc;

use crate::core::Inner;
use crate::remote::{Message, Remote};
use crate::slab::{Key, Slab};
use crate::sync::{Arc, AtomicBool, Ordering};

/// Which of libuv's phase handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Runs every iteration before prepare; while one is active, poll does not block.
    Idle,
    /// Runs every iteration right before polling for I/O.
    Prepare,
    /// Runs every iteration right after polling for I/O (with Node's immediates).
    Check,
}

/// What an fd became ready for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Readiness {
    /// Readable, or the read side closed.
    pub readable: bool,
    /// Writable, or the write side closed.
    pub writable: bool,
    /// An error is pending on the fd.
    pub error: bool,
    /// The peer hung up (one side closed).
    pub hangup: bool,
}

/// Which readiness to watch for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interest {
    /// Readable only.
    Readable,
    /// Writable only.
    Writable,
    /// Both.
    Both,
}

impl Interest {
    fn to_mio(self) -> mio::Interest {
        match self {
            Interest::Readable => mio::Interest::READABLE,
            Interest::Writable => mio::Interest::WRITABLE,
            Interest::Both => mio::Interest::READABLE | mio::Interest::WRITABLE,
        }
    }
}

type IoCb = Box<dyn FnMut(Readiness)>;
type SignalCb = Box<dyn FnMut(i32)>;

pub(crate) enum Data {
    Plain,
    Io {
        fd: RawFd,
        token: usize,
        cb: Option<IoCb>,
    },
    Async {
        id: u64,
        cb: Option<Box<dyn FnMut()>>,
    },
    Signal {
        signum: i32,
        reg: u64,
        cb: Option<SignalCb>,
    },
    Phase {
        phase: Phase,
        cb: Option<Box<dyn FnMut()>>,
    },
}

/// What the close phase must undo for a handle.
pub(crate) enum HandleKind {
    Io { source_fd: RawFd },
    Signal { signum: i32, id: u64 },
}

struct Entry {
    refed: bool,
    active: bool,
    closing: bool,
    data: Data,
}

#[derive(Default)]
pub(crate) struct Handles {
    slab: Slab<Entry>,
    refed_active: usize,
    io_tokens: HashMap<usize, Key>,
    next_token: usize,
    asyncs: HashMap<u64, Key>,
    next_async: u64,
    /// Phase handles in start order (run newest first, as libuv inserts at the head).
    phase_order: Vec<Key>,
}

impl Handles {
    fn counts(e: &Entry) -> bool {
        e.refed && e.active && !e.closing
    }

    fn update<R>(&mut self, key: Key, f: impl FnOnce(&mut Entry) -> R) -> Option<R> {
        let e = self.slab.get_mut(key)?;
        let before = Self::counts(e);
        let r = f(e);
        let after = Self::counts(e);
        match (before, after) {
            (false, true) => self.refed_active += 1,
            (true, false) => self.refed_active -= 1,
            _ => {}
        }
        Some(r)
    }

    fn insert(&mut self, data: Data) -> Key {
        let key = self.slab.insert(Entry {
            refed: true,
            active: true,
            closing: false,
            data,
        });
        self.refed_active += 1;
        key
    }

    pub(crate) fn refed_active(&self) -> usize {
        self.refed_active
    }

    pub(crate) fn has_phase(&self, phase: Phase) -> bool {
        self.phase_order.iter().any(|&k| {
            self.slab.get(k).is_some_and(|e| {
                e.active
                    && !e.closing
                    && matches!(e.data, Data::Phase { phase: p, .. } if p == phase)
            })
        })
    }

    pub(crate) fn phase_handles(&self, phase: Phase) -> Vec<Key> {
        self.phase_order
            .iter()
            .rev()
            .copied()
            .filter(|&k| {
                self.slab.get(k).is_some_and(|e| {
                    e.active
                        && !e.closing
                        && matches!(e.data, Data::Phase { phase: p, .. } if p == phase)
                })
            })
            .collect()
    }

    pub(crate) fn take_phase_callback(&mut self, key: Key) -> Option<Box<dyn FnMut()>> {
        match &mut self.slab.get_mut(key)?.data {
            Data::Phase { cb, .. } => cb.take(),
            _ => None,
        }
    }

    pub(crate) fn put_phase_callback(&mut self, key: Key, f: Box<dyn FnMut()>) {
        if let Some(Entry {
            data: Data::Phase { cb, .. },
            ..
        }) = self.slab.get_mut(key)
        {
            *cb = Some(f);
        }
    }

    pub(crate) fn take_io_callback(&mut self, token: mio::Token) -> Option<(Key, IoCb)> {
        let key = *self.io_tokens.get(&token.0)?;
        let e = self.slab.get_mut(key)?;
        if !e.active || e.closing {
            return None;
        }
        match &mut e.data {
            Data::Io { cb, .. } => cb.take().map(|c| (key, c)),
            _ => None,
        }
    }

    pub(crate) fn put_io_callback(&mut self, key: Key, f: IoCb) {
        if let Some(Entry {
            data: Data::Io { cb, .. },
            ..
        }) = self.slab.get_mut(key)
        {
            *cb = Some(f);
        }
    }

    pub(crate) fn take_async_callback(&mut self, id: u64) -> Option<(Key, Box<dyn FnMut()>)> {
        let key = *self.asyncs.get(&id)?;
        let e = self.slab.get_mut(key)?;
        if e.closing {
            return None;
        }
        match &mut e.data {
            Data::Async { cb, .. } => cb.take().map(|c| (key, c)),
            _ => None,
        }
    }

    pub(crate) fn put_async_callback(&mut self, key: Key, f: Box<dyn FnMut()>) {
        if let Some(Entry {
            data: Data::Async { cb, .. },
            ..
        }) = self.slab.get_mut(key)
        {
            *cb = Some(f);
        }
    }

    pub(crate) fn signal_handles(&self, signum: i32) -> Vec<Key> {
        self.slab
            .keys()
            .filter(|&k| {
                self.slab.get(k).is_some_and(|e| {
                    !e.closing && matches!(e.data, Data::Signal { signum: s, .. } if s == signum)
                })
            })
            .collect()
    }

    pub(crate) fn take_signal_callback(&mut self, key: Key) -> Option<SignalCb> {
        match &mut self.slab.get_mut(key)?.data {
            Data::Signal { cb, .. } => cb.take(),
            _ => None,
        }
    }

    pub(crate) fn put_signal_callback(&mut self, key: Key, f: SignalCb) {
        if let Some(Entry {
            data: Data::Signal { cb, .. },
            ..
        }) = self.slab.get_mut(key)
        {
            *cb = Some(f);
        }
    }

    /// Marks a handle closing; false if it already was (or is gone).
    pub(crate) fn begin_close(&mut self, key: Key) -> bool {
        self.update(key, |e| {
            if e.closing {
                false
            } else {
                e.closing = true;
                true
            }
        })
        .unwrap_or(false)
    }

    /// Removes a closed handle, returning what must be undone outside the table.
    pub(crate) fn finish_close(&mut self, key: Key) -> Option<HandleKind> {
        let e = self.slab.remove(key)?;
        self.phase_order.retain(|&k| k != key);
        match e.data {
            Data::Io { fd, token, .. } => {
                self.io_tokens.remove(&token);
                Some(HandleKind::Io { source_fd: fd })
            }
            Data::Async { id, .. } => {
                self.asyncs.remove(&id);
                None
            }
            Data::Signal { signum, reg, .. } => Some(HandleKind::Signal { signum, id: reg }),
            Data::Plain | Data::Phase { .. } => None,
        }
    }
}

/// The part every handle shares: its loop and its key.
#[derive(Clone)]
struct Base {
    inner: Rc<Inner>,
    key: Key,
}

impl Base {
    fn new(data: Data) -> Base {
        let inner = crate::core::current("handle creation");
        let key = inner.handles.borrow_mut().insert(data);
        Base { inner, key }
    }

    fn set_ref(&self, refed: bool) {
        self.inner
            .handles
            .borrow_mut()
            .update(self.key, |e| e.refed = refed);
    }

    fn has_ref(&self) -> bool {
        self.inner
            .handles
            .borrow()
            .slab
            .get(self.key)
            .is_some_and(|e| e.refed)
    }

    fn set_active(&self, active: bool) {
        self.inner
            .handles
            .borrow_mut()
            .update(self.key, |e| e.active = active);
    }

    fn is_active(&self) -> bool {
        self.inner
            .handles
            .borrow()
            .slab
            .get(self.key)
            .is_some_and(|e| e.active && !e.closing)
    }

    fn is_closing(&self) -> bool {
        self.inner
            .handles
            .borrow()
            .slab
            .get(self.key)
            .is_none_or(|e| e.closing)
    }

    fn close(&self, cb: Option<Box<dyn FnOnce()>>) {
        self.inner.close_handle(self.key, cb);
    }
}

macro_rules! handle_methods {
    () => {
        /// `handle.ref()`: the handle keeps the loop alive while active (the default).
        pub fn ref_(&self) {
            self.base.set_ref(true);
        }

        /// `handle.unref()`: the handle no longer keeps the loop alive by itself.
        pub fn unref(&self) {
            self.base.set_ref(false);
        }

        /// `handle.hasRef()`.
        pub fn has_ref(&self) -> bool {
            self.base.has_ref()
        }

        /// Whether the handle is active and not closing.
        pub fn is_active(&self) -> bool {
            self.base.is_active()
        }

        /// Whether `close` was called.
        pub fn is_closing(&self) -> bool {
            self.base.is_closing()
        }

        /// Closes the handle; `cb` runs in the close phase (handles closed in one iteration
        /// run their callbacks newest first). Closing twice does nothing.
        pub fn close(&self, cb: impl FnOnce() + 'static) {
            self.base.close(Some(Box::new(cb)));
        }

        /// Closes the handle with no callback.
        pub fn close_quietly(&self) {
            self.base.close(None);
        }
    };
}

/// A plain handle: active and referenced from creation until closed. Crates that own their
/// resource (a socket, a child process) embed one for the loop's liveness and close rules.
///
/// ```
/// nodestd_loop::run(|| {
///     let h = nodestd_loop::Handle::new();
///     h.close(|| println!("closed in the close phase"));
/// });
/// ```
#[derive(Clone)]
pub struct Handle {
    base: Base,
}

impl Handle {
    /// A new active, referenced handle on the current loop.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new() -> Handle {
        Handle {
            base: Base::new(Data::Plain),
        }
    }

    /// Marks the handle inactive (it stops keeping the loop alive) or active again.
    pub fn set_active(&self, active: bool) {
        self.base.set_active(active);
    }

    handle_methods!();
}

impl Default for Handle {
    fn default() -> Self {
        Handle::new()
    }
}

/// Watches a raw fd for readiness (mio underneath). Readiness is edge-triggered, as mio's:
/// a callback must read or write until `WouldBlock` before waiting again.
pub struct IoWatcher {
    base: Base,
    fd: RawFd,
    token: usize,
}

impl IoWatcher {
    /// Starts watching `fd` (which the caller keeps open until the watcher is closed).
    ///
    /// # Errors
    /// The poller refused the fd (e.g. a regular file, which epoll cannot watch).
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new(
        fd: RawFd,
        interest: Interest,
        cb: impl FnMut(Readiness) + 'static,
    ) -> io::Result<IoWatcher> {
        let inner = crate::core::current("IoWatcher::new");
        let token = {
            let mut h = inner.handles.borrow_mut();
            h.next_token += 1;
            h.next_token
        };
        inner.poll.borrow().registry().register(
            &mut mio::unix::SourceFd(&fd),
            mio::Token(token),
            interest.to_mio(),
        )?;
        let base = Base::new(Data::Io {
            fd,
            token,
            cb: Some(Box::new(cb)),
        });
        base.inner
            .handles
            .borrow_mut()
            .io_tokens
            .insert(token, base.key);
        Ok(IoWatcher { base, fd, token })
    }

    /// Changes what to watch for.
    ///
    /// # Errors
    /// The poller refused the change.
    pub fn set_interest(&self, interest: Interest) -> io::Result<()> {
        self.base.inner.poll.borrow().registry().reregister(
            &mut mio::unix::SourceFd(&self.fd),
            mio::Token(self.token),
            interest.to_mio(),
        )
    }

    handle_methods!();
}

struct AsyncShared {
    id: u64,
    pending: AtomicBool,
    remote: Arc<Remote>,
}

/// `uv_async_t`: a callback on the loop thread, triggered from any thread with
/// [`AsyncSender::send`]. Sends that arrive before the callback runs are coalesced. A clone
/// is another reference to the same handle.
#[derive(Clone)]
pub struct AsyncHandle {
    base: Base,
    shared: Arc<AsyncShared>,
}

/// The `Send + Sync` side of an [`AsyncHandle`].
#[derive(Clone)]
pub struct AsyncSender {
    shared: Arc<AsyncShared>,
}

impl AsyncSender {
    /// Wakes the loop to run the handle's callback (once, however many sends coalesce).
    pub fn send(&self) {
        if !self.shared.pending.swap(true, Ordering::AcqRel) {
            self.shared.remote.push(Message::Async(self.shared.id));
        }
    }
}

impl AsyncHandle {
    /// A new async handle on the current loop.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new(mut cb: impl FnMut() + 'static) -> AsyncHandle {
        let inner = crate::core::current("AsyncHandle::new");
        let id = {
            let mut h = inner.handles.borrow_mut();
            h.next_async += 1;
            h.next_async
        };
        let shared = Arc::new(AsyncShared {
            id,
            pending: AtomicBool::new(false),
            remote: Arc::clone(&inner.remote),
        });
        let flag = Arc::clone(&shared);
        // Clear the flag before the callback, so a send during the callback runs it again.
        let wrapped = move || {
            flag.pending.store(false, Ordering::Release);
            cb();
        };
        let base = Base::new(Data::Async {
            id,
            cb: Some(Box::new(wrapped)),
        });
        base.inner.handles.borrow_mut().asyncs.insert(id, base.key);
        AsyncHandle { base, shared }
    }

    /// A sender for other threads.
    pub fn sender(&self) -> AsyncSender {
        AsyncSender {
            shared: Arc::clone(&self.shared),
        }
    }

    handle_methods!();
}

/// `uv_signal_t`: runs a callback on the loop thread when the process receives a signal. While
/// any signal handle for a signal is open, that signal's default action is replaced; closing
/// the last one restores the previous disposition.
pub struct SignalHandle {
    base: Base,
    signum: i32,
}

impl SignalHandle {
    /// Starts watching `signum` (e.g. `libc::SIGINT`).
    ///
    /// # Errors
    /// `EINVAL` for a signal that cannot be caught (SIGKILL, SIGSTOP) or is out of range.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new(signum: i32, cb: impl FnMut(i32) + 'static) -> io::Result<SignalHandle> {
        let inner = crate::core::current("SignalHandle::new");
        let reg = crate::signal::register(signum, Arc::clone(&inner.remote))?;
        let base = Base::new(Data::Signal {
            signum,
            reg,
            cb: Some(Box::new(cb)),
        });
        Ok(SignalHandle { base, signum })
    }

    /// The signal watched.
    pub fn signum(&self) -> i32 {
        self.signum
    }

    handle_methods!();
}

/// An idle, prepare or check handle: its callback runs once per loop iteration in its phase.
pub struct PhaseHandle {
    base: Base,
}

impl PhaseHandle {
    /// Starts a handle whose callback runs every iteration in `phase`.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn start(phase: Phase, cb: impl FnMut() + 'static) -> PhaseHandle {
        let base = Base::new(Data::Phase {
            phase,
            cb: Some(Box::new(cb)),
        });
        base.inner.handles.borrow_mut().phase_order.push(base.key);
        PhaseHandle { base }
    }

    /// `uv_idle_stop` and friends: stops running (and keeping the loop alive) until started.
    pub fn stop(&self) {
        self.base.set_active(false);
    }

    /// Starts it again after [`stop`](Self::stop).
    pub fn resume(&self) {
        self.base.set_active(true);
    }

    handle_methods!();
}
