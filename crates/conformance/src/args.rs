//! Conversion of JSON arguments into Rust values, with the errors Node gives for arguments of
//! the wrong type.
//!
//! Node validates its arguments before doing any work; a record that passes `null` or a number
//! where a string is wanted must get Node's error code. That decision is made here, by type,
//! never per record.

use serde_json::Value;

/// An error as a record reports it: Node's `code`, or the constructor name when it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throw {
    /// `ERR_INVALID_ARG_TYPE`, `ERR_INVALID_URL`, `TypeError` …
    pub code: String,
}

impl Throw {
    /// A throw with this code.
    pub fn new(code: impl Into<String>) -> Throw {
        Throw { code: code.into() }
    }

    /// Node's `ERR_INVALID_ARG_TYPE`.
    pub fn invalid_arg_type() -> Throw {
        Throw::new("ERR_INVALID_ARG_TYPE")
    }
}

/// The `i`th argument, `undefined` (here `None`) when absent.
pub fn get(args: &[Value], i: usize) -> Option<&Value> {
    args.get(i)
}

/// A string argument validated as Node's `validateString` does: anything but a string is
/// `ERR_INVALID_ARG_TYPE`.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the argument is absent or not a string.
pub fn string(args: &[Value], i: usize) -> Result<&str, Throw> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(Throw::invalid_arg_type()),
    }
}

/// Every argument from `from` on, each validated as a string.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when any of them is not a string.
pub fn strings(args: &[Value], from: usize) -> Result<Vec<&str>, Throw> {
    (from..args.len()).map(|i| string(args, i)).collect()
}

/// JavaScript's `String(value)` for JSON values (objects become `"[object Object]"`, arrays
/// join their elements with `,`, `null` inside an array becomes the empty string).
pub fn js_to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number_to_string(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::Null => String::new(),
                other => js_to_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".into(),
    }
}

/// JavaScript's number-to-string for a JSON number (`1e21`, `1.5e-7`, `0.1` as JS writes them).
pub fn js_number_to_string(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    nodestd_querystring::js_number_to_string(n.as_f64().unwrap_or(f64::NAN))
}

/// JavaScript truthiness of an optional argument.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(_) | Value::Object(_)) => true,
    }
}
