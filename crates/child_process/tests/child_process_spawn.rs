//! `spawn` on the loop against node: the scenarios of `tests/node/spawn_events.js`, one at a
//! time, print the same lines as node printed (recorded in `tests/node/spawn_events.expected`):
//! events spawn, exit and close with their arguments, exitCode, signalCode, killed, the
//! ENOENT error's fields, stdin and stdout pipes, timeout with killSignal, the environment
//! from the process crate, a shell, ignored slots; once with pidfds, once through SIGCHLD.

mod spawn_log;

use nodestd_child_process::json::Value;
use nodestd_child_process::spawn::{SpawnOptions, StdioSlot, reap_with_sigchld, spawn};
use nodestd_child_process::sync::SyncOptions;
use spawn_log::{Log, Outputs, line, s, scenario};

fn watch(log: &Log, name: &'static str, c: &nodestd_child_process::spawn::ChildProcess) {
    spawn_log::watch(log, name, c, Outputs::Stdout);
}

#[test]
fn spawn_prints_what_node_printed() {
    prints_what_node_printed();
}

/// The same scenarios with the children reaped through SIGCHLD, as where `pidfd_open` fails.
#[test]
fn spawn_prints_what_node_printed_when_reaped_through_sigchld() {
    reap_with_sigchld(true);
    prints_what_node_printed();
}

fn prints_what_node_printed() {
    let log: Log = Log::default();
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
