//! Debian versions as dpkg orders them: `[epoch:]upstream[-revision]`, each part compared with
//! dpkg's `verrevcmp` (letters before other characters, `~` before everything, even the end;
//! digit runs by value). A missing revision equals `0`.

use crate::num::{cmp_digits, Num};
use crate::VersionError;
use std::cmp::Ordering;

const SCHEME: &str = "dpkg";

#[derive(Debug, Clone)]
pub(crate) struct DebVersion {
    epoch: Num,
    upstream: Box<str>,
    revision: Box<str>,
}

impl Ord for DebVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| verrevcmp(self.upstream.as_bytes(), other.upstream.as_bytes()))
            .then_with(|| verrevcmp(self.revision.as_bytes(), other.revision.as_bytes()))
    }
}

impl PartialOrd for DebVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for DebVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for DebVersion {}

/// dpkg's character weight in the non-digit parts.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(b'~') => -1,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(c) => i32::from(c) + 256,
    }
}

fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // Non-digit prefixes, character by character.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (ac, bc) = (order(a.get(i).copied()), order(b.get(j).copied()));
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        // Digit runs, by value.
        let ai = i + a[i.min(a.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        let bj = j + b[j.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        let r = cmp_digits(&a[i.min(a.len())..ai.min(a.len())], &b[j.min(b.len())..bj.min(b.len())]);
        if r != Ordering::Equal {
            return r;
        }
        i = ai;
        j = bj;
    }
    Ordering::Equal
}

pub(crate) fn parse(s: &str, original: &str) -> Result<DebVersion, VersionError> {
    let (epoch, rest) = match s.split_once(':') {
        Some((e, r)) => {
            if e.is_empty() {
                return Err(VersionError::invalid(SCHEME, original, "the epoch before ':' is empty"));
            }
            if !e.bytes().all(|c| c.is_ascii_digit()) {
                return Err(VersionError::invalid(SCHEME, original, format!("the epoch {e:?} is not a number")));
            }
            (Num::new(e), r)
        }
        None => (Num::zero(), s),
    };
    let (upstream, revision) = match rest.rsplit_once('-') {
        Some((u, r)) => {
            if r.is_empty() {
                return Err(VersionError::invalid(SCHEME, original, "the revision after the last '-' is empty"));
            }
            (u, r)
        }
        None => (rest, ""),
    };
    if upstream.is_empty() {
        return Err(VersionError::invalid(SCHEME, original, "the upstream version is empty"));
    }
    if let Some(c) = upstream.chars().find(|&c| !(c.is_ascii_alphanumeric() || ".+~-:".contains(c))) {
        return Err(VersionError::invalid(
            SCHEME,
            original,
            format!("the upstream version contains {c:?} (allowed: letters, digits, . + ~ - :)"),
        ));
    }
    if let Some(c) = revision.chars().find(|&c| !(c.is_ascii_alphanumeric() || ".+~".contains(c))) {
        return Err(VersionError::invalid(SCHEME, original, format!("the revision contains {c:?} (allowed: letters, digits, . + ~)")));
    }
    Ok(DebVersion { epoch, upstream: upstream.into(), revision: revision.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> DebVersion {
        parse(s, s).unwrap()
    }

    #[test]
    fn dpkg_rules() {
        assert!(p("1.0~rc1") < p("1.0"));
        assert!(p("1.0~~") < p("1.0~"));
        assert!(p("1.0") < p("1.0a"));
        assert!(p("1.0a") < p("1.0+"));
        assert!(p("1:0.1") > p("9.9"));
        assert_eq!(p("1.0"), p("1.0-0"));
        assert_eq!(p("0:1.0"), p("1.0"));
        assert!(p("1.2.3-1~deb7u1") < p("1.2.3-1"));
        assert!(p("1.0-1.1") > p("1.0-1"));
        assert_eq!(p("1.02"), p("1.2"));
    }

    #[test]
    fn rejects() {
        for s in [":1.0", "a:1.0", "1.0-", "-1", "1.0_1", "1.0-1:2x!"] {
            assert!(parse(s, s).is_err(), "{s} should be rejected");
        }
    }
}
