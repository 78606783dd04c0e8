//! SPEC A2.7: how prog is found and what a failure says.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::common::*;

fn script(path: &std::path::Path, body: &str, mode: u32) {
    fs::write(path, body).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// A directory with `a/`, `b/` and a few progs in them.
fn tree() -> Dir {
    let d = Dir::new();
    for sub in ["a", "b", "c"] {
        fs::create_dir(d.join(sub)).unwrap();
    }
    script(&d.join("b/hello"), "#!/bin/sh\necho hello from b\n", 0o755);
    script(&d.join("a/noexec"), "#!/bin/sh\necho a\n", 0o644);
    script(
        &d.join("b/noexec"),
        "#!/bin/sh\necho noexec from b\n",
        0o755,
    );
    script(&d.join("a/garbage"), "this is not a program\n", 0o755);
    script(
        &d.join("b/garbage"),
        "#!/bin/sh\necho garbage from b\n",
        0o755,
    );
    fs::create_dir(d.join("a/isdir")).unwrap();
    script(&d.join("here"), "#!/bin/sh\necho here\n", 0o755);
    script(&d.join("c/notdir"), "", 0o644);
    d
}

fn with_path(d: &Dir, path: Option<&str>, prog: &str) -> Out {
    let mut c = binder(d, &["s.sock", prog]);
    match path {
        Some(p) => c.env("PATH", p.replace("@", &d.0.to_string_lossy())),
        None => c.env_remove("PATH"),
    };
    run(&mut c)
}

fn exec_fail(prog: &str, err: &str) -> String {
    fatal(&format!("exec {prog}"), err)
}

#[test]
fn slash_means_no_search() {
    let d = tree();
    let out = with_path(&d, Some("@/b"), "./here");
    out.expect(0, "");
    assert_eq!(out.stdout(), "here\n");
    with_path(&d, Some("@/b"), "./hello")
        .expect(127, &exec_fail("./hello", "No such file or directory"));
    let out = with_path(&d, Some("/nonexistent"), "b/hello");
    out.expect(0, "");
    assert_eq!(out.stdout(), "hello from b\n");
}

#[test]
fn path_search() {
    let d = tree();
    let out = with_path(&d, Some("/nonexistent:@/a:@/b"), "hello");
    out.expect(0, "");
    assert_eq!(out.stdout(), "hello from b\n");
}

#[test]
fn unset_path_uses_default() {
    let d = tree();
    with_path(&d, None, "true").expect(0, "");
    with_path(&d, None, "hello").expect(127, &exec_fail("hello", "No such file or directory"));
}

#[test]
fn empty_entries_are_skipped() {
    // "here" is in the current directory: an empty entry must not mean ".".
    let d = tree();
    with_path(&d, Some("::@/a:"), "here")
        .expect(127, &exec_fail("here", "No such file or directory"));
    // SPEC B3: nothing to try at all.
    with_path(&d, Some(""), "true").expect(127, &exec_fail("true", "No such file or directory"));
    with_path(&d, Some(":::"), "true").expect(127, &exec_fail("true", "No such file or directory"));
}

#[test]
fn eacces_is_remembered_and_search_goes_on() {
    let d = tree();
    let out = with_path(&d, Some("@/a:@/b"), "noexec");
    out.expect(0, "");
    assert_eq!(out.stdout(), "noexec from b\n");
    with_path(&d, Some("@/a:@/c"), "noexec").expect(126, &exec_fail("noexec", "Permission denied"));
}

#[test]
fn directory_as_prog() {
    let d = tree();
    with_path(&d, Some("@/a"), "isdir").expect(126, &exec_fail("isdir", "Permission denied"));
    with_path(&d, Some("/"), "./a/isdir").expect(126, &exec_fail("./a/isdir", "Permission denied"));
}

#[test]
fn enotdir_is_remembered() {
    let d = tree();
    with_path(&d, Some("@/c/notdir:/nonexistent"), "true")
        .expect(126, &exec_fail("true", "Not a directory"));
    with_path(&d, Some("@/c/notdir:@/b"), "hello").expect(0, "");
}

#[test]
fn enoexec_stops_without_sh_fallback() {
    let d = tree();
    with_path(&d, Some("@/a:@/b"), "garbage")
        .expect(126, &exec_fail("garbage", "Exec format error"));
    with_path(&d, Some("/"), "./a/garbage")
        .expect(126, &exec_fail("./a/garbage", "Exec format error"));
}

#[test]
fn noexec_direct() {
    let d = tree();
    with_path(&d, Some("/"), "a/noexec").expect(126, &exec_fail("a/noexec", "Permission denied"));
}

#[test]
fn candidate_longer_than_path_max() {
    // A PATH entry that cannot be joined within PATH_MAX stops the search
    // with the error execve would have given.
    let d = tree();
    let long = format!("/{}", "x".repeat(5000));
    with_path(&d, Some(&format!("{long}:@/b")), "hello")
        .expect(126, &exec_fail("hello", "File name too long"));
    let name = "n".repeat(5000);
    with_path(&d, Some("/bin"), &name).expect(126, &exec_fail(&name, "File name too long"));
}

#[test]
fn non_utf8_bytes_are_bytes() {
    let d = tree();
    let name = os(b"b/\xffhello");
    fs::copy(d.join("b/hello"), d.0.join(name)).unwrap();
    let sock = os(b"s\xfe.sock");
    let out = run(&mut binder(&d, &[sock, name]));
    out.expect(0, "");
    assert!(is_socket(&d.0.join(sock)));
}
