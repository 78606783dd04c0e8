//! Fuzz target `num`: a base byte and a word: num::scan and num::fmt_u32.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_num(data));
