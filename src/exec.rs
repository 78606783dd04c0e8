//! Exec prog, as skalibs' `xexec`: one execve when prog contains a slash,
//! else a PATH search (see `socketbinder::search` for the policy).

use rustix::io::Errno;
use socketbinder::search::{self, Next};
use socketbinder::{Env, Word};

use crate::raw;

/// Execs `prog[0]` with argv `prog` and the unchanged environment. Returns
/// only on failure, with the errno that decides the message and exit code.
pub fn exec(prog: &[Word<'_>], env: Env<'_>) -> Errno {
    let Some(&name) = prog.first() else {
        return Errno::NOENT;
    };
    if search::has_slash(name) {
        // SAFETY: `prog` is a tail of argv (`args::parse` returns one).
        #[allow(unsafe_code)]
        return unsafe { raw::execve(name.to_cstr(), prog, env) };
    }
    let path = env
        .get(b"PATH")
        .map_or(search::DEFAULT_PATH, |w| w.to_bytes());
    let mut buf = search::buf();
    let mut err = Errno::NOENT;
    for dir in search::dirs(path) {
        let e = match search::join(dir, name, &mut buf) {
            // SAFETY: as above.
            #[allow(unsafe_code)]
            Ok(file) => unsafe { raw::execve(file, prog, env) },
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
