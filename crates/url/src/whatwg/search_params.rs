//! `URLSearchParams`: the `application/x-www-form-urlencoded` list, parsed and serialized as
//! Node's `internal/url.js` does (`parseParams`, `serializeParams`, the stable UTF-16 sort).

use std::cmp::Ordering;
use std::fmt;

/// Node's [`URLSearchParams`](https://nodejs.org/docs/latest-v20.x/api/url.html#class-urlsearchparams):
/// an ordered list of name-value pairs.
///
/// Names and values are Rust strings, so they are always well-formed (Node converts its
/// arguments with `toWellFormed()` for the same effect).
///
/// ```
/// use nodestd_url::URLSearchParams;
///
/// let mut params = URLSearchParams::new("?b=2&a=1&b=3");
/// params.append("c", "x y");
/// params.sort();
/// assert_eq!(params.to_string(), "a=1&b=2&b=3&c=x+y");
/// assert_eq!(params.get_all("b"), ["2", "3"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct URLSearchParams {
    list: Vec<(String, String)>,
}

impl URLSearchParams {
    /// Parses a query string, as `new URLSearchParams(init)` does for a string: one leading
    /// `?` is ignored, `+` means a space, and percent-encoded bytes are decoded as UTF-8 (bad
    /// sequences become U+FFFD).
    pub fn new(init: &str) -> URLSearchParams {
        URLSearchParams {
            list: parse_params(init),
        }
    }

    /// An empty list, as `new URLSearchParams()`.
    pub fn empty() -> URLSearchParams {
        URLSearchParams::default()
    }

    /// Builds the list from name-value pairs, as `new URLSearchParams([[name, value], …])` or
    /// `new URLSearchParams(map)`.
    ///
    /// ```
    /// use nodestd_url::URLSearchParams;
    /// let params = URLSearchParams::from_pairs([("a", "1"), ("b", "&")]);
    /// assert_eq!(params.to_string(), "a=1&b=%26");
    /// ```
    pub fn from_pairs<I, K, V>(pairs: I) -> URLSearchParams
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        URLSearchParams {
            list: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// Builds the list from a record (an object's own properties): a later duplicate name
    /// replaces the value of the earlier pair and keeps its position, as Node does.
    ///
    /// ```
    /// use nodestd_url::URLSearchParams;
    /// let params = URLSearchParams::from_record([("a", "1"), ("b", "2"), ("a", "3")]);
    /// assert_eq!(params.to_string(), "a=3&b=2");
    /// ```
    pub fn from_record<I, K, V>(entries: I) -> URLSearchParams
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut list: Vec<(String, String)> = Vec::new();
        for (k, v) in entries {
            let (k, v) = (k.into(), v.into());
            match list.iter_mut().find(|(name, _)| *name == k) {
                Some(pair) => pair.1 = v,
                None => list.push((k, v)),
            }
        }
        URLSearchParams { list }
    }

    /// The number of pairs (`size`).
    pub fn size(&self) -> usize {
        self.list.len()
    }

    /// True when there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Appends a pair (`append(name, value)`).
    pub fn append(&mut self, name: &str, value: &str) {
        self.list.push((name.to_owned(), value.to_owned()));
    }

    /// Removes every pair named `name`, or, with `Some(value)`, every pair with that name and
    /// value (`delete(name[, value])`).
    pub fn delete(&mut self, name: &str, value: Option<&str>) {
        self.list
            .retain(|(n, v)| !(n == name && value.is_none_or(|value| v == value)));
    }

    /// The value of the first pair named `name` (`get`; `None` for Node's `null`).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of every pair named `name`, in order (`getAll`).
    pub fn get_all(&self, name: &str) -> Vec<&str> {
        self.list
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a pair named `name` (and, with `Some(value)`, with that value) exists (`has`).
    pub fn has(&self, name: &str, value: Option<&str>) -> bool {
        self.list
            .iter()
            .any(|(n, v)| n == name && value.is_none_or(|value| v == value))
    }

    /// Sets the value of the first pair named `name` and removes the others, or appends the
    /// pair when there is none (`set`).
    pub fn set(&mut self, name: &str, value: &str) {
        let mut found = false;
        self.list.retain_mut(|(n, v)| {
            if n != name {
                return true;
            }
            if found {
                return false;
            }
            found = true;
            value.clone_into(v);
            true
        });
        if !found {
            self.append(name, value);
        }
    }

    /// Sorts the pairs by name, stably, comparing UTF-16 code units as JavaScript's `<` does
    /// (so U+FFFD sorts after an astral character such as U+1F600).
    ///
    /// ```
    /// use nodestd_url::URLSearchParams;
    /// let mut params = URLSearchParams::new("\u{FFFD}=x&\u{1F600}=y&a=1&a=0");
    /// params.sort();
    /// let names: Vec<&str> = params.keys().collect();
    /// assert_eq!(names, ["a", "a", "\u{1F600}", "\u{FFFD}"]);
    /// ```
    pub fn sort(&mut self) {
        self.list.sort_by(|a, b| utf16_cmp(&a.0, &b.0));
    }

    /// The pairs in order (`entries()`, also the `IntoIterator` of `&URLSearchParams`).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.list.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The names in order (`keys()`).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(k, _)| k.as_str())
    }

    /// The values in order (`values()`).
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for URLSearchParams {
    /// Node's `toString()`: the `application/x-www-form-urlencoded` serialization, with `+`
    /// for spaces and every byte but `*-._` and ASCII alphanumerics percent-encoded.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.list.iter().enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            write_form_encoded(f, name)?;
            f.write_str("=")?;
            write_form_encoded(f, value)?;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for &'a URLSearchParams {
    type Item = (&'a str, &'a str);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, String)>,
        fn(&'a (String, String)) -> (&'a str, &'a str),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for URLSearchParams {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> URLSearchParams {
        URLSearchParams::from_pairs(iter)
    }
}

impl std::str::FromStr for URLSearchParams {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<URLSearchParams, Self::Err> {
        Ok(URLSearchParams::new(s))
    }
}

/// JavaScript's string order: by UTF-16 code units.
fn utf16_cmp(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Node's `parseParams`: the `application/x-www-form-urlencoded` parser.
///
/// Node decodes a name or value only when it holds a valid `%XX`, with `querystring.unescape`:
/// `decodeURIComponent`, or, when that throws (a malformed escape or bytes that are not
/// UTF-8), `unescapeBuffer`, which keeps only the low byte of every other UTF-16 code unit
/// before the bytes are read as UTF-8. So `"é%ff"` decodes to two U+FFFD, not `"é\u{FFFD}"`.
/// That quirk is kept.
pub(crate) fn parse_params(qs: &str) -> Vec<(String, String)> {
    let qs = qs.strip_prefix('?').unwrap_or(qs);
    let mut out = Vec::new();
    let mut name: Option<String> = None;
    let mut buf = String::new();
    let mut encoded = false;
    let mut check = 0u8;
    let mut pair_empty = true;
    for c in qs.chars() {
        if c == '&' {
            if pair_empty {
                continue;
            }
            let piece = unescape(&std::mem::take(&mut buf), encoded);
            match name.take() {
                Some(n) => out.push((n, piece)),
                None => out.push((piece, String::new())),
            }
            encoded = false;
            check = 0;
            pair_empty = true;
            continue;
        }
        pair_empty = false;
        if name.is_none() && c == '=' {
            name = Some(unescape(&std::mem::take(&mut buf), encoded));
            encoded = false;
            check = 0;
            continue;
        }
        if c == '+' {
            // A '+' neither starts nor breaks the `%XX` check.
            buf.push(' ');
            continue;
        }
        buf.push(c);
        if !encoded {
            if c == '%' {
                check = 1;
            } else if check > 0 {
                if c.is_ascii_hexdigit() {
                    check += 1;
                    encoded = check == 3;
                } else {
                    check = 0;
                }
            }
        }
    }
    if !pair_empty {
        let piece = unescape(&buf, encoded);
        match name {
            Some(n) => out.push((n, piece)),
            None => out.push((piece, String::new())),
        }
    }
    out
}

/// Node's `querystring.unescape` as `parseParams` calls it (`encoded`: a valid `%XX` was
/// seen).
fn unescape(s: &str, encoded: bool) -> String {
    if !encoded {
        return s.to_owned();
    }
    if let Some(decoded) = decode_uri_component(s) {
        return decoded;
    }
    String::from_utf8_lossy(&unescape_buffer(s)).into_owned()
}

/// JavaScript's `decodeURIComponent` (`None` where it throws).
fn decode_uri_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes.get(i + 1).copied().and_then(hex_value)?;
            let lo = bytes.get(i + 2).copied().and_then(hex_value)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Node's `querystring.unescapeBuffer(s, false)`: `%XX` escapes become their byte, every other
/// UTF-16 code unit is stored in one byte (its low eight bits).
fn unescape_buffer(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let hex = |u: u16| u8::try_from(u).ok().and_then(hex_value);
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let mut cur = units[i];
        if cur == u16::from(b'%') && i + 2 < units.len() {
            i += 1;
            cur = units[i];
            match hex(cur) {
                None => {
                    out.push(b'%');
                    continue;
                }
                Some(hi) => {
                    i += 1;
                    match hex(units[i]) {
                        None => {
                            out.push(b'%');
                            i -= 1;
                        }
                        Some(lo) => cur = u16::from(hi << 4 | lo),
                    }
                }
            }
        }
        out.push(cur.to_le_bytes()[0]);
        i += 1;
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The serializer's byte encoding: `*-._` and ASCII alphanumerics stay, space is `+`.
fn write_form_encoded(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    f.write_str(&out)
}
