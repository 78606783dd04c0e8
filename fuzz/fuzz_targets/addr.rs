//! Fuzz target `addr`: paths set one after the other on one Addr: lengths, NUL, lock name, sockaddr.
#![no_main]

#[allow(dead_code, missing_docs)]
#[path = "../../tests/cli/model.rs"]
mod model;

libfuzzer_sys::fuzz_target!(|data: &[u8]| model::fuzz_addr(data));
