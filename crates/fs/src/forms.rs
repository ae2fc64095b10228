//! The one list of functions that have callback and promise forms, expanded by a macro into
//! [`crate::callback`] and [`crate::promises`]: each runs its `*_sync` core on the worker pool.
//!
//! An entry reads `name(path args ; other args) -> output = sync_fn`. Path arguments take
//! `impl AsRef<Path>` (copied to a `PathBuf` before the work leaves the loop thread).

/// Expands the table (see the module doc) with `$m`, a macro generating one form.
macro_rules! for_each_fs_fn {
    ($m:ident) => {
        $m! {
            /// `fs.access(path, mode)`.
            access(path; mode: i32) -> () = crate::access_sync;
            /// `fs.appendFile(path, data, options)`.
            append_file(path; data: Vec<u8>, options: crate::WriteFileOptions) -> () = crate::append_file_sync;
            /// `fs.chmod(path, mode)`.
            chmod(path; mode: u32) -> () = crate::chmod_sync;
            /// `fs.chown(path, uid, gid)`.
            chown(path; uid: i64, gid: i64) -> () = crate::chown_sync;
            /// `fs.copyFile(src, dest, mode)`.
            copy_file(src, dest; mode: i32) -> () = crate::copy_file_sync;
            /// `fs.lstat(path)`.
            lstat(path;) -> crate::Stats = crate::lstat_sync;
            /// `fs.stat(path)`.
            stat(path;) -> crate::Stats = crate::stat_sync;
            /// `fs.statfs(path)`.
            statfs(path;) -> crate::StatFs = crate::statfs_sync;
            /// `fs.mkdir(path, options)`: with `recursive`, the first directory created (Node's
            /// `MKDirpAsync`: errors name the component where the walk failed).
            mkdir(path; options: crate::MkdirOptions) -> Option<std::path::PathBuf> = crate::forms::mkdir_async;
            /// `fs.rm(path, options)` (Node's asynchronous rimraf: the path is always
            /// lstat'ed first, and that error is the one reported).
            rm(path; options: crate::RmOptions) -> () = crate::forms::rm_async;
            /// `fs.mkdtemp(prefix)`.
            mkdtemp(prefix;) -> std::path::PathBuf = crate::mkdtemp_sync;
            /// `fs.readFile(path, options)`: one worker-pool round trip (open, read, close).
            read_file(path; options: crate::ReadFileOptions) -> Vec<u8> = crate::read_file_sync;
            /// `fs.readFile(path, encoding)`.
            read_file_to_string(path; encoding: crate::Encoding, options: crate::ReadFileOptions) -> String = crate::read_file_to_string_sync;
            /// `fs.readlink(path)`.
            readlink(path;) -> std::path::PathBuf = crate::readlink_sync;
            /// `fs.rename(oldPath, newPath)`.
            rename(old_path, new_path;) -> () = crate::rename_sync;
            /// `fs.symlink(target, path)`.
            symlink(target, path;) -> () = crate::symlink_sync;
            /// `fs.link(existingPath, newPath)`.
            link(existing_path, new_path;) -> () = crate::link_sync;
            /// `fs.truncate(path, len)`.
            truncate(path; len: i64) -> () = crate::truncate_sync;
            /// `fs.unlink(path)`.
            unlink(path;) -> () = crate::unlink_sync;
            /// `fs.utimes(path, atime, mtime)` (seconds).
            utimes(path; atime: f64, mtime: f64) -> () = crate::utimes_sync;
            /// `fs.lutimes(path, atime, mtime)` (seconds).
            lutimes(path; atime: f64, mtime: f64) -> () = crate::lutimes_sync;
            /// `fs.lchown(path, uid, gid)`.
            lchown(path; uid: i64, gid: i64) -> () = crate::lchown_sync;
            /// `fs.writeFile(path, data, options)`.
            write_file(path; data: Vec<u8>, options: crate::WriteFileOptions) -> () = crate::write_file_sync;
        }
    };
}

/// The descriptor functions (callback form only; the promise form is [`crate::FileHandle`]).
macro_rules! for_each_fd_fn {
    ($m:ident) => {
        $m! {
            /// `fs.open(path, flags, mode)`.
            open(path; flags: crate::OpenFlags, mode: u32) -> crate::Fd = crate::open_sync;
            /// `fs.close(fd)`.
            close(; fd: crate::Fd) -> () = crate::close_sync;
            /// `fs.fstat(fd)`.
            fstat(; fd: crate::Fd) -> crate::Stats = crate::fstat_sync;
            /// `fs.fsync(fd)`.
            fsync(; fd: crate::Fd) -> () = crate::fsync_sync;
            /// `fs.fdatasync(fd)`.
            fdatasync(; fd: crate::Fd) -> () = crate::fdatasync_sync;
            /// `fs.ftruncate(fd, len)`.
            ftruncate(; fd: crate::Fd, len: i64) -> () = crate::ftruncate_sync;
            /// `fs.futimes(fd, atime, mtime)`.
            futimes(; fd: crate::Fd, atime: f64, mtime: f64) -> () = crate::futimes_sync;
            /// `fs.fchmod(fd, mode)`.
            fchmod(; fd: crate::Fd, mode: u32) -> () = crate::fchmod_sync;
            /// `fs.fchown(fd, uid, gid)`.
            fchown(; fd: crate::Fd, uid: i64, gid: i64) -> () = crate::fchown_sync;
            /// `fs.read(fd, buffer, offset, length, position)`: the buffer is moved in and
            /// handed back with the count.
            read(; fd: crate::Fd, buf: Vec<u8>, position: Option<u64>) -> (usize, Vec<u8>) = crate::forms::read_owned;
            /// `fs.write(fd, buffer, offset, length, position)`.
            write(; fd: crate::Fd, data: Vec<u8>, position: Option<u64>) -> usize = crate::forms::write_owned;
            /// `fs.readv(fd, buffers, position)`.
            readv(; fd: crate::Fd, bufs: Vec<Vec<u8>>, position: Option<u64>) -> (usize, Vec<Vec<u8>>) = crate::forms::readv_owned;
            /// `fs.writev(fd, buffers, position)`.
            writev(; fd: crate::Fd, bufs: Vec<Vec<u8>>, position: Option<u64>) -> usize = crate::forms::writev_owned;
        }
    };
}

pub(crate) use {for_each_fd_fn, for_each_fs_fn};

use crate::errors::Result;
use crate::fd::Fd;

pub(crate) fn mkdir_async(
    path: std::path::PathBuf,
    options: crate::MkdirOptions,
) -> Result<Option<std::path::PathBuf>> {
    crate::ops::mkdir_async_core(&path, options)
}

pub(crate) fn rm_async(path: std::path::PathBuf, options: crate::RmOptions) -> Result<()> {
    crate::rm::rm_async_core(&path, options)
}

pub(crate) fn read_owned(
    fd: Fd,
    mut buf: Vec<u8>,
    position: Option<u64>,
) -> Result<(usize, Vec<u8>)> {
    let n = crate::read_sync(fd, &mut buf, position)?;
    Ok((n, buf))
}

pub(crate) fn write_owned(fd: Fd, data: Vec<u8>, position: Option<u64>) -> Result<usize> {
    crate::write_sync(fd, &data, position)
}

pub(crate) fn readv_owned(
    fd: Fd,
    mut bufs: Vec<Vec<u8>>,
    position: Option<u64>,
) -> Result<(usize, Vec<Vec<u8>>)> {
    let mut slices: Vec<std::io::IoSliceMut<'_>> = bufs
        .iter_mut()
        .map(|b| std::io::IoSliceMut::new(b))
        .collect();
    let n = crate::readv_sync(fd, &mut slices, position)?;
    drop(slices);
    Ok((n, bufs))
}

pub(crate) fn writev_owned(fd: Fd, bufs: Vec<Vec<u8>>, position: Option<u64>) -> Result<usize> {
    let slices: Vec<std::io::IoSlice<'_>> = bufs.iter().map(|b| std::io::IoSlice::new(b)).collect();
    crate::writev_sync(fd, &slices, position)
}

/// A worker-pool panic as an error (the sync cores do not panic; this keeps a bug from
/// silently dropping the callback).
pub(crate) fn flatten<T>(r: std::result::Result<Result<T>, nodestd_loop::WorkError>) -> Result<T> {
    r.unwrap_or_else(|e| {
        Err(crate::Error::node(
            crate::ErrorKind::Other,
            "ERR_INTERNAL_ASSERTION",
            e.message().to_owned(),
        ))
    })
}
