//! Words borrowed in place from the process's argv and envp.
//!
//! # Safety
//!
//! This module is one of the two places that read through raw pointers (the
//! other is `addr`). A [`Word`] is a pointer to a NUL-terminated byte string
//! that stays valid and unchanged for `'a`; every constructor either gets that
//! from a `&CStr` or makes its caller promise it (`from_ptr`), and every read
//! stays at or before the terminating NUL. An [`Env`] is a pointer to a
//! NULL-terminated array of such words.
#![allow(unsafe_code)]

use core::ffi::CStr;
use core::marker::PhantomData;
use core::ptr::NonNull;

/// One argument or environment string, not copied and not measured.
///
/// Layout-compatible with a non-null `char *` (`repr(transparent)`), so a
/// slice of `argv` is a `&[Word]` without conversion.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct Word<'a> {
    ptr: NonNull<u8>,
    life: PhantomData<&'a CStr>,
}

// SAFETY: a `Word` is a read-only view of bytes that do not change for `'a`,
// exactly like the `&CStr` it stands for, which is `Send` and `Sync`.
unsafe impl Send for Word<'_> {}
// SAFETY: as above.
unsafe impl Sync for Word<'_> {}

impl<'a> Word<'a> {
    /// Borrows a `CStr` (tests, constants).
    pub const fn new(s: &'a CStr) -> Self {
        // SAFETY: a CStr's pointer is never null.
        let ptr = unsafe { NonNull::new_unchecked(s.as_ptr().cast_mut().cast::<u8>()) };
        Word {
            ptr,
            life: PhantomData,
        }
    }

    /// Wraps a pointer taken from argv or envp.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a NUL-terminated byte string that stays valid and
    /// unmodified for `'a`.
    pub const unsafe fn from_ptr(ptr: NonNull<u8>) -> Self {
        Word {
            ptr,
            life: PhantomData,
        }
    }

    /// The word that starts `bytes`, if `bytes` ends with a NUL (the word
    /// ends at the first NUL, which may come earlier).
    pub fn from_bytes_with_nul(bytes: &'a [u8]) -> Option<Self> {
        if bytes.last() != Some(&0) {
            return None;
        }
        // SAFETY: a slice's pointer is never null, and the bytes it points
        // to are terminated within the slice, which lives for `'a`.
        Some(unsafe { Word::from_ptr(NonNull::from(bytes).cast()) })
    }

    /// The first byte, or 0 for the empty word.
    #[inline]
    pub fn first(self) -> u8 {
        // SAFETY: the string has at least its NUL byte.
        unsafe { *self.ptr.as_ptr() }
    }

    /// The word without its first byte (the word itself when it is empty).
    #[inline]
    pub fn tail(self) -> Word<'a> {
        if self.first() == 0 {
            return self;
        }
        // SAFETY: the first byte is not the NUL, so the next byte is still
        // inside the string.
        let ptr = unsafe { self.ptr.add(1) };
        Word {
            ptr,
            life: PhantomData,
        }
    }

    /// The bytes before the NUL, one at a time.
    #[inline]
    pub fn bytes(self) -> Bytes<'a> {
        Bytes { word: self }
    }

    /// The bytes before the NUL as a slice (measures the word once).
    pub fn to_bytes(self) -> &'a [u8] {
        self.to_cstr().to_bytes()
    }

    /// The word as a `CStr` (measures the word once).
    pub fn to_cstr(self) -> &'a CStr {
        let mut len = 0usize;
        let mut w = self;
        while w.first() != 0 {
            w = w.tail();
            len = len.wrapping_add(1);
        }
        // SAFETY: the `len` bytes before the NUL are not NUL, and the NUL is
        // at `len`; all of it lives for `'a`.
        unsafe {
            let bytes = core::slice::from_raw_parts(self.ptr.as_ptr(), len.wrapping_add(1));
            CStr::from_bytes_with_nul_unchecked(bytes)
        }
    }

    /// If the word starts with `prefix`, what follows it.
    pub fn strip_prefix(self, prefix: &[u8]) -> Option<Word<'a>> {
        let mut w = self;
        for &b in prefix {
            if w.first() != b || b == 0 {
                return None;
            }
            w = w.tail();
        }
        Some(w)
    }

    /// Whether the word is exactly `s`.
    pub fn is(self, s: &[u8]) -> bool {
        matches!(self.strip_prefix(s), Some(rest) if rest.first() == 0)
    }

    /// The raw pointer, for the kernel.
    #[inline]
    pub fn as_ptr(self) -> *const u8 {
        self.ptr.as_ptr()
    }
}

/// Iterator over a word's bytes, stopping at its NUL.
#[derive(Clone, Copy)]
pub struct Bytes<'a> {
    word: Word<'a>,
}

impl<'a> Bytes<'a> {
    /// What is left of the word.
    pub fn rest(self) -> Word<'a> {
        self.word
    }
}

impl Iterator for Bytes<'_> {
    type Item = u8;
    #[inline]
    fn next(&mut self) -> Option<u8> {
        let b = self.word.first();
        if b == 0 {
            return None;
        }
        self.word = self.word.tail();
        Some(b)
    }
}

/// The environment, as the NULL-terminated `envp` array, not counted.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    ptr: NonNull<Option<Word<'a>>>,
}

impl<'a> Env<'a> {
    /// Borrows a slice whose last element is `None` (tests); `None` when the
    /// slice has no terminator.
    pub fn new(vars: &'a [Option<Word<'a>>]) -> Option<Self> {
        match vars.last() {
            Some(None) => Some(Env {
                ptr: NonNull::from(vars).cast(),
            }),
            _ => None,
        }
    }

    /// Wraps `envp`.
    ///
    /// # Safety
    ///
    /// `envp` must point to a NULL-terminated array of pointers to
    /// NUL-terminated strings, all valid and unmodified for `'a`.
    pub const unsafe fn from_ptr(envp: NonNull<Option<Word<'a>>>) -> Self {
        Env { ptr: envp }
    }

    /// The value of the first variable named `name` (`name` without `=`).
    pub fn get(self, name: &[u8]) -> Option<Word<'a>> {
        self.iter()
            .find_map(|w| w.strip_prefix(name)?.strip_prefix(b"="))
    }

    /// Every `NAME=value` string, in order.
    pub fn iter(self) -> EnvIter<'a> {
        EnvIter { ptr: self.ptr }
    }

    /// The raw array, for execve.
    pub fn as_ptr(self) -> *const *const u8 {
        self.ptr.as_ptr().cast()
    }
}

/// A new environment built in fixed storage: at most `N - 1` variables and
/// the terminating NULL, no heap.
pub struct EnvArray<'a, const N: usize> {
    vars: [core::mem::MaybeUninit<Option<Word<'a>>>; N],
    len: usize,
}

impl<'a, const N: usize> EnvArray<'a, N> {
    /// An empty array (nothing written).
    pub const fn new() -> Self {
        EnvArray {
            vars: [const { core::mem::MaybeUninit::uninit() }; N],
            len: 0,
        }
    }

    /// Appends a variable; `E2BIG` when only the terminator's room is left
    /// (execve's own word for an environment too large).
    pub fn push(&mut self, w: Word<'a>) -> Result<(), rustix::io::Errno> {
        let next = self.len.wrapping_add(1);
        match self.vars.get_mut(self.len) {
            Some(slot) if next < N => {
                slot.write(Some(w));
                self.len = next;
                Ok(())
            }
            _ => Err(rustix::io::Errno::TOOBIG),
        }
    }

    /// Terminates the array and returns it as an environment.
    pub fn finish(&mut self) -> Option<Env<'_>> {
        self.vars.get_mut(self.len)?.write(None);
        let written = self.vars.get(..=self.len)?;
        // SAFETY: `vars[..len]` were written by `push`, `vars[len]` just now.
        let vars = unsafe { &*(core::ptr::from_ref(written) as *const [Option<Word<'a>>]) };
        Env::new(vars)
    }
}

impl<const N: usize> Default for EnvArray<'_, N> {
    fn default() -> Self {
        Self::new()
    }
}

/// Iterator over the environment's strings.
pub struct EnvIter<'a> {
    ptr: NonNull<Option<Word<'a>>>,
}

impl<'a> Iterator for EnvIter<'a> {
    type Item = Word<'a>;
    fn next(&mut self) -> Option<Word<'a>> {
        // SAFETY: `ptr` is at or before the array's NULL terminator.
        let w = unsafe { *self.ptr.as_ptr() }?;
        // SAFETY: the element read was not the terminator, so the next one
        // is still inside the array.
        self.ptr = unsafe { self.ptr.add(1) };
        Some(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        let w = Word::new(c"-ab");
        assert_eq!(w.first(), b'-');
        assert_eq!(w.tail().to_bytes(), b"ab");
        assert_eq!(w.bytes().collect::<Vec<_>>(), b"-ab");
        assert!(w.is(b"-ab"));
        assert!(!w.is(b"-a"));
        assert!(!w.is(b"-abc"));
        assert_eq!(w.strip_prefix(b"-a").map(|r| r.to_bytes()), Some(&b"b"[..]));
        let b = [b'x', 0, b'y', 0];
        assert_eq!(Word::from_bytes_with_nul(&b).unwrap().to_bytes(), b"x");
        assert!(Word::from_bytes_with_nul(&b[..3]).is_none());
        assert!(Word::from_bytes_with_nul(&[]).is_none());
        let e = Word::new(c"");
        assert_eq!(e.first(), 0);
        assert_eq!(e.tail().to_bytes(), b"");
        assert!(e.is(b""));
    }

    #[test]
    fn env() {
        let vars = [
            Some(Word::new(c"PATHX=no")),
            Some(Word::new(c"PATH=/a:/b")),
            Some(Word::new(c"PATH=/c")),
            None,
        ];
        let env = Env::new(&vars).unwrap();
        assert_eq!(env.get(b"PATH").unwrap().to_bytes(), b"/a:/b");
        assert!(env.get(b"HOME").is_none());
        assert_eq!(env.iter().count(), 3);
        assert!(Env::new(&vars[..3]).is_none());
    }

    #[test]
    fn env_array() {
        let mut a = EnvArray::<3>::new();
        a.push(Word::new(c"A=1")).unwrap();
        a.push(Word::new(c"B=2")).unwrap();
        assert_eq!(
            a.push(Word::new(c"C=3")).err(),
            Some(rustix::io::Errno::TOOBIG)
        );
        let env = a.finish().unwrap();
        let got: Vec<_> = env.iter().map(|w| w.to_bytes().to_vec()).collect();
        assert_eq!(got, [b"A=1".to_vec(), b"B=2".to_vec()]);
        assert_eq!(env.get(b"B").unwrap().to_bytes(), b"2");
        let mut empty = EnvArray::<1>::new();
        assert_eq!(empty.finish().unwrap().iter().count(), 0);
    }
}
