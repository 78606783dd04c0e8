//! Number scanning for `-b` (decimal) and `-a` (octal), as skalibs'
//! `uint0_scan`/`uint0_oscan`: the whole word must be digits of the base, at
//! least one, no sign, no blanks, no prefix; the value must fit in 32 bits.
//! And the one number we print: `Unknown error N`.
#![forbid(unsafe_code)]

use crate::word::Word;

/// Scans the whole of `w` as an unsigned 32-bit number in `base` (8 or 10).
/// `None` for an empty word, a non-digit anywhere, or an overflow.
pub fn scan(w: Word<'_>, base: u32) -> Option<u32> {
    let mut bytes = w.bytes();
    let mut n = digit(bytes.next()?, base)?;
    for b in bytes {
        n = n.checked_mul(base)?.checked_add(digit(b, base)?)?;
    }
    Some(n)
}

fn digit(b: u8, base: u32) -> Option<u32> {
    let d = u32::from(b.wrapping_sub(b'0'));
    (d < base).then_some(d)
}

/// Room for the longest `u32` in decimal.
pub const U32_DIGITS: usize = 10;

/// Writes `n` in decimal at the end of `buf`; returns the digits.
pub fn fmt_u32(mut n: u32, buf: &mut [u8; U32_DIGITS]) -> &[u8] {
    let mut start = U32_DIGITS;
    while let Some(slot) = start.checked_sub(1).and_then(|i| buf.get_mut(i)) {
        let q = div10(n);
        // `n - 10q < 10`: the cast and the add cannot overflow.
        *slot = b'0'.wrapping_add(n.wrapping_sub(q.wrapping_mul(10)) as u8);
        n = q;
        start = start.wrapping_sub(1);
        if n == 0 {
            break;
        }
    }
    buf.get(start..).unwrap_or_default()
}

/// `n / 10`, by multiplying with the reciprocal (exact for every `u32`).
/// At `opt-level = "z"` LLVM would call a division routine instead, and on
/// armv7 (no divide instruction) that routine is 512 bytes.
fn div10(n: u32) -> u32 {
    ((u64::from(n) * 0xCCCC_CCCD) >> 35) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    fn s(text: &str, base: u32) -> Option<u32> {
        let c = CString::new(text).unwrap();
        scan(Word::new(&c), base)
    }

    #[test]
    fn decimal() {
        assert_eq!(s("0", 10), Some(0));
        assert_eq!(s("007", 10), Some(7));
        assert_eq!(s("4096", 10), Some(4096));
        assert_eq!(s("4294967295", 10), Some(u32::MAX));
        assert_eq!(s("4294967296", 10), None);
        assert_eq!(s("99999999999", 10), None);
        for bad in ["", "-1", "+5", " 5", "5 ", "0x10", "1a", "a0700"] {
            assert_eq!(s(bad, 10), None, "{bad:?}");
        }
    }

    #[test]
    fn octal() {
        assert_eq!(s("0700", 8), Some(0o700));
        assert_eq!(s("1777", 8), Some(0o1777));
        assert_eq!(s("37777777777", 8), Some(u32::MAX));
        assert_eq!(s("40000000000", 8), None);
        for bad in ["", "999", "0778", "8", "-0", "0o7"] {
            assert_eq!(s(bad, 8), None, "{bad:?}");
        }
    }

    #[test]
    fn tenths() {
        for n in (0..=u32::MAX)
            .step_by(9973)
            .chain([9, 10, 11, 99, 100, u32::MAX - 1, u32::MAX])
        {
            assert_eq!(div10(n), n / 10, "{n}");
        }
    }

    #[test]
    fn print() {
        let mut buf = [0; U32_DIGITS];
        assert_eq!(fmt_u32(0, &mut buf), b"0");
        assert_eq!(fmt_u32(4095, &mut buf), b"4095");
        assert_eq!(fmt_u32(u32::MAX, &mut buf), b"4294967295");
    }
}
