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

/// A character encoding for `set_encoding` and string chunks: nodestd-buffer's [`Encoding`]
/// (every name `setEncoding` and `StringDecoder` accept maps to one of these through
/// [`Encoding::parse`], the empty name being utf8).
pub use nodestd_buffer::Encoding;

/// Node's `StringDecoder`: turns a byte stream into text without splitting a character
/// (utf8, utf16le) or a 3-byte group (base64, base64url) across chunks.
#[derive(Debug, Clone)]
pub struct Decoder {
    encoding: Encoding,
    /// Bytes held for the next chunk (Node's incomplete-character buffer).
    pending: Vec<u8>,
    /// utf8: how many more bytes the held character's lead byte asks for (Node's
    /// `kMissingBytes`).
    missing: usize,
}

impl Decoder {
    /// A decoder for `encoding`.
    pub fn new(encoding: Encoding) -> Decoder {
        Decoder {
            encoding,
            pending: Vec::new(),
            missing: 0,
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
            Encoding::Base64 | Encoding::Base64Url => {
                self.pending.extend_from_slice(bytes);
                let whole = self.pending.len() / 3 * 3;
                let s = self.encoding.decode(&self.pending[..whole]);
                self.pending.drain(..whole);
                s
            }
            Encoding::Utf16Le => {
                self.pending.extend_from_slice(bytes);
                let mut cut = self.pending.len() / 2 * 2;
                // A high surrogate ending the whole units waits for its pair (Node holds it
                // only when no odd byte follows it).
                if cut == self.pending.len() && cut >= 2 {
                    let last = u16::from_le_bytes([self.pending[cut - 2], self.pending[cut - 1]]);
                    if (0xD800..0xDC00).contains(&last) {
                        cut -= 2;
                    }
                }
                let s = Encoding::Utf16Le.decode(&self.pending[..cut]);
                self.pending.drain(..cut);
                s
            }
            Encoding::Utf8 => self.write_utf8(bytes),
            // Hex, latin1, ascii: each byte stands alone.
            e => e.decode(bytes),
        }
    }

    /// Node's UTF-8 `DecodeData` (`src/string_decoder.cc`): a held character is finished by
    /// the continuation bytes that follow (or cut short by the first byte that is not one)
    /// and decoded alone; then the chunk is decoded up to a last character its lead byte
    /// says is incomplete, which is held. The lead byte alone decides (`110xxxxx` asks for
    /// 2 bytes, `1110xxxx` 3, `11110xxx` 4, so C0, C1 and F5–F7 are held too); each piece
    /// is decoded with U+FFFD per maximal invalid subpart, as V8 does.
    fn write_utf8(&mut self, mut data: &[u8]) -> String {
        let mut out = String::new();
        if self.missing > 0 {
            let cont = data
                .iter()
                .take(self.missing)
                .take_while(|&&b| b & 0xC0 == 0x80)
                .count();
            self.pending.extend_from_slice(&data[..cont]);
            data = &data[cont..];
            self.missing = if cont < self.missing && !data.is_empty() {
                0 // cut short by a byte that does not continue the character
            } else {
                self.missing - cont
            };
            if self.missing > 0 {
                return out;
            }
            out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut self.pending)));
        }
        let held = utf8_held_tail(data);
        if let Some((n, missing)) = held {
            self.missing = missing;
            self.pending.extend_from_slice(&data[data.len() - n..]);
            data = &data[..data.len() - n];
        }
        out.push_str(&String::from_utf8_lossy(data));
        out
    }

    /// Flushes what is left (`decoder.end()`): U+FFFD for an incomplete character, the padded
    /// last base64 group.
    pub fn end(&mut self) -> String {
        let rest = std::mem::take(&mut self.pending);
        self.missing = 0;
        match self.encoding {
            Encoding::Utf8 => String::from_utf8_lossy(&rest).into_owned(),
            Encoding::Base64 | Encoding::Base64Url => self.encoding.decode(&rest),
            // A trailing odd byte is dropped, as Node does; a held high surrogate is flushed.
            Encoding::Utf16Le => Encoding::Utf16Le.decode(&rest),
            _ => String::new(),
        }
    }
}

/// The incomplete character that ends `data`, as Node's decoder finds it: (bytes held, bytes
/// still missing). Looks back from a last byte with the high bit set over at most three
/// continuation bytes to a lead byte; nothing is held when the lead byte is not one
/// (F8–FF), when its character is already complete, or when the chunk holds no lead byte.
fn utf8_held_tail(data: &[u8]) -> Option<(usize, usize)> {
    if data.last()? & 0x80 == 0 {
        return None;
    }
    let mut buffered = 0;
    for &b in data.iter().rev() {
        buffered += 1;
        if b & 0xC0 == 0x80 {
            if buffered >= 4 {
                return None;
            }
            continue;
        }
        let need = if b & 0xE0 == 0xC0 {
            2
        } else if b & 0xF0 == 0xE0 {
            3
        } else if b & 0xF8 == 0xF0 {
            4
        } else {
            return None;
        };
        return (buffered < need).then(|| (buffered, need - buffered));
    }
    None
}
