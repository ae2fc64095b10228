//! Repository rules, checked as a test (rust-analyzer's tidy): every `.rs` file opens with a
//! `//!` doc comment, no test is ignored (the `ignore` attribute) without a reason, `unsafe` only in the audited
//! modules with a `// SAFETY:` line, and crate dependencies follow ARCHITECTURE.md.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The files below `dir` whose names end with `suffix`, skipping build output and hidden
/// folders (the repository's own files, not the build's or a fetched copy's).
fn files_ending(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if p.is_dir() {
            if name == "target" || name.starts_with('.') || name.starts_with("target-") {
                continue;
            }
            files_ending(&p, suffix, out);
        } else if name.ends_with(suffix) {
            out.push(p);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_ending(&root().join("crates"), ".rs", &mut files);
    files_ending(&root().join("xtask"), ".rs", &mut files);
    files.sort();
    files
}

#[test]
fn every_rust_file_opens_with_a_doc_comment() {
    let bad: Vec<_> = all_rust_files()
        .into_iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            !text.trim_start().starts_with("//!")
        })
        .collect();
    assert!(
        bad.is_empty(),
        "files without a leading `//!` comment: {bad:#?}"
    );
}

#[test]
fn ignored_tests_give_a_reason() {
    let mut bad = Vec::new();
    for p in all_rust_files() {
        let text = std::fs::read_to_string(&p).unwrap();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            let attr = concat!("#[", "ignore");
            if t.starts_with(attr) && !t.starts_with(&format!("{attr} = ")) {
                bad.push(format!("{}:{}", p.display(), i + 1));
            }
        }
    }
    assert!(bad.is_empty(), "ignore attribute without a reason: {bad:?}");
}

#[test]
fn unsafe_blocks_carry_safety_comments() {
    let mut bad = Vec::new();
    for p in all_rust_files() {
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") || p.ends_with("tidy.rs") {
                continue;
            }
            if t.contains("unsafe {") {
                let window = &lines[i.saturating_sub(4)..=i];
                if !window.iter().any(|l| l.contains("SAFETY:")) {
                    bad.push(format!("{}:{}", p.display(), i + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "unsafe blocks without a `// SAFETY:` comment: {bad:?}"
    );
}

/// The layering of ARCHITECTURE.md: `nodestd-<name>` may depend on the crates listed for it.
#[test]
fn crate_dependencies_follow_architecture_md() {
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    // Lines of the form "Depends on: nodestd-a, nodestd-b" (or "nothing") under "## nodestd-x".
    let mut allowed: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut current = None;
    for line in arch.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            current = h
                .split_whitespace()
                .next()
                .map(|s| s.trim_matches('`').to_owned());
        } else if let (Some(c), Some(deps)) = (&current, line.strip_prefix("Depends on:")) {
            let deps = deps
                .split(',')
                .map(|d| d.trim().trim_matches('`').trim_end_matches('.').to_owned())
                .filter(|d| d.starts_with("nodestd"))
                .collect();
            allowed.insert(c.clone(), deps);
        }
    }
    let mut bad = Vec::new();
    let crates = std::fs::read_dir(root().join("crates")).unwrap();
    for dir in crates.flatten() {
        let manifest = dir.path().join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .map(|s| s.trim_matches('"').to_owned())
            .unwrap();
        let Some(ok) = allowed.get(&name) else {
            bad.push(format!(
                "{name} has no `## {name}` section with a `Depends on:` line"
            ));
            continue;
        };
        // Only [dependencies] count: dev-dependencies may reach further for tests.
        let mut section = String::new();
        for l in text.lines() {
            let t = l.trim();
            if t.starts_with('[') {
                section = t.to_owned();
                continue;
            }
            let normal = section == "[dependencies]"
                || section.ends_with(".dependencies]") && !section.contains("dev-dependencies");
            if !normal {
                continue;
            }
            if let Some(dep) = t
                .split([' ', '=', '.'])
                .next()
                .filter(|d| d.starts_with("nodestd"))
            {
                if !ok.iter().any(|a| a == dep) {
                    bad.push(format!(
                        "{name} depends on {dep}, which ARCHITECTURE.md does not allow"
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The words of `text` that name a path of this repository: those starting with one of its
/// top-level folders (`crates/`, `xtask/`, `bench/`, `.ci/`), read from the root, and those
/// starting with a crate's own folders (`tests/`, `fixtures/`, `examples/`, `benches/`,
/// `node/`, `src/` for `.rs` files), read from the crate of the file that names them. Other
/// paths (Node's `lib/fs.js`, libuv's `src/unix/core.c`) belong to other projects.
fn named_paths(text: &str) -> Vec<&str> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/');
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let start = i;
        while i < text.len() && is_path_char(bytes[i] as char) {
            i += 1;
        }
        if i == start {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // A word glued to a URL, a relative `../`, or a longer identifier is not a repo path.
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| c == ':' || c == '@' || c.is_alphanumeric()) {
            continue;
        }
        // A glob (`bench/node/crypto-*.js`) names a family of files, not one.
        if text[i..].starts_with('*') {
            continue;
        }
        let word = text[start..i].trim_end_matches('.');
        // A placeholder segment (`bench/node/WORKLOAD.js`) stands for any name.
        let placeholder = |seg: &str| {
            let stem = seg.split('.').next().unwrap_or("");
            stem.len() > 1 && stem.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
        };
        if word.split('/').any(placeholder) {
            continue;
        }
        let Some((first, rest)) = word.split_once('/') else {
            continue;
        };
        if rest.is_empty() && !word.ends_with('/') {
            continue;
        }
        let ours = matches!(first, "crates" | "xtask" | "bench" | ".ci")
            || matches!(
                first,
                "tests" | "fixtures" | "examples" | "benches" | "node"
            )
            || (first == "src" && word.ends_with(".rs"));
        if ours && !word.contains("..") && !word.contains('*') {
            out.push(word);
        }
    }
    out
}

/// Whether `word` names something that exists, from the root or from `file`'s crate (from
/// some crate, for the Markdown files at the root, which speak of every crate).
fn path_exists(word: &str, file: &Path) -> bool {
    let root = root();
    if root.join(word).exists() {
        return true;
    }
    if file.parent() == Some(root.as_path()) {
        let crates = std::fs::read_dir(root.join("crates")).unwrap();
        return crates.flatten().any(|c| c.path().join(word).exists());
    }
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d.join("Cargo.toml").exists() {
            return d.join(word).exists();
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    false
}

/// Every repository path that a doc comment or a Markdown file names exists (a map that
/// names a file that is gone is a stale map).
#[test]
fn named_repository_paths_exist() {
    let mut files = all_rust_files();
    files_ending(&root(), ".md", &mut files);
    let mut bad = Vec::new();
    for p in files {
        if p.ends_with("tidy.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let markdown = p.extension().is_some_and(|e| e == "md");
        for (i, line) in text.lines().enumerate() {
            let t = line.trim_start();
            let docs = t.starts_with("//!") || t.starts_with("///");
            if !markdown && !docs {
                continue;
            }
            for word in named_paths(t) {
                if !path_exists(word, &p) {
                    let shown = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
                    bad.push(format!("{shown}:{}: `{word}`", i + 1));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "doc comments and Markdown files name paths that do not exist:\n{}",
        bad.join("\n")
    );
}
