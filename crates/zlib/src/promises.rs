//! The promise forms: Node's callback functions through `util.promisify`
//! (`promisify(zlib.gzip)(buffer, options)` …). Each call checks its options and queues the
//! work on the loop's worker pool at once, as the promisified function does, and returns a
//! [`Pending`] future of the output; an option error becomes the future's error (a rejected
//! promise). Await the futures in [`nodestd_loop::spawn_local`] tasks.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::callback::{job, submit};
use crate::{Error, ErrorKind, Mode, Options};

/// The output that a worker-pool task will deliver: the future the promise forms return.
#[must_use = "the work runs anyway; the future is the only way to its result"]
pub struct Pending {
    promise: nodestd_loop::Promise<Result<Vec<u8>, Error>>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

impl Future for Pending {
    type Output = Result<Vec<u8>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.promise).poll(cx).map(|r| {
            r.unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::WorkerFailed,
                    "the loop dropped the worker-pool task",
                ))
            })
        })
    }
}

/// `promisify(zlib.<mode>)(buffer, options)` for a mode chosen at run time.
///
/// ```
/// use nodestd_zlib::{Mode, Options, promises};
/// nodestd_loop::run(|| {
///     nodestd_loop::spawn_local(async {
///         let packed = promises::run(Mode::Deflate, b"abc", &Options::default()).await.unwrap();
///         let back = promises::inflate(&packed, &Options::default()).await.unwrap();
///         assert_eq!(back, b"abc");
///     });
/// });
/// ```
///
/// # Errors
/// Through the future: the option errors of [`Zlib::new`](crate::Zlib::new), the engine's
/// errors and `ERR_BUFFER_TOO_LARGE`.
///
/// # Panics
/// Outside a running loop.
pub fn run(mode: Mode, input: &[u8], options: &Options) -> Pending {
    let (resolver, promise) = nodestd_loop::promise();
    match job(mode, input, options) {
        Ok(job) => submit(job, move |r| resolver.resolve(r)),
        Err(e) => resolver.resolve(Err(e)),
    }
    Pending { promise }
}

macro_rules! promise_fns {
    ($($(#[$doc:meta])* $name:ident => $mode:ident,)*) => {$(
        $(#[$doc])*
        ///
        /// # Errors
        /// As [`run`], through the future.
        ///
        /// # Panics
        /// Outside a running loop.
        pub fn $name(input: &[u8], options: &Options) -> Pending {
            run(Mode::$mode, input, options)
        }
    )*};
}

promise_fns! {
    /// `promisify(zlib.gzip)(buffer, options)`.
    gzip => Gzip,
    /// `promisify(zlib.gunzip)(buffer, options)`.
    gunzip => Gunzip,
    /// `promisify(zlib.deflate)(buffer, options)`.
    deflate => Deflate,
    /// `promisify(zlib.inflate)(buffer, options)`.
    inflate => Inflate,
    /// `promisify(zlib.deflateRaw)(buffer, options)`.
    deflate_raw => DeflateRaw,
    /// `promisify(zlib.inflateRaw)(buffer, options)`.
    inflate_raw => InflateRaw,
    /// `promisify(zlib.unzip)(buffer, options)`.
    unzip => Unzip,
    /// `promisify(zlib.brotliCompress)(buffer, options)`.
    brotli_compress => BrotliEncode,
    /// `promisify(zlib.brotliDecompress)(buffer, options)`.
    brotli_decompress => BrotliDecode,
}
