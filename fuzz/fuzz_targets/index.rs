//! Fuzz target: see `tessera_fuzz::index`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::index(data));
