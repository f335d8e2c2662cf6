//! RPM versions (Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Mageia, openEuler, Photon
//! OS, Azure Linux): `[epoch:]version[-release]`, each part compared with rpm's `rpmvercmp`.
//!
//! `rpmvercmp` splits the text into runs of ASCII digits and of ASCII letters; anything else
//! (including non-ASCII) separates them, except `~` and `^`. At each position: `~` < the end
//! of the text < `^` < letters < digits; letters compare byte-wise, digits by value. A missing
//! epoch is 0 (and the epoch, like OSV reads it, is compared with `rpmvercmp` too); a missing
//! release sorts before any release, even an empty one. Any non-empty text is an RPM version.

use crate::num::cmp_digits;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub(crate) struct RpmVersion {
    epoch: Box<str>,
    version: Box<str>,
    release: Option<Box<str>>,
}

impl Ord for RpmVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        rpmvercmp(self.epoch.as_bytes(), other.epoch.as_bytes())
            .then_with(|| rpmvercmp(self.version.as_bytes(), other.version.as_bytes()))
            .then_with(|| match (&self.release, &other.release) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(a), Some(b)) => rpmvercmp(a.as_bytes(), b.as_bytes()),
            })
    }
}

impl PartialOrd for RpmVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for RpmVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RpmVersion {}

fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    let is_sep = |c: u8| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^';
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && is_sep(a[i]) {
            i += 1;
        }
        while j < b.len() && is_sep(b[j]) {
            j += 1;
        }
        let (x, y) = (a.get(i).copied(), b.get(j).copied());
        // '~' sorts before everything, even the end.
        if x == Some(b'~') || y == Some(b'~') {
            if x != Some(b'~') {
                return Ordering::Greater;
            }
            if y != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        // '^' sorts after the end but before everything else.
        if x == Some(b'^') || y == Some(b'^') {
            match (x, y) {
                (None, _) => return Ordering::Less,
                (_, None) => return Ordering::Greater,
                (Some(b'^'), Some(b'^')) => {
                    i += 1;
                    j += 1;
                    continue;
                }
                (Some(b'^'), _) => return Ordering::Less,
                _ => return Ordering::Greater,
            }
        }
        let (Some(x), Some(_)) = (x, y) else {
            // Whichever has something left wins.
            return (i < a.len()).cmp(&(j < b.len()));
        };
        let numeric = x.is_ascii_digit();
        let class = |c: &u8| if numeric { c.is_ascii_digit() } else { c.is_ascii_alphabetic() };
        let si = i + a[i..].iter().take_while(|c| class(c)).count();
        let sj = j + b[j..].iter().take_while(|c| class(c)).count();
        if sj == j {
            // Different kinds of segment: a number beats letters.
            return if numeric { Ordering::Greater } else { Ordering::Less };
        }
        let o = if numeric { cmp_digits(&a[i..si], &b[j..sj]) } else { a[i..si].cmp(&b[j..sj]) };
        if o != Ordering::Equal {
            return o;
        }
        i = si;
        j = sj;
    }
}

pub(crate) fn parse(s: &str) -> RpmVersion {
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) => (e, r),
        None => ("0", s),
    };
    let (version, release) = match rest.rsplit_once('-') {
        Some((v, r)) => (v, Some(r.into())),
        None => (rest, None),
    };
    RpmVersion { epoch: epoch.into(), version: version.into(), release }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> RpmVersion {
        parse(s)
    }

    #[test]
    fn rpmvercmp_rules() {
        assert!(p("1.0~rc1") < p("1.0"));
        assert!(p("1.0") < p("1.0^git1"));
        assert!(p("1.0^git1") < p("1.0.1"));
        assert!(p("1.0a") < p("1.0.1"));
        assert!(p("1.0") < p("1.0a"));
        assert_eq!(p("1.0_1"), p("1.0.1"));
        assert!(p("1:0.1") > p("9.9"));
        assert!(p("1") < p("1-0"));
        assert_eq!(p("1.010"), p("1.10"));
    }
}
