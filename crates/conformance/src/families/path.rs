//! The `path` record family: `path.posix.*` and `path.win32.*`, answered by `nodestd-path`.
//!
//! Arguments are validated as Node validates them, by their JSON type: `validateString` for
//! path strings (`ERR_INVALID_ARG_TYPE` for anything else, including a missing argument),
//! `validateObject` for `format`'s `pathObject` (not `null`, not an array), and no validation
//! at all for `toNamespacedPath`, which returns non-strings unchanged. A record's `cwd`
//! stands for `process.cwd()` in the functions that read it.

use nodestd_path::{ParsedPath, PathObject, posix, win32};
use serde_json::{Map, Value};

use crate::Outcome;
use crate::args::{self, Throw};

/// Which namespace a record calls.
#[derive(Clone, Copy)]
enum Ns {
    Posix,
    Win32,
}

/// Calls `path.<name>` (`name` is e.g. `posix.join`).
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    let (ns, func) = if let Some(f) = name.strip_prefix("posix.") {
        (Ns::Posix, f)
    } else if let Some(f) = name.strip_prefix("win32.") {
        (Ns::Win32, f)
    } else {
        return Err(Throw::new("ERR_NOT_IMPLEMENTED"));
    };
    let string = |s: String| Ok(Value::String(s));
    match func {
        "join" => {
            let parts = args::strings(args, 0)?;
            string(match ns {
                Ns::Posix => posix::join(parts),
                Ns::Win32 => win32::join(parts),
            })
        }
        "resolve" => {
            let parts = resolve_args(ns, args)?;
            string(match (ns, cwd) {
                (Ns::Posix, Some(cwd)) => posix::resolve_from(cwd, parts),
                (Ns::Posix, None) => posix::resolve(parts),
                (Ns::Win32, Some(cwd)) => win32::resolve_from(cwd, parts),
                (Ns::Win32, None) => win32::resolve(parts),
            })
        }
        "normalize" => {
            let p = args::string(args, 0)?;
            string(match ns {
                Ns::Posix => posix::normalize(p),
                Ns::Win32 => win32::normalize(p),
            })
        }
        "relative" => {
            let from = args::string(args, 0)?;
            let to = args::string(args, 1)?;
            string(match (ns, cwd) {
                (Ns::Posix, Some(cwd)) => posix::relative_from(cwd, from, to),
                (Ns::Posix, None) => posix::relative(from, to),
                (Ns::Win32, Some(cwd)) => win32::relative_from(cwd, from, to),
                (Ns::Win32, None) => win32::relative(from, to),
            })
        }
        "dirname" => {
            let p = args::string(args, 0)?;
            string(match ns {
                Ns::Posix => posix::dirname(p),
                Ns::Win32 => win32::dirname(p),
            })
        }
        "basename" => {
            // Node validates the suffix first (when it is not `undefined`), then the path.
            let suffix = match args.get(1) {
                None => None,
                Some(_) => Some(args::string(args, 1)?),
            };
            let p = args::string(args, 0)?;
            string(match (ns, suffix) {
                (Ns::Posix, None) => posix::basename(p),
                (Ns::Posix, Some(s)) => posix::basename_without_suffix(p, s),
                (Ns::Win32, None) => win32::basename(p),
                (Ns::Win32, Some(s)) => win32::basename_without_suffix(p, s),
            })
        }
        "extname" => {
            let p = args::string(args, 0)?;
            string(match ns {
                Ns::Posix => posix::extname(p),
                Ns::Win32 => win32::extname(p),
            })
        }
        "isAbsolute" => {
            let p = args::string(args, 0)?;
            Ok(Value::Bool(match ns {
                Ns::Posix => posix::is_absolute(p),
                Ns::Win32 => win32::is_absolute(p),
            }))
        }
        "parse" => {
            let p = args::string(args, 0)?;
            Ok(parsed_to_json(match ns {
                Ns::Posix => posix::parse(p),
                Ns::Win32 => win32::parse(p),
            }))
        }
        "format" => {
            let obj = match args.first() {
                Some(Value::Object(map)) => map,
                // validateObject: null, arrays and primitives are refused.
                _ => return Err(Throw::invalid_arg_type()),
            };
            // With no directory Node returns `base` itself, whatever its type.
            let has_dir = truthy(obj.get("dir")) || truthy(obj.get("root"));
            if !has_dir {
                if let Some(base) = obj.get("base").filter(|b| truthy(Some(b))) {
                    return Ok(base.clone());
                }
            }
            let fields = FormatFields::from_json(obj);
            let po = fields.as_path_object();
            string(match ns {
                Ns::Posix => posix::format(po),
                Ns::Win32 => win32::format(po),
            })
        }
        "toNamespacedPath" => match args.first() {
            // Non-strings (and `undefined`) come back as they are.
            Some(Value::String(p)) => string(match (ns, cwd) {
                (Ns::Posix, _) => posix::to_namespaced_path(p),
                (Ns::Win32, Some(cwd)) => win32::to_namespaced_path_from(cwd, p),
                (Ns::Win32, None) => win32::to_namespaced_path(p),
            }),
            Some(other) => Ok(other.clone()),
            None => Ok(Value::Null),
        },
        _ => Err(Throw::new("ERR_NOT_IMPLEMENTED")),
    }
}

/// The arguments `resolve` looks at. Node validates each argument only when its loop reaches
/// it, right to left, and the loop stops once the path is complete (absolute for posix;
/// absolute with a device for win32): a non-string before that point is never seen.
fn resolve_args(ns: Ns, args: &[Value]) -> Result<Vec<&str>, Throw> {
    let Some(k) = args.iter().rposition(|v| !v.is_string()) else {
        return args::strings(args, 0);
    };
    let rest = args::strings(args, k + 1)?;
    let complete = match ns {
        Ns::Posix => rest.iter().any(|p| posix::is_absolute(p)),
        Ns::Win32 => {
            // The loop stopped early iff the arguments alone gave an absolute path with a
            // device. Resolve them against a sentinel UNC cwd: a loop that reaches the cwd
            // either adopts the sentinel (no device yet) or stays drive-relative (`C:tail`,
            // the sentinel being on another device); a loop that stopped gives
            // `<device>\<tail>` with a device from the arguments.
            const SENTINEL: &str = "\\\\nodestd-cwd-sentinel\\x";
            let r = win32::resolve_from(SENTINEL, &rest);
            !r.starts_with(SENTINEL)
                && (r.starts_with("\\\\") || r.as_bytes().get(2) == Some(&b'\\'))
        }
    };
    if complete {
        Ok(rest)
    } else {
        Err(Throw::invalid_arg_type())
    }
}

/// `{root, dir, base, ext, name}` in Node's key order.
fn parsed_to_json(p: ParsedPath) -> Value {
    let mut m = Map::new();
    m.insert("root".into(), Value::String(p.root));
    m.insert("dir".into(), Value::String(p.dir));
    m.insert("base".into(), Value::String(p.base));
    m.insert("ext".into(), Value::String(p.ext));
    m.insert("name".into(), Value::String(p.name));
    Value::Object(m)
}

/// JavaScript truthiness of a property value (`undefined` is `None`).
fn truthy(v: Option<&Value>) -> bool {
    args::truthy(v)
}

/// The fields of a JSON `pathObject`, turned into the strings that make the library's
/// `format` compute what Node's `_format` computes on the JavaScript values:
/// - a falsy value (`null`, `false`, `0`, `""`) is absent, as `||` treats it;
/// - a truthy non-string is its `String(value)`;
/// - `ext` is given with its dot already decided: Node adds one unless `ext[0] === '.'`,
///   which for a non-string is only true of an array whose first element is `"."`;
/// - `dir === root` is JavaScript's strict equality: a number `1` and a string `"1"` differ,
///   and two objects are never the same, so `root` is dropped when the library's string
///   comparison would wrongly find them equal.
///
/// One corner is not expressible: a truthy value whose string is empty (`[]`, `[null]`) acts
/// as present in Node but as absent here. No record uses one.
struct FormatFields {
    root: Option<String>,
    dir: Option<String>,
    base: Option<String>,
    ext: Option<String>,
    name: Option<String>,
}

impl FormatFields {
    fn from_json(obj: &Map<String, Value>) -> FormatFields {
        let field = |k: &str| -> Option<String> {
            let v = obj.get(k);
            truthy(v).then(|| args::js_to_string(v.unwrap_or(&Value::Null)))
        };
        let mut root = field("root");
        let dir = field("dir");
        if dir.is_some() && root.is_some() && !strictly_equal(obj.get("dir"), obj.get("root")) {
            root = None;
        }
        let ext = obj.get("ext").filter(|v| truthy(Some(v))).map(|v| match v {
            Value::String(s) => s.clone(),
            Value::Array(items) if items.first() == Some(&Value::String(".".into())) => {
                args::js_to_string(v)
            }
            other => format!(".{}", args::js_to_string(other)),
        });
        FormatFields {
            root,
            dir,
            base: field("base"),
            ext,
            name: field("name"),
        }
    }

    fn as_path_object(&self) -> PathObject<'_> {
        PathObject {
            root: self.root.as_deref(),
            dir: self.dir.as_deref(),
            base: self.base.as_deref(),
            ext: self.ext.as_deref(),
            name: self.name.as_deref(),
        }
    }
}

/// JavaScript's `===` between two JSON-decoded property values (distinct objects and arrays
/// are never equal).
fn strictly_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) => x == y,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
        (Some(Value::Null), Some(Value::Null)) | (None, None) => true,
        _ => false,
    }
}
