//! The crate's only `unsafe`, audited: taking ownership of an fd inherited by number (the
//! channel fd in `NODE_CHANNEL_FD`), and what a child does between fork and exec: placing the
//! stdio slots from fd 3 on (the `'ipc'` channel among them), `setsid`, and the empty hook that
//! makes std fork and `execvp` (the `ENOEXEC` retry).

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

/// Places fds in the child that `cmd` starts, as libuv's `uv__process_child_init` does for the
/// stdio slots from 3 on: each `(target, source)` makes the child's fd `target` a copy of this
/// process's fd `source` (not close-on-exec), and `(target, target)` only clears the flag of
/// the fd the child inherited under that number. A source below `end` (one past the highest
/// target) is first moved above `end` so that placing one slot cannot clobber another's
/// source. `setsid` makes the child a session leader (Node's `detached`).
///
/// The caller keeps every fd numbered below `end` open in this process while `cmd` spawns
/// (see [`fill_fd_holes`]), so that std's own close-on-exec pipe, which reports a failed exec,
/// cannot have a target's number and be overwritten.
pub(crate) fn place_in_child(
    cmd: &mut std::process::Command,
    mut slots: Vec<(i32, i32)>,
    setsid: bool,
) {
    use std::os::unix::process::CommandExt;
    let end = slots.iter().map(|&(t, _)| t + 1).max().unwrap_or(0);
    let place = move || -> std::io::Result<()> {
        if setsid {
            rustix::process::setsid()?;
        }
        for (target, source) in &mut slots {
            if *source < end && *source != *target {
                // SAFETY: in the forked child, `source` is a copy of an fd the parent had open
                // (fork copies the table); the borrow lasts for one fcntl.
                let fd = unsafe { BorrowedFd::borrow_raw(*source) };
                let moved = rustix::io::fcntl_dupfd_cloexec(fd, end)?;
                *source = std::os::fd::IntoRawFd::into_raw_fd(moved);
            }
        }
        for &(target, source) in &slots {
            // SAFETY: as above, `source` is open in the child; the borrow lasts for the call.
            let from = unsafe { BorrowedFd::borrow_raw(source) };
            if source == target {
                rustix::io::fcntl_setfd(from, rustix::io::FdFlags::empty())?;
            } else {
                // SAFETY: `target` is a number this child owns from here on (dup2 closes
                // whatever was there, which is close-on-exec or another slot's moved copy);
                // ManuallyDrop keeps the OwnedFd from closing it, so it stays for exec.
                let mut to = std::mem::ManuallyDrop::new(unsafe { OwnedFd::from_raw_fd(target) });
                rustix::io::dup2(from, &mut to)?;
            }
        }
        Ok(())
    };
    // SAFETY: the closure makes only system calls that are async-signal-safe (setsid, fcntl,
    // dup2), allocates nothing (the slots were allocated before the fork and are changed in
    // place) and takes no lock, as code between fork and exec must.
    unsafe {
        cmd.pre_exec(place);
    }
}

/// Opens `/dev/null` into every free fd number below `end`, so that nothing std opens while
/// spawning takes one of those numbers (see [`place_in_child`]). Dropping the result closes
/// them.
pub(crate) fn fill_fd_holes(end: i32) -> Vec<OwnedFd> {
    let mut held = Vec::new();
    loop {
        let Ok(fd) = rustix::fs::open(
            "/dev/null",
            rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::empty(),
        ) else {
            return held;
        };
        if std::os::fd::AsRawFd::as_raw_fd(&fd) >= end {
            return held;
        }
        held.push(fd);
    }
}

/// Makes `cmd` start its child by fork and `execvp` (std does so for a command with a
/// `pre_exec` hook), not by `posix_spawn`: glibc's `execvp` runs a file that `execve` refuses
/// with `ENOEXEC` (a script without `#!`) with `/bin/sh`, as libuv's children do, where
/// `posix_spawn` only fails. Spawning this way costs more, so it is the retry only.
pub(crate) fn fork_and_execvp(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the hook does nothing at all, which is async-signal-safe.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
}
