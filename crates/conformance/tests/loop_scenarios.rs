//! Event-loop scenarios: `loop-trace` must print exactly what `node trace.js` printed.
//!
//! - every scenario in `fixtures/loop-scenarios/` against its recorded `.expected` output;
//! - freshly generated random scenarios against live `node` running the same `trace.js`. The
//!   generator uses only ops whose order Node fixes (no timers, no I/O races: see the
//!   scenario README's "Deliberately excluded").

use std::path::{Path, PathBuf};
use std::process::Command;

use nodestd_conformance::node::{quick, require_node};
use nodestd_conformance::rng::Rng;
use serde_json::{Value, json};

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/loop-scenarios")
}

fn loop_trace(file: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loop-trace"))
        .arg(file)
        .output()
        .expect("run loop-trace");
    assert!(
        out.status.success(),
        "loop-trace {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_recorded_scenario_matches_node() {
    let mut files: Vec<_> = std::fs::read_dir(scenarios_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 73, "the public scenarios are all here");
    let mut failures = Vec::new();
    for f in &files {
        let expected =
            std::fs::read_to_string(f.with_extension("expected")).expect("expected output");
        let got = loop_trace(f);
        if got != expected {
            failures.push(format!(
                "{}:\n--- node\n{expected}--- nodestd\n{got}",
                f.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    println!(
        "{} / {} scenarios match",
        files.len() - failures.len(),
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A random op list: `depth` bounds nesting, labels count up.
fn gen_ops(rng: &mut Rng, depth: u32, label: &mut u32) -> Value {
    let n = 1 + rng.below(if depth == 0 { 6 } else { 3 });
    let mut ops = Vec::new();
    for _ in 0..n {
        *label += 1;
        ops.push(json!({"log": format!("L{label}")}));
        if depth >= 4 || rng.chance(1, 3) {
            continue;
        }
        let kind = *rng.pick(&["tick", "micro", "then", "await", "immediate", "close"]);
        ops.push(json!({kind: gen_ops(rng, depth + 1, label)}));
    }
    Value::Array(ops)
}

#[test]
fn random_scenarios_match_live_node() {
    if !require_node("random_scenarios_match_live_node") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let count = if quick() { 60 } else { 200 };
    let dir = std::env::temp_dir().join(format!("nodestd-loop-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trace_js = scenarios_dir().join("trace.js");
    let mut failures = Vec::new();
    for i in 0..count {
        let mut label = 0;
        let scenario =
            json!({"name": format!("random_{i}"), "ops": gen_ops(&mut rng, 0, &mut label)});
        let file = dir.join(format!("random_{i}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&scenario).unwrap()).unwrap();
        let node = Command::new("node")
            .arg(&trace_js)
            .arg(&file)
            .output()
            .expect("run node");
        assert!(
            node.status.success(),
            "node trace.js failed: {}",
            String::from_utf8_lossy(&node.stderr)
        );
        let want = String::from_utf8(node.stdout).unwrap();
        let got = loop_trace(&file);
        if got != want {
            failures.push(format!("{}\n--- node\n{want}--- nodestd\n{got}", scenario));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{count} random scenarios compared with node (seed {seed})");
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with NODESTD_SEED={seed}):\n{}",
        failures.join("\n")
    );
}
