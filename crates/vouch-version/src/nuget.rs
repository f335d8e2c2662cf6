//! NuGet versions: SemVer 2.0 with up to four numeric parts (missing parts are zero, leading
//! zeros allowed), prerelease labels compared case-insensitively (numeric labels by value,
//! before alphanumeric ones), build metadata ignored.

use crate::num::{all_digits, Num};
use crate::semver::Ident;
use crate::VersionError;
use std::cmp::Ordering;

const SCHEME: &str = "NuGet";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NuGetVersion {
    parts: [Num; 4],
    /// Prerelease labels, alphanumeric ones lower-cased.
    pre: Vec<Ident>,
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => self.pre.cmp(&other.pre),
        })
    }
}

impl PartialOrd for NuGetVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn labels<'a>(original: &str, what: &str, s: &'a str) -> Result<Vec<&'a str>, VersionError> {
    if s.is_empty() {
        return Err(VersionError::invalid(SCHEME, original, format!("the {what} is empty")));
    }
    let ids: Vec<&str> = s.split('.').collect();
    for id in &ids {
        if id.is_empty() {
            return Err(VersionError::invalid(SCHEME, original, format!("the {what} has an empty label")));
        }
        if !id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            return Err(VersionError::invalid(
                SCHEME,
                original,
                format!("the {what} label {id:?} has characters other than ASCII letters, digits and '-'"),
            ));
        }
    }
    Ok(ids)
}

pub(crate) fn parse(s: &str, original: &str) -> Result<NuGetVersion, VersionError> {
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    if let Some(b) = build {
        labels(original, "build metadata", b)?;
    }
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let comps: Vec<&str> = core.split('.').collect();
    if comps.len() > 4 {
        return Err(VersionError::invalid(SCHEME, original, format!("it has {} numeric parts; at most 4 are allowed", comps.len())));
    }
    let mut parts = [Num::zero(), Num::zero(), Num::zero(), Num::zero()];
    for (i, c) in comps.iter().enumerate() {
        if !all_digits(c) {
            let what = if c.is_empty() { "empty".to_string() } else { format!("{c:?}, not a number") };
            return Err(VersionError::invalid(SCHEME, original, format!("numeric part {} is {what}", i + 1)));
        }
        parts[i] = Num::new(c);
    }
    let mut pre_ids = Vec::new();
    if let Some(p) = pre {
        for id in labels(original, "prerelease", p)? {
            pre_ids.push(if all_digits(id) { Ident::Num(Num::new(id)) } else { Ident::Alpha(id.to_ascii_lowercase().into()) });
        }
    }
    Ok(NuGetVersion { parts, pre: pre_ids })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> NuGetVersion {
        parse(s, s).unwrap()
    }

    #[test]
    fn four_parts_and_case() {
        assert_eq!(p("1.0"), p("1.0.0.0"));
        assert!(p("1.0.0") < p("1.0.0.1-alpha"));
        assert_eq!(p("1.0.0-BETA"), p("1.0.0-beta+x"));
        assert!(parse("1.2.3.4.5", "1.2.3.4.5").is_err());
        assert!(parse("v1.0", "v1.0").is_err());
        assert!(parse("1.0-", "1.0-").is_err());
    }
}
