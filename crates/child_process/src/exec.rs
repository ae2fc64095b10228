//! `exec` and `execFile`: [`spawn`] with both outputs buffered and one
//! callback at the end, as Node's `lib/child_process.js` writes them (`exithandler`,
//! `errorhandler`, the `maxBuffer` check on each chunk, the timeout that sets `killed`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::spawn::{Close, Error, SpawnOptions, spawn};
use crate::sync::{SpawnError, SyncOptions};

/// Options of `exec` / `execFile`: cwd, env, argv0, shell, killSignal from [`SyncOptions`]
/// (its `max_buffer` is `maxBuffer`, 1 MiB by default), plus `timeout` in ms (0 = none) and
/// an abort `signal`.
#[derive(Debug, Clone, Default)]
pub struct ExecOptions {
    /// cwd, env, argv0, shell, kill_signal, max_buffer.
    pub base: SyncOptions,
    /// `timeout` in ms: then the child gets `kill_signal` and the error says `killed`.
    pub timeout: u64,
    /// `signal`: aborting it kills the child with `kill_signal`; the error is then Node's
    /// `AbortError` (code `ABORT_ERR`, with `cmd`).
    pub signal: Option<nodestd_events::AbortSignal>,
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
pub type ExecCallback = Box<dyn FnOnce(Option<ExecError>, Vec<u8>, Vec<u8>)>;

struct State {
    out: [Vec<u8>; 2],
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
    cb: impl FnOnce(Option<ExecError>, Vec<u8>, Vec<u8>) + 'static,
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
    cb: impl FnOnce(Option<ExecError>, Vec<u8>, Vec<u8>) + 'static,
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
    let st = Rc::new(RefCell::new(State {
        out: [Vec::new(), Vec::new()],
        error: None,
        killed: false,
        cb: Some(cb),
    }));
    for (i, stream) in [child.stdout(), child.stderr()].into_iter().enumerate() {
        let Some(stream) = stream else { continue };
        let (st, c, cmd) = (Rc::clone(&st), child.clone(), cmd.clone());
        stream.on_data(move |chunk| {
            let mut s = st.borrow_mut();
            if s.error.is_some() {
                return;
            }
            let bytes = chunk.as_bytes();
            let room = max.saturating_sub(s.out[i].len());
            if bytes.len() > room {
                s.out[i].extend_from_slice(&bytes[..room]);
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
                s.killed = true;
                drop(s);
                c.kill(kill_signal);
            } else {
                s.out[i].extend_from_slice(bytes);
            }
        });
    }
    let timer = (timeout > 0).then(|| {
        let (st, c) = (Rc::clone(&st), child.clone());
        nodestd_loop::set_timeout(timeout, move || {
            st.borrow_mut().killed = true;
            c.kill(kill_signal);
        })
    });
    let timer = Rc::new(RefCell::new(timer));
    {
        let (st, cmd) = (Rc::clone(&st), cmd.clone());
        child.emitter().on(Error, move |e| {
            st.borrow_mut().error = Some(ExecError {
                message: e.to_string(),
                code: Some(ExecCode::Code(e.code.clone())),
                killed: None,
                signal: None,
                cmd: cmd.clone(),
                // An AbortError has no errno, syscall, path or spawnargs.
                spawn: (!e.is_abort()).then(|| e.clone()),
            });
        });
    }
    let c = child.clone();
    child.emitter().on(Close, move |(code, signal)| {
        if let Some(t) = timer.borrow_mut().take() {
            t.clear();
        }
        let mut s = st.borrow_mut();
        let Some(cb) = s.cb.take() else { return };
        let [out, err] = std::mem::take(&mut s.out);
        let error = match s.error.take() {
            Some(e) => Some(e),
            None if *code == Some(0) && signal.is_none() => None,
            None => Some(ExecError {
                message: format!("Command failed: {cmd}\n{}", String::from_utf8_lossy(&err)),
                code: code.map(ExecCode::Status),
                killed: Some(c.killed() || s.killed),
                signal: *signal,
                cmd: cmd.clone(),
                spawn: None,
            }),
        };
        drop(s);
        cb(error, out, err);
    });
    child
}
