//! The promise forms: Node's callback functions through `util.promisify`. Each call checks
//! its arguments and queues its work on the loop's worker pool at once, as the promisified
//! function does, and returns a future of the result; an argument error becomes the future's
//! error (a rejected promise). Await the futures in [`nodestd_loop::spawn_local`] tasks.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::callback::{
    hkdf_job, pbkdf2_job, random_bytes_job, random_fill_job, scrypt_job, submit,
};
use crate::keys::key_pair_job;
use crate::{Error, ErrorKind, KeyPair, KeyPairOptions, ScryptOptions};

/// A result that a worker-pool task will deliver: the future the promise forms return.
///
/// It settles as soon as the task's completion reaches the loop thread (the poll phase), or
/// at once for an argument error.
#[must_use = "the work runs anyway; the future is the only way to its result"]
pub struct Pending<T> {
    promise: nodestd_loop::Promise<Result<T, Error>>,
}

impl<T> std::fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, Error>;

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

/// Starts `prepared` (or settles at once with its error) and returns the result's future.
pub(crate) fn promise<T: Send + 'static, J: FnOnce() -> Result<T, Error> + Send + 'static>(
    prepared: Result<J, Error>,
) -> Pending<T> {
    let (resolver, promise) = nodestd_loop::promise();
    match prepared {
        Ok(job) => submit(job, move |r| resolver.resolve(r)),
        Err(e) => resolver.resolve(Err(e)),
    }
    Pending { promise }
}

/// `util.promisify(crypto.randomBytes)(size)`.
///
/// ```
/// nodestd_loop::run(|| {
///     let bytes = nodestd_crypto::promises::random_bytes(4);
///     nodestd_loop::spawn_local(async move { assert_eq!(bytes.await.unwrap().len(), 4) });
/// });
/// ```
///
/// # Errors
/// As [`callback::random_bytes`](crate::callback::random_bytes), through the future.
///
/// # Panics
/// Outside a running loop.
pub fn random_bytes(size: u64) -> Pending<Vec<u8>> {
    promise(random_bytes_job(size))
}

/// `util.promisify(crypto.randomFill)(buffer, offset, size)`: resolves to the filled buffer.
///
/// # Errors
/// As [`callback::random_fill`](crate::callback::random_fill), through the future.
///
/// # Panics
/// Outside a running loop.
pub fn random_fill(buf: Vec<u8>, offset: usize, size: Option<usize>) -> Pending<Vec<u8>> {
    promise(random_fill_job(buf, offset, size))
}

/// `util.promisify(crypto.pbkdf2)(password, salt, iterations, keylen, digest)`.
///
/// # Errors
/// As [`callback::pbkdf2`](crate::callback::pbkdf2), through the future.
///
/// # Panics
/// Outside a running loop.
pub fn pbkdf2(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    iterations: u64,
    keylen: u64,
    digest: &str,
) -> Pending<Vec<u8>> {
    promise(pbkdf2_job(
        password.as_ref(),
        salt.as_ref(),
        iterations,
        keylen,
        digest,
    ))
}

/// `util.promisify(crypto.hkdf)(digest, ikm, salt, info, keylen)`.
///
/// # Errors
/// As [`callback::hkdf`](crate::callback::hkdf), through the future.
///
/// # Panics
/// Outside a running loop.
pub fn hkdf(
    digest: &str,
    ikm: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    info: impl AsRef<[u8]>,
    keylen: u64,
) -> Pending<Vec<u8>> {
    promise(hkdf_job(
        digest,
        ikm.as_ref(),
        salt.as_ref(),
        info.as_ref(),
        keylen,
    ))
}

/// `util.promisify(crypto.scrypt)(password, salt, keylen, options)`.
///
/// # Errors
/// As [`callback::scrypt`](crate::callback::scrypt), through the future.
///
/// # Panics
/// Outside a running loop.
pub fn scrypt(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    keylen: u64,
    options: &ScryptOptions,
) -> Pending<Vec<u8>> {
    promise(scrypt_job(
        password.as_ref(),
        salt.as_ref(),
        keylen,
        options,
    ))
}

/// `util.promisify(crypto.generateKeyPair)(type, options)`.
///
/// # Errors
/// As [`callback::generate_key_pair`](crate::callback::generate_key_pair), through the
/// future.
///
/// # Panics
/// Outside a running loop.
pub fn generate_key_pair(type_: &str, options: &KeyPairOptions) -> Pending<KeyPair> {
    promise(key_pair_job(type_, options))
}
