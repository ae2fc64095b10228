//! Known-answer tests from the standards, kept as data in `tests/vectors/` (one JSON object
//! per line; the first line names the source): FIPS 180-4 / FIPS 202 digests, the GCM
//! specification's AES-GCM test cases, RFC 7914 scrypt, RFC 5869 HKDF and RFC 6070 PBKDF2.
//! GCM vectors are also run in pieces and decrypted, and a flipped tag bit must fail.

use nodestd_crypto::{
    CipherOptions, Encoding, HashOptions, ScryptOptions, create_cipheriv, create_decipheriv,
    create_hash_with, hkdf_sync, pbkdf2_sync, scrypt_sync,
};
use serde_json::Value;

fn vectors(file: &str) -> Vec<Value> {
    let path = format!("{}/tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Value = serde_json::from_str(lines.next().expect("header line")).unwrap();
    assert!(
        header.get("source").is_some(),
        "{file}: first line names the source"
    );
    let all: Vec<Value> = lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!all.is_empty(), "{file} has vectors");
    all
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn hex(v: &Value, key: &str) -> Vec<u8> {
    Encoding::Hex.encode(s(v, key))
}

fn n(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn nist_digests() {
    for v in vectors("nist_sha.jsonl") {
        let input = s(&v, "input").repeat(n(&v, "repeat") as usize);
        let want = s(&v, "digest");
        let opts = HashOptions {
            output_length: Some(want.len() / 2),
        };
        let mut h = create_hash_with(s(&v, "alg"), opts).unwrap();
        // Fed in two pieces, to cross a block boundary somewhere.
        let (a, b) = input.split_at(input.len() / 3);
        h.update(a).unwrap().update(b).unwrap();
        assert_eq!(h.digest_to(Encoding::Hex).unwrap(), want, "{v}");
    }
}

#[test]
fn aes_gcm_test_cases() {
    for v in vectors("aes_gcm.jsonl") {
        let key = hex(&v, "key");
        let alg = if key.len() == 16 {
            "aes-128-gcm"
        } else {
            "aes-256-gcm"
        };
        let (iv, aad, pt) = (hex(&v, "iv"), hex(&v, "aad"), hex(&v, "plaintext"));
        let (ct, tag) = (hex(&v, "ciphertext"), hex(&v, "tag"));
        for piece in [1, 7, 16, 1000] {
            let mut c = create_cipheriv(alg, &key, Some(&iv), CipherOptions::default()).unwrap();
            c.set_aad(&aad).unwrap();
            let mut out = Vec::new();
            for chunk in pt.chunks(piece) {
                out.extend(c.update(chunk).unwrap());
            }
            out.extend(c.finalize().unwrap());
            assert_eq!(out, ct, "case {}", v["case"]);
            assert_eq!(c.get_auth_tag().unwrap(), tag, "case {}", v["case"]);

            let mut d = create_decipheriv(alg, &key, Some(&iv), CipherOptions::default()).unwrap();
            d.set_aad(&aad).unwrap().set_auth_tag(&tag).unwrap();
            let mut back = Vec::new();
            for chunk in ct.chunks(piece) {
                back.extend(d.update(chunk).unwrap());
            }
            back.extend(d.finalize().unwrap());
            assert_eq!(back, pt, "case {}", v["case"]);
        }
        let mut bad_tag = tag.clone();
        bad_tag[0] ^= 1;
        let mut d = create_decipheriv(alg, &key, Some(&iv), CipherOptions::default()).unwrap();
        d.set_aad(&aad).unwrap().set_auth_tag(&bad_tag).unwrap();
        d.update(&ct).unwrap();
        let err = d.finalize().unwrap_err();
        assert_eq!(
            (err.code(), err.message()),
            (None, "Unsupported state or unable to authenticate data")
        );
    }
}

#[test]
fn rfc7914_scrypt() {
    for v in vectors("rfc7914_scrypt.jsonl") {
        let opts = ScryptOptions {
            n: Some(n(&v, "N") as u32),
            r: Some(n(&v, "r") as u32),
            p: Some(n(&v, "p") as u32),
            ..Default::default()
        };
        let dk = scrypt_sync(s(&v, "password"), s(&v, "salt"), 64, &opts).unwrap();
        assert_eq!(dk, hex(&v, "dk"), "{v}");
    }
}

#[test]
fn rfc5869_hkdf() {
    for v in vectors("rfc5869_hkdf.jsonl") {
        let okm = hkdf_sync(
            s(&v, "digest"),
            hex(&v, "ikm"),
            hex(&v, "salt"),
            hex(&v, "info"),
            n(&v, "length"),
        )
        .unwrap();
        assert_eq!(okm, hex(&v, "okm"), "case {}", v["case"]);
    }
}

#[test]
fn rfc6070_pbkdf2() {
    for v in vectors("rfc6070_pbkdf2.jsonl") {
        let dk = pbkdf2_sync(
            s(&v, "password"),
            s(&v, "salt"),
            n(&v, "iterations"),
            n(&v, "dklen"),
            "sha1",
        )
        .unwrap();
        assert_eq!(dk, hex(&v, "dk"), "{v}");
    }
}
