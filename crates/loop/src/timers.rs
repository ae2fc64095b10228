//! Node's timers (`lib/internal/timers.js`), driven by one libuv timer, as Node does it.
//!
//! Timers with the same duration share a list, in insertion order (their start times only grow,
//! so each list is sorted by due time). A priority queue orders the lists by
//! `(expiry, list id)`. This is why 1,000,000 live timers stay cheap: insert and cancel are
//! O(1) (append / unlink), firing is O(1) per timer plus O(log L) per list visit, where L is the
//! number of distinct durations.
//!
//! Node links a list's timers to each other; here a list is a queue of `(key, stamp)` entries
//! and a timer only knows whether it is linked and under which stamp. Unlinking (clear,
//! refresh, firing) then touches the timer and its list, never its neighbours, whose slab
//! entries are scattered and cold when a million timers with random delays interleave: the
//! neighbour's cache miss was most of the cost of clearing and firing. An entry whose timer
//! was unlinked since is stale and skipped when it reaches the front; stale entries are dropped
//! at once when a list has no live timer left, and in bulk when they outnumber the live ones,
//! so a list never holds more than about twice its live timers. The order of the live entries
//! is the order of Node's linked list.
//!
//! The whole structure is served by a single libuv-style timer ([`UvTimer`]): due at the
//! nearest list expiry, referenced while any referenced Node timer exists (`refCount`), exactly
//! like `env->timer_handle()`.

use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::slab::{Key, Slab};
use crate::sys::small_fn::SmallFn;

/// Node's largest delay; anything outside `1..=TIMEOUT_MAX` becomes 1 ms.
pub const TIMEOUT_MAX: u64 = 2_147_483_647;

/// How many list entries ahead of the one firing to prefetch (see `next_timer_of`).
const PREFETCH_AHEAD: usize = 8;

/// What a timer runs.
pub(crate) enum Callback {
    Once(SmallFn),
    /// An interval's callback, boxed twice so that the variant is one word; `None` while a
    /// callback is taken out to run ([`Callback::RUNNING`]). Two variants and no more keep
    /// `Callback` as small as a `SmallFn` (its function pointer tells them apart).
    Repeat(Option<Box<Box<dyn FnMut()>>>),
}

impl Callback {
    /// The placeholder left in a timer while its callback runs.
    pub(crate) const RUNNING: Callback = Callback::Repeat(None);
}

/// A timer's slab entry, kept within one 64-byte cache line with the slab's generation (the
/// lists visit a million of them in an order unrelated to their place in memory): durations
/// are at most [`TIMEOUT_MAX`], so 32 bits hold them.
pub(crate) struct Timer {
    /// The list key: the (coerced) duration in ms.
    msecs: u32,
    /// `_idleStart`: when the current countdown began.
    start: u64,
    /// `_repeat`: the interval; 0 for a timeout (an interval's is at least 1).
    repeat: u32,
    refed: bool,
    pub(crate) callback: Callback,
    /// Linked into its list.
    linked: bool,
    /// Counts the timer's insertions: only the list entry carrying the current stamp is its.
    stamp: u32,
}

struct List {
    expiry: u64,
    id: u64,
    /// The list's timers in insertion order, with the stamp each was inserted under; entries
    /// whose timer has been unlinked since are stale (see [`is_current`]).
    entries: VecDeque<(Key, u32)>,
    /// How many entries are not stale.
    live: usize,
}

/// Whether a list entry is its timer's current place: the timer is alive (a freed and reused
/// slot has another generation), linked, and was last inserted under this stamp.
fn is_current(slab: &Slab<Timer>, (key, stamp): (Key, u32)) -> bool {
    slab.get(key).is_some_and(|t| t.linked && t.stamp == stamp)
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
        // `coerce_delay` made every duration fit.
        let msecs = u32::try_from(msecs).unwrap_or(1);
        let key = self.slab.insert(Timer {
            msecs,
            start,
            repeat: if repeat { msecs } else { 0 },
            refed: true,
            callback,
            linked: false,
            stamp: 0,
        });
        self.inc_ref();
        self.insert(key, start);
        key
    }

    /// Node's `insert(item, msecs, start)`: append to the list for its duration.
    fn insert(&mut self, key: Key, start: u64) {
        let (msecs, stamp) = {
            let t = self.slab.get_mut(key).expect("live timer");
            t.start = start;
            t.linked = true;
            t.stamp = t.stamp.wrapping_add(1);
            (u64::from(t.msecs), t.stamp)
        };
        let list = match self.lists.entry(msecs) {
            Entry::Occupied(list) => list.into_mut(),
            Entry::Vacant(vacant) => {
                let expiry = start + msecs;
                let id = self.next_list_id;
                self.next_list_id += 1;
                self.queue.push(Reverse((expiry, id, msecs)));
                if self.next_expiry > expiry {
                    // scheduleTimer(msecs): the uv timer is due `msecs` after the loop's time,
                    // which `start` is.
                    self.uv.due = Some(start + msecs);
                    self.next_expiry = expiry;
                }
                vacant.insert(List {
                    expiry,
                    id,
                    entries: VecDeque::new(),
                    live: 0,
                })
            }
        };
        list.entries.push_back((key, stamp));
        list.live += 1;
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
        let (msecs, stamp) = (u64::from(t.msecs), t.stamp);
        if let Some(list) = self.lists.get_mut(&msecs) {
            list.live -= 1;
            if list.live == 0 {
                list.entries.clear();
            } else if list.entries.front() == Some(&(key, stamp)) {
                // Timers are mostly cleared oldest first: drop the entry while it is at hand,
                // and ask for the list's coming entries, which a clear of this list's next
                // timer (after many of other lists) would otherwise find cold.
                list.entries.pop_front();
                if let Some(ahead) = list.entries.get(PREFETCH_AHEAD) {
                    crate::sys::prefetch::prefetch(ahead);
                }
            } else if list.entries.len() > 2 * list.live + 16 {
                let slab = &self.slab;
                list.entries.retain(|&e| is_current(slab, e));
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
        let list = self.lists.get_mut(&msecs)?;
        // The first entry that is still its timer's place is Node's list head.
        let head = loop {
            match list.entries.front() {
                Some(&entry) if is_current(&self.slab, entry) => break entry.0,
                Some(_) => {
                    list.entries.pop_front();
                }
                None => {
                    // The list ran out: delete it (its queue entry goes stale).
                    self.lists.remove(&msecs);
                    self.queue.pop();
                    return None;
                }
            }
        };
        let start = self.slab.get(head).expect("listed timer is live").start;
        if now.saturating_sub(start) < msecs {
            // Too early for this list's next timer: reschedule the list.
            let expiry = (start + msecs).max(now + 1);
            let id = self.next_list_id;
            self.next_list_id += 1;
            list.expiry = expiry;
            list.id = id;
            self.queue.pop();
            self.queue.push(Reverse((expiry, id, msecs)));
            return None;
        }
        list.entries.pop_front();
        list.live -= 1;
        if list.live == 0 {
            list.entries.clear();
        } else if let Some(&(ahead, _)) = list.entries.get(PREFETCH_AHEAD) {
            // Due timers run back to back: fetch the slab entry of one a few places on now,
            // so that its cache miss overlaps the ones before it.
            self.slab.prefetch(ahead);
        }
        let t = self.slab.get_mut(head).expect("live timer");
        t.linked = false;
        let cb = std::mem::replace(&mut t.callback, Callback::RUNNING);
        if t.repeat == 0 {
            // A timeout is done once it runs: its handle goes stale now.
            let t = self.slab.remove(head).expect("live timer");
            if t.refed {
                self.dec_ref();
            }
        }
        Some((head, cb))
    }

    /// After an interval's callback: put the callback back and re-arm from `start` (the time
    /// the callback started), unless it was cleared meanwhile.
    pub(crate) fn rearm_interval(&mut self, key: Key, cb: Box<Box<dyn FnMut()>>, start: u64) {
        let Some(t) = self.slab.get_mut(key) else {
            return;
        };
        t.callback = Callback::Repeat(Some(cb));
        if t.repeat != 0 {
            t.msecs = t.repeat;
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

#[cfg(test)]
mod tests {
    //! The lists against a model of Node's linked lists: random creates, clears, refreshes and
    //! firings must run the same timers in the same order.

    use std::collections::HashMap;

    use super::{Callback, Timer, Timers};
    use crate::slab::Key;
    use crate::sys::small_fn::SmallFn;

    /// Node's `timerListMap` reduced to what order depends on: each duration's timers, oldest
    /// insertion first.
    #[derive(Default)]
    struct Model {
        lists: HashMap<u64, Vec<Key>>,
    }

    impl Model {
        fn unlink(&mut self, key: Key) {
            for list in self.lists.values_mut() {
                list.retain(|&k| k != key);
            }
        }
    }

    #[test]
    fn a_timer_entry_fits_one_cache_line_with_its_generation() {
        assert_eq!(std::mem::size_of::<Callback>(), 32);
        assert_eq!(crate::slab::Slab::<Timer>::SLOT_SIZE, 64);
    }

    #[test]
    fn lists_keep_node_order_under_random_operations() {
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _round in 0..50 {
            let mut timers = Timers::new();
            let mut model = Model::default();
            let mut live: Vec<Key> = Vec::new();
            let mut now = 0u64;
            for _ in 0..2_000 {
                match next(10) {
                    0..=4 => {
                        let msecs = 1 + next(4) * 5;
                        let key =
                            timers.create(msecs, false, Callback::Once(SmallFn::new(|| {})), now);
                        model.lists.entry(msecs).or_default().push(key);
                        live.push(key);
                    }
                    5 | 6 if !live.is_empty() => {
                        let key = live.swap_remove(next(live.len() as u64) as usize);
                        timers.clear(key);
                        model.unlink(key);
                    }
                    7 if !live.is_empty() => {
                        let key = live[next(live.len() as u64) as usize];
                        timers.refresh(key, now);
                        model.unlink(key);
                        let msecs = u64::from(timers.slab.get(key).expect("live").msecs);
                        model.lists.entry(msecs).or_default().push(key);
                    }
                    _ => {
                        now += next(12);
                        // processTimers: every due list, each until its head is not due.
                        while let Some(msecs) = timers.next_due_list(now) {
                            while let Some((key, _cb)) = timers.next_timer_of(msecs, now) {
                                let list = model.lists.get_mut(&msecs).expect("model list");
                                assert_eq!(list.first(), Some(&key), "head of list {msecs}");
                                list.remove(0);
                                live.retain(|&k| k != key);
                            }
                        }
                    }
                }
                // A list never holds many more entries than live timers.
                for (msecs, list) in &timers.lists {
                    assert!(
                        list.entries.len() <= 2 * list.live + 16,
                        "list {msecs} too long"
                    );
                }
            }
            assert_eq!(timers.len(), live.len());
        }
    }
}
