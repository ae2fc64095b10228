//! A connection handed to a server that never listened (cluster's round-robin path,
//! [`nodestd_net::Server::accept_handed`]) keeps the loop alive as an accepted one does:
//! the loop runs until the connection closes, so a client that speaks late is answered, as
//! Node's handle keeps its loop alive until it closes.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::time::Duration;

use nodestd_loop as nd;
use nodestd_net::{Server, ServerOptions};

/// A connected pair: the client side, and the server side's fd.
fn pair() -> (TcpStream, OwnedFd) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (server, _) = l.accept().unwrap();
    (client, OwnedFd::from(server))
}

/// The client waits `delay`, sends `ping`, reads the echo, and closes.
fn late_client(mut c: TcpStream, delay: Duration) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        std::thread::sleep(delay);
        c.write_all(b"ping").unwrap();
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = vec![0u8; 4];
        let n = c.read(&mut got).unwrap_or(0);
        got.truncate(n);
        got
    })
}

#[test]
fn a_handed_connection_keeps_the_loop_alive_until_it_closes() {
    let (client, fd) = pair();
    let answer = late_client(client, Duration::from_millis(300));
    let exit = nd::run(move || {
        let server = Server::new(ServerOptions {
            allow_half_open: true,
            ..ServerOptions::default()
        });
        server.on_connection(|sock| {
            let s = sock.clone();
            sock.on_data(move |d| {
                s.write(d.clone());
            });
            let s = sock.clone();
            sock.on_end(move || s.end());
        });
        server.accept_handed(fd);
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(answer.join().unwrap(), b"ping");
}

/// A paused one does not: libuv's handle is active only while reading, and node's process
/// ends with a paused connection open (checked with node: a `pauseOnConnect` server that
/// closed itself exits at once, its client still connected).
#[test]
fn a_paused_handed_connection_lets_the_loop_end() {
    let (client, fd) = pair();
    let started = std::time::Instant::now();
    let exit = nd::run(move || {
        let server = Server::new(ServerOptions {
            pause_on_connect: true,
            ..ServerOptions::default()
        });
        server.accept_handed(fd);
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert!(started.elapsed() < Duration::from_millis(500));
    drop(client);
}
