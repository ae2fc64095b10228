//! Signal delivery goes to the handles of that signal only (libuv's signal tree), in the
//! order they were created, and a closed handle gets nothing.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;

#[test]
fn a_signal_reaches_only_its_own_handles() {
    let log: Rc<RefCell<Vec<(&str, i32)>>> = Rc::default();
    let l = Rc::clone(&log);
    nd::run(move || {
        let mut handles = Vec::new();
        for (name, signum) in [
            ("usr1-a", libc::SIGUSR1),
            ("usr2-a", libc::SIGUSR2),
            ("usr1-b", libc::SIGUSR1),
            ("usr2-closed", libc::SIGUSR2),
        ] {
            let l = Rc::clone(&l);
            handles.push(
                nd::SignalHandle::new(signum, move |s| l.borrow_mut().push((name, s))).unwrap(),
            );
        }
        handles[3].close_quietly();
        let handles = Rc::new(handles);
        nd::set_timeout(5, move || {
            // SAFETY: raising a signal this process handles (the handles above).
            unsafe { libc::raise(libc::SIGUSR2) };
            nd::set_timeout(20, move || {
                for h in handles.iter() {
                    h.close_quietly();
                }
            });
        });
    });
    assert_eq!(*log.borrow(), [("usr2-a", libc::SIGUSR2)]);
}
