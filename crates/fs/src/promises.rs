//! `fs.promises`: rows of fs's one table of asynchronous forms (`forms.rs`, on
//! [`nodestd_loop::work`]). As in Node, each function queues its work on the worker pool **at
//! the call** and returns a future of its result ([`Pending`]); the work runs whether or not
//! the future is awaited. Descriptors are [`FileHandle`]s, whose methods also start their
//! work at the call. Call them on a running loop (`nodestd_loop::block_on`, `spawn_local`).
//!
//! ```
//! let st = nodestd_loop::block_on(async { nodestd_fs::promises::stat("/").await }).unwrap();
//! assert!(st.unwrap().is_directory());
//! ```

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::path::{Path, PathBuf};

use nodestd_loop::work::{self, Lane, Pending};

use crate::errors::Result;
use crate::fd::Fd;
use crate::forms::{Form, fs_forms, on_pool};

/// Which form `forms.rs`'s rows are expanded into here.
const FORM: Form = Form::Promise;

fs_forms!(promise<crate::Error>;);

/// `fsPromises.open(path, flags, mode)`: the `open` is queued on the pool at the call.
///
/// # Errors
/// As [`crate::open_sync`].
pub fn open(
    path: impl AsRef<Path>,
    flags: crate::OpenFlags,
    mode: u32,
) -> impl Future<Output = Result<FileHandle>> + 'static {
    let p = path.as_ref().to_path_buf();
    let opened = work::promise(Lane::Normal, move || crate::open_sync(p, flags, mode));
    async move {
        let fd = opened.await?;
        Ok(FileHandle {
            fd: Cell::new(Some(fd)),
            refs: Cell::new(1),
            close_waiters: RefCell::new(None),
        })
    }
}

/// `FileHandle`: an open file for the promise API, with Node's life cycle
/// (`lib/internal/fs/promises.js`): once [`close`](FileHandle::close) has begun, the handle
/// forgets its descriptor number and every method fails with Node's `EBADF` `file closed`
/// (syscall: the method's), so a closed handle never touches a descriptor the OS has since
/// handed to another file. Operations in flight when `close` is called finish first (Node's
/// `kRefs`), and the descriptor is closed after the last one. Dropping an open handle closes
/// its descriptor (Node closes it at garbage collection, with a warning).
pub struct FileHandle {
    /// The descriptor; `None` once closed or closing with nothing in flight (Node's `fd`
    /// of -1).
    fd: Cell<Option<Fd>>,
    /// Node's `kRefs`: 1 for the open handle plus one per operation in flight.
    refs: Cell<usize>,
    /// Node's `kClosePromise` while operations in flight delay the close: who awaits it.
    close_waiters: RefCell<Option<Vec<nodestd_loop::Resolver<Result<()>>>>>,
}

impl std::fmt::Debug for FileHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileHandle")
            .field("fd", &self.fd.get())
            .field("refs", &self.refs.get())
            .field("closing", &self.close_waiters.borrow().is_some())
            .finish()
    }
}

/// An operation in flight (Node's `kRef` … `kUnref`): dropping it releases the reference,
/// and the last release of a closing handle closes the descriptor.
struct InFlight<'a>(&'a FileHandle);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let h = self.0;
        h.refs.set(h.refs.get() - 1);
        if h.refs.get() > 0 {
            return;
        }
        let fd = h.fd.take();
        let waiters = h.close_waiters.take().unwrap_or_default();
        if let Some(fd) = fd {
            let closed = work::promise(Lane::Normal, move || crate::close_sync(fd));
            nodestd_loop::spawn_local(async move {
                let r = closed.await;
                for w in waiters {
                    w.resolve(r.clone());
                }
            });
        }
    }
}

macro_rules! handle_fns {
    ($( $(#[$doc:meta])* $name:ident ( $($a:ident : $t:ty),* ) -> $out:ty = $sync:path, $syscall:literal; )*) => {
        $(
            $(#[$doc])*
            ///
            /// # Errors
            /// As the `*_sync` form; `EBADF` `file closed` once the handle is closed.
            pub fn $name(&self, $($a: $t),*) -> impl Future<Output = Result<$out>> + '_ {
                self.call($syscall, move |fd| $sync(fd, $($a),*))
            }
        )*
    };
}

impl FileHandle {
    /// `filehandle.fd`: `None` once the handle is closed (Node's -1).
    pub fn fd(&self) -> Option<Fd> {
        self.fd.get()
    }

    /// Node's `fsCall`: `file closed` after close, else `f` on the pool with the handle
    /// referenced until it ends. As in Node, the check, the reference and the queueing of the
    /// work happen when the method is called, not when its future is first polled.
    fn call<T: Send + 'static>(
        &self,
        syscall: &str,
        f: impl FnOnce(Fd) -> Result<T> + Send + 'static,
    ) -> impl Future<Output = Result<T>> + '_ {
        let started = match self.fd.get() {
            None => Err(crate::Error::file_closed(syscall)),
            Some(fd) => {
                self.refs.set(self.refs.get() + 1);
                Ok((work::promise(Lane::Normal, move || f(fd)), InFlight(self)))
            }
        };
        async move {
            let (pending, _in_flight) = started?;
            pending.await
        }
    }

    handle_fns! {
        /// `filehandle.stat()`.
        stat() -> crate::Stats = crate::fstat_sync, "fstat";
        /// `filehandle.sync()`.
        sync() -> () = crate::fsync_sync, "fsync";
        /// `filehandle.datasync()`.
        datasync() -> () = crate::fdatasync_sync, "fdatasync";
        /// `filehandle.truncate(len)`.
        truncate(len: i64) -> () = crate::ftruncate_sync, "ftruncate";
        /// `filehandle.utimes(atime, mtime)`.
        utimes(atime: f64, mtime: f64) -> () = crate::futimes_sync, "futimes";
        /// `filehandle.chmod(mode)`.
        chmod(mode: u32) -> () = crate::fchmod_sync, "fchmod";
        /// `filehandle.chown(uid, gid)`.
        chown(uid: i64, gid: i64) -> () = crate::fchown_sync, "fchown";
        /// `filehandle.read(buffer, offset, length, position)`: the buffer comes back with
        /// the count.
        read(buf: Vec<u8>, position: Option<u64>) -> (usize, Vec<u8>) = crate::forms::read_owned, "read";
        /// `filehandle.write(buffer, …, position)`.
        write(data: Vec<u8>, position: Option<u64>) -> usize = crate::forms::write_owned, "write";
        /// `filehandle.readv(buffers, position)`.
        readv(bufs: Vec<Vec<u8>>, position: Option<u64>) -> (usize, Vec<Vec<u8>>) = crate::forms::readv_owned, "readv";
        /// `filehandle.writev(buffers, position)`.
        writev(bufs: Vec<Vec<u8>>, position: Option<u64>) -> usize = crate::forms::writev_owned, "writev";
    }

    /// `filehandle.readFile()`: from the current position to the end.
    ///
    /// # Errors
    /// As [`crate::read_all`]; `EBADF` `file closed` (syscall `readFile`) once closed.
    #[doc(alias = "readFile")]
    pub fn read_file(&self) -> impl Future<Output = Result<Vec<u8>>> + '_ {
        self.call("readFile", |fd| crate::read_all(fd, None))
    }

    /// `filehandle.writeFile(data)`: writes all of `data` at the position.
    ///
    /// # Errors
    /// As [`crate::write_all`]; `EBADF` `file closed` (syscall `writeFile`) once closed.
    #[doc(alias = "writeFile")]
    pub fn write_file(&self, data: Vec<u8>) -> impl Future<Output = Result<()>> + '_ {
        self.call("writeFile", move |fd| crate::write_all(fd, &data, None))
    }

    /// `filehandle.appendFile(data)`: Node's `writeFile` on the handle (the descriptor's own
    /// flags decide where the bytes go), with the same `writeFile` syscall in its errors.
    ///
    /// # Errors
    /// As [`FileHandle::write_file`].
    #[doc(alias = "appendFile")]
    pub fn append_file(&self, data: Vec<u8>) -> impl Future<Output = Result<()>> + '_ {
        self.write_file(data)
    }

    /// `filehandle.close()`, as Node's: a closed handle resolves at once; a handle with
    /// operations in flight closes after the last one, and a second `close` meanwhile waits
    /// for the same outcome. As in Node, the handle is closed (or closing) as soon as this is
    /// called: methods called after it fail with `file closed`.
    ///
    /// # Errors
    /// The system error of `close`.
    pub fn close(&self) -> impl Future<Output = Result<()>> + 'static {
        enum Step {
            Done,
            Close(Pending<(), crate::Error>),
            Wait(nodestd_loop::Promise<Result<()>>),
        }
        let step = match self.fd.get() {
            None => Step::Done,
            Some(_) => {
                let closing = self.close_waiters.borrow().is_some();
                if !closing {
                    self.refs.set(self.refs.get() - 1);
                }
                match self.fd.get() {
                    Some(fd) if !closing && self.refs.get() == 0 => {
                        self.fd.set(None);
                        Step::Close(work::promise(Lane::Normal, move || crate::close_sync(fd)))
                    }
                    _ => {
                        let (resolver, promise) = nodestd_loop::promise();
                        self.close_waiters
                            .borrow_mut()
                            .get_or_insert_with(Vec::new)
                            .push(resolver);
                        Step::Wait(promise)
                    }
                }
            }
        };
        async move {
            match step {
                Step::Done => Ok(()),
                Step::Close(closing) => closing.await,
                Step::Wait(promise) => promise.await.unwrap_or(Ok(())),
            }
        }
    }
}

impl Drop for FileHandle {
    fn drop(&mut self) {
        if let Some(fd) = self.fd.take() {
            let _ = crate::close_sync(fd);
        }
    }
}
