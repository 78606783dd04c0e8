//! Exec prog, as skalibs' `xexec`: one execve when prog contains a slash,
//! else a PATH search (see `socketbinder::search` for the policy).
#![forbid(unsafe_code)]

use rustix::io::Errno;
use socketbinder::listenfds;
use socketbinder::search::{self, Next};
use socketbinder::{Args, Env, Word};

use crate::raw;

/// Execs `prog[0]` with argv `prog` and the environment `env`. Returns
/// only on failure, with the errno that decides the message and exit code.
// Out of line, one copy for its two callers (`main`, `exec_listen_fds`):
// 64 bytes smaller than inlined into both, and the default mode's count
// the same when measured (277 instructions; it once paid 6 for the call).
#[inline(never)]
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
/// line, so that the direct exec (every s6 caller gives an absolute path)
/// does not pay for the saved registers. The 4 KB candidate buffer is in
/// `.bss` (`raw::search_buf`), not on the stack.
#[inline(never)]
fn search_path(name: Word<'_>, prog: Args<'_>, env: Env<'_>) -> Errno {
    let path = env.get(b"PATH").unwrap_or(search::DEFAULT_PATH);
    let mut dirs = search::Candidates::new(path);
    let Some(buf) = raw::search_buf() else {
        return Errno::NOMEM; // taken once per run: cannot happen
    };
    let mut err = Errno::NOENT;
    while let Some(candidate) = dirs.next(name, buf) {
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

/// `--listen-fds`: exec with the environment minus the old `LISTEN_*`
/// variables, plus the new ones (`n` sockets were inherited, ours is the
/// next). Fixed storage in `.bss` (`raw::activation`), no stack; more than
/// `raw::MAX_VARS - 1` variables or 4 KB of `LISTEN_*` text: `E2BIG`, as
/// execve would say.
#[inline(never)]
pub fn exec_listen_fds(
    prog: Args<'_>,
    env: Env<'static>,
    n: u32,
    pid: u32,
    name: Option<Word<'_>>,
) -> Errno {
    let Some(a) = raw::activation() else {
        return Errno::NOMEM; // taken once per run: cannot happen
    };
    let vars = match a.text.write(env, n, pid, name) {
        Ok(v) => v,
        Err(e) => return e,
    };
    let new = &mut a.env;
    let kept = env.iter().filter(|&w| !listenfds::is_protocol_var(w));
    for w in kept.chain(vars) {
        if let Err(e) = new.push(w) {
            return e;
        }
    }
    match new.finish() {
        Some(new_env) => exec(prog, new_env),
        None => Errno::TOOBIG,
    }
}
