//! The robustness tests' rig (issue 7): private mount namespaces, strace
//! fault injection, start conditions set between fork and exec, and glibc's
//! error texts. Used by `faults.rs`, `hostile.rs` and `safety.rs`; and the
//! one way to run the binder as another user (`lock.rs`).

use std::ffi::{CStr, CString, OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use crate::common::*;

/// glibc's text for `errno`, as Debian's s6 prints it.
pub fn strerror(errno: i32) -> String {
    // SAFETY: strerror returns a valid C string for any int (unknown ones
    // in a thread-local buffer); it is copied out at once.
    unsafe { CStr::from_ptr(libc::strerror(errno)) }
        .to_string_lossy()
        .into_owned()
}

/// The text the binder prints for `errno`: glibc's (its table has every
/// errno the man pages list for its system calls, src/errnos.txt), or
/// `Unknown error N` for errnos glibc does not know either.
pub fn binder_text(errno: i32) -> String {
    let glibc = strerror(errno);
    // A musl build says "No error information" (no number) for an errno
    // musl has no text for: one glibc does not know, and ELIBBAD. Its
    // other texts are read as glibc's (`common::as_glibc`).
    if crate::common::musl() && (errno == libc::ELIBBAD || glibc.starts_with("Unknown error")) {
        return "No error information".into();
    }
    glibc
}

/// The errno named `name` (`"EROFS"`), for strace's `inject=...:error=`.
pub fn errno(name: &str) -> i32 {
    match ERRNOS.iter().find(|(n, _)| *n == name) {
        Some((_, e)) => *e,
        None => panic!("unknown errno {name}"),
    }
}

const ERRNOS: &[(&str, i32)] = &[
    ("EPERM", libc::EPERM),
    ("ENOENT", libc::ENOENT),
    ("EINTR", libc::EINTR),
    ("EIO", libc::EIO),
    ("ENXIO", libc::ENXIO),
    ("E2BIG", libc::E2BIG),
    ("ENOEXEC", libc::ENOEXEC),
    ("EBADF", libc::EBADF),
    ("EAGAIN", libc::EAGAIN),
    ("ENOMEM", libc::ENOMEM),
    ("EACCES", libc::EACCES),
    ("EFAULT", libc::EFAULT),
    ("EBUSY", libc::EBUSY),
    ("EEXIST", libc::EEXIST),
    ("ENODEV", libc::ENODEV),
    ("ENOTDIR", libc::ENOTDIR),
    ("EISDIR", libc::EISDIR),
    ("EINVAL", libc::EINVAL),
    ("ENFILE", libc::ENFILE),
    ("EMFILE", libc::EMFILE),
    ("ETXTBSY", libc::ETXTBSY),
    ("EFBIG", libc::EFBIG),
    ("ENOSPC", libc::ENOSPC),
    ("EROFS", libc::EROFS),
    ("EDEADLK", libc::EDEADLK),
    ("ENAMETOOLONG", libc::ENAMETOOLONG),
    ("ENOLCK", libc::ENOLCK),
    ("ELOOP", libc::ELOOP),
    ("EOVERFLOW", libc::EOVERFLOW),
    ("ELIBBAD", libc::ELIBBAD),
    ("ENOTSOCK", libc::ENOTSOCK),
    ("EPROTONOSUPPORT", libc::EPROTONOSUPPORT),
    ("EOPNOTSUPP", libc::EOPNOTSUPP),
    ("EAFNOSUPPORT", libc::EAFNOSUPPORT),
    ("EADDRINUSE", libc::EADDRINUSE),
    ("EADDRNOTAVAIL", libc::EADDRNOTAVAIL),
    ("ENOBUFS", libc::ENOBUFS),
    ("EDQUOT", libc::EDQUOT),
    ("ECONNREFUSED", libc::ECONNREFUSED),
    ("EPROTOTYPE", libc::EPROTOTYPE),
    ("ETIMEDOUT", libc::ETIMEDOUT),
    ("EINPROGRESS", libc::EINPROGRESS),
];

/// Whether the tests run the binder directly (no `BINDER_RUNNER`): the
/// cases that set up the process between fork and exec (fds, argv, limits,
/// ptrace) need that.
pub fn direct() -> bool {
    runner().is_empty()
}

/// Runs the binder with `args` in `dir` as uid/gid 65534 when the tests run
/// as root (as the current user otherwise, whom the callers' setups deny
/// too). Every test that drops privileges goes through here.
///
/// That user runs a copy of the binary in a fresh directory of mode 0755,
/// not the one under test: a checkout inside a mode-0700 directory (root's
/// home) is out of its reach, and qemu-user, or a shell, opens the binary
/// as that user. (`setpriv` alone happens to exec it with root's
/// capabilities still in effect, which hid this natively.) `make
/// check-private` runs the suite with the binary in a 0700 directory to
/// keep it so. The copy goes when the run is over.
pub fn run_unprivileged(dir: &Dir, args: &[&str]) -> Out {
    let copy = Dir::new();
    let b = copy.join(bin().file_name().unwrap());
    // `install` writes the copy in a process of its own: a write fd of ours
    // could leak into another test's fork and make the exec fail (ETXTBSY).
    let st = Command::new("install")
        .args(["-m", "0755"])
        .arg(bin())
        .arg(&b)
        .status()
        .unwrap();
    assert!(
        st.success(),
        "install {} {}: {st}",
        bin().display(),
        b.display()
    );
    let mut words: Vec<OsString> = Vec::new();
    if is_root() {
        words.extend(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]
            .map(Into::into),
        );
    }
    words.extend(runner());
    words.push(b.into_os_string());
    words.extend(args.iter().map(Into::into));
    run(&mut command(dir, &words))
}

/// Runs `f` on a thread of its own in a new, private mount namespace
/// (`unshare(CLONE_NEWNS)` affects the calling thread only): mounts made
/// there are seen by `f` and the processes it starts, by nothing else, and
/// vanish with the thread. `None` when namespaces are not available (not
/// root, or a sandbox that forbids them).
pub fn in_mount_ns<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|s| {
        s.spawn(|| {
            // SAFETY: plain syscalls on this thread's own state.
            let ok = unsafe {
                libc::unshare(libc::CLONE_NEWNS) == 0
                    && libc::mount(
                        c"none".as_ptr(),
                        c"/".as_ptr(),
                        std::ptr::null(),
                        libc::MS_REC | libc::MS_PRIVATE,
                        std::ptr::null(),
                    ) == 0
            };
            ok.then(f)
        })
        .join()
        .unwrap()
    })
}

/// `mount(2)`, panicking with the errno's text on failure.
pub fn mount(src: &Path, target: &Path, fstype: &str, flags: libc::c_ulong, data: &str) {
    let c = |s: &str| CString::new(s).unwrap();
    let (fstype, data) = (c(fstype), c(data));
    let src = CString::new(src.as_os_str().as_bytes()).unwrap();
    let target = CString::new(target.as_os_str().as_bytes()).unwrap();
    // SAFETY: all pointers are valid C strings for the call.
    let r = unsafe {
        libc::mount(
            src.as_ptr(),
            target.as_ptr(),
            if fstype.is_empty() {
                std::ptr::null()
            } else {
                fstype.as_ptr()
            },
            flags,
            data.as_ptr().cast(),
        )
    };
    let e = std::io::Error::last_os_error();
    assert_eq!(r, 0, "mount {target:?}: {e}");
}

/// `dir` made read-only in the current (private) namespace: a read-only
/// bind mount of itself. The files stay visible everywhere, unchanged.
pub fn read_only(dir: &Path) {
    mount(dir, dir, "", libc::MS_BIND, "");
    mount(
        dir,
        dir,
        "",
        libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY,
        "",
    );
}

/// A tmpfs on `dir` with `inodes` inodes (its root takes one), in the
/// current (private) namespace.
pub fn tiny_tmpfs(dir: &Path, inodes: u32) {
    mount(
        Path::new("tmpfs"),
        dir,
        "tmpfs",
        0,
        &format!("size=64k,nr_inodes={inodes},mode=0755"),
    );
}

/// Fills every free inode under `dir` with empty files `fill.N`; returns
/// how many were made.
pub fn use_up_inodes(dir: &Path) -> usize {
    for n in 0.. {
        if let Err(e) = std::fs::write(dir.join(format!("fill.{n}")), "") {
            assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "{e}");
            return n;
        }
    }
    unreachable!()
}

/// The binder's words under strace with `injections` (each an
/// `inject=` value, e.g. `bind:error=EROFS`). The trace goes to /dev/null:
/// strace is only the fault injector here.
pub fn under_strace<S: AsRef<OsStr>>(injections: &[String], args: &[S]) -> Vec<OsString> {
    traced_to(Path::new("/dev/null"), injections, args)
}

/// As [`under_strace`], with the trace written to `trace`.
pub fn traced_to<S: AsRef<OsStr>>(
    trace: &Path,
    injections: &[String],
    args: &[S],
) -> Vec<OsString> {
    let mut w: Vec<OsString> = vec!["strace".into(), "-qq".into(), "-o".into(), trace.into()];
    for i in injections {
        w.push("-e".into());
        w.push(format!("inject={i}").into());
    }
    w.push("--".into());
    w.extend(binder_words(args));
    w
}

/// A command for `words`, run in `dir`, stdin from /dev/null.
pub fn command(dir: &Dir, words: &[OsString]) -> Command {
    let mut c = Command::new(&words[0]);
    c.args(&words[1..])
        .current_dir(&dir.0)
        .stdin(std::process::Stdio::null());
    c
}

/// The syscalls of a golden trace (tests/golden/NAME.strace), in order:
/// the fault matrices follow the binary's real sequence as it evolves.
pub fn golden_syscalls(name: &str) -> Vec<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.strace"));
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .filter_map(|l| l.split('(').next())
        .filter(|s| !s.is_empty() && !s.starts_with('+'))
        .map(str::to_string)
        .collect()
}

/// The syscalls of one real run of the binder with `args` in `d` (as the
/// golden traces have them: after its own execve, up to prog's), for the
/// sequences no golden trace records (`--if-stale`).
pub fn traced_syscalls(d: &Dir, args: &[&str]) -> Vec<String> {
    let trace = d.join(".trace");
    let out = run(&mut command(d, &traced_to(&trace, &[], args)));
    assert_eq!(out.code, Some(0), "{}", out.show());
    let text = std::fs::read_to_string(&trace).unwrap();
    std::fs::remove_file(&trace).unwrap();
    text.lines()
        .skip(1) // our own execve
        .take_while(|l| !(l.starts_with("execve(") && l.ends_with(" = 0")))
        .filter_map(|l| l.split('(').next())
        .filter(|s| !s.is_empty() && !s.starts_with('+'))
        .map(str::to_string)
        .collect()
}

/// The syscalls of a run that replaces a stale socket with `--if-stale`
/// (probe included), which no golden trace records.
pub fn if_stale_syscalls() -> Vec<String> {
    let d = Dir::new();
    drop(std::os::unix::net::UnixListener::bind(d.join("x")).unwrap());
    traced_syscalls(&d, &["--if-stale", "x", "/bin/true"])
}

/// For each syscall of `calls` and then prog's execve, the `when=` that
/// hits that occurrence (strace counts per syscall, from the first call
/// after the binder's own execve).
pub fn occurrences(calls: &[String]) -> Vec<(String, usize)> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for c in calls.iter().chain(Some(&"execve".to_string())) {
        let n = seen.iter().filter(|(s, _)| s == c).count() + 1;
        seen.push((c.clone(), n));
    }
    seen
}

/// What a run may leave besides what was there: the lock file (empty,
/// `0600 & perms`; kept by design) and a socket at `path`.
#[track_caller]
pub fn only_lock_and_socket_added(before: &[String], after: &[String], path: &str, why: &str) {
    let lock = format!("{path}.lock ");
    let sock = format!("{path} socket ");
    for e in before {
        let replaced_socket = e.starts_with(&sock);
        assert!(
            replaced_socket || after.contains(e),
            "{why}: lost or changed {e:?}\nbefore {before:#?}\nafter {after:#?}"
        );
    }
    for e in after {
        if before.contains(e) {
            continue;
        }
        let ok = e.starts_with(&sock) || (e.starts_with(&lock) && e.ends_with(" \"\""));
        assert!(
            ok,
            "{why}: left {e:?} behind\nbefore {before:#?}\nafter {after:#?}"
        );
    }
}
