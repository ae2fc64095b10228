//! libFuzzer target `fs_script`: the function `nodestd_fuzz::targets::fs_script` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("fs_script", data));
