//! zlib's one table of asynchronous forms, on the loop's [`nodestd_loop::work`]: each row
//! `fn name(args) -> Vec<u8> = job;` is one Node function, expanded by
//! [`nodestd_loop::async_forms!`] once in [`crate::callback`] (`zlib.gzip(buffer, options,
//! callback)`) and once in [`crate::promises`] (`util.promisify(zlib.gzip)(buffer, options)`).
//!
//! A row's job is [`job`]: at the call it checks the options and builds the engine (Node's
//! `new Gzip(options)` throws there, and the promisified form rejects) and copies the input;
//! the engine then runs over it on the worker pool.

use crate::{Error, Mode, Options, Zlib};

/// The engine for `mode`, built at the call, then the job that runs it over a copy of
/// `input` to the end on the pool.
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

/// The functions with a callback and a promise form. `$form` is `callback<crate::Error>;` or
/// `promise<crate::Error>;`; the expanding module imports `job`, `Mode` and `Options`.
macro_rules! zlib_forms {
    ($($form:tt)*) => {
        nodestd_loop::async_forms! { $($form)*
            /// `zlib.<mode>(buffer, options)` for a [`Mode`] chosen at run time.
            fn run(mode: Mode, input: &[u8], options: &Options) -> Vec<u8> = job(mode, input, options)?;
            /// Node's `zlib.gzip(buffer, options)`.
            fn gzip(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::Gzip, input, options)?;
            /// Node's `zlib.gunzip(buffer, options)`: every gzip member is decoded; zero bytes
            /// after a member are padding.
            fn gunzip(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::Gunzip, input, options)?;
            /// Node's `zlib.deflate(buffer, options)` (zlib format).
            fn deflate(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::Deflate, input, options)?;
            /// Node's `zlib.inflate(buffer, options)` (zlib format).
            fn inflate(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::Inflate, input, options)?;
            /// Node's `zlib.deflateRaw(buffer, options)`.
            fn deflate_raw(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::DeflateRaw, input, options)?;
            /// Node's `zlib.inflateRaw(buffer, options)`.
            fn inflate_raw(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::InflateRaw, input, options)?;
            /// Node's `zlib.unzip(buffer, options)`: gzip or zlib, from the first bytes.
            fn unzip(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::Unzip, input, options)?;
            /// Node's `zlib.brotliCompress(buffer, options)`.
            fn brotli_compress(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::BrotliEncode, input, options)?;
            /// Node's `zlib.brotliDecompress(buffer, options)`.
            fn brotli_decompress(input: &[u8], options: &Options) -> Vec<u8> = job(Mode::BrotliDecode, input, options)?;
        }
    };
}

pub(crate) use zlib_forms;
