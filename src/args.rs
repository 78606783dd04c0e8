//! The command line, parsed in place like skalibs' `subgetopt` with the
//! option string `DdMmBb:a:`: no copies, no permutation, parsing stops at the
//! first operand, a lone `-` is an operand, `--` ends the options.

use crate::num;
use crate::word::Word;

/// `listen()` backlog when `-b` is not given: glibc's SOMAXCONN, as in the
/// distribution builds of s6.
pub const DEFAULT_BACKLOG: u32 = 4096;
/// Socket permissions when `-a` is not given.
pub const DEFAULT_PERMS: u32 = 0o777;
/// `-a` keeps only the permission bits.
pub const PERMS_MASK: u32 = 0o777;

/// The socket's type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `SOCK_STREAM` (default, `-M`).
    Stream,
    /// `SOCK_DGRAM` (`-m`).
    Dgram,
}

/// What the command line asks for.
#[derive(Clone, Copy)]
pub struct Opts<'a> {
    /// `-d` (default): lock `path.lock`, replace a stale socket. `-D`: neither.
    pub reuse: bool,
    /// `-m` / `-M`.
    pub kind: Kind,
    /// `-B`: leave the socket blocking.
    pub blocking: bool,
    /// `-b`: `listen()` backlog; 0 means no `listen()` at all.
    pub backlog: u32,
    /// `-a`: permission bits of the socket (already masked to 0777).
    pub perms: u32,
    /// The socket's path, as given.
    pub path: Word<'a>,
    /// prog and its arguments: at least one word, the tail of argv.
    pub prog: &'a [Word<'a>],
}

/// The command line does not follow the grammar: print the usage line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Usage;

/// Parses `argv` (program name included).
pub fn parse<'a>(argv: &'a [Word<'a>]) -> Result<Opts<'a>, Usage> {
    let mut reuse = true;
    let mut kind = Kind::Stream;
    let mut blocking = false;
    let mut backlog = DEFAULT_BACKLOG;
    let mut perms = DEFAULT_PERMS;

    let mut rest = argv.get(1..).ok_or(Usage)?;
    while let Some((&word, after)) = rest.split_first() {
        if word.first() != b'-' || word.tail().first() == 0 {
            break; // an operand: path (a lone "-" included)
        }
        rest = after;
        let mut letters = word.tail();
        if letters.first() == b'-' {
            if letters.tail().first() == 0 {
                break; // "--": end of options, consumed
            }
            return Err(Usage); // "--word": no long options in s6
        }
        while let Some((c, next)) = split(letters) {
            letters = next;
            match c {
                b'd' => reuse = true,
                b'D' => reuse = false,
                b'm' => kind = Kind::Dgram,
                b'M' => kind = Kind::Stream,
                b'B' => blocking = true,
                b'b' | b'a' => {
                    // The rest of the word, else the next word, whatever it is.
                    let value = if letters.first() != 0 {
                        letters
                    } else {
                        let (&v, after) = rest.split_first().ok_or(Usage)?;
                        rest = after;
                        v
                    };
                    if c == b'b' {
                        backlog = num::scan(value, 10).ok_or(Usage)?;
                    } else {
                        perms = num::scan(value, 8).ok_or(Usage)? & PERMS_MASK;
                    }
                    break;
                }
                _ => return Err(Usage),
            }
        }
    }

    match rest {
        [path, prog @ ..] if !prog.is_empty() => Ok(Opts {
            reuse,
            kind,
            blocking,
            backlog,
            perms,
            path: *path,
            prog,
        }),
        _ => Err(Usage),
    }
}

/// The first byte of `w` and the word after it, unless `w` is empty.
fn split(w: Word<'_>) -> Option<(u8, Word<'_>)> {
    match w.first() {
        0 => None,
        c => Some((c, w.tail())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn run(words: &[&str]) -> Result<(Opts<'static>, Vec<String>), Usage> {
        let owned: Vec<CString> = std::iter::once("binder")
            .chain(words.iter().copied())
            .map(|w| CString::new(w).unwrap())
            .collect();
        let owned: &'static [CString] = Box::leak(owned.into_boxed_slice());
        let argv: Vec<Word<'static>> = owned.iter().map(|c| Word::new(c)).collect();
        let argv: &'static [Word<'static>] = Box::leak(argv.into_boxed_slice());
        let o = parse(argv)?;
        let prog = o
            .prog
            .iter()
            .map(|w| String::from_utf8(w.to_bytes().to_vec()).unwrap())
            .collect();
        Ok((o, prog))
    }

    fn path(o: &Opts<'_>) -> Vec<u8> {
        o.path.to_bytes().to_vec()
    }

    #[test]
    fn defaults() {
        let (o, prog) = run(&["s", "p", "-b", "x"]).unwrap();
        assert!(o.reuse && !o.blocking);
        assert_eq!(o.kind, Kind::Stream);
        assert_eq!((o.backlog, o.perms), (4096, 0o777));
        assert_eq!(path(&o), b"s");
        assert_eq!(prog, ["p", "-b", "x"]);
    }

    #[test]
    fn clusters_and_toggles() {
        let (o, _) = run(&["-mBb0", "s", "p"]).unwrap();
        assert_eq!((o.kind, o.blocking, o.backlog), (Kind::Dgram, true, 0));
        let (o, _) = run(&["-Dda0700", "s", "p"]).unwrap();
        assert!(o.reuse);
        assert_eq!(o.perms, 0o700);
        let (o, _) = run(&["-Db5", "s", "p"]).unwrap();
        assert!(!o.reuse);
        assert_eq!(o.backlog, 5);
        let (o, _) = run(&["-b", "5", "-b", "7", "-mM", "s", "p"]).unwrap();
        assert_eq!((o.backlog, o.kind), (7, Kind::Stream));
        let (o, _) = run(&["-a", "1777", "s", "p"]).unwrap();
        assert_eq!(o.perms, 0o777);
    }

    #[test]
    fn operands() {
        let (o, prog) = run(&["-", "p"]).unwrap();
        assert_eq!(path(&o), b"-");
        assert_eq!(prog, ["p"]);
        let (o, prog) = run(&["--", "-x", "-p", "-D"]).unwrap();
        assert_eq!(path(&o), b"-x");
        assert_eq!(prog, ["-p", "-D"]);
        let (o, _) = run(&["-D", "--", "--", "p"]).unwrap();
        assert_eq!(path(&o), b"--");
        let (o, _) = run(&["", "p"]).unwrap();
        assert_eq!(path(&o), b"");
    }

    #[test]
    fn usage_errors() {
        for bad in [
            &[][..],
            &["s"],
            &["-D", "s"],
            &["-b"],
            &["-b", "5"],
            &["-b", "5", "s"],
            &["-ba0700", "s", "p"],
            &["-b", "-1", "s", "p"],
            &["-b", "", "s", "p"],
            &["-b", "4294967296", "s", "p"],
            &["-a", "999", "s", "p"],
            &["-a", "0778", "s", "p"],
            &["-a", "40000000000", "s", "p"],
            &["-x", "s", "p"],
            &["-dx", "s", "p"],
            &["--foo", "s", "p"],
            &["--"],
            &["--", "s"],
            &["-"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn argument_may_look_like_an_option() {
        let (o, _) = run(&["-a", "0", "-b", "0", "s", "p"]).unwrap();
        assert_eq!((o.perms, o.backlog), (0, 0));
        assert!(run(&["-b", "-D", "s", "p"]).is_err());
        let (o, _) = run(&["-b", "4294967295", "s", "p"]).unwrap();
        assert_eq!(o.backlog, u32::MAX);
    }

    #[test]
    fn empty_argv() {
        assert_eq!(parse(&[]).err(), Some(Usage));
    }
}
