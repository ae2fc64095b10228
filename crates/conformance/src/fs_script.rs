//! The fs-script runner's input handling (`fs-script`, format: `fixtures/fs-scripts/README.md`),
//! shared by the runner and the `fs_script` fuzz target (issue 18): reading a script, and
//! converting each step's JSON arguments as Node converts the JavaScript values they stand for
//! (with Node's `ERR_*` errors for values of the wrong type or range).
//!
//! [`validate_step`] applies a step's conversions in the order the runner does, without running
//! the operation: the fuzz target calls it, so it never touches the file system.
//!
//! Known difference from `node/fs_script.js`: a step whose `args` is not a list runs with no
//! arguments (Node fails spreading it into the call).

use std::path::PathBuf;

use base64::Engine;
use nodestd_fs::validators::{self, JsValue};
use nodestd_fs::{self as fs, Error, ErrorKind};
use serde_json::Value;

/// Which of Node's three forms a script runs in (`--mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `fs.xSync(...)`.
    Sync,
    /// `fs.x(..., callback)`.
    Callback,
    /// `fs.promises.x(...)`.
    Promise,
}

/// What a conversion gives: the value, or Node's error.
pub type R<T> = Result<T, Error>;

/// `buffer.constants.MAX_LENGTH` in Node 20 on 64-bit: the largest `Buffer.alloc`.
const MAX_LENGTH: f64 = 4_294_967_296.0;

/// Reads a script: a JSON list of steps (`Err` with serde's message otherwise).
pub fn parse_script(text: &str) -> Result<Vec<Value>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// A JSON argument as the JavaScript value it stands for (README: `$undefined`, `$buffer`,
/// `$alloc`, `$ref`), for the crate's validators.
pub fn js(v: Option<&Value>) -> JsValue<'_> {
    match v {
        None => JsValue::Undefined,
        Some(Value::Null) => JsValue::Null,
        Some(Value::Bool(b)) => JsValue::Bool(*b),
        Some(Value::Number(n)) => JsValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::String(s)) => JsValue::String(s),
        Some(Value::Array(_)) => JsValue::Array,
        Some(Value::Object(o)) if o.contains_key("$undefined") => JsValue::Undefined,
        Some(Value::Object(o)) if o.contains_key("$buffer") || o.contains_key("$alloc") => {
            JsValue::Buffer
        }
        Some(Value::Object(_)) => JsValue::Object,
    }
}

/// The properties of a JSON options object, for the crate's option validators.
pub fn props<'a>(options: Option<&'a Value>) -> impl Fn(&str) -> validators::Property<'a> + 'a {
    move |k| opt(options, k).map(|v| js(Some(v)))
}

/// Node's `ERR_INVALID_ARG_TYPE` for the argument `name`.
pub fn invalid_type(name: &str, expected: &str, v: Option<&Value>) -> Error {
    validators::invalid_arg_type(name, expected, js(v))
}

/// Whether the argument is `undefined` (absent or `{"$undefined": …}`).
pub fn undefined(v: Option<&Value>) -> bool {
    match v {
        None => true,
        Some(Value::Object(o)) => o.contains_key("$undefined"),
        _ => false,
    }
}

/// Whether the argument is `undefined` or `null`.
pub fn nullish(v: Option<&Value>) -> bool {
    undefined(v) || matches!(v, Some(Value::Null))
}

/// Argument `i` as a path (a string or a `$buffer`).
pub fn path_arg(args: &[Value], i: usize, name: &str) -> R<PathBuf> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(PathBuf::from(s)),
        Some(Value::Object(o)) if o.contains_key("$buffer") => Ok(PathBuf::from(
            String::from_utf8_lossy(&buffer(&args[i])).into_owned(),
        )),
        v => Err(invalid_type(
            name,
            "of type string or an instance of Buffer or URL",
            v,
        )),
    }
}

/// The bytes of a `$buffer` (base64) or `$alloc` (zeros) value; empty for anything else. A
/// `$alloc` is assumed checked by [`check_allocs`] (a size out of range gives no bytes).
pub fn buffer(v: &Value) -> Vec<u8> {
    if let Some(s) = v.get("$buffer").and_then(Value::as_str) {
        return base64::engine::general_purpose::STANDARD
            .decode(s)
            .unwrap_or_default();
    }
    match v.get("$alloc").and_then(Value::as_f64) {
        Some(n) if (0.0..=MAX_LENGTH).contains(&n) => vec![0; n as usize],
        _ => Vec::new(),
    }
}

/// Node's `Buffer.alloc(size)` checks for every `$alloc` in a step's arguments, which
/// `fs_script.js` converts before the call: a size that is not a number is
/// `ERR_INVALID_ARG_TYPE`, one outside `0..=buffer.constants.MAX_LENGTH` `ERR_OUT_OF_RANGE`.
pub fn check_allocs(v: &Value) -> R<()> {
    match v {
        Value::Array(items) => items.iter().try_for_each(check_allocs),
        Value::Object(o) if o.contains_key("$ref") || o.contains_key("$buffer") => Ok(()),
        Value::Object(o) if o.contains_key("$alloc") => match o.get("$alloc") {
            Some(Value::Number(n)) => {
                let n = n.as_f64().unwrap_or(f64::NAN);
                if (0.0..=MAX_LENGTH).contains(&n) {
                    Ok(())
                } else {
                    Err(validators::out_of_range("size", ">= 0 && <= 4294967296", n))
                }
            }
            other => Err(invalid_type("size", "of type number", other)),
        },
        Value::Object(o) if o.contains_key("$undefined") => Ok(()),
        Value::Object(o) => o.values().try_for_each(check_allocs),
        _ => Ok(()),
    }
}

/// Whether the argument is a `$buffer` or `$alloc` value.
pub fn is_buffer(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Object(o)) if o.contains_key("$buffer") || o.contains_key("$alloc"))
}

/// Node's `parseFileMode`; `default` `None` where Node gives none (`null` fails).
pub fn mode_arg(v: Option<&Value>, name: &str, default: Option<u32>) -> R<u32> {
    validators::parse_file_mode(js(v), name, default)
}

/// Node's `stringToFlags` on a `flags` argument (nullish gives `default`).
pub fn flags_arg(v: Option<&Value>, default: fs::OpenFlags) -> R<fs::OpenFlags> {
    match v {
        v if nullish(v) => Ok(default),
        Some(Value::String(s)) => fs::OpenFlags::parse(s),
        Some(Value::Number(n)) => Ok(fs::OpenFlags::from_bits(n.as_i64().unwrap_or(0) as i32)),
        Some(v) => Err(Error::invalid_arg_value(
            "flags",
            "is invalid",
            &v.to_string(),
        )),
        None => Ok(default),
    }
}

/// The property `key` of an options object.
pub fn opt<'a>(options: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    options.and_then(|o| o.as_object()).and_then(|o| o.get(key))
}

/// Whether the property `key` of an options object is `true`.
pub fn bool_opt(options: Option<&Value>, key: &str) -> bool {
    matches!(opt(options, key), Some(Value::Bool(true)))
}

/// An options argument that may be an encoding string.
pub fn encoding_of(options: Option<&Value>) -> R<Option<fs::Encoding>> {
    let e = match options {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(Value::Object(_)) => opt(options, "encoding").and_then(Value::as_str),
        _ => None,
    };
    e.filter(|s| *s != "buffer")
        .map(fs::parse_encoding)
        .transpose()
}

/// A `data` argument (a string in `enc`, or a buffer) as bytes.
pub fn data_arg(v: Option<&Value>, enc: Option<fs::Encoding>) -> R<Vec<u8>> {
    match v {
        Some(Value::String(s)) => Ok(enc.unwrap_or(fs::Encoding::Utf8).encode(s)),
        Some(b) if is_buffer(Some(b)) => Ok(buffer(b)),
        v => Err(invalid_type(
            "data",
            "of type string or an instance of Buffer, TypedArray, or DataView",
            v,
        )),
    }
}

/// A number argument (0 when it is not one).
pub fn num(v: Option<&Value>) -> f64 {
    v.and_then(Value::as_f64).unwrap_or(0.0)
}

/// A `position` argument: a non-negative integer, or `None` (the current position).
pub fn position(v: Option<&Value>) -> Option<u64> {
    v.and_then(Value::as_i64)
        .filter(|p| *p >= 0)
        .map(|p| p as u64)
}

/// The error of a step whose op the runner does not know.
pub fn unknown_op(op: &str) -> Error {
    Error::node(
        ErrorKind::Other,
        "ERR_UNKNOWN_OP",
        format!("fs-script does not know the op {op:?}"),
    )
}

/// Decodes a `$buffer` as [`buffer`] does; a `$alloc` (zeros up to 4 GiB, already checked by
/// [`check_allocs`]) is not allocated.
fn probe(v: &Value) {
    if v.get("$alloc").is_none() {
        drop(buffer(v));
    }
}

/// Converts one step's arguments as the runner does before calling nodestd-fs (in `mode`),
/// without calling it: `Ok` when every argument converts, or the first Node error. A
/// descriptor op (`read`, `close`, …) only checks that its first argument is a `$ref` (no
/// descriptor is ever opened here). No warning is emitted (the runner's `rmdir` emits DEP0147
/// before its options are validated).
pub fn validate_step(mode: Mode, step: &Value) -> R<()> {
    let op = step["op"].as_str().unwrap_or_default();
    let empty = Vec::new();
    let args = step["args"].as_array().unwrap_or(&empty);
    check_allocs(&step["args"])?;
    let a = |i: usize| args.get(i);
    let path = |name: &str| path_arg(args, 0, name).map(drop);
    match op {
        "mkdir" => {
            path("path")?;
            let o = a(1);
            if let Some(Value::Number(_)) | Some(Value::String(_)) = o {
                mode_arg(o, "mode", None)?;
            } else {
                let def = (mode == Mode::Promise).then_some(0o777);
                if !undefined(opt(o, "mode")) {
                    mode_arg(opt(o, "mode"), "mode", def)?;
                }
                if !undefined(opt(o, "recursive")) {
                    validators::validate_boolean(js(opt(o, "recursive")), "options.recursive")?;
                }
            }
        }
        "writeFile" | "appendFile" => {
            path("path")?;
            let o = a(2);
            let enc = encoding_of(o)?;
            if !is_buffer(a(1)) {
                data_arg(a(1), enc)?;
            }
            a(1).map(probe);
            if opt(o, "flag").is_some() {
                flags_arg(opt(o, "flag"), fs::OpenFlags::WRITE)?;
            }
            mode_arg(opt(o, "mode"), "mode", Some(0o666))?;
        }
        "readFile" => {
            path("path")?;
            encoding_of(a(1))?;
            if opt(a(1), "flag").is_some() {
                flags_arg(opt(a(1), "flag"), fs::OpenFlags::READ)?;
            }
        }
        "stat" | "lstat" | "chown" | "lchown" | "readlink" | "realpath" | "unlink" | "truncate"
        | "utimes" | "lutimes" | "readdir" | "opendir" => path("path")?,
        "realpath.native" if mode != Mode::Promise => path("path")?,
        "exists" | "realpath.native" => {}
        "access" => {
            path("path")?;
            validators::get_valid_access_mode(js(a(1)))?;
        }
        "chmod" => {
            path("path")?;
            mode_arg(a(1), "mode", None)?;
        }
        "copyFile" => {
            path("src")?;
            path_arg(args, 1, "dest")?;
            validators::get_valid_access_mode(js(a(2)))?;
        }
        "rename" => {
            path("oldPath")?;
            path_arg(args, 1, "newPath")?;
        }
        "link" => {
            path("existingPath")?;
            path_arg(args, 1, "newPath")?;
        }
        "symlink" => {
            path("target")?;
            path_arg(args, 1, "path")?;
        }
        "rmdir" => {
            path("path")?;
            validators::rmdir_options(js(a(1)), props(a(1)))?;
        }
        "mkdtemp" => path("prefix")?,
        "rm" => {
            path("path")?;
            validators::rm_options(js(a(1)), props(a(1)))?;
        }
        "cp" => {
            validators::cp_options(js(a(2)), props(a(2)))?;
            path("src")?;
            path_arg(args, 1, "dest")?;
        }
        "open" => {
            path("path")?;
            flags_arg(a(1), fs::OpenFlags::READ)?;
            mode_arg(a(2), "mode", Some(0o666))?;
        }
        "read" | "write" | "readv" | "writev" | "fstat" | "close" | "ftruncate" | "fsync"
        | "fdatasync" | "fchmod" | "fchown" | "futimes" => {
            if a(0)
                .and_then(|v| v.get("$ref"))
                .and_then(Value::as_str)
                .is_none()
            {
                return Err(invalid_type("fd", "of type number", a(0)));
            }
            match op {
                "read" | "write" => drop(a(1).map(probe)),
                "readv" | "writev" => {
                    for b in a(1).and_then(Value::as_array).into_iter().flatten() {
                        probe(b);
                    }
                }
                "fchmod" => drop(mode_arg(a(1), "mode", None)?),
                _ => {}
            }
        }
        _ => return Err(unknown_op(op)),
    }
    Ok(())
}
