//! `Path`/`OsStr` conveniences at the edge: the platform's `path` functions (posix on Unix,
//! win32 on Windows) taking `impl AsRef<Path>` and returning `PathBuf`/`OsString`, for code
//! that holds OS paths rather than strings.
//!
//! Node's `path` module works on strings only; a path that is not valid Unicode (which Node
//! could only hold as a `Buffer`) is refused with Node's `ERR_INVALID_ARG_TYPE`, never
//! converted lossily.
//!
//! ```
//! use std::path::{Path, PathBuf};
//! use nodestd_path::os;
//! # #[cfg(unix)] {
//! assert_eq!(os::join([Path::new("/a"), Path::new("../b")])?, PathBuf::from("/b"));
//! assert_eq!(os::extname(Path::new("x/y.tar.gz"))?, ".gz");
//! # }
//! # Ok::<(), nodestd_path::os::Error>(())
//! ```

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};

/// A path argument that is not valid Unicode: Node's `ERR_INVALID_ARG_TYPE`, as Node's
/// `path` functions throw for a `Buffer`.
///
/// ```
/// # #[cfg(unix)] {
/// use std::os::unix::ffi::OsStrExt;
/// use std::path::Path;
/// let bad = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xff"));
/// let err = nodestd_path::os::normalize(bad).unwrap_err();
/// assert_eq!(err.code(), "ERR_INVALID_ARG_TYPE");
/// assert_eq!(
///     err.to_string(),
///     "The \"path\" argument must be of type string. Received an instance of Buffer"
/// );
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    argument: String,
}

impl Error {
    fn new(argument: impl Into<String>) -> Error {
        Error {
            argument: argument.into(),
        }
    }

    /// Node's error code: `ERR_INVALID_ARG_TYPE`.
    pub fn code(&self) -> &'static str {
        "ERR_INVALID_ARG_TYPE"
    }

    /// The name Node gives the argument (`path`, `paths[1]`, `from`, `to`).
    pub fn argument(&self) -> &str {
        &self.argument
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "The \"{}\" argument must be of type string. Received an instance of Buffer",
            self.argument
        )
    }
}

impl std::error::Error for Error {}

fn text(path: &Path, argument: impl FnOnce() -> String) -> Result<&str, Error> {
    path.to_str().ok_or_else(|| Error::new(argument()))
}

fn texts<I, P>(paths: I, name: impl Fn(usize) -> String) -> Result<Vec<String>, Error>
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    paths
        .into_iter()
        .enumerate()
        .map(|(i, p)| text(p.as_ref(), || name(i)).map(str::to_owned))
        .collect()
}

/// [`join`](crate::join) for OS paths.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when a path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::join(["a", "b/../c"])?, std::path::PathBuf::from("a/c"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn join<I, P>(paths: I) -> Result<PathBuf, Error>
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    Ok(crate::join(texts(paths, |_| "path".to_owned())?).into())
}

/// [`resolve`](crate::resolve) for OS paths, against the process's current directory.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when a path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::resolve(["/a", "b"])?, std::path::PathBuf::from("/a/b"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn resolve<I, P>(paths: I) -> Result<PathBuf, Error>
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    Ok(crate::resolve(texts(paths, |i| format!("paths[{i}]"))?).into())
}

/// [`normalize`](crate::normalize) for an OS path.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::normalize("a//b/./c/..")?, std::path::PathBuf::from("a/b"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn normalize(path: impl AsRef<Path>) -> Result<PathBuf, Error> {
    Ok(crate::normalize(text(path.as_ref(), || "path".to_owned())?).into())
}

/// [`relative`](crate::relative) for OS paths.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when a path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::relative("/a/b", "/a/c/d")?, std::path::PathBuf::from("../c/d"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn relative(from: impl AsRef<Path>, to: impl AsRef<Path>) -> Result<PathBuf, Error> {
    let from = text(from.as_ref(), || "from".to_owned())?;
    let to = text(to.as_ref(), || "to".to_owned())?;
    Ok(crate::relative(from, to).into())
}

/// [`dirname`](crate::dirname) for an OS path.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::dirname("/a/b/")?, std::path::PathBuf::from("/a"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn dirname(path: impl AsRef<Path>) -> Result<PathBuf, Error> {
    Ok(crate::dirname(text(path.as_ref(), || "path".to_owned())?).into())
}

/// [`basename`](crate::basename) for an OS path.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// assert_eq!(nodestd_path::os::basename("a/b.txt")?, "b.txt");
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn basename(path: impl AsRef<Path>) -> Result<OsString, Error> {
    Ok(crate::basename(text(path.as_ref(), || "path".to_owned())?).into())
}

/// [`extname`](crate::extname) for an OS path.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// assert_eq!(nodestd_path::os::extname("a/b.txt")?, ".txt");
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn extname(path: impl AsRef<Path>) -> Result<OsString, Error> {
    Ok(crate::extname(text(path.as_ref(), || "path".to_owned())?).into())
}

/// [`is_absolute`](crate::is_absolute) for an OS path.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// assert!(!nodestd_path::os::is_absolute("a/b")?);
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn is_absolute(path: impl AsRef<Path>) -> Result<bool, Error> {
    Ok(crate::is_absolute(text(path.as_ref(), || {
        "path".to_owned()
    })?))
}

/// [`to_namespaced_path`](crate::to_namespaced_path) for an OS path: on Windows the
/// `\\?\` form of the resolved path, elsewhere the path unchanged.
///
/// # Errors
/// `ERR_INVALID_ARG_TYPE` when the path is not valid Unicode.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(nodestd_path::os::to_namespaced_path("a/b")?, std::path::PathBuf::from("a/b"));
/// # Ok::<(), nodestd_path::os::Error>(())
/// ```
pub fn to_namespaced_path(path: impl AsRef<Path>) -> Result<PathBuf, Error> {
    Ok(crate::to_namespaced_path(text(path.as_ref(), || "path".to_owned())?).into())
}
