//! The `URL` class: a parsed WHATWG URL with Node's accessors and setters, its live
//! `searchParams`, `url.format(URL, options)` and `url.urlToHttpOptions`.

use std::fmt;
use std::ops::{Deref, DerefMut};

use super::file::decode_uri_component;
use super::parser::{
    self, FRAGMENT, Kind, Parsed, QUERY, Record, SPECIAL_QUERY, USERINFO, consume_path, encode,
    parse_host, parse_port_digits, preprocess,
};
use super::search_params::URLSearchParams;
use crate::Error;

/// Node's WHATWG [`URL`](https://nodejs.org/docs/latest-v20.x/api/url.html#class-url).
///
/// Parsed by this crate's port of the URL Standard's parser as Node's Ada runs it; the
/// accessors return Node's strings
/// (`protocol` ends with `:`, `search` starts with `?` and is empty when the query is, the
/// `port` is empty for the scheme's default port, and so on).
///
/// ```
/// use nodestd_url::URL;
///
/// let mut url = URL::parse("../c?x=1#top", Some("https://user@example.org:443/a/b"))?;
/// assert_eq!(url.href(), "https://user@example.org/c?x=1#top");
/// assert_eq!(url.origin(), "https://example.org");
/// assert_eq!((url.protocol(), url.port(), url.search()), ("https:", "", "?x=1"));
///
/// url.search_params_mut().append("y", "a b");
/// assert_eq!(url.search(), "?x=1&y=a+b");
/// url.set_port("8080");
/// assert_eq!(url.host(), "example.org:8080");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct URL {
    url: Parsed,
}

impl URL {
    fn from_record(record: &Record) -> URL {
        URL {
            url: record.to_parsed(),
        }
    }

    /// Runs a setter on the URL's record and re-serializes.
    ///
    /// As Node's binding does, the setter runs on a fresh parse of the `href`: where
    /// serializing and parsing again is not the identity (`foo:/..?q` is `foo:?q`, whose path
    /// is then opaque), the setter sees what the `href` says.
    fn edit<R>(&mut self, f: impl FnOnce(&mut Record) -> R) -> R {
        let mut record = match parser::parse(&self.url.href, None) {
            Some(fresh) => fresh.to_record(),
            None => self.url.to_record(),
        };
        let out = f(&mut record);
        *self = URL::from_record(&record);
        out
    }

    fn slice(&self, (start, end): (usize, usize)) -> &str {
        &self.url.href[start..end]
    }

    /// `new URL(input, base)`: parses `input`, relative to `base` when given.
    ///
    /// # Errors
    /// `ERR_INVALID_URL` ("Invalid URL") when `base` or `input` cannot be parsed.
    pub fn parse(input: &str, base: Option<&str>) -> Result<URL, Error> {
        parse_url(input, base)
            .map(|url| URL { url })
            .ok_or_else(|| Error::invalid_url(input, base))
    }

    /// `URL.canParse(input, base)`: whether [`URL::parse`] would succeed.
    ///
    /// ```
    /// use nodestd_url::URL;
    /// assert!(URL::can_parse("/a", Some("http://x")));
    /// assert!(!URL::can_parse("/a", None));
    /// ```
    #[doc(alias = "canParse")]
    pub fn can_parse(input: &str, base: Option<&str>) -> bool {
        parse_url(input, base).is_some()
    }

    /// `href`: the whole serialized URL.
    pub fn href(&self) -> &str {
        &self.url.href
    }

    /// `origin`: `scheme://host[:port]` for special schemes other than `file:`, the origin of
    /// the inner URL for `blob:` URLs whose path is an `http(s):` URL, and `"null"` otherwise.
    pub fn origin(&self) -> String {
        match self.url.kind {
            Kind::File => "null".to_owned(),
            kind if kind.is_special() => format!("{}//{}", self.protocol(), self.host()),
            // Node: a blob: URL has the origin of the URL in its path only when that one is
            // http: or https:.
            _ if self.url.scheme() == "blob" => match URL::parse(self.pathname(), None) {
                Ok(inner) if matches!(inner.protocol(), "http:" | "https:") => {
                    format!("{}//{}", inner.protocol(), inner.host())
                }
                _ => "null".to_owned(),
            },
            _ => "null".to_owned(),
        }
    }

    /// `protocol`: the scheme followed by `:`.
    pub fn protocol(&self) -> &str {
        &self.url.href[..self.url.off.protocol_end]
    }

    /// `username` (percent-encoded).
    pub fn username(&self) -> &str {
        self.url.username()
    }

    /// `password` (percent-encoded).
    pub fn password(&self) -> &str {
        self.url.password()
    }

    /// `host`: the hostname and, when not the default, `:port`.
    pub fn host(&self) -> &str {
        let off = &self.url.off;
        if off.host.0 == off.host.1 {
            return "";
        }
        let end = if self.url.port.is_some() {
            off.port.1
        } else {
            off.host.1
        };
        &self.url.href[off.host.0..end]
    }

    /// `hostname`: the host without the port (IPv6 addresses keep their brackets).
    pub fn hostname(&self) -> &str {
        self.slice(self.url.off.host)
    }

    /// `port`: the port as a string, `""` when absent or the scheme's default.
    pub fn port(&self) -> &str {
        self.slice(self.url.off.port)
    }

    /// `pathname`.
    pub fn pathname(&self) -> &str {
        self.slice(self.url.off.path)
    }

    /// `search`: `?` and the query, or `""` when the query is absent or empty.
    pub fn search(&self) -> &str {
        let s = self.slice(self.url.off.query);
        if s.len() <= 1 { "" } else { s }
    }

    /// `hash`: `#` and the fragment, or `""` when the fragment is absent or empty.
    pub fn hash(&self) -> &str {
        let s = self.slice(self.url.off.fragment);
        if s.len() <= 1 { "" } else { s }
    }

    /// `searchParams`, as a snapshot of the current query.
    ///
    /// To change the query through the list, use [`URL::search_params_mut`].
    pub fn search_params(&self) -> URLSearchParams {
        URLSearchParams::new(self.search())
    }

    /// `searchParams` for changes: every change made through the returned guard is written
    /// back to the URL's `search` (as `?` and the serialized list, or `""` when the list is
    /// empty), as Node does after each `append`, `delete`, `set` or `sort`.
    ///
    /// ```
    /// use nodestd_url::URL;
    /// let mut url = URL::parse("http://x/?b=%7e&a", None)?;
    /// url.search_params_mut().sort();
    /// assert_eq!(url.href(), "http://x/?a=&b=%7E");
    /// url.search_params_mut().delete("a", None);
    /// url.search_params_mut().delete("b", None);
    /// assert_eq!(url.href(), "http://x/");
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    pub fn search_params_mut(&mut self) -> SearchParamsMut<'_> {
        SearchParamsMut {
            params: self.search_params(),
            url: self,
            modified: false,
        }
    }

    /// Sets `href`: the whole URL is replaced by the parse of `value` (without a base).
    ///
    /// # Errors
    /// `ERR_INVALID_URL` when `value` is not a valid URL; the URL is then unchanged.
    pub fn set_href(&mut self, value: &str) -> Result<(), Error> {
        self.url = parse_url(value, None).ok_or_else(|| Error::invalid_url(value, None))?;
        Ok(())
    }

    /// Sets `protocol` (text up to the first `:`). Ignored when the new scheme is invalid, or
    /// would switch between a special and a non-special scheme, or would give `file:` a port
    /// or credentials, or leave a `file:` URL with an empty host.
    pub fn set_protocol(&mut self, value: &str) {
        self.edit(|r| set_protocol(r, value));
    }

    /// Sets `username`; ignored when the URL cannot have credentials (no host, or `file:`).
    pub fn set_username(&mut self, value: &str) {
        self.edit(|r| {
            if !r.cannot_have_credentials_or_port() {
                r.username = encode(value, USERINFO);
            }
        });
    }

    /// Sets `password`; ignored when the URL cannot have credentials (no host, or `file:`).
    pub fn set_password(&mut self, value: &str) {
        self.edit(|r| {
            if !r.cannot_have_credentials_or_port() {
                r.password = encode(value, USERINFO);
            }
        });
    }

    /// Sets `host` (hostname and optional `:port`); ignored when invalid or when the URL has
    /// an opaque path.
    pub fn set_host(&mut self, value: &str) {
        self.edit(|r| set_host_or_hostname(r, value, false));
    }

    /// Sets `hostname`; ignored when invalid, when it contains a port, or when the URL has an
    /// opaque path.
    pub fn set_hostname(&mut self, value: &str) {
        self.edit(|r| set_host_or_hostname(r, value, true));
    }

    /// `set_hostname`, saying whether Ada's setter succeeded (`domainToASCII` needs it).
    pub(crate) fn set_hostname_checked(&mut self, value: &str) -> bool {
        self.edit(|r| set_host_or_hostname(r, value, true))
    }

    /// Sets `port` as Node (Ada) does: `""` removes the port; a value with no ASCII digit at
    /// all, or starting with a space or control character or `-`, or whose leading number is
    /// above 65535, is ignored; otherwise the leading digits are the port, and a value that
    /// starts with another character (`"|80"`) removes the port. Ignored when the URL cannot
    /// have a port (`file:`, or no host).
    pub fn set_port(&mut self, value: &str) {
        self.edit(|r| ada_set_port(r, value));
    }

    /// Sets `pathname`; ignored for URLs with an opaque path.
    pub fn set_pathname(&mut self, value: &str) {
        self.edit(|r| {
            if !r.opaque {
                set_pathname(r, value);
            }
        });
    }

    /// Sets `search` (one leading `?` is dropped; `""` removes the query).
    pub fn set_search(&mut self, value: &str) {
        self.edit(|r| {
            if value.is_empty() {
                r.query = None;
                strip_trailing_spaces_from_opaque_path(r);
            } else {
                let value = value.strip_prefix('?').unwrap_or(value);
                let value = preprocess(value, false);
                let set = if r.kind.is_special() {
                    SPECIAL_QUERY
                } else {
                    QUERY
                };
                r.query = Some(encode(&value, set));
            }
        });
    }

    /// Sets `hash` (one leading `#` is dropped; `""` removes the fragment).
    pub fn set_hash(&mut self, value: &str) {
        self.edit(|r| {
            if value.is_empty() {
                r.fragment = None;
                strip_trailing_spaces_from_opaque_path(r);
            } else {
                let value = value.strip_prefix('#').unwrap_or(value);
                let value = preprocess(value, false);
                r.fragment = Some(encode(&value, FRAGMENT));
            }
        });
    }

    /// `toJSON()`: the `href`.
    #[doc(alias = "toJSON")]
    pub fn to_json(&self) -> String {
        self.href().to_owned()
    }

    /// `url.format(URL, options)`: the `href` without the parts the options leave out, and
    /// with the hostname in Unicode when `options.unicode` is set.
    ///
    /// ```
    /// use nodestd_url::{URL, URLFormatOptions};
    /// let url = URL::parse("https://a:b@xn--nxasmq6b.com:81/p?q#h", None)?;
    /// let opts = URLFormatOptions { auth: false, fragment: false, unicode: true, search: true };
    /// assert_eq!(url.format(opts), "https://βόλοσ.com:81/p?q");
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    pub fn format(&self, options: URLFormatOptions) -> String {
        // Node's binding: the href re-parsed, the parts the options leave out removed, and
        // the hostname replaced by its Unicode form.
        let mut r = self.url.to_record();
        if !options.fragment {
            r.fragment = None;
        }
        if !options.search {
            r.query = None;
        }
        if !options.auth {
            r.username.clear();
            r.password.clear();
        }
        if options.unicode {
            if let Some(host) = &r.host {
                r.host = Some(idna_to_unicode(host));
            }
        }
        r.to_parsed().href
    }

    /// `url.urlToHttpOptions(url)`: the options object `http.request` takes.
    ///
    /// ```
    /// use nodestd_url::URL;
    /// let opts = URL::parse("http://a%20b:c@[::1]:8080/p?q#h", None)?.to_http_options()?;
    /// assert_eq!(opts.hostname, "::1");
    /// assert_eq!(opts.port, Some(8080));
    /// assert_eq!(opts.path, "/p?q");
    /// assert_eq!(opts.auth.as_deref(), Some("a b:c"));
    /// # Ok::<(), nodestd_url::Error>(())
    /// ```
    ///
    /// # Errors
    /// `URIError` ("URI malformed") when the username or password holds a percent-encoding
    /// that is not UTF-8 (Node's `decodeURIComponent` throws there).
    #[doc(alias = "urlToHttpOptions")]
    pub fn to_http_options(&self) -> Result<HttpOptions, Error> {
        let hostname = self.hostname();
        let hostname = match hostname.strip_prefix('[') {
            Some(inner) => inner.strip_suffix(']').unwrap_or(inner),
            None => hostname,
        };
        let auth = if self.username().is_empty() && self.password().is_empty() {
            None
        } else {
            Some(format!(
                "{}:{}",
                decode_uri_component(self.username())?,
                decode_uri_component(self.password())?
            ))
        };
        Ok(HttpOptions {
            protocol: self.protocol().to_owned(),
            hostname: hostname.to_owned(),
            hash: self.hash().to_owned(),
            search: self.search().to_owned(),
            pathname: self.pathname().to_owned(),
            path: format!("{}{}", self.pathname(), self.search()),
            href: self.href().to_owned(),
            port: self.url.port,
            auth,
        })
    }

    pub(crate) fn is_file(&self) -> bool {
        self.url.kind == Kind::File
    }
}

/// `url.urlToHttpOptions(url)`: see [`URL::to_http_options`].
///
/// # Errors
/// `URIError` when the credentials hold percent-encodings that are not UTF-8.
#[doc(alias = "urlToHttpOptions")]
pub fn url_to_http_options(url: &URL) -> Result<HttpOptions, Error> {
    url.to_http_options()
}

/// The options of `url.format(URL, options)`; each defaults as in Node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct URLFormatOptions {
    /// Keep the username and password (default `true`).
    pub auth: bool,
    /// Keep the fragment (default `true`).
    pub fragment: bool,
    /// Keep the query (default `true`).
    pub search: bool,
    /// Write the hostname in Unicode instead of Punycode (default `false`).
    pub unicode: bool,
}

impl Default for URLFormatOptions {
    fn default() -> URLFormatOptions {
        URLFormatOptions {
            auth: true,
            fragment: true,
            search: true,
            unicode: false,
        }
    }
}

/// What `url.urlToHttpOptions` returns (Node's own enumerable properties of the URL itself,
/// none in Rust, are not copied).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpOptions {
    /// `protocol`, e.g. `"https:"`.
    pub protocol: String,
    /// `hostname`, with the brackets of an IPv6 address removed.
    pub hostname: String,
    /// `hash`.
    pub hash: String,
    /// `search`.
    pub search: String,
    /// `pathname`.
    pub pathname: String,
    /// `pathname` followed by `search`.
    pub path: String,
    /// `href`.
    pub href: String,
    /// The port when the URL has a non-default one (Node leaves the property out otherwise).
    pub port: Option<u16>,
    /// `decodeURIComponent(username):decodeURIComponent(password)` when either is non-empty.
    pub auth: Option<String>,
}

/// The guard [`URL::search_params_mut`] returns: a [`URLSearchParams`] whose changes are
/// written to the URL's query when the guard is dropped.
pub struct SearchParamsMut<'a> {
    url: &'a mut URL,
    params: URLSearchParams,
    modified: bool,
}

impl Deref for SearchParamsMut<'_> {
    type Target = URLSearchParams;

    fn deref(&self) -> &URLSearchParams {
        &self.params
    }
}

impl DerefMut for SearchParamsMut<'_> {
    fn deref_mut(&mut self) -> &mut URLSearchParams {
        self.modified = true;
        &mut self.params
    }
}

impl Drop for SearchParamsMut<'_> {
    fn drop(&mut self) {
        if self.modified {
            // Node empties the query first, then sets the new one: an opaque path without a
            // fragment loses its trailing spaces even when the list is not empty
            // (`urn:a b ?x` after `append("k", "v")` is `urn:a b?x=&k=v`).
            self.url.set_search("");
            if !self.params.is_empty() {
                self.url.set_search(&format!("?{}", self.params));
            }
        }
    }
}

impl fmt::Debug for SearchParamsMut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.params.fmt(f)
    }
}

impl fmt::Display for URL {
    /// `toString()`: the `href`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.href())
    }
}

impl fmt::Debug for URL {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("URL")
            .field("href", &self.href())
            .field("origin", &self.origin())
            .field("protocol", &self.protocol())
            .field("username", &self.username())
            .field("password", &self.password())
            .field("host", &self.host())
            .field("hostname", &self.hostname())
            .field("port", &self.port())
            .field("pathname", &self.pathname())
            .field("search", &self.search())
            .field("hash", &self.hash())
            .finish()
    }
}

impl std::str::FromStr for URL {
    type Err = Error;

    fn from_str(s: &str) -> Result<URL, Error> {
        URL::parse(s, None)
    }
}

impl AsRef<str> for URL {
    fn as_ref(&self) -> &str {
        self.href()
    }
}

/// The basic URL parser on `input` and the optional `base`.
fn parse_url(input: &str, base: Option<&str>) -> Option<Parsed> {
    match base {
        Some(b) => parser::parse(input, Some(&parser::parse(b, None)?)),
        None => parser::parse(input, None),
    }
}

/// Ada's `set_protocol` on a record.
fn set_protocol(r: &mut Record, value: &str) {
    // The value without tabs and newlines, then the scheme characters up to a ':' (the
    // value's end counts as one).
    let value = preprocess(value, false);
    if !value.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return;
    }
    let end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(value.len());
    if end < value.len() && value.as_bytes()[end] != b':' {
        return;
    }
    let scheme = value[..end].to_ascii_lowercase();
    let kind = Kind::of(&scheme);
    if r.kind.is_special() != kind.is_special() {
        return;
    }
    let credentials = !r.username.is_empty() || !r.password.is_empty();
    if (credentials || r.port.is_some()) && kind == Kind::File {
        return;
    }
    if r.kind == Kind::File && r.host.as_deref().is_none_or(str::is_empty) {
        return;
    }
    r.set_scheme(&scheme);
    if r.port.is_some() && r.port == kind.default_port() {
        r.port = None;
    }
}

/// Ada's `set_host_or_hostname` on a record; whether it succeeded.
fn set_host_or_hostname(r: &mut Record, value: &str, hostname_only: bool) -> bool {
    if r.opaque {
        return false;
    }
    let previous = (r.host.clone(), r.port);
    let value = value.split('#').next().unwrap_or_default();
    let value = preprocess(value, false);
    let special = r.kind.is_special();
    if r.kind != Kind::File {
        let (end, colon) = host_delimiter(&value, special);
        let host = &value[..end];
        if colon {
            if hostname_only {
                return false;
            }
            let port = &value[end + 1..];
            if !port.is_empty() {
                ada_set_port(r, port);
            }
        } else if host.is_empty() {
            let credentials = !r.username.is_empty() || !r.password.is_empty();
            if special || credentials || r.port.is_some() {
                return false;
            }
        }
        if host.is_empty() && !special {
            // Ada: an empty host clears the hostname, or turns a `/.//` path's URL into one
            // with an empty host; otherwise nothing changes.
            if r.host.is_some() || r.path.starts_with("//") {
                r.host = Some(String::new());
            }
            return true;
        }
        // Ada's host parser fails on an empty input (`:80` keeps the old host).
        let parsed = if host.is_empty() {
            None
        } else {
            parse_host(host, !special)
        };
        return match parsed {
            Some(h) => {
                r.host = Some(h);
                true
            }
            None => {
                (r.host, r.port) = previous;
                false
            }
        };
    }
    let end = value.find(['/', '\\', '?']).unwrap_or(value.len());
    let host = &value[..end];
    if host.is_empty() {
        r.host = Some(String::new());
        return true;
    }
    match parse_host(host, false) {
        Some(h) => {
            r.host = Some(if h == "localhost" { String::new() } else { h });
            true
        }
        None => false,
    }
}

/// Ada's `set_port` on a record.
fn ada_set_port(r: &mut Record, value: &str) {
    if r.cannot_have_credentials_or_port() {
        return;
    }
    let trimmed = preprocess(value, false);
    if trimmed.is_empty() {
        r.port = None;
        return;
    }
    if trimmed.starts_with(|c: char| c <= ' ') || !value.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    if trimmed.starts_with('-') {
        return;
    }
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 {
        r.port = None;
        return;
    }
    if let Some(port) = parse_port_digits(&trimmed.as_bytes()[..digits]) {
        r.port = (Some(port) != r.kind.default_port()).then_some(port);
    }
}

/// Ada's `set_pathname` on a record (not opaque).
fn set_pathname(r: &mut Record, value: &str) {
    let value = preprocess(value, false);
    let kind = r.kind;
    r.path.clear();
    let at_path = r.query.is_none() && r.fragment.is_none();
    if kind.is_special() {
        match value.as_bytes().first() {
            Some(b'/' | b'\\') => consume_path(&mut r.path, 0, &value[1..], kind, at_path),
            _ => consume_path(&mut r.path, 0, &value, kind, at_path),
        }
    } else if let Some(rest) = value.strip_prefix('/') {
        consume_path(&mut r.path, 0, rest, kind, at_path);
    } else if !value.is_empty() {
        consume_path(&mut r.path, 0, &value, kind, at_path);
    } else if r.host.is_none() {
        r.path.push('/');
    }
    // Ada 2.9 loses the query and the fragment when the new path needs the `/.` prefix
    // (`foo:/x?q#h` with pathname `//y` is `foo:/.//y`); Node shows it.
    if r.host.is_none() && r.path.starts_with("//") {
        r.query = None;
        r.fragment = None;
    }
}

/// The standard's "potentially strip trailing spaces from an opaque path".
fn strip_trailing_spaces_from_opaque_path(r: &mut Record) {
    if r.opaque && r.fragment.is_none() && r.query.is_none() {
        let len = r.path.trim_end_matches(' ').len();
        r.path.truncate(len);
    }
}

/// Ada's `get_host_delimiter_location`: where the host of a `host` setter value ends (the
/// first `:` outside brackets, `/`, `?`, or `\\` for special URLs), and whether it is a `:`.
fn host_delimiter(value: &str, special: bool) -> (usize, bool) {
    let mut in_brackets = false;
    for (i, c) in value.bytes().enumerate() {
        match c {
            b'[' => in_brackets = true,
            b']' => in_brackets = false,
            b':' if !in_brackets => return (i, true),
            b'/' | b'?' => return (i, false),
            b'\\' if special => return (i, false),
            _ => {}
        }
    }
    (value.len(), false)
}

/// Ada's `idna::to_unicode` as `url.format` and `domainToUnicode` use it: each `xn--` label
/// is decoded when it is valid Punycode; every other label is kept as it is.
pub(crate) fn idna_to_unicode(host: &str) -> String {
    if host.starts_with('[') {
        return host.to_owned();
    }
    host.split('.')
        .map(|label| {
            let puny = label
                .get(..4)
                .filter(|p| p.eq_ignore_ascii_case("xn--"))
                .map(|_| &label[4..]);
            match puny {
                Some(puny) if label.is_ascii() => {
                    super::punycode::decode(puny).unwrap_or_else(|| label.to_owned())
                }
                _ => label.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}
