//! The algorithm crates nodestd could build on, measured side by side with nodestd itself
//! (issue 20): each digest, HMAC, AEAD and brotli direction once through nodestd's API (the
//! row without `@`) and once straight through each candidate crate (`NAME@crate`). The Node
//! scripts print their one measurement under every one of these names, so each candidate's
//! row reads against the same Node figure. Every candidate's output is checked against
//! nodestd's before it is timed: a row measures the same result, computed another way.

use std::hint::black_box;
use std::time::Instant;

use aws_lc_rs::digest as awsd;
use md5::Digest as _;

/// Digests and the crates that implement them besides nodestd (which uses one of these):
/// `rustcrypto` (`sha1`, `sha2`, `sha3`, `md-5` with its assembly core), `aws-lc-rs` and
/// `ring`. Node's `bench/node/crypto-hash.js` lists the same names.
pub const DIGESTS: &[(&str, &[&str])] = &[
    ("md5", &["rustcrypto"]),
    ("sha1", &["rustcrypto", "aws-lc-rs", "ring"]),
    ("sha224", &["rustcrypto", "aws-lc-rs"]),
    ("sha256", &["rustcrypto", "aws-lc-rs", "ring"]),
    ("sha384", &["rustcrypto", "aws-lc-rs", "ring"]),
    ("sha512", &["rustcrypto", "aws-lc-rs", "ring"]),
    ("sha512-256", &["rustcrypto", "aws-lc-rs", "ring"]),
    ("sha3-256", &["rustcrypto", "aws-lc-rs"]),
];

/// One running digest of some crate.
pub trait Streaming {
    /// Absorbs `data`.
    fn update(&mut self, data: &[u8]);
    /// The digest.
    fn finish(self: Box<Self>) -> Vec<u8>;
}

struct Rc<D>(D);

impl<D: md5::Digest> Streaming for Rc<D> {
    fn update(&mut self, data: &[u8]) {
        md5::Digest::update(&mut self.0, data);
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        self.0.finalize().to_vec()
    }
}

impl Streaming for awsd::Context {
    fn update(&mut self, data: &[u8]) {
        awsd::Context::update(self, data);
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        (*self).finish().as_ref().to_vec()
    }
}

impl Streaming for ring::digest::Context {
    fn update(&mut self, data: &[u8]) {
        ring::digest::Context::update(self, data);
    }
    fn finish(self: Box<Self>) -> Vec<u8> {
        (*self).finish().as_ref().to_vec()
    }
}

/// A fresh digest `name` of crate `backend`.
pub fn streaming(backend: &str, name: &str) -> Box<dyn Streaming> {
    match (backend, name) {
        ("rustcrypto", "md5") => Box::new(Rc(md5::Md5::new())),
        ("rustcrypto", "sha1") => Box::new(Rc(sha1::Sha1::new())),
        ("rustcrypto", "sha224") => Box::new(Rc(sha2::Sha224::new())),
        ("rustcrypto", "sha256") => Box::new(Rc(sha2::Sha256::new())),
        ("rustcrypto", "sha384") => Box::new(Rc(sha2::Sha384::new())),
        ("rustcrypto", "sha512") => Box::new(Rc(sha2::Sha512::new())),
        ("rustcrypto", "sha512-256") => Box::new(Rc(sha2::Sha512_256::new())),
        ("rustcrypto", "sha3-256") => Box::new(Rc(sha3::Sha3_256::new())),
        ("aws-lc-rs", name) => Box::new(awsd::Context::new(match name {
            "sha1" => &awsd::SHA1_FOR_LEGACY_USE_ONLY,
            "sha224" => &awsd::SHA224,
            "sha256" => &awsd::SHA256,
            "sha384" => &awsd::SHA384,
            "sha512" => &awsd::SHA512,
            "sha512-256" => &awsd::SHA512_256,
            "sha3-256" => &awsd::SHA3_256,
            _ => unreachable!("no {name} in aws-lc-rs"),
        })),
        ("ring", name) => Box::new(ring::digest::Context::new(match name {
            "sha1" => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            "sha256" => &ring::digest::SHA256,
            "sha384" => &ring::digest::SHA384,
            "sha512" => &ring::digest::SHA512,
            "sha512-256" => &ring::digest::SHA512_256,
            _ => unreachable!("no {name} in ring"),
        })),
        _ => unreachable!("no backend {backend} for {name}"),
    }
}

/// Times `mib` MiB of 64 KiB updates into `h`; returns the seconds and the digest.
pub fn time_stream(mut h: Box<dyn Streaming>, chunk: &[u8], mib: usize) -> (f64, Vec<u8>) {
    let start = Instant::now();
    for _ in 0..mib * 16 {
        h.update(chunk);
    }
    let d = black_box(h.finish());
    (start.elapsed().as_secs_f64(), d)
}

/// HMAC-SHA256 of `msg` under `key` through `backend`, a fresh key each call as in Node.
pub fn hmac_sha256(backend: &str, key: &[u8], msg: &[u8]) -> Vec<u8> {
    match backend {
        "rustcrypto" => {
            use hmac::Mac as _;
            let mut m = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
            m.update(msg);
            m.finalize().into_bytes().to_vec()
        }
        "aws-lc-rs" => {
            let k = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, key);
            aws_lc_rs::hmac::sign(&k, msg).as_ref().to_vec()
        }
        "ring" => {
            let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
            ring::hmac::sign(&k, msg).as_ref().to_vec()
        }
        _ => unreachable!("no backend {backend}"),
    }
}

/// The HMAC candidates.
pub const HMACS: &[&str] = &["rustcrypto", "aws-lc-rs", "ring"];

/// AEADs and their candidates.
pub const AEADS: &[(&str, &[&str])] = &[
    (
        "aes-256-gcm",
        &["rustcrypto", "aws-lc-rs", "ring", "openssl"],
    ),
    (
        "chacha20-poly1305",
        &["rustcrypto", "aws-lc-rs", "ring", "openssl"],
    ),
];

/// Seals `$buf` in place through `$aead`, a module with ring's AEAD API.
macro_rules! ring_like_seal {
    ($aead:path, $name:expr, $key:expr, $nonce:expr, $buf:expr) => {{
        use $aead as aead;
        let alg = if $name == "aes-256-gcm" {
            &aead::AES_256_GCM
        } else {
            &aead::CHACHA20_POLY1305
        };
        let k = aead::LessSafeKey::new(aead::UnboundKey::new(alg, $key).expect("32 bytes"));
        let n = aead::Nonce::assume_unique_for_key(*$nonce);
        k.seal_in_place_append_tag(n, aead::Aad::empty(), &mut $buf)
            .expect("sealed");
    }};
}

/// Seals `msg` with a 12-byte `nonce` and a fresh key (as `createCipheriv` makes one):
/// ciphertext followed by the 16-byte tag. `openssl` is the system's OpenSSL 3, Node's own
/// cipher code.
pub fn seal(backend: &str, name: &str, key: &[u8; 32], nonce: &[u8; 12], msg: &[u8]) -> Vec<u8> {
    let mut buf = msg.to_vec();
    match backend {
        "rustcrypto" => {
            use aes_gcm::aead::{AeadInPlace as _, KeyInit as _};
            let tag = if name == "aes-256-gcm" {
                let c = aes_gcm::Aes256Gcm::new(key.into());
                c.encrypt_in_place_detached(nonce.into(), b"", &mut buf)
            } else {
                let c = chacha20poly1305::ChaCha20Poly1305::new(key.into());
                c.encrypt_in_place_detached(nonce.into(), b"", &mut buf)
            }
            .expect("sealed");
            buf.extend_from_slice(&tag);
        }
        // ring's AEAD API, which aws-lc-rs copies.
        "aws-lc-rs" => ring_like_seal!(aws_lc_rs::aead, name, key, nonce, buf),
        "ring" => ring_like_seal!(ring::aead, name, key, nonce, buf),
        "openssl" => {
            let c = if name == "aes-256-gcm" {
                openssl::symm::Cipher::aes_256_gcm()
            } else {
                openssl::symm::Cipher::chacha20_poly1305()
            };
            let mut tag = [0u8; 16];
            buf = openssl::symm::encrypt_aead(c, key, Some(nonce), b"", msg, &mut tag)
                .expect("sealed");
            buf.extend_from_slice(&tag);
        }
        _ => unreachable!("no backend {backend}"),
    }
    buf
}

/// The brotli candidates: the pure-Rust `brotli` crate and Google's C library through
/// `brotlic` (built from source by cargo).
pub const BROTLIS: &[&str] = &["brotli-rs", "brotlic"];

/// Brotli-compresses `data` at `quality` with Node's defaults (window 22, generic mode, no
/// size hint) through `backend`.
pub fn brotli_compress(backend: &str, data: &[u8], quality: u32) -> Vec<u8> {
    match backend {
        "brotli-rs" => {
            let params = brotli::enc::BrotliEncoderParams {
                quality: quality as i32,
                lgwin: 22,
                ..Default::default()
            };
            let mut out = Vec::with_capacity(data.len() / 4);
            brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("in memory");
            out
        }
        "brotlic" => {
            let mut enc = brotlic::BrotliEncoderOptions::new()
                .quality(brotlic::Quality::new(quality as u8).expect("0..=11"))
                .window_size(brotlic::WindowSize::new(22).expect("10..=24"))
                .mode(brotlic::CompressionMode::Generic)
                .build()
                .expect("valid options");
            let mut out = vec![0u8; data.len() / 2 + 1024];
            let mut input = data;
            let mut written = 0;
            loop {
                if out.len() - written < 65536 {
                    out.resize(out.len() * 2, 0);
                }
                let op = if input.is_empty() {
                    brotlic::encode::BrotliOperation::Finish
                } else {
                    brotlic::encode::BrotliOperation::Process
                };
                let r = enc
                    .compress(input, &mut out[written..], op)
                    .expect("compresses");
                input = &input[r.bytes_read..];
                written += r.bytes_written;
                if input.is_empty() && enc.is_finished() {
                    break;
                }
            }
            out.truncate(written);
            out
        }
        _ => unreachable!("no backend {backend}"),
    }
}

/// Brotli-decompresses `data` through `backend`.
pub fn brotli_decompress(backend: &str, data: &[u8], size_hint: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size_hint);
    match backend {
        "brotli-rs" => {
            brotli::BrotliDecompress(&mut &data[..], &mut out).expect("valid stream");
        }
        "brotlic" => {
            use std::io::Read as _;
            brotlic::DecompressorReader::new(data)
                .read_to_end(&mut out)
                .expect("valid stream");
        }
        _ => unreachable!("no backend {backend}"),
    }
    out
}
