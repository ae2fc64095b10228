//! libFuzzer target `ipc_reader`: the function `nodestd_fuzz::targets::ipc_reader` (crates/fuzz), a
//! finding being a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nodestd_fuzz::libfuzzer("ipc_reader", data));
