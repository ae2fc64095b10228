//! Node.js event loop (work in progress).
