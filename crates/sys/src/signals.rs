//! Node's signal table: `os.constants.signals` on Linux, which `process.kill`, `process.on`
//! and `child_process` read names from.
//!
//! ```
//! use nodestd_sys::signals;
//! assert_eq!(signals::signal_number("SIGTERM"), Some(15));
//! assert_eq!(signals::signal_name(6), Some("SIGABRT"));
//! ```

/// `os.constants.signals` on Linux, in Node's order.
pub const SIGNALS: &[(&str, i32)] = &[
    ("SIGHUP", 1),
    ("SIGINT", 2),
    ("SIGQUIT", 3),
    ("SIGILL", 4),
    ("SIGTRAP", 5),
    ("SIGABRT", 6),
    ("SIGIOT", 6),
    ("SIGBUS", 7),
    ("SIGFPE", 8),
    ("SIGKILL", 9),
    ("SIGUSR1", 10),
    ("SIGSEGV", 11),
    ("SIGUSR2", 12),
    ("SIGPIPE", 13),
    ("SIGALRM", 14),
    ("SIGTERM", 15),
    ("SIGCHLD", 17),
    ("SIGSTKFLT", 16),
    ("SIGCONT", 18),
    ("SIGSTOP", 19),
    ("SIGTSTP", 20),
    ("SIGTTIN", 21),
    ("SIGTTOU", 22),
    ("SIGURG", 23),
    ("SIGXCPU", 24),
    ("SIGXFSZ", 25),
    ("SIGVTALRM", 26),
    ("SIGPROF", 27),
    ("SIGWINCH", 28),
    ("SIGIO", 29),
    ("SIGPOLL", 29),
    ("SIGPWR", 30),
    ("SIGSYS", 31),
];

/// The number of a signal name (`"SIGTERM"` → 15), as `os.constants.signals[name]`.
pub fn signal_number(name: &str) -> Option<i32> {
    SIGNALS.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

/// The first name of a signal number (15 → `"SIGTERM"`).
pub fn signal_name(num: i32) -> Option<&'static str> {
    SIGNALS.iter().find(|(_, v)| *v == num).map(|&(n, _)| n)
}
