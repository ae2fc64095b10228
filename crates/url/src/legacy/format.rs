//! `Url.prototype.format` from Node v20's `lib/url.js`, over loosely-typed fields so that it
//! also serves `url.format(plainObject)` with JavaScript's coercions and `TypeError`s.

use nodestd_querystring::{Primitive, StringifyValue};

use super::js::{JsValue, object_keys_order};
use super::parse::byte_set;
use super::{Query, Url, UrlObject, is_slashed};
use crate::{Error, ErrorKind};

/// `noEscapeAuth`: the ASCII characters `format` leaves as they are in `auth`
/// (`A-Z a-z 0-9 ! ' ( ) * - . _ ~ :`).
const NO_ESCAPE_AUTH: [bool; 256] =
    byte_set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*-._~:");

/// [`NO_ESCAPE_AUTH`] for a UTF-16 code unit.
fn no_escape_auth(c: u16) -> bool {
    u8::try_from(c).is_ok_and(|b| NO_ESCAPE_AUTH[usize::from(b)])
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

/// `encodeStr(auth, noEscapeAuth, hexTable)` for a Rust string: every character but
/// `A-Za-z0-9!'()*-._~:` as the `%XX` escapes of its UTF-8 bytes. (Without lone surrogates,
/// Node's UTF-16 loop writes exactly these bytes.)
fn push_encoded_auth(out: &mut String, auth: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if auth.bytes().all(|b| NO_ESCAPE_AUTH[usize::from(b)]) {
        out.push_str(auth);
        return;
    }
    let mut last = 0;
    for (i, c) in auth.char_indices() {
        if c.is_ascii() && no_escape_auth(c as u16) {
            continue;
        }
        out.push_str(&auth[last..i]);
        let mut buf = [0; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        last = i + c.len_utf8();
    }
    out.push_str(&auth[last..]);
}

/// `Url.prototype.format` straight from the typed fields of a [`Url`] whose `query` is not
/// an object (the caller sends those to [`format_object`]): the same output as
/// `format_object(&UrlObject::from(url))`, without the copies.
///
/// A field that is `None` reads as `""` here: both are falsy, and every test below is of
/// truthiness or of the text.
pub(super) fn format_url(u: &Url) -> String {
    format_fields(u, true)
}

/// [`format_url`] for the [`Url`] that `parse` just built, whose `pathname` holds no `#` or
/// `?` and whose `search` holds no `#` (`parse` cuts them there): nothing to escape, so
/// nothing to look for.
pub(super) fn format_parsed(u: &Url) -> String {
    debug_assert!(!field(&u.pathname).contains(['#', '?']) && !field(&u.search).contains('#'));
    format_fields(u, false)
}

/// [`format_url`], escaping `#` and `?` in `pathname` and `search` only when `escape`.
fn format_fields(u: &Url, escape: bool) -> String {
    debug_assert!(!matches!(u.query, Some(Query::Object(_))));
    let protocol = field(&u.protocol);
    let auth = field(&u.auth);
    let host = field(&u.host);
    let hostname = field(&u.hostname);
    let port = field(&u.port);
    let pathname = field(&u.pathname);
    let search = field(&u.search);
    let hash = field(&u.hash);
    let has_host = !host.is_empty() || !hostname.is_empty();

    // Room for every piece and its punctuation; escapes may add more.
    let mut out = String::with_capacity(
        protocol.len()
            + auth.len()
            + host.len().max(hostname.len() + port.len())
            + pathname.len()
            + search.len()
            + hash.len()
            + 10,
    );
    if !protocol.is_empty() {
        out.push_str(protocol);
        if !protocol.ends_with(':') {
            out.push(':');
        }
    }

    // Only the slashed protocols get the `//`, unless the URL had them to begin with.
    // (`protocol` as `format` writes it, with a `:`, is slashed exactly when `protocol` is:
    // the list holds every protocol with and without its `:`.)
    let mut slash_path = false;
    if u.slashes || (!protocol.is_empty() && is_slashed(protocol)) {
        if u.slashes || has_host {
            slash_path = !pathname.is_empty() && !pathname.starts_with('/');
            out.push_str("//");
        } else if protocol.starts_with("file") {
            // No host follows.
            out.push_str("//");
        }
    }

    if has_host && !auth.is_empty() {
        push_encoded_auth(&mut out, auth);
        out.push('@');
    }
    if !host.is_empty() {
        out.push_str(host);
    } else if !hostname.is_empty() {
        let ipv6 = hostname.starts_with('[') && hostname.ends_with(']');
        if !ipv6 && hostname.contains(':') {
            out.push('[');
            out.push_str(hostname);
            out.push(']');
        } else {
            out.push_str(hostname);
        }
        if !port.is_empty() {
            out.push(':');
            out.push_str(port);
        }
    }

    if slash_path {
        out.push('/');
    }
    if escape {
        push_escaped(&mut out, pathname, true);
    } else {
        out.push_str(pathname);
    }
    if !search.is_empty() {
        if !search.starts_with('?') {
            out.push('?');
        }
        if escape {
            push_escaped(&mut out, search, false);
        } else {
            out.push_str(search);
        }
    }
    if !hash.is_empty() {
        if !hash.starts_with('#') {
            out.push('#');
        }
        out.push_str(hash);
    }
    out
}

/// A field of a [`Url`], `""` for `None`.
fn field(f: &Option<String>) -> &str {
    f.as_deref().unwrap_or("")
}

/// Appends `s` with each `#` written `%23`, and with `question` each `?` written `%3F`.
#[inline]
fn push_escaped(out: &mut String, s: &str, question: bool) {
    let other = if question { b'?' } else { b'#' };
    match find2(s.as_bytes(), b'#', other) {
        None => out.push_str(s),
        Some(first) => push_escaped_from(out, s, first, question),
    }
}

/// [`push_escaped`] of an `s` whose first `#` (or `?`) is at `first`.
#[cold]
fn push_escaped_from(out: &mut String, s: &str, first: usize, question: bool) {
    let mut last = 0;
    // ASCII bytes are whole characters: slicing at them is safe.
    for (i, &b) in s.as_bytes().iter().enumerate().skip(first) {
        let escape = match b {
            b'#' => "%23",
            b'?' if question => "%3F",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(escape);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// The position of the first `a` or `b` in `s`, looked for eight bytes at a time (a word
/// XOR the byte repeated has a zero byte where they match); the last word overlaps the one
/// before it, whose bytes are known not to match.
#[inline]
pub(super) fn find2(s: &[u8], a: u8, b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    if s.len() < 8 {
        return s.iter().position(|&x| x == a || x == b);
    }
    let (wa, wb) = (ONES * u64::from(a), ONES * u64::from(b));
    let hit = |at: usize| {
        let c = &s[at..at + 8];
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let (xa, xb) = (w ^ wa, w ^ wb);
        (xa.wrapping_sub(ONES) & !xa | xb.wrapping_sub(ONES) & !xb) & HIGHS != 0
    };
    let mut at = 0;
    loop {
        let last = at + 8 >= s.len();
        if last {
            at = s.len() - 8;
        }
        if hit(at) {
            return s[at..at + 8]
                .iter()
                .position(|&x| x == a || x == b)
                .map(|i| at + i);
        }
        if last {
            return None;
        }
        at += 8;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find2_finds_the_first_of_two_bytes() {
        let text = b"abcdefgh#ijklmnop?qrstuvwxyz0123456789#";
        for start in 0..text.len() {
            for end in start..=text.len() {
                let s = &text[start..end];
                let slow = s.iter().position(|&x| x == b'#' || x == b'?');
                assert_eq!(find2(s, b'#', b'?'), slow, "{start}..{end}");
            }
        }
        assert_eq!(find2(&[0x80, 0xFF, 0x23], b'#', b'#'), Some(2));
    }

    #[test]
    fn typed_formatter_matches_the_generic_one() {
        let inputs = [
            "http://user:pass@host.com:8080/p/a/t/h?query=string#hash",
            "HTTP://X.COM/Y",
            "/relative/path?x=1&y=2",
            "mailto:someone@example.com",
            "http://[::1]:3000/api/v1/items?id=42",
            "file:///etc/passwd",
            "//cdn.example.net/lib.js",
            "http://example.com/a b?c d#e f",
            "http://ü😀 x:p@a.com/",
            "javascript:alert(1)",
            "file:x",
            "x:y",
            "",
        ];
        for input in inputs {
            for slashes_denote_host in [false, true] {
                let Ok(url) = super::super::parse(input, false, slashes_denote_host) else {
                    continue;
                };
                let mut variants = vec![url.clone()];
                let mut v = url.clone();
                v.host = None;
                v.hostname = Some("a:b".into());
                v.port = Some("1".into());
                v.auth = Some("ü😀 @:~".into());
                variants.push(v.clone());
                v.hostname = Some("[a:b]".into());
                v.pathname = Some("x#?y".into());
                v.search = Some("q#r".into());
                v.hash = Some("h".into());
                variants.push(v.clone());
                v.slashes = !v.slashes;
                v.protocol = Some("file".into());
                v.hostname = None;
                variants.push(v.clone());
                v.protocol = Some("https:".into());
                v.pathname = Some(String::new());
                v.search = Some(String::new());
                v.query = Some(Query::String("a=1".into()));
                variants.push(v);
                for u in variants {
                    let generic = format_object(&UrlObject::from(&u)).unwrap_or_default();
                    assert_eq!(format_url(&u), generic, "{u:?}");
                }
            }
        }
    }
}
