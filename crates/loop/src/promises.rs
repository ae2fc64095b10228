//! Node's [`timers/promises`](https://nodejs.org/docs/latest-v20.x/api/timers.html#timers-promises-api):
//! [`set_timeout`] and [`set_immediate`] as futures, [`set_interval`] as an async stream, each
//! with Node's `{ signal, ref }` options ([`TimerOptions`]).
//!
//! ```
//! use nodestd_loop::{self as nd, promises};
//! let v = nd::block_on(async {
//!     let a = promises::set_timeout(5, "later").await.unwrap();
//!     let b = promises::set_immediate(1).await.unwrap();
//!     let mut ticks = promises::set_interval(1, 'x');
//!     let c = ticks.next().await.unwrap().unwrap();
//!     (a, b, c) // dropping `ticks` clears its interval, as `break` in `for await` does
//! });
//! assert_eq!(v.unwrap(), ("later", 1, 'x'));
//! ```
//!
//! The timer (or immediate) of [`set_timeout`] and [`set_immediate`] is created at the call,
//! as Node's is; [`set_interval`]'s when it is first polled, as Node's async generator starts
//! at the first `next()`. A timer's firing settles the future and wakes its task as a
//! microtask, so code after `.await` runs where Node runs the code after `await`: before the
//! next timer's callback. An abort ([`TimerOptions::signal`]) clears the timer at once when the
//! signal is aborted on the loop's thread (from another thread: when the loop next polls the
//! future) and the future fails with [`AbortError`] (`ABORT_ERR`, `The operation was aborted`,
//! its cause the signal's reason); a signal aborted before the call fails it at once.
//!
//! Deviations: dropping a future clears its timer (a Rust future's cancellation; Node's
//! promise keeps its timer until it fires). The interval is a `futures_core::Stream` whose
//! items are `Ok(value)` per tick, then one `Err(AbortError)` after an abort, then the end.
//! With a signal, Node settles the promise one `.finally` later than without; here both
//! settle alike.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread::ThreadId;

use nodestd_events::AbortListenerId;
pub use nodestd_events::{AbortError, AbortSignal};

use crate::{Immediate, Timeout};

/// The options of Node's `timers/promises` functions: `{ signal, ref }`.
#[derive(Debug, Clone)]
pub struct TimerOptions {
    /// `signal`: aborting it clears the timer and fails the future with [`AbortError`].
    pub signal: Option<AbortSignal>,
    /// `ref` (default `true`): `false` lets the loop end while the timer is pending (the
    /// future then never settles).
    pub ref_: bool,
}

impl Default for TimerOptions {
    fn default() -> TimerOptions {
        TimerOptions {
            signal: None,
            ref_: true,
        }
    }
}

impl TimerOptions {
    /// Options with this `signal`.
    pub fn signal(signal: AbortSignal) -> TimerOptions {
        TimerOptions {
            signal: Some(signal),
            ref_: true,
        }
    }

    /// `{ ref: false }`.
    pub fn unref() -> TimerOptions {
        TimerOptions {
            signal: None,
            ref_: false,
        }
    }
}

enum Source {
    None,
    Timeout(Timeout),
    Immediate(Immediate),
}

impl Source {
    fn clear(&mut self) {
        match std::mem::replace(self, Source::None) {
            Source::None => {}
            Source::Timeout(t) => t.clear(),
            Source::Immediate(i) => i.clear(),
        }
    }
}

// ----- abort listeners on the loop's thread -----

type LocalAbort = Box<dyn FnOnce(Option<String>)>;

thread_local! {
    /// The loop-thread halves of the abort listeners: a signal's listener must be `Send`, the
    /// timer it clears is not, so the listener finds its half here by key.
    static LOCAL_ABORTS: RefCell<HashMap<u64, LocalAbort>> = RefCell::new(HashMap::new());
}

static NEXT_KEY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A registration of `local` as `signal`'s abort listener, undone when dropped.
struct AbortHook {
    signal: AbortSignal,
    id: AbortListenerId,
    key: u64,
}

impl AbortHook {
    /// Calls `local` with the reason inside `abort()` when it runs on this thread; from
    /// another thread, wakes the waker in `wake` (the poll then sees the abort).
    fn new(
        signal: &AbortSignal,
        wake: Arc<Mutex<Option<Waker>>>,
        local: impl FnOnce(Option<String>) + 'static,
    ) -> AbortHook {
        let key = NEXT_KEY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        LOCAL_ABORTS.with(|m| m.borrow_mut().insert(key, Box::new(local)));
        let owner: ThreadId = std::thread::current().id();
        let id = signal.on_abort(move |reason| {
            if std::thread::current().id() == owner {
                let f = LOCAL_ABORTS.with(|m| m.borrow_mut().remove(&key));
                if let Some(f) = f {
                    f(Some(reason.to_string()));
                }
            } else if let Some(w) = wake.lock().ok().and_then(|mut w| w.take()) {
                w.wake();
            }
        });
        AbortHook {
            signal: signal.clone(),
            id,
            key,
        }
    }
}

impl Drop for AbortHook {
    fn drop(&mut self) {
        self.signal.off_abort(self.id);
        // `try_with`: the thread's storage may be gone when a hook is dropped at thread exit.
        let _ = LOCAL_ABORTS.try_with(|m| m.borrow_mut().remove(&self.key));
    }
}

// ----- one-shot: setTimeout, setImmediate -----

struct OneShot {
    fired: bool,
    aborted: Option<AbortError>,
    waker: Option<Waker>,
    source: Source,
}

/// The future of [`set_timeout`] and [`set_immediate`]: resolves to `Ok(value)` when the
/// timer fires, or `Err(AbortError)` when its signal is aborted. Dropping it clears the timer.
#[must_use = "dropping the future clears its timer"]
pub struct TimerFuture<T> {
    state: Rc<RefCell<OneShot>>,
    value: Option<T>,
    signal: Option<AbortSignal>,
    remote_waker: Arc<Mutex<Option<Waker>>>,
    _hook: Option<AbortHook>,
}

impl<T> Unpin for TimerFuture<T> {}

impl<T> TimerFuture<T> {
    fn new(
        value: T,
        options: TimerOptions,
        arm: impl FnOnce(Box<dyn FnOnce()>) -> Source,
    ) -> TimerFuture<T> {
        let state = Rc::new(RefCell::new(OneShot {
            fired: false,
            aborted: None,
            waker: None,
            source: Source::None,
        }));
        let mut fut = TimerFuture {
            state,
            value: Some(value),
            signal: None,
            remote_waker: Arc::new(Mutex::new(None)),
            _hook: None,
        };
        if let Some(signal) = &options.signal {
            if signal.aborted() {
                fut.state.borrow_mut().aborted = Some(AbortError::new(signal.reason()));
                return fut;
            }
        }
        let fire = {
            let state = Rc::clone(&fut.state);
            Box::new(move || {
                let waker = {
                    let mut s = state.borrow_mut();
                    s.source = Source::None;
                    s.fired = true;
                    s.waker.take()
                };
                if let Some(w) = waker {
                    w.wake();
                }
            }) as Box<dyn FnOnce()>
        };
        let source = arm(fire);
        if !options.ref_ {
            match &source {
                Source::Timeout(t) => {
                    t.unref();
                }
                Source::Immediate(i) => {
                    i.unref();
                }
                Source::None => {}
            }
        }
        fut.state.borrow_mut().source = source;
        if let Some(signal) = options.signal {
            let state = Rc::clone(&fut.state);
            fut._hook = Some(AbortHook::new(
                &signal,
                Arc::clone(&fut.remote_waker),
                move |reason| abort_one_shot(&state, reason),
            ));
            fut.signal = Some(signal);
        }
        fut
    }
}

fn abort_one_shot(state: &Rc<RefCell<OneShot>>, reason: Option<String>) {
    let waker = {
        let mut s = state.borrow_mut();
        if s.fired || s.aborted.is_some() {
            return;
        }
        s.source.clear();
        s.aborted = Some(AbortError::new(reason));
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T> Future for TimerFuture<T> {
    type Output = Result<T, AbortError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(signal) = &self.signal {
            if signal.aborted() {
                abort_one_shot(&self.state, signal.reason());
            }
        }
        let mut s = self.state.borrow_mut();
        if let Some(e) = &s.aborted {
            return Poll::Ready(Err(e.clone()));
        }
        if s.fired {
            drop(s);
            let v = self.value.take();
            return Poll::Ready(Ok(v.expect("a timer future polled after it completed")));
        }
        s.waker = Some(cx.waker().clone());
        drop(s);
        if self.signal.is_some() {
            if let Ok(mut w) = self.remote_waker.lock() {
                *w = Some(cx.waker().clone());
            }
        }
        Poll::Pending
    }
}

impl<T> Drop for TimerFuture<T> {
    fn drop(&mut self) {
        self.state.borrow_mut().source.clear();
    }
}

/// `timersPromises.setTimeout(delay, value)`: resolves to `value` after `ms` milliseconds
/// (delays outside `1..=2^31-1` become 1, as [`crate::set_timeout`]'s).
///
/// ```
/// nodestd_loop::block_on(async {
///     assert_eq!(nodestd_loop::promises::set_timeout(2, 'v').await.unwrap(), 'v');
/// }).unwrap();
/// ```
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "setTimeout")]
pub fn set_timeout<T: 'static>(ms: u64, value: T) -> TimerFuture<T> {
    set_timeout_with(ms, value, TimerOptions::default())
}

/// `timersPromises.setTimeout(delay, value, { signal, ref })`.
///
/// ```
/// use nodestd_loop::promises::{set_timeout_with, TimerOptions};
/// let c = nodestd_events::AbortController::new();
/// let r = nodestd_loop::block_on(async move {
///     let f = set_timeout_with(10_000, (), TimerOptions::signal(c.signal()));
///     c.abort();
///     f.await
/// }).unwrap();
/// assert_eq!(r.unwrap_err().code(), "ABORT_ERR");
/// ```
#[doc(alias = "setTimeout")]
pub fn set_timeout_with<T: 'static>(ms: u64, value: T, options: TimerOptions) -> TimerFuture<T> {
    TimerFuture::new(value, options, |fire| {
        Source::Timeout(crate::set_timeout(ms, fire))
    })
}

/// `timersPromises.setImmediate(value)`: resolves to `value` in the check phase.
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "setImmediate")]
pub fn set_immediate<T: 'static>(value: T) -> TimerFuture<T> {
    set_immediate_with(value, TimerOptions::default())
}

/// `timersPromises.setImmediate(value, { signal, ref })`.
#[doc(alias = "setImmediate")]
pub fn set_immediate_with<T: 'static>(value: T, options: TimerOptions) -> TimerFuture<T> {
    TimerFuture::new(value, options, |fire| {
        Source::Immediate(crate::set_immediate(fire))
    })
}

/// `timersPromises.scheduler.wait(delay)`: [`set_timeout`] without a value.
#[doc(alias = "scheduler.wait")]
pub fn wait(ms: u64) -> TimerFuture<()> {
    set_timeout(ms, ())
}

/// `timersPromises.scheduler.yield()`: [`set_immediate`] without a value.
#[doc(alias = "yield")]
#[doc(alias = "scheduler.yield")]
pub fn yield_now() -> TimerFuture<()> {
    set_immediate(())
}

// ----- setInterval -----

struct Ticks {
    not_yielded: usize,
    waker: Option<Waker>,
    timer: Option<Timeout>,
    aborted: Option<AbortError>,
    done: bool,
}

/// The async stream of [`set_interval`]: `Ok(value)` per tick (ticks that fired while nobody
/// asked are yielded one after another, as Node's `notYielded` count), one `Err(AbortError)`
/// after its signal is aborted, then the end. Dropping it clears the interval, as leaving a
/// `for await` loop does.
pub struct Interval<T> {
    ms: u64,
    value: T,
    options: TimerOptions,
    started: bool,
    state: Rc<RefCell<Ticks>>,
    remote_waker: Arc<Mutex<Option<Waker>>>,
    hook: Option<AbortHook>,
}

impl<T> Unpin for Interval<T> {}

/// `timersPromises.setInterval(delay, value)`: an async iterator of `value` every `ms`
/// milliseconds. The interval starts when the stream is first polled.
///
/// ```
/// nodestd_loop::block_on(async {
///     let mut ticks = nodestd_loop::promises::set_interval(1, 7);
///     let mut sum = 0;
///     while let Some(Ok(v)) = ticks.next().await {
///         sum += v;
///         if sum == 21 { break; }
///     }
///     assert_eq!(sum, 21);
/// }).unwrap();
/// ```
#[doc(alias = "setInterval")]
pub fn set_interval<T: Clone + 'static>(ms: u64, value: T) -> Interval<T> {
    set_interval_with(ms, value, TimerOptions::default())
}

/// `timersPromises.setInterval(delay, value, { signal, ref })`.
#[doc(alias = "setInterval")]
pub fn set_interval_with<T: Clone + 'static>(
    ms: u64,
    value: T,
    options: TimerOptions,
) -> Interval<T> {
    Interval {
        ms,
        value,
        options,
        started: false,
        state: Rc::new(RefCell::new(Ticks {
            not_yielded: 0,
            waker: None,
            timer: None,
            aborted: None,
            done: false,
        })),
        remote_waker: Arc::new(Mutex::new(None)),
        hook: None,
    }
}

fn abort_ticks(state: &Rc<RefCell<Ticks>>, reason: Option<String>) {
    let waker = {
        let mut s = state.borrow_mut();
        if s.aborted.is_some() || s.done {
            return;
        }
        if let Some(t) = s.timer.take() {
            t.clear();
        }
        s.aborted = Some(AbortError::new(reason));
        s.waker.take()
    };
    if let Some(w) = waker {
        w.wake();
    }
}

impl<T: Clone + 'static> Interval<T> {
    fn start(&mut self) {
        self.started = true;
        if let Some(signal) = &self.options.signal {
            if signal.aborted() {
                self.state.borrow_mut().aborted = Some(AbortError::new(signal.reason()));
                return;
            }
        }
        let state = Rc::clone(&self.state);
        let timer = crate::set_interval(self.ms, move || {
            let waker = {
                let mut s = state.borrow_mut();
                s.not_yielded += 1;
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        });
        if !self.options.ref_ {
            timer.unref();
        }
        self.state.borrow_mut().timer = Some(timer);
        if let Some(signal) = &self.options.signal {
            let state = Rc::clone(&self.state);
            self.hook = Some(AbortHook::new(
                signal,
                Arc::clone(&self.remote_waker),
                move |reason| abort_ticks(&state, reason),
            ));
        }
    }

    /// The next tick: `Some(Ok(value))`, `Some(Err(AbortError))` once after an abort, then
    /// `None` (`for await`'s iteration).
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, AbortError>>> {
        if !self.started {
            self.start();
        }
        if let Some(signal) = &self.options.signal {
            if signal.aborted() {
                abort_ticks(&self.state, signal.reason());
            }
        }
        let mut s = self.state.borrow_mut();
        if s.done {
            return Poll::Ready(None);
        }
        // Node's generator yields the ticks it counted before it looks at the signal again.
        if s.not_yielded > 0 {
            s.not_yielded -= 1;
            return Poll::Ready(Some(Ok(self.value.clone())));
        }
        if let Some(e) = s.aborted.take() {
            s.done = true;
            return Poll::Ready(Some(Err(e)));
        }
        s.waker = Some(cx.waker().clone());
        if self.options.signal.is_some() {
            if let Ok(mut w) = self.remote_waker.lock() {
                *w = Some(cx.waker().clone());
            }
        }
        Poll::Pending
    }

    /// `await iterator.next()`: see [`Interval::poll_tick`].
    pub async fn next(&mut self) -> Option<Result<T, AbortError>> {
        std::future::poll_fn(|cx| self.poll_tick(cx)).await
    }
}

impl<T: Clone + 'static> futures_core::Stream for Interval<T> {
    type Item = Result<T, AbortError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.poll_tick(cx)
    }
}

impl<T> Drop for Interval<T> {
    fn drop(&mut self) {
        if let Some(t) = self.state.borrow_mut().timer.take() {
            t.clear();
        }
    }
}
