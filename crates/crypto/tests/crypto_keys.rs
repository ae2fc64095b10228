//! Key objects, signatures and key agreement: Node's errors (codes and messages as Node
//! v20.20.2 gives them), export formats, and round trips. The differential test
//! (`crates/conformance/tests/crypto_keys_differential.rs`) checks the bytes against node.

use nodestd_crypto::{
    self as crypto, DsaEncoding, KeyEncoding, KeyInput, KeyPairOptions, PointFormat, SignOptions,
};

fn pair(t: &str, curve: Option<&str>) -> crypto::KeyPair {
    let opts = KeyPairOptions {
        named_curve: curve.map(String::from),
        modulus_length: Some(1024),
        public_exponent: None,
    };
    crypto::generate_key_pair_sync(t, &opts).unwrap()
}

fn err<T: std::fmt::Debug>(r: Result<T, crypto::Error>) -> (&'static str, String) {
    let e = r.unwrap_err();
    (e.code_or_name(), e.message().to_string())
}

#[test]
fn bad_keys_fail_as_in_node() {
    assert_eq!(
        err(crypto::create_private_key("garbage")),
        (
            "ERR_OSSL_UNSUPPORTED",
            "error:1E08010C:DECODER routines::unsupported".into()
        )
    );
    assert_eq!(
        err(crypto::create_public_key(
            "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n"
        ))
        .0,
        "ERR_OSSL_UNSUPPORTED"
    );
    let ec = pair("ec", Some("P-256"));
    let spki = ec.public_key.export_pem(KeyEncoding::Spki).unwrap();
    assert_eq!(
        err(crypto::create_private_key(spki.as_str())).0,
        "ERR_OSSL_UNSUPPORTED"
    );
    let spki_der = ec.public_key.export_der(KeyEncoding::Spki).unwrap();
    assert_eq!(
        err(crypto::create_private_key(KeyInput::Der(
            &spki_der,
            KeyEncoding::Pkcs8
        ))),
        (
            "ERR_OSSL_ASN1_WRONG_TAG",
            "error:068000A8:asn1 encoding routines::wrong tag".into()
        )
    );
    assert_eq!(
        err(crypto::create_private_key(KeyInput::Der(
            &spki_der,
            KeyEncoding::Spki
        ))),
        (
            "ERR_INVALID_ARG_VALUE",
            "The property 'options.type' is invalid. Received 'spki'".into()
        )
    );
    // A private PEM gives its public half.
    let pkcs8 = ec.private_key.export_pem(KeyEncoding::Pkcs8).unwrap();
    let public = crypto::create_public_key(pkcs8.as_str()).unwrap();
    assert!(public.equals(&ec.public_key));
}

#[test]
fn export_errors_as_in_node() {
    let ed = pair("ed25519", None);
    assert_eq!(
        err(ed.private_key.export_pem(KeyEncoding::Pkcs1)),
        (
            "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS",
            "The selected key encoding pkcs1 can only be used for RSA keys.".into()
        )
    );
    assert_eq!(
        err(ed.private_key.export_pem(KeyEncoding::Sec1)),
        (
            "ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS",
            "The selected key encoding sec1 can only be used for EC keys.".into()
        )
    );
    assert_eq!(
        err(ed.public_key.export_pem(KeyEncoding::Pkcs8)),
        (
            "ERR_INVALID_ARG_VALUE",
            "The property 'options.type' is invalid. Received 'pkcs8'".into()
        )
    );
    let secret = crypto::create_secret_key(b"abc");
    assert_eq!(secret.export_secret().unwrap(), b"abc");
    assert_eq!(
        err(secret.export_pem(KeyEncoding::Pkcs8)).0,
        "ERR_INVALID_ARG_VALUE"
    );
    assert_eq!(secret.export_jwk().to_json(), r#"{"kty":"oct","k":"YWJj"}"#);
    // Node's member order.
    let names = |j: crypto::Jwk| j.0.iter().map(|(k, _)| *k).collect::<Vec<_>>();
    assert_eq!(names(ed.private_key.export_jwk()), ["crv", "d", "x", "kty"]);
    let ec = pair("ec", Some("P-384"));
    assert_eq!(
        names(ec.private_key.export_jwk()),
        ["kty", "x", "y", "crv", "d"]
    );
    assert_eq!(ec.private_key.export_jwk().get("crv"), Some("P-384"));
    let rsa = pair("rsa", None);
    assert_eq!(
        names(rsa.private_key.export_jwk()),
        ["kty", "n", "e", "d", "p", "q", "dp", "dq", "qi"]
    );
    assert_eq!(rsa.private_key.modulus_length(), Some(1024));
}

#[test]
fn generate_errors_as_in_node() {
    let o = KeyPairOptions::default();
    assert_eq!(
        err(crypto::generate_key_pair_sync("foo", &o)),
        (
            "ERR_INVALID_ARG_VALUE",
            "The argument 'type' must be a supported key type. Received 'foo'".into()
        )
    );
    assert_eq!(
        err(crypto::generate_key_pair_sync("ec", &o)),
        (
            "ERR_INVALID_ARG_TYPE",
            "The \"options.namedCurve\" property must be of type string. Received undefined".into()
        )
    );
    for bad in ["P-999", "secp256r1", "p-256", "PRIME256V1"] {
        let o = KeyPairOptions {
            named_curve: Some(bad.into()),
            ..KeyPairOptions::default()
        };
        assert_eq!(
            err(crypto::generate_key_pair_sync("ec", &o)),
            ("ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name".into())
        );
    }
    let o = KeyPairOptions {
        modulus_length: Some(256),
        ..KeyPairOptions::default()
    };
    assert_eq!(
        err(crypto::generate_key_pair_sync("rsa", &o)),
        (
            "Error",
            "error:1C8000AB:Provider routines::key size too small".into()
        )
    );
}

#[test]
fn sign_and_verify_errors_as_in_node() {
    let ed = pair("ed25519", None);
    let ec = pair("ec", Some("P-256"));
    let x = pair("x25519", None);
    let o = SignOptions::default();
    assert_eq!(
        err(crypto::sign(Some("sha256"), b"x", &ed.private_key, &o)),
        (
            "ERR_OSSL_INVALID_DIGEST",
            "error:1C80007A:Provider routines::invalid digest".into()
        )
    );
    assert_eq!(
        err(crypto::sign(Some("nope"), b"x", &ec.private_key, &o)),
        ("ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: nope".into())
    );
    assert_eq!(
        err(crypto::sign(None, b"x", &ed.public_key, &o)),
        (
            "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
            "Invalid key object type public, expected private.".into()
        )
    );
    assert_eq!(
        err(crypto::verify(
            Some("sha256"),
            b"x",
            &crypto::create_secret_key(b"a"),
            b"sig",
            &o
        )),
        (
            "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE",
            "Invalid key object type secret, expected private or public.".into()
        )
    );
    assert_eq!(
        err(crypto::sign(None, b"x", &x.private_key, &o)).0,
        "ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE"
    );
    assert_eq!(
        err(crypto::create_sign("nope")),
        ("ERR_CRYPTO_INVALID_DIGEST", "Invalid digest".into())
    );
    assert_eq!(
        err(crypto::create_sign("sha256")
            .unwrap()
            .update("x")
            .sign(&ed.private_key, &o)),
        (
            "ERR_CRYPTO_UNSUPPORTED_OPERATION",
            "Unsupported crypto operation".into()
        )
    );
    assert_eq!(
        err(DsaEncoding::from_name("foo")),
        (
            "ERR_INVALID_ARG_VALUE",
            "The property 'options.dsaEncoding' is invalid. Received 'foo'".into()
        )
    );
    // Malformed signatures are `false`, not errors.
    assert!(!crypto::verify(Some("sha256"), b"x", &ec.public_key, [0, 17], &o).unwrap());
    assert!(!crypto::verify(None, b"x", &ed.public_key, [], &o).unwrap());
    // Sizes: DER ECDSA up to 72 bytes, P1363 exactly 64; verify with a private key works.
    let p1363 = SignOptions {
        dsa_encoding: DsaEncoding::IeeeP1363,
        ..o
    };
    let sig = crypto::sign(Some("sha256"), b"x", &ec.private_key, &p1363).unwrap();
    assert_eq!(sig.len(), 64);
    assert!(crypto::verify(Some("sha256"), b"x", &ec.private_key, &sig, &p1363).unwrap());
    let rsa = pair("rsa", None);
    let bad_padding = SignOptions {
        padding: Some(3),
        ..o
    };
    assert_eq!(
        err(crypto::sign(
            Some("sha256"),
            b"x",
            &rsa.private_key,
            &bad_padding
        ))
        .0,
        "ERR_OSSL_INVALID_PADDING_MODE"
    );
    let pss = SignOptions {
        padding: Some(crypto::RSA_PKCS1_PSS_PADDING),
        salt_length: Some(1000),
        ..o
    };
    assert_eq!(
        err(crypto::sign(Some("sha256"), b"x", &rsa.private_key, &pss)).0,
        "ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE"
    );
    let pss = SignOptions {
        padding: Some(crypto::RSA_PKCS1_PSS_PADDING),
        salt_length: Some(5),
        ..o
    };
    let sig = crypto::sign(Some("sha256"), b"x", &rsa.private_key, &pss).unwrap();
    let auto = SignOptions {
        padding: Some(crypto::RSA_PKCS1_PSS_PADDING),
        ..o
    };
    assert!(crypto::verify(Some("sha256"), b"x", &rsa.public_key, &sig, &auto).unwrap());
    let wrong_salt = SignOptions {
        salt_length: Some(4),
        ..pss
    };
    assert!(!crypto::verify(Some("sha256"), b"x", &rsa.public_key, &sig, &wrong_salt).unwrap());
}

#[test]
fn key_agreement_errors_as_in_node() {
    let ec = pair("ec", Some("P-256"));
    let ec384 = pair("ec", Some("P-384"));
    let ed = pair("ed25519", None);
    let x = pair("x25519", None);
    assert_eq!(
        err(crypto::diffie_hellman(&ec.private_key, &ed.public_key)),
        (
            "ERR_CRYPTO_INCOMPATIBLE_KEY",
            "Incompatible key types for Diffie-Hellman: ec and ed25519".into()
        )
    );
    assert_eq!(
        err(crypto::diffie_hellman(&ed.private_key, &ed.public_key)),
        (
            "ERR_CRYPTO_INCOMPATIBLE_KEY",
            "Incompatible key types for Diffie-Hellman: ed25519 and ed25519".into()
        )
    );
    assert_eq!(
        err(crypto::diffie_hellman(&ec.public_key, &ec.public_key)).0,
        "ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE"
    );
    assert_eq!(
        err(crypto::diffie_hellman(&ec.private_key, &ec384.public_key)),
        (
            "ERR_OSSL_MISMATCHING_DOMAIN_PARAMETERS",
            "error:1C8000CB:Provider routines::mismatching domain parameters".into()
        )
    );
    let mut zero = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00,
    ];
    zero.extend([0u8; 32]);
    let zero = crypto::create_public_key(KeyInput::Der(&zero, KeyEncoding::Spki)).unwrap();
    assert_eq!(
        err(crypto::diffie_hellman(&x.private_key, &zero)),
        (
            "ERR_OSSL_FAILED_DURING_DERIVATION",
            "error:1C8000A4:Provider routines::failed during derivation".into()
        )
    );

    assert_eq!(
        err(crypto::create_ecdh("P-256")),
        ("ERR_CRYPTO_INVALID_CURVE", "Invalid EC curve name".into())
    );
    let mut e = crypto::create_ecdh("prime256v1").unwrap();
    assert_eq!(
        err(e.get_public_key(PointFormat::Uncompressed)),
        (
            "ERR_CRYPTO_OPERATION_FAILED",
            "Failed to get ECDH public key".into()
        )
    );
    assert_eq!(
        err(e.get_private_key()),
        (
            "ERR_CRYPTO_OPERATION_FAILED",
            "Failed to get ECDH private key".into()
        )
    );
    e.generate_keys(PointFormat::Uncompressed).unwrap();
    assert_eq!(
        err(e.compute_secret([0, 17])),
        (
            "ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY",
            "Public key is not valid for specified curve".into()
        )
    );
    for bad in [vec![0u8; 32], vec![255; 32], vec![1; 40]] {
        assert_eq!(
            err(e.set_private_key(&bad)),
            (
                "ERR_CRYPTO_INVALID_KEYTYPE",
                "Private key is not valid for specified curve.".into()
            )
        );
    }
    e.set_private_key([1]).unwrap();
    assert_eq!(e.get_private_key().unwrap(), [1]);
    assert_eq!(e.get_public_key(PointFormat::Compressed).unwrap().len(), 33);
    // The generator's y is odd (node: 7).
    assert_eq!(e.get_public_key(PointFormat::Hybrid).unwrap()[0], 7);
    assert_eq!(
        err(PointFormat::from_name("foo")),
        (
            "ERR_CRYPTO_ECDH_INVALID_FORMAT",
            "Invalid ECDH format: foo".into()
        )
    );
}

#[test]
fn generate_key_pair_on_the_pool() {
    let got = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let g = std::rc::Rc::clone(&got);
    nodestd_loop::run(move || {
        let g1 = std::rc::Rc::clone(&g);
        crypto::callback::generate_key_pair("x25519", &KeyPairOptions::default(), move |r| {
            g1.borrow_mut()
                .push(r.unwrap().private_key.type_().as_str());
        })
        .unwrap();
        let e = crypto::callback::generate_key_pair("foo", &KeyPairOptions::default(), |_| {
            panic!("callback ran")
        })
        .unwrap_err();
        assert_eq!(e.code(), Some("ERR_INVALID_ARG_VALUE"));
        let p = crypto::promises::generate_key_pair(
            "ec",
            &KeyPairOptions {
                named_curve: Some("P-384".into()),
                ..KeyPairOptions::default()
            },
        );
        nodestd_loop::spawn_local(async move {
            let pair = p.await.unwrap();
            g.borrow_mut()
                .push(pair.public_key.named_curve().unwrap().name());
        });
    });
    let mut got = got.borrow().clone();
    got.sort();
    assert_eq!(got, ["private", "secp384r1"]);
}

/// An EC private key keeps the public point written beside its scalar, as OpenSSL does (not
/// checked against it): a PKCS#8 whose point belongs to another key exports that point in
/// every form; a point off the curve is refused. Found by the `key_import` fuzz target (a JWK
/// with a point not of `d`, whose PKCS#8 re-imported with another point). Bytes from node
/// v20.20.2.
#[test]
fn ec_private_keys_keep_the_point_they_were_given() {
    let unhex = |s: &str| crypto::Encoding::Hex.encode(s);
    let pkcs8 = unhex(
        "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b02010104202220633ee211ab\
         a4e32b069db0a73230c0f0a9bd110dac5815fcc16a8e46191fa144034200046849bb11909428fef8a541ff\
         9213949da460505701dc293f189adf8dc0ae32f4f1a79d6ea4d6ed3070c747845d642d93f90d59d83bf516\
         e344108b438d6c98fd",
    );
    let k = crypto::create_private_key(KeyInput::Der(&pkcs8, KeyEncoding::Pkcs8)).unwrap();
    let spki = crypto::Encoding::Hex.decode(
        &k.public_key()
            .unwrap()
            .export_der(KeyEncoding::Spki)
            .unwrap(),
    );
    assert_eq!(
        spki,
        "3059301306072a8648ce3d020106082a8648ce3d030107034200046849bb11909428fef8a541ff92139\
         49da460505701dc293f189adf8dc0ae32f4f1a79d6ea4d6ed3070c747845d642d93f90d59d83bf516e344\
         108b438d6c98fd"
    );
    assert_eq!(k.export_der(KeyEncoding::Pkcs8).unwrap(), pkcs8);
    assert_eq!(
        crypto::Encoding::Hex.decode(&k.export_der(KeyEncoding::Sec1).unwrap()),
        "307702010104202220633ee211aba4e32b069db0a73230c0f0a9bd110dac5815fcc16a8e46191fa00a0608\
         2a8648ce3d030107a144034200046849bb11909428fef8a541ff9213949da460505701dc293f189adf8dc0\
         ae32f4f1a79d6ea4d6ed3070c747845d642d93f90d59d83bf516e344108b438d6c98fd"
    );
    assert_eq!(
        k.export_jwk().to_json(),
        r#"{"kty":"EC","x":"aEm7EZCUKP74pUH_khOUnaRgUFcB3Ck_GJrfjcCuMvQ","y":"8aedbqTW7TBwx0eEXWQtk_kNWdg79RbjRBCLQ41smP0","crv":"P-256","d":"IiBjPuIRq6TjKwadsKcyMMDwqb0RDaxYFfzBao5GGR8"}"#
    );
    let pem = k.export_pem(KeyEncoding::Pkcs8).unwrap();
    let from_pem = crypto::create_public_key(pem.as_str()).unwrap();
    assert!(from_pem.equals(&k.public_key().unwrap()));
    // The last byte of the point flipped: off the curve.
    let mut bad = pkcs8.clone();
    *bad.last_mut().unwrap() ^= 1;
    let want = (
        "ERR_OSSL_UNSUPPORTED",
        "error:1E08010C:DECODER routines::unsupported".to_string(),
    );
    assert_eq!(
        err(crypto::create_private_key(KeyInput::Der(
            &bad,
            KeyEncoding::Pkcs8
        ))),
        want
    );
    assert_eq!(
        err(crypto::create_public_key(KeyInput::Der(
            &bad,
            KeyEncoding::Pkcs8
        ))),
        want
    );
}
