//! Node's Buffer encodings, for strings going into `update` and digests coming out: the
//! names Node accepts and its lenient decoders (hex stops at the first bad pair, base64 skips
//! characters outside both alphabets and stops at `=`).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

/// A Node string encoding (`BufferEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// `utf8` / `utf-8`.
    Utf8,
    /// `hex`: two lowercase hex digits per byte.
    Hex,
    /// `base64`, with padding.
    Base64,
    /// `base64url`, without padding.
    Base64Url,
    /// `latin1` / `binary`: one byte per UTF-16 code unit (its low 8 bits).
    Latin1,
    /// `ascii`: as `latin1` when decoding; when encoding, each byte's low 7 bits.
    Ascii,
    /// `utf16le` / `ucs2` / `ucs-2` / `utf-16le`: UTF-16 code units, little-endian.
    Utf16Le,
}

impl Encoding {
    /// Parses an encoding name as Node's `normalizeEncoding` does (case-insensitive, with
    /// Node's aliases). `None` for anything else (including `buffer`).
    ///
    /// ```
    /// use nodestd_crypto::Encoding;
    /// assert_eq!(Encoding::from_name("UCS-2"), Some(Encoding::Utf16Le));
    /// assert_eq!(Encoding::from_name("binary"), Some(Encoding::Latin1));
    /// assert_eq!(Encoding::from_name("buffer"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Encoding> {
        Some(match name.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Encoding::Utf8,
            "hex" => Encoding::Hex,
            "base64" => Encoding::Base64,
            "base64url" => Encoding::Base64Url,
            "latin1" | "binary" => Encoding::Latin1,
            "ascii" => Encoding::Ascii,
            "utf16le" | "utf-16le" | "ucs2" | "ucs-2" => Encoding::Utf16Le,
            _ => return None,
        })
    }

    /// Node's canonical name of the encoding.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf8",
            Encoding::Hex => "hex",
            Encoding::Base64 => "base64",
            Encoding::Base64Url => "base64url",
            Encoding::Latin1 => "latin1",
            Encoding::Ascii => "ascii",
            Encoding::Utf16Le => "utf16le",
        }
    }

    /// `Buffer.from(s, encoding)`: the bytes a string stands for.
    ///
    /// ```
    /// use nodestd_crypto::Encoding;
    /// assert_eq!(Encoding::Hex.decode("616zz2"), b"a");
    /// assert_eq!(Encoding::Base64.decode("YW Jj=ZA"), b"abc");
    /// assert_eq!(Encoding::Latin1.decode("é"), [0xe9]);
    /// ```
    #[doc(alias = "from")]
    pub fn decode(self, s: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => s.as_bytes().to_vec(),
            Encoding::Hex => decode_hex(s),
            Encoding::Base64 | Encoding::Base64Url => decode_base64(s),
            Encoding::Latin1 | Encoding::Ascii => s.encode_utf16().map(|u| u as u8).collect(),
            Encoding::Utf16Le => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        }
    }

    /// `buffer.toString(encoding)` as UTF-16 code units: exactly the JavaScript string, lone
    /// surrogates (from `utf16le`) included.
    #[doc(alias = "toString")]
    pub fn encode_utf16(self, bytes: &[u8]) -> Vec<u16> {
        match self {
            Encoding::Utf16Le => bytes
                .chunks_exact(2)
                .map(|p| u16::from_le_bytes([p[0], p[1]]))
                .collect(),
            _ => self.encode(bytes).encode_utf16().collect(),
        }
    }

    /// `buffer.toString(encoding)`. Invalid UTF-8 becomes U+FFFD as in Node; for `utf16le`,
    /// a lone surrogate (which a Rust string cannot hold) also becomes U+FFFD (see
    /// [`Encoding::encode_utf16`] for the exact code units).
    ///
    /// ```
    /// use nodestd_crypto::Encoding;
    /// assert_eq!(Encoding::Hex.encode(&[0xde, 0xad]), "dead");
    /// assert_eq!(Encoding::Base64Url.encode(&[0xfb, 0xff]), "-_8");
    /// assert_eq!(Encoding::Ascii.encode(&[0xe9]), "i");
    /// ```
    #[doc(alias = "toString")]
    pub fn encode(self, bytes: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Encoding::Hex => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                let mut s = String::with_capacity(bytes.len() * 2);
                for &b in bytes {
                    s.push(DIGITS[usize::from(b >> 4)] as char);
                    s.push(DIGITS[usize::from(b & 15)] as char);
                }
                s
            }
            Encoding::Base64 => STANDARD.encode(bytes),
            Encoding::Base64Url => URL_SAFE_NO_PAD.encode(bytes),
            Encoding::Latin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            Encoding::Ascii => bytes.iter().map(|&b| char::from(b & 0x7f)).collect(),
            Encoding::Utf16Le => String::from_utf16_lossy(&self.encode_utf16(bytes)),
        }
    }

    /// The length check Node's `validateEncoding` makes on strings given to `update`: `hex`
    /// needs an even number of UTF-16 code units.
    pub(crate) fn validate(self, s: &str) -> Result<(), crate::Error> {
        if self == Encoding::Hex {
            let len = s.encode_utf16().count();
            if len % 2 != 0 {
                return Err(crate::Error::new(
                    crate::ErrorKind::InvalidArgValue,
                    format!(
                        "The argument 'encoding' is invalid for data of length {len}. Received 'hex'"
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn hex_value(c: u16) -> Option<u8> {
    match c {
        0x30..=0x39 => Some((c - 0x30) as u8),
        0x41..=0x46 => Some((c - 0x41 + 10) as u8),
        0x61..=0x66 => Some((c - 0x61 + 10) as u8),
        _ => None,
    }
}

/// Node's hex decoder: pairs of digits until the first pair that is not one; a trailing odd
/// digit is dropped.
fn decode_hex(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = Vec::with_capacity(units.len() / 2);
    for pair in units.chunks_exact(2) {
        match (hex_value(pair[0]), hex_value(pair[1])) {
            (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
            _ => break,
        }
    }
    out
}

fn base64_value(c: u16) -> Option<u8> {
    match c {
        0x41..=0x5a => Some((c - 0x41) as u8),
        0x61..=0x7a => Some((c - 0x61 + 26) as u8),
        0x30..=0x39 => Some((c - 0x30 + 52) as u8),
        0x2b | 0x2d => Some(62),
        0x2f | 0x5f => Some(63),
        _ => None,
    }
}

/// Node's forgiving base64 decoder (both alphabets): characters outside them are skipped,
/// the first `=` ends the input, and a final lone character is dropped.
fn decode_base64(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut n) = (0u32, 0u32);
    for c in s.encode_utf16() {
        if c == u16::from(b'=') {
            break;
        }
        let Some(v) = base64_value(c) else { continue };
        acc = acc << 6 | u32::from(v);
        n += 1;
        if n == 4 {
            out.extend_from_slice(&acc.to_be_bytes()[1..]);
            acc = 0;
            n = 0;
        }
    }
    match n {
        2 => out.push((acc >> 4) as u8),
        3 => out.extend_from_slice(&((acc >> 2) as u16).to_be_bytes()),
        _ => {}
    }
    out
}
