//! Conformance runners for nodestd.
//!
//! - `conform` reads call records in the format of `shared/conformance/README.md` (copied into
//!   `fixtures/README.md`) on stdin and answers one JSON line per record: `{"result": …}` or
//!   `{"throws": "CODE"}`.
//! - `loop-trace FILE.json` interprets an event-loop scenario (`fixtures/loop-scenarios/`) with
//!   the public API of `nodestd-loop` and prints one label per `log` op.
//! - `fs-script FILE.json` runs an fs script through nodestd-fs; its input handling (reading
//!   the script, converting the arguments as Node does) is the library's [`fs_script`].
//!
//! The library half holds what both binaries and the tests share: record decoding ([`json`]),
//! the conversion of JSON arguments into Rust values with Node's argument errors ([`args`]),
//! and one module per record family ([`families`]).

pub mod args;
pub mod bytes;
pub mod families;
pub mod fs_script;
pub mod json;
pub mod node;
pub mod rng;

use serde_json::Value;

/// What a call produced: a JSON result, or the `code` (or constructor name) Node would throw.
pub type Outcome = Result<Value, args::Throw>;

/// Answers one decoded record: calls `fn` with `args` (and `cwd` where the record has one).
///
/// Unknown functions answer `ERR_NOT_IMPLEMENTED`, so the stream never goes out of step.
pub fn answer(record: &Value) -> Value {
    let outcome = match record {
        Value::Object(map) => {
            let name = map.get("fn").and_then(Value::as_str).unwrap_or("");
            let empty = Vec::new();
            let args = map.get("args").and_then(Value::as_array).unwrap_or(&empty);
            let cwd = map.get("cwd").and_then(Value::as_str);
            families::call(name, args, cwd)
        }
        _ => Err(args::Throw::new("ERR_INVALID_RECORD")),
    };
    outcome_to_json(outcome)
}

/// Renders an [`Outcome`] as the answer line's JSON object.
pub fn outcome_to_json(outcome: Outcome) -> Value {
    let mut out = serde_json::Map::new();
    match outcome {
        Ok(v) => {
            out.insert("result".into(), v);
        }
        Err(t) => {
            out.insert("throws".into(), Value::String(t.code));
        }
    }
    Value::Object(out)
}

/// Answers one raw input line (which may fail to decode: it still gets one answer).
pub fn answer_line(line: &str) -> String {
    let answer = match json::parse_line(line) {
        Ok(record) => answer(&record),
        Err(_) => outcome_to_json(Err(args::Throw::new("ERR_INVALID_RECORD"))),
    };
    answer.to_string()
}
