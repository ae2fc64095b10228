//! Decoding of record lines.
//!
//! Records are JSON, except that strings may hold lone UTF-16 surrogates (`"\ud800"`), which
//! JavaScript strings can carry and Rust strings cannot (serde_json rejects them).
//!
//! # Lone surrogates: `$utf16`
//! When serde_json rejects a line, [`parse_line`] rewrites every string literal holding a
//! lone surrogate escape and decodes the line again:
//!
//! - a string **value** becomes the object `{"$utf16": [code units...]}`, e.g. `"a\ud800"` →
//!   `{"$utf16":[97,55296]}`;
//! - an object **key** (which must stay a string) becomes the JSON text of that object, e.g.
//!   the key `"\ud800"` → the key `{"$utf16":[55296]}`.
//!
//! Every other literal is left as it is, so lines without lone surrogates decode exactly as
//! serde_json decodes them, and a line that is not JSON even after the rewrite is still an
//! error (the runner answers it `ERR_INVALID_RECORD`: one answer per line either way).
//! Answers use the same convention ([`js_string`]), so an answer holding a lone surrogate
//! compares equal to the record's decoded `result`. Families turn `$utf16` values back into
//! JavaScript strings with [`as_js_string`] and [`key_js_string`].

use serde_json::{Map, Value};

/// The key of the object standing for a string with lone surrogates.
pub const UTF16: &str = "$utf16";

/// Decodes one record line.
///
/// ```
/// use nodestd_conformance::json::parse_line;
/// let v = parse_line(r#"{"args":["a\ud800",{"\udc00":1}]}"#).unwrap();
/// assert_eq!(v.to_string(), r#"{"args":[{"$utf16":[97,55296]},{"{\"$utf16\":[56320]}":1}]}"#);
/// ```
///
/// # Errors
/// The line is not a JSON value, even with its lone surrogates rewritten.
pub fn parse_line(line: &str) -> Result<Value, String> {
    match serde_json::from_str(line) {
        Ok(v) => Ok(v),
        Err(e) => match rewrite_lone_surrogates(line) {
            Some(rewritten) => serde_json::from_str(&rewritten).map_err(|e| e.to_string()),
            None => Err(e.to_string()),
        },
    }
}

/// A JavaScript string as a JSON value: a plain string when it is valid UTF-16, else the
/// `{"$utf16": [...]}` object.
pub fn js_string(units: &[u16]) -> Value {
    match String::from_utf16(units) {
        Ok(s) => Value::String(s),
        Err(_) => utf16_object(units),
    }
}

/// A JavaScript string as an object key: the string itself when it is valid UTF-16, else the
/// JSON text of the `{"$utf16": [...]}` object.
pub fn js_key(units: &[u16]) -> String {
    match String::from_utf16(units) {
        Ok(s) => s,
        Err(_) => utf16_object(units).to_string(),
    }
}

/// The code units of a JSON value that stands for a JavaScript string: a plain string or a
/// `{"$utf16": [...]}` object. `None` for anything else.
pub fn as_js_string(v: &Value) -> Option<Vec<u16>> {
    match v {
        Value::String(s) => Some(s.encode_utf16().collect()),
        Value::Object(m) if m.len() == 1 => {
            let items = m.get(UTF16)?.as_array()?;
            items
                .iter()
                .map(|x| x.as_u64().and_then(|n| u16::try_from(n).ok()))
                .collect()
        }
        _ => None,
    }
}

/// The code units of an object key, undoing [`js_key`].
pub fn key_js_string(key: &str) -> Vec<u16> {
    if key.starts_with("{\"$utf16\":") {
        let decoded = serde_json::from_str::<Value>(key).ok();
        if let Some(units) = decoded
            .filter(Value::is_object)
            .as_ref()
            .and_then(as_js_string)
        {
            return units;
        }
    }
    key.encode_utf16().collect()
}

fn utf16_object(units: &[u16]) -> Value {
    let mut m = Map::new();
    m.insert(
        UTF16.into(),
        Value::Array(units.iter().map(|&u| Value::from(u)).collect()),
    );
    Value::Object(m)
}

/// Rewrites each string literal that holds a lone surrogate (see the module docs). `None`
/// when there is nothing to rewrite.
fn rewrite_lone_surrogates(line: &str) -> Option<String> {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len() + 16);
    let mut changed = false;
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        let end = literal_end(bytes, start)?;
        let Some(units) = decode_literal(&line[start + 1..end]) else {
            i = end + 1;
            continue;
        };
        if String::from_utf16(&units).is_err() {
            let is_key = line[end + 1..].trim_start().starts_with(':');
            out.push_str(&line[copied..start]);
            let replacement = if is_key {
                Value::String(js_key(&units)).to_string()
            } else {
                utf16_object(&units).to_string()
            };
            out.push_str(&replacement);
            copied = end + 1;
            changed = true;
        }
        i = end + 1;
    }
    out.push_str(&line[copied..]);
    changed.then_some(out)
}

/// The index of the closing quote of the literal opening at `start`.
fn literal_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut escaped = false;
    for (j, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (escaped, b) {
            (true, _) => escaped = false,
            (false, b'\\') => escaped = true,
            (false, b'"') => return Some(j),
            _ => {}
        }
    }
    None
}

/// The UTF-16 code units of a literal's body; `None` when it is not valid JSON string text.
fn decode_literal(body: &str) -> Option<Vec<u16>> {
    let mut units = Vec::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        let unit = match chars.next()? {
            '"' => 0x22,
            '\\' => 0x5C,
            '/' => 0x2F,
            'b' => 0x08,
            'f' => 0x0C,
            'n' => 0x0A,
            'r' => 0x0D,
            't' => 0x09,
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                if hex.len() != 4 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                u16::from_str_radix(&hex, 16).ok()?
            }
            _ => return None,
        };
        units.push(unit);
    }
    Some(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_are_serde_json() {
        let line = r#"{"fn":"x","args":["\ud83d\ude00","\"\\"]}"#;
        assert_eq!(
            parse_line(line).unwrap(),
            serde_json::from_str::<Value>(line).unwrap()
        );
    }

    #[test]
    fn lone_surrogates_become_utf16_objects() {
        let v = parse_line(r#"{"a":"x\udc00\n","b":"\ud83d\ude00\ud800"}"#).unwrap();
        assert_eq!(as_js_string(&v["a"]).unwrap(), [0x78, 0xDC00, 0x0A]);
        assert_eq!(as_js_string(&v["b"]).unwrap(), [0xD83D, 0xDE00, 0xD800]);
    }

    #[test]
    fn keys_round_trip() {
        let v = parse_line(r#"{"k\ud800" : "v"}"#).unwrap();
        let (key, _) = v.as_object().unwrap().iter().next().unwrap();
        assert_eq!(key_js_string(key), [0x6B, 0xD800]);
        assert_eq!(js_key(&[0x6B, 0xD800]), *key);
        assert_eq!(key_js_string("plain"), [0x70, 0x6C, 0x61, 0x69, 0x6E]);
    }

    #[test]
    fn broken_lines_stay_errors() {
        assert!(parse_line(r#"{"a":"\ud800"#).is_err());
        assert!(parse_line(r#"{"a":"\ud800",}"#).is_err());
        assert!(parse_line("not json").is_err());
    }
}
