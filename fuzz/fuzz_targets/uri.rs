//! Fuzz target: see `tessera_fuzz::uri`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::uri(data));
