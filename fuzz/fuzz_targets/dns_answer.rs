//! libFuzzer target `dns_answer`: the function `nodestd_fuzz::targets::dns_answer` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("dns_answer", data));
