//! The callback forms (`fs.mkdir(path, opts, cb)`): each runs its `*_sync` core on the
//! worker pool ([`nodestd_loop::queue_work`]) and calls `cb` on the loop thread in the poll
//! phase, as libuv does. Must be called on a running loop.
//!
//! ```
//! nodestd_loop::run(|| {
//!     nodestd_fs::callback::stat("/", |r| assert!(r.unwrap().is_directory()));
//! });
//! ```

use crate::forms::{flatten, for_each_fd_fn, for_each_fs_fn};

macro_rules! callback_fns {
    ($( $(#[$doc:meta])* $name:ident ( $($p:ident),* ; $($a:ident : $t:ty),* ) -> $out:ty = $sync:path; )*) => {
        $(
            $(#[$doc])*
            ///
            /// Runs on the worker pool; `cb` gets the result on the loop thread.
            pub fn $name(
                $($p: impl AsRef<std::path::Path>,)*
                $($a: $t,)*
                cb: impl FnOnce(crate::Result<$out>) + 'static,
            ) {
                $(let $p = $p.as_ref().to_path_buf();)*
                nodestd_loop::queue_work(move || $sync($($p,)* $($a,)*), move |r| cb(flatten(r)));
            }
        )*
    };
}

for_each_fs_fn!(callback_fns);
for_each_fd_fn!(callback_fns);

/// `fs.exists(path, cb)`: `cb(true)` when the path exists.
pub fn exists(path: impl AsRef<std::path::Path>, cb: impl FnOnce(bool) + 'static) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::exists_sync(p),
        move |r| cb(r.unwrap_or(false)),
    );
}
