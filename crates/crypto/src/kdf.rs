//! The synchronous key-derivation functions: `pbkdf2Sync` (RFC 8018), `hkdfSync` (RFC 5869)
//! and `scryptSync` (RFC 7914), with Node's argument checks and OpenSSL's parameter limits.

use crate::error::received_number;
use crate::hmac::{Keyed, kdf_legacy_error, mac_digest};
use crate::{Error, ErrorKind, HashAlgorithm};

const INT32_MAX: u64 = i32::MAX as u64;

fn deriving_bits_failed() -> Error {
    Error::new(ErrorKind::DerivingBitsFailed, "Deriving bits failed")
}

/// `crypto.pbkdf2Sync(password, salt, iterations, keylen, digest)`.
///
/// ```
/// // RFC 6070, test 1.
/// let dk = nodestd_crypto::pbkdf2_sync("password", "salt", 1, 20, "sha1")?;
/// assert_eq!(dk[..4], [0x0c, 0x60, 0xc8, 0x0f]);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` unless `1 <= iterations <= 2^31-1` and `keylen <= 2^31-1`;
/// `ERR_CRYPTO_INVALID_DIGEST` for an unknown digest; a code-less `Error` ("Deriving bits
/// failed") for the SHAKEs and for md4 and its kin.
#[doc(alias = "pbkdf2Sync")]
pub fn pbkdf2_sync(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    iterations: u64,
    keylen: u64,
    digest: &str,
) -> Result<Vec<u8>, Error> {
    let alg = pbkdf2_check(iterations, keylen, digest)?;
    pbkdf2_run(alg, password.as_ref(), salt.as_ref(), iterations, keylen)
}

/// `pbkdf2`'s argument checks (thrown synchronously by Node's callback form too); the `Err`
/// inside is the error the derivation itself reports (through the callback in Node).
pub(crate) fn pbkdf2_check(
    iterations: u64,
    keylen: u64,
    digest: &str,
) -> Result<Result<HashAlgorithm, Error>, Error> {
    if !(1..=INT32_MAX).contains(&iterations) {
        return Err(Error::out_of_range(
            "iterations",
            ">= 1 && <= 2147483647",
            received_number(iterations.into()),
        ));
    }
    if keylen > INT32_MAX {
        return Err(Error::out_of_range(
            "keylen",
            ">= 0 && <= 2147483647",
            received_number(keylen.into()),
        ));
    }
    Ok(mac_digest(digest)?.map_err(|_| kdf_legacy_error()))
}

/// The derivation after [`pbkdf2_check`]: the worker-pool part.
pub(crate) fn pbkdf2_run(
    alg: Result<HashAlgorithm, Error>,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    keylen: u64,
) -> Result<Vec<u8>, Error> {
    let alg = alg?;
    if alg.is_xof() {
        return Err(deriving_bits_failed());
    }
    Ok(pbkdf2(alg, password, salt, iterations, keylen as usize))
}

fn pbkdf2(
    alg: HashAlgorithm,
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    keylen: usize,
) -> Vec<u8> {
    let prf = Keyed::new(alg, password);
    let hlen = alg.output_len();
    let mut out = Vec::with_capacity(keylen);
    let mut block = 1u32;
    while out.len() < keylen {
        let mut first = prf.clone();
        first.update(salt);
        first.update(&block.to_be_bytes());
        let mut u = first.finish();
        let mut t = u.clone();
        for _ in 1..iterations {
            u = prf.mac(&u);
            t.iter_mut().zip(&u).for_each(|(a, b)| *a ^= b);
        }
        let take = hlen.min(keylen - out.len());
        out.extend_from_slice(&t[..take]);
        block = block.wrapping_add(1);
    }
    out
}

/// `crypto.hkdfSync(digest, ikm, salt, info, keylen)` (Node returns an `ArrayBuffer`).
///
/// ```
/// let okm = nodestd_crypto::hkdf_sync("sha256", "key", "salt", "info", 8)?;
/// assert_eq!(okm.len(), 8);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` when `keylen` exceeds 2^32 or `info` holds more than 1024 bytes;
/// `ERR_CRYPTO_INVALID_DIGEST` for an unknown digest; `ERR_CRYPTO_INVALID_KEYLEN` when
/// `keylen` exceeds 255 digest lengths; a code-less `Error` for the SHAKEs and legacy digests.
#[doc(alias = "hkdfSync")]
pub fn hkdf_sync(
    digest: &str,
    ikm: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    info: impl AsRef<[u8]>,
    keylen: u64,
) -> Result<Vec<u8>, Error> {
    let info = info.as_ref();
    let alg = hkdf_check(digest, info, keylen)?;
    hkdf_run(alg, ikm.as_ref(), salt.as_ref(), info, keylen)
}

/// `hkdf`'s argument checks, as [`pbkdf2_check`].
pub(crate) fn hkdf_check(
    digest: &str,
    info: &[u8],
    keylen: u64,
) -> Result<Result<HashAlgorithm, Error>, Error> {
    if keylen > 1 << 32 {
        return Err(Error::out_of_range(
            "length",
            ">= 0 && <= 4294967296",
            received_number(keylen.into()),
        ));
    }
    if info.len() > 1024 {
        return Err(Error::out_of_range(
            "info",
            "must not contain more than 1024 bytes",
            info.len(),
        ));
    }
    let alg = mac_digest(digest)?;
    let hash_len = match alg {
        Ok(alg) => alg.output_len(),
        Err(len) => len,
    };
    if keylen > 255 * hash_len as u64 {
        return Err(Error::invalid_keylen());
    }
    Ok(alg.map_err(|_| kdf_legacy_error()))
}

/// The derivation after [`hkdf_check`].
pub(crate) fn hkdf_run(
    alg: Result<HashAlgorithm, Error>,
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    keylen: u64,
) -> Result<Vec<u8>, Error> {
    let alg = alg?;
    if alg.is_xof() {
        return Err(deriving_bits_failed());
    }
    let keylen = keylen as usize;
    // Extract: PRK = HMAC(salt, IKM); an empty salt is HashLen zeros, which HMAC's key
    // padding makes the same as the empty key.
    let prk = Keyed::new(alg, salt).mac(ikm);
    // Expand.
    let prf = Keyed::new(alg, &prk);
    let mut out = Vec::with_capacity(keylen);
    let mut t: Vec<u8> = Vec::new();
    let mut counter = 1u8;
    while out.len() < keylen {
        let mut k = prf.clone();
        k.update(&t);
        k.update(info);
        k.update(&[counter]);
        t = k.finish();
        let take = t.len().min(keylen - out.len());
        out.extend_from_slice(&t[..take]);
        counter = counter.wrapping_add(1);
    }
    Ok(out)
}

/// Options of `scryptSync`; `None` fields take Node's defaults (`N` 16384, `r` 8, `p` 1,
/// `maxmem` 32 MiB). `cost`, `block_size` and `parallelization` are Node's aliases of `n`,
/// `r` and `p` (giving both names is an error). A zero means the default, as in Node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScryptOptions {
    /// `N`: the CPU/memory cost, a power of two greater than 1.
    pub n: Option<u32>,
    /// `cost`: alias of `N`.
    pub cost: Option<u32>,
    /// `r`: the block size.
    pub r: Option<u32>,
    /// `blockSize`: alias of `r`.
    pub block_size: Option<u32>,
    /// `p`: the parallelization.
    pub p: Option<u32>,
    /// `parallelization`: alias of `p`.
    pub parallelization: Option<u32>,
    /// `maxmem`: the memory bound, `128 * N * r` must stay below it (at most 2^53 - 1).
    pub maxmem: Option<u64>,
}

const SCRYPT_DEFAULT_N: u64 = 16384;
const SCRYPT_DEFAULT_R: u64 = 8;
const SCRYPT_DEFAULT_P: u64 = 1;
const SCRYPT_DEFAULT_MAXMEM: u64 = 32 << 20;

fn alias(a: Option<u32>, b: Option<u32>) -> Result<Option<u32>, Error> {
    match (a, b) {
        (Some(_), Some(_)) => Err(Error::new(
            ErrorKind::ScryptInvalidParameter,
            "Invalid scrypt parameter",
        )),
        (a, b) => Ok(a.or(b)),
    }
}

/// OpenSSL's `EVP_PBE_scrypt` parameter checks, in its order.
fn check_scrypt(n: u64, r: u64, p: u64, maxmem: u64) -> Result<(), Error> {
    let memory = || {
        Error::new(
            ErrorKind::InvalidScryptParams,
            "Invalid scrypt params: error:030000AC:digital envelope routines::memory limit exceeded",
        )
    };
    if r == 0 || p == 0 || n < 2 || n & (n - 1) != 0 {
        return Err(Error::new(
            ErrorKind::InvalidScryptParams,
            "Invalid scrypt params",
        ));
    }
    const PR_MAX: u64 = (1 << 30) - 1;
    if p > PR_MAX / r {
        return Err(memory());
    }
    if 16 * r <= 63 && n >= 1u64 << (16 * r) {
        return Err(memory());
    }
    let blen = p * 128 * r;
    if blen > i32::MAX as u64 {
        return Err(memory());
    }
    if n + 2 > (u64::MAX / 128) / r {
        return Err(memory());
    }
    let vlen = 128 * r * (n + 2);
    if blen > u64::MAX - vlen || blen + vlen > maxmem {
        return Err(memory());
    }
    Ok(())
}

/// `crypto.scryptSync(password, salt, keylen, options)`.
///
/// ```
/// use nodestd_crypto::{scrypt_sync, ScryptOptions};
/// // RFC 7914, section 12, first vector.
/// let opts = ScryptOptions { n: Some(16), r: Some(1), p: Some(1), ..Default::default() };
/// let dk = scrypt_sync("", "", 64, &opts)?;
/// assert_eq!(dk[..4], [0x77, 0xd6, 0x57, 0x62]);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` for a `keylen` over 2^31-1 or a `maxmem` over 2^53-1;
/// `ERR_CRYPTO_SCRYPT_INVALID_PARAMETER` when a parameter and its alias are both given;
/// `ERR_CRYPTO_INVALID_SCRYPT_PARAMS` for parameters OpenSSL refuses (`N` not a power of two
/// above 1, or more memory than `maxmem`).
#[doc(alias = "scryptSync")]
pub fn scrypt_sync(
    password: impl AsRef<[u8]>,
    salt: impl AsRef<[u8]>,
    keylen: u64,
    options: &ScryptOptions,
) -> Result<Vec<u8>, Error> {
    let params = scrypt_check(keylen, options)?;
    scrypt_run(params, password.as_ref(), salt.as_ref(), keylen)
}

/// Checked scrypt parameters: `(log2 N, r, p)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ScryptParams(u8, u64, u64);

/// `scrypt`'s argument and parameter checks (all thrown synchronously by Node).
pub(crate) fn scrypt_check(keylen: u64, options: &ScryptOptions) -> Result<ScryptParams, Error> {
    if keylen > INT32_MAX {
        return Err(Error::out_of_range(
            "keylen",
            ">= 0 && <= 2147483647",
            received_number(keylen.into()),
        ));
    }
    let n = alias(options.n, options.cost)?;
    let r = alias(options.r, options.block_size)?;
    let p = alias(options.p, options.parallelization)?;
    if let Some(m) = options.maxmem.filter(|&m| m > (1 << 53) - 1) {
        return Err(Error::out_of_range(
            "maxmem",
            ">= 0 && <= 9007199254740991",
            received_number(m.into()),
        ));
    }
    let nonzero = |v: Option<u32>, d: u64| v.map(u64::from).filter(|&v| v != 0).unwrap_or(d);
    let n = nonzero(n, SCRYPT_DEFAULT_N);
    let r = nonzero(r, SCRYPT_DEFAULT_R);
    let p = nonzero(p, SCRYPT_DEFAULT_P);
    let maxmem = options
        .maxmem
        .filter(|&m| m != 0)
        .unwrap_or(SCRYPT_DEFAULT_MAXMEM);
    check_scrypt(n, r, p, maxmem)?;
    Ok(ScryptParams(n.trailing_zeros() as u8, r, p))
}

/// The derivation after [`scrypt_check`].
pub(crate) fn scrypt_run(
    ScryptParams(log_n, r, p): ScryptParams,
    password: &[u8],
    salt: &[u8],
    keylen: u64,
) -> Result<Vec<u8>, Error> {
    let mut out = vec![0u8; keylen as usize];
    if out.is_empty() {
        return Ok(out);
    }
    // The checks above are stricter than the scrypt crate's, so neither call can fail; the
    // errors are mapped all the same rather than unwrapped.
    let params = scrypt::Params::new(log_n, r as u32, p as u32, 32)
        .map_err(|_| Error::new(ErrorKind::InvalidScryptParams, "Invalid scrypt params"))?;
    scrypt::scrypt(password, salt, &params, &mut out)
        .map_err(|_| Error::new(ErrorKind::InvalidScryptParams, "Invalid scrypt params"))?;
    Ok(out)
}
