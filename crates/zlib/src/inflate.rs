//! The decompressing side of the zlib modes (inflate, gunzip, inflateRaw, unzip), following
//! Node's `ZlibContext::DoThreadPoolWork`: unzip's sniffing of the gzip magic bytes, the
//! dictionary retry on `Z_NEED_DICT`, and gunzip's loop over further members (stopping at a
//! zero byte, which is padding).

use zlib_rs::{Inflate, InflateError, InflateFlush, Status};

use crate::constants::*;
use crate::error::{Error, ErrorKind};
use crate::options::Mode;
use crate::window::WindowCheck;
use crate::{Outcome, Progress};

// zlib-rs 0.6.8 loses the message of a corrupt-data error found by its fast decoding loop
// ("invalid distance too far back", "invalid distance code", "invalid literal/length code"):
// the main loop then meets its BAD state and reports "repeated call with bad state", a
// message C zlib never gives. The fast loop only runs with at least 260 bytes of output room,
// so on that message the engine replays the input of the current stream with 256-byte output
// windows, where the slow loop finds the same error and names it. A one-shot call replays
// from the caller's buffer ([`History::Borrowed`]); streaming writes keep a copy of the
// stream's input, up to REPLAY_CAP bytes, and past the cap decode in 256-byte windows from
// then on.
const BAD_STATE: &str = "repeated call with bad state";
const REPLAY_CAP: usize = 8 << 20;
const SLOW_WINDOW: usize = 256;

/// zlib's message for a match reaching past its window (see [`WindowCheck`]).
const TOO_FAR_BACK: &str = "invalid distance too far back";

const GZIP_HEADER_ID1: u8 = 0x1f;
const GZIP_HEADER_ID2: u8 = 0x8b;

/// Where the input of the current stream is found again for the replay (see [`BAD_STATE`]).
enum History {
    /// A copy of the input the stream consumed (streaming writes).
    Kept(Vec<u8>),
    /// Past [`REPLAY_CAP`]: nothing kept; the stream decodes in [`SLOW_WINDOW`]s instead.
    Windowed,
    /// One-shot calls: every write's input is the same buffer, of which the caller has
    /// consumed a prefix, and the current stream starts at this offset of it.
    Borrowed(usize),
}

pub(crate) struct Inflater {
    inner: Inflate,
    /// Inflate, Gunzip, InflateRaw or Unzip; Unzip becomes Gunzip or Inflate once sniffed.
    mode: Mode,
    expect_header: bool,
    /// The `windowBits` handed to zlib (16 + n for gunzip, 32 + n for unzip).
    window_bits: u8,
    dictionary: Option<Vec<u8>>,
    gzip_id_bytes_read: u8,
    /// The input of the current stream, for the replay.
    history: History,
    /// zlib's window check, when the window can be smaller than zlib-rs's 32 KiB.
    window: Option<WindowCheck>,
    /// The last call stopped where zlib's window check fails.
    too_far_back: bool,
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
            history: History::Kept(Vec::new()),
            window: WindowCheck::new(expect_header, window_bits),
            too_far_back: false,
        };
        i.set_raw_dictionary();
        i
    }

    fn set_raw_dictionary(&mut self) {
        // Node sets an inflateRaw dictionary up front; the other modes wait for Z_NEED_DICT.
        if self.mode == Mode::InflateRaw {
            if let Some(dict) = &self.dictionary {
                let _ = self.inner.set_dictionary(dict);
                if let Some(w) = &mut self.window {
                    w.set_dictionary(dict.len());
                }
            }
        }
    }

    /// Whether the output room of each call can change the result (see [`WindowCheck`]),
    /// as far as the start of the stream's input, `input`, tells.
    pub(crate) fn room_matters(&mut self, input: &[u8]) -> bool {
        let at = self.inner.total_in();
        self.window.as_mut().is_some_and(|w| {
            w.feed(at, input);
            w.active()
        })
    }

    /// The input of the current stream up to the error, from the buffer of a one-shot
    /// call (`input`, of which `end` bytes are consumed) or from the kept copy.
    fn history<'a>(&'a self, input: &'a [u8], end: usize) -> Option<&'a [u8]> {
        match &self.history {
            History::Kept(h) => Some(h),
            History::Windowed => None,
            History::Borrowed(start) => input.get(*start..end),
        }
    }

    /// The error for `e`; `input` and `end` as for [`Inflater::history`].
    fn error(&self, e: InflateError, input: &[u8], end: usize) -> Error {
        if self.too_far_back {
            return Error::new(ErrorKind::DataError, TOO_FAR_BACK);
        }
        let mut message = self.inner.error_message();
        if message == Some(BAD_STATE) {
            message = self
                .history(input, end)
                .and_then(|h| self.replay_message(h))
                .or(message);
        }
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

    /// From now on every write's input is one buffer of which the writes consume successive
    /// parts (the one-shot calls): the replay reads it there instead of keeping a copy.
    pub(crate) fn borrow_input(&mut self) {
        self.history = History::Borrowed(0);
    }

    /// A fresh zlib stream (a new gzip member, or `reset`) starting at offset `start` of a
    /// borrowed input.
    fn restart(&mut self, start: usize) {
        self.inner = Inflate::new(self.expect_header, self.window_bits);
        self.window = WindowCheck::new(self.expect_header, self.window_bits);
        self.too_far_back = false;
        self.history = match self.history {
            History::Borrowed(_) => History::Borrowed(start),
            _ => History::Kept(Vec::new()),
        };
    }

    /// One `inflate()` call on the rest of `input`/`output`, advancing both offsets.
    fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        pos: &mut Progress,
        flush: InflateFlush,
    ) -> Result<Status, InflateError> {
        // Where zlib's window check stops this call, if it does: the call runs up to there.
        let (at_in, at_out) = (self.inner.total_in(), self.inner.total_out());
        let room = output.len() - pos.produced;
        let stop = self.window.as_mut().and_then(|w| {
            w.feed(at_in, &input[pos.consumed..]);
            w.first_too_far(at_out, room)
        });
        let end = stop.map_or(output.len(), |p| pos.produced + (p - at_out) as usize);
        let r = self.step_to(input, &mut output[..end], pos, flush);
        if stop.is_some() && r.is_ok() && pos.produced == end {
            self.too_far_back = true;
            return Err(InflateError::DataError);
        }
        r
    }

    /// [`Inflater::step`] without the window check.
    fn step_to(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        pos: &mut Progress,
        flush: InflateFlush,
    ) -> Result<Status, InflateError> {
        let start = pos.consumed;
        let r = match self.history {
            History::Kept(_) | History::Borrowed(_) => self.call(input, output, pos, flush),
            History::Windowed => loop {
                // Past the replay cap: small windows keep zlib-rs on its slow loop.
                let room = (output.len() - pos.produced).min(SLOW_WINDOW);
                let before = pos.produced;
                let end = pos.produced + room;
                let r = self.call(input, &mut output[..end], pos, flush);
                if !matches!(r, Ok(Status::Ok | Status::BufError))
                    || pos.produced - before < room
                    || pos.produced == output.len()
                {
                    break r;
                }
            },
        };
        if let History::Kept(h) = &mut self.history {
            h.extend_from_slice(&input[start..pos.consumed]);
            if h.len() > REPLAY_CAP {
                self.history = History::Windowed;
            }
        }
        r
    }

    fn call(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        pos: &mut Progress,
        flush: InflateFlush,
    ) -> Result<Status, InflateError> {
        let (in0, out0) = (self.inner.total_in(), self.inner.total_out());
        let r = self
            .inner
            .decompress(&input[pos.consumed..], &mut output[pos.produced..], flush);
        pos.consumed += (self.inner.total_in() - in0) as usize;
        pos.produced += (self.inner.total_out() - out0) as usize;
        r
    }

    /// The message zlib gives for the error that ends `history` (the stream's input), found
    /// by decoding it again in small output windows (see [`BAD_STATE`]).
    fn replay_message(&self, history: &[u8]) -> Option<&'static str> {
        let mut inf = Inflate::new(self.expect_header, self.window_bits);
        if !self.expect_header {
            if let Some(dict) = &self.dictionary {
                inf.set_dictionary(dict).ok()?;
            }
        }
        let mut buf = [0u8; SLOW_WINDOW];
        let mut at = 0;
        loop {
            let (in0, out0) = (inf.total_in(), inf.total_out());
            let r = inf.decompress(&history[at..], &mut buf, InflateFlush::NoFlush);
            let used = (inf.total_in() - in0) as usize;
            at += used;
            match r {
                Ok(Status::StreamEnd) => return None,
                Ok(_) => {
                    if used == 0 && inf.total_out() == out0 {
                        return None;
                    }
                }
                Err(InflateError::NeedDict { .. }) => {
                    inf.set_dictionary(self.dictionary.as_ref()?).ok()?;
                }
                Err(InflateError::DataError) => {
                    return inf.error_message().filter(|m| *m != BAD_STATE);
                }
                Err(_) => return None,
            }
        }
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

    /// One `writeSync` on the decompressing modes, of `whole[at..]`; `whole[..at]` is input
    /// of earlier writes (read again only with a borrowed input, see
    /// [`Inflater::borrow_input`]).
    pub(crate) fn write(
        &mut self,
        flush: i32,
        whole: &[u8],
        at: usize,
        output: &mut [u8],
    ) -> Result<(Progress, Outcome), Error> {
        let input = &whole[at..];
        if self.mode == Mode::Unzip {
            self.sniff(input);
        }
        let zflush = flush_of(flush);
        let mut pos = Progress::default();
        let mut r = self.step(input, output, &mut pos, zflush);
        if self.mode != Mode::InflateRaw {
            if let (Err(InflateError::NeedDict { .. }), Some(dict)) = (r, &self.dictionary) {
                if let Some(w) = &mut self.window {
                    w.set_dictionary(dict.len());
                }
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
            self.restart(at + pos.consumed);
            r = self.step(input, output, &mut pos, zflush);
        }
        match r {
            Ok(Status::StreamEnd) => Ok((pos, Outcome::End)),
            Ok(_) => Ok((pos, Outcome::More)),
            Err(e) => Err(self.error(e, whole, at + pos.consumed)),
        }
    }

    /// zlib's `inflateReset` (Node resets nothing in unzip mode until it has sniffed).
    pub(crate) fn reset(&mut self) {
        if self.mode == Mode::Unzip {
            return;
        }
        self.restart(0);
        self.history = History::Kept(Vec::new());
        self.set_raw_dictionary();
    }
}
