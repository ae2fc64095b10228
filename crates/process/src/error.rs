//! [`ProcessError`]: the errors of `process` functions, with Node's `code`, `errno`, `syscall`
//! and message text, built from libuv's error table (`nodestd_sys::errno`).

use std::fmt;

use nodestd_sys::errno;

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

impl ProcessError {
    /// A system error as Node's `uvException` builds it: `CODE: description, syscall` plus
    /// `detail` (e.g. ` '/a' -> '/b'`) when given.
    pub(crate) fn uv(errno: i32, syscall: &'static str, detail: Option<String>) -> ProcessError {
        let (code, desc) = errno::code_message(errno);
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
        let (code, _) = errno::code_message(errno);
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
