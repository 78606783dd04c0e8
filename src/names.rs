//! User and group names, looked up in `/etc/passwd` and `/etc/group` the
//! way glibc's `files` module reads them, with no heap and any line
//! length: a byte-at-a-time scanner fed the file in chunks of a fixed
//! buffer, so a line is never held whole.
//!
//! Both files have the name in the first field and the id in the third
//! (`name:password:uid:…`, `name:password:gid:members`). Blanks at the
//! start of a line are skipped and a line starting with `#` is a comment,
//! as in glibc's parser. The first line whose name matches and whose id is
//! a number wins; a matching line with an unusable id (empty, not decimal,
//! over 32 bits, or 4294967295, which `setresuid` reads as "no change") is
//! skipped, as glibc skips a line it cannot parse. A word is a name only if
//! it is not all digits: all digits is a number, as systemd reads `User=`
//! (its `parse_uid()` first; its user-name rules refuse an all-digit
//! name). Not as POSIX `chown(1)`, which looks a number up as a name first.
#![forbid(unsafe_code)]

use crate::num;
use crate::word::Word;

/// The kind of number a word names. Names are part F's (the cargo feature
/// `full`): without it an id is a number, and `Option<Id>` is as small as
/// an `Option<u32>`.
#[derive(Clone, Copy)]
pub enum Id<'a> {
    /// Given as a number.
    Num(u32),
    /// Given as a name: to look up.
    #[cfg(feature = "full")]
    Name(Word<'a>),
    /// Without part F, no id is a name: this variant cannot be made (it
    /// only holds the lifetime).
    #[cfg(not(feature = "full"))]
    NoName(
        core::convert::Infallible,
        core::marker::PhantomData<Word<'a>>,
    ),
}

impl<'a> Id<'a> {
    /// A number (all digits, below 4294967295), else a name: not empty,
    /// not starting with `-` or `+` (as `useradd` requires, so `-1` is no
    /// name; glibc's `files` module never matches a name asked with either:
    /// `+name` lines are NIS's),
    /// no `:` (the files' separator), no byte at or below space (no
    /// newline), no `/`, no DEL. `None` when it is neither, and for any
    /// name without part F.
    pub fn parse(w: Word<'a>) -> Option<Self> {
        let (mut digits, mut name) = (true, !matches!(w.first(), b'-' | b'+'));
        for b in w.bytes() {
            digits &= b.is_ascii_digit();
            name &= b > b' ' && b != b':' && b != b'/' && b != 0x7f;
        }
        if digits {
            return Id::number(w);
        }
        Id::named(w, name)
    }

    /// `w` as a name, if it can be one (`ok`) and the build has part F.
    #[cfg(feature = "full")]
    fn named(w: Word<'a>, ok: bool) -> Option<Self> {
        ok.then_some(Id::Name(w))
    }

    /// Without part F, no word is a name.
    #[cfg(not(feature = "full"))]
    fn named(_: Word<'a>, _: bool) -> Option<Self> {
        None
    }

    /// The name, until looked up (never without part F).
    pub fn name(self) -> Option<Word<'a>> {
        match self {
            Id::Num(_) => None,
            #[cfg(feature = "full")]
            Id::Name(w) => Some(w),
            #[cfg(not(feature = "full"))]
            Id::NoName(never, _) => match never {},
        }
    }

    /// A number: all digits, below 4294967295 (which `setresuid` reads as
    /// "no change"); `None` otherwise.
    pub fn number(w: Word<'a>) -> Option<Self> {
        num::scan(w, 10).filter(|&n| n != u32::MAX).map(Id::Num)
    }

    /// The number, once looked up.
    pub fn num(self) -> Option<u32> {
        match self {
            Id::Num(n) => Some(n),
            #[cfg(feature = "full")]
            Id::Name(_) => None,
            #[cfg(not(feature = "full"))]
            Id::NoName(never, _) => match never {},
        }
    }
}

/// Where the scanner is in the current line: blanks before the name,
/// then the fields (`NAME`, the password, `ID`, the rest), or `SKIP` when
/// the line cannot match.
const LEAD: u8 = 0;
const NAME: u8 = 1;
const PASSWORD: u8 = 2;
const ID: u8 = 3;
const REST: u8 = 4;
const SKIP: u8 = 5;

/// Finds the id of `name` in a `passwd`- or `group`-format stream.
pub struct Scanner<'n> {
    name: &'n [u8],
    at: u8,
    /// Bytes of the name matched so far in this line.
    matched: usize,
    id: u32,
    /// The id field has a digit (so a line not skipped gives an id).
    digits: bool,
}

impl<'n> Scanner<'n> {
    /// A scanner for `name`.
    pub fn new(name: &'n [u8]) -> Self {
        Scanner {
            name,
            at: LEAD,
            matched: 0,
            id: 0,
            digits: false,
        }
    }

    /// Reads the next chunk of the file; the id once a line gives it.
    pub fn feed(&mut self, chunk: &[u8]) -> Option<u32> {
        chunk.iter().find_map(|&b| self.byte(b))
    }

    /// The end of the file: a last line without a newline still counts.
    pub fn finish(&mut self) -> Option<u32> {
        self.byte(b'\n')
    }

    fn byte(&mut self, b: u8) -> Option<u32> {
        if b == b'\n' {
            // A line not skipped whose id field has a digit named us with
            // a number (any other byte there skips it).
            let found = self.at != SKIP && self.digits;
            let id = self.id;
            *self = Scanner::new(self.name);
            return found.then_some(id);
        }
        self.at = match (self.at, b) {
            (LEAD, b' ' | b'\t') => LEAD,
            (LEAD, b'#') => SKIP,
            (LEAD | NAME, b':') if self.matched == self.name.len() => PASSWORD,
            (LEAD | NAME, _) if self.name.get(self.matched) == Some(&b) => {
                self.matched = self.matched.wrapping_add(1);
                NAME
            }
            (LEAD | NAME, _) => SKIP,
            (PASSWORD, b':') => ID,
            (ID, b':') if self.digits => REST,
            (ID, b'0'..=b'9') => {
                // Below 2^32 before, so no overflow in 64 bits; from
                // 4294967295 on (which `setresuid` reads as "no change")
                // the line is skipped.
                let n = u64::from(self.id)
                    .wrapping_mul(10)
                    .wrapping_add(u64::from(b.wrapping_sub(b'0')));
                self.id = n as u32;
                self.digits = true;
                if n < u64::from(u32::MAX) { ID } else { SKIP }
            }
            (ID, _) => SKIP,
            (at, _) => at,
        };
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    /// The scanner fed `text` in chunks of `chunk` bytes.
    fn find(text: &[u8], name: &str, chunk: usize) -> Option<u32> {
        let mut s = Scanner::new(name.as_bytes());
        for c in text.chunks(chunk) {
            if let Some(id) = s.feed(c) {
                return Some(id);
            }
        }
        s.finish()
    }

    fn all_chunks(text: &[u8], name: &str) -> Option<u32> {
        let whole = find(text, name, text.len().max(1));
        for chunk in [1, 2, 3, 7, 64] {
            assert_eq!(find(text, name, chunk), whole, "chunk {chunk}");
        }
        whole
    }

    const PASSWD: &[u8] = b"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
# log:x:99:99:a comment, not a user
logger:x:101:101::/nonexistent:/usr/sbin/nologin
log:x:102:102::/nonexistent:/usr/sbin/nologin
log:x:103:103:second match, ignored:/:/bin/false
  spaced:x:104:104::/:/bin/false
";

    #[test]
    fn passwd() {
        assert_eq!(all_chunks(PASSWD, "root"), Some(0));
        assert_eq!(all_chunks(PASSWD, "daemon"), Some(1));
        assert_eq!(all_chunks(PASSWD, "log"), Some(102), "first match wins");
        assert_eq!(all_chunks(PASSWD, "logger"), Some(101));
        assert_eq!(all_chunks(PASSWD, "logge"), None, "a prefix of a name");
        assert_eq!(all_chunks(PASSWD, "loggers"), None, "longer than a name");
        assert_eq!(all_chunks(PASSWD, "spaced"), Some(104));
        assert_eq!(all_chunks(PASSWD, "# log"), None, "comments are no users");
        assert_eq!(all_chunks(PASSWD, "nobody"), None);
        assert_eq!(
            all_chunks(PASSWD, "x"),
            None,
            "the password field is no name"
        );
    }

    #[test]
    fn group_lines_and_the_last_line() {
        let group = b"root:x:0:\nadm:x:4:syslog\nstaff:x:50";
        assert_eq!(all_chunks(group, "root"), Some(0));
        assert_eq!(all_chunks(group, "adm"), Some(4));
        assert_eq!(all_chunks(group, "staff"), Some(50), "no final newline");
        assert_eq!(all_chunks(b"", "root"), None);
        assert_eq!(all_chunks(b"\n\n", "root"), None);
    }

    #[test]
    fn long_lines() {
        // Lines far longer than any buffer the binary reads with.
        let mut text = Vec::new();
        text.extend_from_slice(b"big:x:7:7:");
        text.extend(std::iter::repeat_n(b'g', 100_000));
        text.extend_from_slice(b":/:/bin/sh\n");
        let long_name = "n".repeat(5000);
        text.extend_from_slice(format!("{long_name}:x:8:8::/:/bin/sh\n").as_bytes());
        text.extend_from_slice(b"after:x:9:9::/:/bin/sh\n");
        assert_eq!(all_chunks(&text, "big"), Some(7));
        assert_eq!(all_chunks(&text, &long_name), Some(8));
        assert_eq!(all_chunks(&text, &long_name[1..]), None);
        assert_eq!(all_chunks(&text, "after"), Some(9));
    }

    #[test]
    fn bad_ids_are_skipped() {
        let text = b"a:x::1\na:x:1x:1\na:x:4294967295:1\na:x:99999999999:1\na:x:12:1\n";
        assert_eq!(all_chunks(text, "a"), Some(12));
        assert_eq!(all_chunks(b"a:x\na", "a"), None, "no id field");
        assert_eq!(all_chunks(b"a:x:4294967294:0\n", "a"), Some(4294967294));
    }

    impl PartialEq for Id<'_> {
        fn eq(&self, o: &Self) -> bool {
            match (self, o) {
                (Id::Num(a), Id::Num(b)) => a == b,
                #[cfg(feature = "full")]
                (Id::Name(a), Id::Name(b)) => a.to_bytes() == b.to_bytes(),
                _ => false,
            }
        }
    }
    impl std::fmt::Debug for Id<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                Id::Num(n) => write!(f, "Num({n})"),
                #[cfg(feature = "full")]
                Id::Name(w) => write!(f, "Name({:?})", String::from_utf8_lossy(w.to_bytes())),
                #[cfg(not(feature = "full"))]
                Id::NoName(never, _) => match *never {},
            }
        }
    }

    fn id(s: &str) -> Option<Id<'static>> {
        let c: &'static CString = Box::leak(Box::new(CString::new(s).unwrap()));
        Id::parse(Word::new(c))
    }

    #[test]
    fn numbers_and_names() {
        assert_eq!(id("0"), Some(Id::Num(0)));
        assert_eq!(id("0065534"), Some(Id::Num(65534)));
        assert_eq!(id("4294967294"), Some(Id::Num(4294967294)));
        assert_eq!(id("4294967295"), None);
        assert_eq!(id("4294967296"), None);
        // Names only with part F.
        let name = |i: Option<Id<'_>>| i.and_then(Id::name).map(|w| w.to_bytes().to_vec());
        let full = |s: &str| cfg!(feature = "full").then(|| s.as_bytes().to_vec());
        assert_eq!(name(id("root")), full("root"));
        assert_eq!(id("-1"), None);
        assert_eq!(id("-root"), None);
        assert_eq!(id("+root"), None);
        assert_eq!(name(id("a-b")), full("a-b"));
        assert_eq!(name(id("1a")), full("1a"));
        assert_eq!(name(id("7")), None);
        for bad in ["", "a:b", "a b", "a\nb", "a/b", "\t", "a\x7f"] {
            assert_eq!(id(bad), None, "{bad:?}");
        }
        assert_eq!(id("7").unwrap().num(), Some(7));
        if cfg!(feature = "full") {
            assert_eq!(id("x").unwrap().num(), None);
        }
    }
}
