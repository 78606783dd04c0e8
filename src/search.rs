//! PATH search, the skalibs way (`execvep`): no `/bin/sh` fallback, empty
//! entries skipped, each try is `dir` + `/` + prog, in a fixed buffer.
#![forbid(unsafe_code)]

use core::ffi::CStr;
use core::mem::MaybeUninit;
use rustix::io::Errno;

use crate::word::{CStrBuf, Word};

/// Used when `PATH` is unset (skalibs' `SKALIBS_DEFAULTPATH`).
pub const DEFAULT_PATH: Word<'static> = Word::new(c"/usr/bin:/bin");
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

/// The candidates `dir/prog` for each non-empty entry of a PATH value, in
/// order. PATH is a C string, so no entry holds a NUL.
pub struct Candidates<'p> {
    rest: Word<'p>,
}

impl<'p> Candidates<'p> {
    /// The candidates of `path`.
    pub fn new(path: Word<'p>) -> Self {
        Candidates { rest: path }
    }

    /// Writes the next candidate into `buf`: `None` at the end of PATH,
    /// `ENAMETOOLONG` for one that does not fit in PATH_MAX (exactly what
    /// execve would have said for it).
    pub fn next<'b>(
        &mut self,
        prog: Word<'_>,
        buf: &'b mut Buf,
    ) -> Option<Result<&'b CStr, Errno>> {
        while self.rest.first() == b':' {
            self.rest = self.rest.tail();
        }
        if self.rest.first() == 0 {
            return None;
        }
        let mut out = CStrBuf::new(buf);
        // The entry, up to its ':' (skipped) or PATH's end.
        self.rest = out.push_until(self.rest, b':').tail();
        out.push(b'/');
        out.push_word(prog);
        Some(out.finish().ok_or(Errno::NAMETOOLONG))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn all(path: &str, prog: &str) -> Vec<Result<String, Errno>> {
        let path = CString::new(path).unwrap();
        let prog = CString::new(prog).unwrap();
        let mut c = Candidates::new(Word::new(&path));
        let mut b = buf();
        let mut out = Vec::new();
        while let Some(r) = c.next(Word::new(&prog), &mut b) {
            out.push(r.map(|p| p.to_str().unwrap().to_string()));
        }
        out
    }

    #[test]
    fn entries() {
        assert_eq!(
            all("::/a::/b/:", "p"),
            [Ok("/a/p".into()), Ok("/b//p".into())]
        );
        assert!(all("", "p").is_empty());
        assert!(all(":::", "p").is_empty());
        assert_eq!(
            all("/usr/bin:/bin", "true"),
            [Ok("/usr/bin/true".into()), Ok("/bin/true".into())]
        );
        assert_eq!(all("rel", "p"), [Ok("rel/p".into())]);
    }

    #[test]
    fn lengths() {
        let fits = "d".repeat(PATH_MAX - 3);
        assert_eq!(all(&fits, "x")[0].as_ref().unwrap().len(), PATH_MAX - 1);
        let long = "d".repeat(PATH_MAX - 2);
        let r = all(&format!("{long}:/b"), "x");
        assert_eq!(r, [Err(Errno::NAMETOOLONG), Ok("/b/x".into())]);
        let r = all("/b", &"p".repeat(PATH_MAX));
        assert_eq!(r, [Err(Errno::NAMETOOLONG)]);
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
