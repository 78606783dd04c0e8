//! Exec prog, as skalibs' `xexec`: one execve when prog contains a slash,
//! else a PATH search (see `socketbinder::search` for the policy).
#![forbid(unsafe_code)]

use rustix::io::Errno;
use socketbinder::listenfds::{self, Text};
use socketbinder::search::{self, Next};
use socketbinder::{Args, Env, EnvArray, Word};

use crate::raw;

/// Execs `prog[0]` with argv `prog` and the environment `env`. Returns
/// only on failure, with the errno that decides the message and exit code.
// Inlined into its two callers: the direct exec is a handful of
// instructions, and prog and env are already in the caller's registers
// (6 instructions fewer per run, 40 bytes more).
#[inline(always)]
pub fn exec(prog: Args<'_>, env: Env<'_>) -> Errno {
    let Some(name) = prog.first() else {
        return Errno::NOENT;
    };
    if search::has_slash(name) {
        return raw::execve_word(name, prog, env);
    }
    search_path(name, prog, env)
}

/// The PATH search: each `dir/prog` in turn, skalibs' errno policy. Out of
/// line, with the 4 KB candidate buffer on its own stack frame, so that the
/// direct exec (every s6 caller gives an absolute path) pays neither for
/// the buffer's stack probe nor for the saved registers.
#[inline(never)]
fn search_path(name: Word<'_>, prog: Args<'_>, env: Env<'_>) -> Errno {
    let path = env.get(b"PATH").unwrap_or(search::DEFAULT_PATH);
    let mut dirs = search::Candidates::new(path);
    let mut buf = search::buf();
    let mut err = Errno::NOENT;
    while let Some(candidate) = dirs.next(name, &mut buf) {
        let e = match candidate {
            Ok(file) => raw::execve(file, prog, env),
            Err(e) => e,
        };
        match search::next(e) {
            Next::Continue => {}
            Next::Remember => err = e,
            Next::Stop => return e,
        }
    }
    err
}

/// Most variables `--listen-fds` passes on (execve's own limit is larger,
/// but this is stack space).
const MAX_VARS: usize = 4096;

/// `--listen-fds`: exec with the environment minus the old `LISTEN_*`
/// variables, plus the new ones (`n` sockets were inherited, ours is the
/// next). Fixed storage, on this function's own stack frame so the plain
/// path never pays for it; too large: `E2BIG`, as execve would say.
#[inline(never)]
pub fn exec_listen_fds(
    prog: Args<'_>,
    env: Env<'_>,
    n: u32,
    pid: u32,
    name: Option<Word<'_>>,
) -> Errno {
    let mut text = Text::new();
    let vars = match text.write(env, n, pid, name) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let mut new = EnvArray::<MAX_VARS>::new();
    for w in env.iter() {
        if listenfds::is_protocol_var(w) {
            continue;
        }
        if let Err(e) = new.push(w) {
            return e;
        }
    }
    for w in vars {
        if let Err(e) = new.push(w) {
            return e;
        }
    }
    match new.finish() {
        Some(new_env) => exec(prog, new_env),
        None => Errno::TOOBIG,
    }
}
