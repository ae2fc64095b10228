//! Differential test of `util.parseArgs` against live node: random configs and argument lists
//! (at least 10,000 per run), all answered by one node process
//! (`node/parseargs_driver.js`), each compared twice:
//!
//! - the typed config through `nodestd_process::parse_args` directly: `values` (in
//!   JavaScript key order), `positionals`, `tokens`, and for errors the code **and** Node's
//!   message text;
//! - the JSON config through the `conform` family (`util.parseArgs`), as an answer line.
//!
//! About one input in eight has a JSON field of the wrong type (`strict: 1`, `short: 5`,
//! `default: null`, `options: []` …); those go through the family only, since a typed config
//! cannot hold them. Options names and shorts are drawn from small pools so shorts collide,
//! `no-` names meet `allowNegative`, and `__proto__` and integer-like names appear.
//! Characters outside the BMP appear only where Node does not split them (long options,
//! values, positionals): splitting them in short groups is a documented deviation. Replay a
//! failure with `NODESTD_SEED=<seed>`.

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use nodestd_process::parse_args::{
    OptionConfig, OptionType, ParseArgsConfig, ParseArgsError, ParsedArgs, Scalar, Token, Value,
};
use serde_json::{Map, Value as Json, json};

/// Inputs per run in quick mode (CI); the full run triples it.
const QUICK_INPUTS: usize = 13_000;

const NAMES: &[&str] = &[
    "foo",
    "bar",
    "verbose",
    "v",
    "x",
    "name",
    "no-foo",
    "no-x",
    "dry-run",
    "color",
    "__proto__",
    "constructor",
    "5",
    "10",
    "é",
    "a",
    "f",
];
const SHORTS: &[&str] = &["a", "b", "f", "v", "x", "n", "V", "5", "-", "=", "é"];
const BAD_SHORTS: &[&str] = &[
    "ab",
    "",
    "😀",
    "it's",
    "a'b\"c",
    "tab\there",
    "\u{7f}",
    "long string with a line break\nand then another line that is long enough to be split by inspect",
];
const VALUES: &[&str] = &[
    "x", "1", "-", "-5", "--x", "", "a b", "é", "😀", "x=y", "'q\"", "\n", "true", "--",
];
const WORDS: &[&str] = &[
    "file.txt", "src/", "pos", "1", "true", "é", "😀x", "", "-", "-5", "--", "x=y", "a b",
];
const WEIRD: &[&str] = &[
    "-",
    "",
    "---",
    "--=",
    "--=a=b",
    "-=",
    "-a-",
    "-a-b",
    "--a=",
    "---x",
    "-é",
    "--é=😀",
    "-ab=c",
    "--x--",
    "-5",
    "-xx",
    "-fVALUE",
    "-nn",
    "-aé",
];

/// A generated option: its name and typed config, and the same as JSON.
struct Opt {
    name: String,
    config: OptionConfig,
    json: Map<String, Json>,
}

fn gen_scalar(rng: &mut Rng) -> (Scalar, Json) {
    if rng.chance(1, 2) {
        let b = rng.chance(1, 2);
        (Scalar::Bool(b), json!(b))
    } else {
        let s = *rng.pick(VALUES);
        (Scalar::String(s.into()), json!(s))
    }
}

fn gen_default(rng: &mut Rng, kind: OptionType, multiple: bool) -> (Value, Json) {
    let matching = rng.chance(4, 5);
    if matching {
        let one = |rng: &mut Rng| match kind {
            OptionType::String => {
                let s = *rng.pick(VALUES);
                (Scalar::String(s.into()), json!(s))
            }
            OptionType::Boolean => {
                let b = rng.chance(1, 2);
                (Scalar::Bool(b), json!(b))
            }
        };
        if multiple {
            let (items, js): (Vec<_>, Vec<_>) = (0..rng.below(3)).map(|_| one(rng)).unzip();
            (Value::List(items), Json::Array(js))
        } else {
            let (s, j) = one(rng);
            (s.into(), j)
        }
    } else if rng.chance(1, 2) {
        let (items, js): (Vec<_>, Vec<_>) = (0..rng.below(4)).map(|_| gen_scalar(rng)).unzip();
        (Value::List(items), Json::Array(js))
    } else {
        let (s, j) = gen_scalar(rng);
        (s.into(), j)
    }
}

fn gen_option(rng: &mut Rng, name: &str) -> Opt {
    let kind = if rng.chance(1, 2) {
        OptionType::String
    } else {
        OptionType::Boolean
    };
    let mut config = OptionConfig::new(kind);
    let mut json = Map::new();
    json.insert(
        "type".into(),
        json!(match kind {
            OptionType::String => "string",
            OptionType::Boolean => "boolean",
        }),
    );
    if rng.chance(3, 5) {
        let short = if rng.chance(1, 40) {
            *rng.pick(BAD_SHORTS)
        } else {
            *rng.pick(SHORTS)
        };
        config = config.short(short);
        json.insert("short".into(), json!(short));
    }
    let mut multiple = false;
    if rng.chance(1, 2) {
        multiple = rng.chance(2, 3);
        config = config.multiple(multiple);
        json.insert("multiple".into(), json!(multiple));
    }
    if rng.chance(1, 4) {
        let (value, j) = gen_default(rng, kind, multiple);
        config = config.default(value);
        json.insert("default".into(), j);
    }
    Opt {
        name: name.to_owned(),
        config,
        json,
    }
}

fn has_astral(s: &str) -> bool {
    s.chars().any(|c| c.len_utf16() == 2)
}

fn gen_arg(rng: &mut Rng, opts: &[Opt]) -> String {
    let name = |rng: &mut Rng| -> String {
        if !opts.is_empty() && rng.chance(3, 4) {
            opts[rng.below(opts.len())].name.clone()
        } else {
            (*rng.pick(NAMES)).to_owned()
        }
    };
    let short = |rng: &mut Rng| -> String {
        let with_short: Vec<&str> = opts.iter().filter_map(|o| o.config.short_name()).collect();
        if !with_short.is_empty() && rng.chance(3, 4) {
            (*rng.pick(&with_short)).to_owned()
        } else {
            (*rng.pick(SHORTS)).to_owned()
        }
    };
    let arg = match rng.below(12) {
        0 | 1 => format!("--{}", name(rng)),
        2 => format!("--{}={}", name(rng), rng.pick(VALUES)),
        3 => format!("--no-{}", name(rng)),
        4 | 5 => format!("-{}", short(rng)),
        6 => {
            let n = 2 + rng.below(3);
            let group: String = (0..n).map(|_| short(rng)).collect();
            format!("-{group}")
        }
        7 => format!("-{}{}", short(rng), rng.pick(VALUES)),
        8 => (*rng.pick(WORDS)).to_owned(),
        9 => (*rng.pick(VALUES)).to_owned(),
        10 => "--".to_owned(),
        _ => (*rng.pick(WEIRD)).to_owned(),
    };
    // Node splits a character outside the BMP in a short option position into two lone
    // surrogates (a documented deviation): keep those characters out of single-dash args.
    if arg.starts_with('-') && !arg.starts_with("--") && has_astral(&arg) {
        arg.chars()
            .map(|c| if c.len_utf16() == 2 { 'z' } else { c })
            .collect()
    } else {
        arg
    }
}

/// One generated input: the typed config (absent when the JSON was spoiled) and the JSON.
struct Input {
    config: Option<ParseArgsConfig>,
    json: Json,
}

/// Whether `key` is a JavaScript array index (listed first, in numeric order).
fn array_index(key: &str) -> Option<u32> {
    let canonical = key == "0" || (!key.is_empty() && !key.starts_with('0'));
    if !canonical || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&n| n != u32::MAX)
}

fn js_order_key(k: &str) -> (u8, u32) {
    array_index(k).map_or((1, 0), |n| (0, n))
}

fn gen_input(rng: &mut Rng) -> Input {
    // Options, in JavaScript property order (Object.entries order), without duplicates.
    let mut opts: Vec<Opt> = Vec::new();
    for _ in 0..rng.below(5) {
        let name = *rng.pick(NAMES);
        if opts.iter().all(|o| o.name != name) {
            opts.push(gen_option(rng, name));
        }
    }
    opts.sort_by_key(|o| js_order_key(&o.name));
    let args: Vec<String> = (0..rng.below(8)).map(|_| gen_arg(rng, &opts)).collect();

    let mut config = ParseArgsConfig::new().args(args.clone());
    let mut json = Map::new();
    json.insert("args".into(), json!(args));
    let flag = |rng: &mut Rng| match rng.below(3) {
        0 => None,
        1 => Some(true),
        _ => Some(false),
    };
    // Mostly non-strict, so that most inputs get through to `values` and `tokens`.
    let strict = match rng.below(6) {
        0 | 1 => None,
        2 => Some(true),
        _ => Some(false),
    };
    if let Some(b) = strict {
        config = config.strict(b);
        json.insert("strict".into(), json!(b));
    }
    if let Some(b) = flag(rng) {
        config = config.allow_positionals(b);
        json.insert("allowPositionals".into(), json!(b));
    }
    if let Some(b) = flag(rng) {
        config = config.allow_negative(b);
        json.insert("allowNegative".into(), json!(b));
    }
    if let Some(b) = flag(rng) {
        config = config.tokens(b);
        json.insert("tokens".into(), json!(b));
    }
    let mut options = Map::new();
    for o in opts {
        config = config.option(o.name.clone(), o.config);
        options.insert(o.name, Json::Object(o.json));
    }
    if !options.is_empty() || rng.chance(1, 2) {
        json.insert("options".into(), Json::Object(options));
    }
    let mut json = Json::Object(json);
    if rng.chance(1, 8) {
        spoil(rng, &mut json);
        return Input { config: None, json };
    }
    Input {
        config: Some(config),
        json,
    }
}

/// Puts a value of a wrong JSON type somewhere in the config.
fn spoil(rng: &mut Rng, config: &mut Json) {
    let wrong = |rng: &mut Rng| -> Json {
        rng.pick(&[
            json!(null),
            json!(1),
            json!(0),
            json!("yes"),
            json!(""),
            json!([]),
            json!(["a"]),
            json!([1]),
            json!(["a", 1]),
            json!({}),
            json!(true),
        ])
        .clone()
    };
    let Some(top) = config.as_object_mut() else {
        return;
    };
    let options: Vec<String> = top
        .get("options")
        .and_then(Json::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if options.is_empty() || rng.chance(1, 3) {
        let field = *rng.pick(&[
            "args",
            "strict",
            "allowPositionals",
            "allowNegative",
            "tokens",
            "options",
        ]);
        let mut v = wrong(rng);
        if field == "args" && (v.is_null() || v.is_array()) {
            // `args: null` would parse the driver's own argv; arrays are valid.
            v = json!("x");
        }
        top.insert(field.into(), v);
        return;
    }
    let name = rng.pick(&options).clone();
    let Some(option) = top
        .get_mut("options")
        .and_then(Json::as_object_mut)
        .and_then(|m| m.get_mut(&name))
    else {
        return;
    };
    if rng.chance(1, 6) {
        *option = wrong(rng);
        return;
    }
    let field = *rng.pick(&["type", "short", "multiple", "default"]);
    let v = if field == "type" && rng.chance(1, 2) {
        json!(*rng.pick(&["number", "str", "Boolean", "strings"]))
    } else {
        wrong(rng)
    };
    if let Some(m) = option.as_object_mut() {
        if field == "type" && rng.chance(1, 4) {
            m.remove("type");
        } else {
            m.insert(field.into(), v);
        }
    }
}

fn scalar_json(s: &Scalar) -> Json {
    match s {
        Scalar::String(s) => json!(s),
        Scalar::Bool(b) => json!(b),
    }
}

fn token_json(t: &Token) -> Json {
    let mut m = Map::new();
    m.insert("kind".into(), json!(t.kind()));
    match t {
        Token::Option {
            name,
            raw_name,
            index,
            value,
            inline_value,
        } => {
            m.insert("name".into(), json!(name));
            m.insert("rawName".into(), json!(raw_name));
            m.insert("index".into(), json!(index));
            if let Some(v) = value {
                m.insert("value".into(), json!(v));
            }
            if let Some(b) = inline_value {
                m.insert("inlineValue".into(), json!(b));
            }
        }
        Token::Positional { index, value } => {
            m.insert("index".into(), json!(index));
            m.insert("value".into(), json!(value));
        }
        Token::OptionTerminator { index } => {
            m.insert("index".into(), json!(index));
        }
    }
    Json::Object(m)
}

/// The crate's answer in the driver's format, `values` in JavaScript key order.
fn crate_answer(outcome: Result<ParsedArgs, ParseArgsError>) -> Json {
    match outcome {
        Err(e) => json!({"throws": e.code(), "message": e.message()}),
        Ok(parsed) => {
            let mut values: Vec<(&str, &Value)> = parsed.values.iter().collect();
            values.sort_by_key(|(k, _)| js_order_key(k));
            let values: Map<String, Json> = values
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => json!(s),
                        Value::Bool(b) => json!(b),
                        Value::List(items) => items.iter().map(scalar_json).collect(),
                    };
                    (k.to_owned(), v)
                })
                .collect();
            let mut result = Map::new();
            result.insert("values".into(), Json::Object(values));
            result.insert("positionals".into(), json!(parsed.positionals));
            if let Some(tokens) = &parsed.tokens {
                result.insert("tokens".into(), tokens.iter().map(token_json).collect());
            }
            json!({ "result": result })
        }
    }
}

#[test]
fn parseargs_matches_node() {
    if !require_node("parseargs_matches_node") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let n = if quick() {
        QUICK_INPUTS
    } else {
        QUICK_INPUTS * 3
    };
    let inputs: Vec<Input> = (0..n).map(|_| gen_input(&mut rng)).collect();
    let mut stdin = String::new();
    for input in &inputs {
        stdin.push_str(&input.json.to_string());
        stdin.push('\n');
    }
    let output = run_driver("parseargs_driver.js", &[], &stdin);
    let answers: Vec<Json> = output
        .lines()
        .map(|l| serde_json::from_str(l).expect("driver output is JSON"))
        .collect();
    assert_eq!(answers.len(), inputs.len(), "one answer per input");

    let mut failures = Vec::new();
    let (mut direct, mut spoiled) = (0, 0);
    let mut outcomes = std::collections::BTreeMap::<String, usize>::new();
    for (input, node) in inputs.iter().zip(&answers) {
        let outcome = match node.get("throws") {
            Some(code) => code.as_str().unwrap_or("?").to_owned(),
            None if node["result"].get("tokens").is_some() => "result with tokens".to_owned(),
            None => "result".to_owned(),
        };
        *outcomes.entry(outcome).or_default() += 1;
        // Through the conform family: code only for errors.
        let family = nodestd_conformance::answer(&json!({
            "fn": "util.parseArgs",
            "args": [input.json.clone()],
        }));
        let mut node_line = node.clone();
        if let Some(m) = node_line.as_object_mut() {
            m.remove("message");
        }
        if family != node_line {
            failures.push(format!(
                "family: {}\n  node:  {node_line}\n  ours:  {family}",
                input.json
            ));
        }
        // Through the crate directly: messages too.
        match &input.config {
            Some(config) => {
                direct += 1;
                let ours = crate_answer(config.parse());
                if &ours != node {
                    failures.push(format!(
                        "crate: {}\n  node:  {node}\n  ours:  {ours}",
                        input.json
                    ));
                }
            }
            None => spoiled += 1,
        }
    }
    println!(
        "seed {seed}: {n} inputs ({direct} typed, {spoiled} with wrong JSON types); node's \
         answers: {outcomes:?}"
    );
    assert!(
        failures.is_empty(),
        "seed {seed} (replay with NODESTD_SEED={seed}): {} differences; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
