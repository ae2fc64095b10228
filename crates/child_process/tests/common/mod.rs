//! What the integration tests share: the path of an example binary of this package.

use std::path::PathBuf;

/// `target/<profile>/examples/<name>`, which `cargo test -p nodestd-child-process` builds
/// beside the tests (they run from `target/<profile>/deps`).
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples")
        .join(name);
    assert!(
        bin.exists(),
        "{} is missing: run through `cargo test -p nodestd-child-process`, which builds it",
        bin.display()
    );
    bin
}

/// Runs `node tests/node/SCRIPT args...` with `CHILD` set to `child` (removed when `None`) and
/// returns its stdout, asserting that it succeeded.
#[allow(dead_code)] // not every test file runs node scripts
pub fn node_script(script: &str, args: &[&str], child: Option<&std::path::Path>) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node")
        .join(script);
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&path).args(args).env_remove("CHILD");
    if let Some(c) = child {
        cmd.env("CHILD", c);
    }
    let out = cmd
        .output()
        .expect("node (v20) must be on PATH: it is the specification");
    assert!(
        out.status.success(),
        "node {script} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
