//! Our binder in front of the real consumers: s6-ipcserverd, s6-ipcclient,
//! socat (Debian's `s6` and `socat` packages).

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Waits until a stream socket at `p` accepts a connection.
fn connect_when_ready(p: &std::path::Path, child: &mut Child) -> UnixStream {
    let t = Instant::now();
    loop {
        if let Ok(s) = UnixStream::connect(p) {
            return s;
        }
        if let Some(st) = child.try_wait().unwrap() {
            panic!("server exited early: {st}");
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{} never accepted",
            p.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn need(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).exists()));
    assert!(
        found,
        "{tool} is missing: `make check` installs it (apt-get install s6 socat)"
    );
}

#[test]
fn interop_s6_ipcserverd_round_trips() {
    need("s6-ipcserverd");
    need("s6-ipcclient");
    need("socat");
    let d = Dir::new();
    let mut c = binder(&d, &["-a", "0700", "s.sock", "s6-ipcserverd", "cat"]);
    c.stdout(Stdio::null());
    let mut server = Killed::spawn(c);
    let sock = d.join("s.sock");

    // A raw client.
    let mut s = connect_when_ready(&sock, &mut server.0);
    s.write_all(b"ping\n").unwrap();
    let mut buf = [0u8; 5];
    s.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping\n");
    drop(s);

    // s6's own client: prog gets the connection on fds 6 (read) and 7 (write).
    let out = run(Command::new("s6-ipcclient").args([
        sock.to_str().unwrap(),
        "sh",
        "-c",
        "echo hello through s6 >&7; head -n1 <&6",
    ]));
    out.expect(0, "");
    assert_eq!(out.stdout(), "hello through s6\n");

    // socat.
    let mut c = Command::new("socat");
    c.args(["-t", "2", "-", &format!("UNIX-CONNECT:{}", sock.display())]);
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"hello through socat\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "hello through socat\n",
        "{o:?}"
    );

    drop(server);
}

#[test]
fn interop_datagram_from_socat() {
    need("socat");
    let d = Dir::new();
    let prog = "import socket; s = socket.socket(fileno=0); s.setblocking(True); print(s.recv(100).decode())";
    let server = binder(&d, &["-m", "-b0", "d.sock", python(), "-c", prog])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let sock = d.join("d.sock");
    wait_for("d.sock", || is_socket(&sock));
    let mut c = Command::new("socat");
    c.args(["-u", "-", &format!("UNIX-SENDTO:{}", sock.display())])
        .stdin(Stdio::piped());
    let mut child = c.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"one datagram")
        .unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        output_of(server),
        "one datagram
"
    );
}

#[test]
fn interop_backlog_zero_refuses_connections() {
    need("socat");
    need("s6-ipcclient");
    let d = Dir::new();
    // prog itself tries to connect to the socket it inherited.
    let out = binder_run(
        &d,
        &[
            "-b0",
            "s.sock",
            "socat",
            "-u",
            "/dev/null",
            "UNIX-CONNECT:s.sock",
        ],
    );
    assert_eq!(out.code, Some(1), "{}", out.show());
    assert!(
        out.stderr().contains("Connection refused"),
        "{}",
        out.show()
    );
    let out = binder_run(&d, &["-b0", "t.sock", "s6-ipcclient", "t.sock", "true"]);
    assert_ne!(out.code, Some(0), "{}", out.show());
    assert!(
        out.stderr().contains("Connection refused"),
        "{}",
        out.show()
    );
    // With a backlog, the same connection is queued and succeeds.
    binder_run(
        &d,
        &["u.sock", "socat", "-u", "/dev/null", "UNIX-CONNECT:u.sock"],
    )
    .expect(0, "");
    binder_run(&d, &["v.sock", "s6-ipcclient", "v.sock", "true"]).expect(0, "");
}
