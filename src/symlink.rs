//! `--symlink LINK` (repeatable): after `bind()`, LINK points to path.
//!
//! Checked before any side effect: LINK must be free or a symlink (ours to
//! replace); anything else there (a file, a directory, a socket) is kept
//! and the run fails with `File exists` before the socket is even made.
//! After `bind()`, each link is made atomically: `symlink(path, "LINK~")`,
//! then `rename("LINK~", LINK)`, so LINK is at every moment either the old
//! symlink or the new one; LINK is checked again right before the rename,
//! so a LINK naming the socket just bound or its lock file (in any
//! spelling) is refused, not replaced. If a link cannot be made, nothing
//! is left behind: the temporary name, the links already made in this run
//! and the socket just bound are removed (the lock file stays, as after
//! any failure: other binders lock it too). LINK points to path as given,
//! so a relative path is relative to LINK's directory.
#![forbid(unsafe_code)]

use crate::at;
use core::mem::MaybeUninit;
use rustix::fs::{self, FileType};
use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::{Ext, LINK_MAX};
use socketbinder::diag;
use socketbinder::word::{CStrBuf, Word};

use crate::Fail;

/// Room for LINK, the `~` and the NUL.
const TMP_MAX: usize = LINK_MAX + 2;

/// Before any side effect: every LINK is free or a symlink, and can be
/// looked at (a LINK in a missing directory may yet be made: `--mkdir`).
pub fn check(x: &Ext<'static>) -> Result<(), Fail<'static>> {
    for &link in x.symlinks().iter().flatten() {
        free(link).map_err(|e| (diag::SYMLINK, link.to_bytes(), e))?;
    }
    Ok(())
}

/// After `bind()`: every LINK made; on failure, nothing left behind.
pub fn make(x: &Ext<'static>, addr: &Addr) -> Result<(), Fail<'static>> {
    for (i, link) in x.symlinks().iter().enumerate() {
        let Some(link) = *link else { break };
        if let Err(e) = one(link, addr) {
            for made in x.symlinks().iter().take(i).flatten() {
                let _: Result<(), Errno> = fs::unlink(made.to_cstr());
            }
            let _: Result<(), Errno> = fs::unlink(addr.path());
            return Err((diag::SYMLINK, link.to_bytes(), e));
        }
    }
    Ok(())
}

/// `symlink(path, "LINK~")` (a leftover `LINK~` symlink replaced), then
/// `rename("LINK~", LINK)`.
fn one(link: Word<'_>, addr: &Addr) -> Result<(), Errno> {
    let mut buf = [MaybeUninit::uninit(); TMP_MAX];
    let mut tmp = CStrBuf::new(&mut buf);
    tmp.push_word(link);
    tmp.push(b'~');
    let tmp = tmp.finish().ok_or(Errno::NAMETOOLONG)?;
    let target = addr.path();
    match fs::symlink(target, tmp) {
        Err(Errno::EXIST) => {
            let st = at::lstat(tmp)?;
            if FileType::from_raw_mode(st.st_mode) != FileType::Symlink {
                return Err(Errno::EXIST);
            }
            fs::unlink(tmp)?;
            fs::symlink(target, tmp)?;
        }
        r => r?,
    }
    // LINK is checked again now that the socket and its lock file exist:
    // a LINK naming either (in any spelling) must not replace it.
    free(link)
        .and_then(|()| fs::rename(tmp, link.to_cstr()))
        .inspect_err(|_| {
            let _: Result<(), Errno> = fs::unlink(tmp);
        })
}

/// `fstatat(LINK, AT_SYMLINK_NOFOLLOW)`: nothing there (`ENOENT`), or a
/// symlink (ours to replace); else `EEXIST`, or the error that shows LINK
/// cannot be made (`ENOTDIR`, `ENAMETOOLONG`, `EACCES`, `ELOOP`).
fn free(link: Word<'_>) -> Result<(), Errno> {
    match at::lstat(link.to_cstr()) {
        Ok(st) if FileType::from_raw_mode(st.st_mode) != FileType::Symlink => Err(Errno::EXIST),
        Ok(_) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e),
    }
}
