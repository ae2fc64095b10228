//! libuv's handles: long-lived objects that keep the loop alive while active and referenced,
//! and end with `close(cb)`, whose callback runs in the close phase (LIFO, as libuv's
//! `closing_handles` list).
//!
//! Kinds: a plain [`Handle`] (for crates that own their resource, e.g. a socket, and only need
//! the loop's liveness and close semantics), [`IoWatcher`] (libuv's `uv__io_t`: readiness of
//! an fd, through mio), [`AsyncHandle`] (a wake-up from any thread, `uv_async_t`),
//! [`SignalHandle`] (`uv_signal_t`), and [`PhaseHandle`] for the idle, prepare and check
//! phases.
//!
//! As in libuv, a handle lives until it is closed: dropping the Rust value does not close it.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
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

/// The mio token of an I/O watcher: its slab key, so an event finds its watcher without a
/// lookup table, and an event for a closed watcher whose slot was reused finds a newer
/// generation and is dropped. (`core::WAKER_TOKEN`, `usize::MAX`, is slot `u32::MAX`, which
/// the slab never hands out.)
fn io_token(key: Key) -> mio::Token {
    mio::Token(((key.generation as usize) << 32) | key.index as usize)
}

fn io_key(token: mio::Token) -> Key {
    Key {
        index: token.0 as u32,
        generation: (token.0 >> 32) as u32,
    }
}

pub(crate) enum Data {
    Plain,
    Io {
        fd: RawFd,
        /// The fd when the watcher owns it; `close` drops it, which closes it unless a clone
        /// lent out by [`IoWatcher::fd`] is still alive.
        owned: Option<Rc<OwnedFd>>,
        /// What the poller watches for, `None` when stopped (libuv's `w->events`).
        interest: Option<Interest>,
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
    /// libuv's `loop->watchers`: which watcher has each fd registered with the poller. A
    /// watcher deregisters its fd only while it is the one registered, so a watcher whose
    /// borrowed fd was closed and whose number was reused cannot take the new fd's
    /// registration away.
    watchers: HashMap<RawFd, Key>,
    /// libuv's signal tree (`uv__signal_tree`, keyed by signum): delivering a signal visits
    /// only its own handles, in creation-slot order.
    signals: BTreeSet<(i32, Key)>,
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

    fn insert(&mut self, data: Data, active: bool) -> Key {
        let key = self.slab.insert(Entry {
            refed: true,
            active,
            closing: false,
            data,
        });
        if active {
            self.refed_active += 1;
        }
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
        let key = io_key(token);
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
        let first = Key {
            index: 0,
            generation: 0,
        };
        self.signals
            .range((signum, first)..)
            .take_while(|&&(s, _)| s == signum)
            .map(|&(_, k)| k)
            .filter(|&k| self.slab.get(k).is_some_and(|e| !e.closing))
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
            Data::Async { id, .. } => {
                self.asyncs.remove(&id);
                None
            }
            Data::Signal { signum, reg, .. } => {
                self.signals.remove(&(signum, key));
                Some(HandleKind::Signal { signum, id: reg })
            }
            // `close` already deregistered it (uv__io_close).
            Data::Io { .. } | Data::Plain | Data::Phase { .. } => None,
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
    /// A new handle, active (it keeps the loop alive until stopped or closed).
    fn new(data: Data) -> Base {
        Base::with_state(data, true)
    }

    fn with_state(data: Data, active: bool) -> Base {
        let inner = crate::core::current("handle creation");
        let key = inner.handles.borrow_mut().insert(data, active);
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
        #[doc(alias = "ref")]
        pub fn ref_(&self) {
            self.base.set_ref(true);
        }

        /// `handle.unref()`: the handle no longer keeps the loop alive by itself.
        pub fn unref(&self) {
            self.base.set_ref(false);
        }

        /// `handle.hasRef()`.
        #[doc(alias = "hasRef")]
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

/// How many reads an I/O callback does per readiness before it yields to the rest of the loop:
/// libuv's `uv__read` loops at most 32 times (`count = 32`, "prevent loop starvation when the
/// data comes in as fast as (or faster than) we can read it").
///
/// The rule of fair reading, for every stream built on [`IoWatcher`]: on readiness, read until
/// `WouldBlock`, end of file, or `MAX_READS_PER_READINESS` reads. Readiness here is
/// edge-triggered, so a callback that stops early must ask to be called again: it calls
/// [`IoWatcher::rearm`], which re-arms the edge (epoll's `EPOLL_CTL_MOD` reports an fd that
/// is still readable at the next poll), what libuv's level-triggered poll does by itself
/// (its note: "Need to rearm fd if we switch to edge-triggered I/O").
pub const MAX_READS_PER_READINESS: usize = 32;

/// libuv's `uv__io_t`: watches an fd for readiness (mio underneath) and calls back in the
/// poll phase.
///
/// - It owns its fd ([`IoWatcher::new`], an `OwnedFd`) or is told that it borrows one
///   ([`IoWatcher::borrowed`]).
/// - [`start`](Self::start) (`uv__io_start`) registers the fd with the poller for an
///   [`Interest`] and makes the watcher active: it keeps the loop alive while referenced.
///   [`stop`](Self::stop) (`uv__io_stop`) deregisters it and makes it inactive: how
///   `uv_read_stop` lets a paused socket stop keeping the loop alive.
/// - [`close`](Self::close) (`uv__io_close`) deregisters the fd at once, not in the close
///   phase, so an fd number reused right after cannot lose the new fd's registration; an
///   owned fd is closed at once too (as `uv_close` closes a stream's fd), unless a clone
///   from [`fd`](Self::fd) is still held.
///
/// Readiness is edge-triggered, as mio's: a callback reads or writes until `WouldBlock`, or
/// follows the rule of fair reading at [`MAX_READS_PER_READINESS`].
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use std::{cell::RefCell, rc::Rc};
/// use nodestd_loop as nd;
///
/// let (mut a, b) = UnixStream::pair()?;
/// b.set_nonblocking(true)?;
/// a.write_all(b"hi")?;
/// nd::run(move || {
///     let slot: Rc<RefCell<Option<nd::IoWatcher>>> = Rc::default();
///     let s = Rc::clone(&slot);
///     let w = nd::IoWatcher::new(b.into(), nd::Interest::Readable, move |ready| {
///         assert!(ready.readable);
///         let w = s.borrow_mut().take().unwrap();
///         let mut buf = [0u8; 8];
///         // The watcher's own fd (here read through a `UnixStream` over a duplicate).
///         let mut sock = UnixStream::from(w.fd().unwrap().try_clone().unwrap());
///         let n = sock.read(&mut buf).unwrap();
///         assert_eq!(&buf[..n], b"hi");
///         w.close_quietly(); // deregisters and closes the fd now
///     })
///     .unwrap();
///     *slot.borrow_mut() = Some(w);
/// });
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct IoWatcher {
    base: Base,
    fd: RawFd,
}

impl IoWatcher {
    /// A watcher that owns `fd`, started for `interest` (`uv__io_init_start`).
    ///
    /// # Errors
    /// The poller refused the fd (`EPERM` for a regular file, which epoll cannot watch); the
    /// fd is closed then.
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn new(
        fd: OwnedFd,
        interest: Interest,
        cb: impl FnMut(Readiness) + 'static,
    ) -> io::Result<IoWatcher> {
        IoWatcher::init(fd.as_raw_fd(), Some(Rc::new(fd)), interest, Box::new(cb))
    }

    /// A watcher of an fd it does not own, started for `interest`. The caller keeps `fd` open
    /// until it has closed the watcher ([`close`](Self::close) deregisters at once, so the fd
    /// may be closed right after).
    ///
    /// # Errors
    /// The poller refused the fd (e.g. a regular file, which epoll cannot watch).
    ///
    /// # Panics
    /// Outside a running loop.
    pub fn borrowed(
        fd: RawFd,
        interest: Interest,
        cb: impl FnMut(Readiness) + 'static,
    ) -> io::Result<IoWatcher> {
        IoWatcher::init(fd, None, interest, Box::new(cb))
    }

    fn init(
        fd: RawFd,
        owned: Option<Rc<OwnedFd>>,
        interest: Interest,
        cb: IoCb,
    ) -> io::Result<IoWatcher> {
        let base = Base::with_state(
            Data::Io {
                fd,
                owned,
                interest: None,
                cb: Some(cb),
            },
            false,
        );
        let w = IoWatcher { base, fd };
        if let Err(e) = w.start(interest) {
            // Never started: the handle goes away without a close phase.
            w.base.inner.handles.borrow_mut().slab.remove(w.base.key);
            return Err(e);
        }
        Ok(w)
    }

    /// `uv__io_start`: watch for `interest` (replacing what was watched) and keep the loop
    /// alive while referenced. Starting with the interest already watched does nothing.
    /// Starting a closing watcher does nothing.
    ///
    /// # Errors
    /// The poller refused the fd.
    pub fn start(&self, interest: Interest) -> io::Result<()> {
        let inner = &self.base.inner;
        let key = self.base.key;
        let mut h = inner.handles.borrow_mut();
        let Some(Entry {
            closing: false,
            data: Data::Io {
                interest: watched, ..
            },
            ..
        }) = h.slab.get_mut(key)
        else {
            return Ok(());
        };
        let was = *watched;
        if was == Some(interest) {
            return Ok(());
        }
        let poll = inner.poll.borrow();
        let mut source = mio::unix::SourceFd(&self.fd);
        if was.is_some() {
            poll.registry()
                .reregister(&mut source, io_token(key), interest.to_mio())?;
        } else {
            poll.registry()
                .register(&mut source, io_token(key), interest.to_mio())?;
        }
        if let Some(Entry {
            data: Data::Io { interest: w, .. },
            ..
        }) = h.slab.get_mut(key)
        {
            *w = Some(interest);
        }
        h.watchers.insert(self.fd, key);
        h.update(key, |e| e.active = true);
        Ok(())
    }

    /// `uv__io_stop`: stop watching (the poller forgets the fd) and stop keeping the loop
    /// alive, until [`start`](Self::start). Stopping a stopped watcher does nothing.
    pub fn stop(&self) {
        io_stop(&self.base.inner, self.base.key, false);
    }

    /// What the watcher watches for; `None` when stopped or closing (`uv__io_active`).
    pub fn interest(&self) -> Option<Interest> {
        match self.base.inner.handles.borrow().slab.get(self.base.key) {
            Some(Entry {
                closing: false,
                data: Data::Io { interest, .. },
                ..
            }) => *interest,
            _ => None,
        }
    }

    /// Asks for the callback again at the next poll if the fd is still ready: a callback that
    /// stopped reading at [`MAX_READS_PER_READINESS`] calls this (see the rule there).
    /// Does nothing on a stopped or closing watcher.
    ///
    /// The rule of fair reading, as a stream's read callback (`uv__read`) follows it:
    ///
    /// ```
    /// use std::io::{ErrorKind, Read};
    /// use std::os::unix::net::UnixStream;
    /// use nodestd_loop as nd;
    ///
    /// /// One readiness: at most 32 reads; true when the stream ended.
    /// fn on_readable(w: &nd::IoWatcher, sock: &mut UnixStream, out: &mut Vec<u8>) -> bool {
    ///     let mut buf = [0u8; 16];
    ///     for _ in 0..nd::MAX_READS_PER_READINESS {
    ///         match sock.read(&mut buf) {
    ///             Ok(0) => return true,
    ///             Ok(n) => out.extend_from_slice(&buf[..n]),
    ///             Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
    ///             Err(e) => panic!("{e}"),
    ///         }
    ///     }
    ///     // More may be waiting: let the rest of the loop run, then come back.
    ///     w.rearm().unwrap();
    ///     false
    /// }
    /// # let _ = on_readable;
    /// ```
    ///
    /// # Errors
    /// The poller refused the fd.
    pub fn rearm(&self) -> io::Result<()> {
        match self.interest() {
            Some(interest) => self.base.inner.poll.borrow().registry().reregister(
                &mut mio::unix::SourceFd(&self.fd),
                io_token(self.base.key),
                interest.to_mio(),
            ),
            None => Ok(()),
        }
    }

    /// The owned fd, to read and write through; `None` for a borrowed fd, and after
    /// `close`. A clone kept past `close` keeps the fd open (but no longer watched).
    pub fn fd(&self) -> Option<Rc<OwnedFd>> {
        match self.base.inner.handles.borrow().slab.get(self.base.key) {
            Some(Entry {
                data: Data::Io { owned, .. },
                ..
            }) => owned.clone(),
            _ => None,
        }
    }

    handle_methods!();
}

impl AsRawFd for IoWatcher {
    /// The fd's number (after `close`, the number may name another fd).
    fn as_raw_fd(&self) -> RawFd {
        self.fd
    }
}

/// `uv__io_stop` on watcher `key`; with `release` (`uv__io_close`), the watcher also lets go
/// of its owned fd, which closes unless a clone from [`IoWatcher::fd`] is still held.
pub(crate) fn io_stop(inner: &Inner, key: Key, release: bool) {
    let (fd, deregister, owned) = {
        let mut h = inner.handles.borrow_mut();
        let Some(Entry {
            data:
                Data::Io {
                    fd,
                    owned,
                    interest,
                    ..
                },
            ..
        }) = h.slab.get_mut(key)
        else {
            return;
        };
        let fd = *fd;
        let was_started = interest.take().is_some();
        let owned = if release { owned.take() } else { None };
        let deregister = was_started && h.watchers.get(&fd) == Some(&key);
        if deregister {
            h.watchers.remove(&fd);
        }
        h.update(key, |e| e.active = false);
        (fd, deregister, owned)
    };
    if deregister {
        // A borrowed fd its owner already closed is no longer registered: nothing to undo.
        let _ = inner
            .poll
            .borrow()
            .registry()
            .deregister(&mut mio::unix::SourceFd(&fd));
    }
    drop(owned);
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
    /// `EINVAL` for a signal that cannot be caught (SIGKILL, SIGSTOP) or is out of range. For
    /// the first handle of the process, `EMFILE` when its self-pipe cannot be created and
    /// `EAGAIN` when its dispatcher thread cannot start (nothing is left open; a later handle
    /// tries again).
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
        base.inner
            .handles
            .borrow_mut()
            .signals
            .insert((signum, base.key));
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
