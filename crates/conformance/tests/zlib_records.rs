//! The compressor records of `fixtures/zlib.jsonl` (gzip, deflate, deflateRaw,
//! brotliCompress), checked as the fixture README says: our bytes may differ from Node's, and
//! pass when Node's matching decompressor, given our output and only the compressor's
//! `windowBits` and `dictionary`, returns the original input. `conformance_records.rs` skips
//! those records when the bytes differ; every other zlib record must match there exactly.
//!
//! All decompressions go to one node process (`node/zlib_driver.js`).

use std::path::Path;

use nodestd_conformance::node::{require_node, run_driver};
use serde_json::{Map, Value, json};

fn decompressor(compressor: &str) -> Option<&'static str> {
    Some(match compressor {
        "zlib.gzipSync" => "zlib.gunzipSync",
        "zlib.deflateSync" => "zlib.inflateSync",
        "zlib.deflateRawSync" => "zlib.inflateRawSync",
        "zlib.brotliCompressSync" => "zlib.brotliDecompressSync",
        _ => return None,
    })
}

/// The bytes a record's data argument stands for (a string is UTF-8).
fn data_bytes(v: &Value) -> Value {
    match v {
        Value::String(s) => {
            json!({ "$bytes": nodestd_conformance::bytes::to_base64(s.as_bytes()) })
        }
        other => other.clone(),
    }
}

fn run_conform(input: &str) -> Vec<String> {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_conform"));
    nodestd_conformance::node::pipe_through(program, &[], input)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn compressor_records_round_trip_through_node() {
    if !require_node("zlib_records") {
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/zlib.jsonl");
    let text = std::fs::read_to_string(&path).expect("fixtures/zlib.jsonl");
    let records: Vec<(usize, Value)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, nodestd_conformance::json::parse_line(l).unwrap()))
        .filter(|(_, r)| {
            decompressor(r["fn"].as_str().unwrap_or("")).is_some() && r.get("result").is_some()
        })
        .collect();
    assert!(
        records.len() >= 30,
        "expected the compressor records, found {}",
        records.len()
    );
    let input: String = records
        .iter()
        .map(|(_, r)| json!({"fn": r["fn"], "args": r["args"]}).to_string() + "\n")
        .collect();
    let ours = run_conform(&input);
    assert_eq!(ours.len(), records.len());

    let mut problems = Vec::new();
    let (mut identical, mut calls, mut checked) = (0, String::new(), Vec::new());
    for ((line, record), got) in records.iter().zip(&ours) {
        let got: Value = serde_json::from_str(got).unwrap();
        let Some(result) = got.get("result") else {
            problems.push(format!(
                "line {line}: Node returned bytes, we answered {got}"
            ));
            continue;
        };
        if result == &record["result"] {
            identical += 1;
            continue;
        }
        if result.get("$bytes").and_then(Value::as_str).is_none() {
            problems.push(format!("line {line}: answer is not bytes: {got}"));
            continue;
        }
        let mut opts = Map::new();
        if let Some(Value::Object(o)) = record["args"].get(1) {
            for key in ["windowBits", "dictionary"] {
                if let Some(v) = o.get(key) {
                    opts.insert(key.into(), v.clone());
                }
            }
        }
        let opts = if opts.is_empty() {
            Value::Null
        } else {
            Value::Object(opts)
        };
        let fname = decompressor(record["fn"].as_str().unwrap()).unwrap();
        calls.push_str(&(json!({"fn": fname, "args": [result, opts]}).to_string() + "\n"));
        checked.push((line, record));
    }
    let answers: Vec<String> = if calls.is_empty() {
        Vec::new()
    } else {
        run_driver("zlib_driver.js", &[], &calls)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(answers.len(), checked.len());
    for ((line, record), answer) in checked.iter().zip(&answers) {
        let answer: Value = serde_json::from_str(answer).unwrap();
        let want = data_bytes(&record["args"][0]);
        if answer.get("result") != Some(&want) {
            problems.push(format!(
                "line {line}: node's decompressor on our output gave {answer}, want {want}"
            ));
        }
    }
    println!(
        "zlib.jsonl compressor records: {} identical to Node's bytes, {} round-trip through node, {} problem(s)",
        identical,
        checked.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
