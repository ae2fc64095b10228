//! The crate's only `unsafe`, audited: taking ownership of an fd inherited by number (the
//! channel fd in `NODE_CHANNEL_FD`), and handing the channel's fd to a child between fork and
//! exec.

use std::os::fd::{BorrowedFd, FromRawFd, OwnedFd};

/// Takes ownership of the inherited fd `n`, if it is open; `None` otherwise.
///
/// Call it at most once per fd number, for an fd nothing else in the process owns (an fd a
/// parent handed down for one purpose, as Node's `fork` hands down the channel).
pub(crate) fn take_inherited_fd(n: i32) -> Option<OwnedFd> {
    if n < 0 {
        return None;
    }
    // SAFETY: the borrow lasts only for this fcntl(F_GETFD), which fails harmlessly with
    // EBADF on a closed fd number.
    let borrowed = unsafe { BorrowedFd::borrow_raw(n) };
    nodestd_sys::fdflags::is_cloexec(borrowed).ok()?;
    // SAFETY: the fd is open (checked above) and, per this function's contract, owned by
    // nothing else in the process, so this is its one owner.
    Some(unsafe { OwnedFd::from_raw_fd(n) })
}

/// Makes `fd`, close-on-exec in this process, survive into the child that `cmd` starts, under
/// the same number: the child clears its close-on-exec flag between fork and exec, as libuv's
/// `uv__process_child_init` places its fds. Clearing the flag in the parent instead would let
/// a child that another thread spawns meanwhile inherit the fd too and hold the channel open
/// after our child exits.
pub(crate) fn inherit_in_child(cmd: &mut std::process::Command, fd: std::os::fd::RawFd) {
    use std::os::unix::process::CommandExt;
    let set_inheritable = move || {
        // SAFETY: in the forked child, `fd` is the copy of the parent's open fd (fork copies
        // the table, and close-on-exec only acts at exec); the borrow lasts for one fcntl.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty()).map_err(std::io::Error::from)
    };
    // SAFETY: the closure makes one fcntl system call (async-signal-safe), allocates nothing
    // and takes no lock, as code between fork and exec must.
    unsafe {
        cmd.pre_exec(set_inheritable);
    }
}
