//! Backpressure: a slow writer pauses a fast reader through `pipe`, and what is buffered stays
//! bounded by the high-water marks; `write_async` waits for `drain`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{Chunk, Options, Readable, Writable};

const CHUNK: usize = 1024;
const TOTAL: usize = 512;

#[test]
fn slow_writer_pauses_fast_reader() {
    let max_buffered = Rc::new(Cell::new(0usize));
    let written = Rc::new(Cell::new(0usize));
    let finished = Rc::new(Cell::new(false));
    let (m, w2, f2) = (max_buffered.clone(), written.clone(), finished.clone());
    let exit = nd::run(move || {
        let produced = Rc::new(Cell::new(0usize));
        let p = produced.clone();
        // A reader that can always produce at once.
        let src = Readable::new_readable(Options::new().high_water_mark(4 * CHUNK).read(
            move |s: &Readable, _| {
                if p.get() == TOTAL {
                    s.push(None);
                } else {
                    p.set(p.get() + 1);
                    s.push(Some(Chunk::from(vec![7u8; CHUNK])));
                }
            },
        ));
        // A writer that takes one chunk per loop iteration.
        let w3 = w2.clone();
        let sink = Writable::new_writable(Options::new().high_water_mark(2 * CHUNK).write(
            move |_, c: Chunk, cb| {
                w3.set(w3.get() + c.len());
                nd::set_immediate(move || cb.ok());
            },
        ));
        let (s2, k2, m2) = (src.clone(), sink.clone(), m.clone());
        let probe = nd::set_interval(1, move || {
            let buffered = s2.readable_length() + k2.writable_length();
            m2.set(m2.get().max(buffered));
        });
        let (s3, k3, m3) = (src.clone(), sink.clone(), m.clone());
        sink.on_drain(move || {
            let buffered = s3.readable_length() + k3.writable_length();
            m3.set(m3.get().max(buffered));
        });
        let f3 = f2.clone();
        sink.on_finish(move || {
            f3.set(true);
            probe.clear();
        });
        src.pipe(&sink);
    });
    assert_eq!(exit.code(), 0);
    assert!(finished.get());
    assert_eq!(written.get(), CHUNK * TOTAL, "every byte arrived");
    // The source's 4 KiB plus the sink's 2 KiB (+ one chunk in flight), never the 512 KiB.
    assert!(
        max_buffered.get() <= 8 * CHUNK,
        "buffered at most {} bytes",
        max_buffered.get()
    );
}

#[test]
fn write_returns_false_at_the_high_water_mark_and_drain_follows() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    nd::run(move || {
        let w =
            Writable::new_writable(Options::new().high_water_mark(4).write(|_, _c: Chunk, cb| {
                nd::set_immediate(move || cb.ok());
            }));
        let l2 = l.clone();
        w.on_drain(move || l2.borrow_mut().push("drain".to_owned()));
        l.borrow_mut()
            .push(format!("{}", w.write(Chunk::from("ab"))));
        l.borrow_mut()
            .push(format!("{}", w.write(Chunk::from("cd"))));
        l.borrow_mut()
            .push(format!("need_drain {}", w.writable_need_drain()));
    });
    assert_eq!(*log.borrow(), ["true", "false", "need_drain true", "drain"]);
}

#[test]
fn write_async_waits_for_drain() {
    let max_len = Rc::new(Cell::new(0usize));
    let m = max_len.clone();
    nd::block_on(async move {
        let m2 = m.clone();
        let w = Writable::new_writable(Options::new().high_water_mark(8).write(
            move |s: &Writable, _c: Chunk, cb| {
                m2.set(m2.get().max(s.writable_length()));
                nd::set_immediate(move || cb.ok());
            },
        ));
        for _ in 0..100 {
            w.write_async(Chunk::from("abcd")).await.unwrap();
        }
        w.end_async().await.unwrap();
        assert!(w.writable_finished());
    })
    .unwrap();
    assert!(
        max_len.get() <= 8 + 4,
        "writable_length stayed near the mark"
    );
}
