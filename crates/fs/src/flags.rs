//! Node's open flags: the strings of `stringToFlags` (`'r'`, `'wx+'`, `'as'` …) or raw
//! `O_*` numbers, and the `mode` argument's parsing.

use crate::constants::*;
use crate::errors::{Error, Result, received_str};

/// Open flags: what Node's `flags` argument becomes (`O_*` bits).
///
/// ```
/// use nodestd_fs::OpenFlags;
/// let w = OpenFlags::parse("wx").unwrap();
/// assert_eq!(w.bits(), nodestd_fs::constants::O_TRUNC | nodestd_fs::constants::O_CREAT
///     | nodestd_fs::constants::O_WRONLY | nodestd_fs::constants::O_EXCL);
/// assert_eq!(OpenFlags::parse("bogus").unwrap_err().code(), "ERR_INVALID_ARG_VALUE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenFlags(i32);

impl OpenFlags {
    /// `'r'`.
    pub const READ: OpenFlags = OpenFlags(O_RDONLY);
    /// `'w'`.
    pub const WRITE: OpenFlags = OpenFlags(O_TRUNC | O_CREAT | O_WRONLY);
    /// `'a'`.
    pub const APPEND: OpenFlags = OpenFlags(O_APPEND | O_CREAT | O_WRONLY);

    /// Node's `stringToFlags`.
    ///
    /// # Errors
    /// `ERR_INVALID_ARG_VALUE` for a string Node does not know.
    pub fn parse(s: &str) -> Result<OpenFlags> {
        let b = match s {
            "r" => O_RDONLY,
            "rs" | "sr" => O_RDONLY | O_SYNC,
            "r+" => O_RDWR,
            "rs+" | "sr+" => O_RDWR | O_SYNC,
            "w" => O_TRUNC | O_CREAT | O_WRONLY,
            "wx" | "xw" => O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
            "w+" => O_TRUNC | O_CREAT | O_RDWR,
            "wx+" | "xw+" => O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
            "a" => O_APPEND | O_CREAT | O_WRONLY,
            "ax" | "xa" => O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
            "as" | "sa" => O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
            "a+" => O_APPEND | O_CREAT | O_RDWR,
            "ax+" | "xa+" => O_APPEND | O_CREAT | O_RDWR | O_EXCL,
            "as+" | "sa+" => O_APPEND | O_CREAT | O_RDWR | O_SYNC,
            _ => {
                return Err(Error::invalid_arg_value(
                    "flags",
                    "is invalid",
                    &received_str(s),
                ));
            }
        };
        Ok(OpenFlags(b))
    }

    /// Raw `O_*` bits (Node accepts a number as the flags argument).
    pub fn from_bits(bits: i32) -> OpenFlags {
        OpenFlags(bits)
    }

    /// The `O_*` bits.
    pub fn bits(self) -> i32 {
        self.0
    }
}

impl Default for OpenFlags {
    fn default() -> Self {
        OpenFlags::READ
    }
}

/// Node's `parseFileMode` for a string: octal digits only.
///
/// # Errors
/// `ERR_INVALID_ARG_VALUE` for a string that is not octal.
pub fn parse_mode(s: &str) -> Result<u32> {
    let ok = !s.is_empty() && s.bytes().all(|b| (b'0'..=b'7').contains(&b));
    let v = if ok {
        u32::from_str_radix(s, 8).ok()
    } else {
        None
    };
    v.ok_or_else(|| {
        Error::invalid_arg_value(
            "mode",
            "must be a 32-bit unsigned integer or an octal string",
            &received_str(s),
        )
    })
}

/// Node's range check for a numeric `mode` (`0 <= mode <= 4294967295`).
///
/// # Errors
/// `ERR_OUT_OF_RANGE` outside that range.
pub fn check_mode(name: &str, v: i64) -> Result<u32> {
    u32::try_from(v)
        .map_err(|_| crate::validators::out_of_range(name, ">= 0 && <= 4294967295", v as f64))
}
