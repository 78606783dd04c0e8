//! Before any side effect: what the long options name must be usable, so
//! that a run that cannot do what was asked leaves nothing behind (issue
//! 18). An s6 command line names none of it and pays nothing (`check`
//! runs in main's steps before the socket, which only long options call
//! for; without `--notify-fd`, `--group` or `--mkdir` it makes no call).
#![forbid(unsafe_code)]

use core::ffi::CStr;
use rustix::fs::AtFlags;
use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::flag;
use socketbinder::diag::{self, EXIT_SYSCALL};

use crate::at;
use crate::raw;
use crate::say::Say;

/// Checks, in order: the `--notify-fd` fd is open (else the lock file or
/// the socket would take its number, and the newline would land there);
/// a `--mkdir` path does not end in `/` (it would make `path` a directory,
/// then fail); `--group` is not overridden by a set-group-ID directory.
/// On a refusal, the message is written and the program exits (111).
/// Out of line in the default build; inlined into `before_socket`, its
/// one caller, in the full build, where that step is out of line itself
/// (48 bytes smaller on x86_64).
#[cold]
#[cfg_attr(not(feature = "full"), inline(never))]
pub fn check(notify_fd: Option<i32>, group: Option<u32>, flags: u16, addr: &mut Addr) {
    if let Err(code) = checks(notify_fd, group, flags, addr) {
        raw::exit(code)
    }
}

fn checks(
    notify_fd: Option<i32>,
    group: Option<u32>,
    flags: u16,
    addr: &mut Addr,
) -> Result<(), i32> {
    let say = &Say::STDERR;
    // With --listen-fds, after its own check that fd is not the socket's.
    if flags & flag::LISTEN_FDS == 0 {
        notify_open(notify_fd);
    }
    let name = addr.name();
    if flags & flag::MKDIR != 0 && name.last() == Some(&b'/') {
        // What bind says for `dir/`: no such (directory) entry.
        let e = Errno::NOENT;
        return Err(say.fatal(EXIT_SYSCALL, diag::BIND, name, e));
    }
    if let Some(gid) = group {
        let mkdir = flags & flag::MKDIR != 0;
        return group_dir(addr, gid, mkdir, false, say, diag::BIND);
    }
    Ok(())
}

/// `fcntl(fd, F_GETFD)` for the `--notify-fd` fd, if given; exits (111)
/// if it is not open: the lock file or the socket would take its number,
/// and the newline would land there.
#[inline(never)]
pub fn notify_open(fd: Option<i32>) {
    if let Some(fd) = fd {
        if let Err(e) = raw::check_open(fd) {
            raw::exit(Say::STDERR.notify_failed(fd, e));
        }
    }
}

/// `--group GID`: the socket is created in a directory that has the
/// set-group-ID bit, whose group the kernel gives every new file there
/// whatever our ids, so GID would be silently ignored. Refused unless GID
/// is that group; nothing can be changed after the bind without a moment
/// where the socket exists with the wrong group, or a `chown` by path
/// (doc/extensions.md says why neither). The directory that decides is the
/// nearest existing one: the parent, or with `--mkdir` the one the new
/// directories go into (they inherit the bit and the group). One `stat`
/// per directory of the path, outermost first. Out of line only in the
/// full build, where `dir_group` calls it too (inlined into `checks`, its
/// one caller in the default build: 48 bytes smaller).
#[cfg_attr(feature = "full", inline(never))]
fn group_dir(
    addr: &mut Addr,
    gid: u32,
    mkdir: bool,
    dirs: bool,
    say: &Say,
    what: &'static [u8],
) -> Result<(), i32> {
    let base: &CStr = if addr.name().first() == Some(&b'/') {
        c"/"
    } else {
        c"."
    };
    // The nearest existing directory's group if it is set-group-ID, else
    // `gid` (which passes).
    let mut dir_gid = gid;
    let mut look = |dir: &CStr| {
        let (mode, dir_group) = mode_and_group(dir).ok_or(())?;
        dir_gid = if mode & SETGID != 0 { dir_group } else { gid };
        Ok::<(), ()>(())
    };
    // The parent exists (or --mkdir will make it): else bind says ENOENT.
    let parent = look(base).is_ok() && addr.for_each_parent(look).is_ok();
    // `|`: no branch per test (8 bytes). For the directories (`dirs`),
    // with every one there none is made: nothing to refuse.
    if (dir_gid == gid) | !(parent | mkdir) | (dirs & parent) {
        return Ok(());
    }
    Err(say.setgid_dir(what, addr.name(), gid))
}

/// `--dir-group GID` with `--mkdir`: the same rule for the directories it
/// would create (they get the nearest existing directory's group if that
/// one is set-group-ID), before any side effect; exits (111) with `unable
/// to create directory PATH as group GID: in a set-group-ID directory`.
/// With every directory there, none is created: nothing to refuse (one
/// that exists is never touched). Inlined into `before_socket`, its one
/// caller (out of line itself; 24 bytes smaller than a call).
pub fn dir_group(addr: &mut Addr, gid: u32) {
    if let Err(code) = group_dir(addr, gid, true, true, &Say::STDERR, diag::MKDIR) {
        raw::exit(code)
    }
}

/// `stat(dir)`: its mode and group.
fn mode_and_group(dir: &CStr) -> Option<(u32, u32)> {
    let st = at::stat(dir, AtFlags::empty()).ok()?;
    Some((st.mode, st.gid))
}

/// `S_ISGID`.
const SETGID: u32 = 0o2000;
