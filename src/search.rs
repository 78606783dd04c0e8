//! PATH search, the skalibs way (`execvep`): no `/bin/sh` fallback, empty
//! entries skipped, each try is `dir` + `/` + prog, in a fixed buffer.
#![allow(unsafe_code)] // one `CStr` view of the joined bytes, see `join`

use core::ffi::CStr;
use core::mem::MaybeUninit;
use rustix::io::Errno;

use crate::word::Word;

/// Used when `PATH` is unset (skalibs' `SKALIBS_DEFAULTPATH`).
pub const DEFAULT_PATH: &[u8] = b"/usr/bin:/bin";
/// The kernel's limit on a path handed to execve, NUL included.
pub const PATH_MAX: usize = 4096;

/// Room for one candidate path.
pub type Buf = [MaybeUninit<u8>; PATH_MAX];

/// A fresh, unwritten buffer.
pub const fn buf() -> Buf {
    [const { MaybeUninit::uninit() }; PATH_MAX]
}

/// Whether prog names a file directly (contains a slash anywhere).
pub fn has_slash(prog: Word<'_>) -> bool {
    prog.bytes().any(|b| b == b'/')
}

/// The non-empty entries of a PATH value, in order.
pub fn dirs(path: &[u8]) -> impl Iterator<Item = &[u8]> {
    path.split(|&b| b == b':').filter(|d| !d.is_empty())
}

/// What to do after one failed execve (skalibs' policy).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Next {
    /// Not there: try the next entry, keeping what was remembered.
    Continue,
    /// Found but not usable: remember this errno and try the next entry.
    Remember,
    /// Anything else ends the search with this errno.
    Stop,
}

/// The policy: ENOENT goes on; EACCES, EPERM, EISDIR, ENOTDIR are remembered
/// (they replace the final ENOENT); any other errno stops at once.
pub fn next(e: Errno) -> Next {
    match e {
        Errno::NOENT => Next::Continue,
        Errno::ACCESS | Errno::PERM | Errno::ISDIR | Errno::NOTDIR => Next::Remember,
        _ => Next::Stop,
    }
}

/// Writes `dir/prog` and its NUL into `buf`. `ENAMETOOLONG` when it does not
/// fit in PATH_MAX, exactly what execve would have said for it.
pub fn join<'b>(dir: &[u8], prog: Word<'_>, buf: &'b mut Buf) -> Result<&'b CStr, Errno> {
    let mut n = 0usize;
    let bytes = dir
        .iter()
        .copied()
        .chain(Some(b'/'))
        .chain(prog.bytes())
        .chain(Some(0));
    for b in bytes {
        let slot = buf.get_mut(n).ok_or(Errno::NAMETOOLONG)?;
        slot.write(b);
        n = n.wrapping_add(1);
    }
    let written = buf.get(..n).unwrap_or_default();
    // A NUL inside `dir` would end the path early; it cannot come from an
    // environment string, but refuse it rather than trust it.
    if dir.contains(&0) {
        return Err(Errno::NOENT);
    }
    // SAFETY: `buf[..n]` was written just above: `dir` (no NUL, checked),
    // '/', prog's bytes (a C string's, no NUL) and a final NUL.
    Ok(unsafe {
        CStr::from_bytes_with_nul_unchecked(&*(core::ptr::from_ref(written) as *const [u8]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split() {
        let d: Vec<&[u8]> = dirs(b"::/a::/b/:").collect();
        assert_eq!(d, [&b"/a"[..], b"/b/"]);
        assert_eq!(dirs(b"").count(), 0);
        assert_eq!(dirs(b":::").count(), 0);
        assert_eq!(dirs(DEFAULT_PATH).count(), 2);
    }

    #[test]
    fn joined() {
        let mut b = buf();
        let p = join(b"/usr/bin", Word::new(c"true"), &mut b).unwrap();
        assert_eq!(p.to_bytes(), b"/usr/bin/true");
        let long = vec![b'd'; PATH_MAX - 3];
        assert_eq!(
            join(&long, Word::new(c"x"), &mut b)
                .unwrap()
                .to_bytes()
                .len(),
            PATH_MAX - 1
        );
        let too_long = vec![b'd'; PATH_MAX - 2];
        assert_eq!(
            join(&too_long, Word::new(c"x"), &mut b).err(),
            Some(Errno::NAMETOOLONG)
        );
        assert_eq!(
            join(b"a\0b", Word::new(c"x"), &mut b).err(),
            Some(Errno::NOENT)
        );
    }

    #[test]
    fn slash() {
        assert!(has_slash(Word::new(c"./x")));
        assert!(has_slash(Word::new(c"a/")));
        assert!(!has_slash(Word::new(c"true")));
    }

    #[test]
    fn policy() {
        assert_eq!(next(Errno::NOENT), Next::Continue);
        for e in [Errno::ACCESS, Errno::PERM, Errno::ISDIR, Errno::NOTDIR] {
            assert_eq!(next(e), Next::Remember);
        }
        for e in [
            Errno::NOEXEC,
            Errno::TOOBIG,
            Errno::NAMETOOLONG,
            Errno::LOOP,
            Errno::TXTBSY,
        ] {
            assert_eq!(next(e), Next::Stop);
        }
    }
}
