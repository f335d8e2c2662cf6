//! SemVer 2.0 as OSV's `SEMVER` range type, npm, crates.io, Hex, Pub and Go use it.
//!
//! Tolerated beyond the strict grammar: a leading `v`/`V`; partial versions (`1`, `1.2`, padded
//! with zeros); leading zeros in numbers (compared by value); and more than three numeric
//! components, the fourth onwards being treated like build metadata (ignored), as OSV does.
//! Go pseudo-versions (`v0.0.0-20210101000000-abcdef123456`) are prereleases and
//! `+incompatible` is build metadata, so plain SemVer precedence orders them as Go does.

use crate::num::{all_digits, Num};
use crate::VersionError;
use std::cmp::Ordering;

/// A prerelease identifier: numeric ones sort before alphanumeric ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ident {
    Num(Num),
    Alpha(Box<str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SemVer {
    core: [Num; 3],
    pre: Vec<Ident>,
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.core.cmp(&other.core).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.pre.cmp(&other.pre),
        })
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn ident_ok(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// Checks dot-separated identifiers (prerelease or build metadata).
fn idents<'a>(scheme: &'static str, original: &str, what: &str, s: &'a str) -> Result<Vec<&'a str>, VersionError> {
    let ids: Vec<&str> = s.split('.').collect();
    for id in &ids {
        if id.is_empty() {
            return Err(VersionError::invalid(scheme, original, format!("the {what} has an empty identifier")));
        }
        if !ident_ok(id) {
            return Err(VersionError::invalid(
                scheme,
                original,
                format!("the {what} identifier {id:?} has characters other than ASCII letters, digits and '-'"),
            ));
        }
    }
    Ok(ids)
}

pub(crate) fn parse(scheme: &'static str, s: &str, original: &str) -> Result<SemVer, VersionError> {
    let body = s.strip_prefix(['v', 'V']).unwrap_or(s);
    // Build metadata starts at the first '+', the prerelease at the first '-' before it.
    let (rest, build) = match body.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (body, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    if let Some(b) = build {
        if b.is_empty() {
            return Err(VersionError::invalid(scheme, original, "the build metadata after '+' is empty"));
        }
        idents(scheme, original, "build metadata", b)?;
    }
    if core.is_empty() {
        return Err(VersionError::invalid(scheme, original, "it has no major version number"));
    }
    let mut nums = [Num::zero(), Num::zero(), Num::zero()];
    for (i, part) in core.split('.').enumerate() {
        if !all_digits(part) {
            let what = if part.is_empty() { "empty".to_string() } else { format!("{part:?}, not a number") };
            return Err(VersionError::invalid(scheme, original, format!("numeric component {} is {what}", i + 1)));
        }
        if i < 3 {
            nums[i] = Num::new(part);
        }
        // A fourth component onwards counts as build metadata, as OSV reads it.
    }
    let mut pre_ids = Vec::new();
    if let Some(p) = pre {
        if p.is_empty() {
            return Err(VersionError::invalid(scheme, original, "the prerelease after '-' is empty"));
        }
        for id in idents(scheme, original, "prerelease", p)? {
            pre_ids.push(if all_digits(id) { Ident::Num(Num::new(id)) } else { Ident::Alpha(id.into()) });
        }
    }
    if core.split('.').count() > 3 {
        // OSV: everything after the third component belongs to the build string.
        pre_ids.clear();
    }
    Ok(SemVer { core: nums, pre: pre_ids })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> SemVer {
        parse("SemVer", s, s).unwrap()
    }

    #[test]
    fn ordering_basics() {
        assert!(p("1.0.0-alpha") < p("1.0.0-alpha.1"));
        assert!(p("1.0.0-rc.1") < p("1.0.0"));
        assert_eq!(p("1"), p("1.0.0"));
        assert_eq!(p("v1.2"), p("1.2.0"));
        assert_eq!(p("1.2.3+a"), p("1.2.3+b"));
        assert!(p("v0.0.0-20210101000000-abcdef123456") < p("v0.0.1"));
        assert!(p("v0.0.0-20200101000000-abcdef123456") < p("v0.0.0-20210101000000-000000000000"));
        assert_eq!(p("v2.0.0+incompatible"), p("2.0.0"));
    }

    #[test]
    fn rejects() {
        for s in ["v", "1.", "1..2", "a.b.c", "1.2.3-", "1.2.3+", "1.2.3-a..b", "1.2.3-a_b", "-1", "1.2.x"] {
            assert!(parse("SemVer", s, s).is_err(), "{s} should be rejected");
        }
    }
}
