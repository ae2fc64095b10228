//! Servers and the loop: maxConnections and `drop`, getConnections, `server.close(cb)`
//! waiting for the last connection (the same scenario as `tests/node/server_limits.js`,
//! same lines), `setTimeout`, and what keeps the loop alive (`unref`, paused sockets).

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use common::{Log, tcp};
use nodestd_loop as nd;
use nodestd_net::{self as net, Address, Server, ServerOptions, Socket, SocketOptions};

fn client(log: &Log, port: u16, name: &'static str, next: Option<Box<dyn Fn()>>) -> Socket {
    let c = net::connect(tcp(port), Default::default());
    let l = log.clone();
    c.once_connect(move || {
        l.push(format!("{name} connect"));
        if let Some(n) = &next {
            n();
        }
    });
    let l = log.clone();
    c.on_end(move || l.push(format!("{name} end")));
    let l = log.clone();
    c.on_close_had_error(move |h| l.push(format!("{name} close {h}")));
    c
}

fn limits_scenario(log: &Log) {
    let n = Rc::new(Cell::new(0));
    let slot: Rc<RefCell<Option<Server>>> = Rc::default();
    let (l, sl) = (log.clone(), Rc::clone(&slot));
    let server = net::create_server(ServerOptions::default(), move |conn| {
        n.set(n.get() + 1);
        let k = n.get();
        l.push(format!("connection {k}"));
        let l1 = l.clone();
        sl.borrow()
            .as_ref()
            .unwrap()
            .get_connections(move |c| l1.push(format!("count {}", c.unwrap())));
        let l2 = l.clone();
        conn.on_end(move || l2.push(format!("server end {k}")));
        let l3 = l.clone();
        conn.on_close(move || l3.push(format!("server socket close {k}")));
    });
    *slot.borrow_mut() = Some(server.clone());
    server.set_max_connections(2);
    let l = log.clone();
    server.on_drop(move |d| {
        let (
            Some(Address::Inet { address: r, .. }),
            Some(Address::Inet {
                address, family, ..
            }),
        ) = (&d.remote, &d.local)
        else {
            panic!("{d:?}")
        };
        l.push(format!("drop {r} {address} {}", family.as_str()));
    });
    let (l, srv) = (log.clone(), server.clone());
    server
        .listen_port(0, Some("127.0.0.1"), move || {
            let port = srv.port().unwrap();
            let (l1, srv1) = (l.clone(), srv.clone());
            let a_slot: Rc<RefCell<Option<Socket>>> = Rc::default();
            let a_s = Rc::clone(&a_slot);
            let a = client(
                &l,
                port,
                "a",
                Some(Box::new(move || {
                    let (l2, srv2, a_s2) = (l1.clone(), srv1.clone(), Rc::clone(&a_s));
                    let b_slot: Rc<RefCell<Option<Socket>>> = Rc::default();
                    let b_s = Rc::clone(&b_slot);
                    let b = client(
                        &l1,
                        port,
                        "b",
                        Some(Box::new(move || {
                            let c = client(&l2, port, "c", None);
                            let (l3, srv3, a3, b3) =
                                (l2.clone(), srv2.clone(), Rc::clone(&a_s2), Rc::clone(&b_s));
                            c.on_close(move || {
                                let l4 = l3.clone();
                                srv3.close(Some(Box::new(move |e| {
                                    l4.push(format!(
                                        "server closed {}",
                                        e.map_or("ok", |e| e.code())
                                    ))
                                })));
                                l3.push(format!("close called {}", srv3.listening()));
                                let l5 = l3.clone();
                                srv3.close(Some(Box::new(move |e| {
                                    l5.push(format!(
                                        "second close {}",
                                        e.map_or("ok", |e| e.code())
                                    ))
                                })));
                                a3.borrow().as_ref().unwrap().end();
                                let (l6, b6) = (l3.clone(), Rc::clone(&b3));
                                nd::set_timeout(30, move || {
                                    l6.push("ending b");
                                    b6.borrow().as_ref().unwrap().end();
                                });
                            });
                        })),
                    );
                    *b_slot.borrow_mut() = Some(b);
                })),
            );
            *a_slot.borrow_mut() = Some(a);
        })
        .unwrap();
}

#[test]
fn max_connections_get_connections_and_close_after_the_last_connection_as_node() {
    common::assert_same_lines_as_node("server_limits.js", limits_scenario);
}

#[test]
fn set_timeout_emits_timeout_after_inactivity() {
    let log = Log::default();
    let l = log.clone();
    let started = Instant::now();
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |_| {});
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                // The `timeout` option, as net.connect({ timeout: 60 }).
                let c = net::connect(
                    tcp(srv.port().unwrap()),
                    SocketOptions {
                        timeout: Some(60),
                        ..SocketOptions::default()
                    },
                );
                let (l1, c1, srv1) = (l.clone(), c.clone(), srv.clone());
                c.on_timeout(move || {
                    l1.push(format!("timeout {:?}", c1.timeout()));
                    c1.destroy(None);
                    srv1.close(None);
                });
                // Activity at 30 ms restarts the countdown.
                let c2 = c.clone();
                nd::set_timeout(30, move || {
                    c2.write(nodestd_stream::Chunk::from("x"));
                });
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines(), ["timeout Some(60)"]);
    assert!(
        started.elapsed().as_millis() >= 90,
        "{:?}: the write restarted the timer",
        started.elapsed()
    );
}

#[test]
fn an_unrefd_server_lets_the_loop_exit() {
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |_| {});
        server.unref();
        let l1 = l.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || l1.push("listening"))
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines(), ["listening"]);
}

#[test]
fn unrefd_connected_sockets_let_the_loop_exit() {
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let l0 = l.clone();
        let server = net::create_server(ServerOptions::default(), move |s| {
            l0.push("connection");
            s.unref();
        });
        let (srv, l1) = (server.clone(), l.clone());
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let c = net::connect(tcp(srv.port().unwrap()), Default::default());
                let (l2, c2) = (l1.clone(), c.clone());
                c.once_connect(move || {
                    l2.push("connect");
                    c2.unref();
                });
                srv.unref();
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines(), ["connection", "connect"]);
}

#[test]
fn paused_sockets_do_not_keep_the_loop_alive() {
    // As node: with pauseOnConnect and a client paused at once, neither socket reads, so
    // neither keeps the loop alive; the run ends with both open.
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let slot: Rc<RefCell<Option<Server>>> = Rc::default();
        let (sl, l0) = (Rc::clone(&slot), l.clone());
        let server = net::create_server(
            ServerOptions {
                pause_on_connect: true,
                ..ServerOptions::default()
            },
            move |_| {
                l0.push("connection");
                sl.borrow().as_ref().unwrap().close(None);
            },
        );
        *slot.borrow_mut() = Some(server.clone());
        let l1 = l.clone();
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let c = net::connect(tcp(srv.port().unwrap()), Default::default());
                c.pause();
                let l2 = l1.clone();
                c.once_connect(move || l2.push("connect"));
                let l3 = l1.clone();
                c.on_close(move || l3.push("client close"));
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(log.lines(), ["connection", "connect"]);
}
