//! Google's C brotli encoder (1.2.0, built from source by `compu-brotli-sys`), called as
//! Node's `BrotliEncoderContext` calls it: the one audited module of this crate with `unsafe`.
//!
//! Chosen by measurement (issue 20; the bench corpus, node v20 runs C brotli 1.1.0): C
//! against the pure-Rust `brotli` crate, thread CPU time, quality 1 244 / 146 MiB/s, quality
//! 4 47.6 / 30.3. C 1.2.0 (this crate's), the pre-1.1.0 snapshot `brotlic-sys` vendors (its
//! `version.h` says 1.0.9) and 1.1.0 run the same work: 359.6M, 359.7M and 359.7M
//! instructions (callgrind) for 4 MiB at quality 4, and node's `BrotliEncoderCompressStream`
//! 358.8M against 357.5M here (quality 1: 105.2M / 105.6M); so CPU-time ratios against node
//! (0.87–1.31 in alternating runs on the loaded machine) are the machine's noise. 1.2.0's
//! output is Node's byte for byte at every quality (0 to 11) on the corpus and in
//! `tests/zlib_brotli_output.rs`; the snapshot's differed at quality 4. Decompression stays
//! on the Rust `brotli-decompressor` (CPU time, two alternating runs: 344–435 MiB/s against
//! C 1.2.0's 303–384 and node's 211–331).

#![allow(unsafe_code)]

use std::ptr::{self, NonNull};

use compu_brotli_sys as sys;

/// An encoder instance, owned: created by `BrotliEncoderCreateInstance`, destroyed on drop.
pub(crate) struct State(NonNull<sys::BrotliEncoderState>);

// SAFETY: the state is a heap object reached only through this owner (no aliasing handle
// exists), and C brotli's encoder keeps no thread-local or global mutable state, so moving
// it to another thread (a worker-pool job) and using it there is sound.
unsafe impl Send for State {}

impl State {
    /// A new encoder with C brotli's defaults; `None` when it cannot be allocated.
    pub(crate) fn new() -> Option<State> {
        // SAFETY: null allocation functions and opaque pointer select C brotli's malloc and
        // free, as Node's default allocator does not matter to the result.
        let raw = unsafe { sys::BrotliEncoderCreateInstance(None, None, ptr::null_mut()) };
        NonNull::new(raw).map(State)
    }

    /// `BrotliEncoderSetParameter(key, value)`, as Node passes it (`false`: refused).
    pub(crate) fn set_parameter(&mut self, key: u32, value: u32) -> bool {
        // SAFETY: the state is live (owned, not yet destroyed); any key and value are valid
        // arguments (C brotli refuses unknown keys and sanitizes values when it starts).
        unsafe { sys::BrotliEncoderSetParameter(self.0.as_ptr(), key as _, value) != 0 }
    }

    /// One `BrotliEncoderCompressStream` call: returns whether it succeeded and the bytes
    /// consumed from `input` and written to `output`.
    pub(crate) fn compress(
        &mut self,
        op: i32,
        input: &[u8],
        output: &mut [u8],
    ) -> (bool, usize, usize) {
        let mut avail_in = input.len();
        let mut next_in = input.as_ptr();
        let mut avail_out = output.len();
        let mut next_out = output.as_mut_ptr();
        // SAFETY: the state is live; `next_in` is valid for `avail_in` bytes of reads and
        // `next_out` for `avail_out` bytes of writes, both borrowed for the call only; C
        // brotli advances the pointers and counts within those bounds; a null `total_out` is
        // allowed.
        let ok = unsafe {
            sys::BrotliEncoderCompressStream(
                self.0.as_ptr(),
                op as _,
                &mut avail_in,
                &mut next_in,
                &mut avail_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        (ok != 0, input.len() - avail_in, output.len() - avail_out)
    }

    /// `BrotliEncoderIsFinished`.
    pub(crate) fn is_finished(&mut self) -> bool {
        // SAFETY: the state is live.
        unsafe { sys::BrotliEncoderIsFinished(self.0.as_ptr()) != 0 }
    }
}

impl Drop for State {
    fn drop(&mut self) {
        // SAFETY: the state came from `BrotliEncoderCreateInstance`, is destroyed once here,
        // and no pointer to it outlives its owner.
        unsafe { sys::BrotliEncoderDestroyInstance(self.0.as_ptr()) }
    }
}
