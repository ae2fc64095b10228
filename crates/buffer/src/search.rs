//! `buf.indexOf` / `lastIndexOf` / `includes`: Node's `bidirectionalIndexOf` and the C++
//! `IndexOfString` / `IndexOfBuffer` / `IndexOfNumber` (src/node_buffer.cc), with their
//! offset rules and their quirks (a ucs2 search for a Buffer needle in an odd-length buffer
//! that finds nothing answers `length - 1`, as Node does).

use crate::encoding::Encoding;

/// What `indexOf` looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needle<'a> {
    /// A string, encoded with the search's encoding.
    Str(&'a str),
    /// A JavaScript string as UTF-16 code units (lone surrogates allowed).
    Utf16(&'a [u16]),
    /// A Buffer or Uint8Array.
    Bytes(&'a [u8]),
    /// A number (Node takes `value >>> 0`, then its low byte).
    Byte(u8),
}

impl<'a> From<&'a str> for Needle<'a> {
    fn from(s: &'a str) -> Self {
        Needle::Str(s)
    }
}
impl<'a> From<&'a String> for Needle<'a> {
    fn from(s: &'a String) -> Self {
        Needle::Str(s)
    }
}
impl<'a> From<&'a [u8]> for Needle<'a> {
    fn from(b: &'a [u8]) -> Self {
        Needle::Bytes(b)
    }
}
impl<'a, const N: usize> From<&'a [u8; N]> for Needle<'a> {
    fn from(b: &'a [u8; N]) -> Self {
        Needle::Bytes(b)
    }
}
impl<'a> From<&'a Vec<u8>> for Needle<'a> {
    fn from(b: &'a Vec<u8>) -> Self {
        Needle::Bytes(b)
    }
}
impl<'a> From<&'a crate::Buffer> for Needle<'a> {
    fn from(b: &'a crate::Buffer) -> Self {
        Needle::Bytes(b)
    }
}
impl From<u8> for Needle<'_> {
    fn from(b: u8) -> Self {
        Needle::Byte(b)
    }
}

/// C++ `IndexOfOffset`: where the search starts, or -1 when none is needed.
fn index_of_offset(length: usize, offset: i64, needle_length: usize, forward: bool) -> i64 {
    let len = length as i64;
    let nl = needle_length as i64;
    if offset < 0 {
        if offset + len >= 0 {
            len + offset
        } else if forward || nl == 0 {
            0
        } else {
            -1
        }
    } else if offset + nl <= len {
        offset
    } else if nl == 0 {
        len
    } else if forward {
        -1
    } else {
        len - 1
    }
}

/// Node's `SearchString`: the first match at or after `start` (forward) or the last at or
/// before it (backward); `hay.len()` when none.
fn search<T: Eq>(hay: &[T], needle: &[T], start: usize, forward: bool) -> usize {
    if hay.len() < needle.len() {
        return hay.len();
    }
    let diff = hay.len() - needle.len();
    let hit = |p: &usize| hay[*p..*p + needle.len()] == *needle;
    let found = if forward {
        (start..=diff).find(hit)
    } else {
        (0..=start.min(diff)).rev().find(hit)
    };
    found.unwrap_or(hay.len())
}

/// The common prologue of `IndexOfString` and `IndexOfBuffer`: `Err(answer)` when the
/// answer is known without searching, else the start offset.
fn prologue(hay_len: usize, needle_len: usize, offset: i64, forward: bool) -> Result<usize, i64> {
    let opt = index_of_offset(hay_len, offset, needle_len, forward);
    if needle_len == 0 {
        return Err(opt);
    }
    if hay_len == 0 || opt <= -1 {
        return Err(-1);
    }
    let off = opt as usize;
    if (forward && needle_len + off > hay_len) || needle_len > hay_len {
        return Err(-1);
    }
    Ok(off)
}

fn units(b: &[u8]) -> Vec<u16> {
    b.chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect()
}

/// C++ `IndexOfBuffer`.
fn index_of_buffer(hay: &[u8], needle: &[u8], offset: i64, enc: Encoding, fwd: bool) -> i64 {
    let off = match prologue(hay.len(), needle.len(), offset, fwd) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let result = if enc == Encoding::Utf16Le {
        if hay.len() < 2 || needle.len() < 2 {
            return -1;
        }
        search(&units(hay), &units(needle), off / 2, fwd) * 2
    } else {
        search(hay, needle, off, fwd)
    };
    if result == hay.len() {
        -1
    } else {
        result as i64
    }
}

/// C++ `IndexOfString` for utf8, ucs2 and latin1 (the encodings Node searches as strings).
fn index_of_string(hay: &[u8], needle: &[u16], offset: i64, enc: Encoding, fwd: bool) -> i64 {
    let hay_len = if enc == Encoding::Utf16Le {
        hay.len() & !1
    } else {
        hay.len()
    };
    let hay = &hay[..hay_len];
    let bytes = enc.encode_utf16(needle);
    let off = match prologue(hay_len, bytes.len(), offset, fwd) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let result = if enc == Encoding::Utf16Le {
        if hay_len < 2 {
            return -1;
        }
        search(&units(hay), needle, off / 2, fwd) * 2
    } else {
        search(hay, &bytes, off, fwd)
    };
    if result == hay_len { -1 } else { result as i64 }
}

/// Node's `bidirectionalIndexOf` after argument coercion: `byte_offset` `None` is Node's
/// `undefined` (0 forward, the length backward); answers -1 for no match.
pub(crate) fn index_of(
    hay: &[u8],
    needle: Needle<'_>,
    byte_offset: Option<i64>,
    enc: Encoding,
    forward: bool,
) -> i64 {
    let offset = byte_offset
        .map(|o| o.clamp(-0x8000_0000, 0x7fff_ffff))
        .unwrap_or(if forward { 0 } else { hay.len() as i64 });
    let string = |units: &[u16]| match enc {
        Encoding::Utf8 | Encoding::Utf16Le | Encoding::Latin1 => {
            index_of_string(hay, units, offset, enc, forward)
        }
        _ => index_of_buffer(hay, &enc.encode_utf16(units), offset, enc, forward),
    };
    match needle {
        Needle::Byte(b) => {
            let opt = index_of_offset(hay.len(), offset, 1, forward);
            if opt <= -1 || hay.is_empty() {
                return -1;
            }
            let off = opt as usize;
            let found = if forward {
                hay[off..].iter().position(|&x| x == b).map(|p| p + off)
            } else {
                hay[..=off].iter().rposition(|&x| x == b)
            };
            found.map_or(-1, |p| p as i64)
        }
        Needle::Bytes(n) => index_of_buffer(hay, n, offset, enc, forward),
        Needle::Str(s) => string(&s.encode_utf16().collect::<Vec<_>>()),
        Needle::Utf16(u) => string(u),
    }
}
