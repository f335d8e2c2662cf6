//! Alpine (apk) versions: `digits{.digits}{letter}{_suffix{digits}}...{~hash}{-r#}`, ordered as
//! apk-tools orders them.
//!
//! - Numbers compare by value, except that a component after a dot with a leading zero
//!   compares as text (`1.01` < `1.1`, `1.0` < `1.00`).
//! - A letter may follow a number, and numbers may follow a letter (`6.6.2p1`).
//! - Suffixes `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg` <
//!   `_p`, each with an optional number (default 0).
//! - When one version has more parts than the other, more parts are greater, except that a
//!   pre-release suffix is smaller; a further number beats a letter, which beats a suffix.
//! - `~hash` is ignored; `-rN` (missing N is 0) compares after everything else.
//! - apk compares versions that break these rules too: the text up to the first character that
//!   does not fit is compared as above, and then a version with such a remainder sorts before
//!   the same version without (whatever the remainder). So any non-empty text is a version.

use crate::num::Num;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Tok {
    /// Digits (possibly empty for the very first component), and whether a '.' preceded them.
    Digits {
        after_dot: bool,
        text: Box<str>,
    },
    Letter(u8),
    /// Suffix weight (negative: pre-release) and number.
    Suffix(i8, Num),
}

impl Tok {
    fn rank(t: Option<&Tok>) -> u8 {
        match t {
            Some(Tok::Digits { .. }) => 1,
            Some(Tok::Letter(_)) => 2,
            Some(Tok::Suffix(..)) => 3,
            None => 6,
        }
    }
}

const SUFFIXES: [(&str, i8); 9] =
    [("alpha", -4), ("beta", -3), ("pre", -2), ("rc", -1), ("cvs", 1), ("svn", 2), ("git", 3), ("hg", 4), ("p", 5)];

#[derive(Debug, Clone)]
pub(crate) struct ApkVersion {
    toks: Vec<Tok>,
    revision: Num,
    /// Whether the whole text followed the rules (see the module docs).
    valid: bool,
}

fn cmp_tok(a: &Tok, b: &Tok) -> Option<Ordering> {
    Some(match (a, b) {
        (Tok::Digits { after_dot: da, text: ta }, Tok::Digits { after_dot: db, text: tb }) => {
            if *da && *db && (ta.starts_with('0') || tb.starts_with('0')) {
                ta.as_bytes().cmp(tb.as_bytes())
            } else {
                Num::new(ta).cmp(&Num::new(tb))
            }
        }
        (Tok::Letter(x), Tok::Letter(y)) => x.cmp(y),
        (Tok::Suffix(wx, nx), Tok::Suffix(wy, ny)) => wx.cmp(wy).then_with(|| nx.cmp(ny)),
        _ => return None,
    })
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let mut i = 0;
        loop {
            let (a, b) = (self.toks.get(i), other.toks.get(i));
            if let (Some(x), Some(y)) = (a, b) {
                if let Some(o) = cmp_tok(x, y) {
                    if o != Ordering::Equal {
                        return o;
                    }
                    i += 1;
                    continue;
                }
            }
            if a.is_none() && b.is_none() {
                break;
            }
            // The parts differ in kind, or one version ended.
            if matches!(a, Some(Tok::Suffix(w, _)) if *w < 0) {
                return Ordering::Less;
            }
            if matches!(b, Some(Tok::Suffix(w, _)) if *w < 0) {
                return Ordering::Greater;
            }
            return Tok::rank(b).cmp(&Tok::rank(a));
        }
        self.revision.cmp(&other.revision).then(self.valid.cmp(&other.valid))
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

fn run(b: &[u8], i: usize, f: impl Fn(u8) -> bool) -> usize {
    b[i..].iter().take_while(|&&c| f(c)).count()
}

pub(crate) fn parse(s: &str) -> ApkVersion {
    let b = s.as_bytes();
    let mut toks = Vec::new();
    let mut revision = Num::zero();
    let mut i = run(b, 0, |c| c.is_ascii_digit());
    toks.push(Tok::Digits { after_dot: false, text: s[..i].into() });
    let valid = loop {
        let Some(&c) = b.get(i) else { break true };
        let last = toks.last();
        match c {
            b'.' if matches!(last, Some(Tok::Digits { .. })) => {
                let n = run(b, i + 1, |c| c.is_ascii_digit());
                if n == 0 {
                    break false;
                }
                toks.push(Tok::Digits { after_dot: true, text: s[i + 1..i + 1 + n].into() });
                i += 1 + n;
            }
            b'a'..=b'z' if matches!(last, Some(Tok::Digits { .. })) => {
                toks.push(Tok::Letter(c));
                i += 1;
            }
            b'0'..=b'9' if matches!(last, Some(Tok::Letter(_))) => {
                let n = run(b, i, |c| c.is_ascii_digit());
                toks.push(Tok::Digits { after_dot: false, text: s[i..i + n].into() });
                i += n;
            }
            b'_' => {
                let n = run(b, i + 1, |c| c.is_ascii_lowercase());
                let Some(&(_, w)) = SUFFIXES.iter().find(|(name, _)| name.as_bytes() == &b[i + 1..i + 1 + n]) else {
                    break false;
                };
                let d = run(b, i + 1 + n, |c| c.is_ascii_digit());
                toks.push(Tok::Suffix(w, Num::new(&s[i + 1 + n..i + 1 + n + d])));
                i += 1 + n + d;
            }
            b'~' => {
                let n = run(b, i + 1, |c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
                if n == 0 {
                    break false;
                }
                i += 1 + n;
                // Only the revision may follow a commit hash.
                if i < b.len() && b[i] != b'-' {
                    break false;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'r') => {
                let d = run(b, i + 2, |c| c.is_ascii_digit());
                revision = Num::new(&s[i + 2..i + 2 + d]);
                break i + 2 + d == b.len();
            }
            _ => break false,
        }
    };
    ApkVersion { toks, revision, valid }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ApkVersion {
        parse(s)
    }

    #[test]
    fn apk_rules() {
        assert!(p("1.0_alpha1") < p("1.0"));
        assert!(p("1.0_rc1") < p("1.0"));
        assert!(p("1.0") < p("1.0_p1"));
        assert!(p("1.0_p1") < p("1.0.1"));
        assert!(p("1.0") < p("1.0-r1"));
        assert_eq!(p("1.0-r"), p("1.0-r0"));
        assert!(p("1.01") < p("1.1"));
        assert!(p("1.0a") < p("1.0b"));
        assert_eq!(p("1.0~abc123-r1"), p("1.0-r1"));
        assert!(p("1.0_blah") < p("1.0"));
        assert!(p("1.0-r1-x") < p("1.0-r1"));
        assert!(p("2.0-r1-x") > p("1.0-r1"));
    }
}
