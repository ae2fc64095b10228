//! The linear-time check: a target run on an input and on the same input made 8× bigger must
//! not take more than [`MAX_GROWTH`]× longer. A quadratic target takes 64× longer; linear or
//! `n log n` work stays well under 40×. Times are the CPU time of this thread (so a run that
//! the scheduler preempts on a busy machine is not charged for the wait: wall-clock times
//! gave false findings while other builds ran), the minimum of [`RUNS`] runs, and the check
//! only applies once the bigger run takes [`MIN_MEASURE`] or more, below which timer noise
//! dominates. A ratio over the bound is measured again before it counts.

use crate::{Outcome, Scale, Target};
use rustix::time::{ClockId, clock_gettime};
use std::time::Duration;

/// How much bigger the second input is.
pub const FACTOR: usize = 8;
/// The largest ratio of the two times that passes.
pub const MAX_GROWTH: f64 = 40.0;
/// Runs per input; the minimum counts.
pub const RUNS: usize = 3;
/// The smaller input is grown to at least this many bytes before measuring.
pub const BASE_BYTES: usize = 4096;
/// Below this time for the bigger input the check does not judge.
pub const MIN_MEASURE: Duration = Duration::from_millis(2);

/// `input` grown `k` times in the target's way.
pub fn grow(scale: Scale, input: &[u8], k: usize) -> Vec<u8> {
    match scale {
        Scale::Whole | Scale::None => {
            let mut out = Vec::with_capacity(input.len() * k + k);
            for i in 0..k {
                if i > 0 && scale == Scale::Whole && input.first() != Some(&0) {
                    // Keep field boundaries where a field ends and the next starts.
                    out.push(0);
                }
                out.extend_from_slice(input);
            }
            out
        }
        Scale::EachField => input
            .split(|&b| b == 0)
            .map(|f| f.repeat(k))
            .collect::<Vec<_>>()
            .join(&0u8),
    }
}

/// The CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn min_time(target: &Target, input: &[u8]) -> Duration {
    (0..RUNS)
        .map(|_| {
            let start = thread_cpu_time();
            let _ = (target.run)(input);
            thread_cpu_time().saturating_sub(start)
        })
        .min()
        .unwrap_or_default()
}

/// Checks that `target` on `input` grown to [`BASE_BYTES`] and then [`FACTOR`]× more stays
/// within [`MAX_GROWTH`]. `Ok` for targets that do not scale and inputs too small to judge.
pub fn check(target: &Target, input: &[u8]) -> Outcome {
    if target.scale == Scale::None || input.is_empty() {
        return Ok(());
    }
    let k = BASE_BYTES.div_ceil(input.len()).max(1);
    let base = grow(target.scale, input, k);
    let big = grow(target.scale, input, k * FACTOR);
    let small_t = min_time(target, &base);
    let big_t = min_time(target, &big);
    if big_t < MIN_MEASURE {
        return Ok(());
    }
    let ratio = big_t.as_secs_f64() / small_t.as_secs_f64().max(1e-9);
    if ratio > MAX_GROWTH {
        // Measure once more before calling it: a burst of load on a shared machine can hit
        // the bigger run alone.
        let small_t = min_time(target, &base);
        let big_t = min_time(target, &big);
        let ratio = big_t.as_secs_f64() / small_t.as_secs_f64().max(1e-9);
        if ratio > MAX_GROWTH {
            return Err(format!(
                "not linear: {} bytes take {small_t:?}, {FACTOR}× ({} bytes) take {big_t:?} \
                 ({ratio:.0}×, more than {MAX_GROWTH}×)",
                base.len(),
                big.len()
            ));
        }
    }
    Ok(())
}
