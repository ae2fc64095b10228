//! `exec` and `execFile`: [`spawn`] with both outputs buffered and one
//! callback at the end, as Node's `lib/child_process.js` writes them (`exithandler`,
//! `errorhandler`, the `maxBuffer` check on each chunk, the timeout that sets `killed`). The
//! outputs are strings decoded with the `encoding` (`'utf8'` by default; each stream's
//! `setEncoding`) or bytes for `'buffer'`; `maxBuffer` counts each chunk as Node does:
//! `Buffer.byteLength(chunk, encoding)` of a string chunk, the length of a Buffer.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_buffer::Encoding;
use nodestd_stream::Chunk;

use crate::spawn::{Close, Error, SpawnOptions, spawn};
use crate::sync::{SpawnError, SyncOptions};

/// Options of `exec` / `execFile`: cwd, env, argv0, shell, killSignal from [`SyncOptions`]
/// (its `max_buffer` is `maxBuffer`, 1 MiB by default), plus `timeout` in ms (0 = none), an
/// abort `signal` and the outputs' `encoding`.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    /// cwd, env, argv0, shell, kill_signal, max_buffer.
    pub base: SyncOptions,
    /// `timeout` in ms: then the child gets `kill_signal` and the error says `killed`.
    pub timeout: u64,
    /// `signal`: aborting it kills the child with `kill_signal`; the error is then Node's
    /// `AbortError` (code `ABORT_ERR`, with `cmd`).
    pub signal: Option<nodestd_events::AbortSignal>,
    /// `encoding`: the outputs are [`Output::Text`] decoded with it (Node's default,
    /// `'utf8'`), or [`Output::Bytes`] when `None` (`'buffer'`, or a name Node does not know:
    /// see [`encoding_named`]).
    pub encoding: Option<Encoding>,
}

impl Default for ExecOptions {
    fn default() -> ExecOptions {
        ExecOptions {
            base: SyncOptions::default(),
            timeout: 0,
            signal: None,
            encoding: Some(Encoding::Utf8),
        }
    }
}

/// The `encoding` option as `execFile` reads a name: an encoding when `Buffer.isEncoding`
/// knows the name; `None` (the outputs stay bytes) for `'buffer'` and for any other name.
///
/// ```
/// use nodestd_child_process::exec::encoding_named;
/// use nodestd_buffer::Encoding;
/// assert_eq!(encoding_named("HEX"), Some(Encoding::Hex));
/// assert_eq!(encoding_named("buffer"), None);
/// assert_eq!(encoding_named("nope"), None);
/// ```
pub fn encoding_named(name: &str) -> Option<Encoding> {
    if nodestd_buffer::is_encoding(name) {
        Encoding::parse(name)
    } else {
        None
    }
}

/// An output of `exec` / `execFile`: a string when an `encoding` was set, else bytes (Node's
/// `Buffer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// `'buffer'`: the bytes.
    Bytes(Vec<u8>),
    /// The output decoded with the `encoding` (chunk by chunk, as a stream's `setEncoding`).
    Text(String),
}

impl Output {
    /// The bytes, or the string's UTF-8 bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Output::Bytes(b) => b,
            Output::Text(s) => s.as_bytes(),
        }
    }

    /// The string; `None` for bytes.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Output::Text(s) => Some(s),
            Output::Bytes(_) => None,
        }
    }

    /// `` `${output}` ``: the string, or the bytes decoded as UTF-8 (`Buffer`'s `toString`).
    pub fn to_text(&self) -> String {
        match self {
            Output::Text(s) => s.clone(),
            Output::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }

    /// Appends `chunk`, or only its first `keep` units (UTF-16 units of a string, bytes of
    /// a Buffer: `chunk.slice(0, keep)`).
    fn push(&mut self, chunk: &Chunk, keep: Option<usize>) {
        match self {
            Output::Text(out) => {
                let text = match chunk {
                    Chunk::Str(s) => std::borrow::Cow::Borrowed(s.as_str()),
                    Chunk::Bytes(b) => String::from_utf8_lossy(b),
                };
                match keep {
                    None => out.push_str(&text),
                    Some(n) => out.push_str(&js_slice(&text, n)),
                }
            }
            Output::Bytes(v) => {
                let b = chunk.as_bytes();
                v.extend_from_slice(&b[..keep.unwrap_or(b.len()).min(b.len())]);
            }
        }
    }
}

/// `s.slice(0, n)` in UTF-16 code units; a surrogate pair cut in two leaves U+FFFD (a Rust
/// string cannot hold the lone surrogate JavaScript keeps).
fn js_slice(s: &str, n: usize) -> String {
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        let w = c.len_utf16();
        if units + w > n {
            if units < n {
                out.push('\u{fffd}');
            }
            break;
        }
        out.push(c);
        units += w;
    }
    out
}

/// The `code` of an exec error: the exit status, or a string code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecCode {
    /// The child's exit status.
    Status(i32),
    /// A string code (`ENOENT`, `ERR_CHILD_PROCESS_STDIO_MAXBUFFER`).
    Code(String),
}

/// The error given to the callback, with Node's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecError {
    /// `Command failed: <cmd>\n<stderr>`, `spawn nope ENOENT`, or
    /// `stdout maxBuffer length exceeded`.
    pub message: String,
    /// `code`; `None` when a signal ended the child.
    pub code: Option<ExecCode>,
    /// `killed`: set for a failed command (true when this side killed it, by timeout or
    /// `kill`); `None` on spawn and maxBuffer errors, which have no such field.
    pub killed: Option<bool>,
    /// `signal`: the signal that ended the child (a failed command only).
    pub signal: Option<&'static str>,
    /// `cmd`: the file and arguments joined by spaces (for `exec`, the command).
    pub cmd: String,
    /// The spawn error's own fields (errno, syscall, path, spawnargs) when spawning failed.
    pub spawn: Option<SpawnError>,
}

impl std::fmt::Display for ExecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExecError {}

/// The callback: `(error, stdout, stderr)`.
pub type ExecCallback = Box<dyn FnOnce(Option<ExecError>, Output, Output)>;

struct State {
    out: [Output; 2],
    /// What `maxBuffer` counts of each output so far.
    len: [usize; 2],
    error: Option<ExecError>,
    killed: bool,
    cb: Option<ExecCallback>,
}

/// `child_process.execFile(file, args, options, callback)`: never a shell, so `; rm -rf /`
/// in an argument is only an argument. Must run on the loop.
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "execFile")]
pub fn exec_file(
    file: &str,
    args: &[&str],
    options: ExecOptions,
    cb: impl FnOnce(Option<ExecError>, Output, Output) + 'static,
) -> crate::spawn::ChildProcess {
    let cmd = std::iter::once(file)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    run(file, args, options, cmd, Box::new(cb))
}

/// `child_process.exec(command, options, callback)`: `command` run by `options.shell`
/// (default `/bin/sh`) with `-c`. Must run on the loop.
///
/// # Panics
/// Outside a running loop.
pub fn exec(
    command: &str,
    options: ExecOptions,
    cb: impl FnOnce(Option<ExecError>, Output, Output) + 'static,
) -> crate::spawn::ChildProcess {
    let mut options = options;
    options.base.shell.get_or_insert_with(|| "/bin/sh".into());
    run(command, &[], options, command.to_owned(), Box::new(cb))
}

fn run(
    file: &str,
    args: &[&str],
    options: ExecOptions,
    cmd: String,
    cb: ExecCallback,
) -> crate::spawn::ChildProcess {
    let max = options.base.max_buffer;
    let kill_signal = options.base.kill_signal;
    let timeout = options.timeout;
    let child = spawn(
        file,
        args,
        SpawnOptions {
            base: options.base,
            signal: options.signal,
            ..SpawnOptions::default()
        },
    );
    let encoding = options.encoding;
    let empty = move || match encoding {
        Some(_) => Output::Text(String::new()),
        None => Output::Bytes(Vec::new()),
    };
    let st = Rc::new(RefCell::new(State {
        out: [empty(), empty()],
        len: [0, 0],
        error: None,
        killed: false,
        cb: Some(cb),
    }));
    for (i, stream) in [child.stdout(), child.stderr()].into_iter().enumerate() {
        let Some(stream) = stream else { continue };
        if let Some(e) = encoding {
            stream.set_encoding(e);
        }
        let (st, c, cmd) = (Rc::clone(&st), child.clone(), cmd.clone());
        stream.on_data(move |chunk| {
            let mut s = st.borrow_mut();
            if s.error.is_some() {
                return;
            }
            // Node's onChildStdout: `Buffer.byteLength(chunk, encoding)` of a string chunk,
            // the length of a Buffer; the part kept is `chunk.slice(0, truncatedLen)`, in
            // UTF-16 units for a string.
            let length = match (encoding, chunk) {
                (Some(e), Chunk::Str(text)) => e.byte_length(text),
                _ => chunk.as_bytes().len(),
            };
            let before = s.len[i];
            s.len[i] = before.saturating_add(length);
            if s.len[i] > max {
                s.out[i].push(chunk, Some(max - before));
                s.error = Some(ExecError {
                    message: format!(
                        "{} maxBuffer length exceeded",
                        if i == 0 { "stdout" } else { "stderr" }
                    ),
                    code: Some(ExecCode::Code("ERR_CHILD_PROCESS_STDIO_MAXBUFFER".into())),
                    killed: None,
                    signal: None,
                    cmd: cmd.clone(),
                    spawn: None,
                });
                drop(s);
                kill(&st, &c, kill_signal);
            } else {
                s.out[i].push(chunk, None);
            }
        });
    }
    let timer = (timeout > 0).then(|| {
        let (st, c) = (Rc::clone(&st), child.clone());
        nodestd_loop::set_timeout(timeout, move || kill(&st, &c, kill_signal))
    });
    let timer = Rc::new(RefCell::new(timer));
    {
        // Node's errorhandler: the error, the outputs destroyed, and the callback at once
        // (not at 'close', which may wait for a process the command started).
        let (st, cmd, c, timer) = (
            Rc::clone(&st),
            cmd.clone(),
            child.clone(),
            Rc::clone(&timer),
        );
        child.emitter().on(Error, move |e| {
            let error = ExecError {
                message: e.to_string(),
                code: Some(ExecCode::Code(e.code.clone())),
                killed: None,
                signal: None,
                cmd: cmd.clone(),
                // An AbortError has no errno, syscall, path or spawnargs.
                spawn: (!e.is_abort()).then(|| e.clone()),
            };
            st.borrow_mut().error = Some(error);
            destroy_outputs(&c);
            finish(&st, &timer, &cmd, &c, None, None, &empty);
        });
    }
    let c = child.clone();
    child.emitter().on(Close, move |(code, signal)| {
        finish(&st, &timer, &cmd, &c, *code, *signal, &empty);
    });
    child
}

/// Node's `kill()` in `execFile` (timeout, `maxBuffer`): the outputs destroyed first, so that
/// `'close'` comes with the child's exit even when a process it started holds the pipes
/// (and a child that ignores the signal meets `SIGPIPE` at its next write), then the signal.
fn kill(st: &Rc<RefCell<State>>, child: &crate::spawn::ChildProcess, kill_signal: i32) {
    destroy_outputs(child);
    st.borrow_mut().killed = true;
    child.kill(kill_signal);
}

fn destroy_outputs(child: &crate::spawn::ChildProcess) {
    for s in [child.stdout(), child.stderr()].into_iter().flatten() {
        s.destroy(None);
    }
}

/// Node's `exithandler`: the callback, once, with the outputs so far.
fn finish(
    st: &Rc<RefCell<State>>,
    timer: &RefCell<Option<nodestd_loop::Timeout>>,
    cmd: &str,
    c: &crate::spawn::ChildProcess,
    code: Option<i32>,
    signal: Option<&'static str>,
    empty: &dyn Fn() -> Output,
) {
    if let Some(t) = timer.borrow_mut().take() {
        t.clear();
    }
    let mut s = st.borrow_mut();
    let Some(cb) = s.cb.take() else { return };
    let [out, err] = std::mem::replace(&mut s.out, [empty(), empty()]);
    let error = match s.error.take() {
        Some(e) => Some(e),
        None if code == Some(0) && signal.is_none() => None,
        None => Some(ExecError {
            message: format!("Command failed: {cmd}\n{}", err.to_text()),
            code: code.map(ExecCode::Status),
            killed: Some(c.killed() || s.killed),
            signal,
            cmd: cmd.to_owned(),
            spawn: None,
        }),
    };
    drop(s);
    cb(error, out, err);
}
