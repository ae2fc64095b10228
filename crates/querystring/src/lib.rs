//! Node.js's [`querystring`](https://nodejs.org/docs/latest-v20.x/api/querystring.html)
//! module for Rust, with Node v20's exact semantics.
//!
//! The algorithms and tables are ported from Node's `lib/querystring.js` and
//! `lib/internal/querystring.js`: the `noEscape` table and `hexTable` of [`escape`], the
//! single-pass splitter of [`parse`] (multi-character separators, `+` to space, `maxKeys`,
//! decoding only the pieces that hold a valid `%XX`), `decodeURIComponent` with the byte-wise
//! [`unescape_buffer`] as its fallback, and `stringifyPrimitive`'s rules in [`stringify()`].
//!
//! ```
//! use nodestd_querystring::{Primitive, QueryValue, StringifyValue, parse, stringify};
//!
//! let q = parse("name=Ada+Lovelace&tag=a&tag=b&bad=%E9");
//! assert_eq!(q.get("name").and_then(QueryValue::as_str), Some("Ada Lovelace"));
//! assert_eq!(q.get("tag").map(QueryValue::values), Some(&["a".to_owned(), "b".to_owned()][..]));
//! assert_eq!(q.get("bad").and_then(QueryValue::as_str), Some("\u{FFFD}"));
//!
//! let v = StringifyValue::One(Primitive::Str("x&y".into()));
//! assert_eq!(stringify([("q", &v)]), "q=x%26y");
//! ```
//!
//! # Main items
//! - [`parse`], [`parse_with`] and [`ParseOptions`] give a [`ParsedQuery`] of
//!   [`QueryValue`]s (a string, or an array for a repeated key), in `Object.keys` order.
//! - [`stringify()`], [`stringify_with`] and [`Encoder`] take keys with [`StringifyValue`]s of
//!   [`Primitive`]s.
//! - [`escape`], [`unescape`], [`unescape_buffer`], and the two JavaScript helpers they are
//!   built on and Node's other modules reuse: [`decode_uri_component`] and
//!   [`js_number_to_string`].
//! - [`Error`] carries Node's `code` (`ERR_INVALID_URI`, or `URIError` for
//!   [`decode_uri_component`], which has none) and message (`URI malformed`).
//!
//! # JavaScript strings (UTF-16)
//! JavaScript strings are UTF-16 and may hold lone surrogates, which Rust strings cannot.
//! For JavaScript runtimes written in Rust, every function has an entry point on UTF-16 code
//! units, with Node's behaviour on lone surrogates: [`escape_utf16`] (fails with
//! `ERR_INVALID_URI` only for a surrogate in the last position: Node pairs a surrogate with
//! whatever unit follows it), [`unescape_utf16`], [`unescape_buffer_utf16`],
//! [`decode_uri_component_utf16`], [`parse_utf16`] and [`stringify_utf16`] (whose `sep`/`eq`
//! distinguish a falsy argument from one whose `String()` is empty), and
//! [`Primitive::Utf16`] values and [`JsStr::Utf16`] keys.
//!
//! # Platforms
//!
//! Pure Rust with no OS calls: any platform Rust supports; Linux is what is tested.
//!
//! # Deviations from Node
//! - Argument coercion is the caller's: these functions take typed values, so Node's
//!   `String(x)` of non-string arguments (and `parse` of a non-string answering `{}`) happen
//!   before the call. A falsy `sep`/`eq` is spelled as the empty string.
//! - [`stringify()`] keeps the order of the pairs it is given; Node uses `Object.keys` order
//!   (array-index keys first). [`ParsedQuery`] does list keys in `Object.keys` order.
//! - [`stringify()`] cannot fail: a lone surrogate that Node rejects is written as U+FFFD;
//!   [`stringify_with`] reports `ERR_INVALID_URI` as Node does.
//! - A custom encoder or decoder is a Rust closure over `&str`: it receives UTF-16 input
//!   converted lossily, and a decoder signals "threw" by returning `None`.
//! - [`Primitive::BigInt`] holds an `i128`; a larger bigint can be passed as
//!   [`Primitive::Str`] of its digits, which gives the same output (digits need no escaping).
//! - `maxKeys` is a `usize` with `0` for no limit; [`ParseOptions::js_max_keys`] maps any
//!   JavaScript number to it (fractions and non-positive numbers mean no limit in Node).

#![forbid(unsafe_code)]

mod error;
mod escape;
mod number;
mod parse;
mod stringify;
mod tables;
mod unescape;

pub use error::{Error, ErrorKind};
pub use escape::{escape, escape_utf16};
pub use number::js_number_to_string;
pub use parse::{
    CustomDecoder, DEFAULT_MAX_KEYS, ParseOptions, ParsedQuery, ParsedQueryUtf16, QueryValue,
    parse, parse_utf16, parse_with,
};
pub use stringify::{
    Encoder, JsStr, Primitive, StringifyValue, stringify, stringify_utf16, stringify_with,
};
pub use unescape::{
    decode_uri_component, decode_uri_component_utf16, unescape, unescape_buffer,
    unescape_buffer_utf16, unescape_utf16,
};
