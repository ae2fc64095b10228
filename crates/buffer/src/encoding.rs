//! Node's Buffer encodings, once for every crate: names (`normalizeEncoding`), encoding a
//! JavaScript string into bytes (`Buffer.from(string, enc)`), decoding bytes into a string
//! (`buf.toString(enc)`) and `Buffer.byteLength`.
//!
//! Strings come as `&str` or, where a JavaScript string may hold lone surrogates, as UTF-16
//! code units (`&[u16]`); decoding gives a `String` (a lone surrogate becomes U+FFFD, which a
//! Rust string cannot hold) or the exact code units ([`Encoding::decode_utf16`]).

use crate::error::{Error, Result};

/// A Node Buffer encoding.
///
/// ```
/// use nodestd_buffer::Encoding;
/// assert_eq!(Encoding::parse("UCS-2"), Some(Encoding::Utf16Le));
/// assert_eq!(Encoding::Hex.encode("6869zz"), b"hi");
/// assert_eq!(Encoding::Base64.decode(b"hi"), "aGk=");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// `'utf8'` / `'utf-8'`: invalid sequences decode to U+FFFD (one per maximal invalid
    /// subpart, as V8); lone surrogates encode as EF BF BD.
    Utf8,
    /// `'utf16le'` / `'utf-16le'` / `'ucs2'` / `'ucs-2'`: two bytes per UTF-16 unit, little
    /// endian; an odd last byte is ignored when decoding.
    Utf16Le,
    /// `'latin1'` / `'binary'`: one byte per unit (the unit's low byte when encoding).
    Latin1,
    /// `'ascii'`: encodes as latin1; decodes each byte with its high bit cleared.
    Ascii,
    /// `'base64'`: padded standard alphabet out; both alphabets in, whitespace and other
    /// characters skipped, decoding stopped by `=`.
    Base64,
    /// `'base64url'`: as base64 with the URL alphabet and no padding out.
    Base64Url,
    /// `'hex'`: two lowercase digits per byte out; in, decoding stops at the first pair that is
    /// not two hex digits (an odd last digit is ignored).
    Hex,
}

impl Encoding {
    /// Every encoding, in Node's order of `encodingsMap`.
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Latin1,
        Encoding::Ascii,
        Encoding::Base64,
        Encoding::Base64Url,
        Encoding::Hex,
    ];

    /// Node's `normalizeEncoding`: case-insensitive, with the aliases `utf-8`, `ucs2`,
    /// `ucs-2`, `utf-16le` and `binary`; the empty name is utf8 (as for `StringDecoder`;
    /// [`is_encoding`] says no to it, as `Buffer.isEncoding('')` does).
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::parse("Binary"), Some(Encoding::Latin1));
    /// assert_eq!(Encoding::parse("utf16"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Encoding> {
        Some(match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" | "" => Encoding::Utf8,
            "ucs2" | "ucs-2" | "utf16le" | "utf-16le" => Encoding::Utf16Le,
            "latin1" | "binary" => Encoding::Latin1,
            "ascii" => Encoding::Ascii,
            "base64" => Encoding::Base64,
            "base64url" => Encoding::Base64Url,
            "hex" => Encoding::Hex,
            _ => return None,
        })
    }

    /// [`Encoding::parse`], failing as Buffer's methods do.
    ///
    /// # Errors
    /// `ERR_UNKNOWN_ENCODING`: `Unknown encoding: name`.
    pub fn from_name(name: &str) -> Result<Encoding> {
        Encoding::parse(name).ok_or_else(|| Error::unknown_encoding(name))
    }

    /// Node's canonical name (`utf8`, `utf16le`, `latin1`, `ascii`, `base64`, `base64url`,
    /// `hex`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Utf16Le => "utf16le",
            Encoding::Latin1 => "latin1",
            Encoding::Ascii => "ascii",
            Encoding::Base64 => "base64",
            Encoding::Base64Url => "base64url",
            Encoding::Hex => "hex",
        }
    }

    /// `Buffer.from(string, encoding)`.
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::Base64.encode("aGk= trailing"), b"hi");
    /// assert_eq!(Encoding::Latin1.encode("é"), [0xe9]);
    /// ```
    #[doc(alias = "from")]
    pub fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => s.as_bytes().to_vec(),
            _ => {
                let units: Vec<u16> = s.encode_utf16().collect();
                self.encode_utf16(&units)
            }
        }
    }

    /// `Buffer.from(string, encoding)` for a JavaScript string given as UTF-16 code units
    /// (lone surrogates allowed: utf8 writes each as EF BF BD).
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::Utf8.encode_utf16(&[0x61, 0xd800]), [0x61, 0xef, 0xbf, 0xbd]);
    /// ```
    #[doc(alias = "from")]
    pub fn encode_utf16(self, units: &[u16]) -> Vec<u8> {
        match self {
            Encoding::Utf8 => String::from_utf16_lossy(units).into_bytes(),
            Encoding::Utf16Le => units.iter().flat_map(|u| u.to_le_bytes()).collect(),
            Encoding::Latin1 | Encoding::Ascii => units.iter().map(|&u| u as u8).collect(),
            Encoding::Hex => hex_decode(units.len() / 2, units),
            Encoding::Base64 | Encoding::Base64Url => {
                // Short strings go through the pool with the JavaScript byte length; from
                // `poolSize >>> 1` bytes on, `createFromString` sizes with C++'s estimate.
                let js = base64_byte_length(units);
                let cap = if js >= 4096 {
                    base64_decoded_size_fast(units.len())
                } else {
                    js
                };
                base64_decode(cap, units)
            }
        }
    }

    /// `buf.toString(encoding)`, with lone surrogates (utf16le only) as U+FFFD.
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::Utf8.decode(b"a\xffb"), "a\u{fffd}b");
    /// assert_eq!(Encoding::Base64Url.decode(&[0xfb, 0xff]), "-_8");
    /// ```
    #[doc(alias = "toString")]
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Utf16Le => String::from_utf16_lossy(&self.decode_utf16(bytes)),
            Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Encoding::Ascii => bytes.iter().map(|&b| char::from(b & 0x7f)).collect(),
            Encoding::Hex => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let mut s = String::with_capacity(bytes.len() * 2);
                for &b in bytes {
                    s.push(DIGITS[usize::from(b >> 4)] as char);
                    s.push(DIGITS[usize::from(b & 15)] as char);
                }
                s
            }
            Encoding::Base64 => base64_encode(bytes, B64, true),
            Encoding::Base64Url => base64_encode(bytes, B64URL, false),
        }
    }

    /// `buf.toString(encoding)` as the JavaScript string's exact UTF-16 code units (utf16le
    /// may give lone surrogates).
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::Utf16Le.decode_utf16(&[0x00, 0xd8, 0x61]), [0xd800]);
    /// ```
    #[doc(alias = "toString")]
    pub fn decode_utf16(self, bytes: &[u8]) -> Vec<u16> {
        match self {
            Encoding::Utf16Le => bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect(),
            _ => self.decode(bytes).encode_utf16().collect(),
        }
    }

    /// `Buffer.byteLength(string, encoding)`: the length `Buffer.from(string, encoding)`
    /// allocates (for base64 and hex an upper bound computed from the length alone, as in
    /// Node).
    ///
    /// ```
    /// use nodestd_buffer::Encoding;
    /// assert_eq!(Encoding::Utf8.byte_length("€"), 3);
    /// assert_eq!(Encoding::Base64.byte_length("aGk="), 2);
    /// ```
    #[doc(alias = "byteLength")]
    pub fn byte_length(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            _ => {
                let units: Vec<u16> = s.encode_utf16().collect();
                self.byte_length_utf16(&units)
            }
        }
    }

    /// [`Encoding::byte_length`] of a string given as UTF-16 code units.
    pub fn byte_length_utf16(self, units: &[u16]) -> usize {
        match self {
            Encoding::Utf8 => units_utf8_len(units),
            Encoding::Utf16Le => units.len() * 2,
            Encoding::Latin1 | Encoding::Ascii => units.len(),
            Encoding::Hex => units.len() / 2,
            Encoding::Base64 | Encoding::Base64Url => base64_byte_length(units),
        }
    }
}

/// `Buffer.isEncoding(name)`: a known name, and not the empty string.
///
/// ```
/// assert!(nodestd_buffer::is_encoding("UTF-8"));
/// assert!(!nodestd_buffer::is_encoding(""));
/// ```
#[doc(alias = "isEncoding")]
pub fn is_encoding(name: &str) -> bool {
    !name.is_empty() && Encoding::parse(name).is_some()
}

/// UTF-8 length of UTF-16 units, a lone surrogate counting 3 (its U+FFFD).
fn units_utf8_len(units: &[u16]) -> usize {
    char::decode_utf16(units.iter().copied())
        .map(|c| c.map_or(3, char::len_utf8))
        .sum()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64_encode(bytes: &[u8], table: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for g in bytes.chunks(3) {
        let n = u32::from(g[0]) << 16
            | u32::from(*g.get(1).unwrap_or(&0)) << 8
            | u32::from(*g.get(2).unwrap_or(&0));
        out.push(table[(n >> 18) as usize & 63] as char);
        out.push(table[(n >> 12) as usize & 63] as char);
        for (i, shift) in [(1, 6), (2, 0)] {
            if g.len() > i {
                out.push(table[(n >> shift) as usize & 63] as char);
            } else if pad {
                out.push('=');
            }
        }
    }
    out
}

/// Node's `unbase64`: both alphabets; 255 for anything else. The character is first cut to
/// its low byte (`static_cast<uint8_t>`), so U+0141 reads as `A`.
fn unbase64(u: u16) -> u8 {
    match u as u8 {
        c @ b'A'..=b'Z' => c - b'A',
        c @ b'a'..=b'z' => c - b'a' + 26,
        c @ b'0'..=b'9' => c - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => 255,
    }
}

/// JavaScript's `base64ByteLength`: up to two trailing `=` dropped, then `(n * 3) >>> 2`.
fn base64_byte_length(units: &[u16]) -> usize {
    let mut n = units.len();
    if n > 0 && units[n - 1] == u16::from(b'=') {
        n -= 1;
    }
    if n > 1 && units[n - 1] == u16::from(b'=') {
        n -= 1;
    }
    (n * 3) >> 2
}

/// C++'s `base64_decoded_size_fast`.
fn base64_decoded_size_fast(n: usize) -> usize {
    if n > 1 {
        n / 4 * 3 + (n % 4).div_ceil(2)
    } else {
        0
    }
}

/// C++'s `base64_decoded_size`: trailing `=` (up to two) dropped first.
fn base64_decoded_size(units: &[u16]) -> usize {
    let mut n = units.len();
    if n < 2 {
        return 0;
    }
    if units[n - 1] == u16::from(b'=') {
        n -= 1;
        if units[n - 1] == u16::from(b'=') {
            n -= 1;
        }
    }
    base64_decoded_size_fast(n)
}

/// Node's `base64_decode` (src/base64-inl.h) into at most `dstlen` bytes: the fast loop over
/// whole groups of four valid characters, falling back to the slow group decoder, which skips
/// invalid characters and stops at `=` or the end.
fn base64_decode(dstlen: usize, src: &[u16]) -> Vec<u8> {
    let mut dst = vec![0u8; dstlen];
    let decoded_size = base64_decoded_size(src);
    let available = dstlen.min(decoded_size);
    let max_k = available / 3 * 3;
    let mut max_i = src.len() / 4 * 4;
    let (mut i, mut k) = (0usize, 0usize);
    while i < max_i && k < max_k {
        let t = [
            unbase64(src[i]),
            unbase64(src[i + 1]),
            unbase64(src[i + 2]),
            unbase64(src[i + 3]),
        ];
        if t.iter().any(|&x| x & 0x80 != 0) {
            if !decode_group_slow(&mut dst, src, &mut i, &mut k) {
                dst.truncate(k);
                return dst;
            }
            max_i = i + (src.len() - i) / 4 * 4;
        } else {
            dst[k] = t[0] << 2 | t[1] >> 4;
            dst[k + 1] = t[1] << 4 | t[2] >> 2;
            dst[k + 2] = t[2] << 6 | t[3];
            i += 4;
            k += 3;
        }
    }
    if i < src.len() && k < dstlen {
        decode_group_slow(&mut dst, src, &mut i, &mut k);
    }
    dst.truncate(k);
    dst
}

/// Node's `base64_decode_group_slow`: one group of four legal characters, skipping illegal
/// ones; false when decoding must stop (`=`, the end of input, or the output full).
fn decode_group_slow(dst: &mut [u8], src: &[u16], i: &mut usize, k: &mut usize) -> bool {
    let mut hi = 0u8;
    for step in 0..4 {
        let lo = loop {
            let c = src[*i];
            let lo = unbase64(c);
            *i += 1;
            if lo < 64 {
                break lo;
            }
            if c as u8 == b'=' || *i >= src.len() {
                return false;
            }
        };
        match step {
            1 => {
                dst[*k] = (hi & 0x3f) << 2 | (lo & 0x30) >> 4;
                *k += 1;
            }
            2 => {
                dst[*k] = (hi & 0x0f) << 4 | (lo & 0x3c) >> 2;
                *k += 1;
            }
            3 => {
                dst[*k] = (hi & 0x03) << 6 | (lo & 0x3f);
                *k += 1;
            }
            _ => {}
        }
        if *i >= src.len() || *k >= dst.len() {
            return false;
        }
        hi = lo;
    }
    true
}

/// Node's `hex_decode`: at most `len` bytes, stopping at the first pair that is not two hex
/// digits (each unit cut to its low byte first, as in C++).
fn hex_decode(len: usize, src: &[u16]) -> Vec<u8> {
    let unhex = |u: u16| (u as u8 as char).to_digit(16);
    let mut out = Vec::with_capacity(len);
    for pair in src.chunks_exact(2).take(len) {
        match (unhex(pair[0]), unhex(pair[1])) {
            (Some(a), Some(b)) => out.push((a << 4 | b) as u8),
            _ => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_lengths() {
        for n in 0..40u8 {
            let b: Vec<u8> = (0..n).map(|i| i.wrapping_mul(97).wrapping_add(3)).collect();
            for e in [Encoding::Base64, Encoding::Base64Url, Encoding::Hex] {
                let s = e.decode(&b);
                assert_eq!(e.encode(&s), b, "{e:?} {n}");
            }
        }
        assert_eq!(Encoding::Base64.encode("Zm9v=YmFy"), b"foo");
        assert_eq!(Encoding::Base64.encode("\u{141}AAA"), [0, 0, 0]);
        assert_eq!(Encoding::Hex.encode("abc"), [0xab]);
    }
}
