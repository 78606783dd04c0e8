//! Security labels given on the command line (SPEC F), checked before any
//! side effect: what the kernel would refuse, or would silently cut short,
//! is a usage error instead of a half-labelled socket.
//!
//! - An SELinux context goes to `/proc/thread-self/attr/sockcreate` or
//!   `fscreate` as it is: printable ASCII without blanks (a trailing
//!   newline is refused by the kernel, and a context has no blanks), not
//!   empty (an empty write *clears* the context: the socket would silently
//!   get the policy's default), at most [`CONTEXT_MAX`] bytes.
//! - A SMACK label follows the kernel's `smk_parse_smack()`
//!   (security/smack/smack_access.c): 1 to 255 bytes, no byte at or below
//!   space or above `~`, none of `/ " \ '`, and not starting with `-`. The
//!   kernel stops at the first bad byte and keeps the prefix; we refuse the
//!   whole label instead, so `"a b"` never becomes `a`.
#![forbid(unsafe_code)]

use crate::word::Word;

/// The longest SELinux context accepted: the kernel reads at most one page
/// from a `/proc/…/attr` write, and the smallest page is 4 KiB.
pub const CONTEXT_MAX: usize = 4095;
/// The longest SMACK label (`SMK_LONGLABEL - 1`).
pub const SMACK_MAX: usize = 255;

/// The bytes a SMACK label may not hold besides blanks and controls.
pub const SMACK_REFUSED: &[u8] = b"/\"\\'";

/// Whether `w` is a context we hand to SELinux.
pub fn selinux_context(w: Word<'_>) -> bool {
    valid(w, 1, CONTEXT_MAX, b'!', b'~', b"")
}

/// Whether `w` is a label SMACK imports unchanged.
pub fn smack_label(w: Word<'_>) -> bool {
    w.first() != b'-' && valid(w, 1, SMACK_MAX, b'!', b'~', SMACK_REFUSED)
}

/// `min` to `max` bytes, each from `lo` to `hi` and not in `refused`.
pub fn valid(w: Word<'_>, min: usize, max: usize, lo: u8, hi: u8, refused: &[u8]) -> bool {
    let mut n = 0usize;
    for b in w.bytes() {
        if b < lo || b > hi || refused.contains(&b) || n >= max {
            return false;
        }
        n = n.wrapping_add(1);
    }
    n >= min
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn sel(s: &[u8]) -> bool {
        selinux_context(Word::new(&CString::new(s).unwrap()))
    }
    fn smk(s: &[u8]) -> bool {
        smack_label(Word::new(&CString::new(s).unwrap()))
    }

    #[test]
    fn selinux() {
        assert!(sel(b"system_u:object_r:syslogd_t:s0"));
        assert!(sel(b"u:r:t:s0-s15:c0.c1023"));
        assert!(sel(&[b'a'; CONTEXT_MAX]));
        for bad in [
            &b""[..],
            b"u:r:t:s0\n",
            b"u:r:t s0",
            b"u:r:t:s0\t",
            b"\x7f",
            b"u:r:\xc3\xa9:s0",
        ] {
            assert!(!sel(bad), "{bad:?}");
        }
        assert!(!sel(&[b'a'; CONTEXT_MAX + 1]));
    }

    #[test]
    fn smack() {
        for ok in [&b"_"[..], b"*", b"^", b"@", b"System::Log", b"a-b", b"x~"] {
            assert!(smk(ok), "{ok:?}");
        }
        assert!(smk(&[b'L'; SMACK_MAX]));
        assert!(!smk(&[b'L'; SMACK_MAX + 1]));
        for bad in [
            &b""[..],
            b"-x",
            b"-",
            b"a b",
            b"a/b",
            b"a\"b",
            b"a\\b",
            b"a'b",
            b"a\n",
            b"\x7f",
            b"\xff",
        ] {
            assert!(!smk(bad), "{bad:?}");
        }
    }

    /// Every single byte against the kernel's rule, written out as it is
    /// in `smk_parse_smack` (a label of that one byte).
    #[test]
    fn smack_matches_the_kernel_rule_byte_by_byte() {
        for b in 1..=255u8 {
            let kernel = b != b'-'
                && !(b > b'~' || b <= b' ' || b == b'/' || b == b'"' || b == b'\\' || b == b'\'');
            assert_eq!(smk(&[b]), kernel, "byte {b}");
            assert_eq!(smk(&[b'a', b]), kernel || b == b'-', "byte {b} after a");
        }
    }
}
