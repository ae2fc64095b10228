//! The life of a process against live `node`: exit-code rules (`exitCode`, `process.exit`,
//! code 1 after an uncaught panic, an `exit` listener changing the code), the order of
//! `beforeExit`, `exit` and pending work, unref'd signal listeners, and SIGTERM handled or
//! fatal. Each scenario runs twice: this test binary re-executed as the child (with
//! `NODESTD_PROCESS_SCENARIO` set) and `crates/conformance/node/process_lifecycle.js` under
//! node; stdout and the exit status must match. `harness = false`, so the child prints
//! nothing but its scenario.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::time::Duration;

use nodestd_loop as nd;
use nodestd_process as process;
use process::{BeforeExit, ExitEvent, UncaughtException};

const ENV: &str = "NODESTD_PROCESS_SCENARIO";
const SCENARIOS: &[&str] = &[
    "exit_code",
    "explicit_exit",
    "uncaught",
    "uncaught_handled",
    "before_exit_schedules",
    "exit_listener_sets_code",
    "signal_unref",
    "uncaught_main",
    "exit_in_before_exit",
    "exit_in_main",
    "warnings",
    "exit_listener_throws",
    "exit_listener_throws_after_exit",
    "uncaught_monitor",
    "uncaught_monitor_handled",
];

fn log(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{s}");
    let _ = out.flush();
}

fn on_exit_log() {
    process::emitter().on(ExitEvent, |c| log(&format!("exit {c}")));
}

fn on_before_exit_log() {
    process::emitter().on(BeforeExit, |c| log(&format!("beforeExit {c}")));
}

fn child(scenario: &str) -> i32 {
    // Quiet the default panic message: stderr is not compared.
    std::panic::set_hook(Box::new(|_| {}));
    process::run(|| match scenario {
        "exit_code" => {
            on_before_exit_log();
            on_exit_log();
            process::set_exit_code(Some(3));
            log("main");
        }
        "explicit_exit" => {
            on_before_exit_log();
            on_exit_log();
            process::set_exit_code(Some(4));
            nd::set_timeout(1, || {
                log("timeout");
                process::exit(Some(5));
            });
            nd::set_timeout(50, || log("never"));
        }
        "uncaught" => {
            on_before_exit_log();
            on_exit_log();
            process::set_exit_code(Some(5));
            nd::set_timeout(1, || panic!("boom"));
            nd::set_timeout(50, || log("never"));
        }
        "uncaught_handled" => {
            process::emitter().on(UncaughtException, |m| log(&format!("caught {m}")));
            on_exit_log();
            nd::set_timeout(1, || panic!("boom"));
            nd::set_timeout(20, || log("after"));
        }
        "before_exit_schedules" => {
            let n = Rc::new(Cell::new(0));
            process::emitter().on(BeforeExit, move |c| {
                log(&format!("beforeExit {c}"));
                if n.get() < 2 {
                    n.set(n.get() + 1);
                    let k = n.get();
                    nd::set_timeout(1, move || log(&format!("tick {k}")));
                }
            });
            on_exit_log();
            nd::next_tick(|| log("nextTick"));
            nd::set_immediate(|| log("immediate"));
            log("main");
        }
        "exit_listener_sets_code" => {
            process::emitter().on(ExitEvent, |c| {
                log(&format!("exit {c}"));
                process::set_exit_code(Some(9));
            });
        }
        "signal_unref" => {
            process::on_signal("SIGINT", |_| log("never")).unwrap();
            on_exit_log();
        }
        "sigterm_handled" | "sigint_handled" => {
            let sig = signal_of(scenario);
            process::on_signal(sig, |s| {
                log(&format!("got {s}"));
                process::exit(Some(7));
            })
            .unwrap();
            on_exit_log();
            nd::set_interval(1000, || {});
            log("ready");
        }
        "uncaught_main" => {
            on_exit_log();
            nd::set_timeout(1, || log("never"));
            log("main");
            panic!("boom");
        }
        "exit_in_before_exit" => {
            process::emitter().on(BeforeExit, |c| {
                log(&format!("beforeExit {c}"));
                process::exit(Some(2));
            });
            on_exit_log();
            nd::set_timeout(1, || log("timeout"));
        }
        "exit_in_main" => {
            on_exit_log();
            nd::next_tick(|| log("never"));
            nd::set_timeout(1, || log("never"));
            process::exit(None);
        }
        "sigterm_removed" => {
            let id = process::on_signal("SIGTERM", |_| log("never")).unwrap();
            process::off_signal("SIGTERM", id);
            nd::set_interval(1000, || {});
            log("ready");
        }
        "warnings" => {
            process::emitter().on(process::WarningEvent, |w| {
                let code = w.code.as_deref().unwrap_or("undefined");
                log(&format!("warning {} {code} {}", w.name, w.message));
            });
            process::emit_warning("careful");
            process::emit_warning_with("old", "DeprecationWarning", Some("DEP0999"));
            let em = nodestd_events::EventEmitter::new();
            for _ in 0..11 {
                em.on(nodestd_events::Named::<()>::new("x"), |_| {});
            }
            log("main");
        }
        "uncaught_monitor" | "uncaught_monitor_handled" => {
            process::emitter().on(process::UncaughtExceptionMonitor, |m| {
                log(&format!("monitor {m}"))
            });
            if scenario.ends_with("handled") {
                process::emitter().on(UncaughtException, |m| log(&format!("handled {m}")));
            }
            on_exit_log();
            nd::set_timeout(1, || panic!("boom"));
            nd::set_timeout(20, || log("later"));
        }
        "exit_listener_throws" => {
            process::emitter().on(ExitEvent, |c| {
                log(&format!("exit {c}"));
                panic!("thrown in exit");
            });
            process::emitter().on(ExitEvent, |_| log("never"));
        }
        "exit_listener_throws_after_exit" => {
            process::emitter().on(ExitEvent, |c| {
                log(&format!("exit {c}"));
                panic!("thrown in exit");
            });
            nd::set_timeout(1, || process::exit(Some(5)));
        }
        "sigterm_default" | "sigint_default" => {
            nd::set_interval(1000, || {});
            log("ready");
        }
        other => panic!("unknown scenario {other}"),
    })
}

/// (stdout, exit code, terminating signal)
type Outcome = (String, Option<i32>, Option<i32>);

fn rust_cmd(scenario: &str) -> Command {
    let mut c = Command::new(std::env::current_exe().expect("current_exe"));
    c.env(ENV, scenario);
    c
}

fn node_cmd(scenario: &str) -> Command {
    let mut c = Command::new("node");
    c.arg(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../conformance/node/process_lifecycle.js"
    ))
    .arg(scenario);
    c
}

fn outcome(mut cmd: Command) -> Outcome {
    let out = cmd.stderr(Stdio::null()).output().expect("spawn");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
        out.status.signal(),
    )
}

/// The signal a `sig*_` scenario is about.
fn signal_of(scenario: &str) -> &'static str {
    if scenario.starts_with("sigint") {
        "SIGINT"
    } else {
        "SIGTERM"
    }
}

/// `cmd` started by a shell that ignores SIGINT and SIGTERM first (`exec`, so the pid is the
/// command's).
fn ignoring(cmd: Command) -> Command {
    let mut sh = Command::new("sh");
    sh.args(["-c", "trap '' INT TERM; exec \"$0\" \"$@\""])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    sh
}

/// Starts the scenario, waits for `ready`, sends its signal, collects the outcome.
fn signalled(scenario: &str, mut cmd: Command) -> Outcome {
    let mut ch = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(ch.stdout.take().expect("stdout"));
    let mut text = String::new();
    reader.read_line(&mut text).expect("read ready");
    assert_eq!(text, "ready\n");
    // Let the child go back to polling before the signal arrives.
    std::thread::sleep(Duration::from_millis(50));
    process::kill(ch.id() as i32, signal_of(scenario)).expect("kill");
    // A child that survives its signal would run forever: give it 10 s, then SIGKILL it (the
    // outcome then says signal 9, which no scenario expects).
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = ch.try_wait().expect("try_wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            ch.kill().expect("kill the child that survived its signal");
            break ch.wait().expect("wait");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut reader, &mut rest).expect("read rest");
    text.push_str(&rest);
    (text, status.code(), status.signal())
}

fn main() {
    if let Ok(scenario) = std::env::var(ENV) {
        let code = child(&scenario);
        std::process::exit(code);
    }
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "process_lifecycle: `node` is required under CI=true"
        );
        println!("SKIPPED process_lifecycle: `node` is not installed");
        return;
    }
    let mut failures = Vec::new();
    let mut check = |name: &str, rust: Outcome, node: Outcome| {
        if rust == node {
            println!("ok   {name}: {:?} {:?}", node.1, node.2);
        } else {
            println!("FAIL {name}\n  nodestd: {rust:?}\n  node:    {node:?}");
            failures.push(name.to_string());
        }
    };
    for s in SCENARIOS {
        check(s, outcome(rust_cmd(s)), outcome(node_cmd(s)));
    }
    for s in [
        "sigterm_handled",
        "sigterm_default",
        "sigterm_removed",
        "sigint_handled",
        "sigint_default",
    ] {
        check(s, signalled(s, rust_cmd(s)), signalled(s, node_cmd(s)));
    }
    let (_, code, sig) = signalled("sigterm_default", rust_cmd("sigterm_default"));
    assert_eq!((code, sig), (None, Some(15)), "no handler: dies by SIGTERM");
    let (_, code, sig) = signalled("sigint_default", rust_cmd("sigint_default"));
    assert_eq!((code, sig), (None, Some(2)), "no handler: dies by SIGINT");
    // A parent that leaves SIGINT and SIGTERM ignored (a shell's background job): node gives
    // them their default action back at startup, and so does process::run.
    for s in ["sigint_default", "sigterm_default"] {
        let name = format!("{s} (inherited ignored)");
        check(
            &name,
            signalled(s, ignoring(rust_cmd(s))),
            signalled(s, ignoring(node_cmd(s))),
        );
    }
    assert!(
        failures.is_empty(),
        "scenarios differ from node: {failures:?}"
    );
}
