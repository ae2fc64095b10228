//! dns's error: Node's `code`, `errno`, `syscall`, `hostname` and message, as
//! `dnsException` in `lib/internal/errors.js` builds them, plus Node's argument errors.

use std::fmt;

/// A dns error as Node reports it.
///
/// System errors are built like Node's `dnsException`: for a getaddrinfo/getnameinfo failure
/// `errno` is libuv's negative `UV_EAI_*` number and `EAI_NONAME`/`EAI_NODATA` read
/// `ENOTFOUND`; for a c-ares failure `errno` is `None` and `code` is c-ares' name
/// (`ENODATA`, `ESERVFAIL`, ...). Argument errors have a `code` such as
/// `ERR_INVALID_ARG_VALUE` and no syscall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: String,
    errno: Option<i32>,
    syscall: Option<String>,
    hostname: Option<String>,
    message: String,
}

impl Error {
    /// Node's `dnsException(code, syscall, hostname)` for a c-ares code such as `ENODATA`.
    pub fn cares(code: &str, syscall: &str, hostname: &str) -> Error {
        Error::system(code.to_string(), None, syscall, hostname)
    }

    /// Node's `dnsException(errno, syscall, hostname)` for libuv's negative number.
    pub fn uv(errno: i32, syscall: &str, hostname: &str) -> Error {
        let code = if errno == -3007 || errno == -3008 {
            "ENOTFOUND".to_string()
        } else {
            nodestd_sys::errno::code_message(-errno).0.to_string()
        };
        Error::system(code, Some(errno), syscall, hostname)
    }

    fn system(code: String, errno: Option<i32>, syscall: &str, hostname: &str) -> Error {
        let message = if hostname.is_empty() {
            format!("{syscall} {code}")
        } else {
            format!("{syscall} {code} {hostname}")
        };
        Error {
            code,
            errno,
            syscall: Some(syscall.to_string()),
            hostname: (!hostname.is_empty()).then(|| hostname.to_string()),
            message,
        }
    }

    /// A Node argument error (`ERR_INVALID_ARG_VALUE`, ...) with Node's message.
    pub fn arg(code: &str, message: String) -> Error {
        Error {
            code: code.to_string(),
            errno: None,
            syscall: None,
            hostname: None,
            message,
        }
    }

    /// Node's `ERR_INVALID_ARG_VALUE` for argument `name` with the value shown as `shown`.
    pub(crate) fn invalid_arg(name: &str, shown: &str) -> Error {
        let kind = if name.contains('.') {
            "property"
        } else {
            "argument"
        };
        Error::arg(
            "ERR_INVALID_ARG_VALUE",
            format!("The {kind} '{name}' is invalid. Received {shown}"),
        )
    }

    /// `err.code`.
    pub fn code(&self) -> &str {
        &self.code
    }
    /// `err.errno`, when it is a number.
    pub fn errno(&self) -> Option<i32> {
        self.errno
    }
    /// `err.syscall`.
    pub fn syscall(&self) -> Option<&str> {
        self.syscall.as_deref()
    }
    /// `err.hostname` (absent when Node leaves it undefined, as for an empty name).
    pub fn hostname(&self) -> Option<&str> {
        self.hostname.as_deref()
    }
    /// `err.message`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<nodestd_loop::WorkError> for Error {
    fn from(e: nodestd_loop::WorkError) -> Error {
        Error::arg("ERR_INTERNAL_ASSERTION", e.to_string())
    }
}

/// Node's `inspect` of a string argument in an error message (`'x'`).
pub(crate) fn shown_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}
