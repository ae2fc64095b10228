//! What the cluster tests share: starting `cluster-hello` (or its node twin) and reading its
//! banner, its workers' pids, and plain HTTP/1.1 GETs over loopback.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// A primary on a port; killed (with its workers) when dropped.
pub struct Primary {
    pub child: Child,
    pub port: u16,
    pub out: BufReader<ChildStdout>,
}

impl Drop for Primary {
    fn drop(&mut self) {
        for w in self.workers() {
            let _ = Command::new("kill")
                .args(["-KILL", &w.to_string()])
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Primary {
    /// The pids of the primary's children (its workers).
    pub fn workers(&self) -> Vec<u32> {
        let pid = self.child.id();
        let path = format!("/proc/{pid}/task/{pid}/children");
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    /// Sends `signal` (a name such as `TERM`) to the primary.
    pub fn signal(&self, signal: &str) {
        let st = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
    }

    /// Waits (at most `limit`) for the primary to exit; its exit code.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Waits (at most `limit`) until the primary has `n` workers.
    pub fn wait_workers(&self, n: usize, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if self.workers().len() == n {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

/// `target/<profile>/examples/cluster-hello`, built beside the tests by `cargo test`.
pub fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(|d| d.parent())
        .unwrap()
        .join("examples/cluster-hello");
    assert!(
        bin.exists(),
        "{} is missing: run through `cargo test -p nodestd-cluster`, which builds it",
        bin.display()
    );
    bin
}

fn start(mut cmd: Command) -> Primary {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the primary (node v20 must be on PATH for the twin)");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let port = line
        .strip_prefix("listening on ")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no banner: {line:?}"));
    Primary { child, port, out }
}

/// `cluster-hello --port 0 ARGS...`.
pub fn ours(args: &[&str]) -> Primary {
    let mut cmd = Command::new(example());
    cmd.args(["--port", "0"]).args(args);
    start(cmd)
}

/// `cluster-hello ARGS...` (the caller gives `--port`).
pub fn ours_on(args: &[&str]) -> Primary {
    let mut cmd = Command::new(example());
    cmd.args(args);
    start(cmd)
}

/// `node tests/node/cluster-hello.js --port 0 ARGS...`.
pub fn twin(args: &[&str]) -> Primary {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node/cluster-hello.js");
    let mut cmd = Command::new("node");
    cmd.arg(script).args(["--port", "0"]).args(args);
    start(cmd)
}

/// One `GET path` on a new connection (`Connection: close`): the status code and body, or
/// why it failed.
pub fn get(port: u16, path: &str) -> Result<(u16, String), String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("no head in {text:?}"))?;
    let code = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad status line in {head:?}"))?;
    Ok((code, body.to_owned()))
}

/// The worker id in `hello from worker ID`.
pub fn worker_id(body: &str) -> Option<u32> {
    body.strip_prefix("hello from worker ")?.parse().ok()
}
