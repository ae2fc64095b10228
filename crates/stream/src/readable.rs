//! The readable side (Node's `lib/internal/streams/readable.js`): `push`, `read`, flowing and
//! paused modes, the `data`/`readable`/`end` events, `set_encoding`, `unshift`.

use std::rc::Rc;

use nodestd_events::{Listener, ListenerId, Named};
use nodestd_loop as nd;

use crate::chunk::{Chunk, Decoder, Encoding};
use crate::error::Error;
use crate::stream::{Stream, as_chunk, chunk_len, from_chunk, is_chunk};

/// Node's `MAX_HWM`: `read(n)` raises the high-water mark to at most 1 GiB.
const MAX_HWM: usize = 0x4000_0000;

fn compute_new_high_water_mark(n: usize) -> usize {
    if n >= MAX_HWM {
        MAX_HWM
    } else {
        n.next_power_of_two()
    }
}

impl<R: 'static, W: 'static> Stream<R, W> {
    /// `push(chunk)`: adds a chunk to the read queue (`None` is EOF). Returns whether more
    /// may be pushed (below the high-water mark). After EOF it errors the stream with
    /// `ERR_STREAM_PUSH_AFTER_EOF`.
    ///
    /// With an encoding set ([`Stream::set_encoding`]), bytes go through the stream's
    /// decoder, in object mode too, where each decoded string is one item even when it is
    /// empty (Node's `readableAddChunk`). A [`Chunk::Str`] is a string pushed without an
    /// encoding argument, which is utf8: see [`Stream::push_string`].
    pub fn push(&self, chunk: Option<R>) -> bool {
        if !self.inner.has_r {
            return false;
        }
        let Some(chunk) = chunk else {
            self.inner.r.borrow_mut().reading = false;
            self.on_eof_chunk();
            return false;
        };
        if self.inner.r.borrow().object_mode {
            return self.push_object(chunk);
        }
        match as_chunk(chunk) {
            Ok(Chunk::Str(s)) => self.push_string_byte_mode(s, "utf8"),
            Ok(c) => self.push_byte_mode(c, true),
            Err(_) => false,
        }
    }

    /// Node's `readableAddChunkPushObjectMode`: every item is added; with a decoder, bytes
    /// become their decoded string (a string passes unchanged, as `decoder.write` returns
    /// it).
    fn push_object(&self, chunk: R) -> bool {
        if self.inner.r.borrow().ended {
            self.error_or_destroy(Error::push_after_eof(), false);
            return false;
        }
        if self.destroyed() || self.errored().is_some() {
            return false;
        }
        let chunk = {
            let mut r = self.inner.r.borrow_mut();
            r.reading = false;
            match &mut r.decoder {
                Some(d) => match as_chunk(chunk) {
                    Ok(Chunk::Bytes(b)) => from_chunk(Chunk::Str(d.write(&b))),
                    Ok(c) => from_chunk(c),
                    Err(item) => item,
                },
                None => chunk,
            }
        };
        self.add_chunk(chunk, false);
        self.can_push_more()
    }

    /// A string pushed on a byte stream with `encoding` (Node's `push(string, encoding)`):
    /// kept as it is when `encoding` is the stream's own, else turned into bytes
    /// (`Buffer.from(string, encoding)`) that go through the decoder, if any.
    fn push_string_byte_mode(&self, s: String, encoding: &str) -> bool {
        let own = self
            .readable_encoding()
            .is_some_and(|e| e.name() == encoding);
        if own {
            return self.push_byte_mode(Chunk::Str(s), false);
        }
        let bytes = Encoding::parse(encoding).map_or_else(Vec::new, |e| e.encode(&s));
        self.push_byte_mode(Chunk::Bytes(bytes.into()), true)
    }

    /// Node's `readableAddChunkPushByteMode` after the string conversion: `decode` is
    /// whether the chunk goes through the decoder (bytes; not a string in the stream's own
    /// encoding).
    fn push_byte_mode(&self, c: Chunk, decode: bool) -> bool {
        if c.is_empty() {
            self.inner.r.borrow_mut().reading = false;
            self.maybe_read_more();
            return self.can_push_more();
        }
        if self.inner.r.borrow().ended {
            self.error_or_destroy(Error::push_after_eof(), false);
            return false;
        }
        if self.destroyed() || self.errored().is_some() {
            return false;
        }
        let decoded = {
            let mut r = self.inner.r.borrow_mut();
            r.reading = false;
            match (&mut r.decoder, decode) {
                (Some(d), true) => Some(d.write(c.as_bytes())),
                _ => None,
            }
        };
        let c = match decoded {
            Some(s) if s.is_empty() => {
                self.maybe_read_more();
                return self.can_push_more();
            }
            Some(s) => Chunk::Str(s),
            None => c,
        };
        self.add_chunk(from_chunk(c), false);
        self.can_push_more()
    }

    /// `unshift(chunk)`: puts a chunk back at the front of the read queue. It does not go
    /// through the decoder: bytes stay bytes (a later `read()` joins them as UTF-8 text, as
    /// Node's `ret += buffer` does). A [`Chunk::Str`] is a utf8 string: see
    /// [`Stream::unshift_string`].
    pub fn unshift(&self, chunk: R) -> bool {
        if !self.inner.has_r {
            return false;
        }
        let object = self.inner.r.borrow().object_mode;
        if object {
            return self.unshift_value(chunk);
        }
        match as_chunk(chunk) {
            Ok(Chunk::Str(s)) => self.unshift_string_byte_mode(s, "utf8"),
            Ok(c) => self.unshift_byte_mode(c),
            Err(_) => false,
        }
    }

    /// Node's `readableAddChunkUnshiftByteMode` for a string with `encoding`: re-encoded
    /// into the stream's encoding when that differs (`Buffer.from(s, encoding)
    /// .toString(state.encoding)`), bytes when the stream has none.
    fn unshift_string_byte_mode(&self, s: String, encoding: &str) -> bool {
        let own = self.readable_encoding();
        let c = match own {
            Some(e) if e.name() == encoding => Chunk::Str(s),
            _ => {
                let bytes = Encoding::parse(encoding).map_or_else(Vec::new, |e| e.encode(&s));
                match own {
                    Some(e) => Chunk::Str(e.decode(&bytes)),
                    None => Chunk::Bytes(bytes.into()),
                }
            }
        };
        self.unshift_byte_mode(c)
    }

    fn unshift_byte_mode(&self, c: Chunk) -> bool {
        if c.is_empty() {
            return self.can_push_more();
        }
        self.unshift_value(from_chunk(c))
    }

    /// Node's `readableAddChunkUnshiftValue`.
    fn unshift_value(&self, chunk: R) -> bool {
        if self.inner.r.borrow().end_emitted {
            self.error_or_destroy(Error::unshift_after_end(), false);
            return false;
        }
        if self.destroyed() || self.errored().is_some() {
            return false;
        }
        self.add_chunk(chunk, true);
        self.can_push_more()
    }

    fn can_push_more(&self) -> bool {
        let r = self.inner.r.borrow();
        !r.ended && (r.length < r.hwm || r.length == 0)
    }

    fn add_chunk(&self, chunk: R, front: bool) {
        let emit_now = {
            let r = self.inner.r.borrow();
            r.flowing == Some(true) && !r.sync && r.data_listening && r.length == 0
        };
        if emit_now {
            {
                let mut r = self.inner.r.borrow_mut();
                r.await_drain.clear();
                r.data_emitted = true;
            }
            self.emit_data(&chunk);
        } else {
            let need = {
                let mut r = self.inner.r.borrow_mut();
                r.length += chunk_len(&chunk, r.object_mode);
                if front {
                    r.buffer_index = r.buffer_index.saturating_sub(1);
                    r.buffer.push_front(chunk);
                } else {
                    r.buffer.push_back(chunk);
                }
                r.need_readable
            };
            if need {
                self.emit_readable();
            }
        }
        self.maybe_read_more();
    }

    fn emit_data(&self, chunk: &R) {
        // The usual single listener is called without collecting the list (a socket's or a
        // request's chunk would otherwise allocate once more per `data`).
        let (one, many) = {
            let r = self.inner.r.borrow();
            match r.data_listeners.as_slice() {
                [(_, f)] => (Some(Rc::clone(f)), Vec::new()),
                all => (None, all.iter().map(|(_, f)| Rc::clone(f)).collect()),
            }
        };
        if let Some(f) = one {
            f(chunk);
        }
        for f in many {
            f(chunk);
        }
    }

    pub(crate) fn emit_readable(&self) {
        let schedule = {
            let mut r = self.inner.r.borrow_mut();
            r.need_readable = false;
            if !r.emitted_readable {
                r.emitted_readable = true;
                true
            } else {
                false
            }
        };
        if schedule {
            let s = self.clone();
            nd::next_tick(move || s.emit_readable_now());
        }
    }

    fn emit_readable_now(&self) {
        let emit = {
            let r = self.inner.r.borrow();
            !self.destroyed() && self.errored().is_none() && (r.length > 0 || r.ended)
        };
        if emit {
            self.emit_plain("readable");
            self.inner.r.borrow_mut().emitted_readable = false;
        }
        {
            // Node v20's bit-field state only sets `needReadable` here, never clears it.
            let mut r = self.inner.r.borrow_mut();
            if r.flowing != Some(true) && !r.ended && r.length <= r.hwm {
                r.need_readable = true;
            }
        }
        self.flow();
    }

    pub(crate) fn maybe_read_more_pub(&self) {
        self.maybe_read_more();
    }

    fn maybe_read_more(&self) {
        if !self.constructed() {
            return;
        }
        let schedule = {
            let mut r = self.inner.r.borrow_mut();
            if !r.reading_more {
                r.reading_more = true;
                true
            } else {
                false
            }
        };
        if schedule {
            let s = self.clone();
            nd::next_tick(move || s.maybe_read_more_now());
        }
    }

    fn maybe_read_more_now(&self) {
        loop {
            let len = {
                let r = self.inner.r.borrow();
                if r.reading
                    || r.ended
                    || !(r.length < r.hwm || (r.flowing == Some(true) && r.length == 0))
                {
                    break;
                }
                r.length
            };
            self.read(Some(0));
            if len == self.inner.r.borrow().length {
                break;
            }
        }
        self.inner.r.borrow_mut().reading_more = false;
    }

    fn on_eof_chunk(&self) {
        let sync = {
            let mut r = self.inner.r.borrow_mut();
            if r.ended {
                return;
            }
            // decoder.end(): the decoder's remainder is one last chunk (one item in object
            // mode). Only chunks go through the decoder, so a stream of other items has none.
            if let Some(d) = &mut r.decoder {
                let s = d.end();
                if !s.is_empty() && is_chunk::<R>() {
                    let c = Chunk::Str(s);
                    r.length += if r.object_mode { 1 } else { c.len() };
                    r.buffer.push_back(from_chunk(c));
                }
            }
            r.ended = true;
            r.sync
        };
        if sync {
            self.emit_readable();
        } else {
            {
                let mut r = self.inner.r.borrow_mut();
                r.need_readable = false;
                r.emitted_readable = true;
            }
            self.emit_readable_now();
        }
    }

    fn how_much_to_read(&self, n: Option<usize>) -> usize {
        let r = self.inner.r.borrow();
        if n == Some(0) || (r.length == 0 && r.ended) {
            return 0;
        }
        if r.object_mode {
            return 1;
        }
        match n {
            None => {
                if r.flowing == Some(true) && r.length > 0 {
                    r.buffer.front().map_or(0, |c| chunk_len(c, false))
                } else {
                    r.length
                }
            }
            Some(n) if n <= r.length => n,
            Some(_) => {
                if r.ended {
                    r.length
                } else {
                    0
                }
            }
        }
    }

    /// Node's `fromList`: takes `n` units from the buffer. Node keeps consumed entries as
    /// holes at the front of its buffer array until it is emptied (`bufferIndex`), and its
    /// string path compares the units still wanted with that array's length (not the
    /// string's): when they are equal it takes the whole string, and otherwise it slices,
    /// even to an empty remainder (which then stalls a flowing stream, as in Node). Both
    /// are reproduced.
    #[allow(clippy::wrong_self_convention)] // Node's name: `fromList`
    fn from_list(&self, n: usize) -> Option<R> {
        let mut guard = self.inner.r.borrow_mut();
        let r = &mut *guard;
        if r.length == 0 {
            return None;
        }
        let array_len = r.buffer_index + r.buffer.len();
        let mut consumed = 0usize;
        let ret = if r.object_mode {
            consumed = 1;
            r.buffer.pop_front()
        } else if n == 0 || n >= r.length {
            consumed = r.buffer.len();
            let parts: Vec<Chunk> = r
                .buffer
                .drain(..)
                .filter_map(|c| as_chunk(c).ok())
                .collect();
            if r.decoder.is_some() {
                // `ret += chunk`: a Buffer (put back by `unshift`) joins as its UTF-8 text.
                let mut s = String::new();
                for p in parts {
                    match p {
                        Chunk::Str(t) => s.push_str(&t),
                        Chunk::Bytes(b) => s.push_str(&String::from_utf8_lossy(&b)),
                    }
                }
                Some(from_chunk(Chunk::Str(s)))
            } else if parts.len() == 1 {
                parts.into_iter().next().map(from_chunk)
            } else {
                Some(from_chunk(Chunk::concat(parts)))
            }
        } else {
            let first_len = r.buffer.front().map_or(0, |c| chunk_len(c, false));
            if n < first_len {
                let mut rest = r.buffer.pop_front().and_then(|c| as_chunk(c).ok())?;
                let head = rest.split_to(n);
                r.buffer.push_front(from_chunk(rest));
                Some(from_chunk(head))
            } else if n == first_len {
                consumed = 1;
                r.buffer.pop_front()
            } else {
                let strings = r.decoder.is_some();
                let mut parts = Vec::new();
                let mut need = n;
                while let Some(c) = r.buffer.pop_front().and_then(|c| as_chunk(c).ok()) {
                    let len = c.len();
                    if need > len {
                        need -= len;
                        consumed += 1;
                        parts.push(c);
                        continue;
                    }
                    let whole = if strings {
                        need == array_len
                    } else {
                        need == len
                    };
                    if whole {
                        consumed += 1;
                        parts.push(c);
                    } else {
                        let mut rest = c;
                        parts.push(rest.split_to(need));
                        r.buffer.push_front(from_chunk(rest));
                    }
                    break;
                }
                if strings {
                    let mut s = String::new();
                    for p in parts {
                        match p {
                            Chunk::Str(t) => s.push_str(&t),
                            Chunk::Bytes(b) => s.push_str(&String::from_utf8_lossy(&b)),
                        }
                    }
                    Some(from_chunk(Chunk::Str(s)))
                } else {
                    Some(from_chunk(Chunk::concat(parts)))
                }
            }
        };
        if r.buffer.is_empty() {
            r.buffer_index = 0;
        } else {
            r.buffer_index += consumed;
            if r.buffer_index > 1024 {
                r.buffer_index = 0;
            }
        }
        ret
    }

    /// `read(n)`: takes `n` units (bytes, UTF-16 units of a decoded string, or one object)
    /// from the buffer, or everything buffered (`None`), calling `_read` to refill. Returns
    /// `None` when not enough is buffered (Node's `null`); emits `data` for what it returns.
    pub fn read(&self, n: Option<usize>) -> Option<R> {
        if !self.inner.has_r {
            return None;
        }
        {
            let mut r = self.inner.r.borrow_mut();
            if let Some(k) = n {
                if k > r.hwm {
                    r.hwm = compute_new_high_water_mark(k);
                }
                if k != 0 {
                    r.emitted_readable = false;
                }
            } else {
                r.emitted_readable = false;
            }
        }
        let n_orig = n;
        let early = {
            let r = self.inner.r.borrow();
            if n == Some(0)
                && r.need_readable
                && ((if r.hwm != 0 {
                    r.length >= r.hwm
                } else {
                    r.length > 0
                }) || r.ended)
            {
                Some(r.length == 0 && r.ended)
            } else {
                None
            }
        };
        if let Some(end) = early {
            if end {
                self.end_readable();
            } else {
                self.emit_readable();
            }
            return None;
        }
        let mut n = self.how_much_to_read(n);
        {
            let (ended, length) = {
                let r = self.inner.r.borrow();
                (r.ended, r.length)
            };
            if n == 0 && ended {
                if length == 0 {
                    self.end_readable();
                }
                return None;
            }
        }
        let do_read = {
            let r = self.inner.r.borrow();
            let mut do_read = r.need_readable;
            if r.length == 0 || r.length.saturating_sub(n) < r.hwm {
                do_read = true;
            }
            if r.reading
                || r.ended
                || self.destroyed()
                || self.errored().is_some()
                || !self.constructed()
            {
                do_read = false;
            }
            do_read
        };
        if do_read {
            let hwm = {
                let mut r = self.inner.r.borrow_mut();
                r.reading = true;
                r.sync = true;
                if r.length == 0 {
                    r.need_readable = true;
                }
                r.hwm
            };
            self.call_read(hwm);
            let reading = {
                let mut r = self.inner.r.borrow_mut();
                r.sync = false;
                r.reading
            };
            if !reading {
                n = self.how_much_to_read(n_orig);
            }
        }
        let ret = if n > 0 { self.from_list(n) } else { None };
        let n_taken;
        {
            let mut r = self.inner.r.borrow_mut();
            match &ret {
                None => {
                    if r.length <= r.hwm {
                        r.need_readable = true;
                    }
                    n_taken = 0;
                }
                Some(_) => {
                    // Node subtracts what was asked for (see `from_list`).
                    r.length = r.length.saturating_sub(n);
                    r.await_drain.clear();
                    n_taken = n;
                }
            }
        }
        let end_now = {
            let mut r = self.inner.r.borrow_mut();
            if r.length == 0 {
                if !r.ended {
                    r.need_readable = true;
                }
                n_orig != Some(n_taken) && r.ended
            } else {
                false
            }
        };
        if end_now {
            self.end_readable();
        }
        if let Some(c) = &ret {
            if !self.error_emitted() && !self.close_emitted() {
                self.inner.r.borrow_mut().data_emitted = true;
                self.emit_data(c);
            }
        }
        ret
    }

    fn call_read(&self, size: usize) {
        if self.inner.hooks.is_transform {
            let cb = self.inner.transform_cb.borrow_mut().take();
            if let Some(cb) = cb {
                cb.ok();
            }
            return;
        }
        match self.inner.hooks.read.clone() {
            Some(h) => {
                if let Ok(mut f) = h.try_borrow_mut() {
                    f(self, size);
                }
            }
            None => self.error_or_destroy(Error::not_implemented("_read()"), false),
        }
    }

    pub(crate) fn end_readable(&self) {
        let schedule = {
            let mut r = self.inner.r.borrow_mut();
            if !r.end_emitted {
                r.ended = true;
                true
            } else {
                false
            }
        };
        if schedule {
            let s = self.clone();
            nd::next_tick(move || s.end_readable_nt());
        }
    }

    fn end_readable_nt(&self) {
        let go = {
            let r = self.inner.r.borrow();
            self.errored().is_none() && !self.close_emitted() && !r.end_emitted && r.length == 0
        };
        if !go {
            return;
        }
        self.inner.r.borrow_mut().end_emitted = true;
        self.emit_plain("end");
        if self.writable() && !self.inner.allow_half_open {
            let s = self.clone();
            nd::next_tick(move || {
                if s.writable() && !s.writable_ended() && !s.destroyed() {
                    s.end();
                }
            });
        } else if self.inner.d.borrow().auto_destroy {
            let auto = !self.inner.has_w || self.inner.w.borrow().finished;
            if auto {
                self.destroy(None);
            }
        }
    }

    /// `on('data', f)`: adds a `data` listener and, unless the stream was paused explicitly,
    /// switches it to flowing mode (on the next tick).
    pub fn on_data(&self, f: impl Fn(&R) + 'static) -> ListenerId {
        // `data` listeners live in the stream's own list (they get the chunk by reference
        // without a clone); a fresh `Listener` mints their opaque id.
        let id = Listener::new(|_: &()| {}).id();
        let resume = {
            let mut r = self.inner.r.borrow_mut();
            r.data_listeners.push((id, Rc::new(f)));
            r.data_listening = true;
            r.flowing != Some(false)
        };
        if self.inner.em.listener_count("readable") > 0 {
            self.inner.r.borrow_mut().readable_listening = true;
        }
        if resume {
            self.resume();
        }
        id
    }

    /// `removeListener('data', f)` for a listener added by [`Stream::on_data`].
    #[doc(alias = "removeListener")]
    pub fn off_data(&self, id: ListenerId) {
        let mut r = self.inner.r.borrow_mut();
        if let Some(pos) = r.data_listeners.iter().rposition(|(i, _)| *i == id) {
            r.data_listeners.remove(pos);
            if r.data_listeners.is_empty() {
                r.data_listening = false;
            }
        }
    }

    /// The number of `data` listeners.
    pub fn data_listener_count(&self) -> usize {
        self.inner.r.borrow().data_listeners.len()
    }

    /// `on('readable', f)`: adds a `readable` listener; the stream leaves flowing mode and
    /// `readable` is emitted when data (or the end) is available.
    pub fn on_readable(&self, f: impl Fn() + 'static) -> ListenerId {
        let id = self.inner.em.on(Named::<()>::new("readable"), move |_| f());
        let action = {
            let mut r = self.inner.r.borrow_mut();
            if !r.end_emitted && !r.readable_listening {
                r.readable_listening = true;
                r.need_readable = true;
                r.flowing = Some(false);
                r.emitted_readable = false;
                Some(r.length > 0 || r.reading)
            } else {
                None
            }
        };
        match action {
            Some(true) if self.inner.r.borrow().length > 0 => self.emit_readable(),
            Some(true) => {}
            Some(false) => {
                let s = self.clone();
                nd::next_tick(move || {
                    s.read(Some(0));
                });
            }
            None => {}
        }
        id
    }

    /// `removeListener('readable', f)`.
    #[doc(alias = "removeListener")]
    pub fn off_readable(&self, id: ListenerId) {
        self.inner.em.off("readable", id);
        let s = self.clone();
        nd::next_tick(move || s.update_readable_listening());
    }

    fn update_readable_listening(&self) {
        let count = self.inner.em.listener_count("readable");
        let (resume_flowing, has_data) = {
            let mut r = self.inner.r.borrow_mut();
            r.readable_listening = count > 0;
            (
                r.resume_scheduled && r.paused == Some(false),
                !r.data_listeners.is_empty(),
            )
        };
        if resume_flowing {
            self.inner.r.borrow_mut().flowing = Some(true);
        } else if has_data {
            self.resume();
        } else if count == 0 {
            self.inner.r.borrow_mut().flowing = None;
        }
    }

    /// `resume()`: switches to flowing mode (`data` events), on the next tick.
    pub fn resume(&self) {
        if !self.inner.has_r {
            return;
        }
        let schedule = {
            let mut r = self.inner.r.borrow_mut();
            let mut schedule = false;
            if r.flowing != Some(true) {
                r.flowing = Some(!r.readable_listening);
                if !r.resume_scheduled {
                    r.resume_scheduled = true;
                    schedule = true;
                }
            }
            r.paused = Some(false);
            schedule
        };
        if schedule {
            let s = self.clone();
            nd::next_tick(move || s.resume_now());
        }
    }

    fn resume_now(&self) {
        if !self.inner.r.borrow().reading {
            self.read(Some(0));
        }
        self.inner.r.borrow_mut().resume_scheduled = false;
        self.emit_plain("resume");
        self.flow();
        let again = {
            let r = self.inner.r.borrow();
            r.flowing == Some(true) && !r.reading
        };
        if again {
            self.read(Some(0));
        }
    }

    /// `pause()`: leaves flowing mode; data stays buffered.
    pub fn pause(&self) {
        if !self.inner.has_r {
            return;
        }
        let emit = {
            let mut r = self.inner.r.borrow_mut();
            r.paused = Some(true);
            if r.flowing != Some(false) {
                r.flowing = Some(false);
                true
            } else {
                false
            }
        };
        if emit {
            self.emit_plain("pause");
        }
    }

    /// `readableFlowing = null`: neither flowing nor paused, as a stream no one has read;
    /// the next `data` listener (or `resume`) starts the flow. Node's http server does this
    /// to a socket it hands over on an upgrade.
    pub fn reset_flowing(&self) {
        let mut r = self.inner.r.borrow_mut();
        r.flowing = None;
        r.paused = None;
    }

    /// `isPaused()`.
    #[doc(alias = "isPaused")]
    pub fn is_paused(&self) -> bool {
        let r = self.inner.r.borrow();
        r.paused == Some(true) || r.flowing == Some(false)
    }

    pub(crate) fn flow(&self) {
        while self.inner.r.borrow().flowing == Some(true) && self.read(None).is_some() {}
    }

    /// `setEncoding(enc)`: chunks become strings (`Chunk::Str`), decoded across chunk
    /// boundaries, in object mode too (each pushed `Buffer` becomes one string item). What
    /// is already buffered is decoded again into one string (strings in it pass unchanged,
    /// as Node's `decoder.write` returns them); in object mode that string is one item (Node
    /// counts its length in characters there: see the deviations). On a stream whose items
    /// are not [`Chunk`]s only `readableEncoding` changes.
    #[doc(alias = "setEncoding")]
    pub fn set_encoding(&self, enc: Encoding) {
        let mut r = self.inner.r.borrow_mut();
        let mut d = Decoder::new(enc);
        if is_chunk::<R>() {
            let mut content = String::new();
            for c in r.buffer.drain(..) {
                match as_chunk(c) {
                    Ok(Chunk::Bytes(b)) => content.push_str(&d.write(&b)),
                    Ok(Chunk::Str(s)) => content.push_str(&s),
                    Err(_) => {}
                }
            }
            let c = Chunk::Str(content);
            r.buffer_index = 0;
            r.length = match (c.is_empty(), r.object_mode) {
                (true, _) => 0,
                (false, true) => 1,
                (false, false) => c.len(),
            };
            if !c.is_empty() {
                r.buffer.push_back(from_chunk(c));
            }
        }
        r.decoder = Some(d);
    }

    /// `setEncoding(name)` with Node's encoding names (see [`Encoding::parse`]).
    ///
    /// # Errors
    ///
    /// `ERR_UNKNOWN_ENCODING` (`Unknown encoding: NAME`) for a name Node does not know; the
    /// stream is left as it was.
    #[doc(alias = "setEncoding")]
    pub fn set_encoding_name(&self, name: &str) -> Result<(), Error> {
        let enc = Encoding::parse(name).ok_or_else(|| Error::unknown_encoding(name))?;
        self.set_encoding(enc);
        Ok(())
    }

    /// `readableEncoding`.
    pub fn readable_encoding(&self) -> Option<Encoding> {
        self.inner
            .r
            .borrow()
            .decoder
            .as_ref()
            .map(Decoder::encoding)
    }

    /// `readable`: readable side exists and is neither destroyed, errored nor ended.
    pub fn readable(&self) -> bool {
        self.inner.has_r
            && !self.destroyed()
            && !self.error_emitted()
            && !self.inner.r.borrow().end_emitted
    }

    /// `readableEnded`: `end` was emitted.
    pub fn readable_ended(&self) -> bool {
        self.inner.r.borrow().end_emitted
    }

    /// `readableFlowing`: `None` (no mechanism yet), `Some(true)`, `Some(false)`.
    pub fn readable_flowing(&self) -> Option<bool> {
        self.inner.r.borrow().flowing
    }

    /// `readableLength`.
    pub fn readable_length(&self) -> usize {
        self.inner.r.borrow().length
    }

    /// `readableHighWaterMark`.
    pub fn readable_high_water_mark(&self) -> usize {
        self.inner.r.borrow().hwm
    }

    /// `readableObjectMode`.
    pub fn readable_object_mode(&self) -> bool {
        self.inner.r.borrow().object_mode
    }

    /// `readableDidRead`: `data` was emitted at least once.
    pub fn readable_did_read(&self) -> bool {
        self.inner.r.borrow().data_emitted
    }

    /// `readableAborted`: destroyed or errored before `end`.
    pub fn readable_aborted(&self) -> bool {
        (self.destroyed() || self.errored().is_some()) && !self.inner.r.borrow().end_emitted
    }
}

impl<W: 'static> Stream<Chunk, W> {
    /// `push(string, encoding)`: on a byte stream the string is kept as it is when
    /// `encoding` is the stream's own (`readableEncoding`, compared by name as Node does:
    /// `'binary'` is not `'latin1'` here), and otherwise becomes
    /// `Buffer.from(string, encoding)` and goes through the decoder, if any. In object mode
    /// the string is one item, unchanged. The empty name is utf8, as
    /// [`push`](Stream::push) of a [`Chunk::Str`].
    ///
    /// ```
    /// use nodestd_stream::{Chunk, Encoding, Options, Readable};
    /// nodestd_loop::run(|| {
    ///     let r = Readable::new_readable(Options::new().read(|_: &Readable, _| {}));
    ///     r.set_encoding(Encoding::Hex);
    ///     r.push_string("6869", "hex").unwrap(); // the stream's own encoding: kept
    ///     r.push_string("hi", "latin1").unwrap(); // bytes, decoded as hex
    ///     assert_eq!(r.read(None), Some(Chunk::from("68696869")));
    /// });
    /// ```
    ///
    /// # Errors
    ///
    /// `ERR_UNKNOWN_ENCODING` when the string must be converted and Node does not know
    /// `encoding` (Node's `Buffer.from` throws); nothing is pushed.
    pub fn push_string(&self, s: impl Into<String>, encoding: &str) -> Result<bool, Error> {
        self.add_string(
            s.into(),
            encoding,
            Self::push_object,
            Self::push_string_byte_mode,
        )
    }

    /// `unshift(string, encoding)`: on a byte stream the string is kept when `encoding` is
    /// the stream's own, re-encoded into the stream's encoding when it has another
    /// (`Buffer.from(string, encoding).toString(readableEncoding)`), and bytes when it has
    /// none. In object mode the string is one item, unchanged.
    ///
    /// # Errors
    ///
    /// `ERR_UNKNOWN_ENCODING` when the string must be converted and Node does not know
    /// `encoding`; nothing is unshifted.
    pub fn unshift_string(&self, s: impl Into<String>, encoding: &str) -> Result<bool, Error> {
        self.add_string(
            s.into(),
            encoding,
            Self::unshift_value,
            Self::unshift_string_byte_mode,
        )
    }

    /// What `push(string, encoding)` and `unshift(string, encoding)` share: the default
    /// encoding (utf8), object mode (the string is an item), and Node's `Buffer.from`
    /// throwing for an unknown encoding when a byte stream must convert the string (a
    /// string in the stream's own encoding needs no conversion).
    fn add_string(
        &self,
        s: String,
        encoding: &str,
        object: fn(&Self, Chunk) -> bool,
        bytes: fn(&Self, String, &str) -> bool,
    ) -> Result<bool, Error> {
        let encoding = if encoding.is_empty() {
            "utf8"
        } else {
            encoding
        };
        if !self.inner.has_r {
            return Ok(false);
        }
        if self.inner.r.borrow().object_mode {
            return Ok(object(self, Chunk::Str(s)));
        }
        let own = self
            .readable_encoding()
            .is_some_and(|e| e.name() == encoding);
        if !own && Encoding::parse(encoding).is_none() {
            return Err(Error::unknown_encoding(encoding));
        }
        Ok(bytes(self, s, encoding))
    }
}
