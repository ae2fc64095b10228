//! Node.js's [`stream`](https://nodejs.org/docs/latest-v20.x/api/stream.html) module for Rust,
//! on the nodestd event loop. (Work in progress: issue 5.)
