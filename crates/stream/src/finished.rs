//! `finished` (Node's `end-of-stream.js`): completion of a stream, which `pipeline`
//! (`pipeline.rs`) builds on.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_events::{ListenerId, Named};
use nodestd_loop as nd;

use crate::error::Error;
use crate::stream::Stream;

type Cb = Rc<RefCell<Option<Box<dyn FnOnce(Option<Error>)>>>>;

fn call(cb: &Cb, err: Option<Error>) {
    let f = cb.borrow_mut().take();
    if let Some(f) = f {
        f(err);
    }
}

impl<R: 'static, W: 'static> Stream<R, W> {
    pub(crate) fn readable_finished(&self, strict: bool) -> bool {
        let r = self.inner.r.borrow();
        r.end_emitted || (!strict && r.ended && r.length == 0)
    }

    fn writable_finished_loose(&self, strict: bool) -> bool {
        let w = self.inner.w.borrow();
        w.finished || (!strict && w.ended && w.length == 0)
    }

    fn will_emit_close(&self) -> bool {
        let d = self.inner.d.borrow();
        d.auto_destroy && d.emit_close && !d.closed
    }

    /// Node's `eos(stream, { readable, writable }, cb)`; returns the cleanup.
    pub(crate) fn eos(
        &self,
        readable: bool,
        writable: bool,
        cb: impl FnOnce(Option<Error>) + 'static,
    ) -> Rc<dyn Fn()> {
        let cb: Cb = Rc::new(RefCell::new(Some(Box::new(cb))));
        let will_close = Rc::new(Cell::new(
            self.will_emit_close() && self.inner.has_r == readable && self.inner.has_w == writable,
        ));
        let w_fin = Rc::new(Cell::new(
            self.inner.has_w && self.writable_finished_loose(false),
        ));
        let r_fin = Rc::new(Cell::new(self.inner.has_r && self.readable_finished(false)));
        let em = &self.inner.em;
        let mut ids: Vec<(&'static str, ListenerId)> = Vec::new();
        // Node's `onfinish` and `onend`, mirror images: this event's side is done; call back
        // unless a `close` is still to come, or the other side is awaited and not done yet.
        let side_done = |mine: &Rc<Cell<bool>>,
                         other: &Rc<Cell<bool>>,
                         other_awaited: bool,
                         other_open: fn(&Stream<R, W>) -> bool| {
            let (ws, cb, wc, mine, other) = (
                self.downgrade(),
                Rc::clone(&cb),
                Rc::clone(&will_close),
                Rc::clone(mine),
                Rc::clone(other),
            );
            move |_: &()| {
                let Some(s) = ws.upgrade() else { return };
                mine.set(true);
                if s.destroyed() {
                    wc.set(false);
                }
                if wc.get() && (!other_open(&s) || other_awaited) {
                    return;
                }
                if !other_awaited || other.get() {
                    call(&cb, None);
                }
            }
        };
        ids.push((
            "finish",
            em.on(
                Named::<()>::new("finish"),
                side_done(&w_fin, &r_fin, readable, Stream::readable),
            ),
        ));
        ids.push((
            "end",
            em.on(
                Named::<()>::new("end"),
                side_done(&r_fin, &w_fin, writable, Stream::writable),
            ),
        ));
        {
            let cb = Rc::clone(&cb);
            ids.push((
                "error",
                em.on(Named::<Error>::new("error"), move |e: &Error| {
                    call(&cb, Some(e.clone()))
                }),
            ));
        }
        let onclose: Rc<dyn Fn()> = {
            let (ws, cb, wf, rf) = (
                self.downgrade(),
                Rc::clone(&cb),
                Rc::clone(&w_fin),
                Rc::clone(&r_fin),
            );
            Rc::new(move || {
                let Some(s) = ws.upgrade() else { return };
                if let Some(e) = s.errored() {
                    return call(&cb, Some(e));
                }
                if readable && !rf.get() && s.inner.has_r && !s.readable_finished(false) {
                    return call(&cb, Some(Error::premature_close()));
                }
                if writable && !wf.get() && s.inner.has_w && !s.writable_finished_loose(false) {
                    return call(&cb, Some(Error::premature_close()));
                }
                call(&cb, None);
            })
        };
        {
            let oc = Rc::clone(&onclose);
            ids.push(("close", em.on(Named::<()>::new("close"), move |_| oc())));
        }
        let keep = self.clone();
        let later = move |f: Rc<dyn Fn()>| {
            let keep = keep.clone();
            nd::next_tick(move || {
                let _alive = keep;
                f()
            })
        };
        if self.closed() {
            later(Rc::clone(&onclose));
        } else if self.error_emitted() {
            if !will_close.get() {
                later(Rc::clone(&onclose));
            }
        } else if (!readable
            && (!will_close.get() || self.readable())
            && (w_fin.get() || !self.writable())
            && (w_fin.get() || !self.inner.has_w || self.writable_ended()))
            || (!writable
                && (!will_close.get() || self.writable())
                && (r_fin.get() || !self.readable()))
        {
            later(Rc::clone(&onclose));
        }
        let s = self.downgrade();
        let cleanup_cb = Rc::clone(&cb);
        let ids = RefCell::new(ids);
        Rc::new(move || {
            cleanup_cb.borrow_mut().take();
            let Some(s) = s.upgrade() else { return };
            for (name, id) in ids.borrow_mut().drain(..) {
                s.inner.em.off(name, id);
            }
        })
    }
}

/// `stream.finished(stream, cb)`: `cb` runs once when the stream has ended (readable),
/// finished (writable), or both (duplex) — with `None` — or failed, with the error
/// (`ERR_STREAM_PREMATURE_CLOSE` when it closed first).
///
/// ```
/// use nodestd_stream::{finished, pass_through, Chunk};
/// nodestd_loop::run(|| {
///     let p = pass_through();
///     finished(&p, |err| assert!(err.is_none()));
///     p.resume();
///     p.end_with(Chunk::from("x"));
/// });
/// ```
pub fn finished<R: 'static, W: 'static>(
    stream: &Stream<R, W>,
    cb: impl FnOnce(Option<Error>) + 'static,
) {
    let _ = stream.eos(stream.inner.has_r, stream.inner.has_w, cb);
}

/// `stream.promises.finished(stream)`: a future of the outcome.
///
/// # Errors
/// The stream's error, or `ERR_STREAM_PREMATURE_CLOSE`.
#[doc(alias = "finished")]
pub async fn finished_async<R: 'static, W: 'static>(stream: &Stream<R, W>) -> Result<(), Error> {
    let (tx, rx) = nd::promise();
    finished(stream, move |e| tx.resolve(e));
    match rx.await {
        Ok(None) => Ok(()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(Error::premature_close()),
    }
}
