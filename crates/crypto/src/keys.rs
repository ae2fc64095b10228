//! Key objects: `crypto.KeyObject`, `createPublicKey`, `createPrivateKey`,
//! `createSecretKey` and `generateKeyPair(Sync)` for ed25519, x25519, EC P-256/P-384 and RSA,
//! with import and export in PEM and DER (SPKI, PKCS#8, SEC1, PKCS#1) and JWK (import in
//! `jwk.rs`).
//!
//! The ASN.1 parsing is RustCrypto's (`spki`, `pkcs8`, `sec1`, `rsa`'s PKCS#1); the
//! structures written for the curve keys are built here so that they are byte for byte what
//! OpenSSL writes (PKCS#8 v1 without the public key for ed25519/x25519; SEC1 inside PKCS#8
//! with the public key and without the curve, which the algorithm identifier names).

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use pkcs8::der::asn1::{AnyRef, BitStringRef, ObjectIdentifier, OctetStringRef};
use pkcs8::der::{Decode, Encode};
use pkcs8::{AlgorithmIdentifierRef, PrivateKeyInfo};
use rand_core::OsRng;
use rsa::pkcs1::{
    DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey, EncodeRsaPublicKey,
};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use spki::SubjectPublicKeyInfoRef;

use crate::{Error, ErrorKind};

const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// `keyObject.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// `'secret'`: a symmetric key.
    Secret,
    /// `'public'`.
    Public,
    /// `'private'`.
    Private,
}

impl KeyType {
    /// Node's string.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Secret => "secret",
            KeyType::Public => "public",
            KeyType::Private => "private",
        }
    }
}

/// `keyObject.asymmetricKeyType`, for the key types this crate handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AsymmetricKeyType {
    /// `'ed25519'`.
    Ed25519,
    /// `'x25519'`.
    X25519,
    /// `'ec'` (see [`KeyObject::named_curve`]).
    Ec,
    /// `'rsa'`.
    Rsa,
}

impl AsymmetricKeyType {
    /// Node's string.
    pub fn as_str(self) -> &'static str {
        match self {
            AsymmetricKeyType::Ed25519 => "ed25519",
            AsymmetricKeyType::X25519 => "x25519",
            AsymmetricKeyType::Ec => "ec",
            AsymmetricKeyType::Rsa => "rsa",
        }
    }
}

/// An elliptic curve: Node's `namedCurve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NamedCurve {
    /// NIST P-256: `'prime256v1'` (also accepted as `'P-256'`).
    P256,
    /// NIST P-384: `'secp384r1'` (also accepted as `'P-384'`).
    P384,
}

impl NamedCurve {
    /// OpenSSL's short name, as `asymmetricKeyDetails.namedCurve` gives it.
    pub fn name(self) -> &'static str {
        match self {
            NamedCurve::P256 => "prime256v1",
            NamedCurve::P384 => "secp384r1",
        }
    }

    /// The JWK `crv`: `P-256` or `P-384`.
    pub fn jwk_name(self) -> &'static str {
        match self {
            NamedCurve::P256 => "P-256",
            NamedCurve::P384 => "P-384",
        }
    }

    /// A curve by OpenSSL's short name or its NIST name (case-sensitive, as OpenSSL's
    /// lookup is). `nist` is false for `createECDH`, which takes only OpenSSL's names.
    pub(crate) fn lookup(name: &str, nist: bool) -> Result<NamedCurve, Error> {
        match name {
            "prime256v1" => Ok(NamedCurve::P256),
            "secp384r1" => Ok(NamedCurve::P384),
            "P-256" if nist => Ok(NamedCurve::P256),
            "P-384" if nist => Ok(NamedCurve::P384),
            _ => Err(Error::new(ErrorKind::InvalidCurve, "Invalid EC curve name")),
        }
    }

    fn oid(self) -> ObjectIdentifier {
        match self {
            NamedCurve::P256 => OID_P256,
            NamedCurve::P384 => OID_P384,
        }
    }

    pub(crate) fn field_len(self) -> usize {
        match self {
            NamedCurve::P256 => 32,
            NamedCurve::P384 => 48,
        }
    }
}

/// A public key.
#[derive(Clone)]
pub(crate) enum Public {
    Ed25519(ed25519_dalek::VerifyingKey),
    X25519(x25519_dalek::PublicKey),
    P256(p256::PublicKey),
    P384(p384::PublicKey),
    Rsa(Box<rsa::RsaPublicKey>),
}

/// A private key.
#[derive(Clone)]
pub(crate) enum Private {
    Ed25519(ed25519_dalek::SigningKey),
    X25519(x25519_dalek::StaticSecret),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    Rsa(Box<rsa::RsaPrivateKey>),
}

impl Private {
    pub(crate) fn public(&self) -> Public {
        match self {
            Private::Ed25519(k) => Public::Ed25519(k.verifying_key()),
            Private::X25519(k) => Public::X25519(x25519_dalek::PublicKey::from(k)),
            Private::P256(k) => Public::P256(k.public_key()),
            Private::P384(k) => Public::P384(k.public_key()),
            Private::Rsa(k) => Public::Rsa(Box::new(k.to_public_key())),
        }
    }
}

// Every `Key` lives in one `Arc` allocation, so the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
pub(crate) enum Key {
    Secret(Vec<u8>),
    Public(Public),
    /// The private key with its public half, derived once.
    Private(Private, Public),
}

impl Key {
    pub(crate) fn private(k: Private) -> Key {
        let public = k.public();
        Key::Private(k, public)
    }
}

/// Node's `KeyObject`: a secret, public or private key. Cheap to clone (shared), and `Send`,
/// so that key pairs can be made on the worker pool.
///
/// ```
/// use nodestd_crypto::{create_private_key, create_public_key, KeyEncoding};
/// let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIG2UQTVv6GgYsN8/IePXSeXSpDtgbXfQFH3KbcuJWfXP\n-----END PRIVATE KEY-----\n";
/// let private = create_private_key(pem)?;
/// assert_eq!(private.type_().as_str(), "private");
/// assert_eq!(private.asymmetric_key_type().unwrap().as_str(), "ed25519");
/// assert_eq!(private.export_pem(KeyEncoding::Pkcs8)?, pem);
/// let public = create_public_key(pem)?;
/// assert!(public.export_der(KeyEncoding::Spki)?.starts_with(&[0x30, 0x2a]));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct KeyObject {
    pub(crate) key: Arc<Key>,
    /// The private key in `ring`'s form, built by its first signature (see `fast`).
    pub(crate) signer: Arc<crate::fast::SignerCache>,
}

impl std::fmt::Debug for KeyObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("KeyObject");
        d.field("type", &self.type_().as_str());
        if let Some(t) = self.asymmetric_key_type() {
            d.field("asymmetricKeyType", &t.as_str());
        }
        d.finish_non_exhaustive()
    }
}

/// The encodings of Node's `format`/`type` options: `'spki'`, `'pkcs8'`, `'sec1'`, `'pkcs1'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyEncoding {
    /// SubjectPublicKeyInfo (public keys).
    Spki,
    /// PKCS#8 PrivateKeyInfo (private keys).
    Pkcs8,
    /// SEC1 ECPrivateKey (EC private keys).
    Sec1,
    /// PKCS#1 (RSA keys, public or private).
    Pkcs1,
}

impl KeyEncoding {
    /// Node's name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyEncoding::Spki => "spki",
            KeyEncoding::Pkcs8 => "pkcs8",
            KeyEncoding::Sec1 => "sec1",
            KeyEncoding::Pkcs1 => "pkcs1",
        }
    }

    /// An encoding by Node's name.
    pub fn from_name(name: &str) -> Option<KeyEncoding> {
        Some(match name {
            "spki" => KeyEncoding::Spki,
            "pkcs8" => KeyEncoding::Pkcs8,
            "sec1" => KeyEncoding::Sec1,
            "pkcs1" => KeyEncoding::Pkcs1,
            _ => return None,
        })
    }
}

/// The `key` argument of `createPublicKey`/`createPrivateKey`: PEM text (Node's default
/// format), DER bytes with their `type`, or a JWK.
#[derive(Debug, Clone, Copy)]
pub enum KeyInput<'a> {
    /// `{ key, format: 'pem' }`, or a plain string.
    Pem(&'a str),
    /// `{ key, format: 'der', type }`.
    Der(&'a [u8], KeyEncoding),
    /// `{ key, format: 'jwk' }`: the JWK as a JSON value (any value: Node's checks of its
    /// type and members are made, with Node's errors). [`Jwk::to_value`] turns an exported
    /// JWK into one.
    Jwk(&'a serde_json::Value),
}

impl<'a> From<&'a serde_json::Value> for KeyInput<'a> {
    fn from(jwk: &'a serde_json::Value) -> KeyInput<'a> {
        KeyInput::Jwk(jwk)
    }
}

impl<'a> From<&'a str> for KeyInput<'a> {
    fn from(pem: &'a str) -> KeyInput<'a> {
        KeyInput::Pem(pem)
    }
}

impl<'a> From<&'a String> for KeyInput<'a> {
    fn from(pem: &'a String) -> KeyInput<'a> {
        KeyInput::Pem(pem)
    }
}

// ----- errors -----

fn decoder_unsupported() -> Error {
    Error::new(
        ErrorKind::OsslUnsupported,
        "error:1E08010C:DECODER routines::unsupported",
    )
}

fn asn1_wrong_tag() -> Error {
    Error::new(
        ErrorKind::Asn1WrongTag,
        "error:068000A8:asn1 encoding routines::wrong tag",
    )
}

fn invalid_type_value(encoding: KeyEncoding) -> Error {
    Error::new(
        ErrorKind::InvalidArgValue,
        format!(
            "The property 'options.type' is invalid. Received '{}'",
            encoding.as_str()
        ),
    )
}

fn incompatible_options(encoding: &str, kind: &str) -> Error {
    Error::new(
        ErrorKind::IncompatibleKeyOptions,
        format!("The selected key encoding {encoding} can only be used for {kind} keys."),
    )
}

pub(crate) fn unsupported_operation() -> Error {
    Error::new(
        ErrorKind::UnsupportedOperation,
        "Unsupported crypto operation",
    )
}

pub(crate) fn invalid_key_object_type(found: KeyType, expected: &str) -> Error {
    Error::new(
        ErrorKind::InvalidKeyObjectType,
        format!(
            "Invalid key object type {}, expected {expected}.",
            found.as_str()
        ),
    )
}

// ----- PEM -----

/// OpenSSL's PEM reading: text before the `BEGIN` line is skipped, lines end in LF or CRLF,
/// the body is base64 in lines. Returns the label and the DER.
fn pem_decode(text: &str) -> Result<(&str, Vec<u8>), Error> {
    let start = text.find("-----BEGIN ").ok_or_else(decoder_unsupported)?;
    let rest = &text[start + 11..];
    let label_end = rest.find("-----").ok_or_else(decoder_unsupported)?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    // The BEGIN line must end the line.
    let body = body
        .strip_prefix("\r\n")
        .or_else(|| body.strip_prefix('\n'))
        .ok_or_else(decoder_unsupported)?;
    let end_marker = format!("-----END {label}-----");
    let end = body.find(&end_marker).ok_or_else(decoder_unsupported)?;
    let body = &body[..end];
    if body.contains(':') {
        // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`): legacy encrypted PEM.
        return Err(decoder_unsupported());
    }
    let b64: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = STANDARD.decode(b64).map_err(|_| decoder_unsupported())?;
    Ok((label, der))
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        // Base64 output is ASCII.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

// ----- DER -----

fn der_err<E>(_: E) -> Error {
    asn1_wrong_tag()
}

fn curve_from_params(params: Option<AnyRef<'_>>) -> Result<NamedCurve, Error> {
    let oid: ObjectIdentifier = params
        .ok_or_else(asn1_wrong_tag)?
        .decode_as()
        .map_err(der_err)?;
    match oid {
        o if o == OID_P256 => Ok(NamedCurve::P256),
        o if o == OID_P384 => Ok(NamedCurve::P384),
        _ => Err(unsupported_operation()),
    }
}

pub(crate) fn ec_secret(curve: NamedCurve, scalar: &[u8]) -> Result<Private, Error> {
    let bad = || {
        Error::new(
            ErrorKind::OsslInvalidPrivateKey,
            "error:08000080:elliptic curve routines::invalid private key",
        )
    };
    // OpenSSL accepts a scalar shorter than the field (leading zeros dropped).
    let n = curve.field_len();
    if scalar.len() > n {
        return Err(bad());
    }
    let mut padded = vec![0u8; n - scalar.len()];
    padded.extend_from_slice(scalar);
    Ok(match curve {
        NamedCurve::P256 => Private::P256(p256::SecretKey::from_slice(&padded).map_err(|_| bad())?),
        NamedCurve::P384 => Private::P384(p384::SecretKey::from_slice(&padded).map_err(|_| bad())?),
    })
}

pub(crate) fn ec_point(curve: NamedCurve, point: &[u8]) -> Result<Public, Error> {
    let bad = || {
        Error::new(
            ErrorKind::OsslInvalidEncoding,
            "error:08000066:elliptic curve routines::invalid encoding",
        )
    };
    Ok(match curve {
        NamedCurve::P256 => {
            Public::P256(p256::PublicKey::from_sec1_bytes(point).map_err(|_| bad())?)
        }
        NamedCurve::P384 => {
            Public::P384(p384::PublicKey::from_sec1_bytes(point).map_err(|_| bad())?)
        }
    })
}

fn octet_32(bytes: &[u8]) -> Result<[u8; 32], Error> {
    let inner = OctetStringRef::from_der(bytes).map_err(der_err)?;
    inner.as_bytes().try_into().map_err(|_| {
        Error::new(
            ErrorKind::OsslInvalidEncoding,
            "error:1E08010C:DECODER routines::unsupported",
        )
    })
}

fn parse_pkcs8(der: &[u8]) -> Result<(Private, Public), Error> {
    let info = PrivateKeyInfo::try_from(der).map_err(der_err)?;
    let oid = info.algorithm.oid;
    if oid == OID_ED25519 {
        let k = octet_32(info.private_key)?;
        Ok(with_public(Private::Ed25519(
            ed25519_dalek::SigningKey::from_bytes(&k),
        )))
    } else if oid == OID_X25519 {
        let k = octet_32(info.private_key)?;
        Ok(with_public(Private::X25519(
            x25519_dalek::StaticSecret::from(k),
        )))
    } else if oid == OID_EC {
        let curve = curve_from_params(info.algorithm.parameters)?;
        let ec = sec1::EcPrivateKey::try_from(info.private_key).map_err(|_| asn1_wrong_tag())?;
        ec_key(curve, &ec)
    } else if oid == OID_RSA {
        let k = rsa::RsaPrivateKey::from_pkcs8_der(der).map_err(|_| asn1_wrong_tag())?;
        Ok(with_public(Private::Rsa(Box::new(k))))
    } else {
        Err(unsupported_operation())
    }
}

fn parse_sec1(der: &[u8]) -> Result<(Private, Public), Error> {
    let ec = sec1::EcPrivateKey::try_from(der).map_err(|_| asn1_wrong_tag())?;
    let curve = match ec.parameters {
        Some(sec1::EcParameters::NamedCurve(o)) if o == OID_P256 => NamedCurve::P256,
        Some(sec1::EcParameters::NamedCurve(o)) if o == OID_P384 => NamedCurve::P384,
        Some(_) => return Err(unsupported_operation()),
        None => return Err(decoder_unsupported()),
    };
    ec_key(curve, &ec)
}

/// An EC private key with the public point written beside it, as OpenSSL keeps it (not
/// checked against the scalar; one off the curve makes the decoder fail), or derived when
/// there is none.
fn ec_key(curve: NamedCurve, ec: &sec1::EcPrivateKey<'_>) -> Result<(Private, Public), Error> {
    let k = ec_secret(curve, ec.private_key)?;
    match ec.public_key {
        Some(point) => {
            let public = ec_point(curve, point).map_err(|_| decoder_unsupported())?;
            Ok((k, public))
        }
        None => Ok(with_public(k)),
    }
}

/// A private key with the public half derived from it.
fn with_public(k: Private) -> (Private, Public) {
    let public = k.public();
    (k, public)
}

fn rsa_pkcs1_private(der: &[u8]) -> Result<(Private, Public), ()> {
    rsa::RsaPrivateKey::from_pkcs1_der(der)
        .map(|k| with_public(Private::Rsa(Box::new(k))))
        .map_err(|_| ())
}

fn parse_spki(der: &[u8]) -> Result<Public, Error> {
    let info = SubjectPublicKeyInfoRef::try_from(der).map_err(der_err)?;
    let oid = info.algorithm.oid;
    let bits = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(asn1_wrong_tag)?;
    let bad32 = || {
        Error::new(
            ErrorKind::OsslUnsupported,
            "error:1E08010C:DECODER routines::unsupported",
        )
    };
    if oid == OID_ED25519 {
        let k: [u8; 32] = bits.try_into().map_err(|_| bad32())?;
        // OpenSSL accepts any 32 bytes here and fails at use; the dalek type needs a point.
        let k = ed25519_dalek::VerifyingKey::from_bytes(&k).map_err(|_| bad32())?;
        Ok(Public::Ed25519(k))
    } else if oid == OID_X25519 {
        let k: [u8; 32] = bits.try_into().map_err(|_| bad32())?;
        Ok(Public::X25519(x25519_dalek::PublicKey::from(k)))
    } else if oid == OID_EC {
        let curve = curve_from_params(info.algorithm.parameters)?;
        ec_point(curve, bits)
    } else if oid == OID_RSA {
        let k = rsa::RsaPublicKey::from_public_key_der(der).map_err(|_| asn1_wrong_tag())?;
        Ok(Public::Rsa(Box::new(k)))
    } else {
        Err(unsupported_operation())
    }
}

/// A private key and its public half from any private-key input.
fn parse_private(input: KeyInput<'_>) -> Result<(Private, Public), Error> {
    match input {
        KeyInput::Pem(text) => {
            let (label, der) = pem_decode(text)?;
            let r = match label {
                "PRIVATE KEY" => parse_pkcs8(&der),
                "EC PRIVATE KEY" => parse_sec1(&der),
                "RSA PRIVATE KEY" => rsa_pkcs1_private(&der).map_err(|_| decoder_unsupported()),
                "ENCRYPTED PRIVATE KEY" => {
                    return Err(Error::new(
                        ErrorKind::MissingPassphrase,
                        "Passphrase required for encrypted key",
                    ));
                }
                _ => return Err(decoder_unsupported()),
            };
            // OpenSSL's PEM decoder reports any failure inside as "unsupported".
            r.map_err(|e| match e.kind() {
                ErrorKind::Asn1WrongTag => decoder_unsupported(),
                _ => e,
            })
        }
        KeyInput::Der(der, KeyEncoding::Pkcs8) => parse_pkcs8(der),
        KeyInput::Der(der, KeyEncoding::Sec1) => parse_sec1(der),
        KeyInput::Der(der, KeyEncoding::Pkcs1) => {
            rsa_pkcs1_private(der).map_err(|_| asn1_wrong_tag())
        }
        KeyInput::Der(_, e @ KeyEncoding::Spki) => Err(invalid_type_value(e)),
        // An EC key keeps the point it was given, as OpenSSL does.
        KeyInput::Jwk(jwk) => match crate::jwk::import(jwk, false)? {
            Key::Private(k, public) => Ok((k, public)),
            _ => Err(unsupported_operation()),
        },
    }
}

fn parse_public(input: KeyInput<'_>) -> Result<Public, Error> {
    match input {
        KeyInput::Pem(text) => {
            let (label, der) = pem_decode(text)?;
            let r = match label {
                "PUBLIC KEY" => parse_spki(&der),
                "RSA PUBLIC KEY" => rsa::RsaPublicKey::from_pkcs1_der(&der)
                    .map(|k| Public::Rsa(Box::new(k)))
                    .map_err(|_| decoder_unsupported()),
                // A private key gives its public half.
                _ => return parse_private(input).map(|(_, public)| public),
            };
            r.map_err(|e| match e.kind() {
                ErrorKind::Asn1WrongTag => decoder_unsupported(),
                _ => e,
            })
        }
        KeyInput::Der(der, KeyEncoding::Spki) => parse_spki(der),
        KeyInput::Der(der, KeyEncoding::Pkcs1) => {
            // PKCS#1 DER may hold either half; Node tries the public form first.
            match rsa::RsaPublicKey::from_pkcs1_der(der) {
                Ok(k) => Ok(Public::Rsa(Box::new(k))),
                Err(_) => parse_private(input).map(|(_, public)| public),
            }
        }
        KeyInput::Der(..) => parse_private(input).map(|(_, public)| public),
        KeyInput::Jwk(jwk) => match crate::jwk::import(jwk, true)? {
            Key::Public(k) => Ok(k),
            _ => Err(unsupported_operation()),
        },
    }
}

/// `crypto.createPrivateKey(key)`: a private key from PEM (`PRIVATE KEY`, `EC PRIVATE KEY`,
/// `RSA PRIVATE KEY`), DER (`pkcs8`, `sec1`, `pkcs1`) or a JWK (`OKP`, `EC` and `RSA`
/// with their private members).
///
/// ```
/// use nodestd_crypto::{create_private_key, KeyInput};
/// let jwk = serde_json::json!({"kty": "OKP", "crv": "Ed25519",
///     "d": "bZRBNW_oaBiw3z8h49dJ5dKkO2Btd9AUfcpty4lZ9c8", "x": ""});
/// let k = create_private_key(KeyInput::Jwk(&jwk))?;
/// assert_eq!(k.export_jwk().get("x"), Some("rTPfRuCyBj412nc9NbhZaJDA3dEApm5LpQswUHdEeU8"));
/// let err = create_private_key(KeyInput::Jwk(&serde_json::json!({"kty": "oct"}))).unwrap_err();
/// assert_eq!(err.code(), Some("ERR_INVALID_ARG_VALUE"));
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_OSSL_UNSUPPORTED` for PEM that does not hold a private key (OpenSSL's decoder
/// message); ASN.1 errors (`ERR_OSSL_ASN1_WRONG_TAG`) for malformed DER;
/// `ERR_MISSING_PASSPHRASE` for encrypted PKCS#8; `ERR_INVALID_ARG_VALUE` for DER of type
/// `spki`; `ERR_CRYPTO_UNSUPPORTED_OPERATION` for key types this crate does not handle.
/// For a JWK, Node's: `ERR_INVALID_ARG_TYPE` (not an object, a member missing or not a
/// string), `ERR_INVALID_ARG_VALUE` (a `kty` or `crv` Node does not know) and
/// `ERR_CRYPTO_INVALID_JWK` (members that make no key).
#[doc(alias = "createPrivateKey")]
pub fn create_private_key<'a>(key: impl Into<KeyInput<'a>>) -> Result<KeyObject, Error> {
    let (k, public) = parse_private(key.into())?;
    Ok(KeyObject::new(Key::Private(k, public)))
}

/// `crypto.createPublicKey(key)`: a public key from PEM (`PUBLIC KEY`, `RSA PUBLIC KEY`, or a
/// private key, whose public half it takes), DER (`spki`, `pkcs1`, or a private
/// encoding) or a JWK (its public members; private ones are not read).
///
/// # Errors
/// As [`create_private_key`].
#[doc(alias = "createPublicKey")]
pub fn create_public_key<'a>(key: impl Into<KeyInput<'a>>) -> Result<KeyObject, Error> {
    Ok(KeyObject::new(Key::Public(parse_public(key.into())?)))
}

/// `crypto.createSecretKey(key)`.
///
/// ```
/// let k = nodestd_crypto::create_secret_key(b"abc");
/// assert_eq!((k.type_().as_str(), k.symmetric_key_size()), ("secret", Some(3)));
/// ```
#[doc(alias = "createSecretKey")]
pub fn create_secret_key(key: impl AsRef<[u8]>) -> KeyObject {
    KeyObject::new(Key::Secret(key.as_ref().to_vec()))
}

/// A JWK as Node's `export({ format: 'jwk' })` gives it: its members in Node's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk(pub Vec<(&'static str, String)>);

impl Jwk {
    /// The JWK as a JSON object (members in Node's order), for [`KeyInput::Jwk`].
    ///
    /// ```
    /// use nodestd_crypto::{create_public_key, create_secret_key, KeyInput};
    /// let jwk = create_secret_key(b"abc").export_jwk().to_value();
    /// assert_eq!(jwk["k"], "YWJj");
    /// ```
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.0
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect(),
        )
    }

    /// A member's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `JSON.stringify` of the object (every member is a string without characters that
    /// need escaping).
    pub fn to_json(&self) -> String {
        let members: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        format!("{{{}}}", members.join(","))
    }
}

fn b64u(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn uint_bytes(n: &rsa::BigUint) -> Vec<u8> {
    n.to_bytes_be()
}

fn ec_spki(curve: NamedCurve, point: &[u8]) -> Vec<u8> {
    let oid = curve.oid();
    let Ok(bits) = BitStringRef::from_bytes(point) else {
        return Vec::new();
    };
    let info = SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid: OID_EC,
            parameters: Some(AnyRef::from(&oid)),
        },
        subject_public_key: bits,
    };
    info.to_der().unwrap_or_default()
}

fn raw_spki(oid: ObjectIdentifier, key: &[u8]) -> Vec<u8> {
    let Ok(bits) = BitStringRef::from_bytes(key) else {
        return Vec::new();
    };
    let info = SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifierRef {
            oid,
            parameters: None,
        },
        subject_public_key: bits,
    };
    info.to_der().unwrap_or_default()
}

fn raw_pkcs8(oid: ObjectIdentifier, key: &[u8]) -> Vec<u8> {
    let inner = OctetStringRef::new(key)
        .and_then(|o| o.to_der())
        .unwrap_or_default();
    let info = PrivateKeyInfo {
        algorithm: AlgorithmIdentifierRef {
            oid,
            parameters: None,
        },
        private_key: &inner,
        public_key: None,
    };
    info.to_der().unwrap_or_default()
}

fn ec_sec1(curve: NamedCurve, scalar: &[u8], point: &[u8], with_curve: bool) -> Vec<u8> {
    let ec = sec1::EcPrivateKey {
        private_key: scalar,
        parameters: with_curve.then_some(sec1::EcParameters::NamedCurve(curve.oid())),
        public_key: Some(point),
    };
    ec.to_der().unwrap_or_default()
}

fn ec_pkcs8(curve: NamedCurve, scalar: &[u8], point: &[u8]) -> Vec<u8> {
    let inner = ec_sec1(curve, scalar, point, false);
    let oid = curve.oid();
    let info = PrivateKeyInfo {
        algorithm: AlgorithmIdentifierRef {
            oid: OID_EC,
            parameters: Some(AnyRef::from(&oid)),
        },
        private_key: &inner,
        public_key: None,
    };
    info.to_der().unwrap_or_default()
}

impl Public {
    pub(crate) fn kind(&self) -> AsymmetricKeyType {
        match self {
            Public::Ed25519(_) => AsymmetricKeyType::Ed25519,
            Public::X25519(_) => AsymmetricKeyType::X25519,
            Public::P256(_) | Public::P384(_) => AsymmetricKeyType::Ec,
            Public::Rsa(_) => AsymmetricKeyType::Rsa,
        }
    }

    fn curve(&self) -> Option<NamedCurve> {
        match self {
            Public::P256(_) => Some(NamedCurve::P256),
            Public::P384(_) => Some(NamedCurve::P384),
            _ => None,
        }
    }

    /// The uncompressed SEC1 point of an EC key.
    pub(crate) fn ec_point(&self, compress: bool) -> Option<Vec<u8>> {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        match self {
            Public::P256(k) => Some(k.to_encoded_point(compress).as_bytes().to_vec()),
            Public::P384(k) => Some(k.to_encoded_point(compress).as_bytes().to_vec()),
            _ => None,
        }
    }

    fn spki(&self) -> Result<Vec<u8>, Error> {
        Ok(match self {
            Public::Ed25519(k) => raw_spki(OID_ED25519, k.as_bytes()),
            Public::X25519(k) => raw_spki(OID_X25519, k.as_bytes()),
            Public::P256(_) | Public::P384(_) => ec_spki(
                self.curve().unwrap_or(NamedCurve::P256),
                &self.ec_point(false).unwrap_or_default(),
            ),
            Public::Rsa(k) => k
                .to_public_key_der()
                .map_err(|_| unsupported_operation())?
                .into_vec(),
        })
    }

    fn jwk(&self) -> Vec<(&'static str, String)> {
        match self {
            Public::Ed25519(k) => vec![
                ("crv", "Ed25519".into()),
                ("x", b64u(k.as_bytes())),
                ("kty", "OKP".into()),
            ],
            Public::X25519(k) => vec![
                ("crv", "X25519".into()),
                ("x", b64u(k.as_bytes())),
                ("kty", "OKP".into()),
            ],
            Public::P256(_) | Public::P384(_) => {
                let curve = self.curve().unwrap_or(NamedCurve::P256);
                let point = self.ec_point(false).unwrap_or_default();
                let n = curve.field_len();
                vec![
                    ("kty", "EC".into()),
                    ("x", b64u(&point[1..1 + n])),
                    ("y", b64u(&point[1 + n..])),
                    ("crv", curve.jwk_name().into()),
                ]
            }
            Public::Rsa(k) => vec![
                ("kty", "RSA".into()),
                ("n", b64u(&uint_bytes(k.n()))),
                ("e", b64u(&uint_bytes(k.e()))),
            ],
        }
    }
}

impl Private {
    fn curve(&self) -> Option<NamedCurve> {
        match self {
            Private::P256(_) => Some(NamedCurve::P256),
            Private::P384(_) => Some(NamedCurve::P384),
            _ => None,
        }
    }

    fn scalar(&self) -> Option<Vec<u8>> {
        match self {
            Private::P256(k) => Some(k.to_bytes().to_vec()),
            Private::P384(k) => Some(k.to_bytes().to_vec()),
            _ => None,
        }
    }

    fn pkcs8(&self, public: &Public) -> Result<Vec<u8>, Error> {
        Ok(match self {
            Private::Ed25519(k) => raw_pkcs8(OID_ED25519, k.as_bytes()),
            Private::X25519(k) => raw_pkcs8(OID_X25519, k.as_bytes()),
            Private::P256(_) | Private::P384(_) => ec_pkcs8(
                self.curve().unwrap_or(NamedCurve::P256),
                &self.scalar().unwrap_or_default(),
                &public.ec_point(false).unwrap_or_default(),
            ),
            Private::Rsa(k) => k
                .to_pkcs8_der()
                .map_err(|_| unsupported_operation())?
                .as_bytes()
                .to_vec(),
        })
    }

    fn jwk(&self, public: &Public) -> Vec<(&'static str, String)> {
        let mut members = public.jwk();
        match self {
            Private::Ed25519(k) => members.insert(1, ("d", b64u(k.as_bytes()))),
            Private::X25519(k) => members.insert(1, ("d", b64u(k.as_bytes()))),
            Private::P256(_) | Private::P384(_) => {
                members.push(("d", b64u(&self.scalar().unwrap_or_default())))
            }
            Private::Rsa(k) => {
                let primes = k.primes();
                let (p, q) = (&primes[0], &primes[1]);
                members.push(("d", b64u(&uint_bytes(k.d()))));
                members.push(("p", b64u(&uint_bytes(p))));
                members.push(("q", b64u(&uint_bytes(q))));
                if let (Some(dp), Some(dq)) = (k.dp(), k.dq()) {
                    members.push(("dp", b64u(&uint_bytes(dp))));
                    members.push(("dq", b64u(&uint_bytes(dq))));
                }
                if let Some(qi) = k.crt_coefficient() {
                    members.push(("qi", b64u(&uint_bytes(&qi))));
                }
            }
        }
        members
    }
}

impl KeyObject {
    pub(crate) fn new(key: Key) -> KeyObject {
        KeyObject {
            key: Arc::new(key),
            signer: Arc::default(),
        }
    }

    /// `keyObject.type`.
    pub fn type_(&self) -> KeyType {
        match &*self.key {
            Key::Secret(_) => KeyType::Secret,
            Key::Public(_) => KeyType::Public,
            Key::Private(..) => KeyType::Private,
        }
    }

    /// `keyObject.asymmetricKeyType` (`None` for a secret key, where Node has `undefined`).
    pub fn asymmetric_key_type(&self) -> Option<AsymmetricKeyType> {
        match &*self.key {
            Key::Secret(_) => None,
            Key::Public(k) => Some(k.kind()),
            Key::Private(_, p) => Some(p.kind()),
        }
    }

    /// `keyObject.asymmetricKeyDetails.namedCurve` of an EC key.
    pub fn named_curve(&self) -> Option<NamedCurve> {
        match &*self.key {
            Key::Public(k) => k.curve(),
            Key::Private(k, _) => k.curve(),
            Key::Secret(_) => None,
        }
    }

    /// `keyObject.asymmetricKeyDetails.modulusLength` of an RSA key, in bits.
    pub fn modulus_length(&self) -> Option<usize> {
        match &*self.key {
            Key::Public(Public::Rsa(k)) => Some(k.n().bits()),
            Key::Private(Private::Rsa(k), _) => Some(k.n().bits()),
            _ => None,
        }
    }

    /// `keyObject.symmetricKeySize` of a secret key.
    pub fn symmetric_key_size(&self) -> Option<usize> {
        match &*self.key {
            Key::Secret(k) => Some(k.len()),
            _ => None,
        }
    }

    /// `keyObject.equals(other)`: same type and same key material.
    pub fn equals(&self, other: &KeyObject) -> bool {
        if self.type_() != other.type_() {
            return false;
        }
        match (&*self.key, &*other.key) {
            (Key::Secret(a), Key::Secret(b)) => crate::timing_safe_equal(a, b).unwrap_or(false),
            _ => {
                let enc = match self.type_() {
                    KeyType::Public => KeyEncoding::Spki,
                    _ => KeyEncoding::Pkcs8,
                };
                match (self.export_der(enc), other.export_der(enc)) {
                    (Ok(a), Ok(b)) => a == b,
                    _ => false,
                }
            }
        }
    }

    /// The public half: this key if it is public, derived from a private key (as
    /// `createPublicKey(privateKey)` does).
    ///
    /// # Errors
    /// `ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE` for a secret key.
    pub fn public_key(&self) -> Result<KeyObject, Error> {
        match &*self.key {
            Key::Public(_) => Ok(self.clone()),
            Key::Private(_, p) => Ok(KeyObject::new(Key::Public(p.clone()))),
            Key::Secret(_) => Err(invalid_key_object_type(
                KeyType::Secret,
                "private or public",
            )),
        }
    }

    /// `keyObject.export({ format: 'der', type })`.
    ///
    /// # Errors
    /// `ERR_CRYPTO_INCOMPATIBLE_KEY_OPTIONS` for `pkcs1` on a non-RSA key or `sec1` on a
    /// non-EC key; `ERR_INVALID_ARG_VALUE` for an encoding of the other half (`pkcs8` on a
    /// public key, `spki` on a private one) and for a secret key (use
    /// [`export_secret`](Self::export_secret)).
    #[doc(alias = "export")]
    pub fn export_der(&self, encoding: KeyEncoding) -> Result<Vec<u8>, Error> {
        self.export_labelled(encoding).map(|(_, der)| der)
    }

    /// `keyObject.export({ format: 'pem', type })`: 64-character lines, LF line ends.
    ///
    /// # Errors
    /// As [`export_der`](Self::export_der).
    #[doc(alias = "export")]
    pub fn export_pem(&self, encoding: KeyEncoding) -> Result<String, Error> {
        let (label, der) = self.export_labelled(encoding)?;
        Ok(pem_encode(label, &der))
    }

    fn export_labelled(&self, encoding: KeyEncoding) -> Result<(&'static str, Vec<u8>), Error> {
        let kind = self.asymmetric_key_type();
        match encoding {
            KeyEncoding::Pkcs1 if kind != Some(AsymmetricKeyType::Rsa) && kind.is_some() => {
                return Err(incompatible_options("pkcs1", "RSA"));
            }
            KeyEncoding::Sec1 if kind != Some(AsymmetricKeyType::Ec) && kind.is_some() => {
                return Err(incompatible_options("sec1", "EC"));
            }
            _ => {}
        }
        match (&*self.key, encoding) {
            (Key::Public(k), KeyEncoding::Spki) => Ok(("PUBLIC KEY", k.spki()?)),
            (Key::Public(Public::Rsa(k)), KeyEncoding::Pkcs1) => Ok((
                "RSA PUBLIC KEY",
                k.to_pkcs1_der()
                    .map_err(|_| unsupported_operation())?
                    .into_vec(),
            )),
            (Key::Private(k, p), KeyEncoding::Pkcs8) => Ok(("PRIVATE KEY", k.pkcs8(p)?)),
            (Key::Private(Private::Rsa(k), _), KeyEncoding::Pkcs1) => Ok((
                "RSA PRIVATE KEY",
                k.to_pkcs1_der()
                    .map_err(|_| unsupported_operation())?
                    .as_bytes()
                    .to_vec(),
            )),
            (Key::Private(k, p), KeyEncoding::Sec1) => {
                let curve = k
                    .curve()
                    .ok_or_else(|| incompatible_options("sec1", "EC"))?;
                Ok((
                    "EC PRIVATE KEY",
                    ec_sec1(
                        curve,
                        &k.scalar().unwrap_or_default(),
                        &p.ec_point(false).unwrap_or_default(),
                        true,
                    ),
                ))
            }
            (Key::Secret(_), _) => Err(Error::new(
                ErrorKind::InvalidArgValue,
                "The property 'options.format' must be one of: undefined, 'buffer', 'jwk'. Received 'pem'",
            )),
            _ => Err(invalid_type_value(encoding)),
        }
    }

    /// `keyObject.export({ format: 'jwk' })`.
    ///
    /// ```
    /// let k = nodestd_crypto::create_secret_key(b"abc");
    /// assert_eq!(k.export_jwk().to_json(), r#"{"kty":"oct","k":"YWJj"}"#);
    /// ```
    #[doc(alias = "export")]
    pub fn export_jwk(&self) -> Jwk {
        Jwk(match &*self.key {
            Key::Secret(k) => vec![("kty", "oct".into()), ("k", b64u(k))],
            Key::Public(k) => k.jwk(),
            Key::Private(k, p) => k.jwk(p),
        })
    }

    /// `keyObject.export()` of a secret key: its bytes.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for an asymmetric key (Node requires a `format` for them).
    #[doc(alias = "export")]
    pub fn export_secret(&self) -> Result<Vec<u8>, Error> {
        match &*self.key {
            Key::Secret(k) => Ok(k.clone()),
            _ => Err(Error::new(
                ErrorKind::InvalidArgValue,
                "The property 'options.format' is invalid. Received undefined",
            )),
        }
    }
}

/// The options of `generateKeyPair(Sync)` that apply to the supported types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPairOptions {
    /// `namedCurve` (type `'ec'`): `'P-256'`, `'prime256v1'`, `'P-384'` or `'secp384r1'`.
    pub named_curve: Option<String>,
    /// `modulusLength` (type `'rsa'`), in bits.
    pub modulus_length: Option<u32>,
    /// `publicExponent` (type `'rsa'`), default 65537.
    pub public_exponent: Option<u64>,
}

/// A key pair: Node's `{ publicKey, privateKey }`.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// `publicKey`.
    pub public_key: KeyObject,
    /// `privateKey`.
    pub private_key: KeyObject,
}

/// The checks of `generateKeyPair`, then the generation job.
pub(crate) fn key_pair_job(
    type_: &str,
    options: &KeyPairOptions,
) -> Result<impl FnOnce() -> Result<KeyPair, Error> + Send + 'static + use<>, Error> {
    enum Kind {
        Ed25519,
        X25519,
        Ec(NamedCurve),
        Rsa(u32, u64),
    }
    let kind = match type_ {
        "ed25519" => Kind::Ed25519,
        "x25519" => Kind::X25519,
        "ec" => {
            let name = options.named_curve.as_deref().ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgType,
                    "The \"options.namedCurve\" property must be of type string. Received undefined",
                )
            })?;
            Kind::Ec(NamedCurve::lookup(name, true)?)
        }
        "rsa" => {
            let bits = options.modulus_length.ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgType,
                    "The \"options.modulusLength\" property must be of type number. Received undefined",
                )
            })?;
            Kind::Rsa(bits, options.public_exponent.unwrap_or(65537))
        }
        "ed448" | "x448" | "dsa" | "dh" | "rsa-pss" => return Err(unsupported_operation()),
        other => {
            return Err(Error::new(
                ErrorKind::InvalidArgValue,
                format!("The argument 'type' must be a supported key type. Received '{other}'"),
            ));
        }
    };
    Ok(move || {
        let private = match kind {
            Kind::Ed25519 => Private::Ed25519(ed25519_dalek::SigningKey::generate(&mut OsRng)),
            Kind::X25519 => Private::X25519(x25519_dalek::StaticSecret::random_from_rng(OsRng)),
            Kind::Ec(NamedCurve::P256) => Private::P256(p256::SecretKey::random(&mut OsRng)),
            Kind::Ec(NamedCurve::P384) => Private::P384(p384::SecretKey::random(&mut OsRng)),
            Kind::Rsa(bits, exp) => {
                if bits < 512 {
                    return Err(Error::new(
                        ErrorKind::OsslKeySizeTooSmall,
                        "error:1C8000AB:Provider routines::key size too small",
                    ));
                }
                let k = rsa::RsaPrivateKey::new_with_exp(
                    &mut OsRng,
                    bits as usize,
                    &rsa::BigUint::from(exp),
                )
                .map_err(|e| {
                    Error::new(
                        ErrorKind::OsslUnsupported,
                        format!("RSA key generation failed: {e}"),
                    )
                })?;
                Private::Rsa(Box::new(k))
            }
        };
        let public = private.public();
        Ok(KeyPair {
            public_key: KeyObject::new(Key::Public(public.clone())),
            private_key: KeyObject::new(Key::Private(private, public)),
        })
    })
}

/// `crypto.generateKeyPairSync(type, options)` for `'ed25519'`, `'x25519'`, `'ec'` (P-256,
/// P-384) and `'rsa'`.
///
/// ```
/// use nodestd_crypto::{generate_key_pair_sync, KeyPairOptions};
/// let opts = KeyPairOptions { named_curve: Some("P-256".into()), ..Default::default() };
/// let pair = generate_key_pair_sync("ec", &opts)?;
/// assert_eq!(pair.private_key.named_curve().unwrap().name(), "prime256v1");
/// # Ok::<(), nodestd_crypto::Error>(())
/// ```
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE` for an unknown type; `ERR_INVALID_ARG_TYPE` for a missing
/// `namedCurve` or `modulusLength`; `ERR_CRYPTO_INVALID_CURVE` for another curve; the
/// code-less "key size too small" for RSA under 512 bits; `ERR_CRYPTO_UNSUPPORTED_OPERATION`
/// for the types Node has and this crate does not (ed448, x448, dsa, dh, rsa-pss).
#[doc(alias = "generateKeyPairSync")]
pub fn generate_key_pair_sync(type_: &str, options: &KeyPairOptions) -> Result<KeyPair, Error> {
    key_pair_job(type_, options)?()
}
