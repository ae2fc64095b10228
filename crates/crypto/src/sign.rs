//! Signatures and key agreement: `crypto.sign`/`verify`, `createSign`/`createVerify`
//! (ed25519, ECDSA on P-256/P-384 with any digest, RSA PKCS#1 v1.5 and PSS),
//! `crypto.diffieHellman` (x25519, P-256, P-384) and `createECDH`.
//!
//! The combinations `ring` implements (ECDSA P-256/SHA-256 and P-384/SHA-384 signing,
//! P-256/P-384 with SHA-256/SHA-384 verifying, RSA PKCS#1 v1.5 and digest-length-salt PSS
//! with SHA-256/384/512 for the key sizes ring takes) go through `fast`, several times
//! faster; everything else stays here on RustCrypto. ECDSA then signs the digest through
//! RustCrypto's prehash interface (RFC 6979 nonces, where OpenSSL and ring draw random ones:
//! both are valid and verify on either side). RSA-PSS is encoded and checked here (EMSA-PSS with MGF1 over the same digest, as OpenSSL does), so that
//! Node's salt lengths work: the maximum by default when signing, and recovery of the salt
//! length ("auto") when verifying.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use pkcs8::der::asn1::ObjectIdentifier;
use rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;

use crate::fast;
use crate::hash::State;
use crate::hmac::mac_digest;
use crate::keys::{
    Key, KeyObject, KeyType, NamedCurve, Private, Public, invalid_key_object_type,
    unsupported_operation,
};
use crate::{Error, ErrorKind, HashAlgorithm};

/// `RSA_PKCS1_PADDING`: Node's default RSA signature padding.
pub const RSA_PKCS1_PADDING: i32 = 1;
/// `RSA_PKCS1_PSS_PADDING`.
pub const RSA_PKCS1_PSS_PADDING: i32 = 6;
/// `RSA_PSS_SALTLEN_DIGEST`: the salt is as long as the digest.
pub const RSA_PSS_SALTLEN_DIGEST: i32 = -1;
/// `RSA_PSS_SALTLEN_MAX_SIGN`: the longest salt the key allows (the default when signing).
pub const RSA_PSS_SALTLEN_MAX_SIGN: i32 = -2;
/// `RSA_PSS_SALTLEN_AUTO`: recover the salt length (the default when verifying).
pub const RSA_PSS_SALTLEN_AUTO: i32 = -2;

/// `dsaEncoding`: how ECDSA signatures are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DsaEncoding {
    /// `'der'` (the default): an ASN.1 `SEQUENCE { r, s }`.
    #[default]
    Der,
    /// `'ieee-p1363'`: `r || s`, each as long as the curve's field.
    IeeeP1363,
}

impl DsaEncoding {
    /// An encoding by Node's name.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for another name, with Node's message.
    pub fn from_name(name: &str) -> Result<DsaEncoding, Error> {
        match name {
            "der" => Ok(DsaEncoding::Der),
            "ieee-p1363" => Ok(DsaEncoding::IeeeP1363),
            _ => Err(Error::new(
                ErrorKind::InvalidArgValue,
                format!("The property 'options.dsaEncoding' is invalid. Received '{name}'"),
            )),
        }
    }
}

/// The options Node reads from a `{ key, dsaEncoding, padding, saltLength }` object.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignOptions {
    /// `dsaEncoding` (ECDSA).
    pub dsa_encoding: DsaEncoding,
    /// `padding` (RSA): [`RSA_PKCS1_PADDING`] (default) or [`RSA_PKCS1_PSS_PADDING`].
    pub padding: Option<i32>,
    /// `saltLength` (RSA-PSS): bytes, or [`RSA_PSS_SALTLEN_DIGEST`] /
    /// [`RSA_PSS_SALTLEN_MAX_SIGN`] / [`RSA_PSS_SALTLEN_AUTO`].
    pub salt_length: Option<i32>,
}

fn digest(alg: HashAlgorithm, data: &[u8]) -> Vec<u8> {
    let mut s = State::new(alg);
    s.update(data);
    s.finish(alg.output_len())
}

fn resolve_digest(name: &str) -> Result<HashAlgorithm, Error> {
    match mac_digest(name)? {
        Ok(alg) => Ok(alg),
        Err(_) => Err(Error::invalid_digest(name)),
    }
}

/// The DER `DigestInfo` prefix of PKCS#1 v1.5 signatures, for the digests with an OID.
fn digest_info_prefix(alg: HashAlgorithm) -> Option<Vec<u8>> {
    use HashAlgorithm as A;
    let oid = match alg {
        A::Md5 => "1.2.840.113549.2.5",
        A::Sha1 => "1.3.14.3.2.26",
        A::Sha224 => "2.16.840.1.101.3.4.2.4",
        A::Sha256 => "2.16.840.1.101.3.4.2.1",
        A::Sha384 => "2.16.840.1.101.3.4.2.2",
        A::Sha512 => "2.16.840.1.101.3.4.2.3",
        A::Sha512_224 => "2.16.840.1.101.3.4.2.5",
        A::Sha512_256 => "2.16.840.1.101.3.4.2.6",
        A::Sha3_224 => "2.16.840.1.101.3.4.2.7",
        A::Sha3_256 => "2.16.840.1.101.3.4.2.8",
        A::Sha3_384 => "2.16.840.1.101.3.4.2.9",
        A::Sha3_512 => "2.16.840.1.101.3.4.2.10",
        A::Ripemd160 => "1.3.36.3.2.1",
        _ => return None,
    };
    let oid = ObjectIdentifier::new(oid).ok()?;
    let oid = oid.as_bytes();
    let hlen = alg.output_len();
    // DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING digest }, up to the
    // digest itself.
    let mut algid = vec![0x06, oid.len() as u8];
    algid.extend_from_slice(oid);
    algid.extend_from_slice(&[0x05, 0x00]);
    let mut p = vec![
        0x30,
        (2 + algid.len() + 2 + hlen) as u8,
        0x30,
        algid.len() as u8,
    ];
    p.extend_from_slice(&algid);
    p.extend_from_slice(&[0x04, hlen as u8]);
    Some(p)
}

fn mgf1(alg: HashAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + alg.output_len());
    let mut counter = 0u32;
    while out.len() < len {
        let mut s = State::new(alg);
        s.update(seed);
        s.update(&counter.to_be_bytes());
        out.extend(s.finish(alg.output_len()));
        counter += 1;
    }
    out.truncate(len);
    out
}

fn pss_encode(
    alg: HashAlgorithm,
    m_hash: &[u8],
    em_bits: usize,
    salt_len: i32,
) -> Result<Vec<u8>, Error> {
    let h_len = alg.output_len();
    let em_len = em_bits.div_ceil(8);
    let too_large = || {
        Error::new(
            ErrorKind::OsslDataTooLargeForKeySize,
            "error:0200006E:rsa routines::data too large for key size",
        )
    };
    let s_len = match salt_len {
        RSA_PSS_SALTLEN_DIGEST => h_len,
        RSA_PSS_SALTLEN_MAX_SIGN => em_len.checked_sub(h_len + 2).ok_or_else(too_large)?,
        n if n < 0 => {
            return Err(Error::new(
                ErrorKind::OsslUnsupported,
                "error:1C800066:Provider routines::invalid salt length",
            ));
        }
        n => n as usize,
    };
    if em_len < h_len + s_len + 2 {
        return Err(too_large());
    }
    let mut salt = vec![0u8; s_len];
    OsRng.fill_bytes(&mut salt);
    let mut m = State::new(alg);
    m.update(&[0u8; 8]);
    m.update(m_hash);
    m.update(&salt);
    let h = m.finish(h_len);
    let db_len = em_len - h_len - 1;
    let mut db = vec![0u8; db_len - s_len - 1];
    db.push(1);
    db.extend_from_slice(&salt);
    let mask = mgf1(alg, &h, db_len);
    db.iter_mut().zip(&mask).for_each(|(a, b)| *a ^= b);
    db[0] &= 0xff >> (8 * em_len - em_bits);
    db.extend_from_slice(&h);
    db.push(0xbc);
    Ok(db)
}

fn pss_verify(alg: HashAlgorithm, m_hash: &[u8], em: &[u8], em_bits: usize, salt_len: i32) -> bool {
    let h_len = alg.output_len();
    let em_len = em_bits.div_ceil(8);
    if em.len() != em_len || em_len < h_len + 2 || em[em_len - 1] != 0xbc {
        return false;
    }
    let (masked, h) = em[..em_len - 1].split_at(em_len - h_len - 1);
    if masked[0] & !(0xff >> (8 * em_len - em_bits)) != 0 {
        return false;
    }
    let mask = mgf1(alg, h, masked.len());
    let mut db: Vec<u8> = masked.iter().zip(&mask).map(|(a, b)| a ^ b).collect();
    db[0] &= 0xff >> (8 * em_len - em_bits);
    let Some(one) = db.iter().position(|&b| b != 0) else {
        return false;
    };
    if db[one] != 1 {
        return false;
    }
    let salt = &db[one + 1..];
    let expected = match salt_len {
        RSA_PSS_SALTLEN_AUTO => salt.len(),
        RSA_PSS_SALTLEN_DIGEST => h_len,
        n if n < 0 => return false,
        n => n as usize,
    };
    if salt.len() != expected {
        return false;
    }
    let mut m = State::new(alg);
    m.update(&[0u8; 8]);
    m.update(m_hash);
    m.update(salt);
    crate::timing_safe_equal(m.finish(h_len), h).unwrap_or(false)
}

fn left_pad(mut v: Vec<u8>, len: usize) -> Vec<u8> {
    if v.len() < len {
        let mut out = vec![0u8; len - v.len()];
        out.append(&mut v);
        out
    } else {
        v
    }
}

/// The digest as the ECDSA integer: shorter digests are left-padded to the field size (the
/// same integer; RustCrypto refuses prehashes under half the field).
fn ecdsa_prehash(h: Vec<u8>, field: usize) -> Vec<u8> {
    left_pad(h, field)
}

/// RustCrypto's `SigningKey::sign_prehash` (RFC 6979 nonce with the curve's digest, no
/// added data) on the bare scalar: a `SigningKey` would first compute the public key,
/// doubling the cost.
fn rfc6979_sign<C>(
    scalar: &p256::elliptic_curve::Scalar<C>,
    prehash: &[u8],
) -> Result<ecdsa::Signature<C>, Error>
where
    C: p256::elliptic_curve::PrimeCurve
        + p256::elliptic_curve::CurveArithmetic
        + ecdsa::hazmat::DigestPrimitive,
    p256::elliptic_curve::Scalar<C>: ecdsa::hazmat::SignPrimitive<C>,
    ecdsa::SignatureSize<C>: p256::elliptic_curve::generic_array::ArrayLength<u8>,
{
    use ecdsa::hazmat::SignPrimitive;
    let z = ecdsa::hazmat::bits2field::<C>(prehash).map_err(|_| unsupported_operation())?;
    scalar
        .try_sign_prehashed_rfc6979::<C::Digest>(&z, &[])
        .map(|(sig, _)| sig)
        .map_err(|_| unsupported_operation())
}

fn check_padding(options: &SignOptions) -> Result<i32, Error> {
    match options.padding.unwrap_or(RSA_PKCS1_PADDING) {
        p @ (RSA_PKCS1_PADDING | RSA_PKCS1_PSS_PADDING) => Ok(p),
        _ => Err(Error::new(
            ErrorKind::OsslInvalidPaddingMode,
            "error:1C8000A8:Provider routines::invalid padding mode",
        )),
    }
}

fn sign_with(
    algorithm: Option<HashAlgorithm>,
    data: &[u8],
    key_object: &KeyObject,
    options: &SignOptions,
) -> Result<Vec<u8>, Error> {
    let (key, public) = private_of(key_object)?;
    let alg = algorithm.unwrap_or(HashAlgorithm::Sha256);
    let fast = || fast::sign(&key_object.signer, key, public, alg, data, options);
    match key {
        Private::Ed25519(k) => {
            if algorithm.is_some() {
                return Err(invalid_digest_for_eddsa());
            }
            use ed25519_dalek::Signer;
            Ok(k.sign(data).to_bytes().to_vec())
        }
        Private::X25519(_) => Err(not_for_keytype()),
        Private::P256(k) => {
            if let Some(sig) = fast() {
                return Ok(sig);
            }
            let h = ecdsa_prehash(digest(alg, data), 32);
            let sig: p256::ecdsa::Signature =
                rfc6979_sign::<p256::NistP256>(&k.to_nonzero_scalar(), &h)?;
            Ok(match options.dsa_encoding {
                DsaEncoding::Der => sig.to_der().as_bytes().to_vec(),
                DsaEncoding::IeeeP1363 => sig.to_bytes().to_vec(),
            })
        }
        Private::P384(k) => {
            if let Some(sig) = fast() {
                return Ok(sig);
            }
            let h = ecdsa_prehash(digest(alg, data), 48);
            let sig: p384::ecdsa::Signature =
                rfc6979_sign::<p384::NistP384>(&k.to_nonzero_scalar(), &h)?;
            Ok(match options.dsa_encoding {
                DsaEncoding::Der => sig.to_der().as_bytes().to_vec(),
                DsaEncoding::IeeeP1363 => sig.to_bytes().to_vec(),
            })
        }
        Private::Rsa(k) => {
            let padding = check_padding(options)?;
            if let Some(sig) = fast() {
                return Ok(sig);
            }
            let hashed = digest(alg, data);
            if padding == RSA_PKCS1_PSS_PADDING {
                let em_bits = k.n().bits() - 1;
                let em = pss_encode(
                    alg,
                    &hashed,
                    em_bits,
                    options.salt_length.unwrap_or(RSA_PSS_SALTLEN_MAX_SIGN),
                )?;
                let m = rsa::BigUint::from_bytes_be(&em);
                let s = rsa::hazmat::rsa_decrypt_and_check(&**k, Some(&mut OsRng), &m)
                    .map_err(|_| unsupported_operation())?;
                return Ok(left_pad(s.to_bytes_be(), k.size()));
            }
            let prefix = digest_info_prefix(alg).ok_or_else(unsupported_operation)?;
            let scheme = rsa::Pkcs1v15Sign {
                hash_len: Some(hashed.len()),
                prefix: prefix.into_boxed_slice(),
            };
            k.sign(scheme, &hashed).map_err(|_| {
                Error::new(
                    ErrorKind::OsslDigestTooBig,
                    "error:02000070:rsa routines::digest too big for rsa key",
                )
            })
        }
    }
}

fn verify_with(
    algorithm: Option<HashAlgorithm>,
    data: &[u8],
    key: &Public,
    signature: &[u8],
    options: &SignOptions,
) -> Result<bool, Error> {
    let alg = algorithm.unwrap_or(HashAlgorithm::Sha256);
    Ok(match key {
        Public::Ed25519(k) => {
            if algorithm.is_some() {
                return Err(invalid_digest_for_eddsa());
            }
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return Ok(false);
            };
            // OpenSSL's check: S below the group order and R re-encoded byte for byte
            // (cofactorless), which is dalek's `verify`.
            use ed25519_dalek::Verifier;
            k.verify(data, &sig).is_ok()
        }
        Public::X25519(_) => return Err(not_for_keytype()),
        Public::P256(k) => {
            if let Some(ok) = fast::verify(key, alg, data, signature, options) {
                return Ok(ok);
            }
            let h = ecdsa_prehash(digest(alg, data), 32);
            let sig = match options.dsa_encoding {
                DsaEncoding::Der => p256::ecdsa::Signature::from_der(signature),
                DsaEncoding::IeeeP1363 => p256::ecdsa::Signature::from_slice(signature),
            };
            let Ok(sig) = sig else { return Ok(false) };
            p256::ecdsa::VerifyingKey::from(k)
                .verify_prehash(&h, &sig)
                .is_ok()
        }
        Public::P384(k) => {
            if let Some(ok) = fast::verify(key, alg, data, signature, options) {
                return Ok(ok);
            }
            let h = ecdsa_prehash(digest(alg, data), 48);
            let sig = match options.dsa_encoding {
                DsaEncoding::Der => p384::ecdsa::Signature::from_der(signature),
                DsaEncoding::IeeeP1363 => p384::ecdsa::Signature::from_slice(signature),
            };
            let Ok(sig) = sig else { return Ok(false) };
            p384::ecdsa::VerifyingKey::from(k)
                .verify_prehash(&h, &sig)
                .is_ok()
        }
        Public::Rsa(k) => {
            let padding = check_padding(options)?;
            if signature.len() != k.size() {
                return Ok(false);
            }
            if let Some(ok) = fast::verify(key, alg, data, signature, options) {
                return Ok(ok);
            }
            let hashed = digest(alg, data);
            if padding == RSA_PKCS1_PSS_PADDING {
                let s = rsa::BigUint::from_bytes_be(signature);
                if &s >= k.n() {
                    return Ok(false);
                }
                let Ok(m) = rsa::hazmat::rsa_encrypt(&**k, &s) else {
                    return Ok(false);
                };
                let em_bits = k.n().bits() - 1;
                let em = left_pad(m.to_bytes_be(), em_bits.div_ceil(8));
                return Ok(pss_verify(
                    alg,
                    &hashed,
                    &em,
                    em_bits,
                    options.salt_length.unwrap_or(RSA_PSS_SALTLEN_AUTO),
                ));
            }
            let prefix = digest_info_prefix(alg).ok_or_else(unsupported_operation)?;
            let scheme = rsa::Pkcs1v15Sign {
                hash_len: Some(hashed.len()),
                prefix: prefix.into_boxed_slice(),
            };
            k.verify(scheme, &hashed, signature).is_ok()
        }
    })
}

fn invalid_digest_for_eddsa() -> Error {
    Error::new(
        ErrorKind::OsslInvalidDigest,
        "error:1C80007A:Provider routines::invalid digest",
    )
}

fn not_for_keytype() -> Error {
    Error::new(
        ErrorKind::NotSupportedForKeytype,
        "error:03000096:digital envelope routines::operation not supported for this keytype",
    )
}

fn private_of(key: &KeyObject) -> Result<(&Private, &Public), Error> {
    match &*key.key {
        Key::Private(k, p) => Ok((k, p)),
        _ => Err(invalid_key_object_type(key.type_(), "private")),
    }
}

fn public_of(key: &KeyObject) -> Result<&Public, Error> {
    match &*key.key {
        Key::Public(k) => Ok(k),
        Key::Private(_, p) => Ok(p),
        Key::Secret(_) => Err(invalid_key_object_type(
            KeyType::Secret,
            "private or public",
        )),
    }
}

/// `crypto.sign(algorithm, data, key)`: `algorithm` `None` for ed25519 (and the key's
/// default, SHA-256, for EC and RSA).
///
/// ```
/// use nodestd_crypto::{generate_key_pair_sync, sign, verify, KeyPairOptions, SignOptions};
/// let pair = generate_key_pair_sync("ed25519", &KeyPairOptions::default())?;
/// let sig = sign(None, b"data", &pair.private_key, &SignOptions::default())?;
/// assert!(verify(None, b"data", &pair.public_key, &sig, &SignOptions::default())?);
/// assert!(!verify(None, b"date", &pair.public_key, &sig, &SignOptions::default())?);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE` unless `key` is private; `ERR_CRYPTO_INVALID_DIGEST`
/// for an unknown digest; `ERR_OSSL_INVALID_DIGEST` for a digest with ed25519;
/// `ERR_OSSL_EVP_OPERATION_NOT_SUPPORTED_FOR_THIS_KEYTYPE` for x25519;
/// `ERR_OSSL_INVALID_PADDING_MODE`, `ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_KEY_SIZE` for RSA
/// options the key cannot take.
pub fn sign(
    algorithm: Option<&str>,
    data: impl AsRef<[u8]>,
    key: &KeyObject,
    options: &SignOptions,
) -> Result<Vec<u8>, Error> {
    private_of(key)?;
    let alg = algorithm.map(resolve_digest).transpose()?;
    sign_with(alg, data.as_ref(), key, options)
}

/// `crypto.verify(algorithm, data, key, signature)`: `key` public, or private (its public
/// half is used). A malformed signature is `Ok(false)`, as in Node.
///
/// # Errors
/// As [`sign`], with `ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE` for a secret key.
pub fn verify(
    algorithm: Option<&str>,
    data: impl AsRef<[u8]>,
    key: &KeyObject,
    signature: impl AsRef<[u8]>,
    options: &SignOptions,
) -> Result<bool, Error> {
    let public = public_of(key)?;
    let alg = algorithm.map(resolve_digest).transpose()?;
    verify_with(alg, data.as_ref(), public, signature.as_ref(), options)
}

/// Node's `Sign` object (`crypto.createSign(algorithm)`): `update`, then `sign`.
#[derive(Clone)]
pub struct Sign {
    algorithm: HashAlgorithm,
    data: Vec<u8>,
}

/// Node's `Verify` object (`crypto.createVerify(algorithm)`): `update`, then `verify`.
#[derive(Clone)]
pub struct Verify {
    algorithm: HashAlgorithm,
    data: Vec<u8>,
}

impl std::fmt::Debug for Sign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sign")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Verify {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verify")
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

fn stream_digest(name: &str) -> Result<HashAlgorithm, Error> {
    match mac_digest(name) {
        Ok(Ok(alg)) => Ok(alg),
        _ => Err(Error::new(ErrorKind::InvalidDigest, "Invalid digest")),
    }
}

/// `crypto.createSign(algorithm)`.
///
/// ```
/// use nodestd_crypto::{create_sign, create_verify, generate_key_pair_sync, KeyPairOptions, SignOptions};
/// let opts = KeyPairOptions { named_curve: Some("P-384".into()), ..Default::default() };
/// let pair = generate_key_pair_sync("ec", &opts)?;
/// let sig = create_sign("sha384")?.update("a").update("b").sign(&pair.private_key, &SignOptions::default())?;
/// assert!(create_verify("sha384")?.update("ab").verify(&pair.public_key, &sig, &SignOptions::default())?);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_CRYPTO_INVALID_DIGEST` ("Invalid digest") for an unknown digest.
#[doc(alias = "createSign")]
pub fn create_sign(algorithm: &str) -> Result<Sign, Error> {
    Ok(Sign {
        algorithm: stream_digest(algorithm)?,
        data: Vec::new(),
    })
}

/// `crypto.createVerify(algorithm)`.
///
/// # Errors
/// As [`create_sign`].
#[doc(alias = "createVerify")]
pub fn create_verify(algorithm: &str) -> Result<Verify, Error> {
    Ok(Verify {
        algorithm: stream_digest(algorithm)?,
        data: Vec::new(),
    })
}

fn no_eddsa_stream(key: &KeyObject) -> Result<(), Error> {
    use crate::AsymmetricKeyType as T;
    match key.asymmetric_key_type() {
        Some(T::Ed25519 | T::X25519) => Err(unsupported_operation()),
        _ => Ok(()),
    }
}

impl Sign {
    /// `sign.update(data)`.
    pub fn update(&mut self, data: impl AsRef<[u8]>) -> &mut Sign {
        self.data.extend_from_slice(data.as_ref());
        self
    }

    /// `sign.sign(privateKey)`.
    ///
    /// # Errors
    /// As [`sign`](crate::sign()), and `ERR_CRYPTO_UNSUPPORTED_OPERATION` for ed25519 and
    /// x25519 keys (Node streams only the digest-based algorithms).
    pub fn sign(&self, key: &KeyObject, options: &SignOptions) -> Result<Vec<u8>, Error> {
        private_of(key)?;
        no_eddsa_stream(key)?;
        sign_with(Some(self.algorithm), &self.data, key, options)
    }
}

impl Verify {
    /// `verify.update(data)`.
    pub fn update(&mut self, data: impl AsRef<[u8]>) -> &mut Verify {
        self.data.extend_from_slice(data.as_ref());
        self
    }

    /// `verify.verify(publicKey, signature)`.
    ///
    /// # Errors
    /// As [`Sign::sign`].
    pub fn verify(
        &self,
        key: &KeyObject,
        signature: impl AsRef<[u8]>,
        options: &SignOptions,
    ) -> Result<bool, Error> {
        let public = public_of(key)?;
        no_eddsa_stream(key)?;
        verify_with(
            Some(self.algorithm),
            &self.data,
            public,
            signature.as_ref(),
            options,
        )
    }
}

/// `crypto.diffieHellman({ privateKey, publicKey })` for x25519, P-256 and P-384.
///
/// ```
/// use nodestd_crypto::{diffie_hellman, generate_key_pair_sync, KeyPairOptions};
/// let a = generate_key_pair_sync("x25519", &KeyPairOptions::default())?;
/// let b = generate_key_pair_sync("x25519", &KeyPairOptions::default())?;
/// assert_eq!(
///     diffie_hellman(&a.private_key, &b.public_key)?,
///     diffie_hellman(&b.private_key, &a.public_key)?,
/// );
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE` unless `private_key` is private and `public_key` is
/// public or private; `ERR_CRYPTO_INCOMPATIBLE_KEY` for keys of different types (or types
/// without key agreement); `ERR_OSSL_MISMATCHING_DOMAIN_PARAMETERS` for two curves;
/// `ERR_OSSL_FAILED_DURING_DERIVATION` for an x25519 result of all zeros.
#[doc(alias = "diffieHellman")]
pub fn diffie_hellman(private_key: &KeyObject, public_key: &KeyObject) -> Result<Vec<u8>, Error> {
    let (private, _) = private_of(private_key)?;
    let public = public_of(public_key)?;
    let a = private_key
        .asymmetric_key_type()
        .unwrap_or(crate::AsymmetricKeyType::Ec);
    let b = public.kind();
    let incompatible = || {
        Error::new(
            ErrorKind::IncompatibleKey,
            format!(
                "Incompatible key types for Diffie-Hellman: {} and {}",
                a.as_str(),
                b.as_str()
            ),
        )
    };
    let mismatch = || {
        Error::new(
            ErrorKind::OsslMismatchingDomainParameters,
            "error:1C8000CB:Provider routines::mismatching domain parameters",
        )
    };
    match (private, public) {
        (Private::X25519(k), Public::X25519(p)) => {
            let shared = k.diffie_hellman(p);
            if !shared.was_contributory() {
                return Err(Error::new(
                    ErrorKind::OsslFailedDuringDerivation,
                    "error:1C8000A4:Provider routines::failed during derivation",
                ));
            }
            Ok(shared.as_bytes().to_vec())
        }
        (Private::P256(k), Public::P256(p)) => Ok(p256::ecdh::diffie_hellman(
            k.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        (Private::P384(k), Public::P384(p)) => Ok(p384::ecdh::diffie_hellman(
            k.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        (Private::P256(_) | Private::P384(_), Public::P256(_) | Public::P384(_)) => Err(mismatch()),
        _ => Err(incompatible()),
    }
}

/// The point formats of `ecdh.getPublicKey(encoding, format)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum PointFormat {
    /// `'uncompressed'` (the default): `04 || x || y`.
    #[default]
    Uncompressed,
    /// `'compressed'`: `02`/`03 || x`.
    Compressed,
    /// `'hybrid'`: `06`/`07 || x || y`.
    Hybrid,
}

impl PointFormat {
    /// A format by Node's name.
    ///
    /// # Errors
    /// `ERR_CRYPTO_ECDH_INVALID_FORMAT` for another name.
    pub fn from_name(name: &str) -> Result<PointFormat, Error> {
        match name {
            "uncompressed" => Ok(PointFormat::Uncompressed),
            "compressed" => Ok(PointFormat::Compressed),
            "hybrid" => Ok(PointFormat::Hybrid),
            _ => Err(Error::new(
                ErrorKind::EcdhInvalidFormat,
                format!("Invalid ECDH format: {name}"),
            )),
        }
    }
}

/// Node's `ECDH` object (`crypto.createECDH(curveName)`) for `prime256v1` and `secp384r1`.
///
/// ```
/// use nodestd_crypto::{create_ecdh, PointFormat};
/// let mut alice = create_ecdh("prime256v1")?;
/// let mut bob = create_ecdh("prime256v1")?;
/// let a = alice.generate_keys(PointFormat::Uncompressed)?;
/// let b = bob.generate_keys(PointFormat::Compressed)?;
/// assert_eq!(alice.compute_secret(&b)?, bob.compute_secret(&a)?);
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Ecdh {
    curve: NamedCurve,
    /// The private key and its public half.
    key: Option<(Private, Public)>,
}

impl std::fmt::Debug for Ecdh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ecdh")
            .field("curve", &self.curve)
            .field("has_key", &self.key.is_some())
            .finish()
    }
}

/// `crypto.createECDH(curveName)`: OpenSSL's curve names only (`'P-256'` is refused, as in
/// Node).
///
/// # Errors
/// `ERR_CRYPTO_INVALID_CURVE` for another curve.
#[doc(alias = "createECDH")]
pub fn create_ecdh(curve_name: &str) -> Result<Ecdh, Error> {
    Ok(Ecdh {
        curve: NamedCurve::lookup(curve_name, false)?,
        key: None,
    })
}

fn encode_point(public: &Public, format: PointFormat) -> Vec<u8> {
    let mut p = public
        .ec_point(format == PointFormat::Compressed)
        .unwrap_or_default();
    if format == PointFormat::Hybrid {
        let odd = p.last().is_some_and(|b| b & 1 == 1);
        p[0] = if odd { 7 } else { 6 };
    }
    p
}

impl Ecdh {
    /// The curve.
    pub fn curve(&self) -> NamedCurve {
        self.curve
    }

    /// `ecdh.generateKeys(encoding, format)`: a new key pair; returns the public key.
    ///
    /// # Errors
    /// None in practice (the signature matches the other accessors).
    #[doc(alias = "generateKeys")]
    pub fn generate_keys(&mut self, format: PointFormat) -> Result<Vec<u8>, Error> {
        let k = match self.curve {
            NamedCurve::P256 => Private::P256(p256::SecretKey::random(&mut OsRng)),
            NamedCurve::P384 => Private::P384(p384::SecretKey::random(&mut OsRng)),
        };
        self.key = Some((k.clone(), k.public()));
        self.get_public_key(format)
    }

    /// `ecdh.getPublicKey(encoding, format)`.
    ///
    /// # Errors
    /// `ERR_CRYPTO_OPERATION_FAILED` ("Failed to get ECDH public key") before a key is set.
    #[doc(alias = "getPublicKey")]
    pub fn get_public_key(&self, format: PointFormat) -> Result<Vec<u8>, Error> {
        let key = self.key.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::OperationFailed, "Failed to get ECDH public key")
        })?;
        Ok(encode_point(&key.1, format))
    }

    /// `ecdh.getPrivateKey()`: the scalar as OpenSSL's `BN_bn2bin` writes it (no leading
    /// zero bytes).
    ///
    /// # Errors
    /// `ERR_CRYPTO_OPERATION_FAILED` ("Failed to get ECDH private key") before a key is set.
    #[doc(alias = "getPrivateKey")]
    pub fn get_private_key(&self) -> Result<Vec<u8>, Error> {
        let scalar = match &self.key {
            Some((Private::P256(k), _)) => k.to_bytes().to_vec(),
            Some((Private::P384(k), _)) => k.to_bytes().to_vec(),
            _ => {
                return Err(Error::new(
                    ErrorKind::OperationFailed,
                    "Failed to get ECDH private key",
                ));
            }
        };
        let first = scalar.iter().position(|&b| b != 0).unwrap_or(scalar.len());
        Ok(scalar[first..].to_vec())
    }

    /// `ecdh.setPrivateKey(privateKey)`: the public key is derived from it.
    ///
    /// # Errors
    /// `ERR_CRYPTO_INVALID_KEYTYPE` ("Private key is not valid for specified curve.") for
    /// zero, a scalar not below the group order, or more bytes than the field.
    #[doc(alias = "setPrivateKey")]
    pub fn set_private_key(&mut self, key: impl AsRef<[u8]>) -> Result<(), Error> {
        let key = key.as_ref();
        let bad = || {
            Error::new(
                ErrorKind::InvalidKeytype,
                "Private key is not valid for specified curve.",
            )
        };
        let n = match self.curve {
            NamedCurve::P256 => 32,
            NamedCurve::P384 => 48,
        };
        // OpenSSL reads the bytes as a big number: leading zeros do not count.
        let first = key.iter().position(|&b| b != 0).unwrap_or(key.len());
        let key = &key[first..];
        if key.len() > n {
            return Err(bad());
        }
        let padded = left_pad(key.to_vec(), n);
        let k = match self.curve {
            NamedCurve::P256 => {
                Private::P256(p256::SecretKey::from_slice(&padded).map_err(|_| bad())?)
            }
            NamedCurve::P384 => {
                Private::P384(p384::SecretKey::from_slice(&padded).map_err(|_| bad())?)
            }
        };
        let public = k.public();
        self.key = Some((k, public));
        Ok(())
    }

    /// `ecdh.computeSecret(otherPublicKey)`: the x coordinate of the shared point.
    ///
    /// # Errors
    /// `ERR_CRYPTO_ECDH_INVALID_PUBLIC_KEY` for bytes that are not a point of the curve;
    /// `ERR_CRYPTO_OPERATION_FAILED` before a key is set.
    #[doc(alias = "computeSecret")]
    pub fn compute_secret(&self, other_public_key: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
        let invalid = || {
            Error::new(
                ErrorKind::EcdhInvalidPublicKey,
                "Public key is not valid for specified curve",
            )
        };
        let other = other_public_key.as_ref();
        // Hybrid points (06/07) are uncompressed points with the parity in the tag.
        let mut point = other.to_vec();
        if matches!(point.first(), Some(6 | 7)) {
            let odd = point.last().is_some_and(|b| b & 1 == 1);
            if odd != (point[0] == 7) {
                return Err(invalid());
            }
            point[0] = 4;
        }
        match &self.key {
            Some((Private::P256(k), _)) => {
                let p = p256::PublicKey::from_sec1_bytes(&point).map_err(|_| invalid())?;
                Ok(
                    p256::ecdh::diffie_hellman(k.to_nonzero_scalar(), p.as_affine())
                        .raw_secret_bytes()
                        .to_vec(),
                )
            }
            Some((Private::P384(k), _)) => {
                let p = p384::PublicKey::from_sec1_bytes(&point).map_err(|_| invalid())?;
                Ok(
                    p384::ecdh::diffie_hellman(k.to_nonzero_scalar(), p.as_affine())
                        .raw_secret_bytes()
                        .to_vec(),
                )
            }
            _ => Err(invalid()),
        }
    }
}
