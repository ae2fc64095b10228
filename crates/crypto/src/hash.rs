//! `createHash`, `crypto.hash` and `getHashes`: the digest algorithms, their names as Node
//! (OpenSSL 3) accepts them, and the streaming [`Hash`](struct@Hash) object.
//!
//! Implementations were chosen by measurement (issue 20; 64 MiB in 64 KiB updates, thread
//! CPU time, best of five, on the reference machine while other builds ran, MiB/s, node's
//! own figure last): md5 RustCrypto (`md-5` with its assembly core) 591, OpenSSL 732, node
//! 728; sha512 RustCrypto 539, aws-lc-rs 586, ring 578, OpenSSL 854, node 825 (AWS-LC and
//! ring, like BoringSSL, carry no AVX2 SHA-512 code; OpenSSL 3.0's AVX2+BMI2 path is what
//! Node runs); sha3-256 RustCrypto 377, aws-lc-rs 460, OpenSSL 476, node 471; sha1 and
//! sha256 (SHA-NI) are within noise of each other everywhere (1,700-2,040). So with the
//! `openssl` feature (default) md5, sha384, sha512, sha512-224, sha512-256 and sha3-* run
//! through the system's OpenSSL 3 (`EVP_MD_CTX`), and everything else, and every keyed
//! HMAC state (copied once per message: an OpenSSL state's copy allocates), through
//! RustCrypto. `nodestd-bench crypto-hash` prints each candidate beside nodestd's row.

use digest::{Digest, ExtendableOutput, Update};

/// The digests taken from the system's OpenSSL 3 (the `openssl` feature, on by default).
#[cfg(feature = "openssl")]
mod ossl {
    use openssl::hash::{Hasher, MessageDigest};

    use crate::HashAlgorithm;

    /// A running OpenSSL digest (an `EVP_MD_CTX`; cloning it copies the state).
    #[derive(Clone)]
    pub(crate) struct Digest(Hasher);

    impl Digest {
        /// OpenSSL's `alg`, for the digests where it measured faster than RustCrypto;
        /// `None` for the others, and when OpenSSL refuses the digest (a FIPS-only
        /// configuration refuses md5, for one), where RustCrypto's takes over.
        pub(crate) fn new(alg: HashAlgorithm) -> Option<Digest> {
            use HashAlgorithm as A;
            let md = match alg {
                A::Md5 => MessageDigest::md5(),
                A::Sha384 => MessageDigest::sha384(),
                A::Sha512 => MessageDigest::sha512(),
                A::Sha512_224 => MessageDigest::from_name("sha512-224")?,
                A::Sha512_256 => MessageDigest::from_name("sha512-256")?,
                A::Sha3_224 => MessageDigest::sha3_224(),
                A::Sha3_256 => MessageDigest::sha3_256(),
                A::Sha3_384 => MessageDigest::sha3_384(),
                A::Sha3_512 => MessageDigest::sha3_512(),
                _ => return None,
            };
            Hasher::new(md).ok().map(Digest)
        }

        pub(crate) fn update(&mut self, data: &[u8]) {
            // EVP_DigestUpdate fails only on a context that was never initialized, and
            // `new` initialized this one.
            self.0
                .update(data)
                .expect("EVP_DigestUpdate on an initialized context");
        }

        pub(crate) fn finish(mut self) -> Vec<u8> {
            self.0
                .finish()
                .expect("EVP_DigestFinal_ex on an initialized context")
                .to_vec()
        }
    }
}

use crate::{Encoding, Error, ErrorKind};

/// A digest algorithm of Node's `crypto.getHashes()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
    /// SHA3-224.
    Sha3_224,
    /// SHA3-256.
    Sha3_256,
    /// SHA3-384.
    Sha3_384,
    /// SHA3-512.
    Sha3_512,
    /// SHAKE128 (extendable output, 16 bytes by default).
    Shake128,
    /// SHAKE256 (extendable output, 32 bytes by default).
    Shake256,
    /// RIPEMD-160.
    Ripemd160,
    /// BLAKE2b-512.
    Blake2b512,
    /// BLAKE2s-256.
    Blake2s256,
    /// SM3.
    Sm3,
    /// MD5 and SHA-1 side by side (36 bytes), as TLS 1.0 used them.
    Md5Sha1,
}

/// How a name resolves: one of ours, or one OpenSSL knows but its default provider refuses.
enum Lookup {
    Found(HashAlgorithm),
    /// A legacy digest, with its output length (which HKDF checks before it fails).
    Legacy(usize),
}

/// Every name (lowercase) OpenSSL 3.0 resolves to each digest, as Node v20's `createHash`
/// accepts them: provider names, aliases, OIDs and the RSA signature names.
const NAMES: &[(&str, HashAlgorithm)] = {
    use HashAlgorithm::*;
    &[
        ("md5", Md5),
        ("ssl3-md5", Md5),
        ("1.2.840.113549.2.5", Md5),
        ("rsa-md5", Md5),
        ("md5withrsaencryption", Md5),
        ("sha1", Sha1),
        ("sha-1", Sha1),
        ("ssl3-sha1", Sha1),
        ("1.3.14.3.2.26", Sha1),
        ("rsa-sha1", Sha1),
        ("rsa-sha1-2", Sha1),
        ("sha1withrsaencryption", Sha1),
        ("sha224", Sha224),
        ("sha2-224", Sha224),
        ("sha-224", Sha224),
        ("2.16.840.1.101.3.4.2.4", Sha224),
        ("rsa-sha224", Sha224),
        ("sha224withrsaencryption", Sha224),
        ("sha256", Sha256),
        ("sha2-256", Sha256),
        ("sha-256", Sha256),
        ("2.16.840.1.101.3.4.2.1", Sha256),
        ("rsa-sha256", Sha256),
        ("sha256withrsaencryption", Sha256),
        ("sha384", Sha384),
        ("sha2-384", Sha384),
        ("sha-384", Sha384),
        ("2.16.840.1.101.3.4.2.2", Sha384),
        ("rsa-sha384", Sha384),
        ("sha384withrsaencryption", Sha384),
        ("sha512", Sha512),
        ("sha2-512", Sha512),
        ("sha-512", Sha512),
        ("2.16.840.1.101.3.4.2.3", Sha512),
        ("rsa-sha512", Sha512),
        ("sha512withrsaencryption", Sha512),
        ("sha512-224", Sha512_224),
        ("sha2-512/224", Sha512_224),
        ("sha-512/224", Sha512_224),
        ("2.16.840.1.101.3.4.2.5", Sha512_224),
        ("rsa-sha512/224", Sha512_224),
        ("sha512-224withrsaencryption", Sha512_224),
        ("sha512-256", Sha512_256),
        ("sha2-512/256", Sha512_256),
        ("sha-512/256", Sha512_256),
        ("2.16.840.1.101.3.4.2.6", Sha512_256),
        ("rsa-sha512/256", Sha512_256),
        ("sha512-256withrsaencryption", Sha512_256),
        ("sha3-224", Sha3_224),
        ("2.16.840.1.101.3.4.2.7", Sha3_224),
        ("rsa-sha3-224", Sha3_224),
        ("id-rsassa-pkcs1-v1_5-with-sha3-224", Sha3_224),
        ("sha3-256", Sha3_256),
        ("2.16.840.1.101.3.4.2.8", Sha3_256),
        ("rsa-sha3-256", Sha3_256),
        ("id-rsassa-pkcs1-v1_5-with-sha3-256", Sha3_256),
        ("sha3-384", Sha3_384),
        ("2.16.840.1.101.3.4.2.9", Sha3_384),
        ("rsa-sha3-384", Sha3_384),
        ("id-rsassa-pkcs1-v1_5-with-sha3-384", Sha3_384),
        ("sha3-512", Sha3_512),
        ("2.16.840.1.101.3.4.2.10", Sha3_512),
        ("rsa-sha3-512", Sha3_512),
        ("id-rsassa-pkcs1-v1_5-with-sha3-512", Sha3_512),
        ("shake128", Shake128),
        ("shake-128", Shake128),
        ("2.16.840.1.101.3.4.2.11", Shake128),
        ("shake256", Shake256),
        ("shake-256", Shake256),
        ("2.16.840.1.101.3.4.2.12", Shake256),
        ("ripemd160", Ripemd160),
        ("ripemd-160", Ripemd160),
        ("ripemd", Ripemd160),
        ("rmd160", Ripemd160),
        ("1.3.36.3.2.1", Ripemd160),
        ("rsa-ripemd160", Ripemd160),
        ("ripemd160withrsa", Ripemd160),
        ("blake2b512", Blake2b512),
        ("blake2b-512", Blake2b512),
        ("1.3.6.1.4.1.1722.12.2.1.16", Blake2b512),
        ("blake2s256", Blake2s256),
        ("blake2s-256", Blake2s256),
        ("1.3.6.1.4.1.1722.12.2.2.8", Blake2s256),
        ("sm3", Sm3),
        ("1.2.156.10197.1.401", Sm3),
        ("rsa-sm3", Sm3),
        ("sm3withrsaencryption", Sm3),
        ("md5-sha1", Md5Sha1),
    ]
};

/// Names OpenSSL resolves but only its legacy provider implements: Node fails with
/// `ERR_OSSL_EVP_UNSUPPORTED` rather than "Digest method not supported".
const LEGACY_NAMES: &[(&str, usize)] = &[
    ("md4", 16),
    ("rsa-md4", 16),
    ("md4withrsaencryption", 16),
    ("mdc2", 16),
    ("rsa-mdc2", 16),
    ("mdc2withrsa", 16),
    ("whirlpool", 64),
];

/// `crypto.getHashes()` of Node v20 (OpenSSL 3.0), in Node's order.
const GET_HASHES: &[&str] = &[
    "RSA-MD5",
    "RSA-RIPEMD160",
    "RSA-SHA1",
    "RSA-SHA1-2",
    "RSA-SHA224",
    "RSA-SHA256",
    "RSA-SHA3-224",
    "RSA-SHA3-256",
    "RSA-SHA3-384",
    "RSA-SHA3-512",
    "RSA-SHA384",
    "RSA-SHA512",
    "RSA-SHA512/224",
    "RSA-SHA512/256",
    "RSA-SM3",
    "blake2b512",
    "blake2s256",
    "id-rsassa-pkcs1-v1_5-with-sha3-224",
    "id-rsassa-pkcs1-v1_5-with-sha3-256",
    "id-rsassa-pkcs1-v1_5-with-sha3-384",
    "id-rsassa-pkcs1-v1_5-with-sha3-512",
    "md5",
    "md5-sha1",
    "md5WithRSAEncryption",
    "ripemd",
    "ripemd160",
    "ripemd160WithRSA",
    "rmd160",
    "sha1",
    "sha1WithRSAEncryption",
    "sha224",
    "sha224WithRSAEncryption",
    "sha256",
    "sha256WithRSAEncryption",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "sha384",
    "sha384WithRSAEncryption",
    "sha512",
    "sha512-224",
    "sha512-224WithRSAEncryption",
    "sha512-256",
    "sha512-256WithRSAEncryption",
    "sha512WithRSAEncryption",
    "shake128",
    "shake256",
    "sm3",
    "sm3WithRSAEncryption",
    "ssl3-md5",
    "ssl3-sha1",
];

/// `crypto.getHashes()`: the digest names Node v20 lists, in its order.
///
/// ```
/// assert!(nodestd_crypto::get_hashes().contains(&"sha256"));
/// ```
#[doc(alias = "getHashes")]
pub fn get_hashes() -> Vec<&'static str> {
    GET_HASHES.to_vec()
}

impl HashAlgorithm {
    fn lookup(name: &str) -> Option<Lookup> {
        // The name crosses into C as a NUL-terminated string: anything after a NUL is unseen.
        let name = name.split('\0').next().unwrap_or("").to_ascii_lowercase();
        if let Some((_, alg)) = NAMES.iter().find(|(n, _)| *n == name) {
            return Some(Lookup::Found(*alg));
        }
        LEGACY_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, len)| Lookup::Legacy(*len))
    }

    /// Resolves a name as `createHash` does (case-insensitive; aliases, OIDs and signature
    /// names such as `RSA-SHA256` included).
    ///
    /// ```
    /// use nodestd_crypto::HashAlgorithm;
    /// assert_eq!(HashAlgorithm::from_name("RSA-SHA256").unwrap(), HashAlgorithm::Sha256);
    /// assert_eq!(HashAlgorithm::from_name("sha0").unwrap_err().code(), None);
    /// ```
    ///
    /// # Errors
    /// A plain `Error` "Digest method not supported" for an unknown name, and
    /// `ERR_OSSL_EVP_UNSUPPORTED` for the legacy digests (md4, mdc2, whirlpool).
    pub fn from_name(name: &str) -> Result<HashAlgorithm, Error> {
        match HashAlgorithm::lookup(name) {
            Some(Lookup::Found(alg)) => Ok(alg),
            Some(Lookup::Legacy(_)) => Err(Error::evp_unsupported()),
            None => Err(Error::new(
                ErrorKind::DigestNotSupported,
                "Digest method not supported",
            )),
        }
    }

    /// Resolves a digest name for HMAC and the KDFs, which report an unknown name as
    /// `ERR_CRYPTO_INVALID_DIGEST`. A legacy digest (md4 and its kin) is `Ok(Err(len))`:
    /// OpenSSL finds it, and fails only when it is used.
    pub(crate) fn for_mac(name: &str) -> Result<Result<HashAlgorithm, usize>, Error> {
        match HashAlgorithm::lookup(name) {
            Some(Lookup::Found(alg)) => Ok(Ok(alg)),
            Some(Lookup::Legacy(len)) => Ok(Err(len)),
            None => Err(Error::invalid_digest(name)),
        }
    }

    /// The digest's output length in bytes (the default for the SHAKEs).
    pub fn output_len(self) -> usize {
        use HashAlgorithm::*;
        match self {
            Md5 => 16,
            Sha1 | Ripemd160 => 20,
            Sha224 | Sha512_224 | Sha3_224 => 28,
            Sha256 | Sha512_256 | Sha3_256 | Blake2s256 | Sm3 | Shake256 => 32,
            Sha384 | Sha3_384 => 48,
            Sha512 | Sha3_512 | Blake2b512 => 64,
            Shake128 => 16,
            Md5Sha1 => 36,
        }
    }

    /// The digest's block length in bytes (what HMAC pads keys to).
    pub fn block_len(self) -> usize {
        use HashAlgorithm::*;
        match self {
            Md5 | Sha1 | Sha224 | Sha256 | Ripemd160 | Blake2s256 | Sm3 | Md5Sha1 => 64,
            Sha384 | Sha512 | Sha512_224 | Sha512_256 | Blake2b512 => 128,
            Sha3_224 => 144,
            Sha3_256 | Shake256 => 136,
            Sha3_384 => 104,
            Sha3_512 => 72,
            Shake128 => 168,
        }
    }

    /// Whether the digest has extendable output (SHAKE128, SHAKE256).
    pub fn is_xof(self) -> bool {
        matches!(self, HashAlgorithm::Shake128 | HashAlgorithm::Shake256)
    }
}

/// The running state of one digest.
#[derive(Clone)]
pub(crate) enum State {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
    Sha512_224(sha2::Sha512_224),
    Sha512_256(sha2::Sha512_256),
    Sha3_224(sha3::Sha3_224),
    Sha3_256(sha3::Sha3_256),
    Sha3_384(sha3::Sha3_384),
    Sha3_512(sha3::Sha3_512),
    Shake128(sha3::Shake128),
    Shake256(sha3::Shake256),
    Ripemd160(ripemd::Ripemd160),
    Blake2b512(blake2::Blake2b512),
    Blake2s256(blake2::Blake2s256),
    Sm3(sm3::Sm3),
    Md5Sha1(md5::Md5, sha1::Sha1),
    /// A digest through the system's OpenSSL ([`ossl`]).
    #[cfg(feature = "openssl")]
    Ossl(ossl::Digest),
}

macro_rules! fixed {
    ($self:ident, $h:ident => $e:expr) => {
        match $self {
            State::Md5($h) => $e,
            State::Sha1($h) => $e,
            State::Sha224($h) => $e,
            State::Sha256($h) => $e,
            State::Sha384($h) => $e,
            State::Sha512($h) => $e,
            State::Sha512_224($h) => $e,
            State::Sha512_256($h) => $e,
            State::Sha3_224($h) => $e,
            State::Sha3_256($h) => $e,
            State::Sha3_384($h) => $e,
            State::Sha3_512($h) => $e,
            State::Ripemd160($h) => $e,
            State::Blake2b512($h) => $e,
            State::Blake2s256($h) => $e,
            State::Sm3($h) => $e,
            State::Shake128(_) | State::Shake256(_) | State::Md5Sha1(..) => unreachable!(),
            #[cfg(feature = "openssl")]
            State::Ossl(_) => unreachable!(),
        }
    };
}

impl State {
    /// A fresh state of `alg`, by the implementation that digests long inputs fastest.
    pub(crate) fn new(alg: HashAlgorithm) -> State {
        #[cfg(feature = "openssl")]
        if let Some(d) = ossl::Digest::new(alg) {
            return State::Ossl(d);
        }
        State::cheap_to_copy(alg)
    }

    /// A fresh state of `alg` that is a plain value, for HMAC's keyed states: PBKDF2 and
    /// every HMAC copy them once per message, and copying an OpenSSL state allocates (a
    /// new `EVP_MD_CTX`), which made PBKDF2-MD5 0.85x Node's against about 2x with these.
    pub(crate) fn cheap_to_copy(alg: HashAlgorithm) -> State {
        use HashAlgorithm as A;
        match alg {
            A::Md5 => State::Md5(Default::default()),
            A::Sha1 => State::Sha1(Default::default()),
            A::Sha224 => State::Sha224(Default::default()),
            A::Sha256 => State::Sha256(Default::default()),
            A::Sha384 => State::Sha384(Default::default()),
            A::Sha512 => State::Sha512(Default::default()),
            A::Sha512_224 => State::Sha512_224(Default::default()),
            A::Sha512_256 => State::Sha512_256(Default::default()),
            A::Sha3_224 => State::Sha3_224(Default::default()),
            A::Sha3_256 => State::Sha3_256(Default::default()),
            A::Sha3_384 => State::Sha3_384(Default::default()),
            A::Sha3_512 => State::Sha3_512(Default::default()),
            A::Shake128 => State::Shake128(Default::default()),
            A::Shake256 => State::Shake256(Default::default()),
            A::Ripemd160 => State::Ripemd160(Default::default()),
            A::Blake2b512 => State::Blake2b512(Default::default()),
            A::Blake2s256 => State::Blake2s256(Default::default()),
            A::Sm3 => State::Sm3(Default::default()),
            A::Md5Sha1 => State::Md5Sha1(Default::default(), Default::default()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            State::Shake128(h) => Update::update(h, data),
            State::Shake256(h) => Update::update(h, data),
            State::Md5Sha1(a, b) => {
                Digest::update(a, data);
                Digest::update(b, data);
            }
            #[cfg(feature = "openssl")]
            State::Ossl(d) => d.update(data),
            other => fixed!(other, h => Digest::update(h, data)),
        }
    }

    /// The digest; `len` is the output length (used by the SHAKEs only).
    pub(crate) fn finish(self, len: usize) -> Vec<u8> {
        match self {
            State::Shake128(h) => {
                let mut out = vec![0; len];
                h.finalize_xof_into(&mut out);
                out
            }
            State::Shake256(h) => {
                let mut out = vec![0; len];
                h.finalize_xof_into(&mut out);
                out
            }
            State::Md5Sha1(a, b) => {
                let mut out = a.finalize().to_vec();
                out.extend_from_slice(&b.finalize());
                out
            }
            #[cfg(feature = "openssl")]
            State::Ossl(d) => d.finish(),
            other => fixed!(other, h => h.finalize().to_vec()),
        }
    }
}

/// Options of `createHash`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HashOptions {
    /// `outputLength`: the output length of an extendable-output digest (SHAKE). For other
    /// digests only their own length is accepted.
    pub output_length: Option<usize>,
}

/// Node's `Hash` object: `update` in pieces, then one `digest`.
///
/// ```
/// use nodestd_crypto::{create_hash, Encoding};
/// let mut h = create_hash("sha256")?;
/// h.update("a")?.update_str("6263", Encoding::Hex)?;
/// assert_eq!(
///     h.digest_to(Encoding::Hex)?,
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert_eq!(h.digest().unwrap_err().code(), Some("ERR_CRYPTO_HASH_FINALIZED"));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Hash {
    algorithm: HashAlgorithm,
    state: Option<State>,
    output_len: usize,
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hash")
            .field("algorithm", &self.algorithm)
            .field("finalized", &self.state.is_none())
            .field("output_len", &self.output_len)
            .finish()
    }
}

/// `crypto.createHash(algorithm)`.
///
/// # Errors
/// See [`HashAlgorithm::from_name`].
#[doc(alias = "createHash")]
pub fn create_hash(algorithm: &str) -> Result<Hash, Error> {
    create_hash_with(algorithm, HashOptions::default())
}

/// `crypto.createHash(algorithm, options)`.
///
/// ```
/// use nodestd_crypto::{create_hash_with, Encoding, HashOptions};
/// let opts = HashOptions { output_length: Some(4) };
/// let mut h = create_hash_with("shake128", opts)?;
/// assert_eq!(h.update("abc")?.digest_to(Encoding::Hex)?, "5881092d");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// Those of [`HashAlgorithm::from_name`]; `ERR_OSSL_EVP_NOT_XOF_OR_INVALID_LENGTH` when
/// `output_length` is given for a fixed-size digest and differs from its size;
/// `ERR_OUT_OF_RANGE` when it exceeds 2^32 - 1.
#[doc(alias = "createHash")]
pub fn create_hash_with(algorithm: &str, options: HashOptions) -> Result<Hash, Error> {
    let algorithm = HashAlgorithm::from_name(algorithm)?;
    Hash::new(algorithm, options)
}

impl Hash {
    /// A hash of `algorithm` with `options`.
    ///
    /// # Errors
    /// As [`create_hash_with`], less the name lookup.
    pub fn new(algorithm: HashAlgorithm, options: HashOptions) -> Result<Hash, Error> {
        let output_len = output_len(algorithm, options)?;
        Ok(Hash {
            algorithm,
            state: Some(State::new(algorithm)),
            output_len,
        })
    }

    /// The digest algorithm.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// `hash.update(data)` with bytes (a JavaScript string becomes its UTF-8 bytes, so `&str`
    /// works as Node's default does).
    ///
    /// # Errors
    /// `ERR_CRYPTO_HASH_FINALIZED` after `digest`.
    pub fn update(&mut self, data: impl AsRef<[u8]>) -> Result<&mut Hash, Error> {
        let state = self.state.as_mut().ok_or_else(Error::hash_finalized)?;
        state.update(data.as_ref());
        Ok(self)
    }

    /// `hash.update(string, encoding)`.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for an odd-length `hex` string; `ERR_CRYPTO_HASH_FINALIZED`
    /// after `digest`.
    #[doc(alias = "update")]
    pub fn update_str(&mut self, data: &str, encoding: Encoding) -> Result<&mut Hash, Error> {
        crate::validate_encoding(encoding, data)?;
        if self.state.is_none() {
            return Err(Error::hash_finalized());
        }
        self.update(encoding.encode(data))
    }

    /// `hash.digest()`: the digest bytes. The hash cannot be used afterwards.
    ///
    /// # Errors
    /// `ERR_CRYPTO_HASH_FINALIZED` when called twice.
    pub fn digest(&mut self) -> Result<Vec<u8>, Error> {
        let state = self.state.take().ok_or_else(Error::hash_finalized)?;
        Ok(state.finish(self.output_len))
    }

    /// `hash.digest(encoding)`.
    ///
    /// # Errors
    /// As [`Hash::digest`].
    #[doc(alias = "digest")]
    pub fn digest_to(&mut self, encoding: Encoding) -> Result<String, Error> {
        self.digest().map(|d| encoding.decode(&d))
    }

    /// `hash.copy()`: an independent hash with the same state so far.
    ///
    /// # Errors
    /// `ERR_CRYPTO_HASH_FINALIZED` after `digest`.
    pub fn copy(&self) -> Result<Hash, Error> {
        if self.state.is_none() {
            return Err(Error::hash_finalized());
        }
        Ok(self.clone())
    }

    /// `hash.copy(options)`: as [`Hash::copy`], with a new `outputLength`.
    ///
    /// # Errors
    /// As [`Hash::copy`] and [`create_hash_with`].
    #[doc(alias = "copy")]
    pub fn copy_with(&self, options: HashOptions) -> Result<Hash, Error> {
        let mut h = self.copy()?;
        h.output_len = output_len(self.algorithm, options)?;
        Ok(h)
    }
}

fn output_len(algorithm: HashAlgorithm, options: HashOptions) -> Result<usize, Error> {
    match options.output_length {
        None => Ok(algorithm.output_len()),
        Some(n) if n > u32::MAX as usize => Err(Error::out_of_range(
            "options.outputLength",
            ">= 0 && <= 4294967295",
            crate::error::received_number(n as i128),
        )),
        Some(n) if algorithm.is_xof() || n == algorithm.output_len() => Ok(n),
        Some(_) => Err(Error::new(
            ErrorKind::NotXofOrInvalidLength,
            "error:030000B2:digital envelope routines::not XOF or invalid length",
        )),
    }
}

/// `crypto.hash(algorithm, data, 'buffer')`: a one-shot digest (with a SHAKE's default
/// length).
///
/// ```
/// let d = nodestd_crypto::hash("sha1", "abc")?;
/// assert_eq!(d[..4], [0xa9, 0x99, 0x3e, 0x36]);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// See [`HashAlgorithm::from_name`].
pub fn hash(algorithm: &str, data: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
    let mut h = create_hash(algorithm)?;
    h.update(data)?;
    h.digest()
}

/// `crypto.hash(algorithm, data[, outputEncoding])` with a string result (`hex` is Node's
/// default).
///
/// ```
/// let hex = nodestd_crypto::hash_to("md5", "", nodestd_crypto::Encoding::Hex)?;
/// assert_eq!(hex, "d41d8cd98f00b204e9800998ecf8427e");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// See [`HashAlgorithm::from_name`].
#[doc(alias = "hash")]
pub fn hash_to(
    algorithm: &str,
    data: impl AsRef<[u8]>,
    encoding: Encoding,
) -> Result<String, Error> {
    hash(algorithm, data).map(|d| encoding.decode(&d))
}
