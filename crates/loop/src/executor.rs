//! The local executor: `!Send` futures whose wake-ups are microtasks, and a one-shot
//! promise that other crates use to make a completion awaitable.
//!
//! A task is polled from the microtask queue. Waking it (on the loop thread) queues one
//! microtask, in FIFO order with `queue_microtask` and promise reactions; a wake from another
//! thread goes through the loop's inbox and is queued in the poll phase. `.await` on a future
//! that is already ready continues within the same poll, so, as `await` in JavaScript, it
//! stays in the same microtask checkpoint.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::ThreadId;

use crate::core::{Inner, Micro};
use crate::remote::{Message, Remote};
use crate::sync::Arc;

type BoxFuture = Pin<Box<dyn Future<Output = ()>>>;

struct Task {
    future: Option<BoxFuture>,
    waker: Waker,
    scheduled: bool,
}

#[derive(Default)]
pub(crate) struct Tasks {
    tasks: std::collections::HashMap<u64, Task>,
    next: u64,
}

struct TaskWaker {
    id: u64,
    thread: ThreadId,
    remote: Arc<Remote>,
}

impl Wake for TaskWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        if std::thread::current().id() == self.thread {
            if let Some(inner) = crate::core::try_current() {
                if Arc::ptr_eq(&inner.remote, &self.remote) {
                    inner.schedule_task(self.id);
                    return;
                }
            }
        }
        self.remote.push(Message::WakeTask(self.id));
    }
}

impl Inner {
    pub(crate) fn spawn_task(&self, future: BoxFuture) {
        let id = {
            let mut t = self.tasks.borrow_mut();
            t.next += 1;
            t.next
        };
        let waker = Waker::from(std::sync::Arc::new(TaskWaker {
            id,
            thread: std::thread::current().id(),
            remote: Arc::clone(&self.remote),
        }));
        self.tasks.borrow_mut().tasks.insert(
            id,
            Task {
                future: Some(future),
                waker,
                scheduled: true,
            },
        );
        self.queue_microtask(Micro::Task(id));
    }

    /// Queues a poll of task `id` as a microtask, once until it runs.
    pub(crate) fn schedule_task(&self, id: u64) {
        let mut tasks = self.tasks.borrow_mut();
        if let Some(t) = tasks.tasks.get_mut(&id) {
            if !t.scheduled {
                t.scheduled = true;
                drop(tasks);
                self.queue_microtask(Micro::Task(id));
            }
        }
    }

    /// Polls task `id` (from the microtask queue).
    pub(crate) fn poll_task(&self, id: u64) {
        let (mut fut, waker) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(t) = tasks.tasks.get_mut(&id) else {
                return;
            };
            t.scheduled = false;
            let Some(f) = t.future.take() else { return };
            (f, t.waker.clone())
        };
        let mut cx = Context::from_waker(&waker);
        // If the poll panics the task is gone (dropped with `fut`): a rejected promise.
        let done = fut.as_mut().poll(&mut cx).is_ready();
        let mut tasks = self.tasks.borrow_mut();
        if done {
            tasks.tasks.remove(&id);
        } else if let Some(t) = tasks.tasks.get_mut(&id) {
            t.future = Some(fut);
        }
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.tasks.borrow().tasks.len()
    }
}

/// Runs `future` on the current loop. Its first poll is queued as a microtask (so
/// `spawn_local(async { a })` runs `a` where `queueMicrotask(() => a)` would); each wake-up
/// queues another. The returned [`JoinHandle`] is a future of its output.
///
/// ```
/// nodestd_loop::run(|| {
///     let h = nodestd_loop::spawn_local(async { 6 * 7 });
///     nodestd_loop::spawn_local(async move { assert_eq!(h.await.unwrap(), 42) });
/// });
/// ```
///
/// # Panics
/// Outside a running loop.
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let inner = crate::core::current("spawn_local");
    let (resolver, promise) = promise();
    inner.spawn_task(Box::pin(async move {
        resolver.resolve(future.await);
    }));
    JoinHandle { promise }
}

/// A spawned task's output, as a future. Dropping it does not cancel the task.
pub struct JoinHandle<T> {
    promise: Promise<T>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, Canceled>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.promise).poll(cx)
    }
}

/// The other side went away without a value: the [`Resolver`] was dropped, or the task
/// panicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

impl std::fmt::Display for Canceled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the promise was abandoned before it was resolved")
    }
}

impl std::error::Error for Canceled {}

struct Shared<T> {
    value: Option<T>,
    waker: Option<Waker>,
    closed: bool,
}

/// A one-shot, loop-thread promise: [`Resolver::resolve`] settles it, and the task awaiting
/// the [`Promise`] is woken as a microtask.
///
/// ```
/// nodestd_loop::run(|| {
///     let (resolver, promise) = nodestd_loop::promise::<u32>();
///     nodestd_loop::spawn_local(async move { assert_eq!(promise.await, Ok(7)) });
///     nodestd_loop::set_timeout(5, move || resolver.resolve(7));
/// });
/// ```
pub fn promise<T>() -> (Resolver<T>, Promise<T>) {
    let shared = Rc::new(RefCell::new(Shared {
        value: None,
        waker: None,
        closed: false,
    }));
    (
        Resolver {
            shared: Some(Rc::clone(&shared)),
        },
        Promise { shared },
    )
}

/// Settles a [`Promise`].
pub struct Resolver<T> {
    shared: Option<Rc<RefCell<Shared<T>>>>,
}

impl<T> Resolver<T> {
    /// Resolves the promise with `value`.
    pub fn resolve(mut self, value: T) {
        if let Some(shared) = self.shared.take() {
            let waker = {
                let mut s = shared.borrow_mut();
                s.value = Some(value);
                s.closed = true;
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

impl<T> Drop for Resolver<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            let waker = {
                let mut s = shared.borrow_mut();
                s.closed = true;
                s.waker.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

/// The awaiting side of [`promise`]: resolves to the value, or [`Canceled`] if the resolver
/// was dropped.
pub struct Promise<T> {
    shared: Rc<RefCell<Shared<T>>>,
}

impl<T> Future for Promise<T> {
    type Output = Result<T, Canceled>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut s = self.shared.borrow_mut();
        if let Some(v) = s.value.take() {
            return Poll::Ready(Ok(v));
        }
        if s.closed {
            return Poll::Ready(Err(Canceled));
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
