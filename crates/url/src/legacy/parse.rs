//! `Url.prototype.parse` from Node v20's `lib/url.js`, step by step.
//!
//! Indices are byte offsets into UTF-8 strings; every place the algorithm cuts a string is at
//! an ASCII character (or a character boundary found by `char_indices`), so they stand for
//! Node's UTF-16 indices one to one. Where Node measures a length (the 255-unit hostname
//! limit) it is measured in UTF-16 units.

use std::borrow::Cow;

use super::format::{find2, format_parsed};
use super::idna::to_ascii_lowercased;
use super::js::{decode_uri_component, is_js_space, utf16_len};
use super::{Query, Url, is_hostless, is_slashed, is_unsafe};
use crate::{Error, ErrorKind};

/// `hostnameMaxLen`: longer hostnames become empty.
const HOSTNAME_MAX_LEN: usize = 255;

/// A table of the bytes in `set`.
pub(super) const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
}

/// `forbiddenHostChars`, `/[\0\t\n\r #%/:<>?@[\\\]^|]/`: a non-IPv6 hostname holding one of
/// these after `toASCII` throws. (All ASCII, so testing bytes is testing characters.)
const FORBIDDEN_HOST: [bool; 256] = byte_set(b"\0\t\n\r #%/:<>?@[\\]^|");

/// `forbiddenHostCharsIpv6`, `/[\0\t\n\r #%/<>?@\\^|]/`: as above, but `[`, `]` and `:` are
/// allowed.
const FORBIDDEN_HOST_IPV6: [bool; 256] = byte_set(b"\0\t\n\r #%/<>?@\\^|");

/// The bytes that make a lower-cased hostname worth more than a look: non-ASCII ones (for
/// toASCII), `-` (toASCII checks `xn--` labels), and the forbidden ones. A hostname with
/// none of them is its own toASCII and is allowed.
const HOST_TO_CHECK: [bool; 256] = {
    let mut t = FORBIDDEN_HOST;
    t[b'-' as usize] = true;
    let mut b = 0x80;
    while b < 256 {
        t[b] = true;
        b += 1;
    }
    t
};

/// `isIpv6Hostname`: starts with `[` and ends with `]`.
fn is_ipv6_hostname(hostname: &str) -> bool {
    hostname.starts_with('[') && hostname.ends_with(']')
}

fn invalid_url() -> Error {
    Error::new(ErrorKind::InvalidUrl, "Invalid URL")
}

/// Node's `url.parse(url, parseQueryString, slashesDenoteHost)`.
///
/// The steps work on slices of the input, and each field is copied out once, at its final
/// size: an intermediate string is made only where Node's algorithm changes the text
/// (backslashes, dropped tabs and newlines, a hostname cut at a `:`, auto-escaping).
pub(super) fn parse(url: &str, parse_query: bool, slashes_denote_host: bool) -> Result<Url, Error> {
    let mut this = Url::default();
    let (trimmed, has_hash, has_at) = trim_and_fix_backslashes(url);
    let mut rest: &str = &trimmed;

    if !slashes_denote_host && !has_hash && !has_at {
        if let Some((pathname, search)) = simple_path(rest) {
            this.pathname = Some(pathname.to_owned());
            if let Some(search) = search {
                this.search = Some(search.to_owned());
                this.query = Some(make_query(&search[1..], parse_query));
            } else if parse_query {
                this.search = None;
                this.query = Some(Query::Object(Default::default()));
            }
            this.path = Some(rest.to_owned());
            this.href = Some(rest.to_owned());
            return Ok(this);
        }
    }

    let proto_len = protocol_prefix(rest).map(str::len);
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
        rest = &rest[n..];
    }

    // `user@server` is always a host; `//foo/bar` is one when slashes denote hosts.
    let mut slashes = false;
    if slashes_denote_host || has_proto || host_pattern(rest) {
        slashes = rest.starts_with("//");
        if slashes && !(has_proto && hostless) {
            rest = &rest[2..];
            this.slashes = true;
        }
    }

    // Node tests the protocol *as written* against slashedProtocol here ("HTTP:x" has a host).
    let after_host = if !hostless && (slashes || written_not_slashed) {
        parse_authority(&mut this, rest)?
    } else {
        Cow::Borrowed(rest)
    };

    let escaped = if unsafe_proto {
        Cow::Borrowed(&*after_host)
    } else {
        auto_escape(&after_host)
    };
    let rest: &str = &escaped;

    // The first `?` or `#`; the hash starts at the first `#`, and there is a search when a
    // `?` comes before it.
    let bytes = rest.as_bytes();
    let first = find2(bytes, b'#', b'?');
    let (question, hash) = match first {
        Some(i) if bytes[i] == b'#' => (None, Some(i)),
        Some(q) => (
            Some(q),
            find2(&bytes[q + 1..], b'#', b'#').map(|h| q + 1 + h),
        ),
        None => (None, None),
    };

    if let Some(h) = hash {
        this.hash = Some(rest[h..].to_owned());
    }
    if let Some(q) = question {
        let end = hash.unwrap_or(rest.len());
        this.search = Some(rest[q..end].to_owned());
        this.query = Some(make_query(&rest[q + 1..end], parse_query));
    } else if parse_query {
        this.search = None;
        this.query = Some(Query::Object(Default::default()));
    }

    match first {
        None if !rest.is_empty() => this.pathname = Some(rest.to_owned()),
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

    this.href = Some(match this.query {
        Some(Query::Object(_)) => this.format(),
        _ => format_parsed(&this),
    });
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

/// The length of the `isWs` character (a C0 control, space, NBSP or BOM) that `bytes` starts
/// with, or 0.
fn leading_ws(bytes: &[u8]) -> usize {
    match bytes {
        [c, ..] if *c < 33 => 1,
        [0xC2, 0xA0, ..] => 2,
        [0xEF, 0xBB, 0xBF, ..] => 3,
        _ => 0,
    }
}

/// The length of the `isWs` character that `bytes` ends with, or 0. (`0xC2` and `0xEF` are
/// lead bytes, so a match is a whole character.)
fn trailing_ws(bytes: &[u8]) -> usize {
    match bytes {
        [.., c] if *c < 33 => 1,
        [.., 0xC2, 0xA0] => 2,
        [.., 0xEF, 0xBB, 0xBF] => 3,
        _ => 0,
    }
}

/// The bytes the first loop of `parse` acts on: `@ # ? \`.
const TRIM_SPECIAL: [bool; 256] = byte_set(b"@#?\\");

/// The first loop of `parse`: trims leading and trailing white space (C0 controls, space,
/// NBSP, BOM) and turns `\` into `/` until the first `?` or `#`. Also reports whether a `#`
/// (anywhere) or an `@` (before the first `?`/`#`) was seen.
///
/// Node's loop tracks the last run of white space as it goes; the trimmed string is the same
/// as cutting the white space off both ends, which is what this does before scanning the
/// middle (white space there is ordinary). Borrows unless a backslash was turned around.
fn trim_and_fix_backslashes(url: &str) -> (Cow<'_, str>, bool, bool) {
    let bytes = url.as_bytes();
    let mut start = 0;
    loop {
        let n = leading_ws(&bytes[start..]);
        if n == 0 {
            break;
        }
        start += n;
    }
    let mut end = bytes.len();
    while end > start {
        let n = trailing_ws(&bytes[start..end]);
        if n == 0 {
            break;
        }
        end -= n;
    }
    let body = &url[start..end];
    let b = body.as_bytes();

    let mut has_at = false;
    let mut has_hash = false;
    let mut fixed: Option<String> = None;
    let mut last = 0;
    let mut i = 0;
    // The bytes acted on are ASCII; continuation bytes never equal them.
    while i < b.len() {
        if !TRIM_SPECIAL[usize::from(b[i])] {
            i += 1;
            continue;
        }
        match b[i] {
            b'@' => has_at = true,
            b'#' => {
                has_hash = true;
                break;
            }
            b'?' => {
                has_hash = b[i + 1..].contains(&b'#');
                break;
            }
            b'\\' => {
                let out = fixed.get_or_insert_with(|| String::with_capacity(body.len()));
                out.push_str(&body[last..i]);
                out.push('/');
                last = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let rest = match fixed {
        Some(mut out) => {
            out.push_str(&body[last..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(body),
    };
    (rest, has_hash, has_at)
}

/// The first character of `s` in JavaScript's regexp class `\s`, or (with `question`) the
/// first `?`, whichever comes first.
fn find_space(s: &str, question: bool) -> Option<usize> {
    s.bytes().enumerate().position(|(i, b)| match b {
        b'?' => question,
        b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => true,
        // The lead bytes of the non-ASCII `\s` characters.
        0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF => s[i..].chars().next().is_some_and(is_js_space),
        _ => false,
    })
}

/// `simplePathPattern`, `/^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/`: the pathname and the search.
fn simple_path(rest: &str) -> Option<(&str, Option<&str>)> {
    let lead = match rest.as_bytes() {
        [b'/', b'/', ..] => 2,
        [b'/', ..] => 1,
        _ => return None,
    };
    if rest.as_bytes().get(lead) == Some(&b'/') {
        return None;
    }
    let path_end = find_space(&rest[lead..], true).map_or(rest.len(), |i| lead + i);
    let (pathname, tail) = rest.split_at(path_end);
    if tail.is_empty() {
        return Some((pathname, None));
    }
    if tail.starts_with('?') && find_space(tail, false).is_none() {
        return Some((pathname, Some(tail)));
    }
    None
}

/// `protocolPattern`, `/^[a-z0-9.+-]+:/i`: the scheme with its colon.
fn protocol_prefix(rest: &str) -> Option<&str> {
    let n = rest.bytes().position(|b| !PROTOCOL_CHAR[usize::from(b)])?;
    (n > 0 && rest.as_bytes()[n] == b':').then(|| &rest[..=n])
}

/// The characters of `protocolPattern`'s `[a-z0-9.+-]` (case-insensitive).
const PROTOCOL_CHAR: [bool; 256] =
    byte_set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-");

/// `hostPattern`, `/^\/\/[^@/]+@[^@/]+/`.
fn host_pattern(rest: &str) -> bool {
    let Some(after) = rest.as_bytes().strip_prefix(b"//") else {
        return false;
    };
    let Some(at) = after.iter().position(|&b| b == b'@' || b == b'/') else {
        return false;
    };
    at > 0 && after[at] == b'@' && after.get(at + 1).is_some_and(|b| !matches!(b, b'@' | b'/'))
}

/// What a byte means to the scan for the end of the host in [`parse_authority`].
const PLAIN: u8 = 0;
/// Tab and newlines: dropped.
const DROPPED: u8 = 1;
/// Cannot be in a host (but may stand left of the last `@`).
const NON_HOST: u8 = 2;
/// `#`, `/`, `?`: the host ends.
const HOST_END: u8 = 3;
/// `@`: what came before is the auth.
const AT: u8 = 4;

/// [`PLAIN`], [`DROPPED`], [`NON_HOST`], [`HOST_END`] or [`AT`] for each byte.
const AUTHORITY_CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    t[b'\t' as usize] = DROPPED;
    t[b'\n' as usize] = DROPPED;
    t[b'\r' as usize] = DROPPED;
    let non_host = b" \"%';<>\\^`{|}";
    let mut i = 0;
    while i < non_host.len() {
        t[non_host[i] as usize] = NON_HOST;
        i += 1;
    }
    t[b'#' as usize] = HOST_END;
    t[b'/' as usize] = HOST_END;
    t[b'?' as usize] = HOST_END;
    t[b'@' as usize] = AT;
    t
};

/// The host part of `parse`: auth, host, port and hostname. Returns what follows the host.
fn parse_authority<'r>(this: &mut Url, rest: &'r str) -> Result<Cow<'r, str>, Error> {
    // Find where the host ends, dropping tabs and newlines on the way (as WHATWG does).
    // Non-host characters may stand left of the last `@`, unless a host-ending one comes
    // first: http://a@b@c/ => auth "a@b", host "c"; http://a@b?@c => auth "a", host "b".
    // Every character looked at is ASCII, so a byte loop sees them where the character loop
    // would; positions are counted in the string without the dropped tabs and newlines.
    let mut at_sign = None;
    let mut non_host = None;
    let mut consumed = rest.len();
    let mut dropped = 0;
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        let kept = i - dropped;
        match AUTHORITY_CLASS[usize::from(b)] {
            PLAIN => {}
            DROPPED => dropped += 1,
            NON_HOST => {
                non_host.get_or_insert(kept);
            }
            HOST_END => {
                non_host.get_or_insert(kept);
                consumed = i + 1;
                break;
            }
            _ => {
                at_sign = Some(kept);
                non_host = None;
            }
        }
    }
    let kept;
    let text: &str = if dropped == 0 {
        rest
    } else {
        let mut s = String::with_capacity(rest.len());
        s.extend(
            rest[..consumed]
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r')),
        );
        s.push_str(&rest[consumed..]);
        kept = s;
        &kept
    };

    let mut start = 0;
    if let Some(at) = at_sign {
        this.auth = Some(decode_uri_component(&text[..at])?);
        start = at + 1;
    }
    let host_end = non_host.unwrap_or(text.len());

    // `parseHost`: a trailing `:digits` is the port (an empty one is dropped).
    let mut hostname = &text[start..host_end];
    let digits = hostname
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let colon = hostname.len() - digits;
    if colon > 0 && hostname.as_bytes()[colon - 1] == b':' {
        if digits > 0 {
            this.port = Some(hostname[colon..].to_owned());
        }
        hostname = &hostname[..colon - 1];
    }

    let ipv6 = is_ipv6_hostname(hostname);
    // `getHostname`: a hostname holding `/ \ # ? :` is cut there and the remainder goes back
    // in front of the path. (Node also prints DEP0170 for a `:`; this crate prints nothing.)
    let mut moved = "";
    if !ipv6 {
        // The scan above ended the host before any `/ \ # ?`: only a `:` can be there.
        debug_assert!(!hostname.contains(['/', '\\', '#', '?']));
        if let Some(i) = find2(hostname.as_bytes(), b':', b':') {
            moved = &hostname[i..];
            hostname = &hostname[..i];
        }
    }

    // Hostnames are always lower case. (A UTF-16 length is at most the UTF-8 one.)
    let mut hostname =
        if hostname.len() > HOSTNAME_MAX_LEN && utf16_len(hostname) > HOSTNAME_MAX_LEN {
            String::new()
        } else if hostname.is_ascii() {
            hostname.to_ascii_lowercase()
        } else {
            hostname.to_lowercase()
        };

    if !hostname.is_empty() {
        if ipv6 {
            if hostname
                .bytes()
                .any(|b| FORBIDDEN_HOST_IPV6[usize::from(b)])
            {
                return Err(invalid_url());
            }
        } else if hostname.bytes().any(|b| HOST_TO_CHECK[usize::from(b)]) {
            hostname = to_ascii_lowercased(hostname);
            // An empty result or a forbidden character can only come from toASCII:
            // Node throws rather than guess.
            if hostname.is_empty() || hostname.bytes().any(|b| FORBIDDEN_HOST[usize::from(b)]) {
                return Err(invalid_url());
            }
        }
    }

    this.host = Some(match this.port.as_deref() {
        Some(p) if !p.is_empty() => {
            let mut host = String::with_capacity(hostname.len() + 1 + p.len());
            host.push_str(&hostname);
            host.push(':');
            host.push_str(p);
            host
        }
        _ => hostname.clone(),
    });

    let tail = &text[host_end..];
    let mut after: Cow<'r, str> = if !moved.is_empty() {
        let mut path = String::with_capacity(1 + moved.len() + tail.len());
        path.push('/');
        path.push_str(moved);
        path.push_str(tail);
        Cow::Owned(path)
    } else if dropped == 0 {
        Cow::Borrowed(&rest[host_end..])
    } else {
        Cow::Owned(tail.to_owned())
    };

    // Strip [ and ] from the hostname; the host keeps them.
    if ipv6 {
        if hostname.len() >= 2 {
            hostname.pop();
            hostname.remove(0);
        } else {
            hostname.clear();
        }
        if !after.starts_with('/') {
            let mut path = String::with_capacity(1 + after.len());
            path.push('/');
            path.push_str(&after);
            after = Cow::Owned(path);
        }
    }
    this.hostname = Some(hostname);
    Ok(after)
}

/// The bytes `autoEscapeStr` percent-encodes: `\t \n \r space " ' < > \ ^ ` { | }`.
const AUTO_ESCAPED: [bool; 256] = byte_set(b"\t\n\r \"'<>\\^`{|}");

/// `autoEscapeStr`: percent-encodes `\t \n \r space " ' < > \ ^ ` { | }`.
pub(super) fn auto_escape(rest: &str) -> Cow<'_, str> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let Some(first) = rest.bytes().position(|b| AUTO_ESCAPED[usize::from(b)]) else {
        return Cow::Borrowed(rest);
    };
    let mut out = String::with_capacity(rest.len() + 8);
    let mut last = 0;
    for (i, b) in rest.bytes().enumerate().skip(first) {
        if AUTO_ESCAPED[usize::from(b)] {
            out.push_str(&rest[last..i]);
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
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
