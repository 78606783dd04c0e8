//! Messages: one line, one `writev` to fd 2, no formatting machinery.

use rustix::fd::RawFd;
use rustix::io::{self, Errno, IoSlice};
use socketbinder::diag::{self, PROG};
use socketbinder::num;

use crate::raw;

/// Where messages go: fd 2, unless the caller started us with fd 2 closed
/// and our own lock file took its number — then they go nowhere, rather
/// than into the lock file.
pub struct Say {
    quiet: bool,
}

/// stderr's number.
const STDERR_FD: RawFd = 2;

impl Say {
    /// Messages to fd 2.
    pub const STDERR: Say = Say { quiet: false };

    /// Keeps messages out of `fd` (ours) should it be fd 2.
    pub fn avoid(&mut self, fd: RawFd) {
        self.quiet |= fd == STDERR_FD;
    }

    /// `PROG: usage: ...`; returns `code`.
    pub fn usage(&self, code: i32) -> i32 {
        self.line(&[PROG, b": ", diag::USAGE]);
        code
    }

    /// `PROG: fatal: unable to WHAT OBJ: ERR`; returns `code`.
    pub fn fatal(&self, code: i32, what: &[u8], obj: &[u8], e: Errno) -> i32 {
        let mut digits = [0; num::U32_DIGITS];
        let (text, n) = diag::error_text(e, &mut digits);
        self.line(&[PROG, diag::FATAL, what, obj, diag::SEP, text, n, b"\n"]);
        code
    }

    fn line<const N: usize>(&self, parts: &[&[u8]; N]) {
        if self.quiet {
            return;
        }
        let iov = parts.map(IoSlice::new);
        // Nothing to do if stderr is gone.
        let _: Result<usize, Errno> = io::writev(raw::stderr(), &iov);
    }
}
