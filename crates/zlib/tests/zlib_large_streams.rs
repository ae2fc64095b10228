//! Streams longer than the engine's 8 MiB replay copy, and the output windows of the one-shot
//! calls: corrupt data far into a stream is named as zlib names it (the one-shot calls replay
//! the caller's buffer, streaming writes decode in small windows past the copy), and
//! `maxOutputLength` still wins over an error that lies past the chunk where Node stops.
//!
//! The corrupt streams end in a hand-made fixed-Huffman block (RFC 1951 §3.2.6), so the
//! expected message does not depend on the compressor that made the valid part before it.
//! Node v20 gave the pinned messages for the same bytes.

use nodestd_zlib::{Mode, Options, Zlib, constants::*, gunzip_sync, inflate_raw_sync};

/// Bits in deflate's order: fields least significant bit first, Huffman codes most
/// significant bit first.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn field(&mut self, value: u32, width: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += width;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn code(&mut self, code: u32, width: u32) {
        let reversed = code.reverse_bits() >> (32 - width);
        self.field(reversed, width);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A final fixed-Huffman block: the literals "abc", then `bad`, an invalid code given as
/// (code, width), then zero bytes, so that zlib's fast loop is the one to meet it.
fn bad_block(bad: &[(u32, u32)]) -> Vec<u8> {
    let mut b = Bits::default();
    b.field(1, 1); // BFINAL
    b.field(1, 2); // BTYPE 01: fixed codes
    for lit in b"abc" {
        b.code(0x30 + u32::from(*lit), 8); // literals 0..=143: 8 bits from 0x30
    }
    for &(code, width) in bad {
        b.code(code, width);
    }
    let mut out = b.finish();
    out.extend([0u8; 300]);
    out
}

/// Length 3 (symbol 257, 7 bits 0000001) then distance code 30, which does not exist.
fn bad_distance() -> Vec<u8> {
    bad_block(&[(0b0000001, 7), (30, 5)])
}

/// Literal/length symbol 286 (8 bits 0xc0 + 6), which does not exist.
fn bad_length() -> Vec<u8> {
    bad_block(&[(0xc0 + 6, 8)])
}

/// `len` bytes: text-like words, then noise (so that the compressed size stays close to
/// `len`), from a fixed LCG.
fn data(len: usize) -> Vec<u8> {
    let words: [&[u8]; 6] = [b"stream ", b"buffer ", b"zlib ", b"node ", b"rust ", b"\n"];
    let mut x: u32 = 7;
    let mut next = move || {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        x >> 16
    };
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len / 8 {
        out.extend_from_slice(words[next() as usize % words.len()]);
    }
    while out.len() < len {
        out.push(next() as u8);
    }
    out.truncate(len);
    out
}

/// A raw deflate stream of `len` bytes of [`data`], left open after a sync flush (the next
/// block starts on a byte boundary).
fn open_raw(len: usize) -> Vec<u8> {
    let o = Options {
        level: Some(1),
        finish_flush: Some(Z_SYNC_FLUSH),
        ..Options::default()
    };
    nodestd_zlib::deflate_raw_sync(&data(len), &o).unwrap()
}

/// `raw` behind a gzip header (no trailer: the stream is corrupt before it).
fn gzip_member(raw: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
    out.extend_from_slice(raw);
    out
}

fn message(r: Result<Vec<u8>, nodestd_zlib::Error>) -> (String, String) {
    let e = r.unwrap_err();
    (e.code().to_owned(), e.message().to_owned())
}

fn data_error(message: &str) -> (String, String) {
    ("Z_DATA_ERROR".to_owned(), message.to_owned())
}

/// The same input through [`Zlib::process_sync`] in 64 KiB pieces (a stream's writes).
fn streamed(mode: Mode, input: &[u8]) -> Result<Vec<u8>, nodestd_zlib::Error> {
    let mut z = Zlib::new(mode, &Options::default())?;
    let mut out = Vec::new();
    let pieces: Vec<&[u8]> = input.chunks(64 << 10).collect();
    for (i, piece) in pieces.iter().enumerate() {
        let flush = if i + 1 == pieces.len() {
            Z_FINISH
        } else {
            Z_NO_FLUSH
        };
        out.extend(z.process_sync(piece, flush)?);
    }
    Ok(out)
}

#[test]
fn corrupt_data_far_into_a_stream_is_named() {
    // 9 MiB of mostly noise compress to more than the 8 MiB the streaming engine keeps.
    let raw = open_raw(9 << 20);
    assert!(raw.len() > 8 << 20, "{}", raw.len());
    // node: zlib.inflateRawSync / gunzipSync of these bytes → "invalid distance code",
    // "invalid literal/length code".
    for (tail, expected) in [
        (bad_distance(), "invalid distance code"),
        (bad_length(), "invalid literal/length code"),
    ] {
        let corrupt = [&raw[..], &tail].concat();
        let gz = gzip_member(&corrupt);
        assert_eq!(
            message(inflate_raw_sync(&corrupt, &Options::default())),
            data_error(expected)
        );
        assert_eq!(
            message(gunzip_sync(&gz, &Options::default())),
            data_error(expected)
        );
        assert_eq!(message(streamed(Mode::Gunzip, &gz)), data_error(expected));
    }
}

#[test]
fn corrupt_second_member_is_named() {
    // The replay of a one-shot call starts at the member that failed.
    let good = nodestd_zlib::gzip_sync(b"first member", &Options::default()).unwrap();
    let bad = gzip_member(&[&open_raw(100_000)[..], &bad_distance()].concat());
    let input = [&good[..], &bad].concat();
    assert_eq!(
        message(gunzip_sync(&input, &Options::default())),
        data_error("invalid distance code")
    );
    assert_eq!(
        message(streamed(Mode::Gunzip, &input)),
        data_error("invalid distance code")
    );
}

#[test]
fn max_output_length_is_checked_in_nodes_chunks() {
    // 100 KB of output, then a corrupt block.
    let corrupt = gzip_member(&[&open_raw(100_000)[..], &bad_distance()].concat());
    let max = |n| Options {
        max_output_length: Some(n),
        ..Options::default()
    };
    // Node passes 50,000 bytes after its fourth 16 KiB chunk, before the corrupt block.
    assert_eq!(
        message(gunzip_sync(&corrupt, &max(50_000))),
        (
            "ERR_BUFFER_TOO_LARGE".to_owned(),
            "Cannot create a Buffer larger than 50000 bytes".to_owned()
        )
    );
    // 98,304 bytes are six whole chunks; the seventh holds the rest and meets the error.
    assert_eq!(
        message(gunzip_sync(&corrupt, &max(98_304))),
        data_error("invalid distance code")
    );
    assert_eq!(
        message(gunzip_sync(&corrupt, &max(200_000))),
        data_error("invalid distance code")
    );
}

#[test]
fn large_output_comes_back_whole() {
    // Past the first output window (from gzip's size field) and past a wrong size field.
    let input = data(3 << 20);
    let mut gz = nodestd_zlib::gzip_sync(&input, &Options::default()).unwrap();
    assert_eq!(gunzip_sync(&gz, &Options::default()).unwrap(), input);
    let n = gz.len();
    gz[n - 4..].copy_from_slice(&16u32.to_le_bytes());
    assert_eq!(
        message(gunzip_sync(&gz, &Options::default())),
        data_error("incorrect length check")
    );
    let chunked = Options {
        chunk_size: Some(64),
        ..Options::default()
    };
    let packed = nodestd_zlib::deflate_sync(&input, &Options::default()).unwrap();
    assert_eq!(
        nodestd_zlib::inflate_sync(&packed, &chunked).unwrap(),
        input
    );
    assert_eq!(streamed(Mode::Inflate, &packed).unwrap(), input);
}
