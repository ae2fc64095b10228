//! Signal delivery goes to the handles of that signal only (libuv's signal tree), and a
//! closed handle gets nothing.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;

#[test]
fn a_signal_reaches_only_its_own_handles() {
    let log: Rc<RefCell<Vec<(&str, i32)>>> = Rc::default();
    let l = Rc::clone(&log);
    nd::run(move || {
        let handles: Rc<RefCell<Vec<nd::SignalHandle>>> = Rc::default();
        for (name, signum) in [
            ("usr1-a", libc::SIGUSR1),
            ("usr2-a", libc::SIGUSR2),
            ("usr1-b", libc::SIGUSR1),
            ("usr2-closed", libc::SIGUSR2),
        ] {
            let (l, all) = (Rc::clone(&l), Rc::clone(&handles));
            let h = nd::SignalHandle::new(signum, move |s| {
                l.borrow_mut().push((name, s));
                // The first delivery ends the test: every handle closes.
                for h in all.borrow().iter() {
                    h.close_quietly();
                }
            })
            .unwrap();
            handles.borrow_mut().push(h);
        }
        handles.borrow()[3].close_quietly();
        nd::set_timeout(5, || {
            // SAFETY: raising a signal this process handles (the handles above).
            unsafe { libc::raise(libc::SIGUSR2) };
        });
    });
    assert_eq!(*log.borrow(), [("usr2-a", libc::SIGUSR2)]);
}
