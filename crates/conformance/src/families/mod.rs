//! One module per record family; [`call`] routes a record's `fn` to its family.

use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;

mod path;
mod querystring;
mod url;

/// Calls the function a record names.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    if let Some(rest) = name.strip_prefix("path.") {
        return path::call(rest, args, cwd);
    }
    if let Some(rest) = name.strip_prefix("querystring.") {
        return querystring::call(rest, args);
    }
    if name == "URL" || name.starts_with("url.") {
        return url::call(name, args, cwd);
    }
    Err(Throw::new("ERR_NOT_IMPLEMENTED"))
}
