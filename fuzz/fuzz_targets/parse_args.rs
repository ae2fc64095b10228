//! libFuzzer target `parse_args`: the function `nodestd_fuzz::targets::parse_args` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("parse_args", data));
