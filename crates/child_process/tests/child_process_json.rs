//! The json module against node's `JSON.parse` + `JSON.stringify`: random JSON texts (numbers
//! in every notation, escapes, lone surrogates, array-index and repeated keys, nesting, odd
//! whitespace, and invalid texts) go through node in one batch and through `json::parse` /
//! `Value::to_json` here; the outputs (or the fact of an error) must agree. The seed is
//! printed; a failing seed goes into `SEEDS` as a regression case.

use std::io::Write;
use std::process::{Command, Stdio};

use nodestd_child_process::json;

/// Regression seeds (none has failed yet), run besides a fresh one.
const SEEDS: &[u64] = &[1, 2, 3];
const TEXTS_PER_SEED: usize = 2000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn ws(r: &mut Rng) -> &'static str {
    ["", "", " ", "\n", "\t", "\r\n "][r.below(6) as usize]
}

fn string(r: &mut Rng) -> String {
    let mut s = String::from("\"");
    for _ in 0..r.below(6) {
        s.push_str(r.pick(&[
            "a",
            "é",
            "😀",
            "\\n",
            "\\\"",
            "\\\\",
            "\\/",
            "\\u0000",
            "\\u001f",
            "\\ud800",
            "\\udc00",
            "\\ud83d\\ude00",
            "\\uD834",
            "\\u2028",
            "\u{7f}",
            "0",
            "1",
            "__proto__",
        ]));
    }
    s.push('"');
    s
}

fn number(r: &mut Rng) -> String {
    r.pick(&[
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "1e21",
        "1E-7",
        "123456789012345678901234567890",
        "0.1",
        "1e400",
        "-1e-400",
        "5e-324",
        "9007199254740993",
        "1.0",
        "10",
        "4294967295",
        "2.5e+3",
        "0.000001",
        "1e-7",
        "100e-2",
    ])
    .to_owned()
}

fn value(r: &mut Rng, depth: u32) -> String {
    let k = if depth > 4 { r.below(4) } else { r.below(7) };
    match k {
        0 => r.pick(&["null", "true", "false"]).to_owned(),
        1 => number(r),
        2 | 3 => string(r),
        4 => {
            let items: Vec<String> = (0..r.below(4))
                .map(|_| format!("{}{}{}", ws(r), value(r, depth + 1), ws(r)))
                .collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let items: Vec<String> = (0..r.below(5))
                .map(|_| {
                    let key = match r.below(3) {
                        0 => format!(
                            "\"{}\"",
                            r.pick(&["0", "1", "10", "2", "01", "-1", "4294967294", "4294967295"])
                        ),
                        1 => format!("\"{}\"", r.pick(&["a", "b", "a", "cmd", ""])),
                        _ => string(r),
                    };
                    format!("{}{key}{}:{}{}", ws(r), ws(r), ws(r), value(r, depth + 1))
                })
                .collect();
            format!("{{{}}}", items.join(","))
        }
    }
}

fn text(r: &mut Rng) -> String {
    let v = format!("{}{}{}", ws(r), value(r, 0), ws(r));
    // One in eight texts is broken on purpose.
    match r.below(16) {
        0 => v.chars().take(v.chars().count() / 2).collect(),
        1 => format!("{v},"),
        _ => v,
    }
}

fn node_outputs(texts: &[String]) -> Vec<String> {
    let script = "const lines = require('fs').readFileSync(0, 'utf8').split('\\n'); lines.pop();\
        for (const l of lines) { let o; try { o = JSON.stringify(JSON.parse(JSON.parse(l))); } \
        catch { o = 'ERROR'; } console.log(JSON.stringify(o)); }";
    let mut child = Command::new("node")
        .args(["-e", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (v20) must be on PATH: it is the specification");
    let mut input = String::new();
    for t in texts {
        // Each text travels as a JSON string, so newlines in it survive.
        input.push_str(&json::Value::string(t).to_json());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| json::parse(l).unwrap().as_str().unwrap())
        .collect()
}

fn check_seed(seed: u64) {
    println!("seed {seed}");
    let mut r = Rng(seed.max(1));
    let texts: Vec<String> = (0..TEXTS_PER_SEED).map(|_| text(&mut r)).collect();
    let node = node_outputs(&texts);
    assert_eq!(node.len(), texts.len());
    for (t, n) in texts.iter().zip(&node) {
        let ours = json::parse(t).map_or_else(|_| "ERROR".to_owned(), |v| v.to_json());
        assert_eq!(&ours, n, "seed {seed}: text {t:?}");
    }
}

#[test]
fn parse_and_stringify_agree_with_node() {
    let fresh = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    for &seed in SEEDS.iter().chain([fresh].iter()) {
        check_seed(seed);
    }
}
