//! Errors with Node's shape: `code`, `errno`, `syscall`, `path`, `dest` and Node's message.
//!
//! System errors come from one table, [`nodestd_sys::errno`]: libuv's names and messages as
//! Node v20 reports them (`util.getSystemErrorMap()`). Argument errors carry Node's `ERR_*` codes and message texts.

use std::fmt;
use std::path::Path;

/// libuv's name and message for a positive OS errno (`ENOENT`, `no such file or directory`).
/// Unknown numbers give `("UNKNOWN", "unknown error")`, as libuv does. The table is
/// [`nodestd_sys::errno`]'s.
pub fn uv_name_message(errno: i32) -> (&'static str, &'static str) {
    nodestd_sys::errno::code_message(errno)
}

/// An fs error, as Node's error object: `code`, `errno` (negative, for system errors),
/// `syscall`, `path`, `dest` and `message`.
///
/// ```
/// let e = nodestd_fs::read_file_sync("/no/such/file", Default::default()).unwrap_err();
/// assert_eq!(e.code(), "ENOENT");
/// assert_eq!(e.errno(), Some(-2));
/// assert_eq!(e.to_string(), "ENOENT: no such file or directory, open '/no/such/file'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Repr>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Repr {
    code: String,
    errno: Option<i32>,
    syscall: Option<String>,
    path: Option<String>,
    dest: Option<String>,
    message: String,
    kind: ErrorKind,
}

/// Which class of JavaScript error Node would throw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A system error (`Error` with `errno`/`syscall`).
    System,
    /// A `TypeError` (`ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`, …).
    Type,
    /// A `RangeError` (`ERR_OUT_OF_RANGE`, …).
    Range,
    /// A plain `Error` with a Node code (`ERR_FS_CP_*`, `ABORT_ERR`, …).
    Other,
}

/// `Result<T, fs::Error>`.
pub type Result<T> = std::result::Result<T, Error>;

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

impl Error {
    /// A system error from a positive OS errno, as Node's `uvException` builds it.
    pub fn from_errno(
        errno: i32,
        syscall: &str,
        path: Option<&Path>,
        dest: Option<&Path>,
    ) -> Error {
        let (code, msg) = uv_name_message(errno);
        let path = path.map(display);
        let dest = dest.map(display);
        let mut message = format!("{code}: {msg}, {syscall}");
        if let Some(p) = &path {
            message.push_str(&format!(" '{p}'"));
        }
        if let Some(d) = &dest {
            message.push_str(&format!(" -> '{d}'"));
        }
        Error(Box::new(Repr {
            code: code.to_owned(),
            errno: Some(-errno),
            syscall: Some(syscall.to_owned()),
            path,
            dest,
            message,
            kind: ErrorKind::System,
        }))
    }

    /// A system error from an `io::Error` (its raw OS errno; `EIO` when it has none).
    pub fn from_io(
        e: &std::io::Error,
        syscall: &str,
        path: Option<&Path>,
        dest: Option<&Path>,
    ) -> Error {
        Error::from_errno(e.raw_os_error().unwrap_or(5), syscall, path, dest)
    }

    /// An error with a Node `ERR_*` code and message.
    pub fn node(kind: ErrorKind, code: &str, message: impl Into<String>) -> Error {
        Error(Box::new(Repr {
            code: code.to_owned(),
            errno: None,
            syscall: None,
            path: None,
            dest: None,
            message: message.into(),
            kind,
        }))
    }

    /// Node's error for a method of a closed `FileHandle` (`fsCall`): code `EBADF`, the
    /// method's syscall, message `file closed`, and no errno.
    pub(crate) fn file_closed(syscall: &str) -> Error {
        Error(Box::new(Repr {
            code: "EBADF".to_owned(),
            errno: None,
            syscall: Some(syscall.to_owned()),
            path: None,
            dest: None,
            message: "file closed".to_owned(),
            kind: ErrorKind::Other,
        }))
    }

    /// `ERR_INVALID_ARG_VALUE`: `The argument 'name' is invalid. Received 'v'`-style.
    pub fn invalid_arg_value(name: &str, reason: &str, received: &str) -> Error {
        Error::node(
            ErrorKind::Type,
            "ERR_INVALID_ARG_VALUE",
            format!("The argument '{name}' {reason}. Received {received}"),
        )
    }

    /// `ERR_OUT_OF_RANGE`.
    pub fn out_of_range(name: &str, range: &str, received: &str) -> Error {
        Error::node(
            ErrorKind::Range,
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"{name}\" is out of range. It must be {range}. Received {received}"
            ),
        )
    }

    /// Node's `code` (`ENOENT`, `ERR_INVALID_ARG_VALUE`, …).
    pub fn code(&self) -> &str {
        &self.0.code
    }
    /// Node's negative errno, for system errors.
    pub fn errno(&self) -> Option<i32> {
        self.0.errno
    }
    /// The system call that failed (`open`, `mkdir`, …).
    pub fn syscall(&self) -> Option<&str> {
        self.0.syscall.as_deref()
    }
    /// The path the error is about.
    pub fn path(&self) -> Option<&str> {
        self.0.path.as_deref()
    }
    /// The second path (rename, link, symlink, copyfile).
    pub fn dest(&self) -> Option<&str> {
        self.0.dest.as_deref()
    }
    /// Node's message.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The JavaScript error class Node would use.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The same error with another syscall (Node reports some failures from a different call
    /// than the one the Rust code made).
    pub(crate) fn with_syscall(self, syscall: &str) -> Error {
        match self.0.errno {
            Some(e) => Error::from_errno(
                -e,
                syscall,
                self.0.path.as_deref().map(Path::new),
                self.0.dest.as_deref().map(Path::new),
            ),
            None => self,
        }
    }

    /// The OS errno (positive), for system errors.
    pub fn raw_os_error(&self) -> Option<i32> {
        self.0.errno.map(|e| -e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Error {}

/// The worker pool's own failure (a panicking job, no thread to run it) as an
/// `ERR_INTERNAL_ASSERTION` error: the sync cores do not panic; this keeps a bug from silently
/// dropping a callback or a promise.
impl From<nodestd_loop::WorkError> for Error {
    fn from(e: nodestd_loop::WorkError) -> Error {
        Error::node(
            ErrorKind::Other,
            "ERR_INTERNAL_ASSERTION",
            e.message().to_owned(),
        )
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        match e.raw_os_error() {
            Some(n) if n < 4000 => std::io::Error::from_raw_os_error(n),
            _ => std::io::Error::other(e),
        }
    }
}

/// Shorthand for building a system error from rustix's errno.
pub(crate) fn sys(e: rustix::io::Errno, syscall: &str, path: Option<&Path>) -> Error {
    Error::from_errno(e.raw_os_error(), syscall, path, None)
}

/// As [`sys`], with a destination.
pub(crate) fn sys2(e: rustix::io::Errno, syscall: &str, path: &Path, dest: &Path) -> Error {
    Error::from_errno(e.raw_os_error(), syscall, Some(path), Some(dest))
}

/// Node's `Received …` tail for a string value.
pub(crate) fn received_str(s: &str) -> String {
    format!("'{s}'")
}

/// Checks a path for NUL bytes (Node: `ERR_INVALID_ARG_VALUE`).
pub(crate) fn check_path(name: &str, p: &Path) -> Result<()> {
    let s = p.as_os_str().as_encoded_bytes();
    if s.contains(&0) {
        return Err(Error::node(
            ErrorKind::Type,
            "ERR_INVALID_ARG_VALUE",
            format!(
                "The argument '{name}' must be a string, Uint8Array, or URL without null bytes. Received {}",
                node_inspect_str(&p.to_string_lossy())
            ),
        ));
    }
    Ok(())
}

/// Node's `inspect` of a string in an error message (single quotes, `\x00` escapes).
pub(crate) fn node_inspect_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\0' => out.push_str("\\x00"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

impl Error {
    /// Node's `SystemError` (`ERR_FS_EISDIR`, `ERR_FS_CP_*`): `prefix: syscall returned CODE
    /// (message) path`, with a positive `errno` as Node gives these.
    pub(crate) fn system_node(
        code: &str,
        prefix: &str,
        syscall: &str,
        uv_code: &str,
        errno: i32,
        message: &str,
        path: &Path,
    ) -> Error {
        let path = display(path);
        Error(Box::new(Repr {
            code: code.to_owned(),
            errno: Some(errno),
            syscall: Some(syscall.to_owned()),
            message: format!("{prefix}: {syscall} returned {uv_code} ({message}) {path}"),
            path: Some(path),
            dest: None,
            kind: ErrorKind::Other,
        }))
    }
}
