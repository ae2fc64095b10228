//! `fs.createReadStream` and `fs.createWriteStream` on the stream crate, as Node's
//! `lib/internal/fs/streams.js`: the stream's `construct` opens the file on the worker pool
//! (then emits `open` with the descriptor and `ready`; a failed open destroys the stream:
//! `error`, then `close`); each `_read`, `_write` and the close run on the worker pool, so the
//! loop thread never blocks on the file.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use nodestd_events::Named;
use nodestd_loop::work::{self, Lane};
use nodestd_stream::{Bytes, Callback, Chunk, Options, Readable, Stream, Writable};

use crate::fd::Fd;
use crate::flags::OpenFlags;

fn stream_error(e: crate::Error) -> nodestd_stream::Error {
    let code = e.code().to_owned();
    nodestd_stream::Error::from_error_with_code(code, e)
}

/// `fs.createReadStream` options.
#[derive(Debug, Clone)]
pub struct ReadStreamOptions {
    /// `flags` (default `'r'`).
    pub flags: OpenFlags,
    /// `encoding`: emit strings instead of Buffers.
    pub encoding: Option<nodestd_stream::Encoding>,
    /// `fd`: read this descriptor instead of opening `path`.
    pub fd: Option<Fd>,
    /// `mode` for a created file (default `0o666`).
    pub mode: u32,
    /// `autoClose` (default true): close the descriptor at the end or on error.
    pub auto_close: bool,
    /// `start`: the first byte to read (default: the descriptor's position).
    pub start: Option<u64>,
    /// `end`: the last byte to read, inclusive (default: to the end of the file).
    pub end: Option<u64>,
    /// `highWaterMark` (default 64 KiB).
    pub high_water_mark: usize,
}

impl Default for ReadStreamOptions {
    fn default() -> Self {
        ReadStreamOptions {
            flags: OpenFlags::READ,
            encoding: None,
            fd: None,
            mode: 0o666,
            auto_close: true,
            start: None,
            end: None,
            high_water_mark: 64 * 1024,
        }
    }
}

struct FileState {
    path: PathBuf,
    fd: Option<Fd>,
    pos: Option<u64>,
    auto_close: bool,
}

/// The `open` event: `stream.emitter().on(open_event(), |fd| …)` (Node's `'open'`, with the
/// descriptor). It is followed by `ready` (`Named::<()>::new("ready")`).
pub fn open_event() -> Named<Fd> {
    Named::new("open")
}

/// Node's `_construct` of a file stream: with a descriptor given, nothing to do; else the
/// file is opened on the worker pool, and once the stream holds the descriptor it emits
/// `open` (with it) and `ready`. A failed open is the construct's error (the stream is
/// destroyed with it: `error`, then `close`).
fn construct<R: 'static, W: 'static>(
    st: Rc<RefCell<FileState>>,
    flags: OpenFlags,
    mode: u32,
) -> impl FnMut(&Stream<R, W>, Callback) + 'static {
    move |s, cb| {
        if st.borrow().fd.is_some() {
            return cb.ok();
        }
        let path = st.borrow().path.clone();
        let (st, s) = (Rc::clone(&st), s.clone());
        work::callback(
            Lane::Normal,
            move || crate::open_sync(path, flags, mode),
            move |r| match r {
                Err(e) => cb.err(stream_error(e)),
                Ok(fd) => {
                    st.borrow_mut().fd = Some(fd);
                    cb.ok();
                    let _ = s.emitter().emit(open_event(), fd);
                    let _ = s.emitter().emit(Named::<()>::new("ready"), ());
                }
            },
        );
    }
}

/// The descriptor a constructed stream reads or writes (`EBADF` if it has none, which the
/// stream crate's order of calls rules out).
fn fd_of(st: &RefCell<FileState>, syscall: &str) -> Result<Fd, nodestd_stream::Error> {
    st.borrow()
        .fd
        .ok_or_else(|| stream_error(crate::Error::from_errno(9, syscall, None, None)))
}

fn close_then(st: &Rc<RefCell<FileState>>, cb: Callback, err: Option<nodestd_stream::Error>) {
    let fd = {
        let mut s = st.borrow_mut();
        if s.auto_close { s.fd.take() } else { None }
    };
    match fd {
        Some(fd) => work::callback(
            Lane::Normal,
            move || crate::close_sync(fd),
            move |r| match (err, r) {
                (Some(e), _) => cb.err(e),
                (None, Err(e)) => cb.err(stream_error(e)),
                (None, Ok(())) => cb.ok(),
            },
        ),
        None => cb.call(err),
    }
}

/// `fs.createReadStream(path, options)`: a [`Readable`] of the file's bytes from `start` to
/// `end` (inclusive), `high_water_mark` bytes per read, each read on the worker pool.
///
/// ```
/// let f = std::env::temp_dir().join(format!("nodestd-fs-doc-rs-{}", std::process::id()));
/// nodestd_fs::write_file_sync(&f, "hello world", Default::default()).unwrap();
/// let g = f.clone();
/// nodestd_loop::run(move || {
///     let opts = nodestd_fs::ReadStreamOptions { start: Some(6), ..Default::default() };
///     let r = nodestd_fs::create_read_stream(&g, opts);
///     r.on_data(|c| assert_eq!(c.as_bytes(), b"world"));
/// });
/// nodestd_fs::unlink_sync(&f).unwrap();
/// ```
#[doc(alias = "createReadStream")]
pub fn create_read_stream(path: impl AsRef<Path>, options: ReadStreamOptions) -> Readable {
    let st = Rc::new(RefCell::new(FileState {
        path: path.as_ref().to_path_buf(),
        fd: options.fd,
        pos: options.start,
        auto_close: options.auto_close,
    }));
    let end = options.end;
    let (flags, mode) = (options.flags, options.mode);
    let st_read = Rc::clone(&st);
    let st_destroy = Rc::clone(&st);
    let mut opts: Options<Chunk, nodestd_stream::Never> = Options::new()
        .high_water_mark(options.high_water_mark)
        .construct(construct(Rc::clone(&st), flags, mode))
        .read(move |s: &Readable, size| {
            let fd = match fd_of(&st_read, "read") {
                Ok(fd) => fd,
                Err(e) => return s.destroy(Some(e)),
            };
            let (s, st) = (s.clone(), Rc::clone(&st_read));
            let pos = st.borrow().pos;
            let mut want = size.max(1);
            if let (Some(end), Some(p)) = (end, pos) {
                if p > end {
                    s.push(None);
                    return;
                }
                want = want.min((end - p + 1) as usize);
            } else if let (Some(end), None) = (end, pos) {
                want = want.min((end + 1) as usize);
            }
            work::callback(
                Lane::Normal,
                move || crate::forms::read_owned(fd, vec![0u8; want], pos),
                move |r| match r {
                    Err(e) => s.destroy(Some(stream_error(e))),
                    Ok((0, _)) => {
                        s.push(None);
                    }
                    Ok((n, mut buf)) => {
                        if let Some(p) = &mut st.borrow_mut().pos {
                            *p += n as u64;
                        }
                        buf.truncate(n);
                        s.push(Some(Chunk::Bytes(Bytes::from(buf))));
                    }
                },
            );
        })
        .destroy(move |_s: &Readable, err, cb| close_then(&st_destroy, cb, err));
    if let Some(e) = options.encoding {
        opts = opts.encoding(e);
    }
    Readable::new_readable(opts)
}

/// `fs.createWriteStream` options.
#[derive(Debug, Clone)]
pub struct WriteStreamOptions {
    /// `flags` (default `'w'`).
    pub flags: OpenFlags,
    /// `fd`: write this descriptor instead of opening `path`.
    pub fd: Option<Fd>,
    /// `mode` (default `0o666`).
    pub mode: u32,
    /// `autoClose` (default true).
    pub auto_close: bool,
    /// `start`: write from this byte (positional writes).
    pub start: Option<u64>,
    /// `flush`: fsync before closing.
    pub flush: bool,
    /// `highWaterMark` (default 16 KiB).
    pub high_water_mark: usize,
}

impl Default for WriteStreamOptions {
    fn default() -> Self {
        WriteStreamOptions {
            flags: OpenFlags::WRITE,
            fd: None,
            mode: 0o666,
            auto_close: true,
            start: None,
            flush: false,
            high_water_mark: 16 * 1024,
        }
    }
}

/// `fs.createWriteStream(path, options)`: a [`Writable`] whose every write runs on the
/// worker pool; `finish` comes after the last write, `close` after the descriptor is closed.
///
/// ```
/// let f = std::env::temp_dir().join(format!("nodestd-fs-doc-ws-{}", std::process::id()));
/// let g = f.clone();
/// nodestd_loop::run(move || {
///     let w = nodestd_fs::create_write_stream(&g, Default::default());
///     w.write(nodestd_stream::Chunk::from("hello "));
///     w.end_with(nodestd_stream::Chunk::from("world"));
/// });
/// assert_eq!(nodestd_fs::read_file_sync(&f, Default::default()).unwrap(), b"hello world");
/// nodestd_fs::unlink_sync(&f).unwrap();
/// ```
#[doc(alias = "createWriteStream")]
pub fn create_write_stream(path: impl AsRef<Path>, options: WriteStreamOptions) -> Writable {
    let st = Rc::new(RefCell::new(FileState {
        path: path.as_ref().to_path_buf(),
        fd: options.fd,
        pos: options.start,
        auto_close: options.auto_close,
    }));
    let (flags, mode, flush) = (options.flags, options.mode, options.flush);
    let (st_w, st_f, st_d) = (Rc::clone(&st), Rc::clone(&st), Rc::clone(&st));
    let opts: Options<nodestd_stream::Never, Chunk> = Options::new()
        .high_water_mark(options.high_water_mark)
        .construct(construct(Rc::clone(&st), flags, mode))
        .write(move |_s: &Writable, chunk: Chunk, cb| {
            let fd = match fd_of(&st_w, "write") {
                Ok(fd) => fd,
                Err(e) => return cb.err(e),
            };
            let data = chunk.as_bytes().to_vec();
            let st = Rc::clone(&st_w);
            let pos = st.borrow().pos;
            let len = data.len() as u64;
            work::callback(
                Lane::Normal,
                move || match pos {
                    None => crate::write_all(fd, &data, None),
                    Some(mut p) => {
                        let mut rest = &data[..];
                        while !rest.is_empty() {
                            let n = crate::write_sync(fd, rest, Some(p))?;
                            rest = &rest[n..];
                            p += n as u64;
                        }
                        Ok(())
                    }
                },
                move |r| match r {
                    Ok(()) => {
                        if let Some(p) = &mut st.borrow_mut().pos {
                            *p += len;
                        }
                        cb.ok()
                    }
                    Err(e) => cb.err(stream_error(e)),
                },
            );
        })
        .final_(move |_s: &Writable, cb| match fd_of(&st_f, "fsync") {
            Err(e) => cb.err(e),
            Ok(fd) if flush => work::callback(
                Lane::Normal,
                move || crate::fsync_sync(fd),
                move |r| match r {
                    Ok(()) => cb.ok(),
                    Err(e) => cb.err(stream_error(e)),
                },
            ),
            Ok(_) => cb.ok(),
        })
        .destroy(move |_s: &Writable, err, cb| close_then(&st_d, cb, err));
    Writable::new_writable(opts)
}
