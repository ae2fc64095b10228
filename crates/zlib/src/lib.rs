//! Node.js's [`zlib`](https://nodejs.org/docs/latest-v20.x/api/zlib.html) module for Rust,
//! with Node v20's semantics: the convenience methods in their sync, callback and promise
//! forms, the Transform streams, and the engine under them.
//!
//! - One-shot calls: [`gzip_sync`], [`gunzip_sync`], [`deflate_sync`], [`inflate_sync`],
//!   [`deflate_raw_sync`], [`inflate_raw_sync`], [`unzip_sync`], [`brotli_compress_sync`],
//!   [`brotli_decompress_sync`] (Node's `zlib.<name>Sync(buffer, options)`), [`sync`] for a
//!   [`Mode`] chosen at run time, [`sync_with_info`] for Node's `info: true`, and [`crc32`].
//! - [`Options`]: Node's options object (`level`, `windowBits`, `memLevel`, `strategy`,
//!   `chunkSize`, `dictionary`, `maxOutputLength`, `flush`, `finishFlush`, brotli `params`),
//!   validated in Node's order with Node's messages.
//! - [`Zlib`]: the streaming core, Node's native handle: [`Zlib::write`] is one
//!   `writeSync(flush, in, out)` call, [`Zlib::params`] and [`Zlib::reset`] are Node's
//!   `params()` and `reset()`, and [`Zlib::process_sync`] is Node's `processChunkSync`, the
//!   chunked loop behind every `*Sync` method.
//! - Callback forms ([`callback`]: `zlib.gzip(buffer, options, callback)` …) and promise
//!   forms ([`promises`]: `util.promisify(zlib.gzip)` …), rows of one table expanded twice
//!   on the loop's [`nodestd_loop::work`]: the options are checked at the call (Node throws
//!   those errors; the promise form's future is settled with them, a rejected promise), the
//!   work is queued on the event loop's worker pool at the call (in both forms, as in Node)
//!   and the callback runs, or the promise resolves, on the loop thread in the poll phase.
//! - Transform streams: [`create_gzip`], [`create_gunzip`], [`create_deflate`],
//!   [`create_inflate`], [`create_deflate_raw`], [`create_inflate_raw`], [`create_unzip`],
//!   [`create_brotli_compress`], [`create_brotli_decompress`] (and [`create`]) give a
//!   [`ZlibStream`]: a `nodestd_stream::Transform` of byte chunks (each write compressed on
//!   the worker pool, the output of each engine call pushed as Node pushes it: `chunkSize`
//!   buffers whose unused part carries over to the next write; no `maxOutputLength` check,
//!   as in Node's streams) with Node's `flush(kind, cb)`, `params(level, strategy, cb)`,
//!   `close(cb)` and `bytesWritten`.
//! - Untrusted input: see [Decompressing untrusted input](#decompressing-untrusted-input).
//! - [`Error`]: Node's `code` (`Z_DATA_ERROR`, `Z_BUF_ERROR`, `Z_NEED_DICT`,
//!   `ERR_BUFFER_TOO_LARGE`, `ERR_OUT_OF_RANGE`, `ERR_BROTLI_INVALID_PARAM`,
//!   `ERR__ERROR_FORMAT_PADDING_1` …), `errno` and message ("incorrect header check",
//!   "unexpected end of file", "Decompression failed" …). Corrupt input is an error, never a
//!   panic.
//!
//! ```
//! use nodestd_zlib::{Options, deflate_sync, inflate_sync};
//! let packed = deflate_sync(b"hello world", &Options::default()).unwrap();
//! assert_eq!(inflate_sync(&packed, &Options::default()).unwrap(), b"hello world");
//! let err = inflate_sync(b"not compressed", &Options::default()).unwrap_err();
//! assert_eq!((err.code(), err.message()), ("Z_DATA_ERROR", "incorrect header check"));
//! ```
//!
//! The deflate formats run on [zlib-rs](https://docs.rs/zlib-rs) (the engine flate2 uses with
//! its `zlib-rs` feature; called directly because flate2 cannot set `memLevel` or `strategy`),
//! brotli compression on Google's C encoder (1.2.0, compiled from source by `compu-brotli-sys`; its
//! calls are the one audited `unsafe` module, `brotli_c.rs`, chosen by measurement: 1.6x the
//! pure-Rust `brotli` crate at qualities 1 and 4) and decompression on the
//! `brotli-decompressor` crate (faster than C's here). zlib-rs always keeps 32 KiB of history; where zlib's window is smaller
//! (`windowBits` under 15, or a zlib header asking for less when `windowBits` is 0), a walk of
//! the deflate stream beside it finds the matches zlib rejects as "invalid distance too far
//! back", which depends on the output room of each call (`chunkSize`), so such decompressors
//! are called with Node's chunk-sized output buffers.
//!
//! # Decompressing untrusted input
//!
//! Set `maxOutputLength` ([`Options::max_output_length`]) when decompressing input you do
//! not trust. Without it the cap is Node's default, `buffer.constants.MAX_LENGTH`: 4 GiB
//! (4,294,967,296 bytes), and small inputs reach it. Measured with node v20: 4 GiB and one
//! byte of zeros gzip (level 9) into 4,174,525 bytes, a 4.2 MB input that inflates past the
//! cap (the deflate formats expand at most about 1030 times), and brotli packs the same
//! zeros into 6,725 bytes. The one-shot calls (`*_sync`, the callback and promise forms)
//! hold the whole output in memory until it is returned, so such an input costs 4 GiB of
//! memory before the call fails with `ERR_BUFFER_TOO_LARGE`. With the option, the call
//! stops once the output passes the cap, having allocated at most one `chunkSize` more:
//!
//! ```
//! use nodestd_zlib::{Options, gunzip_sync, gzip_sync};
//! // 16 MiB of zeros pack into about 16 KB (16,328 bytes with node's gzipSync).
//! let level9 = Options { level: Some(9), ..Options::default() };
//! let bomb = gzip_sync(&vec![0; 16 << 20], &level9).unwrap();
//! assert!(bomb.len() < 17_000);
//! let capped = Options { max_output_length: Some(1 << 20), ..Options::default() };
//! let err = gunzip_sync(&bomb, &capped).unwrap_err();
//! assert_eq!(
//!     (err.code(), err.message()),
//!     ("ERR_BUFFER_TOO_LARGE", "Cannot create a Buffer larger than 1048576 bytes"),
//! );
//! ```
//!
//! The streams ([`create_gunzip`] …) do not check `maxOutputLength`, as in Node: a caller
//! piping untrusted input counts the bytes of the `data` chunks and destroys the stream past
//! its limit.
//!
//! # Platforms
//!
//! Linux is what is tested; nothing in the crate is specific to it beyond the nodestd loop
//! its callback, promise and stream forms run on. Building needs a C compiler: `compu-brotli-sys`
//! compiles Google's brotli encoder with the `cc` crate.
//!
//! # Deviations from Node
//!
//! - Compressed bytes can differ from Node's (Node links Chromium's zlib and Google's C
//!   brotli). They are valid streams that Node decompresses to the same input; headers are
//!   zlib's (gzip OS byte 3, zlib level flags). Decompressed output and errors are Node's.
//! - Option values are Rust integers. Node also takes fractional numbers (its C++ truncates
//!   them) and `NaN` (the default); a caller holding JavaScript numbers converts first.
//!   Argument type errors (`ERR_INVALID_ARG_TYPE` for a string `level`, a non-buffer input)
//!   cannot happen with Rust types.
//! - `info: true` is [`sync_with_info`], which returns the output with the engine's
//!   `bytesWritten`, instead of an option that changes the return type.
//! - [`Zlib::params`] on deflate/deflateRaw finishes the current deflate block (Node has
//!   always sync-flushed before) and continues with a new compressor primed with the last
//!   32 KiB of input; zlib's `deflateParams` keeps one compressor. The stream is equally
//!   valid. As in Node, `params` does nothing in gzip and decompressing modes.
//! - [`ZlibStream::flush`] marks the empty chunk it writes; an empty chunk written by the
//!   caller while a flush is queued behind it takes that flush's flag (Node tells its flush
//!   buffers apart by identity). [`ZlibStream::close`]'s callback runs on `close` without
//!   an error argument (Node passes `finished`'s premature-close error when the stream had
//!   not ended). A worker-pool task that ends without a result gives
//!   `ERR_NODESTD_WORKER_FAILED` ([`ErrorKind::WorkerFailed`]), which Node does not have.
//! - The callback and promise forms run each call as one worker-pool job; Node runs the
//!   engine through a stream, one job per `chunkSize` of output and one more for the final
//!   flush (an input found corrupt in the first job takes just that one). With several calls
//!   in flight the order of their completions can differ from Node's: with one worker
//!   thread, a corrupt input called after a good one completes first in Node, in call order
//!   here. For calls that succeed with output within one chunk the order is Node's
//!   (`tests/zlib_order.rs`).
//! - Brotli: the encoder is C brotli 1.2.0 where Node has 1.1.0: output is Node's byte for
//!   byte at every quality on the bench corpus and on `tests/zlib_brotli_output.rs`'s text
//!   (a newer encoder could differ elsewhere; both decode to the input everywhere); only
//!   Node's parameter keys (0 to 8) reach the encoder, though 1.2.0 knows more. Decoder
//!   error codes come from the Rust port of the C
//!   decoder and match C brotli's, except that a few corrupt streams whose command overshoots
//!   the meta-block length report `ERR__ERROR_FORMAT_BLOCK_LENGTH_1` where Node reports
//!   `…_BLOCK_LENGTH_2` (the Rust decoder meets the overshoot while flushing its ring buffer).
//! - zlib-rs names corrupt-data errors found in its fast loop "repeated call with bad state";
//!   this crate replays the stream's input through the slow loop to recover zlib's message
//!   ("invalid distance code" …). The one-shot calls (`*_sync`, callback and promise forms)
//!   replay from the caller's buffer; the engine's own writes ([`Zlib::write`],
//!   [`Zlib::process_sync`], the streams) keep a copy of up to 8 MiB of input per stream,
//!   and past that decode in small output windows, which is slower but names errors right.

#![deny(unsafe_code)]
#![warn(missing_docs)]

mod brotli;
mod brotli_c;
pub mod callback;
pub mod constants;
mod deflate;
mod error;
mod forms;
mod inflate;
mod options;
pub mod promises;
mod stream;
mod window;

pub use error::{BrotliDecoderError, Error, ErrorKind};
pub use options::{Mode, Options};
pub use stream::{
    ZlibStream, create, create_brotli_compress, create_brotli_decompress, create_deflate,
    create_deflate_raw, create_gunzip, create_gzip, create_inflate, create_inflate_raw,
    create_unzip,
};

use constants::*;
use options::Resolved;

/// How much one [`Zlib::write`] call read and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of input consumed.
    pub consumed: usize,
    /// Bytes of output written.
    pub produced: usize,
}

/// Whether the engine reached the end of its stream in a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    More,
    End,
}

enum Engine {
    Deflate(Box<deflate::Deflater>),
    Inflate(Box<inflate::Inflater>),
    BrotliEncode(brotli::Encoder),
    BrotliDecode(brotli::Decoder),
}

/// Node's native zlib handle: one compression or decompression stream.
///
/// ```
/// use nodestd_zlib::{Mode, Options, Zlib, constants::*};
/// let mut z = Zlib::new(Mode::Gzip, &Options::default()).unwrap();
/// let mut out = Vec::new();
/// out.extend(z.process_sync(b"hello ", Z_NO_FLUSH).unwrap());
/// out.extend(z.process_sync(b"world", Z_FINISH).unwrap());
/// let back = nodestd_zlib::gunzip_sync(&out, &Options::default()).unwrap();
/// assert_eq!(back, b"hello world");
/// ```
pub struct Zlib {
    mode: Mode,
    opts: Resolved,
    engine: Engine,
    error: Option<Error>,
    bytes_written: u64,
    /// Bytes of the current output buffer of a stream that earlier calls filled (Node's
    /// `_outOffset`, see [`Zlib::process_stream`]).
    out_offset: usize,
    level: i32,
    strategy: i32,
}

impl std::fmt::Debug for Zlib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zlib")
            .field("mode", &self.mode)
            .field("bytes_written", &self.bytes_written)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

fn make_engine(mode: Mode, o: &Resolved) -> Result<Engine, Error> {
    Ok(match mode {
        Mode::Deflate | Mode::Gzip | Mode::DeflateRaw => {
            let wrap = match mode {
                Mode::Deflate => deflate::Wrap::Zlib,
                Mode::Gzip => deflate::Wrap::Gzip,
                _ => deflate::Wrap::Raw,
            };
            Engine::Deflate(Box::new(deflate::Deflater::new(
                wrap,
                o.level,
                o.window_bits,
                o.mem_level,
                o.strategy,
                o.dictionary.clone(),
            )))
        }
        Mode::Inflate | Mode::Gunzip | Mode::InflateRaw | Mode::Unzip => Engine::Inflate(Box::new(
            inflate::Inflater::new(mode, o.window_bits, o.dictionary.clone()),
        )),
        Mode::BrotliEncode => Engine::BrotliEncode(brotli::Encoder::new(&o.params)?),
        Mode::BrotliDecode => Engine::BrotliDecode(brotli::Decoder::new(&o.params)?),
    })
}

impl Zlib {
    /// Node's `new Gzip(options)` (and the other classes, by `mode`).
    ///
    /// # Errors
    /// The option errors of [`Options::validate`]; `ERR_ZLIB_INITIALIZATION_FAILED` for a
    /// brotli decoder parameter other than 0 and 1.
    pub fn new(mode: Mode, options: &Options) -> Result<Zlib, Error> {
        if mode.is_brotli() {
            // Node checks the params, initializes the engine, then checks the rest.
            let mut params_only = Options {
                params: options.params.clone(),
                ..Options::default()
            };
            let o = params_only.resolve(mode)?;
            let engine = make_engine(mode, &o)?;
            params_only = options.clone();
            let o = params_only.resolve(mode)?;
            return Ok(Zlib {
                mode,
                level: o.level,
                strategy: o.strategy,
                opts: o,
                engine,
                error: None,
                bytes_written: 0,
                out_offset: 0,
            });
        }
        let o = options.resolve(mode)?;
        let engine = make_engine(mode, &o)?;
        Ok(Zlib {
            mode,
            level: o.level,
            strategy: o.strategy,
            opts: o,
            engine,
            error: None,
            bytes_written: 0,
            out_offset: 0,
        })
    }

    /// The mode this engine runs.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The output buffer size (`chunkSize`).
    pub fn chunk_size(&self) -> usize {
        self.opts.chunk_size
    }

    /// The flush value of ordinary writes (`flush` option).
    pub fn flush_flag(&self) -> i32 {
        self.opts.flush
    }

    /// The flush value of the last write (`finishFlush` option).
    pub fn finish_flush_flag(&self) -> i32 {
        self.opts.finish_flush
    }

    /// `maxOutputLength`.
    pub fn max_output_length(&self) -> u64 {
        self.opts.max_output_length
    }

    /// Node's `bytesWritten`: input bytes consumed by [`Zlib::process_sync`] calls.
    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// The error that stopped this engine, if any (Node destroys the stream on it).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// One call into the engine (Node's `handle.writeSync`): consumes what it can of `input`
    /// and writes into `output`, with `flush` one of `Z_NO_FLUSH` … `Z_BLOCK` (zlib modes) or
    /// `BROTLI_OPERATION_*` (brotli). When `output` is left with room, the engine wants more
    /// input; when it is full, call again with the unconsumed input.
    ///
    /// # Errors
    /// `Z_DATA_ERROR` and the other zlib codes, brotli's `ERR__ERROR_FORMAT_*`, and
    /// `Z_BUF_ERROR` "unexpected end of file" when a finishing write ends short of the end of
    /// the stream; `ERR_OUT_OF_RANGE` for a flush value outside the mode's range. After an
    /// error every call returns it again.
    pub fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<Progress, Error> {
        self.write_at(flush, input, 0, output)
    }

    /// [`Zlib::write`] of `input[at..]`, where `input[..at]` went in by earlier writes (the
    /// decompressors of one-shot calls read it again to name a corrupt-data error).
    fn write_at(
        &mut self,
        flush: i32,
        input: &[u8],
        at: usize,
        output: &mut [u8],
    ) -> Result<Progress, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let max_flush = if self.mode.is_brotli() {
            BROTLI_OPERATION_EMIT_METADATA
        } else {
            Z_BLOCK
        };
        if !(0..=max_flush).contains(&flush) {
            return Err(Error::out_of_range(
                "flush",
                &format!(">= 0 and <= {max_flush}"),
                &flush.to_string(),
            ));
        }
        let r = match &mut self.engine {
            Engine::Deflate(d) => d.write(flush, &input[at..], output),
            Engine::Inflate(i) => i.write(flush, input, at, output),
            Engine::BrotliEncode(e) => e.write(flush, &input[at..], output),
            Engine::BrotliDecode(d) => d.write(flush, &input[at..], output),
        };
        let r = r.and_then(|(progress, outcome)| {
            // Node's ZlibContext::GetErrorInfo: a finishing call that stops with room left in
            // the output, short of the stream's end, hit the end of the input.
            if !self.mode.is_brotli()
                && outcome == Outcome::More
                && progress.produced < output.len()
                && flush == Z_FINISH
            {
                Err(Error::new(ErrorKind::BufError, "unexpected end of file"))
            } else {
                Ok(progress)
            }
        });
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    /// Node's `params(level, strategy)`: new compression settings for later input. Node
    /// sync-flushes before; bytes of an unflushed block come out of the next write.
    ///
    /// # Errors
    /// `ERR_OUT_OF_RANGE` for a level outside -1..=9 or a strategy outside 0..=4.
    pub fn params(&mut self, level: i32, strategy: i32) -> Result<(), Error> {
        if !(Z_MIN_LEVEL..=Z_MAX_LEVEL).contains(&level) {
            return Err(Error::out_of_range(
                "level",
                ">= -1 and <= 9",
                &level.to_string(),
            ));
        }
        if !(Z_DEFAULT_STRATEGY..=Z_FIXED).contains(&strategy) {
            return Err(Error::out_of_range(
                "strategy",
                ">= 0 and <= 4",
                &strategy.to_string(),
            ));
        }
        if let (Engine::Deflate(d), Mode::Deflate | Mode::DeflateRaw) =
            (&mut self.engine, self.mode)
        {
            d.params(level, strategy)?;
        }
        self.level = level;
        self.strategy = strategy;
        Ok(())
    }

    /// Node's `reset()`: back to the start of a stream with the same options (brotli engines
    /// are created anew, and, as in Node, without their parameters).
    ///
    /// # Errors
    /// None in practice; the signature leaves room for the engine's own failures.
    pub fn reset(&mut self) -> Result<(), Error> {
        self.error = None;
        match &mut self.engine {
            Engine::Deflate(d) => d.reset(),
            Engine::Inflate(i) => i.reset(),
            Engine::BrotliEncode(e) => *e = brotli::Encoder::new(&Default::default())?,
            Engine::BrotliDecode(d) => *d = brotli::Decoder::new(&Default::default())?,
        }
        Ok(())
    }

    /// Node's `processChunkSync(chunk, flushFlag)`: runs `input` through the engine in
    /// `chunkSize` output buffers until the engine leaves room in one, and returns the output.
    /// (A decompressor is given several chunks at a time, in one window that doubles, as
    /// zlib-rs and brotli run faster with much room; the output, the errors and the
    /// `maxOutputLength` check, made at the same chunk boundaries, are the same. Not where
    /// zlib's window is under 32 KiB: there the room of each call decides which distances are
    /// too far back, and each call gets one chunk, as in Node.)
    ///
    /// # Errors
    /// The engine's errors (see [`Zlib::write`]), and `ERR_BUFFER_TOO_LARGE` once the output
    /// passes `maxOutputLength`.
    pub fn process_sync(&mut self, input: &[u8], flush: i32) -> Result<Vec<u8>, Error> {
        let chunk = self.opts.chunk_size;
        let max = self.opts.max_output_length;
        // Node's loop fills `chunkSize` buffers one after the other, stops at the first one
        // the engine leaves room in, and checks `maxOutputLength` after each. The output here
        // grows in whole chunks too, written in place: a compressor gets one chunk per call
        // (zlib's stored blocks follow the room it is given), a decompressor, whose output
        // does not depend on it, a window that doubles, as it is cheaper to call zlib-rs and
        // brotli with much room. No window reaches past `limit`, the end of the chunk where
        // Node finds the output too large, so an error after that point is never met first.
        // Where zlib's window is under 32 KiB the room does matter (a match may reach back
        // past the window plus what the call has written): one chunk per call there too.
        let limit = (max / chunk as u64 + 1).saturating_mul(chunk as u64);
        let grow = match &mut self.engine {
            Engine::Inflate(i) => !i.room_matters(input),
            Engine::BrotliDecode(_) => true,
            _ => false,
        };
        // Zero-filled by the allocator (fresh pages), so the first window costs no memset.
        let first = if grow {
            window_hint(self.mode, input, chunk, limit)
        } else {
            chunk
        };
        let mut out = vec![0u8; first];
        let mut len = 0;
        let mut offset = 0;
        loop {
            if len == out.len() {
                let window = if grow { len.max(chunk) } else { chunk };
                let room = usize::try_from(limit - len as u64).unwrap_or(usize::MAX);
                out.resize(len + window.min(room), 0);
            }
            let window = out.len() - len;
            let p = self.write_at(flush, input, offset, &mut out[len..])?;
            offset += p.consumed;
            self.bytes_written += p.consumed as u64;
            len += p.produced;
            if len as u64 > max {
                let e = Error::buffer_too_large(max);
                self.error = Some(e.clone());
                return Err(e);
            }
            if p.produced < window {
                out.truncate(len);
                out.shrink_to_fit();
                return Ok(out);
            }
        }
    }

    /// Node's `processCallback` loop for one write of a stream: each call gets the rest of the
    /// current `chunkSize` output buffer, whose filled part carries over to the next write
    /// (`_outOffset`); a new buffer starts when one is full. Returns the output of each call,
    /// the pieces Node pushes. Unlike [`Zlib::process_sync`], no `maxOutputLength` check (as
    /// in Node's streams).
    pub(crate) fn process_stream(
        &mut self,
        input: &[u8],
        flush: i32,
    ) -> Result<Vec<Vec<u8>>, Error> {
        let chunk = self.opts.chunk_size;
        let mut pieces = Vec::new();
        let mut offset = 0;
        loop {
            let room = chunk - self.out_offset;
            let mut out = vec![0u8; room];
            let p = self.write_at(flush, input, offset, &mut out)?;
            offset += p.consumed;
            self.bytes_written += p.consumed as u64;
            self.out_offset += p.produced;
            if p.produced > 0 {
                out.truncate(p.produced);
                pieces.push(out);
            }
            if p.produced == room || self.out_offset >= chunk {
                self.out_offset = 0;
            }
            if p.produced < room {
                return Ok(pieces);
            }
        }
    }

    /// [`Zlib::process_sync`] on a new engine with the whole input of a one-shot call, which
    /// the decompressors read again instead of keeping a copy.
    pub(crate) fn process_one_shot(&mut self, input: &[u8], flush: i32) -> Result<Vec<u8>, Error> {
        if let Engine::Inflate(i) = &mut self.engine {
            i.borrow_input();
        }
        self.process_sync(input, flush)
    }
}

/// The largest first output window of a decompressor (more output grows it by doubling).
const MAX_FIRST_WINDOW: usize = 256 << 20;

/// The first output window of a decompressor, in whole chunks: gzip's trailer gives the size
/// of a single-member stream (a hint only: never more than 8 times the input nor
/// [`MAX_FIRST_WINDOW`] here, as a corrupt trailer must not allocate much), otherwise 4 times
/// the input. The window is longer than the hint, so that output of exactly that size ends in
/// the first call.
fn window_hint(mode: Mode, input: &[u8], chunk: usize, limit: u64) -> usize {
    let hint = match (mode, input) {
        (Mode::Gunzip | Mode::Unzip, [0x1f, 0x8b, .., a, b, c, d]) => {
            (u32::from_le_bytes([*a, *b, *c, *d]) as usize).min(input.len().saturating_mul(8))
        }
        _ => input.len().saturating_mul(4),
    }
    .min(MAX_FIRST_WINDOW);
    let bytes = (hint / chunk).saturating_add(1).saturating_mul(chunk);
    usize::try_from(limit).map_or(bytes, |l| bytes.min(l))
}

/// The result of [`sync_with_info`]: Node's `{ buffer, engine }` for `info: true`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncInfo {
    /// The output.
    pub buffer: Vec<u8>,
    /// The engine's `bytesWritten`: input consumed (less than the input when gunzip stopped
    /// at zero padding, or inflate at trailing bytes).
    pub bytes_written: u64,
}

/// `zlib.<mode>Sync(input, options)` for a mode chosen at run time.
///
/// # Errors
/// The option errors of [`Zlib::new`] and the run errors of [`Zlib::process_sync`].
pub fn sync(mode: Mode, input: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
    sync_with_info(mode, input, options).map(|i| i.buffer)
}

/// `zlib.<mode>Sync(input, { ...options, info: true })`.
///
/// ```
/// use nodestd_zlib::{Mode, Options, gzip_sync, sync_with_info};
/// let mut data = gzip_sync(b"abc", &Options::default()).unwrap();
/// data.extend([0, 0, 0]);
/// let info = sync_with_info(Mode::Gunzip, &data, &Options::default()).unwrap();
/// assert_eq!(info.buffer, b"abc");
/// assert_eq!(info.bytes_written, data.len() as u64 - 3);
/// ```
///
/// # Errors
/// As [`sync`].
pub fn sync_with_info(mode: Mode, input: &[u8], options: &Options) -> Result<SyncInfo, Error> {
    let mut z = Zlib::new(mode, options)?;
    let flush = z.finish_flush_flag();
    let buffer = z.process_one_shot(input, flush)?;
    Ok(SyncInfo {
        buffer,
        bytes_written: z.bytes_written(),
    })
}

/// The sync forms, one row `fn name = Mode;` per Node function.
macro_rules! sync_fns {
    ($($(#[$doc:meta])* fn $name:ident = $mode:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// Node's option errors (`ERR_OUT_OF_RANGE`, `ERR_BROTLI_INVALID_PARAM` …), the
        /// engine's errors (`Z_DATA_ERROR`, `Z_BUF_ERROR`, `Z_NEED_DICT`,
        /// `ERR__ERROR_FORMAT_*` …) and `ERR_BUFFER_TOO_LARGE`, with Node's messages.
        pub fn $name(input: &[u8], options: &Options) -> Result<Vec<u8>, Error> {
            sync(Mode::$mode, input, options)
        }
    )*};
}

sync_fns! {
    /// Node's `zlib.gzipSync`.
    fn gzip_sync = Gzip;
    /// Node's `zlib.gunzipSync`: every gzip member is decoded; zero bytes after a member
    /// are padding, anything else must be another member.
    fn gunzip_sync = Gunzip;
    /// Node's `zlib.deflateSync` (zlib format).
    fn deflate_sync = Deflate;
    /// Node's `zlib.inflateSync` (zlib format; bytes after the stream are ignored).
    fn inflate_sync = Inflate;
    /// Node's `zlib.deflateRawSync`.
    fn deflate_raw_sync = DeflateRaw;
    /// Node's `zlib.inflateRawSync`.
    fn inflate_raw_sync = InflateRaw;
    /// Node's `zlib.unzipSync`: gzip or zlib, from the first bytes.
    fn unzip_sync = Unzip;
    /// Node's `zlib.brotliCompressSync`.
    fn brotli_compress_sync = BrotliEncode;
    /// Node's `zlib.brotliDecompressSync`.
    fn brotli_decompress_sync = BrotliDecode;
}

/// Node's `zlib.crc32(data, value)`: the CRC-32 of `data`, continuing from `value` (0 to
/// start). A JavaScript string is hashed as its UTF-8 bytes.
///
/// ```
/// assert_eq!(nodestd_zlib::crc32(b"hello", 0), 907060870);
/// assert_eq!(nodestd_zlib::crc32(b"hello", 5), 4277152246);
/// ```
pub fn crc32(data: &[u8], value: u32) -> u32 {
    zlib_rs::crc32::crc32(value, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>() {}

    #[test]
    fn engine_is_send() {
        // The worker-pool form moves engines to pool threads.
        assert_send::<Zlib>();
    }
}
