//! The worker pool: libuv's `src/threadpool.c`, in Rust.
//!
//! - Size: `UV_THREADPOOL_SIZE` read once, at first use; default [`DEFAULT_SIZE`] (4), clamped
//!   to `1..=`[`MAX_SIZE`] (1024), as libuv does. Threads start on first use, all at once.
//! - One FIFO queue under one mutex, with a condition variable for idle workers, signalled only
//!   when a worker is idle (libuv's `idle_threads`) and not already woken by an earlier
//!   submission (`wakeups`): std's condition variable makes a `futex` call per signal even with
//!   no waiter, where glibc's `pthread_cond_signal` (libuv's) returns at once, so a burst of
//!   submissions to a waking pool would otherwise cost a system call each. Work is
//!   `FnOnce() + Send`; it runs outside the lock.
//! - Slow work (DNS lookups, like libuv's `UV__WORK_SLOW_IO`) waits in its own FIFO and at most
//!   `(size + 1) / 2` slow items run at once, so lookups cannot starve file-system work.
//!   Between the two queues a worker takes whichever item was queued first and is allowed.
//! - Lock order: the queue mutex is the only lock a worker takes; a job's completion is handed
//!   to its loop (`Remote::push`, its own lock) after the queue lock is
//!   released.
//! - Threads that cannot be started (`EAGAIN`): libuv aborts; this pool runs with the threads
//!   it has and retries the missing ones at the next submission; with none at all, the job's
//!   completion gets a `WorkError` carrying the OS error instead of running.
//! - A panicking job does not kill its worker: the job wrapper catches the panic (see
//!   `Loop::queue_work`), so the worker goes on with the next item.

use std::collections::VecDeque;

use crate::sync::{Condvar, Mutex, lock};

/// Threads when `UV_THREADPOOL_SIZE` is unset or unparsable.
pub const DEFAULT_SIZE: usize = 4;
/// The largest pool libuv allows.
pub const MAX_SIZE: usize = 1024;

/// A unit of work for a worker thread.
pub(crate) type Job = Box<dyn FnOnce() + Send>;

/// Whether a job is ordinary (fs, crypto, zlib) or slow (DNS lookups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Normal,
    Slow,
}

struct State {
    normal: VecDeque<(u64, Job)>,
    slow: VecDeque<(u64, Job)>,
    seq: u64,
    slow_running: usize,
    /// Workers waiting on the condition variable (libuv's `idle_threads`): a submission
    /// signals only when one is, so a busy pool costs no futex call per item.
    idle: usize,
    /// Signals sent to waiting workers that no worker has woken up for yet (at most `idle`):
    /// a submission signals only when `idle > wakeups`, so each waiting worker is signalled
    /// once, not once per submission made before it gets the lock back.
    wakeups: usize,
    shutdown: bool,
}

/// The queue shared by the workers (model-checked with loom).
pub(crate) struct Queue {
    state: Mutex<State>,
    cond: Condvar,
    slow_cap: usize,
}

impl Queue {
    pub(crate) fn new(threads: usize) -> Queue {
        Queue {
            state: Mutex::new(State {
                normal: VecDeque::new(),
                slow: VecDeque::new(),
                seq: 0,
                slow_running: 0,
                idle: 0,
                wakeups: 0,
                shutdown: false,
            }),
            cond: Condvar::new(),
            slow_cap: threads.div_ceil(2).max(1),
        }
    }

    pub(crate) fn submit(&self, kind: Kind, job: Job) {
        let mut st = lock(&self.state);
        st.seq += 1;
        let seq = st.seq;
        match kind {
            Kind::Normal => st.normal.push_back((seq, job)),
            Kind::Slow => st.slow.push_back((seq, job)),
        }
        let wake = st.signal();
        drop(st);
        if wake {
            self.cond.notify_one();
        }
    }

    /// Stops the workers once the queue is empty (tests only; the global pool lives forever).
    #[cfg_attr(not(loom), allow(dead_code))]
    pub(crate) fn shutdown(&self) {
        lock(&self.state).shutdown = true;
        self.cond.notify_all();
    }

    /// Picks the next allowed job, if any (caller holds the lock).
    fn pick(&self, st: &mut State) -> Option<(Kind, Job)> {
        let slow_ok = st.slow_running < self.slow_cap;
        let take_slow = match (st.normal.front(), st.slow.front()) {
            (Some((n, _)), Some((s, _))) => slow_ok && s < n,
            (None, Some(_)) => slow_ok,
            (_, None) => false,
        };
        if take_slow {
            st.slow_running += 1;
            st.slow.pop_front().map(|(_, j)| (Kind::Slow, j))
        } else {
            st.normal.pop_front().map(|(_, j)| (Kind::Normal, j))
        }
    }

    /// A worker's life: take a job, run it outside the lock, repeat.
    pub(crate) fn work(&self) {
        let mut st = lock(&self.state);
        loop {
            if let Some((kind, job)) = self.pick(&mut st) {
                drop(st);
                job();
                st = lock(&self.state);
                if kind == Kind::Slow {
                    st.slow_running -= 1;
                    // A slow item may have been waiting for this slot.
                    if !st.slow.is_empty() && st.signal() {
                        self.cond.notify_one();
                    }
                }
                if st.shutdown && st.normal.is_empty() && st.slow.is_empty() {
                    // Workers parked behind the slow cap must see that the queue drained.
                    self.cond.notify_all();
                }
                continue;
            }
            if st.shutdown && st.normal.is_empty() && st.slow.is_empty() {
                return;
            }
            st.idle += 1;
            #[cfg(loom)]
            {
                st = self.cond.wait(st).unwrap();
            }
            #[cfg(not(loom))]
            {
                st = self
                    .cond
                    .wait(st)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
            st.idle -= 1;
            // Whether this was the signal's wake-up or a spurious one, a waiting worker is
            // now awake: one signal fewer is owed (an undercount only costs a spare signal).
            st.wakeups = st.wakeups.saturating_sub(1);
        }
    }
}

impl State {
    /// Whether a waiting worker has no signal on its way yet; if so, counts the one the
    /// caller sends (after releasing the lock).
    fn signal(&mut self) -> bool {
        let wake = self.idle > self.wakeups;
        if wake {
            self.wakeups += 1;
        }
        wake
    }
}

/// The pool could not start a single worker thread: the payload a job's completion gets
/// instead of its value (turned into a [`crate::WorkError`] with the OS error).
pub(crate) struct Unavailable(pub(crate) std::io::Error);

/// Starts worker `index` on `queue` (a real thread in production; tests inject failures).
type Spawner = dyn Fn(usize, std::sync::Arc<Queue>) -> std::io::Result<()> + Send + Sync;

/// The process-wide pool (plain std: it is never used inside a loom model).
pub(crate) struct Pool {
    queue: std::sync::Arc<Queue>,
    size: usize,
    /// Worker threads started so far (at most `size`).
    started: std::sync::atomic::AtomicUsize,
    /// Held while starting threads, so two submitters do not both start the missing ones.
    starting: std::sync::Mutex<()>,
    spawn: Box<Spawner>,
}

fn spawn_thread(index: usize, queue: std::sync::Arc<Queue>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name(format!("nodestd-worker-{index}"))
        .spawn(move || queue.work())
        .map(drop)
}

impl Pool {
    /// The pool, started on first use.
    pub(crate) fn get() -> &'static Pool {
        static POOL: std::sync::OnceLock<Pool> = std::sync::OnceLock::new();
        POOL.get_or_init(|| {
            let size = size_from_env(std::env::var("UV_THREADPOOL_SIZE").ok().as_deref());
            Pool::with_spawner(size, Box::new(spawn_thread))
        })
    }

    fn with_spawner(size: usize, spawn: Box<Spawner>) -> Pool {
        Pool {
            queue: std::sync::Arc::new(Queue::new(size)),
            size,
            started: std::sync::atomic::AtomicUsize::new(0),
            starting: std::sync::Mutex::new(()),
            spawn,
        }
    }

    /// Queues `job`. libuv starts all its threads at first use and aborts the process when
    /// one cannot be created (`init_threads`); here the pool runs with the threads it could
    /// start and tries to start the missing ones at each later submission. Only when not a
    /// single worker exists does the submission fail (the caller turns that into the job's
    /// completion, with the OS error: `EAGAIN`).
    pub(crate) fn submit(&self, kind: Kind, job: Job) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        if self.started.load(Ordering::Acquire) < self.size {
            self.start_threads()?;
        }
        self.queue.submit(kind, job);
        Ok(())
    }

    fn start_threads(&self) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        let _guard = self
            .starting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut n = self.started.load(Ordering::Acquire);
        let mut failure = None;
        while n < self.size {
            match (self.spawn)(n, std::sync::Arc::clone(&self.queue)) {
                Ok(()) => n += 1,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        self.started.store(n, Ordering::Release);
        match failure {
            Some(e) if n == 0 => Err(e),
            _ => Ok(()),
        }
    }

    pub(crate) fn size(&self) -> usize {
        self.size
    }
}

/// libuv's reading of `UV_THREADPOOL_SIZE`: a number, clamped to `1..=1024`; default 4.
pub(crate) fn size_from_env(value: Option<&str>) -> usize {
    match value.and_then(|v| v.trim().parse::<i64>().ok()) {
        Some(n) if n < 1 => 1,
        Some(n) => (n as usize).min(MAX_SIZE),
        None => DEFAULT_SIZE,
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn size_follows_libuv() {
        assert_eq!(size_from_env(None), 4);
        assert_eq!(size_from_env(Some("8")), 8);
        assert_eq!(size_from_env(Some("0")), 1);
        assert_eq!(size_from_env(Some("-3")), 1);
        assert_eq!(size_from_env(Some("5000")), 1024);
        assert_eq!(size_from_env(Some("nope")), 4);
    }

    #[test]
    fn a_pool_without_threads_fails_the_submission_with_the_os_error() {
        let pool = Pool::with_spawner(
            4,
            Box::new(|_, _| Err(std::io::Error::from_raw_os_error(libc::EAGAIN))),
        );
        let err = pool.submit(Kind::Normal, Box::new(|| {})).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    }

    #[test]
    fn a_pool_runs_with_the_threads_it_could_start_and_adds_the_rest_later() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let allowed = Arc::new(AtomicUsize::new(2));
        let spawned = Arc::new(AtomicUsize::new(0));
        let (a, s) = (Arc::clone(&allowed), Arc::clone(&spawned));
        let pool = Pool::with_spawner(
            4,
            Box::new(move |i, q| {
                if i >= a.load(Ordering::SeqCst) {
                    return Err(std::io::Error::from_raw_os_error(libc::EAGAIN));
                }
                s.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || q.work());
                Ok(())
            }),
        );
        let ran = Arc::new(AtomicBool::new(false));
        let r = Arc::clone(&ran);
        pool.submit(
            Kind::Normal,
            Box::new(move || r.store(true, Ordering::SeqCst)),
        )
        .unwrap();
        assert_eq!(spawned.load(Ordering::SeqCst), 2);
        allowed.store(4, Ordering::SeqCst);
        pool.submit(Kind::Normal, Box::new(|| {})).unwrap();
        assert_eq!(spawned.load(Ordering::SeqCst), 4);
        pool.queue.shutdown();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !ran.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(ran.load(Ordering::SeqCst));
    }

    #[test]
    fn slow_work_uses_at_most_half_the_pool() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let q = Arc::new(Queue::new(4));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        for _ in 0..16 {
            let (r, p) = (Arc::clone(&running), Arc::clone(&peak));
            q.submit(
                Kind::Slow,
                Box::new(move || {
                    let now = r.fetch_add(1, Ordering::SeqCst) + 1;
                    p.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    r.fetch_sub(1, Ordering::SeqCst);
                }),
            );
        }
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let q = Arc::clone(&q);
                std::thread::spawn(move || q.work())
            })
            .collect();
        q.shutdown();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }
}
