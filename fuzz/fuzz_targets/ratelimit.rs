#![no_main]
//! Fuzz target: see `check_ratelimit` in `fuzz/checks.rs`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_ratelimit(data));
