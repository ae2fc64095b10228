//! `fs.rm`: Node v20's `rimraf` port (lstat, then unlink or a depth-first rmdir, retrying
//! busy directories `maxRetries` times), and `fs.rmdir` with its deprecated `recursive`
//! option (DEP0147), which runs the same rimraf.

use std::path::Path;

use crate::errors::{Error, Result, check_path};

/// `fs.rm` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RmOptions {
    /// `recursive`: remove directories and their contents.
    pub recursive: bool,
    /// `force`: a missing path is not an error.
    pub force: bool,
    /// `maxRetries` on `EBUSY`, `EMFILE`, `ENFILE`, `ENOTEMPTY`, `EPERM`.
    pub max_retries: u32,
    /// `retryDelay` in ms between retries (Node's default is 100; `Default` gives 100).
    pub retry_delay: u64,
}

impl Default for RmOptions {
    fn default() -> Self {
        RmOptions {
            recursive: false,
            force: false,
            max_retries: 0,
            retry_delay: 100,
        }
    }
}

/// `fs.rmdir` options (Node's `validateRmdirOptions`: `recursive` is deprecated, DEP0147).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RmdirOptions {
    /// `recursive`: remove the directory and its contents, as `rm` does (emits DEP0147 once).
    pub recursive: bool,
    /// `maxRetries` (with `recursive`), as [`RmOptions::max_retries`].
    pub max_retries: u32,
    /// `retryDelay` in ms (with `recursive`; Node's default is 100, as `Default` gives).
    pub retry_delay: u64,
}

impl Default for RmdirOptions {
    fn default() -> Self {
        RmdirOptions {
            recursive: false,
            max_retries: 0,
            retry_delay: 100,
        }
    }
}

impl RmdirOptions {
    fn rm(self) -> RmOptions {
        RmOptions {
            recursive: true,
            force: false,
            max_retries: self.max_retries,
            retry_delay: self.retry_delay,
        }
    }
}

/// How each form of `rmdir` looks at the path before a recursive removal: `rmdirSync` and
/// `fs.rmdir` lstat it (`validateRmOptions`), `fsPromises.rmdir` stats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RmdirForm {
    Sync,
    Callback,
    Promise,
}

/// `fs.rmdirSync(path, options)`: the `rmdir` system call; with `recursive` (deprecated:
/// DEP0147 is emitted once, see [`crate::set_warning_hook`]) the path is lstat'ed and a
/// directory is removed with its contents as [`rm_sync`] does, anything else goes to
/// `rmdir` (`ENOTDIR`).
///
/// # Errors
/// The system error of `rmdir` (`ENOTEMPTY`, `ENOTDIR`, …); with `recursive`, of `lstat`
/// (`ENOENT … lstat 'nope'`) and of the removal.
#[doc(alias = "rmdirSync")]
pub fn rmdir_sync(path: impl AsRef<Path>, options: RmdirOptions) -> Result<()> {
    rmdir_form(path.as_ref(), options, RmdirForm::Sync)
}

/// The three forms of `rmdir` (see [`RmdirForm`]); the callback and promise forms remove
/// with the asynchronous rimraf.
pub(crate) fn rmdir_form(p: &Path, options: RmdirOptions, form: RmdirForm) -> Result<()> {
    check_path("path", p)?;
    if options.recursive {
        crate::emit_rmdir_recursive_warning();
        let st = match form {
            RmdirForm::Promise => crate::stat::stat_sync(p)?,
            _ => crate::stat::lstat_sync(p)?,
        };
        if st.is_directory() {
            let o = options.rm();
            return match form {
                RmdirForm::Sync => rimraf(p, &o),
                _ => rimraf_async(p, &o),
            };
        }
    }
    crate::ops::rmdir_plain(p)
}

/// Node emits DEP0147 when `rmdir` is called (after the path is validated), not when the
/// work runs: the callback and promise forms call this on the caller's thread.
pub(crate) fn warn_at_call(p: &Path, options: RmdirOptions) {
    if options.recursive && check_path("path", p).is_ok() {
        crate::emit_rmdir_recursive_warning();
    }
}

/// `fs.rmSync(path, options)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::mkdir_sync(dir.join("tree/sub"), fs::MkdirOptions { recursive: true, ..Default::default() })?;
/// let e = fs::rm_sync(dir.join("tree"), Default::default()).unwrap_err();
/// assert_eq!(e.code(), "ERR_FS_EISDIR"); // a directory needs recursive: true
/// fs::rm_sync(dir.join("tree"), fs::RmOptions { recursive: true, ..Default::default() })?;
/// assert!(!fs::exists_sync(dir.join("tree")));
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// `ERR_FS_EISDIR` for a directory without `recursive`; the system errors of `lstat`,
/// `unlink` and `rmdir`.
#[doc(alias = "rmSync")]
pub fn rm_sync(path: impl AsRef<Path>, options: RmOptions) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    if !options.force || !options.recursive {
        match crate::stat::lstat_sync(p) {
            Ok(st) if st.is_directory() && !options.recursive => {
                return Err(Error::system_node(
                    "ERR_FS_EISDIR",
                    "Path is a directory",
                    "rm",
                    "EISDIR",
                    21,
                    "is a directory",
                    p,
                ));
            }
            Ok(_) => {}
            Err(e) if options.force && e.code() == "ENOENT" => return Ok(()),
            Err(e) => return Err(e),
        }
    }
    rimraf(p, &options)
}

/// `rimrafSync` (lib/internal/fs/rimraf.js): lstat, then unlink or rmdir; a failed lstat
/// that is not `ENOENT` falls through to `unlink`, whose error is the one reported.
fn rimraf(p: &Path, o: &RmOptions) -> Result<()> {
    let st = match crate::stat::lstat_sync(p) {
        Ok(s) => Some(s),
        Err(e) if e.code() == "ENOENT" => return Ok(()),
        Err(_) => None,
    };
    let r = if st.is_some_and(|s| s.is_directory()) {
        rmdir_tree(p, o, None)
    } else {
        unlink_retrying(p, o)
    };
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "EPERM" || e.code() == "EISDIR" => rmdir_tree(p, o, Some(e)),
        Err(e) => Err(e),
    }
}

const RETRY_CODES: [&str; 5] = ["EBUSY", "EMFILE", "ENFILE", "ENOTEMPTY", "EPERM"];

fn sleep_ms(ms: u64) {
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

/// Node's `_unlinkSync`: `maxRetries + 1` tries, sleeping `i * retryDelay` between them.
fn unlink_retrying(p: &Path, o: &RmOptions) -> Result<()> {
    retrying(p, o, |p| crate::ops::unlink_sync(p))
}

/// The retry loop Node's `_unlinkSync` and `_rmdirSync` share: `op` up to `maxRetries + 1`
/// times, sleeping `i * retryDelay` after a retryable error; a missing path is success.
fn retrying(p: &Path, o: &RmOptions, op: impl Fn(&Path) -> Result<()>) -> Result<()> {
    let tries = o.max_retries + 1;
    let mut i = 1;
    loop {
        match op(p) {
            Ok(()) => return Ok(()),
            Err(e) if RETRY_CODES.contains(&e.code()) && i < tries && o.retry_delay > 0 => {
                sleep_ms(u64::from(i) * o.retry_delay);
            }
            Err(e) if e.code() == "ENOENT" => return Ok(()),
            Err(e) if i >= tries => return Err(e),
            Err(_) => {}
        }
        i += 1;
    }
}

/// Node's `_rmdirSync`.
fn rmdir_tree(p: &Path, o: &RmOptions, original: Option<Error>) -> Result<()> {
    match crate::ops::rmdir_plain(p) {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "ENOTDIR" => Err(original.unwrap_or(e)),
        Err(e) if matches!(e.code(), "ENOTEMPTY" | "EEXIST" | "EPERM") => {
            for name in crate::dir::readdir_sync(p, Default::default())? {
                rimraf(&p.join(name), o)?;
            }
            retrying(p, o, |p| crate::ops::rmdir_plain(p))
        }
        Err(e) => Err(e),
    }
}

/// `fs.rm`/`fsPromises.rm` (the asynchronous rimraf of lib/internal/fs/rimraf.js): the path
/// is always lstat'ed first (`validateRmOptions`); a retryable failure of the whole removal
/// is retried `maxRetries` times.
pub(crate) fn rm_async_core(p: &Path, o: RmOptions) -> Result<()> {
    check_path("path", p)?;
    match crate::stat::lstat_sync(p) {
        Err(e) if o.force && e.code() == "ENOENT" => {}
        Err(e) => return Err(e),
        Ok(st) if st.is_directory() && !o.recursive => {
            return Err(Error::system_node(
                "ERR_FS_EISDIR",
                "Path is a directory",
                "rm",
                "EISDIR",
                21,
                "is a directory",
                p,
            ));
        }
        Ok(_) => {}
    }
    rimraf_async(p, &o)
}

fn rimraf_async(p: &Path, o: &RmOptions) -> Result<()> {
    let mut retries = 0;
    loop {
        match rimraf_async_once(p, o) {
            Err(e) if RETRY_CODES.contains(&e.code()) && retries < o.max_retries => {
                retries += 1;
                sleep_ms(u64::from(retries) * o.retry_delay);
            }
            Err(e) if e.code() == "ENOENT" => return Ok(()),
            r => return r,
        }
    }
}

fn rimraf_async_once(p: &Path, o: &RmOptions) -> Result<()> {
    match crate::stat::lstat_sync(p) {
        Err(e) if e.code() == "ENOENT" => return Ok(()),
        Ok(st) if st.is_directory() => return rmdir_async(p, o, None),
        _ => {}
    }
    match crate::ops::unlink_sync(p) {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "EISDIR" || e.code() == "EPERM" => rmdir_async(p, o, Some(e)),
        Err(e) => Err(e),
    }
}

fn rmdir_async(p: &Path, o: &RmOptions, original: Option<Error>) -> Result<()> {
    match crate::ops::rmdir_plain(p) {
        Ok(()) => Ok(()),
        Err(e) if matches!(e.code(), "ENOTEMPTY" | "EEXIST" | "EPERM") => {
            for name in crate::dir::readdir_sync(p, Default::default())? {
                rimraf_async(&p.join(name), o)?;
            }
            crate::ops::rmdir_plain(p)
        }
        Err(e) if e.code() == "ENOTDIR" => original.map_or(Ok(()), Err),
        Err(e) => Err(e),
    }
}
