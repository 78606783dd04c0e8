//! The socket's life before the exec: created on fd 0, bound under a umask
//! that sets its permissions, guarded by `path.lock` in reuse mode, listening.

use rustix::fd::{IntoRawFd, RawFd};
use rustix::fs::{self, FileType, FlockOperation, Mode, OFlags};
use rustix::io::Errno;
use rustix::net::{self, AddressFamily, SocketFlags, SocketType};
use rustix::process;

use socketbinder::addr::Addr;
use socketbinder::args::{Kind, PERMS_MASK};

use crate::raw;

/// `close(0)`, then `socket(AF_UNIX, type [| SOCK_NONBLOCK], 0)`, which takes
/// the lowest free fd: 0. Never close-on-exec: prog inherits it.
pub fn create(kind: Kind, blocking: bool) -> Result<(), Errno> {
    raw::close_fd0();
    let type_ = match kind {
        Kind::Stream => SocketType::STREAM,
        Kind::Dgram => SocketType::DGRAM,
    };
    let flags = if blocking {
        SocketFlags::empty()
    } else {
        SocketFlags::NONBLOCK
    };
    let fd = net::socket_with(AddressFamily::UNIX, type_, flags, None)?;
    // Owned by the process from here on (see `raw::socket_fd`).
    let _: RawFd = fd.into_raw_fd();
    Ok(())
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
pub fn clear_stale(addr: &Addr) -> Result<(), Errno> {
    let Ok(st) = fs::lstat(addr.path()) else {
        return Ok(());
    };
    if FileType::from_raw_mode(st.st_mode) != FileType::Socket {
        return Err(Errno::ADDRINUSE);
    }
    // A failure here shows up as bind's EADDRINUSE, as in s6.
    let _: Result<(), Errno> = fs::unlink(addr.path());
    Ok(())
}

/// `bind(0, {AF_UNIX, path}, exact length)`.
pub fn bind(addr: &Addr) -> Result<(), Errno> {
    net::bind(raw::socket_fd(), addr)
}

/// `listen(0, backlog)`, skipped for a backlog of 0. The value goes to the
/// kernel as a C int, as in s6 (4294967295 becomes -1, which Linux takes as
/// its maximum).
pub fn listen(backlog: u32) -> Result<(), Errno> {
    if backlog == 0 {
        return Ok(());
    }
    net::listen(raw::socket_fd(), backlog.cast_signed())
}
