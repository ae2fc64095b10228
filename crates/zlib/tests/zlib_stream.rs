//! The Transform streams (`createGzip()` …): random chunk boundaries give what the one-shot
//! functions give, `flush` makes everything written so far decodable, `params` changes the
//! settings mid-stream, `bytesWritten` counts consumed input, corrupt input is an `error`
//! event with Node's code, and `close` ends the stream.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_stream::Chunk;
use nodestd_zlib::{Mode, Options, ZlibStream, constants::*, create, sync};

/// SplitMix64, enough for chunk boundaries.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn sample(rng: &mut Rng, n: usize) -> Vec<u8> {
    let words: [&[u8]; 5] = [b"zlib ", b"stream ", b"node ", b"\x00\x01\x02", b"chunk "];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        if rng.below(4) == 0 {
            out.push(rng.next() as u8);
        } else {
            out.extend_from_slice(words[rng.below(words.len())]);
        }
    }
    out.truncate(n);
    out
}

fn cuts(rng: &mut Rng, data: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let n = 1 + rng.below(rest.len().min(5000));
        out.push(rest[..n].to_vec());
        rest = &rest[n..];
    }
    out
}

type Collected = Rc<RefCell<(Vec<u8>, Option<(String, String)>, bool, Vec<usize>)>>;

/// Writes `chunks` to `s` and ends it; collects the output, the error, `end` and the sizes of
/// the `data` chunks.
fn drive(s: &ZlibStream, chunks: Vec<Vec<u8>>) -> Collected {
    let got: Collected = Rc::default();
    let g = Rc::clone(&got);
    s.on_data(move |c: &Chunk| {
        let mut g = g.borrow_mut();
        g.0.extend_from_slice(c.as_bytes());
        g.3.push(c.as_bytes().len());
    });
    let g = Rc::clone(&got);
    s.on_error(move |e| {
        g.borrow_mut().1 = Some((e.code().unwrap_or("").to_string(), e.message().to_string()))
    });
    let g = Rc::clone(&got);
    s.on_end(move || g.borrow_mut().2 = true);
    for c in chunks {
        s.write(Chunk::from(c));
    }
    s.end();
    got
}

const PAIRS: [(Mode, Mode); 5] = [
    (Mode::Gzip, Mode::Gunzip),
    (Mode::Deflate, Mode::Inflate),
    (Mode::DeflateRaw, Mode::InflateRaw),
    (Mode::Deflate, Mode::Unzip),
    (Mode::BrotliEncode, Mode::BrotliDecode),
];

#[test]
fn random_chunk_boundaries_equal_one_shot() {
    let mut rng = Rng(0x5eed);
    let mut cases = Vec::new();
    for round in 0..8 {
        for (pack, unpack) in PAIRS {
            let data = sample(&mut rng, [0, 1, 100, 20_000, 70_000][round % 5]);
            let packed = sync(pack, &data, &Options::default()).unwrap();
            cases.push((
                pack,
                unpack,
                data.clone(),
                cuts(&mut rng, &data),
                cuts(&mut rng, &packed),
            ));
        }
    }
    let results = Rc::new(RefCell::new(Vec::new()));
    let r = Rc::clone(&results);
    let exit = nodestd_loop::run(move || {
        for (pack, unpack, data, plain_cuts, packed_cuts) in cases {
            let z = create(pack, &Options::default()).unwrap();
            let out = drive(&z, plain_cuts);
            let u = create(unpack, &Options::default()).unwrap();
            let back = drive(&u, packed_cuts);
            r.borrow_mut().push((pack, unpack, data, out, back, z, u));
        }
    });
    assert_eq!(exit.code(), 0);
    for (pack, unpack, data, out, back, z, u) in results.borrow().iter() {
        let out = out.borrow();
        assert!(out.1.is_none() && out.2, "{pack:?}: {:?}", out.1);
        assert_eq!(
            &sync(*unpack, &out.0, &Options::default()).unwrap(),
            data,
            "{pack:?}"
        );
        assert_eq!(z.bytes_written(), data.len() as u64);
        let back = back.borrow();
        assert!(back.1.is_none() && back.2, "{unpack:?}: {:?}", back.1);
        assert_eq!(&back.0, data, "{unpack:?}");
        assert!(u.bytes_written() > 0 || data.is_empty());
    }
}

#[test]
fn flush_makes_the_output_so_far_decodable() {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = Rc::clone(&seen);
    nodestd_loop::run(move || {
        let z = create(Mode::Deflate, &Options::default()).unwrap();
        let out: Rc<RefCell<Vec<u8>>> = Rc::default();
        let o = Rc::clone(&out);
        z.on_data(move |c: &Chunk| o.borrow_mut().extend_from_slice(c.as_bytes()));
        z.write(Chunk::from("first part "));
        let (o, s1) = (Rc::clone(&out), Rc::clone(&s));
        z.flush(Some(Z_SYNC_FLUSH), move || {
            let opts = Options {
                finish_flush: Some(Z_SYNC_FLUSH),
                ..Options::default()
            };
            let partial = sync(Mode::Inflate, &o.borrow(), &opts).unwrap();
            s1.borrow_mut().push(partial);
        });
        z.write(Chunk::from("second part"));
        let (o, s2) = (Rc::clone(&out), Rc::clone(&s));
        z.stream().once_end(move || {
            let all = sync(Mode::Inflate, &o.borrow(), &Options::default()).unwrap();
            s2.borrow_mut().push(all);
        });
        z.end();
        z.resume();
    });
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0], b"first part ");
    assert_eq!(seen[1], b"first part second part");
}

#[test]
fn params_mid_stream() {
    let data: Vec<u8> = (0..50_000u32)
        .map(|i| (i % 251) as u8 ^ (i / 1000) as u8)
        .collect();
    let got = Rc::new(RefCell::new(None));
    let g = Rc::clone(&got);
    let d = data.clone();
    nodestd_loop::run(move || {
        let z = create(Mode::Gzip, &Options::default()).unwrap();
        let bad = z.params(10, 0, |_| panic!("callback ran")).unwrap_err();
        assert_eq!(bad.code(), "ERR_OUT_OF_RANGE");
        let got = drive(&z, vec![d[..25_000].to_vec()]);
        // `drive` ended the stream; params after end waits for `end`, as flush does.
        let z2 = create(Mode::Deflate, &Options::default()).unwrap();
        let out: Rc<RefCell<Vec<u8>>> = Rc::default();
        let o = Rc::clone(&out);
        z2.on_data(move |c: &Chunk| o.borrow_mut().extend_from_slice(c.as_bytes()));
        z2.write(Chunk::from(&d[..25_000]));
        let z3 = z2.clone();
        let rest = d[25_000..].to_vec();
        z2.params(1, Z_FILTERED, move |r| {
            r.unwrap();
            z3.end_with(Chunk::from(rest));
        })
        .unwrap();
        let g2 = Rc::clone(&g);
        // The two streams' work runs on the pool: either may end first, so the gzip
        // output is read once the loop is done, not at the deflate stream's end.
        z2.stream().once_end(move || {
            *g2.borrow_mut() = Some((Rc::clone(&got), out.borrow().clone()));
        });
    });
    let (gzipped, deflated) = got.borrow_mut().take().expect("the deflate stream ended");
    assert!(gzipped.borrow().2, "the gzip stream ended");
    let gz = gzipped.borrow().0.clone();
    assert_eq!(
        sync(Mode::Gunzip, &gz, &Options::default()).unwrap(),
        data[..25_000]
    );
    assert_eq!(
        sync(Mode::Inflate, &deflated, &Options::default()).unwrap(),
        data
    );
}

#[test]
fn corrupt_input_is_an_error_event_and_close_closes() {
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = Rc::clone(&got);
    nodestd_loop::run(move || {
        let u = create(Mode::Gunzip, &Options::default()).unwrap();
        let c = drive(&u, vec![b"definitely not gzip".to_vec()]);
        let g1 = Rc::clone(&g);
        u.stream().once_close(move || {
            g1.borrow_mut()
                .push(c.borrow().1.clone().expect("an error"));
        });
        let t = create(Mode::Inflate, &Options::default()).unwrap();
        let packed = sync(Mode::Deflate, b"truncated stream", &Options::default()).unwrap();
        let c = drive(&t, vec![packed[..packed.len() - 3].to_vec()]);
        let g2 = Rc::clone(&g);
        t.stream().once_close(move || {
            g2.borrow_mut()
                .push(c.borrow().1.clone().expect("an error"));
        });
        let z = create(Mode::Gzip, &Options::default()).unwrap();
        let g3 = Rc::clone(&g);
        z.close(move || g3.borrow_mut().push(("closed".into(), String::new())));
    });
    let mut got = got.borrow().clone();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "Z_BUF_ERROR".to_string(),
                "unexpected end of file".to_string()
            ),
            (
                "Z_DATA_ERROR".to_string(),
                "incorrect header check".to_string()
            ),
            ("closed".to_string(), String::new()),
        ]
    );
}

#[test]
fn output_buffers_carry_over_between_writes_and_streams_have_no_output_cap() {
    // node: a createInflateRaw() fed a stored stream of 100 bytes then 40,000 in two writes
    // (the first ending after 105 bytes of output) emits [105, 16279, 16384, 7332]: the
    // second write fills the rest of the first 16 KiB buffer.
    let mut data = vec![b'a'; 100];
    data.extend((0..40_000u32).map(|i| (i * 7919 % 251) as u8));
    let level0 = Options {
        level: Some(0),
        ..Options::default()
    };
    let packed = sync(Mode::DeflateRaw, &data, &level0).unwrap();
    // node: createInflate({maxOutputLength: 10}).end(deflateSync(Buffer.alloc(1000, 1)))
    // emits all 1000 bytes and ends (only the one-shot and callback forms check the cap).
    let small = sync(Mode::Deflate, &[1; 1000], &Options::default()).unwrap();
    let results = Rc::new(RefCell::new(Vec::new()));
    let r = Rc::clone(&results);
    nodestd_loop::run(move || {
        let s = create(Mode::InflateRaw, &Options::default()).unwrap();
        let a = drive(&s, vec![packed[..110].to_vec(), packed[110..].to_vec()]);
        let capped = Options {
            max_output_length: Some(10),
            ..Options::default()
        };
        let t = create(Mode::Inflate, &capped).unwrap();
        let b = drive(&t, vec![small]);
        r.borrow_mut().extend([a, b]);
    });
    let results: Vec<_> = results
        .borrow()
        .iter()
        .map(|r| r.borrow().clone())
        .collect();
    let (_, error, ended, sizes) = &results[0];
    assert_eq!(
        (sizes, error, *ended),
        (&vec![105, 16279, 16384, 7332], &None, true)
    );
    let (out, error, ended, _) = &results[1];
    assert_eq!((out.len(), error, *ended), (1000, &None, true));
}
