//! `spawn` on the loop against node: the scenarios of `tests/node/spawn_events.js`, one at a
//! time, print the same lines as node printed (recorded in `tests/node/spawn_events.expected`):
//! events spawn, exit and close with their arguments, exitCode, signalCode, killed, the
//! ENOENT error's fields, stdin and stdout pipes, timeout with killSignal, the environment
//! from the process crate, a shell, ignored slots.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::spawn::{
    ChildProcess, Close, Error, Exit, SpawnOptions, StdioSlot, spawn,
};
use nodestd_child_process::sync::SyncOptions;
use nodestd_loop as nd;

type Log = Rc<RefCell<Vec<String>>>;

fn s(v: &str) -> Value {
    Value::string(v)
}

fn n(v: Option<i32>) -> Value {
    v.map_or(Value::Null, |v| Value::Number(v.into()))
}

fn sig(v: Option<&str>) -> Value {
    v.map_or(Value::Null, s)
}

fn line(log: &Log, parts: Vec<Value>) {
    let l: Vec<String> = parts.iter().map(Value::to_json).collect();
    log.borrow_mut().push(l.join(" "));
}

fn watch(log: &Log, name: &'static str, c: &ChildProcess) {
    let out = Rc::new(RefCell::new(Vec::new()));
    if let Some(so) = c.stdout() {
        let o = Rc::clone(&out);
        so.on_data(move |d| o.borrow_mut().extend_from_slice(d.as_bytes()));
    }
    let em = c.emitter();
    let (l, c2) = (Rc::clone(log), c.clone());
    em.on(nodestd_child_process::spawn::Spawn, move |_| {
        line(
            &l,
            vec![
                s(name),
                s("spawn"),
                s(if c2.pid().is_some() {
                    "number"
                } else {
                    "undefined"
                }),
            ],
        );
    });
    let l = Rc::clone(log);
    em.on(Error, move |e| {
        let mut o = Object::new();
        o.insert("message", s(&e.to_string()));
        o.insert("code", s(&e.code));
        o.insert("errno", Value::Number(e.errno.into()));
        o.insert("syscall", s(&e.syscall));
        o.insert("path", s(&e.path));
        o.insert(
            "spawnargs",
            Value::Array(e.spawnargs.iter().map(|a| s(a)).collect()),
        );
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
        let text = String::from_utf8_lossy(&out.borrow()).into_owned();
        line(
            &l,
            vec![s(name), s("close"), n(*code), sig(*signal), s(&text)],
        );
    });
}

fn scenario(log: &Log, f: impl FnOnce(&Log) + 'static) {
    let l = Rc::clone(log);
    let exit = nd::run(move || f(&l));
    assert_eq!(exit.code(), 0);
}

#[test]
fn spawn_prints_what_node_printed() {
    let log: Log = Rc::default();
    scenario(&log, |log| {
        let c = spawn(
            "sh",
            &["-c", "echo hi; echo err >&2; exit 2"],
            SpawnOptions::default(),
        );
        watch(log, "status", &c);
    });
    scenario(&log, |log| {
        let c = spawn("sleep", &["5"], SpawnOptions::default());
        line(log, vec![s("kill"), s("kill"), Value::Bool(c.kill(15))]);
        watch(log, "kill", &c);
    });
    scenario(&log, |log| {
        let c = spawn("nope", &["a"], SpawnOptions::default());
        line(
            log,
            vec![
                s("enoent"),
                s("pid"),
                c.pid().map_or(Value::Null, |p| Value::Number(p.into())),
            ],
        );
        watch(log, "enoent", &c);
    });
    scenario(&log, |log| {
        let c = spawn("cat", &[], SpawnOptions::default());
        let stdin = c.stdin().unwrap();
        stdin.write(b"abc".to_vec().into());
        stdin.end();
        watch(log, "stdin", &c);
    });
    scenario(&log, |log| {
        let c = spawn(
            "sleep",
            &["5"],
            SpawnOptions {
                timeout: 100,
                base: SyncOptions {
                    kill_signal: 9,
                    ..SyncOptions::default()
                },
                ..SpawnOptions::default()
            },
        );
        watch(log, "timeout", &c);
    });
    scenario(&log, |log| {
        nodestd_process::env::set("CP_SPAWN_TEST", "from the parent");
        let c = spawn(
            "sh",
            &["-c", "echo \"$CP_SPAWN_TEST\""],
            SpawnOptions::default(),
        );
        watch(log, "env", &c);
    });
    scenario(&log, |log| {
        let c = spawn(
            "echo $((6*7))",
            &[],
            SpawnOptions {
                base: SyncOptions {
                    shell: Some("/bin/sh".into()),
                    cwd: Some("/tmp".into()),
                    ..SyncOptions::default()
                },
                ..SpawnOptions::default()
            },
        );
        watch(log, "shell", &c);
    });
    scenario(&log, |log| {
        let c = spawn(
            "sh",
            &["-c", "echo gone"],
            SpawnOptions {
                stdio: [StdioSlot::Ignore, StdioSlot::Ignore, StdioSlot::Inherit],
                ..SpawnOptions::default()
            },
        );
        watch(log, "ignore", &c);
    });
    scenario(&log, |log| {
        let c = spawn("sh", &["-c", "kill -KILL $$"], SpawnOptions::default());
        line(
            log,
            vec![
                s("exitcode-after-kill"),
                s("kill-after"),
                Value::Bool(c.kill(0)),
            ],
        );
        watch(log, "selfkill", &c);
    });
    let want: Vec<&str> = include_str!("node/spawn_events.expected").lines().collect();
    assert_eq!(*log.borrow(), want);
}
