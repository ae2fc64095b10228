//! The callback and promise forms on the loop's worker pool: outputs equal the synchronous
//! forms', callbacks run on the loop thread, option errors come back at once and engine
//! errors through the callback.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

use nodestd_zlib::{Mode, Options, callback, promises, sync};

const MODES: [(Mode, Mode); 5] = [
    (Mode::Gzip, Mode::Gunzip),
    (Mode::Deflate, Mode::Inflate),
    (Mode::DeflateRaw, Mode::InflateRaw),
    (Mode::Gzip, Mode::Unzip),
    (Mode::BrotliEncode, Mode::BrotliDecode),
];

fn sample(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| (i * 7 % 251) as u8 ^ (i / 97) as u8)
        .collect()
}

#[test]
fn callbacks_equal_sync_and_run_on_the_loop_thread() {
    let loop_thread = thread::current().id();
    let done = Rc::new(RefCell::new(0));
    let d = Rc::clone(&done);
    let exit = nodestd_loop::run(move || {
        for (i, (pack, unpack)) in MODES.into_iter().enumerate() {
            let data = sample(1000 + i * 40_000);
            let opts = Options::default();
            let d = Rc::clone(&d);
            callback::run(pack, &data.clone(), &opts, move |packed| {
                assert_eq!(thread::current().id(), loop_thread);
                let packed = packed.unwrap();
                assert_eq!(packed, sync(pack, &data, &Options::default()).unwrap());
                callback::run(unpack, &packed, &Options::default(), move |back| {
                    assert_eq!(thread::current().id(), loop_thread);
                    assert_eq!(back.unwrap(), data);
                    *d.borrow_mut() += 1;
                })
                .unwrap();
            })
            .unwrap();
        }
        assert_eq!(*d.borrow(), 0);
    });
    assert_eq!(exit.code(), 0);
    assert_eq!(*done.borrow(), MODES.len());
}

#[test]
fn option_errors_at_once_engine_errors_in_the_callback() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = Rc::clone(&seen);
    nodestd_loop::run(move || {
        let bad = Options {
            level: Some(10),
            ..Options::default()
        };
        let e = callback::gzip(b"x", &bad, |_| panic!("callback ran")).unwrap_err();
        assert_eq!(e.code(), "ERR_OUT_OF_RANGE");
        let s1 = Rc::clone(&s);
        callback::inflate(b"not compressed", &Options::default(), move |r| {
            let e = r.unwrap_err();
            s1.borrow_mut()
                .push((e.code(), e.message().to_string(), e.errno()));
        })
        .unwrap();
        let big = sync(Mode::Gzip, &[0; 10_000], &Options::default()).unwrap();
        let small = Options {
            max_output_length: Some(100),
            ..Options::default()
        };
        callback::gunzip(&big, &small, move |r| {
            let e = r.unwrap_err();
            s.borrow_mut()
                .push((e.code(), e.message().to_string(), e.errno()));
        })
        .unwrap();
    });
    let mut seen = seen.borrow().clone();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "ERR_BUFFER_TOO_LARGE",
                "Cannot create a Buffer larger than 100 bytes".to_string(),
                None
            ),
            (
                "Z_DATA_ERROR",
                "incorrect header check".to_string(),
                Some(-3)
            ),
        ]
    );
}

#[test]
fn promises_equal_sync() {
    let done = Rc::new(RefCell::new(false));
    let d = Rc::clone(&done);
    nodestd_loop::run(move || {
        let data = sample(50_000);
        let gz = promises::gzip(&data, &Options::default());
        let br = promises::brotli_compress(&data, &Options::default());
        let raw = promises::deflate_raw(&data, &Options::default());
        let bad = promises::deflate(
            &data,
            &Options {
                window_bits: Some(3),
                ..Options::default()
            },
        );
        nodestd_loop::spawn_local(async move {
            let gz = gz.await.unwrap();
            assert_eq!(gz, sync(Mode::Gzip, &data, &Options::default()).unwrap());
            assert_eq!(
                promises::unzip(&gz, &Options::default()).await.unwrap(),
                data
            );
            let br = br.await.unwrap();
            assert_eq!(
                promises::brotli_decompress(&br, &Options::default())
                    .await
                    .unwrap(),
                data
            );
            let raw = raw.await.unwrap();
            assert_eq!(
                promises::inflate_raw(&raw, &Options::default())
                    .await
                    .unwrap(),
                data
            );
            assert_eq!(bad.await.unwrap_err().code(), "ERR_OUT_OF_RANGE");
            let e = promises::gunzip(b"\x1f\x8b\x08", &Options::default())
                .await
                .unwrap_err();
            assert_eq!(
                (e.code(), e.message()),
                ("Z_BUF_ERROR", "unexpected end of file")
            );
            *d.borrow_mut() = true;
        });
    });
    assert!(*done.borrow());
}
