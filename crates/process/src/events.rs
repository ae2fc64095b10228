//! `process` as an event emitter on the loop: [`run`], [`exit`], `beforeExit`, `exit`,
//! `uncaughtException`, `warning` and signal events.

use std::cell::RefCell;
use std::collections::HashMap;

use nodestd_events::{EventEmitter, ListenerId, Named, event};
use nodestd_loop::{Exit as LoopExit, Loop, SignalHandle};

use crate::signals::signal_number;
use crate::{ProcessError, exit_code, set_exit_code};

event!(
    /// `'beforeExit'`: the loop emptied; the payload is the exit code (`process.exitCode`, or
    /// 0). Listeners that schedule work keep the loop running.
    pub BeforeExit = "beforeExit" => i32
);
event!(
    /// `'exit'`: the run is over; the payload is the exit code. Work scheduled by listeners
    /// never runs.
    pub ExitEvent = "exit" => i32
);
event!(
    /// `'uncaughtException'`: a callback panicked; the payload is the panic message. While
    /// this event has a listener, the loop goes on after a panic.
    pub UncaughtException = "uncaughtException" => String
);

event!(
    /// `'uncaughtExceptionMonitor'`: called with the panic message before `uncaughtException`
    /// handling; a monitor does not count as handling it.
    pub UncaughtExceptionMonitor = "uncaughtExceptionMonitor" => String
);
event!(
    /// `'warning'`: [`emit_warning`](crate::emit_warning) was called.
    pub WarningEvent = "warning" => WarningInfo
);

/// The payload of `'warning'`: Node's warning `Error`'s `name`, `message` and `code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningInfo {
    /// `"Warning"`, `"DeprecationWarning"` …
    pub name: String,
    /// The text.
    pub message: String,
    /// The code (`"DEP0001"`), if any.
    pub code: Option<String>,
}

thread_local! {
    static PROCESS: EventEmitter = EventEmitter::with_name("process");
    static SIGNALS: RefCell<HashMap<i32, SignalHandle>> = RefCell::new(HashMap::new());
}

/// This thread's `process` emitter (Node's `process` object as an `EventEmitter`). Listen with
/// the typed events [`BeforeExit`], [`ExitEvent`], [`UncaughtException`], [`WarningEvent`];
/// signals with [`on_signal`].
pub fn emitter() -> EventEmitter {
    PROCESS.with(Clone::clone)
}

pub(crate) fn emit_warning_event(info: WarningInfo) {
    let _ = emitter().emit(WarningEvent, info);
}

/// Routes `nodestd-events`' warnings (`MaxListenersExceededWarning`) through
/// `process.emitWarning`: printed as before, and emitted as `warning` on the `process`
/// emitter of the thread that raised them. Installed once, by [`run`].
fn install_warning_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        nodestd_events::set_warning_hook(Some(std::sync::Arc::new(|w| {
            crate::emit_warning_with(&w.message, w.name, None);
        })));
    });
}

/// Node's life of a process: runs `main` on a new loop with the `process` events wired
/// (`beforeExit` when the loop empties, `uncaughtException` for panics, signals, and
/// `warning` for `nodestd-events`' warnings, through a process-wide warning hook installed
/// on the first call; on the first call too, as Node does at startup, a signal the parent left
/// ignored gets its default action back, SIGPIPE and SIGXFSZ excepted), then emits
/// `exit` and returns the exit code as Node computes it:
///
/// - the code given to [`exit`] when it was called;
/// - 1 after a panic no `uncaughtException` listener handled;
/// - otherwise [`exit_code`](crate::exit_code) (`process.exitCode`), or 0;
///
/// and, as in Node, an `exit` listener may still change it with
/// [`set_exit_code`](crate::set_exit_code).
///
/// ```
/// use nodestd_process as process;
/// let code = process::run(|| {
///     process::emitter().on(process::ExitEvent, |code| println!("exit {code}"));
///     nodestd_loop::set_timeout(1, || process::set_exit_code(Some(3)));
/// });
/// assert_eq!(code, 3);
/// # process::set_exit_code(None);
/// ```
///
/// # Panics
/// When the loop cannot be created (no file descriptor left: `EMFILE`), as Node aborts when
/// `uv_loop_init` fails. [`try_run`] returns that error instead.
pub fn run(main: impl FnOnce()) -> i32 {
    match try_run(main) {
        Ok(code) => code,
        Err(e) => panic!("nodestd_process: cannot create the event loop: {e}"),
    }
}

/// [`run`], with the failure to create the loop as an error.
///
/// ```
/// let code = nodestd_process::try_run(|| {})?;
/// assert_eq!(code, 0);
/// # Ok::<(), nodestd_process::ProcessError>(())
/// ```
///
/// # Errors
/// The loop could not be created, with Node's system-error shape and `syscall`
/// `uv_loop_init`: `EMFILE: too many open files, uv_loop_init` (errno -24) when the process
/// has no file descriptor left, `ENFILE`, `ENOMEM`. `main` does not run and nothing is left
/// open.
pub fn try_run(main: impl FnOnce()) -> Result<i32, ProcessError> {
    install_warning_hook();
    // Node restores the signal dispositions the parent may have changed before anything runs.
    static RESET: std::sync::Once = std::sync::Once::new();
    RESET.call_once(crate::sys::reset_inherited_ignores);
    let lp = Loop::new().map_err(|e| {
        ProcessError::uv(
            e.raw_os_error().unwrap_or(libc::ENOMEM),
            "uv_loop_init",
            None,
        )
    })?;
    Ok(run_on(&lp, main))
}

fn run_on(lp: &Loop, main: impl FnOnce()) -> i32 {
    let ended = lp.run(|| {
        nodestd_loop::on_before_exit(|| {
            let _ = emitter().emit(BeforeExit, exit_code().unwrap_or(0));
        });
        nodestd_loop::on_uncaught_exception(Some(Box::new(|err| {
            let em = emitter();
            // Monitors see every uncaught exception first and do not handle it.
            let _ = em.emit(UncaughtExceptionMonitor, err.message().to_string());
            if em.listener_count(UncaughtException) > 0 {
                let _ = em.emit(UncaughtException, err.message().to_string());
            } else {
                // Node: an exception nobody handles ends the process with code 1.
                nodestd_loop::exit(1);
            }
        })));
        main();
    });
    let code = match ended {
        LoopExit::Exited(c) => c,
        // A panic nobody handled, or the poller failing (where libuv aborts).
        LoopExit::Uncaught(_) | LoopExit::Failed(_) => 1,
        _ => exit_code().unwrap_or(0),
    };
    let before = exit_code();
    set_exit_code(Some(code));
    let emitted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lp.enter(|| {
            let _ = emitter().emit(ExitEvent, code);
        })
    }));
    if emitted.is_err() {
        // Node: an exception thrown by an `exit` listener stops the other listeners and the
        // process ends with `process.exitCode` if it was set (before or by a listener), else 1.
        let now = exit_code();
        let defined = if before.is_some() || now != Some(code) {
            now
        } else {
            None
        };
        set_exit_code(Some(defined.unwrap_or(1)));
    }
    SIGNALS.with(|s| {
        for (_, h) in s.borrow_mut().drain() {
            h.close_quietly();
        }
    });
    exit_code().unwrap_or(0)
}

/// `process.exit(code)`: ends the run started by [`run`] with `code` (or, with `None`,
/// [`exit_code`](crate::exit_code) or 0). No further callback runs; `exit` listeners do.
///
/// Outside a running loop it emits `exit` and ends the OS process
/// (`std::process::exit`), as Node does.
///
/// Unlike Node, the Rust function returns: the rest of the current callback still runs.
pub fn exit(code: Option<i32>) {
    if let Some(c) = code {
        set_exit_code(Some(c));
    }
    let code = exit_code().unwrap_or(0);
    if nodestd_loop::in_loop() {
        nodestd_loop::exit(code);
    } else {
        let _ = emitter().emit(ExitEvent, code);
        std::process::exit(exit_code().unwrap_or(code));
    }
}

fn signal_event(name: &str) -> Named<String> {
    Named::new(name.to_string())
}

/// `process.on(signal, listener)`: runs `listener` (with the signal's name) on the loop
/// whenever the process receives `signal` (`"SIGINT"`, `"SIGTERM"` …). The first listener
/// for a signal starts an unref'd signal handle (so it does not keep the loop alive, as in
/// Node) and replaces the signal's default action.
///
/// # Errors
/// A name that is not a signal gives `ERR_UNKNOWN_SIGNAL` (`Unknown signal: NAME`; Node
/// would treat it as a plain event name); a signal that cannot be caught (`SIGKILL`,
/// `SIGSTOP`) gives Node's `EINVAL` error (`uv_signal_start EINVAL`).
///
/// # Panics
/// Outside a running loop.
#[doc(alias = "on")]
pub fn on_signal(
    signal: &str,
    listener: impl Fn(&str) + 'static,
) -> Result<ListenerId, ProcessError> {
    let signum = signal_number(signal).ok_or_else(|| {
        ProcessError::node("ERR_UNKNOWN_SIGNAL", format!("Unknown signal: {signal}"))
    })?;
    let started = SIGNALS.with(|s| s.borrow().contains_key(&signum));
    if !started {
        let name = signal.to_string();
        let handle = SignalHandle::new(signum, move |_| {
            let _ = emitter().emit(signal_event(&name), name.clone());
        })
        .map_err(|e| {
            ProcessError::errno_exception(
                e.raw_os_error().unwrap_or(libc::EINVAL),
                "uv_signal_start",
            )
        })?;
        handle.unref();
        SIGNALS.with(|s| s.borrow_mut().insert(signum, handle));
    }
    Ok(emitter().on(signal_event(signal), move |name: &String| listener(name)))
}

/// `process.off(signal, listener)`: removes a listener added by [`on_signal`]; with the last
/// one gone the signal handle closes and the signal's default action is restored.
#[doc(alias = "off")]
pub fn off_signal(signal: &str, listener: ListenerId) {
    let em = emitter();
    em.off(signal_event(signal), listener);
    if em.listener_count(signal_event(signal)) == 0 {
        if let Some(signum) = signal_number(signal) {
            if let Some(h) = SIGNALS.with(|s| s.borrow_mut().remove(&signum)) {
                h.close_quietly();
            }
        }
    }
}
