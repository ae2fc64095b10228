//! Node.js's `querystring` module for Rust (work in progress).
