//! Node.js's [`net`](https://nodejs.org/docs/latest-v20.x/api/net.html) module for Rust: TCP
//! and Unix-domain servers and sockets on the nodestd event loop, with Node v20's semantics
//! (`lib/net.js` over libuv's `stream.c`, `tcp.c` and `pipe.c`).
//!
//! # Main types
//!
//! - [`Server`] (`net.Server`, made by [`create_server`]): [`Server::listen`] on a TCP port
//!   (0 picks one; host, backlog, `ipv6Only`, `exclusive`), a Unix path or an existing fd
//!   ([`ListenOptions`]); events `listening`, `connection`, `error`, `close`, `drop`;
//!   [`Server::close`] (its `close` waits for the last connection),
//!   [`Server::get_connections`], `maxConnections`, `address`, `ref`/`unref`.
//! - [`Socket`] (`net.Socket`, made by [`connect`] / [`create_connection`] or by a server):
//!   a [`nodestd_stream::Duplex`] (it derefs to one: `write` with backpressure and `drain`,
//!   `end`, `on_data`, `pause`, `pipe`, `destroy`), half-open with `allowHalfOpen`, events
//!   `connect`, `ready`, `timeout` and `close` (with `hadError`) besides the stream's,
//!   `setNoDelay`, `setKeepAlive`, `setTimeout`, `address`, `remoteAddress`/`remotePort`,
//!   `bytesRead`/`bytesWritten`, `ref`/`unref`. [`Socket::layered`] makes a socket of any
//!   Duplex layered over a connection (Node's `TLSSocket` over its TCP handle, `encrypted`),
//!   or over none: what the https server hands to the http server.
//! - [`NetError`]: Node's `code`, `errno`, `syscall`, `address`, `port` and exact message
//!   (`listen EADDRINUSE: address already in use 127.0.0.1:8080`,
//!   `connect ECONNREFUSED 127.0.0.1:1`, `read ECONNRESET`, `write EPIPE`), codes and
//!   messages from nodestd-sys's errno table. A socket's
//!   `error` event carries a stream [`Error`](nodestd_stream::Error) whose
//!   `downcast_ref::<NetError>()` is the `NetError`.
//! - [`is_ip`], [`is_ipv4`], [`is_ipv6`].
//!
//! ```
//! use nodestd_net::{self as net, ConnectTarget, ServerOptions, SocketOptions};
//! use nodestd_stream::Chunk;
//! use std::{cell::RefCell, rc::Rc};
//!
//! let got = Rc::new(RefCell::new(Vec::new()));
//! let g = Rc::clone(&got);
//! nodestd_loop::run(move || {
//!     // An echo server; `allowHalfOpen` false: the client's end ends the reply.
//!     let server = net::create_server(ServerOptions::default(), |sock| {
//!         let s = sock.clone();
//!         sock.on_data(move |chunk| {
//!             s.write(chunk.clone());
//!         });
//!     });
//!     let srv = server.clone();
//!     server
//!         .listen_port(0, Some("127.0.0.1"), move || {
//!             let target = ConnectTarget::Tcp { port: srv.port().unwrap(), host: None };
//!             let client = net::connect(target, SocketOptions::default());
//!             let g = Rc::clone(&g);
//!             client.on_data(move |chunk| g.borrow_mut().extend_from_slice(chunk.as_bytes()));
//!             let srv = srv.clone();
//!             client.on_close(move || {
//!                 srv.close(None);
//!             });
//!             client.end_with(Chunk::from("hello"));
//!         })
//!         .unwrap();
//! });
//! assert_eq!(*got.borrow(), b"hello");
//! ```
//!
//! # Event order
//!
//! As Node's: `listening` and a failed `listen`'s `error` on the next tick; a TCP
//! `connect` starts on the next tick (Node's `lookupAndConnect` for an IP literal) and
//! `connect`/`ready` are emitted in the poll phase; `data` in the poll phase; `end()`'s
//! shutdown completes in the pending phase when no write waits (libuv's `uv_shutdown` feeds
//! the watcher), so `finish` comes before the check phase; a destroyed socket's `close` comes
//! from the close phase (the handle's close callback); a server's `close` on the next tick
//! after the last connection's handle closed.
//!
//! # Handing sockets over (child_process, cluster)
//!
//! [`Socket::into_owned_fd`] and [`Server::into_owned_fd`] take the fd out of the loop and
//! of the object (the socket is destroyed without touching the connection; the server stops
//! listening without `close`). [`Socket::from_fd`] and [`Server::from_fd`] rebuild them, in
//! this process or another: `child_process`'s `send(msg, handle)` will send the fd with
//! `nodestd_sys::send_with_fds` together with the state in [`SocketHandOver`] (readable,
//! writable, allowHalfOpen) in its JSON message, and the receiver will call `from_fd`;
//! cluster's round-robin primary accepts, hands each accepted fd to a worker the same way,
//! and a worker's `listen` with `exclusive` binds its own server.
//!
//! # Cargo features
//!
//! None. Dependencies: nodestd-loop, nodestd-events, nodestd-stream, nodestd-sys, nodestd-dns
//! (names in `connect`), and rustix
//! (the socket calls and options, safe API; no `unsafe` here).
//!
//! # Platforms
//!
//! Linux is what is tested. Sockets are non-blocking descriptors made through rustix's safe
//! API and watched by the loop's epoll (through mio); Unix-domain sockets and fd hand-over
//! (`SCM_RIGHTS`, through nodestd-sys) need a Unix system.
//!
//! # Deviations from Node
//!
//! - **Names are resolved through nodestd-dns's `lookup`** (or the `lookup` option) with
//!   Node's `family`/`hints` (ADDRCONFIG by default) and the `lookup` event, but
//!   **`autoSelectFamily` is off** (Node 20 turns it on): the first address is connected to,
//!   with no happy-eyeballs attempt at the others. A lookup error is the socket's error as a
//!   `nodestd_dns::Error` (`downcast_ref`), with its code, errno, syscall and hostname. No
//!   `localAddress`/`localPort` options for connect.
//! - **`close` carries `hadError` to [`Socket::on_close_had_error`] listeners**; the
//!   stream's `on_close` listeners (and `finished`) get no argument. Both run, the
//!   `hadError` listeners first. A socket that never had a connection closes with
//!   `hadError` false (Node passes `undefined`).
//! - **Server events are typed**: `connection` listeners get `&Socket`, `error` listeners a
//!   [`NetError`]; an `error` with no listener panics on the loop (Node throws).
//! - **`readable: false` / `writable: false`** for a socket built from an fd: only
//!   `readable: false` is kept ([`SocketOptions::no_read`]: reading is never started);
//!   the stream's sides are not pre-ended as Node's Duplex does.
//! - **`writeAfterFIN`** (EPIPE "This socket has been ended by the other party" for a
//!   write after the peer's FIN on a socket without `allowHalfOpen`) applies to
//!   [`Socket::write`] and [`Socket::write_with`]; writes through the
//!   [`Duplex`](nodestd_stream::Duplex) (`pipe`, `end_with`) get the stream's own errors.
//! - **`exclusive`** is accepted and has no effect (there is no cluster yet).
//! - `setKeepAlive` sets SO_KEEPALIVE and TCP_KEEPIDLE only, as libuv 1.46.
//! - **A layered socket** ([`Socket::layered`]) takes its connection's facts from the
//!   socket under it, including the inactivity timeout (its `timeout` event is emitted to
//!   listeners added with [`Socket::on_timeout`], and activity is the connection's bytes,
//!   not the layer's); its `close` carries no `hadError`; a layer without a connection
//!   has no timeout activity.
//! - The EMFILE trick's reserve fd is per thread (libuv's is per loop).
//! - Not provided: `BlockList`, `SocketAddress`, `server.listen` with a `signal`,
//!   `socket.setEncoding` beyond the stream's, the `onread` option, `net.Stream`,
//!   `getDefaultAutoSelectFamily`, IPC pipes with `ipc: true` (child_process will use
//!   nodestd-sys directly).
#![forbid(unsafe_code)]

mod error;
mod resolve;
mod server;
mod socket;
mod sys;

pub use error::NetError;
pub use resolve::{LookupEvent, LookupFn, LookupResult};
pub use server::{
    CloseCallback, ClusterHook, ClusterQuery, DEFAULT_BACKLOG, DropInfo, ListenOptions,
    ListenTarget, PrimaryHandle, Server, ServerOptions, create_server, set_cluster_hook,
};

pub use socket::{
    ConnectTarget, Socket, SocketHandOver, SocketOptions, connect, create_connection,
};

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

/// An address family, as Node names it (`'IPv4'`, `'IPv6'`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `'IPv4'`.
    IPv4,
    /// `'IPv6'`.
    IPv6,
}

impl Family {
    /// Node's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::IPv4 => "IPv4",
            Family::IPv6 => "IPv6",
        }
    }
}

/// What `address()` returns: `{ address, family, port }`, or a Unix socket's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// A TCP address.
    Inet {
        /// `address` (`'127.0.0.1'`, `'::1'`).
        address: String,
        /// `family`.
        family: Family,
        /// `port`.
        port: u16,
    },
    /// A Unix-domain socket's path.
    Path(String),
}

impl From<SocketAddr> for Address {
    fn from(a: SocketAddr) -> Address {
        Address::Inet {
            address: a.ip().to_string(),
            family: if a.is_ipv4() {
                Family::IPv4
            } else {
                Family::IPv6
            },
            port: a.port(),
        }
    }
}

/// `net.isIPv4(input)`: dotted decimal, four parts of 0..=255 without leading zeros.
#[doc(alias = "isIPv4")]
pub fn is_ipv4(input: &str) -> bool {
    input.parse::<Ipv4Addr>().is_ok()
}

/// `net.isIPv6(input)`: an IPv6 address, optionally with a `%zone` of letters, digits,
/// `-`, `.` and `:` (Node's regular expression).
#[doc(alias = "isIPv6")]
pub fn is_ipv6(input: &str) -> bool {
    let (addr, zone) = match input.split_once('%') {
        Some((a, z)) => (a, Some(z)),
        None => (input, None),
    };
    if let Some(z) = zone
        && (z.is_empty()
            || !z
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':')))
    {
        return false;
    }
    addr.parse::<Ipv6Addr>().is_ok()
}

/// `net.isIP(input)`: 4, 6 or 0.
#[doc(alias = "isIP")]
pub fn is_ip(input: &str) -> u8 {
    if is_ipv4(input) {
        4
    } else if is_ipv6(input) {
        6
    } else {
        0
    }
}
