//! What prog inherits, checked from inside the exec'ed program (the probe).

use std::process::Command;

use crate::common::*;

/// The probe run directly, without the binder: the baseline.
fn baseline(dir: &Dir, umask: &str) -> serde_json::Value {
    let mut c = Command::new("/bin/sh");
    c.args(["-c", &format!("umask {umask}; exec \"$@\""), "sh"])
        .args(probe());
    c.current_dir(&dir.0).stdin(std::process::Stdio::null());
    let out = run(&mut c);
    out.expect(0, "");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn through_binder(dir: &Dir, umask: &str, opts: &[&str]) -> serde_json::Value {
    let mut args: Vec<String> = opts.iter().map(|s| s.to_string()).collect();
    args.push("s.sock".into());
    args.extend(probe());
    let mut c = Command::new("/bin/sh");
    c.args(["-c", &format!("umask {umask}; exec \"$@\""), "sh"])
        .args(binder_words(&args));
    c.current_dir(&dir.0).stdin(std::process::Stdio::null());
    let out = run(&mut c);
    out.expect(0, "");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.show()))
}

#[test]
fn inherits_exactly_what_it_should() {
    for umask in ["022", "077", "0"] {
        let d = Dir::new();
        let base = baseline(&d, umask);
        let r = through_binder(&d, umask, &[]);
        assert_eq!(
            r["fds"], base["fds"],
            "no new fd, none lost (umask {umask})"
        );
        assert_eq!(r["env"], base["env"], "environment untouched");
        assert_eq!(r["umask"], base["umask"], "caller's umask restored");
        let fd0 = &r["fd0"];
        assert_eq!(fd0["is_socket"], true);
        assert_eq!(fd0["family"], "unix");
        assert_eq!(fd0["type"], "stream");
        assert_eq!(fd0["listening"], true);
        assert_eq!(fd0["nonblock"], true);
        assert_eq!(fd0["cloexec"], false, "the socket survives the exec");
        assert_eq!(fd0["passcred"], false);
        assert_eq!(fd0["name"], "s.sock");
    }
}

#[test]
fn argv_is_passed_verbatim() {
    let d = Dir::new();
    let mut args = vec!["s.sock".to_string()];
    args.extend(probe());
    let extra = ["-d", "--", "-b0", "", " spaced ", "é"];
    args.extend(extra.map(String::from));
    let out = binder_run(&d, &args);
    out.expect(0, "");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want: Vec<String> = probe();
    // The probe reads raw bytes; é arrives as its two UTF-8 bytes.
    want.extend(extra.map(|s| s.bytes().map(char::from).collect::<String>()));
    let got: Vec<String> = r["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(got, want);
}

#[test]
fn blocking_and_datagram() {
    let d = Dir::new();
    let r = through_binder(&d, "022", &["-B"]);
    assert_eq!(r["fd0"]["nonblock"], false);
    assert_eq!(r["fd0"]["listening"], true);

    let d = Dir::new();
    let r = through_binder(&d, "022", &["-m", "-b0"]);
    assert_eq!(r["fd0"]["type"], "dgram");
    assert_eq!(r["fd0"]["nonblock"], true);
    assert_eq!(r["fd0"]["listening"], false);

    let d = Dir::new();
    let r = through_binder(&d, "022", &["-b0"]);
    assert_eq!(r["fd0"]["type"], "stream");
    assert_eq!(r["fd0"]["listening"], false);
}

#[test]
fn extra_inherited_fds_stay_open() {
    // An fd the caller opened (not close-on-exec) reaches prog untouched.
    let d = Dir::new();
    let mut args = vec!["s.sock".to_string()];
    args.extend(probe());
    let words = binder_words(&args);
    let mut c = Command::new("/bin/sh");
    c.args(["-c", "exec 7</dev/null; exec \"$@\"", "sh"])
        .args(&words)
        .current_dir(&d.0);
    let out = run(&mut c);
    out.expect(0, "");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fds: Vec<i64> = r["fds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(fds.contains(&7), "fd 7 kept: {fds:?}");
    assert!(
        fds.contains(&1) && fds.contains(&2),
        "stdout and stderr kept: {fds:?}"
    );
}
