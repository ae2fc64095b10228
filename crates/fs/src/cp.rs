//! `fs.cp`: a port of Node v20's `lib/internal/fs/cp/cp-sync.js` (the same checks, in the
//! same order, with the same `ERR_FS_CP_*` errors).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::errors::{Error, Result, check_path};
use crate::stat::Stats;

/// A `filter(src, dest)` callback: false skips the item (and a directory's contents).
pub type CpFilter = Arc<dyn Fn(&Path, &Path) -> bool + Send + Sync>;

/// `fs.cp` options.
#[derive(Clone)]
pub struct CpOptions {
    /// `recursive` (default false): copy directories.
    pub recursive: bool,
    /// `force` (default true): overwrite existing files.
    pub force: bool,
    /// `errorOnExist` (default false): with `force` false, an existing file is an error.
    pub error_on_exist: bool,
    /// `dereference` (default false): follow symbolic links in `src`.
    pub dereference: bool,
    /// `preserveTimestamps` (default false).
    pub preserve_timestamps: bool,
    /// `verbatimSymlinks` (default false): copy link targets unresolved.
    pub verbatim_symlinks: bool,
    /// `mode`: [`crate::copy_file_sync`]'s flags.
    pub mode: i32,
    /// `filter`.
    pub filter: Option<CpFilter>,
}

/// The options with the errno that tells `cpSync` from `cp` apart.
struct Opts {
    o: CpOptions,
    /// Node's asynchronous `cp` (lib/internal/fs/cp/cp.js) rather than `cpSync`.
    is_async: bool,
}

impl std::ops::Deref for Opts {
    type Target = CpOptions;
    fn deref(&self) -> &CpOptions {
        &self.o
    }
}

impl Default for CpOptions {
    fn default() -> Self {
        CpOptions {
            recursive: false,
            force: true,
            error_on_exist: false,
            dereference: false,
            preserve_timestamps: false,
            verbatim_symlinks: false,
            mode: 0,
            filter: None,
        }
    }
}

impl std::fmt::Debug for CpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CpOptions")
            .field("recursive", &self.recursive)
            .field("force", &self.force)
            .field("error_on_exist", &self.error_on_exist)
            .field("dereference", &self.dereference)
            .field("preserve_timestamps", &self.preserve_timestamps)
            .field("filter", &self.filter.is_some())
            .finish()
    }
}

fn cp_err(code: &str, prefix: &str, uv: &str, errno: i32, msg: String, path: &Path) -> Error {
    Error::system_node(code, prefix, "cp", uv, errno, &msg, path)
}

fn einval(msg: String, path: &Path) -> Error {
    cp_err(
        "ERR_FS_CP_EINVAL",
        "Invalid src or dest",
        "EINVAL",
        22,
        msg,
        path,
    )
}

fn d(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `fs.cpSync(src, dest, options)`.
///
/// # Errors
/// `ERR_OUT_OF_RANGE` for a `mode` outside `0..=7` and `ERR_INCOMPATIBLE_OPTION_PAIR` for
/// `dereference` with `verbatimSymlinks` (both before the disk is touched);
/// `ERR_FS_CP_EINVAL`, `ERR_FS_CP_DIR_TO_NON_DIR`, `ERR_FS_CP_NON_DIR_TO_DIR`,
/// `ERR_FS_EISDIR`, `ERR_FS_CP_EEXIST` …, and the system errors of the calls made.
#[doc(alias = "cpSync")]
pub fn cp_sync(src: impl AsRef<Path>, dest: impl AsRef<Path>, options: CpOptions) -> Result<()> {
    cp_core(src.as_ref(), dest.as_ref(), options, false)
}

/// Node's asynchronous `cp` (`lib/internal/fs/cp/cp.js`). It differs from `cpSync` in small
/// ways, kept here: a directory without `recursive` reports errno `EISDIR` (21, not 22); the
/// destination's parent is checked with `stat` (whose errors other than `ENOENT` are
/// reported) and created with the asynchronous `mkdir`; a link over a link stats `src`
/// (`cpSync` stats `dest`).
pub(crate) fn cp_async_core(src: &Path, dest: &Path, options: CpOptions) -> Result<()> {
    cp_core(src, dest, options, true)
}

fn cp_core(src: &Path, dest: &Path, options: CpOptions, is_async: bool) -> Result<()> {
    check_options(&options)?;
    let options = Opts {
        o: options,
        is_async,
    };
    check_path("src", src)?;
    check_path("dest", dest)?;
    let o = &options;
    let Some((src_stat, dest_stat)) = check_paths(src, dest, o)? else {
        return Ok(());
    };
    check_parent_paths(src, &src_stat, dest)?;
    let parent = dirname(dest);
    let rec = crate::MkdirOptions {
        recursive: true,
        ..Default::default()
    };
    if options.is_async {
        match crate::stat::stat_sync(&parent) {
            Ok(_) => {}
            Err(e) if e.code() == "ENOENT" => {
                crate::ops::mkdir_async_core(&parent, rec)?;
            }
            Err(e) => return Err(e),
        }
    } else if !crate::ops::exists_sync(&parent) {
        crate::ops::mkdir_sync(&parent, rec)?;
    }
    get_stats(dest_stat, src, dest, o)
}

fn stat_fn(o: &Opts, p: &Path) -> Result<Stats> {
    if o.dereference {
        crate::stat::stat_sync(p)
    } else {
        crate::stat::lstat_sync(p)
    }
}

fn identical(a: &Stats, b: &Stats) -> bool {
    b.ino != 0 && b.dev != 0 && a.ino == b.ino && a.dev == b.dev
}

fn check_paths(src: &Path, dest: &Path, o: &Opts) -> Result<Option<(Stats, Option<Stats>)>> {
    if let Some(f) = &o.filter {
        if !f(src, dest) {
            return Ok(None);
        }
    }
    let src_stat = stat_fn(o, src)?;
    let dest_stat = match stat_fn(o, dest) {
        Ok(s) => Some(s),
        Err(e) if e.code() == "ENOENT" => None,
        Err(e) => return Err(e),
    };
    if let Some(ds) = &dest_stat {
        if identical(&src_stat, ds) {
            return Err(einval("src and dest cannot be the same".into(), dest));
        }
        if src_stat.is_directory() && !ds.is_directory() {
            return Err(cp_err(
                "ERR_FS_CP_DIR_TO_NON_DIR",
                "Cannot overwrite non-directory with directory",
                "EISDIR",
                21,
                format!(
                    "cannot overwrite non-directory {} with directory {}",
                    d(dest),
                    d(src)
                ),
                dest,
            ));
        }
        if !src_stat.is_directory() && ds.is_directory() {
            return Err(cp_err(
                "ERR_FS_CP_NON_DIR_TO_DIR",
                "Cannot overwrite directory with non-directory",
                "ENOTDIR",
                20,
                format!(
                    "cannot overwrite directory {} with non-directory {}",
                    d(dest),
                    d(src)
                ),
                dest,
            ));
        }
    }
    if src_stat.is_directory() && is_src_subdir(src, dest)? {
        return Err(einval(
            format!(
                "cannot copy {} to a subdirectory of self {}",
                d(src),
                d(dest)
            ),
            dest,
        ));
    }
    Ok(Some((src_stat, dest_stat)))
}

fn resolve(p: &Path) -> Result<PathBuf> {
    Ok(crate::ops::resolve(&crate::ops::cwd()?, p))
}

fn dirname(p: &Path) -> PathBuf {
    match p.parent() {
        Some(q) if !q.as_os_str().is_empty() => q.to_path_buf(),
        Some(_) => PathBuf::from("."),
        None => p.to_path_buf(),
    }
}

fn is_src_subdir(src: &Path, dest: &Path) -> Result<bool> {
    let s = resolve(src)?;
    let t = resolve(dest)?;
    let sv: Vec<_> = s.components().collect();
    let tv: Vec<_> = t.components().collect();
    Ok(sv.iter().enumerate().all(|(i, c)| tv.get(i) == Some(c)))
}

fn check_parent_paths(src: &Path, src_stat: &Stats, dest: &Path) -> Result<()> {
    let src_parent = resolve(&dirname(src))?;
    let dest_parent = resolve(&dirname(dest))?;
    if dest_parent == src_parent || dest_parent == Path::new("/") {
        return Ok(());
    }
    let ds = match crate::stat::stat_sync(&dest_parent) {
        Ok(s) => s,
        Err(e) if e.code() == "ENOENT" => return Ok(()),
        Err(e) => return Err(e),
    };
    if identical(src_stat, &ds) {
        return Err(einval(
            format!(
                "cannot copy {} to a subdirectory of self {}",
                d(src),
                d(dest)
            ),
            dest,
        ));
    }
    check_parent_paths(src, src_stat, &dest_parent)
}

fn get_stats(dest_stat: Option<Stats>, src: &Path, dest: &Path, o: &Opts) -> Result<()> {
    let st = stat_fn(o, src)?;
    if st.is_directory() && o.recursive {
        match dest_stat {
            None => {
                crate::ops::mkdir_sync(dest, Default::default())?;
                copy_dir(src, dest, o)?;
                crate::ops::chmod_sync(dest, st.mode)
            }
            Some(_) => copy_dir(src, dest, o),
        }
    } else if st.is_directory() {
        Err(Error::system_node(
            "ERR_FS_EISDIR",
            "Path is a directory",
            "cp",
            "EISDIR",
            if o.is_async { 21 } else { 22 },
            &format!("{} is a directory (not copied)", d(src)),
            src,
        ))
    } else if st.is_file() || st.is_character_device() || st.is_block_device() {
        match dest_stat {
            None => copy_file(&st, src, dest, o),
            Some(_) if o.force => {
                crate::ops::unlink_sync(dest)?;
                copy_file(&st, src, dest, o)
            }
            Some(_) if o.error_on_exist => Err(cp_err(
                "ERR_FS_CP_EEXIST",
                "Target already exists",
                "EEXIST",
                17,
                format!("{} already exists", d(dest)),
                dest,
            )),
            Some(_) => Ok(()),
        }
    } else if st.is_symbolic_link() {
        on_link(dest_stat, src, dest, o)
    } else if st.is_socket() {
        Err(einval_kind(
            "ERR_FS_CP_SOCKET",
            "Cannot copy a socket file",
            format!("cannot copy a socket file: {}", d(dest)),
            dest,
        ))
    } else if st.is_fifo() {
        Err(einval_kind(
            "ERR_FS_CP_FIFO_PIPE",
            "Cannot copy a FIFO pipe",
            format!("cannot copy a FIFO pipe: {}", d(dest)),
            dest,
        ))
    } else {
        Err(einval_kind(
            "ERR_FS_CP_UNKNOWN",
            "Cannot copy an unknown file type",
            format!("cannot copy an unknown file type: {}", d(dest)),
            dest,
        ))
    }
}

fn einval_kind(code: &str, prefix: &str, msg: String, p: &Path) -> Error {
    cp_err(code, prefix, "EINVAL", 22, msg, p)
}

fn copy_file(st: &Stats, src: &Path, dest: &Path, o: &Opts) -> Result<()> {
    crate::io::copy_file_sync(src, dest, o.mode)?;
    if o.preserve_timestamps {
        if st.mode & 0o200 == 0 {
            crate::ops::chmod_sync(dest, st.mode | 0o200)?;
        }
        let s = crate::stat::stat_sync(src)?;
        let secs = |t: crate::Timespec| t.sec as f64 + f64::from(t.nsec) / 1e9;
        crate::ops::utimes_sync(dest, secs(s.atime), secs(s.mtime))?;
    }
    crate::ops::chmod_sync(dest, st.mode)
}

fn copy_dir(src: &Path, dest: &Path, o: &Opts) -> Result<()> {
    let mut dir = crate::dir::opendir_sync(src)?;
    while let Some(ent) = dir.read_sync()? {
        let s = src.join(&ent.name);
        let t = dest.join(&ent.name);
        if let Some((_, ds)) = check_paths(&s, &t, o)? {
            get_stats(ds, &s, &t, o)?;
        }
    }
    Ok(())
}

fn on_link(dest_stat: Option<Stats>, src: &Path, dest: &Path, o: &Opts) -> Result<()> {
    let mut rsrc = crate::ops::readlink_sync(src)?;
    if !o.verbatim_symlinks && !rsrc.is_absolute() {
        rsrc = resolve(&dirname(src).join(&rsrc))?;
    }
    if dest_stat.is_none() {
        return crate::ops::symlink_sync(&rsrc, dest);
    }
    let mut rdest = match crate::ops::readlink_sync(dest) {
        Ok(p) => p,
        Err(e) if e.code() == "EINVAL" || e.code() == "UNKNOWN" => {
            return crate::ops::symlink_sync(&rsrc, dest);
        }
        Err(e) => return Err(e),
    };
    if !rdest.is_absolute() {
        rdest = resolve(&dirname(dest).join(&rdest))?;
    }
    if is_src_subdir(&rsrc, &rdest)? {
        return Err(einval(
            format!(
                "cannot copy {} to a subdirectory of self {}",
                d(&rsrc),
                d(&rdest)
            ),
            dest,
        ));
    }
    let ss = crate::stat::stat_sync(if o.is_async { src } else { dest })?;
    if ss.is_directory() && is_src_subdir(&rdest, &rsrc)? {
        return Err(cp_err(
            "ERR_FS_CP_SYMLINK_TO_SUBDIRECTORY",
            "Cannot overwrite symlink in subdirectory of self",
            "EINVAL",
            22,
            format!("cannot overwrite {} with {}", d(&rdest), d(&rsrc)),
            dest,
        ));
    }
    crate::ops::unlink_sync(dest)?;
    crate::ops::symlink_sync(&rsrc, dest)
}

/// The checks of Node's `validateCpOptions` that a typed [`CpOptions`] can fail, in Node's
/// order and before the paths are looked at: `mode` in `0..=7`, then `dereference` with
/// `verbatimSymlinks` (`ERR_INCOMPATIBLE_OPTION_PAIR`).
pub(crate) fn check_options(o: &CpOptions) -> Result<()> {
    use crate::validators::{JsValue, validate_integer};
    validate_integer(JsValue::Number(o.mode.into()), "mode", 0, 7)?;
    if o.dereference && o.verbatim_symlinks {
        return Err(Error::node(
            crate::ErrorKind::Type,
            "ERR_INCOMPATIBLE_OPTION_PAIR",
            "Option \"dereference\" cannot be used in combination with option \"verbatimSymlinks\"",
        ));
    }
    Ok(())
}
