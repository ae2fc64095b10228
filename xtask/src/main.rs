//! nodestd's automation, run as `cargo xtask <command>`.
//!
//! - `test-all`: formatting, clippy with warnings denied, then every test of the workspace
//!   (unit, integration, doc tests, the conformance records and loop scenarios), the docs
//!   (`cargo doc` with warnings denied) and the loom models. Every step runs whatever happened in the ones before (a fmt or clippy failure, or
//!   one failing test binary, hides nothing: `cargo test` runs with `--no-fail-fast`); at the
//!   end it lists the steps that failed and exits non-zero if any did. Green here means green
//!   CI.
//! - `publish-check`: `cargo publish --dry-run --workspace` and the docs with warnings as
//!   errors (see `publish.rs`; `--no-verify` packages without building; `publish-check
//!   CRATE ...` checks those crates and the workspace crates they need, and can resume).
//! - `tidy`: the repository rules alone (also part of `test-all`, as the `tidy` test).
//! - `fuzz`: the fuzz targets' random-mutation driver (`--quick`: about a minute, as CI runs
//!   it; `--seconds N [TARGET ...]` for longer runs); see RELIABILITY.md.

mod bench;
mod fuzz;
mod publish;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test-all") => test_all(),
        Some("tidy") => cargo(&["test", "--package", "xtask", "--test", "tidy"]),
        Some("bench") => bench::bench(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("publish-check") => publish::publish_check(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <test-all | tidy | bench [WORKLOAD ...] [--quick] [--json FILE] | \
                 fuzz --quick | fuzz --seconds N [--seed HEX] [TARGET ...] | \
                 publish-check [--no-verify] [--exclude CRATE ... | CRATE ...]>"
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
    cargo_with(args, &[])
}

/// `cargo <args>` in the workspace root with extra environment variables.
fn cargo_with(args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let shown: String = env.iter().map(|(k, v)| format!("{k}='{v}' ")).collect();
    eprintln!("$ {shown}cargo {}", args.join(" "));
    let status = Command::new(&cargo)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}cargo {}` failed ({status})",
            args.join(" ")
        ))
    }
}

/// One step of `test-all`.
type Step = fn() -> Result<(), String>;

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
    // Every step runs, whatever the ones before gave: a formatting slip or one failing test
    // binary must not hide the result of the others.
    // `--keep-going` and `--no-fail-fast`: a crate that fails to build or a failing test
    // binary does not stop the others.
    let steps: [(&str, Step); 6] = [
        ("fmt", || cargo(&["fmt", "--all", "--", "--check"])),
        ("clippy", || {
            cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--keep-going",
                "--",
                "-D",
                "warnings",
            ])
        }),
        ("tests", || {
            // The example binaries that tests run (ipc-child, http-hello, dns-query …) as
            // plain executables in target/debug/examples: `--all-targets` builds examples in
            // test mode only.
            let examples = cargo(&["build", "--workspace", "--examples", "--keep-going"]);
            let tests = cargo(&["test", "--workspace", "--all-targets", "--no-fail-fast"]);
            examples.and(tests)
        }),
        ("doc tests", || {
            cargo(&["test", "--workspace", "--doc", "--no-fail-fast"])
        }),
        ("docs", publish::docs),
        ("loom", loom),
    ];
    let mut failed = Vec::new();
    for (name, step) in steps {
        let started = Instant::now();
        let result = step();
        let took = started.elapsed().as_secs_f64();
        match result {
            Ok(()) => eprintln!("xtask: {name}: ok ({took:.0} s)"),
            Err(e) => {
                eprintln!("xtask: {name}: FAILED ({took:.0} s): {e}");
                failed.push(format!("{name}: {e}"));
            }
        }
    }
    if failed.is_empty() {
        eprintln!("xtask: test-all: every step passed");
        Ok(())
    } else {
        Err(format!(
            "test-all: {} step(s) failed:\n  {}",
            failed.len(),
            failed.join("\n  ")
        ))
    }
}

/// The loom models of the worker pool and the cross-thread wake-up: the loop crate built with
/// `--cfg loom` (in its own target dir, so the normal build stays cached). They run optimized
/// (loom explores every interleaving, which takes long unoptimized) but with debug assertions
/// and overflow checks on, so the `debug_assert!`s of the code under test are checked in every
/// interleaving too (as tokio runs its loom models: optimized, with debug assertions on).
fn loom() -> Result<(), String> {
    let target = root().join("target").join("loom");
    cargo_with(
        &["test", "--package", "nodestd-loop", "--lib", "--release"],
        &[
            ("RUSTFLAGS", "--cfg loom"),
            ("CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS", "true"),
            ("CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS", "true"),
            ("CARGO_TARGET_DIR", &target.to_string_lossy()),
        ],
    )
    .map_err(|e| format!("the loom models failed: {e}"))
}
