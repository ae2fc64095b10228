//! The crate's error: Node's `code` and message, from one table.

use std::fmt;

/// Which of Node's errors this is. New kinds may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_INVALID_ARG_TYPE`: an argument of the wrong type.
    InvalidArgType,
    /// `ERR_INVALID_ARG_VALUE`: an argument of the right type but a bad value.
    InvalidArgValue,
    /// `ERR_INVALID_URL`: the input is not a valid URL.
    InvalidUrl,
    /// `ERR_INVALID_URL_SCHEME`: e.g. `fileURLToPath` on a non-`file:` URL.
    InvalidUrlScheme,
    /// `ERR_INVALID_FILE_URL_HOST`: a `file:` URL with a host on POSIX.
    InvalidFileUrlHost,
    /// `ERR_INVALID_FILE_URL_PATH`: a `file:` URL whose path cannot be a file path.
    InvalidFileUrlPath,
    /// `ERR_MISSING_ARGS`.
    MissingArgs,
    /// `URIError` (no code): a malformed percent-encoding where Node calls `decodeURIComponent`.
    UriError,
    /// `ERR_INVALID_URI`: a string that cannot be percent-encoded (Node's `encodeStr`).
    InvalidUri,
    /// `TypeError` (no code): e.g. `url.format` on an object whose `protocol` is a number.
    TypeError,
}

impl ErrorKind {
    /// Node's `code` for this kind (the constructor name for errors without one).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgType => "ERR_INVALID_ARG_TYPE",
            ErrorKind::InvalidArgValue => "ERR_INVALID_ARG_VALUE",
            ErrorKind::InvalidUrl => "ERR_INVALID_URL",
            ErrorKind::InvalidUrlScheme => "ERR_INVALID_URL_SCHEME",
            ErrorKind::InvalidFileUrlHost => "ERR_INVALID_FILE_URL_HOST",
            ErrorKind::InvalidFileUrlPath => "ERR_INVALID_FILE_URL_PATH",
            ErrorKind::MissingArgs => "ERR_MISSING_ARGS",
            ErrorKind::UriError => "URIError",
            ErrorKind::InvalidUri => "ERR_INVALID_URI",
            ErrorKind::TypeError => "TypeError",
        }
    }
}

/// An error with Node's `code` and Node's message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    input: Option<(String, Option<String>)>,
}

impl Error {
    /// An error of `kind` with Node's `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            input: None,
        }
    }

    /// `ERR_INVALID_URL` for `new URL(input, base)`, carrying both as Node's error does.
    pub(crate) fn invalid_url(input: &str, base: Option<&str>) -> Error {
        Error {
            input: Some((input.to_owned(), base.map(str::to_owned))),
            ..Error::new(ErrorKind::InvalidUrl, "Invalid URL")
        }
    }

    /// Node's `error.input`: the string that failed to parse as a URL (for `ERR_INVALID_URL`
    /// from the WHATWG parser), `None` otherwise.
    ///
    /// ```
    /// let err = nodestd_url::URL::parse("x", Some("nope")).unwrap_err();
    /// assert_eq!((err.input(), err.base()), (Some("x"), Some("nope")));
    /// ```
    pub fn input(&self) -> Option<&str> {
        self.input.as_ref().map(|(input, _)| input.as_str())
    }

    /// Node's `error.base`: the base given with the input that failed to parse, if any.
    pub fn base(&self) -> Option<&str> {
        self.input.as_ref().and_then(|(_, base)| base.as_deref())
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `code`, e.g. `ERR_INVALID_URL`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Node's message text.
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
