//! One module per record family; [`call`] routes a record's `fn` to its family.

use serde_json::Value;

use crate::Outcome;
use crate::args::Throw;

pub mod buffer;
pub mod crypto;
mod parseargs;
mod path;
mod querystring;
mod url;
pub mod util;
mod whatwg;
mod zlib;

/// Calls the function a record names.
pub fn call(name: &str, args: &[Value], cwd: Option<&str>) -> Outcome {
    if let Some(rest) = name.strip_prefix("path.") {
        return path::call(rest, args, cwd);
    }
    if let Some(rest) = name.strip_prefix("crypto.") {
        return crypto::call(rest, args);
    }
    if let Some(rest) = name.strip_prefix("querystring.") {
        return querystring::call(rest, args);
    }
    if let Some(rest) = name.strip_prefix("zlib.") {
        return zlib::call(rest, args);
    }
    if let Some(rest) = name.strip_prefix("buffer.") {
        return buffer::call(rest, args);
    }
    if name == "util.parseArgs" {
        return parseargs::call(args);
    }
    if let Some(rest) = name.strip_prefix("util.") {
        return util::call(rest, args);
    }
    match name {
        "URL" | "url.fileURLToPath" | "url.pathToFileURL" => return whatwg::call(name, args, cwd),
        _ => {}
    }
    if let Some(rest) = name.strip_prefix("url.") {
        return url::call(rest, args, cwd);
    }
    Err(Throw::new("ERR_NOT_IMPLEMENTED"))
}
