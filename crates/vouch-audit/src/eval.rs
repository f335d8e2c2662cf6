//! The OSV evaluation algorithm (schema section "Evaluation"), with an explanation of every
//! match: a version is affected when it is listed in `versions` (compared after parsing) or lies
//! in any range. For each range, events are sorted by version (`introduced: "0"` first) and walked
//! in order: `introduced` at or below the version makes it vulnerable, a `fixed` at or below it or
//! a `last_affected` below it makes it safe again; the range applies only before one of its
//! `limit` events (`"*"` is infinity; none means no limit). `GIT` ranges cannot be evaluated for a
//! version number and are reported as such; so are ranges whose events cannot be parsed.

use serde::Serialize;
use std::cmp::Ordering;
use vouch_osv::{Affected, Event, Range, RangeKind};
use vouch_pkg::Ecosystem;
use vouch_version::Version;

/// Why a version matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    /// `versions` (listed explicitly), `SEMVER` or `ECOSYSTEM`.
    pub kind: String,
    /// The `introduced` event that opened the range the version lies in (`0` = every version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    /// The `fixed` event that closes that range, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// The `last_affected` event that closes that range, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    /// The `limit` the version lies below, when the range has limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

impl Why {
    /// One line for people: `in ECOSYSTEM range [1.0, fixed 1.2.5)`.
    pub fn describe(&self) -> String {
        if self.kind == "versions" {
            return "listed in the advisory's affected versions".into();
        }
        let from = match self.introduced.as_deref() {
            None | Some("0") => "every version".to_string(),
            Some(v) => format!(">= {v}"),
        };
        let mut s = format!("{} range: {from}", self.kind);
        if let Some(f) = &self.fixed {
            s.push_str(&format!(", < {f} (fixed)"));
        } else if let Some(l) = &self.last_affected {
            s.push_str(&format!(", <= {l} (last affected)"));
        } else {
            s.push_str(", no fix");
        }
        if let Some(l) = &self.limit {
            s.push_str(&format!(", below limit {l}"));
        }
        s
    }
}

/// The result of evaluating one `affected` entry for one version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    /// Set when the version is affected.
    pub matched: Option<Why>,
    /// Ranges or listed versions that could not be evaluated, with the reason. A version that is
    /// not matched but has such notes is "not known to be affected", not "unaffected".
    pub unevaluated: Vec<String>,
    /// Every `fixed` version of the entry's ranges that could be parsed, for fix suggestions.
    pub fixes: Vec<String>,
}

/// A position on a range's version line.
#[derive(Debug, Clone)]
enum Point {
    /// `introduced: "0"`: before every version.
    Zero,
    At(Version),
    /// `limit: "*"`: after every version.
    Infinity,
}

impl Point {
    fn cmp_version(&self, v: &Version) -> Ordering {
        match self {
            Point::Zero => Ordering::Less,
            Point::At(p) => p.cmp(v),
            Point::Infinity => Ordering::Greater,
        }
    }

    fn cmp_point(&self, other: &Point) -> Ordering {
        match (self, other) {
            (Point::Zero, Point::Zero) | (Point::Infinity, Point::Infinity) => Ordering::Equal,
            (Point::Zero, _) | (_, Point::Infinity) => Ordering::Less,
            (_, Point::Zero) | (Point::Infinity, _) => Ordering::Greater,
            (Point::At(a), Point::At(b)) => a.cmp(b),
        }
    }
}

/// Which ordering a range uses.
#[derive(Clone, Copy)]
enum Scheme<'a> {
    Semver,
    Ecosystem(&'a Ecosystem),
}

impl Scheme<'_> {
    fn parse(&self, s: &str) -> Result<Version, String> {
        let r = match self {
            Scheme::Semver => vouch_version::parse_semver(s),
            Scheme::Ecosystem(e) => vouch_version::parse(e, s),
        };
        r.map_err(|e| e.to_string())
    }
}

/// Evaluates whether `version` of a package in `eco` is affected according to `affected`.
pub fn evaluate(eco: &Ecosystem, version: &str, affected: &Affected) -> Evaluation {
    let mut out = Evaluation::default();
    let supported = vouch_version::supported(eco);
    let installed = if supported { vouch_version::parse(eco, version).ok() } else { None };

    // Ranges first (they explain more than a listed version does).
    for range in &affected.ranges {
        let scheme = match &range.kind {
            RangeKind::Semver => Scheme::Semver,
            RangeKind::Ecosystem if supported => Scheme::Ecosystem(eco),
            RangeKind::Ecosystem => {
                out.unevaluated.push(format!("ECOSYSTEM range: vouch has no version ordering for {eco}"));
                continue;
            }
            RangeKind::Git => {
                out.unevaluated.push(format!(
                    "GIT range{} is defined by commits, not versions",
                    range.repo.as_deref().map(|r| format!(" of {r}")).unwrap_or_default()
                ));
                continue;
            }
            RangeKind::Other(t) => {
                out.unevaluated.push(format!("range of unknown type {t:?}"));
                continue;
            }
        };
        collect_fixes(range, scheme, &mut out.fixes);
        let v = match (&scheme, &installed) {
            (Scheme::Ecosystem(_), Some(v)) => v.clone(),
            (Scheme::Ecosystem(_), None) => {
                out.unevaluated.push(format!("version {version:?} is not a valid {eco} version"));
                continue;
            }
            (Scheme::Semver, _) => match scheme.parse(version) {
                Ok(v) => v,
                Err(e) => {
                    out.unevaluated.push(format!("SEMVER range: installed version is not SemVer ({e})"));
                    continue;
                }
            },
        };
        match in_range(&v, range, scheme) {
            Ok(Some(why)) => {
                if out.matched.is_none() {
                    out.matched = Some(why);
                }
            }
            Ok(None) => {}
            Err(e) => out.unevaluated.push(e),
        }
    }
    if out.matched.is_none() && listed(eco, version, installed.as_ref(), &affected.versions) {
        out.matched = Some(Why { kind: "versions".into(), introduced: None, fixed: None, last_affected: None, limit: None });
    }
    if supported && installed.is_none() && out.matched.is_none() && !affected.ranges.is_empty() {
        // Already noted per range; keep one clear note when nothing else was said.
        if out.unevaluated.is_empty() {
            out.unevaluated.push(format!("version {version:?} is not a valid {eco} version"));
        }
    }
    out
}

/// `IncludedInVersions`: equality after parsing; exact text when either side does not parse.
fn listed(eco: &Ecosystem, version: &str, installed: Option<&Version>, versions: &[String]) -> bool {
    let lead = leading_number(version);
    versions.iter().any(|l| {
        if l == version {
            return true;
        }
        // Equal versions have the same leading number in every ordering (`1.0` = `1.0.0` =
        // `v1` = `01.0`); most listed versions differ there and need not be parsed.
        if let (Some(a), Some(b)) = (lead, leading_number(l)) {
            if a != b {
                return false;
            }
        }
        match (installed, vouch_version::parse(eco, l)) {
            (Some(v), Ok(lv)) => lv.cmp(v) == Ordering::Equal,
            _ => false,
        }
    })
}

/// The first run of digits of a version, without leading zeros, when nothing before it can
/// change its meaning (no epoch: `1!2.0`, `1:2.0`).
fn leading_number(v: &str) -> Option<&str> {
    if v.contains(['!', ':']) {
        return None;
    }
    let t = v.trim().trim_start_matches(['v', 'V']);
    let digits = &t[..t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len())];
    if digits.is_empty() {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed })
}

fn collect_fixes(range: &Range, scheme: Scheme, fixes: &mut Vec<String>) {
    for e in &range.events {
        if let Event::Fixed(f) = e {
            if scheme.parse(f).is_ok() && !fixes.contains(f) {
                fixes.push(f.clone());
            }
        }
    }
}

/// `IncludedInRanges` for one range, with the explanation. `Err` when an event cannot be parsed
/// (the range is then not evaluated: a partial walk could give either answer).
fn in_range(v: &Version, range: &Range, scheme: Scheme) -> Result<Option<Why>, String> {
    let kind = match range.kind {
        RangeKind::Semver => "SEMVER",
        _ => "ECOSYSTEM",
    };
    // Parse every event; `limit`s are kept apart.
    let mut events: Vec<(Point, &Event)> = Vec::with_capacity(range.events.len());
    let mut limits: Vec<(Point, &str)> = Vec::new();
    for e in &range.events {
        let (text, is_limit) = match e {
            Event::Introduced(s) | Event::Fixed(s) | Event::LastAffected(s) => (s.as_str(), false),
            Event::Limit(s) => (s.as_str(), true),
        };
        let point = if matches!(e, Event::Introduced(_)) && text == "0" {
            Point::Zero
        } else if is_limit && text.contains('*') {
            Point::Infinity
        } else {
            Point::At(
                scheme.parse(text).map_err(|why| format!("{kind} range not evaluated: event {text:?} is not a valid version ({why})"))?,
            )
        };
        if is_limit {
            limits.push((point, text));
        } else {
            events.push((point, e));
        }
    }
    // BeforeLimits.
    let mut limit_hit = None;
    if !limits.is_empty() {
        match limits.iter().find(|(p, _)| p.cmp_version(v) == Ordering::Greater) {
            Some((_, text)) => limit_hit = Some(text.to_string()),
            None => return Ok(None),
        }
    }
    // Stable sort keeps the document order of events at the same version.
    sort_by(&mut events, |a, b| a.0.cmp_point(&b.0));
    let mut vulnerable = false;
    let mut opened: Option<&str> = None;
    for (p, e) in &events {
        match e {
            Event::Introduced(s) if p.cmp_version(v) != Ordering::Greater => {
                vulnerable = true;
                opened = Some(s);
            }
            Event::Fixed(_) if p.cmp_version(v) != Ordering::Greater => vulnerable = false,
            Event::LastAffected(_) if p.cmp_version(v) == Ordering::Less => vulnerable = false,
            _ => {}
        }
    }
    if !vulnerable {
        return Ok(None);
    }
    // The event that closes the open range: the first fixed/last_affected above the version.
    let mut fixed = None;
    let mut last_affected = None;
    for (p, e) in &events {
        match e {
            Event::Fixed(s) if p.cmp_version(v) == Ordering::Greater => {
                fixed = Some(s.clone());
                break;
            }
            Event::LastAffected(s) if p.cmp_version(v) != Ordering::Less => {
                last_affected = Some(s.clone());
                break;
            }
            Event::Introduced(_) if p.cmp_version(v) == Ordering::Greater => break,
            _ => {}
        }
    }
    Ok(Some(Why { kind: kind.into(), introduced: opened.map(str::to_string), fixed, last_affected, limit: limit_hit }))
}

/// A stable merge sort that never panics, whatever the comparison does. Rust's `sort_by` may
/// panic on an ordering that is not total, and a few ecosystems' orderings are not (Maven's
/// ComparableVersion has non-transitive corners); an advisory must never crash the audit.
pub fn sort_by<T: Clone>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering + Copy) {
    if v.len() < 2 {
        return;
    }
    let right = v.split_off(v.len() / 2);
    let mut left = std::mem::take(v);
    let mut right = right;
    sort_by(&mut left, cmp);
    sort_by(&mut right, cmp);
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    while let (Some(a), Some(b)) = (l.peek(), r.peek()) {
        if cmp(b, a) == Ordering::Less {
            v.extend(r.next());
        } else {
            v.extend(l.next());
        }
    }
    v.extend(l);
    v.extend(r);
}

/// Whether `candidate` is affected by `affected` (used to check fix suggestions).
pub fn affects(eco: &Ecosystem, candidate: &str, affected: &Affected) -> bool {
    evaluate(eco, candidate, affected).matched.is_some()
}

/// Compares two versions of `eco`; text order when they do not parse (only for sorting).
pub fn cmp_versions(eco: &Ecosystem, a: &str, b: &str) -> Ordering {
    vouch_version::compare(eco, a, b).unwrap_or_else(|_| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vouch_osv::Package;

    fn affected(kind: RangeKind, events: Vec<Event>, versions: &[&str]) -> Affected {
        Affected {
            package: Some(Package { ecosystem: "PyPI".into(), name: "demo".into(), purl: None }),
            ranges: vec![Range { kind, repo: None, events }],
            versions: versions.iter().map(|s| s.to_string()).collect(),
            severity: vec![],
            ecosystem_specific: None,
            database_specific: None,
        }
    }

    fn intro(s: &str) -> Event {
        Event::Introduced(s.into())
    }
    fn fixed(s: &str) -> Event {
        Event::Fixed(s.into())
    }

    fn hit(eco: &Ecosystem, v: &str, a: &Affected) -> bool {
        evaluate(eco, v, a).matched.is_some()
    }

    #[test]
    fn introduced_fixed_multiple_ranges() {
        let a = affected(RangeKind::Ecosystem, vec![intro("1.0"), fixed("1.0.2"), intro("3.0"), fixed("3.2.5")], &[]);
        let py = Ecosystem::PyPI;
        assert!(!hit(&py, "0.9", &a));
        assert!(hit(&py, "1.0", &a));
        assert!(hit(&py, "1.0.1", &a));
        assert!(!hit(&py, "1.0.2", &a));
        assert!(!hit(&py, "2.9", &a));
        assert!(hit(&py, "3.2.4", &a));
        assert!(!hit(&py, "3.2.5", &a));
        let why = evaluate(&py, "3.1", &a).matched.unwrap();
        assert_eq!(why.introduced.as_deref(), Some("3.0"));
        assert_eq!(why.fixed.as_deref(), Some("3.2.5"));
        assert_eq!(evaluate(&py, "3.1", &a).fixes, vec!["1.0.2".to_string(), "3.2.5".to_string()]);
    }

    #[test]
    fn versions_are_compared_after_parsing_not_as_strings() {
        // PEP 440: 1.0 == 1.0.0 == 1.0.0.0; string comparison would miss these.
        let a = affected(RangeKind::Ecosystem, vec![], &["1.0.0", "2.0rc1"]);
        assert!(hit(&Ecosystem::PyPI, "1.0", &a));
        assert!(hit(&Ecosystem::PyPI, "2.0.0rc1", &a));
        assert!(!hit(&Ecosystem::PyPI, "1.0.1", &a));
        assert!(hit(&Ecosystem::PyPI, "01.0", &a), "leading zeros do not change a PEP 440 version");
        assert!(hit(&Ecosystem::Go, "v1.0.0", &affected(RangeKind::Ecosystem, vec![], &["1.0.0"])));
        assert!(hit(&Ecosystem::PyPI, "0!1.0", &a), "explicit zero epoch");
        // Unsorted ranges: events are sorted before the walk.
        let b = affected(RangeKind::Ecosystem, vec![fixed("1.10"), intro("1.2")], &[]);
        assert!(hit(&Ecosystem::PyPI, "1.9", &b), "1.9 < 1.10 numerically");
        assert!(!hit(&Ecosystem::PyPI, "1.10", &b));
    }

    #[test]
    fn last_affected_and_zero() {
        let a = affected(RangeKind::Ecosystem, vec![intro("0"), Event::LastAffected("2.1.214".into())], &[]);
        assert!(hit(&Ecosystem::PyPI, "0.0.1", &a));
        assert!(hit(&Ecosystem::PyPI, "2.1.214", &a));
        assert!(!hit(&Ecosystem::PyPI, "2.1.215", &a));
        let why = evaluate(&Ecosystem::PyPI, "1.0", &a).matched.unwrap();
        assert_eq!(why.last_affected.as_deref(), Some("2.1.214"));
        assert!(why.describe().contains("last affected"));
    }

    #[test]
    fn limits_are_honoured() {
        let a = affected(RangeKind::Semver, vec![intro("1.0.0"), Event::Limit("1.5.0".into())], &[]);
        assert!(hit(&Ecosystem::Npm, "1.4.9", &a));
        assert!(!hit(&Ecosystem::Npm, "1.5.0", &a), "at or above the only limit");
        assert!(!hit(&Ecosystem::Npm, "2.0.0", &a));
        let star = affected(RangeKind::Semver, vec![intro("1.0.0"), Event::Limit("*".into())], &[]);
        assert!(hit(&Ecosystem::Npm, "9.0.0", &star));
        let two = affected(RangeKind::Semver, vec![intro("1.0.0"), Event::Limit("1.2.0".into()), Event::Limit("3.0.0".into())], &[]);
        assert!(hit(&Ecosystem::Npm, "2.5.0", &two), "below one of the limits");
        assert_eq!(evaluate(&Ecosystem::Npm, "2.5.0", &two).matched.unwrap().limit.as_deref(), Some("3.0.0"));
    }

    #[test]
    fn every_range_is_evaluated_git_is_reported() {
        let mut a = affected(RangeKind::Git, vec![intro("abc"), fixed("def")], &[]);
        a.ranges.push(Range { kind: RangeKind::Semver, repo: None, events: vec![intro("0"), fixed("1.2.3")] });
        let e = evaluate(&Ecosystem::CratesIo, "1.2.0", &a);
        assert!(e.matched.is_some(), "a GIT range first must not stop evaluation");
        assert!(e.unevaluated.iter().any(|u| u.contains("GIT")));
        let only_git = affected(RangeKind::Git, vec![intro("abc")], &[]);
        let e = evaluate(&Ecosystem::CratesIo, "1.2.0", &only_git);
        assert!(e.matched.is_none() && !e.unevaluated.is_empty());
    }

    #[test]
    fn unparseable_events_make_the_range_unevaluated_not_clean() {
        let a = affected(RangeKind::Ecosystem, vec![intro("0"), fixed("not a version!!")], &[]);
        let e = evaluate(&Ecosystem::PyPI, "1.0", &a);
        assert!(e.matched.is_none());
        assert!(e.unevaluated[0].contains("not a valid version"), "{:?}", e.unevaluated);
        let bad_installed = evaluate(&Ecosystem::Npm, "not.a.version", &affected(RangeKind::Ecosystem, vec![intro("0")], &[]));
        assert!(bad_installed.matched.is_none() && !bad_installed.unevaluated.is_empty());
    }

    #[test]
    fn sorting_never_panics_on_inconsistent_orders() {
        let mut v: Vec<u32> = (0..200).rev().collect();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, (0..200).collect::<Vec<_>>());
        // A comparison that is not an order at all.
        let mut w: Vec<u32> = (0..500).collect();
        sort_by(&mut w, |a, b| if (a ^ b) % 3 == 0 { Ordering::Less } else { Ordering::Greater });
        assert_eq!(w.len(), 500);
        // Stable.
        let mut p = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')];
        sort_by(&mut p, |x, y| x.0.cmp(&y.0));
        assert_eq!(p, vec![(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')]);
        // Maven's non-transitive corner (found by fuzzing vouch-version) in an advisory.
        let a = Affected {
            package: None,
            ranges: vec![Range {
                kind: RangeKind::Ecosystem,
                repo: None,
                events: vec![intro("1.0.rc15-2etch4"), fixed("1:1.0.15-2.3"), intro("1.0"), fixed("2.0")],
            }],
            versions: vec![],
            severity: vec![],
            ecosystem_specific: None,
            database_specific: None,
        };
        let _ = evaluate(&Ecosystem::Maven, "1.0.5", &a);
    }

    #[test]
    fn unknown_ecosystems_use_listed_versions_only() {
        let eco = Ecosystem::Other("Hackage".into());
        let a = affected(RangeKind::Ecosystem, vec![intro("0")], &["1.0"]);
        let e = evaluate(&eco, "1.0", &a);
        assert!(e.matched.is_some());
        let e = evaluate(&eco, "2.0", &a);
        assert!(e.matched.is_none() && e.unevaluated.iter().any(|u| u.contains("no version ordering")));
    }
}
