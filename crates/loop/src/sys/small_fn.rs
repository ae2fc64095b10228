//! `SmallFn`: a `FnOnce()` stored inline when it is small, the loop's queued callback.
//!
//! Timers and immediates keep their callback here instead of in a `Box`: closures of up to
//! three words (a counter `Rc`, a few captured values: most callbacks) live in the timer's or
//! immediate's own slab entry, bigger ones are boxed and the box (one word) is stored inline
//! the same way. For 1M timers firing this saves a `malloc` and a `free` per timer on memory
//! the timer lists already touch (`loop-timers/fire` went from 2.2M to 3.1M timers/s). The
//! nextTick and microtask queues keep `Box<dyn FnOnce()>`: measured, inline entries made
//! their chained case slower (77M to 58M ticks/s), although callgrind counted 2.3× fewer
//! instructions; glibc's per-thread cache makes a same-size malloc/free pair nearly free. This is the loop's second audited `unsafe` module (with
//! `sys::signal`): three `unsafe` blocks and one `unsafe fn`, each with its `SAFETY` reason.

use std::marker::PhantomData;
use std::mem::{ManuallyDrop, MaybeUninit, align_of, size_of};
use std::ptr;

/// Inline storage: three words, word-aligned.
type Storage = MaybeUninit<[usize; 3]>;

/// A type-erased `FnOnce()`, inline when it fits in three words.
pub(crate) struct SmallFn {
    data: Storage,
    /// Moves the closure out of `data`, then calls it (`true`) or drops it (`false`). One
    /// pointer rather than two keeps a `SmallFn` at four words, so that a timer's whole slab
    /// entry fits one cache line.
    run: unsafe fn(*mut Storage, bool),
    /// Closures need not be `Send`: neither is this.
    _not_send: PhantomData<*const ()>,
}

impl SmallFn {
    /// Stores `f`.
    pub(crate) fn new<F: FnOnce() + 'static>(f: F) -> SmallFn {
        if fits::<F>() {
            SmallFn::inline(f)
        } else {
            SmallFn::from_box(Box::new(f))
        }
    }

    /// A boxed closure, whose box (one word) is stored inline.
    fn from_box<F: FnOnce() + 'static>(boxed: Box<F>) -> SmallFn {
        SmallFn::inline(boxed)
    }

    /// Stores `f` inline.
    ///
    /// # Panics
    /// If `F` does not fit (never: both callers check, and a box always fits).
    fn inline<F: FnOnce() + 'static>(f: F) -> SmallFn {
        assert!(
            fits::<F>(),
            "SmallFn::inline of a closure that does not fit"
        );
        let mut data = Storage::uninit();
        // SAFETY: `F` fits in `Storage` in size and alignment (asserted just above), and
        // `data` is fresh, so writing an `F` at its start is in bounds and aligned; the value
        // is read back exactly once, by `run_inline::<F>`.
        unsafe { ptr::write(data.as_mut_ptr().cast::<F>(), f) };
        SmallFn {
            data,
            run: run_inline::<F>,
            _not_send: PhantomData,
        }
    }

    /// Calls the closure (consuming it).
    pub(crate) fn call(self) {
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `data` holds the closure `new` wrote and nothing has read it yet (`call`
        // consumes `self`, and `ManuallyDrop` keeps `Drop` from reading it a second time
        // after `call` has moved it out); `this.run` is `run_inline` for that same type.
        unsafe { (this.run)(&mut this.data, true) }
    }
}

impl Drop for SmallFn {
    fn drop(&mut self) {
        // SAFETY: a `SmallFn` that is dropped was never called (`call` wraps it in
        // `ManuallyDrop`), so `data` still holds the closure of the type `self.run` was
        // instantiated for; it is moved out and dropped once, here.
        unsafe { (self.run)(&mut self.data, false) }
    }
}

/// Whether an `F` fits in the inline storage.
const fn fits<F>() -> bool {
    size_of::<F>() <= size_of::<Storage>() && align_of::<F>() <= align_of::<Storage>()
}

/// Reads the `F` out of `data` and calls it (`call`) or drops it.
///
/// # Safety
/// `data` must hold an initialised `F` that is not read again afterwards.
unsafe fn run_inline<F: FnOnce()>(data: *mut Storage, call: bool) {
    // SAFETY: the caller guarantees an initialised `F` at the start of `data`, read only here.
    let f = unsafe { ptr::read(data.cast::<F>()) };
    if call {
        f();
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::SmallFn;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn small_and_large_closures_run_once_and_drop_once() {
        let runs = Rc::new(Cell::new(0));
        // Inline: an Rc and a u64.
        let (r, n) = (runs.clone(), 5u64);
        SmallFn::new(move || r.set(r.get() + n)).call();
        // Boxed: 64 bytes of captures.
        let (r, big) = (runs.clone(), [1u64; 8]);
        SmallFn::new(move || r.set(r.get() + big.iter().sum::<u64>())).call();
        assert_eq!(runs.get(), 13);
        // Every clone moved into a closure was dropped after the call.
        assert_eq!(Rc::strong_count(&runs), 1);
        // Dropped without being called: the captures are dropped, the body never runs.
        let r = runs.clone();
        drop(SmallFn::new(move || r.set(100)));
        let (r, big) = (runs.clone(), [0u8; 100]);
        drop(SmallFn::new(move || r.set(usize::from(big[0]) as u64)));
        assert_eq!((runs.get(), Rc::strong_count(&runs)), (13, 1));
    }

    #[test]
    fn a_panicking_closure_is_consumed_once() {
        let token = Rc::new(());
        let t = token.clone();
        let f = SmallFn::new(move || {
            let _keep = &t;
            panic!("boom");
        });
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f.call()));
        assert!(caught.is_err());
        // The closure (and its Rc) was dropped by the unwinding, and only once.
        assert_eq!(Rc::strong_count(&token), 1);
    }
}
