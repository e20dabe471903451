//! Fuzz target: see `tessera_fuzz::transfer`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::transfer(data));
