//! The callback forms (`zlib.gzip(buffer, options, callback)` …): the options are checked
//! and the engine is built at the call, and their errors are returned (Node throws them);
//! the compression runs on the loop's worker pool ([`nodestd_loop::queue_work`]) and the
//! callback runs on the loop thread, in the poll phase, with the output or the engine's error
//! (`Z_DATA_ERROR`, `ERR_BUFFER_TOO_LARGE` …), as Node passes it to its callback.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).

use crate::{Error, ErrorKind, Mode, Options, Zlib};

/// The engine for `mode`, then the job that runs it over `input` to the end.
pub(crate) fn job(
    mode: Mode,
    input: &[u8],
    options: &Options,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    let mut engine = Zlib::new(mode, options)?;
    let input = input.to_vec();
    Ok(move || {
        let flush = engine.finish_flush_flag();
        engine.process_one_shot(&input, flush)
    })
}

/// Runs `job` on the worker pool and hands its result to `callback` on the loop thread.
pub(crate) fn submit(
    job: impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) {
    nodestd_loop::queue_work(job, move |r| {
        callback(r.unwrap_or_else(|e| {
            Err(Error::new(
                ErrorKind::WorkerFailed,
                format!("the worker-pool task failed: {}", e.message()),
            ))
        }))
    });
}

/// `zlib.<mode>(buffer, options, callback)` for a mode chosen at run time.
///
/// ```
/// use nodestd_zlib::{Mode, Options, callback};
/// nodestd_loop::run(|| {
///     callback::run(Mode::Gzip, b"hello", &Options::default(), |packed| {
///         let packed = packed.unwrap();
///         callback::gunzip(&packed, &Options::default(), |back| {
///             assert_eq!(back.unwrap(), b"hello");
///         })
///         .unwrap();
///     })
///     .unwrap();
/// });
/// ```
///
/// # Errors
/// Returned at once: the option errors of [`Zlib::new`]. Passed to the callback: the
/// engine's errors and `ERR_BUFFER_TOO_LARGE`, as [`sync`](crate::sync) returns them.
///
/// # Panics
/// Outside a running loop.
pub fn run(
    mode: Mode,
    input: &[u8],
    options: &Options,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    submit(job(mode, input, options)?, callback);
    Ok(())
}

macro_rules! callback_fns {
    ($($(#[$doc:meta])* $name:ident => $mode:ident,)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// As [`run`]: option errors are returned at once, the engine's errors go to the
        /// callback.
        ///
        /// # Panics
        /// Outside a running loop.
        pub fn $name(
            input: &[u8],
            options: &Options,
            callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
        ) -> Result<(), Error> {
            run(Mode::$mode, input, options, callback)
        }
    )*};
}

callback_fns! {
    /// Node's `zlib.gzip(buffer, options, callback)`.
    gzip => Gzip,
    /// Node's `zlib.gunzip(buffer, options, callback)`.
    gunzip => Gunzip,
    /// Node's `zlib.deflate(buffer, options, callback)`.
    deflate => Deflate,
    /// Node's `zlib.inflate(buffer, options, callback)`.
    inflate => Inflate,
    /// Node's `zlib.deflateRaw(buffer, options, callback)`.
    deflate_raw => DeflateRaw,
    /// Node's `zlib.inflateRaw(buffer, options, callback)`.
    inflate_raw => InflateRaw,
    /// Node's `zlib.unzip(buffer, options, callback)`.
    unzip => Unzip,
    /// Node's `zlib.brotliCompress(buffer, options, callback)`.
    brotli_compress => BrotliEncode,
    /// Node's `zlib.brotliDecompress(buffer, options, callback)`.
    brotli_decompress => BrotliDecode,
}
