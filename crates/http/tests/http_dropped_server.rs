//! A listening server answers after the program dropped every `Server` it held, as in Node,
//! where the listening handle keeps the server reachable (`http.createServer(h).listen(0)`
//! without keeping the result). Before the fix the net server accepted the connection and
//! nobody answered it.

use std::io::{Read, Write};

#[test]
fn a_listening_server_whose_handles_were_dropped_still_answers() {
    let (tx, rx) = std::sync::mpsc::channel::<u16>();
    let server = std::thread::spawn(move || {
        nodestd_loop::run(move || {
            let server =
                nodestd_http::create_server(nodestd_http::ServerOptions::default(), |_req, res| {
                    res.set_header("Connection", "close");
                    res.end(b"still here");
                    // Nothing else can close the server now: end the run.
                    nodestd_loop::set_timeout(50, || nodestd_loop::exit(0));
                });
            let port = std::rc::Rc::new(std::cell::Cell::new(0));
            let p = std::rc::Rc::clone(&port);
            let s = server.clone();
            server
                .listen(0, Some("127.0.0.1"), move || {
                    p.set(s.port().unwrap_or(0));
                })
                .unwrap();
            // The listening callback keeps a handle until it runs; send the port after it.
            nodestd_loop::set_timeout(20, move || tx.send(port.get()).unwrap());
        })
    });
    let port = rx.recv().unwrap();
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    c.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.ends_with("still here"), "{text}");
    assert_eq!(server.join().unwrap().code(), 0);
}
