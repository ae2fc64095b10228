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

/// `fs.rmdir(path, options, cb)`: with `recursive` (deprecated, DEP0147 emitted at the
/// call, once per process) the path is lstat'ed and a directory removed by the
/// asynchronous rimraf, as Node's `validateRmOptions` and `rimraf` do.
pub fn rmdir(
    path: impl AsRef<std::path::Path>,
    options: crate::RmdirOptions,
    cb: impl FnOnce(crate::Result<()>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    crate::rm::warn_at_call(&p, options);
    nodestd_loop::queue_work(
        move || crate::rm::rmdir_form(&p, options, crate::rm::RmdirForm::Callback),
        move |r| cb(flatten(r)),
    );
}

/// `fs.exists(path, cb)`: `cb(true)` when the path exists.
pub fn exists(path: impl AsRef<std::path::Path>, cb: impl FnOnce(bool) + 'static) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::exists_sync(p),
        move |r| cb(r.unwrap_or(false)),
    );
}

/// `fs.cp(src, dest, options, cb)` (Node's asynchronous `cp`, whose errors differ from
/// `cpSync` in one errno: a directory without `recursive` is `EISDIR` (21), not 22).
pub fn cp(
    src: impl AsRef<std::path::Path>,
    dest: impl AsRef<std::path::Path>,
    options: crate::CpOptions,
    cb: impl FnOnce(crate::Result<()>) + 'static,
) {
    let (s, d) = (src.as_ref().to_path_buf(), dest.as_ref().to_path_buf());
    nodestd_loop::queue_work(
        move || crate::cp::cp_async_core(&s, &d, options),
        move |r| cb(flatten(r)),
    );
}

/// `fs.opendir(path, cb)` (its errors name the path, unlike `opendirSync`'s).
pub fn opendir(
    path: impl AsRef<std::path::Path>,
    cb: impl FnOnce(crate::Result<crate::Dir>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::dir::opendir_with_path(&p),
        move |r| cb(flatten(r)),
    );
}

/// `fs.realpath(path, cb)`: Node's JavaScript walk, as [`crate::realpath_sync`].
pub fn realpath(
    path: impl AsRef<std::path::Path>,
    cb: impl FnOnce(crate::Result<std::path::PathBuf>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(move || crate::realpath_sync(p), move |r| cb(flatten(r)));
}

/// `fs.realpath.native(path, cb)`.
pub fn realpath_native(
    path: impl AsRef<std::path::Path>,
    cb: impl FnOnce(crate::Result<std::path::PathBuf>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::realpath_native_sync(p),
        move |r| cb(flatten(r)),
    );
}

/// `fs.readdir(path, options, cb)` (breadth first when recursive, as `readdirSync`).
pub fn readdir(
    path: impl AsRef<std::path::Path>,
    options: crate::ReaddirOptions,
    cb: impl FnOnce(crate::Result<Vec<std::path::PathBuf>>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::readdir_sync(p, options),
        move |r| cb(flatten(r)),
    );
}

/// `fs.readdir(path, { withFileTypes: true, recursive }, cb)`.
pub fn readdir_with_file_types(
    path: impl AsRef<std::path::Path>,
    options: crate::ReaddirOptions,
    cb: impl FnOnce(crate::Result<Vec<crate::Dirent>>) + 'static,
) {
    let p = path.as_ref().to_path_buf();
    nodestd_loop::queue_work(
        move || crate::readdir_with_file_types_sync(p, options),
        move |r| cb(flatten(r)),
    );
}
