//! The loop itself: state, the drain of the nextTick and microtask queues, and `run` as
//! libuv's phase list.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::executor::Tasks;
use crate::handles::{HandleKind, Handles};
use crate::remote::{Message, Notify, Remote, WorkResult};
use crate::slab::Key;
use crate::sync::Arc;
use crate::sys::small_fn::SmallFn;
use crate::timers::{Callback, Timers};
use crate::{Exit, PanicError, RunMode};

/// The hash of a worker-pool request number: the numbers are sequential and never chosen
/// from outside, so a Fibonacci multiply spreads them over the table (its high bits pick
/// hashbrown's control byte) at the cost of one instruction.
#[derive(Default)]
pub(crate) struct RequestHasher(u64);

impl Hasher for RequestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
/// libuv runs the pending queue up to this many extra times after polling
/// (`uv_run`: `for (r = 0; r < 8 && !uv__queue_empty(&loop->pending_queue); r++)`).
const MAX_PENDING_ROUNDS: usize = 8;

/// The most messages' room the loop keeps for the next batch of cross-thread messages.
const SPARE_CAPACITY: usize = 4096;

/// The mio token of the loop's cross-thread waker.
pub(crate) const WAKER_TOKEN: mio::Token = mio::Token(usize::MAX);

pub(crate) enum Micro {
    Fn(Box<dyn FnOnce()>),
    Task(u64),
}

pub(crate) struct Immediate {
    pub(crate) callback: Option<SmallFn>,
    pub(crate) refed: bool,
}

type Completion = Box<dyn FnOnce(WorkResult)>;
type Handler = Rc<dyn Fn(&PanicError)>;
type CloseCallback = Option<Box<dyn FnOnce()>>;

/// Why the loop must not run another callback.
pub(crate) enum Halt {
    Uncaught(PanicError),
    Exit(i32),
    /// The OS poller failed (libuv aborts the process).
    Failed(std::io::Error),
}

impl Halt {
    pub(crate) fn into_exit(self) -> Exit {
        match self {
            Halt::Uncaught(e) => Exit::Uncaught(e),
            Halt::Exit(code) => Exit::Exited(code),
            Halt::Failed(e) => Exit::Failed(e),
        }
    }
}

pub(crate) struct Inner {
    start: Instant,
    /// libuv's `loop->time`: the cached clock, in ms since the loop was created.
    time: Cell<u64>,
    stop_flag: Cell<bool>,
    pub(crate) halt: RefCell<Option<Halt>>,
    uncaught_handler: RefCell<Option<Handler>>,

    ticks: RefCell<VecDeque<Box<dyn FnOnce()>>>,
    micro: RefCell<VecDeque<Micro>>,

    pub(crate) timers: RefCell<Timers>,

    pub(crate) immediates: RefCell<crate::slab::Slab<Immediate>>,
    /// Node's `immediateQueue`: keys in scheduling order.
    immediate_queue: RefCell<VecDeque<Key>>,
    /// `immediateInfo[kRefCount]`: referenced immediates (they start the idle handle).
    pub(crate) immediate_refs: Cell<usize>,

    pub(crate) handles: RefCell<Handles>,
    /// libuv's `closing_handles`: a stack (LIFO).
    closing: RefCell<Vec<(Key, CloseCallback)>>,
    pending: RefCell<VecDeque<Box<dyn FnOnce()>>>,

    /// Outstanding worker-pool requests and their completions, by request number (hashed by
    /// [`RequestHasher`]: one multiply instead of SipHash's rounds, an insert and a remove per
    /// request on the loop thread).
    completions: RefCell<HashMap<u64, Completion, BuildHasherDefault<RequestHasher>>>,
    next_request: Cell<u64>,

    pub(crate) tasks: RefCell<Tasks>,
    pub(crate) remote: Arc<Remote>,
    /// The empty vector the next [`Remote::swap`] hands to the producers (the last batch's,
    /// cleared), so batches reuse two buffers instead of allocating one each.
    spare: RefCell<Vec<Message>>,
    pub(crate) poll: RefCell<mio::Poll>,
    events: RefCell<mio::Events>,
    /// How long to poll before sleeping.
    spin: crate::spin::Governor,
    pub(crate) before_exit: RefCell<Vec<Rc<dyn Fn()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Workers, wakers and async senders may outlive the loop with its inbox; its
        // wake-up descriptor must not (issue 18: no descriptor left between runs).
        self.remote.close();
    }
}

struct MioNotify(mio::Waker);

impl Notify for MioNotify {
    fn notify(&self) {
        // A failed wake means the poller is gone: the loop is being dropped.
        let _ = self.0.wake();
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Inner>>> = const { RefCell::new(None) };
}

/// The loop of this thread, for the free functions.
///
/// # Panics
/// Outside a running loop, with a message naming the function.
pub(crate) fn current(what: &str) -> Rc<Inner> {
    CURRENT
        .with(|c| c.borrow().clone())
        .unwrap_or_else(|| panic!("nodestd_loop::{what} called outside a running loop: call it from inside nodestd_loop::run (or Loop::enter)"))
}

/// Runs `f` on this thread's loop without cloning its `Rc` (the hot path of `next_tick`,
/// `queue_microtask` and `set_immediate`).
///
/// # Panics
/// Outside a running loop, as [`current`].
pub(crate) fn with_current<R>(what: &str, f: impl FnOnce(&Inner) -> R) -> R {
    CURRENT.with(|c| match c.borrow().as_deref() {
        Some(inner) => f(inner),
        None => panic!("nodestd_loop::{what} called outside a running loop: call it from inside nodestd_loop::run (or Loop::enter)"),
    })
}

pub(crate) fn try_current() -> Option<Rc<Inner>> {
    CURRENT.try_with(|c| c.borrow().clone()).ok().flatten()
}

/// Makes `inner` the current loop while `f` runs (re-entrant).
pub(crate) fn enter<R>(inner: &Rc<Inner>, f: impl FnOnce() -> R) -> R {
    struct Reset(Option<Rc<Inner>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
    let prev = CURRENT.with(|c| c.borrow_mut().replace(Rc::clone(inner)));
    let _reset = Reset(prev);
    f()
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}

impl Inner {
    pub(crate) fn new() -> std::io::Result<Rc<Inner>> {
        let poll = mio::Poll::new()?;
        let waker = mio::Waker::new(poll.registry(), WAKER_TOKEN)?;
        Ok(Rc::new(Inner {
            start: Instant::now(),
            time: Cell::new(0),
            stop_flag: Cell::new(false),
            halt: RefCell::new(None),
            uncaught_handler: RefCell::new(None),
            ticks: RefCell::new(VecDeque::new()),
            micro: RefCell::new(VecDeque::new()),
            timers: RefCell::new(Timers::new()),
            immediates: RefCell::new(Default::default()),
            immediate_queue: RefCell::new(VecDeque::new()),
            immediate_refs: Cell::new(0),
            handles: RefCell::new(Handles::default()),
            closing: RefCell::new(Vec::new()),
            pending: RefCell::new(VecDeque::new()),
            completions: RefCell::new(HashMap::default()),
            next_request: Cell::new(0),
            tasks: RefCell::new(Tasks::default()),
            remote: Arc::new(Remote::new(Box::new(MioNotify(waker)))),
            spare: RefCell::new(Vec::new()),
            poll: RefCell::new(poll),
            events: RefCell::new(mio::Events::with_capacity(1024)),
            spin: crate::spin::Governor::from_env(),
            before_exit: RefCell::new(Vec::new()),
        }))
    }

    // ----- the clock -----

    /// `uv__update_time`.
    pub(crate) fn update_time(&self) {
        self.time.set(self.start.elapsed().as_millis() as u64);
    }

    /// `uv_now`: the cached time.
    pub(crate) fn now(&self) -> u64 {
        self.time.get()
    }

    /// Node's `getLibuvNow()`: update the cached time, then read it.
    pub(crate) fn get_now(&self) -> u64 {
        self.update_time();
        self.now()
    }

    // ----- callbacks, uncaught panics, the drain -----

    pub(crate) fn halted(&self) -> bool {
        self.halt.borrow().is_some()
    }

    /// Runs `f`, turning a panic into an uncaught exception.
    pub(crate) fn guard(&self, f: impl FnOnce()) {
        if let Err(payload) = catch_unwind(AssertUnwindSafe(f)) {
            self.uncaught(payload);
        }
    }

    fn uncaught(&self, payload: Box<dyn Any + Send>) {
        let error = PanicError::new(payload);
        let handler = self.uncaught_handler.borrow().clone();
        match handler {
            Some(h) => {
                let h2 = Rc::clone(&h);
                if let Err(p) = catch_unwind(AssertUnwindSafe(|| h2(&error))) {
                    // A throwing handler is fatal, as in Node.
                    self.set_halt(Halt::Uncaught(PanicError::new(p)));
                }
            }
            None => self.set_halt(Halt::Uncaught(error)),
        }
    }

    pub(crate) fn set_halt(&self, h: Halt) {
        let mut halt = self.halt.borrow_mut();
        if halt.is_none() {
            *halt = Some(h);
        }
    }

    pub(crate) fn set_uncaught_handler(&self, h: Option<Handler>) {
        *self.uncaught_handler.borrow_mut() = h;
    }

    /// A macrotask: the callback, then Node's drain.
    pub(crate) fn callback(&self, f: impl FnOnce()) {
        if self.halted() {
            return;
        }
        self.guard(f);
        self.drain();
    }

    pub(crate) fn next_tick(&self, f: Box<dyn FnOnce()>) {
        self.ticks.borrow_mut().push_back(f);
    }

    pub(crate) fn queue_microtask(&self, m: Micro) {
        self.micro.borrow_mut().push_back(m);
    }

    /// Node's `processTicksAndRejections` around every callback: run nextTicks until that
    /// queue is empty, then microtasks until that one is, and repeat while ticks were queued.
    pub(crate) fn drain(&self) {
        loop {
            loop {
                if self.halted() {
                    return;
                }
                let tick = self.ticks.borrow_mut().pop_front();
                match tick {
                    Some(t) => self.guard(t),
                    None => break,
                }
            }
            loop {
                if self.halted() {
                    return;
                }
                let m = self.micro.borrow_mut().pop_front();
                match m {
                    Some(Micro::Fn(f)) => self.guard(f),
                    Some(Micro::Task(id)) => self.guard(|| self.poll_task(id)),
                    None => break,
                }
            }
            if self.ticks.borrow().is_empty() {
                return;
            }
        }
    }

    // ----- immediates (Node's check-phase queue) -----

    pub(crate) fn set_immediate(&self, f: SmallFn) -> Key {
        let key = self.immediates.borrow_mut().insert(Immediate {
            callback: Some(f),
            refed: true,
        });
        self.immediate_queue.borrow_mut().push_back(key);
        self.immediate_refs.set(self.immediate_refs.get() + 1);
        key
    }

    pub(crate) fn clear_immediate(&self, key: Key) {
        if let Some(im) = self.immediates.borrow_mut().remove(key) {
            if im.refed {
                self.immediate_refs.set(self.immediate_refs.get() - 1);
            }
        }
    }

    pub(crate) fn set_immediate_ref(&self, key: Key, refed: bool) {
        let mut ims = self.immediates.borrow_mut();
        let Some(im) = ims.get_mut(key) else { return };
        if im.refed != refed {
            im.refed = refed;
            let n = self.immediate_refs.get();
            self.immediate_refs.set(if refed { n + 1 } else { n - 1 });
        }
    }

    /// Node's `processImmediate`: the immediates queued before the phase began, FIFO, each
    /// followed by the drain; those queued meanwhile wait for the next iteration.
    fn process_immediates(&self) {
        let batch = std::mem::take(&mut *self.immediate_queue.borrow_mut());
        for key in batch {
            if self.halted() {
                return;
            }
            let cb = {
                let mut ims = self.immediates.borrow_mut();
                let Some(im) = ims.remove(key) else { continue };
                if im.refed {
                    self.immediate_refs.set(self.immediate_refs.get() - 1);
                }
                im.callback
            };
            if let Some(cb) = cb {
                self.callback(|| cb.call());
            }
        }
    }

    // ----- timers -----

    /// `uv__run_timers` for Node's single timer handle, whose callback is `RunTimers`.
    fn run_timers(&self) {
        let due = self.timers.borrow().uv.due;
        match due {
            Some(d) if d <= self.now() => {}
            _ => return,
        }
        self.timers.borrow_mut().uv.due = None;
        // RunTimers: `processTimers(env->GetNow())`.
        let now = self.get_now();
        loop {
            let list = self.timers.borrow_mut().next_due_list(now);
            let Some(msecs) = list else { break };
            loop {
                if self.halted() {
                    return;
                }
                let next = self.timers.borrow_mut().next_timer_of(msecs, now);
                let Some((key, cb)) = next else { break };
                match cb {
                    Callback::Once(f) => self.callback(|| f.call()),
                    Callback::Repeat(Some(mut f)) => {
                        let start = self.get_now();
                        self.callback(&mut f);
                        self.timers.borrow_mut().rearm_interval(key, f, start);
                    }
                    Callback::Repeat(None) => {}
                }
            }
        }
        let t = self.now();
        self.timers.borrow_mut().after_run(t);
    }

    // ----- handles and closing -----

    /// `uv_close`: the handle stops at once (an I/O watcher leaves the poller and lets go of
    /// its fd now, as `uv__io_close` does); its callback waits for the close phase.
    pub(crate) fn close_handle(&self, key: Key, cb: Option<Box<dyn FnOnce()>>) {
        let began = self.handles.borrow_mut().begin_close(key);
        if began {
            crate::handles::io_stop(self, key, true);
            self.closing.borrow_mut().push((key, cb));
        }
    }

    /// `uv__run_closing_handles`: takes the whole stack; handles closed by these callbacks
    /// wait for the next iteration.
    fn run_closing(&self) {
        let mut list = std::mem::take(&mut *self.closing.borrow_mut());
        while let Some((key, cb)) = list.pop() {
            let kind = self.handles.borrow_mut().finish_close(key);
            if let Some(HandleKind::Signal { signum, id }) = kind {
                crate::signal::unregister(signum, id);
            }
            if let Some(cb) = cb {
                self.callback(cb);
            }
            if self.halted() {
                return;
            }
        }
    }

    pub(crate) fn queue_pending(&self, f: Box<dyn FnOnce()>) {
        self.pending.borrow_mut().push_back(f);
    }

    /// `uv__run_pending`: the callbacks queued before this run.
    fn run_pending(&self) -> bool {
        let batch = std::mem::take(&mut *self.pending.borrow_mut());
        let ran = !batch.is_empty();
        for f in batch {
            self.callback(f);
        }
        ran
    }

    // ----- the worker pool -----

    /// `uv__work_submit`: `work` goes to the pool in one allocation (the job), `done` waits
    /// in the completion table.
    pub(crate) fn queue_work(
        &self,
        kind: crate::pool::Kind,
        work: impl FnOnce() -> Box<dyn Any + Send> + Send + 'static,
        done: Completion,
    ) {
        let id = self.next_request.get();
        self.next_request.set(id + 1);
        self.completions.borrow_mut().insert(id, done);
        let remote = Arc::clone(&self.remote);
        let submitted = crate::pool::Pool::get().submit(
            kind,
            Box::new(move || {
                let result = catch_unwind(AssertUnwindSafe(work));
                remote.push(Message::Completion(id, result));
            }),
        );
        if let Err(e) = submitted {
            // No worker thread exists: the request completes with the OS error, in the poll
            // phase like any completion (never synchronously inside the call).
            let payload: Box<dyn Any + Send> = Box::new(crate::pool::Unavailable(e));
            self.remote.push(Message::Completion(id, Err(payload)));
        }
    }

    // ----- liveness and the poll phase -----

    /// `uv__has_active_handles || uv__has_active_reqs`: referenced, active things.
    fn has_active(&self) -> bool {
        let t = self.timers.borrow().uv;
        (t.due.is_some() && t.refed)
            || self.immediate_refs.get() > 0
            || self.handles.borrow().refed_active() > 0
            || !self.completions.borrow().is_empty()
    }

    /// `uv__loop_alive`.
    pub(crate) fn alive(&self) -> bool {
        self.has_active() || !self.pending.borrow().is_empty() || !self.closing.borrow().is_empty()
    }

    /// Whether an idle handle is active (Node's immediate idle handle, or the user's).
    fn idle_active(&self) -> bool {
        self.immediate_refs.get() > 0
            || self.handles.borrow().has_phase(crate::handles::Phase::Idle)
    }

    /// `uv__backend_timeout`, in ms (`None`: block until woken).
    fn backend_timeout(&self) -> Option<u64> {
        if self.stop_flag.get()
            || !self.has_active()
            || !self.pending.borrow().is_empty()
            || self.idle_active()
            || !self.closing.borrow().is_empty()
        {
            return Some(0);
        }
        let due = self.timers.borrow().uv.due;
        due.map(|d| d.saturating_sub(self.now()))
    }

    /// `uv__io_poll`: wait for I/O or a wake-up, then run what arrived.
    fn io_poll(&self, timeout_ms: Option<u64>) {
        let timeout = timeout_ms.map(Duration::from_millis);
        let mut events = self.events.borrow_mut();
        let res = self.wait(&mut events, timeout);
        self.update_time();
        if let Err(e) = res {
            if e.kind() != std::io::ErrorKind::Interrupted {
                // libuv aborts when epoll_wait fails otherwise (`uv__io_poll`); here the run
                // ends and returns the error (`Exit::Failed`).
                self.set_halt(Halt::Failed(e));
            }
            return;
        }
        let ready: Vec<(mio::Token, crate::Readiness)> = events
            .iter()
            .map(|e| {
                let r = crate::Readiness {
                    readable: e.is_readable() || e.is_read_closed(),
                    writable: e.is_writable() || e.is_write_closed(),
                    error: e.is_error(),
                    hangup: e.is_read_closed() || e.is_write_closed(),
                };
                (e.token(), r)
            })
            .collect();
        drop(events);
        for (token, readiness) in ready {
            if self.halted() {
                return;
            }
            if token == WAKER_TOKEN {
                self.run_remote();
            } else {
                self.run_io(token, readiness);
            }
        }
    }

    /// `epoll_wait` for at most `timeout`, polling first for the governor's window when the
    /// wait may block (see [`crate::spin`]).
    fn wait(&self, events: &mut mio::Events, timeout: Option<Duration>) -> std::io::Result<()> {
        if timeout == Some(Duration::ZERO) {
            return self.poll.borrow_mut().poll(events, timeout);
        }
        let start = Instant::now();
        let window = if self.completions.borrow().is_empty() {
            self.spin.window(timeout)
        } else {
            Duration::ZERO
        };
        let mut outcome = crate::spin::Outcome::Slept;
        if !window.is_zero() {
            loop {
                let res = self.poll.borrow_mut().poll(events, Some(Duration::ZERO));
                if res.is_err() || !events.is_empty() {
                    self.spin
                        .record(start.elapsed(), crate::spin::Outcome::Caught);
                    return res;
                }
                if start.elapsed() >= window {
                    break;
                }
                let before = Instant::now();
                std::thread::yield_now();
                if before.elapsed() >= crate::spin::CONTENDED {
                    // Another thread wanted this CPU: polling competes with it.
                    outcome = crate::spin::Outcome::Contended;
                    break;
                }
            }
        }
        let rest = timeout.map(|t| t.saturating_sub(start.elapsed()));
        let res = self.poll.borrow_mut().poll(events, rest);
        if events.is_empty() && outcome == crate::spin::Outcome::Slept {
            // The timeout ended it: no window would have caught an event.
            outcome = crate::spin::Outcome::TimedOut;
        }
        self.spin.record(start.elapsed(), outcome);
        res
    }

    fn run_io(&self, token: mio::Token, readiness: crate::Readiness) {
        let cb = self.handles.borrow_mut().take_io_callback(token);
        if let Some((key, mut cb)) = cb {
            self.callback(|| cb(readiness));
            self.handles.borrow_mut().put_io_callback(key, cb);
        }
    }

    /// Everything other threads sent: completions, wake-ups, async sends, signals.
    fn run_remote(&self) {
        // A callback that runs the loop again (nested) finds an empty spare: it allocates.
        let mut batch = std::mem::take(&mut *self.spare.borrow_mut());
        self.remote.swap(&mut batch);
        for msg in batch.drain(..) {
            if self.halted() {
                break;
            }
            self.run_message(msg);
        }
        // A burst's buffer is not kept for ever: room for 4,096 messages at most.
        batch.shrink_to(SPARE_CAPACITY);
        *self.spare.borrow_mut() = batch;
    }

    /// One message from another thread: a completion's callback, a task's wake-up, an async
    /// handle's callback or a signal's handlers, each followed by Node's drain.
    fn run_message(&self, msg: Message) {
        match msg {
            Message::Completion(id, result) => {
                let done = self.completions.borrow_mut().remove(&id);
                if let Some(done) = done {
                    self.callback(|| done(result));
                }
            }
            Message::WakeTask(id) => {
                self.schedule_task(id);
                self.drain();
            }
            Message::Async(id) => {
                let cb = self.handles.borrow_mut().take_async_callback(id);
                if let Some((key, mut cb)) = cb {
                    self.callback(&mut cb);
                    self.handles.borrow_mut().put_async_callback(key, cb);
                }
            }
            Message::Signal(signum) => {
                let keys = self.handles.borrow().signal_handles(signum);
                for key in keys {
                    let cb = self.handles.borrow_mut().take_signal_callback(key);
                    if let Some(mut cb) = cb {
                        self.callback(|| cb(signum));
                        self.handles.borrow_mut().put_signal_callback(key, cb);
                    }
                }
            }
        }
    }

    fn run_phase(&self, phase: crate::handles::Phase) {
        let keys = self.handles.borrow().phase_handles(phase);
        for key in keys {
            let cb = self.handles.borrow_mut().take_phase_callback(key);
            if let Some(mut cb) = cb {
                self.callback(&mut cb);
                self.handles.borrow_mut().put_phase_callback(key, cb);
            }
        }
    }

    /// `uv_check` callbacks: the user's check handles (started later, so run first, as libuv
    /// inserts at the head), then Node's immediates.
    fn run_check(&self) {
        self.run_phase(crate::handles::Phase::Check);
        if !self.halted() {
            self.process_immediates();
        }
    }

    pub(crate) fn stop(&self) {
        self.stop_flag.set(true);
    }

    /// `uv_run`, phase by phase. Returns whether the loop is still alive.
    pub(crate) fn run_mode(&self, mode: RunMode) -> bool {
        let mut alive = self.alive();
        if !alive {
            self.update_time();
        }
        // libuv (>= 1.45) runs due timers once before the first iteration in default mode.
        if mode == RunMode::Default && alive && !self.stop_flag.get() {
            self.update_time();
            self.run_timers();
        }
        while alive && !self.stop_flag.get() && !self.halted() {
            let can_sleep = self.pending.borrow().is_empty() && !self.idle_active();
            self.run_pending();
            self.run_phase(crate::handles::Phase::Idle);
            self.run_phase(crate::handles::Phase::Prepare);
            let timeout = if (mode == RunMode::Once && can_sleep) || mode == RunMode::Default {
                self.backend_timeout()
            } else {
                Some(0)
            };
            self.io_poll(timeout);
            for _ in 0..MAX_PENDING_ROUNDS {
                if !self.run_pending() {
                    break;
                }
            }
            self.run_check();
            self.run_closing();
            self.update_time();
            self.run_timers();
            alive = self.alive();
            if mode != RunMode::Default {
                break;
            }
        }
        self.stop_flag.set(false);
        alive && !self.halted()
    }

    /// Node's whole run: the main script, its drain, then the loop; `beforeExit` hooks when
    /// it empties, and the loop again if they scheduled work.
    pub(crate) fn run_main(self: &Rc<Self>, main: impl FnOnce()) -> Exit {
        enter(self, || {
            self.update_time();
            self.callback(main);
            loop {
                if let Some(exit) = self.take_halt() {
                    return exit;
                }
                let alive = self.run_mode(RunMode::Default);
                if let Some(exit) = self.take_halt() {
                    return exit;
                }
                if alive {
                    // uv_stop: leave the loop resumable.
                    return Exit::Stopped;
                }
                let hooks = self.before_exit.borrow().clone();
                for h in hooks {
                    self.callback(|| h());
                }
                if let Some(exit) = self.take_halt() {
                    return exit;
                }
                if !self.alive() {
                    return Exit::Completed;
                }
            }
        })
    }

    fn take_halt(&self) -> Option<Exit> {
        self.halt.borrow_mut().take().map(Halt::into_exit)
    }

    // ----- counts for tests -----

    pub(crate) fn live_timers(&self) -> usize {
        self.timers.borrow().len()
    }
}
