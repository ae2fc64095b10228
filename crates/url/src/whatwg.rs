//! The WHATWG `URL` and `URLSearchParams` with Node's accessors, and the `file:` and domain
//! helpers of Node's `url` module.
//!
//! The parsing itself is the [`url`](https://docs.rs/url) crate's; this module gives it Node's
//! surface: the accessor strings, the setters that silently ignore bad values, the live
//! `searchParams`, and the helpers whose quirks come from Node's `internal/url.js`.

mod domain;
mod file;
mod parser;
mod punycode;
mod search_params;
mod url_class;

pub use domain::{domain_to_ascii, domain_to_unicode};
pub use file::{file_url_to_path, path_to_file_url, path_to_file_url_from};
pub use search_params::URLSearchParams;
pub use url_class::{HttpOptions, SearchParamsMut, URL, URLFormatOptions, url_to_http_options};
