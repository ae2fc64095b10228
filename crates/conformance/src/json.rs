//! Decoding of record lines.
//!
//! Records are JSON, except that strings may hold lone UTF-16 surrogates (`"\ud800"`), which
//! JavaScript strings can carry and Rust strings cannot.

use serde_json::Value;

/// Decodes one record line.
///
/// # Errors
/// The line is not a JSON value.
pub fn parse_line(line: &str) -> Result<Value, String> {
    serde_json::from_str(line).map_err(|e| e.to_string())
}
