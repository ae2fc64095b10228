//! `fs.rm`: Node v20's `rimraf` port (lstat, then unlink or a depth-first rmdir, retrying
//! busy directories `maxRetries` times).

use std::path::Path;

use crate::errors::{Error, Result, check_path};

/// `fs.rm` options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RmOptions {
    /// `recursive`: remove directories and their contents.
    pub recursive: bool,
    /// `force`: a missing path is not an error.
    pub force: bool,
    /// `maxRetries` on `EBUSY`, `EMFILE`, `ENFILE`, `ENOTEMPTY`, `EPERM`.
    pub max_retries: u32,
    /// `retryDelay` in ms (default 100 in Node; 0 here means 100).
    pub retry_delay: u64,
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

fn rimraf(p: &Path, o: &RmOptions) -> Result<()> {
    let st = match crate::stat::lstat_sync(p) {
        Ok(s) => s,
        Err(e) if e.code() == "ENOENT" => return Ok(()),
        Err(e) => return Err(e),
    };
    let r = if st.is_directory() {
        rmdir_tree(p, o, None)
    } else {
        crate::ops::unlink_sync(p)
    };
    match r {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "EPERM" || e.code() == "EISDIR" => rmdir_tree(p, o, Some(e)),
        Err(e) => Err(e),
    }
}

fn rmdir_tree(p: &Path, o: &RmOptions, original: Option<Error>) -> Result<()> {
    match crate::ops::rmdir_sync(p) {
        Ok(()) => Ok(()),
        Err(e) if e.code() == "ENOENT" => Ok(()),
        Err(e) if e.code() == "ENOTDIR" => Err(original.unwrap_or(e)),
        Err(e) if matches!(e.code(), "ENOTEMPTY" | "EEXIST" | "EPERM") => {
            for name in crate::dir::readdir_sync(p, Default::default())? {
                rimraf(&p.join(name), o)?;
            }
            let mut tries = 0;
            loop {
                match crate::ops::rmdir_sync(p) {
                    Ok(()) => return Ok(()),
                    Err(e) if e.code() == "ENOENT" => return Ok(()),
                    Err(e)
                        if tries < o.max_retries
                            && matches!(
                                e.code(),
                                "EBUSY" | "EMFILE" | "ENFILE" | "ENOTEMPTY" | "EPERM"
                            ) =>
                    {
                        tries += 1;
                        let d = if o.retry_delay == 0 {
                            100
                        } else {
                            o.retry_delay
                        };
                        std::thread::sleep(std::time::Duration::from_millis(d * u64::from(tries)));
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Err(e) => Err(e),
    }
}
