//! `s6-ipcserver-socketbinder [ -d | -D ] [ -b backlog ] [ -M | -m ] [ -a perms ] [ -B ] path prog...`
//!
//! Binds a Unix domain socket to `path` on fd 0, listens, and execs `prog`
//! with the socket inherited. A drop-in replacement for skarnet s6's program;
//! `main` below follows SPEC.md A2 step by step.

#![no_std]
#![no_main]
#![deny(unsafe_code)]

// origin provides `_start`, the panic handler (a trap) and memcpy & co.
extern crate origin;

mod exec; // prog: direct execve or PATH search, and the errno policy
mod raw; // origin's pointers to argv/envp, execve, fd 0 — the unsafe fence
mod say; // one-write messages to fd 2
mod socket; // fd-0 socket, umask, lock, stale check, bind, listen

use socketbinder::addr::Addr;
use socketbinder::args::{self, Opts};
use socketbinder::diag::{self, EXIT_SYSCALL, EXIT_USAGE};
use socketbinder::{Env, Word};

use say::Say;

/// Called by origin's `_start` with the kernel's argc, argv and envp.
///
/// # Safety
///
/// `argv` must hold `argc` pointers to NUL-terminated strings and a NULL;
/// `envp` must be a NULL-terminated array of such pointers; all valid and
/// unchanged for the life of the process. The kernel guarantees this.
#[unsafe(no_mangle)]
#[allow(unsafe_code)]
unsafe fn origin_main(argc: usize, argv: *mut *mut u8, envp: *mut *mut u8) -> i32 {
    // SAFETY: the contract above is `raw::process_args`' contract.
    let (argv, env) = unsafe { raw::process_args(argc, argv, envp) };
    main(argv, env)
}

fn main(argv: &'static [Word<'static>], env: Env<'static>) -> i32 {
    let mut say = Say::STDERR;
    let Ok(o) = args::parse(argv) else {
        return say.usage(EXIT_USAGE);
    };

    // B1, B4: a path that cannot be bound is refused before any side effect.
    let mut addr = Addr::new();
    if let Err(e) = addr.set_path(o.path) {
        return say.fatal(EXIT_SYSCALL, diag::BIND, o.path.to_bytes(), e);
    }

    // 1. The socket lands on fd 0.
    if let Err(e) = socket::create(o.kind, o.blocking) {
        return say.fatal(EXIT_SYSCALL, diag::CREATE, b"", e);
    }

    // 2-5. Bind under the umask that gives the socket its permissions.
    if let Err(e) = bind(&o, &mut addr, &mut say) {
        return say.fatal(EXIT_SYSCALL, diag::BIND, addr.bytes(), e);
    }

    // 6. Listen, unless the backlog is 0.
    if let Err(e) = socket::listen(o.backlog) {
        return say.fatal(EXIT_SYSCALL, diag::LISTEN, addr.bytes(), e);
    }

    // 7. Exec prog; only a failure returns.
    let e = exec::exec(o.prog, env);
    let prog = o.prog.first().map_or(&b""[..], |w| w.to_bytes());
    say.fatal(diag::exec_exit_code(e), diag::EXEC, prog, e)
}

/// Steps 2 to 5: umask, then (reuse mode) the lock and the stale socket,
/// then bind, then the caller's umask again.
fn bind(o: &Opts<'_>, addr: &mut Addr, say: &mut Say) -> Result<(), rustix::io::Errno> {
    let umask = socket::Umask::set(o.perms);
    if o.reuse {
        let lock = socket::lock(addr)?;
        say.avoid(lock);
        socket::clear_stale(addr)?;
    }
    socket::bind(addr)?;
    umask.restore();
    Ok(())
}
