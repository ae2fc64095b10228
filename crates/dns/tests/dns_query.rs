//! The `dns-query` contract against a real DNS server on loopback (tests/common/server.rs):
//! every query gives the same JSON through the example and through node's twin
//! (tests/node/dns-query.js), compared as the contract says (parsed JSON, key order ignored,
//! the top-level result array of `resolve*` and `reverse` sorted).

#[allow(dead_code)]
#[path = "../examples/dns-query.rs"]
mod dns_query;

#[path = "common/server.rs"]
mod server;

use serde_json::Value;

/// Canonical JSON: object keys sorted, recursively.
fn canon(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let mut keys: Vec<_> = o.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canon(&o[*k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canon).collect::<Vec<_>>().join(",")),
        _ => v.to_string(),
    }
}

/// The contract's comparison form of one output line.
fn normal(method: &str, line: &str) -> String {
    let mut v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}"));
    if method.starts_with("resolve") || method == "reverse" {
        if let Some(Value::Array(a)) = v.get_mut("result") {
            a.sort_by_key(canon);
        }
    }
    canon(&v)
}

fn node_run(args: &[String]) -> (i32, String) {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new("node")
        .arg(format!("{dir}/tests/node/dns-query.js"))
        .args(args)
        .output()
        .expect("node (v20) must be installed to run this test");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    )
}

/// Runs one command line through node's twin and through the example; a description of the
/// difference, if any.
fn compare(args: &[&str]) -> Option<String> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    // The method is the first argument that is not an option or an option's value.
    let mut rest = args.iter();
    let mut method = String::new();
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--server" | "--timeout" | "--tries" | "--repeat" | "--inflight" => {
                rest.next();
            }
            "--hex" => {}
            m => {
                method = m.to_string();
                break;
            }
        }
    }
    let (ncode, nline) = node_run(&args);
    let (rcode, rline) = dns_query::run(&args);
    let rline = rline.unwrap_or_default();
    eprintln!("{args:?} -> {rline}");
    (ncode != rcode || normal(&method, &nline) != normal(&method, &rline))
        .then(|| format!("{args:?}\n  node ({ncode}): {nline}\n  rust ({rcode}): {rline}"))
}

#[test]
fn dns_query_matches_node() {
    let addr = server::start().to_string();
    let cases: &[&[&str]] = &[
        &["resolve4", "a.test"],
        &["resolve4-ttl", "a.test"],
        &["resolve6", "a.test"],
        &["resolve6-ttl", "a.test"],
        &["resolve4", "alias.test"],
        &["resolve4-ttl", "alias.test"],
        &["resolveCname", "alias.test"],
        &["resolveCname", "a.test"],
        &["resolveMx", "mx.test"],
        &["resolveTxt", "txt.test"],
        &["resolveSrv", "srv.test"],
        &["resolveNaptr", "naptr.test"],
        &["resolveNs", "ns.test"],
        &["resolvePtr", "ptr.test"],
        &["resolveSoa", "soa.test"],
        &["resolveCaa", "caa.test"],
        &["resolveAny", "any.test"],
        &["resolve", "mx.test", "MX"],
        &["resolve", "a.test"],
        &["resolve", "a.test", "BOGUS"],
        &["reverse", "192.0.2.1"],
        &["reverse", "2001:db8::1"],
        &["reverse", "not-an-ip"],
        &["resolveMx", "a.test"],
        &["resolve4", "nxdomain.test"],
        &["resolve4", "servfail.test"],
        &["resolve4", "refused.test"],
        &["resolve4", "big.test"],
        &["resolve4", ""],
        &["resolve4", &"x".repeat(64)],
        &["resolveSoa", "a.test"],
        &["resolve4", "bücher.test"],
        &["resolve4", "MiXeD_CaSe*.Test."],
        &["resolve4", "a!b.test"],
        &["resolve4", "a..b"],
        &["resolve4", "a b.test"],
        &["resolve4", "xn--zz.test"],
        &["resolve4", "a\\.b.test"],
        &["--hex", "resolve4", "612e7465737400782e79"],
        &["--hex", "lookup", "6c6f63616c686f737400"],
        &["resolveAny", "nxdomain.test"],
        &["resolveAny", "alias.test"],
        &["resolveAny", "a.test"],
        &["resolve6", "alias.test"],
        &["resolvePtr", "a.test"],
        &["resolveCaa", "nxdomain.test"],
        &["reverse", "127.0.0.1"],
        &["reverse", "192.0.2.200"],
        &["reverse", "::1"],
        &["resolve", "ns.test", "NS"],
        &["resolve", "txt.test", "TXT"],
        &["resolve", "soa.test", "SOA"],
        &["resolve", "any.test", "ANY"],
        &["resolve", "caa.test", "CAA"],
        &["resolve", "srv.test", "SRV"],
        &["resolve", "naptr.test", "NAPTR"],
        &["resolve", "ptr.test", "PTR"],
        &["resolve", "alias.test", "CNAME"],
        &["resolve", "a.test", "AAAA"],
        &["resolve", "a.test", "mx"],
        &["lookupService", "::1", "80"],
        &["--tries", "0", "resolve4", "a.test"],
        &["--timeout", "-2", "resolve4", "a.test"],
        &["--timeout", "1.5", "resolve4", "a.test"],
        &["--timeout", "abc", "resolveMx", "mx.test"],
        &["--timeout", "0x10", "resolveMx", "mx.test"],
        &["lookup", "LOCALHOST", "abc"],
        &["lookup", "localhost"],
        &["lookup-all", "localhost", "4"],
        &["lookup", "localhost", "5"],
        &["lookup", "nonexistent.invalid"],
        &["lookup", ""],
        &["lookup", "::1", "4"],
        &["lookupService", "127.0.0.1", "22"],
        &["lookupService", "x", "22"],
        &["lookupService", "127.0.0.1", "x"],
        &["resolvePtr", "odd.test"],
        &["resolveMx", "odd.test"],
        &["resolveAny", "odd.test"],
        &["resolveTxt", "chunks.test"],
        &["resolveCaa", "caa-odd.test"],
        &["resolveAny", "caa-odd.test"],
        &["resolve4", "long.test"],
        &["resolve6-ttl", "long.test"],
        &["resolveMx", "long.test"],
        &["resolve4", "short-a.test"],
        &["resolveTxt", "empty-txt.test"],
        &["resolveCaa", "caa-notag.test"],
        &["resolveCaa", "caa-novalue.test"],
        &["resolve4", "all-https.test"],
        &["resolve4", "all-unknown.test"],
        &["resolveAny", "all-unknown.test"],
    ];
    let mut failures = Vec::new();
    for case in cases {
        let mut args = vec!["--server", &addr, "--timeout", "500"];
        args.extend(case.iter());
        failures.extend(compare(&args));
    }
    // Usage errors: exit 2 and nothing on stdout, on both sides.
    for bad in [
        &["resolve4"][..],
        &["bogus", "a.test"],
        &["--frob", "resolve4", "a.test"],
        &["--hex", "resolve4", "zz"],
        &["--repeat", "3", "resolve4", "a.test"],
    ] {
        let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
        let (ncode, nline) = node_run(&args);
        let (rcode, rline) = dns_query::run(&args);
        if (ncode, nline.as_str(), rcode, rline.as_deref()) != (2, "", 2, None) {
            failures.push(format!(
                "{bad:?}: node {ncode} {nline:?}, rust {rcode} {rline:?}"
            ));
        }
    }
    // A server that is not an IP address: ERR_INVALID_IP_ADDRESS on both sides.
    failures.extend(compare(&["--server", "localhost:53", "resolve4", "a.test"]));
    // A server that is not there: ECONNREFUSED on both sides.
    let closed = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let closed_addr = closed.local_addr().unwrap().to_string();
    drop(closed);
    failures.extend(compare(&[
        "--server",
        &closed_addr,
        "--tries",
        "1",
        "resolveNs",
        "a.test",
    ]));
    // A name that never answers: ETIMEOUT after the tries (c-ares raises 100 ms to its floor
    // of 250 ms, then 250-500 ms), both sides.
    let t0 = std::time::Instant::now();
    failures.extend(compare(&[
        "--server",
        &addr,
        "--timeout",
        "100",
        "--tries",
        "2",
        "resolve4",
        "timeout.test",
    ]));
    assert!(
        t0.elapsed().as_millis() >= 500,
        "node's and ours: two tries each took {:?}",
        t0.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len() + 1,
        failures.join("\n")
    );
}

/// Answers c-ares 1.34 must drop or survive (tests/common/server.rs's `replies`), each through
/// node's twin and the example against the same server: the same JSON, and the same number of
/// queries reached the server over UDP and over TCP (so the retries and the switch to TCP
/// are c-ares' too). An answer to another id, name, type or class, or from another port, is
/// dropped and the query keeps waiting (a right answer after it wins, none is `ETIMEOUT`);
/// the name is compared without regard to case (Node does not turn on DNS 0x20); a
/// malformed answer (no question, a truncated one cut inside a record, a record of an
/// unknown class) fails the try; a truncated answer moves the query to TCP for its remaining
/// tries, where frames for other questions are skipped, and a malformed frame or a closed
/// connection fails the try; SERVFAIL-like rcodes end the query at once (Node sets
/// `ARES_FLAG_NOCHECKRESP`), an rcode c-ares does not name reads as an answer.
#[test]
fn misbehaving_servers_match_node() {
    let addr = server::start();
    let s = addr.to_string();
    // (options, method, name)
    let cases: &[(&[&str], &str, &str)] = &[
        (&[], "resolve4", "wrong-first.test"),
        (&["--tries", "2"], "resolve4", "only-wrong.test"),
        (&[], "resolve4", "case.test"),
        (&[], "resolve4", "other-port.test"),
        (&["--tries", "2"], "resolve4", "only-other-port.test"),
        (&[], "resolve4", "empty-first.test"),
        (&["--tries", "2"], "resolve4", "zero-qd.test"),
        (&["--tries", "2"], "resolve4", "tc-cut.test"),
        (&[], "resolve4", "tc-wrong.test"),
        (&["--tries", "2"], "resolve4", "tc-onlywrong.test"),
        (&["--tries", "3"], "resolve4", "tc-bad.test"),
        (&["--tries", "3"], "resolve4", "tc-close.test"),
        (&["--tries", "2"], "resolve4", "tc-silent.test"),
        (&[], "resolve4", "tc-tc.test"),
        (&["--tries", "3"], "resolve4", "big.test"),
        (&["--tries", "3"], "resolve4", "servfail.test"),
        (&["--tries", "3"], "resolve4", "refused.test"),
        (&["--tries", "3"], "resolve4", "notimp.test"),
        (&["--tries", "3"], "resolve4", "formerr.test"),
        (&[], "resolve4", "rcode6.test"),
        (&["--tries", "2"], "resolve4", "badclass.test"),
        (&["--tries", "2"], "resolveAny", "wrong-first.test"),
    ];
    let mut failures = Vec::new();
    for (opts, method, name) in cases {
        let mut args: Vec<String> = ["--server", s.as_str(), "--timeout", "100"]
            .iter()
            .chain(opts.iter())
            .chain([method, name])
            .map(|a| a.to_string())
            .collect();
        if opts.is_empty() {
            args[3] = "500".into();
        }
        let (ncode, nline) = node_run(&args);
        let nseen = server::seen(addr, name);
        let (rcode, rline) = dns_query::run(&args);
        let rseen = server::seen(addr, name);
        let rline = rline.unwrap_or_default();
        eprintln!("{args:?} -> {rline} (udp, tcp) = {rseen:?}");
        if ncode != rcode || normal(method, &nline) != normal(method, &rline) || nseen != rseen {
            failures.push(format!(
                "{args:?}\n  node ({ncode}, {nseen:?}): {nline}\n  rust ({rcode}, {rseen:?}): {rline}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
