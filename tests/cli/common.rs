//! Running the binder and looking at the results.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const USAGE: &str = "s6-ipcserver-socketbinder: usage: s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...\n";

/// `s6-ipcserver-socketbinder: fatal: unable to WHAT: ERR\n`
pub fn fatal(what: &str, err: &str) -> String {
    format!("s6-ipcserver-socketbinder: fatal: unable to {what}: {err}\n")
}

/// The binary under test: `$BINDER`, else the one cargo built.
pub fn bin() -> PathBuf {
    match std::env::var_os("BINDER") {
        Some(b) if !b.is_empty() => PathBuf::from(b),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_s6-ipcserver-socketbinder")),
    }
}

/// Where Debian's s6 puts its binary, and where our Debian package moves it
/// (`dpkg-divert`, doc/debian.md) while ours is installed.
const S6_PATH: &str = "/usr/bin/s6-ipcserver-socketbinder";
const S6_DIVERTED: &str = "/usr/bin/s6-ipcserver-socketbinder.s6";

/// Debian's s6 binary, the differential tests' reference: at the diverted
/// name when our package is installed, else at s6's own path. Fails if it
/// is missing, or is the very binary under test (our package installed
/// without s6: there is nothing to compare with).
pub fn s6_reference() -> PathBuf {
    let p = [S6_DIVERTED, S6_PATH]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!("{S6_PATH} is missing: `make check` installs Debian's s6 (apt-get install s6)")
        });
    assert_ne!(
        fs::read(&p).unwrap(),
        fs::read(bin()).unwrap(),
        "{} is the binary under test, not s6's: install Debian's s6",
        p.display()
    );
    p
}

/// Words put before the binary (`$BINDER_RUNNER`, e.g. a qemu-user binary).
pub fn runner() -> Vec<OsString> {
    std::env::var("BINDER_RUNNER")
        .unwrap_or_default()
        .split_whitespace()
        .map(OsString::from)
        .collect()
}

/// A fresh directory under the system's temporary directory, removed on drop.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = std::env::temp_dir().join(format!("binder-test-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir(&p).unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
        Dir(p)
    }

    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.0.join(name)
    }

    /// Every entry (recursively), as `name kind mode [content]`, sorted:
    /// what a run left on disk, in one comparable value.
    pub fn listing(&self) -> Vec<String> {
        let mut out = Vec::new();
        list(&self.0, &self.0, &mut out);
        out.sort();
        out
    }
}

fn list(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let md = fs::symlink_metadata(&p).unwrap();
        let name = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
        let ft = md.file_type();
        let mode = md.permissions().mode() & 0o7777;
        let desc = if ft.is_socket() {
            format!("{name} socket {mode:o}")
        } else if ft.is_symlink() {
            format!("{name} symlink -> {}", fs::read_link(&p).unwrap().display())
        } else if ft.is_dir() {
            list(root, &p, out);
            format!("{name} dir {mode:o}")
        } else if ft.is_fifo() {
            format!("{name} fifo {mode:o}")
        } else {
            let content = fs::read(&p).unwrap();
            format!(
                "{name} file {mode:o} {:?}",
                String::from_utf8_lossy(&content)
            )
        };
        out.push(desc);
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What a run did.
pub struct Out {
    pub cmd: String,
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Out {
    fn from(cmd: String, o: Output) -> Out {
        Out {
            cmd,
            code: o.status.code(),
            stdout: o.stdout,
            stderr: as_glibc(o.stderr),
        }
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// The command, status and both outputs, for failure messages.
    pub fn show(&self) -> String {
        format!(
            "command: {}\nexit: {:?}\nstdout: {:?}\nstderr: {:?}",
            self.cmd,
            self.code,
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code and the exact stderr.
    #[track_caller]
    pub fn expect(&self, code: i32, stderr: &str) -> &Self {
        assert_eq!(self.code, Some(code), "wrong exit code\n{}", self.show());
        assert_eq!(self.stderr(), stderr, "wrong stderr\n{}", self.show());
        self
    }
}

/// The binder's full command line: runner words, binary, `args`.
pub fn binder_words<S: AsRef<OsStr>>(args: &[S]) -> Vec<OsString> {
    let mut w = runner();
    w.push(bin().into_os_string());
    w.extend(args.iter().map(|a| a.as_ref().to_owned()));
    w
}

/// A command line for the binder (behind the runner), run in `dir`.
pub fn binder<S: AsRef<OsStr>>(dir: &Dir, args: &[S]) -> Command {
    let words = binder_words(args);
    let mut c = Command::new(&words[0]);
    c.args(&words[1..]).current_dir(&dir.0).stdin(Stdio::null());
    c
}

/// Whether the binder under test was built for a musl target
/// (`BINDER_LIBC=musl`, which tests/recipes.sh sets for such a build): its
/// messages carry musl's strerror texts (SPEC G).
pub fn musl() -> bool {
    std::env::var_os("BINDER_LIBC").is_some_and(|v| v == "musl")
}

/// musl's texts where glibc's differ, by errno (src/diag.rs's
/// `MUSL_TEXTS`, but `ELIBBAD`, which musl has no text for).
const MUSL_TEXTS: &[(i32, &str)] = &[
    (libc::EIO, "I/O error"),
    (libc::ENOMEM, "Out of memory"),
    (libc::EBUSY, "Resource busy"),
    (libc::EXDEV, "Cross-device link"),
    (libc::EMFILE, "No file descriptors available"),
    (libc::ERANGE, "Result not representable"),
    (libc::EDEADLK, "Resource deadlock would occur"),
    (libc::ENAMETOOLONG, "Filename too long"),
    (libc::ELOOP, "Symbolic link loop"),
    (libc::EOVERFLOW, "Value too large for data type"),
    (libc::ENOTSOCK, "Not a socket"),
    (libc::EMSGSIZE, "Message too large"),
    (libc::EOPNOTSUPP, "Not supported"),
    (libc::EADDRINUSE, "Address in use"),
    (libc::EADDRNOTAVAIL, "Address not available"),
    (libc::ENETUNREACH, "Network unreachable"),
    (libc::EISCONN, "Socket is connected"),
    (libc::ENOTCONN, "Socket not connected"),
    (libc::ETIMEDOUT, "Operation timed out"),
    (libc::EINPROGRESS, "Operation in progress"),
    (libc::EDQUOT, "Quota exceeded"),
];

/// A musl build's messages with glibc's texts, the suite's expectations:
/// each `: TEXT` that ends a line. Other output is left as it is.
fn as_glibc(out: Vec<u8>) -> Vec<u8> {
    if !musl() {
        return out;
    }
    let mut out = out;
    for &(e, text) in MUSL_TEXTS {
        let from = format!(": {text}\n").into_bytes();
        let to = format!(": {}\n", crate::rig::strerror(e)).into_bytes();
        let mut done = Vec::with_capacity(out.len());
        let mut rest = &out[..];
        while let Some(i) = rest.windows(from.len()).position(|w| w == from) {
            done.extend_from_slice(&rest[..i]);
            done.extend_from_slice(&to);
            rest = &rest[i + from.len()..];
        }
        done.extend_from_slice(rest);
        out = done;
    }
    out
}

/// Runs `c` to completion.
pub fn run(c: &mut Command) -> Out {
    let cmd = format!("{c:?}");
    let o = c
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"));
    Out::from(cmd, o)
}

/// Runs the binder with `args` in `dir`.
pub fn binder_run<S: AsRef<OsStr>>(dir: &Dir, args: &[S]) -> Out {
    run(&mut binder(dir, args))
}

/// The interpreter for the probe and the small Python progs.
pub fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// The probe's command words: prog reporting what it inherited.
pub fn probe() -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/probe.py");
    vec![python().to_string(), script.to_string_lossy().into_owned()]
}

/// Runs the binder with `opts`, `path` and the probe as prog; returns the
/// probe's report (the run must succeed).
pub fn probe_run(dir: &Dir, opts: &[&str], path: &str) -> serde_json::Value {
    let mut args: Vec<String> = opts.iter().map(|s| s.to_string()).collect();
    args.push(path.to_string());
    args.extend(probe());
    let out = binder_run(dir, &args);
    out.expect(0, "");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", out.show()))
}

/// Mode bits of a path (no symlink following).
pub fn mode(p: &Path) -> u32 {
    fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
}

pub fn is_socket(p: &Path) -> bool {
    fs::symlink_metadata(p)
        .map(|m| m.file_type().is_socket())
        .unwrap_or(false)
}

/// A directory `name` in `d`, mode 2775 (set-group-ID), group `gid`.
pub fn setgid_dir(d: &Dir, name: &str, gid: u32) -> PathBuf {
    let p = d.join(name);
    fs::create_dir(&p).unwrap();
    std::os::unix::fs::chown(&p, None, Some(gid)).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o2775)).unwrap();
    p
}

/// A process this test started, in a process group of its own, killed
/// with its children when the test ends, even by a failed assertion (a
/// server left running would hold the harness's output pipe open).
pub struct Killed(pub std::process::Child);

impl Killed {
    pub fn spawn(mut c: Command) -> Killed {
        use std::os::unix::process::CommandExt;
        Killed(c.process_group(0).spawn().unwrap())
    }
}

impl Drop for Killed {
    fn drop(&mut self) {
        // SAFETY: a plain kill(2) of the group this test started.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

/// Whether the tests run as root (permission cases switch to uid 65534).
pub fn is_root() -> bool {
    // SAFETY-free: read from /proc rather than calling geteuid.
    fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Uid:"))
        .is_some_and(|l| l.split_whitespace().nth(2) == Some("0"))
}

/// Waits until `f` is true: 10 seconds at most, then the test fails.
pub fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let t = std::time::Instant::now();
    while !f() {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// What a child started with a piped stdout printed, once it has exited
/// successfully.
pub fn output_of(mut child: std::process::Child) -> String {
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut out).unwrap();
    let st = child.wait().unwrap();
    assert!(st.success(), "{st}: {out}");
    out
}

/// Bytes of an OsStr, for paths with non-UTF-8 bytes.
pub fn os(b: &[u8]) -> &OsStr {
    OsStr::from_bytes(b)
}
