//! Node's zlib streams (`zlib.createGzip()` …): a [`nodestd_stream::Transform`] of byte
//! chunks around a [`Zlib`] engine. Each written chunk is compressed on the loop's worker
//! pool (Node's asynchronous `handle.write`), the output of each engine call is pushed as
//! Node pushes it (in `chunkSize` buffers whose unused part carries over to the next write),
//! and `end()` finishes the stream with the `finishFlush` flag. [`ZlibStream::flush`],
//! [`ZlibStream::params`], [`ZlibStream::close`] and [`ZlibStream::bytes_written`] are
//! Node's `flush(kind, cb)`, `params(level, strategy, cb)`, `close(cb)` and `bytesWritten`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::ops::Deref;
use std::rc::Rc;

use nodestd_stream::{Chunk, Options as StreamOptions, Transform, TransformCallback};

use crate::constants::*;
use crate::{Error, ErrorKind, Mode, Options, Zlib};

struct Shared {
    /// The engine, `None` while a write runs on the pool.
    engine: RefCell<Option<Zlib>>,
    /// Flush flags of `flush()` calls, taken by the empty chunks they write.
    pending_flush: RefCell<VecDeque<i32>>,
    bytes_written: Cell<u64>,
    flush_flag: i32,
    finish_flag: i32,
    full_flush_flag: i32,
    mode: Mode,
    level: Cell<i32>,
    strategy: Cell<i32>,
}

/// A zlib or brotli stream: Node's `Gzip`, `Gunzip`, `Deflate`, `Inflate`, `DeflateRaw`,
/// `InflateRaw`, `Unzip`, `BrotliCompress` and `BrotliDecompress` classes. It dereferences
/// to its [`Transform`], so `write`, `end`, `pipe`, `on_data` … are the stream's own.
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use nodestd_stream::Chunk;
/// use nodestd_zlib::{Options, create_gzip, gunzip_sync};
/// let out = Rc::new(RefCell::new(Vec::new()));
/// let o = Rc::clone(&out);
/// nodestd_loop::run(move || {
///     let gz = create_gzip(&Options::default()).unwrap();
///     gz.on_data(move |c: &Chunk| o.borrow_mut().extend_from_slice(c.as_bytes()));
///     gz.write(Chunk::from("hello "));
///     gz.end_with(Chunk::from("world"));
/// });
/// assert_eq!(gunzip_sync(&out.borrow(), &Options::default()).unwrap(), b"hello world");
/// ```
#[derive(Clone)]
pub struct ZlibStream {
    stream: Transform<Chunk, Chunk>,
    shared: Rc<Shared>,
}

impl std::fmt::Debug for ZlibStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZlibStream")
            .field("mode", &self.shared.mode)
            .field("bytes_written", &self.shared.bytes_written.get())
            .finish_non_exhaustive()
    }
}

impl Deref for ZlibStream {
    type Target = Transform<Chunk, Chunk>;

    fn deref(&self) -> &Self::Target {
        &self.stream
    }
}

fn stream_error(e: &Error) -> nodestd_stream::Error {
    nodestd_stream::Error::with_code(e.code(), e.message())
}

/// Runs one engine call over `input` with `flag` on the pool, then pushes its output and
/// completes `cb` on the loop thread.
fn process(
    shared: &Rc<Shared>,
    stream: &Transform<Chunk, Chunk>,
    input: Vec<u8>,
    flag: i32,
    cb: TransformCallback<Chunk>,
) {
    let Some(mut engine) = shared.engine.borrow_mut().take() else {
        // The stream runs one transform at a time; a missing engine means a bug upstream.
        cb.call(Err(nodestd_stream::Error::with_code(
            ErrorKind::WorkerFailed.code(),
            "the zlib engine is busy",
        )));
        return;
    };
    let shared = Rc::clone(shared);
    let stream = stream.clone();
    nodestd_loop::queue_work(
        move || {
            let out = engine.process_stream(&input, flag);
            (engine, out)
        },
        move |r| {
            let (engine, out) = match r {
                Ok(v) => v,
                Err(e) => {
                    cb.call(Err(stream_error(&Error::from(e))));
                    return;
                }
            };
            shared.bytes_written.set(engine.bytes_written());
            *shared.engine.borrow_mut() = Some(engine);
            match out {
                Err(e) => cb.call(Err(stream_error(&e))),
                Ok(mut pieces) => match pieces.pop() {
                    None => cb.ok(),
                    Some(last) => {
                        for p in pieces {
                            stream.push(Some(Chunk::from(p)));
                        }
                        cb.push(Chunk::from(last));
                    }
                },
            }
        },
    );
}

/// `new zlib.<Class>(options)` for a mode chosen at run time.
///
/// # Errors
/// The option errors of [`Zlib::new`], as Node's constructors throw them.
///
/// # Panics
/// Writing to the stream outside a running loop (the work goes to the loop's pool).
pub fn create(mode: Mode, options: &Options) -> Result<ZlibStream, Error> {
    let engine = Zlib::new(mode, options)?;
    let o = options.resolve(mode)?;
    let shared = Rc::new(Shared {
        flush_flag: engine.flush_flag(),
        finish_flag: engine.finish_flush_flag(),
        full_flush_flag: mode.default_full_flush(),
        engine: RefCell::new(Some(engine)),
        pending_flush: RefCell::new(VecDeque::new()),
        bytes_written: Cell::new(0),
        mode,
        level: Cell::new(o.level),
        strategy: Cell::new(o.strategy),
    });
    let (s1, s2) = (Rc::clone(&shared), Rc::clone(&shared));
    let opts = StreamOptions::new()
        .transform(move |s, chunk: Chunk, cb| {
            let input = chunk.as_bytes();
            let flag = if input.is_empty() {
                s1.pending_flush
                    .borrow_mut()
                    .pop_front()
                    .unwrap_or(s1.flush_flag)
            } else {
                s1.flush_flag
            };
            process(&s1, s, input.to_vec(), flag, cb);
        })
        .flush(move |s, cb| {
            let flag = s2.finish_flag;
            process(&s2, s, Vec::new(), flag, cb);
        });
    Ok(ZlibStream {
        stream: Transform::new_transform(opts),
        shared,
    })
}

impl ZlibStream {
    /// The stream's mode.
    pub fn mode(&self) -> Mode {
        self.shared.mode
    }

    /// The [`Transform`] itself (also reachable through `Deref`), e.g. for `pipe`.
    pub fn stream(&self) -> &Transform<Chunk, Chunk> {
        &self.stream
    }

    /// `bytesWritten`: input bytes the engine has consumed so far.
    pub fn bytes_written(&self) -> u64 {
        self.shared.bytes_written.get()
    }

    /// `flush(kind, callback)`: the output so far is flushed with `kind` (`None`: Node's
    /// default full flush, `Z_FULL_FLUSH` or `BROTLI_OPERATION_FLUSH`) after the writes before
    /// it; `callback` runs when that is done. After `end()` the callback waits for `end`;
    /// after `finish` it runs on the next tick.
    pub fn flush(&self, kind: Option<i32>, callback: impl FnOnce() + 'static) {
        let kind = kind.unwrap_or(self.shared.full_flush_flag);
        if self.stream.writable_finished() {
            nodestd_loop::next_tick(callback);
        } else if self.stream.writable_ended() {
            let cb = RefCell::new(Some(callback));
            self.stream.once_end(move || {
                if let Some(cb) = cb.borrow_mut().take() {
                    cb();
                }
            });
        } else {
            self.shared.pending_flush.borrow_mut().push_back(kind);
            self.stream
                .write_with(Chunk::from(Vec::new()), move |_| callback());
        }
    }

    /// `params(level, strategy, callback)`: new settings for the rest of the stream, after a
    /// `Z_SYNC_FLUSH` of what was written before. Unchanged settings only defer the callback
    /// to the next tick. As the engine's `params`, it changes nothing in gzip, decompressing
    /// and brotli modes (Node's brotli streams have no `params` method at all).
    ///
    /// # Errors
    /// `ERR_OUT_OF_RANGE` (at once) for a level outside -1..=9 or a strategy outside 0..=4.
    /// The engine's own failure goes to `callback`.
    pub fn params(
        &self,
        level: i32,
        strategy: i32,
        callback: impl FnOnce(Result<(), Error>) + 'static,
    ) -> Result<(), Error> {
        if !(Z_MIN_LEVEL..=Z_MAX_LEVEL).contains(&level) {
            return Err(Error::out_of_range(
                "level",
                &format!(">= {Z_MIN_LEVEL} and <= {Z_MAX_LEVEL}"),
                &level.to_string(),
            ));
        }
        if !(Z_DEFAULT_STRATEGY..=Z_FIXED).contains(&strategy) {
            return Err(Error::out_of_range(
                "strategy",
                &format!(">= {Z_DEFAULT_STRATEGY} and <= {Z_FIXED}"),
                &strategy.to_string(),
            ));
        }
        if self.shared.level.get() == level && self.shared.strategy.get() == strategy {
            nodestd_loop::next_tick(move || callback(Ok(())));
            return Ok(());
        }
        let shared = Rc::clone(&self.shared);
        self.flush(Some(Z_SYNC_FLUSH), move || {
            let r = match shared.engine.borrow_mut().as_mut() {
                Some(engine) => engine.params(level, strategy),
                None => Ok(()),
            };
            if r.is_ok() {
                shared.level.set(level);
                shared.strategy.set(strategy);
            }
            callback(r);
        });
        Ok(())
    }

    /// `close(callback)`: destroys the stream; `callback` runs on `close`.
    pub fn close(&self, callback: impl FnOnce() + 'static) {
        let cb = RefCell::new(Some(callback));
        self.stream.once_close(move || {
            if let Some(cb) = cb.borrow_mut().take() {
                cb();
            }
        });
        self.stream.destroy(None);
    }
}

macro_rules! create_fns {
    ($($(#[$doc:meta])* $name:ident => $mode:ident,)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// The option errors of [`Zlib::new`].
        pub fn $name(options: &Options) -> Result<ZlibStream, Error> {
            create(Mode::$mode, options)
        }
    )*};
}

create_fns! {
    /// `zlib.createGzip(options)`.
    create_gzip => Gzip,
    /// `zlib.createGunzip(options)`.
    create_gunzip => Gunzip,
    /// `zlib.createDeflate(options)`.
    create_deflate => Deflate,
    /// `zlib.createInflate(options)`.
    create_inflate => Inflate,
    /// `zlib.createDeflateRaw(options)`.
    create_deflate_raw => DeflateRaw,
    /// `zlib.createInflateRaw(options)`.
    create_inflate_raw => InflateRaw,
    /// `zlib.createUnzip(options)`.
    create_unzip => Unzip,
    /// `zlib.createBrotliCompress(options)`.
    create_brotli_compress => BrotliEncode,
    /// `zlib.createBrotliDecompress(options)`.
    create_brotli_decompress => BrotliDecode,
}
