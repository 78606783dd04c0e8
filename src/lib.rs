//! The pure logic of `s6-ipcserver-socketbinder`: everything that can be
//! decided without a system call, kept apart so that it can be unit-tested,
//! property-tested and fuzzed natively. The binary (`main.rs`) adds origin's
//! entry point and the syscalls.
//!
//! No heap, no `core::fmt`, no panicking operations: with origin's trap
//! handler a panic would be a silent SIGILL in early boot.

#![cfg_attr(not(test), no_std)]
// `unsafe` only in `word` (the fence: words, argv, envp, C strings) and
// `addr` (the `sockaddr_un` handed to the kernel); `diag`'s tests call
// glibc; every other module forbids it.
#![deny(unsafe_code)]
// Tests may panic: that is how they fail.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::panic
    )
)]

pub mod addr; // the sockaddr_un built in place, and the lock path beside it
pub mod args; // the s6 command-line grammar, parsed in place
pub mod diag; // program name, exit codes, message texts, glibc errno texts
pub mod label; // SELinux contexts and SMACK labels, checked before any side effect
pub mod listenfds; // systemd socket activation: LISTEN_* in fixed storage
pub mod names; // user and group names: a streamed /etc/passwd and /etc/group scanner
pub mod num; // decimal and octal scanning, decimal printing
pub mod search; // PATH walking and joining into a fixed buffer
pub mod word; // NUL-terminated words, argv and envp borrowed in place (unsafe fence)

pub use word::{Args, Env, EnvArray, Word};
