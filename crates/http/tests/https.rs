//! https on rustls, with a CA and a certificate for `localhost` / 127.0.0.1 that the test
//! makes with the `openssl` command-line tool (installed by `.ci/run`; a missing one fails
//! loudly): our client against node's https server prints the lines node's own client
//! prints (`tests/node/https_cases.js`: `ca`, the name, no `ca`, `rejectUnauthorized:
//! false`, a `servername` the certificate does not name, a POST); node's client against our
//! https server prints the same lines as against node's; curl against our server.

mod certs;
mod client_support;

use std::cell::RefCell;
use std::process::Command;
use std::rc::Rc;

use certs::Certs;
use client_support::{Peer, run_cases};
use nodestd_http::https::{self, ServerTlsOptions, TlsOptions};
use nodestd_http::{AgentChoice, RequestOptions, ServerOptions};
use nodestd_net::NetError;
use nodestd_stream::Chunk;

struct HttpsCase {
    name: &'static str,
    host: &'static str,
    method: &'static str,
    path: &'static str,
    tls: TlsOptions,
}

fn cases(ca: &[u8]) -> Vec<HttpsCase> {
    let with_ca = TlsOptions {
        ca: Some(ca.to_vec()),
        ..TlsOptions::default()
    };
    let c = |name, tls: &TlsOptions| HttpsCase {
        name,
        host: "127.0.0.1",
        method: "GET",
        path: "/hello",
        tls: tls.clone(),
    };
    vec![
        c("ca", &with_ca),
        HttpsCase {
            host: "localhost",
            ..c("name", &with_ca)
        },
        c("noca", &TlsOptions::default()),
        c(
            "insecure",
            &TlsOptions {
                reject_unauthorized: false,
                ..TlsOptions::default()
            },
        ),
        c(
            "badname",
            &TlsOptions {
                servername: Some("other.test".into()),
                ..with_ca.clone()
            },
        ),
        HttpsCase {
            method: "POST",
            path: "/echo",
            ..c("post", &with_ca)
        },
    ]
}

/// Runs the cases one after the other with our https client.
fn our_client(port: u16, ca: Vec<u8>) -> String {
    run_cases(move |out, done| {
        let steps = Rc::new(RefCell::new(cases(&ca).into_iter()));
        type Next = Rc<dyn Fn()>;
        let next: Rc<RefCell<Option<Next>>> = Rc::default();
        let n2 = next.clone();
        let out = out.clone();
        *next.borrow_mut() = Some(Rc::new(move || {
            let Some(case) = steps.borrow_mut().next() else {
                n2.borrow_mut().take();
                done();
                return;
            };
            let again = n2.borrow().clone().unwrap();
            let name = case.name;
            let opts = RequestOptions {
                host: Some(case.host.into()),
                port: Some(port),
                path: case.path.into(),
                method: case.method.into(),
                agent: AgentChoice::None,
                ..RequestOptions::default()
            };
            let (o, a) = (out.clone(), again.clone());
            let req = https::request(opts, case.tls, move |res| {
                let data = Rc::new(RefCell::new(Vec::new()));
                let d = data.clone();
                res.body()
                    .on_data(move |c: &Chunk| d.borrow_mut().extend_from_slice(c.as_bytes()));
                let (o, a, code) = (o.clone(), a.clone(), res.status_code());
                res.body().on_end(move || {
                    o.push(format!(
                        "{name} response {code} {}",
                        serde_json::Value::String(
                            String::from_utf8_lossy(&data.borrow()).into_owned()
                        )
                    ));
                    a();
                });
            });
            let o = out.clone();
            req.on_error(move |e| {
                let n = NetError::from_stream_error(e);
                o.push(format!(
                    "{name} error {} {}",
                    n.map_or("?", NetError::code),
                    n.map_or(e.to_string(), |n| n.message().to_owned())
                ));
                again();
            });
            req.end();
        }));
        let first = next.borrow().clone().unwrap();
        first();
    })
}

#[test]
fn our_client_against_nodes_https_server_prints_nodes_lines() {
    let certs = Certs::make("client");
    let key = certs.path("key.pem");
    let cert = certs.path("cert.pem");
    let peer = Peer::start(&["--https", key.to_str().unwrap(), cert.to_str().unwrap()]);
    let ca_path = certs.path("ca.pem");
    let expected = peer.node_client_with("https_cases.js", &[ca_path.to_str().unwrap()]);
    let got = our_client(peer.port, certs.read("ca.pem"));
    assert_eq!(got, expected);
}

/// Serves `/hello` and `/echo` over https on a loop thread; `f(port)` runs meanwhile on
/// this thread, then the server closes.
fn with_our_server(certs: &Certs, f: impl FnOnce(u16)) {
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let tls = ServerTlsOptions {
        key: certs.read("key.pem"),
        cert: certs.read("cert.pem"),
        ..Default::default()
    };
    let t = std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let server = https::create_server(tls, ServerOptions::default(), |req, res| {
                if req.url() == "/echo" {
                    res.write_head(200, &[("Content-Type", "application/octet-stream")]);
                    let r = res.clone();
                    req.body().on_data(move |c: &Chunk| {
                        r.write(c.as_bytes());
                    });
                    let r = res.clone();
                    req.body().on_end(move || r.end(b""));
                } else {
                    res.end(b"hello world");
                }
            })
            .expect("a server from PEM");
            let s = server.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    tx.send(s.port().unwrap()).unwrap();
                })
                .unwrap();
            // Poll for the stop signal on an unref'd interval.
            let s = server.clone();
            let iv: Rc<RefCell<Option<nodestd_loop::Timeout>>> = Rc::default();
            let i2 = iv.clone();
            *iv.borrow_mut() = Some(nodestd_loop::set_interval(20, move || {
                if stop_rx.try_recv().is_ok() {
                    s.close(|| {});
                    if let Some(t) = i2.borrow_mut().take() {
                        t.clear();
                    }
                }
            }));
        });
    });
    let port = rx.recv().unwrap();
    f(port);
    stop_tx.send(()).unwrap();
    t.join().unwrap();
}

#[test]
fn nodes_client_and_curl_against_our_https_server() {
    let certs = Certs::make("server");
    // Node's lines against node's own https server are the reference.
    let key = certs.path("key.pem");
    let cert = certs.path("cert.pem");
    let ca = certs.path("ca.pem");
    let node_peer = Peer::start(&["--https", key.to_str().unwrap(), cert.to_str().unwrap()]);
    let expected = node_peer.node_client_with("https_cases.js", &[ca.to_str().unwrap()]);
    drop(node_peer);
    with_our_server(&certs, |port| {
        let out = Command::new("node")
            .arg(client_support::script("https_cases.js"))
            .arg(port.to_string())
            .arg(&ca)
            .output()
            .expect("node (v20) must be installed: it is the specification");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
        let curl = |args: &[&str]| {
            let o = Command::new("curl")
                .args(["-sS", "--cacert", ca.to_str().unwrap()])
                .args(args)
                .output()
                .expect("curl must be installed (.ci/run installs it)");
            assert!(
                o.status.success(),
                "curl: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            String::from_utf8(o.stdout).unwrap()
        };
        assert_eq!(
            curl(&[&format!("https://localhost:{port}/hello")]),
            "hello world"
        );
        let body: String = (0..100_000)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let file = certs.path("body.txt");
        std::fs::write(&file, &body).unwrap();
        let data = format!("@{}", file.display());
        assert_eq!(
            curl(&[
                "--data-binary",
                &data,
                &format!("https://127.0.0.1:{port}/echo")
            ]),
            body
        );
    });
}

#[test]
fn bad_pem_is_an_error() {
    let got = run_cases(|out, done| {
        let r = https::create_server(
            ServerTlsOptions {
                key: b"nope".to_vec(),
                cert: b"nope".to_vec(),
                ..Default::default()
            },
            ServerOptions::default(),
            |_, _| {},
        );
        out.push(format!("{}", r.is_err()));
        done();
    });
    assert_eq!(got, "true\n");
}
