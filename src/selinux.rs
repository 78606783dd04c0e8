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

use crate::say::Say;
use crate::{Fail, stop};

/// A `/proc/thread-self/attr` file and what setting it is called in a
/// message.
pub struct Attr {
    path: &'static CStr,
    what: &'static [u8],
}

/// The next socket's context.
pub const SOCKCREATE: Attr = Attr {
    path: c"/proc/thread-self/attr/sockcreate",
    what: diag::SOCKCREATE,
};
/// The next file's context.
pub const FSCREATE: Attr = Attr {
    path: c"/proc/thread-self/attr/fscreate",
    what: diag::FSCREATE,
};

/// Writes `ctx` (with no newline) to `attr`, or clears it (`None`); a
/// failure ends the run (`stop`). Out of line: one copy for its four
/// callers.
#[inline(never)]
pub fn set(attr: &Attr, ctx: Option<Word<'static>>, say: &Say) {
    if let Err((what, obj, e)) = write(attr, ctx) {
        stop(say, what, obj, e);
    }
}

fn write(attr: &Attr, ctx: Option<Word<'static>>) -> Result<(), Fail<'static>> {
    let path = attr.path.to_bytes();
    let flags = OFlags::WRONLY | OFlags::CLOEXEC;
    let fd = at::open(attr.path, flags).map_err(|e| (diag::OPEN, path, e))?;
    let (what, obj, bytes) = match ctx {
        Some(w) => (attr.what, w.to_bytes(), w.to_bytes()),
        None => (diag::CLEAR, path, &b""[..]),
    };
    let e = match io::write(&fd, bytes) {
        Ok(n) if n == bytes.len() => return Ok(()),
        Ok(_) => Errno::INVAL,
        Err(e) => e,
    };
    Err((what, obj, e))
}
