//! A panic in a callback is an uncaught exception.

use std::cell::Cell;
use std::rc::Rc;

use nodestd_loop as nd;

#[test]
fn a_panic_in_a_timer_with_no_handler_ends_the_run_with_code_1() {
    let later = Rc::new(Cell::new(false));
    let l = Rc::clone(&later);
    let exit = nd::run(move || {
        nd::set_timeout(1, || panic!("timer exploded"));
        nd::set_timeout(20, move || l.set(true));
    });
    match &exit {
        nd::Exit::Uncaught(e) => assert_eq!(e.message(), "timer exploded"),
        other => panic!("expected Uncaught, got {other:?}"),
    }
    assert_eq!(exit.code(), 1);
    assert!(!later.get(), "nothing runs after an uncaught panic");
}

#[test]
fn with_a_handler_the_loop_goes_on() {
    let seen = Rc::new(Cell::new(0));
    let later = Rc::new(Cell::new(false));
    let (s, l) = (Rc::clone(&seen), Rc::clone(&later));
    let exit = nd::run(move || {
        nd::on_uncaught_exception(Some(Box::new(move |e: &nd::PanicError| {
            assert!(e.message().starts_with("oops"));
            s.set(s.get() + 1);
        })));
        nd::set_timeout(1, || panic!("oops in a timer"));
        nd::next_tick(|| panic!("oops in a tick"));
        nd::set_immediate(|| panic!("oops in an immediate"));
        nd::set_timeout(20, move || l.set(true));
    });
    assert_eq!(exit.code(), 0);
    assert_eq!(seen.get(), 3);
    assert!(later.get());
}

#[test]
fn a_panicking_handler_is_fatal() {
    let exit = nd::run(|| {
        nd::on_uncaught_exception(Some(Box::new(|_: &nd::PanicError| panic!("handler broke"))));
        nd::set_immediate(|| panic!("first"));
    });
    match exit {
        nd::Exit::Uncaught(e) => assert_eq!(e.message(), "handler broke"),
        other => panic!("expected Uncaught, got {other:?}"),
    }
}

#[test]
fn outside_a_loop_the_error_names_the_function() {
    let err = std::panic::catch_unwind(|| nd::set_timeout(1, || {})).unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("set_timeout called outside a running loop"),
        "{msg}"
    );
    assert!(!nd::in_loop());
}
