//! A tour of nodestd's event loop: one run that contrasts nextTick, microtasks, an async task,
//! a worker-pool read (an I/O callback), an immediate, a close callback and a timer, printing
//! the phase each line runs in. Node prints the same order (the two pool reads race, in Node
//! as here); the `loop-trace` runner checks such orders against Node scenario by scenario.
//!
//! It also prints its `process.argv` (Node's layout) and handles Ctrl-C (SIGINT) as a Node
//! program would with `process.on('SIGINT')`. Run it with `cargo run --release --example tour`;
//! `cargo run --release --example tour -- --wait` keeps it running until you press Ctrl-C.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Instant;

use nodestd::r#loop as nd;
use nodestd::process;

fn main() {
    let start = Instant::now();
    let step = Rc::new(Cell::new(0));
    let say = {
        let step = Rc::clone(&step);
        move |phase: &str, what: &str| {
            step.set(step.get() + 1);
            println!(
                "{:>2}. [{:>7.3} ms] {:<10} {what}",
                step.get(),
                start.elapsed().as_secs_f64() * 1000.0,
                phase
            );
        }
    };
    let say = Rc::new(say);

    println!("nodestd tour: Node's event loop, phase by phase\n");
    println!("process.argv = {:?}\n", process::argv());
    let wait = process::argv().iter().skip(2).any(|a| a == "--wait");
    let s = Rc::clone(&say);
    let code = process::run(move || {
        let s0 = Rc::clone(&s);
        // Like `process.on('SIGINT', ...)`: the listener's handle is unref'd, so it does not keep
        // the loop alive; while it exists Ctrl-C runs it instead of killing the process.
        let listener = process::on_signal("SIGINT", move |name| {
            s0(
                "poll",
                &format!("{name}: Ctrl-C caught by a listener; exiting with 130"),
            );
            process::exit(Some(130));
        });
        if let Err(e) = listener {
            eprintln!("cannot listen for SIGINT: {e}");
        }
        if wait {
            let s1 = Rc::clone(&s);
            nd::set_timeout(60_000, move || {
                s1("timers", "a minute passed without Ctrl-C")
            });
            s(
                "main",
                "--wait: press Ctrl-C (the loop stays alive for a minute)",
            );
        }
        s("main", "the main function runs to completion first");
        let s1 = Rc::clone(&s);
        nd::queue_microtask(move || s1("microtask", "queueMicrotask: after every nextTick"));
        let s2 = Rc::clone(&s);
        nd::spawn_local(async move {
            s2("microtask", "an async task's first poll is a microtask too");
            let n =
                nd::spawn_blocking(|| std::fs::read("Cargo.toml").map(|b| b.len()).unwrap_or(0))
                    .await
                    .unwrap_or(0);
            s2(
                "microtask",
                &format!("...it resumes after the pool read {n} bytes"),
            );
        });
        let s3 = Rc::clone(&s);
        nd::next_tick(move || s3("nextTick", "process.nextTick: right after main"));
        let s4 = Rc::clone(&s);
        nd::queue_work(
            || std::fs::read("README.md").map(|b| b.len()).unwrap_or(0),
            move |n| {
                let n = n.unwrap_or(0);
                s4(
                    "poll",
                    &format!("I/O callback: the worker pool read {n} bytes"),
                );
                let s5 = Rc::clone(&s4);
                nd::set_timeout(0, move || {
                    s5("timers", "setTimeout(0) from I/O: after check and close");
                    let s6 = Rc::clone(&s5);
                    let handle: Rc<RefCell<Option<nd::Timeout>>> = Rc::new(RefCell::new(None));
                    let h = Rc::clone(&handle);
                    let n = Cell::new(0);
                    let t = nd::set_interval(5, move || {
                        n.set(n.get() + 1);
                        s6(
                            "timers",
                            &format!("setInterval(5), firing {} of 2", n.get()),
                        );
                        if n.get() == 2 {
                            if let Some(t) = h.borrow().as_ref() {
                                t.clear();
                            }
                        }
                    });
                    *handle.borrow_mut() = Some(t);
                });
                let s7 = Rc::clone(&s4);
                nd::set_immediate(move || {
                    s7(
                        "check",
                        "setImmediate from I/O: this iteration's check phase",
                    )
                });
                let s8 = Rc::clone(&s4);
                nd::Handle::new()
                    .close(move || s8("close", "a handle's close callback: after check"));
                let s9 = Rc::clone(&s4);
                nd::next_tick(move || {
                    s9(
                        "nextTick",
                        "a nextTick queued by the I/O callback runs before any other phase",
                    )
                });
            },
        );
        s(
            "main",
            "...scheduled a microtask, an async task, a nextTick and a pool read",
        );
    });
    println!("\nthe loop ended: exit code {code}");
    std::process::exit(code);
}
