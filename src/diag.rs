//! Everything the program says: its name, its exit codes, its usage line,
//! and glibc's `strerror` texts for the errnos its syscalls can return.

use rustix::io::Errno;

use crate::num;

/// The name in every message, whatever argv[0] is (as s6).
pub const PROG: &[u8] = b"s6-ipcserver-socketbinder";
/// Bad command line.
pub const EXIT_USAGE: i32 = 100;
/// A system call failed.
pub const EXIT_SYSCALL: i32 = 111;
/// prog was found but could not be executed.
pub const EXIT_EXEC: i32 = 126;
/// prog was not found.
pub const EXIT_NOENT: i32 = 127;

/// The usage line, after `PROG: `.
pub const USAGE: &[u8] = b"usage: s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...\n";
/// Between `PROG` and what failed.
pub const FATAL: &[u8] = b": fatal: unable to ";
/// `socket()` failed (followed by `ERR`).
pub const CREATE: &[u8] = b"create socket";
/// Lock, stale check or `bind()` failed (followed by the path).
pub const BIND: &[u8] = b"bind to ";
/// `listen()` failed (followed by the path).
pub const LISTEN: &[u8] = b"listen to ";
/// execve failed (followed by prog).
pub const EXEC: &[u8] = b"exec ";
/// Between the object and the error text.
pub const SEP: &[u8] = b": ";

/// The exit code for a failed exec: 127 when not found, else 126.
pub fn exec_exit_code(e: Errno) -> i32 {
    if e == Errno::NOENT {
        EXIT_NOENT
    } else {
        EXIT_EXEC
    }
}

/// The errnos the syscalls used can return (their man pages), with glibc's
/// text for each. Anything else prints as glibc does: `Unknown error N`.
const TEXTS: &[(Errno, &[u8])] = &[
    (Errno::PERM, b"Operation not permitted"),
    (Errno::NOENT, b"No such file or directory"),
    (Errno::INTR, b"Interrupted system call"),
    (Errno::IO, b"Input/output error"),
    (Errno::NXIO, b"No such device or address"),
    (Errno::TOOBIG, b"Argument list too long"),
    (Errno::NOEXEC, b"Exec format error"),
    (Errno::BADF, b"Bad file descriptor"),
    (Errno::AGAIN, b"Resource temporarily unavailable"),
    (Errno::NOMEM, b"Cannot allocate memory"),
    (Errno::ACCESS, b"Permission denied"),
    (Errno::FAULT, b"Bad address"),
    (Errno::BUSY, b"Device or resource busy"),
    (Errno::EXIST, b"File exists"),
    (Errno::NODEV, b"No such device"),
    (Errno::NOTDIR, b"Not a directory"),
    (Errno::ISDIR, b"Is a directory"),
    (Errno::INVAL, b"Invalid argument"),
    (Errno::NFILE, b"Too many open files in system"),
    (Errno::MFILE, b"Too many open files"),
    (Errno::TXTBSY, b"Text file busy"),
    (Errno::FBIG, b"File too large"),
    (Errno::NOSPC, b"No space left on device"),
    (Errno::ROFS, b"Read-only file system"),
    (Errno::MLINK, b"Too many links"),
    (Errno::PIPE, b"Broken pipe"),
    (Errno::DEADLK, b"Resource deadlock avoided"),
    (Errno::NAMETOOLONG, b"File name too long"),
    (Errno::NOLCK, b"No locks available"),
    (Errno::NOSYS, b"Function not implemented"),
    (Errno::LOOP, b"Too many levels of symbolic links"),
    (Errno::PROTO, b"Protocol error"),
    (Errno::OVERFLOW, b"Value too large for defined data type"),
    (Errno::LIBBAD, b"Accessing a corrupted shared library"),
    (Errno::NOTSOCK, b"Socket operation on non-socket"),
    (Errno::PROTOTYPE, b"Protocol wrong type for socket"),
    (Errno::NOPROTOOPT, b"Protocol not available"),
    (Errno::PROTONOSUPPORT, b"Protocol not supported"),
    (Errno::OPNOTSUPP, b"Operation not supported"),
    (
        Errno::AFNOSUPPORT,
        b"Address family not supported by protocol",
    ),
    (Errno::ADDRINUSE, b"Address already in use"),
    (Errno::ADDRNOTAVAIL, b"Cannot assign requested address"),
    (Errno::NOBUFS, b"No buffer space available"),
    (Errno::ISCONN, b"Transport endpoint is already connected"),
    (Errno::NOTCONN, b"Transport endpoint is not connected"),
    (Errno::TIMEDOUT, b"Connection timed out"),
    (Errno::CONNREFUSED, b"Connection refused"),
    (Errno::ALREADY, b"Operation already in progress"),
    (Errno::INPROGRESS, b"Operation now in progress"),
    (Errno::STALE, b"Stale file handle"),
    (Errno::DQUOT, b"Disk quota exceeded"),
];

/// `TEXTS` packed as `[errno, length, text...]` records: 2 bytes of overhead
/// per text instead of a 16-byte slice reference.
static PACKED: [u8; packed_len(TEXTS)] = pack(TEXTS);

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn packed_len(t: &[(Errno, &[u8])]) -> usize {
    let mut i = 0;
    let mut n = 0;
    while i < t.len() {
        n += 2 + t[i].1.len();
        i += 1;
    }
    n
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn pack<const N: usize>(t: &[(Errno, &[u8])]) -> [u8; N] {
    let mut out = [0; N];
    let (mut i, mut o) = (0, 0);
    while i < t.len() {
        let (e, text) = t[i];
        let code = e.raw_os_error();
        assert!(code > 0 && code < 256 && text.len() < 256);
        out[o] = code as u8;
        out[o + 1] = text.len() as u8;
        let mut j = 0;
        while j < text.len() {
            out[o + 2 + j] = text[j];
            j += 1;
        }
        o += 2 + text.len();
        i += 1;
    }
    out
}

/// glibc's text for `e`, if the table has it.
pub fn strerror(e: Errno) -> Option<&'static [u8]> {
    let code = e.raw_os_error();
    let mut rest: &'static [u8] = &PACKED;
    while let [c, n, tail @ ..] = rest {
        let (text, after) = tail.split_at_checked(usize::from(*n))?;
        if i32::from(*c) == code {
            return Some(text);
        }
        rest = after;
    }
    None
}

/// The prefix of glibc's text for an errno it does not know.
pub const UNKNOWN: &[u8] = b"Unknown error ";

/// The text for `e`: glibc's, or `Unknown error ` followed by the digits
/// written into `buf` (returned as the second part, empty otherwise).
pub fn error_text(e: Errno, buf: &mut [u8; num::U32_DIGITS]) -> (&'static [u8], &[u8]) {
    match strerror(e) {
        Some(text) => (text, &[]),
        None => (UNKNOWN, num::fmt_u32(e.raw_os_error().unsigned_abs(), buf)),
    }
}

#[cfg(test)]
#[allow(unsafe_code)] // glibc's strerror, the reference
mod tests {
    use super::*;

    #[test]
    fn texts_match_glibc() {
        // Debian's s6 prints glibc's strerror: compare with the libc the
        // tests run on (glibc on every supported test host).
        for &(e, text) in TEXTS {
            // SAFETY: strerror returns a valid C string.
            let c = unsafe { std::ffi::CStr::from_ptr(libc_strerror(e.raw_os_error())) };
            assert_eq!(c.to_bytes(), text, "errno {}", e.raw_os_error());
            assert_eq!(strerror(e), Some(text));
        }
    }

    #[test]
    fn unknown() {
        let mut buf = [0; num::U32_DIGITS];
        let e = Errno::from_raw_os_error(200);
        let (a, b) = error_text(e, &mut buf);
        assert_eq!([a, b].concat(), b"Unknown error 200");
        let (a, b) = error_text(Errno::ADDRINUSE, &mut buf);
        assert_eq!([a, b].concat(), b"Address already in use");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exec_exit_code(Errno::NOENT), 127);
        assert_eq!(exec_exit_code(Errno::ACCESS), 126);
        assert_eq!(exec_exit_code(Errno::NOEXEC), 126);
    }

    unsafe extern "C" {
        #[link_name = "strerror"]
        fn libc_strerror(e: i32) -> *const core::ffi::c_char;
    }
}
