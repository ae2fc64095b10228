//! libFuzzer target `zlib_inflate`: the function `nodestd_fuzz::targets::zlib_inflate` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("zlib_inflate", data));
