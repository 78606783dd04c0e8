//! `--selinux-context` and `--selinux-file-context`: the context the
//! kernel gives the next socket (`/proc/thread-self/attr/sockcreate`) or
//! the next file (`.../fscreate`) this thread creates, written right before
//! `socket()` or `bind()` and cleared (a zero-length write) right after, as
//! libselinux's `setsockcreatecon`/`setfscreatecon` do: so the socket is
//! never unlabelled, and nothing else we create (the lock file, a
//! directory) gets the context. SELinux itself resets both at `execve`.
//!
//! Each write opens the file anew and closes it at once: an fd kept open
//! could land on fd 0 (closed by the caller), which the socket step closes.
//! Fails closed: no `/proc` (`open` fails), no SELinux or a context the
//! policy does not know (`write` fails with `EINVAL`) stop the run.
#![forbid(unsafe_code)]

use crate::at;
use core::ffi::CStr;
use rustix::fs::OFlags;
use rustix::io::{self, Errno};
use socketbinder::Word;
use socketbinder::diag;

use crate::say::{Fail, Obj};

/// The file for the next socket's context.
pub const SOCKCREATE: &CStr = c"/proc/thread-self/attr/sockcreate";
/// The file for the next file's context.
pub const FSCREATE: &CStr = c"/proc/thread-self/attr/fscreate";

/// Writes `ctx` (with no newline) to `attr`, or clears it (`None`).
pub fn set(attr: &'static CStr, ctx: Option<Word<'static>>) -> Result<(), Fail> {
    let flags = OFlags::WRONLY | OFlags::CLOEXEC;
    let fd = at::open(attr, flags).map_err(|e| (diag::OPEN, Obj::Text(attr.to_bytes()), e))?;
    let bytes = ctx.map_or(&b""[..], |w| w.to_bytes());
    match io::write(&fd, bytes) {
        Ok(n) if n == bytes.len() => Ok(()),
        Ok(_) => Err(Errno::INVAL),
        Err(e) => Err(e),
    }
    .map_err(|e| match ctx {
        Some(_) if attr == SOCKCREATE => (diag::SOCKCREATE, Obj::Text(bytes), e),
        Some(_) => (diag::FSCREATE, Obj::Text(bytes), e),
        None => (diag::CLEAR, Obj::Text(attr.to_bytes()), e),
    })
}
