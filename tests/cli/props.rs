//! Property tests of the pure logic against the models in `model.rs`, on
//! stable Rust with a small deterministic generator (no dependency, same
//! cases on every run, so a failure in CI is a failure on a laptop).
//!
//! `MODEL_CASES` sets the number of cases per property (default 100,000: about
//! a second in release; `make stress` runs millions), `MODEL_SEED` the
//! seed (default fixed; `make stress` picks a new one and prints it). A
//! failing argv is shrunk before it is reported. The errno and PATH-policy
//! properties are exhaustive over 1..=4095 whatever the case count. The
//! fuzz targets' seed and regression inputs are replayed here too.

use std::ffi::CStr;
use std::path::Path;

use rustix::io::Errno;

use crate::model::{self, Arity, LONG, SHORT};

/// A splitmix64 generator: tiny, fast, good enough to pick test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }

    /// A non-NUL byte, any value.
    pub fn byte(&mut self) -> u8 {
        (self.below(255) + 1) as u8
    }
}

/// Cases per property.
pub fn cases() -> usize {
    std::env::var("MODEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// The seed, shown with every failure.
pub fn seed() -> u64 {
    std::env::var("MODEL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_b1d5)
}

/// Numbers near every edge of SPEC A1's rules.
const NUMBERS: &[&str] = &[
    "0",
    "00",
    "7",
    "8",
    "9",
    "10",
    "0700",
    "0777",
    "0778",
    "1777",
    "999",
    "4096",
    "4294967295",
    "4294967296",
    "04294967295",
    "00000000000000000004294967295",
    "9999999999",
    "37777777777",
    "40000000000",
    "037777777777",
    "77777777777",
    "-1",
    "+5",
    " 5",
    "5 ",
    "0x10",
    "1a",
    "",
];

/// SPEC C's long option names (with a few near misses): generated before
/// they exist so that the model and the parser meet them as they land.
const LONG_NAMES: &[&str] = &[
    "abstract",
    "seqpacket",
    "owner",
    "group",
    "listen-fds",
    "fdname",
    "if-stale",
    "notify-fd",
    "mkdir",
    "no-lock",
    "pass-credentials",
    "selinux-context",
    "selinux-file-context",
    "smack-ipin",
    "smack-ipout",
    "pass-security",
    "dir-mode",
    "dir-owner",
    "dir-group",
    "symlink",
    "on-demand",
    "help",
    "version",
    "",
    "x",
    "abstrac",
    "abstractt",
    "-",
];

/// Every option letter the models know, and a few they must refuse.
fn letters() -> Vec<u8> {
    let mut l: Vec<u8> = SHORT.iter().map(|(c, _)| *c).collect();
    l.extend_from_slice(b"x-0=Z\xff");
    l
}

fn number(r: &mut Rng) -> Vec<u8> {
    if r.below(2) == 0 {
        return r.pick(NUMBERS).as_bytes().to_vec();
    }
    let top = *r.pick(b"8::z"); // octal digits, decimal, junk
    let len = r.below(13);
    (0..len)
        .map(|_| {
            if r.below(20) == 0 {
                r.byte()
            } else {
                b'0' + r.below(usize::from(top - b'0')) as u8
            }
        })
        .collect()
}

/// A value for a long option: a number, or text as `--fdname` takes it
/// (printable ASCII, sometimes with the ':' it refuses, sometimes long).
fn long_value(r: &mut Rng) -> Vec<u8> {
    match r.below(4) {
        0 | 1 => number(r),
        2 => (0..r.below(8))
            .map(|_| *r.pick(b"ab :~\x7f-/'\"\\\n"))
            .collect(),
        _ => vec![b'n'; 250 + r.below(10)],
    }
}

fn long_option(r: &mut Rng) -> Vec<u8> {
    let mut w = b"--".to_vec();
    w.extend_from_slice(r.pick(LONG_NAMES).as_bytes());
    match r.below(3) {
        0 => {}
        1 => {
            w.push(b'=');
            w.extend(long_value(r));
        }
        _ => w.push(b'='),
    }
    w
}

/// One argv word, biased towards what the grammar cares about.
pub fn word(r: &mut Rng) -> Vec<u8> {
    match r.below(14) {
        0 => b"-".to_vec(),
        1 => b"--".to_vec(),
        2..=5 => {
            // A cluster, perhaps with its value glued on.
            let l = letters();
            let mut w = vec![b'-'];
            for _ in 0..=r.below(4) {
                w.push(*r.pick(&l));
            }
            if r.below(3) == 0 {
                w.extend(number(r));
            }
            w
        }
        6 | 7 => number(r),
        8 => long_value(r),
        9 => long_option(r),
        10 => (0..r.below(7)).map(|_| r.byte()).collect(),
        11 => r
            .pick(&["s.sock", "p", "/bin/true", "x", "-s"])
            .as_bytes()
            .to_vec(),
        12 => {
            // A long option's value as the next word, or the long option
            // names' near misses.
            let mut w = long_option(r);
            w.truncate(2 + r.below(w.len() - 1));
            w
        }
        _ => Vec::new(),
    }
}

/// An argv (without argv[0]) of 0 to 9 words.
pub fn argv(r: &mut Rng) -> Vec<Vec<u8>> {
    (0..r.below(10)).map(|_| word(r)).collect()
}

/// The smallest argv that still fails, by dropping words, then bytes.
fn shrink(mut args: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let fails = |a: &[Vec<u8>]| model::args_mismatch(a).is_some();
    loop {
        let mut progress = false;
        for i in 0..args.len() {
            let mut t = args.clone();
            t.remove(i);
            if fails(&t) {
                args = t;
                progress = true;
                break;
            }
        }
        if progress {
            continue;
        }
        'words: for i in 0..args.len() {
            for j in 0..args[i].len() {
                let mut t = args.clone();
                t[i].remove(j);
                if fails(&t) {
                    args = t;
                    progress = true;
                    break 'words;
                }
            }
        }
        if !progress {
            return args;
        }
    }
}

#[test]
fn args_agree_with_the_model() {
    let (n, s) = (cases(), seed());
    let mut r = Rng::new(s);
    let mut usage = 0;
    for _ in 0..n {
        let a = argv(&mut r);
        if model::args_mismatch(&a).is_some() {
            let small = shrink(a);
            panic!(
                "seed {s}: parser and model disagree; shrunk to\n{}",
                model::args_mismatch(&small).unwrap_or_default()
            );
        }
        usage += usize::from(model::model(&a).is_none());
    }
    // The generator must reach both sides of the grammar.
    assert!(
        usage > n / 10 && usage < n * 9 / 10,
        "{usage} usage errors in {n} cases"
    );
}

#[test]
fn args_agree_on_raw_bytes() {
    let mut r = Rng::new(seed() ^ 1);
    for _ in 0..cases() {
        let data: Vec<u8> = (0..r.below(40))
            .map(|_| match r.below(4) {
                0 => 0,
                1 => *r.pick(b"-dDmMBba0179="),
                _ => r.byte(),
            })
            .collect();
        model::fuzz_args(&data);
    }
}

#[test]
fn every_short_option_is_in_the_model() {
    // Each letter of `DdMmBb:a:` alone, in a cluster and with its value.
    for (c, arity) in SHORT {
        let w = vec![b'-', *c];
        let with = match arity {
            Arity::Value(_) => vec![w.clone(), b"0".to_vec()],
            _ => vec![w.clone()],
        };
        let args = [with, vec![b"s".to_vec(), b"p".to_vec()]].concat();
        assert!(
            model::model(&args).is_some(),
            "{}",
            model::show_words(&args)
        );
        model::check_args(&args);
    }
    // Each long option alone, with its value in the word and in the next
    // word, and with a value it does not take.
    for (name, _) in LONG {
        let long = [b"--", *name].concat();
        let tail = [b"s".to_vec(), b"p".to_vec()];
        for v in ["7", "0", "", "x:y", "4294967295"] {
            model::check_args(&[vec![long.clone()], tail.to_vec()].concat());
            let glued = [&long[..], b"=", v.as_bytes()].concat();
            model::check_args(&[vec![glued], tail.to_vec()].concat());
            let apart = vec![long.clone(), v.as_bytes().to_vec()];
            model::check_args(&[apart, tail.to_vec()].concat());
            // With --listen-fds, --fdname and --notify-fd 0 are allowed.
            let with = vec![
                b"--listen-fds".to_vec(),
                long.clone(),
                v.as_bytes().to_vec(),
            ];
            model::check_args(&[with, tail.to_vec()].concat());
        }
    }
}

#[test]
fn numbers_agree_with_the_model() {
    let mut r = Rng::new(seed() ^ 2);
    for base in [8, 10] {
        for w in NUMBERS {
            model::check_num(w.as_bytes(), base);
        }
        // Every value around the 32-bit edge, and every one- and two-byte word.
        for n in (u64::from(u32::MAX) - 300)..(u64::from(u32::MAX) + 300) {
            let text = if base == 8 {
                format!("{n:o}")
            } else {
                n.to_string()
            };
            model::check_num(text.as_bytes(), base);
            model::check_num(format!("000{text}").as_bytes(), base);
        }
        for a in 1..=255u8 {
            model::check_num(&[a], base);
            for b in 1..=255u8 {
                model::check_num(&[a, b], base);
            }
        }
    }
    for _ in 0..cases() {
        model::check_num(&number(&mut r), 8 + 2 * r.below(2) as u32);
    }
}

#[test]
fn path_search_agrees_with_the_model() {
    let mut r = Rng::new(seed() ^ 3);
    for _ in 0..cases() / 4 {
        let path: Vec<u8> = (0..r.below(24)).map(|_| *r.pick(b":::/ab\xff")).collect();
        let prog: Vec<u8> = (0..r.below(6)).map(|_| *r.pick(b"/ab.\x01")).collect();
        model::check_search(&path, &prog);
    }
    // Candidates at and around PATH_MAX.
    let max = socketbinder::search::PATH_MAX;
    for dir_len in [max - 10, max - 4, max - 3, max - 2, max - 1, max, max + 1] {
        for prog_len in [0, 1, 2, 5] {
            let path = vec![b'd'; dir_len];
            model::check_search(&path, &vec![b'p'; prog_len]);
        }
    }
    model::fuzz_search(b"/a:/b\0p\0c");
}

#[test]
fn exec_policy_is_exhaustive() {
    for code in 1..=4095 {
        let e = Errno::from_raw_os_error(code);
        assert_eq!(
            socketbinder::search::next(e),
            model::model_next(code),
            "{code}"
        );
    }
}

unsafe extern "C" {
    /// glibc's, the reference for every text (Debian's s6 prints it).
    fn strerror(e: i32) -> *const std::ffi::c_char;
}

fn glibc(code: i32) -> Vec<u8> {
    // SAFETY: glibc's strerror returns a valid C string for any int (for
    // unknown ones, in a thread-local buffer), copied out at once.
    unsafe { CStr::from_ptr(strerror(code)) }
        .to_bytes()
        .to_vec()
}

/// Every errno the man pages of the syscalls we make list (socket, open,
/// fcntl, newfstatat, unlinkat, bind, listen, execve), and the ones SPEC A3
/// names: each must print glibc's text, never `Unknown error`. Left out,
/// as diag.rs explains: what cannot happen here (EFAULT, EEXIST,
/// EOVERFLOW, ENOTSOCK, EADDRNOTAVAIL, EDEADLK).
const REACHABLE: &[Errno] = &[
    Errno::PERM,
    Errno::NOENT,
    Errno::INTR,
    Errno::IO,
    Errno::NXIO,
    Errno::TOOBIG,
    Errno::NOEXEC,
    Errno::BADF,
    Errno::AGAIN,
    Errno::NOMEM,
    Errno::ACCESS,
    Errno::BUSY,
    Errno::NODEV,
    Errno::NOTDIR,
    Errno::ISDIR,
    Errno::INVAL,
    Errno::NFILE,
    Errno::MFILE,
    Errno::TXTBSY,
    Errno::FBIG,
    Errno::NOSPC,
    Errno::ROFS,
    Errno::NAMETOOLONG,
    Errno::NOLCK,
    Errno::LOOP,
    Errno::PROTO,
    Errno::LIBBAD,
    Errno::PROTONOSUPPORT,
    Errno::OPNOTSUPP,
    Errno::AFNOSUPPORT,
    Errno::ADDRINUSE,
    Errno::NOBUFS,
    Errno::DQUOT,
];

#[test]
fn errno_texts_are_glibcs() {
    for code in 1..=4095 {
        let g = glibc(code);
        model::check_error_text(code, Some(&g));
        model::fuzz_error_text(&((code - 1) as u16).to_le_bytes());
    }
    for code in REACHABLE.iter().map(|e| e.raw_os_error()) {
        assert_eq!(
            model::error_text(code),
            glibc(code),
            "errno {code} can be returned by our syscalls"
        );
    }
}

#[test]
fn addresses_agree_with_the_model() {
    let mut r = Rng::new(seed() ^ 4);
    let lens = [0, 1, 2, 50, 106, 107, 108, 109, 200];
    for _ in 0..cases() / 4 {
        let paths: Vec<Vec<u8>> = (0..=r.below(4))
            .map(|_| {
                let len = if r.below(2) == 0 {
                    *r.pick(&lens)
                } else {
                    r.below(120)
                };
                let mut p: Vec<u8> = (0..len)
                    .map(|_| {
                        if r.below(4) == 0 {
                            r.byte()
                        } else {
                            *r.pick(b"ab/.")
                        }
                    })
                    .collect();
                if r.below(3) == 0 {
                    p.insert(0, b'@'); // an abstract name
                }
                p
            })
            .collect();
        model::check_addr(&paths);
    }
}

#[test]
fn environment_lookup_agrees_with_the_model() {
    let mut r = Rng::new(seed() ^ 5);
    for _ in 0..cases() / 4 {
        let vars: Vec<Vec<u8>> = (0..r.below(6))
            .map(|_| (0..r.below(8)).map(|_| *r.pick(b"PATH=:/x")).collect())
            .collect();
        let name: Vec<u8> = (0..r.below(5)).map(|_| *r.pick(b"PATH=")).collect();
        model::check_env(&vars, &name);
    }
}

/// The streamed /etc/passwd and /etc/group scanner against the whole-text
/// model: random lines of names that are prefixes of one another, comments,
/// leading blanks, bad and huge ids, fed in random chunk sizes.
#[test]
fn names_agree_with_the_model() {
    let mut r = Rng::new(seed() ^ 6);
    let names: &[&[u8]] = &[b"a", b"ab", b"abc", b"b", b"", b"#a", b" a"];
    for _ in 0..cases() / 4 {
        let mut text = Vec::new();
        for _ in 0..r.below(6) {
            match r.below(8) {
                0 => text.extend_from_slice(b"# "),
                1 => text.extend_from_slice(b" \t"),
                _ => {}
            }
            text.extend_from_slice(r.pick::<&[u8]>(names));
            for _ in 0..r.below(4) {
                text.push(b':');
                let field: Vec<u8> = match r.below(4) {
                    0 => number(&mut r),
                    1 => b"4294967295".to_vec(),
                    _ => (0..r.below(4)).map(|_| *r.pick(b"x0:9 #")).collect(),
                };
                text.extend(field);
            }
            if r.below(6) != 0 {
                text.push(b'\n');
            }
        }
        let name = (*r.pick(names)).to_vec();
        let chunk = 1 + r.below(9);
        model::check_names(&text, &name, chunk);
    }
}

/// The fuzz targets' committed inputs (seeds and past findings), replayed.
#[test]
fn fuzz_inputs_replay() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    type Target = (&'static str, fn(&[u8]));
    let targets: &[Target] = &[
        ("args", model::fuzz_args),
        ("num", model::fuzz_num),
        ("search", model::fuzz_search),
        ("error_text", model::fuzz_error_text),
        ("addr", model::fuzz_addr),
        ("env", model::fuzz_env),
    ];
    let mut n = 0;
    for (name, f) in targets {
        for sub in ["seeds", "regressions"] {
            let Ok(dir) = std::fs::read_dir(root.join(sub).join(name)) else {
                continue;
            };
            for e in dir {
                let p = e.unwrap().path();
                f(&std::fs::read(&p).unwrap());
                n += 1;
            }
        }
    }
    assert!(n > 0, "no fuzz inputs under {}", root.display());
}
