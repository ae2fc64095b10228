//! `Url.prototype.parse` from Node v20's `lib/url.js`, step by step.
//!
//! Indices are byte offsets into UTF-8 strings; every place the algorithm cuts a string is at
//! an ASCII character (or a character boundary found by `char_indices`), so they stand for
//! Node's UTF-16 indices one to one. Where Node measures a length (the 255-unit hostname
//! limit) it is measured in UTF-16 units.

use std::borrow::Cow;

use super::idna::to_ascii_owned;
use super::js::{decode_uri_component, is_js_space, utf16_len};
use super::{Query, Url, is_hostless, is_slashed, is_unsafe};
use crate::{Error, ErrorKind};

/// `hostnameMaxLen`: longer hostnames become empty.
const HOSTNAME_MAX_LEN: usize = 255;

/// `forbiddenHostChars`: a non-IPv6 hostname holding one of these after `toASCII` throws.
fn forbidden_host_char(c: char) -> bool {
    matches!(
        c,
        '\0' | '\t'
            | '\n'
            | '\r'
            | ' '
            | '#'
            | '%'
            | '/'
            | ':'
            | '<'
            | '>'
            | '?'
            | '@'
            | '['
            | '\\'
            | ']'
            | '^'
            | '|'
    )
}

/// `forbiddenHostCharsIpv6`: as above, but `[`, `]` and `:` are allowed.
fn forbidden_host_char_ipv6(c: char) -> bool {
    forbidden_host_char(c) && !matches!(c, '[' | ']' | ':')
}

/// `isIpv6Hostname`: starts with `[` and ends with `]`.
fn is_ipv6_hostname(hostname: &str) -> bool {
    hostname.starts_with('[') && hostname.ends_with(']')
}

fn invalid_url() -> Error {
    Error::new(ErrorKind::InvalidUrl, "Invalid URL")
}

/// Node's `url.parse(url, parseQueryString, slashesDenoteHost)`.
pub(super) fn parse(url: &str, parse_query: bool, slashes_denote_host: bool) -> Result<Url, Error> {
    let mut this = Url::default();
    let (mut rest, has_hash, has_at) = trim_and_fix_backslashes(url);

    if !slashes_denote_host && !has_hash && !has_at {
        if let Some((pathname, search)) = simple_path(&rest) {
            this.pathname = Some(pathname.to_owned());
            if let Some(search) = search {
                this.search = Some(search.to_owned());
                this.query = Some(make_query(&search[1..], parse_query));
            } else if parse_query {
                this.search = None;
                this.query = Some(Query::Object(Default::default()));
            }
            this.path = Some(rest.clone());
            this.href = Some(rest);
            return Ok(this);
        }
    }

    let proto_len = protocol_prefix(&rest).map(str::len);
    let has_proto = proto_len.is_some();
    // The protocol as written, against slashedProtocol ("HTTP:x" has a host below).
    let written_not_slashed = proto_len.is_some_and(|n| !is_slashed(&rest[..n]));
    // The lower-cased protocol against the lists, once.
    let (mut hostless, mut unsafe_proto, mut slashed_proto) = (false, false, false);
    if let Some(n) = proto_len {
        let lower = rest[..n].to_ascii_lowercase();
        hostless = is_hostless(&lower);
        unsafe_proto = is_unsafe(&lower);
        slashed_proto = is_slashed(&lower);
        this.protocol = Some(lower);
        rest.drain(..n);
    }

    // `user@server` is always a host; `//foo/bar` is one when slashes denote hosts.
    let mut slashes = false;
    if slashes_denote_host || has_proto || host_pattern(&rest) {
        slashes = rest.starts_with("//");
        if slashes && !(has_proto && hostless) {
            rest.drain(..2);
            this.slashes = true;
        }
    }

    // Node tests the protocol *as written* against slashedProtocol here ("HTTP:x" has a host).
    if !hostless && (slashes || written_not_slashed) {
        rest = parse_authority(&mut this, rest)?;
    }

    if !unsafe_proto {
        let escaped = match auto_escape(&rest) {
            Cow::Owned(escaped) => Some(escaped),
            Cow::Borrowed(_) => None,
        };
        if let Some(escaped) = escaped {
            rest = escaped;
        }
    }

    let mut question = None;
    let mut hash = None;
    for (i, b) in rest.bytes().enumerate() {
        if b == b'#' {
            this.hash = Some(rest[i..].to_owned());
            hash = Some(i);
            break;
        } else if b == b'?' && question.is_none() {
            question = Some(i);
        }
    }

    if let Some(q) = question {
        let end = hash.unwrap_or(rest.len());
        this.search = Some(rest[q..end].to_owned());
        this.query = Some(make_query(&rest[q + 1..end], parse_query));
    } else if parse_query {
        this.search = None;
        this.query = Some(Query::Object(Default::default()));
    }

    let first = match (question, hash) {
        (Some(q), h) if h.is_none_or(|h| q < h) => Some(q),
        (_, h) => h,
    };
    match first {
        None if !rest.is_empty() => this.pathname = Some(rest.clone()),
        Some(i) if i > 0 => this.pathname = Some(rest[..i].to_owned()),
        _ => {}
    }
    if slashed_proto && truthy(&this.hostname) && !truthy(&this.pathname) {
        this.pathname = Some("/".into());
    }

    // To support http.request.
    if truthy(&this.pathname) || truthy(&this.search) {
        let p = this.pathname.as_deref().unwrap_or("");
        let s = this.search.as_deref().unwrap_or("");
        let mut path = String::with_capacity(p.len() + s.len());
        path.push_str(p);
        path.push_str(s);
        this.path = Some(path);
    }

    this.href = Some(this.format());
    Ok(this)
}

/// JavaScript truthiness of an optional string.
pub(super) fn truthy(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.is_empty())
}

/// `query` as Node sets it: the raw string, or `querystring.parse` of it.
fn make_query(raw: &str, parse_query: bool) -> Query {
    if parse_query {
        Query::Object(nodestd_querystring::parse(raw))
    } else {
        Query::String(raw.to_owned())
    }
}

/// The first loop of `parse`: trims leading and trailing white space (C0 controls, space,
/// NBSP, BOM) and turns `\` into `/` until the first `?` or `#`. Also reports whether a `#`
/// (anywhere) or an `@` (before the first `?`/`#`) was seen.
fn trim_and_fix_backslashes(url: &str) -> (String, bool, bool) {
    let mut has_hash = false;
    let mut has_at = false;
    let mut start: Option<usize> = None;
    let mut end: Option<usize> = None;
    let mut rest = String::new();
    let mut last_pos = 0;
    let mut in_ws = false;
    let mut split = false;
    // A byte loop: the characters it acts on are ASCII, and the bytes inside a character
    // (continuation bytes) change nothing.
    let bytes = url.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if c & 0xC0 == 0x80 {
            continue;
        }
        // `isWs`: C0 controls, space, NBSP and the BOM.
        let is_ws = if c < 0x80 {
            c < 33
        } else {
            // U+00A0 and U+FEFF.
            (c == 0xC2 && bytes.get(i + 1) == Some(&0xA0))
                || (c == 0xEF && bytes.get(i + 1..i + 3) == Some(&[0xBB, 0xBF][..]))
        };
        if start.is_none() {
            if is_ws {
                continue;
            }
            start = Some(i);
            last_pos = i;
        } else if in_ws {
            if !is_ws {
                end = None;
                in_ws = false;
            }
        } else if is_ws {
            end = Some(i);
            in_ws = true;
        }

        if !split {
            match c {
                b'@' => has_at = true,
                b'#' => {
                    has_hash = true;
                    split = true;
                }
                b'?' => split = true,
                b'\\' => {
                    rest.push_str(&url[last_pos..i]);
                    rest.push('/');
                    last_pos = i + 1;
                }
                _ => {}
            }
        } else if !has_hash && c == b'#' {
            has_hash = true;
        }
    }

    if let Some(start) = start {
        if last_pos == start {
            // No backslash was converted.
            rest = match end {
                None => url[start..].to_owned(),
                Some(end) => url[start..end].to_owned(),
            };
        } else {
            match end {
                None if last_pos < url.len() => rest.push_str(&url[last_pos..]),
                Some(end) if last_pos < end => rest.push_str(&url[last_pos..end]),
                _ => {}
            }
        }
    }
    (rest, has_hash, has_at)
}

/// `simplePathPattern`, `/^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/`: the pathname and the search.
fn simple_path(rest: &str) -> Option<(&str, Option<&str>)> {
    let lead = if rest.starts_with("//") {
        2
    } else if rest.starts_with('/') {
        1
    } else {
        return None;
    };
    if rest[lead..].starts_with('/') {
        return None;
    }
    let path_end = rest[lead..]
        .find(|c: char| c == '?' || is_js_space(c))
        .map_or(rest.len(), |i| lead + i);
    let (pathname, tail) = rest.split_at(path_end);
    if tail.is_empty() {
        return Some((pathname, None));
    }
    if tail.starts_with('?') && !tail.chars().any(is_js_space) {
        return Some((pathname, Some(tail)));
    }
    None
}

/// `protocolPattern`, `/^[a-z0-9.+-]+:/i`: the scheme with its colon.
fn protocol_prefix(rest: &str) -> Option<&str> {
    let n = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        .count();
    (n > 0 && rest.as_bytes().get(n) == Some(&b':')).then(|| &rest[..=n])
}

/// `hostPattern`, `/^\/\/[^@/]+@[^@/]+/`.
fn host_pattern(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return false;
    };
    let Some(at) = after.find(['@', '/']) else {
        return false;
    };
    at > 0
        && after.as_bytes()[at] == b'@'
        && after
            .as_bytes()
            .get(at + 1)
            .is_some_and(|b| !matches!(b, b'@' | b'/'))
}

/// The host part of `parse`: auth, host, port and hostname. Returns what follows the host.
fn parse_authority(this: &mut Url, rest: String) -> Result<String, Error> {
    // Find where the host ends, dropping tabs and newlines on the way (as WHATWG does).
    // Non-host characters may stand left of the last `@`, unless a host-ending one comes
    // first: http://a@b@c/ => auth "a@b", host "c"; http://a@b?@c => auth "a", host "b".
    // Every character looked at is ASCII, so a byte loop sees them where the character loop
    // would; positions are counted in the string without the dropped tabs and newlines.
    let mut host_end = None;
    let mut at_sign = None;
    let mut non_host = None;
    let mut consumed = rest.len();
    let mut dropped = 0;
    for (i, b) in rest.bytes().enumerate() {
        let kept = i - dropped;
        match b {
            b'\t' | b'\n' | b'\r' => {
                dropped += 1;
                continue;
            }
            b' ' | b'"' | b'%' | b'\'' | b';' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|'
            | b'}' => {
                non_host.get_or_insert(kept);
            }
            b'#' | b'/' | b'?' => {
                non_host.get_or_insert(kept);
                host_end = Some(kept);
            }
            b'@' => {
                at_sign = Some(kept);
                non_host = None;
            }
            _ => {}
        }
        if host_end.is_some() {
            consumed = i + 1;
            break;
        }
    }
    let mut rest = if dropped == 0 {
        rest
    } else {
        let mut kept = String::with_capacity(rest.len());
        kept.extend(
            rest[..consumed]
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r')),
        );
        kept.push_str(&rest[consumed..]);
        kept
    };

    let mut start = 0;
    if let Some(at) = at_sign {
        this.auth = Some(decode_uri_component(&rest[..at])?);
        start = at + 1;
    }
    match non_host {
        None => {
            this.host = Some(rest[start..].to_owned());
            rest = String::new();
        }
        Some(nh) => {
            this.host = Some(rest[start..nh].to_owned());
            rest.drain(..nh);
        }
    }

    this.parse_host();
    // There is a host, so even an empty one is present.
    let mut current = this.hostname.take().unwrap_or_default();
    let ipv6 = is_ipv6_hostname(&current);
    if !ipv6 {
        rest = get_hostname(&mut current, rest);
    }

    let mut hostname = if utf16_len(&current) > HOSTNAME_MAX_LEN {
        String::new()
    } else if current.is_ascii() {
        // Hostnames are always lower case (in place: the same as `to_lowercase` for ASCII).
        current.make_ascii_lowercase();
        current
    } else {
        current.to_lowercase()
    };

    if !hostname.is_empty() {
        if ipv6 {
            if hostname.chars().any(forbidden_host_char_ipv6) {
                return Err(invalid_url());
            }
        } else {
            hostname = to_ascii_owned(hostname);
            // An empty result or a forbidden character can only come from toASCII:
            // Node throws rather than guess.
            if hostname.is_empty() || hostname.chars().any(forbidden_host_char) {
                return Err(invalid_url());
            }
        }
    }

    this.host = Some(match &this.port {
        Some(p) if !p.is_empty() => {
            let mut host = String::with_capacity(hostname.len() + 1 + p.len());
            host.push_str(&hostname);
            host.push(':');
            host.push_str(p);
            host
        }
        _ => hostname.clone(),
    });

    // Strip [ and ] from the hostname; the host keeps them.
    if ipv6 {
        hostname = if hostname.len() >= 2 {
            hostname[1..hostname.len() - 1].to_owned()
        } else {
            String::new()
        };
        if !rest.starts_with('/') {
            rest.insert(0, '/');
        }
    }
    this.hostname = Some(hostname);
    Ok(rest)
}

impl Url {
    /// `Url.prototype.parseHost`: splits `host` into `hostname` and `port` at a trailing
    /// `:digits` (an empty port is dropped).
    fn parse_host(&mut self) {
        let Some(host) = self.host.take() else {
            return;
        };
        let digits = host.bytes().rev().take_while(u8::is_ascii_digit).count();
        let mut hostname = host.as_str();
        let colon = host.len() - digits;
        if colon > 0 && host.as_bytes()[colon - 1] == b':' {
            if digits > 0 {
                self.port = Some(host[colon..].to_owned());
            }
            hostname = &host[..colon - 1];
        }
        if !hostname.is_empty() {
            self.hostname = Some(hostname.to_owned());
        }
        self.host = Some(host);
    }
}

/// `getHostname`: a hostname holding `/ \ # ? :` is cut there and the remainder goes back in
/// front of the path. (Node also prints DEP0170 for a `:`; this crate prints nothing.)
fn get_hostname(hostname: &mut String, rest: String) -> String {
    match hostname.find(['/', '\\', '#', '?', ':']) {
        Some(i) => {
            let mut path = String::with_capacity(1 + hostname.len() - i + rest.len());
            path.push('/');
            path.push_str(&hostname[i..]);
            path.push_str(&rest);
            hostname.truncate(i);
            path
        }
        None => rest,
    }
}

/// `autoEscapeStr`: percent-encodes `\t \n \r space " ' < > \ ^ ` { | }`.
pub(super) fn auto_escape(rest: &str) -> Cow<'_, str> {
    let escape = |b: u8| -> Option<&'static str> {
        Some(match b {
            b'\t' => "%09",
            b'\n' => "%0A",
            b'\r' => "%0D",
            b' ' => "%20",
            b'"' => "%22",
            b'\'' => "%27",
            b'<' => "%3C",
            b'>' => "%3E",
            b'\\' => "%5C",
            b'^' => "%5E",
            b'`' => "%60",
            b'{' => "%7B",
            b'|' => "%7C",
            b'}' => "%7D",
            _ => return None,
        })
    };
    if !rest.bytes().any(|b| escape(b).is_some()) {
        return Cow::Borrowed(rest);
    }
    let mut out = String::with_capacity(rest.len() + 8);
    let mut last = 0;
    for (i, b) in rest.bytes().enumerate() {
        if let Some(e) = escape(b) {
            out.push_str(&rest[last..i]);
            out.push_str(e);
            last = i + 1;
        }
    }
    out.push_str(&rest[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_and_backslashes_on_bytes_match_node() {
        // Expected hrefs from Node v20's `url.parse(s).href`.
        let cases = [
            (
                "\u{A0}\u{FEFF} http://a.com/x\u{A0}\u{FEFF} y\u{A0}",
                "http://a.com/x\u{A0}\u{FEFF}%20y",
            ),
            ("\u{A1}\u{A0} x\\y?\\z \u{FEFF}", "\u{A1}\u{A0}%20x/y?%5Cz"),
            ("\u{FEFF}é\\a#b\\c\u{A0}", "é/a#b%5Cc"),
        ];
        for (input, href) in cases {
            let url = parse(input, false, false).expect("parses");
            assert_eq!(url.href.as_deref(), Some(href), "{input:?}");
        }
    }
}
