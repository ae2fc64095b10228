//! The fuzz targets: each takes raw bytes, shapes them into the arguments of one module's
//! parsers (NUL-separated fields, decoded as UTF-8 with replacement, as a JavaScript string
//! made from bytes would be), and checks what can be checked without Node: round trips,
//! agreement with a slow reference, invariants of Node's own algorithms.

use crate::Outcome;
use base64::Engine as _;
use nodestd_path::{posix, win32};

/// Fails with a message naming the check and the values.
macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// The input's NUL-separated fields, as strings.
pub fn fields(input: &[u8]) -> Vec<String> {
    input
        .split(|&b| b == 0)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect()
}

/// `path`: every member of `path.posix` and `path.win32` on the fields.
///
/// Checks: posix `normalize` is idempotent; posix `join` equals its definition (the non-empty
/// arguments joined by `/`, normalized); `resolve` gives an absolute, normalized path;
/// `resolve(from, relative(from, to)) == resolve(to)` (posix); `parse` then `format` gives a
/// path with the same root, dir and base (posix).
pub fn path(input: &[u8]) -> Outcome {
    let args = fields(input);
    let a = args[0].as_str();
    let b = args.get(1).map_or("", String::as_str);

    // posix
    let n = posix::normalize(a);
    check!(
        posix::normalize(&n) == n,
        "posix.normalize not idempotent: {a:?} -> {n:?}"
    );
    let joined = posix::join(&args);
    let nonempty: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let reference = if nonempty.is_empty() {
        ".".to_string()
    } else {
        posix::normalize(&nonempty.join("/"))
    };
    check!(
        joined == reference,
        "posix.join {args:?} = {joined:?}, reference {reference:?}"
    );
    let cwd = "/cwd/x";
    let r = posix::resolve_from(cwd, &args);
    check!(
        posix::is_absolute(&r),
        "posix.resolve {args:?} not absolute: {r:?}"
    );
    check!(
        r == "/" || (posix::normalize(&r) == r && !r.ends_with('/')),
        "posix.resolve {args:?} not normalized: {r:?}"
    );
    let rel = posix::relative_from(cwd, a, b);
    let back = posix::resolve_from(cwd, [a, rel.as_str()]);
    let to = posix::resolve_from(cwd, [b]);
    check!(
        back == to,
        "posix.resolve({a:?}, relative({a:?}, {b:?}) = {rel:?}) = {back:?}, want {to:?}"
    );
    let p = posix::parse(a);
    let f = posix::format(&p);
    // Only root, dir and base: Node splits `..` into name and ext differently by position
    // (`parse("//..")` has ext "", `parse("/..")` has ext ".").
    let q = posix::parse(&f);
    check!(
        (&q.root, &q.dir, &q.base) == (&p.root, &p.dir, &p.base),
        "posix.parse(format(parse({a:?}))) differs: {f:?}"
    );
    let _ = (posix::dirname(a), posix::basename(a), posix::extname(a));
    let _ = posix::basename_without_suffix(a, b);
    let _ = posix::to_namespaced_path_from(cwd, a);

    // win32
    // win32.normalize is not idempotent in Node (`\\/.//./` gives `\\\\.\\`, which
    // gives `\\`): no check, only no panic.
    let _ = win32::normalize(a);
    let _ = win32::join(&args);
    let wcwd = "C:\\cwd\\x";
    let r = win32::resolve_from(wcwd, &args);
    check!(
        win32::is_absolute(&r) || r.is_empty(),
        "win32.resolve {args:?} not absolute: {r:?}"
    );
    let _ = win32::relative_from(wcwd, a, b);
    let p = win32::parse(a);
    let _ = win32::format(&p);
    let _ = (win32::dirname(a), win32::basename(a), win32::extname(a));
    let _ = win32::basename_without_suffix(a, b);
    let _ = win32::to_namespaced_path_from(wcwd, a);
    let _ = win32::is_absolute(a);
    Ok(())
}

/// How many rounds of `format(parse(·))` may change a legacy URL before it must be stable.
pub const LEGACY_ROUNDS: usize = 6;

/// `url_legacy`: `url.parse` (the four flag combinations), `url.format`, `url.resolve` and
/// `url.resolveObject` on fields `[url, relative]`.
///
/// Checks: iterating `format(parse(·))` from `format(parse(x))` reaches a fixed point within
/// [`LEGACY_ROUNDS`] rounds. Not after one round: Node itself takes three on
/// `file:\f:\f:\f:\f:\f:\f:\f` (`fuzz_findings.rs` keeps Node's sequence).
pub fn url_legacy(input: &[u8]) -> Outcome {
    let args = fields(input);
    let a = args[0].as_str();
    let b = args.get(1).map_or("", String::as_str);
    for (qs, slashes) in [(false, false), (true, false), (false, true), (true, true)] {
        let Ok(u) = nodestd_url::parse(a, qs, slashes) else {
            continue;
        };
        let mut seen = vec![nodestd_url::format(&u)];
        for _ in 0..LEGACY_ROUNDS {
            let last = &seen[seen.len() - 1];
            let Ok(again) = nodestd_url::parse(last, qs, slashes) else {
                break;
            };
            let next = nodestd_url::format(&again);
            if next == *last {
                break;
            }
            seen.push(next);
        }
        check!(
            seen.len() <= LEGACY_ROUNDS,
            "legacy format∘parse reaches no fixed point from {a:?}: {seen:?}"
        );
        let _ = u.resolve(b);
    }
    let _ = nodestd_url::format_str(a);
    let _ = nodestd_url::resolve(a, b);
    let _ = nodestd_url::resolve_object(a, b);
    Ok(())
}

/// `url_whatwg`: `new URL(input, base)` on fields `[input, base, setter values…]`, then every
/// setter with the following fields, and `URLSearchParams`.
///
/// Checks: after parsing and after each setter, the `href` parses again and reaches a fixed
/// point of parse-then-serialize in one more step; `URLSearchParams` serializes to text that parses to the same pairs.
pub fn url_whatwg(input: &[u8]) -> Outcome {
    use nodestd_url::{URL, URLSearchParams};
    let args = fields(input);
    let a = args[0].as_str();
    let base = args.get(1).map(String::as_str);
    let reparse = |u: &URL, what: &str| -> Outcome {
        let href = u.href();
        // The setters may leave a non-special URL with credentials or a port and an empty
        // host (`dis://u:p@:6379/x`), which does not parse: Node (ada) does the same, as the
        // URL standard says.
        let hostless = u.hostname().is_empty() && u.href().contains("//");
        if hostless && !(u.username().is_empty() && u.password().is_empty() && u.port().is_empty())
        {
            return Ok(());
        }
        let again = URL::parse(href, None)
            .map_err(|e| format!("{what}: href {href:?} does not re-parse: {e}"))?;
        // One parse of an href may still change it, in Node too: a setter can keep
        // `file://h/C|`, which parses to `file://h/C:`, and a base such as
        // `http:/a/;b/c/../d` leaves a `..` segment that the next parse removes. The second
        // serialization must be the fixed point.
        let fixed = URL::parse(again.href(), None)
            .map_err(|e| format!("{what}: href {:?} does not re-parse: {e}", again.href()))?;
        check!(
            fixed.href() == again.href(),
            "{what}: href {href:?} re-parses to {:?}, then {:?}",
            again.href(),
            fixed.href()
        );
        Ok(())
    };
    let params = URLSearchParams::new(a);
    let text = params.to_string();
    let again = URLSearchParams::new(&text);
    check!(
        params.entries().eq(again.entries()),
        "URLSearchParams({a:?}) -> {text:?} re-parses differently"
    );
    let _ = nodestd_url::domain_to_ascii(a);
    let _ = nodestd_url::domain_to_unicode(a);
    let _ = nodestd_url::file_url_to_path(a);
    let _ = nodestd_url::path_to_file_url_from("/cwd", a);
    let Ok(mut u) = URL::parse(a, base) else {
        return Ok(());
    };
    reparse(&u, &format!("new URL({a:?}, {base:?})"))?;
    let _ = (u.origin(), u.search_params(), u.to_http_options());
    let values = args.iter().skip(2).chain(std::iter::once(&args[0]));
    type Setter = fn(&mut URL, &str);
    let setters: [(&str, Setter); 10] = [
        ("protocol", |u, v| u.set_protocol(v)),
        ("username", |u, v| u.set_username(v)),
        ("password", |u, v| u.set_password(v)),
        ("host", |u, v| u.set_host(v)),
        ("hostname", |u, v| u.set_hostname(v)),
        ("port", |u, v| u.set_port(v)),
        ("pathname", |u, v| u.set_pathname(v)),
        ("search", |u, v| u.set_search(v)),
        ("hash", |u, v| u.set_hash(v)),
        ("href", |u, v| {
            let _ = u.set_href(v);
        }),
    ];
    for (i, v) in values.enumerate() {
        let (name, set) = setters[(i + v.len()) % setters.len()];
        set(&mut u, v);
        reparse(&u, &format!("after {name} = {v:?}"))?;
    }
    Ok(())
}

/// `querystring`: `parse`, `stringify`, `escape`, `unescape`, `unescapeBuffer` on the input.
///
/// Checks: `parse(stringify(parse(x))) == parse(x)`; `unescape(escape(s)) == s`; `escape`
/// gives ASCII.
pub fn querystring(input: &[u8]) -> Outcome {
    use nodestd_querystring::{
        Primitive, QueryValue, StringifyValue, escape, parse, stringify, unescape, unescape_buffer,
    };
    let s = String::from_utf8_lossy(input);
    let e = escape(&s);
    check!(e.is_ascii(), "escape({s:?}) is not ASCII: {e:?}");
    check!(unescape(&e) == s, "unescape(escape({s:?})) differs");
    let _ = unescape(&s);
    let _ = unescape_buffer(&s, true);
    let _ = nodestd_querystring::decode_uri_component(&s);
    let parsed = parse(&s);
    let values: Vec<(String, StringifyValue)> = parsed
        .iter()
        .map(|(k, v)| {
            let list = match v {
                QueryValue::Single(x) => vec![Primitive::Str(x.clone())],
                QueryValue::Multiple(xs) => xs.iter().map(|x| Primitive::Str(x.clone())).collect(),
            };
            (k.to_string(), StringifyValue::List(list))
        })
        .collect();
    let text = stringify(values.iter().map(|(k, v)| (k.as_str(), v)));
    let again = parse(&text);
    let first: Vec<_> = parsed.iter().collect();
    let second: Vec<_> = again.iter().collect();
    check!(
        first == second,
        "parse(stringify(parse({s:?}))) differs: via {text:?}"
    );
    Ok(())
}

/// `parse_args`: `util.parseArgs` with a fixed set of options on the fields as `args`, strict
/// and not, with tokens.
///
/// Checks: the non-strict parse never fails (Node's `strict: false` never throws on `args`);
/// parsing is deterministic.
pub fn parse_args(input: &[u8]) -> Outcome {
    use nodestd_process::parse_args::{OptionConfig, ParseArgsConfig};
    let args = fields(input);
    let config = ParseArgsConfig::new()
        .args(args.iter().cloned())
        .option("verbose", OptionConfig::boolean().short("v"))
        .option("color", OptionConfig::boolean())
        .option("out", OptionConfig::string().short("o"))
        .option("inc", OptionConfig::string().short("I").multiple(true))
        .option("n", OptionConfig::boolean().short("n").multiple(true))
        .tokens(true);
    let strict = config.clone().strict(true).allow_negative(true);
    let first = strict.parse();
    check!(
        first == strict.parse(),
        "parseArgs not deterministic on {args:?}"
    );
    let loose = config.strict(false).allow_positionals(true);
    if let Err(e) = loose.parse() {
        return Err(format!("strict: false failed on {args:?}: {e}"));
    }
    Ok(())
}

/// The cap every decompression below runs with: Node's `maxOutputLength`.
const MAX_OUTPUT: u64 = 1 << 20;

/// `zlib_inflate`: the input through every decompressor (`inflateSync`, `gunzipSync`,
/// `inflateRawSync`, `unzipSync`, `brotliDecompressSync`) with `maxOutputLength` 1 MiB, and
/// every compressor then its decompressor.
///
/// Checks: an answer never exceeds `maxOutputLength`; `inflate(deflate(x)) == x` for the
/// four formats.
pub fn zlib_inflate(input: &[u8]) -> Outcome {
    use nodestd_zlib::{Mode, Options, sync};
    let capped = Options {
        max_output_length: Some(MAX_OUTPUT),
        ..Options::default()
    };
    for mode in [
        Mode::Inflate,
        Mode::Gunzip,
        Mode::InflateRaw,
        Mode::Unzip,
        Mode::BrotliDecode,
    ] {
        if let Ok(out) = sync(mode, input, &capped) {
            check!(
                out.len() as u64 <= MAX_OUTPUT,
                "{mode:?}: {} bytes out, over maxOutputLength",
                out.len()
            );
        }
    }
    let fast = Options {
        level: Some(1),
        // BROTLI_PARAM_QUALITY = 1: the fastest brotli, for executions per second.
        params: vec![(1, 1)],
        ..Options::default()
    };
    for (pack, unpack) in [
        (Mode::Deflate, Mode::Inflate),
        (Mode::Gzip, Mode::Gunzip),
        (Mode::DeflateRaw, Mode::InflateRaw),
        (Mode::BrotliEncode, Mode::BrotliDecode),
    ] {
        let packed = sync(pack, input, &fast).map_err(|e| format!("{pack:?} failed: {e}"))?;
        let back = sync(unpack, &packed, &capped).map_err(|e| format!("{unpack:?} failed: {e}"))?;
        check!(back == input, "{unpack:?}({pack:?}(x)) != x");
    }
    Ok(())
}

/// The ciphers the `decipher` target drives: `(name, key length, iv length, tag length)`.
const CIPHERS: &[(&str, usize, usize, usize)] = &[
    ("aes-128-cbc", 16, 16, 0),
    ("aes-256-cbc", 32, 16, 0),
    ("aes-128-ctr", 16, 16, 0),
    ("aes-192-ecb", 24, 0, 0),
    ("aes-256-gcm", 32, 12, 16),
    ("aes-128-ccm", 16, 12, 16),
    ("aes-128-ocb", 16, 12, 16),
    ("chacha20-poly1305", 32, 12, 16),
    ("des-ede3-cbc", 24, 8, 0),
    ("aes-256-cfb8", 32, 16, 0),
];

/// CCM's `setAAD` options: the plaintext length.
fn aad(len: usize) -> nodestd_crypto::AadOptions {
    nodestd_crypto::AadOptions {
        plaintext_length: Some(len as u32),
    }
}

/// Takes `n` bytes from the front of `rest` (fewer if it is short).
fn take<'a>(rest: &mut &'a [u8], n: usize) -> &'a [u8] {
    let (head, tail) = rest.split_at(n.min(rest.len()));
    *rest = tail;
    head
}

/// `decipher`: byte 0 picks a cipher, byte 1 whether key/iv lengths come from the input
/// (so wrong lengths are tried too); then key, iv, tag and data from the input. Decrypts the
/// data (with the tag for AEAD ciphers, padding on or off), and encrypts it then decrypts.
///
/// Checks: `decipher(cipher(x)) == x` with the same key and iv; a wrong tag or bad padding
/// is an error, never a panic.
pub fn decipher(input: &[u8]) -> Outcome {
    use nodestd_crypto::{CipherOptions, create_cipheriv, create_decipheriv};
    let mut rest = input;
    let pick = take(&mut rest, 1).first().copied().unwrap_or(0);
    let flags = take(&mut rest, 1).first().copied().unwrap_or(0);
    let (name, key_len, iv_len, tag_len) = CIPHERS[pick as usize % CIPHERS.len()];
    let (key_len, iv_len) = if flags & 1 != 0 {
        let k = take(&mut rest, 1).first().copied().unwrap_or(0) as usize % 40;
        let i = take(&mut rest, 1).first().copied().unwrap_or(0) as usize % 20;
        (k, i)
    } else {
        (key_len, iv_len)
    };
    let key = take(&mut rest, key_len).to_vec();
    let iv = take(&mut rest, iv_len).to_vec();
    let tag = take(&mut rest, tag_len).to_vec();
    let data = rest;
    let iv_arg = (iv_len > 0 || flags & 2 != 0).then_some(iv.as_slice());
    // CCM needs the plaintext length before the data.
    let ccm = name.ends_with("-ccm");
    let padding = flags & 4 == 0;

    if let Ok(mut d) = create_decipheriv(name, &key, iv_arg, CipherOptions::default()) {
        let _ = d.set_auto_padding(padding);
        if tag_len > 0 {
            let _ = d.set_auth_tag(&tag);
        }
        if ccm {
            let _ = d.set_aad_with([], aad(data.len()));
        }
        // Split the data at a point chosen by the input, as stream chunks would be.
        let cut = (flags as usize >> 3).min(data.len());
        let _ = d.update(&data[..cut]);
        let _ = d.update(&data[cut..]);
        let _ = d.finalize();
        let _ = d.update(data);
    }

    let Ok(mut c) = create_cipheriv(name, &key, iv_arg, CipherOptions::default()) else {
        return Ok(());
    };
    if ccm {
        c.set_aad_with([], aad(data.len()))
            .map_err(|e| format!("{name}: setAAD: {e}"))?;
    }
    let mut sealed = c.update(data).map_err(|e| format!("{name}: update: {e}"))?;
    sealed.extend(c.finalize().map_err(|e| format!("{name}: final: {e}"))?);
    let tag = if tag_len > 0 {
        c.get_auth_tag()
            .map_err(|e| format!("{name}: getAuthTag: {e}"))?
    } else {
        Vec::new()
    };
    let mut d = create_decipheriv(name, &key, iv_arg, CipherOptions::default())
        .map_err(|e| format!("{name}: createDecipheriv after createCipheriv: {e}"))?;
    if tag_len > 0 {
        d.set_auth_tag(&tag)
            .map_err(|e| format!("{name}: setAuthTag: {e}"))?;
    }
    if ccm {
        d.set_aad_with([], aad(sealed.len()))
            .map_err(|e| format!("{name}: setAAD: {e}"))?;
    }
    let mut open = d
        .update(&sealed)
        .map_err(|e| format!("{name}: update: {e}"))?;
    open.extend(d.finalize().map_err(|e| format!("{name}: final: {e}"))?);
    check!(open == data, "{name}: decipher(cipher(x)) != x");
    Ok(())
}

/// `key_import`: `createPublicKey` and `createPrivateKey` on the input as PEM text, as DER of
/// each type (`spki`, `pkcs8`, `sec1`, `pkcs1`), as DER wrapped in PEM armour of each
/// label, and as a JWK (`format: 'jwk'`: the input as JSON text, and an object of the
/// NUL-separated fields: `kty`, then name/value pairs).
///
/// Checks: a key that imports exports (DER, in its own type) to bytes that import again and
/// export the same; a JWK that imports round-trips (see `jwk_import`).
pub fn key_import(input: &[u8]) -> Outcome {
    use nodestd_crypto::{KeyEncoding, KeyInput, KeyObject, create_private_key, create_public_key};
    let encodings = [
        KeyEncoding::Spki,
        KeyEncoding::Pkcs8,
        KeyEncoding::Sec1,
        KeyEncoding::Pkcs1,
    ];
    let stable = |k: &KeyObject, how: &str| -> Outcome {
        for enc in encodings {
            let Ok(der) = k.export_der(enc) else { continue };
            let again = if k.type_() == nodestd_crypto::KeyType::Public {
                create_public_key(KeyInput::Der(&der, enc))
            } else {
                create_private_key(KeyInput::Der(&der, enc))
            }
            .map_err(|e| format!("{how}: exported {enc:?} does not import: {e}"))?;
            let der2 = again
                .export_der(enc)
                .map_err(|e| format!("{how}: re-export {enc:?}: {e}"))?;
            check!(der == der2, "{how}: {enc:?} export not stable");
        }
        Ok(())
    };
    let text = String::from_utf8_lossy(input);
    if let Ok(k) = create_public_key(KeyInput::Pem(&text)) {
        stable(&k, "public PEM")?;
    }
    if let Ok(k) = create_private_key(KeyInput::Pem(&text)) {
        stable(&k, "private PEM")?;
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(input);
    for enc in encodings {
        if let Ok(k) = create_public_key(KeyInput::Der(input, enc)) {
            stable(&k, "public DER")?;
        }
        if let Ok(k) = create_private_key(KeyInput::Der(input, enc)) {
            stable(&k, "private DER")?;
        }
    }
    for label in [
        "PUBLIC KEY",
        "PRIVATE KEY",
        "RSA PUBLIC KEY",
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
    ] {
        let pem = format!("-----BEGIN {label}-----\n{b64}\n-----END {label}-----\n");
        let _ = create_public_key(KeyInput::Pem(&pem));
        let _ = create_private_key(KeyInput::Pem(&pem));
    }
    // JWK: the input as JSON text, and an object made of the fields (`kty`, then name and
    // value pairs), which survives mutation better than JSON does.
    if let Ok(jwk) = serde_json::from_slice::<serde_json::Value>(input) {
        jwk_import(&jwk, stable)?;
    }
    let f = fields(input);
    let mut obj = serde_json::Map::new();
    obj.insert("kty".into(), f[0].clone().into());
    for pair in f[1..].chunks(2) {
        obj.insert(
            pair[0].clone(),
            pair.get(1).cloned().unwrap_or_default().into(),
        );
    }
    jwk_import(&serde_json::Value::Object(obj), stable)
}

/// `key_import`'s JWK checks: a JWK accepted by `createPublicKey` or `createPrivateKey` exports
/// a JWK that imports again to the same JWK and the same DER; an EC or RSA JWK that makes both
/// a public and a private key makes the same public key either way (OKP keys differ: the
/// private key is `d` alone, the public one `x`).
fn jwk_import(
    jwk: &serde_json::Value,
    stable: impl Fn(&nodestd_crypto::KeyObject, &str) -> Outcome,
) -> Outcome {
    use nodestd_crypto::{KeyEncoding, KeyInput, KeyType, create_private_key, create_public_key};
    let public = create_public_key(KeyInput::Jwk(jwk)).ok();
    let private = create_private_key(KeyInput::Jwk(jwk)).ok();
    for k in public.iter().chain(&private) {
        let private = k.type_() == KeyType::Private;
        let exported = k.export_jwk();
        let value = exported.to_value();
        let again = if private {
            create_private_key(KeyInput::Jwk(&value))
        } else {
            create_public_key(KeyInput::Jwk(&value))
        }
        .map_err(|e| format!("JWK: exported {} does not import: {e}", exported.to_json()))?;
        check!(
            again.export_jwk() == exported,
            "JWK: export not stable: {} then {}",
            exported.to_json(),
            again.export_jwk().to_json()
        );
        let enc = if private {
            KeyEncoding::Pkcs8
        } else {
            KeyEncoding::Spki
        };
        let (a, b) = (k.export_der(enc), again.export_der(enc));
        check!(
            a.is_ok() && a == b,
            "JWK: {enc:?} differs after a JWK round trip: {a:?} vs {b:?}"
        );
        stable(k, "JWK")?;
    }
    if let (Some(p), Some(k)) = (&public, &private) {
        if jwk["kty"] != "OKP" {
            let derived = k.public_key().and_then(|k| k.export_der(KeyEncoding::Spki));
            check!(
                derived == p.export_der(KeyEncoding::Spki),
                "JWK: the private key's public half differs from the public key: {jwk}"
            );
        }
    }
    Ok(())
}

/// `ipc_reader`: nodestd-child-process's IPC line decoder (`ipc::Decoder`) on the bytes of a
/// channel. The first byte chooses where the rest is split into reads (a chunk length of 1
/// to 256 bytes), so one input is read whole and in pieces.
///
/// Checks: the messages (and the error, if a line is bad) are the same whether the bytes
/// arrive at once or in pieces; every message re-encodes (`JSON.stringify` + `\n`) to a line
/// that decodes and re-encodes to itself (Infinity becomes `null`, as in Node); after an error the decoder is not read further (the
/// channel closes, as in Node).
pub fn ipc_reader(input: &[u8]) -> Outcome {
    let Some((&first, bytes)) = input.split_first() else {
        return Ok(());
    };
    let whole = ipc_messages(bytes, bytes.len().max(1));
    let pieces = ipc_messages(bytes, usize::from(first) + 1);
    check!(
        whole == pieces,
        "ipc: reading in pieces of {} changed the messages: {whole:?} vs {pieces:?}",
        usize::from(first) + 1
    );
    for m in whole.iter().flatten() {
        // Not `decode(encode(m)) == m`: a number past f64's range parses to Infinity, which
        // `JSON.stringify` writes as `null`, in Node too. The line written must be stable.
        let line = nodestd_child_process::ipc::encode(m);
        let again = ipc_messages(&line, line.len());
        let stable = match again.as_slice() {
            [Ok(v)] => nodestd_child_process::ipc::encode(v) == line,
            _ => false,
        };
        check!(
            stable,
            "ipc: {m:?} re-encoded as {:?} decodes to {again:?}",
            String::from_utf8_lossy(&line)
        );
    }
    Ok(())
}

/// The messages of a channel's bytes read `chunk` bytes at a time, up to the first error.
fn ipc_messages(
    bytes: &[u8],
    chunk: usize,
) -> Vec<Result<nodestd_child_process::json::Value, String>> {
    let mut d = nodestd_child_process::ipc::Decoder::new();
    let mut out = Vec::new();
    for piece in bytes.chunks(chunk) {
        d.push(piece);
        while let Some(m) = d.next_message() {
            let failed = m.is_err();
            out.push(m.map_err(|e| e.to_string()));
            if failed {
                return out;
            }
        }
    }
    out
}

/// `dns_answer`: nodestd-dns's answer decoder (`decode_answer`, what the Resolver does with a
/// response for `resolveAny`) on one message.
///
/// Checks: an answer is a value or one of c-ares' codes (never a panic, and no compression
/// pointer loops: the linear-time check does not apply to a packet, so the driver's time
/// bound per input is the guard); the same bytes decode the same way twice.
pub fn dns_answer(input: &[u8]) -> Outcome {
    let first = nodestd_dns::decode_answer(input);
    if let Err(code) = &first {
        check!(
            code.starts_with('E') && code.bytes().all(|b| b.is_ascii_uppercase()),
            "dns: {code:?} is not a c-ares code"
        );
    }
    let second = nodestd_dns::decode_answer(input);
    check!(
        format!("{first:?}") == format!("{second:?}"),
        "dns: two decodes differ: {first:?} vs {second:?}"
    );
    Ok(())
}

/// `http_request`: nodestd-http's server on the bytes a client sends on one connection. The
/// first byte chooses the size of the client's writes (1 to 256 bytes), so a request arrives
/// whole or split at every kind of point; then the client half-closes and reads until the
/// server closes. The server answers as `http-hello` does (`POST /echo` pipes the body back,
/// `GET /headers` sends `JSON.stringify(req.headers)`, the rest a short text), with Node's
/// default limits.
///
/// Checks: the server neither panics nor hangs (it closes the connection within 10 s of the
/// client's end); everything it writes is a sequence of responses, each starting with a
/// status line `HTTP/1.1 NNN ` (a malformed request gets Node's 400/431 answer, never
/// garbage); only the first one is checked.
pub fn http_request(input: &[u8]) -> Outcome {
    use std::io::{Read, Write};
    let Some((&first, bytes)) = input.split_first() else {
        return Ok(());
    };
    let chunk = usize::from(first) + 1;
    let data = bytes.to_vec();
    // The server listens on a loopback port of its own loop thread and stops listening
    // after its one connection; if it never closes that connection, the client's error is
    // the finding and the thread is left behind (the driver stops at a finding).
    let (port_tx, port_rx) = std::sync::mpsc::channel::<u16>();
    let server = std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let server =
                nodestd_http::create_server(nodestd_http::ServerOptions::default(), answer);
            // One connection: stop accepting at once, through the net server (the http
            // server's own `close` would close the connection as idle); the server goes once
            // that connection has closed.
            let net = server.net().clone();
            server.net().on_connection(move |_sock| {
                net.close(None);
            });
            let s = server.clone();
            let listening = server.listen(0, Some("127.0.0.1"), move || {
                let _ = port_tx.send(s.port().unwrap_or(0));
            });
            if listening.is_err() {
                server.close(|| {});
            }
        })
    });
    let client = std::thread::spawn(move || -> Result<Vec<u8>, String> {
        let port = port_rx
            .recv()
            .map_err(|_| "http: the server did not listen".to_string())?;
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port))
            .map_err(|e| format!("http: connect: {e}"))?;
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        for piece in data.chunks(chunk) {
            // The server may close first (a refused request): the rest is not sent.
            if s.write_all(piece).is_err() {
                break;
            }
        }
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        match s.read_to_end(&mut out) {
            Ok(_) => Ok(out),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => Ok(out),
            Err(e) => Err(format!(
                "http: the server did not close the connection ({e}) after writing {:?}",
                String::from_utf8_lossy(&out)
            )),
        }
    });
    let out = client
        .join()
        .map_err(|_| "http: the client thread panicked".to_string())??;
    let exit = server
        .join()
        .map_err(|_| "http: the server's loop panicked".to_string())?;
    check!(exit.code() == 0, "http: the loop ended with {exit:?}");
    // Only the first status line is checked: finding the next response exactly would need
    // a client parser, and a body may contain anything.
    check!(
        out.is_empty()
            || (out.len() >= 13
                && out.starts_with(b"HTTP/1.1 ")
                && out[9..12].iter().all(u8::is_ascii_digit)
                && out[12] == b' '),
        "http: not a status line: {:?}",
        String::from_utf8_lossy(&out[..out.len().min(80)])
    );
    Ok(())
}

/// The `http_request` target's handler: `http-hello`'s routes.
fn answer(req: nodestd_http::IncomingMessage, res: nodestd_http::ServerResponse) {
    let url = req.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    match (req.method(), path) {
        ("POST", "/echo") => {
            res.write_head(200, &[("Content-Type", "application/octet-stream")]);
            let body = req.body().clone();
            let r = res.clone();
            body.on_data(move |c: &nodestd_stream::Chunk| {
                r.write(c.as_bytes());
            });
            let r = res.clone();
            body.on_end(move || r.end(b""));
        }
        ("GET", "/headers") => {
            res.set_header("Content-Type", "application/json");
            res.end(req.headers().to_json().as_bytes());
        }
        _ => {
            res.set_header("Content-Type", "text/plain");
            res.end(b"hello world");
        }
    }
}

/// `fs_script`: the fs-script runner's input handling (`nodestd_conformance::fs_script`) on a
/// script's text (or, when the input is not a JSON list, one step as NUL-separated fields: the
/// op, then each argument's JSON): reading the JSON list of steps, then converting each step's arguments as
/// Node converts JavaScript values (paths, flags, modes, encodings, data, `$alloc` sizes, and
/// nodestd-fs's option validators) in each of the three forms. Only the conversions run
/// (`validate_step`): no fs operation, so the target never touches the file system.
///
/// Checks: each step converts or gives a Node error (`code` `ERR_*`, with a message); the same
/// step converts the same way twice.
pub fn fs_script(input: &[u8]) -> Outcome {
    use nodestd_conformance::fs_script::{Mode, parse_script, validate_step};
    // Not a script: one step in fields (op, then each argument as JSON, or as a string when
    // it is not JSON), so a mutation that breaks the JSON still reaches the conversions.
    let script = parse_script(&String::from_utf8_lossy(input)).unwrap_or_else(|_| {
        let f = fields(input);
        let args: Vec<serde_json::Value> = f[1..]
            .iter()
            .map(|a| serde_json::from_str(a).unwrap_or_else(|_| a.as_str().into()))
            .collect();
        vec![serde_json::json!({ "op": f[0], "args": args })]
    });
    let outcome = |mode, step| {
        validate_step(mode, step).map_err(|e| (e.code().to_owned(), e.message().to_owned()))
    };
    for step in &script {
        for mode in [Mode::Sync, Mode::Callback, Mode::Promise] {
            let first = outcome(mode, step);
            if let Err((code, message)) = &first {
                check!(
                    code.starts_with("ERR_") && !message.is_empty(),
                    "fs_script: {step} ({mode:?}) gave {code:?} {message:?}, not a Node ERR_ error"
                );
            }
            let second = outcome(mode, step);
            check!(
                first == second,
                "fs_script: {step} ({mode:?}) converted differently twice: {first:?} vs {second:?}"
            );
        }
    }
    Ok(())
}
