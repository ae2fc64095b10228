//! Polling briefly before sleeping, when the last sleeps were short.
//!
//! A loop that sleeps in `epoll_wait` pays a wake-up when its event comes: on a virtual
//! machine, an inter-processor interrupt to a halted vCPU, 15–25 µs here. A request/response
//! exchange with another process (fork's channel, a local socket) pays it twice per round trip,
//! and that, not the work, sets its rate. The kernel's `haltpoll` governor answers this by
//! polling before halting; where it is off, the loop does the same in user space: before a
//! blocking poll it polls without blocking, yielding the CPU between polls, for up to a
//! *window*, then sleeps as before.
//!
//! The window adapts as `haltpoll`'s does ([`Governor::record`]): it grows (from [`START`],
//! doubling, up to [`MAX`]) after a sleep that a window of [`MAX`] would have caught, and
//! halves (down to 0) after a wait longer than [`MAX`] or one that its timeout ended (no
//! window catches an event that never came). A loop whose waits are long (an idle
//! server, timers of a millisecond or more) therefore stops polling after a few waits and costs
//! nothing; one in a tight exchange keeps its window and answers without a wake-up.
//! The loop yields the CPU (`sched_yield`) between polls. A yield that comes back late
//! ([`CONTENDED`]) ran another thread there: the peer on the same CPU, or this process's own
//! pool workers. Polling would take their CPU, and the event it waits for may be theirs to
//! make, so the loop sleeps at once and keeps its window shut for the next [`COOLDOWN`]
//! waits, doubling with each contention in a row (a yield is sometimes late on an idle CPU
//! too: an interrupt, the hypervisor). For the same reason a loop with worker-pool requests
//! in flight does not poll: the pool's threads need the CPUs.
//!
//! `NODESTD_LOOP_SPIN_US` (read when a loop is created) caps the window in µs; `0` turns
//! polling off, as libuv (which never polls) behaves.

use std::cell::Cell;
use std::time::Duration;

/// The largest window by default: longer waits are not worth a CPU.
pub(crate) const MAX: Duration = Duration::from_micros(50);
/// The first window after a short sleep.
pub(crate) const START: Duration = Duration::from_micros(10);

/// A `sched_yield` that took this long ran another thread: the CPU is wanted.
pub(crate) const CONTENDED: Duration = Duration::from_micros(5);
/// Waits after a contended poll during which the window stays shut: the first time; each
/// contended poll after it doubles the count, up to [`COOLDOWN_MAX`], and a poll that catches
/// its event brings it back to this.
pub(crate) const COOLDOWN: u32 = 16;
/// The longest cooldown, in waits.
pub(crate) const COOLDOWN_MAX: u32 = 4096;

/// How a wait ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Polling found events: no sleep.
    Caught,
    /// The loop slept (its window was shut, or ran out) until an event came.
    Slept,
    /// The loop slept until its timeout, with no event: polling could not have helped.
    TimedOut,
    /// A yield between polls ran another thread on this CPU (the peer, or this process's
    /// own workers): polling would take their CPU, so the loop slept instead.
    Contended,
}

/// The adaptive window of one loop.
#[derive(Debug)]
pub(crate) struct Governor {
    /// The current window (zero: sleep at once).
    window: Cell<Duration>,
    /// Waits left before the window may open again after contention.
    cooldown: Cell<u32>,
    /// The cooldown the next contention starts.
    next_cooldown: Cell<u32>,
    /// The cap: [`MAX`], or `NODESTD_LOOP_SPIN_US`.
    max: Duration,
}

impl Governor {
    /// A governor capped by `NODESTD_LOOP_SPIN_US` when set, else by [`MAX`].
    pub(crate) fn from_env() -> Governor {
        let max = std::env::var("NODESTD_LOOP_SPIN_US")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(MAX, Duration::from_micros);
        Governor::with_max(max)
    }

    pub(crate) fn with_max(max: Duration) -> Governor {
        Governor {
            window: Cell::new(Duration::ZERO),
            cooldown: Cell::new(0),
            next_cooldown: Cell::new(COOLDOWN),
            max,
        }
    }

    /// How long to poll before a wait of at most `timeout` (`None`: no limit).
    pub(crate) fn window(&self, timeout: Option<Duration>) -> Duration {
        let w = self.window.get();
        timeout.map_or(w, |t| w.min(t))
    }

    /// Learn from one wait: `waited` from its start to its events (or its timeout), and how
    /// it ended.
    pub(crate) fn record(&self, waited: Duration, outcome: Outcome) {
        match outcome {
            _ if self.max.is_zero() => return,
            Outcome::Caught => {
                self.next_cooldown.set(COOLDOWN);
                return;
            }
            Outcome::Contended => {
                let n = self.next_cooldown.get();
                self.window.set(Duration::ZERO);
                self.cooldown.set(n);
                self.next_cooldown.set((n * 2).min(COOLDOWN_MAX));
                return;
            }
            Outcome::Slept | Outcome::TimedOut => {}
        }
        if self.cooldown.get() > 0 {
            self.cooldown.set(self.cooldown.get() - 1);
            return;
        }
        let w = self.window.get();
        if waited <= self.max && outcome == Outcome::Slept {
            // A longer window would have caught it: grow.
            let grown = if w.is_zero() { START } else { w * 2 };
            self.window.set(grown.min(self.max));
        } else if !w.is_zero() {
            // Polling was wasted: shrink, to nothing below a microsecond.
            let half = w / 2;
            self.window.set(if half < Duration::from_micros(1) {
                Duration::ZERO
            } else {
                half
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: Duration = Duration::from_micros(1);

    #[test]
    fn starts_asleep() {
        assert_eq!(Governor::with_max(MAX).window(None), Duration::ZERO);
    }

    #[test]
    fn short_sleeps_grow_the_window_to_its_cap() {
        let g = Governor::with_max(MAX);
        let mut seen = vec![];
        for _ in 0..5 {
            g.record(20 * US, Outcome::Slept);
            seen.push(g.window(None).as_micros());
        }
        assert_eq!(seen, [10, 20, 40, 50, 50]);
    }

    #[test]
    fn a_short_timeout_does_not_open_it() {
        let g = Governor::with_max(MAX);
        g.record(20 * US, Outcome::TimedOut);
        assert_eq!(g.window(None), Duration::ZERO);
        g.record(20 * US, Outcome::Slept);
        g.record(20 * US, Outcome::TimedOut);
        assert_eq!(g.window(None), START / 2, "a timeout shrinks it");
    }

    #[test]
    fn caught_events_keep_the_window() {
        let g = Governor::with_max(MAX);
        g.record(5 * US, Outcome::Slept);
        g.record(5 * US, Outcome::Caught);
        assert_eq!(g.window(None), START);
    }

    #[test]
    fn long_waits_shrink_it_to_nothing() {
        let g = Governor::with_max(MAX);
        for _ in 0..4 {
            g.record(US, Outcome::Slept);
        }
        let mut steps = 0;
        while !g.window(None).is_zero() {
            g.record(Duration::from_millis(1), Outcome::Slept);
            steps += 1;
        }
        assert_eq!(steps, 6, "50 → 25 → 12.5 → 6.25 → 3.1 → 1.6 → 0");
    }

    #[test]
    fn the_timeout_bounds_the_window() {
        let g = Governor::with_max(MAX);
        g.record(US, Outcome::Slept);
        assert_eq!(g.window(Some(Duration::ZERO)), Duration::ZERO);
        assert_eq!(g.window(Some(3 * US)), 3 * US);
    }

    #[test]
    fn contention_shuts_the_window_for_a_while() {
        let g = Governor::with_max(MAX);
        g.record(US, Outcome::Slept);
        g.record(US, Outcome::Contended);
        assert_eq!(g.window(None), Duration::ZERO);
        for _ in 0..COOLDOWN {
            g.record(US, Outcome::Slept);
            assert_eq!(g.window(None), Duration::ZERO);
        }
        g.record(US, Outcome::Slept);
        assert_eq!(g.window(None), START);
    }

    /// The waits a contended governor spends shut.
    fn shut_for(g: &Governor) -> u32 {
        g.record(US, Outcome::Contended);
        let mut n = 0;
        while g.window(None).is_zero() {
            g.record(US, Outcome::Slept);
            n += 1;
        }
        n
    }

    #[test]
    fn repeated_contention_doubles_the_cooldown_and_a_catch_resets_it() {
        let g = Governor::with_max(MAX);
        g.record(US, Outcome::Slept);
        let runs: Vec<u32> = (0..10).map(|_| shut_for(&g)).collect();
        // Each count includes the wait that reopens the window.
        assert_eq!(
            runs,
            [17, 33, 65, 129, 257, 513, 1025, 2049, 4097, 4097],
            "doubling from COOLDOWN to COOLDOWN_MAX"
        );
        g.record(US, Outcome::Caught);
        assert_eq!(shut_for(&g), COOLDOWN + 1);
    }

    #[test]
    fn a_zero_cap_never_polls() {
        let g = Governor::with_max(Duration::ZERO);
        for _ in 0..10 {
            g.record(US, Outcome::Slept);
        }
        assert_eq!(g.window(None), Duration::ZERO);
    }
}
