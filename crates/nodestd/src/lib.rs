//! nodestd: Node.js's core modules for Rust, with Node v20's exact semantics.
//!
//! Each module is its own crate (`nodestd-loop`, `nodestd-path`, …), re-exported here as
//! `nodestd::<module>` behind a cargo feature of the same name. Depend on a single crate when
//! that is all you need.
//!
//! The event loop is [`timers`]: Node's name for `setTimeout`, `setInterval`, `setImmediate`
//! and their `timers/promises` forms ([`timers::promises`]); `loop` is a Rust keyword, so the
//! crate's own name is reachable only as `nodestd::r#loop`, kept for code written before.
//! Node's camelCase names are doc aliases: searching these docs for `readFileSync` or
//! `setImmediate` finds the Rust item.
//!
//! Platforms: Linux on x86_64 is what is tested; the crates use Linux interfaces where
//! libuv does (epoll, `/proc`, inotify, pidfd with a `SIGCHLD` fallback, Unix sockets with
//! `SCM_RIGHTS`). Building the default features needs a C compiler (`ring` for crypto and
//! https, Google's brotli encoder for zlib) and, for the `openssl` feature, OpenSSL 3's
//! headers and `pkg-config`; each crate's README says what it needs.
//!
//! Cargo features: one per module (all on by default), and `openssl` (on by default):
//! nodestd-crypto's feature of that name, which runs md5, the SHA-512 family, SHA-3 and the
//! AEADs on the system's OpenSSL 3; leave it out (`default-features = false`) to build
//! without OpenSSL. There is no `cluster` feature: nothing here uses `nodestd-cluster`;
//! depend on it directly.
//!
//! | module | crate | feature |
//! | --- | --- | --- |
//! | [`timers`](https://nodejs.org/docs/latest-v20.x/api/timers.html) and the event loop (`setTimeout`, `setImmediate`, `process.nextTick`, `queueMicrotask`, `timers/promises`) as `nodestd::timers` | `nodestd-loop` | `loop` |
//! | [`path`](https://nodejs.org/docs/latest-v20.x/api/path.html) | `nodestd-path` | `path` |
//! | [`querystring`](https://nodejs.org/docs/latest-v20.x/api/querystring.html) | `nodestd-querystring` | `querystring` |
//! | [`url`](https://nodejs.org/docs/latest-v20.x/api/url.html) | `nodestd-url` | `url` |
//! | [`events`](https://nodejs.org/docs/latest-v20.x/api/events.html) | `nodestd-events` | `events` |
//! | [`process`](https://nodejs.org/docs/latest-v20.x/api/process.html) (facts, `run` and its events, stdio, signals, `util.parseArgs`) | `nodestd-process` | `process` |
//! | [`crypto`](https://nodejs.org/docs/latest-v20.x/api/crypto.html) (sync, callback and promise forms) | `nodestd-crypto` | `crypto` |
//! | [`zlib`](https://nodejs.org/docs/latest-v20.x/api/zlib.html) (sync, callback, promise and stream forms) | `nodestd-zlib` | `zlib` |
//! | [`stream`](https://nodejs.org/docs/latest-v20.x/api/stream.html) | `nodestd-stream` | `stream` |
//! | [`fs`](https://nodejs.org/docs/latest-v20.x/api/fs.html) | `nodestd-fs` | `fs` |
//! | [`net`](https://nodejs.org/docs/latest-v20.x/api/net.html) (TCP and Unix-domain servers and sockets) | `nodestd-net` | `net` |
//! | [`os`](https://nodejs.org/docs/latest-v20.x/api/os.html) | `nodestd-os` | `os` |
//! | [`http`](https://nodejs.org/docs/latest-v20.x/api/http.html) and [`https`](https://nodejs.org/docs/latest-v20.x/api/https.html) (the server, the client with `Agent`, https on rustls, Koa-style `compose` and `App`) | `nodestd-http` | `http` |
//! | [`child_process`](https://nodejs.org/docs/latest-v20.x/api/child_process.html) (spawn, exec, execFile, the sync forms, fork with Node's IPC) | `nodestd-child-process` | `child_process` |
//! | [`dns`](https://nodejs.org/docs/latest-v20.x/api/dns.html) (lookup on the worker pool, the Resolver) | `nodestd-dns` | `dns` |
//! | [`buffer`](https://nodejs.org/docs/latest-v20.x/api/buffer.html) (Node's encodings, `Buffer.from`/`toString`, the numeric accessors) | `nodestd-buffer` | `buffer` |
//! | [`util`](https://nodejs.org/docs/latest-v20.x/api/util.html) (`format`, `inspect`, `types`, `parseArgs`) | `nodestd-util` | `util` |

#[cfg(feature = "buffer")]
pub use nodestd_buffer as buffer;
#[cfg(feature = "child_process")]
pub use nodestd_child_process as child_process;
#[cfg(feature = "crypto")]
pub use nodestd_crypto as crypto;
#[cfg(feature = "dns")]
pub use nodestd_dns as dns;
#[cfg(feature = "events")]
pub use nodestd_events as events;
#[cfg(feature = "fs")]
pub use nodestd_fs as fs;
#[cfg(feature = "http")]
pub use nodestd_http as http;
#[cfg(feature = "loop")]
pub use nodestd_loop as r#loop;
/// Node's `timers` and the event loop: the `nodestd-loop` crate (also `nodestd::r#loop`).
#[cfg(feature = "loop")]
#[doc(alias = "loop")]
pub use nodestd_loop as timers;
#[cfg(feature = "net")]
pub use nodestd_net as net;
#[cfg(feature = "os")]
pub use nodestd_os as os;
#[cfg(feature = "path")]
pub use nodestd_path as path;
#[cfg(feature = "process")]
pub use nodestd_process as process;
#[cfg(feature = "querystring")]
pub use nodestd_querystring as querystring;
#[cfg(feature = "stream")]
pub use nodestd_stream as stream;
#[cfg(feature = "url")]
pub use nodestd_url as url;
#[cfg(feature = "util")]
pub use nodestd_util as util;
#[cfg(feature = "zlib")]
pub use nodestd_zlib as zlib;

/// The crates' README files as doc tests, so that their code blocks compile and their
/// assertions hold (`cargo test -p nodestd --doc`, part of `cargo xtask test-all`). The tidy
/// test checks that every crate README is listed here.
#[cfg(doctest)]
mod readmes {
    #[doc = include_str!("../README.md")]
    struct Nodestd;
    #[doc = include_str!("../../../README.md")]
    struct Workspace;
    #[cfg(feature = "buffer")]
    #[doc = include_str!("../../buffer/README.md")]
    struct Buffer;
    #[cfg(feature = "child_process")]
    #[doc = include_str!("../../child_process/README.md")]
    struct ChildProcess;
    /// nodestd-cluster is a dev-dependency (the tour's cluster section), so doc tests have it.
    #[cfg(all(feature = "http", feature = "loop"))]
    #[doc = include_str!("../../cluster/README.md")]
    struct Cluster;
    #[cfg(feature = "crypto")]
    #[doc = include_str!("../../crypto/README.md")]
    struct Crypto;
    #[cfg(feature = "dns")]
    #[doc = include_str!("../../dns/README.md")]
    struct Dns;
    #[cfg(feature = "events")]
    #[doc = include_str!("../../events/README.md")]
    struct Events;
    #[cfg(feature = "fs")]
    #[doc = include_str!("../../fs/README.md")]
    struct Fs;
    #[cfg(all(feature = "http", feature = "stream"))]
    #[doc = include_str!("../../http/README.md")]
    struct Http;
    #[cfg(feature = "loop")]
    #[doc = include_str!("../../loop/README.md")]
    struct Loop;
    #[cfg(feature = "net")]
    #[doc = include_str!("../../net/README.md")]
    struct Net;
    #[cfg(feature = "os")]
    #[doc = include_str!("../../os/README.md")]
    struct Os;
    #[cfg(feature = "path")]
    #[doc = include_str!("../../path/README.md")]
    struct Path;
    #[cfg(feature = "process")]
    #[doc = include_str!("../../process/README.md")]
    struct Process;
    #[cfg(feature = "querystring")]
    #[doc = include_str!("../../querystring/README.md")]
    struct Querystring;
    #[cfg(feature = "stream")]
    #[doc = include_str!("../../stream/README.md")]
    struct Stream;
    #[doc = include_str!("../../sys/README.md")]
    struct Sys;
    #[cfg(feature = "url")]
    #[doc = include_str!("../../url/README.md")]
    struct Url;
    #[cfg(feature = "util")]
    #[doc = include_str!("../../util/README.md")]
    struct Util;
    #[cfg(feature = "zlib")]
    #[doc = include_str!("../../zlib/README.md")]
    struct Zlib;
}
