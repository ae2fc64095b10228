//! Differential test of the legacy url API against live node: random URLs built from pieces
//! (odd schemes, auth with `@` and `:`, unicode / IPv6 / invalid / upper-case hosts, ports,
//! paths with spaces, quotes, backslashes, tabs and newlines, queries, hashes, `//`
//! prefixes), random mutations of them, and random plain objects for `url.format`.
//!
//! Every input goes to ONE node process (`node/url_legacy_driver.js`) and through the
//! `conform` family code; the answers must be equal. At least 10,000 inputs per function
//! family per run: `url.parse` with each of its three flag combinations, `url.format` of
//! strings and of objects, `url.resolve` and `url.resolveObject`. Replay a failure with the
//! printed `NODESTD_SEED`.

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use nodestd_conformance::{families, outcome_to_json};
use serde_json::{Value, json};

const LEADING: &[&str] = &["", "", "", " ", "\t", " \n ", "\u{a0}", "\u{feff}", "\r\n"];

const SCHEMES: &[&str] = &[
    "",
    "",
    "http:",
    "http:",
    "HTTP:",
    "Http:",
    "https:",
    "ftp:",
    "file:",
    "FILE:",
    "ws:",
    "wss:",
    "gopher:",
    "javascript:",
    "JavaScript:",
    "mailto:",
    "xmpp:",
    "svn+ssh:",
    "a.b-c:",
    "1:",
    "urn:",
    "data:",
    "news:",
    "x:",
    "coap+tcp:",
];

const SLASHES: &[&str] = &["", "//", "//", "//", "/", "///", "\\\\", "/\\", "\\", "\\/"];

const AUTHS: &[&str] = &[
    "",
    "",
    "",
    "user@",
    "user:pw@",
    "a@b@",
    "%40a:b%3A@",
    "us er@",
    "a%zz@",
    "ü@",
    ":@",
    "@",
    "a;b@",
    "%E0%A4%A@",
    "us\"er@",
    "a/b@",
    "a%20b:c@",
    "é:ö@",
    "a\tb@",
    "USER:PASS@",
];

const HOSTS: &[&str] = &[
    "example.com",
    "example.com",
    "EXAMPLE.Com",
    "a.b.c",
    "ÄÖÜ.com",
    "xn--4ca0bs.com",
    "xn--a",
    "xn--",
    "[::1]",
    "[fe80::1%25eth0]",
    "[::ffff:1.2.3.4]",
    "[FE80::AB]",
    "[a b]",
    "[a:b]",
    "[",
    "]",
    "a]",
    "[a",
    "1.2.3.4",
    "0x7f.1",
    "a_b",
    "a b",
    "a'b",
    "a\"b",
    "a<b",
    "a|b",
    "a%41b",
    "",
    "a:b",
    "a..b",
    ".",
    "💩.la",
    "Ａ.com",
    "a\u{200d}b",
    "a\u{200b}b",
    "ex\tample.com",
    "ex\nample",
    "localhost",
    "a^b",
    "a{b}",
    "a`b",
    "*",
    "a,b",
    "a\u{0}b",
    "ß.de",
    "a。b",
    "١1",
    "ﬀ.com",
    "a\u{a0}b",
    "a／b",
    "a\u{80}b",
    "\u{300}a",
    "Σ.gr",
    "İ.com",
    "a\u{7}b",
    "a!$&'()*+,;=b",
    "-a-.com",
    "xn--abc-",
    "xn--Mnchen-3ya",
    "xn--1ug",
    "a١",
    "1א",
    "אa",
    "א1",
    "١1",
    "ب\u{200c}ب",
    "a\u{200c}b",
    "क\u{94d}\u{200d}",
    "ΣΑ.ς",
    "\u{2f00}",
];

const PORTS: &[&str] = &[
    "", "", "", ":80", ":", ":abc", ":0", ":65536", ":8080x", "::1", ":08", ":1:2",
];

const PATHS: &[&str] = &[
    "",
    "",
    "/",
    "/a/b",
    "/a b",
    "/a\"b",
    "/a'b",
    "/a\\b",
    "/a\tb",
    "/a\nb",
    "/./a/../b",
    "/..",
    "/a/.",
    "a/b",
    ";x",
    "/%zz",
    "/ü",
    "/a|b^c`d{e}",
    "/a<b>",
    "//x",
    "/a@b",
    "/a:b",
    "/~user/",
    "\\x\\y",
    "/a\u{3000}b",
    "/a\u{2028}b",
    "/p/a/t/h",
];

const QUERIES: &[&str] = &[
    "",
    "",
    "?",
    "?a=1",
    "?a=1&a=2&b",
    "?q=a b",
    "?x=#",
    "?%zz=%41",
    "?a=1?b=2",
    "?\\",
    "?a+b=c+d",
    "?__proto__=1",
    "?1=a&0=b",
    "?a=%E9",
    "?a='\"<>",
    "?&&=&",
];

const HASHES: &[&str] = &["", "", "#", "#h", "#a b", "#a#b", "#?x", "#\\", "#é", "#\t"];

const TRAILING: &[&str] = &["", "", "", " ", "\t", "\r\n", " x", "\u{feff}"];

const RELATIVES: &[&str] = &[
    "",
    ".",
    "..",
    "../a",
    "./b",
    "a/b",
    "/x",
    "//h/p",
    "?q",
    "#h",
    "g;x",
    "../../../g",
    "mailto:x@y",
    "http:g",
    "https://other/",
    "file:x",
    ".../a",
    "a/..",
    "javascript:alert(1)",
    "//",
    "///",
    "g?y/./x",
    "g#s/../x",
    "./",
    "../",
    "/./g",
    "//user@host",
    "local2@domain2",
    "?",
    "#",
    "HTTP://X",
    "ftp:/x",
    "file:///etc",
    "/..",
    "..//",
    "a/./b/../c",
];

/// Characters for random unicode host labels: Latin, Greek, Cyrillic, CJK, fullwidth forms,
/// Hebrew (R), Arabic (AL, AN), European digits (EN), combining marks (NSM), a virama,
/// joiners, ignored and disallowed code points, dots that map to `.`, emoji.
const HOST_CHARS: &[&str] = &[
    "a",
    "z",
    "0",
    "9",
    "-",
    ".",
    "_",
    "é",
    "ß",
    "ς",
    "Σ",
    "д",
    "中",
    "Ａ",
    "１",
    "．",
    "。",
    "א",
    "ב",
    "ب",
    "ا",
    "١",
    "٠",
    "۰",
    "\u{300}",
    "\u{5b0}",
    "\u{94d}",
    "क",
    "\u{200c}",
    "\u{200d}",
    "\u{200b}",
    "\u{ad}",
    "\u{80}",
    "\u{2028}",
    "\u{fffd}",
    "💩",
    "ﬀ",
    "ǅ",
    "x",
    "n",
    "İ",
    "\u{1f1e6}",
    "\u{e0001}",
    "\u{fe0f}",
    "ⅷ",
    "㎏",
];

/// A random host label soup from [`HOST_CHARS`], sometimes after `xn--`.
fn random_unicode_host(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(1, 6) {
        s.push_str("xn--");
    }
    for _ in 0..1 + rng.below(6) {
        s.push_str(pick(rng, HOST_CHARS));
    }
    s
}

/// Characters sprinkled in by mutation.
const NOISE: &[&str] = &[
    "@", ":", "/", "\\", "?", "#", "%", " ", "\t", "\n", "[", "]", ".", "..", "'", "\"", "<", "^",
    "|", "{", "é", "💩", "\u{0}", "%41", "%2F", ";", "=", "&", "+", "A", "\u{a0}",
];

/// One of `items`.
fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// A random URL from the piece tables, sometimes mutated.
fn random_url(rng: &mut Rng) -> String {
    let mut s = String::new();
    s.push_str(pick(rng, LEADING));
    s.push_str(pick(rng, SCHEMES));
    s.push_str(pick(rng, SLASHES));
    s.push_str(pick(rng, AUTHS));
    if rng.chance(1, 40) {
        s.push_str(&"a".repeat(250 + rng.below(10)));
    }
    if rng.chance(1, 5) {
        s.push_str(&random_unicode_host(rng));
    } else {
        s.push_str(pick(rng, HOSTS));
    }
    s.push_str(pick(rng, PORTS));
    s.push_str(pick(rng, PATHS));
    if rng.chance(1, 4) {
        s.push_str(pick(rng, PATHS));
    }
    s.push_str(pick(rng, QUERIES));
    s.push_str(pick(rng, HASHES));
    s.push_str(pick(rng, TRAILING));
    mutate(rng, s)
}

/// Inserts or deletes a few characters at random positions (one time in three).
fn mutate(rng: &mut Rng, s: String) -> String {
    if !rng.chance(1, 3) {
        return s;
    }
    let mut chars: Vec<String> = s.chars().map(String::from).collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        if rng.chance(1, 3) && at < chars.len() {
            chars.remove(at);
        } else {
            chars.insert(at, pick(rng, NOISE).to_owned());
        }
    }
    chars.concat()
}

fn random_relative(rng: &mut Rng) -> String {
    if rng.chance(1, 2) {
        {
            let r = pick(rng, RELATIVES).to_owned();
            mutate(rng, r)
        }
    } else {
        random_url(rng)
    }
}

/// A random value for a field of a `url.format` object, mostly of the field's usual type.
fn random_field(rng: &mut Rng, usual: &[&'static str]) -> Value {
    match rng.below(20) {
        0 => Value::Null,
        1 => json!(rng.below(3) == 0),
        2 => json!(rng.below(70000)),
        3 => json!(1.5),
        4 => json!([]),
        5 => json!([pick(rng, usual)]),
        6 => json!({}),
        7 => json!(""),
        _ => {
            let v = pick(rng, usual).to_owned();
            json!(mutate(rng, v))
        }
    }
}

fn random_query_object(rng: &mut Rng) -> Value {
    let mut m = serde_json::Map::new();
    for _ in 0..rng.below(4) {
        let key = pick(
            rng,
            &["a", "b", "0", "10", "2", "x y", "é", "__proto__", "01"],
        )
        .to_owned();
        let value = match rng.below(6) {
            0 => json!(rng.below(100)),
            1 => json!(true),
            2 => Value::Null,
            3 => json!(["1", 2, null, [3]]),
            4 => json!([]),
            _ => json!(pick(rng, &["v", "a b", "#", "&=", "ü"])),
        };
        m.insert(key, value);
    }
    Value::Object(m)
}

fn random_format_object(rng: &mut Rng) -> Value {
    let mut m = serde_json::Map::new();
    let fields: [(&str, &[&'static str]); 10] = [
        (
            "protocol",
            &[
                "http",
                "http:",
                "HTTPS:",
                "file",
                "mailto:",
                "javascript:",
                "xmpp",
                "ws:",
            ],
        ),
        ("slashes", &["x"]),
        ("auth", &["user", "user:pw", "a@b", "é", "a b:c/d", "%41"]),
        ("host", &["example.com", "a.com:80", "[::1]:8", "h"]),
        ("port", &["80", "8080", "x"]),
        (
            "hostname",
            &["example.com", "::1", "[::1]", "a:b", "h", "[a]b"],
        ),
        ("hash", &["#h", "h", "#a#b", "?"]),
        ("search", &["?q=1", "q=1", "?a#b", "#"]),
        ("query", &["a=1", "x"]),
        ("pathname", &["/p", "p", "a#b?c", "/a b", "//x"]),
    ];
    for (name, usual) in fields {
        if !rng.chance(1, 2) {
            continue;
        }
        let value = match name {
            "slashes" => match rng.below(4) {
                0 => json!(true),
                1 => json!(false),
                2 => Value::Null,
                _ => json!(1),
            },
            "query" if rng.chance(1, 2) => random_query_object(rng),
            _ => random_field(rng, usual),
        };
        m.insert(name.into(), value);
    }
    if rng.chance(1, 10) {
        m.insert("href".into(), json!("http://ignored/"));
    }
    Value::Object(m)
}

#[test]
fn url_legacy_matches_node() {
    if !require_node("url_legacy_matches_node") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let per_family = if quick() { 10_000 } else { 20_000 };

    let mut calls: Vec<(&str, Vec<Value>)> = Vec::new();
    for _ in 0..per_family {
        // parse: the plain call and each flag combination get `per_family` inputs apiece.
        for flags in [vec![], vec![true], vec![false, true], vec![true, true]] {
            let mut args = vec![json!(random_url(&mut rng))];
            args.extend(flags.into_iter().map(Value::Bool));
            calls.push(("parse", args));
        }
        calls.push(("format", vec![json!(random_url(&mut rng))]));
        calls.push(("format", vec![random_format_object(&mut rng)]));
        let (from, to) = (random_url(&mut rng), random_relative(&mut rng));
        calls.push(("resolve", vec![json!(from), json!(to)]));
        let from = if rng.chance(1, 50) {
            String::new()
        } else {
            random_url(&mut rng)
        };
        calls.push((
            "resolveObject",
            vec![json!(from), json!(random_relative(&mut rng))],
        ));
    }

    let input: String = calls
        .iter()
        .map(|(f, args)| format!("{}\n", json!({"fn": f, "args": args})))
        .collect();
    let output = run_driver("url_legacy_driver.js", &[], &input);
    let node: Vec<&str> = output.lines().collect();
    assert_eq!(
        node.len(),
        calls.len(),
        "node answered every input (seed {seed})"
    );

    let mut failures = Vec::new();
    for ((f, args), node_line) in calls.iter().zip(&node) {
        let expected: Value = serde_json::from_str(node_line).expect("node writes JSON");
        let ours = outcome_to_json(families::call(&format!("url.{f}"), args, None));
        if ours != expected {
            failures.push(format!(
                "url.{f}({})\n   node: {expected}\n   ours: {ours}",
                Value::Array(args.clone())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} calls differ from node (replay with NODESTD_SEED={seed}); first ones:\n{}",
        failures.len(),
        calls.len(),
        failures[..failures.len().min(12)].join("\n")
    );
    let punycoded = node.iter().filter(|l| l.contains("xn--")).count();
    let invalid = node
        .iter()
        .filter(|l| l.contains("ERR_INVALID_URL"))
        .count();
    eprintln!(
        "url_legacy_matches_node: {} calls agree with node (seed {seed}; {punycoded} answers \
         hold punycode, {invalid} are ERR_INVALID_URL)",
        calls.len()
    );
}

/// The hostname `url.parse` gives for `input`, or the error code, as the driver's
/// `hostname` answers it.
fn our_hostname(input: &str) -> Value {
    match nodestd_url::parse(input, false, false) {
        Ok(u) => json!({ "result": u.hostname }),
        Err(e) => json!({ "throws": e.code() }),
    }
}

/// Every code point from U+0080 to U+2FFFF (every third one in quick mode) in three host
/// positions: inside an LTR label (`a?b`), alone, and after a Hebrew letter (`א?`). This is
/// the probe that measured `crates/url/src/legacy/ada_tables.rs` (Ada's older Unicode data):
/// it fails when those tables or the Unicode data under them drift.
#[test]
fn url_legacy_hostnames_match_node_for_every_code_point() {
    if !require_node("url_legacy_hostnames_match_node_for_every_code_point") {
        return;
    }
    let stride = if quick() { 3 } else { 1 };
    let mut inputs = Vec::new();
    for cp in (0x80u32..0x30000).step_by(stride) {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        inputs.push(format!("http://a{c}b/"));
        inputs.push(format!("http://{c}/"));
        inputs.push(format!("http://\u{5d0}{c}/"));
    }
    let lines: String = inputs
        .iter()
        .map(|s| format!("{}\n", json!({"fn": "hostname", "args": [s]})))
        .collect();
    let output = run_driver("url_legacy_driver.js", &[], &lines);
    let node: Vec<&str> = output.split('\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(node.len(), inputs.len(), "node answered every input");
    let mut failures = Vec::new();
    for (input, node_line) in inputs.iter().zip(&node) {
        let expected: Value = serde_json::from_str(node_line).expect("node writes JSON");
        let ours = our_hostname(input);
        if ours != expected {
            let cps: Vec<String> = input
                .chars()
                .filter(|c| !c.is_ascii())
                .map(|c| format!("U+{:04X}", u32::from(c)))
                .collect();
            failures.push(format!(
                "url.parse({input:?}) [{}]\n   node: {expected}\n   ours: {ours}",
                cps.join(" ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} hostnames differ from node; first ones:\n{}",
        failures.len(),
        inputs.len(),
        failures[..failures.len().min(12)].join("\n")
    );
    eprintln!(
        "url_legacy_hostnames_match_node_for_every_code_point: {} hostnames agree",
        inputs.len()
    );
}
