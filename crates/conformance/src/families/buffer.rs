//! The `buffer` record family (`fixtures/buffer.jsonl`, recorded by `node/buffer_record.js`
//! through `node/buffer_driver.js`): `buffer.<method>` with the receiver Buffer as the first
//! argument. `{"$bytes"}` is a Buffer, `{"$bigint": "…"}` a BigInt, `{"$num": "NaN"}` a
//! Number JSON cannot write, `null` is `undefined` (trailing ones are absent arguments).
//!
//! What Node's JavaScript does with its arguments before the work (which `nodestd-buffer`
//! does) happens here, in Node's order: `toString`'s range coercion, `bidirectionalIndexOf`'s
//! byteOffset/encoding shuffle, `_fill`'s, `Buffer.from`'s encoding defaults.

use nodestd_buffer::js::{self, Accessor, JsNum, NumKind};
use nodestd_buffer::{Buffer, BufferExt, Encoding, Fill, Needle};
use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;
use crate::bytes::{from_value as as_bytes, to_value as bytes_value};
use crate::json::{as_js_string, js_string};

/// A JavaScript argument of a buffer record.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Undefined,
    Str(Vec<u16>),
    Bytes(Vec<u8>),
    Num(f64),
    Big(i128),
    List(Vec<Arg>),
    Other,
}

fn arg(v: &Value) -> Arg {
    if let Some(b) = as_bytes(v) {
        return Arg::Bytes(b);
    }
    if let Some(u) = as_js_string(v) {
        return Arg::Str(u);
    }
    match v {
        Value::Null => Arg::Undefined,
        Value::Number(n) => Arg::Num(n.as_f64().unwrap_or(f64::NAN)),
        Value::Array(items) => Arg::List(items.iter().map(arg).collect()),
        Value::Object(m) => {
            if let Some(s) = m.get("$bigint").and_then(Value::as_str) {
                return s.parse().map_or(Arg::Other, Arg::Big);
            }
            match m.get("$num").and_then(Value::as_str) {
                Some("NaN") => Arg::Num(f64::NAN),
                Some("Infinity") => Arg::Num(f64::INFINITY),
                Some("-Infinity") => Arg::Num(f64::NEG_INFINITY),
                Some("-0") => Arg::Num(-0.0),
                _ => Arg::Other,
            }
        }
        _ => Arg::Other,
    }
}

/// A failure with Node's code and, when this runner can build it, Node's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Node's `code`.
    pub code: String,
    /// Node's message; `None` for the argument-type errors whose text is not modelled.
    pub message: Option<String>,
}

impl From<nodestd_buffer::Error> for Failure {
    fn from(e: nodestd_buffer::Error) -> Failure {
        Failure {
            code: e.code().into(),
            message: Some(e.message().into()),
        }
    }
}

fn arg_type() -> Failure {
    Failure {
        code: "ERR_INVALID_ARG_TYPE".into(),
        message: None,
    }
}

fn unknown_encoding(units: &[u16]) -> Failure {
    Failure {
        code: "ERR_UNKNOWN_ENCODING".into(),
        message: Some(format!(
            "Unknown encoding: {}",
            String::from_utf16_lossy(units)
        )),
    }
}

/// Node's `getEncodingOps`: the empty name is unknown here.
fn ops(units: &[u16]) -> Option<Encoding> {
    let s = String::from_utf16(units).ok()?;
    if s.is_empty() {
        None
    } else {
        Encoding::parse(&s)
    }
}

/// A JavaScript number as a record value.
fn number(x: f64) -> Value {
    if x.is_nan() || x.is_infinite() || (x == 0.0 && x.is_sign_negative()) {
        let s = if x.is_nan() {
            "NaN"
        } else if x == 0.0 {
            "-0"
        } else if x > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        };
        return serde_json::json!({ "$num": s });
    }
    // JSON.stringify writes JavaScript's shortest digits (`-145065166122254340`, not the
    // exact integer `…336`); the record holds what JSON parsing makes of that text.
    serde_json::from_str(&js::number_to_string(x)).unwrap_or(Value::Null)
}

fn bigint(x: i128) -> Value {
    serde_json::json!({ "$bigint": x.to_string() })
}

/// Calls `buffer.<name>` (the name without its prefix), keeping Node's message.
///
/// # Errors
/// What Node throws, as a [`Failure`].
pub fn call_full(name: &str, args: &[Value]) -> Result<Value, Failure> {
    let mut a: Vec<Arg> = args.iter().map(arg).collect();
    while a.last() == Some(&Arg::Undefined) {
        a.pop();
    }
    let at = |i: usize| a.get(i).cloned().unwrap_or(Arg::Undefined);
    match name {
        "from" => {
            let Arg::Str(s) = at(0) else {
                return Err(arg_type());
            };
            let enc = match at(1) {
                Arg::Str(e) if !e.is_empty() => ops(&e).ok_or_else(|| unknown_encoding(&e))?,
                _ => Encoding::Utf8,
            };
            return Ok(bytes_value(&Buffer::from_utf16(&s, enc)));
        }
        "byteLength" => {
            let Arg::Str(s) = at(0) else {
                return Err(arg_type());
            };
            let enc = match at(1) {
                Arg::Str(e) => ops(&e).unwrap_or(Encoding::Utf8),
                _ => Encoding::Utf8,
            };
            return Ok(number(enc.byte_length_utf16(&s) as f64));
        }
        "isEncoding" => {
            let yes = match at(0) {
                Arg::Str(e) => {
                    nodestd_buffer::is_encoding(&String::from_utf16(&e).unwrap_or_default())
                }
                _ => false,
            };
            return Ok(Value::Bool(yes));
        }
        "alloc" => {
            let Arg::Num(n) = at(0) else {
                return Err(arg_type());
            };
            let mut b = Buffer::alloc(n as usize);
            let fill = at(1);
            if fill != Arg::Undefined && fill != Arg::Num(0.0) && n > 0.0 {
                fill_impl(&mut b, fill, Arg::Num(0.0), Arg::Num(n), at(2))?;
            }
            return Ok(bytes_value(&b));
        }
        "concat" => {
            let Arg::List(items) = at(0) else {
                return Err(arg_type());
            };
            let list: Option<Vec<Vec<u8>>> = items
                .into_iter()
                .map(|x| match x {
                    Arg::Bytes(b) => Some(b),
                    _ => None,
                })
                .collect();
            let list = list.ok_or_else(arg_type)?;
            let total = match at(1) {
                Arg::Undefined => None,
                Arg::Num(n) if n.fract() == 0.0 && n >= 0.0 => Some(n as usize),
                _ => return Err(arg_type()),
            };
            return Ok(bytes_value(&Buffer::concat(&list, total)));
        }
        _ => {}
    }
    let Arg::Bytes(mut buf) = at(0) else {
        return Err(arg_type());
    };
    let rest = &a[1.min(a.len())..];
    let r = |i: usize| rest.get(i).cloned().unwrap_or(Arg::Undefined);
    let other = |i: usize| match r(i) {
        Arg::Bytes(b) => Ok(b),
        _ => Err(arg_type()),
    };
    match name {
        "toString" => to_string(&buf, rest),
        "toJSON" => Ok(serde_json::from_str(&buf.to_json()).unwrap_or(Value::Null)),
        "equals" => Ok(Value::Bool(buf.equals(&other(0)?))),
        "compare" => Ok(number(f64::from(Buffer::compare(&buf, &other(0)?)))),
        "compareTo" => Ok(number(f64::from(buf.compare_to(&other(0)?)))),
        "indexOf" | "lastIndexOf" | "includes" => {
            let forward = name != "lastIndexOf";
            let i = index_of(&buf, r(0), r(1), r(2), forward)?;
            if name == "includes" {
                Ok(Value::Bool(i != -1))
            } else {
                Ok(number(i as f64))
            }
        }
        "subarray" => {
            let index = |x: Arg, default: i64| match x {
                Arg::Undefined => Ok(default),
                Arg::Num(n) if n.is_nan() => Ok(0),
                Arg::Num(n) => Ok(n.trunc().clamp(-9e18, 9e18) as i64),
                _ => Err(arg_type()),
            };
            let start = index(r(0), 0)?;
            let end = index(r(1), buf.len() as i64)?;
            Ok(bytes_value(buf.subarray(start, Some(end))))
        }
        "swap16" | "swap32" | "swap64" => {
            match name {
                "swap16" => buf.swap16()?,
                "swap32" => buf.swap32()?,
                _ => buf.swap64()?,
            };
            Ok(after_write(&buf, Value::Null))
        }
        "fill" => {
            fill_impl(&mut buf, r(0), r(1), r(2), r(3))?;
            Ok(after_write(&buf, Value::Null))
        }
        _ => {
            let acc = Accessor::parse(name).ok_or_else(|| Failure {
                code: "ERR_NOT_IMPLEMENTED".into(),
                message: None,
            })?;
            accessor(&mut buf, acc, rest)
        }
    }
}

fn after_write(buf: &[u8], returned: Value) -> Value {
    serde_json::json!({ "bytes": bytes_value(buf), "returned": returned })
}

/// `buf.toString(encoding, start, end)` as lib/buffer.js coerces its arguments.
fn to_string(buf: &[u8], rest: &[Arg]) -> Result<Value, Failure> {
    let units = |s: String| js_string(&s.encode_utf16().collect::<Vec<_>>());
    if rest.is_empty() {
        return Ok(units(buf.to_string_enc(Encoding::Utf8)));
    }
    let r = |i: usize| rest.get(i).cloned().unwrap_or(Arg::Undefined);
    let num = |x: Arg| match x {
        Arg::Undefined => Ok(f64::NAN),
        Arg::Num(n) => Ok(n),
        _ => Err(arg_type()),
    };
    let len = buf.len() as f64;
    let start = num(r(1))?;
    let start = if start <= 0.0 {
        0.0
    } else if start >= len {
        return Ok(Value::String(String::new()));
    } else {
        js::trunc_index(start)
    };
    let end = match r(2) {
        Arg::Undefined => len,
        x => {
            let e = num(x)?;
            if e > len { len } else { js::trunc_index(e) }
        }
    };
    if end <= start {
        return Ok(Value::String(String::new()));
    }
    let enc = match r(0) {
        Arg::Undefined => Encoding::Utf8,
        Arg::Str(e) => ops(&e).ok_or_else(|| unknown_encoding(&e))?,
        _ => return Err(arg_type()),
    };
    let slice = &buf[start as usize..end as usize];
    Ok(js_string(&enc.decode_utf16(slice)))
}

/// `bidirectionalIndexOf`'s argument handling, then the search.
fn index_of(buf: &[u8], value: Arg, off: Arg, enc: Arg, forward: bool) -> Result<i64, Failure> {
    let (off, enc) = match off {
        Arg::Str(s) => (Arg::Undefined, Arg::Str(s)),
        o => (o, enc),
    };
    let byte_offset = match off {
        Arg::Undefined => None,
        Arg::Num(n) if n.is_nan() => None,
        Arg::Num(n) => Some(n.clamp(-2_147_483_648.0, 2_147_483_647.0).trunc() as i64),
        _ => return Err(arg_type()),
    };
    let encoding = match &enc {
        Arg::Undefined => Some(Encoding::Utf8),
        Arg::Str(e) => ops(e),
        _ => None,
    };
    let found = match &value {
        Arg::Num(n) => {
            let b = js::to_uint32(*n) as u8;
            buf_search(buf, Needle::Byte(b), byte_offset, Encoding::Utf8, forward)
        }
        Arg::Str(s) => {
            let Some(e) = encoding else {
                let Arg::Str(name) = &enc else {
                    return Err(arg_type());
                };
                return Err(unknown_encoding(name));
            };
            buf_search(buf, Needle::Utf16(s), byte_offset, e, forward)
        }
        Arg::Bytes(b) => buf_search(
            buf,
            Needle::Bytes(b),
            byte_offset,
            encoding.unwrap_or(Encoding::Utf8),
            forward,
        ),
        _ => return Err(arg_type()),
    };
    Ok(found)
}

fn buf_search(buf: &[u8], n: Needle<'_>, off: Option<i64>, enc: Encoding, forward: bool) -> i64 {
    let r = if forward {
        buf.index_of(n, off, enc)
    } else {
        buf.last_index_of(n, off, enc)
    };
    r.map_or(-1, |i| i as i64)
}

/// Node's `validateOffset(value, name, min, max)`.
fn validate_offset(v: &Arg, name: &str, max: usize) -> Result<usize, Failure> {
    let Arg::Num(n) = *v else {
        return Err(arg_type());
    };
    let fail = |range: String| Failure {
        code: "ERR_OUT_OF_RANGE".into(),
        message: Some(format!(
            "The value of \"{name}\" is out of range. It must be {range}. Received {}",
            js::received_number(n)
        )),
    };
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(fail("an integer".into()));
    }
    if n < 0.0 || n > max as f64 {
        return Err(fail(format!(">= 0 && <= {max}")));
    }
    Ok(n as usize)
}

/// lib/buffer.js `_fill`.
fn fill_impl(buf: &mut [u8], value: Arg, offset: Arg, end: Arg, enc: Arg) -> Result<(), Failure> {
    let (mut offset, mut end, mut enc) = (offset, end, enc);
    let len = buf.len();
    let is_str = matches!(value, Arg::Str(_));
    if is_str {
        if matches!(offset, Arg::Undefined | Arg::Str(_)) {
            enc = offset;
            offset = Arg::Num(0.0);
            end = Arg::Num(len as f64);
        } else if matches!(end, Arg::Str(_)) {
            enc = end;
            end = Arg::Num(len as f64);
        }
    }
    let encoding = if is_str {
        match &enc {
            Arg::Undefined => Encoding::Utf8,
            Arg::Str(e) => {
                let s = String::from_utf16_lossy(e);
                Encoding::parse(&s).ok_or_else(|| unknown_encoding(e))?
            }
            _ => return Err(arg_type()),
        }
    } else {
        Encoding::Utf8
    };
    let (offset, end) = match offset {
        Arg::Undefined => (0, len),
        o => {
            let o = validate_offset(&o, "offset", nodestd_buffer::MAX_LENGTH)?;
            let e = match end {
                Arg::Undefined => len,
                e => validate_offset(&e, "end", len)?,
            };
            (o, e)
        }
    };
    if offset >= end {
        return Ok(());
    }
    let fill = match &value {
        Arg::Num(n) => Fill::Byte(js::to_uint32(*n) as u8),
        Arg::Str(s) => Fill::Utf16(s),
        Arg::Bytes(b) => Fill::Bytes(b),
        _ => return Err(arg_type()),
    };
    buf.fill_enc(fill, offset, Some(end), encoding)?;
    Ok(())
}

/// `buf.read…(offset[, byteLength])` and `buf.write…(value, offset[, byteLength])`.
fn accessor(buf: &mut [u8], acc: Accessor, rest: &[Arg]) -> Result<Value, Failure> {
    let r = |i: usize| rest.get(i).cloned().unwrap_or(Arg::Undefined);
    let (value, offset, byte_length) = if acc.read {
        (None, r(0), r(1))
    } else {
        (Some(r(0)), r(1), r(2))
    };
    let variable = acc.width.is_none();
    let byte_length = if variable {
        match byte_length {
            Arg::Num(n) => Some(n),
            Arg::Undefined => {
                // `boundsError(undefined, …)` validates the number first.
                if acc.read && offset == Arg::Undefined {
                    return Err(arg_type());
                }
                return Err(arg_type());
            }
            _ => return Err(arg_type()),
        }
    } else {
        None
    };
    let off = match offset {
        Arg::Undefined if variable && acc.read => return Err(arg_type()),
        Arg::Undefined if variable => f64::NAN,
        Arg::Undefined => 0.0,
        Arg::Num(n) => n,
        _ => return Err(arg_type()),
    };
    if acc.read {
        return Ok(match js::read(buf, acc, off, byte_length)? {
            JsNum::Number(n) => number(n),
            JsNum::BigInt(n) => bigint(n),
        });
    }
    let big = matches!(acc.kind, NumKind::BigInt | NumKind::BigUInt);
    let value = match (value, big) {
        (Some(Arg::Num(n)), false) => JsNum::Number(n),
        (Some(Arg::Big(n)), true) => JsNum::BigInt(n),
        (Some(Arg::Undefined), false) => JsNum::Number(f64::NAN),
        _ => {
            return Err(Failure {
                code: "TypeError".into(),
                message: None,
            });
        }
    };
    if variable && offset == Arg::Undefined {
        // `checkBounds` validates the offset's type after the value's range.
        // (A scratch buffer long enough for any width: only the value's range can fail.)
        js::write(&mut [0u8; 8], acc, value, 0.0, byte_length)?;
        return Err(arg_type());
    }
    let end = js::write(buf, acc, value, off, byte_length)?;
    Ok(after_write(buf, number(end as f64)))
}

/// Calls `buffer.<name>`, as a record answer.
pub fn call(name: &str, args: &[Value]) -> Outcome {
    call_full(name, args).map_err(|f| Throw::new(f.code))
}
