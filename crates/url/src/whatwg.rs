//! The WHATWG `URL` and `URLSearchParams` with Node's accessors, and the `file:` helpers.
