//! `nodestd-hello [--rss]`: the smallest nodestd program, the twin of `node -e 0` in the
//! `startup` workload (`startup.rs`): it runs an event loop with one zero-delay timer (so the
//! loop is created, polled once and torn down) and exits with the loop's exit code. With
//! `--rss` it prints its peak resident set (`VmHWM` of `/proc/self/status`, KiB) as it
//! ends, as Node's `process.resourceUsage().maxRSS` reports it.

use std::process::ExitCode;

fn main() -> ExitCode {
    let exit = nodestd_loop::run(|| {
        nodestd_loop::set_timeout(0, || {});
    });
    if std::env::args().any(|a| a == "--rss") {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0);
        println!("{kib}");
    }
    ExitCode::from(exit.code() as u8)
}
