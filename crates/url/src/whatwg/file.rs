//! `url.fileURLToPath` and `url.pathToFileURL` with Node's POSIX rules, and JavaScript's
//! `decodeURIComponent`, which both helpers rely on.

use super::url_class::URL;
use crate::{Error, ErrorKind};

/// `url.fileURLToPath(url)` on POSIX: the file path a `file:` URL names.
///
/// ```
/// use nodestd_url::file_url_to_path;
/// assert_eq!(file_url_to_path("file:///tmp/a%20b")?, "/tmp/a b");
/// assert_eq!(file_url_to_path("file://localhost/x?y#z")?, "/x");
/// assert_eq!(file_url_to_path("http://x/").unwrap_err().code(), "ERR_INVALID_URL_SCHEME");
/// # Ok::<(), nodestd_url::Error>(())
/// ```
///
/// # Errors
/// - `ERR_INVALID_URL` when `url` does not parse;
/// - `ERR_INVALID_URL_SCHEME` when it is not a `file:` URL;
/// - `ERR_INVALID_FILE_URL_HOST` when it has a host other than `localhost`;
/// - `ERR_INVALID_FILE_URL_PATH` when the path holds an encoded `/` (`%2F`);
/// - `URIError` when the path holds a percent-encoding that is not UTF-8.
#[doc(alias = "fileURLToPath")]
pub fn file_url_to_path(url: &str) -> Result<String, Error> {
    URL::parse(url, None)?.to_file_path()
}

impl URL {
    /// `url.fileURLToPath(url)` for a parsed URL: see [`file_url_to_path`].
    ///
    /// # Errors
    /// As [`file_url_to_path`], except `ERR_INVALID_URL`.
    #[doc(alias = "fileURLToPath")]
    pub fn to_file_path(&self) -> Result<String, Error> {
        if !self.is_file() {
            return Err(Error::new(
                ErrorKind::InvalidUrlScheme,
                "The URL must be of scheme file",
            ));
        }
        file_path_posix(self.hostname(), self.pathname())
    }
}

/// Node's `getPathFromURLPosix`, on the `hostname` and `pathname` strings of a `file:` URL.
pub(crate) fn file_path_posix(hostname: &str, pathname: &str) -> Result<String, Error> {
    if !hostname.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidFileUrlHost,
            format!(
                "File URL host must be \"localhost\" or empty on {}",
                node_platform()
            ),
        ));
    }
    let bytes = pathname.as_bytes();
    for (n, &b) in bytes.iter().enumerate() {
        if b == b'%'
            && bytes.get(n + 1) == Some(&b'2')
            && bytes.get(n + 2).is_some_and(|c| c | 0x20 == b'f')
        {
            return Err(Error::new(
                ErrorKind::InvalidFileUrlPath,
                "File URL path must not include encoded / characters",
            ));
        }
    }
    decode_uri_component(pathname)
}

/// Node's `process.platform` for this target.
fn node_platform() -> &'static str {
    match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    }
}

/// `url.pathToFileURL(path)` on POSIX: `path` resolved against the current directory (with a
/// trailing `/` kept), with Node's percent-encoding of `%`, `\`, tab, newline, CR and the
/// other characters Node escapes.
///
/// ```
/// use nodestd_url::path_to_file_url;
/// assert_eq!(path_to_file_url("/tmp/a b#c/").href(), "file:///tmp/a%20b%23c/");
/// ```
#[doc(alias = "pathToFileURL")]
pub fn path_to_file_url(path: &str) -> URL {
    let mut resolved = nodestd_path::posix::resolve([path]);
    if !resolved.starts_with('/') {
        // The current directory could not be read (Node would throw): resolve against "/".
        resolved = nodestd_path::posix::resolve_from("/", [resolved]);
    }
    file_url_of_resolved(path, resolved)
}

/// [`path_to_file_url`] with `cwd` standing for the current directory.
///
/// ```
/// use nodestd_url::path_to_file_url_from;
/// let url = path_to_file_url_from("/home/me", "../x%y\\z");
/// assert_eq!(url.href(), "file:///home/x%25y%5Cz");
/// ```
pub fn path_to_file_url_from(cwd: &str, path: &str) -> URL {
    let mut resolved = nodestd_path::posix::resolve_from(cwd, [path]);
    if !resolved.starts_with('/') {
        // A relative `cwd`: Node's `process.cwd()` is always absolute.
        resolved = nodestd_path::posix::resolve_from("/", [resolved]);
    }
    file_url_of_resolved(path, resolved)
}

/// The URL of `path` once resolved: Node's trailing-slash rule and `encodePathChars`.
fn file_url_of_resolved(path: &str, mut resolved: String) -> URL {
    if path.ends_with('/') && !resolved.ends_with('/') {
        resolved.push('/');
    }
    let href = format!("file://{}", encode_path_chars(&resolved));
    match URL::parse(&href, None) {
        Ok(url) => url,
        // A "file://" followed by an absolute path always parses; keep the no-panic promise
        // anyway by building the URL through the pathname setter.
        Err(_) => {
            let mut url = unreachable_url();
            url.set_pathname(&encode_path_chars(&resolved));
            url
        }
    }
}

#[cold]
fn unreachable_url() -> URL {
    // "file:///" is a constant that always parses.
    URL::parse("file:///", None).expect("file:/// is a valid URL")
}

/// Node's `encodePathChars` for POSIX: the characters the URL parser would not escape by
/// itself (or would strip) in a path.
fn encode_path_chars(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\t' => out.push_str("%09"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '[' => out.push_str("%5B"),
            '\\' => out.push_str("%5C"),
            ']' => out.push_str("%5D"),
            '^' => out.push_str("%5E"),
            '|' => out.push_str("%7C"),
            '~' => out.push_str("%7E"),
            c => out.push(c),
        }
    }
    out
}

/// JavaScript's `decodeURIComponent`: every `%XX` is decoded, and the bytes must form UTF-8.
///
/// # Errors
/// `URIError` ("URI malformed") for a `%` not followed by two hex digits, or bytes that are
/// not UTF-8 (including encoded surrogates).
pub(crate) fn decode_uri_component(s: &str) -> Result<String, Error> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let malformed = || Error::new(ErrorKind::UriError, "URI malformed");
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = bytes
                .get(i + 1)
                .and_then(|&b| hex(b))
                .ok_or_else(malformed)?;
            let lo = bytes
                .get(i + 2)
                .and_then(|&b| hex(b))
                .ok_or_else(malformed)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| malformed())
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}
