//! libFuzzer target `http_request`: the function `nodestd_fuzz::targets::http_request` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("http_request", data));
