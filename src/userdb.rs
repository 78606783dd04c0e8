//! User and group names for `--owner`, `--group`, `--dir-owner` and
//! `--dir-group`: looked up in `/etc/passwd` and `/etc/group` (files only,
//! no NSS: early boot has nothing else), before any side effect. The file
//! is read in chunks of a fixed buffer and fed to the library's streamed
//! scanner, so a line of any length costs no memory.
#![forbid(unsafe_code)]

use crate::at;
use core::ffi::CStr;
use rustix::fs::OFlags;
use rustix::io::{self, Errno};
use socketbinder::args::Ext;
use socketbinder::diag::{self, EXIT_SYSCALL};

use crate::raw;
use crate::say::Say;
use socketbinder::names::{Id, Scanner};

/// Bytes read at a time.
const CHUNK: usize = 512;

/// Replaces every name among the ids of `x` with its number. A name that
/// cannot be (the file unreadable, or no line names it) ends the run with
/// the message, exit 111.
pub fn resolve(x: &mut Ext<'_>) {
    name(&mut x.owner, false);
    name(&mut x.group, true);
    #[cfg(feature = "full")]
    name(&mut x.dir_owner, false);
    #[cfg(feature = "full")]
    name(&mut x.dir_group, true);
}

/// Replaces `id`, if it is a name, with its number: a user's, or a
/// group's.
#[inline(never)]
fn name(id: &mut Option<Id<'_>>, group: bool) {
    let Some(w) = id.and_then(Id::name) else {
        return;
    };
    let (path, file, kind): (&CStr, _, &[u8]) = if group {
        (c"/etc/group", diag::GROUP, b"group ")
    } else {
        (c"/etc/passwd", diag::PASSWD, b"user ")
    };
    let name = w.to_bytes();
    let say = Say::STDERR;
    *id = Some(Id::Num(match lookup(path, name) {
        Ok(n) => n,
        Err(Some(e)) => raw::exit(say.fatal(EXIT_SYSCALL, diag::READ, file, e)),
        Err(None) => raw::exit(say.unknown(kind, name, file)),
    }));
}

/// The id of `name` in `path` (`/etc/passwd` or `/etc/group`); the
/// error, or `None` if no line names it.
fn lookup(path: &CStr, name: &[u8]) -> Result<u32, Option<Errno>> {
    let flags = OFlags::RDONLY | OFlags::CLOEXEC;
    let fd = at::open(path, flags)?;
    let mut scan = Scanner::new(name);
    let mut buf = [0u8; CHUNK];
    loop {
        let n = match io::read(&fd, &mut buf) {
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(Some(e)),
        };
        let found = match buf.get(..n) {
            Some(chunk) if n > 0 => scan.feed(chunk),
            _ => return scan.finish().ok_or(None),
        };
        if let Some(id) = found {
            return Ok(id);
        }
    }
}
