//! Hostile start conditions (issue 7): closed standard fds, an empty argv,
//! empty and huge environments, words at and past every buffer's edge,
//! bytes that are not UTF-8. The binder must give the right exit code and
//! never crash; bytes are bytes.
//!
//! Covered elsewhere and part of the picture: a PATH entry and a prog name
//! longer than the search buffer (`exec::candidate_longer_than_path_max`),
//! a non-UTF-8 path and prog with a slash (`exec::non_utf8_bytes_are_bytes`).

use std::ffi::{CString, OsString};
use std::fs;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use crate::common::*;
use crate::rig::*;

/// prog: reports, as JSON in the file named by its argument, which of fds
/// 0..16 are open (looked at before anything else is opened) and what fd 0
/// is.
const FD_REPORT: &str = r#"import os
fds = []
for f in range(16):
    try:
        os.fstat(f)
        fds.append(f)
    except OSError:
        pass
import json, socket, stat, sys
r = {'fds': fds, 'sock0': False}
if 0 in fds and stat.S_ISSOCK(os.fstat(0).st_mode):
    s = socket.socket(fileno=os.dup(0))
    r['sock0'] = True
    r['name'] = os.path.basename(s.getsockname())
    r['listening'] = bool(s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.write(fd, json.dumps(r).encode())
"#;

/// The binder with `args`, fds `closed` closed between fork and exec.
fn with_closed(d: &Dir, closed: &'static [i32], args: &[OsString]) -> Out {
    let mut c = binder(d, args);
    // SAFETY: close(2) only, between fork and exec.
    unsafe {
        c.pre_exec(move || {
            for &fd in closed {
                libc::close(fd);
            }
            Ok(())
        });
    }
    run(&mut c)
}

const SUBSETS: &[&[i32]] = &[&[0], &[1], &[2], &[0, 1], &[0, 2], &[1, 2], &[0, 1, 2]];

/// Any of fds 0, 1, 2 closed at start: the run succeeds, the socket is on
/// fd 0, the other closed fds are still closed for prog (the lock file's
/// fd, which may have taken one of their numbers, is close-on-exec), and
/// nothing else leaks.
#[test]
fn closed_standard_fds() {
    if !direct() {
        return;
    }
    // fds above 2 that this test process leaks to every child (a test
    // runner's pipes, say): prog must see those and no more.
    let inherited: Vec<i64> = {
        let d = Dir::new();
        let report = d.join("report.json");
        let st = Command::new(python())
            .args(["-c", FD_REPORT])
            .arg(&report)
            .status()
            .unwrap();
        assert!(st.success());
        let r: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
        let fds = r["fds"].as_array().unwrap().iter();
        fds.map(|v| v.as_i64().unwrap())
            .filter(|f| *f > 2)
            .collect()
    };
    for closed in SUBSETS {
        for opts in [&[][..], &["-D"][..]] {
            let d = Dir::new();
            let report = d.join("report.json");
            let mut args: Vec<OsString> = opts.iter().map(Into::into).collect();
            args.extend([
                "x.sock".into(),
                python().into(),
                "-c".into(),
                FD_REPORT.into(),
            ]);
            args.push(report.clone().into_os_string());
            let out = with_closed(&d, closed, &args);
            let why = format!("closed {closed:?}, {opts:?}");
            assert_eq!(out.code, Some(0), "{why}\n{}", out.show());
            assert!(out.stderr.is_empty(), "{why}\n{}", out.show());
            let r: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
            let want: Vec<i64> = [0, 1, 2]
                .into_iter()
                .filter(|f| *f == 0 || !closed.contains(&(*f as i32)))
                .chain(inherited.iter().copied())
                .collect();
            assert_eq!(r["fds"], serde_json::json!(want), "{why}");
            assert_eq!(r["sock0"], true, "{why}");
            assert_eq!(r["name"], "x.sock", "{why}");
            assert_eq!(r["listening"], true, "{why}");
            assert!(is_socket(&d.join("x.sock")), "{why}");
        }
    }
}

/// fd 2 closed (alone or with others): the lock file may take its number;
/// then a failure's message must not land in the lock file. Exit codes
/// stay right; the lock file stays empty.
#[test]
fn closed_stderr_keeps_messages_out_of_the_lock_file() {
    if !direct() {
        return;
    }
    let d0 = Dir::new();
    fs::write(d0.join("noexec"), "#!/bin/sh\n").unwrap();
    let noexec = d0.join("noexec").into_os_string();
    let cases: Vec<(Vec<OsString>, i32)> = vec![
        // bind refused: a regular file at the path.
        (vec!["file".into(), "/bin/true".into()], 111),
        // listen refused: datagram with a backlog.
        (vec!["-m".into(), "x".into(), "/bin/true".into()], 111),
        // exec: not found, then not executable.
        (vec!["x".into(), "./nothere".into()], 127),
        (vec!["x".into(), noexec], 126),
        // Success: prog runs with fd 2 closed again.
        (vec!["x".into(), "/bin/true".into()], 0),
        // usage: before any fd is opened.
        (vec!["-x".into()], 100),
    ];
    for closed in SUBSETS.iter().filter(|s| s.contains(&2)) {
        for (args, code) in &cases {
            let d = Dir::new();
            fs::write(d.join("file"), "data").unwrap();
            let out = with_closed(&d, closed, args);
            let why = format!("closed {closed:?}, {args:?}");
            assert_eq!(out.code, Some(*code), "{why}\n{}", out.show());
            for lock in ["file.lock", "x.lock"] {
                if let Ok(content) = fs::read(d.join(lock)) {
                    assert!(
                        content.is_empty(),
                        "{why}: {lock} got {:?}",
                        String::from_utf8_lossy(&content)
                    );
                }
            }
            assert_eq!(fs::read(d.join("file")).unwrap(), b"data");
        }
    }
}

/// Runs the binary with exactly `argv` and `envp` (NULL pointers when
/// `None`), by execve between fork and exec: what no shell can do.
fn exec_raw(d: &Dir, argv: Option<&[&[u8]]>, envp: Option<&[&[u8]]>) -> Out {
    let path = CString::new(bin().as_os_str().as_bytes()).unwrap();
    let own = |v: &[&[u8]]| -> Vec<CString> {
        v.iter()
            .map(|w| CString::new(w.to_vec()).unwrap())
            .collect()
    };
    let argv_c = argv.map(own);
    let envp_c = envp.map(own);
    let ptrs = |v: &Option<Vec<CString>>| -> Option<Vec<*const libc::c_char>> {
        v.as_ref().map(|v| {
            v.iter()
                .map(|c| c.as_ptr())
                .chain(Some(std::ptr::null()))
                .collect()
        })
    };
    let (argv_p, envp_p) = (ptrs(&argv_c), ptrs(&envp_c));
    let argv_raw = argv_p.as_ref().map_or(std::ptr::null(), |v| v.as_ptr()) as usize;
    let envp_raw = envp_p.as_ref().map_or(std::ptr::null(), |v| v.as_ptr()) as usize;
    // Never run: the pre_exec hook execs the binder first.
    let mut c = Command::new("/bin/false");
    c.current_dir(&d.0).stdin(Stdio::null());
    // SAFETY: only execve(2) between fork and exec, on arrays built (and
    // kept alive until the run ends) before the fork.
    unsafe {
        c.pre_exec(move || {
            libc::execve(
                path.as_ptr(),
                argv_raw as *const *const libc::c_char,
                envp_raw as *const *const libc::c_char,
            );
            Err(std::io::Error::last_os_error())
        });
    }
    let out = run(&mut c);
    drop((argv_c, envp_c, argv_p, envp_p));
    out
}

/// argc 0: an empty argv, or a NULL one. Linux (5.18 and later) hands the
/// program `{"", NULL}` instead; older kernels gave argc 0. Either way:
/// the usage line, exit 100, nothing created — never a crash.
#[test]
fn empty_argv() {
    if !direct() {
        return;
    }
    let env: &[&[u8]] = &[b"PATH=/usr/bin:/bin"];
    for (what, argv) in [
        ("[NULL]", Some(&[][..])),
        ("NULL", None),
        ("[\"\", NULL]", Some(&[&b""[..]][..])),
    ] {
        let d = Dir::new();
        let out = exec_raw(&d, argv, Some(env));
        assert_eq!(out.code, Some(100), "argv {what}\n{}", out.show());
        assert_eq!(out.stderr(), USAGE, "argv {what}");
        assert!(d.listing().is_empty(), "argv {what}");
    }
}

/// A NULL or empty envp: PATH unset, so the default /usr/bin:/bin.
#[test]
fn empty_environment() {
    if !direct() {
        return;
    }
    for envp in [None, Some(&[][..])] {
        let d = Dir::new();
        let argv: &[&[u8]] = &[b"binder", b"x", b"true"];
        let out = exec_raw(&d, Some(argv), envp);
        out.expect(0, "");
        assert!(is_socket(&d.join("x")));
    }
    // And prog sees exactly that: nothing.
    let d = Dir::new();
    let mut args = vec!["x".to_string()];
    args.extend(probe());
    let out = run(binder(&d, &args).env_clear());
    out.expect(0, "");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["env"], serde_json::json!([]));
}

/// Tens of thousands of variables, PATH last: found, and handed to prog in
/// full and in order. The first PATH wins, as with getenv.
#[test]
fn huge_environment() {
    if !direct() {
        return;
    }
    let vars: Vec<Vec<u8>> = (0..20_000)
        .map(|i| format!("VAR_{i}=value number {i}").into_bytes())
        .collect();
    let mut envp: Vec<&[u8]> = vars.iter().map(Vec::as_slice).collect();
    envp.push(b"PATH=/nowhere:/usr/bin:/bin");
    envp.push(b"PATH=/not/this/one");
    let d = Dir::new();
    let argv: &[&[u8]] = &[b"binder", b"x", b"env"];
    let out = exec_raw(&d, Some(argv), Some(&envp));
    out.expect(0, "");
    let got: Vec<&[u8]> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(got, envp, "prog's environment");
    // The first PATH decides, even when a later one would have worked.
    let mut envp2: Vec<&[u8]> = vars.iter().map(Vec::as_slice).collect();
    envp2.push(b"PATH=/nowhere");
    envp2.push(b"PATH=/usr/bin:/bin");
    let out = exec_raw(&Dir::new(), Some(argv), Some(&envp2));
    out.expect(127, &fatal("exec env", "No such file or directory"));
}

/// The search buffer's edge (PATH_MAX, 4096 with the NUL): a candidate of
/// 4095 bytes is tried (and runs), one more byte is refused before any
/// execve with what execve would say. The same edge for a prog given with
/// a slash, where the kernel decides.
#[test]
fn search_buffer_edge() {
    let d = Dir::new();
    let max = 4096;
    // "////...///usr/bin" + "/" + "true" + NUL == 4096 bytes.
    let dir = |extra: usize| format!("{}/usr/bin", "/".repeat(max - 1 - 4 - 1 - 8 + extra));
    let fits = dir(0);
    assert_eq!(fits.len() + 1 + 4 + 1, max);
    run(binder(&d, &["x", "true"]).env("PATH", &fits)).expect(0, "");
    run(binder(&d, &["x", "true"]).env("PATH", dir(1)))
        .expect(126, &fatal("exec true", "File name too long"));
    // Found before the overlong entry is reached: no error.
    run(binder(&d, &["x", "true"]).env("PATH", format!("/usr/bin:{}", dir(5000)))).expect(0, "");
    // A prog with a slash goes to the kernel as it is.
    let direct = |n: usize| format!("{}usr/bin/true", "/".repeat(n - 12));
    binder_run(&d, &["x", &direct(max - 1)]).expect(0, "");
    let long = direct(max);
    binder_run(&d, &["x", &long])
        .expect(126, &fatal(&format!("exec {long}"), "File name too long"));
}

/// Words of tens of kilobytes (each under the kernel's 128 KiB per string).
#[test]
fn huge_words() {
    let big = 100_000;
    // A path that long is refused before anything happens (SPEC B1), and
    // the whole of it is in the message.
    let d = Dir::new();
    let path = "p".repeat(big);
    binder_run(&d, &[&path, "/bin/true"]).expect(
        111,
        &fatal(&format!("bind to {path}"), "File name too long"),
    );
    assert!(d.listing().is_empty());
    // Leading zeros by the hundred thousand are still numbers.
    let d = Dir::new();
    let perms = format!("{}700", "0".repeat(big));
    let backlog = format!("{}5", "0".repeat(big));
    binder_run(&d, &["-a", &perms, "-b", &backlog, "x", "/bin/true"]).expect(0, "");
    assert_eq!(mode(&d.join("x")), 0o700);
    // ...but not when they overflow, however long.
    let over = format!("{}4294967296", "0".repeat(big));
    binder_run(&d, &["-b", &over, "y", "/bin/true"]).expect(100, USAGE);
    // A cluster of a hundred thousand toggles: the last one wins.
    let d = Dir::new();
    let cluster = format!("-{}D", "dD".repeat(big / 2));
    binder_run(&d, &[&cluster, "x", "/bin/true"]).expect(0, "");
    assert!(!d.join("x.lock").exists(), "-D was last");
    let bad = format!("-{}x", "d".repeat(big));
    binder_run(&d, &[&bad, "x", "/bin/true"]).expect(100, USAGE);
    // prog's arguments arrive whole.
    let d = Dir::new();
    let a = "a".repeat(big);
    let b = "b".repeat(big);
    let mut args = vec!["x".to_string()];
    args.extend(probe());
    args.extend([a.clone(), b.clone()]);
    let out = binder_run(&d, &args);
    out.expect(0, "");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let argv = r["argv"].as_array().unwrap();
    assert_eq!(argv[argv.len() - 2], a.as_str());
    assert_eq!(argv[argv.len() - 1], b.as_str());
    // A prog name that long is refused with execve's own words, whole.
    let name = "n".repeat(big);
    binder_run(&Dir::new(), &["x", &name])
        .expect(126, &fatal(&format!("exec {name}"), "File name too long"));
}

/// Bytes that are not UTF-8 (and control bytes) in the path, in a PATH
/// entry and in prog found through it: they work, and messages carry them
/// byte for byte.
#[test]
fn non_utf8_everywhere() {
    let d = Dir::new();
    let dir = OsString::from_vec(b"bin\xff\xc3(".to_vec());
    fs::create_dir(d.0.join(&dir)).unwrap();
    let prog = OsString::from_vec(b"pr\xfe\x01og".to_vec());
    let file = d.0.join(&dir).join(&prog);
    fs::write(&file, "#!/bin/sh\necho ran\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).unwrap();
    let path_env = {
        let mut p = b"/nowhere:".to_vec();
        p.extend_from_slice(d.0.join(&dir).as_os_str().as_bytes());
        OsString::from_vec(p)
    };
    let sock = OsString::from_vec(b"s\x80\n\t\x7f.sock".to_vec());
    let out = run(binder(&d, &[sock.clone(), prog.clone()]).env("PATH", &path_env));
    out.expect(0, "");
    assert_eq!(out.stdout(), "ran\n");
    assert!(is_socket(&d.0.join(&sock)));
    // Refusals quote the bytes exactly.
    let taken = OsString::from_vec(b"f\xe9\xff".to_vec());
    fs::write(d.0.join(&taken), "data").unwrap();
    let out = binder_run(&d, &[taken.clone(), "/bin/true".into()]);
    assert_eq!(out.code, Some(111), "{}", out.show());
    assert_eq!(
        out.stderr,
        b"s6-ipcserver-socketbinder: fatal: unable to bind to f\xe9\xff: Address already in use\n",
        "{}",
        out.show()
    );
    let missing = OsString::from_vec(b"gone\xfa".to_vec());
    let out = run(binder(&d, &[OsString::from("y"), missing]).env("PATH", &path_env));
    assert_eq!(out.code, Some(127));
    assert_eq!(
        out.stderr,
        b"s6-ipcserver-socketbinder: fatal: unable to exec gone\xfa: No such file or directory\n"
    );
}
