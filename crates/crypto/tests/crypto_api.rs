//! Node's quirks, pinned: every expected value and message below was printed by node v20.20.2
//! (`node -e`), for the object state machines (Hash, Hmac, Cipheriv, Decipheriv), output
//! chunking, encodings, name resolution and argument errors.

use nodestd_crypto::*;

fn code(e: Error) -> (Option<&'static str>, String) {
    (e.code(), e.message().to_owned())
}

fn hex(s: &str) -> Vec<u8> {
    Encoding::Hex.encode(s)
}

#[test]
fn hash_state_machine() {
    let mut h = create_hash("sha256").unwrap();
    h.digest().unwrap();
    for e in [
        h.digest().unwrap_err(),
        h.update("a").unwrap_err(),
        h.copy().unwrap_err(),
    ] {
        assert_eq!(
            code(e),
            (
                Some("ERR_CRYPTO_HASH_FINALIZED"),
                "Digest already called".into()
            )
        );
    }
    let err = create_hash("sha256")
        .unwrap()
        .update_str("abc", Encoding::Hex)
        .unwrap_err();
    assert_eq!(err.code(), Some("ERR_INVALID_ARG_VALUE"));
    assert_eq!(
        err.message(),
        "The argument 'encoding' is invalid for data of length 3. Received 'hex'"
    );
    // copy keeps the state; a SHAKE copy may change its length.
    let h = create_hash_with(
        "shake128",
        HashOptions {
            output_length: Some(4),
        },
    )
    .unwrap();
    let eight = HashOptions {
        output_length: Some(8),
    };
    assert_eq!(
        h.copy_with(eight)
            .unwrap()
            .digest_to(Encoding::Hex)
            .unwrap(),
        "7f9c2ba4e88f827d"
    );
    assert_eq!(
        h.copy().unwrap().digest_to(Encoding::Hex).unwrap(),
        "7f9c2ba4"
    );
}

#[test]
fn hash_names_and_lengths() {
    let abc = |name: &str| hash_to(name, "abc", Encoding::Hex).map_err(code);
    let sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    for name in [
        "SHA256",
        "Sha-256",
        "SHA2-256",
        "rsa-sha256",
        "2.16.840.1.101.3.4.2.1",
        "sha256\0x",
        "SHA256WITHRSAENCRYPTION",
    ] {
        assert_eq!(abc(name).unwrap(), sha256, "{name}");
    }
    for name in [
        "sha512/256",
        "sha3_256",
        "id-sha256",
        " sha256",
        "",
        "sha0",
        "SHA512/224",
        "KECCAK-256",
    ] {
        assert_eq!(
            abc(name).unwrap_err(),
            (None, "Digest method not supported".into()),
            "{name}"
        );
    }
    assert_eq!(abc("md4").unwrap_err().0, Some("ERR_OSSL_EVP_UNSUPPORTED"));
    assert_eq!(&abc("sha-512/256").unwrap()[..8], "53048e26");
    assert_eq!(
        abc("md5-sha1").unwrap(),
        "900150983cd24fb0d6963f7d28e17f72a9993e364706816aba3e25717850c26c9cd0d89d"
    );
    assert_eq!(&abc("BLAKE2s256").unwrap()[..8], "508c5e8c");
    assert_eq!(&abc("RSA-SM3").unwrap()[..8], "66c7f0f4");
    assert_eq!(&abc("RMD160").unwrap()[..8], "8eb208f7");
    // outputLength: any for a SHAKE, only its own length otherwise.
    let len = |alg: &str, n: usize| {
        create_hash_with(
            alg,
            HashOptions {
                output_length: Some(n),
            },
        )
        .and_then(|mut h| h.update("abc")?.digest_to(Encoding::Hex))
        .map_err(code)
    };
    assert_eq!(len("shake256", 0).unwrap(), "");
    assert_eq!(len("sha256", 32).unwrap(), sha256);
    assert_eq!(
        len("sha256", 16).unwrap_err(),
        (
            Some("ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH"),
            "error:030000B2:digital envelope routines::not XOF or invalid length".into()
        )
    );
    assert_eq!(get_hashes().len(), 52);
}

#[test]
fn digest_encodings() {
    let md5 = |e| hash_to("md5", "abc", e).unwrap();
    assert_eq!(
        md5(Encoding::Utf16Le),
        "\u{190}\u{9850}\u{d23c}\u{b04f}\u{96d6}\u{7d3f}\u{e128}\u{727f}"
    );
    assert_eq!(
        md5(Encoding::Ascii),
        "\u{10}\u{1}P\u{18}<RO0V\u{16}?}(a\u{7f}r"
    );
    assert_eq!(
        md5(Encoding::Utf8),
        "\u{fffd}\u{1}P\u{fffd}<\u{fffd}O\u{fffd}\u{596}?}(\u{fffd}\u{7f}r"
    );
    assert_eq!(
        hash_to("sha1", "hello", Encoding::Latin1).unwrap(),
        "ªôÆ\u{1d}ÜÅè¢Ú¾Þ\u{f};H,Ù®©CM"
    );
    for (name, enc) in [
        ("UCS-2", Encoding::Utf16Le),
        ("Latin1", Encoding::Latin1),
        ("BASE64URL", Encoding::Base64Url),
        ("utf-8", Encoding::Utf8),
    ] {
        assert_eq!(Encoding::parse(name), Some(enc));
    }
    assert_eq!(Encoding::parse("buffer"), None);
}

#[test]
fn string_decoding_is_nodes() {
    let cases: &[(&str, Encoding, &str)] = &[
        ("abzz12", Encoding::Hex, "ab"),
        ("0g12", Encoding::Hex, ""),
        ("ABCD", Encoding::Hex, "abcd"),
        ("YWJ", Encoding::Base64, "6162"),
        ("Y", Encoding::Base64, ""),
        ("YW=Jj", Encoding::Base64, "61"),
        ("YWJj=ZA", Encoding::Base64Url, "616263"),
        ("-_-_", Encoding::Base64, "fbffbf"),
        ("+/+/", Encoding::Base64Url, "fbffbf"),
        ("!!YWJj", Encoding::Base64, "616263"),
        ("YWJj\nZA", Encoding::Base64, "61626364"),
        ("=YWJj", Encoding::Base64, ""),
        ("é😀", Encoding::Latin1, "e93d00"),
        ("é😀", Encoding::Ascii, "e93d00"),
        ("é😀", Encoding::Utf16Le, "e9003dd800de"),
    ];
    for (input, enc, want) in cases {
        assert_eq!(
            Encoding::Hex.decode(&enc.encode(input)),
            *want,
            "{input:?} {enc:?}"
        );
    }
}

#[test]
fn hmac_quirks() {
    let mut h = create_hmac("sha256", "k").unwrap();
    h.digest();
    assert_eq!(h.digest_to(Encoding::Hex), "");
    assert_eq!(
        h.update("a").unwrap_err().code(),
        Some("ERR_CRYPTO_HASH_FINALIZED")
    );
    assert_eq!(
        code(create_hmac("sha0", "k").unwrap_err()),
        (
            Some("ERR_CRYPTO_INVALID_DIGEST"),
            "Invalid digest: sha0".into()
        )
    );
    let shake = create_hmac("shake128", "k").unwrap_err();
    assert_eq!((shake.code(), shake.code_or_name()), (None, "Error"));
    assert_eq!(
        create_hmac("md4", "k").unwrap_err().code(),
        Some("ERR_OSSL_EVP_UNSUPPORTED")
    );
    let mac = |alg: &str| {
        create_hmac(alg, "k")
            .unwrap()
            .update("abc")
            .unwrap()
            .digest_to(Encoding::Hex)
    };
    assert_eq!(
        mac("md5-sha1"),
        "97cfbb1d0da23504b735e2eef8d66b6e3dbc979d1772d6058e8c63b9950eb9227f472173"
    );
    assert_eq!(&mac("blake2b512")[..16], "a6c4696af085dfa9");
    assert_eq!(&mac("RSA-SHA256")[..8], "342e519c");
}

fn cbc(encrypt: bool, pad: bool, pieces: &[&[u8]]) -> Vec<usize> {
    let (key, iv) = ([1u8; 16], [3u8; 16]);
    let mut lens = Vec::new();
    if encrypt {
        let mut c =
            create_cipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
        c.set_auto_padding(pad).unwrap();
        lens.extend(pieces.iter().map(|p| c.update(p).unwrap().len()));
        lens.push(c.finalize().unwrap().len());
    } else {
        let mut d =
            create_decipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
        d.set_auto_padding(pad).unwrap();
        lens.extend(pieces.iter().map(|p| d.update(p).unwrap().len()));
        lens.push(d.finalize().unwrap().len());
    }
    lens
}

#[test]
fn cbc_output_chunking() {
    assert_eq!(
        cbc(true, true, &[&[0; 5], &[0; 11], &[0; 20]]),
        [0, 16, 16, 16]
    );
    let mut c = create_cipheriv(
        "aes-128-cbc",
        [1u8; 16],
        Some(&[3u8; 16]),
        CipherOptions::default(),
    )
    .unwrap();
    let mut ct = c.update([0u8; 40]).unwrap();
    ct.extend(c.finalize().unwrap());
    let pieces = [&ct[..16], &ct[16..20], &ct[20..32], &ct[32..]];
    assert_eq!(cbc(false, true, &pieces), [0, 16, 0, 16, 8]);
    assert_eq!(cbc(false, false, &pieces), [16, 0, 16, 16, 0]);
    let mut d = create_decipheriv(
        "aes-128-cbc",
        [1u8; 16],
        Some(&[3u8; 16]),
        CipherOptions::default(),
    )
    .unwrap();
    assert_eq!(
        code(d.finalize().unwrap_err()),
        (
            Some("ERR_OSSL_WRONG_FINAL_BLOCK_LENGTH"),
            "error:1C80006B:Provider routines::wrong final block length".into()
        )
    );
    assert_eq!(cbc(false, false, &[]), [0]);
    assert_eq!(cbc(true, false, &[]), [0]);
}

#[test]
fn cbc_padding_errors() {
    let (key, iv) = ([0u8; 16], [0u8; 16]);
    for last in [0u8, 17] {
        let mut c =
            create_cipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
        c.set_auto_padding(false).unwrap();
        let ct = c.update([last; 16]).unwrap();
        let mut d =
            create_decipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
        assert!(d.update(&ct).unwrap().is_empty());
        assert_eq!(
            code(d.finalize().unwrap_err()),
            (
                Some("ERR_OSSL_BAD_DECRYPT"),
                "error:1C800064:Provider routines::bad decrypt".into()
            )
        );
        // After a failed final, the object is finished.
        assert_eq!(
            code(d.update(&ct).unwrap_err()),
            (None, "Trying to add data in unsupported state".into())
        );
    }
    // A block of 16 sixteens is a whole padding block: empty plaintext.
    let mut c = create_cipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
    c.set_auto_padding(false).unwrap();
    let ct = c.update([16u8; 16]).unwrap();
    let mut d = create_decipheriv("aes-128-cbc", key, Some(&iv), CipherOptions::default()).unwrap();
    d.update(&ct).unwrap();
    assert!(d.finalize().unwrap().is_empty());
    // Padding switched back on before final pads as usual.
    let mut c = create_cipheriv(
        "aes-128-cbc",
        [0u8; 16],
        Some(&[0u8; 16]),
        CipherOptions::default(),
    )
    .unwrap();
    c.set_auto_padding(false).unwrap();
    c.update("abc").unwrap();
    c.set_auto_padding(true).unwrap();
    assert_eq!(
        c.finalize().unwrap(),
        hex("976a995f94cf4c1e24b6e2fb067e7a69")
    );
}

#[test]
fn cipher_state_errors() {
    let opts = CipherOptions::default();
    let (k16, iv12, iv16) = ([1u8; 16], [4u8; 12], [3u8; 16]);
    let mut c = create_cipheriv("aes-128-cbc", k16, Some(&iv16), opts).unwrap();
    c.finalize().unwrap();
    assert_eq!(
        code(c.finalize().unwrap_err()),
        (Some("ERR_CRYPTO_INVALID_STATE"), "Invalid state".into())
    );
    assert_eq!(
        code(c.set_auto_padding(false).unwrap_err()),
        (
            Some("ERR_CRYPTO_INVALID_STATE"),
            "Invalid state for operation setAutoPadding".into()
        )
    );
    assert_eq!(
        c.get_auth_tag().unwrap_err().message(),
        "Invalid state for operation getAuthTag"
    );
    let mut c = create_cipheriv("aes-128-cbc", k16, Some(&iv16), opts).unwrap();
    assert_eq!(
        c.set_aad([]).unwrap_err().message(),
        "Invalid state for operation setAAD"
    );
    let mut g = create_cipheriv("aes-128-gcm", k16, Some(&iv12), opts).unwrap();
    assert_eq!(
        g.get_auth_tag().unwrap_err().code(),
        Some("ERR_CRYPTO_INVALID_STATE")
    );
    g.set_aad("x").unwrap().set_aad("y").unwrap();
    g.update("abc").unwrap();
    assert_eq!(
        g.set_aad("z").unwrap_err().code(),
        Some("ERR_CRYPTO_INVALID_STATE")
    );
    g.set_aad("").unwrap();
    g.finalize().unwrap();
    // AAD in two pieces is the same AAD.
    assert_eq!(
        g.get_auth_tag().unwrap(),
        hex("a6595646c2ba8a2b0c6d40122464a12f")
    );
    assert_eq!(
        g.get_auth_tag().unwrap(),
        hex("a6595646c2ba8a2b0c6d40122464a12f")
    );
    // ChaCha20-Poly1305 takes AAD after text, as OpenSSL does.
    let mut c = create_cipheriv("chacha20-poly1305", [2u8; 32], Some(&iv12), opts).unwrap();
    c.update("abc").unwrap();
    c.set_aad("x").unwrap();
    c.finalize().unwrap();
    assert_eq!(
        c.get_auth_tag().unwrap(),
        hex("6b7526467c3a73a0b847452b094f10e3")
    );
}

#[test]
fn cipher_creation_errors() {
    let make = |alg: &str, key: &[u8], iv: Option<&[u8]>, tag: Option<usize>| {
        create_cipheriv(
            alg,
            key,
            iv,
            CipherOptions {
                auth_tag_length: tag,
            },
        )
        .map(|_| ())
        .map_err(|e| e.code().unwrap_or("Error"))
    };
    let (k16, k32) = ([0u8; 16], [0u8; 32]);
    assert_eq!(
        make("aes-512-gcm", &k16, Some(&[0; 12]), None),
        Err("ERR_CRYPTO_UNKNOWN_CIPHER")
    );
    assert_eq!(
        make("aes-128-cbc", &k16, None, None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    assert_eq!(
        make("aes-128-cbc", &k16, Some(&[]), None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    assert_eq!(
        make("aes-128-ctr", &k16, Some(&[0; 8]), None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    assert_eq!(make("aes-128-gcm", &k16, Some(&[0; 128]), None), Ok(()));
    assert_eq!(
        make("aes-128-gcm", &k16, Some(&[0; 129]), None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    assert_eq!(make("aes-128-gcm", &k16, Some(&[0; 1]), None), Ok(()));
    assert_eq!(
        make("chacha20-poly1305", &k32, Some(&[0; 8]), None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    // Node's order: IV, then tag length, then key length.
    assert_eq!(
        make("aes-128-cbc", &[0; 3], Some(&[0; 3]), None),
        Err("ERR_CRYPTO_INVALID_IV")
    );
    assert_eq!(
        make("aes-128-gcm", &[0; 3], Some(&[0; 12]), Some(3)),
        Err("ERR_CRYPTO_INVALID_AUTH_TAG")
    );
    assert_eq!(
        make("chacha20-poly1305", &[0; 3], Some(&[0; 12]), None),
        Err("ERR_CRYPTO_INVALID_KEYLEN")
    );
    for n in [0, 1, 3, 5, 17] {
        assert_eq!(
            make("aes-128-gcm", &k16, Some(&[0; 12]), Some(n)),
            Err("ERR_CRYPTO_INVALID_AUTH_TAG")
        );
    }
    for n in [4, 8, 12, 13, 16] {
        assert_eq!(make("aes-128-gcm", &k16, Some(&[0; 12]), Some(n)), Ok(()));
    }
    assert_eq!(
        make("chacha20-poly1305", &k32, Some(&[0; 12]), Some(0)),
        Err("ERR_CRYPTO_INVALID_AUTH_TAG")
    );
    assert_eq!(
        make("chacha20-poly1305", &k32, Some(&[0; 12]), Some(1)),
        Ok(())
    );
    // authTagLength is ignored by the other ciphers; names are OpenSSL's.
    assert_eq!(make("AES128", &k16, Some(&[0; 16]), Some(99)), Ok(()));
    assert_eq!(
        make("id-aes256-GCM", &k16, Some(&[0; 12]), None),
        Err("ERR_CRYPTO_INVALID_KEYLEN")
    );
    assert_eq!(make("aes-128-cbc\0x", &k16, Some(&[0; 16]), None), Ok(()));
    // chacha20-poly1305 with an 8-byte tag.
    let opts = CipherOptions {
        auth_tag_length: Some(8),
    };
    let mut c = create_cipheriv("chacha20-poly1305", [2u8; 32], Some(&[4u8; 12]), opts).unwrap();
    let ct = c.update("hello world").unwrap();
    c.finalize().unwrap();
    let tag = c.get_auth_tag().unwrap();
    assert_eq!(tag, hex("81da04dc14ce22bd"));
    let mut d = create_decipheriv(
        "chacha20-poly1305",
        [2u8; 32],
        Some(&[4u8; 12]),
        CipherOptions::default(),
    )
    .unwrap();
    assert_eq!(
        code(d.set_auth_tag(&tag).unwrap_err()),
        (
            Some("ERR_CRYPTO_INVALID_AUTH_TAG"),
            "Invalid authentication tag length: 8".into()
        )
    );
    let mut d = create_decipheriv("chacha20-poly1305", [2u8; 32], Some(&[4u8; 12]), opts).unwrap();
    d.set_auth_tag(&tag).unwrap();
    assert_eq!(d.update(&ct).unwrap(), b"hello world");
    d.finalize().unwrap();
}

#[test]
fn gcm_auth_tags() {
    let (key, iv) = ([1u8; 16], [4u8; 12]);
    let mut c = create_cipheriv("aes-128-gcm", key, Some(&iv), CipherOptions::default()).unwrap();
    let ct = c.update("hello world").unwrap();
    c.finalize().unwrap();
    let tag = c.get_auth_tag().unwrap();
    let open = |t: &[u8], opts: CipherOptions| {
        let mut d = create_decipheriv("aes-128-gcm", key, Some(&iv), opts)?;
        d.set_auth_tag(t)?;
        let mut out = d.update(&ct)?;
        out.extend(d.finalize()?);
        Ok::<_, Error>(out)
    };
    for n in [4, 8, 12, 13, 16] {
        assert_eq!(
            open(&tag[..n], CipherOptions::default()).unwrap(),
            b"hello world"
        );
    }
    for n in [0, 1, 5] {
        assert_eq!(
            code(open(&tag[..n], CipherOptions::default()).unwrap_err()),
            (
                Some("ERR_CRYPTO_INVALID_AUTH_TAG"),
                format!("Invalid authentication tag length: {n}")
            )
        );
    }
    let sixteen = CipherOptions {
        auth_tag_length: Some(16),
    };
    assert_eq!(
        open(&tag[..8], sixteen).unwrap_err().code(),
        Some("ERR_CRYPTO_INVALID_AUTH_TAG")
    );
    // The tag may come after the data; without one, final fails.
    let mut d = create_decipheriv("aes-128-gcm", key, Some(&iv), CipherOptions::default()).unwrap();
    assert_eq!(d.update(&ct).unwrap(), b"hello world");
    d.set_auth_tag(&tag).unwrap();
    assert_eq!(
        d.set_auth_tag(&tag).unwrap_err().message(),
        "Invalid state for operation setAuthTag"
    );
    d.finalize().unwrap();
    let mut d = create_decipheriv("aes-128-gcm", key, Some(&iv), CipherOptions::default()).unwrap();
    d.update(&ct).unwrap();
    let err = d.finalize().unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (None, "Unsupported state or unable to authenticate data")
    );
    assert_eq!(
        d.finalize().unwrap_err().code(),
        Some("ERR_CRYPTO_INVALID_STATE")
    );
    assert_eq!(
        d.set_auth_tag(&tag).unwrap_err().code(),
        Some("ERR_CRYPTO_INVALID_STATE")
    );
    // Counter wrap: the 128-bit CTR counter carries through all bytes.
    let mut c = create_cipheriv(
        "aes-128-ctr",
        [1u8; 16],
        Some(&[0xff; 16]),
        CipherOptions::default(),
    )
    .unwrap();
    assert_eq!(
        c.update([0u8; 32]).unwrap(),
        hex("6ad77cdab9adb3bfed21ef94210e121eb6aeaffa752dc08b51639731761aed00")
    );
    let mut c = create_cipheriv(
        "aes-128-gcm",
        [0u8; 16],
        Some(&[1u8; 127]),
        CipherOptions::default(),
    )
    .unwrap();
    c.update("abc").unwrap();
    c.finalize().unwrap();
    assert_eq!(
        c.get_auth_tag().unwrap(),
        hex("60682b7aa2c1ceb14c9c6a5f6e65e3cb")
    );
}

#[test]
fn kdf_errors() {
    let err = |r: Result<Vec<u8>, Error>| code(r.unwrap_err());
    assert_eq!(
        err(pbkdf2_sync("p", "s", 0, 8, "sha1")),
        (
            Some("ERR_OUT_OF_RANGE"),
            "The value of \"iterations\" is out of range. It must be >= 1 && <= 2147483647. Received 0".into()
        )
    );
    assert_eq!(
        err(pbkdf2_sync("p", "s", 1 << 31, 8, "sha1")).1,
        "The value of \"iterations\" is out of range. It must be >= 1 && <= 2147483647. Received 2147483648"
    );
    assert_eq!(
        err(pbkdf2_sync("p", "s", 1, 8, "nope")).0,
        Some("ERR_CRYPTO_INVALID_DIGEST")
    );
    assert_eq!(
        err(pbkdf2_sync("p", "s", 2, 8, "shake128")),
        (None, "Deriving bits failed".into())
    );
    assert_eq!(
        err(pbkdf2_sync("p", "s", 2, 8, "md4")),
        (
            None,
            "error:0308010C:digital envelope routines::unsupported".into()
        )
    );
    assert_eq!(
        pbkdf2_sync("p", "s", 2, 8, "RSA-SHA256").unwrap(),
        hex("1998f3d3f22119b7")
    );
    assert_eq!(
        hkdf_sync("sha256", "k", "s", "i", 255 * 32).unwrap().len(),
        8160
    );
    assert_eq!(
        err(hkdf_sync("sha256", "k", "s", "i", 255 * 32 + 1)).0,
        Some("ERR_CRYPTO_INVALID_KEYLEN")
    );
    assert_eq!(
        err(hkdf_sync("sha256", "k", "s", [0u8; 1025], 4)).1,
        "The value of \"info\" is out of range. It must be must not contain more than 1024 bytes. Received 1025"
    );
    assert_eq!(
        hkdf_sync("sha256", "k", "s", [0u8; 1024], 4).unwrap(),
        hex("54e60b44")
    );
    assert_eq!(
        hkdf_sync("sha256", "", "s", "i", 4).unwrap(),
        hex("e7ee38c8")
    );
    assert_eq!(
        err(hkdf_sync("shake256", "k", "s", "i", 4)),
        (None, "Deriving bits failed".into())
    );
    assert_eq!(
        err(hkdf_sync("md4", "k", "s", "i", 5100)).0,
        Some("ERR_CRYPTO_INVALID_KEYLEN")
    );
}

#[test]
fn scrypt_parameters() {
    let run = |n: u32, r: u32, p: u32, maxmem: Option<u64>| {
        let opts = ScryptOptions {
            n: Some(n),
            r: Some(r),
            p: Some(p),
            maxmem,
            ..Default::default()
        };
        scrypt_sync("p", "s", 8, &opts).map_err(code)
    };
    let memory =
        "Invalid scrypt params: error:030000AC:digital envelope routines::memory limit exceeded";
    assert_eq!(
        run(1, 1, 1, None).unwrap_err(),
        (
            Some("ERR_CRYPTO_INVALID_SCRYPT_PARAMS"),
            "Invalid scrypt params".into()
        )
    );
    assert_eq!(
        run(3, 1, 1, None).unwrap_err().0,
        Some("ERR_CRYPTO_INVALID_SCRYPT_PARAMS")
    );
    assert_eq!(run(1 << 16, 1, 1, None).unwrap_err().1, memory);
    assert_eq!(run(1 << 15, 1, 1, None).unwrap(), hex("83737d5583af2ee0"));
    assert_eq!(run(16, 1 << 15, 1 << 15, None).unwrap_err().1, memory);
    assert_eq!(run(16, 1, 1 << 30, None).unwrap_err().1, memory);
    assert_eq!(
        run(16, 1, 1, Some(128 * 18 + 128)).unwrap(),
        hex("13a6893eaa50d093")
    );
    assert_eq!(run(16, 1, 1, Some(128 * 18 + 127)).unwrap_err().1, memory);
    assert_eq!(run(2, 1, 1, None).unwrap(), hex("48b0d2a8a3272611"));
    // Zero means the default; aliases may not be doubled.
    let zero = ScryptOptions {
        n: Some(0),
        r: Some(1),
        p: Some(1),
        ..Default::default()
    };
    assert_eq!(
        scrypt_sync("p", "s", 8, &zero).unwrap(),
        hex("1548ad086932a924")
    );
    let cost = ScryptOptions {
        cost: Some(16),
        r: Some(1),
        p: Some(1),
        ..Default::default()
    };
    assert_eq!(
        scrypt_sync("p", "s", 8, &cost).unwrap(),
        hex("13a6893eaa50d093")
    );
    let both = ScryptOptions {
        n: Some(16),
        cost: Some(16),
        ..Default::default()
    };
    assert_eq!(
        code(scrypt_sync("p", "s", 8, &both).unwrap_err()),
        (
            Some("ERR_CRYPTO_SCRYPT_INVALID_PARAMETER"),
            "Invalid scrypt parameter".into()
        )
    );
    let big = ScryptOptions {
        maxmem: Some(1 << 53),
        ..Default::default()
    };
    assert_eq!(
        code(scrypt_sync("p", "s", 8, &big).unwrap_err()).1,
        "The value of \"maxmem\" is out of range. It must be >= 0 && <= 9007199254740991. Received 9_007_199_254_740_992"
    );
    assert!(scrypt_sync("p", "s", 0, &cost).unwrap().is_empty());
}

#[test]
fn random_functions() {
    assert_eq!(
        code(random_int(5, 5).unwrap_err()),
        (
            Some("ERR_OUT_OF_RANGE"),
            "The value of \"max\" is out of range. It must be greater than the value of \"min\" (5). Received 5".into()
        )
    );
    assert_eq!(
        code(random_int(0, 1 << 48).unwrap_err()).1,
        "The value of \"max - min\" is out of range. It must be <= 281474976710655. Received 281_474_976_710_656"
    );
    assert_eq!(
        code(random_int(-(1 << 53), 0).unwrap_err()),
        (
            Some("ERR_INVALID_ARG_TYPE"),
            "The \"min\" argument must be a safe integer. Received type number (-9007199254740992)"
                .into()
        )
    );
    assert!(random_int(0, (1 << 48) - 1).is_ok());
    let mut seen = [false; 6];
    for _ in 0..600 {
        let n = random_int(-3, 3).unwrap();
        seen[(n + 3) as usize] = true;
    }
    assert!(seen.iter().all(|&s| s), "every value of -3..3 comes up");
    assert!((0..10).contains(&random_int_max(10).unwrap()));
    assert_eq!(
        code(random_bytes(1 << 31).unwrap_err()).1,
        "The value of \"size\" is out of range. It must be >= 0 && <= 2147483647. Received 2147483648"
    );
    assert_eq!(random_bytes(0).unwrap(), b"");
    let mut buf = [0u8; 4];
    assert_eq!(
        code(random_fill_sync_range(&mut buf, 5, None).unwrap_err()).1,
        "The value of \"offset\" is out of range. It must be >= 0 && <= 4. Received 5"
    );
    assert_eq!(
        code(random_fill_sync_range(&mut buf, 1, Some(4)).unwrap_err()).1,
        "The value of \"size + offset\" is out of range. It must be <= 4. Received 5"
    );
    assert_eq!(
        random_fill_sync_range(&mut buf, 1, Some(3)).unwrap().len(),
        4
    );
    let mut big = vec![0u8; 65537];
    let err = get_random_values(&mut big).unwrap_err();
    assert_eq!(
        (err.code_or_name(), err.message()),
        (
            "QuotaExceededError",
            "The requested length exceeds 65,536 bytes"
        )
    );
    assert!(get_random_values(&mut big[..65536]).is_ok());
    let id = random_uuid().unwrap();
    let parts: Vec<_> = id.split('-').map(str::len).collect();
    assert_eq!(parts, [8, 4, 4, 4, 12]);
    assert!(matches!(id.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
    assert_ne!(random_uuid().unwrap(), id);
}

#[test]
fn timing_safe_equal_lengths() {
    assert!(timing_safe_equal("", "").unwrap());
    assert!(!timing_safe_equal([1, 2], [1, 3]).unwrap());
    let err = timing_safe_equal("a", [1u8, 0]).unwrap_err();
    assert_eq!(
        (err.code(), err.name(), err.message()),
        (
            Some("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH"),
            ErrorName::RangeError,
            "Input buffers must have the same byte length"
        )
    );
    assert_eq!(
        err.to_string(),
        "RangeError [ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH]: Input buffers must have the same byte length"
    );
}
