//! `exec` and `exec_file` against node: the cases of `tests/node/exec_cases.js`, one at a
//! time, print the lines node printed (recorded in `tests/node/exec_cases.expected`): the
//! callback error's message, code, killed, signal, cmd and spawn fields, and both outputs,
//! for success, a failing command, timeout, maxBuffer, ENOENT, a signal, an abort signal,
//! `; rm -rf /` as an argument, and the `encoding` option (`'buffer'`, an unknown name, hex,
//! latin1, base64, utf16le; `maxBuffer` counting a string chunk's `Buffer.byteLength` and
//! cutting it in UTF-16 units, a hex-encoded stderr in the error message), a timeout that
//! destroys the outputs before its signal (a shell ignoring SIGTERM dies of SIGPIPE), what
//! Node throws (an empty command, a NUL byte, `spawn ENOTDIR`) and a script without `#!`.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_child_process::exec::{
    ExecCallback, ExecCode, ExecError, ExecOptions, Output, encoding_named, exec, exec_file,
};
use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::sync::SyncOptions;
use nodestd_loop as nd;

type Log = Rc<RefCell<Vec<String>>>;

fn s(v: &str) -> Value {
    Value::string(v)
}

fn err(e: Option<ExecError>) -> Value {
    let Some(e) = e else { return Value::Null };
    let mut o = Object::new();
    o.insert("message", s(&e.message));
    o.insert(
        "code",
        match &e.code {
            Some(ExecCode::Status(n)) => Value::Number((*n).into()),
            Some(ExecCode::Code(c)) => s(c),
            None => Value::Null,
        },
    );
    o.insert("killed", e.killed.map_or(Value::Null, Value::Bool));
    o.insert("signal", e.signal.map_or(Value::Null, s));
    let sp = e.spawn.as_ref();
    // What Node throws from the call comes to the callback here: node's side of the test
    // catches it and prints its fields (no cmd, path or spawnargs).
    if let Some(t) = sp.filter(|x| x.is_thrown()) {
        o.insert("cmd", Value::Null);
        let errno = (t.errno != 0).then(|| Value::Number(t.errno.into()));
        o.insert("errno", errno.unwrap_or(Value::Null));
        let syscall = (!t.syscall.is_empty()).then(|| s(&t.syscall));
        o.insert("syscall", syscall.unwrap_or(Value::Null));
        o.insert("path", Value::Null);
        o.insert("spawnargs", Value::Null);
        return Value::Object(o);
    }
    o.insert("cmd", s(&e.cmd));
    o.insert(
        "errno",
        sp.map_or(Value::Null, |x| Value::Number(x.errno.into())),
    );
    o.insert("syscall", sp.map_or(Value::Null, |x| s(&x.syscall)));
    o.insert("path", sp.map_or(Value::Null, |x| s(&x.path)));
    o.insert(
        "spawnargs",
        sp.map_or(Value::Null, |x| {
            Value::Array(x.spawnargs.iter().map(|a| s(a)).collect())
        }),
    );
    Value::Object(o)
}

type Case = (&'static str, Box<dyn FnOnce(ExecCallback)>);

fn case(log: &Log, name: &'static str, run: Box<dyn FnOnce(ExecCallback)>) {
    let l = Rc::clone(log);
    let exit = nd::run(move || {
        run(Box::new(move |e, out, errout| {
            let mut o = Object::new();
            o.insert("case", s(name));
            o.insert("err", err(e));
            o.insert("stdout", s(&out.to_text()));
            o.insert("stderr", s(&errout.to_text()));
            let kind = |o: &Output| {
                s(if o.as_str().is_some() {
                    "string"
                } else {
                    "buffer"
                })
            };
            o.insert("kinds", Value::Array(vec![kind(&out), kind(&errout)]));
            l.borrow_mut().push(Value::Object(o).to_json());
        }));
    });
    assert_eq!(exit.code(), 0);
}

#[test]
fn exec_and_exec_file_print_what_node_printed() {
    let d = ExecOptions::default;
    let cases: Vec<Case> = vec![
        (
            "exec_ok",
            Box::new(move |cb| {
                exec("echo out; echo err >&2", d(), cb);
            }),
        ),
        (
            "exec_fail",
            Box::new(move |cb| {
                exec("echo o; echo e >&2; exit 3", d(), cb);
            }),
        ),
        (
            "exec_timeout",
            Box::new(move |cb| {
                exec(
                    "sleep 1",
                    ExecOptions {
                        timeout: 100,
                        ..d()
                    },
                    cb,
                );
            }),
        ),
        (
            "exec_maxbuffer",
            Box::new(move |cb| {
                let base = SyncOptions {
                    max_buffer: 10,
                    ..SyncOptions::default()
                };
                exec("yes | head -c 100000", ExecOptions { base, ..d() }, cb);
            }),
        ),
        (
            "execfile_ok",
            Box::new(move |cb| {
                exec_file("echo", &["; rm -rf /"], d(), cb);
            }),
        ),
        (
            "execfile_enoent",
            Box::new(move |cb| {
                exec_file("nope", &["x"], d(), cb);
            }),
        ),
        (
            "execfile_signal",
            Box::new(move |cb| {
                exec_file("sh", &["-c", "kill -KILL $$"], d(), cb);
            }),
        ),
        (
            "exec_abort",
            Box::new(move |cb| {
                let ac = nodestd_events::AbortController::new();
                let signal = Some(ac.signal());
                exec("echo before; sleep 5", ExecOptions { signal, ..d() }, cb);
                nd::set_timeout(200, move || ac.abort());
            }),
        ),
    ];
    let enc = |name: &str, max: Option<usize>| ExecOptions {
        encoding: encoding_named(name),
        base: SyncOptions {
            max_buffer: max.unwrap_or(1024 * 1024),
            ..SyncOptions::default()
        },
        ..ExecOptions::default()
    };
    let mut cases = cases;
    let more: Vec<(&'static str, &'static str, Option<usize>, &'static str)> = vec![
        ("enc_buffer", "buffer", None, "printf 'a\\351b'"),
        ("enc_unknown", "nope", None, "printf ab"),
        ("enc_hex", "hex", None, "printf 'h\\351'"),
        ("enc_latin1", "latin1", None, "printf 'h\\351'"),
        ("enc_base64", "base64", None, ""),
        ("enc_utf16le", "UTF-16LE", None, "printf 'a\\000b\\000'"),
        ("enc_fail_hex", "hex", None, "printf e >&2; exit 1"),
        (
            "max_utf8",
            "utf8",
            Some(5),
            "printf '\\303\\251\\303\\251\\303\\251\\303\\251\\303\\251'",
        ),
        ("max_hex", "hex", Some(2), ""),
        ("max_buffer", "buffer", Some(3), ""),
        ("max_stderr", "utf8", Some(4), "printf abcdef >&2"),
    ];
    for (name, encoding, max, command) in more {
        let options = enc(encoding, max);
        let run: Box<dyn FnOnce(ExecCallback)> = match name {
            "enc_base64" => Box::new(move |cb| {
                exec_file("printf", &["hello"], options, cb);
            }),
            "max_hex" | "max_buffer" => Box::new(move |cb| {
                exec_file("printf", &["abcdef"], options, cb);
            }),
            _ => Box::new(move |cb| {
                exec(command, options, cb);
            }),
        };
        cases.push((name, run));
    }
    let timeout = move |ms| ExecOptions { timeout: ms, ..d() };
    let more: Vec<Case> = vec![
        (
            "timeout_trap",
            Box::new(move |cb| {
                exec("trap \"\" TERM; sleep 0.5; echo done", timeout(100), cb);
            }),
        ),
        (
            "empty",
            Box::new(move |cb| {
                exec("", d(), cb);
            }),
        ),
        (
            "nul_arg",
            Box::new(move |cb| {
                exec_file("echo", &["a\0b"], d(), cb);
            }),
        ),
        (
            "nul_long",
            Box::new(move |cb| {
                let long = format!("{}\0", "x".repeat(200));
                exec_file("echo", &["ok", &long], d(), cb);
            }),
        ),
        (
            "cwd_notdir",
            Box::new(move |cb| {
                let base = SyncOptions {
                    cwd: Some("/etc/passwd".into()),
                    ..SyncOptions::default()
                };
                exec_file("pwd", &[], ExecOptions { base, ..d() }, cb);
            }),
        ),
        (
            "no_shebang",
            Box::new(move |cb| {
                let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/no_shebang");
                exec_file(script, &["arg"], d(), cb);
            }),
        ),
    ];
    cases.extend(more);
    let log: Log = Rc::default();
    for (name, run) in cases {
        case(&log, name, run);
    }
    let want: Vec<&str> = include_str!("node/exec_cases.expected").lines().collect();
    assert_eq!(*log.borrow(), want);
}

/// Node's `kill()` in execFile destroys both outputs before the signal, so the callback comes
/// when the shell dies, not when a process it started (which still holds the pipes) ends.
#[test]
fn a_timeout_or_overflow_does_not_wait_for_what_the_command_started() {
    for (command, timeout, max_buffer) in [
        ("sleep 5 & sleep 5", 100, 1024 * 1024),
        ("sleep 5 & yes | head -c 100000", 0, 10),
    ] {
        let took = Rc::new(RefCell::new(None));
        let t = Rc::clone(&took);
        let start = std::time::Instant::now();
        let options = ExecOptions {
            timeout,
            base: SyncOptions {
                max_buffer,
                ..SyncOptions::default()
            },
            ..ExecOptions::default()
        };
        nd::run(move || {
            exec(command, options, move |e, _, _| {
                assert!(e.is_some(), "{command}: no error");
                *t.borrow_mut() = Some(start.elapsed());
            });
        });
        let took = took.borrow().expect("called back");
        // The grandchild sleeps 5 s; the callback must not wait for it.
        assert!(
            took.as_secs_f64() < 4.0,
            "{command}: called back after {took:?}"
        );
    }
}
