//! The `futures` adapters: a readable as a `futures_core::Stream`, a writable as a
//! `futures_sink::Sink`, both driven by the loop's executor.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::pin::Pin;
use std::rc::Rc;

use futures_core::Stream as _;
use futures_sink::Sink;
use nodestd_loop as nd;
use nodestd_stream::{Chunk, Options, Readable, Writable};

#[test]
fn readable_as_a_futures_stream() {
    let got = nd::block_on(async {
        let mut n = 0;
        let r = Readable::new_readable(Options::new().high_water_mark(4).read(
            move |s: &Readable, _| {
                n += 1;
                let s = s.clone();
                nd::set_immediate(move || {
                    s.push((n <= 5).then(|| Chunk::from(format!("c{n}"))));
                });
            },
        ));
        let mut chunks = r.chunks();
        let mut text = String::new();
        while let Some(c) = poll_fn(|cx| Pin::new(&mut chunks).poll_next(cx)).await {
            text.push_str(&String::from_utf8_lossy(c.unwrap().as_bytes()));
        }
        text
    })
    .unwrap();
    assert_eq!(got, "c1c2c3c4c5");
}

#[test]
fn writable_as_a_sink_with_backpressure() {
    let max_len = Rc::new(Cell::new(0usize));
    let out = Rc::new(RefCell::new(Vec::new()));
    let (m, o) = (max_len.clone(), out.clone());
    nd::block_on(async move {
        let w = Writable::new_writable(Options::new().high_water_mark(8).write(
            move |s: &Writable, c: Chunk, cb| {
                m.set(m.get().max(s.writable_length()));
                o.borrow_mut().extend_from_slice(c.as_bytes());
                nd::set_immediate(move || cb.ok());
            },
        ));
        let mut sink = w.sink();
        for i in 0..50u8 {
            poll_fn(|cx| Pin::new(&mut sink).poll_ready(cx))
                .await
                .unwrap();
            Pin::new(&mut sink)
                .start_send(Chunk::from(vec![i; 3]))
                .unwrap();
        }
        poll_fn(|cx| Pin::new(&mut sink).poll_flush(cx))
            .await
            .unwrap();
        assert_eq!(w.writable_length(), 0);
        poll_fn(|cx| Pin::new(&mut sink).poll_close(cx))
            .await
            .unwrap();
        assert!(w.writable_finished());
    })
    .unwrap();
    assert_eq!(out.borrow().len(), 150);
    assert!(max_len.get() <= 8 + 3, "the sink waited for drain");
}
