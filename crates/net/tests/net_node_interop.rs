//! Rust server ↔ node client and node server ↔ Rust client on loopback (and Unix-domain
//! sockets): echo, 16 MiB both ways with backpressure, half-open with `allowHalfOpen` both
//! ways, destroy mid-stream, ECONNRESET, EPIPE, ECONNREFUSED and EADDRINUSE with the
//! messages node gives for the same calls (`tests/node/peer.js`, `tests/node/errors.js`).

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use common::{Log, tcp};
use nodestd_loop as nd;
use nodestd_net::{
    self as net, ConnectTarget, ListenOptions, NetError, Server, ServerOptions, Socket,
    SocketOptions,
};
use nodestd_stream::Chunk;

const BIG: usize = 16 * 1024 * 1024;

/// Checks bytes against the pattern `i % 251`.
#[derive(Default)]
struct Checker {
    pos: usize,
    bad: usize,
}

impl Checker {
    fn feed(&mut self, d: &[u8]) {
        for &b in d {
            if usize::from(b) != self.pos % 251 {
                self.bad += 1;
            }
            self.pos += 1;
        }
    }
}

/// Writes `n` bytes of the pattern in 64 KiB chunks, waiting for `drain` whenever `write`
/// says so, then ends. Returns how many times it waited.
fn send_pattern(s: &Socket, n: usize, waits: Rc<Cell<usize>>) {
    fn pump(s: Socket, pos: Rc<Cell<usize>>, n: usize, waits: Rc<Cell<usize>>) {
        while pos.get() < n {
            let len = (64 * 1024).min(n - pos.get());
            let chunk: Vec<u8> = (0..len).map(|i| ((pos.get() + i) % 251) as u8).collect();
            pos.set(pos.get() + len);
            if !s.write(Chunk::from(chunk)) {
                waits.set(waits.get() + 1);
                let s2 = s.clone();
                s.once_drain(move || pump(s2.clone(), pos.clone(), n, waits.clone()));
                return;
            }
        }
        s.end();
    }
    pump(s.clone(), Rc::new(Cell::new(0)), n, waits);
}

/// A Rust server on 127.0.0.1:0 (with `allowHalfOpen`, so that each side of an exchange
/// ends only its own direction) that serves one connection with `serve`, then closes;
/// `client` runs with the port once it listens.
fn rust_server(serve: impl Fn(&Socket) + 'static, client: impl FnOnce(u16) + 'static) -> Server {
    let server = net::create_server(
        ServerOptions {
            allow_half_open: true,
            ..ServerOptions::default()
        },
        serve,
    );
    let s = server.clone();
    let client = RefCell::new(Some(client));
    server
        .listen_port(0, Some("127.0.0.1"), move || {
            if let Some(c) = client.borrow_mut().take() {
                c(s.port().unwrap());
            }
        })
        .unwrap();
    server
}

fn close_after_one(server: &Server, sock: &Socket) {
    let srv = server.clone();
    sock.on_close(move || {
        srv.close(None);
    });
}

/// Runs a loop with a Rust server (see [`rust_server`]) that serves one connection with
/// `serve` and then closes, and node's `peer.js client MODE PORT` against it; returns what
/// node printed.
fn against_node_client(mode: &str, serve: impl Fn(&Socket) + 'static) -> String {
    let out: Rc<RefCell<Option<std::thread::JoinHandle<String>>>> = Rc::default();
    let o = Rc::clone(&out);
    let mode = mode.to_owned();
    let exit = nd::run(move || {
        let slot: Rc<RefCell<Option<Server>>> = Rc::default();
        let sl = Rc::clone(&slot);
        let server = rust_server(
            move |c| {
                close_after_one(sl.borrow().as_ref().unwrap(), c);
                serve(c);
            },
            move |port| {
                *o.borrow_mut() = Some(common::node_in_background(
                    "peer.js",
                    vec!["client".into(), mode, port.to_string()],
                ));
            },
        );
        *slot.borrow_mut() = Some(server);
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    let out = out.borrow_mut().take().expect("node was started");
    out.join().unwrap()
}

#[test]
fn rust_echo_server_and_node_client() {
    let got = against_node_client("echo", |c| {
        let c2 = c.clone();
        c.on_data(move |d| {
            c2.write(d.clone());
        });
        let c3 = c.clone();
        c.on_end(move || c3.end());
    });
    assert_eq!(got, "echo hello from node\n");
}

#[test]
fn node_echo_server_and_rust_client() {
    let mut child = common::spawn_node("peer.js", &["server", "echo"]);
    let (port, _rest) = common::first_line(&mut child);
    let port: u16 = port.parse().unwrap();
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let c = net::connect(tcp(port), SocketOptions::default());
        let l1 = l.clone();
        c.on_data(move |d| l1.push(String::from_utf8_lossy(d.as_bytes())));
        let l2 = l.clone();
        c.on_end(move || l2.push("|end"));
        c.end_with(Chunk::from("hello from rust"));
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines().concat(), "hello from rust|end");
    assert!(child.wait().unwrap().success());
}

/// One side of a 16 MiB exchange: send the pattern with backpressure, check what comes
/// back. Returns (received, bad bytes, drain waits) through the cells.
fn big_exchange(s: &Socket, result: &Rc<RefCell<(usize, usize, usize)>>) {
    let checker = Rc::new(RefCell::new(Checker::default()));
    let k = Rc::clone(&checker);
    s.on_data(move |d| k.borrow_mut().feed(d.as_bytes()));
    let (k, r) = (Rc::clone(&checker), Rc::clone(result));
    let waits = Rc::new(Cell::new(0));
    let w = Rc::clone(&waits);
    let s2 = s.clone();
    // At `close`: both directions are done.
    s.on_close(move || {
        let c = k.borrow();
        assert_eq!(s2.bytes_read(), c.pos as u64);
        *r.borrow_mut() = (c.pos, c.bad, w.get());
    });
    send_pattern(s, BIG, waits);
}

#[test]
fn sixteen_mib_both_ways_rust_server_node_client() {
    let result: Rc<RefCell<(usize, usize, usize)>> = Rc::default();
    let r = Rc::clone(&result);
    let node = against_node_client("big", move |c| big_exchange(c, &r));
    assert_eq!(node, format!("received {BIG} bad 0\n"));
    let (got, bad, waits) = *result.borrow();
    assert_eq!((got, bad), (BIG, 0));
    assert!(waits > 0, "write said false at least once (backpressure)");
}

#[test]
fn sixteen_mib_both_ways_node_server_rust_client() {
    let mut child = common::spawn_node("peer.js", &["server", "big"]);
    let (port, mut rest) = common::first_line(&mut child);
    let port: u16 = port.parse().unwrap();
    let result: Rc<RefCell<(usize, usize, usize)>> = Rc::default();
    let r = Rc::clone(&result);
    let exit = nd::run(move || {
        let c = net::connect(
            tcp(port),
            SocketOptions {
                allow_half_open: true,
                ..SocketOptions::default()
            },
        );
        big_exchange(&c, &r);
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    let (got, bad, waits) = *result.borrow();
    assert_eq!((got, bad), (BIG, 0));
    assert!(waits > 0, "write said false at least once (backpressure)");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut rest, &mut line).unwrap();
    assert_eq!(line, format!("received {BIG} bad 0\n"));
    assert!(child.wait().unwrap().success());
}

/// A Rust server that answers after the client's end, with `allowHalfOpen` as given; the
/// node client reports what arrived after its own end.
fn half_open(allow: bool) -> String {
    let out: Rc<RefCell<Option<std::thread::JoinHandle<String>>>> = Rc::default();
    let o = Rc::clone(&out);
    let exit = nd::run(move || {
        let server = net::create_server(
            ServerOptions {
                allow_half_open: allow,
                ..ServerOptions::default()
            },
            |_| {},
        );
        let srv = server.clone();
        server.on_connection(move |c| {
            close_after_one(&srv, c);
            c.on_data(|_| {});
            let c2 = c.clone();
            c.on_end(move || {
                // As node: still writable in the `end` listener either way; with
                // allowHalfOpen false the writable side has ended by the next immediate.
                assert!(c2.writable());
                let c3 = c2.clone();
                nd::set_immediate(move || {
                    if c3.writable() {
                        c3.end_with(Chunk::from("late reply"));
                    }
                });
            });
        });
        let s = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                *o.borrow_mut() = Some(common::node_in_background(
                    "peer.js",
                    vec![
                        "client".into(),
                        "halfopen".into(),
                        s.port().unwrap().to_string(),
                    ],
                ));
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    out.borrow_mut().take().unwrap().join().unwrap()
}

#[test]
fn half_open_allowed_answers_after_the_peers_end() {
    assert_eq!(half_open(true), "after end: \"late reply\"\n");
}

#[test]
fn half_open_refused_ends_with_the_peer() {
    assert_eq!(half_open(false), "after end: \"\"\n");
}

#[test]
fn a_peer_destroying_mid_stream_fails_the_writer_and_closes_with_error() {
    let log = Log::default();
    let l = log.clone();
    against_node_client("destroy", move |c| {
        let l1 = l.clone();
        c.on_error(move |e| {
            l1.push(format!("error {}", e.code().unwrap_or("?")));
        });
        let l2 = l.clone();
        c.on_close_had_error(move |h| l2.push(format!("close {h}")));
        send_pattern(c, BIG, Rc::default());
    });
    let lines = log.lines();
    assert!(
        lines == ["error EPIPE", "close true"] || lines == ["error ECONNRESET", "close true"],
        "{lines:?}"
    );
}

fn error_json(e: &NetError) -> String {
    let mut s = format!(
        "{{\"message\":{:?},\"code\":{:?},\"errno\":{},\"syscall\":{:?}",
        e.message(),
        e.code(),
        e.errno_value().unwrap(),
        e.syscall().unwrap()
    );
    if let Some(a) = e.address() {
        s += &format!(",\"address\":{a:?}");
    }
    if let Some(p) = e.port() {
        s += &format!(",\"port\":{p}");
    }
    s + "}"
}

/// The same error as node's, field by field, for the line node printed.
fn stream_error_json(e: &nodestd_stream::Error) -> String {
    let n = Socket::net_error(e).expect("a NetError");
    format!(
        "{{\"message\":{:?},\"code\":{:?},\"errno\":{},\"syscall\":{:?}}}",
        n.message(),
        n.code(),
        n.errno_value().unwrap(),
        n.syscall().unwrap()
    )
}

#[test]
fn econnreset_as_node_reports_it() {
    let mut child = common::spawn_node("peer.js", &["server", "reset"]);
    let (port, _rest) = common::first_line(&mut child);
    let expected = {
        // node's own client against a second node server in the same mode.
        let mut other = common::spawn_node("peer.js", &["server", "reset"]);
        let (p2, _r) = common::first_line(&mut other);
        let line = common::run_node("peer.js", &["client", "reset", &p2]);
        other.wait().unwrap();
        line
    };
    let log = Log::default();
    let l = log.clone();
    let port: u16 = port.parse().unwrap();
    let exit = nd::run(move || {
        let c = net::connect(tcp(port), SocketOptions::default());
        let l1 = l.clone();
        c.on_error(move |e| l1.push(stream_error_json(e)));
        c.write(Chunk::from("boom"));
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.text(), expected);
    assert_eq!(
        expected,
        "{\"message\":\"read ECONNRESET\",\"code\":\"ECONNRESET\",\"errno\":-104,\"syscall\":\"read\"}\n"
    );
    child.wait().unwrap();
}

fn temp_path(name: &str) -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("nodestd-net-{}-{name}", std::process::id()));
    let _ = std::fs::remove_file(&p);
    p
}

#[test]
fn epipe_as_node_reports_it() {
    let path = temp_path("epipe.sock");
    let p = path.to_str().unwrap().to_owned();
    let mut child = common::spawn_node("peer.js", &["server", "hangup", &p]);
    let _ = common::first_line(&mut child);
    let expected = common::run_node("peer.js", &["client", "epipe", &p]);
    child.wait().unwrap();
    let mut child = common::spawn_node("peer.js", &["server", "hangup", &p]);
    let _ = common::first_line(&mut child);
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let c = net::connect(
            ConnectTarget::Path(p.into()),
            SocketOptions {
                allow_half_open: true,
                ..SocketOptions::default()
            },
        );
        let l1 = l.clone();
        c.on_error(move |e| l1.push(stream_error_json(e)));
        c.on_data(|_| {});
        let c2 = c.clone();
        c.on_end(move || {
            fn again(c: Socket) {
                if !c.destroyed() {
                    let c2 = c.clone();
                    c.write_with(Chunk::from(vec![0u8; 1024]), move |_| {
                        nd::set_immediate(move || again(c2));
                    });
                }
            }
            again(c2.clone());
        });
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(
        expected,
        "{\"message\":\"write EPIPE\",\"code\":\"EPIPE\",\"errno\":-32,\"syscall\":\"write\"}\n"
    );
    assert_eq!(log.text(), expected);
    child.wait().unwrap();
}

#[test]
fn econnrefused_enoent_and_eaddrinuse_as_node_reports_them() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let missing = temp_path("missing.sock");
    let busy_path = temp_path("busy.sock");
    let _busy_unix = std::os::unix::net::UnixListener::bind(&busy_path).unwrap();
    let (m, b) = (
        missing.to_str().unwrap().to_owned(),
        busy_path.to_str().unwrap().to_owned(),
    );
    let expected = common::run_node("errors.js", &["1", &busy_port.to_string(), &m, &b]);
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        // The same four calls, one after the other.
        let l1 = l.clone();
        let c = net::connect(tcp(1), SocketOptions::default());
        c.on_error(move |e| {
            let n = Socket::net_error(e).unwrap();
            l1.push(error_json(n));
            let s = Server::new(ServerOptions::default());
            let (l2, m, b) = (l1.clone(), m.clone(), b.clone());
            s.on_error(move |e| {
                l2.push(error_json(e));
                let c = net::connect(ConnectTarget::Path(m.clone().into()), Default::default());
                let (l3, b) = (l2.clone(), b.clone());
                c.on_error(move |e| {
                    l3.push(error_json(Socket::net_error(e).unwrap()));
                    let s = Server::new(ServerOptions::default());
                    let l4 = l3.clone();
                    s.on_error(move |e| l4.push(error_json(e)));
                    s.listen(ListenOptions::path(b.clone()), None).unwrap();
                });
            });
            s.listen(ListenOptions::tcp(busy_port, Some("127.0.0.1")), None)
                .unwrap();
        });
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.text(), expected);
    let _ = std::fs::remove_file(&busy_path);
}

#[test]
fn unix_domain_sockets_both_ways() {
    // A Rust server on a path, node's client.
    let path = temp_path("echo.sock");
    let p = path.to_str().unwrap().to_owned();
    let out: Rc<RefCell<Option<std::thread::JoinHandle<String>>>> = Rc::default();
    let o = Rc::clone(&out);
    let p1 = p.clone();
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |_| {});
        let srv = server.clone();
        server.on_connection(move |c| {
            close_after_one(&srv, c);
            let c2 = c.clone();
            c.on_data(move |d| {
                c2.write(d.clone());
            });
        });
        let s = server.clone();
        let p2 = p1.clone();
        server
            .listen(
                ListenOptions::path(p1.clone()),
                Some(Box::new(move || {
                    assert_eq!(s.address(), Some(net::Address::Path(p2.clone())));
                    *o.borrow_mut() = Some(common::node_in_background(
                        "peer.js",
                        vec!["client".into(), "echo".into(), p2.clone()],
                    ));
                })),
            )
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(
        out.borrow_mut().take().unwrap().join().unwrap(),
        "echo hello from node\n"
    );
    assert!(!path.exists(), "close removed the socket's path");

    // node's server on a path, a Rust client.
    let mut child = common::spawn_node("peer.js", &["server", "echo", &p]);
    let _ = common::first_line(&mut child);
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let c = net::connect(ConnectTarget::Path(p.into()), SocketOptions::default());
        let l1 = l.clone();
        c.on_data(move |d| l1.push(String::from_utf8_lossy(d.as_bytes())));
        c.end_with(Chunk::from("over a path"));
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines().concat(), "over a path");
    assert!(child.wait().unwrap().success());
}

#[test]
fn reading_yields_to_the_loop_after_32_reads_per_readiness() {
    // The rule of fair reading: while 16 MiB pour in, the loop's check phase runs between
    // read rounds, each of at most MAX_READS_PER_READINESS reads (one `data` event each).
    let most = Rc::new(Cell::new(0usize));
    let rounds = Rc::new(Cell::new(0usize));
    let result: Rc<RefCell<(usize, usize, usize)>> = Rc::default();
    let (m, k, r) = (Rc::clone(&most), Rc::clone(&rounds), Rc::clone(&result));
    let node = against_node_client("big", move |c| {
        let since_check = Rc::new(Cell::new(0usize));
        let (s1, k1) = (Rc::clone(&since_check), Rc::clone(&k));
        let check = nd::PhaseHandle::start(nd::Phase::Check, move || {
            if s1.replace(0) > 0 {
                k1.set(k1.get() + 1);
            }
        });
        check.unref();
        let (s2, m2) = (Rc::clone(&since_check), Rc::clone(&m));
        c.on_data(move |_| {
            s2.set(s2.get() + 1);
            m2.set(m2.get().max(s2.get()));
        });
        c.on_close(move || check.close_quietly());
        big_exchange(c, &r);
    });
    assert_eq!(node, format!("received {BIG} bad 0\n"));
    assert_eq!(result.borrow().0, BIG);
    assert!(
        most.get() <= nd::MAX_READS_PER_READINESS,
        "at most {} reads between check phases, saw {}",
        nd::MAX_READS_PER_READINESS,
        most.get()
    );
    assert!(rounds.get() > 1, "{} read rounds", rounds.get());
}
