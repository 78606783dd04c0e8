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
const BUF_LEN: usize = PATH_MAX_SUN + LOCK_SUFFIX.len();
const AF_UNIX: u16 = rustix::net::AddressFamily::UNIX.as_raw();

/// A Unix-domain socket address.
#[repr(C)]
pub struct Addr {
    family: u16,
    /// `sun_path`, longer than the kernel's by the lock suffix.
    path: [MaybeUninit<u8>; BUF_LEN],
    len: usize,
}

const _: () = assert!(offset_of!(Addr, path) == 2, "sun_path follows sun_family");
const _: () = assert!(BUF_LEN > PATH_MAX_SUN, "room for the path and its NUL");

impl Addr {
    /// An empty address: the family and one NUL, nothing else written.
    #[inline]
    pub const fn new() -> Self {
        let mut a = Addr {
            family: AF_UNIX,
            path: [const { MaybeUninit::uninit() }; BUF_LEN],
            len: 0,
        };
        // The invariant holds from the start: `path[len]` is a NUL.
        if let Some(slot) = a.path.first_mut() {
            *slot = MaybeUninit::new(0);
        }
        a
    }

    /// Copies `path` in. Refused before any side effect: longer than 107
    /// bytes (`ENAMETOOLONG`, SPEC B1) or empty (`ENOENT`, SPEC B4). A
    /// refused path leaves the address empty.
    pub fn set_path(&mut self, path: Word<'_>) -> Result<(), Errno> {
        let mut len = 0usize;
        for b in path.bytes() {
            match self.path.get_mut(len) {
                Some(slot) if len < PATH_MAX_SUN => {
                    slot.write(b);
                    len = len.wrapping_add(1);
                }
                _ => {
                    // The copy overwrote the old path's NUL: start over empty.
                    self.len = 0;
                    self.terminate();
                    return Err(Errno::NAMETOOLONG);
                }
            }
        }
        if len == 0 {
            return Err(Errno::NOENT);
        }
        self.len = len;
        self.terminate();
        Ok(())
    }

    /// The path's bytes (for messages).
    pub fn bytes(&self) -> &[u8] {
        let bytes = self.path.get(..self.len).unwrap_or_default();
        // SAFETY: `path[..len]` was written by `set_path`.
        unsafe { &*(core::ptr::from_ref(bytes) as *const [u8]) }
    }

    /// The path as a C string (for lstat, unlink).
    pub fn path(&self) -> &CStr {
        self.cstr(self.len.wrapping_add(1))
    }

    /// Runs `f` with the lock file's name, `path.lock`, then restores the
    /// path.
    pub fn with_lock_path<R>(&mut self, f: impl FnOnce(&CStr) -> R) -> R {
        for (i, &b) in LOCK_SUFFIX.iter().enumerate() {
            if let Some(slot) = self.path.get_mut(self.len.wrapping_add(i)) {
                slot.write(b);
            }
        }
        let r = f(self.cstr(self.len.wrapping_add(LOCK_SUFFIX.len())));
        self.terminate();
        r
    }

    fn terminate(&mut self) {
        if let Some(slot) = self.path.get_mut(self.len) {
            slot.write(0);
        }
    }

    /// The first `n` bytes of the buffer, whose last is a NUL, as a `CStr`.
    fn cstr(&self, n: usize) -> &CStr {
        let bytes = self.path.get(..n).unwrap_or_default();
        // SAFETY: callers pass `n` = len + 1 (path and its NUL) or
        // len + 6 (path and the lock suffix, which ends in NUL); both ranges
        // are written, and the path bytes contain no NUL.
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
// NUL (SPEC B6: the exact length, not `sizeof(struct sockaddr_un)`), all
// written before any address is handed out.
unsafe impl SocketAddrArg for Addr {
    unsafe fn with_sockaddr<R>(
        &self,
        f: impl FnOnce(*const SocketAddrOpaque, SocketAddrLen) -> R,
    ) -> R {
        let len = offset_of!(Addr, path)
            .wrapping_add(self.len)
            .wrapping_add(1);
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
        a.set_path(Word::new(&c))?;
        Ok(a)
    }

    #[test]
    fn lengths() {
        assert_eq!(addr(b"").err(), Some(Errno::NOENT));
        assert_eq!(addr(&[b'x'; 108]).err(), Some(Errno::NAMETOOLONG));
        assert_eq!(addr(&[b'x'; 500]).err(), Some(Errno::NAMETOOLONG));
        let mut a = addr(&[b'x'; 107]).unwrap();
        assert_eq!(a.bytes().len(), 107);
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
        // Found by the property test (tests/cli/props.rs): a refused long
        // path used to leave `path()` without its NUL.
        assert_eq!(Addr::new().path().to_bytes_with_nul(), b"\0");
        let mut a = addr(b"s.sock").unwrap();
        let long = CString::new([b'y'; 200]).unwrap();
        assert_eq!(a.set_path(Word::new(&long)), Err(Errno::NAMETOOLONG));
        assert_eq!(a.bytes(), b"");
        assert_eq!(a.path().to_bytes_with_nul(), b"\0");
    }

    #[test]
    fn short_path() {
        let mut a = addr(b"s.sock").unwrap();
        assert_eq!(a.bytes(), b"s.sock");
        assert_eq!(a.with_lock_path(|p| p.to_bytes().to_vec()), b"s.sock.lock");
        assert_eq!(a.path().to_bytes(), b"s.sock");
        // SAFETY: the closure only reads the length.
        assert_eq!(unsafe { a.with_sockaddr(|_, n| n) }, 9);
    }
}
