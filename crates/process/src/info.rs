//! Plain process facts with Node's semantics: `argv`, `env`, `cwd`/`chdir`, ids, platform,
//! versions, clocks, memory and CPU figures, `umask`, `kill`, `exitCode`, `emitWarning`.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use crate::signals::Signal;
use crate::{ProcessError, sys};

fn lossy(s: &OsStr) -> String {
    s.to_string_lossy().into_owned()
}

/// `process.execPath`: the absolute path of the running executable (`std::env::current_exe`),
/// or `argv0` when the OS cannot tell.
pub fn exec_path() -> String {
    std::env::current_exe()
        .map(|p| lossy(p.as_os_str()))
        .unwrap_or_else(|_| argv0())
}

/// `process.argv0`: the program name exactly as it was started (`argv[0]` of the OS).
pub fn argv0() -> String {
    std::env::args_os()
        .next()
        .map(|a| lossy(&a))
        .unwrap_or_default()
}

/// `process.argv` in Node's layout: `[exec_path, program, ...user args]`.
///
/// A Rust program is both Node's executable and its script, so index 0 and index 1 both hold
/// [`exec_path`]; the user's arguments (`std::env::args_os().skip(1)`) start at index 2, as
/// after `node script.js`. Arguments that are not UTF-8 are converted lossily.
///
/// ```
/// let argv = nodestd_process::argv();
/// assert_eq!(argv[0], nodestd_process::exec_path());
/// assert_eq!(argv[1], argv[0]);
/// ```
pub fn argv() -> Vec<String> {
    let exe = exec_path();
    let mut v = vec![exe.clone(), exe];
    v.extend(std::env::args_os().skip(1).map(|a| lossy(&a)));
    v
}

/// `process.execArgv`: always empty (a Rust binary has no runtime options before its
/// script).
pub fn exec_argv() -> Vec<String> {
    Vec::new()
}

/// `process.pid`.
pub fn pid() -> u32 {
    std::process::id()
}

/// `process.ppid`.
pub fn ppid() -> u32 {
    std::os::unix::process::parent_id()
}

/// The title set with [`set_title`] (process-wide, as in Node).
static TITLE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// `process.title`: the title set with [`set_title`], else the executable's file name (Node's
/// default is `node`, the name of its executable).
pub fn title() -> String {
    let set = TITLE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    set.unwrap_or_else(|| {
        std::path::Path::new(&exec_path())
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}

/// `process.title = title`: later [`title`] calls return it, and on Linux the calling
/// thread's name (what `ps -o comm` shows; at most 15 bytes) becomes it. Node rewrites the
/// whole command line that `ps` shows; this does not.
pub fn set_title(title: &str) {
    *TITLE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(title.to_owned());
    crate::sys::set_comm(title);
}

pub use nodestd_sys::platform::{arch, platform};

/// The Node version whose semantics nodestd follows.
pub const NODE_VERSION: &str = "20.20.2";

/// `process.version`: `"v20.20.2"`, the Node release nodestd mirrors (not a Node binary's).
pub fn version() -> String {
    format!("v{NODE_VERSION}")
}

/// `process.versions`: `node` (the Node release mirrored), `uv` (the libuv whose loop
/// semantics `nodestd-loop` follows) and `nodestd` (this crate's version). Node's other
/// entries (`v8`, `openssl` …) name components nodestd does not contain.
pub fn versions() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("node", NODE_VERSION),
        ("uv", "1.46.0"),
        ("nodestd", env!("CARGO_PKG_VERSION")),
    ])
}

// ---------------------------------------------------------------- env

/// `process.env`. Node copies the environment into its own object at start-up and writes
/// through to the OS (`setenv`); here the copy is taken on first use and writes stay in it
/// (Rust's `std::env::set_var` is `unsafe` in a program with threads). Pass [`env::vars`] to
/// child processes.
pub mod env {
    use super::*;

    fn table() -> MutexGuard<'static, BTreeMap<OsString, OsString>> {
        static ENV: OnceLock<Mutex<BTreeMap<OsString, OsString>>> = OnceLock::new();
        ENV.get_or_init(|| Mutex::new(std::env::vars_os().collect()))
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// `process.env[key]`, lossily as UTF-8.
    pub fn get(key: impl AsRef<OsStr>) -> Option<String> {
        table().get(key.as_ref()).map(|v| lossy(v))
    }

    /// `process.env[key] = value`: Node stores `String(value)`, so any `Display` value is
    /// accepted (`1` becomes `"1"`, `true` becomes `"true"`; Node's `undefined` becomes
    /// `"undefined"`, which here is `set(key, "undefined")`).
    pub fn set(key: impl AsRef<OsStr>, value: impl std::fmt::Display) {
        table().insert(key.as_ref().to_owned(), value.to_string().into());
    }

    /// `delete process.env[key]`.
    pub fn remove(key: impl AsRef<OsStr>) {
        table().remove(key.as_ref());
    }

    /// All variables (sorted by name), for child processes and `Object.entries(process.env)`.
    pub fn vars() -> Vec<(OsString, OsString)> {
        table()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

// ---------------------------------------------------------------- cwd / chdir

/// `process.cwd()`.
///
/// # Errors
/// Node's `uv_cwd` error (e.g. `ENOENT: no such file or directory, uv_cwd` when the working
/// directory was removed).
pub fn cwd() -> Result<PathBuf, ProcessError> {
    std::env::current_dir()
        .map_err(|e| ProcessError::uv(e.raw_os_error().unwrap_or(libc::EIO), "uv_cwd", None))
}

/// `process.chdir(directory)`.
///
/// # Errors
/// Node's error: code (`ENOENT`, `ENOTDIR`, `EACCES` …), `errno`, `syscall` `"chdir"` and
/// the message `ENOENT: no such file or directory, chdir '/from' -> '/nope'`. As in Node,
/// the path ends at its first NUL byte (`"a\0b"` is `"a"`).
///
/// ```
/// let err = nodestd_process::chdir("/no/such/dir").unwrap_err();
/// assert_eq!(err.code(), "ENOENT");
/// assert_eq!(err.errno(), Some(-2));
/// assert_eq!(err.syscall(), Some("chdir"));
/// assert!(err.message().ends_with(" -> '/no/such/dir'"));
/// ```
pub fn chdir(directory: impl AsRef<Path>) -> Result<(), ProcessError> {
    use std::os::unix::ffi::OsStrExt;
    // Node hands the string to C as is: it ends at the first NUL byte.
    let bytes = directory.as_ref().as_os_str().as_bytes();
    let cut = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let dir = Path::new(OsStr::from_bytes(&bytes[..cut]));
    std::env::set_current_dir(dir).map_err(|e| {
        let from = std::env::current_dir()
            .map(|p| lossy(p.as_os_str()))
            .unwrap_or_default();
        ProcessError::uv(
            e.raw_os_error().unwrap_or(libc::EIO),
            "chdir",
            Some(format!("'{from}' -> '{}'", lossy(dir.as_os_str()))),
        )
    })
}

// ---------------------------------------------------------------- clocks

/// `process.hrtime()`: the monotonic clock as `[seconds, nanoseconds]`.
pub fn hrtime() -> [u64; 2] {
    let ns = hrtime_bigint();
    [(ns / 1_000_000_000) as u64, (ns % 1_000_000_000) as u64]
}

/// `process.hrtime(previous)`: the time elapsed since `previous` (an earlier [`hrtime`]),
/// as `[seconds, nanoseconds]`, computed as Node does (seconds and nanoseconds subtracted
/// separately, borrowing a second when the nanoseconds go negative).
#[doc(alias = "hrtime")]
pub fn hrtime_since(previous: [u64; 2]) -> [i64; 2] {
    let [s, n] = hrtime();
    let mut sec = s as i64 - previous[0] as i64;
    let mut nsec = n as i64 - previous[1] as i64;
    if nsec < 0 {
        sec -= 1;
        nsec += 1_000_000_000;
    }
    [sec, nsec]
}

/// `process.hrtime.bigint()`: the monotonic clock in nanoseconds.
#[doc(alias = "bigint")]
pub fn hrtime_bigint() -> u128 {
    u128::from(sys::clock_ns(libc::CLOCK_MONOTONIC))
}

/// `process.uptime()`: seconds since the process started (from `/proc/self/stat`'s start
/// time and the boot-time clock, so accurate to the kernel's clock tick, 10 ms).
pub fn uptime() -> f64 {
    let now = sys::clock_ns(libc::CLOCK_BOOTTIME) as f64 / 1e9;
    let start = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the `(comm)`, which may itself hold spaces; starttime is field 22.
            let rest = &s[s.rfind(')')? + 2..];
            rest.split(' ').nth(19)?.parse::<u64>().ok()
        })
        .map(|ticks| ticks as f64 / sys::clock_ticks() as f64);
    match start {
        Some(start) => (now - start).max(0.0),
        None => 0.0,
    }
}

// ---------------------------------------------------------------- memory and CPU

/// `process.memoryUsage()`, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemoryUsage {
    /// Resident set size (`/proc/self/statm`'s second field × the page size).
    pub rss: u64,
    /// Always 0: nodestd has no JavaScript heap.
    pub heap_total: u64,
    /// Always 0: nodestd has no JavaScript heap.
    pub heap_used: u64,
    /// Always 0: nodestd has no JavaScript heap.
    pub external: u64,
    /// Always 0: nodestd has no JavaScript heap.
    pub array_buffers: u64,
}

/// `process.memoryUsage.rss()`.
pub fn rss() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * sys::page_size())
}

/// `process.memoryUsage()`: `rss` is real; the V8 heap figures are 0 (see [`MemoryUsage`]).
#[doc(alias = "memoryUsage")]
pub fn memory_usage() -> MemoryUsage {
    MemoryUsage {
        rss: rss(),
        ..MemoryUsage::default()
    }
}

/// `process.resourceUsage()`: `getrusage(RUSAGE_SELF)` in Node's units (CPU times in
/// microseconds, `max_rss` in kilobytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(missing_docs)] // the fields are Node's, one to one with `struct rusage`
pub struct ResourceUsage {
    pub user_cpu_time: u64,
    pub system_cpu_time: u64,
    pub max_rss: u64,
    pub shared_memory_size: u64,
    pub unshared_data_size: u64,
    pub unshared_stack_size: u64,
    pub minor_page_fault: u64,
    pub major_page_fault: u64,
    pub swapped_out: u64,
    pub fs_read: u64,
    pub fs_write: u64,
    pub ipc_sent: u64,
    pub ipc_received: u64,
    pub signals_count: u64,
    pub voluntary_context_switches: u64,
    pub involuntary_context_switches: u64,
}

fn micros(tv: libc::timeval) -> u64 {
    tv.tv_sec as u64 * 1_000_000 + tv.tv_usec as u64
}

/// `process.resourceUsage()`.
#[doc(alias = "resourceUsage")]
pub fn resource_usage() -> ResourceUsage {
    let r = sys::rusage_self();
    let n = |v: libc::c_long| v as u64;
    ResourceUsage {
        user_cpu_time: micros(r.ru_utime),
        system_cpu_time: micros(r.ru_stime),
        max_rss: n(r.ru_maxrss),
        shared_memory_size: n(r.ru_ixrss),
        unshared_data_size: n(r.ru_idrss),
        unshared_stack_size: n(r.ru_isrss),
        minor_page_fault: n(r.ru_minflt),
        major_page_fault: n(r.ru_majflt),
        swapped_out: n(r.ru_nswap),
        fs_read: n(r.ru_inblock),
        fs_write: n(r.ru_oublock),
        ipc_sent: n(r.ru_msgsnd),
        ipc_received: n(r.ru_msgrcv),
        signals_count: n(r.ru_nsignals),
        voluntary_context_switches: n(r.ru_nvcsw),
        involuntary_context_switches: n(r.ru_nivcsw),
    }
}

/// `process.cpuUsage()`: user and system CPU time in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuUsage {
    /// User CPU time, µs.
    pub user: u64,
    /// System CPU time, µs.
    pub system: u64,
}

/// `process.cpuUsage(previous)`: the usage so far, or with `previous` the difference since
/// it.
#[doc(alias = "cpuUsage")]
pub fn cpu_usage(previous: Option<CpuUsage>) -> CpuUsage {
    let r = sys::rusage_self();
    let now = CpuUsage {
        user: micros(r.ru_utime),
        system: micros(r.ru_stime),
    };
    match previous {
        None => now,
        Some(p) => CpuUsage {
            user: now.user.saturating_sub(p.user),
            system: now.system.saturating_sub(p.system),
        },
    }
}

// ---------------------------------------------------------------- umask

/// `process.umask()`: the current file mode creation mask (read by setting and restoring it,
/// as Node does).
pub fn umask() -> u32 {
    let old = sys::umask(0);
    sys::umask(old);
    old
}

/// `process.umask(mask)` with a number: sets the mask, returns the previous one.
#[doc(alias = "umask")]
pub fn set_umask(mask: u32) -> u32 {
    sys::umask(mask)
}

/// `process.umask(mask)` with an octal string (`"0022"`), as Node's `parseFileMode`: the
/// string must be made of octal digits, and its value must fit in 32 bits.
///
/// ```
/// let old = nodestd_process::set_umask_str("0022")?;
/// assert_eq!(nodestd_process::set_umask(old), 0o22);
/// # Ok::<(), nodestd_process::ProcessError>(())
/// ```
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE` when `mask` is not made of octal digits (`The argument 'mask' must
/// be a 32-bit unsigned integer or an octal string. Received 'abc'`); `ERR_OUT_OF_RANGE` when
/// its value exceeds 32 bits (`The value of "mask" is out of range. It must be >= 0 && <=
/// 4294967295. Received 8_589_934_591`).
#[doc(alias = "umask")]
pub fn set_umask_str(mask: &str) -> Result<u32, ProcessError> {
    if mask.is_empty() || !mask.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        return Err(ProcessError::node(
            "ERR_INVALID_ARG_VALUE",
            format!(
                "The argument 'mask' must be a 32-bit unsigned integer or an octal string. \
                 Received '{mask}'"
            ),
        ));
    }
    let digits = mask.trim_start_matches('0');
    // Node's parseInt(mask, 8) is a double: exact up to 17 octal digits (51 bits).
    let value = digits.bytes().fold(0u128, |v, d| {
        v.saturating_mul(8).saturating_add(u128::from(d - b'0'))
    });
    match u32::try_from(value) {
        Ok(v) => Ok(sys::umask(v)),
        Err(_) => Err(ProcessError::node(
            "ERR_OUT_OF_RANGE",
            format!(
                "The value of \"mask\" is out of range. It must be >= 0 && <= 4294967295. \
                 Received {}",
                numeric_separator(value)
            ),
        )),
    }
}

/// Node's `addNumericalSeparator` for integers above 2^32: `_` every three digits.
fn numeric_separator(value: u128) -> String {
    let digits = value.to_string();
    if value <= 1 << 32 {
        return digits;
    }
    let mut out = String::new();
    let head = digits.len() % 3;
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (i + 3 - head) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    // Node keeps at least one digit before the first separator and never starts with `_`.
    out.trim_start_matches('_').to_string()
}

// ---------------------------------------------------------------- kill

/// `process.kill(pid, signal)`: sends `signal` (a name such as `"SIGTERM"` or a number; `0`
/// only tests that the process exists) to `pid`. Returns `true`, as Node does.
///
/// ```
/// use nodestd_process::kill;
/// assert_eq!(kill(nodestd_process::pid() as i32, 0), Ok(true));
/// assert_eq!(kill(1, "SIGFOO").unwrap_err().message(), "Unknown signal: SIGFOO");
/// ```
///
/// # Errors
/// `ERR_UNKNOWN_SIGNAL` (`Unknown signal: SIGFOO`) for a name Node does not know; the system
/// error otherwise, as Node's: `ESRCH` (message `kill ESRCH`), `EPERM`, `EINVAL` (an invalid
/// signal number).
pub fn kill<'a>(pid: i32, signal: impl Into<Signal<'a>>) -> Result<bool, ProcessError> {
    let sig = signal.into().number()?;
    sys::kill(pid, sig).map_err(|errno| ProcessError::errno_exception(errno, "kill"))?;
    Ok(true)
}

// ---------------------------------------------------------------- exit code

static EXIT_CODE: Mutex<Option<i32>> = Mutex::new(None);

/// `process.exitCode` (`None` is Node's `undefined`).
pub fn exit_code() -> Option<i32> {
    *EXIT_CODE.lock().unwrap_or_else(|e| e.into_inner())
}

/// `process.exitCode = code`: the code the process exits with when the loop empties.
pub fn set_exit_code(code: Option<i32>) {
    *EXIT_CODE.lock().unwrap_or_else(|e| e.into_inner()) = code;
}

// ---------------------------------------------------------------- warnings

/// `process.emitWarning(message)`: on the next tick (at once outside a loop), prints
/// `(node:PID) Warning: message` to stderr, as Node's default `warning` listener does, and
/// emits [`WarningEvent`](crate::WarningEvent) on this thread's [`emitter`](crate::emitter).
#[doc(alias = "emitWarning")]
pub fn emit_warning(message: &str) {
    emit_warning_with(message, "Warning", None);
}

/// `process.emitWarning(message, type, code)`: prints `(node:PID) [CODE] Type: message`.
#[doc(alias = "emitWarning")]
pub fn emit_warning_with(message: &str, kind: &str, code: Option<&str>) {
    let info = crate::events::WarningInfo {
        name: kind.to_string(),
        message: message.to_string(),
        code: code.map(str::to_string),
    };
    let deliver = move || {
        let prefix = info
            .code
            .as_ref()
            .map(|c| format!("[{c}] "))
            .unwrap_or_default();
        eprintln!("(node:{}) {prefix}{}: {}", pid(), info.name, info.message);
        crate::events::emit_warning_event(info);
    };
    // Node delivers warnings on the next tick.
    if nodestd_loop::in_loop() {
        nodestd_loop::next_tick(deliver);
    } else {
        deliver();
    }
}
