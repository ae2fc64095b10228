//! The os module against live `node` on this machine (`tests/node/os_facts.js`): every value
//! that is stable between two processes is compared exactly (uname, user, host, memory total,
//! parallelism, network interfaces, priorities and their errors, the constants, `tmpdir`
//! under several environments); CPU times and uptime must lie between our readings taken
//! before and after node's, free memory and load within a tolerance.

use std::process::Command;

use serde_json::{Value, json};

/// Node's answers, or `None` (with a loud line) when node is missing outside CI.
fn node(env: &[(&str, Option<&str>)]) -> Option<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/node/os_facts.js");
    let mut cmd = Command::new("node");
    cmd.arg(script);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    match cmd.output() {
        Ok(out) if out.status.success() => {
            Some(serde_json::from_slice(&out.stdout).expect("node printed JSON"))
        }
        Ok(out) => panic!("node failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("os_node: `node` is not on PATH and CI=true: the oracle is required in CI")
        }
        Err(_) => {
            println!("SKIPPED: os_node needs `node` on PATH; nothing was compared");
            None
        }
    }
}

fn pairs(table: &[(&str, i32)]) -> Value {
    Value::Object(
        table
            .iter()
            .map(|&(k, v)| (k.to_owned(), json!(v)))
            .collect(),
    )
}

fn error_json(e: &nodestd_os::OsError) -> Value {
    let mut v = json!({"code": e.code(), "message": e.message()});
    if let Some(errno) = e.errno() {
        v["errno"] = json!(errno);
        v["syscall"] = json!(e.syscall());
        let (code, message) = e.info().expect("a system error has info");
        v["info"] =
            json!({"errno": errno, "code": code, "message": message, "syscall": e.syscall()});
    }
    json!({ "err": v })
}

#[test]
fn os_facts_match_node() {
    let before = nodestd_os::cpus();
    let up_before = nodestd_os::uptime();
    let Some(n) = node(&[]) else { return };
    let after = nodestd_os::cpus();
    let up_after = nodestd_os::uptime();

    // CPUs: same count, models and speeds; node's times between our two readings.
    let ncpus = n["cpus"].as_array().expect("cpus");
    assert_eq!(ncpus.len(), after.len());
    for (i, c) in ncpus.iter().enumerate() {
        assert_eq!(c["model"], json!(after[i].model));
        assert_eq!(c["speed"], json!(after[i].speed));
        let t = |cpu: &nodestd_os::CpuInfo, f: &str| match f {
            "user" => cpu.times.user,
            "nice" => cpu.times.nice,
            "sys" => cpu.times.sys,
            "idle" => cpu.times.idle,
            _ => cpu.times.irq,
        };
        for f in ["user", "nice", "sys", "idle", "irq"] {
            let v = c["times"][f].as_u64().expect("a time");
            assert!(
                t(&before[i], f) <= v && v <= t(&after[i], f),
                "cpu {i} {f}: node {v}, ours {}..{}",
                t(&before[i], f),
                t(&after[i], f)
            );
        }
    }
    let up = n["uptime"].as_f64().expect("uptime");
    assert!(
        up_before <= up && up <= up_after,
        "uptime {up} not in {up_before}..{up_after}"
    );
    let free = n["freemem"].as_f64().expect("freemem");
    let ours = nodestd_os::freemem() as f64;
    assert!(
        (free - ours).abs() < 512.0 * 1024.0 * 1024.0,
        "freemem {free} vs {ours}"
    );
    let load = nodestd_os::loadavg();
    for (i, l) in n["loadavg"].as_array().expect("loadavg").iter().enumerate() {
        let l = l.as_f64().expect("a load");
        assert!((l - load[i]).abs() < 2.0, "loadavg[{i}] {l} vs {}", load[i]);
    }

    // Exact values.
    let ui = nodestd_os::user_info().expect("userInfo");
    let ifaces: serde_json::Map<String, Value> = nodestd_os::network_interfaces()
        .expect("networkInterfaces")
        .into_iter()
        .map(|(name, addrs)| {
            let list = addrs
                .iter()
                .map(|a| {
                    let mut v = json!({
                        "address": a.address, "netmask": a.netmask, "family": a.family,
                        "mac": a.mac, "internal": a.internal, "cidr": a.cidr,
                    });
                    if let Some(s) = a.scopeid {
                        v["scopeid"] = json!(s);
                    }
                    v
                })
                .collect();
            (name, Value::Array(list))
        })
        .collect();
    let result = |r: Result<(), nodestd_os::OsError>| match r {
        Ok(()) => json!({"ok": null}),
        Err(e) => error_json(&e),
    };
    let ours = json!({
        "availableParallelism": nodestd_os::available_parallelism(),
        "totalmem": nodestd_os::totalmem(),
        "hostname": nodestd_os::hostname(),
        "homedir": nodestd_os::homedir().expect("homedir"),
        "tmpdir": nodestd_os::tmpdir(),
        "userInfo": {"uid": ui.uid, "gid": ui.gid, "username": ui.username,
                     "homedir": ui.homedir, "shell": ui.shell},
        "type": nodestd_os::os_type(),
        "release": nodestd_os::release(),
        "version": nodestd_os::version(),
        "machine": nodestd_os::machine(),
        "arch": nodestd_os::arch(),
        "platform": nodestd_os::platform(),
        "endianness": nodestd_os::endianness(),
        "EOL": nodestd_os::EOL,
        "devNull": nodestd_os::DEV_NULL,
        "networkInterfaces": ifaces,
        "getPriority": nodestd_os::get_priority(0).expect("getPriority"),
        "getPriorityMissing": match nodestd_os::get_priority(2147483646) {
            Ok(p) => json!({"ok": p}),
            Err(e) => error_json(&e),
        },
        "setPriorityMissing": result(nodestd_os::set_priority(2147483646, 0)),
        "setPriorityHigh": result(nodestd_os::set_priority(0, 20)),
        "setPriorityLow": result(nodestd_os::set_priority(0, -21)),
        "constants": {
            "UV_UDP_REUSEADDR": nodestd_os::constants::UV_UDP_REUSEADDR,
            "dlopen": pairs(nodestd_os::constants::DLOPEN),
            "errno": pairs(nodestd_os::constants::ERRNO),
            "signals": pairs(nodestd_os::constants::SIGNALS),
            "priority": pairs(nodestd_os::constants::PRIORITY),
        },
    });
    for (key, value) in ours.as_object().expect("an object") {
        assert_eq!(&n[key], value, "os.{key}");
    }
}

/// `os.tmpdir()` under several environments: this test binary re-run as a child with the
/// same environment as node (`NODESTD_OS_TMPDIR_CHILD` makes it print its `tmpdir`).
#[test]
fn tmpdir_matches_node_under_each_environment() {
    if std::env::var_os("NODESTD_OS_TMPDIR_CHILD").is_some() {
        println!("TMPDIR={}", nodestd_os::tmpdir());
        return;
    }
    let cases: &[[Option<&str>; 3]] = &[
        [None, None, None],
        [Some("/x/"), None, None],
        [Some("/"), None, None],
        [Some(""), Some("/t"), Some("/e")],
        [None, Some(""), Some("/e//")],
        [None, None, Some("rel/")],
        [Some("/a/b"), Some("/t"), None],
    ];
    for case in cases {
        let env: Vec<(&str, Option<&str>)> = ["TMPDIR", "TMP", "TEMP"]
            .into_iter()
            .zip(case.iter().copied())
            .collect();
        let Some(n) = node(&env) else { return };
        let mut cmd = Command::new(std::env::current_exe().expect("current_exe"));
        cmd.args([
            "--exact",
            "tmpdir_matches_node_under_each_environment",
            "--nocapture",
        ])
        .env("NODESTD_OS_TMPDIR_CHILD", "1");
        for (k, v) in &env {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        let out = String::from_utf8(cmd.output().expect("run the child").stdout).expect("UTF-8");
        let ours = out
            .lines()
            .find_map(|l| l.strip_prefix("TMPDIR="))
            .expect("the child printed its tmpdir");
        assert_eq!(n["tmpdir"], json!(ours), "tmpdir with {env:?}");
    }
}
