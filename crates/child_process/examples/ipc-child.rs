//! `ipc-child`: the child end of Node's `fork` IPC, per issue 15's contract. Run by Node as
//! `fork(MODULE, args, { execPath: BIN })`, so as `BIN MODULE args...` with the channel in
//! `NODE_CHANNEL_FD`; MODULE is ignored. For each message M:
//! - `{"cmd":"burst","n":N}`: sends `{"i":0}` ... `{"i":N-1}`, then `{"done":N}`;
//! - `{"cmd":"argv"}`: sends `{"argv":[args after MODULE],"env":$IPC_TEST or null}` (the
//!   parent node's own options, which Node's `fork` puts before MODULE, are skipped);
//! - `{"cmd":"disconnect"}`: closes the channel, exits 0 once nothing else keeps it alive;
//! - `{"cmd":"exit","code":N}`: exits with status N;
//! - M with a net.Socket: writes `child PID\n` on it, ends it, sends `{"gotSocket":true,"msg":M}`;
//! - M with a net.Server: answers each connection with `child PID\n` and closes it, sends
//!   `{"gotServer":true,"msg":M}`;
//! - anything else: sends M back unchanged.
//!
//! The parent disconnecting ends the program with status 0 once no server it was handed is
//! still listening (a listening server keeps a Node child alive too). Signals keep their
//! default actions. The channel is read and written with blocking calls; each server is
//! served by a thread.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::thread::JoinHandle;

use nodestd_child_process::ipc::{BlockingChannel, Incoming, encode};
use nodestd_child_process::json::{Object, Value};

fn greeting() -> String {
    format!("child {}\n", std::process::id())
}

/// Writes the greeting on a socket whose open file description the parent may share (so its
/// non-blocking flag is left alone: writing waits with poll), then ends and closes it.
fn greet(fd: OwnedFd) {
    let stream = TcpStream::from(fd);
    let mut bytes = greeting().into_bytes();
    let mut rest = &mut bytes[..];
    while !rest.is_empty() {
        match (&stream).write(rest) {
            Ok(0) => break,
            Ok(n) => rest = &mut rest[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => wait(&stream, false),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn wait(fd: &impl std::os::fd::AsFd, read: bool) {
    use rustix::event::{PollFd, PollFlags, poll};
    let flags = if read { PollFlags::IN } else { PollFlags::OUT };
    let mut fds = [PollFd::new(fd, flags)];
    let _ = poll(&mut fds, None);
}

/// Serves a listening socket handed over by the parent. Its file description may be shared
/// with the parent's server, so it stays non-blocking: accept waits with poll and takes
/// EAGAIN (the parent took the connection) in its stride.
fn serve(fd: OwnedFd) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let listener = TcpListener::from(fd);
        loop {
            match listener.accept() {
                Ok((conn, _)) => {
                    let _ = conn.set_nonblocking(false);
                    let _ = (&conn).write_all(greeting().as_bytes());
                    let _ = conn.shutdown(std::net::Shutdown::Write);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => wait(&listener, true),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e)
                    if matches!(
                        e.raw_os_error(),
                        Some(libc_errno::ECONNABORTED | libc_errno::EMFILE | libc_errno::ENFILE)
                    ) => {}
                Err(_) => return,
            }
        }
    })
}

/// The errno values `serve` lets pass (Linux's numbers).
mod libc_errno {
    pub const ECONNABORTED: i32 = 103;
    pub const EMFILE: i32 = 24;
    pub const ENFILE: i32 = 23;
}

/// Node's options that take the next argument as their value (`node --help`'s `--opt=...`
/// and the undocumented aliases): Node's `fork` puts the parent's `execArgv` before MODULE.
const VALUE_OPTIONS: &[&str] = &[
    "--allow-fs-read",
    "--allow-fs-write",
    "--build-snapshot-config",
    "-C",
    "--conditions",
    "--cpu-prof-dir",
    "--cpu-prof-interval",
    "--cpu-prof-name",
    "--diagnostic-dir",
    "--disable-proto",
    "--disable-warning",
    "--dns-result-order",
    "--env-file",
    "--env-file-if-exists",
    "-e",
    "--eval",
    "-p",
    "--print",
    "--experimental-default-type",
    "--experimental-policy",
    "--experimental-sea-config",
    "--heap-prof-dir",
    "--heap-prof-interval",
    "--heap-prof-name",
    "--heapsnapshot-near-heap-limit",
    "--heapsnapshot-signal",
    "--icu-data-dir",
    "--import",
    "--input-type",
    "--inspect-publish-uid",
    "--max-http-header-size",
    "--network-family-autoselection-attempt-timeout",
    "--openssl-config",
    "--policy-integrity",
    "--redirect-warnings",
    "--report-filename",
    "--report-signal",
    "-r",
    "--require",
    "--secure-heap",
    "--secure-heap-min",
    "--snapshot-blob",
    "--test-concurrency",
    "--test-name-pattern",
    "--test-reporter",
    "--test-reporter-destination",
    "--test-shard",
    "--test-timeout",
    "--title",
    "--tls-cipher-list",
    "--tls-keylog",
    "--trace-event-categories",
    "--trace-event-file-pattern",
    "--trace-require-module",
    "--unhandled-rejections",
    "--use-largepages",
    "--v8-pool-size",
    "--watch-path",
    "--inspect-port",
    "--debug-port",
    "--loader",
    "--experimental-loader",
    "--es-module-specifier-resolution",
    "--experimental-specifier-resolution",
    "--report-dir",
    "--report-directory",
];

/// The arguments after MODULE. Node's `fork(MODULE, args)` runs `BIN ...execArgv MODULE
/// args...`, where `execArgv` is the parent node's own options (`--no-warnings`,
/// `--require x`): those are skipped as node would parse them.
fn args_after_module() -> Vec<std::ffi::OsString> {
    let mut args = std::env::args_os().skip(1).peekable();
    while let Some(a) = args.peek() {
        let a = a.to_string_lossy().into_owned();
        if a == "--" {
            args.next();
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        args.next();
        if VALUE_OPTIONS.contains(&a.as_str()) {
            args.next();
        }
    }
    args.next(); // MODULE
    args.collect()
}

/// `process.exit(code)`'s status: a number, or a string of one (Node coerces it), to 8 bits;
/// anything else 0.
fn exit_code(code: Option<&Value>) -> i32 {
    let n = match code {
        Some(Value::Number(n)) => *n,
        Some(v) => v
            .as_str()
            .and_then(|s| s.trim().parse::<f64>().ok())
            .unwrap_or(0.0),
        None => 0.0,
    };
    if n.is_finite() { n as i64 as i32 } else { 0 }
}

fn object(pairs: &[(&str, Value)]) -> Value {
    let mut o = Object::new();
    for (k, v) in pairs {
        o.insert(k, v.clone());
    }
    Value::Object(o)
}

fn main() {
    let mut channel = match BlockingChannel::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ipc-child: {e}");
            std::process::exit(1);
        }
    };
    let mut servers = Vec::new();
    loop {
        let sent = match channel.recv() {
            Ok(None) => break,
            Err(e) => {
                // Node's channel would emit 'error' and close; without a listener a Node
                // child would crash. Here: report, close, and go on as if disconnected.
                eprintln!("ipc-child: bad message on the channel: {e}");
                break;
            }
            Ok(Some(Incoming::Handle { kind, message, fd })) => match kind.as_str() {
                "net.Socket" => {
                    greet(fd);
                    channel.send(&object(&[
                        ("gotSocket", Value::Bool(true)),
                        ("msg", message),
                    ]))
                }
                "net.Server" => {
                    servers.push(serve(fd));
                    channel.send(&object(&[
                        ("gotServer", Value::Bool(true)),
                        ("msg", message),
                    ]))
                }
                _ => channel.send(&message),
            },
            Ok(Some(Incoming::HandleAck)) => Ok(()),
            Ok(Some(Incoming::Message(m))) => match m.get("cmd").and_then(Value::as_str).as_deref()
            {
                Some("burst") => {
                    let n = m.get("n").and_then(Value::as_f64).unwrap_or(0.0);
                    let n = if n.is_finite() && n > 0.0 {
                        n as u64
                    } else {
                        0
                    };
                    burst(&channel, n, m.get("n").cloned())
                }
                Some("argv") => {
                    let argv = args_after_module()
                        .iter()
                        .map(|a| Value::string(&a.to_string_lossy()))
                        .collect();
                    let env = match std::env::var_os("IPC_TEST") {
                        Some(v) => Value::string(&v.to_string_lossy()),
                        None => Value::Null,
                    };
                    channel.send(&object(&[("argv", Value::Array(argv)), ("env", env)]))
                }
                Some("disconnect") => break,
                Some("exit") => std::process::exit(exit_code(m.get("code"))),
                _ => channel.send(&m),
            },
        };
        if sent.is_err() {
            // The parent is gone (EPIPE): as a disconnect.
            break;
        }
    }
    channel.disconnect();
    for s in servers {
        let _ = s.join();
    }
    std::process::exit(0);
}

/// Sends `{"i":0}` ... `{"i":n-1}` then `{"done":N}`, gathered into large writes (`{}` when
/// the message had no `n`, as `JSON.stringify({done: undefined})`).
fn burst(channel: &BlockingChannel, n: u64, n_value: Option<Value>) -> std::io::Result<()> {
    let mut batch = Vec::with_capacity(1 << 16);
    for i in 0..n {
        batch.extend_from_slice(format!("{{\"i\":{i}}}\n").as_bytes());
        if batch.len() >= 1 << 16 {
            channel.write_all(&batch)?;
            batch.clear();
        }
    }
    let done = match n_value {
        Some(v) => object(&[("done", v)]),
        None => object(&[]),
    };
    batch.extend_from_slice(&encode(&done));
    channel.write_all(&batch)
}
