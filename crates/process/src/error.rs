//! [`ProcessError`]: the errors of `process` functions, with Node's `code`, `errno`, `syscall`
//! and message text, and the libuv error table they are built from.

use std::fmt;

/// An error from a `process` function, shaped like Node's: a `code` (`ENOENT`,
/// `ERR_UNKNOWN_SIGNAL` …), for system errors the negative libuv `errno` and the `syscall`,
/// and Node's message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessError {
    code: String,
    errno: Option<i32>,
    syscall: Option<&'static str>,
    message: String,
}

/// libuv's name and description for an OS errno (`uv_err_name`, `uv_strerror`), for the
/// errors `chdir`, `kill` and friends can give, and running out of descriptors, memory or
/// threads when a loop or a thread is created.
fn uv_error(errno: i32) -> (&'static str, &'static str) {
    match errno {
        libc::EPERM => ("EPERM", "operation not permitted"),
        libc::ENOENT => ("ENOENT", "no such file or directory"),
        libc::ESRCH => ("ESRCH", "no such process"),
        libc::EIO => ("EIO", "i/o error"),
        libc::EBADF => ("EBADF", "bad file descriptor"),
        libc::ENOMEM => ("ENOMEM", "not enough memory"),
        libc::EACCES => ("EACCES", "permission denied"),
        libc::EFAULT => ("EFAULT", "bad address in system call argument"),
        libc::ENOTDIR => ("ENOTDIR", "not a directory"),
        libc::EINVAL => ("EINVAL", "invalid argument"),
        libc::ENAMETOOLONG => ("ENAMETOOLONG", "name too long"),
        libc::ELOOP => ("ELOOP", "too many symbolic links encountered"),
        libc::EAGAIN => ("EAGAIN", "resource temporarily unavailable"),
        libc::EMFILE => ("EMFILE", "too many open files"),
        libc::ENFILE => ("ENFILE", "file table overflow"),
        _ => ("UNKNOWN", "unknown error"),
    }
}

impl ProcessError {
    /// A system error as Node's `uvException` builds it: `CODE: description, syscall` plus
    /// `detail` (e.g. ` '/a' -> '/b'`) when given.
    pub(crate) fn uv(errno: i32, syscall: &'static str, detail: Option<String>) -> ProcessError {
        let (code, desc) = uv_error(errno);
        let mut message = format!("{code}: {desc}, {syscall}");
        if let Some(d) = detail {
            message.push(' ');
            message.push_str(&d);
        }
        ProcessError {
            code: code.to_string(),
            errno: Some(-errno),
            syscall: Some(syscall),
            message,
        }
    }

    /// A system error as Node's `ErrnoException` builds it: `syscall CODE` (what
    /// `process.kill` throws).
    pub(crate) fn errno_exception(errno: i32, syscall: &'static str) -> ProcessError {
        let (code, _) = uv_error(errno);
        ProcessError {
            code: code.to_string(),
            errno: Some(-errno),
            syscall: Some(syscall),
            message: format!("{syscall} {code}"),
        }
    }

    /// A Node `ERR_*` error.
    pub(crate) fn node(code: &'static str, message: String) -> ProcessError {
        ProcessError {
            code: code.to_string(),
            errno: None,
            syscall: None,
            message,
        }
    }

    /// Node's `code`: `ENOENT`, `ESRCH`, `ERR_UNKNOWN_SIGNAL` ….
    pub fn code(&self) -> &str {
        &self.code
    }

    /// Node's `errno` for system errors: the negated OS error number (`-2` for `ENOENT`).
    pub fn errno(&self) -> Option<i32> {
        self.errno
    }

    /// The failing system call (`chdir`, `kill`) for system errors.
    pub fn syscall(&self) -> Option<&str> {
        self.syscall
    }

    /// Node's message text.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProcessError {}
