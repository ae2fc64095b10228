//! `process.stdin` as a [`Readable`] and `process.stdout` / `process.stderr` as [`Writable`]s
//! of nodestd-stream, so `pipeline(stdin, createGzip(), stdout)` works as in a Node CLI, with
//! backpressure both ways.
//!
//! - [`stdin`]: a thread does the blocking reads (a TTY, a pipe, a socket or a regular file
//!   alike), one 64 KiB read per `_read` request of the stream, so no more than the stream's
//!   high-water mark plus one chunk is ever buffered: a paused or slow consumer stops the
//!   reading. The loop is kept alive only while a read is outstanding (as a Node stdin pipe
//!   is only while it reads), so a `stdin()` nobody reads lets the process end.
//! - [`stdout`] / [`stderr`]: a thread does each write (`write_all` and a flush under the
//!   std stream's lock, so a chunk never interleaves with `println!`); the write's callback
//!   runs on the loop when the bytes are out, so a slow reader of a pipe fills the writable's
//!   buffer, `write()` returns `false` and `pipe`/`pipeline` wait for `'drain'`. `end()`
//!   does not close the descriptor (Node's stdout and stderr are never closed), and a failed
//!   write (`EPIPE` when the reader went away) is the stream's `'error'` with Node's code and
//!   `write EPIPE` message.
//!
//! Deviations: each call makes a new stream over the descriptor (Node's are singletons: keep
//! one and clone it, clones are the same stream); writes to a file or a TTY are asynchronous
//! too (Node writes those synchronously), so call `end` (or await the write) before
//! `process.exit`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use nodestd_loop::AsyncHandle;
use nodestd_stream::{Callback, Chunk, Error, Options, Readable, Writable};

/// How much one read of standard input asks for (libuv's 64 KiB).
const CHUNK: usize = 64 * 1024;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A system error as the stream's error: Node's code and `syscall CODE` message.
fn sys_error(syscall: &str, e: io::Error) -> Error {
    let code = e
        .raw_os_error()
        .and_then(nodestd_sys::errno::lookup)
        .map_or("EIO", |(code, _)| code);
    Error::from_error_with_code(code, io::Error::new(e.kind(), format!("{syscall} {code}")))
}

/// The end of a `_destroy`: closes the stream's async handle and passes the error on.
fn close_and_call_back(handle: Option<AsyncHandle>, err: Option<Error>, cb: Callback) {
    if let Some(h) = handle {
        h.close_quietly();
    }
    match err {
        Some(e) => cb.err(e),
        None => cb.ok(),
    }
}

enum ReadEvent {
    Data(Vec<u8>),
    End,
    Error(io::Error),
}

#[derive(Default)]
struct StdinState {
    handle: Option<AsyncHandle>,
    requests: Option<mpsc::Sender<()>>,
}

/// `process.stdin`: standard input as a readable byte stream (see the module's notes).
///
/// ```no_run
/// use nodestd_stream::{pipeline, Stage};
/// nodestd_process::run(|| {
///     let (input, output) = (nodestd_process::stdin(), nodestd_process::stdout());
///     pipeline(vec![Stage::readable(&input), Stage::writable(&output)], |err| {
///         if let Some(e) = err { eprintln!("{e}") }
///     });
/// });
/// ```
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "process.stdin")]
pub fn stdin() -> Readable<Chunk> {
    let state: Rc<RefCell<StdinState>> = Rc::default();
    let queue: Arc<Mutex<VecDeque<ReadEvent>>> = Arc::default();
    let (read_state, destroy_state) = (Rc::clone(&state), Rc::clone(&state));
    let opts = Options::new()
        .high_water_mark(CHUNK)
        .read(move |s: &Readable<Chunk>, _size| {
            let mut st = read_state.borrow_mut();
            if st.requests.is_none() {
                match start_reader(s, &queue, &read_state) {
                    Ok((handle, requests)) => {
                        st.handle = Some(handle);
                        st.requests = Some(requests);
                    }
                    Err(e) => {
                        drop(st);
                        s.destroy(Some(sys_error("read", e)));
                        return;
                    }
                }
            }
            if let Some(h) = &st.handle {
                h.ref_();
            }
            if let Some(r) = &st.requests {
                let _ = r.send(());
            }
        })
        .destroy(move |_, err, cb: Callback| {
            let mut st = destroy_state.borrow_mut();
            st.requests = None; // the reader thread ends at its next request
            let handle = st.handle.take();
            drop(st);
            close_and_call_back(handle, err, cb);
        });
    Readable::new_readable(opts)
}

/// Starts the reader thread and the async handle that brings its chunks to the loop.
fn start_reader(
    s: &Readable<Chunk>,
    queue: &Arc<Mutex<VecDeque<ReadEvent>>>,
    state: &Rc<RefCell<StdinState>>,
) -> io::Result<(AsyncHandle, mpsc::Sender<()>)> {
    let (stream, q, st) = (s.clone(), Arc::clone(queue), Rc::clone(state));
    let handle = AsyncHandle::new(move || {
        loop {
            let ev = lock(&q).pop_front();
            let Some(ev) = ev else { break };
            // Idle until the stream asks again (its `read` refs the handle).
            if let Some(h) = &st.borrow().handle {
                h.unref();
            }
            match ev {
                ReadEvent::Data(d) => {
                    stream.push(Some(Chunk::from(d)));
                }
                ReadEvent::End => {
                    stream.push(None);
                }
                ReadEvent::Error(e) => stream.destroy(Some(sys_error("read", e))),
            }
        }
    });
    let sender = handle.sender();
    let (tx, rx) = mpsc::channel::<()>();
    let q = Arc::clone(queue);
    std::thread::Builder::new()
        .name("nodestd-stdin".into())
        .spawn(move || {
            let mut input = io::stdin().lock();
            let mut buf = vec![0u8; CHUNK];
            while rx.recv().is_ok() {
                let ev = loop {
                    match input.read(&mut buf) {
                        Ok(0) => break ReadEvent::End,
                        Ok(n) => break ReadEvent::Data(buf[..n].to_vec()),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => break ReadEvent::Error(e),
                    }
                };
                let last = !matches!(ev, ReadEvent::Data(_));
                lock(&q).push_back(ev);
                sender.send();
                if last {
                    return;
                }
            }
        })
        .inspect_err(|_| handle.close_quietly())?;
    Ok((handle, tx))
}

#[derive(Clone, Copy)]
enum Fd {
    Out,
    Err,
}

#[derive(Default)]
struct WriterState {
    handle: Option<AsyncHandle>,
    writes: Option<mpsc::Sender<Vec<u8>>>,
    pending: Option<Callback>,
}

/// `process.stdout`: standard output as a writable byte stream (see the module's notes).
///
/// ```
/// use nodestd_stream::Chunk;
/// nodestd_process::run(|| {
///     let out = nodestd_process::stdout();
///     out.write(Chunk::from("hello\n"));
///     out.end();
/// });
/// ```
///
/// # Panics
/// Outside a running loop (at the first write).
#[doc(alias = "process.stdout")]
pub fn stdout() -> Writable<Chunk> {
    writer(Fd::Out)
}

/// `process.stderr`: standard error as a writable byte stream (see [`stdout`]).
#[doc(alias = "process.stderr")]
pub fn stderr() -> Writable<Chunk> {
    writer(Fd::Err)
}

fn writer(fd: Fd) -> Writable<Chunk> {
    let state: Rc<RefCell<WriterState>> = Rc::default();
    let results: Arc<Mutex<VecDeque<io::Result<()>>>> = Arc::default();
    let (w1, w2, d) = (Rc::clone(&state), Rc::clone(&state), Rc::clone(&state));
    let r2 = Arc::clone(&results);
    let opts = Options::new()
        .write(move |_, chunk: Chunk, cb| {
            submit(fd, &w1, &results, chunk.as_bytes().to_vec(), cb);
        })
        .writev(move |_, chunks: Vec<Chunk>, cb| {
            let mut all = Vec::with_capacity(chunks.iter().map(|c| c.as_bytes().len()).sum());
            for c in &chunks {
                all.extend_from_slice(c.as_bytes());
            }
            submit(fd, &w2, &r2, all, cb);
        })
        .destroy(move |_, err, cb: Callback| {
            let mut st = d.borrow_mut();
            st.writes = None; // the writer thread ends after the writes it has
            let handle = st.handle.take();
            drop(st);
            close_and_call_back(handle, err, cb);
        });
    Writable::new_writable(opts)
}

/// Hands one write to the writer thread (started at the first write); `cb` runs on the loop
/// when it is done.
fn submit(
    fd: Fd,
    state: &Rc<RefCell<WriterState>>,
    results: &Arc<Mutex<VecDeque<io::Result<()>>>>,
    bytes: Vec<u8>,
    cb: Callback,
) {
    if state.borrow().writes.is_none() {
        if let Err(e) = start_writer(fd, state, results) {
            cb.err(sys_error("write", e));
            return;
        }
    }
    let mut st = state.borrow_mut();
    st.pending = Some(cb);
    if let Some(h) = &st.handle {
        h.ref_();
    }
    if let Some(w) = &st.writes {
        let _ = w.send(bytes);
    }
}

fn start_writer(
    fd: Fd,
    state: &Rc<RefCell<WriterState>>,
    results: &Arc<Mutex<VecDeque<io::Result<()>>>>,
) -> io::Result<()> {
    let (st, q) = (Rc::clone(state), Arc::clone(results));
    let handle = AsyncHandle::new(move || {
        loop {
            let r = lock(&q).pop_front();
            let Some(r) = r else { break };
            let cb = {
                let mut s = st.borrow_mut();
                if let Some(h) = &s.handle {
                    h.unref();
                }
                s.pending.take()
            };
            if let Some(cb) = cb {
                match r {
                    Ok(()) => cb.ok(),
                    Err(e) => cb.err(sys_error("write", e)),
                }
            }
        }
    });
    let sender = handle.sender();
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let q = Arc::clone(results);
    std::thread::Builder::new()
        .name("nodestd-stdout".into())
        .spawn(move || {
            for bytes in rx {
                let r = match fd {
                    Fd::Out => {
                        let mut out = io::stdout().lock();
                        out.write_all(&bytes).and_then(|()| out.flush())
                    }
                    Fd::Err => {
                        let mut err = io::stderr().lock();
                        err.write_all(&bytes).and_then(|()| err.flush())
                    }
                };
                lock(&q).push_back(r);
                sender.send();
            }
        })
        .inspect_err(|_| handle.close_quietly())?;
    handle.unref();
    let mut s = state.borrow_mut();
    s.handle = Some(handle);
    s.writes = Some(tx);
    Ok(())
}
