//! `send(message, socket, { keepOpen: true })` against node: `tests/node/keep_open.js` (node as
//! the parent) and its twin written here with this crate's `fork` each run with node's
//! `tests/node/handle_child.js` and with the `fork-child` example as the child, and all four
//! print the lines recorded from node with node (`tests/node/keep_open.expected`): the socket
//! is not destroyed by the send nor at the ACK, the child serves the connection, and the
//! parent's socket, still reading, sees it end.

mod common;

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_child_process::fork::{ForkOptions, Message, SendHandle, SendOptions, fork};
use nodestd_child_process::json::{self, Value};
use nodestd_child_process::spawn::Exit;
use nodestd_loop as nd;
use nodestd_net as net;

/// node's lines, one per line with a newline after each.
const EXPECTED: &str = include_str!("node/keep_open.expected");

#[test]
fn node_parent_node_child_is_the_record() {
    assert_eq!(common::node_script("keep_open.js", &[], None), EXPECTED);
}

#[test]
fn node_parent_keeps_open_a_socket_sent_to_our_child() {
    let ours = common::example("fork-child");
    assert_eq!(
        common::node_script("keep_open.js", &[], Some(&ours)),
        EXPECTED
    );
}

#[test]
fn our_parent_keeps_open_a_socket_sent_to_a_node_child() {
    assert_eq!(rust_parent(None), EXPECTED);
}

#[test]
fn our_parent_keeps_open_a_socket_sent_to_our_child() {
    let ours = common::example("fork-child").to_str().unwrap().to_owned();
    assert_eq!(rust_parent(Some(ours)), EXPECTED);
}

type Log = Rc<RefCell<Vec<String>>>;

fn line(log: &Log, parts: &[Value]) {
    let p: Vec<String> = parts.iter().map(Value::to_json).collect();
    log.borrow_mut().push(p.join(" "));
}

fn s(x: &str) -> Value {
    Value::string(x)
}

/// What arrives, in any order; printed in node's order once all of it is here.
#[derive(Default)]
struct Seen {
    message: Option<Value>,
    destroyed_at_ack: Option<bool>,
    answer: Option<String>,
    parent_end: bool,
    done: bool,
}

/// The parent's side of `keep_open.js`; its lines as node prints them.
fn rust_parent(exec_path: Option<String>) -> String {
    let log: Log = Rc::default();
    let l = Rc::clone(&log);
    let exit = nd::run(move || {
        let (module, options) = match exec_path {
            Some(p) => (
                "module.js".to_owned(),
                ForkOptions {
                    exec_path: Some(p),
                    ..ForkOptions::default()
                },
            ),
            None => (
                PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/node/handle_child.js")
                    .to_string_lossy()
                    .into_owned(),
                ForkOptions::default(),
            ),
        };
        let child = fork(&module, &[], options);
        let seen: Rc<RefCell<Seen>> = Rc::default();
        let server = net::Server::new(net::ServerOptions::default());
        // Prints what arrived once all of it is here, then disconnects the child.
        let finish = {
            let (l, seen, child, server) = (
                Rc::clone(&l),
                Rc::clone(&seen),
                child.clone(),
                server.clone(),
            );
            Rc::new(move || {
                let mut st = seen.borrow_mut();
                if st.done || st.message.is_none() || st.answer.is_none() || !st.parent_end {
                    return;
                }
                st.done = true;
                line(&l, &[s("message"), st.message.clone().unwrap()]);
                line(
                    &l,
                    &[
                        s("destroyed at ack"),
                        Value::Bool(st.destroyed_at_ack.unwrap()),
                    ],
                );
                let mark = format!("child {}\n", child.pid().unwrap());
                let same = st.answer.as_deref() == Some(mark.as_str());
                line(&l, &[s("answer from child"), Value::Bool(same)]);
                line(&l, &[s("parent socket"), s("end")]);
                server.close(None);
                let l2 = Rc::clone(&l);
                child.emitter().on(Exit, move |(code, signal)| {
                    let code = code.map_or(Value::Null, |c| Value::Number(c.into()));
                    line(&l2, &[s("exit"), code, signal.map_or(Value::Null, s)]);
                });
                child.send(&json::parse(r#"{"cmd":"disconnect"}"#).unwrap());
            })
        };
        let kept: Rc<RefCell<Option<net::Socket>>> = Rc::default();
        {
            let (seen, kept, finish) = (Rc::clone(&seen), Rc::clone(&kept), Rc::clone(&finish));
            child.emitter().once(Message, move |(m, _)| {
                let destroyed = kept.borrow().as_ref().is_none_or(|k| k.destroyed());
                let mut st = seen.borrow_mut();
                st.message = Some(m.clone());
                st.destroyed_at_ack = Some(destroyed);
                drop(st);
                finish();
            });
        }
        {
            let (l, seen, kept, finish, child) = (
                Rc::clone(&l),
                Rc::clone(&seen),
                Rc::clone(&kept),
                Rc::clone(&finish),
                child.clone(),
            );
            server.on_connection(move |sock| {
                let (seen, finish) = (Rc::clone(&seen), Rc::clone(&finish));
                sock.on_end(move || {
                    seen.borrow_mut().parent_end = true;
                    finish();
                });
                let m = json::parse(r#"{"n":"keep"}"#).unwrap();
                let h = Some(SendHandle::Socket(sock.clone()));
                child.send_with_options(&m, h, SendOptions::keep_open());
                line(
                    &l,
                    &[s("destroyed after send"), Value::Bool(sock.destroyed())],
                );
                *kept.borrow_mut() = Some(sock.clone());
            });
        }
        let srv = server.clone();
        server
            .listen_port(0, Some("127.0.0.1"), move || {
                let target = net::ConnectTarget::Tcp {
                    port: srv.port().unwrap(),
                    host: Some("127.0.0.1".to_owned()),
                };
                let c = net::connect(target, net::SocketOptions::default());
                let buf = Rc::new(RefCell::new(Vec::new()));
                let b = Rc::clone(&buf);
                c.on_data(move |d| b.borrow_mut().extend_from_slice(d.as_bytes()));
                let (seen, finish) = (Rc::clone(&seen), Rc::clone(&finish));
                c.on_end(move || {
                    let text = String::from_utf8_lossy(&buf.borrow()).into_owned();
                    seen.borrow_mut().answer = Some(text);
                    finish();
                });
            })
            .unwrap();
    });
    assert_eq!(exit.code(), 0);
    let out: String = log.borrow().iter().map(|l| format!("{l}\n")).collect();
    out
}
