//! PyPI versions: PEP 440 as the `packaging` library parses and orders it, plus the legacy
//! (setuptools-style) ordering that `packaging` applied to every other string before it dropped
//! `LegacyVersion`. Legacy versions sort before every PEP 440 version, so any non-empty text is a
//! PyPI version.

use crate::num::Num;

/// The pre-release part of the PEP 440 sort key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PreKey {
    /// A dev release of a final version (`1.0.dev0`) sorts before its pre-releases.
    BeforeAll,
    /// `a` (0), `b` (1), `rc` (2) and its number.
    Pre(u8, Num),
    /// No pre-release.
    None,
}

/// The dev-release part of the sort key: a dev release sorts before the same version without.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum DevKey {
    Dev(Num),
    None,
}

/// A local version segment: alphanumeric segments sort before numeric ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum LocalPart {
    Alpha(Box<str>),
    Num(Num),
}

/// A PEP 440 version as its sort key (field order is comparison order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pep440 {
    epoch: Num,
    /// Release numbers without trailing zeros.
    release: Vec<Num>,
    pre: PreKey,
    post: Option<Num>,
    dev: DevKey,
    local: Option<Vec<LocalPart>>,
}

/// A PyPI version. Legacy ones come first (the variant order is the sort order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PyVersion {
    /// The legacy key: setuptools-style parts (`*` marks words, numbers are zero-filled to 8).
    Legacy(Vec<String>),
    Pep440(Pep440),
}

pub(crate) fn parse(s: &str) -> PyVersion {
    let lower = s.to_lowercase();
    match pep440(&lower) {
        Some(v) => PyVersion::Pep440(v),
        None => PyVersion::Legacy(legacy(&lower)),
    }
}

/// A cursor over the lower-cased text, matching the PEP 440 grammar piece by piece.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn digits(&mut self) -> Option<Num> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| Num::new(std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("0")))
    }

    fn sep(&mut self) {
        if matches!(self.peek(), Some(b'-' | b'_' | b'.')) {
            self.pos += 1;
        }
    }

    /// Consumes the first of `words` that the text continues with (callers list longer words
    /// before their prefixes).
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = &self.s[self.pos..];
        let i = words.iter().position(|w| rest.starts_with(w.as_bytes()))?;
        self.pos += words[i].len();
        Some(i)
    }
}

/// The PEP 440 grammar (packaging's `VERSION_PATTERN`), on lower-cased, trimmed text.
fn pep440(s: &str) -> Option<Pep440> {
    let mut c = Cursor { s: s.as_bytes(), pos: 0 };
    if c.peek() == Some(b'v') {
        c.pos += 1;
    }
    // Epoch: digits followed by '!'.
    let save = c.pos;
    let mut epoch = Num::zero();
    match c.digits() {
        Some(n) if c.peek() == Some(b'!') => {
            c.pos += 1;
            epoch = n;
        }
        _ => c.pos = save,
    }
    // Release: N(.N)*
    let mut release = vec![c.digits()?];
    while c.peek() == Some(b'.') && c.s.get(c.pos + 1).is_some_and(|d| d.is_ascii_digit()) {
        c.pos += 1;
        release.push(c.digits()?);
    }
    // Pre-release: [-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?N?
    let save = c.pos;
    c.sep();
    let mut pre = None;
    const PRE: [&str; 8] = ["preview", "alpha", "beta", "pre", "rc", "a", "b", "c"];
    const PRE_KIND: [u8; 8] = [2, 0, 1, 2, 2, 0, 1, 2];
    match c.word(&PRE) {
        Some(i) => {
            c.sep();
            pre = Some((PRE_KIND[i], c.digits().unwrap_or_else(Num::zero)));
        }
        None => c.pos = save,
    }
    // Post-release: -N | [-_.]?(post|rev|r)[-_.]?N?
    let save = c.pos;
    let mut post = None;
    if c.peek() == Some(b'-') && c.s.get(c.pos + 1).is_some_and(|d| d.is_ascii_digit()) {
        c.pos += 1;
        post = c.digits();
    } else {
        c.sep();
        match c.word(&["post", "rev", "r"]) {
            Some(_) => {
                c.sep();
                post = Some(c.digits().unwrap_or_else(Num::zero));
            }
            None => c.pos = save,
        }
    }
    // Dev release: [-_.]?dev[-_.]?N?
    let save = c.pos;
    c.sep();
    let mut dev = None;
    match c.word(&["dev"]) {
        Some(_) => {
            c.sep();
            dev = Some(c.digits().unwrap_or_else(Num::zero));
        }
        None => c.pos = save,
    }
    // Local version: +[a-z0-9]+([-_.][a-z0-9]+)*
    let mut local = None;
    if c.peek() == Some(b'+') {
        c.pos += 1;
        let rest = std::str::from_utf8(&c.s[c.pos..]).ok()?;
        let mut parts = Vec::new();
        for part in rest.split(['-', '_', '.']) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                return None;
            }
            parts.push(if part.bytes().all(|b| b.is_ascii_digit()) {
                LocalPart::Num(Num::new(part))
            } else {
                LocalPart::Alpha(part.into())
            });
        }
        c.pos = c.s.len();
        local = Some(parts);
    }
    if c.pos != c.s.len() {
        return None;
    }
    while release.last().is_some_and(Num::is_zero) {
        release.pop();
    }
    let pre = match (pre, &post, &dev) {
        (Some((k, n)), _, _) => PreKey::Pre(k, n),
        (None, None, Some(_)) => PreKey::BeforeAll,
        (None, _, _) => PreKey::None,
    };
    let dev = dev.map_or(DevKey::None, DevKey::Dev);
    Some(Pep440 { epoch, release, pre, post, dev, local })
}

/// packaging's legacy key (`_legacy_cmpkey`) for text that is not PEP 440, lower-cased.
fn legacy(s: &str) -> Vec<String> {
    // Split into runs of digits, runs of a-z, '.', '-', and the runs of anything else in between.
    let mut pieces: Vec<&str> = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    let mut other_start = 0;
    while i < b.len() {
        let c = b[i];
        let end = if c.is_ascii_digit() {
            i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count()
        } else if c.is_ascii_lowercase() {
            i + b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count()
        } else if c == b'.' || c == b'-' {
            i + 1
        } else {
            i += 1;
            continue;
        };
        if other_start < i {
            pieces.push(&s[other_start..i]);
        }
        pieces.push(&s[i..end]);
        i = end;
        other_start = end;
    }
    if other_start < b.len() {
        pieces.push(&s[other_start..]);
    }
    let mut parts: Vec<String> = Vec::new();
    let words = pieces.into_iter().filter_map(|p| {
        let p = match p {
            "pre" | "preview" | "rc" => "c",
            "-" => "final-",
            "dev" => "@",
            "." => return None,
            p => p,
        };
        Some(if p.as_bytes()[0].is_ascii_digit() { format!("{p:0>8}") } else { format!("*{p}") })
    });
    for part in words.chain(std::iter::once("*final".to_string())) {
        if part.starts_with('*') {
            if part.as_str() < "*final" {
                while parts.last().is_some_and(|p| p == "*final-") {
                    parts.pop();
                }
            }
            while parts.last().is_some_and(|p| p == "00000000") {
                parts.pop();
            }
        }
        parts.push(part);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PyVersion {
        parse(s)
    }

    #[test]
    fn pep440_forms() {
        assert!(matches!(p("1.0-RC1"), PyVersion::Pep440(_)));
        assert_eq!(p("1.0-RC1"), p("1.0rc1"));
        assert_eq!(p("1.0.post"), p("1.0.post0"));
        assert_eq!(p("1.0-1"), p("1.0.post1"));
        assert_eq!(p("1.0"), p("1.0.0.0"));
        assert_eq!(p("v1.0alpha.2"), p("1.0a2"));
        assert_eq!(p("1.0a."), p("1.0a0"));
        assert!(p("1.0.dev0") < p("1.0a0"));
        assert!(p("1.0a0") < p("1.0"));
        assert!(p("1.0") < p("1.0+local"));
        assert!(p("1.0+abc") < p("1.0+1"));
        assert!(p("1!0.1") > p("2.0"));
        assert!(p("1.0.post1.dev1") < p("1.0.post1"));
        assert!(p("1.0.post1.dev1") > p("1.0"));
    }

    #[test]
    fn legacy_sorts_first() {
        assert!(matches!(p("0.1-bulbasaur"), PyVersion::Legacy(_)));
        assert!(matches!(p("1.0."), PyVersion::Legacy(_)));
        assert!(p("9999-whatever") < p("0.0.1"));
        assert!(p("0.1-bulbasaur") < p("0.1-charmander"));
        assert_eq!(legacy("1.0"), vec!["00000001", "*final"]);
        assert_eq!(legacy("1.0-dev"), vec!["00000001", "*@", "*final"]);
        assert_eq!(legacy("1_2"), vec!["00000001", "*_", "00000002", "*final"]);
    }
}
