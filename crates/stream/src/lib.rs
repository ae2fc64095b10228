//! Node.js's [`stream`](https://nodejs.org/docs/latest-v20.x/api/stream.html) module for Rust,
//! on the nodestd event loop, with Node v20's state machines (`readable.js`, `writable.js`,
//! `destroy.js`, `transform.js`, `end-of-stream.js`, `pipeline.js`) and so Node's event order:
//! which of `data`, `readable`, `end`, `drain`, `prefinish`, `finish`, `error` and `close`
//! fire synchronously and which on a `process.nextTick`, exactly as Node does (checked
//! against live node by `crates/conformance/tests/stream_differential.rs`).
//!
//! # Main types
//!
//! - [`Stream<R, W>`]: one handle type (an `Rc`, cheap to clone, `!Send`) for every stream;
//!   `R` is what is read, `W` what is written, [`Never`] marks a missing side. The aliases
//!   [`Readable<T>`] (`Stream<T, Never>`), [`Writable<T>`] (`Stream<Never, T>`), [`Duplex<R, W>`]
//!   and [`Transform<R, W>`] name the four kinds; [`pass_through`] builds a `PassThrough`.
//! - [`Options`]: Node's constructor options (`highWaterMark`, `objectMode`, `emitClose`,
//!   `autoDestroy`, `allowHalfOpen`, `decodeStrings`, `encoding`) and the implementation
//!   callbacks of "simplified construction": `construct(cb)`, `read(size)`,
//!   `write(chunk, cb)`, `writev(chunks, cb)`, `final(cb)`, `destroy(err, cb)`,
//!   `transform(chunk, cb)`, `flush(cb)`. Each receives the stream handle (to `push`). Build with
//!   [`Stream::new_readable`], [`Stream::new_writable`], [`Stream::new_duplex`],
//!   [`Stream::new_transform`].
//! - [`Chunk`]: a chunk of a byte stream — [`Bytes`] (`Buffer`, a cheap `Rc` slice) or a
//!   `String` (after [`Stream::set_encoding`]). Streams of any other item type are in object
//!   mode (each chunk counts 1 toward the high-water mark).
//! - [`Callback`] and [`TransformCallback`]: the `cb` of the implementation callbacks.
//! - [`Error`]: Node's `code` and message (`ERR_STREAM_PUSH_AFTER_EOF`,
//!   `ERR_STREAM_WRITE_AFTER_END`, `ERR_STREAM_DESTROYED`, `ERR_STREAM_PREMATURE_CLOSE`,
//!   `ERR_STREAM_ALREADY_FINISHED`, `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`,
//!   `ERR_METHOD_NOT_IMPLEMENTED`, `ERR_MULTIPLE_CALLBACK` …) or a user error; an `Rc`, so
//!   one error reaches every listener and callback, as one JS `Error` object does.
//! - [`pipe`](Stream::pipe), [`pipeline`] / [`pipeline_async`] (stages as [`Stage`]),
//!   [`finished`] / [`finished_async`].
//! - Adapters: [`Stream::from_iter`], [`Stream::from_stream`] and [`Stream::from_async`]
//!   (`Readable.from`),
//!   [`Stream::next`] (`for await … of`) and [`Stream::chunks`] (a
//!   [`futures_core::Stream`]), [`Stream::write_async`], [`Stream::end_async`] and
//!   [`Stream::sink`] (a [`futures_sink::Sink`]: writing with backpressure from async code).
//!   Their futures run on the loop's executor (`nodestd_loop::spawn_local` / `block_on`);
//!   wake-ups are microtasks.
//!
//! ```
//! use nodestd_stream::{Chunk, Options, Readable, Transform, Writable};
//! use std::{cell::RefCell, rc::Rc};
//!
//! let out = Rc::new(RefCell::new(Vec::new()));
//! let o = Rc::clone(&out);
//! nodestd_loop::run(move || {
//!     let mut left = 3;
//!     let src = Readable::new_readable(Options::new().read(move |s: &Readable, _size| {
//!         left -= 1;
//!         s.push(if left > 0 { Some(Chunk::from("ab")) } else { None });
//!     }));
//!     let upper: Transform = Transform::new_transform(Options::new().transform(|_, c: Chunk, cb| {
//!         cb.push(Chunk::from(c.as_bytes().to_ascii_uppercase()))
//!     }));
//!     let sink = Writable::new_writable(Options::new().write(move |_, c: Chunk, cb| {
//!         o.borrow_mut().extend_from_slice(c.as_bytes());
//!         cb.ok();
//!     }));
//!     src.pipe(&upper).pipe(&sink);
//! });
//! assert_eq!(*out.borrow(), b"ABAB");
//! ```
//!
//! # For implementors (fs, zlib, net …)
//!
//! A file read stream is a `Readable` whose `construct` opens the file (on the worker pool,
//! calling back from the completion), whose `read` starts one read on the worker pool and
//! `push`es the bytes (or `None` at EOF) from the completion; a write stream is a `Writable`
//! whose `write` calls `cb` from the completion (add `writev` to gather writes, `final` to
//! flush, `destroy` to close the descriptor and pass the error on). A zlib stream is a
//! `Transform` whose `transform` feeds the engine and pushes its output (`s.push` for extra
//! chunks, `cb.push` for the last), and whose `flush` finishes the engine. Report failures
//! with `cb.err(Error::from_error_with_code(code, e))`.
//!
//! # Cargo features
//!
//! None. Dependencies: nodestd-loop, nodestd-events, and `futures-core` / `futures-sink`
//! (the two traits only).
//!
//! # Platforms
//!
//! No OS calls of its own: it runs wherever the nodestd loop does. Linux is what is tested.
//!
//! # Deviations from Node
//!
//! - **No JS `Buffer`; encoding arguments only for strings pushed into a readable.** Byte
//!   chunks are [`Chunk`]s; a [`Chunk::Str`] written to or pushed into a byte stream is a
//!   string without an encoding argument (utf8, Node's default).
//!   [`Stream::push_string`] and [`Stream::unshift_string`] take Node's encoding argument.
//!   `set_encoding` takes every encoding Node accepts ([`Encoding`]);
//!   [`Stream::set_encoding_name`] takes Node's names and fails with
//!   `ERR_UNKNOWN_ENCODING` where Node throws. A decoded string chunk's length is in UTF-16
//!   units as in Node, but `read(n)` never splits a surrogate pair (it returns the whole
//!   character), and a Rust string cannot hold a lone surrogate: utf16le input that decodes
//!   to one gives U+FFFD where Node keeps the lone surrogate. utf8 decoding holds the bytes
//!   Node's `StringDecoder` holds for the next chunk and replaces invalid input with U+FFFD
//!   per maximal subpart (Rust's rule, which we take to be V8's).
//! - **`set_encoding` in object mode** decodes each `Buffer` pushed into a stream of
//!   [`Chunk`]s as Node does (an empty decoded string is an item too), but when it decodes
//!   again what is already buffered, the joined string counts as one item in
//!   `readableLength`, where Node counts its characters (and its later `read()`s return
//!   `undefined` for the difference). On a stream whose items are not `Chunk`s,
//!   `set_encoding` only sets `readableEncoding` and items pass unchanged (Node decodes a
//!   `Buffer` item, passes a string, and throws `ERR_INVALID_ARG_TYPE` for other values).
//! - **Typed events.** Listeners are added with methods (`on_data`, `on_end`, `on_error` …);
//!   `data` listeners receive `&R` and live in the stream's own list (remove them with
//!   [`Stream::off_data`]). `pipe`/`unpipe` listeners get the source's [`Stream::id`]
//!   instead of the stream. The emitter ([`Stream::emitter`]) carries the other events.
//! - **Unhandled `error`** (no listener) panics on the loop — an uncaught exception, as in
//!   Node, where it crashes the process.
//! - **Callbacks are consumed** ([`Callback`] is `FnOnce` by value), so
//!   `ERR_MULTIPLE_CALLBACK` cannot happen; `null` chunks and wrong chunk types cannot be
//!   expressed, so `ERR_STREAM_NULL_VALUES` and `ERR_INVALID_ARG_TYPE` for chunks cannot
//!   either (the codes exist in [`ErrorKind`]). A writable without `write`/`writev` fails
//!   each write with `ERR_METHOD_NOT_IMPLEMENTED` through the write callback (Node throws
//!   from `write()`).
//! - **Object mode** applies to every item type other than [`Chunk`]; a `Chunk` stream can
//!   also be put in object mode with [`Options::object_mode`].
//! - **Destroy/error state is shared** by both sides of a duplex (Node keeps one copy per
//!   side and sets both together; `autoDestroy`/`emitClose` are per stream here).
//! - **`pipeline`** takes stages of one chunk type ([`Stage`]); Node also accepts async
//!   generators and functions as stages. Its callback gets the error only (no value).
//! - **Async iteration** ([`Stream::next`], [`Stream::chunks`]): dropping the iterator early
//!   does not destroy the stream (Node's `for await` destroys it on `break`); call
//!   `destroy` yourself.
//! - **`destroy` while `construct` is pending** with an error on both sides reports the
//!   `destroy` error; Node wraps both in an `AggregateError` with that error's code and
//!   message.
//! - Not provided: `signal`/`AbortSignal`, `Readable.fromWeb`/`toWeb`, the
//!   stream operators (`map`, `filter`, `toArray` …), `compose`, `Duplex.from`,
//!   `addAbortSignal`, `setDefaultHighWaterMark`, `stream/consumers`, `readable.wrap`.
#![forbid(unsafe_code)]

mod adapters;
mod chunk;
mod error;
mod finished;
mod pipe;
mod pipeline;
mod readable;
mod stream;
mod writable;

pub use adapters::{Chunks, Next, WriteSink};
pub use chunk::{Bytes, Chunk, Decoder, Encoding};
pub use error::{Error, ErrorKind};
pub use finished::{finished, finished_async};
pub use pipeline::{Stage, pipeline, pipeline_async};
pub use stream::{
    Callback, DEFAULT_HIGH_WATER_MARK, DEFAULT_OBJECT_HIGH_WATER_MARK, Duplex, Never, Options,
    Readable, Stream, Transform, TransformCallback, Writable, pass_through, pass_through_with,
};
