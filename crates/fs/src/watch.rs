//! `fs.watch` on the `notify` crate (inotify on Linux) and `fs.watchFile` / `unwatchFile`
//! (stat polling on the worker pool at an interval).
//!
//! Watch events cross from notify's thread to the loop through an [`nodestd_loop::AsyncHandle`]
//! and a channel; the listener runs on the loop thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::errors::{Error, Result, check_path};
use crate::stat::Stats;

/// `fs.watch` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchOptions {
    /// `persistent` (default true): the watcher keeps the loop alive.
    pub persistent: bool,
    /// `recursive` (default false): watch subdirectories too.
    pub recursive: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            persistent: true,
            recursive: false,
        }
    }
}

/// Node's event types: `rename` (created, removed, renamed) and `change` (contents or
/// metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    /// `'rename'`.
    Rename,
    /// `'change'`.
    Change,
}

impl WatchEventType {
    /// `'rename'` or `'change'`.
    pub fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Rename => "rename",
            WatchEventType::Change => "change",
        }
    }
}

/// `fs.FSWatcher`: [`FsWatcher::close`] stops it.
pub struct FsWatcher {
    inner: Rc<RefCell<Option<(notify::RecommendedWatcher, nodestd_loop::AsyncHandle)>>>,
}

impl std::fmt::Debug for FsWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FsWatcher").finish_non_exhaustive()
    }
}

/// `fs.watch(filename, options, listener)`: `listener(eventType, filename)` on the loop
/// thread, the file name relative to the watched directory (or the watched file's name).
///
/// # Errors
/// The system error of `watch` (`ENOENT` for a missing path).
pub fn watch(
    path: impl AsRef<Path>,
    options: WatchOptions,
    mut listener: impl FnMut(WatchEventType, Option<OsString>) + 'static,
) -> Result<FsWatcher> {
    let p = path.as_ref();
    check_path("filename", p)?;
    let st = crate::stat::stat_sync(p).map_err(|e| e.with_syscall("watch"))?;
    let root: PathBuf =
        std::fs::canonicalize(p).map_err(|e| Error::from_io(&e, "watch", Some(p), None))?;
    let is_dir = st.is_directory();
    let (tx, rx) = mpsc::channel::<(WatchEventType, Option<OsString>)>();
    let handle = nodestd_loop::AsyncHandle::new(move || {
        while let Ok((t, name)) = rx.try_recv() {
            listener(t, name);
        }
    });
    if !options.persistent {
        handle.unref();
    }
    let sender = handle.sender();
    let base = root.clone();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let Ok(ev) = ev else { return };
        let t = match ev.kind {
            EventKind::Create(_) | EventKind::Remove(_) => WatchEventType::Rename,
            // inotify's rename pair arrives as From and To, then once more as Both: the pair
            // is Node's two `rename` events, so Both is dropped.
            EventKind::Modify(notify::event::ModifyKind::Name(notify::event::RenameMode::Both)) => {
                return;
            }
            EventKind::Modify(notify::event::ModifyKind::Name(_)) => WatchEventType::Rename,
            EventKind::Modify(_) => WatchEventType::Change,
            _ => return,
        };
        for path in ev.paths {
            let name = if is_dir {
                path.strip_prefix(&base)
                    .ok()
                    .map(|r| r.as_os_str().to_owned())
            } else {
                path.file_name().map(|n| n.to_owned())
            };
            if tx.send((t, name)).is_err() {
                return;
            }
        }
        sender.send();
    })
    .map_err(|e| notify_err(&e, p))?;
    let mode = if options.recursive {
        RecursiveMode::Recursive
    } else {
        RecursiveMode::NonRecursive
    };
    watcher.watch(&root, mode).map_err(|e| notify_err(&e, p))?;
    Ok(FsWatcher {
        inner: Rc::new(RefCell::new(Some((watcher, handle)))),
    })
}

fn notify_err(e: &notify::Error, p: &Path) -> Error {
    match &e.kind {
        notify::ErrorKind::Io(io) => Error::from_io(io, "watch", Some(p), None),
        notify::ErrorKind::PathNotFound => Error::from_errno(2, "watch", Some(p), None),
        _ => Error::from_errno(28, "watch", Some(p), None),
    }
}

impl FsWatcher {
    /// `watcher.close()`: no more events; the loop is no longer kept alive.
    pub fn close(&self) {
        if let Some((w, h)) = self.inner.borrow_mut().take() {
            drop(w);
            h.close_quietly();
        }
    }
    /// `watcher.unref()`.
    pub fn unref(&self) {
        if let Some((_, h)) = &*self.inner.borrow() {
            h.unref();
        }
    }
    /// `watcher.ref()`.
    #[doc(alias = "ref")]
    pub fn ref_(&self) {
        if let Some((_, h)) = &*self.inner.borrow() {
            h.ref_();
        }
    }
}

/// `fs.watchFile` options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchFileOptions {
    /// `interval` in ms (default 5007, Node's).
    pub interval: u64,
    /// `persistent` (default true).
    pub persistent: bool,
}

impl Default for WatchFileOptions {
    fn default() -> Self {
        WatchFileOptions {
            interval: 5007,
            persistent: true,
        }
    }
}

/// A `watchFile` poller; [`StatWatcher::stop`] ends it (as [`unwatch_file`] does).
#[derive(Debug, Clone)]
pub struct StatWatcher {
    timer: nodestd_loop::Timeout,
}

impl StatWatcher {
    /// Stops polling.
    pub fn stop(&self) {
        self.timer.clear();
    }
}

thread_local! {
    static WATCHERS: RefCell<HashMap<PathBuf, Vec<StatWatcher>>> = RefCell::new(HashMap::new());
}

fn changed(a: &Stats, b: &Stats) -> bool {
    a.ctime != b.ctime
        || a.mtime != b.mtime
        || a.birthtime != b.birthtime
        || a.size != b.size
        || a.mode != b.mode
        || a.uid != b.uid
        || a.gid != b.gid
        || a.ino != b.ino
        || a.dev != b.dev
}

/// `fs.watchFile(filename, options, listener)`: `listener(current, previous)` whenever a
/// stat taken every `interval` ms differs (a missing file stats as all zeros, as in Node).
#[doc(alias = "watchFile")]
pub fn watch_file(
    path: impl AsRef<Path>,
    options: WatchFileOptions,
    listener: impl FnMut(&Stats, &Stats) + 'static,
) -> StatWatcher {
    let p = path.as_ref().to_path_buf();
    let listener = Rc::new(RefCell::new(listener));
    let prev: Rc<RefCell<Option<Stats>>> = Rc::new(RefCell::new(None));
    let busy = Rc::new(std::cell::Cell::new(false));
    let first = crate::stat::stat_sync(&p).unwrap_or_default();
    *prev.borrow_mut() = Some(first);
    let pp = p.clone();
    let timer = nodestd_loop::set_interval(options.interval.max(1), move || {
        if busy.replace(true) {
            return;
        }
        let q = pp.clone();
        let prev = Rc::clone(&prev);
        let listener = Rc::clone(&listener);
        let busy = Rc::clone(&busy);
        nodestd_loop::queue_work(
            move || crate::stat::stat_sync(q).unwrap_or_default(),
            move |r| {
                busy.set(false);
                let cur = r.unwrap_or_default();
                let old = prev.borrow_mut().replace(cur).unwrap_or_default();
                if changed(&cur, &old) {
                    (listener.borrow_mut())(&cur, &old);
                }
            },
        );
    });
    if !options.persistent {
        timer.unref();
    }
    let w = StatWatcher { timer };
    WATCHERS.with(|m| m.borrow_mut().entry(p).or_default().push(w.clone()));
    w
}

/// `fs.unwatchFile(filename)`: stops every `watchFile` poller of that path.
#[doc(alias = "unwatchFile")]
pub fn unwatch_file(path: impl AsRef<Path>) {
    let list = WATCHERS.with(|m| m.borrow_mut().remove(path.as_ref()));
    for w in list.into_iter().flatten() {
        w.stop();
    }
}
