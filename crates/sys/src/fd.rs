//! The process-wide fd table: Node's integer file descriptors without `unsafe`.
//!
//! The table owns each descriptor ([`OwnedFd`]) under its number, the number Node hands out
//! (`fs.openSync` returns it). A user looks the number up ([`get`], cloning an `Arc`), so a
//! descriptor removed by one thread while another uses it stays open until that use ends, and
//! closes when the last `Arc` drops. A number the table does not hold is not an fd this
//! process opened through nodestd: callers report it as `EBADF`, as Node does.
//!
//! ```
//! let f = std::fs::File::open("/").unwrap();
//! let n = nodestd_sys::fd::insert(f.into());
//! assert!(nodestd_sys::fd::contains(n));
//! let owned = nodestd_sys::fd::remove(n).unwrap();
//! assert!(!nodestd_sys::fd::contains(n));
//! drop(owned); // closes the descriptor
//! ```

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

fn lock() -> MutexGuard<'static, HashMap<i32, Arc<OwnedFd>>> {
    static T: OnceLock<Mutex<HashMap<i32, Arc<OwnedFd>>>> = OnceLock::new();
    T.get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Takes ownership of an open descriptor and gives its number.
pub fn insert(fd: OwnedFd) -> i32 {
    let n = fd.as_raw_fd();
    lock().insert(n, Arc::new(fd));
    n
}

/// The descriptor under `n`, shared with the table (it stays open while the `Arc` lives).
pub fn get(n: i32) -> Option<Arc<OwnedFd>> {
    lock().get(&n).cloned()
}

/// Whether the table holds `n` open.
pub fn contains(n: i32) -> bool {
    lock().contains_key(&n)
}

/// Removes `n` from the table; the descriptor closes once no user holds it.
pub fn remove(n: i32) -> Option<Arc<OwnedFd>> {
    lock().remove(&n)
}
