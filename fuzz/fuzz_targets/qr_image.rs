//! Fuzz target: see `tessera_fuzz::qr_image`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::qr_image(data));
