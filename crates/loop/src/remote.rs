//! The cross-thread side of a loop: what other threads hand to the loop thread (worker-pool
//! completions, task wake-ups, async-handle sends, signals), and the wake-up that makes the
//! poll phase return to collect it.
//!
//! Protocol (model-checked with loom in `src/loom_tests.rs`): a producer pushes under the
//! mutex, then wakes the poller only if `notified` was clear; the loop clears `notified`
//! *before* taking the queue. So a push either lands in a batch the loop is about to take, or
//! finds `notified` clear and wakes the poller again: no item is ever left without a wake-up.
//! When the loop is dropped it closes the wake-up (`Remote::close`) under the notifier's own
//! lock (taken only after the queue's is released), and later pushes wake nobody.

use std::any::Any;

use crate::sync::{AtomicBool, Mutex, Ordering, lock};

/// The result a worker hands back: the task's value, or its panic payload.
pub(crate) type WorkResult = Result<Box<dyn Any + Send>, Box<dyn Any + Send>>;

/// One message for the loop thread.
pub(crate) enum Message {
    /// A worker-pool request finished.
    Completion(u64, WorkResult),
    /// A task's waker was called on another thread.
    WakeTask(u64),
    /// An async handle was sent to.
    Async(u64),
    /// A signal arrived.
    Signal(i32),
}

/// Something that interrupts the loop's poll (mio's `Waker` in production).
pub(crate) trait Notify: Send + Sync {
    fn notify(&self);
}

/// The loop's inbox, shared with other threads.
pub(crate) struct Remote {
    queue: Mutex<Vec<Message>>,
    notified: AtomicBool,
    /// `None` once the loop is gone ([`Remote::close`]): other threads may keep the inbox
    /// (a worker finishing a job, a task's waker, an async sender), but not the loop's
    /// wake-up descriptor.
    notifier: Mutex<Option<Box<dyn Notify>>>,
}

impl Remote {
    pub(crate) fn new(notifier: Box<dyn Notify>) -> Remote {
        Remote {
            queue: Mutex::new(Vec::new()),
            notified: AtomicBool::new(false),
            notifier: Mutex::new(Some(notifier)),
        }
    }

    /// Hands `msg` to the loop thread (any thread).
    pub(crate) fn push(&self, msg: Message) {
        lock(&self.queue).push(msg);
        if !self.notified.swap(true, Ordering::AcqRel) {
            if let Some(n) = lock(&self.notifier).as_ref() {
                n.notify();
            }
        }
    }

    /// The loop is being dropped: closes the wake-up (its eventfd) now, whoever still holds
    /// the inbox, so a loop leaves no descriptor behind when its run ends.
    pub(crate) fn close(&self) {
        let notifier = lock(&self.notifier).take();
        drop(notifier);
    }

    /// Takes everything pushed so far (loop thread) by swapping it with `batch`, an empty
    /// vector whose capacity the producers then push into: no allocation per batch once
    /// both vectors have grown to the batches' size (libuv's intrusive queue allocates none).
    pub(crate) fn swap(&self, batch: &mut Vec<Message>) {
        debug_assert!(batch.is_empty());
        self.notified.store(false, Ordering::Release);
        std::mem::swap(&mut *lock(&self.queue), batch);
    }

    /// Takes everything pushed so far (the loom models).
    #[cfg(loom)]
    pub(crate) fn take(&self) -> Vec<Message> {
        let mut batch = Vec::new();
        self.swap(&mut batch);
        batch
    }
}
