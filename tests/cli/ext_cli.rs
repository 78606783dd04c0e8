//! SPEC C, the long options: what --help and --version say, and every bad
//! value or combination refused with the usage line, nothing created.

use crate::common::*;
use crate::model::{PART_F, PART_F_LONG};

#[test]
fn help_and_version() {
    let d = Dir::new();
    for args in [
        &["--help"][..],
        &["-D", "--help", "junk"],
        &["--listen-fds", "--help"],
    ] {
        let out = binder_run(&d, args);
        out.expect(0, "");
        let text = out.stdout();
        assert!(
            text.starts_with("usage: s6-ipcserver-socketbinder [ -d | -D ]"),
            "{text}"
        );
        // Every option, old and new, with a one-line meaning; about 40
        // lines at most (issue 18). A build without part F lists none of
        // part F's options (`--help` lists what the binary has).
        for opt in [
            "-d | -D",
            "-b backlog",
            "-M | -m",
            "-a perms",
            "-B",
            "--abstract",
            "--seqpacket",
            "--owner USER",
            "--group GROUP",
            "--listen-fds",
            "--fdname NAME",
            "--if-stale",
            "--notify-fd N",
            "--mkdir",
            "--dir-mode MODE",
            "--dir-owner USER",
            "--dir-group GROUP",
            "--no-lock",
            "--pass-credentials",
            "--pass-security",
            "--selinux-context CTX",
            "--selinux-file-context CTX",
            "--smack-ipin LABEL",
            "--smack-ipout LABEL",
            "--symlink LINK",
            "--on-demand",
            "--help",
            "--version",
        ] {
            let line = text.lines().find(|l| l.trim_start().starts_with(opt));
            if !PART_F && PART_F_LONG.contains(&opt[2..].split(' ').next().unwrap().as_bytes()) {
                assert!(line.is_none(), "{opt} in --help without part F:\n{text}");
                continue;
            }
            let line = line.unwrap_or_else(|| panic!("{opt} missing from --help:\n{text}"));
            assert!(
                line.len() > opt.len() + 8 && line.len() <= 80,
                "{opt}: no meaning, or too long: {line}"
            );
        }
        assert!(text.lines().count() <= 40, "{} lines", text.lines().count());
    }
    let out = binder_run(&d, &["--version"]);
    out.expect(0, "");
    assert_eq!(
        out.stdout(),
        format!("s6-ipcserver-socketbinder {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert!(d.listing().is_empty());
}

/// `PROG: usage: WHY`: what a command line with our long options is told.
pub fn why(text: &str) -> String {
    format!("s6-ipcserver-socketbinder: usage: {text}\n")
}

/// Refused with exit 100 before any side effect: a command line with one
/// of our long options says what is wrong (issue 18); one without any of
/// them (an unknown `--word` included) gets s6's usage line, as from s6.
#[test]
fn bad_values_and_combinations() {
    let n256 = "n".repeat(256);
    let long_name = format!("--fdname={n256}");
    let cases: &[(&[&str], String)] = &[
        // values
        (
            &["--owner=", "s.sock", "/bin/true"],
            why("bad value for --owner: "),
        ),
        (
            &["--owner=-1", "s.sock", "/bin/true"],
            why("bad value for --owner: -1"),
        ),
        (
            &["--owner=4294967295", "s.sock", "/bin/true"],
            why("bad value for --owner: 4294967295"),
        ),
        (
            &["--group", "a:b", "s.sock", "/bin/true"],
            why("bad value for --group: a:b"),
        ),
        (
            &["--notify-fd", "-1", "s.sock", "/bin/true"],
            why("bad value for --notify-fd: -1"),
        ),
        (
            &["--notify-fd=2147483648", "s.sock", "/bin/true"],
            why("bad value for --notify-fd: 2147483648"),
        ),
        (&["--notify-fd"], why("missing value for --notify-fd")),
        (
            &["--listen-fds", "--fdname=a:b", "s.sock", "/bin/true"],
            why("bad value for --fdname: a:b"),
        ),
        (
            &["--listen-fds", "--fdname=tab\there", "s.sock", "/bin/true"],
            why("bad value for --fdname: tab..."),
        ),
        // A message is one line: the word is shown up to its first
        // control byte (a newline, an escape), then `...`.
        (
            &["--listen-fds", "--fdname=two\nlines", "s.sock", "/bin/true"],
            why("bad value for --fdname: two..."),
        ),
        (
            &[
                "--listen-fds",
                "--fdname",
                "\x1b[2Jx",
                "s.sock",
                "/bin/true",
            ],
            why("bad value for --fdname: ..."),
        ),
        (
            &["--listen-fds", &long_name, "s.sock", "/bin/true"],
            why(&format!("bad value for --fdname: {n256}")),
        ),
        (
            &["--abstract=yes", "s.sock", "/bin/true"],
            why("takes no value: --abstract=yes"),
        ),
        (
            &["--mkdir=1", "s.sock", "/bin/true"],
            why("takes no value: --mkdir=1"),
        ),
        // unknown or abbreviated, and no option of ours: s6's line
        (&["--abs", "s.sock", "/bin/true"], USAGE.into()),
        (&["--ownerx=1", "s.sock", "/bin/true"], USAGE.into()),
        (&["--ABSTRACT", "s.sock", "/bin/true"], USAGE.into()),
        (&["---abstract", "s.sock", "/bin/true"], USAGE.into()),
        // after one of ours, an unknown one is named
        (
            &["--mkdir", "--abs", "s.sock", "/bin/true"],
            why("unknown option: --abs"),
        ),
        // combinations that would mean nothing
        (
            &["--abstract", "-a", "0600", "s.sock", "/bin/true"],
            why("--abstract conflicts with -a"),
        ),
        (
            &["--abstract", "-a0777", "s.sock", "/bin/true"],
            why("--abstract conflicts with -a"),
        ),
        (
            &["--abstract", "--owner=0", "s.sock", "/bin/true"],
            why("--abstract conflicts with --owner"),
        ),
        (
            &["--group=0", "--abstract", "s.sock", "/bin/true"],
            why("--abstract conflicts with --group"),
        ),
        (
            &["--abstract", "--mkdir", "s.sock", "/bin/true"],
            why("--abstract conflicts with --mkdir"),
        ),
        (
            &["--abstract", "--if-stale", "s.sock", "/bin/true"],
            why("--abstract conflicts with --if-stale"),
        ),
        (
            &["--if-stale", "-D", "s.sock", "/bin/true"],
            why("--if-stale conflicts with -D"),
        ),
        (
            &["--fdname=web", "s.sock", "/bin/true"],
            why("--fdname needs --listen-fds"),
        ),
        (
            &["--notify-fd=0", "s.sock", "/bin/true"],
            why("--notify-fd 0 needs --listen-fds"),
        ),
        // still the s6 grammar around them, now explained
        (&["--abstract", "s.sock"], why("missing prog")),
        // s.sock is a name with part F, a bad id without it
        (
            &["--owner", "s.sock", "/bin/true"],
            why(if PART_F {
                "missing prog"
            } else {
                "bad value for --owner: s.sock"
            }),
        ),
        (
            &["--mkdir", "-x", "s.sock", "/bin/true"],
            why("unknown option: -x"),
        ),
        (
            &["--mkdir", "-b", "1x", "s.sock", "/bin/true"],
            why("bad value for -b: 1x"),
        ),
        (
            &["--mkdir", "-a", "0778", "s.sock", "/bin/true"],
            why("bad value for -a: 0778"),
        ),
        (&["--mkdir", "-a"], why("missing value for -a")),
        (&["--mkdir"], why("missing path and prog")),
    ];
    for (args, want) in cases {
        let d = Dir::new();
        binder_run(&d, args).expect(100, want);
        assert_eq!(d.listing(), Vec::<String>::new(), "{args:?} created files");
    }
}

#[test]
fn long_options_take_both_spellings_and_stop_at_path() {
    let d = Dir::new();
    // --opt value and --opt=value; after path everything is prog's.
    let r = probe_run(
        &d,
        &["--listen-fds", "--fdname", "x", "--pass-credentials"],
        "s.sock",
    );
    assert_eq!(
        r["fd0"]["is_socket"], false,
        "--listen-fds leaves fd 0 alone"
    );
    let mut args = vec!["t.sock".to_string()];
    args.extend(probe());
    args.push("--abstract".into());
    let out = binder_run(&d, &args);
    out.expect(0, "");
    assert!(
        is_socket(&d.join("t.sock")),
        "--abstract after path is an argument of prog"
    );
}
