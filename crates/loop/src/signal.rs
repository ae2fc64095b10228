//! The process-wide signal registry behind [`crate::SignalHandle`].
//!
//! The handler writes the signal number to a self-pipe; a dispatcher thread reads it and hands
//! the signal to every loop with a handle for it, through that loop's cross-thread inbox (so it
//! arrives in the poll phase, like I/O). Dispositions are installed with the first handle for a
//! signal and restored with the last, so with no handle the default action applies.

use std::collections::HashMap;
use std::io;

use crate::remote::{Message, Remote};
use crate::sync::{Arc, Mutex, lock};
use crate::sys::signal as sys;

struct Registry {
    /// signum -> (registration id, the loop's inbox)
    watchers: HashMap<i32, Vec<(u64, Arc<Remote>)>>,
    saved: HashMap<i32, sys::Saved>,
    next_id: u64,
    started: bool,
}

fn registry() -> &'static Mutex<Registry> {
    static REG: std::sync::OnceLock<Mutex<Registry>> = std::sync::OnceLock::new();
    REG.get_or_init(|| {
        Mutex::new(Registry {
            watchers: HashMap::new(),
            saved: HashMap::new(),
            next_id: 0,
            started: false,
        })
    })
}

fn start_dispatcher(reg: &mut Registry) -> io::Result<()> {
    if reg.started {
        return Ok(());
    }
    let (mut read, write) = sys::make_pipe()?;
    std::thread::Builder::new()
        .name("nodestd-signals".into())
        .spawn(move || {
            while let Some(signum) = sys::read_signal(&mut read) {
                let reg = lock(registry());
                let mut sent: Vec<*const Remote> = Vec::new();
                for (_, remote) in reg.watchers.get(&signum).into_iter().flatten() {
                    let p = Arc::as_ptr(remote);
                    if !sent.contains(&p) {
                        sent.push(p);
                        remote.push(Message::Signal(signum));
                    }
                }
            }
        })?;
    // Only now can the handler write: a pipe without its reader would raise SIGPIPE.
    sys::publish(write);
    reg.started = true;
    Ok(())
}

/// Registers interest in `signum` for a loop; returns the registration id.
pub(crate) fn register(signum: i32, remote: Arc<Remote>) -> io::Result<u64> {
    let mut reg = lock(registry());
    start_dispatcher(&mut reg)?;
    if let std::collections::hash_map::Entry::Vacant(slot) = reg.saved.entry(signum) {
        slot.insert(sys::install(signum)?);
    }
    reg.next_id += 1;
    let id = reg.next_id;
    reg.watchers.entry(signum).or_default().push((id, remote));
    Ok(id)
}

/// Drops a registration; the last one for a signal restores its disposition.
pub(crate) fn unregister(signum: i32, id: u64) {
    let mut reg = lock(registry());
    let empty = match reg.watchers.get_mut(&signum) {
        Some(list) => {
            list.retain(|(i, _)| *i != id);
            list.is_empty()
        }
        None => false,
    };
    if empty {
        reg.watchers.remove(&signum);
        if let Some(saved) = reg.saved.remove(&signum) {
            sys::restore(signum, &saved);
        }
    }
}
