//! SPEC A1: the command line, good and bad, each with exact stderr and code.

use crate::common::*;

/// Every bad command line: usage line, exit 100, nothing created.
#[test]
fn usage_errors() {
    let cases: &[&[&str]] = &[
        &[],
        &["s.sock"],
        &["-D", "s.sock"],
        &["-b"],
        &["-a"],
        &["-b", "5", "s.sock"],
        &["-ba0700", "s.sock", "/bin/true"],
        &["-b", "-1", "s.sock", "/bin/true"],
        &["-b", "-D", "s.sock", "/bin/true"],
        &["-b", "", "s.sock", "/bin/true"],
        &["-b", " 5", "s.sock", "/bin/true"],
        &["-b", "+5", "s.sock", "/bin/true"],
        &["-b", "0x10", "s.sock", "/bin/true"],
        &["-b", "4294967296", "s.sock", "/bin/true"],
        &["-a", "999", "s.sock", "/bin/true"],
        &["-a", "0778", "s.sock", "/bin/true"],
        &["-a", "-0", "s.sock", "/bin/true"],
        &["-a", "40000000000", "s.sock", "/bin/true"],
        &["-a", "", "s.sock", "/bin/true"],
        &["-x", "s.sock", "/bin/true"],
        &["-dx", "s.sock", "/bin/true"],
        &["-Db", "s.sock"],
        &["--foo", "s.sock", "/bin/true"],
        &["--", "s.sock"],
        &["--"],
        &["-"],
        &["-b", "5", "-b", "x", "s.sock", "/bin/true"],
    ];
    for args in cases {
        let d = Dir::new();
        binder_run(&d, args).expect(100, USAGE);
        assert_eq!(d.listing(), Vec::<String>::new(), "{args:?} created files");
    }
}

/// The program name in messages is fixed, whatever argv[0] says.
#[test]
fn name_is_fixed() {
    let d = Dir::new();
    let mut c = binder(&d, &["-x"]);
    if runner().is_empty() {
        use std::os::unix::process::CommandExt;
        c.arg0("something-else");
    }
    run(&mut c).expect(100, USAGE);
}

#[test]
fn defaults() {
    let d = Dir::new();
    let r = probe_run(&d, &[], "s.sock");
    let fd0 = &r["fd0"];
    assert_eq!(fd0["type"], "stream");
    assert_eq!(fd0["listening"], true);
    assert_eq!(fd0["nonblock"], true);
    assert_eq!(mode(&d.join("s.sock")), 0o777);
    assert_eq!(mode(&d.join("s.sock.lock")), 0o600);
}

#[test]
fn clusters() {
    let d = Dir::new();
    let r = probe_run(&d, &["-mBb0"], "m.sock");
    assert_eq!(r["fd0"]["type"], "dgram");
    assert_eq!(r["fd0"]["nonblock"], false);
    assert_eq!(r["fd0"]["listening"], false);

    let r = probe_run(&d, &["-Dda0700"], "a.sock");
    assert_eq!(mode(&d.join("a.sock")), 0o700);
    assert!(d.join("a.sock.lock").exists(), "-d after -D: reuse mode");
    assert_eq!(r["fd0"]["listening"], true);

    probe_run(&d, &["-Db5"], "b.sock");
    assert!(!d.join("b.sock.lock").exists(), "-D: no lock file");
}

#[test]
fn last_one_wins() {
    let d = Dir::new();
    let r = probe_run(&d, &["-m", "-M", "-b", "0", "-b", "7"], "s.sock");
    assert_eq!(r["fd0"]["type"], "stream");
    assert_eq!(r["fd0"]["listening"], true);
    probe_run(&d, &["-d", "-D"], "t.sock");
    assert!(!d.join("t.sock.lock").exists());
    probe_run(&d, &["-a", "0700", "-a", "0750"], "u.sock");
    assert_eq!(mode(&d.join("u.sock")), 0o750);
}

#[test]
fn values() {
    let d = Dir::new();
    // Leading zeros, the 32-bit maximum, the low 9 bits of -a.
    probe_run(&d, &["-b", "0004"], "a.sock");
    probe_run(&d, &["-b", "4294967295"], "b.sock");
    probe_run(&d, &["-a", "1777"], "c.sock");
    assert_eq!(mode(&d.join("c.sock")), 0o777);
    probe_run(&d, &["-a", "37777777777"], "e.sock");
    assert_eq!(mode(&d.join("e.sock")), 0o777);
    probe_run(&d, &["-a0640"], "f.sock");
    assert_eq!(mode(&d.join("f.sock")), 0o640);
    // An argument-taking letter takes the next word even if it looks like
    // an option or the end of options.
    probe_run(&d, &["-b", "0", "-a", "0"], "g.sock");
    assert_eq!(mode(&d.join("g.sock")), 0);
}

#[test]
fn operands_are_not_options() {
    let d = Dir::new();
    // A lone "-" is the path; "--" ends options and is consumed.
    let r = probe_run(&d, &[], "-");
    assert!(is_socket(&d.join("-")));
    assert_eq!(r["fd0"]["name"], "-");
    probe_run(&d, &["--"], "-x");
    assert!(is_socket(&d.join("-x")));
    probe_run(&d, &["-D", "--"], "--");
    assert!(is_socket(&d.join("--")));
}

#[test]
fn everything_after_path_is_prog() {
    let d = Dir::new();
    let mut args = vec!["s.sock".to_string()];
    args.extend(probe());
    args.extend(["-b", "--", "-D", "x y", ""].map(String::from));
    let out = binder_run(&d, &args);
    out.expect(0, "");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let argv: Vec<&str> = r["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(&argv[2..], ["-b", "--", "-D", "x y", ""]);
}
