//! Node's Buffer encodings for the `encoding` options (`utf8`, `latin1`, `base64`, `hex` …):
//! the one [`Encoding`] of `nodestd-buffer`, and fs's way of reading an encoding name.

use crate::errors::{Error, Result, received_str};

pub use nodestd_buffer::Encoding;

/// An fs `encoding` option by name, as fs's `assertEncoding` checks it: Node's
/// `normalizeEncoding` (case-insensitive, with its aliases; see [`Encoding::parse`]); the empty
/// name, which Node takes as "no encoding" (a Buffer), is refused here, since the Rust API
/// asks for an encoding only where a string is wanted.
///
/// ```
/// use nodestd_fs::{Encoding, parse_encoding};
/// assert_eq!(parse_encoding("UTF-8").unwrap(), Encoding::Utf8);
/// let e = parse_encoding("utf9").unwrap_err();
/// assert_eq!(e.code(), "ERR_INVALID_ARG_VALUE");
/// assert_eq!(e.to_string(), "The argument 'encoding' is invalid encoding. Received 'utf9'");
/// ```
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE`: `The argument 'encoding' is invalid encoding. Received 'x'`.
pub fn parse_encoding(s: &str) -> Result<Encoding> {
    match Encoding::parse(s) {
        Some(e) if !s.is_empty() => Ok(e),
        _ => Err(Error::invalid_arg_value(
            "encoding",
            "is invalid encoding",
            &received_str(s),
        )),
    }
}
