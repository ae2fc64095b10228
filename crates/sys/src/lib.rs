//! The OS facts under nodestd, once, at the bottom of the crate tree.
//!
//! No Node module maps to this crate: it holds what several of nodestd's modules need from the
//! OS and must not take from each other (net, dns and `child_process` must not depend on fs).
//! It depends on no nodestd crate; any of them may use it.
//!
//! - [`fdflags`]: the close-on-exec and non-blocking flags of an fd, and `dup` with
//!   close-on-exec (`uv__cloexec`, `uv__nonblock`, `uv__dup` in libuv's `src/unix/core.c`).
//! - [`ipc`]: the fd-passing primitives `child_process` needs for Node's IPC channel (libuv's
//!   `uv_pipe_t` with `ipc = 1`): a Unix socket pair, and sending and receiving bytes with
//!   fds attached as `SCM_RIGHTS`.
//!
//! - [`errno`]: libuv's error table, once (code, errno, message, as Node v20 reports them),
//!   for every crate that builds Node's system errors.
//! - [`fd`]: the process-wide fd table that owns the descriptors behind Node's integer fds.
//! - [`signals`]: Node's signal names and numbers (`os.constants.signals`).
//! - [`platform`]: Node's names for the platform and the CPU architecture.
//!
//! Everything is safe code on [rustix](https://docs.rs/rustix)'s safe API: no `unsafe` here.
//! File descriptors are `OwnedFd` / `BorrowedFd` (I/O safety), and errors are
//! `std::io::Error` carrying the OS errno.
//!
//! ```
//! use std::os::fd::AsFd;
//! let (a, b) = nodestd_sys::socketpair(false)?;
//! let (r, _w) = nodestd_sys::socketpair(false)?;
//! nodestd_sys::send_with_fds(&a, b"take this", &[r.as_fd()])?;
//! let mut buf = [0u8; 64];
//! let got = nodestd_sys::recv_with_fds(&b, &mut buf, 4)?;
//! assert_eq!(&buf[..got.bytes], b"take this");
//! assert_eq!(got.fds.len(), 1);
//! assert!(nodestd_sys::is_cloexec(&got.fds[0])?);
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! ## Platforms
//! Linux (the platform nodestd targets today): `MSG_CMSG_CLOEXEC` makes received fds
//! close-on-exec atomically, and `MSG_NOSIGNAL` keeps a send to a closed peer from raising
//! `SIGPIPE` (it fails with `EPIPE` instead).
//!
//! ## Deviations from libuv
//! - A receive whose control data was truncated (`MSG_CTRUNC`: more fds arrived than the
//!   caller made room for) is an error (`ENOBUFS`), and the fds that did arrive are closed;
//!   libuv passes on what fits.

#![forbid(unsafe_code)]

pub mod errno;
pub mod fd;
pub mod fdflags;
pub mod ipc;
pub mod platform;
pub mod signals;

pub use fdflags::{dup_cloexec, is_cloexec, is_nonblocking, set_cloexec, set_nonblocking};
pub use ipc::{MAX_FDS_PER_MESSAGE, Received, recv_with_fds, send_with_fds, socketpair};
