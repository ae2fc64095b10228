//! Node.js's [`process`](https://nodejs.org/docs/latest-v20.x/api/process.html) module for
//! Rust, with Node v20's exact semantics, and Node's
//! [`util.parseArgs`](https://nodejs.org/docs/latest-v20.x/api/util.html#utilparseargsconfig).
//!
//! # What exists
//!
//! - **Facts**: [`argv`] (Node's layout: `[exec_path, program, ...args]`, see below),
//!   [`argv0`], [`exec_path`], [`exec_argv`] (empty), [`env`](mod@env) (`get`/`set`/`remove`/`vars`),
//!   [`title`] / [`set_title`], [`cwd`], [`chdir`] (Node's `ENOENT: no such file or directory, chdir '/a' -> '/b'`
//!   errors), [`pid`], [`ppid`], [`platform`], [`arch`], [`version`], [`versions`],
//!   [`hrtime`], [`hrtime_since`] (`process.hrtime(prev)`), [`hrtime_bigint`], [`uptime`],
//!   [`memory_usage`], [`rss`], [`resource_usage`], [`cpu_usage`], [`umask`], [`set_umask`],
//!   [`set_umask_str`], [`kill`] (names or numbers; `ESRCH`, `ERR_UNKNOWN_SIGNAL`),
//!   [`exit_code`] / [`set_exit_code`], [`emit_warning`], [`emit_warning_with`]. Errors are
//!   [`ProcessError`]s with Node's `code`, `errno`, `syscall` and message.
//! - **On the loop**: [`run`] (Node's life of a process: runs `main` on a `nodestd-loop` loop
//!   and returns Node's exit code; [`try_run`] returns the failure to create the loop),
//!   [`exit`] (`process.exit`), and [`emitter`], the `process`
//!   `EventEmitter` (`nodestd-events`) with [`BeforeExit`], [`ExitEvent`],
//!   [`UncaughtException`], [`UncaughtExceptionMonitor`], [`WarningEvent`], and signals through [`on_signal`] /
//!   [`off_signal`] (unref'd `SignalHandle`s; the default action comes back with the last
//!   listener). [`signals`] has Node's signal table.
//! - **Standard streams**: [`stdin`], [`stdout`] and [`stderr`] as nodestd-stream
//!   `Readable`/`Writable`s, so `pipeline(stdin, createGzip(), stdout)` works with
//!   backpressure to a slow pipe (`tests/process_stdio_streams.rs`); [`read_stdin`] (chunks
//!   on the loop, from a reader thread, so a TTY, pipe or file never blocks the loop),
//!   [`write_stdout`] and [`write_stderr`] (one call's bytes are never interleaved with
//!   another write from this process).
//! - **Arguments**:
//!   [`parse_args`](parse_args::parse_args), Node's `util.parseArgs`, a port of Node
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
//! ```
//! use nodestd_process as process;
//! let code = process::run(|| {
//!     process::emitter().on(process::BeforeExit, |code| println!("beforeExit {code}"));
//!     process::emitter().on(process::ExitEvent, |code| println!("exit {code}"));
//!     nodestd_loop::set_timeout(1, || process::exit(Some(4)));
//! });
//! assert_eq!(code, 4);
//! # process::set_exit_code(None);
//! ```
//!
//! # Deviations from Node: the process
//!
//! - **argv.** A Rust program is Node's executable and its script at once: `argv()[0]` and
//!   `argv()[1]` are both [`exec_path`] (`std::env::current_exe`), the user's arguments start
//!   at index 2. Arguments and paths that are not UTF-8 are converted lossily.
//! - **env** is a copy of the environment taken on first use; `set`/`remove` change the copy,
//!   not the OS environment (`std::env::set_var` is `unsafe` under threads), so C code calling
//!   `getenv` does not see them; child processes should be given [`env::vars`]. Values are
//!   `String(value)` as in Node (any `Display`).
//! - **version / versions** report the Node release whose semantics nodestd follows
//!   (`v20.20.2`), the libuv the loop mirrors (`1.46.0`) and `nodestd`; there is no V8,
//!   OpenSSL … to report.
//! - **memory_usage**: `rss` is real (`/proc/self/statm`); `heap_total`, `heap_used`,
//!   `external` and `array_buffers` are 0 (there is no JavaScript heap).
//! - **uptime** is measured from the kernel's process start time, so it has the kernel
//!   clock tick's resolution (10 ms); Node measures from its own start-up.
//! - **emit_warning** prints `(node:PID) Warning: msg` (and `[CODE] Type: msg`) but not Node's
//!   second line (``(Use `node --trace-warnings ...` …)``), which names a node flag. It does not
//!   de-duplicate deprecation warnings.
//! - **umask** strings longer than 17 octal digits: Node's `parseInt` loses precision there
//!   and its `ERR_OUT_OF_RANGE` message shows the rounded number; here the exact one.
//! - **kill** takes an `i32` pid and a [`Signal`]; Node's `ERR_INVALID_ARG_TYPE` for other
//!   JavaScript types cannot happen.
//! - **Linux only** for now (`/proc`, Linux signal numbers).
//!
//! # Deviations from Node: events and exit
//!
//! - The `process` events are wired by [`run`]: code run on a bare `nodestd_loop::run` gets
//!   no `beforeExit`/`exit`/`uncaughtException` emission. The emitter is per thread.
//! - [`exit`] returns: the rest of the current callback still runs (then no other callback
//!   does). Node's `process.exit` never returns.
//! - `uncaughtException` listeners get the panic message (`String`), not an `Error` object,
//!   and no `origin` argument. With no listener, the panic ends the run with code 1 (Rust's
//!   panic hook, not Node, prints the message to stderr).
//! - Signal listeners go through [`on_signal`] / [`off_signal`] (a signal name that is not
//!   known is an `ERR_UNKNOWN_SIGNAL` error there, where Node would treat it as a plain event
//!   name). Aliases share one handle: listeners of `SIGIOT` and `SIGABRT`, or `SIGIO` and
//!   `SIGPOLL`, are each called with the name of the first one registered.
//! - A panic in an `exit` listener is caught as Node catches a throw there: the remaining
//!   listeners do not run, and [`run`] returns `exitCode` if it was set, else 1.
//! - Running out of resources is an error where Node aborts: [`try_run`] returns
//!   `EMFILE: too many open files, uv_loop_init` (errno -24) when no descriptor is left for
//!   the loop ([`run`] panics with it); a poller failure ends the run with code 1 (Node:
//!   `SIGABRT`); a stdin reader thread that cannot start ends [`read_stdin`] with its error
//!   (`EAGAIN`) through `on_end`.
//!
//! # Deviations from Node: parse_args
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
mod stdio;
mod streams;
mod sys;

pub use error::ProcessError;
pub use events::{
    BeforeExit, ExitEvent, UncaughtException, UncaughtExceptionMonitor, WarningEvent, WarningInfo,
    emitter, exit, off_signal, on_signal, run, try_run,
};
pub use info::{
    CpuUsage, MemoryUsage, NODE_VERSION, ResourceUsage, arch, argv, argv0, chdir, cpu_usage, cwd,
    emit_warning, emit_warning_with, env, exec_argv, exec_path, exit_code, hrtime, hrtime_bigint,
    hrtime_since, kill, memory_usage, pid, platform, ppid, resource_usage, rss, set_exit_code,
    set_title, set_umask, set_umask_str, title, umask, uptime, version, versions,
};
pub use signals::Signal;
pub use stdio::{StdinReader, read_stdin, write_stderr, write_stdout};
pub use streams::{stderr, stdin, stdout};
