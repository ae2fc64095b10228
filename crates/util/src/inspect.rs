//! `util.inspect`: lib/internal/util/inspect.js's `formatValue`, `formatRaw`,
//! `groupArrayElements` and `reduceToSingleString` for the [`Value`] model, with Node's
//! defaults (depth 2, breakLength 80, compact 3, no colors).

use nodestd_buffer::js::{inspect_string, number_to_string};

use crate::value::Value;

/// `util.inspect` options (the ones that mean something for [`Value`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectOptions {
    /// How deep nested objects are shown (`None`: no limit). Node's default: 2.
    pub depth: Option<usize>,
    /// Where lines break. Node's default: 80.
    pub break_length: usize,
    /// How many inner levels may share a line (`compact`). Node's default: 3.
    pub compact: usize,
    /// `showHidden`: arrays show their `[length]`.
    pub show_hidden: bool,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            depth: Some(2),
            break_length: 80,
            compact: 3,
            show_hidden: false,
        }
    }
}

/// Arrays, Sets and Maps show at most this many entries (`maxArrayLength`).
const MAX_ARRAY_LENGTH: usize = 100;
/// Strings shorter than this are never split at their newlines (`kMinLineWidth`).
const MIN_LINE_WIDTH: usize = 16;

struct Ctx {
    opts: InspectOptions,
    indentation_lvl: usize,
    current_depth: usize,
}

/// `util.inspect(value)` with Node's default options.
///
/// ```
/// use nodestd_util::{Value, inspect};
/// assert_eq!(inspect(&Value::Number(-0.0)), "-0");
/// assert_eq!(inspect(&Value::from("it's")), "\"it's\"");
/// assert_eq!(inspect(&Value::Buffer(b"hi".to_vec())), "<Buffer 68 69>");
/// let deep = Value::object([("a", Value::object([("b", Value::object([("c", Value::object([("d", 1.into())]))]))]))]);
/// assert_eq!(inspect(&deep), "{ a: { b: { c: [Object] } } }");
/// ```
#[doc(alias = "util.inspect")]
pub fn inspect(value: &Value) -> String {
    inspect_with(value, InspectOptions::default())
}

/// `util.inspect(value, options)`.
#[doc(alias = "inspect")]
pub fn inspect_with(value: &Value, opts: InspectOptions) -> String {
    let mut ctx = Ctx {
        opts,
        indentation_lvl: 0,
        current_depth: 0,
    };
    format_value(&mut ctx, value, 0)
}

fn len16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Node's `getStringWidth`: control and combining characters count 0, East Asian wide and
/// full-width characters (CJK, most emoji) 2, anything else 1. (Node asks ICU; this table
/// covers the common wide ranges.)
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let zero = u <= 0x1f
                || (0x7f..=0x9f).contains(&u)
                || (0x300..=0x36f).contains(&u)
                || (0x200b..=0x200f).contains(&u)
                || (0x20d0..=0x20ff).contains(&u)
                || (0xfe00..=0xfe0f).contains(&u)
                || (0xfe20..=0xfe2f).contains(&u)
                || (0xe0100..=0xe01ef).contains(&u);
            let wide = (0x1100..=0x115f).contains(&u)
                || (0x2e80..=0x303e).contains(&u)
                || (0x3041..=0x33ff).contains(&u)
                || (0x3400..=0x4dbf).contains(&u)
                || (0x4e00..=0x9fff).contains(&u)
                || (0xa000..=0xa4cf).contains(&u)
                || (0xac00..=0xd7a3).contains(&u)
                || (0xf900..=0xfaff).contains(&u)
                || (0xfe30..=0xfe4f).contains(&u)
                || (0xff00..=0xff60).contains(&u)
                || (0xffe0..=0xffe6).contains(&u)
                || (0x1f300..=0x1f64f).contains(&u)
                || (0x1f680..=0x1f6ff).contains(&u)
                || (0x1f900..=0x1f9ff).contains(&u)
                || (0x20000..=0x3fffd).contains(&u);
            if zero {
                0
            } else if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `formatNumber` without numeric separators.
pub(crate) fn format_number(n: f64) -> String {
    if n == 0.0 && n.is_sign_negative() {
        "-0".into()
    } else {
        number_to_string(n)
    }
}

fn quote(s: &str) -> String {
    inspect_string(&s.encode_utf16().collect::<Vec<_>>())
}

fn format_value(ctx: &mut Ctx, v: &Value, recurse: usize) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number(*n),
        Value::BigInt(n) => format!("{n}n"),
        Value::String(s) => {
            let len = len16(s);
            if len > MIN_LINE_WIDTH
                && (len as i64) > ctx.opts.break_length as i64 - ctx.indentation_lvl as i64 - 4
            {
                let pieces: Vec<String> = s.split_inclusive('\n').map(quote).collect();
                pieces.join(&format!(" +\n{}", " ".repeat(ctx.indentation_lvl + 2)))
            } else {
                quote(s)
            }
        }
        Value::Buffer(b) => nodestd_buffer::inspect_bytes(b),
        _ => format_raw(ctx, v, recurse),
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Extras {
    Object,
    Array,
}

/// What `formatRaw` decides before formatting entries: own keys, braces, base, extras type
/// and the constructor name shown past the depth limit.
type Shape<'a> = (
    &'a Vec<(String, Value)>,
    [String; 2],
    String,
    Extras,
    &'a str,
);

fn format_raw(ctx: &mut Ctx, v: &Value, mut recurse: usize) -> String {
    let no_keys: Vec<(String, Value)> = Vec::new();
    // showHidden's non-enumerable keys, written `[name]: value`, before the own ones.
    let mut hidden: Vec<(String, Value)> = Vec::new();
    let (keys, braces, base, extras, ctor): Shape<'_> = match v {
        Value::Array(items) => {
            if items.is_empty() && !ctx.opts.show_hidden {
                return "[]".into();
            }
            (
                &no_keys,
                ["[".into(), "]".into()],
                String::new(),
                Extras::Array,
                "Array",
            )
        }
        Value::Set(items) => {
            if items.is_empty() {
                return "Set(0) {}".into();
            }
            let b = format!("Set({}) {{", items.len());
            (
                &no_keys,
                [b, "}".into()],
                String::new(),
                Extras::Object,
                "Set",
            )
        }
        Value::Map(items) => {
            if items.is_empty() {
                return "Map(0) {}".into();
            }
            let b = format!("Map({}) {{", items.len());
            (
                &no_keys,
                [b, "}".into()],
                String::new(),
                Extras::Object,
                "Map",
            )
        }
        Value::Object(entries) => {
            if entries.is_empty() {
                return "{}".into();
            }
            (
                entries,
                ["{".into(), "}".into()],
                String::new(),
                Extras::Object,
                "Object",
            )
        }
        Value::Error {
            name,
            message,
            props,
        } => {
            let stack = if message.is_empty() {
                name.clone()
            } else {
                format!("{name}: {message}")
            };
            // Wrapped in brackets (no frames), then indented as the stack is in Node.
            let mut base = format!("[{stack}]");
            if ctx.indentation_lvl != 0 {
                base = base.replace('\n', &format!("\n{}", " ".repeat(ctx.indentation_lvl)));
            }
            if ctx.opts.show_hidden {
                hidden.push(("stack".into(), Value::String(stack.clone())));
                hidden.push(("message".into(), Value::String(message.clone())));
            } else if props.is_empty() {
                return base;
            }
            (
                props,
                ["{".into(), "}".into()],
                base,
                Extras::Object,
                name.as_str(),
            )
        }
        _ => return format_value(ctx, v, recurse),
    };
    if ctx.opts.depth.is_some_and(|d| recurse > d) {
        return format!("[{ctor}]");
    }
    recurse += 1;
    ctx.current_depth = recurse;
    let mut output: Vec<String> = Vec::new();
    let mut numbers: Vec<bool> = Vec::new();
    match v {
        Value::Array(items) => {
            let shown = items.len().min(MAX_ARRAY_LENGTH);
            for item in &items[..shown] {
                ctx.indentation_lvl += 2;
                output.push(format_value(ctx, item, recurse));
                ctx.indentation_lvl -= 2;
            }
            // groupArrayElements looks at `value[i]` for every output index, the one of
            // "... more items" included.
            numbers = items
                .iter()
                .map(|x| matches!(x, Value::Number(_) | Value::BigInt(_)))
                .collect();
            if items.len() > shown {
                output.push(remaining(items.len() - shown));
            }
            if ctx.opts.show_hidden {
                output.push(format!("[length]: {}", items.len()));
            }
        }
        Value::Set(items) => {
            ctx.indentation_lvl += 2;
            for item in items.iter().take(MAX_ARRAY_LENGTH) {
                output.push(format_value(ctx, item, recurse));
            }
            if items.len() > MAX_ARRAY_LENGTH {
                output.push(remaining(items.len() - MAX_ARRAY_LENGTH));
            }
            ctx.indentation_lvl -= 2;
        }
        Value::Map(items) => {
            ctx.indentation_lvl += 2;
            for (k, val) in items.iter().take(MAX_ARRAY_LENGTH) {
                let k = format_value(ctx, k, recurse);
                let val = format_value(ctx, val, recurse);
                output.push(format!("{k} => {val}"));
            }
            if items.len() > MAX_ARRAY_LENGTH {
                output.push(remaining(items.len() - MAX_ARRAY_LENGTH));
            }
            ctx.indentation_lvl -= 2;
        }
        _ => {}
    }
    for (k, val) in &hidden {
        ctx.indentation_lvl += 2;
        let s = format_value(ctx, val, recurse);
        ctx.indentation_lvl -= 2;
        output.push(format!("[{k}]: {s}"));
    }
    for (k, val) in keys {
        ctx.indentation_lvl += 2;
        let s = format_value(ctx, val, recurse);
        ctx.indentation_lvl -= 2;
        let name = if is_identifier(k) {
            k.clone()
        } else {
            quote(k)
        };
        output.push(format!("{name}: {s}"));
    }
    let more = matches!(v, Value::Array(items) if items.len() > MAX_ARRAY_LENGTH);
    reduce_to_single_string(ctx, output, &base, &braces, extras, recurse, &numbers, more)
}

fn remaining(n: usize) -> String {
    format!("... {n} more item{}", if n > 1 { "s" } else { "" })
}

/// `keyStrRegExp`: `/^[a-zA-Z_][a-zA-Z_0-9]*$/`.
fn is_identifier(k: &str) -> bool {
    let mut c = k.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

#[allow(clippy::too_many_arguments)]
fn reduce_to_single_string(
    ctx: &Ctx,
    output: Vec<String>,
    base: &str,
    braces: &[String; 2],
    extras: Extras,
    recurse: usize,
    numbers: &[bool],
    more: bool,
) -> String {
    let entries = output.len();
    let output = if extras == Extras::Array && entries > 6 {
        group_array_elements(ctx, output, numbers, more)
    } else {
        output
    };
    let based = if base.is_empty() {
        String::new()
    } else {
        format!("{base} ")
    };
    if ctx.current_depth - recurse < ctx.opts.compact && entries == output.len() {
        let start = output.len() + ctx.indentation_lvl + len16(&braces[0]) + len16(base) + 10;
        if is_below_break_length(ctx, &output, start, base) {
            let joined = output.join(", ");
            if !joined.contains('\n') {
                return format!("{based}{} {joined} {}", braces[0], braces[1]);
            }
        }
    }
    let ind = format!("\n{}", " ".repeat(ctx.indentation_lvl));
    format!(
        "{based}{}{ind}  {}{ind}{}",
        braces[0],
        output.join(&format!(",{ind}  ")),
        braces[1]
    )
}

fn is_below_break_length(ctx: &Ctx, output: &[String], start: usize, base: &str) -> bool {
    let mut total = output.len() + start;
    if total + output.len() > ctx.opts.break_length {
        return false;
    }
    for o in output {
        total += len16(o);
        if total > ctx.opts.break_length {
            return false;
        }
    }
    base.is_empty() || !base.contains('\n')
}

/// `groupArrayElements`: more than six short entries are laid out in columns.
fn group_array_elements(
    ctx: &Ctx,
    output: Vec<String>,
    numbers: &[bool],
    more: bool,
) -> Vec<String> {
    let mut total_length = 0usize;
    let mut max_length = 0usize;
    let output_length = if more { output.len() - 1 } else { output.len() };
    let separator_space = 2;
    let data_len: Vec<usize> = output[..output_length].iter().map(|s| width(s)).collect();
    for &len in &data_len {
        total_length += len + separator_space;
        max_length = max_length.max(len);
    }
    let actual_max = max_length + separator_space;
    if actual_max * 3 + ctx.indentation_lvl < ctx.opts.break_length
        && (total_length as f64 / actual_max as f64 > 5.0 || max_length <= 6)
    {
        let approx_char_heights = 2.5;
        let average_bias = (actual_max as f64 - total_length as f64 / output.len() as f64).sqrt();
        let biased_max = (actual_max as f64 - 3.0 - average_bias).max(1.0);
        let columns = ((approx_char_heights * biased_max * output_length as f64).sqrt()
            / biased_max)
            .round()
            .min(((ctx.opts.break_length - ctx.indentation_lvl) / actual_max) as f64)
            .min((ctx.opts.compact * 4) as f64)
            .min(15.0) as usize;
        if columns <= 1 {
            return output;
        }
        let mut max_line_length = Vec::new();
        for i in 0..columns {
            let mut line_length = 0;
            let mut j = i;
            while j < output.len() {
                if let Some(&d) = data_len.get(j) {
                    line_length = line_length.max(d);
                }
                j += columns;
            }
            max_line_length.push(line_length + separator_space);
        }
        // Numbers (and BigInts) are right-aligned; anything else (an index past the items,
        // such as showHidden's `[length]`, is `undefined`) left-aligns the whole array.
        let pad_start = (0..output.len()).all(|i| numbers.get(i).copied().unwrap_or(false));
        let pad = |s: &str, to: usize| {
            let fill = " ".repeat(to.saturating_sub(width(s)));
            if pad_start {
                format!("{fill}{s}")
            } else {
                format!("{s}{fill}")
            }
        };
        let mut tmp = Vec::new();
        let mut i = 0;
        while i < output_length {
            let max = (i + columns).min(output_length);
            let mut line = String::new();
            let mut j = i;
            while j < max - 1 {
                line.push_str(&pad(&format!("{}, ", output[j]), max_line_length[j - i]));
                j += 1;
            }
            if pad_start {
                let width = max_line_length[j - i] - separator_space;
                line.push_str(&pad(&output[j], width));
            } else {
                line.push_str(&output[j]);
            }
            tmp.push(line);
            i += columns;
        }
        if more {
            tmp.push(output[output_length].clone());
        }
        return tmp;
    }
    output
}
