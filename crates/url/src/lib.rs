//! Node.js's [`url`](https://nodejs.org/docs/latest-v20.x/api/url.html) module for Rust.
//!
//! ## The legacy API
//!
//! (owner: the legacy module; `parse`, `format`, `resolve`, `resolve_object`, [`Url`].)
//!
//! ## The WHATWG API
//!
//! (owner: the whatwg module; `URL`, `URLSearchParams`, `file_url_to_path`, …)
//!
//! ## Deviations from Node
//!
//! Listed per API above.

mod error;
pub mod legacy;
pub mod whatwg;

pub use error::{Error, ErrorKind};
pub use legacy::*;
pub use whatwg::*;
