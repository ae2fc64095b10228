//! Node's integer file descriptors without `unsafe`: an [`Fd`] is the OS descriptor's number,
//! and a process-wide table owns the descriptor until [`crate::close_sync`] removes it.
//!
//! An operation looks the number up (cloning an `Arc`), so a descriptor closed by one thread
//! while another reads it stays open until that read ends; a number that is not in the table
//! is `EBADF`, as it is for Node.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, BorrowedFd, OwnedFd};
use std::sync::{Arc, Mutex, OnceLock};

use crate::errors::{Error, Result};

/// A file descriptor as Node hands it out: a number, valid until closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fd(i32);

fn table() -> &'static Mutex<HashMap<i32, Arc<OwnedFd>>> {
    static T: OnceLock<Mutex<HashMap<i32, Arc<OwnedFd>>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(HashMap::new()))
}

fn lock() -> std::sync::MutexGuard<'static, HashMap<i32, Arc<OwnedFd>>> {
    table().lock().unwrap_or_else(|p| p.into_inner())
}

impl Fd {
    /// Takes ownership of an open descriptor and gives its number.
    pub fn from_owned(fd: OwnedFd) -> Fd {
        let n = fd.as_raw_fd();
        lock().insert(n, Arc::new(fd));
        Fd(n)
    }

    /// The OS descriptor number (Node's `fd`).
    pub fn as_raw(self) -> i32 {
        self.0
    }

    /// The number as an `Fd`, if this table holds it open.
    pub fn from_raw(n: i32) -> Option<Fd> {
        lock().contains_key(&n).then_some(Fd(n))
    }

    /// Runs `f` with the descriptor; `EBADF` (with `syscall`) when it is not open.
    pub(crate) fn with<T>(
        self,
        syscall: &str,
        f: impl FnOnce(BorrowedFd<'_>) -> Result<T>,
    ) -> Result<T> {
        let owned = lock().get(&self.0).cloned();
        match owned {
            Some(o) => {
                use std::os::fd::AsFd;
                f(o.as_fd())
            }
            None => Err(Error::from_errno(libc_ebadf(), syscall, None, None)),
        }
    }

    /// Removes the descriptor from the table (closing it once no operation uses it).
    pub(crate) fn take(self) -> Result<Arc<OwnedFd>> {
        lock()
            .remove(&self.0)
            .ok_or_else(|| Error::from_errno(libc_ebadf(), "close", None, None))
    }
}

const fn libc_ebadf() -> i32 {
    9
}

impl std::fmt::Display for Fd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
