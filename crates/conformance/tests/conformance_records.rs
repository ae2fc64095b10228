//! Every record of the fixture files in `fixtures/*.jsonl`, run through the `conform` binary
//! exactly as a user would run it, must give Node's answer.
//!
//! Known gaps are listed in `fixtures/expected_failures.txt` as `FILE:LINE reason`; an
//! unexpected pass or a stale entry fails the run, so the list cannot rot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Runs `conform` on `input` and returns its stdout lines.
fn run_conform(input: &str) -> Vec<String> {
    let program = std::path::Path::new(env!("CARGO_BIN_EXE_conform"));
    nodestd_conformance::node::pipe_through(program, &[], input)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The answer Node gave, as the runner must print it.
fn expected_answer(record: &Value) -> String {
    let mut m = serde_json::Map::new();
    if let Some(r) = record.get("result") {
        m.insert("result".into(), r.clone());
    } else {
        m.insert("throws".into(), record["throws"].clone());
    }
    Value::Object(m).to_string()
}

/// Strips `result`/`throws` from a raw record line, keeping its text otherwise intact (lone
/// surrogate escapes must reach the runner as written).
fn strip_answer(line: &str) -> String {
    let bytes = line.as_bytes();
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b',' if depth == 1 => {
                let rest = &line[i + 1..];
                if rest.starts_with("\"result\":") || rest.starts_with("\"throws\":") {
                    return format!("{}}}", &line[..i]);
                }
            }
            _ => {}
        }
    }
    panic!("record has no result or throws: {line}");
}

/// Whether a record is a zlib compressor call that returned bytes: the fixture README lets
/// such an answer differ from Node's bytes when Node's decompressor gives the input back.
fn needs_roundtrip(record: &Value) -> bool {
    let compressor = matches!(
        record["fn"].as_str(),
        Some(
            "zlib.gzipSync"
                | "zlib.deflateSync"
                | "zlib.deflateRawSync"
                | "zlib.brotliCompressSync"
        )
    );
    compressor && record.get("result").is_some()
}

fn expected_failures() -> BTreeMap<String, String> {
    let text =
        std::fs::read_to_string(fixtures().join("expected_failures.txt")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, reason) = l.split_once(char::is_whitespace).unwrap_or((l, ""));
            (key.to_owned(), reason.trim().to_owned())
        })
        .collect()
}

#[test]
fn every_fixture_record_matches_node() {
    let mut allowed = expected_failures();
    let mut files: Vec<_> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixture files found");
    let mut problems = Vec::new();
    let mut total = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let input: String = lines.iter().map(|l| strip_answer(l) + "\n").collect();
        let answers = run_conform(&input);
        assert_eq!(answers.len(), lines.len(), "{name}: one answer per record");
        let mut passed = 0;
        for (i, (line, got)) in lines.iter().zip(&answers).enumerate() {
            let key = format!("{name}:{}", i + 1);
            let record = nodestd_conformance::json::parse_line(line).expect("fixture decodes");
            let want = expected_answer(&record);
            // A compressor's bytes may differ from Node's; such answers are checked by round
            // trip through node in `zlib_records.rs` instead.
            let ok = *got == want || (needs_roundtrip(&record) && got.starts_with("{\"result\":"));
            match (ok, allowed.remove(&key)) {
                (true, None) => passed += 1,
                (false, Some(_)) => {}
                (true, Some(reason)) => problems.push(format!(
                    "{key}: listed as expected failure ({reason}) but passes"
                )),
                (false, None) => problems.push(format!(
                    "{key}: {}\n    want {want}\n    got  {got}",
                    strip_answer(line)
                )),
            }
        }
        total += lines.len();
        println!("{name}: {passed}/{} records pass", lines.len());
    }
    for key in allowed.keys() {
        problems.push(format!(
            "{key}: stale expected-failure entry (no such record)"
        ));
    }
    println!("{total} records checked");
    if !problems.is_empty() {
        let shown: Vec<_> = problems.iter().take(40).cloned().collect();
        panic!("{} problem(s):\n{}", problems.len(), shown.join("\n"));
    }
}
