//! `startup`: the cost of a process (issue 20), against `bench/node/startup.js`.
//!
//! - `startup/start-exit` (runs/s): `nodestd-hello` (this crate's smallest loop program, built
//!   beside `nodestd-bench`) started and waited for 200 times in a row (20 with `--quick`),
//!   against `node -e 0` (50 times: each takes tens of ms): the whole cost of a process,
//!   fork and exec included, as a parent that forks workers pays it.
//! - `startup/rss` (MiB, lower is better): the peak resident set of one such process as it
//!   exits (`VmHWM`), against Node's `process.resourceUsage().maxRSS` at the end of `-e`.

use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{emit, size};

/// The hello program, next to this executable.
fn hello() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the running executable's path");
    exe.with_file_name("nodestd-hello")
}

/// Runs `startup`.
pub fn startup(quick: bool) {
    let n = size(200, quick);
    let exe = hello();
    let run = |n: u64| {
        let start = Instant::now();
        for _ in 0..n {
            let status = Command::new(&exe)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .status()
                .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
            assert!(status.success(), "nodestd-hello ended with {status}");
        }
        start.elapsed().as_secs_f64()
    };
    run((n / 10).max(1));
    emit("startup/start-exit", n, run(n));
    let out = Command::new(&exe)
        .arg("--rss")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
    let kib: f64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("nodestd-hello --rss prints KiB");
    println!(
        "{{\"workload\":\"startup/rss\",\"unit\":\"MiB\",\"value\":{}}}",
        kib / 1024.0
    );
}
