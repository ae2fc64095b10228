//! A cache prefetch hint, for walking a queue of keys into a large slab: the timer lists know
//! which slab entries they will touch next, and asking for them early overlaps the cache
//! misses instead of paying them one after another.

/// Asks the CPU to bring `value`'s first cache line into the cache. Only a hint: no effect on
/// the program's meaning, and nothing at all on targets other than x86_64.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `prefetcht0` never faults and changes no memory or register (any address is
    // allowed; this one is a live reference anyway), and SSE is part of the x86_64 baseline.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
