//! Object mode (any item type; each item counts 1 toward the high-water mark), async
//! iteration, `Readable::from_iter`, and Node's errors for misuse.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{Chunk, Encoding, ErrorKind, Options, Readable, Writable};

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[test]
fn objects_count_one_each() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    nd::run(move || {
        let w: Writable<Point> =
            Writable::new_writable(Options::new().high_water_mark(2).write(|_, _p: Point, cb| {
                nd::set_immediate(move || cb.ok());
            }));
        assert!(w.writable_object_mode());
        let r1 = w.write(Point { x: 1, y: 2 });
        let r2 = w.write(Point { x: 3, y: 4 });
        l.borrow_mut().push((r1, r2, w.writable_length()));
    });
    assert_eq!(*log.borrow(), [(true, false, 2)]);
}

#[test]
fn from_iter_and_async_iteration() {
    let got = nd::block_on(async {
        let r = Readable::from_iter((0..5).map(|i| Point { x: i, y: -i }));
        let mut out = Vec::new();
        while let Some(p) = r.next().await {
            out.push(p.unwrap());
        }
        (out, r.readable_ended())
    })
    .unwrap();
    assert_eq!(got.0.len(), 5);
    assert_eq!(got.0[4], Point { x: 4, y: -4 });
    assert!(got.1, "end was emitted");
}

#[test]
fn async_iteration_of_bytes_sees_the_error() {
    let got = nd::block_on(async {
        let mut n = 0;
        let r = Readable::new_readable(Options::new().read(move |s: &Readable, _| {
            n += 1;
            if n < 3 {
                s.push(Some(Chunk::from("ab")));
            } else {
                s.destroy(Some(nodestd_stream::Error::new("broken")));
            }
        }));
        let mut chunks = 0;
        let mut error = None;
        while let Some(item) = r.next().await {
            match item {
                Ok(_) => chunks += 1,
                Err(e) => error = Some(e.message().to_owned()),
            }
        }
        (chunks, error)
    })
    .unwrap();
    // As `for await (const c of r)` in node v20: one chunk "ab", then the error.
    assert_eq!(got.0, 1);
    assert_eq!(got.1.as_deref(), Some("broken"));
}

#[test]
fn push_after_eof_and_write_after_end_are_node_errors() {
    let codes = Rc::new(RefCell::new(Vec::new()));
    let c = codes.clone();
    nd::run(move || {
        let r = Readable::new_readable(Options::new().read(|_, _| {}));
        let c1 = c.clone();
        r.on_error(move |e| c1.borrow_mut().push(e.code().unwrap_or("").to_owned()));
        r.push(None);
        assert!(!r.push(Some(Chunk::from("late"))));

        let w = Writable::new_writable(Options::new().write(|_, _c: Chunk, cb| cb.ok()));
        let c2 = c.clone();
        w.on_error(move |e| c2.borrow_mut().push(e.code().unwrap_or("").to_owned()));
        w.end();
        let c3 = c.clone();
        w.write_with(Chunk::from("x"), move |e| {
            c3.borrow_mut().push(format!(
                "cb {}",
                e.map(|e| e.kind() == ErrorKind::WriteAfterEnd)
                    .unwrap_or(false)
            ))
        });
    });
    let mut codes = codes.borrow().clone();
    codes.sort();
    assert_eq!(
        codes,
        [
            "ERR_STREAM_PUSH_AFTER_EOF",
            "ERR_STREAM_WRITE_AFTER_END",
            "cb true"
        ]
    );
}

#[test]
fn set_encoding_decodes_across_chunks() {
    let out = Rc::new(RefCell::new(String::new()));
    let o = out.clone();
    nd::run(move || {
        let parts: Vec<&'static [u8]> = vec![&[0xE2, 0x82], &[0xAC, b'!']];
        let mut it = parts.into_iter();
        let r = Readable::new_readable(Options::new().read(move |s: &Readable, _| {
            s.push(it.next().map(Chunk::from));
        }));
        r.set_encoding(Encoding::Utf8);
        r.on_data(move |c| {
            if let Chunk::Str(s) = c {
                o.borrow_mut().push_str(s);
            }
        });
    });
    assert_eq!(*out.borrow(), "€!");
}

#[test]
fn construct_runs_before_read_and_buffers_writes() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    nd::run(move || {
        let (l1, l2, l3) = (l.clone(), l.clone(), l.clone());
        let w = Writable::new_writable(
            Options::new()
                .construct(move |_, cb| {
                    l1.borrow_mut().push("construct".to_owned());
                    nd::set_immediate(move || cb.ok());
                })
                .write(move |_, c: Chunk, cb| {
                    l2.borrow_mut()
                        .push(format!("write {}", String::from_utf8_lossy(c.as_bytes())));
                    cb.ok();
                }),
        );
        w.write(Chunk::from("a"));
        w.end_with(Chunk::from("b"));
        w.on_finish(move || l3.borrow_mut().push("finish".to_owned()));
    });
    assert_eq!(*log.borrow(), ["construct", "write a", "write b", "finish"]);
}
