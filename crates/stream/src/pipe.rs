//! `readable.pipe(dest)` and `unpipe` (Node's `Readable.prototype.pipe`): writes each chunk to
//! the destination, pauses the source when `write` returns false and resumes it on `drain`,
//! ends the destination on `end` (unless `end: false`), and unpipes on the destination's
//! `close`, `finish` or `error`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_events::{ListenerId, Named};
use nodestd_loop as nd;

use crate::error::Error;
use crate::stream::{PipeEntry, Stream};

struct Pipe<R: 'static, W: 'static, D: 'static> {
    src: Stream<R, W>,
    dest: Stream<D, R>,
    cleaned_up: Cell<bool>,
    end_id: Cell<Option<ListenerId>>,
    data_id: Cell<Option<ListenerId>>,
    drain_id: Cell<Option<ListenerId>>,
    error_id: Cell<Option<ListenerId>>,
    close_id: Cell<Option<ListenerId>>,
    finish_id: Cell<Option<ListenerId>>,
    unpipe_id: Cell<Option<ListenerId>>,
    me: RefCell<Option<std::rc::Weak<Self>>>,
}

impl<R: Clone + 'static, W: 'static, D: 'static> Pipe<R, W, D> {
    fn this(&self) -> Rc<Self> {
        self.me
            .borrow()
            .as_ref()
            .and_then(std::rc::Weak::upgrade)
            .unwrap_or_else(|| unreachable!("a pipe lives while its listeners do"))
    }

    fn cleanup(&self) {
        let em = &self.dest.inner.em;
        if let Some(id) = self.close_id.take() {
            em.off("close", id);
        }
        if let Some(id) = self.finish_id.take() {
            em.off("finish", id);
        }
        let had_drain = self.drain_id.get();
        if let Some(id) = had_drain {
            em.off("drain", id);
        }
        if let Some(id) = self.error_id.take() {
            em.off("error", id);
        }
        if let Some(id) = self.unpipe_id.take() {
            em.off("unpipe", id);
        }
        if let Some(id) = self.end_id.take() {
            self.src.inner.em.off("end", id);
        }
        if let Some(id) = self.data_id.take() {
            self.src.off_data(id);
        }
        self.cleaned_up.set(true);
        let awaiting = !self.src.inner.r.borrow().await_drain.is_empty();
        if had_drain.is_some() && awaiting && self.dest.inner.w.borrow().need_drain {
            self.on_drain();
        }
    }

    fn pause(&self) {
        if !self.cleaned_up.get() {
            let dest = self.dest.id();
            {
                let mut r = self.src.inner.r.borrow_mut();
                let listed = r.pipes.iter().any(|p| p.dest == dest);
                if listed && !r.await_drain.contains(&dest) {
                    r.await_drain.push(dest);
                }
            }
            self.src.pause();
        }
        if self.drain_id.get().is_none() {
            let me = self.this();
            let id = self.dest.on_drain(move || me.on_drain());
            self.drain_id.set(Some(id));
        }
    }

    /// Node's `pipeOnDrain`.
    fn on_drain(&self) {
        let go = {
            let mut r = self.src.inner.r.borrow_mut();
            let dest = self.dest.id();
            r.await_drain.retain(|d| *d != dest);
            r.await_drain.is_empty() && r.data_listening
        };
        if go {
            self.src.resume();
        }
    }

    fn unpipe(&self) {
        self.src.unpipe(Some(self.dest.id()));
    }
}

impl<R: 'static, W: 'static> Stream<R, W> {
    /// `pipe(dest)`: see [`Stream::pipe_with`]; `end` defaults to true.
    pub fn pipe<D: 'static>(&self, dest: &Stream<D, R>) -> Stream<D, R>
    where
        R: Clone,
    {
        self.pipe_with(dest, true)
    }

    /// `pipe(dest, { end })`: sends this stream's data to `dest` with backpressure. When
    /// `end` is true, `dest.end()` is called after this stream's `end`. Returns `dest`.
    pub fn pipe_with<D: 'static>(&self, dest: &Stream<D, R>, end: bool) -> Stream<D, R>
    where
        R: Clone,
    {
        let p = Rc::new(Pipe {
            src: self.clone(),
            dest: dest.clone(),
            cleaned_up: Cell::new(false),
            end_id: Cell::new(None),
            data_id: Cell::new(None),
            drain_id: Cell::new(None),
            error_id: Cell::new(None),
            close_id: Cell::new(None),
            finish_id: Cell::new(None),
            unpipe_id: Cell::new(None),
            me: RefCell::new(None),
        });
        *p.me.borrow_mut() = Some(Rc::downgrade(&p));
        let dest_id = dest.id();
        {
            let p2 = Rc::clone(&p);
            self.inner.r.borrow_mut().pipes.push(PipeEntry {
                dest: dest_id,
                unpipe: Rc::new(move || {
                    let _ = p2
                        .dest
                        .inner
                        .em
                        .emit(Named::<usize>::new("unpipe"), p2.src.id());
                }),
            });
        }
        let end_fn = {
            let p = Rc::clone(&p);
            move || {
                if end {
                    p.dest.end();
                } else {
                    p.unpipe();
                }
            }
        };
        if self.inner.r.borrow().end_emitted {
            nd::next_tick(end_fn);
        } else {
            let f = RefCell::new(Some(end_fn));
            let id = self.once_end(move || {
                if let Some(f) = f.borrow_mut().take() {
                    f();
                }
            });
            p.end_id.set(Some(id));
        }
        {
            let p2 = Rc::clone(&p);
            let src_id = self.id();
            let id = dest.on_unpipe(move |from| {
                if from == src_id && !p2.cleaned_up.get() {
                    p2.cleanup();
                }
            });
            p.unpipe_id.set(Some(id));
        }
        {
            let p2 = Rc::clone(&p);
            let id = self.on_data(move |chunk: &R| {
                if !p2.dest.write(chunk.clone()) {
                    p2.pause();
                }
            });
            p.data_id.set(Some(id));
        }
        {
            let p2 = Rc::clone(&p);
            let id =
                dest.inner
                    .em
                    .prepend_listener(Named::<Error>::new("error"), move |er: &Error| {
                        p2.unpipe();
                        if let Some(id) = p2.error_id.take() {
                            p2.dest.inner.em.off("error", id);
                        }
                        if p2.dest.inner.em.listener_count("error") == 0 {
                            if !p2.dest.error_emitted() {
                                p2.dest.error_or_destroy(er.clone(), false);
                            } else {
                                p2.dest.emit_error_now(er);
                            }
                        }
                    });
            p.error_id.set(Some(id));
        }
        {
            let p2 = Rc::clone(&p);
            let id = dest.once_close(move || {
                if let Some(id) = p2.finish_id.take() {
                    p2.dest.inner.em.off("finish", id);
                }
                p2.unpipe();
            });
            p.close_id.set(Some(id));
        }
        {
            let p2 = Rc::clone(&p);
            let id = dest.once_finish(move || {
                if let Some(id) = p2.close_id.take() {
                    p2.dest.inner.em.off("close", id);
                }
                p2.unpipe();
            });
            p.finish_id.set(Some(id));
        }
        let _ = dest.inner.em.emit(Named::<usize>::new("pipe"), self.id());
        if dest.writable_need_drain() {
            p.pause();
        } else if self.inner.r.borrow().flowing != Some(true) {
            self.resume();
        }
        dest.clone()
    }

    /// `unpipe(dest)`: stops piping to the stream with id `dest` (see [`Stream::id`]), or to
    /// every destination (`None`).
    pub fn unpipe(&self, dest: Option<usize>) {
        let entries: Vec<PipeEntry> = {
            let mut r = self.inner.r.borrow_mut();
            if r.pipes.is_empty() {
                return;
            }
            match dest {
                None => std::mem::take(&mut r.pipes),
                Some(d) => match r.pipes.iter().position(|p| p.dest == d) {
                    Some(i) => vec![r.pipes.remove(i)],
                    None => return,
                },
            }
        };
        if dest.is_none() || self.inner.r.borrow().pipes.is_empty() {
            self.pause();
        }
        for e in entries {
            (e.unpipe)();
        }
    }
}
