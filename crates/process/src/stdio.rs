//! `process.stdin`, `process.stdout` and `process.stderr`.
//!
//! - [`write_stdout`] / [`write_stderr`] write a whole buffer under the stream's lock, so the
//!   bytes of one call are never interleaved with another write from this process (Node's
//!   synchronous writes to files and TTYs give the same guarantee for one `write` call).
//! - [`read_stdin`] reads standard input without blocking the loop: a reader thread does the
//!   blocking reads (so it works for a TTY, a pipe, a socket or a regular file alike) and hands
//!   each chunk to the loop through an async handle; `on_data` runs in the poll phase, like
//!   Node's `'data'` events, and `on_end` once at end of input (`'end'`) or on an error.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};

use nodestd_loop::AsyncHandle;

/// Writes all of `data` to standard output (and flushes), as one uninterrupted write.
///
/// # Errors
/// The write failed (e.g. `EPIPE` when the reader went away).
pub fn write_stdout(data: impl AsRef<[u8]>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(data.as_ref())?;
    out.flush()
}

/// Writes all of `data` to standard error, as one uninterrupted write.
///
/// # Errors
/// The write failed.
pub fn write_stderr(data: impl AsRef<[u8]>) -> io::Result<()> {
    let mut err = io::stderr().lock();
    err.write_all(data.as_ref())?;
    err.flush()
}

enum Event {
    Data(Vec<u8>),
    End,
    Error(io::Error),
}

/// How much one read asks for (Node reads stdin in 64 KiB chunks).
const CHUNK: usize = 64 * 1024;

/// A reader of standard input on the loop; see [`read_stdin`].
pub struct StdinReader {
    handle: AsyncHandle,
}

impl StdinReader {
    /// Stops delivering data and lets the loop exit (`process.stdin.destroy()`). The reader
    /// thread stays blocked in its read until input arrives or ends, then exits.
    pub fn close(&self) {
        self.handle.close_quietly();
    }

    /// `process.stdin.unref()`: reading no longer keeps the loop alive.
    pub fn unref(&self) {
        self.handle.unref();
    }

    /// `process.stdin.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) {
        self.handle.ref_();
    }
}

/// Reads standard input on the loop: `on_data` gets each chunk as it arrives, `on_end` gets
/// `None` at end of input or the error that stopped reading. While reading, the loop stays
/// alive (as with a `'data'` listener on `process.stdin`). Call it once per process. When
/// the reader thread cannot be started (`EAGAIN`), `on_end` gets that error on the loop.
///
/// ```no_run
/// nodestd_process::run(|| {
///     nodestd_process::read_stdin(
///         |chunk| { let _ = nodestd_process::write_stdout(&chunk); },
///         |err| if let Some(e) = err { eprintln!("stdin: {e}") },
///     );
/// });
/// ```
///
/// # Panics
/// Outside a running loop.
pub fn read_stdin(
    mut on_data: impl FnMut(Vec<u8>) + 'static,
    on_end: impl FnOnce(Option<io::Error>) + 'static,
) -> StdinReader {
    let queue: Arc<Mutex<VecDeque<Event>>> = Arc::new(Mutex::new(VecDeque::new()));
    let q = Arc::clone(&queue);
    let mut on_end = Some(on_end);
    let closer: std::rc::Rc<std::cell::RefCell<Option<AsyncHandle>>> = Default::default();
    let closer2 = std::rc::Rc::clone(&closer);
    let handle = AsyncHandle::new(move || {
        loop {
            let ev = q
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .pop_front();
            let Some(ev) = ev else { break };
            let end = match ev {
                Event::Data(d) => {
                    on_data(d);
                    continue;
                }
                Event::End => None,
                Event::Error(e) => Some(e),
            };
            if let Some(h) = closer2.borrow_mut().take() {
                h.close_quietly();
            }
            if let Some(f) = on_end.take() {
                f(end);
            }
            break;
        }
    });
    let sender = handle.sender();
    let failed_sender = handle.sender();
    let failed_queue = Arc::clone(&queue);
    let started = std::thread::Builder::new()
        .name("nodestd-stdin".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            let mut buf = vec![0u8; CHUNK];
            loop {
                let ev = match stdin.read(&mut buf) {
                    Ok(0) => Event::End,
                    Ok(n) => Event::Data(buf[..n].to_vec()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Event::Error(e),
                };
                let last = !matches!(ev, Event::Data(_));
                queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push_back(ev);
                sender.send();
                if last {
                    return;
                }
            }
        });
    if let Err(e) = started {
        // No thread (EAGAIN): reading ends at once with that error, delivered on the loop
        // like any other end of input (Node's stream would emit 'error').
        failed_queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push_back(Event::Error(e));
        failed_sender.send();
    }
    // The callback closes the handle at the end; it needs its own copy of the handle.
    *closer.borrow_mut() = Some(handle.clone());
    StdinReader { handle }
}
