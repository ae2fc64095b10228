//! Node's signal names (`os.constants.signals` on Linux x64) and [`Signal`], the
//! signal argument of [`kill`](crate::kill) and [`on_signal`](crate::on_signal).

use crate::ProcessError;

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

/// A signal as Node's `process.kill` takes it: a name (`"SIGTERM"`, case-sensitive, as in
/// `os.constants.signals`) or a number (passed to `kill(2)` as is, `0` tests the process).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal<'a> {
    /// A signal name such as `"SIGTERM"`.
    Name(&'a str),
    /// A raw signal number.
    Number(i32),
}

impl<'a> From<&'a str> for Signal<'a> {
    fn from(name: &'a str) -> Signal<'a> {
        Signal::Name(name)
    }
}

impl From<i32> for Signal<'_> {
    fn from(n: i32) -> Signal<'static> {
        Signal::Number(n)
    }
}

/// The number of a signal name (`"SIGTERM"` → 15), as `os.constants.signals[name]`.
pub fn signal_number(name: &str) -> Option<i32> {
    SIGNALS.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

/// The first name of a signal number (15 → `"SIGTERM"`).
pub fn signal_name(num: i32) -> Option<&'static str> {
    SIGNALS.iter().find(|(_, v)| *v == num).map(|&(n, _)| n)
}

impl Signal<'_> {
    /// The signal number, or Node's `ERR_UNKNOWN_SIGNAL` for an unknown name.
    pub(crate) fn number(self) -> Result<i32, ProcessError> {
        match self {
            Signal::Number(n) => Ok(n),
            Signal::Name(name) => signal_number(name).ok_or_else(|| {
                ProcessError::node("ERR_UNKNOWN_SIGNAL", format!("Unknown signal: {name}"))
            }),
        }
    }
}
