//! Node's IPC wire with the `json` serialization (`lib/internal/child_process.js`,
//! `lib/internal/child_process/serialization.js`): each message is `JSON.stringify(value)`
//! and a newline, UTF-8, over an `AF_UNIX` stream socket whose fd the child finds in
//! `NODE_CHANNEL_FD`. Objects whose `cmd` is a string longer than 5 code units starting
//! `NODE_` are Node's internal messages, never delivered to `message` listeners. A handle
//! travels as `{"cmd":"NODE_HANDLE","type":...,"msg":M}` with its fd attached by
//! `SCM_RIGHTS`; the receiver answers `{"cmd":"NODE_HANDLE_ACK"}`, and the sender sends
//! nothing more before that answer.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::{Arc, Mutex};

use crate::json::{self, Value};

/// The longest line [`Decoder`] buffers: a longer one is an error, so a peer cannot make the
/// reader's memory grow without bound. Node itself has no such bound (it would run out of
/// string length at 512 MiB).
pub const MAX_MESSAGE_BYTES: usize = 128 << 20;

/// Why the channel cannot go on.
#[derive(Debug)]
#[non_exhaustive]
pub enum ChannelError {
    /// A line that is not JSON.
    Json(json::ParseError),
    /// A line longer than [`MAX_MESSAGE_BYTES`].
    TooLong,
    /// A `NODE_HANDLE` message without an fd, or an unknown handle type.
    BadHandle,
    /// The socket failed.
    Io(io::Error),
    /// `NODE_CHANNEL_FD` is missing or not a number.
    NoChannel,
}

impl fmt::Display for ChannelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChannelError::Json(e) => write!(f, "{e}"),
            ChannelError::TooLong => {
                write!(f, "IPC message longer than {MAX_MESSAGE_BYTES} bytes")
            }
            ChannelError::BadHandle => f.write_str("NODE_HANDLE without a usable fd"),
            ChannelError::Io(e) => write!(f, "{e}"),
            ChannelError::NoChannel => f.write_str("NODE_CHANNEL_FD is not set to an fd"),
        }
    }
}

impl std::error::Error for ChannelError {}

impl From<io::Error> for ChannelError {
    fn from(e: io::Error) -> ChannelError {
        ChannelError::Io(e)
    }
}

/// Whether Node treats `v` as an internal message (`isInternal` in Node's
/// `lib/internal/child_process.js`): an object whose `cmd` is a string of more than 5 code
/// units starting with `NODE_`.
pub fn is_internal(v: &Value) -> bool {
    match v.get("cmd") {
        Some(Value::String(s)) => {
            s.0.len() > 5 && s.0[..5].iter().copied().eq("NODE_".encode_utf16())
        }
        _ => false,
    }
}

/// The bytes of one message on the wire: `JSON.stringify(value) + "\n"`.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut s = v.to_json();
    s.push('\n');
    s.into_bytes()
}

/// Splits the byte stream into messages, as Node's channel does: bytes are decoded as UTF-8
/// (malformed bytes become U+FFFD), split at `\n`, each line parsed by `JSON.parse`. A line
/// not yet ended stays buffered; at end of file it is dropped, as in Node.
#[derive(Debug, Default)]
pub struct Decoder {
    buf: Vec<u8>,
    /// Where the next line starts in `buf`.
    start: usize,
    /// How far `buf` has been searched for a newline.
    scanned: usize,
}

impl Decoder {
    /// An empty decoder.
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Appends bytes read from the channel.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start == self.buf.len() {
            self.buf.clear();
            self.scanned = 0;
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete message, if one is buffered.
    ///
    /// # Errors
    /// A line that is not JSON, or a line (ended or not) longer than [`MAX_MESSAGE_BYTES`].
    pub fn next_message(&mut self) -> Option<Result<Value, ChannelError>> {
        let from = self.scanned.max(self.start);
        match self.buf[from..].iter().position(|&b| b == b'\n') {
            None => {
                self.scanned = self.buf.len();
                if self.buf.len() - self.start > MAX_MESSAGE_BYTES {
                    return Some(Err(ChannelError::TooLong));
                }
                if self.start > (1 << 20) && self.start * 2 > self.buf.len() {
                    self.buf.drain(..self.start);
                    self.scanned -= self.start;
                    self.start = 0;
                }
                None
            }
            Some(at) => {
                let end = from + at;
                if end - self.start > MAX_MESSAGE_BYTES {
                    return Some(Err(ChannelError::TooLong));
                }
                let line = String::from_utf8_lossy(&self.buf[self.start..end]);
                let r = json::parse(&line).map_err(ChannelError::Json);
                self.start = end + 1;
                self.scanned = self.start;
                Some(r)
            }
        }
    }
}

/// What a [`BlockingChannel`] received.
#[derive(Debug)]
pub enum Incoming {
    /// A message for `message` listeners.
    Message(Value),
    /// A message sent with a handle (`type` is Node's `net.Socket`, `net.Server`, ...); the
    /// `NODE_HANDLE_ACK` has already been sent.
    Handle {
        /// The handle's type as Node names it.
        kind: String,
        /// The message sent with it (`msg`).
        message: Value,
        /// The handle's fd.
        fd: OwnedFd,
    },
    /// The peer's `NODE_HANDLE_ACK`: the handle sent last arrived, the next message may go.
    HandleAck,
}

/// A channel end read and written with blocking calls, for programs that do not run the loop
/// (such as the `ipc-child` example): the child side of Node's `fork`.
#[derive(Debug)]
pub struct BlockingChannel {
    fd: OwnedFd,
    /// Held for each whole message written, so that clones on other threads never
    /// interleave their lines.
    write_lock: Arc<Mutex<()>>,
    decoder: Decoder,
    fds: VecDeque<OwnedFd>,
    eof: bool,
}

impl BlockingChannel {
    /// The channel whose fd is in `NODE_CHANNEL_FD`; the variable is left set. The fd is
    /// made blocking and close-on-exec.
    ///
    /// # Errors
    /// [`ChannelError::NoChannel`] when the variable is missing, not a number, or not an open
    /// fd.
    pub fn from_env() -> Result<BlockingChannel, ChannelError> {
        let n: i32 = std::env::var("NODE_CHANNEL_FD")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or(ChannelError::NoChannel)?;
        let fd = crate::sys::take_inherited_fd(n).ok_or(ChannelError::NoChannel)?;
        nodestd_sys::fdflags::set_nonblocking(&fd, false)?;
        nodestd_sys::fdflags::set_cloexec(&fd, true)?;
        Ok(BlockingChannel::new(fd))
    }

    /// Spawns `cmd` as Node's `fork` does, for a parent that does not run the loop (such as
    /// the `ipc-parent` example): the child gets its end of a new socket pair at fd 3, named
    /// by `NODE_CHANNEL_FD=3` with `NODE_CHANNEL_SERIALIZATION_MODE=json`; this side's end
    /// is the returned channel. The rest of `cmd` (program, arguments, env, stdio) is the
    /// caller's; the child is the caller's to wait for.
    ///
    /// ```
    /// use nodestd_child_process::ipc::{BlockingChannel, Incoming};
    /// use nodestd_child_process::json;
    /// let mut cmd = std::process::Command::new("sh");
    /// cmd.args(["-c", r#"read line <&3; echo "{\"fd\":$NODE_CHANNEL_FD,\"got\":$line}" >&3"#]);
    /// let (mut child, mut channel) = BlockingChannel::fork_command(cmd).unwrap();
    /// channel.send(&json::parse(r#""hi""#).unwrap()).unwrap();
    /// let Ok(Some(Incoming::Message(reply))) = channel.recv() else { panic!() };
    /// assert_eq!(reply.to_json(), r#"{"fd":3,"got":"hi"}"#);
    /// assert!(child.wait().unwrap().success());
    /// ```
    ///
    /// # Errors
    /// The socket pair or the spawn failed (`NotFound` for a missing program).
    pub fn fork_command(
        mut cmd: std::process::Command,
    ) -> io::Result<(std::process::Child, BlockingChannel)> {
        use std::os::fd::AsRawFd;
        const CHANNEL_FD: i32 = 3;
        let (ours, theirs) = nodestd_sys::socketpair(false)?;
        cmd.env("NODE_CHANNEL_FD", CHANNEL_FD.to_string())
            .env("NODE_CHANNEL_SERIALIZATION_MODE", "json");
        crate::sys::place_in_child(&mut cmd, vec![(CHANNEL_FD, theirs.as_raw_fd())], false);
        // std's pipe for a failed exec must not take fd 3 (see `place_in_child`).
        let holes = crate::sys::fill_fd_holes(CHANNEL_FD + 1);
        let spawned = cmd.spawn();
        drop(holes);
        drop(cmd);
        drop(theirs);
        Ok((spawned?, BlockingChannel::new(ours)))
    }

    /// A channel over a connected blocking stream socket.
    pub fn new(fd: OwnedFd) -> BlockingChannel {
        BlockingChannel {
            fd,
            write_lock: Arc::default(),
            decoder: Decoder::new(),
            fds: VecDeque::new(),
            eof: false,
        }
    }

    /// Writes `value` (all of it, blocking).
    ///
    /// # Errors
    /// The socket failed (`EPIPE` when the peer closed it).
    pub fn send(&self, value: &Value) -> io::Result<()> {
        self.write_all(&encode(value))
    }

    /// Writes bytes already encoded by [`encode`] (several messages at once, say).
    ///
    /// # Errors
    /// The socket failed.
    pub fn write_all(&self, bytes: &[u8]) -> io::Result<()> {
        self.write_with_fd(bytes, None)
    }

    fn write_with_fd(&self, mut bytes: &[u8], mut fd: Option<BorrowedFd<'_>>) -> io::Result<()> {
        let _guard = self.write_lock.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(h) = fd.take() {
            let n = nodestd_sys::ipc::send_with_fds(self.fd.as_fd(), bytes, &[h])?;
            bytes = &bytes[n..];
        }
        while !bytes.is_empty() {
            let n = nodestd_sys::ipc::send_with_fds(self.fd.as_fd(), bytes, &[])?;
            bytes = &bytes[n..];
        }
        Ok(())
    }

    /// Sends `message` with a handle's fd, as Node's `send(message, handle)`:
    /// `{"cmd":"NODE_HANDLE","type":kind,"msg":message}` with the fd attached. Send nothing
    /// more until [`Incoming::HandleAck`] arrives, as Node does.
    ///
    /// # Errors
    /// The socket failed.
    pub fn send_handle(&self, kind: &str, message: &Value, fd: BorrowedFd<'_>) -> io::Result<()> {
        let mut o = json::Object::new();
        o.insert("cmd", Value::string("NODE_HANDLE"));
        o.insert("type", Value::string(kind));
        o.insert("msg", message.clone());
        self.write_with_fd(&encode(&Value::Object(o)), Some(fd))
    }

    /// A second end over a duplicate of the fd, sharing the lock that keeps messages whole,
    /// so one thread can read while another writes.
    ///
    /// # Errors
    /// `EMFILE` when out of fds.
    pub fn try_clone(&self) -> io::Result<BlockingChannel> {
        Ok(BlockingChannel {
            fd: nodestd_sys::fdflags::dup_cloexec(&self.fd)?,
            write_lock: Arc::clone(&self.write_lock),
            decoder: Decoder::new(),
            fds: VecDeque::new(),
            eof: false,
        })
    }

    /// Shuts the socket down both ways, for every clone: a reader on another thread sees end
    /// of file, and so does the peer.
    ///
    /// # Errors
    /// The socket failed (`ENOTCONN` when the peer is already gone).
    pub fn shutdown(&self) -> io::Result<()> {
        Ok(rustix::net::shutdown(
            &self.fd,
            rustix::net::Shutdown::Both,
        )?)
    }

    /// Shuts the socket down for writing, for every clone: the peer sees end of file (Node's
    /// channel then disconnects), while what it still writes can be read (or left unread)
    /// here instead of failing with `EPIPE` there.
    ///
    /// # Errors
    /// The socket failed (`ENOTCONN` when the peer is already gone).
    pub fn shutdown_write(&self) -> io::Result<()> {
        Ok(rustix::net::shutdown(
            &self.fd,
            rustix::net::Shutdown::Write,
        )?)
    }

    /// The next message or handle; `None` at end of file (a partial line is dropped).
    /// Internal messages other than `NODE_HANDLE` and `NODE_HANDLE_ACK` are skipped; a
    /// `NODE_HANDLE` is answered with `NODE_HANDLE_ACK` here.
    ///
    /// # Errors
    /// Bad bytes on the channel ([`ChannelError`]); the channel should be closed then.
    pub fn recv(&mut self) -> Result<Option<Incoming>, ChannelError> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            while let Some(r) = self.decoder.next_message() {
                let v = r?;
                if !is_internal(&v) {
                    return Ok(Some(Incoming::Message(v)));
                }
                match v.get("cmd").and_then(Value::as_str).as_deref() {
                    Some("NODE_HANDLE") => {}
                    Some("NODE_HANDLE_ACK") => return Ok(Some(Incoming::HandleAck)),
                    _ => continue,
                }
                let fd = self.fds.pop_front().ok_or(ChannelError::BadHandle)?;
                let kind = v
                    .get("type")
                    .and_then(Value::as_str)
                    .ok_or(ChannelError::BadHandle)?;
                let mut ack = json::Object::new();
                ack.insert("cmd", Value::string("NODE_HANDLE_ACK"));
                self.write_with_fd(&encode(&Value::Object(ack)), None)?;
                let message = v.get("msg").cloned().unwrap_or(Value::Null);
                return Ok(Some(Incoming::Handle { kind, message, fd }));
            }
            if self.eof {
                return Ok(None);
            }
            let got = nodestd_sys::ipc::recv_with_fds(self.fd.as_fd(), &mut buf, 16)?;
            if got.bytes == 0 {
                self.eof = true;
                continue;
            }
            self.fds.extend(got.fds);
            if self.fds.len() > 64 {
                // Fds that no NODE_HANDLE claims: the peer is not speaking Node's protocol.
                return Err(ChannelError::BadHandle);
            }
            self.decoder.push(&buf[..got.bytes]);
        }
    }

    /// Closes the channel (`process.disconnect()`).
    pub fn disconnect(self) {
        drop(self);
    }
}
