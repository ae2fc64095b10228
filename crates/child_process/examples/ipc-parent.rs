//! `ipc-parent SCRIPT.js [args...]`: the parent end of Node's `fork` IPC, per issue 15's
//! contract. Forks `node SCRIPT.js args...` (node from PATH, stdio and env inherited, the
//! channel in `NODE_CHANNEL_FD` with `NODE_CHANNEL_SERIALIZATION_MODE=json`). Each non-empty
//! stdin line is JSON, handled in order:
//! - `{"$sendServer":M}`: listens on TCP 127.0.0.1:0, prints `{"event":"serverPort","port":P}`,
//!   sends M with the server, closes its own copy;
//! - `{"$kill":"SIGTERM"}`: signals the child;
//! - anything else: sends it as a message.
//!
//! At stdin EOF it disconnects. stdout has one compact JSON line per event: `spawn`,
//! `{"message":V}`, `disconnect`, `exit` and `close` (with code and signal), `error` (with a
//! code). When the child exits, is killed or disconnects: disconnect, exit, close, then this
//! program exits 0; when this program disconnected first: disconnect, exit, and it exits 0.
//!
//! Stdin is read as Node's readline reads it: lines end at `\n`, `\r\n` or `\r`, bytes that
//! are not UTF-8 become U+FFFD, a last line without an end still counts. A stdin end after the
//! channel closed is Node's `disconnect()` on a closed channel: `{"event":"error","code":
//! "ERR_IPC_DISCONNECTED"}`. A failed spawn (no `node` on PATH) prints the error and
//! `{"event":"close","code":-errno,"signal":null}`, as Node's `fork` reports it.
//!
//! Threads stand in for the loop here: one reads the channel, one stdin, one waits for the
//! child; the main thread handles their events in order of arrival. The channel reaches
//! node at fd 3, as with Node's `fork` ([`BlockingChannel::fork_command`]).

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;

use nodestd_child_process::ipc::{BlockingChannel, Incoming};
use nodestd_child_process::json::{self, Object, Value};
use nodestd_child_process::sync::signal_number;

enum Event {
    Stdin(String),
    StdinEnd,
    Channel(Incoming),
    ChannelError(String),
    ChannelEnd,
    Exit(std::process::ExitStatus),
}

fn print(v: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", v.to_json());
    let _ = out.flush();
}

fn event(name: &str, extra: &[(&str, Value)]) {
    let mut o = Object::new();
    o.insert("event", Value::string(name));
    for (k, v) in extra {
        o.insert(k, v.clone());
    }
    print(&Value::Object(o));
}

/// What waits for the ACK of a handle sent earlier.
enum Outgoing {
    Message(Value),
    Server(Value, OwnedFd),
}

struct Parent {
    channel: Option<BlockingChannel>,
    /// Sends held back until the last handle's `NODE_HANDLE_ACK` (Node's handle queue).
    queue: VecDeque<Outgoing>,
    awaiting_ack: bool,
    /// Handles the child sent: kept open while the program runs.
    received: Vec<OwnedFd>,
}

impl Parent {
    fn send(&mut self, out: Outgoing) {
        let Some(channel) = &self.channel else {
            event(
                "error",
                &[("code", Value::string("ERR_IPC_CHANNEL_CLOSED"))],
            );
            return;
        };
        if self.awaiting_ack {
            self.queue.push_back(out);
            return;
        }
        // A failed write means the child is gone: its end of file is on its way.
        match out {
            Outgoing::Message(v) => {
                let _ = channel.send(&v);
            }
            Outgoing::Server(v, fd) => {
                let _ = channel.send_handle("net.Server", &v, fd.as_fd());
                self.awaiting_ack = true;
                // Closes this program's copy: the child's serves.
                drop(fd);
            }
        }
    }

    fn acked(&mut self) {
        self.awaiting_ack = false;
        while !self.awaiting_ack {
            let Some(out) = self.queue.pop_front() else {
                break;
            };
            self.send(out);
        }
    }

    /// Closes the channel and prints `disconnect`. `ours`: this program disconnects (stdin
    /// ended), so only the writing side is shut: the child sees end of file and what it
    /// had already sent back is read and dropped, where a write of its would otherwise meet
    /// `EPIPE` (Node closes its end a few ticks after `disconnect()`, after such replies).
    fn disconnect(&mut self, ours: bool) {
        if let Some(c) = self.channel.take() {
            let _ = if ours {
                c.shutdown_write()
            } else {
                c.shutdown()
            };
            self.queue.clear();
            event("disconnect", &[]);
        }
    }
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(script) = args.next() else {
        eprintln!("usage: ipc-parent SCRIPT.js [args...]");
        std::process::exit(2);
    };
    let mut cmd = Command::new("node");
    cmd.arg(&script).args(args);
    let (mut child, channel) = match BlockingChannel::fork_command(cmd) {
        Ok(pair) => pair,
        Err(e) => {
            // Node's fork: 'error' on the next tick, then 'close' with the negated errno.
            let errno = e.raw_os_error().unwrap_or(0);
            let code = nodestd_sys::errno::lookup(errno)
                .map_or_else(|| format!("E{errno}"), |(c, _)| c.to_owned());
            event("error", &[("code", Value::string(&code))]);
            let close = [
                ("code", Value::Number(f64::from(-errno))),
                ("signal", Value::Null),
            ];
            event("close", &close);
            std::process::exit(0);
        }
    };
    let pid = child.id();
    event("spawn", &[]);

    let (tx, rx) = mpsc::channel();
    let mut reader = channel.try_clone().expect("dup of the channel fd");
    let t = tx.clone();
    std::thread::spawn(move || {
        loop {
            match reader.recv() {
                Ok(Some(m)) => {
                    if t.send(Event::Channel(m)).is_err() {
                        return;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = t.send(Event::ChannelError(e.to_string()));
                    break;
                }
            }
        }
        let _ = t.send(Event::ChannelEnd);
    });
    let t = tx.clone();
    std::thread::spawn(move || {
        read_lines(std::io::stdin().lock(), |l| t.send(Event::Stdin(l)).is_ok());
        let _ = t.send(Event::StdinEnd);
    });
    std::thread::spawn(move || {
        if let Ok(status) = child.wait() {
            let _ = tx.send(Event::Exit(status));
        }
    });

    let mut parent = Parent {
        channel: Some(channel),
        queue: VecDeque::new(),
        awaiting_ack: false,
        received: Vec::new(),
    };
    let mut we_disconnected = false;
    let mut channel_ended = false;
    let mut exited: Option<std::process::ExitStatus> = None;
    let mut exit_printed = false;
    for ev in rx {
        match ev {
            Event::Stdin(line) if line.trim().is_empty() => {}
            Event::Stdin(line) => match json::parse(&line) {
                Err(e) => eprintln!("ipc-parent: stdin: {e}"),
                Ok(v) => {
                    if let Some(m) = v.get("$sendServer") {
                        match TcpListener::bind("127.0.0.1:0") {
                            Ok(l) => {
                                let port = l.local_addr().map(|a| a.port()).unwrap_or(0);
                                event("serverPort", &[("port", Value::Number(port.into()))]);
                                parent.send(Outgoing::Server(m.clone(), l.into()));
                            }
                            Err(e) => eprintln!("ipc-parent: listen: {e}"),
                        }
                    } else if let Some(sig) = v.get("$kill") {
                        // Node's child.kill: a signal's name in any case, or its number.
                        let num = match (sig.as_str(), sig.as_f64()) {
                            (Some(name), _) => signal_number(&name).ok(),
                            (None, Some(n)) if n.fract() == 0.0 && (0.0..65.0).contains(&n) => {
                                let n = n as i32;
                                (n == 0 || nodestd_sys::signals::signal_name(n).is_some())
                                    .then_some(n)
                            }
                            _ => None,
                        };
                        match num {
                            Some(n) if exited.is_none() => {
                                let p = rustix::process::Pid::from_raw(pid as i32);
                                if let Some(p) = p {
                                    match rustix::process::Signal::from_named_raw(n) {
                                        Some(s) => {
                                            let _ = rustix::process::kill_process(p, s);
                                        }
                                        None => {
                                            let _ = rustix::process::test_kill_process(p);
                                        }
                                    }
                                }
                            }
                            Some(_) => {}
                            None => {
                                event("error", &[("code", Value::string("ERR_UNKNOWN_SIGNAL"))])
                            }
                        }
                    } else {
                        parent.send(Outgoing::Message(v));
                    }
                }
            },
            Event::StdinEnd => {
                if parent.channel.is_some() {
                    we_disconnected = true;
                    parent.disconnect(true);
                } else {
                    // Node's disconnect() of a channel already closed.
                    event("error", &[("code", Value::string("ERR_IPC_DISCONNECTED"))]);
                }
            }
            // Once the channel is closed, what the reader still gets is not delivered (Node
            // stops reading at disconnect()).
            Event::Channel(_) if parent.channel.is_none() => {}
            Event::Channel(Incoming::Message(v)) => {
                let mut o = Object::new();
                o.insert("message", v);
                print(&Value::Object(o));
            }
            Event::Channel(Incoming::Handle { message, fd, .. }) => {
                parent.received.push(fd);
                let mut o = Object::new();
                o.insert("message", message);
                print(&Value::Object(o));
            }
            Event::Channel(Incoming::HandleAck) => parent.acked(),
            Event::ChannelError(e) => {
                if parent.channel.is_some() {
                    eprintln!("ipc-parent: channel: {e}");
                    event("error", &[("code", Value::string("ERR_IPC_BAD_MESSAGE"))]);
                    parent.disconnect(false);
                }
            }
            Event::ChannelEnd => {
                channel_ended = true;
                parent.disconnect(false);
            }
            Event::Exit(status) => exited = Some(status),
        }
        // exit comes after disconnect (Node sees the channel's end before the child's exit
        // status in the same way: the channel closes as the child's last fd goes).
        if let Some(status) = exited {
            if parent.channel.is_none() && !exit_printed {
                exit_printed = true;
                let (code, signal) = code_signal(status);
                event(
                    "exit",
                    &[("code", code.clone()), ("signal", signal.clone())],
                );
                if we_disconnected {
                    std::process::exit(0);
                }
            }
            if exit_printed && channel_ended {
                let (code, signal) = code_signal(status);
                event("close", &[("code", code), ("signal", signal)]);
                std::process::exit(0);
            }
        }
    }
}

/// Calls `line` with each line of `input` as Node's readline splits them (at `\n`, `\r\n` or
/// `\r`; a last line without an end too), decoded as UTF-8 with U+FFFD for bad bytes; stops
/// when `line` returns false or `input` ends or fails.
fn read_lines(mut input: impl Read, mut line: impl FnMut(String) -> bool) {
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    // A `\r` ended the last line: a `\n` right after it belongs to that end.
    let mut after_cr = false;
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        for &b in &chunk[..n] {
            if after_cr && b == b'\n' {
                after_cr = false;
                continue;
            }
            after_cr = b == b'\r';
            if b == b'\n' || b == b'\r' {
                let text = String::from_utf8_lossy(&pending).into_owned();
                pending.clear();
                if !line(text) {
                    return;
                }
            } else {
                pending.push(b);
            }
        }
    }
    if !pending.is_empty() {
        line(String::from_utf8_lossy(&pending).into_owned());
    }
}

fn code_signal(status: std::process::ExitStatus) -> (Value, Value) {
    match (status.code(), status.signal()) {
        (Some(c), _) => (Value::Number(c.into()), Value::Null),
        (None, Some(s)) => (
            Value::Null,
            nodestd_sys::signals::signal_name(s).map_or(Value::Null, Value::string),
        ),
        _ => (Value::Null, Value::Null),
    }
}
