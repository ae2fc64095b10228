//! `cluster-hello` against its node twin (`tests/node/cluster-hello.js`, node's own cluster):
//! raw-TCP answers compared as http's differential compares them (status line, framing
//! headers, decoded body with the worker id masked, closed or open); the banner once all
//! workers listen; a killed worker re-forked on the same port; SIGTERM letting an in-flight
//! request finish before the exit with 0.

mod common;
#[path = "../../http/tests/support/mod.rs"]
mod http_support;

use std::time::Duration;

use common::{Primary, get, ours, twin, worker_id};
use http_support::{exchange, parse_replies};

/// Masks the worker id in a raw reply (the ids differ between any two runs).
fn mask(raw: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::new();
    let mut rest = text.as_ref();
    while let Some(at) = rest.find("hello from worker ") {
        let (a, b) = rest.split_at(at + "hello from worker ".len());
        out.push_str(a);
        out.push('N');
        rest = b.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out.into_bytes()
}

fn compare(a: &Primary, b: &Primary, name: &str, data: &[u8]) {
    let idle = Duration::from_millis(if data.windows(5).any(|w| w == b"/slow") {
        600
    } else {
        250
    });
    let x = exchange(a.port, data, false, idle);
    let y = exchange(b.port, data, false, idle);
    let rx = parse_replies(&mask(&x.0));
    let ry = parse_replies(&mask(&y.0));
    assert!(
        (&rx, x.1) == (&ry, y.1),
        "case {name} differs\nours: {:?}\nnode: {:?}",
        String::from_utf8_lossy(&x.0),
        String::from_utf8_lossy(&y.0)
    );
}

const CASES: &[(&str, &[u8])] = &[
    ("get", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("get query", b"GET /?a=1 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("slow", b"GET /slow?ms=30 HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("slow bad ms", b"GET /slow?ms=x HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("404", b"GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"),
    ("head", b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "post",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi",
    ),
    (
        "close",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    ),
    ("http/1.0", b"GET / HTTP/1.0\r\n\r\n"),
    ("no host", b"GET / HTTP/1.1\r\n\r\n"),
    ("bad", b"NOT A REQUEST\r\n\r\n"),
    (
        "pipelined",
        b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
];

#[test]
fn answers_as_nodes_cluster_does_under_both_policies() {
    for policy in ["rr", "shared"] {
        let a = ours(&["--workers", "2", "--policy", policy]);
        let b = twin(&["--workers", "2", "--policy", policy]);
        for (name, data) in CASES {
            compare(&a, &b, &format!("{policy} {name}"), data);
        }
    }
}

#[test]
fn workers_are_numbered_and_a_killed_one_comes_back_on_the_same_port() {
    let p = ours(&["--workers", "3"]);
    assert!(p.wait_workers(3, Duration::from_secs(5)));
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..30 {
        let (code, body) = get(p.port, "/").unwrap();
        assert_eq!(code, 200);
        seen.insert(worker_id(&body).unwrap());
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![1, 2, 3]);
    let victim = p.workers()[0];
    std::process::Command::new("kill")
        .args(["-KILL", &victim.to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        p.wait_workers(3, Duration::from_secs(5)),
        "the worker count came back"
    );
    let mut ids = std::collections::BTreeSet::new();
    for _ in 0..60 {
        let (code, body) = get(p.port, "/").unwrap();
        assert_eq!(code, 200);
        ids.insert(worker_id(&body).unwrap());
    }
    assert!(
        ids.contains(&4),
        "the respawned worker (id 4) serves: {ids:?}"
    );
    assert_eq!(ids.len(), 3);
}

#[test]
fn sigterm_lets_in_flight_requests_finish_then_exits_0() {
    for policy in ["rr", "shared"] {
        let mut p = ours(&["--workers", "2", "--policy", policy]);
        let port = p.port;
        let slow = std::thread::spawn(move || get(port, "/slow?ms=700"));
        std::thread::sleep(Duration::from_millis(200));
        p.signal("TERM");
        let (code, body) = slow
            .join()
            .unwrap()
            .expect("the in-flight request finishes");
        assert_eq!(code, 200);
        assert!(body.starts_with("hello from worker "));
        assert_eq!(p.wait_exit(Duration::from_secs(10)), Some(0), "{policy}");
        assert!(get(port, "/").is_err(), "nothing listens after the exit");
    }
}
