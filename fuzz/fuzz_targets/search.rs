//! Fuzz target `search`: a PATH value and prog: search::dirs, search::join, search::next.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_search(data));
