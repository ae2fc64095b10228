//! 10,000 spawns of `/bin/true` (16 at a time, each with three pipes) leave the process's fd
//! count where it was and no child behind: every pidfd, pipe and watcher is closed, and every
//! child reaped on the loop; then the same through SIGCHLD, as where `pidfd_open` fails.

use std::cell::Cell;
use std::rc::Rc;

use nodestd_child_process::spawn::{ChildProcess, Close, SpawnOptions, reap_with_sigchld, spawn};
use nodestd_loop as nd;

const TOTAL: usize = 10_000;
const AT_ONCE: usize = 16;

fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn start(started: Rc<Cell<usize>>, closed: Rc<Cell<usize>>) {
    if started.get() == TOTAL {
        return;
    }
    started.set(started.get() + 1);
    let c: ChildProcess = spawn("/bin/true", &[], SpawnOptions::default());
    c.emitter().once(Close, move |(code, _)| {
        assert_eq!(*code, Some(0));
        closed.set(closed.get() + 1);
        start(Rc::clone(&started), Rc::clone(&closed));
    });
}

#[test]
fn ten_thousand_spawns_leave_the_fd_count_flat_and_no_zombie() {
    // One after the other: both count this process's fds.
    ten_thousand_spawns();
    reap_with_sigchld(true);
    ten_thousand_spawns();
}

fn ten_thousand_spawns() {
    // One run first, so that the loop's own fds and lazily made ones exist before counting.
    nd::run(|| {
        spawn("/bin/true", &[], SpawnOptions::default());
    });
    let before = fd_count();
    let closed = Rc::new(Cell::new(0));
    let c = Rc::clone(&closed);
    let exit = nd::run(move || {
        let started = Rc::new(Cell::new(0));
        for _ in 0..AT_ONCE {
            start(Rc::clone(&started), Rc::clone(&c));
        }
    });
    assert_eq!(exit.code(), 0);
    assert_eq!(closed.get(), TOTAL);
    assert_eq!(fd_count(), before, "fds leaked");
    // No child left at all, reaped or not: waitpid has nobody to wait for.
    assert_eq!(
        rustix::process::waitpid(None, rustix::process::WaitOptions::NOHANG).err(),
        Some(rustix::io::Errno::CHILD)
    );
}
