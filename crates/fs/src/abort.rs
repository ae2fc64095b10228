//! A minimal `AbortController`/`AbortSignal` for the `signal` options (thread-safe: the
//! signal is checked on the worker pool between chunks).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// `AbortController`: [`AbortController::abort`] sets its [`AbortSignal`].
///
/// ```
/// let c = nodestd_fs::AbortController::new();
/// let s = c.signal();
/// c.abort();
/// assert!(s.aborted());
/// ```
#[derive(Debug, Clone, Default)]
pub struct AbortController {
    signal: AbortSignal,
}

/// `AbortSignal`: whether the operation was aborted.
#[derive(Debug, Clone, Default)]
pub struct AbortSignal {
    flag: Arc<AtomicBool>,
}

impl AbortController {
    /// A controller whose signal is not aborted.
    pub fn new() -> AbortController {
        AbortController::default()
    }
    /// Its signal.
    pub fn signal(&self) -> AbortSignal {
        self.signal.clone()
    }
    /// `abort()`.
    pub fn abort(&self) {
        self.signal.flag.store(true, Ordering::SeqCst);
    }
}

impl AbortSignal {
    /// `signal.aborted`.
    pub fn aborted(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
    /// `AbortSignal.abort()`: an already aborted signal.
    pub fn abort() -> AbortSignal {
        let s = AbortSignal::default();
        s.flag.store(true, Ordering::SeqCst);
        s
    }
}
