//! The crypto and zlib workloads (`bench/node/crypto-*.js`, `bench/node/zlib.js` are their
//! Node twins). Each measures the synchronous core, as the Node scripts measure Node's
//! synchronous calls: the asynchronous forms add one worker-pool round trip per call on both
//! sides and measure the pool, not the codec.

use std::hint::black_box;
use std::time::Instant;

use nodestd_crypto as crypto;
use nodestd_zlib as zlib;

use crate::inputs::Lcg;
use crate::{emit, emit_unit, size};

/// The words of the zlib corpus (the same list as `bench/node/common.js`'s `CORPUS_WORDS`).
const CORPUS_WORDS: &[&str] = &[
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "node",
    "rust",
    "stream",
    "buffer",
    "event",
    "loop",
    "async",
    "await",
    "promise",
    "callback",
    "error",
    "data",
    "end",
    "finish",
    "close",
    "pipe",
    "chunk",
    "encoding",
    "utf8",
    "base64",
    "hex",
    "json",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\"id\"",
    "\"name\"",
    "\"value\"",
    "42",
    "3.14",
    "true",
    "false",
    "null",
    "\n",
    "\n",
    "    ",
    "const",
    "let",
    "function",
    "return",
    "if",
    "else",
];

/// `bytes` of text: words from [`CORPUS_WORDS`] drawn with the LCG (seed 7), separated by
/// spaces, the same bytes as `corpus(bytes)` in `common.js`.
pub fn corpus(bytes: usize) -> Vec<u8> {
    let mut rng = Lcg::new(7);
    let mut out = Vec::with_capacity(bytes + 16);
    while out.len() < bytes {
        out.extend_from_slice(rng.pick(CORPUS_WORDS).as_bytes());
        out.push(b' ');
    }
    out.truncate(bytes);
    out
}

/// `crypto-hash`: 256 MiB hashed in 64 KiB updates, per digest; MiB/s.
pub fn crypto_hash(quick: bool) {
    let total = size(256, quick) as usize; // MiB
    let chunk = vec![0x61u8; 64 * 1024];
    for name in ["sha256", "sha1", "md5", "sha512"] {
        let run = |mib: usize| {
            let start = Instant::now();
            let mut h = crypto::create_hash(name).expect("a known digest");
            for _ in 0..mib * 16 {
                h.update(&chunk).expect("not finalized");
            }
            black_box(h.digest().expect("not finalized"));
            start.elapsed().as_secs_f64()
        };
        run((total / 10).max(1));
        emit_unit(
            &format!("crypto-hash/{name}"),
            "MiB/s",
            total as u64,
            run(total),
        );
    }
}

/// `crypto-hmac`: HMAC-SHA256 of 1M messages of 64 bytes, with a fresh `Hmac` each.
pub fn crypto_hmac(quick: bool) {
    let n = size(1_000_000, quick);
    let msg = [0x5au8; 64];
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            let mut h = crypto::create_hmac("sha256", b"a secret key").expect("sha256");
            h.update(msg).expect("not finalized");
            black_box(h.digest());
        }
        start.elapsed().as_secs_f64()
    };
    run(n / 10);
    emit("crypto-hmac/sha256-64B", n, run(n));
}

/// `crypto-random`: `randomBytes(32)`, 1M calls.
pub fn crypto_random(quick: bool) {
    let n = size(1_000_000, quick);
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(crypto::random_bytes(32).expect("32 bytes"));
        }
        start.elapsed().as_secs_f64()
    };
    run(n / 10);
    emit("crypto-random/randomBytes-32", n, run(n));
}

/// `crypto-pbkdf2`: `pbkdf2Sync(pw, salt, 100000, 32, 'sha256')`, 20 calls (2 with --quick).
pub fn crypto_pbkdf2(quick: bool) {
    let n = size(20, quick).max(2);
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            black_box(
                crypto::pbkdf2_sync("password", "salt", 100_000, 32, "sha256").expect("valid"),
            );
        }
        start.elapsed().as_secs_f64()
    };
    run(1);
    emit("crypto-pbkdf2/sha256-100k", n, run(n));
}

/// `zlib`: a 64 MiB text corpus (6.4 MiB with --quick) through gzip at levels 1, 6 and 9,
/// gunzip (of the level-6 output), deflateRaw (level 6) and brotli at quality 4; MiB/s of
/// uncompressed data.
pub fn zlib(quick: bool) {
    let bytes = if quick { (64 << 20) / 10 } else { 64 << 20 };
    let data = corpus(bytes);
    let mib = bytes as f64 / (1 << 20) as f64;
    let level = |l: i32| zlib::Options {
        level: Some(l),
        ..zlib::Options::default()
    };
    let cases: [(&str, zlib::Mode, zlib::Options); 4] = [
        ("zlib/gzip-1", zlib::Mode::Gzip, level(1)),
        ("zlib/gzip-6", zlib::Mode::Gzip, level(6)),
        ("zlib/gzip-9", zlib::Mode::Gzip, level(9)),
        ("zlib/deflateRaw-6", zlib::Mode::DeflateRaw, level(6)),
    ];
    let time = |mode: zlib::Mode, input: &[u8], opts: &zlib::Options| {
        let start = Instant::now();
        let out = zlib::sync(mode, input, opts).expect("valid input");
        (start.elapsed().as_secs_f64(), out)
    };
    // One unmeasured pass over a tenth, as every workload warms up.
    let _ = time(zlib::Mode::Gzip, &data[..bytes / 10], &level(6));
    for (name, mode, opts) in &cases {
        let (secs, out) = time(*mode, &data, opts);
        black_box(out);
        emit_mib(name, mib, secs);
    }
    let packed = zlib::sync(zlib::Mode::Gzip, &data, &level(6)).expect("valid input");
    let (secs, out) = time(zlib::Mode::Gunzip, &packed, &zlib::Options::default());
    assert_eq!(out.len(), bytes, "gunzip gives the corpus back");
    emit_mib("zlib/gunzip", mib, secs);
    let brotli = zlib::Options {
        params: vec![(zlib::constants::BROTLI_PARAM_QUALITY, 4)],
        ..zlib::Options::default()
    };
    let (secs, out) = time(zlib::Mode::BrotliEncode, &data, &brotli);
    black_box(out);
    emit_mib("zlib/brotli-q4", mib, secs);
}

fn emit_mib(name: &str, mib: f64, secs: f64) {
    println!(
        "{{\"workload\":\"{name}\",\"unit\":\"MiB/s\",\"value\":{}}}",
        mib / secs
    );
}

#[cfg(test)]
mod tests {
    /// The Node side builds the same corpus: its MD5 over 100,000 bytes, from
    /// `node -e "…createHash('md5').update(require('./bench/node/common.js').corpus(100000))…"`.
    #[test]
    fn the_corpus_matches_node() {
        let mut h = nodestd_crypto::create_hash("md5").expect("md5");
        h.update(super::corpus(100_000)).expect("not finalized");
        let hex = h.digest_to(nodestd_crypto::Encoding::Hex).expect("hex");
        assert_eq!(hex, "2cd8c7c16d5130649bfe6909b0a24a28");
    }
}
