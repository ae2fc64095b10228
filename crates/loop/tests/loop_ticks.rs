//! nextTick and microtasks: the drain is a loop, not recursion, so chains do not grow the stack.

use std::cell::Cell;
use std::rc::Rc;

use nodestd_loop as nd;

fn chain(n: Rc<Cell<u32>>, left: u32) {
    n.set(n.get() + 1);
    if left > 0 {
        nd::next_tick(move || chain(n, left - 1));
    }
}

fn micro_chain(n: Rc<Cell<u32>>, left: u32) {
    n.set(n.get() + 1);
    if left > 0 {
        nd::queue_microtask(move || micro_chain(n, left - 1));
    }
}

#[test]
fn a_million_chained_next_ticks_do_not_grow_the_stack() {
    // A 256 KiB stack: recursion a million deep would overflow it many times over.
    let t = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let n = Rc::new(Cell::new(0));
            let (a, b) = (Rc::clone(&n), Rc::clone(&n));
            nd::run(move || {
                chain(a, 999_999);
                micro_chain(b, 999_999);
            });
            n.get()
        })
        .unwrap();
    assert_eq!(t.join().unwrap(), 2_000_000);
}

#[test]
fn ticks_drain_before_microtasks_and_microtask_ticks_after_the_queue() {
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        let push = |l: &Rc<std::cell::RefCell<Vec<&'static str>>>, s| l.borrow_mut().push(s);
        let (l1, l2, l3) = (Rc::clone(&l), Rc::clone(&l), Rc::clone(&l));
        nd::queue_microtask(move || {
            push(&l1, "micro1");
            let l = Rc::clone(&l1);
            nd::next_tick(move || push(&l, "tick-from-micro"));
        });
        nd::queue_microtask(move || push(&l2, "micro2"));
        nd::next_tick(move || push(&l3, "tick"));
    });
    assert_eq!(
        *log.borrow(),
        ["tick", "micro1", "micro2", "tick-from-micro"]
    );
}

#[test]
fn awaiting_a_ready_future_stays_in_the_same_checkpoint() {
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        let l1 = Rc::clone(&l);
        nd::spawn_local(async move {
            l1.borrow_mut().push("task start");
            std::future::ready(()).await;
            l1.borrow_mut().push("after ready await");
        });
        let l2 = Rc::clone(&l);
        nd::queue_microtask(move || l2.borrow_mut().push("micro queued after spawn"));
    });
    assert_eq!(
        *log.borrow(),
        [
            "task start",
            "after ready await",
            "micro queued after spawn"
        ]
    );
}

#[test]
fn a_resolved_promise_wakes_its_task_as_a_microtask() {
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        let (r, p) = nd::promise::<u8>();
        let l1 = Rc::clone(&l);
        nd::spawn_local(async move {
            let v = p.await.unwrap();
            l1.borrow_mut().push(format!("awaited {v}"));
        });
        let l2 = Rc::clone(&l);
        nd::set_immediate(move || {
            r.resolve(9);
            l2.borrow_mut().push("resolved".into());
            let l3 = Rc::clone(&l2);
            nd::next_tick(move || l3.borrow_mut().push("tick".into()));
        });
    });
    assert_eq!(*log.borrow(), ["resolved", "tick", "awaited 9"]);
}
