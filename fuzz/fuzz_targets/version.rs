//! Version parsing and ordering (`vouch_version`) in every ecosystem on arbitrary text: the
//! bytes (lossy UTF-8) split at the first two newlines into up to three versions. Parsing and
//! comparing must never panic; comparison must be reflexive, antisymmetric, consistent with
//! `==`, and transitive over the three — except Maven, whose own `ComparableVersion` is not
//! transitive for unusual versions (`1.0.rc15-2etch4` < `1.0` < `1:1.0.15-2.3` yet the first
//! is greater than the last), which vouch-version reproduces faithfully.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::cmp::Ordering;
use vouch_version::{parse, parse_semver, Ecosystem, Version, VersionError};

fn check(versions: &[Result<Version, VersionError>], transitive: bool) {
    let ok: Vec<&Version> = versions.iter().filter_map(|v| v.as_ref().ok()).collect();
    for a in &ok {
        assert_eq!(a.cmp(a), Ordering::Equal, "{a:?} is not equal to itself");
        for b in &ok {
            let (ab, ba) = (a.cmp(b), b.cmp(a));
            assert_eq!(ab, ba.reverse(), "not antisymmetric: {a:?} vs {b:?}");
            assert_eq!(a == b, ab == Ordering::Equal, "== disagrees with cmp: {a:?} vs {b:?}");
            for c in &ok {
                if transitive && ab != Ordering::Greater && b.cmp(c) != Ordering::Greater {
                    assert_ne!(a.cmp(c), Ordering::Greater, "not transitive: {a:?} <= {b:?} <= {c:?}");
                }
            }
        }
    }
    for e in versions.iter().filter_map(|v| v.as_ref().err()) {
        let _ = e.to_string();
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.splitn(3, '\n').collect();
    let mut ecosystems = Ecosystem::KNOWN.to_vec();
    ecosystems.extend(["Ubuntu", "Red Hat", "CRAN"].map(|n| Ecosystem::Other(n.into())));
    for eco in &ecosystems {
        let versions: Vec<_> = parts.iter().map(|s| parse(eco, s)).collect();
        check(&versions, *eco != Ecosystem::Maven);
    }
    let versions: Vec<_> = parts.iter().map(|s| parse_semver(s)).collect();
    check(&versions, true);
});
