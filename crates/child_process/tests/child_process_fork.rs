//! `fork` on the loop against node: the parent side of `tests/node/fork_events.js` written
//! with this crate prints the lines node printed (recorded in
//! `tests/node/fork_events.expected`), with node running `tests/node/ipc_child.js` as the
//! child, and with the `ipc-child` example as the child through `exec_path`: messages of
//! several shapes both ways, an internal message not delivered, argv and env (set through the
//! process crate), a 1,000-message burst in order, the child's exit code, then disconnect,
//! exit and close in Node's order.

mod common;

use std::cell::{Cell, RefCell};
use std::path::PathBuf;
use std::rc::Rc;

use nodestd_child_process::fork::{Disconnect, ForkOptions, Message, fork};
use nodestd_child_process::json::{self, Value};
use nodestd_child_process::spawn::{Close, Exit, Spawn};
use nodestd_loop as nd;

fn run(exec_path: Option<String>) -> Vec<String> {
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let l = Rc::clone(&log);
    let exit = nd::run(move || {
        nodestd_process::env::set("IPC_TEST", "set in the parent");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node/ipc_child.js");
        let child = fork(
            script.to_str().unwrap(),
            &["a", "b c"],
            ForkOptions {
                exec_path,
                ..ForkOptions::default()
            },
        );
        let push = {
            let l = Rc::clone(&l);
            move |parts: Vec<Value>| {
                let p: Vec<String> = parts.iter().map(Value::to_json).collect();
                l.borrow_mut().push(p.join(" "));
            }
        };
        let s = Value::string;
        let em = child.emitter();
        let (p, c) = (push.clone(), child.clone());
        em.on(Spawn, move |_| {
            p(vec![s("spawn"), Value::Bool(c.connected())])
        });
        let (p, c) = (push.clone(), child.clone());
        let next = Rc::new(Cell::new(0.0));
        let in_order = Rc::new(Cell::new(true));
        em.on(Message, move |(m, _)| {
            if let Some(i) = m.get("i").and_then(Value::as_f64) {
                if i != next.get() {
                    in_order.set(false);
                }
                next.set(next.get() + 1.0);
                return;
            }
            p(vec![s("message"), m.clone()]);
            if m.get("done").is_some() {
                p(vec![
                    s("burst"),
                    Value::Number(next.get()),
                    Value::Bool(in_order.get()),
                ]);
                c.send(&json::parse(r#"{"cmd":"exit","code":5}"#).unwrap());
            }
        });
        let (p, c) = (push.clone(), child.clone());
        em.on(Disconnect, move |_| {
            p(vec![s("disconnect"), Value::Bool(c.connected())])
        });
        let p = push.clone();
        em.on(Exit, move |(code, sig)| {
            let code = code.map_or(Value::Null, |c| Value::Number(c.into()));
            p(vec![s("exit"), code, sig.map_or(Value::Null, s)]);
        });
        let (p, c) = (push.clone(), child.clone());
        em.on(Close, move |(code, sig)| {
            let code = code.map_or(Value::Null, |c| Value::Number(c.into()));
            p(vec![s("close"), code, sig.map_or(Value::Null, s)]);
            p(vec![s("send after close"), Value::Bool(c.connected())]);
        });
        for m in [
            r#"{"b":1,"1":"\ud800"}"#,
            r#"[1,"x",null]"#,
            r#""str""#,
            r#"{"cmd":"NODE_internal"}"#,
            r#"{"cmd":"argv"}"#,
            r#"{"cmd":"burst","n":1000}"#,
        ] {
            child.send(&json::parse(m).unwrap());
        }
    });
    assert_eq!(exit.code(), 0);
    log.take()
}

#[test]
fn fork_a_node_child_prints_what_node_printed() {
    let want: Vec<&str> = include_str!("node/fork_events.expected").lines().collect();
    assert_eq!(run(None), want);
}

#[test]
fn fork_our_ipc_child_prints_the_same() {
    let want: Vec<&str> = include_str!("node/fork_events.expected").lines().collect();
    let bin = common::example("ipc-child");
    assert_eq!(run(Some(bin.to_str().unwrap().to_owned())), want);
}

/// The child side on the loop: node forks the `fork-child` example (through `execPath`) and
/// prints what `tests/node/fork_child.js` made it print (recorded in
/// `tests/node/fork_rust_child.expected`): echoes, an internal message not delivered, the
/// child's disconnect after which it exits 0 by itself, and a child without listeners that
/// sends one message and ends once it is written.
#[test]
fn node_forks_our_child_on_the_loop() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node/fork_rust_child.js");
    let out = std::process::Command::new("node")
        .arg(script)
        .env("CHILD", common::example("fork-child"))
        .output()
        .expect("node (v20) must be on PATH: it is the specification");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        include_str!("node/fork_rust_child.expected")
    );
}
