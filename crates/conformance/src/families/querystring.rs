//! The `querystring` record family: `querystring.parse`, `stringify`, `escape`, `unescape`
//! (and `decode`/`encode`, Node's aliases, and `unescapeBuffer`, whose result is
//! `{"$bytes": base64}`).
//!
//! Arguments are coerced here as Node's JavaScript does before the algorithm runs:
//! - `parse(qs, sep, eq, options)`: a `qs` that is not a string, or is empty, gives `{}`; a
//!   falsy `sep`/`eq` means the default, any other is `String(x)`; `options.maxKeys` is read
//!   when it is a number.
//! - `stringify(obj, sep, eq)`: anything but a non-null object (arrays included) gives `""`;
//!   keys in `Object.keys` order (array indices first); `sep || '&'` and `eq || '='` are
//!   converted only when used (`eq` once there is a key, `sep` once there are two fields).
//! - `escape(x)` and `unescape(x)` use `String(x)`; `String` of an object with its own
//!   `toString` key throws `TypeError` (JSON cannot hold a callable one).
//!
//! Strings with lone surrogates arrive and leave as `{"$utf16": [...]}` (see
//! [`crate::json`]) and go through the crate's UTF-16 entry points. For `stringify` with a
//! `sep`/`eq` holding a lone surrogate, the crate is called with private-use placeholders
//! (U+E000, U+E001) that are swapped for the real code units afterwards: escaped output is
//! ASCII, so the placeholders cannot collide.

use nodestd_querystring as qs;
use serde_json::{Map, Value};

use crate::Outcome;
use crate::args::{self, Throw};
use crate::json::{as_js_string, js_key, js_string, key_js_string};

/// Calls `querystring.<name>`.
pub fn call(name: &str, args: &[Value]) -> Outcome {
    match name {
        "parse" | "decode" => parse(args),
        "stringify" | "encode" => stringify(args),
        "escape" => escape(args),
        "unescape" => unescape(args),
        "unescapeBuffer" => unescape_buffer(args),
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}

/// JavaScript's `String(v)` for a JSON argument (`None` is `undefined`).
fn to_js_string(v: Option<&Value>) -> Result<Vec<u16>, Throw> {
    let Some(v) = v else {
        return Ok(utf16("undefined"));
    };
    Ok(match v {
        Value::String(s) => utf16(s),
        Value::Object(_) if as_js_string(v).is_some() => as_js_string(v).unwrap_or_default(),
        Value::Null => utf16("null"),
        Value::Bool(b) => utf16(&b.to_string()),
        Value::Number(n) => utf16(&qs::js_number_to_string(number(n))),
        Value::Array(items) => {
            // Array.prototype.join: null (and undefined) elements are empty.
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(u16::from(b','));
                }
                if !item.is_null() {
                    out.extend(to_js_string(Some(item))?);
                }
            }
            out
        }
        // Own `toString` is not callable (JSON); Object.prototype.valueOf gives the object
        // back, so there is no primitive: TypeError.
        Value::Object(m) if m.contains_key("toString") => return Err(Throw::new("TypeError")),
        Value::Object(_) => utf16("[object Object]"),
    })
}

fn number(n: &serde_json::Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

/// `sep`/`eq`: falsy → `None` (the default), else `String(x)`, which may be empty (`[]`).
fn delimiter(v: Option<&Value>) -> Result<Option<Vec<u16>>, Throw> {
    if args::truthy(v) {
        to_js_string(v).map(Some)
    } else {
        Ok(None)
    }
}

/// A delimiter the `&str` API can take: `""` for the default, else a non-empty valid string.
fn plain_delimiter(d: &Option<Vec<u16>>) -> Option<String> {
    match d {
        None => Some(String::new()),
        Some(units) if units.is_empty() => None,
        Some(units) => String::from_utf16(units).ok(),
    }
}

fn parse(args: &[Value]) -> Outcome {
    let input = match args.first().and_then(as_js_string) {
        Some(units) if !units.is_empty() => units,
        _ => return Ok(Value::Object(Map::new())),
    };
    let sep = delimiter(args.get(1))?;
    let eq = delimiter(args.get(2))?;
    let mut options = qs::ParseOptions::default();
    // `typeof options.maxKeys === 'number'`.
    if let Some(Value::Number(n)) = args.get(3).and_then(|o| o.as_object()?.get("maxKeys")) {
        options.max_keys = qs::ParseOptions::js_max_keys(number(n));
    }
    let mut out = Map::new();
    match (
        String::from_utf16(&input),
        plain_delimiter(&sep),
        plain_delimiter(&eq),
    ) {
        (Ok(input), Some(sep), Some(eq)) => {
            for (k, v) in qs::parse_with(&input, &sep, &eq, &options).iter() {
                let value = match v {
                    qs::QueryValue::Single(s) => Value::String(s.clone()),
                    qs::QueryValue::Multiple(list) => {
                        Value::Array(list.iter().cloned().map(Value::String).collect())
                    }
                };
                out.insert(k.to_owned(), value);
            }
        }
        _ => {
            let parsed = qs::parse_utf16(&input, sep.as_deref(), eq.as_deref(), &options);
            for (k, values) in parsed.iter() {
                let value = match values {
                    [one] => js_string(one),
                    many => Value::Array(many.iter().map(|v| js_string(v)).collect()),
                };
                out.insert(js_key(k), value);
            }
        }
    }
    Ok(Value::Object(out))
}

/// `stringifyPrimitive`'s view of a JSON value.
fn primitive(v: &Value) -> qs::Primitive {
    if let Some(units) = as_js_string(v) {
        return match String::from_utf16(&units) {
            Ok(s) => qs::Primitive::Str(s),
            Err(_) => qs::Primitive::Utf16(units),
        };
    }
    match v {
        Value::Number(n) => qs::Primitive::Number(number(n)),
        Value::Bool(b) => qs::Primitive::Bool(*b),
        _ => qs::Primitive::Other,
    }
}

/// The array-index value of a key, for `Object.keys` order.
fn array_index(key: &str) -> Option<u32> {
    let canonical = !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key == "0" || !key.starts_with('0'));
    canonical
        .then(|| key.parse::<u32>().ok())
        .flatten()
        .filter(|&n| n != u32::MAX)
}

fn stringify(args: &[Value]) -> Outcome {
    // Only non-null objects are stringified; a string (even a `$utf16` one) gives "".
    let entries: Vec<(Vec<u16>, &Value)> = match args.first() {
        Some(v) if as_js_string(v).is_some() => return Ok(Value::String(String::new())),
        Some(Value::Object(m)) => {
            let mut keys: Vec<(&String, &Value)> = m.iter().collect();
            keys.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)));
            keys.into_iter()
                .map(|(k, v)| (key_js_string(k), v))
                .collect()
        }
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (utf16(&i.to_string()), v))
            .collect(),
        _ => return Ok(Value::String(String::new())),
    };
    let values: Vec<qs::StringifyValue> = entries
        .iter()
        .map(|(_, v)| match v {
            Value::Array(items) => qs::StringifyValue::List(items.iter().map(primitive).collect()),
            other => qs::StringifyValue::One(primitive(other)),
        })
        .collect();
    // `ks += eq` runs for every key; `fields += sep` once a second field is written.
    let fields: usize = values
        .iter()
        .map(|v| match v {
            qs::StringifyValue::List(items) => items.len(),
            qs::StringifyValue::One(_) => 1,
        })
        .sum();
    let eq = if entries.is_empty() {
        None
    } else {
        delimiter(args.get(2))?
    };
    let sep = if fields < 2 {
        None
    } else {
        delimiter(args.get(1))?
    };
    // Keys that are valid UTF-16 go through the `&str` path, the others through UTF-16.
    let keys: Vec<Result<String, &[u16]>> = entries
        .iter()
        .map(|(k, _)| String::from_utf16(k).map_err(|_| k.as_slice()))
        .collect();
    let pairs = keys.iter().zip(&values).map(|(k, v)| {
        let key = match k {
            Ok(s) => qs::JsStr::Str(s),
            Err(units) => qs::JsStr::Utf16(units),
        };
        (key, v)
    });
    let throw = |e: qs::Error| Throw::new(e.code());
    match (plain_delimiter(&sep), plain_delimiter(&eq)) {
        (Some(sep), Some(eq)) => qs::stringify_with(pairs, &sep, &eq, qs::Encoder::Escape)
            .map(Value::String)
            .map_err(throw),
        // Delimiters that are empty but truthy (`[]`) or hold lone surrogates.
        _ => qs::stringify_utf16(pairs, sep.as_deref(), eq.as_deref())
            .map(|units| js_string(&units))
            .map_err(throw),
    }
}

fn escape(args: &[Value]) -> Outcome {
    let units = to_js_string(args.first())?;
    let escaped = match String::from_utf16(&units) {
        Ok(s) => qs::escape(&s),
        Err(_) => qs::escape_utf16(&units).map_err(|e| Throw::new(e.code()))?,
    };
    Ok(Value::String(escaped))
}

/// `qsUnescape(s, decodeSpaces)`: `decodeURIComponent(s)`, else
/// `unescapeBuffer(s, decodeSpaces).toString()`.
fn unescape(args: &[Value]) -> Outcome {
    let units = match to_js_string(args.first()) {
        Ok(units) => units,
        // `decodeURIComponent(s)` threw while converting `s`, so Node goes on with
        // `unescapeBuffer(s)`, which starts with `Buffer.allocUnsafe(s.length)`.
        Err(throw) => return unescape_unconvertible(args.first(), throw),
    };
    let decode_spaces = args::truthy(args.get(1));
    // The common case goes through the crate's `&str` entry point.
    if !decode_spaces && !matches!(args.first(), Some(Value::Array(_))) {
        if let Ok(s) = String::from_utf16(&units) {
            return Ok(Value::String(qs::unescape(&s)));
        }
    }
    match qs::decode_uri_component_utf16(&units) {
        Ok(decoded) => Ok(js_string(&decoded)),
        Err(_) => {
            let bytes =
                qs::unescape_buffer_utf16(&buffer_source(args.first(), &units), decode_spaces);
            Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        }
    }
}

/// `unescapeBuffer(s)` for an object whose `String()` throws.
fn unescape_unconvertible(arg: Option<&Value>, throw: Throw) -> Outcome {
    match arg.and_then(|v| v.get("length")).and_then(Value::as_f64) {
        // `s.length` is not a number: `allocUnsafe` rejects it.
        None => Err(Throw::invalid_arg_type()),
        Some(n) if !(0.0..=9_007_199_254_740_991.0).contains(&n) => {
            Err(Throw::new("ERR_OUT_OF_RANGE"))
        }
        // No code unit is read: an empty buffer.
        Some(0.0) => Ok(Value::String(String::new())),
        // Reading a code unit converts `s` again.
        Some(_) => Err(throw),
    }
}

/// The code units `unescapeBuffer(s)` reads: `s.length` of them. For an array that is its
/// element count, not the length of its `String()`; reading past the end of that string
/// gives `NaN`, which Node treats as the code unit 0 does (not `+`, `%` or a hex digit;
/// stored as the byte 0).
fn buffer_source(arg: Option<&Value>, units: &[u16]) -> Vec<u16> {
    match arg {
        Some(Value::Array(items)) => {
            let mut out: Vec<u16> = units.iter().copied().take(items.len()).collect();
            out.resize(items.len(), 0);
            out
        }
        _ => units.to_vec(),
    }
}

fn unescape_buffer(args: &[Value]) -> Outcome {
    let arg = args.first();
    let units = match arg {
        None | Some(Value::Null) => return Err(Throw::new("TypeError")),
        Some(v @ Value::Array(_)) => to_js_string(Some(v))?,
        Some(v) => match as_js_string(v) {
            Some(units) => units,
            // `Buffer.allocUnsafe(s.length)` with `s.length` undefined.
            None => return Err(Throw::invalid_arg_type()),
        },
    };
    let bytes = qs::unescape_buffer_utf16(&buffer_source(arg, &units), args::truthy(args.get(1)));
    Ok(crate::bytes::to_value(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_index_keys() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("01"), None);
        assert_eq!(array_index("4294967295"), None);
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
    }
}
