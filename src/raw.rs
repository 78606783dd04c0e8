//! The unsafe fence of the binary: origin's entry point with its raw
//! argv/envp, execve, the fd-number facts (fd 0 becomes our socket, fds 1
//! and 2 are for messages, `--notify-fd` and `--listen-fds` name fds), the
//! signal mask around `--notify-fd`'s write, and the static storage of the
//! exec paths.
//!
//! # Safety
//!
//! Everything here turns a fact the program guarantees by construction into
//! a type: argv's and envp's pointers become `Args` and `Env` once (the
//! kernel's layout), fd numbers given on the command line become handles
//! only after a range check, `execve` takes `Args`, which a NULL ends
//! (argv or a tail of it), and each static buffer becomes a unique
//! reference once (`Once`, in a process of one thread). The rest of the
//! program forbids `unsafe`.
#![allow(unsafe_code)]

use core::cell::{Cell, UnsafeCell};
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use rustix::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use rustix::io::Errno;
use rustix::process::Signal;
use rustix::runtime::{How, KernelSigSet, kernel_sigprocmask};
use socketbinder::listenfds::Text;
use socketbinder::search;
use socketbinder::{Args, Env, EnvArray, Word};

/// The fd s6 puts the socket on.
pub const SOCKET_FD: RawFd = 0;

/// Called by origin's `_start` with the kernel's argc, argv and envp: they
/// become `Args` and `Env`, borrowed for the life of the process, and go to
/// `main`.
///
/// # Safety
///
/// `argv` must hold `argc` pointers to NUL-terminated strings followed by a
/// NULL; `envp` must be a NULL-terminated array of pointers to
/// NUL-terminated strings; none of it changes while the process runs. The
/// kernel guarantees this.
#[unsafe(no_mangle)]
unsafe fn origin_main(argc: usize, argv: *mut *mut u8, envp: *mut *mut u8) -> i32 {
    // SAFETY: the contract above; argv is on the kernel's stack, never null.
    let args = unsafe { Args::from_raw(argc, NonNull::new_unchecked(argv.cast())) };
    // SAFETY: origin computes `envp` as `argv + argc + 1`, never null, and
    // the kernel puts the environment array there (possibly just its NULL);
    // `Option<Word>` has the layout of a nullable pointer.
    let env = unsafe { Env::from_ptr(NonNull::new_unchecked(envp.cast())) };
    crate::main(args, env)
}

/// `close(0)`: whatever the caller had on fd 0 is not ours to keep; the
/// socket takes its place. Errors (EBADF when it was closed) do not matter.
pub fn close_fd0() {
    // SAFETY: nothing in this program owns fd 0 yet.
    unsafe { rustix::io::close(SOCKET_FD) }
}

/// `dup2(fd, to)` and `close(fd)`: the socket moves to the fd socket
/// activation assigns (whatever was open there is replaced, as the
/// protocol wants). Nothing to do when `socket()` already landed there.
// Out of line: smaller than inlined into main's flow (measured).
#[inline(never)]
pub fn move_fd(fd: OwnedFd, to: RawFd) -> Result<OwnedFd, Errno> {
    if to < 0 {
        return Err(Errno::BADF);
    }
    if fd.as_raw_fd() == to {
        return Ok(fd);
    }
    // SAFETY: `to` is not -1 (checked); the handle is only given to dup2,
    // which makes `to` ours, and is forgotten if dup2 fails.
    let mut target = ManuallyDrop::new(unsafe { OwnedFd::from_raw_fd(to) });
    rustix::io::dup2(&fd, &mut target)?;
    Ok(ManuallyDrop::into_inner(target))
}

/// `--notify-fd`: `write(fd, "\n")` then `close(fd)` (s6's readiness
/// protocol). The fd was inherited for this purpose and is ours to close.
/// SIGPIPE is blocked around the write (`rt_sigprocmask`), so that a pipe
/// whose reader is gone is an `EPIPE` to report, not a silent death with
/// the socket bound; after a successful write the caller's mask is back
/// (no SIGPIPE was raised), so prog's signal state is the caller's. After
/// a failure it stays blocked, with the SIGPIPE pending: the program exits.
/// Inlined into `after_listen` in the default build (out of line there it
/// was 8 bytes larger on x86_64 and 48 on aarch64, measured at 10,760
/// bytes); out of line in the full build.
#[cfg_attr(feature = "full", inline(never))]
pub fn notify(fd: RawFd) -> Result<(), Errno> {
    if fd < 0 {
        return Err(Errno::BADF);
    }
    // SAFETY: `fd` is not -1 (checked); an fd that is not open makes the
    // write fail with EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    let mut pipe = KernelSigSet::empty();
    pipe.insert(Signal::PIPE);
    // SAFETY: no libc in this process, and no handler anywhere: blocking a
    // signal for the length of one write hides nothing from anyone.
    let old = unsafe { kernel_sigprocmask(How::BLOCK, Some(&pipe)) }?;
    rustix::io::write(borrowed, b"\n")?;
    // SAFETY: the mask the caller gave us, as it was.
    unsafe { kernel_sigprocmask(How::SETMASK, Some(&old)) }?;
    // SAFETY: the caller handed this fd over to be written and closed;
    // nothing else in this program uses it.
    unsafe { rustix::io::close(fd) };
    Ok(())
}

/// An fd socket activation passed to us (`--on-demand` watches it).
pub fn inherited_fd(fd: RawFd) -> BorrowedFd<'static> {
    // SAFETY: only read by ppoll, which reports an fd that is not open as
    // POLLNVAL; `fd` is 3 or more (never -1), and nothing here closes it.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

/// `fcntl(fd, F_GETFD)`: whether `fd` is open (`EBADF` if not). For the
/// fds the command line names, before anything could take their number.
pub fn check_open(fd: RawFd) -> Result<(), Errno> {
    if fd < 0 {
        return Err(Errno::BADF);
    }
    // SAFETY: `fd` is not -1 (checked); only its flags are read, and a
    // closed fd makes the call fail with EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    rustix::io::fcntl_getfd(borrowed).map(drop)
}

/// `exit_group(code)`: the run ends here. One out-of-line copy for every
/// step that ends the run itself.
#[cold]
#[inline(never)]
pub fn exit(code: i32) -> ! {
    rustix::runtime::exit_group(code)
}

/// fd 2, for messages.
pub fn stderr() -> BorrowedFd<'static> {
    // SAFETY: writing to fd 2 never closes it; if it is not open the write
    // fails with EBADF and nothing happens.
    unsafe { rustix::stdio::stderr() }
}

/// fd 1, for `--help` and `--version`.
pub fn stdout() -> BorrowedFd<'static> {
    // SAFETY: as for stderr.
    unsafe { rustix::stdio::stdout() }
}

/// Our pid, for `LISTEN_PID` (prog keeps it across the exec).
pub fn pid() -> u32 {
    rustix::process::getpid().as_raw_nonzero().get() as u32
}

/// Storage taken at most once, in `.bss`: no stack, no file bytes.
///
/// The PATH search's candidate (4 KiB) and `--listen-fds`'s new environment
/// (32 KiB of pointers and 4 KiB of text) lived on the stack, and a 48 KiB
/// stack limit killed `--listen-fds` with SIGSEGV; s6 runs in 16 KiB, and
/// of those the kernel gives the arguments, the environment and a random
/// offset of up to 8 KiB before our first instruction. In `.bss` they cost
/// no stack and no file bytes, and a page of memory only when touched (the
/// kernel maps `.bss` at exec: no syscall of ours).
pub struct Once<T> {
    value: UnsafeCell<T>,
    taken: Cell<bool>,
}

// SAFETY: this process has one thread (origin starts none, and neither does
// the program), so `taken` is never read and written at once; the value is
// handed out once (`taken`), as a unique reference, and `Once` gives no
// other access. (A plain flag, not an atomic: on aarch64 an atomic swap
// links compiler-builtins' outline atomics and their `.init_array`, which
// put the whole `.bss` into the file: 52 KB.)
unsafe impl<T> Sync for Once<T> {}

impl<T> Once<T> {
    const fn new(value: T) -> Self {
        Once {
            value: UnsafeCell::new(value),
            taken: Cell::new(false),
        }
    }

    /// The value, the first time; `None` after that (the program asks once
    /// per storage: one PATH search, one environment, per run).
    // A unique reference out of a shared one: that is what `taken` is for.
    #[allow(clippy::mut_from_ref)]
    fn take(&'static self) -> Option<&'static mut T> {
        if self.taken.replace(true) {
            return None;
        }
        // SAFETY: `taken` was false: no other reference to the value has
        // been made, and none will be.
        Some(unsafe { &mut *self.value.get() })
    }
}

/// The PATH search's candidate buffer.
static SEARCH: Once<search::Buf> = Once::new(search::buf());

/// The candidate buffer for the PATH search (`None` if already taken).
pub fn search_buf() -> Option<&'static mut search::Buf> {
    SEARCH.take()
}

/// `--listen-fds`: the new `LISTEN_*` variables and the environment array.
pub struct Activation {
    /// `LISTEN_FDS=…`, `LISTEN_PID=…`, `LISTEN_FDNAMES=…`.
    pub text: Text,
    /// The environment prog gets.
    pub env: EnvArray<'static, MAX_VARS>,
}

/// Most variables `--listen-fds` passes on (execve's own limit is larger).
pub const MAX_VARS: usize = 4096;

static ACTIVATION: Once<Activation> = Once::new(Activation {
    text: Text::new(),
    env: EnvArray::new(),
});

/// `--listen-fds`'s storage (`None` if already taken).
pub fn activation() -> Option<&'static mut Activation> {
    ACTIVATION.take()
}

/// `execve(word, argv, envp)` for prog named by a word of argv: the
/// kernel only needs the pointer, so the word is not measured (the length
/// a `CStr` carries is computed by `strlen`, which LLVM drops when nothing
/// reads it: 19 instructions fewer per run than `Word::to_cstr`).
#[inline(always)]
pub fn execve_word(path: Word<'_>, argv: Args<'_>, env: Env<'_>) -> Errno {
    // SAFETY: a word is a NUL-terminated string, valid and unchanged for
    // its lifetime, which covers this call.
    let path = unsafe { core::ffi::CStr::from_ptr(path.as_ptr().cast()) };
    execve(path, argv, env)
}

/// `execve(path, argv, envp)`; returns only on failure.
pub fn execve(path: &core::ffi::CStr, argv: Args<'_>, env: Env<'_>) -> Errno {
    // SAFETY: `Args` and `Env` are NULL-terminated arrays of pointers to
    // NUL-terminated strings by construction, and `path` is a C string.
    unsafe { rustix::runtime::execve(path, argv.as_ptr(), env.as_ptr()) }
}
