//! The util record family (`fixtures/util.jsonl`): `util.inspect(value)` and
//! `util.format(...args)` through nodestd-util, with the value forms of `node/util_driver.js`
//! (`{"$undefined": 1}`, `{"$num"}`, `{"$bigint"}`, `{"$bytes"}`, `{"$map"}`, `{"$set"}`,
//! `{"$error"}`; anything else is the JSON value itself).

use nodestd_util::Value;
use serde_json::Value as Json;

use crate::Outcome;
use crate::args::Throw;
use crate::bytes::from_value as as_bytes;

/// A record value as a [`Value`].
pub fn value(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(value).collect()),
        Json::Object(m) => {
            if let Some(b) = as_bytes(v) {
                return Value::Buffer(b);
            }
            if m.contains_key("$undefined") {
                return Value::Undefined;
            }
            if let Some(s) = m.get("$num").and_then(Json::as_str) {
                return Value::Number(match s {
                    "NaN" => f64::NAN,
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    _ => -0.0,
                });
            }
            if let Some(s) = m.get("$bigint").and_then(Json::as_str) {
                return s.parse().map_or(Value::Undefined, Value::BigInt);
            }
            if let Some(items) = m.get("$map").and_then(Json::as_array) {
                // `new Map(pairs)`: a repeated key keeps its first place and its last value.
                let mut pairs: Vec<(Value, Value)> = Vec::new();
                for p in items {
                    let (Some(k), Some(x)) = (p.get(0), p.get(1)) else {
                        continue;
                    };
                    let (k, x) = (zero(value(k)), value(x));
                    match pairs.iter_mut().find(|(old, _)| same_value_zero(old, &k)) {
                        Some(slot) => slot.1 = x,
                        None => pairs.push((k, x)),
                    }
                }
                return Value::Map(pairs);
            }
            if let Some(items) = m.get("$set").and_then(Json::as_array) {
                // `new Set(items)`: duplicates dropped, `-0` stored as `0`.
                let mut set: Vec<Value> = Vec::new();
                for x in items.iter().map(value).map(zero) {
                    if !set.iter().any(|old| same_value_zero(old, &x)) {
                        set.push(x);
                    }
                }
                return Value::Set(set);
            }
            if let Some(e) = m.get("$error") {
                let s = |k: &str| e.get(k).and_then(Json::as_str).unwrap_or("").to_owned();
                let props = e
                    .get("props")
                    .and_then(Json::as_object)
                    .map(|p| p.iter().map(|(k, x)| (k.clone(), value(x))).collect())
                    .unwrap_or_default();
                return Value::Error {
                    name: s("name"),
                    message: s("message"),
                    props,
                };
            }
            Value::Object(m.iter().map(|(k, x)| (k.clone(), value(x))).collect())
        }
    }
}

/// A Map key or Set item as JavaScript stores it: `-0` becomes `0`.
fn zero(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::Number(if n == 0.0 { 0.0 } else { n }),
        v => v,
    }
}

/// `SameValueZero` for the primitives (objects are never the same: each record value is a
/// new object).
fn same_value_zero(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// Calls `util.<name>`.
pub fn call(name: &str, args: &[Json]) -> Outcome {
    let values: Vec<Value> = args.iter().map(value).collect();
    match name {
        "inspect" => Ok(Json::String(nodestd_util::inspect(
            values.first().unwrap_or(&Value::Undefined),
        ))),
        "format" => nodestd_util::try_format(&values)
            .map(Json::String)
            .map_err(|_| Throw::new("TypeError")),
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}
