//! nodestd's automation, run as `cargo xtask <command>`.
//!
//! - `test-all`: formatting, clippy with warnings denied, then every test of the workspace
//!   (unit, integration, doc tests, the conformance records and loop scenarios). Green here
//!   means green CI.
//! - `tidy`: the repository rules alone (also part of `test-all`, as the `tidy` test).

mod bench;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test-all") => test_all(),
        Some("tidy") => cargo(&["test", "--package", "xtask", "--test", "tidy"]),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <test-all | tidy | bench [WORKLOAD ...] [--quick] [--json FILE]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent")
        .to_path_buf()
}

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn test_all() -> Result<(), String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {
            eprintln!("node {}", String::from_utf8_lossy(&out.stdout).trim());
        }
        _ => eprintln!(
            "WARNING: `node` is not on PATH: the differential tests against live Node will \
             report themselves as skipped (and fail under CI=true)"
        ),
    }
    cargo(&["fmt", "--all", "--", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--workspace", "--all-targets"])?;
    cargo(&["test", "--workspace", "--doc"])?;
    loom()?;
    Ok(())
}

/// The loom models of the worker pool and the cross-thread wake-up: the loop crate built with
/// `--cfg loom` (in its own target dir, so the normal build stays cached).
fn loom() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let args = ["test", "--package", "nodestd-loop", "--lib", "--release"];
    eprintln!("$ RUSTFLAGS='--cfg loom' cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .env("RUSTFLAGS", "--cfg loom")
        .env("CARGO_TARGET_DIR", root().join("target").join("loom"))
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the loom models failed ({status})"))
    }
}
