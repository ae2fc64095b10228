//! Loom models: every interleaving of the worker pool's queue and of the cross-thread wake-up
//! protocol. `cargo xtask test-all` runs them optimized with debug assertions on, as
//! `RUSTFLAGS="--cfg loom" CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=true
//! CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true CARGO_TARGET_DIR=target/loom
//! cargo test -p nodestd-loop --lib --release`.

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use crate::pool::{Kind, Queue};
use crate::remote::{Message, Notify, Remote};
use crate::sync::Arc;

/// The poller's side of a wake-up, as an eventfd: `notify` makes it readable, a poll consumes it.
struct Flag(Arc<loom::sync::Mutex<bool>>);

impl Notify for Flag {
    fn notify(&self) {
        *self.0.lock().unwrap() = true;
    }
}

impl Flag {
    /// A poll: consumes the readiness.
    fn consume(m: &loom::sync::Mutex<bool>) -> bool {
        std::mem::replace(&mut *m.lock().unwrap(), false)
    }
}

#[test]
fn no_message_is_left_without_a_wake_up() {
    loom::model(|| {
        let readable = Arc::new(loom::sync::Mutex::new(false));
        let remote = Arc::new(Remote::new(Box::new(Flag(Arc::clone(&readable)))));
        let producer = {
            let remote = Arc::clone(&remote);
            loom::thread::spawn(move || {
                remote.push(Message::Async(1));
                remote.push(Message::Async(2));
            })
        };
        // The loop: two poll rounds that each consume a wake-up and take the inbox.
        let mut got = 0;
        let mut trace = Vec::new();
        for _ in 0..2 {
            if Flag::consume(&readable) {
                let n = remote.take().len();
                trace.push(n);
                got += n;
            }
        }
        producer.join().unwrap();
        let left = 2 - got;
        // Whatever the loop has not taken yet must have a wake-up waiting for it.
        if left > 0 {
            assert!(
                *readable.lock().unwrap(),
                "{left} message(s) left with no wake-up (got {got}, rounds {trace:?})"
            );
            assert_eq!(remote.take().len(), left);
        }
    });
}

#[test]
fn every_job_runs_once_and_slow_work_is_capped() {
    // Three preemptions (loom recommends a bound for larger models): under a second here,
    // where the unbounded search takes four minutes.
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(|| {
        // Two workers: the slow cap is one.
        let q = Arc::new(Queue::new(2));
        let ran = Arc::new(AtomicUsize::new(0));
        let slow_now = Arc::new(AtomicUsize::new(0));
        for kind in [Kind::Slow, Kind::Slow, Kind::Normal] {
            let (ran, slow_now) = (Arc::clone(&ran), Arc::clone(&slow_now));
            q.submit(
                kind,
                Box::new(move || {
                    if kind == Kind::Slow {
                        assert_eq!(slow_now.fetch_add(1, SeqCst), 0, "two slow jobs at once");
                        slow_now.fetch_sub(1, SeqCst);
                    }
                    ran.fetch_add(1, SeqCst);
                }),
            );
        }
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                loom::thread::spawn(move || q.work())
            })
            .collect();
        q.shutdown();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(ran.load(SeqCst), 3);
    });
}

#[test]
fn a_job_submitted_to_idle_workers_wakes_one() {
    // Workers first, then the jobs: a submission must wake a waiting worker (it signals only
    // when one is idle and not already signalled: three jobs for two workers, so a submission
    // can find every waiting worker already signalled), and the jobs must run before
    // shutdown's broadcast could mask a lost wake-up.
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(3);
    builder.check(|| {
        let q = Arc::new(Queue::new(2));
        let ran = Arc::new(AtomicUsize::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let q = Arc::clone(&q);
                loom::thread::spawn(move || q.work())
            })
            .collect();
        for _ in 0..3 {
            let ran = Arc::clone(&ran);
            q.submit(
                Kind::Normal,
                Box::new(move || {
                    ran.fetch_add(1, SeqCst);
                }),
            );
        }
        while ran.load(SeqCst) < 3 {
            loom::thread::yield_now();
        }
        q.shutdown();
        for w in workers {
            w.join().unwrap();
        }
    });
}

#[test]
fn a_push_racing_the_loops_drop_is_harmless() {
    loom::model(|| {
        let readable = Arc::new(loom::sync::Mutex::new(false));
        let remote = Arc::new(Remote::new(Box::new(Flag(Arc::clone(&readable)))));
        let producer = {
            let remote = Arc::clone(&remote);
            loom::thread::spawn(move || remote.push(Message::Async(1)))
        };
        remote.close();
        producer.join().unwrap();
        // The message is in the inbox whether or not the wake-up was still there.
        assert_eq!(remote.take().len(), 1);
    });
}
