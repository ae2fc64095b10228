//! The plain process facts and their errors against live `node`
//! (`crates/conformance/node/process_info.js`): platform, arch, execArgv, the signal table,
//! `umask` with octal strings (10,000 generated strings, valid and not), `chdir`
//! errors (code, errno, syscall, message) and `kill` errors; plus local checks of argv, env,
//! clocks and usage figures.

use std::io::Write;
use std::process::{Command, Stdio};

use nodestd_process as process;
use serde_json::{Value, json};

fn node_available() -> bool {
    let ok = Command::new("node").arg("--version").output().is_ok();
    if !ok {
        println!("SKIPPED: `node` is not installed");
    }
    ok
}

fn err_json(e: &process::ProcessError) -> Value {
    json!({"err": {"code": e.code(), "errno": e.errno(), "syscall": e.syscall(), "message": e.message()}})
}

/// SplitMix64, seeded, for the generated umask strings.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn umask_inputs() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "0",
        "22",
        "0022",
        "777",
        "0777",
        "1777",
        "37777777777",
        "40000000000",
        "77777777777",
        "777777777777",
        "00000000000000000022",
        " 22",
        "22 ",
        "8",
        "0x1f",
        "-1",
        "+7",
        "07a",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut seed = 0x5eed_u64;
    let alphabet = b"0123456777777789ax -+";
    while v.len() < 10_000 {
        let len = (next(&mut seed) % 18) as usize;
        let octal_only = next(&mut seed) % 4 != 0;
        let s: String = (0..len)
            .map(|_| {
                let r = next(&mut seed) as usize;
                if octal_only {
                    (b'0' + (r % 8) as u8) as char
                } else {
                    alphabet[r % alphabet.len()] as char
                }
            })
            .collect();
        v.push(s);
    }
    v
}

fn dead_pid() -> i32 {
    let mut c = Command::new("true").spawn().expect("spawn true");
    let pid = c.id() as i32;
    c.wait().expect("wait");
    pid
}

#[test]
fn facts_and_errors_match_node() {
    if !node_available() {
        return;
    }
    let umask = umask_inputs();
    let long = "x".repeat(5000);
    let chdir = vec![
        ".".to_string(),
        "/nonexistent/x".to_string(),
        "/etc/passwd".to_string(),
        "/etc/passwd/x".to_string(),
        String::new(),
        format!("/{long}"),
        "/nonexistent\0/etc".to_string(),
        "\0".to_string(),
    ];
    let dead = dead_pid();
    let mut kill: Vec<Value> = vec![
        json!([dead, "SIGTERM"]),
        json!([dead, 15]),
        json!([dead, 0]),
        json!([dead, "SIGFOO"]),
        json!([dead, "sigterm"]),
        json!([dead, 99]),
        json!([dead, -1]),
        json!([0, 0]),
    ];
    for (name, _) in process::signals::SIGNALS {
        kill.push(json!([dead, name]));
    }
    let input = json!({"umask": umask, "chdir": chdir, "kill": kill});

    let mut child = Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../conformance/node/process_info.js"
        ))
        .current_dir(std::env::current_dir().unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed");
    let node: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(node["platform"], process::platform());
    assert_eq!(node["arch"], process::arch());
    assert_eq!(node["execArgv"], process::exec_argv().len());
    let signals: Vec<Value> = process::signals::SIGNALS
        .iter()
        .map(|(n, v)| json!([n, v]))
        .collect();
    assert_eq!(node["signals"], Value::Array(signals));

    let mut bad = Vec::new();
    for (i, s) in umask.iter().enumerate() {
        let ours = match process::set_umask_str(s) {
            Ok(old) => json!({"ok": process::set_umask(old)}),
            Err(e) => err_json(&e),
        };
        if ours != node["umask"][i] {
            bad.push(format!(
                "umask({s:?}): nodestd {ours} node {}",
                node["umask"][i]
            ));
        }
    }
    for (i, p) in chdir.iter().enumerate() {
        let ours = match process::chdir(p) {
            Ok(()) => json!({"ok": process::cwd().unwrap().to_string_lossy()}),
            Err(e) => err_json(&e),
        };
        if ours != node["chdir"][i] {
            bad.push(format!(
                "chdir({p:?}): nodestd {ours} node {}",
                node["chdir"][i]
            ));
        }
    }
    for (i, k) in kill.iter().enumerate() {
        let pid = k[0].as_i64().unwrap() as i32;
        let r = match &k[1] {
            Value::String(s) => process::kill(pid, s.as_str()),
            v => process::kill(pid, v.as_i64().unwrap() as i32),
        };
        let ours = match r {
            Ok(b) => json!({"ok": b}),
            Err(e) => err_json(&e),
        };
        if ours != node["kill"][i] {
            bad.push(format!("kill{k}: nodestd {ours} node {}", node["kill"][i]));
        }
    }
    assert!(
        bad.is_empty(),
        "{} differences, first: {:#?}",
        bad.len(),
        &bad[..bad.len().min(10)]
    );
}

#[test]
fn argv_layout_and_env() {
    let argv = process::argv();
    assert_eq!(argv[0], process::exec_path());
    assert_eq!(argv[1], process::exec_path());
    assert_eq!(argv.len(), std::env::args_os().count() + 1);
    assert!(process::exec_argv().is_empty());
    assert_eq!(process::version(), format!("v{}", process::NODE_VERSION));
    assert_eq!(process::versions()["node"], process::NODE_VERSION);

    process::env::set("NODESTD_TEST_X", 1);
    assert_eq!(process::env::get("NODESTD_TEST_X").as_deref(), Some("1"));
    process::env::set("NODESTD_TEST_X", true);
    assert_eq!(process::env::get("NODESTD_TEST_X").as_deref(), Some("true"));
    assert!(
        process::env::vars()
            .iter()
            .any(|(k, _)| k == "NODESTD_TEST_X")
    );
    process::env::remove("NODESTD_TEST_X");
    assert_eq!(process::env::get("NODESTD_TEST_X"), None);
    if let Ok(path) = std::env::var("PATH") {
        assert_eq!(process::env::get("PATH"), Some(path));
    }
}

#[test]
fn clocks_and_usage() {
    let t0 = process::hrtime();
    let b0 = process::hrtime_bigint();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let d = process::hrtime_since(t0);
    assert!(d[0] >= 0 && (0..1_000_000_000).contains(&d[1]));
    let dn = d[0] as u128 * 1_000_000_000 + d[1] as u128;
    assert!(dn >= 20_000_000, "{dn}");
    assert!(process::hrtime_bigint() - b0 >= 20_000_000);
    let up = process::uptime();
    assert!(up > 0.0 && up < 3600.0 * 24.0, "{up}");
    let m = process::memory_usage();
    assert!(m.rss > 1 << 20);
    assert_eq!(m.heap_used, 0);
    let r = process::resource_usage();
    assert!(r.max_rss > 0);
    let c0 = process::cpu_usage(None);
    let mut x = 0u64;
    for i in 0..3_000_000u64 {
        x = x.wrapping_mul(31).wrapping_add(i);
    }
    assert_ne!(x, 1);
    let c1 = process::cpu_usage(Some(c0));
    assert!(c1.user + c1.system <= process::cpu_usage(None).user + process::cpu_usage(None).system);
    assert_eq!(process::ppid(), std::os::unix::process::parent_id());
    assert_eq!(process::pid(), std::process::id());
}

#[test]
fn title_defaults_to_the_executable_and_can_be_set() {
    let exe = process::exec_path();
    assert!(
        exe.ends_with(&process::title()),
        "{} vs {exe}",
        process::title()
    );
    std::thread::spawn(|| {
        process::set_title("nodestd-title-test");
        assert_eq!(process::title(), "nodestd-title-test");
        let comm = std::fs::read_to_string("/proc/thread-self/comm").unwrap();
        assert_eq!(
            comm.trim_end(),
            "nodestd-title-t",
            "the kernel keeps 15 bytes"
        );
    })
    .join()
    .unwrap();
}
