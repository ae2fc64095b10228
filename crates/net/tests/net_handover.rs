//! Handing fds over (what child_process and cluster will do): a listening server rebuilt
//! from its fd still accepts, in this process and after the fd crossed a socket pair as
//! SCM_RIGHTS; a connected socket rebuilt from its fd keeps the stream.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::{Log, tcp};
use nodestd_loop as nd;
use nodestd_net::{self as net, Server, ServerOptions, Socket, SocketOptions};
use nodestd_stream::Chunk;

fn echo(c: &Socket) {
    let c2 = c.clone();
    c.on_data(move |d| {
        c2.write(d.clone());
    });
}

/// Connects to `port`, sends `msg`, logs the reply, and closes `server` on close.
fn ask(log: &Log, port: u16, msg: &'static str, server: Server) {
    let c = net::connect(tcp(port), SocketOptions::default());
    let (l, c2) = (log.clone(), c.clone());
    c.on_data(move |d| {
        l.push(String::from_utf8_lossy(d.as_bytes()));
        c2.end();
    });
    c.on_close(move || {
        server.close(None);
    });
    c.write(Chunk::from(msg));
}

#[test]
fn a_listening_server_rebuilt_from_its_fd_still_accepts() {
    for across_a_socket_pair in [false, true] {
        let log = Log::default();
        let l = log.clone();
        let exit = nd::run(move || {
            let first = net::create_server(ServerOptions::default(), |_| {
                panic!("the first server handed its fd over")
            });
            let (l1, f) = (l.clone(), first.clone());
            first
                .listen_port(0, Some("127.0.0.1"), move || {
                    let port = f.port().unwrap();
                    let mut fd = f.into_owned_fd().expect("a listening server has an fd");
                    assert!(!f.listening());
                    if across_a_socket_pair {
                        // As child_process will: the fd travels as SCM_RIGHTS.
                        let (a, b) = nodestd_sys::socketpair(false).unwrap();
                        use std::os::fd::AsFd;
                        nodestd_sys::send_with_fds(&a, b"server", &[fd.as_fd()]).unwrap();
                        drop(fd);
                        let mut buf = [0u8; 16];
                        let mut got = nodestd_sys::recv_with_fds(&b, &mut buf, 1).unwrap();
                        fd = got.fds.pop().unwrap();
                    }
                    let second = Server::from_fd(fd, ServerOptions::default(), echo);
                    assert!(second.listening());
                    assert_eq!(second.port(), Some(port));
                    ask(&l1, port, "still accepting", second);
                })
                .unwrap();
        });
        assert_eq!(exit.code(), 0, "{exit:?}");
        assert_eq!(log.lines(), ["still accepting"], "{across_a_socket_pair}");
    }
}

#[test]
fn a_connected_socket_rebuilt_from_its_fd_keeps_the_stream() {
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |c| {
            echo(c);
            let c2 = c.clone();
            c.on_end(move || c2.end());
        });
        let (l1, srv) = (l.clone(), server.clone());
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let c = net::connect(tcp(srv.port().unwrap()), SocketOptions::default());
                let old: Rc<RefCell<Option<Socket>>> = Rc::new(RefCell::new(Some(c.clone())));
                let (l2, srv2) = (l1.clone(), srv.clone());
                c.on_close_had_error({
                    let l = l1.clone();
                    move |h| l.push(format!("old socket close {h}"))
                });
                c.on_data(move |d| {
                    l2.push(format!("old: {}", String::from_utf8_lossy(d.as_bytes())));
                    let Some(old) = old.borrow_mut().take() else {
                        return;
                    };
                    let hand = old.into_owned_fd().expect("connected");
                    assert!(hand.readable && hand.writable);
                    let new = Socket::from_fd(
                        hand.fd,
                        SocketOptions {
                            allow_half_open: hand.allow_half_open,
                            ..SocketOptions::default()
                        },
                    )
                    .unwrap();
                    let l3 = l2.clone();
                    new.on_data(move |d| {
                        l3.push(format!("new: {}", String::from_utf8_lossy(d.as_bytes())))
                    });
                    let (l4, srv3) = (l2.clone(), srv2.clone());
                    new.on_close_had_error(move |h| {
                        l4.push(format!("new socket close {h}"));
                        srv3.close(None);
                    });
                    new.end_with(Chunk::from("two"));
                });
                c.write(Chunk::from("one"));
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(
        log.lines(),
        [
            "old: one",
            "old socket close false",
            "new: two",
            "new socket close false"
        ]
    );
}

#[test]
fn from_fd_refuses_what_is_not_a_socket() {
    let exit = nd::run(|| {
        let file: std::os::fd::OwnedFd = std::fs::File::open("/proc/self/stat").unwrap().into();
        let e = Socket::from_fd(file, SocketOptions::default()).unwrap_err();
        assert_eq!(e.code(), "ENOTSOCK");
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
}
