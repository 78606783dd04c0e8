//! SPEC F's security options on this host's kernel: SO_PASSSEC works on
//! any kernel; the SELinux and SMACK labels need those LSMs, which this
//! kernel does not run (`make check-boot` tests them enforcing), so here
//! they must fail closed: exit 111, a message naming what failed, and no
//! socket left. Measured on this host (6.18, no LSM with attributes):
//! writing `/proc/thread-self/attr/sockcreate` or `fscreate` gives EINVAL,
//! and `fsetxattr(security.SMACK64IPIN)` on a socket gives EOPNOTSUPP.

use std::path::Path;

use crate::common::*;
use crate::ext_cli::why;
use crate::rig::{in_mount_ns, mount};

const CTX: &str = "system_u:system_r:syslogd_t:s0";

/// Whether this kernel runs SELinux (then the fail-closed cases do not
/// apply: check-boot covers it).
fn selinux() -> bool {
    Path::new("/sys/fs/selinux/enforce").exists()
}

fn smack() -> bool {
    Path::new("/sys/fs/smackfs/load2").exists()
}

#[test]
fn selinux_contexts_fail_closed_without_selinux() {
    if selinux() {
        eprintln!("selinux_contexts_fail_closed_without_selinux: this kernel runs SELinux");
        return;
    }
    for (opt, what) in [
        ("--selinux-context", "set SELinux socket context"),
        ("--selinux-file-context", "set SELinux file context"),
    ] {
        for mode in ["-d", "-D"] {
            let d = Dir::new();
            let out = binder_run(&d, &[mode, &format!("{opt}={CTX}"), "s.sock", "/bin/true"]);
            out.expect(111, &fatal(&format!("{what} {CTX}"), "Invalid argument"));
            // Nothing made: the file context, which labels the socket file
            // alone around the bind, is tried before any side effect.
            assert_eq!(d.listing(), Vec::<String>::new(), "{opt} {mode}");
        }
    }
}

#[test]
fn selinux_contexts_fail_closed_without_proc() {
    // /proc hidden under an empty tmpfs, in a private mount namespace.
    let done = in_mount_ns(|| {
        mount(Path::new("none"), Path::new("/proc"), "tmpfs", 0, "size=4k");
        for (opt, file) in [
            ("--selinux-context", "sockcreate"),
            ("--selinux-file-context", "fscreate"),
        ] {
            let d = Dir::new();
            let out = binder_run(&d, &["-D", &format!("{opt}={CTX}"), "s.sock", "/bin/true"]);
            let what = format!("open /proc/thread-self/attr/{file}");
            out.expect(111, &fatal(&what, "No such file or directory"));
            assert_eq!(d.listing(), Vec::<String>::new(), "{opt}");
        }
    });
    if done.is_none() {
        eprintln!("selinux_contexts_fail_closed_without_proc: no mount namespace here");
    }
}

#[test]
fn smack_labels_fail_closed_without_smack() {
    if smack() {
        eprintln!("smack_labels_fail_closed_without_smack: this kernel runs SMACK");
        return;
    }
    for (opt, attr) in [("--smack-ipin", "IPIN"), ("--smack-ipout", "IPOUT")] {
        for mode in ["-d", "-D"] {
            let d = Dir::new();
            let out = binder_run(&d, &[mode, &format!("{opt}=System"), "s.sock", "/bin/true"]);
            let what = format!("set security.SMACK64{attr} to System");
            out.expect(111, &fatal(&what, "Operation not supported"));
            // Labelled on the fd before anything is made on disk.
            assert_eq!(d.listing(), Vec::<String>::new(), "{opt} {mode}");
        }
    }
}

#[test]
fn pass_security_is_set() {
    let d = Dir::new();
    let r = probe_run(&d, &["-m", "-b0", "--pass-security"], "log.sock");
    assert_eq!(r["fd0"]["passsec"], true);
    assert_eq!(r["fd0"]["passcred"], false);
    let r = probe_run(&d, &["-D", "-m", "-b0"], "plain.sock");
    assert_eq!(r["fd0"]["passsec"], false, "not without the option");
}

#[test]
fn bad_labels_are_usage_errors_before_any_side_effect() {
    let n256 = "L".repeat(256);
    let cases: &[(&[&str], String)] = &[
        (
            &["--selinux-context=", "s", "/bin/true"],
            why("bad value for --selinux-context: "),
        ),
        (
            &["--selinux-context", "u:r:t:s0\n", "s", "/bin/true"],
            why("bad value for --selinux-context: u:r:t:s0..."),
        ),
        (
            &["--selinux-file-context=a b", "s", "/bin/true"],
            why("bad value for --selinux-file-context: a b"),
        ),
        (
            &["--smack-ipin=-x", "s", "/bin/true"],
            why("bad value for --smack-ipin: -x"),
        ),
        (
            &["--smack-ipin=a/b", "s", "/bin/true"],
            why("bad value for --smack-ipin: a/b"),
        ),
        (
            &["--smack-ipout=a\"b", "s", "/bin/true"],
            why("bad value for --smack-ipout: a\"b"),
        ),
        (
            &["--smack-ipout", &n256, "s", "/bin/true"],
            why(&format!("bad value for --smack-ipout: {n256}")),
        ),
        (
            &["--pass-security=1", "s", "/bin/true"],
            why("takes no value: --pass-security=1"),
        ),
        (
            &["--abstract", "--selinux-file-context=c", "s", "/bin/true"],
            why("--abstract conflicts with --selinux-file-context"),
        ),
    ];
    for (args, want) in cases {
        let d = Dir::new();
        binder_run(&d, args).expect(100, want);
        assert_eq!(d.listing(), Vec::<String>::new(), "{args:?}");
    }
    // 255 bytes is a SMACK label: the kernel, not the parser, refuses it here.
    if !smack() {
        let d = Dir::new();
        let l255 = "L".repeat(255);
        binder_run(&d, &["--smack-ipin", &l255, "s", "/bin/true"]).expect(
            111,
            &fatal(
                &format!("set security.SMACK64IPIN to {l255}"),
                "Operation not supported",
            ),
        );
    }
}
