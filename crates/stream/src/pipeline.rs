//! `pipeline` (Node's `pipeline.js`): a chain of streams with error propagation and
//! destruction of every stage, built on `finished`'s end-of-stream watcher.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_loop as nd;

use crate::error::Error;
use crate::stream::{Never, Stream};

/// One stage of a [`pipeline`]: a readable, duplex/transform or writable stream of chunks `T`.
pub enum Stage<T: 'static = crate::Chunk> {
    /// A source.
    Readable(Stream<T, Never>),
    /// A middle stage (or a duplex at either end).
    Duplex(Stream<T, T>),
    /// A destination.
    Writable(Stream<Never, T>),
}

impl<T: 'static> Stage<T> {
    /// A source stage.
    pub fn readable(s: &Stream<T, Never>) -> Self {
        Stage::Readable(s.clone())
    }
    /// A middle (duplex or transform) stage.
    pub fn duplex(s: &Stream<T, T>) -> Self {
        Stage::Duplex(s.clone())
    }
    /// A destination stage.
    pub fn writable(s: &Stream<Never, T>) -> Self {
        Stage::Writable(s.clone())
    }
}

impl<T: 'static> Stage<T> {
    fn destroy(&self, err: Error) {
        match self {
            Stage::Readable(s) => s.destroy(Some(err)),
            Stage::Duplex(s) => s.destroy(Some(err)),
            Stage::Writable(s) => s.destroy(Some(err)),
        }
    }
    fn destroyed(&self) -> bool {
        match self {
            Stage::Readable(s) => s.destroyed(),
            Stage::Duplex(s) => s.destroyed(),
            Stage::Writable(s) => s.destroyed(),
        }
    }
    fn on_close(&self, f: impl Fn() + 'static) {
        match self {
            Stage::Readable(s) => s.on_close(f),
            Stage::Duplex(s) => s.on_close(f),
            Stage::Writable(s) => s.on_close(f),
        };
    }
    fn on_error(&self, f: impl Fn(&Error) + 'static) {
        match self {
            Stage::Readable(s) => s.on_error(f),
            Stage::Duplex(s) => s.on_error(f),
            Stage::Writable(s) => s.on_error(f),
        };
    }
    fn eos(&self, r: bool, w: bool, cb: impl FnOnce(Option<Error>) + 'static) {
        let _ = match self {
            Stage::Readable(s) => s.eos(r, w, cb),
            Stage::Duplex(s) => s.eos(r, w, cb),
            Stage::Writable(s) => s.eos(r, w, cb),
        };
    }
}

struct PipelineState {
    error: Option<Error>,
    finish_count: usize,
    destroys: Vec<Box<dyn FnOnce(Option<Error>)>>,
    callback: Option<Box<dyn FnOnce(Option<Error>)>>,
}

type Shared = Rc<RefCell<PipelineState>>;

fn finish_impl(st: &Shared, err: Option<Error>, is_final: bool) {
    let destroys = {
        let mut s = st.borrow_mut();
        if let Some(e) = err {
            let replace = match &s.error {
                None => true,
                Some(old) => old.kind() == crate::ErrorKind::PrematureClose,
            };
            if replace {
                s.error = Some(e);
            }
        }
        if s.error.is_none() && !is_final {
            return;
        }
        std::mem::take(&mut s.destroys)
    };
    let error = st.borrow().error.clone();
    for d in destroys {
        d(error.clone());
    }
    if is_final {
        let cb = st.borrow_mut().callback.take();
        if let Some(cb) = cb {
            let error = st.borrow().error.clone();
            nd::next_tick(move || cb(error));
        }
    }
}

fn finish(st: &Shared, err: Option<Error>) {
    let is_final = {
        let mut s = st.borrow_mut();
        s.finish_count = s.finish_count.saturating_sub(1);
        s.finish_count == 0
    };
    finish_impl(st, err, is_final);
}

/// `stream.pipeline(...streams, cb)`: pipes each stage into the next; when any stage fails,
/// every stage is destroyed (with that error) and `cb` gets it; otherwise `cb(None)` once the
/// last stage finished. `cb` runs on a next tick, as Node's does.
///
/// ```
/// use nodestd_stream::{pipeline, pass_through, Chunk, Options, Readable, Writable, Stage};
/// nodestd_loop::run(|| {
///     let mut n = 0;
///     let src = Readable::new_readable(Options::new().read(move |s: &Readable, _| {
///         n += 1;
///         s.push((n < 3).then(|| Chunk::from("ab")));
///     }));
///     let sink = Writable::new_writable(Options::new().write(|_, _c: Chunk, cb| cb.ok()));
///     let mid = pass_through();
///     pipeline(vec![Stage::readable(&src), Stage::duplex(&mid), Stage::writable(&sink)], |err| {
///         assert!(err.is_none());
///     });
/// });
/// ```
pub fn pipeline<T: Clone + 'static>(
    stages: Vec<Stage<T>>,
    cb: impl FnOnce(Option<Error>) + 'static,
) {
    let st: Shared = Rc::new(RefCell::new(PipelineState {
        error: None,
        finish_count: 0,
        destroys: Vec::new(),
        callback: Some(Box::new(cb)),
    }));
    let n = stages.len();
    let stages: Vec<Rc<Stage<T>>> = stages.into_iter().map(Rc::new).collect();
    for (i, stage) in stages.iter().enumerate() {
        let reading = i < n - 1;
        let writing = i > 0;
        // Errors after the pipe completed.
        {
            let st2 = Rc::clone(&st);
            stage.on_error(move |e| {
                if e.kind() != crate::ErrorKind::PrematureClose {
                    finish(&st2, Some(e.clone()));
                }
            });
        }
        // The destroyer: destroys the stage unless it completed.
        {
            let done = Rc::new(Cell::new(false));
            let d2 = Rc::clone(&done);
            stage.on_close(move || d2.set(true));
            let d3 = Rc::clone(&done);
            stage.eos(reading, writing, move |e| d3.set(e.is_none()));
            st.borrow_mut().finish_count += 1;
            let s2 = Rc::clone(stage);
            let st2 = Rc::clone(&st);
            st.borrow_mut().destroys.push(Box::new(move |err| {
                if done.replace(true) {
                    return;
                }
                if !s2.destroyed() {
                    s2.destroy(err.unwrap_or_else(|| Error::destroyed("pipe")));
                }
                let _ = st2;
            }));
        }
        if i > 0 {
            let src = Rc::clone(&stages[i - 1]);
            st.borrow_mut().finish_count += 2;
            pipe_stage(&src, stage, &st);
        }
    }
    // The destroyers were counted so a pipeline of one stage completes; Node counts only the
    // pipes, so undo that count here.
    let extra = n;
    let mut s = st.borrow_mut();
    s.finish_count = s.finish_count.saturating_sub(extra);
    if s.finish_count == 0 {
        drop(s);
        finish_impl(&st, None, true);
    }
}

fn pipe_stage<T: Clone + 'static>(src: &Rc<Stage<T>>, dst: &Rc<Stage<T>>, st: &Shared) {
    let ended = Rc::new(Cell::new(false));
    {
        let (st2, ended) = (Rc::clone(st), Rc::clone(&ended));
        dst.on_close(move || {
            if !ended.get() {
                finish(&st2, Some(Error::premature_close()));
            }
        });
    }
    let end_fn = {
        let (dst, ended) = (Rc::clone(dst), Rc::clone(&ended));
        move || {
            ended.set(true);
            match &*dst {
                Stage::Duplex(d) => d.end(),
                Stage::Writable(w) => w.end(),
                Stage::Readable(_) => {}
            }
        }
    };
    match (&**src, &**dst) {
        (Stage::Readable(a), Stage::Duplex(b)) => {
            a.pipe_with(b, false);
            on_src_end(a, end_fn);
        }
        (Stage::Readable(a), Stage::Writable(b)) => {
            a.pipe_with(b, false);
            on_src_end(a, end_fn);
        }
        (Stage::Duplex(a), Stage::Duplex(b)) => {
            a.pipe_with(b, false);
            on_src_end(a, end_fn);
        }
        (Stage::Duplex(a), Stage::Writable(b)) => {
            a.pipe_with(b, false);
            on_src_end(a, end_fn);
        }
        _ => {
            finish(
                st,
                Some(Error::of(
                    crate::ErrorKind::InvalidArgType,
                    "The \"streams\" argument must be a chain of readable, duplex and writable streams",
                )),
            );
        }
    }
    {
        let st2 = Rc::clone(st);
        let srcs = Rc::clone(src);
        src.eos(true, false, move |err| {
            let premature = err
                .as_ref()
                .is_some_and(|e| e.kind() == crate::ErrorKind::PrematureClose);
            let ended_clean = match &*srcs {
                Stage::Readable(s) => {
                    s.inner.r.borrow().ended && s.errored().is_none() && !s.error_emitted()
                }
                Stage::Duplex(s) => {
                    s.inner.r.borrow().ended && s.errored().is_none() && !s.error_emitted()
                }
                Stage::Writable(_) => false,
            };
            if premature && ended_clean {
                let st3 = Rc::clone(&st2);
                let fired = Rc::new(Cell::new(false));
                let f2 = Rc::clone(&fired);
                let st4 = Rc::clone(&st2);
                match &*srcs {
                    Stage::Readable(s) => {
                        s.once_end(move || {
                            if !fired.replace(true) {
                                finish(&st3, None)
                            }
                        });
                        s.once_error(move |e| {
                            if !f2.replace(true) {
                                finish(&st4, Some(e.clone()))
                            }
                        });
                    }
                    Stage::Duplex(s) => {
                        s.once_end(move || {
                            if !fired.replace(true) {
                                finish(&st3, None)
                            }
                        });
                        s.once_error(move |e| {
                            if !f2.replace(true) {
                                finish(&st4, Some(e.clone()))
                            }
                        });
                    }
                    Stage::Writable(_) => {}
                }
            } else {
                finish(&st2, err);
            }
        });
    }
    {
        let st2 = Rc::clone(st);
        dst.eos(false, true, move |err| finish(&st2, err));
    }
}

fn on_src_end<R: 'static, W: 'static>(src: &Stream<R, W>, end_fn: impl FnOnce() + 'static) {
    if src.readable_finished(false) {
        nd::next_tick(end_fn);
    } else {
        let f = RefCell::new(Some(end_fn));
        src.once_end(move || {
            if let Some(f) = f.borrow_mut().take() {
                f();
            }
        });
    }
}

/// `stream.promises.pipeline(...streams)`.
///
/// # Errors
/// The first error of any stage.
#[doc(alias = "pipeline")]
pub async fn pipeline_async<T: Clone + 'static>(stages: Vec<Stage<T>>) -> Result<(), Error> {
    let (tx, rx) = nd::promise();
    pipeline(stages, move |e| tx.resolve(e));
    match rx.await {
        Ok(None) => Ok(()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(Error::premature_close()),
    }
}
