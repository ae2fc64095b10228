//! The `MaxListenersExceededWarning` and the hook that delivers process warnings, plus the
//! thread's `defaultMaxListeners`.

use std::cell::Cell;
use std::fmt;
use std::sync::{Arc, RwLock};

/// A process warning raised by this crate (Node's `process.emitWarning` argument).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// The warning's name: `"MaxListenersExceededWarning"`.
    pub name: &'static str,
    /// Node's message text.
    pub message: String,
    /// The event whose listeners exceeded the limit, as Node's `String(type)`.
    pub event: String,
    /// How many listeners the event had.
    pub count: usize,
    /// The emitter's description (`[EventEmitter]`, or `[Name]` for a named emitter).
    pub emitter: String,
}

impl fmt::Display for Warning {
    /// `Name: message`, as Node prints it after `(node:PID) `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// A warning handler; see [`set_warning_hook`].
pub type WarningHook = Arc<dyn Fn(&Warning) + Send + Sync>;

static HOOK: RwLock<Option<WarningHook>> = RwLock::new(None);

/// Installs the process-wide warning handler (the process crate's `process.emitWarning`), or
/// with `None` restores the default, which prints `(node:PID) Name: message` to stderr as
/// Node's default `warning` listener does. Returns the previous handler.
///
/// ```
/// use nodestd_events::{set_warning_hook, EventEmitter, Named};
/// use std::sync::{Arc, Mutex};
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let s = seen.clone();
/// let previous = set_warning_hook(Some(Arc::new(move |w| s.lock().unwrap().push(w.to_string()))));
/// let em = EventEmitter::new();
/// em.set_max_listeners(1);
/// em.on(Named::<()>::new("foo"), |_| {});
/// em.on(Named::<()>::new("foo"), |_| {});
/// set_warning_hook(previous);
/// # let seen: Vec<String> = seen.lock().unwrap().iter().filter(|w| w.contains(" foo ")).cloned().collect();
/// assert_eq!(seen, ["MaxListenersExceededWarning: Possible EventEmitter memory leak detected. \
///     2 foo listeners added to [EventEmitter]. MaxListeners is 1. \
///     Use emitter.setMaxListeners() to increase limit"]);
/// ```
pub fn set_warning_hook(hook: Option<WarningHook>) -> Option<WarningHook> {
    let mut slot = HOOK.write().unwrap_or_else(|e| e.into_inner());
    std::mem::replace(&mut *slot, hook)
}

/// Delivers `w` to the hook, or prints it.
pub(crate) fn emit_warning(w: &Warning) {
    let hook = HOOK.read().unwrap_or_else(|e| e.into_inner()).clone();
    match hook {
        Some(hook) => hook(w),
        None => eprintln!("(node:{}) {w}", std::process::id()),
    }
}

thread_local! {
    static DEFAULT_MAX: Cell<usize> = const { Cell::new(10) };
}

/// Node's `EventEmitter.defaultMaxListeners` (10 unless changed), the limit of every emitter
/// of this thread without its own [`set_max_listeners`](crate::EventEmitter::set_max_listeners).
///
/// ```
/// assert_eq!(nodestd_events::default_max_listeners(), 10);
/// ```
pub fn default_max_listeners() -> usize {
    DEFAULT_MAX.with(Cell::get)
}

/// Sets this thread's `EventEmitter.defaultMaxListeners`; 0 means no limit. It applies at
/// once to every emitter of the thread without a limit of its own, as in Node.
///
/// ```
/// use nodestd_events::{default_max_listeners, set_default_max_listeners, EventEmitter};
/// set_default_max_listeners(20);
/// assert_eq!(EventEmitter::new().get_max_listeners(), 20);
/// set_default_max_listeners(10);
/// assert_eq!(default_max_listeners(), 10);
/// ```
pub fn set_default_max_listeners(n: usize) {
    DEFAULT_MAX.with(|d| d.set(n));
}
