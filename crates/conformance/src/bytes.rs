//! Bytes in records: `{"$bytes": "<standard base64, padded>"}` stands for a Buffer.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use serde_json::{Map, Value};

/// Standard base64 with padding.
pub fn to_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Standard base64, padding optional; `None` for anything else.
pub fn from_base64(s: &str) -> Option<Vec<u8>> {
    STANDARD_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// `{"$bytes": base64}` for `bytes`.
pub fn to_value(bytes: &[u8]) -> Value {
    let mut m = Map::new();
    m.insert("$bytes".into(), Value::String(to_base64(bytes)));
    Value::Object(m)
}

/// The bytes a `{"$bytes": base64}` value stands for.
pub fn from_value(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::Object(m) if m.len() == 1 => from_base64(m.get("$bytes")?.as_str()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_and_round_trips() {
        assert_eq!(to_base64(b""), "");
        assert_eq!(to_base64(b"f"), "Zg==");
        assert_eq!(to_base64(b"foob"), "Zm9vYg==");
        for n in 0..10u8 {
            let b: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(5)).collect();
            assert_eq!(from_base64(&to_base64(&b)).unwrap(), b);
            assert_eq!(from_value(&to_value(&b)).unwrap(), b);
        }
        assert_eq!(from_base64("Zg"), Some(b"f".to_vec()));
        assert_eq!(from_base64("Z*=="), None);
    }
}
