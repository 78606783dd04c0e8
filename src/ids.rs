//! `--owner` and `--group`: the socket file is created with its final owner
//! and group, so there is no moment where it exists with the wrong ones.
//!
//! bind() creates the file with the effective (fs) uid and gid, so they are
//! switched around bind and back: `setresgid(-1, GID, -1)`,
//! `setresuid(-1, UID, -1)`. A change of euid away from 0 would drop root's
//! capabilities and make the bind fail in any directory UID cannot write,
//! so for the owner the `SECBIT_NO_SETUID_FIXUP` securebit is set for the
//! duration (and restored): the bind keeps root's power, only the new
//! file's owner changes. The alternative, a `chown` by path after bind, was
//! rejected: between bind and chown the path can be replaced (e.g. by a
//! hard link to another file), which a chown by name would then change.
//! The saved uid/gid stay 0 throughout, so switching back cannot fail for
//! lack of privilege; if it fails anyway the run stops (exit 111) rather
//! than exec prog with the wrong identity.
//!
//! A change of effective ids also makes the kernel clear the parent-death
//! signal (`PR_SET_PDEATHSIG`, `commit_creds()`), which prog would then
//! lack: it is read before the switch and set again after it (issue 18).
//! Should the parent die in between, the kernel sends nothing: the signal
//! is then sent to ourselves, as it would have been.
#![forbid(unsafe_code)]

use core::ffi::CStr;
use rustix::fs::{self, Mode};
use rustix::io::Errno;
use socketbinder::addr::Addr;

use crate::socket::{self, Sock};
use rustix::process::{
    Gid, Pid, Signal, Uid, getegid, geteuid, getpid, getppid, kill_process,
    parent_process_death_signal, set_parent_process_death_signal,
};
use rustix::thread::{
    CapabilitiesSecureBits, capabilities_secure_bits, set_capabilities_secure_bits,
    set_thread_res_gid, set_thread_res_uid,
};

/// What is created with the ids switched.
pub enum Make<'a> {
    /// `bind(sock, addr)`: the socket file.
    Bind(&'a Sock, &'a Addr),
    /// `mkdir(dir, mode)`: a parent directory (`--mkdir` with part F's
    /// `--dir-owner` or `--dir-group`, so only in the full build).
    #[cfg(feature = "full")]
    Mkdir(&'a CStr, Mode),
}

/// Makes `what` with the effective uid/gid set to `owner`/`group`. Out of
/// line: an s6 command line passes over it. Cold in the default build,
/// where `main` calls it; in the full build only the out-of-line steps do,
/// and without `cold` LLVM lays it out 24 bytes smaller.
#[cfg_attr(not(feature = "full"), cold)]
#[inline(never)]
pub fn as_owner(owner: Option<u32>, group: Option<u32>, what: Make<'_>) -> Result<(), Errno> {
    let (euid, egid) = (geteuid(), getegid());
    let uid = owner.map(Uid::from_raw_unchecked).filter(|&u| u != euid);
    let gid = group.map(Gid::from_raw_unchecked).filter(|&g| g != egid);
    // Saved only when an id changes (the kernel clears it only then). `|`,
    // not `||`: one test, so LLVM keeps one call of `save` (16 bytes on
    // x86_64, 64 on aarch64, fewer than with a `match` on the pair).
    let death = (uid.is_some() | gid.is_some())
        .then(DeathSignal::save)
        .flatten();
    let bits = match uid {
        Some(_) => {
            let old = capabilities_secure_bits()?;
            set_capabilities_secure_bits(old | CapabilitiesSecureBits::NO_SETUID_FIXUP)?;
            Some(old)
        }
        None => None,
    };
    let switched = (|| {
        set_gid(gid)?;
        set_uid(uid)?;
        match what {
            Make::Bind(sock, addr) => socket::bind(sock, addr),
            #[cfg(feature = "full")]
            Make::Mkdir(dir, mode) => fs::mkdir(dir, mode),
        }
    })();
    // Back in the reverse order, whatever happened.
    let restored = (|| {
        set_uid(uid.map(|_| euid))?;
        set_gid(gid.map(|_| egid))?;
        if let Some(old) = bits {
            set_capabilities_secure_bits(old)?;
        }
        match death {
            Some(d) => d.restore(),
            None => Ok(()),
        }
    })();
    switched.and(restored)
}

/// `mkdir(dir, mode)`, as `owner` and `group` if either is given (part F's
/// `--dir-owner`, `--dir-group`: the default build has neither, and its
/// `as_owner` makes only the socket).
pub fn mkdir(owner: Option<u32>, group: Option<u32>, dir: &CStr, mode: Mode) -> Result<(), Errno> {
    match (owner, group) {
        #[cfg(feature = "full")]
        (Some(_), _) | (_, Some(_)) => as_owner(owner, group, Make::Mkdir(dir, mode)),
        _ => fs::mkdir(dir, mode),
    }
}

/// The caller's parent-death signal, and its parent then.
struct DeathSignal {
    signal: Signal,
    parent: Option<Pid>,
}

impl DeathSignal {
    /// `prctl(PR_GET_PDEATHSIG)`; `getppid()` if one is set. The call can
    /// only fail for a bad pointer (`EFAULT`), which ours is not: a failure
    /// counts as none set, and leaves nothing to undo.
    fn save() -> Option<Self> {
        let signal = parent_process_death_signal().ok().flatten()?;
        Some(DeathSignal {
            signal,
            parent: getppid(),
        })
    }

    /// `prctl(PR_SET_PDEATHSIG, signal)`; then, if the parent changed
    /// meanwhile (it died while the kernel had the signal cleared),
    /// `kill(getpid(), signal)`.
    fn restore(self) -> Result<(), Errno> {
        set_parent_process_death_signal(Some(self.signal))?;
        if getppid() != self.parent {
            kill_process(getpid(), self.signal)?;
        }
        Ok(())
    }
}

/// `setresuid(-1, uid, -1)` when given.
fn set_uid(uid: Option<Uid>) -> Result<(), Errno> {
    uid.map_or(Ok(()), |u| set_thread_res_uid(None, u, None))
}

/// `setresgid(-1, gid, -1)` when given.
fn set_gid(gid: Option<Gid>) -> Result<(), Errno> {
    gid.map_or(Ok(()), |g| set_thread_res_gid(None, g, None))
}
