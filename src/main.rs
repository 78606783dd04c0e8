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

mod exec; // prog: direct execve or PATH search, and the errno policy
mod fit; // release settings the build needs: a missing one stops the build
mod ids; // --owner/--group: the effective ids around bind
mod precheck; // what the long options name, checked before any side effect
mod raw; // origin's entry point, argv/envp, execve, fd numbers — the unsafe fence
mod say; // one-write messages
mod socket; // the socket, umask, lock, stale check, bind, listen

use rustix::io::Errno;
use socketbinder::addr::Addr;
use socketbinder::args::{self, Action, Ext, Opts, flag};
use socketbinder::diag::{self, EXIT_SYSCALL};
use socketbinder::listenfds::{self, FIRST_FD};
use socketbinder::{Args, Env};

use say::Say;
use socket::{Sock, Target};

/// The program, from argv and envp as origin's entry point (`raw`) found
/// them to prog's exec; returns the exit code when it cannot get there.
fn main(argv: Args<'static>, env: Env<'static>) -> i32 {
    let mut say = Say::STDERR;
    let o = match args::parse(argv) {
        Ok(Action::Run(o)) => o,
        Ok(Action::Help) => return say::help(),
        Ok(Action::Version) => return say::version(),
        Err(args::Usage) => return say.usage(),
    };
    let x = o.ext;

    // B1, B4: a path that cannot be bound is refused before any side effect.
    let mut addr = Addr::new();
    if let Err(e) = addr.set(o.path, x.has(flag::ABSTRACT)) {
        return say.fatal(
            EXIT_SYSCALL,
            verb(&x, diag::BIND, diag::BIND_AT),
            o.path.to_bytes(),
            e,
        );
    }

    // Before any side effect: the fd and the directories the long options
    // name (a refusal exits).
    if x.notify_fd.is_some() || x.group.is_some() || x.has(flag::MKDIR) {
        precheck::check(x.notify_fd, x.group, x.flags, &mut addr);
    }

    // --listen-fds: the socket's fd follows the ones passed to us.
    let mut target = Target::Fd0;
    let mut activation = None;
    if x.has(flag::LISTEN_FDS) {
        let pid = raw::pid();
        let n = match listenfds::inherited(env, pid) {
            Ok(n) => n,
            Err(e) => return say.fatal(EXIT_SYSCALL, diag::LISTEN_FDS, b"", e),
        };
        // n < 2^20 (checked by `inherited`): no overflow.
        let fd = FIRST_FD.wrapping_add(n) as i32;
        // The fd --notify-fd names cannot be the socket: a usage error.
        if x.notify_fd == Some(fd) {
            return say.usage();
        }
        precheck::notify_open(x.notify_fd);
        target = Target::Fd(fd);
        activation = Some((n, pid));
    }

    // 1. The socket (on fd 0 unless --listen-fds).
    let sock = match socket::create(o.kind, o.blocking, target) {
        Ok(s) => s,
        Err(e) => return say.fatal(EXIT_SYSCALL, diag::CREATE, b"", e),
    };
    if x.has(flag::PASS_CREDENTIALS | flag::MKDIR) {
        if x.has(flag::PASS_CREDENTIALS) {
            if let Err(e) = socket::pass_credentials(&sock) {
                return say.fatal(EXIT_SYSCALL, diag::PASSCRED, b"", e);
            }
        }
        if x.has(flag::MKDIR) {
            if let Err((e, len)) = socket::make_parents(&mut addr) {
                let dir = addr.name().get(..len).unwrap_or_default();
                return say.fatal(EXIT_SYSCALL, diag::MKDIR, dir, e);
            }
        }
    }

    // 2-5. Bind under the umask that gives the socket its permissions.
    if let Err(e) = bind(&o, &sock, &mut addr, &mut say) {
        return say.fatal(
            EXIT_SYSCALL,
            verb(&x, diag::BIND, diag::BIND_AT),
            addr.name(),
            e,
        );
    }

    // 6. Listen, unless the backlog is 0.
    if let Err(e) = socket::listen(&sock, o.backlog) {
        let listen_to = verb(&x, diag::LISTEN, diag::LISTEN_AT);
        return say.fatal(EXIT_SYSCALL, listen_to, addr.name(), e);
    }

    // --notify-fd: the service is ready, clients can connect.
    if let Some(fd) = x.notify_fd {
        if let Err(e) = raw::notify(fd) {
            return say.notify_failed(fd, e);
        }
    }

    // 7. Exec prog; only a failure returns.
    let e = match activation {
        Some((n, pid)) => exec::exec_listen_fds(o.prog, env, n, pid, x.fdname),
        None => exec::exec(o.prog, env),
    };
    let prog = o.prog.first().map_or(&b""[..], |w| w.to_bytes());
    say.fatal(diag::exec_exit_code(e), diag::EXEC, prog, e)
}

/// A message's words before the name: `bind to @`, `listen to @` before an
/// abstract name. Chosen on the error paths only: the plain flow never pays.
fn verb(x: &Ext<'_>, plain: &'static [u8], abstract_name: &'static [u8]) -> &'static [u8] {
    if x.has(flag::ABSTRACT) {
        abstract_name
    } else {
        plain
    }
}

/// Steps 2 to 5: umask, then (reuse mode) the lock and the stale socket,
/// then bind (as `--owner`/`--group` if given), then the caller's umask
/// again. An abstract name has no file: no umask, lock or removal.
fn bind(o: &Opts<'_>, sock: &Sock, addr: &mut Addr, say: &mut Say) -> Result<(), Errno> {
    let x = &o.ext;
    let umask = (!x.has(flag::ABSTRACT)).then(|| socket::Umask::set(o.perms));
    if o.reuse && !x.has(flag::ABSTRACT) {
        if !x.has(flag::NO_LOCK) {
            let lock = socket::lock(addr)?;
            say.avoid(lock);
        }
        socket::clear_stale(addr, x.has(flag::IF_STALE))?;
    }
    if x.owner.is_some() || x.group.is_some() {
        ids::as_owner(x.owner, x.group, || socket::bind(sock, addr))?;
    } else {
        socket::bind(sock, addr)?;
    }
    if let Some(u) = umask {
        u.restore();
    }
    Ok(())
}
