//! Typed events: the [`Event`] trait (a name and a payload type), the string-keyed dynamic
//! events, Node's two meta events, and the [`event!`](crate::event!) macro for declaring
//! typed events.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use crate::listener::ListenerId;
use crate::name::{EventName, Symbol};

/// An event: its name, and the type of the payload its listeners receive (by reference).
///
/// Crates declare one type per event with [`event!`](crate::event!); dynamic code uses
/// [`Named<T>`] or a plain `&str` (payload `Box<dyn Any>`).
///
/// ```
/// use nodestd_events::{Event, EventName};
/// struct Exit;
/// impl Event for Exit {
///     type Payload = Option<i32>;
///     fn name(&self) -> EventName {
///         EventName::from_static("exit")
///     }
/// }
/// assert_eq!(Exit.name(), "exit");
/// ```
pub trait Event {
    /// What an emit of this event carries.
    type Payload: 'static;
    /// The event's name (listeners of all payload types share one list per name).
    fn name(&self) -> EventName;
}

/// Declares a typed event: a unit struct implementing [`Event`].
///
/// ```
/// use nodestd_events::{event, EventEmitter};
/// event!(
///     /// The child process exited.
///     pub Exit = "exit" => (Option<i32>, Option<String>)
/// );
/// let child = EventEmitter::with_name("ChildProcess");
/// child.on(Exit, |(code, signal)| println!("exit {code:?} {signal:?}"));
/// assert_eq!(child.emit(Exit, (Some(0), None)), Ok(true));
/// ```
#[macro_export]
macro_rules! event {
    ($(#[$meta:meta])* $vis:vis $ty:ident = $name:literal => $payload:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        $vis struct $ty;
        impl $crate::Event for $ty {
            type Payload = $payload;
            fn name(&self) -> $crate::EventName {
                $crate::EventName::from_static($name)
            }
        }
    };
}

/// A dynamic event: any name, with the payload type `T` chosen by the caller.
///
/// ```
/// use nodestd_events::{EventEmitter, Named};
/// let em = EventEmitter::new();
/// let tick = Named::<u32>::new("tick");
/// em.on(tick.clone(), |n| assert_eq!(*n, 7));
/// assert_eq!(em.emit(tick, 7), Ok(true));
/// ```
pub struct Named<T> {
    name: EventName,
    payload: PhantomData<fn(&T)>,
}

impl<T> Named<T> {
    /// The event called `name`.
    pub fn new(name: impl Into<EventName>) -> Named<T> {
        Named {
            name: name.into(),
            payload: PhantomData,
        }
    }

    /// The `error` event, with payload `T`. Emitting it with no `error` listener is an
    /// unhandled error (see [`EventEmitter::emit`](crate::EventEmitter::emit)).
    pub fn error() -> Named<T> {
        Named::new(EventName::from_static("error"))
    }

    /// The [`error_monitor`](crate::error_monitor) event, with payload `T` (the payload of the
    /// `error` events it watches).
    pub fn error_monitor() -> Named<T> {
        Named::new(crate::name::error_monitor())
    }

    /// The event named by `symbol`.
    pub fn symbol(symbol: Symbol) -> Named<T> {
        Named::new(symbol)
    }
}

impl<T> Clone for Named<T> {
    fn clone(&self) -> Named<T> {
        Named::new(self.name.clone())
    }
}

impl<T> fmt::Debug for Named<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Named<{}>({:?})", std::any::type_name::<T>(), self.name)
    }
}

impl<T: 'static> Event for Named<T> {
    type Payload = T;
    fn name(&self) -> EventName {
        self.name.clone()
    }
}

impl Event for &str {
    type Payload = Box<dyn Any>;
    fn name(&self) -> EventName {
        EventName::from(*self)
    }
}

impl Event for String {
    type Payload = Box<dyn Any>;
    fn name(&self) -> EventName {
        EventName::from(self.as_str())
    }
}

impl Event for EventName {
    type Payload = Box<dyn Any>;
    fn name(&self) -> EventName {
        self.clone()
    }
}

impl Event for Symbol {
    type Payload = Box<dyn Any>;
    fn name(&self) -> EventName {
        EventName::from(self.clone())
    }
}

/// The payload of [`NewListener`] and [`RemoveListener`]: Node's `(eventName, listener)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerChange {
    /// The event whose listener list changes.
    pub event: EventName,
    /// The listener itself (for a `once` listener, the function given to `once`).
    pub listener: ListenerId,
    /// `Some(id of the once-wrapper)` where Node passes the once-wrapper function rather than
    /// the listener: when a `once` listener is removed from a list of two or more by its
    /// wrapper (it fired, or `remove_all_listeners` removed it).
    pub wrapper: Option<ListenerId>,
}

/// Node's `newListener` event, emitted before a listener is added.
///
/// ```
/// use nodestd_events::{EventEmitter, Named, NewListener};
/// use std::{cell::RefCell, rc::Rc};
/// let em = EventEmitter::new();
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let s = seen.clone();
/// em.on(NewListener, move |c| s.borrow_mut().push(c.event.to_string()));
/// em.on(Named::<()>::new("data"), |_| {});
/// assert_eq!(*seen.borrow(), ["data"]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NewListener;

impl Event for NewListener {
    type Payload = ListenerChange;
    fn name(&self) -> EventName {
        EventName::from_static("newListener")
    }
}

/// Node's `removeListener` event, emitted after a listener is removed.
///
/// ```
/// use nodestd_events::{EventEmitter, Named, RemoveListener};
/// use std::{cell::Cell, rc::Rc};
/// let em = EventEmitter::new();
/// let removed = Rc::new(Cell::new(None));
/// let r = removed.clone();
/// em.on(RemoveListener, move |c| r.set(Some(c.listener)));
/// let id = em.on(Named::<()>::new("data"), |_| {});
/// em.off("data", id);
/// assert_eq!(removed.get(), Some(id));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RemoveListener;

impl Event for RemoveListener {
    type Payload = ListenerChange;
    fn name(&self) -> EventName {
        EventName::from_static("removeListener")
    }
}
