//! `querystring.parse`: Node's single-pass splitter, ported code unit for code unit.
//!
//! Node walks the string's UTF-16 code units once, matching the (possibly multi-character)
//! separator and key/value delimiter with a simple reset-on-mismatch matcher, turning `+`
//! into a space, and noting whether a key or value holds a valid `%XX` so that only those are
//! decoded. The core loop here does the same, generic over the code unit: on `u16` units
//! for [`parse_utf16`] (and for `&str` input with a non-ASCII `sep` or `eq`), and on the
//! UTF-8 bytes of a `&str` otherwise, which gives the same pieces without transcoding (see
//! [`parse_with`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use crate::unescape::unescape_units;

/// Node's default `maxKeys`.
pub const DEFAULT_MAX_KEYS: usize = 1000;

const AMP: u16 = b'&' as u16;
const EQUALS: u16 = b'=' as u16;
const PLUS: u16 = b'+' as u16;
const PERCENT: u16 = b'%' as u16;

/// A custom `decodeURIComponent` for [`ParseOptions`]: the decoded text, or `None` where a
/// JavaScript decoder would throw.
pub type CustomDecoder<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The `options` argument of `querystring.parse`.
///
/// ```
/// use nodestd_querystring::{ParseOptions, parse_with};
/// let upper = |s: &str| Some(s.to_uppercase());
/// let options = ParseOptions { max_keys: 2, decode_uri_component: Some(&upper) };
/// let q = parse_with("a=x&b=y&c=z", "&", "=", &options);
/// assert_eq!(q.len(), 2);
/// assert_eq!(q.get("A").and_then(|v| v.as_str()), Some("X"));
/// ```
#[derive(Clone, Copy)]
pub struct ParseOptions<'a> {
    /// `maxKeys`: how many `sep`-separated pieces are read (empty pieces count); `0` means no
    /// limit. Default 1000. [`ParseOptions::js_max_keys`] maps a JavaScript number here.
    pub max_keys: usize,
    /// `decodeURIComponent`: a custom decoder for keys and values. `None` uses
    /// [`unescape`](crate::unescape). The decoder returns `None` where a JavaScript decoder
    /// would throw; Node then falls back to `querystring.unescape(s, true)`.
    ///
    /// As in Node, a custom decoder is called on every non-empty key and value, and `+` is
    /// handed to it as `%20`.
    pub decode_uri_component: Option<CustomDecoder<'a>>,
}

impl Default for ParseOptions<'_> {
    fn default() -> Self {
        ParseOptions {
            max_keys: DEFAULT_MAX_KEYS,
            decode_uri_component: None,
        }
    }
}

impl fmt::Debug for ParseOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParseOptions")
            .field("max_keys", &self.max_keys)
            .field(
                "decode_uri_component",
                &self.decode_uri_component.map(|_| "<fn>"),
            )
            .finish()
    }
}

impl ParseOptions<'_> {
    /// The [`max_keys`](ParseOptions::max_keys) that a JavaScript number `maxKeys` amounts to.
    ///
    /// Node counts down from `maxKeys` and stops when it reaches exactly zero, so only a
    /// positive whole number limits anything: `0`, negatives, `NaN`, `Infinity` and
    /// fractions such as `1.5` all mean "no limit".
    ///
    /// ```
    /// use nodestd_querystring::ParseOptions;
    /// assert_eq!(ParseOptions::js_max_keys(3.0), 3);
    /// assert_eq!(ParseOptions::js_max_keys(1.5), 0);
    /// assert_eq!(ParseOptions::js_max_keys(-1.0), 0);
    /// ```
    pub fn js_max_keys(max_keys: f64) -> usize {
        if max_keys > 0.0 && max_keys.is_finite() && max_keys.fract() == 0.0 {
            // Saturates past usize::MAX, which is no limit in practice either.
            max_keys as usize
        } else {
            0
        }
    }
}

/// A value of the parsed object: a string, or an array for a repeated key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QueryValue {
    /// The key appeared once.
    Single(String),
    /// The key appeared two or more times: every value, in order.
    Multiple(Vec<String>),
}

impl QueryValue {
    /// The string when the key appeared once.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            QueryValue::Single(s) => Some(s),
            QueryValue::Multiple(_) => None,
        }
    }

    /// Every value, in order (one for [`QueryValue::Single`]).
    pub fn values(&self) -> &[String] {
        match self {
            QueryValue::Single(s) => std::slice::from_ref(s),
            QueryValue::Multiple(v) => v,
        }
    }
}

/// The object `querystring.parse` returns: keys with their values, in the order
/// `Object.keys` would list them.
///
/// That order is JavaScript's property order: keys that are array indices (`"0"`, `"7"`, up
/// to `"4294967294"`, no leading zeros) first in ascending numeric order, then every other
/// key in the order it first appeared.
///
/// ```
/// use nodestd_querystring::{QueryValue, parse};
/// let q = parse("b=1&a=2&b=3&10=x&2=y");
/// let keys: Vec<&str> = q.iter().map(|(k, _)| k).collect();
/// assert_eq!(keys, ["2", "10", "b", "a"]);
/// assert_eq!(q.get("b"), Some(&QueryValue::Multiple(vec!["1".into(), "3".into()])));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    entries: Vec<(String, QueryValue)>,
}

impl ParsedQuery {
    /// The keys and values, in `Object.keys` order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &QueryValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&QueryValue> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl IntoIterator for ParsedQuery {
    type Item = (String, QueryValue);
    type IntoIter = std::vec::IntoIter<(String, QueryValue)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// The result of [`parse_utf16`]: keys and values as UTF-16 code units, in `Object.keys`
/// order (see [`ParsedQuery`]).
///
/// Each key maps to its list of values: exactly one value means Node's result holds a
/// string, two or more mean an array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQueryUtf16 {
    entries: Vec<(Vec<u16>, Vec<Vec<u16>>)>,
}

impl ParsedQueryUtf16 {
    /// The keys and their values (one value: a string in Node; several: an array).
    pub fn iter(&self) -> impl Iterator<Item = (&[u16], &[Vec<u16>])> {
        self.entries
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// `querystring.parse(input)`: `&` between pairs, `=` between key and value, at most 1000
/// pairs.
///
/// ```
/// use nodestd_querystring::{QueryValue, parse};
/// let q = parse("a=1&b=x+y%21&a=2&c");
/// assert_eq!(q.get("a"), Some(&QueryValue::Multiple(vec!["1".into(), "2".into()])));
/// assert_eq!(q.get("b").and_then(QueryValue::as_str), Some("x y!"));
/// assert_eq!(q.get("c").and_then(QueryValue::as_str), Some(""));
/// ```
pub fn parse(input: &str) -> ParsedQuery {
    parse_with(input, "&", "=", &ParseOptions::default())
}

/// `querystring.parse(input, sep, eq, options)`. An empty `sep` or `eq` means the default
/// (`&`, `=`), as Node treats any falsy one.
///
/// ```
/// use nodestd_querystring::{ParseOptions, parse_with};
/// let q = parse_with("a:1;;b:2", ";;", ":", &ParseOptions::default());
/// let pairs: Vec<_> = q.iter().map(|(k, v)| (k, v.as_str().unwrap())).collect();
/// assert_eq!(pairs, [("a", "1"), ("b", "2")]);
/// ```
#[doc(alias = "parse")]
pub fn parse_with(input: &str, sep: &str, eq: &str, options: &ParseOptions<'_>) -> ParsedQuery {
    // With ASCII `sep` and `eq`, Node's loop on UTF-16 units and the same loop on UTF-8
    // bytes see the same ASCII characters at the same places, and every other character
    // (one unit, or several bytes that are all >= 0x80) only resets the matchers: the bytes
    // route gives the same pieces without transcoding.
    if sep.is_ascii() && eq.is_ascii() {
        let sep: &[u8] = if sep.is_empty() { b"&" } else { sep.as_bytes() };
        let eq: &[u8] = if eq.is_empty() { b"=" } else { eq.as_bytes() };
        // One entry per piece at most (fewer when keys repeat).
        let first = sep[0];
        let pieces = input
            .bytes()
            .map(|b| usize::from(b == first))
            .sum::<usize>()
            + 1;
        let capacity = match options.max_keys {
            0 => pieces,
            n => pieces.min(n),
        };
        let mut obj = StrObject {
            input,
            entries: Vec::with_capacity(if input.is_empty() { 0 } else { capacity }),
            index: None,
            custom: options.decode_uri_component,
        };
        match (sep, eq, options.decode_uri_component) {
            (&[sep], &[eq], None) => parse_pieces(input, sep, eq, options.max_keys, &mut obj),
            _ => parse_loop(input.as_bytes(), sep, eq, options, &mut obj),
        }
        return obj.into_query();
    }
    let qs: Vec<u16> = input.encode_utf16().collect();
    let sep: Vec<u16> = sep.encode_utf16().collect();
    let eq: Vec<u16> = eq.encode_utf16().collect();
    let sep = (!sep.is_empty()).then_some(sep.as_slice());
    let eq = (!eq.is_empty()).then_some(eq.as_slice());
    // Slices end where a whole `sep`/`eq` (valid UTF-16) matched, so valid input gives valid
    // keys and values; the lossy conversion never replaces anything here.
    let entries = parse_units(&qs, sep, eq, options)
        .into_iter()
        .map(|(k, mut values)| {
            let key = String::from_utf16_lossy(&k);
            let value = if values.len() == 1 {
                QueryValue::Single(String::from_utf16_lossy(&values.swap_remove(0)))
            } else {
                QueryValue::Multiple(values.iter().map(|v| String::from_utf16_lossy(v)).collect())
            };
            (key, value)
        })
        .collect();
    ParsedQuery { entries }
}

/// `querystring.parse` for JavaScript strings given as UTF-16 code units, which may hold
/// lone surrogates; keys and values keep them.
///
/// `sep` and `eq` are `None` where Node's argument is falsy (the defaults `&` and `=`), else
/// the code units of `String(sep)`, which may be empty: `parse("a=b", null, [])` has an empty
/// `eq`, which never matches, so the whole piece is the value of the empty key.
///
/// A custom [`decode_uri_component`](ParseOptions::decode_uri_component) receives the piece
/// converted with `String::from_utf16_lossy` (a JavaScript decoder would see the lone
/// surrogates themselves).
///
/// ```
/// use nodestd_querystring::{ParseOptions, parse_utf16};
/// let input = [0x61, 0x3D, 0xD800]; // "a=\u{D800}"
/// let q = parse_utf16(&input, None, None, &ParseOptions::default());
/// let (key, values) = q.iter().next().unwrap();
/// assert_eq!((key, values), (&[0x61][..], &[vec![0xD800]][..]));
///
/// let q = parse_utf16(&input, None, Some(&[]), &ParseOptions::default());
/// let (key, values) = q.iter().next().unwrap();
/// assert_eq!((key, values), (&[][..], &[vec![0x61, 0x3D, 0xD800]][..]));
/// ```
pub fn parse_utf16(
    input: &[u16],
    sep: Option<&[u16]>,
    eq: Option<&[u16]>,
    options: &ParseOptions<'_>,
) -> ParsedQueryUtf16 {
    ParsedQueryUtf16 {
        entries: parse_units(input, sep, eq, options),
    }
}

/// A code unit of the string being parsed: a UTF-16 unit, or a UTF-8 byte of a `&str`
/// (see [`parse_with`] for why the two give the same pieces).
trait Unit: Copy + Eq + 'static {
    const PLUS: Self;
    const PERCENT: Self;
    /// What `+` becomes: a space, or `%20` for a custom decoder.
    const SPACE: &'static [Self];
    const PERCENT_20: &'static [Self];
    fn is_hex(self) -> bool;
}

impl Unit for u16 {
    const PLUS: u16 = PLUS;
    const PERCENT: u16 = PERCENT;
    const SPACE: &'static [u16] = &[b' ' as u16];
    const PERCENT_20: &'static [u16] = &[PERCENT, b'2' as u16, b'0' as u16];
    fn is_hex(self) -> bool {
        crate::tables::is_hex(self)
    }
}

impl Unit for u8 {
    const PLUS: u8 = b'+';
    const PERCENT: u8 = b'%';
    const SPACE: &'static [u8] = b" ";
    const PERCENT_20: &'static [u8] = b"%20";
    fn is_hex(self) -> bool {
        self.is_ascii_hexdigit()
    }
}

/// Where `addKeyVal` puts the pairs.
trait Sink<T> {
    /// `addKeyVal(obj, key, value, keyEncoded, valEncoded, decode)`.
    fn add(
        &mut self,
        qs: &[T],
        key: &Piece<T>,
        value: &Piece<T>,
        key_encoded: bool,
        value_encoded: bool,
    );
}

/// The object being built from UTF-16 input: Node's null-prototype `obj`, with its key order.
struct Object<'a> {
    entries: Vec<(Vec<u16>, Vec<Vec<u16>>)>,
    index: HashMap<Vec<u16>, usize>,
    decoder: Decoder<'a>,
}

/// How keys and values are decoded.
struct Decoder<'a> {
    custom: Option<CustomDecoder<'a>>,
}

impl Decoder<'_> {
    /// `decodeStr(s, decode)`.
    fn decode(&self, s: &[u16]) -> Vec<u16> {
        match self.custom {
            // `QueryString.unescape(s)`: decodeSpaces is undefined.
            None => unescape_units(s, false),
            Some(f) => match f(&String::from_utf16_lossy(s)) {
                Some(decoded) => decoded.encode_utf16().collect(),
                // The decoder threw: `QueryString.unescape(s, true)`.
                None => unescape_units(s, true),
            },
        }
    }
}

impl Sink<u16> for Object<'_> {
    fn add(
        &mut self,
        qs: &[u16],
        key: &Piece<u16>,
        value: &Piece<u16>,
        key_encoded: bool,
        value_encoded: bool,
    ) {
        let (key, value) = (key.get(qs), value.get(qs));
        let key = if !key.is_empty() && key_encoded {
            self.decoder.decode(key)
        } else {
            key.to_vec()
        };
        let value = if !value.is_empty() && value_encoded {
            self.decoder.decode(value)
        } else {
            value.to_vec()
        };
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1.push(value),
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, vec![value]));
            }
        }
    }
}

impl Object<'_> {
    /// The entries in `Object.keys` order.
    fn into_entries(self) -> Vec<(Vec<u16>, Vec<Vec<u16>>)> {
        let mut entries = self.entries;
        // Stable: non-index keys keep their insertion order.
        entries.sort_by_key(|(k, _)| array_index(k).map_or((1, 0), |n| (0, n)));
        entries
    }
}

/// Up to this many keys, [`StrObject`] finds a repeated key by a linear scan; past it, it
/// builds a hash index.
const LINEAR_KEYS: usize = 16;

/// A piece of a `&str` input. Pieces end at ASCII `sep`/`eq`/`+`, so they are whole
/// characters and this borrows; the lossy conversion is only a fallback that never runs.
fn utf8(piece: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(piece) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(piece),
    }
}

/// The text of a piece of `input`. Pieces end at ASCII `sep`/`eq`/`+`, so they are whole
/// characters.
fn text<'s>(input: &'s str, piece: &'s Piece<u8>) -> std::borrow::Cow<'s, str> {
    match piece {
        Piece::Empty => "".into(),
        Piece::Range(start, end) => input.get(*start..*end).unwrap_or_default().into(),
        Piece::Owned(bytes) => utf8(bytes),
    }
}

/// The object being built from `&str` input, straight into [`ParsedQuery`]'s entries.
struct StrObject<'a, 'q> {
    /// The input: pieces that are ranges of it are sliced from it (no UTF-8 check).
    input: &'q str,
    entries: Vec<(String, QueryValue)>,
    index: Option<HashMap<String, usize>>,
    custom: Option<CustomDecoder<'a>>,
}

impl StrObject<'_, '_> {
    /// `decodeStr(s, decode)`.
    fn decode(&self, text: &str) -> String {
        match self.custom {
            // `QueryString.unescape(s)`: decodeSpaces is undefined.
            None => crate::unescape::unescape_str(text, false),
            Some(f) => match f(text) {
                Some(decoded) => decoded,
                // The decoder threw: `QueryString.unescape(s, true)`.
                None => crate::unescape::unescape_str(text, true),
            },
        }
    }

    /// The entries in `Object.keys` order.
    fn into_query(self) -> ParsedQuery {
        let mut entries = self.entries;
        if entries
            .iter()
            .any(|(k, _)| array_index(k.as_bytes()).is_some())
        {
            // Stable: non-index keys keep their insertion order.
            entries.sort_by_key(|(k, _)| array_index(k.as_bytes()).map_or((1, 0), |n| (0, n)));
        }
        ParsedQuery { entries }
    }
}

impl Sink<u8> for StrObject<'_, '_> {
    fn add(
        &mut self,
        _qs: &[u8],
        key: &Piece<u8>,
        value: &Piece<u8>,
        key_encoded: bool,
        value_encoded: bool,
    ) {
        let key = text(self.input, key);
        let key = if !key.is_empty() && key_encoded {
            self.decode(&key).into()
        } else {
            key
        };
        let value = text(self.input, value);
        let value = if !value.is_empty() && value_encoded {
            self.decode(&value)
        } else {
            value.into_owned()
        };
        self.insert(key, value);
    }
}

impl StrObject<'_, '_> {
    /// `addKeyVal`'s store: a new key gets a string, a repeated one an array of its values.
    /// The key is copied only when it is new.
    fn insert(&mut self, key: Cow<'_, str>, value: String) {
        let found = match &self.index {
            Some(index) => index.get(&*key).copied(),
            None => {
                let key = key.as_bytes();
                self.entries.iter().position(|(k, _)| {
                    let k = k.as_bytes();
                    k.len() == key.len() && k.first() == key.first() && k == key
                })
            }
        };
        match found {
            Some(i) => {
                let slot = &mut self.entries[i].1;
                match slot {
                    QueryValue::Multiple(values) => values.push(value),
                    QueryValue::Single(first) => {
                        // Room for a few more repeats before the array grows.
                        let mut values = Vec::with_capacity(4);
                        values.push(std::mem::take(first));
                        values.push(value);
                        *slot = QueryValue::Multiple(values);
                    }
                }
            }
            None => {
                let key = key.into_owned();
                if let Some(index) = &mut self.index {
                    index.insert(key.clone(), self.entries.len());
                } else if self.entries.len() == LINEAR_KEYS {
                    let mut index: HashMap<String, usize> = self
                        .entries
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                    index.insert(key.clone(), self.entries.len());
                    self.index = Some(index);
                }
                self.entries.push((key, QueryValue::Single(value)));
            }
        }
    }

    /// A key or value of a piece as [`parse_pieces`] adds it: `+` as a space (`plus`: it
    /// holds one), and decoded when `encoded` (Node's `keyEncoded` / `valEncoded`; only
    /// asked for text holding a `%`, without which decoding changes nothing).
    fn text_of<'s>(&self, raw: &'s str, plus: bool, encoded: bool) -> Cow<'s, str> {
        let spaced: Cow<'s, str> = if plus {
            let mut s = String::with_capacity(raw.len());
            let mut last = 0;
            // `+` is ASCII: the cuts are at character boundaries.
            for (i, &b) in raw.as_bytes().iter().enumerate() {
                if b == b'+' {
                    s.push_str(&raw[last..i]);
                    s.push(' ');
                    last = i + 1;
                }
            }
            s.push_str(&raw[last..]);
            s.into()
        } else {
            raw.into()
        };
        if encoded {
            self.decode(&spaced).into()
        } else {
            spaced
        }
    }
}

/// One step of Node's `encodeCheck`, which looks for a `%` and two hex digits so that only
/// keys and values holding one get decoded: `Some(done)` when `code` extends such an escape
/// (`done`: it completed one), `None` when it does not (the check starts over).
fn encode_step<T: Unit>(check: &mut usize, code: T) -> Option<bool> {
    if code == T::PERCENT {
        *check = 1;
        Some(false)
    } else if *check > 0 && code.is_hex() {
        *check += 1;
        Some(*check == 3)
    } else {
        *check = 0;
        None
    }
}

/// Node's `keyEncoded` and `valEncoded` after the key of a piece.
///
/// `keyEncoded` says whether the key holds a `%` and two hex digits in a row. Node's loop
/// shares one `encodeCheck` between key and value, and once `keyEncoded` is set every later
/// key character except `+` also runs the value's check: `%C3%A9=x` marks the value encoded
/// too (which shows when its decoding fails and the byte-wise fallback rewrites it).
fn key_flags(key: &[u8]) -> (bool, bool) {
    let (mut key_encoded, mut value_encoded) = (false, false);
    let mut check = 0;
    for &c in key {
        if !key_encoded {
            if let Some(done) = encode_step(&mut check, c) {
                key_encoded = done;
                continue;
            }
        }
        // The value's check, reached by every character not dealt with above but `+`.
        if c != b'+' && !value_encoded && encode_step(&mut check, c) == Some(true) {
            value_encoded = true;
        }
    }
    (key_encoded, value_encoded)
}

/// Node's `valEncoded` from the value of a piece (the check starts over at `eq`): whether
/// it holds a `%` and two hex digits, where Node's loop deals with a `+` in a value before
/// its check, which therefore looks through it (`%4+1` counts).
fn value_encoded_after_eq(value: &[u8]) -> bool {
    let mut check = 0;
    value
        .iter()
        .any(|&c| c != b'+' && encode_step(&mut check, c) == Some(true))
}

/// [`MARKS`] of a `+`.
const PLUS_MARK: u8 = 1;
/// [`MARKS`] of a `%`.
const PERCENT_MARK: u8 = 2;
/// The bytes [`parse_pieces`] notes in a key or value: [`PLUS_MARK`] and [`PERCENT_MARK`].
const MARKS: [u8; 256] = {
    let mut t = [0; 256];
    t[b'+' as usize] = PLUS_MARK;
    t[b'%' as usize] = PERCENT_MARK;
    t
};

/// Node's `parse` loop for the common case: a one-byte `sep` and `eq` and the default
/// decoder. Then every piece between separators is a key, or a key, `eq` and a value (at
/// the first `eq`), and the loop's per-character state comes down to [`key_flags`],
/// [`value_encoded_after_eq`] and `+` to space: the same result, found piece by piece.
///
/// A non-empty piece adds a pair; every separator counts against `max_keys` (`0`: no
/// limit), and the parse stops when the count runs out.
fn parse_pieces(input: &str, sep: u8, eq: u8, max_keys: usize, obj: &mut StrObject<'_, '_>) {
    let qs = input.as_bytes();
    let mut pairs_left = max_keys;
    let mut pos = 0;
    while pos < qs.len() {
        // The key runs to the first `eq` or `sep` (`sep` is tested first, as Node's loop
        // does), the value from there to the next `sep`; on the way, note whether each
        // holds a `+` or a `%`.
        let mut end = pos;
        let mut key_marks = 0;
        while end < qs.len() && qs[end] != sep && qs[end] != eq {
            key_marks |= MARKS[usize::from(qs[end])];
            end += 1;
        }
        let mut eq_at = None;
        let mut value_marks = 0;
        if end < qs.len() && qs[end] != sep {
            eq_at = Some(end);
            end += 1;
            while end < qs.len() && qs[end] != sep {
                value_marks |= MARKS[usize::from(qs[end])];
                end += 1;
            }
        }
        if pos < end {
            // `sep` and `eq` are ASCII: the cuts are at character boundaries.
            let (key, value) = match eq_at {
                Some(e) => (&input[pos..e], &input[e + 1..end]),
                None => (&input[pos..end], ""),
            };
            let (key_encoded, value_encoded) = if key_marks & PERCENT_MARK != 0 {
                key_flags(key.as_bytes())
            } else {
                (false, false)
            };
            let value_encoded = value_marks & PERCENT_MARK != 0
                && (value_encoded || value_encoded_after_eq(value.as_bytes()));
            // Text with no `+` and no `%` is taken as it is (decoding changes nothing).
            let key = if key_marks == 0 {
                Cow::Borrowed(key)
            } else {
                obj.text_of(key, key_marks & PLUS_MARK != 0, key_encoded)
            };
            let value = if value_marks == 0 {
                value.to_owned()
            } else {
                obj.text_of(value, value_marks & PLUS_MARK != 0, value_encoded)
                    .into_owned()
            };
            obj.insert(key, value);
        }
        if end == qs.len() {
            return;
        }
        if pairs_left > 0 {
            pairs_left -= 1;
            if pairs_left == 0 {
                return;
            }
        }
        pos = end + 1;
    }
}

/// The value of `key` if JavaScript treats it as an array index (a canonical decimal
/// integer below 2^32 - 1), which `Object.keys` lists first, in numeric order.
fn array_index<T: Copy + Into<u32>>(key: &[T]) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key[0].into() == u32::from(b'0')) {
        return None;
    }
    let mut n: u64 = 0;
    for &c in key {
        let c: u32 = c.into();
        if !(u32::from(b'0')..=u32::from(b'9')).contains(&c) {
            return None;
        }
        n = n * 10 + u64::from(c - u32::from(b'0'));
    }
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

/// Node's `parse` loop on UTF-16 code units. `sep`/`eq` `None` mean the defaults.
fn parse_units(
    qs: &[u16],
    sep: Option<&[u16]>,
    eq: Option<&[u16]>,
    options: &ParseOptions<'_>,
) -> Vec<(Vec<u16>, Vec<Vec<u16>>)> {
    let mut obj = Object {
        entries: Vec::new(),
        index: HashMap::new(),
        decoder: Decoder {
            custom: options.decode_uri_component,
        },
    };
    let sep: &[u16] = sep.unwrap_or(&[AMP]);
    let eq: &[u16] = eq.unwrap_or(&[EQUALS]);
    parse_loop(qs, sep, eq, options, &mut obj);
    obj.into_entries()
}

/// A key or value being collected: mostly one stretch of the input, copied only when it is
/// made of several (around a `+`).
enum Piece<T> {
    Empty,
    /// `qs[start..end]`.
    Range(usize, usize),
    Owned(Vec<T>),
}

impl<T: Copy> Piece<T> {
    fn push_range(&mut self, qs: &[T], start: usize, end: usize) {
        match self {
            Piece::Empty => *self = Piece::Range(start, end),
            Piece::Range(_, e) if *e == start => *e = end,
            Piece::Range(s, e) => {
                let mut owned = qs[*s..*e].to_vec();
                owned.extend_from_slice(&qs[start..end]);
                *self = Piece::Owned(owned);
            }
            Piece::Owned(v) => v.extend_from_slice(&qs[start..end]),
        }
    }

    fn push_units(&mut self, qs: &[T], units: &[T]) {
        match self {
            Piece::Empty => *self = Piece::Owned(units.to_vec()),
            Piece::Range(s, e) => {
                let mut owned = qs[*s..*e].to_vec();
                owned.extend_from_slice(units);
                *self = Piece::Owned(owned);
            }
            Piece::Owned(v) => v.extend_from_slice(units),
        }
    }

    fn get<'q>(&'q self, qs: &'q [T]) -> &'q [T] {
        match self {
            Piece::Empty => &[],
            Piece::Range(s, e) => &qs[*s..*e],
            Piece::Owned(v) => v,
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Piece::Empty => true,
            Piece::Range(s, e) => s == e,
            Piece::Owned(v) => v.is_empty(),
        }
    }
}

/// Node's `parse` loop, on UTF-16 units or on the UTF-8 bytes of a `&str` (for ASCII
/// `sep` and `eq` only). `sep` and `eq` are the actual ones (defaults already applied).
fn parse_loop<T: Unit, S: Sink<T>>(
    qs: &[T],
    sep: &[T],
    eq: &[T],
    options: &ParseOptions<'_>,
    obj: &mut S,
) {
    if qs.is_empty() {
        return;
    }
    let (sep_len, eq_len) = (sep.len(), eq.len());

    // Node counts `pairs` down and stops at exactly zero; `-1` (no limit) never gets there.
    let mut pairs: i64 = match options.max_keys {
        0 => -1,
        n => i64::try_from(n).unwrap_or(i64::MAX),
    };

    let custom_decode = options.decode_uri_component.is_some();
    let plus_char: &[T] = if custom_decode {
        T::PERCENT_20
    } else {
        T::SPACE
    };

    let mut last_pos = 0;
    let mut sep_idx = 0;
    let mut eq_idx = 0;
    let mut key = Piece::Empty;
    let mut value = Piece::Empty;
    let mut key_encoded = custom_decode;
    let mut value_encoded = custom_decode;
    let mut encode_check = 0;

    for (i, &code) in qs.iter().enumerate() {
        // Try matching the pair separator (e.g. `&`). An empty one never matches.
        if sep.get(sep_idx) == Some(&code) {
            sep_idx += 1;
            if sep_idx == sep_len {
                let end = i + 1 - sep_idx;
                if eq_idx < eq_len {
                    // The whole `eq` was not seen: the piece is a key.
                    if last_pos < end {
                        key.push_range(qs, last_pos, end);
                    } else if key.is_empty() {
                        // An empty piece between separators still counts against maxKeys.
                        pairs -= 1;
                        if pairs == 0 {
                            return;
                        }
                        last_pos = i + 1;
                        sep_idx = 0;
                        eq_idx = 0;
                        continue;
                    }
                } else if last_pos < end {
                    value.push_range(qs, last_pos, end);
                }

                obj.add(qs, &key, &value, key_encoded, value_encoded);
                key = Piece::Empty;
                value = Piece::Empty;

                pairs -= 1;
                if pairs == 0 {
                    return;
                }
                key_encoded = custom_decode;
                value_encoded = custom_decode;
                encode_check = 0;
                last_pos = i + 1;
                sep_idx = 0;
                eq_idx = 0;
            }
            continue;
        }
        sep_idx = 0;
        // Try matching the key/value delimiter (e.g. `=`) if not seen yet.
        if eq_idx < eq_len {
            if code == eq[eq_idx] {
                eq_idx += 1;
                if eq_idx == eq_len {
                    let end = i + 1 - eq_idx;
                    if last_pos < end {
                        key.push_range(qs, last_pos, end);
                    }
                    encode_check = 0;
                    last_pos = i + 1;
                }
                continue;
            }
            eq_idx = 0;
            if !key_encoded {
                // Look for one valid `%XX` so that only encoded keys get decoded.
                if let Some(done) = encode_step(&mut encode_check, code) {
                    key_encoded = done;
                    continue;
                }
            }
            if code == T::PLUS {
                if last_pos < i {
                    key.push_range(qs, last_pos, i);
                }
                key.push_units(qs, plus_char);
                last_pos = i + 1;
                continue;
            }
        }
        if code == T::PLUS {
            if last_pos < i {
                value.push_range(qs, last_pos, i);
            }
            value.push_units(qs, plus_char);
            last_pos = i + 1;
        } else if !value_encoded && encode_step(&mut encode_check, code) == Some(true) {
            value_encoded = true;
        }
    }

    // Whatever is left over.
    if last_pos < qs.len() {
        if eq_idx < eq_len {
            key.push_range(qs, last_pos, qs.len());
        } else if sep_idx < sep_len {
            value.push_range(qs, last_pos, qs.len());
        }
    } else if eq_idx == 0 && key.is_empty() {
        // The input ended with an empty piece.
        return;
    }

    obj.add(qs, &key, &value, key_encoded, value_encoded);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &ParsedQuery) -> Vec<(String, Vec<String>)> {
        q.iter()
            .map(|(k, v)| (k.to_owned(), v.values().to_vec()))
            .collect()
    }

    #[test]
    fn array_indices() {
        let u = |s: &str| s.encode_utf16().collect::<Vec<_>>();
        assert_eq!(array_index(&u("0")), Some(0));
        assert_eq!(array_index(&u("4294967294")), Some(4_294_967_294));
        assert_eq!(array_index(&u("4294967295")), None);
        assert_eq!(array_index(&u("01")), None);
        assert_eq!(array_index(&u("")), None);
        assert_eq!(array_index(&u("1a")), None);
    }

    /// The UTF-16 route's answer, as a [`ParsedQuery`].
    fn via_utf16(input: &str, sep: &str, eq: &str, options: &ParseOptions<'_>) -> ParsedQuery {
        let u = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        let (input, sep, eq) = (u(input), u(sep), u(eq));
        let sep = (!sep.is_empty()).then_some(sep.as_slice());
        let eq = (!eq.is_empty()).then_some(eq.as_slice());
        let entries = parse_utf16(&input, sep, eq, options)
            .iter()
            .map(|(k, values)| {
                let key = String::from_utf16_lossy(k);
                let mut values: Vec<String> =
                    values.iter().map(|v| String::from_utf16_lossy(v)).collect();
                let value = if values.len() == 1 {
                    QueryValue::Single(values.remove(0))
                } else {
                    QueryValue::Multiple(values)
                };
                (key, value)
            })
            .collect();
        ParsedQuery { entries }
    }

    /// A small seeded generator: `next(n)` is below `n`.
    fn lcg(mut state: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        }
    }

    #[test]
    fn bytes_route_matches_the_utf16_route() {
        const PIECES: &[&str] = &[
            "a", "b", "=", "&", "+", "%", "4", "1", "é", "😀", "%C3", "%A9", "%4", "%zz", ";;",
            ":", "0", "10", "7", "%E9", "x", "ab",
        ];
        const SEPS: &[&str] = &["", "&", ";;", "ab", "=&", "é"];
        const EQS: &[&str] = &["", "=", ":", "==", "a", "è"];
        let upper = |s: &str| Some(s.to_uppercase());
        let fail = |_: &str| None;
        let mut next = lcg(0x9E37_79B9_7F4A_7C15);
        for round in 0..20_000 {
            let len = next(12);
            let input: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let (sep, eq) = (SEPS[next(SEPS.len())], EQS[next(EQS.len())]);
            let options = ParseOptions {
                max_keys: [0, 1, 2, 1000][next(4)],
                decode_uri_component: match round % 3 {
                    0 => None,
                    1 => Some(&upper),
                    _ => Some(&fail),
                },
            };
            assert_eq!(
                parse_with(&input, sep, eq, &options),
                via_utf16(&input, sep, eq, &options),
                "{input:?} {sep:?} {eq:?} {options:?}"
            );
        }
        // Past the linear scan's key count, with repeats.
        let many: String = (0..40).map(|i| format!("k{}=v{i}&", i % 25)).collect();
        let options = ParseOptions::default();
        assert_eq!(
            parse_with(&many, "&", "=", &options),
            via_utf16(&many, "&", "=", &options)
        );
    }

    #[test]
    fn piece_by_piece_route_matches_the_loop() {
        // One-byte `sep`/`eq` with the default decoder take `parse_pieces`; the UTF-16 route
        // runs Node's loop. Hex digits, `+` and `%` as `sep`/`eq` included.
        const PIECES: &[&str] = &[
            "a", "b", "=", "&", "+", "%", "4", "1", "é", "😀", "%C3", "%A9", "%4", "%zz", ";", "0",
            "10", "%E9", "x", "%41", "%2B", "%%", "++",
        ];
        const ONE_BYTE: &[&str] = &["&", "=", ";", "a", "+", "%", "4"];
        let mut next = lcg(0x2545_F491_4F6C_DD1D);
        for _ in 0..30_000 {
            let len = next(14);
            let input: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let (sep, eq) = (
                ONE_BYTE[next(ONE_BYTE.len())],
                ONE_BYTE[next(ONE_BYTE.len())],
            );
            let options = ParseOptions {
                max_keys: [0, 1, 2, 3, 1000][next(5)],
                decode_uri_component: None,
            };
            assert_eq!(
                parse_with(&input, sep, eq, &options),
                via_utf16(&input, sep, eq, &options),
                "{input:?} {sep:?} {eq:?} {options:?}"
            );
        }
    }

    #[test]
    fn max_keys_counts_empty_pieces() {
        let opts = ParseOptions {
            max_keys: 2,
            ..ParseOptions::default()
        };
        let q = parse_with("&&a=1&b=2", "&", "=", &opts);
        assert!(q.is_empty());
        let q = parse_with("a=1&&b=2", "&", "=", &opts);
        assert_eq!(pairs(&q), [("a".to_owned(), vec!["1".to_owned()])]);
    }

    #[test]
    fn custom_decoder_that_fails_falls_back_with_spaces() {
        let fail = |_: &str| None;
        let opts = ParseOptions {
            decode_uri_component: Some(&fail),
            ..ParseOptions::default()
        };
        let q = parse_with("a+b=%41+", "&", "=", &opts);
        assert_eq!(pairs(&q), [("a b".to_owned(), vec!["A ".to_owned()])]);
    }
}
