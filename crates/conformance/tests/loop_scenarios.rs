//! Event-loop scenarios: `loop-trace` must print exactly what `node trace.js` printed.
//!
//! - every scenario in `fixtures/loop-scenarios/` against its recorded `.expected` output;
//! - freshly generated random scenarios against live `node` running the same `trace.js`. The
//!   generator uses only ops whose order Node fixes (no timers, no I/O races: see the
//!   scenario README's "Deliberately excluded");
//! - random scenarios with one `socket` op (a loopback server and client) among them, against
//!   live `node` the same way.

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

/// The events of the `socket` op, each of which may run OPS.
const SOCKET_EVENTS: &[&str] = &[
    "listening",
    "connection",
    "connect",
    "data",
    "end",
    "close",
    "client_data",
    "client_end",
    "client_close",
    "server_close",
];

/// A random scenario with one `socket` op (a loopback server and client) among the main
/// script's ops, its events running random ops of their own.
fn gen_socket_scenario(rng: &mut Rng, name: String) -> Value {
    let mut label = 0;
    let mut main = gen_ops(rng, 1, &mut label);
    let mut socket = serde_json::Map::new();
    for event in SOCKET_EVENTS {
        if rng.chance(2, 3) {
            label += 1;
            let mut ops = vec![json!({"log": format!("{event}:L{label}")})];
            if let Value::Array(more) = gen_ops(rng, 2, &mut label) {
                ops.extend(more);
            }
            socket.insert((*event).into(), Value::Array(ops));
        }
    }
    socket.insert("destroy".into(), json!(rng.chance(1, 3)));
    let ops = main.as_array_mut().expect("an op list");
    let at = rng.below(ops.len() + 1);
    ops.insert(at, json!({"socket": socket}));
    json!({"name": name, "ops": main})
}

#[test]
fn random_scenarios_match_live_node() {
    compare_random_with_node("random_scenarios_match_live_node", 60, 200, |rng, i| {
        let mut label = 0;
        json!({"name": format!("random_{i}"), "ops": gen_ops(rng, 0, &mut label)})
    });
}

/// Socket steps (listen, connect, write, data, end, close, destroy) mixed with ticks,
/// microtasks, immediates and closes: the order of `connection`, `data`, `end` and `close`
/// against the loop's phases must be Node's.
#[test]
fn random_socket_scenarios_match_live_node() {
    compare_random_with_node(
        "random_socket_scenarios_match_live_node",
        30,
        100,
        |rng, i| gen_socket_scenario(rng, format!("socket_{i}")),
    );
}

/// `count` (`quick` or `full`) scenarios of `make` run by `loop-trace` and by node's
/// `trace.js`; the seed is printed and replays with `NODESTD_SEED`.
fn compare_random_with_node(
    test: &str,
    quick_count: u64,
    full_count: u64,
    make: impl Fn(&mut Rng, u64) -> Value,
) {
    if !require_node(test) {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let count = if quick() { quick_count } else { full_count };
    let dir = std::env::temp_dir().join(format!(
        "nodestd-loop-scenarios-{}-{test}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let trace_js = scenarios_dir().join("trace.js");
    let mut failures = Vec::new();
    for i in 0..count {
        let scenario = make(&mut rng, i);
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
    println!("{test}: {count} random scenarios compared with node (seed {seed})");
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with NODESTD_SEED={seed}):\n{}",
        failures.join("\n")
    );
}
