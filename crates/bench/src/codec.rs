//! The crypto and zlib workloads (`bench/node/crypto-*.js`, `bench/node/zlib.js` are their
//! Node twins). Each measures the synchronous core, as the Node scripts measure Node's
//! synchronous calls: the asynchronous forms add one worker-pool round trip per call on both
//! sides and measure the pool, not the codec.

use std::hint::black_box;
use std::time::Instant;

use nodestd_crypto as crypto;
use nodestd_zlib as zlib;

use crate::backends;
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

/// `crypto-hash`: 256 MiB hashed in 64 KiB updates, per digest; MiB/s. Each digest is
/// measured through nodestd (`crypto-hash/NAME`) and then through every candidate crate
/// (`crypto-hash/NAME@CRATE`, see [`backends::DIGESTS`]).
pub fn crypto_hash(quick: bool) {
    let total = size(256, quick) as usize; // MiB
    let chunk = vec![0x61u8; 64 * 1024];
    for &(name, candidates) in backends::DIGESTS {
        let run = |mib: usize| {
            let start = Instant::now();
            let mut h = crypto::create_hash(name).expect("a known digest");
            for _ in 0..mib * 16 {
                h.update(&chunk).expect("not finalized");
            }
            let d = black_box(h.digest().expect("not finalized"));
            (start.elapsed().as_secs_f64(), d)
        };
        run((total / 10).max(1));
        let (secs, ours) = run(total);
        emit_unit(&format!("crypto-hash/{name}"), "MiB/s", total as u64, secs);
        for backend in candidates {
            let make = || backends::streaming(backend, name);
            backends::time_stream(make(), &chunk, (total / 10).max(1));
            let (secs, theirs) = backends::time_stream(make(), &chunk, total);
            assert_eq!(theirs, ours, "{name} through {backend}");
            emit_unit(
                &format!("crypto-hash/{name}@{backend}"),
                "MiB/s",
                total as u64,
                secs,
            );
        }
    }
}

/// `crypto-hmac`: HMAC-SHA256 of 1M messages of 64 bytes, with a fresh `Hmac` each, through
/// nodestd and through each candidate crate ([`backends::HMACS`]).
pub fn crypto_hmac(quick: bool) {
    let n = size(1_000_000, quick);
    let msg = [0x5au8; 64];
    let key = b"a secret key";
    let ours = crypto::create_hmac("sha256", key)
        .and_then(|mut h| Ok(h.update(msg)?.digest()))
        .expect("sha256");
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            let mut h = crypto::create_hmac("sha256", key).expect("sha256");
            h.update(msg).expect("not finalized");
            black_box(h.digest());
        }
        start.elapsed().as_secs_f64()
    };
    run(n / 10);
    emit("crypto-hmac/sha256-64B", n, run(n));
    for backend in backends::HMACS {
        assert_eq!(backends::hmac_sha256(backend, key, &msg), ours, "{backend}");
        let run = |n: u64| {
            let start = Instant::now();
            for _ in 0..n {
                black_box(backends::hmac_sha256(backend, key, black_box(&msg)));
            }
            start.elapsed().as_secs_f64()
        };
        run(n / 10);
        emit(&format!("crypto-hmac/sha256-64B@{backend}"), n, run(n));
    }
}

/// `crypto-cipher`: 64 MiB (6.4 with --quick) sealed as 64 KiB messages, each with a fresh
/// `createCipheriv` (a 32-byte key, a 12-byte IV), `update`, `final` and `getAuthTag`, per
/// AEAD; MiB/s. Then the same through each candidate crate ([`backends::AEADS`]).
pub fn crypto_cipher(quick: bool) {
    let total = size(64, quick) as usize; // MiB
    let msg = vec![0x61u8; 64 * 1024];
    let key = [7u8; 32];
    let nonce = [9u8; 12];
    for &(name, candidates) in backends::AEADS {
        let seal = |msg: &[u8]| {
            let opts = crypto::CipherOptions::default();
            let mut c =
                crypto::create_cipheriv(name, key, Some(&nonce), opts).expect("a known AEAD");
            let mut out = c.update(msg).expect("sealing");
            out.extend_from_slice(&c.finalize().expect("sealing"));
            out.extend_from_slice(&c.get_auth_tag().expect("sealed"));
            out
        };
        let run = |mib: usize, f: &dyn Fn(&[u8]) -> Vec<u8>| {
            let start = Instant::now();
            for _ in 0..mib * 16 {
                black_box(f(black_box(&msg)));
            }
            start.elapsed().as_secs_f64()
        };
        let measure = |row: String, f: &dyn Fn(&[u8]) -> Vec<u8>| {
            run((total / 10).max(1), f);
            emit_unit(&row, "MiB/s", total as u64, run(total, f));
        };
        let ours = seal(&msg);
        measure(format!("crypto-cipher/{name}"), &seal);
        for backend in candidates {
            let theirs = |m: &[u8]| backends::seal(backend, name, &key, &nonce, m);
            assert_eq!(theirs(&msg), ours, "{name} through {backend}");
            measure(format!("crypto-cipher/{name}@{backend}"), &theirs);
        }
    }
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
    brotli_cases(&data, quick);
}

/// The brotli rows: quality 1 and 4 over the corpus, quality 11 over its first 1 MiB (0.1
/// with --quick; quality 11 runs near 1 MiB/s), and decompression of the quality-4 output,
/// through nodestd and through each candidate ([`backends::BROTLIS`]); MiB/s of
/// uncompressed data.
fn brotli_cases(data: &[u8], quick: bool) {
    let q11 = if quick { (1 << 20) / 10 } else { 1 << 20 };
    let opts = |q: u32| zlib::Options {
        params: vec![(zlib::constants::BROTLI_PARAM_QUALITY, q)],
        ..zlib::Options::default()
    };
    let timed = |f: &dyn Fn() -> Vec<u8>| {
        let start = Instant::now();
        let out = f();
        (start.elapsed().as_secs_f64(), out)
    };
    let mib = |bytes: usize| bytes as f64 / (1 << 20) as f64;
    for (q, input) in [(1u32, data), (4, data), (11, &data[..q11])] {
        let name = format!("zlib/brotli-q{q}");
        let o = opts(q);
        let (secs, ours) =
            timed(&|| zlib::sync(zlib::Mode::BrotliEncode, input, &o).expect("valid input"));
        emit_mib(&name, mib(input.len()), secs);
        for backend in backends::BROTLIS {
            let (secs, theirs) = timed(&|| backends::brotli_compress(backend, input, q));
            let back = zlib::sync(zlib::Mode::BrotliDecode, &theirs, &zlib::Options::default())
                .expect("decodable");
            assert!(
                back == input,
                "{name} through {backend} decodes to the input"
            );
            emit_mib(&format!("{name}@{backend}"), mib(input.len()), secs);
        }
        black_box(ours);
    }
    let packed = zlib::sync(zlib::Mode::BrotliEncode, data, &opts(4)).expect("valid input");
    let (secs, out) = timed(&|| {
        zlib::sync(zlib::Mode::BrotliDecode, &packed, &zlib::Options::default())
            .expect("valid input")
    });
    assert!(out == data, "brotli gives the corpus back");
    emit_mib("zlib/brotli-decompress", mib(data.len()), secs);
    for backend in backends::BROTLIS {
        let (secs, out) = timed(&|| backends::brotli_decompress(backend, &packed, data.len()));
        assert!(out == data, "{backend} gives the corpus back");
        emit_mib(
            &format!("zlib/brotli-decompress@{backend}"),
            mib(data.len()),
            secs,
        );
    }
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
