//! `fs.rm`: Node v20's `rimraf` port (lstat, then unlink or a depth-first rmdir, retrying
//! busy directories `maxRetries` times).

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

/// `fs.rmSync(path, options)`.
///
/// # Errors
/// `ERR_FS_EISDIR` for a directory without `recursive`; the system errors of `lstat`,
/// `unlink` and `rmdir`.
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
    match crate::ops::rmdir_sync(p) {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "ENOTDIR" => Err(original.unwrap_or(e)),
        Err(e) if matches!(e.code(), "ENOTEMPTY" | "EEXIST" | "EPERM") => {
            for name in crate::dir::readdir_sync(p, Default::default())? {
                rimraf(&p.join(name), o)?;
            }
            retrying(p, o, |p| crate::ops::rmdir_sync(p))
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
    match crate::ops::rmdir_sync(p) {
        Ok(()) => Ok(()),
        Err(e) if matches!(e.code(), "ENOTEMPTY" | "EEXIST" | "EPERM") => {
            for name in crate::dir::readdir_sync(p, Default::default())? {
                rimraf_async(&p.join(name), o)?;
            }
            crate::ops::rmdir_sync(p)
        }
        Err(e) if e.code() == "ENOTDIR" => original.map_or(Ok(()), Err),
        Err(e) => Err(e),
    }
}
