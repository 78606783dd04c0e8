//! --listen-fds, read by systemd's own Python bindings (Debian's
//! python3-systemd), and --notify-fd, waited for by a real s6-supervise.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// prog: what `systemd.daemon.listen_fds_with_names()` returns, the raw
/// variables, and what each passed fd is.
const CONSUMER: &str = r#"import os, socket
from systemd import daemon
fds = daemon.listen_fds_with_names(False)
print(sorted(fds.items()))
print(os.environ.get('LISTEN_FDS'), os.environ.get('LISTEN_FDNAMES'), os.environ.get('LISTEN_PID') == str(os.getpid()))
for fd in sorted(fds):
    try:
        s = socket.socket(fileno=os.dup(fd))
    except OSError:
        print(fd, 'not a socket')
        continue
    print(fd, s.getsockname(), s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN))
    s.close()
print('fd0', os.path.realpath('/proc/self/fd/0'))
"#;

/// The binder's `words` followed by the consumer as prog.
fn with_consumer(words: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    args.extend(["/usr/bin/python3", "-c", CONSUMER].map(String::from));
    args
}

fn need_python_systemd() {
    let ok = Command::new("/usr/bin/python3")
        .args(["-c", "import systemd.daemon"])
        .status();
    assert!(
        ok.is_ok_and(|s| s.success()),
        "python3-systemd is missing: `make check` installs it (apt-get install python3-systemd)"
    );
}

#[test]
fn listen_fds_read_by_python_systemd() {
    need_python_systemd();
    let d = Dir::new();
    let args = with_consumer(&["--listen-fds", "--fdname=web", "w.sock"]);
    let out = binder_run(&d, &args);
    out.expect(0, "");
    let lines: Vec<&str> = out
        .stdout
        .split(|&b| b == b'\n')
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    assert_eq!(lines[0], "[(3, 'web')]");
    assert_eq!(lines[1], "1 web True");
    assert_eq!(lines[2], "3 w.sock 1");
    assert_eq!(lines[3], "fd0 /dev/null", "fd 0 is left alone");
    // The default name is systemd's.
    let args = with_consumer(&["--listen-fds", "x.sock"]);
    let out = binder_run(&d, &args);
    out.expect(0, "");
    assert!(
        out.stdout()
            .starts_with("[(3, 'unknown')]\n1 unknown True\n"),
        "{}",
        out.stdout()
    );
}

#[test]
fn listen_fds_chain() {
    need_python_systemd();
    let d = Dir::new();
    let second = binder_words(&["--listen-fds", "--fdname", "second", "-m", "-b0", "b.sock"]);
    let second: Vec<String> = second
        .into_iter()
        .map(|w| w.into_string().unwrap())
        .collect();
    let mut words = vec!["--listen-fds", "--fdname", "first", "a.sock"];
    words.extend(second.iter().map(String::as_str));
    let args = with_consumer(&words);
    let out = binder_run(&d, &args);
    out.expect(0, "");
    assert_eq!(
        out.stdout(),
        "[(3, 'first'), (4, 'second')]\n2 first:second True\n3 a.sock 1\n4 b.sock 0\nfd0 /dev/null\n"
    );
}

#[test]
fn listen_fds_of_another_process_are_ignored() {
    need_python_systemd();
    let d = Dir::new();
    let args = with_consumer(&["--listen-fds", "s.sock"]);
    let mut c = binder(&d, &args);
    c.env("LISTEN_PID", "1")
        .env("LISTEN_FDS", "5")
        .env("LISTEN_FDNAMES", "a:b:c:d:e");
    let out = run(&mut c);
    out.expect(0, "");
    assert!(
        out.stdout()
            .starts_with("[(3, 'unknown')]\n1 unknown True\n"),
        "{}",
        out.stdout()
    );
}

/// Runs `binder ARGS` from a shell that first exports `vars` with
/// LISTEN_PID set to its own pid (which the binder inherits with the exec).
fn as_our_pid(d: &Dir, vars: &str, args: &[&str]) -> Out {
    let mut c = Command::new("/bin/sh");
    c.args([
        "-c",
        &format!("export LISTEN_PID=$$ {vars}; exec \"$@\""),
        "sh",
    ]);
    c.args(binder_words(args))
        .current_dir(&d.0)
        .stdin(Stdio::null());
    run(&mut c)
}

#[test]
fn listen_fds_without_names_get_unknown_ones() {
    need_python_systemd();
    let d = Dir::new();
    // Two fds said to be passed (3 and 4: the shell opens them), no names.
    let args = with_consumer(&["--listen-fds", "--fdname=mine", "s.sock"]);
    let mut cmd = Command::new("/bin/sh");
    cmd.args([
        "-c",
        "exec 3</dev/null 4</dev/null; export LISTEN_PID=$$ LISTEN_FDS=2; exec \"$@\"",
        "sh",
    ]);
    cmd.args(binder_words(&args))
        .current_dir(&d.0)
        .stdin(Stdio::null());
    let out = run(&mut cmd);
    out.expect(0, "");
    assert_eq!(
        out.stdout(),
        "[(3, 'unknown'), (4, 'unknown'), (5, 'mine')]\n3 unknown:unknown:mine True\n\
         3 not a socket\n4 not a socket\n5 s.sock 1\nfd0 /dev/null\n"
    );
}

#[test]
fn listen_fds_errors() {
    let d = Dir::new();
    as_our_pid(
        &d,
        "LISTEN_FDS=many",
        &["--listen-fds", "s.sock", "/bin/true"],
    )
    .expect(111, &fatal("use LISTEN_FDS", "Invalid argument"));
    // --notify-fd naming the fd the socket goes to (3 + 0).
    as_our_pid(
        &d,
        "",
        &["--listen-fds", "--notify-fd=3", "s.sock", "/bin/true"],
    )
    .expect(
        100,
        &crate::ext_cli::why("--notify-fd names the socket's fd"),
    );
    assert!(d.listing().is_empty());
    // An environment too large for the fixed storage: E2BIG, not a crash.
    let mut c = binder(&d, &["--listen-fds", "s.sock", "/bin/true"]);
    c.env_clear();
    for i in 0..5000 {
        c.env(format!("V{i}"), "x");
    }
    run(&mut c).expect(126, &fatal("exec /bin/true", "Argument list too long"));
    // A LISTEN_FDNAMES too long for it, likewise.
    let long = "n".repeat(5000);
    as_our_pid(
        &d,
        &format!("LISTEN_FDS=1 LISTEN_FDNAMES={long}"),
        &["--listen-fds", "t.sock", "/bin/true"],
    )
    .expect(126, &fatal("exec /bin/true", "Argument list too long"));
}

/// A supervision tree of our own: s6-svscan on a fresh scan directory.
struct Scan {
    dir: Dir,
    svscan: std::process::Child,
}

impl Scan {
    fn new(run_script: &str, notification_fd: Option<&str>) -> Scan {
        let dir = Dir::new();
        let svc = dir.join("scan/srv");
        fs::create_dir_all(&svc).unwrap();
        fs::write(svc.join("run"), run_script).unwrap();
        fs::set_permissions(svc.join("run"), fs::Permissions::from_mode(0o755)).unwrap();
        if let Some(fd) = notification_fd {
            fs::write(svc.join("notification-fd"), format!("{fd}\n")).unwrap();
        }
        let svscan = Command::new("s6-svscan")
            .arg(dir.join("scan"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Scan { dir, svscan }
    }

    /// `s6-svwait -U -t MS srv`: true when the service reported ready.
    fn wait_up(&self, ms: u32) -> bool {
        let t = Instant::now();
        // s6-svwait needs s6-supervise to have created its control files.
        while !self.dir.join("scan/srv/supervise/control").exists() {
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "s6-supervise never started"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        Command::new("s6-svwait")
            .args(["-U", "-t", &ms.to_string()])
            .arg(self.dir.join("scan/srv"))
            .status()
            .unwrap()
            .success()
    }
}

impl Drop for Scan {
    fn drop(&mut self) {
        let _ = Command::new("s6-svc")
            .arg("-xd")
            .arg(self.dir.join("scan/srv"))
            .status();
        let _ = Command::new("s6-svscanctl")
            .arg("-t")
            .arg(self.dir.join("scan"))
            .status();
        let t = Instant::now();
        while self.svscan.try_wait().ok().flatten().is_none()
            && t.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.svscan.kill();
        let _ = self.svscan.wait();
    }
}

#[test]
fn notify_fd_with_s6_supervise() {
    for tool in [
        "s6-svscan",
        "s6-svwait",
        "s6-svc",
        "s6-svscanctl",
        "s6-ipcserverd",
    ] {
        assert!(
            Command::new("sh")
                .args(["-c", &format!("command -v {tool}")])
                .stdout(Stdio::null())
                .status()
                .unwrap()
                .success(),
            "{tool} is missing: `make check` installs Debian's s6"
        );
    }
    let bin = bin();
    let runner = runner()
        .iter()
        .map(|w| w.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    let script = |notify: &str, sock: &str| {
        format!(
            "#!/bin/sh\nexec {runner} {} {notify} {sock} s6-ipcserverd cat\n",
            bin.display()
        )
    };
    let probe_dir = Dir::new();
    let sock = probe_dir.join("ready.sock");
    let scan = Scan::new(&script("--notify-fd 3", sock.to_str().unwrap()), Some("3"));
    assert!(
        scan.wait_up(10_000),
        "s6-svwait -U never saw the service ready"
    );
    // Ready means clients can connect now, with no retry.
    std::os::unix::net::UnixStream::connect(&sock).expect("ready, so the socket accepts");
    drop(scan);

    // Without --notify-fd, the same service never reports ready.
    let sock2 = probe_dir.join("never.sock");
    let scan = Scan::new(&script("", sock2.to_str().unwrap()), Some("3"));
    assert!(!scan.wait_up(500), "ready without being told");
}

#[test]
fn notify_fd_errors() {
    let d = Dir::new();
    // fd 9 is not open: the service would never be seen ready, so say so.
    binder_run(&d, &["--notify-fd", "9", "s.sock", "/bin/true"]).expect(
        111,
        &fatal("notify readiness to fd 9", "Bad file descriptor"),
    );
    // The newline is written, then the fd closed before prog runs.
    let mut c = Command::new("/bin/sh");
    c.args([
        "-c",
        "exec 5>\"$0\"; exec \"$@\"",
        d.join("note").to_str().unwrap(),
    ]);
    c.args(binder_words(&[
        "--notify-fd",
        "5",
        "t.sock",
        "/bin/sh",
        "-c",
        "test ! -e /proc/self/fd/5",
    ]));
    run(c.current_dir(&d.0)).expect(0, "");
    assert_eq!(fs::read(d.join("note")).unwrap(), b"\n");
}
