//! Fuzz target: see `tessera_fuzz::backup`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::backup(data));
