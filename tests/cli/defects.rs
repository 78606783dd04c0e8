//! Issue 18, part 1: the defects an adversarial review found in the long
//! options, each pinned by the command line that showed it. Every case here
//! failed on the code before its fix (the commit that fixed it says how).

use std::ffi::OsString;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

use crate::common::*;
use crate::rig::*;

/// The binder with `args` in `d`, after `setup` ran between fork and exec.
fn run_set_up(
    d: &Dir,
    args: &[OsString],
    setup: impl FnMut() -> std::io::Result<()> + Send + Sync + 'static,
) -> Out {
    let mut c = binder(d, args);
    // SAFETY: the closures given here only make system calls (close, dup2,
    // pipe, socket, sigprocmask, signal), as allowed between fork and exec.
    unsafe { c.pre_exec(setup) };
    run(&mut c)
}

fn words(w: &[&str]) -> Vec<OsString> {
    w.iter().map(Into::into).collect()
}

/// `close(fd)` between fork and exec.
fn closing(fd: i32) -> impl FnMut() -> std::io::Result<()> + Send + Sync + 'static {
    move || {
        // SAFETY: close(2) on the child's own fd.
        unsafe { libc::close(fd) };
        Ok(())
    }
}

/// Item 1: `--notify-fd N` with N not open: the lock file took fd N, the newline
/// went into `path.lock`, exit 0. Every fd the command line names is now
/// checked before any side effect: 111, the fd named, nothing created.
#[test]
fn notify_fd_not_open_is_refused_before_any_side_effect() {
    if !direct() {
        return;
    }
    let bad = |fd: &str| {
        fatal(
            &format!("notify readiness to fd {fd}"),
            "Bad file descriptor",
        )
    };
    let d = Dir::new();
    let out = run_set_up(
        &d,
        &words(&["--notify-fd", "3", "s", "/bin/true"]),
        closing(3),
    );
    out.expect(111, &bad("3"));
    assert!(d.listing().is_empty(), "{:?}\n{}", d.listing(), out.show());

    // fd 2 closed: no message can be written, but nothing is created.
    let out = run_set_up(
        &d,
        &words(&["--notify-fd", "2", "s", "/bin/true"]),
        closing(2),
    );
    out.expect(111, "");
    assert!(d.listing().is_empty(), "{:?}\n{}", d.listing(), out.show());

    // --listen-fds leaves fd 0 alone, so it may be named; closed, it is refused.
    let args = words(&["--listen-fds", "--notify-fd", "0", "s", "/bin/true"]);
    let out = run_set_up(&d, &args, closing(0));
    out.expect(111, &bad("0"));
    assert!(d.listing().is_empty(), "{:?}\n{}", d.listing(), out.show());

    // --listen-fds, fd 2 closed and named: refused, silently (no fd 2).
    let args = words(&["--listen-fds", "--notify-fd", "2", "s", "/bin/true"]);
    let out = run_set_up(&d, &args, closing(2));
    out.expect(111, "");
    assert!(d.listing().is_empty(), "{:?}\n{}", d.listing(), out.show());

    // -D, no lock: the same refusal, before the socket exists.
    let out = run_set_up(
        &d,
        &words(&["-D", "--notify-fd", "7", "s", "/bin/true"]),
        closing(7),
    );
    out.expect(111, &bad("7"));
    assert!(d.listing().is_empty(), "{:?}", d.listing());
}

/// Item 1, the other side: an open fd is written and closed, as before.
#[test]
fn notify_fd_open_still_notifies() {
    if !direct() {
        return;
    }
    let d = Dir::new();
    let report = d.join("r");
    let code =
        "import os, sys\nopen(sys.argv[1], 'w').write(str(os.path.exists('/proc/self/fd/3')))";
    let mut args = words(&[
        "--listen-fds",
        "--notify-fd",
        "0",
        "s",
        python(),
        "-c",
        code,
    ]);
    args.push(report.clone().into());
    // fd 0: a pipe whose reader is this test.
    let (r, w) = pipe();
    let out = run_set_up(&d, &args, move || {
        // SAFETY: dup2 and close on the child's own fds.
        unsafe {
            libc::dup2(w, 0);
            libc::close(r);
        }
        Ok(())
    });
    // SAFETY: our own write end, no longer needed here.
    unsafe { libc::close(w) };
    out.expect(0, "");
    let mut buf = [0u8; 4];
    // SAFETY: a read into a local buffer from our own pipe.
    let n = unsafe { libc::read(r, buf.as_mut_ptr().cast(), buf.len()) };
    // SAFETY: our own read end.
    unsafe { libc::close(r) };
    assert_eq!(&buf[..n as usize], b"\n");
    assert_eq!(
        fs::read_to_string(&report).unwrap(),
        "True",
        "the socket at fd 3"
    );
}

/// A pipe, both ends close-on-exec in this process (so that other tests'
/// children do not inherit them).
fn pipe() -> (i32, i32) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two ints.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    (fds[0], fds[1])
}

/// The setgid directory's group (a group no test user is in).
const DIR_GROUP: u32 = 50;

/// Item 2: `--group G` in a set-group-ID directory: the kernel gives the socket
/// the directory's group, so `--group` was silently ignored (group 50 got
/// read-write access, exit 0). Refused before any side effect now.
#[test]
fn group_in_a_setgid_directory_is_refused() {
    if !is_root() {
        eprintln!("group_in_a_setgid_directory_is_refused: needs root (CI runs as root)");
        return;
    }
    let d = Dir::new();
    setgid_dir(&d, "g", DIR_GROUP);
    let msg = "s6-ipcserver-socketbinder: fatal: unable to bind to g/s as group 1001: in a set-group-ID directory\n";
    let out = binder_run(&d, &["--group", "1001", "-a", "0660", "g/s", "/bin/true"]);
    out.expect(111, msg);
    assert_eq!(d.listing(), ["g dir 2775"], "{}", out.show());
    // --no-lock and -D alike.
    for mode in ["--no-lock", "-D"] {
        let out = binder_run(&d, &[mode, "--group", "1001", "g/s", "/bin/true"]);
        out.expect(111, msg);
        assert_eq!(d.listing(), ["g dir 2775"], "{mode}");
    }
    // --mkdir: the directories it would make inherit the bit; the nearest
    // existing one is named, and none is made.
    let out = binder_run(&d, &["--mkdir", "--group", "1001", "g/x/y/s", "/bin/true"]);
    out.expect(
        111,
        "s6-ipcserver-socketbinder: fatal: unable to bind to g/x/y/s as group 1001: in a set-group-ID directory\n",
    );
    assert_eq!(d.listing(), ["g dir 2775"]);
    // A relative path with no directory: `.` is named.
    let out = binder(&d, &["--group", "1001", "s", "/bin/true"])
        .current_dir(d.join("g"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(111));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "s6-ipcserver-socketbinder: fatal: unable to bind to s as group 1001: in a set-group-ID directory\n"
    );
    assert_eq!(d.listing(), ["g dir 2775"]);
}

/// Item 2, the other side: the directory's own group is what the kernel gives,
/// so asking for it works; so does a directory without the bit.
#[test]
fn group_matching_a_setgid_directory_works() {
    if !is_root() {
        return;
    }
    let d = Dir::new();
    setgid_dir(&d, "g", DIR_GROUP);
    let r = probe_run(&d, &["--group", "50", "-a", "0660"], "g/s");
    assert_eq!(r["fd0"]["listening"], true);
    let md = fs::symlink_metadata(d.join("g/s")).unwrap();
    assert_eq!((md.gid(), md.mode() & 0o777), (DIR_GROUP, 0o660));
    // --mkdir below it: the new directories get the bit and group 50 too.
    probe_run(&d, &["--mkdir", "--group", "50"], "g/a/b/s");
    let md = fs::symlink_metadata(d.join("g/a/b/s")).unwrap();
    assert_eq!(md.gid(), DIR_GROUP);
    // No bit on the directory: --group decides.
    fs::set_permissions(d.join("g"), fs::Permissions::from_mode(0o775)).unwrap();
    probe_run(&d, &["--group", "1001"], "g/t");
    assert_eq!(fs::symlink_metadata(d.join("g/t")).unwrap().gid(), 1001);
}

/// Item 3: `--owner`/`--group` change the effective ids for the bind, and the
/// kernel then clears the parent-death signal: prog inherited 0 instead of
/// what the caller set with `prctl(PR_SET_PDEATHSIG)`.
#[test]
fn pdeathsig_survives_owner_and_group() {
    if !is_root() {
        eprintln!("pdeathsig_survives_owner_and_group: needs root (CI runs as root)");
        return;
    }
    for opts in [
        &["--group", "1001"][..],
        &["--owner", "65534"][..],
        &["--owner", "65534", "--group", "1001"][..],
        &[][..],
    ] {
        for (sig, want) in [("SIGTERM", 15), ("SIGKILL", 9)] {
            let d = Dir::new();
            let mut w: Vec<OsString> = words(&["setpriv", &format!("--pdeathsig={sig}")]);
            w.extend(binder_words(opts));
            w.push("s".into());
            w.extend(probe().into_iter().map(OsString::from));
            let out = run(&mut command(&d, &w));
            out.expect(0, "");
            let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(r["pdeathsig"], want, "{opts:?} {sig}\n{}", out.show());
        }
    }
}

/// Item 3, the window: while the ids are switched the kernel has cleared
/// the signal, so a parent that dies then sends nothing. The binder sees
/// its parent changed once the signal is back, and sends it to itself, as
/// the kernel would have: prog never runs. strace holds the switch back
/// (the restoring `setresgid` delayed 500 ms); the parent, a shell, exits
/// as soon as the socket exists, that is during the delay. With the parent
/// alive, prog runs.
#[test]
fn pdeathsig_when_the_parent_dies_during_the_switch() {
    if !is_root() || !direct() {
        return;
    }
    for parent_dies in [true, false] {
        let d = Dir::new();
        let me = bin().display().to_string();
        let run = format!(
            "strace -D -qq -o /dev/null -e trace=setresgid \
             -e inject=setresgid:delay_exit=500000:when=2 \
             setpriv --pdeathsig SIGTERM {me} --group 1001 s /bin/sh -c 'touch ran' &"
        );
        let wait = if parent_dies {
            "while [ ! -S s ]; do sleep 0.01; done"
        } else {
            "wait"
        };
        let st = Command::new("sh")
            .args(["-c", &format!("{run}\n{wait}")])
            .current_dir(&d.0)
            .status()
            .unwrap();
        assert!(st.success());
        // The binder (reparented when its parent died) is done within 1 s.
        wait_for("the socket", || is_socket(&d.join("s")));
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert_eq!(
            d.join("ran").exists(),
            !parent_dies,
            "parent died: {parent_dies}: {:?}",
            d.listing()
        );
    }
}

/// Item 4: `--notify-fd` to a pipe whose reader is gone: SIGPIPE killed the
/// binder, silently, with the socket bound. Now a message and 111.
#[test]
fn notify_to_a_broken_pipe_is_a_message() {
    if !direct() {
        return;
    }
    for opts in [&[][..], &["-D"][..]] {
        let d = Dir::new();
        let mut args = words(opts);
        args.extend(words(&["--notify-fd", "3", "s", "/bin/true"]));
        let out = run_set_up(&d, &args, || {
            let mut fds = [0; 2];
            // SAFETY: the child's own fds; SIGPIPE as a caller leaves it.
            // When fd 3 was free, pipe() put the read end there: dup2 then
            // closed it already, and closing fds[0] would close the writer.
            unsafe {
                libc::pipe(fds.as_mut_ptr());
                libc::dup2(fds[1], 3);
                if fds[0] != 3 {
                    libc::close(fds[0]);
                }
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            }
            Ok(())
        });
        out.expect(111, &fatal("notify readiness to fd 3", "Broken pipe"));
    }
}

/// The signal state a caller may hand over: blocked and ignored signals.
#[derive(Clone, Copy, Debug)]
struct SigState {
    blocked: &'static [i32],
    ignored: &'static [i32],
}

/// Item 4, the successful path: prog gets the caller's blocked and ignored
/// signals, SIGPIPE's included, exactly: the same as when the caller runs
/// prog itself (grep reads them from the kernel; Python would change them
/// at start-up).
#[test]
fn notify_keeps_the_signal_state() {
    if !direct() {
        return;
    }
    let states = [
        SigState {
            blocked: &[],
            ignored: &[],
        },
        SigState {
            blocked: &[libc::SIGPIPE],
            ignored: &[],
        },
        SigState {
            blocked: &[],
            ignored: &[libc::SIGPIPE],
        },
        SigState {
            blocked: &[libc::SIGUSR1, libc::SIGPIPE],
            ignored: &[libc::SIGUSR2],
        },
    ];
    let prog = ["grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status"];
    for st in states {
        let d = Dir::new();
        let mut binder_words = vec!["--notify-fd", "3", "s"];
        binder_words.extend(prog);
        let under_binder = signal_state(binder(&d, &words(&binder_words)), st);
        let mut direct = Command::new(prog[0]);
        direct.args(&prog[1..]);
        let alone = signal_state(direct, st);
        under_binder.expect(0, "");
        assert_eq!(under_binder.stdout(), alone.stdout(), "{st:?}");
        let ign = under_binder.stdout();
        for s in st.ignored {
            assert!(ign.contains(&mask_bit(*s)), "{st:?}: {ign}");
        }
    }
}

/// Runs `c` with stdout piped, fd 3 the write end of a pipe with a reader,
/// and the signal state `st`.
fn signal_state(mut c: Command, st: SigState) -> Out {
    let (r, w) = pipe();
    c.stdout(Stdio::piped());
    // SAFETY: system calls only, on the child's own state.
    unsafe {
        c.pre_exec(move || {
            libc::dup2(w, 3);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for &s in st.blocked {
                libc::sigaddset(&mut set, s);
            }
            libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
            for &s in st.ignored {
                libc::signal(s, libc::SIG_IGN);
            }
            Ok(())
        });
    }
    let out = run(&mut c);
    // SAFETY: our own pipe ends.
    unsafe {
        libc::close(w);
        libc::close(r);
    }
    out
}

/// One signal's bit in a `/proc/PID/status` mask, as its hex digit and the
/// digits after it (enough to find it in the line).
fn mask_bit(sig: i32) -> String {
    let m = format!("{:016x}", 1u64 << (sig - 1));
    m.trim_start_matches('0').to_string()
}

/// Item 5: Errno texts: `--notify-fd` to a socket that is not connected printed
/// `Unknown error 107`; glibc says `Transport endpoint is not connected`.
#[test]
fn notify_to_an_unconnected_socket_says_why() {
    if !direct() {
        return;
    }
    let d = Dir::new();
    let out = run_set_up(&d, &words(&["--notify-fd", "3", "s", "/bin/true"]), || {
        // SAFETY: the child's own fds.
        unsafe {
            let s = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0);
            libc::dup2(s, 3);
        }
        Ok(())
    });
    out.expect(
        111,
        &fatal("notify readiness to fd 3", &strerror(libc::ENOTCONN)),
    );
    assert_eq!(
        strerror(libc::ENOTCONN),
        "Transport endpoint is not connected"
    );
}

/// Item 6: Every mode under a 16 KiB stack limit (`prlimit --stack=16384`), as
/// s6 runs: `--listen-fds` needed about 40 KiB and died with SIGSEGV. The
/// kernel takes the arguments, the environment and a random offset of up
/// to 8 KiB out of those 16 KiB before the first instruction (so glibc's
/// dynamic `true` already fails with a 5 KiB environment): prog here is
/// the binder itself, static, with `--version`, and the environment is
/// chosen. Each run is repeated for the random offset.
#[test]
fn every_mode_runs_in_a_16k_stack() {
    if !direct() {
        return;
    }
    // A PATH directory where prog is found by name.
    let bin_dir = Dir::new();
    std::os::unix::fs::symlink(bin(), bin_dir.join("sb")).unwrap();
    let path = format!("PATH={}", bin_dir.0.display());
    // A big environment: 64 variables, 4 KiB with their pointers.
    let big: Vec<String> = (0..64)
        .map(|i| format!("BIG_{i:02}={}", "v".repeat(50)))
        .collect();
    let me = bin().display().to_string();
    let mut cases: Vec<(Vec<&str>, bool)> = vec![
        (vec!["s", &me, "--version"], false),
        (vec!["-D", "s", &me, "--version"], false),
        (vec!["-m", "-b0", "s", &me, "--version"], false),
        (vec!["--abstract", "defects-16k", &me, "--version"], false),
        (vec!["--listen-fds", "s", &me, "--version"], false),
        (vec!["--listen-fds", "s", &me, "--version"], true),
        (
            vec!["--listen-fds", "--fdname", "x", "s", "sb", "--version"],
            true,
        ),
        (vec!["s", "sb", "--version"], false),
        (vec!["s", "sb", "--version"], true),
        (vec!["--notify-fd", "1", "s", "sb", "--version"], true),
    ];
    if is_root() {
        cases.push((
            vec![
                "--owner",
                "65534",
                "--group",
                "65534",
                "s",
                &me,
                "--version",
            ],
            true,
        ));
    }
    for (args, with_big_env) in cases {
        for _ in 0..16 {
            let d = Dir::new();
            // The environment first (glibc's env and prlimit need more stack
            // than the binder), then the limit.
            let mut w: Vec<OsString> = words(&["env", "-i", &path]);
            if with_big_env {
                w.extend(big.iter().map(OsString::from));
            }
            w.extend(words(&[PRLIMIT, "--stack=16384", "--"]));
            w.extend(binder_words(&args));
            let out = run(&mut command(&d, &w));
            // --notify-fd 1: the newline, then fd 1 is closed for prog.
            let want = if args[0] == "--notify-fd" {
                "\n".to_string()
            } else {
                format!("s6-ipcserver-socketbinder {}\n", env!("CARGO_PKG_VERSION"))
            };
            out.expect(0, "");
            assert_eq!(out.stdout(), want, "{}", out.show());
        }
    }
}

/// util-linux's prlimit (`make deps` installs it), found without PATH.
const PRLIMIT: &str = "/usr/bin/prlimit";

/// Item 7a: `--mkdir d/s/` (a trailing slash) made `d/s` and `d/s/.lock`, then
/// failed. Refused before any side effect now, with bind's own answer.
#[test]
fn mkdir_with_a_trailing_slash_creates_nothing() {
    let d = Dir::new();
    for path in ["d/s/", "d/s//", "s/"] {
        for mode in [&[][..], &["-D"][..], &["--no-lock"][..]] {
            let mut args = vec!["--mkdir"];
            args.extend(mode);
            args.extend([path, "/bin/true"]);
            let out = binder_run(&d, &args);
            out.expect(
                111,
                &fatal(&format!("bind to {path}"), "No such file or directory"),
            );
            assert!(d.listing().is_empty(), "{args:?}: {:?}", d.listing());
        }
    }
}

/// 7b. `--if-stale` took a socket that is bound but not listening (another
/// binder's `-b0`, or one between its bind and listen) for stale, and
/// removed it. Now only a socket nobody holds is.
#[test]
fn if_stale_keeps_a_bound_socket_that_does_not_listen() {
    for holder in [
        &["-b0"][..],
        &["-m", "-b0"][..],
        &["--seqpacket", "-b0"][..],
    ] {
        for ours in [&[][..], &["-m", "-b0"][..], &["--seqpacket"][..]] {
            let d = Dir::new();
            let mut args: Vec<&str> = holder.to_vec();
            args.extend(["h.sock", "sleep", "30"]);
            let mut c = binder(&d, &args);
            c.stdout(Stdio::null());
            let server = Killed::spawn(c);
            let sock = d.join("h.sock");
            // Bound, and the lock released (held until the exec of sleep).
            wait_for("h.sock", || {
                is_socket(&sock)
                    && fs::read_link(format!("/proc/{}/exe", server.0.id()))
                        .is_ok_and(|p| p.ends_with("sleep"))
            });
            let ino = fs::symlink_metadata(&sock).unwrap().ino();
            let mut args: Vec<&str> = vec!["--if-stale"];
            args.extend(ours);
            args.extend(["h.sock", "/bin/true"]);
            let out = binder_run(&d, &args);
            drop(server);
            out.expect(111, &fatal("bind to h.sock", "Address already in use"));
            assert_eq!(
                fs::symlink_metadata(&sock).unwrap().ino(),
                ino,
                "{holder:?} {ours:?}"
            );
        }
    }
    // A socket nobody holds is still stale and replaced.
    let d = Dir::new();
    drop(std::os::unix::net::UnixListener::bind(d.join("x")).unwrap());
    binder_run(&d, &["--if-stale", "x", "/bin/true"]).expect(0, "");
}

/// Item 8: With fd 2 closed and the lock file on fd 2, Debian's s6 writes its
/// fatal message into `path.lock`; ours writes nothing anywhere. A
/// declared difference: the README and the man page say so.
#[test]
fn differential_closed_stderr_and_the_lock_file() {
    if !direct() {
        return;
    }
    let s6 = s6_reference();
    let d = Dir::new();
    let mut c = Command::new(&s6);
    c.args(["s", "/nonexistent/prog"]).current_dir(&d.0);
    // SAFETY: close(2) only.
    unsafe { c.pre_exec(closing(2)) };
    let st = c.status().unwrap();
    assert_eq!(st.code(), Some(127));
    assert_eq!(
        fs::read_to_string(d.join("s.lock")).unwrap(),
        "s6-ipcserver-socketbinder: fatal: unable to exec /nonexistent/prog: No such file or directory\n"
    );
    let d = Dir::new();
    let out = run_set_up(&d, &words(&["s", "/nonexistent/prog"]), closing(2));
    out.expect(127, "");
    assert_eq!(fs::read_to_string(d.join("s.lock")).unwrap(), "");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains("**With fd 2 closed, no message lands in `path.lock`.**"),
        "README: the difference is not listed"
    );
    let man = fs::read_to_string(root.join("s6-ipcserver-socketbinder.8")).unwrap();
    assert!(
        man.contains("With fd 2 closed"),
        "man page: the difference is not listed"
    );
}
