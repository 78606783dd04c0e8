//! systemd's socket-activation protocol (`sd_listen_fds(3)`), chainable: a
//! binder run under `--listen-fds` adds its socket after the ones an earlier
//! binder (or systemd) passed to this same process.
#![forbid(unsafe_code)]

use rustix::io::Errno;

use crate::num;
use crate::word::{Env, Word};

/// The first fd of the protocol.
pub const FIRST_FD: u32 = 3;
/// More fds than any process can hold: such a `LISTEN_FDS` is garbage.
const MAX_FDS: u32 = 1 << 20;
/// Room for `LISTEN_FDS=…`, `LISTEN_PID=…` and `LISTEN_FDNAMES=…`.
pub const TEXT_MAX: usize = 4096;

const FDS: &[u8] = b"LISTEN_FDS";
const PID: &[u8] = b"LISTEN_PID";
const NAMES: &[u8] = b"LISTEN_FDNAMES";

/// How many sockets were passed to this process (`pid`): `LISTEN_FDS` when
/// `LISTEN_PID` is `pid`, else 0 (variables meant for another process are
/// ignored), as `sd_listen_fds` does; also 0 without `LISTEN_FDS`. `EINVAL`
/// for a `LISTEN_FDS` of ours that is not a number.
pub fn inherited(env: Env<'_>, pid: u32) -> Result<u32, Errno> {
    if env.get(PID).and_then(|w| num::scan(w, 10)) != Some(pid) {
        return Ok(0);
    }
    match env.get(FDS) {
        None => Ok(0),
        Some(w) => num::scan(w, 10)
            .filter(|&n| n < MAX_FDS)
            .ok_or(Errno::INVAL),
    }
}

/// Whether `var` is one of the three variables the protocol owns.
pub fn is_protocol_var(var: Word<'_>) -> bool {
    [FDS, PID, NAMES].iter().any(|name| {
        var.strip_prefix(name)
            .is_some_and(|rest| rest.first() == b'=')
    })
}

/// The three new variables, written into fixed storage.
pub struct Text {
    buf: [u8; TEXT_MAX],
    len: usize,
}

impl Text {
    /// Empty storage.
    pub const fn new() -> Self {
        Text {
            buf: [0; TEXT_MAX],
            len: 0,
        }
    }

    /// Writes `LISTEN_FDS=n+1`, `LISTEN_PID=pid` and `LISTEN_FDNAMES`: the
    /// inherited names (or `unknown` for each of the `n` sockets when there
    /// were none) then `name`. `E2BIG` when they do not fit.
    pub fn write<'t>(
        &'t mut self,
        env: Env<'_>,
        n: u32,
        pid: u32,
        name: Option<Word<'_>>,
    ) -> Result<[Word<'t>; 3], Errno> {
        let mut digits = [0; num::U32_DIGITS];
        self.put(b"LISTEN_FDS=");
        self.put(num::fmt_u32(n.wrapping_add(1), &mut digits));
        self.put(b"\0LISTEN_PID=");
        let pid_at = self.len.wrapping_sub(11);
        self.put(num::fmt_u32(pid, &mut digits));
        self.put(b"\0LISTEN_FDNAMES=");
        let names_at = self.len.wrapping_sub(15);
        match env.get(NAMES).filter(|_| n > 0) {
            Some(old) => {
                self.put(old.to_bytes());
                self.put(b":");
            }
            None => {
                for _ in 0..n {
                    self.put(b"unknown:");
                }
            }
        }
        self.put(name.unwrap_or(Word::new(c"unknown")).to_bytes());
        self.put(b"\0");
        // Each word is the C string from its start to its NUL, taken from
        // a slice up to the last byte written, which is the final NUL
        // unless something did not fit: the first two variables take at
        // most 56 bytes, so only the names can overflow, and with them
        // the final NUL is dropped too (no other byte written is a NUL).
        let end = self.len;
        let word = |from: usize| Word::from_bytes_with_nul(self.buf.get(from..end)?);
        (|| Some([word(0)?, word(pid_at)?, word(names_at)?]))().ok_or(Errno::TOOBIG)
    }

    /// Appends `bytes`; what does not fit is dropped.
    fn put(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len = self.len.wrapping_add(1);
            }
        }
    }
}

impl Default for Text {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn env(vars: &[&str]) -> (Vec<CString>, Vec<Option<Word<'static>>>) {
        let owned: Vec<CString> = vars.iter().map(|v| CString::new(*v).unwrap()).collect();
        let leaked: &'static [CString] = Box::leak(owned.clone().into_boxed_slice());
        let mut words: Vec<Option<Word<'static>>> =
            leaked.iter().map(|c| Some(Word::new(c))).collect();
        words.push(None);
        (owned, words)
    }

    fn strs(words: [Word<'_>; 3]) -> Vec<String> {
        words
            .iter()
            .map(|w| String::from_utf8(w.to_bytes().to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn inherited_only_for_our_pid() {
        let (_o, w) = env(&["LISTEN_PID=42", "LISTEN_FDS=2"]);
        let e = Env::new(&w).unwrap();
        assert_eq!(inherited(e, 42), Ok(2));
        assert_eq!(inherited(e, 43), Ok(0));
        let (_o, w) = env(&["LISTEN_FDS=2"]);
        assert_eq!(inherited(Env::new(&w).unwrap(), 42), Ok(0));
        let (_o, w) = env(&["LISTEN_PID=42", "LISTEN_FDS=x"]);
        assert_eq!(inherited(Env::new(&w).unwrap(), 42), Err(Errno::INVAL));
        let (_o, w) = env(&["LISTEN_PID=42"]);
        assert_eq!(inherited(Env::new(&w).unwrap(), 42), Ok(0));
        let (_o, w) = env(&["LISTEN_PID=42", "LISTEN_FDS=2000000"]);
        assert_eq!(inherited(Env::new(&w).unwrap(), 42), Err(Errno::INVAL));
    }

    #[test]
    fn first_socket() {
        let (_o, w) = env(&["LISTEN_PID=1", "LISTEN_FDS=5", "LISTEN_FDNAMES=a:b:c:d:e"]);
        let mut t = Text::new();
        let v = t.write(Env::new(&w).unwrap(), 0, 77, None).unwrap();
        assert_eq!(
            strs(v),
            ["LISTEN_FDS=1", "LISTEN_PID=77", "LISTEN_FDNAMES=unknown"]
        );
    }

    #[test]
    fn chained() {
        let (_o, w) = env(&["LISTEN_PID=77", "LISTEN_FDS=1", "LISTEN_FDNAMES=first"]);
        let mut t = Text::new();
        let v = t
            .write(Env::new(&w).unwrap(), 1, 77, Some(Word::new(c"second")))
            .unwrap();
        assert_eq!(
            strs(v),
            [
                "LISTEN_FDS=2",
                "LISTEN_PID=77",
                "LISTEN_FDNAMES=first:second"
            ]
        );
        let (_o, w) = env(&["LISTEN_PID=77", "LISTEN_FDS=2"]);
        let v = t_write(&w, 2);
        assert_eq!(v[2], "LISTEN_FDNAMES=unknown:unknown:x");
    }

    fn t_write(w: &[Option<Word<'static>>], n: u32) -> Vec<String> {
        let mut t = Text::new();
        strs(
            t.write(Env::new(w).unwrap(), n, 77, Some(Word::new(c"x")))
                .unwrap(),
        )
    }

    #[test]
    fn too_long() {
        let names = format!("LISTEN_FDNAMES={}", "n".repeat(TEXT_MAX));
        let (_o, w) = env(&["LISTEN_PID=77", "LISTEN_FDS=1", &names]);
        let mut t = Text::new();
        assert_eq!(
            t.write(Env::new(&w).unwrap(), 1, 77, None).err(),
            Some(Errno::TOOBIG)
        );
        let (_o, w) = env(&[]);
        let mut t = Text::new();
        assert_eq!(
            t.write(Env::new(&w).unwrap(), 5000, 77, None).err(),
            Some(Errno::TOOBIG)
        );
    }

    #[test]
    fn fits_to_the_last_byte() {
        // 42 bytes before the names, `:unknown` and the NUL after them.
        let fixed = "LISTEN_FDS=2\0LISTEN_PID=77\0LISTEN_FDNAMES=".len() + ":unknown\0".len();
        for (len, fits) in [(TEXT_MAX - fixed, true), (TEXT_MAX - fixed + 1, false)] {
            let names = format!("LISTEN_FDNAMES={}", "n".repeat(len));
            let (_o, w) = env(&["LISTEN_PID=77", "LISTEN_FDS=1", &names]);
            let mut t = Text::new();
            match t.write(Env::new(&w).unwrap(), 1, 77, None) {
                Ok(v) => {
                    assert!(fits);
                    let v = strs(v);
                    assert_eq!(v[..2], ["LISTEN_FDS=2", "LISTEN_PID=77"]);
                    assert_eq!(v[2], format!("LISTEN_FDNAMES={}:unknown", "n".repeat(len)));
                }
                Err(e) => assert!(!fits && e == Errno::TOOBIG),
            }
        }
    }

    #[test]
    fn protocol_vars() {
        for v in [c"LISTEN_FDS=1", c"LISTEN_PID=", c"LISTEN_FDNAMES=a"] {
            assert!(is_protocol_var(Word::new(v)));
        }
        for v in [
            c"LISTEN_FDSX=1",
            c"LISTEN_FD=1",
            c"PATH=/bin",
            c"LISTEN_PID",
        ] {
            assert!(!is_protocol_var(Word::new(v)));
        }
    }
}
