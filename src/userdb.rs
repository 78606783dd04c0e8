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
use socketbinder::diag;
use socketbinder::names::{Id, Scanner};

/// Bytes read at a time.
const CHUNK: usize = 512;

/// Why a name could not be turned into a number.
pub enum Fail<'a> {
    /// The file could not be read: its name and the error.
    Read(&'static [u8], Errno),
    /// No line names it: `user` or `group `, the name, the file.
    Unknown(&'static [u8], &'a [u8], &'static [u8]),
}

/// Replaces every name among the ids of `x` with its number.
pub fn resolve<'a>(x: &mut Ext<'a>) -> Result<(), Fail<'a>> {
    for (id, group) in [
        (&mut x.owner, false),
        (&mut x.group, true),
        (&mut x.dir_owner, false),
        (&mut x.dir_group, true),
    ] {
        if let Some(Id::Name(w)) = *id {
            *id = Some(Id::Num(lookup(w.to_bytes(), group)?));
        }
    }
    Ok(())
}

/// The id of `name` in `/etc/group` (`group`) or `/etc/passwd`.
fn lookup(name: &[u8], group: bool) -> Result<u32, Fail<'_>> {
    let (path, file, kind): (&CStr, _, &[u8]) = if group {
        (c"/etc/group", diag::GROUP, b"group ")
    } else {
        (c"/etc/passwd", diag::PASSWD, b"user ")
    };
    let flags = OFlags::RDONLY | OFlags::CLOEXEC;
    let fd = at::open(path, flags).map_err(|e| Fail::Read(file, e))?;
    let mut scan = Scanner::new(name);
    let mut buf = [0u8; CHUNK];
    loop {
        let n = match io::read(&fd, &mut buf) {
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(Fail::Read(file, e)),
        };
        let found = match buf.get(..n) {
            Some(chunk) if n > 0 => scan.feed(chunk),
            _ => break scan.finish().ok_or(Fail::Unknown(kind, name, file)),
        };
        if let Some(id) = found {
            return Ok(id);
        }
    }
}
