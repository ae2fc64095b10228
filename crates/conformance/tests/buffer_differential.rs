//! Differential test of `nodestd-buffer` against live node: random calls of every Buffer
//! function of the record family (`buffer.from`/`toString`/`byteLength` over strings built
//! from the base64 and hex alphabets, whitespace, `=`, junk and non-Latin-1 characters with
//! lone surrogates; `indexOf`/`lastIndexOf`/`includes` with string, Buffer and number needles,
//! every offset form and encoding; every `read…`/`write…` accessor with in- and out-of-range
//! values and offsets; `fill`, `subarray`, `swap*`, `concat`, `compare`, `equals`), answered
//! by one node process (`node/buffer_driver.js`) and by the family in process
//! (`families::buffer::call_full`). Codes must match, and Node's message text too wherever
//! nodestd-buffer makes the error.
//!
//! Each run uses the kept seeds of [`SEEDS`] (inputs that once failed, kept as regression
//! cases) plus a fresh one, which is printed; replay a failure with `NODESTD_SEED=<seed>`.

use nodestd_conformance::families::buffer::call_full;
use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::{Value, json};

/// Seeds run every time: the first ones, and any that found a bug.
const SEEDS: &[u64] = &[1, 2, 3];

/// Inputs per seed in quick mode (CI); the full run triples it.
const QUICK_INPUTS: usize = 4_000;

const ENCODINGS: &[&str] = &[
    "utf8",
    "utf16le",
    "latin1",
    "ascii",
    "base64",
    "base64url",
    "hex",
    "UCS-2",
    "binary",
];

fn bytes(b: &[u8]) -> Value {
    nodestd_conformance::bytes::to_value(b)
}

fn num(x: f64) -> Value {
    if x.is_nan() {
        json!({"$num": "NaN"})
    } else if x.is_infinite() {
        json!({"$num": if x > 0.0 { "Infinity" } else { "-Infinity" }})
    } else if x == 0.0 && x.is_sign_negative() {
        json!({"$num": "-0"})
    } else if x.fract() == 0.0 && x.abs() < 9e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A JavaScript string as JSON: lone surrogates become `\udXXX` escapes, which node's
/// JSON.parse reads as such and our record decoder turns into `$utf16`.
fn js_str(units: &[u16]) -> String {
    let mut s = String::from("\"");
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok('"') => s.push_str("\\\""),
            Ok('\\') => s.push_str("\\\\"),
            Ok(c) if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            Ok(c) => s.push(c),
            Err(e) => s.push_str(&format!("\\u{:04x}", e.unpaired_surrogate())),
        }
    }
    s.push('"');
    s
}

fn rand_units(rng: &mut Rng) -> Vec<u16> {
    const ALPHAS: &[&str] = &[
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=",
        "abcdefABCDEF0123456789xg ",
        "ab=+-_/ \n\t!.\u{e9}\u{141}\u{100}\r",
        "a\u{ff}\u{100}\u{20ac}\u{1f600}",
    ];
    let alpha: Vec<u16> = rng.pick(ALPHAS).encode_utf16().collect();
    let n = match rng.below(20) {
        0 => 4090 + rng.below(12),
        1..=3 => rng.below(60),
        _ => rng.below(14),
    };
    let mut out: Vec<u16> = (0..n).map(|_| *rng.pick(&alpha)).collect();
    if rng.chance(1, 8) && !out.is_empty() {
        let at = rng.below(out.len());
        out[at] = *rng.pick(&[0xd800, 0xdc00, 0xdbff]);
    }
    out
}

fn rand_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    let n = rng.below(max + 1);
    const POOLS: [&[u8]; 3] = [&[0x61, 0x62, 0x63], &[0, 1, 0xd8, 0xdc, 0xff], &[]];
    let pool: &[u8] = POOLS[rng.below(POOLS.len())];
    (0..n)
        .map(|_| {
            if pool.is_empty() {
                rng.below(256) as u8
            } else {
                *rng.pick(pool)
            }
        })
        .collect()
}

fn offset(rng: &mut Rng, len: usize) -> String {
    let l = len as f64;
    let x = *rng.pick(&[
        0.0,
        1.0,
        2.0,
        -1.0,
        -2.0,
        1.5,
        -1.5,
        l,
        l - 1.0,
        l + 1.0,
        -l,
        -l - 1.0,
        100.0,
        f64::NAN,
        f64::INFINITY,
        -0.0,
        4294967296.0,
        3.0,
    ]);
    num(x).to_string()
}

fn generate(rng: &mut Rng) -> String {
    let e = |rng: &mut Rng| format!("\"{}\"", rng.pick(ENCODINGS));
    let rec = |f: &str, args: Vec<String>| {
        format!("{{\"fn\":\"buffer.{f}\",\"args\":[{}]}}", args.join(","))
    };
    match rng.below(12) {
        0 | 1 => {
            let s = rand_units(rng);
            let f = if rng.chance(1, 3) {
                "byteLength"
            } else {
                "from"
            };
            rec(f, vec![js_str(&s), e(rng)])
        }
        2 => {
            let b = rand_bytes(rng, 16);
            let mut args = vec![bytes(&b).to_string(), e(rng)];
            if rng.chance(1, 2) {
                args.push(offset(rng, b.len()));
                args.push(offset(rng, b.len()));
            }
            rec("toString", args)
        }
        3..=5 => {
            let hay = rand_bytes(rng, 12);
            let needle = match rng.below(4) {
                0 => bytes(&rand_bytes(rng, 3)).to_string(),
                1 => num(rng.below(600) as f64 - 40.0).to_string(),
                _ => js_str(&rand_units(rng).into_iter().take(4).collect::<Vec<_>>()),
            };
            let f = *rng.pick(&["indexOf", "lastIndexOf", "includes"]);
            let mut args = vec![bytes(&hay).to_string(), needle];
            match rng.below(3) {
                0 => {}
                1 => args.push(offset(rng, hay.len())),
                _ => {
                    args.push(offset(rng, hay.len()));
                    args.push(e(rng));
                }
            }
            if rng.chance(1, 10) {
                args.truncate(2);
                args.push(e(rng));
            }
            rec(f, args)
        }
        6..=8 => {
            let kind = *rng.pick(&[
                "UInt8",
                "Int8",
                "UInt16LE",
                "Int16BE",
                "UInt32BE",
                "Int32LE",
                "FloatLE",
                "DoubleBE",
                "BigUInt64LE",
                "BigInt64BE",
                "UIntLE",
                "IntBE",
                "UIntBE",
                "IntLE",
            ]);
            let b = rand_bytes(rng, 10);
            let var = kind.len() <= 6 && !kind.contains('8');
            let width = if var { rng.below(8) } else { 0 };
            let read = rng.chance(1, 2);
            let mut args = vec![bytes(&b).to_string()];
            if !read {
                let v = if kind.starts_with("Big") {
                    let x: i128 = match rng.below(4) {
                        0 => (rng.next_u64() as i128) - (1i128 << 63) * rng.below(2) as i128,
                        1 => *rng.pick(&[0, -1, 1 << 64, (1 << 64) - 1, 1 << 63, -(1 << 63) - 1]),
                        _ => rng.below(1000) as i128 - 500,
                    };
                    json!({ "$bigint": x.to_string() })
                } else {
                    let bits = if var { width.max(1) * 8 } else { 32 } as i32;
                    let r = (rng.next_u64() % (1 << 53)) as f64 / 1024.0;
                    num(*rng.pick(&[
                        0.0,
                        -1.0,
                        1.5,
                        -0.5,
                        2f64.powi(bits) - 1.0,
                        2f64.powi(bits),
                        2f64.powi(bits - 1),
                        -(2f64.powi(bits - 1)),
                        -(2f64.powi(bits - 1)) - 1.0,
                        f64::NAN,
                        f64::INFINITY,
                        255.0,
                        256.0,
                        65535.5,
                        r,
                        1e300,
                        3.5e38,
                    ]))
                };
                args.push(v.to_string());
            }
            args.push(offset(rng, b.len()));
            if var {
                args.push(num(if rng.chance(1, 10) { 1.5 } else { width as f64 }).to_string());
            }
            let f = format!("{}{kind}", if read { "read" } else { "write" });
            rec(&f, args)
        }
        9 => {
            let b = rand_bytes(rng, 10);
            let v = match rng.below(3) {
                0 => js_str(&rand_units(rng).into_iter().take(5).collect::<Vec<_>>()),
                1 => bytes(&rand_bytes(rng, 3)).to_string(),
                _ => num(rng.below(600) as f64 - 100.0).to_string(),
            };
            let mut args = vec![bytes(&b).to_string(), v];
            let shape = rng.below(4);
            if shape >= 1 {
                args.push(offset(rng, b.len()));
            }
            if shape >= 2 {
                args.push(offset(rng, b.len()));
            }
            if shape >= 3 || rng.chance(1, 6) {
                args.push(e(rng));
            }
            rec("fill", args)
        }
        10 => {
            let b = rand_bytes(rng, 17);
            match rng.below(5) {
                0 => rec(
                    "subarray",
                    vec![
                        bytes(&b).to_string(),
                        offset(rng, b.len()),
                        offset(rng, b.len()),
                    ],
                ),
                1 => rec(
                    ["swap16", "swap32", "swap64"][rng.below(3)],
                    vec![bytes(&b).to_string()],
                ),
                2 => rec("toJSON", vec![bytes(&b).to_string()]),
                _ => {
                    let c = rand_bytes(rng, 5);
                    rec(
                        ["compare", "equals", "compareTo"][rng.below(3)],
                        vec![bytes(&b).to_string(), bytes(&c).to_string()],
                    )
                }
            }
        }
        _ => {
            let list: Vec<String> = (0..rng.below(4))
                .map(|_| bytes(&rand_bytes(rng, 4)).to_string())
                .collect();
            let mut args = vec![format!("[{}]", list.join(","))];
            if rng.chance(1, 2) {
                args.push(rng.below(14).to_string());
            }
            rec("concat", args)
        }
    }
}

fn run_seed(seed: u64, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let inputs: Vec<String> = (0..n).map(|_| generate(&mut rng)).collect();
    let stdin: String = inputs.iter().map(|l| format!("{l}\n")).collect();
    let output = run_driver("buffer_driver.js", &[], &stdin);
    let answers: Vec<Value> = output
        .lines()
        .map(|l| nodestd_conformance::json::parse_line(l).expect("driver output is JSON"))
        .collect();
    assert_eq!(answers.len(), inputs.len(), "one answer per input");
    let mut failures = Vec::new();
    for (line, node) in inputs.iter().zip(&answers) {
        let record = nodestd_conformance::json::parse_line(line).expect("input decodes");
        let name = record["fn"]
            .as_str()
            .unwrap_or("")
            .trim_start_matches("buffer.");
        let args = record["args"].as_array().cloned().unwrap_or_default();
        let ours = match call_full(name, &args) {
            Ok(v) => json!({ "result": v }),
            Err(f) => match f.message {
                Some(m) => json!({ "throws": f.code, "message": m }),
                None => json!({ "throws": f.code, "message": node["message"] }),
            },
        };
        if &ours != node {
            failures.push(format!("{line}\n  node: {node}\n  ours: {ours}"));
        }
    }
    failures
}

#[test]
fn buffer_matches_node() {
    if !require_node("buffer_matches_node") {
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
                    .take(6)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}
