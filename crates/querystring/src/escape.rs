//! `querystring.escape`: Node's `encodeStr` with the `noEscape` table and `hexTable`.

use crate::error::{Error, ErrorKind};
use crate::tables::{HEX_TABLE, hex, no_escape};

/// `querystring.escape(str)`: percent-encodes every UTF-8 byte of `s` except the ASCII
/// letters, digits and `! - . _ ~ ' ( ) *`, with upper-case hex digits.
///
/// Node's table is wider than `encodeURIComponent`'s in nothing and narrower in nothing; the
/// difference from the WHATWG `application/x-www-form-urlencoded` serializer is that a space
/// becomes `%20`, not `+`.
///
/// ```
/// use nodestd_querystring::escape;
/// assert_eq!(escape("a b&c=d/é😀"), "a%20b%26c%3Dd%2F%C3%A9%F0%9F%98%80");
/// assert_eq!(escape("!-._~'()*"), "!-._~'()*");
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if no_escape(u16::from(b)) {
            out.push(char::from(b));
        } else {
            out.push_str(hex(b));
        }
    }
    out
}

/// `querystring.escape(str)` for a JavaScript string given as UTF-16 code units, which may
/// hold lone surrogates.
///
/// Node's algorithm reads a surrogate (high or low) and the code unit after it as one pair,
/// whatever that next unit is, so only a surrogate in the last position fails.
///
/// ```
/// use nodestd_querystring::escape_utf16;
/// let units: Vec<u16> = "é😀".encode_utf16().collect();
/// assert_eq!(escape_utf16(&units).unwrap(), "%C3%A9%F0%9F%98%80");
/// // A lone high surrogate followed by `a` is combined as Node combines it.
/// assert_eq!(escape_utf16(&[0xD800, 0x61]).unwrap(), "%F0%90%81%A1");
/// assert_eq!(escape_utf16(&[0x61, 0xDC00]).unwrap_err().code(), "ERR_INVALID_URI");
/// ```
///
/// # Errors
/// `ERR_INVALID_URI` ("URI malformed") when the last code unit is a surrogate, as Node throws.
#[doc(alias = "escape")]
pub fn escape_utf16(units: &[u16]) -> Result<String, Error> {
    let mut out = String::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let c = u32::from(units[i]);
        if c < 0x80 {
            if no_escape(c as u16) {
                out.push(char::from(c as u8));
            } else {
                out.push_str(hex(c as u8));
            }
        } else if c < 0x800 {
            push_bytes(&mut out, &[0xC0 | (c >> 6), 0x80 | (c & 0x3F)]);
        } else if !(0xD800..0xE000).contains(&c) {
            push_bytes(
                &mut out,
                &[
                    0xE0 | (c >> 12),
                    0x80 | ((c >> 6) & 0x3F),
                    0x80 | (c & 0x3F),
                ],
            );
        } else {
            // Surrogate: Node takes the next code unit as its partner, unchecked.
            i += 1;
            let Some(&next) = units.get(i) else {
                return Err(Error::new(ErrorKind::InvalidUri));
            };
            let c2 = u32::from(next) & 0x3FF;
            let cp = 0x10000 + (((c & 0x3FF) << 10) | c2);
            push_bytes(
                &mut out,
                &[
                    0xF0 | (cp >> 18),
                    0x80 | ((cp >> 12) & 0x3F),
                    0x80 | ((cp >> 6) & 0x3F),
                    0x80 | (cp & 0x3F),
                ],
            );
        }
        i += 1;
    }
    Ok(out)
}

fn push_bytes(out: &mut String, bytes: &[u32]) {
    for &b in bytes {
        let [p, h, l] = HEX_TABLE[(b & 0xFF) as usize];
        out.push(char::from(p));
        out.push(char::from(h));
        out.push(char::from(l));
    }
}
