//! fs's one table of asynchronous forms, on the loop's [`nodestd_loop::work`]: each row
//! `fn name(args) -> Output = job;` is one Node function, expanded by
//! [`nodestd_loop::async_forms!`] once in [`crate::callback`] (`fs.readFile(path, cb)`) and
//! once in [`crate::promises`] (`fs.promises.readFile(path)`, whose work is queued on the
//! worker pool at the call, as Node's is).
//!
//! A row's job copies its path arguments to `PathBuf`s at the call ([`on_pool!`]) and runs the
//! `*_sync` core (or the asynchronous port Node's form uses) on the pool. Where Node's callback
//! and promise forms differ (`readdir`'s walk, `rmdir`'s look at the path, `realpath`), the
//! row asks [`Form`]: each module defines `const FORM: Form`.

use std::path::PathBuf;

use crate::errors::Result;
use crate::fd::Fd;

/// Which form a row is expanded into (each form module's `FORM`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    Callback,
    Promise,
}

impl Form {
    /// `readdir`'s walk: breadth first for the callback form, Node's stack for the promise one.
    pub(crate) fn walk(self) -> crate::dir::Walk {
        match self {
            Form::Callback => crate::dir::Walk::Queue,
            Form::Promise => crate::dir::Walk::Stack,
        }
    }

    /// How `rmdir` looks at the path (lstat for the callback form, stat for the promise one).
    pub(crate) fn rmdir(self) -> crate::rm::RmdirForm {
        match self {
            Form::Callback => crate::rm::RmdirForm::Callback,
            Form::Promise => crate::rm::RmdirForm::Promise,
        }
    }
}

/// A row's job: `on_pool!(f; paths; args)` copies each path argument to a `PathBuf` at the
/// call and returns the closure that runs `f(paths..., args...)` on the pool.
macro_rules! on_pool {
    ($f:path; $($p:ident),*; $($a:ident),*) => {{
        $(let $p = $p.as_ref().to_path_buf();)*
        move || $f($($p,)* $($a,)*)
    }};
}

/// The functions with both a callback and a promise form. `$form` is
/// `callback<crate::Error>;` or `promise<crate::Error>;`.
macro_rules! fs_forms {
    ($($form:tt)*) => {
        nodestd_loop::async_forms! { $($form)*
            /// `fs.access(path, mode)`.
            fn access(path: impl AsRef<Path>, mode: i32) -> () = on_pool!(crate::access_sync; path; mode);
            /// `fs.appendFile(path, data, options)`.
            #[doc(alias = "appendFile")]
            fn append_file(path: impl AsRef<Path>, data: Vec<u8>, options: crate::WriteFileOptions) -> () =
                on_pool!(crate::append_file_sync; path; data, options);
            /// `fs.chmod(path, mode)`.
            fn chmod(path: impl AsRef<Path>, mode: u32) -> () = on_pool!(crate::chmod_sync; path; mode);
            /// `fs.chown(path, uid, gid)`.
            fn chown(path: impl AsRef<Path>, uid: i64, gid: i64) -> () = on_pool!(crate::chown_sync; path; uid, gid);
            /// `fs.copyFile(src, dest, mode)`.
            #[doc(alias = "copyFile")]
            fn copy_file(src: impl AsRef<Path>, dest: impl AsRef<Path>, mode: i32) -> () =
                on_pool!(crate::copy_file_sync; src, dest; mode);
            /// `fs.cp(src, dest, options)` (Node's asynchronous `cp`, whose errors differ from
            /// `cpSync` in one errno: a directory without `recursive` is `EISDIR` (21), not 22).
            fn cp(src: impl AsRef<Path>, dest: impl AsRef<Path>, options: crate::CpOptions) -> () =
                on_pool!(crate::forms::cp_async; src, dest; options);
            /// `fs.lstat(path)`.
            fn lstat(path: impl AsRef<Path>) -> crate::Stats = on_pool!(crate::lstat_sync; path;);
            /// `fs.stat(path)`.
            fn stat(path: impl AsRef<Path>) -> crate::Stats = on_pool!(crate::stat_sync; path;);
            /// `fs.statfs(path)`.
            fn statfs(path: impl AsRef<Path>) -> crate::StatFs = on_pool!(crate::statfs_sync; path;);
            /// `fs.mkdir(path, options)`: with `recursive`, the first directory created (Node's
            /// `MKDirpAsync`: errors name the component where the walk failed).
            fn mkdir(path: impl AsRef<Path>, options: crate::MkdirOptions) -> Option<PathBuf> =
                on_pool!(crate::forms::mkdir_async; path; options);
            /// `fs.mkdtemp(prefix)`.
            fn mkdtemp(prefix: impl AsRef<Path>) -> PathBuf = on_pool!(crate::mkdtemp_sync; prefix;);
            /// `fs.opendir(path)` (its errors name the path, unlike `opendirSync`'s).
            fn opendir(path: impl AsRef<Path>) -> crate::Dir = on_pool!(crate::forms::opendir_async; path;);
            /// `fs.readdir(path, options)`: recursive listings go breadth first in the callback
            /// form (as `readdirSync`) and in Node's promise order in the promise form (a stack
            /// of directories read ahead, so later siblings' contents come first).
            fn readdir(path: impl AsRef<Path>, options: crate::ReaddirOptions) -> Vec<PathBuf> = {
                let (path, walk) = (path.as_ref().to_path_buf(), FORM.walk());
                move || crate::dir::readdir_walk(&path, options, true, walk).map(crate::dir::names)
            };
            /// `fs.readdir(path, { withFileTypes: true, recursive })`, walking as [`readdir`].
            #[doc(alias = "readdir")]
            fn readdir_with_file_types(path: impl AsRef<Path>, options: crate::ReaddirOptions) -> Vec<crate::Dirent> = {
                let (path, walk) = (path.as_ref().to_path_buf(), FORM.walk());
                move || crate::dir::readdir_walk(&path, options, false, walk).map(|v| crate::dir::with_root(&path, v))
            };
            /// `fs.readFile(path, options)`: one worker-pool round trip (open, read, close).
            #[doc(alias = "readFile")]
            fn read_file(path: impl AsRef<Path>, options: crate::ReadFileOptions) -> Vec<u8> =
                on_pool!(crate::read_file_sync; path; options);
            /// `fs.readFile(path, encoding)`.
            #[doc(alias = "readFile")]
            fn read_file_to_string(path: impl AsRef<Path>, encoding: crate::Encoding, options: crate::ReadFileOptions) -> String =
                on_pool!(crate::read_file_to_string_sync; path; encoding, options);
            /// `fs.readlink(path)`.
            fn readlink(path: impl AsRef<Path>) -> PathBuf = on_pool!(crate::readlink_sync; path;);
            /// `fs.realpath(path)`: the callback form is Node's JavaScript walk (as
            /// [`crate::realpath_sync`]); `fsPromises.realpath` is the native `realpath`, so
            /// its errors name `realpath` and the path as given.
            fn realpath(path: impl AsRef<Path>) -> PathBuf = {
                let path = path.as_ref().to_path_buf();
                move || match FORM {
                    crate::forms::Form::Callback => crate::realpath_sync(path),
                    crate::forms::Form::Promise => crate::realpath_native_sync(path),
                }
            };
            /// `fs.rename(oldPath, newPath)`.
            fn rename(old_path: impl AsRef<Path>, new_path: impl AsRef<Path>) -> () =
                on_pool!(crate::rename_sync; old_path, new_path;);
            /// `fs.rm(path, options)` (Node's asynchronous rimraf: the path is always
            /// lstat'ed first, and that error is the one reported).
            fn rm(path: impl AsRef<Path>, options: crate::RmOptions) -> () = on_pool!(crate::forms::rm_async; path; options);
            /// `fs.rmdir(path, options)`: with `recursive` (deprecated, DEP0147 emitted at the
            /// call, once per process) the path is looked at (lstat'ed by the callback form,
            /// `stat`ed by the promise form, as Node's do) and a directory removed by the
            /// asynchronous rimraf.
            fn rmdir(path: impl AsRef<Path>, options: crate::RmdirOptions) -> () = {
                let (path, form) = (path.as_ref().to_path_buf(), FORM.rmdir());
                crate::rm::warn_at_call(&path, options);
                move || crate::rm::rmdir_form(&path, options, form)
            };
            /// `fs.symlink(target, path)`.
            fn symlink(target: impl AsRef<Path>, path: impl AsRef<Path>) -> () = on_pool!(crate::symlink_sync; target, path;);
            /// `fs.link(existingPath, newPath)`.
            fn link(existing_path: impl AsRef<Path>, new_path: impl AsRef<Path>) -> () =
                on_pool!(crate::link_sync; existing_path, new_path;);
            /// `fs.truncate(path, len)`.
            fn truncate(path: impl AsRef<Path>, len: i64) -> () = on_pool!(crate::truncate_sync; path; len);
            /// `fs.unlink(path)`.
            fn unlink(path: impl AsRef<Path>) -> () = on_pool!(crate::unlink_sync; path;);
            /// `fs.utimes(path, atime, mtime)` (seconds).
            fn utimes(path: impl AsRef<Path>, atime: f64, mtime: f64) -> () = on_pool!(crate::utimes_sync; path; atime, mtime);
            /// `fs.lutimes(path, atime, mtime)` (seconds).
            fn lutimes(path: impl AsRef<Path>, atime: f64, mtime: f64) -> () = on_pool!(crate::lutimes_sync; path; atime, mtime);
            /// `fs.lchown(path, uid, gid)`.
            fn lchown(path: impl AsRef<Path>, uid: i64, gid: i64) -> () = on_pool!(crate::lchown_sync; path; uid, gid);
            /// `fs.writeFile(path, data, options)`.
            #[doc(alias = "writeFile")]
            fn write_file(path: impl AsRef<Path>, data: Vec<u8>, options: crate::WriteFileOptions) -> () =
                on_pool!(crate::write_file_sync; path; data, options);
        }
    };
}

/// The functions with a callback form only: the descriptor functions (their promise form is
/// [`crate::promises::FileHandle`]) and `fs.realpath.native`.
macro_rules! fd_forms {
    ($($form:tt)*) => {
        nodestd_loop::async_forms! { $($form)*
            /// `fs.open(path, flags, mode)`.
            fn open(path: impl AsRef<Path>, flags: crate::OpenFlags, mode: u32) -> crate::Fd =
                on_pool!(crate::open_sync; path; flags, mode);
            /// `fs.close(fd)`.
            fn close(fd: crate::Fd) -> () = on_pool!(crate::close_sync; ; fd);
            /// `fs.fstat(fd)`.
            fn fstat(fd: crate::Fd) -> crate::Stats = on_pool!(crate::fstat_sync; ; fd);
            /// `fs.fsync(fd)`.
            fn fsync(fd: crate::Fd) -> () = on_pool!(crate::fsync_sync; ; fd);
            /// `fs.fdatasync(fd)`.
            fn fdatasync(fd: crate::Fd) -> () = on_pool!(crate::fdatasync_sync; ; fd);
            /// `fs.ftruncate(fd, len)`.
            fn ftruncate(fd: crate::Fd, len: i64) -> () = on_pool!(crate::ftruncate_sync; ; fd, len);
            /// `fs.futimes(fd, atime, mtime)`.
            fn futimes(fd: crate::Fd, atime: f64, mtime: f64) -> () = on_pool!(crate::futimes_sync; ; fd, atime, mtime);
            /// `fs.fchmod(fd, mode)`.
            fn fchmod(fd: crate::Fd, mode: u32) -> () = on_pool!(crate::fchmod_sync; ; fd, mode);
            /// `fs.fchown(fd, uid, gid)`.
            fn fchown(fd: crate::Fd, uid: i64, gid: i64) -> () = on_pool!(crate::fchown_sync; ; fd, uid, gid);
            /// `fs.read(fd, buffer, offset, length, position)`: the buffer is moved in and
            /// handed back with the count.
            fn read(fd: crate::Fd, buf: Vec<u8>, position: Option<u64>) -> (usize, Vec<u8>) =
                on_pool!(crate::forms::read_owned; ; fd, buf, position);
            /// `fs.write(fd, buffer, offset, length, position)`.
            fn write(fd: crate::Fd, data: Vec<u8>, position: Option<u64>) -> usize =
                on_pool!(crate::forms::write_owned; ; fd, data, position);
            /// `fs.readv(fd, buffers, position)`.
            fn readv(fd: crate::Fd, bufs: Vec<Vec<u8>>, position: Option<u64>) -> (usize, Vec<Vec<u8>>) =
                on_pool!(crate::forms::readv_owned; ; fd, bufs, position);
            /// `fs.writev(fd, buffers, position)`.
            fn writev(fd: crate::Fd, bufs: Vec<Vec<u8>>, position: Option<u64>) -> usize =
                on_pool!(crate::forms::writev_owned; ; fd, bufs, position);
            /// `fs.realpath.native(path)`.
            #[doc(alias = "native")]
            fn realpath_native(path: impl AsRef<Path>) -> PathBuf = on_pool!(crate::realpath_native_sync; path;);
        }
    };
}

pub(crate) use {fd_forms, fs_forms, on_pool};

pub(crate) fn mkdir_async(path: PathBuf, options: crate::MkdirOptions) -> Result<Option<PathBuf>> {
    crate::ops::mkdir_async_core(&path, options)
}

pub(crate) fn rm_async(path: PathBuf, options: crate::RmOptions) -> Result<()> {
    crate::rm::rm_async_core(&path, options)
}

pub(crate) fn cp_async(src: PathBuf, dest: PathBuf, options: crate::CpOptions) -> Result<()> {
    crate::cp::cp_async_core(&src, &dest, options)
}

pub(crate) fn opendir_async(path: PathBuf) -> Result<crate::Dir> {
    crate::dir::opendir_with_path(&path)
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
