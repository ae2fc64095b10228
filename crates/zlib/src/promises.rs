//! The promise forms: Node's callback functions through `util.promisify`
//! (`promisify(zlib.gzip)(buffer, options)` …), rows of zlib's one table of asynchronous
//! forms (`forms.rs`, on [`nodestd_loop::work`]). Each call checks its options and queues the
//! work on the loop's worker pool **at the call**, as the promisified function does, and
//! returns a [`Pending`] future of the output; the work runs whether or not the future is
//! awaited. An option error settles the future at once (a rejected promise). Await the
//! futures in [`nodestd_loop::spawn_local`] tasks.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).
//!
//! ```
//! use nodestd_zlib::{Mode, Options, promises};
//! nodestd_loop::run(|| {
//!     nodestd_loop::spawn_local(async {
//!         let packed = promises::run(Mode::Deflate, b"abc", &Options::default()).await.unwrap();
//!         let back = promises::inflate(&packed, &Options::default()).await.unwrap();
//!         assert_eq!(back, b"abc");
//!     });
//! });
//! ```

use crate::forms::{job, zlib_forms};
use crate::{Mode, Options};

/// The output that a worker-pool task will deliver: the future the promise forms return.
pub type Pending = nodestd_loop::work::Pending<Vec<u8>, crate::Error>;

zlib_forms!(promise<crate::Error>;);
