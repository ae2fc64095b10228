//! The `querystring` record family.

use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;

/// Calls `querystring.<name>`.
pub fn call(name: &str, args: &[Value]) -> Outcome {
    let _ = (name, args);
    Err(Throw::new("ERR_NOT_IMPLEMENTED"))
}
