//! [`UnhandledError`]: an `error` event emitted with no `error` listener (Node's thrown
//! `ERR_UNHANDLED_ERROR`, or the thrown error itself).

use std::any::Any;
use std::fmt;

/// An `error` event was emitted with no `error` listener. In Node `emit` throws (the payload
/// itself when it is an `Error`, else an `ERR_UNHANDLED_ERROR`); here `emit` returns this,
/// carrying the payload.
///
/// ```
/// use nodestd_events::{EventEmitter, Named};
/// let em = EventEmitter::new();
/// let err = em.emit(Named::<String>::error(), "boom".to_owned()).unwrap_err();
/// assert_eq!(err.code(), "ERR_UNHANDLED_ERROR");
/// assert_eq!(err.to_string(), "Unhandled error. ('boom')");
/// assert_eq!(err.downcast::<String>().ok().as_deref(), Some("boom"));
/// ```
pub struct UnhandledError {
    payload: Box<dyn Any>,
    message: String,
}

impl UnhandledError {
    pub(crate) fn new<P: 'static>(payload: P) -> UnhandledError {
        let shown = describe(&payload, std::any::type_name::<P>());
        UnhandledError {
            payload: Box::new(payload),
            message: format!("Unhandled error. ({shown})"),
        }
    }

    /// Node's error code, `ERR_UNHANDLED_ERROR`.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let err = EventEmitter::new().emit(Named::<()>::error(), ()).unwrap_err();
    /// assert_eq!(err.code(), "ERR_UNHANDLED_ERROR");
    /// ```
    pub fn code(&self) -> &'static str {
        "ERR_UNHANDLED_ERROR"
    }

    /// Node's message: `Unhandled error. (<the payload>)`.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let err = EventEmitter::new().emit(Named::<bool>::error(), false).unwrap_err();
    /// assert_eq!(err.message(), "Unhandled error. (false)");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The emitted payload.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let err = EventEmitter::new().emit(Named::<u8>::error(), 3).unwrap_err();
    /// assert_eq!(err.payload().downcast_ref::<u8>(), Some(&3));
    /// ```
    pub fn payload(&self) -> &dyn Any {
        &*self.payload
    }

    /// The emitted payload, if it is a `T`.
    ///
    /// # Errors
    /// Gives `self` back when the payload is not a `T`.
    pub fn downcast<T: 'static>(self) -> Result<T, UnhandledError> {
        match self.payload.downcast::<T>() {
            Ok(p) => Ok(*p),
            Err(payload) => Err(UnhandledError {
                payload,
                message: self.message,
            }),
        }
    }

    /// The emitted payload, boxed.
    ///
    /// ```
    /// use nodestd_events::{EventEmitter, Named};
    /// let err = EventEmitter::new().emit(Named::<u8>::error(), 3).unwrap_err();
    /// assert!(err.into_payload().is::<u8>());
    /// ```
    pub fn into_payload(self) -> Box<dyn Any> {
        self.payload
    }
}

/// Node's `inspect(payload)` for the payload types it can tell; the type's name otherwise.
fn describe(payload: &dyn Any, type_name: &str) -> String {
    if let Some(s) = payload.downcast_ref::<String>() {
        return quote(s);
    }
    if let Some(s) = payload.downcast_ref::<&str>() {
        return quote(s);
    }
    if payload.is::<()>() {
        return "undefined".to_owned();
    }
    if let Some(b) = payload.downcast_ref::<Box<dyn Any>>() {
        return describe(&**b, "Box<dyn Any>");
    }
    macro_rules! numbers {
        ($($t:ty),*) => {$(
            if let Some(n) = payload.downcast_ref::<$t>() {
                return n.to_string();
            }
        )*};
    }
    numbers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, bool);
    if let Some(n) = payload.downcast_ref::<f64>() {
        return js_number(*n);
    }
    if let Some(e) = payload.downcast_ref::<Box<dyn std::error::Error>>() {
        return e.to_string();
    }
    if let Some(e) = payload.downcast_ref::<std::io::Error>() {
        return e.to_string();
    }
    type_name.to_owned()
}

fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n == 0.0 && n.is_sign_negative() {
        "-0".to_owned()
    } else {
        n.to_string()
    }
}

/// `util.inspect` of a string: single quotes unless it holds one (then double quotes, then
/// backticks), with escapes for the quote and control characters.
fn quote(s: &str) -> String {
    let q = if !s.contains('\'') {
        '\''
    } else if !s.contains('"') {
        '"'
    } else if !s.contains('`') && !s.contains("${") {
        '`'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(q);
    for c in s.chars() {
        match c {
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnhandledError")
            .field("code", &self.code())
            .field("message", &self.message)
            .finish()
    }
}

impl PartialEq for UnhandledError {
    /// Equal messages (payloads are not compared).
    fn eq(&self, other: &UnhandledError) -> bool {
        self.message == other.message
    }
}

impl std::error::Error for UnhandledError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_match_node() {
        // From node v20: emit('error', x) with no listener.
        assert_eq!(UnhandledError::new("x").message(), "Unhandled error. ('x')");
        assert_eq!(
            UnhandledError::new(()).message(),
            "Unhandled error. (undefined)"
        );
        assert_eq!(UnhandledError::new(5i64).message(), "Unhandled error. (5)");
        assert_eq!(
            UnhandledError::new(1.5f64).message(),
            "Unhandled error. (1.5)"
        );
        assert_eq!(
            UnhandledError::new("it's".to_owned()).message(),
            "Unhandled error. (\"it's\")"
        );
        assert_eq!(
            UnhandledError::new("a\nb").message(),
            "Unhandled error. ('a\\nb')"
        );
    }
}
