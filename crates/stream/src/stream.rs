//! The stream handle ([`Stream`], with the [`Readable`], [`Writable`], [`Duplex`] and
//! [`Transform`] aliases), its [`Options`], the implementation callbacks ([`Callback`],
//! [`TransformCallback`]), the events, and destruction (Node's `destroy.js`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use nodestd_events::{EventEmitter, ListenerId, Named};
use nodestd_loop as nd;

use crate::chunk::{Chunk, Decoder, Encoding};
use crate::error::Error;

/// The uninhabited chunk type of a missing side: a [`Readable`] is a `Stream<T, Never>`
/// (nothing can be written to it) and a [`Writable`] a `Stream<Never, T>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Never {}

/// A Node stream handle: cheap to clone (an `Rc`), `!Send`, every clone the same stream.
///
/// `R` is the type of the chunks read from it, `W` of those written to it; a side that does
/// not exist has the type [`Never`]. Streams of [`Chunk`] are byte streams (length in bytes,
/// `set_encoding`, `read(n)` splits and joins chunks) unless built in object mode; streams of
/// any other type are in object mode (each chunk counts 1).
pub struct Stream<R: 'static = Chunk, W: 'static = Chunk> {
    pub(crate) inner: Rc<Inner<R, W>>,
}

/// `stream.Readable`: a stream that is read from.
pub type Readable<T = Chunk> = Stream<T, Never>;
/// `stream.Writable`: a stream that is written to.
pub type Writable<T = Chunk> = Stream<Never, T>;
/// `stream.Duplex`: both sides, independent.
pub type Duplex<R = Chunk, W = R> = Stream<R, W>;
/// `stream.Transform`: a duplex whose readable side is computed from what is written
/// (built with [`Stream::new_transform`]).
pub type Transform<R = Chunk, W = R> = Stream<R, W>;

/// A weak stream handle, for listeners a stream keeps on itself (a strong one would be an
/// `Rc` cycle: the stream would never be freed).
pub(crate) struct WeakStream<R: 'static, W: 'static> {
    inner: std::rc::Weak<Inner<R, W>>,
}

impl<R, W> Clone for WeakStream<R, W> {
    fn clone(&self) -> Self {
        WeakStream {
            inner: self.inner.clone(),
        }
    }
}

impl<R, W> WeakStream<R, W> {
    pub(crate) fn upgrade(&self) -> Option<Stream<R, W>> {
        self.inner.upgrade().map(|inner| Stream { inner })
    }
}

impl<R, W> Stream<R, W> {
    pub(crate) fn downgrade(&self) -> WeakStream<R, W> {
        WeakStream {
            inner: Rc::downgrade(&self.inner),
        }
    }
}

impl<R, W> Clone for Stream<R, W> {
    fn clone(&self) -> Self {
        Stream {
            inner: Rc::clone(&self.inner),
        }
    }
}

impl<R, W> std::fmt::Debug for Stream<R, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.inner.d.borrow();
        f.debug_struct("Stream")
            .field("readable", &self.inner.has_r)
            .field("writable", &self.inner.has_w)
            .field("destroyed", &d.destroyed)
            .finish()
    }
}

/// The completion callback of `_write`, `_writev`, `_final` and `_destroy`: call it once
/// with `None` (success) or the error. Consumed by the call, so it cannot be called twice.
pub struct Callback(Box<dyn FnOnce(Option<Error>)>);

impl Callback {
    pub(crate) fn new(f: impl FnOnce(Option<Error>) + 'static) -> Callback {
        Callback(Box::new(f))
    }

    /// Completes with `err` (`cb(err)`; `None` is `cb()`).
    pub fn call(self, err: Option<Error>) {
        (self.0)(err)
    }

    /// Completes successfully (`cb()`).
    pub fn ok(self) {
        (self.0)(None)
    }

    /// Completes with an error (`cb(err)`).
    pub fn err(self, err: Error) {
        (self.0)(Some(err))
    }
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Callback")
    }
}

/// The callback of `_transform` and `_flush`: `Ok(Some(chunk))` pushes `chunk` then
/// completes (`cb(null, chunk)`), `Ok(None)` completes (`cb()`), `Err(e)` fails (`cb(e)`).
pub struct TransformCallback<R>(Box<dyn FnOnce(Result<Option<R>, Error>)>);

impl<R> TransformCallback<R> {
    pub(crate) fn new(f: impl FnOnce(Result<Option<R>, Error>) + 'static) -> Self {
        TransformCallback(Box::new(f))
    }

    /// Completes with `result`.
    pub fn call(self, result: Result<Option<R>, Error>) {
        (self.0)(result)
    }

    /// Completes with nothing more to push (`cb()`).
    pub fn ok(self) {
        (self.0)(Ok(None))
    }

    /// Pushes `chunk` and completes (`cb(null, chunk)`).
    pub fn push(self, chunk: R) {
        (self.0)(Ok(Some(chunk)))
    }

    /// Fails (`cb(err)`).
    pub fn err(self, err: Error) {
        (self.0)(Err(err))
    }
}

impl<R> std::fmt::Debug for TransformCallback<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TransformCallback")
    }
}

type Hook<F> = Option<Rc<RefCell<Box<F>>>>;
type ReadFn<R, W> = dyn FnMut(&Stream<R, W>, usize);
type WriteFn<R, W> = dyn FnMut(&Stream<R, W>, W, Callback);
type WritevFn<R, W> = dyn FnMut(&Stream<R, W>, Vec<W>, Callback);
type FinalFn<R, W> = dyn FnMut(&Stream<R, W>, Callback);
type DestroyFn<R, W> = dyn FnMut(&Stream<R, W>, Option<Error>, Callback);
type ConstructFn<R, W> = dyn FnMut(&Stream<R, W>, Callback);
type TransformFn<R, W> = dyn FnMut(&Stream<R, W>, W, TransformCallback<R>);
type FlushFn<R, W> = dyn FnMut(&Stream<R, W>, TransformCallback<R>);

fn hook<F: ?Sized>(f: Box<F>) -> Hook<F> {
    Some(Rc::new(RefCell::new(f)))
}

/// Node's default `highWaterMark` (v20): 16 KiB of bytes, or 16 objects.
pub const DEFAULT_HIGH_WATER_MARK: usize = 16 * 1024;
/// The default `highWaterMark` in object mode.
pub const DEFAULT_OBJECT_HIGH_WATER_MARK: usize = 16;

/// The options of a stream and its implementation (Node's constructor options, with the
/// "simplified construction" callbacks `read`, `write`, `writev`, `final`, `destroy`,
/// `transform` and `flush`). Build one with the setters:
///
/// ```
/// use nodestd_stream::{Chunk, Options, Readable};
/// let opts: Options<Chunk, _> = Options::new()
///     .high_water_mark(4)
///     .read(|s: &Readable, _size| {
///         s.push(Some(Chunk::from("x")));
///         s.push(None);
///     });
/// nodestd_loop::run(move || {
///     let r = Readable::new_readable(opts);
///     r.on_data(|c| assert_eq!(c, &Chunk::from(&b"x"[..])));
/// });
/// ```
pub struct Options<R: 'static = Chunk, W: 'static = Chunk> {
    pub(crate) hwm: Option<usize>,
    pub(crate) r_hwm: Option<usize>,
    pub(crate) w_hwm: Option<usize>,
    pub(crate) object_mode: bool,
    pub(crate) r_object_mode: bool,
    pub(crate) w_object_mode: bool,
    pub(crate) emit_close: bool,
    pub(crate) auto_destroy: bool,
    pub(crate) allow_half_open: bool,
    pub(crate) decode_strings: bool,
    pub(crate) encoding: Option<Encoding>,
    pub(crate) read: Hook<ReadFn<R, W>>,
    pub(crate) write: Hook<WriteFn<R, W>>,
    pub(crate) writev: Hook<WritevFn<R, W>>,
    pub(crate) final_: Hook<FinalFn<R, W>>,
    pub(crate) destroy: Hook<DestroyFn<R, W>>,
    pub(crate) construct: Hook<ConstructFn<R, W>>,
    pub(crate) transform: Hook<TransformFn<R, W>>,
    pub(crate) flush: Hook<FlushFn<R, W>>,
}

impl<R, W> Default for Options<R, W> {
    fn default() -> Self {
        Options::new()
    }
}

impl<R, W> Options<R, W> {
    /// Node's defaults: `highWaterMark` 16 KiB (16 in object mode), `emitClose`,
    /// `autoDestroy` and `allowHalfOpen` true, `decodeStrings` true, no encoding.
    pub fn new() -> Self {
        Options {
            hwm: None,
            r_hwm: None,
            w_hwm: None,
            object_mode: false,
            r_object_mode: false,
            w_object_mode: false,
            emit_close: true,
            auto_destroy: true,
            allow_half_open: true,
            decode_strings: true,
            encoding: None,
            read: None,
            write: None,
            writev: None,
            final_: None,
            destroy: None,
            construct: None,
            transform: None,
            flush: None,
        }
    }

    /// `highWaterMark` of both sides.
    pub fn high_water_mark(mut self, n: usize) -> Self {
        self.hwm = Some(n);
        self
    }
    /// `readableHighWaterMark`.
    pub fn readable_high_water_mark(mut self, n: usize) -> Self {
        self.r_hwm = Some(n);
        self
    }
    /// `writableHighWaterMark`.
    pub fn writable_high_water_mark(mut self, n: usize) -> Self {
        self.w_hwm = Some(n);
        self
    }
    /// `objectMode` (both sides). Streams of a type other than [`Chunk`] always are.
    pub fn object_mode(mut self, on: bool) -> Self {
        self.object_mode = on;
        self
    }
    /// `readableObjectMode`.
    pub fn readable_object_mode(mut self, on: bool) -> Self {
        self.r_object_mode = on;
        self
    }
    /// `writableObjectMode`.
    pub fn writable_object_mode(mut self, on: bool) -> Self {
        self.w_object_mode = on;
        self
    }
    /// `emitClose`.
    pub fn emit_close(mut self, on: bool) -> Self {
        self.emit_close = on;
        self
    }
    /// `autoDestroy`.
    pub fn auto_destroy(mut self, on: bool) -> Self {
        self.auto_destroy = on;
        self
    }
    /// `allowHalfOpen` (duplex): when false, the end of the readable side ends the writable
    /// side.
    pub fn allow_half_open(mut self, on: bool) -> Self {
        self.allow_half_open = on;
        self
    }
    /// `decodeStrings`: whether string chunks written are turned into bytes before `_write`.
    pub fn decode_strings(mut self, on: bool) -> Self {
        self.decode_strings = on;
        self
    }
    /// `encoding`: as `set_encoding` right after construction.
    pub fn encoding(mut self, enc: Encoding) -> Self {
        self.encoding = Some(enc);
        self
    }
    /// `read(size)`: called when the stream wants data; call `push` (now or later).
    pub fn read(mut self, f: impl FnMut(&Stream<R, W>, usize) + 'static) -> Self {
        self.read = hook(Box::new(f) as Box<ReadFn<R, W>>);
        self
    }
    /// `write(chunk, callback)`.
    pub fn write(mut self, f: impl FnMut(&Stream<R, W>, W, Callback) + 'static) -> Self {
        self.write = hook(Box::new(f) as Box<WriteFn<R, W>>);
        self
    }
    /// `writev(chunks, callback)`: receives every buffered chunk at once.
    pub fn writev(mut self, f: impl FnMut(&Stream<R, W>, Vec<W>, Callback) + 'static) -> Self {
        self.writev = hook(Box::new(f) as Box<WritevFn<R, W>>);
        self
    }
    /// `final(callback)`: called after `end()`, once every write completed, before `finish`.
    pub fn final_(mut self, f: impl FnMut(&Stream<R, W>, Callback) + 'static) -> Self {
        self.final_ = hook(Box::new(f) as Box<FinalFn<R, W>>);
        self
    }
    /// `destroy(err, callback)`: release resources; call back with the error to report.
    pub fn destroy(
        mut self,
        f: impl FnMut(&Stream<R, W>, Option<Error>, Callback) + 'static,
    ) -> Self {
        self.destroy = hook(Box::new(f) as Box<DestroyFn<R, W>>);
        self
    }
    /// `construct(callback)`: asynchronous set-up (opening a file, say), called on the next
    /// tick; until it calls back, `_read` is not called, writes are buffered and `destroy`
    /// waits. An error destroys the stream with it.
    pub fn construct(mut self, f: impl FnMut(&Stream<R, W>, Callback) + 'static) -> Self {
        self.construct = hook(Box::new(f) as Box<ConstructFn<R, W>>);
        self
    }
    /// `transform(chunk, callback)` (transform streams).
    pub fn transform(
        mut self,
        f: impl FnMut(&Stream<R, W>, W, TransformCallback<R>) + 'static,
    ) -> Self {
        self.transform = hook(Box::new(f) as Box<TransformFn<R, W>>);
        self
    }
    /// `flush(callback)` (transform streams): the last output, after every write.
    pub fn flush(mut self, f: impl FnMut(&Stream<R, W>, TransformCallback<R>) + 'static) -> Self {
        self.flush = hook(Box::new(f) as Box<FlushFn<R, W>>);
        self
    }
}

pub(crate) struct Hooks<R: 'static, W: 'static> {
    pub(crate) read: Hook<ReadFn<R, W>>,
    pub(crate) write: Hook<WriteFn<R, W>>,
    pub(crate) writev: Hook<WritevFn<R, W>>,
    pub(crate) final_: Hook<FinalFn<R, W>>,
    pub(crate) destroy: Hook<DestroyFn<R, W>>,
    pub(crate) construct: Hook<ConstructFn<R, W>>,
    pub(crate) transform: Hook<TransformFn<R, W>>,
    pub(crate) flush: Hook<FlushFn<R, W>>,
    pub(crate) is_transform: bool,
}

/// Where a readable side's chunks are piped: enough to unpipe and to test `needDrain`.
pub(crate) struct PipeEntry {
    pub(crate) dest: usize,
    pub(crate) unpipe: Rc<dyn Fn()>,
}

pub(crate) type DataListener<R> = Rc<dyn Fn(&R)>;

/// Node's `ReadableState`.
pub(crate) struct RState<R> {
    pub(crate) object_mode: bool,
    pub(crate) hwm: usize,
    pub(crate) buffer: VecDeque<R>,
    /// Node's `bufferIndex`: consumed entries still counted in its buffer array's length.
    pub(crate) buffer_index: usize,
    pub(crate) length: usize,
    pub(crate) flowing: Option<bool>,
    pub(crate) paused: Option<bool>,
    pub(crate) ended: bool,
    pub(crate) end_emitted: bool,
    pub(crate) reading: bool,
    pub(crate) sync: bool,
    pub(crate) need_readable: bool,
    pub(crate) emitted_readable: bool,
    pub(crate) readable_listening: bool,
    pub(crate) resume_scheduled: bool,
    pub(crate) data_emitted: bool,
    pub(crate) reading_more: bool,
    pub(crate) data_listening: bool,
    pub(crate) pipes: Vec<PipeEntry>,
    pub(crate) await_drain: Vec<usize>,
    pub(crate) decoder: Option<Decoder>,
    pub(crate) data_listeners: Vec<(ListenerId, DataListener<R>)>,
}

pub(crate) type WriteCb = Box<dyn FnOnce(Option<Error>)>;

/// Node's `WritableState`.
pub(crate) struct WState<W> {
    pub(crate) object_mode: bool,
    pub(crate) hwm: usize,
    pub(crate) decode_strings: bool,
    pub(crate) final_called: bool,
    pub(crate) need_drain: bool,
    pub(crate) ending: bool,
    pub(crate) ended: bool,
    pub(crate) finished: bool,
    pub(crate) length: usize,
    pub(crate) writing: bool,
    pub(crate) corked: usize,
    pub(crate) sync: bool,
    pub(crate) buffer_processing: bool,
    pub(crate) write_cb: Option<Option<WriteCb>>,
    pub(crate) write_len: usize,
    pub(crate) after_write_pending: bool,
    pub(crate) buffered: VecDeque<(W, Option<WriteCb>)>,
    pub(crate) pending_cb: usize,
    pub(crate) prefinished: bool,
    pub(crate) on_finished: Vec<WriteCb>,
}

/// The destroy/error/close flags (Node keeps one copy per side and sets both together).
pub(crate) struct DState {
    pub(crate) destroyed: bool,
    pub(crate) errored: Option<Error>,
    pub(crate) closed: bool,
    pub(crate) close_emitted: bool,
    pub(crate) error_emitted: bool,
    pub(crate) emit_close: bool,
    pub(crate) auto_destroy: bool,
    /// `_construct` has called back (or there is none).
    pub(crate) constructed: bool,
    /// A `destroy` waiting for `_construct` (Node's `once(kDestroy)`).
    pub(crate) pending_destroy: Vec<Box<dyn FnOnce(Option<Error>)>>,
}

pub(crate) struct Inner<R: 'static, W: 'static> {
    pub(crate) em: EventEmitter,
    pub(crate) r: RefCell<RState<R>>,
    pub(crate) w: RefCell<WState<W>>,
    pub(crate) d: RefCell<DState>,
    pub(crate) hooks: Hooks<R, W>,
    pub(crate) has_r: bool,
    pub(crate) has_w: bool,
    pub(crate) allow_half_open: bool,
    pub(crate) transform_cb: RefCell<Option<Callback>>,
    /// The async iterator's state (`Stream::next`), created on first use.
    pub(crate) iter: RefCell<Option<Rc<dyn Any>>>,
}

pub(crate) fn is_chunk<T: 'static>() -> bool {
    std::any::TypeId::of::<T>() == std::any::TypeId::of::<Chunk>()
}

/// `T` as a [`Chunk`] (byte mode: `T` is `Chunk`).
pub(crate) fn as_chunk<T: 'static>(t: T) -> Result<Chunk, T> {
    let b: Box<dyn Any> = Box::new(t);
    match b.downcast::<Chunk>() {
        Ok(c) => Ok(*c),
        Err(b) => Err(*b.downcast::<T>().unwrap_or_else(|_| unreachable!())),
    }
}

/// A [`Chunk`] as `T` (byte mode: `T` is `Chunk`).
pub(crate) fn from_chunk<T: 'static>(c: Chunk) -> T {
    let b: Box<dyn Any> = Box::new(c);
    match b.downcast::<T>() {
        Ok(t) => *t,
        Err(_) => unreachable!("byte mode streams carry Chunk"),
    }
}

pub(crate) fn chunk_len<T: 'static>(t: &T, object_mode: bool) -> usize {
    if object_mode {
        return 1;
    }
    (t as &dyn Any)
        .downcast_ref::<Chunk>()
        .map_or(1, Chunk::len)
}

impl<R: 'static, W: 'static> Stream<R, W> {
    fn build(opts: Options<R, W>, has_r: bool, has_w: bool, is_transform: bool) -> Self {
        let r_obj = opts.object_mode || opts.r_object_mode || !is_chunk::<R>();
        let w_obj = opts.object_mode || opts.w_object_mode || !is_chunk::<W>();
        let def = |obj: bool| {
            if obj {
                DEFAULT_OBJECT_HIGH_WATER_MARK
            } else {
                DEFAULT_HIGH_WATER_MARK
            }
        };
        let r_hwm = opts.hwm.or(opts.r_hwm).unwrap_or(def(r_obj));
        let w_hwm = opts.hwm.or(opts.w_hwm).unwrap_or(def(w_obj));
        let s = Stream {
            inner: Rc::new(Inner {
                em: EventEmitter::new(),
                r: RefCell::new(RState {
                    object_mode: r_obj,
                    hwm: r_hwm,
                    buffer: VecDeque::new(),
                    buffer_index: 0,
                    length: 0,
                    flowing: None,
                    paused: None,
                    ended: false,
                    end_emitted: false,
                    reading: false,
                    sync: !is_transform,
                    need_readable: false,
                    emitted_readable: false,
                    readable_listening: false,
                    resume_scheduled: false,
                    data_emitted: false,
                    reading_more: false,
                    data_listening: false,
                    pipes: Vec::new(),
                    await_drain: Vec::new(),
                    decoder: None,
                    data_listeners: Vec::new(),
                }),
                w: RefCell::new(WState {
                    object_mode: w_obj,
                    hwm: w_hwm,
                    decode_strings: opts.decode_strings,
                    final_called: false,
                    need_drain: false,
                    ending: false,
                    ended: false,
                    finished: false,
                    length: 0,
                    writing: false,
                    corked: 0,
                    sync: true,
                    buffer_processing: false,
                    write_cb: None,
                    write_len: 0,
                    after_write_pending: false,
                    buffered: VecDeque::new(),
                    pending_cb: 0,
                    prefinished: false,
                    on_finished: Vec::new(),
                }),
                d: RefCell::new(DState {
                    destroyed: false,
                    errored: None,
                    closed: false,
                    close_emitted: false,
                    error_emitted: false,
                    emit_close: opts.emit_close,
                    auto_destroy: opts.auto_destroy,
                    constructed: true,
                    pending_destroy: Vec::new(),
                }),
                hooks: Hooks {
                    read: opts.read,
                    write: opts.write,
                    writev: opts.writev,
                    final_: opts.final_,
                    destroy: opts.destroy,
                    construct: opts.construct,
                    transform: opts.transform,
                    flush: opts.flush,
                    is_transform,
                },
                has_r,
                has_w,
                allow_half_open: opts.allow_half_open,
                transform_cb: RefCell::new(None),
                iter: RefCell::new(None),
            }),
        };
        if let Some(enc) = opts.encoding {
            if has_r {
                s.set_encoding(enc);
            }
        }
        if s.inner.hooks.construct.is_some() {
            s.inner.d.borrow_mut().constructed = false;
            let s2 = s.clone();
            nd::next_tick(move || s2.construct_nt());
        }
        s
    }

    /// Node's `constructNT`: runs `_construct`; its callback settles on the next tick.
    fn construct_nt(&self) {
        let s = self.clone();
        let cb = Callback::new(move |err: Option<Error>| {
            nd::next_tick(move || s.on_construct(err));
        });
        if let Some(h) = self.inner.hooks.construct.clone() {
            if let Ok(mut f) = h.try_borrow_mut() {
                f(self, cb);
            }
        }
    }

    fn on_construct(&self, err: Option<Error>) {
        let (destroyed, pending) = {
            let mut d = self.inner.d.borrow_mut();
            d.constructed = true;
            (d.destroyed, std::mem::take(&mut d.pending_destroy))
        };
        if destroyed {
            for f in pending {
                f(err.clone());
            }
        } else if let Some(e) = err {
            self.error_or_destroy(e, true);
        } else {
            // The readable side's then the writable side's constructed callbacks.
            if self.inner.has_r && self.inner.r.borrow().need_readable {
                self.maybe_read_more_pub();
            }
            if self.inner.has_w {
                self.after_construct_writable();
            }
        }
    }

    pub(crate) fn constructed(&self) -> bool {
        self.inner.d.borrow().constructed
    }

    /// `new Duplex(options)`: both sides, implemented by `read` and `write`/`writev`/`final`.
    pub fn new_duplex(opts: Options<R, W>) -> Self {
        Stream::build(opts, true, true, false)
    }

    /// `new Transform(options)`: `transform` turns each written chunk into pushed output,
    /// `flush` adds the last output after `end()`. Without `transform` it is a
    /// `PassThrough` when `W` is `R`, and fails each write with
    /// `ERR_METHOD_NOT_IMPLEMENTED` otherwise.
    ///
    /// ```
    /// use nodestd_stream::{Chunk, Options, Transform};
    /// nodestd_loop::run(|| {
    ///     let upper: Transform = Transform::new_transform(Options::new().transform(|_, c: Chunk, cb| {
    ///         cb.push(Chunk::from(c.as_bytes().to_ascii_uppercase()))
    ///     }));
    ///     upper.on_data(|c| assert_eq!(c.as_bytes(), b"HI"));
    ///     upper.end_with(Chunk::from("hi"));
    /// });
    /// ```
    pub fn new_transform(opts: Options<R, W>) -> Self {
        Stream::build(opts, true, true, true)
    }

    /// A unique id of this stream (the `Rc`'s address).
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.inner) as *const () as usize
    }

    /// The underlying event emitter (for `once`, `off` and custom events). Add `data` and
    /// `readable` listeners with [`Stream::on_data`] and [`Stream::on_readable`], which switch
    /// modes as Node's `on` does.
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    pub(crate) fn emit_plain(&self, name: &'static str) {
        let _ = self.inner.em.emit(Named::<()>::new(name), ());
    }

    fn listen(&self, name: &'static str, f: impl Fn() + 'static) -> ListenerId {
        self.inner.em.on(Named::<()>::new(name), move |_| f())
    }

    fn listen_once(&self, name: &'static str, f: impl Fn() + 'static) -> ListenerId {
        self.inner.em.once(Named::<()>::new(name), move |_| f())
    }

    /// Adds an `end` listener.
    pub fn on_end(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("end", f)
    }
    /// Adds a one-time `end` listener.
    pub fn once_end(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen_once("end", f)
    }
    /// Adds a `finish` listener.
    pub fn on_finish(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("finish", f)
    }
    /// Adds a one-time `finish` listener.
    pub fn once_finish(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen_once("finish", f)
    }
    /// Adds a `close` listener.
    pub fn on_close(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("close", f)
    }
    /// Adds a one-time `close` listener.
    pub fn once_close(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen_once("close", f)
    }
    /// Adds a `drain` listener.
    pub fn on_drain(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("drain", f)
    }
    /// Adds a one-time `drain` listener.
    pub fn once_drain(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen_once("drain", f)
    }
    /// Adds a `prefinish` listener.
    pub fn on_prefinish(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("prefinish", f)
    }
    /// Adds a `pause` listener.
    pub fn on_pause(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("pause", f)
    }
    /// Adds a `resume` listener.
    pub fn on_resume(&self, f: impl Fn() + 'static) -> ListenerId {
        self.listen("resume", f)
    }
    /// Adds a `pipe` listener (emitted on the destination by `pipe`; the payload is the
    /// source's [`Stream::id`]).
    pub fn on_pipe(&self, f: impl Fn(usize) + 'static) -> ListenerId {
        self.inner
            .em
            .on(Named::<usize>::new("pipe"), move |s| f(*s))
    }
    /// Adds an `unpipe` listener (payload: the source's [`Stream::id`]).
    pub fn on_unpipe(&self, f: impl Fn(usize) + 'static) -> ListenerId {
        self.inner
            .em
            .on(Named::<usize>::new("unpipe"), move |s| f(*s))
    }
    /// Adds an `error` listener. Without one, an emitted error is an uncaught exception
    /// (a panic on the loop), as in Node.
    pub fn on_error(&self, f: impl Fn(&Error) + 'static) -> ListenerId {
        self.inner.em.on(Named::<Error>::new("error"), f)
    }
    /// Adds a one-time `error` listener.
    pub fn once_error(&self, f: impl Fn(&Error) + 'static) -> ListenerId {
        self.inner.em.once(Named::<Error>::new("error"), f)
    }
    /// Removes a listener added by one of the `on_*`/`once_*` methods other than
    /// `on_data`/`on_readable` (use [`Stream::off_data`], [`Stream::off_readable`]).
    pub fn off(&self, event: &str, id: ListenerId) {
        self.inner.em.off(event, id);
    }

    pub(crate) fn emit_error_now(&self, err: &Error) {
        if self
            .inner
            .em
            .emit(Named::<Error>::new("error"), err.clone())
            .is_err()
        {
            panic!("Unhandled 'error' event: {err}");
        }
    }

    // ----- destroy.js -----

    /// `destroy(err)`: destroys the stream; `error` (if `err`) and `close` follow on the
    /// next tick. Does nothing on a destroyed stream.
    pub fn destroy(&self, err: Option<Error>) {
        self.destroy_cb(err, None::<fn(Option<Error>)>);
    }

    /// `destroy(err, cb)`: `cb` receives the error `_destroy` reported.
    pub fn destroy_with(&self, err: Option<Error>, cb: impl FnOnce(Option<Error>) + 'static) {
        self.destroy_cb(err, Some(cb));
    }

    fn destroy_cb(&self, err: Option<Error>, cb: Option<impl FnOnce(Option<Error>) + 'static>) {
        // Node v20's Duplex (and so Transform) uses Writable's destroy, which fails the
        // buffered writes on the next tick.
        if self.inner.has_w {
            let (destroyed, has_buffered) = {
                let w = self.inner.w.borrow();
                (
                    self.inner.d.borrow().destroyed,
                    !w.buffered.is_empty() || !w.on_finished.is_empty(),
                )
            };
            if has_buffered && !destroyed {
                let s = self.clone();
                nd::next_tick(move || s.error_buffer());
            }
        }
        if self.inner.d.borrow().destroyed {
            if let Some(cb) = cb {
                cb(None);
            }
            return;
        }
        self.check_error(err.as_ref());
        self.inner.d.borrow_mut().destroyed = true;
        if !self.constructed() {
            let s = self.clone();
            self.inner
                .d
                .borrow_mut()
                .pending_destroy
                .push(Box::new(move |er: Option<Error>| {
                    // Node's aggregateTwoErrors(er, err): either one when only one is set;
                    // with both, an AggregateError carrying the destroy error's code and
                    // message (here: the destroy error itself).
                    s.run_destroy(err.or(er), cb);
                }));
            return;
        }
        self.run_destroy(err, cb);
    }

    fn run_destroy(&self, err: Option<Error>, cb: Option<impl FnOnce(Option<Error>) + 'static>) {
        let s = self.clone();
        let called = Rc::new(Cell::new(false));
        let on_destroy = Callback::new(move |err2: Option<Error>| {
            if called.replace(true) {
                return;
            }
            s.check_error(err2.as_ref());
            s.inner.d.borrow_mut().closed = true;
            if let Some(cb) = cb {
                cb(err2.clone());
            }
            let s2 = s.clone();
            match err2 {
                Some(e) => nd::next_tick(move || {
                    s2.emit_error_nt(&e);
                    s2.emit_close_nt();
                }),
                None => nd::next_tick(move || s2.emit_close_nt()),
            }
        });
        match self.inner.hooks.destroy.clone() {
            Some(h) => match h.try_borrow_mut() {
                Ok(mut f) => f(self, err, on_destroy),
                Err(_) => on_destroy.call(err),
            },
            None => on_destroy.call(err),
        }
    }

    pub(crate) fn check_error(&self, err: Option<&Error>) {
        if let Some(e) = err {
            let mut d = self.inner.d.borrow_mut();
            if d.errored.is_none() {
                d.errored = Some(e.clone());
            }
        }
    }

    pub(crate) fn emit_error_nt(&self, err: &Error) {
        {
            let mut d = self.inner.d.borrow_mut();
            if d.error_emitted {
                return;
            }
            d.error_emitted = true;
        }
        self.emit_error_now(err);
    }

    fn emit_close_nt(&self) {
        let emit = {
            let mut d = self.inner.d.borrow_mut();
            d.close_emitted = true;
            d.emit_close
        };
        if emit {
            self.emit_plain("close");
        }
    }

    /// Node's `errorOrDestroy`: destroys with `err` (autoDestroy), else records it and emits
    /// `error` (on the next tick when `sync`).
    pub(crate) fn error_or_destroy(&self, err: Error, sync: bool) {
        let (destroyed, auto) = {
            let d = self.inner.d.borrow();
            (d.destroyed, d.auto_destroy)
        };
        if destroyed {
            return;
        }
        if auto {
            self.destroy(Some(err));
        } else {
            self.check_error(Some(&err));
            if sync {
                let s = self.clone();
                nd::next_tick(move || s.emit_error_nt(&err));
            } else {
                self.emit_error_nt(&err);
            }
        }
    }

    /// `destroyed`.
    pub fn destroyed(&self) -> bool {
        self.inner.d.borrow().destroyed
    }

    /// `errored`: the error the stream was destroyed or failed with.
    pub fn errored(&self) -> Option<Error> {
        self.inner.d.borrow().errored.clone()
    }

    /// `closed`: `_destroy` completed.
    pub fn closed(&self) -> bool {
        self.inner.d.borrow().closed
    }

    pub(crate) fn close_emitted(&self) -> bool {
        self.inner.d.borrow().close_emitted
    }

    pub(crate) fn error_emitted(&self) -> bool {
        self.inner.d.borrow().error_emitted
    }
}

impl<R: 'static> Stream<R, Never> {
    /// `new Readable(options)`: implemented by `read` (and optionally `destroy`).
    ///
    /// ```
    /// use nodestd_stream::{Chunk, Options, Readable};
    /// nodestd_loop::run(|| {
    ///     let mut n = 0;
    ///     let r = Readable::new_readable(Options::new().read(move |s: &Readable, _| {
    ///         n += 1;
    ///         s.push(if n <= 3 { Some(Chunk::from("ab")) } else { None });
    ///     }));
    ///     r.on_end(|| println!("done"));
    ///     r.resume();
    /// });
    /// ```
    pub fn new_readable(opts: Options<R, Never>) -> Self {
        Stream::build(opts, true, false, false)
    }
}

impl<W: 'static> Stream<Never, W> {
    /// `new Writable(options)`: implemented by `write` and/or `writev`, `final`, `destroy`.
    ///
    /// ```
    /// use nodestd_stream::{Chunk, Options, Writable};
    /// nodestd_loop::run(|| {
    ///     let w = Writable::new_writable(Options::new().write(|_, c: Chunk, cb| {
    ///         print!("{}", String::from_utf8_lossy(c.as_bytes()));
    ///         cb.ok();
    ///     }));
    ///     w.write(Chunk::from("hello "));
    ///     w.end_with(Chunk::from("world\n"));
    /// });
    /// ```
    pub fn new_writable(opts: Options<Never, W>) -> Self {
        Stream::build(opts, false, true, false)
    }
}

/// `new PassThrough()`: a transform that passes every chunk through unchanged.
///
/// ```
/// use nodestd_stream::{pass_through, Chunk};
/// nodestd_loop::run(|| {
///     let p = pass_through();
///     p.on_data(|c| assert_eq!(c.as_bytes(), b"x"));
///     p.end_with(Chunk::from("x"));
/// });
/// ```
pub fn pass_through() -> Transform<Chunk, Chunk> {
    Stream::new_transform(Options::new())
}

/// A `PassThrough` with options (object mode, high-water marks …).
pub fn pass_through_with<T: 'static>(opts: Options<T, T>) -> Transform<T, T> {
    Stream::new_transform(opts)
}
