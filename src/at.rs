//! `openat(AT_FDCWD, …)` and `fstatat(AT_FDCWD, …, AT_SYMLINK_NOFOLLOW)`
//! for part F's steps, out of line, instead of the `open` and `lstat` that
//! the plain flow makes (the lock file, the stale socket): with a second
//! caller of those, LLVM stopped inlining them into the plain flow, which
//! cost it 20 instructions a run (measured); one out-of-line copy of each
//! `*at` form serves every part F caller.
#![forbid(unsafe_code)]

use core::ffi::CStr;
use rustix::fd::OwnedFd;
use rustix::fs::{self, AtFlags, CWD, Mode, OFlags, Stat};
use rustix::io::Errno;

/// `openat(AT_FDCWD, path, flags | O_CLOEXEC, 0)`.
#[inline(never)]
pub fn open(path: &CStr, flags: OFlags) -> Result<OwnedFd, Errno> {
    fs::openat(CWD, path, flags | OFlags::CLOEXEC, Mode::empty())
}

/// `fstatat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW)`: what is at `path`.
#[inline(never)]
pub fn lstat(path: &CStr) -> Result<Stat, Errno> {
    fs::statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)
}
