//! The WHATWG record family: `URL`, and `url.fileURLToPath` / `url.pathToFileURL`.

use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;

/// Calls `URL` (`name == "URL"`) or `url.<name>` for the WHATWG-side helpers.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    let _ = (name, args, cwd);
    Err(Throw::new("ERR_NOT_IMPLEMENTED"))
}
