//! The http-hello example under load (issue 14): 1,000 connections held open at once and
//! all answered, twice each (keep-alive); 100,000 connections opened and closed leave the
//! server's fd count and RSS flat; slow clients (one byte per write) do not stall others.
//! The numbers are printed (`cargo test -- --nocapture` shows them).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use support::ours;

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
const GET_CLOSE: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

/// The server's open fds.
fn fd_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("/proc/PID/fd")
        .count()
}

/// The server's `VmRSS`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("/proc/PID/status")
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

/// Waits (up to 10 s) until `pid`'s fd count is `want`; returns the last count.
fn settle_fds(pid: u32, want: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let n = fd_count(pid);
        if n == want || Instant::now() > deadline {
            return n;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The open-files limit this test needs; a lower one is a loud failure saying how to
/// raise it.
fn need_open_files(n: u64) {
    let limits = std::fs::read_to_string("/proc/self/limits").expect("/proc/self/limits");
    let soft: u64 = limits
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3))
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX);
    assert!(
        soft >= n,
        "this test holds {n} sockets open but the open-files limit is {soft}: run it under \
         `ulimit -n {n}` or more"
    );
}

/// Reads one response to `GET /` from `s`: `(status line, body, closed)`, where `closed` is
/// the server's `Connection: close`.
fn read_response(s: &mut TcpStream) -> (String, Vec<u8>, bool) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).expect("read a response");
        assert!(n > 0, "the server closed before answering: {buf:?}");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("a Content-Length");
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).expect("read a body");
        assert!(n > 0, "the server closed inside a body");
        buf.extend_from_slice(&chunk[..n]);
    }
    let status = head.lines().next().unwrap_or("").to_owned();
    let closed = head.contains("\r\nconnection: close\r\n");
    (status, buf[head_end..head_end + len].to_vec(), closed)
}

fn connect(port: u16) -> TcpStream {
    let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s
}

#[test]
fn thousand_connections_held_open_are_all_answered_twice() {
    const N: usize = 1000;
    need_open_files(N as u64 + 200);
    let server = ours("http-hello");
    let pid = server.child.id();
    let base = fd_count(pid);
    let start = Instant::now();
    let mut conns: Vec<TcpStream> = (0..N).map(|_| connect(server.port)).collect();
    let held = settle_fds(pid, base + N);
    assert_eq!(held, base + N, "the server holds every connection");
    for round in 1..=2 {
        for s in &mut conns {
            s.write_all(GET).expect("write a request");
        }
        for s in &mut conns {
            let (status, body, closed) = read_response(s);
            assert_eq!(status, "http/1.1 200 ok");
            assert_eq!(body, b"hello world");
            assert!(!closed, "kept alive");
        }
        eprintln!(
            "round {round}: {N} connections held open, all answered ({:?} since the first \
             connect; server fds {held}, base {base})",
            start.elapsed()
        );
    }
    drop(conns);
    assert_eq!(settle_fds(pid, base), base, "every connection closed");
}

/// The connections opened and closed (`NODESTD_HTTP_LOAD_CONNS` overrides).
fn churn_count() -> usize {
    std::env::var("NODESTD_HTTP_LOAD_CONNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// `n` connections, each with one `GET /` answered then closed: by the client after the
/// answer (even ones) or by the server after a `Connection: close` request (odd ones).
/// Two client threads, so the (debug) server is kept busy.
fn churn(port: u16, n: usize) {
    let threads: Vec<_> = (0..2)
        .map(|t| {
            std::thread::spawn(move || {
                for i in (t..n).step_by(2) {
                    let mut s = connect(port);
                    let close = i % 4 >= 2;
                    s.write_all(if close { GET_CLOSE } else { GET }).unwrap();
                    let (status, body, closed) = read_response(&mut s);
                    assert_eq!(
                        (status.as_str(), &body[..]),
                        ("http/1.1 200 ok", &b"hello world"[..])
                    );
                    assert_eq!(closed, close);
                    if close {
                        // The server's FIN follows its answer.
                        assert_eq!(s.read(&mut [0u8; 16]).unwrap(), 0);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a client thread");
    }
}

#[test]
fn hundred_thousand_connections_leave_fds_and_rss_flat() {
    let n = churn_count();
    let server = ours("http-hello");
    let pid = server.child.id();
    // The fds of a server with no connection.
    let idle = fd_count(pid);
    // A warm-up, so that the allocator and the loop's tables reach their steady size.
    churn(server.port, 5_000);
    let fds0 = settle_fds(pid, idle);
    assert_eq!(fds0, idle, "the warm-up's connections are closed");
    let rss0 = rss_kib(pid);
    let start = Instant::now();
    churn(server.port, n);
    let secs = start.elapsed().as_secs_f64();
    let fds1 = settle_fds(pid, fds0);
    let rss1 = rss_kib(pid);
    eprintln!(
        "{n} connections opened and closed in {secs:.1} s ({:.0}/s): server fds {fds0} → \
         {fds1}, VmRSS {rss0} KiB → {rss1} KiB ({:+} KiB)",
        n as f64 / secs,
        rss1 as i64 - rss0 as i64
    );
    assert_eq!(fds1, fds0, "the fd count is flat");
    assert!(
        rss1 <= rss0 + 1024,
        "the RSS grew by more than 1 MiB: {rss0} KiB → {rss1} KiB"
    );
}

#[test]
fn slow_clients_do_not_stall_others() {
    const SLOW: usize = 20;
    const FAST: usize = 200;
    let server = ours("http-hello");
    let port = server.port;
    let request: &'static [u8] =
        b"GET /headers HTTP/1.1\r\nHost: x\r\nX-Slow: one byte at a time\r\n\r\n";
    let slow_done = Arc::new(AtomicBool::new(false));
    let go = Arc::new(Barrier::new(SLOW + 1));
    let slow: Vec<_> = (0..SLOW)
        .map(|_| {
            let (done, go) = (Arc::clone(&slow_done), Arc::clone(&go));
            std::thread::spawn(move || {
                let mut s = connect(port);
                s.set_nodelay(true).unwrap();
                go.wait();
                // About 2.5 s per request, inside the contract's 4 s headersTimeout.
                for b in request {
                    s.write_all(&[*b]).unwrap();
                    std::thread::sleep(Duration::from_millis(40));
                }
                done.store(true, Ordering::SeqCst);
                let (status, body, _) = read_response(&mut s);
                assert_eq!(status, "http/1.1 200 ok");
                let body = String::from_utf8(body).unwrap();
                assert!(body.contains("\"x-slow\":\"one byte at a time\""), "{body}");
            })
        })
        .collect();
    go.wait();
    let mut s = connect(port);
    let start = Instant::now();
    let mut worst = Duration::ZERO;
    for _ in 0..FAST {
        let t = Instant::now();
        s.write_all(GET).unwrap();
        let (status, body, _) = read_response(&mut s);
        assert_eq!(
            (status.as_str(), &body[..]),
            ("http/1.1 200 ok", &b"hello world"[..])
        );
        worst = worst.max(t.elapsed());
    }
    let fast_secs = start.elapsed();
    let slow_still_writing = !slow_done.load(Ordering::SeqCst);
    for t in slow {
        t.join().expect("a slow client");
    }
    eprintln!(
        "{FAST} requests on one connection in {fast_secs:?} (worst {worst:?}) while {SLOW} \
         clients sent their requests one byte per 40 ms"
    );
    assert!(
        slow_still_writing,
        "the fast requests finished only after the slow clients had written everything"
    );
    assert!(
        worst < Duration::from_secs(1),
        "a fast request waited {worst:?}"
    );
}
