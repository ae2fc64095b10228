//! The floor of the http-hello workload: a server with no nodestd code and no HTTP parsing,
//! one thread on mio's epoll, that reads what a connection sent, counts the requests in it
//! (`\r\n\r\n`, wrk's GETs have no body) and writes as many copies of one fixed 200 answer
//! (the same head and body as http-hello's `GET /`). Run under the same wrk as http-hello, it
//! says what the kernel's TCP path and wrk leave of a 2-vCPU machine: the `http-hello@floor`
//! row divides its req/s by Node's, the most any server could show here.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\
Date: Mon, 07 Dec 2026 04:00:00 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\
Content-Length: 11\r\n\r\nhello world";

/// The floor server on a thread of its own; dropping it stops the thread.
pub(crate) struct FloorServer {
    pub(crate) port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FloorServer {
    pub(crate) fn start() -> FloorServer {
        let mut listener =
            TcpListener::bind("127.0.0.1:0".parse().expect("an address")).expect("bind");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut poll = Poll::new().expect("poll");
            poll.registry()
                .register(&mut listener, Token(0), Interest::READABLE)
                .expect("register");
            let mut events = Events::with_capacity(256);
            let mut conns = HashMap::new();
            let mut next = 1;
            let mut buf = vec![0u8; 64 * 1024];
            let mut out = Vec::with_capacity(64 * 1024);
            while !flag.load(Ordering::Relaxed) {
                if poll
                    .poll(&mut events, Some(Duration::from_millis(100)))
                    .is_err()
                {
                    continue;
                }
                for ev in &events {
                    if ev.token() == Token(0) {
                        while let Ok((mut s, _)) = listener.accept() {
                            let _ = s.set_nodelay(true);
                            let t = Token(next);
                            next += 1;
                            if poll
                                .registry()
                                .register(&mut s, t, Interest::READABLE)
                                .is_ok()
                            {
                                conns.insert(t, s);
                            }
                        }
                        continue;
                    }
                    let Some(s) = conns.get_mut(&ev.token()) else {
                        continue;
                    };
                    // Edge-triggered: read until the kernel has nothing more.
                    let closed = loop {
                        match s.read(&mut buf) {
                            Ok(0) => break true,
                            Ok(n) => {
                                let requests =
                                    buf[..n].windows(4).filter(|w| w == b"\r\n\r\n").count();
                                out.clear();
                                for _ in 0..requests {
                                    out.extend_from_slice(ANSWER);
                                }
                                if s.write_all(&out).is_err() {
                                    break true;
                                }
                            }
                            Err(e) if e.kind() == ErrorKind::WouldBlock => break false,
                            Err(_) => break true,
                        }
                    };
                    if closed {
                        conns.remove(&ev.token());
                    }
                }
            }
        });
        FloorServer {
            port,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for FloorServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
