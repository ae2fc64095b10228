//! 10,000 connections opened and closed leave the process's fd count flat (counted in
//! /proc/self/fd). Alone in its binary, so no other test opens fds meanwhile.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_net::{self as net, ConnectTarget, Server, ServerOptions, SocketOptions};

const CONNECTIONS: usize = 10_000;
/// Connections open at once.
const BATCH: usize = 50;

fn open_batch(server: Server, port: u16, started: Rc<Cell<usize>>, closed: Rc<Cell<usize>>) {
    for _ in 0..BATCH {
        if started.get() == CONNECTIONS {
            return;
        }
        started.set(started.get() + 1);
        let c = net::connect(
            ConnectTarget::Tcp {
                port,
                host: Some("127.0.0.1".into()),
            },
            SocketOptions::default(),
        );
        let c2 = c.clone();
        c.once_connect(move || c2.end());
        c.on_data(|_| {});
        let (srv, s, k) = (server.clone(), Rc::clone(&started), Rc::clone(&closed));
        c.on_close(move || {
            k.set(k.get() + 1);
            if k.get() == CONNECTIONS {
                srv.close(None);
            } else if k.get() % BATCH == 0 {
                open_batch(srv.clone(), port, Rc::clone(&s), Rc::clone(&k));
            }
        });
    }
}

#[test]
fn ten_thousand_connections_leave_the_fd_count_flat() {
    let counts: Rc<Cell<(usize, usize)>> = Rc::default();
    let closed = Rc::new(Cell::new(0));
    let (c, k) = (Rc::clone(&counts), Rc::clone(&closed));
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |s| {
            s.on_data(|_| {});
        });
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let before = common::fd_count();
                let c2 = Rc::clone(&c);
                srv.on_close(move || c2.set((before, common::fd_count())));
                open_batch(
                    srv.clone(),
                    srv.port().unwrap(),
                    Rc::default(),
                    Rc::clone(&k),
                );
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(closed.get(), CONNECTIONS);
    let (before, after) = counts.get();
    println!(
        "{CONNECTIONS} connections: {before} fds open before, {after} after the server closed"
    );
    // The server's own fd is closed when `close` is emitted: one fewer than before.
    assert_eq!(after + 1, before, "fds before {before}, after {after}");
}
