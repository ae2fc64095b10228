//! crypto's one table of asynchronous forms, on the loop's [`nodestd_loop::work`]: each row
//! `fn name(args) -> Output = job;` is one Node function, expanded by
//! [`nodestd_loop::async_forms!`] once in [`crate::callback`] (`crypto.pbkdf2(..., cb)`) and
//! once in [`crate::promises`] (`util.promisify(crypto.pbkdf2)(...)`, whose work is queued on
//! the worker pool at the call, as Node's is).
//!
//! A row's job makes Node's argument checks at the call (their errors are what Node throws:
//! returned at once by the callback form, the future's error in the promise form), copies the
//! inputs, and ends with the closure that runs on the pool.

/// The functions with both a callback and a promise form. `$form` is `callback<crate::Error>;`
/// or `promise<crate::Error>;`.
macro_rules! crypto_forms {
    ($($form:tt)*) => {
        nodestd_loop::async_forms! { $($form)*
            /// `crypto.randomBytes(size)`: `size` random bytes.
            ///
            /// Checked at the call: `ERR_OUT_OF_RANGE` when `size` exceeds 2^31 - 1.
            #[doc(alias = "randomBytes")]
            fn random_bytes(size: u64) -> Vec<u8> = {
                $crate::random::check_size(size)?;
                move || $crate::random_bytes(size)
            };
            /// `crypto.randomFill(buffer, offset, size)`: the buffer moves to the pool and
            /// comes back, filled from `offset` for `size` bytes (`None`: to the end).
            ///
            /// Checked at the call: `ERR_OUT_OF_RANGE` when the range passes the end of the
            /// buffer.
            #[doc(alias = "randomFill")]
            fn random_fill(buf: Vec<u8>, offset: usize, size: Option<usize>) -> Vec<u8> = {
                let (offset, size) = $crate::random::check_range(buf.len(), offset, size)?;
                let mut buf = buf;
                move || {
                    $crate::random_fill_sync(&mut buf[offset..offset + size])?;
                    Ok(buf)
                }
            };
            /// `crypto.pbkdf2(password, salt, iterations, keylen, digest)`.
            ///
            /// Checked at the call: the argument errors of [`pbkdf2_sync`](crate::pbkdf2_sync)
            /// (`ERR_OUT_OF_RANGE`, `ERR_CRYPTO_INVALID_DIGEST`). From the work: the code-less
            /// "Deriving bits failed" (SHAKE digests) and the legacy-digest error, as Node
            /// gives them.
            fn pbkdf2(
                password: impl AsRef<[u8]>,
                salt: impl AsRef<[u8]>,
                iterations: u64,
                keylen: u64,
                digest: &str,
            ) -> Vec<u8> = {
                let alg = $crate::kdf::pbkdf2_check(iterations, keylen, digest)?;
                let (password, salt) = (password.as_ref().to_vec(), salt.as_ref().to_vec());
                move || $crate::kdf::pbkdf2_run(alg, &password, &salt, iterations, keylen)
            };
            /// `crypto.hkdf(digest, ikm, salt, info, keylen)`.
            ///
            /// Checked at the call: the argument errors of [`hkdf_sync`](crate::hkdf_sync)
            /// (`ERR_OUT_OF_RANGE`, `ERR_CRYPTO_INVALID_DIGEST`, `ERR_CRYPTO_INVALID_KEYLEN`).
            /// From the work: "Deriving bits failed" and the legacy-digest error.
            fn hkdf(
                digest: &str,
                ikm: impl AsRef<[u8]>,
                salt: impl AsRef<[u8]>,
                info: impl AsRef<[u8]>,
                keylen: u64,
            ) -> Vec<u8> = {
                let alg = $crate::kdf::hkdf_check(digest, info.as_ref(), keylen)?;
                let (ikm, salt, info) =
                    (ikm.as_ref().to_vec(), salt.as_ref().to_vec(), info.as_ref().to_vec());
                move || $crate::kdf::hkdf_run(alg, &ikm, &salt, &info, keylen)
            };
            /// `crypto.scrypt(password, salt, keylen, options)`.
            ///
            /// Checked at the call: every error of [`scrypt_sync`](crate::scrypt_sync) (Node
            /// checks the parameters before queueing the work).
            fn scrypt(
                password: impl AsRef<[u8]>,
                salt: impl AsRef<[u8]>,
                keylen: u64,
                options: &$crate::ScryptOptions,
            ) -> Vec<u8> = {
                let params = $crate::kdf::scrypt_check(keylen, options)?;
                let (password, salt) = (password.as_ref().to_vec(), salt.as_ref().to_vec());
                move || $crate::kdf::scrypt_run(params, &password, &salt, keylen)
            };
            /// `crypto.generateKeyPair(type, options)`: the key pair is made on the pool.
            ///
            /// Checked at the call: the option errors of
            /// [`generate_key_pair_sync`](crate::generate_key_pair_sync). From the work: the
            /// generation's own failures (RSA "key size too small").
            #[doc(alias = "generateKeyPair")]
            fn generate_key_pair(
                type_: &str,
                options: &$crate::KeyPairOptions,
            ) -> $crate::KeyPair = $crate::keys::key_pair_job(type_, options)?;
        }
    };
}
