//! The error type: Node's `code`, its `errno` where Node sets one, and Node's message text.
//!
//! Every code comes from one table ([`ErrorKind`]): the kind gives the `code`, the `errno` and
//! the JavaScript error class; the message is Node's text for the particular failure.

use std::fmt;

/// An error from a zlib or brotli call, shaped like the JavaScript error Node throws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong, as a matchable value.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `error.code`: `Z_DATA_ERROR`, `ERR_OUT_OF_RANGE`, `ERR__ERROR_FORMAT_PADDING_1` …
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Node's `error.errno`: the zlib return code (`Z_DATA_ERROR` is -3) or the brotli decoder
    /// error code; `None` for argument errors, which have no `errno` in Node.
    pub fn errno(&self) -> Option<i32> {
        self.kind.errno()
    }

    /// Node's `error.message`, e.g. `"incorrect header check"` or `"unexpected end of file"`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The JavaScript class Node throws: `"Error"`, `"RangeError"` or `"TypeError"`.
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    pub(crate) fn out_of_range(name: &str, range: &str, received: &str) -> Error {
        Error::new(
            ErrorKind::OutOfRange,
            format!(
                "The value of \"{name}\" is out of range. It must be {range}. Received {received}"
            ),
        )
    }

    pub(crate) fn buffer_too_large(max: u64) -> Error {
        Error::new(
            ErrorKind::BufferTooLarge,
            format!("Cannot create a Buffer larger than {max} bytes"),
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]: {}", self.name(), self.code(), self.message)
    }
}

impl std::error::Error for Error {}

macro_rules! brotli_errors {
    ($($variant:ident = $errno:literal => $code:literal,)*) => {
        /// A brotli decoder failure: `BrotliDecoderErrorCode`, reported by Node as
        /// `"ERR_" + BrotliDecoderErrorString(code)` (hence the two underscores).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs)]
        pub enum BrotliDecoderError {
            $($variant,)*
        }

        impl BrotliDecoderError {
            /// Node's `code` for this failure.
            pub fn code(self) -> &'static str {
                match self { $(BrotliDecoderError::$variant => $code,)* }
            }

            /// The brotli decoder's (negative) error number, Node's `errno`.
            pub fn errno(self) -> i32 {
                match self { $(BrotliDecoderError::$variant => $errno,)* }
            }

            /// The error for a brotli decoder error number, if it is one.
            pub fn from_errno(errno: i32) -> Option<BrotliDecoderError> {
                match errno { $($errno => Some(BrotliDecoderError::$variant),)* _ => None }
            }
        }
    };
}

brotli_errors! {
    FormatExuberantNibble = -1 => "ERR__ERROR_FORMAT_EXUBERANT_NIBBLE",
    FormatReserved = -2 => "ERR__ERROR_FORMAT_RESERVED",
    FormatExuberantMetaNibble = -3 => "ERR__ERROR_FORMAT_EXUBERANT_META_NIBBLE",
    FormatSimpleHuffmanAlphabet = -4 => "ERR__ERROR_FORMAT_SIMPLE_HUFFMAN_ALPHABET",
    FormatSimpleHuffmanSame = -5 => "ERR__ERROR_FORMAT_SIMPLE_HUFFMAN_SAME",
    FormatClSpace = -6 => "ERR__ERROR_FORMAT_CL_SPACE",
    FormatHuffmanSpace = -7 => "ERR__ERROR_FORMAT_HUFFMAN_SPACE",
    FormatContextMapRepeat = -8 => "ERR__ERROR_FORMAT_CONTEXT_MAP_REPEAT",
    FormatBlockLength1 = -9 => "ERR__ERROR_FORMAT_BLOCK_LENGTH_1",
    FormatBlockLength2 = -10 => "ERR__ERROR_FORMAT_BLOCK_LENGTH_2",
    FormatTransform = -11 => "ERR__ERROR_FORMAT_TRANSFORM",
    FormatDictionary = -12 => "ERR__ERROR_FORMAT_DICTIONARY",
    FormatWindowBits = -13 => "ERR__ERROR_FORMAT_WINDOW_BITS",
    FormatPadding1 = -14 => "ERR__ERROR_FORMAT_PADDING_1",
    FormatPadding2 = -15 => "ERR__ERROR_FORMAT_PADDING_2",
    FormatDistance = -16 => "ERR__ERROR_FORMAT_DISTANCE",
    FormatBlockSwitch = -17 => "ERR__ERROR_FORMAT_BLOCK_SWITCH",
    CompoundDictionary = -18 => "ERR__ERROR_COMPOUND_DICTIONARY",
    DictionaryNotSet = -19 => "ERR__ERROR_DICTIONARY_NOT_SET",
    InvalidArguments = -20 => "ERR__ERROR_INVALID_ARGUMENTS",
    AllocContextModes = -21 => "ERR__ERROR_ALLOC_CONTEXT_MODES",
    AllocTreeGroups = -22 => "ERR__ERROR_ALLOC_TREE_GROUPS",
    AllocContextMap = -25 => "ERR__ERROR_ALLOC_CONTEXT_MAP",
    AllocRingBuffer1 = -26 => "ERR__ERROR_ALLOC_RING_BUFFER_1",
    AllocRingBuffer2 = -27 => "ERR__ERROR_ALLOC_RING_BUFFER_2",
    AllocBlockTypeTrees = -30 => "ERR__ERROR_ALLOC_BLOCK_TYPE_TREES",
    Unreachable = -31 => "ERR__ERROR_UNREACHABLE",
}

/// The kinds of failure, each with Node's `code`, `errno` and error class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_INVALID_ARG_TYPE` (TypeError): an argument or option of the wrong type.
    InvalidArgType,
    /// `ERR_OUT_OF_RANGE` (RangeError): an option or argument outside Node's bounds.
    OutOfRange,
    /// `ERR_BROTLI_INVALID_PARAM` (RangeError): a brotli parameter key Node does not know.
    BrotliInvalidParam,
    /// `ERR_BUFFER_TOO_LARGE` (RangeError): the output passed `maxOutputLength`.
    BufferTooLarge,
    /// `ERR_ZLIB_INITIALIZATION_FAILED`: the engine refused a parameter (brotli).
    InitializationFailed,
    /// `ERR_BROTLI_COMPRESSION_FAILED` (errno -1): the brotli encoder failed.
    BrotliCompressionFailed,
    /// `Z_NEED_DICT` (errno 2): a dictionary is missing or wrong.
    NeedDict,
    /// `Z_STREAM_ERROR` (errno -2).
    StreamError,
    /// `Z_DATA_ERROR` (errno -3): corrupt input.
    DataError,
    /// `Z_MEM_ERROR` (errno -4).
    MemError,
    /// `Z_BUF_ERROR` (errno -5): truncated input ("unexpected end of file").
    BufError,
    /// A brotli decoder failure (`ERR__ERROR_FORMAT_…`, errno the decoder's code).
    Brotli(BrotliDecoderError),
    /// `ERR_NODESTD_WORKER_FAILED`, this crate's own: a worker-pool task ended without a
    /// result (it panicked, or the loop dropped it). Node has no such error.
    WorkerFailed,
}

impl ErrorKind {
    /// Node's `code`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgType => "ERR_INVALID_ARG_TYPE",
            ErrorKind::OutOfRange => "ERR_OUT_OF_RANGE",
            ErrorKind::BrotliInvalidParam => "ERR_BROTLI_INVALID_PARAM",
            ErrorKind::BufferTooLarge => "ERR_BUFFER_TOO_LARGE",
            ErrorKind::InitializationFailed => "ERR_ZLIB_INITIALIZATION_FAILED",
            ErrorKind::BrotliCompressionFailed => "ERR_BROTLI_COMPRESSION_FAILED",
            ErrorKind::NeedDict => "Z_NEED_DICT",
            ErrorKind::StreamError => "Z_STREAM_ERROR",
            ErrorKind::DataError => "Z_DATA_ERROR",
            ErrorKind::MemError => "Z_MEM_ERROR",
            ErrorKind::BufError => "Z_BUF_ERROR",
            ErrorKind::Brotli(b) => b.code(),
            ErrorKind::WorkerFailed => "ERR_NODESTD_WORKER_FAILED",
        }
    }

    /// Node's `errno`, where Node sets one.
    pub fn errno(self) -> Option<i32> {
        match self {
            ErrorKind::InvalidArgType
            | ErrorKind::OutOfRange
            | ErrorKind::BrotliInvalidParam
            | ErrorKind::BufferTooLarge
            | ErrorKind::InitializationFailed
            | ErrorKind::WorkerFailed => None,
            ErrorKind::BrotliCompressionFailed => Some(-1),
            ErrorKind::NeedDict => Some(2),
            ErrorKind::StreamError => Some(-2),
            ErrorKind::DataError => Some(-3),
            ErrorKind::MemError => Some(-4),
            ErrorKind::BufError => Some(-5),
            ErrorKind::Brotli(b) => Some(b.errno()),
        }
    }

    /// The JavaScript error class.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgType => "TypeError",
            ErrorKind::OutOfRange | ErrorKind::BrotliInvalidParam | ErrorKind::BufferTooLarge => {
                "RangeError"
            }
            _ => "Error",
        }
    }
}

/// The worker pool's own failures (a panicking job, no worker thread could be started) as
/// [`ErrorKind::WorkerFailed`]: the asynchronous forms run on [`nodestd_loop::work`].
impl From<nodestd_loop::WorkError> for Error {
    fn from(e: nodestd_loop::WorkError) -> Error {
        Error::new(
            ErrorKind::WorkerFailed,
            format!("the worker-pool task failed: {}", e.message()),
        )
    }
}

/// JavaScript's `String(number)` as Node's `inspect` shows it in error messages, with Node's
/// `_` separators for integers beyond 2^32 (`8_589_934_592`).
pub(crate) fn js_received(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 && n.is_sign_negative() {
        return "-0".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e21 {
        let digits = format!("{:.0}", n.abs());
        let sign = if n < 0.0 { "-" } else { "" };
        if n.abs() > 4_294_967_296.0 {
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push('_');
                }
                grouped.push(c);
            }
            return format!("{sign}{grouped}");
        }
        return format!("{sign}{digits}");
    }
    format!("{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn received_numbers_read_like_node() {
        assert_eq!(js_received(10.0), "10");
        assert_eq!(js_received(-1.0), "-1");
        assert_eq!(js_received(9.9), "9.9");
        assert_eq!(js_received(8_589_934_592.0), "8_589_934_592");
        assert_eq!(js_received(f64::INFINITY), "Infinity");
    }

    #[test]
    fn brotli_codes_round_trip() {
        let e = BrotliDecoderError::from_errno(-14).unwrap();
        assert_eq!(e.code(), "ERR__ERROR_FORMAT_PADDING_1");
        assert_eq!(ErrorKind::Brotli(e).errno(), Some(-14));
        assert_eq!(BrotliDecoderError::from_errno(-23), None);
    }
}
