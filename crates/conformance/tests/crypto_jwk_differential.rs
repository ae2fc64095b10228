//! JWK import (`createPrivateKey`/`createPublicKey` with `format: 'jwk'`) against node, in two
//! ways, both through [`jwk_answer`] (the key's type, JWK export and PEM, or Node's error
//! code, class and message):
//!
//! 1. `fixtures/crypto-jwk/jwk_import.jsonl`, recorded by `node/crypto_jwk_record.js`: a key
//!    of every type node exports as JWK, whole and with each kind of damage (see the
//!    recorder). Runs without node.
//! 2. Live: node makes keys (ed25519, x25519, P-256, P-384, RSA), this crate makes keys too;
//!    their JWKs, randomly damaged (members dropped, retyped, edited character by character,
//!    swapped with another key's, kty/crv changed), are imported by node
//!    (`node/crypto_jwk_driver.js`) and here. The kept seeds of [`SEEDS`] run every time,
//!    plus a fresh one that is printed; replay with `NODESTD_SEED=<seed>`.
//!
//! Differences allowed are nodestd-crypto's documented deviations ([`jwk_deviation`]), counted
//! and printed; an accepted key must also round-trip (export JWK → import → same answer).

use nodestd_conformance::families::crypto::{jwk_answer, jwk_deviation};
use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::{Map, Value, json};

const SEEDS: &[u64] = &[1, 2, 3];

/// Imports per seed in quick mode; the full run triples it.
const QUICK_INPUTS: usize = 2500;

struct Tally {
    cases: usize,
    deviations: std::collections::BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            cases: 0,
            deviations: Default::default(),
            failures: Vec::new(),
        }
    }

    /// Compares node's answer with ours, and checks that an accepted key round-trips.
    fn compare(&mut self, node: &Value, what: &str) {
        self.cases += 1;
        let f = node["fn"].as_str().unwrap_or("");
        let ours = jwk_answer(f, &node["jwk"]);
        // As text: a JWK's member order is part of the answer, and `Value`'s `==` ignores it.
        if serde_json::to_string(&ours).ok() != serde_json::to_string(node).ok() {
            match jwk_deviation(node, &ours) {
                Some(why) => *self.deviations.entry(why).or_default() += 1,
                None => self
                    .failures
                    .push(format!("{what}:\n  node: {node}\n  ours: {ours}")),
            }
            return;
        }
        if let Some(exported) = ours.pointer("/result/jwk") {
            let again = jwk_answer(f, exported);
            if again["result"] != ours["result"] {
                self.failures.push(format!(
                    "{what}: the exported JWK does not round-trip:\n  first: {ours}\n  again: {again}"
                ));
            }
        }
    }
}

impl Tally {
    /// The first failures (all of them with `NODESTD_ALL` set).
    fn first_failures(&self) -> String {
        let n = if std::env::var("NODESTD_ALL").is_ok() {
            self.failures.len()
        } else {
            5
        };
        self.failures[..self.failures.len().min(n)].join("\n")
    }
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/crypto-jwk/jwk_import.jsonl")
}

#[test]
fn jwk_import_matches_node_records() {
    let text = std::fs::read_to_string(fixtures()).expect("the JWK fixture");
    let mut tally = Tally::new();
    let mut secret = 0;
    for (i, line) in text.lines().enumerate() {
        let rec: Value = serde_json::from_str(line).expect("fixture JSON");
        if rec["fn"] == "createSecretKey" {
            // Node's createSecretKey takes bytes only: a JWK is refused, and so it has no
            // counterpart here (create_secret_key takes bytes).
            assert_eq!(
                rec["throws"]["code"],
                "ERR_INVALID_ARG_TYPE",
                "line {}: {rec}",
                i + 1
            );
            secret += 1;
            continue;
        }
        tally.compare(&rec, &format!("jwk_import.jsonl:{}", i + 1));
    }
    println!(
        "{} records ({secret} createSecretKey refusals), deviations: {:?}",
        tally.cases, tally.deviations
    );
    assert!(tally.cases > 1000, "only {} records", tally.cases);
    assert!(
        tally.failures.is_empty(),
        "{} differences, first ones:\n{}",
        tally.failures.len(),
        tally.first_failures()
    );
}

const KTYS: &[&str] = &["OKP", "EC", "RSA", "oct", "ec", "okp", ""];
const CRVS: &[&str] = &[
    "Ed25519",
    "X25519",
    "P-256",
    "P-384",
    "Ed448",
    "X448",
    "P-521",
    "secp256k1",
    "prime256v1",
];
const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= *\n";

fn random_value(rng: &mut Rng) -> Value {
    match rng.below(8) {
        0 => json!(rng.below(1000)),
        1 => Value::Null,
        2 => json!(rng.chance(1, 2)),
        3 => json!([]),
        4 => json!({}),
        5 => json!(""),
        6 => json!(*rng.pick(KTYS)),
        _ => json!(*rng.pick(CRVS)),
    }
}

const PREFIXES: &[&[u8]] = &[b"AA", b"AAAA", b"A"];
const SUFFIXES: &[&[u8]] = &[b"=", b"==", b"AA", b"A"];

fn edit(rng: &mut Rng, s: &str) -> String {
    let mut b = s.as_bytes().to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(b.len() + 1);
        let c = *rng.pick(CHARS);
        match rng.below(6) {
            0 => b.insert(at, c),
            1 if at < b.len() => drop(b.remove(at)),
            2 if at < b.len() => b[at] = c,
            3 => b.truncate(at),
            4 => {
                let p = *rng.pick::<&[u8]>(PREFIXES);
                b.splice(0..0, p.iter().copied());
            }
            _ => b.extend_from_slice(rng.pick::<&[u8]>(SUFFIXES)),
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// One random damage (or none) to a JWK; `others` are JWKs to take members from.
fn damage(rng: &mut Rng, jwk: &Map<String, Value>, others: &[Map<String, Value>]) -> Value {
    let mut j = jwk.clone();
    for _ in 0..rng.below(3) {
        let keys: Vec<String> = j.keys().cloned().collect();
        let Some(m) = (!keys.is_empty()).then(|| rng.pick(&keys).clone()) else {
            break;
        };
        match rng.below(6) {
            0 => drop(j.remove(&m)),
            1 => drop(j.insert(m, random_value(rng))),
            2 | 3 => {
                let s = j[&m].as_str().unwrap_or("").to_string();
                j.insert(m, json!(edit(rng, &s)));
            }
            4 => {
                let o = rng.pick(others);
                if let Some(v) = o.get(&m) {
                    j.insert(m, v.clone());
                }
            }
            _ => {
                let (k, v) = if rng.chance(1, 2) {
                    ("kty", *rng.pick(KTYS))
                } else {
                    ("crv", *rng.pick(CRVS))
                };
                j.insert(k.into(), json!(v));
            }
        }
    }
    if rng.chance(1, 200) {
        return random_value(rng);
    }
    Value::Object(j)
}

fn answers(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("driver JSON"))
        .collect()
}

fn run_seed(seed: u64, n: usize, tally: &mut Tally) {
    let mut rng = Rng::new(seed);
    let mut gens = Vec::new();
    for i in 0..24 {
        gens.push(match i % 6 {
            0 => json!({"op": "gen", "type": "ed25519"}),
            1 => json!({"op": "gen", "type": "x25519"}),
            2 => json!({"op": "gen", "type": "ec", "curve": "P-256"}),
            3 => json!({"op": "gen", "type": "ec", "curve": "P-384"}),
            4 => json!({"op": "gen", "type": "rsa", "bits": if i % 12 == 4 { 1024 } else { 2048 }}),
            _ => json!({"op": "gen", "type": "ec", "curve": "P-521"}),
        });
    }
    let input: String = gens.iter().map(|r| format!("{r}\n")).collect();
    let mut jwks: Vec<Map<String, Value>> = Vec::new();
    for a in answers(&run_driver("crypto_jwk_driver.js", &[], &input)) {
        for half in ["priv", "pub"] {
            jwks.push(a["ok"][half].as_object().expect("a JWK").clone());
        }
    }
    // Keys made here, exported as JWK.
    for (t, curve) in [
        ("ed25519", None),
        ("x25519", None),
        ("ec", Some("P-256")),
        ("ec", Some("P-384")),
        ("rsa", None),
    ] {
        let opts = nodestd_crypto::KeyPairOptions {
            named_curve: curve.map(String::from),
            modulus_length: Some(1024),
            public_exponent: None,
        };
        let pair = nodestd_crypto::generate_key_pair_sync(t, &opts).expect("generate");
        for k in [pair.private_key, pair.public_key] {
            if let Value::Object(m) = k.export_jwk().to_value() {
                jwks.push(m);
            }
        }
    }
    let mut reqs = Vec::new();
    for _ in 0..n {
        let base = rng.pick(&jwks).clone();
        let jwk = if rng.chance(1, 4) {
            Value::Object(base)
        } else {
            damage(&mut rng, &base, &jwks)
        };
        let f = *rng.pick(&["createPrivateKey", "createPublicKey"]);
        reqs.push(json!({"fn": f, "jwk": jwk}));
    }
    let input: String = reqs.iter().map(|r| format!("{r}\n")).collect();
    let ans = answers(&run_driver("crypto_jwk_driver.js", &[], &input));
    assert_eq!(ans.len(), reqs.len(), "one answer per request");
    for a in &ans {
        tally.compare(a, &format!("seed {seed} (NODESTD_SEED={seed})"));
    }
}

#[test]
fn jwk_import_matches_live_node() {
    if !require_node("jwk_import_matches_live_node") {
        return;
    }
    let fresh = Rng::seed_from_env();
    let n = if quick() {
        QUICK_INPUTS
    } else {
        QUICK_INPUTS * 3
    };
    let mut tally = Tally::new();
    for &seed in SEEDS.iter().chain([fresh].iter()) {
        let before = tally.failures.len();
        run_seed(seed, n, &mut tally);
        println!(
            "seed {seed}: {n} imports, {} differences",
            tally.failures.len() - before
        );
    }
    println!(
        "{} imports compared, deviations: {:?}",
        tally.cases, tally.deviations
    );
    assert!(
        tally.failures.is_empty(),
        "{} differences, first ones:\n{}",
        tally.failures.len(),
        tally.first_failures()
    );
}
