//! The callback forms (`fs.mkdir(path, opts, cb)`): rows of fs's one table of asynchronous
//! forms (`forms.rs`, on [`nodestd_loop::work`]). Each queues its work on the worker pool at
//! the call and calls `callback` on the loop thread in the poll phase, as libuv does. Must be
//! called on a running loop. A form returns `Err` at once for what Node throws at the call;
//! the typed arguments leave nothing to throw today, so the result is always `Ok(())`.
//!
//! ```
//! nodestd_loop::run(|| {
//!     nodestd_fs::callback::stat("/", |r| assert!(r.unwrap().is_directory())).unwrap();
//! });
//! ```

use std::path::{Path, PathBuf};

use crate::forms::{Form, fd_forms, fs_forms, on_pool};

/// Which form `forms.rs`'s rows are expanded into here.
const FORM: Form = Form::Callback;

fs_forms!(callback<crate::Error>;);
fd_forms!(callback<crate::Error>;);

/// `fs.exists(path, cb)`: `cb(true)` when the path exists.
pub fn exists(path: impl AsRef<Path>, cb: impl FnOnce(bool) + 'static) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::exists_sync(p),
        move |r| cb(r.unwrap_or(false)),
    );
}
