//! The `zlib` record family: `zlib.<name>Sync(data, options)` for the nine convenience
//! methods and `zlib.crc32(data, value)`. Bytes travel as `{"$bytes": base64}`.
//!
//! Node's JavaScript checks of the JSON values happen here, in Node's order:
//! - `data`: a string (UTF-8, lone surrogates as U+FFFD) or bytes, else
//!   `ERR_INVALID_ARG_TYPE`, checked after the options (Node builds the engine first).
//! - Options are read only from a JSON object (Node's `if (opts)` ignores falsy values, and
//!   a truthy non-object has no such properties). Each numeric option must be a number
//!   (`null` only for an inflating mode's `windowBits`), else `ERR_INVALID_ARG_TYPE`.
//!   A fractional value is truncated, as Node's C++ does, after range checks with the value
//!   itself: the options are validated with it rounded down and rounded up, which fails
//!   exactly when the real value lies outside Node's integer bounds.
//! - Brotli `params`: keys in JavaScript's `Object.keys` order (array indices first), each
//!   `+key` an integer in 0..=8 and not repeated (else `ERR_BROTLI_INVALID_PARAM`), each value
//!   a number or boolean (else `ERR_INVALID_ARG_TYPE`) stored as `ToUint32` does.
//! - `crc32`'s `value`: absent is 0; otherwise `validateUint32`.

use crate::bytes::{from_value as as_bytes, to_value as bytes_value};
use nodestd_zlib::{self as zlib, Mode, Options};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::args::Throw;
use crate::json::as_js_string;

/// Calls `zlib.<name>`.
pub fn call(name: &str, args: &[Value]) -> Outcome {
    let mode = match name {
        "crc32" => return crc32(args),
        "gzipSync" => Mode::Gzip,
        "gunzipSync" => Mode::Gunzip,
        "deflateSync" => Mode::Deflate,
        "inflateSync" => Mode::Inflate,
        "deflateRawSync" => Mode::DeflateRaw,
        "inflateRawSync" => Mode::InflateRaw,
        "unzipSync" => Mode::Unzip,
        "brotliCompressSync" => Mode::BrotliEncode,
        "brotliDecompressSync" => Mode::BrotliDecode,
        _ => return Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    };
    let opts = options(mode, args.get(1))?;
    // Node constructs the engine (all option errors) before it looks at the data.
    zlib::Zlib::new(mode, &opts).map_err(|e| Throw::new(e.code()))?;
    let Some(data) = args.first().and_then(data_bytes) else {
        return Err(Throw::invalid_arg_type());
    };
    zlib::sync(mode, &data, &opts)
        .map(|out| bytes_value(&out))
        .map_err(|e| Throw::new(e.code()))
}

fn crc32(args: &[Value]) -> Outcome {
    let Some(data) = args.first().and_then(data_bytes) else {
        return Err(Throw::invalid_arg_type());
    };
    let value = match args.get(1) {
        None => 0,
        Some(Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() != 0.0 || !(0.0..=4_294_967_295.0).contains(&f) {
                return Err(Throw::new("ERR_OUT_OF_RANGE"));
            }
            f as u32
        }
        Some(_) => return Err(Throw::invalid_arg_type()),
    };
    Ok(Value::from(zlib::crc32(&data, value)))
}

/// A string (as UTF-8, lone surrogates becoming U+FFFD as `Buffer.from` does) or
/// `{"$bytes": …}`.
fn data_bytes(v: &Value) -> Option<Vec<u8>> {
    if let Some(b) = as_bytes(v) {
        return Some(b);
    }
    as_js_string(v).map(|units| String::from_utf16_lossy(&units).into_bytes())
}

/// One numeric option as Node reads it: `None` when absent (or `null` where allowed), the
/// number otherwise; `ERR_INVALID_ARG_TYPE` for anything else.
fn number(m: &Map<String, Value>, key: &str, null_ok: bool) -> Result<Option<f64>, Throw> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::Null) if null_ok => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(_) => Err(Throw::invalid_arg_type()),
    }
}

/// Where an integer option lives in [`Options`].
type Field = fn(&mut Options) -> &mut Option<i32>;

/// The options three ways: rounded down, rounded up and truncated (see the module docs).
#[derive(Default)]
struct Triple {
    down: Options,
    up: Options,
    real: Options,
}

impl Triple {
    fn set_i32(&mut self, v: Option<f64>, field: Field) {
        if let Some(v) = v {
            *field(&mut self.down) = Some(v.floor() as i32);
            *field(&mut self.up) = Some(v.ceil() as i32);
            *field(&mut self.real) = Some(v.trunc() as i32);
        }
    }

    /// The first range error of the options so far, as Node would meet it.
    fn check(&self, mode: Mode) -> Result<(), Throw> {
        for o in [&self.down, &self.up] {
            o.validate(mode).map_err(|e| Throw::new(e.code()))?;
        }
        Ok(())
    }
}

fn options(mode: Mode, v: Option<&Value>) -> Result<Options, Throw> {
    let Some(Value::Object(m)) = v else {
        return Ok(Options::default());
    };
    let mut t = Triple::default();
    // A type error surfaces after the range errors of the options Node read before it.
    let fail = |t: &Triple, e: Throw| -> Result<Options, Throw> {
        t.check(mode)?;
        Err(e)
    };
    if mode.is_brotli() {
        let p = brotli_params(m.get("params"))?;
        t.down.params.clone_from(&p);
        t.up.params.clone_from(&p);
        t.real.params = p;
    } else {
        let inflating = matches!(mode, Mode::Inflate | Mode::Gunzip | Mode::Unzip);
        let keys: [(&str, Field); 4] = [
            ("windowBits", |o| &mut o.window_bits),
            ("level", |o| &mut o.level),
            ("memLevel", |o| &mut o.mem_level),
            ("strategy", |o| &mut o.strategy),
        ];
        for (key, field) in keys {
            match number(m, key, inflating && key == "windowBits") {
                Ok(v) => t.set_i32(v, field),
                Err(e) => return fail(&t, e),
            }
        }
        match m.get("dictionary") {
            None => {}
            Some(d) => match as_bytes(d) {
                Some(b) => {
                    t.down.dictionary = Some(b.clone());
                    t.up.dictionary = Some(b.clone());
                    t.real.dictionary = Some(b);
                }
                None => return fail(&t, Throw::invalid_arg_type()),
            },
        }
    }
    match number(m, "chunkSize", false) {
        Ok(Some(v)) => {
            t.down.chunk_size = Some(v.floor().max(0.0) as usize);
            t.up.chunk_size = Some(v.ceil().max(0.0) as usize);
            t.real.chunk_size = Some(v.trunc().max(0.0) as usize);
        }
        Ok(None) => {}
        Err(e) => return fail(&t, e),
    }
    for (key, field) in [
        ("flush", (|o| &mut o.flush) as Field),
        ("finishFlush", |o| &mut o.finish_flush),
    ] {
        match number(m, key, false) {
            Ok(v) => t.set_i32(v, field),
            Err(e) => return fail(&t, e),
        }
    }
    match number(m, "maxOutputLength", false) {
        Ok(Some(v)) => {
            t.down.max_output_length = Some(v.floor().max(0.0) as u64);
            t.up.max_output_length = Some(v.ceil().max(0.0) as u64);
            t.real.max_output_length = Some(v.trunc().max(0.0) as u64);
        }
        Ok(None) => {}
        Err(e) => return fail(&t, e),
    }
    t.check(mode)?;
    Ok(t.real)
}

/// `+key` for a params key: JavaScript's `ToNumber` of a string (enough of it for keys).
fn js_to_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r: u32| u64::from_str_radix(p, r).map_or(f64::NAN, |n| n as f64);
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return radix(h, 16);
    }
    if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        return radix(o, 8);
    }
    if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        return radix(b, 2);
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    if t.chars()
        .any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
    {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}

/// Whether `Object.keys` lists `k` among the array indices (first, in numeric order).
fn array_index(k: &str) -> Option<u32> {
    let n: u32 = k.parse().ok()?;
    (n.to_string() == k && n != u32::MAX).then_some(n)
}

fn brotli_params(v: Option<&Value>) -> Result<Vec<(u32, u32)>, Throw> {
    // `opts?.params` must be truthy; `Object.keys` of a string lists its indices.
    let entries: Vec<(String, Value)> = match v {
        Some(Value::Object(m)) => {
            let mut indices: Vec<_> = m
                .iter()
                .filter_map(|(k, v)| array_index(k).map(|n| (n, k.clone(), v.clone())))
                .collect();
            indices.sort_by_key(|e| e.0);
            let mut e: Vec<_> = indices.into_iter().map(|(_, k, v)| (k, v)).collect();
            e.extend(
                m.iter()
                    .filter(|(k, _)| array_index(k).is_none())
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            e
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        Some(Value::String(s)) => s
            .chars()
            .enumerate()
            .map(|(i, c)| (i.to_string(), Value::String(c.to_string())))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = [false; nodestd_zlib::constants::K_MAX_BROTLI_PARAM as usize + 1];
    let mut out = Vec::new();
    for (key, value) in entries {
        let k = js_to_number(&key);
        if k.is_nan()
            || !(0.0..=f64::from(nodestd_zlib::constants::K_MAX_BROTLI_PARAM)).contains(&k)
            || k.fract() != 0.0
            || seen[k as usize]
        {
            return Err(Throw::new("ERR_BROTLI_INVALID_PARAM"));
        }
        seen[k as usize] = true;
        let v = match value {
            Value::Bool(b) => u32::from(b),
            Value::Number(n) => to_uint32(n.as_f64().unwrap_or(f64::NAN)),
            _ => return Err(Throw::invalid_arg_type()),
        };
        out.push((k as u32, v));
    }
    Ok(out)
}

/// JavaScript's `ToUint32`.
fn to_uint32(f: f64) -> u32 {
    if !f.is_finite() {
        return 0;
    }
    f.trunc().rem_euclid(4_294_967_296.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_keys_convert_like_javascript() {
        assert_eq!(js_to_number("1e0"), 1.0);
        assert_eq!(js_to_number(" 1"), 1.0);
        assert_eq!(js_to_number(""), 0.0);
        assert!(js_to_number("x").is_nan());
        assert_eq!(to_uint32(-1.0), u32::MAX);
    }
}
