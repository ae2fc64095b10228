//! `querystring.unescape` and `querystring.unescapeBuffer`: `decodeURIComponent` first, and
//! Node's byte-wise decoder when that throws.

use crate::error::{Error, ErrorKind};
use crate::tables::unhex;

/// `querystring.unescape(str)`: `decodeURIComponent(str)`, or, when that would throw
/// (a malformed `%` sequence or percent-encoded bytes that are not UTF-8),
/// `unescapeBuffer(str).toString()`: the byte-wise decoder, then UTF-8 with U+FFFD for bad
/// sequences. `+` is left as it is.
///
/// ```
/// use nodestd_querystring::unescape;
/// assert_eq!(unescape("a%20b+c"), "a b+c");
/// assert_eq!(unescape("%2sf%2a"), "%2sf*");
/// assert_eq!(unescape("%E9%"), "\u{FFFD}%");
/// ```
pub fn unescape(s: &str) -> String {
    unescape_str(s, false)
}

/// `QueryString.unescape(s, decodeSpaces)` on a Rust string: the same result as
/// [`unescape_units`] on its UTF-16 units, without transcoding unless
/// `decodeURIComponent` fails.
pub(crate) fn unescape_str(s: &str, decode_spaces: bool) -> String {
    match decode_uri_component_str(s) {
        Some(decoded) => decoded,
        None => {
            // The byte-wise fallback keeps the low eight bits of each UTF-16 unit: go
            // through the units.
            let units: Vec<u16> = s.encode_utf16().collect();
            String::from_utf8_lossy(&unescape_buffer_units(&units, decode_spaces)).into_owned()
        }
    }
}

/// [`unescape`] for a JavaScript string given as UTF-16 code units. The answer is UTF-16 too:
/// `decodeURIComponent` keeps lone surrogates as they are.
///
/// Node's fallback decoder writes each code unit that is not part of a `%XX` escape as one
/// byte, keeping only its low eight bits (`Buffer` stores), so `"é%"` becomes `"\u{FFFD}%"`.
///
/// ```
/// use nodestd_querystring::unescape_utf16;
/// let out = unescape_utf16(&[0xD800, 0x25, 0x34, 0x31]);
/// assert_eq!(out, [0xD800, 0x41]);
/// ```
pub fn unescape_utf16(units: &[u16]) -> Vec<u16> {
    unescape_units(units, false)
}

/// `qsUnescape(s, decodeSpaces)`.
pub(crate) fn unescape_units(units: &[u16], decode_spaces: bool) -> Vec<u16> {
    match decode_uri_component_units(units) {
        Some(decoded) => decoded,
        None => {
            let bytes = unescape_buffer_units(units, decode_spaces);
            String::from_utf8_lossy(&bytes).encode_utf16().collect()
        }
    }
}

/// `querystring.unescapeBuffer(str, decodeSpaces)`: decodes each valid `%XX` to its byte and
/// (when `decode_spaces`) `+` to a space; malformed escapes stay as they are. Never fails.
///
/// Node works on the string's UTF-16 code units and stores each one that is not part of an
/// escape as one byte, keeping its low eight bits: `"é"` gives the byte `0xE9`, not its UTF-8
/// encoding. This function does the same.
///
/// ```
/// use nodestd_querystring::unescape_buffer;
/// assert_eq!(unescape_buffer("a%41%zz+%E9", true), b"aA%zz \xE9");
/// assert_eq!(unescape_buffer("a+b", false), b"a+b");
/// assert_eq!(unescape_buffer("é日", false), [0xE9, 0xE5]);
/// ```
#[doc(alias = "unescapeBuffer")]
pub fn unescape_buffer(s: &str, decode_spaces: bool) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    unescape_buffer_units(&units, decode_spaces)
}

/// [`unescape_buffer`] for a JavaScript string given as UTF-16 code units. Like Node, each
/// code unit outside a `%XX` escape becomes one byte: its low eight bits.
///
/// ```
/// use nodestd_querystring::unescape_buffer_utf16;
/// assert_eq!(unescape_buffer_utf16(&[0x25, 0x34, 0x31, 0x65E5], false), [0x41, 0xE5]);
/// ```
pub fn unescape_buffer_utf16(units: &[u16], decode_spaces: bool) -> Vec<u8> {
    unescape_buffer_units(units, decode_spaces)
}

/// Node's `unescapeBuffer`, line for line.
fn unescape_buffer_units(s: &[u16], decode_spaces: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let len = s.len();
    // `index < s.length - 2`: a `%` needs two more code units after it.
    let has_two_after = |index: usize| index + 2 < len;
    let mut index = 0;
    while index < len {
        let mut current = s[index];
        if current == u16::from(b'+') && decode_spaces {
            out.push(b' ');
            index += 1;
            continue;
        }
        if current == u16::from(b'%') && has_two_after(index) {
            index += 1;
            current = s[index];
            let Some(high) = unhex(current) else {
                out.push(b'%');
                // The code unit after `%` is looked at again as an ordinary one.
                continue;
            };
            index += 1;
            match unhex(s[index]) {
                Some(low) => current = u16::from(high * 16 + low),
                None => {
                    out.push(b'%');
                    // Emit the first hex digit below, then look at the non-hex unit again.
                    index -= 1;
                }
            }
        }
        // A Buffer store keeps the low eight bits.
        out.push((current & 0xFF) as u8);
        index += 1;
    }
    out
}

/// JavaScript's `decodeURIComponent`, the first step of [`unescape`]: every `%XX` sequence
/// must be valid and spell UTF-8; `+` stays as it is.
///
/// ```
/// use nodestd_querystring::decode_uri_component;
/// assert_eq!(decode_uri_component("%F0%9F%98%80+%23").unwrap(), "😀+#");
/// assert_eq!(decode_uri_component("%E9").unwrap_err().js_name(), "URIError");
/// ```
///
/// # Errors
/// A `URIError` ([`ErrorKind::UriError`], "URI malformed") where JavaScript throws one: a `%`
/// not followed by two hex digits, or bytes that are not a UTF-8 encoding of a code point
/// (overlong forms and surrogates included).
pub fn decode_uri_component(s: &str) -> Result<String, Error> {
    decode_uri_component_str(s).ok_or(Error::new(ErrorKind::UriError))
}

/// [`decode_uri_component`] for a JavaScript string given as UTF-16 code units; lone
/// surrogates outside `%` sequences are kept.
///
/// ```
/// use nodestd_querystring::decode_uri_component_utf16;
/// assert_eq!(decode_uri_component_utf16(&[0xDC00, 0x25, 0x34, 0x31]).unwrap(), [0xDC00, 0x41]);
/// ```
///
/// # Errors
/// As [`decode_uri_component`].
pub fn decode_uri_component_utf16(units: &[u16]) -> Result<Vec<u16>, Error> {
    decode_uri_component_units(units).ok_or(Error::new(ErrorKind::UriError))
}

/// `decodeURIComponent` on a Rust string: the same result as
/// [`decode_uri_component_units`] on its UTF-16 units (text outside `%XX` is copied as it
/// is; each escape sequence must be one whole, valid UTF-8 character).
fn decode_uri_component_str(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let Some(mut k) = bytes.iter().position(|&b| b == b'%') else {
        return Some(s.to_owned());
    };
    let byte_at = |k: usize| -> Option<u8> {
        // `%` at k, hex digits at k+1, k+2.
        if bytes.get(k) != Some(&b'%') {
            return None;
        }
        let high = unhex(u16::from(*bytes.get(k + 1)?))?;
        let low = unhex(u16::from(*bytes.get(k + 2)?))?;
        Some(high * 16 + low)
    };
    // Plain runs are copied as they are and each escape sequence is one whole character:
    // the string is built as it goes, with no UTF-8 check at the end. Every cut is at a `%`
    // or right after an escape's hex digits, so at a character boundary.
    let mut out = String::with_capacity(s.len());
    let mut plain = 0;
    loop {
        out.push_str(&s[plain..k]);
        out.push(escaped_char(&byte_at, &mut k)?);
        plain = k;
        match bytes[k..].iter().position(|&b| b == b'%') {
            Some(next) => k += next,
            None => break,
        }
    }
    out.push_str(&s[plain..]);
    Some(out)
}

/// `decodeURIComponent`'s reading of one escaped character starting at `*k` (a `%XX`, and
/// for a multi-byte UTF-8 lead the `%XX` continuation bytes after it), advancing `*k` past it.
/// `None` for a malformed sequence: a bad lead or continuation byte, an overlong form, a
/// surrogate or a code point above U+10FFFF (`URIError: URI malformed` in Node).
fn escaped_char(byte_at: &impl Fn(usize) -> Option<u8>, k: &mut usize) -> Option<char> {
    let first = byte_at(*k)?;
    *k += 3;
    if first < 0x80 {
        return Some(char::from(first));
    }
    let n = first.leading_ones() as usize;
    if n == 1 || n > 4 {
        return None;
    }
    // The lead byte's payload, then six bits per continuation byte.
    let mut code = u32::from(first) & (0x7F >> n);
    for _ in 1..n {
        let b = byte_at(*k)?;
        if b & 0xC0 != 0x80 {
            return None;
        }
        code = (code << 6) | u32::from(b & 0x3F);
        *k += 3;
    }
    // Overlong forms are malformed; `from_u32` turns down surrogates and values past
    // U+10FFFF.
    let shortest = match n {
        2 => 0x80,
        3 => 0x800,
        _ => 0x1_0000,
    };
    if code < shortest {
        return None;
    }
    char::from_u32(code)
}

/// ECMA-262 `decodeURIComponent` (Decode with an empty reserved set), on UTF-16 code units.
/// `None` where JavaScript throws `URIError`.
fn decode_uri_component_units(s: &[u16]) -> Option<Vec<u16>> {
    let len = s.len();
    let mut out = Vec::with_capacity(len);
    let mut k = 0;
    let byte_at = |k: usize| -> Option<u8> {
        // `%` at k, hex digits at k+1, k+2.
        if s.get(k) != Some(&u16::from(b'%')) {
            return None;
        }
        let high = unhex(*s.get(k + 1)?)?;
        let low = unhex(*s.get(k + 2)?)?;
        Some(high * 16 + low)
    };
    while k < len {
        let c = s[k];
        if c != u16::from(b'%') {
            out.push(c);
            k += 1;
            continue;
        }
        let ch = escaped_char(&byte_at, &mut k)?;
        let mut buf = [0u16; 2];
        out.extend_from_slice(ch.encode_utf16(&mut buf));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    #[test]
    fn decode_uri_component_follows_the_spec() {
        assert_eq!(decode_uri_component_units(&u("%41%C3%A9")), Some(u("Aé")));
        assert_eq!(decode_uri_component_units(&u("%")), None);
        assert_eq!(decode_uri_component_units(&u("%4")), None);
        assert_eq!(decode_uri_component_units(&u("%E9")), None);
        assert_eq!(decode_uri_component_units(&u("%C0%80")), None);
        assert_eq!(decode_uri_component_units(&u("%ED%A0%80")), None);
        assert_eq!(decode_uri_component_units(&u("%F4%90%80%80")), None);
        assert_eq!(
            decode_uri_component_units(&u("%F0%9F%98%80")),
            Some(u("😀"))
        );
        assert_eq!(decode_uri_component_units(&u("+%23")), Some(u("+#")));
    }

    #[test]
    fn bytes_and_units_decode_alike() {
        for s in [
            "",
            "abc",
            "%41%C3%A9",
            "%",
            "%4",
            "%E9",
            "%C0%80",
            "%ED%A0%80",
            "%F4%90%80%80",
            "%F0%9F%98%80",
            "+%23",
            "é%C3%A9ü",
            "%C3",
            "%C3%41",
            "a%zz",
            "😀%20",
        ] {
            let units = decode_uri_component_units(&u(s)).map(|v| String::from_utf16_lossy(&v));
            assert_eq!(decode_uri_component_str(s), units, "{s:?}");
            for spaces in [false, true] {
                let via_units = String::from_utf16_lossy(&unescape_units(&u(s), spaces));
                assert_eq!(unescape_str(s, spaces), via_units, "{s:?}");
            }
        }
    }

    #[test]
    fn unescape_buffer_matches_node() {
        assert_eq!(unescape_buffer("%", false), b"%");
        assert_eq!(unescape_buffer("%4", false), b"%4");
        assert_eq!(unescape_buffer("%4g", false), b"%4g");
        assert_eq!(unescape_buffer("%g4", false), b"%g4");
        assert_eq!(unescape_buffer("a%2", false), b"a%2");
        assert_eq!(unescape_buffer("%%41", false), b"%A");
    }
}
