//! Property tests: random chunk sizes and high-water marks through a chain of transforms
//! deliver exactly the input bytes, in order; no input makes the crate panic.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{Chunk, Options, Readable, Transform, Writable};
use proptest::prelude::*;

fn run_chain(chunks: Vec<Vec<u8>>, hwms: Vec<usize>, read_hwm: usize, write_hwm: usize) -> Vec<u8> {
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    let exit = nd::run(move || {
        let mut it = chunks.into_iter();
        let mut toggle = false;
        let src = Readable::new_readable(Options::new().high_water_mark(read_hwm).read(
            move |s: &Readable, _| {
                toggle = !toggle;
                let next = it.next().map(Chunk::from);
                if toggle {
                    s.push(next);
                } else {
                    let s = s.clone();
                    nd::set_immediate(move || {
                        s.push(next);
                    });
                }
            },
        ));
        let mut last: Option<Transform> = None;
        let mut stages: Vec<Transform> = Vec::new();
        for (i, h) in hwms.into_iter().enumerate() {
            let t: Transform =
                Transform::new_transform(Options::new().high_water_mark(h).transform(
                    move |s: &Transform, c: Chunk, cb| {
                        // Split each chunk in two pushes, one now and one from the callback.
                        let b = c.into_bytes();
                        let mid = b.len() / 2;
                        let (head, tail) = (b[..mid].to_vec(), b[mid..].to_vec());
                        if i % 2 == 0 {
                            s.push(Some(Chunk::from(head)));
                            cb.push(Chunk::from(tail));
                        } else {
                            let s = s.clone();
                            nd::next_tick(move || {
                                s.push(Some(Chunk::from(head)));
                                cb.push(Chunk::from(tail));
                            });
                        }
                    },
                ));
            stages.push(t.clone());
            last = Some(t);
        }
        let sink = Writable::new_writable(Options::new().high_water_mark(write_hwm).write(
            move |_, c: Chunk, cb| {
                o.borrow_mut().extend_from_slice(c.as_bytes());
                nd::set_immediate(move || cb.ok());
            },
        ));
        match last {
            None => {
                src.pipe(&sink);
            }
            Some(_) => {
                src.pipe(&stages[0]);
                for w in stages.windows(2) {
                    w[0].pipe(&w[1]);
                }
                stages[stages.len() - 1].pipe(&sink);
            }
        }
    });
    assert_eq!(exit.code(), 0);
    out.take()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    // Chunks are non-empty: an empty `push` is not EOF but adds nothing, and with a
    // high-water mark of 0 node v20 itself stops reading after one (it delivers nothing in
    // the shrunk case `[[], [], [], [0]]` with alternating sync/async pushes); nodestd does
    // the same.
    #[test]
    fn transform_chain_delivers_exact_bytes(
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 0..20),
        hwms in proptest::collection::vec(0usize..16, 0..4),
        read_hwm in 0usize..32,
        write_hwm in 0usize..32,
    ) {
        let want: Vec<u8> = chunks.concat();
        let got = run_chain(chunks, hwms, read_hwm, write_hwm);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn paused_reads_never_panic_and_return_every_byte(
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..20), 0..12),
        reads in proptest::collection::vec(proptest::option::of(0usize..30), 1..20),
        hwm in 0usize..24,
    ) {
        let want: Vec<u8> = chunks.concat();
        let got = Rc::new(RefCell::new(Vec::new()));
        let g = got.clone();
        nd::run(move || {
            let mut it = chunks.into_iter();
            let r = Readable::new_readable(Options::new().high_water_mark(hwm).read(
                move |s: &Readable, _| { s.push(it.next().map(Chunk::from)); },
            ));
            for n in reads {
                if let Some(c) = r.read(n) {
                    g.borrow_mut().extend_from_slice(c.as_bytes());
                }
            }
            let g2 = g.clone();
            r.on_data(move |c| g2.borrow_mut().extend_from_slice(c.as_bytes()));
        });
        prop_assert_eq!(got.take(), want);
    }
}

/// One operation of the no-panic property test.
#[derive(Debug, Clone)]
enum Op {
    Push(Option<Vec<u8>>),
    Unshift(Vec<u8>),
    Read(Option<usize>),
    Write(Vec<u8>),
    End,
    Cork,
    Uncork,
    Pause,
    Resume,
    Destroy(bool),
    SetEncoding(u8),
    OnData,
    OnReadable,
    Tick,
}

fn op() -> impl Strategy<Value = Op> {
    let bytes = proptest::collection::vec(any::<u8>(), 0..8);
    prop_oneof![
        proptest::option::of(bytes.clone()).prop_map(Op::Push),
        bytes.clone().prop_map(Op::Unshift),
        proptest::option::of(0usize..12).prop_map(Op::Read),
        bytes.prop_map(Op::Write),
        Just(Op::End),
        Just(Op::Cork),
        Just(Op::Uncork),
        Just(Op::Pause),
        Just(Op::Resume),
        any::<bool>().prop_map(Op::Destroy),
        (0u8..5).prop_map(Op::SetEncoding),
        Just(Op::OnData),
        Just(Op::OnReadable),
        Just(Op::Tick),
    ]
}

fn apply(d: &nodestd_stream::Duplex, ops: &[Op]) {
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::Push(c) => {
                d.push(c.clone().map(Chunk::from));
            }
            Op::Unshift(c) => {
                d.unshift(Chunk::from(c.clone()));
            }
            Op::Read(n) => {
                d.read(*n);
            }
            Op::Write(c) => {
                d.write(Chunk::from(c.clone()));
            }
            Op::End => d.end(),
            Op::Cork => d.cork(),
            Op::Uncork => d.uncork(),
            Op::Pause => d.pause(),
            Op::Resume => d.resume(),
            Op::Destroy(with_err) => d.destroy(with_err.then(|| nodestd_stream::Error::new("x"))),
            Op::SetEncoding(e) => d.set_encoding(
                [
                    nodestd_stream::Encoding::Utf8,
                    nodestd_stream::Encoding::Hex,
                    nodestd_stream::Encoding::Base64,
                    nodestd_stream::Encoding::Latin1,
                    nodestd_stream::Encoding::Ascii,
                ][*e as usize],
            ),
            Op::OnData => {
                d.on_data(|_| {});
            }
            Op::OnReadable => {
                let d2 = d.clone();
                d.on_readable(move || while d2.read(None).is_some() {});
            }
            Op::Tick => {
                let d2 = d.clone();
                let rest = ops[i + 1..].to_vec();
                nd::next_tick(move || apply(&d2, &rest));
                return;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of calls on a duplex (with an `error` listener, as Node requires to not
    /// crash) runs to completion without a panic.
    #[test]
    fn no_sequence_of_calls_panics(
        ops in proptest::collection::vec(op(), 0..40),
        hwm in 0usize..8,
        object in any::<bool>(),
        async_write in any::<bool>(),
    ) {
        let exit = nd::run(move || {
            let d = nodestd_stream::Duplex::new_duplex(
                Options::new()
                    .high_water_mark(hwm)
                    .object_mode(object)
                    .read(|_, _| {})
                    .write(move |_, _c: Chunk, cb| {
                        if async_write {
                            nd::set_immediate(move || cb.ok());
                        } else {
                            cb.ok();
                        }
                    }),
            );
            d.on_error(|_| {});
            apply(&d, &ops);
        });
        prop_assert_eq!(exit.code(), 0);
    }
}
