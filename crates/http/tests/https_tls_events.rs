//! The https server's TLS events against node's: `secureConnection` for a completed
//! handshake, `tlsClientError` for one that fails (plain HTTP on the TLS port) or stalls past
//! `handshakeTimeout` (`ERR_TLS_HANDSHAKE_TIMEOUT`, "TLS handshake timeout"), the https
//! server's own listener that passes the error to `clientError` or destroys the socket, and
//! the listener counts a new server starts with. Our server and node's
//! (`tests/node/https_tls_events.js`) run the same cases from the same raw clients and curl;
//! their event lines must be equal (OpenSSL's and rustls's failure codes are compared as
//! the family `ERR_SSL*`).

mod certs;
mod client_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use certs::Certs;
use nodestd_http::https::{self, ServerTlsOptions};
use nodestd_http::{ServerOptions, events};

/// The family of a failure's code, as the node twin prints it.
fn family(code: &str) -> &str {
    if code.starts_with("ERR_SSL") {
        "ERR_SSL*"
    } else {
        code
    }
}

/// Our server on a loop thread, in `mode` (`plain` or `clienterror`): its port, its event
/// lines, and the sender that stops it.
fn start_ours(
    certs: &Certs,
    mode: &'static str,
) -> (u16, mpsc::Receiver<String>, mpsc::Sender<()>) {
    let tls = ServerTlsOptions {
        key: certs.read("key.pem"),
        cert: certs.read("cert.pem"),
        handshake_timeout: 300,
    };
    let (port_tx, port_rx) = mpsc::channel();
    let (log, lines) = mpsc::channel::<String>();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let l = log.clone();
            let server = https::create_server(tls, ServerOptions::default(), move |req, res| {
                let _ = l.send(format!(
                    "request {} encrypted={}",
                    req.url(),
                    req.socket().encrypted()
                ));
                res.set_header("Connection", "close");
                res.end(b"hello");
            })
            .expect("a server from PEM");
            let em = server.net().emitter();
            let counts = format!(
                "counts secureConnection={} tlsClientError={} clientError={}",
                em.listener_count(https::events::SecureConnection),
                em.listener_count(https::events::TlsClientError),
                server.http().listener_count(events::ClientError),
            );
            let l = log.clone();
            server.on_secure_connection(move |s| {
                let _ = l.send(format!("secureConnection encrypted={}", s.encrypted()));
            });
            let l = log.clone();
            server.on_tls_client_error(move |e, s| {
                let code = family(e.code().unwrap_or(""));
                let msg = if code == "ERR_SSL*" { "*" } else { e.message() };
                let _ = l.send(format!(
                    "tlsClientError {code} {msg:?} destroyed={}",
                    s.destroyed()
                ));
            });
            if mode == "clienterror" {
                let l = log.clone();
                server.http().on_client_error(move |e, s| {
                    let _ = l.send(format!(
                        "clientError {} destroyed={}",
                        family(e.code),
                        s.destroyed()
                    ));
                    s.destroy(None);
                });
            }
            let s = server.clone();
            let l = log.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    let _ = l.send(counts.clone());
                    port_tx.send(s.port().unwrap()).unwrap();
                })
                .unwrap();
            // Stopped from the test thread: poll for its word.
            let s = server.clone();
            let poll = nodestd_loop::set_interval(20, move || {
                if stop_rx.try_recv().is_ok() {
                    s.close(|| {});
                }
            });
            poll.unref();
            let _ = poll;
        });
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("our https server listens");
    (port, lines, stop_tx)
}

/// node's twin in `mode`: its port, its event lines, the child (ends at stdin's EOF).
fn start_node(certs: &Certs, mode: &str) -> (u16, mpsc::Receiver<String>, std::process::Child) {
    let (key, cert) = (certs.path("key.pem"), certs.path("cert.pem"));
    let args = [
        key.as_os_str(),
        cert.as_os_str(),
        std::ffi::OsStr::new(mode),
    ];
    let (port, child, lines) = client_support::start_node_server("https_tls_events.js", &args);
    (port, lines, child)
}

/// Connects, sends `bytes`, and returns how long the server took to close (reading and
/// dropping what it sends: rustls sends an alert where OpenSSL sends none).
fn raw(port: u16, bytes: &[u8]) -> Duration {
    let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let t = Instant::now();
    c.write_all(bytes).unwrap();
    let mut sink = Vec::new();
    let _ = c.read_to_end(&mut sink);
    t.elapsed()
}

fn curl(port: u16, certs: &Certs) -> String {
    let o = Command::new("curl")
        .args(["-sS", "--cacert"])
        .arg(certs.path("ca.pem"))
        .arg(format!("https://localhost:{port}/hello"))
        .output()
        .expect("curl must be installed (.ci/run installs it)");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The lines that arrive until 500 ms pass without one.
fn drain(lines: &mpsc::Receiver<String>) -> Vec<String> {
    let mut got = Vec::new();
    while let Ok(l) = lines.recv_timeout(Duration::from_millis(500)) {
        got.push(l);
    }
    got
}

/// Runs the cases against the server at `port`; its event lines, case by case.
fn cases(port: u16, lines: &mpsc::Receiver<String>, certs: &Certs) -> Vec<String> {
    let mut log = drain(lines);
    let idle = raw(port, b"");
    assert!(
        idle >= Duration::from_millis(250) && idle < Duration::from_secs(10),
        "an idle handshake closed after {idle:?}, not about 300 ms"
    );
    log.push("-- idle".into());
    log.extend(drain(lines));
    raw(port, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    log.push("-- plain http".into());
    log.extend(drain(lines));
    assert_eq!(curl(port, certs), "hello");
    log.push("-- tls".into());
    log.extend(drain(lines));
    log
}

#[test]
fn tls_events_are_nodes() {
    let certs = Certs::make("tls-events");
    let mut diffs = Vec::new();
    for mode in ["plain", "clienterror"] {
        let (port, lines, stop) = start_ours(&certs, mode);
        let ours = cases(port, &lines, &certs);
        let _ = stop.send(());
        let (port, lines, mut node) = start_node(&certs, mode);
        let theirs = cases(port, &lines, &certs);
        drop(node.stdin.take());
        let _ = node.wait();
        if ours != theirs {
            diffs.push(format!("{mode}:\n  ours: {ours:#?}\n  node: {theirs:#?}"));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
