//! Node.js's [`path`](https://nodejs.org/docs/latest-v20.x/api/path.html) module for Rust,
//! with Node v20's exact semantics.
//!
//! The algorithms are ports of Node's own `lib/path.js` (`normalizeString`, the win32 drive,
//! UNC and device-root rules, the case-insensitive win32 `relative` …), checked record by
//! record against Node v20 and differentially against a live `node`.
//!
//! # Namespaces
//!
//! - [`posix`]: `path.posix`, where only `/` separates.
//! - [`win32`]: `path.win32`, where `\` and `/` separate and roots are drives, UNC shares and
//!   device namespaces.
//! - The crate root re-exports the platform's namespace, as Node's `path` is: `posix` on Unix,
//!   `win32` on Windows. `nodestd_path::join(["a", "b"])` is `a/b` on Linux.
//!
//! Each namespace has every member of Node's: [`join`], [`resolve`], [`normalize`],
//! [`relative`], [`dirname`], [`basename`] (and [`basename_without_suffix`] for the
//! two-argument form), [`extname`], [`parse`] (returning a [`ParsedPath`]), [`format()`] (from a
//! [`PathObject`]), [`is_absolute`], [`to_namespaced_path`], [`SEP`] and [`DELIMITER`].
//! Variadic functions take any iterator of `AsRef<str>`: `join(["a", "b"])`,
//! `resolve(&vec)`.
//!
//! Functions that depend on the current directory (`resolve`, `relative`, and
//! `win32::to_namespaced_path`) read it from the process, as Node does, and have `_from`
//! twins that take it explicitly: [`posix::resolve_from`], [`win32::resolve_from`],
//! [`posix::relative_from`], [`win32::relative_from`], [`win32::to_namespaced_path_from`].
//! As in Node, `win32::resolve` on a POSIX host resolves against the POSIX cwd string
//! (`/home/me` reads as `\home\me`), and `posix::resolve` on Windows against the cwd with
//! its drive cut off and `\` turned into `/`. On Windows, `win32::resolve` of a
//! drive-relative path (`D:x`) uses that drive's cwd from the `=D:` environment variable, as
//! Node does; the `_from` twins never read the environment.
//!
//! Strings in, strings out, as in Node; [`os`] has conveniences for `Path`/`OsStr` at the
//! edge.
//!
//! ```
//! use nodestd_path::{posix, win32};
//! assert_eq!(posix::join(["/foo", "bar", "baz/asdf", "quux", ".."]), "/foo/bar/baz/asdf");
//! assert_eq!(win32::normalize("C:/temp\\\\foo\\bar\\..\\"), "C:\\temp\\foo\\");
//! assert_eq!(posix::parse("/home/user/file.txt").name, "file");
//! ```
//!
//! # Platforms
//!
//! Pure Rust; its only OS calls read the current directory (and, on Windows, a drive's
//! `=D:` variable). Linux is what is tested; the Windows-only branches follow Node's code
//! but do not run in the tests.
//!
//! # Deviations from Node
//!
//! - Argument types: Node throws `ERR_INVALID_ARG_TYPE` when an argument is not a string (or,
//!   for `format`, not an object). Rust's types rule those calls out, so no function here is
//!   fallible. `toNamespacedPath` returns non-string arguments unchanged in Node; here it only
//!   takes strings. The `os` conveniences report a non-UTF-8 path with Node's
//!   `ERR_INVALID_ARG_TYPE` (a path that is not a string).
//! - Strings: JavaScript strings may hold lone UTF-16 surrogates; Rust strings cannot, so such
//!   inputs cannot be expressed. Where Node's algorithm compares lengths (`basename`'s suffix,
//!   `win32.relative`, `win32.toNamespacedPath`) we count UTF-16 code units, as Node does.
//! - The current directory: when it cannot be read (Node's `process.cwd()` throws, e.g. for a
//!   deleted directory), `resolve` and the functions built on it continue without it and may
//!   return a relative path. A current directory that is not valid UTF-8 is read lossily
//!   (U+FFFD for bad bytes).
//! - `basename(path, suffix)` is split into [`basename`] and [`basename_without_suffix`].
//! - `format`'s argument is a [`PathObject`] of optional strings; JavaScript's coercion of
//!   non-string fields (numbers, arrays …) is not modelled.
//! - `path.matchesGlob` (experimental in Node v20) is not provided.

#![warn(missing_docs)]

mod common;
pub mod os;
pub mod posix;
pub mod win32;

#[cfg(not(windows))]
use posix as platform;
#[cfg(windows)]
use win32 as platform;

pub use platform::{
    DELIMITER, SEP, basename, basename_without_suffix, dirname, extname, format, is_absolute, join,
    normalize, parse, relative, relative_from, resolve, resolve_from, to_namespaced_path,
    to_namespaced_path_from,
};

/// A path split into its parts, as Node's `path.parse` returns it: `{ root, dir, base, ext,
/// name }`.
///
/// `dir` includes `root`; `base` is `name` + `ext`.
///
/// ```
/// use nodestd_path::{posix, ParsedPath};
/// let p: ParsedPath = posix::parse("/home/user/file.txt");
/// assert_eq!((p.root.as_str(), p.dir.as_str()), ("/", "/home/user"));
/// assert_eq!((p.base.as_str(), p.ext.as_str(), p.name.as_str()), ("file.txt", ".txt", "file"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ParsedPath {
    /// The root: `/`, `C:\`, `\\server\share\` … or empty.
    pub root: String,
    /// The directory, root included.
    pub dir: String,
    /// The last portion: `name` + `ext`.
    pub base: String,
    /// The extension, from the last `.` of `base` (empty when there is none).
    pub ext: String,
    /// `base` without `ext`.
    pub name: String,
}

impl ParsedPath {
    /// Borrows this as a [`PathObject`] for `format`.
    ///
    /// ```
    /// use nodestd_path::posix;
    /// let p = posix::parse("/a/b.txt");
    /// assert_eq!(posix::format(p.as_path_object()), "/a/b.txt");
    /// ```
    pub fn as_path_object(&self) -> PathObject<'_> {
        PathObject {
            root: Some(&self.root),
            dir: Some(&self.dir),
            base: Some(&self.base),
            ext: Some(&self.ext),
            name: Some(&self.name),
        }
    }
}

impl<'a> From<&'a ParsedPath> for PathObject<'a> {
    fn from(p: &'a ParsedPath) -> PathObject<'a> {
        p.as_path_object()
    }
}

/// The argument of `format` (Node's `pathObject`): every field optional, `None` standing for
/// an absent property.
///
/// Node's rules, which `format` follows (an empty string counts as absent, as in
/// JavaScript's `||`):
/// - the directory is `dir`, or else `root`;
/// - the last portion is `base`, or else `name` followed by `ext` (a `.` is put before an
///   `ext` that lacks one);
/// - with no directory the result is the last portion; when the directory is the `root`
///   itself they are concatenated; otherwise they are joined with the separator.
///
/// ```
/// use nodestd_path::{posix, PathObject};
/// let p = PathObject { root: Some("/"), base: Some("a.txt"), name: Some("ignored"), ..Default::default() };
/// assert_eq!(posix::format(p), "/a.txt");
/// let p = PathObject { dir: Some("x"), name: Some("a"), ext: Some("md"), ..Default::default() };
/// assert_eq!(posix::format(p), "x/a.md");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PathObject<'a> {
    /// The root; used as the directory when `dir` is absent.
    pub root: Option<&'a str>,
    /// The directory; wins over `root`.
    pub dir: Option<&'a str>,
    /// The last portion; wins over `name` and `ext`.
    pub base: Option<&'a str>,
    /// The extension, with or without its leading dot.
    pub ext: Option<&'a str>,
    /// The last portion without its extension.
    pub name: Option<&'a str>,
}

/// Node's `_format(sep, pathObject)`.
fn format_with(sep: &str, obj: &PathObject<'_>) -> String {
    fn truthy(v: Option<&str>) -> Option<&str> {
        v.filter(|s| !s.is_empty())
    }
    let dir = truthy(obj.dir).or(truthy(obj.root));
    let base = match truthy(obj.base) {
        Some(b) => b.to_owned(),
        None => {
            let ext = match truthy(obj.ext) {
                Some(e) if e.starts_with('.') => e.to_owned(),
                Some(e) => format!(".{e}"),
                None => String::new(),
            };
            format!("{}{ext}", obj.name.unwrap_or(""))
        }
    };
    match dir {
        None => base,
        Some(d) if obj.root == Some(d) => format!("{d}{base}"),
        Some(d) => format!("{d}{sep}{base}"),
    }
}

/// `process.cwd()`: the current directory as a string, `None` when it cannot be read.
///
/// Read afresh (one `getcwd`) on every call, deliberately not cached: Node can cache
/// `process.cwd()` because every change goes through its own `process.chdir`, but here any
/// code in the process (`std::env::set_current_dir`, C libraries, another thread) may change
/// the directory without telling us, and no check cheaper than `getcwd` itself can notice.
/// Callers that resolve many paths against a known directory can use the `_from` functions.
fn process_cwd() -> Option<String> {
    // No copy when the directory is valid UTF-8 (the usual case).
    std::env::current_dir().ok().map(|p| {
        p.into_os_string()
            .into_string()
            .unwrap_or_else(|os| os.to_string_lossy().into_owned())
    })
}
