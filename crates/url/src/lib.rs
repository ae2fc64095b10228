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
//! - `url.format(urlObject)` is [`Url::format`] / [`format()`] for a [`Url`], [`format_str`]
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
//! - The Unicode data (UTS #46 mapping, bidi classes, joining types, marks) is ICU4X's,
//!   through `idna_adapter`, corrected toward Ada's older tables where node shows a
//!   difference: a probe of every code point up to U+2FFFF in three host positions agrees
//!   with node v20.20.2. Code points above U+2FFFF, and combinations the probe does not make
//!   (e.g. joining types of newly encoded scripts around U+200C), may still be judged by the
//!   newer data.
//!
//! ## The WHATWG API
//!
//! In [`whatwg`], re-exported at the crate root:
//!
//! - [`URL`]: `new URL(input, base)` is [`URL::parse`] (`ERR_INVALID_URL`, "Invalid URL"),
//!   `URL.canParse` is [`URL::can_parse`]; Node's accessor strings (`href`, `origin`,
//!   `protocol`, `username`, `password`, `host`, `hostname`, `port`, `pathname`, `search`,
//!   `hash`) and their setters, which ignore bad values as Node does (only `set_href` fails);
//!   `toString`/`toJSON` ([`Display`](std::fmt::Display), [`URL::to_json`]);
//!   `searchParams` as a snapshot ([`URL::search_params`]) or as a guard whose changes are
//!   written back to `search` ([`URL::search_params_mut`]); `url.format(URL, options)` is
//!   [`URL::format`] with [`URLFormatOptions`]; `url.urlToHttpOptions` is
//!   [`url_to_http_options`] / [`URL::to_http_options`] giving [`HttpOptions`].
//! - [`URLSearchParams`]: `new` (string; [`URLSearchParams::from_pairs`],
//!   [`URLSearchParams::from_record`]), `append`, `delete` and `has` (with an optional value),
//!   `get`, `get_all`, `set`, `sort` (stable, by UTF-16 code units), `size`, `entries`, `keys`,
//!   `values`, iteration, and `toString` ([`Display`](std::fmt::Display)).
//! - [`file_url_to_path`] / [`URL::to_file_path`] and [`path_to_file_url`] /
//!   [`path_to_file_url_from`] (an explicit current directory), with Node's POSIX rules and
//!   errors (`ERR_INVALID_URL_SCHEME`, `ERR_INVALID_FILE_URL_HOST`, `ERR_INVALID_FILE_URL_PATH`,
//!   `URIError`); [`domain_to_ascii`] and [`domain_to_unicode`] (`""` on failure).
//!
//! Parsing is this crate's own port of the URL Standard's basic URL parser, host parser
//! (IPv4, IPv6, opaque hosts, and domains through the same port of Ada's `to_ascii` that the
//! legacy API uses) and serializer, with the setters written as Node's Ada 2.9 runs them.
//! The `url` crate is not used: on random input it differs from Node in several places (a
//! drive-letter-like segment surviving `..` in `http:` URLs, credentials with an empty host,
//! backslashes after a port), while Node's answers are the product. Where Ada 2.9 differs from
//! the standard, nodestd follows Ada, because that is what Node does (the parser module lists
//! each case): an empty base query is not copied, a relative reference containing `#`
//! resolves against an opaque base, a final `..` on an empty non-special path leaves it empty,
//! a `file:` segment such as `a:b` counts as a drive letter, and Ada's shortcut for "trivial"
//! paths keeps dot segments that follow a first `/.x` (`http://h/.x/..` keeps its `..`). The
//! setters are Ada's, run (as Node's binding runs them) on a fresh parse of the `href`: the port setter ignores `-1` and takes leading digits, the host setter
//! runs the port setter on the text after the colon before it parses the host, an empty host
//! is refused, a new pathname that needs the `/.` prefix drops the query and fragment, and a
//! `searchParams` change empties the query before setting it (an opaque path then loses its
//! trailing spaces). `url.format`'s Unicode hostname decodes `xn--` labels only; a
//! `blob:` origin exists only for an `http(s):` inner URL; and `URLSearchParams` decodes as
//! Node's `parseParams` does, including `querystring.unescape`'s fallback that keeps one byte
//! per UTF-16 unit (`"é%ff"` is two U+FFFD).
//!
//! The differential test (`crates/conformance/tests/url_whatwg_differential.rs`) compares
//! 45,000 random requests per run with live node and allows no difference. Deviations from
//! Node in the WHATWG API:
//!
//! - `fileURLToPath`/`pathToFileURL` follow the POSIX rules only (Node's `{ windows: true }`
//!   option is not implemented), and [`path_to_file_url`] resolves against `/` when the current
//!   directory cannot be read (Node throws).
//! - Strings are Rust strings: lone surrogates cannot occur, so Node's `toWellFormed`
//!   conversions have nothing to do.
//!
//! ## Platforms
//!
//! Pure Rust; its only OS call reads the current directory (`pathToFileURL` of a relative
//! path). Linux is what is tested.
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
