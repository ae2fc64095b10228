//! The `URL` class: a parsed WHATWG URL with Node's accessors and setters, its live
//! `searchParams`, `url.format(URL, options)` and `url.urlToHttpOptions`.

use std::fmt;
use std::ops::{Deref, DerefMut};

use url::{Url, quirks};

use super::file::decode_uri_component;
use super::file_record::{FileUrl, preprocess};
use super::search_params::URLSearchParams;
use crate::{Error, ErrorKind};

/// Node's WHATWG [`URL`](https://nodejs.org/docs/latest-v20.x/api/url.html#class-url).
///
/// Built on the [`url`](https://docs.rs/url) crate; the accessors return Node's strings
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
    inner: Inner,
}

/// `file:` URLs have their own record (see `file_record`); every other URL is the `url`
/// crate's.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Inner {
    Lib(Url),
    File(FileUrl),
}

impl URL {
    /// `new URL(input, base)`: parses `input`, relative to `base` when given.
    ///
    /// # Errors
    /// `ERR_INVALID_URL` ("Invalid URL") when `base` or `input` cannot be parsed.
    pub fn parse(input: &str, base: Option<&str>) -> Result<URL, Error> {
        parse_url(input, base)
            .map(|inner| URL { inner })
            .ok_or_else(invalid_url)
    }

    /// `URL.canParse(input, base)`: whether [`URL::parse`] would succeed.
    ///
    /// ```
    /// use nodestd_url::URL;
    /// assert!(URL::can_parse("/a", Some("http://x")));
    /// assert!(!URL::can_parse("/a", None));
    /// ```
    pub fn can_parse(input: &str, base: Option<&str>) -> bool {
        parse_url(input, base).is_some()
    }

    /// `href`: the whole serialized URL.
    pub fn href(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => u.as_str(),
            Inner::File(f) => f.href(),
        }
    }

    /// `origin`: `scheme://host[:port]` for special schemes other than `file:`, the origin of
    /// the inner URL for `blob:` URLs whose path is an `http(s):` URL, and `"null"` otherwise.
    pub fn origin(&self) -> String {
        match &self.inner {
            // Node: a blob: URL has the origin of the URL in its path only when that one is
            // http: or https:.
            Inner::Lib(u) if u.scheme() == "blob" => match URL::parse(u.path(), None) {
                Ok(inner) if matches!(inner.protocol(), "http:" | "https:") => {
                    format!("{}//{}", inner.protocol(), inner.host())
                }
                _ => "null".to_owned(),
            },
            Inner::Lib(u) => quirks::origin(u),
            Inner::File(_) => "null".to_owned(),
        }
    }

    /// `protocol`: the scheme followed by `:`.
    pub fn protocol(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::protocol(u),
            Inner::File(_) => "file:",
        }
    }

    /// `username` (percent-encoded).
    pub fn username(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::username(u),
            Inner::File(_) => "",
        }
    }

    /// `password` (percent-encoded).
    pub fn password(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::password(u),
            Inner::File(_) => "",
        }
    }

    /// `host`: the hostname and, when not the default, `:port`.
    pub fn host(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::host(u),
            Inner::File(f) => f.hostname(),
        }
    }

    /// `hostname`: the host without the port (IPv6 addresses keep their brackets).
    pub fn hostname(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::hostname(u),
            Inner::File(f) => f.hostname(),
        }
    }

    /// `port`: the port as a string, `""` when absent or the scheme's default.
    pub fn port(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::port(u),
            Inner::File(_) => "",
        }
    }

    /// `pathname`.
    pub fn pathname(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::pathname(u),
            Inner::File(f) => f.pathname(),
        }
    }

    /// `search`: `?` and the query, or `""` when the query is absent or empty.
    pub fn search(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::search(u),
            Inner::File(f) => f.search(),
        }
    }

    /// `hash`: `#` and the fragment, or `""` when the fragment is absent or empty.
    pub fn hash(&self) -> &str {
        match &self.inner {
            Inner::Lib(u) => quirks::hash(u),
            Inner::File(f) => f.hash(),
        }
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
        let inner = parse_url(value, None).ok_or_else(invalid_url)?;
        self.inner = inner;
        Ok(())
    }

    /// Sets `protocol` (text up to the first `:`). Ignored when the new scheme is invalid, or
    /// would switch between a special and a non-special scheme, or would give `file:` a port
    /// or credentials, or leave a `file:` URL with an empty host.
    pub fn set_protocol(&mut self, value: &str) {
        // The setter runs the scheme state on `value + ":"`: only what comes before the first
        // ':' counts, and it must be a whole scheme.
        let chars = preprocess(value, false);
        let end = chars.iter().position(|&c| c == ':').unwrap_or(chars.len());
        let scheme: String = chars[..end].iter().collect();
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid {
            return;
        }
        let scheme = scheme.to_ascii_lowercase();
        match &mut self.inner {
            Inner::Lib(u) if scheme == "file" => {
                let credentials = !u.username().is_empty() || u.password().is_some();
                if !is_special(u.scheme()) || credentials || u.port().is_some() {
                    return;
                }
                let file = FileUrl::from_parts(
                    u.host_str().unwrap_or(""),
                    u.path(),
                    u.query(),
                    u.fragment(),
                );
                self.inner = Inner::File(file);
            }
            Inner::Lib(u) => {
                let _ = quirks::set_protocol(u, &scheme);
            }
            Inner::File(f) => {
                if scheme == "file" || !is_special(&scheme) || f.hostname().is_empty() {
                    return;
                }
                let href = format!("{scheme}{}", &f.href()["file".len()..]);
                if let Ok(u) = Url::parse(&href) {
                    self.inner = Inner::Lib(u);
                }
            }
        }
    }

    /// Sets `username`; ignored when the URL cannot have credentials (no host, or `file:`).
    pub fn set_username(&mut self, value: &str) {
        if let Inner::Lib(u) = &mut self.inner {
            let _ = quirks::set_username(u, value);
        }
    }

    /// Sets `password`; ignored when the URL cannot have credentials (no host, or `file:`).
    pub fn set_password(&mut self, value: &str) {
        if let Inner::Lib(u) = &mut self.inner {
            let _ = quirks::set_password(u, value);
        }
    }

    /// Sets `host` (hostname and optional `:port`); ignored when invalid or when the URL has
    /// an opaque path.
    pub fn set_host(&mut self, value: &str) {
        match &mut self.inner {
            Inner::Lib(u) => {
                // Ada splits at the first ':' (outside brackets) that comes before any '/',
                // '?' or '#', sets the host, then runs its port setter on all the rest.
                let chars = preprocess(value, false);
                let value: String = chars.iter().collect();
                match host_port_split(&value, is_special(u.scheme())) {
                    Some((host, rest)) if !host.is_empty() => {
                        if quirks::set_host(u, host).is_ok() && !rest.is_empty() {
                            ada_set_port(u, rest);
                        }
                    }
                    Some(_) => {}
                    None => {
                        let _ = quirks::set_host(u, &value);
                    }
                }
            }
            Inner::File(f) => f.set_host(value),
        }
    }

    /// Sets `hostname`; ignored when invalid, when it contains a port, or when the URL has an
    /// opaque path.
    pub fn set_hostname(&mut self, value: &str) {
        match &mut self.inner {
            Inner::Lib(u) => {
                let _ = quirks::set_hostname(u, value);
            }
            Inner::File(f) => f.set_host(value),
        }
    }

    /// Sets `port` as Node (Ada) does: `""` removes the port; a value with no ASCII digit at
    /// all, or starting with a space or control character, or whose leading number is above
    /// 65535, is ignored; otherwise the leading digits are the port, and a value that starts
    /// with another character (`"|80"`) removes the port. Ignored when the URL cannot have a
    /// port (`file:`, or no host).
    pub fn set_port(&mut self, value: &str) {
        if let Inner::Lib(u) = &mut self.inner {
            ada_set_port(u, value);
        }
    }

    /// Sets `pathname`; ignored for URLs with an opaque path.
    pub fn set_pathname(&mut self, value: &str) {
        match &mut self.inner {
            // The parser drops tabs and newlines before it looks for the leading slash.
            Inner::Lib(u) => {
                let value: String = preprocess(value, false).into_iter().collect();
                quirks::set_pathname(u, &value);
            }
            Inner::File(f) => f.set_pathname(value),
        }
    }

    /// Sets `search` (one leading `?` is dropped; `""` removes the query).
    pub fn set_search(&mut self, value: &str) {
        match &mut self.inner {
            Inner::Lib(u) => quirks::set_search(u, value),
            Inner::File(f) => f.set_search(value),
        }
    }

    /// Sets `hash` (one leading `#` is dropped; `""` removes the fragment).
    pub fn set_hash(&mut self, value: &str) {
        match &mut self.inner {
            Inner::Lib(u) => quirks::set_hash(u, value),
            Inner::File(f) => f.set_hash(value),
        }
    }

    /// `toJSON()`: the `href`.
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
        let url = match &self.inner {
            Inner::Lib(u) => u,
            Inner::File(f) => {
                let host = if options.unicode {
                    idna_to_unicode(f.hostname())
                } else {
                    f.hostname().to_owned()
                };
                let mut out = format!("file://{host}{}", f.pathname());
                if options.search {
                    out.push_str(f.raw_search());
                }
                if options.fragment {
                    out.push_str(f.raw_hash());
                }
                return out;
            }
        };
        let query = url.query().map(|q| format!("?{q}"));
        let fragment = url.fragment().map(|f| format!("#{f}"));
        let mut out = match url.host_str() {
            Some(hostname) => {
                let mut out = format!("{}://", url.scheme());
                if options.auth && !(url.username().is_empty() && url.password().is_none()) {
                    out.push_str(url.username());
                    if let Some(password) = url.password() {
                        out.push(':');
                        out.push_str(password);
                    }
                    out.push('@');
                }
                if options.unicode {
                    out.push_str(&idna_to_unicode(hostname));
                } else {
                    out.push_str(hostname);
                }
                if let Some(port) = url.port() {
                    out.push_str(&format!(":{port}"));
                }
                out.push_str(url.path());
                out
            }
            None => {
                let href = url.as_str();
                let tail = query.as_ref().map_or(0, String::len)
                    + fragment.as_ref().map_or(0, String::len);
                href[..href.len() - tail].to_owned()
            }
        };
        if let (Some(q), true) = (query, options.search) {
            out.push_str(&q);
        }
        if let (Some(f), true) = (fragment, options.fragment) {
            out.push_str(&f);
        }
        out
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
            port: match &self.inner {
                Inner::Lib(u) => u.port(),
                Inner::File(_) => None,
            },
            auth,
        })
    }

    pub(crate) fn is_file(&self) -> bool {
        matches!(self.inner, Inner::File(_))
    }
}

/// `url.urlToHttpOptions(url)`: see [`URL::to_http_options`].
///
/// # Errors
/// `URIError` when the credentials hold percent-encodings that are not UTF-8.
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
            let search = if self.params.is_empty() {
                String::new()
            } else {
                format!("?{}", self.params)
            };
            self.url.set_search(&search);
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

fn invalid_url() -> Error {
    Error::new(ErrorKind::InvalidUrl, "Invalid URL")
}

/// The WHATWG basic URL parser as Node (Ada) runs it: `file:` URLs by `file_record`, the
/// others by the `url` crate.
fn parse_url(input: &str, base: Option<&str>) -> Option<Inner> {
    let base = match base {
        Some(b) => Some(parse_url(b, None)?),
        None => None,
    };
    let mut url = parse_with_base(input, base.as_ref())?;
    // Ada leaves out a base's empty query when it resolves "" or "#fragment".
    if base.is_some() && first_char(input).is_none_or(|c| c == '#') {
        match &mut url {
            Inner::Lib(u) if u.query() == Some("") => u.set_query(None),
            Inner::File(f) if f.raw_search() == "?" => f.set_search(""),
            _ => {}
        }
    }
    Some(url)
}

/// [`parse_url`] once the base is parsed.
fn parse_with_base(input: &str, base: Option<&Inner>) -> Option<Inner> {
    let scheme = scheme_of(input);
    match (scheme.as_deref(), base) {
        (Some("file"), Some(Inner::File(b))) => {
            FileUrl::parse(input, true, Some(b)).map(Inner::File)
        }
        (Some("file"), _) => FileUrl::parse(input, true, None).map(Inner::File),
        (None, Some(Inner::File(b))) => FileUrl::parse(input, false, Some(b)).map(Inner::File),
        (None, None) => None,
        // A scheme other than file: a file: base plays no part.
        (Some(_), Some(Inner::File(_))) => Url::parse(input).ok().map(Inner::Lib),
        // The url crate fails on "///host" against a special base; the standard skips every
        // slash there, as it does after "scheme:".
        (None, Some(Inner::Lib(b))) if is_special(b.scheme()) && starts_with_two_slashes(input) => {
            Url::parse(&format!(
                "{}:{}",
                b.scheme(),
                input.trim_start_matches(|c: char| c <= ' ')
            ))
            .ok()
            .map(Inner::Lib)
        }
        // The url crate takes a leading backslash for a slash against a non-special base too;
        // there it is part of the first path segment, as after "./".
        // Likewise after a leading slash: "/\\x" is the path "/\\x", as "/./\\x" is.
        (None, Some(Inner::Lib(b)))
            if !is_special(b.scheme()) && starts_with_slash_backslash(input) =>
        {
            Url::options()
                .base_url(Some(b))
                .parse(&format!(
                    "/.{}",
                    input.trim_start_matches(|c: char| c <= ' ')
                ))
                .ok()
                .map(Inner::Lib)
        }
        (None, Some(Inner::Lib(b))) if !is_special(b.scheme()) && starts_with_backslash(input) => {
            Url::options()
                .base_url(Some(b))
                .parse(&format!(
                    "./{}",
                    input.trim_start_matches(|c: char| c <= ' ')
                ))
                .ok()
                .map(Inner::Lib)
        }
        (_, Some(Inner::Lib(b))) => Url::options()
            .base_url(Some(b))
            .parse(input)
            .ok()
            .map(Inner::Lib),
        (Some(_), None) => Url::parse(input).ok().map(Inner::Lib),
    }
}

/// The scheme the basic URL parser finds at the start of `input` (lowercased), if any.
fn scheme_of(input: &str) -> Option<String> {
    // The characters before the first ':' of the preprocessed input, without building it.
    let mut scheme = String::new();
    for c in parsed_chars(input) {
        if c == ':' {
            let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic());
            return valid.then(|| {
                scheme.make_ascii_lowercase();
                scheme
            });
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            // Not a scheme character: whether or not a ':' follows, there is no scheme.
            return None;
        }
        scheme.push(c);
    }
    None
}

/// The characters of the input as the parser sees them ([`preprocess`] with trimming), lazily.
fn parsed_chars(input: &str) -> impl Iterator<Item = char> + '_ {
    input
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
}

/// The first character the parser sees.
fn first_char(input: &str) -> Option<char> {
    parsed_chars(input).next()
}

/// Ada's port setter (see [`URL::set_port`]).
fn ada_set_port(u: &mut Url, value: &str) {
    if u.scheme() == "file" || u.host_str().is_none_or(str::is_empty) {
        return;
    }
    let trimmed: String = value
        .chars()
        .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if trimmed.is_empty() {
        let _ = u.set_port(None);
        return;
    }
    if trimmed.starts_with(|c: char| c <= ' ') || !value.bytes().any(|b| b.is_ascii_digit()) {
        return;
    }
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 {
        let _ = u.set_port(None);
        return;
    }
    let significant = trimmed[..digits].trim_start_matches('0');
    let port = if significant.is_empty() {
        Some(0)
    } else if significant.len() > 5 {
        None
    } else {
        significant
            .parse::<u32>()
            .ok()
            .and_then(|p| u16::try_from(p).ok())
    };
    if let Some(port) = port {
        // The url crate stores the scheme's default port as no port, as Ada does.
        let _ = u.set_port(Some(port));
    }
}

/// Splits a `host` setter value at its port colon: the first ':' outside brackets before any
/// '/', '?', '#' (or '\\' for special URLs). `None` when there is no such colon.
fn host_port_split(value: &str, special: bool) -> Option<(&str, &str)> {
    let mut in_brackets = false;
    for (i, c) in value.char_indices() {
        match c {
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            ':' if !in_brackets => return Some((&value[..i], &value[i + 1..])),
            '/' | '?' | '#' => return None,
            '\\' if special => return None,
            _ => {}
        }
    }
    None
}

/// Whether `input` starts (as the parser sees it) with a slash and a backslash.
fn starts_with_slash_backslash(input: &str) -> bool {
    let mut chars = parsed_chars(input);
    chars.next() == Some('/') && chars.next() == Some('\\')
}

/// Whether `input` starts (as the parser sees it) with a backslash.
fn starts_with_backslash(input: &str) -> bool {
    first_char(input) == Some('\\')
}

/// Whether `input` starts (as the parser sees it) with two slashes or backslashes.
fn starts_with_two_slashes(input: &str) -> bool {
    let mut chars = parsed_chars(input);
    (0..2).all(|_| chars.next().is_some_and(|c| c == '/' || c == '\\'))
}

/// The special schemes of the URL Standard.
fn is_special(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss" | "ftp" | "file")
}

/// Ada's `idna::to_unicode` as `url.format` and `domainToUnicode` use it: each `xn--` label
/// is decoded when it is valid Punycode; every other label is kept as it is.
pub(crate) fn idna_to_unicode(host: &str) -> String {
    if host.starts_with('[') {
        return host.to_owned();
    }
    host.split('.')
        .map(|label| {
            let lower = label.to_ascii_lowercase();
            match lower.strip_prefix("xn--") {
                Some(puny) if label.is_ascii() => {
                    idna::punycode::decode_to_string(puny).unwrap_or_else(|| label.to_owned())
                }
                _ => label.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}
