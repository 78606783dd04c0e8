//! `--mkdir` with `--dir-mode`, `--dir-owner`, `--dir-group`: each missing
//! parent directory is created with its final mode, owner and group, and
//! never changed afterwards: `mkdir(dir, mode)` under the caller's umask
//! (ours is not set yet), run with the effective uid/gid switched to the
//! owner and group as for the socket's (`ids::as_owner`). A directory that
//! already exists is not touched.
//!
//! In a setgid directory the kernel gives a new directory the parent's
//! group, whatever the effective gid: `--dir-group` cannot be honoured
//! there, and instead of a directory silently in the wrong group the run
//! fails (the directory just made is removed again).
#![forbid(unsafe_code)]

use crate::at;
use core::ffi::CStr;
use rustix::fs::{self, Mode};
use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::Ext;
use socketbinder::names::Id;

use crate::ids;
use crate::say::Say;
use crate::stop;
use core::convert::Infallible;
use socketbinder::diag;

/// Permissions without `--dir-mode` (before the umask).
const DIR_MODE: u32 = 0o755;

/// Creates the missing parents of the path. A failure ends the run
/// (`stop`: `unable to create directory DIR`), while the directory's name
/// is at hand.
pub fn make_parents(addr: &mut Addr, x: &Ext<'_>) {
    // Numbers: `userdb::resolve` replaced every name. Part F's `--dir-*`
    // are "not given" in the build without them (`Ext`'s methods).
    let owner = x.dir_owner().and_then(Id::num);
    let group = x.dir_group().and_then(Id::num);
    let mode = Mode::from_raw_mode(x.dir_mode().unwrap_or(DIR_MODE));
    let Ok(()) = addr.for_each_parent(|dir| match made(dir, mode, owner, group) {
        Ok(()) => Ok::<(), Infallible>(()),
        Err(e) => stop(&Say::STDERR, diag::MKDIR, dir.to_bytes(), e),
    });
}

/// `mkdir(dir, mode)` as `owner` and `group`; one that exists is left as
/// it is.
fn made(dir: &CStr, mode: Mode, owner: Option<u32>, group: Option<u32>) -> Result<(), Errno> {
    match ids::mkdir(owner, group, dir, mode) {
        Ok(()) => {}
        Err(Errno::EXIST) => return Ok(()),
        Err(e) => return Err(e),
    }
    if let Some(g) = group {
        // A setgid parent overrode the group: undo, and say so.
        if at::lstat(dir)?.gid != g {
            let _: Result<(), Errno> = fs::rmdir(dir);
            return Err(Errno::PERM);
        }
    }
    Ok(())
}
