//! SPEC F without an LSM: --on-demand, --symlink, --mkdir's directories
//! with their mode, owner and group, and names for ids read from a test
//! /etc/passwd and /etc/group bind-mounted in a private mount namespace.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;
use crate::ext_cli::why;
use crate::rig::{in_mount_ns, mount};

/// A server started in a process group of its own, killed with all its
/// children when the test ends, passed or failed (a leftover one would
/// hold the test runner's output open).
/// prog for --on-demand: leaves a mark when it starts, then serves.
fn marked(mark: &Path, then: &str) -> Vec<String> {
    vec![
        "sh".into(),
        "-c".into(),
        format!("touch '{}'; exec {then}", mark.display()),
    ]
}

#[test]
fn on_demand_stream_starts_prog_at_the_first_client() {
    let d = Dir::new();
    let mark = d.join("started");
    let mut args = vec!["--on-demand".to_string(), "s.sock".into()];
    args.extend(marked(&mark, "s6-ipcserverd cat"));
    let _server = Killed::spawn(binder(&d, &args));
    let sock = d.join("s.sock");
    wait_for("s.sock", || is_socket(&sock));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!mark.exists(), "prog ran before any client");
    let mut c = UnixStream::connect(&sock).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    c.write_all(b"first client\n").unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = String::new();
    c.read_to_string(&mut got).unwrap();
    assert_eq!(got, "first client\n", "prog served the client that woke it");
    assert!(mark.exists());
}

#[test]
fn on_demand_datagram_goes_to_prog() {
    let d = Dir::new();
    let mark = d.join("started");
    let reader = format!(
        "{} -c 'import socket; s = socket.socket(fileno=0); print(s.recv(100).decode())'",
        python()
    );
    let mut args: Vec<String> = ["-m", "-b0", "--on-demand", "d.sock"]
        .map(String::from)
        .to_vec();
    args.extend(marked(&mark, &reader));
    let server = binder(&d, &args).stdout(Stdio::piped()).spawn().unwrap();
    let sock = d.join("d.sock");
    wait_for("d.sock", || is_socket(&sock));
    std::thread::sleep(Duration::from_millis(300));
    assert!(!mark.exists(), "prog ran before any datagram");
    UnixDatagram::unbound()
        .unwrap()
        .send_to(b"first datagram", &sock)
        .unwrap();
    assert_eq!(output_of(server), "first datagram\n");
}

#[test]
fn on_demand_with_listen_fds_wakes_on_any_socket_of_the_chain() {
    let d = Dir::new();
    let mark = d.join("started");
    // Two binders: a.sock at fd 3, b.sock at fd 4; a client of the first.
    let report = format!(
        "{} -c 'import os, socket; s = socket.socket(fileno=3); c, _ = s.accept(); print(os.environ[\"LISTEN_FDS\"], c.recv(100).decode())'",
        python()
    );
    let bin = bin();
    let mut args: Vec<String> = vec!["--listen-fds".into(), "a.sock".into()];
    args.extend(runner().iter().map(|w| w.to_string_lossy().into_owned()));
    args.push(bin.to_string_lossy().into_owned());
    args.extend(["--listen-fds", "--on-demand", "b.sock"].map(String::from));
    args.extend(marked(&mark, &report));
    let server = binder(&d, &args).stdout(Stdio::piped()).spawn().unwrap();
    let a = d.join("a.sock");
    wait_for("both sockets", || {
        is_socket(&a) && is_socket(&d.join("b.sock"))
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(!mark.exists(), "prog ran before any client");
    let mut c = UnixStream::connect(&a).unwrap();
    c.write_all(b"to the first socket").unwrap();
    assert_eq!(output_of(server), "2 to the first socket\n");
}

#[test]
fn symlink_new_and_replacing_a_symlink() {
    let d = Dir::new();
    std::os::unix::fs::symlink("elsewhere", d.join("old")).unwrap();
    let out = binder_run(
        &d,
        &[
            "--symlink",
            "new",
            "--symlink=old",
            "s.sock",
            "sh",
            "-c",
            "readlink new old",
        ],
    );
    out.expect(0, "");
    assert_eq!(out.stdout(), "s.sock\ns.sock\n");
    // A client finds the socket through the link.
    let l = UnixListener::bind(d.join("t.sock")).unwrap();
    drop(l);
    let _server = Killed::spawn(binder(
        &d,
        &["--symlink=link", "-D", "u.sock", "s6-ipcserverd", "cat"],
    ));
    wait_for("the link", || d.join("link").exists());
    let mut c = UnixStream::connect(d.join("link")).unwrap();
    c.write_all(b"via the link\n").unwrap();
    c.shutdown(std::net::Shutdown::Write).unwrap();
    let mut got = String::new();
    c.read_to_string(&mut got).unwrap();
    assert_eq!(got, "via the link\n");
}

#[test]
fn symlink_never_replaces_anything_but_a_symlink() {
    type Setup = fn(&Path);
    let cases: [(&str, Setup); 3] = [
        ("a regular file", |p| fs::write(p, "data").unwrap()),
        ("a directory", |p| fs::create_dir(p).unwrap()),
        ("a socket", |p| drop(UnixListener::bind(p).unwrap())),
    ];
    for (what, make) in cases {
        for mode in ["-d", "-D"] {
            let d = Dir::new();
            make(&d.join("link"));
            let before = d.listing();
            let out = binder_run(&d, &[mode, "--symlink=link", "s.sock", "/bin/true"]);
            out.expect(111, &fatal("create symlink link", "File exists"));
            assert_eq!(
                d.listing(),
                before,
                "{what} {mode}: kept, nothing else left"
            );
        }
    }
}

#[test]
fn symlink_failing_after_bind_leaves_no_socket() {
    // The link's directory is missing: only symlink() itself can tell,
    // after bind(); the socket and the first link are removed again.
    for mode in ["-d", "-D"] {
        let d = Dir::new();
        // Absolute: a LINK in another directory needs an absolute path.
        let path = d.join("s.sock");
        let out = binder_run(
            &d,
            &[
                mode,
                "--symlink=first",
                "--symlink=nodir/l",
                path.to_str().unwrap(),
                "/bin/true",
            ],
        );
        out.expect(
            111,
            &fatal("create symlink nodir/l", "No such file or directory"),
        );
        let want: Vec<String> = match mode {
            "-d" => vec!["s.sock.lock file 600 \"\"".into()],
            _ => vec![],
        };
        assert_eq!(
            d.listing(),
            want,
            "{mode}: the lock file alone stays, as after any failure"
        );
    }
}

/// A temporary name that cannot be made (`b~` is someone's file, not a
/// leftover symlink of ours): the run fails before any LINK is replaced,
/// and the undo removes the temporary names it made (`a~`), never the
/// file in the way, which it did not make.
#[test]
fn symlink_undo_keeps_what_it_did_not_make() {
    for mode in ["-d", "-D"] {
        let d = Dir::new();
        fs::write(d.join("b~"), "data").unwrap();
        std::os::unix::fs::symlink("elsewhere", d.join("b")).unwrap();
        let mut want = d.listing();
        if mode == "-d" {
            want.push("s.sock.lock file 600 \"\"".into());
            want.sort();
        }
        let args = [mode, "--symlink=a", "--symlink=b", "s.sock", "/bin/true"];
        let out = binder_run(&d, &args);
        out.expect(111, &fatal("create symlink b", "File exists"));
        assert_eq!(d.listing(), want, "{mode}: b~ and b kept, a~ gone");
    }
}

/// Runs `sh -c 'umask 022; exec BINDER ARGS'` in `d`.
fn with_umask_022(d: &Dir, args: &[&str]) -> Out {
    let mut words = vec![
        "-c".to_string(),
        "umask 022; exec \"$@\"".into(),
        "sh".into(),
    ];
    words.extend(
        binder_words(args)
            .iter()
            .map(|w| w.to_string_lossy().into_owned()),
    );
    run(Command::new("sh").args(&words).current_dir(&d.0))
}

#[test]
fn directories_born_with_mode_owner_and_group() {
    if !is_root() {
        eprintln!("directories_born_with_mode_owner_and_group: needs root");
        return;
    }
    let d = Dir::new();
    fs::create_dir(d.join("old")).unwrap();
    fs::set_permissions(d.join("old"), fs::Permissions::from_mode(0o700)).unwrap();
    let old = fs::metadata(d.join("old")).unwrap();
    let out = with_umask_022(
        &d,
        &[
            "--mkdir",
            "--dir-mode=0770",
            "--dir-owner=65534",
            "--dir-group=65533",
            "old/a/b/s.sock",
            "/bin/true",
        ],
    );
    out.expect(0, "");
    for dir in ["old/a", "old/a/b"] {
        let m = fs::metadata(d.join(dir)).unwrap();
        // 0770 through the umask 022: 0750.
        assert_eq!(
            (m.mode() & 0o7777, m.uid(), m.gid()),
            (0o750, 65534, 65533),
            "{dir}"
        );
    }
    // Its mode, owner and group: a new entry moves its mtime and with it
    // its ctime (the comparison of ctimes passed only within one second).
    let now = fs::metadata(d.join("old")).unwrap();
    assert_eq!(
        (now.mode(), now.uid(), now.gid()),
        (old.mode(), old.uid(), old.gid()),
        "an existing directory is not touched"
    );
    assert!(is_socket(&d.join("old/a/b/s.sock")));
    // Without --dir-*: 0755 through the umask, the caller's ids.
    let out = with_umask_022(&d, &["--mkdir", "p/q/s.sock", "/bin/true"]);
    out.expect(0, "");
    let m = fs::metadata(d.join("p/q")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o755, 0, 0));
}

/// The rule of doc/extensions.md for every group option: a group that a
/// set-group-ID directory would override is refused before any side
/// effect; the directory's own group works.
#[test]
fn dir_group_in_a_setgid_directory_is_refused_before_any_side_effect() {
    if !is_root() {
        eprintln!("dir_group_in_a_setgid_directory_is_refused_before_any_side_effect: needs root");
        return;
    }
    let d = Dir::new();
    setgid_dir(&d, "sgid", 50);
    let before = d.listing();
    let out = binder_run(
        &d,
        &[
            "--mkdir",
            "--dir-group=1001",
            "sgid/x/y/s.sock",
            "/bin/true",
        ],
    );
    out.expect(
        111,
        "s6-ipcserver-socketbinder: fatal: unable to create directory sgid/x/y/s.sock as group 1001: in a set-group-ID directory\n",
    );
    assert_eq!(d.listing(), before, "nothing created");
    // The same group as the parent's is what the kernel gives: fine.
    let out = binder_run(
        &d,
        &["--mkdir", "--dir-group=50", "sgid/y/s.sock", "/bin/true"],
    );
    out.expect(0, "");
    assert_eq!(fs::metadata(d.join("sgid/y")).unwrap().gid(), 50);
}

#[test]
fn part_f_bad_values_and_combinations() {
    let cases: &[(&[&str], String)] = &[
        (
            &["--mkdir", "--dir-mode=0778", "a/s", "/bin/true"],
            why("bad value for --dir-mode: 0778"),
        ),
        (
            &["--mkdir", "--dir-mode=2755", "a/s", "/bin/true"],
            why("bad value for --dir-mode: 2755"),
        ),
        (
            &["--mkdir", "--dir-owner=-1", "a/s", "/bin/true"],
            why("bad value for --dir-owner: -1"),
        ),
        (
            &["--mkdir", "--dir-group", "a:b", "a/s", "/bin/true"],
            why("bad value for --dir-group: a:b"),
        ),
        (
            &["--dir-mode=0700", "a/s", "/bin/true"],
            why("--dir-mode needs --mkdir"),
        ),
        (
            &["--dir-owner=0", "a/s", "/bin/true"],
            why("--dir-owner needs --mkdir"),
        ),
        (
            &["--symlink=", "s", "/bin/true"],
            why("bad value for --symlink: "),
        ),
        (
            &[
                "--symlink=a",
                "--symlink=b",
                "--symlink=c",
                "--symlink=d",
                "--symlink=e",
                "s",
                "/bin/true",
            ],
            why("bad value for --symlink: e"),
        ),
        (
            &["--abstract", "--symlink=l", "s", "/bin/true"],
            why("--abstract conflicts with --symlink"),
        ),
        (
            &["--on-demand", "-b0", "s", "/bin/true"],
            why("--on-demand conflicts with -b0"),
        ),
        (
            &["--on-demand=1", "s", "/bin/true"],
            why("takes no value: --on-demand=1"),
        ),
    ];
    for (args, want) in cases {
        let d = Dir::new();
        binder_run(&d, args).expect(100, want);
        assert_eq!(d.listing(), Vec::<String>::new(), "{args:?}");
    }
}

const PASSWD: &str = "root:x:0:0:root:/root:/bin/bash
# svc:x:999:999:a comment is no user:/:/bin/false
svcd:x:2001:2001::/nonexistent:/usr/sbin/nologin
svc:x:2002:2002::/nonexistent:/usr/sbin/nologin
svc:x:2003:2003:a second svc, ignored:/:/bin/false
";

/// A test /etc/passwd and /etc/group (with a line far longer than any
/// buffer, and a last line without a newline) over the real ones, in a
/// private mount namespace; then `f`.
fn with_test_files(f: impl FnOnce() + Send) {
    let files = Dir::new();
    let gecos = "g".repeat(70_000);
    let passwd = format!("big:x:3000:3000:{gecos}:/:/bin/sh\n{PASSWD}last:x:3001:3001::/:/bin/sh");
    let group = format!(
        "root:x:0:\nhuge:x:4000:{}\n#svc:x:998:\nsvcd:x:4001:\nsvc:x:4002:\nsvc:x:4003:\nlast:x:4004:",
        vec!["member"; 20_000].join(",")
    );
    fs::write(files.join("passwd"), passwd).unwrap();
    fs::write(files.join("group"), group).unwrap();
    let done = in_mount_ns(|| {
        mount(
            &files.join("passwd"),
            Path::new("/etc/passwd"),
            "",
            libc::MS_BIND,
            "",
        );
        mount(
            &files.join("group"),
            Path::new("/etc/group"),
            "",
            libc::MS_BIND,
            "",
        );
        f();
    });
    if done.is_none() {
        eprintln!("names: no mount namespace here");
    }
}

/// The socket's owner and group after a run with `args` (mode 0660).
fn ids_of(args: &[&str]) -> (u32, u32) {
    let d = Dir::new();
    let mut all = args.to_vec();
    all.extend(["-a", "0660", "s.sock", "/bin/true"]);
    binder_run(&d, &all).expect(0, "");
    let m = fs::symlink_metadata(d.join("s.sock")).unwrap();
    (m.uid(), m.gid())
}

#[test]
fn names_from_etc_passwd_and_etc_group() {
    if !is_root() {
        eprintln!("names_from_etc_passwd_and_etc_group: needs root");
        return;
    }
    with_test_files(|| {
        // First match wins; a name that is a prefix of another, or another's
        // longer form; a comment is no entry; after a 70 KB line; the last
        // line has no newline.
        assert_eq!(ids_of(&["--owner=svc", "--group=svc"]), (2002, 4002));
        assert_eq!(ids_of(&["--owner=svcd", "--group=svcd"]), (2001, 4001));
        assert_eq!(ids_of(&["--owner=big", "--group=huge"]), (3000, 4000));
        assert_eq!(ids_of(&["--owner=last", "--group=last"]), (3001, 4004));
        assert_eq!(
            ids_of(&["--owner=123", "--group=0"]),
            (123, 0),
            "numbers stay numbers"
        );
        // Directories too.
        let d = Dir::new();
        binder_run(
            &d,
            &[
                "--mkdir",
                "--dir-owner=svc",
                "--dir-group=last",
                "a/s.sock",
                "/bin/true",
            ],
        )
        .expect(0, "");
        let m = fs::metadata(d.join("a")).unwrap();
        assert_eq!((m.uid(), m.gid()), (2002, 4004));
        // Unknown names: 111 before any side effect.
        for (args, msg) in [
            (&["--owner=sv"][..], "unknown user sv in /etc/passwd"),
            (&["--owner=svcdd"], "unknown user svcdd in /etc/passwd"),
            (&["--owner=#"], "unknown user # in /etc/passwd"),
            (&["--group=# svc"], "bad"),
            (&["--group=nogroup"], "unknown group nogroup in /etc/group"),
            (
                &["--mkdir", "--dir-owner=nobody"],
                "unknown user nobody in /etc/passwd",
            ),
            (
                &["--mkdir", "--dir-group=svc2"],
                "unknown group svc2 in /etc/group",
            ),
        ] {
            let d = Dir::new();
            let mut all = args.to_vec();
            all.extend(["a/s.sock", "/bin/true"]);
            let out = binder_run(&d, &all);
            if msg == "bad" {
                out.expect(
                    100,
                    &why(&format!("bad value for --group: {}", &args[0][8..])),
                );
            } else {
                out.expect(111, &format!("s6-ipcserver-socketbinder: fatal: {msg}\n"));
            }
            assert_eq!(d.listing(), Vec::<String>::new(), "{args:?}");
        }
    });
}
