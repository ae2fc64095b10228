//! The WHATWG basic URL parser as Node runs it (Ada 2.9, the parser Node v20 bundles).
//!
//! The states are the URL Standard's (<https://url.spec.whatwg.org/#concept-basic-url-parser>),
//! without a state override: Node's setters are Ada's own functions, written in
//! `url_class.rs` on top of the pieces here. Where Ada differs from the standard, Ada wins,
//! because Node is the specification of this crate:
//! - A copied base query that is empty (`?` alone) is dropped: Ada copies it through its
//!   `search` getter, which is `""` for an empty query (`new URL("", "http://h/p?")` is
//!   `http://h/p`).
//! - Path segments are consumed as Ada's `consume_prepared_path` does: a final `..` on a
//!   non-special URL whose path is already empty leaves the path empty instead of `/`
//!   (`new URL("../..", "foo:/a/b")` is `foo:`).
//! - A relative reference with a `#` in it resolves against an opaque-path base as though the
//!   base's path were a list (`new URL("x#f", "data:text/plain")` is `data:text/x#f`).
//! - In `file:` URLs, a lone first segment that merely starts with a letter and `:` (`a:b`)
//!   counts as a drive letter: `..` does not remove it, and `/x` against such a base keeps it.
//! - An opaque path keeps its spaces (the standard's newer `%20` rule is not in Ada 2.9).
//!
//! The parser writes the serialization directly ([`Parsed`]: the `href` and where its parts
//! lie, as Ada's `url_aggregator` keeps it), so a parse is one allocation in the common case;
//! the path is kept serialized (`/a/b`, or the opaque path), as Ada keeps it, which is also
//! what makes the rules above fall out naturally. The setters work on a [`Record`] (one
//! string per part) made from a fresh parse of the `href`, as Node's binding does.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::legacy::idna_to_ascii_unterminated as to_ascii;

/// The special schemes and their default ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    NotSpecial,
    Http,
    Https,
    Ws,
    Wss,
    Ftp,
    File,
}

impl Kind {
    pub(crate) fn of(scheme: &str) -> Kind {
        match scheme {
            "http" => Kind::Http,
            "https" => Kind::Https,
            "ws" => Kind::Ws,
            "wss" => Kind::Wss,
            "ftp" => Kind::Ftp,
            "file" => Kind::File,
            _ => Kind::NotSpecial,
        }
    }

    /// [`Kind::of`] an unlowered scheme.
    pub(crate) fn of_ignore_case(scheme: &str) -> Kind {
        if scheme.len() > 5 {
            return Kind::NotSpecial;
        }
        let mut buf = [0u8; 5];
        let buf = &mut buf[..scheme.len()];
        buf.copy_from_slice(scheme.as_bytes());
        buf.make_ascii_lowercase();
        Kind::of(std::str::from_utf8(buf).unwrap_or_default())
    }

    pub(crate) fn is_special(self) -> bool {
        self != Kind::NotSpecial
    }

    pub(crate) fn default_port(self) -> Option<u16> {
        match self {
            Kind::Http | Kind::Ws => Some(80),
            Kind::Https | Kind::Wss => Some(443),
            Kind::Ftp => Some(21),
            Kind::NotSpecial | Kind::File => None,
        }
    }
}

/// A URL record. `path` is serialized: an opaque path as it is, a list path as `/seg/seg`
/// (the empty list is `""`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Record {
    pub(crate) scheme: String,
    pub(crate) kind: Kind,
    pub(crate) username: String,
    pub(crate) password: String,
    pub(crate) host: Option<String>,
    pub(crate) port: Option<u16>,
    pub(crate) path: String,
    pub(crate) opaque: bool,
    pub(crate) query: Option<String>,
    pub(crate) fragment: Option<String>,
}

impl Record {
    /// Sets the scheme (lower-case, without `:`).
    pub(crate) fn set_scheme(&mut self, scheme: &str) {
        scheme.clone_into(&mut self.scheme);
        self.kind = Kind::of(scheme);
    }

    /// Whether the URL cannot have a username, password or port.
    pub(crate) fn cannot_have_credentials_or_port(&self) -> bool {
        self.host.as_deref().is_none_or(str::is_empty) || self.kind == Kind::File
    }
}

/// Percent-encode sets as bit masks over ASCII (bytes ≥ 0x80 are always encoded).
#[derive(Clone, Copy)]
pub(crate) struct Set(u128);

const fn set(base: u128, extra: &[u8]) -> u128 {
    let mut m = base;
    let mut i = 0;
    while i < extra.len() {
        m |= 1 << extra[i];
        i += 1;
    }
    m
}

/// C0 controls and U+007F.
const C0: u128 = set(0xFFFF_FFFF, &[0x7F]);
pub(crate) const C0_CONTROL: Set = Set(C0);
pub(crate) const FRAGMENT: Set = Set(set(C0, b" \"<>`"));
pub(crate) const QUERY: Set = Set(set(C0, b" \"#<>"));
pub(crate) const SPECIAL_QUERY: Set = Set(set(C0, b" \"#<>'"));
pub(crate) const PATH: Set = Set(set(C0, b" \"#<>?`{}"));
pub(crate) const USERINFO: Set = Set(set(C0, b" \"#<>?`{}/:;=@[\\]^|"));

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text`, percent-encoding the bytes in `set` and every non-ASCII byte.
pub(crate) fn encode_into(out: &mut String, text: &str, set: Set) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x80 || set.0 & (1 << b) != 0 {
            // Every byte of a multi-byte character is encoded, so the unencoded run
            // `start..i` is ASCII and both ends are character boundaries.
            if start < i {
                out.push_str(&text[start..i]);
            }
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push_str(&text[start..]);
    }
}

/// `encode_into` to a new string.
pub(crate) fn encode(text: &str, set: Set) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text, set);
    out
}

/// The input as the parser sees it: without ASCII tab or newline anywhere and (when `trim`)
/// without leading and trailing C0 control or space.
pub(crate) fn preprocess(input: &str, trim: bool) -> std::borrow::Cow<'_, str> {
    let input = if trim {
        input.trim_matches(|c: char| c <= ' ')
    } else {
        input
    };
    if input.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        input
            .chars()
            .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        input.into()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    SchemeStart,
    Scheme,
    NoScheme,
    SpecialRelativeOrAuthority,
    PathOrAuthority,
    Relative,
    RelativeSlash,
    SpecialAuthoritySlashes,
    SpecialAuthorityIgnoreSlashes,
    Authority,
    File,
    FileSlash,
    FileHost,
    PathStart,
    Path,
    OpaquePath,
    Query,
    Fragment,
}

/// A parsed URL as the `URL` class keeps it: the serialization and where its parts lie, as
/// Ada's `url_aggregator` keeps it. The setters work on a [`Record`] made from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Parsed {
    pub(crate) href: String,
    pub(crate) off: Offsets,
    pub(crate) kind: Kind,
    pub(crate) opaque: bool,
    pub(crate) has_host: bool,
    pub(crate) port: Option<u16>,
}

impl Parsed {
    fn slice(&self, (start, end): (usize, usize)) -> &str {
        &self.href[start..end]
    }

    pub(crate) fn scheme(&self) -> &str {
        &self.href[..self.off.protocol_end - 1]
    }

    pub(crate) fn username(&self) -> &str {
        self.slice(self.off.username)
    }

    pub(crate) fn password(&self) -> &str {
        self.slice(self.off.password)
    }

    /// The serialized host, `None` when the host is null.
    pub(crate) fn host(&self) -> Option<&str> {
        self.has_host.then(|| self.slice(self.off.host))
    }

    pub(crate) fn path(&self) -> &str {
        self.slice(self.off.path)
    }

    /// The query without `?`, `None` when null.
    pub(crate) fn query(&self) -> Option<&str> {
        let (start, end) = self.off.query;
        (start < end).then(|| &self.href[start + 1..end])
    }

    /// The fragment without `#`, `None` when null.
    pub(crate) fn fragment(&self) -> Option<&str> {
        let (start, end) = self.off.fragment;
        (start < end).then(|| &self.href[start + 1..end])
    }

    /// The record of this URL, for the setters.
    pub(crate) fn to_record(&self) -> Record {
        Record {
            scheme: self.scheme().to_owned(),
            kind: self.kind,
            username: self.username().to_owned(),
            password: self.password().to_owned(),
            host: self.host().map(str::to_owned),
            port: self.port,
            path: self.path().to_owned(),
            opaque: self.opaque,
            query: self.query().map(str::to_owned),
            fragment: self.fragment().map(str::to_owned),
        }
    }
}

/// The parser's output, written in serialization order as the states produce it. The
/// authority is held back until the path starts, because the `file:` states may still
/// replace the host.
struct Builder<'a> {
    out: String,
    off: Offsets,
    kind: Kind,
    opaque: bool,
    username: Cow<'a, str>,
    password: Cow<'a, str>,
    host: Option<Cow<'a, str>>,
    port: Option<u16>,
    path_started: bool,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

impl<'a> Builder<'a> {
    fn new(capacity: usize) -> Builder<'a> {
        Builder {
            out: String::with_capacity(capacity),
            off: Offsets::default(),
            kind: Kind::NotSpecial,
            opaque: false,
            username: Cow::Borrowed(""),
            password: Cow::Borrowed(""),
            host: None,
            port: None,
            path_started: false,
            query_start: None,
            fragment_start: None,
        }
    }

    /// Writes the scheme (once).
    fn set_scheme(&mut self, scheme: &str, kind: Kind) {
        if self.off.protocol_end == 0 {
            self.out.push_str(scheme);
            self.out.push(':');
            self.off.protocol_end = self.out.len();
            self.kind = kind;
        }
    }

    fn copy_authority(&mut self, base: &'a Parsed) {
        self.username = Cow::Borrowed(base.username());
        self.password = Cow::Borrowed(base.password());
        self.host = base.host().map(Cow::Borrowed);
        self.port = base.port;
    }

    /// Writes the authority (once) and starts the path.
    fn start_path(&mut self) {
        if self.path_started {
            return;
        }
        self.path_started = true;
        let out = &mut self.out;
        if let Some(host) = &self.host {
            out.push_str("//");
            if !self.username.is_empty() || !self.password.is_empty() {
                let start = out.len();
                out.push_str(&self.username);
                self.off.username = (start, out.len());
                if !self.password.is_empty() {
                    out.push(':');
                    let start = out.len();
                    out.push_str(&self.password);
                    self.off.password = (start, out.len());
                }
                out.push('@');
            }
            let start = out.len();
            out.push_str(host);
            self.off.host = (start, out.len());
            if let Some(port) = self.port {
                out.push(':');
                let start = out.len();
                let _ = write!(out, "{port}");
                self.off.port = (start, out.len());
            }
        } else {
            self.off.host = (out.len(), out.len());
        }
        self.off.host_and_port_end = out.len();
        self.off.path.0 = out.len();
    }

    fn path_start(&self) -> usize {
        self.off.path.0
    }

    /// Copies the base's query as Ada does: an empty query is not kept.
    fn copy_query(&mut self, base: &Parsed) {
        if let Some(query) = base.query().filter(|q| !q.is_empty()) {
            self.begin_query();
            self.out.push_str(query);
        }
    }

    /// After a base's path is copied for a relative reference: `?` starts a new query, `#`
    /// and the end keep the base's query (a `#` then starts the fragment). The next state, or
    /// `None` when `c` is another character and the reference's own path follows.
    fn after_base_path(&mut self, base: &Parsed, c: Option<u8>, state: State) -> Option<State> {
        match c {
            Some(b'?') => {
                self.begin_query();
                Some(State::Query)
            }
            Some(b'#') => {
                self.copy_query(base);
                self.begin_fragment();
                Some(State::Fragment)
            }
            None => {
                self.copy_query(base);
                Some(state)
            }
            Some(_) => None,
        }
    }

    /// At the `?` or `#` that ends a path: starts the query or the fragment and returns its
    /// state (`None` at the end of the input).
    fn after_path(&mut self, c: Option<u8>) -> Option<State> {
        match c {
            Some(b'?') => {
                self.begin_query();
                Some(State::Query)
            }
            Some(_) => {
                self.begin_fragment();
                Some(State::Fragment)
            }
            None => None,
        }
    }

    fn begin_query(&mut self) {
        self.start_path();
        self.query_start = Some(self.out.len());
        self.out.push('?');
    }

    fn begin_fragment(&mut self) {
        self.start_path();
        self.fragment_start = Some(self.out.len());
        self.out.push('#');
    }

    fn finish(mut self) -> Parsed {
        self.start_path();
        let len = self.out.len();
        let path_end = self.query_start.or(self.fragment_start).unwrap_or(len);
        let mut off = self.off;
        off.path.1 = path_end;
        let query_end = self.fragment_start.unwrap_or(len);
        off.query = self
            .query_start
            .map_or((query_end, query_end), |q| (q, query_end));
        off.fragment = self.fragment_start.map_or((len, len), |f| (f, len));
        // A null host and a path starting with an empty segment: "/." keeps the path from
        // reading as an authority.
        if self.host.is_none() && !self.opaque && self.out[off.path.0..path_end].starts_with("//") {
            let at = off.path.0;
            self.out.insert_str(at, "/.");
            off.host_and_port_end += 2;
            off.host = (off.host_and_port_end, off.host_and_port_end);
            for r in [&mut off.path, &mut off.query, &mut off.fragment] {
                r.0 += 2;
                r.1 += 2;
            }
        }
        Parsed {
            href: self.out,
            off,
            kind: self.kind,
            opaque: self.opaque,
            has_host: self.host.is_some(),
            port: self.port,
        }
    }
}

/// The basic URL parser: `input` (raw) against an optional parsed `base`.
///
/// The loop is the standard's: one state function per state, each of which reads the code
/// point under the pointer, writes what it has, and chooses the next state. `None` from a
/// state function is the standard's "validation error, return failure".
pub(crate) fn parse(input: &str, base: Option<&Parsed>) -> Option<Parsed> {
    let input = preprocess(input, true);
    let mut parser = Parser::new(&input, base);
    loop {
        let c = parser.at(parser.p);
        match parser.state {
            State::SchemeStart => parser.scheme_start(c),
            State::Scheme => parser.scheme(c),
            State::NoScheme => parser.no_scheme(c),
            State::SpecialRelativeOrAuthority => parser.special_relative_or_authority(c),
            State::PathOrAuthority => parser.path_or_authority(c),
            State::Relative => parser.relative(c),
            State::RelativeSlash => parser.relative_slash(c),
            State::SpecialAuthoritySlashes => parser.special_authority_slashes(c),
            State::SpecialAuthorityIgnoreSlashes => parser.special_authority_ignore_slashes(c),
            State::Authority => parser.authority(),
            State::File => parser.file(c),
            State::FileSlash => parser.file_slash(c),
            State::FileHost => parser.file_host(),
            State::PathStart => parser.path_start(c),
            State::Path => parser.path(),
            State::OpaquePath => parser.opaque_path(),
            State::Query => parser.query(),
            State::Fragment => parser.fragment(),
        }?;
        if parser.p >= parser.len() {
            break;
        }
        parser.p += 1;
    }
    Some(parser.url.finish())
}

/// The basic URL parser's state: the input, the base, the pointer and the state, and the
/// output being written.
struct Parser<'a> {
    input: &'a str,
    base: Option<&'a Parsed>,
    url: Builder<'a>,
    state: State,
    /// The standard's pointer: it may stand one before the input (`-1`) after a state asks
    /// to reconsume the first code point.
    p: isize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, base: Option<&'a Parsed>) -> Parser<'a> {
        Parser {
            input,
            base,
            url: Builder::new(input.len() + base.map_or(0, |b| b.href.len()) + 8),
            state: State::SchemeStart,
            p: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.input.as_bytes()
    }

    fn len(&self) -> isize {
        self.input.len() as isize
    }

    /// The code point at `p`, `None` past either end (the standard's EOF).
    fn at(&self, p: isize) -> Option<u8> {
        usize::try_from(p)
            .ok()
            .and_then(|p| self.bytes().get(p).copied())
    }

    /// The pointer as an index into the input, clamped to it.
    fn index(&self) -> usize {
        (self.p.max(0) as usize).min(self.input.len())
    }

    /// The input from the pointer to the first of `stop`'s bytes (or the end): its end.
    fn run_end(&self, stop: impl Fn(u8) -> bool) -> usize {
        let start = self.index();
        let s = self.bytes();
        s[start..]
            .iter()
            .position(|&b| stop(b))
            .map_or(s.len(), |i| start + i)
    }

    /// The input from the pointer to `end`.
    fn text_to(&self, end: usize) -> &'a str {
        &self.input[self.index()..end]
    }

    /// The standard's "set state to `state` and decrease pointer by 1".
    fn reconsume(&mut self, state: State) {
        self.state = state;
        self.p -= 1;
    }

    fn scheme_start(&mut self, c: Option<u8>) -> Option<()> {
        if c.is_some_and(|c| c.is_ascii_alphabetic()) {
            self.state = State::Scheme;
        } else {
            self.reconsume(State::NoScheme);
        }
        Some(())
    }

    fn scheme(&mut self, c: Option<u8>) -> Option<()> {
        match c {
            Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
            Some(b':') => {
                let raw = &self.input[..self.p as usize];
                let kind = Kind::of_ignore_case(raw);
                let url = &mut self.url;
                if raw.bytes().any(|b| b.is_ascii_uppercase()) {
                    url.set_scheme(&raw.to_ascii_lowercase(), kind);
                } else {
                    url.set_scheme(raw, kind);
                }
                let scheme = &url.out[..url.off.protocol_end - 1];
                let same_as_base = self.base.is_some_and(|b| b.scheme() == scheme);
                if kind == Kind::File {
                    self.state = State::File;
                } else if kind.is_special() && same_as_base {
                    self.state = State::SpecialRelativeOrAuthority;
                } else if kind.is_special() {
                    self.state = State::SpecialAuthoritySlashes;
                } else if self.at(self.p + 1) == Some(b'/') {
                    self.state = State::PathOrAuthority;
                    self.p += 1;
                } else {
                    self.url.opaque = true;
                    self.state = State::OpaquePath;
                }
            }
            _ => {
                // No scheme after all: start over from the first code point.
                self.state = State::NoScheme;
                self.p = -1;
            }
        }
        Some(())
    }

    fn no_scheme(&mut self, c: Option<u8>) -> Option<()> {
        let base = self.base?;
        // Ada cuts the fragment off first and fails here only when there is none: an input
        // with a '#' later on resolves against an opaque base as if its path were a list
        // ("x#f" against "sc:a/b" is "sc:a/x#f").
        if base.opaque && !self.bytes().contains(&b'#') {
            return None;
        }
        if base.opaque && c == Some(b'#') {
            let url = &mut self.url;
            url.set_scheme(base.scheme(), base.kind);
            url.opaque = true;
            url.start_path();
            url.out.push_str(base.path());
            url.copy_query(base);
            url.begin_fragment();
            self.state = State::Fragment;
        } else if base.kind != Kind::File {
            self.reconsume(State::Relative);
        } else {
            self.reconsume(State::File);
        }
        Some(())
    }

    fn special_relative_or_authority(&mut self, c: Option<u8>) -> Option<()> {
        self.after_two_slashes(c, State::Relative)
    }

    /// At `//`: skips it into the special-authority-ignore-slashes state; otherwise
    /// reconsumes in `otherwise`.
    fn after_two_slashes(&mut self, c: Option<u8>, otherwise: State) -> Option<()> {
        if c == Some(b'/') && self.at(self.p + 1) == Some(b'/') {
            self.state = State::SpecialAuthorityIgnoreSlashes;
            self.p += 1;
        } else {
            self.reconsume(otherwise);
        }
        Some(())
    }

    fn path_or_authority(&mut self, c: Option<u8>) -> Option<()> {
        if c == Some(b'/') {
            self.state = State::Authority;
        } else {
            self.reconsume(State::Path);
        }
        Some(())
    }

    fn relative(&mut self, c: Option<u8>) -> Option<()> {
        let base = self.base?;
        let url = &mut self.url;
        url.set_scheme(base.scheme(), base.kind);
        if c == Some(b'/') || (url.kind.is_special() && c == Some(b'\\')) {
            self.state = State::RelativeSlash;
            return Some(());
        }
        url.copy_authority(base);
        url.start_path();
        url.out.push_str(base.path());
        if let Some(next) = url.after_base_path(base, c, self.state) {
            self.state = next;
        } else {
            let start = url.path_start();
            shorten_path(&mut url.out, start, url.kind);
            self.reconsume(State::Path);
        }
        Some(())
    }

    fn relative_slash(&mut self, c: Option<u8>) -> Option<()> {
        if self.url.kind.is_special() && matches!(c, Some(b'/' | b'\\')) {
            self.state = State::SpecialAuthorityIgnoreSlashes;
        } else if c == Some(b'/') {
            self.state = State::Authority;
        } else {
            self.url.copy_authority(self.base?);
            self.reconsume(State::Path);
        }
        Some(())
    }

    fn special_authority_slashes(&mut self, c: Option<u8>) -> Option<()> {
        self.after_two_slashes(c, State::SpecialAuthorityIgnoreSlashes)
    }

    fn special_authority_ignore_slashes(&mut self, c: Option<u8>) -> Option<()> {
        if !matches!(c, Some(b'/' | b'\\')) {
            self.reconsume(State::Authority);
        }
        Some(())
    }

    /// The authority state, then the host and port states, in one pass over the authority.
    fn authority(&mut self) -> Option<()> {
        // The authority runs to the first delimiter; the userinfo is everything before its
        // last '@' (earlier '@'s are encoded as %40, as the userinfo set would encode them
        // anyway).
        let (input, s) = (self.input, self.bytes());
        let start = self.index();
        let special = self.url.kind.is_special();
        let end = self.run_end(|b| matches!(b, b'/' | b'?' | b'#') || (special && b == b'\\'));
        let url = &mut self.url;
        let mut host_start = start;
        if let Some(at_sign) = s[start..end].iter().rposition(|&b| b == b'@') {
            let at_sign = start + at_sign;
            if at_sign + 1 == end {
                return None;
            }
            let userinfo = &input[start..at_sign];
            match userinfo.find(':') {
                Some(colon) => {
                    url.username = encode_cow(&userinfo[..colon], USERINFO);
                    url.password = encode_cow(&userinfo[colon + 1..], USERINFO);
                }
                None => url.username = encode_cow(userinfo, USERINFO),
            }
            host_start = at_sign + 1;
        }
        // The host state, then the port state.
        let mut in_brackets = false;
        let mut colon = None;
        for (i, &b) in s[host_start..end].iter().enumerate() {
            match b {
                b'[' => in_brackets = true,
                b']' => in_brackets = false,
                b':' if !in_brackets => {
                    colon = Some(host_start + i);
                    break;
                }
                _ => {}
            }
        }
        let host_end = colon.unwrap_or(end);
        let host = &input[host_start..host_end];
        if host.is_empty() && (colon.is_some() || special) {
            return None;
        }
        url.host = Some(parse_host_cow(host, !special)?);
        if let Some(colon) = colon {
            let digits = &s[colon + 1..end];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            if !digits.is_empty() {
                let port = parse_port_digits(digits)?;
                url.port = (Some(port) != url.kind.default_port()).then_some(port);
            }
        }
        self.p = end as isize;
        self.reconsume(State::PathStart);
        Some(())
    }

    fn file(&mut self, c: Option<u8>) -> Option<()> {
        let url = &mut self.url;
        url.set_scheme("file", Kind::File);
        url.host = Some(Cow::Borrowed(""));
        if matches!(c, Some(b'/' | b'\\')) {
            self.state = State::FileSlash;
        } else if let Some(base) = self.base.filter(|b| b.kind == Kind::File) {
            url.host = base.host().map(Cow::Borrowed);
            url.start_path();
            url.out.push_str(base.path());
            if let Some(next) = url.after_base_path(base, c, self.state) {
                self.state = next;
            } else {
                let start = url.path_start();
                if !starts_with_drive_letter(&self.input.as_bytes()[self.p as usize..]) {
                    shorten_path(&mut url.out, start, url.kind);
                } else {
                    url.out.truncate(start);
                }
                self.reconsume(State::Path);
            }
        } else {
            self.reconsume(State::Path);
        }
        Some(())
    }

    fn file_slash(&mut self, c: Option<u8>) -> Option<()> {
        if matches!(c, Some(b'/' | b'\\')) {
            self.state = State::FileHost;
            return Some(());
        }
        if let Some(base) = self.base.filter(|b| b.kind == Kind::File) {
            let rest = &self.input.as_bytes()[self.index()..];
            let url = &mut self.url;
            url.host = base.host().map(Cow::Borrowed);
            url.start_path();
            if !starts_with_drive_letter(rest) {
                let first = base.path().get(1..).unwrap_or("").split('/').next();
                if let Some(first) = first.filter(|f| starts_with_normalized_drive_letter(f)) {
                    url.out.push('/');
                    url.out.push_str(first);
                }
            }
        }
        self.reconsume(State::Path);
        Some(())
    }

    fn file_host(&mut self) -> Option<()> {
        let end = self.run_end(|b| matches!(b, b'/' | b'\\' | b'?' | b'#'));
        let buffer = self.text_to(end);
        if is_drive_letter(buffer.as_bytes()) {
            // The standard's Windows drive letter quirk: the buffer is the start of the path.
            self.reconsume(State::Path);
            return Some(());
        }
        if !buffer.is_empty() {
            let host = parse_host_cow(buffer, false)?;
            self.url.host = Some(if host == "localhost" {
                Cow::Borrowed("")
            } else {
                host
            });
        }
        self.p = end as isize;
        self.reconsume(State::PathStart);
        Some(())
    }

    fn path_start(&mut self, c: Option<u8>) -> Option<()> {
        let url = &mut self.url;
        url.start_path();
        if url.kind.is_special() {
            self.state = State::Path;
            if !matches!(c, Some(b'/' | b'\\')) {
                self.p -= 1;
            }
            return Some(());
        }
        match c {
            Some(b'?') => {
                url.begin_query();
                self.state = State::Query;
            }
            Some(b'#') => {
                url.begin_fragment();
                self.state = State::Fragment;
            }
            Some(c) => {
                self.state = State::Path;
                if c != b'/' {
                    self.p -= 1;
                }
            }
            None => {}
        }
        Some(())
    }

    fn path(&mut self) -> Option<()> {
        self.url.start_path();
        let end = self.run_end(|b| matches!(b, b'?' | b'#'));
        let segment = self.text_to(end);
        let url = &mut self.url;
        let path_start = url.path_start();
        consume_path(&mut url.out, path_start, segment, url.kind, true);
        self.end_path_at(end);
        Some(())
    }

    fn opaque_path(&mut self) -> Option<()> {
        self.url.start_path();
        let end = self.run_end(|b| matches!(b, b'?' | b'#'));
        let text = self.text_to(end);
        encode_into(&mut self.url.out, text, C0_CONTROL);
        self.end_path_at(end);
        Some(())
    }

    /// Moves the pointer to the `?` or `#` (or the end) at `end` that ends a path, and starts
    /// the query or fragment there.
    fn end_path_at(&mut self, end: usize) {
        self.p = end as isize;
        if let Some(next) = self.url.after_path(self.at(self.p)) {
            self.state = next;
        }
    }

    fn query(&mut self) -> Option<()> {
        let end = self.run_end(|b| b == b'#');
        let set = if self.url.kind.is_special() {
            SPECIAL_QUERY
        } else {
            QUERY
        };
        let text = self.text_to(end);
        encode_into(&mut self.url.out, text, set);
        self.p = end as isize;
        if self.at(self.p).is_some() {
            self.url.begin_fragment();
            self.state = State::Fragment;
        }
        Some(())
    }

    fn fragment(&mut self) -> Option<()> {
        let text = self.text_to(self.input.len());
        encode_into(&mut self.url.out, text, FRAGMENT);
        self.p = self.len();
        Some(())
    }
}

/// [`encode`], borrowing when nothing needs encoding.
fn encode_cow(text: &str, set: Set) -> Cow<'_, str> {
    if text.bytes().any(|b| b >= 0x80 || set.0 & (1 << b) != 0) {
        Cow::Owned(encode(text, set))
    } else {
        Cow::Borrowed(text)
    }
}

/// Parses the digits of a port; `None` above 65535.
pub(crate) fn parse_port_digits(digits: &[u8]) -> Option<u16> {
    let mut n: u32 = 0;
    for &d in digits {
        n = n * 10 + u32::from(d - b'0');
        if n > 65535 {
            return None;
        }
    }
    u16::try_from(n).ok()
}

/// Ada's `shorten_path` on the serialized path `out[start..]`: removes the last segment,
/// unless the path is a `file:` URL's lone drive letter. Returns whether something was removed.
pub(crate) fn shorten_path(out: &mut String, start: usize, kind: Kind) -> bool {
    let path = &out[start..];
    if kind == Kind::File
        && !path.is_empty()
        && !path[1..].contains('/')
        && starts_with_normalized_drive_letter(&path[1..])
    {
        return false;
    }
    match path.rfind('/') {
        Some(i) => {
            out.truncate(start + i);
            true
        }
        None => false,
    }
}

/// Ada's `consume_prepared_path`: appends the segments of `input` (split at `/`, and at `\`
/// for special URLs) to the serialized path `out[start..]`, resolving dot segments.
///
/// `at_path` says whether the path is the end of Ada's buffer (no query or fragment follows
/// it): with an empty path there Ada appends a path it judges trivial as it is, and its test
/// for dot segments only looks at the first `/.` (`/a/.x/..` stays as it is).
pub(crate) fn consume_path(out: &mut String, start: usize, input: &str, kind: Kind, at_path: bool) {
    let special = kind.is_special();
    if at_path && out.len() == start && ada_trivial_path(input.as_bytes(), kind) {
        out.push('/');
        out.push_str(input);
        return;
    }
    let mut rest = input;
    let mut segment = String::new();
    loop {
        let split = rest
            .bytes()
            .position(|b| b == b'/' || (special && b == b'\\'));
        let (raw, last) = match split {
            Some(i) => (&rest[..i], false),
            None => (rest, true),
        };
        segment.clear();
        encode_into(&mut segment, raw, PATH);
        if is_double_dot(&segment) {
            if (shorten_path(out, start, kind) || special) && last {
                out.push('/');
            }
        } else if is_single_dot(&segment) {
            if last {
                out.push('/');
            }
        } else if kind == Kind::File && out.len() == start && is_drive_letter(segment.as_bytes()) {
            out.push('/');
            out.push(segment.as_bytes()[0] as char);
            out.push(':');
        } else {
            out.push('/');
            out.push_str(&segment);
        }
        match split {
            Some(i) => rest = &rest[i + 1..],
            None => return,
        }
    }
}

/// Ada's test in `consume_prepared_path` for a path it can append without looking at its
/// segments.
fn ada_trivial_path(input: &[u8], kind: Kind) -> bool {
    const NEED_ENCODING: u8 = 1;
    const BACKSLASH: u8 = 2;
    const DOT: u8 = 4;
    const PERCENT: u8 = 8;
    let mut signature = 0;
    for &b in input {
        signature |= match b {
            b'\\' => BACKSLASH,
            b'.' => DOT,
            b'%' => PERCENT,
            b if b >= 0x80 || PATH.0 & (1 << b) != 0 => NEED_ENCODING,
            _ => 0,
        };
    }
    let slow_file = kind == Kind::File && starts_with_drive_letter(input);
    let mut trivial = if kind.is_special() {
        signature == 0
    } else {
        signature & (NEED_ENCODING | DOT | PERCENT) == 0
    } && !slow_file;
    if signature == DOT && !slow_file && input.first() != Some(&b'.') {
        trivial = match input.windows(2).position(|w| w == b"/.") {
            None => true,
            Some(i) => !(i + 2 == input.len() || matches!(input[i + 2], b'.' | b'/')),
        };
    }
    trivial
}

fn is_single_dot(s: &str) -> bool {
    s == "." || s.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(s: &str) -> bool {
    matches!(s.len(), 2 | 4 | 6)
        && matches!(
            s.to_ascii_lowercase().as_str(),
            ".." | ".%2e" | "%2e." | "%2e%2e"
        )
}

/// Two bytes: an ASCII letter, then `:` or `|`.
pub(crate) fn is_drive_letter(s: &[u8]) -> bool {
    s.len() == 2 && s[0].is_ascii_alphabetic() && matches!(s[1], b':' | b'|')
}

/// Ada 2.9's `is_normalized_windows_drive_letter`: an ASCII letter and `:`, then anything
/// (`a:b` counts). The standard asks for exactly two code points; Node shows Ada's test
/// (`new URL("file:///a:b/..")` is `file:///a:b/`).
fn starts_with_normalized_drive_letter(s: &str) -> bool {
    let s = s.as_bytes();
    s.len() >= 2 && s[0].is_ascii_alphabetic() && s[1] == b':'
}

/// Whether `s` starts with a Windows drive letter followed by the end, `/`, `\`, `?` or `#`.
pub(crate) fn starts_with_drive_letter(s: &[u8]) -> bool {
    s.len() >= 2
        && is_drive_letter(&s[..2])
        && (s.len() == 2 || matches!(s[2], b'/' | b'\\' | b'?' | b'#'))
}

/// <https://url.spec.whatwg.org/#forbidden-host-code-point>
pub(crate) fn is_forbidden_host(b: u8) -> bool {
    matches!(
        b,
        0 | b'\t'
            | b'\n'
            | b'\r'
            | b' '
            | b'#'
            | b'/'
            | b':'
            | b'<'
            | b'>'
            | b'?'
            | b'@'
            | b'['
            | b'\\'
            | b']'
            | b'^'
            | b'|'
    )
}

/// <https://url.spec.whatwg.org/#forbidden-domain-code-point>
pub(crate) fn is_forbidden_domain(b: u8) -> bool {
    is_forbidden_host(b) || b <= 0x1F || b == b'%' || b == 0x7F
}

/// The host parser: the serialized host, or `None` on failure.
pub(crate) fn parse_host(input: &str, opaque: bool) -> Option<String> {
    parse_host_cow(input, opaque).map(Cow::into_owned)
}

/// [`parse_host`], borrowing the input when it is already the serialization.
fn parse_host_cow(input: &str, opaque: bool) -> Option<Cow<'_, str>> {
    if let Some(inner) = input.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        return parse_ipv6(inner.as_bytes()).map(|a| Cow::Owned(serialize_ipv6(&a)));
    }
    if opaque {
        if input.bytes().any(is_forbidden_host) {
            return None;
        }
        return Some(encode_cow(input, C0_CONTROL));
    }
    let ascii = if input
        .bytes()
        .all(|b| b.is_ascii() && !is_forbidden_domain(b) && !b.is_ascii_uppercase())
        && !input.contains("xn-")
    {
        Cow::Borrowed(input)
    } else {
        let decoded: Cow<'_, [u8]> = percent_encoding::percent_decode_str(input).into();
        let decoded = std::str::from_utf8(&decoded).ok()?;
        let ascii = to_ascii(decoded);
        if ascii.is_empty() || ascii.bytes().any(is_forbidden_domain) {
            return None;
        }
        Cow::Owned(ascii)
    };
    if ends_in_number(&ascii) {
        return parse_ipv4(&ascii).map(|a| Cow::Owned(serialize_ipv4(a)));
    }
    Some(ascii)
}

/// <https://url.spec.whatwg.org/#ends-in-a-number-checker>, as Ada's `is_ipv4`.
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return false;
    }
    let last = host.rsplit('.').next().unwrap_or("");
    if last.is_empty() {
        return false;
    }
    if last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    last.strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// <https://url.spec.whatwg.org/#concept-ipv4-parser>
fn parse_ipv4(host: &str) -> Option<u32> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut numbers = Vec::with_capacity(4);
    for part in &parts {
        numbers.push(parse_ipv4_number(part)?);
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    if u64::from(*last) >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut ipv4 = u64::from(*last);
    for (i, &n) in init.iter().enumerate() {
        ipv4 += u64::from(n) * 256u64.pow(3 - i as u32);
    }
    u32::try_from(ipv4).ok()
}

/// <https://url.spec.whatwg.org/#ipv4-number-parser>, `None` on failure or above 2^32 - 1.
fn parse_ipv4_number(mut s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut radix = 10;
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        s = hex;
        radix = 16;
    } else if s.len() >= 2 && s.starts_with('0') {
        s = &s[1..];
        radix = 8;
    }
    if s.is_empty() {
        return Some(0);
    }
    let mut n: u64 = 0;
    for c in s.chars() {
        let d = c.to_digit(radix)?;
        n = n * u64::from(radix) + u64::from(d);
        if n > u64::from(u32::MAX) {
            return None;
        }
    }
    u32::try_from(n).ok()
}

fn serialize_ipv4(a: u32) -> String {
    let b = a.to_be_bytes();
    format!("{}.{}.{}.{}", b[0], b[1], b[2], b[3])
}

/// <https://url.spec.whatwg.org/#concept-ipv6-parser>
fn parse_ipv6(s: &[u8]) -> Option<[u16; 8]> {
    let mut address = [0u16; 8];
    let mut piece = 0usize;
    let mut compress: Option<usize> = None;
    let mut p = 0usize;
    let at = |p: usize| s.get(p).copied();
    if at(0) == Some(b':') {
        if at(1) != Some(b':') {
            return None;
        }
        p = 2;
        piece = 1;
        compress = Some(1);
    }
    while let Some(c) = at(p) {
        if piece == 8 {
            return None;
        }
        if c == b':' {
            if compress.is_some() {
                return None;
            }
            p += 1;
            piece += 1;
            compress = Some(piece);
            continue;
        }
        let mut value: u32 = 0;
        let mut length = 0;
        while length < 4 {
            match at(p).and_then(|c| (c as char).to_digit(16)) {
                Some(d) => {
                    value = value * 16 + d;
                    p += 1;
                    length += 1;
                }
                None => break,
            }
        }
        if at(p) == Some(b'.') {
            if length == 0 {
                return None;
            }
            p -= length;
            if piece > 6 {
                return None;
            }
            let mut numbers_seen = 0;
            while let Some(c) = at(p) {
                let _ = c;
                let mut ipv4_piece: Option<u32> = None;
                if numbers_seen > 0 {
                    if at(p) == Some(b'.') && numbers_seen < 4 {
                        p += 1;
                    } else {
                        return None;
                    }
                }
                if !at(p).is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
                while let Some(d) = at(p).filter(u8::is_ascii_digit) {
                    let number = u32::from(d - b'0');
                    ipv4_piece = match ipv4_piece {
                        None => Some(number),
                        Some(0) => return None,
                        Some(v) => Some(v * 10 + number),
                    };
                    if ipv4_piece > Some(255) {
                        return None;
                    }
                    p += 1;
                }
                address[piece] = (u32::from(address[piece]) * 0x100 + ipv4_piece?) as u16;
                numbers_seen += 1;
                if numbers_seen == 2 || numbers_seen == 4 {
                    piece += 1;
                }
            }
            if numbers_seen != 4 {
                return None;
            }
            break;
        } else if at(p) == Some(b':') {
            p += 1;
            at(p)?;
        } else if at(p).is_some() {
            return None;
        }
        address[piece] = value as u16;
        piece += 1;
    }
    if let Some(compress) = compress {
        let mut swaps = piece - compress;
        piece = 7;
        while piece != 0 && swaps > 0 {
            address.swap(piece, compress + swaps - 1);
            piece -= 1;
            swaps -= 1;
        }
    } else if piece != 8 {
        return None;
    }
    Some(address)
}

/// <https://url.spec.whatwg.org/#concept-ipv6-serializer>, with brackets.
fn serialize_ipv6(a: &[u16; 8]) -> String {
    // The first longest run of two or more zero pieces.
    let (mut best_start, mut best_len) = (None, 1);
    let mut i = 0;
    while i < 8 {
        if a[i] == 0 {
            let start = i;
            while i < 8 && a[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::from("[");
    let mut ignore0 = false;
    for (i, piece) in a.iter().enumerate() {
        if ignore0 && *piece == 0 {
            continue;
        }
        ignore0 = false;
        if best_start == Some(i) {
            out.push_str(if i == 0 { "::" } else { ":" });
            ignore0 = true;
            continue;
        }
        out.push_str(&format!("{piece:x}"));
        if i != 7 {
            out.push(':');
        }
    }
    out.push(']');
    out
}

/// Where the accessors' strings lie in the serialization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Offsets {
    /// After the `:` of the scheme.
    pub(crate) protocol_end: usize,
    pub(crate) username: (usize, usize),
    pub(crate) password: (usize, usize),
    pub(crate) host: (usize, usize),
    /// The host and port (`host` getter).
    pub(crate) host_and_port_end: usize,
    pub(crate) port: (usize, usize),
    pub(crate) path: (usize, usize),
    /// `?` and the query (or an empty range).
    pub(crate) query: (usize, usize),
    /// `#` and the fragment (or an empty range).
    pub(crate) fragment: (usize, usize),
}

impl Record {
    /// The URL serializer: the record as a [`Parsed`] URL.
    pub(crate) fn to_parsed(&self) -> Parsed {
        let mut b = Builder::new(
            self.scheme.len()
                + self.host.as_ref().map_or(0, String::len)
                + self.path.len()
                + self.query.as_ref().map_or(0, String::len)
                + self.fragment.as_ref().map_or(0, String::len)
                + self.username.len()
                + self.password.len()
                + 16,
        );
        b.set_scheme(&self.scheme, self.kind);
        b.opaque = self.opaque;
        b.username = Cow::Borrowed(&self.username);
        b.password = Cow::Borrowed(&self.password);
        b.host = self.host.as_deref().map(Cow::Borrowed);
        b.port = self.port;
        b.start_path();
        b.out.push_str(&self.path);
        if let Some(query) = &self.query {
            b.begin_query();
            b.out.push_str(query);
        }
        if let Some(fragment) = &self.fragment {
            b.begin_fragment();
            b.out.push_str(fragment);
        }
        b.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn href(input: &str, base: Option<&str>) -> Option<String> {
        let base = match base {
            Some(b) => Some(parse(b, None)?),
            None => None,
        };
        parse(input, base.as_ref()).map(|r| r.href)
    }

    #[test]
    fn node_answers() {
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            ("http://h/c:/..", None, Some("http://h/")),
            ("foo://h/c:/../x", None, Some("foo://h/x")),
            (
                "../../x",
                Some("file://}localhost/a/b/c"),
                Some("file://}localhost/x"),
            ),
            ("urn:a b ?q", None, Some("urn:a b ?q")),
            ("?", Some("file:///a/b?x"), Some("file:///a/b?")),
            ("", Some("http://h/p?#f"), Some("http://h/p")),
            ("#g", Some("sc:x?#f"), Some("sc:x#g")),
            ("../..", Some("foo:/a/b"), Some("foo:")),
            ("foo:/..//p", None, Some("foo:/.//p")),
            ("http://[::1.2.3.4]/", None, Some("http://[::102:304]/")),
            ("http://0x7f.1/", None, Some("http://127.0.0.1/")),
            ("http://ab%41/", None, Some("http://aba/")),
            ("http://h:-1/", None, None),
            ("http://1.2.3.4../", None, Some("http://1.2.3.4../")),
            ("file:///C:/../x", None, Some("file:///C:/x")),
            ("x", Some("urn:a"), None),
        ];
        for (input, base, want) in cases {
            assert_eq!(
                href(input, *base).as_deref(),
                *want,
                "{input:?} against {base:?}"
            );
        }
    }
}
