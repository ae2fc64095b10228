//! The buffer error: Node's `code` and exact message for each condition Buffer raises.

use std::fmt;

/// What went wrong. Each kind maps to one Node error code ([`Error::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_OUT_OF_RANGE`: an offset, length or value outside what the call accepts.
    OutOfRange,
    /// `ERR_BUFFER_OUT_OF_BOUNDS`: the buffer is too short for the access at all.
    BufferOutOfBounds,
    /// `ERR_UNKNOWN_ENCODING`: an encoding name Node does not know.
    UnknownEncoding,
    /// `ERR_INVALID_ARG_VALUE`: e.g. `fill` with a value that encodes to no bytes.
    InvalidArgValue,
    /// `ERR_INVALID_BUFFER_SIZE`: `swap16/32/64` on a length that is no multiple of the width.
    InvalidBufferSize,
}

/// The one table: kind → Node's code.
const CODES: &[(ErrorKind, &str)] = &[
    (ErrorKind::OutOfRange, "ERR_OUT_OF_RANGE"),
    (ErrorKind::BufferOutOfBounds, "ERR_BUFFER_OUT_OF_BOUNDS"),
    (ErrorKind::UnknownEncoding, "ERR_UNKNOWN_ENCODING"),
    (ErrorKind::InvalidArgValue, "ERR_INVALID_ARG_VALUE"),
    (ErrorKind::InvalidBufferSize, "ERR_INVALID_BUFFER_SIZE"),
];

/// A Buffer error with Node's code and message.
///
/// ```
/// use nodestd_buffer::{Buffer, BufferExt};
/// let e = Buffer::alloc(4).read_uint32_le(1).unwrap_err();
/// assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
/// assert_eq!(
///     e.to_string(),
///     "The value of \"offset\" is out of range. It must be >= 0 and <= 0. Received 1"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error of `kind` with `message`.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// `ERR_OUT_OF_RANGE`: `The value of "name" is out of range. It must be range. Received x`.
    pub(crate) fn out_of_range(name: &str, range: &str, received: &str) -> Error {
        Error::new(
            ErrorKind::OutOfRange,
            format!(
                "The value of \"{name}\" is out of range. It must be {range}. Received {received}"
            ),
        )
    }

    /// `ERR_BUFFER_OUT_OF_BOUNDS` with Node's message for an access (no name given).
    pub(crate) fn buffer_out_of_bounds() -> Error {
        Error::new(
            ErrorKind::BufferOutOfBounds,
            "Attempt to access memory outside buffer bounds",
        )
    }

    /// `ERR_UNKNOWN_ENCODING`: `Unknown encoding: name`.
    pub(crate) fn unknown_encoding(name: &str) -> Error {
        Error::new(
            ErrorKind::UnknownEncoding,
            format!("Unknown encoding: {name}"),
        )
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `code` (`ERR_OUT_OF_RANGE` …).
    pub fn code(&self) -> &'static str {
        CODES
            .iter()
            .find(|(k, _)| *k == self.kind)
            .map_or("ERR_OUT_OF_RANGE", |(_, c)| c)
    }

    /// Node's message.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_code() {
        for k in [
            ErrorKind::OutOfRange,
            ErrorKind::BufferOutOfBounds,
            ErrorKind::UnknownEncoding,
            ErrorKind::InvalidArgValue,
            ErrorKind::InvalidBufferSize,
        ] {
            assert!(CODES.iter().any(|(c, _)| *c == k), "{k:?}");
        }
    }
}
