//! Differential test of `nodestd-path` against live node: random paths built from the
//! segments that matter to Node's algorithms (`.`, `..`, empty, `/`, `\`, drives, UNC roots,
//! device namespaces, reserved names, unicode that changes length when lower-cased, dots in
//! names …) for every function of `path.posix` and `path.win32`, answered by
//! `node/path_driver.js` (one node process) and by the `conform` family in-process; the
//! answers must be identical.
//!
//! Each function of each namespace gets at least 10,000 inputs per run (twice as many
//! outside quick mode). `NODESTD_SEED=<n>` replays a run.

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use serde_json::{Map, Value, json};

/// Path pieces; paths are sequences of these glued by separators.
const SEGMENTS: &[&str] = &[
    ".",
    "..",
    "",
    "/",
    "\\",
    "C:",
    "c:\\",
    "D:/",
    "z:",
    "\\\\server\\share",
    "//server/share",
    "//",
    "\\\\",
    "\\\\?\\",
    "\\\\.\\",
    "\\\\?\\UNC\\srv\\sh",
    "\\\\.\\pipe\\p",
    "//?/C:",
    "a",
    "b",
    "foo",
    "Foo",
    "FOO",
    "a.b.",
    ".x",
    "...",
    "a..b",
    ".git",
    "index.html",
    "file.tar.gz",
    "x y",
    " ",
    "日本",
    "é",
    "É",
    "İ",
    "i̇",
    "ǅ",
    "ß",
    "Σ",
    "ΑΣ",
    "K",
    "Ⱥ",
    "😀",
    "a😀.b",
    "CON",
    "con:",
    "COM1",
    "lpt9:",
    "NUL.txt",
    "AUX:x",
    "PRN",
    "COM1é",
    "?",
    ":",
    "a:b",
    "file:stream",
    "~",
    "\t",
    "%20",
];

const SEPARATORS: &[&str] = &["/", "\\", "", "//", "\\\\", "/\\"];

const CWDS: &[&str] = &[
    "/tmp/cwdfix",
    "/",
    "/home/İ/Ünïcode",
    "C:\\work\\dir",
    "c:/Users/x",
    "\\\\srv\\share\\d",
    "D:",
    "d:\\",
    "\\",
    "rel/cwd",
];

fn segment(rng: &mut Rng) -> String {
    if rng.chance(1, 12) {
        // A run of random characters from a small, path-heavy alphabet.
        const ALPHABET: &[char] = &['a', 'B', '.', '/', '\\', ':', ' ', 'é', '😀', 'c', 'C', '?'];
        let n = rng.below(6);
        return (0..n).map(|_| *rng.pick(ALPHABET)).collect();
    }
    (*rng.pick(SEGMENTS)).to_owned()
}

fn path(rng: &mut Rng) -> String {
    let n = rng.below(6);
    let mut s = String::new();
    if rng.chance(1, 4) {
        s.push_str(rng.pick::<&str>(SEPARATORS));
    }
    for i in 0..n {
        if i > 0 {
            s.push_str(rng.pick::<&str>(SEPARATORS));
        }
        s.push_str(&segment(rng));
    }
    if rng.chance(1, 4) {
        s.push_str(rng.pick::<&str>(SEPARATORS));
    }
    s
}

/// Mostly a path; now and then a value of the wrong type, to check Node's validation.
fn arg(rng: &mut Rng) -> Value {
    if rng.chance(1, 60) {
        return rng
            .pick(&[json!(null), json!(1), json!(true), json!({}), json!([])])
            .clone();
    }
    Value::String(path(rng))
}

fn args(rng: &mut Rng, max: usize) -> Vec<Value> {
    let n = rng.below(max + 1);
    (0..n).map(|_| arg(rng)).collect()
}

/// A suffix for `basename`: often a tail of the path (so it matches), sometimes anything.
fn suffix(rng: &mut Rng, p: &str) -> Value {
    match rng.below(5) {
        0 => Value::String(segment(rng)),
        1 if rng.chance(1, 10) => json!(null),
        _ => {
            let chars: Vec<char> = p.chars().collect();
            let k = rng.below(chars.len() + 2).min(chars.len());
            Value::String(chars[chars.len() - k..].iter().collect())
        }
    }
}

fn format_value(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => json!(null),
        1 => json!(0),
        2 => json!(1),
        3 => json!(false),
        4 => json!(true),
        5 => json!(["."]),
        6 => json!([".x"]),
        7 => json!({}),
        8 => json!(""),
        _ => Value::String(if rng.chance(1, 2) {
            segment(rng)
        } else {
            path(rng)
        }),
    }
}

fn format_arg(rng: &mut Rng) -> Value {
    if rng.chance(1, 40) {
        return rng
            .pick(&[json!(null), json!("a/b"), json!(1), json!([]), json!(true)])
            .clone();
    }
    let mut m = Map::new();
    for key in ["root", "dir", "base", "ext", "name"] {
        if rng.chance(1, 2) {
            m.insert(key.into(), format_value(rng));
        }
    }
    // Make `dir === root` happen now and then.
    if rng.chance(1, 6) {
        if let Some(root) = m.get("root").cloned() {
            m.insert("dir".into(), root);
        }
    }
    Value::Object(m)
}

const FUNCTIONS: &[&str] = &[
    "join",
    "resolve",
    "normalize",
    "relative",
    "dirname",
    "basename",
    "extname",
    "parse",
    "format",
    "isAbsolute",
    "toNamespacedPath",
];

fn record(rng: &mut Rng, ns: &str, func: &str) -> Value {
    let (args, uses_cwd) = match func {
        "join" => (args(rng, 5), false),
        "resolve" => (args(rng, 5), true),
        "relative" => (vec![arg(rng), arg(rng)], true),
        "basename" => {
            let p = path(rng);
            let mut a = vec![Value::String(p.clone())];
            if rng.chance(2, 3) {
                a.push(suffix(rng, &p));
            }
            if rng.chance(1, 80) {
                a[0] = json!(7);
            }
            (a, false)
        }
        "format" => (vec![format_arg(rng)], false),
        "toNamespacedPath" => (vec![arg(rng)], ns == "win32"),
        _ => (vec![arg(rng)], false),
    };
    let mut m = Map::new();
    m.insert("fn".into(), Value::String(format!("path.{ns}.{func}")));
    m.insert("args".into(), Value::Array(args));
    if uses_cwd {
        m.insert("cwd".into(), Value::String((*rng.pick(CWDS)).to_owned()));
    }
    Value::Object(m)
}

#[test]
fn path_matches_node_on_random_inputs() {
    if !require_node("path_matches_node_on_random_inputs") {
        return;
    }
    let seed = Rng::seed_from_env();
    println!("path differential: seed {seed} (replay with NODESTD_SEED={seed})");
    let mut rng = Rng::new(seed);
    let per_function = if quick() { 10_000 } else { 20_000 };

    let mut records = Vec::new();
    for ns in ["posix", "win32"] {
        for func in FUNCTIONS {
            for _ in 0..per_function {
                records.push(record(&mut rng, ns, func));
            }
        }
    }
    let input: String = records.iter().map(|r| format!("{r}\n")).collect();
    let output = run_driver("path_driver.js", &[], &input);
    let node_answers: Vec<&str> = output.lines().collect();
    assert_eq!(
        node_answers.len(),
        records.len(),
        "node answered {} of {} records (seed {seed})",
        node_answers.len(),
        records.len()
    );

    let mut failures = Vec::new();
    for (rec, node_line) in records.iter().zip(&node_answers) {
        let want: Value = serde_json::from_str(node_line).expect("node writes JSON");
        let got = nodestd_conformance::answer(rec);
        // Compared as text: key order matters, and Map's `==` ignores it.
        let (got_text, want_text) = (got.to_string(), want.to_string());
        if got_text != want_text {
            failures.push(format!("{rec}\n    node {want}\n    ours {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs differ from node (seed {seed}, replay with NODESTD_SEED={seed}); first ones:\n{}",
        failures.len(),
        records.len(),
        failures
            .iter()
            .take(12)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    println!(
        "path differential: {} inputs agree with node",
        records.len()
    );
}
