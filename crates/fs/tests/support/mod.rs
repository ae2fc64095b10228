//! What the fs tests that compare with node share: removing a test directory, and running a
//! script of `tests/node/` under live node.

use std::path::Path;
use std::process::Command;

use nodestd_fs as fs;

/// Removes a test directory and everything in it.
pub fn remove(dir: &Path) {
    let rm = fs::RmOptions {
        recursive: true,
        force: true,
        ..Default::default()
    };
    fs::rm_sync(dir, rm).unwrap();
}

/// Runs `tests/node/<script> <dir>` under node with `env`, and gives its standard output;
/// `None` (with a printed skip naming `test`) when node cannot be run. A script that fails is
/// a test failure.
pub fn node_output(test: &str, script: &str, dir: &Path, env: &[(&str, &str)]) -> Option<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node")
        .join(script);
    let out = match Command::new("node")
        .arg(&script)
        .arg(dir)
        .envs(env.iter().copied())
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            println!("SKIP {test}: node not runnable ({e})");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}
