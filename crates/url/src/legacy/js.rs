//! The bits of JavaScript the legacy algorithm leans on: loosely-typed values ([`JsValue`]) with
//! `String(v)` and truthiness, `decodeURIComponent`, the regexp `\s` class, UTF-16 lengths.

use crate::{Error, ErrorKind};

/// A loosely-typed JavaScript value, as a field of a plain object passed to `url.format` may
/// hold one (see [`UrlObject`](super::UrlObject)).
///
/// `undefined` is not a separate value: everywhere the legacy API reads a field, an absent
/// field and `null` behave alike, so both are [`JsValue::Null`].
#[derive(Debug, Clone, PartialEq, Default)]
pub enum JsValue {
    /// `null` (or `undefined`, or an absent field).
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsValue>),
    /// A plain object: its own keys and values, in the order they were written (the legacy
    /// API lists them as `Object.keys` does: array-index keys first, in numeric order).
    Object(Vec<(String, JsValue)>),
}

impl JsValue {
    /// JavaScript truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            JsValue::Null => false,
            JsValue::Bool(b) => *b,
            JsValue::Number(n) => *n != 0.0 && !n.is_nan(),
            JsValue::String(s) => !s.is_empty(),
            JsValue::Array(_) | JsValue::Object(_) => true,
        }
    }

    /// JavaScript's `String(value)` (`null` gives `"null"`, an array joins its elements with
    /// `,` and writes `null` elements as empty strings, an object gives `"[object Object]"`).
    pub fn to_js_string(&self) -> String {
        match self {
            JsValue::Null => "null".into(),
            JsValue::Bool(b) => b.to_string(),
            JsValue::Number(n) => number_to_string(*n),
            JsValue::String(s) => s.clone(),
            JsValue::Array(items) => items
                .iter()
                .map(|v| match v {
                    JsValue::Null => String::new(),
                    v => v.to_js_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
            JsValue::Object(_) => "[object Object]".into(),
        }
    }

    /// The value's `length` property when it is a number (strings: UTF-16 units; arrays:
    /// elements), `None` for `undefined`.
    pub(crate) fn js_length(&self) -> Option<usize> {
        match self {
            JsValue::String(s) => Some(utf16_len(s)),
            JsValue::Array(items) => Some(items.len()),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            JsValue::String(s) => Some(s),
            _ => None,
        }
    }
}

impl From<&str> for JsValue {
    fn from(s: &str) -> JsValue {
        JsValue::String(s.to_owned())
    }
}

impl From<String> for JsValue {
    fn from(s: String) -> JsValue {
        JsValue::String(s)
    }
}

impl From<Option<String>> for JsValue {
    fn from(s: Option<String>) -> JsValue {
        s.map_or(JsValue::Null, JsValue::String)
    }
}

impl From<f64> for JsValue {
    fn from(n: f64) -> JsValue {
        JsValue::Number(n)
    }
}

impl From<bool> for JsValue {
    fn from(b: bool) -> JsValue {
        JsValue::Bool(b)
    }
}

/// JavaScript's `Number.prototype.toString()` (radix 10): the shortest digits that round-trip,
/// written plainly for exponents in `-7 < e < 21` and as `1.5e+21` / `1e-7` otherwise.
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    // `{:e}` gives the shortest round-trip digits: "d.ddde<exp>".
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let k = digits.len() as i32;
    let point = exp + 1; // JavaScript's `n`: the decimal point sits after `point` digits.
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let e_sign = if e < 0 { "-" } else { "+" };
        let (first, more) = digits.split_at(1);
        if more.is_empty() {
            format!("{first}e{e_sign}{}", e.abs())
        } else {
            format!("{first}.{more}e{e_sign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

/// The length of `s` in UTF-16 code units (JavaScript's `s.length`).
pub fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Whether `c` is in JavaScript's regexp class `\s` (white space and line terminators).
pub fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// JavaScript's `decodeURIComponent`: every `%XX` run decoded as UTF-8.
///
/// # Errors
/// `URIError` ("URI malformed") for a `%` without two hex digits after it, or escapes that do
/// not form one well-formed UTF-8 sequence (overlong forms and surrogates included).
pub fn decode_uri_component(s: &str) -> Result<String, Error> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let malformed = || Error::new(ErrorKind::UriError, "URI malformed");
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut plain_from = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.push_str(&s[plain_from..i]);
        let first = hex_byte(bytes, i).ok_or_else(malformed)?;
        i += 3;
        let need = match first {
            0x00..=0x7F => 0,
            0xC0..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF7 => 3,
            _ => return Err(malformed()),
        };
        let mut seq = vec![first];
        for _ in 0..need {
            if bytes.get(i) != Some(&b'%') {
                return Err(malformed());
            }
            let b = hex_byte(bytes, i).ok_or_else(malformed)?;
            if b & 0xC0 != 0x80 {
                return Err(malformed());
            }
            seq.push(b);
            i += 3;
        }
        let decoded = std::str::from_utf8(&seq).map_err(|_| malformed())?;
        out.push_str(decoded);
        plain_from = i;
    }
    out.push_str(&s[plain_from..]);
    Ok(out)
}

/// The byte written as `%XX` at `bytes[at]`, if the two hex digits are there.
fn hex_byte(bytes: &[u8], at: usize) -> Option<u8> {
    let hi = (*bytes.get(at + 1)? as char).to_digit(16)?;
    let lo = (*bytes.get(at + 2)? as char).to_digit(16)?;
    Some((hi * 16 + lo) as u8)
}

/// Whether `key` is an array index (`"0"` … `"4294967294"`, no leading zeros), the keys
/// `Object.keys` lists first.
fn is_array_index(key: &str) -> bool {
    if key.is_empty() || key.len() > 10 || !key.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if key.len() > 1 && key.starts_with('0') {
        return false;
    }
    key.parse::<u64>().is_ok_and(|n| n < 4_294_967_295)
}

/// An object's entries in `Object.keys` order: array indices ascending, then the other keys
/// in insertion order.
pub(crate) fn object_keys_order(entries: &[(String, JsValue)]) -> Vec<(&str, &JsValue)> {
    let mut indexed: Vec<(u64, &str, &JsValue)> = Vec::new();
    let mut named: Vec<(&str, &JsValue)> = Vec::new();
    for (k, v) in entries {
        if is_array_index(k) {
            indexed.push((k.parse().unwrap_or(0), k, v));
        } else {
            named.push((k, v));
        }
    }
    indexed.sort_by_key(|(n, _, _)| *n);
    indexed
        .into_iter()
        .map(|(_, k, v)| (k, v))
        .chain(named)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        for (n, s) in [
            (80.0, "80"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1e21, "1e+21"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.25e-10, "1.25e-10"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
            (-42.5, "-42.5"),
        ] {
            assert_eq!(number_to_string(n), s, "{n}");
        }
    }

    #[test]
    fn decode_uri_component_rejects_what_javascript_rejects() {
        assert_eq!(decode_uri_component("a%40b%C3%A9").unwrap(), "a@bé");
        for bad in [
            "%",
            "%4",
            "%zz",
            "%C3",
            "%C3%28",
            "%ED%A0%80",
            "%C0%80",
            "%F8%80",
        ] {
            assert_eq!(
                decode_uri_component(bad).unwrap_err().code(),
                "URIError",
                "{bad}"
            );
        }
    }

    #[test]
    fn object_keys_put_indices_first() {
        let e = |k: &str| (k.to_owned(), JsValue::Null);
        let entries = vec![e("b"), e("10"), e("01"), e("2"), e("a")];
        let keys: Vec<&str> = object_keys_order(&entries)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["2", "10", "b", "01", "a"]);
    }
}
