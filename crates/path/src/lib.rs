//! Node.js's `path` module for Rust (work in progress).
