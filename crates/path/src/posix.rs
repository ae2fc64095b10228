//! `path.posix`: Node's POSIX path functions, ported from `lib/path.js` of Node v20.
//!
//! Only `/` separates; `\` is an ordinary character. Every function is total: any string in,
//! a string out, as in Node (which only throws for arguments that are not strings).

use crate::common::{
    Normalizer, SLASH, basename_impl, is_posix_sep, normalize_into, scan_last_part, slice, slice16,
};
use crate::{ParsedPath, PathObject};

/// The path segment separator, `'/'` (Node's `path.posix.sep`).
///
/// ```
/// assert_eq!(nodestd_path::posix::SEP, "/");
/// ```
pub const SEP: &str = "/";

/// The `PATH` list delimiter, `':'` (Node's `path.posix.delimiter`).
///
/// ```
/// assert_eq!(nodestd_path::posix::DELIMITER, ":");
/// ```
pub const DELIMITER: &str = ":";

/// The current directory as `path.posix` sees it (Node's `posixCwd`): `process.cwd()` on
/// POSIX; on Windows, the cwd with `\` turned into `/` and cut at its first `/` (so
/// `C:\Users\me` becomes `/Users/me`). `None` when the directory cannot be read.
fn posix_cwd() -> Option<String> {
    let cwd = crate::process_cwd()?;
    if cfg!(windows) {
        let cwd = cwd.replace('\\', "/");
        // `StringPrototypeSlice(cwd, StringPrototypeIndexOf(cwd, '/'))`: an index of -1 keeps
        // the last character only.
        return Some(match cwd.find('/') {
            Some(i) => cwd[i..].to_owned(),
            None => cwd
                .char_indices()
                .next_back()
                .map(|(i, _)| cwd[i..].to_owned())
                .unwrap_or_default(),
        });
    }
    Some(cwd)
}

/// Resolves a sequence of paths into an absolute path (Node's `path.posix.resolve`),
/// right to left until an absolute path is formed, then against the process's current
/// directory.
///
/// Empty segments are skipped; the result is normalized, without a trailing slash (except
/// for `/`). If the current directory cannot be read (Node would throw), the result is the
/// normalized relative path, or `.`.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::resolve(["/foo/bar", "./baz"]), "/foo/bar/baz");
/// assert_eq!(posix::resolve(["/foo/bar", "/tmp/file/"]), "/tmp/file");
/// ```
pub fn resolve<I, S>(paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    with_args(paths, |args| resolve_impl(args, posix_cwd))
}

/// [`resolve`] with the current directory given explicitly instead of read from the process:
/// `cwd` plays the part of `process.cwd()`.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::resolve_from("/tmp/cwdfix", ["a", "../b"]), "/tmp/cwdfix/b");
/// assert_eq!(posix::resolve_from("/tmp", ["/etc", "passwd"]), "/etc/passwd");
/// ```
pub fn resolve_from<I, S>(cwd: &str, paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    with_args(paths, |args| resolve_impl(args, || Some(cwd)))
}

/// How many arguments `resolve` keeps on the stack before it falls back to a `Vec`.
const STACK_ARGS: usize = 8;

/// Calls `f` with the arguments gathered in a slice (`None` entries stand for nothing and are
/// skipped like empty strings), without a heap allocation for up to [`STACK_ARGS`] of them.
fn with_args<I, S, R>(paths: I, f: impl FnOnce(&[Option<S>]) -> R) -> R
where
    I: IntoIterator<Item = S>,
{
    let mut iter = paths.into_iter();
    let mut stack: [Option<S>; STACK_ARGS] = Default::default();
    let mut n = 0;
    for slot in &mut stack {
        match iter.next() {
            Some(p) => {
                *slot = Some(p);
                n += 1;
            }
            None => return f(&stack[..n]),
        }
    }
    match iter.next() {
        None => f(&stack),
        Some(next) => {
            let all: Vec<Option<S>> = stack
                .into_iter()
                .chain(std::iter::once(Some(next)))
                .chain(iter.map(Some))
                .collect();
            f(&all)
        }
    }
}

fn resolve_impl<S: AsRef<str>, C: AsRef<str>>(
    args: &[Option<S>],
    cwd: impl FnOnce() -> Option<C>,
) -> String {
    // Node prepends `path + '/'` for each argument, right to left, until one is absolute, and
    // then the cwd if none was, and normalizes that string. We find where that stops and feed
    // the same pieces, left to right, to the normalizer.
    let mut first = 0usize;
    let mut resolved_absolute = false;
    let mut total = 0usize;
    for (idx, path) in args.iter().enumerate().rev() {
        let Some(path) = path else { continue };
        let path = path.as_ref();
        if path.is_empty() {
            continue;
        }
        total += path.len() + 1;
        if path.as_bytes()[0] == SLASH {
            resolved_absolute = true;
            first = idx;
            break;
        }
    }

    let cwd = if resolved_absolute { None } else { cwd() };
    let cwd: Option<&str> = cwd.as_ref().map(AsRef::as_ref);
    if let Some(cwd) = cwd {
        resolved_absolute = cwd.as_bytes().first() == Some(&SLASH);
        total += cwd.len() + 1;
    }

    // Normalize the pieces straight into the result (see `Normalizer`), which is never
    // longer than the joined string plus the leading `/`.
    let mut out = String::with_capacity(total + 1);
    if resolved_absolute {
        out.push('/');
    }
    let mut norm = Normalizer::new(&out, !resolved_absolute);
    if let Some(cwd) = cwd {
        norm.feed(&mut out, cwd, SLASH, is_posix_sep);
    }
    for path in args[first..].iter().flatten() {
        let path = path.as_ref();
        if !path.is_empty() {
            norm.feed(&mut out, path, SLASH, is_posix_sep);
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// Normalizes a path (Node's `path.posix.normalize`): resolves `.` and `..` segments and
/// squeezes repeated slashes, keeping a trailing slash. The empty string gives `.`.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::normalize("/foo/bar//baz/asdf/quux/.."), "/foo/bar/baz/asdf");
/// assert_eq!(posix::normalize("./a/"), "a/");
/// assert_eq!(posix::normalize(""), ".");
/// ```
pub fn normalize(path: &str) -> String {
    let bytes = path.as_bytes();
    if bytes.is_empty() {
        return ".".to_owned();
    }
    let is_absolute = bytes[0] == SLASH;
    let trailing_separator = bytes[bytes.len() - 1] == SLASH;

    // One allocation, sized for the worst case (the result is never longer than the input,
    // plus the `./` of an empty relative result).
    let mut out = String::with_capacity(path.len() + 1);
    if is_absolute {
        out.push('/');
    }
    normalize_into(&mut out, path, !is_absolute, SLASH, is_posix_sep);
    finish_normalize(out, is_absolute, trailing_separator)
}

/// Whether the path is absolute, i.e. starts with `/` (Node's `path.posix.isAbsolute`).
///
/// ```
/// use nodestd_path::posix;
/// assert!(posix::is_absolute("/foo/bar"));
/// assert!(!posix::is_absolute("qux/"));
/// assert!(!posix::is_absolute(""));
/// ```
pub fn is_absolute(path: &str) -> bool {
    path.as_bytes().first() == Some(&SLASH)
}

/// Joins the non-empty segments with `/` and normalizes the result (Node's
/// `path.posix.join`). No segments, or only empty ones, give `.`.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::join(["/foo", "bar", "baz/asdf", "quux", ".."]), "/foo/bar/baz/asdf");
/// assert_eq!(posix::join(["", ""]), ".");
/// ```
pub fn join<I, S>(paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    // Node normalizes `args.join('/')` (empty ones left out); we feed the arguments to the
    // normalizer one by one instead (see `Normalizer`), which gives the same string.
    let mut out = String::with_capacity(64);
    let mut norm: Option<Normalizer> = None;
    let mut is_absolute = false;
    let mut trailing_separator = false;
    for arg in paths {
        let arg = arg.as_ref();
        let bytes = arg.as_bytes();
        let Some(&last) = bytes.last() else {
            continue;
        };
        let norm = norm.get_or_insert_with(|| {
            is_absolute = bytes[0] == SLASH;
            if is_absolute {
                out.push('/');
            }
            Normalizer::new(&out, !is_absolute)
        });
        norm.feed(&mut out, arg, SLASH, is_posix_sep);
        trailing_separator = last == SLASH;
    }
    if norm.is_none() {
        return ".".to_owned();
    }
    finish_normalize(out, is_absolute, trailing_separator)
}

/// The end of `normalize` once `normalizeString` has run into `out` (after the `/` of an
/// absolute path): Node's fallbacks for an empty result and its trailing separator.
fn finish_normalize(mut out: String, is_absolute: bool, trailing_separator: bool) -> String {
    let base = usize::from(is_absolute);
    if out.len() == base {
        if is_absolute {
            return out;
        }
        out.push('.');
        if trailing_separator {
            out.push('/');
        }
        return out;
    }
    if trailing_separator {
        out.push('/');
    }
    out
}

/// The relative path from `from` to `to`, both first resolved against the process's current
/// directory (Node's `path.posix.relative`). Equal paths give `""`.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::relative("/data/orandea/test/aaa", "/data/orandea/impl/bbb"), "../../impl/bbb");
/// ```
pub fn relative(from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    // Node reads `process.cwd()` (cached) in each of its two `resolve` calls; we read the
    // directory at most once per call, and only when a path is relative.
    let cwd = if is_absolute(from) && is_absolute(to) {
        None
    } else {
        posix_cwd()
    };
    relative_impl(
        &resolve_impl(&[Some(from)], || cwd.as_deref()),
        &resolve_impl(&[Some(to)], || cwd.as_deref()),
    )
}

/// [`relative`] with the current directory given explicitly (`cwd` plays `process.cwd()`).
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::relative_from("/tmp/cwdfix", "a/b", "a/c"), "../c");
/// assert_eq!(posix::relative_from("/tmp/cwdfix", "a", "/tmp"), "../..");
/// ```
pub fn relative_from(cwd: &str, from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    relative_impl(
        &resolve_impl(&[Some(from)], || Some(cwd)),
        &resolve_impl(&[Some(to)], || Some(cwd)),
    )
}

/// The part of `relative` after both paths are resolved, walking UTF-16 code units as Node
/// does. Node assumes both start with `/` and skips that first unit; they do unless the cwd
/// is relative, when the first unit may be any character.
///
/// For ASCII strings bytes and UTF-16 units coincide, so the walk runs on the bytes directly;
/// only non-ASCII input pays for the UTF-16 copies.
fn relative_impl(from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    if from.is_ascii() && to.is_ascii() {
        let t = to.as_bytes();
        return match relative_walk(from.as_bytes(), t, SLASH) {
            RelativeWalk::Tail(start) => slice(to, start, t.len()).to_owned(),
            RelativeWalk::Up { ups, rest_start } => {
                let rest = slice(to, rest_start, t.len());
                let mut out = String::with_capacity(ups * 3 + rest.len());
                push_ups(&mut out, ups);
                out.push_str(rest);
                out
            }
        };
    }
    let f: Vec<u16> = from.encode_utf16().collect();
    let t: Vec<u16> = to.encode_utf16().collect();
    match relative_walk(&f, &t, u16::from(SLASH)) {
        RelativeWalk::Tail(start) => slice16(&t, start, t.len()),
        RelativeWalk::Up { ups, rest_start } => {
            let mut out = String::new();
            push_ups(&mut out, ups);
            out.push_str(&slice16(&t, rest_start, t.len()));
            out
        }
    }
}

/// `ups` times `..`, joined with `/`.
fn push_ups(out: &mut String, ups: usize) {
    for n in 0..ups {
        out.push_str(if n == 0 { ".." } else { "/.." });
    }
}

/// What Node's `relative` loop decides.
enum RelativeWalk {
    /// The result is `to[start..]`.
    Tail(usize),
    /// The result is `ups` times `..` followed by `to[rest_start..]`.
    Up { ups: usize, rest_start: usize },
}

/// Node's `relative` loop over code units (bytes for ASCII input, UTF-16 units otherwise).
fn relative_walk<T: Copy + PartialEq>(f: &[T], t: &[T], slash: T) -> RelativeWalk {
    let from_start = 1usize;
    let from_end = f.len();
    let from_len = from_end.saturating_sub(from_start);
    let to_start = 1usize;
    let to_len = t.len().saturating_sub(to_start);

    let length = from_len.min(to_len);
    let mut last_common_sep: isize = -1;
    let mut i = 0usize;
    while i < length {
        let from_code = f[from_start + i];
        if from_code != t[to_start + i] {
            break;
        } else if from_code == slash {
            last_common_sep = i as isize;
        }
        i += 1;
    }
    if i == length {
        if to_len > length {
            if t[to_start + i] == slash {
                // `from` is the exact base path of `to`: from='/foo/bar'; to='/foo/bar/baz'.
                return RelativeWalk::Tail(to_start + i + 1);
            }
            if i == 0 {
                // `from` is the root: from='/'; to='/foo'.
                return RelativeWalk::Tail(to_start + i);
            }
        } else if from_len > length {
            if f[from_start + i] == slash {
                // `to` is the exact base path of `from`: from='/foo/bar/baz'; to='/foo/bar'.
                last_common_sep = i as isize;
            } else if i == 0 {
                // `to` is the root: from='/foo/bar'; to='/'.
                last_common_sep = 0;
            }
        }
    }

    let mut ups = 0usize;
    let mut k = (from_start as isize + last_common_sep + 1) as usize;
    while k <= from_end {
        if k == from_end || f[k] == slash {
            ups += 1;
        }
        k += 1;
    }
    RelativeWalk::Up {
        ups,
        rest_start: (to_start as isize + last_common_sep) as usize,
    }
}

/// Node's `path.posix.toNamespacedPath`: the path unchanged (namespaces are a Windows notion).
///
/// ```
/// assert_eq!(nodestd_path::posix::to_namespaced_path("/a/b"), "/a/b");
/// ```
pub fn to_namespaced_path(path: &str) -> String {
    path.to_owned()
}

/// [`to_namespaced_path`] with a `cwd` argument, for symmetry with
/// [`win32::to_namespaced_path_from`](crate::win32::to_namespaced_path_from): `cwd` is unused
/// and the path comes back unchanged.
///
/// ```
/// assert_eq!(nodestd_path::posix::to_namespaced_path_from("/tmp", "a"), "a");
/// ```
pub fn to_namespaced_path_from(cwd: &str, path: &str) -> String {
    let _ = cwd;
    path.to_owned()
}

/// The directory part of a path (Node's `path.posix.dirname`), ignoring trailing slashes.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::dirname("/foo/bar/baz/asdf/quux"), "/foo/bar/baz/asdf");
/// assert_eq!(posix::dirname("a"), ".");
/// assert_eq!(posix::dirname("//a"), "//");
/// ```
pub fn dirname(path: &str) -> String {
    let bytes = path.as_bytes();
    if bytes.is_empty() {
        return ".".to_owned();
    }
    let has_root = bytes[0] == SLASH;
    let mut end: Option<usize> = None;
    let mut matched_slash = true;
    let mut i = bytes.len();
    while i > 1 {
        i -= 1;
        if bytes[i] == SLASH {
            if !matched_slash {
                end = Some(i);
                break;
            }
        } else {
            matched_slash = false;
        }
    }
    match end {
        None => if has_root { "/" } else { "." }.to_owned(),
        Some(1) if has_root => "//".to_owned(),
        Some(e) => slice(path, 0, e).to_owned(),
    }
}

/// The last portion of a path (Node's `path.posix.basename(path)`), ignoring trailing
/// slashes.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::basename("/foo/bar/baz/asdf/quux.html"), "quux.html");
/// assert_eq!(posix::basename("/foo/"), "foo");
/// ```
pub fn basename(path: &str) -> String {
    basename_impl(path, 0, None, is_posix_sep)
}

/// Node's `path.posix.basename(path, suffix)`: the last portion of a path with `suffix`
/// removed from its end when it matches (case-sensitively), except that a suffix equal to the
/// whole last portion is kept.
///
/// Node's quirks come along: `basename_without_suffix("a.js", "a.js")` is `""` (the suffix is
/// the whole path), and a last portion that matches only the tail of a longer suffix keeps its
/// trailing slashes (`basename_without_suffix("/a/", "ba")` is `"a/"`).
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::basename_without_suffix("/foo/bar/quux.html", ".html"), "quux");
/// assert_eq!(posix::basename_without_suffix("/foo/bar/quux.HTML", ".html"), "quux.HTML");
/// assert_eq!(posix::basename_without_suffix("/foo/.html", ".html"), ".html");
/// ```
pub fn basename_without_suffix(path: &str, suffix: &str) -> String {
    basename_impl(path, 0, Some(suffix), is_posix_sep)
}

/// The extension of the last portion of a path, from its last `.` (Node's
/// `path.posix.extname`); `""` when there is none or the portion starts with its only dot.
///
/// ```
/// use nodestd_path::posix;
/// assert_eq!(posix::extname("index.html"), ".html");
/// assert_eq!(posix::extname("index.coffee.md"), ".md");
/// assert_eq!(posix::extname("index."), ".");
/// assert_eq!(posix::extname(".index"), "");
/// ```
pub fn extname(path: &str) -> String {
    let lp = scan_last_part(path.as_bytes(), 0, 0, is_posix_sep);
    match (lp.has_ext, lp.start_dot, lp.end) {
        (true, Some(dot), Some(end)) => slice(path, dot, end).to_owned(),
        _ => String::new(),
    }
}

/// Splits a path into root, dir, base, ext and name (Node's `path.posix.parse`).
///
/// ```
/// use nodestd_path::{posix, ParsedPath};
/// assert_eq!(posix::parse("/home/user/dir/file.txt"), ParsedPath {
///     root: "/".into(),
///     dir: "/home/user/dir".into(),
///     base: "file.txt".into(),
///     ext: ".txt".into(),
///     name: "file".into(),
/// });
/// ```
pub fn parse(path: &str) -> ParsedPath {
    let mut ret = ParsedPath::default();
    let bytes = path.as_bytes();
    if bytes.is_empty() {
        return ret;
    }
    let is_absolute = bytes[0] == SLASH;
    let start = if is_absolute {
        ret.root = "/".to_owned();
        1
    } else {
        0
    };
    let lp = scan_last_part(bytes, start, 0, is_posix_sep);
    if let Some(end) = lp.end {
        let start = if lp.start_part == 0 && is_absolute {
            1
        } else {
            lp.start_part
        };
        match lp.start_dot.filter(|_| lp.has_ext) {
            None => {
                ret.base = slice(path, start, end).to_owned();
                ret.name = ret.base.clone();
            }
            Some(dot) => {
                ret.name = slice(path, start, dot).to_owned();
                ret.base = slice(path, start, end).to_owned();
                ret.ext = slice(path, dot, end).to_owned();
            }
        }
    }
    if lp.start_part > 0 {
        ret.dir = slice(path, 0, lp.start_part - 1).to_owned();
    } else if is_absolute {
        ret.dir = "/".to_owned();
    }
    ret
}

/// Builds a path from its parts (Node's `path.posix.format`). `dir` wins over `root` and
/// `base` over `name` + `ext`; see [`PathObject`] for the rules.
///
/// ```
/// use nodestd_path::{posix, PathObject};
/// let p = PathObject { root: Some("/ignored"), dir: Some("/home/user/dir"), base: Some("file.txt"), ..Default::default() };
/// assert_eq!(posix::format(p), "/home/user/dir/file.txt");
/// let p = PathObject { root: Some("/"), name: Some("file"), ext: Some("txt"), ..Default::default() };
/// assert_eq!(posix::format(p), "/file.txt");
/// // A parsed path formats back.
/// assert_eq!(posix::format(&posix::parse("/a/b.c")), "/a/b.c");
/// ```
pub fn format<'a>(path_object: impl Into<PathObject<'a>>) -> String {
    crate::format_with(SEP, &path_object.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values from Node v20's `path.posix`.
    #[test]
    fn resolve_takes_more_arguments_than_fit_on_the_stack() {
        let many = ["/a", "b", "", "c", "d", "e", "f", "g", "h", "i", "..", "j"];
        assert_eq!(resolve(many), "/a/b/c/d/e/f/g/h/j");
        let reset = ["/x", "a", "b", "c", "d", "e", "f", "g", "/r", "s"];
        assert_eq!(resolve_from("/cwd", reset), "/r/s");
        let exactly = ["/1", "2", "3", "4", "5", "6", "7", "8"];
        assert_eq!(resolve(exactly), "/1/2/3/4/5/6/7/8");
    }

    #[test]
    fn join_normalizes_across_arguments() {
        assert_eq!(join(["a", "", "/b/", "..", "..", "..", "c/"]), "../c/");
    }
}
