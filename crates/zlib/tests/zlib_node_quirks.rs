//! Node v20 behaviours pinned with the values `node` gave (see the comments): error codes and
//! messages, multi-member gzip, padding, unzip's sniffing, option bounds, `params` and `reset`.

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
