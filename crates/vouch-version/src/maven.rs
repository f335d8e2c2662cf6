//! Maven versions, ordered as Maven's `ComparableVersion` (maven-artifact 3.x) orders them.
//!
//! The text is lower-cased and split at `.`, `-` and at transitions between digits and
//! letters; `-` and a transition open a nested list. Numbers compare by value; qualifiers
//! `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `""` = `ga` = `final` =
//! `release` < `sp` < anything else (alphabetically); `a`, `b`, `m` directly followed by a digit
//! mean alpha, beta, milestone. Trailing "null" items (0, release qualifiers, empty lists) are
//! trimmed from every list; a hyphen segment left empty by that trimming disappears
//! (`1-ga-1` = `1-1`, as Maven's version order specification says). Any text is a Maven
//! version.
//!
//! Like Maven's own implementation, the order is not transitive for some unusual versions: a
//! missing item equals `0`, a release qualifier and an empty list alike, while those three are
//! ordered among themselves (number > list > qualifier). So `1.0.rc15-2etch4` < `1.0` <
//! `1:1.0.15-2.3`, but `1.0.rc15-2etch4` > `1:1.0.15-2.3`. Do not sort mixed, odd Maven versions
//! with `sort()` (which may panic on such input); comparing pairs is always answered.

use crate::num::Num;
use std::cmp::Ordering;

#[derive(Debug, Clone)]
enum Item {
    Int(Num),
    /// A qualifier by its comparable key: `"0"`..`"6"` for the known ones, `"7-<text>"` else.
    Str(Box<str>),
    List(Vec<Item>),
}

/// The key of the release qualifier (`""`, `ga`, `final`, `release`).
const RELEASE: &str = "5";

impl Item {
    fn qualifier(text: &str, followed_by_digit: bool) -> Item {
        let text = match (followed_by_digit, text) {
            (true, "a") => "alpha",
            (true, "b") => "beta",
            (true, "m") => "milestone",
            (_, "ga" | "final" | "release") => "",
            (_, "cr") => "rc",
            (_, t) => t,
        };
        const KNOWN: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
        Item::Str(match KNOWN.iter().position(|k| *k == text) {
            Some(i) => i.to_string().into(),
            None => format!("{}-{text}", KNOWN.len()).into(),
        })
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Int(n) => n.is_zero(),
            Item::Str(k) => &**k == RELEASE,
            Item::List(l) => l.is_empty(),
        }
    }
}

/// `a.compareTo(b)` with `None` for Java's `null` (padding).
fn cmp_items(a: Option<&Item>, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => cmp_items(b, a).reverse(),
        (Some(Item::Int(n)), None) => {
            if n.is_zero() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Some(Item::Str(k)), None) => (**k).cmp(RELEASE),
        (Some(Item::List(l)), None) => match l.first() {
            None => Ordering::Equal,
            Some(first) => cmp_items(Some(first), None),
        },
        (Some(Item::Int(x)), Some(Item::Int(y))) => x.cmp(y),
        (Some(Item::Int(_)), Some(_)) => Ordering::Greater,
        (Some(Item::Str(_)), Some(Item::Int(_))) => Ordering::Less,
        (Some(Item::Str(x)), Some(Item::Str(y))) => x.cmp(y),
        (Some(Item::Str(_)), Some(Item::List(_))) => Ordering::Less,
        (Some(Item::List(_)), Some(Item::Int(_))) => Ordering::Less,
        (Some(Item::List(_)), Some(Item::Str(_))) => Ordering::Greater,
        (Some(Item::List(x)), Some(Item::List(y))) => cmp_lists(x, y),
    }
}

fn cmp_lists(x: &[Item], y: &[Item]) -> Ordering {
    for i in 0..x.len().max(y.len()) {
        let r = cmp_items(x.get(i), y.get(i));
        if r != Ordering::Equal {
            return r;
        }
    }
    Ordering::Equal
}

/// Removes trailing null items, looking past non-null nested lists (as Maven 3.x does).
fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct MavenVersion {
    items: Vec<Item>,
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_lists(&self.items, &other.items)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

fn item(text: &str, is_digit: bool) -> Item {
    if is_digit {
        Item::Int(Num::new(text))
    } else {
        Item::qualifier(text, false)
    }
}

pub(crate) fn parse(s: &str) -> MavenVersion {
    let v = s.to_lowercase();
    // The innermost open list is the last; each is the last item of the one before.
    let mut stack: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0;
    for (i, c) in v.char_indices() {
        let list = stack.len() - 1;
        if c == '.' || c == '-' {
            let it = if i == start { Item::Int(Num::zero()) } else { item(&v[start..i], is_digit) };
            stack[list].push(it);
            start = i + 1;
            if c == '-' {
                stack.push(Vec::new());
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                stack[list].push(Item::qualifier(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                stack[list].push(item(&v[start..i], true));
                start = i;
                stack.push(Vec::new());
            }
            is_digit = false;
        }
    }
    if v.len() > start {
        let list = stack.len() - 1;
        stack[list].push(item(&v[start..], is_digit));
    }
    let mut items = stack.pop().unwrap_or_default();
    normalize(&mut items);
    while let Some(mut parent) = stack.pop() {
        parent.push(Item::List(items));
        normalize(&mut parent);
        // A hyphen segment left with nothing but the next one (`1-ga-1`, `1-0-1`): Maven's
        // version order specification trims it away, so `1-ga-1` = `1-1`.
        if parent.len() == 1 && !stack.is_empty() && matches!(parent[0], Item::List(_)) {
            if let Some(Item::List(only)) = parent.pop() {
                parent = only;
            }
        }
        items = parent;
    }
    MavenVersion { items }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> MavenVersion {
        parse(s)
    }

    #[test]
    fn comparable_version_rules() {
        assert_eq!(p("1"), p("1.0.0"));
        assert_eq!(p("1-ga"), p("1"));
        assert_eq!(p("1a1"), p("1-alpha-1"));
        assert!(p("1-snapshot") < p("1"));
        assert!(p("1") < p("1-sp"));
        assert!(p("1-sp") < p("1-foo"));
        assert!(p("1-foo2") < p("1-foo10"));
        assert!(p("1.foo") < p("1-1"));
        assert!(p("1-1") < p("1.1"));
        assert!(p("1-rc1") < p("1-RC2"));
        assert_eq!(p("1-cr1"), p("1-rc1"));
        assert!(p("2.0.0.RELEASE") > p("2.0.0.M1"));
        assert_eq!(p("1-ga-1"), p("1-1"));
        assert_eq!(p("1-0-1"), p("1-1"));
        assert!(p("1-sp-1") < p("1-ga-1"));
    }

    #[test]
    fn not_transitive_exactly_where_maven_is_not() {
        let (a, b, c) = (p("1.0.rc15-2etch4"), p("1.0"), p("1:1.0.15-2.3"));
        assert!(a < b && b < c);
        assert!(a > c);
    }

    #[test]
    fn deep_nesting_is_fine() {
        let deep = "1-".repeat(500);
        assert!(p(&deep) > p("1-1"));
        assert!(p(&"1-".repeat(500)) < p(&"1-".repeat(499).replace("1-", "2-")));
    }
}
