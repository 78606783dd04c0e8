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
use socketbinder::args::{self, Kind, Opts};
use socketbinder::search::{self, Next, PATH_MAX};
use socketbinder::{Env, Word, diag, num};

// ---------------------------------------------------------------------------
// SPEC A1: the command line.

/// What a command line means, in plain owned values: the model's answer, and
/// the library's `Opts` seen the same way. A new field in `Opts` (SPEC C)
/// gets a field here, a default in [`Parsed::new`], a line in
/// [`Parsed::observe`] and an entry in [`SHORT`] or [`LONG`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub reuse: bool,
    pub kind: Kind,
    pub blocking: bool,
    pub backlog: u32,
    pub perms: u32,
    pub path: Vec<u8>,
    pub prog: Vec<Vec<u8>>,
}

impl Parsed {
    /// The defaults of SPEC A1/A2, before any option.
    fn new() -> Parsed {
        Parsed {
            reuse: true,
            kind: Kind::Stream,
            blocking: false,
            backlog: 4096,
            perms: 0o777,
            path: Vec::new(),
            prog: Vec::new(),
        }
    }

    /// The library's answer, in the model's terms.
    pub fn observe(o: &Opts<'_>) -> Parsed {
        Parsed {
            reuse: o.reuse,
            kind: o.kind,
            blocking: o.blocking,
            backlog: o.backlog,
            perms: o.perms,
            path: o.path.to_bytes().to_vec(),
            prog: o.prog.iter().map(|w| w.to_bytes().to_vec()).collect(),
        }
    }
}

/// How an option acts on what is parsed so far.
pub enum Arity {
    /// Takes no argument.
    Flag(fn(&mut Parsed)),
    /// Takes one; `None` when the value is bad (usage).
    Value(fn(&mut Parsed, &[u8]) -> Option<()>),
}

/// The s6 option letters, `DdMmBb:a:`.
pub const SHORT: &[(u8, Arity)] = &[
    (b'd', Arity::Flag(|p| p.reuse = true)),
    (b'D', Arity::Flag(|p| p.reuse = false)),
    (b'm', Arity::Flag(|p| p.kind = Kind::Dgram)),
    (b'M', Arity::Flag(|p| p.kind = Kind::Stream)),
    (b'B', Arity::Flag(|p| p.blocking = true)),
    (
        b'b',
        Arity::Value(|p, v| {
            p.backlog = scan(v, 10)?;
            Some(())
        }),
    ),
    (
        b'a',
        Arity::Value(|p, v| {
            p.perms = scan(v, 8)? & 0o777;
            Some(())
        }),
    ),
];

/// SPEC C long options (`--name`, `--name=value`, `--name value`), by name
/// without the dashes. Empty while args.rs has none: every `--word` is then
/// a usage error, as in s6.
pub const LONG: &[(&[u8], Arity)] = &[];

/// Combinations refused after parsing (SPEC C); none in the s6 grammar.
fn combination_ok(_: &Parsed) -> bool {
    true
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

/// The model of SPEC A1: `args` is argv without argv[0]. `None`: usage.
pub fn model(args: &[Vec<u8>]) -> Option<Parsed> {
    let mut p = Parsed::new();
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
        if let Some(long) = w.strip_prefix(b"--") {
            let (name, inline) = match long.iter().position(|&b| b == b'=') {
                Some(eq) => (&long[..eq], Some(&long[eq + 1..])),
                None => (long, None),
            };
            let (_, arity) = LONG.iter().find(|(n, _)| *n == name)?;
            match (arity, inline) {
                (Arity::Flag(f), None) => f(&mut p),
                (Arity::Flag(_), Some(_)) => return None,
                (Arity::Value(f), Some(v)) => f(&mut p, v)?,
                (Arity::Value(f), None) => {
                    let v = args.get(i)?;
                    i += 1;
                    f(&mut p, v)?;
                }
            }
            continue;
        }
        let letters = &w[1..];
        for (j, c) in letters.iter().enumerate() {
            let (_, arity) = SHORT.iter().find(|(l, _)| l == c)?;
            match arity {
                Arity::Flag(f) => f(&mut p),
                Arity::Value(f) => {
                    // The rest of the word, else the next word, whatever it is.
                    let rest = &letters[j + 1..];
                    let v = if rest.is_empty() {
                        let v = args.get(i)?;
                        i += 1;
                        v.as_slice()
                    } else {
                        rest
                    };
                    f(&mut p, v)?;
                    break;
                }
            }
        }
    }
    let rest = &args[i..];
    if rest.len() < 2 {
        return None;
    }
    p.path = rest[0].clone();
    p.prog = rest[1..].to_vec();
    combination_ok(&p).then_some(p)
}

/// What `args::parse` says about `args` (argv without argv[0]).
pub fn library(args: &[Vec<u8>]) -> Option<Parsed> {
    let owned: Vec<CString> = std::iter::once(b"s6-ipcserver-socketbinder".to_vec())
        .chain(args.iter().cloned())
        .map(|w| CString::new(w).expect("words have no NUL"))
        .collect();
    let argv: Vec<Word<'_>> = owned.iter().map(|c| Word::new(c)).collect();
    args::parse(&argv).ok().map(|o| Parsed::observe(&o))
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

/// The non-empty entries of a PATH value, by hand.
pub fn model_dirs(path: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for &b in path.iter().chain(Some(&b':')) {
        if b == b':' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(b);
        }
    }
    out
}

/// The library's PATH walk and candidate names against the model; `prog`
/// has no NUL, `path` may (then `join` must refuse the entry).
pub fn check_search(path: &[u8], prog: &[u8]) {
    let c = CString::new(prog).expect("no NUL");
    let w = Word::new(&c);
    assert_eq!(search::has_slash(w), prog.contains(&b'/'));
    let got: Vec<Vec<u8>> = search::dirs(path).map(<[u8]>::to_vec).collect();
    assert_eq!(got, model_dirs(path), "dirs(\"{}\")", path.escape_ascii());
    let mut buf = search::buf();
    for dir in &got {
        let r = search::join(dir, w, &mut buf).map(|p| p.to_bytes().to_vec());
        let want = if dir.len() + 1 + prog.len() + 1 > PATH_MAX {
            Err(Errno::NAMETOOLONG)
        } else if dir.contains(&0) {
            Err(Errno::NOENT)
        } else {
            Ok([&dir[..], b"/", prog].concat())
        };
        assert_eq!(
            r,
            want,
            "join(\"{}\", \"{}\")",
            dir.escape_ascii(),
            prog.escape_ascii()
        );
    }
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
    let mut parts = data.splitn(3, |&b| b == 0);
    let path = parts.next().unwrap_or_default();
    let prog = parts.next().unwrap_or_default();
    check_search(path, prog);
    let mut buf = search::buf();
    // A NUL inside a PATH entry (impossible from envp) is refused.
    if let Some(rest) = parts.next() {
        let dir = [path, b"\0", rest].concat();
        let c = CString::new(prog).expect("no NUL");
        let r = search::join(&dir, Word::new(&c), &mut buf).map(|_| ());
        assert!(
            r.is_err(),
            "join accepted a NUL in \"{}\"",
            dir.escape_ascii()
        );
    }
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
    let mut buf = [0; num::U32_DIGITS];
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
    assert_eq!(
        diag::strerror(Errno::from_raw_os_error(code)).is_some(),
        !error_text(code).starts_with(diag::UNKNOWN)
    );
}

// ---------------------------------------------------------------------------
// SPEC B1, B4, B6: the socket address and the lock file's name.

/// Runs `paths` through one `Addr`, one `set_path` after the other (the
/// buffer is never zeroed: a short path after a long one must not show the
/// long one's tail), checking after each call what a caller can observe.
pub fn check_addr(paths: &[Vec<u8>]) {
    let mut a = Addr::new();
    assert_eq!(a.path().to_bytes_with_nul(), b"\0", "a fresh Addr");
    for p in paths {
        let c = CString::new(p.clone()).expect("no NUL");
        let r = a.set_path(Word::new(&c));
        let want = if p.is_empty() {
            Err(Errno::NOENT)
        } else if p.len() > PATH_MAX_SUN {
            Err(Errno::NAMETOOLONG)
        } else {
            Ok(())
        };
        assert_eq!(r, want, "set_path(\"{}\")", p.escape_ascii());
        // Whatever happened, what is handed out is a well-formed C string
        // that matches `bytes()` (the module's invariant).
        let cur = a.bytes().to_vec();
        let cpath = a.path().to_bytes_with_nul().to_vec();
        assert_eq!(
            cpath,
            [&cur[..], b"\0"].concat(),
            "after set_path(\"{}\"): path() is not bytes() + NUL",
            p.escape_ascii()
        );
        if r.is_ok() {
            assert_eq!(cur, *p);
        }
        if cur.is_empty() {
            continue;
        }
        let lock = a.with_lock_path(|l| l.to_bytes_with_nul().to_vec());
        assert_eq!(lock, [&cur[..], b".lock\0"].concat());
        assert_eq!(a.path().to_bytes(), &cur[..], "lock name not undone");
        // SAFETY: the closure only reads the pointer's target within the
        // length it is given.
        #[allow(unsafe_code)]
        let raw = unsafe {
            use rustix::net::addr::SocketAddrArg;
            a.with_sockaddr(|ptr, len| {
                std::slice::from_raw_parts(ptr.cast::<u8>(), len as usize).to_vec()
            })
        };
        let family = (rustix::net::AddressFamily::UNIX.as_raw()).to_ne_bytes();
        assert_eq!(raw, [&family[..], &cur[..], b"\0"].concat(), "sockaddr_un");
    }
}

/// Fuzz input: paths separated by NUL bytes; a leading byte repeats the
/// first path (long paths are hard to reach by mutation alone).
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
