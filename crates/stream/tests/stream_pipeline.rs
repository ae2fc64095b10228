//! `pipeline`: data flows through every stage; an error in a middle stage destroys every
//! stage exactly once and reaches the callback; `finished` reports premature close.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{
    Chunk, Error, ErrorKind, Options, Readable, Stage, Transform, Writable, finished, pipeline,
    pipeline_async,
};

fn counting_destroy<R, W>(
    count: &Rc<Cell<u32>>,
) -> impl FnMut(&nodestd_stream::Stream<R, W>, Option<Error>, nodestd_stream::Callback) + 'static {
    let c = count.clone();
    move |_, err, cb| {
        c.set(c.get() + 1);
        cb.call(err);
    }
}

fn source(n: usize, destroys: &Rc<Cell<u32>>) -> Readable {
    let left = Cell::new(n);
    Readable::new_readable(
        Options::new()
            .read(move |s: &Readable, _| {
                if left.get() == 0 {
                    s.push(None);
                } else {
                    left.set(left.get() - 1);
                    let s = s.clone();
                    nd::set_immediate(move || {
                        s.push(Some(Chunk::from("ab")));
                    });
                }
            })
            .destroy(counting_destroy(destroys)),
    )
}

#[test]
fn middle_stage_error_destroys_every_stage_once() {
    let destroys: Vec<Rc<Cell<u32>>> = (0..4).map(|_| Rc::new(Cell::new(0))).collect();
    let result = Rc::new(RefCell::new(None));
    let (d, r) = (destroys.clone(), result.clone());
    let exit = nd::run(move || {
        let src = source(100, &d[0]);
        let seen = Cell::new(0);
        let upper: Transform = Transform::new_transform(
            Options::new()
                .transform(|_, c: Chunk, cb| {
                    cb.push(Chunk::from(c.as_bytes().to_ascii_uppercase()))
                })
                .destroy(counting_destroy(&d[1])),
        );
        let failing: Transform = Transform::new_transform(
            Options::new()
                .transform(move |_, c: Chunk, cb| {
                    seen.set(seen.get() + 1);
                    if seen.get() == 3 {
                        cb.err(Error::with_code("EBOOM", "third chunk"));
                    } else {
                        cb.push(c);
                    }
                })
                .destroy(counting_destroy(&d[2])),
        );
        let sink = Writable::new_writable(
            Options::new()
                .write(|_, _c: Chunk, cb| cb.ok())
                .destroy(counting_destroy(&d[3])),
        );
        pipeline(
            vec![
                Stage::readable(&src),
                Stage::duplex(&upper),
                Stage::duplex(&failing),
                Stage::writable(&sink),
            ],
            move |err| *r.borrow_mut() = Some(err),
        );
    });
    assert_eq!(exit.code(), 0, "no uncaught error");
    let err = result
        .borrow_mut()
        .take()
        .expect("callback ran")
        .expect("an error");
    assert_eq!(err.code(), Some("EBOOM"));
    assert_eq!(err.message(), "third chunk");
    for (i, d) in destroys.iter().enumerate() {
        assert_eq!(d.get(), 1, "stage {i} destroyed exactly once");
    }
}

#[test]
fn pipeline_delivers_everything_and_calls_back_once() {
    let out = Rc::new(RefCell::new(Vec::new()));
    let calls = Rc::new(Cell::new(0));
    let (o, c) = (out.clone(), calls.clone());
    nd::run(move || {
        let d = Rc::new(Cell::new(0));
        let src = source(10, &d);
        let sink = Writable::new_writable(Options::new().write(move |_, ch: Chunk, cb| {
            o.borrow_mut().extend_from_slice(ch.as_bytes());
            cb.ok();
        }));
        let p = nodestd_stream::pass_through();
        pipeline(
            vec![
                Stage::readable(&src),
                Stage::duplex(&p),
                Stage::writable(&sink),
            ],
            move |err| {
                assert!(err.is_none());
                c.set(c.get() + 1);
            },
        );
    });
    assert_eq!(calls.get(), 1);
    assert_eq!(out.borrow().len(), 20);
}

#[test]
fn pipeline_async_reports_a_source_error() {
    let err = nd::block_on(async {
        let src = Readable::new_readable(Options::new().read(|s: &Readable, _| {
            s.destroy(Some(Error::new("source failed")));
        }));
        let sink = Writable::new_writable(Options::new().write(|_, _c: Chunk, cb| cb.ok()));
        pipeline_async(vec![Stage::readable(&src), Stage::writable(&sink)]).await
    })
    .unwrap()
    .unwrap_err();
    assert_eq!(err.message(), "source failed");
}

#[test]
fn finished_reports_premature_close() {
    let got = Rc::new(RefCell::new(None));
    let g = got.clone();
    nd::run(move || {
        let w = Writable::new_writable(Options::new().write(|_, _c: Chunk, cb| cb.ok()));
        finished(&w, move |e| *g.borrow_mut() = Some(e));
        w.write(Chunk::from("x"));
        w.destroy(None);
    });
    let e = got.borrow_mut().take().unwrap().unwrap();
    assert_eq!(e.kind(), ErrorKind::PrematureClose);
    assert_eq!(e.code(), Some("ERR_STREAM_PREMATURE_CLOSE"));
    assert_eq!(e.message(), "Premature close");
}
