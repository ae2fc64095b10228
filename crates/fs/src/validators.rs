//! Node's argument validators (`lib/internal/validators.js`, and the C++ `GetValidMode` of
//! `access`/`copyFile`), with Node's exact error codes and messages, for code that takes
//! JavaScript-like values (a script runner, a binding) and must reject them as Node does.
//!
//! The checks run in Node's order: the type first (`ERR_INVALID_ARG_TYPE`), then whether
//! the number is an integer (`… It must be an integer. Received 1.5`), then the range.
//!
//! ```
//! use nodestd_fs::validators::{JsValue, validate_uint32};
//! let e = validate_uint32(JsValue::Number(1.5), "options.maxRetries", false).unwrap_err();
//! assert_eq!(e.message(), "The value of \"options.maxRetries\" is out of range. \
//!     It must be an integer. Received 1.5");
//! ```

use crate::errors::{Error, ErrorKind, Result, node_inspect_str};

/// A JavaScript value as Node's validators see it: the type and, for primitives, the value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsValue<'a> {
    /// `undefined` (also an absent argument or property).
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(&'a str),
    /// A plain object (`{}`).
    Object,
    /// An array.
    Array,
    /// A `Buffer`.
    Buffer,
    /// A function.
    Function,
}

impl JsValue<'_> {
    /// `value == null` (`undefined` or `null`).
    pub fn is_nullish(self) -> bool {
        matches!(self, JsValue::Undefined | JsValue::Null)
    }

    /// JavaScript truthiness (`if (value)`).
    pub fn truthy(self) -> bool {
        match self {
            JsValue::Undefined | JsValue::Null => false,
            JsValue::Bool(b) => b,
            JsValue::Number(n) => n != 0.0 && !n.is_nan(),
            JsValue::String(s) => !s.is_empty(),
            _ => true,
        }
    }
}

/// JavaScript's `String(number)`: `1.5`, `-1`, `1e+21`, `NaN`, `Infinity`.
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n == n.trunc() && n.abs() < 1e21 {
        return format!("{n:.0}");
    }
    if n.abs() >= 1e21 || n.abs() < 1e-6 {
        let s = format!("{n:e}");
        return match s.split_once('e') {
            Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e}"),
            _ => s,
        };
    }
    format!("{n}")
}

/// Node's `inspect` of a number: as [`js_number`], but `-0` is `-0`.
fn inspect_number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else {
        js_number(n)
    }
}

/// The `Received …` tail of Node's `ERR_INVALID_ARG_TYPE` message.
pub fn received(v: JsValue<'_>) -> String {
    match v {
        JsValue::Undefined => "Received undefined".into(),
        JsValue::Null => "Received null".into(),
        JsValue::Array => "Received an instance of Array".into(),
        JsValue::Buffer => "Received an instance of Buffer".into(),
        JsValue::Object => "Received an instance of Object".into(),
        JsValue::Function => "Received function ".into(),
        JsValue::Bool(b) => format!("Received type boolean ({b})"),
        JsValue::Number(n) => format!("Received type number ({})", inspect_number(n)),
        JsValue::String(s) => {
            let shown: String = s.chars().take(25).collect();
            let more = if s.chars().count() > 25 { "..." } else { "" };
            format!("Received type string ('{shown}'{more})")
        }
    }
}

/// `ERR_INVALID_ARG_TYPE`: `The "name" argument must be EXPECTED. Received …` (`property`
/// for a dotted name such as `options.force`). `expected` is Node's phrase: `of type number`,
/// `of type string or an instance of Buffer or URL`.
pub fn invalid_arg_type(name: &str, expected: &str, v: JsValue<'_>) -> Error {
    let what = if name.contains('.') {
        "property"
    } else {
        "argument"
    };
    Error::node(
        ErrorKind::Type,
        "ERR_INVALID_ARG_TYPE",
        format!("The \"{name}\" {what} must be {expected}. {}", received(v)),
    )
}

/// `ERR_OUT_OF_RANGE` for a number: `The value of "name" is out of range. It must be RANGE.
/// Received N` (integers beyond 2^32 written with `_` separators, as Node does).
pub fn out_of_range(name: &str, range: &str, n: f64) -> Error {
    // Node: `addNumericalSeparator(String(n))` for an integer beyond 2**32 (so 2**53 is
    // `9_007_199_254_740_992` and 1e300 `1e+_300`), else `inspect(n)`.
    Error::out_of_range(name, range, &nodestd_buffer::js::received_number(n))
}

fn number(v: JsValue<'_>, name: &str) -> Result<f64> {
    match v {
        JsValue::Number(n) => Ok(n),
        v => Err(invalid_arg_type(name, "of type number", v)),
    }
}

fn integer_in(v: JsValue<'_>, name: &str, min: f64, max: f64) -> Result<f64> {
    let n = number(v, name)?;
    if !n.is_finite() || n != n.trunc() {
        return Err(out_of_range(name, "an integer", n));
    }
    if n < min || n > max {
        let range = format!(">= {} && <= {}", js_number(min), js_number(max));
        return Err(out_of_range(name, &range, n));
    }
    Ok(n)
}

/// Node's `validateInteger(value, name, min, max)` (Node's defaults are ±(2^53 − 1)).
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` for a non-number, `ERR_OUT_OF_RANGE` for a fraction or a number
/// outside `min..=max`.
pub fn validate_integer(v: JsValue<'_>, name: &str, min: i64, max: i64) -> Result<i64> {
    integer_in(v, name, min as f64, max as f64).map(|n| n as i64)
}

/// Node's `validateInt32(value, name, min, max)` (defaults: the whole `i32` range).
///
/// # Errors
/// As [`validate_integer`].
pub fn validate_int32(v: JsValue<'_>, name: &str, min: i32, max: i32) -> Result<i32> {
    integer_in(v, name, min.into(), max.into()).map(|n| n as i32)
}

/// Node's `validateUint32(value, name, positive)`: an integer in `0..=4294967295` (from 1
/// when `positive`).
///
/// # Errors
/// As [`validate_integer`].
pub fn validate_uint32(v: JsValue<'_>, name: &str, positive: bool) -> Result<u32> {
    integer_in(v, name, if positive { 1.0 } else { 0.0 }, u32::MAX.into()).map(|n| n as u32)
}

/// Node's `validateBoolean(value, name)`.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` for anything but a boolean.
pub fn validate_boolean(v: JsValue<'_>, name: &str) -> Result<bool> {
    match v {
        JsValue::Bool(b) => Ok(b),
        v => Err(invalid_arg_type(name, "of type boolean", v)),
    }
}

/// Node's `validateObject(value, name)` with its default options (no `null`, array or
/// function).
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` (`must be of type object`) otherwise.
pub fn validate_object(v: JsValue<'_>, name: &str) -> Result<()> {
    match v {
        JsValue::Object | JsValue::Buffer => Ok(()),
        v => Err(invalid_arg_type(name, "of type object", v)),
    }
}

/// Node's `validateOneOf(value, name, oneOf)` for string choices.
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE`: `The argument 'name' must be one of: 'a', 'b'. Received …`.
pub fn validate_one_of<'a>(v: JsValue<'a>, name: &str, one_of: &[&str]) -> Result<&'a str> {
    match v {
        JsValue::String(s) if one_of.contains(&s) => Ok(s),
        v => {
            let allowed: Vec<String> = one_of.iter().map(|s| format!("'{s}'")).collect();
            let what = if name.contains('.') {
                "property"
            } else {
                "argument"
            };
            Err(Error::node(
                ErrorKind::Type,
                "ERR_INVALID_ARG_VALUE",
                format!(
                    "The {what} '{name}' must be one of: {}. Received {}",
                    allowed.join(", "),
                    inspect(v)
                ),
            ))
        }
    }
}

/// Node's `inspect` of a value in an `ERR_INVALID_ARG_VALUE` message.
fn inspect(v: JsValue<'_>) -> String {
    match v {
        JsValue::Undefined => "undefined".into(),
        JsValue::Null => "null".into(),
        JsValue::Bool(b) => b.to_string(),
        JsValue::Number(n) => inspect_number(n),
        JsValue::String(s) => node_inspect_str(s),
        JsValue::Object => "{}".into(),
        JsValue::Array => "[]".into(),
        JsValue::Buffer => "<Buffer >".into(),
        JsValue::Function => "[Function (anonymous)]".into(),
    }
}

/// Node's `parseFileMode(value, name, def)`: `null`/`undefined` is `def` (with no default,
/// `chmod`'s case, they fail as `undefined`), an octal string is its value, and the result
/// must pass [`validate_uint32`].
///
/// ```
/// use nodestd_fs::validators::{JsValue, parse_file_mode};
/// assert_eq!(parse_file_mode(JsValue::String("755"), "mode", None).unwrap(), 0o755);
/// assert_eq!(parse_file_mode(JsValue::Null, "mode", Some(0o666)).unwrap(), 0o666);
/// assert_eq!(parse_file_mode(JsValue::Null, "mode", None).unwrap_err().message(),
///     "The \"mode\" argument must be of type number. Received undefined");
/// ```
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE` for a string that is not octal; as [`validate_uint32`] otherwise.
pub fn parse_file_mode(v: JsValue<'_>, name: &str, def: Option<u32>) -> Result<u32> {
    match (v, def) {
        (v, Some(def)) if v.is_nullish() => Ok(def),
        (v, None) if v.is_nullish() => validate_uint32(JsValue::Undefined, name, false),
        (JsValue::String(s), _) => crate::parse_mode(s),
        (v, _) => validate_uint32(v, name, false),
    }
}

/// The largest `mode` [`get_valid_access_mode`] accepts (`F_OK | R_OK | W_OK | X_OK`).
pub const MAX_ACCESS_MODE: i32 = 7;

/// Node's `GetValidMode` (C++) for `access`'s and `copyFile`'s `mode`: `null`/`undefined` is
/// 0; a number is truncated to an integer, which must be `0..=7`.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` `mode must be int32 or null/undefined` for a non-number;
/// `ERR_OUT_OF_RANGE` `mode is out of range: >= 0 && <= 7` outside the range (`mode is out of
/// range` for `NaN` and infinities).
pub fn get_valid_access_mode(v: JsValue<'_>) -> Result<i32> {
    match v {
        v if v.is_nullish() => Ok(0),
        JsValue::Number(n) if !n.is_finite() => Err(Error::node(
            ErrorKind::Range,
            "ERR_OUT_OF_RANGE",
            "mode is out of range",
        )),
        JsValue::Number(n) => check_access_mode(n.trunc()),
        _ => Err(Error::node(
            ErrorKind::Type,
            "ERR_INVALID_ARG_TYPE",
            "mode must be int32 or null/undefined",
        )),
    }
}

/// The range half of [`get_valid_access_mode`], which `access`/`copyFile` also apply to their
/// typed `mode`.
pub(crate) fn check_access_mode(n: f64) -> Result<i32> {
    if (0.0..=f64::from(MAX_ACCESS_MODE)).contains(&n) {
        Ok(n as i32)
    } else {
        Err(Error::node(
            ErrorKind::Range,
            "ERR_OUT_OF_RANGE",
            format!("mode is out of range: >= 0 && <= {MAX_ACCESS_MODE}"),
        ))
    }
}

/// A property of an options object: `None` when absent (Node's defaults then apply), the
/// value otherwise (an explicit `undefined` replaces the default, as `{ ...defaults,
/// ...options }` does).
pub type Property<'a> = Option<JsValue<'a>>;

fn boolean_option(v: Property<'_>, name: &str, def: bool) -> Result<bool> {
    v.map_or(Ok(def), |v| validate_boolean(v, name))
}

/// Node's `validateRmdirOptions(options)`: an object (or `undefined`), `recursive` a
/// boolean, `retryDelay` an int32 `>= 0`, `maxRetries` a uint32, checked in that order.
/// `get` reads a property of `options`.
///
/// # Errors
/// Node's `ERR_INVALID_ARG_TYPE` / `ERR_OUT_OF_RANGE` for the first bad value.
pub fn rmdir_options<'a>(
    options: JsValue<'a>,
    get: impl Fn(&str) -> Property<'a>,
) -> Result<crate::RmdirOptions> {
    let def = crate::RmdirOptions::default();
    if options == JsValue::Undefined {
        return Ok(def);
    }
    validate_object(options, "options")?;
    let recursive = boolean_option(get("recursive"), "options.recursive", def.recursive)?;
    let retry_delay = match get("retryDelay") {
        None => def.retry_delay,
        Some(v) => validate_int32(v, "options.retryDelay", 0, i32::MAX)? as u64,
    };
    let max_retries = match get("maxRetries") {
        None => def.max_retries,
        Some(v) => validate_uint32(v, "options.maxRetries", false)?,
    };
    Ok(crate::RmdirOptions {
        recursive,
        max_retries,
        retry_delay,
    })
}

/// Node's `rm` options check (`validateRmOptions*`): [`rmdir_options`]' checks, then `force`
/// a boolean.
///
/// # Errors
/// As [`rmdir_options`].
pub fn rm_options<'a>(
    options: JsValue<'a>,
    get: impl Fn(&str) -> Property<'a>,
) -> Result<crate::RmOptions> {
    let r = rmdir_options(options, &get)?;
    let force = if options == JsValue::Undefined {
        false
    } else {
        boolean_option(get("force"), "options.force", false)?
    };
    Ok(crate::RmOptions {
        recursive: r.recursive,
        force,
        max_retries: r.max_retries,
        retry_delay: r.retry_delay,
    })
}

/// Node's `validateCpOptions`: an object (or `undefined`); `dereference`, `errorOnExist`,
/// `force`, `preserveTimestamps`, `recursive`, `verbatimSymlinks` booleans, in that order;
/// `mode` `null`/`undefined` or an integer in `0..=7` (`getValidMode(mode, 'copyFile')`);
/// then `dereference` with `verbatimSymlinks` is `ERR_INCOMPATIBLE_OPTION_PAIR`. (`filter`
/// is a Rust closure: set it on the result.)
///
/// # Errors
/// Node's error for the first bad value.
pub fn cp_options<'a>(
    options: JsValue<'a>,
    get: impl Fn(&str) -> Property<'a>,
) -> Result<crate::CpOptions> {
    let def = crate::CpOptions::default();
    if options == JsValue::Undefined {
        return Ok(def);
    }
    validate_object(options, "options")?;
    let b = |key: &str, d: bool| boolean_option(get(key), &format!("options.{key}"), d);
    let o = crate::CpOptions {
        dereference: b("dereference", def.dereference)?,
        error_on_exist: b("errorOnExist", def.error_on_exist)?,
        force: b("force", def.force)?,
        preserve_timestamps: b("preserveTimestamps", def.preserve_timestamps)?,
        recursive: b("recursive", def.recursive)?,
        verbatim_symlinks: b("verbatimSymlinks", def.verbatim_symlinks)?,
        mode: match get("mode") {
            Some(v) if !v.is_nullish() => validate_integer(v, "mode", 0, 7)? as i32,
            _ => 0,
        },
        ..def
    };
    crate::cp::check_options(&o)?;
    Ok(o)
}
