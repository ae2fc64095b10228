//! Node's net errors: `code`, `errno`, `syscall`, `address`, `port` and Node's exact message,
//! in the three shapes of `lib/internal/errors.js` that `net.js` uses.
//!
//! Codes and messages come from nodestd-sys's errno table (libuv's, recorded from node).

use std::fmt;
use std::io;

/// `(code, libuv message)` of a positive errno, from nodestd-sys's one table (`UNKNOWN`,
/// `unknown error` for a number libuv does not know, as Node's `uvErrmapGet` fallback).
fn uv_errname(errno: i32) -> (String, String) {
    let (code, message) = nodestd_sys::errno::code_message(errno);
    (code.to_owned(), message.to_owned())
}

/// A `net` error, as Node builds it: `err.code`, `err.errno` (negative, libuv's), `err.syscall`,
/// `err.address`, `err.port` and `err.message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError {
    code: String,
    errno: Option<i32>,
    syscall: Option<String>,
    address: Option<String>,
    port: Option<i32>,
    message: String,
}

impl NetError {
    /// Node's `ErrnoException(err, syscall)`: `"read ECONNRESET"`.
    pub fn errno(errno: i32, syscall: &str) -> NetError {
        let (code, _) = uv_errname(errno);
        NetError {
            message: format!("{syscall} {code}"),
            code,
            errno: Some(-errno),
            syscall: Some(syscall.to_owned()),
            address: None,
            port: None,
        }
    }

    /// Node's `ExceptionWithHostPort(err, syscall, address, port)`:
    /// `"connect ECONNREFUSED 127.0.0.1:1"` (a port of 0, -1 or none prints the address
    /// alone).
    pub fn with_host_port(errno: i32, syscall: &str, address: &str, port: Option<i32>) -> NetError {
        let mut e = NetError::errno(errno, syscall);
        let details = details(address, port);
        if !details.is_empty() {
            e.message = format!("{} {details}", e.message);
        }
        e.address = Some(address.to_owned());
        e.port = port.filter(|&p| p != 0);
        e
    }

    /// Node's `UVExceptionWithHostPort(err, syscall, address, port)`:
    /// `"listen EADDRINUSE: address already in use 127.0.0.1:8080"`.
    pub fn uv_with_host_port(
        errno: i32,
        syscall: &str,
        address: &str,
        port: Option<i32>,
    ) -> NetError {
        let (code, uvmsg) = uv_errname(errno);
        let mut message = format!("{syscall} {code}: {uvmsg}");
        let details = details(address, port);
        if !details.is_empty() {
            message = format!("{message} {details}");
        }
        NetError {
            code,
            errno: Some(-errno),
            syscall: Some(syscall.to_owned()),
            address: Some(address.to_owned()),
            port: port.filter(|&p| p != 0),
            message,
        }
    }

    /// A Node error without an errno (`ERR_SERVER_NOT_RUNNING`, `ERR_SOCKET_CLOSED` …).
    pub fn code_only(code: &str, message: &str) -> NetError {
        NetError {
            code: code.to_owned(),
            errno: None,
            syscall: None,
            address: None,
            port: None,
            message: message.to_owned(),
        }
    }

    /// `ERR_SERVER_NOT_RUNNING`.
    pub fn server_not_running() -> NetError {
        NetError::code_only("ERR_SERVER_NOT_RUNNING", "Server is not running.")
    }

    /// `ERR_SERVER_ALREADY_LISTEN`.
    pub fn server_already_listen() -> NetError {
        NetError::code_only(
            "ERR_SERVER_ALREADY_LISTEN",
            "Listen method has been called more than once without closing.",
        )
    }

    /// `ERR_SOCKET_CLOSED`.
    pub fn socket_closed() -> NetError {
        NetError::code_only("ERR_SOCKET_CLOSED", "Socket is closed")
    }

    /// `err.code`.
    pub fn code(&self) -> &str {
        &self.code
    }
    /// `err.errno`: libuv's negative number (`-111` for ECONNREFUSED), `None` for coded
    /// errors without one.
    pub fn errno_value(&self) -> Option<i32> {
        self.errno
    }
    /// `err.syscall`.
    pub fn syscall(&self) -> Option<&str> {
        self.syscall.as_deref()
    }
    /// `err.address`.
    pub fn address(&self) -> Option<&str> {
        self.address.as_deref()
    }
    /// `err.port`: absent for 0 and for a Unix path's `connect`; -1 for a Unix path's
    /// `listen` (Node's port of a pipe), as in Node.
    pub fn port(&self) -> Option<i32> {
        self.port
    }
    /// `err.message`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The stream error carrying this one (for the socket's `error` event and callbacks);
    /// `downcast_ref::<NetError>()` gives it back.
    pub fn into_stream_error(self) -> nodestd_stream::Error {
        let code = self.code.clone();
        nodestd_stream::Error::from_error_with_code(code, self)
    }

    /// The `NetError` inside a stream error, if it is one.
    pub fn from_stream_error(e: &nodestd_stream::Error) -> Option<&NetError> {
        e.downcast_ref::<NetError>()
    }
}

fn details(address: &str, port: Option<i32>) -> String {
    match port {
        Some(p) if p > 0 => format!("{address}:{p}"),
        _ => address.to_owned(),
    }
}

/// The positive errno of an I/O error (EIO when it has none).
pub(crate) fn os_errno(e: &io::Error) -> i32 {
    e.raw_os_error().unwrap_or(5)
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_shapes_print_as_node_prints_them() {
        assert_eq!(NetError::errno(104, "read").message(), "read ECONNRESET");
        let e = NetError::with_host_port(111, "connect", "127.0.0.1", Some(1));
        assert_eq!(e.message(), "connect ECONNREFUSED 127.0.0.1:1");
        assert_eq!(e.errno_value(), Some(-111));
        let e = NetError::uv_with_host_port(98, "listen", "127.0.0.1", Some(8080));
        assert_eq!(
            e.message(),
            "listen EADDRINUSE: address already in use 127.0.0.1:8080"
        );
        let e = NetError::with_host_port(2, "connect", "/tmp/x.sock", None);
        assert_eq!(e.message(), "connect ENOENT /tmp/x.sock");
        assert_eq!(e.port(), None);
    }
}
