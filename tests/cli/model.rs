//! Reference models of the pure logic, written from SPEC.md rather than from
//! the code, and the checks that compare the library with them. Shared by
//! the property tests (`props.rs`, stable, part of `make check`) and the
//! cargo-fuzz targets (`fuzz/`, which include this file by path): every
//! `check_*` panics with a readable description when the library and the
//! model disagree, every `fuzz_*` turns raw fuzzer bytes into a check.
//!
//! Self-contained on purpose (std and `socketbinder` only, nothing from the
//! test crate) so that the fuzz crate can compile it as is.

use std::ffi::CString;

use rustix::io::Errno;
use socketbinder::addr::{Addr, PATH_MAX_SUN};
use socketbinder::args::{self, Action, Ext, Kind, Opts, flag};
use socketbinder::names::Id;
use socketbinder::search::{self, Candidates, Next, PATH_MAX};
use socketbinder::{Args, Env, Word, diag, num};

// ---------------------------------------------------------------------------
// SPEC A1 and C: the command line.

/// What a command line means: run (with what is parsed), or print the help
/// or the version. `None` from the model or the library: usage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // a test model: clarity over size
pub enum Outcome {
    Run(Parsed),
    Help,
    Version,
}

/// A run's settings in plain owned values: the model's answer, and the
/// library's `Opts` seen the same way. A new option gets a field here, a
/// default in [`State::new`], a line in [`Parsed::observe`] and an entry in
/// [`SHORT`] or [`LONG`] (and a rule in [`combination_ok`] if it has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub reuse: bool,
    pub kind: Kind,
    pub blocking: bool,
    pub backlog: u32,
    pub perms: u32,
    pub path: Vec<u8>,
    pub prog: Vec<Vec<u8>>,
    pub abstract_name: bool,
    pub listen_fds: bool,
    pub if_stale: bool,
    pub mkdir: bool,
    pub no_lock: bool,
    pub pass_credentials: bool,
    /// Ids as given: a number in decimal (no leading zeros), or a name.
    pub owner: Option<Vec<u8>>,
    pub group: Option<Vec<u8>>,
    pub fdname: Option<Vec<u8>>,
    pub notify_fd: Option<i32>,
    // SPEC F.
    pub pass_security: bool,
    pub on_demand: bool,
    pub selinux: Option<Vec<u8>>,
    pub selinux_file: Option<Vec<u8>>,
    pub smack_in: Option<Vec<u8>>,
    pub smack_out: Option<Vec<u8>>,
    pub dir_mode: Option<u32>,
    pub dir_owner: Option<Vec<u8>>,
    pub dir_group: Option<Vec<u8>>,
    pub symlinks: Vec<Vec<u8>>,
}

/// The model's state while parsing: what is parsed, and what the
/// combination rules need but `Opts` does not keep.
pub struct State {
    pub p: Parsed,
    /// `-a` was given (an abstract name has no file mode).
    pub perms_given: bool,
}

impl State {
    /// The defaults of SPEC A1/A2 and C, before any option.
    fn new() -> State {
        State {
            p: Parsed {
                reuse: true,
                kind: Kind::Stream,
                blocking: false,
                backlog: 4096,
                perms: 0o777,
                path: Vec::new(),
                prog: Vec::new(),
                abstract_name: false,
                listen_fds: false,
                if_stale: false,
                mkdir: false,
                no_lock: false,
                pass_credentials: false,
                owner: None,
                group: None,
                fdname: None,
                notify_fd: None,
                pass_security: false,
                on_demand: false,
                selinux: None,
                selinux_file: None,
                smack_in: None,
                smack_out: None,
                dir_mode: None,
                dir_owner: None,
                dir_group: None,
                symlinks: Vec::new(),
            },
            perms_given: false,
        }
    }
}

impl Parsed {
    /// The library's answer, in the model's terms.
    pub fn observe(o: &Opts<'_>, x: Option<&Ext<'_>>) -> Parsed {
        let has = |f| o.has(f);
        let x = x.copied().unwrap_or(Ext::NONE);
        let word = |w: Option<Word<'_>>| w.map(|w| w.to_bytes().to_vec());
        let id = |i: Option<Id<'_>>| {
            i.map(|i| match (i.num(), i.name()) {
                (Some(n), _) => n.to_string().into_bytes(),
                (None, w) => w.map_or(Vec::new(), |w| w.to_bytes().to_vec()),
            })
        };
        Parsed {
            reuse: o.reuse,
            kind: o.kind,
            blocking: o.blocking,
            backlog: o.backlog,
            perms: o.perms,
            path: o.path.to_bytes().to_vec(),
            prog: o
                .prog
                .as_slice()
                .iter()
                .map(|w| w.to_bytes().to_vec())
                .collect(),
            abstract_name: has(flag::ABSTRACT),
            listen_fds: has(flag::LISTEN_FDS),
            if_stale: has(flag::IF_STALE),
            mkdir: has(flag::MKDIR),
            no_lock: has(flag::NO_LOCK),
            pass_credentials: has(flag::PASS_CREDENTIALS),
            owner: id(x.owner),
            group: id(x.group),
            fdname: word(x.fdname),
            notify_fd: x.notify_fd,
            pass_security: has(flag::PASS_SECURITY),
            on_demand: has(flag::ON_DEMAND),
            selinux: word(x.selinux()),
            selinux_file: word(x.selinux_file()),
            smack_in: word(x.smack_in()),
            smack_out: word(x.smack_out()),
            dir_mode: x.dir_mode(),
            dir_owner: id(x.dir_owner()),
            dir_group: id(x.dir_group()),
            symlinks: x
                .symlinks()
                .iter()
                .flatten()
                .map(|w| w.to_bytes().to_vec())
                .collect(),
        }
    }
}

/// How an option acts on what is parsed so far.
#[allow(clippy::large_enum_variant)] // a test model: clarity over size
pub enum Arity {
    /// Takes no argument.
    Flag(fn(&mut State)),
    /// Takes one; `None` when the value is bad (usage).
    Value(fn(&mut State, &[u8]) -> Option<()>),
    /// Ends the parsing with an answer of its own (`--help`, `--version`).
    Done(Outcome),
}

/// The s6 option letters, `DdMmBb:a:`.
pub const SHORT: &[(u8, Arity)] = &[
    (b'd', Arity::Flag(|s| s.p.reuse = true)),
    (b'D', Arity::Flag(|s| s.p.reuse = false)),
    (b'm', Arity::Flag(|s| s.p.kind = Kind::Dgram)),
    (b'M', Arity::Flag(|s| s.p.kind = Kind::Stream)),
    (b'B', Arity::Flag(|s| s.p.blocking = true)),
    (
        b'b',
        Arity::Value(|s, v| {
            s.p.backlog = scan(v, 10)?;
            Some(())
        }),
    ),
    (
        b'a',
        Arity::Value(|s, v| {
            s.p.perms = scan(v, 8)? & 0o777;
            s.perms_given = true;
            Some(())
        }),
    ),
];

/// SPEC C's long options (`--name`, `--name=value`, `--name value`; no
/// abbreviations), by name without the dashes, as the man page gives them.
pub const LONG: &[(&[u8], Arity)] = &[
    (b"abstract", Arity::Flag(|s| s.p.abstract_name = true)),
    (b"seqpacket", Arity::Flag(|s| s.p.kind = Kind::Seqpacket)),
    (
        b"owner",
        Arity::Value(|s, v| {
            s.p.owner = Some(id(v)?);
            Some(())
        }),
    ),
    (
        b"group",
        Arity::Value(|s, v| {
            s.p.group = Some(id(v)?);
            Some(())
        }),
    ),
    (b"listen-fds", Arity::Flag(|s| s.p.listen_fds = true)),
    (
        b"fdname",
        Arity::Value(|s, v| {
            // Printable ASCII without ':', at most 255 bytes, may be empty.
            let ok = v.len() <= 255 && v.iter().all(|&b| (b' '..=b'~').contains(&b) && b != b':');
            s.p.fdname = Some(v.to_vec());
            ok.then_some(())
        }),
    ),
    (b"if-stale", Arity::Flag(|s| s.p.if_stale = true)),
    (
        b"notify-fd",
        Arity::Value(|s, v| {
            s.p.notify_fd = Some(i32::try_from(scan(v, 10)?).ok()?);
            Some(())
        }),
    ),
    (b"mkdir", Arity::Flag(|s| s.p.mkdir = true)),
    (b"no-lock", Arity::Flag(|s| s.p.no_lock = true)),
    (
        b"pass-credentials",
        Arity::Flag(|s| s.p.pass_credentials = true),
    ),
    (
        b"selinux-context",
        Arity::Value(|s, v| {
            s.p.selinux = Some(context(v)?);
            Some(())
        }),
    ),
    (
        b"selinux-file-context",
        Arity::Value(|s, v| {
            s.p.selinux_file = Some(context(v)?);
            Some(())
        }),
    ),
    (
        b"smack-ipin",
        Arity::Value(|s, v| {
            s.p.smack_in = Some(smack(v)?);
            Some(())
        }),
    ),
    (
        b"smack-ipout",
        Arity::Value(|s, v| {
            s.p.smack_out = Some(smack(v)?);
            Some(())
        }),
    ),
    (b"pass-security", Arity::Flag(|s| s.p.pass_security = true)),
    (
        b"dir-mode",
        Arity::Value(|s, v| {
            s.p.dir_mode = Some(scan(v, 8).filter(|&m| m <= 0o1777)?);
            Some(())
        }),
    ),
    (
        b"dir-owner",
        Arity::Value(|s, v| {
            s.p.dir_owner = Some(id(v)?);
            Some(())
        }),
    ),
    (
        b"dir-group",
        Arity::Value(|s, v| {
            s.p.dir_group = Some(id(v)?);
            Some(())
        }),
    ),
    (
        b"symlink",
        Arity::Value(|s, v| {
            // Not empty, at most 1000 bytes, at most 4 of them.
            if v.is_empty() || v.len() > 1000 || s.p.symlinks.len() == 4 {
                return None;
            }
            s.p.symlinks.push(v.to_vec());
            Some(())
        }),
    ),
    (b"on-demand", Arity::Flag(|s| s.p.on_demand = true)),
    (b"help", Arity::Done(Outcome::Help)),
    (b"version", Arity::Done(Outcome::Version)),
];

/// Whether the binary under test has SPEC part F (the cargo feature
/// `full`, which the tests are built with too). Without it part F's options
/// are unknown and an id must be a number.
pub const PART_F: bool = cfg!(feature = "full");

/// Part F's long options (SPEC F), absent from a build without `full`.
pub const PART_F_LONG: &[&[u8]] = &[
    b"selinux-context",
    b"selinux-file-context",
    b"smack-ipin",
    b"smack-ipout",
    b"pass-security",
    b"dir-mode",
    b"dir-owner",
    b"dir-group",
    b"symlink",
    b"on-demand",
];

/// A long option of this build (`--name` without the dashes).
pub fn long_option(name: &[u8]) -> Option<&'static Arity> {
    if !PART_F && PART_F_LONG.contains(&name) {
        return None;
    }
    LONG.iter().find(|(n, _)| *n == name).map(|(_, a)| a)
}

/// A uid or gid (SPEC C, F): a number below 4294967295 (`-1`, "no
/// change", is refused), in decimal; or, with part F, a name (not all
/// digits): not empty, no leading `-`, no `:`, `/`, blank, control byte
/// or DEL.
fn id(v: &[u8]) -> Option<Vec<u8>> {
    if v.iter().all(u8::is_ascii_digit) {
        return scan(v, 10)
            .filter(|&n| n != u32::MAX)
            .map(|n| n.to_string().into_bytes());
    }
    // Names are part F's; one starting with '-' or '+' is none (useradd's
    // rule; glibc's files module never matches either).
    let name = PART_F
        && !matches!(v.first(), Some(b'-' | b'+'))
        && v.iter()
            .all(|&b| b > b' ' && b != b':' && b != b'/' && b != 0x7f);
    name.then(|| v.to_vec())
}

/// An SELinux context: 1 to 4095 bytes of printable ASCII, no blank.
fn context(v: &[u8]) -> Option<Vec<u8>> {
    let ok = !v.is_empty() && v.len() <= 4095 && v.iter().all(|&b| (b'!'..=b'~').contains(&b));
    ok.then(|| v.to_vec())
}

/// A SMACK label as the kernel's smk_parse_smack takes it whole.
fn smack(v: &[u8]) -> Option<Vec<u8>> {
    let ok = !v.is_empty()
        && v.len() <= 255
        && v[0] != b'-'
        && v.iter()
            .all(|&b| (b'!'..=b'~').contains(&b) && !b"/\"\\'".contains(&b));
    ok.then(|| v.to_vec())
}

/// Combinations refused after parsing (man page): an abstract name has no
/// file (no `-a`, `--owner`, `--group`, `--mkdir`, `--if-stale`);
/// `--if-stale` is for reuse mode; `--fdname` and `--notify-fd 0` only
/// with `--listen-fds` (fd 0 is the socket otherwise).
fn combination_ok(s: &State) -> bool {
    let p = &s.p;
    let has_file = s.perms_given
        || p.owner.is_some()
        || p.group.is_some()
        || p.mkdir
        || p.if_stale
        || p.selinux_file.is_some()
        || !p.symlinks.is_empty();
    let dirs = p.dir_mode.is_some() || p.dir_owner.is_some() || p.dir_group.is_some();
    let refused = [
        p.abstract_name && has_file,
        p.if_stale && !p.reuse,
        p.fdname.is_some() && !p.listen_fds,
        p.notify_fd == Some(0) && !p.listen_fds,
        dirs && !p.mkdir,
        p.on_demand && p.backlog == 0 && p.kind != Kind::Dgram,
    ];
    !refused.contains(&true)
}

/// SPEC A1 `-b`/`-a` values: the whole word in digits of `base`, at least
/// one, value within 32 bits.
pub fn scan(v: &[u8], base: u32) -> Option<u32> {
    if v.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in v {
        let d = match b {
            b'0'..=b'9' if u32::from(b - b'0') < base => u64::from(b - b'0'),
            _ => return None,
        };
        n = n * u64::from(base) + d;
        if n > u64::from(u32::MAX) {
            return None;
        }
    }
    Some(n as u32)
}

#[allow(clippy::result_large_err)] // a test model: clarity over size
/// Applies one option; `Err(None)`: usage, `Err(Some(o))`: done with `o`.
fn apply(
    s: &mut State,
    arity: &Arity,
    value: impl FnOnce() -> Option<Vec<u8>>,
) -> Result<(), Option<Outcome>> {
    match arity {
        Arity::Flag(f) => f(s),
        Arity::Value(f) => f(s, &value().ok_or(None)?).ok_or(None)?,
        Arity::Done(o) => return Err(Some(o.clone())),
    }
    Ok(())
}

/// The model of SPEC A1 and C: `args` is argv without argv[0]. `None`:
/// usage.
pub fn model(args: &[Vec<u8>]) -> Option<Outcome> {
    let mut s = State::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        // An operand ends the options: not starting with '-', or a lone "-".
        if w.first() != Some(&b'-') || w.len() == 1 {
            break;
        }
        i += 1;
        if w == b"--" {
            break;
        }
        let r = if let Some(long) = w.strip_prefix(b"--") {
            let (name, inline) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(long[eq + 1..].to_vec())),
                None => (long, None),
            };
            let arity = long_option(name)?;
            if inline.is_some() && !matches!(arity, Arity::Value(_)) {
                return None; // "--flag=value"
            }
            apply(&mut s, arity, || {
                inline.or_else(|| {
                    let v = args.get(i)?.clone();
                    i += 1;
                    Some(v)
                })
            })
        } else {
            let letters = &w[1..];
            let mut r = Ok(());
            for (j, c) in letters.iter().enumerate() {
                let (_, arity) = SHORT.iter().find(|(l, _)| l == c)?;
                // The rest of the word, else the next word, whatever it is.
                let rest = &letters[j + 1..];
                let takes = matches!(arity, Arity::Value(_));
                r = apply(&mut s, arity, || {
                    if rest.is_empty() {
                        let v = args.get(i)?.clone();
                        i += 1;
                        Some(v)
                    } else {
                        Some(rest.to_vec())
                    }
                });
                if takes || r.is_err() {
                    break;
                }
            }
            r
        };
        match r {
            Ok(()) => {}
            Err(None) => return None,
            Err(Some(done)) => return Some(done),
        }
    }
    let rest = &args[i..];
    if rest.len() < 2 {
        return None;
    }
    s.p.path = rest[0].clone();
    s.p.prog = rest[1..].to_vec();
    combination_ok(&s).then_some(Outcome::Run(s.p))
}

/// What `args::parse` says about `args` (argv without argv[0]).
pub fn library(args: &[Vec<u8>]) -> Option<Outcome> {
    let owned: Vec<CString> = std::iter::once(b"s6-ipcserver-socketbinder".to_vec())
        .chain(args.iter().cloned())
        .map(|w| CString::new(w).expect("words have no NUL"))
        .collect();
    let argv: Vec<Option<Word<'_>>> = owned
        .iter()
        .map(|c| Some(Word::new(c)))
        .chain([None])
        .collect();
    let mut ext = None;
    match args::parse(Args::new(&argv)?, &mut ext).ok()? {
        Action::Run(o) => Some(Outcome::Run(Parsed::observe(&o, ext.as_ref()))),
        Action::Help => Some(Outcome::Help),
        Action::Version => Some(Outcome::Version),
    }
}

/// `None` when the library agrees with the model, else what differs.
pub fn args_mismatch(args: &[Vec<u8>]) -> Option<String> {
    let (want, got) = (model(args), library(args));
    (want != got).then(|| {
        format!(
            "argv {}\n model:   {want:?}\n library: {got:?}",
            show_words(args)
        )
    })
}

/// Panics when the library and the model disagree on `args`.
pub fn check_args(args: &[Vec<u8>]) {
    if let Some(m) = args_mismatch(args) {
        panic!("{m}");
    }
}

/// Fuzz input: argv words separated by NUL bytes.
pub fn fuzz_args(data: &[u8]) {
    let words: Vec<Vec<u8>> = data.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    check_args(&words);
}

/// Words as a shell-like, byte-exact line.
pub fn show_words(words: &[Vec<u8>]) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|w| format!("\"{}\"", w.escape_ascii()))
        .collect();
    format!("[{}]", parts.join(", "))
}

// ---------------------------------------------------------------------------
// Numbers: `num::scan` and `num::fmt_u32`.

/// `num::scan(word, base)` against [`scan`].
pub fn check_num(word: &[u8], base: u32) {
    let c = CString::new(word).expect("no NUL");
    let got = num::scan(Word::new(&c), base);
    let want = scan(word, base);
    assert_eq!(got, want, "scan(\"{}\", {base})", word.escape_ascii());
    if let Some(n) = want {
        let mut buf = [0; num::U32_DIGITS];
        assert_eq!(num::fmt_u32(n, &mut buf), n.to_string().as_bytes());
    }
}

/// Fuzz input: a base selector byte, then the word (up to a NUL).
pub fn fuzz_num(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let word = rest.split(|&b| b == 0).next().unwrap_or_default();
    check_num(word, if sel & 1 == 0 { 8 } else { 10 });
    let mut buf = [0; num::U32_DIGITS];
    let n = u32::from_le_bytes(
        [rest.first(), rest.get(1), rest.get(2), rest.get(3)].map(|b| b.copied().unwrap_or(sel)),
    );
    assert_eq!(num::fmt_u32(n, &mut buf), n.to_string().as_bytes());
}

// ---------------------------------------------------------------------------
// SPEC A2.7: the PATH search (`search::dirs`, `search::join`, `has_slash`).

/// The candidates `dir/prog` of a PATH value, by hand: one per non-empty
/// entry, `ENAMETOOLONG` for one that does not fit in PATH_MAX with its NUL.
pub fn model_candidates(path: &[u8], prog: &[u8]) -> Vec<Result<Vec<u8>, Errno>> {
    let mut out = Vec::new();
    for dir in path.split(|&b| b == b':').filter(|d| !d.is_empty()) {
        out.push(if dir.len() + 1 + prog.len() + 1 > PATH_MAX {
            Err(Errno::NAMETOOLONG)
        } else {
            Ok([dir, b"/", prog].concat())
        });
    }
    out
}

/// The library's PATH walk against the model; neither has a NUL.
pub fn check_search(path: &[u8], prog: &[u8]) {
    let cprog = CString::new(prog).expect("no NUL");
    let cpath = CString::new(path).expect("no NUL");
    let w = Word::new(&cprog);
    assert_eq!(search::has_slash(w), prog.contains(&b'/'));
    let mut buf = search::buf();
    let mut got = Vec::new();
    let mut c = Candidates::new(Word::new(&cpath));
    while let Some(r) = c.next(w, &mut buf) {
        got.push(r.map(|p| p.to_bytes().to_vec()));
        assert!(got.len() <= path.len(), "endless candidates");
    }
    assert_eq!(
        got,
        model_candidates(path, prog),
        "candidates(\"{}\", \"{}\")",
        path.escape_ascii(),
        prog.escape_ascii()
    );
}

/// skalibs' policy after one failed execve, by hand.
pub fn model_next(e: i32) -> Next {
    match e {
        2 => Next::Continue,                // ENOENT
        1 | 13 | 20 | 21 => Next::Remember, // EPERM EACCES ENOTDIR EISDIR
        _ => Next::Stop,
    }
}

/// Fuzz input: the PATH value, a NUL, prog (up to the next NUL).
pub fn fuzz_search(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let path = parts.next().unwrap_or_default();
    let prog = parts.next().unwrap_or_default();
    check_search(path, prog);
    let code = i32::from(
        u16::from_le_bytes([
            data.first().copied().unwrap_or(0),
            data.get(1).copied().unwrap_or(0),
        ]) % 4095,
    ) + 1;
    assert_eq!(
        search::next(Errno::from_raw_os_error(code)),
        model_next(code)
    );
}

// ---------------------------------------------------------------------------
// SPEC A3: the error text of a message.

/// The text the binder prints for errno `code` (1..=4095): glibc's for the
/// errnos its syscalls return, `Unknown error N` for the others.
pub fn error_text(code: i32) -> Vec<u8> {
    let mut buf = diag::ErrBuf::new();
    let (text, digits) = diag::error_text(Errno::from_raw_os_error(code), &mut buf);
    [text, digits].concat()
}

/// The text is either a known one or exactly glibc's form for an unknown
/// errno; `known` is glibc's own text when the caller has it.
pub fn check_error_text(code: i32, known: Option<&[u8]>) {
    let text = error_text(code);
    let unknown = format!("Unknown error {code}").into_bytes();
    match known {
        Some(k) => assert!(
            text == k || text == unknown,
            "errno {code}: \"{}\" is neither glibc's \"{}\" nor \"{}\"",
            text.escape_ascii(),
            k.escape_ascii(),
            unknown.escape_ascii()
        ),
        None => assert!(!text.is_empty() && !text.contains(&b'\n'), "errno {code}"),
    }
}

/// Fuzz input: two bytes picking an errno.
pub fn fuzz_error_text(data: &[u8]) {
    let code = i32::from(
        u16::from_le_bytes([
            data.first().copied().unwrap_or(0),
            data.get(1).copied().unwrap_or(0),
        ]) % 4095,
    ) + 1;
    check_error_text(code, None);
    let mut buf = [0; diag::TEXT_MAX];
    assert_eq!(
        diag::strerror(Errno::from_raw_os_error(code), &mut buf).is_some(),
        !error_text(code).starts_with(diag::UNKNOWN)
    );
}

// ---------------------------------------------------------------------------
// SPEC B1, B4, B6: the socket address and the lock file's name.

/// Runs `paths` through one `Addr`, one `set` after the other (the buffer
/// is never zeroed: a short path after a long one must not show the long
/// one's tail), checking after each call what a caller can observe. A path
/// written `@name` is set as the abstract name `name`.
pub fn check_addr(paths: &[Vec<u8>]) {
    let mut a = Addr::new();
    assert_eq!(a.path().to_bytes_with_nul(), b"\0", "a fresh Addr");
    for p in paths {
        let (name, abstract_name) = match p.strip_prefix(b"@") {
            Some(n) => (n, true),
            None => (&p[..], false),
        };
        let c = CString::new(name).expect("no NUL");
        let r = a.set(Word::new(&c), abstract_name);
        let want = if name.is_empty() {
            Err(Errno::NOENT)
        } else if name.len() > PATH_MAX_SUN {
            Err(Errno::NAMETOOLONG)
        } else {
            Ok(())
        };
        let what = format!("set(\"{}\", {abstract_name})", name.escape_ascii());
        assert_eq!(r, want, "{what}");
        // Whatever happened, the file views are well-formed C strings (the
        // module's invariant): the path and its NUL. An abstract name has
        // no file: `path`, `with_lock_path` and `for_each_parent` are not
        // for it (addr.rs; main.rs never takes the file steps for one).
        let cur = a.name().to_vec();
        let is_abstract = r.is_ok() && abstract_name;
        let file: &[u8] = if is_abstract { b"" } else { &cur };
        assert_eq!(
            cur,
            if r.is_ok() { name } else { b"" },
            "after {what}: name()"
        );
        if !is_abstract {
            assert_eq!(
                a.path().to_bytes_with_nul(),
                [file, b"\0"].concat(),
                "after {what}: path()"
            );
            let lock = a.with_lock_path(|l| l.to_bytes_with_nul().to_vec());
            assert_eq!(lock, [file, b".lock\0"].concat(), "after {what}: lock name");
            assert_eq!(
                a.path().to_bytes(),
                file,
                "after {what}: lock name not undone"
            );
        }
        if !is_abstract {
            let mut parents = Vec::new();
            let _: Result<(), ()> = a.for_each_parent(|d| {
                parents.push(d.to_bytes().to_vec());
                Ok(())
            });
            let want_parents: Vec<Vec<u8>> = (1..file.len())
                .filter(|&i| file[i] == b'/')
                .map(|i| file[..i].to_vec())
                .collect();
            assert_eq!(parents, want_parents, "after {what}: parents");
            assert_eq!(
                a.path().to_bytes(),
                file,
                "after {what}: parents not undone"
            );
        }
        if cur.is_empty() {
            continue;
        }
        // SAFETY: the closure only reads the address within the length it
        // is given.
        #[allow(unsafe_code)]
        let raw = unsafe {
            use rustix::net::addr::SocketAddrArg;
            a.with_sockaddr(|ptr, len| {
                std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize).to_vec()
            })
        };
        let family = (rustix::net::AddressFamily::UNIX.as_raw()).to_ne_bytes();
        let want_raw = if is_abstract {
            [&family[..], b"\0", &cur[..]].concat()
        } else {
            [&family[..], &cur[..], b"\0"].concat()
        };
        assert_eq!(raw, want_raw, "after {what}: sockaddr_un");
    }
}

/// Fuzz input: paths separated by NUL bytes (`@name`: an abstract name); a
/// leading byte repeats the first path (long paths are hard to reach by
/// mutation alone).
pub fn fuzz_addr(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let mut paths: Vec<Vec<u8>> = rest.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    if let Some(first) = paths.first_mut() {
        *first = first.repeat(usize::from(n % 8) + 1);
    }
    check_addr(&paths);
}

// ---------------------------------------------------------------------------
// The environment: `Env::get` finds the first `NAME=`.

/// `Env::get(name)` against the first entry that starts with `name=`.
pub fn check_env(vars: &[Vec<u8>], name: &[u8]) {
    let owned: Vec<CString> = vars
        .iter()
        .map(|v| CString::new(v.clone()).expect("no NUL"))
        .collect();
    let mut words: Vec<Option<Word<'_>>> = owned.iter().map(|c| Some(Word::new(c))).collect();
    words.push(None);
    let env = Env::new(&words).expect("terminated");
    let key = [name, b"="].concat();
    let want = vars.iter().find_map(|v| v.strip_prefix(&key[..]));
    let got = env.get(name).map(|w| w.to_bytes());
    assert_eq!(got, want, "get(\"{}\")", name.escape_ascii());
    assert_eq!(env.iter().count(), vars.len());
}

/// Fuzz input: `NAME`, a NUL, then environment entries separated by NULs.
pub fn fuzz_env(data: &[u8]) {
    let mut parts = data.split(|&b| b == 0);
    let name = parts.next().unwrap_or_default();
    let vars: Vec<Vec<u8>> = parts.map(<[u8]>::to_vec).collect();
    check_env(&vars, name);
}

// ---------------------------------------------------------------------------
// SPEC F: names in /etc/passwd and /etc/group, as glibc's files module reads
// them, the whole text at once (the library streams it in chunks).

/// The id of `name` in a passwd- or group-format `text`: the first line,
/// blanks at its start skipped and not a `#` comment, whose first field is
/// `name` and whose third field is a decimal number below 4294967295.
pub fn names_model(text: &[u8], name: &[u8]) -> Option<u32> {
    text.split(|&b| b == b'\n').find_map(|line| {
        let line = match line.iter().position(|&b| b != b' ' && b != b'\t') {
            Some(i) => &line[i..],
            None => return None,
        };
        if line.first() == Some(&b'#') {
            return None;
        }
        let mut fields = line.split(|&b| b == b':');
        if fields.next()? != name {
            return None;
        }
        fields.next()?;
        let id = fields.next()?;
        if id.is_empty() || !id.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n: u64 = std::str::from_utf8(id).ok()?.parse().ok()?;
        u32::try_from(n).ok().filter(|&n| n != u32::MAX)
    })
}

/// Panics when the streamed scanner, fed `text` in chunks of `chunk`
/// bytes, and the model disagree on `name`.
pub fn check_names(text: &[u8], name: &[u8], chunk: usize) {
    let mut s = socketbinder::names::Scanner::new(name);
    let mut got = None;
    for c in text.chunks(chunk.max(1)) {
        got = s.feed(c);
        if got.is_some() {
            break;
        }
    }
    let got = got.or_else(|| s.finish());
    let want = names_model(text, name);
    assert_eq!(
        got,
        want,
        "name {:?} in {:?} (chunks of {chunk})",
        String::from_utf8_lossy(name),
        String::from_utf8_lossy(text)
    );
}
