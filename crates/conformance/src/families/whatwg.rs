//! The WHATWG record family: `URL`, and `url.fileURLToPath` / `url.pathToFileURL`.
//!
//! Arguments are converted by JSON type, as Node converts JavaScript values:
//! - `URL`'s input and base go through `${value}` (`String(value)`), so `123` is `"123"` and
//!   `null` is `"null"`; an absent input is `ERR_MISSING_ARGS`.
//! - `url.fileURLToPath` takes a string, or an object that looks like a URL (Node's `isURL`:
//!   truthy `href` and `protocol`, no `auth` or `path` key), read through its `protocol`,
//!   `hostname` and `pathname`; anything else is `ERR_INVALID_ARG_TYPE`.
//! - `url.pathToFileURL` takes a string only (`validateString`).
//! - An options object with a truthy `windows` asks for the Windows rules, which nodestd does
//!   not implement (`ERR_NOT_IMPLEMENTED`).

use nodestd_url::{URL, file_url_to_path, path_to_file_url, path_to_file_url_from};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::args::{self, Throw};

/// Calls `URL` (`name == "URL"`) or `url.<name>` for the WHATWG-side helpers.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    match name {
        "URL" => new_url(args),
        "url.fileURLToPath" => {
            if wants_windows(args.get(1)) {
                return Err(Throw::new("ERR_NOT_IMPLEMENTED"));
            }
            file_url_to_path_value(args.first()).map(Value::String)
        }
        "url.pathToFileURL" => {
            let path = args::string(args, 0)?;
            if wants_windows(args.get(1)) {
                return Err(Throw::new("ERR_NOT_IMPLEMENTED"));
            }
            let url = match cwd {
                Some(cwd) => path_to_file_url_from(cwd, path),
                None => path_to_file_url(path),
            };
            Ok(Value::String(url.href().to_owned()))
        }
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}

/// `new URL(input[, base])` as the record's eleven accessor strings.
fn new_url(args: &[Value]) -> Outcome {
    let input = args
        .first()
        .map(args::js_to_string)
        .ok_or_else(|| Throw::new("ERR_MISSING_ARGS"))?;
    let base = args.get(1).map(args::js_to_string);
    let url = URL::parse(&input, base.as_deref()).map_err(|e| Throw::new(e.code()))?;
    Ok(url_fields(&url))
}

/// The record's result object: the accessors in Node's order.
pub fn url_fields(url: &URL) -> Value {
    let mut out = Map::new();
    let fields: [(&str, String); 11] = [
        ("href", url.href().to_owned()),
        ("origin", url.origin()),
        ("protocol", url.protocol().to_owned()),
        ("username", url.username().to_owned()),
        ("password", url.password().to_owned()),
        ("host", url.host().to_owned()),
        ("hostname", url.hostname().to_owned()),
        ("port", url.port().to_owned()),
        ("pathname", url.pathname().to_owned()),
        ("search", url.search().to_owned()),
        ("hash", url.hash().to_owned()),
    ];
    for (k, v) in fields {
        out.insert(k.to_owned(), Value::String(v));
    }
    Value::Object(out)
}

/// Node's `options?.windows ?? isWindows` on a POSIX host.
fn wants_windows(options: Option<&Value>) -> bool {
    match options {
        Some(Value::Object(map)) => args::truthy(map.get("windows")),
        _ => false,
    }
}

/// `fileURLToPath(path)` for a JSON argument.
fn file_url_to_path_value(arg: Option<&Value>) -> Result<String, Throw> {
    match arg {
        Some(Value::String(s)) => file_url_to_path(s).map_err(|e| Throw::new(e.code())),
        Some(Value::Object(map)) if looks_like_url(map) => duck_typed_file_path(map),
        _ => Err(Throw::invalid_arg_type()),
    }
}

/// Node's `isURL`: `href` and `protocol` truthy, `auth` and `path` undefined.
fn looks_like_url(map: &Map<String, Value>) -> bool {
    args::truthy(map.get("href"))
        && args::truthy(map.get("protocol"))
        && !map.contains_key("auth")
        && !map.contains_key("path")
}

/// `getPathFromURLPosix` on a plain object that passed `isURL`.
fn duck_typed_file_path(map: &Map<String, Value>) -> Result<String, Throw> {
    if map.get("protocol") != Some(&Value::String("file:".into())) {
        return Err(Throw::new("ERR_INVALID_URL_SCHEME"));
    }
    if map.get("hostname") != Some(&Value::String(String::new())) {
        return Err(Throw::new("ERR_INVALID_FILE_URL_HOST"));
    }
    // `pathname[n]` indexes the characters of a string or the elements of an array; the
    // code point test and `decodeURIComponent` see the value as a string. Numbers, booleans
    // and objects have no `length`, so nothing is checked; `undefined` and `null` throw a
    // TypeError at `pathname.length`.
    let (units, text): (Vec<Option<String>>, String) = match map.get("pathname") {
        None | Some(Value::Null) => return Err(Throw::new("TypeError")),
        Some(Value::String(p)) => (
            p.encode_utf16()
                .map(|u| String::from_utf16(&[u]).ok())
                .collect(),
            p.clone(),
        ),
        Some(Value::Array(items)) => (
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            args::js_to_string(&Value::Array(items.clone())),
        ),
        Some(other) => (Vec::new(), args::js_to_string(other)),
    };
    let text_units: Vec<u16> = text.encode_utf16().collect();
    let is = |i: usize, s: &str| units.get(i).and_then(Option::as_deref) == Some(s);
    for n in 0..units.len() {
        let third = text_units.get(n + 2).map(|&u| u | 0x20);
        if is(n, "%") && is(n + 1, "2") && third == Some(u16::from(b'f')) {
            return Err(Throw::new("ERR_INVALID_FILE_URL_PATH"));
        }
    }
    decode_uri_component(&text).ok_or_else(|| Throw::new("URIError"))
}

/// JavaScript's `decodeURIComponent` (`None` for its URIError).
fn decode_uri_component(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
