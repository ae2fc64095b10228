//! The server events Node has beyond `request` (`checkContinue`, `checkExpectation`,
//! `clientError`, `upgrade`, `connect`), `res.setTimeout`, `res.addTrailers` and
//! `maxRequestsPerSocket`, against live node: the same raw requests go to a server here and
//! to its twin (tests/node/events.js); the replies (every byte but the `Date` line) and
//! whether the connection was closed must be the same. With `--many` every event has
//! several listeners (on, once, one removed with off), whose calls and `listenerCount`s the
//! responses carry; `close` and `error` listeners are compared apart (close_error.js).

mod support;

use std::cell::RefCell;
use std::process::Command;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use nodestd_http::{ServerOptions, create_server, events};
use nodestd_stream::Chunk;
use support::exchange;

/// The twin's flags: `--plain` (no listeners beyond `request`), `--max-requests N`,
/// `--many` (more listeners of each event: on, once, off).
#[derive(Clone, Copy)]
struct Setup {
    plain: bool,
    max_requests: u32,
    many: bool,
}

/// events.js's `--many` listeners.
fn add_many(server: &nodestd_http::Server) {
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let (srv, l) = (server.clone(), log.clone());
    let tell = Rc::new(move |res: &nodestd_http::ServerResponse| {
        if res.headers_sent() {
            return;
        }
        let n = |count: usize, name: &str| format!("{name}={count}");
        let counts = [
            n(srv.listener_count(events::Request), "request"),
            n(srv.listener_count(events::Connection), "connection"),
            n(srv.listener_count(events::Listening), "listening"),
            n(srv.listener_count(events::Close), "close"),
            n(srv.listener_count(events::Error), "error"),
            n(srv.listener_count(events::CheckContinue), "checkContinue"),
            n(
                srv.listener_count(events::CheckExpectation),
                "checkExpectation",
            ),
            n(srv.listener_count(events::ClientError), "clientError"),
            n(srv.listener_count(events::Upgrade), "upgrade"),
            n(srv.listener_count(events::Connect), "connect"),
        ];
        res.set_header("X-Counts", &counts.join(","));
        res.set_header("X-Log", &l.borrow().join(","));
    });
    let t = tell.clone();
    server.on(events::Request, move |(_, res)| t(res));
    server.once(events::Request, |(_, res)| {
        if !res.headers_sent() {
            res.set_header("X-Once", "yes");
        }
    });
    let l = log.clone();
    let removed = server.on(events::Request, move |_| {
        l.borrow_mut().push("removed".into())
    });
    server.off(events::Request, removed);
    let push = |text: &'static str| {
        let l = log.clone();
        move || l.borrow_mut().push(text.to_owned())
    };
    let f = push("connection 2");
    server.on(events::Connection, move |_| f());
    let f = push("connection once");
    server.once(events::Connection, move |_| f());
    let f = push("listening 2");
    server.on(events::Listening, move |_| f());
    let f = push("listening once");
    server.once(events::Listening, move |_| f());
    let (l, t) = (log.clone(), tell.clone());
    server.on(events::CheckContinue, move |(_, res)| {
        l.borrow_mut().push("checkContinue 2".into());
        t(res);
    });
    let f = push("checkExpectation 2");
    server.on(events::CheckExpectation, move |_| f());
    let l = log.clone();
    server.on(events::ClientError, move |(err, _)| {
        l.borrow_mut().push(format!("clientError 2 {}", err.code));
    });
    let l = log.clone();
    server.on(events::Upgrade, move |(req, _, _)| {
        l.borrow_mut().push(format!("upgrade 2 {}", req.url()));
    });
    let l = log.clone();
    server.on(events::Connect, move |(req, _, _)| {
        l.borrow_mut().push(format!("connect 2 {}", req.url()));
    });
}

/// events.js here: a server on its own loop thread; returns its port.
fn start_ours(setup: Setup) -> u16 {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let opts = ServerOptions {
                max_requests_per_socket: setup.max_requests,
                ..ServerOptions::default()
            };
            let server = create_server(opts, |req, res| match req.url() {
                "/timeout" => {
                    let r = res.clone();
                    res.set_timeout(100, move || {
                        r.set_header("Content-Type", "text/plain");
                        r.end(b"timed out");
                    });
                }
                "/trailers" => {
                    res.set_header("Trailer", "X-Sum");
                    res.write(b"body");
                    res.add_trailers(&[("X-Sum", "abc")]);
                    res.end(b"");
                }
                _ => {
                    let line = format!("request {} {} ", req.method(), req.url());
                    reply_with_body(&req, res, line);
                }
            });
            if !setup.plain {
                server.on_check_continue(|req, res| {
                    if req.url() == "/refuse" {
                        res.write_head(417, &[]);
                        res.end(b"refused");
                        return;
                    }
                    res.write_continue();
                    reply_with_body(&req, res, "continued ".into());
                });
                server.on_check_expectation(|req, res| {
                    let expect = req.headers().get("expect").unwrap_or_default();
                    res.end(format!("expectation {expect}").as_bytes());
                });
                server.on_client_error(|err, socket| {
                    socket.end_with(Chunk::from(format!(
                        "HTTP/1.1 400 Bad Request\r\nX-Code: {}\r\nX-Message: {}\r\n\
                         Content-Length: 0\r\nConnection: close\r\n\r\n",
                        err.code, err.message
                    )));
                });
                server.on_upgrade(|_req, socket, head| {
                    socket.write(Chunk::from(
                        &b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\n\
                           Connection: Upgrade\r\n\r\n"[..],
                    ));
                    let mut first = b"head:".to_vec();
                    first.extend_from_slice(&head);
                    first.push(b'|');
                    socket.write(Chunk::from(first));
                    let s = socket.clone();
                    socket.on_data(move |d| {
                        s.write(d.clone());
                    });
                    let s = socket.clone();
                    socket.on_end(move || s.end());
                });
                server.on_connect(|req, socket, head| {
                    let mut out = format!(
                        "HTTP/1.1 200 Connection Established\r\n\r\nconnect {} head:",
                        req.url()
                    )
                    .into_bytes();
                    out.extend_from_slice(&head);
                    out.push(b'|');
                    socket.end_with(Chunk::from(out));
                });
            }
            if setup.many {
                add_many(&server);
            }
            let srv = server.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    tx.send(srv.port().unwrap()).unwrap();
                })
                .expect("listen");
            // The server lives as long as the test process (its loop never ends).
            std::mem::forget(server);
        });
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("our server listens")
}

/// Collects the request's body, then ends the response with `prefix` and the body.
fn reply_with_body(
    req: &nodestd_http::IncomingMessage,
    res: nodestd_http::ServerResponse,
    prefix: String,
) {
    let body = Rc::new(RefCell::new(prefix.into_bytes()));
    let b = Rc::clone(&body);
    req.body()
        .on_data(move |c: &Chunk| b.borrow_mut().extend_from_slice(c.as_bytes()));
    req.body().on_end(move || res.end(&body.borrow()));
}

fn start_node(setup: Setup) -> support::Proc {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/events.js");
    let mut cmd = Command::new("node");
    cmd.arg(script);
    if setup.plain {
        cmd.arg("--plain");
    }
    if setup.max_requests > 0 {
        cmd.args(["--max-requests", &setup.max_requests.to_string()]);
    }
    if setup.many {
        cmd.arg("--many");
    }
    support::started(cmd)
}

/// The reply without its `Date` lines.
fn without_date(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .split_inclusive("\r\n")
        .filter(|l| !l.starts_with("Date: "))
        .collect()
}

const CASES: &[(&str, &[u8])] = &[
    (
        "checkContinue",
        b"POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    ),
    (
        "checkContinue refusing",
        b"POST /refuse HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
    ),
    (
        "100-continue inside a list",
        b"POST /x HTTP/1.1\r\nHost: a\r\nExpect: foo, 100-Continue\r\nContent-Length: 1\r\n\r\nz",
    ),
    (
        "checkExpectation",
        b"GET / HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n",
    ),
    ("expect on 1.0", b"GET / HTTP/1.0\r\nExpect: foo\r\n\r\n"),
    ("clientError: method", b"XYZ / HTTP/1.1\r\nHost: a\r\n\r\n"),
    (
        "clientError: duplicate length",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    ),
    (
        "clientError: bad length",
        b"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
    ),
    (
        "clientError: length then chunked",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    ),
    (
        "clientError: chunked then length",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n",
    ),
    (
        "clientError: not chunked last",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
    ),
    (
        "clientError: chunk size",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ),
    (
        "clientError: chunk end",
        b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXX",
    ),
    (
        "clientError: header name",
        b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
    ),
    (
        "clientError: header value",
        b"GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n",
    ),
    ("clientError: version", b"GET / HTTP/9.1\r\nHost: a\r\n\r\n"),
    ("clientError: url", b"GET /\x01 HTTP/1.1\r\n\r\n"),
    (
        "clientError: data after close",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n",
    ),
    (
        "upgrade with its head",
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello",
    ),
    (
        "upgrade, then echoed",
        b"GET /u HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, upgrade\r\nUpgrade: echo\r\n\r\n",
    ),
    (
        "upgrade header without Connection: upgrade",
        b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\n\r\n",
    ),
    (
        "connect",
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nearly",
    ),
    (
        "res.setTimeout",
        b"GET /timeout HTTP/1.1\r\nHost: a\r\n\r\n",
    ),
    ("addTrailers", b"GET /trailers HTTP/1.1\r\nHost: a\r\n\r\n"),
];

/// Runs `cases` against both servers; fails with every difference.
fn assert_same(setup: Setup, cases: &[(&str, &[u8])]) {
    let ours = start_ours(setup);
    let node = start_node(setup);
    let mut diffs = Vec::new();
    for (name, request) in cases {
        let idle = Duration::from_millis(400);
        let (a, a_closed) = exchange(ours, request, false, idle);
        let (b, b_closed) = exchange(node.port, request, false, idle);
        let (a, b) = (without_date(&a), without_date(&b));
        if a != b || a_closed != b_closed {
            diffs.push(format!(
                "{name}:\n  ours (closed {a_closed}): {a:?}\n  node (closed {b_closed}): {b:?}"
            ));
        }
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

const LISTENERS: Setup = Setup {
    plain: false,
    max_requests: 0,
    many: false,
};

#[test]
fn events_match_node() {
    assert_same(LISTENERS, CASES);
}

#[test]
fn without_listeners_the_defaults_match_node() {
    assert_same(
        Setup {
            plain: true,
            ..LISTENERS
        },
        CASES,
    );
}

/// Several listeners of each event, added with `on` and `once` (and one removed with
/// `off`): each is called in order, as Node's EventEmitter calls them, and the listener
/// counts are Node's (its own listeners included); the responses carry the counts and a log.
#[test]
fn several_listeners_of_each_event_match_node() {
    assert_same(
        Setup {
            many: true,
            ..LISTENERS
        },
        CASES,
    );
}

#[test]
fn max_requests_per_socket_matches_node() {
    assert_same(
        Setup {
            plain: true,
            max_requests: 2,
            ..LISTENERS
        },
        &[
            (
                "three pipelined",
                b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n\
                  GET /c HTTP/1.1\r\nHost: a\r\n\r\n",
            ),
            ("one", b"GET /a HTTP/1.1\r\nHost: a\r\n\r\n"),
            (
                "1.0 keep-alive does not count",
                b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            ),
        ],
    );
}

/// Several `error` listeners of a server whose listen fails and several `close` listeners
/// (on, once, one removed with off) of a server that closes log what node's twin logs
/// (tests/node/close_error.js).
#[test]
fn close_and_error_listeners_match_node() {
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let l = log.clone();
    let exit = nodestd_loop::run(move || {
        let a = create_server(ServerOptions::default(), |_, _| {});
        let a2 = a.clone();
        a.listen(0, Some("127.0.0.1"), move || {
            let a = a2.clone();
            let b = create_server(ServerOptions::default(), |_, _| {});
            let l2 = l.clone();
            b.on(events::Error, move |e| {
                let msg = e.message();
                let msg = msg.rsplit_once(':').map_or(msg, |(m, _)| m);
                l2.borrow_mut()
                    .push(format!("error 1 {} {msg}:PORT", e.code()));
            });
            let l2 = l.clone();
            b.once(events::Error, move |e| {
                l2.borrow_mut()
                    .push(format!("error once {}", e.syscall().unwrap_or("")));
            });
            let (l2, b2) = (l.clone(), b.clone());
            b.on(events::Error, move |_| {
                let n = b2.listener_count(events::Error);
                l2.borrow_mut().push(format!("error 3 {n}"));
            });
            b.listen(a.port().unwrap(), Some("127.0.0.1"), || {})
                .expect("the failure is an error event");
            let l2 = l.clone();
            a.on(events::Close, move |_| {
                l2.borrow_mut().push("close 1".into())
            });
            let l2 = l.clone();
            a.once(events::Close, move |_| {
                l2.borrow_mut().push("close once".into())
            });
            let l2 = l.clone();
            let f = a.on(events::Close, move |_| {
                l2.borrow_mut().push("removed".into())
            });
            a.off(events::Close, f);
            let l2 = l.clone();
            nodestd_loop::set_timeout(50, move || {
                let (l3, a3) = (l2.clone(), a.clone());
                a.close(move || {
                    let n = a3.listener_count(events::Close);
                    l3.borrow_mut().push(format!("close cb {n}"));
                });
            });
        })
        .unwrap();
    });
    assert_eq!(exit.code(), 0);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/close_error.js");
    let out = Command::new("node")
        .arg(script)
        .output()
        .expect("node (v20) must be installed: it is the specification");
    let mut ours = log.borrow().join("\n");
    ours.push('\n');
    assert_eq!(ours, String::from_utf8_lossy(&out.stdout));
}
