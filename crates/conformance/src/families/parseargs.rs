//! The `util.parseArgs` record family: `args` is `[config]`, answered with
//! `{"values": …, "positionals": […]}` plus `"tokens"` when the config asks for them.
//!
//! The JSON config is read as Node reads the JavaScript object, then handed to
//! `nodestd_process::parse_args`:
//! - Missing or `null` fields take Node's defaults (`?? default`): `args` the process's own
//!   arguments, `strict` `true`, `allowPositionals` `!strict`, `tokens` and `allowNegative`
//!   `false`, `options` none. A config that is `null` throws `TypeError` (Node's
//!   `hasOwnProperty` on `null`); any other non-object config has no such own properties and
//!   is read as `{}`.
//! - Wrong JSON types get Node's validation codes in Node's order: `args` not an array,
//!   `strict`/`allowPositionals`/`tokens`/`allowNegative` not booleans, `options` or an option
//!   not an object (arrays included), `type` not `'string'`/`'boolean'`, `short` not a string,
//!   `multiple` not a boolean, `default` not a string, boolean or array of them — all
//!   `ERR_INVALID_ARG_TYPE`. Node checks the options one by one, and a typed config cannot
//!   hold a wrongly typed field, so when one is found the options before it (and the fields
//!   of its own option that Node checks earlier) are first validated by the crate, whose
//!   value checks (`short` length, `default` against `type`) would have thrown first.
//! - Option keys are taken in JavaScript's property order (integer-like keys first, in
//!   numeric order), which is the order `Object.entries` gives Node; `values` is written in
//!   the same order.
//!
//! Not supported (answered `ERR_NOT_IMPLEMENTED`, after Node's config validation has passed):
//! `args` elements that are not strings (Node does not validate them and reads them in
//! JavaScript's loose ways) and strings or keys holding lone surrogates, which the Rust API
//! cannot take. No record uses either.

use nodestd_process::parse_args::{
    OptionConfig, OptionType, ParseArgsConfig, ParsedArgs, Scalar, Token, Value as ArgValue,
};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::args::Throw;
use crate::json::{as_js_string, key_js_string};

/// Calls `util.parseArgs(...args)`.
pub fn call(args: &[Value]) -> Outcome {
    let empty = Map::new();
    let config = match args.first() {
        None => &empty,
        Some(Value::Null) => return Err(Throw::new("TypeError")),
        Some(Value::Object(m)) if as_js_string(&args[0]).is_none() => m,
        Some(_) => &empty,
    };
    let own = |key: &str| config.get(key).filter(|v| !v.is_null());
    let mut unsupported = false;

    let mut out = ParseArgsConfig::new();
    match own("args") {
        None => {}
        Some(Value::Array(items)) => {
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                match js_str(item) {
                    Some(Ok(s)) => strings.push(s),
                    _ => unsupported = true,
                }
            }
            out = out.args(strings);
        }
        Some(_) => return Err(Throw::invalid_arg_type()),
    }
    let strict = boolean(own("strict"))?.unwrap_or(true);
    let allow_positionals = boolean(own("allowPositionals"))?.unwrap_or(!strict);
    let tokens = boolean(own("tokens"))?.unwrap_or(false);
    let allow_negative = boolean(own("allowNegative"))?.unwrap_or(false);
    out = out
        .strict(strict)
        .allow_positionals(allow_positionals)
        .tokens(tokens)
        .allow_negative(allow_negative);

    let options = match own("options") {
        None => Vec::new(),
        Some(v @ Value::Object(m)) if as_js_string(v).is_none() => js_entries(m),
        Some(_) => return Err(Throw::invalid_arg_type()),
    };
    let mut checked = ParseArgsConfig::new().args(Vec::<String>::new());
    for (key, option) in options {
        let name = match String::from_utf16(&key_js_string(key)) {
            Ok(name) => name,
            Err(_) => {
                unsupported = true;
                key.to_owned()
            }
        };
        let (partial, failed) = convert_option(option, &mut unsupported);
        let (Some(option), false) = (partial.clone(), failed) else {
            // Node throws ERR_INVALID_ARG_TYPE here, unless an earlier value check throws.
            let checked = match partial {
                Some(partial) => checked.option(name, partial),
                None => checked,
            };
            checked.parse().map_err(|e| Throw::new(e.code()))?;
            return Err(Throw::invalid_arg_type());
        };
        checked = checked.option(name.clone(), option.clone());
        out = out.option(name, option);
    }

    if unsupported {
        // Validate what can be validated (Node validates before reading the arguments).
        checked.parse().map_err(|e| Throw::new(e.code()))?;
        return Err(Throw::new("ERR_NOT_IMPLEMENTED"));
    }
    let parsed = out.parse().map_err(|e| Throw::new(e.code()))?;
    Ok(render(&parsed))
}

/// A JSON value that stands for a JavaScript string: `Some(Ok)` when Rust can hold it,
/// `Some(Err)` when it has lone surrogates, `None` when it is not a string.
fn js_str(v: &Value) -> Option<Result<String, ()>> {
    let units = as_js_string(v)?;
    Some(String::from_utf16(&units).map_err(|_| ()))
}

/// `validateBoolean` of a field that is present and not `null`.
fn boolean(v: Option<&Value>) -> Result<Option<bool>, Throw> {
    match v {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Throw::invalid_arg_type()),
    }
}

/// Converts one option's config, checking its JSON types in Node's order (`type`, `short`,
/// `multiple`, `default`). On a type error, returns `(what was converted before it, true)`:
/// `None` when nothing the crate checks precedes it, else the option with the fields Node
/// checks before the failing one.
fn convert_option(v: &Value, unsupported: &mut bool) -> (Option<OptionConfig>, bool) {
    let Some(m) = v.as_object().filter(|_| as_js_string(v).is_none()) else {
        return (None, true);
    };
    let kind = match m.get("type") {
        Some(Value::String(t)) if t == "string" => OptionType::String,
        Some(Value::String(t)) if t == "boolean" => OptionType::Boolean,
        _ => return (None, true),
    };
    let mut option = OptionConfig::new(kind);
    if let Some(short) = m.get("short") {
        match js_str(short) {
            Some(Ok(s)) => option = option.short(s),
            Some(Err(())) => *unsupported = true,
            None => return (None, true),
        }
    }
    let multiple = match m.get("multiple") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return (Some(option), true),
    };
    option = option.multiple(multiple);
    if let Some(default) = m.get("default") {
        match convert_default(default, unsupported) {
            Some(value) => option = option.default(value),
            None => return (Some(option), true),
        }
    }
    (Some(option), false)
}

/// A `default` as the crate takes it: a string, a boolean, or an array of them (their fit to
/// the option's type is the crate's check). `None` for anything else, which Node's validators
/// reject with `ERR_INVALID_ARG_TYPE` whatever the option's type.
fn convert_default(v: &Value, unsupported: &mut bool) -> Option<ArgValue> {
    let scalar = |v: &Value, unsupported: &mut bool| match v {
        Value::Bool(b) => Some(Scalar::Bool(*b)),
        _ => match js_str(v)? {
            Ok(s) => Some(Scalar::String(s)),
            Err(()) => {
                *unsupported = true;
                Some(Scalar::String(String::new()))
            }
        },
    };
    match v {
        Value::Array(items) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                list.push(scalar(item, unsupported)?);
            }
            Some(ArgValue::List(list))
        }
        _ => scalar(v, unsupported).map(ArgValue::from),
    }
}

/// Whether `key` is an array index, which JavaScript objects list first, in numeric order.
fn array_index(key: &str) -> Option<u32> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty());
    if !canonical || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&n| n != u32::MAX)
}

/// An object's entries in JavaScript property order: array indices ascending, then the other
/// keys in insertion order.
fn js_entries(m: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut entries: Vec<(&str, &Value)> = m.iter().map(|(k, v)| (k.as_str(), v)).collect();
    entries.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)));
    entries
}

fn scalar_json(s: &Scalar) -> Value {
    match s {
        Scalar::String(s) => Value::String(s.clone()),
        Scalar::Bool(b) => Value::Bool(*b),
    }
}

fn value_json(v: &ArgValue) -> Value {
    match v {
        ArgValue::String(s) => Value::String(s.clone()),
        ArgValue::Bool(b) => Value::Bool(*b),
        ArgValue::List(items) => Value::Array(items.iter().map(scalar_json).collect()),
    }
}

/// A token as `JSON.stringify` writes Node's token object (undefined fields left out).
pub fn token_json(t: &Token) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), t.kind().into());
    match t {
        Token::Option {
            name,
            raw_name,
            index,
            value,
            inline_value,
        } => {
            m.insert("name".into(), name.as_str().into());
            m.insert("rawName".into(), raw_name.as_str().into());
            m.insert("index".into(), (*index).into());
            if let Some(v) = value {
                m.insert("value".into(), v.as_str().into());
            }
            if let Some(b) = inline_value {
                m.insert("inlineValue".into(), (*b).into());
            }
        }
        Token::Positional { index, value } => {
            m.insert("index".into(), (*index).into());
            m.insert("value".into(), value.as_str().into());
        }
        Token::OptionTerminator { index } => {
            m.insert("index".into(), (*index).into());
        }
    }
    Value::Object(m)
}

/// `JSON.stringify` of Node's result object.
fn render(parsed: &ParsedArgs) -> Value {
    let mut values: Vec<(&str, &ArgValue)> = parsed.values.iter().collect();
    values.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)));
    let mut out = Map::new();
    out.insert(
        "values".into(),
        Value::Object(
            values
                .into_iter()
                .map(|(k, v)| (k.to_owned(), value_json(v)))
                .collect(),
        ),
    );
    out.insert(
        "positionals".into(),
        parsed.positionals.iter().map(|p| p.as_str()).collect(),
    );
    if let Some(tokens) = &parsed.tokens {
        out.insert("tokens".into(), tokens.iter().map(token_json).collect());
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_indices() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("5"), Some(5));
        assert_eq!(array_index("05"), None);
        assert_eq!(array_index("-5"), None);
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
        assert_eq!(array_index("4294967295"), None);
        assert_eq!(array_index(""), None);
    }
}
