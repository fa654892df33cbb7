#![no_main]
//! Fuzz target: see `check_json_write` in `fuzz/checks.rs`.

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_json_write(data));
