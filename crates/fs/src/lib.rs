//! Node.js's [`fs`](https://nodejs.org/docs/latest-v20.x/api/fs.html) module for Rust, on the
//! nodestd event loop. (Work in progress: issue 5.)
