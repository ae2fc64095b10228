//! The `url` record family: the legacy `url.parse`, `url.format` and `url.resolve` (and
//! `url.resolveObject`, which no fixture calls but the differential test does).
//!
//! Argument checks follow Node's order: `url.parse` validates its string first;
//! `url.format` takes a string or any object (arrays included) and throws
//! `ERR_INVALID_ARG_TYPE` for everything else; `url.resolve` validates and parses `from`
//! before it looks at `to`. A plain object becomes a [`UrlObject`] field by field, every JSON
//! value kept with its JavaScript type.

use serde_json::{Map, Value};

use nodestd_url::{JsValue, Query, Url, UrlObject};

use crate::Outcome;
use crate::args::{self, Throw};

/// Calls `url.<name>`.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    let _ = cwd;
    match name {
        "parse" => {
            let input = args::string(args, 0)?;
            let parse_query = args::truthy(args.get(1));
            let slashes = args::truthy(args.get(2));
            let url = nodestd_url::parse(input, parse_query, slashes).map_err(throw)?;
            Ok(url_to_json(&url))
        }
        "format" => match args.first() {
            Some(Value::String(s)) => nodestd_url::format_str(s).map(Value::String).map_err(throw),
            Some(v @ (Value::Object(_) | Value::Array(_))) => {
                nodestd_url::format_object(&url_object(v))
                    .map(Value::String)
                    .map_err(throw)
            }
            _ => Err(Throw::invalid_arg_type()),
        },
        "resolve" => {
            let from = args::string(args, 0)?;
            let base = nodestd_url::parse(from, false, true).map_err(throw)?;
            let to = args::string(args, 1)?;
            base.resolve(to).map(Value::String).map_err(throw)
        }
        "resolveObject" => {
            // `if (!source) return relative;`
            if !args::truthy(args.first()) {
                return Ok(args.get(1).cloned().unwrap_or(Value::Null));
            }
            let from = args::string(args, 0)?;
            let base = nodestd_url::parse(from, false, true).map_err(throw)?;
            // Node reads a non-string `relative` as a Url-like object; only strings are
            // supported here.
            let to = args::string(args, 1)?;
            let rel = nodestd_url::parse(to, false, true).map_err(throw)?;
            Ok(url_to_json(&base.resolve_object(&rel)))
        }
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}

fn throw(e: nodestd_url::Error) -> Throw {
    Throw::new(e.code())
}

/// `JSON.stringify` of a `Url`: the twelve fields in Node's order.
pub fn url_to_json(u: &Url) -> Value {
    let s = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let query = match &u.query {
        None => Value::Null,
        Some(Query::String(q)) => Value::String(q.clone()),
        Some(Query::Object(q)) => {
            let mut m = Map::new();
            for (k, v) in q.iter() {
                let v = match v {
                    nodestd_querystring::QueryValue::Single(x) => Value::String(x.clone()),
                    nodestd_querystring::QueryValue::Multiple(xs) => {
                        Value::Array(xs.iter().cloned().map(Value::String).collect())
                    }
                };
                m.insert(k.to_owned(), v);
            }
            Value::Object(m)
        }
    };
    let mut m = Map::new();
    m.insert("protocol".into(), s(&u.protocol));
    m.insert(
        "slashes".into(),
        if u.slashes {
            Value::Bool(true)
        } else {
            Value::Null
        },
    );
    m.insert("auth".into(), s(&u.auth));
    m.insert("host".into(), s(&u.host));
    m.insert("port".into(), s(&u.port));
    m.insert("hostname".into(), s(&u.hostname));
    m.insert("hash".into(), s(&u.hash));
    m.insert("search".into(), s(&u.search));
    m.insert("query".into(), query);
    m.insert("pathname".into(), s(&u.pathname));
    m.insert("path".into(), s(&u.path));
    m.insert("href".into(), s(&u.href));
    Value::Object(m)
}

/// A JSON value as the JavaScript value `JSON.parse` makes of it.
pub fn js_value(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::Null,
        Value::Bool(b) => JsValue::Bool(*b),
        Value::Number(n) => JsValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => JsValue::String(s.clone()),
        Value::Array(items) => JsValue::Array(items.iter().map(js_value).collect()),
        Value::Object(m) => {
            JsValue::Object(m.iter().map(|(k, v)| (k.clone(), js_value(v))).collect())
        }
    }
}

/// The fields `format` reads from a JSON object (an array has none of them).
pub fn url_object(v: &Value) -> UrlObject {
    let Value::Object(m) = v else {
        return UrlObject::default();
    };
    let field = |k: &str| m.get(k).map_or(JsValue::Null, js_value);
    UrlObject {
        protocol: field("protocol"),
        slashes: field("slashes"),
        auth: field("auth"),
        host: field("host"),
        port: field("port"),
        hostname: field("hostname"),
        hash: field("hash"),
        search: field("search"),
        query: field("query"),
        pathname: field("pathname"),
    }
}
