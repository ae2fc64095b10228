//! Running the contract examples and their node twins, and reading raw HTTP/1.1 replies.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process on a port; killed when dropped.
pub struct Proc {
    pub child: Child,
    pub port: u16,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn started(mut cmd: Command) -> Proc {
    let mut child = cmd
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("banner");
    let port = line
        .strip_prefix("listening on ")
        .and_then(|p| p.trim_end_matches('\n').parse().ok())
        .unwrap_or_else(|| panic!("bad banner {line:?}"));
    assert!(line.ends_with('\n'));
    Proc { child, port }
}

/// Builds (once per test binary) and starts `examples/<name>.rs`.
pub fn ours(name: &str) -> Proc {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let st = Command::new(cargo)
        .args(["build", "-q", "-p", "nodestd-http", "--example", name])
        .status()
        .expect("cargo build");
    assert!(st.success(), "building example {name}");
    // target/debug/deps/<test> → target/debug/examples/<name>
    let exe: PathBuf = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join(name);
    started(Command::new(exe))
}

/// Starts the node twin `tests/node/<name>.js`; a missing node is a loud failure.
pub fn node(name: &str) -> Proc {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node")
        .join(format!("{name}.js"));
    let mut cmd = Command::new("node");
    cmd.arg(script);
    started(cmd)
}

/// Sends `data` (one byte per write when `split`), then reads until the server closes or
/// stays quiet for `idle`. Returns the bytes and whether the server closed.
pub fn exchange(port: u16, data: &[u8], split: bool, idle: Duration) -> (Vec<u8>, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_nodelay(true).unwrap();
    let mut out = Vec::new();
    if split {
        for b in data {
            if s.write_all(&[*b]).is_err() {
                break;
            }
        }
    } else {
        let _ = s.write_all(data);
    }
    s.set_read_timeout(Some(idle)).unwrap();
    let mut buf = vec![0u8; 65536];
    let deadline = Instant::now() + Duration::from_secs(30);
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
        if Instant::now() > deadline {
            break false;
        }
    };
    let _ = s.shutdown(Shutdown::Both);
    (out, closed)
}

/// One response as the differential compares it: status line, the framing headers, the
/// decoded body.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The headers compared (not Date, order, case).
const COMPARED: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "connection",
    "content-type",
    "keep-alive",
];

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Splits raw bytes into replies; a reply without framing on a closing connection runs to
/// the end, one without framing on a kept-alive connection (HEAD, 1xx, 204, 304) is empty.
pub fn parse_replies(mut raw: &[u8]) -> Result<Vec<Reply>, String> {
    let mut out = Vec::new();
    while !raw.is_empty() {
        let end = find(raw, b"\r\n\r\n").ok_or_else(|| format!("partial head {raw:?}"))?;
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        raw = &raw[end + 4..];
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("").to_owned();
        let mut headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .filter(|(n, _)| COMPARED.contains(&n.as_str()))
            .collect();
        headers.sort();
        let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let mut body = Vec::new();
        let code: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        if (100..200).contains(&code) {
        } else if let Some(n) = get("content-length") {
            let n: usize = n.parse().map_err(|_| "bad content-length")?;
            let n = n.min(raw.len());
            body.extend_from_slice(&raw[..n]);
            raw = &raw[n..];
        } else if get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
            loop {
                let e = find(raw, b"\r\n").ok_or("partial chunk size")?;
                let size = usize::from_str_radix(
                    String::from_utf8_lossy(&raw[..e])
                        .split(';')
                        .next()
                        .unwrap(),
                    16,
                )
                .map_err(|_| "bad chunk size")?;
                raw = &raw[e + 2..];
                if size == 0 {
                    let e = find(raw, b"\r\n\r\n")
                        .or_else(|| raw.starts_with(b"\r\n").then_some(0))
                        .ok_or("partial trailers")?;
                    raw = &raw[if e == 0 { 2 } else { e + 4 }..];
                    break;
                }
                let n = size.min(raw.len());
                body.extend_from_slice(&raw[..n]);
                raw = &raw[(n + 2).min(raw.len())..];
            }
        } else if get("connection").is_some_and(|c| c.eq_ignore_ascii_case("close")) {
            body.extend_from_slice(raw);
            raw = &[];
        }
        out.push(Reply {
            status_line,
            headers,
            body,
        });
    }
    Ok(out)
}
