//! Node.js's [`events`](https://nodejs.org/docs/latest-v20.x/api/events.html) module for Rust,
//! with Node v20's semantics, typed for Rust.
//!
//! # Main types
//!
//! - [`EventEmitter`]: Node's `EventEmitter` — `on`/`add_listener`, `once`,
//!   `prepend_listener`, `prepend_once_listener`, `off`/`remove_listener`,
//!   `remove_all_listeners`, `emit`, `listener_count`, `listeners`, `raw_listeners`,
//!   `event_names`, `set_max_listeners`/`get_max_listeners`, the `newListener` and
//!   `removeListener` events, [`error_monitor`], and the one-time
//!   `MaxListenersExceededWarning` per listener list. Single-threaded (`Rc`, `!Send`) like
//!   Node; listeners may add, remove and emit re-entrantly, and an emit works on a copy of
//!   the listener list, as Node's.
//! - Typed events: an [`Event`] has a name and a payload type; listeners get `&Payload`.
//!   Crates declare their events with [`event!`] (`event!(pub Exit = "exit" => Option<i32>)`);
//!   dynamic code uses [`Named<T>`] (any name, payload `T`) or a plain `&str` (payload
//!   `Box<dyn Any>`). Names are strings or [`Symbol`]s ([`EventName`]).
//! - [`Listener`] and [`ListenerId`]: a listener's identity plays the JavaScript function's
//!   part — `on` returns the id, `off(name, id)` removes the most recently added instance,
//!   and adding one [`Listener`] twice (`on_with`) registers the same "function" twice.
//! - [`once()`] and [`on()`]: Node's `events.once` (a future) and `events.on` (a stream),
//!   executor-agnostic (std only).
//! - [`AbortController`], [`AbortSignal`] and [`AbortError`] (`ABORT_ERR`): the one abort
//!   signal of every crate (fs's `signal` options, the loop's `timers/promises`); thread-safe,
//!   its `'abort'` listeners ([`AbortSignal::on_abort`]) run inside `abort()`.
//! - [`set_warning_hook`]: where process warnings go (the process crate installs its
//!   `process.emitWarning` here); by default they print `(node:PID) Name: message` to stderr.
//!
//! ```
//! use nodestd_events::{event, EventEmitter};
//! use std::{cell::RefCell, rc::Rc};
//!
//! event!(pub Data = "data" => Vec<u8>);
//! event!(pub End = "end" => ());
//!
//! let stream = EventEmitter::new();
//! let got = Rc::new(RefCell::new(Vec::new()));
//! let g = got.clone();
//! stream.on(Data, move |chunk| g.borrow_mut().extend_from_slice(chunk));
//! stream.once(End, |_| println!("done"));
//! stream.emit(Data, b"ab".to_vec()).unwrap();
//! stream.emit(Data, b"c".to_vec()).unwrap();
//! assert_eq!(stream.listener_count(End), 1);
//! assert_eq!(stream.emit(End, ()), Ok(true));
//! assert_eq!(stream.emit(End, ()), Ok(false));
//! assert_eq!(*got.borrow(), b"abc");
//! ```
//!
//! # Cargo features
//!
//! None. No dependencies.
//!
//! # Platforms
//!
//! Pure Rust with no OS calls and no dependencies: any platform Rust supports; Linux is what
//! is tested.
//!
//! # Deviations from Node
//!
//! - **Unhandled `error`.** Node's `emit('error', x)` with no `error` listener throws (`x`
//!   itself when it is an `Error`, else `ERR_UNHANDLED_ERROR`). Here [`EventEmitter::emit`]
//!   returns `Err(`[`UnhandledError`]`)`, code `ERR_UNHANDLED_ERROR`, carrying the payload;
//!   its message is Node's `Unhandled error. (…)` for strings, numbers, booleans and `()`
//!   (`undefined`), and the payload's type name otherwise. A listener cannot throw, so an
//!   emit never stops half-way.
//! - **Payload types.** Listeners are typed. A listener added under a name with one payload
//!   type is skipped by emits of another payload type under the same name (it still counts
//!   in `listener_count` and `event_names`, and `emit` still returns `true`);
//!   [`EventEmitter::listeners`] returns the listeners of the asked payload type
//!   ([`EventEmitter::listener_ids`] lists all). Node passes any arguments to any listener.
//! - **Listener identity.** `off`, `listener_count_of` take a [`ListenerId`]. The
//!   `newListener`/`removeListener` payload is a [`ListenerChange`] holding ids; where Node
//!   passes the once-wrapper function (a `once` listener removed from a list of two or more
//!   by the wrapper), `ListenerChange::wrapper` holds the wrapper's id. Raw once-wrappers
//!   from `raw_listeners` cannot be called or re-added; they can be removed by id.
//! - **Max listeners** are a `usize` (0 = no limit, Node's `0`/`Infinity`); fractional and
//!   invalid values cannot be expressed, so `setMaxListeners`'s `ERR_OUT_OF_RANGE` cannot
//!   occur. `defaultMaxListeners` ([`set_default_max_listeners`]) is per thread, as it is
//!   per isolate (main thread or worker) in Node.
//! - **Warnings** reach the hook synchronously (Node emits `warning` on the next tick), and
//!   the default printer omits Node's one-time "(Use `node --trace-warnings ...` …)" hint.
//! - **`removeAllListeners`**: when `removeListener` listeners remove extra listeners of the
//!   event being emptied (a `once` listener of `removeListener` removing itself while
//!   `removeListener`'s own list is emptied, say), Node's LIFO loop reads past the end of its
//!   array and throws `ERR_INVALID_ARG_TYPE` out of `removeAllListeners`. Here the call stops
//!   at the same point and returns normally.
//! - Not provided: `captureRejections` and `Symbol.for('nodejs.rejection')` (listeners do not
//!   return promises), `EventEmitterAsyncResource`, `EventTarget` support in the helpers,
//!   `AbortSignal` options (drop the [`Once`]/[`On`] value instead), `on`'s
//!   `highWaterMark`/`lowWaterMark` (there is no `pause()`), domains, and
//!   `EventEmitter.listenerCount(emitter, type)` (use the method).
#![forbid(unsafe_code)]

mod abort;
mod emitter;
mod error;
mod event;
mod future;
mod listener;
mod name;
mod warning;

pub use abort::{AbortController, AbortError, AbortListenerId, AbortSignal, DEFAULT_ABORT_REASON};
pub use emitter::{EventEmitter, WeakEventEmitter};
pub use error::UnhandledError;
pub use event::{Event, ListenerChange, Named, NewListener, RemoveListener};
pub use future::{On, Once, on, once};
pub use listener::{Listener, ListenerId, RawListener};
pub use name::{EventName, Symbol, error_monitor};
pub use warning::{
    Warning, WarningHook, default_max_listeners, set_default_max_listeners, set_warning_hook,
};
