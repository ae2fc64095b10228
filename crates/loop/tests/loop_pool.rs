//! The worker pool: every task completes exactly once, on the loop thread, in the poll phase;
//! a panicking task is an error for its completion, not a dead worker.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_loop as nd;

#[test]
fn ten_thousand_tasks_each_complete_exactly_once() {
    let done = Rc::new(RefCell::new(vec![0u8; 10_000]));
    let d = Rc::clone(&done);
    let loop_thread = std::thread::current().id();
    let exit = nd::run(move || {
        for i in 0..10_000usize {
            let d = Rc::clone(&d);
            nd::queue_work(
                move || (i, std::thread::current().id()),
                move |r| {
                    let (j, worker) = r.unwrap();
                    assert_eq!(i, j);
                    assert_ne!(worker, loop_thread, "work runs on a worker");
                    assert_eq!(
                        std::thread::current().id(),
                        loop_thread,
                        "completion on the loop"
                    );
                    d.borrow_mut()[i] += 1;
                },
            );
        }
    });
    assert_eq!(exit.code(), 0);
    assert!(done.borrow().iter().all(|&n| n == 1));
}

#[test]
fn a_panicking_task_does_not_kill_a_worker() {
    let errors = Rc::new(Cell::new(0));
    let oks = Rc::new(Cell::new(0));
    let (e, o) = (Rc::clone(&errors), Rc::clone(&oks));
    nd::run(move || {
        // Far more panics than threads: if a panic killed its worker, the pool would be empty.
        for _ in 0..(nd::pool_size() * 4) {
            let e = Rc::clone(&e);
            nd::queue_work(
                || -> u8 { panic!("boom in a worker") },
                move |r| {
                    let err = r.unwrap_err();
                    assert!(err.message().contains("boom in a worker"));
                    e.set(e.get() + 1);
                },
            );
        }
        for _ in 0..100 {
            let o = Rc::clone(&o);
            nd::queue_work(|| 1u8, move |r| o.set(o.get() + r.unwrap() as u32));
        }
    });
    assert_eq!(errors.get(), nd::pool_size() * 4);
    assert_eq!(oks.get(), 100);
}

#[test]
fn slow_work_completes_and_spawn_blocking_awaits() {
    let v = nd::block_on(async {
        let (r, p) = nd::promise();
        nd::queue_slow_work(|| "looked up", move |x| r.resolve(x.unwrap()));
        let a = p.await.unwrap();
        let b = nd::spawn_blocking(|| 40 + 2).await.unwrap();
        (a, b)
    })
    .unwrap();
    assert_eq!(v, ("looked up", 42));
}

#[test]
fn an_immediate_queued_by_a_completion_runs_before_a_timeout() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        nd::queue_work(
            || (),
            move |_| {
                let (a, b) = (Rc::clone(&l), Rc::clone(&l));
                nd::set_timeout(0, move || a.borrow_mut().push("timeout"));
                nd::set_immediate(move || b.borrow_mut().push("immediate"));
            },
        );
    });
    assert_eq!(*log.borrow(), ["immediate", "timeout"]);
}
