//! `fs.promises`: each function is a future running its `*_sync` core on the worker pool
//! ([`nodestd_loop::spawn_blocking`]); descriptors are [`FileHandle`]s. Await them on a
//! running loop (`nodestd_loop::block_on`, `spawn_local`).
//!
//! ```
//! let st = nodestd_loop::block_on(async { nodestd_fs::promises::stat("/").await }).unwrap();
//! assert!(st.unwrap().is_directory());
//! ```

use crate::errors::Result;
use crate::fd::Fd;
use crate::forms::{flatten, for_each_fs_fn};

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    flatten(nodestd_loop::spawn_blocking(f).await)
}

macro_rules! promise_fns {
    ($( $(#[$doc:meta])* $name:ident ( $($p:ident),* ; $($a:ident : $t:ty),* ) -> $out:ty = $sync:path; )*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            /// As the `*_sync` form.
            pub async fn $name(
                $($p: impl AsRef<std::path::Path>,)*
                $($a: $t,)*
            ) -> crate::Result<$out> {
                $(let $p = $p.as_ref().to_path_buf();)*
                blocking(move || $sync($($p,)* $($a,)*)).await
            }
        )*
    };
}

for_each_fs_fn!(promise_fns);

/// `fsPromises.cp(src, dest, options)` (as [`crate::callback::cp`]).
///
/// # Errors
/// As [`crate::cp_sync`], with `EISDIR` (21) as the errno of a directory without `recursive`.
pub async fn cp(
    src: impl AsRef<std::path::Path>,
    dest: impl AsRef<std::path::Path>,
    options: crate::CpOptions,
) -> Result<()> {
    let (s, d) = (src.as_ref().to_path_buf(), dest.as_ref().to_path_buf());
    blocking(move || crate::cp::cp_async_core(&s, &d, options)).await
}

/// `fsPromises.readdir(path, options)`: recursive listings come in Node's promise order (a
/// stack of directories read ahead, so later siblings' contents come first).
///
/// # Errors
/// The system error of `scandir`.
pub async fn readdir(
    path: impl AsRef<std::path::Path>,
    options: crate::ReaddirOptions,
) -> Result<Vec<std::path::PathBuf>> {
    let p = path.as_ref().to_path_buf();
    blocking(move || {
        crate::dir::readdir_walk(&p, options, true, crate::dir::Walk::Stack).map(crate::dir::names)
    })
    .await
}

/// `fsPromises.readdir(path, { withFileTypes: true, recursive })`, in Node's promise order.
///
/// # Errors
/// The system error of `scandir`.
pub async fn readdir_with_file_types(
    path: impl AsRef<std::path::Path>,
    options: crate::ReaddirOptions,
) -> Result<Vec<crate::Dirent>> {
    let p = path.as_ref().to_path_buf();
    blocking(move || {
        crate::dir::readdir_walk(&p, options, false, crate::dir::Walk::Stack)
            .map(|v| crate::dir::with_root(&p, v))
    })
    .await
}

/// `fsPromises.opendir(path)` (its errors name the path, unlike `opendirSync`'s).
///
/// # Errors
/// The system error of `opendir`.
pub async fn opendir(path: impl AsRef<std::path::Path>) -> Result<crate::Dir> {
    let p = path.as_ref().to_path_buf();
    blocking(move || crate::dir::opendir_with_path(&p)).await
}

/// `fsPromises.realpath(path)`: the native `realpath` (Node's promise form uses the binding,
/// not the JavaScript walk, so its errors name `realpath` and the path as given).
///
/// # Errors
/// The system error of `realpath`.
pub async fn realpath(path: impl AsRef<std::path::Path>) -> Result<std::path::PathBuf> {
    let p = path.as_ref().to_path_buf();
    blocking(move || crate::realpath_native_sync(p)).await
}

/// `fsPromises.open(path, flags, mode)`.
///
/// # Errors
/// As [`crate::open_sync`].
pub async fn open(
    path: impl AsRef<std::path::Path>,
    flags: crate::OpenFlags,
    mode: u32,
) -> Result<FileHandle> {
    let p = path.as_ref().to_path_buf();
    let fd = blocking(move || crate::open_sync(p, flags, mode)).await?;
    Ok(FileHandle {
        fd,
        closed: std::cell::Cell::new(false),
    })
}

/// `FileHandle`: an open file for the promise API. Dropping an open handle closes its
/// descriptor (Node closes it at garbage collection, with a warning).
#[derive(Debug)]
pub struct FileHandle {
    fd: Fd,
    closed: std::cell::Cell<bool>,
}

macro_rules! handle_fns {
    ($( $(#[$doc:meta])* $name:ident ( $($a:ident : $t:ty),* ) -> $out:ty = $sync:path; )*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            /// As the `*_sync` form (`EBADF` after close).
            pub async fn $name(&self, $($a: $t),*) -> Result<$out> {
                let fd = self.fd;
                blocking(move || $sync(fd, $($a),*)).await
            }
        )*
    };
}

impl FileHandle {
    /// `filehandle.fd`.
    pub fn fd(&self) -> Fd {
        self.fd
    }

    handle_fns! {
        /// `filehandle.stat()`.
        stat() -> crate::Stats = crate::fstat_sync;
        /// `filehandle.sync()`.
        sync() -> () = crate::fsync_sync;
        /// `filehandle.datasync()`.
        datasync() -> () = crate::fdatasync_sync;
        /// `filehandle.truncate(len)`.
        truncate(len: i64) -> () = crate::ftruncate_sync;
        /// `filehandle.utimes(atime, mtime)`.
        utimes(atime: f64, mtime: f64) -> () = crate::futimes_sync;
        /// `filehandle.chmod(mode)`.
        chmod(mode: u32) -> () = crate::fchmod_sync;
        /// `filehandle.chown(uid, gid)`.
        chown(uid: i64, gid: i64) -> () = crate::fchown_sync;
        /// `filehandle.read(buffer, offset, length, position)`: the buffer comes back with
        /// the count.
        read(buf: Vec<u8>, position: Option<u64>) -> (usize, Vec<u8>) = crate::forms::read_owned;
        /// `filehandle.write(buffer, …, position)`.
        write(data: Vec<u8>, position: Option<u64>) -> usize = crate::forms::write_owned;
        /// `filehandle.readv(buffers, position)`.
        readv(bufs: Vec<Vec<u8>>, position: Option<u64>) -> (usize, Vec<Vec<u8>>) = crate::forms::readv_owned;
        /// `filehandle.writev(buffers, position)`.
        writev(bufs: Vec<Vec<u8>>, position: Option<u64>) -> usize = crate::forms::writev_owned;
    }

    /// `filehandle.readFile()`: from the current position to the end.
    ///
    /// # Errors
    /// As [`crate::read_all`].
    pub async fn read_file(&self) -> Result<Vec<u8>> {
        let fd = self.fd;
        blocking(move || crate::read_all(fd, None)).await
    }

    /// `filehandle.writeFile(data)` / `appendFile`: writes all of `data` at the position.
    ///
    /// # Errors
    /// As [`crate::write_all`].
    pub async fn write_file(&self, data: Vec<u8>) -> Result<()> {
        let fd = self.fd;
        blocking(move || crate::write_all(fd, &data, None)).await
    }

    /// `filehandle.close()`; closing a closed handle does nothing, as in Node.
    ///
    /// # Errors
    /// The system error of `close`.
    pub async fn close(&self) -> Result<()> {
        if self.closed.replace(true) {
            return Ok(());
        }
        let fd = self.fd;
        blocking(move || crate::close_sync(fd)).await
    }
}

impl Drop for FileHandle {
    fn drop(&mut self) {
        if !self.closed.get() {
            let _ = crate::close_sync(self.fd);
        }
    }
}
