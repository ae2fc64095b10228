//! zlib's sliding window, which zlib-rs does not keep: a check, run beside the decompressor,
//! for the one error that depends on it, "invalid distance too far back".
//!
//! zlib keeps `1 << windowBits` bytes of history (the header's size when `windowBits` is 0),
//! filled at the end of each `inflate()` call. A match whose distance reaches further back
//! than the bytes written by the current call plus that history is an error, so when the
//! window is smaller than 32 KiB, whether a corrupt stream (or one made with a larger
//! window) fails depends on the output room of each call: Node's `chunkSize`. zlib-rs always
//! keeps 32 KiB and accepts such matches. [`WindowCheck`] walks the deflate stream (after
//! puff.c, zlib's reference decoder) and names the output position of the first match zlib
//! would reject in a call; the decompressor stops there with zlib's error. With a 32 KiB
//! window no distance (at most 32768) is ever rejected for the window's size, so the check
//! switches itself off.

/// zlib's largest window.
const MAX_WINDOW: u64 = 1 << 15;

/// Input kept before it is dropped from the front of the buffer.
const COMPACT_AT: usize = 1 << 16;

/// The length base and extra bits of length symbols 257..=285 (RFC 1951, 3.2.5).
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// The distance base and extra bits of distance symbols 0..=29.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order of the code length code lengths in a dynamic block header.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The stream's wrapper, from the decompressor's `windowBits` (16 + n gzip, 32 + n either).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wrap {
    Raw,
    Zlib,
    Gzip,
    Either,
}

/// Bits of code looked up at once.
const FAST_BITS: u32 = 10;

/// A canonical Huffman code, as puff.c keeps it (codes per length, symbols in code order),
/// with a table of the codes of up to [`FAST_BITS`] bits.
#[derive(Debug, Clone)]
struct Huffman {
    count: [u16; 16],
    symbol: Vec<u16>,
    /// By the next `FAST_BITS` bits of input: the symbol and its code length (0: a longer
    /// code, or none).
    fast: Vec<(u16, u8)>,
}

impl Huffman {
    /// The code of `lengths`, or `None` where zlib's inftrees refuses it: over-subscribed, or
    /// incomplete unless it is a single code of one bit (`single_ok`, not for the code length
    /// code).
    fn new(lengths: &[u8], single_ok: bool) -> Option<Huffman> {
        let mut count = [0u16; 16];
        for &l in lengths {
            count[l as usize] += 1;
        }
        let max = (1..16).rev().find(|&l| count[l] != 0).unwrap_or(0);
        if max != 0 {
            let mut left: i32 = 1;
            for &c in &count[1..] {
                left = 2 * left - i32::from(c);
                if left < 0 {
                    return None;
                }
            }
            if left > 0 && !(single_ok && max == 1) {
                return None;
            }
        }
        let mut offs = [0u16; 16];
        for l in 1..15 {
            offs[l + 1] = offs[l] + count[l];
        }
        let mut symbol = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbol[offs[l as usize] as usize] = s as u16;
                offs[l as usize] += 1;
            }
        }
        count[0] = 0;
        // The canonical codes in order, each written bit-reversed (deflate sends a code's
        // first bit first) into every slot it prefixes.
        let mut fast = vec![(0u16, 0u8); 1 << FAST_BITS];
        let (mut code, mut index) = (0u32, 0usize);
        for len in 1..=FAST_BITS {
            for _ in 0..count[len as usize] {
                let reversed = code.reverse_bits() >> (32 - len);
                for slot in (reversed as usize..fast.len()).step_by(1 << len) {
                    fast[slot] = (symbol[index], len as u8);
                }
                code += 1;
                index += 1;
            }
            code <<= 1;
        }
        Some(Huffman {
            count,
            symbol,
            fast,
        })
    }

    /// The next symbol: `Err(true)` for want of input, `Err(false)` for a code not in the set.
    fn decode(&self, r: &mut Bits) -> Result<u16, bool> {
        let (bits, valid) = r.peek();
        let (symbol, len) = self.fast[(bits & ((1 << FAST_BITS) - 1)) as usize];
        if len != 0 && u32::from(len) <= valid {
            r.bit += usize::from(len);
            return Ok(symbol);
        }
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= r.bits(1).ok_or(true)? as i32;
            let count = i32::from(self.count[len]);
            if code - count < first {
                return Ok(self.symbol[(index + code - first) as usize]);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(false)
    }

    fn fixed() -> (Huffman, Huffman) {
        let mut lit = [8u8; 288];
        lit[144..256].fill(9);
        lit[256..280].fill(7);
        let lit = Huffman::new(&lit, false).expect("the fixed code is complete");
        // zlib's fixed distance table has 32 five-bit codes (30 and 31 are invalid).
        let dist = Huffman::new(&[5u8; 32], false).expect("the fixed code is complete");
        (lit, dist)
    }
}

/// A bit reader over the buffered input, least significant bit first.
struct Bits<'a> {
    buf: &'a [u8],
    bit: usize,
}

impl<'a> Bits<'a> {
    /// The next bits (without taking them) and how many of them there are (at most 57).
    fn peek(&self) -> (u64, u32) {
        let (at, shift) = (self.bit / 8, (self.bit % 8) as u32);
        let mut word = [0u8; 8];
        let n = self.buf.len().saturating_sub(at).min(8);
        word[..n].copy_from_slice(&self.buf[at..at + n]);
        (
            u64::from_le_bytes(word) >> shift,
            (8 * n as u32).saturating_sub(shift),
        )
    }

    /// The next `n` bits (at most 32), least significant first.
    fn bits(&mut self, n: u32) -> Option<u32> {
        let (bits, valid) = self.peek();
        if n > valid {
            return None;
        }
        self.bit += n as usize;
        Some((bits & ((1u64 << n) - 1)) as u32)
    }

    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let at = self.bit / 8;
        let s = self.buf.get(at..at + n)?;
        self.bit += 8 * n;
        Some(s)
    }

    fn align(&mut self) {
        self.bit = self.bit.div_ceil(8) * 8;
    }
}

/// Where the walk is in the stream.
#[derive(Debug, Clone)]
enum Phase {
    Header,
    Block,
    Stored {
        left: usize,
        last: bool,
    },
    Codes {
        lit: Box<Huffman>,
        dist: Box<Huffman>,
        last: bool,
    },
    /// The end of the deflate data, a defect zlib reports itself, or a 32 KiB window.
    Off,
}

/// What one step of the walk found.
enum Event {
    /// Bytes out with no match to check (literals, stored bytes, a block header).
    Plain,
    /// A match of `len` bytes at distance `dist`.
    Match { len: u64, dist: u64 },
    /// Not enough input yet.
    Short,
}

/// zlib's window check for one stream (see the module docs).
#[derive(Debug)]
pub(crate) struct WindowCheck {
    wrap: Wrap,
    /// The decompressor's `windowBits` & 15 (0: from the header).
    bits: u32,
    /// The window in bytes, once the header is read.
    window: u64,
    /// Bytes of preset dictionary in the window.
    dict_len: u64,
    /// Input not yet walked (from `base`, an offset in the stream's input) and the bit
    /// position in it.
    buf: Vec<u8>,
    base: u64,
    bit: usize,
    phase: Phase,
    /// Output position of the walk in the stream.
    out: u64,
    /// The last match: its output position, length and distance (checked again when a call
    /// resumes in its middle).
    last_match: Option<(u64, u64, u64)>,
}

impl WindowCheck {
    /// The check for a decompressor given zlib's `window_bits` (raw when `!header`), or
    /// `None` when the window is 32 KiB whatever the header says.
    pub(crate) fn new(header: bool, window_bits: u8) -> Option<WindowCheck> {
        let wrap = match (header, window_bits) {
            (false, _) => Wrap::Raw,
            (true, 32..) => Wrap::Either,
            (true, 16..) => Wrap::Gzip,
            _ => Wrap::Zlib,
        };
        let bits = u32::from(window_bits & 15);
        let small = match wrap {
            Wrap::Raw | Wrap::Gzip => (1..15).contains(&bits),
            Wrap::Zlib | Wrap::Either => bits < 15,
        };
        if !small {
            return None;
        }
        let raw = wrap == Wrap::Raw;
        Some(WindowCheck {
            wrap,
            bits,
            window: if raw { 1 << bits } else { 0 },
            dict_len: 0,
            buf: Vec::new(),
            base: 0,
            bit: 0,
            phase: if raw { Phase::Block } else { Phase::Header },
            out: 0,
            last_match: None,
        })
    }

    /// Whether the window may still reject a distance (false once it is known to be 32 KiB,
    /// or the stream has ended).
    pub(crate) fn active(&self) -> bool {
        !matches!(self.phase, Phase::Off)
    }

    /// A preset dictionary of `len` bytes went into the window.
    pub(crate) fn set_dictionary(&mut self, len: usize) {
        self.dict_len = len as u64;
    }

    /// The stream's input from offset `at`, given to an `inflate()` call.
    pub(crate) fn feed(&mut self, at: u64, input: &[u8]) {
        if !self.active() {
            return;
        }
        let end = self.base + self.buf.len() as u64;
        if at > end {
            // Input the walk has not seen was consumed: never the case, but then the walk
            // cannot follow the stream.
            self.off();
            return;
        }
        let skip = (end - at) as usize;
        if skip < input.len() {
            if self.buf.is_empty() && matches!(self.phase, Phase::Header) && at == 0 {
                // Read the header in place: most streams have a 32 KiB window and need no copy.
                let mut r = Bits { buf: input, bit: 0 };
                if let Some(None | Some(MAX_WINDOW)) = header(self.wrap, self.bits, &mut r) {
                    self.off();
                    return;
                }
            }
            self.buf.extend_from_slice(&input[skip..]);
        }
    }

    fn off(&mut self) {
        self.phase = Phase::Off;
        self.buf = Vec::new();
        self.bit = 0;
    }

    /// The output position of the first match zlib would reject in an `inflate()` call that
    /// starts at output position `start` of the stream with `room` bytes of output room (in
    /// `start..start + room`).
    pub(crate) fn first_too_far(&mut self, start: u64, room: usize) -> Option<u64> {
        if room == 0 || !self.active() {
            return None;
        }
        if matches!(self.phase, Phase::Header) {
            let mut r = Bits {
                buf: &self.buf,
                bit: self.bit,
            };
            match header(self.wrap, self.bits, &mut r) {
                None => return None,
                Some(None | Some(MAX_WINDOW)) => {
                    self.off();
                    return None;
                }
                Some(Some(window)) => {
                    self.window = window;
                    self.bit = r.bit;
                    self.phase = Phase::Block;
                }
            }
        }
        let limit = start + room as u64;
        // The history zlib has at the start of the call.
        let have = (start + self.dict_len).min(self.window);
        let rejects = |at: u64, dist: u64| dist > at.saturating_sub(start) + have;
        if let Some((at, len, dist)) = self.last_match {
            // A match cut by the end of the last call is checked again where it resumes.
            let resume = at.max(start);
            if resume < at + len && resume < limit && rejects(resume, dist) {
                return Some(resume);
            }
        }
        while self.out < limit && self.active() {
            let at = self.out;
            match self.step() {
                Event::Short => break,
                Event::Plain => {}
                Event::Match { len, dist } => {
                    if rejects(at, dist) {
                        return Some(at.max(start));
                    }
                    self.last_match = Some((at, len, dist));
                }
            }
        }
        if self.bit / 8 > COMPACT_AT {
            let n = self.bit / 8;
            self.buf.drain(..n);
            self.base += n as u64;
            self.bit -= 8 * n;
        }
        None
    }

    /// One step of the walk from the current position, which it advances unless input is
    /// short.
    fn step(&mut self) -> Event {
        let mut r = Bits {
            buf: &self.buf,
            bit: self.bit,
        };
        let mut phase = None;
        let event = match &self.phase {
            Phase::Header | Phase::Off => return Event::Short,
            Phase::Block => match block_header(&mut r) {
                Err(true) => return Event::Short,
                Err(false) => {
                    self.off();
                    return Event::Short;
                }
                Ok(p) => {
                    phase = Some(p);
                    Event::Plain
                }
            },
            &Phase::Stored { left, last } => {
                let n = left.min(self.buf.len() - r.bit / 8);
                if n == 0 && left != 0 {
                    return Event::Short;
                }
                r.bit += 8 * n;
                self.out += n as u64;
                if n == left {
                    phase = Some(if last { Phase::Off } else { Phase::Block });
                } else {
                    phase = Some(Phase::Stored {
                        left: left - n,
                        last,
                    });
                }
                Event::Plain
            }
            Phase::Codes { lit, dist, last } => match symbol(&mut r, lit, dist) {
                Err(true) => return Event::Short,
                Err(false) => {
                    self.off();
                    return Event::Short;
                }
                Ok(None) => {
                    phase = Some(if *last { Phase::Off } else { Phase::Block });
                    Event::Plain
                }
                Ok(Some((0, _))) => {
                    self.out += 1;
                    Event::Plain
                }
                Ok(Some((len, d))) => {
                    self.out += len;
                    Event::Match { len, dist: d }
                }
            },
        };
        self.bit = r.bit;
        if let Some(p) = phase {
            if matches!(p, Phase::Off) {
                self.off();
            } else {
                self.phase = p;
            }
        }
        event
    }
}

/// Reads a zlib or gzip header: `Some(Some(window))`, the window in bytes; `Some(None)`, a
/// header zlib refuses (and reports itself); `None`, short of input. `bits` is the
/// decompressor's `windowBits` & 15.
fn header(wrap: Wrap, bits: u32, r: &mut Bits) -> Option<Option<u64>> {
    let id = r.bytes(2)?;
    let (a, b) = (id[0], id[1]);
    let gzip = match wrap {
        Wrap::Gzip => true,
        Wrap::Either => a == 0x1f && b == 0x8b,
        _ => false,
    };
    let bits = if gzip {
        let rest = r.bytes(8)?;
        let flags = rest[1];
        if a != 0x1f || b != 0x8b || rest[0] != 8 {
            return Some(None);
        }
        if flags & 4 != 0 {
            let x = r.bytes(2)?;
            r.bytes(usize::from(u16::from_le_bytes([x[0], x[1]])))?;
        }
        for flag in [8, 16] {
            if flags & flag != 0 {
                while r.bytes(1)?[0] != 0 {}
            }
        }
        if flags & 2 != 0 {
            r.bytes(2)?;
        }
        if bits == 0 { 15 } else { bits }
    } else {
        let len = u32::from(a >> 4) + 8;
        if (u16::from(a) << 8 | u16::from(b)) % 31 != 0 || a & 15 != 8 {
            return Some(None);
        }
        let bits = if bits == 0 { len } else { bits };
        if len > 15 || len > bits {
            return Some(None);
        }
        if b & 0x20 != 0 {
            r.bytes(4)?;
        }
        bits
    };
    Some(Some(1 << bits))
}

/// A block header (and, for a dynamic block, its code tables). `Err(true)`: short of input;
/// `Err(false)`: a header zlib refuses.
fn block_header(r: &mut Bits) -> Result<Phase, bool> {
    let last = r.bits(1).ok_or(true)? == 1;
    match r.bits(2).ok_or(true)? {
        0 => {
            r.align();
            let l = r.bytes(4).ok_or(true)?;
            let len = u16::from_le_bytes([l[0], l[1]]);
            if len != !u16::from_le_bytes([l[2], l[3]]) {
                return Err(false);
            }
            Ok(Phase::Stored {
                left: usize::from(len),
                last,
            })
        }
        1 => {
            let (lit, dist) = Huffman::fixed();
            Ok(Phase::Codes {
                lit: Box::new(lit),
                dist: Box::new(dist),
                last,
            })
        }
        2 => {
            let nlen = 257 + r.bits(5).ok_or(true)? as usize;
            let ndist = 1 + r.bits(5).ok_or(true)? as usize;
            let ncode = 4 + r.bits(4).ok_or(true)? as usize;
            if nlen > 286 || ndist > 30 {
                return Err(false);
            }
            let mut lengths = [0u8; 19];
            for &i in &CLEN_ORDER[..ncode] {
                lengths[i] = r.bits(3).ok_or(true)? as u8;
            }
            let lencode = Huffman::new(&lengths, false).ok_or(false)?;
            let mut lens = vec![0u8; nlen + ndist];
            let mut have = 0;
            while have < nlen + ndist {
                let s = lencode.decode(r)?;
                if s < 16 {
                    lens[have] = s as u8;
                    have += 1;
                    continue;
                }
                let (value, n) = match s {
                    16 if have == 0 => return Err(false),
                    16 => (lens[have - 1], 3 + r.bits(2).ok_or(true)?),
                    17 => (0, 3 + r.bits(3).ok_or(true)?),
                    _ => (0, 11 + r.bits(7).ok_or(true)?),
                };
                let n = n as usize;
                if have + n > nlen + ndist {
                    return Err(false);
                }
                lens[have..have + n].fill(value);
                have += n;
            }
            if lens[256] == 0 {
                return Err(false);
            }
            let lit = Huffman::new(&lens[..nlen], true).ok_or(false)?;
            let dist = Huffman::new(&lens[nlen..], true).ok_or(false)?;
            Ok(Phase::Codes {
                lit: Box::new(lit),
                dist: Box::new(dist),
                last,
            })
        }
        _ => Err(false),
    }
}

/// The next literal (`Some((0, _))`), match (`Some((len, dist))`) or end of block (`None`).
fn symbol(r: &mut Bits, lit: &Huffman, dist: &Huffman) -> Result<Option<(u64, u64)>, bool> {
    let s = usize::from(lit.decode(r)?);
    if s < 256 {
        return Ok(Some((0, 0)));
    }
    if s == 256 {
        return Ok(None);
    }
    let i = s - 257;
    if i >= LEN_BASE.len() {
        return Err(false);
    }
    let len = u64::from(LEN_BASE[i]) + u64::from(r.bits(LEN_EXTRA[i].into()).ok_or(true)?);
    let d = usize::from(dist.decode(r)?);
    if d >= DIST_BASE.len() {
        return Err(false);
    }
    let d = u64::from(DIST_BASE[d]) + u64::from(r.bits(DIST_EXTRA[d].into()).ok_or(true)?);
    Ok(Some((len, d)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, deflate_raw_sync};

    #[test]
    fn the_walk_follows_stored_fixed_and_dynamic_blocks() {
        let mut data = Vec::new();
        let mut x = 7u32;
        while data.len() < 100_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            data.extend_from_slice([&b"abc "[..], b"window ", b"zlib\n"][(x >> 16) as usize % 3]);
            data.push((x >> 24) as u8);
        }
        for level in [0, 1, 6, 9] {
            let o = Options {
                level: Some(level),
                window_bits: Some(9),
                ..Options::default()
            };
            let packed = deflate_raw_sync(&data, &o).unwrap();
            let mut w = WindowCheck::new(false, 9).unwrap();
            w.feed(0, &packed);
            // Data made with a 512-byte window never reaches further back, whatever the room.
            assert_eq!(w.first_too_far(0, 1 << 40), None, "level {level}");
            assert_eq!(w.out, data.len() as u64, "level {level}");
            assert!(
                !w.active(),
                "level {level}: the walk ends with the last block"
            );
        }
    }

    #[test]
    fn random_streams_end_in_an_answer() {
        // Random bytes after zlib and gzip headers asking for small windows, and raw: every
        // call ends in bytes or an error, never a panic, whatever the room.
        let mut x = 1u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for case in 0..3000 {
            let mut input = match case % 3 {
                0 => vec![0x18, 0x95],
                1 => vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
                _ => Vec::new(),
            };
            let n = (next() % 400) as usize;
            input.extend((0..n).map(|_| next() as u8));
            let mode = [
                crate::Mode::Inflate,
                crate::Mode::Gunzip,
                crate::Mode::InflateRaw,
            ][case % 3];
            let o = Options {
                window_bits: Some(9 + (next() % 4) as i32),
                chunk_size: Some(64 + (next() % 300) as usize),
                ..Options::default()
            };
            let _ = crate::sync(mode, &input, &o);
        }
    }

    #[test]
    fn a_32k_window_needs_no_walk() {
        assert!(WindowCheck::new(false, 15).is_none());
        assert!(WindowCheck::new(true, 16 + 15).is_none());
        assert!(WindowCheck::new(true, 16).is_none()); // gzip's 0 is 15
        let mut zlib = WindowCheck::new(true, 0).unwrap();
        zlib.feed(0, &[0x78, 0x9c, 0x03, 0x00]);
        assert!(
            !zlib.active(),
            "a header asking for 32 KiB turns the walk off"
        );
        let mut small = WindowCheck::new(true, 0).unwrap();
        small.feed(0, &[0x18, 0x95]);
        assert!(small.active(), "a header asking for 512 bytes keeps it");
    }
}
