//! `createHmac`: HMAC (RFC 2104) over any digest of [`crate::HashAlgorithm`] but the SHAKEs,
//! built on the digest states of [`crate::hash`] with the padded key absorbed once, so
//! PBKDF2 and HKDF reuse the keyed states by cloning them.

use crate::hash::State;
use crate::{Encoding, Error, ErrorKind, HashAlgorithm};

/// Inner and outer digest states with the padded key already absorbed.
#[derive(Clone)]
pub(crate) struct Keyed {
    algorithm: HashAlgorithm,
    inner: State,
    outer: State,
}

impl Keyed {
    pub(crate) fn new(algorithm: HashAlgorithm, key: &[u8]) -> Keyed {
        let block = algorithm.block_len();
        let mut padded = if key.len() > block {
            let mut s = State::new(algorithm);
            s.update(key);
            s.finish(algorithm.output_len())
        } else {
            key.to_vec()
        };
        padded.resize(block, 0);
        let mut inner = State::cheap_to_copy(algorithm);
        inner.update(&padded.iter().map(|b| b ^ 0x36).collect::<Vec<_>>());
        let mut outer = State::cheap_to_copy(algorithm);
        outer.update(&padded.iter().map(|b| b ^ 0x5c).collect::<Vec<_>>());
        Keyed {
            algorithm,
            inner,
            outer,
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        let len = self.algorithm.output_len();
        let inner = self.inner.finish(len);
        let mut outer = self.outer;
        outer.update(&inner);
        outer.finish(len)
    }

    /// HMAC of `data` with the same key, leaving `self` as it is.
    pub(crate) fn mac(&self, data: &[u8]) -> Vec<u8> {
        let mut k = self.clone();
        k.update(data);
        k.finish()
    }
}

/// Node's `Hmac` object.
///
/// ```
/// use nodestd_crypto::{create_hmac, Encoding};
/// let mut h = create_hmac("sha256", "key")?;
/// h.update("The quick brown fox jumps over the lazy dog")?;
/// assert_eq!(
///     h.digest_to(Encoding::Hex),
///     "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
/// );
/// // As in Node, a second digest is empty rather than an error.
/// assert_eq!(h.digest(), b"");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Hmac {
    algorithm: HashAlgorithm,
    state: Option<Keyed>,
}

impl std::fmt::Debug for Hmac {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hmac")
            .field("algorithm", &self.algorithm)
            .field("finalized", &self.state.is_none())
            .finish()
    }
}

/// Resolves a digest for HMAC, PBKDF2 and HKDF: `Ok(Err(len))` for a legacy digest (md4 and
/// its kin), which OpenSSL finds but cannot run.
pub(crate) fn mac_digest(name: &str) -> Result<Result<HashAlgorithm, usize>, Error> {
    HashAlgorithm::for_mac(name)
}

/// The code-less error the KDFs give for a legacy digest.
pub(crate) fn kdf_legacy_error() -> Error {
    Error::new(
        ErrorKind::EvpUnsupportedPlain,
        "error:0308010C:digital envelope routines::unsupported",
    )
}

/// `crypto.createHmac(algorithm, key)`. A string key is its UTF-8 bytes.
///
/// # Errors
/// `ERR_CRYPTO_INVALID_DIGEST` for an unknown digest, `ERR_OSSL_EVP_UNSUPPORTED` for md4 and
/// the other legacy digests, and a code-less `Error` for `shake128`/`shake256` (OpenSSL
/// cannot key an extendable-output digest).
#[doc(alias = "createHmac")]
pub fn create_hmac(algorithm: &str, key: impl AsRef<[u8]>) -> Result<Hmac, Error> {
    let algorithm = mac_digest(algorithm)?.map_err(|_| Error::evp_unsupported())?;
    Hmac::new(algorithm, key)
}

impl Hmac {
    /// An HMAC of `algorithm` keyed with `key`.
    ///
    /// # Errors
    /// A code-less `Error` for the SHAKEs.
    pub fn new(algorithm: HashAlgorithm, key: impl AsRef<[u8]>) -> Result<Hmac, Error> {
        if algorithm.is_xof() {
            return Err(Error::new(
                ErrorKind::HmacInitFailed,
                "error:00000000:lib(0)::reason(0)",
            ));
        }
        Ok(Hmac {
            algorithm,
            state: Some(Keyed::new(algorithm, key.as_ref())),
        })
    }

    /// The digest algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// `hmac.update(data)`.
    ///
    /// # Errors
    /// `ERR_CRYPTO_HASH_FINALIZED` after `digest`.
    pub fn update(&mut self, data: impl AsRef<[u8]>) -> Result<&mut Hmac, Error> {
        let state = self.state.as_mut().ok_or_else(Error::hash_finalized)?;
        state.update(data.as_ref());
        Ok(self)
    }

    /// `hmac.update(string, encoding)`.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for an odd-length `hex` string; `ERR_CRYPTO_HASH_FINALIZED`
    /// after `digest`.
    #[doc(alias = "update")]
    pub fn update_str(&mut self, data: &str, encoding: Encoding) -> Result<&mut Hmac, Error> {
        crate::validate_encoding(encoding, data)?;
        if self.state.is_none() {
            return Err(Error::hash_finalized());
        }
        self.update(encoding.encode(data))
    }

    /// `hmac.digest()`. Node answers a second call with an empty result, and so does this.
    pub fn digest(&mut self) -> Vec<u8> {
        self.state.take().map(Keyed::finish).unwrap_or_default()
    }

    /// `hmac.digest(encoding)`.
    #[doc(alias = "digest")]
    pub fn digest_to(&mut self, encoding: Encoding) -> String {
        encoding.decode(&self.digest())
    }
}
