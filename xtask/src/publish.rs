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
//! - `docs`: `cargo doc --workspace --no-deps` with `RUSTDOCFLAGS=-D warnings`: a broken
//!   intra-doc link or a bad code block attribute fails the run. The crates' README code blocks
//!   are compiled as doc tests by the umbrella crate (`nodestd::readmes`, `cfg(doctest)`), so
//!   the doc-test step of `test-all` keeps them true.

use crate::cargo_with;

/// `cargo xtask publish-check [--no-verify] [--exclude CRATE ...]`.
pub fn publish_check(args: &[String]) -> Result<(), String> {
    let mut cmd: Vec<&str> = vec!["publish", "--dry-run", "--workspace", "--allow-dirty"];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-verify" => cmd.push("--no-verify"),
            "--exclude" => {
                let krate = it.next().ok_or("--exclude needs a crate name")?;
                cmd.extend(["--exclude", krate.as_str()]);
            }
            other => return Err(format!("publish-check: unknown argument {other:?}")),
        }
    }
    cargo_with(&cmd, &[])?;
    docs()
}

/// `cargo doc --workspace --no-deps` with warnings as errors.
pub fn docs() -> Result<(), String> {
    cargo_with(
        &["doc", "--workspace", "--no-deps", "--keep-going"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )
}
