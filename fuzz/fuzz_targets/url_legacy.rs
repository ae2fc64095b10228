//! libFuzzer target `url_legacy`: the function `nodestd_fuzz::targets::url_legacy` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("url_legacy", data));
