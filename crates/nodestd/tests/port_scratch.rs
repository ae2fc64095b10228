//! The porting test of issue 19: a scratch project, generated in a temporary directory, ports
//! `tests/port_project/port.js` (a 40-line Node CLI: file I/O in three forms, a timer order, a
//! hash through a stream, a gzip pipeline from stdin to stdout, Buffer encodings) as
//! `port_project/port.rs`, depending on the workspace's crates by path as a user's project would.
//! It must build, and its log (stderr) must be node's, recorded in `port_project/expected.txt` and
//! checked against a live node when node is installed; both outputs gunzip to the input. The Node
//! names the port uses are checked to be doc aliases (or the same names) of the Rust items it
//! calls, so rustdoc's search leads from one to the other.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `cmd` with `input` on stdin; returns (stdout, stderr).
fn run(mut cmd: Command, input: &[u8]) -> (Vec<u8>, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{cmd:?} failed: {stderr}");
    (out.stdout, stderr)
}

fn gunzip(gz: &[u8]) -> Vec<u8> {
    nodestd::zlib::gunzip_sync(gz, &Default::default()).expect("the output is gzip")
}

/// The scratch project: Cargo.toml (the workspace's lock and dev profile, so the build reuses
/// the workspace's artifacts) and its main source file, a copy of port.rs.
fn scratch_project(dir: &Path) {
    let root = root().canonicalize().unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        r#"[package]
name = "nodestd-port-scratch"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
nodestd = {{ path = "{root}/crates/nodestd", default-features = false, features = ["buffer", "loop", "fs", "path", "process", "crypto", "openssl", "zlib", "stream"] }}

[workspace]

[profile.dev.package."*"]
opt-level = 2

[profile.dev.package.nodestd-crypto]
opt-level = 2
"#,
        root = root.display()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    std::fs::copy(
        root.join("crates/nodestd/tests/port_project/port.rs"),
        dir.join("src/main.rs"),
    )
    .unwrap();
}

/// `(Node name, the Rust function's name, the file that defines it)` for each call the port
/// makes: the Rust item must carry the Node name as a doc alias unless the names are equal.
const NAMES: &[(&str, &str, &str)] = &[
    ("join", "join", "crates/path/src/posix.rs"),
    ("writeFileSync", "write_file_sync", "crates/fs/src/io.rs"),
    ("readFileSync", "read_file_sync", "crates/fs/src/io.rs"),
    ("appendFile", "append_file", "crates/fs/src/forms.rs"),
    ("readFile", "read_file_to_string", "crates/fs/src/forms.rs"),
    (
        "createReadStream",
        "create_read_stream",
        "crates/fs/src/streams.rs",
    ),
    ("setImmediate", "set_immediate", "crates/loop/src/lib.rs"),
    ("nextTick", "next_tick", "crates/loop/src/lib.rs"),
    (
        "queueMicrotask",
        "queue_microtask",
        "crates/loop/src/lib.rs",
    ),
    ("setTimeout", "set_timeout", "crates/loop/src/promises.rs"),
    ("pipeline", "pipeline", "crates/stream/src/pipeline.rs"),
    ("process.stdin", "stdin", "crates/process/src/streams.rs"),
    ("process.stdout", "stdout", "crates/process/src/streams.rs"),
    ("from", "from_string", "crates/buffer/src/buffer.rs"),
    ("toString", "to_string_enc", "crates/buffer/src/buffer.rs"),
];

#[test]
fn the_node_names_the_port_uses_are_doc_aliases() {
    let mut missing = Vec::new();
    for (node, rust, file) in NAMES {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let found = lines.iter().enumerate().any(|(i, l)| {
            let decl = l.trim_start();
            let declares = decl.starts_with(&format!("pub fn {rust}("))
                || decl.starts_with(&format!("pub fn {rust}<"))
                || decl.starts_with(&format!("fn {rust}("));
            declares
                && (node == rust
                    || lines[..i]
                        .iter()
                        .rev()
                        .take_while(|p| {
                            p.trim_start().starts_with("///") || p.trim_start().starts_with("#[")
                        })
                        .any(|p| p.contains("alias") && p.contains(&format!("\"{node}\""))))
        });
        if !found {
            missing.push(format!(
                "{file}: fn {rust} without #[doc(alias = \"{node}\")]"
            ));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn a_scratch_project_porting_a_node_script_prints_what_node_prints() {
    let tmp = std::env::temp_dir().join(format!("nodestd-port-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (project, work) = (tmp.join("project"), tmp.join("work"));
    std::fs::create_dir_all(&work).unwrap();
    scratch_project(&project);

    // Build it as a user would (`cargo build`), in the workspace's target directory.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = root().join("target");
    let build = Command::new(&cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(project.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the port does not compile:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let input: Vec<u8> = (0..200_000u32)
        .flat_map(|i| format!("line {i} of the input\n").into_bytes())
        .collect();
    let expected = include_str!("port_project/expected.txt");

    let mut ours = Command::new(target.join("debug/nodestd-port-scratch"));
    ours.arg(&work);
    let (gz, log) = run(ours, &input);
    assert_eq!(log, expected, "the port's log differs from node's");
    assert!(
        gunzip(&gz) == input,
        "the port's stdout does not gunzip to its stdin"
    );

    let mut node = Command::new("node");
    node.arg(root().join("crates/nodestd/tests/port_project/port.js"))
        .arg(&work);
    match node.stdin(Stdio::null()).output() {
        Err(e) => eprintln!("SKIP the live node run (node not runnable: {e}); recorded log used"),
        Ok(_) => {
            let mut node = Command::new("node");
            node.arg(root().join("crates/nodestd/tests/port_project/port.js"))
                .arg(&work);
            let (gz, log) = run(node, &input);
            assert_eq!(log, expected, "node no longer prints the recorded log");
            assert!(
                gunzip(&gz) == input,
                "node's stdout does not gunzip to its stdin"
            );
        }
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}
