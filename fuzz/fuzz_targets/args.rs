//! Fuzz target `args`: argv words separated by NUL bytes, against the SPEC A1 model.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_args(data));
