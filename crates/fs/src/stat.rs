//! `Stats` (`fs.stat`, `lstat`, `fstat`, with the `bigint` precision always kept) and
//! `StatFs` (`fs.statfs`).

use std::path::Path;
use std::time::{Duration, SystemTime};

use rustix::fs::{AtFlags, CWD, StatxFlags};

use crate::errors::{Result, check_path, sys};
use crate::fd::Fd;

/// A point in time as Node's `Stats` keeps it: seconds and nanoseconds since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Timespec {
    /// Seconds since the epoch.
    pub sec: i64,
    /// Nanoseconds within the second.
    pub nsec: u32,
}

impl Timespec {
    /// Node's `msFromTimeSpec`: `sec * 1e3 + nsec / 1e6` (the `atimeMs`-style number).
    pub fn ms(self) -> f64 {
        self.sec as f64 * 1e3 + f64::from(self.nsec) / 1e6
    }
    /// The bigint form (`atimeNs`): nanoseconds since the epoch.
    pub fn ns(self) -> i128 {
        i128::from(self.sec) * 1_000_000_000 + i128::from(self.nsec)
    }
    /// As a `SystemTime` (Node's `atime` Date, with full precision).
    pub fn to_system_time(self) -> SystemTime {
        if self.sec >= 0 {
            SystemTime::UNIX_EPOCH + Duration::new(self.sec.unsigned_abs(), self.nsec)
        } else {
            SystemTime::UNIX_EPOCH - Duration::from_secs(self.sec.unsigned_abs())
                + Duration::from_nanos(u64::from(self.nsec))
        }
    }
}

/// `fs.Stats` (and `fs.BigIntStats`: every field keeps full precision, so the `bigint`
/// option is the choice of accessor: [`Timespec::ns`] for `atimeNs`, [`Timespec::ms`] for
/// `atimeMs`).
///
/// ```
/// let s = nodestd_fs::stat_sync(".").unwrap();
/// assert!(s.is_directory() && !s.is_file());
/// assert!(s.mtime_ms() > 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    /// `dev`.
    pub dev: u64,
    /// `ino`.
    pub ino: u64,
    /// `mode` (type and permission bits).
    pub mode: u32,
    /// `nlink`.
    pub nlink: u64,
    /// `uid`.
    pub uid: u32,
    /// `gid`.
    pub gid: u32,
    /// `rdev`.
    pub rdev: u64,
    /// `size` in bytes.
    pub size: u64,
    /// `blksize`.
    pub blksize: u64,
    /// `blocks`.
    pub blocks: u64,
    /// Last access.
    pub atime: Timespec,
    /// Last modification.
    pub mtime: Timespec,
    /// Last status change.
    pub ctime: Timespec,
    /// Creation (statx's btime; `ctime` where the file system has none, as libuv does).
    pub birthtime: Timespec,
}

const S_IFMT: u32 = 0o170000;

impl Stats {
    fn kind(&self, k: u32) -> bool {
        self.mode & S_IFMT == k
    }
    /// `isFile()`.
    #[doc(alias = "isFile")]
    pub fn is_file(&self) -> bool {
        self.kind(0o100000)
    }
    /// `isDirectory()`.
    #[doc(alias = "isDirectory")]
    pub fn is_directory(&self) -> bool {
        self.kind(0o040000)
    }
    /// `isSymbolicLink()` (only from `lstat`).
    #[doc(alias = "isSymbolicLink")]
    pub fn is_symbolic_link(&self) -> bool {
        self.kind(0o120000)
    }
    /// `isFIFO()`.
    #[doc(alias = "isFIFO")]
    pub fn is_fifo(&self) -> bool {
        self.kind(0o010000)
    }
    /// `isSocket()`.
    #[doc(alias = "isSocket")]
    pub fn is_socket(&self) -> bool {
        self.kind(0o140000)
    }
    /// `isCharacterDevice()`.
    #[doc(alias = "isCharacterDevice")]
    pub fn is_character_device(&self) -> bool {
        self.kind(0o020000)
    }
    /// `isBlockDevice()`.
    #[doc(alias = "isBlockDevice")]
    pub fn is_block_device(&self) -> bool {
        self.kind(0o060000)
    }
    /// `atimeMs`.
    pub fn atime_ms(&self) -> f64 {
        self.atime.ms()
    }
    /// `mtimeMs`.
    pub fn mtime_ms(&self) -> f64 {
        self.mtime.ms()
    }
    /// `ctimeMs`.
    pub fn ctime_ms(&self) -> f64 {
        self.ctime.ms()
    }
    /// `birthtimeMs`.
    pub fn birthtime_ms(&self) -> f64 {
        self.birthtime.ms()
    }

    fn from_statx(x: &rustix::fs::Statx) -> Stats {
        let ts = |t: rustix::fs::StatxTimestamp| Timespec {
            sec: t.tv_sec,
            nsec: t.tv_nsec,
        };
        let has_btime = x.stx_mask & StatxFlags::BTIME.bits() != 0;
        Stats {
            dev: rustix::fs::makedev(x.stx_dev_major, x.stx_dev_minor),
            ino: x.stx_ino,
            mode: u32::from(x.stx_mode),
            nlink: u64::from(x.stx_nlink),
            uid: x.stx_uid,
            gid: x.stx_gid,
            rdev: rustix::fs::makedev(x.stx_rdev_major, x.stx_rdev_minor),
            size: x.stx_size,
            blksize: u64::from(x.stx_blksize),
            blocks: x.stx_blocks,
            atime: ts(x.stx_atime),
            mtime: ts(x.stx_mtime),
            ctime: ts(x.stx_ctime),
            birthtime: if has_btime {
                ts(x.stx_btime)
            } else {
                ts(x.stx_ctime)
            },
        }
    }
}

fn statx_mask() -> StatxFlags {
    StatxFlags::BASIC_STATS | StatxFlags::BTIME
}

/// `fs.statSync(path)`.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::write_file_sync(dir.join("f"), "12345", Default::default())?;
/// let st = fs::stat_sync(dir.join("f"))?;
/// assert!(st.is_file() && !st.is_directory());
/// assert_eq!(st.size, 5);
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `stat` (`ENOENT`, `ENOTDIR`, `ELOOP`, …).
#[doc(alias = "statSync")]
pub fn stat_sync(path: impl AsRef<Path>) -> Result<Stats> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::statx(CWD, p, AtFlags::empty(), statx_mask())
        .map(|x| Stats::from_statx(&x))
        .map_err(|e| sys(e, "stat", Some(p)))
}

/// `fs.lstatSync(path)`: does not follow a final symbolic link.
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::symlink_sync("anywhere", dir.join("link"))?;
/// assert!(fs::lstat_sync(dir.join("link"))?.is_symbolic_link());
/// assert_eq!(fs::stat_sync(dir.join("link")).unwrap_err().code(), "ENOENT"); // stat follows it
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `lstat`.
#[doc(alias = "lstatSync")]
pub fn lstat_sync(path: impl AsRef<Path>) -> Result<Stats> {
    let p = path.as_ref();
    check_path("path", p)?;
    rustix::fs::statx(CWD, p, AtFlags::SYMLINK_NOFOLLOW, statx_mask())
        .map(|x| Stats::from_statx(&x))
        .map_err(|e| sys(e, "lstat", Some(p)))
}

/// `fs.fstatSync(fd)`.
///
/// # Errors
/// `EBADF` and the system errors of `fstat`.
#[doc(alias = "fstatSync")]
pub fn fstat_sync(fd: Fd) -> Result<Stats> {
    fd.with("fstat", |b| {
        rustix::fs::statx(b, "", AtFlags::EMPTY_PATH, statx_mask())
            .map(|x| Stats::from_statx(&x))
            .map_err(|e| sys(e, "fstat", None))
    })
}

/// `fs.StatFs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatFs {
    /// `type`: the file system's magic number.
    pub fs_type: i64,
    /// `bsize`.
    pub bsize: i64,
    /// `blocks`.
    pub blocks: u64,
    /// `bfree`.
    pub bfree: u64,
    /// `bavail`.
    pub bavail: u64,
    /// `files`.
    pub files: u64,
    /// `ffree`.
    pub ffree: u64,
}

/// `fs.statfsSync(path)`.
///
/// # Errors
/// The system error of `statfs`.
#[doc(alias = "statfsSync")]
pub fn statfs_sync(path: impl AsRef<Path>) -> Result<StatFs> {
    let p = path.as_ref();
    check_path("path", p)?;
    let s = rustix::fs::statfs(p).map_err(|e| sys(e, "statfs", Some(p)))?;
    #[allow(clippy::useless_conversion, clippy::unnecessary_cast)]
    Ok(StatFs {
        fs_type: s.f_type as i64,
        bsize: s.f_bsize as i64,
        blocks: s.f_blocks as u64,
        bfree: s.f_bfree as u64,
        bavail: s.f_bavail as u64,
        files: s.f_files as u64,
        ffree: s.f_ffree as u64,
    })
}
