//! `spawnSync`, `execFileSync` and `execSync`: run a child to its end, blocking, and give back
//! its status, signal and buffered output with Node's result and error shapes.
//!
//! The child's stdin, stdout and stderr are pipes; `input` is written to stdin, which is then
//! closed. Both outputs are read in one thread with `poll(2)` until they close; then the child
//! is reaped. `timeout` and `max_buffer` kill the child with `kill_signal` and give libuv's
//! `ETIMEDOUT` / `ENOBUFS` error, as Node's `spawnSync` does.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Options of the sync forms (Node's `options` object; each field's default is Node's).
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// `cwd`: the child's working directory (default: this process's).
    pub cwd: Option<PathBuf>,
    /// `env`: the child's whole environment (default: `nodestd_process::env::vars()`, so a
    /// variable set through the process crate reaches the child).
    pub env: Option<Vec<(OsString, OsString)>>,
    /// `argv0`: the child's `argv[0]` (default: the command).
    pub argv0: Option<OsString>,
    /// `input`: written to the child's stdin, which is then closed.
    pub input: Option<Vec<u8>>,
    /// `timeout`: kill the child with `kill_signal` after this long.
    pub timeout: Option<Duration>,
    /// `killSignal` as a number (default `SIGTERM`, 15); [`signal_number`] turns a name into
    /// one.
    pub kill_signal: i32,
    /// `maxBuffer`: the most bytes of stdout or stderr kept (default 1 MiB); more kills the
    /// child with `kill_signal` and is `ENOBUFS`.
    pub max_buffer: usize,
    /// `shell`: run the command line through this shell with `-c` (for `exec_sync`, `/bin/sh`).
    pub shell: Option<OsString>,
}

impl Default for SyncOptions {
    fn default() -> SyncOptions {
        SyncOptions {
            cwd: None,
            env: None,
            argv0: None,
            input: None,
            timeout: None,
            kill_signal: 15,
            max_buffer: 1024 * 1024,
            shell: None,
        }
    }
}

/// A system error from spawning or running a child, with Node's fields: `spawnSync nope ENOENT`
/// has errno -2, code `ENOENT`, syscall `spawnSync nope`, path `nope` and the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnError {
    /// Node's code (`ENOENT`, `ETIMEDOUT`, `ENOBUFS`, ...).
    pub code: String,
    /// The negated errno, as Node reports it.
    pub errno: i32,
    /// `spawnSync <command>` (Node's `syscall`).
    pub syscall: String,
    /// The command (Node's `path`).
    pub path: String,
    /// The arguments after the command (Node's `spawnargs`).
    pub spawnargs: Vec<String>,
    /// The message of an error Node throws without a system call behind it (`Child process
    /// can have only one IPC pipe`); `None` for a system error, whose message is made of its
    /// syscall and code.
    pub message: Option<Box<str>>,
}

impl SpawnError {
    /// The error of `syscall` (`spawn` or `spawnSync`) for `file` from a positive OS errno.
    pub(crate) fn new(syscall: &str, errno: i32, file: &str, args: &[String]) -> SpawnError {
        let code = nodestd_sys::errno::lookup(errno).map_or_else(
            || format!("Unknown system error {}", -errno),
            |(c, _)| c.to_owned(),
        );
        SpawnError {
            code,
            errno: -errno,
            syscall: format!("{syscall} {file}"),
            path: file.to_owned(),
            spawnargs: args.to_vec(),
            message: None,
        }
    }
}

impl SpawnError {
    /// The `'error'` of a child whose abort signal fired: Node's `AbortError` (code
    /// `ABORT_ERR`, message `The operation was aborted`), with no errno, syscall or path.
    pub(crate) fn abort() -> SpawnError {
        SpawnError::thrown("ABORT_ERR", "The operation was aborted")
    }

    /// Whether this is the `AbortError` of an aborted child (its `name` is `AbortError`).
    pub fn is_abort(&self) -> bool {
        self.code == "ABORT_ERR" && self.syscall.is_empty()
    }

    /// Whether Node throws this error from the call instead of reporting it (an argument
    /// error, two `'ipc'` slots, a spawn errno Node does not turn into `'error'`): it has no
    /// `path` and is no abort.
    pub fn is_thrown(&self) -> bool {
        self.path.is_empty() && !self.is_abort()
    }

    /// An error Node throws from the call (no errno, syscall or path): its code and message.
    pub(crate) fn thrown(code: &str, message: impl Into<String>) -> SpawnError {
        SpawnError {
            code: code.to_owned(),
            errno: 0,
            syscall: String::new(),
            path: String::new(),
            spawnargs: Vec::new(),
            message: Some(message.into().into_boxed_str()),
        }
    }

    /// `err.name`: `AbortError` for an abort, `TypeError` for Node's argument errors
    /// (`ERR_INVALID_ARG_VALUE`, `ERR_INVALID_SYNC_FORK_INPUT`), `Error` otherwise.
    pub fn name(&self) -> &'static str {
        match self.code.as_str() {
            _ if self.is_abort() => "AbortError",
            "ERR_INVALID_ARG_VALUE" | "ERR_INVALID_SYNC_FORK_INPUT" => "TypeError",
            _ => "Error",
        }
    }
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(m) => f.write_str(m),
            None => write!(f, "{} {}", self.syscall, self.code),
        }
    }
}

/// Node's `ERR_UNKNOWN_SIGNAL` (a `TypeError`): a signal name that is not in
/// `os.constants.signals`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSignal(pub String);

impl UnknownSignal {
    /// `err.code`: `ERR_UNKNOWN_SIGNAL`.
    pub fn code(&self) -> &'static str {
        "ERR_UNKNOWN_SIGNAL"
    }
}

impl fmt::Display for UnknownSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Unknown signal: {}", self.0)
    }
}

impl std::error::Error for UnknownSignal {}

/// The number of a signal's name, as Node's `convertToValidSignal` takes a `killSignal` or
/// `kill`'s argument given as a string: in any case (`'sigterm'` is `SIGTERM`).
///
/// ```
/// use nodestd_child_process::sync::signal_number;
/// assert_eq!(signal_number("SIGKILL"), Ok(9));
/// assert_eq!(signal_number("sigterm"), Ok(15));
/// assert_eq!(signal_number("SIGFOO").unwrap_err().to_string(), "Unknown signal: SIGFOO");
/// ```
///
/// # Errors
/// [`UnknownSignal`] for a name that is no signal.
pub fn signal_number(name: &str) -> Result<i32, UnknownSignal> {
    nodestd_sys::signals::signal_number(&name.to_uppercase())
        .ok_or_else(|| UnknownSignal(name.to_owned()))
}

impl std::error::Error for SpawnError {}

/// What `spawnSync` returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpawnSyncReturns {
    /// The child's pid; 0 when it was never started.
    pub pid: u32,
    /// Its stdout; `None` when it was never started (Node's `null`).
    pub stdout: Option<Vec<u8>>,
    /// Its stderr; `None` when it was never started.
    pub stderr: Option<Vec<u8>>,
    /// Its exit status; `None` when a signal ended it or it never started.
    pub status: Option<i32>,
    /// The name of the signal that ended it.
    pub signal: Option<&'static str>,
    /// The spawn error, timeout (`ETIMEDOUT`) or overflow (`ENOBUFS`).
    pub error: Option<SpawnError>,
}

/// `child_process.spawnSync(command, args, options)`.
///
/// ```
/// use nodestd_child_process::sync::{spawn_sync, SyncOptions};
/// let r = spawn_sync("sh", &["-c", "echo out; exit 3"], &SyncOptions::default());
/// assert_eq!((r.status, r.stdout.as_deref()), (Some(3), Some(&b"out\n"[..])));
/// let e = spawn_sync("nope", &["a"], &SyncOptions::default()).error.unwrap();
/// assert_eq!(e.to_string(), "spawnSync nope ENOENT");
/// assert_eq!((e.errno, e.path.as_str()), (-2, "nope"));
/// ```
#[doc(alias = "spawnSync")]
pub fn spawn_sync(command: &str, args: &[&str], options: &SyncOptions) -> SpawnSyncReturns {
    if let Err(e) = crate::spawn::check_arguments(command, args, options) {
        return SpawnSyncReturns {
            error: Some(e),
            ..SpawnSyncReturns::default()
        };
    }
    let (file, argv, mut cmd) = command_for(command, args, options);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match spawn_command(&mut cmd) {
        Ok(c) => c,
        Err(e) => {
            let errno = e.raw_os_error().unwrap_or(libc_like::EINVAL);
            return SpawnSyncReturns {
                error: Some(SpawnError::new("spawnSync", errno, &file, &argv)),
                ..SpawnSyncReturns::default()
            };
        }
    };
    let pid = child.id();
    let deadline = options.timeout.map(|t| Instant::now() + t);
    let mut stdin = child.stdin.take();
    let mut input = options.input.as_deref().unwrap_or_default();
    if input.is_empty() {
        stdin = None; // closes it
    }
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let (mut out_buf, mut err_buf) = (Vec::new(), Vec::new());
    // Node's SyncProcessRunner: `maxBuffer` bounds stdout and stderr together, and 0 is no
    // bound (where `exec`'s 0 is).
    let max = match options.max_buffer {
        0 => usize::MAX,
        n => n,
    };
    let mut total = 0usize;
    let mut failure = None;
    // A pipe's own error (EPIPE writing `input`): the result's error unless a timeout or
    // overflow came first, as Node's `GetError` ranks them.
    let mut pipe_error = None;
    for fd in [
        out.as_ref().map(|p| p.as_fd()),
        err.as_ref().map(|p| p.as_fd()),
        stdin.as_ref().map(|p| p.as_fd()),
    ]
    .into_iter()
    .flatten()
    {
        let _ = nodestd_sys::fdflags::set_nonblocking(fd, true);
    }
    while out.is_some() || err.is_some() || stdin.is_some() {
        let wait = match deadline {
            Some(d) => match d.checked_duration_since(Instant::now()) {
                Some(left) => Some(left),
                None => {
                    failure = Some(libc_like::ETIMEDOUT);
                    break;
                }
            },
            None => None,
        };
        let mut fds = Vec::new();
        if let Some(p) = &out {
            fds.push(rustix::event::PollFd::new(p, rustix::event::PollFlags::IN));
        }
        if let Some(p) = &err {
            fds.push(rustix::event::PollFd::new(p, rustix::event::PollFlags::IN));
        }
        if let Some(p) = &stdin {
            fds.push(rustix::event::PollFd::new(p, rustix::event::PollFlags::OUT));
        }
        let ts = wait.map(|w| rustix::event::Timespec {
            tv_sec: w.as_secs() as i64,
            tv_nsec: i64::from(w.subsec_nanos()),
        });
        match rustix::event::poll(&mut fds, ts.as_ref()) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(_) => break,
        }
        drop(fds);
        if drain(&mut out, &mut out_buf, &mut total, max)
            || drain(&mut err, &mut err_buf, &mut total, max)
        {
            failure = Some(libc_like::ENOBUFS);
            break;
        }
        if let Some(p) = &mut stdin {
            match p.write(input) {
                Ok(n) => input = &input[n..],
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(e) => {
                    pipe_error = pipe_error.or(e.raw_os_error());
                    input = &[];
                }
            }
            if input.is_empty() {
                stdin = None;
            }
        }
    }
    // Node's Kill on a timeout or an overflow: the signal, then this side's pipes closed, so
    // that a process the child started cannot hold the call, and a child that ignores the
    // signal meets SIGPIPE at its next write.
    if failure.is_some() {
        let _ = kill(pid, options.kill_signal);
    }
    drop((out, err, stdin));
    // The pipes are closed (or given up on): now the child's end, waited for in 1 ms steps
    // while a timeout can still run out.
    let status = match deadline {
        Some(d) if failure.is_none() => loop {
            match child.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) => {}
                Err(_) => break None,
            }
            if Instant::now() >= d {
                failure = Some(libc_like::ETIMEDOUT);
                let _ = kill(pid, options.kill_signal);
                break child.wait().ok();
            }
            std::thread::sleep(Duration::from_millis(1));
        },
        _ => child.wait().ok(),
    };
    let (status_code, signal) = match status {
        Some(s) => (
            s.code(),
            s.signal().and_then(nodestd_sys::signals::signal_name),
        ),
        None => (None, None),
    };
    SpawnSyncReturns {
        pid,
        stdout: Some(out_buf),
        stderr: Some(err_buf),
        status: status_code,
        signal,
        error: failure
            .or(pipe_error)
            .map(|errno| SpawnError::new("spawnSync", errno, &file, &argv)),
    }
}

/// `cmd.spawn()`, with a file that `execve` refuses as no executable (`ENOEXEC`: a script
/// without `#!`) run again by fork and `execvp`, whose fallback runs it with `/bin/sh` as
/// libuv's `execvp` does (std's `posix_spawn` has no such fallback).
pub(crate) fn spawn_command(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    match cmd.spawn() {
        Err(e) if e.raw_os_error() == Some(libc_like::ENOEXEC) => {
            crate::sys::fork_and_execvp(cmd);
            cmd.spawn()
        }
        r => r,
    }
}

/// The file, its arguments and the `Command` for `command args` under `options` (cwd, env,
/// argv0, shell), as Node's `normalizeSpawnArguments` makes them: with a shell, the file is
/// the shell and the arguments `-c` and the command line joined by spaces.
pub(crate) fn command_for(
    command: &str,
    args: &[&str],
    options: &SyncOptions,
) -> (String, Vec<String>, Command) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let (file, argv): (String, Vec<String>) = match &options.shell {
        Some(sh) => {
            let line = std::iter::once(command.to_owned())
                .chain(args.iter().cloned())
                .collect::<Vec<_>>()
                .join(" ");
            (
                sh.to_string_lossy().into_owned(),
                vec!["-c".to_owned(), line],
            )
        }
        None => (command.to_owned(), args),
    };
    let mut cmd = Command::new(&file);
    cmd.args(&argv);
    if let Some(a0) = &options.argv0 {
        cmd.arg0(a0);
    }
    if let Some(cwd) = &options.cwd {
        cmd.current_dir(cwd);
    }
    cmd.env_clear();
    match &options.env {
        Some(env) => cmd.envs(env.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))),
        None => cmd.envs(nodestd_process::env::vars()),
    };
    (file, argv, cmd)
}

/// Reads what a pipe has, counting it in `total`; true when more than `max` bytes came in all
/// (Node keeps what it read).
fn drain(pipe: &mut Option<impl Read>, buf: &mut Vec<u8>, total: &mut usize, max: usize) -> bool {
    let Some(p) = pipe else { return false };
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match p.read(&mut chunk) {
            Ok(0) => {
                *pipe = None;
                return false;
            }
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                *total += n;
                if *total > max {
                    return true;
                }
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if e.kind() == ErrorKind::WouldBlock => return false,
            Err(_) => {
                *pipe = None;
                return false;
            }
        }
    }
}

pub(crate) fn kill(pid: u32, signal: i32) -> bool {
    if signal == 0 {
        // Signal 0 only asks whether the process exists.
        return rustix::process::Pid::from_raw(pid as i32)
            .is_some_and(|p| rustix::process::test_kill_process(p).is_ok());
    }
    if let (Some(p), Some(s)) = (
        rustix::process::Pid::from_raw(pid as i32),
        rustix::process::Signal::from_named_raw(signal),
    ) {
        return rustix::process::kill_process(p, s).is_ok();
    }
    false
}

/// Linux errno values the sync forms produce themselves.
pub(crate) mod libc_like {
    pub const EINVAL: i32 = 22;
    pub const ETIMEDOUT: i32 = 110;
    pub const ENOBUFS: i32 = 105;
    pub const ENOEXEC: i32 = 8;
}

/// Why `execFileSync` / `execSync` threw.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExecSyncError {
    /// The child could not be started, timed out or overflowed (the `error` of
    /// [`spawn_sync`]), with what it had written.
    Spawn(Box<SpawnError>, Box<SpawnSyncReturns>),
    /// It ran and failed (a non-zero status or a signal): Node's `Command failed: ...` error
    /// with `status`, `signal`, `stdout`, `stderr`.
    Failed {
        /// `Command failed: <cmd>` and, when the child wrote to stderr, a newline and that.
        message: String,
        /// The child's result.
        result: Box<SpawnSyncReturns>,
    },
}

impl fmt::Display for ExecSyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecSyncError::Spawn(e, _) => write!(f, "{e}"),
            ExecSyncError::Failed { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for ExecSyncError {}

/// `execSync`'s and `execFileSync`'s end: the child's stderr copied to this process's (Node's
/// default when no `stdio` is given), then Node's `checkExecSyncError`.
fn check(result: SpawnSyncReturns, cmd: &str) -> Result<Vec<u8>, ExecSyncError> {
    if let Some(stderr) = result.stderr.as_deref().filter(|e| !e.is_empty()) {
        let _ = std::io::stderr().write_all(stderr);
    }
    if let Some(e) = result.error.clone() {
        return Err(ExecSyncError::Spawn(Box::new(e), Box::new(result)));
    }
    if result.status != Some(0) {
        let mut message = format!("Command failed: {cmd}");
        let stderr = result.stderr.as_deref().unwrap_or_default();
        if !stderr.is_empty() {
            message.push('\n');
            message.push_str(&String::from_utf8_lossy(stderr));
        }
        return Err(ExecSyncError::Failed {
            message,
            result: Box::new(result),
        });
    }
    Ok(result.stdout.unwrap_or_default())
}

/// `child_process.execFileSync(file, args, options)` with Node's default `stdio`: the child's
/// stdout, or the error Node throws; what the child wrote to stderr is also copied to this
/// process's stderr. Never runs a shell: `; rm -rf /` is an argument.
///
/// ```
/// use nodestd_child_process::sync::{exec_file_sync, SyncOptions};
/// let out = exec_file_sync("echo", &["; rm -rf /"], &SyncOptions::default()).unwrap();
/// assert_eq!(out, b"; rm -rf /\n");
/// ```
///
/// # Errors
/// [`ExecSyncError`] as Node throws it.
#[doc(alias = "execFileSync")]
pub fn exec_file_sync(
    file: &str,
    args: &[&str],
    options: &SyncOptions,
) -> Result<Vec<u8>, ExecSyncError> {
    let cmd = std::iter::once(file)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    check(spawn_sync(file, args, options), &cmd)
}

/// `child_process.execSync(command, options)` with Node's default `stdio`: `command` run by
/// `options.shell` (default `/bin/sh`) with `-c`; the child's stderr is also copied to this
/// process's stderr, as in Node.
///
/// ```
/// use nodestd_child_process::sync::{exec_sync, SyncOptions};
/// assert_eq!(exec_sync("echo $((1+2))", &SyncOptions::default()).unwrap(), b"3\n");
/// let e = exec_sync("exit 4", &SyncOptions::default()).unwrap_err();
/// assert_eq!(e.to_string(), "Command failed: exit 4");
/// ```
///
/// # Errors
/// [`ExecSyncError`] as Node throws it.
#[doc(alias = "execSync")]
pub fn exec_sync(command: &str, options: &SyncOptions) -> Result<Vec<u8>, ExecSyncError> {
    let mut o = options.clone();
    o.shell
        .get_or_insert_with(|| OsStr::new("/bin/sh").to_owned());
    check(spawn_sync(command, &[], &o), command)
}
