//! The stream error: Node's `code` and message for each condition the stream machinery
//! raises, plus user errors (from `_write`, `_transform`, `destroy(err)` …) carried as they are.

use std::fmt;
use std::rc::Rc;

/// What went wrong. Each kind maps to one Node error code ([`Error::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_STREAM_PUSH_AFTER_EOF`: `push(chunk)` after `push(None)`.
    PushAfterEof,
    /// `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`: `unshift` after `end` was emitted.
    UnshiftAfterEndEvent,
    /// `ERR_STREAM_WRITE_AFTER_END`: `write` after `end`.
    WriteAfterEnd,
    /// `ERR_STREAM_DESTROYED`: an operation (`write`, `end`) on a destroyed stream.
    Destroyed,
    /// `ERR_STREAM_ALREADY_FINISHED`: `end` on a finished stream.
    AlreadyFinished,
    /// `ERR_STREAM_PREMATURE_CLOSE`: the stream closed before it ended or finished.
    PrematureClose,
    /// `ERR_MULTIPLE_CALLBACK`: a callback was called twice.
    MultipleCallback,
    /// `ERR_STREAM_NULL_VALUES`: a null chunk was written.
    NullValues,
    /// `ERR_INVALID_ARG_TYPE`: an argument of the wrong type.
    InvalidArgType,
    /// `ERR_METHOD_NOT_IMPLEMENTED`: `_read`, `_write` or `_transform` was not supplied.
    MethodNotImplemented,
    /// `ERR_STREAM_CANNOT_PIPE`: piping into a stream that is not writable.
    CannotPipe,
    /// `ERR_UNKNOWN_ENCODING`: `setEncoding` (or `push`/`unshift` of a string) with an
    /// encoding name Node does not know.
    UnknownEncoding,
    /// A user error (from an implementation callback or `destroy(err)`), with an optional
    /// code of its own.
    Other,
}

/// The error table: kind → Node's code.
const CODES: &[(ErrorKind, &str)] = &[
    (ErrorKind::PushAfterEof, "ERR_STREAM_PUSH_AFTER_EOF"),
    (
        ErrorKind::UnshiftAfterEndEvent,
        "ERR_STREAM_UNSHIFT_AFTER_END_EVENT",
    ),
    (ErrorKind::WriteAfterEnd, "ERR_STREAM_WRITE_AFTER_END"),
    (ErrorKind::Destroyed, "ERR_STREAM_DESTROYED"),
    (ErrorKind::AlreadyFinished, "ERR_STREAM_ALREADY_FINISHED"),
    (ErrorKind::PrematureClose, "ERR_STREAM_PREMATURE_CLOSE"),
    (ErrorKind::MultipleCallback, "ERR_MULTIPLE_CALLBACK"),
    (ErrorKind::NullValues, "ERR_STREAM_NULL_VALUES"),
    (ErrorKind::InvalidArgType, "ERR_INVALID_ARG_TYPE"),
    (
        ErrorKind::MethodNotImplemented,
        "ERR_METHOD_NOT_IMPLEMENTED",
    ),
    (ErrorKind::CannotPipe, "ERR_STREAM_CANNOT_PIPE"),
    (ErrorKind::UnknownEncoding, "ERR_UNKNOWN_ENCODING"),
];

struct Inner {
    kind: ErrorKind,
    code: Option<String>,
    message: String,
    source: Option<Box<dyn std::error::Error>>,
}

/// A stream error: cheap to clone (an `Rc`), since one error reaches the `error` event, the
/// pending write callbacks, `finished` and `pipeline` alike, as one JavaScript `Error` object
/// does in Node. Two clones of one error are [`Error::same`].
#[derive(Clone)]
pub struct Error(Rc<Inner>);

impl Error {
    pub(crate) fn of(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Rc::new(Inner {
            kind,
            code: None,
            message: message.into(),
            source: None,
        }))
    }

    pub(crate) fn push_after_eof() -> Error {
        Error::of(ErrorKind::PushAfterEof, "stream.push() after EOF")
    }
    pub(crate) fn unshift_after_end() -> Error {
        Error::of(
            ErrorKind::UnshiftAfterEndEvent,
            "stream.unshift() after end event",
        )
    }
    pub(crate) fn write_after_end() -> Error {
        Error::of(ErrorKind::WriteAfterEnd, "write after end")
    }
    pub(crate) fn destroyed(op: &str) -> Error {
        Error::of(
            ErrorKind::Destroyed,
            format!("Cannot call {op} after a stream was destroyed"),
        )
    }
    pub(crate) fn already_finished(op: &str) -> Error {
        Error::of(
            ErrorKind::AlreadyFinished,
            format!("Cannot call {op} after a stream was finished"),
        )
    }
    pub(crate) fn premature_close() -> Error {
        Error::of(ErrorKind::PrematureClose, "Premature close")
    }
    pub(crate) fn unknown_encoding(name: &str) -> Error {
        Error::of(
            ErrorKind::UnknownEncoding,
            format!("Unknown encoding: {name}"),
        )
    }
    pub(crate) fn not_implemented(method: &str) -> Error {
        Error::of(
            ErrorKind::MethodNotImplemented,
            format!("The {method} method is not implemented"),
        )
    }

    /// A user error with Node's plain `new Error(message)` shape (no code).
    ///
    /// ```
    /// let e = nodestd_stream::Error::new("boom");
    /// assert_eq!(e.message(), "boom");
    /// assert_eq!(e.code(), None);
    /// ```
    pub fn new(message: impl Into<String>) -> Error {
        Error::of(ErrorKind::Other, message)
    }

    /// A user error with a code of its own (`ENOENT`, `Z_DATA_ERROR` …).
    ///
    /// ```
    /// let e = nodestd_stream::Error::with_code("ENOENT", "no such file");
    /// assert_eq!(e.code(), Some("ENOENT"));
    /// ```
    pub fn with_code(code: impl Into<String>, message: impl Into<String>) -> Error {
        Error(Rc::new(Inner {
            kind: ErrorKind::Other,
            code: Some(code.into()),
            message: message.into(),
            source: None,
        }))
    }

    /// Wraps another error (an `io::Error`, a crate's own error type): the message is its
    /// `Display`; [`Error::downcast_ref`] gives it back.
    ///
    /// ```
    /// let io = std::io::Error::new(std::io::ErrorKind::Other, "disk");
    /// let e = nodestd_stream::Error::from_error(io);
    /// assert_eq!(e.message(), "disk");
    /// assert!(e.downcast_ref::<std::io::Error>().is_some());
    /// ```
    pub fn from_error(err: impl std::error::Error + 'static) -> Error {
        Error(Rc::new(Inner {
            kind: ErrorKind::Other,
            code: None,
            message: err.to_string(),
            source: Some(Box::new(err)),
        }))
    }

    /// Like [`Error::from_error`] with a code.
    pub fn from_error_with_code(
        code: impl Into<String>,
        err: impl std::error::Error + 'static,
    ) -> Error {
        Error(Rc::new(Inner {
            kind: ErrorKind::Other,
            code: Some(code.into()),
            message: err.to_string(),
            source: Some(Box::new(err)),
        }))
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Node's `err.code`: the stream codes, or a user error's own code.
    pub fn code(&self) -> Option<&str> {
        if let Some(c) = &self.0.code {
            return Some(c);
        }
        CODES
            .iter()
            .find(|(k, _)| *k == self.0.kind)
            .map(|(_, c)| *c)
    }

    /// Node's `err.message`.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The wrapped error of [`Error::from_error`], if it is an `E`.
    pub fn downcast_ref<E: std::error::Error + 'static>(&self) -> Option<&E> {
        self.0.source.as_ref().and_then(|s| s.downcast_ref::<E>())
    }

    /// Whether `self` and `other` are clones of one error (JavaScript's `===`).
    pub fn same(&self, other: &Error) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.code())
            .field("message", &self.0.message)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(c) => write!(f, "{} [{c}]", self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref()
    }
}
