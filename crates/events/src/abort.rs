//! `AbortController` and `AbortSignal`, and the `AbortError` that aborted operations fail with.
//!
//! Node's `AbortSignal` is an `EventTarget` whose `'abort'` listeners run synchronously inside
//! `controller.abort()`. Here a signal is shared and thread-safe (fs checks it on the worker
//! pool between chunks): [`AbortSignal::on_abort`] listeners are `Send` and run inside
//! [`AbortController::abort`], on the aborting thread; a listener added to an aborted signal
//! never runs, as Node's `addEventListener('abort')` after the fact (check
//! [`AbortSignal::aborted`] first).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type AbortListener = Box<dyn FnOnce(&str) + Send>;

#[derive(Default)]
struct Shared {
    aborted: AtomicBool,
    reason: Mutex<Option<String>>,
    listeners: Mutex<Vec<(u64, AbortListener)>>,
    next: AtomicU64,
}

/// `AbortSignal`: whether (and why) an operation was aborted.
///
/// ```
/// let c = nodestd_events::AbortController::new();
/// let s = c.signal();
/// assert!(!s.aborted());
/// c.abort();
/// assert!(s.aborted());
/// assert_eq!(s.reason().as_deref(), Some("This operation was aborted"));
/// ```
#[derive(Clone, Default)]
pub struct AbortSignal {
    shared: Arc<Shared>,
}

/// `AbortController`: [`AbortController::abort`] aborts its [`AbortSignal`].
#[derive(Clone, Default)]
pub struct AbortController {
    signal: AbortSignal,
}

/// The reason of `controller.abort()` without an argument: the message of the `DOMException`
/// named `AbortError` that Node makes.
pub const DEFAULT_ABORT_REASON: &str = "This operation was aborted";

/// Identifies a listener added with [`AbortSignal::on_abort`], to remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AbortListenerId(u64);

impl AbortController {
    /// A controller whose signal is not aborted (`new AbortController()`).
    #[doc(alias = "AbortController")]
    pub fn new() -> AbortController {
        AbortController::default()
    }

    /// `controller.signal`.
    pub fn signal(&self) -> AbortSignal {
        self.signal.clone()
    }

    /// `controller.abort()`: aborts with Node's default reason ([`DEFAULT_ABORT_REASON`]).
    /// The listeners run now, in the order they were added; aborting again does nothing.
    pub fn abort(&self) {
        self.signal.abort_with(DEFAULT_ABORT_REASON.to_string());
    }

    /// `controller.abort(reason)`, the reason shown as a string.
    #[doc(alias = "abort")]
    pub fn abort_with(&self, reason: impl Into<String>) {
        self.signal.abort_with(reason.into());
    }
}

impl AbortSignal {
    /// `signal.aborted`.
    pub fn aborted(&self) -> bool {
        self.shared.aborted.load(Ordering::SeqCst)
    }

    /// `signal.reason`: `None` while not aborted.
    pub fn reason(&self) -> Option<String> {
        lock(&self.shared.reason).clone()
    }

    /// `AbortSignal.abort()`: a signal that is already aborted.
    ///
    /// ```
    /// assert!(nodestd_events::AbortSignal::abort().aborted());
    /// ```
    pub fn abort() -> AbortSignal {
        let s = AbortSignal::default();
        s.abort_with(DEFAULT_ABORT_REASON.to_string());
        s
    }

    /// `signal.throwIfAborted()`: the [`AbortError`] when aborted.
    ///
    /// # Errors
    /// The signal is aborted: an [`AbortError`] whose cause is the reason.
    #[doc(alias = "throwIfAborted")]
    pub fn throw_if_aborted(&self) -> Result<(), AbortError> {
        if self.aborted() {
            Err(AbortError::new(self.reason()))
        } else {
            Ok(())
        }
    }

    /// `signal.addEventListener('abort', f, { once: true })`: `f` gets the reason when the
    /// signal is aborted, on the aborting thread. On a signal already aborted it never runs.
    #[doc(alias = "addEventListener")]
    pub fn on_abort(&self, f: impl FnOnce(&str) + Send + 'static) -> AbortListenerId {
        let id = self.shared.next.fetch_add(1, Ordering::Relaxed);
        lock(&self.shared.listeners).push((id, Box::new(f)));
        AbortListenerId(id)
    }

    /// `signal.removeEventListener('abort', f)`. Removing twice does nothing.
    #[doc(alias = "removeEventListener")]
    pub fn off_abort(&self, id: AbortListenerId) {
        lock(&self.shared.listeners).retain(|(i, _)| *i != id.0);
    }

    fn abort_with(&self, reason: String) {
        if self.shared.aborted.swap(true, Ordering::SeqCst) {
            return;
        }
        *lock(&self.shared.reason) = Some(reason.clone());
        let listeners = std::mem::take(&mut *lock(&self.shared.listeners));
        for (_, f) in listeners {
            f(&reason);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A listener cannot panic while a lock is held (they run after it is released).
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl fmt::Debug for AbortSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortSignal")
            .field("aborted", &self.aborted())
            .finish()
    }
}

impl fmt::Debug for AbortController {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortController")
            .field("signal", &self.signal)
            .finish()
    }
}

/// Node's `AbortError` (`lib/internal/errors.js`): code `ABORT_ERR`, name `AbortError`,
/// message `The operation was aborted`, its `cause` the signal's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbortError {
    cause: Option<String>,
}

impl AbortError {
    /// An `AbortError` with this cause (the signal's reason).
    pub fn new(cause: Option<String>) -> AbortError {
        AbortError { cause }
    }

    /// `err.code`: `"ABORT_ERR"`.
    pub fn code(&self) -> &'static str {
        "ABORT_ERR"
    }

    /// `err.name`: `"AbortError"`.
    pub fn name(&self) -> &'static str {
        "AbortError"
    }

    /// `err.message`: `"The operation was aborted"`.
    pub fn message(&self) -> &'static str {
        "The operation was aborted"
    }

    /// `err.cause`: the signal's reason.
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }
}

impl fmt::Display for AbortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for AbortError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn listeners_run_once_in_order_and_removed_ones_never() {
        let c = AbortController::new();
        let s = c.signal();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (a, b) = (Arc::clone(&log), Arc::clone(&log));
        s.on_abort(move |r| a.lock().unwrap().push(format!("1 {r}")));
        let id = s.on_abort(|_| unreachable!("removed"));
        s.on_abort(move |r| b.lock().unwrap().push(format!("2 {r}")));
        s.off_abort(id);
        c.abort_with("why");
        c.abort();
        assert_eq!(*log.lock().unwrap(), ["1 why", "2 why"]);
        assert_eq!(s.reason().as_deref(), Some("why"));
        let n = Arc::new(AtomicUsize::new(0));
        let n2 = Arc::clone(&n);
        s.on_abort(move |_| {
            n2.fetch_add(1, Ordering::SeqCst);
        });
        c.abort();
        assert_eq!(
            n.load(Ordering::SeqCst),
            0,
            "added after the abort: never runs"
        );
        let e = s.throw_if_aborted().unwrap_err();
        assert_eq!(
            (e.code(), e.name(), e.to_string(), e.cause()),
            (
                "ABORT_ERR",
                "AbortError",
                "The operation was aborted".into(),
                Some("why")
            )
        );
    }
}
