//! Node's integer file descriptors without `unsafe`: an [`Fd`] is the OS descriptor's number
//! in the process-wide table of [`nodestd_sys::fd`], which owns the descriptor until
//! [`crate::close_sync`] removes it.
//!
//! An operation looks the number up (cloning an `Arc`), so a descriptor closed by one thread
//! while another reads it stays open until that read ends; a number that is not in the table
//! is `EBADF`, as it is for Node.

use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::Arc;

use crate::errors::{Error, Result};

/// A file descriptor as Node hands it out: a number, valid until closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fd(i32);

/// `EBADF`: the number is not open.
const EBADF: i32 = 9;

impl Fd {
    /// Takes ownership of an open descriptor and gives its number.
    pub fn from_owned(fd: OwnedFd) -> Fd {
        Fd(nodestd_sys::fd::insert(fd))
    }

    /// The OS descriptor number (Node's `fd`).
    pub fn as_raw(self) -> i32 {
        self.0
    }

    /// The number as an `Fd`, if the table holds it open.
    pub fn from_raw(n: i32) -> Option<Fd> {
        nodestd_sys::fd::contains(n).then_some(Fd(n))
    }

    /// Runs `f` with the descriptor; `EBADF` (with `syscall`) when it is not open.
    pub(crate) fn with<T>(
        self,
        syscall: &str,
        f: impl FnOnce(BorrowedFd<'_>) -> Result<T>,
    ) -> Result<T> {
        match nodestd_sys::fd::get(self.0) {
            Some(o) => f(o.as_fd()),
            None => Err(Error::from_errno(EBADF, syscall, None, None)),
        }
    }

    /// Removes the descriptor from the table (closing it once no operation uses it).
    pub(crate) fn take(self) -> Result<Arc<OwnedFd>> {
        nodestd_sys::fd::remove(self.0).ok_or_else(|| Error::from_errno(EBADF, "close", None, None))
    }
}

impl std::fmt::Display for Fd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
