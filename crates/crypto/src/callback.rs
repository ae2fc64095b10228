//! The callback forms (`crypto.randomBytes(size, callback)`, `pbkdf2`, `hkdf`, `scrypt`,
//! `randomFill`, `generateKeyPair`), expanded from crypto's one table of asynchronous forms
//! on [`nodestd_loop::work`] (`forms.rs`; the promise forms in [`crate::promises`] come from
//! the same rows). Node's argument checks run at the call and their errors are returned (Node
//! throws them); the work is queued on the loop's worker pool and the callback runs on the
//! loop thread, in the poll phase, with the result or the error Node passes to its callback.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).
//!
//! ```
//! use nodestd_crypto::{callback, pbkdf2_sync, KeyPairOptions};
//! nodestd_loop::run(|| {
//!     callback::random_bytes(8, |r| assert_eq!(r.unwrap().len(), 8)).unwrap();
//!     callback::pbkdf2(b"pw", b"salt", 1000, 16, "sha256", |r| {
//!         assert_eq!(r.unwrap(), pbkdf2_sync("pw", "salt", 1000, 16, "sha256").unwrap());
//!     })
//!     .unwrap();
//!     callback::generate_key_pair("ed25519", &KeyPairOptions::default(), |pair| {
//!         assert_eq!(pair.unwrap().public_key.type_().as_str(), "public");
//!     })
//!     .unwrap();
//!     // An argument error is returned at once; the callback never runs.
//!     let err = callback::pbkdf2(b"pw", b"salt", 0, 16, "sha256", |_| unreachable!());
//!     assert_eq!(err.unwrap_err().code(), Some("ERR_OUT_OF_RANGE"));
//! });
//! ```

crypto_forms!(callback<crate::Error>;);
