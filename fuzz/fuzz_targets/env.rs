//! Fuzz target `env`: a name and environment entries: Env::get finds the first NAME=.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_env(data));
