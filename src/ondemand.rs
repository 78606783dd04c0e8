//! `--on-demand`: after `listen()` (and `--notify-fd`), wait until a
//! socket is readable — a client waiting to be accepted, a datagram queued
//! — then exec prog, which finds that client or datagram there: a heavy
//! daemon starts when it is first used. With `--listen-fds` every socket
//! of the chain so far is watched (the inherited ones, fds 3 to 3+n-1, and
//! ours), so the last binder of a chain starts prog at the first client of
//! any of them. `ppoll` with no timeout; a signal that interrupts it
//! (`EINTR`) only restarts the wait. An inherited fd that is not open
//! (`POLLNVAL`) fails the run with `Bad file descriptor`.
#![forbid(unsafe_code)]

use rustix::event::{PollFd, PollFlags, poll};
use rustix::fd::AsFd;
use rustix::io::Errno;
use socketbinder::listenfds::FIRST_FD;

use crate::raw;
use crate::socket::Sock;

/// The most sockets watched at once: ours and 63 inherited ones (longer
/// `--listen-fds` chains are refused before any side effect).
pub const POLL_MAX: u32 = 64;

/// Waits until `sock` or one of the `n` inherited sockets is readable.
pub fn wait(sock: &Sock, n: u32) -> Result<(), Errno> {
    // Slot 0: ours; slot i: inherited fd 3+i-1 (only the first n+1 slots
    // are given to ppoll).
    let mut fds: [PollFd<'_>; POLL_MAX as usize] = core::array::from_fn(|i| {
        let fd = match i {
            0 => sock.as_fd(),
            _ => raw::inherited_fd((FIRST_FD as usize).wrapping_add(i).wrapping_sub(1) as i32),
        };
        PollFd::from_borrowed_fd(fd, PollFlags::IN)
    });
    let used = (n as usize).saturating_add(1);
    let list = fds.get_mut(..used).ok_or(Errno::TOOBIG)?;
    loop {
        match poll(list, None) {
            Ok(_) => break,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e),
        }
    }
    if list.iter().any(|p| p.revents().contains(PollFlags::NVAL)) {
        return Err(Errno::BADF);
    }
    Ok(())
}
