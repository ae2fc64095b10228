//! The callback forms (`crypto.randomBytes(size, callback)`, `pbkdf2`, `hkdf`, `scrypt`,
//! `randomFill`, `generateKeyPair`): Node's argument checks run at the call and their errors
//! are returned (Node throws them); the work runs on the loop's worker pool
//! ([`nodestd_loop::queue_work`]) and the callback runs on the loop thread, in the poll phase,
//! with the result or the error Node passes to its callback.
//!
//! Every function here must be called inside a running loop ([`nodestd_loop::run`]).

use crate::kdf::{hkdf_check, hkdf_run, pbkdf2_check, pbkdf2_run, scrypt_check, scrypt_run};
use crate::keys::key_pair_job;
use crate::{Error, ErrorKind, KeyPair, KeyPairOptions, ScryptOptions};

/// Runs `job` on the worker pool and hands its result to `callback` on the loop thread.
pub(crate) fn submit<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, Error> + Send + 'static,
    callback: impl FnOnce(Result<T, Error>) + 'static,
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

/// The checks of a callback form, then its job on the pool.
fn start<T: Send + 'static, J: FnOnce() -> Result<T, Error> + Send + 'static>(
    prepared: Result<J, Error>,
    callback: impl FnOnce(Result<T, Error>) + 'static,
) -> Result<(), Error> {
    submit(prepared?, callback);
    Ok(())
}

pub(crate) fn random_bytes_job(
    size: u64,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    crate::random::check_size(size)?;
    Ok(move || crate::random_bytes(size))
}

pub(crate) fn random_fill_job(
    mut buf: Vec<u8>,
    offset: usize,
    size: Option<usize>,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    let (offset, size) = crate::random::check_range(buf.len(), offset, size)?;
    Ok(move || {
        crate::random_fill_sync(&mut buf[offset..offset + size])?;
        Ok(buf)
    })
}

pub(crate) fn pbkdf2_job(
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    keylen: u64,
    digest: &str,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    let alg = pbkdf2_check(iterations, keylen, digest)?;
    let (password, salt) = (password.to_vec(), salt.to_vec());
    Ok(move || pbkdf2_run(alg, &password, &salt, iterations, keylen))
}

pub(crate) fn hkdf_job(
    digest: &str,
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    keylen: u64,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    let alg = hkdf_check(digest, info, keylen)?;
    let (ikm, salt, info) = (ikm.to_vec(), salt.to_vec(), info.to_vec());
    Ok(move || hkdf_run(alg, &ikm, &salt, &info, keylen))
}

pub(crate) fn scrypt_job(
    password: &[u8],
    salt: &[u8],
    keylen: u64,
    options: &ScryptOptions,
) -> Result<impl FnOnce() -> Result<Vec<u8>, Error> + Send + 'static + use<>, Error> {
    let params = scrypt_check(keylen, options)?;
    let (password, salt) = (password.to_vec(), salt.to_vec());
    Ok(move || scrypt_run(params, &password, &salt, keylen))
}

/// `crypto.randomBytes(size, callback)`.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_crypto::callback::random_bytes(8, |r| assert_eq!(r.unwrap().len(), 8)).unwrap();
/// });
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` (returned at once) when `size` exceeds 2^31 - 1.
///
/// # Panics
/// Outside a running loop.
pub fn random_bytes(
    size: u64,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    start(random_bytes_job(size), callback)
}

/// `crypto.randomFill(buffer, offset, size, callback)`: the buffer moves to the pool and
/// comes back, filled from `offset` for `size` bytes (`None`: to the end), in the callback.
///
/// # Errors
/// `ERR_OUT_OF_RANGE` (returned at once) when the range passes the end of the buffer.
///
/// # Panics
/// Outside a running loop.
pub fn random_fill(
    buf: Vec<u8>,
    offset: usize,
    size: Option<usize>,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    start(random_fill_job(buf, offset, size), callback)
}

/// `crypto.pbkdf2(password, salt, iterations, keylen, digest, callback)`.
///
/// ```
/// nodestd_loop::run(|| {
///     nodestd_crypto::callback::pbkdf2(b"pw", b"salt", 1000, 16, "sha256", |r| {
///         assert_eq!(r.unwrap(), nodestd_crypto::pbkdf2_sync("pw", "salt", 1000, 16, "sha256").unwrap());
///     }).unwrap();
/// });
/// ```
///
/// # Errors
/// Returned at once: the argument errors of [`pbkdf2_sync`](crate::pbkdf2_sync)
/// (`ERR_OUT_OF_RANGE`, `ERR_CRYPTO_INVALID_DIGEST`). Passed to the callback: the code-less
/// "Deriving bits failed" (SHAKE digests) and the legacy-digest error, as Node does.
///
/// # Panics
/// Outside a running loop.
pub fn pbkdf2(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    iterations: u64,
    keylen: u64,
    digest: &str,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    start(
        pbkdf2_job(password.as_ref(), salt.as_ref(), iterations, keylen, digest),
        callback,
    )
}

/// `crypto.hkdf(digest, ikm, salt, info, keylen, callback)`.
///
/// # Errors
/// Returned at once: the argument errors of [`hkdf_sync`](crate::hkdf_sync)
/// (`ERR_OUT_OF_RANGE`, `ERR_CRYPTO_INVALID_DIGEST`, `ERR_CRYPTO_INVALID_KEYLEN`). Passed to
/// the callback: "Deriving bits failed" and the legacy-digest error.
///
/// # Panics
/// Outside a running loop.
pub fn hkdf(
    digest: &str,
    ikm: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    info: impl AsRef<[u8]>,
    keylen: u64,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    start(
        hkdf_job(digest, ikm.as_ref(), salt.as_ref(), info.as_ref(), keylen),
        callback,
    )
}

/// `crypto.scrypt(password, salt, keylen, options, callback)`.
///
/// # Errors
/// Returned at once: every error of [`scrypt_sync`](crate::scrypt_sync) (Node checks the
/// parameters before queueing the work).
///
/// # Panics
/// Outside a running loop.
pub fn scrypt(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    keylen: u64,
    options: &ScryptOptions,
    callback: impl FnOnce(Result<Vec<u8>, Error>) + 'static,
) -> Result<(), Error> {
    start(
        scrypt_job(password.as_ref(), salt.as_ref(), keylen, options),
        callback,
    )
}

/// `crypto.generateKeyPair(type, options, callback)`: the key pair is made on the pool.
///
/// ```
/// use nodestd_crypto::{callback, KeyPairOptions};
/// nodestd_loop::run(|| {
///     callback::generate_key_pair("ed25519", &KeyPairOptions::default(), |pair| {
///         assert_eq!(pair.unwrap().public_key.type_().as_str(), "public");
///     })
///     .unwrap();
/// });
/// ```
///
/// # Errors
/// Returned at once: the option errors of
/// [`generate_key_pair_sync`](crate::generate_key_pair_sync). Passed to the callback: the
/// generation's own failures (RSA "key size too small").
///
/// # Panics
/// Outside a running loop.
pub fn generate_key_pair(
    type_: &str,
    options: &KeyPairOptions,
    callback: impl FnOnce(Result<KeyPair, Error>) + 'static,
) -> Result<(), Error> {
    start(key_pair_job(type_, options), callback)
}
