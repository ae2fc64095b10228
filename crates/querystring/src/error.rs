//! The crate's error: Node's `code`, Node's message and the JavaScript constructor, from one
//! table.

use std::fmt;

/// One row per error this module can raise: kind, Node's `code`, Node's message, the JavaScript
/// error class Node throws.
macro_rules! error_table {
    ($($(#[$doc:meta])* $kind:ident => ($code:literal, $message:literal, $name:literal),)*) => {
        /// Which of Node's errors this is. New kinds may be added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* $kind,)*
        }

        impl ErrorKind {
            /// Node's `code` for this kind, e.g. `ERR_INVALID_URI`.
            pub fn code(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $code,)*
                }
            }

            /// Node's message text for this kind, e.g. `URI malformed`.
            pub fn message(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $message,)*
                }
            }

            /// The JavaScript constructor Node throws, e.g. `URIError`.
            pub fn js_name(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => $name,)*
                }
            }
        }
    };
}

error_table! {
    /// `ERR_INVALID_URI`: a lone UTF-16 surrogate at the end of a string that `escape` (and so
    /// `stringify`) must percent-encode.
    InvalidUri => ("ERR_INVALID_URI", "URI malformed", "URIError"),
    /// A `URIError` without a code: `decodeURIComponent` met a malformed `%` sequence or
    /// percent-encoded bytes that are not UTF-8. The `code` given is the constructor name,
    /// `URIError`, as the conformance records write it.
    UriError => ("URIError", "URI malformed", "URIError"),
}

/// An error with Node's `code` and message.
///
/// ```
/// let err = nodestd_querystring::escape_utf16(&[0x61, 0xD800]).unwrap_err();
/// assert_eq!(err.code(), "ERR_INVALID_URI");
/// assert_eq!(err.to_string(), "URI malformed");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
}

impl Error {
    /// An error of `kind`.
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `code`, e.g. `ERR_INVALID_URI`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Node's message text, e.g. `URI malformed`.
    pub fn message(&self) -> &'static str {
        self.kind.message()
    }

    /// The JavaScript constructor Node throws, e.g. `URIError`.
    pub fn js_name(&self) -> &'static str {
        self.kind.js_name()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}
