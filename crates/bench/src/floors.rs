//! `nodestd-bench --floors`: what the machine charges for the primitives the workloads are
//! made of, measured in isolation, with no nodestd code involved.
//!
//! PERFORMANCE.md explains the workloads that miss their target with these numbers: a target
//! is out of reach when what the work *must* do (read the current directory, allocate the
//! result, find a queue from inside a callback …) already costs more than the time budget
//! the target leaves (Node's time per operation divided by the target ratio). Each floor is
//! timed over many iterations after a warm-up, three times, and the fastest of the three is
//! printed (noise on a shared machine only ever adds time), in nanoseconds per operation, one
//! JSON line each: `{"floor":…,"ns":…}`.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::time::Instant;

/// Prints every floor.
pub fn run(quick: bool) {
    let n: u64 = if quick { 200_000 } else { 5_000_000 };
    floor("getcwd", n / 10, || {
        black_box(std::env::current_dir().ok());
    });
    for len in [8usize, 28, 64] {
        let text = "x".repeat(len);
        let text = text.as_str();
        floor(&format!("string-alloc-copy-free/{len}B"), n, || {
            black_box(String::from(black_box(text)));
        });
    }
    floor("rc-new-drop/48B", n, || {
        black_box(Rc::new(black_box([0u64; 6])));
    });
    floor("instant-now", n, || {
        black_box(Instant::now());
    });
    floor_queue_passed(n);
    floor_queue_thread_local(n, false);
    floor_queue_thread_local(n, true);
    floor_random_access(n);
    floor_socketpair_round_trip(if quick { 2_000 } else { 20_000 });
    crate::dns::floors(quick);
}

/// How many times each floor is measured; the fastest counts.
const REPEATS: usize = 3;

/// Times `n` calls of `f` after `n / 10` unmeasured ones and prints ns per call.
fn floor(name: &str, n: u64, mut f: impl FnMut()) {
    for _ in 0..n / 10 {
        f();
    }
    let secs = fastest(|| {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed().as_secs_f64()
    });
    print_ns(name, secs, n);
}

/// The fastest of [`REPEATS`] runs of `run`, which returns the seconds it measured.
fn fastest(mut run: impl FnMut() -> f64) -> f64 {
    (0..REPEATS).map(|_| run()).fold(f64::INFINITY, f64::min)
}

/// The fastest of [`REPEATS`] runs of `run(n)`, timed.
fn fastest_run(n: u64, run: impl Fn(u64)) -> f64 {
    fastest(|| {
        let start = Instant::now();
        run(n);
        start.elapsed().as_secs_f64()
    })
}

fn print_ns(name: &str, secs: f64, n: u64) {
    println!(
        "{{\"floor\":\"{name}\",\"ns\":{:.2}}}",
        secs * 1e9 / n as f64
    );
}

/// A chain of boxed callbacks, each queueing the next, through a queue passed to it by
/// reference: a `Box<dyn FnOnce>` allocated, pushed, popped, called and freed per step, with
/// nothing else. Each callback captures what the workload's do (an `Rc` counter and the
/// chain's length), so each box is a real allocation. The least a chained `nextTick` can
/// cost with boxed callbacks.
fn floor_queue_passed(n: u64) {
    type Task = Box<dyn FnOnce(&mut Queue)>;
    struct Queue(VecDeque<Task>);
    fn step(q: &mut Queue, count: Rc<Cell<u64>>, n: u64) {
        let v = count.get() + 1;
        count.set(v);
        if v < n {
            q.0.push_back(Box::new(move |q: &mut Queue| step(q, count, n)));
        }
    }
    let run = |n: u64| {
        let mut q = Queue(VecDeque::with_capacity(16));
        let count = Rc::new(Cell::new(0));
        q.0.push_back(Box::new(move |q: &mut Queue| step(q, count, n)));
        while let Some(t) = q.0.pop_front() {
            t(&mut q);
        }
    };
    run(n / 10);
    print_ns("boxed-queue-chained/passed", fastest_run(n, run), n);
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::new(VecDeque::with_capacity(16));
}

/// The same chain, but the callback finds the queue as a loop's public `next_tick(f)` must:
/// through a thread-local `RefCell`. With `guard`, each call is wrapped in `catch_unwind`,
/// as a loop that survives a panicking callback must.
fn floor_queue_thread_local(n: u64, guard: bool) {
    fn step(count: Rc<Cell<u64>>, n: u64) {
        let v = count.get() + 1;
        count.set(v);
        if v < n {
            QUEUE.with(|q| q.borrow_mut().push_back(Box::new(move || step(count, n))));
        }
    }
    let run = |n: u64| {
        let count = Rc::new(Cell::new(0));
        QUEUE.with(|q| q.borrow_mut().push_back(Box::new(move || step(count, n))));
        loop {
            let Some(t) = QUEUE.with(|q| q.borrow_mut().pop_front()) else {
                break;
            };
            if guard {
                let _ = black_box(catch_unwind(AssertUnwindSafe(t)));
            } else {
                t();
            }
        }
    };
    run(n / 10);
    let secs = fastest_run(n, run);
    let name = if guard {
        "boxed-queue-chained/thread-local+catch_unwind"
    } else {
        "boxed-queue-chained/thread-local"
    };
    print_ns(name, secs, n);
}

/// One dependent read at a random index of a 64 MiB table (1M entries of 64 bytes, the size
/// of the timer workload's slab): the cost of the cache miss that inserting into or unlinking
/// from a list threaded through such a table pays.
fn floor_random_access(n: u64) {
    const ENTRIES: usize = 1 << 20;
    // A random cyclic permutation, so each read depends on the previous one.
    let mut order: Vec<usize> = (0..ENTRIES).collect();
    let mut rng = crate::inputs::Lcg::new(7);
    for i in (1..ENTRIES).rev() {
        let wide = (u64::from(rng.next()) << 16) | u64::from(rng.next());
        let j = (wide % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    let mut table = vec![[0u64; 8]; ENTRIES];
    for w in order.windows(2) {
        table[w[0]][0] = w[1] as u64;
    }
    table[order[ENTRIES - 1]][0] = order[0] as u64;
    let mut at = order[0];
    let steps = n.min(4_000_000);
    let secs = fastest(|| {
        let start = Instant::now();
        for _ in 0..steps {
            at = table[at][0] as usize;
        }
        black_box(at);
        start.elapsed().as_secs_f64()
    });
    print_ns("random-access/64MiB", secs, steps);
}

/// A round trip of cp-fork-ipc's 47-byte message over a Unix socket pair between two threads,
/// each blocked in `read` until the other writes, with no event loop, no parsing and no
/// polling: what a wake-up costs on this machine. Two per round trip; on a virtual machine
/// whose idle vCPU halts, each is an inter-processor interrupt to a halted vCPU.
fn floor_socketpair_round_trip(n: u64) {
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;
    const MSG: &[u8] = b"{\"i\":12345,\"text\":\"round trip\",\"list\":[1,2,3]}\n";
    let Ok((mut near, mut far)) = UnixStream::pair() else {
        return;
    };
    let echo = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(k) = far.read(&mut buf) {
            if k == 0 || far.write_all(&buf[..k]).is_err() {
                break;
            }
        }
    });
    let mut buf = [0u8; 4096];
    let mut trip = |near: &mut UnixStream| {
        near.write_all(MSG).expect("write to the echo thread");
        let mut got = 0;
        while got < MSG.len() {
            let k = near
                .read(&mut buf[got..])
                .expect("read from the echo thread");
            assert!(k > 0, "the echo thread closed the socket");
            got += k;
        }
    };
    for _ in 0..n / 10 {
        trip(&mut near);
    }
    let secs = fastest(|| {
        let start = Instant::now();
        for _ in 0..n {
            trip(&mut near);
        }
        start.elapsed().as_secs_f64()
    });
    drop(near);
    let _ = echo.join();
    print_ns("socketpair-round-trip/threads", secs, n);
}
