//! A Rust server and a Rust client on loopback: echo, the order of their events.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_net::{self as net, ConnectTarget, ListenOptions, ServerOptions, SocketOptions};
use nodestd_stream::Chunk;

#[test]
fn echo_between_a_rust_server_and_a_rust_client() {
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let l = Rc::clone(&log);
    let exit = nd::run(move || {
        let l2 = Rc::clone(&l);
        let server = net::create_server(ServerOptions::default(), move |c| {
            l2.borrow_mut().push("server connection".into());
            let c2 = c.clone();
            c.on_data(move |d| {
                c2.write(d.clone());
                c2.end();
            });
        });
        let srv = server.clone();
        let l3 = Rc::clone(&l);
        server
            .listen(
                ListenOptions::tcp(0, Some("127.0.0.1")),
                Some(Box::new(move || {
                    let port = srv.port().unwrap();
                    let c = net::connect(
                        ConnectTarget::Tcp {
                            port,
                            host: Some("127.0.0.1".into()),
                        },
                        SocketOptions::default(),
                    );
                    let (l4, l5, l6) = (Rc::clone(&l3), Rc::clone(&l3), Rc::clone(&l3));
                    let c2 = c.clone();
                    c.once_connect(move || {
                        l4.borrow_mut().push("client connect".into());
                        c2.write(Chunk::from("hello"));
                    });
                    c.on_data(move |d| {
                        l5.borrow_mut().push(format!(
                            "client data {}",
                            String::from_utf8_lossy(d.as_bytes())
                        ))
                    });
                    let srv2 = srv.clone();
                    c.on_close_had_error(move |h| {
                        l6.borrow_mut().push(format!("client close {h}"));
                        srv2.close(None);
                    });
                })),
            )
            .unwrap();
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    let log = log.borrow();
    assert!(log.contains(&"client data hello".to_string()), "{log:?}");
    assert!(log.contains(&"client close false".to_string()), "{log:?}");
}
