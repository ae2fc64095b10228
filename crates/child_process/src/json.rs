//! JavaScript values as `JSON.parse` makes them and `JSON.stringify` writes them: what travels
//! on Node's IPC channel with the `json` serialization.
//!
//! Strings are UTF-16 code units ([`JsString`]), so a lone surrogate (`"\ud800"`) survives a
//! round trip, which a Rust `String` (and so `serde_json`) cannot hold. Objects keep
//! JavaScript's property order: array-index keys (`"0"` ... `"4294967294"`) first in ascending
//! order, then the other keys in insertion order; a repeated key keeps its first place and
//! takes its last value, as `JSON.parse` does.

use std::collections::HashMap;
use std::fmt;

/// How deep arrays and objects may nest in [`parse`]: deeper input is an error, not a stack
/// overflow (the parser recurses once per level).
pub const MAX_DEPTH: usize = 4096;

/// A JavaScript string: UTF-16 code units, possibly with lone surrogates.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct JsString(pub Vec<u16>);

impl JsString {
    /// The string with lone surrogates replaced by U+FFFD (as `Buffer.from(s)` writes them).
    pub fn to_string_lossy(&self) -> String {
        String::from_utf16_lossy(&self.0)
    }

    /// The string as Rust text when it holds no lone surrogate.
    pub fn as_string(&self) -> Option<String> {
        String::from_utf16(&self.0).ok()
    }
}

impl From<&str> for JsString {
    fn from(s: &str) -> JsString {
        JsString(s.encode_utf16().collect())
    }
}

impl fmt::Debug for JsString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_string(&mut out, self);
        f.write_str(&out)
    }
}

/// A value `JSON.parse` can return.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (`JSON.stringify` writes a non-finite one as `null`).
    Number(f64),
    /// A string.
    String(JsString),
    /// An array.
    Array(Vec<Value>),
    /// An object, its properties in JavaScript's order.
    Object(Object),
}

impl Value {
    /// The property `key` of an object; `None` for other values or a missing key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(o) => o.get(key),
            _ => None,
        }
    }

    /// The string's text, when this is a string without lone surrogates.
    pub fn as_str(&self) -> Option<String> {
        match self {
            Value::String(s) => s.as_string(),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// A string value from Rust text.
    pub fn string(s: &str) -> Value {
        Value::String(JsString::from(s))
    }

    /// `JSON.stringify(value)`.
    #[doc(alias = "stringify")]
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(&mut out, self);
        out
    }
}

/// Objects with at most this many properties are built without a hash index.
const SMALL_OBJECT: usize = 8;

/// An object's own properties in JavaScript's order (see the module docs).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Object {
    entries: Vec<(JsString, Value)>,
}

impl Object {
    /// An empty object.
    pub fn new() -> Object {
        Object::default()
    }

    /// Builds an object from properties in source order, as `JSON.parse` would.
    pub fn from_pairs(pairs: Vec<(JsString, Value)>) -> Object {
        let mut entries: Vec<(JsString, Value)> = Vec::with_capacity(pairs.len());
        if pairs.len() <= SMALL_OBJECT {
            // A few keys: a linear search costs less than hashing them.
            for (k, v) in pairs {
                match entries.iter_mut().find(|(ek, _)| *ek == k) {
                    Some(e) => e.1 = v,
                    None => entries.push((k, v)),
                }
            }
        } else {
            let mut index: HashMap<JsString, usize> = HashMap::new();
            for (k, v) in pairs {
                if let Some(&i) = index.get(&k) {
                    entries[i].1 = v;
                } else {
                    index.insert(k.clone(), entries.len());
                    entries.push((k, v));
                }
            }
        }
        // Array indices first, ascending; the sort is stable, so other keys keep their order.
        if entries.iter().any(|(k, _)| array_index(k).is_some()) {
            entries.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |i| (0, i)));
        }
        Object { entries }
    }

    /// Sets `key` (appended when new, in place otherwise; an index key takes its place among
    /// the indices).
    pub fn insert(&mut self, key: &str, value: Value) {
        let k = JsString::from(key);
        if let Some(e) = self.entries.iter_mut().find(|(ek, _)| *ek == k) {
            e.1 = value;
            return;
        }
        if array_index(&k).is_none() {
            // A new key that is no index goes last, as JavaScript orders it.
            self.entries.push((k, value));
            return;
        }
        let mut pairs = std::mem::take(&mut self.entries);
        pairs.push((k, value));
        *self = Object::from_pairs(pairs);
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(ek, _)| ek.0.iter().copied().eq(key.encode_utf16()))
            .map(|(_, v)| v)
    }

    /// The properties in order.
    pub fn entries(&self) -> &[(JsString, Value)] {
        &self.entries
    }
}

/// `"0"`..`"4294967294"` written canonically (no sign, no leading zero): an array index.
fn array_index(k: &JsString) -> Option<u32> {
    let s = &k.0;
    if s.is_empty() || s.len() > 10 || (s.len() > 1 && s[0] == u16::from(b'0')) {
        return None;
    }
    let mut n: u64 = 0;
    for &c in s {
        if !(u16::from(b'0')..=u16::from(b'9')).contains(&c) {
            return None;
        }
        n = n * 10 + u64::from(c - u16::from(b'0'));
    }
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

/// Why [`parse`] refused its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What was wrong.
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in JSON at position {}", self.reason, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// `JSON.parse(text)`.
///
/// ```
/// use nodestd_child_process::json::{parse, Value};
/// let v = parse(r#"{"b":1,"2":[true,null],"1":"\ud800"}"#).unwrap();
/// assert_eq!(v.to_json(), r#"{"1":"\ud800","2":[true,null],"b":1}"#);
/// assert!(parse("{").is_err());
/// ```
///
/// # Errors
/// Text that is not one JSON value (whitespace around it allowed), or nested deeper than
/// [`MAX_DEPTH`].
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("Unexpected non-whitespace character after JSON"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &'static str) -> ParseError {
        ParseError {
            offset: self.i,
            reason,
        }
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn lit(&mut self, word: &[u8], v: Value) -> Result<Value, ParseError> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("Unexpected token"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        match self.s.get(self.i) {
            None => Err(self.err("Unexpected end of JSON input")),
            Some(b'n') => self.lit(b"null", Value::Null),
            Some(b't') => self.lit(b"true", Value::Bool(true)),
            Some(b'f') => self.lit(b"false", Value::Bool(false)),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(self.err("Nesting too deep"));
                }
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    self.ws();
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Value::Array(items));
                        }
                        None => return Err(self.err("Unexpected end of JSON input")),
                        _ => return Err(self.err("Unexpected token")),
                    }
                }
            }
            Some(b'{') => {
                if depth >= MAX_DEPTH {
                    return Err(self.err("Nesting too deep"));
                }
                self.i += 1;
                let mut pairs = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Value::Object(Object::default()));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return Err(self.err("Expected property name"));
                    }
                    let k = self.string()?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return Err(self.err("Expected ':' after property name"));
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    pairs.push((k, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Value::Object(Object::from_pairs(pairs)));
                        }
                        None => return Err(self.err("Unexpected end of JSON input")),
                        _ => return Err(self.err("Unexpected token")),
                    }
                }
            }
            Some(_) => Err(self.err("Unexpected token")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.err("No number after minus sign")),
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return Err(self.err("Unterminated fractional number"));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("Exponent part is missing a number"));
            }
        }
        // The slice is ASCII digits and signs: valid UTF-8, and a valid Rust float literal
        // (which rounds correctly, as JavaScript does; overflow gives infinity).
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("0");
        Ok(Value::Number(text.parse().unwrap_or(f64::NAN)))
    }

    fn hex4(&mut self) -> Result<u16, ParseError> {
        let Some(h) = self.s.get(self.i..self.i + 4) else {
            return Err(self.err("Bad Unicode escape"));
        };
        let mut n = 0u16;
        for &c in h {
            let d = (c as char)
                .to_digit(16)
                .ok_or_else(|| self.err("Bad Unicode escape"))?;
            n = n * 16 + d as u16;
        }
        self.i += 4;
        Ok(n)
    }

    fn string(&mut self) -> Result<JsString, ParseError> {
        self.i += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            // Copy the run of plain characters at once.
            let start = self.i;
            while let Some(&c) = self.s.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            if start < self.i {
                // The input is a &str and the run ends at an ASCII byte: valid UTF-8.
                let run = std::str::from_utf8(&self.s[start..self.i])
                    .map_err(|_| self.err("Invalid UTF-8"))?;
                out.extend(run.encode_utf16());
            }
            match self.s.get(self.i) {
                None => return Err(self.err("Unterminated string in JSON")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(JsString(out));
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.err("Unterminated string in JSON"));
                    };
                    self.i += 1;
                    out.push(match e {
                        b'"' => 0x22,
                        b'\\' => 0x5c,
                        b'/' => 0x2f,
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => 0x0a,
                        b'r' => 0x0d,
                        b't' => 0x09,
                        b'u' => self.hex4()?,
                        _ => {
                            self.i -= 1;
                            return Err(self.err("Bad escaped character"));
                        }
                    });
                }
                Some(_) => return Err(self.err("Bad control character in string literal")),
            }
        }
    }
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => {
            out.push_str(&nodestd_querystring::js_number_to_string(*n))
        }
        Value::Number(_) => out.push_str("null"),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// `JSON.stringify` of a string: well-formed JSON.stringify (ES2019) escapes lone surrogates
/// as `\udxxx`, control characters as `\u00xx` (lowercase hex) or their short escapes.
fn write_string(out: &mut String, s: &JsString) {
    out.push('"');
    for r in char::decode_utf16(s.0.iter().copied()) {
        match r {
            Ok('"') => out.push_str("\\\""),
            Ok('\\') => out.push_str("\\\\"),
            Ok('\u{8}') => out.push_str("\\b"),
            Ok('\u{c}') => out.push_str("\\f"),
            Ok('\n') => out.push_str("\\n"),
            Ok('\r') => out.push_str("\\r"),
            Ok('\t') => out.push_str("\\t"),
            Ok(c) if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            Ok(c) => out.push(c),
            Err(e) => out.push_str(&format!("\\u{:04x}", e.unpaired_surrogate())),
        }
    }
    out.push('"');
}
