//! JWK import: `createPrivateKey({ key, format: 'jwk' })` and `createPublicKey` of a JSON Web
//! Key, as Node v20's `getKeyObjectHandleFromJwk` (lib/internal/crypto/keys.js) checks it and
//! the C++ `ImportJWKRsaKey` / `ImportJWKEcKey` / `initEDRaw` behind it read it: the checks in
//! Node's order with its messages, members decoded as `Buffer.from(s, 'base64')` decodes
//! (both alphabets, other characters skipped, `=` ends the input), big numbers as OpenSSL's
//! `BN_bin2bn` reads them (leading zeros dropped).

use nodestd_buffer::Encoding as Enc;
use serde_json::{Map, Value};

use crate::keys::{Key, NamedCurve, Private, Public, ec_point, ec_secret, unsupported_operation};
use crate::{Error, ErrorKind};

/// The key (`ctx` public or private) a JWK stands for.
pub(crate) fn import(jwk: &Value, public: bool) -> Result<Key, Error> {
    let Value::Object(obj) = jwk else {
        return Err(invalid_type("key.key", "object", Some(jwk)));
    };
    let kty = obj.get("kty");
    match kty.and_then(Value::as_str) {
        Some("OKP") => okp(obj, public),
        Some("EC") => ec(obj, public),
        Some("RSA") => rsa(obj, public),
        _ => Err(one_of("key.kty", &["RSA", "EC", "OKP"], kty)),
    }
}

/// `Ed25519`/`X25519` (and Node's `Ed448`/`X448`, which this crate does not handle): the
/// private key from `d` alone (`x` must be a string but is not read), the public one from `x`.
fn okp(obj: &Map<String, Value>, public: bool) -> Result<Key, Error> {
    let crv = string(obj, "crv")?;
    if !["Ed25519", "Ed448", "X25519", "X448"].contains(&crv) {
        return Err(one_of(
            "key.crv",
            &["Ed25519", "Ed448", "X25519", "X448"],
            obj.get("crv"),
        ));
    }
    let x = string(obj, "x")?;
    let data = if public {
        Enc::Base64.encode(x)
    } else {
        Enc::Base64.encode(string(obj, "d")?)
    };
    let want = match crv {
        "Ed448" => 57,
        "X448" => 56,
        _ => 32,
    };
    if data.len() != want {
        return Err(invalid_jwk("Invalid JWK data"));
    }
    let Ok(raw) = <[u8; 32]>::try_from(data.as_slice()) else {
        // Ed448 and X448.
        return Err(unsupported_operation());
    };
    Ok(match (crv, public) {
        ("Ed25519", true) => Key::Public(Public::Ed25519(
            // OpenSSL takes any 32 bytes and fails at use; the dalek type needs a point.
            ed25519_dalek::VerifyingKey::from_bytes(&raw)
                .map_err(|_| invalid_jwk("Invalid JWK data"))?,
        )),
        ("Ed25519", false) => Key::private(Private::Ed25519(
            ed25519_dalek::SigningKey::from_bytes(&raw),
        )),
        (_, true) => Key::Public(Public::X25519(x25519_dalek::PublicKey::from(raw))),
        (_, false) => Key::private(Private::X25519(x25519_dalek::StaticSecret::from(raw))),
    })
}

/// `P-256`/`P-384` (and Node's `P-521`/`secp256k1`, which this crate does not handle): the
/// public point from `x` and `y`, the private scalar from `d`. As in OpenSSL, a private key
/// keeps the point it was given (`d` is not checked against it).
fn ec(obj: &Map<String, Value>, public: bool) -> Result<Key, Error> {
    const CURVES: [&str; 4] = ["P-256", "secp256k1", "P-384", "P-521"];
    let crv = string(obj, "crv")?;
    if !CURVES.contains(&crv) {
        return Err(one_of("key.crv", &CURVES, obj.get("crv")));
    }
    let x = string(obj, "x")?;
    let y = string(obj, "y")?;
    let d = if public {
        None
    } else {
        Some(string(obj, "d")?)
    };
    let curve = match crv {
        "P-256" => NamedCurve::P256,
        "P-384" => NamedCurve::P384,
        _ => return Err(unsupported_operation()),
    };
    let bad = || invalid_jwk("Invalid JWK EC key");
    let n = curve.field_len();
    let coordinate = |s: &str| -> Result<Vec<u8>, Error> {
        let v = Enc::Base64.encode(s);
        let v = strip_zeros(&v);
        if v.len() > n {
            return Err(bad());
        }
        let mut out = vec![0u8; n - v.len()];
        out.extend_from_slice(v);
        Ok(out)
    };
    let mut point = vec![4u8];
    point.extend(coordinate(x)?);
    point.extend(coordinate(y)?);
    let pub_key = ec_point(curve, &point).map_err(|_| bad())?;
    match d {
        None => Ok(Key::Public(pub_key)),
        Some(d) => {
            let scalar = Enc::Base64.encode(d);
            let k = ec_secret(curve, strip_zeros(&scalar)).map_err(|_| bad())?;
            Ok(Key::Private(k, pub_key))
        }
    }
}

/// RSA: `n` and `e`, and for a private key `d`, `p`, `q`, `dp`, `dq`, `qi`.
fn rsa(obj: &Map<String, Value>, public: bool) -> Result<Key, Error> {
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    let n = string(obj, "n")?;
    let e = string(obj, "e")?;
    let mut private = Vec::new();
    if !public {
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            private.push(string(obj, m)?);
        }
    }
    let bad = || invalid_jwk("Invalid JWK RSA key");
    let big = |s: &str| rsa::BigUint::from_bytes_be(&Enc::Base64.encode(s));
    // `RsaPublicKey::new` bounds the modulus (4,096 bits) and the exponent.
    let pub_key = rsa::RsaPublicKey::new(big(n), big(e)).map_err(|_| bad())?;
    let &[d, p, q, dp, dq, qi] = private.as_slice() else {
        return Ok(Key::Public(Public::Rsa(Box::new(pub_key))));
    };
    let (d, p, q) = (big(d), big(p), big(q));
    // A consistent key's private values are all below n; bigger ones would only make the
    // checks below slow (they multiply and divide them).
    if [&d, &p, &q].iter().any(|v| *v >= pub_key.n()) {
        return Err(bad());
    }
    let k = rsa::RsaPrivateKey::from_components(
        pub_key.n().clone(),
        pub_key.e().clone(),
        d,
        vec![p, q],
    )
    .map_err(|_| bad())?;
    // The CRT values are computed from p, q and d; given ones that differ would not survive
    // a round trip (OpenSSL keeps them as given).
    let same = k.dp() == Some(&big(dp))
        && k.dq() == Some(&big(dq))
        && k.crt_coefficient() == Some(big(qi));
    if !same {
        return Err(bad());
    }
    Ok(Key::private(Private::Rsa(Box::new(k))))
}

fn strip_zeros(v: &[u8]) -> &[u8] {
    let first = v.iter().position(|&b| b != 0).unwrap_or(v.len());
    &v[first..]
}

/// A member that `validateString` requires.
fn string<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    match obj.get(name) {
        Some(Value::String(s)) => Ok(s),
        other => Err(invalid_type(&format!("key.{name}"), "string", other)),
    }
}

fn invalid_jwk(message: &str) -> Error {
    Error::new(ErrorKind::InvalidJwk, message)
}

/// `ERR_INVALID_ARG_TYPE` as `validateString`/`validateObject` throw it.
fn invalid_type(name: &str, type_: &str, actual: Option<&Value>) -> Error {
    let kind = if name.contains('.') {
        "property"
    } else {
        "argument"
    };
    Error::new(
        ErrorKind::InvalidArgType,
        format!(
            "The \"{name}\" {kind} must be of type {type_}. Received {}",
            specific_type(actual)
        ),
    )
}

/// `ERR_INVALID_ARG_VALUE` as `validateOneOf` throws it.
fn one_of(name: &str, allowed: &[&str], actual: Option<&Value>) -> Error {
    let allowed: Vec<String> = allowed.iter().map(|a| format!("'{a}'")).collect();
    let mut inspected: Vec<u16> = inspect(actual).encode_utf16().collect();
    if inspected.len() > 128 {
        inspected.truncate(128);
        inspected.extend("...".encode_utf16());
    }
    Error::new(
        ErrorKind::InvalidArgValue,
        format!(
            "The property '{name}' must be one of: {}. Received {}",
            allowed.join(", "),
            String::from_utf16_lossy(&inspected)
        ),
    )
}

/// `determineSpecificType` of lib/internal/errors.js.
fn specific_type(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::Array(_)) => "an instance of Array".into(),
        Some(Value::Object(_)) => "an instance of Object".into(),
        Some(v) => {
            let type_ = match v {
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                _ => "string",
            };
            let mut units: Vec<u16> = inspect(Some(v)).encode_utf16().collect();
            if units.len() > 28 {
                units.truncate(25);
                units.extend("...".encode_utf16());
            }
            format!("type {type_} ({})", String::from_utf16_lossy(&units))
        }
    }
}

/// `util.inspect` of a JSON value (`undefined` for a missing member).
fn inspect(v: Option<&Value>) -> String {
    nodestd_util::inspect(&v.map_or(nodestd_util::Value::Undefined, js_value))
}

/// A JSON value as `JSON.parse` makes it: an object's integer keys come first, in
/// ascending order, as JavaScript orders array-index properties.
fn js_value(v: &Value) -> nodestd_util::Value {
    use nodestd_util::Value as V;
    match v {
        Value::Null => V::Null,
        Value::Bool(b) => V::Bool(*b),
        Value::Number(n) => V::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => V::String(s.clone()),
        Value::Array(items) => V::Array(items.iter().map(js_value).collect()),
        Value::Object(members) => {
            let index = |k: &str| {
                k.parse::<u32>()
                    .ok()
                    .filter(|i| *i != u32::MAX && i.to_string() == k)
            };
            let mut entries: Vec<(Option<u32>, String, V)> = members
                .iter()
                .map(|(k, v)| (index(k), k.clone(), js_value(v)))
                .collect();
            // Stable: the other keys keep their order.
            entries.sort_by_key(|(i, ..)| i.map_or((1, 0), |i| (0, i)));
            V::Object(entries.into_iter().map(|(_, k, v)| (k, v)).collect())
        }
    }
}
