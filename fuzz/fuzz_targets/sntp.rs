//! Fuzz target: see `tessera_fuzz::sntp`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::sntp(data));
