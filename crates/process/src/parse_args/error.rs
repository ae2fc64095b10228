//! [`ParseArgsError`]: the errors `util.parseArgs` throws, with Node's codes and message texts.
//!
//! Codes come from one table ([`ErrorKind::code`]); messages are built by the constructors
//! below, each a port of the matching `E(...)` entry of Node's `lib/internal/errors.js`
//! (`ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`, `ERR_PARSE_ARGS_*`) together with the
//! bits of `util.inspect` and `JSON.stringify` those messages use to show a value.

use std::fmt;

use super::{Scalar, Value};

/// Which error Node throws. Every kind is a `TypeError` in Node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_INVALID_ARG_TYPE`: an option's `default` has the wrong type for its `type` and
    /// `multiple`.
    InvalidArgType,
    /// `ERR_INVALID_ARG_VALUE`: an option's `short` is not a single UTF-16 code unit.
    InvalidArgValue,
    /// `ERR_PARSE_ARGS_UNKNOWN_OPTION`: strict mode met an option that is not configured.
    UnknownOption,
    /// `ERR_PARSE_ARGS_INVALID_OPTION_VALUE`: strict mode met a string option without a value,
    /// a boolean option with one, or an ambiguous value that looks like an option.
    InvalidOptionValue,
    /// `ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL`: a positional argument when positionals are not
    /// allowed.
    UnexpectedPositional,
}

impl ErrorKind {
    /// Node's `code` for this kind.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgType => "ERR_INVALID_ARG_TYPE",
            ErrorKind::InvalidArgValue => "ERR_INVALID_ARG_VALUE",
            ErrorKind::UnknownOption => "ERR_PARSE_ARGS_UNKNOWN_OPTION",
            ErrorKind::InvalidOptionValue => "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
            ErrorKind::UnexpectedPositional => "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
        }
    }
}

/// An error from [`parse_args`](super::parse_args): Node's `code` and Node's message.
///
/// `Display` writes the message alone, as Node's `err.message`.
///
/// ```
/// use nodestd_process::parse_args::{ErrorKind, ParseArgsConfig};
/// let err = ParseArgsConfig::new().args(["--nope"]).parse().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownOption);
/// assert_eq!(err.code(), "ERR_PARSE_ARGS_UNKNOWN_OPTION");
/// assert_eq!(err.to_string(), "Unknown option '--nope'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseArgsError {
    kind: ErrorKind,
    message: String,
}

impl ParseArgsError {
    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Node's `err.code`, e.g. `ERR_PARSE_ARGS_UNKNOWN_OPTION`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Node's `err.message`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `ERR_PARSE_ARGS_UNKNOWN_OPTION` for `raw_name`, with Node's hint about `--` when
    /// positionals are allowed.
    pub(super) fn unknown_option(raw_name: &str, allow_positionals: bool) -> Self {
        let mut message = format!("Unknown option '{raw_name}'");
        if allow_positionals {
            message.push_str(
                ". To specify a positional argument starting with a '-', place it at the end \
                 of the command after '--', as in '-- ",
            );
            message.push_str(&json_stringify(raw_name));
        }
        ParseArgsError {
            kind: ErrorKind::UnknownOption,
            message,
        }
    }

    /// `ERR_PARSE_ARGS_INVALID_OPTION_VALUE` with a message built by the parser.
    pub(super) fn invalid_option_value(message: String) -> Self {
        ParseArgsError {
            kind: ErrorKind::InvalidOptionValue,
            message,
        }
    }

    /// `ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL` for `value`.
    pub(super) fn unexpected_positional(value: &str) -> Self {
        ParseArgsError {
            kind: ErrorKind::UnexpectedPositional,
            message: format!(
                "Unexpected argument '{value}'. This command does not take positional arguments"
            ),
        }
    }

    /// `ERR_INVALID_ARG_VALUE` for the property `name` holding the string `value`.
    pub(super) fn invalid_arg_value(name: &str, value: &str, reason: &str) -> Self {
        let mut inspected = inspect_string(value);
        if utf16_len(&inspected) > 128 {
            inspected = format!("{}...", utf16_prefix(&inspected, 128));
        }
        let kind = if name.contains('.') {
            "property"
        } else {
            "argument"
        };
        ParseArgsError {
            kind: ErrorKind::InvalidArgValue,
            message: format!("The {kind} '{name}' {reason}. Received {inspected}"),
        }
    }

    /// `ERR_INVALID_ARG_TYPE` for the property `name`, which `must be {expected}` (e.g.
    /// `of type string`, `an instance of Array`) but holds `actual`.
    pub(super) fn invalid_arg_type(name: &str, expected: &str, actual: Received<'_>) -> Self {
        let kind = if name.contains('.') {
            "property"
        } else {
            "argument"
        };
        ParseArgsError {
            kind: ErrorKind::InvalidArgType,
            message: format!(
                "The \"{name}\" {kind} must be {expected}. Received {}",
                actual.describe()
            ),
        }
    }
}

impl fmt::Display for ParseArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseArgsError {}

/// A value as an `ERR_INVALID_ARG_TYPE` message shows it (Node's `determineSpecificType`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Received<'a> {
    /// A whole `default`.
    Value(&'a Value),
    /// One element of an array `default`.
    Scalar(&'a Scalar),
}

impl Received<'_> {
    fn describe(self) -> String {
        match self {
            Received::Value(Value::String(s)) | Received::Scalar(Scalar::String(s)) => {
                describe_string(s)
            }
            Received::Value(Value::Bool(b)) | Received::Scalar(Scalar::Bool(b)) => {
                format!("type boolean ({b})")
            }
            Received::Value(Value::List(_)) => "an instance of Array".to_owned(),
        }
    }
}

/// `determineSpecificType` for a string: cut to 25 code units past 28, quoted with `'` unless
/// the (cut) text holds one, in which case it is written as `JSON.stringify` writes it.
fn describe_string(s: &str) -> String {
    let cut;
    let s = if utf16_len(s) > 28 {
        cut = format!("{}...", utf16_prefix(s, 25));
        cut.as_str()
    } else {
        s
    };
    if s.contains('\'') {
        format!("type string ({})", json_stringify(s))
    } else {
        format!("type string ('{s}')")
    }
}

/// The length of `s` in UTF-16 code units, JavaScript's `s.length`.
pub(super) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The first `units` UTF-16 code units of `s` (`s.slice(0, units)`). A surrogate pair cut in
/// half leaves a lone high surrogate in JavaScript; a Rust string cannot hold one, so it is
/// written as U+FFFD.
fn utf16_prefix(s: &str, units: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        let w = c.len_utf16();
        if n + w > units {
            if n < units {
                out.push('\u{FFFD}');
            }
            break;
        }
        out.push(c);
        n += w;
    }
    out
}

/// `JSON.stringify` of a string.
fn json_stringify(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `util.inspect` writes a multi-line string line by line when it is longer than both
/// `kMinLineLength` (16) and the default `breakLength` (80) less the 4 columns it keeps free;
/// the second bound is the one that decides.
const SPLIT_OVER: usize = 80 - 4;

/// `util.inspect(s)` with default options: a string longer than 16 and 76 code units is
/// written line by line (split after each `\n`), the pieces joined with ` +\n  `.
fn inspect_string(s: &str) -> String {
    let len = utf16_len(s);
    if len > SPLIT_OVER {
        let mut pieces = Vec::new();
        let mut rest = s;
        // Split after every '\n' that is not the last character (JavaScript's
        // `split(/(?<=\n)/)` never splits at the end of the string).
        while let Some(i) = rest.find('\n') {
            if i + 1 == rest.len() {
                break;
            }
            pieces.push(str_escape(&rest[..=i]));
            rest = &rest[i + 1..];
        }
        pieces.push(str_escape(rest));
        return pieces.join(" +\n  ");
    }
    str_escape(s)
}

/// `util.inspect`'s `strEscape`: picks the quote (`'`, else `"` when the text holds `'` but
/// no `"`, else `` ` `` when it holds neither `` ` `` nor `${`) and escapes control
/// characters, C1 controls, the backslash and the chosen quote when it is `'`.
fn str_escape(s: &str) -> String {
    let quote = if s.contains('\'') {
        if !s.contains('"') {
            '"'
        } else if !s.contains('`') && !s.contains("${") {
            '`'
        } else {
            '\''
        }
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        let point = u32::from(c);
        match c {
            '\'' if quote == '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            _ if point < 0x20 || (0x7f..0xa0).contains(&point) => {
                out.push_str(&format!("\\x{point:02X}"));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspect_matches_node() {
        assert_eq!(inspect_string("ff"), "'ff'");
        assert_eq!(inspect_string("a'b"), "\"a'b\"");
        assert_eq!(inspect_string("a'b\"c"), "`a'b\"c`");
        assert_eq!(inspect_string("a'b\"c`"), "'a\\'b\"c`'");
        assert_eq!(
            inspect_string("\x7f\u{85}\u{a0}\x01\t"),
            "'\\x7F\\x85\u{a0}\\x01\\t'"
        );
        let long = format!("a\n{}", "b".repeat(75));
        assert_eq!(
            inspect_string(&long),
            format!("'a\\n' +\n  '{}'", "b".repeat(75))
        );
        let tail = format!("{}\n", "ab".repeat(50));
        assert_eq!(inspect_string(&tail), format!("'{}\\n'", "ab".repeat(50)));
    }

    #[test]
    fn describe_matches_node() {
        assert_eq!(describe_string("abc"), "type string ('abc')");
        assert_eq!(describe_string("a'b"), "type string (\"a'b\")");
        assert_eq!(
            describe_string(&"a".repeat(29)),
            format!("type string ('{}...')", "a".repeat(25))
        );
        assert_eq!(describe_string("a\n\"'"), "type string (\"a\\n\\\"'\")");
    }

    #[test]
    fn utf16_cuts() {
        assert_eq!(utf16_prefix("ab😀", 3), "ab\u{FFFD}");
        assert_eq!(utf16_prefix("ab😀", 4), "ab😀");
        assert_eq!(utf16_len("é😀"), 3);
    }
}
