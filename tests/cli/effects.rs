//! SPEC A2 and B: what a run leaves on disk.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::net::UnixListener;

use crate::common::*;

#[test]
fn socket_modes_follow_perms() {
    for (perms, sock, lock) in [
        ("0700", 0o700, 0o600),
        ("644", 0o644, 0o600),
        ("0070", 0o070, 0o000),
        ("0", 0o000, 0o000),
        ("1777", 0o777, 0o600),
        ("0640", 0o640, 0o600),
        ("0200", 0o200, 0o200),
    ] {
        let d = Dir::new();
        binder_run(&d, &["-a", perms, "s.sock", "/bin/true"]).expect(0, "");
        assert_eq!(mode(&d.join("s.sock")), sock, "-a {perms}: socket");
        assert_eq!(mode(&d.join("s.sock.lock")), lock, "-a {perms}: lock file");
        assert!(is_socket(&d.join("s.sock")));
    }
}

#[test]
fn caller_umask_does_not_matter() {
    // The binder sets its own umask around bind: the caller's 077 must not
    // take bits away from -a 0666 (and prog gets 077 back, see prog.rs).
    let d = Dir::new();
    let mut c = std::process::Command::new("/bin/sh");
    c.args(["-c", "umask 077; exec \"$@\"", "sh"]);
    c.args(binder_words(&["-a", "0666", "s.sock", "/bin/true"]))
        .current_dir(&d.0);
    run(&mut c).expect(0, "");
    assert_eq!(mode(&d.join("s.sock")), 0o666);
}

#[test]
fn stale_socket_is_replaced() {
    let d = Dir::new();
    let old = UnixListener::bind(d.join("s.sock")).unwrap();
    drop(old); // the file stays, nobody listens: stale
    // Inode numbers get reused: mark the old one by its mode instead.
    fs::set_permissions(d.join("s.sock"), fs::Permissions::from_mode(0o600)).unwrap();
    binder_run(&d, &["s.sock", "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("s.sock")));
    assert_eq!(
        mode(&d.join("s.sock")),
        0o777,
        "a new socket replaced the old one"
    );
}

#[test]
fn live_socket_is_replaced_too() {
    // s6 replaces whatever socket is there, live or not; so do we (the
    // --if-stale extension is the way to protect a live one).
    let d = Dir::new();
    let _live = UnixListener::bind(d.join("s.sock")).unwrap();
    binder_run(&d, &["s.sock", "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("s.sock")));
}

type Setup = fn(&Dir);

/// SPEC B2: a non-socket at path is never removed.
#[test]
fn non_sockets_are_kept() {
    let addr_in_use = fatal("bind to x", "Address already in use");
    let setups: &[(&str, Setup)] = &[
        ("regular file", |d| {
            fs::write(d.join("x"), "precious data\n").unwrap()
        }),
        ("empty file", |d| fs::write(d.join("x"), "").unwrap()),
        ("directory", |d| {
            fs::create_dir(d.join("x")).unwrap();
            fs::write(d.join("x/inside"), "keep").unwrap();
        }),
        ("symlink to file", |d| {
            fs::write(d.join("target"), "t").unwrap();
            symlink("target", d.join("x")).unwrap();
        }),
        ("dangling symlink", |d| {
            symlink("nowhere", d.join("x")).unwrap()
        }),
        ("symlink to socket", |d| {
            drop(UnixListener::bind(d.join("sock")).unwrap());
            symlink("sock", d.join("x")).unwrap();
        }),
        ("fifo", |d| {
            let st = std::process::Command::new("mkfifo")
                .arg(d.join("x"))
                .status()
                .unwrap();
            assert!(st.success());
        }),
    ];
    for (what, setup) in setups {
        for mode_opt in ["-d", "-D"] {
            let d = Dir::new();
            setup(&d);
            let before: Vec<String> = d.listing();
            binder_run(&d, &[mode_opt, "x", "/bin/true"]).expect(111, &addr_in_use);
            let mut after = d.listing();
            after.retain(|e| !e.starts_with("x.lock "));
            assert_eq!(before, after, "{what} with {mode_opt} was changed");
        }
    }
}

#[test]
fn missing_directory() {
    let d = Dir::new();
    let msg = fatal("bind to nodir/s.sock", "No such file or directory");
    binder_run(&d, &["nodir/s.sock", "/bin/true"]).expect(111, &msg);
    binder_run(&d, &["-D", "nodir/s.sock", "/bin/true"]).expect(111, &msg);
    assert!(d.listing().is_empty());
}

#[test]
fn path_component_is_a_file() {
    let d = Dir::new();
    fs::write(d.join("f"), "x").unwrap();
    let msg = fatal("bind to f/s.sock", "Not a directory");
    binder_run(&d, &["f/s.sock", "/bin/true"]).expect(111, &msg);
    binder_run(&d, &["-D", "f/s.sock", "/bin/true"]).expect(111, &msg);
}

#[test]
fn dash_capital_d_refuses_an_existing_path() {
    let d = Dir::new();
    drop(UnixListener::bind(d.join("s.sock")).unwrap());
    binder_run(&d, &["-D", "s.sock", "/bin/true"])
        .expect(111, &fatal("bind to s.sock", "Address already in use"));
    assert!(!d.join("s.sock.lock").exists(), "-D makes no lock file");
}

#[test]
fn longest_path_works() {
    let d = Dir::new();
    let name = "p".repeat(107);
    binder_run(&d, &[name.as_str(), "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join(&name)));
    assert!(d.join(format!("{name}.lock")).exists());
}

/// SPEC B1: too long is refused before any side effect.
#[test]
fn too_long_path_touches_nothing() {
    for len in [108, 109, 200, 4000] {
        for opt in ["-d", "-D"] {
            let d = Dir::new();
            let name = "q".repeat(len);
            // Something that s6 would have deleted, had it got that far.
            fs::write(d.join("keep"), "data").unwrap();
            let before = d.listing();
            binder_run(&d, &[opt, name.as_str(), "/bin/true"]).expect(
                111,
                &fatal(&format!("bind to {name}"), "File name too long"),
            );
            assert_eq!(d.listing(), before, "{opt} {len}");
        }
    }
}

/// SPEC B4: the empty path is refused, nothing created.
#[test]
fn empty_path() {
    let d = Dir::new();
    binder_run(&d, &["", "/bin/true"]).expect(111, &fatal("bind to ", "No such file or directory"));
    binder_run(&d, &["-D", "", "/bin/true"])
        .expect(111, &fatal("bind to ", "No such file or directory"));
    assert!(d.listing().is_empty());
}

#[test]
fn dgram_needs_backlog_zero() {
    let d = Dir::new();
    binder_run(&d, &["-m", "mx.sock", "/bin/true"])
        .expect(111, &fatal("listen to mx.sock", "Operation not supported"));
    binder_run(&d, &["-m", "-b0", "my.sock", "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("my.sock")));
}

#[test]
fn lock_file_is_kept_and_reused() {
    let d = Dir::new();
    fs::write(d.join("s.sock.lock"), "").unwrap();
    fs::set_permissions(d.join("s.sock.lock"), fs::Permissions::from_mode(0o644)).unwrap();
    binder_run(&d, &["s.sock", "/bin/true"]).expect(0, "");
    binder_run(&d, &["s.sock", "/bin/true"]).expect(0, "");
    assert_eq!(
        mode(&d.join("s.sock.lock")),
        0o644,
        "an existing lock file is reused as is"
    );
}
