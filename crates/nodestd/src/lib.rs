//! nodestd: Node.js's core modules for Rust, with Node v20's exact semantics.
//!
//! Each module is its own crate (`nodestd-loop`, `nodestd-path`, …), re-exported here as
//! `nodestd::<module>` behind a cargo feature of the same name. Depend on a single crate when
//! that is all you need.
//!
//! | module | crate | feature |
//! | --- | --- | --- |
//! | the event loop (`setTimeout`, `setImmediate`, `process.nextTick`, `queueMicrotask`) | `nodestd-loop` | `loop` |
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
//! | [`http`](https://nodejs.org/docs/latest-v20.x/api/http.html) (the server, Koa-style `compose` and `App`; the client is next) | `nodestd-http` | `http` |
//! | [`child_process`](https://nodejs.org/docs/latest-v20.x/api/child_process.html) (spawn, exec, execFile, the sync forms, fork with Node's IPC) | `nodestd-child-process` | `child_process` |
//! | [`dns`](https://nodejs.org/docs/latest-v20.x/api/dns.html) (lookup on the worker pool, the Resolver) | `nodestd-dns` | `dns` |

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
#[cfg(feature = "zlib")]
pub use nodestd_zlib as zlib;
