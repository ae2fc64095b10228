//! `spawn_sync`, `exec_file_sync` and `exec_sync` against node: each case of
//! `tests/node/sync_cases.js` is run here with the same arguments and printed as the same JSON
//! line; the lines must equal those recorded from node in `tests/node/sync_cases.expected`.

use std::ffi::OsString;
use std::time::Duration;

use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::sync::{
    ExecSyncError, SpawnError, SpawnSyncReturns, SyncOptions, exec_file_sync, exec_sync, spawn_sync,
};

fn text(b: Option<&[u8]>) -> Value {
    b.map_or(Value::Null, |b| Value::string(&String::from_utf8_lossy(b)))
}

fn opt_str(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::string)
}

fn obj(pairs: Vec<(&str, Value)>) -> Object {
    let mut o = Object::new();
    for (k, v) in pairs {
        o.insert(k, v);
    }
    o
}

fn err(e: &SpawnError) -> Value {
    Value::Object(obj(vec![
        ("message", Value::string(&e.to_string())),
        ("code", Value::string(&e.code)),
        ("errno", Value::Number(e.errno.into())),
        ("syscall", Value::string(&e.syscall)),
        ("path", Value::string(&e.path)),
        (
            "spawnargs",
            Value::Array(e.spawnargs.iter().map(|a| Value::string(a)).collect()),
        ),
    ]))
}

fn status(r: &SpawnSyncReturns) -> Vec<(&'static str, Value)> {
    vec![
        (
            "status",
            r.status.map_or(Value::Null, |s| Value::Number(s.into())),
        ),
        ("signal", opt_str(r.signal)),
    ]
}

fn ret(r: SpawnSyncReturns) -> Vec<(&'static str, Value)> {
    let mut v = status(&r);
    v.push(("stdout", text(r.stdout.as_deref())));
    v.push(("stderr", text(r.stderr.as_deref())));
    v.push(("error", r.error.as_ref().map_or(Value::Null, err)));
    v
}

fn thrown(r: Result<Vec<u8>, ExecSyncError>) -> Vec<(&'static str, Value)> {
    let (threw, result) = match r {
        Ok(out) => return vec![("ok", text(Some(&out)))],
        Err(ExecSyncError::Spawn(e, result)) => (err(&e), result),
        Err(ExecSyncError::Failed { message, result }) => {
            let mut o = Object::new();
            o.insert("message", Value::string(&message));
            for k in ["code", "errno", "syscall", "path", "spawnargs"] {
                o.insert(k, Value::Null);
            }
            (Value::Object(o), result)
        }
        Err(e) => panic!("{e}"),
    };
    let result = *result;
    let mut v = vec![("threw", threw)];
    v.extend(status(&result));
    v.push(("stdout", text(result.stdout.as_deref())));
    v.push(("stderr", text(result.stderr.as_deref())));
    v
}

fn cases() -> Vec<(&'static str, Vec<(&'static str, Value)>)> {
    let d = SyncOptions::default;
    let path = std::env::var_os("PATH").unwrap_or_default();
    vec![
        (
            "status_and_both_outputs",
            ret(spawn_sync(
                "sh",
                &["-c", "echo out; echo err >&2; exit 3"],
                &d(),
            )),
        ),
        ("enoent", ret(spawn_sync("nope", &["a"], &d()))),
        (
            "cwd_enoent",
            ret(spawn_sync(
                "pwd",
                &[],
                &SyncOptions {
                    cwd: Some("/nonexistent".into()),
                    ..d()
                },
            )),
        ),
        (
            "cwd",
            ret(spawn_sync(
                "pwd",
                &[],
                &SyncOptions {
                    cwd: Some("/tmp".into()),
                    ..d()
                },
            )),
        ),
        (
            "timeout",
            ret(spawn_sync(
                "sh",
                &["-c", "echo before; exec sleep 5"],
                &SyncOptions {
                    timeout: Some(Duration::from_millis(200)),
                    ..d()
                },
            )),
        ),
        (
            "timeout_sigkill",
            ret(spawn_sync(
                "sleep",
                &["5"],
                &SyncOptions {
                    timeout: Some(Duration::from_millis(100)),
                    kill_signal: 9,
                    ..d()
                },
            )),
        ),
        (
            "killed_by_a_signal",
            ret(spawn_sync("sh", &["-c", "kill -TERM $$"], &d())),
        ),
        (
            "input",
            ret(spawn_sync(
                "cat",
                &[],
                &SyncOptions {
                    input: Some("helloé".into()),
                    ..d()
                },
            )),
        ),
        ("env_from_process", {
            nodestd_process::env::set("CP_SYNC_TEST", "set in the parent");
            ret(spawn_sync("sh", &["-c", "echo \"$CP_SYNC_TEST\""], &d()))
        }),
        (
            "env_option",
            ret(spawn_sync(
                "sh",
                &["-c", "echo \"$A-$CP_SYNC_TEST\""],
                &SyncOptions {
                    env: Some(vec![("A".into(), "only".into()), ("PATH".into(), path)]),
                    ..d()
                },
            )),
        ),
        (
            "shell",
            ret(spawn_sync(
                "echo",
                &["$((2*3))"],
                &SyncOptions {
                    shell: Some(OsString::from("/bin/sh")),
                    ..d()
                },
            )),
        ),
        ("maxbuffer", {
            let r = spawn_sync(
                "sh",
                &["-c", "yes | head -c 100000"],
                &SyncOptions {
                    max_buffer: 10,
                    ..d()
                },
            );
            let mut v = status(&r);
            v.push(("error", r.error.as_ref().map_or(Value::Null, err)));
            v
        }),
        (
            "exec_file_sync_fails",
            thrown(exec_file_sync(
                "sh",
                &["-c", "echo o; echo e >&2; exit 2"],
                &d(),
            )),
        ),
        (
            "exec_file_sync_enoent",
            thrown(exec_file_sync("nope", &["x"], &d())),
        ),
        (
            "exec_file_sync_no_shell",
            thrown(exec_file_sync("echo", &["; rm -rf /", "$HOME"], &d())),
        ),
        ("exec_sync_ok", thrown(exec_sync("echo $((1+2))", &d()))),
        ("exec_sync_fails", thrown(exec_sync("echo o; exit 4", &d()))),
        ("exec_sync_signal", thrown(exec_sync("kill -KILL $$", &d()))),
        (
            "epipe_input",
            ret(spawn_sync(
                "true",
                &[],
                &SyncOptions {
                    input: Some(vec![b'x'; 1 << 20]),
                    ..d()
                },
            )),
        ),
        (
            "maxbuffer_zero",
            ret(spawn_sync(
                "printf",
                &["a"],
                &SyncOptions {
                    max_buffer: 0,
                    ..d()
                },
            )),
        ),
        ("maxbuffer_both", {
            let script = "printf 12345678; sleep 0.2; printf abcdefgh >&2; sleep 5";
            let r = spawn_sync(
                "sh",
                &["-c", script],
                &SyncOptions {
                    max_buffer: 12,
                    ..d()
                },
            );
            let mut v = vec![("signal", opt_str(r.signal))];
            v.push(("stdout", text(r.stdout.as_deref())));
            v.push(("stderr", text(r.stderr.as_deref())));
            v.push(("error", r.error.as_ref().map_or(Value::Null, err)));
            v
        }),
        (
            "timeout_trap",
            ret(spawn_sync(
                "sh",
                &["-c", "trap \"\" TERM; sleep 0.5; echo done"],
                &SyncOptions {
                    timeout: Some(Duration::from_millis(100)),
                    ..d()
                },
            )),
        ),
        (
            "no_shebang",
            ret(spawn_sync(
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/no_shebang"),
                &["arg"],
                &d(),
            )),
        ),
    ]
}

#[test]
fn the_sync_forms_print_what_node_printed() {
    let expected = include_str!("node/sync_cases.expected");
    let ours: Vec<String> = cases()
        .into_iter()
        .map(|(name, fields)| {
            let mut o = Object::new();
            o.insert("case", Value::string(name));
            for (k, v) in fields {
                o.insert(k, v);
            }
            Value::Object(o).to_json()
        })
        .collect();
    let want: Vec<&str> = expected.lines().collect();
    assert_eq!(ours.len(), want.len());
    for (o, w) in ours.iter().zip(want) {
        assert_eq!(o, w);
    }
}
