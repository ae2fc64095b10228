//! `child_process.spawn` on the loop: a [`ChildProcess`] with Node's events and fields.
//!
//! As in libuv, each `'pipe'` slot is a Unix stream socket pair: the child gets one end as
//! its fd, and this process reads or writes the other as a [`nodestd_net::Socket`] (Node's
//! `child.stdout` is a `net.Socket` over a pipe handle too). The child is reaped on the loop:
//! a `pidfd` (Linux 5.3+) watched by an [`IoWatcher`](nodestd_loop::IoWatcher) becomes
//! readable when the child ends, and `waitpid(pid, WNOHANG)` then collects its status, so no
//! thread waits and no zombie stays. Where `pidfd_open` fails (older kernels, seccomp), the
//! child is reaped as libuv reaps every child: a `SIGCHLD` [`SignalHandle`](nd::SignalHandle)
//! on the loop, on which `waitpid(pid, WNOHANG)` asks whether this child is the one that
//! ended ([`reap_with_sigchld`] forces that path, to test it).
//!
//! Once `'close'` has been emitted the child lets go of its listeners and (an immediate
//! later, when stdin's own `'close'` has gone out too) of its stdio streams, as a JavaScript
//! `ChildProcess` becomes garbage: a listener that holds a clone of its [`ChildProcess`]
//! does not keep it alive in a reference cycle.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::process::Stdio;
use std::rc::{Rc, Weak};

use nodestd_events::{AbortListenerId, AbortSignal, EventEmitter, event};
use nodestd_loop as nd;
use nodestd_net::{Socket, SocketOptions};

use crate::sync::{
    SpawnError, SyncOptions, UnknownSignal, command_for, kill, libc_like, signal_number,
};

/// `SIGCHLD`, which the fallback reaper watches.
const SIGCHLD: i32 = rustix::process::Signal::CHILD.as_raw();

event!(
    /// `'spawn'`: the child started (emitted on the next tick after `spawn`).
    pub Spawn = "spawn" => ()
);
event!(
    /// `'exit'`: `(code, signal)`, one of them set, when the child ended.
    pub Exit = "exit" => (Option<i32>, Option<&'static str>)
);
event!(
    /// `'close'`: `(code, signal)` after `'exit'` and once stdout and stderr closed; after a
    /// failed spawn, `(-errno, None)`.
    pub Close = "close" => (Option<i32>, Option<&'static str>)
);
event!(
    /// `'error'`: the spawn failed (`spawn nope ENOENT`) or a kill failed.
    pub Error = "error" => SpawnError
);

/// One slot of `options.stdio` (the slot's number is the child's fd).
#[derive(Debug, Default)]
#[non_exhaustive]
pub enum StdioSlot {
    /// `'pipe'`: a socket pair; this side becomes `child.stdin` / `stdout` / `stderr`.
    #[default]
    Pipe,
    /// `'inherit'`: the child shares this process's fd of the same number.
    Inherit,
    /// `'ignore'`: `/dev/null` for fds 0 to 2; from 3 on, as in libuv, nothing is placed
    /// (the child has the slot only if this process's fd of that number is inheritable).
    Ignore,
    /// An fd of this process, given to the child in that slot.
    Fd(OwnedFd),
    /// `'ipc'`: fork's channel in this slot, at any index: the child finds the slot's number
    /// in `NODE_CHANNEL_FD` (and `json` in `NODE_CHANNEL_SERIALIZATION_MODE`), and this side
    /// gets [`send`](ChildProcess::send), `disconnect` and the `'message'` event. At most one
    /// per spawn (Node's `ERR_IPC_ONE_PIPE`); [`stdio(n)`](ChildProcess::stdio) is `None` for
    /// it, as Node's `child.stdio[n]` is `null`.
    Ipc,
    /// A stream with an fd (Node takes any `Stream` with an underlying handle): a `net`
    /// socket, whose fd the child gets a duplicate of in the slot. The socket stays open here
    /// and is paused, as Node pauses it; `stdio(n)` is `None` for the slot (Node's `null`).
    /// A socket without an fd (destroyed, not connected) is Node's `ERR_INVALID_ARG_VALUE`.
    Socket(Socket),
}

impl StdioSlot {
    /// A slot given by name in a `stdio` array: `'pipe'` (and `'overlapped'`, a pipe on
    /// Unix), `'ignore'`, `'inherit'`, `'ipc'`.
    ///
    /// ```
    /// use nodestd_child_process::spawn::StdioSlot;
    /// assert!(matches!(StdioSlot::named("ipc"), Ok(StdioSlot::Ipc)));
    /// ```
    ///
    /// # Errors
    /// Any other string is what Node throws for a string in an asynchronous spawn's `stdio`:
    /// `ERR_INVALID_SYNC_FORK_INPUT`.
    pub fn named(name: &str) -> Result<StdioSlot, SpawnError> {
        Ok(match name {
            "pipe" | "overlapped" => StdioSlot::Pipe,
            "ignore" => StdioSlot::Ignore,
            "inherit" => StdioSlot::Inherit,
            "ipc" => StdioSlot::Ipc,
            _ => {
                let m = format!(
                    "Asynchronous forks do not support Buffer, TypedArray, DataView or string \
                     input: {}",
                    quoted(name)
                );
                return Err(SpawnError::thrown("ERR_INVALID_SYNC_FORK_INPUT", m));
            }
        })
    }

    /// The three standard slots of `stdio` given as one string (Node's `stdioStringToArray`):
    /// `'pipe'`, `'overlapped'`, `'ignore'` or `'inherit'` for each.
    ///
    /// # Errors
    /// Any other name: `ERR_INVALID_ARG_VALUE` (`The argument 'stdio' is invalid. Received
    /// 'foo'`).
    pub fn all_named(name: &str) -> Result<[StdioSlot; 3], SpawnError> {
        match name {
            "pipe" | "overlapped" | "ignore" | "inherit" => {
                let one = || StdioSlot::named(name);
                Ok([one()?, one()?, one()?])
            }
            _ => {
                let m = format!("The argument 'stdio' is invalid. Received {}", quoted(name));
                Err(SpawnError::thrown("ERR_INVALID_ARG_VALUE", m))
            }
        }
    }
}

/// A string as `util.inspect` quotes it.
fn quoted(s: &str) -> String {
    nodestd_buffer::js::inspect_string(&s.encode_utf16().collect::<Vec<_>>())
}

/// `options` of `spawn`: the sync forms' options plus `stdio`, `detached`, `uid`, `gid`,
/// an abort `signal` and `timeout` in milliseconds (`kill_signal` is sent when it runs out or
/// the signal aborts).
#[derive(Debug, Default)]
pub struct SpawnOptions {
    /// cwd, env, argv0, shell, kill_signal (input and max_buffer do not apply); a signal name
    /// becomes `kill_signal` through [`signal_number`].
    pub base: SyncOptions,
    /// stdin, stdout, stderr.
    pub stdio: [StdioSlot; 3],
    /// The slots from fd 3 on (`options.stdio[3..]`); a `'pipe'` one is
    /// [`child.stdio(n)`](ChildProcess::stdio), readable and writable as in Node.
    pub extra_stdio: Vec<StdioSlot>,
    /// `detached`: the child calls `setsid`, leading a new session and process group.
    pub detached: bool,
    /// `uid`: the child's user id (with `setgroups(0)` first, as libuv drops groups).
    pub uid: Option<u32>,
    /// `gid`: the child's group id.
    pub gid: Option<u32>,
    /// `signal`: aborting it kills the child with `kill_signal`; when the kill succeeds the
    /// child emits an `'error'` whose code is `ABORT_ERR` ([`SpawnError::is_abort`]).
    pub signal: Option<AbortSignal>,
    /// `timeout` in ms (0 = none).
    pub timeout: u64,
}

pub(crate) struct Inner {
    pub(crate) em: EventEmitter,
    pid: Cell<Option<u32>>,
    exit_code: Cell<Option<i32>>,
    signal_code: Cell<Option<&'static str>>,
    exited: Cell<bool>,
    killed: Cell<bool>,
    /// Node's `_closesNeeded` / `_closesGot`: the exit plus each readable stdio stream.
    pub(crate) closes_needed: Cell<usize>,
    closes_got: Cell<usize>,
    reaper: RefCell<Option<Reaper>>,
    timer: RefCell<Option<nd::Timeout>>,
    /// `child.stdio`: a socket per `'pipe'` slot; emptied after 'close'.
    stdio: RefCell<Vec<Option<Socket>>>,
    stdio_len: usize,
    /// The abort signal's listener and the async handle that brings an abort from another
    /// thread to the loop.
    abort: RefCell<Option<AbortHook>>,
    abort_kill_signal: Cell<i32>,
    /// The child keeps itself alive from its spawn to its 'close' (as a JavaScript
    /// ChildProcess is held by its handle): dropping every `ChildProcess` clone does not lose
    /// the events. Taken when 'close' is emitted.
    keep_alive: RefCell<Option<Rc<Inner>>>,
    /// The IPC channel of a forked child.
    pub(crate) channel: RefCell<Option<Rc<crate::fork::Channel>>>,
}

/// Node's `ChildProcess`. Cheap to clone (every clone is the same child).
#[derive(Clone)]
pub struct ChildProcess {
    pub(crate) inner: Rc<Inner>,
}

impl std::fmt::Debug for ChildProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChildProcess")
            .field("pid", &self.pid())
            .field("exit_code", &self.exit_code())
            .field("signal_code", &self.signal_code())
            .finish()
    }
}

/// What tells the loop that the child ended.
enum Reaper {
    /// A pidfd, readable once the child ended.
    Pidfd(nd::IoWatcher),
    /// A `SIGCHLD` handle (no pidfd): any child's end wakes it.
    Sigchld(nd::SignalHandle),
}

impl Reaper {
    fn close(&self) {
        match self {
            Reaper::Pidfd(w) => w.close_quietly(),
            Reaper::Sigchld(h) => h.close_quietly(),
        }
    }
}

struct AbortHook {
    signal: AbortSignal,
    listener: AbortListenerId,
    id: u64,
    remote: nd::AsyncHandle,
}

thread_local! {
    /// Children of this thread's loop waiting on an abort signal, by hook id.
    static ABORTABLE: RefCell<HashMap<u64, Weak<Inner>>> = RefCell::new(HashMap::new());
    static NEXT_ABORT_ID: Cell<u64> = const { Cell::new(0) };
    static FORCE_SIGCHLD: Cell<bool> = const { Cell::new(false) };
}

/// Makes the children that this thread spawns from now on be reaped through `SIGCHLD`, as on
/// a kernel without `pidfd_open` (`on = false` goes back to pidfds where the kernel has them).
/// For testing the fallback on a machine that has pidfds.
pub fn reap_with_sigchld(on: bool) {
    FORCE_SIGCHLD.with(|f| f.set(on));
}

pub(crate) fn maybe_close(inner: &Rc<Inner>) {
    inner.closes_got.set(inner.closes_got.get() + 1);
    if inner.closes_got.get() == inner.closes_needed.get() {
        let _keep = inner.keep_alive.borrow_mut().take();
        let _ = inner
            .em
            .emit(Close, (inner.exit_code.get(), inner.signal_code.get()));
        // Nothing is emitted after 'close': let go of the listeners, which may hold clones
        // of this child (a cycle that JavaScript's collector would break).
        // The stdio streams too (their 'data' listeners may hold the child), once stdin's
        // own 'close' (a tick after its destroy at exit) has gone out.
        inner.em.remove_all_listeners(None::<&str>);
        if inner.stdio.borrow().iter().any(Option::is_some) {
            let w = Rc::downgrade(inner);
            nd::set_immediate(move || {
                if let Some(inner) = w.upgrade() {
                    let streams = std::mem::take(&mut *inner.stdio.borrow_mut());
                    drop(inner);
                    drop(streams);
                }
            });
        }
    }
}

/// `child_process.spawn(command, args, options)`. Must run on the loop. A failed spawn is not
/// an `Err`: as in Node, the child's `'error'` event reports it on the next tick, then
/// `'close'` with `-errno`. What Node throws before starting anything (two `'ipc'` slots:
/// `ERR_IPC_ONE_PIPE`) comes the same way here; [`try_spawn`] returns it instead.
///
/// # Panics
/// Outside a running loop.
pub fn spawn(command: &str, args: &[&str], options: SpawnOptions) -> ChildProcess {
    match try_spawn(command, args, options) {
        Ok(child) => child,
        Err(e) => {
            let code = if e.errno == 0 {
                -libc_like::EINVAL
            } else {
                e.errno
            };
            failed(e, code, Vec::new())
        }
    }
}

/// [`spawn`], with what Node throws as an `Err`: an empty `command` or a NUL byte in it, an
/// argument, `cwd`, `argv0`, `shell` or `env` (`ERR_INVALID_ARG_VALUE`), two `'ipc'` slots
/// (`ERR_IPC_ONE_PIPE`, `Child process can have only one IPC pipe`), and a failed spawn whose
/// errno is not one of EACCES, EAGAIN, EMFILE, ENFILE and ENOENT, which Node leaves to
/// `'error'` (a `cwd` that is a file: `spawn ENOTDIR`, syscall `spawn`, no path).
///
/// ```
/// use nodestd_child_process::spawn::{try_spawn, SpawnOptions};
/// nodestd_loop::run(|| {
///     let e = try_spawn("", &[], SpawnOptions::default()).unwrap_err();
///     assert_eq!(e.to_string(), "The argument 'file' cannot be empty. Received ''");
///     let e = try_spawn("echo", &["a\0b"], SpawnOptions::default()).unwrap_err();
///     assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
/// });
/// ```
///
/// # Errors
/// The [`SpawnError`] Node throws.
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "spawn")]
pub fn try_spawn(
    command: &str,
    args: &[&str],
    options: SpawnOptions,
) -> Result<ChildProcess, SpawnError> {
    check_arguments(command, args, &options.base)?;
    check_stdio(&options)?;
    spawn_checked(command, args, options)
}

/// `normalizeSpawnArguments`' checks of the strings, in its order: `file` without NUL bytes
/// and not empty, then each of `args`, `cwd`, `argv0`, `shell` and each `env` name and value
/// without NUL bytes (`ERR_INVALID_ARG_VALUE`, a `TypeError`).
pub(crate) fn check_arguments(
    file: &str,
    args: &[&str],
    options: &SyncOptions,
) -> Result<(), SpawnError> {
    fn invalid(name: &str, value: &str, reason: &str) -> SpawnError {
        // ERR_INVALID_ARG_VALUE keeps 128 UTF-16 units of the inspected value.
        let mut inspected = quoted(value);
        let units: Vec<u16> = inspected.encode_utf16().collect();
        if units.len() > 128 {
            inspected = String::from_utf16_lossy(&units[..128]) + "...";
        }
        let kind = if name.contains('.') {
            "property"
        } else {
            "argument"
        };
        let m = format!("The {kind} '{name}' {reason}. Received {inspected}");
        SpawnError::thrown("ERR_INVALID_ARG_VALUE", m)
    }
    const NO_NUL: &str = "must be a string without null bytes";
    let has_nul = |s: &std::ffi::OsStr| s.as_encoded_bytes().contains(&0);
    let lossy = |s: &std::ffi::OsStr| s.to_string_lossy().into_owned();
    if file.contains('\0') {
        return Err(invalid("file", file, NO_NUL));
    }
    if file.is_empty() {
        return Err(invalid("file", file, "cannot be empty"));
    }
    for (i, a) in args.iter().enumerate() {
        if a.contains('\0') {
            return Err(invalid(&format!("args[{i}]"), a, NO_NUL));
        }
    }
    if let Some(cwd) = options.cwd.as_deref().filter(|c| has_nul(c.as_os_str())) {
        let reason = "must be a string, Uint8Array, or URL without null bytes";
        return Err(invalid("options.cwd", &lossy(cwd.as_os_str()), reason));
    }
    if let Some(a0) = options.argv0.as_deref().filter(|a| has_nul(a)) {
        return Err(invalid("options.argv0", &lossy(a0), NO_NUL));
    }
    if let Some(sh) = options.shell.as_deref().filter(|s| has_nul(s)) {
        return Err(invalid("options.shell", &lossy(sh), NO_NUL));
    }
    for (k, v) in options.env.iter().flatten() {
        for part in [k, v] {
            if has_nul(part) {
                let name = format!("options.env['{}']", lossy(k));
                return Err(invalid(&name, &lossy(part), NO_NUL));
            }
        }
    }
    Ok(())
}

/// `getValidStdio`'s checks that the types leave: at most one `'ipc'`.
pub(crate) fn check_stdio(options: &SpawnOptions) -> Result<(), SpawnError> {
    let all = || options.stdio.iter().chain(&options.extra_stdio);
    for slot in all() {
        if let StdioSlot::Socket(s) = slot {
            if s.dup_fd().is_none() {
                let m = "The argument 'stdio' is invalid. Received a net.Socket without an fd";
                return Err(SpawnError::thrown("ERR_INVALID_ARG_VALUE", m));
            }
        }
    }
    if all().filter(|s| matches!(s, StdioSlot::Ipc)).count() > 1 {
        let m = "Child process can have only one IPC pipe";
        return Err(SpawnError::thrown("ERR_IPC_ONE_PIPE", m));
    }
    Ok(())
}

/// A child that never started (its `stdio` slots all `None`): `'error'` on the next tick,
/// then `'close'` with `code`.
fn failed(err: SpawnError, code: i32, stdio: Vec<Option<Socket>>) -> ChildProcess {
    let child = ChildProcess {
        inner: Rc::new(Inner::new(None, stdio)),
    };
    let inner = Rc::clone(&child.inner);
    nd::next_tick(move || {
        inner.exit_code.set(Some(code));
        let _ = inner.em.emit(Error, err);
        let i2 = Rc::clone(&inner);
        nd::set_immediate(move || maybe_close(&i2));
    });
    child
}

impl Inner {
    fn new(pid: Option<u32>, stdio: Vec<Option<Socket>>) -> Inner {
        Inner {
            em: EventEmitter::new(),
            pid: Cell::new(pid),
            exit_code: Cell::new(None),
            signal_code: Cell::new(None),
            exited: Cell::new(false),
            killed: Cell::new(false),
            closes_needed: Cell::new(1),
            closes_got: Cell::new(0),
            reaper: RefCell::new(None),
            timer: RefCell::new(None),
            stdio_len: stdio.len(),
            stdio: RefCell::new(stdio),
            abort: RefCell::new(None),
            abort_kill_signal: Cell::new(15),
            keep_alive: RefCell::new(None),
            channel: RefCell::new(None),
        }
    }
}

/// `spawn` once the options passed [`check_arguments`] and [`check_stdio`]. An `'ipc'` slot's
/// socket pair end on this side becomes the child's channel ([`crate::fork`]). `Err` is a
/// spawn error Node throws (see [`try_spawn`]).
pub(crate) fn spawn_checked(
    command: &str,
    args: &[&str],
    options: SpawnOptions,
) -> Result<ChildProcess, SpawnError> {
    let (file, argv, mut cmd) = command_for(command, args, &options.base);
    {
        use std::os::unix::process::CommandExt;
        if let Some(uid) = options.uid {
            cmd.uid(uid);
        }
        if let Some(gid) = options.gid {
            cmd.gid(gid);
        }
    }
    let slots = options.stdio.len() + options.extra_stdio.len();
    let mut ours: Vec<Option<OwnedFd>> = (0..slots).map(|_| None).collect();
    // The child's ends of the slots from 3 on, kept open until it has been spawned.
    let mut theirs: Vec<OwnedFd> = Vec::new();
    let mut placed: Vec<(i32, i32)> = Vec::new();
    let mut pair_error = None;
    // This side of the 'ipc' slot's socket pair.
    let mut channel: Option<OwnedFd> = None;
    let all = options.stdio.into_iter().chain(options.extra_stdio);
    for (i, slot) in all.enumerate() {
        let target = i as i32;
        // The fd the child gets in this slot; `None` for 'inherit' and 'ignore'.
        let given: Option<OwnedFd> = match slot {
            StdioSlot::Ipc => match nodestd_sys::socketpair(false) {
                Ok((a, b)) => {
                    channel = Some(a);
                    cmd.env("NODE_CHANNEL_FD", target.to_string())
                        .env("NODE_CHANNEL_SERIALIZATION_MODE", "json");
                    Some(b)
                }
                Err(e) => {
                    pair_error = e.raw_os_error();
                    None
                }
            },
            StdioSlot::Pipe => match nodestd_sys::socketpair(false) {
                Ok((a, b)) => {
                    ours[i] = Some(a);
                    Some(b)
                }
                Err(e) => {
                    pair_error = e.raw_os_error();
                    None
                }
            },
            StdioSlot::Fd(fd) => Some(fd),
            StdioSlot::Socket(sock) => {
                // Node's 'wrap' slot: the child shares the handle; this side stops reading.
                sock.pause();
                sock.dup_fd()
            }
            StdioSlot::Inherit => {
                match i {
                    0 => cmd.stdin(Stdio::inherit()),
                    1 => cmd.stdout(Stdio::inherit()),
                    2 => cmd.stderr(Stdio::inherit()),
                    _ => {
                        placed.push((target, target));
                        &mut cmd
                    }
                };
                continue;
            }
            StdioSlot::Ignore => None,
        };
        match (i, given) {
            (0, fd) => cmd.stdin(fd.map_or_else(Stdio::null, Stdio::from)),
            (1, fd) => cmd.stdout(fd.map_or_else(Stdio::null, Stdio::from)),
            (2, fd) => cmd.stderr(fd.map_or_else(Stdio::null, Stdio::from)),
            (_, Some(fd)) => {
                placed.push((target, fd.as_raw_fd()));
                theirs.push(fd);
                &mut cmd
            }
            (_, None) => &mut cmd,
        };
    }
    let extra = !placed.is_empty();
    if extra || options.detached {
        crate::sys::place_in_child(&mut cmd, placed, options.detached);
    }
    // std's pipe for a failed exec must not take a number that a slot is placed at.
    let holes = if extra {
        crate::sys::fill_fd_holes(slots as i32)
    } else {
        Vec::new()
    };
    let spawned = match pair_error {
        Some(errno) => Err(std::io::Error::from_raw_os_error(errno)),
        None => crate::sync::spawn_command(&mut cmd),
    };
    drop(holes);
    // The child's ends went with `cmd` or are in `theirs`; drop them so they close here.
    drop(cmd);
    drop(theirs);
    let (pid, errno) = match &spawned {
        Ok(c) => (Some(c.id()), None),
        Err(e) => (None, Some(e.raw_os_error().unwrap_or(libc_like::EINVAL))),
    };
    drop(spawned); // std's Child is never waited: the loop reaps the pid.
    let stdio: Vec<Option<Socket>> = ours
        .into_iter()
        .map(|fd| {
            let fd = fd?;
            pid?;
            Socket::from_fd(fd, SocketOptions::default()).ok()
        })
        .collect();
    let Some(pid) = pid else {
        let errno = errno.unwrap_or(libc_like::EINVAL);
        let err = SpawnError::new("spawn", errno, &file, &argv);
        // ChildProcess.prototype.spawn: these become 'error'; any other errno is thrown
        // (`new ErrnoException(err, 'spawn')`: no path or arguments).
        if !matches!(
            err.code.as_str(),
            "EACCES" | "EAGAIN" | "EMFILE" | "ENFILE" | "ENOENT"
        ) {
            return Err(SpawnError {
                syscall: "spawn".to_owned(),
                path: String::new(),
                spawnargs: Vec::new(),
                ..err
            });
        }
        return Ok(failed(err, -errno, stdio));
    };
    let child = ChildProcess {
        inner: Rc::new(Inner::new(Some(pid), stdio)),
    };
    *child.inner.keep_alive.borrow_mut() = Some(Rc::clone(&child.inner));
    // stdout, stderr and the extra slots: 'close' waits for them.
    for s in child.inner.stdio.borrow()[1..].iter().flatten() {
        child
            .inner
            .closes_needed
            .set(child.inner.closes_needed.get() + 1);
        let w = Rc::downgrade(&child.inner);
        s.once_close(move || {
            if let Some(inner) = w.upgrade() {
                maybe_close(&inner);
            }
        });
    }
    child.watch(pid);
    let kill_signal = options.base.kill_signal;
    if options.timeout > 0 {
        let w = Rc::downgrade(&child.inner);
        *child.inner.timer.borrow_mut() = Some(nd::set_timeout(options.timeout, move || {
            if let Some(inner) = w.upgrade() {
                ChildProcess { inner }.kill(kill_signal);
            }
        }));
    }
    let inner = Rc::clone(&child.inner);
    nd::next_tick(move || {
        let _ = inner.em.emit(Spawn, ());
    });
    if let Some(signal) = options.signal {
        child.watch_abort(signal, kill_signal);
    }
    if let Some(fd) = channel {
        crate::fork::attach_channel(&child, fd);
    }
    Ok(child)
}

/// Node's `abortChildProcess`: the kill with `killSignal`, and when it was sent, the
/// `AbortError`.
fn abort_child(id: u64) {
    let Some(inner) = ABORTABLE.with(|a| a.borrow_mut().remove(&id)) else {
        return;
    };
    let Some(inner) = inner.upgrade() else { return };
    let kill_signal = inner.abort_kill_signal.get();
    let child = ChildProcess { inner };
    child.drop_abort_hook();
    if child.kill(kill_signal) {
        let _ = child.inner.em.emit(Error, SpawnError::abort());
    }
}

/// Whether `waitpid` says the child ended; then `'exit'` and the first of `'close'`'s counts.
fn reap(inner: &Rc<Inner>, p: rustix::process::Pid) {
    if inner.exited.get() {
        return;
    }
    let (code, signal) =
        match rustix::process::waitpid(Some(p), rustix::process::WaitOptions::NOHANG) {
            Ok(Some((_, s))) => (
                s.exit_status(),
                s.terminating_signal()
                    .and_then(nodestd_sys::signals::signal_name),
            ),
            Ok(None) => return,
            // Already reaped elsewhere (ECHILD): the status is lost.
            Err(_) => (None, None),
        };
    if let Some(r) = inner.reaper.borrow_mut().take() {
        r.close();
    }
    if let Some(t) = inner.timer.borrow_mut().take() {
        t.clear();
    }
    inner.exited.set(true);
    ChildProcess {
        inner: Rc::clone(inner),
    }
    .drop_abort_hook();
    inner
        .exit_code
        .set(if signal.is_some() { None } else { code });
    inner.signal_code.set(signal);
    // stdin cannot be written any more.
    if let Some(s) = inner.stdio.borrow().first().cloned().flatten() {
        s.destroy(None);
    }
    let _ = inner.em.emit(Exit, (inner.exit_code.get(), signal));
    // Node's flushStdio: output nobody reads is drained, so that it closes and
    // 'close' can follow.
    let streams: Vec<Socket> = inner.stdio.borrow()[1..]
        .iter()
        .flatten()
        .cloned()
        .collect();
    for s in streams {
        s.resume();
    }
    maybe_close(inner);
}

impl ChildProcess {
    fn watch(&self, pid: u32) {
        let Some(p) = rustix::process::Pid::from_raw(pid as i32) else {
            return;
        };
        let reaper = if FORCE_SIGCHLD.with(Cell::get) {
            None
        } else {
            rustix::process::pidfd_open(p, rustix::process::PidfdFlags::empty())
                .ok()
                .and_then(|pidfd| {
                    let w = Rc::downgrade(&self.inner);
                    nd::IoWatcher::new(pidfd, nd::Interest::Readable, move |_| {
                        if let Some(inner) = w.upgrade() {
                            reap(&inner, p);
                        }
                    })
                    .ok()
                })
                .map(Reaper::Pidfd)
        };
        let reaper = match reaper {
            Some(r) => r,
            None => {
                // libuv's way: SIGCHLD says some child ended; waitpid on this pid says
                // whether it was this one.
                let w = Rc::downgrade(&self.inner);
                let handle = nd::SignalHandle::new(SIGCHLD, move |_| {
                    if let Some(inner) = w.upgrade() {
                        reap(&inner, p);
                    }
                });
                match handle {
                    Ok(h) => Reaper::Sigchld(h),
                    Err(e) => {
                        let err =
                            SpawnError::new("spawn", e.raw_os_error().unwrap_or(0), "SIGCHLD", &[]);
                        let _ = self.inner.em.emit(Error, err);
                        return;
                    }
                }
            }
        };
        let fallback = matches!(reaper, Reaper::Sigchld(_));
        *self.inner.reaper.borrow_mut() = Some(reaper);
        if fallback {
            // The child may have ended before the handler was installed: look once now
            // that it is (in the pending phase, as exits are never emitted inside spawn).
            let w = Rc::downgrade(&self.inner);
            nd::queue_pending(move || {
                if let Some(inner) = w.upgrade() {
                    reap(&inner, p);
                }
            });
        }
    }

    fn watch_abort(&self, signal: AbortSignal, kill_signal: i32) {
        let id = NEXT_ABORT_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        self.inner.abort_kill_signal.set(kill_signal);
        ABORTABLE.with(|a| a.borrow_mut().insert(id, Rc::downgrade(&self.inner)));
        if signal.aborted() {
            // Node: process.nextTick(onAbortListener).
            nd::next_tick(move || abort_child(id));
            return;
        }
        let remote = nd::AsyncHandle::new(move || abort_child(id));
        remote.unref();
        let sender = remote.sender();
        let thread = std::thread::current().id();
        let listener = signal.on_abort(move |_| {
            // On the loop's thread the abort acts at once, as Node's listener does; from
            // another thread it is brought to the loop.
            if std::thread::current().id() == thread && nd::in_loop() {
                abort_child(id);
            } else {
                sender.send();
            }
        });
        *self.inner.abort.borrow_mut() = Some(AbortHook {
            signal,
            listener,
            id,
            remote,
        });
    }

    fn drop_abort_hook(&self) {
        if let Some(h) = self.inner.abort.borrow_mut().take() {
            h.signal.off_abort(h.listener);
            h.remote.close_quietly();
            ABORTABLE.with(|a| a.borrow_mut().remove(&h.id));
        }
    }

    /// The child's events ([`Spawn`], [`Exit`], [`Close`], [`Error`]).
    pub fn emitter(&self) -> &EventEmitter {
        &self.inner.em
    }

    /// `child.pid`: `None` when the spawn failed.
    pub fn pid(&self) -> Option<u32> {
        self.inner.pid.get()
    }

    /// `child.exitCode`: the exit status once the child exited (`-errno` after a failed
    /// spawn).
    pub fn exit_code(&self) -> Option<i32> {
        self.inner.exit_code.get()
    }

    /// `child.signalCode`: the signal that ended the child.
    pub fn signal_code(&self) -> Option<&'static str> {
        self.inner.signal_code.get()
    }

    /// `child.killed`: a signal was sent successfully by [`kill`](Self::kill).
    pub fn killed(&self) -> bool {
        self.inner.killed.get()
    }

    /// `child.stdin`, when its slot is `'pipe'` (a clone of the socket; `None` once the
    /// child has let go of its streams after `'close'`).
    pub fn stdin(&self) -> Option<Socket> {
        self.stdio(0)
    }

    /// `child.stdout`, when its slot is `'pipe'` (see [`stdin`](Self::stdin)).
    pub fn stdout(&self) -> Option<Socket> {
        self.stdio(1)
    }

    /// `child.stderr`, when its slot is `'pipe'` (see [`stdin`](Self::stdin)).
    pub fn stderr(&self) -> Option<Socket> {
        self.stdio(2)
    }

    /// `child.stdio[n]`: the socket of slot `n` when it is `'pipe'` (`None` for other slots,
    /// past the last one, and once the child has let go of its streams after `'close'`).
    pub fn stdio(&self, n: usize) -> Option<Socket> {
        self.inner.stdio.borrow().get(n)?.clone()
    }

    /// `child.stdio.length`: the number of stdio slots.
    pub fn stdio_len(&self) -> usize {
        self.inner.stdio_len
    }

    /// `child.kill('SIGINT')`: [`kill`](Self::kill) with a signal's name.
    ///
    /// # Errors
    /// A name that is no signal: Node's `ERR_UNKNOWN_SIGNAL` (`Unknown signal: SIGFOO`), and
    /// nothing is sent.
    #[doc(alias = "kill")]
    pub fn kill_named(&self, signal: &str) -> Result<bool, UnknownSignal> {
        Ok(self.kill(signal_number(signal)?))
    }

    /// `child.kill(signal)` with a signal number: true when the signal was sent (then
    /// `killed` is set); false once the child has exited or when it failed.
    pub fn kill(&self, signal: i32) -> bool {
        let Some(pid) = self.inner.pid.get() else {
            return false;
        };
        if self.inner.exited.get() {
            return false;
        }
        let ok = kill(pid, signal);
        if ok {
            self.inner.killed.set(true);
        }
        ok
    }

    /// `child.ref()`: the child keeps the loop alive until it exits (the default).
    #[doc(alias = "ref")]
    pub fn ref_(&self) {
        match &*self.inner.reaper.borrow() {
            Some(Reaper::Pidfd(w)) => w.ref_(),
            Some(Reaper::Sigchld(h)) => h.ref_(),
            None => {}
        }
    }

    /// `child.unref()`: the loop may end while the child runs.
    pub fn unref(&self) {
        match &*self.inner.reaper.borrow() {
            Some(Reaper::Pidfd(w)) => w.unref(),
            Some(Reaper::Sigchld(h)) => h.unref(),
            None => {}
        }
    }
}
