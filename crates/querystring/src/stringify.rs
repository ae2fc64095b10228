//! `querystring.stringify`: Node's `stringifyPrimitive` rules and its field joining.

use std::fmt;

use crate::error::Error;
use crate::escape::{escape, escape_utf16};
use crate::number::js_number_to_string;

/// A JavaScript value as `stringify` sees it (`stringifyPrimitive`).
#[derive(Debug, Clone, PartialEq)]
pub enum Primitive {
    /// A string: used as it is.
    Str(String),
    /// A number: finite ones as JavaScript prints them (`1e+21`, `0.1`, `-0` → `0`);
    /// `NaN` and infinities give the empty string.
    Number(f64),
    /// A bigint: its decimal digits.
    BigInt(i128),
    /// A boolean: `true` or `false`.
    Bool(bool),
    /// Anything else (`null`, `undefined`, objects, functions, symbols): the empty string.
    Other,
    /// A JavaScript string as UTF-16 code units, which may hold lone surrogates; escaping one
    /// that Node cannot encode fails with `ERR_INVALID_URI`.
    Utf16(Vec<u16>),
}

/// The value of one key of the object given to `stringify`.
#[derive(Debug, Clone, PartialEq)]
pub enum StringifyValue {
    /// A single value: one `key=value` field.
    One(Primitive),
    /// An array: one `key=value` field per element, none for an empty array. (Elements that
    /// are themselves arrays or objects are [`Primitive::Other`], the empty string.)
    List(Vec<Primitive>),
}

/// A key given to [`stringify_with`]: a Rust string, or a JavaScript string as UTF-16 code
/// units (which may hold lone surrogates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsStr<'a> {
    /// A Rust string.
    Str(&'a str),
    /// UTF-16 code units.
    Utf16(&'a [u16]),
}

impl<'a> From<&'a str> for JsStr<'a> {
    fn from(s: &'a str) -> Self {
        JsStr::Str(s)
    }
}

impl<'a> From<&'a String> for JsStr<'a> {
    fn from(s: &'a String) -> Self {
        JsStr::Str(s)
    }
}

impl<'a> From<&'a [u16]> for JsStr<'a> {
    fn from(s: &'a [u16]) -> Self {
        JsStr::Utf16(s)
    }
}

impl<'a> From<&'a Vec<u16>> for JsStr<'a> {
    fn from(s: &'a Vec<u16>) -> Self {
        JsStr::Utf16(s)
    }
}

/// How `stringify` encodes keys and values (`options.encodeURIComponent`).
pub enum Encoder<'f> {
    /// [`escape`], Node's default. With it, empty strings, numbers below `1e21`, bigints and
    /// booleans are written without calling the encoder, as Node does.
    Escape,
    /// A custom encoder, called on `stringifyPrimitive` of every key and value (empty strings
    /// included). A [`Primitive::Utf16`] or [`JsStr::Utf16`] reaches it converted with
    /// `String::from_utf16_lossy`.
    Custom(&'f mut dyn FnMut(&str) -> String),
}

impl fmt::Debug for Encoder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encoder::Escape => f.write_str("Escape"),
            Encoder::Custom(_) => f.write_str("Custom(<fn>)"),
        }
    }
}

/// `querystring.stringify(obj)`: `key=value` fields joined with `&`, keys and values
/// escaped with [`escape`], in the order given.
///
/// Node emits `Object.keys(obj)` order, which puts array-index keys (`"0"`, `"1"`, …) first;
/// a caller mirroring a JavaScript object passes its keys in that order.
///
/// This function cannot fail: a [`Primitive::Utf16`] holding a lone surrogate that Node
/// would reject with `ERR_INVALID_URI` is encoded as U+FFFD instead; use
/// [`stringify_with`] to get Node's error.
///
/// ```
/// use nodestd_querystring::{Primitive, StringifyValue, stringify};
/// let a = StringifyValue::List(vec![Primitive::Number(1.0), Primitive::Str("x y".into())]);
/// let b = StringifyValue::One(Primitive::Number(1e21));
/// let c = StringifyValue::One(Primitive::Other);
/// assert_eq!(stringify([("a", &a), ("b", &b), ("c", &c)]), "a=1&a=x%20y&b=1e%2B21&c=");
/// ```
pub fn stringify<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a StringifyValue)>,
{
    let (sep, eq) = delimiters("&", "=");
    stringify_impl(pairs, &sep, &eq, Encoder::Escape, true)
        .map(|units| String::from_utf16_lossy(&units))
        .unwrap_or_default()
}

/// `querystring.stringify(obj, sep, eq, { encodeURIComponent })`. An empty `sep` or `eq`
/// means the default (`&`, `=`), as Node treats any falsy one. Keys may be `&str` or UTF-16
/// (see [`JsStr`]).
///
/// ```
/// use nodestd_querystring::{Encoder, Primitive, StringifyValue, stringify_with};
/// let v = StringifyValue::One(Primitive::Str("a b".into()));
/// let s = stringify_with([("k", &v), ("j", &v)], ";", ":", Encoder::Escape).unwrap();
/// assert_eq!(s, "k:a%20b;j:a%20b");
///
/// let mut upper = |s: &str| s.to_uppercase();
/// let s = stringify_with([("k", &v)], "", "", Encoder::Custom(&mut upper)).unwrap();
/// assert_eq!(s, "K=A B");
///
/// let lone = StringifyValue::One(Primitive::Utf16(vec![0x61, 0xD800]));
/// let err = stringify_with([("k", &lone)], "&", "=", Encoder::Escape).unwrap_err();
/// assert_eq!(err.code(), "ERR_INVALID_URI");
/// ```
///
/// # Errors
/// `ERR_INVALID_URI` when the default encoder meets a key or value ending in a lone
/// surrogate (only possible with UTF-16 input).
#[doc(alias = "stringify")]
pub fn stringify_with<'a, 'k, K, I>(
    pairs: I,
    sep: &str,
    eq: &str,
    encoder: Encoder<'_>,
) -> Result<String, Error>
where
    K: Into<JsStr<'k>>,
    I: IntoIterator<Item = (K, &'a StringifyValue)>,
{
    let (sep, eq) = delimiters(sep, eq);
    stringify_impl(pairs, &sep, &eq, encoder, false).map(|units| String::from_utf16_lossy(&units))
}

/// `querystring.stringify(obj, sep, eq)` for JavaScript runtimes: keys, values, `sep` and `eq`
/// may hold lone surrogates, and so may the answer (only through `sep` and `eq`: escaped
/// text is ASCII). Uses the default encoder, [`escape`].
///
/// `sep` and `eq` are `None` where Node's argument is falsy (the defaults `&` and `=`), else
/// the code units of `String(sep)`, which may be empty: `stringify({a: 1, b: 2}, [])` is
/// `"a=1b=2"`.
///
/// ```
/// use nodestd_querystring::{JsStr, Primitive, StringifyValue, stringify_utf16};
/// let v = StringifyValue::One(Primitive::Number(1.0));
/// let pairs = [(JsStr::Str("a"), &v), (JsStr::Utf16(&[0x62]), &v)];
/// let out = stringify_utf16(pairs, Some(&[]), None).unwrap();
/// assert_eq!(String::from_utf16(&out).unwrap(), "a=1b=1");
/// ```
///
/// # Errors
/// `ERR_INVALID_URI` when a key or value ends in a lone surrogate.
#[doc(alias = "stringify")]
pub fn stringify_utf16<'a, 'k, K, I>(
    pairs: I,
    sep: Option<&[u16]>,
    eq: Option<&[u16]>,
) -> Result<Vec<u16>, Error>
where
    K: Into<JsStr<'k>>,
    I: IntoIterator<Item = (K, &'a StringifyValue)>,
{
    let sep = sep.unwrap_or(&[AMP]);
    let eq = eq.unwrap_or(&[EQUALS]);
    stringify_impl(pairs, sep, eq, Encoder::Escape, false)
}

const AMP: u16 = b'&' as u16;
const EQUALS: u16 = b'=' as u16;

/// `sep || '&'` and `eq || '='` for the `&str` entry points.
fn delimiters(sep: &str, eq: &str) -> (Vec<u16>, Vec<u16>) {
    let sep = if sep.is_empty() { "&" } else { sep };
    let eq = if eq.is_empty() { "=" } else { eq };
    (sep.encode_utf16().collect(), eq.encode_utf16().collect())
}

/// Node's `stringify` loop. The answer is UTF-16 so that delimiters with lone surrogates
/// survive; the `&str` entry points only ever put valid text in.
fn stringify_impl<'a, 'k, K, I>(
    pairs: I,
    sep: &[u16],
    eq: &[u16],
    mut encoder: Encoder<'_>,
    lossy: bool,
) -> Result<Vec<u16>, Error>
where
    K: Into<JsStr<'k>>,
    I: IntoIterator<Item = (K, &'a StringifyValue)>,
{
    let mut fields: Vec<u16> = Vec::new();
    for (k, v) in pairs {
        let mut ks: Vec<u16> = match k.into() {
            JsStr::Str(s) => convert_str(s, &mut encoder),
            JsStr::Utf16(u) => convert_utf16(u, &mut encoder, lossy)?,
        }
        .encode_utf16()
        .collect();
        ks.extend_from_slice(eq);
        match v {
            StringifyValue::List(items) => {
                if items.is_empty() {
                    continue;
                }
                if !fields.is_empty() {
                    fields.extend_from_slice(sep);
                }
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        fields.extend_from_slice(sep);
                    }
                    fields.extend_from_slice(&ks);
                    fields.extend(convert(item, &mut encoder, lossy)?.encode_utf16());
                }
            }
            StringifyValue::One(p) => {
                if !fields.is_empty() {
                    fields.extend_from_slice(sep);
                }
                fields.extend_from_slice(&ks);
                fields.extend(convert(p, &mut encoder, lossy)?.encode_utf16());
            }
        }
    }
    Ok(fields)
}

/// `stringifyPrimitive(v)` for everything but UTF-16 strings.
fn primitive_string(p: &Primitive) -> String {
    match p {
        Primitive::Str(s) => s.clone(),
        Primitive::Number(n) if n.is_finite() => js_number_to_string(*n),
        Primitive::BigInt(b) => b.to_string(),
        Primitive::Bool(b) => b.to_string(),
        Primitive::Utf16(u) => String::from_utf16_lossy(u),
        Primitive::Number(_) | Primitive::Other => String::new(),
    }
}

/// `encodeStringified` (default encoder) or `encodeStringifiedCustom`.
fn convert(p: &Primitive, encoder: &mut Encoder<'_>, lossy: bool) -> Result<String, Error> {
    match (p, &mut *encoder) {
        (Primitive::Str(s), _) => Ok(convert_str(s, encoder)),
        (Primitive::Utf16(u), _) => convert_utf16(u, encoder, lossy),
        // Numbers of 1e21 and more print with a `+`, which needs escaping; the others print
        // only characters `escape` keeps.
        (Primitive::Number(_), Encoder::Escape) => Ok(escape(&primitive_string(p))),
        // Bigints and booleans need no escaping.
        (_, Encoder::Escape) => Ok(primitive_string(p)),
        (_, Encoder::Custom(f)) => Ok(f(&primitive_string(p))),
    }
}

fn convert_str(s: &str, encoder: &mut Encoder<'_>) -> String {
    match encoder {
        Encoder::Escape => escape(s),
        Encoder::Custom(f) => f(s),
    }
}

fn convert_utf16(u: &[u16], encoder: &mut Encoder<'_>, lossy: bool) -> Result<String, Error> {
    match encoder {
        Encoder::Escape => match escape_utf16(u) {
            Err(_) if lossy => Ok(escape(&String::from_utf16_lossy(u))),
            other => other,
        },
        Encoder::Custom(f) => Ok(f(&String::from_utf16_lossy(u))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_arrays_write_nothing() {
        let empty = StringifyValue::List(vec![]);
        let one = StringifyValue::One(Primitive::Bool(true));
        assert_eq!(
            stringify([("a", &empty), ("b", &one), ("c", &empty)]),
            "b=true"
        );
    }

    #[test]
    fn lossy_default_stringify() {
        let lone = StringifyValue::One(Primitive::Utf16(vec![0xD800]));
        assert_eq!(stringify([("k", &lone)]), "k=%EF%BF%BD");
    }

    #[test]
    fn custom_encoder_sees_every_value() {
        let mut seen = Vec::new();
        let mut record = |s: &str| {
            seen.push(s.to_owned());
            format!("<{s}>")
        };
        let vals = StringifyValue::List(vec![
            Primitive::Str(String::new()),
            Primitive::Number(f64::NAN),
            Primitive::BigInt(-5),
        ]);
        let out = stringify_with([("k", &vals)], "&", "=", Encoder::Custom(&mut record)).unwrap();
        assert_eq!(out, "<k>=<>&<k>=<>&<k>=<-5>");
        // The key is encoded once.
        assert_eq!(seen, ["k", "", "", "-5"]);
    }
}
