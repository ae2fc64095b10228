//! libFuzzer target `key_import`: the function `nodestd_fuzz::targets::key_import` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("key_import", data));
