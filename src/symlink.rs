//! `--symlink LINK` (repeatable): after `bind()`, LINK points to path.
//!
//! Checked before any side effect: LINK must be free or a symlink (ours to
//! replace); anything else there (a file, a directory, a socket) is kept
//! and the run fails with `File exists` before the socket is even made.
//! After `bind()`, the links are made in two rounds:
//! first every temporary name, `symlink(path, "LINK~")`, with LINK checked
//! again (so a LINK naming the socket just bound or its lock file, in any
//! spelling, is refused, not replaced); then, once all exist, each
//! `rename("LINK~", LINK)`, so LINK is at every moment either the old
//! symlink or the new one, and a link that cannot be made (its directory
//! missing, say) fails the run before any LINK was replaced; then every
//! LINK must be there (two LINKs that clash fail: see [`make`]). On failure
//! nothing is left behind: the temporary names, the links renamed (only a
//! failed `rename()` leaves some) and the socket just bound are removed
//! (the lock file stays, as after any failure: other binders lock it
//! too). LINK points to path as given, so a relative path would be
//! relative to LINK's directory: it is refused unless LINK is in the
//! current directory (no `/` in it).
#![forbid(unsafe_code)]

use crate::at;
use core::ffi::CStr;
use core::mem::MaybeUninit;
use rustix::fs::{self, FileType};
use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::{self, Ext, LINK_MAX, SYMLINK_MAX};
use socketbinder::diag;
use socketbinder::word::{CStrBuf, Word};

use crate::Fail;
use crate::raw;
use crate::say::Say;

/// Room for LINK, the `~` and the NUL.
const TMP_MAX: usize = LINK_MAX + 2;

/// Before any side effect: every LINK is free or a symlink, and can be
/// looked at (a LINK in a missing directory may yet be made: `--mkdir`);
/// LINKs that clash are found after the renames (see [`make`]). A LINK in
/// another directory (a `/` in it) with a relative path is a usage error
/// (exit 100): the link would name path from LINK's directory.
pub fn check(x: &Ext<'static>, addr: &Addr) -> Result<(), Fail<'static>> {
    for &link in x.symlinks().iter().flatten() {
        // A relative path names the socket from LINK's directory: only
        // LINK's own, the current one, is sure to be right.
        if addr.name().first() != Some(&b'/') && link.bytes().any(|b| b == b'/') {
            raw::exit(Say::STDERR.usage(Some(&args::SYMLINK_RELATIVE)));
        }
        free(link.to_cstr()).map_err(|e| (diag::SYMLINK, link.to_bytes(), e))?;
    }
    Ok(())
}

/// After `bind()`: every LINK made, in rounds. First each temporary name
/// (`symlink(path, "LINK~")`, with LINK checked again), then, once all
/// exist, each renamed over its LINK: a link that cannot be made fails the
/// run before any LINK is replaced. Last, every LINK must be there: two
/// LINKs that clash (the same name, whose second rename finds no temporary
/// name, or `x~` before `x`, whose rename of `x~~` to `x~` replaced the
/// temporary name of `x`, which then took it away) fail here. On failure
/// nothing is left behind: the temporary names made, the links renamed
/// and the socket are removed.
pub fn make(x: &Ext<'static>, addr: &Addr) -> Result<(), Fail<'static>> {
    let links = x.symlinks();
    let mut buf = [MaybeUninit::uninit(); TMP_MAX];
    // Step `done` is round `done / SYMLINK_MAX` for LINK `done %
    // SYMLINK_MAX`.
    for done in 0..3 * SYMLINK_MAX {
        let Some(&Some(link)) = links.get(done % SYMLINK_MAX) else {
            continue;
        };
        let tmp = tmp_name(link, &mut buf).ok_or(Errno::NAMETOOLONG);
        let r = tmp.and_then(|tmp| match done / SYMLINK_MAX {
            0 => temporary(tmp, link, addr),
            1 => fs::rename(tmp, link.to_cstr()),
            _ => at::lstat(link.to_cstr()).map(drop),
        });
        let Err(e) = r else { continue };
        // LINK j was renamed if its rename was done, else its temporary
        // name made if that was.
        for (j, l) in links.iter().enumerate() {
            let Some(l) = *l else { break };
            let _: Result<(), Errno> = match j {
                _ if j.wrapping_add(SYMLINK_MAX) < done => fs::unlink(l.to_cstr()),
                _ if j < done => tmp_name(l, &mut buf).map_or(Ok(()), fs::unlink),
                _ => break,
            };
        }
        let _: Result<(), Errno> = fs::unlink(addr.path());
        return Err((diag::SYMLINK, link.to_bytes(), e));
    }
    Ok(())
}

/// `LINK~`, in `buf` (`None` if it does not fit: `args` keeps every
/// LINK short enough).
fn tmp_name<'b>(link: Word<'_>, buf: &'b mut [MaybeUninit<u8>; TMP_MAX]) -> Option<&'b CStr> {
    let mut tmp = CStrBuf::new(buf);
    tmp.push_word(link);
    tmp.push(b'~');
    tmp.finish()
}

/// `symlink(path, "LINK~")` (a leftover `LINK~` symlink replaced), then
/// LINK checked again now that the socket and its lock file exist: a LINK
/// naming either (in any spelling) must not replace it. On failure, no
/// temporary name of ours is left.
fn temporary(tmp: &CStr, link: Word<'_>, addr: &Addr) -> Result<(), Errno> {
    let target = addr.path();
    match fs::symlink(target, tmp) {
        Err(Errno::EXIST) => {
            free(tmp)?;
            fs::unlink(tmp)?;
            fs::symlink(target, tmp)?;
        }
        r => r?,
    }
    free(link.to_cstr()).inspect_err(|_| {
        let _: Result<(), Errno> = fs::unlink(tmp);
    })
}

/// `fstatat(path, AT_SYMLINK_NOFOLLOW)` for a LINK or a temporary name:
/// nothing there (`ENOENT`), or a symlink (ours to replace); else
/// `EEXIST`, or the error that shows it cannot be made (`ENOTDIR`,
/// `ENAMETOOLONG`, `EACCES`, `ELOOP`).
fn free(path: &CStr) -> Result<(), Errno> {
    match at::lstat(path) {
        Ok(st) if FileType::from_raw_mode(st.mode) != FileType::Symlink => Err(Errno::EXIST),
        Ok(_) | Err(Errno::NOENT) => Ok(()),
        Err(e) => Err(e),
    }
}
