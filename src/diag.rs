//! Everything the program says: its name, its exit codes, its usage line,
//! and glibc's `strerror` texts for the errnos its syscalls can return.

use rustix::io::Errno;

use crate::args;
use crate::num;

/// The name in every message, whatever argv[0] is (as s6): the bytes of
/// [`USAGE`] after `usage: ` (stored once).
pub static PROG: &[u8] = args::LINES.split_at(args::USAGE_AT + 7).1.split_at(25).0;
/// Bad command line.
pub const EXIT_USAGE: i32 = 100;
/// A system call failed.
pub const EXIT_SYSCALL: i32 = 111;
/// prog was found but could not be executed.
pub const EXIT_EXEC: i32 = 126;
/// prog was not found.
pub const EXIT_NOENT: i32 = 127;

/// The usage line, after `PROG: `, as stored in `args::LINES` (once, with
/// the help after it: see [`USAGE_TEXT`]).
pub static USAGE: &[u8] = args::LINES
    .split_at(args::USAGE_AT)
    .1
    .split_at(USAGE_TEXT.len())
    .0;
/// The text of [`USAGE`].
pub const USAGE_TEXT: &[u8] = b"usage: s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...\n";
/// Between `PROG` and what failed.
pub static FATAL: &[u8] = b": fatal: unable to ";
/// `socket()` failed (followed by `ERR`).
pub static CREATE: &[u8] = b"create socket";
/// Lock, stale check or `bind()` failed (followed by the path).
pub static BIND: &[u8] = b"bind to ";
/// The same for an abstract name, written `@name`.
pub static BIND_AT: &[u8] = b"bind to @";
/// `listen()` failed (followed by the path).
pub static LISTEN: &[u8] = b"listen to ";
/// The same for an abstract name.
pub static LISTEN_AT: &[u8] = b"listen to @";
/// execve failed (followed by prog).
pub static EXEC: &[u8] = b"exec ";
/// Between the object and the error text.
pub static SEP: &[u8] = b": ";
/// `--mkdir` failed (followed by the directory).
pub static MKDIR: &[u8] = b"create directory ";
/// `--pass-credentials` failed.
pub static PASSCRED: &[u8] = b"set SO_PASSCRED";
/// `--listen-fds`: the inherited `LISTEN_FDS` is unusable.
pub static LISTEN_FDS: &[u8] = b"use LISTEN_FDS";
/// `--group` in a set-group-ID directory: after the path.
pub static AS_GROUP: &[u8] = b" as group ";
/// ... and after the group.
pub static IN_SETGID: &[u8] = b": in a set-group-ID directory\n";
/// `--notify-fd` failed (followed by the fd number).
pub static NOTIFY: &[u8] = b"notify readiness to fd ";
/// `--selinux-context`: the `/proc` file could not be opened (followed by
/// its path: `/proc` not mounted says `No such file or directory`).
pub static OPEN: &[u8] = b"open ";
/// `--selinux-context`: the kernel refused the context (followed by it).
pub static SOCKCREATE: &[u8] = b"set SELinux socket context ";
/// `--selinux-file-context`: the same for the file's context.
pub static FSCREATE: &[u8] = b"set SELinux file context ";
/// The context could not be cleared (followed by the `/proc` file).
pub static CLEAR: &[u8] = b"clear ";
/// `--smack-ipin` (followed by the label).
pub static SMACK_IN: &[u8] = b"set security.SMACK64IPIN to ";
/// `--smack-ipout` (followed by the label).
pub static SMACK_OUT: &[u8] = b"set security.SMACK64IPOUT to ";
/// `--pass-security` failed.
pub static PASSSEC: &[u8] = b"set SO_PASSSEC";
/// `--symlink` failed (followed by the link's path).
pub static SYMLINK: &[u8] = b"create symlink ";
/// `--on-demand`'s wait failed (followed by the path).
pub static WAIT: &[u8] = b"wait for a client on ";
/// A name's file could not be read (followed by the file).
pub static READ: &[u8] = b"read ";
/// A name not in its file: `PROG: fatal: unknown user NAME in /etc/passwd`.
pub static UNKNOWN_NAME: &[u8] = b": fatal: unknown ";
/// The two files names are looked up in.
/// (The bytes of the C strings the files are opened by: stored once.)
pub static PASSWD: &[u8] = c"/etc/passwd".to_bytes();
/// See [`PASSWD`].
pub static GROUP: &[u8] = c"/etc/group".to_bytes();

/// `--version`, on stdout after `PROG` (the name is not stored twice).
pub const VERSION: &[u8] = concat!(" ", env!("CARGO_PKG_VERSION"), "\n").as_bytes();

/// `--help`, on stdout after the usage line (`args::help()` writes the
/// three as stored once in `args::LINES`): every option with a one-line
/// meaning; the man page has the rest. s6's options, then [`HELP_LONG`].
pub const HELP: &[u8] = b"-d | -D\tpath.lock, a stale socket replaced | neither
-b backlog\tlisten() backlog (4096); 0: none
-M | -m\tstream | datagram
-a perms\toctal mode (0777)
-B\tblocking socket
";

/// Part F's lines of [`HELP_LONG`] (SPEC F): the cargo feature `full`
/// keeps them; a build without it has neither the lines nor the options
/// (`args::PART_F`).
#[cfg(feature = "full")]
macro_rules! part_f {
    ($lines:literal) => {
        $lines
    };
}
#[cfg(not(feature = "full"))]
macro_rules! part_f {
    ($lines:literal) => {
        ""
    };
}

/// The long options, one a line: this text is also the option table (a
/// long option's code in `args` is its line here, counted from 1; its
/// name ends at the first blank or tab), so no name is stored twice.
/// Part F's lines come last: a build without them has the others' lines
/// in the same places.
pub const HELP_LONG: &[u8] = concat!(
    "--help\tthis text
--version\tthe version
--abstract\tabstract socket name
--listen-fds\tsystemd socket activation
--if-stale\treplace only a dead socket
--mkdir\tcreate parent directories
--no-lock\tno path.lock
--pass-credentials\tSO_PASSCRED
--seqpacket\tSOCK_SEQPACKET
--owner USER\tsocket owner
--group GROUP\tsocket group
--notify-fd N\tnewline to fd N when ready
--fdname NAME\tLISTEN_FDNAMES name
",
    part_f!(
        "--selinux-context CTX\tsocket context
--selinux-file-context CTX\tfile context
--smack-ipin LABEL\tSMACK64IPIN
--smack-ipout LABEL\tSMACK64IPOUT
--symlink LINK\tLINK -> path
--dir-owner USER\towner of --mkdir's dirs
--dir-group GROUP\ttheir group
--dir-mode MODE\ttheir mode
--pass-security\tSO_PASSSEC
--on-demand\texec at the first client
"
    )
)
.as_bytes();

/// The exit code for a failed exec: 127 when not found, else 126.
pub fn exec_exit_code(e: Errno) -> i32 {
    if e == Errno::NOENT {
        EXIT_NOENT
    } else {
        EXIT_EXEC
    }
}

/// A build for a musl target: s6 there is built with musl and prints
/// musl's `strerror` texts (SPEC G), so this program prints them too.
const MUSL: bool = cfg!(target_env = "musl");

/// musl's texts (`src/errno/__strerror.h`, the same from 1.2.3 to 1.2.5)
/// where they differ from glibc's, for the errnos of `TEXTS`. musl has none
/// for `ELIBBAD`: it prints its unknown-errno text for it.
const MUSL_TEXTS: &[(Errno, &[u8])] = &[
    (Errno::IO, b"I/O error"),
    (Errno::NOMEM, b"Out of memory"),
    (Errno::BUSY, b"Resource busy"),
    #[cfg(feature = "full")]
    (Errno::XDEV, b"Cross-device link"),
    (Errno::MFILE, b"No file descriptors available"),
    (Errno::RANGE, b"Result not representable"),
    (Errno::DEADLK, b"Resource deadlock would occur"),
    (Errno::NAMETOOLONG, b"Filename too long"),
    (Errno::LOOP, b"Symbolic link loop"),
    (Errno::OVERFLOW, b"Value too large for data type"),
    (Errno::LIBBAD, MUSL_UNKNOWN),
    (Errno::NOTSOCK, b"Not a socket"),
    (Errno::MSGSIZE, b"Message too large"),
    (Errno::OPNOTSUPP, b"Not supported"),
    (Errno::ADDRINUSE, b"Address in use"),
    (Errno::ADDRNOTAVAIL, b"Address not available"),
    (Errno::NETUNREACH, b"Network unreachable"),
    (Errno::ISCONN, b"Socket is connected"),
    (Errno::NOTCONN, b"Socket not connected"),
    (Errno::TIMEDOUT, b"Operation timed out"),
    (Errno::INPROGRESS, b"Operation in progress"),
    (Errno::DQUOT, b"Quota exceeded"),
];

/// musl's text for an errno it does not know (no number).
const MUSL_UNKNOWN: &[u8] = b"No error information";

/// The text of `TEXTS`' entry `e` in this build: glibc's, or on a musl
/// target musl's where it differs.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn text_of(e: Errno, glibc: &'static [u8]) -> &'static [u8] {
    if !MUSL {
        return glibc;
    }
    let mut i = 0;
    while i < MUSL_TEXTS.len() {
        if MUSL_TEXTS[i].0.raw_os_error() == e.raw_os_error() {
            return MUSL_TEXTS[i].1;
        }
        i += 1;
    }
    glibc
}

/// Whether the letter at `j` of `text` is written as a capital: the
/// first; on a musl target also one after a `/` (musl's `I/O error`; no
/// text of glibc's has a capital there, and no text of musl's a small one).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn capital_at(text: &[u8], j: usize) -> bool {
    j == 0 || (MUSL && text[j - 1] == b'/')
}

/// Every errno the man pages list for the system calls the program makes,
/// with glibc's text: the list, call by call, is `errnos.txt` beside this
/// file, and a unit test checks that every errno in it is here with glibc's
/// exact text (so a call added to the program adds its errnos there, and
/// the test says what is missing). Anything else prints as glibc does:
/// `Unknown error N`. The errnos only part F's calls list are here only in
/// the build with part F.
const TEXTS: &[(Errno, &[u8])] = &[
    (Errno::PERM, b"Operation not permitted"),
    (Errno::NOENT, b"No such file or directory"),
    (Errno::SRCH, b"No such process"),
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
    #[cfg(feature = "full")]
    (Errno::XDEV, b"Invalid cross-device link"),
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
    (Errno::RANGE, b"Numerical result out of range"),
    (Errno::DEADLK, b"Resource deadlock avoided"),
    (Errno::NAMETOOLONG, b"File name too long"),
    (Errno::NOLCK, b"No locks available"),
    #[cfg(feature = "full")]
    (Errno::NOTEMPTY, b"Directory not empty"),
    (Errno::LOOP, b"Too many levels of symbolic links"),
    #[cfg(feature = "full")]
    (Errno::NODATA, b"No data available"),
    (Errno::PROTO, b"Protocol error"),
    (Errno::OVERFLOW, b"Value too large for defined data type"),
    (Errno::LIBBAD, b"Accessing a corrupted shared library"),
    (Errno::NOTSOCK, b"Socket operation on non-socket"),
    (Errno::DESTADDRREQ, b"Destination address required"),
    (Errno::MSGSIZE, b"Message too long"),
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
    (Errno::NETUNREACH, b"Network is unreachable"),
    (Errno::CONNRESET, b"Connection reset by peer"),
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

/// `TEXTS` as one bit stream, 5 bits a character: every text is a capital
/// then lowercase letters, spaces, `/` and `-`, so 30 symbols cover them,
/// and one more (`WORD`, then a 5-bit index) stands for a word of `WORDS`.
/// The stream is the dictionary (each word's symbols, then `END`), then a
/// record per text: the errno in 7 bits, the symbols, then `END`; then a
/// byte of zeros for `Bits::read`. 741 bytes for 59 texts (712 for the 56
/// of the build without part F),
/// instead of 911 without the words and 1,387 as `[errno, length, text]`
/// bytes.
static PACKED: [u8; PACKED_LEN] = pack::<PACKED_LEN>().0;
/// The bits in bytes, and one byte of zeros: `Bits::read` reads two bytes.
const PACKED_LEN: usize = pack::<0>().1.div_ceil(8) + 1;

/// The words the texts share most (measured: each one saves bits in both
/// builds), in lowercase; a text's first letter
/// is written as a capital whatever it is.
const WORDS: [&[u8]; 28] = [
    b"operation ",
    b"file ",
    b"too ",
    b"available",
    b"protocol ",
    b"connection ",
    b"not ",
    b"directory",
    b"resource ",
    b"no ",
    b"already ",
    b"address",
    b"such ",
    b"many ",
    b"transport ",
    b"supported",
    b"endpoint ",
    b"connected",
    b"progress",
    b"error",
    b"long",
    b"device",
    b"system",
    b"space ",
    b"socket",
    b"or ",
    b"argument",
    b"open files",
];

const ERRNO_BITS: u32 = 7;
const SYMBOL_BITS: u32 = 5;
const SPACE: u8 = 26;
const SLASH: u8 = 27;
const DASH: u8 = 28;
const WORD: u8 = 29;
const END: u8 = 31;
/// The longest text, with room to spare.
pub const TEXT_MAX: usize = 48;

/// The symbol for a text's byte (its first, a capital, as its lowercase).
#[allow(clippy::arithmetic_side_effects, clippy::panic)] // const evaluation: an error fails the build
const fn symbol(b: u8, first: bool) -> u8 {
    match b {
        b'a'..=b'z' if !first => b - b'a',
        b'A'..=b'Z' if first => b - b'A',
        b' ' => SPACE,
        b'/' => SLASH,
        b'-' => DASH,
        _ => panic!("a text outside the 5-bit alphabet"),
    }
}

/// The byte for a symbol.
fn byte(sym: u8, first: bool) -> u8 {
    match sym {
        SPACE => b' ',
        SLASH => b'/',
        DASH => b'-',
        s => s.wrapping_add(if first { b'A' } else { b'a' }),
    }
}

/// Appends the low `n` bits of `v` at bit `at` (least significant first),
/// past the end of `out` only counted.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn put<const N: usize>(out: &mut [u8; N], at: usize, v: u32, n: u32) -> usize {
    let mut k = 0;
    while k < n {
        let bit = at + k as usize;
        if (v >> k) & 1 == 1 && bit / 8 < N {
            out[bit / 8] |= 1 << (bit % 8);
        }
        k += 1;
    }
    at + n as usize
}

/// Whether `word` is at `i` in `text` (its first letter compared in
/// lowercase).
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn word_at(text: &[u8], i: usize, word: &[u8]) -> bool {
    if i + word.len() > text.len() {
        return false;
    }
    let mut j = 0;
    while j < word.len() {
        let mut b = text[i + j];
        if i + j == 0 && b.is_ascii_uppercase() {
            b += b'a' - b'A';
        }
        if b != word[j] {
            return false;
        }
        j += 1;
    }
    true
}

/// The dictionary then the texts, in at most `N` bytes; and the bits used.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn pack<const N: usize>() -> ([u8; N], usize) {
    let mut out = [0; N];
    let mut at = 0;
    let mut w = 0;
    while w < WORDS.len() {
        let mut j = 0;
        while j < WORDS[w].len() {
            at = put(&mut out, at, symbol(WORDS[w][j], false) as u32, SYMBOL_BITS);
            j += 1;
        }
        at = put(&mut out, at, END as u32, SYMBOL_BITS);
        w += 1;
    }
    assert!(at == DICT_BITS && WORDS.len() <= 1 << SYMBOL_BITS);
    let mut i = 0;
    while i < TEXTS.len() {
        let (e, text) = TEXTS[i];
        let text = text_of(e, text);
        let code = e.raw_os_error();
        assert!(code > 0 && code < 1 << ERRNO_BITS && text.len() < TEXT_MAX);
        at = put(&mut out, at, code as u32, ERRNO_BITS);
        let mut j = 0;
        while j < text.len() {
            // The longest word here, if any.
            let (mut best, mut len) = (0, 0);
            let mut w = 0;
            while w < WORDS.len() {
                if WORDS[w].len() > len && word_at(text, j, WORDS[w]) {
                    (best, len) = (w, WORDS[w].len());
                }
                w += 1;
            }
            if len > 2 {
                at = put(&mut out, at, WORD as u32, SYMBOL_BITS);
                at = put(&mut out, at, best as u32, SYMBOL_BITS);
                j += len;
            } else {
                at = put(
                    &mut out,
                    at,
                    symbol(text[j], capital_at(text, j)) as u32,
                    SYMBOL_BITS,
                );
                j += 1;
            }
        }
        at = put(&mut out, at, END as u32, SYMBOL_BITS);
        i += 1;
    }
    (out, at)
}

/// Where the texts start in `PACKED`, after the dictionary.
const DICT_BITS: usize = dict_bits();

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn dict_bits() -> usize {
    let mut n = 0;
    let mut w = 0;
    while w < WORDS.len() {
        n += (WORDS[w].len() + 1) * SYMBOL_BITS as usize;
        w += 1;
    }
    n
}

/// Reads `PACKED` a few bits at a time.
struct Bits {
    at: usize,
}

impl Bits {
    /// The next `n` bits (`n` up to 8), from the two bytes they lie in;
    /// `None` past the end.
    fn read(&mut self, n: u32) -> Option<u32> {
        let i = self.at / 8;
        let &[lo, hi] = PACKED.get(i..i.wrapping_add(2))? else {
            return None;
        };
        let v = u32::from(u16::from_le_bytes([lo, hi])) >> (self.at % 8);
        self.at = self.at.wrapping_add(n as usize);
        Some(v & 1u32.wrapping_shl(n).wrapping_sub(1))
    }

    /// The next symbol.
    fn symbol(&mut self) -> Option<u8> {
        self.read(SYMBOL_BITS).map(|s| s as u8)
    }
}

/// glibc's text for `e`, written into `buf`, if the table has it.
pub fn strerror(e: Errno, buf: &mut [u8; TEXT_MAX]) -> Option<&[u8]> {
    let code = e.raw_os_error();
    let mut bits = Bits { at: DICT_BITS };
    loop {
        let this = bits.read(ERRNO_BITS)? as i32 == code;
        let mut len = 0usize;
        // Inside a word of the dictionary: where the text goes on.
        let mut back = None;
        loop {
            let sym = bits.symbol()?;
            if sym == END {
                match back.take() {
                    Some(at) => bits.at = at,
                    None => break,
                }
            } else if sym == WORD {
                let k = bits.symbol()?;
                if this {
                    back = Some(bits.at);
                    // The word's symbols: past k others from the start.
                    bits.at = 0;
                    for _ in 0..k {
                        while bits.symbol()? != END {}
                    }
                }
            } else if this {
                let first = len == 0 || (MUSL && buf.get(len.wrapping_sub(1)) == Some(&b'/'));
                *buf.get_mut(len)? = byte(sym, first);
                len = len.wrapping_add(1);
            }
        }
        if this {
            return buf.get(..len);
        }
    }
}

/// The prefix of glibc's text for an errno it does not know.
pub const UNKNOWN: &[u8] = b"Unknown error ";

/// Room for an error text: glibc's, or the digits of `Unknown error N`.
pub struct ErrBuf {
    text: [u8; TEXT_MAX],
    digits: [u8; num::U32_DIGITS],
}

impl ErrBuf {
    /// An empty buffer.
    pub const fn new() -> Self {
        ErrBuf {
            text: [0; TEXT_MAX],
            digits: [0; num::U32_DIGITS],
        }
    }
}

impl Default for ErrBuf {
    fn default() -> Self {
        Self::new()
    }
}

/// The text for `e` in two parts: glibc's text and nothing, or
/// `Unknown error ` and the digits (on a musl target, musl's text, or its
/// `No error information`).
pub fn error_text(e: Errno, buf: &mut ErrBuf) -> (&[u8], &[u8]) {
    match strerror(e, &mut buf.text) {
        Some(text) => (text, &[]),
        None if MUSL => (MUSL_UNKNOWN, &[]),
        None => (
            UNKNOWN,
            num::fmt_u32(e.raw_os_error().unsigned_abs(), &mut buf.digits),
        ),
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
        // On a musl target the tests' libc is musl, whose texts the build
        // has there.
        for &(e, text) in TEXTS {
            // SAFETY: strerror returns a valid C string.
            let c = unsafe { std::ffi::CStr::from_ptr(libc_strerror(e.raw_os_error())) };
            if !MUSL {
                assert_eq!(c.to_bytes(), text, "errno {}", e.raw_os_error());
            }
            let mut buf = ErrBuf::new();
            let (a, b) = error_text(e, &mut buf);
            assert_eq!([a, b].concat(), c.to_bytes(), "errno {}", e.raw_os_error());
        }
    }

    /// Each of musl's texts replaces one of the table's, and is not
    /// glibc's (else it would not be listed).
    #[test]
    fn musl_texts_replace_glibc_texts() {
        for &(e, musl) in MUSL_TEXTS {
            let glibc = TEXTS.iter().find(|&&(t, _)| t == e).map(|&(_, text)| text);
            assert!(
                glibc.is_some_and(|g| g != musl),
                "errno {}",
                e.raw_os_error()
            );
        }
    }

    /// The errno named `name` (`"ENOTCONN"`), for `errnos.txt`.
    fn named(name: &str) -> Errno {
        const NAMES: &[(&str, Errno)] = &[
            ("EPERM", Errno::PERM),
            ("ENOENT", Errno::NOENT),
            ("ESRCH", Errno::SRCH),
            ("EINTR", Errno::INTR),
            ("EIO", Errno::IO),
            ("ENXIO", Errno::NXIO),
            ("E2BIG", Errno::TOOBIG),
            ("ENOEXEC", Errno::NOEXEC),
            ("EBADF", Errno::BADF),
            ("EAGAIN", Errno::AGAIN),
            ("ENOMEM", Errno::NOMEM),
            ("EACCES", Errno::ACCESS),
            ("EFAULT", Errno::FAULT),
            ("EBUSY", Errno::BUSY),
            ("EEXIST", Errno::EXIST),
            ("EXDEV", Errno::XDEV),
            ("ENODEV", Errno::NODEV),
            ("ENOTDIR", Errno::NOTDIR),
            ("EISDIR", Errno::ISDIR),
            ("EINVAL", Errno::INVAL),
            ("ENFILE", Errno::NFILE),
            ("EMFILE", Errno::MFILE),
            ("ETXTBSY", Errno::TXTBSY),
            ("EFBIG", Errno::FBIG),
            ("ENOSPC", Errno::NOSPC),
            ("EROFS", Errno::ROFS),
            ("EMLINK", Errno::MLINK),
            ("EPIPE", Errno::PIPE),
            ("ERANGE", Errno::RANGE),
            ("EDEADLK", Errno::DEADLK),
            ("ENAMETOOLONG", Errno::NAMETOOLONG),
            ("ENOLCK", Errno::NOLCK),
            ("ENOTEMPTY", Errno::NOTEMPTY),
            ("ELOOP", Errno::LOOP),
            ("ENODATA", Errno::NODATA),
            ("EPROTO", Errno::PROTO),
            ("EOVERFLOW", Errno::OVERFLOW),
            ("ELIBBAD", Errno::LIBBAD),
            ("ENOTSOCK", Errno::NOTSOCK),
            ("EDESTADDRREQ", Errno::DESTADDRREQ),
            ("EMSGSIZE", Errno::MSGSIZE),
            ("EPROTOTYPE", Errno::PROTOTYPE),
            ("ENOPROTOOPT", Errno::NOPROTOOPT),
            ("EPROTONOSUPPORT", Errno::PROTONOSUPPORT),
            ("EOPNOTSUPP", Errno::OPNOTSUPP),
            ("EAFNOSUPPORT", Errno::AFNOSUPPORT),
            ("EADDRINUSE", Errno::ADDRINUSE),
            ("EADDRNOTAVAIL", Errno::ADDRNOTAVAIL),
            ("ENETUNREACH", Errno::NETUNREACH),
            ("ECONNRESET", Errno::CONNRESET),
            ("ENOBUFS", Errno::NOBUFS),
            ("EISCONN", Errno::ISCONN),
            ("ENOTCONN", Errno::NOTCONN),
            ("ETIMEDOUT", Errno::TIMEDOUT),
            ("ECONNREFUSED", Errno::CONNREFUSED),
            ("EALREADY", Errno::ALREADY),
            ("EINPROGRESS", Errno::INPROGRESS),
            ("ESTALE", Errno::STALE),
            ("EDQUOT", Errno::DQUOT),
        ];
        NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("errnos.txt names {name}: add it to this test's NAMES"))
            .1
    }

    #[test]
    fn every_listed_errno_has_glibc_text() {
        let list = include_str!("errnos.txt");
        let mut seen = 0;
        for line in list.lines().filter(|l| !l.starts_with('#')) {
            let (call, errnos) = line.split_once(':').expect("`call: ERRNO...`");
            if call.starts_with('+') && !cfg!(feature = "full") {
                continue; // part F's call, not made
            }
            for name in errnos.split_whitespace() {
                let e = named(name);
                // SAFETY: strerror returns a valid C string.
                let glibc = unsafe { std::ffi::CStr::from_ptr(libc_strerror(e.raw_os_error())) };
                let mut buf = [0; TEXT_MAX];
                let ours = strerror(e, &mut buf);
                assert_eq!(ours, Some(glibc.to_bytes()), "{call}: {name}");
                seen += 1;
            }
        }
        assert!(seen > 200, "{seen} errnos read from errnos.txt");
    }

    /// Every errno number the table lacks reads as unknown, the padding
    /// after the last text included (`Bits::read` reads two bytes).
    #[test]
    fn the_others_are_unknown() {
        for code in 1..=300 {
            let e = Errno::from_raw_os_error(code);
            let known = TEXTS
                .iter()
                .find(|&&(t, _)| t == e)
                .map(|&(t, text)| text_of(t, text));
            assert_eq!(strerror(e, &mut [0; TEXT_MAX]), known, "errno {code}");
        }
    }

    #[test]
    fn unknown() {
        let mut buf = ErrBuf::new();
        let e = Errno::from_raw_os_error(200);
        let unknown = |n: i32| match MUSL {
            true => String::from("No error information"),
            false => format!("Unknown error {n}"),
        };
        let (a, b) = error_text(e, &mut buf);
        assert_eq!([a, b].concat(), unknown(200).as_bytes());
        let (a, b) = error_text(Errno::ADDRINUSE, &mut buf);
        let in_use: &[u8] = if MUSL {
            b"Address in use"
        } else {
            b"Address already in use"
        };
        assert_eq!([a, b].concat(), in_use);
        let (a, b) = error_text(Errno::from_raw_os_error(4000), &mut buf);
        assert_eq!([a, b].concat(), unknown(4000).as_bytes());
    }

    #[test]
    fn prog_is_the_usage_lines_name() {
        assert_eq!(PROG, b"s6-ipcserver-socketbinder");
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
