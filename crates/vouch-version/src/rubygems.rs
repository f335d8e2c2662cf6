//! RubyGems versions, ordered as `Gem::Version#<=>` orders them.
//!
//! `-` reads as `.pre.`; the version is the runs of digits and of letters in it; trailing zeros
//! are dropped from the leading numeric part and from the rest ("canonical segments"); segments
//! compare pairwise, missing ones being 0, numbers by value, strings byte-wise, any string
//! before any number. Accepted text starts with a digit and has only ASCII letters, digits, `.`
//! and `-` (a little wider than RubyGems' own pattern, as OSV is: `1beta` is `1.beta`).

use crate::num::Num;
use crate::VersionError;
use std::cmp::Ordering;

const SCHEME: &str = "RubyGems";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Num(Num),
    Str(Box<str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GemVersion {
    canonical: Vec<Segment>,
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Num(Num::zero());
        let (l, r) = (&self.canonical, &other.canonical);
        for i in 0..l.len().max(r.len()) {
            let (a, b) = (l.get(i).unwrap_or(&zero), r.get(i).unwrap_or(&zero));
            let o = match (a, b) {
                (Segment::Num(x), Segment::Num(y)) => x.cmp(y),
                (Segment::Str(x), Segment::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
                (Segment::Str(_), Segment::Num(_)) => Ordering::Less,
                (Segment::Num(_), Segment::Str(_)) => Ordering::Greater,
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn drop_trailing_zeros(v: &mut Vec<Segment>) {
    while matches!(v.last(), Some(Segment::Num(n)) if n.is_zero()) {
        v.pop();
    }
}

pub(crate) fn parse(s: &str, original: &str) -> Result<GemVersion, VersionError> {
    if !s.as_bytes()[0].is_ascii_digit() {
        return Err(VersionError::invalid(SCHEME, original, "it does not start with a digit"));
    }
    if let Some(c) = s.chars().find(|&c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        return Err(VersionError::invalid(SCHEME, original, format!("it contains {c:?} (allowed: ASCII letters, digits, '.', '-')")));
    }
    let text = s.replace('-', ".pre.");
    let b = text.as_bytes();
    let mut segments = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            segments.push(Segment::Num(Num::new(&text[i..i + n])));
            i += n;
        } else if c.is_ascii_alphabetic() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_alphabetic()).count();
            segments.push(Segment::Str(text[i..i + n].into()));
            i += n;
        } else {
            i += 1;
        }
    }
    let first_str = segments.iter().position(|s| matches!(s, Segment::Str(_))).unwrap_or(segments.len());
    let mut strings = segments.split_off(first_str);
    drop_trailing_zeros(&mut segments);
    drop_trailing_zeros(&mut strings);
    segments.append(&mut strings);
    Ok(GemVersion { canonical: segments })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> GemVersion {
        parse(s, s).unwrap()
    }

    #[test]
    fn gem_version_rules() {
        assert_eq!(p("1.0"), p("1"));
        assert_eq!(p("1.0.a2"), p("1.0.a.2"));
        assert!(p("1.0.a") < p("1.0"));
        assert!(p("1.0.b1") > p("1.0.a.2"));
        assert_eq!(p("1.0-1"), p("1.0.pre.1"));
        assert!(p("1.0.A") < p("1.0.a"));
        assert!(parse("v1.0", "v1.0").is_err());
        assert!(parse("1.0_1", "1.0_1").is_err());
    }
}
