//! --owner and --group: the socket is born with them (no window), and the
//! permissions then decide which client may connect.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command, Stdio};

use crate::common::*;

const NOBODY: &str = "65534";

fn connect_as(uid: &str, path: &std::path::Path) -> bool {
    let code = "import socket, sys\n\
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n\
        try:\n    c.connect(sys.argv[1])\nexcept PermissionError:\n    sys.exit(13)\n";
    let st = Command::new("setpriv")
        .args([
            &format!("--reuid={uid}"),
            &format!("--regid={uid}"),
            "--clear-groups",
            python(),
            "-c",
            code,
        ])
        .arg(path)
        .status()
        .unwrap();
    match st.code() {
        Some(0) => true,
        Some(13) => false,
        other => panic!("client as {uid} ended with {other:?}"),
    }
}

#[test]
fn owner_and_group_from_birth() {
    if !is_root() {
        eprintln!("owner_and_group_from_birth: needs root (CI runs as root)");
        return;
    }
    let d = Dir::new();
    // A directory only root may write to: the bind keeps root's power.
    fs::set_permissions(&d.0, fs::Permissions::from_mode(0o755)).unwrap();
    let mut c = binder(
        &d,
        &[
            "--owner", NOBODY, "--group", NOBODY, "-a", "0660", "s.sock", "sleep", "30",
        ],
    );
    c.stdout(Stdio::null());
    let server = Killed::spawn(c);
    let sock = d.join("s.sock");
    wait_for("s.sock", || is_socket(&sock));
    let md = fs::symlink_metadata(&sock).unwrap();
    assert_eq!(
        (md.uid(), md.gid(), md.mode() & 0o777),
        (65534, 65534, 0o660)
    );
    assert!(connect_as(NOBODY, &sock), "the owner connects");
    assert!(!connect_as("4242", &sock), "another uid does not");
    drop(server);
    // The lock file stays root's; prog runs as the caller.
    let lock = fs::metadata(d.join("s.sock.lock")).unwrap();
    assert_eq!((lock.uid(), lock.gid()), (0, 0));
}

#[test]
fn group_only() {
    if !is_root() {
        return;
    }
    let d = Dir::new();
    let r = probe_run(&d, &["--group", "4242", "-a", "0640"], "g.sock");
    let md = fs::symlink_metadata(d.join("g.sock")).unwrap();
    assert_eq!((md.uid(), md.gid(), md.mode() & 0o777), (0, 4242, 0o640));
    assert_eq!(r["fd0"]["listening"], true);
}

/// No window: the trace shows the ids switched before the bind creates the
/// file and back right after, and no chown of any kind.
#[test]
fn no_window_in_the_trace() {
    if !is_root() || !runner().is_empty() {
        return;
    }
    let d = Dir::new();
    let out = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=bind,setresuid,setresgid,chown,fchown,fchownat,lchown,prctl,listen",
        ])
        .arg(bin())
        .args(["--owner", NOBODY, "--group", NOBODY, "s.sock", "/bin/true"])
        .current_dir(&d.0)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let calls: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.split('(').next().map(|s| s.trim().to_string()))
        .filter(|s| !s.starts_with("+++") && !s.is_empty())
        .collect();
    assert_eq!(
        calls,
        [
            "prctl", // PR_GET_PDEATHSIG (none set here: nothing to restore)
            "prctl", // PR_GET_SECUREBITS
            "prctl", // PR_SET_SECUREBITS
            "setresgid",
            "setresuid",
            "bind",
            "setresuid",
            "setresgid",
            "prctl",
            "listen"
        ],
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn owner_of_ourselves_switches_nothing() {
    // As root, --owner 0 --group 0 changes nothing: no id syscall at all.
    if !is_root() || !runner().is_empty() {
        return;
    }
    let d = Dir::new();
    let out = Command::new("strace")
        .args(["-qq", "-e", "trace=setresuid,setresgid,prctl"])
        .arg(bin())
        .args(["--owner", "0", "--group", "0", "s.sock", "/bin/true"])
        .current_dir(&d.0)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
