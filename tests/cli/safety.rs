//! Data safety (SPEC A2.3, B2), issue 7: every kind of object at the path,
//! in every mode; only a socket is ever removed — any socket in reuse mode
//! (default, `-d`; s6 replaces a live one too), nothing with `-D`. And the
//! same promise when the binder is killed at any system call.
//!
//! With `--if-stale`, only a dead socket (a connect() to it refused) is
//! replaced; `--no-lock` changes nothing here but the lock file.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::net::{UnixDatagram, UnixListener};
use std::process::Command;

use crate::common::*;
use crate::rig::*;

/// Whatever must stay alive while the binder runs (a live socket's server).
type Keep = Option<Box<dyn std::any::Any>>;

/// One kind of object at the path `x`; `socket`: whether it is one;
/// `live`: whether something listens on it (or could: `--if-stale` keeps
/// any socket it cannot prove dead).
struct Object {
    name: &'static str,
    socket: bool,
    live: bool,
    setup: fn(&Dir) -> Keep,
}

fn chmod(p: &std::path::Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

/// A socket nobody listens on, at `name`, marked by mode 0600 so that its
/// replacement (0777) is told apart even if the inode number is reused.
fn stale_socket(d: &Dir, name: &str) {
    drop(UnixListener::bind(d.join(name)).unwrap());
    chmod(&d.join(name), 0o600);
}

fn mknod(d: &Dir, args: &[&str]) {
    let st = Command::new(args[0])
        .args(&args[1..])
        .current_dir(&d.0)
        .status()
        .unwrap();
    assert!(st.success(), "{args:?}");
}

const OBJECTS: &[Object] = &[
    Object {
        name: "regular file with content",
        socket: false,
        live: false,
        setup: |d| {
            fs::write(d.join("x"), "precious data\n").unwrap();
            None
        },
    },
    Object {
        name: "empty regular file",
        socket: false,
        live: false,
        setup: |d| {
            fs::write(d.join("x"), "").unwrap();
            None
        },
    },
    Object {
        name: "directory with content",
        socket: false,
        live: false,
        setup: |d| {
            fs::create_dir(d.join("x")).unwrap();
            fs::write(d.join("x/inside"), "keep").unwrap();
            None
        },
    },
    Object {
        name: "empty directory",
        socket: false,
        live: false,
        setup: |d| {
            fs::create_dir(d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "symlink to a file",
        socket: false,
        live: false,
        setup: |d| {
            fs::write(d.join("target"), "t").unwrap();
            symlink("target", d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "symlink to a directory",
        socket: false,
        live: false,
        setup: |d| {
            fs::create_dir(d.join("target")).unwrap();
            symlink("target", d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "dangling symlink",
        socket: false,
        live: false,
        setup: |d| {
            symlink("nowhere", d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "symlink loop",
        socket: false,
        live: false,
        setup: |d| {
            symlink("x", d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "symlink to a stale socket",
        socket: false,
        live: false,
        setup: |d| {
            stale_socket(d, "sock");
            symlink("sock", d.join("x")).unwrap();
            None
        },
    },
    Object {
        name: "symlink to a live socket",
        socket: false,
        live: false,
        setup: |d| {
            let l = UnixListener::bind(d.join("sock")).unwrap();
            symlink("sock", d.join("x")).unwrap();
            Some(Box::new(l))
        },
    },
    Object {
        name: "fifo",
        socket: false,
        live: false,
        setup: |d| {
            mknod(d, &["mkfifo", "-m", "0644", "x"]);
            None
        },
    },
    Object {
        name: "character device (as root)",
        socket: false,
        live: false,
        setup: |d| {
            if is_root() {
                mknod(d, &["mknod", "-m", "0644", "x", "c", "1", "3"]);
            } else {
                fs::write(d.join("x"), "stand-in").unwrap();
            }
            None
        },
    },
    Object {
        name: "live stream socket",
        socket: true,
        live: true,
        setup: |d| {
            let l = UnixListener::bind(d.join("x")).unwrap();
            chmod(&d.join("x"), 0o600);
            Some(Box::new(l))
        },
    },
    Object {
        name: "live datagram socket",
        socket: true,
        live: true,
        setup: |d| {
            let s = UnixDatagram::bind(d.join("x")).unwrap();
            chmod(&d.join("x"), 0o600);
            Some(Box::new(s))
        },
    },
    Object {
        name: "stale socket",
        socket: true,
        live: false,
        setup: |d| {
            stale_socket(d, "x");
            None
        },
    },
    Object {
        name: "stale socket with a second name",
        socket: true,
        live: false,
        setup: |d| {
            stale_socket(d, "x");
            fs::hard_link(d.join("x"), d.join("other")).unwrap();
            None
        },
    },
];

/// A mode: its option words, whether it ends in reuse mode, whether only
/// a dead socket may go (`--if-stale`), whether it takes the lock file.
struct Mode {
    opts: &'static [&'static str],
    reuse: bool,
    if_stale: bool,
    lock: bool,
}

const fn row_mode(opts: &'static [&'static str], reuse: bool, if_stale: bool, lock: bool) -> Mode {
    Mode {
        opts,
        reuse,
        if_stale,
        lock,
    }
}

const MODES: &[Mode] = &[
    row_mode(&[], true, false, true),
    row_mode(&["-d"], true, false, true),
    row_mode(&["-D"], false, false, false),
    row_mode(&["-D", "-d"], true, false, true),
    row_mode(&["-dD"], false, false, false),
    row_mode(&["--if-stale"], true, true, true),
    row_mode(&["-D", "-d", "--if-stale"], true, true, true),
    row_mode(&["--no-lock"], true, false, false),
    row_mode(&["--no-lock", "--if-stale"], true, true, false),
];

/// The matrix. A socket in reuse mode is replaced (exit 0, a new socket of
/// mode 0777, every other entry as it was) — with `--if-stale` only a dead
/// one; anything else, and any socket with `-D`, is refused with `Address
/// already in use` and left exactly as it was (reuse mode adds only the
/// empty lock file, unless `--no-lock`).
#[test]
fn only_a_socket_is_ever_removed() {
    let mut rows = Vec::new();
    for obj in OBJECTS {
        for m in MODES {
            let d = Dir::new();
            fs::write(d.join("bystander"), "unrelated\n").unwrap();
            let _keep = (obj.setup)(&d);
            let before = d.listing();
            let mut args: Vec<&str> = m.opts.to_vec();
            args.extend(["x", "/bin/true"]);
            let out = binder_run(&d, &args);
            let after = d.listing();
            let why = format!("{} with {:?}", obj.name, m.opts);
            let replaced = obj.socket && m.reuse && !(m.if_stale && obj.live);
            if replaced {
                out.expect(0, "");
                assert!(is_socket(&d.join("x")), "{why}: no socket");
                assert_eq!(mode(&d.join("x")), 0o777, "{why}: not replaced");
            } else {
                out.expect(111, &fatal("bind to x", "Address already in use"));
                let mut kept = after.clone();
                kept.retain(|e| !(m.lock && e == "x.lock file 600 \"\""));
                assert_eq!(before, kept, "{why}: changed");
            }
            only_lock_and_socket_added(&before, &after, "x", &why);
            assert_eq!(
                m.lock,
                d.join("x.lock").exists(),
                "{why}: lock file only in reuse mode without --no-lock"
            );
            rows.push(format!(
                "{:32} {:24} {}",
                obj.name,
                m.opts.join(" "),
                if replaced {
                    "replaced"
                } else {
                    "kept, EADDRINUSE"
                }
            ));
        }
    }
    println!("data-safety matrix: pass\n{}", rows.join("\n"));
}

/// A replaced live socket: the old server keeps its socket (its fd), the
/// path now names the new one, which accepts connections.
#[test]
fn replaced_live_socket_serves_the_new_one() {
    let d = Dir::new();
    let old = UnixListener::bind(d.join("x")).unwrap();
    // prog checks, while the new socket listens on its fd 0, that a client
    // of the path reaches it and not the old server.
    let script = "import socket,sys; c=socket.socket(socket.AF_UNIX); c.connect(sys.argv[1]); \
                  s=socket.socket(fileno=0); a,_=s.accept(); print('new')";
    let mut args = vec!["x".to_string(), python().into(), "-c".into(), script.into()];
    args.push(d.join("x").to_string_lossy().into_owned());
    let out = binder_run(&d, &args);
    out.expect(0, "");
    assert_eq!(out.stdout(), "new\n", "{}", out.show());
    old.set_nonblocking(true).unwrap();
    assert!(old.accept().is_err(), "the old server got no client");
}

/// Killed at any system call of the real sequence (tests/golden/), by
/// strace: SIGKILL at the call's entry (the call never runs) and SIGTERM on
/// its way out (the call has run; the binder never handles signals, so the
/// default action ends it): the data is intact, what is left is the lock
/// file and at most a socket, and the next run succeeds (the lock dies
/// with the process).
#[test]
fn killed_at_any_syscall_nothing_is_lost() {
    if !direct() {
        return;
    }
    let if_stale = if_stale_syscalls();
    let scenarios: [(&[&str], bool, Vec<String>); 3] = [
        (&[], true, golden_syscalls("default-stale")),
        (&[], false, golden_syscalls("default-fresh")),
        (&["--if-stale"], true, if_stale),
    ];
    for ((opts, stale, calls), sig) in scenarios
        .iter()
        .flat_map(|s| ["SIGKILL", "SIGTERM"].map(|g| (s, g)))
    {
        for (call, when) in occurrences(calls) {
            let d = Dir::new();
            fs::write(d.join("keep"), "data").unwrap();
            if *stale {
                stale_socket(&d, "x");
            }
            let before = d.listing();
            let inject = vec![format!("{call}:signal={sig}:when={when}")];
            let mut args = opts.to_vec();
            args.extend(["x", "/bin/sh", "-c", ": > ran"]);
            let out = run(&mut command(&d, &under_strace(&inject, &args)));
            let why = format!("{sig} at {call} #{when} ({opts:?}, stale socket: {stale})");
            assert_ne!(out.code, Some(0), "{why}: not killed\n{}", out.show());
            assert!(!d.join("ran").exists(), "{why}: prog ran");
            let after = d.listing();
            only_lock_and_socket_added(&before, &after, "x", &why);
            binder_run(&d, &["x", "/bin/true"]).expect(0, "");
            assert!(is_socket(&d.join("x")), "{why}: rerun made no socket");
            assert_eq!(fs::read(d.join("keep")).unwrap(), b"data");
        }
    }
    // A regular file at the path survives a kill anywhere (the run stops at
    // bind, so later calls are never reached), and the rerun still refuses it.
    for (call, when) in occurrences(&golden_syscalls("default-stale")) {
        let d = Dir::new();
        fs::write(d.join("x"), "precious").unwrap();
        let inject = vec![format!("{call}:signal=SIGKILL:when={when}")];
        let _ = run(&mut command(
            &d,
            &under_strace(&inject, &["x", "/bin/true"]),
        ));
        binder_run(&d, &["x", "/bin/true"])
            .expect(111, &fatal("bind to x", "Address already in use"));
        assert_eq!(fs::read(d.join("x")).unwrap(), b"precious", "{call}");
    }
}
