//! What keeps the loop alive: referenced, active handles and requests, as libuv and Node.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodestd_loop as nd;

#[test]
fn an_unrefd_timer_does_not_keep_the_loop_alive() {
    let ran = Rc::new(Cell::new(false));
    let r = Rc::clone(&ran);
    let t0 = Instant::now();
    let exit = nd::run(move || {
        let t = nd::set_timeout(10_000, move || r.set(true));
        t.unref();
        assert!(!t.has_ref());
    });
    assert!(matches!(exit, nd::Exit::Completed));
    assert!(!ran.get());
    assert!(t0.elapsed() < Duration::from_secs(5));
}

#[test]
fn an_unrefd_timer_still_fires_while_something_else_keeps_the_loop_alive() {
    let ran = Rc::new(Cell::new(false));
    let r = Rc::clone(&ran);
    nd::run(move || {
        nd::set_timeout(5, move || r.set(true)).unref();
        nd::set_timeout(30, || {});
    });
    assert!(ran.get());
}

#[test]
fn ref_again_keeps_it_alive() {
    let ran = Rc::new(Cell::new(false));
    let r = Rc::clone(&ran);
    nd::run(move || {
        let t = nd::set_timeout(5, move || r.set(true));
        t.unref();
        t.ref_();
        assert!(t.has_ref());
    });
    assert!(ran.get());
}

#[test]
fn a_loop_whose_only_handles_are_unrefd_exits() {
    let exit = nd::run(|| {
        let h = nd::Handle::new();
        h.unref();
        let a = nd::AsyncHandle::new(|| {});
        a.unref();
        let i = nd::PhaseHandle::start(nd::Phase::Prepare, || {});
        i.unref();
    });
    assert!(matches!(exit, nd::Exit::Completed));
}

#[test]
fn a_referenced_handle_keeps_the_loop_alive_until_closed() {
    let closed = Rc::new(Cell::new(false));
    let c = Rc::clone(&closed);
    nd::run(move || {
        let h = nd::Handle::new();
        nd::set_timeout(10, move || h.close(move || c.set(true)));
    });
    assert!(closed.get());
}

#[test]
fn unrefd_immediates_run_only_if_the_loop_iterates_anyway() {
    let ran = Rc::new(Cell::new(false));
    let r = Rc::clone(&ran);
    nd::run(move || {
        nd::set_immediate(move || r.set(true)).unref();
    });
    assert!(!ran.get(), "nothing kept the loop alive");
    let ran = Rc::new(Cell::new(false));
    let r = Rc::clone(&ran);
    nd::run(move || {
        nd::set_immediate(move || r.set(true)).unref();
        nd::set_timeout(5, || {});
    });
    assert!(ran.get());
}

#[test]
fn before_exit_hooks_can_schedule_more_work() {
    let rounds = Rc::new(Cell::new(0));
    let r = Rc::clone(&rounds);
    let exit = nd::run(move || {
        nd::on_before_exit(move || {
            r.set(r.get() + 1);
            if r.get() < 3 {
                nd::set_timeout(1, || {});
            }
        });
    });
    assert!(matches!(exit, nd::Exit::Completed));
    assert_eq!(rounds.get(), 3);
}

#[test]
fn stop_and_exit_end_the_run() {
    let exit = nd::run(|| {
        nd::set_timeout(1, nd::stop);
        nd::set_timeout(10_000, || {});
    });
    assert!(matches!(exit, nd::Exit::Stopped));
    let after = Rc::new(Cell::new(false));
    let a = Rc::clone(&after);
    let exit = nd::run(move || {
        nd::next_tick(|| nd::exit(3));
        nd::next_tick(move || a.set(true));
    });
    assert_eq!(exit.code(), 3);
    assert!(!after.get(), "nothing runs after exit");
}

#[test]
fn run_modes_for_embedders() {
    let lp = nd::Loop::new().unwrap();
    let n = Rc::new(Cell::new(0));
    let n2 = Rc::clone(&n);
    lp.enter(|| {
        nd::set_immediate(move || n2.set(n2.get() + 1));
    });
    assert!(lp.is_alive());
    assert!(!lp.run_mode(nd::RunMode::NoWait));
    assert_eq!(n.get(), 1);
    assert!(!lp.is_alive());
}

#[test]
fn a_pending_future_alone_does_not_keep_the_loop_alive() {
    let (_resolver, promise) = {
        let lp = nd::Loop::new().unwrap();
        lp.enter(nd::promise::<()>)
    };
    drop(promise);
    let r = nd::block_on(async {
        let (r, p) = nd::promise::<u8>();
        std::mem::forget(r);
        p.await
    });
    assert!(matches!(r, Err(nd::BlockOnError::Unsettled)));
}
