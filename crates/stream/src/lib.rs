//! Node.js's [`stream`](https://nodejs.org/docs/latest-v20.x/api/stream.html) module for Rust,
//! on the nodestd event loop.
#![forbid(unsafe_code)]

mod chunk;
mod error;
mod finished;
mod pipe;
mod readable;
mod stream;
mod writable;

pub use chunk::{Bytes, Chunk, Decoder, Encoding};
pub use error::{Error, ErrorKind};
pub use stream::{
    Callback, DEFAULT_HIGH_WATER_MARK, DEFAULT_OBJECT_HIGH_WATER_MARK, Duplex, Never, Options,
    Readable, Stream, Transform, TransformCallback, Writable, pass_through, pass_through_with,
};
pub use finished::{Stage, finished, finished_async, pipeline, pipeline_async};
