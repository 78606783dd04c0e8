//! The unsafe fence of the binary: origin's raw argv/envp, execve, and the
//! two fd-number facts (fd 0 is our socket, fd 2 is stderr).
//!
//! # Safety
//!
//! Everything here turns a fact the program guarantees by construction into
//! a type: argv's pointers become `Word`s once (the kernel's layout), the
//! socket is on fd 0 once `socket::create` succeeded, and `execve` gets a
//! tail of the original, NULL-terminated argv.
#![allow(unsafe_code)]

use core::ptr::NonNull;
use rustix::fd::BorrowedFd;
use rustix::io::Errno;
use socketbinder::{Env, Word};

/// The fd the socket is created on.
pub const SOCKET_FD: i32 = 0;

/// argv as words and envp as an environment, both borrowed for the life of
/// the process.
///
/// # Safety
///
/// `argv` must hold `argc` pointers to NUL-terminated strings followed by a
/// NULL; `envp` must be a NULL-terminated array of pointers to
/// NUL-terminated strings; none of it changes while the process runs.
pub unsafe fn process_args(
    argc: usize,
    argv: *mut *mut u8,
    envp: *mut *mut u8,
) -> (&'static [Word<'static>], Env<'static>) {
    // SAFETY: `Word` is a transparent non-null pointer and argv's first
    // `argc` entries are non-null string pointers, per the contract.
    let args = unsafe { core::slice::from_raw_parts(argv.cast::<Word<'static>>(), argc) };
    // SAFETY: the kernel always passes an envp array (possibly just NULL);
    // `Option<Word>` has the layout of a nullable pointer.
    let env = unsafe {
        match NonNull::new(envp.cast()) {
            Some(p) => Env::from_ptr(p),
            None => Env::from_ptr(NonNull::from(&NO_ENV).cast()),
        }
    };
    (args, env)
}

/// An empty environment, for an execve'd process without one.
static NO_ENV: [Option<Word<'static>>; 1] = [None];

/// `close(0)`: whatever the caller had on fd 0 is not ours to keep; the
/// socket takes its place. Errors (EBADF when it was closed) do not matter.
pub fn close_fd0() {
    // SAFETY: nothing in this program owns fd 0 yet.
    unsafe { rustix::io::close(SOCKET_FD) }
}

/// The socket, once `socket::create` has put it on fd 0.
pub fn socket_fd() -> BorrowedFd<'static> {
    // SAFETY: fd 0 is open (the socket) from `socket::create` to the exec,
    // and nothing closes it.
    unsafe { BorrowedFd::borrow_raw(SOCKET_FD) }
}

/// fd 2, for messages.
pub fn stderr() -> BorrowedFd<'static> {
    // SAFETY: writing to fd 2 never closes it; if it is not open the write
    // fails with EBADF and nothing happens.
    unsafe { rustix::stdio::stderr() }
}

/// `execve(path, argv, envp)`; returns only on failure.
///
/// # Safety
///
/// `argv` must be a tail of the process's argv as returned by
/// `process_args`, so that a NULL follows its last element.
pub unsafe fn execve(path: &core::ffi::CStr, argv: &[Word<'_>], env: Env<'_>) -> Errno {
    // SAFETY: `argv` is NULL-terminated right after its end (the contract),
    // `env` is NULL-terminated by construction, all strings NUL-terminated.
    unsafe { rustix::runtime::execve(path, argv.as_ptr().cast(), env.as_ptr()) }
}
