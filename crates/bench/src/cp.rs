//! The child_process workloads (issue 15), each the twin of `bench/node/cp-*.js`:
//! - `cp-spawn`: `spawn("/bin/true")` with the default stdio (three pipes) until `'close'`,
//!   one at a time and 16 at once;
//! - `cp-exec`: `exec("echo hi")` (through `/bin/sh`, output buffered), one after the other;
//! - `cp-fork-ipc`: round trips over fork's channel with one message in flight (after 5,000
//!   unmeasured ones, a fresh child per row), with the `fork-child` example as the child
//!   (`own-child`) and with node running `bench/node/cp-fork-echo.js` (`node-child`).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use nodestd_child_process::exec::{ExecOptions, exec};
use nodestd_child_process::fork::{ForkOptions, Message, fork};
use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::spawn::{Close, SpawnOptions, spawn};

use crate::{emit, measured, size, timed_run};

/// `n` spawns of /bin/true with `at_once` in flight; the seconds to the last 'close'.
fn spawns(n: u64, at_once: u64) -> f64 {
    fn one(started: Rc<Cell<u64>>, n: u64) {
        started.set(started.get() + 1);
        let c = spawn("/bin/true", &[], SpawnOptions::default());
        c.emitter().once(Close, move |(code, _)| {
            assert_eq!(*code, Some(0), "/bin/true failed");
            if started.get() < n {
                one(Rc::clone(&started), n);
            }
        });
    }
    timed_run(move || {
        let started = Rc::new(Cell::new(0));
        for _ in 0..at_once.min(n) {
            one(Rc::clone(&started), n);
        }
    })
}

pub(crate) fn cp_spawn(quick: bool) {
    measured("cp-spawn/sequential", size(2000, quick), |n| spawns(n, 1));
    measured("cp-spawn/16-at-once", size(4000, quick), |n| spawns(n, 16));
}

pub(crate) fn cp_exec(quick: bool) {
    fn one(left: Rc<Cell<u64>>) {
        exec("echo hi", ExecOptions::default(), move |err, out, _| {
            assert!(
                err.is_none() && out.as_bytes() == b"hi\n",
                "exec failed: {err:?}"
            );
            left.set(left.get() - 1);
            if left.get() > 0 {
                one(left);
            }
        });
    }
    measured("cp-exec", size(1000, quick), |n| {
        timed_run(move || one(Rc::new(Cell::new(n))))
    });
}

fn message(i: u64) -> Value {
    let mut o = Object::new();
    o.insert("i", Value::Number(i as f64));
    o.insert("text", Value::string("round trip"));
    let list = (1..=3).map(|k| Value::Number(f64::from(k))).collect();
    o.insert("list", Value::Array(list));
    Value::Object(o)
}

/// Node's JIT needs thousands of messages to warm up: both sides warm each child up this long.
const WARM: u64 = 5000;

/// [`WARM`] round trips, then `n` measured, with the child that `options` forks; the seconds
/// of the measured ones.
fn round_trips(module: &str, options: ForkOptions, n: u64) -> f64 {
    let secs = Rc::new(Cell::new(0.0));
    let s = Rc::clone(&secs);
    let module = module.to_owned();
    let exit = nodestd_loop::run(move || {
        let child = fork(&module, &[], options);
        let warm = WARM;
        let i = Rc::new(Cell::new(0u64));
        let start = Rc::new(Cell::new(None::<Instant>));
        let c = child.clone();
        child.emitter().on(Message, move |(m, _)| {
            let k = i.get();
            assert_eq!(
                m.get("i").and_then(Value::as_f64),
                Some(k as f64),
                "out of order"
            );
            i.set(k + 1);
            if k + 1 == warm {
                start.set(Some(Instant::now()));
            }
            if k + 1 == warm + n {
                s.set(start.get().expect("warmed up").elapsed().as_secs_f64());
                c.disconnect();
            } else {
                c.send(&message(k + 1));
            }
        });
        child.send(&message(0));
    });
    assert_eq!(exit.code(), 0, "the loop ended with {exit:?}");
    secs.get()
}

pub(crate) fn cp_fork_ipc(quick: bool) {
    let n = size(20000, quick);
    let own = ForkOptions {
        exec_path: Some(
            crate::example("nodestd-child-process", "fork-child")
                .to_string_lossy()
                .into_owned(),
        ),
        ..ForkOptions::default()
    };
    emit(
        "cp-fork-ipc/own-child",
        n,
        round_trips("fork-child", own, n),
    );
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../bench/node/cp-fork-echo.js"
    );
    let secs = round_trips(script, ForkOptions::default(), n);
    emit("cp-fork-ipc/node-child", n, secs);
}
