//! What the spawn tests share: a log of lines printed as node's twin scripts print them
//! (`JSON.stringify` of each part, space-separated), and `watch`, which logs a child's events.
// Each test file uses part of it.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::spawn::{ChildProcess, Close, Error, Exit, Spawn};
use nodestd_loop as nd;

/// The lines printed so far.
pub type Log = Rc<RefCell<Vec<String>>>;

/// A JSON string.
pub fn s(v: &str) -> Value {
    Value::string(v)
}

/// A number or `null`.
pub fn n(v: Option<i32>) -> Value {
    v.map_or(Value::Null, |v| Value::Number(v.into()))
}

/// A signal name or `null`.
pub fn sig(v: Option<&str>) -> Value {
    v.map_or(Value::Null, s)
}

/// Logs one line: the parts as JSON, space-separated (node's `log(...a)`).
pub fn line(log: &Log, parts: Vec<Value>) {
    let l: Vec<String> = parts.iter().map(Value::to_json).collect();
    log.borrow_mut().push(l.join(" "));
}

/// The output collected per slot number.
type Outs = Rc<RefCell<Vec<(usize, Vec<u8>)>>>;

/// How `watch` prints the output at `'close'`.
#[derive(Clone, Copy)]
pub enum Outputs {
    /// stdout as one string (`spawn_events.js`).
    Stdout,
    /// Every readable slot (1 and up) in an object by slot number (`spawn_options.js`).
    Slots,
}

/// Logs the child's spawn, error, exit and close as node's `watch` does; the errors as
/// `errObj` makes them (every field of a system error, or message/code/name).
pub fn watch(log: &Log, name: &'static str, c: &ChildProcess, outputs: Outputs) {
    let slots: Vec<usize> = match outputs {
        Outputs::Stdout => vec![1],
        Outputs::Slots => (1..c.stdio_len()).collect(),
    };
    let outs: Outs = Rc::default();
    for i in slots {
        if let Some(so) = c.stdio(i) {
            let k = outs.borrow().len();
            outs.borrow_mut().push((i, Vec::new()));
            let o = Rc::clone(&outs);
            so.on_data(move |d| o.borrow_mut()[k].1.extend_from_slice(d.as_bytes()));
        }
    }
    let em = c.emitter();
    let (l, c2) = (Rc::clone(log), c.clone());
    em.on(Spawn, move |_| {
        let t = if c2.pid().is_some() {
            "number"
        } else {
            "undefined"
        };
        line(&l, vec![s(name), s("spawn"), s(t)]);
    });
    let l = Rc::clone(log);
    em.on(Error, move |e| {
        let mut o = Object::new();
        o.insert("message", s(&e.to_string()));
        o.insert("code", s(&e.code));
        if e.is_abort() {
            o.insert("name", s("AbortError"));
        } else {
            o.insert("errno", Value::Number(e.errno.into()));
            o.insert("syscall", s(&e.syscall));
            o.insert("path", s(&e.path));
            o.insert(
                "spawnargs",
                Value::Array(e.spawnargs.iter().map(|a| s(a)).collect()),
            );
        }
        line(&l, vec![s(name), s("error"), Value::Object(o)]);
    });
    let (l, c2) = (Rc::clone(log), c.clone());
    em.on(Exit, move |(code, signal)| {
        line(
            &l,
            vec![
                s(name),
                s("exit"),
                n(*code),
                sig(*signal),
                n(c2.exit_code()),
                sig(c2.signal_code()),
                Value::Bool(c2.killed()),
            ],
        );
    });
    let l = Rc::clone(log);
    em.on(Close, move |(code, signal)| {
        let text = |b: &[u8]| s(&String::from_utf8_lossy(b));
        let out = match outputs {
            Outputs::Stdout => outs.borrow().first().map_or(s(""), |(_, b)| text(b)),
            Outputs::Slots => {
                let mut o = Object::new();
                for (i, b) in outs.borrow().iter() {
                    o.insert(&i.to_string(), text(b));
                }
                Value::Object(o)
            }
        };
        line(&l, vec![s(name), s("close"), n(*code), sig(*signal), out]);
    });
}

/// Runs one scenario in its own loop run, which must end with exit code 0.
pub fn scenario(log: &Log, f: impl FnOnce(&Log) + 'static) {
    let l = Rc::clone(log);
    let exit = nd::run(move || f(&l));
    assert_eq!(exit.code(), 0);
}
