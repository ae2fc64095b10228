//! The promise forms: Node's callback functions through `util.promisify`, expanded from
//! crypto's one table of asynchronous forms on [`nodestd_loop::work`] (`forms.rs`; the
//! callback forms in [`crate::callback`] come from the same rows). Each call checks its
//! arguments and queues its work on the loop's worker pool at once, as the promisified
//! function does, and returns a future of the result; an argument error becomes the future's
//! error (a rejected promise). Await the futures in [`nodestd_loop::spawn_local`] tasks.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).
//!
//! ```
//! use nodestd_crypto::promises;
//! nodestd_loop::run(|| {
//!     let bytes = promises::random_bytes(4);
//!     let bad = promises::pbkdf2(b"pw", b"salt", 0, 16, "sha256");
//!     nodestd_loop::spawn_local(async move {
//!         assert_eq!(bytes.await.unwrap().len(), 4);
//!         assert_eq!(bad.await.unwrap_err().code(), Some("ERR_OUT_OF_RANGE"));
//!     });
//! });
//! ```

/// A result that a worker-pool job will deliver: the future the promise forms return.
///
/// It settles in the poll phase when the job completes (the awaiting task resumes as a
/// microtask), or at once for an argument error. The job runs whether or not the future is
/// polled.
pub type Pending<T> = nodestd_loop::work::Pending<T, crate::Error>;

crypto_forms!(promise<crate::Error>;);
