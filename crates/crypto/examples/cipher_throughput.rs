//! AES throughput through `createCipheriv`/`createDecipheriv`, to compare with node running
//! `cipher_throughput.js` (next to this file) on the same machine:
//!
//! ```text
//! cargo run --release -p nodestd-crypto --example cipher_throughput
//! node crates/crypto/examples/cipher_throughput.js
//! ```
//!
//! Each row is the best of 40 runs of 16 MiB in 64 KiB updates (the best is what a loaded
//! machine disturbs least); decryption is measured for the CBC rows.

use std::time::Instant;

use nodestd_crypto::{CipherOptions, create_cipheriv, create_decipheriv};

fn main() -> Result<(), nodestd_crypto::Error> {
    let chunk = vec![7u8; 64 << 10];
    let updates = 256;
    for alg in ["aes-128-cbc", "aes-256-cbc", "aes-128-ctr", "aes-256-gcm"] {
        let key = vec![1u8; if alg.starts_with("aes-128") { 16 } else { 32 }];
        let iv = vec![2u8; if alg.ends_with("gcm") { 12 } else { 16 }];
        let (mut enc, mut dec) = (f64::MAX, f64::MAX);
        let mut ct = Vec::new();
        for _ in 0..40 {
            let t = Instant::now();
            let mut c = create_cipheriv(alg, &key, Some(&iv), CipherOptions::default())?;
            ct.clear();
            for _ in 0..updates {
                ct.extend(c.update(&chunk)?);
            }
            ct.extend(c.finalize()?);
            enc = enc.min(t.elapsed().as_secs_f64());
            if alg.ends_with("cbc") {
                let t = Instant::now();
                let mut d = create_decipheriv(alg, &key, Some(&iv), CipherOptions::default())?;
                for part in ct.chunks(64 << 10) {
                    std::hint::black_box(d.update(part)?);
                }
                d.finalize()?;
                dec = dec.min(t.elapsed().as_secs_f64());
            }
        }
        let decrypt = if dec < f64::MAX {
            format!(" decrypt {:.0} MiB/s", 16.0 / dec)
        } else {
            String::new()
        };
        println!("{alg}: encrypt {:.0} MiB/s{decrypt}", 16.0 / enc);
    }
    Ok(())
}
