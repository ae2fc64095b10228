//! Descriptors and whole files: open, close, read, write, readv, writev, fsync, fdatasync,
//! ftruncate, futimes, fchmod, fchown, readFile, writeFile, appendFile, copyFile.

use std::io::{IoSlice, IoSliceMut};
use std::path::Path;

use rustix::fs::{Mode, OFlags};

use crate::AbortSignal;
use crate::errors::{Error, ErrorKind, Result, check_path, sys, sys2};
use crate::fd::Fd;
use crate::flags::OpenFlags;

/// `fs.openSync(path, flags, mode)`; `mode` defaults to `0o666` in Node.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("nodestd-fs-doc-open-{}", std::process::id()));
/// let f = dir.with_extension("txt");
/// let fd = nodestd_fs::open_sync(&f, nodestd_fs::OpenFlags::parse("w").unwrap(), 0o666).unwrap();
/// assert_eq!(nodestd_fs::write_sync(fd, b"hi", None).unwrap(), 2);
/// nodestd_fs::close_sync(fd).unwrap();
/// assert_eq!(nodestd_fs::read_file_sync(&f, Default::default()).unwrap(), b"hi");
/// nodestd_fs::unlink_sync(&f).unwrap();
/// ```
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let fd = fs::open_sync(dir.join("f"), fs::OpenFlags::parse("w+")?, 0o644)?;
/// assert_eq!(fs::write_sync(fd, b"abc", None)?, 3);
/// let mut buf = [0u8; 3];
/// assert_eq!(fs::read_sync(fd, &mut buf, Some(0))?, 3);
/// assert_eq!(&buf, b"abc");
/// fs::close_sync(fd)?;
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `open` (`ENOENT`, `EEXIST` for `wx`, `EISDIR`, …).
#[doc(alias = "openSync")]
pub fn open_sync(path: impl AsRef<Path>, flags: OpenFlags, mode: u32) -> Result<Fd> {
    let p = path.as_ref();
    check_path("path", p)?;
    let of = OFlags::from_bits_retain(flags.bits() as u32) | OFlags::CLOEXEC;
    rustix::fs::open(p, of, Mode::from_raw_mode(mode))
        .map(Fd::from_owned)
        .map_err(|e| sys(e, "open", Some(p)))
}

/// `fs.closeSync(fd)`.
///
/// # Errors
/// `EBADF` when `fd` is not open.
#[doc(alias = "closeSync")]
pub fn close_sync(fd: Fd) -> Result<()> {
    fd.take().map(drop)
}

/// `fs.readSync(fd, buffer, offset, length, position)`: reads into `buf` (Node's
/// `buffer.subarray(offset, offset + length)`), at `position` or the file position when `None`.
///
/// # Errors
/// The system error of `read` (`EISDIR`, `EBADF`, …).
#[doc(alias = "readSync")]
pub fn read_sync(fd: Fd, buf: &mut [u8], position: Option<u64>) -> Result<usize> {
    fd.with("read", |b| {
        match position {
            Some(p) => rustix::io::pread(b, buf, p),
            None => rustix::io::read(b, buf),
        }
        .map_err(|e| sys(e, "read", None))
    })
}

/// `fs.writeSync(fd, buffer, offset, length, position)` (or a string, as its UTF-8 bytes).
///
/// # Errors
/// The system error of `write`.
#[doc(alias = "writeSync")]
pub fn write_sync(fd: Fd, data: &[u8], position: Option<u64>) -> Result<usize> {
    fd.with("write", |b| {
        match position {
            Some(p) => rustix::io::pwrite(b, data, p),
            None => rustix::io::write(b, data),
        }
        .map_err(|e| sys(e, "write", None))
    })
}

/// `fs.readvSync(fd, buffers, position)`.
///
/// # Errors
/// The system error of `read`.
#[doc(alias = "readvSync")]
pub fn readv_sync(fd: Fd, bufs: &mut [IoSliceMut<'_>], position: Option<u64>) -> Result<usize> {
    fd.with("read", |b| {
        match position {
            Some(p) => rustix::io::preadv(b, bufs, p),
            None => rustix::io::readv(b, bufs),
        }
        .map_err(|e| sys(e, "read", None))
    })
}

/// `fs.writevSync(fd, buffers, position)`.
///
/// # Errors
/// The system error of `write`.
#[doc(alias = "writevSync")]
pub fn writev_sync(fd: Fd, bufs: &[IoSlice<'_>], position: Option<u64>) -> Result<usize> {
    fd.with("write", |b| {
        match position {
            Some(p) => rustix::io::pwritev(b, bufs, p),
            None => rustix::io::writev(b, bufs),
        }
        .map_err(|e| sys(e, "write", None))
    })
}

/// `fs.fsyncSync(fd)`.
///
/// # Errors
/// The system error of `fsync`.
#[doc(alias = "fsyncSync")]
pub fn fsync_sync(fd: Fd) -> Result<()> {
    fd.with("fsync", |b| {
        rustix::fs::fsync(b).map_err(|e| sys(e, "fsync", None))
    })
}

/// `fs.fdatasyncSync(fd)`.
///
/// # Errors
/// The system error of `fdatasync`.
#[doc(alias = "fdatasyncSync")]
pub fn fdatasync_sync(fd: Fd) -> Result<()> {
    fd.with("fdatasync", |b| {
        rustix::fs::fdatasync(b).map_err(|e| sys(e, "fdatasync", None))
    })
}

/// `fs.ftruncateSync(fd, len)`; a negative length is 0.
///
/// # Errors
/// The system error of `ftruncate`.
#[doc(alias = "ftruncateSync")]
pub fn ftruncate_sync(fd: Fd, len: i64) -> Result<()> {
    fd.with("ftruncate", |b| {
        rustix::fs::ftruncate(b, len.max(0) as u64).map_err(|e| sys(e, "ftruncate", None))
    })
}

/// `fs.futimesSync(fd, atime, mtime)`, seconds since the epoch.
///
/// # Errors
/// The system error of `futime`.
#[doc(alias = "futimesSync")]
pub fn futimes_sync(fd: Fd, atime: f64, mtime: f64) -> Result<()> {
    fd.with("futime", |b| {
        rustix::fs::futimens(b, &crate::ops::timestamps(atime, mtime))
            .map_err(|e| sys(e, "futime", None))
    })
}

/// `fs.fchmodSync(fd, mode)`.
///
/// # Errors
/// The system error of `fchmod`.
#[doc(alias = "fchmodSync")]
pub fn fchmod_sync(fd: Fd, mode: u32) -> Result<()> {
    fd.with("fchmod", |b| {
        rustix::fs::fchmod(b, Mode::from_raw_mode(mode)).map_err(|e| sys(e, "fchmod", None))
    })
}

/// `fs.fchownSync(fd, uid, gid)`; `-1` leaves an id unchanged.
///
/// # Errors
/// The system error of `fchown`.
#[doc(alias = "fchownSync")]
pub fn fchown_sync(fd: Fd, uid: i64, gid: i64) -> Result<()> {
    let u = (uid >= 0).then(|| rustix::fs::Uid::from_raw(uid as u32));
    let g = (gid >= 0).then(|| rustix::fs::Gid::from_raw(gid as u32));
    fd.with("fchown", |b| {
        rustix::fs::fchown(b, u, g).map_err(|e| sys(e, "fchown", None))
    })
}

/// `fs.readFile` options (the `encoding` option is [`crate::Encoding::decode`] on the result,
/// or [`read_file_to_string_sync`]).
#[derive(Debug, Clone, Default)]
pub struct ReadFileOptions {
    /// `flag` (default `'r'`).
    pub flag: Option<OpenFlags>,
    /// `signal`: abort the read.
    pub signal: Option<AbortSignal>,
}

/// `fs.readFileSync(path, options)`: the whole file's bytes.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let file = dir.join("a.txt");
/// fs::write_file_sync(&file, "hi\n", Default::default())?;
/// assert_eq!(fs::read_file_sync(&file, Default::default())?, b"hi\n");
/// // Node's error: code, syscall, path and message
/// let e = fs::read_file_sync(dir.join("missing"), Default::default()).unwrap_err();
/// assert_eq!(e.code(), "ENOENT");
/// assert!(e.message().starts_with("ENOENT: no such file or directory, open '"));
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `open` or `read` (`EISDIR` from `read` for a directory, as in Node),
/// or `ABORT_ERR` when the signal is aborted.
#[doc(alias = "readFileSync")]
pub fn read_file_sync(path: impl AsRef<Path>, options: ReadFileOptions) -> Result<Vec<u8>> {
    let p = path.as_ref();
    check_path("path", p)?;
    check_signal(options.signal.as_ref())?;
    let fd = open_sync(p, options.flag.unwrap_or_default(), 0o666)?;
    let r = read_all(fd, options.signal.as_ref());
    let _ = close_sync(fd);
    r
}

/// Reads `fd` to its end from its position (Node's `readFile` on a descriptor).
///
/// # Errors
/// The system error of `fstat` or `read`, or `ABORT_ERR`.
pub fn read_all(fd: Fd, signal: Option<&AbortSignal>) -> Result<Vec<u8>> {
    let st = crate::stat::fstat_sync(fd)?;
    let mut out = Vec::with_capacity(if st.is_file() { st.size as usize } else { 0 });
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        check_signal(signal)?;
        let n = read_sync(fd, &mut chunk, None)?;
        if n == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..n]);
    }
}

/// `fs.readFileSync(path, encoding)`: the file decoded with `encoding`.
///
/// # Errors
/// As [`read_file_sync`].
#[doc(alias = "readFileSync")]
pub fn read_file_to_string_sync(
    path: impl AsRef<Path>,
    encoding: crate::Encoding,
    options: ReadFileOptions,
) -> Result<String> {
    read_file_sync(path, options).map(|b| encoding.decode(&b))
}

pub(crate) fn check_signal(signal: Option<&AbortSignal>) -> Result<()> {
    match signal {
        Some(s) if s.aborted() => Err(Error::node(
            ErrorKind::Other,
            "ABORT_ERR",
            "The operation was aborted",
        )),
        _ => Ok(()),
    }
}

/// `fs.writeFile` / `fs.appendFile` options (a string's `encoding` is
/// [`crate::Encoding::encode`] before the call).
#[derive(Debug, Clone)]
pub struct WriteFileOptions {
    /// `flag` (`'w'` for writeFile, `'a'` for appendFile when `None`).
    pub flag: Option<OpenFlags>,
    /// `mode` for a created file (default `0o666`).
    pub mode: u32,
    /// `flush`: fsync before closing.
    pub flush: bool,
    /// `signal`: abort the write.
    pub signal: Option<AbortSignal>,
}

impl Default for WriteFileOptions {
    fn default() -> Self {
        WriteFileOptions {
            flag: None,
            mode: 0o666,
            flush: false,
            signal: None,
        }
    }
}

/// `fs.writeFileSync(path, data, options)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let file = dir.join("a.txt");
/// fs::write_file_sync(&file, "first", Default::default())?;
/// fs::write_file_sync(&file, "second", Default::default())?; // replaces the contents
/// assert_eq!(fs::read_file_sync(&file, Default::default())?, b"second");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `open` or `write`, or `ABORT_ERR`.
#[doc(alias = "writeFileSync")]
pub fn write_file_sync(
    path: impl AsRef<Path>,
    data: impl AsRef<[u8]>,
    options: WriteFileOptions,
) -> Result<()> {
    let flag = options.flag.unwrap_or(OpenFlags::WRITE);
    write_with(path.as_ref(), data.as_ref(), flag, &options)
}

/// `fs.appendFileSync(path, data, options)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let file = dir.join("log.txt");
/// fs::append_file_sync(&file, "one\n", Default::default())?; // creates the file
/// fs::append_file_sync(&file, "two\n", Default::default())?;
/// assert_eq!(fs::read_file_sync(&file, Default::default())?, b"one\ntwo\n");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// As [`write_file_sync`].
#[doc(alias = "appendFileSync")]
pub fn append_file_sync(
    path: impl AsRef<Path>,
    data: impl AsRef<[u8]>,
    options: WriteFileOptions,
) -> Result<()> {
    let flag = options.flag.unwrap_or(OpenFlags::APPEND);
    write_with(path.as_ref(), data.as_ref(), flag, &options)
}

fn write_with(p: &Path, data: &[u8], flag: OpenFlags, o: &WriteFileOptions) -> Result<()> {
    check_path("path", p)?;
    check_signal(o.signal.as_ref())?;
    let fd = open_sync(p, flag, o.mode)?;
    let r = write_all(fd, data, o.signal.as_ref())
        .and_then(|()| if o.flush { fsync_sync(fd) } else { Ok(()) });
    let _ = close_sync(fd);
    r
}

/// Writes all of `data` at the descriptor's position.
///
/// # Errors
/// The system error of `write`, or `ABORT_ERR`.
pub fn write_all(fd: Fd, mut data: &[u8], signal: Option<&AbortSignal>) -> Result<()> {
    while !data.is_empty() {
        check_signal(signal)?;
        let n = write_sync(fd, data, None)?;
        data = &data[n..];
    }
    Ok(())
}

/// `fs.copyFileSync(src, dest, mode)`: `mode` is `COPYFILE_EXCL`, `COPYFILE_FICLONE`,
/// `COPYFILE_FICLONE_FORCE` or'd (libuv's `uv_fs_copyfile`).
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// let (a, b) = (dir.join("a"), dir.join("b"));
/// fs::write_file_sync(&a, "data", Default::default())?;
/// fs::copy_file_sync(&a, &b, 0)?;
/// assert_eq!(fs::read_file_sync(&b, Default::default())?, b"data");
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error, with syscall `copyfile`, `path` and `dest`.
#[doc(alias = "copyFileSync")]
pub fn copy_file_sync(src: impl AsRef<Path>, dest: impl AsRef<Path>, mode: i32) -> Result<()> {
    let (s, d) = (src.as_ref(), dest.as_ref());
    check_path("src", s)?;
    check_path("dest", d)?;
    let mode = crate::validators::check_access_mode(mode.into())?;
    let e = |e: rustix::io::Errno| sys2(e, "copyfile", s, d);
    let sf = rustix::fs::open(s, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()).map_err(e)?;
    let st = rustix::fs::fstat(&sf).map_err(e)?;
    let mut dflags = OFlags::WRONLY | OFlags::CREATE | OFlags::CLOEXEC;
    if mode & crate::constants::COPYFILE_EXCL != 0 {
        dflags |= OFlags::EXCL;
    }
    let df = rustix::fs::open(d, dflags, Mode::from_raw_mode(st.st_mode & 0o7777)).map_err(e)?;
    let r = copy_contents(&sf, &df, &st, mode);
    drop(df);
    // libuv removes the destination when anything failed after it was opened.
    if r.is_err() {
        let _ = rustix::fs::unlink(d);
    }
    r.map_err(e)
}

fn copy_contents(
    sf: &std::os::fd::OwnedFd,
    df: &std::os::fd::OwnedFd,
    st: &rustix::fs::Stat,
    mode: i32,
) -> std::result::Result<(), rustix::io::Errno> {
    let dst = rustix::fs::fstat(df)?;
    if dst.st_dev == st.st_dev && dst.st_ino == st.st_ino {
        return Ok(());
    }
    // libuv ignores EACCES from ftruncate (ceph-fuse) and EPERM from fchmod (some file
    // systems refuse it), as here.
    match rustix::fs::ftruncate(df, 0) {
        Ok(()) | Err(rustix::io::Errno::ACCESS) => {}
        Err(e) => return Err(e),
    }
    match rustix::fs::fchmod(df, Mode::from_raw_mode(st.st_mode & 0o7777)) {
        Ok(()) | Err(rustix::io::Errno::PERM) => {}
        Err(e) => return Err(e),
    }
    if mode & (crate::constants::COPYFILE_FICLONE | crate::constants::COPYFILE_FICLONE_FORCE) != 0 {
        match rustix::fs::ioctl_ficlone(df, sf) {
            Ok(()) => return Ok(()),
            Err(err) if mode & crate::constants::COPYFILE_FICLONE_FORCE != 0 => return Err(err),
            Err(_) => {}
        }
    }
    let mut left = st.st_size as u64;
    while left > 0 {
        let chunk = left.min(1 << 30) as usize;
        match rustix::fs::copy_file_range(sf, None, df, None, chunk) {
            Ok(0) => break,
            Ok(n) => left -= n as u64,
            Err(_) => {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = rustix::io::read(sf, &mut buf)?;
                    if n == 0 {
                        break;
                    }
                    let mut w = &buf[..n];
                    while !w.is_empty() {
                        let k = rustix::io::write(df, w)?;
                        w = &w[k..];
                    }
                }
                break;
            }
        }
    }
    Ok(())
}
