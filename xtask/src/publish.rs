//! `cargo xtask publish-check` and the documentation step of `test-all`.
//!
//! - `publish-check`: `cargo publish --dry-run --workspace`, which packages every published
//!   crate (those without `publish = false`) in dependency order and, unless `--no-verify`
//!   is given, builds each package from its `.crate` file. A crate that depends on a
//!   workspace sibling not yet on crates.io (every nodestd crate, today) is verified against
//!   the sibling's package: cargo (1.90 and later) overlays the packages it just made as a
//!   local registry, so the path dependencies' `version = "0.1.0"` resolve to them and not to
//!   crates.io. `--allow-dirty` is passed: the check is about what would be packaged (the
//!   working tree), not about the git state. Then `docs`.
//! - `publish-check CRATE ...`: the same for the named crates only, each with the workspace
//!   crates it depends on (normal, build and versioned dev-dependencies, transitively: the
//!   overlay holds only the packages of the same run). A run can be cut short and resumed:
//!   the verifying builds share the workspace's target directory, so a second run rebuilds
//!   only what changed and each package's own library (its unpacked copy is new). Without
//!   `docs`.
//! - Before either, the overlay's leftovers of earlier runs are cleared: cargo unpacks each
//!   sibling package it verifies against into `$CARGO_HOME/registry/src/<overlay>/` once and
//!   never again while that directory exists, and it takes a registry package's build in
//!   the target directory as fresh whatever its contents (a registry version is immutable),
//!   so a second run compiled the first run's sources of nodestd-loop and linked its old
//!   library (nodestd-net's verify failed on `drain_queues`, which the working tree has).
//!   Each published member's unpacked copy and the builds whose dep-info names one are
//!   removed, so every run checks the working tree's code.
//! - `docs`: `cargo doc --workspace --no-deps` with `RUSTDOCFLAGS=-D warnings`: a broken
//!   intra-doc link or a bad code block attribute fails the run. The crates' README code blocks
//!   are compiled as doc tests by the umbrella crate (`nodestd::readmes`, `cfg(doctest)`), so
//!   the doc-test step of `test-all` keeps them true.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::{cargo_with, root};

/// `cargo xtask publish-check [--no-verify] [--exclude CRATE ...] [CRATE ...]`.
pub fn publish_check(args: &[String]) -> Result<(), String> {
    let mut cmd: Vec<String> = ["publish", "--dry-run", "--allow-dirty"]
        .map(String::from)
        .to_vec();
    let mut excluded = Vec::new();
    let mut named = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-verify" => cmd.push("--no-verify".into()),
            "--exclude" => {
                let krate = it.next().ok_or("--exclude needs a crate name")?;
                excluded.push(krate.clone());
            }
            other if other.starts_with('-') => {
                return Err(format!("publish-check: unknown argument {other:?}"));
            }
            krate => named.push(krate.to_string()),
        }
    }
    let meta = metadata()?;
    clear_overlay_leftovers(&meta)?;
    let started = Instant::now();
    if named.is_empty() {
        cmd.push("--workspace".into());
        for krate in &excluded {
            cmd.extend(["--exclude".into(), krate.clone()]);
        }
    } else {
        if !excluded.is_empty() {
            return Err("publish-check: --exclude goes with the whole workspace, not CRATE".into());
        }
        let packages = with_workspace_dependencies(&meta, &named)?;
        eprintln!(
            "publish-check: {} and the workspace crates they depend on: {}",
            named.join(", "),
            packages.iter().cloned().collect::<Vec<_>>().join(", ")
        );
        for p in packages {
            cmd.extend(["--package".into(), p]);
        }
    }
    let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
    let result = cargo_with(&args, &[]);
    eprintln!(
        "publish-check: cargo publish --dry-run took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    result?;
    if named.is_empty() { docs() } else { Ok(()) }
}

/// `cargo metadata --no-deps` of the workspace.
fn metadata() -> Result<Value, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    Ok(meta)
}

/// Removes what earlier runs left of the overlay registry: the unpacked copies of every
/// published member (`$CARGO_HOME/registry/src/*/NAME-VERSION`) and the builds in
/// `target/debug` whose dep-info names such a copy (their fingerprint directories, so that
/// cargo builds them again from the new packages).
fn clear_overlay_leftovers(meta: &Value) -> Result<(), String> {
    let packages = meta["packages"]
        .as_array()
        .ok_or("no packages in metadata")?;
    let published: Vec<(String, String)> = packages
        .iter()
        .filter(|p| p["publish"] != serde_json::json!([]))
        .filter_map(|p| {
            let name = p["name"].as_str()?;
            Some((
                name.to_string(),
                format!("{name}-{}", p["version"].as_str()?),
            ))
        })
        .collect();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let mut unpacked = 0;
    for registry in read_dir(&home.join("registry/src")) {
        for (_, dir) in &published {
            let copy = registry.join(dir);
            if copy.is_dir() {
                std::fs::remove_dir_all(&copy)
                    .map_err(|e| format!("cannot remove {}: {e}", copy.display()))?;
                unpacked += 1;
            }
        }
    }
    let target = PathBuf::from(
        meta["target_directory"]
            .as_str()
            .ok_or("no target_directory in metadata")?,
    );
    let debug = target.join("debug");
    let mut builds = 0;
    for dep_info in read_dir(&debug.join("deps")) {
        if dep_info.extension().is_none_or(|e| e != "d") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&dep_info) else {
            continue;
        };
        let first = text.lines().next().unwrap_or("");
        let Some((name, _)) = published.iter().find(|(_, dir)| {
            first.contains("/registry/src/") && first.contains(&format!("/{dir}/"))
        }) else {
            continue;
        };
        // deps/CRATE-HASH.d → .fingerprint/PACKAGE-HASH
        let stem = dep_info.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let Some((_, hash)) = stem.rsplit_once('-') else {
            continue;
        };
        let fingerprint = debug.join(".fingerprint").join(format!("{name}-{hash}"));
        if fingerprint.is_dir() {
            std::fs::remove_dir_all(&fingerprint)
                .map_err(|e| format!("cannot remove {}: {e}", fingerprint.display()))?;
            builds += 1;
        }
    }
    eprintln!(
        "publish-check: cleared {unpacked} unpacked packages and {builds} builds of earlier runs"
    );
    Ok(())
}

/// The entries of `dir` (none when it cannot be read).
fn read_dir(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// `named` and every workspace member they depend on, transitively: normal and build
/// dependencies, and dev-dependencies with a version (cargo strips the others when it
/// packages, so they need not resolve).
fn with_workspace_dependencies(meta: &Value, named: &[String]) -> Result<BTreeSet<String>, String> {
    let packages = meta["packages"]
        .as_array()
        .ok_or("no packages in metadata")?;
    let deps_of = |name: &str| -> Option<Vec<String>> {
        let p = packages.iter().find(|p| p["name"] == name)?;
        let deps = p["dependencies"].as_array()?;
        Some(
            deps.iter()
                .filter(|d| d["path"].is_string())
                .filter(|d| d["kind"] != "dev" || d["req"] != "*")
                .filter_map(|d| d["name"].as_str().map(String::from))
                .collect(),
        )
    };
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = named.to_vec();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let deps = deps_of(&name).ok_or(format!("{name} is not a workspace member"))?;
        todo.extend(deps);
    }
    Ok(seen)
}

/// `cargo doc --workspace --no-deps` with warnings as errors.
pub fn docs() -> Result<(), String> {
    cargo_with(
        &["doc", "--workspace", "--no-deps", "--keep-going"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )
}
