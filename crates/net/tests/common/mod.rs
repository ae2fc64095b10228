//! Shared helpers of the net tests: running node (the specification) on the scripts in
//! `tests/node/`, a line log, and loopback addresses.

#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::rc::Rc;

/// A script of `tests/node/`.
pub fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node")
        .join(name)
}

/// Runs `node script args…` to its end and returns its stdout. A missing node fails the
/// test loudly.
pub fn run_node(name: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg(script(name))
        .args(args)
        .output()
        .expect("node (v20) must be installed: it is the specification");
    assert!(
        out.status.success(),
        "node {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Starts `node script args…` with stdout piped.
pub fn spawn_node(name: &str, args: &[&str]) -> Child {
    Command::new("node")
        .arg(script(name))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node (v20) must be installed: it is the specification")
}

/// Reads the first line a spawned node prints (a port, say).
pub fn first_line(child: &mut Child) -> (String, BufReader<std::process::ChildStdout>) {
    let mut r = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    (line.trim().to_owned(), r)
}

/// Runs a node client to its end on a thread (the loop goes on meanwhile); the join handle
/// gives its stdout.
pub fn node_in_background(name: &str, args: Vec<String>) -> std::thread::JoinHandle<String> {
    let name = name.to_owned();
    std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_node(&name, &args)
    })
}

/// A log of lines shared by callbacks.
#[derive(Clone, Default)]
pub struct Log(pub Rc<RefCell<Vec<String>>>);

impl Log {
    pub fn push(&self, s: impl Into<String>) {
        self.0.borrow_mut().push(s.into());
    }
    pub fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
    pub fn text(&self) -> String {
        self.0.borrow().iter().map(|l| format!("{l}\n")).collect()
    }
}

/// The number of open fds of this process.
pub fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Runs `scenario` on a new loop and asserts that it logged the lines node prints for the
/// twin script `name`.
pub fn assert_same_lines_as_node(name: &str, scenario: fn(&Log)) {
    assert_same_lines_as_node_with(name, &[], scenario);
}

/// [`assert_same_lines_as_node`] with arguments for the script.
pub fn assert_same_lines_as_node_with(name: &str, args: &[&str], scenario: impl FnOnce(&Log)) {
    let expected = run_node(name, args);
    let log = Log::default();
    let l = log.clone();
    let exit = nodestd_loop::run(move || scenario(&l));
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.text(), expected);
}

/// `net.connect(port, '127.0.0.1')`'s target.
pub fn tcp(port: u16) -> nodestd_net::ConnectTarget {
    nodestd_net::ConnectTarget::Tcp {
        port,
        host: Some("127.0.0.1".into()),
    }
}
