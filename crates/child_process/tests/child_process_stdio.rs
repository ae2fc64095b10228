//! `'ipc'` and stream objects as stdio slots against node: the scenarios of
//! `tests/node/stdio_slots.js`, one at a time, print the lines node printed
//! (`tests/node/stdio_slots.expected`): `NODE_CHANNEL_FD` names the `'ipc'` slot at fd 3, 5
//! and 0 (a shell prints it), `child.stdio[n]` is `null` for it and `connected` is true, a
//! node child talks on the channel at fd 4 (spawn) and fd 5 (fork with a stdio array), what
//! node throws (two `'ipc'` slots, fork without one, stdio values it does not take), and a
//! `net.Socket` in slot 3 and in slot 1 (the child writes to the connection; the socket stays
//! open here).

mod spawn_log;

use std::path::PathBuf;
use std::rc::Rc;

use nodestd_child_process::fork::{Disconnect, ForkOptions, Message, fork_with_stdio};
use nodestd_child_process::json::{self, Value};
use nodestd_child_process::spawn::{
    ChildProcess, Close, Exit, SpawnOptions, StdioSlot, spawn, try_spawn,
};
use nodestd_child_process::sync::SpawnError;
use nodestd_net as net;
use spawn_log::{Log, line, n, s, scenario, sig};

fn echo_child() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node/ipc_child.js")
        .to_string_lossy()
        .into_owned()
}

fn options(slots: Vec<StdioSlot>) -> SpawnOptions {
    let mut it = slots.into_iter();
    let mut stdio = [StdioSlot::Pipe, StdioSlot::Pipe, StdioSlot::Pipe];
    for s in &mut stdio {
        *s = it.next().unwrap_or_default();
    }
    SpawnOptions {
        stdio,
        extra_stdio: it.collect(),
        ..SpawnOptions::default()
    }
}

fn kinds(c: &ChildProcess) -> Value {
    let k = (0..c.stdio_len())
        .map(|i| {
            if c.stdio(i).is_some() {
                s("object")
            } else {
                Value::Null
            }
        })
        .collect();
    Value::Array(k)
}

fn count(c: &ChildProcess) -> Value {
    Value::Number(c.stdio_len() as f64)
}

fn thrown(log: &Log, name: &str, r: Result<ChildProcess, SpawnError>) {
    match r {
        Ok(_) => line(log, vec![s(name), s("no throw")]),
        Err(e) => line(
            log,
            vec![
                s(name),
                s("throw"),
                s(&e.code),
                s(&e.to_string()),
                s(e.name()),
            ],
        ),
    }
}

fn events(log: &Log, name: &'static str, c: &ChildProcess) {
    let em = c.emitter();
    let (l, c2) = (Rc::clone(log), c.clone());
    em.on(Message, move |(m, _)| {
        line(&l, vec![s(name), s("message"), m.clone()]);
        c2.disconnect();
    });
    let l = Rc::clone(log);
    em.on(Disconnect, move |_| {
        line(&l, vec![s(name), s("disconnect")])
    });
    // This side disconnects first: node emits no 'close' then.
    let l = Rc::clone(log);
    em.on(Exit, move |(code, signal)| {
        line(&l, vec![s(name), s("exit"), n(*code), sig(*signal)]);
    });
}

fn shell(log: &Log, name: &'static str, slots: Vec<StdioSlot>) {
    let script = r#"echo "$NODE_CHANNEL_FD $NODE_CHANNEL_SERIALIZATION_MODE""#;
    let c = spawn("sh", &["-c", script], options(slots));
    line(
        log,
        vec![
            s(name),
            s("stdio"),
            count(&c),
            kinds(&c),
            Value::Bool(c.connected()),
        ],
    );
    let out = Rc::new(std::cell::RefCell::new(Vec::new()));
    if let Some(o) = c.stdio(1) {
        let out = Rc::clone(&out);
        o.on_data(move |d| out.borrow_mut().extend_from_slice(d.as_bytes()));
    }
    let l = Rc::clone(log);
    c.emitter().on(Disconnect, move |_| {
        line(&l, vec![s(name), s("disconnect")])
    });
    let l = Rc::clone(log);
    c.emitter().on(Close, move |(code, signal)| {
        let text = String::from_utf8_lossy(&out.borrow()).into_owned();
        line(
            &l,
            vec![s(name), s("close"), n(*code), sig(*signal), s(&text)],
        );
    });
}

fn via_socket(log: &Log, name: &'static str, slot: usize, script: &'static str) {
    let server = net::Server::new(net::ServerOptions::default());
    let (l, srv) = (Rc::clone(log), server.clone());
    server.on_connection(move |conn| {
        let got = Rc::new(std::cell::RefCell::new(Vec::new()));
        let g = Rc::clone(&got);
        conn.on_data(move |d| g.borrow_mut().extend_from_slice(d.as_bytes()));
        let (l, srv) = (Rc::clone(&l), srv.clone());
        conn.on_end(move || {
            let text = String::from_utf8_lossy(&got.borrow()).into_owned();
            line(&l, vec![s(name), s("server got"), s(&text)]);
            srv.close(None);
        });
    });
    let (l, srv) = (Rc::clone(log), server.clone());
    server
        .listen_port(0, Some("127.0.0.1"), move || {
            let Some(net::Address::Inet { port, .. }) = srv.address() else {
                panic!("no port")
            };
            let sock = net::Socket::new(net::SocketOptions::default());
            let (l, s2) = (Rc::clone(&l), sock.clone());
            let target = net::ConnectTarget::Tcp {
                port,
                host: Some("127.0.0.1".to_owned()),
            };
            sock.connect_with(target, move || {
                let mut slots = vec![StdioSlot::Pipe, StdioSlot::Pipe, StdioSlot::Pipe];
                if slot < slots.len() {
                    slots[slot] = StdioSlot::Socket(s2.clone());
                } else {
                    slots.push(StdioSlot::Socket(s2.clone()));
                }
                let c = spawn("sh", &["-c", script], options(slots));
                line(
                    &l,
                    vec![
                        s(name),
                        s("stdio"),
                        count(&c),
                        kinds(&c),
                        Value::Bool(s2.destroyed()),
                    ],
                );
                let (l, s3) = (Rc::clone(&l), s2.clone());
                c.emitter().on(Close, move |(code, signal)| {
                    line(
                        &l,
                        vec![
                            s(name),
                            s("close"),
                            n(*code),
                            sig(*signal),
                            Value::Bool(s3.destroyed()),
                        ],
                    );
                    s3.end();
                });
            });
        })
        .expect("listen");
}

#[test]
fn stdio_slots_print_what_node_printed() {
    use StdioSlot::{Ignore, Inherit, Ipc, Pipe};
    let log = Log::default();
    scenario(&log, |log| shell(log, "ipc3", vec![Pipe, Pipe, Pipe, Ipc]));
    scenario(&log, |log| {
        shell(log, "ipc5", vec![Pipe, Pipe, Pipe, Ignore, Ignore, Ipc]);
    });
    scenario(&log, |log| shell(log, "ipc0", vec![Ipc, Pipe, Pipe]));
    scenario(&log, |log| {
        let slots = vec![Pipe, Inherit, Inherit, Ignore, Ipc];
        let c = spawn("node", &[&echo_child()], options(slots));
        line(
            log,
            vec![
                s("spawn-node"),
                s("connected"),
                Value::Bool(c.connected()),
                count(&c),
                Value::Null,
            ],
        );
        events(log, "spawn-node", &c);
        c.send(&json::parse(r#"{"via":"spawn","fd":4}"#).unwrap());
    });
    scenario(&log, |log| {
        let slots = vec![Inherit, Inherit, Inherit, Ignore, Ignore, Ipc];
        let c = fork_with_stdio(&echo_child(), &[], ForkOptions::default(), slots).unwrap();
        line(
            log,
            vec![
                s("fork-stdio"),
                s("connected"),
                Value::Bool(c.connected()),
                count(&c),
            ],
        );
        events(log, "fork-stdio", &c);
        c.send(&json::parse(r#"{"via":"fork","fd":5}"#).unwrap());
    });
    scenario(&log, |log| {
        let r = try_spawn("true", &[], options(vec![Pipe, Pipe, Pipe, Ipc, Ipc]));
        thrown(log, "two-ipc", r);
    });
    scenario(&log, |log| {
        let r = fork_with_stdio(
            &echo_child(),
            &[],
            ForkOptions::default(),
            vec![Pipe, Pipe, Pipe],
        );
        thrown(log, "fork-no-ipc", r);
    });
    scenario(&log, |log| {
        let e = StdioSlot::all_named("foo").unwrap_err();
        thrown(log, "name-string", Err(e));
    });
    scenario(&log, |log| {
        let e = StdioSlot::named("foo").unwrap_err();
        thrown(log, "name-slot", Err(e));
    });
    scenario(&log, |log| via_socket(log, "socket3", 3, "echo to-fd3 >&3"));
    scenario(&log, |log| via_socket(log, "socket1", 1, "echo to-stdout"));
    let want: Vec<&str> = include_str!("node/stdio_slots.expected").lines().collect();
    assert_eq!(*log.borrow(), want);
}
