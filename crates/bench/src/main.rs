//! `nodestd-bench WORKLOAD [--quick]`: the Rust side of `cargo xtask bench`.
//!
//! Each workload does the same work as `bench/node/WORKLOAD.js`, measures it inside the
//! program (start-up excluded, after an unmeasured warm-up of a tenth of the work) and prints
//! one JSON line per sub-case: `{"workload":…,"unit":"ops/s","value":…}`. `--quick` shrinks
//! the sizes tenfold; `--dump-urls` prints the WHATWG workload's inputs instead, and
//! `--floors` the cost of the primitives the workloads are made of (see `floors.rs`).

mod backends;
mod cluster;
mod codec;
mod cp;
mod dns;
mod floors;
mod http_floor;
mod inputs;
mod net;
mod pool;
mod startup;

use std::cell::Cell;
use std::hint::black_box;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use nodestd_loop as nd;
use nodestd_path::posix;

/// A workload; its argument is `--quick`.
type Workload = fn(bool);

/// The workloads, as the xtask and the Node scripts name them.
const WORKLOADS: &[(&str, Workload)] = &[
    ("loop-nexttick", loop_nexttick),
    ("loop-microtask", loop_microtask),
    ("loop-immediate", loop_immediate),
    ("loop-timers", loop_timers),
    ("path-join", path_join),
    ("path-resolve", path_resolve),
    ("path-relative", path_relative),
    ("path-normalize", path_normalize),
    ("url-legacy-parse", url_legacy_parse),
    ("url-legacy-format", url_legacy_format),
    ("querystring-parse", querystring_parse),
    ("url-whatwg-parse", url_whatwg_parse),
    ("crypto-hash", codec::crypto_hash),
    ("crypto-hmac", codec::crypto_hmac),
    ("crypto-random", codec::crypto_random),
    ("crypto-pbkdf2", codec::crypto_pbkdf2),
    ("crypto-cipher", codec::crypto_cipher),
    ("zlib", codec::zlib),
    ("pool-stat", pool::pool_stat),
    ("pool-readfile", pool::pool_readfile),
    ("startup", startup::startup),
    ("dns-lookup", dns::dns_lookup),
    ("dns-resolve4", dns::dns_resolve4),
    ("http-hello", net::http_hello),
    ("http-cluster", cluster::http_cluster),
    ("net-echo", net::net_echo),
    ("cp-spawn", cp::cp_spawn),
    ("cp-exec", cp::cp_exec),
    ("cp-fork-ipc", cp::cp_fork_ipc),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick");
    if args.iter().any(|a| a == "--dump-urls") {
        // The WHATWG workload's inputs, to check them against `url-whatwg-parse.js --dump-urls`.
        for u in inputs::whatwg_urls(10_000) {
            println!("{u}");
        }
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--dns-server") {
        // The loopback DNS server of the dns-resolve4 workload (both sides start it).
        dns::server();
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--floors") {
        floors::run(quick);
        return ExitCode::SUCCESS;
    }
    let names: Vec<&str> = args
        .iter()
        .filter(|a| *a != "--quick")
        .map(String::as_str)
        .collect();
    let [name] = names.as_slice() else {
        eprintln!("usage: nodestd-bench WORKLOAD [--quick] | --floors [--quick] | --dump-urls");
        return ExitCode::from(2);
    };
    match WORKLOADS.iter().find(|(n, _)| n == name) {
        Some((_, f)) => {
            f(quick);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("nodestd-bench: unknown workload {name:?}");
            ExitCode::from(2)
        }
    }
}

/// `full`, or a tenth of it with `--quick`.
fn size(full: u64, quick: bool) -> u64 {
    if quick { full / 10 } else { full }
}

fn emit(workload: &str, ops: u64, secs: f64) {
    emit_unit(workload, "ops/s", ops, secs);
}

/// One measurement line: `units` done in `secs`, as `unit` (a rate).
fn emit_unit(workload: &str, unit: &str, units: u64, secs: f64) {
    println!(
        "{{\"workload\":\"{workload}\",\"unit\":\"{unit}\",\"value\":{}}}",
        units as f64 / secs
    );
}

/// The example `name` of `package` next to this program (`target/release/examples/NAME`;
/// `cargo xtask bench` builds the ones its workloads run).
fn example(package: &str, name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the bench's own path");
    let path = exe
        .parent()
        .expect("the bench's directory")
        .join("examples")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: build it with `cargo build --release -p {package} --example {name}` \
         (cargo xtask bench does)",
        path.display()
    );
    path
}

/// Runs `main` on a new loop to completion; returns the seconds it took.
fn timed_run(main: impl FnOnce()) -> f64 {
    let start = Instant::now();
    let exit = nd::run(main);
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(exit.code(), 0, "the loop ended with {exit:?}");
    secs
}

/// Runs `case(n / 10)` unmeasured, then `case(n)`, and reports the latter.
fn measured(name: &str, n: u64, case: impl Fn(u64) -> f64) {
    case((n / 10).max(1));
    emit(name, n, case(n));
}

/// One of the loop's queues, taking the closure as the public API does (unboxed).
trait Schedule: Copy + 'static {
    fn schedule(self, f: impl FnOnce() + 'static);
}

#[derive(Clone, Copy)]
struct Tick;
impl Schedule for Tick {
    fn schedule(self, f: impl FnOnce() + 'static) {
        nd::next_tick(f);
    }
}

#[derive(Clone, Copy)]
struct Microtask;
impl Schedule for Microtask {
    fn schedule(self, f: impl FnOnce() + 'static) {
        nd::queue_microtask(f);
    }
}

#[derive(Clone, Copy)]
struct Immediate;
impl Schedule for Immediate {
    fn schedule(self, f: impl FnOnce() + 'static) {
        nd::set_immediate(f);
    }
}

/// `n` callbacks, each scheduling the next on `queue`.
fn chained<S: Schedule>(queue: S, n: u64) -> f64 {
    fn step<S: Schedule>(queue: S, count: Rc<Cell<u64>>, n: u64) {
        let v = count.get() + 1;
        count.set(v);
        if v < n {
            queue.schedule(move || step(queue, count, n));
        }
    }
    let count = Rc::new(Cell::new(0));
    let c = count.clone();
    let secs = timed_run(move || queue.schedule(move || step(queue, c, n)));
    assert_eq!(count.get(), n);
    secs
}

/// `n` callbacks queued at once on `queue`.
fn batch<S: Schedule>(queue: S, n: u64) -> f64 {
    let count = Rc::new(Cell::new(0u64));
    let c = count.clone();
    let secs = timed_run(move || {
        for _ in 0..n {
            let c = c.clone();
            queue.schedule(move || c.set(c.get() + 1));
        }
    });
    assert_eq!(count.get(), n);
    secs
}

fn loop_nexttick(quick: bool) {
    let n = size(5_000_000, quick);
    measured("loop-nexttick/chained", n, |n| chained(Tick, n));
    measured("loop-nexttick/batch", n, |n| batch(Tick, n));
}

fn loop_microtask(quick: bool) {
    let n = size(5_000_000, quick);
    measured("loop-microtask/chained", n, |n| chained(Microtask, n));
    measured("loop-microtask/batch", n, |n| batch(Microtask, n));
}

fn loop_immediate(quick: bool) {
    measured("loop-immediate/chained", size(2_000_000, quick), |n| {
        chained(Immediate, n)
    });
    measured("loop-immediate/batch", size(1_000_000, quick), |n| {
        batch(Immediate, n)
    });
}

/// Random delays in `0..=100` ms, the same sequence as `common.js` draws.
fn delays(n: u64) -> Vec<u64> {
    let mut rng = inputs::Lcg::new(12_345);
    (0..n).map(|_| u64::from(rng.below(101))).collect()
}

fn loop_timers(quick: bool) {
    let n = size(1_000_000, quick);
    measured("loop-timers/fire", n, |n| {
        let delays = delays(n);
        let count = Rc::new(Cell::new(0u64));
        let c = count.clone();
        let secs = timed_run(move || {
            for d in delays {
                let c = c.clone();
                nd::set_timeout(d, move || c.set(c.get() + 1));
            }
        });
        assert_eq!(count.get(), n);
        secs
    });
    measured("loop-timers/create-clear", n, |n| {
        let delays = delays(n);
        let secs = Rc::new(Cell::new(0.0));
        let s = secs.clone();
        timed_run(move || {
            let start = Instant::now();
            let timers: Vec<nd::Timeout> = delays
                .iter()
                .map(|&d| nd::set_timeout(d, || panic!("a cleared timer fired")))
                .collect();
            for t in &timers {
                t.clear();
            }
            s.set(start.elapsed().as_secs_f64());
        });
        secs.get()
    });
}

/// Calls `f` `n` times over `inputs` in turn.
fn over<T: ?Sized, R>(inputs: &[&T], n: u64, f: impl Fn(&T) -> R) -> f64 {
    let start = Instant::now();
    let len = inputs.len() as u64;
    for i in 0..n {
        black_box(f(black_box(inputs[(i % len) as usize])));
    }
    start.elapsed().as_secs_f64()
}

fn path_join(quick: bool) {
    let set: Vec<&[&str]> = inputs::JOIN.to_vec();
    measured("path-join", size(5_000_000, quick), |n| {
        over(&set, n, |a| posix::join(a.iter()))
    });
}

fn path_resolve(quick: bool) {
    let set: Vec<&[&str]> = inputs::RESOLVE.to_vec();
    measured("path-resolve", size(5_000_000, quick), |n| {
        over(&set, n, |a| posix::resolve(a.iter()))
    });
}

fn path_relative(quick: bool) {
    let set: Vec<&[&str; 2]> = inputs::RELATIVE.iter().collect();
    measured("path-relative", size(5_000_000, quick), |n| {
        over(&set, n, |[from, to]| posix::relative(from, to))
    });
}

fn path_normalize(quick: bool) {
    measured("path-normalize", size(5_000_000, quick), |n| {
        over(inputs::NORMALIZE, n, posix::normalize)
    });
}

fn url_legacy_parse(quick: bool) {
    measured("url-legacy-parse", size(1_000_000, quick), |n| {
        over(inputs::LEGACY_URLS, n, |s| {
            nodestd_url::parse(s, false, false).expect("a valid URL")
        })
    });
}

fn url_legacy_format(quick: bool) {
    let parsed: Vec<nodestd_url::Url> = inputs::LEGACY_URLS
        .iter()
        .map(|s| nodestd_url::parse(s, false, false).expect("a valid URL"))
        .collect();
    let set: Vec<&nodestd_url::Url> = parsed.iter().collect();
    measured("url-legacy-format", size(1_000_000, quick), |n| {
        over(&set, n, nodestd_url::format)
    });
}

fn querystring_parse(quick: bool) {
    measured("querystring-parse", size(1_000_000, quick), |n| {
        over(inputs::QUERIES, n, nodestd_querystring::parse)
    });
}

fn url_whatwg_parse(quick: bool) {
    let urls = inputs::whatwg_urls(10_000);
    let set: Vec<&str> = urls.iter().map(String::as_str).collect();
    // Whole passes over the 10,000 URLs: 20 of them, or 2 with --quick.
    let passes = if quick { 2 } else { 20 };
    case_whatwg(&set, 1);
    let n = passes * set.len() as u64;
    emit("url-whatwg-parse", n, case_whatwg(&set, passes));
}

fn case_whatwg(set: &[&str], passes: u64) -> f64 {
    over(set, passes * set.len() as u64, |s| {
        nodestd_url::URL::parse(s, None).expect("a valid URL")
    })
}
