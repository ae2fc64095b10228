//! The `crypto` record family: `crypto.createHash`, `createHmac`, `pbkdf2Sync`, `hkdfSync`,
//! `scryptSync`, `cipher`, `decipher`, `timingSafeEqual` and `getCipherInfo` (the call sequences are in
//! `fixtures/README.md`), answered by `nodestd-crypto`.
//!
//! Bytes travel as `{"$bytes": base64}` both ways (through [`crate::bytes`]); a JSON string
//! is a JavaScript string, i.e. its UTF-8 bytes. Digests come out through nodestd-buffer's
//! [`Encoding`], which nodestd-crypto re-exports.
//! Node's JavaScript-side checks happen here, in Node's order, before the crate is called:
//! `validateString` (`ERR_INVALID_ARG_TYPE`), byte sources (string or buffer, else
//! `ERR_INVALID_ARG_TYPE`), `validateInt32`/`validateUint32`/`validateInteger` (wrong type:
//! `ERR_INVALID_ARG_TYPE`; not an integer or out of range: `ERR_OUT_OF_RANGE`) and
//! `authTagLength` (anything but a non-negative integer: `ERR_INVALID_ARG_VALUE`).

use crate::bytes::{from_value as as_bytes, to_value as bytes_value};
use nodestd_crypto::{
    self as crypto, AadOptions, CipherOptions, Encoding, HashOptions, ScryptOptions,
};
use serde_json::{Map, Value, json};

use crate::Outcome;
use crate::args::Throw;
use crate::json::{as_js_string, js_string};

/// Calls `crypto.<name>`.
pub fn call(name: &str, args: &[Value]) -> Outcome {
    match name {
        "createHash" => create_hash(args),
        "createHmac" => create_hmac(args),
        "pbkdf2Sync" => pbkdf2(args),
        "hkdfSync" => hkdf(args),
        "scryptSync" => scrypt(args),
        "cipher" => cipher(args),
        "decipher" => decipher(args),
        "timingSafeEqual" => timing_safe_equal(args),
        "getCipherInfo" => get_cipher_info(args),
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}

fn err(e: crypto::Error) -> Throw {
    Throw::new(e.code_or_name())
}

/// A JavaScript string argument (lone surrogates become U+FFFD in UTF-8, as Node writes them).
fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        other => as_js_string(other).map(|u| String::from_utf16_lossy(&u)),
    }
}

/// A string or a buffer, as bytes (`getArrayBufferOrView`, `prepareSecretKey`,
/// `validateByteSource`).
fn byte_source(v: Option<&Value>) -> Result<Vec<u8>, Throw> {
    let v = v.ok_or_else(Throw::invalid_arg_type)?;
    if let Some(b) = as_bytes(v) {
        return Ok(b);
    }
    as_string(v)
        .map(String::into_bytes)
        .ok_or_else(Throw::invalid_arg_type)
}

fn string_arg(v: Option<&Value>) -> Result<String, Throw> {
    v.and_then(as_string).ok_or_else(Throw::invalid_arg_type)
}

/// A number validated as an integer in `min..=max` (`validateInteger` and its kin): not a
/// number is `ERR_INVALID_ARG_TYPE`, anything else wrong is `ERR_OUT_OF_RANGE`.
fn integer(v: Option<&Value>, min: f64, max: f64) -> Result<f64, Throw> {
    let n = match v {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        _ => return Err(Throw::invalid_arg_type()),
    };
    if n.fract() != 0.0 || !(min..=max).contains(&n) {
        return Err(Throw::new("ERR_OUT_OF_RANGE"));
    }
    Ok(n)
}

const INT32_MAX: f64 = 2147483647.0;
const UINT32_MAX: f64 = 4294967295.0;

/// The chunks of `update` calls, each a string or bytes.
fn chunks(v: Option<&Value>) -> Result<Vec<Vec<u8>>, Throw> {
    match v {
        Some(Value::Array(items)) => items.iter().map(|c| byte_source(Some(c))).collect(),
        _ => Err(Throw::new("ERR_INVALID_RECORD")),
    }
}

/// A digest rendered as Node's `digest(outputEncoding)` returns it.
fn digest_value(d: &[u8], encoding: Option<&Value>) -> Value {
    match encoding
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
        .and_then(Encoding::parse)
    {
        Some(Encoding::Utf16Le) => js_string(&Encoding::Utf16Le.decode_utf16(d)),
        Some(e) => Value::String(e.decode(d)),
        None => bytes_value(d),
    }
}

fn options(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn create_hash(args: &[Value]) -> Outcome {
    let algorithm = string_arg(args.first())?;
    let mut opts = HashOptions::default();
    if let Some(o) = options(args.get(1)) {
        if let Some(len) = o.get("outputLength") {
            opts.output_length = Some(integer(Some(len), 0.0, UINT32_MAX)? as usize);
        }
    }
    let mut h = crypto::create_hash_with(&algorithm, opts).map_err(err)?;
    for chunk in chunks(args.get(2))? {
        h.update(chunk).map_err(err)?;
    }
    let d = h.digest().map_err(err)?;
    Ok(digest_value(&d, args.get(3)))
}

fn create_hmac(args: &[Value]) -> Outcome {
    let algorithm = string_arg(args.first())?;
    let key = byte_source(args.get(1))?;
    let mut h = crypto::create_hmac(&algorithm, key).map_err(err)?;
    for chunk in chunks(args.get(2))? {
        h.update(chunk).map_err(err)?;
    }
    Ok(digest_value(&h.digest(), args.get(3)))
}

fn pbkdf2(args: &[Value]) -> Outcome {
    let digest = string_arg(args.get(4))?;
    let password = byte_source(args.first())?;
    let salt = byte_source(args.get(1))?;
    let iterations = integer(args.get(2), 1.0, INT32_MAX)?;
    let keylen = integer(args.get(3), 0.0, INT32_MAX)?;
    crypto::pbkdf2_sync(password, salt, iterations as u64, keylen as u64, &digest)
        .map(|k| bytes_value(&k))
        .map_err(err)
}

fn hkdf(args: &[Value]) -> Outcome {
    let digest = string_arg(args.first())?;
    let ikm = byte_source(args.get(1))?;
    let salt = byte_source(args.get(2))?;
    let info = byte_source(args.get(3))?;
    let keylen = integer(args.get(4), 0.0, 4294967296.0)?;
    crypto::hkdf_sync(&digest, ikm, salt, info, keylen as u64)
        .map(|k| bytes_value(&k))
        .map_err(err)
}

fn scrypt(args: &[Value]) -> Outcome {
    let password = byte_source(args.first())?;
    let salt = byte_source(args.get(1))?;
    let keylen = integer(args.get(2), 0.0, INT32_MAX)?;
    let mut opts = ScryptOptions::default();
    if let Some(o) = options(args.get(3)) {
        let uint32 = |key: &str| -> Result<Option<u32>, Throw> {
            match o.get(key) {
                None => Ok(None),
                v => Ok(Some(integer(v, 0.0, UINT32_MAX)? as u32)),
            }
        };
        // Node reads each parameter and then its alias, throwing on the second name as soon
        // as both are present.
        let both = || Throw::new("ERR_CRYPTO_SCRYPT_INVALID_PARAMETER");
        opts.n = uint32("N")?;
        if o.contains_key("cost") && opts.n.is_some() {
            return Err(both());
        }
        opts.cost = uint32("cost")?;
        opts.r = uint32("r")?;
        if o.contains_key("blockSize") && opts.r.is_some() {
            return Err(both());
        }
        opts.block_size = uint32("blockSize")?;
        opts.p = uint32("p")?;
        if o.contains_key("parallelization") && opts.p.is_some() {
            return Err(both());
        }
        opts.parallelization = uint32("parallelization")?;
        if let Some(m) = o.get("maxmem") {
            opts.maxmem = Some(integer(Some(m), 0.0, 9007199254740991.0)? as u64);
        }
    }
    crypto::scrypt_sync(password, salt, keylen as u64, &opts)
        .map(|k| bytes_value(&k))
        .map_err(err)
}

/// `createCipheriv`'s arguments, checked.
struct CipherArgs {
    algorithm: String,
    key: Vec<u8>,
    iv: Option<Vec<u8>>,
    opts: CipherOptions,
}

/// `createCipheriv`'s arguments: the name, key and IV checks of Node's JavaScript, and the
/// `authTagLength` option.
fn cipher_args(args: &[Value]) -> Result<CipherArgs, Throw> {
    let algorithm = string_arg(args.first())?;
    let mut opts = CipherOptions::default();
    if let Some(len) = options(args.get(4)).and_then(|o| o.get("authTagLength")) {
        match len.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= UINT32_MAX => {
                opts.auth_tag_length = Some(n as usize)
            }
            _ => return Err(Throw::new("ERR_INVALID_ARG_VALUE")),
        }
    }
    let key = byte_source(args.get(1))?;
    let iv = match args.get(2) {
        Some(Value::Null) => None,
        v => Some(byte_source(v)?),
    };
    Ok(CipherArgs {
        algorithm,
        key,
        iv,
        opts,
    })
}

/// The `setAAD` call a record's options ask for: `aad` (empty when only `plaintextLength` is
/// given) and `plaintextLength`, which Node's `getUIntOption` wants a uint32
/// (`ERR_INVALID_ARG_VALUE`).
fn aad_args(o: Option<&Map<String, Value>>) -> Result<Option<(Vec<u8>, AadOptions)>, Throw> {
    let Some(o) = o else { return Ok(None) };
    let (aad, len) = (o.get("aad"), o.get("plaintextLength"));
    if aad.is_none() && len.is_none() {
        return Ok(None);
    }
    let plaintext_length = match len {
        None => None,
        Some(v) => match v.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= UINT32_MAX => Some(n as u32),
            _ => return Err(Throw::new("ERR_INVALID_ARG_VALUE")),
        },
    };
    let aad = match aad {
        Some(a) => byte_source(Some(a))?,
        None => Vec::new(),
    };
    Ok(Some((aad, AadOptions { plaintext_length })))
}

fn cipher(args: &[Value]) -> Outcome {
    let a = cipher_args(args)?;
    let mut c =
        crypto::create_cipheriv(&a.algorithm, a.key, a.iv.as_deref(), a.opts).map_err(err)?;
    let o = options(args.get(4));
    if let Some((aad, opts)) = aad_args(o)? {
        c.set_aad_with(aad, opts).map_err(err)?;
    }
    if o.and_then(|o| o.get("autoPadding")) == Some(&Value::Bool(false)) {
        c.set_auto_padding(false).map_err(err)?;
    }
    let mut data = Vec::new();
    for chunk in chunks(args.get(3))? {
        data.extend(c.update(chunk).map_err(err)?);
    }
    data.extend(c.finalize().map_err(err)?);
    let tag = if c.algorithm().is_aead() {
        bytes_value(&c.get_auth_tag().map_err(err)?)
    } else {
        Value::Null
    };
    let mut m = Map::new();
    m.insert("data".into(), bytes_value(&data));
    m.insert("tag".into(), tag);
    Ok(Value::Object(m))
}

fn decipher(args: &[Value]) -> Outcome {
    let a = cipher_args(args)?;
    let mut d =
        crypto::create_decipheriv(&a.algorithm, a.key, a.iv.as_deref(), a.opts).map_err(err)?;
    let o = options(args.get(4));
    if let Some((aad, opts)) = aad_args(o)? {
        d.set_aad_with(aad, opts).map_err(err)?;
    }
    if let Some(tag) = o.and_then(|o| o.get("authTag")) {
        d.set_auth_tag(byte_source(Some(tag))?).map_err(err)?;
    }
    if o.and_then(|o| o.get("autoPadding")) == Some(&Value::Bool(false)) {
        d.set_auto_padding(false).map_err(err)?;
    }
    let mut data = d.update(byte_source(args.get(3))?).map_err(err)?;
    data.extend(d.finalize().map_err(err)?);
    Ok(bytes_value(&data))
}

fn timing_safe_equal(args: &[Value]) -> Outcome {
    let buffer = |v: Option<&Value>| v.and_then(as_bytes).ok_or_else(Throw::invalid_arg_type);
    let a = buffer(args.first())?;
    let b = buffer(args.get(1))?;
    crypto::timing_safe_equal(a, b)
        .map(Value::Bool)
        .map_err(err)
}

/// `getCipherInfo(nameOrNid, options)`: Node's `validateString`-or-`validateInt32` of the
/// name and `validateInt32` of each length come first; `undefined` is `null`.
fn get_cipher_info(args: &[Value]) -> Outcome {
    enum Id {
        Name(String),
        Nid(i32),
    }
    let int32 = |v: &Value| integer(Some(v), -2147483648.0, INT32_MAX).map(|n| n as i32);
    let id = match args.first() {
        Some(n @ Value::Number(_)) => Id::Nid(int32(n)?),
        v => Id::Name(string_arg(v)?),
    };
    let mut opts = crypto::CipherInfoOptions::default();
    if let Some(o) = args.get(1).filter(|v| !v.is_null()) {
        let o = o.as_object().ok_or_else(Throw::invalid_arg_type)?;
        if let Some(n) = o.get("keyLength") {
            opts.key_length = Some(int32(n)?);
        }
        if let Some(n) = o.get("ivLength") {
            opts.iv_length = Some(int32(n)?);
        }
    }
    let info = match id {
        Id::Nid(nid) => crypto::get_cipher_info_by_nid(nid, opts),
        Id::Name(name) => crypto::get_cipher_info(&name, opts),
    };
    Ok(info.as_ref().map_or(Value::Null, cipher_info_value))
}

/// `getCipherInfo`'s object as JSON, in Node's key order (absent fields left out).
pub fn cipher_info_value(info: &crypto::CipherInfo) -> Value {
    let mut m = Map::new();
    m.insert("mode".into(), info.mode.into());
    m.insert("name".into(), info.name.into());
    m.insert("nid".into(), info.nid.into());
    if let Some(n) = info.block_size {
        m.insert("blockSize".into(), n.into());
    }
    if let Some(n) = info.iv_length {
        m.insert("ivLength".into(), n.into());
    }
    m.insert("keyLength".into(), info.key_length.into());
    Value::Object(m)
}

/// JWK import (`createPrivateKey`/`createPublicKey` of `{ key: jwk, format: 'jwk' }`) answered
/// as `node/crypto_jwk_driver.js` answers it: `{fn, jwk, result}` with the key's `type`,
/// `akt`, `jwk` export and PEM (`pkcs8` and its public half's `spki` for a private key,
/// `spki` for a public one), or `{fn, jwk, throws: {code, name, message}}`. Compare the
/// serialized lines: member order is part of the answer.
pub fn jwk_answer(fn_name: &str, jwk: &Value) -> Value {
    use nodestd_crypto::{KeyEncoding, KeyInput};
    let made = match fn_name {
        "createPrivateKey" => crypto::create_private_key(KeyInput::Jwk(jwk)),
        "createPublicKey" => crypto::create_public_key(KeyInput::Jwk(jwk)),
        _ => return json!({"fn": fn_name, "jwk": jwk, "throws": "not answered here"}),
    };
    let described = made.and_then(|k| {
        let mut out = Map::new();
        out.insert("type".into(), json!(k.type_().as_str()));
        out.insert(
            "akt".into(),
            json!(k.asymmetric_key_type().map(|t| t.as_str())),
        );
        out.insert("jwk".into(), k.export_jwk().to_value());
        if k.type_() == crypto::KeyType::Private {
            out.insert("pem".into(), json!(k.export_pem(KeyEncoding::Pkcs8)?));
            let spki = k.public_key()?.export_pem(KeyEncoding::Spki)?;
            out.insert("spki".into(), json!(spki));
        } else {
            out.insert("pem".into(), json!(k.export_pem(KeyEncoding::Spki)?));
        }
        Ok(Value::Object(out))
    });
    match described {
        Ok(result) => json!({"fn": fn_name, "jwk": jwk, "result": result}),
        Err(e) => json!({"fn": fn_name, "jwk": jwk, "throws": {
            "code": e.code(), "name": e.name().as_str(), "message": e.message()}}),
    }
}

/// Whether a difference between node's answer and [`jwk_answer`]'s is one of nodestd-crypto's
/// documented deviations (its lib.rs), and which:
/// - Ed448, X448, P-521 and secp256k1 keys: `ERR_CRYPTO_UNSUPPORTED_OPERATION` here, after
///   Node's own checks of the members' types and, for Ed448/X448, lengths;
/// - RSA members that are not a consistent key (OpenSSL stores them unchecked), an EC `d`
///   that is zero, not below the group order or longer than the field (OpenSSL stores it;
///   node aborts exporting an overlong one as JWK) and an Ed25519 `x` that is not a curve
///   point (OpenSSL fails at use): `ERR_CRYPTO_INVALID_JWK` here where node made a key.
pub fn jwk_deviation(node: &Value, ours: &Value) -> Option<&'static str> {
    let code = ours["throws"]["code"].as_str()?;
    let node_ok = node.get("result").is_some();
    let node_invalid = node["throws"]["code"] == "ERR_CRYPTO_INVALID_JWK";
    let jwk = &ours["jwk"];
    let crv = jwk["crv"].as_str().unwrap_or("");
    match (jwk["kty"].as_str(), code) {
        (Some("OKP" | "EC"), "ERR_CRYPTO_UNSUPPORTED_OPERATION")
            if ["Ed448", "X448", "P-521", "secp256k1"].contains(&crv)
                && (node_ok || node_invalid) =>
        {
            Some("key type not supported")
        }
        (Some("RSA"), "ERR_CRYPTO_INVALID_JWK") if node_ok => {
            Some("RSA members that make no consistent key")
        }
        (Some("OKP"), "ERR_CRYPTO_INVALID_JWK")
            if node_ok && crv == "Ed25519" && ours["fn"] == "createPublicKey" =>
        {
            Some("Ed25519 x not a curve point")
        }
        // The point is good (the public key imports here), so `d` is what was refused.
        (Some("EC"), "ERR_CRYPTO_INVALID_JWK")
            if node_ok
                && ours["fn"] == "createPrivateKey"
                && crypto::create_public_key(nodestd_crypto::KeyInput::Jwk(jwk)).is_ok() =>
        {
            Some("EC d of zero, at least the order, or longer than the field")
        }
        _ => None,
    }
}
