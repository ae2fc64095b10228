//! Differential test of `nodestd-util` against live node: random values (primitives with
//! `-0`/NaN/BigInts and strings that need every quoting and escaping rule, arrays long and
//! short enough for column grouping, nested objects past the depth limit, Maps, Sets,
//! Buffers, Errors with codes) through `util.inspect`, and random format strings with every
//! placeholder through `util.format`, answered by `node/util_driver.js` and by the util
//! family. The kept seeds of [`SEEDS`] run every time, plus a fresh one that is printed;
//! replay with `NODESTD_SEED=<seed>`.

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::{Value, json};

/// Seeds run every time.
const SEEDS: &[u64] = &[1, 2, 3];

/// Calls per seed in quick mode; the full run triples it.
const QUICK_INPUTS: usize = 2_000;

const STRINGS: &[&str] = &[
    "",
    "a",
    "it's",
    "say \"hi\"",
    "both ' and \"",
    "all ' \" `",
    "a'${b}\"",
    "tab\there",
    "line\nbreak",
    "\u{0}\u{1f}\u{7f}\u{85}",
    "back\\slash",
    "émoji 😀",
    "a long line that is longer than sixteen characters\nand a second line\n",
];
const KEYS: &[&str] = &[
    "a",
    "b",
    "key",
    "long_key_name",
    "with-dash",
    "x y",
    "é",
    "_",
    "$d",
];

fn num(x: f64) -> Value {
    if x.is_nan() {
        json!({"$num": "NaN"})
    } else if x.is_infinite() {
        json!({"$num": if x > 0.0 { "Infinity" } else { "-Infinity" }})
    } else if x == 0.0 && x.is_sign_negative() {
        json!({"$num": "-0"})
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 5 } else { 12 }) {
        0 => rng
            .pick(&[
                json!({"$undefined": 1}),
                Value::Null,
                json!(true),
                json!(false),
            ])
            .clone(),
        1 => num(*rng.pick(&[
            0.0,
            -0.0,
            1.0,
            -1.0,
            3.25,
            1e21,
            1e-7,
            f64::NAN,
            f64::INFINITY,
            42.0,
            1234567.0,
        ])),
        2 | 3 => json!(rng.pick(STRINGS)),
        4 => json!({"$bigint": (rng.below(2000) as i64 - 1000).to_string()}),
        5 | 6 => {
            let n = *rng.pick(&[0, 1, 2, 3, 5, 7, 8, 12, 27, 101]);
            let short = rng.chance(2, 3);
            Value::Array(
                (0..n)
                    .map(|_| {
                        if short {
                            num(rng.below(3000) as f64 - 100.0)
                        } else {
                            random_value(rng, depth + 1)
                        }
                    })
                    .collect(),
            )
        }
        7 | 8 => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(6) {
                let k = rng.pick(KEYS).to_string();
                let v = random_value(rng, depth + 1);
                m.insert(k, v);
            }
            Value::Object(m)
        }
        9 => {
            if rng.chance(1, 2) {
                let pairs: Vec<Value> = (0..rng.below(4))
                    .map(|_| json!([random_value(rng, depth + 1), random_value(rng, depth + 1)]))
                    .collect();
                json!({ "$map": pairs })
            } else {
                let items: Vec<Value> = (0..rng.below(5))
                    .map(|_| random_value(rng, depth + 1))
                    .collect();
                json!({ "$set": items })
            }
        }
        10 => {
            let b: Vec<u8> = (0..rng.below(60)).map(|_| rng.below(256) as u8).collect();
            nodestd_conformance::bytes::to_value(&b)
        }
        _ => {
            let name = *rng.pick(&["Error", "TypeError", "RangeError"]);
            let message = *rng.pick(&["boom", "", "bad thing", "two\nlines"]);
            let props = if rng.chance(1, 2) {
                json!({})
            } else {
                json!({"code": "ERR_X", "errno": -2})
            };
            json!({"$error": {"name": name, "message": message, "props": props}})
        }
    }
}

fn random_call(rng: &mut Rng) -> Value {
    if rng.chance(2, 3) {
        return json!({"fn": "util.inspect", "args": [random_value(rng, 0)]});
    }
    let pieces = [
        "%s", "%d", "%i", "%f", "%j", "%o", "%O", "%c", "%%", "x", " ", "%",
    ];
    let fmt: String = (0..rng.below(5)).map(|_| *rng.pick(&pieces)).collect();
    let mut args = vec![json!(fmt)];
    for _ in 0..rng.below(4) {
        args.push(random_value(rng, 2));
    }
    json!({"fn": "util.format", "args": args})
}

fn run_seed(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let calls: Vec<Value> = (0..n).map(|_| random_call(&mut rng)).collect();
    let stdin: String = calls.iter().map(|c| format!("{c}\n")).collect();
    let output = run_driver("util_driver.js", &[], &stdin);
    let answers: Vec<Value> = output
        .lines()
        .map(|l| nodestd_conformance::json::parse_line(l).expect("driver output is JSON"))
        .collect();
    assert_eq!(answers.len(), calls.len(), "one answer per call");
    let mut failures = Vec::new();
    for (call, node) in calls.iter().zip(&answers) {
        let mut node = node.clone();
        if let Some(m) = node.as_object_mut() {
            m.remove("message");
        }
        let ours = nodestd_conformance::answer(call);
        if ours != node {
            let show = |v: &Value| {
                v.get("result")
                    .and_then(Value::as_str)
                    .map_or(v.to_string(), str::to_owned)
            };
            failures.push(format!(
                "{call}\n--- node:\n{}\n--- ours:\n{}",
                show(&node),
                show(&ours)
            ));
        }
    }
    failures
}

#[test]
fn util_matches_node() {
    if !require_node("util_matches_node") {
        return;
    }
    let fresh = Rng::seed_from_env();
    let n = if quick() {
        QUICK_INPUTS
    } else {
        QUICK_INPUTS * 3
    };
    let mut report = Vec::new();
    for &seed in SEEDS.iter().chain([fresh].iter()) {
        let failures = run_seed(seed, n);
        println!("seed {seed}: {n} calls, {} differences", failures.len());
        if !failures.is_empty() {
            report.push(format!(
                "seed {seed} (replay with NODESTD_SEED={seed}): {} differences; first ones:\n{}",
                failures.len(),
                failures
                    .iter()
                    .take(if std::env::var("NODESTD_ALL").is_ok() {
                        usize::MAX
                    } else {
                        4
                    })
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    if !report.is_empty() {
        let path = std::env::temp_dir().join("util_differential_failures.txt");
        let _ = std::fs::write(&path, report.join("\n"));
        panic!("{} (all of them in {})", report.join("\n"), path.display());
    }
}
