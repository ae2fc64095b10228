//! Chunks: [`Bytes`] (a cheap, clonable byte slice playing `Buffer`'s part), [`Chunk`]
//! (Node's "string or Buffer" of a stream that is not in object mode), [`Encoding`] and the
//! `string_decoder` behind `set_encoding`.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// An immutable byte slice with cheap clones and splits (an `Rc<[u8]>` and a range): what a
/// `Buffer` is to a Node stream. Piping a chunk to several destinations clones the handle,
/// not the bytes.
#[derive(Clone)]
pub struct Bytes {
    data: Rc<[u8]>,
    start: usize,
    end: usize,
}

impl Bytes {
    /// The empty slice.
    pub fn new() -> Bytes {
        Bytes::from(Vec::new())
    }

    /// Splits off and returns the first `n` bytes (`n` is clamped to the length).
    ///
    /// ```
    /// let mut b = nodestd_stream::Bytes::from("hello");
    /// let head = b.split_to(2);
    /// assert_eq!((&*head, &*b), (&b"he"[..], &b"llo"[..]));
    /// ```
    pub fn split_to(&mut self, n: usize) -> Bytes {
        let n = n.min(self.len());
        let head = Bytes {
            data: Rc::clone(&self.data),
            start: self.start,
            end: self.start + n,
        };
        self.start += n;
        head
    }

    /// The bytes, copied into a `Vec`.
    pub fn to_vec(&self) -> Vec<u8> {
        self[..].to_vec()
    }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::new()
    }
}

impl Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Bytes {
        let end = v.len();
        Bytes {
            data: v.into(),
            start: 0,
            end,
        }
    }
}

impl From<&[u8]> for Bytes {
    fn from(v: &[u8]) -> Bytes {
        Bytes::from(v.to_vec())
    }
}

impl From<&str> for Bytes {
    fn from(v: &str) -> Bytes {
        Bytes::from(v.as_bytes().to_vec())
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        self[..] == other[..]
    }
}

impl Eq for Bytes {}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({:?})", String::from_utf8_lossy(self))
    }
}

/// A chunk of a stream that is not in object mode: bytes (Node's `Buffer`) or, after
/// `set_encoding`, a string.
#[derive(Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Bytes (a `Buffer`).
    Bytes(Bytes),
    /// Text (a string chunk, from a stream with an encoding set, or pushed as a string).
    Str(String),
}

impl Chunk {
    /// The length Node counts: bytes for a `Buffer`, UTF-16 code units for a string.
    pub fn len(&self) -> usize {
        match self {
            Chunk::Bytes(b) => b.len(),
            Chunk::Str(s) => utf16_len(s),
        }
    }

    /// Whether the chunk is empty.
    pub fn is_empty(&self) -> bool {
        match self {
            Chunk::Bytes(b) => b.is_empty(),
            Chunk::Str(s) => s.is_empty(),
        }
    }

    /// The bytes of the chunk (a string's UTF-8 bytes).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Chunk::Bytes(b) => b,
            Chunk::Str(s) => s.as_bytes(),
        }
    }

    /// The chunk as bytes (a string is encoded as UTF-8, as `Buffer.from(s)` does).
    pub fn into_bytes(self) -> Bytes {
        match self {
            Chunk::Bytes(b) => b,
            Chunk::Str(s) => Bytes::from(s.into_bytes()),
        }
    }

    /// Splits off the first `n` units (bytes, or UTF-16 units of a string, rounded up to a
    /// whole character).
    pub(crate) fn split_to(&mut self, n: usize) -> Chunk {
        match self {
            Chunk::Bytes(b) => Chunk::Bytes(b.split_to(n)),
            Chunk::Str(s) => {
                let at = utf16_index(s, n);
                let rest = s.split_off(at);
                Chunk::Str(std::mem::replace(s, rest))
            }
        }
    }

    /// Joins chunks of one kind (Node's `buffer.concat` / `buffer.join('')`).
    pub(crate) fn concat(parts: Vec<Chunk>) -> Chunk {
        if parts.iter().all(|c| matches!(c, Chunk::Str(_))) && !parts.is_empty() {
            let mut s = String::new();
            for p in parts {
                if let Chunk::Str(t) = p {
                    s.push_str(&t);
                }
            }
            Chunk::Str(s)
        } else {
            let mut v = Vec::new();
            for p in &parts {
                v.extend_from_slice(p.as_bytes());
            }
            Chunk::Bytes(Bytes::from(v))
        }
    }
}

impl fmt::Debug for Chunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chunk::Bytes(b) => b.fmt(f),
            Chunk::Str(s) => write!(f, "Str({s:?})"),
        }
    }
}

impl From<Vec<u8>> for Chunk {
    fn from(v: Vec<u8>) -> Chunk {
        Chunk::Bytes(Bytes::from(v))
    }
}
impl From<&[u8]> for Chunk {
    fn from(v: &[u8]) -> Chunk {
        Chunk::Bytes(Bytes::from(v))
    }
}
impl<const N: usize> From<&[u8; N]> for Chunk {
    fn from(v: &[u8; N]) -> Chunk {
        Chunk::Bytes(Bytes::from(&v[..]))
    }
}
impl From<Bytes> for Chunk {
    fn from(v: Bytes) -> Chunk {
        Chunk::Bytes(v)
    }
}
impl From<&str> for Chunk {
    fn from(v: &str) -> Chunk {
        Chunk::Str(v.to_owned())
    }
}
impl From<String> for Chunk {
    fn from(v: String) -> Chunk {
        Chunk::Str(v)
    }
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// The byte index after `n` UTF-16 units (rounded up to a character boundary).
fn utf16_index(s: &str, n: usize) -> usize {
    if s.is_ascii() {
        return n.min(s.len());
    }
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= n {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

/// A character encoding for `set_encoding` (Node's `StringDecoder` encodings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// `'utf8'`: invalid sequences become U+FFFD; a character split across chunks is joined.
    Utf8,
    /// `'hex'`: two lowercase hex digits per byte.
    Hex,
    /// `'base64'`: whole 3-byte groups per chunk, the rest (padded) at the end.
    Base64,
    /// `'latin1'` / `'binary'`: one character per byte.
    Latin1,
    /// `'ascii'`: one character per byte, high bit cleared.
    Ascii,
}

impl Encoding {
    /// Parses a Node encoding name (case-insensitive; `utf-8`, `binary` accepted).
    ///
    /// ```
    /// use nodestd_stream::Encoding;
    /// assert_eq!(Encoding::parse("UTF-8"), Some(Encoding::Utf8));
    /// assert_eq!(Encoding::parse("nope"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Some(Encoding::Utf8),
            "hex" => Some(Encoding::Hex),
            "base64" => Some(Encoding::Base64),
            "latin1" | "binary" => Some(Encoding::Latin1),
            "ascii" => Some(Encoding::Ascii),
            _ => None,
        }
    }

    /// Node's name for the encoding (`readableEncoding`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
            Encoding::Latin1 => "latin1",
            Encoding::Ascii => "ascii",
        }
    }

    /// Decodes a whole buffer (`buf.toString(enc)`).
    pub fn decode(self, bytes: &[u8]) -> String {
        let mut d = Decoder::new(self);
        let mut s = d.write(bytes);
        s.push_str(&d.end());
        s
    }

    /// Encodes a string (`Buffer.from(s, enc)`), leniently as Node does (bad hex digits end
    /// the hex input; bad base64 characters are skipped).
    pub fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => s.as_bytes().to_vec(),
            Encoding::Latin1 | Encoding::Ascii => s.chars().map(|c| c as u32 as u8).collect(),
            Encoding::Hex => {
                let b = s.as_bytes();
                let mut out = Vec::new();
                for pair in b.chunks_exact(2) {
                    match (hex_val(pair[0]), hex_val(pair[1])) {
                        (Some(h), Some(l)) => out.push(h << 4 | l),
                        _ => break,
                    }
                }
                out
            }
            Encoding::Base64 => base64_decode(s),
        }
    }
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], out: &mut String) {
    for g in bytes.chunks(3) {
        let n = (g[0] as u32) << 16
            | (*g.get(1).unwrap_or(&0) as u32) << 8
            | *g.get(2).unwrap_or(&0) as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if g.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if g.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut acc = 0u32;
    let mut bits = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = acc << 6 | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Node's `StringDecoder`: turns a byte stream into text without splitting a character
/// (utf8) or a 3-byte group (base64) across chunks.
#[derive(Debug, Clone)]
pub struct Decoder {
    encoding: Encoding,
    pending: Vec<u8>,
}

impl Decoder {
    /// A decoder for `encoding`.
    pub fn new(encoding: Encoding) -> Decoder {
        Decoder {
            encoding,
            pending: Vec::new(),
        }
    }

    /// The encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Decodes `bytes`, keeping an incomplete tail for the next call.
    ///
    /// ```
    /// use nodestd_stream::{Decoder, Encoding};
    /// let mut d = Decoder::new(Encoding::Utf8);
    /// assert_eq!(d.write(&[0xE2, 0x82]), "");
    /// assert_eq!(d.write(&[0xAC]), "€");
    /// ```
    pub fn write(&mut self, bytes: &[u8]) -> String {
        match self.encoding {
            Encoding::Hex => {
                let mut s = String::with_capacity(bytes.len() * 2);
                for b in bytes {
                    s.push_str(&format!("{b:02x}"));
                }
                s
            }
            Encoding::Latin1 => bytes.iter().map(|&b| b as char).collect(),
            Encoding::Ascii => bytes.iter().map(|&b| (b & 0x7f) as char).collect(),
            Encoding::Base64 => {
                self.pending.extend_from_slice(bytes);
                let whole = self.pending.len() / 3 * 3;
                let mut s = String::new();
                base64_encode(&self.pending[..whole], &mut s);
                self.pending.drain(..whole);
                s
            }
            Encoding::Utf8 => {
                self.pending.extend_from_slice(bytes);
                let keep = incomplete_utf8_tail(&self.pending);
                let cut = self.pending.len() - keep;
                let s = String::from_utf8_lossy(&self.pending[..cut]).into_owned();
                self.pending.drain(..cut);
                s
            }
        }
    }

    /// Flushes what is left (`decoder.end()`): U+FFFD for an incomplete character, the padded
    /// last base64 group.
    pub fn end(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        match self.encoding {
            Encoding::Utf8 if !rest.is_empty() => "\u{FFFD}".to_owned(),
            Encoding::Base64 => {
                let mut s = String::new();
                base64_encode(&rest, &mut s);
                s
            }
            _ => String::new(),
        }
    }
}

/// How many trailing bytes form the start of a UTF-8 sequence that needs more bytes.
fn incomplete_utf8_tail(b: &[u8]) -> usize {
    let n = b.len();
    for back in 1..=3.min(n) {
        let c = b[n - back];
        if c & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = if (0xF0..=0xF4).contains(&c) {
            4
        } else if (0xE0..0xF0).contains(&c) {
            3
        } else if (0xC2..0xE0).contains(&c) {
            2
        } else {
            return 0;
        };
        return if need > back { back } else { 0 };
    }
    0
}
