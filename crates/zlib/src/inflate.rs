//! The decompressing side of the zlib modes (inflate, gunzip, inflateRaw, unzip), following
//! Node's `ZlibContext::DoThreadPoolWork`: unzip's sniffing of the gzip magic bytes, the
//! dictionary retry on `Z_NEED_DICT`, and gunzip's loop over further members (stopping at a
//! zero byte, which is padding).

use zlib_rs::{Inflate, InflateError, InflateFlush, Status};

use crate::constants::*;
use crate::error::{Error, ErrorKind};
use crate::options::Mode;
use crate::{Outcome, Progress};

const GZIP_HEADER_ID1: u8 = 0x1f;
const GZIP_HEADER_ID2: u8 = 0x8b;

pub(crate) struct Inflater {
    inner: Inflate,
    /// Inflate, Gunzip, InflateRaw or Unzip; Unzip becomes Gunzip or Inflate once sniffed.
    mode: Mode,
    expect_header: bool,
    /// The `windowBits` handed to zlib (16 + n for gunzip, 32 + n for unzip).
    window_bits: u8,
    dictionary: Option<Vec<u8>>,
    gzip_id_bytes_read: u8,
}

fn flush_of(flush: i32) -> InflateFlush {
    // zlib's inflate() treats Z_PARTIAL_FLUSH and Z_FULL_FLUSH like Z_NO_FLUSH/Z_SYNC_FLUSH
    // (it only looks for Z_FINISH, Z_BLOCK and Z_TREES).
    match flush {
        Z_SYNC_FLUSH | Z_FULL_FLUSH => InflateFlush::SyncFlush,
        Z_FINISH => InflateFlush::Finish,
        Z_BLOCK => InflateFlush::Block,
        _ => InflateFlush::NoFlush,
    }
}

impl Inflater {
    /// A decompressor for `mode`; `window_bits` is 0 (from the header) or 8..=15.
    pub(crate) fn new(mode: Mode, window_bits: i32, dictionary: Option<Vec<u8>>) -> Inflater {
        let base = window_bits as u8;
        let (expect_header, window_bits) = match mode {
            Mode::Gunzip => (true, base + 16),
            Mode::Unzip => (true, base + 32),
            Mode::InflateRaw => (false, base),
            _ => (true, base),
        };
        let dictionary = dictionary.filter(|d| !d.is_empty());
        let mut i = Inflater {
            inner: Inflate::new(expect_header, window_bits),
            mode,
            expect_header,
            window_bits,
            dictionary,
            gzip_id_bytes_read: 0,
        };
        i.set_raw_dictionary();
        i
    }

    fn set_raw_dictionary(&mut self) {
        // Node sets an inflateRaw dictionary up front; the other modes wait for Z_NEED_DICT.
        if self.mode == Mode::InflateRaw {
            if let Some(dict) = &self.dictionary {
                let _ = self.inner.set_dictionary(dict);
            }
        }
    }

    fn error(&self, e: InflateError) -> Error {
        let message = self.inner.error_message();
        match e {
            // zlib leaves `msg` unset for Z_NEED_DICT; Node's own words are used.
            InflateError::NeedDict { .. } => Error::new(
                ErrorKind::NeedDict,
                if self.dictionary.is_none() {
                    "Missing dictionary"
                } else {
                    "Bad dictionary"
                },
            ),
            InflateError::StreamError => {
                Error::new(ErrorKind::StreamError, message.unwrap_or("Zlib error"))
            }
            InflateError::DataError => {
                Error::new(ErrorKind::DataError, message.unwrap_or("Zlib error"))
            }
            InflateError::MemError => {
                Error::new(ErrorKind::MemError, message.unwrap_or("Zlib error"))
            }
        }
    }

    /// One `inflate()` call on the rest of `input`/`output`, advancing both offsets.
    fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        pos: &mut Progress,
        flush: InflateFlush,
    ) -> Result<Status, InflateError> {
        let (in0, out0) = (self.inner.total_in(), self.inner.total_out());
        let r = self.inner.decompress(
            &input[pos.consumed..],
            &mut output[pos.produced..],
            flush,
        );
        pos.consumed += (self.inner.total_in() - in0) as usize;
        pos.produced += (self.inner.total_out() - out0) as usize;
        r
    }

    /// Node's sniffing of the gzip magic number in unzip mode.
    fn sniff(&mut self, input: &[u8]) {
        let mut next = 0;
        if self.gzip_id_bytes_read == 0 {
            let Some(&b) = input.first() else { return };
            if b != GZIP_HEADER_ID1 {
                self.mode = Mode::Inflate;
                return;
            }
            self.gzip_id_bytes_read = 1;
            next = 1;
            if input.len() == 1 {
                return;
            }
        }
        let Some(&b) = input.get(next) else { return };
        if b == GZIP_HEADER_ID2 {
            self.gzip_id_bytes_read = 2;
            self.mode = Mode::Gunzip;
        } else {
            // No difference between INFLATE and INFLATERAW after initialization.
            self.mode = Mode::Inflate;
        }
    }

    /// One `writeSync` on the decompressing modes.
    pub(crate) fn write(
        &mut self,
        flush: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(Progress, Outcome), Error> {
        if self.mode == Mode::Unzip {
            self.sniff(input);
        }
        let zflush = flush_of(flush);
        let mut pos = Progress::default();
        let mut r = self.step(input, output, &mut pos, zflush);
        if self.mode != Mode::InflateRaw {
            if let (Err(InflateError::NeedDict { .. }), Some(dict)) = (r, &self.dictionary) {
                r = match self.inner.set_dictionary(dict) {
                    Ok(_) => self.step(input, output, &mut pos, zflush),
                    // Both inflateSetDictionary() and inflate() return Z_DATA_ERROR; Node
                    // reports a wrong dictionary as Z_NEED_DICT.
                    Err(InflateError::DataError) => Err(InflateError::NeedDict { dict_id: 0 }),
                    Err(e) => Err(e),
                };
            }
        }
        while pos.consumed < input.len()
            && self.mode == Mode::Gunzip
            && r == Ok(Status::StreamEnd)
            && input[pos.consumed] != 0
        {
            // Another member, or trailing garbage; zero bytes are padding.
            self.inner = Inflate::new(self.expect_header, self.window_bits);
            r = self.step(input, output, &mut pos, zflush);
        }
        match r {
            Ok(Status::StreamEnd) => Ok((pos, Outcome::End)),
            Ok(_) => Ok((pos, Outcome::More)),
            Err(e) => Err(self.error(e)),
        }
    }

    /// zlib's `inflateReset` (Node resets nothing in unzip mode until it has sniffed).
    pub(crate) fn reset(&mut self) {
        if self.mode == Mode::Unzip {
            return;
        }
        self.inner = Inflate::new(self.expect_header, self.window_bits);
        self.set_raw_dictionary();
    }
}
