//! Path operations: access, exists, chmod, chown, lchown, link, symlink, readlink, rename,
//! unlink, rmdir, truncate, utimes, lutimes, mkdir (with Node's recursive walk), mkdtemp and
//! realpath (Node's JavaScript walk, and `realpath.native`).

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, Mode, Timespec as RTimespec, Timestamps};

use crate::errors::{Error, Result, check_path, sys, sys2};

/// `fs.accessSync(path, mode)`: `mode` is `F_OK`, `R_OK`, `W_OK`, `X_OK` or'd.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::access_sync(&dir, 0)?; // F_OK: it exists
/// assert_eq!(fs::access_sync(dir.join("missing"), 0).unwrap_err().code(), "ENOENT");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// `ERR_OUT_OF_RANGE` (`mode is out of range: >= 0 && <= 7`) for another mode, as Node's
/// `GetValidMode` (see [`crate::validators::get_valid_access_mode`]); the system error of
/// `access` (`ENOENT`, `EACCES`, …).
#[doc(alias = "accessSync")]
pub fn access_sync(path: impl AsRef<Path>, mode: i32) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    let mode = crate::validators::check_access_mode(mode.into())?;
    let m = rustix::fs::Access::from_bits_retain(mode as u32);
    rustix::fs::access(p, m).map_err(|e| sys(e, "access", Some(p)))
}

/// `fs.existsSync(path)`: false for any failure.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// assert!(fs::exists_sync(&dir));
/// assert!(!fs::exists_sync(dir.join("missing")));
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
#[doc(alias = "existsSync")]
pub fn exists_sync(path: impl AsRef<Path>) -> bool {
    let p = path.as_ref();
    check_path("path", p).is_ok() && rustix::fs::access(p, rustix::fs::Access::EXISTS).is_ok()
}

/// `fs.chmodSync(path, mode)`.
///
/// # Errors
/// The system error of `chmod`.
#[doc(alias = "chmodSync")]
pub fn chmod_sync(path: impl AsRef<Path>, mode: u32) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::chmod(p, Mode::from_raw_mode(mode)).map_err(|e| sys(e, "chmod", Some(p)))
}

fn ids(uid: i64, gid: i64) -> (Option<rustix::fs::Uid>, Option<rustix::fs::Gid>) {
    let u = (uid >= 0).then(|| rustix::fs::Uid::from_raw(uid as u32));
    let g = (gid >= 0).then(|| rustix::fs::Gid::from_raw(gid as u32));
    (u, g)
}

/// `fs.chownSync(path, uid, gid)`; `-1` leaves an id unchanged.
///
/// # Errors
/// The system error of `chown`.
#[doc(alias = "chownSync")]
pub fn chown_sync(path: impl AsRef<Path>, uid: i64, gid: i64) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    let (u, g) = ids(uid, gid);
    rustix::fs::chown(p, u, g).map_err(|e| sys(e, "chown", Some(p)))
}

/// `fs.lchownSync(path, uid, gid)`: does not follow a final symbolic link.
///
/// # Errors
/// The system error of `lchown`.
#[doc(alias = "lchownSync")]
pub fn lchown_sync(path: impl AsRef<Path>, uid: i64, gid: i64) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    let (u, g) = ids(uid, gid);
    rustix::fs::chownat(CWD, p, u, g, AtFlags::SYMLINK_NOFOLLOW)
        .map_err(|e| sys(e, "lchown", Some(p)))
}

/// `fs.linkSync(existingPath, newPath)`.
///
/// # Errors
/// The system error of `link` (with `path` and `dest`).
#[doc(alias = "linkSync")]
pub fn link_sync(existing: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<()> {
    let (a, b) = (existing.as_ref(), new.as_ref());
    check_path("existingPath", a)?;
    check_path("newPath", b)?;
    rustix::fs::link(a, b).map_err(|e| sys2(e, "link", a, b))
}

/// `fs.symlinkSync(target, path)` (the `type` argument only matters on Windows).
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::symlink_sync("target.txt", dir.join("link"))?;
/// assert_eq!(fs::readlink_sync(dir.join("link"))?, std::path::Path::new("target.txt"));
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `symlink` (`path` is the target, `dest` the link, as in Node).
#[doc(alias = "symlinkSync")]
pub fn symlink_sync(target: impl AsRef<Path>, path: impl AsRef<Path>) -> Result<()> {
    let (a, b) = (target.as_ref(), path.as_ref());
    check_path("target", a)?;
    check_path("path", b)?;
    rustix::fs::symlink(a, b).map_err(|e| sys2(e, "symlink", a, b))
}

/// `fs.readlinkSync(path)`.
///
/// # Errors
/// The system error of `readlink` (`EINVAL` for a file that is not a link).
#[doc(alias = "readlinkSync")]
pub fn readlink_sync(path: impl AsRef<Path>) -> Result<PathBuf> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::readlink(p, Vec::new())
        .map(|c| PathBuf::from(OsString::from_vec(c.into_bytes())))
        .map_err(|e| sys(e, "readlink", Some(p)))
}

/// `fs.renameSync(oldPath, newPath)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::write_file_sync(dir.join("old"), "x", Default::default())?;
/// fs::rename_sync(dir.join("old"), dir.join("new"))?;
/// assert!(!fs::exists_sync(dir.join("old")) && fs::exists_sync(dir.join("new")));
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `rename` (with `path` and `dest`).
#[doc(alias = "renameSync")]
pub fn rename_sync(old: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<()> {
    let (a, b) = (old.as_ref(), new.as_ref());
    check_path("oldPath", a)?;
    check_path("newPath", b)?;
    rustix::fs::rename(a, b).map_err(|e| sys2(e, "rename", a, b))
}

/// `fs.unlinkSync(path)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let file = dir.join("f");
/// fs::write_file_sync(&file, "x", Default::default())?;
/// fs::unlink_sync(&file)?;
/// assert_eq!(fs::unlink_sync(&file).unwrap_err().code(), "ENOENT");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `unlink` (`EISDIR` for a directory on Linux).
#[doc(alias = "unlinkSync")]
pub fn unlink_sync(path: impl AsRef<Path>) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::unlink(p).map_err(|e| sys(e, "unlink", Some(p)))
}

/// The `rmdir` system call (what `fs.rmdirSync(path)` does without `recursive`).
pub(crate) fn rmdir_plain(path: impl AsRef<Path>) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::rmdir(p).map_err(|e| sys(e, "rmdir", Some(p)))
}

/// `fs.truncateSync(path, len)`; a negative length is 0, as in Node.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let file = dir.join("f");
/// fs::write_file_sync(&file, "abcdef", Default::default())?;
/// fs::truncate_sync(&file, 2)?;
/// assert_eq!(fs::read_file_sync(&file, Default::default())?, b"ab");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `open` or `ftruncate`.
#[doc(alias = "truncateSync")]
pub fn truncate_sync(path: impl AsRef<Path>, len: i64) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    // Node opens `r+` (read and write), so a write-only file is refused as in Node.
    let fd = rustix::fs::open(
        p,
        rustix::fs::OFlags::RDWR | rustix::fs::OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| sys(e, "open", Some(p)))?;
    rustix::fs::ftruncate(&fd, len.max(0) as u64).map_err(|e| sys(e, "ftruncate", None))
}

/// A time for `utimes`: Node takes seconds (a number, fractions allowed) or a Date.
pub(crate) fn timespec(secs: f64) -> RTimespec {
    let whole = secs.floor();
    RTimespec {
        tv_sec: whole as i64,
        tv_nsec: ((secs - whole) * 1e9) as _,
    }
}

pub(crate) fn timestamps(atime: f64, mtime: f64) -> Timestamps {
    Timestamps {
        last_access: timespec(atime),
        last_modification: timespec(mtime),
    }
}

/// `fs.utimesSync(path, atime, mtime)`, times in seconds since the epoch.
///
/// # Errors
/// The system error of `utime`.
#[doc(alias = "utimesSync")]
pub fn utimes_sync(path: impl AsRef<Path>, atime: f64, mtime: f64) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::utimensat(CWD, p, &timestamps(atime, mtime), AtFlags::empty())
        .map_err(|e| sys(e, "utime", Some(p)))
}

/// `fs.lutimesSync(path, atime, mtime)`: does not follow a final symbolic link.
///
/// # Errors
/// The system error of `lutime`.
#[doc(alias = "lutimesSync")]
pub fn lutimes_sync(path: impl AsRef<Path>, atime: f64, mtime: f64) -> Result<()> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::utimensat(CWD, p, &timestamps(atime, mtime), AtFlags::SYMLINK_NOFOLLOW)
        .map_err(|e| sys(e, "lutime", Some(p)))
}

/// `fs.mkdir` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MkdirOptions {
    /// `recursive` (default false).
    pub recursive: bool,
    /// `mode` (default `0o777`).
    pub mode: u32,
}

impl Default for MkdirOptions {
    fn default() -> Self {
        MkdirOptions {
            recursive: false,
            mode: 0o777,
        }
    }
}

/// `fs.mkdirSync(path, options)`. With `recursive`, returns the first directory created
/// (`None` when the directory already existed), as Node does.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let deep = dir.join("a/b/c");
/// // recursive: the first directory it created, as Node returns it
/// let first = fs::mkdir_sync(&deep, fs::MkdirOptions { recursive: true, ..Default::default() })?;
/// assert_eq!(first, Some(dir.join("a")));
/// assert_eq!(fs::mkdir_sync(&deep, Default::default()).unwrap_err().code(), "EEXIST");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `mkdir` (`EEXIST`, `ENOENT`, `ENOTDIR`, …), reported for `path`.
#[doc(alias = "mkdirSync")]
pub fn mkdir_sync(path: impl AsRef<Path>, options: MkdirOptions) -> Result<Option<PathBuf>> {
    let p = path.as_ref();
    check_path("path", p)?;
    let mode = Mode::from_raw_mode(options.mode);
    if !options.recursive {
        rustix::fs::mkdir(p, mode).map_err(|e| sys(e, "mkdir", Some(p)))?;
        return Ok(None);
    }
    mkdirp(p, mode, false).map_err(|(e, _)| sys(e, "mkdir", Some(p)))
}

/// `fs.mkdir`'s asynchronous form (Node's `MKDirpAsync`): its errors name the component
/// where the walk failed, and a component that cannot be stat'ed is `ENOTDIR`.
pub(crate) fn mkdir_async_core(p: &Path, options: MkdirOptions) -> Result<Option<PathBuf>> {
    check_path("path", p)?;
    let mode = Mode::from_raw_mode(options.mode);
    if !options.recursive {
        rustix::fs::mkdir(p, mode).map_err(|e| sys(e, "mkdir", Some(p)))?;
        return Ok(None);
    }
    mkdirp(p, mode, true).map_err(|(e, at)| sys(e, "mkdir", Some(&at)))
}

/// Node's `MKDirpSync` (src/node_file.cc): a stack of paths, the parent pushed on `ENOENT`,
/// and an existing non-directory is `EEXIST` (or `ENOTDIR` when more is left to create).
///
/// With `is_async` (`MKDirpAsync`), a failed `stat` of a component with more left to create
/// is `ENOTDIR`. The error comes with the path being created when it happened.
fn mkdirp(
    path: &Path,
    mode: Mode,
    is_async: bool,
) -> std::result::Result<Option<PathBuf>, (rustix::io::Errno, PathBuf)> {
    use rustix::io::Errno;
    let mut paths: Vec<Vec<u8>> = vec![path.as_os_str().as_bytes().to_vec()];
    let mut first: Option<PathBuf> = None;
    let bp = |v: &[u8]| PathBuf::from(OsString::from_vec(v.to_vec()));
    while let Some(next) = paths.pop() {
        let mut err = rustix::fs::mkdir(bp(&next), mode).err();
        loop {
            match err {
                None => {
                    if first.is_none() {
                        first = Some(bp(&next));
                    }
                }
                Some(e @ (Errno::ACCESS | Errno::NOSPC | Errno::NOTDIR | Errno::PERM)) => {
                    return Err((e, bp(&next)));
                }
                Some(Errno::NOENT) => {
                    let dirname = match next.iter().rposition(|b| *b == b'/') {
                        Some(i) => next[..i].to_vec(),
                        None => next.clone(),
                    };
                    if dirname != next {
                        paths.push(next.clone());
                        paths.push(dirname);
                    } else if paths.is_empty() {
                        err = Some(Errno::EXIST);
                        continue;
                    }
                }
                Some(orig) => match rustix::fs::stat(bp(&next)) {
                    Ok(st) if st.st_mode & 0o170000 != 0o040000 => {
                        let e = if orig == Errno::EXIST && !paths.is_empty() {
                            Errno::NOTDIR
                        } else {
                            Errno::EXIST
                        };
                        return Err((e, bp(&next)));
                    }
                    Ok(_) => {}
                    Err(_) if is_async && orig == Errno::EXIST && !paths.is_empty() => {
                        return Err((Errno::NOTDIR, bp(&next)));
                    }
                    Err(e) => return Err((e, bp(&next))),
                },
            }
            break;
        }
    }
    Ok(first)
}

/// `fs.mkdtempSync(prefix)`: creates `prefix` + six random characters (mode `0o700`).
///
/// ```
/// let dir = nodestd_fs::mkdtemp_sync(std::env::temp_dir().join("app-"))?;
/// // six random characters after the prefix, as Node's
/// assert_eq!(dir.file_name().unwrap().len(), "app-".len() + 6);
/// nodestd_fs::rm_sync(&dir, nodestd_fs::RmOptions { recursive: true, ..Default::default() })?;
/// # Ok::<(), nodestd_fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `mkdtemp`, reported for `prefixXXXXXX` as libuv does.
#[doc(alias = "mkdtempSync")]
pub fn mkdtemp_sync(prefix: impl AsRef<Path>) -> Result<PathBuf> {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let prefix = prefix.as_ref();
    check_path("prefix", prefix)?;
    let mut templ = prefix.as_os_str().to_owned();
    templ.push("XXXXXX");
    for _ in 0..100 {
        let mut rnd = [0u8; 6];
        rustix::rand::getrandom(&mut rnd, rustix::rand::GetRandomFlags::empty())
            .map_err(|e| sys(e, "mkdtemp", Some(Path::new(&templ))))?;
        let mut name = prefix.as_os_str().as_bytes().to_vec();
        name.extend(rnd.iter().map(|b| CHARS[usize::from(*b) % CHARS.len()]));
        let path = PathBuf::from(OsString::from_vec(name));
        match rustix::fs::mkdir(&path, Mode::from_raw_mode(0o700)) {
            Ok(()) => return Ok(path),
            Err(rustix::io::Errno::EXIST) => continue,
            Err(e) => return Err(sys(e, "mkdtemp", Some(Path::new(&templ)))),
        }
    }
    Err(Error::from_errno(
        17,
        "mkdtemp",
        Some(Path::new(&templ)),
        None,
    ))
}

/// `fs.realpathSync.native(path)`: the C library's `realpath`.
///
/// # Errors
/// The system error of `realpath`.
#[doc(alias = "native")]
pub fn realpath_native_sync(path: impl AsRef<Path>) -> Result<PathBuf> {
    let p = path.as_ref();
    check_path("path", p)?;
    std::fs::canonicalize(p).map_err(|e| Error::from_io(&e, "realpath", Some(p), None))
}

/// Node's `path.resolve` against the current directory, for the realpath walk.
pub(crate) fn resolve(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let mut parts: Vec<&[u8]> = Vec::new();
    for seg in joined.as_os_str().as_bytes().split(|b| *b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = Vec::new();
    for s in parts {
        out.push(b'/');
        out.extend_from_slice(s);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    PathBuf::from(OsString::from_vec(out))
}

pub(crate) fn cwd() -> Result<PathBuf> {
    std::env::current_dir().map_err(|e| Error::from_io(&e, "uv_cwd", None, None))
}

/// `fs.realpathSync(path)`: Node's JavaScript walk (lstat each component, follow links with
/// `stat` and `readlink`), so its errors name `lstat`/`stat` and the absolute path.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::mkdir_sync(dir.join("real"), Default::default())?;
/// fs::symlink_sync(dir.join("real"), dir.join("link"))?;
/// assert_eq!(fs::realpath_sync(dir.join("link"))?, fs::realpath_sync(dir.join("real"))?);
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of the `lstat`, `stat` or `readlink` that failed.
#[doc(alias = "realpathSync")]
pub fn realpath_sync(path: impl AsRef<Path>) -> Result<PathBuf> {
    let p0 = path.as_ref();
    check_path("path", p0)?;
    let mut p: Vec<u8> = resolve(&cwd()?, p0).into_os_string().into_vec();
    let mut seen = std::collections::HashMap::<(u64, u64), Vec<u8>>::new();
    let mut known_hard = std::collections::HashSet::<Vec<u8>>::new();
    let mut current: Vec<u8> = b"/".to_vec();
    let mut pos = 1usize;
    let bp = |v: &[u8]| PathBuf::from(OsString::from_vec(v.to_vec()));
    while pos < p.len() {
        let previous = current.clone();
        let base;
        match p[pos..].iter().position(|b| *b == b'/') {
            None => {
                let last = p[pos..].to_vec();
                current.extend_from_slice(&last);
                let mut b = previous.clone();
                b.extend_from_slice(&last);
                base = b;
                pos = p.len();
            }
            Some(i) => {
                let r = pos + i;
                current.extend_from_slice(&p[pos..=r]);
                let mut b = previous.clone();
                b.extend_from_slice(&p[pos..r]);
                base = b;
                pos = r + 1;
            }
        }
        if known_hard.contains(&base) {
            continue;
        }
        let basep = bp(&base);
        let st = rustix::fs::lstat(&basep).map_err(|e| sys(e, "lstat", Some(&basep)))?;
        if st.st_mode & 0o170000 != 0o120000 {
            known_hard.insert(base);
            continue;
        }
        let id = (st.st_dev, st.st_ino);
        let target = match seen.get(&id) {
            Some(t) => t.clone(),
            None => {
                rustix::fs::stat(&basep).map_err(|e| sys(e, "stat", Some(&basep)))?;
                let t = rustix::fs::readlink(&basep, Vec::new())
                    .map_err(|e| sys(e, "readlink", Some(&basep)))?
                    .into_bytes();
                seen.insert(id, t.clone());
                t
            }
        };
        let resolved = resolve(&bp(&previous), &bp(&target));
        let rest = bp(&p[pos.min(p.len())..]);
        p = resolve(&resolved, &rest).into_os_string().into_vec();
        current = b"/".to_vec();
        pos = 1;
    }
    Ok(bp(&p))
}
