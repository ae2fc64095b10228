//! Node.js's [`fs`](https://nodejs.org/docs/latest-v20.x/api/fs.html) module for Rust, on the
//! nodestd event loop, with Node v20's semantics and error messages.
//!
//! ## The three forms
//! - **sync**: `*_sync` functions at the crate root (`fs.mkdirSync` is [`mkdir_sync`]). They
//!   are the core; the other forms run them.
//! - **callback**: [`callback`] (`fs.mkdir(path, opts, cb)` is [`callback::mkdir`]): the work
//!   is queued on the loop's worker pool at the call and the callback runs on the loop thread
//!   in the poll phase. Blocking I/O never runs on the loop thread.
//! - **promises**: [`promises`] (`fs.promises`): as in Node, the work is queued on the worker
//!   pool **at the call** (it runs whether or not the future is awaited), and the future
//!   resolves when it completes; [`promises::FileHandle`] for descriptors, whose methods also
//!   start their work at the call.
//!
//! The callback and promise forms are the rows of one table (`forms.rs`) on the loop's
//! [`nodestd_loop::work`], so `grep -n 'fn read_file'` finds the row both forms come from.
//! A callback form returns `Err` at once for what Node throws at the call (with typed
//! arguments, nothing today) and gives everything else to the callback.
//!
//! ```
//! let dir = nodestd_fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-fs-")).unwrap();
//! nodestd_fs::write_file_sync(dir.join("a.txt"), "hello", Default::default()).unwrap();
//! let out = nodestd_loop::block_on({
//!     let f = dir.join("a.txt");
//!     async move { nodestd_fs::promises::read_file(f, Default::default()).await }
//! });
//! assert_eq!(out.unwrap().unwrap(), b"hello");
//! nodestd_fs::rm_sync(&dir, nodestd_fs::RmOptions { recursive: true, ..Default::default() }).unwrap();
//! ```
//!
//! ## Module map
//! `errors` (Node's error shape; libuv's names/messages are [`nodestd_sys::errno`]'s table),
//! `flags` (open flag strings, modes), `fd` (integer descriptors over [`nodestd_sys::fd`]'s
//! process-wide table), `stat` (Stats, statfs), `ops` (path
//! operations, mkdir, mkdtemp, realpath), `io` (open/read/write, readFile/writeFile, copyFile),
//! `dir` (readdir, opendir), `cp`, `rm` (rm, rmdir), `watch` (watch, watchFile), `encoding`,
//! `callback`, `promises`, [`validators`] (Node's argument validators and their
//! messages, for callers converting JavaScript values), `warning` (DEP0147 and its hook).
//!
//! ## Node's options as Rust
//! Options objects are structs with `Default` ([`MkdirOptions`], [`RmOptions`],
//! [`CpOptions`], [`ReaddirOptions`], [`ReadFileOptions`], [`WriteFileOptions`],
//! [`WatchOptions`], [`WatchFileOptions`]); flags strings go through [`OpenFlags::parse`], octal
//! mode strings through [`parse_mode`], encodings through [`parse_encoding`] (the [`Encoding`] is nodestd-buffer's). Errors
//! ([`Error`]) carry `code`, `errno`, `syscall`, `path`, `dest` and Node's message text.
//!
//! ## Deviations from Node
//! - Descriptors are [`Fd`] values from a process-wide table ([`nodestd_sys::fd`], no `unsafe`): a raw number that
//!   this crate did not open is `EBADF`.
//! - Stats keep full precision: there is no separate `BigIntStats`; `bigint: true` is the
//!   choice of [`Timespec::ns`] over [`Timespec::ms`].
//! - `readFile`'s `encoding` is a separate function ([`read_file_to_string_sync`]); `writeFile`
//!   takes bytes (encode strings with [`Encoding::encode`]).
//! - `read`/`write` take a slice (Node's `offset`/`length` are slicing); the callback and
//!   promise forms move an owned buffer in and hand it back.
//! - `opendir` reads the directory's entries when it opens it; `Dir` then hands them out.
//! - `readFile`/`writeFile`/`appendFile` (callback and promise forms) are one worker-pool job
//!   each (Node's are a chain of jobs: open, fstat, read or write, close), so with other work
//!   in flight they can complete earlier than Node's do; forms that are one job in Node
//!   (`stat`, `access`, `mkdir`, …) complete in Node's order (`tests/fs_order.rs`).
//! - `watch` names come from notify (inotify): events are `rename`/`change` as in Node, but
//!   their number per operation may differ from libuv's. `watchFile` listeners get [`Stats`].
//! - `FileHandle` closes its descriptor when dropped (Node does at garbage collection).
//!   A closed (or closing) handle keeps Node's life cycle: `fd()` is `None` (Node's -1) and
//!   every method fails with `EBADF` `file closed`, never touching the old number.
//! - `AbortSignal` is nodestd-events' ([`AbortController`], re-exported); it is checked between
//!   chunks of readFile/writeFile.
//! - `symlink`'s `type` argument (Windows only) and `URL`/`Buffer` paths are not taken: paths
//!   are `impl AsRef<Path>`.
//! - `createReadStream` / `createWriteStream` take `start`/`end` as `Option<u64>`; their
//!   `open` event (the file is opened in the stream's `construct`, as in Node) is
//!   [`open_event`], with an [`Fd`].
//! - Node's forms differ among themselves and each is kept: `opendirSync`'s errors name no
//!   path; `fsPromises.realpath` is the native call (the others walk in JavaScript); the
//!   asynchronous `mkdir` names the failing component and `cp`/`rm` follow Node's
//!   asynchronous ports (`cp.js`, async `rimraf`), so errors can differ from `*_sync`.
//! - Process warnings (`rmdir`'s DEP0147, once per process) go to this crate's own hook
//!   ([`set_warning_hook`]) or stderr, not to `nodestd-process`'s `warning` event:
//!   `nodestd-events`' warning type has no `code`.
//! - Typed arguments cannot have Node's wrong types: [`validators`] gives Node's checks and
//!   messages for callers that hold JavaScript-like values; the typed functions check what a
//!   type still allows (`access`/`copyFile` `mode` in `0..=7`, `cp`'s `mode` and
//!   `dereference` with `verbatimSymlinks`).
//! - Not provided: `Dir`'s asynchronous `read`/`close`, async iteration and `opendir`'s
//!   `recursive` option (a `Dir` is in memory, use [`Dir::read_sync`]); `FileHandle`'s
//!   `readLines`, `createReadStream`, `createWriteStream`, `readableWebStream`;
//!   `readFile`/`writeFile` on a descriptor (use [`read_all`] and [`write_all`]); `lchmod`
//!   (macOS only), `openAsBlob`; `watch`'s `encoding` and `signal` options; `Buffer`/`URL`
//!   paths.
//! - Linux only (statx, inotify, `copy_file_range`, `FICLONE`).

#![deny(unsafe_code)]

pub mod callback;
pub mod constants;
mod cp;
mod dir;
mod encoding;
mod errors;
mod fd;
mod flags;
mod forms;
mod io;
mod ops;
pub mod promises;
mod rm;
mod stat;
mod streams;
pub mod validators;
mod warning;
mod watch;

pub use cp::{CpFilter, CpOptions, cp_sync};
pub use dir::{
    Dir, Dirent, DirentType, ReaddirOptions, opendir_sync, readdir_sync,
    readdir_with_file_types_sync,
};
pub use encoding::{Encoding, parse_encoding};
pub use errors::{Error, ErrorKind, Result, uv_name_message};
pub use fd::Fd;
pub use flags::{OpenFlags, check_mode, parse_mode};
pub use io::{
    ReadFileOptions, WriteFileOptions, append_file_sync, close_sync, copy_file_sync, fchmod_sync,
    fchown_sync, fdatasync_sync, fsync_sync, ftruncate_sync, futimes_sync, open_sync, read_all,
    read_file_sync, read_file_to_string_sync, read_sync, readv_sync, write_all, write_file_sync,
    write_sync, writev_sync,
};
pub use nodestd_events::{AbortController, AbortSignal};
pub use ops::{
    MkdirOptions, access_sync, chmod_sync, chown_sync, exists_sync, lchown_sync, link_sync,
    lutimes_sync, mkdir_sync, mkdtemp_sync, readlink_sync, realpath_native_sync, realpath_sync,
    rename_sync, symlink_sync, truncate_sync, unlink_sync, utimes_sync,
};
pub use rm::{RmOptions, RmdirOptions, rm_sync, rmdir_sync};
pub use stat::{StatFs, Stats, Timespec, fstat_sync, lstat_sync, stat_sync, statfs_sync};
pub use streams::{
    ReadStreamOptions, WriteStreamOptions, create_read_stream, create_write_stream, open_event,
};
pub use warning::{Warning, WarningHook, emit_rmdir_recursive_warning, set_warning_hook};
pub use watch::{
    FsWatcher, StatWatcher, WatchEventType, WatchFileOptions, WatchOptions, unwatch_file, watch,
    watch_file,
};
