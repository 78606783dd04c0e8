//! Messages: one line, one `writev`, no formatting machinery.
#![forbid(unsafe_code)]

use rustix::fd::{BorrowedFd, RawFd};
use rustix::io::{self, Errno, IoSlice};
use socketbinder::args::{self, Why};
use socketbinder::diag::{self, EXIT_SYSCALL, EXIT_USAGE, PROG};
use socketbinder::num;

use crate::raw;

/// Where messages go: fd 2, unless the caller started us with fd 2 closed
/// and our own lock file took its number — then they go nowhere, rather
/// than into the lock file.
pub struct Say {
    /// Our lock file's fd once we hold one (else -1). Compared with 2 only
    /// when there is something to say: the plain flow just stores it.
    lock: RawFd,
}

/// The `iovec`s of a message's parts.
macro_rules! parts {
    ($($p:expr),* $(,)?) => { [$(IoSlice::new($p)),*] };
}

/// stderr's number.
const STDERR_FD: RawFd = 2;

impl Say {
    /// Messages to fd 2.
    pub const STDERR: Say = Say { lock: -1 };

    /// Keeps messages out of `fd`, our lock file, should it be fd 2.
    pub fn avoid(&mut self, fd: RawFd) {
        self.lock = fd;
    }

    /// `PROG: usage: ...`, s6's line, or for a command line with our
    /// long options what is wrong with it; returns 100.
    #[cold]
    pub fn usage(&self, why: Option<&Why<'_>>) -> i32 {
        if let Some(u) = why {
            let [a, b, c, d] = u.parts();
            let (d, end) = one_line(d);
            self.line(&parts![PROG, b": usage: ", a, b, c, d, end]);
        } else {
            self.line(&parts![PROG, b": ", diag::USAGE]);
        }
        EXIT_USAGE
    }

    /// `PROG: fatal: unknown KIND NAME in FILE`; returns 111.
    #[cold]
    pub fn unknown(&self, kind: &[u8], name: &[u8], file: &[u8]) -> i32 {
        self.line(&parts![
            PROG,
            diag::UNKNOWN_NAME,
            kind,
            name,
            b" in ",
            file,
            b"\n"
        ]);
        EXIT_SYSCALL
    }

    /// `PROG: fatal: unable to WHAT OBJ: ERR`; returns `code`.
    #[cold]
    pub fn fatal(&self, code: i32, what: &[u8], obj: &[u8], e: Errno) -> i32 {
        let mut buf = diag::ErrBuf::new();
        let (text, n) = diag::error_text(e, &mut buf);
        self.line(&parts![
            PROG,
            diag::FATAL,
            what,
            obj,
            diag::SEP,
            text,
            n,
            b"\n"
        ]);
        code
    }

    /// `PROG: fatal: unable to notify readiness to fd N: ERR`; returns 111.
    #[cold]
    pub fn notify_failed(&self, fd: RawFd, e: Errno) -> i32 {
        let mut digits = [0; num::U32_DIGITS];
        let n = num::fmt_u32(fd as u32, &mut digits);
        self.fatal(EXIT_SYSCALL, diag::NOTIFY, n, e)
    }

    /// `PROG: fatal: unable to WHAT PATH as group GID: in a set-group-ID
    /// directory` (WHAT: `bind to`, or `create directory` for
    /// `--dir-group`); returns 111.
    #[cold]
    pub fn setgid_dir(&self, what: &[u8], path: &[u8], gid: u32) -> i32 {
        let mut digits = [0; num::U32_DIGITS];
        let gid = num::fmt_u32(gid, &mut digits);
        self.line(&parts![
            PROG,
            diag::FATAL,
            what,
            path,
            diag::AS_GROUP,
            gid,
            diag::IN_SETGID,
        ]);
        EXIT_SYSCALL
    }

    fn line(&self, parts: &[IoSlice<'_>]) {
        if self.lock != STDERR_FD {
            write_all(raw::stderr(), parts);
        }
    }
}

/// The word at fault, shown up to its first control byte and then `...`:
/// a newline in a value (`--fdname 'a<newline>b'`) would otherwise split
/// the message in two lines, and an escape sequence would reach the
/// terminal. Returns the word's part and the line's end.
fn one_line(word: &[u8]) -> (&[u8], &'static [u8]) {
    match word.iter().position(|&c| c < b' ') {
        Some(n) => (word.get(..n).unwrap_or_default(), b"...\n"),
        None => (word, b"\n"),
    }
}

/// `--help` on stdout: the usage line, then the option list; returns 0.
pub fn help() -> i32 {
    write_all(raw::stdout(), &parts![args::help()]);
    0
}

/// `--version` on stdout; returns 0.
pub fn version() -> i32 {
    write_all(raw::stdout(), &parts![PROG, diag::VERSION]);
    0
}

/// The parts in one `writev`; nothing to do if the fd is gone. Empty
/// parts stay in (skipping them costs more code than they cost the
/// kernel). The callers build the `iovec`s themselves (`parts!`): no copy
/// from a list of slices into a second array.
fn write_all(fd: BorrowedFd<'_>, parts: &[IoSlice<'_>]) {
    let _: Result<usize, Errno> = io::writev(fd, parts);
}
