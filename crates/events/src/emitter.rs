//! [`EventEmitter`]: Node's `lib/events.js` listener bookkeeping, statement for statement
//! where it shows (a one-listener slot that grows into a list, the `warned` flag living on
//! that list, the live list walked by `removeAllListeners(type)`).

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use crate::error::UnhandledError;
use crate::event::{Event, ListenerChange, NewListener, RemoveListener};
use crate::listener::{Listener, ListenerId, RawListener};
use crate::name::{EventName, error_monitor};
use crate::warning::{Warning, default_max_listeners, emit_warning};

/// One registered listener (Node's function, or its once-wrapper).
struct Entry {
    /// The identity stored in the list: the listener's, or the once-wrapper's.
    raw: ListenerId,
    /// The listener's own identity (`wrapper.listener` in Node).
    listener: ListenerId,
    /// An `Rc<dyn Fn(&P)>` for the payload type `P` it was added with.
    func: Rc<dyn Any>,
    /// `Some(fired)` for a once-wrapper.
    fired: Option<Cell<bool>>,
}

/// A list of two or more listeners; `warned` belongs to the list, as in Node, so a list that
/// shrinks back to one listener and grows again warns again.
struct List {
    entries: Vec<Rc<Entry>>,
    warned: bool,
}

/// Node's `_events[type]`: one function, or an array.
enum Slot {
    One(Rc<Entry>),
    Many(Rc<RefCell<List>>),
}

/// Node's `_events` object. Emptying the emitter replaces the object (Node assigns a new
/// `{ __proto__: null }`), and an emit keeps reading the object it started with, so it is
/// shared (`Rc`) rather than owned.
#[derive(Default)]
struct Events {
    /// Keys in insertion order (Node's object-key order is computed from it).
    events: Vec<(EventName, Slot)>,
}

impl Events {
    fn position(&self, name: &EventName) -> Option<usize> {
        self.events.iter().position(|(n, _)| n == name)
    }

    fn slot(&self, name: &EventName) -> Option<&Slot> {
        self.events.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    fn has(&self, name: &EventName) -> bool {
        self.position(name).is_some()
    }

    fn has_str(&self, name: &str) -> bool {
        self.events.iter().any(|(n, _)| n.is(name))
    }

    fn entries(&self, name: &EventName) -> Vec<Rc<Entry>> {
        match self.slot(name) {
            None => Vec::new(),
            Some(Slot::One(e)) => vec![e.clone()],
            Some(Slot::Many(l)) => l.borrow().entries.clone(),
        }
    }

    fn remove_key(&mut self, name: &EventName) {
        if let Some(i) = self.position(name) {
            self.events.remove(i);
        }
    }

    /// `Reflect.ownKeys(this._events)`.
    fn own_keys(&self) -> Vec<EventName> {
        let mut keys: Vec<(usize, &EventName)> =
            self.events.iter().map(|(n, _)| n).enumerate().collect();
        keys.sort_by_key(|(i, n)| {
            let (class, index) = n.key_class();
            (class, index, *i)
        });
        keys.into_iter().map(|(_, n)| n.clone()).collect()
    }
}

struct Inner {
    /// The current `_events` object.
    events: RefCell<Rc<RefCell<Events>>>,
    /// `_maxListeners`; `None` follows the thread's default.
    max_listeners: Cell<Option<usize>>,
    /// Shown in the max-listeners warning as `[name]`.
    name: String,
}

/// Node's `EventEmitter`, single-threaded like Node: a cheap handle (`Rc`) to one emitter,
/// whose listeners may add, remove and emit re-entrantly.
///
/// Listeners receive `&Payload`; see [`Event`] for typed events and the string-keyed forms.
///
/// ```
/// use nodestd_events::{EventEmitter, Named};
/// use std::{cell::RefCell, rc::Rc};
/// let em = EventEmitter::new();
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let ev = Named::<&str>::new("greet");
/// let l = log.clone();
/// em.on(ev.clone(), move |who| l.borrow_mut().push(format!("hello {who}")));
/// let l = log.clone();
/// em.once(ev.clone(), move |who| l.borrow_mut().push(format!("once {who}")));
/// assert_eq!(em.emit(ev.clone(), "a"), Ok(true));
/// assert_eq!(em.emit(ev.clone(), "b"), Ok(true));
/// assert_eq!(*log.borrow(), ["hello a", "once a", "hello b"]);
/// assert_eq!(em.emit(Named::<()>::new("other"), ()), Ok(false));
/// ```
#[derive(Clone)]
pub struct EventEmitter {
    inner: Rc<Inner>,
}

/// A weak handle to an [`EventEmitter`], for listeners that refer back to their emitter
/// without keeping it alive.
#[derive(Clone)]
pub struct WeakEventEmitter {
    inner: Weak<Inner>,
}

impl WeakEventEmitter {
    /// The emitter, if it is still alive.
    ///
    /// ```
    /// let em = nodestd_events::EventEmitter::new();
    /// let weak = em.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// drop(em);
    /// assert!(weak.upgrade().is_none());
    /// ```
    pub fn upgrade(&self) -> Option<EventEmitter> {
        self.inner.upgrade().map(|inner| EventEmitter { inner })
    }
}

impl Default for EventEmitter {
    fn default() -> EventEmitter {
        EventEmitter::new()
    }
}

impl fmt::Debug for EventEmitter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {:?}", self.inner.name, self.event_names())
    }
}

impl PartialEq for EventEmitter {
    /// The same emitter.
    fn eq(&self, other: &EventEmitter) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl EventEmitter {
    /// `new EventEmitter()`.
    pub fn new() -> EventEmitter {
        EventEmitter::with_name("EventEmitter")
    }

    /// An emitter shown as `[name]` in warnings, as Node shows a subclass instance
    /// (`[ChildProcess]`).
    ///
    /// ```
    /// let child = nodestd_events::EventEmitter::with_name("ChildProcess");
    /// assert_eq!(format!("{child:?}"), "[ChildProcess] []");
    /// ```
    pub fn with_name(name: &str) -> EventEmitter {
        EventEmitter {
            inner: Rc::new(Inner {
                events: RefCell::new(Rc::default()),
                max_listeners: Cell::new(None),
                name: name.to_owned(),
            }),
        }
    }

    /// The current `_events` object.
    fn obj(&self) -> Rc<RefCell<Events>> {
        self.inner.events.borrow().clone()
    }

    /// `this._events = { __proto__: null }`: a new, empty object (the old one is left as it
    /// is, for emits still reading it).
    fn reset(&self) {
        *self.inner.events.borrow_mut() = Rc::default();
    }

    /// A weak handle, for a listener that calls back into its emitter without a cycle.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let weak = em.downgrade();
    /// let ev = Named::<()>::new("x");
    /// em.on(ev.clone(), move |_| {
    ///     if let Some(em) = weak.upgrade() {
    ///         em.remove_all_listeners(Some("x"));
    ///     }
    /// });
    /// em.emit(ev, ()).unwrap();
    /// assert_eq!(em.listener_count("x"), 0);
    /// ```
    pub fn downgrade(&self) -> WeakEventEmitter {
        WeakEventEmitter {
            inner: Rc::downgrade(&self.inner),
        }
    }

    /// `emitter.on(event, listener)` (alias [`add_listener`](Self::add_listener)): appends
    /// the listener, after emitting `newListener`. Returns the listener's id.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let id = em.on(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_ids("x"), [id]);
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Payload) + 'static) -> ListenerId {
        self.on_with(event, &Listener::new(listener))
    }

    /// [`on`](Self::on) with an existing [`Listener`]: adding one listener twice registers it
    /// twice, as adding one JavaScript function twice does.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Listener, Named};
    /// let em = EventEmitter::new();
    /// let l = Listener::new(|_: &u8| {});
    /// em.on_with(Named::new("x"), &l);
    /// em.on_with(Named::new("x"), &l);
    /// assert_eq!(em.listener_ids("x"), [l.id(), l.id()]);
    /// ```
    pub fn on_with<E: Event>(&self, event: E, listener: &Listener<E::Payload>) -> ListenerId {
        self.add(event.name(), plain(listener), false);
        listener.id()
    }

    /// Same as [`on`](Self::on).
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// em.add_listener(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_count("x"), 1);
    /// ```
    pub fn add_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Payload) + 'static,
    ) -> ListenerId {
        self.on(event, listener)
    }

    /// `emitter.prependListener(event, listener)`: adds the listener at the front.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let a = em.on(Named::<u8>::new("x"), |_| {});
    /// let b = em.prepend_listener(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_ids("x"), [b, a]);
    /// ```
    #[doc(alias = "prependListener")]
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Payload) + 'static,
    ) -> ListenerId {
        self.prepend_listener_with(event, &Listener::new(listener))
    }

    /// [`prepend_listener`](Self::prepend_listener) with an existing [`Listener`].
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Listener, Named};
    /// let em = EventEmitter::new();
    /// let l = Listener::new(|_: &u8| {});
    /// let a = em.on(Named::new("x"), |_: &u8| {});
    /// em.prepend_listener_with(Named::new("x"), &l);
    /// assert_eq!(em.listener_ids("x"), [l.id(), a]);
    /// ```
    pub fn prepend_listener_with<E: Event>(
        &self,
        event: E,
        listener: &Listener<E::Payload>,
    ) -> ListenerId {
        self.add(event.name(), plain(listener), true);
        listener.id()
    }

    /// `emitter.once(event, listener)`: the listener is removed before its first call.
    /// Returns the listener's id (which `off` accepts, as Node accepts the original
    /// function).
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// use std::{cell::Cell, rc::Rc};
    /// let em = EventEmitter::new();
    /// let n = Rc::new(Cell::new(0));
    /// let c = n.clone();
    /// em.once(Named::<()>::new("x"), move |_| c.set(c.get() + 1));
    /// em.emit(Named::<()>::new("x"), ()).unwrap();
    /// em.emit(Named::<()>::new("x"), ()).unwrap();
    /// assert_eq!(n.get(), 1);
    /// ```
    pub fn once<E: Event>(&self, event: E, listener: impl Fn(&E::Payload) + 'static) -> ListenerId {
        self.once_with(event, &Listener::new(listener))
    }

    /// [`once`](Self::once) with an existing [`Listener`] (each call makes a new
    /// once-wrapper around it).
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Listener, Named};
    /// let em = EventEmitter::new();
    /// let l = Listener::new(|_: &u8| {});
    /// em.once_with(Named::new("x"), &l);
    /// em.on_with(Named::new("x"), &l);
    /// em.off("x", l.id()); // the most recent instance: the plain one
    /// assert!(em.raw_listeners(Named::<u8>::new("x"))[0].is_once());
    /// ```
    pub fn once_with<E: Event>(&self, event: E, listener: &Listener<E::Payload>) -> ListenerId {
        self.add(event.name(), wrapped(listener), false);
        listener.id()
    }

    /// `emitter.prependOnceListener(event, listener)`.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let a = em.on(Named::<u8>::new("x"), |_| {});
    /// let b = em.prepend_once_listener(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_ids("x"), [b, a]);
    /// ```
    #[doc(alias = "prependOnceListener")]
    pub fn prepend_once_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Payload) + 'static,
    ) -> ListenerId {
        self.prepend_once_listener_with(event, &Listener::new(listener))
    }

    /// [`prepend_once_listener`](Self::prepend_once_listener) with an existing [`Listener`].
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Listener, Named};
    /// let em = EventEmitter::new();
    /// let l = Listener::new(|_: &u8| {});
    /// em.on(Named::new("x"), |_: &u8| {});
    /// em.prepend_once_listener_with(Named::new("x"), &l);
    /// assert_eq!(em.listener_ids("x")[0], l.id());
    /// ```
    pub fn prepend_once_listener_with<E: Event>(
        &self,
        event: E,
        listener: &Listener<E::Payload>,
    ) -> ListenerId {
        self.add(event.name(), wrapped(listener), true);
        listener.id()
    }

    /// Node's `_addListener`.
    fn add(&self, name: EventName, entry: Entry, prepend: bool) {
        let entry = Rc::new(entry);
        if self.obj().borrow().has_str("newListener") {
            let change = ListenerChange {
                event: name.clone(),
                listener: entry.listener,
                wrapper: None,
            };
            self.emit_ref(&NewListener.name(), &change);
        }
        let warning = {
            let obj = self.obj();
            let mut state = obj.borrow_mut();
            let max = self.get_max_listeners();
            let list = match state.position(&name) {
                None => {
                    state.events.push((name.clone(), Slot::One(entry)));
                    return;
                }
                Some(i) => {
                    let slot = &mut state.events[i].1;
                    match slot {
                        Slot::One(existing) => {
                            let entries = if prepend {
                                vec![entry, existing.clone()]
                            } else {
                                vec![existing.clone(), entry]
                            };
                            let list = Rc::new(RefCell::new(List {
                                entries,
                                warned: false,
                            }));
                            *slot = Slot::Many(list.clone());
                            list
                        }
                        Slot::Many(list) => {
                            let mut l = list.borrow_mut();
                            if prepend {
                                l.entries.insert(0, entry);
                            } else {
                                l.entries.push(entry);
                            }
                            drop(l);
                            list.clone()
                        }
                    }
                }
            };
            let mut list = list.borrow_mut();
            let count = list.entries.len();
            if max > 0 && count > max && !list.warned {
                list.warned = true;
                let emitter = format!("[{}]", self.inner.name);
                Some(Warning {
                    name: "MaxListenersExceededWarning",
                    message: format!(
                        "Possible EventEmitter memory leak detected. {count} {name} listeners \
                         added to {emitter}. MaxListeners is {max}. Use \
                         emitter.setMaxListeners() to increase limit"
                    ),
                    event: name.to_string(),
                    count,
                    emitter,
                })
            } else {
                None
            }
        };
        if let Some(w) = warning {
            emit_warning(&w);
        }
    }

    /// `emitter.off(event, listener)` (alias [`remove_listener`](Self::remove_listener)):
    /// removes the most recently added instance of the listener (matching a once-wrapper by
    /// its listener too), then emits `removeListener`. Unknown ids are ignored.
    ///
    /// Here and in the other methods that take no payload, `event` is any [`Event`] (a typed
    /// event, a `&str`, an [`EventName`], a [`Symbol`](crate::Symbol)…), whatever the
    /// listeners' payload types.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let id = em.once(Named::<u8>::new("x"), |_| {});
    /// em.off("x", id);
    /// assert_eq!(em.listener_count("x"), 0);
    /// ```
    pub fn off(&self, event: impl Event, listener: ListenerId) {
        self.remove(&event.name(), listener);
    }

    /// Same as [`off`](Self::off).
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let id = em.on(Named::<u8>::new("x"), |_| {});
    /// em.remove_listener("x", id);
    /// assert!(em.event_names().is_empty());
    /// ```
    pub fn remove_listener(&self, event: impl Event, listener: ListenerId) {
        self.remove(&event.name(), listener);
    }

    /// Node's `removeListener`.
    fn remove(&self, name: &EventName, arg: ListenerId) {
        let change = {
            let obj = self.obj();
            let mut state = obj.borrow_mut();
            let Some(i) = state.position(name) else {
                return;
            };
            match &state.events[i].1 {
                Slot::One(e) => {
                    if e.raw != arg && e.listener != arg {
                        return;
                    }
                    let listener = e.listener;
                    if state.events.len() == 1 {
                        drop(state);
                        self.reset();
                        return;
                    }
                    state.events.remove(i);
                    if !state.has_str("removeListener") {
                        return;
                    }
                    ListenerChange {
                        event: name.clone(),
                        listener,
                        wrapper: None,
                    }
                }
                Slot::Many(list) => {
                    let list = list.clone();
                    let mut l = list.borrow_mut();
                    let Some(pos) = l
                        .entries
                        .iter()
                        .rposition(|e| e.raw == arg || e.listener == arg)
                    else {
                        return;
                    };
                    let removed = l.entries.remove(pos);
                    if l.entries.len() == 1 {
                        state.events[i].1 = Slot::One(l.entries[0].clone());
                    }
                    if !state.has_str("removeListener") {
                        return;
                    }
                    let wrapper = (removed.fired.is_some() && removed.raw == arg).then_some(arg);
                    ListenerChange {
                        event: name.clone(),
                        listener: removed.listener,
                        wrapper,
                    }
                }
            }
        };
        self.emit_ref(&RemoveListener.name(), &change);
    }

    /// `emitter.removeAllListeners([event])`: with `None`, every event's listeners (each
    /// event LIFO, `removeListener`'s own last); with `Some(event)`, that event's. Emits
    /// `removeListener` for each removed listener when someone listens to it.
    ///
    /// Returns `true`, or `false` where Node throws instead of finishing: `removeListener`
    /// listeners removed more than the listener being removed, so Node's walk of the list
    /// reads past its end (`ERR_INVALID_ARG_TYPE`). The call stops at that point, as Node's
    /// throw stops it.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// em.on(Named::<u8>::new("a"), |_| {});
    /// em.on(Named::<u8>::new("b"), |_| {});
    /// em.remove_all_listeners(Some("a"));
    /// assert_eq!(em.event_names(), ["b"]);
    /// em.remove_all_listeners(None::<&str>);
    /// assert!(em.event_names().is_empty());
    /// ```
    #[doc(alias = "removeAllListeners")]
    pub fn remove_all_listeners<E: Event>(&self, event: Option<E>) -> bool {
        self.remove_all(event.map(|e| e.name()))
    }

    /// Node's `removeAllListeners`. Returns `false` where Node throws: its LIFO walk found
    /// the list shorter than its index (listeners of `removeListener` removed more than the
    /// one listener being removed); the whole call stops there, as Node's throw stops it.
    fn remove_all(&self, event: Option<EventName>) -> bool {
        let keys = {
            let obj = self.obj();
            let mut state = obj.borrow_mut();
            if !state.has_str("removeListener") {
                match &event {
                    None => {
                        drop(state);
                        self.reset();
                    }
                    Some(name) if state.has(name) => {
                        if state.events.len() == 1 {
                            drop(state);
                            self.reset();
                        } else {
                            state.remove_key(name);
                        }
                    }
                    Some(_) => {}
                }
                return true;
            }
            match &event {
                None => Some(state.own_keys()),
                Some(_) => None,
            }
        };
        let Some(name) = event else {
            for key in keys.unwrap_or_default() {
                if !key.is("removeListener") && !self.remove_all(Some(key)) {
                    return false;
                }
            }
            if !self.remove_all(Some(RemoveListener.name())) {
                return false;
            }
            self.reset();
            return true;
        };
        let slot = match self.obj().borrow().slot(&name) {
            None => return true,
            Some(Slot::One(e)) => Err(e.raw),
            Some(Slot::Many(list)) => Ok(list.clone()),
        };
        match slot {
            Err(raw) => self.remove(&name, raw),
            Ok(list) => {
                // LIFO over the live list, as Node walks `listeners[i]` of the array it read
                // first.
                let len = list.borrow().entries.len();
                for i in (0..len).rev() {
                    let raw = match list.borrow().entries.get(i) {
                        Some(e) => e.raw,
                        None => return false,
                    };
                    self.remove(&name, raw);
                }
            }
        }
        true
    }

    /// `emitter.emit(event, payload)`: calls the event's listeners in order, on a copy of the
    /// list (listeners added or removed meanwhile do not change this emit). Returns whether
    /// the event had listeners.
    ///
    /// An `error` event first goes to the [`error_monitor`](crate::error_monitor) listeners.
    ///
    /// Listeners added with another payload type under the same name are skipped (they still
    /// count as listeners).
    ///
    /// # Errors
    /// [`UnhandledError`] (carrying the payload) when the event is `error` and it has no
    /// listener: where Node throws.
    ///
    /// ```
    /// use nodestd_events::{error_monitor, EventEmitter, Named};
    /// use std::{cell::Cell, rc::Rc};
    /// let em = EventEmitter::new();
    /// let seen = Rc::new(Cell::new(0));
    /// let s = seen.clone();
    /// em.on(Named::<i32>::error_monitor(), move |e| s.set(*e));
    /// let err = em.emit(Named::<i32>::error(), 42).unwrap_err();
    /// assert_eq!(seen.get(), 42);
    /// assert_eq!(err.to_string(), "Unhandled error. (42)");
    /// ```
    pub fn emit<E: Event>(&self, event: E, payload: E::Payload) -> Result<bool, UnhandledError> {
        let name = event.name();
        // Node reads `this._events` once: the monitors below may replace it, and this emit
        // then goes on with the object it started with.
        let obj = self.obj();
        if name.is("error") {
            let monitor = EventName::from(error_monitor());
            let monitored = obj.borrow().has(&monitor);
            if monitored {
                self.emit_ref(&monitor, &payload);
            }
            // Read after the monitors ran, as Node does: one of them may have added the
            // first `error` listener.
            if !obj.borrow().has(&name) {
                return Err(UnhandledError::new(payload));
            }
        }
        Ok(self.emit_in(&obj, &name, &payload))
    }

    /// Calls `name`'s listeners with `payload` (no `error` check).
    fn emit_ref<P: 'static>(&self, name: &EventName, payload: &P) -> bool {
        self.emit_in(&self.obj(), name, payload)
    }

    /// Calls the listeners `obj` holds for `name`, on a copy of the list.
    fn emit_in<P: 'static>(&self, obj: &RefCell<Events>, name: &EventName, payload: &P) -> bool {
        let entries = {
            let state = obj.borrow();
            if !state.has(name) {
                return false;
            }
            state.entries(name)
        };
        for entry in entries {
            let Some(f) = entry.func.downcast_ref::<Rc<dyn Fn(&P)>>() else {
                continue;
            };
            match &entry.fired {
                None => f(payload),
                Some(fired) => {
                    if !fired.get() {
                        self.remove(name, entry.raw);
                        fired.set(true);
                        f(payload);
                    }
                }
            }
        }
        true
    }

    /// `emitter.listenerCount(event)`: how many listeners the event has.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// em.on(Named::<u8>::new("x"), |_| {});
    /// em.once(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_count("x"), 2);
    /// ```
    #[doc(alias = "listenerCount")]
    pub fn listener_count(&self, event: impl Event) -> usize {
        let obj = self.obj();
        let state = obj.borrow();
        match state.slot(&event.name()) {
            None => 0,
            Some(Slot::One(_)) => 1,
            Some(Slot::Many(l)) => l.borrow().entries.len(),
        }
    }

    /// `emitter.listenerCount(event, listener)`: how many times the listener (or a
    /// once-wrapper of it) is registered for the event.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Listener, Named};
    /// let em = EventEmitter::new();
    /// let l = Listener::new(|_: &u8| {});
    /// em.on_with(Named::new("x"), &l);
    /// em.once_with(Named::new("x"), &l);
    /// em.on(Named::<u8>::new("x"), |_| {});
    /// assert_eq!(em.listener_count_of("x", l.id()), 2);
    /// ```
    #[doc(alias = "listenerCount")]
    pub fn listener_count_of(&self, event: impl Event, listener: ListenerId) -> usize {
        self.obj()
            .borrow()
            .entries(&event.name())
            .iter()
            .filter(|e| e.raw == listener || e.listener == listener)
            .count()
    }

    /// `emitter.listeners(event)`: the listeners of payload type `E::Payload`, once-wrappers
    /// unwrapped (entries of other payload types are left out).
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let ev = Named::<u8>::new("x");
    /// let id = em.once(ev.clone(), |_| {});
    /// let ls = em.listeners(ev);
    /// assert_eq!(ls[0].id(), id);
    /// ```
    pub fn listeners<E: Event>(&self, event: E) -> Vec<Listener<E::Payload>> {
        self.raw_listeners(event)
            .into_iter()
            .map(|r| r.listener)
            .collect()
    }

    /// The ids of `listeners(event)` of every payload type, once-wrappers unwrapped.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let a = em.on(Named::<u8>::new("x"), |_| {});
    /// let b = em.on(Named::<String>::new("x"), |_| {});
    /// assert_eq!(em.listener_ids("x"), [a, b]);
    /// ```
    pub fn listener_ids(&self, event: impl Event) -> Vec<ListenerId> {
        let entries = self.obj().borrow().entries(&event.name());
        entries.iter().map(|e| e.listener).collect()
    }

    /// `emitter.rawListeners(event)`: the entries of payload type `E::Payload`, with
    /// once-wrappers shown as such.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// let ev = Named::<u8>::new("x");
    /// let id = em.once(ev.clone(), |_| {});
    /// let raw = em.raw_listeners(ev);
    /// assert!(raw[0].is_once());
    /// assert_eq!(raw[0].listener().id(), id);
    /// assert_ne!(raw[0].id(), id);
    /// ```
    #[doc(alias = "rawListeners")]
    pub fn raw_listeners<E: Event>(&self, event: E) -> Vec<RawListener<E::Payload>> {
        let entries = self.obj().borrow().entries(&event.name());
        entries
            .iter()
            .filter_map(|e| {
                let f = e.func.downcast_ref::<Rc<dyn Fn(&E::Payload)>>()?;
                Some(RawListener {
                    raw: e.raw,
                    listener: Listener::from_parts(e.listener, f.clone()),
                    once: e.fired.is_some(),
                })
            })
            .collect()
    }

    /// `emitter.eventNames()`, in Node's order: array-index names (`"0"`, `"1"`, …) by value,
    /// then other strings, then symbols, each group in the order the event got its first
    /// listener.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let em = EventEmitter::new();
    /// for name in ["b", "2", "a", "1"] {
    ///     em.on(Named::<()>::new(name), |_| {});
    /// }
    /// assert_eq!(em.event_names(), ["1", "2", "b", "a"]);
    /// ```
    #[doc(alias = "eventNames")]
    pub fn event_names(&self) -> Vec<EventName> {
        self.obj().borrow().own_keys()
    }

    /// `emitter.setMaxListeners(n)`: warn when an event gets more than `n` listeners; 0
    /// means no limit (Node's 0 or `Infinity`).
    ///
    /// ```
    /// let em = nodestd_events::EventEmitter::new();
    /// em.set_max_listeners(3);
    /// assert_eq!(em.get_max_listeners(), 3);
    /// ```
    #[doc(alias = "setMaxListeners")]
    pub fn set_max_listeners(&self, n: usize) -> &EventEmitter {
        self.inner.max_listeners.set(Some(n));
        self
    }

    /// `emitter.getMaxListeners()`: its own limit, or the thread's
    /// [`default_max_listeners`](crate::default_max_listeners).
    ///
    /// ```
    /// assert_eq!(nodestd_events::EventEmitter::new().get_max_listeners(), 10);
    /// ```
    #[doc(alias = "getMaxListeners")]
    pub fn get_max_listeners(&self) -> usize {
        self.inner
            .max_listeners
            .get()
            .unwrap_or_else(default_max_listeners)
    }
}

/// A plain entry for `l`.
fn plain<P: 'static>(l: &Listener<P>) -> Entry {
    Entry {
        raw: l.id(),
        listener: l.id(),
        func: Rc::new(l.func().clone()),
        fired: None,
    }
}

/// A once-wrapper entry for `l` (Node's `_onceWrap`), with its own identity.
fn wrapped<P: 'static>(l: &Listener<P>) -> Entry {
    Entry {
        raw: ListenerId::fresh(),
        listener: l.id(),
        func: Rc::new(l.func().clone()),
        fired: Some(Cell::new(false)),
    }
}
