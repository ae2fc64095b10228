//! Differential test of nodestd-crypto's keys, signatures and key agreement against live
//! node (`node/crypto_keys_driver.js`), in two node processes:
//!
//! 1. node makes key pairs (ed25519, x25519, EC P-256/P-384 under both names, RSA) and signs
//!    random messages with them (every digest family, DER and IEEE-P1363 ECDSA, RSA PKCS#1
//!    v1.5 and PSS with several salt lengths, one-shot and createSign). Here each key is
//!    imported from PEM and from DER and re-exported: PKCS#8, SPKI, SEC1, PKCS#1 and JWK must
//!    equal node's exports byte for byte; each signature must verify here, and a tampered
//!    signature or message must not. Truncated DER must fail on both sides.
//! 2. Keys made here go to node, which re-exports them (again byte for byte); signatures made
//!    here (with our keys and with node's) are verified by node, tampered ones rejected;
//!    `diffieHellman` between node's and our keys and `createECDH` secrets and public-key
//!    formats must agree.
//!
//! Every family has at least 10,000 inputs per run. `NODESTD_SEED=<n>` replays a run.

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use nodestd_crypto::{
    self as crypto, DsaEncoding, KeyEncoding, KeyInput, KeyObject, KeyPairOptions, PointFormat,
    SignOptions,
};
use serde_json::{Value, json};

/// Key types, ed25519 and x25519 weighted up, P-384 down: RustCrypto's P-384 field
/// arithmetic (fiat-crypto) costs about a millisecond per scalar multiplication, which
/// would dominate the run.
const TYPES: &[(&str, Option<&str>)] = &[
    ("ed25519", None),
    ("x25519", None),
    ("ec", Some("P-256")),
    ("ed25519", None),
    ("x25519", None),
    ("ec", Some("P-256")),
    ("ed25519", None),
    ("x25519", None),
    ("ec", Some("prime256v1")),
    ("ed25519", None),
    ("x25519", None),
    ("ec", Some("secp384r1")),
];

const DIGESTS: &[&str] = &[
    "sha256",
    "sha384",
    "sha1",
    "sha512",
    "sha224",
    "sha3-256",
    "sha512-256",
    "md5",
    "RSA-SHA256",
    "ripemd160",
];

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    let n = rng.below(max + 1);
    (0..n).map(|_| rng.next_u64() as u8).collect()
}

/// A signing request and the options it used.
#[derive(Clone)]
struct SignCase {
    alg: Option<String>,
    data: Vec<u8>,
    opts: SignOptions,
    chunks: Option<Vec<Vec<u8>>>,
}

fn sign_case(rng: &mut Rng, akt: &str) -> SignCase {
    let data = bytes(rng, 300);
    let mut opts = SignOptions::default();
    let alg = match akt {
        "ed25519" => None,
        _ => {
            if rng.chance(1, 10) {
                None
            } else {
                Some(rng.pick(DIGESTS).to_string())
            }
        }
    };
    if akt == "ec" && rng.chance(1, 2) {
        opts.dsa_encoding = DsaEncoding::IeeeP1363;
    }
    if akt == "rsa" && rng.chance(1, 2) {
        opts.padding = Some(crypto::RSA_PKCS1_PSS_PADDING);
        opts.salt_length = match rng.below(4) {
            0 => None,
            1 => Some(crypto::RSA_PSS_SALTLEN_DIGEST),
            2 => Some(rng.below(20) as i32),
            _ => Some(crypto::RSA_PSS_SALTLEN_MAX_SIGN),
        };
    }
    let chunks = (akt != "ed25519" && alg.is_some() && rng.chance(1, 4)).then(|| {
        let mut cuts = Vec::new();
        let mut rest = &data[..];
        while !rest.is_empty() {
            let n = 1 + rng.below(rest.len());
            cuts.push(rest[..n].to_vec());
            rest = &rest[n..];
        }
        cuts
    });
    SignCase {
        alg,
        data,
        opts,
        chunks,
    }
}

fn opts_json(req: &mut Value, c: &SignCase) {
    if c.opts.dsa_encoding == DsaEncoding::IeeeP1363 {
        req["dsa"] = json!("ieee-p1363");
    }
    if let Some(p) = c.opts.padding {
        req["padding"] = json!(p);
    }
    if let Some(s) = c.opts.salt_length {
        req["salt"] = json!(s);
    }
}

fn verify_opts(c: &SignCase) -> SignOptions {
    // A fixed salt length (or the digest's, which ring checks) is checked as given; the
    // longest is recovered ("auto").
    let mut o = c.opts;
    if o.salt_length == Some(crypto::RSA_PSS_SALTLEN_MAX_SIGN) {
        o.salt_length = None;
    }
    o
}

fn tamper(rng: &mut Rng, v: &[u8]) -> Vec<u8> {
    let mut t = v.to_vec();
    if t.is_empty() {
        t.push(1);
    } else {
        let i = rng.below(t.len());
        t[i] ^= 1 << rng.below(8);
    }
    t
}

/// Our exports of a key, under the driver's field names.
fn our_exports(k: &KeyObject) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let akt = k.asymmetric_key_type().map(|t| t.as_str()).unwrap_or("");
    let pub_k = k.public_key().expect("asymmetric");
    if k.type_() == crypto::KeyType::Private {
        out.push(("pkcs8Pem", k.export_pem(KeyEncoding::Pkcs8).expect("pkcs8")));
        out.push((
            "pkcs8Der",
            hex(&k.export_der(KeyEncoding::Pkcs8).expect("pkcs8")),
        ));
        if akt == "ec" {
            out.push((
                "sec1Der",
                hex(&k.export_der(KeyEncoding::Sec1).expect("sec1")),
            ));
        }
        if akt == "rsa" {
            out.push((
                "pkcs1Der",
                hex(&k.export_der(KeyEncoding::Pkcs1).expect("pkcs1")),
            ));
        }
        out.push(("jwkPriv", k.export_jwk().to_json()));
    }
    out.push((
        "spkiPem",
        pub_k.export_pem(KeyEncoding::Spki).expect("spki"),
    ));
    out.push((
        "spkiDer",
        hex(&pub_k.export_der(KeyEncoding::Spki).expect("spki")),
    ));
    if akt == "rsa" {
        out.push((
            "pkcs1PubDer",
            hex(&pub_k.export_der(KeyEncoding::Pkcs1).expect("pkcs1")),
        ));
    }
    out.push(("jwkPub", pub_k.export_jwk().to_json()));
    if let Some(c) = k.named_curve() {
        out.push(("curve", c.name().to_string()));
    }
    out
}

struct Report {
    seed: u64,
    failures: Vec<String>,
    counts: [usize; 3],
}

impl Report {
    fn check(&mut self, family: usize, ok: bool, what: impl FnOnce() -> String) {
        self.counts[family] += 1;
        if !ok && self.failures.len() < 20 {
            self.failures.push(what());
        }
    }
}

const KEYS: usize = 0;
const SIGS: usize = 1;
const DH: usize = 2;

fn compare_exports(report: &mut Report, ours: &KeyObject, node: &Value, label: &str) {
    for (field, value) in our_exports(ours) {
        let theirs = node[field].as_str().unwrap_or("<missing>");
        report.check(KEYS, theirs == value, || {
            format!("{label}: {field} differs\n  node: {theirs}\n  ours: {value}")
        });
    }
}

fn answers(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("driver JSON"))
        .collect()
}

#[test]
fn keys_signatures_and_agreement_match_node() {
    if !require_node("crypto_keys_differential") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let scale = if quick() { 1 } else { 2 };
    let n_keys = 700 * scale;
    // RSA keys of 1024 and 1536 bits take RustCrypto's paths; 2048 and 3072 take ring's for
    // the digests and paddings ring implements (crates/crypto/src/fast.rs).
    let rsa_keys = 4 * scale;
    let started = std::time::Instant::now();
    let phase = |what: &str| eprintln!("  {:>6.2}s {what}", started.elapsed().as_secs_f64());
    let mut report = Report {
        seed,
        failures: Vec::new(),
        counts: [0; 3],
    };

    // ----- round 1: node's keys and signatures -----
    let mut reqs: Vec<Value> = Vec::new();
    let mut kinds: Vec<(usize, &str)> = Vec::new(); // (key id, akt) per gen
    for id in 0..n_keys + rsa_keys {
        let (t, curve) = if id < rsa_keys {
            ("rsa", None)
        } else {
            TYPES[id % TYPES.len()]
        };
        let mut r = json!({"op": "gen", "id": id, "type": t});
        if let Some(c) = curve {
            r["curve"] = json!(c);
        }
        if t == "rsa" {
            r["bits"] = json!([1024, 1536, 2048, 3072][id % 4]);
        }
        reqs.push(r);
        kinds.push((id, t));
    }
    let mut sign_cases: Vec<(usize, SignCase)> = Vec::new();
    let per_key = 5;
    for &(id, t) in &kinds {
        if t == "x25519" {
            continue;
        }
        let reps = match t {
            "rsa" => 100,
            "ec" => 1,
            _ => per_key,
        };
        for _ in 0..reps {
            let c = sign_case(&mut rng, t);
            let mut r = match &c.chunks {
                Some(chunks) => json!({"op": "streamSign", "id": id, "alg": c.alg,
                    "chunks": chunks.iter().map(|c| hex(c)).collect::<Vec<_>>()}),
                None => json!({"op": "sign", "id": id, "alg": c.alg, "data": hex(&c.data)}),
            };
            opts_json(&mut r, &c);
            reqs.push(r);
            sign_cases.push((id, c));
        }
    }
    let input: String = reqs.iter().map(|r| format!("{r}\n")).collect();
    phase("round 1 requests");
    let ans = answers(&run_driver("crypto_keys_driver.js", &[], &input));
    assert_eq!(ans.len(), reqs.len(), "one answer per request");
    phase("round 1 node");

    let mut node_keys: Vec<(KeyObject, Value)> = Vec::new();
    for (i, &(_, t)) in kinds.iter().enumerate() {
        let a = &ans[i]["ok"];
        assert!(
            !a.is_null(),
            "seed {seed}: node failed {}: {}",
            reqs[i],
            ans[i]
        );
        let pem = a["pkcs8Pem"].as_str().expect("pem");
        let k = match crypto::create_private_key(pem) {
            Ok(k) => k,
            Err(e) => {
                report.check(KEYS, false, || {
                    format!("import of node's {t} key failed: {e}\n{pem}")
                });
                continue;
            }
        };
        compare_exports(&mut report, &k, a, &format!("node {t} key via PEM"));
        let der = unhex(a["pkcs8Der"].as_str().expect("der"));
        match crypto::create_private_key(KeyInput::Der(&der, KeyEncoding::Pkcs8)) {
            Ok(k2) => report.check(KEYS, k2.equals(&k), || format!("{t}: DER import differs")),
            Err(e) => report.check(KEYS, false, || format!("{t}: DER import failed: {e}")),
        }
        let spki = a["spkiPem"].as_str().expect("spki");
        match crypto::create_public_key(spki) {
            Ok(p) => report.check(KEYS, p.equals(&k.public_key().expect("public")), || {
                format!("{t}: SPKI import differs from the private key's public half")
            }),
            Err(e) => report.check(KEYS, false, || format!("{t}: SPKI import failed: {e}")),
        }
        for (field, enc, private) in [
            ("sec1Der", KeyEncoding::Sec1, true),
            ("pkcs1Der", KeyEncoding::Pkcs1, true),
            ("pkcs1PubDer", KeyEncoding::Pkcs1, false),
            ("spkiDer", KeyEncoding::Spki, false),
        ] {
            let Some(d) = a[field].as_str() else { continue };
            let d = unhex(d);
            let r = if private {
                crypto::create_private_key(KeyInput::Der(&d, enc))
            } else {
                crypto::create_public_key(KeyInput::Der(&d, enc))
            };
            report.check(KEYS, r.is_ok(), || {
                format!("{t}: {field} import failed: {r:?}")
            });
            // Truncated DER fails on both sides (node's answer is known: OpenSSL refuses).
            let cut = rng.below(d.len());
            let r = if private {
                crypto::create_private_key(KeyInput::Der(&d[..cut], enc))
            } else {
                crypto::create_public_key(KeyInput::Der(&d[..cut], enc))
            };
            report.check(KEYS, r.is_err(), || {
                format!("{t}: {field} truncated at {cut} was accepted")
            });
        }
        node_keys.push((k, a.clone()));
    }

    let mut node_sigs: Vec<(usize, SignCase, Vec<u8>)> = Vec::new();
    for (j, (id, c)) in sign_cases.iter().enumerate() {
        let a = &ans[kinds.len() + j];
        let Some(sig) = a["ok"].as_str() else {
            // Node refused (a PSS salt too long for the key …): so must we, with its code.
            let ours = crypto::sign(c.alg.as_deref(), &c.data, &node_keys[*id].0, &c.opts);
            let same = ours.as_ref().err().map(|e| e.code_or_name()) == a["err"].as_str();
            report.check(SIGS, same, || {
                format!("node sign failed: {a}, ours: {ours:?}")
            });
            continue;
        };
        let sig = unhex(sig);
        let key = &node_keys[*id].0;
        let vo = verify_opts(c);
        let ok = crypto::verify(c.alg.as_deref(), &c.data, key, &sig, &vo);
        report.check(SIGS, matches!(ok, Ok(true)), || {
            format!(
                "node's signature does not verify here: alg {:?} opts {:?} key {:?}: {ok:?}",
                c.alg, c.opts, key
            )
        });
        let bad_sig = tamper(&mut rng, &sig);
        let ok = crypto::verify(c.alg.as_deref(), &c.data, key, &bad_sig, &vo);
        report.check(SIGS, matches!(ok, Ok(false)), || {
            format!("tampered signature accepted: {:?} {:?}", c.alg, key)
        });
        let bad_data = tamper(&mut rng, &c.data);
        let ok = crypto::verify(c.alg.as_deref(), &bad_data, key, &sig, &vo);
        report.check(SIGS, matches!(ok, Ok(false)), || {
            format!("tampered message accepted: {:?} {:?}", c.alg, key)
        });
        node_sigs.push((*id, c.clone(), sig));
    }

    phase("round 1 checks");

    // ----- round 2: our keys, signatures and agreements, checked by node -----
    let mut reqs: Vec<Value> = Vec::new();
    enum Expect {
        Exports(KeyObject),
        Verify(bool),
        Same(String, String),
        Fails(String),
    }
    let mut expects: Vec<Expect> = Vec::new();
    let mut our_keys: Vec<(KeyObject, &str)> = Vec::new();
    for i in 0..n_keys / 2 + rsa_keys / 2 {
        let (t, curve) = if i < rsa_keys / 2 {
            ("rsa", None)
        } else {
            TYPES[i % TYPES.len()]
        };
        let opts = KeyPairOptions {
            named_curve: curve.map(String::from),
            modulus_length: (t == "rsa").then_some(1024),
            public_exponent: None,
        };
        let pair = crypto::generate_key_pair_sync(t, &opts).expect("generate");
        let pem = pair
            .private_key
            .export_pem(KeyEncoding::Pkcs8)
            .expect("pem");
        reqs.push(json!({"op": "import", "priv": pem}));
        expects.push(Expect::Exports(pair.private_key.clone()));
        let spki = pair.public_key.export_der(KeyEncoding::Spki).expect("spki");
        reqs.push(json!({"op": "importDer", "kind": "pub", "der": hex(&spki), "type": "spki"}));
        expects.push(Expect::Exports(pair.public_key.clone()));
        our_keys.push((pair.private_key, t));
    }
    // Our signatures, with our keys and with node's.
    let mut signers: Vec<(KeyObject, &str)> = our_keys.clone();
    signers.extend(
        node_keys
            .iter()
            .zip(&kinds)
            .map(|((k, _), &(_, t))| (k.clone(), t)),
    );
    for (key, t) in &signers {
        if *t == "x25519" {
            continue;
        }
        let reps = match *t {
            "rsa" => 100,
            "ec" => 1,
            _ => 4,
        };
        for _ in 0..reps {
            let c = sign_case(&mut rng, t);
            let sig = match &c.chunks {
                Some(chunks) => {
                    let mut s = crypto::create_sign(c.alg.as_deref().unwrap_or("sha256"))
                        .expect("createSign");
                    for ch in chunks {
                        s.update(ch);
                    }
                    s.sign(key, &c.opts)
                }
                None => crypto::sign(c.alg.as_deref(), &c.data, key, &c.opts),
            };
            let sig = match sig {
                Ok(s) => s,
                Err(e) => {
                    // Node must refuse too, with the same code.
                    let mut r = json!({"op": "sign", "alg": c.alg, "data": hex(&c.data),
                        "pem": key.export_pem(KeyEncoding::Pkcs8).expect("pkcs8")});
                    opts_json(&mut r, &c);
                    reqs.push(r);
                    expects.push(Expect::Fails(e.code_or_name().to_string()));
                    continue;
                }
            };
            let spki = key
                .public_key()
                .and_then(|p| p.export_pem(KeyEncoding::Spki))
                .expect("spki");
            for (sig, data, expect) in [
                (sig.clone(), c.data.clone(), true),
                (tamper(&mut rng, &sig), c.data.clone(), false),
                (sig.clone(), tamper(&mut rng, &c.data), false),
            ] {
                let mut r = match &c.chunks {
                    Some(chunks) if expect => json!({"op": "streamVerify", "pem": spki,
                        "alg": c.alg, "sig": hex(&sig),
                        "chunks": chunks.iter().map(|c| hex(c)).collect::<Vec<_>>()}),
                    _ => json!({"op": "verify", "pem": spki, "alg": c.alg,
                        "data": hex(&data), "sig": hex(&sig)}),
                };
                opts_json(&mut r, &c);
                if let Some(o) = r.as_object_mut() {
                    if c.opts.salt_length.is_some_and(|s| s < 0) {
                        o.remove("salt");
                    }
                }
                reqs.push(r);
                expects.push(Expect::Verify(expect));
            }
        }
    }
    // diffieHellman between node's keys and ours, per type and curve.
    let agreeing: Vec<&KeyObject> = node_keys
        .iter()
        .zip(&kinds)
        .filter(|(_, (_, t))| *t == "x25519" || *t == "ec")
        .map(|((k, _), _)| k)
        .collect();
    let ours_agreeing: Vec<&KeyObject> = our_keys
        .iter()
        .filter(|(_, t)| *t == "x25519" || *t == "ec")
        .map(|(k, _)| k)
        .collect();
    let mut dh_count = 0;
    while dh_count < 8000 * scale {
        let theirs = *rng.pick(&agreeing);
        let ours = *rng.pick(&ours_agreeing);
        if theirs.asymmetric_key_type() != ours.asymmetric_key_type()
            || theirs.named_curve() != ours.named_curve()
            || (theirs.named_curve().is_some() && !rng.chance(1, 4))
        {
            continue;
        }
        let secret = crypto::diffie_hellman(ours, &theirs.public_key().expect("pub")).expect("dh");
        reqs.push(json!({"op": "dh",
            "priv": theirs.export_pem(KeyEncoding::Pkcs8).expect("pem"),
            "pub": ours.public_key().and_then(|p| p.export_pem(KeyEncoding::Spki)).expect("spki")}));
        expects.push(Expect::Same("diffieHellman".into(), hex(&secret)));
        dh_count += 1;
    }
    phase("round 2 signatures and diffieHellman");
    // createECDH.
    // One `a` per curve for ten partners (node sets its private key once per `a`).
    let mut alices: Vec<crypto::Ecdh> = Vec::new();
    for i in 0..1000 * scale {
        let curve = if i % 10 == 0 {
            "secp384r1"
        } else {
            "prime256v1"
        };
        if i % 20 < 2 {
            let mut a = crypto::create_ecdh(curve).expect("ecdh");
            a.generate_keys(PointFormat::Uncompressed).expect("keys");
            alices.retain(|x| x.curve() != a.curve());
            alices.push(a);
        }
        let a = alices
            .iter()
            .find(|x| x.curve().name() == curve)
            .expect("an ECDH of this curve");
        let mut b = crypto::create_ecdh(curve).expect("ecdh");
        let fmt = *rng.pick(&["uncompressed", "compressed", "hybrid"]);
        let pf = PointFormat::from_name(fmt).expect("format");
        let b_pub = b.generate_keys(pf).expect("keys");
        let a_priv = a.get_private_key().expect("priv");
        reqs.push(json!({"op": "ecdhPub", "curve": curve, "priv": hex(&a_priv), "fmt": fmt}));
        expects.push(Expect::Same(
            format!("ECDH {curve} public key ({fmt})"),
            hex(&a.get_public_key(pf).expect("pub")),
        ));
        reqs.push(json!({"op": "ecdh", "curve": curve, "priv": hex(&a_priv), "pub": hex(&b_pub)}));
        expects.push(Expect::Same(
            format!("ECDH {curve} secret"),
            hex(&a.compute_secret(&b_pub).expect("secret")),
        ));
    }
    let input: String = reqs.iter().map(|r| format!("{r}\n")).collect();
    phase("round 2 requests");
    let ans = answers(&run_driver("crypto_keys_driver.js", &[], &input));
    assert_eq!(ans.len(), reqs.len(), "one answer per request");
    phase("round 2 node");
    for ((a, req), expect) in ans.iter().zip(&reqs).zip(&expects) {
        match expect {
            Expect::Exports(k) => {
                compare_exports(&mut report, k, &a["ok"], &format!("our key in node: {req}"))
            }
            Expect::Verify(want) => {
                let got = a["ok"].as_bool();
                report.check(SIGS, got == Some(*want), || {
                    format!("node verify of our signature: want {want}, got {a}\n  {req}")
                });
            }
            Expect::Fails(code) => {
                let got = a["err"].as_str();
                report.check(SIGS, got == Some(code.as_str()), || {
                    format!("we refused to sign ({code}), node: {a}\n  {req}")
                });
            }
            Expect::Same(what, ours) => {
                let got = a["ok"].as_str().unwrap_or("<error>");
                report.check(DH, got == ours, || {
                    format!("{what}: node {got} ours {ours} ({a})\n  {req}")
                });
            }
        }
    }

    eprintln!(
        "crypto keys differential (seed {}): {} key checks, {} signature checks, {} agreement checks",
        report.seed, report.counts[KEYS], report.counts[SIGS], report.counts[DH]
    );
    assert!(
        report.failures.is_empty(),
        "seed {}: {} failures, first:\n{}",
        report.seed,
        report.failures.len(),
        report.failures.join("\n")
    );
    for (i, n) in report.counts.iter().enumerate() {
        assert!(*n >= 10_000, "family {i} had only {n} inputs");
    }
}
