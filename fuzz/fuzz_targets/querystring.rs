//! libFuzzer target `querystring`: the function `nodestd_fuzz::targets::querystring` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("querystring", data));
