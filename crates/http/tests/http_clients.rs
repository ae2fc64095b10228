//! http-hello and koa-onion against real clients and their node twins: curl (GET /, a 10 MiB
//! POST /echo, keep-alive reuse), koa-onion's four routes, the head timeout (408), and
//! SIGTERM's graceful close. curl missing is a loud failure (.ci/run installs it).

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use support::{Proc, exchange, node, ours, parse_replies};

fn curl(args: &[&str]) -> std::process::Output {
    Command::new("curl")
        .args(args)
        .output()
        .expect("curl is missing: install it (apt-get install curl), as .ci/run does")
}

#[test]
fn curl_get_echo_10_mib_and_keep_alive() {
    let srv = ours("http-hello");
    let base = format!("http://127.0.0.1:{}", srv.port);
    let out = curl(&["-s", &format!("{base}/")]);
    assert_eq!(out.stdout, b"hello world");

    // 10 MiB of varied bytes through POST /echo.
    let body: Vec<u8> = (0..10 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = std::env::temp_dir().join(format!("nodestd-http-echo-{}", std::process::id()));
    std::fs::write(&file, &body).unwrap();
    let data_arg = format!("@{}", file.display());
    let out = curl(&[
        "-s",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/octet-stream",
        "--data-binary",
        &data_arg,
        &format!("{base}/echo"),
    ]);
    std::fs::remove_file(&file).ok();
    assert!(out.status.success());
    assert_eq!(out.stdout.len(), body.len());
    assert!(out.stdout == body, "the echoed body differs");

    // Two requests in one curl run share the connection.
    let out = curl(&["-s", "-v", &format!("{base}/"), &format!("{base}/x")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.stdout, b"hello worldnot found");
    assert!(
        err.contains("Re-using existing connection"),
        "curl did not reuse the connection:\n{err}"
    );
}

#[test]
fn koa_onion_matches_node() {
    let (a, b) = (ours("koa-onion"), node("koa-onion"));
    for path in ["/", "/throw", "/twice", "/nope", "/?q=1"] {
        let req = format!("GET {path} HTTP/1.1\r\nHost: a\r\n\r\n");
        let idle = Duration::from_millis(200);
        let ra = exchange(a.port, req.as_bytes(), false, idle);
        let rb = exchange(b.port, req.as_bytes(), false, idle);
        let (pa, pb) = (parse_replies(&ra.0).unwrap(), parse_replies(&rb.0).unwrap());
        assert_eq!((&pa, ra.1), (&pb, rb.1), "GET {path}");
    }
    let body = |p: &Proc, path: &str| {
        let req = format!("GET {path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        let r = exchange(p.port, req.as_bytes(), false, Duration::from_millis(500));
        let reply = parse_replies(&r.0).unwrap().remove(0);
        (reply.status_line, String::from_utf8(reply.body).unwrap())
    };
    assert_eq!(
        body(&a, "/"),
        ("HTTP/1.1 200 OK".into(), "a1 b1 c1 c2 b2 a2".into())
    );
    assert_eq!(
        body(&a, "/throw"),
        (
            "HTTP/1.1 500 Internal Server Error".into(),
            "caught: boom".into()
        )
    );
    assert_eq!(
        body(&a, "/twice"),
        (
            "HTTP/1.1 500 Internal Server Error".into(),
            "caught: next() called multiple times".into()
        )
    );
    assert_eq!(
        body(&a, "/x"),
        ("HTTP/1.1 404 Not Found".into(), "not found".into())
    );
}

/// An incomplete head: node's and ours both answer 408 and close after headersTimeout
/// (4 s, checked every 250 ms).
#[test]
fn head_timeout_is_408_like_node() {
    let (a, b) = (ours("http-hello"), node("http-hello"));
    let partial = b"GET / HTTP/1.1\r\nHost: a\r\n";
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| {
            let t = Instant::now();
            (
                exchange(a.port, partial, false, Duration::from_secs(6)),
                t.elapsed(),
            )
        });
        let tb = s.spawn(|| exchange(b.port, partial, false, Duration::from_secs(6)));
        (ta.join().unwrap(), tb.join().unwrap())
    });
    assert_eq!(
        ra.0.0,
        b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n".to_vec()
    );
    assert_eq!(ra.0, rb);
    assert!(ra.1 >= Duration::from_millis(3900), "408 after {:?}", ra.1);
}

/// SIGTERM: new connections are refused, the request in flight is answered, exit 0.
#[test]
fn sigterm_closes_gracefully() {
    for mut p in [ours("http-hello"), node("http-hello")] {
        let mut s = TcpStream::connect(("127.0.0.1", p.port)).unwrap();
        s.write_all(b"GET /slow?ms=600 HTTP/1.1\r\nHost: a\r\n\r\n")
            .unwrap();
        std::thread::sleep(Duration::from_millis(150));
        let st = Command::new("kill")
            .args(["-TERM", &p.child.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        std::thread::sleep(Duration::from_millis(150));
        assert!(
            TcpStream::connect(("127.0.0.1", p.port)).is_err(),
            "still accepting after SIGTERM"
        );
        let mut got = Vec::new();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.read_to_end(&mut got);
        let replies = parse_replies(&got).unwrap();
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0].body, b"slept 600");
        let status = p.child.wait().unwrap();
        assert_eq!(status.code(), Some(0));
    }
}
