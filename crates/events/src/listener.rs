//! Listeners: typed, shareable callbacks with an identity ([`ListenerId`]), so that the same
//! listener can be added several times and removed by identity as in Node.

use std::fmt;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The identity of a listener (or of a once-wrapper), as a JavaScript function's identity.
///
/// Every [`Listener::new`] (and so every `on`/`once` given a closure) makes a new id; adding
/// the same [`Listener`] again keeps its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ListenerId(u64);

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl ListenerId {
    pub(crate) fn fresh() -> ListenerId {
        ListenerId(NEXT_ID.fetch_add(1, Ordering::Relaxed))
    }
}

/// A listener for payloads of type `P`: a shared callback with an identity.
///
/// Cloning keeps the identity. Add one `Listener` several times to get Node's "same function
/// added twice" behaviour.
///
/// ```
/// use nodestd_events::{EventEmitter, Listener, Named};
/// let em = EventEmitter::new();
/// let ev = Named::<i32>::new("n");
/// let l = Listener::new(|n: &i32| println!("{n}"));
/// em.on_with(ev.clone(), &l);
/// em.on_with(ev.clone(), &l);
/// assert_eq!(em.listener_count_of("n", l.id()), 2);
/// em.off("n", l.id()); // removes the most recently added instance
/// assert_eq!(em.listener_count("n"), 1);
/// ```
pub struct Listener<P: 'static> {
    id: ListenerId,
    f: Rc<dyn Fn(&P)>,
}

impl<P: 'static> Listener<P> {
    /// A new listener with a new identity.
    pub fn new(f: impl Fn(&P) + 'static) -> Listener<P> {
        Listener {
            id: ListenerId::fresh(),
            f: Rc::new(f),
        }
    }

    /// Its identity.
    ///
    /// ```
    /// use nodestd_events::Listener;
    /// let l = Listener::new(|_: &()| {});
    /// assert_eq!(l.clone().id(), l.id());
    /// assert_ne!(Listener::new(|_: &()| {}).id(), l.id());
    /// ```
    pub fn id(&self) -> ListenerId {
        self.id
    }

    /// Calls it with `payload`.
    ///
    /// ```
    /// use nodestd_events::Listener;
    /// use std::{cell::Cell, rc::Rc};
    /// let hits = Rc::new(Cell::new(0));
    /// let h = hits.clone();
    /// let l = Listener::new(move |n: &u8| h.set(h.get() + *n));
    /// l.call(&3);
    /// assert_eq!(hits.get(), 3);
    /// ```
    pub fn call(&self, payload: &P) {
        (self.f)(payload)
    }

    pub(crate) fn func(&self) -> &Rc<dyn Fn(&P)> {
        &self.f
    }

    pub(crate) fn from_parts(id: ListenerId, f: Rc<dyn Fn(&P)>) -> Listener<P> {
        Listener { id, f }
    }
}

impl<P: 'static> Clone for Listener<P> {
    fn clone(&self) -> Listener<P> {
        Listener {
            id: self.id,
            f: self.f.clone(),
        }
    }
}

impl<P: 'static> PartialEq for Listener<P> {
    fn eq(&self, other: &Listener<P>) -> bool {
        self.id == other.id
    }
}

impl<P: 'static> fmt::Debug for Listener<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Listener({})", self.id.0)
    }
}

/// One entry of [`EventEmitter::raw_listeners`](crate::EventEmitter::raw_listeners): a
/// listener, or the once-wrapper around one (Node's `rawListeners`).
#[derive(Debug, Clone)]
pub struct RawListener<P: 'static> {
    pub(crate) raw: ListenerId,
    pub(crate) listener: Listener<P>,
    pub(crate) once: bool,
}

impl<P: 'static> RawListener<P> {
    /// The identity of the entry: the listener's, or the once-wrapper's own (which `off`
    /// also accepts).
    pub fn id(&self) -> ListenerId {
        self.raw
    }

    /// The listener (inside its once-wrapper, if any).
    pub fn listener(&self) -> &Listener<P> {
        &self.listener
    }

    /// Whether this entry is a once-wrapper.
    pub fn is_once(&self) -> bool {
        self.once
    }
}
