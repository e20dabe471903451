//! Fuzz target: see `tessera_fuzz::secret`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tessera_fuzz::secret(data));
