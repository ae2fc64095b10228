//! Node's signal names (`os.constants.signals` on Linux x64, from `nodestd_sys::signals`) and
//! [`Signal`], the signal argument of [`kill`](crate::kill) and [`on_signal`](crate::on_signal).

use crate::ProcessError;

pub use nodestd_sys::signals::{SIGNALS, signal_name, signal_number};

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
