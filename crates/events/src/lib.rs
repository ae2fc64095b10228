//! Node.js's `events` module for Rust (work in progress).
