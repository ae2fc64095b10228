//! Node.js's [`child_process`](https://nodejs.org/docs/latest-v20.x/api/child_process.html)
//! module for Rust: `spawn`, `exec`, `execFile`, the sync forms and `fork`, with the IPC wire
//! of `fork`'s channel in Node v20's `json` serialization, so that a Rust program can talk to
//! a real Node program on the other end.
//!
//! - [`json`]: JavaScript values as `JSON.parse` makes them and `JSON.stringify` writes them
//!   (UTF-16 strings keeping lone surrogates, JavaScript's property order).
//! - [`ipc`]: the wire (one JSON text per line, Node's internal `NODE_*` messages, handle
//!   passing with `NODE_HANDLE` / `NODE_HANDLE_ACK` and `SCM_RIGHTS`), a bounded line
//!   [`Decoder`](ipc::Decoder), and a [`BlockingChannel`](ipc::BlockingChannel) for the child
//!   side in a program without the loop, or a parent's (`fork_command`: the child's end at
//!   fd 3, as Node's `fork` places it).
//! - [`spawn`](mod@spawn): `spawn` on the loop, a [`ChildProcess`](spawn::ChildProcess) with
//!   pid, stdin/stdout/stderr and extra stdio slots (fd 3 and up: `'pipe'`, `'inherit'`,
//!   `'ignore'`, an fd, `'ipc'` at any index, a `net` socket) as `net` sockets over socket
//!   pairs (as libuv makes them),
//!   exitCode, signalCode, killed, `kill` (a number or a signal's name), `ref`/`unref`, and
//!   the events spawn, exit, close (after exit and once every readable slot closed; unread
//!   output is drained as Node's `flushStdio` does) and error (`spawn nope ENOENT` with
//!   Node's fields, then close with `-errno`); timeout with killSignal; `detached` (`setsid`),
//!   `uid`/`gid`, an abort `signal` (the kill, then `AbortError`); reaped through a pidfd on
//!   the loop, or through `SIGCHLD` where `pidfd_open` fails, as libuv does.
//! - [`fork`](mod@fork): `fork` on the loop (the channel at fd 3 as Node's `[0, 1, 2, 'ipc']`,
//!   or in the `'ipc'` slot of a stdio array, named by `NODE_CHANNEL_FD`; the `json`
//!   serialization), the parent's `send`, `disconnect`, `connected`, and the `message`
//!   and `disconnect` events; `'close'` waits for the channel as in Node. Handles both ways
//!   (`send_handle` of a `net` server or socket, `keepOpen` for a socket, or a bare fd as
//!   `net.Native`, with Node's `NODE_HANDLE`/`ACK`/`NACK` and its queue; a received one
//!   rebuilt as a [`Handle`](fork::Handle) beside the message), and `'internalMessage'` for
//!   the internal `NODE_*` messages others build on (cluster). The child's side:
//!   [`process_channel`](fork::process_channel) (`process.send`, `on('message')`,
//!   `connected`, `disconnect`), keeping the loop alive only while it has listeners or
//!   writes waiting, as Node's channel does.
//! - [`exec`](mod@exec): `exec` (through `/bin/sh`) and `execFile` (never a shell), buffered,
//!   with `encoding` (strings decoded with nodestd-buffer's encodings, or bytes for
//!   `'buffer'`), `maxBuffer` counted as Node counts it, `timeout`, an abort `signal` and the
//!   callback error's fields (code, killed, signal, cmd).
//! - [`sync`]: `spawnSync`, `execFileSync`, `execSync` (pipes, `input`, `cwd`, `env` from
//!   the process crate by default, `argv0`, `shell`, `timeout` and `killSignal`, `maxBuffer`),
//!   with Node's result fields and errors (`spawnSync nope ENOENT`, `ETIMEDOUT`, `ENOBUFS`,
//!   `Command failed: ...`).
//! - The examples `ipc-child` (run by Node's `fork(module, args, { execPath })`) and
//!   `ipc-parent` (forks `node SCRIPT.js`) speak the wire per issue 15's contract;
//!   `fork-child` is a child on the loop through `process_channel`.
//!
//! No cargo features.
//!
//! ## Platforms
//! Linux is what is tested. The crate needs Unix socket pairs with `SCM_RIGHTS` (the channel
//! and its handles), `fork`/`exec` (the audited `sys.rs`), and reaps children through a pidfd
//! (`pidfd_open`, Linux 5.3 and later) watched on the loop, falling back to a `SIGCHLD`
//! handler where `pidfd_open` fails, as libuv does.
//!
//! ## Deviations from Node
//! - The child side of the channel is [`fork::process_channel`], opened at its first call
//!   (not by the process crate at startup) and not part of `process`'s emitter. The
//!   `'error'` of a bad channel line has the code `ERR_IPC_BAD_MESSAGE` (Node throws from
//!   `JSON.parse`); `send` has no callback; there is no dgram crate, so dgram handles cannot
//!   be sent (a received `dgram.*` handle is a bare fd, [`fork::Handle::Native`]); a
//!   received `net.Server`'s message is delivered at once (Node waits for the rebuilt
//!   server's `'listening'`), and a socket's message carries no `key` (Node's bookkeeping of
//!   a server's sockets sent to workers).
//! - The examples use blocking I/O and threads (`ipc-child` one per server it is handed;
//!   `ipc-parent` one each for the channel, stdin and the child's exit).
//! - `ipc-parent` reports a message that is not JSON as the error code
//!   `ERR_IPC_BAD_MESSAGE` (Node would throw from `JSON.parse`). When it disconnects it
//!   shuts only its writing side, so a reply the child sends before it sees the end does not
//!   fail with `EPIPE` (Node's parent closes its end a few ticks later, which a child usually
//!   beats). `ipc-child` exits 0 after a bad line on the channel (a Node child would crash).
//! - `spawn`: the stdio slots are typed: names through [`spawn::StdioSlot::named`] /
//!   [`all_named`](spawn::StdioSlot::all_named) (Node's errors for other names), and the
//!   only stream objects taken are `net` sockets (any other fd as `StdioSlot::Fd`); a socket
//!   in a slot is paused (Node also stops its handle's reading: ours may still read ahead up
//!   to its `highWaterMark`), and one without an fd is `ERR_INVALID_ARG_VALUE` with our own
//!   text (Node's shows `util.inspect` of the socket). What Node throws from `spawn` (an
//!   empty command, a NUL byte in a string, two `'ipc'` slots, a spawn errno other than
//!   EACCES, EAGAIN, EMFILE, ENFILE and ENOENT) comes from [`spawn::spawn`] as an `'error'`
//!   event then `'close'`, from `exec`/`execFile` as the callback's error, and from
//!   [`sync::spawn_sync`] as the result's `error`; [`spawn::try_spawn`] and
//!   [`fork::fork_with_stdio`] return it as an `Err`. A child whose spawn failed has no
//!   stdio streams (`stdout()` is `None`; Node gives sockets that are not connected). The channel
//!   of an `'ipc'` slot always uses the `json` serialization. A slot's socket is handed out
//!   as a clone, and after `'close'` the child lets go of its streams (`stdout()` is then
//!   `None`) and of its listeners, so that listeners holding the child do not keep it in a
//!   cycle. `killSignal` is a number
//!   ([`sync::signal_number`] turns a name into one), and `kill` of an unknown name is an
//!   `Err` (Node throws); `kill` of a number that is no signal returns false (Node throws
//!   `ERR_UNKNOWN_SIGNAL`). The abort's `'error'` is a [`SpawnError`](sync::SpawnError) with
//!   code `ABORT_ERR` (no `cause`); an abort from another thread than the loop's acts when
//!   the loop next polls. With the `SIGCHLD` fallback, this crate's handler replaces
//!   `SIGCHLD`'s disposition while children run, as libuv's does.
//! - `exec`/`execFile`: a string output cut by `maxBuffer` inside a surrogate pair ends with
//!   U+FFFD where JavaScript keeps the lone surrogate, and `utf16le` output's lone surrogates
//!   are U+FFFD (Rust strings).
//! - The sync forms always pipe the three standard streams (Node's `stdio: 'pipe'`; `execSync`
//!   and `execFileSync` then copy the child's stderr to this process's, as Node does without
//!   a `stdio` option), take
//!   strings for arguments and give bytes back (no `encoding`); the signal is a number. On
//!   `maxBuffer` overflow they keep what was read, which may differ from the amount Node keeps.
//!   After the pipes close they wait for the child's end in 1 ms steps when a `timeout` is set.
//! - A message line longer than [`ipc::MAX_MESSAGE_BYTES`] (128 MiB) is an error that closes
//!   the channel; Node buffers until it runs out of string length.
//! - Arrays and objects nested deeper than [`json::MAX_DEPTH`] (4096) are a parse error;
//!   V8's `JSON.parse` takes deeper ones.

pub mod exec;
pub mod fork;
pub mod ipc;
pub mod json;
pub mod spawn;
pub mod sync;
mod sys;
