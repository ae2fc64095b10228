//! The audited OS calls that std does not offer: `getrusage`, `kill`, `umask`, `sysconf`,
//! `clock_gettime`, `prctl` and `sigaction`, through libc. This is the crate's only `unsafe` code; each block says why it is sound.

#![allow(unsafe_code)]

/// `getrusage(RUSAGE_SELF)`.
pub(crate) fn rusage_self() -> libc::rusage {
    // SAFETY: `rusage` is a plain C struct of integers, for which all-zero bytes are a valid
    // value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable `rusage` for the duration of the call, and
    // RUSAGE_SELF is a valid `who`; getrusage cannot fail with these arguments.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    debug_assert_eq!(rc, 0);
    usage
}

/// `kill(pid, sig)`; `Err(errno)` on failure.
pub(crate) fn kill(pid: i32, sig: i32) -> Result<(), i32> {
    // SAFETY: kill takes two integers and touches no memory of ours.
    let rc = unsafe { libc::kill(pid, sig) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EINVAL))
    }
}

/// `umask(mask)`: sets the mask, returns the previous one.
pub(crate) fn umask(mask: u32) -> u32 {
    // SAFETY: umask takes an integer, touches no memory of ours and cannot fail.
    let old = unsafe { libc::umask(mask as libc::mode_t) };
    old as u32
}

/// `sysconf(name)`, or `None` when the value is unknown.
fn sysconf(name: libc::c_int) -> Option<u64> {
    // SAFETY: sysconf takes an integer and touches no memory of ours.
    let v = unsafe { libc::sysconf(name) };
    u64::try_from(v).ok().filter(|&v| v > 0)
}

/// The page size in bytes.
pub(crate) fn page_size() -> u64 {
    sysconf(libc::_SC_PAGESIZE).unwrap_or(4096)
}

/// Clock ticks per second (`_SC_CLK_TCK`).
pub(crate) fn clock_ticks() -> u64 {
    sysconf(libc::_SC_CLK_TCK).unwrap_or(100)
}

/// `clock_gettime(clock)` in nanoseconds.
pub(crate) fn clock_ns(clock: libc::clockid_t) -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call; the clocks
    // passed (CLOCK_MONOTONIC, CLOCK_BOOTTIME) exist on every Linux this crate supports.
    let rc = unsafe { libc::clock_gettime(clock, &mut ts) };
    debug_assert_eq!(rc, 0);
    (ts.tv_sec as u64) * 1_000_000_000 + ts.tv_nsec as u64
}

/// Sets the calling thread's name (`comm`, what `ps` and `top` show for the main thread), cut
/// to the kernel's 15 bytes.
pub(crate) fn set_comm(name: &str) {
    let mut buf = [0u8; 16];
    let bytes = name.as_bytes();
    let n = bytes.len().min(15);
    buf[..n].copy_from_slice(&bytes[..n]);
    // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes from a live buffer.
    unsafe {
        libc::prctl(libc::PR_SET_NAME, buf.as_ptr() as libc::c_ulong, 0, 0, 0);
    }
}

/// Node's `ResetSignalHandlers` (src/node.cc) for what the parent left behind: every signal
/// below 32 that this process inherited as ignored (a shell's background job ignores SIGINT,
/// `nohup` SIGHUP) gets its default action back, except SIGPIPE and SIGXFSZ, which Node
/// ignores. Dispositions the program itself installed (a handler) are left alone.
pub(crate) fn reset_inherited_ignores() {
    for sig in 1..32 {
        if matches!(
            sig,
            libc::SIGKILL | libc::SIGSTOP | libc::SIGPIPE | libc::SIGXFSZ
        ) {
            continue;
        }
        // SAFETY: `sigaction` is a plain C struct (integers, a signal set, an optional
        // function pointer) for which all-zero bytes are valid (no handler, empty mask).
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: a null new action makes sigaction only write the current disposition into
        // `old`, a valid writable struct for the duration of the call.
        let rc = unsafe { libc::sigaction(sig, std::ptr::null(), &mut old) };
        if rc == 0 && old.sa_sigaction == libc::SIG_IGN {
            // SAFETY: SIG_DFL installs no handler of ours, so no code runs in signal context.
            unsafe { libc::signal(sig, libc::SIG_DFL) };
        }
    }
}
