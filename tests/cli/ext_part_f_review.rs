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
        for link in ["s.sock", "./s.sock"] {
            let d = Dir::new();
            let out = binder_run(&d, &[mode, "--symlink", link, "s.sock", "/bin/true"]);
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
            let out = binder_run(&d, &[mode, "--symlink", link, "s.sock", "/bin/true"]);
            out.expect(111, &fatal(&format!("create symlink {link}"), err));
            assert_eq!(d.listing(), before, "{mode} {err}: nothing made");
        }
    }
}
