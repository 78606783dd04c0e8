//! --abstract, --seqpacket, --if-stale, --mkdir, --no-lock,
//! --pass-credentials: each used the way its consumer uses it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixDatagram, UnixListener, UnixStream};
use std::process::{Command, Stdio};

use crate::common::*;

/// A name no other test (or run) uses in the abstract namespace.
fn unique(tag: &str) -> String {
    format!("s6binder-test-{}-{tag}", std::process::id())
}

/// Whether a socket with that abstract name is bound (from /proc/net/unix).
fn abstract_bound(name: &str) -> bool {
    fs::read_to_string("/proc/net/unix")
        .unwrap()
        .lines()
        .any(|l| l.ends_with(&format!(" @{name}")))
}

#[test]
fn abstract_makes_no_file() {
    let d = Dir::new();
    let name = unique("probe");
    let r = probe_run(&d, &["--abstract"], &name);
    assert_eq!(r["fd0"]["name"], format!("\u{0}{name}"));
    assert_eq!(r["fd0"]["listening"], true);
    assert!(
        d.listing().is_empty(),
        "no socket file, no lock file: {:?}",
        d.listing()
    );
}

#[test]
fn abstract_with_socat() {
    let d = Dir::new();
    let name = unique("socat");
    let server = Killed::spawn(binder(&d, &["--abstract", &name, "s6-ipcserverd", "cat"]));
    wait_for("the abstract socket", || abstract_bound(&name));
    let mut c = Command::new("socat");
    c.args(["-t", "2", "-", &format!("ABSTRACT-CONNECT:{name}")]);
    c.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"over the abstract socket\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "over the abstract socket\n"
    );
    // The same name again while it is in use.
    binder_run(&d, &["--abstract", &name, "/bin/true"]).expect(
        111,
        &fatal(&format!("bind to @{name}"), "Address already in use"),
    );
    drop(server);
    assert!(d.listing().is_empty());
}

#[test]
fn abstract_name_limits() {
    let d = Dir::new();
    let long = "a".repeat(108);
    binder_run(&d, &["--abstract", &long, "/bin/true"]).expect(
        111,
        &fatal(&format!("bind to @{long}"), "File name too long"),
    );
    binder_run(&d, &["--abstract", "", "/bin/true"])
        .expect(111, &fatal("bind to @", "No such file or directory"));
    let ok = format!("{}{}", unique("l"), "b".repeat(107 - unique("l").len()));
    binder_run(&d, &["--abstract", &ok, "/bin/true"]).expect(0, "");
}

#[test]
fn seqpacket_keeps_message_boundaries() {
    let d = Dir::new();
    let server = "import socket\n\
        s = socket.socket(fileno=0); s.setblocking(True)\n\
        c, _ = s.accept()\n\
        print([c.recv(100).decode() for _ in range(3)])\n";
    let child = binder(&d, &["--seqpacket", "q.sock", python(), "-c", server])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let client = "import socket, sys\n\
        c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n\
        c.connect(sys.argv[1])\n\
        for m in (b'one', b'two', b'three'): c.send(m)\n";
    wait_for("q.sock", || is_socket(&d.join("q.sock")));
    let st = Command::new(python())
        .args(["-c", client])
        .arg(d.join("q.sock"))
        .status()
        .unwrap();
    assert!(st.success());
    let out = output_of(child);
    assert_eq!(
        out, "['one', 'two', 'three']\n",
        "three messages, three reads"
    );
    let r = probe_run(&d, &["--seqpacket"], "r.sock");
    assert_eq!(r["fd0"]["type"], "seqpacket");
    // The last of -m, -M, --seqpacket wins.
    let r = probe_run(&d, &["--seqpacket", "-m", "-b0"], "t.sock");
    assert_eq!(r["fd0"]["type"], "dgram");
}

#[test]
fn if_stale_leaves_a_live_server_alone() {
    let d = Dir::new();
    let live = UnixListener::bind(d.join("s.sock")).unwrap();
    binder_run(&d, &["--if-stale", "s.sock", "/bin/true"])
        .expect(111, &fatal("bind to s.sock", "Address already in use"));
    // Still the live one: a client reaches the listener we hold.
    let _c = UnixStream::connect(d.join("s.sock")).unwrap();
    live.accept().unwrap();
    // A live datagram socket too.
    let _dg = UnixDatagram::bind(d.join("d.sock")).unwrap();
    binder_run(&d, &["--if-stale", "d.sock", "/bin/true"])
        .expect(111, &fatal("bind to d.sock", "Address already in use"));
    // Without --if-stale, s6's behaviour: any socket is replaced.
    binder_run(&d, &["s.sock", "/bin/true"]).expect(0, "");
}

#[test]
fn if_stale_replaces_a_dead_socket() {
    let d = Dir::new();
    drop(UnixListener::bind(d.join("s.sock")).unwrap());
    fs::set_permissions(d.join("s.sock"), fs::Permissions::from_mode(0o600)).unwrap();
    binder_run(&d, &["--if-stale", "s.sock", "/bin/true"]).expect(0, "");
    assert_eq!(mode(&d.join("s.sock")), 0o777, "a new socket");
    // A non-socket is never touched, --if-stale or not.
    fs::write(d.join("f"), "data").unwrap();
    binder_run(&d, &["--if-stale", "f", "/bin/true"])
        .expect(111, &fatal("bind to f", "Address already in use"));
    assert_eq!(fs::read(d.join("f")).unwrap(), b"data");
}

#[test]
fn mkdir_creates_the_parents() {
    let d = Dir::new();
    binder_run(&d, &["--mkdir", "a/b/c/s.sock", "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("a/b/c/s.sock")));
    for dir in ["a", "a/b", "a/b/c"] {
        assert_eq!(mode(&d.join(dir)), 0o755, "{dir}");
    }
    // Existing parents are fine; the caller's umask applies to new ones.
    let mut c = Command::new("/bin/sh");
    c.args(["-c", "umask 077; exec \"$@\"", "sh"])
        .args(binder_words(&["--mkdir", "a/x/s.sock", "/bin/true"]));
    run(c.current_dir(&d.0)).expect(0, "");
    assert_eq!(mode(&d.join("a/x")), 0o700);
    // Absolute paths, double slashes.
    let abs = d.join("abs//y/s.sock");
    binder_run(&d, &["--mkdir", abs.to_str().unwrap(), "/bin/true"]).expect(0, "");
    assert!(is_socket(&d.join("abs/y/s.sock")));
    // A parent that is a file: the first directory that cannot be made.
    fs::write(d.join("f"), "").unwrap();
    binder_run(&d, &["--mkdir", "f/g/s.sock", "/bin/true"])
        .expect(111, &fatal("create directory f/g", "Not a directory"));
    // Without --mkdir, s6's behaviour.
    binder_run(&d, &["n/s.sock", "/bin/true"])
        .expect(111, &fatal("bind to n/s.sock", "No such file or directory"));
}

#[test]
fn no_lock_makes_no_side_file() {
    let d = Dir::new();
    drop(UnixListener::bind(d.join("s.sock")).unwrap());
    fs::set_permissions(d.join("s.sock"), fs::Permissions::from_mode(0o600)).unwrap();
    binder_run(&d, &["--no-lock", "s.sock", "/bin/true"]).expect(0, "");
    assert_eq!(
        d.listing(),
        ["s.sock socket 777"],
        "stale socket replaced, no s.sock.lock"
    );
    fs::write(d.join("f"), "data").unwrap();
    binder_run(&d, &["--no-lock", "f", "/bin/true"])
        .expect(111, &fatal("bind to f", "Address already in use"));
    assert!(!d.join("f.lock").exists());
}

#[test]
fn pass_credentials_reach_the_receiver() {
    let d = Dir::new();
    let receiver = "import socket, struct\n\
        s = socket.socket(fileno=0); s.setblocking(True)\n\
        msg, anc, _, _ = s.recvmsg(100, socket.CMSG_SPACE(12))\n\
        creds = [struct.unpack('iII', data) for lvl, typ, data in anc\n\
                 if lvl == socket.SOL_SOCKET and typ == socket.SCM_CREDENTIALS]\n\
        print(msg.decode(), creds)\n";
    for (opts, with) in [
        (&["--pass-credentials", "-m", "-b0"][..], true),
        (&["-m", "-b0"][..], false),
    ] {
        let mut args: Vec<&str> = opts.to_vec();
        args.extend(["c.sock", python(), "-c", receiver]);
        let _ = fs::remove_file(d.join("c.sock"));
        let child = binder(&d, &args).stdout(Stdio::piped()).spawn().unwrap();
        wait_for("c.sock", || is_socket(&d.join("c.sock")));
        let sender = UnixDatagram::unbound().unwrap();
        sender.send_to(b"hello", d.join("c.sock")).unwrap();
        let out = output_of(child);
        let me = std::process::id();
        let uid = fs::metadata("/proc/self")
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
            .unwrap();
        if with {
            assert!(out.starts_with(&format!("hello [({me}, {uid}, ")), "{out}");
        } else {
            assert_eq!(out, "hello []\n");
        }
    }
}
