//! The `ring` routes of sign and verify, for the combinations ring implements exactly:
//! ECDSA on P-256 with SHA-256 and on P-384 with SHA-384 (signing), P-256 and P-384 with
//! SHA-256 or SHA-384 (verifying), in DER and IEEE P1363 form; RSA PKCS#1 v1.5 with
//! SHA-256/384/512, and RSA-PSS with SHA-256/384/512 and a salt as long as the digest.
//!
//! ring's assembly field and bignum arithmetic is several times faster than RustCrypto's
//! (P-256 signatures about 10x, RSA-2048 private operations about 4x, public operations
//! about 8x); everything ring does not cover stays on RustCrypto in `sign.rs`. Each function
//! here answers `None` when ring cannot take the request, and the caller then takes the
//! RustCrypto path, so ring never changes a result, only how fast it comes:
//! - ring signs only with keys it accepts (RSA: a 2048- to 4096-bit modulus of two primes
//!   whose length is a multiple of 512 bits, e at least 65537; EC: any valid key), and a key
//!   it refuses is remembered as refused;
//! - ring's verification failure cannot tell a bad key from a bad signature, so a key is
//!   checked against ring's limits first (RSA: an odd modulus of 1024 or 2048 to 8192
//!   bits depending on the digest, an odd e from 3 to 2^33 - 1);
//! - PSS goes through ring only when the salt length asked for is the digest's
//!   (`RSA_PSS_SALTLEN_DIGEST` or the digest's byte count), the one salt ring writes and
//!   checks; Node's defaults (the longest salt when signing, "auto" when verifying) stay on
//!   RustCrypto.
//!
//! A private key's ring form is built on its first signature and kept with the key object
//! (building it costs about one signature: ring checks that the halves match).

use std::sync::OnceLock;

use ring::rand::SystemRandom;
use ring::signature as rs;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

use crate::HashAlgorithm;
use crate::keys::{Private, Public};
use crate::sign::{
    DsaEncoding, RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_AUTO, RSA_PSS_SALTLEN_DIGEST, SignOptions,
};

/// A private key in ring's form.
pub(crate) enum Signer {
    /// A P-256 key (for SHA-256) or a P-384 key (for SHA-384), signing in P1363 form.
    Ecdsa(rs::EcdsaKeyPair),
    /// An RSA key of two primes.
    Rsa(rs::RsaKeyPair),
}

/// The ring form of a key object's private key: unset until the first signature ring can
/// make, then the key or `None` when ring refuses it.
#[derive(Default)]
pub(crate) struct SignerCache(OnceLock<Option<Signer>>);

impl SignerCache {
    fn get(&self, key: &Private, public: &Public) -> Option<&Signer> {
        self.0.get_or_init(|| build(key, public)).as_ref()
    }
}

fn build(key: &Private, public: &Public) -> Option<Signer> {
    let rng = SystemRandom::new();
    match key {
        Private::P256(k) => rs::EcdsaKeyPair::from_private_key_and_public_key(
            &rs::ECDSA_P256_SHA256_FIXED_SIGNING,
            &k.to_bytes(),
            &public.ec_point(false)?,
            &rng,
        )
        .ok()
        .map(Signer::Ecdsa),
        Private::P384(k) => rs::EcdsaKeyPair::from_private_key_and_public_key(
            &rs::ECDSA_P384_SHA384_FIXED_SIGNING,
            &k.to_bytes(),
            &public.ec_point(false)?,
            &rng,
        )
        .ok()
        .map(Signer::Ecdsa),
        Private::Rsa(k) => {
            let [p, q] = k.primes() else { return None };
            let one = rsa::BigUint::from(1u8);
            let dp = k.dp().cloned().unwrap_or_else(|| k.d() % (p - &one));
            let dq = k.dq().cloned().unwrap_or_else(|| k.d() % (q - &one));
            let q_inv = k.crt_coefficient()?;
            let components = ring::rsa::KeyPairComponents {
                public_key: ring::rsa::PublicKeyComponents {
                    n: k.n().to_bytes_be(),
                    e: k.e().to_bytes_be(),
                },
                d: k.d().to_bytes_be(),
                p: p.to_bytes_be(),
                q: q.to_bytes_be(),
                dP: dp.to_bytes_be(),
                dQ: dq.to_bytes_be(),
                qInv: q_inv.to_bytes_be(),
            };
            rs::RsaKeyPair::from_components(&components)
                .ok()
                .map(Signer::Rsa)
        }
        Private::Ed25519(_) | Private::X25519(_) => None,
    }
}

/// Whether the PSS salt length that `options` asks for is the digest's length, the only one
/// ring writes and checks. (`RSA_PSS_SALTLEN_AUTO` is not routed: trying ring first and
/// falling back made Node's default signatures, whose salt is the longest, 14% slower to
/// verify.)
fn salt_is_digest_len(alg: HashAlgorithm, salt_length: i32) -> bool {
    salt_length == RSA_PSS_SALTLEN_DIGEST || salt_length == alg.output_len() as i32
}

fn rsa_encoding(alg: HashAlgorithm, pss: bool) -> Option<&'static dyn rs::RsaEncoding> {
    Some(match (alg, pss) {
        (HashAlgorithm::Sha256, false) => &rs::RSA_PKCS1_SHA256,
        (HashAlgorithm::Sha384, false) => &rs::RSA_PKCS1_SHA384,
        (HashAlgorithm::Sha512, false) => &rs::RSA_PKCS1_SHA512,
        (HashAlgorithm::Sha256, true) => &rs::RSA_PSS_SHA256,
        (HashAlgorithm::Sha384, true) => &rs::RSA_PSS_SHA384,
        (HashAlgorithm::Sha512, true) => &rs::RSA_PSS_SHA512,
        _ => return None,
    })
}

/// `sign` through ring, when ring can make this signature; `padding` is already checked.
pub(crate) fn sign(
    cache: &SignerCache,
    key: &Private,
    public: &Public,
    alg: HashAlgorithm,
    data: &[u8],
    options: &SignOptions,
) -> Option<Vec<u8>> {
    let rng = SystemRandom::new();
    match key {
        Private::P256(_) | Private::P384(_) => {
            let wanted = match key {
                Private::P256(_) => HashAlgorithm::Sha256,
                _ => HashAlgorithm::Sha384,
            };
            if alg != wanted {
                return None;
            }
            let Signer::Ecdsa(pair) = cache.get(key, public)? else {
                return None;
            };
            let fixed = pair.sign(&rng, data).ok()?;
            Some(match options.dsa_encoding {
                DsaEncoding::IeeeP1363 => fixed.as_ref().to_vec(),
                DsaEncoding::Der => p1363_to_der(fixed.as_ref()),
            })
        }
        Private::Rsa(_) => {
            let pss = options.padding == Some(RSA_PKCS1_PSS_PADDING);
            if pss
                && !options
                    .salt_length
                    .is_some_and(|s| salt_is_digest_len(alg, s))
            {
                return None;
            }
            let encoding = rsa_encoding(alg, pss)?;
            let Signer::Rsa(pair) = cache.get(key, public)? else {
                return None;
            };
            let mut sig = vec![0u8; pair.public().modulus_len()];
            pair.sign(encoding, &rng, data, &mut sig).ok()?;
            Some(sig)
        }
        Private::Ed25519(_) | Private::X25519(_) => None,
    }
}

/// `r || s` as an ASN.1 `SEQUENCE { INTEGER r, INTEGER s }` (both below 2^384, so every
/// length fits one byte).
fn p1363_to_der(fixed: &[u8]) -> Vec<u8> {
    fn integer(out: &mut Vec<u8>, bytes: &[u8]) {
        let first = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        let bytes = &bytes[first..];
        let pad = bytes[0] & 0x80 != 0;
        out.push(0x02);
        out.push((bytes.len() + usize::from(pad)) as u8);
        if pad {
            out.push(0);
        }
        out.extend_from_slice(bytes);
    }
    let (r, s) = fixed.split_at(fixed.len() / 2);
    let mut body = Vec::with_capacity(fixed.len() + 6);
    integer(&mut body, r);
    integer(&mut body, s);
    let mut out = Vec::with_capacity(body.len() + 2);
    out.push(0x30);
    out.push(body.len() as u8);
    out.extend_from_slice(&body);
    out
}

/// ring's DER verification for a curve and a digest.
fn ecdsa_asn1(key: &Public, alg: HashAlgorithm) -> Option<&'static rs::EcdsaVerificationAlgorithm> {
    Some(match (key, alg) {
        (Public::P256(_), HashAlgorithm::Sha256) => &rs::ECDSA_P256_SHA256_ASN1,
        (Public::P256(_), HashAlgorithm::Sha384) => &rs::ECDSA_P256_SHA384_ASN1,
        (Public::P384(_), HashAlgorithm::Sha256) => &rs::ECDSA_P384_SHA256_ASN1,
        (Public::P384(_), HashAlgorithm::Sha384) => &rs::ECDSA_P384_SHA384_ASN1,
        _ => return None,
    })
}

/// Whether ring takes this RSA public key for verification with a modulus of at least
/// `min_bits` (counted, as ring does, in whole bytes).
fn rsa_key_in_range(k: &rsa::RsaPublicKey, min_bits: usize) -> bool {
    let n = k.n();
    let e = k.e();
    let odd = |x: &rsa::BigUint| x.to_bytes_le().first().is_some_and(|b| b & 1 == 1);
    let e_ok = e.bits() <= 33 && e >= &rsa::BigUint::from(3u8);
    odd(n) && k.size() * 8 >= min_bits && n.bits() <= 8192 && odd(e) && e_ok
}

/// `verify` through ring, when ring's answer is the answer; `padding` is already checked
/// and the RSA signature is as long as the modulus.
pub(crate) fn verify(
    key: &Public,
    alg: HashAlgorithm,
    data: &[u8],
    signature: &[u8],
    options: &SignOptions,
) -> Option<bool> {
    use HashAlgorithm::{Sha256, Sha384, Sha512};
    match key {
        Public::P256(_) | Public::P384(_) => {
            let field = match key {
                Public::P256(_) => 32,
                _ => 48,
            };
            // ring reads P1363 only for the curve's own digest; for the other pairs the
            // signature goes to DER first, as Node itself does it for OpenSSL.
            let converted;
            let (params, signature): (&'static rs::EcdsaVerificationAlgorithm, &[u8]) =
                match (key, alg, options.dsa_encoding) {
                    (Public::P256(_), Sha256, DsaEncoding::IeeeP1363) => {
                        (&rs::ECDSA_P256_SHA256_FIXED, signature)
                    }
                    (Public::P384(_), Sha384, DsaEncoding::IeeeP1363) => {
                        (&rs::ECDSA_P384_SHA384_FIXED, signature)
                    }
                    (_, Sha256 | Sha384, DsaEncoding::IeeeP1363) => {
                        if signature.len() != 2 * field {
                            return Some(false);
                        }
                        converted = p1363_to_der(signature);
                        (ecdsa_asn1(key, alg)?, &converted[..])
                    }
                    (_, _, DsaEncoding::Der) => (ecdsa_asn1(key, alg)?, signature),
                    _ => return None,
                };
            let point = key.ec_point(false)?;
            Some(
                rs::UnparsedPublicKey::new(params, point)
                    .verify(data, signature)
                    .is_ok(),
            )
        }
        Public::Rsa(k) => {
            let pss = options.padding == Some(RSA_PKCS1_PSS_PADDING);
            let salt = options.salt_length.unwrap_or(RSA_PSS_SALTLEN_AUTO);
            if pss && !salt_is_digest_len(alg, salt) {
                return None;
            }
            let (params, min_bits): (&'static rs::RsaParameters, usize) = match (alg, pss) {
                (Sha256, false) => (&rs::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY, 1024),
                (Sha384, false) => (&rs::RSA_PKCS1_2048_8192_SHA384, 2048),
                (Sha512, false) => (&rs::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY, 1024),
                (Sha256, true) => (&rs::RSA_PSS_2048_8192_SHA256, 2048),
                (Sha384, true) => (&rs::RSA_PSS_2048_8192_SHA384, 2048),
                (Sha512, true) => (&rs::RSA_PSS_2048_8192_SHA512, 2048),
                _ => return None,
            };
            if !rsa_key_in_range(k, min_bits) {
                return None;
            }
            let public = rs::RsaPublicKeyComponents {
                n: k.n().to_bytes_be(),
                e: k.e().to_bytes_be(),
            };
            Some(public.verify(params, data, signature).is_ok())
        }
        Public::Ed25519(_) | Public::X25519(_) => None,
    }
}
