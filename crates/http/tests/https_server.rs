//! The https server serves its TLS connections as the http server serves TCP ones: the
//! request's socket has the peer's address and `encrypted`, `headersTimeout` and
//! `requestTimeout` answer 408, `keepAliveTimeout` closes an idle connection, and
//! `server.close()` closes idle connections and calls back once the last one is gone. Each
//! is compared with node's https server (`tests/node/https_server.js`, the same options)
//! through a raw TLS client (`tests/node/tls_raw.js`: a partial head, then waiting, gets
//! node's 408); curl checks the peer address.

mod certs;
mod client_support;

use std::cell::RefCell;
use std::process::Command;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use certs::Certs;
use nodestd_http::https::{self, ServerTlsOptions};
use nodestd_http::{IncomingMessage, ServerOptions, ServerResponse};
use nodestd_stream::Chunk;
use serde_json::Value;

/// https_server.js's options.
fn options() -> ServerOptions {
    ServerOptions {
        headers_timeout: 1000,
        request_timeout: 2000,
        keep_alive_timeout: 1500,
        connections_checking_interval: 100,
        ..ServerOptions::default()
    }
}

/// https_server.js's routes; `/close` closes `server`, whose callback sends on `closed`.
fn route(
    req: &IncomingMessage,
    res: ServerResponse,
    server: &Rc<RefCell<Option<https::Server>>>,
    closed: &mpsc::Sender<()>,
) {
    let s = req.socket();
    match req.url() {
        "/peer" => res.end(
            format!(
                "{} {} {}",
                s.remote_address().unwrap_or_default(),
                s.remote_port().unwrap_or(0),
                s.encrypted()
            )
            .as_bytes(),
        ),
        "/close" => {
            let tx = closed.clone();
            if let Some(srv) = server.borrow().as_ref() {
                srv.close(move || {
                    let _ = tx.send(());
                });
            }
            res.end(b"closing");
        }
        _ => {
            let n = Rc::new(RefCell::new(0usize));
            let n2 = Rc::clone(&n);
            req.body()
                .on_data(move |c: &Chunk| *n2.borrow_mut() += c.len());
            let line = format!("hello {} {} ", req.method(), req.url());
            req.body()
                .on_end(move || res.end(format!("{line}{}", n.borrow()).as_bytes()));
        }
    }
}

/// Our server on a loop thread: its port, the receiver of its close callback, the thread.
fn start_ours(certs: &Certs) -> (u16, mpsc::Receiver<()>, std::thread::JoinHandle<()>) {
    let tls = ServerTlsOptions {
        key: certs.read("key.pem"),
        cert: certs.read("cert.pem"),
        ..Default::default()
    };
    let (port_tx, port_rx) = mpsc::channel();
    let (closed_tx, closed_rx) = mpsc::channel();
    let t = std::thread::spawn(move || {
        let exit = nodestd_loop::run(move || {
            let cell: Rc<RefCell<Option<https::Server>>> = Rc::default();
            let c = Rc::clone(&cell);
            let server = https::create_server(tls, options(), move |req, res| {
                route(&req, res, &c, &closed_tx);
            })
            .expect("a server from PEM");
            *cell.borrow_mut() = Some(server.clone());
            let s = server.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    port_tx.send(s.port().unwrap()).unwrap();
                })
                .unwrap();
        });
        assert_eq!(exit.code(), 0);
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("our https server listens");
    (port, closed_rx, t)
}

/// node's https_server.js: its port, and its stdout lines after the banner.
fn start_node(certs: &Certs) -> (u16, std::process::Child, mpsc::Receiver<String>) {
    let (key, cert) = (certs.path("key.pem"), certs.path("cert.pem"));
    client_support::start_node_server("https_server.js", &[key.as_os_str(), cert.as_os_str()])
}

/// tls_raw.js's JSON line for `case` against `port`.
fn raw(port: u16, certs: &Certs, case: &str) -> Value {
    let out = Command::new("node")
        .arg(client_support::script("tls_raw.js"))
        .arg(port.to_string())
        .arg(certs.path("ca.pem"))
        .arg(case)
        .output()
        .expect("node (v20) must be installed: it is the specification");
    assert!(
        out.status.success(),
        "tls_raw.js {case}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON line")
}

fn ms(v: &Value) -> u64 {
    v["ms"].as_u64().expect("ms")
}

/// The reply and whether the server closed (the times are checked apart).
fn outcome(v: &Value) -> (Value, Value) {
    (v["reply"].clone(), v["closed"].clone())
}

#[test]
fn https_connections_are_served_as_nodes_are() {
    let certs = Certs::make("server-timeouts");
    let (ours, closed, thread) = start_ours(&certs);
    let (theirs, mut node, node_lines) = start_node(&certs);
    let mut diffs = Vec::new();
    for case in ["partial-head", "partial-body", "keep-alive", "peer"] {
        let (a, b) = (raw(ours, &certs, case), raw(theirs, &certs, case));
        if outcome(&a) != outcome(&b) {
            diffs.push(format!("{case}:\n  ours: {a}\n  node: {b}"));
        }
        // When the server answered and closed: headersTimeout (1 s, checked every 100 ms),
        // requestTimeout (2 s), keepAliveTimeout (1.5 s, and Node 20.20's 1 s more); at once
        // for `Connection: close`.
        let (lo, hi) = match case {
            "partial-head" => (1000, 1900),
            "partial-body" => (2000, 2900),
            "keep-alive" => (2400, 3400),
            _ => (0, 900),
        };
        for (who, v) in [("ours", &a), ("node", &b)] {
            assert!(
                (lo..=hi).contains(&ms(v)),
                "{case}: {who} closed after {} ms, not in {lo}..={hi}: {v}",
                ms(v)
            );
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
    let a = raw(ours, &certs, "peer");
    assert_eq!(
        a["reply"].as_str().unwrap().lines().last(),
        Some("127.0.0.1 PORT true")
    );
    // curl's own port is the one the server saw.
    let o = Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(certs.path("ca.pem"))
        .args(["-w", " %{local_port}"])
        .arg(format!("https://localhost:{ours}/peer"))
        .output()
        .expect("curl must be installed (.ci/run installs it)");
    let text = String::from_utf8(o.stdout).unwrap();
    let parts: Vec<&str> = text.split(' ').collect();
    assert_eq!(parts.len(), 4, "{text:?}");
    assert_eq!((parts[0], parts[2]), ("127.0.0.1", "true"), "{text:?}");
    assert_eq!(parts[1], parts[3], "the peer port is curl's: {text:?}");
    // server.close(): the idle connection closes at once (not after keepAliveTimeout), the
    // closing request is answered, and the callback follows.
    let (a, b) = (raw(ours, &certs, "close"), raw(theirs, &certs, "close"));
    assert_eq!(
        (
            &a["idle"]["reply"],
            &a["idle"]["closed"],
            &a["closer"]["reply"],
            &a["closer"]["closed"]
        ),
        (
            &b["idle"]["reply"],
            &b["idle"]["closed"],
            &b["closer"]["reply"],
            &b["closer"]["closed"]
        ),
        "close:\n  ours: {a}\n  node: {b}"
    );
    for (who, v) in [("ours", &a), ("node", &b)] {
        assert!(
            ms(&v["idle"]) < 2000,
            "close: {who}'s idle connection waited for keepAliveTimeout: {v}"
        );
    }
    closed
        .recv_timeout(Duration::from_secs(10))
        .expect("our close callback");
    assert_eq!(
        node_lines.recv_timeout(Duration::from_secs(10)).as_deref(),
        Ok("closed")
    );
    thread
        .join()
        .expect("our loop ends once the server is closed");
    let _ = node.kill();
    let _ = node.wait();
}
