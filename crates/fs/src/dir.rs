//! Directories: `readdir` (names or `Dirent`s, `recursive`), `opendir` and `Dir`.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::FileType;

use crate::errors::{Error, Result, check_path};

/// `fs.Dirent`: a directory entry's name, type and the directory it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirent {
    /// `name`.
    pub name: OsString,
    /// `parentPath` (and the deprecated `path`): the directory read.
    pub parent_path: PathBuf,
    file_type: DirentType,
}

/// The type of a [`Dirent`] (`UV_DIRENT_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DirentType {
    /// Not known.
    Unknown,
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Link,
    /// A FIFO.
    Fifo,
    /// A socket.
    Socket,
    /// A character device.
    Char,
    /// A block device.
    Block,
}

impl Dirent {
    /// The entry's type.
    pub fn file_type(&self) -> DirentType {
        self.file_type
    }
    /// `isFile()`.
    #[doc(alias = "isFile")]
    pub fn is_file(&self) -> bool {
        self.file_type == DirentType::File
    }
    /// `isDirectory()`.
    #[doc(alias = "isDirectory")]
    pub fn is_directory(&self) -> bool {
        self.file_type == DirentType::Dir
    }
    /// `isSymbolicLink()`.
    #[doc(alias = "isSymbolicLink")]
    pub fn is_symbolic_link(&self) -> bool {
        self.file_type == DirentType::Link
    }
    /// `isFIFO()`.
    #[doc(alias = "isFIFO")]
    pub fn is_fifo(&self) -> bool {
        self.file_type == DirentType::Fifo
    }
    /// `isSocket()`.
    #[doc(alias = "isSocket")]
    pub fn is_socket(&self) -> bool {
        self.file_type == DirentType::Socket
    }
    /// `isCharacterDevice()`.
    #[doc(alias = "isCharacterDevice")]
    pub fn is_character_device(&self) -> bool {
        self.file_type == DirentType::Char
    }
    /// `isBlockDevice()`.
    #[doc(alias = "isBlockDevice")]
    pub fn is_block_device(&self) -> bool {
        self.file_type == DirentType::Block
    }
}

fn dtype(t: FileType) -> DirentType {
    match t {
        FileType::RegularFile => DirentType::File,
        FileType::Directory => DirentType::Dir,
        FileType::Symlink => DirentType::Link,
        FileType::Fifo => DirentType::Fifo,
        FileType::Socket => DirentType::Socket,
        FileType::CharacterDevice => DirentType::Char,
        FileType::BlockDevice => DirentType::Block,
        _ => DirentType::Unknown,
    }
}

/// Reads one directory: entries without `.` and `..`, in OS order.
fn scan(p: &Path, syscall: &str) -> Result<Vec<(OsString, DirentType)>> {
    let e = |e: rustix::io::Errno| Error::from_errno(e.raw_os_error(), syscall, Some(p), None);
    let fd = rustix::fs::open(
        p,
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .map_err(e)?;
    let mut dir = rustix::fs::Dir::read_from(&fd).map_err(e)?;
    let mut out = Vec::new();
    while let Some(ent) = dir.read() {
        let ent = ent.map_err(e)?;
        let name = ent.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        let mut t = dtype(ent.file_type());
        let os = std::ffi::OsStr::from_bytes(name).to_owned();
        if t == DirentType::Unknown {
            if let Ok(st) = rustix::fs::lstat(p.join(&os)) {
                t = dtype(FileType::from_raw_mode(st.st_mode));
            }
        }
        out.push((os, t));
    }
    Ok(out)
}

/// `fs.readdir` options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReaddirOptions {
    /// `recursive`: also list every subdirectory, breadth first, names relative to `path`.
    pub recursive: bool,
}

/// `fs.readdirSync(path, options)` with names: sorted per directory (libuv's `scandir`
/// sorts), subdirectories after (breadth first, following links to directories as Node
/// does) when recursive.
///
/// ```
/// let names = nodestd_fs::readdir_sync("/", Default::default()).unwrap();
/// assert!(names.iter().any(|n| n == "tmp"));
/// ```
///
/// ```
/// use nodestd_fs as fs;
/// let dir = fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-doc-"))?;
/// fs::write_file_sync(dir.join("b.txt"), "", Default::default())?;
/// fs::mkdir_sync(dir.join("a"), Default::default())?;
/// fs::write_file_sync(dir.join("a/c.txt"), "", Default::default())?;
/// // sorted as Node returns them on Linux? No: in the directory's order; sort to compare
/// let mut names = fs::readdir_sync(&dir, Default::default())?;
/// names.sort();
/// assert_eq!(names, [std::path::PathBuf::from("a"), "b.txt".into()]);
/// let all = fs::readdir_sync(&dir, fs::ReaddirOptions { recursive: true })?;
/// assert_eq!(all.len(), 3); // a, b.txt, a/c.txt
/// # fs::rm_sync(&dir, fs::RmOptions { recursive: true, force: true, ..Default::default() })?;
/// # Ok::<(), fs::Error>(())
/// ```
///
/// # Errors
/// The system error of `scandir` (`ENOENT`, `ENOTDIR`, …).
#[doc(alias = "readdirSync")]
pub fn readdir_sync(path: impl AsRef<Path>, options: ReaddirOptions) -> Result<Vec<PathBuf>> {
    readdir_walk(path.as_ref(), options, true, Walk::Queue).map(names)
}

/// How a recursive readdir walks: Node's sync and callback forms go breadth first; the
/// promise form keeps a stack of listings read ahead (`fs/promises.js` `readdirRecursive`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    Queue,
    Stack,
}

/// Entries with `parent_path` relative to the root (empty for the root itself). Names mode
/// (`follow`) descends into what `stat` calls a directory (symbolic links to directories too,
/// as Node's `internalModuleStat`); `withFileTypes` mode descends into directory entries only.
pub(crate) fn readdir_walk(
    root: &Path,
    options: ReaddirOptions,
    follow: bool,
    walk: Walk,
) -> Result<Vec<Dirent>> {
    check_path("path", root)?;
    let sorted = |full: &Path| -> Result<Vec<(OsString, DirentType)>> {
        let mut v = scan(full, "scandir")?;
        v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        Ok(v)
    };
    let full_of = |rel: &Path| {
        if rel.as_os_str().is_empty() {
            root.to_path_buf()
        } else {
            root.join(rel)
        }
    };
    let mut out = Vec::new();
    let descends = |rel: &Path, name: &OsString, t: DirentType| {
        if follow {
            rustix::fs::stat(full_of(&rel.join(name)))
                .is_ok_and(|st| st.st_mode & 0o170000 == 0o040000)
        } else {
            t == DirentType::Dir
        }
    };
    let first = sorted(root)?;
    if !options.recursive {
        return Ok(first
            .into_iter()
            .map(|(name, t)| Dirent {
                name,
                parent_path: PathBuf::new(),
                file_type: t,
            })
            .collect());
    }
    let mut pending: std::collections::VecDeque<(PathBuf, Vec<(OsString, DirentType)>)> =
        std::collections::VecDeque::from([(PathBuf::new(), first)]);
    loop {
        let next = match walk {
            Walk::Queue => pending.pop_front(),
            Walk::Stack => pending.pop_back(),
        };
        let Some((rel, ents)) = next else { break };
        for (name, t) in ents {
            if descends(&rel, &name, t) {
                let sub = rel.join(&name);
                let listing = sorted(&full_of(&sub)).unwrap_or_default();
                pending.push_back((sub, listing));
            }
            out.push(Dirent {
                name,
                parent_path: rel.clone(),
                file_type: t,
            });
        }
    }
    Ok(out)
}

pub(crate) fn names(v: Vec<Dirent>) -> Vec<PathBuf> {
    v.into_iter()
        .map(|d| {
            if d.parent_path.as_os_str().is_empty() {
                PathBuf::from(d.name)
            } else {
                d.parent_path.join(d.name)
            }
        })
        .collect()
}

/// Gives each entry its `parentPath` as Node builds it: the top level's is `root` as given;
/// a subdirectory's is `path.join(parent's parentPath, name)`, so it comes out normalised
/// (`.` gives `d`, not `./d`; `d//e/..` gives `d/e`).
pub(crate) fn with_root(root: &Path, mut v: Vec<Dirent>) -> Vec<Dirent> {
    for d in &mut v {
        d.parent_path = if d.parent_path.as_os_str().is_empty() {
            root.to_path_buf()
        } else {
            join_normalized(root, &d.parent_path)
        };
    }
    v
}

/// Node's `path.posix.join(a, b)` for a relative `b` with no trailing slash: `a/b`, with
/// empty and `.` components dropped and `..` applied (kept at the start of a relative path),
/// `.` when nothing is left.
fn join_normalized(a: &Path, b: &Path) -> PathBuf {
    let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
    let absolute = a.first() == Some(&b'/');
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in a.split(|&x| x == b'/').chain(b.split(|&x| x == b'/')) {
        match c {
            b"" | b"." => {}
            b".." if parts.last().is_some_and(|p| *p != b"..") => {
                parts.pop();
            }
            b".." if absolute => {}
            c => parts.push(c),
        }
    }
    let mut out = if absolute { b"/".to_vec() } else { Vec::new() };
    out.extend(parts.join(&b'/'));
    if out.is_empty() {
        out.push(b'.');
    }
    PathBuf::from(std::ffi::OsStr::from_bytes(&out))
}

/// `fs.readdirSync(path, { withFileTypes: true, recursive })`: `Dirent`s whose
/// `parent_path` is `path` joined with the subdirectory.
///
/// # Errors
/// As [`readdir_sync`].
#[doc(alias = "readdirSync")]
pub fn readdir_with_file_types_sync(
    path: impl AsRef<Path>,
    options: ReaddirOptions,
) -> Result<Vec<Dirent>> {
    let root = path.as_ref();
    readdir_walk(root, options, false, Walk::Queue).map(|v| with_root(root, v))
}

/// `fs.Dir` from `opendir`: entries in OS order, one at a time.
#[derive(Debug)]
pub struct Dir {
    path: PathBuf,
    entries: std::vec::IntoIter<(OsString, DirentType)>,
    closed: bool,
}

/// `fs.opendirSync(path)`. As in Node v20, its errors do not name the path
/// (`ENOTDIR: not a directory, opendir`); the callback and promise forms' errors do.
///
/// # Errors
/// The system error of `opendir`.
#[doc(alias = "opendirSync")]
pub fn opendir_sync(path: impl AsRef<Path>) -> Result<Dir> {
    opendir_with_path(path.as_ref()).map_err(|e| match e.raw_os_error() {
        Some(n) if e.syscall() == Some("opendir") => Error::from_errno(n, "opendir", None, None),
        _ => e,
    })
}

pub(crate) fn opendir_with_path(p: &Path) -> Result<Dir> {
    check_path("path", p)?;
    let entries = scan(p, "opendir")?;
    Ok(Dir {
        path: p.to_path_buf(),
        entries: entries.into_iter(),
        closed: false,
    })
}

impl Dir {
    /// `dir.path`.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// `dir.readSync()`: the next entry, `None` at the end.
    ///
    /// # Errors
    /// `ERR_DIR_CLOSED` after [`Dir::close_sync`].
    #[doc(alias = "readSync")]
    pub fn read_sync(&mut self) -> Result<Option<Dirent>> {
        if self.closed {
            return Err(dir_closed());
        }
        Ok(self.entries.next().map(|(name, t)| Dirent {
            name,
            parent_path: self.path.clone(),
            file_type: t,
        }))
    }
    /// `dir.closeSync()`.
    ///
    /// # Errors
    /// `ERR_DIR_CLOSED` when already closed.
    #[doc(alias = "closeSync")]
    pub fn close_sync(&mut self) -> Result<()> {
        if self.closed {
            return Err(dir_closed());
        }
        self.closed = true;
        Ok(())
    }
}

fn dir_closed() -> Error {
    Error::node(
        crate::ErrorKind::Other,
        "ERR_DIR_CLOSED",
        "Directory handle was closed",
    )
}
