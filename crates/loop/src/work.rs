//! The one shape of Node's asynchronous forms: a job on the worker pool whose completion is
//! delivered either as a callback (`fs.readFile(path, cb)`) or as a promise
//! (`fs.promises.readFile(path)`, `util.promisify(zlib.gzip)(buf)`).
//!
//! - [`callback`] is `uv_queue_work` with Node's callback: the job is queued at the call; the
//!   callback runs on the loop thread in the poll phase, and Node's drain (nextTicks, then
//!   microtasks) runs after it, as after every callback.
//! - [`promise`] queues the job **at the call**, as Node's promise forms do (their work has
//!   started before the caller awaits anything), and returns a [`Pending`] future. When the
//!   job completes, the promise is resolved in the poll phase and the task awaiting it resumes
//!   as a microtask, as a promise reaction does.
//! - [`Lane`] chooses the pool's queue: [`Lane::Slow`] is libuv's `UV__WORK_SLOW_IO` (DNS
//!   lookups), of which at most half the pool runs at once.
//! - [`async_forms!`](crate::async_forms) turns a crate's table of rows, one
//!   `fn name(args) -> Output = job;` per Node function, into the callback forms or the
//!   promise forms, so each function is written once and `grep -n 'fn name'` finds it.
//!
//! A job returns `Result<T, E>` in the crate's own error type `E`; the pool's own failures (a
//! panicking job, no worker thread could be started: [`WorkError`]) reach the completion as an
//! `E` through `E: From<WorkError>`.
//!
//! ```
//! use nodestd_loop::work::{self, Lane};
//! #[derive(Debug)]
//! struct MyError(String);
//! impl From<nodestd_loop::WorkError> for MyError {
//!     fn from(e: nodestd_loop::WorkError) -> MyError { MyError(e.to_string()) }
//! }
//! nodestd_loop::run(|| {
//!     // The promise form's job is queued here, before anything awaits it.
//!     let sum = work::promise(Lane::Normal, || Ok::<u64, MyError>((1..=10).sum()));
//!     work::callback(Lane::Normal, || Ok::<u64, MyError>(6 * 7), |r| assert_eq!(r.unwrap(), 42));
//!     nodestd_loop::spawn_local(async move { assert_eq!(sum.await.unwrap(), 55) });
//! });
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::{Promise, WorkError};

/// Which of the pool's queues a job waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Lane {
    /// Ordinary work (fs, crypto, zlib): libuv's `UV__WORK_CPU` / `UV__WORK_FAST_IO`.
    #[default]
    Normal,
    /// Slow work (DNS lookups), libuv's `UV__WORK_SLOW_IO`: at most `(size + 1) / 2` such jobs
    /// run at once, so they cannot starve the others.
    Slow,
}

impl Lane {
    pub(crate) fn kind(self) -> crate::pool::Kind {
        match self {
            Lane::Normal => crate::pool::Kind::Normal,
            Lane::Slow => crate::pool::Kind::Slow,
        }
    }
}

/// Node's callback form: queues `job` on the worker pool now; `callback` gets its result on
/// the loop thread, in the poll phase, followed by Node's drain. A pool failure
/// ([`WorkError`]: the job panicked, or no worker thread could be started) reaches the
/// callback as an `E`. An outstanding job keeps the loop alive.
///
/// # Panics
/// Outside a running loop.
pub fn callback<T, E>(
    lane: Lane,
    job: impl FnOnce() -> Result<T, E> + Send + 'static,
    callback: impl FnOnce(Result<T, E>) + 'static,
) where
    T: Send + 'static,
    E: From<WorkError> + Send + 'static,
{
    crate::submit(lane.kind(), job, move |r| {
        callback(r.unwrap_or_else(|e| Err(E::from(e))))
    });
}

/// Node's promise form: queues `job` on the worker pool **now** and returns the future of
/// its result. The work runs whether or not the future is ever polled (dropping it only
/// discards the result), as a JavaScript promise's work does.
///
/// # Panics
/// Outside a running loop.
pub fn promise<T, E>(
    lane: Lane,
    job: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Pending<T, E>
where
    T: Send + 'static,
    E: From<WorkError> + Send + 'static,
{
    let (resolver, promise) = crate::promise();
    callback(lane, job, move |r| resolver.resolve(r));
    Pending {
        inner: Inner::Waiting(promise),
    }
}

enum Inner<T, E> {
    Waiting(Promise<Result<T, E>>),
    Settled(Option<Result<T, E>>),
}

/// The future a promise form returns: the result of a job already queued on the worker pool
/// ([`promise`]), or a value settled at the call ([`Pending::settled`], e.g. an argument
/// error, which Node's promise forms turn into a rejection).
#[must_use = "the work runs anyway; the future is the only way to its result"]
pub struct Pending<T, E> {
    inner: Inner<T, E>,
}

impl<T, E> Pending<T, E> {
    /// A future that is already settled with `result` (a promise form whose checks failed at
    /// the call: `Promise.reject(err)`).
    pub fn settled(result: Result<T, E>) -> Pending<T, E> {
        Pending {
            inner: Inner::Settled(Some(result)),
        }
    }
}

impl<T, E> std::fmt::Debug for Pending<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

impl<T, E> Unpin for Pending<T, E> {}

impl<T, E: From<WorkError>> Future for Pending<T, E> {
    type Output = Result<T, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.inner {
            Inner::Waiting(p) => Pin::new(p)
                .poll(cx)
                .map(|r| r.unwrap_or_else(|_| Err(E::from(WorkError::dropped())))),
            Inner::Settled(r) => Poll::Ready(
                r.take()
                    .expect("nodestd_loop::work::Pending polled after it completed"),
            ),
        }
    }
}

/// Generates a crate's callback forms or its promise forms from one table of rows.
///
/// Each row is one Node function:
///
/// ```text
/// /// doc comment (shared by both forms)
/// fn name(arg: Type, ...) -> Output = job;
/// ```
///
/// `job` is an expression evaluated **at the call**, with the arguments in scope: it does
/// Node's argument checks (and may return early with `?` and the crate's error type), copies
/// what the work needs, and ends with the closure that runs on the pool
/// (`FnOnce() -> Result<Output, E> + Send + 'static`).
///
/// The first line chooses the form and names the error type `E` (which must implement
/// `From<`[`WorkError`]`>`), and optionally the [`Lane`]:
///
/// - `callback<E>;` makes `pub fn name(args..., callback: impl FnOnce(Result<Output, E>)) ->
///   Result<(), E>`: a check's error is returned at once (Node throws it); the job's result
///   goes to the callback ([`callback`]).
/// - `promise<E>;` makes `pub fn name(args...) -> Pending<Output, E>`: the job is queued at the
///   call ([`promise`]); a check's error settles the future at once (a rejected promise).
/// - `callback<E, Slow>;` / `promise<E, Slow>;`: the same on [`Lane::Slow`].
///
/// A crate keeps its rows in one place by wrapping them in its own `macro_rules!` that takes
/// the form line, and expands it once in its callback module and once in its promise module:
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct Error(String);
/// impl From<nodestd_loop::WorkError> for Error {
///     fn from(e: nodestd_loop::WorkError) -> Error { Error(e.to_string()) }
/// }
///
/// fn check_len(n: usize) -> Result<(), Error> {
///     if n > 1 << 20 { Err(Error("too long".into())) } else { Ok(()) }
/// }
///
/// /// The table: one row per function.
/// macro_rules! my_forms {
///     ($($form:tt)*) => {
///         nodestd_loop::async_forms! { $($form)*
///             /// `repeat(byte, n)`: `n` copies of `byte`.
///             fn repeat(byte: u8, n: usize) -> Vec<u8> = {
///                 check_len(n)?;
///                 move || Ok(vec![byte; n])
///             };
///         }
///     };
/// }
///
/// pub mod callback {
///     use super::{Error, check_len};
///     my_forms!(callback<Error>;);
/// }
/// pub mod promises {
///     use super::{Error, check_len};
///     my_forms!(promise<Error>;);
/// }
///
/// # fn main() {
/// nodestd_loop::run(|| {
///     callback::repeat(b'x', 3, |r| assert_eq!(r.unwrap(), b"xxx")).unwrap();
///     assert_eq!(callback::repeat(b'x', 1 << 21, |_| unreachable!()), Err(Error("too long".into())));
///     let p = promises::repeat(b'y', 2);
///     let e = promises::repeat(b'y', 1 << 21);
///     nodestd_loop::spawn_local(async move {
///         assert_eq!(p.await.unwrap(), b"yy");
///         assert_eq!(e.await, Err(Error("too long".into())));
///     });
/// });
/// # }
/// ```
#[macro_export]
macro_rules! async_forms {
    (callback<$E:ty $(, $lane:ident)?>; $($rows:tt)*) => {
        $crate::async_forms! { @rows callback $E, ($($lane)?); $($rows)* }
    };
    (promise<$E:ty $(, $lane:ident)?>; $($rows:tt)*) => {
        $crate::async_forms! { @rows promise $E, ($($lane)?); $($rows)* }
    };
    (@lane ()) => { $crate::work::Lane::Normal };
    (@lane ($lane:ident)) => { $crate::work::Lane::$lane };
    (@rows $form:ident $E:ty, $lane:tt; $(
        $(#[$doc:meta])*
        fn $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $out:ty = $job:expr;
    )*) => {$(
        $crate::async_forms! { @one $form $E, $lane; $(#[$doc])* fn $name($($arg: $ty),*) -> $out = $job; }
    )*};
    (@one callback $E:ty, $lane:tt;
        $(#[$doc:meta])* fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $job:expr;
    ) => {
        $(#[$doc])*
        ///
        /// The callback form: the work runs on the loop's worker pool and `callback` gets its
        /// result on the loop thread, in the poll phase.
        ///
        /// # Errors
        /// Returned at once: the checks Node makes at the call (Node throws them). Passed to
        /// the callback: the work's own errors.
        ///
        /// # Panics
        /// Outside a running loop.
        #[allow(clippy::redundant_closure_call, clippy::needless_question_mark)]
        pub fn $name(
            $($arg: $ty,)*
            callback: impl FnOnce(::std::result::Result<$out, $E>) + 'static,
        ) -> ::std::result::Result<(), $E> {
            let job = (|| -> ::std::result::Result<_, $E> { ::std::result::Result::Ok($job) })()?;
            $crate::work::callback($crate::async_forms!(@lane $lane), job, callback);
            ::std::result::Result::Ok(())
        }
    };
    (@one promise $E:ty, $lane:tt;
        $(#[$doc:meta])* fn $name:ident ( $($arg:ident : $ty:ty),* ) -> $out:ty = $job:expr;
    ) => {
        $(#[$doc])*
        ///
        /// The promise form: the work is queued on the loop's worker pool at the call, and the
        /// future resolves (as a microtask) when it completes.
        ///
        /// # Errors
        /// Through the future: the checks Node makes at the call (a rejected promise) and
        /// the work's own errors.
        ///
        /// # Panics
        /// Outside a running loop.
        #[allow(clippy::redundant_closure_call, clippy::needless_question_mark)]
        pub fn $name($($arg: $ty),*) -> $crate::work::Pending<$out, $E> {
            match (|| -> ::std::result::Result<_, $E> { ::std::result::Result::Ok($job) })() {
                ::std::result::Result::Ok(job) => $crate::work::promise($crate::async_forms!(@lane $lane), job),
                ::std::result::Result::Err(e) => $crate::work::Pending::settled(::std::result::Result::Err(e)),
            }
        }
    };
}
