//! The crate's only `unsafe`, audited: taking ownership of an fd inherited by number (the
//! channel fd in `NODE_CHANNEL_FD`).

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
