//! Handles on the loop's channel against node, both ways: `tests/node/handles.js` (node as the
//! parent) and its twin written here with this crate's `fork` (the parent on the loop) each
//! run with node's `tests/node/handle_child.js` and with the `fork-child` example as the child,
//! and all four print the lines recorded from node with node (`tests/node/handles.expected`):
//! a server and a socket sent to the child and served there, a server and a socket the child
//! sends served by the parent, then the child's clean exit.

mod common;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_child_process::fork::{ForkOptions, Handle, Message, fork};
use nodestd_child_process::json::{self, Value};
use nodestd_child_process::spawn::{ChildProcess, Exit};
use nodestd_loop as nd;
use nodestd_net as net;

fn expected() -> Vec<String> {
    include_str!("node/handles.expected")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn node_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node")
}

fn node_parent(child: Option<PathBuf>) -> Vec<String> {
    common::node_script("handles.js", &[], child.as_deref())
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn node_parent_node_child_is_the_record() {
    assert_eq!(node_parent(None), expected());
}

#[test]
fn node_parent_sends_and_takes_handles_of_our_child() {
    assert_eq!(node_parent(Some(common::example("fork-child"))), expected());
}

#[test]
fn our_parent_sends_and_takes_handles_of_a_node_child() {
    assert_eq!(rust_parent(None), expected());
}

#[test]
fn our_parent_sends_and_takes_handles_of_our_child() {
    assert_eq!(
        rust_parent(Some(
            common::example("fork-child").to_str().unwrap().to_owned()
        )),
        expected()
    );
}

type Incoming = (Value, Option<Handle>);
type Waiter = Box<dyn FnOnce(Incoming)>;

/// The parent's side of `handles.js`, in the same steps.
struct Parent {
    child: ChildProcess,
    log: RefCell<Vec<String>>,
    inbox: RefCell<VecDeque<Incoming>>,
    waiting: RefCell<Option<Waiter>>,
}

fn s(x: &str) -> Value {
    Value::string(x)
}

fn obj(text: &str) -> Value {
    json::parse(text).unwrap()
}

impl Parent {
    fn log(&self, parts: &[Value]) {
        let p: Vec<String> = parts.iter().map(Value::to_json).collect();
        self.log.borrow_mut().push(p.join(" "));
    }

    fn next(&self, f: impl FnOnce(Incoming) + 'static) {
        let got = self.inbox.borrow_mut().pop_front();
        match got {
            Some(m) => f(m),
            None => *self.waiting.borrow_mut() = Some(Box::new(f)),
        }
    }

    fn mark(&self) -> String {
        format!("child {}\n", self.child.pid().unwrap())
    }
}

fn read_all(sock: &net::Socket, f: impl FnOnce(String) + 'static) {
    let buf = Rc::new(RefCell::new(Vec::new()));
    let b = Rc::clone(&buf);
    sock.on_data(move |c| b.borrow_mut().extend_from_slice(c.as_bytes()));
    let f = RefCell::new(Some(f));
    sock.on_end(move || {
        if let Some(f) = f.borrow_mut().take() {
            f(String::from_utf8_lossy(&buf.borrow()).into_owned());
        }
    });
}

fn fetch(port: u16, f: impl FnOnce(String) + 'static) {
    let target = net::ConnectTarget::Tcp {
        port,
        host: Some("127.0.0.1".to_owned()),
    };
    read_all(&net::connect(target, net::SocketOptions::default()), f);
}

fn listen(srv: &net::Server, f: impl FnOnce(u16) + 'static) {
    let s = srv.clone();
    let f = RefCell::new(Some(f));
    srv.listen_port(0, Some("127.0.0.1"), move || {
        if let Some(f) = f.borrow_mut().take() {
            f(s.port().unwrap());
        }
    })
    .unwrap();
}

fn step1(p: &Rc<Parent>) {
    let pp = Rc::clone(p);
    let s1 = net::create_server(net::ServerOptions::default(), move |_| {
        pp.log(&[s("parent served s1")]);
    });
    let (p, s1c) = (Rc::clone(p), s1.clone());
    listen(&s1, move |port| {
        p.child.send_handle(&obj(r#"{"n":1}"#), s1c.clone());
        let p2 = Rc::clone(&p);
        p.next(move |(m, _)| {
            p2.log(&[s("message"), m]);
            s1c.close(None);
            let p3 = Rc::clone(&p2);
            fetch(port, move |d| {
                p3.log(&[s("server served by child"), Value::Bool(d == p3.mark())]);
                step2(&p3);
            });
        });
    });
}

fn step2(p: &Rc<Parent>) {
    let pc = Rc::clone(p);
    let s2 = net::create_server(net::ServerOptions::default(), move |sock| {
        pc.child.send_handle(&obj(r#"{"n":2}"#), sock.clone());
    });
    type Both = RefCell<(Option<String>, Option<Value>)>;
    let both: Rc<Both> = Rc::default();
    let (pd, s2c) = (Rc::clone(p), s2.clone());
    let done = Rc::new(move |both: &Both| {
        let b = both.borrow();
        if let (Some(d), Some(m)) = (&b.0, &b.1) {
            pd.log(&[s("message"), m.clone()]);
            pd.log(&[s("socket served by child"), Value::Bool(*d == pd.mark())]);
            s2c.close(None);
            step3(&pd);
        }
    });
    let p = Rc::clone(p);
    listen(&s2, move |port| {
        let (b1, d1) = (Rc::clone(&both), Rc::clone(&done));
        fetch(port, move |d| {
            b1.borrow_mut().0 = Some(d);
            d1(&b1);
        });
        p.next(move |(m, _)| {
            both.borrow_mut().1 = Some(m);
            done(&both);
        });
    });
}

fn step3(p: &Rc<Parent>) {
    p.child.send(&obj(r#"{"cmd":"sendServer"}"#));
    let p = Rc::clone(p);
    p.clone().next(move |(m, h)| {
        let srv = match h {
            Some(Handle::Server(srv)) => Some(srv),
            _ => None,
        };
        p.log(&[s("message"), m, Value::Bool(srv.is_some())]);
        let srv = srv.expect("a server");
        srv.on_connection(|c| c.end_with("parent\n".into()));
        p.child.send(&obj(r#"{"cmd":"closeServer"}"#));
        let p2 = Rc::clone(&p);
        p.next(move |(m, _)| {
            p2.log(&[s("message"), m]);
            let p3 = Rc::clone(&p2);
            fetch(srv.port().unwrap(), move |d| {
                p3.log(&[
                    s("child server served by parent"),
                    Value::Bool(d == "parent\n"),
                ]);
                srv.close(None);
                step4(&p3);
            });
        });
    });
}

fn step4(p: &Rc<Parent>) {
    let pf = Rc::clone(p);
    let s4: Rc<RefCell<Option<net::Server>>> = Rc::default();
    let s4c = Rc::clone(&s4);
    let srv = net::create_server(net::ServerOptions::default(), move |far| {
        let (p, s4) = (Rc::clone(&pf), Rc::clone(&s4c));
        read_all(far, move |d| {
            p.log(&[
                s("child socket written by parent"),
                Value::Bool(d == "parent\n"),
            ]);
            if let Some(srv) = s4.borrow_mut().take() {
                srv.close(None);
            }
            step5(&p);
        });
    });
    *s4.borrow_mut() = Some(srv.clone());
    let p = Rc::clone(p);
    listen(&srv, move |port| {
        p.child
            .send(&obj(&format!(r#"{{"cmd":"sendSocket","port":{port}}}"#)));
        let p2 = Rc::clone(&p);
        p.next(move |(m, h)| {
            let sock = match h {
                Some(Handle::Socket(sock)) => Some(sock),
                _ => None,
            };
            p2.log(&[s("message"), m, Value::Bool(sock.is_some())]);
            sock.expect("a socket").end_with("parent\n".into());
        });
    });
}

fn step5(p: &Rc<Parent>) {
    let pe = Rc::clone(p);
    p.child.emitter().on(Exit, move |(code, sig)| {
        let code = code.map_or(Value::Null, |c| Value::Number(c.into()));
        pe.log(&[s("exit"), code, sig.map_or(Value::Null, s)]);
    });
    p.child.send(&obj(r#"{"cmd":"disconnect"}"#));
}

fn rust_parent(exec_path: Option<String>) -> Vec<String> {
    let out: Rc<RefCell<Vec<String>>> = Rc::default();
    let o = Rc::clone(&out);
    let exit = nd::run(move || {
        let (module, exec_path) = match exec_path {
            Some(bin) => ("module.js".to_owned(), Some(bin)),
            None => (
                node_dir()
                    .join("handle_child.js")
                    .to_str()
                    .unwrap()
                    .to_owned(),
                None,
            ),
        };
        let child = fork(
            &module,
            &[],
            ForkOptions {
                exec_path,
                ..ForkOptions::default()
            },
        );
        let p = Rc::new(Parent {
            child,
            log: RefCell::default(),
            inbox: RefCell::default(),
            waiting: RefCell::default(),
        });
        let pm = Rc::clone(&p);
        p.child.emitter().on(Message, move |(m, h)| {
            pm.inbox.borrow_mut().push_back((m.clone(), h.clone()));
            let w = pm.waiting.borrow_mut().take();
            if let Some(w) = w {
                let got = pm.inbox.borrow_mut().pop_front().unwrap();
                w(got);
            }
        });
        let pc = Rc::clone(&p);
        let closed = Rc::new(Cell::new(false));
        p.child
            .emitter()
            .on(nodestd_child_process::spawn::Close, move |_| {
                closed.set(true);
                *o.borrow_mut() = pc.log.take();
            });
        step1(&p);
    });
    assert_eq!(exit.code(), 0);
    out.take()
}
