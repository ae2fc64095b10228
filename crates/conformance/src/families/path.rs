//! The `path` record family.

use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;

/// Calls `path.<name>`.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    let _ = (name, args, cwd);
    Err(Throw::new("ERR_NOT_IMPLEMENTED"))
}
