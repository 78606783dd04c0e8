//! SPEC C, the long options: what --help and --version say, and every bad
//! value or combination refused with the usage line, nothing created.

use crate::common::*;

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
        for opt in [
            "--abstract",
            "--seqpacket",
            "--owner UID",
            "--group GID",
            "--listen-fds",
            "--fdname NAME",
        ] {
            assert!(text.contains(opt), "{opt} missing from --help:\n{text}");
        }
        for opt in [
            "--if-stale",
            "--notify-fd N",
            "--mkdir",
            "--no-lock",
            "--pass-credentials",
        ] {
            assert!(text.contains(opt), "{opt} missing from --help:\n{text}");
        }
    }
    let out = binder_run(&d, &["--version"]);
    out.expect(0, "");
    assert_eq!(
        out.stdout(),
        format!("s6-ipcserver-socketbinder {}\n", env!("CARGO_PKG_VERSION"))
    );
    assert!(d.listing().is_empty());
}

#[test]
fn bad_values_and_combinations() {
    let long_name = format!("--fdname={}", "n".repeat(256));
    let cases: &[&[&str]] = &[
        // values
        &["--owner", "s.sock", "/bin/true"],
        &["--owner=", "s.sock", "/bin/true"],
        &["--owner=-1", "s.sock", "/bin/true"],
        &["--owner=4294967295", "s.sock", "/bin/true"],
        &["--owner=root", "s.sock", "/bin/true"],
        &["--group", "x", "s.sock", "/bin/true"],
        &["--notify-fd", "-1", "s.sock", "/bin/true"],
        &["--notify-fd=2147483648", "s.sock", "/bin/true"],
        &["--notify-fd"],
        &["--listen-fds", "--fdname=a:b", "s.sock", "/bin/true"],
        &["--listen-fds", "--fdname=tab\there", "s.sock", "/bin/true"],
        &["--listen-fds", &long_name, "s.sock", "/bin/true"],
        &["--abstract=yes", "s.sock", "/bin/true"],
        &["--mkdir=1", "s.sock", "/bin/true"],
        // unknown or abbreviated
        &["--abs", "s.sock", "/bin/true"],
        &["--ownerx=1", "s.sock", "/bin/true"],
        &["--ABSTRACT", "s.sock", "/bin/true"],
        &["---abstract", "s.sock", "/bin/true"],
        // combinations that would mean nothing
        &["--abstract", "-a", "0600", "s.sock", "/bin/true"],
        &["--abstract", "-a0777", "s.sock", "/bin/true"],
        &["--abstract", "--owner=0", "s.sock", "/bin/true"],
        &["--group=0", "--abstract", "s.sock", "/bin/true"],
        &["--abstract", "--mkdir", "s.sock", "/bin/true"],
        &["--abstract", "--if-stale", "s.sock", "/bin/true"],
        &["--if-stale", "-D", "s.sock", "/bin/true"],
        &["--fdname=web", "s.sock", "/bin/true"],
        &["--notify-fd=0", "s.sock", "/bin/true"],
        // still the s6 grammar around them
        &["--abstract", "s.sock"],
        &["--mkdir", "-x", "s.sock", "/bin/true"],
    ];
    for args in cases {
        let d = Dir::new();
        binder_run(&d, args).expect(100, USAGE);
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
