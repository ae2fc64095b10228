//! Differential test of the WHATWG half of `nodestd-url` against live node: random URL strings
//! and bases, setters, `URLSearchParams` operations (alone and through `url.searchParams`),
//! `domainToASCII`/`domainToUnicode`, `fileURLToPath`/`pathToFileURL`, `url.format(URL)` and
//! `urlToHttpOptions`, all sent to one node process (`node/url_whatwg_driver.js`).
//!
//! Replay a failure with `NODESTD_SEED=<seed>` (printed on failure).

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use nodestd_url::{
    URL, URLFormatOptions, URLSearchParams, domain_to_ascii, domain_to_unicode, file_url_to_path,
    path_to_file_url_from,
};
use serde_json::{Map, Value, json};

const CWD: &str = "/tmp/cwdfix";

const SCHEMES: &[&str] = &[
    "http",
    "https",
    "ws",
    "wss",
    "ftp",
    "file",
    "FILE",
    "HtTp",
    "foo",
    "sc",
    "blob",
    "data",
    "javascript",
    "mailto",
    "urn",
    "a+b-c.d",
    "1x",
    "h\tttp",
    "",
];
const AFTER_SCHEME: &[&str] = &[
    ":",
    "://",
    "://",
    "://",
    ":/",
    ":\\\\",
    ":///",
    "://\\",
    ":\\/",
    "",
    "://localhost/",
];
const USERINFO: &[&str] = &[
    "",
    "",
    "",
    "",
    "user@",
    "user:pass@",
    ":@",
    "u%20:p@",
    "@",
    "a:b:c@",
    "ü@",
    "a b:c\"d@",
    "u@p@",
];
const HOSTS: &[&str] = &[
    "example.com",
    "EXAMPLE.com",
    "0x7f.1",
    "127.0.0.1",
    "127.1",
    "0x7f.0.0.1",
    "4294967295",
    "4294967296",
    "0300.0250.1",
    "1.2.3.4.5",
    "1.2.3.09",
    "1.2.3.4.",
    "0x100000000",
    "[::1]",
    "[1:2::3]",
    "[::ffff:192.168.0.1]",
    "[::127.0.0.1]",
    "[1:2:3:4:5:6:7:8]",
    "[1:2:3:4:5:6:7:8:9]",
    "[v1.x]",
    "[::1",
    "bücher.de",
    "xn--bcher-kva.de",
    "ß.com",
    "faß.de",
    "☕.example",
    "xn--",
    "xn--a",
    "xn--a.com",
    "a..b",
    ".",
    "",
    "%41.com",
    "%zz",
    "a b",
    "a<b",
    "a^b",
    "exa\u{AD}mple.org",
    "localhost",
    "LOCALHOST",
    "a|b",
    "-x.com",
    "x_y",
    "EXAMPLE.\u{3002}com",
    "ＡＢ.com",
    "%E2%98%95.com",
    "a%2Fb",
    "0",
    "09",
    "0x",
    "1.2",
    "host.",
];
const PORTS: &[&str] = &[
    "", "", "", ":", ":80", ":443", ":21", ":8080", ":65535", ":65536", ":0x10", ":00080", ":1a",
    ":-1", ": 1",
];
const PATHS: &[&str] = &[
    "",
    "/",
    "/a/b",
    "/./a/../b",
    "/%2e%2E/x",
    "/..",
    "/a/..",
    "\\a\\b",
    "/a b",
    "/ü",
    "/C|/x",
    "/c:/..",
    "//x",
    "/%",
    "/{}`^|",
    "/a;b",
    "/%2F",
    "/.%2e/",
    "/a/./",
    "/\u{7f}\u{1}",
    "/'\"<>",
    "/C:",
    "/x/C|",
];
const QUERIES: &[&str] = &[
    "",
    "",
    "?",
    "?a=1&b=2",
    "?a b'\"<>",
    "?ü",
    "?%zz",
    "?a=b=c&&d",
    "?+%2B",
    "?`{}",
];
const FRAGMENTS: &[&str] = &["", "", "#", "#x", "#a b`<>", "#ü", "#%", "#\u{0}"];
const RELATIVE: &[&str] = &[
    "",
    ".",
    "..",
    "./x",
    "../../x",
    "/abs",
    "//host/p",
    "///x",
    "\\\\h\\p",
    "?q",
    "#f",
    "x:y",
    "C|/x",
    "C:",
    "/C|/y",
    "file:z",
    "file:/z",
    "file:C|/z",
    "http:rel",
    "https://other/",
    ";x",
    "%2e/",
    "a/b/../c",
    "  g  ",
    "\t/\nx",
    "//",
    "\\x",
    "?",
    "#",
];
const BASES: &[&str] = &[
    "http://a/b/c/d;p?q",
    "https://u:p@h:8/x/y?z#f",
    "file:///C:/dir/file",
    "file://host/share/f",
    "file:///tmp/x/",
    "file:",
    "foo://h/a/b",
    "foo:/a/b",
    "sc:opaque",
    "data:text/plain,x",
    "blob:https://a/b",
    "ws://h",
    "about:blank",
    "not a url",
    "http://[::1]:81/",
];
const NOISE: &[&str] = &[
    " ", "\t", "\n", "\r", "\u{0}", "%", "%2", "%41", "\\", "/", "?", "#", "@", ":", "[", "]", "|",
    "é", "😀", "\u{FFFD}", "..", ".", "<", "^", "`", "'", "\"", "{", "}", "\u{7f}", "\u{200B}",
    "ﬀ", "Ⅸ",
];

fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

fn noisy(rng: &mut Rng, s: &str) -> String {
    let mut s = s.to_owned();
    let n = if rng.chance(1, 3) {
        rng.below(3) + 1
    } else {
        0
    };
    for _ in 0..n {
        let mut boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
        boundaries.push(s.len());
        let at = *rng.pick(&boundaries);
        s.insert_str(at, pick(rng, NOISE));
    }
    s
}

fn random_url(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(1, 10) {
        s.push_str(pick(rng, &[" ", "\t", "\u{1}", "\n "]));
    }
    s.push_str(pick(rng, SCHEMES));
    s.push_str(pick(rng, AFTER_SCHEME));
    s.push_str(pick(rng, USERINFO));
    s.push_str(pick(rng, HOSTS));
    s.push_str(pick(rng, PORTS));
    s.push_str(pick(rng, PATHS));
    s.push_str(pick(rng, QUERIES));
    s.push_str(pick(rng, FRAGMENTS));
    if rng.chance(1, 10) {
        s.push_str(pick(rng, &[" ", "\t", "\u{1f}", " \n"]));
    }
    noisy(rng, &s)
}

fn random_base(rng: &mut Rng) -> String {
    if rng.chance(1, 3) {
        random_url(rng)
    } else {
        pick(rng, BASES).to_string()
    }
}

fn random_relative(rng: &mut Rng) -> String {
    let s = if rng.chance(1, 3) {
        random_url(rng)
    } else {
        let mut s = pick(rng, RELATIVE).to_string();
        if rng.chance(1, 3) {
            s.push_str(pick(rng, PATHS));
            s.push_str(pick(rng, QUERIES));
        }
        s
    };
    noisy(rng, &s)
}

const FIELDS: &[&str] = &[
    "protocol", "username", "password", "host", "hostname", "port", "pathname", "search", "hash",
    "href",
];
const SET_VALUES: &[&str] = &[
    "",
    "http",
    "https:",
    "file",
    "ftp:x",
    "foo",
    "ws",
    "h t",
    "blob",
    "x",
    "u s",
    "a:b@c",
    "é",
    "%41",
    "example.org",
    "example.org:8080",
    "[::1]:3",
    "0x7f.1",
    "a/b",
    "a?b#c",
    "host:99999",
    "h:",
    ":80",
    "80",
    "8080x",
    "65536",
    "0",
    "\t8\n1",
    "/a/../b",
    "x/y",
    "\\p",
    "C|",
    "?q=1",
    "#f",
    "a b<>\"'`{}",
    "http://x/y?z#w",
    "not a url",
    "localhost",
    "xn--",
    "a\u{0}b",
];

fn url_fields(u: &URL) -> Value {
    json!({
        "href": u.href(), "origin": u.origin(), "protocol": u.protocol(),
        "username": u.username(), "password": u.password(), "host": u.host(),
        "hostname": u.hostname(), "port": u.port(), "pathname": u.pathname(),
        "search": u.search(), "hash": u.hash(),
    })
}

fn ok(v: Value) -> Value {
    json!({ "r": v })
}

fn thrown(e: nodestd_url::Error) -> Value {
    let code = e.code();
    json!({ "t": code })
}

const PARAM_TOKENS: &[&str] = &[
    "a", "b", "A", "B", "é", "😀", "\u{FFFD}", "", "a b", "+", "%20", "%zz", "%C3%A9", "%ff",
    "%e2%82", "=", "&", "?", "ﬀ", "\u{0}", "*-._", "~", "%2B", "aa", "ab", "Z",
];

fn random_token(rng: &mut Rng) -> String {
    (0..rng.below(3) + 1)
        .map(|_| pick(rng, PARAM_TOKENS))
        .collect()
}

fn random_query(rng: &mut Rng, pairs: usize) -> String {
    let mut s = String::new();
    if rng.chance(1, 2) {
        s.push('?');
    }
    for i in 0..pairs {
        if i > 0 {
            s.push_str(pick(rng, &["&", "&", "&&"]));
        }
        s.push_str(&random_token(rng));
        if rng.chance(3, 4) {
            s.push('=');
            s.push_str(&random_token(rng));
        }
    }
    s
}

fn random_ops(rng: &mut Rng, n: usize) -> Vec<Value> {
    (0..n)
        .map(|_| {
            let name = random_token(rng);
            let value = random_token(rng);
            match rng.below(10) {
                0 | 1 => json!(["append", name, value]),
                2 => json!(["delete", name]),
                3 => json!(["delete", name, value]),
                4 => json!(["set", name, value]),
                5 => json!(["sort"]),
                6 => json!(["get", name]),
                7 => json!(["getAll", name]),
                8 => {
                    if rng.chance(1, 2) {
                        json!(["has", name])
                    } else {
                        json!(["has", name, value])
                    }
                }
                _ => json!(["entries"]),
            }
        })
        .collect()
}

/// Runs the operations on `params`; `after` reports the state after a mutation.
fn run_ops(
    params: &mut URLSearchParams,
    ops: &[Value],
    mut after: impl FnMut(&URLSearchParams) -> Value,
) -> Vec<Value> {
    let s = |v: &Value, i: usize| v[i].as_str().unwrap_or_default().to_owned();
    ops.iter()
        .map(|op| {
            let name = op[0].as_str().unwrap_or_default();
            let arity = op.as_array().map_or(0, Vec::len);
            match name {
                "append" => {
                    params.append(&s(op, 1), &s(op, 2));
                    after(params)
                }
                "delete" => {
                    let value = (arity > 2).then(|| s(op, 2));
                    params.delete(&s(op, 1), value.as_deref());
                    after(params)
                }
                "set" => {
                    params.set(&s(op, 1), &s(op, 2));
                    after(params)
                }
                "sort" => {
                    params.sort();
                    after(params)
                }
                "get" => json!(params.get(&s(op, 1))),
                "getAll" => json!(params.get_all(&s(op, 1))),
                "has" => {
                    let value = (arity > 2).then(|| s(op, 2));
                    json!(params.has(&s(op, 1), value.as_deref()))
                }
                "entries" => json!(params.entries().collect::<Vec<_>>()),
                _ => Value::Null,
            }
        })
        .collect()
}

/// What nodestd answers for one request.
fn answer(q: &Value) -> Value {
    let str_of = |k: &str| q[k].as_str().unwrap_or_default().to_owned();
    let i = str_of("i");
    match q["k"].as_str().unwrap_or_default() {
        "url" => match URL::parse(&i, q["b"].as_str()) {
            Ok(u) => ok(url_fields(&u)),
            Err(e) => thrown(e),
        },
        "set" => {
            let mut u = match URL::parse(&i, None) {
                Ok(u) => u,
                Err(e) => return thrown(e),
            };
            let v = str_of("v");
            match q["f"].as_str().unwrap_or_default() {
                "protocol" => u.set_protocol(&v),
                "username" => u.set_username(&v),
                "password" => u.set_password(&v),
                "host" => u.set_host(&v),
                "hostname" => u.set_hostname(&v),
                "port" => u.set_port(&v),
                "pathname" => u.set_pathname(&v),
                "search" => u.set_search(&v),
                "hash" => u.set_hash(&v),
                _ => {
                    if let Err(e) = u.set_href(&v) {
                        return thrown(e);
                    }
                }
            }
            ok(url_fields(&u))
        }
        "usp" => {
            let mut p = URLSearchParams::new(&str_of("init"));
            let ops = q["ops"].as_array().cloned().unwrap_or_default();
            ok(json!(run_ops(&mut p, &ops, |p| json!(p.to_string()))))
        }
        "sp" => {
            let mut u = match URL::parse(&i, None) {
                Ok(u) => u,
                Err(e) => return thrown(e),
            };
            let ops = q["ops"].as_array().cloned().unwrap_or_default();
            let mut out = Vec::new();
            for op in &ops {
                // One guard per operation: Node writes the query back after each mutation.
                let mut guard = u.search_params_mut();
                let mutates = matches!(op[0].as_str(), Some("append" | "delete" | "set" | "sort"));
                let r = if mutates {
                    run_ops(&mut guard, std::slice::from_ref(op), |_| Value::Null)
                } else {
                    let mut copy = guard.clone();
                    run_ops(&mut copy, std::slice::from_ref(op), |_| Value::Null)
                };
                drop(guard);
                out.push(if mutates {
                    json!(u.href())
                } else {
                    r.into_iter().next().unwrap_or(Value::Null)
                });
            }
            u.set_search(&str_of("search"));
            out.push(json!([u.href(), u.search_params().to_string()]));
            ok(json!(out))
        }
        "dom" => ok(json!([domain_to_ascii(&i), domain_to_unicode(&i)])),
        "f2p" => match file_url_to_path(&i) {
            Ok(p) => ok(json!(p)),
            Err(e) => thrown(e),
        },
        "p2f" => ok(json!(path_to_file_url_from(CWD, &i).href())),
        "fmt" => match URL::parse(&i, None) {
            Ok(u) => {
                let o = &q["o"];
                let flag = |k: &str, d: bool| o[k].as_bool().unwrap_or(d);
                let opts = URLFormatOptions {
                    auth: flag("auth", true),
                    fragment: flag("fragment", true),
                    search: flag("search", true),
                    unicode: flag("unicode", false),
                };
                ok(json!(u.format(opts)))
            }
            Err(e) => thrown(e),
        },
        "http" => match URL::parse(&i, None).and_then(|u| u.to_http_options()) {
            Ok(o) => {
                let mut m = Map::new();
                m.insert("protocol".into(), json!(o.protocol));
                m.insert("hostname".into(), json!(o.hostname));
                m.insert("hash".into(), json!(o.hash));
                m.insert("search".into(), json!(o.search));
                m.insert("pathname".into(), json!(o.pathname));
                m.insert("path".into(), json!(o.path));
                m.insert("href".into(), json!(o.href));
                if let Some(port) = o.port {
                    m.insert("port".into(), json!(port));
                }
                if let Some(auth) = o.auth {
                    m.insert("auth".into(), json!(auth));
                }
                ok(Value::Object(m))
            }
            Err(e) => thrown(e),
        },
        other => panic!("unknown request kind {other}"),
    }
}

const FILE_PATHS: &[&str] = &[
    "/a/b",
    "a/b",
    "../x",
    "./",
    "/",
    "",
    "a b",
    "%",
    "\\",
    "\t\n\r",
    "#?",
    "[]^|~",
    "\"",
    "é/😀",
    "/x/",
    "//y//",
    "/.",
    "..",
    "a%2Fb",
    "C:\\x",
    "/tmp/../..",
    "{}`<>'",
];

fn requests(rng: &mut Rng, scale: usize) -> Vec<Value> {
    let mut reqs = Vec::new();
    // URL parses: 10,000 × scale, half of them relative to a base.
    for _ in 0..10_000 * scale {
        if rng.chance(1, 2) {
            reqs.push(json!({"k": "url", "i": random_url(rng)}));
        } else {
            reqs.push(json!({"k": "url", "i": random_relative(rng), "b": random_base(rng)}));
        }
    }
    // Setters.
    for _ in 0..4_000 * scale {
        let f = pick(rng, FIELDS);
        let v = if rng.chance(1, 3) {
            random_url(rng)
        } else {
            {
                let v = pick(rng, SET_VALUES);
                noisy(rng, v)
            }
        };
        reqs.push(json!({"k": "set", "i": random_url(rng), "f": f, "v": v}));
    }
    // URLSearchParams: 2,000 lists × 6 operations, some long enough for Node's merge sort.
    for _ in 0..2_000 * scale {
        let pairs = if rng.chance(1, 10) {
            50 + rng.below(30)
        } else {
            rng.below(8)
        };
        let init = random_query(rng, pairs);
        let ops = random_ops(rng, 6);
        reqs.push(json!({"k": "usp", "init": init, "ops": ops}));
    }
    // url.searchParams kept in step with url.search.
    for _ in 0..500 * scale {
        let mut u = random_url(rng);
        if rng.chance(1, 2) {
            let n = rng.below(5);
            u = format!("http://h/p{}#f", random_query(rng, n));
        }
        let ops = random_ops(rng, 4);
        let n = rng.below(4);
        let search = random_query(rng, n);
        reqs.push(json!({"k": "sp", "i": u, "ops": ops, "search": search}));
    }
    // Domains.
    for _ in 0..2_000 * scale {
        let d = pick(rng, HOSTS);
        let d = noisy(rng, d);
        reqs.push(json!({"k": "dom", "i": d}));
    }
    // File URLs and paths.
    for _ in 0..1_000 * scale {
        let mut u = random_url(rng);
        if rng.chance(1, 2) {
            u = format!("file://{}{}", pick(rng, &["", "", "localhost", "host"]), {
                let p = pick(rng, PATHS);
                noisy(rng, p)
            });
        }
        reqs.push(json!({"k": "f2p", "i": u}));
        let p: String = (0..rng.below(4) + 1)
            .map(|_| pick(rng, FILE_PATHS))
            .collect::<Vec<_>>()
            .join(pick(rng, &["/", "", "//"]));
        reqs.push(json!({"k": "p2f", "i": noisy(rng, &p)}));
    }
    // url.format(URL, options) and urlToHttpOptions.
    for _ in 0..1_000 * scale {
        let mut o = Map::new();
        for k in ["auth", "fragment", "search", "unicode"] {
            if rng.chance(2, 3) {
                o.insert(k.into(), json!(rng.chance(1, 2)));
            }
        }
        reqs.push(json!({"k": "fmt", "i": random_url(rng), "o": o}));
        reqs.push(json!({"k": "http", "i": random_url(rng)}));
    }
    reqs
}

#[test]
fn whatwg_url_matches_node() {
    if !require_node("url_whatwg_differential") {
        return;
    }
    check_seed(Rng::seed_from_env());
}

fn check_seed(seed: u64) {
    let mut rng = Rng::new(seed);
    let scale = if quick() { 1 } else { 2 };
    let reqs = requests(&mut rng, scale);
    let input: String = reqs.iter().map(|r| format!("{r}\n")).collect();
    let output = run_driver("url_whatwg_driver.js", &[], &input);
    let node: Vec<Value> = output
        .lines()
        .map(|l| serde_json::from_str(l).expect("driver writes JSON"))
        .collect();
    assert_eq!(node.len(), reqs.len(), "one answer per request");

    let mut failures = Vec::new();
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (req, want) in reqs.iter().zip(&node) {
        let kind = req["k"].as_str().unwrap_or_default().to_owned();
        *counts.entry(kind).or_default() += 1;
        let got = answer(req);
        if got != *want {
            failures.push(format!("request: {req}\n   node: {want}\nnodestd: {got}"));
        }
    }
    eprintln!("url_whatwg_differential: seed {seed}, requests per kind {counts:?}");
    if let Ok(dump) = std::env::var("NODESTD_DUMP") {
        std::fs::write(dump, failures.join("\n\n")).expect("dump failures");
    }
    if !failures.is_empty() {
        panic!(
            "{} of {} requests differ from node (seed {seed}, replay with NODESTD_SEED={seed}); \
             first ones:\n{}",
            failures.len(),
            reqs.len(),
            failures
                .iter()
                .take(15)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}
