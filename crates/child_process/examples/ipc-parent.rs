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
//! Threads stand in for the loop here: one reads the channel, one stdin, one waits for the
//! child; the main thread handles their events in order of arrival.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::net::TcpListener;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;

use nodestd_child_process::ipc::{BlockingChannel, Incoming};
use nodestd_child_process::json::{self, Object, Value};

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

    fn disconnect(&mut self) {
        if let Some(c) = self.channel.take() {
            let _ = c.shutdown();
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
    let (ours, theirs) = match nodestd_sys::socketpair(false) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("ipc-parent: socketpair: {e}");
            std::process::exit(1);
        }
    };
    // The child's end is inherited under its own number (no other thread runs yet, so no
    // other spawn can inherit it).
    if let Err(e) = nodestd_sys::fdflags::set_cloexec(&theirs, false) {
        eprintln!("ipc-parent: {e}");
        std::process::exit(1);
    }
    let spawned = Command::new("node")
        .arg(&script)
        .args(args)
        .env("NODE_CHANNEL_FD", theirs.as_raw_fd().to_string())
        .env("NODE_CHANNEL_SERIALIZATION_MODE", "json")
        .spawn();
    drop(theirs);
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            let code = match e.kind() {
                std::io::ErrorKind::NotFound => "ENOENT".to_owned(),
                _ => format!("E{}", e.raw_os_error().unwrap_or(0)),
            };
            event("error", &[("code", Value::string(&code))]);
            std::process::exit(0);
        }
    };
    let pid = child.id();
    event("spawn", &[]);

    let (tx, rx) = mpsc::channel();
    let channel = BlockingChannel::new(ours);
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
        for line in std::io::stdin().lock().lines() {
            match line {
                Ok(l) => {
                    if t.send(Event::Stdin(l)).is_err() {
                        return;
                    }
                }
                Err(_) => break,
            }
        }
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
                        let sig = sig.as_str().unwrap_or_default();
                        let num = nodestd_sys::signals::signal_number(&sig)
                            .and_then(rustix::process::Signal::from_named_raw);
                        match (num, exited.is_none()) {
                            (Some(s), true) => {
                                let p = rustix::process::Pid::from_raw(pid as i32);
                                if let Some(p) = p {
                                    let _ = rustix::process::kill_process(p, s);
                                }
                            }
                            (None, _) => {
                                event("error", &[("code", Value::string("ERR_UNKNOWN_SIGNAL"))])
                            }
                            _ => {}
                        }
                    } else {
                        parent.send(Outgoing::Message(v));
                    }
                }
            },
            Event::StdinEnd => {
                if parent.channel.is_some() {
                    we_disconnected = true;
                    parent.disconnect();
                }
            }
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
                eprintln!("ipc-parent: channel: {e}");
                event("error", &[("code", Value::string("ERR_IPC_BAD_MESSAGE"))]);
                parent.disconnect();
            }
            Event::ChannelEnd => {
                channel_ended = true;
                parent.disconnect();
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
