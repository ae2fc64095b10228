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
