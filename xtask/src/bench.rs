//! `cargo xtask bench [WORKLOAD ...] [--quick] [--json FILE]`: nodestd against Node.
//!
//! Builds `nodestd-bench` in release mode, then for each workload runs the Rust program
//! (`nodestd-bench WORKLOAD`) and the Node script doing the same work (`bench/node/WORKLOAD.js`)
//! alternately, 5 rounds each (1 with `--quick`, which also shrinks the sizes tenfold). Each
//! program prints one JSON line per sub-case, `{"workload":…,"unit":…,"value":…}`, measured
//! inside the program. Prints a table (medians, min–max, the ratio nodestd/node against the
//! workload's target; inverted, node over nodestd, for latencies and sizes, so above 1 is ahead
//! either way) and writes the rows as JSON to `<target dir>/bench/results.json` or
//! `--json FILE`. Targets are goals, not gates: the command fails only when a program does.
//! After the table it prints the floors (`nodestd-bench --floors`): the cost of the primitives
//! the workloads are made of, measured alone in the same run.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::root;

/// The workloads and their targets (nodestd throughput / Node throughput), from issue 7.
const WORKLOADS: &[(&str, f64)] = &[
    ("loop-nexttick", 5.0),
    ("loop-microtask", 5.0),
    ("loop-immediate", 3.0),
    ("loop-timers", 3.0),
    ("path-join", 5.0),
    ("path-resolve", 5.0),
    ("path-relative", 5.0),
    ("path-normalize", 5.0),
    ("url-legacy-parse", 5.0),
    ("url-legacy-format", 5.0),
    ("querystring-parse", 5.0),
    ("url-whatwg-parse", 1.0),
    ("crypto-hash", 0.97),
    ("crypto-hmac", 1.0),
    ("crypto-random", 1.0),
    ("crypto-pbkdf2", 1.0),
    ("crypto-cipher", 1.0),
    ("zlib", 1.2),
    ("pool-stat", 2.0),
    ("pool-readfile", 2.0),
    // Issue 20: start-up ≥ 20x faster than `node -e 0`, peak RSS ≤ 1/10 of Node's.
    ("startup", 20.0),
    ("dns-lookup", 2.0),
    ("dns-resolve4", 2.0),
    // Issue 14: req/s of the http-hello example under wrk; p99 and idle RSS no worse.
    ("http-hello", 2.5),
    // Issue 17: req/s of cluster-hello with 2 workers (round-robin) under wrk.
    ("http-cluster", 1.5),
    ("net-echo", 1.0),
    // Issue 15: spawns/s of /bin/true and exec('echo hi'); IPC round trips/s over fork's channel.
    ("cp-spawn", 1.8),
    ("cp-exec", 1.8),
    ("cp-fork-ipc", 2.0),
];

/// Sub-cases whose target differs from their workload's (issue 7's zlib row).
const CASE_TARGETS: &[(&str, f64)] = &[
    ("zlib/gzip-1", 1.5),
    ("zlib/gzip-6", 1.2),
    ("zlib/gzip-9", 1.2),
    ("zlib/gunzip", 1.5),
    ("zlib/deflateRaw-6", 1.2),
    ("zlib/brotli-q1", 1.0),
    ("zlib/brotli-q4", 1.0),
    ("zlib/brotli-q11", 1.0),
    ("zlib/brotli-decompress", 1.0),
    ("pool-readfile/promise", 3.0),
    ("startup/rss", 10.0),
    ("http-hello/p99", 1.0),
    ("http-hello@floor", 2.5),
    ("http-hello/rss-10k-idle", 1.0),
];

/// Units where less is better (a latency, a size): their ratio is inverted (node over nodestd).
fn lower_is_better(unit: &str) -> bool {
    matches!(unit, "ms" | "MiB")
}

const ROUNDS: usize = 5;

/// The measurements of one row (a workload or one of its sub-cases).
struct Row {
    workload: String,
    unit: String,
    target: f64,
    nodestd: Vec<f64>,
    node: Vec<f64>,
}

/// Median, min and max of a non-empty sample.
fn stats(values: &[f64]) -> (f64, f64, f64) {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    (median, v[0], v[n - 1])
}

/// The cargo target directory (`CARGO_TARGET_DIR`, relative to the root, or `target`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Runs `cmd`, returns the `{"workload","unit","value"}` lines it printed.
fn measure(mut cmd: Command, what: &str) -> Result<Vec<(String, String, f64)>, String> {
    let out = cmd
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({})", out.status));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("{what}: not a JSON line ({e}): {line}"))?;
        match (
            v["workload"].as_str(),
            v["unit"].as_str(),
            v["value"].as_f64(),
        ) {
            (Some(w), Some(u), Some(x)) => lines.push((w.to_owned(), u.to_owned(), x)),
            _ => return Err(format!("{what}: expected workload, unit and value: {line}")),
        }
    }
    if lines.is_empty() {
        return Err(format!("{what} printed no measurement"));
    }
    Ok(lines)
}

fn record(rows: &mut Vec<Row>, target: f64, lines: Vec<(String, String, f64)>, rust: bool) {
    for (workload, unit, value) in lines {
        let i = match rows.iter().position(|r| r.workload == workload) {
            Some(i) => i,
            None => {
                let target = CASE_TARGETS
                    .iter()
                    .find(|(case, _)| *case == workload)
                    .map_or(target, |&(_, t)| t);
                rows.push(Row {
                    workload,
                    unit,
                    target,
                    nodestd: Vec::new(),
                    node: Vec::new(),
                });
                rows.len() - 1
            }
        };
        if rust {
            rows[i].nodestd.push(value);
        } else {
            rows[i].node.push(value);
        }
    }
}

/// A throughput, short: `12.3M`, `456.7k`.
fn short(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.1}")
    }
}

fn cell(values: &[f64]) -> String {
    if values.is_empty() {
        return "-".into();
    }
    let (median, min, max) = stats(values);
    format!("{} ({}–{})", short(median), short(min), short(max))
}

/// `cargo xtask bench` with the arguments after `bench`.
pub fn bench(args: &[String]) -> Result<(), String> {
    let mut quick = false;
    let mut json_path: Option<PathBuf> = None;
    let mut selected: Vec<(&str, f64)> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--json" => {
                let file = it.next().ok_or("--json needs a FILE")?;
                json_path = Some(PathBuf::from(file));
            }
            name => match WORKLOADS.iter().find(|(w, _)| *w == name) {
                Some(&w) => selected.push(w),
                None => {
                    let names: Vec<&str> = WORKLOADS.iter().map(|(w, _)| *w).collect();
                    return Err(format!(
                        "unknown workload {name:?}; the workloads: {}",
                        names.join(" ")
                    ));
                }
            },
        }
    }
    if selected.is_empty() {
        selected = WORKLOADS.to_vec();
    }
    let rounds = if quick { 1 } else { ROUNDS };

    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => eprintln!(
            "node {}, {rounds} round(s) each{}",
            String::from_utf8_lossy(&out.stdout).trim(),
            if quick { ", quick sizes" } else { "" }
        ),
        _ => return Err("`node` is not on PATH: the bench compares against it".into()),
    }
    crate::cargo(&["build", "--release", "-p", "nodestd-bench"])?;
    // The examples that workloads run in their own processes.
    for (workload, package, example) in [
        ("http-hello", "nodestd-http", "http-hello"),
        ("http-cluster", "nodestd-cluster", "cluster-hello"),
        ("cp-fork-ipc", "nodestd-child-process", "fork-child"),
    ] {
        if selected.iter().any(|(w, _)| *w == workload) {
            crate::cargo(&["build", "--release", "-p", package, "--example", example])?;
        }
    }
    let exe = target_dir().join("release").join("nodestd-bench");

    let mut rows: Vec<Row> = Vec::new();
    for &(workload, target) in &selected {
        let script = Path::new("bench")
            .join("node")
            .join(format!("{workload}.js"));
        for round in 1..=rounds {
            eprintln!("{workload}: round {round}/{rounds}");
            let mut rust = Command::new(&exe);
            rust.arg(workload);
            let mut node = Command::new("node");
            node.arg(&script);
            if quick {
                rust.arg("--quick");
                node.arg("--quick");
            }
            let lines = measure(rust, &format!("nodestd-bench {workload}"))?;
            record(&mut rows, target, lines, true);
            let lines = measure(node, &format!("node {}", script.display()))?;
            record(&mut rows, target, lines, false);
        }
    }

    print_table(&rows);
    print_floors(&exe, quick)?;
    let json_path = json_path.unwrap_or_else(|| target_dir().join("bench").join("results.json"));
    write_json(&rows, &json_path)?;
    eprintln!("results written to {}", json_path.display());
    Ok(())
}

/// The ratio nodestd/node of the medians, inverted where less is better (0 when a side
/// is missing): above 1, nodestd is ahead.
fn ratio(row: &Row) -> f64 {
    if row.nodestd.is_empty() || row.node.is_empty() {
        return 0.0;
    }
    let (ours, node) = (stats(&row.nodestd).0, stats(&row.node).0);
    if lower_is_better(&row.unit) {
        node / ours
    } else {
        ours / node
    }
}

fn print_table(rows: &[Row]) {
    let header = [
        "workload",
        "unit",
        "nodestd median (min–max)",
        "node median (min–max)",
        "ratio",
        "target",
        "",
    ];
    let body: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let ratio = ratio(r);
            [
                r.workload.clone(),
                r.unit.clone(),
                cell(&r.nodestd),
                cell(&r.node),
                format!("{ratio:.2}×"),
                format!("{}×", r.target),
                if ratio >= r.target { "PASS" } else { "FAIL" }.into(),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for line in &body {
        for (w, c) in widths.iter_mut().zip(line) {
            *w = (*w).max(c.chars().count());
        }
    }
    let print = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        println!("| {} |", parts.join(" | "));
    };
    print(&header.map(String::from));
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    println!("|-{}-|", rule.join("-|-"));
    for line in &body {
        print(line);
    }
}

/// Prints `nodestd-bench --floors`: what the primitives the workloads are made of cost alone
/// on this machine, in this run (PERFORMANCE.md reads the misses against them).
fn print_floors(exe: &Path, quick: bool) -> Result<(), String> {
    let mut cmd = Command::new(exe);
    cmd.arg("--floors");
    if quick {
        cmd.arg("--quick");
    }
    let out = cmd
        .current_dir(root())
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run nodestd-bench --floors: {e}"))?;
    if !out.status.success() {
        return Err(format!("nodestd-bench --floors failed ({})", out.status));
    }
    println!();
    println!("| floor (no nodestd code) | ns/op |");
    println!("|---|---|");
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("nodestd-bench --floors: not a JSON line ({e}): {line}"))?;
        match (v["floor"].as_str(), v["ns"].as_f64()) {
            (Some(name), Some(ns)) => println!("| {name} | {ns:.1} |"),
            _ => {
                return Err(format!(
                    "nodestd-bench --floors: expected floor and ns: {line}"
                ));
            }
        }
    }
    Ok(())
}

fn write_json(rows: &[Row], path: &Path) -> Result<(), String> {
    let summary = |v: &[f64]| {
        if v.is_empty() {
            return json!(null);
        }
        let (median, min, max) = stats(v);
        json!({ "median": median, "min": min, "max": max, "samples": v })
    };
    let out: Vec<Value> = rows
        .iter()
        .map(|r| {
            let ratio = ratio(r);
            json!({
                "workload": r.workload,
                "unit": r.unit,
                "nodestd": summary(&r.nodestd),
                "node": summary(&r.node),
                "ratio": ratio,
                "target": r.target,
                "pass": ratio >= r.target,
            })
        })
        .collect();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&out).expect("JSON values serialize");
    std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}
