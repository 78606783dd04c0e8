//! `s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...`
//!
//! Binds a Unix domain socket to `path` on fd 0, listens, and execs `prog`
//! with the socket inherited. A drop-in replacement for skarnet s6's program;
//! `main` below follows SPEC.md A2 step by step, with the long options of
//! part C as optional steps that an s6 command line never takes.

#![no_std]
#![no_main]
// `unsafe` lives in `raw` alone (origin's entry point and pointers, execve,
// fd numbers); every other module forbids it.
#![deny(unsafe_code)]

// origin provides `_start`, the panic handler (a trap) and memcpy & co.
extern crate origin;

mod at; // openat and fstatat for part F, out of line
mod dirs; // --mkdir: parents made with their mode, owner and group
mod exec; // prog: direct execve or PATH search, and the errno policy
mod fit; // release settings the build needs: a missing one stops the build
mod ids; // --owner/--group: the effective ids around bind
mod ondemand; // --on-demand: wait for the first client before the exec
mod precheck; // what the long options name, checked before any side effect
mod raw; // origin's entry point, argv/envp, execve, fd numbers — the unsafe fence
mod say; // one-write messages
mod selinux; // --selinux-context, --selinux-file-context: /proc/thread-self/attr
mod smack; // --smack-ipin, --smack-ipout: the socket's SMACK labels
mod socket; // the socket, umask, lock, stale check, bind, listen
mod symlink; // --symlink: links to the socket, made atomically
mod userdb; // names for --owner & co: /etc/passwd and /etc/group

use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::{self, Action, Ext, Opts, PART_F, flag};
use socketbinder::diag::{self, EXIT_SYSCALL};
use socketbinder::listenfds::{self, FIRST_FD};
use socketbinder::names::Id;
use socketbinder::{Args, Env, Word};

use say::Say;
use socket::{Sock, Target};

/// The program, from argv and envp as origin's entry point (`raw`) found
/// them to prog's exec; returns the exit code when it cannot get there.
fn main(argv: Args<'static>, env: Env<'static>) -> i32 {
    let mut say = Say::STDERR;
    // The long options' values: only a command line with some has them.
    let mut ext = None;
    let o = match args::parse(argv, &mut ext) {
        Ok(Action::Run(o)) => o,
        Ok(Action::Help) => return say::help(),
        Ok(Action::Version) => return say::version(),
        Err(args::Usage) => return say.usage(ext.as_ref().and_then(|x| x.why.as_ref())),
    };

    // B1, B4: a path that cannot be bound is refused before any side effect.
    let mut addr = Addr::new();
    if let Err(e) = addr.set(o.path, o.has(flag::ABSTRACT)) {
        let bind_to = verb(&o, diag::BIND_AT);
        return say.fatal(EXIT_SYSCALL, bind_to, o.path.to_bytes(), e);
    }

    // Part C and F before the socket: names looked up and links checked
    // (before any side effect), --listen-fds's fd, the socket's context.
    // A failure in these steps ends the run there (`stop`).
    let mut target = Target::Fd0;
    let mut activation = None;
    if o.has(flag::BEFORE_SOCKET) {
        activation = before_socket(&o, &mut ext, env, &mut addr);
        if let Some(a) = activation {
            target = Target::Fd(FIRST_FD.wrapping_add(a.0) as i32);
        }
    }

    // 1. The socket (on fd 0 unless --listen-fds).
    let sock = match socket::create(o.kind, o.blocking, target) {
        Ok(s) => s,
        Err(e) => return say.fatal(EXIT_SYSCALL, diag::CREATE, b"", e),
    };
    // Part C and F: the socket's options and labels, the parent directories.
    if o.has(flag::AFTER_SOCKET) {
        after_socket(&o, &ext, &sock, &mut addr);
    }

    // 2-5. Bind under the umask that gives the socket its permissions.
    if let Err(e) = bind(&o, &ext, &sock, &mut addr, &mut say) {
        let bind_to = verb(&o, diag::BIND_AT);
        return say.fatal(EXIT_SYSCALL, bind_to, addr.name(), e);
    }

    // 6. Listen, unless the backlog is 0.
    if let Err(e) = socket::listen(&sock, o.backlog) {
        let listen_to = verb(&o, diag::LISTEN_AT);
        return say.fatal(EXIT_SYSCALL, listen_to, addr.name(), e);
    }

    // Part C and F after listen: readiness, then the wait for a client.
    if o.has(flag::AFTER_LISTEN) {
        let n = activation.map_or(0, |(n, _)| n);
        after_listen(&o, &ext, &sock, n, &say, &addr);
    }

    // 7. Exec prog; only a failure returns.
    let e = match activation {
        Some((n, pid)) => {
            let fdname = ext.as_ref().and_then(|x| x.fdname);
            exec::exec_listen_fds(o.prog, env, n, pid, fdname)
        }
        None => exec::exec(o.prog, env),
    };
    let prog = o.prog.first().map_or(&b""[..], |w| w.to_bytes());
    say.fatal(diag::exec_exit_code(e), diag::EXEC, prog, e)
}

/// A step of part C or F failed: `PROG: fatal: unable to WHAT OBJ: ERR`,
/// exit 111. One out-of-line exit for every such step, rather than a
/// `Result` carried back to `main` through each of them. Its arguments
/// fit in registers (six words on x86_64): no `Fail` built in memory.
#[cold]
#[inline(never)]
pub fn stop(say: &Say, what: &'static [u8], obj: &[u8], e: Errno) -> ! {
    raw::exit(say.fatal(EXIT_SYSCALL, what, obj, e))
}

/// What a step reports when it fails: the words before the object
/// (`diag::*`), the object (a label, a link, a file, the socket's name or
/// a parent directory's, or nothing), and the error.
pub type Fail<'a> = (&'static [u8], &'a [u8], Errno);

/// Before `socket()`: symlinks checked, names looked up, the fd and the
/// directories the long options name checked (no side effect yet), then
/// `--listen-fds`'s count, `--selinux-file-context` tried, then
/// `--selinux-context` written right before the socket exists. Returns `--listen-fds`'s
/// inherited count and our pid. Out of line: an s6 command line never
/// comes here.
#[cfg_attr(feature = "full", cold, inline(never))]
fn before_socket(
    o: &Opts<'static>,
    ext: &mut Option<Ext<'static>>,
    env: Env<'static>,
    addr: &mut Addr,
) -> Option<(u32, u32)> {
    let say = &Say::STDERR;
    let x = ext.as_mut()?;
    if PART_F {
        if let Err((what, obj, e)) = symlink::check(x, addr) {
            stop(say, what, obj, e);
        }
        userdb::resolve(x);
    }
    // The fd and the directories the long options name (a refusal exits;
    // nothing to check without `--notify-fd`, `--group` or `--mkdir`).
    precheck::check(x.notify_fd, x.group.and_then(Id::num), o.flags, addr);
    if o.has(flag::MKDIR) {
        if let Some(gid) = x.dir_group().and_then(Id::num) {
            precheck::dir_group(addr, gid);
        }
    }
    let mut activation = None;
    if o.has(flag::LISTEN_FDS) {
        let pid = raw::pid();
        // --on-demand watches every socket of the chain, in fixed storage.
        let n = match listenfds::inherited(env, pid) {
            Ok(n) if PART_F && o.has(flag::ON_DEMAND) && n >= ondemand::POLL_MAX => {
                Err(Errno::TOOBIG)
            }
            r => r,
        };
        let n = match n {
            Ok(n) => n,
            Err(e) => stop(say, diag::LISTEN_FDS, b"", e),
        };
        // n < 2^20 (checked by `inherited`): no overflow. The fd
        // --notify-fd names cannot be the socket: a usage error.
        if x.notify_fd == Some(FIRST_FD.wrapping_add(n) as i32) {
            raw::exit(say.usage(Some(&args::NOTIFY_IS_SOCKET)));
        }
        precheck::notify_open(x.notify_fd);
        activation = Some((n, pid));
    }
    // The file's context is tried now (set, then cleared), so that one
    // the kernel refuses fails the run before --mkdir and the lock file.
    file_context(x, x.selinux_file(), say);
    file_context(x, None, say);
    if x.selinux().is_some() {
        selinux::set(&selinux::SOCKCREATE, x.selinux(), say);
    }
    activation
}

/// Right after `socket()`: the socket's context cleared for what comes
/// next, SO_PASSCRED, SO_PASSSEC, the SMACK labels, then the parent
/// directories. Out of line: an s6 command line never comes here.
#[cfg_attr(feature = "full", cold, inline(never))]
fn after_socket(o: &Opts<'_>, ext: &Option<Ext<'static>>, sock: &Sock, addr: &mut Addr) {
    let Some(x) = ext else { return };
    if let Err((what, obj, e)) = socket_options(o, x, sock, addr) {
        stop(&Say::STDERR, what, obj, e);
    }
}

/// `after_socket`'s steps.
fn socket_options(
    o: &Opts<'_>,
    x: &Ext<'static>,
    sock: &Sock,
    addr: &mut Addr,
) -> Result<(), Fail<'static>> {
    if x.selinux().is_some() {
        selinux::set(&selinux::SOCKCREATE, None, &Say::STDERR);
    }
    if o.has(flag::PASS_CREDENTIALS) {
        socket::pass_credentials(sock).map_err(|e| (diag::PASSCRED, &b""[..], e))?;
    }
    if PART_F && o.has(flag::PASS_SECURITY) {
        socket::pass_security(sock).map_err(|e| (diag::PASSSEC, &b""[..], e))?;
    }
    if PART_F {
        smack::label(sock, x.smack_in(), x.smack_out())?;
    }
    if o.has(flag::MKDIR) {
        dirs::make_parents(addr, x);
    }
    Ok(())
}

/// Steps 2 to 5: umask, then (reuse mode) the lock and the stale socket,
/// then bind (with part C and F's owner, group, file context and links),
/// then the caller's umask again. An abstract name has no file: no umask,
/// lock or removal.
fn bind(
    o: &Opts<'_>,
    ext: &Option<Ext<'static>>,
    sock: &Sock,
    addr: &mut Addr,
    say: &mut Say,
) -> Result<(), Errno> {
    let umask = (!o.has(flag::ABSTRACT)).then(|| socket::Umask::set(o.perms));
    if o.reuse && !o.has(flag::ABSTRACT) {
        if !o.has(flag::NO_LOCK) {
            let lock = socket::lock(addr)?;
            say.avoid(lock);
        }
        socket::clear_stale(addr, o.has(flag::IF_STALE))?;
    }
    // AROUND_BIND comes with the long options' values.
    if let (true, Some(x)) = (o.has(flag::AROUND_BIND), ext) {
        bind_as(x, sock, addr, say)?;
    } else {
        socket::bind(sock, addr)?;
    }
    if let Some(u) = umask {
        u.restore();
    }
    Ok(())
}

/// Part C and F around `bind()`: the file's SELinux context set before and
/// cleared after, the owner and group (`ids`), then the symlinks.
/// Out of line: an s6 command line never comes here.
#[cfg_attr(feature = "full", cold, inline(never))]
fn bind_as(x: &Ext<'static>, sock: &Sock, addr: &mut Addr, say: &Say) -> Result<(), Errno> {
    // Numbers: `before_socket` replaced every name.
    let (owner, group) = (x.owner.and_then(Id::num), x.group.and_then(Id::num));
    file_context(x, x.selinux_file(), say);
    // Without part F only --owner and --group call for this step (and
    // with neither, `as_owner` would just bind, after two `get*id`).
    let bound = if !PART_F || owner.is_some() || group.is_some() {
        ids::as_owner(owner, group, ids::Make::Bind(sock, addr))
    } else {
        socket::bind(sock, addr)
    };
    file_context(x, None, say);
    bound?;
    if PART_F {
        if let Err((what, obj, e)) = symlink::make(x, addr) {
            stop(say, what, obj, e);
        }
    }
    Ok(())
}

/// `--selinux-file-context`: the next file's context set (`ctx`) or
/// cleared (`None`) around `bind()`, if the option is given.
#[inline(never)]
fn file_context(x: &Ext<'static>, ctx: Option<Word<'static>>, say: &Say) {
    if x.selinux_file().is_some() {
        selinux::set(&selinux::FSCREATE, ctx, say);
    }
}

/// After `listen()`: `--notify-fd` (the service is ready, clients can
/// connect), then `--on-demand` (prog starts with its first client).
/// Cold in the full build (its blocks laid aside: an s6 command line never
/// comes here) but inlined into `main`: out of line it was 80 bytes larger
/// on x86_64, and the plain flow 3 instructions longer.
#[cfg_attr(feature = "full", cold)]
fn after_listen(
    o: &Opts<'_>,
    ext: &Option<Ext<'static>>,
    sock: &Sock,
    n: u32,
    say: &Say,
    addr: &Addr,
) {
    let Some(x) = ext else { return };
    if let Some(fd) = x.notify_fd {
        if let Err(e) = raw::notify(fd) {
            raw::exit(say.notify_failed(fd, e));
        }
    }
    if PART_F && o.has(flag::ON_DEMAND) {
        if let Err(e) = ondemand::wait(sock, n) {
            stop(say, diag::WAIT, addr.name(), e);
        }
    }
}

/// A message's words before the name: `bind to @`, `listen to @` before an
/// abstract name, and without the `@` before a path (`diag::BIND`,
/// `diag::LISTEN`: one text for both). Chosen on the error paths only: the
/// plain flow never pays.
fn verb(o: &Opts<'_>, abstract_name: &'static [u8]) -> &'static [u8] {
    match abstract_name.split_last() {
        Some((_, plain)) if !o.has(flag::ABSTRACT) => plain,
        _ => abstract_name,
    }
}
