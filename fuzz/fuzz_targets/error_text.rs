//! Fuzz target `error_text`: an errno: diag::error_text is glibc's text or `Unknown error N`.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_error_text(data));
