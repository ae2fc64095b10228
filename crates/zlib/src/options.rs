//! The options of Node's zlib classes, and their validation in Node's order with Node's
//! messages.

use crate::constants::*;
use crate::error::{Error, ErrorKind, js_received};

/// Which engine a [`Zlib`](crate::Zlib) runs: Node's `node_zlib_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// zlib format compressor (`Deflate`, `deflateSync`).
    Deflate,
    /// zlib format decompressor (`Inflate`, `inflateSync`).
    Inflate,
    /// gzip compressor (`Gzip`, `gzipSync`).
    Gzip,
    /// gzip decompressor (`Gunzip`, `gunzipSync`); decodes every member.
    Gunzip,
    /// raw deflate compressor (`DeflateRaw`, `deflateRawSync`).
    DeflateRaw,
    /// raw deflate decompressor (`InflateRaw`, `inflateRawSync`).
    InflateRaw,
    /// gzip or zlib decompressor, chosen by the first two bytes (`Unzip`, `unzipSync`).
    Unzip,
    /// brotli decompressor (`BrotliDecompress`, `brotliDecompressSync`).
    BrotliDecode,
    /// brotli compressor (`BrotliCompress`, `brotliCompressSync`).
    BrotliEncode,
}

impl Mode {
    /// Whether this is one of the two brotli modes.
    pub fn is_brotli(self) -> bool {
        matches!(self, Mode::BrotliDecode | Mode::BrotliEncode)
    }

    /// Whether this mode compresses.
    pub fn is_compressor(self) -> bool {
        matches!(
            self,
            Mode::Deflate | Mode::Gzip | Mode::DeflateRaw | Mode::BrotliEncode
        )
    }

    /// The flush value Node uses for ordinary writes (`Z_NO_FLUSH` or
    /// `BROTLI_OPERATION_PROCESS`).
    pub fn default_flush(self) -> i32 {
        if self.is_brotli() {
            BROTLI_OPERATION_PROCESS
        } else {
            Z_NO_FLUSH
        }
    }

    /// The flush value Node uses for the last write (`Z_FINISH` or `BROTLI_OPERATION_FINISH`).
    pub fn default_finish_flush(self) -> i32 {
        if self.is_brotli() {
            BROTLI_OPERATION_FINISH
        } else {
            Z_FINISH
        }
    }

    /// The flush value of `flush()` without an argument (`Z_FULL_FLUSH` or
    /// `BROTLI_OPERATION_FLUSH`).
    pub fn default_full_flush(self) -> i32 {
        if self.is_brotli() {
            BROTLI_OPERATION_FLUSH
        } else {
            Z_FULL_FLUSH
        }
    }

    fn max_flush(self) -> i32 {
        if self.is_brotli() {
            BROTLI_OPERATION_EMIT_METADATA
        } else {
            Z_BLOCK
        }
    }
}

/// The options object of Node's zlib classes and convenience methods.
///
/// `None` means "not given" (Node's default). Numbers are Rust integers: Node also accepts
/// fractional numbers, which its C++ layer truncates, and `NaN`, which means the default.
///
/// ```
/// use nodestd_zlib::{Options, gzip_sync, gunzip_sync};
/// let opts = Options { level: Some(9), ..Options::default() };
/// let packed = gzip_sync(b"hello hello hello", &opts).unwrap();
/// assert_eq!(gunzip_sync(&packed, &Options::default()).unwrap(), b"hello hello hello");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `flush`: the flush value of ordinary stream writes.
    pub flush: Option<i32>,
    /// `finishFlush`: the flush value of the last write (and of the `*_sync` calls). With
    /// `Z_SYNC_FLUSH`, truncated input decompresses as far as it goes without an error.
    pub finish_flush: Option<i32>,
    /// `chunkSize`: the size of each output buffer (at least 64; default 16 KiB).
    pub chunk_size: Option<usize>,
    /// `windowBits` (zlib modes): 8..=15; 0 on the inflate side means "from the header".
    pub window_bits: Option<i32>,
    /// `level` (zlib modes): -1..=9.
    pub level: Option<i32>,
    /// `memLevel` (zlib modes): 1..=9.
    pub mem_level: Option<i32>,
    /// `strategy` (zlib modes): 0..=4 (`Z_DEFAULT_STRATEGY` … `Z_FIXED`).
    pub strategy: Option<i32>,
    /// `dictionary` (zlib modes). Node ignores it for gzip and gunzip.
    pub dictionary: Option<Vec<u8>>,
    /// `maxOutputLength`: 1..=2^32; more output is `ERR_BUFFER_TOO_LARGE`.
    pub max_output_length: Option<u64>,
    /// `params` (brotli modes): `(BROTLI_PARAM_* key, value)` pairs, values as Node's
    /// `Uint32Array` holds them (`u32::MAX`, that is `-1`, means "not set").
    pub params: Vec<(u32, u32)>,
}

/// The options after validation: every default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub flush: i32,
    pub finish_flush: i32,
    pub chunk_size: usize,
    pub window_bits: i32,
    pub level: i32,
    pub mem_level: i32,
    pub strategy: i32,
    pub dictionary: Option<Vec<u8>>,
    pub max_output_length: u64,
    /// Brotli parameters by key, `None` where unset.
    pub params: [Option<u32>; K_MAX_BROTLI_PARAM as usize + 1],
}

fn check_range(name: &str, value: Option<i64>, lo: i64, hi: i64, def: i64) -> Result<i64, Error> {
    match value {
        None => Ok(def),
        Some(v) if v < lo || v > hi => Err(Error::out_of_range(
            name,
            &format!(">= {lo} and <= {hi}"),
            &js_received(v as f64),
        )),
        Some(v) => Ok(v),
    }
}

impl Options {
    /// Checks the options for `mode` as Node's constructors do, in Node's order, without
    /// building an engine.
    ///
    /// # Errors
    /// `ERR_OUT_OF_RANGE` for a value outside Node's bounds (`windowBits` 8..=15, 9..=15 for
    /// gzip; `level` -1..=9; `memLevel` 1..=9; `strategy` 0..=4; `chunkSize` >= 64; `flush`
    /// and `finishFlush` 0..=5, 0..=3 for brotli; `maxOutputLength` 1..=2^32);
    /// `ERR_BROTLI_INVALID_PARAM` for a brotli key above 8 or given twice.
    pub fn validate(&self, mode: Mode) -> Result<(), Error> {
        self.resolve(mode).map(|_| ())
    }

    pub(crate) fn resolve(&self, mode: Mode) -> Result<Resolved, Error> {
        let mut window_bits = Z_DEFAULT_WINDOWBITS;
        let mut level = Z_DEFAULT_COMPRESSION;
        let mut mem_level = Z_DEFAULT_MEMLEVEL;
        let mut strategy = Z_DEFAULT_STRATEGY;
        let mut dictionary = None;
        let mut params = [None; K_MAX_BROTLI_PARAM as usize + 1];
        if mode.is_brotli() {
            for &(key, value) in &self.params {
                if key > K_MAX_BROTLI_PARAM || params[key as usize].is_some() {
                    return Err(Error::new(
                        ErrorKind::BrotliInvalidParam,
                        format!("{key} is not a valid Brotli parameter"),
                    ));
                }
                params[key as usize] = Some(value);
            }
        } else {
            let inflating = matches!(mode, Mode::Inflate | Mode::Gunzip | Mode::Unzip);
            let mut given = self.window_bits;
            if mode == Mode::DeflateRaw && given == Some(8) {
                // DeflateRaw(): `if (opts && opts.windowBits === 8) opts.windowBits = 9;`
                given = Some(9);
            }
            window_bits = if inflating && matches!(given, None | Some(0)) {
                0
            } else {
                let min = Z_MIN_WINDOWBITS + i32::from(mode == Mode::Gzip);
                check_range(
                    "options.windowBits",
                    given.map(i64::from),
                    min.into(),
                    Z_MAX_WINDOWBITS.into(),
                    Z_DEFAULT_WINDOWBITS.into(),
                )? as i32
            };
            level = check_range(
                "options.level",
                self.level.map(i64::from),
                Z_MIN_LEVEL.into(),
                Z_MAX_LEVEL.into(),
                Z_DEFAULT_COMPRESSION.into(),
            )? as i32;
            mem_level = check_range(
                "options.memLevel",
                self.mem_level.map(i64::from),
                Z_MIN_MEMLEVEL.into(),
                Z_MAX_MEMLEVEL.into(),
                Z_DEFAULT_MEMLEVEL.into(),
            )? as i32;
            strategy = check_range(
                "options.strategy",
                self.strategy.map(i64::from),
                Z_DEFAULT_STRATEGY.into(),
                Z_FIXED.into(),
                Z_DEFAULT_STRATEGY.into(),
            )? as i32;
            dictionary = self.dictionary.clone();
        }
        let chunk_size = match self.chunk_size {
            None => Z_DEFAULT_CHUNK,
            Some(c) if c < Z_MIN_CHUNK => {
                return Err(Error::out_of_range(
                    "options.chunkSize",
                    &format!(">= {Z_MIN_CHUNK}"),
                    &js_received(c as f64),
                ));
            }
            Some(c) => c,
        };
        let flush = check_range(
            "options.flush",
            self.flush.map(i64::from),
            0,
            mode.max_flush().into(),
            mode.default_flush().into(),
        )? as i32;
        let finish_flush = check_range(
            "options.finishFlush",
            self.finish_flush.map(i64::from),
            0,
            mode.max_flush().into(),
            mode.default_finish_flush().into(),
        )? as i32;
        let max_output_length = match self.max_output_length {
            None => K_MAX_LENGTH,
            Some(m) if m == 0 || m > K_MAX_LENGTH => {
                return Err(Error::out_of_range(
                    "options.maxOutputLength",
                    &format!(">= 1 and <= {K_MAX_LENGTH}"),
                    &js_received(m as f64),
                ));
            }
            Some(m) => m,
        };
        Ok(Resolved {
            flush,
            finish_flush,
            chunk_size,
            window_bits,
            level,
            mem_level,
            strategy,
            dictionary,
            max_output_length,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_node() {
        let o = Options {
            level: Some(10),
            ..Options::default()
        };
        let e = o.validate(Mode::Gzip).unwrap_err();
        assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
        assert_eq!(
            e.message(),
            "The value of \"options.level\" is out of range. It must be >= -1 and <= 9. Received 10"
        );
        let o = Options {
            window_bits: Some(8),
            ..Options::default()
        };
        assert_eq!(
            o.validate(Mode::Gzip).unwrap_err().message(),
            "The value of \"options.windowBits\" is out of range. It must be >= 9 and <= 15. Received 8"
        );
        assert!(o.validate(Mode::DeflateRaw).is_ok());
        let o = Options {
            max_output_length: Some(1 << 33),
            ..Options::default()
        };
        assert_eq!(
            o.validate(Mode::Inflate).unwrap_err().message(),
            "The value of \"options.maxOutputLength\" is out of range. It must be >= 1 and <= 4294967296. Received 8_589_934_592"
        );
        let o = Options {
            params: vec![(99, 1)],
            ..Options::default()
        };
        assert_eq!(
            o.validate(Mode::BrotliEncode).unwrap_err().message(),
            "99 is not a valid Brotli parameter"
        );
    }

    #[test]
    fn inflate_window_bits_zero_means_header() {
        let o = Options {
            window_bits: Some(0),
            ..Options::default()
        };
        assert_eq!(o.resolve(Mode::Gunzip).unwrap().window_bits, 0);
        assert_eq!(
            o.validate(Mode::InflateRaw).unwrap_err().code(),
            "ERR_OUT_OF_RANGE"
        );
    }
}
