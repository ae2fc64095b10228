//! Node.js's [`crypto`](https://nodejs.org/docs/latest-v20.x/api/crypto.html) module for
//! Rust, with Node v20's exact semantics.
//!
//! Every function keeps Node's name (in snake case), its algorithm names, its argument
//! checks and its errors: each [`Error`] carries Node's `code` (`ERR_CRYPTO_INVALID_IV` …,
//! or none where Node throws a plain `Error`), the JavaScript class and Node's message. The
//! behaviour is pinned record by record against Node v20.20.2 (OpenSSL 3.0) and
//! differentially against a live `node`.
//!
//! # Contents
//!
//! - Hashes: [`create_hash`] / [`create_hash_with`] give a [`Hash`](struct@Hash) (`update`, `digest`,
//!   `copy`); [`hash`](fn@hash) / [`hash_to`] are `crypto.hash`; [`get_hashes`]. Digests: md5, sha1,
//!   sha224, sha256, sha384, sha512, sha512-224, sha512-256, sha3-224/256/384/512,
//!   shake128/256 (with `outputLength`), ripemd160, blake2b512, blake2s256, sm3 and md5-sha1,
//!   under every name OpenSSL accepts (case-insensitive; `RSA-SHA256`, `sha-256`, OIDs …),
//!   see [`HashAlgorithm`].
//! - HMAC: [`create_hmac`] gives an [`Hmac`].
//! - Key derivation: [`pbkdf2_sync`], [`hkdf_sync`], [`scrypt_sync`] (with
//!   [`ScryptOptions`]).
//! - Ciphers: [`create_cipheriv`] / [`create_decipheriv`] give a [`Cipheriv`] /
//!   [`Decipheriv`] ([`CipherAlgorithm`]), with Node's output chunking, padding, AAD and
//!   authentication tags, for
//!   - AES-128/192/256 in ECB, CBC (and the `cbc-hmac-sha1`/`-sha256` variants), CFB,
//!     CFB1, CFB8, OFB, CTR, GCM, CCM (with `setAAD`'s `plaintextLength`, [`AadOptions`])
//!     and OCB; AES-XTS (`aes-128-xts`, `aes-256-xts`:
//!     each `update` a data unit under the same IV, as in OpenSSL); AES key wrap
//!     (`id-aes*-wrap`, RFC 3394) and key wrap with padding (`id-aes*-wrap-pad`, RFC 5649);
//!   - ARIA-128/192/256 in ECB, CBC, CFB, CFB1, CFB8, OFB, CTR, GCM and CCM;
//!     Camellia-128/192/256 in ECB, CBC, CFB, CFB1, CFB8, OFB and CTR; SM4 in ECB, CBC,
//!     CFB, OFB and CTR; Triple DES (`des-ede3-*`: ECB, CBC, CFB, CFB1, CFB8, OFB; two-key
//!     `des-ede-*`: ECB, CBC, CFB, OFB) and the CMS Triple-DES key wrap (`des3-wrap`,
//!     RFC 3217, with a random IV as OpenSSL draws it);
//!   - chacha20-poly1305 and chacha20;
//!
//!   under every name and OID OpenSSL gives them. [`get_ciphers`], [`get_cipher_info`] /
//!   [`get_cipher_info_by_nid`] ([`CipherInfo`]).
//! - Random: [`random_bytes`], [`random_fill_sync`], [`random_fill_sync_range`],
//!   [`random_int`], [`random_int_max`], [`random_uuid`], [`get_random_values`].
//! - [`timing_safe_equal`].
//! - Keys: [`KeyObject`] (`type`, `asymmetricKeyType`, `asymmetricKeyDetails`' curve and
//!   modulus length, `symmetricKeySize`, `equals`, `export` as PEM/DER in SPKI, PKCS#8, SEC1
//!   and PKCS#1, and JWK) from [`create_private_key`], [`create_public_key`] (PEM, DER or a
//!   JWK as a `serde_json::Value`, see [`KeyInput`]; [`Jwk::to_value`] makes one of an
//!   export), [`create_secret_key`] and [`generate_key_pair_sync`] for ed25519, x25519,
//!   EC P-256/P-384 and RSA.
//! - Signatures: [`sign`] / [`verify`] (`crypto.sign`/`crypto.verify`), [`create_sign`] /
//!   [`create_verify`] ([`Sign`], [`Verify`]), for ed25519, ECDSA with any digest (DER or
//!   IEEE-P1363, [`DsaEncoding`]) and RSA PKCS#1 v1.5 and PSS (salt lengths as Node's
//!   `saltLength`, auto-detected when verifying), options in [`SignOptions`].
//! - Key agreement: [`diffie_hellman`] (x25519, P-256, P-384) and [`create_ecdh`] ([`Ecdh`]
//!   for `prime256v1` and `secp384r1`, with [`PointFormat`]s).
//! - Asynchronous forms on the event loop's worker pool ([`nodestd_loop`]): [`callback`]
//!   (`randomBytes(size, cb)`, `randomFill`, `pbkdf2`, `hkdf`, `scrypt`, `generateKeyPair`,
//!   the callback running on the loop thread) and [`promises`] (the same through
//!   `util.promisify`, as futures, whose work is queued at the call as Node's is). Both are
//!   expanded from one table of rows (`forms.rs`) on [`nodestd_loop::work`], so
//!   `grep -n 'fn pbkdf2'` finds the row. Argument errors are returned at once by the
//!   callback forms, as Node throws them, and reject the promise forms' futures; errors of
//!   the work itself reach the callback or the future.
//! - Strings: [`Encoding`] is Node's Buffer encodings (`hex`, `base64`, `base64url`,
//!   `latin1`, `ascii`, `utf16le`, `utf8`), for `update_str` inputs and `digest_to` outputs:
//!   nodestd-buffer's, re-exported, the one implementation every nodestd crate uses. (It
//!   replaced a type of this crate's own with the same name and variants; its methods are
//!   named from the Buffer's side: string to bytes is `encode`, `Buffer.from(s, enc)`, and
//!   bytes to string `decode`, `buf.toString(enc)`, where the old type had them the other
//!   way round; [`Encoding::parse`] is the old `from_name`.)
//!
//! ```
//! use nodestd_crypto::{create_hash, create_hmac, pbkdf2_sync, Encoding};
//! let hex = create_hash("sha256")?.update("abc")?.digest_to(Encoding::Hex)?;
//! assert_eq!(&hex[..8], "ba7816bf");
//! let mac = create_hmac("sha1", "key")?.update("data")?.digest_to(Encoding::Base64);
//! assert_eq!(mac, "EEFSxb/coHvGM+69RhmfAlXJ9J0=");
//! assert_eq!(pbkdf2_sync("pw", "salt", 0, 16, "sha256").unwrap_err().code(), Some("ERR_OUT_OF_RANGE"));
//! # Ok::<(), nodestd_crypto::Error>(())
//! ```
//!
//! # Implementations
//!
//! Each algorithm's implementation was chosen by measurement on the project's reference
//! machine (see [the `hash` module](mod@crate::hash) for the numbers): md5, the SHA-512
//! family (sha384, sha512, sha512-224, sha512-256) and SHA-3 from the system's OpenSSL 3 (the
//! `openssl` feature, on by default: Node's own digest code, whose assembly no Rust crate
//! matches; without the feature, or where OpenSSL refuses a digest, RustCrypto's), the other
//! digests from RustCrypto (SHA-NI for sha1/sha224/sha256); HMAC, PBKDF2 and HKDF built here
//! on RustCrypto's digest states (a keyed state is copied per message, and copying those is
//! a `memcpy`) with the keyed states computed once; the `scrypt` crate's ROMix; AES (AES-NI), CTR, GHASH
//! (carry-less multiply), ChaCha20 and Poly1305, and the ARIA, Camellia, SM4 and Triple DES
//! block ciphers from RustCrypto, assembled into Node's streaming modes here (the block
//! modes, key wrap, XTS, CCM and OCB in its `modes` module mirror OpenSSL's code). Random bytes come from the operating system (`getrandom`). Keys
//! and signatures: `ed25519-dalek`, `x25519-dalek`, `p256`/`p384` (ECDSA through the prehash
//! interface, ECDH) and `rsa` (PKCS#1 v1.5; PSS is encoded and checked here so that Node's
//! salt lengths work); ASN.1 parsing by `spki`, `pkcs8` and `sec1`, with the curve keys'
//! structures written here byte for byte as OpenSSL writes them.
//!
//! # Platforms
//!
//! Linux is what is tested. Building needs a C compiler (`ring`, and md-5's assembly on x86,
//! are compiled with the `cc` crate) and, for the default `openssl` feature, OpenSSL 3's
//! headers and `pkg-config` (Debian: `apt-get install libssl-dev pkg-config`). With
//! `default-features = false` no OpenSSL is needed: RustCrypto then runs md5, the SHA-512
//! family, SHA-3 and the AEADs, with the same results.
//!
//! # Deviations from Node
//!
//! - `randomInt` with a callback and `crypto.subtle` are not provided; the asynchronous
//!   forms take Rust closures and futures (see [`callback`], [`promises`]) and must be called
//!   inside a running loop.
//! - Keys: ed25519, x25519, EC on P-256 and P-384, and RSA (`rsaEncryption`) only. Other
//!   key types Node has (ed448, x448, dsa, dh, rsa-pss, other curves such as secp256k1 and
//!   P-521) answer `ERR_CRYPTO_UNSUPPORTED_OPERATION`; encrypted private keys (passphrases,
//!   `cipher` in export) are not supported (`ERR_MISSING_PASSPHRASE` on import);
//!   certificates and `KeyObject.from(CryptoKey)` are not provided.
//!   `generateKeyPair`'s `publicKeyEncoding`/`privateKeyEncoding` are left to `export_*`.
//! - JWK import (`format: 'jwk'`) makes Node's checks with Node's errors, then: Ed448, X448,
//!   P-521 and secp256k1 JWKs answer `ERR_CRYPTO_UNSUPPORTED_OPERATION` (after Node's checks
//!   of the members' types and, for Ed448/X448, lengths); RSA members that are not one
//!   consistent key (`n = p·q`, `d`, and `dp`/`dq`/`qi` as they follow from them), a modulus
//!   over 4,096 bits or an exponent the `rsa` crate refuses give `ERR_CRYPTO_INVALID_JWK`
//!   (`Invalid JWK RSA key`) where OpenSSL stores them unchecked; so does an EC `d` that is
//!   zero, not below the group order or longer than the field (`Invalid JWK EC key`: OpenSSL
//!   stores it, and node aborts when such a key with an overlong `d` is exported as JWK); an
//!   Ed25519 `x` that is not a curve point gives `ERR_CRYPTO_INVALID_JWK` (`Invalid JWK
//!   data`) where OpenSSL fails only at use. [`create_secret_key`] takes bytes, as Node's does (Node has no JWK
//!   form of it: `createSecretKey(jwk)` is `ERR_INVALID_ARG_TYPE`, and `createPrivateKey`
//!   refuses `kty: 'oct'`).
//! - An EC public key imported in compressed form is exported uncompressed (OpenSSL keeps
//!   the imported form).
//! - Malformed DER reports `ERR_OSSL_ASN1_WRONG_TAG` where OpenSSL may name another ASN.1
//!   failure (`…FIELD_MISSING`, `…TOO_LONG` …); malformed PEM reports OpenSSL's
//!   `ERR_OSSL_UNSUPPORTED` as Node does.
//! - ECDSA nonces: P-256 with SHA-256 and P-384 with SHA-384 sign through `ring`, with
//!   random nonces as OpenSSL's (so two signatures of one message differ, as in Node); the
//!   other digest pairs sign through RustCrypto with RFC 6979 deterministic nonces (the same
//!   message signs the same way twice). Both kinds verify everywhere. RSA signing supports the digests with a DigestInfo OID (md5,
//!   sha1, sha2, sha3, ripemd160); blake2, sm3, shake and md5-sha1 with RSA answer
//!   `ERR_CRYPTO_UNSUPPORTED_OPERATION`.
//! - An ed25519 SPKI whose 32 bytes are not a curve point fails at import
//!   (`ERR_OSSL_UNSUPPORTED`); OpenSSL accepts it and fails to verify later.
//! - A worker-pool task that ends without a result (it panicked, the loop was dropped, or no
//!   worker thread could be started) gives [`ErrorKind::WorkerFailed`], which has no Node
//!   counterpart.
//! - Diffie-Hellman groups (`createDiffieHellman`, `getDiffieHellman`) and `createECDH`
//!   curves other than prime256v1 and secp384r1 are not provided.
//! - Ciphers: every name of Node's `getCiphers()` is implemented. Not implemented
//!   (compared with node's list by a test): none. Node's `aes-*-cbc-hmac-sha*` are
//!   OpenSSL's stitched TLS record ciphers, which OpenSSL offers only on processors with AES
//!   instructions; here they are always there, and behave as Node's do outside TLS (AES-CBC
//!   without padding, each `update` whole blocks). The deprecated `createCipher`
//!   (password-based) is not provided. The legacy digests (md4, mdc2, whirlpool) fail as
//!   Node's default OpenSSL build does (`ERR_OSSL_EVP_UNSUPPORTED`).
//! - CCM's `plaintextLength` over 2^31 - 1: Node aborts the process (a failed assertion);
//!   here it is `ERR_CRYPTO_INVALID_MESSAGELEN`.
//! - Argument types: Rust's types rule out most of Node's `ERR_INVALID_ARG_TYPE` cases. Bytes
//!   are `impl AsRef<[u8]>` (a `&str` is its UTF-8 bytes, as Node's default encoding);
//!   strings in another encoding go through the `update_str` methods.
//! - Node's `final()` is [`Cipheriv::finalize`] (`final` is a Rust keyword). `update` and
//!   `final` return bytes: Node's output-encoding argument (with its stateful character
//!   decoder) is left to the caller ([`Encoding::decode`]).
//! - `Hmac::digest` returns bytes and never fails: Node returns an empty result for a second
//!   `digest`, and so does this.
//! - [`Encoding::decode`] of `utf16le` output with a lone surrogate gives U+FFFD (Rust strings
//!   cannot hold one); [`Encoding::decode_utf16`] gives the exact code units.
//! - `getRandomValues` takes bytes; Node's typed-array kinds (and `TypeMismatchError` for
//!   float arrays) are outside Rust's types.
//! - Node can leave a stale entry in OpenSSL's error queue after some failures, so that a later
//!   unrelated failure reports the stale code; each call here reports its own error.

#![forbid(unsafe_code)]

#[macro_use]
mod forms;

pub mod callback;
pub mod cipher;
mod error;
mod fast;
pub mod hash;
mod hmac;
mod jwk;
mod kdf;
mod keys;
mod modes;
pub mod promises;
mod random;
mod sign;

pub use cipher::{
    AadOptions, CipherAlgorithm, CipherInfo, CipherInfoOptions, CipherOptions, Cipheriv,
    Decipheriv, create_cipheriv, create_decipheriv, get_cipher_info, get_cipher_info_by_nid,
    get_ciphers,
};
pub use error::{Error, ErrorKind, ErrorName};
pub use hash::{
    Hash, HashAlgorithm, HashOptions, create_hash, create_hash_with, get_hashes, hash, hash_to,
};
pub use hmac::{Hmac, create_hmac};
pub use kdf::{ScryptOptions, hkdf_sync, pbkdf2_sync, scrypt_sync};
pub use keys::{
    AsymmetricKeyType, Jwk, KeyEncoding, KeyInput, KeyObject, KeyPair, KeyPairOptions, KeyType,
    NamedCurve, create_private_key, create_public_key, create_secret_key, generate_key_pair_sync,
};
pub use nodestd_buffer::Encoding;
pub use random::{
    get_random_values, random_bytes, random_fill_sync, random_fill_sync_range, random_int,
    random_int_max, random_uuid,
};
pub use sign::{
    DsaEncoding, Ecdh, PointFormat, RSA_PKCS1_PADDING, RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_AUTO,
    RSA_PSS_SALTLEN_DIGEST, RSA_PSS_SALTLEN_MAX_SIGN, Sign, SignOptions, Verify, create_ecdh,
    create_sign, create_verify, diffie_hellman, sign, verify,
};

/// The length check Node's `validateEncoding` makes on strings given to `update`: `hex`
/// needs an even number of UTF-16 code units.
pub(crate) fn validate_encoding(encoding: Encoding, s: &str) -> Result<(), Error> {
    if encoding == Encoding::Hex {
        let len = s.encode_utf16().count();
        if len % 2 != 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgValue,
                format!(
                    "The argument 'encoding' is invalid for data of length {len}. Received 'hex'"
                ),
            ));
        }
    }
    Ok(())
}

/// `crypto.timingSafeEqual(a, b)`: whether two byte strings are equal, in time that depends
/// only on their length.
///
/// ```
/// assert!(nodestd_crypto::timing_safe_equal(b"abc", b"abc")?);
/// let err = nodestd_crypto::timing_safe_equal(b"abc", b"abcd").unwrap_err();
/// assert_eq!(err.code(), Some("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH"));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH` when the lengths differ.
#[doc(alias = "timingSafeEqual")]
pub fn timing_safe_equal(a: impl AsRef<[u8]>, b: impl AsRef<[u8]>) -> Result<bool, Error> {
    use subtle::ConstantTimeEq;
    let (a, b) = (a.as_ref(), b.as_ref());
    if a.len() != b.len() {
        return Err(Error::new(
            ErrorKind::TimingSafeEqualLength,
            "Input buffers must have the same byte length",
        ));
    }
    Ok(a.ct_eq(b).into())
}
