//! Node's Buffer encodings for the `encoding` options (`utf8`, `latin1`, `base64`, `hex` …).

use base64::Engine;

use crate::errors::{Error, Result, received_str};

/// A Node Buffer encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// `utf8` / `utf-8` (invalid sequences decode to U+FFFD).
    Utf8,
    /// `latin1` / `binary`.
    Latin1,
    /// `ascii` (decodes the low 7 bits).
    Ascii,
    /// `base64`.
    Base64,
    /// `base64url`.
    Base64Url,
    /// `hex`.
    Hex,
    /// `utf16le` / `ucs2`.
    Utf16Le,
}

impl Encoding {
    /// Node's `normalizeEncoding` (case-insensitive).
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE`: `The argument 'encoding' is invalid encoding. Received 'x'`.
    pub fn parse(s: &str) -> Result<Encoding> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "utf8" | "utf-8" => Encoding::Utf8,
            "latin1" | "binary" => Encoding::Latin1,
            "ascii" => Encoding::Ascii,
            "base64" => Encoding::Base64,
            "base64url" => Encoding::Base64Url,
            "hex" => Encoding::Hex,
            "utf16le" | "utf-16le" | "ucs2" | "ucs-2" => Encoding::Utf16Le,
            _ => {
                return Err(Error::invalid_arg_value(
                    "encoding",
                    "is invalid encoding",
                    &received_str(s),
                ));
            }
        })
    }

    /// `buffer.toString(encoding)`.
    #[doc(alias = "toString")]
    pub fn decode(self, b: &[u8]) -> String {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(b).into_owned(),
            Encoding::Latin1 => b.iter().map(|&c| char::from(c)).collect(),
            Encoding::Ascii => b.iter().map(|&c| char::from(c & 0x7f)).collect(),
            Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(b),
            Encoding::Base64Url => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b),
            Encoding::Hex => b.iter().map(|c| format!("{c:02x}")).collect(),
            Encoding::Utf16Le => {
                let u: Vec<u16> = b
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&u)
            }
        }
    }

    /// `Buffer.from(string, encoding)`.
    #[doc(alias = "from")]
    pub fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => s.as_bytes().to_vec(),
            Encoding::Latin1 | Encoding::Ascii => s.encode_utf16().map(|u| u as u8).collect(),
            Encoding::Base64 | Encoding::Base64Url => {
                let clean: String = s
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '=')
                    .map(|c| match c {
                        '-' => '+',
                        '_' => '/',
                        c => c,
                    })
                    .collect();
                base64::engine::general_purpose::STANDARD_NO_PAD
                    .decode(clean.as_bytes())
                    .unwrap_or_default()
            }
            Encoding::Hex => {
                let b = s.as_bytes();
                let mut out = Vec::new();
                for pair in b.chunks_exact(2) {
                    let h = |c: u8| (c as char).to_digit(16);
                    match (h(pair[0]), h(pair[1])) {
                        (Some(a), Some(b)) => out.push((a * 16 + b) as u8),
                        _ => break,
                    }
                }
                out
            }
            Encoding::Utf16Le => s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect(),
        }
    }
}
