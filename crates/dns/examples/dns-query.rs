//! `dns-query`: one DNS query as Node v20 would make it, printed as one JSON line (the
//! contract of issue 16, twin of `tests/node/dns-query.js`).
//!
//! `dns-query --server HOST:PORT [--timeout MS] [--tries N] [--hex] [--repeat N --inflight K]
//! METHOD NAME [ARG]`. Success: `{"result": ...}`, exit 0; failure: `{"error": {code, errno,
//! syscall, hostname}}`, exit 1; usage errors: exit 2.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_dns::{AnyRecord, Error, Lookup, LookupOptions, Records, Resolver, ResolverOptions};
use serde_json::{Value, json};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (code, line) = run(&args);
    if let Some(line) = line {
        println!("{line}");
    }
    std::process::exit(code);
}

struct Cli {
    server: Option<String>,
    timeout: Option<f64>,
    tries: Option<f64>,
    hex: bool,
    repeat: Option<u64>,
    inflight: Option<u64>,
    method: String,
    name: String,
    arg: Option<String>,
}

fn usage(msg: &str) -> (i32, Option<String>) {
    eprintln!("dns-query: {msg}");
    eprintln!(
        "usage: dns-query --server HOST:PORT [--timeout MS] [--tries N] [--hex] [--repeat N --inflight K] METHOD NAME [ARG]"
    );
    (2, None)
}

const METHODS: &[&str] = &[
    "resolve",
    "resolve4",
    "resolve6",
    "resolveAny",
    "resolveCaa",
    "resolveCname",
    "resolveMx",
    "resolveNaptr",
    "resolveNs",
    "resolvePtr",
    "resolveSoa",
    "resolveSrv",
    "resolveTxt",
    "reverse",
    "resolve4-ttl",
    "resolve6-ttl",
    "lookup",
    "lookup-all",
    "lookupService",
];

fn parse(args: &[String]) -> Result<Cli, String> {
    let mut cli = Cli {
        server: None,
        timeout: None,
        tries: None,
        hex: false,
        repeat: None,
        inflight: None,
        method: String::new(),
        name: String::new(),
        arg: None,
    };
    let mut pos = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |n: &str| it.next().cloned().ok_or(format!("{n} needs a value"));
        match a.as_str() {
            "--server" => cli.server = Some(val("--server")?),
            "--timeout" => cli.timeout = Some(js_number(&val("--timeout")?)),
            "--tries" => cli.tries = Some(js_number(&val("--tries")?)),
            "--hex" => cli.hex = true,
            "--repeat" => cli.repeat = Some(val("--repeat")?.parse().map_err(|_| "bad --repeat")?),
            "--inflight" => {
                cli.inflight = Some(val("--inflight")?.parse().map_err(|_| "bad --inflight")?)
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => pos.push(a.clone()),
        }
    }
    if pos.len() < 2 || pos.len() > 3 {
        return Err("expected METHOD NAME [ARG]".into());
    }
    cli.method = pos[0].clone();
    if !METHODS.contains(&cli.method.as_str()) {
        return Err(format!("unknown method {}", cli.method));
    }
    cli.name = pos[1].clone();
    cli.arg = pos.get(2).cloned();
    if cli.hex {
        let h = &cli.name;
        let bytes: Option<Vec<u8>> = (h.len() % 2 == 0)
            .then(|| {
                (0..h.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
                    .collect()
            })
            .flatten();
        let bytes = bytes.ok_or("--hex: NAME is not hex")?;
        cli.name = String::from_utf8_lossy(&bytes).into_owned();
    }
    if cli.repeat.is_some() != cli.inflight.is_some() {
        return Err("--repeat and --inflight go together".into());
    }
    if cli.inflight == Some(0) {
        return Err("--inflight must be at least 1".into());
    }
    Ok(cli)
}

/// JavaScript's `Number(s)` for the strings a command line gives.
fn js_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    let radix = |p: &str, r| {
        t.strip_prefix(p)
            .and_then(|d| u64::from_str_radix(d, r).ok())
            .map(|v| v as f64)
    };
    if let Some(v) = radix("0x", 16)
        .or(radix("0X", 16))
        .or(radix("0o", 8))
        .or(radix("0b", 2))
    {
        return v;
    }
    match t {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        _ if t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') => f64::NAN,
        _ => t.parse().unwrap_or(f64::NAN),
    }
}

fn error_json(e: &Error) -> Value {
    let mut o = serde_json::Map::new();
    o.insert("code".into(), json!(e.code()));
    if let Some(n) = e.errno() {
        o.insert("errno".into(), json!(n));
    }
    if let Some(s) = e.syscall() {
        o.insert("syscall".into(), json!(s));
    }
    if let Some(h) = e.hostname() {
        o.insert("hostname".into(), json!(h));
    }
    json!({ "error": o })
}

fn caa_json(c: &nodestd_dns::Caa) -> serde_json::Map<String, Value> {
    let mut o = serde_json::Map::new();
    o.insert("critical".into(), json!(c.critical));
    o.insert(c.tag.clone(), json!(c.value));
    o
}

fn soa_json(s: &nodestd_dns::Soa) -> Value {
    json!({"nsname": s.nsname, "hostmaster": s.hostmaster, "serial": s.serial,
        "refresh": s.refresh, "retry": s.retry, "expire": s.expire, "minttl": s.minttl})
}

fn naptr_json(n: &nodestd_dns::Naptr) -> Value {
    json!({"flags": n.flags, "service": n.service, "regexp": n.regexp,
        "replacement": n.replacement, "order": n.order, "preference": n.preference})
}

fn with_type(mut v: Value, t: &str) -> Value {
    if let Value::Object(o) = &mut v {
        o.insert("type".into(), json!(t));
    }
    v
}

fn records_json(r: &Records) -> Value {
    match r {
        Records::Names(v) => json!(v),
        Records::AddressesTtl(v) => {
            json!(v.iter().map(|a| json!({"address": a.address, "ttl": a.ttl})).collect::<Vec<_>>())
        }
        Records::Mx(v) => json!(
            v.iter()
                .map(|m| json!({"exchange": m.exchange, "priority": m.priority}))
                .collect::<Vec<_>>()
        ),
        Records::Srv(v) => json!(
            v.iter()
                .map(|s| json!({"name": s.name, "port": s.port, "priority": s.priority, "weight": s.weight}))
                .collect::<Vec<_>>()
        ),
        Records::Naptr(v) => json!(v.iter().map(naptr_json).collect::<Vec<_>>()),
        Records::Caa(v) => json!(v.iter().map(caa_json).collect::<Vec<_>>()),
        Records::Soa(s) => soa_json(s),
        Records::Txt(v) => json!(v),
        Records::Any(v) => json!(
            v.iter()
                .map(|a| match a {
                    AnyRecord::A(x) => json!({"address": x.address, "ttl": x.ttl, "type": "A"}),
                    AnyRecord::Aaaa(x) => {
                        json!({"address": x.address, "ttl": x.ttl, "type": "AAAA"})
                    }
                    AnyRecord::Cname(x) => json!({"value": x, "type": "CNAME"}),
                    AnyRecord::Ns(x) => json!({"value": x, "type": "NS"}),
                    AnyRecord::Ptr(x) => json!({"value": x, "type": "PTR"}),
                    AnyRecord::Mx(m) => {
                        json!({"exchange": m.exchange, "priority": m.priority, "type": "MX"})
                    }
                    AnyRecord::Txt(t) => json!({"entries": t, "type": "TXT"}),
                    AnyRecord::Srv(s) => json!({"name": s.name, "port": s.port,
                        "priority": s.priority, "weight": s.weight, "type": "SRV"}),
                    AnyRecord::Naptr(n) => with_type(naptr_json(n), "NAPTR"),
                    AnyRecord::Soa(s) => with_type(soa_json(s), "SOA"),
                    AnyRecord::Caa(c) => with_type(Value::Object(caa_json(c)), "CAA"),
                    _ => Value::Null,
                })
                .collect::<Vec<_>>()
        ),
        _ => Value::Null,
    }
}

type Fut = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Value, Error>>>>;

/// Starts one query as the twin does; `Err` is Node's synchronous throw.
fn start(cli: &Cli, resolver: &Option<Resolver>) -> Result<Fut, Error> {
    let name = cli.name.as_str();
    let m = cli.method.as_str();
    if m == "lookup" || m == "lookup-all" {
        let options = LookupOptions {
            family: cli.arg.as_deref().map_or(0.0, js_number),
            all: m == "lookup-all",
            ..Default::default()
        };
        // Node's promise lookup throws its argument errors at the call.
        let p = nodestd_dns::promises::lookup(name, options);
        return Ok(Box::pin(async move {
            Ok(match p.await? {
                Lookup::One { address, family } => json!({"address": address, "family": family}),
                Lookup::All(v) => json!(
                    v.iter()
                        .map(|a| json!({"address": a.address, "family": a.family}))
                        .collect::<Vec<_>>()
                ),
            })
        }));
    }
    if m == "lookupService" {
        let port = cli.arg.as_deref().map_or(f64::NAN, js_number);
        let p = nodestd_dns::promises::lookup_service(name, port);
        return Ok(Box::pin(async move {
            let s = p.await?;
            Ok(json!({"hostname": s.hostname, "service": s.service}))
        }));
    }
    let r = resolver.as_ref().expect("a resolver for resolve methods");
    let q = match m {
        "resolve" => r.resolve(name, cli.arg.as_deref().unwrap_or("A"))?,
        "resolve4" => r.resolve4(name),
        "resolve6" => r.resolve6(name),
        "resolve4-ttl" => r.resolve4_ttl(name),
        "resolve6-ttl" => r.resolve6_ttl(name),
        "resolveAny" => r.resolve_any(name),
        "resolveCaa" => r.resolve_caa(name),
        "resolveCname" => r.resolve_cname(name),
        "resolveMx" => r.resolve_mx(name),
        "resolveNaptr" => r.resolve_naptr(name),
        "resolveNs" => r.resolve_ns(name),
        "resolvePtr" => r.resolve_ptr(name),
        "resolveSoa" => r.resolve_soa(name),
        "resolveSrv" => r.resolve_srv(name),
        "resolveTxt" => r.resolve_txt(name),
        _ => r.reverse(name),
    };
    Ok(Box::pin(async move { Ok(records_json(&q.await?)) }))
}

/// Runs the command line: the exit code and the JSON line to print.
pub fn run(args: &[String]) -> (i32, Option<String>) {
    let cli = match parse(args) {
        Ok(c) => c,
        Err(m) => return usage(&m),
    };
    let out: Rc<RefCell<(i32, Option<String>)>> = Rc::new(RefCell::new((2, None)));
    let out2 = Rc::clone(&out);
    nodestd_loop::run(move || {
        let fail = |e: &Error| (1, Some(error_json(e).to_string()));
        let resolver = if cli.method.starts_with("lookup") {
            None
        } else {
            let mut o = ResolverOptions::default();
            if let Some(t) = cli.timeout {
                o.timeout = t;
            }
            if let Some(t) = cli.tries {
                o.tries = t;
            }
            let r = match Resolver::new(o) {
                Ok(r) => r,
                Err(e) => return *out2.borrow_mut() = fail(&e),
            };
            if let Some(s) = &cli.server {
                if let Err(e) = r.set_servers(&[s]) {
                    return *out2.borrow_mut() = fail(&e);
                }
            }
            Some(r)
        };
        if let (Some(n), Some(k)) = (cli.repeat, cli.inflight) {
            bench(cli, resolver, n, k, out2);
            return;
        }
        match start(&cli, &resolver) {
            Err(e) => *out2.borrow_mut() = fail(&e),
            Ok(f) => {
                nodestd_loop::spawn_local(async move {
                    *out2.borrow_mut() = match f.await {
                        Ok(v) => (0, Some(json!({ "result": v }).to_string())),
                        Err(e) => fail(&e),
                    };
                });
            }
        }
    });
    Rc::try_unwrap(out)
        .map(|c| c.into_inner())
        .unwrap_or((2, None))
}

fn bench(
    cli: Cli,
    resolver: Option<Resolver>,
    n: u64,
    k: u64,
    out: Rc<RefCell<(i32, Option<String>)>>,
) {
    let t0 = std::time::Instant::now();
    let cli = Rc::new(cli);
    let counts = Rc::new(RefCell::new((0u64, 0u64, 0u64))); // started, ok, errors
    for _ in 0..k.min(n) {
        let (cli, resolver, counts, out) = (
            Rc::clone(&cli),
            resolver.clone(),
            Rc::clone(&counts),
            Rc::clone(&out),
        );
        nodestd_loop::spawn_local(async move {
            loop {
                {
                    let mut c = counts.borrow_mut();
                    if c.0 >= n {
                        break;
                    }
                    c.0 += 1;
                }
                let ok = match start(&cli, &resolver) {
                    Ok(f) => f.await.is_ok(),
                    Err(_) => false,
                };
                let mut c = counts.borrow_mut();
                if ok {
                    c.1 += 1
                } else {
                    c.2 += 1
                }
                if c.1 + c.2 == n {
                    let ms = t0.elapsed().as_secs_f64() * 1000.0;
                    *out.borrow_mut() = (0, Some(json!({"bench": {"n": n, "inflight": k, "ok": c.1, "errors": c.2, "ms": ms}}).to_string()));
                }
            }
        });
    }
    if n == 0 {
        *out.borrow_mut() = (
            0,
            Some(
                json!({"bench": {"n": 0, "inflight": k, "ok": 0, "errors": 0, "ms": 0}})
                    .to_string(),
            ),
        );
    }
}
