//! libuv's EMFILE trick: with the process out of fds, the server does not spin on a full
//! backlog nor fail: it gives up its reserve fd, accepts and closes the waiting connections
//! (their clients see the end), and accepts again once fds are free. Alone in its binary:
//! it lowers the process's RLIMIT_NOFILE.

mod common;

use std::cell::Cell;
use std::process::{Command, Stdio};
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_net::{self as net, ServerOptions, SocketOptions};
use nodestd_stream::Chunk;
use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};

const CLIENTS: usize = 12;

fn highest_fd() -> u64 {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u64>().ok())
        .max()
        .unwrap()
}

#[test]
fn out_of_fds_the_server_closes_waiting_connections_and_recovers() {
    let saved = getrlimit(Resource::Nofile);
    let errors = Rc::new(Cell::new(0));
    let greeted_again = Rc::new(Cell::new(false));
    let accepted = Rc::new(Cell::new(0));
    let (e, g, a) = (
        Rc::clone(&errors),
        Rc::clone(&greeted_again),
        Rc::clone(&accepted),
    );
    let out: Rc<std::cell::RefCell<String>> = Rc::default();
    let o = Rc::clone(&out);
    let exit = nd::run(move || {
        let (a1, e1) = (Rc::clone(&a), Rc::clone(&e));
        // Accepted sockets hold their fds (half-open, kept) until node is done.
        let kept: Rc<std::cell::RefCell<Vec<net::Socket>>> = Rc::default();
        let node_done = Rc::new(Cell::new(false));
        let (k1, nd1) = (Rc::clone(&kept), Rc::clone(&node_done));
        let server = net::create_server(
            ServerOptions {
                allow_half_open: true,
                ..ServerOptions::default()
            },
            move |s| {
                a1.set(a1.get() + 1);
                s.on_data(|_| {});
                if nd1.get() {
                    s.end_with(Chunk::from("hello"));
                } else {
                    s.write(Chunk::from("hello"));
                    k1.borrow_mut().push(s.clone());
                }
            },
        );
        server.on_error(move |err| {
            eprintln!("server error: {err}");
            e1.set(e1.get() + 1);
        });
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let port = srv.port().unwrap();
                let child = Command::new("node")
                    .arg(common::script("many_clients.js"))
                    .args([port.to_string(), CLIENTS.to_string(), "300".into()])
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("node (v20) must be installed: it is the specification");
                // Room for two more fds only: fill every free number below the limit, then
                // give two back.
                let limit = highest_fd() + 3;
                setrlimit(
                    Resource::Nofile,
                    Rlimit {
                        current: Some(limit),
                        maximum: saved.maximum,
                    },
                )
                .unwrap();
                let mut filler = Vec::new();
                while let Ok(f) = std::fs::File::open("/") {
                    filler.push(f);
                }
                filler.truncate(filler.len() - 2);
                let (srv2, g2, o2, kept, nd2) = (
                    srv.clone(),
                    Rc::clone(&g),
                    Rc::clone(&o),
                    Rc::clone(&kept),
                    Rc::clone(&node_done),
                );
                let done = Rc::new(std::cell::RefCell::new(
                    None::<std::thread::JoinHandle<String>>,
                ));
                let d2 = Rc::clone(&done);
                let mut filler = filler;
                let wake = nd::AsyncHandle::new(move || {
                    let Some(j) = d2.borrow_mut().take() else {
                        return;
                    };
                    *o2.borrow_mut() = j.join().unwrap();
                    nd2.set(true);
                    filler.clear();
                    for s in kept.borrow_mut().drain(..) {
                        s.destroy(None);
                    }
                    // fds are free again: a new connection is greeted.
                    setrlimit(Resource::Nofile, saved).unwrap();
                    let c = net::connect(common::tcp(port), SocketOptions::default());
                    let (g3, c3, srv3) = (Rc::clone(&g2), c.clone(), srv2.clone());
                    c.on_data(move |_| {
                        g3.set(true);
                        c3.destroy(None);
                        srv3.close(None);
                    });
                });
                let sender = wake.sender();
                let w = std::rc::Rc::new(wake);
                let w2 = Rc::clone(&w);
                srv.on_close(move || w2.close_quietly());
                *done.borrow_mut() = Some(std::thread::spawn(move || {
                    let out = child.wait_with_output().unwrap();
                    sender.send();
                    String::from_utf8(out.stdout).unwrap()
                }));
            })
            .unwrap();
    });
    setrlimit(Resource::Nofile, saved).unwrap();
    assert_eq!(exit.code(), 0, "{exit:?}");
    let out = out.borrow().clone();
    println!("node: {out}; accepted {}", accepted.get());
    let nums: Vec<usize> = out
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    let [greeted, refused, _errors] = nums[..] else {
        panic!("{out:?}")
    };
    assert_eq!(greeted + refused, CLIENTS, "{out}");
    assert!(refused > 0, "some waited while fds were out: {out}");
    assert!(greeted > 0, "the free fds were used: {out}");
    assert_eq!(errors.get(), 0, "the trick kept accept from failing");
    assert!(greeted_again.get(), "accepts again once fds are free");
}
