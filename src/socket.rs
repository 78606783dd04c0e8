//! The socket's life before the exec: created on fd 0 (or the fd socket
//! activation assigns), bound under a umask that sets its permissions,
//! guarded by `path.lock` in reuse mode, listening.
#![forbid(unsafe_code)]

use core::mem::ManuallyDrop;
use rustix::fd::{IntoRawFd, OwnedFd, RawFd};
use rustix::fs::{self, FileType, FlockOperation, Mode, OFlags};
use rustix::io::Errno;
use rustix::net::{self, AddressFamily, SocketFlags, SocketType, sockopt};
use rustix::process;

use socketbinder::addr::Addr;
use socketbinder::args::{Kind, PERMS_MASK};

use crate::raw;

/// The bound socket. Never closed: prog inherits it (no close-on-exec), and
/// an early exit leaves the closing to the kernel.
pub type Sock = ManuallyDrop<OwnedFd>;

/// Where the socket goes.
#[derive(Clone, Copy)]
pub enum Target {
    /// fd 0, as s6: `close(0)` first, and `socket()` takes the lowest fd.
    Fd0,
    /// This fd (`--listen-fds`); fd 0 is left alone.
    Fd(RawFd),
}

/// `socket(AF_UNIX, type [| SOCK_NONBLOCK], 0)` on the target fd. Never
/// close-on-exec.
pub fn create(kind: Kind, blocking: bool, target: Target) -> Result<Sock, Errno> {
    if let Target::Fd0 = target {
        raw::close_fd0();
    }
    let flags = if blocking {
        SocketFlags::empty()
    } else {
        SocketFlags::NONBLOCK
    };
    let fd = net::socket_with(AddressFamily::UNIX, socket_type(kind), flags, None)?;
    let fd = match target {
        Target::Fd0 => fd,
        Target::Fd(n) => raw::move_fd(fd, n)?,
    };
    Ok(ManuallyDrop::new(fd))
}

fn socket_type(kind: Kind) -> SocketType {
    match kind {
        Kind::Stream => SocketType::STREAM,
        Kind::Dgram => SocketType::DGRAM,
        Kind::Seqpacket => SocketType::SEQPACKET,
    }
}

/// `setsockopt(SO_PASSCRED, 1)`: receivers get the sender's credentials.
pub fn pass_credentials(sock: &Sock) -> Result<(), Errno> {
    sockopt::set_socket_passcred(&**sock, true)
}

/// `setsockopt(SO_PASSSEC, 1)`: receivers get the sender's security
/// context (`SCM_SECURITY`).
pub fn pass_security(sock: &Sock) -> Result<(), Errno> {
    sockopt::set_socket_passsec(&**sock, true)
}

/// The caller's umask, saved while ours is in force.
#[must_use = "the caller's umask must be restored before the exec"]
pub struct Umask(Mode);

impl Umask {
    /// `umask(~perms & 0777)`: the socket (mode 0777 at bind) ends up with
    /// exactly `perms`, and the lock file (0600) with `0600 & perms`.
    pub fn set(perms: u32) -> Self {
        Umask(process::umask(Mode::from_raw_mode(!perms & PERMS_MASK)))
    }

    /// `umask(old)`: prog sees the caller's umask.
    pub fn restore(self) {
        let _: Mode = process::umask(self.0);
    }
}

/// Permissions the lock file is created with (before the umask).
const LOCK_MODE: Mode = Mode::from_raw_mode(0o600);

/// Reuse mode's lock: `open("path.lock", O_WRONLY|O_CREAT|O_NONBLOCK|O_CLOEXEC,
/// 0600)` and a non-blocking whole-file write lock (`F_SETLK`, `F_WRLCK`).
/// Held elsewhere: `EBUSY`. The fd stays open, close-on-exec, so the lock
/// lasts until prog starts; the file is never removed (other binders of the
/// same path, ours or s6's, lock the same file). Returns the lock's fd.
#[inline(always)]
pub fn lock(addr: &mut Addr) -> Result<RawFd, Errno> {
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = addr.with_lock_path(|p| fs::open(p, flags, LOCK_MODE))?;
    match fs::fcntl_lock(&fd, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(fd.into_raw_fd()),
        Err(Errno::AGAIN | Errno::ACCESS) => Err(Errno::BUSY),
        Err(e) => Err(e),
    }
}

/// Clears the way for bind (SPEC B2): `lstat(path)`; a socket there is
/// stale (we hold the lock) and is unlinked; anything else — file,
/// directory, symlink, fifo — is left alone and the bind is refused with
/// `EADDRINUSE`. Nothing there, or lstat failing: bind will say why.
/// `--if-stale`: a socket is removed only if no socket is bound to it.
pub fn clear_stale(addr: &Addr, if_stale: bool) -> Result<(), Errno> {
    let Ok(st) = fs::lstat(addr.path()) else {
        return Ok(());
    };
    if FileType::from_raw_mode(st.st_mode) != FileType::Socket {
        return Err(Errno::ADDRINUSE);
    }
    if if_stale && !nobody_bound(addr)? {
        return Err(Errno::ADDRINUSE);
    }
    // A failure here shows up as bind's EADDRINUSE, as in s6.
    let _: Result<(), Errno> = fs::unlink(addr.path());
    Ok(())
}

/// `--if-stale`'s test: a `connect()` from a throw-away *datagram* socket,
/// whatever the socket at the path is. The kernel looks up the socket
/// bound to that file first (`unix_find_bsd()`): none, `ECONNREFUSED`
/// (stale); one of another type, `EPROTOTYPE`; a datagram one, a connect.
/// A probe of the socket's own type could not tell a stale stream socket
/// from one that is bound but not listening yet (another binder's `-b0`, or
/// one between its bind and listen): both refuse. And it never knocks on a
/// live stream server's door (no connection for it to accept). Refused or
/// gone (`ENOENT`): dead. Anything else — a connect, `EPROTOTYPE`, no
/// permission — counts as alive: never remove what might be in use.
fn nobody_bound(addr: &Addr) -> Result<bool, Errno> {
    let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
    let probe = net::socket_with(AddressFamily::UNIX, SocketType::DGRAM, flags, None)?;
    Ok(matches!(
        net::connect(&probe, addr),
        Err(Errno::CONNREFUSED | Errno::NOENT)
    ))
}

/// `bind(fd, {AF_UNIX, path}, exact length)`.
pub fn bind(sock: &Sock, addr: &Addr) -> Result<(), Errno> {
    net::bind(&**sock, addr)
}

/// `listen(fd, backlog)`, skipped for a backlog of 0. The value goes to the
/// kernel as a C int, as in s6 (4294967295 becomes -1, which Linux takes as
/// its maximum).
pub fn listen(sock: &Sock, backlog: u32) -> Result<(), Errno> {
    if backlog == 0 {
        return Ok(());
    }
    net::listen(&**sock, backlog as i32)
}
