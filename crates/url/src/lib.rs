//! Node.js's `url` module for Rust (work in progress).
