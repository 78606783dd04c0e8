//! End-to-end tests: every case runs the real binary (release or debug, or
//! the one named by `BINDER`, behind the `BINDER_RUNNER` prefix, e.g.
//! `qemu-aarch64-static`) in a fresh directory and checks its exit code, its
//! exact stderr and what it left on disk or handed to prog.
//!
//! Tests named `interop_*` and `differential_*` need Debian's `s6`, `socat`
//! and python3 (`make check` installs them); skip them with
//! `cargo test -- --skip interop_ --skip differential_`.

// Tests fail by panicking.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    missing_docs
)]

mod common;
mod defects;
mod differential;
mod differential_random;
mod effects;
mod exec;
mod ext_activation;
mod ext_cli;
#[cfg(feature = "full")]
mod ext_lsm;
mod ext_owner;
#[cfg(feature = "full")]
mod ext_part_f;
#[cfg(not(feature = "full"))]
mod ext_part_f_absent;
#[cfg(feature = "full")]
mod ext_part_f_review;
mod ext_sockets;
mod faults;
mod grammar;
mod hostile;
mod interop;
mod lock;
mod model;
mod prog;
mod props;
mod rig;
mod safety;
