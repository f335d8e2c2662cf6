//! Packagist (Composer) versions, ordered as PHP's `version_compare` orders them.
//!
//! A leading `v`/`V` is dropped; the text splits at every non-alphanumeric character (`.`, `-`,
//! `_`, `+`, ...) and at transitions between digits and letters. Numbers compare by value; words
//! by their special form (prefix match, case-sensitive like PHP): anything else < `dev` <
//! `alpha`/`a` < `beta`/`b` < `RC`/`rc` < a number < `pl`/`p`. When one version runs out, the
//! other is greater if its next part is a number or `p...`, smaller if it is any other word.
//! Any non-empty text is a Packagist version.

use crate::num::Num;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Part {
    Word(i8),
    Num(Num),
}

/// PHP's special-form weight of a word (numbers weigh [`NUMBER`]).
fn weight(word: &str) -> i8 {
    const FORMS: [(&str, i8); 7] = [("dev", 0), ("a", 1), ("b", 2), ("RC", 3), ("rc", 3), ("#", 4), ("p", 5)];
    FORMS.iter().find(|(f, _)| word.starts_with(f)).map_or(-1, |&(_, w)| w)
}

const NUMBER: i8 = 4;

/// The sort key of a part, or of the absence of one (`None`): a missing part sits between the
/// words that sort before numbers and the numbers themselves.
fn key(p: Option<&Part>) -> (i8, u8, Option<&Num>) {
    match p {
        Some(Part::Word(w)) => (*w, 0, None),
        Some(Part::Num(n)) => (NUMBER, 2, Some(n)),
        None => (NUMBER, 1, None),
    }
}

#[derive(Debug, Clone)]
pub(crate) struct PhpVersion {
    parts: Vec<Part>,
}

impl Ord for PhpVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for i in 0..self.parts.len().max(other.parts.len()) {
            let o = key(self.parts.get(i)).cmp(&key(other.parts.get(i)));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for PhpVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for PhpVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for PhpVersion {}

pub(crate) fn parse(s: &str) -> PhpVersion {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let mut parts = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c.is_ascii_digit() {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            parts.push(Part::Num(Num::new(&rest[..n])));
            rest = &rest[n..];
        } else if c.is_alphanumeric() {
            let n: usize = rest.chars().take_while(|c| c.is_alphanumeric() && !c.is_ascii_digit()).map(char::len_utf8).sum();
            parts.push(Part::Word(weight(&rest[..n])));
            rest = &rest[n..];
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    PhpVersion { parts }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PhpVersion {
        parse(s)
    }

    #[test]
    fn version_compare_rules() {
        assert!(p("1.0-dev") < p("1.0a1"));
        assert!(p("1.0rc1") < p("1.0"));
        assert!(p("1.0") < p("1.0pl1"));
        assert!(p("1.0") < p("1.0.0"));
        assert_eq!(p("1.0RC1"), p("1.0.rc.1"));
        assert_eq!(p("v1.0"), p("1.0"));
        assert!(p("1.0-foo") < p("1.0-dev"));
        assert!(p("1.0beta") < p("1.0"));
        assert!(p("1.0beta") > p("1.0alpha"));
    }
}
