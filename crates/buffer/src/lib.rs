//! Node.js's [`buffer`](https://nodejs.org/docs/latest-v20.x/api/buffer.html) module for
//! Rust: Node's encodings once for every nodestd crate, and Buffer's methods with Node v20's
//! exact answers, including for bad input.
//!
//! - [`Encoding`]: `utf8`, `utf16le`/`ucs2`, `latin1`/`binary`, `ascii`, `base64`,
//!   `base64url`, `hex` with Node's names ([`Encoding::parse`] is `normalizeEncoding`,
//!   [`is_encoding`] is `Buffer.isEncoding`), `Buffer.from(string, enc)`
//!   ([`Encoding::encode`]), `buf.toString(enc)` ([`Encoding::decode`]) and
//!   `Buffer.byteLength` ([`Encoding::byte_length`]). Bad input decodes as in Node: hex stops
//!   at the first pair that is not two digits, base64 skips characters outside both alphabets
//!   and stops at `=`, invalid UTF-8 becomes U+FFFD per maximal subpart.
//! - [`Buffer`]: an owned `Vec<u8>` with `Buffer.alloc`, `allocUnsafe`, `from`, `concat`,
//!   `compare`, `byteLength`; `{:?}` prints it as `util.inspect` does.
//! - [`BufferExt`]: the methods of a Buffer on any byte slice: `toString(enc, start, end)`,
//!   `equals`, `compare`, `indexOf`/`lastIndexOf`/`includes` (string, Buffer or byte needle,
//!   Node's `byteOffset` rules), `fill`, `subarray`/`slice`, `swap16/32/64`, `toJSON`, and
//!   every `read…`/`write…` of integers (8/16/32 bits, 64-bit BigInt, 1 to 6 bytes) and
//!   floats in LE and BE, with Node's `ERR_OUT_OF_RANGE` / `ERR_BUFFER_OUT_OF_BOUNDS`.
//! - [`js`]: the same numeric accessors with JavaScript-number arguments (fractional,
//!   negative or NaN offsets get Node's errors), JavaScript's number-to-string and
//!   `util.inspect`'s string quoting.
//! - [`Error`]: Node's code ([`Error::code`]) and exact message.
//!
//! No cargo features; the only dependency is nodestd-querystring, for JavaScript's
//! number-to-string. Tested on Linux; nothing here is platform-specific.
//!
//! # Strings
//! JavaScript strings are UTF-16 and may hold lone surrogates. Functions take `&str`, with a
//! `…utf16` twin taking `&[u16]` code units where a lone surrogate changes the answer
//! ([`Encoding::encode_utf16`], [`Buffer::from_utf16`], [`Needle::Utf16`], [`Fill::Utf16`]);
//! decoding gives a `String` (a lone surrogate from utf16le as U+FFFD) or the exact units
//! ([`Encoding::decode_utf16`]).
//!
//! # Deviations from Node
//! - `fill` is [`BufferExt::fill_enc`] and `toString` is [`BufferExt::to_string_enc`] /
//!   [`BufferExt::to_string_range`], since slices have a `fill` and `ToString` a `to_string`.
//! - `Buffer` owns its bytes; `subarray` returns a borrowed slice (`&[u8]` / `&mut [u8]`),
//!   which shares memory with its parent as Node's does, but cannot outlive it.
//! - `allocUnsafe` is zero-filled, and there is no pool; sizes are not checked against
//!   `kMaxLength` (an allocation Rust cannot make aborts, as any `Vec` does).
//! - Offsets are `usize` in [`BufferExt`], so the negative and fractional offsets of Node's
//!   errors exist only in [`js`]. `toString`'s `start`/`end` and `indexOf`'s `byteOffset`
//!   take integers (JavaScript truncates fractions first).
//! - Values to write are `impl Into<f64>` (a JavaScript number; integer literals work) or
//!   `impl Into<i128>` for BigInts; JavaScript's `TypeError` for a Number given to a BigInt
//!   accessor (or the reverse) cannot happen in the typed API.
//! - Not provided: `buf.write(string, …)`, `Buffer.from(arrayBuffer)` views, `transcode`,
//!   `Blob`, `atob`/`btoa`.

mod buffer;
mod encoding;
mod error;
pub mod js;
mod search;

pub use buffer::{Buffer, BufferExt, Fill, INSPECT_MAX_BYTES, MAX_LENGTH, inspect_bytes};
pub use encoding::{Encoding, is_encoding};
pub use error::{Error, ErrorKind, Result};
pub use search::Needle;
