//! `path.win32`: Node's Windows path functions, ported from `lib/path.js` of Node v20.
//!
//! Both `\` and `/` separate; roots are drive letters (`C:`, `C:\`), UNC shares
//! (`\\server\share\`), device namespaces (`\\.\`, `\\?\`) and, in `normalize`, reserved
//! device names (`CON:`, `COM1:` …, Node's fix for CVE-2024-36139). Every function is total:
//! any string in, a string out.

use crate::common::{
    BACKSLASH, COLON, DOT, at, basename_impl, is_device_root, is_sep, js_len, js_lower,
    normalize_string, scan_last_part, slice, slice16,
};
use crate::{ParsedPath, PathObject};
use std::borrow::Cow;

/// The path segment separator, `'\'` (Node's `path.win32.sep`).
///
/// ```
/// assert_eq!(nodestd_path::win32::SEP, "\\");
/// ```
pub const SEP: &str = "\\";

/// The `PATH` list delimiter, `';'` (Node's `path.win32.delimiter`).
///
/// ```
/// assert_eq!(nodestd_path::win32::DELIMITER, ";");
/// ```
pub const DELIMITER: &str = ";";

/// Node's `WINDOWS_RESERVED_NAMES`.
const WINDOWS_RESERVED_NAMES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Node's `isWindowsReservedName(path, colonIndex)`: whether `path.slice(0, colonIndex)`,
/// upper-cased, is a reserved device name. `colon_index` is `None` for JavaScript's `-1`, where
/// `slice(0, -1)` drops the last UTF-16 code unit (so `normalize("CONx")` is `.\CONx`, as in
/// Node).
fn is_windows_reserved_name(path: &str, colon_index: Option<usize>) -> bool {
    let device_part = match colon_index {
        Some(i) => slice(path, 0, i),
        None => match path.chars().next_back() {
            // Dropping one unit of a surrogate pair leaves a lone surrogate, which upper-cases
            // to no reserved name.
            Some(c) if c.len_utf16() == 2 => return false,
            Some(c) => &path[..path.len() - c.len_utf8()],
            None => "",
        },
    };
    // Cheap filter first: every reserved name is 3 or 4 ASCII characters, and upper-casing
    // never shortens a string below its count of characters.
    if device_part.chars().count() > 4 {
        return false;
    }
    let upper = device_part.to_uppercase();
    WINDOWS_RESERVED_NAMES.contains(&upper.as_str())
}

/// The UNC scan that several functions share: for a path starting with two separators,
/// `\\server\share`.
struct Unc {
    /// `firstPart`: the server (or `.` / `?` for a device namespace).
    first: (usize, usize),
    /// Start of the share name (`last` in Node).
    share_start: usize,
    /// End of the share name (`j` in Node).
    end: usize,
}

/// Matches `<sep><sep><non-seps><seps><non-seps>` at the start of `bytes` (Node's UNC root
/// loop). The caller has checked the two leading separators.
fn match_unc(bytes: &[u8]) -> Option<Unc> {
    let len = bytes.len();
    let mut j = 2;
    let last = j;
    while j < len && !is_sep(bytes[j]) {
        j += 1;
    }
    if !(j < len && j != last) {
        return None;
    }
    let first = (last, j);
    let last = j;
    while j < len && is_sep(bytes[j]) {
        j += 1;
    }
    if !(j < len && j != last) {
        return None;
    }
    let share_start = j;
    while j < len && !is_sep(bytes[j]) {
        j += 1;
    }
    // Node then tests `j === len || j !== last`, which always holds here.
    Some(Unc {
        first,
        share_start,
        end: j,
    })
}

/// Looks up Windows' per-drive current directory, the `=C:` environment variable that Node
/// reads as `process.env['=C:']` (case-insensitively on Windows, as `process.env` is there).
fn env_drive_cwd(device: &str) -> Option<String> {
    let key = format!("={device}");
    std::env::vars_os().find_map(|(k, v)| {
        let k = k.to_str()?;
        let same = if cfg!(windows) {
            k.eq_ignore_ascii_case(&key)
        } else {
            k == key
        };
        same.then(|| v.to_string_lossy().into_owned())
    })
}

/// Where `resolve` gets its current directories from.
struct Cwd<'a> {
    /// `process.cwd()`, `None` when it cannot be read.
    process: Option<&'a str>,
    /// Whether to consult `process.env['=X:']` for a drive-relative path.
    use_env: bool,
}

/// `path.slice(0, 2)` compared case-insensitively with `device` (both through JavaScript's
/// `toLowerCase`), as Node checks that a drive cwd belongs to the drive.
fn first_two_units_equal_ignore_case(path: &str, device: &str) -> bool {
    let mut units = 0;
    let mut end = 0;
    for c in path.chars() {
        if units == 2 {
            break;
        }
        units += c.len_utf16();
        end += c.len_utf8();
    }
    if units > 2 {
        // A surrogate pair straddles the cut: JavaScript keeps a lone surrogate there, which
        // lower-cases to no drive letter.
        return false;
    }
    js_lower(&path[..end]) == js_lower(device)
}

/// The UTF-16 code unit at `index` (`charCodeAt`), `None` past the end.
fn char_code_at(path: &str, index: usize) -> Option<u16> {
    path.encode_utf16().nth(index)
}

/// Resolves a sequence of paths into an absolute path (Node's `path.win32.resolve`), right
/// to left until an absolute path with a device is formed.
///
/// Relative paths are resolved against the process's current directory: on Windows, a path
/// on another drive (`D:foo`) against that drive's current directory from the `=D:`
/// environment variable, as Node does. On a POSIX host this is the POSIX cwd string (e.g.
/// `/home/me`, which win32 reads as `\home\me`), again as Node does.
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::resolve(["C:\\foo", "bar", "..\\baz"]), "C:\\foo\\baz");
/// assert_eq!(win32::resolve(["//server/share", "a"]), "\\\\server\\share\\a");
/// ```
pub fn resolve<I, S>(paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let paths: Vec<S> = paths.into_iter().collect();
    let cwd = crate::process_cwd();
    resolve_impl(
        &paths,
        &Cwd {
            process: cwd.as_deref(),
            use_env: true,
        },
    )
}

/// [`resolve`] with the current directory given explicitly: `cwd` plays `process.cwd()`,
/// also for drive-relative paths (no `=X:` environment variable is consulted).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::resolve_from("C:\\work", ["a", "b"]), "C:\\work\\a\\b");
/// assert_eq!(win32::resolve_from("/tmp/cwdfix", ["a"]), "\\tmp\\cwdfix\\a");
/// assert_eq!(win32::resolve_from("/tmp/cwdfix", ["d:a"]), "d:\\tmp\\cwdfix\\a");
/// ```
pub fn resolve_from<I, S>(cwd: &str, paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let paths: Vec<S> = paths.into_iter().collect();
    resolve_impl(
        &paths,
        &Cwd {
            process: Some(cwd),
            use_env: false,
        },
    )
}

fn resolve_impl<S: AsRef<str>>(args: &[S], cwd: &Cwd<'_>) -> String {
    let mut resolved_device = String::new();
    // Node prepends each path to the tail (`${path.slice(rootEnd)}\\${resolvedTail}`), which
    // is quadratic in the number of paths; the pieces are kept last-first instead and joined
    // once at the end.
    let mut tail_pieces: Vec<Cow<'_, str>> = Vec::new();
    let mut resolved_absolute = false;

    // `i` runs from the last argument down to -1, the current directory.
    let mut i = args.len() as isize - 1;
    while i >= -1 {
        let index = i;
        i -= 1;
        let owned: String;
        let path: &str = if index >= 0 {
            let p = args[index as usize].as_ref();
            if p.is_empty() {
                continue;
            }
            p
        } else if resolved_device.is_empty() {
            match cwd.process {
                Some(c) => c,
                // Node throws when `process.cwd()` fails; we stop with what we have.
                None => continue,
            }
        } else {
            // Windows has per-drive current directories: use the drive's, or the process
            // cwd, and fall back to the drive's root when the found one is on another drive.
            let env = if cwd.use_env {
                env_drive_cwd(&resolved_device).filter(|p| !p.is_empty())
            } else {
                None
            };
            owned = match env.or_else(|| cwd.process.map(str::to_owned)) {
                Some(p)
                    // Node replaces the cwd by the drive's root when it is on another
                    // drive: `slice(0, 2)` differs and a backslash follows.
                    if first_two_units_equal_ignore_case(&p, &resolved_device)
                        || char_code_at(&p, 2) != Some(u16::from(BACKSLASH)) =>
                {
                    p
                }
                _ => format!("{resolved_device}\\"),
            };
            &owned
        };

        let bytes = path.as_bytes();
        let len = bytes.len();
        let mut root_end = 0;
        let mut device = String::new();
        let mut is_absolute = false;
        // Only an explicit empty cwd gets here empty; Node's `charCodeAt` is then NaN, which
        // matches no class, and 0 matches none either.
        let code = at(bytes, 0).unwrap_or(0);

        if len == 1 {
            if is_sep(code) {
                root_end = 1;
                is_absolute = true;
            }
        } else if is_sep(code) {
            // Possible UNC root; a leading separator makes it absolute either way.
            is_absolute = true;
            if is_sep(bytes[1]) {
                if let Some(unc) = match_unc(bytes) {
                    let first = slice(path, unc.first.0, unc.first.1);
                    if first != "." && first != "?" {
                        device = format!("\\\\{first}\\{}", slice(path, unc.share_start, unc.end));
                        root_end = unc.end;
                    } else {
                        // A device root such as \\.\PHYSICALDRIVE0.
                        device = format!("\\\\{first}");
                        root_end = 4;
                    }
                }
            } else {
                root_end = 1;
            }
        } else if is_device_root(code) && bytes[1] == COLON {
            device = slice(path, 0, 2).to_owned();
            root_end = 2;
            if len > 2 && is_sep(bytes[2]) {
                is_absolute = true;
                root_end = 3;
            }
        }

        if !device.is_empty() {
            if !resolved_device.is_empty() {
                if js_lower(&device) != js_lower(&resolved_device) {
                    // This path points to another device, so it does not apply.
                    continue;
                }
            } else {
                resolved_device = device;
            }
        }

        if resolved_absolute {
            if !resolved_device.is_empty() {
                break;
            }
        } else {
            // `path` is an argument (borrowed) or the current directory (owned here).
            tail_pieces.push(match usize::try_from(index) {
                Ok(k) => Cow::Borrowed(slice(args[k].as_ref(), root_end, len)),
                Err(_) => Cow::Owned(slice(path, root_end, len).to_owned()),
            });
            resolved_absolute = is_absolute;
            if is_absolute && !resolved_device.is_empty() {
                break;
            }
        }
    }

    let mut resolved_tail = String::with_capacity(tail_pieces.iter().map(|p| p.len() + 1).sum());
    for piece in tail_pieces.iter().rev() {
        resolved_tail.push_str(piece);
        resolved_tail.push('\\');
    }
    let tail = normalize_string(&resolved_tail, !resolved_absolute, '\\', is_sep);
    if resolved_absolute {
        format!("{resolved_device}\\{tail}")
    } else {
        let out = format!("{resolved_device}{tail}");
        if out.is_empty() { ".".to_owned() } else { out }
    }
}

/// Normalizes a path (Node's `path.win32.normalize`): resolves `.` and `..`, turns `/`
/// into `\`, squeezes separators, keeps a trailing separator, and keeps the result from
/// turning into something Windows would read as a drive or device (`.\` is prefixed then).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::normalize("C:\\temp\\\\foo\\bar\\..\\"), "C:\\temp\\foo\\");
/// assert_eq!(win32::normalize("//server/share"), "\\\\server\\share\\");
/// assert_eq!(win32::normalize("a/../c:/x"), ".\\c:\\x");
/// ```
pub fn normalize(path: &str) -> String {
    let bytes = path.as_bytes();
    let len = bytes.len();
    if len == 0 {
        return ".".to_owned();
    }
    let mut root_end = 0;
    let mut device: Option<String> = None;
    let mut is_absolute = false;
    let code = bytes[0];

    if len == 1 {
        return if code == b'/' {
            "\\".to_owned()
        } else {
            path.to_owned()
        };
    }
    if is_sep(code) {
        is_absolute = true;
        if is_sep(bytes[1]) {
            if let Some(unc) = match_unc(bytes) {
                let first = slice(path, unc.first.0, unc.first.1);
                if first == "." || first == "?" {
                    device = Some(format!("\\\\{first}"));
                    root_end = 4;
                } else if unc.end == len {
                    // A UNC root only: return it normalized.
                    return format!("\\\\{first}\\{}\\", slice(path, unc.share_start, len));
                } else {
                    device = Some(format!(
                        "\\\\{first}\\{}",
                        slice(path, unc.share_start, unc.end)
                    ));
                    root_end = unc.end;
                }
            }
        } else {
            root_end = 1;
        }
    } else if let Some(colon_index) = path.find(':').filter(|&i| i > 0) {
        if is_device_root(code) && colon_index == 1 {
            device = Some(slice(path, 0, 2).to_owned());
            root_end = 2;
            if len > 2 && is_sep(bytes[2]) {
                is_absolute = true;
                root_end = 3;
            }
        } else if is_windows_reserved_name(path, Some(colon_index)) {
            device = Some(slice(path, 0, colon_index + 1).to_owned());
            root_end = colon_index + 1;
        }
    }

    let mut tail = if root_end < len {
        normalize_string(slice(path, root_end, len), !is_absolute, '\\', is_sep)
    } else {
        String::new()
    };
    if tail.is_empty() && !is_absolute {
        tail = ".".to_owned();
    }
    if !tail.is_empty() && is_sep(bytes[len - 1]) {
        tail.push('\\');
    }
    if !is_absolute && device.is_none() && path.contains(':') {
        // The path was relative and had no device: keep `tail` from becoming something
        // Windows would read as absolute (CVE-2024-36139).
        let tb = tail.as_bytes();
        if tb.len() >= 2 && is_device_root(tb[0]) && tb[1] == COLON {
            return format!(".\\{tail}");
        }
        for (index, b) in bytes.iter().enumerate() {
            if *b == COLON && (index == len - 1 || is_sep(bytes[index + 1])) {
                return format!(".\\{tail}");
            }
        }
    }
    if is_windows_reserved_name(path, path.find(':')) {
        return format!(".\\{}{tail}", device.as_deref().unwrap_or(""));
    }
    match device {
        None if is_absolute => format!("\\{tail}"),
        None => tail,
        Some(d) if is_absolute => format!("{d}\\{tail}"),
        Some(d) => format!("{d}{tail}"),
    }
}

/// Whether the path is absolute (Node's `path.win32.isAbsolute`): it starts with a separator
/// or with a drive letter, a colon and a separator. `C:foo` is relative.
///
/// ```
/// use nodestd_path::win32;
/// assert!(win32::is_absolute("//server"));
/// assert!(win32::is_absolute("C:/foo/.."));
/// assert!(!win32::is_absolute("C:foo"));
/// assert!(!win32::is_absolute("bar\\baz"));
/// ```
pub fn is_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    match bytes.first() {
        None => false,
        Some(&code) => {
            is_sep(code)
                || (bytes.len() > 2
                    && is_device_root(code)
                    && bytes[1] == COLON
                    && is_sep(bytes[2]))
        }
    }
}

/// Joins the non-empty segments with `\` and normalizes the result (Node's
/// `path.win32.join`). Leading separators are squeezed to one unless the first segment
/// clearly names a UNC server (`\\server`).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::join(["C:\\foo", "bar", "..\\baz"]), "C:\\foo\\baz");
/// assert_eq!(win32::join(["//server", "share"]), "\\\\server\\share\\");
/// assert_eq!(win32::join(["//", "a"]), "\\a");
/// ```
pub fn join<I, S>(paths: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut joined = String::new();
    let mut first_part: Option<String> = None;
    for arg in paths {
        let arg = arg.as_ref();
        if arg.is_empty() {
            continue;
        }
        if first_part.is_none() {
            first_part = Some(arg.to_owned());
        } else {
            joined.push('\\');
        }
        joined.push_str(arg);
    }
    let Some(first_part) = first_part else {
        return ".".to_owned();
    };

    // Keep the joined path from starting with two separators, which normalize would read as
    // a UNC root, unless the first part clearly is one (two separators, then a non-separator).
    let fb = first_part.as_bytes();
    let mut needs_replace = true;
    let mut slash_count = 0;
    if is_sep(fb[0]) {
        slash_count += 1;
        if fb.len() > 1 && is_sep(fb[1]) {
            slash_count += 1;
            if fb.len() > 2 {
                if is_sep(fb[2]) {
                    slash_count += 1;
                } else {
                    needs_replace = false;
                }
            }
        }
    }
    if needs_replace {
        let jb = joined.as_bytes();
        while slash_count < jb.len() && is_sep(jb[slash_count]) {
            slash_count += 1;
        }
        if slash_count >= 2 {
            joined = format!("\\{}", slice(&joined, slash_count, joined.len()));
        }
    }
    normalize(&joined)
}

/// The relative path from `from` to `to`, both first resolved against the process's current
/// directory (Node's `path.win32.relative`). Comparison ignores case, as Windows does; the
/// result keeps the case of `to`. Paths on different roots give the resolved `to`.
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::relative("C:\\orandea\\test\\aaa", "C:\\orandea\\impl\\bbb"), "..\\..\\impl\\bbb");
/// assert_eq!(win32::relative("C:\\Foo", "c:\\foo\\Bar"), "Bar");
/// assert_eq!(win32::relative("C:\\a", "D:\\b"), "D:\\b");
/// ```
pub fn relative(from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    relative_impl(resolve([from]), resolve([to]))
}

/// [`relative`] with the current directory given explicitly (`cwd` plays `process.cwd()`).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::relative_from("C:\\work", "a", "b"), "..\\b");
/// ```
pub fn relative_from(cwd: &str, from: &str, to: &str) -> String {
    if from == to {
        return String::new();
    }
    relative_impl(resolve_from(cwd, [from]), resolve_from(cwd, [to]))
}

fn relative_impl(from_orig: String, to_orig: String) -> String {
    if from_orig == to_orig {
        return String::new();
    }
    let from = js_lower(&from_orig);
    let to = js_lower(&to_orig);
    if from == to {
        return String::new();
    }

    if js_len(&from_orig) != js_len(&from) || js_len(&to_orig) != js_len(&to) {
        // Lower-casing changed a length (e.g. `İ`), so the index walk below would go out of
        // step: compare segment by segment instead.
        let mut from_split: Vec<&str> = from_orig.split('\\').collect();
        let mut to_split: Vec<&str> = to_orig.split('\\').collect();
        if from_split.last() == Some(&"") {
            from_split.pop();
        }
        if to_split.last() == Some(&"") {
            to_split.pop();
        }
        let from_len = from_split.len();
        let to_len = to_split.len();
        let length = from_len.min(to_len);
        let mut i = 0;
        while i < length {
            if js_lower(from_split[i]) != js_lower(to_split[i]) {
                break;
            }
            i += 1;
        }
        if i == 0 {
            return to_orig;
        } else if i == length {
            if to_len > length {
                return to_split[i..].join("\\");
            }
            if from_len > length {
                return format!("{}..", "..\\".repeat(from_len - 1 - i));
            }
            return String::new();
        }
        return format!(
            "{}{}",
            "..\\".repeat(from_len - i),
            to_split[i..].join("\\")
        );
    }

    // Same lengths in UTF-16 code units: walk the three strings by code unit, as Node does.
    let f: Vec<u16> = from.encode_utf16().collect();
    let t: Vec<u16> = to.encode_utf16().collect();
    let to_o: Vec<u16> = to_orig.encode_utf16().collect();
    let bs = u16::from(BACKSLASH);

    // Trim leading backslashes, and trailing ones (UNC paths only have them).
    let mut from_start = 0;
    while from_start < f.len() && f[from_start] == bs {
        from_start += 1;
    }
    let mut from_end = f.len();
    while from_end > from_start + 1 && f[from_end - 1] == bs {
        from_end -= 1;
    }
    let from_len = from_end - from_start;

    let mut to_start = 0;
    while to_start < t.len() && t[to_start] == bs {
        to_start += 1;
    }
    let mut to_end = t.len();
    while to_end > to_start + 1 && t[to_end - 1] == bs {
        to_end -= 1;
    }
    let to_len = to_end - to_start;

    // Find the longest common path from the root.
    let length = from_len.min(to_len);
    let mut last_common_sep: isize = -1;
    let mut i = 0;
    while i < length {
        let from_code = f[from_start + i];
        if from_code != t[to_start + i] {
            break;
        } else if from_code == bs {
            last_common_sep = i as isize;
        }
        i += 1;
    }

    if i != length {
        // A mismatch before any common separator: the paths share no root.
        if last_common_sep == -1 {
            return to_orig;
        }
    } else {
        if to_len > length {
            if t[to_start + i] == bs {
                // `from` is the exact base path of `to`: from='C:\foo\bar'; to='C:\foo\bar\baz'.
                return slice16(&to_o, to_start + i + 1, to_o.len());
            }
            if i == 2 {
                // `from` is the device root: from='C:\'; to='C:\foo'.
                return slice16(&to_o, to_start + i, to_o.len());
            }
        }
        if from_len > length {
            if f[from_start + i] == bs {
                // `to` is the exact base path of `from`: from='C:\foo\bar'; to='C:\foo'.
                last_common_sep = i as isize;
            } else if i == 2 {
                // `to` is the device root: from='C:\foo\bar'; to='C:\'.
                last_common_sep = 3;
            }
        }
        if last_common_sep == -1 {
            last_common_sep = 0;
        }
    }

    let mut out = String::new();
    let mut k = from_start + last_common_sep as usize + 1;
    while k <= from_end {
        if k == from_end || f[k] == bs {
            out.push_str(if out.is_empty() { ".." } else { "\\.." });
        }
        k += 1;
    }

    let mut to_start = to_start + last_common_sep as usize;
    if !out.is_empty() {
        return out + &slice16(&to_o, to_start, to_end);
    }
    if to_o.get(to_start) == Some(&bs) {
        to_start += 1;
    }
    slice16(&to_o, to_start, to_end)
}

/// Node's `path.win32.toNamespacedPath`: the resolved path in the `\\?\` namespace
/// (`C:\a` → `\\?\C:\a`, `\\server\share\a` → `\\?\UNC\server\share\a`). The empty string,
/// and paths that resolve to two characters or fewer, come back unchanged.
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::to_namespaced_path("C:\\foo\\bar"), "\\\\?\\C:\\foo\\bar");
/// assert_eq!(win32::to_namespaced_path("\\\\server\\share\\x"), "\\\\?\\UNC\\server\\share\\x");
/// assert_eq!(win32::to_namespaced_path(""), "");
/// ```
pub fn to_namespaced_path(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    namespaced(path, resolve([path]))
}

/// [`to_namespaced_path`] with the current directory given explicitly (`cwd` plays
/// `process.cwd()`).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::to_namespaced_path_from("C:\\work", "a"), "\\\\?\\C:\\work\\a");
/// assert_eq!(win32::to_namespaced_path_from("/tmp/cwdfix", "a"), "\\tmp\\cwdfix\\a");
/// ```
pub fn to_namespaced_path_from(cwd: &str, path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    namespaced(path, resolve_from(cwd, [path]))
}

fn namespaced(path: &str, resolved: String) -> String {
    if js_len(&resolved) <= 2 {
        return path.to_owned();
    }
    let b = resolved.as_bytes();
    if b[0] == BACKSLASH {
        if at(b, 1) == Some(BACKSLASH) {
            let code = at(b, 2);
            if code != Some(b'?') && code != Some(DOT) {
                return format!("\\\\?\\UNC\\{}", slice(&resolved, 2, resolved.len()));
            }
        }
    } else if is_device_root(b[0]) && at(b, 1) == Some(COLON) && at(b, 2) == Some(BACKSLASH) {
        return format!("\\\\?\\{resolved}");
    }
    resolved
}

/// The directory part of a path (Node's `path.win32.dirname`), ignoring trailing
/// separators and never cutting into the root.
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::dirname("C:\\foo\\bar\\baz"), "C:\\foo\\bar");
/// assert_eq!(win32::dirname("C:\\foo"), "C:\\");
/// assert_eq!(win32::dirname("\\\\server\\share\\x"), "\\\\server\\share\\");
/// ```
pub fn dirname(path: &str) -> String {
    let bytes = path.as_bytes();
    let len = bytes.len();
    if len == 0 {
        return ".".to_owned();
    }
    let mut root_end: Option<usize> = None;
    let mut offset = 0;
    let code = bytes[0];

    if len == 1 {
        return if is_sep(code) { path } else { "." }.to_owned();
    }

    if is_sep(code) {
        root_end = Some(1);
        offset = 1;
        if is_sep(bytes[1]) {
            if let Some(unc) = match_unc(bytes) {
                if unc.end == len {
                    // A UNC root only.
                    return path.to_owned();
                }
                // Include the separator after the UNC root, as a "normal root" on top.
                root_end = Some(unc.end + 1);
                offset = unc.end + 1;
            }
        }
    } else if is_device_root(code) && bytes[1] == COLON {
        let end = if len > 2 && is_sep(bytes[2]) { 3 } else { 2 };
        root_end = Some(end);
        offset = end;
    }

    let mut end: Option<usize> = None;
    let mut matched_slash = true;
    let mut i = len;
    while i > offset {
        i -= 1;
        if is_sep(bytes[i]) {
            if !matched_slash {
                end = Some(i);
                break;
            }
        } else {
            matched_slash = false;
        }
    }
    let end = match (end, root_end) {
        (Some(e), _) => e,
        (None, None) => return ".".to_owned(),
        (None, Some(r)) => r,
    };
    slice(path, 0, end).to_owned()
}

/// The length of a `X:` drive prefix that `basename` and `extname` skip.
fn drive_prefix(bytes: &[u8]) -> usize {
    if bytes.len() >= 2 && is_device_root(bytes[0]) && bytes[1] == COLON {
        2
    } else {
        0
    }
}

/// The last portion of a path (Node's `path.win32.basename(path)`), ignoring trailing
/// separators and a drive prefix.
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::basename("C:\\foo.html"), "foo.html");
/// assert_eq!(win32::basename("C:foo"), "foo");
/// assert_eq!(win32::basename("\\dir\\"), "dir");
/// ```
pub fn basename(path: &str) -> String {
    basename_impl(path, drive_prefix(path.as_bytes()), None, is_sep)
}

/// Node's `path.win32.basename(path, suffix)`: the last portion with `suffix` removed when it
/// matches. The match is case-sensitive, as in Node (despite Windows).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::basename_without_suffix("C:\\foo.html", ".html"), "foo");
/// assert_eq!(win32::basename_without_suffix("C:\\foo.HTML", ".html"), "foo.HTML");
/// ```
pub fn basename_without_suffix(path: &str, suffix: &str) -> String {
    basename_impl(path, drive_prefix(path.as_bytes()), Some(suffix), is_sep)
}

/// The extension of the last portion of a path (Node's `path.win32.extname`).
///
/// ```
/// use nodestd_path::win32;
/// assert_eq!(win32::extname("C:\\a\\index.html"), ".html");
/// assert_eq!(win32::extname("C:.x"), "");
/// assert_eq!(win32::extname("file."), ".");
/// ```
pub fn extname(path: &str) -> String {
    let bytes = path.as_bytes();
    let start = drive_prefix(bytes);
    let lp = scan_last_part(bytes, start, start, is_sep);
    match (lp.has_ext, lp.start_dot, lp.end) {
        (true, Some(dot), Some(end)) => slice(path, dot, end).to_owned(),
        _ => String::new(),
    }
}

/// Splits a path into root, dir, base, ext and name (Node's `path.win32.parse`).
///
/// ```
/// use nodestd_path::{win32, ParsedPath};
/// assert_eq!(win32::parse("C:\\path\\dir\\file.txt"), ParsedPath {
///     root: "C:\\".into(),
///     dir: "C:\\path\\dir".into(),
///     base: "file.txt".into(),
///     ext: ".txt".into(),
///     name: "file".into(),
/// });
/// ```
pub fn parse(path: &str) -> ParsedPath {
    let mut ret = ParsedPath::default();
    let bytes = path.as_bytes();
    let len = bytes.len();
    if len == 0 {
        return ret;
    }
    let mut root_end = 0;
    let code = bytes[0];

    if len == 1 {
        if is_sep(code) {
            ret.root = path.to_owned();
            ret.dir = path.to_owned();
        } else {
            ret.base = path.to_owned();
            ret.name = path.to_owned();
        }
        return ret;
    }
    if is_sep(code) {
        root_end = 1;
        if is_sep(bytes[1]) {
            if let Some(unc) = match_unc(bytes) {
                root_end = if unc.end == len { unc.end } else { unc.end + 1 };
            }
        }
    } else if is_device_root(code) && bytes[1] == COLON {
        if len <= 2 {
            ret.root = path.to_owned();
            ret.dir = path.to_owned();
            return ret;
        }
        root_end = 2;
        if is_sep(bytes[2]) {
            if len == 3 {
                ret.root = path.to_owned();
                ret.dir = path.to_owned();
                return ret;
            }
            root_end = 3;
        }
    }
    if root_end > 0 {
        ret.root = slice(path, 0, root_end).to_owned();
    }

    let lp = scan_last_part(bytes, root_end, root_end, is_sep);
    if let Some(end) = lp.end {
        match lp.start_dot.filter(|_| lp.has_ext) {
            None => {
                ret.base = slice(path, lp.start_part, end).to_owned();
                ret.name = ret.base.clone();
            }
            Some(dot) => {
                ret.name = slice(path, lp.start_part, dot).to_owned();
                ret.base = slice(path, lp.start_part, end).to_owned();
                ret.ext = slice(path, dot, end).to_owned();
            }
        }
    }

    // A root directory keeps its trailing separator (`C:\abc` → `C:\`); others lose it.
    ret.dir = if lp.start_part > 0 && lp.start_part != root_end {
        slice(path, 0, lp.start_part - 1).to_owned()
    } else {
        ret.root.clone()
    };
    ret
}

/// Builds a path from its parts (Node's `path.win32.format`). `dir` wins over `root` and
/// `base` over `name` + `ext`; see [`PathObject`] for the rules.
///
/// ```
/// use nodestd_path::{win32, PathObject};
/// let p = PathObject { dir: Some("C:\\path\\dir"), base: Some("file.txt"), ..Default::default() };
/// assert_eq!(win32::format(p), "C:\\path\\dir\\file.txt");
/// let p = PathObject { root: Some("C:\\"), name: Some("file"), ext: Some(".txt"), ..Default::default() };
/// assert_eq!(win32::format(p), "C:\\file.txt");
/// ```
pub fn format<'a>(path_object: impl Into<PathObject<'a>>) -> String {
    crate::format_with(SEP, &path_object.into())
}
