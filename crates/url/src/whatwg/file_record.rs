//! `file:` URLs, parsed by the WHATWG URL Standard's file states as Node (Ada) runs them.
//!
//! The `url` crate predates two changes of the standard that Node follows: a `file:` URL keeps
//! its host when its path starts with a Windows drive letter (`file://host/C:/`), and the
//! empty segments at the start of a `file:` path are kept (`file:////x` has the path `//x`).
//! It also leaves `|` in a leading drive letter (`file:///C|/`) where the standard writes `:`.
//! So `file:` URLs get their own small record here: the host, the path segments, the query
//! and the fragment, with the parser states of the standard that can reach them.

use percent_encoding::{AsciiSet, CONTROLS};

/// <https://url.spec.whatwg.org/#fragment-percent-encode-set>
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
/// <https://url.spec.whatwg.org/#query-percent-encode-set>
const QUERY: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>');
/// <https://url.spec.whatwg.org/#special-query-percent-encode-set>
const SPECIAL_QUERY: &AsciiSet = &QUERY.add(b'\'');
/// <https://url.spec.whatwg.org/#path-percent-encode-set>
const PATH: &AsciiSet = &QUERY.add(b'?').add(b'`').add(b'{').add(b'}');

/// A parsed `file:` URL. The scheme is always `file` and the host is never null (it may be
/// empty).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FileUrl {
    /// The serialized host: a domain, an IPv4 address or a bracketed IPv6 address, or empty.
    pub(crate) host: String,
    /// The path segments, already percent-encoded.
    pub(crate) path: Vec<String>,
    /// The query, percent-encoded, without `?`.
    pub(crate) query: Option<String>,
    /// The fragment, percent-encoded, without `#`.
    pub(crate) fragment: Option<String>,
    /// The serialization, kept in step by [`FileUrl::refresh`], and where its parts start.
    href: String,
    path_start: usize,
    query_start: usize,
    fragment_start: usize,
}

/// The parser states reachable from a `file:` scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    File,
    FileSlash,
    FileHost,
    PathStart,
    Path,
    Query,
    Fragment,
}

/// Which setter runs the parser (the standard's "state override").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Override {
    None,
    Host,
    Path,
}

impl FileUrl {
    /// Runs the basic URL parser on `input`, whose scheme is `file` (`has_scheme`) or which has
    /// no scheme and a `file:` base.
    pub(crate) fn parse(input: &str, has_scheme: bool, base: Option<&FileUrl>) -> Option<FileUrl> {
        let chars = preprocess(input, true);
        let start = if has_scheme {
            chars.iter().position(|&c| c == ':')? + 1
        } else {
            0
        };
        let mut url = FileUrl {
            host: String::new(),
            path: Vec::new(),
            query: None,
            fragment: None,
            href: String::new(),
            path_start: 0,
            query_start: 0,
            fragment_start: 0,
        };
        url.run(&chars, start, State::File, base, Override::None)
            .ok()?;
        url.refresh();
        Some(url)
    }

    /// A `file:` URL from the parts of another special URL (for the `protocol` setter).
    pub(crate) fn from_parts(
        host: &str,
        path: &str,
        query: Option<&str>,
        fragment: Option<&str>,
    ) -> FileUrl {
        let mut url = FileUrl {
            host: host.to_owned(),
            path: path
                .strip_prefix('/')
                .unwrap_or(path)
                .split('/')
                .map(str::to_owned)
                .collect(),
            query: query.map(str::to_owned),
            fragment: fragment.map(str::to_owned),
            href: String::new(),
            path_start: 0,
            query_start: 0,
            fragment_start: 0,
        };
        url.refresh();
        url
    }

    /// Rebuilds the serialization after a change.
    fn refresh(&mut self) {
        let mut out = format!("file://{}", self.host);
        self.path_start = out.len();
        for seg in &self.path {
            out.push('/');
            out.push_str(seg);
        }
        self.query_start = out.len();
        if let Some(q) = &self.query {
            out.push('?');
            out.push_str(q);
        }
        self.fragment_start = out.len();
        if let Some(f) = &self.fragment {
            out.push('#');
            out.push_str(f);
        }
        self.href = out;
    }

    /// `href`.
    pub(crate) fn href(&self) -> &str {
        &self.href
    }

    /// `hostname` (and `host`: a `file:` URL has no port).
    pub(crate) fn hostname(&self) -> &str {
        &self.host
    }

    /// `pathname`.
    pub(crate) fn pathname(&self) -> &str {
        &self.href[self.path_start..self.query_start]
    }

    /// `search`: empty when the query is absent or empty.
    pub(crate) fn search(&self) -> &str {
        let s = &self.href[self.query_start..self.fragment_start];
        if s.len() > 1 { s } else { "" }
    }

    /// `hash`: empty when the fragment is absent or empty.
    pub(crate) fn hash(&self) -> &str {
        let s = &self.href[self.fragment_start..];
        if s.len() > 1 { s } else { "" }
    }

    /// `?` and the query when present, even if empty (for `url.format`).
    pub(crate) fn raw_search(&self) -> &str {
        &self.href[self.query_start..self.fragment_start]
    }

    /// `#` and the fragment when present, even if empty (for `url.format`).
    pub(crate) fn raw_hash(&self) -> &str {
        &self.href[self.fragment_start..]
    }

    /// The `host` and `hostname` setters (a `file:` URL has no port).
    pub(crate) fn set_host(&mut self, value: &str) {
        let chars = preprocess(value, false);
        let mut next = self.clone();
        if next
            .run(&chars, 0, State::FileHost, None, Override::Host)
            .is_ok()
        {
            next.refresh();
            *self = next;
        }
    }

    /// The `pathname` setter.
    pub(crate) fn set_pathname(&mut self, value: &str) {
        let chars = preprocess(value, false);
        self.path.clear();
        // The path states cannot fail.
        let _ = self.run(&chars, 0, State::PathStart, None, Override::Path);
        self.refresh();
    }

    /// The `search` setter (after Node's own handling of `""`).
    pub(crate) fn set_search(&mut self, value: &str) {
        self.query = if value.is_empty() {
            None
        } else {
            let value = value.strip_prefix('?').unwrap_or(value);
            Some(encode_chars(&preprocess(value, false), SPECIAL_QUERY))
        };
        self.refresh();
    }

    /// The `hash` setter.
    pub(crate) fn set_hash(&mut self, value: &str) {
        self.fragment = if value.is_empty() {
            None
        } else {
            let value = value.strip_prefix('#').unwrap_or(value);
            Some(encode_chars(&preprocess(value, false), FRAGMENT))
        };
        self.refresh();
    }

    /// The state machine of <https://url.spec.whatwg.org/#concept-basic-url-parser>, from
    /// `state`, for the states a `file:` URL goes through.
    fn run(
        &mut self,
        input: &[char],
        start: usize,
        mut state: State,
        base: Option<&FileUrl>,
        over: Override,
    ) -> Result<(), ()> {
        let len = input.len();
        let mut p = start;
        // `p` may step back one before the start ("decrease pointer by 1"), so it is kept
        // one ahead: `q = p + 1`.
        let mut q = p + 1;
        let mut buffer = String::new();
        loop {
            p = q - 1;
            let c = input.get(p).copied();
            let is_slash = matches!(c, Some('/' | '\\'));
            match state {
                State::File => {
                    self.host.clear();
                    if is_slash {
                        state = State::FileSlash;
                    } else if let Some(base) = base {
                        self.host.clone_from(&base.host);
                        self.path.clone_from(&base.path);
                        self.query.clone_from(&base.query);
                        match c {
                            Some('?') => {
                                self.query = Some(String::new());
                                state = State::Query;
                            }
                            Some('#') => {
                                self.fragment = Some(String::new());
                                state = State::Fragment;
                            }
                            Some(_) => {
                                self.query = None;
                                if starts_with_drive_letter(&input[p..]) {
                                    self.path.clear();
                                } else {
                                    self.shorten_path();
                                }
                                state = State::Path;
                                q -= 1;
                            }
                            None => {}
                        }
                    } else {
                        state = State::Path;
                        q -= 1;
                    }
                }
                State::FileSlash => {
                    if is_slash {
                        state = State::FileHost;
                    } else {
                        if let Some(base) = base {
                            self.host.clone_from(&base.host);
                            if !starts_with_drive_letter(&input[p.min(len)..]) {
                                if let Some(first) = base.path.first() {
                                    // Ada looks at the first two characters only.
                                    if first.get(..2).is_some_and(is_normalized_drive_letter) {
                                        self.path.push(first.clone());
                                    }
                                }
                            }
                        }
                        state = State::Path;
                        q -= 1;
                    }
                }
                State::FileHost => match c {
                    None | Some('/' | '\\' | '?' | '#') => {
                        q -= 1;
                        if over == Override::None && is_drive_letter(&buffer) {
                            // The drive letter quirk: `buffer` starts the path.
                            state = State::Path;
                        } else if buffer.is_empty() {
                            self.host.clear();
                            if over != Override::None {
                                return Ok(());
                            }
                            state = State::PathStart;
                        } else {
                            let host = url::Host::parse(&buffer).map_err(|_| ())?;
                            let host = host.to_string();
                            self.host = if host == "localhost" {
                                String::new()
                            } else {
                                host
                            };
                            if over != Override::None {
                                return Ok(());
                            }
                            buffer.clear();
                            state = State::PathStart;
                        }
                    }
                    Some(c) => buffer.push(c),
                },
                State::PathStart => {
                    state = State::Path;
                    if !is_slash {
                        q -= 1;
                    }
                }
                State::Path => {
                    let ends = c.is_none()
                        || is_slash
                        || (over == Override::None && matches!(c, Some('?' | '#')));
                    if ends {
                        if is_double_dot(&buffer) {
                            self.shorten_path();
                            if !is_slash {
                                self.path.push(String::new());
                            }
                        } else if is_single_dot(&buffer) {
                            if !is_slash {
                                self.path.push(String::new());
                            }
                        } else {
                            if self.path.is_empty() && is_drive_letter(&buffer) {
                                buffer.replace_range(1..2, ":");
                            }
                            self.path.push(std::mem::take(&mut buffer));
                        }
                        buffer.clear();
                        match c {
                            Some('?') => {
                                self.query = Some(String::new());
                                state = State::Query;
                            }
                            Some('#') => {
                                self.fragment = Some(String::new());
                                state = State::Fragment;
                            }
                            _ => {}
                        }
                    } else if let Some(c) = c {
                        encode_char(&mut buffer, c, PATH);
                    }
                }
                State::Query => match c {
                    Some('#') => {
                        self.fragment = Some(String::new());
                        state = State::Fragment;
                    }
                    Some(c) => encode_char(self.query.get_or_insert_default(), c, SPECIAL_QUERY),
                    None => {}
                },
                State::Fragment => {
                    if let Some(c) = c {
                        encode_char(self.fragment.get_or_insert_default(), c, FRAGMENT);
                    }
                }
            }
            if q > len {
                return Ok(());
            }
            q += 1;
        }
    }

    /// <https://url.spec.whatwg.org/#shorten-a-urls-path> for a `file:` URL, as Ada does it:
    /// a lone segment that merely *starts* with a normalized drive letter (`a:b`) is kept too.
    fn shorten_path(&mut self) {
        if self.path.len() == 1
            && self.path[0]
                .get(..2)
                .is_some_and(is_normalized_drive_letter)
        {
            return;
        }
        self.path.pop();
    }
}

/// The input as the parser sees it: without leading and trailing C0 controls and spaces (for
/// a whole URL, not a setter value), and without any tab or newline.
pub(crate) fn preprocess(input: &str, trim: bool) -> Vec<char> {
    let input = if trim {
        input.trim_matches(|c: char| c <= ' ')
    } else {
        input
    };
    input
        .chars()
        .filter(|&c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

fn encode_char(out: &mut String, c: char, set: &'static AsciiSet) {
    let mut buf = [0; 4];
    out.extend(percent_encoding::utf8_percent_encode(
        c.encode_utf8(&mut buf),
        set,
    ));
}

fn encode_chars(chars: &[char], set: &'static AsciiSet) -> String {
    let mut out = String::with_capacity(chars.len());
    for &c in chars {
        encode_char(&mut out, c, set);
    }
    out
}

/// <https://url.spec.whatwg.org/#windows-drive-letter>: an ASCII letter and `:` or `|`.
fn is_drive_letter(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 2 && b[0].is_ascii_alphabetic() && matches!(b[1], b':' | b'|')
}

/// An ASCII letter and `:`.
fn is_normalized_drive_letter(s: &str) -> bool {
    is_drive_letter(s) && s.ends_with(':')
}

/// <https://url.spec.whatwg.org/#start-with-a-windows-drive-letter>
fn starts_with_drive_letter(chars: &[char]) -> bool {
    chars.len() >= 2
        && chars[0].is_ascii_alphabetic()
        && matches!(chars[1], ':' | '|')
        && (chars.len() == 2 || matches!(chars[2], '/' | '\\' | '?' | '#'))
}

fn is_single_dot(s: &str) -> bool {
    s == "." || s.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        ".." | ".%2e" | "%2e." | "%2e%2e"
    )
}
