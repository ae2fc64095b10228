//! The compressing side of the zlib modes (deflate, gzip, deflateRaw).
//!
//! zlib-rs compresses raw deflate; the zlib and gzip wrappers (header, dictionary id, Adler-32
//! or CRC-32 and length trailer) are written here, byte for byte as zlib writes them. Owning
//! the wrapper is what lets [`Deflater::params`] change the strategy as well as the level:
//! zlib-rs's safe API can only change the level. A parameter change finishes the current
//! deflate block at a byte boundary (Node always sync-flushes first) and continues with a new
//! raw compressor primed with the last 32 KiB of input, so the output stays one stream.

use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, Status, Strategy};

use crate::constants::*;
use crate::error::{Error, ErrorKind};
use crate::{Outcome, Progress};

/// The wrapper around the raw deflate data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrap {
    Raw,
    Zlib,
    Gzip,
}

/// The largest window, and so the most history a new compressor can need.
const MAX_HISTORY: usize = 1 << 15;

pub(crate) struct Deflater {
    raw: Deflate,
    wrap: Wrap,
    level: i32,
    strategy: i32,
    mem_level: i32,
    /// The raw window bits actually used (zlib turns 8 into 9).
    window_bits: i32,
    dictionary: Option<Vec<u8>>,
    header_written: bool,
    pending: Vec<u8>,
    pending_pos: usize,
    /// Adler-32 (zlib) or CRC-32 (gzip) of the input so far.
    check: u32,
    /// Input length modulo 2^32 (the gzip trailer's ISIZE).
    total_in: u32,
    /// The last [`MAX_HISTORY`] bytes of input (dictionary first), for `params`.
    history: Vec<u8>,
    /// Input went in since the last completed sync, full or finish flush.
    dirty: bool,
    finished: bool,
}

fn strategy_of(n: i32) -> Strategy {
    match n {
        Z_FILTERED => Strategy::Filtered,
        Z_HUFFMAN_ONLY => Strategy::HuffmanOnly,
        Z_RLE => Strategy::Rle,
        Z_FIXED => Strategy::Fixed,
        _ => Strategy::Default,
    }
}

fn flush_of(flush: i32) -> DeflateFlush {
    match flush {
        Z_PARTIAL_FLUSH => DeflateFlush::PartialFlush,
        Z_SYNC_FLUSH => DeflateFlush::SyncFlush,
        Z_FULL_FLUSH => DeflateFlush::FullFlush,
        Z_FINISH => DeflateFlush::Finish,
        Z_BLOCK => DeflateFlush::Block,
        _ => DeflateFlush::NoFlush,
    }
}

fn map_err(e: zlib_rs::DeflateError, message: Option<&str>) -> Error {
    let kind = match e {
        zlib_rs::DeflateError::StreamError => ErrorKind::StreamError,
        zlib_rs::DeflateError::DataError => ErrorKind::DataError,
        zlib_rs::DeflateError::MemError => ErrorKind::MemError,
    };
    Error::new(kind, message.unwrap_or("Zlib error"))
}

impl Deflater {
    /// A compressor; `level`, `mem_level`, `strategy` and `window_bits` were validated by
    /// Node's rules (window bits 8..=15, level -1..=9, …).
    pub(crate) fn new(
        wrap: Wrap,
        level: i32,
        window_bits: i32,
        mem_level: i32,
        strategy: i32,
        dictionary: Option<Vec<u8>>,
    ) -> Deflater {
        // zlib: "until 256-byte window bug fixed", 8 becomes 9 (Node does it itself for raw).
        let window_bits = window_bits.max(9);
        // Node sets a dictionary only for deflate and deflateRaw, and only a non-empty one.
        let dictionary = dictionary.filter(|d| !d.is_empty() && wrap != Wrap::Gzip);
        let mut d = Deflater {
            raw: Deflate::new_with_config(Self::config(level, window_bits, mem_level, strategy)),
            wrap,
            level,
            strategy,
            mem_level,
            window_bits,
            dictionary,
            header_written: false,
            pending: Vec::new(),
            pending_pos: 0,
            check: 0,
            total_in: 0,
            history: Vec::new(),
            dirty: false,
            finished: false,
        };
        d.start();
        d
    }

    fn config(level: i32, window_bits: i32, mem_level: i32, strategy: i32) -> DeflateConfig {
        DeflateConfig {
            level,
            window_bits: -window_bits,
            mem_level,
            strategy: strategy_of(strategy),
            ..DeflateConfig::default()
        }
    }

    /// Sets the stream up from the beginning (construction and `reset`).
    fn start(&mut self) {
        self.header_written = false;
        self.pending.clear();
        self.pending_pos = 0;
        self.check = if self.wrap == Wrap::Zlib { 1 } else { 0 };
        self.total_in = 0;
        self.history.clear();
        self.dirty = false;
        self.finished = false;
        if let Some(dict) = &self.dictionary {
            // A raw stream accepts a dictionary before any input; this cannot fail.
            let _ = self.raw.set_dictionary(dict);
            self.remember(&dict.clone());
        }
    }

    fn effective_level(&self) -> i32 {
        if self.level == Z_DEFAULT_COMPRESSION {
            6
        } else {
            self.level
        }
    }

    fn write_header(&mut self) {
        let level = self.effective_level();
        match self.wrap {
            Wrap::Raw => {}
            Wrap::Zlib => {
                let cmf = 0x08 | ((self.window_bits as u32 - 8) << 4);
                let level_flags = if self.strategy >= Z_HUFFMAN_ONLY || level < 2 {
                    0
                } else if level < 6 {
                    1
                } else if level == 6 {
                    2
                } else {
                    3
                };
                let mut header = (cmf << 8) | (level_flags << 6);
                if self.dictionary.is_some() {
                    header |= 0x20;
                }
                header += 31 - header % 31;
                self.pending
                    .extend_from_slice(&(header as u16).to_be_bytes());
                if let Some(dict) = &self.dictionary {
                    let id = zlib_rs::adler32::adler32(1, dict);
                    self.pending.extend_from_slice(&id.to_be_bytes());
                }
            }
            Wrap::Gzip => {
                let xfl = if level == 9 {
                    2
                } else if self.strategy >= Z_HUFFMAN_ONLY || level < 2 {
                    4
                } else {
                    0
                };
                // ID1 ID2 CM FLG MTIME(4) XFL OS (3: Unix, as zlib writes on Unix).
                self.pending
                    .extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]);
            }
        }
        self.header_written = true;
    }

    fn write_trailer(&mut self) {
        match self.wrap {
            Wrap::Raw => {}
            Wrap::Zlib => self.pending.extend_from_slice(&self.check.to_be_bytes()),
            Wrap::Gzip => {
                self.pending.extend_from_slice(&self.check.to_le_bytes());
                self.pending.extend_from_slice(&self.total_in.to_le_bytes());
            }
        }
    }

    fn drain_pending(&mut self, output: &mut [u8]) -> usize {
        let rest = &self.pending[self.pending_pos..];
        let n = rest.len().min(output.len());
        output[..n].copy_from_slice(&rest[..n]);
        self.pending_pos += n;
        if self.pending_pos == self.pending.len() {
            self.pending.clear();
            self.pending_pos = 0;
        }
        n
    }

    fn remember(&mut self, input: &[u8]) {
        if input.len() >= MAX_HISTORY {
            self.history.clear();
            self.history
                .extend_from_slice(&input[input.len() - MAX_HISTORY..]);
        } else {
            self.history.extend_from_slice(input);
            if self.history.len() > MAX_HISTORY {
                let cut = self.history.len() - MAX_HISTORY;
                self.history.drain(..cut);
            }
        }
    }

    fn account(&mut self, input: &[u8]) {
        match self.wrap {
            Wrap::Raw => {}
            Wrap::Zlib => self.check = zlib_rs::adler32::adler32(self.check, input),
            Wrap::Gzip => self.check = zlib_rs::crc32::crc32(self.check, input),
        }
        self.total_in = self.total_in.wrapping_add(input.len() as u32);
        self.remember(input);
    }

    /// One `deflate()` call: Node's `writeSync` for the compressing modes.
    pub(crate) fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(Progress, Outcome), Error> {
        if !self.header_written {
            self.write_header();
        }
        let mut produced = self.drain_pending(output);
        if !self.pending.is_empty() {
            return Ok((
                Progress {
                    consumed: 0,
                    produced,
                },
                Outcome::More,
            ));
        }
        if self.finished {
            return Ok((
                Progress {
                    consumed: 0,
                    produced,
                },
                Outcome::End,
            ));
        }
        let (in0, out0) = (self.raw.total_in(), self.raw.total_out());
        let status = self
            .raw
            .compress(input, &mut output[produced..], flush_of(flush))
            .map_err(|e| map_err(e, self.raw.error_message()))?;
        let consumed = (self.raw.total_in() - in0) as usize;
        produced += (self.raw.total_out() - out0) as usize;
        self.account(&input[..consumed]);
        if consumed > 0 {
            self.dirty = true;
        }
        if matches!(flush, Z_SYNC_FLUSH | Z_FULL_FLUSH | Z_FINISH) && produced < output.len() {
            self.dirty = false;
        }
        let outcome = match status {
            Status::StreamEnd => {
                self.write_trailer();
                self.finished = true;
                produced += self.drain_pending(&mut output[produced..]);
                if self.pending.is_empty() {
                    Outcome::End
                } else {
                    Outcome::More
                }
            }
            Status::Ok => Outcome::More,
            Status::BufError => Outcome::More,
        };
        Ok((Progress { consumed, produced }, outcome))
    }

    /// zlib's `deflateParams` after Node's sync flush: later input uses `level` and
    /// `strategy`.
    pub(crate) fn params(&mut self, level: i32, strategy: i32) -> Result<(), Error> {
        if level == self.level && strategy == self.strategy {
            return Ok(());
        }
        if self.finished {
            // zlib refuses new parameters once the stream is finished (Node ignores it).
            return Ok(());
        }
        if !self.header_written {
            // Nothing compressed yet: start over with the new settings (the header's level
            // flags then describe them, as zlib's would).
            self.level = level;
            self.strategy = strategy;
            self.raw = Deflate::new_with_config(Self::config(
                level,
                self.window_bits,
                self.mem_level,
                strategy,
            ));
            self.start();
            return Ok(());
        }
        if self.dirty {
            // Finish the current block at a byte boundary; keep its bytes for the next write.
            let mut buf = [0u8; 4096];
            loop {
                let out0 = self.raw.total_out();
                let status = self
                    .raw
                    .compress(&[], &mut buf, DeflateFlush::SyncFlush)
                    .map_err(|e| map_err(e, self.raw.error_message()))?;
                let n = (self.raw.total_out() - out0) as usize;
                self.pending.extend_from_slice(&buf[..n]);
                if n < buf.len() || status == Status::BufError {
                    break;
                }
            }
            self.dirty = false;
        }
        self.level = level;
        self.strategy = strategy;
        self.raw = Deflate::new_with_config(Self::config(
            level,
            self.window_bits,
            self.mem_level,
            strategy,
        ));
        if !self.history.is_empty() {
            let window = 1usize << self.window_bits;
            let tail = &self.history[self.history.len().saturating_sub(window)..];
            let _ = self.raw.set_dictionary(tail);
        }
        Ok(())
    }

    /// zlib's `deflateReset` followed by Node's dictionary set-up.
    pub(crate) fn reset(&mut self) {
        self.raw = Deflate::new_with_config(Self::config(
            self.level,
            self.window_bits,
            self.mem_level,
            self.strategy,
        ));
        self.start();
    }
}
