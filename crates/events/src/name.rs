//! Event names: strings or symbols, as Node's `_events` object keys, and the order in which
//! `Reflect.ownKeys` lists them.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The name of an event: a string, or a [`Symbol`] (Node allows both as event names).
///
/// Two string names are equal when their text is; two symbol names when they are the same
/// symbol. Cloning is cheap.
///
/// ```
/// use nodestd_events::{EventName, Symbol};
/// assert_eq!(EventName::from("data"), EventName::from_static("data"));
/// let s = Symbol::new("private");
/// assert_eq!(EventName::from(s.clone()), EventName::from(s));
/// assert_ne!(EventName::from(Symbol::new("x")), EventName::from(Symbol::new("x")));
/// assert_eq!(EventName::from(Symbol::new("x")).to_string(), "Symbol(x)");
/// ```
#[derive(Clone)]
pub struct EventName(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Rc<str>),
    Symbol(Symbol),
}

impl EventName {
    /// A string name without allocating.
    ///
    /// ```
    /// use nodestd_events::EventName;
    /// const CLOSE: EventName = EventName::from_static("close");
    /// assert_eq!(CLOSE, "close");
    /// ```
    pub const fn from_static(name: &'static str) -> EventName {
        EventName(Repr::Static(name))
    }

    /// The text of a string name, `None` for a symbol.
    ///
    /// ```
    /// use nodestd_events::EventName;
    /// assert_eq!(EventName::from("end").as_str(), Some("end"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Static(s) => Some(s),
            Repr::Shared(s) => Some(s),
            Repr::Symbol(_) => None,
        }
    }

    /// The symbol of a symbol name, `None` for a string.
    ///
    /// ```
    /// use nodestd_events::{error_monitor, EventName};
    /// assert!(EventName::from(error_monitor()).as_symbol().is_some());
    /// ```
    pub fn as_symbol(&self) -> Option<&Symbol> {
        match &self.0 {
            Repr::Symbol(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is the string name `name`.
    pub(crate) fn is(&self, name: &str) -> bool {
        self.as_str() == Some(name)
    }

    /// Node's `Reflect.ownKeys` rank: array-index strings first (by value), then the other
    /// strings, then symbols (both in insertion order).
    pub(crate) fn key_class(&self) -> (u8, u32) {
        match &self.0 {
            Repr::Symbol(_) => (2, 0),
            _ => match self.as_str().and_then(array_index) {
                Some(i) => (0, i),
                None => (1, 0),
            },
        }
    }
}

/// `Some(n)` when `s` is the canonical decimal form of an array index (0 ..= 2^32 - 2).
fn array_index(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() > 1 && s.starts_with('0') {
        return None;
    }
    let n: u64 = s.parse().ok()?;
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

impl PartialEq for EventName {
    fn eq(&self, other: &EventName) -> bool {
        match (&self.0, &other.0) {
            (Repr::Symbol(a), Repr::Symbol(b)) => a == b,
            (Repr::Symbol(_), _) | (_, Repr::Symbol(_)) => false,
            _ => self.as_str() == other.as_str(),
        }
    }
}

impl Eq for EventName {}

impl Hash for EventName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Symbol(s) => s.hash(state),
            _ => self.as_str().hash(state),
        }
    }
}

impl fmt::Display for EventName {
    /// Node's `String(name)`: the text, or `Symbol(description)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Symbol(s) => s.fmt(f),
            _ => f.write_str(self.as_str().unwrap_or_default()),
        }
    }
}

impl fmt::Debug for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Symbol(s) => s.fmt(f),
            _ => write!(f, "{:?}", self.as_str().unwrap_or_default()),
        }
    }
}

impl From<&str> for EventName {
    fn from(s: &str) -> EventName {
        EventName(Repr::Shared(Rc::from(s)))
    }
}

impl From<String> for EventName {
    fn from(s: String) -> EventName {
        EventName(Repr::Shared(Rc::from(s)))
    }
}

impl From<Symbol> for EventName {
    fn from(s: Symbol) -> EventName {
        EventName(Repr::Symbol(s))
    }
}

impl PartialEq<str> for EventName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for EventName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// A unique name, like a JavaScript `Symbol`: equal only to its clones.
///
/// ```
/// use nodestd_events::Symbol;
/// let a = Symbol::new("tick");
/// assert_eq!(a, a.clone());
/// assert_ne!(a, Symbol::new("tick"));
/// assert_eq!(a.description(), "tick");
/// ```
#[derive(Clone)]
pub struct Symbol {
    id: u64,
    description: &'static str,
    owned: Option<Rc<str>>,
}

/// Symbol ids; 0 is [`error_monitor`]'s.
static NEXT_SYMBOL: AtomicU64 = AtomicU64::new(1);

impl Symbol {
    /// A new symbol, different from every other.
    pub fn new(description: &str) -> Symbol {
        Symbol {
            id: NEXT_SYMBOL.fetch_add(1, Ordering::Relaxed),
            description: "",
            owned: Some(Rc::from(description)),
        }
    }

    /// The description given at creation.
    pub fn description(&self) -> &str {
        self.owned.as_deref().unwrap_or(self.description)
    }
}

/// Node's `events.errorMonitor`: the symbol whose listeners see every `error` event before
/// the `error` listeners, without counting as handling it.
///
/// ```
/// use nodestd_events::error_monitor;
/// assert_eq!(error_monitor(), error_monitor());
/// assert_eq!(error_monitor().to_string(), "Symbol(events.errorMonitor)");
/// ```
pub fn error_monitor() -> Symbol {
    Symbol {
        id: 0,
        description: "events.errorMonitor",
        owned: None,
    }
}

impl PartialEq for Symbol {
    fn eq(&self, other: &Symbol) -> bool {
        self.id == other.id
    }
}

impl Eq for Symbol {}

impl Hash for Symbol {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Symbol({})", self.description())
    }
}

impl fmt::Debug for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_indices() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("10"), Some(10));
        assert_eq!(array_index("4294967294"), Some(4_294_967_294));
        assert_eq!(array_index("4294967295"), None);
        assert_eq!(array_index("01"), None);
        assert_eq!(array_index(""), None);
        assert_eq!(array_index("-1"), None);
        assert_eq!(array_index("1.5"), None);
    }
}
