//! Arbitrary-size non-negative integers, kept as digit strings: no overflow, ever.

use std::cmp::Ordering;

/// A non-negative integer in canonical decimal form (no leading zeros; zero is `"0"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Num(Box<str>);

impl Num {
    /// From ASCII digits (possibly empty, which is zero). The caller guarantees digits only.
    pub(crate) fn new(digits: &str) -> Num {
        let t = digits.trim_start_matches('0');
        Num(if t.is_empty() { "0" } else { t }.into())
    }

    pub(crate) fn zero() -> Num {
        Num("0".into())
    }

    pub(crate) fn is_zero(&self) -> bool {
        &*self.0 == "0"
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.len().cmp(&other.0.len()).then_with(|| self.0.as_bytes().cmp(other.0.as_bytes()))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two runs of ASCII digits by value.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |d: &[u8]| -> usize { d.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `s` is one or more ASCII digits.
pub(crate) fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_numbers_compare_by_value() {
        assert!(Num::new("999999999999999999999999999991") < Num::new("999999999999999999999999999999"));
        assert!(Num::new("10") > Num::new("9"));
        assert_eq!(Num::new("007"), Num::new("7"));
        assert_eq!(Num::new(""), Num::zero());
        assert!(Num::new("000").is_zero());
        assert_eq!(cmp_digits(b"0010", b"9"), Ordering::Greater);
        assert_eq!(cmp_digits(b"", b"000"), Ordering::Equal);
    }
}
