//! An fd's close-on-exec and non-blocking flags, and `dup` with close-on-exec (libuv's
//! `uv__cloexec`, `uv__nonblock` and `uv__dup`).
//!
//! Every fd nodestd creates is close-on-exec from birth (`O_CLOEXEC`, `SOCK_CLOEXEC`,
//! `MSG_CMSG_CLOEXEC`, `F_DUPFD_CLOEXEC`), so a child spawned by another thread never inherits
//! it by accident; `child_process` clears the flag only on the fds a child is meant to get.

use std::io;
use std::os::fd::{AsFd, OwnedFd};

use rustix::fs::OFlags;
use rustix::io::FdFlags;

/// Sets (`true`) or clears (`false`) `FD_CLOEXEC` on `fd` (`fcntl(F_SETFD)`).
///
/// ```
/// let (a, _b) = nodestd_sys::socketpair(false)?;
/// nodestd_sys::set_cloexec(&a, false)?;
/// assert!(!nodestd_sys::is_cloexec(&a)?);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// `EBADF` for a closed fd.
pub fn set_cloexec(fd: impl AsFd, on: bool) -> io::Result<()> {
    let fd = fd.as_fd();
    if let Some(new) = toggled(rustix::io::fcntl_getfd(fd)?, FdFlags::CLOEXEC, on) {
        rustix::io::fcntl_setfd(fd, new)?;
    }
    Ok(())
}

/// `flags` with `bit` set or cleared; `None` when that changes nothing (no `F_SET*` call
/// needed, as libuv skips it).
fn toggled<F>(flags: F, bit: F, on: bool) -> Option<F>
where
    F: Copy + PartialEq + std::ops::BitOr<Output = F> + std::ops::Sub<Output = F>,
{
    let new = if on { flags | bit } else { flags - bit };
    (new != flags).then_some(new)
}

/// Whether `fd` is close-on-exec.
///
/// # Errors
/// `EBADF` for a closed fd.
pub fn is_cloexec(fd: impl AsFd) -> io::Result<bool> {
    Ok(rustix::io::fcntl_getfd(fd)?.contains(FdFlags::CLOEXEC))
}

/// Sets (`true`) or clears (`false`) `O_NONBLOCK` on `fd` (`fcntl(F_SETFL)`). The flag
/// belongs to the open file description, so every fd duplicated from it sees the change.
///
/// ```
/// let (a, _b) = nodestd_sys::socketpair(false)?;
/// nodestd_sys::set_nonblocking(&a, true)?;
/// assert!(nodestd_sys::is_nonblocking(&a)?);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// `EBADF` for a closed fd.
pub fn set_nonblocking(fd: impl AsFd, on: bool) -> io::Result<()> {
    let fd = fd.as_fd();
    if let Some(new) = toggled(rustix::fs::fcntl_getfl(fd)?, OFlags::NONBLOCK, on) {
        rustix::fs::fcntl_setfl(fd, new)?;
    }
    Ok(())
}

/// Whether `fd`'s open file description is non-blocking.
///
/// # Errors
/// `EBADF` for a closed fd.
pub fn is_nonblocking(fd: impl AsFd) -> io::Result<bool> {
    Ok(rustix::fs::fcntl_getfl(fd)?.contains(OFlags::NONBLOCK))
}

/// A new fd for the same open file description, close-on-exec (`fcntl(F_DUPFD_CLOEXEC)`,
/// atomic: no window in which a concurrent spawn could inherit it).
///
/// ```
/// let (a, _b) = nodestd_sys::socketpair(false)?;
/// let copy = nodestd_sys::dup_cloexec(&a)?;
/// assert!(nodestd_sys::is_cloexec(&copy)?);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// `EBADF` for a closed fd, `EMFILE` when the process is out of fds.
pub fn dup_cloexec(fd: impl AsFd) -> io::Result<OwnedFd> {
    Ok(rustix::io::fcntl_dupfd_cloexec(fd, 0)?)
}
