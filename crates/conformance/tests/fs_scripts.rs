//! fs scripts: every script in `fixtures/fs-scripts/` (format: that folder's README.md) must
//! print the same lines through `fs-script` (nodestd-fs) as through `node/fs_script.js` (live
//! node), in each of the three forms: sync, callback and promise.

use std::path::{Path, PathBuf};
use std::process::Command;

use nodestd_conformance::node::{require_node, run_driver};

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
