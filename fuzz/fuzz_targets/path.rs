//! libFuzzer target `path`: the function `nodestd_fuzz::targets::path` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("path", data));
