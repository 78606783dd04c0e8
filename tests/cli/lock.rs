//! The lock file, and the permission cases (as uid 65534 when run as root).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;

use rustix::fd::BorrowedFd;
use rustix::fs::{FlockOperation, fcntl_lock};

use crate::common::*;
use crate::rig::run_unprivileged;

#[test]
fn lock_held_elsewhere_is_busy() {
    let d = Dir::new();
    let f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(d.join("busy.lock"))
        .unwrap();
    // rustix is built without `std` here: borrow the fd its own way.
    // SAFETY: `f` outlives every use of `fd` in this test.
    let fd = unsafe { BorrowedFd::borrow_raw(std::os::fd::AsRawFd::as_raw_fd(&f)) };
    // This test process holds the lock; the binder is another process.
    fcntl_lock(fd, FlockOperation::NonBlockingLockExclusive).unwrap();
    drop(UnixListener::bind(d.join("busy")).unwrap());
    binder_run(&d, &["busy", "/bin/true"])
        .expect(111, &fatal("bind to busy", "Device or resource busy"));
    assert!(
        is_socket(&d.join("busy")),
        "the other binder's socket is left alone"
    );
    // -D takes no lock, so it is not blocked by one (the path exists, though).
    binder_run(&d, &["-D", "busy", "/bin/true"])
        .expect(111, &fatal("bind to busy", "Address already in use"));
    fcntl_lock(fd, FlockOperation::NonBlockingUnlock).unwrap();
    binder_run(&d, &["busy", "/bin/true"]).expect(0, "");
}

#[test]
fn lock_is_released_at_exec() {
    // prog runs a second binder on the same path: the first one's lock must
    // be gone (close-on-exec), so the second one succeeds.
    let d = Dir::new();
    let mut args = vec!["s.sock".to_string()];
    args.extend(
        binder_words(&["s.sock", "/bin/true"])
            .into_iter()
            .map(|w| w.into_string().unwrap()),
    );
    binder_run(&d, &args).expect(0, "");
}

fn chmod(p: &std::path::Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn unwritable_directory() {
    let d = Dir::new();
    fs::create_dir(d.join("ro")).unwrap();
    chmod(&d.join("ro"), 0o555);
    let msg = fatal("bind to ro/s.sock", "Permission denied");
    run_unprivileged(&d, &["ro/s.sock", "/bin/true"]).expect(111, &msg);
    run_unprivileged(&d, &["-D", "ro/s.sock", "/bin/true"]).expect(111, &msg);
    assert!(fs::read_dir(d.join("ro")).unwrap().next().is_none());
}

#[test]
fn unreadable_lock_file() {
    let d = Dir::new();
    chmod(&d.0, 0o777);
    fs::write(d.join("s.sock.lock"), "").unwrap();
    chmod(&d.join("s.sock.lock"), 0o400);
    run_unprivileged(&d, &["s.sock", "/bin/true"])
        .expect(111, &fatal("bind to s.sock", "Permission denied"));
    assert!(!d.join("s.sock").exists());
}

#[test]
fn prog_not_executable_by_caller() {
    let d = Dir::new();
    chmod(&d.0, 0o777);
    fs::create_dir(d.join("bin")).unwrap();
    fs::write(d.join("bin/p"), "#!/bin/sh\nexit 0\n").unwrap();
    chmod(&d.join("bin/p"), 0o700);
    if !is_root() {
        chmod(&d.join("bin/p"), 0o600);
    }
    let p = d.join("bin/p").to_string_lossy().into_owned();
    run_unprivileged(&d, &["s.sock", &p])
        .expect(126, &fatal(&format!("exec {p}"), "Permission denied"));
}

#[test]
fn stale_socket_in_sticky_directory_not_ours() {
    // Only meaningful with two users: the unlink is refused (EPERM), so bind
    // finds the path in use, as with s6.
    if !is_root() {
        return;
    }
    let d = Dir::new();
    chmod(&d.0, 0o1777);
    drop(UnixListener::bind(d.join("s.sock")).unwrap());
    run_unprivileged(&d, &["s.sock", "/bin/true"])
        .expect(111, &fatal("bind to s.sock", "Address already in use"));
    assert!(is_socket(&d.join("s.sock")));
}
