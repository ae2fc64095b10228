//! An http server that never listens, given a connection through its net server's
//! `accept_handed` (cluster's round-robin path): the connection keeps the loop alive until
//! it closes, as Node's handle keeps its loop alive, so a client that speaks late is
//! answered, and a program that keeps no handle to the server still gets its answers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::time::Duration;

use nodestd_http::{ServerOptions, create_server};

#[test]
fn a_handed_connection_is_served_until_it_closes() {
    for keep_server in [true, false] {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (server_side, _) = l.accept().unwrap();
        let fd = OwnedFd::from(server_side);
        let talk = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            client
                .write_all(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                .unwrap();
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut got = Vec::new();
            let _ = client.read_to_end(&mut got);
            String::from_utf8_lossy(&got).into_owned()
        });
        let exit = nodestd_loop::run(move || {
            let server = create_server(ServerOptions::default(), |_, res| res.end(b"hello"));
            server.net().accept_handed(fd);
            if keep_server {
                std::mem::forget(server);
            }
            // Else the program drops its only handle here, while the connection is open.
        });
        assert_eq!(exit.code(), 0, "{exit:?}");
        let got = talk.join().unwrap();
        assert!(
            got.starts_with("HTTP/1.1 200 OK\r\n") && got.ends_with("\r\n\r\nhello"),
            "keep_server {keep_server}: {got:?}"
        );
    }
}
