//! Signal dispositions and the self-pipe, with libc (libuv's `src/unix/signal.c`).

use std::io::{self, Read};
use std::os::fd::{IntoRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, Ordering};

/// The write end of the self-pipe, read by the handler (-1 before it exists).
static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_signal(signum: libc::c_int) {
    let fd = PIPE_WRITE.load(Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let byte = signum as u8;
    // SAFETY: errno access and write(2) are async-signal-safe; `byte` outlives the call; errno
    // is restored so the interrupted code sees its own value. A full pipe drops the byte
    // (the write end is non-blocking), which only coalesces signals, as libuv does.
    unsafe {
        let errno = *libc::__errno_location();
        libc::write(fd, (&byte as *const u8).cast(), 1);
        *libc::__errno_location() = errno;
    }
}

/// Creates the self-pipe: (read end, blocking; write end, non-blocking), both close-on-exec.
/// It is a Unix socket pair (std's safe `UnixStream::pair`, `SOCK_CLOEXEC`) where libuv uses
/// a pipe: the same bytes, no `unsafe`. On any failure both ends are closed.
pub(crate) fn make_pipe() -> io::Result<(UnixStream, OwnedFd)> {
    let (read, write) = UnixStream::pair()?;
    write.set_nonblocking(true)?;
    Ok((read, OwnedFd::from(write)))
}

/// Publishes the write end to the handler, once its reader is running. It lives for the rest
/// of the process (the handler may run at any time).
pub(crate) fn publish(write: OwnedFd) {
    PIPE_WRITE.store(write.into_raw_fd(), Ordering::Release);
}

/// Reads one signal number from the pipe (blocking). `None` on EOF or error.
pub(crate) fn read_signal(pipe: &mut UnixStream) -> Option<i32> {
    let mut byte = [0u8; 1];
    loop {
        match pipe.read(&mut byte) {
            Ok(1) => return Some(i32::from(byte[0])),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            _ => return None,
        }
    }
}

/// A saved disposition, to restore when the last handle for a signal closes.
pub(crate) struct Saved(libc::sigaction);

/// Installs the handler for `signum`, returning the previous disposition.
pub(crate) fn install(signum: i32) -> io::Result<Saved> {
    if signum <= 0 || signum >= 64 || signum == libc::SIGKILL || signum == libc::SIGSTOP {
        return Err(io::Error::from_raw_os_error(libc::EINVAL));
    }
    // SAFETY: a zeroed sigaction is a valid starting value; sigfillset gets a valid pointer;
    // `on_signal` has the signature SA_RESTART handlers expect; `old` is written by the kernel.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_signal as *const () as usize;
        libc::sigfillset(&mut sa.sa_mask);
        sa.sa_flags = libc::SA_RESTART;
        let mut old: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(signum, &sa, &mut old) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Saved(old))
    }
}

/// Restores a disposition saved by [`install`].
pub(crate) fn restore(signum: i32, saved: &Saved) {
    // SAFETY: `saved.0` came from the kernel for this signal.
    unsafe {
        libc::sigaction(signum, &saved.0, std::ptr::null_mut());
    }
}
