//! Fd passing over Unix sockets: what `child_process` needs for Node's IPC channel (libuv's
//! `uv_pipe_t` with `ipc = 1`: `uv__stream_recv_cmsg`, `uv__write` with `send_handle`).
//!
//! A socket pair is `AF_UNIX`/`SOCK_STREAM` and close-on-exec from birth. Fds travel as an
//! `SCM_RIGHTS` control message attached to at least one byte of data (a stream socket cannot
//! carry control data alone); the receiver gets new fds for the same open file descriptions,
//! close-on-exec (`MSG_CMSG_CLOEXEC`), as `OwnedFd`s, so none can leak: fds that arrive when
//! the caller has no room for them are closed before the error is returned.

use std::io::{self, IoSlice, IoSliceMut};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use rustix::io::Errno;
use rustix::net::{
    AddressFamily, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, ReturnFlags,
    SendAncillaryBuffer, SendAncillaryMessage, SendFlags, SocketFlags, SocketType,
};

/// The most fds one message may carry: Linux's `SCM_MAX_FD` (a send with more fails with
/// `EINVAL`).
pub const MAX_FDS_PER_MESSAGE: usize = 253;

/// A connected pair of `AF_UNIX` stream sockets (`socketpair(2)`), both close-on-exec, and
/// both non-blocking when `nonblocking` is set (for use on the loop).
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// let (a, b) = nodestd_sys::socketpair(false)?;
/// UnixStream::from(a).write_all(b"ping")?;
/// let mut buf = [0u8; 4];
/// UnixStream::from(b).read_exact(&mut buf)?;
/// assert_eq!(&buf, b"ping");
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// `EMFILE`/`ENFILE` when the process or system is out of fds.
pub fn socketpair(nonblocking: bool) -> io::Result<(OwnedFd, OwnedFd)> {
    let mut flags = SocketFlags::CLOEXEC;
    if nonblocking {
        flags |= SocketFlags::NONBLOCK;
    }
    Ok(rustix::net::socketpair(
        AddressFamily::UNIX,
        SocketType::STREAM,
        flags,
        None,
    )?)
}

/// Sends `bytes` with `fds` attached as one `SCM_RIGHTS` message (`sendmsg(2)` with
/// `MSG_NOSIGNAL`; retried on `EINTR`). Returns how many bytes were sent: on a stream socket a
/// short send is possible, and the fds went with its first byte whatever the count, so the
/// caller sends the rest of the bytes without them.
///
/// The fds stay open here: the receiver gets its own descriptors for the same open files.
///
/// # Errors
/// `EINVAL` when `fds` is not empty and `bytes` is (control data needs a byte to ride on), or
/// for more than [`MAX_FDS_PER_MESSAGE`] fds; `EAGAIN` on a full non-blocking socket; `EPIPE`
/// when the peer is gone; `EBADF`/`ENOTSOCK` for a socket that is not one.
pub fn send_with_fds(socket: impl AsFd, bytes: &[u8], fds: &[BorrowedFd<'_>]) -> io::Result<usize> {
    if !fds.is_empty() && bytes.is_empty() {
        return Err(Errno::INVAL.into());
    }
    if fds.len() > MAX_FDS_PER_MESSAGE {
        return Err(Errno::INVAL.into());
    }
    let mut space = vec![MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(fds.len()))];
    let mut control = SendAncillaryBuffer::new(&mut space);
    if !fds.is_empty() && !control.push(SendAncillaryMessage::ScmRights(fds)) {
        // The buffer is sized for exactly these fds: this cannot happen.
        return Err(Errno::NOBUFS.into());
    }
    let iov = [IoSlice::new(bytes)];
    loop {
        match rustix::net::sendmsg(socket.as_fd(), &iov, &mut control, SendFlags::NOSIGNAL) {
            Err(Errno::INTR) => continue,
            r => return Ok(r?),
        }
    }
}

/// What [`recv_with_fds`] received.
#[derive(Debug)]
#[non_exhaustive]
pub struct Received {
    /// How many bytes were written to the front of the buffer; 0 means end of file (the peer
    /// closed its end), or an empty buffer.
    pub bytes: usize,
    /// The fds that came with those bytes, in the order sent, each close-on-exec.
    pub fds: Vec<OwnedFd>,
}

/// Receives bytes into `buf` and up to `max_fds` fds sent with them (`recvmsg(2)` with
/// `MSG_CMSG_CLOEXEC`; retried on `EINTR`). On Linux a read never takes the fds of two
/// sends: plain bytes sent before fds may come in the same read as them, and the read stops
/// after the bytes sent with the fds (the test `a_read_takes_one_message_s_fds_...` pins it).
///
/// # Errors
/// `ENOBUFS` when fds arrived that did not fit in `max_fds` (`MSG_CTRUNC`): the kernel
/// discarded those that did not fit, those that did are closed here, and the bytes of that
/// read are lost; the channel cannot be trusted after that, so close it. `EAGAIN` on an empty
/// non-blocking socket; `EBADF`/`ENOTSOCK` for a socket that is not one.
pub fn recv_with_fds(socket: impl AsFd, buf: &mut [u8], max_fds: usize) -> io::Result<Received> {
    let max_fds = max_fds.min(MAX_FDS_PER_MESSAGE);
    let mut space = vec![MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(max_fds.max(1)))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let mut iov = [IoSliceMut::new(buf)];
    let msg = loop {
        match rustix::net::recvmsg(
            socket.as_fd(),
            &mut iov,
            &mut control,
            RecvFlags::CMSG_CLOEXEC,
        ) {
            Err(Errno::INTR) => continue,
            r => break r?,
        }
    };
    // Take every fd that arrived before looking at the flags, so that none is left open.
    let mut fds = Vec::new();
    for message in control.drain() {
        if let RecvAncillaryMessage::ScmRights(received) = message {
            fds.extend(received);
        }
    }
    if msg.flags.contains(ReturnFlags::CTRUNC) || fds.len() > max_fds {
        drop(fds);
        return Err(Errno::NOBUFS.into());
    }
    Ok(Received {
        bytes: msg.bytes,
        fds,
    })
}
