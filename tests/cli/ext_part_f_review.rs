//! The defects an adversarial review of SPEC F's options (the full build)
//! found, one test each, written to fail before its fix.

use crate::common::*;

/// The listing a failed run may leave: the lock file of reuse mode (kept
/// after any failure, as other binders lock it too), nothing with -D.
fn lock_only(mode: &str, lock: &str) -> Vec<String> {
    match mode {
        "-d" => vec![format!("{lock} file 600 \"\"")],
        _ => vec![],
    }
}

/// A LINK that names the socket itself (in any spelling) or its lock
/// file: the rename replaced the socket with a link to itself (exit 0, no
/// socket left at all), or the lock file with a link (the next binder's
/// lock then no longer meets ours). The link must never replace what is
/// not a symlink, even what this run made.
#[test]
fn symlink_never_replaces_the_socket_or_its_lock_file() {
    for mode in ["-d", "-D"] {
        let d = Dir::new();
        let abs = d.join("s.sock");
        let abs = abs.to_str().unwrap();
        for link in ["s.sock", "./s.sock", abs] {
            // An absolute path: a LINK with a `/` needs one.
            let out = binder_run(&d, &[mode, "--symlink", link, abs, "/bin/true"]);
            out.expect(
                111,
                &fatal(&format!("create symlink {link}"), "File exists"),
            );
            assert_eq!(d.listing(), lock_only(mode, "s.sock.lock"), "{mode} {link}");
        }
    }
    let d = Dir::new();
    let out = binder_run(&d, &["--symlink", "s.sock.lock", "s.sock", "/bin/true"]);
    out.expect(111, &fatal("create symlink s.sock.lock", "File exists"));
    assert_eq!(d.listing(), lock_only("-d", "s.sock.lock"));
}

/// A LINK that cannot be looked at (its directory a file, a name too long,
/// a directory not searchable) counted as free: the run then failed only
/// after the bind, leaving the lock file. Only "no such file" is free.
#[test]
fn symlink_that_cannot_be_made_fails_before_any_side_effect() {
    let long = "l".repeat(300);
    for (link, err) in [
        (long.as_str(), "File name too long"),
        ("file/l", "Not a directory"),
    ] {
        for mode in ["-d", "-D"] {
            let d = Dir::new();
            std::fs::write(d.join("file"), "data").unwrap();
            let before = d.listing();
            let path = d.join("s.sock");
            let path = path.to_str().unwrap();
            let out = binder_run(&d, &[mode, "--symlink", link, path, "/bin/true"]);
            out.expect(111, &fatal(&format!("create symlink {link}"), err));
            assert_eq!(d.listing(), before, "{mode} {err}: nothing made");
        }
    }
}

/// A link that cannot be made after the bind (its directory missing) undid
/// the links made before it by removing them, so a symlink that was at an
/// earlier LINK before the run (the last run's /dev/log) was gone after a
/// failed one. Every temporary name is made first, and LINKs are replaced
/// only once all of them exist.
#[test]
fn symlink_failing_midway_keeps_the_earlier_links_as_they_were() {
    for mode in ["-d", "-D"] {
        let d = Dir::new();
        std::os::unix::fs::symlink("old", d.join("a")).unwrap();
        let path = d.join("s.sock");
        let args = [
            mode,
            "--symlink=a",
            "--symlink=nodir/b",
            path.to_str().unwrap(),
            "/bin/true",
        ];
        let out = binder_run(&d, &args);
        out.expect(
            111,
            &fatal("create symlink nodir/b", "No such file or directory"),
        );
        let mut want = lock_only(mode, "s.sock.lock");
        want.insert(0, "a symlink -> old".into());
        assert_eq!(d.listing(), want, "{mode}: a kept as it was");
    }
}

/// Two LINKs whose names clash (the same name, or one the other's
/// temporary name `LINK~` given first): with `--symlink 'x~' --symlink x`
/// the rename of `x~~` to `x~` replaced the second link's temporary name,
/// which the next rename took away (exit 0, `x~` missing). Every LINK is
/// now checked once all are renamed: the run fails, nothing left behind.
#[test]
fn symlink_names_that_clash_fail_with_nothing_left() {
    for (a, b, missing) in [("x", "x", "x"), ("x~", "x", "x~"), ("d/x~", "d/x", "d/x~")] {
        for mode in ["-d", "-D"] {
            let d = Dir::new();
            std::fs::create_dir(d.join("d")).unwrap();
            let mut want = d.listing();
            want.extend(lock_only(mode, "s.sock.lock"));
            let path = d.join("s.sock");
            let path = path.to_str().unwrap();
            let args = [mode, "--symlink", a, "--symlink", b, path, "/bin/true"];
            let out = binder_run(&d, &args);
            out.expect(
                111,
                &fatal(
                    &format!("create symlink {missing}"),
                    "No such file or directory",
                ),
            );
            assert_eq!(d.listing(), want, "{mode} {a} {b}: nothing left");
        }
    }
    // The other order works (`x`'s rename comes first), and names that
    // only look alike are fine.
    let d = Dir::new();
    let args = [
        "--symlink=x",
        "--symlink=x~",
        "--symlink=y~~",
        "--symlink=y",
    ];
    let mut all = args.to_vec();
    all.extend(["s.sock", "/bin/true"]);
    binder_run(&d, &all).expect(0, "");
    for l in ["x", "x~", "y~~", "y"] {
        let to = std::fs::read_link(d.join(l)).unwrap();
        assert_eq!(to.to_str(), Some("s.sock"), "{l}");
    }
}

/// `--selinux-file-context` is written to fscreate only around the bind,
/// after `--mkdir`'s directories and the lock file: a context the kernel
/// refuses (here, no SELinux: `EINVAL`; or no /proc) left them behind. It
/// is now tried (written, then cleared) before any side effect.
#[test]
fn selinux_file_context_refused_before_any_side_effect() {
    if std::path::Path::new("/sys/fs/selinux/enforce").exists() {
        eprintln!("selinux_file_context_refused_before_any_side_effect: this kernel runs SELinux");
        return;
    }
    let ctx = "system_u:object_r:devlog_t:s0";
    for mode in ["-d", "-D"] {
        let d = Dir::new();
        let opt = format!("--selinux-file-context={ctx}");
        let out = binder_run(&d, &[mode, "--mkdir", &opt, "a/b/s.sock", "/bin/true"]);
        out.expect(
            111,
            &fatal(
                &format!("set SELinux file context {ctx}"),
                "Invalid argument",
            ),
        );
        assert_eq!(d.listing(), Vec::<String>::new(), "{mode}: nothing made");
    }
}

/// A relative path with a LINK in another directory: the link points to
/// path as given, relative to LINK's directory, so `--symlink sub/l s.sock`
/// made `sub/l -> s.sock`, which names `sub/s.sock`: a dangling link, and
/// exit 0. Refused (usage) unless path is absolute; a LINK in the current
/// directory (no `/`) still takes a relative path.
#[test]
fn symlink_in_another_directory_needs_an_absolute_path() {
    for link in ["sub/l", "./l", "/"] {
        let d = Dir::new();
        std::fs::create_dir(d.join("sub")).unwrap();
        // An absolute LINK, in the test's directory.
        let abs = d.join("sub/abs");
        let link = if link == "/" {
            abs.to_str().unwrap()
        } else {
            link
        };
        let before = d.listing();
        let out = binder_run(&d, &["--symlink", link, "s.sock", "/bin/true"]);
        out.expect(
            100,
            &crate::ext_cli::why("--symlink needs an absolute path"),
        );
        assert_eq!(d.listing(), before, "{link}: nothing made");
    }
    let d = Dir::new();
    std::fs::create_dir(d.join("sub")).unwrap();
    let path = d.join("s.sock");
    let path = path.to_str().unwrap();
    binder_run(&d, &["--symlink=sub/l", "--symlink=l", path, "/bin/true"]).expect(0, "");
    for l in ["sub/l", "l"] {
        let to = std::fs::read_link(d.join(l)).unwrap();
        assert_eq!(to.to_str(), Some(path), "{l}");
        assert!(is_socket(&std::fs::canonicalize(d.join(l)).unwrap()));
    }
    binder_run(&d, &["--symlink=l", "-D", "t.sock", "/bin/true"]).expect(0, "");
}

/// `--dir-group` names the group of the directories `--mkdir` creates; when
/// every directory exists there is none to create, and one that exists is
/// never touched. Yet a set-group-ID parent of another group refused the
/// run (`unable to create directory sgid/s.sock as group 1001`), so a
/// service whose directory exists could not start.
#[test]
fn dir_group_with_nothing_to_create_is_no_refusal() {
    if !is_root() {
        eprintln!("dir_group_with_nothing_to_create_is_no_refusal: needs root");
        return;
    }
    use std::os::unix::fs::MetadataExt;
    let d = Dir::new();
    let p = setgid_dir(&d, "sgid", 50);
    let args = ["--mkdir", "--dir-group=1001", "sgid/s.sock", "/bin/true"];
    binder_run(&d, &args).expect(0, "");
    assert!(is_socket(&d.join("sgid/s.sock")));
    let m = std::fs::metadata(&p).unwrap();
    assert_eq!((m.mode() & 0o7777, m.gid()), (0o2775, 50), "untouched");
    // A directory to create there is still refused.
    let args = [
        "--mkdir",
        "--dir-group=1001",
        "sgid/new/s.sock",
        "/bin/true",
    ];
    binder_run(&d, &args).expect(
        111,
        "s6-ipcserver-socketbinder: fatal: unable to create directory sgid/new/s.sock as group 1001: in a set-group-ID directory\n",
    );
}
