//! The `Buffer` type (an owned byte vector with Node's constructors) and [`BufferExt`], Node's
//! Buffer methods on every byte slice.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind, Result};
use crate::js::{self, Accessor, JsNum};
use crate::search::{self, Needle};

/// Node's `buffer.constants.MAX_LENGTH` (`kMaxLength`) in v20 on 64-bit platforms: 2**32.
pub const MAX_LENGTH: usize = 1 << 32;

/// Node's `buffer.INSPECT_MAX_BYTES`: how many bytes `util.inspect` shows.
pub const INSPECT_MAX_BYTES: usize = 50;

/// An owned Buffer: a `Vec<u8>` with Node's constructors; every method of Node's Buffer that
/// reads or writes in place is on [`BufferExt`], which `Buffer` reaches through `Deref` to
/// `[u8]`. `{:?}` prints it as `util.inspect` does (`<Buffer 68 69>`).
///
/// ```
/// use nodestd_buffer::{Buffer, BufferExt, Encoding};
/// let b = Buffer::from_string("héllo", Encoding::Utf8);
/// assert_eq!(b.len(), 6);
/// assert_eq!(b.to_string_enc(Encoding::Hex), "68c3a96c6c6f");
/// assert_eq!(format!("{b:?}"), "<Buffer 68 c3 a9 6c 6c 6f>");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Buffer(Vec<u8>);

impl Buffer {
    /// `Buffer.alloc(size)`: `size` zero bytes.
    ///
    /// ```
    /// assert_eq!(*nodestd_buffer::Buffer::alloc(3), [0, 0, 0]);
    /// ```
    pub fn alloc(size: usize) -> Buffer {
        Buffer(vec![0; size])
    }

    /// `Buffer.allocUnsafe(size)`: here zero-filled too (safe Rust does not hand out
    /// uninitialised memory; Node's pool is not modelled).
    #[doc(alias = "allocUnsafe")]
    #[doc(alias = "allocUnsafeSlow")]
    pub fn alloc_unsafe(size: usize) -> Buffer {
        Buffer::alloc(size)
    }

    /// `Buffer.alloc(size, fill, encoding)`.
    ///
    /// ```
    /// use nodestd_buffer::{Buffer, Encoding};
    /// assert_eq!(*Buffer::alloc_fill(5, "ab", Encoding::Utf8).unwrap(), *b"ababa");
    /// ```
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` when the fill value encodes to no bytes (as `fill`).
    #[doc(alias = "alloc")]
    pub fn alloc_fill<'a>(
        size: usize,
        fill: impl Into<Fill<'a>>,
        encoding: Encoding,
    ) -> Result<Buffer> {
        let mut b = Buffer::alloc(size);
        b.fill_enc(fill, 0, None, encoding)?;
        Ok(b)
    }

    /// `Buffer.from(string, encoding)`.
    ///
    /// ```
    /// use nodestd_buffer::{Buffer, Encoding};
    /// assert_eq!(*Buffer::from_string("aGk", Encoding::Base64), *b"hi");
    /// ```
    #[doc(alias = "from")]
    pub fn from_string(s: &str, encoding: Encoding) -> Buffer {
        Buffer(encoding.encode(s))
    }

    /// `Buffer.from(string, encoding)` for a JavaScript string as UTF-16 code units.
    #[doc(alias = "from")]
    pub fn from_utf16(units: &[u16], encoding: Encoding) -> Buffer {
        Buffer(encoding.encode_utf16(units))
    }

    /// `Buffer.concat(list[, totalLength])`: with a total length, the result has exactly that
    /// length (cut short, or zero-filled past the inputs), except that an empty list gives an
    /// empty Buffer whatever the total length, as in Node.
    ///
    /// ```
    /// use nodestd_buffer::Buffer;
    /// assert_eq!(*Buffer::concat(&[&b"ab"[..], b"c"], None), *b"abc");
    /// assert_eq!(*Buffer::concat(&[b"ab"], Some(4)), *b"ab\0\0");
    /// ```
    pub fn concat<T: AsRef<[u8]>>(list: &[T], total_length: Option<usize>) -> Buffer {
        let mut out: Vec<u8> = Vec::new();
        if list.is_empty() {
            return Buffer(out);
        }
        for item in list {
            out.extend_from_slice(item.as_ref());
            if total_length.is_some_and(|t| out.len() >= t) {
                break;
            }
        }
        if let Some(t) = total_length {
            out.resize(t, 0);
        }
        Buffer(out)
    }

    /// `Buffer.compare(a, b)`: -1, 0 or 1, bytewise.
    pub fn compare(a: &[u8], b: &[u8]) -> i32 {
        match a.cmp(b) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }
    }

    /// `Buffer.byteLength(string, encoding)`.
    #[doc(alias = "byteLength")]
    pub fn byte_length(s: &str, encoding: Encoding) -> usize {
        encoding.byte_length(s)
    }

    /// The bytes, as a `Vec<u8>`.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl Deref for Buffer {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl DerefMut for Buffer {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

impl AsRef<[u8]> for Buffer {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Buffer {
    fn from(v: Vec<u8>) -> Buffer {
        Buffer(v)
    }
}

impl From<&[u8]> for Buffer {
    fn from(v: &[u8]) -> Buffer {
        Buffer(v.to_vec())
    }
}

impl From<Buffer> for Vec<u8> {
    fn from(b: Buffer) -> Vec<u8> {
        b.0
    }
}

impl fmt::Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inspect_bytes(&self.0))
    }
}

/// `util.inspect(buffer)`: `<Buffer 68 69>`, at most [`INSPECT_MAX_BYTES`] bytes shown.
///
/// ```
/// assert_eq!(nodestd_buffer::inspect_bytes(b""), "<Buffer >");
/// assert!(nodestd_buffer::inspect_bytes(&[0; 52]).ends_with("00 00 ... 2 more bytes>"));
/// ```
#[doc(alias = "inspect")]
pub fn inspect_bytes(b: &[u8]) -> String {
    let shown = b.len().min(INSPECT_MAX_BYTES);
    let hex: Vec<String> = b[..shown].iter().map(|x| format!("{x:02x}")).collect();
    let rest = b.len() - shown;
    let more = match rest {
        0 => String::new(),
        1 => " ... 1 more byte".into(),
        n => format!(" ... {n} more bytes"),
    };
    format!("<Buffer {}{more}>", hex.join(" "))
}

/// A value for `fill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill<'a> {
    /// A string, encoded with the call's encoding.
    Str(&'a str),
    /// A JavaScript string as UTF-16 code units.
    Utf16(&'a [u16]),
    /// A Buffer's bytes, repeated.
    Bytes(&'a [u8]),
    /// A number's low byte (`value & 255`).
    Byte(u8),
}

impl<'a> From<&'a str> for Fill<'a> {
    fn from(s: &'a str) -> Self {
        Fill::Str(s)
    }
}
impl<'a> From<&'a [u8]> for Fill<'a> {
    fn from(b: &'a [u8]) -> Self {
        Fill::Bytes(b)
    }
}
impl<'a, const N: usize> From<&'a [u8; N]> for Fill<'a> {
    fn from(b: &'a [u8; N]) -> Self {
        Fill::Bytes(b)
    }
}
impl From<u8> for Fill<'_> {
    fn from(b: u8) -> Self {
        Fill::Byte(b)
    }
}

macro_rules! readers {
    ($($(#[$m:meta])* $name:ident, $node:literal -> $t:ty;)*) => {$(
        $(#[$m])*
        #[doc = concat!("`buf.", $node, "(offset)`.")]
        ///
        /// # Errors
        /// `ERR_OUT_OF_RANGE` for an offset past the last whole value,
        /// `ERR_BUFFER_OUT_OF_BOUNDS` for a buffer shorter than the value.
        #[doc(alias = $node)]
        fn $name(&self, offset: usize) -> Result<$t> {
            let acc = Accessor::parse($node).expect("a known accessor");
            Ok(match js::read(self.as_bytes(), acc, offset as f64, None)? {
                JsNum::Number(n) => n as $t,
                JsNum::BigInt(n) => n as $t,
            })
        }
    )*};
}

macro_rules! writers {
    ($($name:ident, $node:literal, $vt:ident;)*) => {$(
        #[doc = concat!("`buf.", $node, "(value, offset)`; returns `offset` plus the bytes written.")]
        ///
        /// # Errors
        /// `ERR_OUT_OF_RANGE` for a value outside the type's range (checked first) or a bad
        /// offset, `ERR_BUFFER_OUT_OF_BOUNDS` for a buffer shorter than the value.
        #[doc(alias = $node)]
        fn $name(&mut self, value: impl Into<$vt>, offset: usize) -> Result<usize> {
            let acc = Accessor::parse($node).expect("a known accessor");
            js::write(self.as_bytes_mut(), acc, writers!(@v $vt value), offset as f64, None)
        }
    )*};
    (@v f64 $v:ident) => { JsNum::Number($v.into()) };
    (@v i128 $v:ident) => { JsNum::BigInt($v.into()) };
}

macro_rules! var_width {
    ($($read:ident, $rnode:literal, $write:ident, $wnode:literal, $t:ty;)*) => {$(
        #[doc = concat!("`buf.", $rnode, "(offset, byteLength)` for 1 to 6 bytes.")]
        ///
        /// # Errors
        /// `ERR_OUT_OF_RANGE` for a `byte_length` outside 1..=6 (checked first) or a bad
        /// offset; `ERR_BUFFER_OUT_OF_BOUNDS`.
        #[doc(alias = $rnode)]
        fn $read(&self, offset: usize, byte_length: usize) -> Result<$t> {
            let acc = Accessor::parse($rnode).expect("a known accessor");
            match js::read(self.as_bytes(), acc, offset as f64, Some(byte_length as f64))? {
                JsNum::Number(n) => Ok(n as $t),
                JsNum::BigInt(n) => Ok(n as $t),
            }
        }

        #[doc = concat!("`buf.", $wnode, "(value, offset, byteLength)` for 1 to 6 bytes.")]
        ///
        /// # Errors
        /// `ERR_OUT_OF_RANGE` for a `byte_length` outside 1..=6, a value out of range or a bad
        /// offset; `ERR_BUFFER_OUT_OF_BOUNDS`.
        #[doc(alias = $wnode)]
        fn $write(&mut self, value: impl Into<f64>, offset: usize, byte_length: usize) -> Result<usize> {
            let acc = Accessor::parse($wnode).expect("a known accessor");
            js::write(
                self.as_bytes_mut(),
                acc,
                JsNum::Number(value.into()),
                offset as f64,
                Some(byte_length as f64),
            )
        }
    )*};
}

/// Node's Buffer methods on any byte slice (a [`Buffer`], a `Vec<u8>`, a `[u8; N]`).
///
/// ```
/// use nodestd_buffer::{BufferExt, Encoding};
/// let mut b = [0u8; 6];
/// b.write_uint16_be(0x1234, 0).unwrap();
/// b.write_int32_le(-2, 2).unwrap();
/// assert_eq!(b.read_uint16_be(0).unwrap(), 0x1234);
/// assert_eq!(b.read_int32_le(2).unwrap(), -2);
/// assert_eq!(b.index_of(&[0xfe][..], None, Encoding::Utf8), Some(2));
/// ```
pub trait BufferExt {
    /// The bytes.
    fn as_bytes(&self) -> &[u8];
    /// The bytes, writable.
    fn as_bytes_mut(&mut self) -> &mut [u8];

    /// `buf.toString(encoding)`: the whole buffer decoded (lone surrogates as U+FFFD).
    #[doc(alias = "toString")]
    fn to_string_enc(&self, encoding: Encoding) -> String {
        encoding.decode(self.as_bytes())
    }

    /// `buf.toString(encoding, start, end)`: `start` past the end or `end <= start` give the
    /// empty string; `end` past the end is the end.
    ///
    /// ```
    /// use nodestd_buffer::{BufferExt, Encoding};
    /// assert_eq!(b"abcdef".to_string_range(Encoding::Hex, 1, 3), "6263");
    /// assert_eq!(b"abc".to_string_range(Encoding::Utf8, 2, 1), "");
    /// ```
    #[doc(alias = "toString")]
    fn to_string_range(&self, encoding: Encoding, start: usize, end: usize) -> String {
        let b = self.as_bytes();
        let end = end.min(b.len());
        if start >= end {
            return String::new();
        }
        encoding.decode(&b[start..end])
    }

    /// `buf.equals(other)`.
    fn equals(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }

    /// `buf.compare(target)`: -1, 0 or 1.
    #[doc(alias = "compare")]
    fn compare_to(&self, target: &[u8]) -> i32 {
        Buffer::compare(self.as_bytes(), target)
    }

    /// `buf.indexOf(value, byteOffset, encoding)`: `None` where Node answers -1. A negative
    /// `byte_offset` counts from the end; `None` is Node's default (0).
    ///
    /// ```
    /// use nodestd_buffer::{BufferExt, Encoding};
    /// let b = b"this is a buffer";
    /// assert_eq!(b.index_of("is", None, Encoding::Utf8), Some(2));
    /// assert_eq!(b.index_of("is", Some(3), Encoding::Utf8), Some(5));
    /// assert_eq!(b.index_of("6973", Some(-12), Encoding::Hex), Some(5));
    /// assert_eq!(b.index_of(b'z', None, Encoding::Utf8), None);
    /// ```
    #[doc(alias = "indexOf")]
    fn index_of<'a>(
        &self,
        value: impl Into<Needle<'a>>,
        byte_offset: Option<i64>,
        encoding: Encoding,
    ) -> Option<usize> {
        let r = search::index_of(self.as_bytes(), value.into(), byte_offset, encoding, true);
        usize::try_from(r).ok()
    }

    /// `buf.lastIndexOf(value, byteOffset, encoding)`: the last match starting at or before
    /// `byte_offset` (`None`: the end).
    ///
    /// ```
    /// use nodestd_buffer::{BufferExt, Encoding};
    /// assert_eq!(b"abcabc".last_index_of("bc", None, Encoding::Utf8), Some(4));
    /// assert_eq!(b"abcabc".last_index_of("bc", Some(3), Encoding::Utf8), Some(1));
    /// ```
    #[doc(alias = "lastIndexOf")]
    fn last_index_of<'a>(
        &self,
        value: impl Into<Needle<'a>>,
        byte_offset: Option<i64>,
        encoding: Encoding,
    ) -> Option<usize> {
        let r = search::index_of(self.as_bytes(), value.into(), byte_offset, encoding, false);
        usize::try_from(r).ok()
    }

    /// `buf.includes(value, byteOffset, encoding)`.
    fn includes<'a>(
        &self,
        value: impl Into<Needle<'a>>,
        byte_offset: Option<i64>,
        encoding: Encoding,
    ) -> bool {
        self.index_of(value, byte_offset, encoding).is_some()
    }

    /// `buf.fill(value, offset, end, encoding)`: the value's bytes repeated over
    /// `offset..end` (`end` `None`: the end of the buffer); nothing when `offset >= end`.
    ///
    /// ```
    /// use nodestd_buffer::{BufferExt, Encoding};
    /// let mut b = [0u8; 5];
    /// b.fill_enc("6162", 1, None, Encoding::Hex).unwrap();
    /// assert_eq!(&b, b"\0abab");
    /// let e = b.fill_enc("zz", 0, None, Encoding::Hex).unwrap_err();
    /// assert_eq!(e.to_string(), "The argument 'value' is invalid. Received 'zz'");
    /// ```
    ///
    /// # Errors
    /// `ERR_OUT_OF_RANGE` for `offset` beyond [`MAX_LENGTH`] or `end` beyond the buffer;
    /// `ERR_INVALID_ARG_VALUE` when a string or Buffer value gives no bytes.
    #[doc(alias = "fill")]
    fn fill_enc<'a>(
        &mut self,
        value: impl Into<Fill<'a>>,
        offset: usize,
        end: Option<usize>,
        encoding: Encoding,
    ) -> Result<&mut Self> {
        let len = self.as_bytes().len();
        if offset > MAX_LENGTH {
            return Err(Error::out_of_range(
                "offset",
                &format!(">= 0 && <= {MAX_LENGTH}"),
                &js::received_number(offset as f64),
            ));
        }
        let end = match end {
            Some(e) if e > len => {
                return Err(Error::out_of_range(
                    "end",
                    &format!(">= 0 && <= {len}"),
                    &js::received_number(e as f64),
                ));
            }
            Some(e) => e,
            None => len,
        };
        let value = value.into();
        let pattern: Vec<u8> = match value {
            Fill::Byte(b) => vec![b],
            Fill::Bytes(b) => b.to_vec(),
            Fill::Str("") => vec![0],
            Fill::Str(s) => encoding.encode(s),
            Fill::Utf16([]) => vec![0],
            Fill::Utf16(u) => encoding.encode_utf16(u),
        };
        if offset >= end {
            return Ok(self);
        }
        if pattern.is_empty() {
            let shown = match value {
                Fill::Str(s) => js::inspect_string(&s.encode_utf16().collect::<Vec<_>>()),
                Fill::Utf16(u) => js::inspect_string(u),
                Fill::Bytes(b) => inspect_bytes(b),
                Fill::Byte(b) => b.to_string(),
            };
            return Err(Error::new(
                ErrorKind::InvalidArgValue,
                format!("The argument 'value' is invalid. Received {shown}"),
            ));
        }
        for (dst, src) in self.as_bytes_mut()[offset..end]
            .iter_mut()
            .zip(pattern.iter().cycle())
        {
            *dst = *src;
        }
        Ok(self)
    }

    /// `buf.subarray(start, end)` (and `buf.slice`, the same in Node 20): negative indices
    /// count from the end, both are clamped to the buffer, `end` `None` is the end.
    ///
    /// ```
    /// use nodestd_buffer::BufferExt;
    /// assert_eq!(b"abcdef".subarray(-3, None), b"def");
    /// assert_eq!(b"abcdef".subarray(1, Some(-4)), b"b");
    /// assert_eq!(b"abcdef".subarray(4, Some(2)), b"");
    /// ```
    #[doc(alias = "slice")]
    fn subarray(&self, start: i64, end: Option<i64>) -> &[u8] {
        let b = self.as_bytes();
        let r = subarray_range(b.len(), start, end);
        &b[r]
    }

    /// [`BufferExt::subarray`], writable (Node's subarray shares memory with its parent).
    fn subarray_mut(&mut self, start: i64, end: Option<i64>) -> &mut [u8] {
        let b = self.as_bytes_mut();
        let r = subarray_range(b.len(), start, end);
        &mut b[r]
    }

    /// `buf.swap16()`: swaps the bytes of each 16-bit unit in place.
    ///
    /// # Errors
    /// `ERR_INVALID_BUFFER_SIZE`: `Buffer size must be a multiple of 16-bits`.
    fn swap16(&mut self) -> Result<&mut Self> {
        swap(self.as_bytes_mut(), 2)?;
        Ok(self)
    }

    /// `buf.swap32()`.
    ///
    /// # Errors
    /// `ERR_INVALID_BUFFER_SIZE`: `Buffer size must be a multiple of 32-bits`.
    fn swap32(&mut self) -> Result<&mut Self> {
        swap(self.as_bytes_mut(), 4)?;
        Ok(self)
    }

    /// `buf.swap64()`.
    ///
    /// # Errors
    /// `ERR_INVALID_BUFFER_SIZE`: `Buffer size must be a multiple of 64-bits`.
    fn swap64(&mut self) -> Result<&mut Self> {
        swap(self.as_bytes_mut(), 8)?;
        Ok(self)
    }

    /// `JSON.stringify(buf)` (`buf.toJSON()`): `{"type":"Buffer","data":[…]}`.
    ///
    /// ```
    /// use nodestd_buffer::BufferExt;
    /// assert_eq!(b"hi".to_json(), r#"{"type":"Buffer","data":[104,105]}"#);
    /// ```
    #[doc(alias = "toJSON")]
    fn to_json(&self) -> String {
        let data: Vec<String> = self.as_bytes().iter().map(u8::to_string).collect();
        format!("{{\"type\":\"Buffer\",\"data\":[{}]}}", data.join(","))
    }

    readers! {
        read_uint8, "readUInt8" -> u8;
        read_int8, "readInt8" -> i8;
        read_uint16_le, "readUInt16LE" -> u16;
        read_uint16_be, "readUInt16BE" -> u16;
        read_int16_le, "readInt16LE" -> i16;
        read_int16_be, "readInt16BE" -> i16;
        read_uint32_le, "readUInt32LE" -> u32;
        read_uint32_be, "readUInt32BE" -> u32;
        read_int32_le, "readInt32LE" -> i32;
        read_int32_be, "readInt32BE" -> i32;
        read_big_uint64_le, "readBigUInt64LE" -> u64;
        read_big_uint64_be, "readBigUInt64BE" -> u64;
        read_big_int64_le, "readBigInt64LE" -> i64;
        read_big_int64_be, "readBigInt64BE" -> i64;
        read_float_le, "readFloatLE" -> f32;
        read_float_be, "readFloatBE" -> f32;
        read_double_le, "readDoubleLE" -> f64;
        read_double_be, "readDoubleBE" -> f64;
    }

    writers! {
        write_uint8, "writeUInt8", f64;
        write_int8, "writeInt8", f64;
        write_uint16_le, "writeUInt16LE", f64;
        write_uint16_be, "writeUInt16BE", f64;
        write_int16_le, "writeInt16LE", f64;
        write_int16_be, "writeInt16BE", f64;
        write_uint32_le, "writeUInt32LE", f64;
        write_uint32_be, "writeUInt32BE", f64;
        write_int32_le, "writeInt32LE", f64;
        write_int32_be, "writeInt32BE", f64;
        write_big_uint64_le, "writeBigUInt64LE", i128;
        write_big_uint64_be, "writeBigUInt64BE", i128;
        write_big_int64_le, "writeBigInt64LE", i128;
        write_big_int64_be, "writeBigInt64BE", i128;
        write_float_le, "writeFloatLE", f64;
        write_float_be, "writeFloatBE", f64;
        write_double_le, "writeDoubleLE", f64;
        write_double_be, "writeDoubleBE", f64;
    }

    var_width! {
        read_uint_le, "readUIntLE", write_uint_le, "writeUIntLE", u64;
        read_uint_be, "readUIntBE", write_uint_be, "writeUIntBE", u64;
        read_int_le, "readIntLE", write_int_le, "writeIntLE", i64;
        read_int_be, "readIntBE", write_int_be, "writeIntBE", i64;
    }
}

impl BufferExt for [u8] {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn as_bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl<const N: usize> BufferExt for [u8; N] {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn as_bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl BufferExt for Vec<u8> {
    fn as_bytes(&self) -> &[u8] {
        self
    }
    fn as_bytes_mut(&mut self) -> &mut [u8] {
        self
    }
}

impl BufferExt for Buffer {
    fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    fn as_bytes_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

/// TypedArray `subarray`'s relative indices.
fn subarray_range(len: usize, start: i64, end: Option<i64>) -> std::ops::Range<usize> {
    let rel = |x: i64| -> usize {
        if x < 0 {
            (len as i64 + x).max(0) as usize
        } else {
            (x as u64).min(len as u64) as usize
        }
    };
    let s = rel(start);
    let e = end.map_or(len, rel);
    s..e.max(s)
}

fn swap(b: &mut [u8], width: usize) -> Result<()> {
    if b.len() % width != 0 {
        return Err(Error::new(
            ErrorKind::InvalidBufferSize,
            format!("Buffer size must be a multiple of {}-bits", width * 8),
        ));
    }
    for c in b.chunks_exact_mut(width) {
        c.reverse();
    }
    Ok(())
}
