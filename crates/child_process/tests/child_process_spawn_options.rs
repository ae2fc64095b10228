//! spawn's options against node: the scenarios of `tests/node/spawn_options.js`, one at a
//! time, print the lines node printed (`tests/node/spawn_options.expected`): extra stdio slots
//! (pipes read and written, `'ignore'` at fd 3, an fd), `uid`/`gid`, `detached` (the child
//! leads its session and group), an abort signal (aborted later, with a `killSignal`, and
//! already aborted), a signal name as `killSignal` and for `kill` (`ERR_UNKNOWN_SIGNAL`).
//! The uid/gid scenarios need root (node's recording ran as root); elsewhere they are
//! skipped, saying so.

mod spawn_log;

use nodestd_child_process::json::Value;
use nodestd_child_process::spawn::{ChildProcess, Exit, SpawnOptions, StdioSlot, spawn};
use nodestd_child_process::sync::{SyncOptions, signal_number};
use nodestd_events::{AbortController, AbortSignal};
use nodestd_loop as nd;
use spawn_log::{Log, Outputs, line, s, scenario};

fn watch(log: &Log, name: &'static str, c: &ChildProcess) {
    spawn_log::watch(log, name, c, Outputs::Slots);
}

fn pipes(n: usize) -> SpawnOptions {
    SpawnOptions {
        extra_stdio: (3..n).map(|_| StdioSlot::Pipe).collect(),
        ..SpawnOptions::default()
    }
}

const STAT: &str = r#"{print ($6==$1)?"sid":"nosid", ($5==$1)?"pgid":"nopgid"}"#;

fn killing(signal: &str) -> SyncOptions {
    SyncOptions {
        kill_signal: signal_number(signal).unwrap(),
        ..SyncOptions::default()
    }
}

#[test]
fn spawn_options_print_what_node_printed() {
    let root = rustix::process::geteuid().is_root();
    let log = Log::default();
    scenario(&log, |log| {
        let c = spawn(
            "sh",
            &["-c", r#"echo three >&3; read l <&4; echo "got $l""#],
            pipes(5),
        );
        let kinds = (0..c.stdio_len())
            .map(|i| {
                s(if c.stdio(i).is_some() {
                    "object"
                } else {
                    "null"
                })
            })
            .collect();
        let count = Value::Number((c.stdio_len() as i32).into());
        line(
            log,
            vec![s("extra"), s("stdio"), count, Value::Array(kinds)],
        );
        c.stdio(4).unwrap().end_with(b"four\n".to_vec().into());
        watch(log, "extra", &c);
    });
    scenario(&log, |log| {
        let script = "if { true >&3; } 2>/dev/null; then echo open; else echo closed; fi";
        let options = SpawnOptions {
            extra_stdio: vec![StdioSlot::Ignore],
            ..SpawnOptions::default()
        };
        watch(log, "ignore3", &spawn("sh", &["-c", script], options));
    });
    let tmp = std::env::temp_dir().join(format!("spawn_options_rs_{}.txt", std::process::id()));
    let t = tmp.clone();
    scenario(&log, move |log| {
        let file = std::fs::File::create(&t).unwrap();
        let options = SpawnOptions {
            extra_stdio: vec![StdioSlot::Fd(file.into())],
            ..SpawnOptions::default()
        };
        let c = spawn("sh", &["-c", "echo to-fd >&3"], options);
        watch(log, "fd3", &c);
        let l = log.clone();
        c.emitter()
            .on(nodestd_child_process::spawn::Close, move |_| {
                let text = std::fs::read_to_string(&t).unwrap();
                line(&l, vec![s("fd3"), s("file"), s(&text)]);
            });
    });
    let _ = std::fs::remove_file(&tmp);
    if root {
        scenario(&log, |log| {
            let options = SpawnOptions {
                uid: Some(65534),
                gid: Some(65534),
                ..SpawnOptions::default()
            };
            watch(log, "uid", &spawn("id", &[], options));
        });
        scenario(&log, |log| {
            let options = SpawnOptions {
                gid: Some(65534),
                ..SpawnOptions::default()
            };
            watch(log, "gid", &spawn("id", &["-g"], options));
        });
    } else {
        eprintln!("SKIPPED: the uid/gid scenarios need root (node's recording ran as root)");
    }
    scenario(&log, |log| {
        let options = SpawnOptions {
            detached: true,
            ..SpawnOptions::default()
        };
        watch(
            log,
            "detached",
            &spawn("awk", &[STAT, "/proc/self/stat"], options),
        );
    });
    scenario(&log, |log| {
        let c = spawn("awk", &[STAT, "/proc/self/stat"], SpawnOptions::default());
        watch(log, "attached", &c);
    });
    scenario(&log, |log| {
        let ac = AbortController::new();
        let options = SpawnOptions {
            signal: Some(ac.signal()),
            ..SpawnOptions::default()
        };
        let c = spawn("sleep", &["5"], options);
        watch(log, "abort", &c);
        let (l, c) = (log.clone(), c.clone());
        nd::set_timeout(50, move || {
            ac.abort();
            line(
                &l,
                vec![s("abort"), s("after-abort"), Value::Bool(c.killed())],
            );
        });
    });
    scenario(&log, |log| {
        let ac = AbortController::new();
        let options = SpawnOptions {
            signal: Some(ac.signal()),
            base: killing("SIGKILL"),
            ..SpawnOptions::default()
        };
        watch(log, "abort-kill", &spawn("sleep", &["5"], options));
        nd::set_timeout(50, move || ac.abort());
    });
    scenario(&log, |log| {
        let options = SpawnOptions {
            signal: Some(AbortSignal::abort()),
            ..SpawnOptions::default()
        };
        let c = spawn("sleep", &["5"], options);
        line(
            log,
            vec![s("pre-aborted"), s("killed"), Value::Bool(c.killed())],
        );
        watch(log, "pre-aborted", &c);
    });
    scenario(&log, |log| {
        let options = SpawnOptions {
            base: killing("SIGINT"),
            timeout: 50,
            ..SpawnOptions::default()
        };
        watch(log, "timeout-name", &spawn("sleep", &["5"], options));
    });
    scenario(&log, |log| {
        let c = spawn("sleep", &["5"], SpawnOptions::default());
        let sent = c.kill_named("SIGINT").unwrap();
        line(log, vec![s("named"), s("kill"), Value::Bool(sent)]);
        let e = c.kill_named("SIGFOO").unwrap_err();
        let parts = vec![
            s("named"),
            s("throw"),
            s(e.code()),
            s(&e.to_string()),
            s("TypeError"),
        ];
        line(log, parts);
        watch(log, "named", &c);
    });
    scenario(&log, |log| {
        let c = spawn("true", &[], SpawnOptions::default());
        let (l, c2) = (log.clone(), c.clone());
        c.emitter().on(Exit, move |_| {
            let sent = c2.kill_named("SIGINT").unwrap();
            line(
                &l,
                vec![
                    s("dead"),
                    s("kill"),
                    Value::Bool(sent),
                    Value::Bool(c2.killed()),
                ],
            );
        });
        watch(log, "dead", &c);
    });
    let want: Vec<&str> = include_str!("node/spawn_options.expected")
        .lines()
        .filter(|l| root || !(l.starts_with("\"uid\"") || l.starts_with("\"gid\"")))
        .collect();
    assert_eq!(*log.borrow(), want);
}

/// An abort from another thread reaches the loop: the child is killed and the error follows.
#[test]
fn an_abort_from_another_thread_kills_the_child() {
    let log = Log::default();
    scenario(&log, |log| {
        let ac = AbortController::new();
        let options = SpawnOptions {
            signal: Some(ac.signal()),
            ..SpawnOptions::default()
        };
        watch(log, "abort", &spawn("sleep", &["5"], options));
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            ac.abort();
        });
    });
    let want: Vec<&str> = include_str!("node/spawn_options.expected")
        .lines()
        .filter(|l| l.starts_with("\"abort\"") && !l.contains("after-abort"))
        .collect();
    assert_eq!(*log.borrow(), want);
}
