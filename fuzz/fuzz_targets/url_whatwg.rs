//! libFuzzer target `url_whatwg`: the function `nodestd_fuzz::targets::url_whatwg` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("url_whatwg", data));
