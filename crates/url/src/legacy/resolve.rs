//! `Url.prototype.resolveObject` from Node v20's `lib/url.js`, branch for branch.

use super::parse::truthy;
use super::{Url, is_hostless, is_slashed};

/// `slashedProtocol.has(p)` for an optional protocol.
fn slashed(p: &Option<String>) -> bool {
    p.as_deref().is_some_and(is_slashed)
}

/// The value of JavaScript's `a || b` for optional strings.
fn or(a: &Option<String>, b: &Option<String>) -> Option<String> {
    if truthy(a) { a.clone() } else { b.clone() }
}

/// `str.split('/')` as owned parts.
fn split_path(p: &str) -> Vec<String> {
    p.split('/').map(str::to_owned).collect()
}

/// "Occasionally the auth can get stuck only in host", e.g.
/// `url.resolveObject('mailto:local1@domain1', 'local2@domain2')`: a host with an `@` after
/// its first character is split into auth and host.
fn pull_auth_from_host(result: &mut Url) {
    let Some(host) = result.host.clone() else {
        return;
    };
    if host.find('@').is_some_and(|i| i > 0) {
        let mut parts = host.split('@');
        result.auth = parts.next().map(str::to_owned);
        let h = parts.next().map(str::to_owned);
        result.hostname = h.clone();
        result.host = h;
    }
}

pub(super) fn resolve_object(this: &Url, relative: &Url) -> Url {
    let mut relative = relative.clone();
    let mut result = this.clone();

    // The hash is always overridden, no matter what; even href="" removes it.
    result.hash = relative.hash.clone();

    // An empty relative URL leaves nothing else to do.
    if relative.href.as_deref() == Some("") {
        result.href = Some(result.format());
        return result;
    }

    // Hrefs like //foo/bar always cut to the protocol: take everything else from relative.
    if relative.slashes && !truthy(&relative.protocol) {
        let protocol = result.protocol.take();
        result = relative;
        result.protocol = protocol;
        // urlParse appends a trailing / to urls like http://www.example.com.
        if slashed(&result.protocol) && truthy(&result.hostname) && !truthy(&result.pathname) {
            result.pathname = Some("/".into());
            result.path = Some("/".into());
        }
        result.href = Some(result.format());
        return result;
    }

    if truthy(&relative.protocol) && relative.protocol != result.protocol {
        // Changing to a protocol that is not a known slashed one: relative is absolute.
        if !slashed(&relative.protocol) {
            let mut result = relative;
            result.href = Some(result.format());
            return result;
        }
        // A slashed protocol must have a host: if relative has none (and is not file: or
        // hostless), the first non-empty path segment becomes it.
        let rel_protocol = relative.protocol.clone().unwrap_or_default();
        result.protocol = relative.protocol.clone();
        let is_file = rel_protocol == "file" || rel_protocol == "file:";
        if !truthy(&relative.host) && !is_file && !is_hostless(&rel_protocol) {
            let mut rel_path = split_path(relative.pathname.as_deref().unwrap_or(""));
            // Node shifts segments off until one is non-empty; the last one shifted is the
            // host.
            let taken = rel_path
                .iter()
                .position(|s| !s.is_empty())
                .map_or(rel_path.len(), |k| k + 1);
            if let Some(segment) = rel_path.drain(..taken).next_back() {
                relative.host = Some(segment);
            }
            if !truthy(&relative.host) {
                relative.host = Some(String::new());
            }
            if !truthy(&relative.hostname) {
                relative.hostname = Some(String::new());
            }
            if rel_path.first().map(String::as_str) != Some("") {
                rel_path.insert(0, String::new());
            }
            if rel_path.len() < 2 {
                rel_path.insert(0, String::new());
            }
            result.pathname = Some(rel_path.join("/"));
        } else {
            result.pathname = relative.pathname.clone();
        }
        result.search = relative.search.clone();
        result.query = relative.query.clone();
        result.host = Some(
            relative
                .host
                .clone()
                .filter(|h| !h.is_empty())
                .unwrap_or_default(),
        );
        result.auth = relative.auth.clone();
        result.hostname = or(&relative.hostname, &relative.host);
        result.port = relative.port.clone();
        // To support http.request.
        if truthy(&result.pathname) || truthy(&result.search) {
            let p = result.pathname.as_deref().unwrap_or("");
            let s = result.search.as_deref().unwrap_or("");
            result.path = Some(format!("{p}{s}"));
        }
        result.slashes = result.slashes || relative.slashes;
        result.href = Some(result.format());
        return result;
    }

    let starts_with_slash = |p: &Option<String>| p.as_deref().is_some_and(|p| p.starts_with('/'));
    let is_source_abs = starts_with_slash(&result.pathname);
    let is_rel_abs = truthy(&relative.host) || starts_with_slash(&relative.pathname);
    let mut must_end_abs =
        is_rel_abs || is_source_abs || (truthy(&result.host) && truthy(&relative.pathname));
    let remove_all_dots = must_end_abs;
    let mut src_path: Vec<String> = match &result.pathname {
        Some(p) if !p.is_empty() => split_path(p),
        _ => Vec::new(),
    };
    let mut rel_path: Vec<String> = match &relative.pathname {
        Some(p) if !p.is_empty() => split_path(p),
        _ => Vec::new(),
    };
    let no_leading_slashes = truthy(&result.protocol) && !slashed(&result.protocol);

    // In a non-slashed URL, relative links like ../.. crawl up to the host as well (strange,
    // but Node's): the host joins the path now and is put back at the end.
    if no_leading_slashes {
        result.hostname = Some(String::new());
        result.port = None;
        if let Some(host) = result.host.clone().filter(|h| !h.is_empty()) {
            if src_path.first().map(String::as_str) == Some("") {
                src_path[0] = host;
            } else {
                src_path.insert(0, host);
            }
        }
        result.host = Some(String::new());
        if truthy(&relative.protocol) {
            relative.hostname = None;
            relative.port = None;
            result.auth = None;
            if let Some(host) = relative.host.clone().filter(|h| !h.is_empty()) {
                if rel_path.first().map(String::as_str) == Some("") {
                    rel_path[0] = host;
                } else {
                    rel_path.insert(0, host);
                }
            }
            relative.host = None;
        }
        must_end_abs = must_end_abs
            && (rel_path.first().map(String::as_str) == Some("")
                || src_path.first().map(String::as_str) == Some(""));
    }

    if is_rel_abs {
        // It's absolute.
        if relative.host.is_some() {
            if result.host != relative.host {
                result.auth = None;
            }
            result.host = relative.host.clone();
            result.port = relative.port.clone();
        }
        if relative.hostname.is_some() {
            if result.hostname != relative.hostname {
                result.auth = None;
            }
            result.hostname = relative.hostname.clone();
        }
        result.search = relative.search.clone();
        result.query = relative.query.clone();
        src_path = rel_path;
    } else if !rel_path.is_empty() {
        // It's relative: drop the last segment and take the new path.
        src_path.pop();
        src_path.extend(rel_path);
        result.search = relative.search.clone();
        result.query = relative.query.clone();
    } else if relative.search.is_some() {
        // Just the search, like href='?foo'.
        if no_leading_slashes {
            let host = (!src_path.is_empty()).then(|| src_path.remove(0));
            result.hostname = host.clone();
            result.host = host;
            if truthy(&result.host) {
                pull_auth_from_host(&mut result);
            }
        }
        result.search = relative.search.clone();
        result.query = relative.query.clone();
        if result.pathname.is_some() || result.search.is_some() {
            let p = result.pathname.as_deref().unwrap_or("");
            let s = result.search.as_deref().unwrap_or("");
            result.path = Some(format!("{p}{s}"));
        }
        result.href = Some(result.format());
        return result;
    }

    if src_path.is_empty() {
        // No path at all; everything else was handled above.
        result.pathname = None;
        result.path = match &result.search {
            Some(s) if !s.is_empty() => Some(format!("/{s}")),
            _ => None,
        };
        result.href = Some(result.format());
        return result;
    }

    // A URL ending in . or .. gets a trailing slash; one ending in anything else does not.
    let last = src_path.last().cloned().unwrap_or_default();
    let has_trailing_slash =
        ((truthy(&result.host) || truthy(&relative.host) || src_path.len() > 1)
            && (last == "." || last == ".."))
            || last.is_empty();

    // Strip single dots, resolve double dots; `up` counts the ones that climb above the root.
    // Node splices the array from the end; the kept segments are collected last-first
    // instead, so the pass is linear in the number of segments.
    let mut up = 0usize;
    let mut kept = Vec::with_capacity(src_path.len());
    for segment in src_path.into_iter().rev() {
        match segment.as_str() {
            "." => {}
            ".." => up += 1,
            _ if up > 0 => up -= 1,
            _ => kept.push(segment),
        }
    }
    // If the path may climb above the root, put the leading ..s back.
    if !must_end_abs && !remove_all_dots {
        kept.extend(std::iter::repeat_n(String::from(".."), up));
    }
    kept.reverse();
    let mut src_path = kept;

    if must_end_abs
        && src_path.first().map(String::as_str) != Some("")
        && src_path.first().is_none_or(|s| !s.starts_with('/'))
    {
        src_path.insert(0, String::new());
    }

    if has_trailing_slash && !src_path.join("/").ends_with('/') {
        src_path.push(String::new());
    }

    let is_absolute = src_path
        .first()
        .is_some_and(|s| s.is_empty() || s.starts_with('/'));

    // Put the host back.
    if no_leading_slashes {
        let host = if is_absolute || src_path.is_empty() {
            String::new()
        } else {
            src_path.remove(0)
        };
        result.hostname = Some(host.clone());
        result.host = Some(host);
        pull_auth_from_host(&mut result);
    }

    must_end_abs = must_end_abs || (truthy(&result.host) && !src_path.is_empty());

    if must_end_abs && !is_absolute {
        src_path.insert(0, String::new());
    }

    if src_path.is_empty() {
        result.pathname = None;
        result.path = None;
    } else {
        result.pathname = Some(src_path.join("/"));
    }

    // To support request.http.
    if result.pathname.is_some() || result.search.is_some() {
        let p = result.pathname.as_deref().unwrap_or("");
        let s = result.search.as_deref().unwrap_or("");
        result.path = Some(format!("{p}{s}"));
    }
    result.auth = or(&relative.auth, &result.auth);
    result.slashes = result.slashes || relative.slashes;
    result.href = Some(result.format());
    result
}
