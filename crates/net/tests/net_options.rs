//! Addresses and socket options: `address()`, `remoteAddress`/`remotePort`/`remoteFamily`,
//! `localAddress`/`localPort` on IPv4 and IPv6 loopback, the default host (`::`, as node
//! gives it), `ipv6Only`, `setNoDelay` and `setKeepAlive` as the kernel reports them, and
//! `ERR_SERVER_ALREADY_LISTEN`.

mod common;

use std::os::fd::AsFd;

use common::{Log, tcp};
use nodestd_loop as nd;
use nodestd_net::{
    self as net, Address, ConnectTarget, Family, ListenOptions, ServerOptions, Socket,
    SocketOptions,
};

#[test]
fn addresses_on_ipv4_and_ipv6_loopback() {
    for host in ["127.0.0.1", "::1"] {
        let log = Log::default();
        let l = log.clone();
        let exit = nd::run(move || {
            let l0 = l.clone();
            let server = net::create_server(ServerOptions::default(), move |s| {
                l0.push(format!(
                    "server side: local {:?} remote {:?} {:?}",
                    s.local_address(),
                    s.remote_address(),
                    s.remote_family()
                ));
                s.end();
            });
            let (srv, l1) = (server.clone(), l.clone());
            server
                .listen_port(0, Some(host), move || {
                    let Some(Address::Inet {
                        address,
                        family,
                        port,
                    }) = srv.address()
                    else {
                        panic!("{:?}", srv.address())
                    };
                    l1.push(format!("server {address} {}", family.as_str()));
                    let c = net::connect(
                        ConnectTarget::Tcp {
                            port,
                            host: Some(host.into()),
                        },
                        SocketOptions::default(),
                    );
                    let (c2, l2, srv2) = (c.clone(), l1.clone(), srv.clone());
                    c.once_connect(move || {
                        assert_eq!(c2.remote_port(), Some(port));
                        assert!(c2.local_port().unwrap() > 0);
                        l2.push(format!(
                            "client: remote {:?} {:?}",
                            c2.remote_address(),
                            c2.remote_family()
                        ));
                        srv2.close(None);
                    });
                    c.on_data(|_| {});
                })
                .unwrap();
        });
        assert_eq!(exit.code(), 0, "{exit:?}");
        let fam = if host == "::1" { "IPv6" } else { "IPv4" };
        let mut lines = log.lines();
        lines.sort();
        assert_eq!(
            lines,
            [
                format!("client: remote Some({host:?}) Some({fam})"),
                format!("server {host} {fam}"),
                format!("server side: local Some({host:?}) remote Some({host:?}) Some({fam})"),
            ]
        );
    }
}

#[test]
fn the_default_host_is_every_address_and_ipv6_only_refuses_ipv4() {
    let log = Log::default();
    let l = log.clone();
    let exit = nd::run(move || {
        let server = net::create_server(ServerOptions::default(), |s| s.destroy(None));
        let (srv, l1) = (server.clone(), l.clone());
        server
            .listen(
                ListenOptions::tcp(0, None).backlog(8).exclusive(true),
                Some(Box::new(move || {
                    // As node: { address: '::', family: 'IPv6' }, and dual-stack.
                    l1.push(format!(
                        "{:?}",
                        srv.address().map(|a| match a {
                            Address::Inet {
                                address, family, ..
                            } => (address, family),
                            Address::Path(p) => (p, Family::IPv4),
                        })
                    ));
                    let c = net::connect(tcp(srv.port().unwrap()), SocketOptions::default());
                    let (l2, srv2) = (l1.clone(), srv.clone());
                    c.once_connect(move || {
                        l2.push("v4 client accepted by the dual-stack server");
                        srv2.close(None);
                    });
                    c.on_error(|_| {});
                    c.on_data(|_| {});
                })),
            )
            .unwrap();

        let only6 = net::create_server(ServerOptions::default(), |_| {});
        let (srv, l1) = (only6.clone(), l.clone());
        only6
            .listen(
                ListenOptions::tcp(0, Some("::")).ipv6_only(true),
                Some(Box::new(move || {
                    let c = net::connect(tcp(srv.port().unwrap()), SocketOptions::default());
                    let (l2, srv2) = (l1.clone(), srv.clone());
                    c.on_error(move |e| {
                        l2.push(format!("ipv6Only: {}", e.code().unwrap()));
                        srv2.close(None);
                    });
                })),
            )
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    let mut lines = log.lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "Some((\"::\", IPv6))",
            "ipv6Only: ECONNREFUSED",
            "v4 client accepted by the dual-stack server"
        ]
    );
}

fn sockopts(s: &Socket) -> (bool, bool, u64) {
    // The socket hands its fd over (and is destroyed); the options are read from the fd.
    let hand = s.into_owned_fd().unwrap();
    let fd = hand.fd.as_fd();
    (
        rustix::net::sockopt::tcp_nodelay(fd).unwrap(),
        rustix::net::sockopt::socket_keepalive(fd).unwrap(),
        rustix::net::sockopt::tcp_keepidle(fd).unwrap().as_secs(),
    )
}

#[test]
fn no_delay_and_keep_alive_reach_the_kernel() {
    let got = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let (g, g2) = (got.clone(), got.clone());
    let exit = nd::run(move || {
        let server = net::create_server(
            ServerOptions {
                no_delay: true,
                keep_alive: Some(7_500),
                ..ServerOptions::default()
            },
            move |s| g.borrow_mut().push(sockopts(s)),
        );
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let c = net::connect(tcp(srv.port().unwrap()), SocketOptions::default());
                // Asked before the connection exists: applied when it does.
                c.set_no_delay(true).set_keep_alive(true, 3_000);
                let (c2, srv2, g3) = (c.clone(), srv.clone(), g2.clone());
                c.once_connect(move || {
                    g3.borrow_mut().push(sockopts(&c2));
                    srv2.close(None);
                });
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    let mut got = got.borrow().clone();
    got.sort();
    assert_eq!(got, [(true, true, 3), (true, true, 7)]);
}

#[test]
fn listening_twice_throws_err_server_already_listen() {
    let exit = nd::run(|| {
        let server = net::create_server(ServerOptions::default(), |_| {});
        server.listen(ListenOptions::tcp(0, None), None).unwrap();
        let e = server
            .listen(ListenOptions::tcp(0, None), None)
            .unwrap_err();
        assert_eq!(e.code(), "ERR_SERVER_ALREADY_LISTEN");
        assert_eq!(
            e.message(),
            "Listen method has been called more than once without closing."
        );
        server.close(None);
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
}
