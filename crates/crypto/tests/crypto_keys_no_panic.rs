//! Property tests: no input panics the key parsers (PEM and DER of every encoding, random
//! and mutated), signature verification (random signatures, every option) or ECDH
//! (random points and private keys). Each case must return a value or an error.

use nodestd_crypto::{
    self as crypto, DsaEncoding, KeyEncoding, KeyInput, KeyPairOptions, PointFormat, SignOptions,
};
use proptest::prelude::*;

const ENCODINGS: [KeyEncoding; 4] = [
    KeyEncoding::Pkcs8,
    KeyEncoding::Spki,
    KeyEncoding::Sec1,
    KeyEncoding::Pkcs1,
];

/// Valid keys of every type, as DER, to mutate.
fn samples() -> Vec<(Vec<u8>, KeyEncoding)> {
    let mut out = Vec::new();
    for (t, curve) in [
        ("ed25519", None),
        ("x25519", None),
        ("ec", Some("P-256")),
        ("ec", Some("P-384")),
        ("rsa", None),
    ] {
        let opts = KeyPairOptions {
            named_curve: curve.map(String::from),
            modulus_length: Some(512),
            public_exponent: None,
        };
        let pair = crypto::generate_key_pair_sync(t, &opts).expect("key pair");
        out.push((
            pair.private_key
                .export_der(KeyEncoding::Pkcs8)
                .expect("pkcs8"),
            KeyEncoding::Pkcs8,
        ));
        out.push((
            pair.public_key.export_der(KeyEncoding::Spki).expect("spki"),
            KeyEncoding::Spki,
        ));
        if t == "ec" {
            out.push((
                pair.private_key
                    .export_der(KeyEncoding::Sec1)
                    .expect("sec1"),
                KeyEncoding::Sec1,
            ));
        }
        if t == "rsa" {
            out.push((
                pair.private_key
                    .export_der(KeyEncoding::Pkcs1)
                    .expect("pkcs1"),
                KeyEncoding::Pkcs1,
            ));
        }
    }
    out
}

fn parse_everything(der: &[u8], enc: KeyEncoding) {
    let _ = crypto::create_private_key(KeyInput::Der(der, enc));
    if let Ok(k) = crypto::create_public_key(KeyInput::Der(der, enc)) {
        for e in ENCODINGS {
            let _ = k.export_der(e);
            let _ = k.export_pem(e);
        }
        let _ = k.export_jwk();
        let _ = crypto::verify(None, b"x", &k, [0u8; 64], &SignOptions::default());
        let _ = crypto::verify(Some("sha256"), b"x", &k, [1u8; 72], &SignOptions::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_der_never_panics(der in proptest::collection::vec(any::<u8>(), 0..300), e in 0usize..4) {
        parse_everything(&der, ENCODINGS[e]);
    }

    #[test]
    fn mutated_keys_never_panic(
        which in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        thread_local!(static SAMPLES: Vec<(Vec<u8>, KeyEncoding)> = samples());
        let (mut der, enc) = SAMPLES.with(|s| which.get(s).clone());
        for (i, b) in edits {
            let n = der.len();
            der[i.index(n)] = b;
        }
        if truncate {
            let n = der.len();
            der.truncate(cut.index(n));
        }
        parse_everything(&der, enc);
    }

    #[test]
    fn random_pem_never_panics(body in "[A-Za-z0-9+/=\\r\\n -]{0,200}", label in prop::sample::select(vec![
        "PRIVATE KEY", "PUBLIC KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "RSA PUBLIC KEY",
        "ENCRYPTED PRIVATE KEY", "CERTIFICATE", "",
    ])) {
        let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
        let _ = crypto::create_private_key(pem.as_str());
        let _ = crypto::create_public_key(pem.as_str());
        let _ = crypto::create_public_key(body.as_str());
    }

    #[test]
    fn signatures_and_options_never_panic(
        sig in proptest::collection::vec(any::<u8>(), 0..600),
        data in proptest::collection::vec(any::<u8>(), 0..64),
        alg in prop::sample::select(vec!["sha256", "sha1", "md5", "sha3-512", "shake256", "nope", "md5-sha1", "blake2b512"]),
        padding in -1i32..8,
        salt in -4i32..300,
        p1363 in any::<bool>(),
    ) {
        thread_local!(static KEYS: Vec<crypto::KeyPair> = ["ed25519", "x25519", "ec", "rsa"].iter().map(|t| {
            let opts = KeyPairOptions { named_curve: Some("P-256".into()), modulus_length: Some(512), public_exponent: None };
            crypto::generate_key_pair_sync(t, &opts).expect("key pair")
        }).collect());
        let opts = SignOptions {
            dsa_encoding: if p1363 { DsaEncoding::IeeeP1363 } else { DsaEncoding::Der },
            padding: Some(padding),
            salt_length: Some(salt),
        };
        KEYS.with(|keys| {
            for pair in keys {
                let _ = crypto::verify(Some(alg), &data, &pair.public_key, &sig, &opts);
                let _ = crypto::verify(None, &data, &pair.public_key, &sig, &opts);
                let _ = crypto::sign(Some(alg), &data, &pair.private_key, &opts);
            }
        });
    }

    #[test]
    fn ecdh_never_panics(
        point in proptest::collection::vec(any::<u8>(), 0..120),
        scalar in proptest::collection::vec(any::<u8>(), 0..60),
        p384 in any::<bool>(),
    ) {
        let mut e = crypto::create_ecdh(if p384 { "secp384r1" } else { "prime256v1" }).expect("curve");
        let _ = e.compute_secret(&point);
        if e.set_private_key(&scalar).is_ok() {
            let _ = e.compute_secret(&point);
            let _ = e.get_public_key(PointFormat::Hybrid);
            let _ = e.get_private_key();
        }
    }
}
