//! `Url.prototype.format` from Node v20's `lib/url.js`, over loosely-typed fields so that it
//! also serves `url.format(plainObject)` with JavaScript's coercions and `TypeError`s.

use nodestd_querystring::{Primitive, StringifyValue};

use super::js::{JsValue, object_keys_order};
use super::{UrlObject, is_slashed};
use crate::{Error, ErrorKind};

/// `noEscapeAuth`: the ASCII characters `format` leaves as they are in `auth`
/// (`A-Z a-z 0-9 ! ' ( ) * - . _ ~ :`).
fn no_escape_auth(c: u16) -> bool {
    matches!(c, 0x41..=0x5A | 0x61..=0x7A | 0x30..=0x39)
        || matches!(
            u8::try_from(c),
            Ok(b'!' | b'\'' | b'(' | b')' | b'*' | b'-' | b'.' | b'_' | b'~' | b':')
        )
}

fn type_error(what: &str) -> Error {
    Error::new(ErrorKind::TypeError, format!("{what} is not a function"))
}

/// Node's `encodeStr(auth, noEscapeAuth, hexTable)` on any value: the loop runs over
/// `auth.length` code units of `String(auth)` (so an array's element count, `undefined` for
/// other non-strings, which leaves them untouched).
fn encode_auth(auth: &JsValue) -> Result<String, Error> {
    let text = auth.to_js_string();
    let Some(len) = auth.js_length() else {
        return Ok(text);
    };
    if len == 0 {
        return Ok(String::new());
    }
    let units: Vec<u16> = text.encode_utf16().collect();
    // `charCodeAt` past the end is NaN: `None` here; NaN fails every comparison and is 0 in
    // bit operations.
    let at = |i: usize| units.get(i).copied();
    let slice = |from: usize, to: usize| -> Vec<u16> {
        let to = to.min(units.len());
        if from >= to {
            Vec::new()
        } else {
            units[from..to].to_vec()
        }
    };
    let mut out: Vec<u16> = Vec::new();
    let hex = |out: &mut Vec<u16>, b: u32| out.extend(format!("%{:02X}", b & 0xFF).encode_utf16());
    let mut last_pos = 0;
    let mut i = 0;
    'outer: while i < len {
        let mut c = at(i);
        // ASCII
        while let Some(a) = c.filter(|&a| a < 0x80) {
            if !no_escape_auth(a) {
                if last_pos < i {
                    out.extend(slice(last_pos, i));
                }
                last_pos = i + 1;
                hex(&mut out, u32::from(a));
            }
            i += 1;
            if i == len {
                break 'outer;
            }
            c = at(i);
        }
        if last_pos < i {
            out.extend(slice(last_pos, i));
        }
        match c.map(u32::from) {
            Some(c) if c < 0x800 => {
                last_pos = i + 1;
                hex(&mut out, 0xC0 | (c >> 6));
                hex(&mut out, 0x80 | (c & 0x3F));
            }
            Some(c) if !(0xD800..0xE000).contains(&c) => {
                last_pos = i + 1;
                hex(&mut out, 0xE0 | (c >> 12));
                hex(&mut out, 0x80 | ((c >> 6) & 0x3F));
                hex(&mut out, 0x80 | (c & 0x3F));
            }
            high => {
                // A surrogate pair (or NaN, which lands here too).
                i += 1;
                if i >= len {
                    return Err(Error::new(ErrorKind::InvalidUri, "URI malformed"));
                }
                let c2 = at(i).map_or(0, |u| u32::from(u) & 0x3FF);
                last_pos = i + 1;
                let c = 0x10000 + (((high.unwrap_or(0) & 0x3FF) << 10) | c2);
                hex(&mut out, 0xF0 | (c >> 18));
                hex(&mut out, 0x80 | ((c >> 12) & 0x3F));
                hex(&mut out, 0x80 | ((c >> 6) & 0x3F));
                hex(&mut out, 0x80 | (c & 0x3F));
            }
        }
        i += 1;
    }
    if last_pos == 0 {
        return Ok(text);
    }
    if last_pos < len {
        out.extend(slice(last_pos, units.len()));
    }
    Ok(String::from_utf16_lossy(&out))
}

/// `querystring.stringify(query)` for an object or array `query`.
fn stringify_query(query: &JsValue) -> String {
    let entries: Vec<(String, &JsValue)> = match query {
        JsValue::Object(entries) => object_keys_order(entries)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        JsValue::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => return String::new(),
    };
    let primitive = |v: &JsValue| match v {
        JsValue::String(s) => Primitive::Str(s.clone()),
        JsValue::Number(n) => Primitive::Number(*n),
        JsValue::Bool(b) => Primitive::Bool(*b),
        _ => Primitive::Other,
    };
    let pairs: Vec<(String, StringifyValue)> = entries
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                JsValue::Array(items) => {
                    StringifyValue::List(items.iter().map(primitive).collect())
                }
                v => StringifyValue::One(primitive(v)),
            };
            (k, value)
        })
        .collect();
    nodestd_querystring::stringify(pairs.iter().map(|(k, v)| (k.as_str(), v)))
}

/// `Url.prototype.format.call(obj)`.
pub(super) fn format_object(obj: &UrlObject) -> Result<String, Error> {
    let mut auth = String::new();
    if obj.auth.truthy() {
        auth = encode_auth(&obj.auth)?;
        auth.push('@');
    }

    let mut host = String::new();
    if obj.host.truthy() {
        host = format!("{auth}{}", obj.host.to_js_string());
    } else if obj.hostname.truthy() {
        let includes_colon = match &obj.hostname {
            JsValue::String(s) => s.contains(':'),
            JsValue::Array(items) => items.iter().any(|v| v.as_str() == Some(":")),
            _ => return Err(type_error("this.hostname.includes")),
        };
        let name = obj.hostname.to_js_string();
        // `isIpv6Hostname` reads the last character at `hostname.length - 1`, and an array's
        // length is its element count.
        let last_is_bracket = obj.hostname.js_length().is_some_and(|len| {
            len > 0 && name.encode_utf16().nth(len - 1) == Some(u16::from(b']'))
        });
        let ipv6 = name.starts_with('[') && last_is_bracket;
        host = if includes_colon && !ipv6 {
            format!("{auth}[{name}]")
        } else {
            format!("{auth}{name}")
        };
        if obj.port.truthy() {
            host.push(':');
            host.push_str(&obj.port.to_js_string());
        }
    }

    let query = match &obj.query {
        q @ (JsValue::Object(_) | JsValue::Array(_)) => stringify_query(q),
        _ => String::new(),
    };

    let search: Option<&JsValue> = obj.search.truthy().then_some(&obj.search);

    let mut protocol = String::new();
    if obj.protocol.truthy() {
        let JsValue::String(p) = &obj.protocol else {
            return Err(type_error("protocol.charCodeAt"));
        };
        protocol = p.clone();
        if !protocol.ends_with(':') {
            protocol.push(':');
        }
    }

    // `pathname.charCodeAt` in the escaping loop runs only when `pathname.length` is a
    // positive number: strings, and arrays (which throw).
    let mut pathname: JsValue = if obj.pathname.truthy() {
        obj.pathname.clone()
    } else {
        JsValue::String(String::new())
    };
    match &pathname {
        JsValue::String(p) if p.contains(['#', '?']) => {
            pathname = JsValue::String(p.replace('#', "%23").replace('?', "%3F"));
        }
        JsValue::Array(items) if !items.is_empty() => {
            return Err(type_error("pathname.charCodeAt"));
        }
        _ => {}
    }

    // Only the slashed protocols get the `//`, unless the object had them to begin with.
    if obj.slashes.truthy() || is_slashed(&protocol) {
        if obj.slashes.truthy() || !host.is_empty() {
            if pathname.truthy() {
                let JsValue::String(p) = &pathname else {
                    return Err(type_error("pathname.charCodeAt"));
                };
                if !p.starts_with('/') {
                    pathname = JsValue::String(format!("/{p}"));
                }
            }
            host.insert_str(0, "//");
        } else if protocol.starts_with("file") {
            host = "//".into();
        }
    }

    let mut search = match search {
        Some(JsValue::String(s)) => s.replace('#', "%23"),
        Some(_) => return Err(type_error("search.replace")),
        None if !query.is_empty() => format!("?{query}").replace('#', "%23"),
        None => String::new(),
    };

    let mut hash = String::new();
    if obj.hash.truthy() {
        let JsValue::String(h) = &obj.hash else {
            return Err(type_error("hash.charCodeAt"));
        };
        hash = h.clone();
        if !hash.starts_with('#') {
            hash.insert(0, '#');
        }
    }
    if !search.is_empty() && !search.starts_with('?') {
        search.insert(0, '?');
    }

    let pathname = match pathname {
        JsValue::String(p) => p,
        other => other.to_js_string(),
    };
    Ok(format!("{protocol}{host}{pathname}{search}{hash}"))
}
