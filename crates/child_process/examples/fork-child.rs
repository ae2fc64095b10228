//! `fork-child`: a child on the loop that Node (or `fork`) forks with `execPath`, using the
//! crate's [`process_channel`](nodestd_child_process::fork::process_channel):
//! - `BIN MODULE hello`: sends `{"hello":[args]}` and adds no listener, so the program ends
//!   once the message is written (the channel does not keep the loop alive by itself);
//! - `BIN MODULE`: echoes each message; `{"cmd":"disconnect"}` closes the servers it was
//!   given and the channel, after which nothing keeps the loop alive and the program exits 0.
//!   Handles as `tests/node/handle_child.js` takes and sends them: a socket sent with M is
//!   answered `child PID\n` and ended, then `{"gotSocket":true,"msg":M}`; a server sent with
//!   M answers each connection so, then `{"gotServer":true,"msg":M}`; `{"cmd":"sendServer"}`
//!   sends a server listening on 127.0.0.1 with `{"server":true}` (`{"cmd":"closeServer"}`
//!   closes this side's copy and answers `{"closed":true}`); `{"cmd":"sendSocket","port":P}`
//!   connects to 127.0.0.1:P and sends the socket with `{"socket":true}`.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_child_process::fork::{Handle, ProcessChannel, process_channel};
use nodestd_child_process::json::{self, Object, Value};
use nodestd_loop as nd;
use nodestd_net as net;

fn obj(text: &str) -> Value {
    json::parse(text).expect("literal JSON")
}

fn with_msg(head: &str, m: &Value) -> Value {
    let mut o = Object::new();
    o.insert(head, Value::Bool(true));
    o.insert("msg", m.clone());
    Value::Object(o)
}

#[derive(Default)]
struct Servers {
    given: Vec<net::Server>,
    mine: Option<net::Server>,
}

fn on_message(ch: &ProcessChannel, st: &Rc<RefCell<Servers>>, m: &Value, h: Option<&Handle>) {
    // Only the handle branches need the pid: std::process::id() is a getpid system call,
    // which an echo must not pay per message.
    let mark = || format!("child {}\n", std::process::id());
    match h {
        Some(Handle::Socket(s)) => {
            s.end_with(mark().into());
            ch.send(&with_msg("gotSocket", m));
            return;
        }
        Some(Handle::Server(s)) => {
            let mark = mark();
            s.on_connection(move |c| c.end_with(mark.clone().into()));
            st.borrow_mut().given.push(s.clone());
            ch.send(&with_msg("gotServer", m));
            return;
        }
        _ => {}
    }
    match m.get("cmd").and_then(Value::as_str).as_deref() {
        Some("disconnect") => {
            for s in st.borrow_mut().given.drain(..) {
                s.close(None);
            }
            ch.disconnect();
        }
        Some("sendServer") => {
            let s = net::Server::new(net::ServerOptions::default());
            let (c, s2) = (ch.clone(), s.clone());
            let listening = s.listen_port(0, Some("127.0.0.1"), move || {
                c.send_handle(&obj(r#"{"server":true}"#), s2.clone());
            });
            if listening.is_ok() {
                st.borrow_mut().mine = Some(s);
            }
        }
        Some("closeServer") => {
            if let Some(s) = st.borrow_mut().mine.take() {
                s.close(None);
            }
            ch.send(&obj(r#"{"closed":true}"#));
        }
        Some("sendSocket") => {
            let port = m.get("port").and_then(Value::as_f64).unwrap_or(0.0) as u16;
            let target = net::ConnectTarget::Tcp {
                port,
                host: Some("127.0.0.1".to_owned()),
            };
            let s = net::Socket::new(net::SocketOptions::default());
            let (c, s2) = (ch.clone(), s.clone());
            s.connect_with(target, move || {
                c.send_handle(&obj(r#"{"socket":true}"#), s2.clone());
            });
        }
        _ => {
            ch.send(m);
        }
    }
}

fn main() {
    let exit = nd::run(|| {
        let Some(ch) = process_channel() else {
            eprintln!("fork-child: no NODE_CHANNEL_FD");
            nd::exit(1);
            return;
        };
        let args: Vec<Value> = std::env::args()
            .skip(2)
            .map(|a| Value::string(&a))
            .collect();
        if args.first().and_then(Value::as_str).as_deref() == Some("hello") {
            let mut o = Object::new();
            o.insert("hello", Value::Array(args));
            ch.send(&Value::Object(o));
            return;
        }
        let c = ch.clone();
        let st = Rc::new(RefCell::new(Servers::default()));
        ch.on_message(move |m, h| on_message(&c, &st, m, h));
    });
    std::process::exit(exit.code());
}
