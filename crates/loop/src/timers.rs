//! Node's timers (`lib/internal/timers.js`), driven by one libuv timer, as Node does it.
//!
//! Timers with the same duration share a list, in insertion order (their start times only grow,
//! so each list is sorted by due time). A priority queue orders the lists by
//! `(expiry, list id)`. This is why 1,000,000 live timers stay cheap: insert and cancel are
//! O(1) (append / unlink), firing is O(1) per timer plus O(log L) per list visit, where L is the
//! number of distinct durations.
//!
//! The whole structure is served by a single libuv-style timer ([`UvTimer`]): due at the
//! nearest list expiry, referenced while any referenced Node timer exists (`refCount`), exactly
//! like `env->timer_handle()`.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::slab::{Key, Slab};
use crate::sys::small_fn::SmallFn;

/// Node's largest delay; anything outside `1..=TIMEOUT_MAX` becomes 1 ms.
pub const TIMEOUT_MAX: u64 = 2_147_483_647;

/// What a timer runs.
pub(crate) enum Callback {
    Once(SmallFn),
    Repeat(Box<dyn FnMut()>),
    /// Taken out while it runs.
    Running,
}

pub(crate) struct Timer {
    /// The list key: the (coerced) duration in ms.
    msecs: u64,
    /// `_idleStart`: when the current countdown began.
    start: u64,
    /// `_repeat`: the interval, if any.
    repeat: Option<u64>,
    refed: bool,
    pub(crate) callback: Callback,
    prev: Option<Key>,
    next: Option<Key>,
    /// Linked into its list.
    linked: bool,
}

struct List {
    expiry: u64,
    id: u64,
    head: Option<Key>,
    tail: Option<Key>,
}

/// Hashes a list key (a duration in ms) with one multiply: the keys are small integers chosen
/// by the program, not by an attacker, and the lookup is on every timer's hot path.
#[derive(Default)]
struct DurationHasher(u64);

impl Hasher for DurationHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// libuv's timer handle as Node uses it: one, re-armed after each run.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct UvTimer {
    /// Loop time at which it fires; `None` when stopped.
    pub(crate) due: Option<u64>,
    pub(crate) refed: bool,
}

#[derive(Default)]
pub(crate) struct Timers {
    pub(crate) slab: Slab<Timer>,
    lists: HashMap<u64, List, BuildHasherDefault<DurationHasher>>,
    queue: BinaryHeap<Reverse<(u64, u64, u64)>>,
    next_list_id: u64,
    /// Node's `nextExpiry` (`u64::MAX` is Infinity).
    next_expiry: u64,
    /// Node's `refCount`: referenced timers.
    ref_count: usize,
    pub(crate) uv: UvTimer,
}

/// Node's coercion of a delay: outside `1..=TIMEOUT_MAX` it is 1 ms.
pub fn coerce_delay(ms: u64) -> u64 {
    if (1..=TIMEOUT_MAX).contains(&ms) {
        ms
    } else {
        1
    }
}

impl Timers {
    pub(crate) fn new() -> Timers {
        Timers {
            next_expiry: u64::MAX,
            ..Default::default()
        }
    }

    /// Creates a timer started at `start` (the current loop time); `now` is that time too.
    pub(crate) fn create(
        &mut self,
        msecs: u64,
        repeat: bool,
        callback: Callback,
        start: u64,
    ) -> Key {
        let key = self.slab.insert(Timer {
            msecs,
            start,
            repeat: repeat.then_some(msecs),
            refed: true,
            callback,
            prev: None,
            next: None,
            linked: false,
        });
        self.inc_ref();
        self.insert(key, start);
        key
    }

    /// Node's `insert(item, msecs, start)`: append to the list for its duration.
    fn insert(&mut self, key: Key, start: u64) {
        let msecs = {
            let t = self.slab.get_mut(key).expect("live timer");
            t.start = start;
            t.msecs
        };
        if !self.lists.contains_key(&msecs) {
            let expiry = start + msecs;
            let id = self.next_list_id;
            self.next_list_id += 1;
            self.lists.insert(
                msecs,
                List {
                    expiry,
                    id,
                    head: None,
                    tail: None,
                },
            );
            self.queue.push(Reverse((expiry, id, msecs)));
            if self.next_expiry > expiry {
                // scheduleTimer(msecs): the uv timer is due `msecs` after the loop's time,
                // which `start` is.
                self.uv.due = Some(start + msecs);
                self.next_expiry = expiry;
            }
        }
        let list = self.lists.get_mut(&msecs).expect("list exists");
        let old_tail = list.tail;
        list.tail = Some(key);
        if list.head.is_none() {
            list.head = Some(key);
        }
        if let Some(t) = old_tail {
            self.slab.get_mut(t).expect("tail is live").next = Some(key);
        }
        let t = self.slab.get_mut(key).expect("live timer");
        t.prev = old_tail;
        t.next = None;
        t.linked = true;
    }

    /// Unlinks a timer from its list (Node's `L.remove`); the list itself stays until visited.
    fn unlink(&mut self, key: Key) {
        let Some(t) = self.slab.get_mut(key) else {
            return;
        };
        if !t.linked {
            return;
        }
        t.linked = false;
        let (prev, next, msecs) = (t.prev.take(), t.next.take(), t.msecs);
        match prev {
            Some(p) => self.slab.get_mut(p).expect("prev is live").next = next,
            None => {
                if let Some(l) = self.lists.get_mut(&msecs) {
                    l.head = next;
                }
            }
        }
        match next {
            Some(n) => self.slab.get_mut(n).expect("next is live").prev = prev,
            None => {
                if let Some(l) = self.lists.get_mut(&msecs) {
                    l.tail = prev;
                }
            }
        }
    }

    fn inc_ref(&mut self) {
        self.ref_count += 1;
        if self.ref_count == 1 {
            self.uv.refed = true;
        }
    }

    fn dec_ref(&mut self) {
        self.ref_count -= 1;
        if self.ref_count == 0 {
            self.uv.refed = false;
        }
    }

    /// `clearTimeout` / `clearInterval` (Node's `unenroll`).
    pub(crate) fn clear(&mut self, key: Key) {
        self.unlink(key);
        if let Some(t) = self.slab.remove(key) {
            if t.refed {
                self.dec_ref();
            }
        }
    }

    /// `timeout.refresh()`: restart the countdown from `now`.
    pub(crate) fn refresh(&mut self, key: Key, now: u64) {
        if self.slab.get(key).is_some_and(|t| t.linked) {
            self.unlink(key);
            self.insert(key, now);
        }
    }

    pub(crate) fn set_ref(&mut self, key: Key, refed: bool) {
        let Some(t) = self.slab.get_mut(key) else {
            return;
        };
        if t.refed == refed {
            return;
        }
        t.refed = refed;
        if refed {
            self.inc_ref()
        } else {
            self.dec_ref()
        }
    }

    pub(crate) fn has_ref(&self, key: Key) -> bool {
        self.slab.get(key).is_some_and(|t| t.refed)
    }

    /// The first step of Node's `processTimers(now)`: the next list to visit, if its expiry
    /// has come; otherwise records `nextExpiry` and returns `None`.
    pub(crate) fn next_due_list(&mut self, now: u64) -> Option<u64> {
        while let Some(&Reverse((expiry, id, msecs))) = self.queue.peek() {
            let live = self.lists.get(&msecs).is_some_and(|l| l.id == id);
            if !live {
                self.queue.pop();
                continue;
            }
            if expiry > now {
                self.next_expiry = expiry;
                return None;
            }
            return Some(msecs);
        }
        self.next_expiry = u64::MAX;
        None
    }

    /// One step of Node's `listOnTimeout(list, now)`: the next timer of list `msecs` to run,
    /// unlinked and with its callback taken out; or `None` when the list is done for now (it
    /// was rescheduled, or emptied and deleted).
    pub(crate) fn next_timer_of(&mut self, msecs: u64, now: u64) -> Option<(Key, Callback)> {
        let list = self.lists.get(&msecs)?;
        let Some(key) = list.head else {
            // The list ran out: delete it (its queue entry goes stale).
            self.lists.remove(&msecs);
            self.queue.pop();
            return None;
        };
        let start = self.slab.get(key).expect("listed timer is live").start;
        if now.saturating_sub(start) < msecs {
            // Too early for this list's next timer: reschedule the list.
            let expiry = (start + msecs).max(now + 1);
            let id = self.next_list_id;
            self.next_list_id += 1;
            let list = self.lists.get_mut(&msecs).expect("list exists");
            list.expiry = expiry;
            list.id = id;
            self.queue.pop();
            self.queue.push(Reverse((expiry, id, msecs)));
            return None;
        }
        self.unlink(key);
        let t = self.slab.get_mut(key).expect("live timer");
        let cb = std::mem::replace(&mut t.callback, Callback::Running);
        if t.repeat.is_none() {
            // A timeout is done once it runs: its handle goes stale now.
            let t = self.slab.remove(key).expect("live timer");
            if t.refed {
                self.dec_ref();
            }
        }
        Some((key, cb))
    }

    /// After an interval's callback: put the callback back and re-arm from `start` (the time
    /// the callback started), unless it was cleared meanwhile.
    pub(crate) fn rearm_interval(&mut self, key: Key, cb: Box<dyn FnMut()>, start: u64) {
        let Some(t) = self.slab.get_mut(key) else {
            return;
        };
        t.callback = Callback::Repeat(cb);
        if let Some(repeat) = t.repeat {
            t.msecs = repeat;
            if t.linked {
                // Refreshed from its own callback: already re-inserted.
                return;
            }
            self.insert(key, start);
        }
    }

    /// After a run of `processTimers`: re-arm the uv timer as Node's `RunTimers` does.
    pub(crate) fn after_run(&mut self, loop_time: u64) {
        if self.next_expiry == u64::MAX {
            self.uv.due = None;
        } else {
            let duration = self.next_expiry.saturating_sub(loop_time).max(1);
            self.uv.due = Some(loop_time + duration);
        }
        self.uv.refed = self.ref_count > 0;
    }

    /// Live timers (for tests and diagnostics).
    pub(crate) fn len(&self) -> usize {
        self.slab.len()
    }
}
