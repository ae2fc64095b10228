//! Streams are freed once the loop is done with them: the listeners a stream keeps on itself
//! (`finished`, `pipeline`, `pipe`, async iteration) hold no `Rc` cycle after completion.

use std::cell::Cell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{Chunk, Options, Readable, Stage, Writable, finished, pipeline};

/// Sets its flag when dropped (captured by a stream's callback: dropped with the stream).
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

fn source(flag: &Rc<Cell<bool>>) -> Readable {
    let guard = DropFlag(flag.clone());
    let mut n = 0;
    Readable::new_readable(Options::new().read(move |s: &Readable, _| {
        let _ = &guard;
        n += 1;
        s.push((n <= 3).then(|| Chunk::from("ab")));
    }))
}

fn sink(flag: &Rc<Cell<bool>>) -> Writable {
    let guard = DropFlag(flag.clone());
    Writable::new_writable(Options::new().write(move |_, _c: Chunk, cb| {
        let _ = &guard;
        cb.ok();
    }))
}

#[test]
fn piped_streams_are_freed() {
    let (a, b) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
    let (a2, b2) = (a.clone(), b.clone());
    nd::run(move || {
        let r = source(&a2);
        let w = sink(&b2);
        finished(&r, |_| {});
        finished(&w, |_| {});
        r.pipe(&w);
    });
    assert!(a.get(), "the readable was freed");
    assert!(b.get(), "the writable was freed");
}

#[test]
fn pipeline_stages_are_freed() {
    let flags: Vec<Rc<Cell<bool>>> = (0..3).map(|_| Rc::new(Cell::new(false))).collect();
    let f = flags.clone();
    nd::run(move || {
        let r = source(&f[0]);
        let guard = DropFlag(f[1].clone());
        let t = nodestd_stream::Transform::new_transform(Options::new().transform(
            move |_, c: Chunk, cb| {
                let _ = &guard;
                cb.push(c);
            },
        ));
        let w = sink(&f[2]);
        pipeline(
            vec![Stage::readable(&r), Stage::duplex(&t), Stage::writable(&w)],
            |e| assert!(e.is_none()),
        );
    });
    for (i, f) in flags.iter().enumerate() {
        assert!(f.get(), "stage {i} was freed");
    }
}

#[test]
fn iterated_streams_are_freed() {
    let a = Rc::new(Cell::new(false));
    let a2 = a.clone();
    nd::block_on(async move {
        let r = source(&a2);
        while let Some(c) = r.next().await {
            c.unwrap();
        }
    })
    .unwrap();
    assert!(a.get(), "the readable was freed");
}
