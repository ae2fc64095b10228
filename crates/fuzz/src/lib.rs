//! nodestd's fuzz targets (issue 18), unpublished.
//!
//! Every parser of nodestd that takes outside input has a target here: a plain function
//! `fn(&[u8]) -> Result<(), String>` that feeds the bytes to the parser and checks more than
//! "no panic" where it can (round trips, agreement with a slow reference, invariants Node
//! itself keeps). The same function serves three drivers:
//!
//! - [`driver`], a seeded random-mutation loop over the corpus of the target
//!   (`corpus/<target>/`), run by `cargo xtask fuzz` (`--quick` in CI, `--seconds N` for long
//!   runs) through this crate's binary; it also checks, now and then, that the time of the
//!   target grows linearly with its input ([`linear`]);
//! - the coverage-guided libFuzzer targets of `fuzz/` at the workspace root (cargo-fuzz);
//! - the regression tests of `tests/`, which run every corpus file and the inputs that once
//!   failed.
//!
//! A finding is an `Err` or a panic: the driver prints the target, the seed and the input in
//! hex, and exits non-zero.
//!
//! [`SLOTS`] names the parsers still without a target (none today).

pub mod driver;
pub mod linear;
pub mod targets;

use std::path::PathBuf;

/// What a target answers: `Err` describes a broken invariant.
pub type Outcome = Result<(), String>;

/// How [`linear`] makes a bigger input of the same shape from a small one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Repeat the whole input (more arguments, more pairs, more lines).
    Whole,
    /// Repeat each NUL-separated field in place (the same arguments, each longer).
    EachField,
    /// The target does not scale meaningfully (compressed or encrypted bytes): no time check.
    None,
}

/// One fuzz target.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Its name: the corpus directory, the libFuzzer target and the `cargo xtask fuzz` word.
    pub name: &'static str,
    /// The function under test.
    pub run: fn(&[u8]) -> Outcome,
    /// How to grow an input for the linear-time check.
    pub scale: Scale,
}

/// Every target, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "path",
        run: targets::path,
        scale: Scale::Whole,
    },
    Target {
        name: "url_legacy",
        run: targets::url_legacy,
        scale: Scale::EachField,
    },
    Target {
        name: "url_whatwg",
        run: targets::url_whatwg,
        scale: Scale::EachField,
    },
    Target {
        name: "querystring",
        run: targets::querystring,
        scale: Scale::Whole,
    },
    Target {
        name: "parse_args",
        run: targets::parse_args,
        scale: Scale::Whole,
    },
    Target {
        name: "zlib_inflate",
        run: targets::zlib_inflate,
        scale: Scale::None,
    },
    Target {
        name: "decipher",
        run: targets::decipher,
        scale: Scale::None,
    },
    Target {
        name: "key_import",
        run: targets::key_import,
        scale: Scale::EachField,
    },
    Target {
        name: "ipc_reader",
        run: targets::ipc_reader,
        scale: Scale::Whole,
    },
    Target {
        name: "dns_answer",
        run: targets::dns_answer,
        scale: Scale::None,
    },
    Target {
        name: "http_request",
        run: targets::http_request,
        scale: Scale::None,
    },
    Target {
        name: "fs_script",
        run: targets::fs_script,
        scale: Scale::None,
    },
];

/// Named slots for parsers that take outside input and have no target yet: none now that
/// the HTTP request parser, the IPC reader and DNS answers have theirs. `(name, what it will
/// feed)`.
pub const SLOTS: &[(&str, &str)] = &[];

/// A target by name.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The corpus directory of a target: `crates/fuzz/corpus/<name>/`.
pub fn corpus_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

/// The files of a target's corpus, sorted by name (so a seed replays the same run).
pub fn corpus(name: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir(name))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

/// Runs a target on one input, turning a panic into an `Err` with its message.
pub fn run_caught(target: &Target, input: &[u8]) -> Outcome {
    match std::panic::catch_unwind(|| (target.run)(input)) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            Err(format!("panic: {msg}"))
        }
    }
}

/// Lower-case hex of bytes, as findings are printed.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex (as printed by [`hex`]); `None` for bad hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The body of a libFuzzer target (`fuzz/fuzz_targets/<name>.rs`): runs the target and turns
/// a finding into the panic libFuzzer records as a crash. Inputs over the driver's size cap
/// are skipped, as the driver never makes them.
///
/// # Panics
/// On a finding, with its message; or for an unknown target name.
pub fn libfuzzer(name: &str, input: &[u8]) {
    let target = target(name).unwrap_or_else(|| panic!("no fuzz target {name:?}"));
    if input.len() > driver::MAX_INPUT {
        return;
    }
    if let Err(message) = (target.run)(input) {
        panic!("{name}: {message}");
    }
}
