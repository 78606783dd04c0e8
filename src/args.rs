//! The command line, parsed in place like skalibs' `subgetopt` with the
//! option string `DdMmBb:a:`: no copies, no permutation, parsing stops at the
//! first operand, a lone `-` is an operand, `--` ends the options.
//!
//! On top of s6's grammar, the long options of SPEC part C (`--name`,
//! `--name value`, `--name=value`, anywhere before `path`; no abbreviations).
//! Every command line s6 accepts means the same here: s6 rejects every
//! `--word`, so no long option can change an s6 invocation.
#![forbid(unsafe_code)]

use crate::num;
use crate::word::{Args, Word};

/// `listen()` backlog when `-b` is not given: glibc's SOMAXCONN, as in the
/// distribution builds of s6.
pub const DEFAULT_BACKLOG: u32 = 4096;
/// Socket permissions when `-a` is not given.
pub const DEFAULT_PERMS: u32 = 0o777;
/// `-a` keeps only the permission bits.
pub const PERMS_MASK: u32 = 0o777;

/// The socket's type: the last of `-M`, `-m`, `--seqpacket` wins.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// `SOCK_STREAM` (default, `-M`).
    Stream,
    /// `SOCK_DGRAM` (`-m`).
    Dgram,
    /// `SOCK_SEQPACKET` (`--seqpacket`).
    Seqpacket,
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
    /// prog and its arguments: at least one word, the tail of argv (so
    /// that it goes to execve as it is).
    pub prog: Args<'a>,
    /// The extensions (all off for an s6 command line).
    pub ext: Ext<'a>,
}

/// SPEC part C, the long options.
#[derive(Clone, Copy, Default)]
pub struct Ext<'a> {
    /// The options without a value, as `flag::*` bits.
    pub flags: u8,
    /// `--owner UID`.
    pub owner: Option<u32>,
    /// `--group GID`.
    pub group: Option<u32>,
    /// `--fdname NAME`, for `LISTEN_FDNAMES`.
    pub fdname: Option<Word<'a>>,
    /// `--notify-fd N`: readiness notification once listening.
    pub notify_fd: Option<i32>,
}

/// The bits of [`Ext::flags`].
pub mod flag {
    /// `--abstract`: path is a Linux abstract socket name.
    pub const ABSTRACT: u8 = 1;
    /// `--listen-fds`: systemd socket activation, chainable.
    pub const LISTEN_FDS: u8 = 2;
    /// `--if-stale`: replace an existing socket only if nothing listens.
    pub const IF_STALE: u8 = 4;
    /// `--mkdir`: create missing parent directories.
    pub const MKDIR: u8 = 8;
    /// `--no-lock`: reuse mode without `path.lock`.
    pub const NO_LOCK: u8 = 16;
    /// `--pass-credentials`: SO_PASSCRED.
    pub const PASS_CREDENTIALS: u8 = 32;
}

impl Ext<'_> {
    /// Whether the option `flag` (a `flag::*` bit) was given.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Whether any extension changes the plain s6 flow.
    pub fn any(&self) -> bool {
        self.flags != 0
            || self.owner.is_some()
            || self.group.is_some()
            || self.notify_fd.is_some()
            || self.fdname.is_some()
    }
}

/// What the command line asks for.
#[derive(Clone, Copy)]
pub enum Action<'a> {
    /// Bind and exec.
    Run(Opts<'a>),
    /// `--help`: the option list on stdout.
    Help,
    /// `--version`.
    Version,
}

/// The command line is refused: it does not follow the grammar, or it
/// combines options that would silently mean nothing (SPEC C: a usage
/// error). Either way, the usage line and exit 100.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Usage;

/// What a long option does: a `flag::*` bit (below 64), or one of these.
const SEQPACKET: u8 = 64;
const OWNER: u8 = 65;
const GROUP: u8 = 66;
const FDNAME: u8 = 67;
const NOTIFY_FD: u8 = 68;
const HELP: u8 = 69;
const VERSION: u8 = 70;
/// The codes from here on take a value.
const TAKES_VALUE: u8 = OWNER;
const VALUE_END: u8 = HELP;

/// The long options, without their leading `--`, and what they do.
const LONG: [(&[u8], u8); 13] = [
    (b"abstract", flag::ABSTRACT),
    (b"seqpacket", SEQPACKET),
    (b"owner", OWNER),
    (b"group", GROUP),
    (b"listen-fds", flag::LISTEN_FDS),
    (b"fdname", FDNAME),
    (b"if-stale", flag::IF_STALE),
    (b"notify-fd", NOTIFY_FD),
    (b"mkdir", flag::MKDIR),
    (b"no-lock", flag::NO_LOCK),
    (b"pass-credentials", flag::PASS_CREDENTIALS),
    (b"help", HELP),
    (b"version", VERSION),
];

/// `LONG` packed as `code, name, NUL` records: data, not code, and no
/// 16-byte slice reference per name.
static LONG_PACKED: [u8; packed_len()] = pack();

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn packed_len() -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < LONG.len() {
        n += LONG[i].0.len() + 2;
        i += 1;
    }
    n
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn pack() -> [u8; packed_len()] {
    let mut out = [0; packed_len()];
    let (mut i, mut o) = (0, 0);
    while i < LONG.len() {
        let (name, code) = LONG[i];
        assert!(code != 0);
        out[o] = code;
        let mut j = 0;
        while j < name.len() {
            out[o + 1 + j] = name[j];
            j += 1;
        }
        o += name.len() + 2;
        i += 1;
    }
    out
}

/// systemd's limit on a `LISTEN_FDNAMES` entry.
pub const FDNAME_MAX: usize = 255;

/// Parses `argv` (program name included).
pub fn parse(argv: Args<'_>) -> Result<Action<'_>, Usage> {
    let mut reuse = true;
    let mut kind = Kind::Stream;
    let mut blocking = false;
    let mut backlog = DEFAULT_BACKLOG;
    let mut perms = DEFAULT_PERMS;
    let mut perms_given = false;
    let mut ext = Ext::default();
    // Whether a long option was seen: only then can `check` refuse anything.
    let mut long_seen = false;

    let (_, mut rest) = argv.split_first().ok_or(Usage)?;
    // Options up to path; prog is what follows path.
    let (path, prog) = loop {
        let (&word, after) = rest.split_first().ok_or(Usage)?;
        if word.first() != b'-' || word.tail().first() == 0 {
            break (word, after); // an operand: path (a lone "-" included)
        }
        rest = after;
        let mut letters = word.tail();
        if letters.first() == b'-' {
            let name = letters.tail();
            if name.first() == 0 {
                // "--": end of options, consumed; path is the next word.
                let (&path, prog) = rest.split_first().ok_or(Usage)?;
                break (path, prog);
            }
            // "--word": s6 has none; these are ours.
            let (code, inline) = long(name).ok_or(Usage)?;
            long_seen = true;
            let value = if (TAKES_VALUE..VALUE_END).contains(&code) {
                value(inline, &mut rest)?
            } else if inline.is_some() {
                return Err(Usage);
            } else {
                word // unused
            };
            match code {
                HELP => return Ok(Action::Help),
                VERSION => return Ok(Action::Version),
                SEQPACKET => kind = Kind::Seqpacket,
                OWNER => ext.owner = Some(id(value)?),
                GROUP => ext.group = Some(id(value)?),
                NOTIFY_FD => ext.notify_fd = Some(fd(value)?),
                FDNAME => ext.fdname = Some(fdname(value)?),
                bits => ext.flags |= bits,
            }
            continue;
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
                    let inline = Some(letters).filter(|w| w.first() != 0);
                    let value = value(inline, &mut rest)?;
                    if c == b'b' {
                        backlog = num::scan(value, 10).ok_or(Usage)?;
                    } else {
                        perms = num::scan(value, 8).ok_or(Usage)? & PERMS_MASK;
                        perms_given = true;
                    }
                    break;
                }
                _ => return Err(Usage),
            }
        }
    };
    if prog.is_empty() {
        return Err(Usage);
    }
    if long_seen {
        check(&ext, reuse, perms_given)?;
    }
    Ok(Action::Run(Opts {
        reuse,
        kind,
        blocking,
        backlog,
        perms,
        path,
        prog,
        ext,
    }))
}

/// Refuses the combinations that would silently mean nothing: an
/// abstract name has no file (so no `-a`, owner, group, parent directories
/// or stale socket), `--if-stale` replaces sockets and `-D` never does,
/// `--fdname` and fd 0 for `--notify-fd` only make sense with `--listen-fds`.
fn check(ext: &Ext<'_>, reuse: bool, perms_given: bool) -> Result<(), Usage> {
    let listen_fds = ext.has(flag::LISTEN_FDS);
    let no_file = perms_given
        || ext.owner.is_some()
        || ext.group.is_some()
        || ext.has(flag::MKDIR | flag::IF_STALE);
    if (ext.has(flag::ABSTRACT) && no_file)
        || (ext.has(flag::IF_STALE) && !reuse)
        || (ext.fdname.is_some() && !listen_fds)
        || (ext.notify_fd == Some(0) && !listen_fds)
    {
        return Err(Usage);
    }
    Ok(())
}

/// The code of the long option `name` names (after `--`), and its
/// `=value` if any.
fn long(name: Word<'_>) -> Option<(u8, Option<Word<'_>>)> {
    let mut table: &[u8] = &LONG_PACKED;
    while let [code, rest @ ..] = table {
        let len = rest.iter().position(|&b| b == 0)?;
        let (option, after) = rest.split_at_checked(len)?;
        if let Some(tail) = name.strip_prefix(option) {
            match tail.first() {
                0 => return Some((*code, None)),
                b'=' => return Some((*code, Some(tail.tail()))),
                _ => {}
            }
        }
        table = after.get(1..)?;
    }
    None
}

/// An option's value: the one in the word, else the next word.
fn value<'a>(inline: Option<Word<'a>>, rest: &mut Args<'a>) -> Result<Word<'a>, Usage> {
    if let Some(v) = inline {
        return Ok(v);
    }
    let (&v, after) = rest.split_first().ok_or(Usage)?;
    *rest = after;
    Ok(v)
}

/// A numeric uid or gid; `4294967295` is `-1`, "no change", so refused.
fn id(w: Word<'_>) -> Result<u32, Usage> {
    num::scan(w, 10).filter(|&n| n != u32::MAX).ok_or(Usage)
}

/// A file descriptor number.
fn fd(w: Word<'_>) -> Result<i32, Usage> {
    num::scan(w, 10)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or(Usage)
}

/// A `LISTEN_FDNAMES` entry as systemd accepts it: printable ASCII, no
/// `:` (the separator), at most 255 bytes; empty is allowed.
fn fdname(w: Word<'_>) -> Result<Word<'_>, Usage> {
    let mut n = 0usize;
    for b in w.bytes() {
        if !(b' '..=b'~').contains(&b) || b == b':' || n >= FDNAME_MAX {
            return Err(Usage);
        }
        n = n.wrapping_add(1);
    }
    Ok(w)
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

    fn act(words: &[&str]) -> Result<Action<'static>, Usage> {
        let owned: Vec<CString> = std::iter::once("binder")
            .chain(words.iter().copied())
            .map(|w| CString::new(w).unwrap())
            .collect();
        let owned: &'static [CString] = Box::leak(owned.into_boxed_slice());
        let argv: Vec<Option<Word<'static>>> = owned
            .iter()
            .map(|c| Some(Word::new(c)))
            .chain([None])
            .collect();
        let argv: &'static [Option<Word<'static>>] = Box::leak(argv.into_boxed_slice());
        parse(Args::new(argv).unwrap())
    }

    fn run(words: &[&str]) -> Result<(Opts<'static>, Vec<String>), Usage> {
        let Action::Run(o) = act(words)? else {
            panic!("not a run: {words:?}")
        };
        let prog = o
            .prog
            .as_slice()
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
        assert_eq!(parse(Args::new(&[None]).unwrap()).err(), Some(Usage));
    }

    #[test]
    fn s6_lines_use_no_extension() {
        for ok in [
            &["s", "p"][..],
            &["-Dd", "-mMB", "-b0", "-a0700", "--", "s", "p", "--abstract"],
        ] {
            let (o, _) = run(ok).unwrap();
            assert!(!o.ext.any(), "{ok:?}");
        }
    }

    #[test]
    fn long_options() {
        let (o, prog) = run(&[
            "--abstract",
            "--seqpacket",
            "--listen-fds",
            "--fdname=web",
            "--notify-fd",
            "3",
            "--no-lock",
            "--pass-credentials",
            "s",
            "p",
            "--owner",
        ])
        .unwrap();
        let e = o.ext;
        assert!(e.has(flag::ABSTRACT) && e.has(flag::LISTEN_FDS));
        assert!(e.has(flag::NO_LOCK) && e.has(flag::PASS_CREDENTIALS));
        assert!(!e.has(flag::IF_STALE) && !e.has(flag::MKDIR));
        assert_eq!(o.kind, Kind::Seqpacket);
        assert_eq!(e.fdname.unwrap().to_bytes(), b"web");
        assert_eq!(e.notify_fd, Some(3));
        assert_eq!(prog, ["p", "--owner"]);

        let (o, _) = run(&[
            "--owner=0",
            "--group",
            "65534",
            "--if-stale",
            "--mkdir",
            "-a0660",
            "s",
            "p",
        ])
        .unwrap();
        assert_eq!((o.ext.owner, o.ext.group), (Some(0), Some(65534)));
        assert!(o.ext.has(flag::IF_STALE) && o.ext.has(flag::MKDIR));
        // Mixed with clusters, last kind wins.
        let (o, _) = run(&["--seqpacket", "-mB", "s", "p"]).unwrap();
        assert_eq!(o.kind, Kind::Dgram);
        let (o, _) = run(&["-m", "--seqpacket", "s", "p"]).unwrap();
        assert_eq!(o.kind, Kind::Seqpacket);
        // An empty fdname is valid for systemd.
        let (o, _) = run(&["--listen-fds", "--fdname=", "s", "p"]).unwrap();
        assert_eq!(o.ext.fdname.unwrap().to_bytes(), b"");
    }

    #[test]
    fn help_and_version() {
        assert!(matches!(act(&["--help"]), Ok(Action::Help)));
        assert!(matches!(
            act(&["-D", "--version", "junk"]),
            Ok(Action::Version)
        ));
        assert!(matches!(act(&["-x", "--help"]), Err(Usage)));
        // After path, "--help" is prog's.
        assert!(matches!(act(&["s", "--help"]), Ok(Action::Run(_))));
    }

    #[test]
    fn bad_long_options() {
        let long_name = format!("--fdname={}", "n".repeat(256));
        let ok_name = format!("--fdname={}", "n".repeat(255));
        assert!(run(&["--listen-fds", &ok_name, "s", "p"]).is_ok());
        for bad in [
            &["--owner", "s", "p"][..],
            &["--owner"],
            &["--owner=", "s", "p"],
            &["--owner=-1", "s", "p"],
            &["--owner=4294967295", "s", "p"],
            &["--group=x", "s", "p"],
            &["--abstract=1", "s", "p"],
            &["--notify-fd=2147483648", "s", "p"],
            &["--notify-fd=-1", "s", "p"],
            &["--listen-fds", "--fdname=a:b", "s", "p"],
            &["--listen-fds", "--fdname=tab\t", "s", "p"],
            &["--listen-fds", &long_name, "s", "p"],
            &["--ownerx=1", "s", "p"],
            &["--own=1", "s", "p"],
            &["--abs", "s", "p"],
            &["---abstract", "s", "p"],
            &["--Abstract", "s", "p"],
        ] {
            assert_eq!(run(bad).err(), Some(Usage), "{bad:?}");
        }
        assert_eq!(
            run(&["--listen-fds", "--fdname=\u{7f}", "s", "p"]).err(),
            Some(Usage)
        );
    }

    #[test]
    fn conflicts() {
        for bad in [
            &["--abstract", "-a", "0700", "s", "p"][..],
            &["--abstract", "--owner=1", "s", "p"],
            &["--group=1", "--abstract", "s", "p"],
            &["--abstract", "--mkdir", "s", "p"],
            &["--abstract", "--if-stale", "s", "p"],
        ] {
            assert_eq!(run(bad).err(), Some(Usage), "{bad:?}");
        }
        for meaningless in [
            &["--if-stale", "-D", "s", "p"][..],
            &["--fdname=x", "s", "p"],
            &["--notify-fd=0", "s", "p"],
        ] {
            assert_eq!(run(meaningless).err(), Some(Usage), "{meaningless:?}");
        }
        // The default -a value given explicitly still conflicts: it was given.
        assert_eq!(run(&["-a0777", "--abstract", "s", "p"]).err(), Some(Usage));
        // -D then -d: reuse mode again, --if-stale fine.
        assert!(run(&["--if-stale", "-D", "-d", "s", "p"]).is_ok());
        assert!(run(&["--listen-fds", "--notify-fd=0", "s", "p"]).is_ok());
    }
}
