//! fs scripts: every script in `fixtures/fs-scripts/` (format: that folder's README.md) must
//! print the same lines through `fs-script` (nodestd-fs) as through `node/fs_script.js` (live
//! node), in each of the three forms: sync, callback and promise; so must random scripts
//! generated from a seed (`NODESTD_SEED`).

use std::path::{Path, PathBuf};
use std::process::Command;

use nodestd_conformance::node::{require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::json;

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fs-scripts");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the fs-scripts folder")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn fs_script(file: &Path, mode: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_fs-script"))
        .arg(file)
        .args(["--mode", mode])
        .output()
        .expect("run fs-script");
    assert!(
        out.status.success(),
        "fs-script {} --mode {mode} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The first differing line of two outputs, with the script step it came from.
fn first_difference(script: &Path, node: &str, ours: &str) -> String {
    let steps: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(script).expect("the script"))
            .expect("a JSON list");
    let (a, b): (Vec<_>, Vec<_>) = (node.lines().collect(), ours.lines().collect());
    for i in 0..a.len().max(b.len()) {
        if a.get(i) != b.get(i) {
            let step = steps
                .get(i)
                .map_or("(the final tree)".into(), |s| s.to_string());
            return format!(
                "line {} (step {step}):\n  node:    {}\n  nodestd: {}",
                i + 1,
                a.get(i).unwrap_or(&"(none)"),
                b.get(i).unwrap_or(&"(none)")
            );
        }
    }
    "identical".into()
}

#[test]
fn every_fs_script_matches_node_in_every_mode() {
    if !require_node("fs_scripts") {
        return;
    }
    let files = scripts();
    assert!(files.len() >= 5, "the fs scripts are all here");
    let mut failures = Vec::new();
    let mut ops = 0;
    for mode in ["sync", "callback", "promise"] {
        let mut passed = 0;
        for f in &files {
            let path = f.to_str().expect("UTF-8 path");
            let node = run_driver("fs_script.js", &[path, "--mode", mode], "");
            let ours = fs_script(f, mode);
            ops += node.lines().count();
            if node == ours {
                passed += 1;
            } else {
                failures.push(format!(
                    "{} --mode {mode}: {}",
                    f.file_name().unwrap_or_default().to_string_lossy(),
                    first_difference(f, &node, &ours)
                ));
            }
        }
        println!("fs scripts, {mode}: {passed} / {} match node", files.len());
    }
    println!("({ops} output lines compared)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A random path in a small name space (so operations meet each other's results).
fn random_path(rng: &mut Rng) -> String {
    let depth = 1 + rng.below(3);
    (0..depth)
        .map(|_| *rng.pick(&["a", "b", "c"]))
        .collect::<Vec<_>>()
        .join("/")
}

/// One random step: an fs call with plausible (and sometimes wrong) arguments.
fn random_step(rng: &mut Rng) -> serde_json::Value {
    let p = random_path(rng);
    let q = random_path(rng);
    let b = |rng: &mut Rng| rng.chance(1, 2);
    let data = *rng.pick(&["", "x", "hello", "0123456789"]);
    match rng.below(24) {
        0 => json!({"op": "mkdir", "args": [p, {"recursive": b(rng)}]}),
        1 => json!({"op": "writeFile", "args": [p, data]}),
        2 => json!({"op": "appendFile", "args": [p, data]}),
        3 => json!({"op": "readFile", "args": [p, *rng.pick(&["utf8", "hex", "base64"])]}),
        4 => json!({"op": "rm", "args": [p, {"recursive": b(rng), "force": b(rng)}]}),
        5 => json!({"op": "rmdir", "args": [p]}),
        6 => json!({"op": "unlink", "args": [p]}),
        7 => json!({"op": "rename", "args": [p, q]}),
        // Link targets are relative and never climb (`..`), and `cp` keeps them verbatim
        // (it makes relative targets absolute otherwise): no link can point at one of its
        // ancestors, so a recursive readdir, which follows links to directories as Node's
        // does, never walks a cycle (Node runs out of memory on one).
        8 => {
            json!({"op": "symlink", "args": [*rng.pick(&["a", "b", "c/b", "b/a", "nowhere"]), p]})
        }
        9 => json!({"op": "link", "args": [p, q]}),
        10 => json!({"op": "copyFile", "args": [p, q, rng.below(2)]}),
        11 => {
            let o = json!({"recursive": b(rng), "force": b(rng), "errorOnExist": b(rng), "verbatimSymlinks": true});
            json!({"op": "cp", "args": [p, q, o]})
        }
        12 => json!({"op": "stat", "args": [p]}),
        13 => json!({"op": "lstat", "args": [p]}),
        14 => json!({"op": "readdir", "args": [p, {"recursive": b(rng), "withFileTypes": b(rng)}]}),
        15 => json!({"op": "readlink", "args": [p]}),
        16 => json!({"op": "realpath", "args": [p]}),
        17 => json!({"op": "truncate", "args": [p, rng.below(12)]}),
        18 => json!({"op": "chmod", "args": [p, *rng.pick(&[0o644, 0o600, 0o755])]}),
        19 => json!({"op": "access", "args": [p, rng.below(8)]}),
        20 => json!({"op": "exists", "args": [p]}),
        21 => json!({"op": "opendir", "args": [p]}),
        22 => json!({"op": "mkdir", "args": [p]}),
        _ => {
            json!({"op": "writeFile", "args": [p, data, {"flag": *rng.pick(&["w", "wx", "a", "r+", "ax"])}]})
        }
    }
}

/// Random scripts (seeded: `NODESTD_SEED`), each run in the three modes through both runners:
/// 3 scripts x 1,200 steps x 3 modes = 10,800 compared operations per run.
#[test]
fn random_fs_scripts_match_node_in_every_mode() {
    if !require_node("fs_scripts random") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    let mut compared = 0;
    for i in 0..3 {
        let steps: Vec<_> = (0..1200).map(|_| random_step(&mut rng)).collect();
        // Named by seed and kept when anything fails (a node crash included), for replay.
        let file = std::env::temp_dir().join(format!("nodestd-fs-random-seed-{seed}-{i}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&steps).expect("JSON")).expect("write");
        let path = file.to_str().expect("UTF-8 path");
        for mode in ["sync", "callback", "promise"] {
            let node = run_driver("fs_script.js", &[path, "--mode", mode], "");
            let ours = fs_script(&file, mode);
            compared += steps.len();
            if node != ours {
                failures.push(format!(
                    "seed {seed}, script {i} (kept as {}), --mode {mode}: {}",
                    file.display(),
                    first_difference(&file, &node, &ours)
                ));
            }
        }
    }
    if failures.is_empty() {
        for i in 0..3 {
            let name = format!("nodestd-fs-random-seed-{seed}-{i}.json");
            let _ = std::fs::remove_file(std::env::temp_dir().join(name));
        }
    }
    println!("random fs scripts (seed {seed}): {compared} operations compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
