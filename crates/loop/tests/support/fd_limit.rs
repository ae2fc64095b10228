//! Descriptor limits for the resource-exhaustion tests of the loop and process crates
//! (included by path, `#[path = ...] mod fd_limit;`): the open descriptors of this process,
//! lowering `RLIMIT_NOFILE` so that exactly `k` descriptor numbers are free, and running a
//! scenario in a re-executed child of the test binary (the limit is process-wide).

use std::collections::BTreeSet;

/// The open descriptors (the directory's own one left out).
pub fn open_fds() -> BTreeSet<u32> {
    let dir = std::fs::read_dir("/proc/self/fd").expect("read /proc/self/fd");
    let listed: Vec<u32> = dir
        .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
        .collect();
    // The directory's own descriptor is listed too; it is closed now, so the check drops it.
    listed
        .into_iter()
        .filter(|fd| std::fs::metadata(format!("/proc/self/fd/{fd}")).is_ok())
        .collect()
}

/// Lowers `RLIMIT_NOFILE` so that exactly `free` descriptor numbers are available.
pub fn leave_free(free: usize) {
    let open = open_fds();
    let mut n = 0u64;
    let mut seen = 0;
    loop {
        if !open.contains(&(n as u32)) {
            if seen == free {
                break;
            }
            seen += 1;
        }
        n += 1;
    }
    rustix::process::setrlimit(
        rustix::process::Resource::Nofile,
        rustix::process::Rlimit {
            current: Some(n),
            maximum: None,
        },
    )
    .or_else(|_| {
        // Keep the hard limit as it is when it cannot be raised back (not root).
        let old = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        rustix::process::setrlimit(
            rustix::process::Resource::Nofile,
            rustix::process::Rlimit {
                current: Some(n),
                maximum: old.maximum,
            },
        )
    })
    .expect("setrlimit");
}

/// In a child started by [`run_child`] (`env` set): runs `scenario` and prints the line the
/// parent waits for. Otherwise nothing.
pub fn child_entry(env: &str, scenario: impl FnOnce(&str)) {
    if let Ok(name) = std::env::var(env) {
        scenario(&name);
        println!("SCENARIO OK {name}");
    }
}

/// Runs this test binary again with only its `child_entry` test and `env` set to
/// `scenario`; the child must succeed and print `SCENARIO OK <scenario>`.
pub fn run_child(env: &str, scenario: &str) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_entry", "--nocapture", "--test-threads=1"])
        .env(env, scenario)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(&format!("SCENARIO OK {scenario}")),
        "scenario {scenario} failed: {out:?}"
    );
}
