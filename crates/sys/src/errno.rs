//! libuv's error table, once: each OS errno with libuv's code (`ENOENT`) and message (`no such
//! file or directory`), as Node v20 reports them (`util.getSystemErrorMap()`).
//!
//! The data is [`uv_errors.tsv`](./uv_errors.tsv), one `errno<TAB>code<TAB>message` line per
//! entry, errno positive (Linux numbers), recorded from node. Every nodestd crate that builds
//! Node's system errors (fs's `uvException`, net's `exceptionWithHostPort`, process's
//! `ErrnoException`) looks its codes and messages up here.
//!
//! ```
//! use nodestd_sys::errno;
//! assert_eq!(errno::lookup(2), Some(("ENOENT", "no such file or directory")));
//! assert_eq!(errno::code_message(9999), ("UNKNOWN", "unknown error"));
//! assert_eq!(errno::from_code("EMFILE"), Some(24));
//! ```

use std::sync::OnceLock;

const TSV: &str = include_str!("uv_errors.tsv");

/// Every entry of the table: `(positive errno, code, message)`, in the file's order (by code).
pub fn table() -> &'static [(i32, &'static str, &'static str)] {
    static T: OnceLock<Vec<(i32, &'static str, &'static str)>> = OnceLock::new();
    T.get_or_init(|| {
        TSV.lines()
            .filter_map(|l| {
                let mut it = l.split('\t');
                let n = it.next()?.parse().ok()?;
                Some((n, it.next()?, it.next()?))
            })
            .collect()
    })
}

/// libuv's code and message for a positive OS errno (`uv_err_name`, `uv_strerror`), if libuv
/// knows it.
pub fn lookup(errno: i32) -> Option<(&'static str, &'static str)> {
    table()
        .iter()
        .find(|(n, _, _)| *n == errno)
        .map(|&(_, c, m)| (c, m))
}

/// As [`lookup`], with Node's fallback for numbers libuv does not know: `("UNKNOWN", "unknown
/// error")`, as `uvException` and `ErrnoException` in `lib/internal/errors.js` build it.
pub fn code_message(errno: i32) -> (&'static str, &'static str) {
    lookup(errno).unwrap_or(("UNKNOWN", "unknown error"))
}

/// The positive errno of a libuv code (`"ENOENT"` is 2), if the table has it.
pub fn from_code(code: &str) -> Option<i32> {
    table()
        .iter()
        .find(|(_, c, _)| *c == code)
        .map(|&(n, _, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_whole_and_unique() {
        assert_eq!(table().len(), 84);
        for &(n, c, _) in table() {
            assert_eq!(lookup(n).unwrap().0, c);
            assert_eq!(from_code(c), Some(n));
        }
    }
}
