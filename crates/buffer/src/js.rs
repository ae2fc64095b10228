//! The JavaScript-number surface of Buffer's numeric methods, for callers that hold Node's
//! arguments as JavaScript numbers (a port of JavaScript code, the conformance runner):
//! offsets and lengths may be negative, fractional or NaN and get Node's errors, values get
//! JavaScript's conversions. The typed methods of [`crate::BufferExt`] are built on these.
//!
//! Also here: JavaScript's `Number.prototype.toString` ([`number_to_string`]) and the
//! `Received …` part of Node's range errors, which `nodestd-util` shares.

use crate::error::{Error, Result};

/// JavaScript's `String(n)` for a number: shortest round-trip digits (ties to even, as V8),
/// exponent form from 1e21 and below 1e-6. The one implementation is
/// `nodestd_querystring::js_number_to_string`; this is it under the name used here.
///
/// ```
/// use nodestd_buffer::js::number_to_string;
/// assert_eq!(number_to_string(1e21), "1e+21");
/// assert_eq!(number_to_string(0.000001), "0.000001");
/// assert_eq!(number_to_string(1.5e-7), "1.5e-7");
/// assert_eq!(number_to_string(-0.0), "0");
/// ```
pub fn number_to_string(x: f64) -> String {
    nodestd_querystring::js_number_to_string(x)
}

/// Node's `addNumericalSeparator`: `_` between groups of three digits from the right.
pub fn add_numerical_separator(val: &str) -> String {
    let b = val.as_bytes();
    let start = usize::from(b.first() == Some(&b'-'));
    let mut i = val.len();
    let mut res = String::new();
    while i >= start + 4 {
        res = format!("_{}{res}", &val[i - 3..i]);
        i -= 3;
    }
    format!("{}{res}", &val[..i])
}

/// The `Received …` of Node's `ERR_OUT_OF_RANGE` for a number: an integer beyond 2**32 with
/// `_` separators, else as `util.inspect` shows it (`-0`, `1.5`, `NaN`).
pub fn received_number(x: f64) -> String {
    if x.fract() == 0.0 && x.is_finite() && x.abs() > 4_294_967_296.0 {
        add_numerical_separator(&number_to_string(x))
    } else if x == 0.0 && x.is_sign_negative() {
        "-0".into()
    } else {
        number_to_string(x)
    }
}

/// The `Received …` of Node's `ERR_OUT_OF_RANGE` for a BigInt (`-1n`, `18_446_…n`).
pub fn received_bigint(x: i128) -> String {
    let s = x.to_string();
    if !(-(1i128 << 32)..=(1i128 << 32)).contains(&x) {
        format!("{}n", add_numerical_separator(&s))
    } else {
        format!("{s}n")
    }
}

/// ECMAScript `ToUint32`.
pub fn to_uint32(x: f64) -> u32 {
    if !x.is_finite() {
        return 0;
    }
    x.trunc().rem_euclid(4_294_967_296.0) as u32
}

/// Node's `boundsError(value, length, name)`: "an integer" for a fractional (or NaN) value,
/// `ERR_BUFFER_OUT_OF_BOUNDS` when `length < 0`, else `>= min and <= length`.
fn bounds_error(value: f64, length: i64, name: Option<&str>) -> Error {
    let n = name.unwrap_or("offset");
    if value.floor() != value {
        return Error::out_of_range(n, "an integer", &received_number(value));
    }
    if length < 0 {
        return Error::buffer_out_of_bounds();
    }
    let min = if name.is_some() { 1 } else { 0 };
    Error::out_of_range(
        n,
        &format!(">= {min} and <= {length}"),
        &received_number(value),
    )
}

/// Checks that `width` bytes at JavaScript offset `offset` lie in a buffer of `len` bytes
/// (Node's `checkBounds` / the `undefined` checks of the readers) and returns the offset.
///
/// # Errors
/// `ERR_OUT_OF_RANGE` for a fractional, negative or too large offset;
/// `ERR_BUFFER_OUT_OF_BOUNDS` when the buffer is shorter than `width`.
pub fn check_offset(len: usize, offset: f64, width: usize) -> Result<usize> {
    let ok = offset.floor() == offset && offset >= 0.0 && offset + width as f64 <= len as f64;
    if ok {
        Ok(offset as usize)
    } else {
        Err(bounds_error(offset, len as i64 - width as i64, None))
    }
}

/// A numeric accessor of Buffer, parsed from Node's method name (`readUInt16LE`,
/// `writeBigInt64BE`, `readUintLE` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accessor {
    /// `read…` (false: `write…`).
    pub read: bool,
    /// The kind of number.
    pub kind: NumKind,
    /// Little endian (single bytes count as little endian).
    pub le: bool,
    /// Bytes, or `None` for the variable-width `…UIntLE`/`…IntBE` forms that take a
    /// `byteLength` argument.
    pub width: Option<usize>,
}

/// The number an [`Accessor`] reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NumKind {
    /// Unsigned integer.
    UInt,
    /// Two's complement integer.
    Int,
    /// Unsigned 64-bit BigInt.
    BigUInt,
    /// Signed 64-bit BigInt.
    BigInt,
    /// IEEE 754 single.
    Float,
    /// IEEE 754 double.
    Double,
}

impl Accessor {
    /// Parses a Node method name; `None` for anything else.
    ///
    /// ```
    /// use nodestd_buffer::js::{Accessor, NumKind};
    /// let a = Accessor::parse("writeUint16BE").unwrap();
    /// assert_eq!((a.read, a.kind, a.le, a.width), (false, NumKind::UInt, false, Some(2)));
    /// ```
    pub fn parse(name: &str) -> Option<Accessor> {
        let (read, rest) = if let Some(r) = name.strip_prefix("read") {
            (true, r)
        } else {
            (false, name.strip_prefix("write")?)
        };
        let (big, rest) = match rest.strip_prefix("Big") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (kind, rest) = if let Some(r) = rest
            .strip_prefix("UInt")
            .or_else(|| rest.strip_prefix("Uint"))
        {
            (if big { NumKind::BigUInt } else { NumKind::UInt }, r)
        } else if let Some(r) = rest.strip_prefix("Int") {
            (if big { NumKind::BigInt } else { NumKind::Int }, r)
        } else if let (false, Some(r)) = (big, rest.strip_prefix("Float")) {
            (NumKind::Float, r)
        } else if let (false, Some(r)) = (big, rest.strip_prefix("Double")) {
            (NumKind::Double, r)
        } else {
            return None;
        };
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let tail = &rest[digits.len()..];
        let width = match (kind, digits.as_str()) {
            (NumKind::Float, "") => Some(4),
            (NumKind::Double, "") => Some(8),
            (NumKind::BigUInt | NumKind::BigInt, "64") => Some(8),
            (NumKind::UInt | NumKind::Int, "8") => Some(1),
            (NumKind::UInt | NumKind::Int, "16") => Some(2),
            (NumKind::UInt | NumKind::Int, "32") => Some(4),
            (NumKind::UInt | NumKind::Int, "") => None,
            _ => return None,
        };
        let le = match tail {
            "LE" => true,
            "BE" => false,
            "" if width == Some(1) => true,
            _ => return None,
        };
        if width == Some(1) && !tail.is_empty() {
            return None;
        }
        Some(Accessor {
            read,
            kind,
            le,
            width,
        })
    }
}

/// A number as a JavaScript program holds it: a Number or a BigInt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsNum {
    /// A Number.
    Number(f64),
    /// A BigInt (64-bit accessors only need this range).
    BigInt(i128),
}

/// `byteLength` of the variable-width accessors: an integer in 1..=6.
fn check_byte_length(byte_length: f64) -> Result<usize> {
    if byte_length.floor() == byte_length && (1.0..=6.0).contains(&byte_length) {
        Ok(byte_length as usize)
    } else {
        Err(bounds_error(byte_length, 6, Some("byteLength")))
    }
}

/// `buf.read…(offset[, byteLength])` with JavaScript numbers.
///
/// ```
/// use nodestd_buffer::js::{read, Accessor, JsNum};
/// let a = Accessor::parse("readInt16BE").unwrap();
/// assert_eq!(read(&[0xff, 0xfe], a, 0.0, None).unwrap(), JsNum::Number(-2.0));
/// ```
///
/// # Errors
/// Node's `ERR_OUT_OF_RANGE` / `ERR_BUFFER_OUT_OF_BOUNDS`, `byteLength` checked first.
pub fn read(buf: &[u8], acc: Accessor, offset: f64, byte_length: Option<f64>) -> Result<JsNum> {
    let width = match acc.width {
        Some(w) => w,
        None => check_byte_length(byte_length.unwrap_or(f64::NAN))?,
    };
    let at = check_offset(buf.len(), offset, width)?;
    let bytes = &buf[at..at + width];
    let mut raw = 0u64;
    for i in 0..width {
        let b = if acc.le {
            bytes[width - 1 - i]
        } else {
            bytes[i]
        };
        raw = raw << 8 | u64::from(b);
    }
    let bits = width as u32 * 8;
    Ok(match acc.kind {
        NumKind::UInt => JsNum::Number(raw as f64),
        NumKind::Int => JsNum::Number(sign_extend(raw, bits) as f64),
        NumKind::BigUInt => JsNum::BigInt(i128::from(raw)),
        NumKind::BigInt => JsNum::BigInt(i128::from(raw as i64)),
        NumKind::Float => JsNum::Number(f64::from(f32::from_bits(raw as u32))),
        NumKind::Double => JsNum::Number(f64::from_bits(raw)),
    })
}

fn sign_extend(raw: u64, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((raw << shift) as i64) >> shift
}

/// Node's `checkInt` range message for `width` bytes.
fn int_range(signed: bool, width: usize, big: bool) -> (String, f64, f64) {
    let n = if big { "n" } else { "" };
    let bits = width as i32 * 8;
    let (min, max) = if signed {
        (-(2f64.powi(bits - 1)), 2f64.powi(bits - 1) - 1.0)
    } else {
        (0.0, 2f64.powi(bits) - 1.0)
    };
    let range = if width > 4 {
        if signed {
            format!(
                ">= -(2{n} ** {}{n}) and < 2{n} ** {}{n}",
                bits - 1,
                bits - 1
            )
        } else {
            format!(">= 0{n} and < 2{n} ** {bits}{n}")
        }
    } else {
        format!(">= {min}{n} and <= {max}{n}")
    };
    (range, min, max)
}

/// `buf.write…(value, offset[, byteLength])` with JavaScript values; returns the offset after
/// the written bytes, as Node does.
///
/// ```
/// use nodestd_buffer::js::{write, Accessor, JsNum};
/// let mut b = [0u8; 4];
/// let a = Accessor::parse("writeUInt16BE").unwrap();
/// assert_eq!(write(&mut b, a, JsNum::Number(258.0), 1.0, None).unwrap(), 3);
/// assert_eq!(b, [0, 1, 2, 0]);
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` for a value outside the type's range (checked before the offset), a
/// bad offset or `byteLength`; `ERR_BUFFER_OUT_OF_BOUNDS`; `ERR_INVALID_ARG_TYPE`-free by
/// construction (a Number for a BigInt accessor, or the reverse, is `ERR_OUT_OF_RANGE` here
/// where JavaScript throws a `TypeError`).
pub fn write(
    buf: &mut [u8],
    acc: Accessor,
    value: JsNum,
    offset: f64,
    byte_length: Option<f64>,
) -> Result<usize> {
    let width = match acc.width {
        Some(w) => w,
        None => check_byte_length(byte_length.unwrap_or(f64::NAN))?,
    };
    let raw: u64 = match (acc.kind, value) {
        (NumKind::UInt | NumKind::Int, JsNum::Number(v)) => {
            let (range, min, max) = int_range(acc.kind == NumKind::Int, width, false);
            if v > max || v < min {
                return Err(Error::out_of_range("value", &range, &received_number(v)));
            }
            let lo = u64::from(to_uint32(v));
            if width > 4 {
                let hi = u64::from(to_uint32((v * 2f64.powi(-32)).floor()));
                hi << 32 | lo
            } else {
                lo
            }
        }
        (NumKind::BigUInt | NumKind::BigInt, JsNum::BigInt(v)) => {
            let signed = acc.kind == NumKind::BigInt;
            let (min, max) = if signed {
                (-(1i128 << 63), (1i128 << 63) - 1)
            } else {
                (0, (1i128 << 64) - 1)
            };
            if v > max || v < min {
                let (range, _, _) = int_range(signed, 8, true);
                return Err(Error::out_of_range("value", &range, &received_bigint(v)));
            }
            v as u64
        }
        (NumKind::Float, JsNum::Number(v)) => u64::from((v as f32).to_bits()),
        (NumKind::Double, JsNum::Number(v)) => v.to_bits(),
        (_, v) => {
            return Err(Error::out_of_range(
                "value",
                "a number of the accessor's type",
                &format!("{v:?}"),
            ));
        }
    };
    let at = check_offset(buf.len(), offset, width)?;
    for i in 0..width {
        let b = (raw >> (8 * i)) as u8;
        let pos = if acc.le { at + i } else { at + width - 1 - i };
        buf[pos] = b;
    }
    Ok(at + width)
}

/// A JavaScript index argument as `toString`, `indexOf` and friends truncate it: NaN is 0.
pub fn trunc_index(x: f64) -> f64 {
    if x.is_nan() { 0.0 } else { x.trunc() }
}

/// `util.inspect` of a string: single quotes unless the string holds one (then double
/// quotes, or backticks when it holds both), control characters, the quote and `\\` escaped
/// as Node's `strEscape` does, lone surrogates as `\\uXXXX`.
///
/// ```
/// use nodestd_buffer::js::inspect_string;
/// let units = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
/// assert_eq!(inspect_string(&units("it's")), "\"it's\"");
/// assert_eq!(inspect_string(&units("a\nb")), "'a\\nb'");
/// assert_eq!(inspect_string(&[0xd800]), "'\\ud800'");
/// ```
pub fn inspect_string(units: &[u16]) -> String {
    let has = |c: char| units.contains(&(c as u16));
    let quote = if has('\'') {
        if !has('"') {
            '"'
        } else if !has('`')
            && !units
                .windows(2)
                .any(|w| w == [u16::from(b'$'), u16::from(b'{')])
        {
            '`'
        } else {
            '\''
        }
    } else {
        '\''
    };
    let mut out = String::with_capacity(units.len() + 2);
    out.push(quote);
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        if (quote == '\'' && u == 39) || u == 92 || u < 32 || (127..160).contains(&u) {
            match u {
                8 => out.push_str("\\b"),
                9 => out.push_str("\\t"),
                10 => out.push_str("\\n"),
                12 => out.push_str("\\f"),
                13 => out.push_str("\\r"),
                39 => out.push_str("\\'"),
                92 => out.push_str("\\\\"),
                _ => out.push_str(&format!("\\x{u:02X}")),
            }
        } else if (0xd800..0xdc00).contains(&u)
            && units
                .get(i + 1)
                .is_some_and(|n| (0xdc00..0xe000).contains(n))
        {
            out.extend(char::decode_utf16([u, units[i + 1]]).map(|c| c.unwrap_or('\u{fffd}')));
            i += 1;
        } else if (0xd800..0xe000).contains(&u) {
            out.push_str(&format!("\\u{u:x}"));
        } else {
            out.push(char::from_u32(u32::from(u)).unwrap_or('\u{fffd}'));
        }
        i += 1;
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript() {
        for (x, s) in [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (123456789012345680000.0, "123456789012345680000"),
            (1e21, "1e+21"),
            (1.25e-7, "1.25e-7"),
            (0.1, "0.1"),
            (f64::INFINITY, "Infinity"),
        ] {
            assert_eq!(number_to_string(x), s);
        }
        assert_eq!(add_numerical_separator("-1234567"), "-1_234_567");
        assert_eq!(received_number(2f64.powi(33)), "8_589_934_592");
        assert_eq!(received_bigint(-1), "-1n");
    }

    #[test]
    fn accessor_names() {
        assert!(Accessor::parse("readUInt8").is_some());
        assert!(Accessor::parse("readUInt8LE").is_none());
        assert!(Accessor::parse("readBigFloatLE").is_none());
        assert_eq!(Accessor::parse("readIntBE").unwrap().width, None);
    }
}
