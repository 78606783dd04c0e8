//! The command line, parsed in place like skalibs' `subgetopt` with the
//! option string `DdMmBb:a:`: no copies, no permutation, parsing stops at the
//! first operand, a lone `-` is an operand, `--` ends the options.
//!
//! On top of s6's grammar, the long options of SPEC part C (`--name`,
//! `--name value`, `--name=value`, anywhere before `path`; no abbreviations).
//! Every command line s6 accepts means the same here: s6 rejects every
//! `--word`, so no long option can change an s6 invocation.
#![forbid(unsafe_code)]

use crate::diag;
use crate::label;
use crate::names::Id;
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
    /// The long options without a value and the steps the long options
    /// given call for, as `flag::*` bits (0 for an s6 command line). Their
    /// values are in the [`Ext`] that `parse` filled in, if any.
    pub flags: u16,
}

impl Opts<'_> {
    /// Whether the option or step `flag` (a `flag::*` bit) is on.
    #[inline]
    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// SPEC parts C and F, the long options' values. It exists only for a
/// command line with long options (`parse` fills in an `Option<Ext>` its
/// caller holds): an s6 command line pays for none of it, not even for
/// zeroing it or copying it around. Part F's values are fields only in
/// the build with part F; the steps read them through methods of the same
/// names, which say "not given" in the other build (so it neither stores
/// nor zeroes them, see [`PART_F`]).
#[derive(Clone, Copy, Default)]
pub struct Ext<'a> {
    /// `--owner UID|NAME`.
    pub owner: Option<Id<'a>>,
    /// `--group GID|NAME`.
    pub group: Option<Id<'a>>,
    /// `--fdname NAME`, for `LISTEN_FDNAMES`.
    pub fdname: Option<Word<'a>>,
    /// `--notify-fd N`: readiness notification once listening.
    pub notify_fd: Option<i32>,
    /// `--selinux-context CTX`: the socket object's SELinux context.
    #[cfg(feature = "full")]
    pub selinux: Option<Word<'a>>,
    /// `--selinux-file-context CTX`: the socket file's SELinux context.
    #[cfg(feature = "full")]
    pub selinux_file: Option<Word<'a>>,
    /// `--smack-ipin LABEL`: `security.SMACK64IPIN` of the socket.
    #[cfg(feature = "full")]
    pub smack_in: Option<Word<'a>>,
    /// `--smack-ipout LABEL`: `security.SMACK64IPOUT` of the socket.
    #[cfg(feature = "full")]
    pub smack_out: Option<Word<'a>>,
    /// `--dir-mode MODE`: the mode `--mkdir` creates directories with.
    #[cfg(feature = "full")]
    pub dir_mode: Option<u32>,
    /// `--dir-owner UID|NAME`: the owner of the directories `--mkdir` makes.
    #[cfg(feature = "full")]
    pub dir_owner: Option<Id<'a>>,
    /// `--dir-group GID|NAME`: their group.
    #[cfg(feature = "full")]
    pub dir_group: Option<Id<'a>>,
    /// `--symlink LINK`, each one given, in order.
    #[cfg(feature = "full")]
    pub symlinks: [Option<Word<'a>>; SYMLINK_MAX],
    /// The long options given, as bits `1 << code`, and the other facts
    /// `RULES` and `STEPS` look at (`GIVEN_*`).
    pub given: u32,
    /// Why the command line was refused.
    pub why: Option<Why<'a>>,
}

/// The bits of [`Opts::flags`]: first the options without a value (part
/// C's, then part F's, which `STEPS` sets), then the steps of `main` that
/// the options given call for, each set by [`check`] so that `main` tests
/// one bit where a step may run (an s6 command line sets none: its flow
/// tests the same few bits as ever).
pub mod flag {
    /// `--abstract`: path is a Linux abstract socket name.
    pub const ABSTRACT: u16 = 1;
    /// `--listen-fds`: systemd socket activation, chainable.
    pub const LISTEN_FDS: u16 = 2;
    /// `--if-stale`: replace an existing socket only if nothing listens.
    pub const IF_STALE: u16 = 4;
    /// `--mkdir`: create missing parent directories.
    pub const MKDIR: u16 = 8;
    /// `--no-lock`: reuse mode without `path.lock`.
    pub const NO_LOCK: u16 = 16;
    /// `--pass-credentials`: SO_PASSCRED.
    pub const PASS_CREDENTIALS: u16 = 32;
    /// `--pass-security`: SO_PASSSEC.
    pub const PASS_SECURITY: u16 = 64;
    /// `--on-demand`: exec prog once a client or datagram waits.
    pub const ON_DEMAND: u16 = 128;
    /// Step: before `socket()` (names, links and what the options name
    /// checked, `--listen-fds`, the socket's context).
    pub const BEFORE_SOCKET: u16 = 1 << 8;
    /// Step: right after `socket()` (context cleared, socket options,
    /// SMACK labels, parent directories).
    pub const AFTER_SOCKET: u16 = 1 << 9;
    /// Step: around `bind()` (owner, group, file context, symlinks).
    pub const AROUND_BIND: u16 = 1 << 10;
    /// Step: after `listen()` (`--notify-fd`, `--on-demand`).
    pub const AFTER_LISTEN: u16 = 1 << 11;
}

/// At most this many `--symlink`.
pub const SYMLINK_MAX: usize = 4;
/// The longest `--symlink` path: its temporary name must fit in a fixed
/// buffer beside it.
pub const LINK_MAX: usize = 1000;
/// `--dir-mode` takes permission bits and the sticky bit (mkdir drops the
/// others, so they would mean nothing).
pub const DIR_MODE_MAX: u32 = 0o1777;

/// Methods named after part F's fields: the field in the build with part
/// F, "not given" in the other.
macro_rules! part_f_values {
    ($($name:ident: $type:ty;)*) => {$(
        #[doc = concat!("`Ext::", stringify!($name), "` (part F); not given without part F.")]
        #[inline]
        pub fn $name(&self) -> $type {
            #[cfg(feature = "full")]
            return self.$name;
            #[cfg(not(feature = "full"))]
            return Default::default();
        }
    )*};
}

impl<'a> Ext<'a> {
    part_f_values! {
        selinux: Option<Word<'a>>;
        selinux_file: Option<Word<'a>>;
        smack_in: Option<Word<'a>>;
        smack_out: Option<Word<'a>>;
        dir_mode: Option<u32>;
        dir_owner: Option<Id<'a>>;
        dir_group: Option<Id<'a>>;
    }

    /// `Ext::symlinks` (part F); none without part F.
    pub fn symlinks(&self) -> &[Option<Word<'a>>] {
        #[cfg(feature = "full")]
        return &self.symlinks;
        #[cfg(not(feature = "full"))]
        return &[];
    }

    /// No long option given.
    pub const NONE: Ext<'static> = Ext {
        owner: None,
        group: None,
        fdname: None,
        notify_fd: None,
        #[cfg(feature = "full")]
        selinux: None,
        #[cfg(feature = "full")]
        selinux_file: None,
        #[cfg(feature = "full")]
        smack_in: None,
        #[cfg(feature = "full")]
        smack_out: None,
        #[cfg(feature = "full")]
        dir_mode: None,
        #[cfg(feature = "full")]
        dir_owner: None,
        #[cfg(feature = "full")]
        dir_group: None,
        #[cfg(feature = "full")]
        symlinks: [None; SYMLINK_MAX],
        given: 0,
        why: None,
    };
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
/// combines options that would silently mean nothing (SPEC C). Exit 100.
/// A command line with none of our long options gets s6's usage line, as
/// from s6; one with a long option is ours alone, and its [`Ext::why`]
/// says what is wrong.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Usage;

/// What is wrong with a command line that has our long options: the text
/// `msg` (an index into [`WHY_TEXTS`]) and the option `opt` (a code, 0 for
/// none), then the word at fault (after `: ` when there is an option); or,
/// for `why::NEEDS` and `why::CONFLICTS`, option `opt`, the text, option
/// `with` (a message has a word at fault or another option, never both).
/// Small fields, not slices: each refusal site stores a few bytes and a
/// pointer.
#[derive(Clone, Copy)]
pub struct Why<'a> {
    /// What is wrong: its index in [`WHY_TEXTS`].
    pub msg: u8,
    /// The option at fault (its code), or 0.
    pub opt: u8,
    /// The option it needs or conflicts with (its code), or 0.
    pub with: u8,
    /// The word at fault.
    pub word: Option<Word<'a>>,
}

/// The texts of [`Why`], one a line, two for each of the `why::*`
/// numbers (before the option, after it): one run of bytes, no slice
/// reference per text.
const WHY_TEXTS: &[u8] = b"missing path and prog\n\n\
missing prog\n\n\
unknown option: \n\n\
missing value for \n\n\
bad value for \n: \n\
takes no value: \n\n\
--notify-fd names the socket's fd\n\n\
\n needs \n\
\n conflicts with \n";

/// The numbers of [`WHY_TEXTS`].
pub mod why {
    /// No operands left.
    pub const MISSING: u8 = 0;
    /// No prog.
    pub const NO_PROG: u8 = 1;
    /// An option we do not have.
    pub const UNKNOWN: u8 = 2;
    /// An option without its value.
    pub const NO_VALUE: u8 = 3;
    /// An option's bad value.
    pub const BAD_VALUE: u8 = 4;
    /// `--flag=value`.
    pub const TAKES_NONE: u8 = 5;
    /// `--notify-fd` names `--listen-fds`' socket.
    pub const NOTIFY_SOCKET: u8 = 6;
    /// One option needs another (`RULES`).
    pub const NEEDS: u8 = 7;
    /// One option conflicts with another (`RULES`).
    pub const CONFLICTS: u8 = 8;
}

/// `--notify-fd` names the fd `--listen-fds` puts the socket on (known
/// only when `main` has read `LISTEN_FDS`).
pub const NOTIFY_IS_SOCKET: Why<'static> = Why {
    msg: why::NOTIFY_SOCKET,
    opt: 0,
    with: 0,
    word: None,
};

/// `--symlink` with a LINK in another directory (a `/` in it) and a
/// relative path, which the link would name relative to LINK's directory
/// (known only to `symlink::check`, which sees both; part F's, unused
/// without it).
pub const SYMLINK_RELATIVE: Why<'static> = Why {
    msg: why::NEEDS,
    opt: SYMLINK,
    with: 0,
    word: Some(Word::new(c"an absolute path")),
};

impl<'a> Why<'a> {
    /// The message after `usage: `: the text before the option, the
    /// option, the text after it, then the word at fault or else the
    /// other option (each part empty when the message has none).
    pub fn parts(&self) -> [&'a [u8]; 4] {
        let n = self.msg.wrapping_mul(2);
        [
            nth(n.wrapping_add(WHY_LINE)),
            name_of(self.opt),
            nth(n.wrapping_add(WHY_LINE + 1)),
            match self.word {
                Some(w) => w.to_bytes(),
                None => name_of(self.with),
            },
        ]
    }
}

/// The lines [`nth`] finds: `OTHER_NAMES`, `WHY_TEXTS`, then the usage
/// line and the help (`diag::USAGE_TEXT`, `diag::HELP`,
/// `diag::HELP_LONG`), one run of bytes: `--help` writes one slice of it,
/// and [`nth`] has one table.
pub(crate) static LINES: [u8; LINES_LEN] = lines();
/// The parts of `LINES`, in order, with the newlines between them.
const PARTS: [&[u8]; 7] = [
    OTHER_NAMES,
    b"\n",
    WHY_TEXTS,
    b"\n",
    diag::USAGE_TEXT,
    diag::HELP,
    diag::HELP_LONG,
];
const LINES_LEN: usize = lines_len();
/// Where the usage line starts in `LINES`, the help after it.
pub(crate) const USAGE_AT: usize =
    LINES_LEN - diag::HELP_LONG.len() - diag::HELP.len() - diag::USAGE_TEXT.len();
/// The first line of `WHY_TEXTS` in `LINES`.
const WHY_LINE: u8 = count_lines(OTHER_NAMES);
/// The first line of `diag::HELP_LONG` in `LINES`.
const HELP_LINE: u8 =
    WHY_LINE + count_lines(WHY_TEXTS) + count_lines(diag::USAGE_TEXT) + count_lines(diag::HELP) - 2;

/// How many lines `text` is, followed by a newline.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn count_lines(text: &[u8]) -> u8 {
    let (mut n, mut i) = (1, 0);
    while i < text.len() {
        if text[i] == b'\n' {
            n += 1;
        }
        i += 1;
    }
    n
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn lines_len() -> usize {
    let (mut len, mut p) = (0, 0);
    while p < PARTS.len() {
        len += PARTS[p].len();
        p += 1;
    }
    len
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const evaluation: an error fails the build
const fn lines() -> [u8; LINES_LEN] {
    let mut out = [0; LINES_LEN];
    let (mut at, mut p) = (0, 0);
    while p < PARTS.len() {
        let mut i = 0;
        while i < PARTS[p].len() {
            out[at] = PARTS[p][i];
            at += 1;
            i += 1;
        }
        p += 1;
    }
    out
}

/// `--help`'s text: `diag::USAGE_TEXT`, `diag::HELP` and
/// `diag::HELP_LONG`, as stored in `LINES` (they are not stored twice).
pub fn help() -> &'static [u8] {
    LINES.get(USAGE_AT..).unwrap_or_default()
}

/// Line `n` of `LINES` (the last one, empty, past the end).
fn nth(mut n: u8) -> &'static [u8] {
    let mut table = &LINES[..];
    loop {
        let len = table
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(table.len());
        let (text, after) = table.split_at_checked(len).unwrap_or_default();
        if n == 0 || after.is_empty() {
            return text;
        }
        n = n.wrapping_sub(1);
        table = after.get(1..).unwrap_or_default();
    }
}

/// The name of the option `code`, with its dashes (from code 24 on
/// `OTHER_NAMES`; empty for 0, the last line of `LINES`): a long option's
/// name is its line in `diag::HELP_LONG` up to the first blank or tab.
fn name_of(code: u8) -> &'static [u8] {
    if (1..OTHER).contains(&code) {
        let line = nth(code.wrapping_add(HELP_LINE - 1));
        let end = line.iter().position(|&b| b <= b' '); // a blank or tab
        line.get(..end.unwrap_or(0)).unwrap_or_default()
    } else {
        nth(code.wrapping_sub(OTHER))
    }
}

/// Whether this build has SPEC part F's options (the cargo feature
/// `full`). Without it they have no line in `diag::HELP_LONG`, so no name
/// (unknown options), and an id must be a number: the drop-in build stays
/// within SPEC D's size budget (doc/size.md). Their codes come after all
/// the others, so the others' lines are the same in both builds.
pub const PART_F: bool = cfg!(feature = "full");

/// The first code of `OTHER_NAMES`.
const OTHER: u8 = 24;
/// The names of the other facts of [`Ext::given`], from its bit 24 on
/// (`GIVEN_*`), then of `-b`.
const OTHER_NAMES: &[u8] = b"\n--notify-fd 0\n-a\n-D\n-b0\n-b";
/// `-a`'s code (for its name).
const PERMS: u8 = 26;
/// `-b`'s code (for its name).
const BACKLOG: u8 = 29;

/// The lowest code in `mask` (one bit a code).
fn lowest(mask: u32) -> u8 {
    mask.trailing_zeros() as u8
}

/// Records why the command line is refused when it has long options (else
/// s6's usage line says it all); returns [`Usage`]. Out of line: error
/// paths only.
#[inline(never)]
#[cold]
fn bad<'a>(ext: &mut Option<Ext<'a>>, msg: u8, opt: u8, word: Option<Word<'a>>) -> Usage {
    if let Some(x) = ext {
        x.why = Some(Why {
            msg,
            opt,
            with: 0,
            word,
        });
    }
    Usage
}

/// What a long option does: its code is its line in `diag::HELP_LONG`
/// counted from 1 (that text is the option table: see [`name_of`]). One
/// of these, or part C's flags from `FIRST_FLAG` on (the bit's index
/// plus `FIRST_FLAG`). The codes are bits of [`Ext::given`]; the ones
/// from `TAKES_VALUE` up to `PASS_SECURITY` take a value: ids, numbers,
/// words (`WORD_RULES`), then part F's ids and mode. Part F's options
/// last: a build without them has their codes, but no lines.
const HELP: u8 = 1;
const VERSION: u8 = 2;
/// The first flag's code (`flag::ABSTRACT`).
const FIRST_FLAG: u8 = 3;
const SEQPACKET: u8 = 9;
const OWNER: u8 = 10;
const GROUP: u8 = 11;
const NOTIFY_FD: u8 = 12;
const FDNAME: u8 = 13;
const SELINUX: u8 = 14;
const SELINUX_FILE: u8 = 15;
const SMACK_IN: u8 = 16;
const SMACK_OUT: u8 = 17;
const SYMLINK: u8 = 18;
// Read by part F's rule and `take` only (and the tests).
#[cfg_attr(not(any(feature = "full", test)), expect(dead_code))]
const DIR_OWNER: u8 = 19;
#[cfg_attr(not(any(feature = "full", test)), expect(dead_code))]
const DIR_GROUP: u8 = 20;
#[cfg_attr(not(any(feature = "full", test)), expect(dead_code))]
const DIR_MODE: u8 = 21;
const PASS_SECURITY: u8 = 22;
const ON_DEMAND: u8 = 23;
/// The codes from here up to `PASS_SECURITY` take a value.
const TAKES_VALUE: u8 = OWNER;

/// What is not an option but decides a combination, as bits of
/// [`Ext::given`] beside the options' codes.
const GIVEN_NAME: u32 = 1 << OTHER; // an id given as a name
const GIVEN_NOTIFY_0: u32 = 1 << 25; // --notify-fd 0
const GIVEN_PERMS: u32 = 1 << PERMS; // -a
const GIVEN_D: u32 = 1 << 27; // -D (last of -d/-D)
const GIVEN_NO_LISTEN: u32 = 1 << 28; // -b0 with a stream or seqpacket socket

/// The [`Ext::given`] bit of the option `code`.
const fn g(code: u8) -> u32 {
    1 << code
}

/// The refused combinations: when any of `a` is given, any of `b` must
/// not be (the first `CONFLICTS`: `A conflicts with B`), or must be (the
/// others: `A needs B`). Part F's rules only in the build with part F: in
/// the other, their options are never given.
static RULES: &[(u32, u32)] = &[
    (
        g(f(flag::ABSTRACT)),
        GIVEN_PERMS
            | g(OWNER)
            | g(GROUP)
            | g(f(flag::MKDIR))
            | g(f(flag::IF_STALE))
            | g(SELINUX_FILE)
            | g(SYMLINK),
    ),
    (g(f(flag::IF_STALE)), GIVEN_D),
    #[cfg(feature = "full")]
    (g(ON_DEMAND), GIVEN_NO_LISTEN),
    (g(FDNAME), g(f(flag::LISTEN_FDS))),
    (GIVEN_NOTIFY_0, g(f(flag::LISTEN_FDS))),
    #[cfg(feature = "full")]
    (g(DIR_MODE) | g(DIR_OWNER) | g(DIR_GROUP), g(f(flag::MKDIR))),
];
/// How many of `RULES` are conflicts.
const CONFLICTS: usize = if PART_F { 3 } else { 2 };

/// The steps of `main` (`flag::*` step bits) and the options that call
/// for each.
static STEPS: &[(u16, u32)] = &[
    (
        flag::BEFORE_SOCKET,
        g(f(flag::LISTEN_FDS))
            | g(SYMLINK)
            | g(NOTIFY_FD)
            | g(GROUP)
            | g(f(flag::MKDIR))
            | g(SELINUX)
            // Tried before any side effect (part F's: never given without).
            | if PART_F { g(SELINUX_FILE) } else { 0 }
            | GIVEN_NAME,
    ),
    (
        flag::AFTER_SOCKET,
        g(SELINUX)
            | g(SMACK_IN)
            | g(SMACK_OUT)
            | g(f(flag::PASS_CREDENTIALS))
            | g(PASS_SECURITY)
            | g(f(flag::MKDIR)),
    ),
    (
        flag::AROUND_BIND,
        g(OWNER) | g(GROUP) | g(SELINUX_FILE) | g(SYMLINK),
    ),
    (flag::AFTER_LISTEN, g(NOTIFY_FD) | g(ON_DEMAND)),
    // Part F's flags: their codes are not in part C's run of flag codes.
    #[cfg(feature = "full")]
    (flag::PASS_SECURITY, g(PASS_SECURITY)),
    #[cfg(feature = "full")]
    (flag::ON_DEMAND, g(ON_DEMAND)),
];

/// How a word value is checked (`label::valid`), for `FDNAME` to
/// `SYMLINK`: the fewest and most bytes, the lowest and highest byte,
/// whether it is a SMACK label (which refuses a few bytes more, and a
/// leading `-`).
static WORD_RULES: [(u8, u16, u8, u8, bool); 6] = [
    // systemd's LISTEN_FDNAMES entry: printable ASCII, no `:`; may be empty.
    (0, FDNAME_MAX as u16, b' ', b'~', false),
    (1, label::CONTEXT_MAX as u16, b'!', b'~', false),
    (1, label::CONTEXT_MAX as u16, b'!', b'~', false),
    (1, label::SMACK_MAX as u16, b'!', b'~', true),
    (1, label::SMACK_MAX as u16, b'!', b'~', true),
    // Not empty, not too long for the temporary name beside it.
    (1, LINK_MAX as u16, 1, 255, false),
];

/// The code of one of part C's flag options.
const fn f(bit: u16) -> u8 {
    (bit.trailing_zeros() as u8).wrapping_add(FIRST_FLAG)
}

/// Part C's flags (`flag::ABSTRACT` to `flag::PASS_CREDENTIALS`): their
/// bits are their codes less `FIRST_FLAG`.
const PART_C_FLAGS: u16 = 0x3f;

/// systemd's limit on a `LISTEN_FDNAMES` entry.
pub const FDNAME_MAX: usize = 255;

/// Parses `argv` (program name included). The long options' values go
/// to `ext` (left `None` without any), and so does why a command line with
/// long options is refused.
pub fn parse<'a>(argv: Args<'a>, ext: &mut Option<Ext<'a>>) -> Result<Action<'a>, Usage> {
    let mut reuse = true;
    let mut kind = Kind::Stream;
    let mut blocking = false;
    let mut backlog = DEFAULT_BACKLOG;
    let mut perms = DEFAULT_PERMS;
    let mut perms_given = false;

    let (_, mut rest) = argv.split_first().ok_or(Usage)?;
    // Options up to path; prog is what follows path.
    let (path, prog) = loop {
        let Some((&word, after)) = rest.split_first() else {
            return Err(bad(ext, why::MISSING, 0, None));
        };
        if word.first() != b'-' || word.tail().first() == 0 {
            break (word, after); // an operand: path (a lone "-" included)
        }
        rest = after;
        let mut letters = word.tail();
        if letters.first() == b'-' {
            let name = letters.tail();
            if name.first() == 0 {
                // "--": end of options, consumed; path is the next word.
                let Some((&path, prog)) = rest.split_first() else {
                    return Err(bad(ext, why::MISSING, 0, None));
                };
                break (path, prog);
            }
            // "--word": s6 has none; these are ours.
            let Some((code, inline)) = long(name) else {
                return Err(bad(ext, why::UNKNOWN, 0, Some(word)));
            };
            let x = ext.get_or_insert_with(Ext::default);
            x.given |= 1 << code;
            if (TAKES_VALUE..PASS_SECURITY).contains(&code) {
                let Ok(v) = value(inline, &mut rest) else {
                    return Err(bad(ext, why::NO_VALUE, code, None));
                };
                if take(x, code, v).is_none() {
                    return Err(bad(ext, why::BAD_VALUE, code, Some(v)));
                }
                continue;
            }
            if inline.is_some() {
                return Err(bad(ext, why::TAKES_NONE, 0, Some(word)));
            }
            match code {
                HELP => return Ok(Action::Help),
                VERSION => return Ok(Action::Version),
                SEQPACKET => kind = Kind::Seqpacket,
                _ => {}
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
                    let (code, base) = if c == b'b' { (BACKLOG, 10) } else { (PERMS, 8) };
                    let Ok(value) = value(inline, &mut rest) else {
                        return Err(bad(ext, why::NO_VALUE, code, None));
                    };
                    let Some(n) = num::scan(value, base) else {
                        return Err(bad(ext, why::BAD_VALUE, code, Some(value)));
                    };
                    if c == b'b' {
                        backlog = n;
                    } else {
                        perms = n & PERMS_MASK;
                        perms_given = true;
                    }
                    break;
                }
                _ => return Err(bad(ext, why::UNKNOWN, 0, Some(word))),
            }
        }
    };
    if prog.is_empty() {
        return Err(bad(ext, why::NO_PROG, 0, None));
    }
    let mut flags = 0;
    if let Some(x) = ext {
        flags = check(x, reuse, perms_given, kind, backlog)?;
    }
    Ok(Action::Run(Opts {
        reuse,
        kind,
        blocking,
        backlog,
        perms,
        path,
        prog,
        flags,
    }))
}

/// Stores the value `v` of the long option `code`; `None` when it is bad.
/// Out of line: the plain flow never comes here.
#[inline(never)]
fn take<'a>(ext: &mut Ext<'a>, code: u8, v: Word<'a>) -> Option<()> {
    let id = match code {
        OWNER => &mut ext.owner,
        GROUP => &mut ext.group,
        // Part F's codes are never given in a build without them.
        #[cfg(feature = "full")]
        DIR_OWNER => &mut ext.dir_owner,
        #[cfg(feature = "full")]
        DIR_GROUP => &mut ext.dir_group,
        NOTIFY_FD => {
            let n = num::scan(v, 10).and_then(|n| i32::try_from(n).ok())?;
            // The last --notify-fd counts.
            ext.given &= !GIVEN_NOTIFY_0;
            if n == 0 {
                ext.given |= GIVEN_NOTIFY_0;
            }
            ext.notify_fd = Some(n);
            return Some(());
        }
        #[cfg(feature = "full")]
        DIR_MODE => {
            ext.dir_mode = Some(num::scan(v, 8).filter(|&m| m <= DIR_MODE_MAX)?);
            return Some(());
        }
        _ => return word(ext, code, v),
    };
    // Names are part F's: without it, an id is a number.
    let parsed = if PART_F { Id::parse(v) } else { Id::number(v) }?;
    if parsed.name().is_some() {
        ext.given |= GIVEN_NAME;
    }
    *id = Some(parsed);
    Some(())
}

/// Stores the word value `v` of the long option `code` (`FDNAME` on),
/// checked by its `WORD_RULES`.
fn word<'a>(ext: &mut Ext<'a>, code: u8, v: Word<'a>) -> Option<()> {
    if !PART_F && code != FDNAME {
        return None; // the others are part F's
    }
    let &(min, max, lo, hi, smack) = WORD_RULES.get(usize::from(code.wrapping_sub(FDNAME)))?;
    // `:` ends a LISTEN_FDNAMES entry; SMACK refuses a few more.
    let refused = match (smack, code == FDNAME) {
        (true, _) => label::SMACK_REFUSED,
        (false, true) => &b":"[..],
        (false, false) => &b""[..],
    };
    if !label::valid(v, usize::from(min), usize::from(max), lo, hi, refused)
        || (smack && v.first() == b'-')
    {
        return None;
    }
    let slot = match code {
        FDNAME => &mut ext.fdname,
        #[cfg(feature = "full")]
        SELINUX => &mut ext.selinux,
        #[cfg(feature = "full")]
        SELINUX_FILE => &mut ext.selinux_file,
        #[cfg(feature = "full")]
        SMACK_IN => &mut ext.smack_in,
        #[cfg(feature = "full")]
        SMACK_OUT => &mut ext.smack_out,
        #[cfg(feature = "full")]
        _ => ext.symlinks.iter_mut().find(|s| s.is_none())?,
        #[cfg(not(feature = "full"))]
        _ => return None, // part F's words
    };
    *slot = Some(v);
    Some(())
}

/// Refuses the combinations that would silently mean nothing (`RULES`),
/// then sets the option bits and the step bits (`STEPS`, see [`flag`]);
/// returns the flags. Out of line and cold: the plain flow never comes
/// here (cold, LLVM lays the long options' branch of `parse` aside).
#[inline(never)]
#[cold]
fn check(
    ext: &mut Ext<'_>,
    reuse: bool,
    perms_given: bool,
    kind: Kind,
    backlog: u32,
) -> Result<u16, Usage> {
    let mut given = ext.given;
    if perms_given {
        given |= GIVEN_PERMS;
    }
    if !reuse {
        given |= GIVEN_D;
    }
    if PART_F && backlog == 0 && kind != Kind::Dgram {
        given |= GIVEN_NO_LISTEN;
    }
    for (i, &(a, b)) in RULES.iter().enumerate() {
        let need = i >= CONFLICTS;
        if given & a != 0 && (given & b != 0) != need {
            let (msg, with) = if need {
                (why::NEEDS, b)
            } else {
                (why::CONFLICTS, given & b)
            };
            ext.why = Some(Why {
                msg,
                opt: lowest(given & a),
                with: lowest(with),
                word: None,
            });
            return Err(Usage);
        }
    }
    let mut flags = (given >> FIRST_FLAG) as u16 & PART_C_FLAGS;
    for &(bit, options) in STEPS {
        if given & options != 0 {
            flags |= bit;
        }
    }
    Ok(flags)
}

/// The code of the long option `name` names (after `--`), and its
/// `=value` if any.
fn long(name: Word<'_>) -> Option<(u8, Option<Word<'_>>)> {
    let mut code = 0u8;
    loop {
        code = code.wrapping_add(1);
        // Past this build's long options, the name is empty.
        let option = name_of(code).get(2..)?;
        if let Some(tail) = name.strip_prefix(option) {
            match tail.first() {
                0 => return Some((code, None)),
                b'=' => return Some((code, Some(tail.tail()))),
                _ => {}
            }
        }
    }
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
        act_ext(words).0
    }

    /// The answer, and the long options' values (with why it was refused).
    fn act_ext(words: &[&str]) -> (Result<Action<'static>, Usage>, Option<Ext<'static>>) {
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
        let mut ext = None;
        let r = parse(Args::new(argv).unwrap(), &mut ext);
        (r, ext)
    }

    /// The values of a run's long options.
    fn ext(words: &[&str]) -> Ext<'static> {
        let (r, x) = act_ext(words);
        assert!(matches!(r, Ok(Action::Run(_))), "{words:?}");
        x.unwrap()
    }

    /// Why a command line was refused: its message after `usage: `.
    fn why(words: &[&str]) -> Option<String> {
        let (r, x) = act_ext(words);
        assert!(r.is_err(), "{words:?}");
        let w = x?.why?;
        let mut s = String::new();
        for p in w.parts() {
            s += &String::from_utf8_lossy(p);
        }
        Some(s)
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

    /// Each code is its option's line in `diag::HELP_LONG`; part F's
    /// options have none without part F (unknown options).
    #[test]
    fn codes_name_their_options() {
        let part_c = [
            (HELP, "--help"),
            (VERSION, "--version"),
            (f(flag::ABSTRACT), "--abstract"),
            (f(flag::LISTEN_FDS), "--listen-fds"),
            (f(flag::IF_STALE), "--if-stale"),
            (f(flag::MKDIR), "--mkdir"),
            (f(flag::NO_LOCK), "--no-lock"),
            (f(flag::PASS_CREDENTIALS), "--pass-credentials"),
            (SEQPACKET, "--seqpacket"),
            (OWNER, "--owner"),
            (GROUP, "--group"),
            (NOTIFY_FD, "--notify-fd"),
            (FDNAME, "--fdname"),
        ];
        let part_f = [
            (SELINUX, "--selinux-context"),
            (SELINUX_FILE, "--selinux-file-context"),
            (SMACK_IN, "--smack-ipin"),
            (SMACK_OUT, "--smack-ipout"),
            (SYMLINK, "--symlink"),
            (DIR_OWNER, "--dir-owner"),
            (DIR_GROUP, "--dir-group"),
            (DIR_MODE, "--dir-mode"),
            (PASS_SECURITY, "--pass-security"),
            (ON_DEMAND, "--on-demand"),
        ];
        for (code, name) in part_c.into_iter().chain(part_f) {
            let w = std::ffi::CString::new(&name[2..]).unwrap();
            let found = long(Word::new(&w)).map(|l| l.0);
            if PART_F || code < SELINUX {
                assert_eq!(name_of(code), name.as_bytes(), "{code}");
                assert_eq!(found, Some(code), "{name}");
            } else {
                assert_eq!(name_of(code), b"", "{code}");
                assert_eq!(found, None, "{name}");
            }
        }
        assert_eq!(name_of(ON_DEMAND + 1), b"");
        assert_eq!(name_of(PERMS), b"-a");
        assert_eq!(name_of(0), b"");
    }

    /// `LINES` holds the help's lines as they are.
    #[test]
    fn help_is_stored_whole() {
        assert_eq!(
            help(),
            [diag::USAGE_TEXT, diag::HELP, diag::HELP_LONG].concat()
        );
        assert_eq!(diag::USAGE, diag::USAGE_TEXT);
        assert_eq!(nth(HELP_LINE), b"--help\tthis text");
        assert_eq!(nth(WHY_LINE), b"missing path and prog");
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
        assert_eq!(
            parse(Args::new(&[None]).unwrap(), &mut None).err(),
            Some(Usage)
        );
    }

    #[test]
    fn s6_lines_use_no_extension() {
        for ok in [
            &["s", "p"][..],
            &["-Dd", "-mMB", "-b0", "-a0700", "--", "s", "p", "--abstract"],
        ] {
            let (r, x) = act_ext(ok);
            let Ok(Action::Run(o)) = r else { panic!() };
            assert_eq!(o.flags, 0, "{ok:?}");
            assert!(x.is_none(), "{ok:?}");
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
        let e = ext(&[
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
        ]);
        assert!(o.has(flag::ABSTRACT) && o.has(flag::LISTEN_FDS));
        assert!(o.has(flag::NO_LOCK) && o.has(flag::PASS_CREDENTIALS));
        assert!(!o.has(flag::IF_STALE) && !o.has(flag::MKDIR));
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
        let e = ext(&[
            "--owner=0",
            "--group",
            "65534",
            "--if-stale",
            "--mkdir",
            "-a0660",
            "s",
            "p",
        ]);
        assert_eq!(e.owner.and_then(Id::num), Some(0));
        assert_eq!(e.group.and_then(Id::num), Some(65534));
        assert!(o.has(flag::IF_STALE) && o.has(flag::MKDIR));
        // Mixed with clusters, last kind wins.
        let (o, _) = run(&["--seqpacket", "-mB", "s", "p"]).unwrap();
        assert_eq!(o.kind, Kind::Dgram);
        let (o, _) = run(&["-m", "--seqpacket", "s", "p"]).unwrap();
        assert_eq!(o.kind, Kind::Seqpacket);
        // An empty fdname is valid for systemd.
        let e = ext(&["--listen-fds", "--fdname=", "s", "p"]);
        assert_eq!(e.fdname.unwrap().to_bytes(), b"");
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
            &["--group=a:b", "s", "p"],
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
        assert!(run(&["--notify-fd=0", "--notify-fd=3", "s", "p"]).is_ok());
    }

    #[cfg(feature = "full")]
    #[test]
    fn part_f_options() {
        let words = [
            "--selinux-context=system_u:system_r:syslogd_t:s0",
            "--selinux-file-context",
            "system_u:object_r:devlog_t:s0",
            "--smack-ipin=System",
            "--smack-ipout",
            "_",
            "--pass-security",
            "--mkdir",
            "--dir-mode=0750",
            "--dir-owner",
            "daemon",
            "--dir-group=7",
            "--symlink=/dev/log",
            "--symlink",
            "l2",
            "--on-demand",
            "--owner=nobody",
            "s",
            "p",
        ];
        let (o, _) = run(&words).unwrap();
        let e = ext(&words);
        let b = |w: Option<Word<'_>>| w.map(|w| w.to_bytes().to_vec());
        assert_eq!(b(e.selinux).unwrap(), b"system_u:system_r:syslogd_t:s0");
        assert_eq!(b(e.selinux_file).unwrap(), b"system_u:object_r:devlog_t:s0");
        assert_eq!(b(e.smack_in).unwrap(), b"System");
        assert_eq!(b(e.smack_out).unwrap(), b"_");
        assert_eq!(e.dir_mode, Some(0o750));
        assert!(matches!(e.dir_owner, Some(Id::Name(w)) if w.to_bytes() == b"daemon"));
        assert_eq!(e.dir_group.and_then(Id::num), Some(7));
        assert!(matches!(e.owner, Some(Id::Name(w)) if w.to_bytes() == b"nobody"));
        let links: Vec<_> = e.symlinks.iter().map(|&l| b(l)).collect();
        assert_eq!(
            links,
            [Some(b"/dev/log".to_vec()), Some(b"l2".to_vec()), None, None]
        );
        assert!(o.has(flag::PASS_SECURITY) && o.has(flag::ON_DEMAND) && o.has(flag::MKDIR));
        // Every step of the flow is called for.
        for step in [
            flag::BEFORE_SOCKET,
            flag::AFTER_SOCKET,
            flag::AROUND_BIND,
            flag::AFTER_LISTEN,
        ] {
            assert!(o.has(step));
        }
        // Each option alone calls for its own steps only.
        for (words, steps) in [
            (
                &["--selinux-context=c", "s", "p"][..],
                flag::BEFORE_SOCKET | flag::AFTER_SOCKET,
            ),
            (
                &["--selinux-file-context=c", "s", "p"],
                flag::BEFORE_SOCKET | flag::AROUND_BIND,
            ),
            (&["--smack-ipin=c", "s", "p"], flag::AFTER_SOCKET),
            (&["--pass-security", "s", "p"], flag::AFTER_SOCKET),
            (
                &["--symlink=l", "s", "p"],
                flag::BEFORE_SOCKET | flag::AROUND_BIND,
            ),
            (&["--on-demand", "s", "p"], flag::AFTER_LISTEN),
            (&["--owner=1", "s", "p"], flag::AROUND_BIND),
            (
                &["--owner=x", "s", "p"],
                flag::BEFORE_SOCKET | flag::AROUND_BIND,
            ),
            (
                &["--mkdir", "--dir-group=x", "s", "p"],
                flag::BEFORE_SOCKET | flag::AFTER_SOCKET,
            ),
        ] {
            let (o, _) = run(words).unwrap();
            let all =
                flag::BEFORE_SOCKET | flag::AFTER_SOCKET | flag::AROUND_BIND | flag::AFTER_LISTEN;
            assert_eq!(o.flags & all, steps, "{words:?}");
        }
        // At most SYMLINK_MAX links.
        let five = [
            "--symlink=a",
            "--symlink=b",
            "--symlink=c",
            "--symlink=d",
            "--symlink=e",
            "s",
            "p",
        ];
        assert!(
            run(&five[..4]
                .iter()
                .chain(&five[5..])
                .copied()
                .collect::<Vec<_>>())
            .is_ok()
        );
        assert!(run(&five).is_err());
        // Datagrams need no listen for --on-demand.
        assert!(run(&["-m", "-b0", "--on-demand", "s", "p"]).is_ok());
    }

    #[cfg(feature = "full")]
    #[test]
    fn part_f_bad_values() {
        let long_link = format!("--symlink={}", "l".repeat(LINK_MAX + 1));
        let ok_link = format!("--symlink={}", "l".repeat(LINK_MAX));
        assert!(run(&[&ok_link, "s", "p"]).is_ok());
        for bad in [
            &["--selinux-context=", "s", "p"][..],
            &["--selinux-context=a b", "s", "p"],
            &["--selinux-context=a\n", "s", "p"],
            &["--selinux-file-context=", "s", "p"],
            &["--smack-ipin=-x", "s", "p"],
            &["--smack-ipin=a/b", "s", "p"],
            &["--smack-ipout=a'b", "s", "p"],
            &["--smack-ipout", "s", "p"],
            &["--mkdir", "--dir-mode=0778", "s", "p"],
            &["--mkdir", "--dir-mode=2755", "s", "p"],
            &["--mkdir", "--dir-mode=", "s", "p"],
            &["--mkdir", "--dir-owner=a:b", "s", "p"],
            &["--mkdir", "--dir-group=", "s", "p"],
            &["--symlink=", "s", "p"],
            &[&long_link, "s", "p"],
            &["--pass-security=1", "s", "p"],
            &["--on-demand=yes", "s", "p"],
            &["--owner=-1", "s", "p"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
        for bad in [
            &["--dir-mode=0700", "s", "p"][..],
            &["--dir-owner=0", "s", "p"],
            &["--dir-group=0", "s", "p"],
            &["--abstract", "--symlink=l", "s", "p"],
            &["--abstract", "--selinux-file-context=c", "s", "p"],
            &["--on-demand", "-b0", "s", "p"],
            &["--on-demand", "--seqpacket", "-b0", "s", "p"],
        ] {
            assert!(run(bad).is_err(), "{bad:?}");
        }
        // The socket's own labels make sense for an abstract name.
        assert!(
            run(&[
                "--abstract",
                "--selinux-context=c",
                "--smack-ipin=x",
                "s",
                "p"
            ])
            .is_ok()
        );
    }

    /// A command line with one of our long options is told what is wrong;
    /// one without keeps s6's usage line (no reason recorded).
    #[test]
    fn diagnostics() {
        for (words, want) in [
            (
                &["--abstract", "-a", "0600", "s", "p"][..],
                "--abstract conflicts with -a",
            ),
            (
                &["--owner=1", "--abstract", "--mkdir", "s", "p"],
                "--abstract conflicts with --mkdir",
            ),
            (&["--owner=a:b", "s", "p"], "bad value for --owner: a:b"),
            (
                &["--listen-fds", "--fdname", "a:b", "s", "p"],
                "bad value for --fdname: a:b",
            ),
            (&["--owner"], "missing value for --owner"),
            (
                &["--abstract", "--bogus", "s", "p"],
                "unknown option: --bogus",
            ),
            (&["--abstract", "-x", "s", "p"], "unknown option: -x"),
            (&["--abstract", "-b", "x", "s", "p"], "bad value for -b: x"),
            (&["--abstract", "-a", "9", "s", "p"], "bad value for -a: 9"),
            (&["--abstract", "-b"], "missing value for -b"),
            (&["--abstract", "s"], "missing prog"),
            (&["--abstract"], "missing path and prog"),
            (&["--mkdir=1", "s", "p"], "takes no value: --mkdir=1"),
            (
                &["--if-stale", "-D", "s", "p"],
                "--if-stale conflicts with -D",
            ),
            (&["--fdname=x", "s", "p"], "--fdname needs --listen-fds"),
            (
                &["--notify-fd=0", "s", "p"],
                "--notify-fd 0 needs --listen-fds",
            ),
        ] {
            assert_eq!(why(words).as_deref(), Some(want), "{words:?}");
        }
        // Part F's: unknown options without it (s6's line before any of
        // ours), and an id must be a number.
        for (words, want, without) in [
            (
                &["--owner=1", "--abstract", "--symlink=l", "s", "p"][..],
                "--abstract conflicts with --owner",
                Some("unknown option: --symlink=l"),
            ),
            (
                &["--dir-mode=0700", "s", "p"],
                "--dir-mode needs --mkdir",
                None,
            ),
            (
                &["--dir-group=0", "--dir-owner=0", "s", "p"],
                "--dir-owner needs --mkdir",
                None,
            ),
            (
                &["--on-demand", "-b0", "s", "p"],
                "--on-demand conflicts with -b0",
                None,
            ),
            (
                &["--abstract", "--smack-ipin=-x", "s", "p"],
                "bad value for --smack-ipin: -x",
                Some("unknown option: --smack-ipin=-x"),
            ),
            (
                &["--abstract", "--owner=daemon", "s", "p"],
                "--abstract conflicts with --owner",
                Some("bad value for --owner: daemon"),
            ),
        ] {
            let want = if PART_F { Some(want) } else { without };
            assert_eq!(why(words).as_deref(), want, "{words:?}");
        }
        // s6's command lines, and unknown `--words` before any of ours.
        for s6 in [
            &["-x", "s", "p"][..],
            &["--foo", "s", "p"],
            &["--foo", "--abstract", "s", "p"],
            &["-b", "x", "s", "p"],
            &["s"],
            &[],
        ] {
            assert_eq!(why(s6), None, "{s6:?}");
        }
    }
}
