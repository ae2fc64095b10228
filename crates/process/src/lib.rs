//! Node.js's [`process`](https://nodejs.org/docs/latest-v20.x/api/process.html) module for
//! Rust, with Node v20's exact semantics — so far its command-line half:
//! [`util.parseArgs`](https://nodejs.org/docs/latest-v20.x/api/util.html#utilparseargsconfig).
//!
//! This crate will hold all of Node's `process` (`argv`, `env`, `exit`, signals delivered on
//! the event loop …). Today it has:
//!
//! - [`parse_args`](parse_args::parse_args): Node's `util.parseArgs`, a port of Node
//!   v20.20.2's `lib/internal/util/parse_args/`, configured with a typed
//!   [`ParseArgsConfig`](parse_args::ParseArgsConfig) (options of type string or boolean with
//!   `short`, `multiple` and `default`; `strict`, `allowPositionals`, `allowNegative`,
//!   `tokens`) and answering [`ParsedArgs`](parse_args::ParsedArgs): `values` in Node's
//!   insertion order (defaults after the parsed options), `positionals`, and the optional
//!   [`Token`](parse_args::Token)s. Errors are [`ParseArgsError`](parse_args::ParseArgsError)s
//!   carrying Node's `code` (`ERR_PARSE_ARGS_UNKNOWN_OPTION`,
//!   `ERR_PARSE_ARGS_INVALID_OPTION_VALUE`, `ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL`,
//!   `ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`) and Node's message text.
//!
//! ```
//! use nodestd_process::parse_args::{OptionConfig, ParseArgsConfig};
//!
//! let parsed = ParseArgsConfig::new()
//!     .args(["-p", "8080", "--verbose", "serve"])
//!     .option("port", OptionConfig::string().short("p"))
//!     .option("verbose", OptionConfig::boolean())
//!     .allow_positionals(true)
//!     .parse()?;
//! assert_eq!(parsed.values.get("port").and_then(|v| v.as_str()), Some("8080"));
//! assert_eq!(parsed.positionals, ["serve"]);
//!
//! let err = ParseArgsConfig::new()
//!     .args(["--port"])
//!     .option("port", OptionConfig::string().short("p"))
//!     .parse()
//!     .unwrap_err();
//! assert_eq!(err.code(), "ERR_PARSE_ARGS_INVALID_OPTION_VALUE");
//! assert_eq!(err.to_string(), "Option '-p, --port <value>' argument missing");
//! # Ok::<(), nodestd_process::parse_args::ParseArgsError>(())
//! ```
//!
//! # Deviations from Node
//!
//! - **Types instead of validation.** Node validates a JavaScript config object; here the
//!   config is typed, so the errors for a config of the wrong JavaScript type (`args` not an
//!   array, `strict: 1`, `type: 'number'`, `short: 5`, `multiple: 'yes'`, a numeric
//!   `default` …) cannot happen. The checks a typed config can still fail are kept, with
//!   Node's codes and messages: a `short` that is not one UTF-16 code unit
//!   (`ERR_INVALID_ARG_VALUE`), and a `default` that does not fit the option's type and
//!   `multiple` (`ERR_INVALID_ARG_TYPE`), in Node's order.
//! - **Arguments are strings.** Node does not check that the elements of `args` are strings
//!   and reads other values in JavaScript's loose ways; here they are `String`s.
//! - **Characters, not UTF-16 code units.** Node measures and splits arguments in UTF-16 code
//!   units, so a character outside the Basic Multilingual Plane in a short option position
//!   (`-😀`, `-a😀`) becomes two "options" named by lone surrogates, which a Rust string
//!   cannot hold; nodestd reads it as one character (`-😀` is the short option `😀`). Every
//!   argument made of BMP characters, and every astral character in a long option, a value
//!   or a positional, parses exactly as in Node. (A `short` is still measured in UTF-16 code
//!   units, as Node does, so an astral `short` is rejected.) Error messages that Node cuts in
//!   the middle of a surrogate pair show U+FFFD for the half character.
//! - **Default arguments.** Without [`args`](parse_args::ParseArgsConfig::args), the process's
//!   arguments after the program name are parsed (`std::env::args_os().skip(1)`, converted
//!   lossily to UTF-8), where Node takes `process.argv` after the executable and the script
//!   (after the executable alone under `node -e`).
//! - **Key order.** [`Values`](parse_args::Values) keeps pure insertion order. Node's
//!   `values` is a JavaScript object, which lists integer-like keys (`"5"` from `-5`) first in
//!   numeric order when enumerated.
//! - As in Node, an option named `__proto__` is never stored in `values` (except by the
//!   negation `--no-__proto__`, which Node stores too).

#![deny(unsafe_code)]

mod error;
mod events;
mod info;
pub mod parse_args;
pub mod signals;
mod sys;

pub use error::ProcessError;
pub use events::{
    BeforeExit, ExitEvent, UncaughtException, WarningEvent, WarningInfo, emitter, exit, off_signal,
    on_signal, run,
};
pub use info::{
    CpuUsage, MemoryUsage, NODE_VERSION, ResourceUsage, arch, argv, argv0, chdir, cpu_usage, cwd,
    emit_warning, emit_warning_with, env, exec_argv, exec_path, exit_code, hrtime, hrtime_bigint,
    hrtime_since, kill, memory_usage, pid, platform, ppid, resource_usage, rss, set_exit_code,
    set_umask, set_umask_str, umask, uptime, version, versions,
};
pub use signals::Signal;
