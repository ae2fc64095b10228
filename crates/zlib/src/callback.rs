//! The callback forms (`zlib.gzip(buffer, options, callback)` …): rows of zlib's one table of
//! asynchronous forms (`forms.rs`, on [`nodestd_loop::work`]). The options are checked and
//! the engine is built at the call, and their errors are returned (Node throws them); the
//! compression runs on the loop's worker pool and the callback runs on the loop thread, in
//! the poll phase, with the output or the engine's error (`Z_DATA_ERROR`,
//! `ERR_BUFFER_TOO_LARGE` …), as Node passes it to its callback.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).
//!
//! ```
//! use nodestd_zlib::{Mode, Options, callback};
//! nodestd_loop::run(|| {
//!     callback::run(Mode::Gzip, b"hello", &Options::default(), |packed| {
//!         let packed = packed.unwrap();
//!         callback::gunzip(&packed, &Options::default(), |back| {
//!             assert_eq!(back.unwrap(), b"hello");
//!         })
//!         .unwrap();
//!     })
//!     .unwrap();
//! });
//! ```

use crate::forms::{job, zlib_forms};
use crate::{Mode, Options};

zlib_forms!(callback<crate::Error>;);
