//! Node.js's event loop for Rust: libuv's phases with Node's layer on top.
//!
//! This crate is the base of nodestd: every crate that does asynchronous work runs on it. It
//! gives Rust code the scheduling that Node gives JavaScript, to the line:
//! [`next_tick`] (`process.nextTick`), [`queue_microtask`] and futures ([`spawn_local`], whose
//! wake-ups are microtasks, as promise reactions are), [`set_timeout`] / [`set_interval`]
//! ([timers](https://nodejs.org/docs/latest-v20.x/api/timers.html)), [`set_immediate`], close
//! callbacks, I/O readiness, signals, and libuv's worker pool ([`queue_work`]), with
//! [`work`], the one shape of Node's callback and promise forms for the crates built on it
//! (a pool job whose completion is a callback in the poll phase or a promise whose work
//! started at the call; [`async_forms!`] makes a crate's forms from one table of rows).
//! [`promises`] is Node's `timers/promises`: [`promises::set_timeout`] and
//! [`promises::set_immediate`] as futures, [`promises::set_interval`] as an async stream, with
//! abort signals (nodestd-events' `AbortSignal`, the crate's one nodestd dependency).
//!
//! ```
//! use nodestd_loop as nd;
//! let exit = nd::run(|| {
//!     nd::set_timeout(0, || println!("4 timers phase"));
//!     nd::set_immediate(|| println!("3 check phase"));
//!     nd::queue_microtask(|| println!("2 microtask"));
//!     nd::next_tick(|| println!("1 nextTick"));
//! });
//! assert_eq!(exit.code(), 0);
//! ```
//!
//! ## One iteration (libuv 1.46's `uv_run`, as in Node 20)
//! 1. pending callbacks (I/O callbacks deferred from the previous iteration);
//! 2. idle, then prepare handles;
//! 3. poll for I/O; the timeout is 0 when there are pending callbacks, active idle handles
//!    (Node's referenced immediates start one), closing handles or a stop request; otherwise
//!    until the nearest timer, or forever. Worker-pool completions, cross-thread wake-ups and
//!    signals arrive here, as I/O does;
//! 4. up to 8 more rounds of pending callbacks;
//! 5. check handles, then Node's immediates: those queued before the phase began, FIFO;
//! 6. close callbacks, newest first (libuv's closing list is a stack);
//! 7. update the clock and run due timers. Before the first iteration timers run once too.
//!
//! After **every** callback the loop runs (each timer, immediate, I/O or pool completion and
//! close callback, and after the main function), Node's drain runs: nextTicks until that queue
//! is empty, then microtasks until that one is, repeated while nextTicks were queued.
//!
//! ## Timers
//! Node's algorithm (`lib/internal/timers.js`): a list per duration, a priority queue of lists,
//! one libuv timer. Delays outside `1..=2^31-1` ms become 1 ms. Creating, clearing and firing
//! a timer costs O(1) plus O(log L) for L distinct durations.
//!
//! ## Handles and I/O
//! A handle keeps the loop alive while it is active and referenced, and ends with
//! `close(cb)`, whose callback runs in the close phase. [`IoWatcher`] is libuv's `uv__io_t`:
//! it owns its fd or is told that it borrows it; `start` and `stop` toggle both the poller's
//! registration and whether it keeps the loop alive (so a paused stream, `uv_read_stop`, lets
//! the loop end), and `close` deregisters at once. Readers follow the rule of fair reading at
//! [`MAX_READS_PER_READINESS`]. A signal goes only to the handles for its number (libuv's
//! signal tree), never through every handle.
//!
//! ## Panics are exceptions
//! A panic in a callback is an uncaught exception. With a handler
//! ([`on_uncaught_exception`], which the process crate uses for `uncaughtException`) the loop
//! goes on; without one, `run` stops at once and returns [`Exit::Uncaught`] (Node's exit code
//! 1). A panic in a worker-pool task is not a crash: its completion receives a [`WorkError`].
//!
//! ## Resource exhaustion is an error
//! Creating a loop needs two file descriptors (the epoll instance and its wake-up eventfd).
//! [`Loop::new`] and [`try_run`] return the OS error (`EMFILE` when the process is out of
//! descriptors) and leave nothing open; [`run`] and [`block_on`], the simple API, panic with
//! that error, as Node aborts when `uv_loop_init` fails. A loop closes both descriptors when
//! it is dropped, so runs one after another in a process need no more than one run does.
//! The poller failing while waiting (anything but `EINTR`) ends the run with
//! [`Exit::Failed`] where libuv aborts. A worker thread that cannot be started (`EAGAIN`)
//! does not abort as in libuv: the pool runs with the threads it has and retries the others
//! at the next submission; with none at all, the job's completion gets a [`WorkError`]
//! carrying the OS error. Signal handles return the error of their self-pipe or dispatcher
//! thread.
//!
//! ## Platforms
//! Linux is what is tested: the poller is mio's epoll, cross-thread wake-ups its eventfd,
//! signals a `sigaction` handler writing to a Unix socket pair. Other Unix systems that mio
//! supports (kqueue) may work but are not tested.
//!
//! ## Deviations from Node
//! - Delays are whole milliseconds (`u64`); Node accepts fractions.
//! - `Timeout::refresh` on a timeout whose callback has already run does nothing: a Rust
//!   `FnOnce` cannot run twice (Node would run it again).
//! - A spawned future's first poll is queued as a microtask. A JavaScript `async` function runs
//!   synchronously up to its first `await`; the body of a Rust `async` block runs where Node
//!   would run the code after `await null`.
//! - Handles are not closed when dropped (as in libuv): close them.
//! - [`IoWatcher`] readiness is edge-triggered (mio's epoll mode), where libuv is
//!   level-triggered: read or write until `WouldBlock`, or stop at
//!   [`MAX_READS_PER_READINESS`] (libuv's 32) and [`IoWatcher::rearm`].
//! - The worker pool's queue is a mutex and a condition variable, like libuv's, not a crossbeam
//!   channel: the slow-work cap needs one queue with two classes, and loom checks it.
//! - Resource exhaustion is an error where libuv aborts the process (see above): a poller
//!   failure is [`Exit::Failed`] (exit code 1, not a `SIGABRT`), and the pool may run with
//!   fewer threads than `UV_THREADPOOL_SIZE` when the OS refuses more.
//! - Before a poll phase that would sleep, the loop polls without blocking, yielding the CPU
//!   between polls, for up to 50 µs when its recent sleeps were that short (the window adapts
//!   as the kernel's `haltpoll` governor's does, and shrinks to nothing when waits are long), so
//!   a request/response exchange with another process skips the wake-up of a halted CPU. It
//!   does not poll while worker-pool requests are in flight, nor for a while after a yield
//!   ran another thread on its CPU. libuv sleeps at once. The environment variable
//!   `NODESTD_LOOP_SPIN_US`, read when a loop is created, caps the window in µs; `0` turns
//!   polling off.
//! - The signal self-pipe is a Unix socket pair (std's safe `UnixStream::pair`), where libuv
//!   uses a pipe.
//!
//! ## Embedding
//! [`Loop`] gives run modes (`uv_run`'s default, once and nowait) for embedders that drive the
//! loop themselves; the free functions act on the loop current on this thread.

mod core;
mod executor;
mod handles;
pub mod pool;
pub mod promises;
mod remote;
mod signal;
mod slab;
mod spin;
mod sync;
mod sys;
mod timers;
pub mod work;

#[cfg(all(test, loom))]
mod loom_tests;

use std::any::Any;
use std::future::Future;
use std::rc::Rc;

use sys::small_fn::SmallFn;

pub use executor::{Canceled, JoinHandle, Promise, Resolver, promise, spawn_local};
pub use handles::{
    AsyncHandle, AsyncSender, Handle, Interest, IoWatcher, MAX_READS_PER_READINESS, Phase,
    PhaseHandle, Readiness, SignalHandle,
};
pub use timers::{TIMEOUT_MAX, coerce_delay};

use crate::core::{Inner, current};
use crate::slab::Key;

/// How a run ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum Exit {
    /// Nothing kept the loop alive any more (exit code 0).
    Completed,
    /// [`stop`] was called; the loop can be run again.
    Stopped,
    /// [`exit`] was called with this code.
    Exited(i32),
    /// A panic with no uncaught-exception handler (exit code 1).
    Uncaught(PanicError),
    /// The OS poller failed while waiting for events (exit code 1; libuv aborts the process
    /// instead).
    Failed(std::io::Error),
}

impl Exit {
    /// The process exit code Node would use.
    pub fn code(&self) -> i32 {
        match self {
            Exit::Completed | Exit::Stopped => 0,
            Exit::Exited(c) => *c,
            Exit::Uncaught(_) | Exit::Failed(_) => 1,
        }
    }
}

/// A panic caught on the loop: its message and payload.
pub struct PanicError {
    message: String,
    payload: Box<dyn Any + Send>,
}

impl PanicError {
    pub(crate) fn new(payload: Box<dyn Any + Send>) -> PanicError {
        PanicError {
            message: core::panic_message(&*payload),
            payload,
        }
    }

    /// The panic message (`"Box<dyn Any>"` for a payload that is not a string).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The payload, as `std::panic::catch_unwind` gives it.
    pub fn payload(&self) -> &(dyn Any + Send) {
        &*self.payload
    }

    /// Takes the payload (e.g. to `resume_unwind` it).
    pub fn into_payload(self) -> Box<dyn Any + Send> {
        self.payload
    }
}

impl std::fmt::Debug for PanicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PanicError")
            .field("message", &self.message)
            .finish()
    }
}

impl std::fmt::Display for PanicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "uncaught panic: {}", self.message)
    }
}

impl std::error::Error for PanicError {}

/// The worker pool could not run a job: its completion gets this instead of a value.
#[derive(Debug)]
pub struct WorkError(WorkFailure);

#[derive(Debug)]
enum WorkFailure {
    /// The job panicked.
    Panic(PanicError),
    /// No worker thread could be started (`EAGAIN` from `pthread_create`), or the loop
    /// dropped the request.
    Os(std::io::Error, String),
}

impl WorkError {
    pub(crate) fn from_payload(payload: Box<dyn Any + Send>) -> WorkError {
        match payload.downcast::<pool::Unavailable>() {
            Ok(u) => {
                let message = format!("uv_thread_create: {}", u.0);
                WorkError(WorkFailure::Os(u.0, message))
            }
            Err(p) => WorkError(WorkFailure::Panic(PanicError::new(p))),
        }
    }

    pub(crate) fn dropped() -> WorkError {
        WorkError(WorkFailure::Panic(PanicError::new(Box::new(
            "the loop dropped the task",
        ))))
    }

    /// What went wrong: the panic message, or the OS error.
    pub fn message(&self) -> &str {
        match &self.0 {
            WorkFailure::Panic(p) => p.message(),
            WorkFailure::Os(_, m) => m,
        }
    }

    /// The OS error when the pool could not start any worker thread (`EAGAIN`, Node's code
    /// for `pthread_create`'s failure); `None` for a panicking job.
    pub fn os_error(&self) -> Option<&std::io::Error> {
        match &self.0 {
            WorkFailure::Os(e, _) => Some(e),
            WorkFailure::Panic(_) => None,
        }
    }

    /// Whether the job itself panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.0, WorkFailure::Panic(_))
    }
}

impl std::fmt::Display for WorkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            WorkFailure::Panic(p) => write!(f, "worker-pool task panicked: {}", p.message()),
            WorkFailure::Os(_, m) => write!(f, "worker pool unavailable: {m}"),
        }
    }
}

impl std::error::Error for WorkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0 {
            WorkFailure::Os(e, _) => Some(e),
            WorkFailure::Panic(_) => None,
        }
    }
}

/// `uv_run`'s modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// Run until nothing keeps the loop alive, or [`stop`].
    Default,
    /// One iteration, blocking in poll if there is nothing else to do.
    Once,
    /// One iteration without blocking.
    NoWait,
}

/// An event loop. One per thread at a time is current; [`run`] makes a new one for you.
pub struct Loop {
    inner: Rc<Inner>,
}

impl Loop {
    /// A new loop.
    ///
    /// # Errors
    /// The OS poller could not be created (out of file descriptors).
    pub fn new() -> std::io::Result<Loop> {
        Ok(Loop {
            inner: Inner::new()?,
        })
    }

    /// Runs `main` as the main script, drains, then runs the loop until nothing keeps it
    /// alive (with the `beforeExit` hooks), a [`stop`], an [`exit`] or an uncaught panic.
    pub fn run(&self, main: impl FnOnce()) -> Exit {
        self.inner.run_main(main)
    }

    /// Runs `f` with this loop current (to schedule work before [`Loop::run_mode`]).
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        core::enter(&self.inner, f)
    }

    /// One `uv_run` in `mode`. Returns whether the loop is still alive.
    pub fn run_mode(&self, mode: RunMode) -> bool {
        core::enter(&self.inner, || self.inner.run_mode(mode))
    }

    /// Whether anything keeps the loop alive (`uv_loop_alive`).
    pub fn is_alive(&self) -> bool {
        self.inner.alive()
    }

    /// Takes the reason the loop halted (an uncaught panic or [`exit`]), if any, after
    /// [`Loop::run_mode`].
    pub fn take_exit(&self) -> Option<Exit> {
        self.inner
            .halt
            .borrow_mut()
            .take()
            .map(core::Halt::into_exit)
    }

    /// Live timers (created, not yet fired or cleared).
    pub fn live_timers(&self) -> usize {
        self.inner.live_timers()
    }

    /// Live spawned tasks.
    pub fn live_tasks(&self) -> usize {
        self.inner.live_tasks()
    }
}

/// Runs `main` on a new loop, then the loop until nothing keeps it alive: Node's life of a
/// process. Returns how it ended.
///
/// # Panics
/// When the loop cannot be created (no file descriptor left for the OS poller: `EMFILE`), as
/// Node aborts when `uv_loop_init` fails. [`try_run`] returns that error instead.
pub fn run(main: impl FnOnce()) -> Exit {
    match try_run(main) {
        Ok(exit) => exit,
        Err(e) => panic!("nodestd_loop: cannot create the event loop: {e}"),
    }
}

/// [`run`], with the failure to create the loop as an error.
///
/// ```
/// let exit = nodestd_loop::try_run(|| {})?;
/// assert_eq!(exit.code(), 0);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The OS poller or its wake-up could not be created: `EMFILE` (no file descriptor left) or
/// `ENFILE`, `ENOMEM`, as `epoll_create1` and `eventfd` report them. Nothing is left open.
pub fn try_run(main: impl FnOnce()) -> std::io::Result<Exit> {
    Ok(Loop::new()?.run(main))
}

/// The loop could not finish a future given to [`block_on`].
#[derive(Debug)]
#[non_exhaustive]
pub enum BlockOnError {
    /// The loop ran out of work with the future still pending (Node exits with 13 for an
    /// unsettled top-level await).
    Unsettled,
    /// The loop ended otherwise first.
    Exit(Exit),
}

impl std::fmt::Display for BlockOnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlockOnError::Unsettled => {
                f.write_str("the loop emptied while the main future was still pending")
            }
            BlockOnError::Exit(e) => write!(f, "the loop ended first: {e:?}"),
        }
    }
}

impl std::error::Error for BlockOnError {}

/// Runs an async main on a new loop, then the loop until nothing keeps it alive, and returns
/// the future's output.
///
/// ```
/// let v = nodestd_loop::block_on(async {
///     let (r, p) = nodestd_loop::promise();
///     nodestd_loop::set_immediate(move || r.resolve(5));
///     p.await.unwrap() + 1
/// });
/// assert_eq!(v.unwrap(), 6);
/// ```
///
/// # Errors
/// The future never completed, or the loop ended with an uncaught panic or [`exit`].
pub fn block_on<F: Future + 'static>(future: F) -> Result<F::Output, BlockOnError> {
    let out = Rc::new(std::cell::RefCell::new(None));
    let slot = Rc::clone(&out);
    let exit = run(move || {
        let inner = current("block_on");
        inner.spawn_task(Box::pin(async move {
            *slot.borrow_mut() = Some(future.await);
        }));
    });
    let value = out.borrow_mut().take();
    match (value, exit) {
        (Some(v), Exit::Completed | Exit::Stopped) => Ok(v),
        (None, Exit::Completed) => Err(BlockOnError::Unsettled),
        (_, e) => Err(BlockOnError::Exit(e)),
    }
}

// ----- nextTick and microtasks -----

/// `process.nextTick(f)`.
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// let order = Rc::new(RefCell::new(Vec::new()));
/// let (a, b) = (order.clone(), order.clone());
/// nodestd_loop::run(move || {
///     nodestd_loop::queue_microtask(move || a.borrow_mut().push("microtask"));
///     nodestd_loop::next_tick(move || b.borrow_mut().push("nextTick"));
/// });
/// // node: process.nextTick runs before queueMicrotask's callback
/// assert_eq!(*order.borrow(), ["nextTick", "microtask"]);
/// ```
///
/// # Panics
/// Outside a running loop (as every function here that acts on the current loop).
#[doc(alias = "nextTick")]
pub fn next_tick(f: impl FnOnce() + 'static) {
    let f = Box::new(f);
    core::with_current("next_tick", |inner| inner.next_tick(f));
}

/// `queueMicrotask(f)`: the same FIFO queue as promise reactions and task wake-ups.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_loop::queue_microtask(|| println!("after the main function, before any timer"));
/// });
/// ```
#[doc(alias = "queueMicrotask")]
pub fn queue_microtask(f: impl FnOnce() + 'static) {
    let m = core::Micro::Fn(Box::new(f));
    core::with_current("queue_microtask", |inner| inner.queue_microtask(m));
}

// ----- timers -----

/// A timer made by [`set_timeout`] or [`set_interval`]: Node's `Timeout` object.
#[derive(Clone)]
pub struct Timeout {
    inner: Rc<Inner>,
    key: Key,
}

impl std::fmt::Debug for Timeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Timeout")
            .field("has_ref", &self.has_ref())
            .finish()
    }
}

impl Timeout {
    /// `clearTimeout(t)` / `clearInterval(t)`. Clearing twice, or after it fired, does nothing.
    #[doc(alias = "clearTimeout")]
    pub fn clear(&self) {
        self.inner.timers.borrow_mut().clear(self.key);
    }

    /// `timeout.refresh()`: restart the countdown from now with the same delay.
    pub fn refresh(&self) -> &Self {
        let now = self.inner.get_now();
        self.inner.timers.borrow_mut().refresh(self.key, now);
        self
    }

    /// `timeout.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) -> &Self {
        self.inner.timers.borrow_mut().set_ref(self.key, true);
        self
    }

    /// `timeout.unref()`: the timer no longer keeps the loop alive.
    pub fn unref(&self) -> &Self {
        self.inner.timers.borrow_mut().set_ref(self.key, false);
        self
    }

    /// `timeout.hasRef()` (false once it has fired or been cleared).
    #[doc(alias = "hasRef")]
    pub fn has_ref(&self) -> bool {
        self.inner.timers.borrow().has_ref(self.key)
    }
}

fn create_timer(what: &str, ms: u64, repeat: bool, cb: timers::Callback) -> Timeout {
    let inner = current(what);
    let start = inner.get_now();
    let key = inner
        .timers
        .borrow_mut()
        .create(coerce_delay(ms), repeat, cb, start);
    Timeout { inner, key }
}

/// `setTimeout(f, ms)`.
///
/// ```
/// nodestd_loop::run(|| {
///     let t = nodestd_loop::set_timeout(10, || unreachable!("cleared"));
///     t.clear();
/// });
/// ```
#[doc(alias = "setTimeout")]
pub fn set_timeout(ms: u64, f: impl FnOnce() + 'static) -> Timeout {
    create_timer(
        "set_timeout",
        ms,
        false,
        timers::Callback::Once(SmallFn::new(f)),
    )
}

/// `setInterval(f, ms)`: re-armed at (the time its callback started) + `ms`.
///
/// ```
/// use std::{cell::Cell, rc::Rc};
/// let fired = Rc::new(Cell::new(0));
/// let f = fired.clone();
/// nodestd_loop::run(move || {
///     let t = Rc::new(Cell::new(None::<nodestd_loop::Timeout>));
///     let t2 = t.clone();
///     t.set(Some(nodestd_loop::set_interval(1, move || {
///         f.set(f.get() + 1);
///         if f.get() == 3 {
///             if let Some(t) = t2.take() { t.clear() }
///         }
///     })));
/// });
/// assert_eq!(fired.get(), 3);
/// ```
#[doc(alias = "setInterval")]
pub fn set_interval(ms: u64, f: impl FnMut() + 'static) -> Timeout {
    create_timer(
        "set_interval",
        ms,
        true,
        timers::Callback::Repeat(Some(Box::new(Box::new(f)))),
    )
}

/// `clearTimeout(t)`.
///
/// ```
/// nodestd_loop::run(|| {
///     let t = nodestd_loop::set_timeout(10, || unreachable!("cleared"));
///     nodestd_loop::clear_timeout(&t);
/// });
/// ```
#[doc(alias = "clearTimeout")]
pub fn clear_timeout(t: &Timeout) {
    t.clear();
}

/// `clearInterval(t)`.
///
/// ```
/// nodestd_loop::run(|| {
///     let t = nodestd_loop::set_interval(10, || unreachable!("cleared"));
///     nodestd_loop::clear_interval(&t);
/// });
/// ```
#[doc(alias = "clearInterval")]
pub fn clear_interval(t: &Timeout) {
    t.clear();
}

// ----- immediates -----

/// An immediate made by [`set_immediate`]: Node's `Immediate` object.
#[derive(Clone)]
pub struct Immediate {
    inner: Rc<Inner>,
    key: Key,
}

impl std::fmt::Debug for Immediate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Immediate")
            .field("has_ref", &self.has_ref())
            .finish()
    }
}

impl Immediate {
    /// `clearImmediate(i)`.
    #[doc(alias = "clearImmediate")]
    pub fn clear(&self) {
        self.inner.clear_immediate(self.key);
    }

    /// `immediate.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) -> &Self {
        self.inner.set_immediate_ref(self.key, true);
        self
    }

    /// `immediate.unref()`: it no longer keeps the loop alive.
    pub fn unref(&self) -> &Self {
        self.inner.set_immediate_ref(self.key, false);
        self
    }

    /// `immediate.hasRef()`.
    #[doc(alias = "hasRef")]
    pub fn has_ref(&self) -> bool {
        self.inner
            .immediates
            .borrow()
            .get(self.key)
            .is_some_and(|i| i.refed)
    }
}

/// `setImmediate(f)`: runs in the check phase.
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// let order = Rc::new(RefCell::new(Vec::new()));
/// let o = order.clone();
/// nodestd_loop::run(move || {
///     nodestd_loop::set_timeout(0, move || {
///         let (a, b) = (o.clone(), o.clone());
///         nodestd_loop::set_timeout(0, move || a.borrow_mut().push("timeout"));
///         nodestd_loop::set_immediate(move || b.borrow_mut().push("immediate"));
///     });
/// });
/// // From a timer callback, the check phase comes before the next timers phase (as in node).
/// assert_eq!(*order.borrow(), ["immediate", "timeout"]);
/// ```
#[doc(alias = "setImmediate")]
pub fn set_immediate(f: impl FnOnce() + 'static) -> Immediate {
    let inner = current("set_immediate");
    let key = inner.set_immediate(SmallFn::new(f));
    Immediate { inner, key }
}

/// `clearImmediate(i)`.
///
/// ```
/// nodestd_loop::run(|| {
///     let i = nodestd_loop::set_immediate(|| unreachable!("cleared"));
///     nodestd_loop::clear_immediate(&i);
/// });
/// ```
#[doc(alias = "clearImmediate")]
pub fn clear_immediate(i: &Immediate) {
    i.clear();
}

// ----- the worker pool -----

pub(crate) fn submit<T: Send + 'static>(
    kind: pool::Kind,
    work: impl FnOnce() -> T + Send + 'static,
    done: impl FnOnce(Result<T, WorkError>) + 'static,
) {
    let inner = current("queue_work");
    inner.queue_work(
        kind,
        move || Box::new(work()) as Box<dyn Any + Send>,
        Box::new(move |result| {
            let r = match result {
                Ok(v) => Ok(*v
                    .downcast::<T>()
                    .expect("the pool returns the task's own type")),
                Err(p) => Err(WorkError::from_payload(p)),
            };
            done(r)
        }),
    );
}

/// `uv_queue_work`: runs `work` on the worker pool; `done` gets its value (or the panic) on the
/// loop thread, in the poll phase. An outstanding task keeps the loop alive.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_loop::queue_work(|| (1..=10u64).product::<u64>(), |r| assert_eq!(r.unwrap(), 3_628_800));
/// });
/// ```
pub fn queue_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    done: impl FnOnce(Result<T, WorkError>) + 'static,
) {
    submit(pool::Kind::Normal, work, done);
}

/// As [`queue_work`], for slow work (DNS lookups): at most half the pool runs such work at once.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_loop::queue_slow_work(|| "an answer", |r| assert_eq!(r.unwrap(), "an answer"));
/// });
/// ```
pub fn queue_slow_work<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    done: impl FnOnce(Result<T, WorkError>) + 'static,
) {
    submit(pool::Kind::Slow, work, done);
}

/// [`queue_work`] as a future.
///
/// ```
/// let n = nodestd_loop::block_on(async {
///     nodestd_loop::spawn_blocking(|| (1..=5u32).sum::<u32>()).await.unwrap()
/// });
/// assert_eq!(n.unwrap(), 15);
/// ```
pub async fn spawn_blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WorkError> {
    let (resolver, promise) = promise();
    queue_work(work, move |r| resolver.resolve(r));
    match promise.await {
        Ok(r) => r,
        Err(Canceled) => Err(WorkError::dropped()),
    }
}

/// The worker pool's size (`UV_THREADPOOL_SIZE`, read at first use).
///
/// ```
/// assert!(nodestd_loop::pool_size() >= 1); // 4 unless UV_THREADPOOL_SIZE says otherwise
/// ```
pub fn pool_size() -> usize {
    pool::Pool::get().size()
}

// ----- the loop as a whole -----

/// `uv_now`: the loop's cached clock, in ms since the loop began (updated once per
/// iteration, after polling, and whenever a timer is created, as Node does).
///
/// ```
/// nodestd_loop::run(|| {
///     let start = nodestd_loop::now();
///     nodestd_loop::set_timeout(5, move || assert!(nodestd_loop::now() >= start + 5));
/// });
/// ```
pub fn now() -> u64 {
    current("now").now()
}

/// `uv_update_time`: refresh the cached clock.
///
/// ```
/// nodestd_loop::run(|| {
///     let before = nodestd_loop::now();
///     std::thread::sleep(std::time::Duration::from_millis(2));
///     nodestd_loop::update_time();
///     assert!(nodestd_loop::now() >= before + 2);
/// });
/// ```
pub fn update_time() {
    current("update_time").update_time();
}

/// `uv_stop`: the loop returns at the end of this iteration ([`Exit::Stopped`]).
///
/// ```
/// let exit = nodestd_loop::run(|| {
///     nodestd_loop::set_timeout(1_000, || unreachable!("the loop stopped first"));
///     nodestd_loop::set_timeout(1, nodestd_loop::stop);
/// });
/// assert!(matches!(exit, nodestd_loop::Exit::Stopped));
/// ```
pub fn stop() {
    current("stop").stop();
}

/// Ends the run now with `code` (what `process.exit(code)` needs): no further callback runs.
///
/// ```
/// let exit = nodestd_loop::run(|| {
///     nodestd_loop::set_timeout(1, || nodestd_loop::exit(3));
///     nodestd_loop::set_timeout(50, || unreachable!("the run ended"));
/// });
/// assert_eq!(exit.code(), 3);
/// ```
pub fn exit(code: i32) {
    current("exit").set_halt(core::Halt::Exit(code));
}

/// A handler for panics in callbacks (see [`on_uncaught_exception`]).
pub type UncaughtHandler = Box<dyn Fn(&PanicError)>;

/// Installs the uncaught-exception handler (the process crate's `uncaughtException`): a panic
/// in a callback is passed to it and the loop goes on. `None` restores the default (the run
/// ends with [`Exit::Uncaught`]).
///
/// ```
/// let exit = nodestd_loop::run(|| {
///     nodestd_loop::on_uncaught_exception(Some(Box::new(|e| eprintln!("caught: {}", e.message()))));
///     nodestd_loop::set_timeout(1, || panic!("boom"));
/// });
/// assert_eq!(exit.code(), 0);
/// ```
pub fn on_uncaught_exception(handler: Option<UncaughtHandler>) {
    current("on_uncaught_exception").set_uncaught_handler(handler.map(Rc::from));
}

/// Adds a hook that runs when the loop empties (Node's `beforeExit`); if it schedules work,
/// the loop continues.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// let rounds = Rc::new(Cell::new(0));
/// let r = rounds.clone();
/// nodestd_loop::run(move || {
///     nodestd_loop::on_before_exit(move || {
///         r.set(r.get() + 1);
///         if r.get() < 3 {
///             nodestd_loop::set_immediate(|| {}); // more work: the loop goes on
///         }
///     });
/// });
/// assert_eq!(rounds.get(), 3);
/// ```
pub fn on_before_exit(hook: impl Fn() + 'static) {
    current("on_before_exit")
        .before_exit
        .borrow_mut()
        .push(Rc::new(hook));
}

/// Defers `f` to the next iteration's pending phase (`uv__io_feed`), for I/O callbacks that
/// must not run synchronously.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_loop::queue_pending(|| println!("next iteration's pending phase"));
/// });
/// ```
pub fn queue_pending(f: impl FnOnce() + 'static) {
    current("queue_pending").queue_pending(Box::new(f));
}

/// Runs the nextTick queue and the microtasks to empty now, as Node does when a callback it
/// entered from libuv through `MakeCallback` returns: I/O code that hands out several results
/// from one readiness (a stream's data, then its end) calls it between them, so that each
/// result's ticks and microtasks run before the next one, as in Node.
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// let order = Rc::new(RefCell::new(Vec::new()));
/// let o = order.clone();
/// nodestd_loop::run(move || {
///     let o2 = o.clone();
///     nodestd_loop::next_tick(move || o2.borrow_mut().push("tick"));
///     nodestd_loop::drain_queues();
///     o.borrow_mut().push("after the drain");
/// });
/// assert_eq!(*order.borrow(), ["tick", "after the drain"]);
/// ```
pub fn drain_queues() {
    current("drain_queues").drain();
}

/// Whether this thread is inside a running loop.
///
/// ```
/// assert!(!nodestd_loop::in_loop());
/// nodestd_loop::run(|| assert!(nodestd_loop::in_loop()));
/// ```
pub fn in_loop() -> bool {
    core::try_current().is_some()
}
