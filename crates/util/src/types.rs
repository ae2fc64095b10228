//! `util.types` where it means something for the [`Value`] model: the checks that tell the
//! model's object kinds apart. (Node's other predicates — `isPromise`, `isProxy`,
//! `isExternal`, the typed-array kinds … — have no counterpart in a Rust value and are not
//! provided.)

use crate::value::Value;

/// `util.types.isMap(value)`.
#[doc(alias = "isMap")]
pub fn is_map(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

/// `util.types.isSet(value)`.
#[doc(alias = "isSet")]
pub fn is_set(v: &Value) -> bool {
    matches!(v, Value::Set(_))
}

/// `util.types.isNativeError(value)`.
#[doc(alias = "isNativeError")]
pub fn is_native_error(v: &Value) -> bool {
    matches!(v, Value::Error { .. })
}

/// `util.types.isUint8Array(value)` (a Buffer is one).
#[doc(alias = "isUint8Array")]
pub fn is_uint8_array(v: &Value) -> bool {
    matches!(v, Value::Buffer(_))
}

/// `util.types.isBigIntObject`'s primitive twin: whether the value is a BigInt.
pub fn is_bigint(v: &Value) -> bool {
    matches!(v, Value::BigInt(_))
}
