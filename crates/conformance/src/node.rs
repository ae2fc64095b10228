//! Running live `node` for the differential tests.
//!
//! A test that needs node calls [`require_node`] first: when node is missing it fails under
//! `CI=true` and otherwise prints a loud `SKIPPED` line, so a missing oracle is never a silent
//! pass.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The folder holding the project's JavaScript drivers (`crates/conformance/node/`).
pub fn drivers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("node")
}

/// Whether `node` runs here; prints its version when it does.
pub fn node_version() -> Option<String> {
    let out = Command::new("node").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Returns true when node is available. When it is not: panics under `CI=true`, else prints
/// `SKIPPED: <test> needs node` and returns false.
pub fn require_node(test: &str) -> bool {
    match node_version() {
        Some(v) => {
            if !v.starts_with("v20.") {
                eprintln!(
                    "note: {test} compares with node {v}; the fixtures were recorded with v20"
                );
            }
            true
        }
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{test}: `node` is not on PATH and CI=true: the oracle is required in CI")
        }
        None => {
            eprintln!("SKIPPED: {test} needs `node` on PATH (the oracle); nothing was compared");
            println!("SKIPPED: {test} needs `node` on PATH (the oracle); nothing was compared");
            false
        }
    }
}

/// Runs `node <driver> [args]` with `input` on stdin and returns its stdout.
///
/// # Panics
/// When node cannot be started or exits with a failure (its stderr is shown).
pub fn run_driver(driver: &str, args: &[&str], input: &str) -> String {
    let path = drivers_dir().join(driver);
    let mut full = vec![path.to_str().expect("UTF-8 project path")];
    full.extend_from_slice(args);
    pipe_through(Path::new("node"), &full, input)
}

/// How long a driver may run before the watchdog of [`pipe_through`] kills it.
pub const PROGRAM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs `program args` with `input` written to its stdin (from another thread, so a large
/// input cannot deadlock against a full stdout pipe) and returns its stdout.
///
/// # Panics
/// When the program cannot be started or exits with a failure (its stderr is shown).
pub fn pipe_through(program: &Path, args: &[&str], input: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    // A watchdog: a hung program (node v20 can deadlock in its crypto bindings) is killed after
    // PROGRAM_TIMEOUT, so the test fails with a message instead of hanging CI.
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if done_rx.recv_timeout(PROGRAM_TIMEOUT).is_err() {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            return true;
        }
        false
    });
    let out = child.wait_with_output().expect("program output");
    let _ = done_tx.send(());
    let killed = watchdog.join().unwrap_or(false);
    assert!(
        !killed,
        "{} {args:?} was still running after {PROGRAM_TIMEOUT:?} and was killed (a hang)",
        program.display()
    );
    writer
        .join()
        .expect("writer thread")
        .expect("write to the program");
    assert!(
        out.status.success(),
        "{} {args:?} failed ({}): {}",
        program.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the program writes UTF-8")
}

/// True when the differential tests should run their quick size (`CI=true` or
/// `NODESTD_QUICK=1`); the full size otherwise multiplies the input count.
pub fn quick() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var("NODESTD_QUICK").is_ok_and(|v| v == "1")
}
