//! `openat(AT_FDCWD, …)` and `fstatat(AT_FDCWD, …)` for part F's steps and
//! the set-group-ID check, instead of the `open` and `lstat` that the
//! plain flow makes (the lock file, the stale socket): with a second
//! caller of those, LLVM stopped inlining them into the plain flow, which
//! cost it 20 instructions a run (measured); one copy of each `*at` form
//! serves every other caller.
#![forbid(unsafe_code)]

use core::ffi::CStr;
use rustix::fd::OwnedFd;
use rustix::fs::{self, AtFlags, CWD, Mode, OFlags};
use rustix::io::Errno;

/// `openat(AT_FDCWD, path, flags | O_CLOEXEC, 0)`. Left to LLVM: with
/// its two callers (`selinux::set`, `userdb::name`) both out of line it
/// keeps one copy on x86_64 and inlines it on i686 (76 bytes smaller).
pub fn open(path: &CStr, flags: OFlags) -> Result<OwnedFd, Errno> {
    fs::openat(CWD, path, flags | OFlags::CLOEXEC, Mode::empty())
}

/// What the callers look at in a file's status: its mode (type and
/// permissions) and its group.
pub struct Meta {
    /// `st_mode`.
    pub mode: u32,
    /// `st_gid`.
    pub gid: u32,
}

/// `fstatat(AT_FDCWD, path, flags)`: what is at `path` (`flags`:
/// `AT_SYMLINK_NOFOLLOW` for the link itself, or empty).
#[cfg(target_pointer_width = "64")]
#[cfg_attr(feature = "full", inline(never))]
pub fn stat(path: &CStr, flags: AtFlags) -> Result<Meta, Errno> {
    let st = fs::statat(CWD, path, flags)?;
    Ok(Meta {
        mode: st.st_mode,
        gid: st.st_gid,
    })
}

/// `statx(AT_FDCWD, path, flags, STATX_TYPE | STATX_MODE | STATX_GID)`:
/// on 32-bit targets rustix's `fstatat` is a `statx` for every field, a
/// conversion to `struct stat` and an `fstatat64` fallback (339 bytes on
/// i686, beside a 309-byte conversion); the two fields asked of `statx`
/// alone take none of it. `statx` is Linux 4.11's (2017): on an older
/// 32-bit kernel the steps that look (`--symlink`, `--dir-group`) fail
/// with `ENOSYS`, the set-group-ID check finds nothing to refuse.
#[cfg(not(target_pointer_width = "64"))]
#[cfg_attr(feature = "full", inline(never))]
pub fn stat(path: &CStr, flags: AtFlags) -> Result<Meta, Errno> {
    let mask = fs::StatxFlags::TYPE | fs::StatxFlags::MODE | fs::StatxFlags::GID;
    let st = fs::statx(CWD, path, flags, mask)?;
    Ok(Meta {
        mode: u32::from(st.stx_mode),
        gid: st.stx_gid,
    })
}

/// [`stat`] of the link itself (`AT_SYMLINK_NOFOLLOW`).
pub fn lstat(path: &CStr) -> Result<Meta, Errno> {
    stat(path, AtFlags::SYMLINK_NOFOLLOW)
}
