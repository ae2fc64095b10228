//! `nodestd-fuzz`: the random-mutation driver as a program, which `cargo xtask fuzz` runs.
//!
//! `nodestd-fuzz [--seconds N] [--seed S] [TARGET ...]` runs each target (all by default)
//! for N seconds (default 5) with seed S (default: from the clock, printed), one line per
//! target with its seed and executions; the first finding prints the target, seed and input
//! hex and exits 1. `nodestd-fuzz --replay TARGET HEX` runs one input.

use nodestd_fuzz::{TARGETS, driver, hex, run_caught, target, unhex};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--replay") {
        let (Some(t), Some(input)) = (
            args.get(1).and_then(|n| target(n)),
            args.get(2).and_then(|h| unhex(h)),
        ) else {
            eprintln!("usage: nodestd-fuzz --replay TARGET HEX");
            return ExitCode::from(2);
        };
        return match run_caught(t, &input) {
            Ok(()) => {
                println!("{}: ok", t.name);
                ExitCode::SUCCESS
            }
            Err(m) => {
                println!("{}: FINDING: {m}", t.name);
                ExitCode::FAILURE
            }
        };
    }
    let mut seconds = 5.0_f64;
    let mut seed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(1);
    let mut names = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = |v: Option<&String>| v.cloned().unwrap_or_default();
        match a.as_str() {
            "--seconds" => seconds = value(it.next()).parse().unwrap_or(-1.0),
            "--seed" => {
                let v = value(it.next());
                let v = v.trim_start_matches("0x");
                seed = u64::from_str_radix(v, 16).unwrap_or(0);
            }
            name => names.push(name.to_string()),
        }
    }
    if seconds.is_nan() || seconds <= 0.0 {
        eprintln!("usage: nodestd-fuzz [--seconds N] [--seed HEX] [TARGET ...]");
        return ExitCode::from(2);
    }
    let mut chosen = Vec::new();
    for n in &names {
        match target(n) {
            Some(t) => chosen.push(t),
            None => {
                let all: Vec<_> = TARGETS.iter().map(|t| t.name).collect();
                eprintln!("unknown target {n:?}; the targets: {}", all.join(" "));
                return ExitCode::from(2);
            }
        }
    }
    if chosen.is_empty() {
        chosen = TARGETS.iter().collect();
    }
    let time = Duration::from_secs_f64(seconds);
    for (i, t) in chosen.into_iter().enumerate() {
        let seed = seed.wrapping_add(i as u64);
        match driver::run(t, seed, time) {
            Ok(s) => println!(
                "{:<14} seed={seed:016x} executions={} ({:.0}/s) linear_checks={} {:.1}s",
                t.name,
                s.executions,
                s.executions as f64 / s.elapsed.as_secs_f64(),
                s.linear_checks,
                s.elapsed.as_secs_f64()
            ),
            Err(f) => {
                println!(
                    "{} FINDING seed={:016x} execution={}: {}\ninput hex: {}\nreplay: \
                     cargo run --release -p nodestd-fuzz -- --replay {} {}",
                    f.target,
                    f.seed,
                    f.execution,
                    f.message,
                    hex(&f.input),
                    f.target,
                    hex(&f.input)
                );
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
