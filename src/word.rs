//! Words borrowed in place from the process's argv and envp, and the C
//! strings and word lists built from them.
//!
//! # Safety
//!
//! This module is the library's unsafe fence: with `addr` (see there for
//! why it keeps its own), the only one that reads through raw pointers. A
//! [`Word`] is a pointer to a NUL-terminated byte string that stays valid
//! and unchanged for `'a`; every constructor either gets that from a `&CStr`
//! or makes its caller promise it (`from_ptr`), and every read stays at or
//! before the terminating NUL. An [`Env`] is a pointer to a NULL-terminated
//! array of such words, and [`Args`] a slice of words that a NULL follows
//! (argv or a tail of it), so either can go to execve as it is. A
//! [`CStrBuf`] hands out only the bytes it has written, as a C string only
//! when none of them is a NUL.
#![allow(unsafe_code)]

use core::ffi::CStr;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
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

    /// The word as a `CStr` (measures the word once). Only messages and
    /// `LISTEN_FDNAMES` measure words (the exec takes prog's pointer as it
    /// is): one byte a turn, the smallest loop.
    pub fn to_cstr(self) -> &'a CStr {
        let mut len = 0usize;
        // SAFETY: none of the bytes before `len` was the NUL (the loop
        // would have ended).
        while unsafe { self.byte(len) } != 0 {
            len = len.wrapping_add(1);
        }
        // SAFETY: the `len` bytes before the NUL are not NUL, and the NUL is
        // at `len`; all of it lives for `'a`.
        unsafe {
            let bytes = core::slice::from_raw_parts(self.ptr.as_ptr(), len.wrapping_add(1));
            CStr::from_bytes_with_nul_unchecked(bytes)
        }
    }

    /// Copies the word and its NUL into `dst`; returns the word's length
    /// (where the NUL went), or `None` when `dst` ends before the NUL (the
    /// bytes copied so far stay written). One pass: the length comes out of
    /// the copy, no separate measuring.
    pub fn copy_to(self, dst: &mut [core::mem::MaybeUninit<u8>]) -> Option<usize> {
        let mut i = 0usize;
        // One byte: copy it; at the NUL, done.
        macro_rules! byte {
            ($slot:expr) => {
                // SAFETY: none of the bytes before `i` was the NUL (we would
                // have returned).
                let b = unsafe { self.byte(i) };
                $slot.write(b);
                if b == 0 {
                    return Some(i);
                }
                i = i.wrapping_add(1);
            };
        }
        // Four bytes a turn, written out: one room test per four bytes
        // instead of one per byte (a path's copy is most of the plain flow's
        // byte work).
        let mut chunks = dst.chunks_exact_mut(4);
        for chunk in &mut chunks {
            if let [s0, s1, s2, s3] = chunk {
                byte!(s0);
                byte!(s1);
                byte!(s2);
                byte!(s3);
            }
        }
        for slot in chunks.into_remainder() {
            byte!(slot);
        }
        None
    }

    /// Byte `i` of the string.
    ///
    /// # Safety
    ///
    /// None of the bytes before `i` may be the NUL, so that byte `i` is
    /// still inside the string.
    #[inline(always)]
    unsafe fn byte(self, i: usize) -> u8 {
        // SAFETY: the caller's promise; the string lives for `'a`.
        unsafe { *self.ptr.as_ptr().add(i) }
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

/// argv, or a tail of it: words followed in memory by a NULL, so that the
/// list goes to execve as it is (prog's argv is a tail of ours, no copy).
#[derive(Clone, Copy)]
pub struct Args<'a> {
    /// A NULL pointer follows the last word (the type's invariant).
    words: &'a [Word<'a>],
}

impl<'a> Args<'a> {
    /// Borrows a list whose last element, and only that one, is `None`
    /// (tests, fuzzing); `None` otherwise.
    pub fn new(list: &'a [Option<Word<'a>>]) -> Option<Self> {
        let (None, words) = list.split_last()? else {
            return None;
        };
        if words.iter().any(Option::is_none) {
            return None;
        }
        // SAFETY: every element of `words` is `Some`, and `Option<Word>` has
        // the layout of `Word` (a non-null pointer; `None` is NULL), so they
        // are words; the `None` after them is the NULL.
        let words = unsafe { &*(core::ptr::from_ref(words) as *const [Word<'a>]) };
        Some(Args { words })
    }

    /// Wraps the kernel's argv.
    ///
    /// # Safety
    ///
    /// `argv` must hold `argc` pointers to NUL-terminated strings followed
    /// by a NULL, all valid and unmodified for `'a`.
    pub unsafe fn from_raw(argc: usize, argv: NonNull<Word<'a>>) -> Self {
        // SAFETY: `Word` is a transparent non-null pointer and argv's first
        // `argc` entries are non-null string pointers, followed by the NULL,
        // per the contract.
        let words = unsafe { core::slice::from_raw_parts(argv.as_ptr(), argc) };
        Args { words }
    }

    /// The words, without the NULL.
    #[inline]
    pub fn as_slice(self) -> &'a [Word<'a>] {
        self.words
    }

    /// The first word, if any.
    #[inline]
    pub fn first(self) -> Option<Word<'a>> {
        self.words.first().copied()
    }

    /// The first word and the list after it, which the same NULL ends.
    #[inline]
    pub fn split_first(self) -> Option<(&'a Word<'a>, Args<'a>)> {
        let (first, words) = self.words.split_first()?;
        Some((first, Args { words }))
    }

    /// Whether the list has no words.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.words.is_empty()
    }

    /// The raw NULL-terminated array, for execve.
    #[inline]
    pub fn as_ptr(self) -> *const *const u8 {
        self.words.as_ptr().cast()
    }
}

/// A C string assembled in fixed storage (no heap) from words and bytes,
/// then viewed in place: the PATH search's `dir/prog` candidates.
///
/// Its methods are `inline(always)`: inlined, the bytes of words need no
/// NUL test and the buffer's state stays in registers; left to the
/// compiler, the search took 80 bytes more, and 136 more instructions for
/// a PATH of two directories (measured).
pub struct CStrBuf<'b, const N: usize> {
    buf: &'b mut [MaybeUninit<u8>; N],
    /// Bytes written: `buf[..len]`, none of them NUL.
    len: usize,
    /// Every byte had room, and none was a NUL.
    fits: bool,
}

impl<'b, const N: usize> CStrBuf<'b, N> {
    /// Writes into `buf`, from its start.
    #[inline(always)]
    pub fn new(buf: &'b mut [MaybeUninit<u8>; N]) -> Self {
        CStrBuf {
            buf,
            len: 0,
            fits: true,
        }
    }

    /// Appends the bytes of `w` up to its first `stop` byte (or its end),
    /// and returns the rest of `w`, from that `stop` byte on.
    #[inline(always)]
    pub fn push_until<'w>(&mut self, mut w: Word<'w>, stop: u8) -> Word<'w> {
        loop {
            let b = w.first();
            if b == 0 || b == stop {
                return w;
            }
            self.put(b);
            w = w.tail();
        }
    }

    /// Appends the bytes of `w`.
    #[inline(always)]
    pub fn push_word(&mut self, w: Word<'_>) {
        let _: Word<'_> = self.push_until(w, 0);
    }

    /// Appends `b`; a NUL spoils the string ([`CStrBuf::finish`] says `None`).
    #[inline(always)]
    pub fn push(&mut self, b: u8) {
        if b == 0 {
            self.fits = false;
        } else {
            self.put(b);
        }
    }

    /// Appends `b`, which is not NUL, if there is room.
    #[inline(always)]
    fn put(&mut self, b: u8) {
        match self.buf.get_mut(self.len) {
            Some(slot) => {
                slot.write(b);
                self.len = self.len.wrapping_add(1);
            }
            None => self.fits = false,
        }
    }

    /// Appends the NUL and returns the string, or `None` when a byte did not
    /// fit (or was a NUL).
    #[inline(always)]
    pub fn finish(self) -> Option<&'b CStr> {
        let CStrBuf { buf, len: n, fits } = self;
        buf.get_mut(n)?.write(0);
        if !fits {
            return None;
        }
        let buf: &'b [MaybeUninit<u8>; N] = buf;
        let written = buf.get(..=n)?;
        // SAFETY: `buf[..n]` were written by `put`, none of them NUL, and
        // `buf[n]` is the NUL written above.
        Some(unsafe {
            CStr::from_bytes_with_nul_unchecked(&*(core::ptr::from_ref(written) as *const [u8]))
        })
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
        self.iter().find_map(|w| {
            let rest = w.strip_prefix(name)?;
            (rest.first() == b'=').then(|| rest.tail())
        })
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
        let mut buf = [core::mem::MaybeUninit::new(7u8); 4];
        assert_eq!(w.copy_to(&mut buf), Some(3));
        // SAFETY: copy_to wrote the first 4 bytes.
        assert_eq!(buf.map(|b| unsafe { b.assume_init() }), *b"-ab\0");
        assert_eq!(w.copy_to(&mut buf[..3]), None);
        assert_eq!(Word::new(c"").copy_to(&mut buf[..1]), Some(0));
        assert_eq!(Word::new(c"").copy_to(&mut []), None);
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
    fn args() {
        let list = [Some(Word::new(c"a")), Some(Word::new(c"b")), None];
        let a = Args::new(&list).unwrap();
        assert_eq!(a.as_slice().len(), 2);
        assert_eq!(a.first().unwrap().to_bytes(), b"a");
        let (first, rest) = a.split_first().unwrap();
        assert_eq!(first.to_bytes(), b"a");
        assert_eq!(rest.as_slice().len(), 1);
        let (_, none) = rest.split_first().unwrap();
        assert!(none.is_empty() && none.split_first().is_none());
        // SAFETY: execve's view: the NULL after the last word.
        assert!(unsafe { *none.as_ptr() }.is_null());
        assert!(Args::new(&list[..2]).is_none(), "no NULL at the end");
        assert!(Args::new(&[Some(Word::new(c"a")), None, None]).is_none());
        assert!(Args::new(&[]).is_none());
        assert!(Args::new(&[None]).unwrap().is_empty());
    }

    #[test]
    fn cstr_buf() {
        let mut buf = [MaybeUninit::new(7u8); 8];
        let mut b = CStrBuf::new(&mut buf);
        let rest = b.push_until(Word::new(c"ab:cd"), b':');
        assert_eq!(rest.to_bytes(), b":cd");
        b.push(b'/');
        b.push_word(Word::new(c"xy"));
        assert_eq!(b.finish().unwrap().to_bytes(), b"ab/xy");
        // Room for 7 bytes and the NUL, not 8.
        let mut b = CStrBuf::new(&mut buf);
        b.push_word(Word::new(c"1234567"));
        assert_eq!(b.finish().unwrap().to_bytes(), b"1234567");
        let mut b = CStrBuf::new(&mut buf);
        b.push_word(Word::new(c"12345678"));
        assert!(b.finish().is_none());
        let mut b = CStrBuf::new(&mut buf);
        b.push_word(Word::new(c"123456789"));
        assert!(b.finish().is_none());
        // A NUL would end the C string early: refused.
        let mut b = CStrBuf::new(&mut buf);
        b.push(b'a');
        b.push(0);
        b.push(b'b');
        assert!(b.finish().is_none());
        let mut empty: [MaybeUninit<u8>; 0] = [];
        assert!(CStrBuf::new(&mut empty).finish().is_none());
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
