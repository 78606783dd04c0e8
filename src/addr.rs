//! The `sockaddr_un` for bind, built in place on the caller's stack, with the
//! lock file's name sharing its buffer.
//!
//! # Safety
//!
//! The buffer is never zeroed (that would cost more instructions than the
//! rest of the program); the invariant is that `path[..len]` holds the path's
//! bytes, none of them NUL, and that `path[len]` is NUL whenever the address
//! or the path is handed out. Only this module writes the buffer, and the two
//! `unsafe` operations (viewing the written prefix as a `CStr`, handing the
//! address to the kernel) rely on exactly that.
//!
//! Why this module keeps its `unsafe` instead of leaving it all to `word`:
//! `unsafe impl SocketAddrArg` is a promise about this struct's `repr(C)`
//! layout and its private `len` and `abstract_name`, so it belongs beside
//! them; and the views of the buffer rest on which bytes `set`,
//! `with_lock_path` and `for_each_parent` have written, which only this
//! module knows. The safe ways out cost on every run: zeroing the buffer,
//! or rustix's `SocketAddrUnix`, which zeroes its own `sun_path` and copies
//! the path into it, and would leave nowhere to build the lock file's name.
#![allow(unsafe_code)]

use core::ffi::CStr;
use core::mem::{MaybeUninit, offset_of};
use rustix::io::Errno;
use rustix::net::addr::{SocketAddrArg, SocketAddrLen, SocketAddrOpaque};

use crate::word::Word;

/// The longest path a `sockaddr_un` holds with its NUL (108 bytes of
/// `sun_path`).
pub const PATH_MAX_SUN: usize = 107;
/// Appended to the path to name the lock file; s6 uses the same name.
pub const LOCK_SUFFIX: &[u8; 6] = b".lock\0";
/// The suffix padded with NULs to 8 bytes: written with one 8-byte store
/// instead of a byte loop (35 instructions fewer per run).
const LOCK_STORE: [MaybeUninit<u8>; 8] = pad(LOCK_SUFFIX);
/// `sun_path` and room after it. `len` is a `u8`, so any index the code
/// forms from it (at most 255 + 8) is inside the buffer by construction:
/// the compiler drops every bounds check on the hot path, and the lock
/// suffix's 8-byte store always fits.
const BUF_LEN: usize = u8::MAX as usize + 1 + LOCK_STORE.len();
const AF_UNIX: u16 = rustix::net::AddressFamily::UNIX.as_raw();

/// A Unix-domain socket address.
#[repr(C)]
pub struct Addr {
    family: u16,
    /// `sun_path`, longer than the kernel's by the lock suffix.
    path: [MaybeUninit<u8>; BUF_LEN],
    /// Bytes of `path` in use: the path, or the abstract name's NUL and
    /// name; at most 108.
    len: u8,
    /// A Linux abstract name (`path[0]` is NUL, no terminating NUL).
    abstract_name: bool,
}

const _: () = assert!(offset_of!(Addr, path) == 2, "sun_path follows sun_family");
const _: () = assert!(BUF_LEN > PATH_MAX_SUN, "room for the path and its NUL");
const _: () = assert!(
    PATH_MAX_SUN < u8::MAX as usize,
    "a name's length fits in `len`"
);

#[allow(clippy::indexing_slicing)] // const evaluation: an error fails the build
const fn pad(suffix: &[u8; 6]) -> [MaybeUninit<u8>; 8] {
    let mut out = [MaybeUninit::new(0); 8];
    let mut i = 0;
    while i < suffix.len() {
        out[i] = MaybeUninit::new(suffix[i]);
        i = i.wrapping_add(1);
    }
    out
}

impl Addr {
    /// An empty address: the family and one NUL, nothing else written.
    #[inline]
    pub const fn new() -> Self {
        let mut a = Addr {
            family: AF_UNIX,
            path: [const { MaybeUninit::uninit() }; BUF_LEN],
            len: 0,
            abstract_name: false,
        };
        // The invariant holds from the start: `path[len]` is a NUL.
        if let Some(slot) = a.path.first_mut() {
            *slot = MaybeUninit::new(0);
        }
        a
    }

    /// Copies `path` in: a file's path, or with `abstract_name` a Linux
    /// abstract socket name (`sun_path` = NUL, name: no file, so no lock and
    /// nothing to remove). Refused before any side effect: longer than 107
    /// bytes (`ENAMETOOLONG`, SPEC B1) or empty (`ENOENT`, SPEC B4). A
    /// refused path leaves the address empty.
    pub fn set(&mut self, path: Word<'_>, abstract_name: bool) -> Result<(), Errno> {
        let start = usize::from(abstract_name);
        self.put(0, 0);
        // Room for 107 bytes and the NUL, after the abstract name's NUL.
        let end = start.wrapping_add(PATH_MAX_SUN).wrapping_add(1);
        let room = self.path.get_mut(start..end).unwrap_or_default();
        let n = match path.copy_to(room) {
            Some(0) => return Err(self.clear(Errno::NOENT)),
            Some(n) => n,
            None => return Err(self.clear(Errno::NAMETOOLONG)),
        };
        // start + n <= 1 + PATH_MAX_SUN < 256: no truncation.
        self.len = start.wrapping_add(n) as u8;
        self.abstract_name = abstract_name;
        Ok(())
    }

    /// The path, or the abstract name (without its leading NUL), for
    /// messages (which write an abstract name `@name`, as `ss` and socat do).
    pub fn name(&self) -> &[u8] {
        let written = self
            .path
            .get(usize::from(self.abstract_name)..self.len())
            .unwrap_or_default();
        // SAFETY: `path[..len]` was written by `set`.
        unsafe { &*(core::ptr::from_ref(written) as *const [u8]) }
    }

    /// Calls `f` with each parent directory of the path, outermost first
    /// (`a`, `a/b` for `a/b/c`), each as a C string; stops at `f`'s first
    /// error. The buffer's `/` is swapped for a NUL for the call. Nothing
    /// for an abstract name, as for [`Addr::path`].
    pub fn for_each_parent<E>(
        &mut self,
        mut f: impl FnMut(&CStr) -> Result<(), E>,
    ) -> Result<(), E> {
        let dirs = if self.abstract_name { 0 } else { self.len() };
        for i in 1..dirs {
            if self.byte(i) != Some(b'/') {
                continue;
            }
            self.put(i, 0);
            let r = f(self.cstr(i.wrapping_add(1)));
            self.put(i, b'/');
            r?;
        }
        Ok(())
    }

    /// The path as a C string (for lstat, unlink); empty for an abstract
    /// name, which has no file (main.rs takes no file step for those).
    pub fn path(&self) -> &CStr {
        self.cstr(self.len().wrapping_add(1))
    }

    /// Runs `f` with the lock file's name, `path.lock`, then restores the
    /// path. The empty string for an abstract name, as for [`Addr::path`].
    pub fn with_lock_path<R>(&mut self, f: impl FnOnce(&CStr) -> R) -> R {
        let len = self.len();
        let end = len.wrapping_add(LOCK_SUFFIX.len());
        if let Some(dst) = self
            .path
            .get_mut(len..)
            .and_then(|tail| tail.first_chunk_mut())
        {
            *dst = LOCK_STORE;
        }
        let r = f(self.cstr(end));
        self.terminate();
        r
    }

    /// Bytes of `path` in use.
    #[inline]
    fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// The byte at `i`, if it is part of what `set_path` wrote.
    fn byte(&self, i: usize) -> Option<u8> {
        let slot = self.path.get(i).filter(|_| i < self.len())?;
        // SAFETY: `path[..len]` was written by `set`.
        Some(unsafe { slot.assume_init_read() })
    }

    fn put(&mut self, i: usize, b: u8) {
        if let Some(slot) = self.path.get_mut(i) {
            slot.write(b);
        }
    }

    fn terminate(&mut self) {
        self.put(self.len(), 0);
    }

    /// Back to empty after a refused path, whose copy may have overwritten
    /// the old path's NUL (or, at 0, put one inside it); returns `e`.
    fn clear(&mut self, e: Errno) -> Errno {
        self.len = 0;
        self.abstract_name = false;
        self.terminate();
        e
    }

    /// The first `n` bytes of the buffer, whose last is a NUL, as a `CStr`;
    /// for an abstract name, which has no file path, the empty string.
    fn cstr(&self, n: usize) -> &CStr {
        // An abstract name starts with its NUL: only that byte is a C string.
        let n = if self.abstract_name { 1 } else { n };
        let bytes = self.path.get(..n).unwrap_or_default();
        // SAFETY: callers pass `n` = len + 1 (path and its NUL), len + 6
        // (path and the lock suffix, which ends in NUL; its 8-byte store
        // always fits, see BUF_LEN) or i + 1 with a NUL put at i
        // (`for_each_parent`); all are written, and a file's path contains
        // no NUL. An abstract name's first byte, written by `set`, is NUL.
        unsafe {
            CStr::from_bytes_with_nul_unchecked(&*(core::ptr::from_ref(bytes) as *const [u8]))
        }
    }
}

impl Default for Addr {
    fn default() -> Self {
        Self::new()
    }
}

// SAFETY: `Addr` is `repr(C)` with `sun_family` and then `sun_path`, so it is
// a valid `sockaddr_un` for the length passed: the family, the path and its
// NUL (SPEC B6: the exact length, not `sizeof(struct sockaddr_un)`), or the
// abstract name's leading NUL and its bytes, all written before any address
// is handed out.
unsafe impl SocketAddrArg for Addr {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        let nul = usize::from(!self.abstract_name);
        let len = offset_of!(Addr, path)
            .wrapping_add(self.len())
            .wrapping_add(nul);
        f(core::ptr::from_ref(self).cast(), len as SocketAddrLen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn addr(p: &[u8]) -> Result<Addr, Errno> {
        let c = CString::new(p).unwrap();
        let mut a = Addr::new();
        a.set(Word::new(&c), false)?;
        Ok(a)
    }

    #[test]
    fn lengths() {
        assert_eq!(addr(b"").err(), Some(Errno::NOENT));
        assert_eq!(addr(&[b'x'; 108]).err(), Some(Errno::NAMETOOLONG));
        assert_eq!(addr(&[b'x'; 500]).err(), Some(Errno::NAMETOOLONG));
        let mut a = addr(&[b'x'; 107]).unwrap();
        assert_eq!(a.name().len(), 107);
        assert_eq!(a.path().to_bytes().len(), 107);
        let lock = a.with_lock_path(|p| p.to_bytes().to_vec());
        assert_eq!(lock.len(), 112);
        assert!(lock.ends_with(b"x.lock"));
        assert_eq!(a.path().to_bytes().len(), 107);
        // SAFETY: the closure only reads the length.
        let n = unsafe { a.with_sockaddr(|_, n| n) };
        assert_eq!(n, 110);
    }

    #[test]
    fn refused_path_leaves_a_valid_empty_address() {
        // Found by the property test (tests/cli/props.rs): a refused path
        // used to leave `path()` without its NUL (too long) or with one
        // inside (empty), and a fresh address had no NUL at all.
        assert_eq!(Addr::new().path().to_bytes_with_nul(), b"\0");
        let long = CString::new([b'y'; 200]).unwrap();
        for (bad, abstract_name, e) in [
            (&long[..], false, Errno::NAMETOOLONG),
            (&long[..], true, Errno::NAMETOOLONG),
            (c"", false, Errno::NOENT),
            (c"", true, Errno::NOENT),
        ] {
            let mut a = addr(b"s.sock").unwrap();
            assert_eq!(a.set(Word::new(bad), abstract_name), Err(e));
            assert_eq!(a.name(), b"");
            assert_eq!(a.path().to_bytes_with_nul(), b"\0");
        }
    }

    #[test]
    fn short_path() {
        let mut a = addr(b"s.sock").unwrap();
        assert_eq!(a.name(), b"s.sock");
        assert_eq!(a.with_lock_path(|p| p.to_bytes().to_vec()), b"s.sock.lock");
        assert_eq!(a.path().to_bytes(), b"s.sock");
        // SAFETY: the closure only reads the length.
        assert_eq!(unsafe { a.with_sockaddr(|_, n| n) }, 9);
    }

    #[test]
    fn abstract_names() {
        let mut a = Addr::new();
        a.set(Word::new(c"my-service"), true).unwrap();
        assert_eq!(a.name(), b"my-service");
        // SAFETY: the closure only reads the length and the bytes.
        let (n, bytes) = unsafe {
            a.with_sockaddr(|p, n| {
                (
                    n,
                    std::slice::from_raw_parts(p.cast::<u8>(), n as usize).to_vec(),
                )
            })
        };
        assert_eq!(n, 2 + 1 + 10, "no trailing NUL for abstract names");
        assert_eq!(&bytes[2..], b"\0my-service");
        // No file path: every C string view is empty, and sound.
        let mut a = Addr::new();
        a.set(Word::new(c"dir/name"), true).unwrap();
        assert_eq!(a.path().to_bytes(), b"");
        assert_eq!(a.with_lock_path(|p| p.to_bytes().len()), 0);
        assert!(a.for_each_parent(|_| Err(())).is_ok());
        assert_eq!(a.name(), b"dir/name");
        let long = CString::new(vec![b'a'; 107]).unwrap();
        assert!(Addr::new().set(Word::new(&long), true).is_ok());
        let too_long = CString::new(vec![b'a'; 108]).unwrap();
        assert_eq!(
            Addr::new().set(Word::new(&too_long), true).err(),
            Some(Errno::NAMETOOLONG)
        );
        assert_eq!(
            Addr::new().set(Word::new(c""), true).err(),
            Some(Errno::NOENT)
        );
    }

    #[test]
    fn parents() {
        let mut a = addr(b"/run/a//b/s.sock").unwrap();
        let mut seen = Vec::new();
        a.for_each_parent(|p| {
            seen.push(p.to_bytes().to_vec());
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(seen, [&b"/run"[..], b"/run/a", b"/run/a/", b"/run/a//b"]);
        assert_eq!(a.path().to_bytes(), b"/run/a//b/s.sock");
        let mut n = 0;
        assert_eq!(
            a.for_each_parent(|_| {
                n += 1;
                Err(7)
            }),
            Err(7)
        );
        assert_eq!(n, 1);
        assert_eq!(
            a.path().to_bytes(),
            b"/run/a//b/s.sock",
            "restored after an error"
        );
        let mut b = addr(b"plain").unwrap();
        assert!(b.for_each_parent(|_| Err(())).is_ok());
    }
}
