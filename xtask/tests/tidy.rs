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

/// The crates whose public functions must carry their Node names as doc aliases.
const ALIASED_CRATES: &[&str] = &[
    "path",
    "url",
    "querystring",
    "events",
    "fs",
    "stream",
    "os",
    "process",
    "loop",
    "sys",
    "http",
    "net",
    "child_process",
    "cluster",
    "dns",
    "crypto",
    "zlib",
    "buffer",
    "util",
];

/// Not yet checked: crates (and files) that other work is changing when the rule comes in
/// (issue 19); empty since every crate carries its aliases. Move a crate into
/// [`ALIASED_CRATES`] once it has them.
const ALIASES_PENDING: &[&str] = &[];

/// The Node call a doc comment's first line opens with: `` /// `fs.readFileSync(path)` … ``
/// gives `("fs.", "readFileSync")`.
fn node_call(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim_start().strip_prefix("///")?.trim_start();
    let call = rest.strip_prefix('`')?;
    let open = call.find('(')?;
    let dotted = &call[..open];
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    if !dotted.split('.').all(ident) {
        return None;
    }
    let (prefix, name) = match dotted.rfind('.') {
        Some(i) => (&dotted[..i + 1], &dotted[i + 1..]),
        None => ("", dotted),
    };
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_' || c == '$')
        .then_some((prefix, name))
}

/// The function a line declares: `(is pub, name)`.
fn declared_fn(line: &str) -> Option<(bool, &str)> {
    let mut rest = line.trim_start();
    let public = rest.starts_with("pub ");
    if public {
        rest = &rest[4..];
    }
    for kw in ["const ", "async ", "unsafe "] {
        rest = rest.strip_prefix(kw).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    Some((public, &rest[..end]))
}

/// The rule: a public function (or a row of an `async_forms!` table, which makes public
/// functions) whose doc comment opens with a backticked Node call — `` `fs.readFileSync(…)` ``,
/// `` `setImmediate(…)` `` — carries `#[doc(alias = "readFileSync")]` when its Rust name is
/// not the Node name, if the call is dotted or the name camelCase (so rustdoc's search finds
/// the Rust item by the Node name). The alias names the call's last segment.
fn missing_aliases(file: &Path, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let macro_rows = text.contains("async_forms!");
    let mut missing = Vec::new();
    for i in 0..lines.len() {
        let Some((prefix, node)) = node_call(lines[i]) else {
            continue;
        };
        if i > 0 && lines[i - 1].trim_start().starts_with("///") {
            continue; // not the first line of the doc comment
        }
        let mut j = i;
        let mut has_alias = false;
        while j < lines.len() {
            let l = lines[j].trim_start();
            if l.starts_with("#[") {
                has_alias |= l.contains("alias") && l.contains(&format!("\"{node}\""));
            } else if !l.starts_with("///") {
                break;
            }
            j += 1;
        }
        let Some((public, rust)) = lines.get(j).and_then(|l| declared_fn(l)) else {
            continue;
        };
        let camel = node.chars().any(|c| c.is_ascii_uppercase());
        if (public || macro_rows) && rust != node && (!prefix.is_empty() || camel) && !has_alias {
            missing.push(format!(
                "{}:{}: fn {rust} ports `{prefix}{node}` but has no #[doc(alias = \"{node}\")]",
                file.strip_prefix(root()).unwrap_or(file).display(),
                j + 1
            ));
        }
    }
    missing
}

#[test]
fn node_names_are_doc_aliases() {
    let mut missing = Vec::new();
    let mut checked = 0;
    for krate in ALIASED_CRATES {
        let mut files = Vec::new();
        files_ending(
            &root().join("crates").join(krate).join("src"),
            ".rs",
            &mut files,
        );
        files.sort();
        for f in files {
            let rel = f
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if ALIASES_PENDING.iter().any(|p| rel.starts_with(p)) {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            checked += text.matches("#[doc(alias").count();
            missing.extend(missing_aliases(&f, &text));
        }
    }
    assert!(
        missing.is_empty(),
        "Node names without a doc alias:\n{}",
        missing.join("\n")
    );
    assert!(
        checked > 100,
        "only {checked} aliases found: is the rule still reading the sources?"
    );
}

#[test]
fn the_alias_rule_reads_doc_comments_as_meant() {
    let src = "/// `fs.readFileSync(path)`: bytes.\npub fn read_file_sync() {}\n\
               /// `setImmediate(f)`.\n#[doc(alias = \"setImmediate\")]\npub fn set_immediate() {}\n\
               /// `path.join(a)`.\npub fn join() {}\n\
               /// `getrusage(2)`, not Node.\nfn sys_call() {}\n";
    let missing = missing_aliases(Path::new("x.rs"), src);
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(missing[0].contains("readFileSync"));
}

#[test]
fn every_crate_readme_is_a_doc_test() {
    let umbrella = std::fs::read_to_string(root().join("crates/nodestd/src/lib.rs")).unwrap();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(root().join("crates")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().join("README.md").exists()
            && name != "nodestd"
            && !umbrella.contains(&format!("include_str!(\"../../{name}/README.md\")"))
        {
            missing.push(name);
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "crates whose README is not compiled by nodestd's `readmes` doc-test module: {missing:?}"
    );
}
