//! The process warnings this crate raises (Node's `process.emitWarning` calls in `lib/fs.js`),
//! with a process-wide hook to receive them; without a hook they print to stderr as Node's
//! default `warning` listener does.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! let seen = Arc::new(Mutex::new(Vec::new()));
//! let s = seen.clone();
//! let previous = nodestd_fs::set_warning_hook(Some(Arc::new(move |w: &nodestd_fs::Warning| {
//!     s.lock().unwrap().push(w.code)
//! })));
//! let dir = nodestd_fs::mkdtemp_sync(std::env::temp_dir().join("nodestd-fs-warn-")).unwrap();
//! let opts = nodestd_fs::RmdirOptions { recursive: true, ..Default::default() };
//! nodestd_fs::rmdir_sync(&dir, opts).unwrap();
//! nodestd_fs::set_warning_hook(previous);
//! assert_eq!(*seen.lock().unwrap(), ["DEP0147"]);
//! ```

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// A warning Node's `fs` emits (`process.emitWarning(message, name, code)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Warning {
    /// The warning's class: `"DeprecationWarning"`.
    pub name: &'static str,
    /// Node's code: `"DEP0147"`.
    pub code: &'static str,
    /// Node's message.
    pub message: &'static str,
}

impl std::fmt::Display for Warning {
    /// `[CODE] Name: message`, as Node prints it after `(node:PID) `.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.code, self.name, self.message)
    }
}

/// A warning handler; see [`set_warning_hook`].
pub type WarningHook = Arc<dyn Fn(&Warning) + Send + Sync>;

static HOOK: RwLock<Option<WarningHook>> = RwLock::new(None);

/// Installs the process-wide handler of this crate's warnings, or with `None` restores the
/// default, which prints `(node:PID) [CODE] Name: message` to stderr. Returns the previous
/// handler.
pub fn set_warning_hook(hook: Option<WarningHook>) -> Option<WarningHook> {
    let mut slot = HOOK.write().unwrap_or_else(|e| e.into_inner());
    std::mem::replace(&mut *slot, hook)
}

fn emit(w: &Warning) {
    let hook = HOOK.read().unwrap_or_else(|e| e.into_inner()).clone();
    match hook {
        Some(hook) => hook(w),
        None => eprintln!("(node:{}) {w}", std::process::id()),
    }
}

/// DEP0147, once per process (Node's `emitRecursiveRmdirWarning`).
const RMDIR_RECURSIVE: Warning = Warning {
    name: "DeprecationWarning",
    code: "DEP0147",
    message: "In future versions of Node.js, fs.rmdir(path, { recursive: true }) will be removed. Use fs.rm(path, { recursive: true }) instead",
};

/// Node's `emitRecursiveRmdirWarning`: DEP0147, the first time only. [`crate::rmdir_sync`]
/// and its other forms call it for `recursive: true`; Node's `rmdir`/`rmdirSync` also call it
/// for any truthy `recursive` before validating the options, which a caller converting
/// JavaScript values can mirror with this function.
pub fn emit_rmdir_recursive_warning() {
    static DONE: AtomicBool = AtomicBool::new(false);
    if !DONE.swap(true, Ordering::SeqCst) {
        emit(&RMDIR_RECURSIVE);
    }
}
