//! Node.js's [`url`](https://nodejs.org/docs/latest-v20.x/api/url.html) module for Rust.
//!
//! ## The legacy API
//!
//! In [`legacy`], re-exported at the crate root: a hand-written port of Node v20's
//! `lib/url.js`, quirks included.
//!
//! - `url.parse(url, parseQueryString, slashesDenoteHost)` is [`parse`], giving a [`Url`]
//!   with Node's twelve fields (`protocol`, `slashes`, `auth`, `host`, `port`, `hostname`,
//!   `hash`, `search`, `query`, `pathname`, `path`, `href`; `None` where Node has `null`), its
//!   `query` a string or a [`querystring`](nodestd_querystring) object ([`Query`]). Errors:
//!   `URIError` for a malformed auth escape, `ERR_INVALID_URL` for a hostname that IDNA
//!   processing makes invalid.
//! - `url.format(urlObject)` is [`Url::format`] / [`format`] for a [`Url`], [`format_str`]
//!   for a string (parsed first), and [`format_object`] for an arbitrary plain object: a
//!   [`UrlObject`] whose fields are loosely-typed [`JsValue`]s, coerced as JavaScript coerces
//!   them (`String(port)`, truthiness, `querystring.stringify` of an object `query`) and
//!   failing with `TypeError` where Node calls a string method on a non-string.
//! - `url.resolve(from, to)` is [`resolve`] / [`Url::resolve`]; `url.resolveObject` is
//!   [`resolve_object`] (giving [`Resolved`]) / [`Url::resolve_object`].
//! - Hostnames are punycoded with a port of Ada's `to_ascii` (Node's `toASCII` binding),
//!   not with a strict UTS #46 `ToASCII`: see the `legacy::idna` module notes.
//!
//! Deviations from Node in the legacy API:
//!
//! - Node's own argument checks (`ERR_INVALID_ARG_TYPE` for a non-string `url`, a
//!   non-object `urlObject`) are the type system's here; `url.parse` of a `Url` instance
//!   (which Node returns unchanged) is not offered, and `url.format` of a WHATWG `URL` is
//!   [`URL::format`].
//! - Strings are Rust strings, so lone UTF-16 surrogates cannot be passed in; the one
//!   `ERR_INVALID_URI` Node's `format` can raise from a lone surrogate in `auth` is
//!   therefore reachable only through an array `auth` (see [`format_object`]).
//! - [`Url::slashes`] is a `bool`: `false` stands for Node's `null` (Node never sets
//!   `false`). Where `resolveObject` would leave a field `undefined` (a `host` shifted off an
//!   empty path), the field is `None`, as `JSON.stringify` would show `null` only after a
//!   replacer; the formatted `href` is the same.
//! - No warnings are printed: Node emits DEP0169 (under `--pending-deprecation`) and DEP0170
//!   (a hostname with a colon and a non-numeric port).
//! - A [`UrlObject`] holds only the fields `format` reads; a plain object's own properties
//!   that shadow string methods (`length`, `includes`, `charCodeAt` keys on an object value)
//!   are not consulted.
//! - The Unicode data (UTS #46 mapping, bidi classes, joining types) is ICU4X's, through
//!   `idna_adapter`; Ada carries its own tables, so code points whose properties changed
//!   between Unicode versions may be judged differently.
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
