//! Node's `req.headers` rules (`lib/_http_incoming.js`, `matchKnownFields` and
//! `_addHeaderLine`): names lower-cased; a duplicate of a once-only field dropped; `set-cookie`
//! an array; duplicate `cookie` joined with `'; '`, any other duplicate with `', '`.

use serde_json::{Map, Value};

/// A value of `req.headers`: a string, or (for `set-cookie` only) an array of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// A string value.
    Str(String),
    /// `set-cookie`'s array.
    List(Vec<String>),
}

/// The fields whose duplicates Node drops (the first one wins).
const DROP_DUPLICATES: &[&str] = &[
    "content-type",
    "content-length",
    "user-agent",
    "referer",
    "host",
    "authorization",
    "proxy-authorization",
    "if-modified-since",
    "if-unmodified-since",
    "from",
    "location",
    "max-forwards",
    "retry-after",
    "etag",
    "last-modified",
    "server",
    "age",
    "expires",
];

/// `req.headers` (or `req.trailers`): an ordered map built by Node's rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(String, HeaderValue)>,
}

impl Headers {
    /// An empty map.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// `_addHeaderLine(field, value)`: adds one raw header line by Node's rules.
    #[doc(alias = "_addHeaderLine")]
    pub fn add_line(&mut self, field: &str, value: &str) {
        let name = field.to_ascii_lowercase();
        let existing = self.entries.iter_mut().find(|(n, _)| *n == name);
        match (existing, name.as_str()) {
            (None, "set-cookie") => self
                .entries
                .push((name, HeaderValue::List(vec![value.to_owned()]))),
            (None, _) => self
                .entries
                .push((name, HeaderValue::Str(value.to_owned()))),
            (Some((_, HeaderValue::List(list))), _) => list.push(value.to_owned()),
            (Some(_), n) if DROP_DUPLICATES.contains(&n) => {}
            (Some((_, HeaderValue::Str(s))), "cookie") => {
                s.push_str("; ");
                s.push_str(value);
            }
            (Some((_, HeaderValue::Str(s))), _) => {
                s.push_str(", ");
                s.push_str(value);
            }
        }
    }

    /// The value of a (lower-case) name, as a string (`set-cookie` joined with `', '`).
    pub fn get(&self, name: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| match v {
                HeaderValue::Str(s) => s.clone(),
                HeaderValue::List(l) => l.join(", "),
            })
    }

    /// Whether a (lower-case) name is there.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// The entries in insertion order.
    pub fn entries(&self) -> &[(String, HeaderValue)] {
        &self.entries
    }

    /// `JSON.stringify(req.headers)`.
    #[doc(alias = "stringify")]
    pub fn to_json(&self) -> String {
        let mut map = Map::new();
        for (n, v) in &self.entries {
            let v = match v {
                HeaderValue::Str(s) => Value::String(s.clone()),
                HeaderValue::List(l) => {
                    Value::Array(l.iter().cloned().map(Value::String).collect())
                }
            };
            map.insert(n.clone(), v);
        }
        Value::Object(map).to_string()
    }
}

/// Bytes as Node's parser hands them to JavaScript (latin1: one char per byte).
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}
