//! Node.js's [`util`](https://nodejs.org/docs/latest-v20.x/api/util.html) module for Rust:
//! [`format()`] (`util.format`), [`inspect`] / [`inspect_with`] (`util.inspect`), [`types`]
//! (`util.types`) and [`parse_args`] (`util.parseArgs`, re-exported from nodestd-process,
//! where its code lives), for the values nodestd's crates return, with Node v20's output.
//!
//! Values are the small model [`Value`]: `undefined`, `null`, booleans, numbers (`-0`, `NaN`,
//! `Infinity`), BigInts, strings, arrays, plain objects, `Map`, `Set`, `Buffer` (shown as
//! `<Buffer 68 69>`, through nodestd-buffer) and `Error` with its own properties (`code` …).
//! `inspect` follows Node's defaults: depth 2 (`[Object]` beyond), `breakLength` 80,
//! `compact` 3 (inner levels on one line while they fit), arrays of more than six short
//! entries in columns, at most 100 entries, string quoting as `strEscape` does.
//!
//! No cargo features. Tested on Linux; nothing here is platform-specific.
//!
//! # Deviations from Node
//! - No symbols, functions, classes, prototypes, getters, cycles (`[Circular *1]`), typed
//!   arrays other than Buffer, or `[Object: null prototype]`; strings are not cut at
//!   `maxStringLength`; no colors; options beyond `depth`, `breakLength`, `compact` and
//!   `showHidden` are not offered.
//! - An `Error` has no stack frames: it shows as Node shows an error whose `stack` is
//!   `"Name: message"` (`[Error: boom] { code: 'ERR_X' }`); `showHidden` (`%o`) adds an
//!   array's `[length]` and an error's `[stack]` and `[message]`.
//! - [`format()`] cannot fail: `%j` of a BigInt writes its digits where JavaScript throws a
//!   `TypeError` ([`try_format`] fails there as Node does).
//! - Strings are Rust strings: no lone surrogates. A [`Value::Set`] or [`Value::Map`] is
//!   taken as given (JavaScript's would have dropped duplicate keys and turned `-0` into `0`).
//! - `util.types`: only the checks that tell [`Value`]'s kinds apart (see [`types`]).

mod format;
mod inspect;
pub mod types;
mod value;

pub use format::{format, try_format};
pub use inspect::{InspectOptions, inspect, inspect_with};
pub use nodestd_process::parse_args;
pub use value::Value;
