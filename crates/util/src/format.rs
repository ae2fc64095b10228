//! `util.format`: lib/internal/util/inspect.js's `formatWithOptionsInternal`, with
//! JavaScript's `String()`, `Number()`, `parseInt`, `parseFloat` and `JSON.stringify` for the
//! [`Value`] model.

use nodestd_buffer::js::number_to_string;

use crate::inspect::{InspectOptions, format_number, inspect, inspect_with};
use crate::value::Value;

/// `util.format(format, ...args)`: `%s %d %i %f %j %o %O %c %%`, the arguments left over
/// appended with spaces (strings as they are, anything else inspected).
///
/// ```
/// use nodestd_util::{Value, format};
/// let args = ["%s: %d%% of %j".into(), "done".into(), Value::from(42), Value::array([1.into()]), Value::Null];
/// assert_eq!(format(&args), "done: 42% of [1] null");
/// ```
#[doc(alias = "util.format")]
pub fn format(args: &[Value]) -> String {
    format_impl(args, false).unwrap_or_default()
}

/// [`format()`] failing where Node throws: `%j` of a value holding a BigInt is
/// `JSON.stringify`'s `TypeError` (`Do not know how to serialize a BigInt`).
///
/// ```
/// use nodestd_util::{Value, try_format};
/// assert!(try_format(&["%j".into(), Value::BigInt(1)]).is_err());
/// ```
///
/// # Errors
/// The `TypeError`'s message.
pub fn try_format(args: &[Value]) -> Result<String, String> {
    format_impl(args, true)
}

fn format_impl(args: &[Value], strict: bool) -> Result<String, String> {
    let mut a = 0;
    let mut out = String::new();
    let mut join = "";
    if let Some(Value::String(first)) = args.first() {
        if args.len() == 1 {
            return Ok(first.clone());
        }
        let f: Vec<u16> = first.encode_utf16().collect();
        let slice = |from: usize, to: usize| String::from_utf16_lossy(&f[from..to]);
        let mut last = 0;
        let mut i = 0;
        while i + 1 < f.len() {
            if f[i] == u16::from(b'%') {
                i += 1;
                let next = f[i];
                if a + 1 != args.len() {
                    let temp = match next {
                        0x73 => {
                            a += 1;
                            string_placeholder(&args[a])
                        }
                        0x6a => {
                            a += 1;
                            if strict && holds_bigint(&args[a]) {
                                return Err("Do not know how to serialize a BigInt".into());
                            }
                            json_stringify(&args[a]).unwrap_or_else(|| "undefined".into())
                        }
                        0x64 => {
                            a += 1;
                            match &args[a] {
                                Value::BigInt(n) => format!("{n}n"),
                                v => format_number(to_number(v)),
                            }
                        }
                        0x4f => {
                            a += 1;
                            inspect(&args[a])
                        }
                        0x6f => {
                            a += 1;
                            let opts = InspectOptions {
                                show_hidden: true,
                                depth: Some(4),
                                ..InspectOptions::default()
                            };
                            inspect_with(&args[a], opts)
                        }
                        0x69 => {
                            a += 1;
                            match &args[a] {
                                Value::BigInt(n) => format!("{n}n"),
                                v => format_number(parse_int(&to_js_string(v))),
                            }
                        }
                        0x66 => {
                            a += 1;
                            format_number(parse_float(&to_js_string(&args[a])))
                        }
                        0x63 => {
                            a += 1;
                            String::new()
                        }
                        0x25 => {
                            out.push_str(&slice(last, i));
                            last = i + 1;
                            i += 1;
                            continue;
                        }
                        _ => {
                            i += 1;
                            continue;
                        }
                    };
                    if last != i - 1 {
                        out.push_str(&slice(last, i - 1));
                    }
                    out.push_str(&temp);
                    last = i + 1;
                } else if next == u16::from(b'%') {
                    out.push_str(&slice(last, i));
                    last = i + 1;
                }
            }
            i += 1;
        }
        if last != 0 {
            a += 1;
            join = " ";
            if last < f.len() {
                out.push_str(&slice(last, f.len()));
            }
        }
    }
    while a < args.len() {
        out.push_str(join);
        match &args[a] {
            Value::String(s) => out.push_str(s),
            v => out.push_str(&inspect(v)),
        }
        join = " ";
        a += 1;
    }
    Ok(out)
}

/// Whether `JSON.stringify` would meet a BigInt in `v` (Maps and Sets write as `{}`).
fn holds_bigint(v: &Value) -> bool {
    match v {
        Value::BigInt(_) => true,
        Value::Array(items) => items.iter().any(holds_bigint),
        Value::Object(entries) | Value::Error { props: entries, .. } => {
            entries.iter().any(|(_, x)| holds_bigint(x))
        }
        _ => false,
    }
}

/// `%s`: numbers and BigInts formatted, objects (but Buffers, whose `toString` is their
/// own) inspected at depth 0, anything else `String(value)`.
fn string_placeholder(v: &Value) -> String {
    match v {
        Value::Number(n) => format_number(*n),
        Value::BigInt(n) => format!("{n}n"),
        Value::Array(_)
        | Value::Object(_)
        | Value::Map(_)
        | Value::Set(_)
        | Value::Error { .. } => inspect_with(
            v,
            InspectOptions {
                depth: Some(0),
                ..InspectOptions::default()
            },
        ),
        _ => to_js_string(v),
    }
}

/// JavaScript's `String(value)`.
pub(crate) fn to_js_string(v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(*n),
        Value::BigInt(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Undefined | Value::Null => String::new(),
                x => to_js_string(x),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
        Value::Map(_) => "[object Map]".into(),
        Value::Set(_) => "[object Set]".into(),
        Value::Buffer(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Error { name, message, .. } => match (name.is_empty(), message.is_empty()) {
            (_, true) => name.clone(),
            (true, false) => message.clone(),
            _ => format!("{name}: {message}"),
        },
    }
}

/// JavaScript's whitespace and line terminators (`StrWhiteSpaceChar`).
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// JavaScript's `Number(value)`.
pub(crate) fn to_number(v: &Value) -> f64 {
    match v {
        Value::Undefined => f64::NAN,
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => *n,
        Value::BigInt(n) => *n as f64,
        Value::String(s) => string_to_number(s),
        Value::Array(_) | Value::Buffer(_) => string_to_number(&to_js_string(v)),
        _ => f64::NAN,
    }
}

/// `StringToNumber`.
fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(d) = t.strip_prefix(prefix) {
            if d.is_empty() || !d.chars().all(|c| c.is_digit(radix)) {
                return f64::NAN;
            }
            return d.chars().fold(0.0, |acc, c| {
                acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
            });
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    if decimal_prefix(t) == t.len() {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// The length of the longest prefix of `t` that is a `StrUnsignedDecimalLiteral` with an
/// optional sign (no `Infinity`); 0 when there is none.
fn decimal_prefix(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if digits > 0 || j > frac_start {
            digits += j - frac_start;
            i = j;
        }
    }
    if digits == 0 {
        return 0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        let exp_start = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    i
}

/// JavaScript's `parseFloat(string)`.
fn parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    for (p, v) in [
        ("Infinity", f64::INFINITY),
        ("+Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
    ] {
        if t.starts_with(p) {
            return v;
        }
    }
    let n = decimal_prefix(t);
    if n == 0 {
        return f64::NAN;
    }
    t[..n].parse().unwrap_or(f64::NAN)
}

/// JavaScript's `parseInt(string)` (no radix).
fn parse_int(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = match t.get(..2) {
        Some("0x" | "0X") => (16, &t[2..]),
        _ => (10, t),
    };
    let digits: Vec<u32> = t.chars().map_while(|c| c.to_digit(radix)).collect();
    if digits.is_empty() {
        return f64::NAN;
    }
    let n = if radix == 10 {
        let text: String = digits
            .iter()
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect();
        text.parse().unwrap_or(f64::NAN)
    } else {
        digits.iter().fold(0.0, |acc, &d| acc * 16.0 + f64::from(d))
    };
    if neg { -n } else { n }
}

/// `JSON.stringify(value)`; `None` where JavaScript gives `undefined`. A BigInt, which makes
/// JavaScript throw a `TypeError`, is written as its digits here.
pub(crate) fn json_stringify(v: &Value) -> Option<String> {
    Some(match v {
        Value::Undefined => return None,
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_finite() => number_to_string(*n),
        Value::Number(_) => "null".into(),
        Value::BigInt(n) => n.to_string(),
        Value::String(s) => json_quote(s),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| json_stringify(x).unwrap_or_else(|| "null".into()))
                .collect();
            format!("[{}]", parts.join(","))
        }
        Value::Object(entries) | Value::Error { props: entries, .. } => {
            let parts: Vec<String> = entries
                .iter()
                .filter_map(|(k, x)| json_stringify(x).map(|j| format!("{}:{j}", json_quote(k))))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Map(_) | Value::Set(_) => "{}".into(),
        Value::Buffer(b) => {
            let data: Vec<String> = b.iter().map(u8::to_string).collect();
            format!("{{\"type\":\"Buffer\",\"data\":[{}]}}", data.join(","))
        }
    })
}

fn json_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
