//! `bootprobe COMMAND ...` — what the boot scenarios need that busybox and
//! s6 do not give, on the guest's own kernel (tests/boot/scenarios.sh):
//!
//! - `probe`: run as prog; one line per fact: open fds, each socket fd's
//!   type, listening, O_NONBLOCK and FD_CLOEXEC, umask, blocked and ignored
//!   signals (asked of the kernel, and read from /proc/self/status when
//!   /proc is mounted), LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES.
//! - `connect [-a] [-q|-m] [-u ID] ADDR DATA`: a client (`-a` abstract,
//!   `-q` seqpacket, `-m` datagram, `-u` as uid and gid ID): sends DATA,
//!   prints the reply (stream, seqpacket) or `sent`; `errno=N` on failure.
//! - `backlog ADDR`: non-blocking connects, never accepted, until one
//!   fails; prints `connected=K errno=N`.
//! - `recvcred`: receives one datagram on fd 0, prints its data and the
//!   sender's SCM_CREDENTIALS (`pid= uid= gid=`), or `nocred`.
//! - `sigrun [-b SIG]... [-i SIG]... PROG ARG...`: blocks exactly the -b
//!   signals, ignores exactly the -i ones (every other one default), execs.
//! - `con [-x] LABEL PROG ARG...`: runs PROG under another LSM label (a
//!   SELinux context, a SMACK label): writes LABEL to
//!   `/proc/self/attr/current` (SELinux: a dyntransition), or with `-x` to
//!   `/proc/self/attr/exec` (the next execve's), then execs PROG.
//! - `recvsec`: receives one datagram on fd 0, prints its data and the
//!   sender's SCM_SECURITY context (`sec=`), or `nosec`.
//! - `uid ID PROG ARG...`: execs PROG as uid and gid ID (no capabilities).
//! - `getxattr PATH NAME`: prints `NAME=VALUE` (a trailing NUL dropped) of
//!   PATH itself (a symlink not followed), or `errno=N`.

#![no_std]
#![no_main]

extern crate origin;

use core::ffi::CStr;
use core::mem::MaybeUninit;
use rustix::fd::{AsFd, BorrowedFd};
use rustix::io::{self, Errno, FdFlags};
use rustix::net::{
    self, AddressFamily, RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, SendFlags,
    SocketAddrUnix, SocketFlags, SocketType,
};
use rustix::runtime::{self, How, KernelSigSet, KernelSigaction, Signal};

/// Highest fd `probe` looks at.
const MAX_FD: i32 = 256;
/// The kernel's `SIG_IGN` handler value.
const SIG_IGN: usize = 1;
/// Exit code of a failed step.
const FAIL: i32 = 1;
/// Exit code of a bad command line.
const USAGE: i32 = 2;

static mut ARGS: (usize, *mut *mut u8, *mut *mut u8) =
    (0, core::ptr::null_mut(), core::ptr::null_mut());

/// Called by origin's `_start`.
///
/// # Safety
///
/// The kernel's argc, argv and envp.
#[unsafe(no_mangle)]
unsafe fn origin_main(argc: usize, argv: *mut *mut u8, envp: *mut *mut u8) -> i32 {
    // SAFETY: written once, before anything reads it; one thread.
    unsafe { ARGS = (argc, argv, envp) };
    let cmd = arg(1).map(CStr::to_bytes);
    match cmd {
        Some(b"probe") => probe(),
        Some(b"connect") => connect(),
        Some(b"backlog") => backlog(),
        Some(b"recvcred") => recvcred(),
        Some(b"sigrun") => sigrun(),
        Some(b"con") => con(),
        Some(b"recvsec") => recvsec(),
        Some(b"getxattr") => getxattr(),
        Some(b"uid") => uid(),
        _ => {
            out(&[b"usage: bootprobe probe|connect|backlog|recvcred|sigrun|con|recvsec|getxattr|uid ...\n"]);
            USAGE
        }
    }
}

/// argv[i], if there is one.
fn arg(i: usize) -> Option<&'static CStr> {
    // SAFETY: ARGS holds the kernel's argv, valid for the whole run.
    let (argc, argv, _) = unsafe { ARGS };
    if i >= argc {
        return None;
    }
    // SAFETY: i < argc: a valid pointer to a NUL-terminated string.
    Some(unsafe { CStr::from_ptr((*argv.add(i)).cast()) })
}

/// The value of environment variable `name`.
fn getenv(name: &[u8]) -> Option<&'static [u8]> {
    // SAFETY: ARGS holds the kernel's envp, NULL-terminated.
    let (_, _, mut envp) = unsafe { ARGS };
    loop {
        // SAFETY: inside the NULL-terminated array.
        let p = unsafe { *envp };
        if p.is_null() {
            return None;
        }
        // SAFETY: a NUL-terminated string from the kernel.
        let e = unsafe { CStr::from_ptr(p.cast()) }.to_bytes();
        if let Some(v) = e.strip_prefix(name).and_then(|r| r.strip_prefix(b"=")) {
            return Some(v);
        }
        // SAFETY: p was not the terminator.
        envp = unsafe { envp.add(1) };
    }
}

/// Writes the pieces to stdout as one line (the caller adds `\n`).
fn out(pieces: &[&[u8]]) {
    let mut buf = [0u8; 512];
    let mut n = 0;
    for p in pieces {
        for &b in *p {
            if let Some(slot) = buf.get_mut(n) {
                *slot = b;
                n += 1;
            }
        }
    }
    // SAFETY: fd 1 is stdout for the life of the program.
    let fd = unsafe { BorrowedFd::borrow_raw(1) };
    let _ = io::write(fd, buf.get(..n).unwrap_or_default());
}

/// Decimal text of `v` in `buf`.
fn dec(v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut v = v;
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return &buf[i..];
        }
    }
}

fn parse(s: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    if s.is_empty() {
        return None;
    }
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u32::from(c - b'0'))?;
    }
    Some(v)
}

fn fail(what: &[u8], e: Errno) -> i32 {
    let mut b = [0u8; 20];
    out(&[what, b"errno=", dec(e.raw_os_error() as u64, &mut b), b"\n"]);
    FAIL
}

/// fd `n`, borrowed.
fn fd(n: i32) -> BorrowedFd<'static> {
    // SAFETY: only handed to fcntl/getsockopt, which fail with EBADF on a
    // closed fd; never closed here.
    unsafe { BorrowedFd::borrow_raw(n) }
}

/// 16 hex digits, as /proc/self/status prints a signal mask.
fn hex16(v: u64, buf: &mut [u8; 16]) -> &[u8] {
    for (i, slot) in buf.iter_mut().enumerate() {
        let d = ((v >> ((15 - i) * 4)) & 0xf) as u8;
        *slot = if d < 10 { b'0' + d } else { b'a' + d - 10 };
    }
    buf
}

fn probe() -> i32 {
    let mut b = [0u8; 20];
    // Open fds, then each socket's facts.
    let mut line = [0u8; 256];
    let mut n = 0;
    for f in 0..MAX_FD {
        if io::fcntl_getfd(fd(f)).is_ok() {
            for &c in dec(f as u64, &mut b).iter().chain(b",") {
                if let Some(s) = line.get_mut(n) {
                    *s = c;
                    n += 1;
                }
            }
        }
    }
    out(&[
        b"fds=",
        line.get(..n.saturating_sub(1)).unwrap_or_default(),
        b"\n",
    ]);
    for f in 0..MAX_FD {
        let Ok(t) = net::sockopt::socket_type(fd(f)) else {
            continue;
        };
        let t: &[u8] = match t {
            SocketType::STREAM => b"stream",
            SocketType::DGRAM => b"dgram",
            SocketType::SEQPACKET => b"seqpacket",
            _ => b"other",
        };
        let listen = net::sockopt::socket_acceptconn(fd(f)).unwrap_or(false);
        let fl = rustix::fs::fcntl_getfl(fd(f)).unwrap_or(rustix::fs::OFlags::empty());
        let cl = io::fcntl_getfd(fd(f)).unwrap_or(FdFlags::empty());
        let yn = |x: bool| -> &[u8] { if x { b"1" } else { b"0" } };
        out(&[
            b"fd",
            dec(f as u64, &mut b),
            b"=",
            t,
            b" listen=",
            yn(listen),
            b" nonblock=",
            yn(fl.contains(rustix::fs::OFlags::NONBLOCK)),
            b" cloexec=",
            yn(cl.contains(FdFlags::CLOEXEC)),
            b"\n",
        ]);
    }
    let old = rustix::process::umask(rustix::fs::Mode::empty());
    rustix::process::umask(old);
    let mut o = [b'0'; 4];
    let m = old.bits();
    for (i, slot) in o.iter_mut().enumerate() {
        *slot = b'0' + ((m >> ((3 - i) * 3)) & 7) as u8;
    }
    out(&[b"umask=", &o, b"\n"]);
    // Signals, from the kernel directly (works before /proc is mounted).
    let (mut blk, mut ign) = (0u64, 0u64);
    for s in 1..=64u32 {
        let Some(sig) = sig_of(s as i32) else {
            continue;
        };
        let mut one = KernelSigSet::empty();
        one.insert(sig);
        // SAFETY: queries only (no new mask, no new action).
        let cur = unsafe { runtime::kernel_sigprocmask(How::BLOCK, None) };
        if let Ok(cur) = cur
            && cur.contains(sig)
        {
            blk |= 1 << (s - 1);
        }
        // SAFETY: a query (no new action).
        if let Ok(a) = unsafe { runtime::kernel_sigaction(sig, None) }
            && a.sa_handler_kernel.map(|f| f as usize) == Some(SIG_IGN)
        {
            ign |= 1 << (s - 1);
        }
    }
    let (mut h1, mut h2) = ([0u8; 16], [0u8; 16]);
    out(&[
        b"sig=",
        hex16(blk, &mut h1),
        b"/",
        hex16(ign, &mut h2),
        b"\n",
    ]);
    // The same, as /proc/self/status says it (prog reading it itself).
    match proc_sigs() {
        Some((bl, ig)) => out(&[b"proc=", bl, b"/", ig, b"\n"]),
        None => out(&[b"proc=none\n"]),
    }
    // Socket activation.
    let pid_ok = getenv(b"LISTEN_PID").and_then(parse).is_some_and(|p| {
        Some(p)
            == rustix::process::getpid()
                .as_raw_nonzero()
                .get()
                .try_into()
                .ok()
    });
    out(&[
        b"listen_pid=",
        match getenv(b"LISTEN_PID") {
            None => b"unset",
            Some(_) if pid_ok => b"self",
            Some(_) => b"other",
        },
        b" listen_fds=",
        getenv(b"LISTEN_FDS").unwrap_or(b"unset"),
        b" listen_fdnames=",
        getenv(b"LISTEN_FDNAMES").unwrap_or(b"unset"),
        b"\n",
    ]);
    0
}

/// SigBlk and SigIgn from /proc/self/status.
fn proc_sigs() -> Option<(&'static [u8], &'static [u8])> {
    static mut BUF: [u8; 4096] = [0; 4096];
    let f = rustix::fs::open(
        c"/proc/self/status",
        rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .ok()?;
    // SAFETY: one thread, called once.
    let buf: &'static mut [u8; 4096] = unsafe { &mut *core::ptr::addr_of_mut!(BUF) };
    let mut n = 0;
    loop {
        let k = io::read(&f, buf.get_mut(n..)?).ok()?;
        if k == 0 {
            break;
        }
        n += k;
    }
    let text: &'static [u8] = buf.get(..n)?;
    let field = |name: &[u8]| -> Option<&'static [u8]> {
        text.split(|&c| c == b'\n')
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim_ascii())
    };
    Some((field(b"SigBlk:")?, field(b"SigIgn:")?))
}

fn connect() -> i32 {
    let (mut abs, mut ty, mut uid) = (false, SocketType::STREAM, None);
    let mut i = 2;
    while let Some(a) = arg(i) {
        match a.to_bytes() {
            b"-a" => abs = true,
            b"-q" => ty = SocketType::SEQPACKET,
            b"-m" => ty = SocketType::DGRAM,
            b"-u" => {
                i += 1;
                uid = arg(i).and_then(|v| parse(v.to_bytes()));
                if uid.is_none() {
                    return USAGE;
                }
            }
            _ => break,
        }
        i += 1;
    }
    let (Some(addr), Some(data)) = (arg(i), arg(i + 1)) else {
        return USAGE;
    };
    if let Err(code) = uid.map_or(Ok(()), become_id) {
        return code;
    }
    let a = match unix_addr(addr.to_bytes(), abs) {
        Ok(a) => a,
        Err(e) => return fail(b"address ", e),
    };
    let s = match net::socket_with(AddressFamily::UNIX, ty, SocketFlags::CLOEXEC, None) {
        Ok(s) => s,
        Err(e) => return fail(b"socket ", e),
    };
    if ty == SocketType::DGRAM {
        return match net::sendto(&s, data.to_bytes(), SendFlags::empty(), &a) {
            Ok(_) => {
                out(&[b"sent\n"]);
                0
            }
            Err(e) => fail(b"", e),
        };
    }
    if let Err(e) = net::connect(&s, &a) {
        return fail(b"", e);
    }
    if let Err(e) = net::send(&s, data.to_bytes(), SendFlags::empty()) {
        return fail(b"send ", e);
    }
    if ty == SocketType::STREAM {
        let _ = net::shutdown(&s, net::Shutdown::Write);
    }
    let mut buf = [0u8; 256];
    let mut n = 0;
    while let Some(rest) = buf.get_mut(n..) {
        match net::recv(&s, rest, RecvFlags::empty()) {
            Ok((0, _)) => break,
            Ok((k, _)) => {
                n += k;
                if ty == SocketType::SEQPACKET {
                    break;
                }
            }
            Err(e) => return fail(b"recv ", e),
        }
    }
    out(&[b"reply=", buf.get(..n).unwrap_or_default(), b"\n"]);
    0
}

fn unix_addr(name: &[u8], abs: bool) -> Result<SocketAddrUnix, Errno> {
    if abs {
        SocketAddrUnix::new_abstract_name(name)
    } else {
        SocketAddrUnix::new(name)
    }
}

fn backlog() -> i32 {
    let Some(addr) = arg(2) else { return USAGE };
    let a = match unix_addr(addr.to_bytes(), false) {
        Ok(a) => a,
        Err(e) => return fail(b"address ", e),
    };
    let mut b = [0u8; 20];
    // The sockets stay open (leaked) until exit: each holds a queue slot.
    for k in 0u64..1000 {
        let s = match net::socket_with(
            AddressFamily::UNIX,
            SocketType::STREAM,
            SocketFlags::NONBLOCK | SocketFlags::CLOEXEC,
            None,
        ) {
            Ok(s) => s,
            Err(e) => return fail(b"socket ", e),
        };
        if let Err(e) = net::connect(&s, &a) {
            let mut c = [0u8; 20];
            out(&[
                b"connected=",
                dec(k, &mut c),
                b" errno=",
                dec(e.raw_os_error() as u64, &mut b),
                b"\n",
            ]);
            return 0;
        }
        core::mem::forget(s);
    }
    out(&[b"connected=1000+\n"]);
    0
}

fn recvcred() -> i32 {
    let mut data = [0u8; 128];
    let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmCredentials(1))];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let mut iov = [io::IoSliceMut::new(&mut data)];
    let r = match net::recvmsg(fd(0).as_fd(), &mut iov, &mut control, RecvFlags::empty()) {
        Ok(r) => r,
        Err(e) => return fail(b"recvmsg ", e),
    };
    let got = data.get(..r.bytes).unwrap_or_default();
    let mut found = false;
    for m in control.drain() {
        if let RecvAncillaryMessage::ScmCredentials(c) = m {
            let (mut p, mut u, mut g) = ([0u8; 20], [0u8; 20], [0u8; 20]);
            out(&[
                b"data=",
                got,
                b" pid=",
                dec(c.pid.as_raw_nonzero().get() as u64, &mut p),
                b" uid=",
                dec(u64::from(c.uid.as_raw()), &mut u),
                b" gid=",
                dec(u64::from(c.gid.as_raw()), &mut g),
                b"\n",
            ]);
            found = true;
        }
    }
    if !found {
        out(&[b"data=", got, b" nocred\n"]);
    }
    0
}

/// A signal by its usual name (the ones the scenarios use) or number.
fn signal(name: &[u8]) -> Option<Signal> {
    let n = match name {
        b"HUP" => 1,
        b"INT" => 2,
        b"QUIT" => 3,
        b"USR1" => 10,
        b"USR2" => 12,
        b"PIPE" => 13,
        b"ALRM" => 14,
        b"TERM" => 15,
        b"CHLD" => 17,
        _ => parse(name)? as i32,
    };
    sig_of(n)
}

/// Signal number `n` (1 to 64), named or real-time.
fn sig_of(n: i32) -> Option<Signal> {
    match n {
        1..32 => Signal::from_named_raw(n),
        // SAFETY: 32 to 64 are the kernel's real-time signals on every
        // architecture here.
        32..=64 => Some(unsafe { Signal::from_raw_unchecked(n) }),
        _ => None,
    }
}

fn sigrun() -> i32 {
    let (mut blk, mut ign) = (KernelSigSet::empty(), KernelSigSet::empty());
    let mut i = 2;
    loop {
        let set = match arg(i).map(CStr::to_bytes) {
            Some(b"-b") => &mut blk,
            Some(b"-i") => &mut ign,
            _ => break,
        };
        let Some(sig) = arg(i + 1).and_then(|s| signal(s.to_bytes())) else {
            return USAGE;
        };
        set.insert(sig);
        i += 2;
    }
    if arg(i).is_none() {
        return USAGE;
    }
    // Every catchable standard signal: ignored if asked, else default.
    for s in 1..32 {
        let Some(sig) = Signal::from_named_raw(s) else {
            continue;
        };
        if sig == Signal::KILL || sig == Signal::STOP {
            continue;
        }
        let action = KernelSigaction {
            sa_handler_kernel: if ign.contains(sig) {
                runtime::kernel_sig_ign()
            } else {
                runtime::KERNEL_SIG_DFL
            },
            ..KernelSigaction::default()
        };
        // SAFETY: SIG_IGN or SIG_DFL: no handler code runs.
        if let Err(e) = unsafe { runtime::kernel_sigaction(sig, Some(action)) } {
            return fail(b"sigaction ", e);
        }
    }
    // SAFETY: a signal mask; this program installs no handlers.
    if let Err(e) = unsafe { runtime::kernel_sigprocmask(How::SETMASK, Some(&blk)) } {
        return fail(b"sigprocmask ", e);
    }
    exec_from(i)
}

/// execve of argv[i..] (NULL-terminated after argc entries), with our
/// environment; returns only on failure.
fn exec_from(i: usize) -> i32 {
    let Some(prog) = arg(i) else { return USAGE };
    // SAFETY: ARGS holds the kernel's argv (NULL-terminated after argc
    // entries) and envp; i < argc.
    let e = unsafe {
        let (_, argv, envp) = ARGS;
        runtime::execve(prog, argv.add(i).cast(), envp.cast())
    };
    fail(b"exec ", e)
}

fn con() -> i32 {
    let (attr, i) = match arg(2).map(CStr::to_bytes) {
        Some(b"-x") => (c"/proc/self/attr/exec", 3),
        _ => (c"/proc/self/attr/current", 2),
    };
    let Some(label) = arg(i) else { return USAGE };
    let f = match rustix::fs::open(
        attr,
        rustix::fs::OFlags::WRONLY | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    ) {
        Ok(f) => f,
        Err(e) => return fail(b"open attr ", e),
    };
    // The label alone, no newline: SELinux refuses a trailing one.
    if let Err(e) = io::write(&f, label.to_bytes()) {
        return fail(b"write attr ", e);
    }
    drop(f);
    exec_from(i + 1)
}

/// SOL_SOCKET and SCM_SECURITY (asm-generic; the same on every
/// architecture here).
const SOL_SOCKET: i32 = 1;
const SCM_SECURITY: i32 = 3;

fn recvsec() -> i32 {
    let mut data = [0u8; 128];
    // rustix parses no SCM_SECURITY: the control buffer is read by hand
    // (zeroed first, so a zero length ends the walk).
    let mut space = [MaybeUninit::new(0u8); 512];
    let mut control = RecvAncillaryBuffer::new(&mut space);
    let mut iov = [io::IoSliceMut::new(&mut data)];
    let r = match net::recvmsg(fd(0).as_fd(), &mut iov, &mut control, RecvFlags::empty()) {
        Ok(r) => r,
        Err(e) => return fail(b"recvmsg ", e),
    };
    drop(control);
    let got = data.get(..r.bytes).unwrap_or_default();
    // SAFETY: every byte was initialised (zero) and the kernel wrote only
    // bytes into it.
    let raw: &[u8] = unsafe { &*(core::ptr::addr_of!(space) as *const [u8; 512]) };
    // struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type, then
    // the data at the header's size rounded to size_t.
    let w = size_of::<usize>();
    let hdr = (w + 8).next_multiple_of(w);
    let mut at = 0;
    while let Some(h) = raw.get(at..at + hdr) {
        let mut len = [0u8; 8];
        len[..w].copy_from_slice(&h[..w]);
        let len = u64::from_ne_bytes(len) as usize;
        if len < hdr {
            break;
        }
        let level = i32::from_ne_bytes([h[w], h[w + 1], h[w + 2], h[w + 3]]);
        let ty = i32::from_ne_bytes([h[w + 4], h[w + 5], h[w + 6], h[w + 7]]);
        if level == SOL_SOCKET && ty == SCM_SECURITY {
            let v = raw.get(at + hdr..at + len).unwrap_or_default();
            let v = v.strip_suffix(b"\0").unwrap_or(v);
            out(&[b"data=", got, b" sec=", v, b"\n"]);
            return 0;
        }
        at += len.next_multiple_of(w);
    }
    out(&[b"data=", got, b" nosec\n"]);
    0
}

fn getxattr() -> i32 {
    let (Some(path), Some(name)) = (arg(2), arg(3)) else {
        return USAGE;
    };
    let mut buf = [0u8; 256];
    match rustix::fs::lgetxattr(path, name, &mut buf) {
        Ok(n) => {
            let v = buf.get(..n).unwrap_or_default();
            let v = v.strip_suffix(b"\0").unwrap_or(v);
            out(&[name.to_bytes(), b"=", v, b"\n"]);
            0
        }
        Err(e) => fail(b"", e),
    }
}

/// uid and gid `id`, no supplementary groups: root's capabilities go.
fn become_id(id: u32) -> Result<(), i32> {
    // Group first: after setresuid a non-root uid cannot change it.
    let (g, u) = (
        rustix::process::Gid::from_raw(id),
        rustix::process::Uid::from_raw(id),
    );
    rustix::thread::set_thread_groups(&[]).map_err(|e| fail(b"setgroups ", e))?;
    rustix::thread::set_thread_res_gid(g, g, g).map_err(|e| fail(b"setresgid ", e))?;
    rustix::thread::set_thread_res_uid(u, u, u).map_err(|e| fail(b"setresuid ", e))
}

fn uid() -> i32 {
    let Some(id) = arg(2).and_then(|v| parse(v.to_bytes())) else {
        return USAGE;
    };
    if let Err(code) = become_id(id) {
        return code;
    }
    exec_from(3)
}
