//! Helpers shared by the `posix` and `win32` namespaces: Node's `normalizeString`, the
//! character classes of `lib/path.js`, and the few JavaScript string semantics (UTF-16
//! lengths, `toLowerCase`, `slice`) that the algorithms depend on.
//!
//! The algorithms scan bytes. Every character they look at (`/`, `\`, `.`, `:`, drive letters)
//! is ASCII, so every index they slice at is a UTF-8 character boundary; only where Node
//! compares string *lengths* do we count UTF-16 code units as JavaScript does.

pub(crate) const DOT: u8 = b'.';
pub(crate) const SLASH: u8 = b'/';
pub(crate) const BACKSLASH: u8 = b'\\';
pub(crate) const COLON: u8 = b':';

/// `isPosixPathSeparator`.
#[inline]
pub(crate) fn is_posix_sep(b: u8) -> bool {
    b == SLASH
}

/// `isPathSeparator` (win32: both slashes).
#[inline]
pub(crate) fn is_sep(b: u8) -> bool {
    b == SLASH || b == BACKSLASH
}

/// `isWindowsDeviceRoot`: an ASCII letter.
pub(crate) fn is_device_root(b: u8) -> bool {
    b.is_ascii_alphabetic()
}

/// `StringPrototypeCharCodeAt(s, i)` for the ASCII questions we ask: `None` past the end
/// (JavaScript's `NaN`, which equals nothing).
#[inline]
pub(crate) fn at(s: &[u8], i: usize) -> Option<u8> {
    s.get(i).copied()
}

/// The length of `s` in UTF-16 code units (JavaScript's `length`).
pub(crate) fn js_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// `String.prototype.toLowerCase` (full Unicode mapping, final sigma included, as V8 does).
pub(crate) fn js_lower(s: &str) -> String {
    s.to_lowercase()
}

/// `String.prototype.slice(start, end)` on byte indices, clamped like JavaScript's: an empty
/// string when `start >= end`. Indices are always character boundaries here (see the module
/// docs); a stray one yields the empty string rather than a panic.
#[inline]
pub(crate) fn slice(s: &str, start: usize, end: usize) -> &str {
    let end = end.min(s.len());
    if start >= end {
        return "";
    }
    s.get(start..end).unwrap_or("")
}

/// `slice(start, end)` on UTF-16 code units, clamped like JavaScript's. A cut through a
/// surrogate pair (possible only in degenerate inputs) becomes U+FFFD, as Rust strings cannot
/// hold the lone half JavaScript would keep.
pub(crate) fn slice16(units: &[u16], start: usize, end: usize) -> String {
    let end = end.min(units.len());
    if start >= end {
        return String::new();
    }
    String::from_utf16_lossy(&units[start..end])
}

/// Node's `normalizeString(path, allowAboveRoot, separator, isPathSeparator)`: resolves `.`
/// and `..` segments and squeezes separators, without looking at any root.
pub(crate) fn normalize_string(
    path: &str,
    allow_above_root: bool,
    separator: char,
    is_separator: fn(u8) -> bool,
) -> String {
    let mut out = String::with_capacity(path.len());
    // Every separator Node passes is ASCII.
    let sep = u8::try_from(separator).unwrap_or(SLASH);
    normalize_into(&mut out, path, allow_above_root, sep, is_separator);
    out
}

/// [`normalize_string`] appending its result to `out` (whose existing content, e.g. a root,
/// is left alone and never looked at): the result is `out[old_len..]`.
#[inline]
pub(crate) fn normalize_into<F: Fn(u8) -> bool>(
    out: &mut String,
    path: &str,
    allow_above_root: bool,
    separator: u8,
    is_separator: F,
) {
    Normalizer::new(out, allow_above_root).feed(out, path, separator, is_separator);
}

/// Node's `normalizeString` run over a string given in pieces, as if they were joined with
/// separators (`join` and `resolve` build `a + '/' + b + …` and normalize it; feeding `a`,
/// `b` … here gives the same result without building the joined string).
///
/// That equivalence holds because the loop treats the end of its input as a separator and,
/// after any separator, restarts in the same state (`dots = 0`, the segment starting just
/// after it); only `lastSegmentLength` and the output so far carry over, and they live here.
pub(crate) struct Normalizer {
    /// Where the normalized part of `out` starts (anything before it is a prefix such as a
    /// root, never looked at).
    base: usize,
    last_segment_length: usize,
    allow_above_root: bool,
}

impl Normalizer {
    /// A normalizer appending to `out` after its current content.
    #[inline]
    pub(crate) fn new(out: &str, allow_above_root: bool) -> Self {
        Normalizer {
            base: out.len(),
            last_segment_length: 0,
            allow_above_root,
        }
    }

    /// Normalizes `path` (followed by a separator) onto `out`.
    ///
    /// This works on bytes: the separators and `.` are ASCII, so every index the loop cuts
    /// at is a character boundary. Generic over the separator test so that it is inlined.
    #[inline]
    pub(crate) fn feed<F: Fn(u8) -> bool>(
        &mut self,
        out: &mut String,
        path: &str,
        separator: u8,
        is_separator: F,
    ) {
        // Node's loop walks char by char, counting the dots a segment starts with (`dots`,
        // -1 once anything else appears) and acting at each separator (the end of the input
        // counts as one unless it is a separator itself). So at a separator `dots == 1`
        // means the segment was exactly `.`, `dots == 2` exactly `..`, and a separator right
        // after the previous one an empty segment. We walk segment by segment instead.
        let base = self.base;
        let sep_char = char::from(separator);
        let bytes = path.as_bytes();
        let len = bytes.len();
        let mut start = 0usize;
        loop {
            let end = bytes[start..]
                .iter()
                .position(|&b| is_separator(b))
                .map_or(len, |p| start + p);
            let seg = &bytes[start..end];
            match seg {
                [] | [DOT] => {}
                [DOT, DOT] => {
                    let res_len = out.len() - base;
                    let rb = out.as_bytes();
                    let mut removed = false;
                    if res_len < 2
                        || self.last_segment_length != 2
                        || rb[rb.len() - 1] != DOT
                        || rb[rb.len() - 2] != DOT
                    {
                        if res_len > 2 {
                            match rb[base..].iter().rposition(|&b| b == separator) {
                                None => {
                                    out.truncate(base);
                                    self.last_segment_length = 0;
                                }
                                Some(idx) => {
                                    out.truncate(base + idx);
                                    self.last_segment_length = match out.as_bytes()[base..]
                                        .iter()
                                        .rposition(|&b| b == separator)
                                    {
                                        Some(j) => idx - 1 - j,
                                        None => idx,
                                    };
                                }
                            }
                            removed = true;
                        } else if res_len != 0 {
                            out.truncate(base);
                            self.last_segment_length = 0;
                            removed = true;
                        }
                    }
                    if !removed && self.allow_above_root {
                        if out.len() != base {
                            out.push(sep_char);
                        }
                        out.push_str("..");
                        self.last_segment_length = 2;
                    }
                }
                _ => {
                    if out.len() != base {
                        out.push(sep_char);
                    }
                    out.push_str(slice(path, start, end));
                    self.last_segment_length = end - start;
                }
            }
            if end >= len {
                break;
            }
            start = end + 1;
        }
    }
}

/// What `basename`, `extname` and `parse` share: the last path component of
/// `bytes[start..]`, with Node's rules for the extension.
pub(crate) struct LastPart {
    /// Index where the last component starts (`startPart`).
    pub start_part: usize,
    /// Index of the extension's dot, if one counts (`startDot`).
    pub start_dot: Option<usize>,
    /// Index just past the component, before trailing separators (`end`), if any.
    pub end: Option<usize>,
    /// Whether the dot is a real extension (not `..`, not a leading dot).
    pub has_ext: bool,
}

/// The scan loop of Node's `extname`/`parse`: walks back from the end to `start`, skipping
/// trailing separators, and tracks the dot state (`preDotState`).
/// `start` bounds the loop; `start_part` is the initial `startPart` (they differ in
/// `posix.parse` of an absolute path, where the loop stops at 1 but `startPart` starts at 0).
pub(crate) fn scan_last_part(
    bytes: &[u8],
    start: usize,
    start_part: usize,
    is_separator: fn(u8) -> bool,
) -> LastPart {
    let mut start_dot: Option<usize> = None;
    let mut start_part = start_part;
    let mut end: Option<usize> = None;
    let mut matched_slash = true;
    let mut pre_dot_state: i32 = 0;
    let mut i = bytes.len();
    while i > start {
        i -= 1;
        let code = bytes[i];
        if is_separator(code) {
            if !matched_slash {
                start_part = i + 1;
                break;
            }
            continue;
        }
        if end.is_none() {
            matched_slash = false;
            end = Some(i + 1);
        }
        if code == DOT {
            if start_dot.is_none() {
                start_dot = Some(i);
            } else if pre_dot_state != 1 {
                pre_dot_state = 1;
            }
        } else if start_dot.is_some() {
            pre_dot_state = -1;
        }
    }
    let has_ext = match (start_dot, end) {
        (Some(dot), Some(end)) => {
            !(pre_dot_state == 0 || (pre_dot_state == 1 && dot + 1 == end && dot == start_part + 1))
        }
        _ => false,
    };
    LastPart {
        start_part,
        start_dot,
        end,
        has_ext,
    }
}

/// The `basename` loop shared by both namespaces (Node duplicates it in each): the last
/// component of `path[start..]`, stripping `suffix` as Node does (including its quirks: a
/// suffix equal to the whole path gives `""`, and a component shorter than a matching tail of
/// the suffix keeps its trailing separators).
pub(crate) fn basename_impl(
    path: &str,
    mut start: usize,
    suffix: Option<&str>,
    is_separator: fn(u8) -> bool,
) -> String {
    let bytes = path.as_bytes();
    let mut end: Option<usize> = None;
    let mut matched_slash = true;

    if let Some(suffix) = suffix.filter(|s| !s.is_empty() && js_len(s) <= js_len(path)) {
        if suffix == path {
            return String::new();
        }
        let sb = suffix.as_bytes();
        let mut ext_idx: isize = sb.len() as isize - 1;
        let mut first_non_slash_end: Option<usize> = None;
        let mut i = bytes.len();
        while i > start {
            i -= 1;
            let code = bytes[i];
            if is_separator(code) {
                if !matched_slash {
                    start = i + 1;
                    break;
                }
            } else {
                if first_non_slash_end.is_none() {
                    matched_slash = false;
                    first_non_slash_end = Some(i + 1);
                }
                if ext_idx >= 0 {
                    if code == sb[ext_idx as usize] {
                        ext_idx -= 1;
                        if ext_idx == -1 {
                            end = Some(i);
                        }
                    } else {
                        ext_idx = -1;
                        end = first_non_slash_end;
                    }
                }
            }
        }
        // `end` is only set after `firstNonSlashEnd`, so the fallback never applies.
        let end = match end {
            Some(e) if e == start => first_non_slash_end.unwrap_or(path.len()),
            Some(e) => e,
            None => path.len(),
        };
        return slice(path, start, end).to_owned();
    }

    let mut i = bytes.len();
    while i > start {
        i -= 1;
        if is_separator(bytes[i]) {
            if !matched_slash {
                start = i + 1;
                break;
            }
        } else if end.is_none() {
            matched_slash = false;
            end = Some(i + 1);
        }
    }
    match end {
        None => String::new(),
        Some(e) => slice(path, start, e).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_string_matches_node_on_basics() {
        assert_eq!(
            normalize_string("a/b/../c", false, '/', is_posix_sep),
            "a/c"
        );
        assert_eq!(normalize_string("../a", true, '/', is_posix_sep), "../a");
        assert_eq!(normalize_string("../a", false, '/', is_posix_sep), "a");
        assert_eq!(
            normalize_string("a\\..\\..\\b", true, '\\', is_sep),
            "..\\b"
        );
    }

    #[test]
    fn js_len_counts_utf16_units() {
        assert_eq!(js_len("é"), 1);
        assert_eq!(js_len("😀"), 2);
    }
}
