//! The legacy `url.parse` / `url.format` / `url.resolve` API, with Node's quirks.
//!
//! A hand-written port of Node v20's `lib/url.js`: [`parse`] builds a [`Url`] with all twelve
//! of Node's fields, [`format()`] / [`format_str`] / [`format_object`] write one back (the last
//! one reads a loosely-typed [`UrlObject`], as `url.format(plainObject)` does), and
//! [`resolve`] / [`resolve_object`] resolve a relative URL against a base. The crate docs list
//! every deviation from Node.

mod ada_tables;
mod format;
mod idna;
mod js;
mod parse;
mod resolve;

pub(crate) use idna::to_ascii_unterminated as idna_to_ascii_unterminated;
pub use js::JsValue;
use nodestd_querystring::ParsedQuery;

use crate::Error;

/// `unsafeProtocol`: protocols that keep "unsafe" and "unwise" characters unescaped.
fn is_unsafe(protocol: &str) -> bool {
    matches!(protocol, "javascript" | "javascript:")
}

/// `hostlessProtocol`: protocols that never have a hostname.
fn is_hostless(protocol: &str) -> bool {
    matches!(protocol, "javascript" | "javascript:")
}

/// `slashedProtocol`: protocols that always contain a `//` bit.
fn is_slashed(protocol: &str) -> bool {
    matches!(
        protocol,
        "http"
            | "http:"
            | "https"
            | "https:"
            | "ftp"
            | "ftp:"
            | "gopher"
            | "gopher:"
            | "file"
            | "file:"
            | "ws"
            | "ws:"
            | "wss"
            | "wss:"
    )
}

/// The `query` field of a [`Url`]: the raw query string, or the object
/// `querystring.parse` made of it (when `parse` was asked to parse query strings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// The text after `?` (without it), up to the `#`.
    String(String),
    /// `querystring.parse` of that text (an empty object when the URL has no `?`).
    Object(ParsedQuery),
}

/// Node's legacy `Url` object: the twelve fields `url.parse` sets, `None` where Node has
/// `null`.
///
/// Fields are public and may be changed before [`Url::format`], as in Node.
///
/// ```
/// let u = nodestd_url::parse("HTTP://user:pw@Example.COM:8080/p/a/t/h?query=string#hash", false, false)?;
/// assert_eq!(u.protocol.as_deref(), Some("http:"));
/// assert!(u.slashes);
/// assert_eq!(u.auth.as_deref(), Some("user:pw"));
/// assert_eq!(u.host.as_deref(), Some("example.com:8080"));
/// assert_eq!(u.port.as_deref(), Some("8080"));
/// assert_eq!(u.hostname.as_deref(), Some("example.com"));
/// assert_eq!(u.hash.as_deref(), Some("#hash"));
/// assert_eq!(u.search.as_deref(), Some("?query=string"));
/// assert_eq!(u.query, Some(nodestd_url::Query::String("query=string".into())));
/// assert_eq!(u.pathname.as_deref(), Some("/p/a/t/h"));
/// assert_eq!(u.path.as_deref(), Some("/p/a/t/h?query=string"));
/// assert_eq!(u.href.as_deref(), Some("http://user:pw@example.com:8080/p/a/t/h?query=string#hash"));
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Url {
    /// The lower-cased scheme with its colon, e.g. `"http:"`.
    pub protocol: Option<String>,
    /// Whether `//` followed the protocol (Node: `true` or `null`; `false` stands for `null`).
    pub slashes: bool,
    /// The percent-decoded user information before the `@`.
    pub auth: Option<String>,
    /// The lower-cased host with its port, e.g. `"example.com:8080"`.
    pub host: Option<String>,
    /// The port digits.
    pub port: Option<String>,
    /// The lower-cased, punycoded host name, without the port (and without `[ ]` for IPv6).
    pub hostname: Option<String>,
    /// The fragment with its `#`.
    pub hash: Option<String>,
    /// The query with its `?`.
    pub search: Option<String>,
    /// The query without its `?`, as a string or a parsed object.
    pub query: Option<Query>,
    /// The path.
    pub pathname: Option<String>,
    /// `pathname` and `search` together.
    pub path: Option<String>,
    /// The whole URL, as [`Url::format`] writes it.
    pub href: Option<String>,
}

impl Url {
    /// `urlObject.format()`: writes the URL back from its fields (see [`format_object`] for
    /// the rules).
    ///
    /// ```
    /// let mut u = nodestd_url::parse("http://a.com/x", false, false)?;
    /// u.host = None;
    /// u.hostname = Some("b.com".into());
    /// u.port = Some("81".into());
    /// assert_eq!(u.format(), "http://b.com:81/x");
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    pub fn format(&self) -> String {
        match self.query {
            // Every field is a string or null, the one kind of object `format` cannot fail
            // on.
            Some(Query::Object(_)) => {
                format::format_object(&UrlObject::from(self)).unwrap_or_default()
            }
            // No query object to stringify: straight from the typed fields.
            _ => format::format_url(self),
        }
    }

    /// `urlObject.resolve(relative)`: `relative` parsed (slashes denote a host) and resolved
    /// against this URL, written back as a string.
    ///
    /// # Errors
    /// Those of [`parse`] for `relative`.
    ///
    /// ```
    /// let base = nodestd_url::parse("http://example.com/one/two", false, true)?;
    /// assert_eq!(base.resolve("../three")?, "http://example.com/three");
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    pub fn resolve(&self, relative: &str) -> Result<String, Error> {
        Ok(self.resolve_object(&parse(relative, false, true)?).format())
    }

    /// `urlObject.resolveObject(relative)`: the URL `relative` leads to from this one, as a
    /// [`Url`] (with Node's `path` and `href`, quirks included).
    ///
    /// ```
    /// let base = nodestd_url::parse("mailto:local1@domain1", false, true)?;
    /// let rel = nodestd_url::parse("local2@domain2", false, true)?;
    /// let r = base.resolve_object(&rel);
    /// assert_eq!(r.href.as_deref(), Some("mailto:local2@domain2"));
    /// assert_eq!(r.auth.as_deref(), Some("local2"));
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    #[doc(alias = "resolveObject")]
    pub fn resolve_object(&self, relative: &Url) -> Url {
        resolve::resolve_object(self, relative)
    }
}

/// A loosely-typed URL object for [`format_object`], as `url.format(plainObject)` reads one:
/// each field may hold any JavaScript value ([`JsValue::Null`] when absent).
///
/// `format` does not read `href` or `path`, so they are not here.
///
/// ```
/// use nodestd_url::{JsValue, UrlObject, format_object};
/// let obj = UrlObject {
///     protocol: "https".into(),
///     hostname: "example.com".into(),
///     port: JsValue::Number(8443.0),
///     pathname: "a b".into(),
///     query: JsValue::Object(vec![("q".into(), JsValue::Number(1.0))]),
///     ..UrlObject::default()
/// };
/// assert_eq!(format_object(&obj)?, "https://example.com:8443/a b?q=1");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UrlObject {
    /// `protocol`: a string (a `:` is added when missing); any other truthy value is a
    /// `TypeError`.
    pub protocol: JsValue,
    /// `slashes`: by truthiness, asks for `//` after any protocol.
    pub slashes: JsValue,
    /// `auth`: percent-encoded (all but `A-Za-z0-9!'()*-._~:`) and followed by `@`.
    pub auth: JsValue,
    /// `host`: used as it is (with `String(host)`) when truthy; `hostname` and `port` are
    /// then ignored.
    pub host: JsValue,
    /// `port`: appended to `hostname` after a `:` when truthy.
    pub port: JsValue,
    /// `hostname`: bracketed when it holds a `:` and is not already in brackets.
    pub hostname: JsValue,
    /// `hash`: a `#` is added when missing.
    pub hash: JsValue,
    /// `search`: a `?` is added when missing, each `#` becomes `%23`.
    pub search: JsValue,
    /// `query`: used when `search` is falsy; an object or array is `querystring.stringify`d,
    /// anything else ignored.
    pub query: JsValue,
    /// `pathname`: each `#` and `?` is escaped, and a `/` added in front when a host (or
    /// `slashes`) precedes it.
    pub pathname: JsValue,
}

impl From<&Url> for UrlObject {
    fn from(u: &Url) -> UrlObject {
        let query = match &u.query {
            None => JsValue::Null,
            Some(Query::String(s)) => JsValue::String(s.clone()),
            Some(Query::Object(q)) => JsValue::Object(
                q.iter()
                    .map(|(k, v)| {
                        let v = match v {
                            nodestd_querystring::QueryValue::Single(s) => {
                                JsValue::String(s.clone())
                            }
                            nodestd_querystring::QueryValue::Multiple(list) => {
                                JsValue::Array(list.iter().cloned().map(JsValue::String).collect())
                            }
                        };
                        (k.to_owned(), v)
                    })
                    .collect(),
            ),
        };
        UrlObject {
            protocol: u.protocol.clone().into(),
            slashes: if u.slashes {
                JsValue::Bool(true)
            } else {
                JsValue::Null
            },
            auth: u.auth.clone().into(),
            host: u.host.clone().into(),
            port: u.port.clone().into(),
            hostname: u.hostname.clone().into(),
            hash: u.hash.clone().into(),
            search: u.search.clone().into(),
            query,
            pathname: u.pathname.clone().into(),
        }
    }
}

/// `url.parse(url, parseQueryString, slashesDenoteHost)`.
///
/// Node's algorithm: leading and trailing white space is trimmed, `\` becomes `/` before the
/// first `?`/`#`, the protocol is lower-cased, `//` (or, with `slashes_denote_host`, a
/// leading `//`) introduces a host, `auth` is percent-decoded, the hostname is lower-cased
/// and punycoded (UTS #46), and the characters `\t \n \r space " ' < > \ ^ ` { | }` in the
/// rest are percent-encoded (except for `javascript:`). With `parse_query_string` the query
/// becomes [`Query::Object`].
///
/// # Errors
/// - `URIError` when the auth part has a malformed percent-encoding.
/// - `ERR_INVALID_URL` when the hostname is invalid after IDNA processing (or an IPv6
///   hostname holds a forbidden character).
///
/// ```
/// use nodestd_url::{Query, parse};
/// let u = parse("//foo/bar", false, true)?;
/// assert_eq!((u.host.as_deref(), u.pathname.as_deref()), (Some("foo"), Some("/bar")));
/// let u = parse("//foo/bar", false, false)?;
/// assert_eq!((u.host.as_deref(), u.pathname.as_deref()), (None, Some("//foo/bar")));
/// let u = parse("http://ÄÖÜ.com/?a=1&a=2", true, false)?;
/// assert_eq!(u.hostname.as_deref(), Some("xn--4ca0bs.com"));
/// assert!(matches!(u.query, Some(Query::Object(ref q)) if q.len() == 1));
/// assert_eq!(parse("http://%zz@x/", false, false).unwrap_err().code(), "URIError");
/// assert_eq!(parse("http://xn--a/", false, false).unwrap_err().code(), "ERR_INVALID_URL");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
pub fn parse(url: &str, parse_query_string: bool, slashes_denote_host: bool) -> Result<Url, Error> {
    parse::parse(url, parse_query_string, slashes_denote_host)
}

/// `url.format(urlObject)` for a [`Url`]; the same as [`Url::format`].
///
/// ```
/// let u = nodestd_url::parse("http://a.com?x=1#y", false, false)?;
/// assert_eq!(nodestd_url::format(&u), "http://a.com/?x=1#y");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
pub fn format(url: &Url) -> String {
    url.format()
}

/// `url.format(string)`: the string parsed (`url.parse(s)`, no flags) and written back.
///
/// # Errors
/// Those of [`parse`].
///
/// ```
/// assert_eq!(nodestd_url::format_str("HTTP://A.com\\b c")?, "http://a.com/b%20c");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[doc(alias = "format")]
pub fn format_str(url: &str) -> Result<String, Error> {
    Ok(parse(url, false, false)?.format())
}

/// `url.format(plainObject)`: Node's `Url.prototype.format` run on an arbitrary object.
///
/// The URL is `protocol + host + pathname + search + hash` where:
/// - `protocol` gets a trailing `:` if missing;
/// - `host` is `auth@` (percent-encoded) followed by `host`, or when `host` is falsy by
///   `hostname` (bracketed if it holds a `:`) and `:port`;
/// - `//` precedes the host when `slashes` is truthy or the protocol is a slashed one
///   (`http`, `https`, `ftp`, `gopher`, `file`, `ws`, `wss`) and there is a host or
///   `slashes`; a `file` protocol gets `//` even without a host;
/// - `search` (or `?` + the stringified `query` object) has each `#` escaped and a leading `?`
///   added; `hash` gets a leading `#`.
///
/// # Errors
/// - `TypeError` where Node calls a string method on a value that is not a string: a truthy
///   non-string `protocol`, `search` or `hash`, a `hostname` that is a number, boolean or
///   object, a non-empty array `pathname`, or a truthy non-string `pathname` after a host.
/// - `ERR_INVALID_URI` when an array `auth` cuts a surrogate pair (Node's `encodeStr`).
///
/// ```
/// use nodestd_url::{JsValue, UrlObject, format_object};
/// let obj = UrlObject { protocol: JsValue::Number(1.0), ..UrlObject::default() };
/// assert_eq!(format_object(&obj).unwrap_err().code(), "TypeError");
/// let obj = UrlObject { protocol: "file".into(), pathname: "/etc/hosts".into(), ..UrlObject::default() };
/// assert_eq!(format_object(&obj)?, "file:///etc/hosts");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[doc(alias = "format")]
pub fn format_object(obj: &UrlObject) -> Result<String, Error> {
    format::format_object(obj)
}

/// `url.resolve(from, to)`: `from` and `to` parsed with slashes denoting a host, resolved as
/// a browser resolves a link, and written back.
///
/// # Errors
/// Those of [`parse`], for `from` first, then for `to`.
///
/// ```
/// use nodestd_url::resolve;
/// assert_eq!(resolve("/one/two/three", "four")?, "/one/two/four");
/// assert_eq!(resolve("http://example.com/", "/one")?, "http://example.com/one");
/// assert_eq!(resolve("http://example.com/one", "/two")?, "http://example.com/two");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
pub fn resolve(from: &str, to: &str) -> Result<String, Error> {
    parse(from, false, true)?.resolve(to)
}

/// What [`resolve_object`] returns: Node's `url.resolveObject(source, relative)` gives back
/// `relative` itself, a string, when `source` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// `source` was empty: `relative`, untouched.
    Relative(String),
    /// The resolved URL.
    Url(Box<Url>),
}

/// `url.resolveObject(source, relative)`: like [`resolve`] but returning the [`Url`].
///
/// # Errors
/// Those of [`parse`], for `source` first, then for `relative`.
///
/// ```
/// use nodestd_url::{Resolved, resolve_object};
/// let Resolved::Url(u) = resolve_object("http://a.com/b/c", "../d?x")? else { unreachable!() };
/// assert_eq!(u.pathname.as_deref(), Some("/d"));
/// assert_eq!(u.href.as_deref(), Some("http://a.com/d?x"));
/// assert_eq!(resolve_object("", "../d")?, Resolved::Relative("../d".into()));
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[doc(alias = "resolveObject")]
pub fn resolve_object(source: &str, relative: &str) -> Result<Resolved, Error> {
    if source.is_empty() {
        return Ok(Resolved::Relative(relative.to_owned()));
    }
    let base = parse(source, false, true)?;
    let rel = parse(relative, false, true)?;
    Ok(Resolved::Url(Box::new(base.resolve_object(&rel))))
}
