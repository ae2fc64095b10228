//! Node v20 behaviours pinned with the values `node` gave (see the comments): error codes and
//! messages, multi-member gzip, padding, unzip's sniffing, option bounds, `params` and `reset`,
//! and zlib's window (distances too far back, which depend on `chunkSize`).

use nodestd_zlib::*;

fn b64(s: &str) -> Vec<u8> {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        acc = (acc << 6) | B64.iter().position(|&x| x == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn err(r: Result<Vec<u8>, Error>) -> (String, Option<i32>, String) {
    let e = r.unwrap_err();
    (e.code().to_owned(), e.errno(), e.message().to_owned())
}

fn none() -> Options {
    Options::default()
}

#[test]
fn corrupt_input_errors_read_like_node() {
    // node: zlib.inflateSync(Buffer.from('not compressed at all'))
    assert_eq!(
        err(inflate_sync(b"not compressed at all", &none())),
        (
            "Z_DATA_ERROR".into(),
            Some(-3),
            "incorrect header check".into()
        )
    );
    // node: zlib.inflateRawSync(Buffer.from('garbage!')) → invalid block type
    assert_eq!(
        err(inflate_raw_sync(b"garbage!", &none())),
        ("Z_DATA_ERROR".into(), Some(-3), "invalid block type".into())
    );
    // Truncated gzip: Z_BUF_ERROR "unexpected end of file".
    let gz = b64("H4sIAAAAAAAAA8tIzcnJV8jAIMvzi3JSkEkuABT3EGM=");
    assert_eq!(
        err(gunzip_sync(&gz, &none())),
        (
            "Z_BUF_ERROR".into(),
            Some(-5),
            "unexpected end of file".into()
        )
    );
    assert_eq!(
        err(brotli_decompress_sync(&[], &none())).2,
        "unexpected end of file"
    );
    // node: zlib.brotliDecompressSync(Buffer.from('zAeGWl0=', 'base64'))
    assert_eq!(
        err(brotli_decompress_sync(&b64("zAeGWl0="), &none())),
        (
            "ERR__ERROR_FORMAT_PADDING_1".into(),
            Some(-14),
            "Decompression failed".into()
        )
    );
}

#[test]
fn dictionaries() {
    let with = Options {
        dictionary: Some(b"hello world".to_vec()),
        ..none()
    };
    let packed = deflate_sync(b"hello hello hello world", &with).unwrap();
    assert_eq!(
        inflate_sync(&packed, &with).unwrap(),
        b"hello hello hello world"
    );
    assert_eq!(
        err(inflate_sync(&packed, &none())),
        ("Z_NEED_DICT".into(), Some(2), "Missing dictionary".into())
    );
    let wrong = Options {
        dictionary: Some(b"hello worle".to_vec()),
        ..none()
    };
    assert_eq!(err(inflate_sync(&packed, &wrong)).2, "Bad dictionary");
    // Node ignores a gzip dictionary.
    assert_eq!(gzip_sync(b"hello", &with), gzip_sync(b"hello", &none()));
}

#[test]
fn gzip_members_padding_and_garbage() {
    let ab = gzip_sync(b"ab", &none()).unwrap();
    let cd = gzip_sync(b"cd", &none()).unwrap();
    let z = deflate_sync(b"cd", &none()).unwrap();
    let cat = |parts: &[&[u8]]| parts.concat();
    assert_eq!(gunzip_sync(&cat(&[&ab, &cd]), &none()).unwrap(), b"abcd");
    // node: unzip(gzip('ab') + deflate('cd')) → 'abcd' (the reset keeps auto-detection).
    assert_eq!(unzip_sync(&cat(&[&ab, &z]), &none()).unwrap(), b"abcd");
    assert_eq!(
        gunzip_sync(&cat(&[&ab, &[0, 0, 0x1f, 0x8b]]), &none()).unwrap(),
        b"ab"
    );
    assert_eq!(
        err(gunzip_sync(&cat(&[&ab, &[0x1f]]), &none())).2,
        "unexpected end of file"
    );
    assert_eq!(
        err(gunzip_sync(&cat(&[&ab, b"xyz"]), &none())).2,
        "incorrect header check"
    );
    // inflate stops after its stream.
    assert_eq!(inflate_sync(&cat(&[&z, &z]), &none()).unwrap(), b"cd");
    for short in [&[][..], &[0x1f], &[0x1f, 0x8b], &[0x78]] {
        assert_eq!(err(unzip_sync(short, &none())).0, "Z_BUF_ERROR");
    }
}

#[test]
fn max_output_length_and_finish_flush() {
    let gz = gzip_sync(&[b'a'; 100], &none()).unwrap();
    let small = Options {
        max_output_length: Some(10),
        ..none()
    };
    assert_eq!(
        err(gunzip_sync(&gz, &small)),
        (
            "ERR_BUFFER_TOO_LARGE".into(),
            None,
            "Cannot create a Buffer larger than 10 bytes".into()
        )
    );
    let partial = Options {
        finish_flush: Some(constants::Z_SYNC_FLUSH),
        ..none()
    };
    let flushed = gzip_sync(b"hello", &partial).unwrap();
    assert_eq!(
        err(gunzip_sync(&flushed, &none())).2,
        "unexpected end of file"
    );
    assert_eq!(gunzip_sync(&flushed, &partial).unwrap(), b"hello");
}

#[test]
fn option_bounds() {
    let o = |f: fn(&mut Options)| {
        let mut o = none();
        f(&mut o);
        o
    };
    let e = Zlib::new(Mode::Gzip, &o(|o| o.chunk_size = Some(10))).unwrap_err();
    assert_eq!(
        e.message(),
        "The value of \"options.chunkSize\" is out of range. It must be >= 64. Received 10"
    );
    let e = Zlib::new(Mode::BrotliEncode, &o(|o| o.finish_flush = Some(4))).unwrap_err();
    assert_eq!(
        e.message(),
        "The value of \"options.finishFlush\" is out of range. It must be >= 0 and <= 3. Received 4"
    );
    // A brotli decoder knows only parameters 0 and 1.
    let e = Zlib::new(Mode::BrotliDecode, &o(|o| o.params = vec![(5, 1)])).unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("ERR_ZLIB_INITIALIZATION_FAILED", "Initialization failed")
    );
    assert!(Zlib::new(Mode::BrotliEncode, &o(|o| o.params = vec![(8, 3), (7, 4)])).is_ok());
    // Level is checked for decompressors too; windowBits 0 is "from the header" there.
    assert_eq!(
        Zlib::new(Mode::InflateRaw, &o(|o| o.level = Some(10)))
            .unwrap_err()
            .code(),
        "ERR_OUT_OF_RANGE"
    );
    assert!(Zlib::new(Mode::Unzip, &o(|o| o.window_bits = Some(0))).is_ok());
    // deflate windowBits 8 writes a window-9 header (node: 'GJXLSM3JyQcABiwCFQ==').
    let packed = deflate_sync(b"hello", &o(|o| o.window_bits = Some(8))).unwrap();
    assert_eq!(&packed[..2], &[0x18, 0x95]);
    assert_eq!(
        err(inflate_sync(&packed, &o(|o| o.window_bits = Some(8)))).2,
        "invalid window size"
    );
}

#[test]
fn headers_match_zlib() {
    // node: gzipSync('hello', {level: 9}) starts H4sIAAAAAAACA (XFL 2), level 1 → XFL 4.
    assert_eq!(
        gzip_sync(
            b"hello",
            &Options {
                level: Some(9),
                ..none()
            }
        )
        .unwrap()[8],
        2
    );
    assert_eq!(
        gzip_sync(
            b"hello",
            &Options {
                level: Some(1),
                ..none()
            }
        )
        .unwrap()[8],
        4
    );
    // deflate level flags: 9 → 78 da, 1 → 78 01, 5 → 78 5e, default → 78 9c.
    for (level, flg) in [(9, 0xda), (1, 0x01), (5, 0x5e), (-1, 0x9c)] {
        let p = deflate_sync(
            b"hello",
            &Options {
                level: Some(level),
                ..none()
            },
        )
        .unwrap();
        assert_eq!(p[..2], [0x78, flg]);
    }
}

#[test]
fn params_and_reset() {
    let data: Vec<u8> = (0..20000u32).map(|i| (i % 7) as u8 + b'a').collect();
    // node: deflate params(0, 0) before the data → stored (about 20016 bytes).
    let mut z = Zlib::new(
        Mode::Deflate,
        &Options {
            level: Some(9),
            ..none()
        },
    )
    .unwrap();
    z.params(0, 0).unwrap();
    let out = z.process_sync(&data, constants::Z_FINISH).unwrap();
    assert!(out.len() > 20000);
    assert_eq!(inflate_sync(&out, &none()).unwrap(), data);
    // node: gzip params(0, 0) has no effect (60 bytes).
    let mut g = Zlib::new(
        Mode::Gzip,
        &Options {
            level: Some(9),
            ..none()
        },
    )
    .unwrap();
    g.params(0, 0).unwrap();
    assert!(g.process_sync(&data, constants::Z_FINISH).unwrap().len() < 100);
    // Mid-stream: flush, change, continue: still one valid stream.
    let mut z = Zlib::new(Mode::DeflateRaw, &none()).unwrap();
    let mut out = z
        .process_sync(&data[..5000], constants::Z_NO_FLUSH)
        .unwrap();
    out.extend(z.process_sync(&[], constants::Z_SYNC_FLUSH).unwrap());
    z.params(1, constants::Z_HUFFMAN_ONLY).unwrap();
    out.extend(z.process_sync(&data[5000..], constants::Z_FINISH).unwrap());
    assert_eq!(inflate_raw_sync(&out, &none()).unwrap(), data);
    assert_eq!(z.params(10, 0).unwrap_err().code(), "ERR_OUT_OF_RANGE");
    // reset starts a new stream.
    z.reset().unwrap();
    let again = z.process_sync(b"abc", constants::Z_FINISH).unwrap();
    assert_eq!(inflate_raw_sync(&again, &none()).unwrap(), b"abc");
}

#[test]
fn crc32_continues() {
    assert_eq!(crc32("été".as_bytes(), 4294967295), 2097964086);
    assert_eq!(crc32(b"", 0), 0);
    assert_eq!(crc32(b"lo", crc32(b"hel", 0)), crc32(b"hello", 0));
}

// zlib's window: a match reaching further back than the history zlib keeps (`1 << windowBits`
// bytes, filled at the end of each `inflate()` call) plus what the current call has written is
// "invalid distance too far back", so with a window under 32 KiB the answer depends on
// `chunkSize`. Expected values: node v20 (zlib 1.3.1) on the same bytes and options.

/// `zlib.<mode>Sync(input, options)` as node prints it: `ok <length> crc <crc32>`, or
/// `<code> <message>`.
fn answer(mode: Mode, input: &[u8], options: &Options) -> String {
    match sync(mode, input, options) {
        Ok(b) => format!("ok {} crc {}", b.len(), crc32(&b, 0)),
        Err(e) => format!("{} {}", e.code(), e.message()),
    }
}

fn opts(window_bits: Option<i32>, chunk_size: Option<usize>) -> Options {
    Options {
        window_bits,
        chunk_size,
        ..Options::default()
    }
}

const TOO_FAR: &str = "Z_DATA_ERROR invalid distance too far back";
const EOF: &str = "Z_BUF_ERROR unexpected end of file";

/// Issue 12: the zlib differential's seed 1796587640837196871, case 4751. The corrupt stream's
/// header asks for a 512-byte window; one of its distances is further back than 512 bytes but
/// not than the output so far, so zlib rejects it only when the call that meets it has
/// written little: with 122-byte (or 1000-byte) chunks, not with 16 KiB ones.
#[test]
fn seed_1796587640837196871_case_4751() {
    let input = b64("GJWLiRkFo2AUjIKYIZ0AdzqumA==");
    let seed_options = Options {
        window_bits: Some(9),
        chunk_size: Some(122),
        max_output_length: Some(3688),
        ..Options::default()
    };
    // node: zlib.inflateSync(input, {windowBits: 9, chunkSize: 122, maxOutputLength: 3688})
    assert_eq!(answer(Mode::Inflate, &input, &seed_options), TOO_FAR);
    // node: the same without maxOutputLength
    assert_eq!(
        answer(Mode::Inflate, &input, &opts(Some(9), Some(122))),
        TOO_FAR
    );
    // node: zlib.inflateSync(input) (windowBits 0: the header's 512 bytes; 16 KiB chunks)
    assert_eq!(answer(Mode::Inflate, &input, &opts(None, None)), EOF);
    // node: zlib.inflateSync(input, {chunkSize: 1000})
    assert_eq!(
        answer(Mode::Inflate, &input, &opts(None, Some(1000))),
        TOO_FAR
    );
    // node: zlib.inflateSync(input, {windowBits: 12, chunkSize: 64}) (a 4 KiB window)
    assert_eq!(
        answer(Mode::Inflate, &input, &opts(Some(12), Some(64))),
        EOF
    );
}

/// 9000 bytes: 3000 pseudo-random letters three times, gzipped by node (distances of 3000).
const GZ: &[&str] = &[
    "H4sIAAAAAAAAA+3W2ZFFIQhF0VgRUXGeRaPvejH0702BovZZg7Rmbspf6cXuyhU77+EATwwWe664rW03LwR302u4",
    "6nKrqlNHTPGuWmYgv140Lp2wsQKTOX4fDRaz3oqOid2bYka4G6NxcTFI7o48BC0U3GSIodmAPqdW7nvaKnBWV6AG",
    "N3TPaZTWtB4p9BRKnlGbs+NNYY2cbcmOTZ/R8E7ij59Bwkiz0Kkt7tUyO21uHI466Oh3oBTErMg9jVRnssQutuEl",
    "C/M+MaRC797jD+hswKfawdc0cd8c5HgrxSXeaYIgaLh1o9/+KoeXivOFpOBQV+0dVVWpu6rI5rSj3gudVa8VlNI0",
    "zIjq7KD2UkpzRlWAnenqxLE07YqHh6gheyxdSbPpJ6XR5syqLn8ogW1buAiarqbJbgyHqFnxcXY/n+04AhZc237N",
    "8u6Us/HplHyb6shjc2lYA2ef0mre2fqdEpyZgUKDUg4/5/Q1cp7vYUvKOvqqjFY8r1KvNT3SDOJZTy+j2ZiyNgON",
    "G+HtspKWWlN+Pp6jYw0v2WnM09RDzbMOVbVDxZrns/kR41lV17GQyWUk0hUgtgsF4m5owG3LtosIxuxyC0p3tROO",
    "26yhPsgk93gaRwzXtvHCvji01DtsVH0Ns25p81SHoeVcHN19Dbc1hZYkWsfFkc5VS7kZ3p5Nd0WnuD0nLPFKdyoh",
    "XjE1tQY+6nVChRdiKpROdE5XMyWcVeFCqqyA0ImeFuyxl0oefU7MzRgTOOPRaMmGft9lBVgPqj7Q3iQ5DbA7H42Z",
    "H7mmlw30TBU48pLV1S3tukR1cRRqot+7aMxd1tFe1LVToMF1r0w9CRJIOYoaXxTaYcWQwe9qOkzxfDJhFyYTt2pq",
    "NIRsqHEvjuumFFsZfamN0dUQCdOmidaQUvcYzlqVdLtZXfFbhfS+eZ3WDYtK9/rdNbcZCwvHkFUOb7zKfWCMK9oz",
    "bOjkiWAAt1QmCdGMRp3yakr+jjqzvFpujofGoCaxNOvF9tu5mUb1irxdWUBB2M/ZOCnIdsELISey3fg7hz1HnG9l",
    "XQJtGaB5SFnKzjCpZnv0PIc0bpL5Nid1l8J5YW135wSvPaXTlJ2Z8uYW51iLU3HvAI2QM2doOuwNobCfyYDSNXG9",
    "NtDw24te+bbXBU/3pbDIS7l5Y9+ad8D1DCHuIg8UmYKXm0o25AgO4b2wRzLecuXGCTULYyUUU3Yq3j82ZTVtjg0z",
    "uX3EjufUimnkhG14RWt1wCPYn24sto5zhtWcnKk03SSQTTDb9geWVfapo52oMUw76WJir5QuPa23EKjlJsnGqVsh",
    "O1o0M6kz9TaHWU/S813KaBaPqGDBPCrdUO4vSP06Trele+C9RROvCTX7e8qvqhCOwbnDdDsNtKr3B0/MnIWDjzE8",
    "nfQjxPngdpf32nWuNY5DzYc5gEDmWzn8HiivXzBfN/Wt63RUer0QWWCWM5oKfj2pV98zr9fWqmfRi0bfCkUdt2TM",
    "G3sz9e6GJUEMGp5PuJ2HktqO5Tj1Ymm/3Pl5751RWmVDnPuO0idRHQ7tmdkEUXQXOkrhBRZjh8Q1dkev9MxJ2eGc",
    "qVHylqS1jqLJ9LyO3bkr4wi2ts7DOMG2yRZOGsLNRJvVSu3a0BZlbh1vjlS6C+ZuuS08p2YQyBfZhl5qH3kfdjkG",
    "jW+Nm87is3FFn2sumDdwCGsK21YPYt0ptNMCdK+PfXuZQ/q+OACZqC0ts409LAZjbk2HgOtSnnEoabUWdKOSWkMo",
    "TnFQR1tnFXPl/lISBdib7pby4zV4Kjpxkl3xbLwze5hKmXJJIz03JulnosNK4+ilT9/d9uwxPddrNgpSM0PSLhoM",
    "KYvgsTRxWI42o6jlG6iZysrHNQqaXU6OV8r1uIdabx2qqqCf5zU3m2JUn66ZdLSK3srcMR7BW1wqfXDxCbw/TgMs",
    "lt37hZKlO95ya42ixDf/xlXqJ5xeFT6TL3PN1Lwzeg3T9PaqTbUMm9aIwz7DeFE11ToOJsluauf9c3XHa8zt68js",
    "c7pAuBRe3wPofVa5ZijT+vOGvHqOX3vYPf5OE2r0ZzJWqTV2uDbhYueSrnqpHeNGZbcfpsjo3gOp58dy9pVOsS+L",
    "1PdtZetpzM5kitlFaoKX+IV3w0ErcR1j9RtJjRXxWeXzlTpOPQu2TTmvBoypayOpv03Pwx2hgozQw91BYeZTO+dL",
    "e2VlMVY+VNHRdfQOyKiayRS7hgmumh+iaj9LP8jpbn5NRaJ+MKCDSMbfV+ENu1KMmLPNjqnG0yjBRV82tr2eUfuV",
    "Szx5KA+quNdWQxv7b63T1FrVC8kGeWDXayf0aewto9+YSGrV4mM5oUtx0bUmwzufuKGbMC9uNtX6kkxuY5XRePZS",
    "LLksCUqivJWAOVfdUFvDYnJUZltn68tmGTWsMmCcLaq5kO7u65U+daFaZrnjOjv8+Nz+uf1z++f2z+2f2z+3f27/",
    "3P65/XP75/bP7Z/bP7d/bv/c/rn9c/vn9s/tn9s/t//b7X9B4dUsKCMAAA==",
];

#[test]
fn a_window_smaller_than_the_data_s_fails_as_in_node() {
    let gz = b64(&GZ.concat());
    let ok = "ok 9000 crc 752214337";
    // node: zlib.{gunzip,unzip}Sync(gz, {windowBits, chunkSize})
    for (window, chunk, want) in [
        (9, 64, TOO_FAR),
        (9, 1024, TOO_FAR),
        (9, 4096, TOO_FAR),
        (9, 16384, ok),
        (9, 65536, ok),
        (12, 64, ok),
        (13, 1024, ok),
        (15, 64, ok),
    ] {
        let o = opts(Some(window), Some(chunk));
        assert_eq!(
            answer(Mode::Gunzip, &gz, &o),
            want,
            "gunzip {window} {chunk}"
        );
        assert_eq!(answer(Mode::Unzip, &gz, &o), want, "unzip {window} {chunk}");
    }
    // node: zlib.inflateRawSync(raw, {windowBits, chunkSize}), raw being gz without its
    // 10-byte header and 8-byte trailer
    let raw = &gz[10..gz.len() - 8];
    for (window, chunk, want) in [(9, 1024, TOO_FAR), (9, 16384, ok), (12, 64, ok)] {
        let o = opts(Some(window), Some(chunk));
        assert_eq!(
            answer(Mode::InflateRaw, raw, &o),
            want,
            "inflateRaw {window} {chunk}"
        );
    }
}

#[test]
fn an_inflate_raw_window_of_8_bits_is_256_bytes() {
    // 300 pseudo-random letters four times, deflateRawSync'd by node (distances of 300).
    let raw = b64(concat!(
        "7dDJgQQhCADAWL3xAhWF1ug3jP1MhVAIuYty6LC3e/xhCTf6JC5obF5jPRYdvEODXmPriDWFJLcDfm2cgsmP",
        "581aVnLrU5tHZP9VcGYijSrbpBRKwv4KFTe/1A6JJZuxNZXTenKnxGDzdQZzDfU0eGF5ZToGn7OWIWnhdTr5",
        "R7tFit4FuApxmylansY70Y9h9Uv+O2N3mnq1UnzqLlrkFMBQ7v2IXaUKaD0mD38X7bEyt8fS1waxkn18saaD",
        "XPQu4AHc5hpIIhl/V7+r39W/Xv0B",
    ));
    let length = |r: Result<Vec<u8>, Error>| r.map(|b| b.len());
    // node: zlib.inflateRawSync(raw, {windowBits, chunkSize})
    let o = |w, c| opts(Some(w), Some(c));
    assert_eq!(answer(Mode::InflateRaw, &raw, &o(8, 64)), TOO_FAR);
    assert_eq!(length(inflate_raw_sync(&raw, &o(8, 16384))), Ok(1200));
    assert_eq!(length(inflate_raw_sync(&raw, &o(9, 64))), Ok(1200));
}
