//! Resource exhaustion is an error, not a panic (issue 18). This test binary re-executes
//! itself as a child (`NODESTD_LOOP_EXHAUSTION` set), which lowers its own `RLIMIT_NOFILE`
//! so that exactly `k` descriptor numbers are free: with 0 or 1 free, creating a loop fails
//! with `EMFILE` (the epoll instance, then its eventfd) and leaves nothing open; with 2 free,
//! a loop runs, and a second loop after it runs too (the first left no descriptor behind,
//! counted in `/proc/self/fd` before and after).

use nodestd_loop as nd;

#[path = "support/fd_limit.rs"]
mod fd_limit;
use fd_limit::{leave_free, open_fds, run_child};

const CHILD: &str = "NODESTD_LOOP_EXHAUSTION";

fn one_run() {
    let exit = nd::try_run(|| {
        nd::set_timeout(1, || {});
        nd::queue_work(|| 6 * 7, |r| assert_eq!(r.unwrap(), 42));
        nd::set_immediate(|| {});
    })
    .expect("a loop with two free descriptors");
    assert_eq!(exit.code(), 0);
}

fn child(scenario: &str) {
    // Start the worker pool first: its threads need no descriptors, but a lazy start must
    // not be confused with a leak.
    nd::run(|| nd::queue_work(|| (), |_| {}));
    match scenario {
        "none_free" => {
            leave_free(0);
            let err = nd::Loop::new().err().expect("creating a loop must fail");
            assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
            let err = nd::try_run(|| unreachable!("main must not run")).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
        }
        "one_free" => {
            leave_free(1);
            let before = open_fds();
            let err = nd::Loop::new().err().expect("creating a loop must fail");
            assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
            let err = nd::try_run(|| unreachable!("main must not run")).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
            assert_eq!(open_fds(), before, "the epoll descriptor was left open");
        }
        "two_free" => {
            leave_free(2);
            let before = open_fds();
            one_run();
            assert_eq!(
                open_fds(),
                before,
                "the first loop left a descriptor behind"
            );
            one_run();
            assert_eq!(
                open_fds(),
                before,
                "the second loop left a descriptor behind"
            );
        }
        other => panic!("unknown scenario {other}"),
    }
}

/// The child's entry point: a no-op unless re-executed with the variable set.
#[test]
fn child_entry() {
    fd_limit::child_entry(CHILD, child);
}

#[test]
fn no_descriptor_left_makes_creating_a_loop_fail_with_emfile() {
    run_child(CHILD, "none_free");
}

#[test]
fn a_missing_eventfd_fails_with_emfile_and_closes_the_epoll_descriptor() {
    run_child(CHILD, "one_free");
}

#[test]
fn two_descriptors_are_enough_for_one_loop_after_another() {
    run_child(CHILD, "two_free");
}
