//! Differential test of the `querystring` family against live node: random inputs for
//! `parse`, `stringify`, `escape`, `unescape` (at least 10,000 each) and `unescapeBuffer`,
//! all answered by one node process (`node/querystring_driver.js`) and by the `conform`
//! family code, compared as answer lines.
//!
//! Inputs mix ASCII, the delimiters, `+`, valid and broken `%` sequences, percent-encoded
//! UTF-8 (valid and not), non-ASCII characters, lone surrogates, custom `sep`/`eq`, `maxKeys`
//! and non-string arguments. Replay a failure with `NODESTD_SEED=<seed>`.

use nodestd_conformance::json::{js_key, js_string, parse_line};
use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::{Map, Value, json};

/// Inputs per function in quick mode (CI); the full run doubles it.
const PER_FUNCTION: usize = 10_500;

/// Pieces random strings are made of, as UTF-16 code units.
fn piece(rng: &mut Rng, delims: &[&str]) -> Vec<u16> {
    const FIXED: &[&str] = &[
        "a",
        "b",
        "k",
        "x",
        "Z",
        "0",
        "1",
        "9",
        "&",
        "=",
        "+",
        "%",
        " ",
        ";",
        ":",
        "?",
        "#",
        "/",
        "é",
        "日",
        "😀",
        "\u{80}",
        "\u{7FF}",
        "\u{800}",
        "\u{FFFF}",
        "\u{10000}",
        "~",
        "*",
        "'",
        "!",
        "(",
        "\n",
        "\0",
        "__proto__",
        "toString",
        "%zz",
        "%4",
        "%G1",
        "%%",
        "%2B",
        "%20",
        "%26",
        "%3D",
        "%E9",
        "%C3%A9",
        "%c3%a9",
        "%F0%9F%98%80",
        "%F0%9F%98",
        "%ED%A0%80",
        "%C0%80",
        "%F4%90%80%80",
        "%FF",
        "%80",
        "%uD83D",
        "[]",
        "10",
        "01",
    ];
    match rng.below(10) {
        0 => {
            // A random percent-encoded byte.
            let b = rng.below(256);
            let hex = if rng.chance(1, 2) {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            };
            hex.encode_utf16().collect()
        }
        1 if !delims.is_empty() => rng.pick(delims).encode_utf16().collect(),
        2 if rng.chance(1, 4) => {
            // A lone surrogate.
            vec![0xD800 + rng.below(0x800) as u16]
        }
        3 => {
            // A random BMP or astral character.
            let c = loop {
                let cp = if rng.chance(1, 2) {
                    rng.below(0x800) as u32
                } else {
                    rng.below(0x11_0000) as u32
                };
                if let Some(c) = char::from_u32(cp) {
                    break c;
                }
            };
            let mut buf = [0u16; 2];
            c.encode_utf16(&mut buf).to_vec()
        }
        _ => rng.pick(FIXED).encode_utf16().collect(),
    }
}

fn random_units(rng: &mut Rng, max_pieces: usize, delims: &[&str]) -> Vec<u16> {
    let n = rng.below(max_pieces + 1);
    let mut out = Vec::new();
    for _ in 0..n {
        out.extend(piece(rng, delims));
    }
    out
}

fn random_string(rng: &mut Rng, max_pieces: usize, delims: &[&str]) -> Value {
    js_string(&random_units(rng, max_pieces, delims))
}

/// A `sep` or `eq` argument: absent (`None`), falsy, a custom string or another type.
fn delimiter(rng: &mut Rng, common: &[&str]) -> Option<Value> {
    match rng.below(12) {
        0..=2 => None,
        3 => Some(Value::Null),
        4 => Some(json!("")),
        5 => Some(json!(0)),
        6 => Some(json!([])),
        7 => Some(js_string(&random_units(rng, 2, &[]))),
        8 => Some(json!(rng.below(3))),
        _ => Some(json!(rng.pick(common))),
    }
}

/// A number that survives the JSON round trip exactly. (serde_json without its
/// `float_roundtrip` feature may parse a float one ulp off, so node and the runner would
/// see different numbers.)
fn random_number(rng: &mut Rng) -> f64 {
    loop {
        let f = any_number(rng);
        let text = Value::from(f).to_string();
        if serde_json::from_str::<f64>(&text).ok() == text.parse::<f64>().ok() {
            return f;
        }
    }
}

fn any_number(rng: &mut Rng) -> f64 {
    match rng.below(8) {
        0 => rng.below(1000) as f64,
        1 => -(rng.below(100_000) as f64) / 100.0,
        2 => *rng.pick(&[
            0.0,
            -0.0,
            1e21,
            -1e21,
            1e20,
            1.5e-7,
            1e-6,
            1e-7,
            0.1,
            123456789.0,
            5e-324,
            f64::MAX,
            2f64.powi(53),
            1e300,
        ]),
        3 => (rng.below(1_000_000) as f64) * 10f64.powi(rng.below(40) as i32 - 20),
        // Large values with a binary fraction: ties between two shortest digit strings.
        4 => (rng.next_u64() >> 11) as f64 / *rng.pick(&[2.0, 4.0, 8.0, 1024.0, 65536.0]),
        _ => loop {
            let f = f64::from_bits(rng.next_u64());
            if f.is_finite() {
                break f;
            }
        },
    }
}

fn random_primitive(rng: &mut Rng, delims: &[&str]) -> Value {
    match rng.below(10) {
        0..=4 => random_string(rng, 4, delims),
        5 | 6 => json!(random_number(rng)),
        7 => json!(rng.chance(1, 2)),
        8 => Value::Null,
        _ => json!({ "x": 1 }),
    }
}

fn random_key(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => rng.below(20).to_string(),
        1 => rng
            .pick(&["01", "4294967294", "4294967295", "-1", "1.5", ""])
            .to_string(),
        _ => js_key(&random_units(rng, 3, &[])),
    }
}

fn parse_record(rng: &mut Rng) -> Value {
    const SEPS: &[&str] = &["&", ";", "&&", "ab", "é", "😀", ", ", "+", "%"];
    const EQS: &[&str] = &["=", ":", "=>", "==", "ba", "日", "+", "%2"];
    let sep = delimiter(rng, SEPS);
    let eq = delimiter(rng, EQS);
    let mut delims: Vec<&str> = vec!["&", "="];
    for d in [&sep, &eq].into_iter().flatten() {
        if let Some(s) = d.as_str() {
            delims.push(s);
        }
    }
    // Extra weight on the delimiters actually in use.
    let delims: Vec<String> = delims.iter().map(|s| s.to_string()).collect();
    let delim_refs: Vec<&str> = delims.iter().map(String::as_str).collect();
    let input = match rng.below(40) {
        0 => json!(rng.below(5)),
        1 => Value::Null,
        _ => random_string(rng, 14, &delim_refs),
    };
    let mut args = vec![input];
    let options = match rng.below(6) {
        0 => Some(json!({ "maxKeys": rng.below(5) })),
        1 => Some(json!({ "maxKeys": *rng.pick(&[-1.0, 1.5, 0.0, 2.0, 1e9]) })),
        2 => Some(json!({ "maxKeys": "2" })),
        _ => None,
    };
    let trailing = [sep, eq, options];
    let last = trailing.iter().rposition(Option::is_some);
    if let Some(last) = last {
        for a in &trailing[..=last] {
            args.push(a.clone().unwrap_or(Value::Null));
        }
    }
    json!({ "fn": "querystring.parse", "args": args })
}

fn stringify_record(rng: &mut Rng) -> Value {
    const SEPS: &[&str] = &["&", ";", "&&", "ab", "é", "😀"];
    const EQS: &[&str] = &["=", ":", "=>", "日"];
    let obj = match rng.below(30) {
        0 => random_primitive(rng, &[]),
        1 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_primitive(rng, &[]))
                .collect(),
        ),
        _ => {
            let mut m = Map::new();
            for _ in 0..rng.below(6) {
                let value = match rng.below(6) {
                    0 => Value::Array(
                        (0..rng.below(4))
                            .map(|_| match rng.below(8) {
                                0 => json!([1, 2]),
                                _ => random_primitive(rng, &[]),
                            })
                            .collect(),
                    ),
                    _ => random_primitive(rng, &["&", "="]),
                };
                m.insert(random_key(rng), value);
            }
            Value::Object(m)
        }
    };
    let mut args = vec![obj];
    let sep = delimiter(rng, SEPS);
    let eq = delimiter(rng, EQS);
    match (sep, eq) {
        (None, None) => {}
        (s, None) => args.push(s.unwrap_or(Value::Null)),
        (s, Some(e)) => {
            args.push(s.unwrap_or(Value::Null));
            args.push(e);
        }
    }
    json!({ "fn": "querystring.stringify", "args": args })
}

fn other_argument(rng: &mut Rng) -> Value {
    match rng.below(6) {
        0 => json!(random_number(rng)),
        1 => Value::Null,
        2 => json!(rng.chance(1, 2)),
        3 => json!({ "a": 1 }),
        4 => json!({ "toString": 1 }),
        _ => Value::Array(
            (0..rng.below(4))
                .map(|_| match rng.below(4) {
                    0 => Value::Null,
                    _ => random_string(rng, 3, &[]),
                })
                .collect(),
        ),
    }
}

fn escape_record(rng: &mut Rng) -> Value {
    let arg = if rng.chance(1, 20) {
        other_argument(rng)
    } else {
        random_string(rng, 10, &[])
    };
    json!({ "fn": "querystring.escape", "args": [arg] })
}

fn unescape_record(rng: &mut Rng, name: &str) -> Value {
    let arg = if rng.chance(1, 20) {
        other_argument(rng)
    } else {
        random_string(rng, 10, &["%", "%4", "+"])
    };
    let mut args = vec![arg];
    if rng.chance(1, 4) {
        args.push(json!(rng.chance(1, 2)));
    }
    json!({ "fn": format!("querystring.{name}"), "args": args })
}

#[test]
fn querystring_matches_node() {
    if !require_node("querystring_matches_node") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let n = if quick() {
        PER_FUNCTION
    } else {
        PER_FUNCTION * 2
    };
    let mut records = Vec::with_capacity(n * 5);
    for _ in 0..n {
        records.push(parse_record(&mut rng));
        records.push(stringify_record(&mut rng));
        records.push(escape_record(&mut rng));
        records.push(unescape_record(&mut rng, "unescape"));
        if rng.chance(1, 4) {
            records.push(unescape_record(&mut rng, "unescapeBuffer"));
        }
    }
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let output = run_driver("querystring_driver.js", &[], &input);
    let answers: Vec<&str> = output.lines().collect();
    assert_eq!(
        answers.len(),
        lines.len(),
        "node gave one answer per record"
    );

    let mut failures = Vec::new();
    let mut per_fn = std::collections::BTreeMap::<String, usize>::new();
    for ((line, record), node_line) in lines.iter().zip(&records).zip(&answers) {
        *per_fn
            .entry(record["fn"].as_str().unwrap_or("").to_owned())
            .or_default() += 1;
        let want = parse_line(node_line)
            .unwrap_or_else(|e| panic!("node answer does not decode ({e}): {node_line}"))
            .to_string();
        let got = nodestd_conformance::answer_line(line);
        if got != want {
            failures.push(format!("{line}\n    node {want}\n    ours {got}"));
        }
    }
    println!("seed {seed}: {per_fn:?}");
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with NODESTD_SEED={seed}): {} of {} records differ; first ones:\n{}",
        failures.len(),
        lines.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
