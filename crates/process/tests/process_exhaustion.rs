//! Resource exhaustion is an error, not a panic (issue 18): with no file descriptor left,
//! `process::try_run` returns Node's `EMFILE` system error (code, errno, syscall, message)
//! without running `main`; with two free, one run after another works and leaves the
//! descriptor count as it was. Each scenario runs in a re-executed child of this test binary
//! (`NODESTD_PROCESS_EXHAUSTION` set), which lowers its own `RLIMIT_NOFILE`.

use nodestd_process as process;

#[path = "../../loop/tests/support/fd_limit.rs"]
mod fd_limit;
use fd_limit::{leave_free, open_fds, run_child};

const CHILD: &str = "NODESTD_PROCESS_EXHAUSTION";

fn child(scenario: &str) {
    match scenario {
        "none_free" => {
            leave_free(0);
            let err = process::try_run(|| unreachable!("main must not run")).unwrap_err();
            assert_eq!(err.code(), "EMFILE");
            assert_eq!(err.errno(), Some(-24));
            assert_eq!(err.syscall(), Some("uv_loop_init"));
            assert_eq!(err.message(), "EMFILE: too many open files, uv_loop_init");
        }
        "two_free" => {
            leave_free(2);
            let before = open_fds();
            for _ in 0..2 {
                let code = process::try_run(|| {
                    nodestd_loop::set_timeout(1, || process::set_exit_code(Some(3)));
                })
                .expect("a loop with two free descriptors");
                assert_eq!(code, 3);
                process::set_exit_code(None);
                assert_eq!(open_fds(), before, "a run left a descriptor behind");
            }
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
fn no_descriptor_left_is_emfile_from_try_run() {
    run_child(CHILD, "none_free");
}

#[test]
fn two_descriptors_are_enough_for_one_run_after_another() {
    run_child(CHILD, "two_free");
}
