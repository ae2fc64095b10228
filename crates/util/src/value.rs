//! The value model: the JavaScript values nodestd's crates hand back, as `util.inspect` and
//! `util.format` see them.

/// A JavaScript value (no symbols, functions, prototypes or cycles).
///
/// ```
/// use nodestd_util::{Value, inspect};
/// let v = Value::object([("a", Value::from(1)), ("b", Value::array([Value::Null, "x".into()]))]);
/// assert_eq!(inspect(&v), "{ a: 1, b: [ null, 'x' ] }");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// `undefined`.
    Undefined,
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A Number (`-0`, `NaN` and the infinities included).
    Number(f64),
    /// A BigInt.
    BigInt(i128),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// A plain object: own enumerable string keys in JavaScript's property order.
    Object(Vec<(String, Value)>),
    /// A `Map`, in insertion order.
    Map(Vec<(Value, Value)>),
    /// A `Set`, in insertion order.
    Set(Vec<Value>),
    /// A `Buffer`.
    Buffer(Vec<u8>),
    /// An `Error` (`name` is `Error`, `TypeError` …) with its own enumerable properties
    /// (`code`, `errno`, `syscall` …). Shown as Node shows an error whose stack has no frames.
    Error {
        /// The constructor's name.
        name: String,
        /// The message.
        message: String,
        /// Own enumerable properties, in order.
        props: Vec<(String, Value)>,
    },
}

impl Value {
    /// A plain object from `(key, value)` pairs.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// An array.
    pub fn array(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Array(items.into_iter().collect())
    }

    /// An `Error` with a `code`, as Node's errors carry one.
    ///
    /// ```
    /// use nodestd_util::{Value, inspect};
    /// let e = Value::error_with_code("Error", "boom", "ERR_X");
    /// assert_eq!(inspect(&e), "[Error: boom] { code: 'ERR_X' }");
    /// ```
    pub fn error_with_code(name: &str, message: &str, code: &str) -> Value {
        Value::Error {
            name: name.into(),
            message: message.into(),
            props: vec![("code".into(), Value::String(code.into()))],
        }
    }
}

macro_rules! from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(f64::from(n))
            }
        }
    )*};
}
from_number!(i8, i16, i32, u8, u16, u32, f32, f64);

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is `null`.
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::Array(v)
    }
}
