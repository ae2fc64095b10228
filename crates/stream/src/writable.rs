//! The writable side (Node's `lib/internal/streams/writable.js`): `write` with backpressure
//! and `drain`, buffering while a write is in flight or corked, `_writev`, `end`, `_final`,
//! `prefinish` and `finish`; and the transform glue (`transform.js`).

use std::any::Any;

use nodestd_loop as nd;

use crate::chunk::Chunk;
use crate::error::Error;
use crate::stream::{
    Callback, Stream, TransformCallback, WriteCb, as_chunk, chunk_len, from_chunk,
};

impl<R: 'static, W: 'static> Stream<R, W> {
    /// `write(chunk)`: returns `false` once the buffered length reaches the high-water mark
    /// (wait for `drain`). Writing after `end` fails with `ERR_STREAM_WRITE_AFTER_END`, after
    /// `destroy` with `ERR_STREAM_DESTROYED` (the error is emitted; `write` returns false).
    pub fn write(&self, chunk: W) -> bool {
        self.write_inner(chunk, None).unwrap_or(false)
    }

    /// `write(chunk, cb)`: `cb` runs when this chunk was handled (with its error, if any).
    pub fn write_with(&self, chunk: W, cb: impl FnOnce(Option<Error>) + 'static) -> bool {
        self.write_inner(chunk, Some(Box::new(cb))).unwrap_or(false)
    }

    /// Node's `_write(stream, chunk, encoding, cb)`: `Err` is the error returned to `end`.
    fn write_inner(&self, chunk: W, cb: Option<WriteCb>) -> Result<bool, Error> {
        if !self.inner.has_w {
            return Ok(false);
        }
        let (object, decode) = {
            let w = self.inner.w.borrow();
            (w.object_mode, w.decode_strings)
        };
        let chunk = if !object && decode {
            match as_chunk(chunk) {
                Ok(Chunk::Str(s)) => from_chunk(Chunk::Bytes(s.as_str().into())),
                Ok(c) => from_chunk(c),
                Err(c) => c,
            }
        } else {
            chunk
        };
        let err = if self.inner.w.borrow().ending {
            Some(Error::write_after_end())
        } else if self.destroyed() {
            Some(Error::destroyed("write"))
        } else {
            None
        };
        if let Some(err) = err {
            if let Some(cb) = cb {
                let e = err.clone();
                nd::next_tick(move || cb(Some(e)));
            }
            self.error_or_destroy(err.clone(), true);
            return Err(err);
        }
        self.inner.w.borrow_mut().pending_cb += 1;
        Ok(self.write_or_buffer(chunk, cb))
    }

    fn write_or_buffer(&self, chunk: W, cb: Option<WriteCb>) -> bool {
        let buffer = {
            let mut w = self.inner.w.borrow_mut();
            let len = chunk_len(&chunk, w.object_mode);
            w.length += len;
            let buffer =
                w.writing || w.corked > 0 || self.errored().is_some() || !self.constructed();
            if buffer {
                w.buffered.push_back((chunk, cb));
                None
            } else {
                w.write_len = len;
                w.write_cb = Some(cb);
                w.writing = true;
                w.sync = true;
                Some(chunk)
            }
        };
        if let Some(chunk) = buffer {
            self.call_write(chunk);
            self.inner.w.borrow_mut().sync = false;
        }
        // Node v20 measures the buffered length after a synchronous `_write` completed.
        let ret = {
            let mut w = self.inner.w.borrow_mut();
            let ret = w.length < w.hwm || w.length == 0;
            if !ret {
                w.need_drain = true;
            }
            ret
        };
        ret && self.errored().is_none() && !self.destroyed()
    }

    /// The `onwrite` callback handed to `_write`/`_writev`.
    fn onwrite_callback(&self) -> Callback {
        let s = self.clone();
        Callback::new(move |err| s.onwrite(err))
    }

    fn call_write(&self, chunk: W) {
        let cb = self.onwrite_callback();
        if self.inner.hooks.is_transform {
            self.transform_write(chunk, cb);
            return;
        }
        if let Some(h) = self.inner.hooks.write.clone() {
            if let Ok(mut f) = h.try_borrow_mut() {
                f(self, chunk, cb);
            }
        } else if let Some(h) = self.inner.hooks.writev.clone() {
            if let Ok(mut f) = h.try_borrow_mut() {
                f(self, vec![chunk], cb);
            }
        } else {
            cb.err(Error::not_implemented("_write()"));
        }
    }

    fn do_writev(&self, chunks: Vec<W>, len: usize, cb: Option<WriteCb>) {
        {
            let mut w = self.inner.w.borrow_mut();
            w.write_len = len;
            w.write_cb = Some(cb);
            w.writing = true;
            w.sync = true;
        }
        if self.destroyed() {
            self.onwrite(Some(Error::destroyed("write")));
        } else if let Some(h) = self.inner.hooks.writev.clone() {
            let cb = self.onwrite_callback();
            if let Ok(mut f) = h.try_borrow_mut() {
                f(self, chunks, cb);
            }
        }
        self.inner.w.borrow_mut().sync = false;
    }

    fn do_write(&self, chunk: W, len: usize, cb: Option<WriteCb>) {
        {
            let mut w = self.inner.w.borrow_mut();
            w.write_len = len;
            w.write_cb = Some(cb);
            w.writing = true;
            w.sync = true;
        }
        if self.destroyed() {
            self.onwrite(Some(Error::destroyed("write")));
        } else {
            self.call_write(chunk);
        }
        self.inner.w.borrow_mut().sync = false;
    }

    fn onwrite(&self, err: Option<Error>) {
        let (sync, cb, has_buffered) = {
            let mut w = self.inner.w.borrow_mut();
            let Some(cb) = w.write_cb.take() else {
                drop(w);
                self.error_or_destroy(
                    Error::of(
                        crate::ErrorKind::MultipleCallback,
                        "Callback called multiple times",
                    ),
                    false,
                );
                return;
            };
            w.writing = false;
            w.length = w.length.saturating_sub(w.write_len);
            w.write_len = 0;
            (w.sync, cb, !w.buffered.is_empty())
        };
        if let Some(er) = err {
            self.check_error(Some(&er));
            if sync {
                let s = self.clone();
                nd::next_tick(move || s.onwrite_error(er, cb));
            } else {
                self.onwrite_error(er, cb);
            }
            return;
        }
        if has_buffered {
            self.clear_buffer();
        }
        if !sync {
            self.after_write(1, cb);
            return;
        }
        // Node v20: a synchronous completion defers `afterWrite` to a tick only when there is
        // something to do there (a drain, a user callback; Node's `needTick` also tests bit 0
        // of its state, the object-mode flag); otherwise it settles the write at once.
        let (need_tick, pending) = {
            let w = self.inner.w.borrow();
            let need_drain = w.need_drain && w.length == 0;
            (
                need_drain || w.object_mode || cb.is_some(),
                w.after_write_pending,
            )
        };
        if cb.is_none() && (pending || !need_tick) {
            let ending = {
                let mut w = self.inner.w.borrow_mut();
                w.pending_cb = w.pending_cb.saturating_sub(1);
                w.ending
            };
            if ending {
                self.finish_maybe(true);
            }
            return;
        }
        self.inner.w.borrow_mut().after_write_pending = true;
        let s = self.clone();
        nd::next_tick(move || s.after_write(1, cb));
    }

    fn onwrite_error(&self, er: Error, cb: Option<WriteCb>) {
        {
            let mut w = self.inner.w.borrow_mut();
            w.pending_cb = w.pending_cb.saturating_sub(1);
        }
        if let Some(cb) = cb {
            cb(Some(er.clone()));
        }
        self.error_buffer();
        self.error_or_destroy(er, false);
    }

    fn after_write(&self, count: usize, cb: Option<WriteCb>) {
        let need_drain = {
            let mut w = self.inner.w.borrow_mut();
            w.after_write_pending = false;
            let nd = !w.ending && !self.destroyed() && w.length == 0 && w.need_drain;
            if nd {
                w.need_drain = false;
            }
            nd
        };
        if need_drain {
            self.emit_plain("drain");
        }
        {
            let mut w = self.inner.w.borrow_mut();
            w.pending_cb = w.pending_cb.saturating_sub(count);
        }
        if let Some(cb) = cb {
            cb(None);
        }
        if self.destroyed() {
            self.error_buffer();
        }
        if self.inner.w.borrow().ending {
            self.finish_maybe(true);
        }
    }

    /// Node's `errorBuffer`: fails every buffered write and pending `end` callback.
    pub(crate) fn error_buffer(&self) {
        let (entries, finished, err) = {
            let mut w = self.inner.w.borrow_mut();
            if w.writing {
                return;
            }
            let entries: Vec<_> = w.buffered.drain(..).collect();
            let object = w.object_mode;
            for (c, _) in &entries {
                w.length = w.length.saturating_sub(chunk_len(c, object));
            }
            let finished: Vec<_> = w.on_finished.drain(..).collect();
            (entries, finished, self.errored())
        };
        for (_, cb) in entries {
            if let Some(cb) = cb {
                cb(Some(
                    err.clone().unwrap_or_else(|| Error::destroyed("write")),
                ));
            }
        }
        for cb in finished {
            cb(Some(err.clone().unwrap_or_else(|| Error::destroyed("end"))));
        }
    }

    fn clear_buffer(&self) {
        let (entries, use_writev) = {
            let mut w = self.inner.w.borrow_mut();
            if w.corked > 0
                || w.buffer_processing
                || self.destroyed()
                || w.buffered.is_empty()
                || !self.constructed()
            {
                return;
            }
            w.buffer_processing = true;
            let use_writev = w.buffered.len() > 1 && self.inner.hooks.writev.is_some();
            if use_writev {
                let n = w.buffered.len();
                w.pending_cb = w.pending_cb.saturating_sub(n - 1);
                (w.buffered.drain(..).collect::<Vec<_>>(), true)
            } else {
                (Vec::new(), false)
            }
        };
        if use_writev {
            let len = self.inner.w.borrow().length;
            let mut chunks = Vec::with_capacity(entries.len());
            let mut cbs = Vec::new();
            for (c, cb) in entries {
                chunks.push(c);
                if let Some(cb) = cb {
                    cbs.push(cb);
                }
            }
            let cb: Option<WriteCb> = if cbs.is_empty() {
                None
            } else {
                Some(Box::new(move |err: Option<Error>| {
                    for cb in cbs {
                        cb(err.clone());
                    }
                }))
            };
            self.do_writev(chunks, len, cb);
        } else {
            loop {
                let next = {
                    let mut w = self.inner.w.borrow_mut();
                    let object = w.object_mode;
                    w.buffered
                        .pop_front()
                        .map(|(c, cb)| (chunk_len(&c, object), c, cb))
                };
                let Some((len, c, cb)) = next else { break };
                self.do_write(c, len, cb);
                let w = self.inner.w.borrow();
                if w.writing || w.buffered.is_empty() {
                    break;
                }
            }
        }
        self.inner.w.borrow_mut().buffer_processing = false;
    }

    /// `end()`: no more writes; `finish` follows once every write completed.
    pub fn end(&self) {
        self.end_inner(None, None);
    }

    /// `end(chunk)`: writes a last chunk, then ends.
    pub fn end_with(&self, chunk: W) {
        self.end_inner(Some(chunk), None);
    }

    /// `end(chunk, cb)`: `cb` runs on `finish` (or with the error that prevents it).
    pub fn end_cb(&self, chunk: Option<W>, cb: impl FnOnce(Option<Error>) + 'static) {
        self.end_inner(chunk, Some(Box::new(cb)));
    }

    fn end_inner(&self, chunk: Option<W>, cb: Option<WriteCb>) {
        if !self.inner.has_w {
            return;
        }
        let mut err = None;
        if let Some(c) = chunk {
            if let Err(e) = self.write_inner(c, None) {
                err = Some(e);
            }
        }
        let corked = self.inner.w.borrow().corked > 0;
        if corked {
            self.inner.w.borrow_mut().corked = 1;
            self.uncork();
        }
        if err.is_none() {
            let (ending, errored, finished) = {
                let w = self.inner.w.borrow();
                (w.ending, self.errored().is_some(), w.finished)
            };
            if !ending && !errored {
                self.inner.w.borrow_mut().ending = true;
                self.finish_maybe(true);
                self.inner.w.borrow_mut().ended = true;
            } else if finished {
                err = Some(Error::already_finished("end"));
            } else if self.destroyed() {
                err = Some(Error::destroyed("end"));
            }
        }
        if let Some(cb) = cb {
            if err.is_some() || self.inner.w.borrow().finished {
                nd::next_tick(move || cb(err));
            } else if let Some(e) = self.errored() {
                nd::next_tick(move || cb(Some(e)));
            } else {
                self.inner.w.borrow_mut().on_finished.push(cb);
            }
        }
    }

    fn need_finish(&self) -> bool {
        let w = self.inner.w.borrow();
        w.ending
            && !self.destroyed()
            && self.constructed()
            && w.length == 0
            && self.errored().is_none()
            // Node's kBuffered stays set while clearBuffer runs the entries it took out.
            && w.buffered.is_empty()
            && !w.buffer_processing
            && !w.finished
            && !w.writing
            && !self.error_emitted()
            && !self.close_emitted()
    }

    fn has_final(&self) -> bool {
        self.inner.hooks.is_transform || self.inner.hooks.final_.is_some()
    }

    fn prefinish(&self) {
        let (prefinished, final_called) = {
            let w = self.inner.w.borrow();
            (w.prefinished, w.final_called)
        };
        if prefinished || final_called {
            return;
        }
        if self.has_final() && !self.destroyed() {
            self.inner.w.borrow_mut().final_called = true;
            self.call_final();
        } else {
            self.inner.w.borrow_mut().prefinished = true;
            self.emit_plain("prefinish");
        }
    }

    fn call_final(&self) {
        let s = self.clone();
        let cb = Callback::new(move |err: Option<Error>| {
            {
                let mut w = s.inner.w.borrow_mut();
                w.pending_cb = w.pending_cb.saturating_sub(1);
            }
            if let Some(err) = err {
                let cbs: Vec<_> = s.inner.w.borrow_mut().on_finished.drain(..).collect();
                for cb in cbs {
                    cb(Some(err.clone()));
                }
                let sync = s.inner.w.borrow().sync;
                s.error_or_destroy(err, sync);
            } else if s.need_finish() {
                {
                    let mut w = s.inner.w.borrow_mut();
                    w.prefinished = true;
                    w.pending_cb += 1;
                }
                s.emit_plain("prefinish");
                let s2 = s.clone();
                nd::next_tick(move || s2.finish());
            }
        });
        {
            let mut w = self.inner.w.borrow_mut();
            w.sync = true;
            w.pending_cb += 1;
        }
        if self.inner.hooks.is_transform {
            self.transform_final(cb);
        } else if let Some(h) = self.inner.hooks.final_.clone() {
            if let Ok(mut f) = h.try_borrow_mut() {
                f(self, cb);
            }
        }
        self.inner.w.borrow_mut().sync = false;
    }

    fn finish_maybe(&self, sync: bool) {
        if !self.need_finish() {
            return;
        }
        self.prefinish();
        if self.inner.w.borrow().pending_cb != 0 {
            return;
        }
        if sync {
            self.inner.w.borrow_mut().pending_cb += 1;
            let s = self.clone();
            nd::next_tick(move || {
                if s.need_finish() {
                    s.finish();
                } else {
                    let mut w = s.inner.w.borrow_mut();
                    w.pending_cb = w.pending_cb.saturating_sub(1);
                }
            });
        } else if self.need_finish() {
            self.inner.w.borrow_mut().pending_cb += 1;
            self.finish();
        }
    }

    fn finish(&self) {
        let cbs: Vec<_> = {
            let mut w = self.inner.w.borrow_mut();
            w.pending_cb = w.pending_cb.saturating_sub(1);
            w.finished = true;
            w.on_finished.drain(..).collect()
        };
        for cb in cbs {
            cb(None);
        }
        self.emit_plain("finish");
        if self.inner.d.borrow().auto_destroy {
            let auto = !self.inner.has_r || self.inner.r.borrow().end_emitted;
            if auto {
                self.destroy(None);
            }
        }
    }

    /// The writable side's "constructed" callback: flush what was buffered meanwhile.
    pub(crate) fn after_construct_writable(&self) {
        if !self.inner.w.borrow().writing {
            self.clear_buffer();
        }
        self.finish_maybe(false);
    }

    /// `cork()`: buffer writes until `uncork` (then `_writev` gets them together).
    pub fn cork(&self) {
        self.inner.w.borrow_mut().corked += 1;
    }

    /// `uncork()`.
    pub fn uncork(&self) {
        let clear = {
            let mut w = self.inner.w.borrow_mut();
            if w.corked > 0 {
                w.corked -= 1;
                !w.writing
            } else {
                false
            }
        };
        if clear {
            self.clear_buffer();
        }
    }

    /// `writable`: the writable side exists and is not destroyed, errored or ending.
    pub fn writable(&self) -> bool {
        if !self.inner.has_w {
            return false;
        }
        let w = self.inner.w.borrow();
        !self.destroyed() && self.errored().is_none() && !w.ending && !w.ended
    }

    /// `writableEnded`: `end()` was called.
    pub fn writable_ended(&self) -> bool {
        self.inner.w.borrow().ending
    }

    /// `writableFinished`: `finish` was emitted.
    pub fn writable_finished(&self) -> bool {
        self.inner.w.borrow().finished
    }

    /// `writableLength`: bytes (objects) buffered or being written.
    pub fn writable_length(&self) -> usize {
        self.inner.w.borrow().length
    }

    /// `writableHighWaterMark`.
    pub fn writable_high_water_mark(&self) -> usize {
        self.inner.w.borrow().hwm
    }

    /// `writableNeedDrain`: a `write` returned false and `drain` has not come yet.
    pub fn writable_need_drain(&self) -> bool {
        self.inner.has_w && !self.destroyed() && {
            let w = self.inner.w.borrow();
            !w.ending && w.need_drain
        }
    }

    /// `writableCorked`: the cork count.
    pub fn writable_corked(&self) -> usize {
        self.inner.w.borrow().corked
    }

    /// `writableObjectMode`.
    pub fn writable_object_mode(&self) -> bool {
        self.inner.w.borrow().object_mode
    }

    // ----- transform.js -----

    fn transform_write(&self, chunk: W, callback: Callback) {
        let length_before = self.inner.r.borrow().length;
        let s = self.clone();
        let tcb = TransformCallback::new(move |res: Result<Option<R>, Error>| {
            let val = match res {
                Err(e) => {
                    callback.err(e);
                    return;
                }
                Ok(v) => v,
            };
            if let Some(v) = val {
                s.push(Some(v));
            }
            let (r_ended, r_len, r_hwm) = {
                let r = s.inner.r.borrow();
                (r.ended, r.length, r.hwm)
            };
            if r_ended {
                nd::next_tick(move || callback.ok());
            } else if s.inner.w.borrow().ended || length_before == r_len || r_len < r_hwm {
                callback.ok();
            } else {
                *s.inner.transform_cb.borrow_mut() = Some(callback);
            }
        });
        match self.inner.hooks.transform.clone() {
            Some(h) => {
                if let Ok(mut f) = h.try_borrow_mut() {
                    f(self, chunk, tcb);
                }
            }
            None => {
                // PassThrough: the chunk itself, when the two sides carry one type.
                let b: Box<dyn Any> = Box::new(chunk);
                match b.downcast::<R>() {
                    Ok(r) => tcb.push(*r),
                    Err(_) => tcb.err(Error::not_implemented("_transform()")),
                }
            }
        }
    }

    fn transform_final(&self, cb: Callback) {
        match self.inner.hooks.flush.clone() {
            Some(h) if !self.destroyed() => {
                let s = self.clone();
                let tcb = TransformCallback::new(move |res: Result<Option<R>, Error>| match res {
                    Err(e) => cb.err(e),
                    Ok(v) => {
                        if let Some(v) = v {
                            s.push(Some(v));
                        }
                        s.push(None);
                        cb.ok();
                    }
                });
                if let Ok(mut f) = h.try_borrow_mut() {
                    f(self, tcb);
                }
            }
            _ => {
                self.push(None);
                cb.ok();
            }
        }
    }
}
