//! The public API: errors, edge cases and the contract between `parse`, `compare` and `Ord`.

use std::cmp::Ordering;
use vouch_version::{compare, parse, parse_semver, supported, Ecosystem, VersionError, MAX_LEN};

fn all() -> Vec<Ecosystem> {
    let mut all = Ecosystem::KNOWN.to_vec();
    all.extend(["Ubuntu", "Wolfi", "Red Hat", "CRAN"].map(|n| Ecosystem::Other(n.into())));
    all
}

#[test]
fn every_known_ecosystem_is_supported_and_other_only_by_name() {
    for e in all() {
        assert!(supported(&e), "{e:?}");
    }
    assert!(supported(&Ecosystem::Other("Ubuntu".into())));
    assert!(supported(&Ecosystem::Other("Wolfi".into())));
    assert!(supported(&Ecosystem::Other("Red Hat".into())));
    assert!(supported(&Ecosystem::Other("CRAN".into())));
    assert!(!supported(&Ecosystem::Other("Hackage".into())));
    let err = parse(&Ecosystem::Other("Hackage".into()), "1.0").unwrap_err();
    assert!(matches!(err, VersionError::Unsupported { .. }));
    assert_eq!(err.to_string(), "no version ordering for ecosystem \"Hackage\" (version \"1.0\")");
}

#[test]
fn empty_and_blank_are_rejected_everywhere_with_the_text_and_reason() {
    for e in all() {
        for s in ["", "   ", "\t"] {
            let err = parse(&e, s).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(&format!("{s:?}")) && msg.contains("it is empty"), "{e:?}: {msg}");
        }
        let err = parse(&e, "1.0 beta").unwrap_err();
        assert!(err.to_string().contains("' '"), "{e:?}: {err}");
        let err = parse(&e, "1.0\u{0}").unwrap_err();
        assert!(err.to_string().contains("\\0"), "{e:?}: {err}");
    }
}

#[test]
fn overlong_text_is_rejected_and_the_message_is_bounded() {
    let long = "1".repeat(MAX_LEN + 1);
    for e in all() {
        let err = parse(&e, &long).unwrap_err();
        assert!(err.to_string().contains("longer than 1024 bytes"), "{e:?}");
        assert!(err.to_string().len() < MAX_LEN + 100);
    }
    // Exactly MAX_LEN is fine.
    assert!(parse(&Ecosystem::Maven, &"1".repeat(MAX_LEN)).is_ok());
}

#[test]
fn error_messages_name_the_text_and_why() {
    let cases: &[(Ecosystem, &str, &str)] = &[
        (Ecosystem::Npm, "1.x.3", "invalid SemVer version \"1.x.3\": numeric component 2 is \"x\", not a number"),
        (Ecosystem::CratesIo, "1.2.3-", "invalid SemVer version \"1.2.3-\": the prerelease after '-' is empty"),
        (Ecosystem::Go, "v1.2.3-a..b", "invalid Go version \"v1.2.3-a..b\": the prerelease has an empty identifier"),
        (Ecosystem::Hex, "1..2", "invalid SemVer version \"1..2\": numeric component 2 is empty"),
        (Ecosystem::Debian, "a:1.0", "invalid dpkg version \"a:1.0\": the epoch \"a\" is not a number"),
        (Ecosystem::Debian, "1.0-", "invalid dpkg version \"1.0-\": the revision after the last '-' is empty"),
        (
            Ecosystem::Debian,
            "1.0_1",
            "invalid dpkg version \"1.0_1\": the upstream version contains '_' (allowed: letters, digits, . + ~ - :)",
        ),
        (Ecosystem::RubyGems, "v1.0", "invalid RubyGems version \"v1.0\": it does not start with a digit"),
        (Ecosystem::Other("CRAN".into()), "1.0-beta", "invalid CRAN version \"1.0-beta\": component 3 is \"beta\", not a number"),
        (Ecosystem::NuGet, "1.2.3.4.5", "invalid NuGet version \"1.2.3.4.5\": it has 5 numeric parts; at most 4 are allowed"),
        (
            Ecosystem::NuGet,
            "1.0-beta_1",
            "invalid NuGet version \"1.0-beta_1\": the prerelease label \"beta_1\" has characters other than ASCII letters, digits and '-'",
        ),
    ];
    for (e, s, want) in cases {
        assert_eq!(parse(e, s).unwrap_err().to_string(), *want);
    }
}

#[test]
fn huge_numbers_never_overflow() {
    let big = "9".repeat(400);
    let bigger = format!("1{}", "0".repeat(400));
    for e in all() {
        let (a, b) = (parse(&e, &big).unwrap(), parse(&e, &bigger).unwrap());
        assert_eq!(a.cmp(&b), Ordering::Less, "{e:?}");
        let dotted = format!("1.{big}.{big}");
        let dotted2 = format!("1.{bigger}.0");
        assert_eq!(compare(&e, &dotted, &dotted2).unwrap(), Ordering::Less, "{e:?}");
    }
}

#[test]
fn as_str_keeps_the_original_text() {
    let v = parse(&Ecosystem::PyPI, "  1.0-RC1 ").unwrap();
    assert_eq!(v.as_str(), "  1.0-RC1 ");
    assert_eq!(v.to_string(), "  1.0-RC1 ");
    assert_eq!(v, parse(&Ecosystem::PyPI, "1.0rc1").unwrap());
}

#[test]
fn equal_means_same_version_not_same_text() {
    let eq = |e: Ecosystem, a: &str, b: &str| assert_eq!(compare(&e, a, b).unwrap(), Ordering::Equal, "{e:?} {a} {b}");
    eq(Ecosystem::PyPI, "1.0", "1.0.0");
    eq(Ecosystem::NuGet, "1.0.0-BETA", "1.0.0-beta");
    eq(Ecosystem::Maven, "1.0.0", "1");
    eq(Ecosystem::Go, "v1.2.3", "1.2.3");
    eq(Ecosystem::Go, "v2.0.0+incompatible", "v2.0.0");
    eq(Ecosystem::Debian, "1.0", "0:1.0-0");
}

#[test]
fn semver_tolerances() {
    assert_eq!(parse_semver("1").unwrap(), parse_semver("1.0.0").unwrap());
    assert_eq!(parse_semver("v1.2").unwrap(), parse_semver("1.2.0").unwrap());
    assert!(parse_semver("1.2.3-alpha").unwrap() < parse_semver("1.2.3").unwrap());
    assert!(parse_semver("").is_err());
    assert!(parse_semver("v").is_err());
    // Go pseudo-versions order by their timestamp, before the release they precede.
    let go = |a: &str, b: &str| compare(&Ecosystem::Go, a, b).unwrap();
    assert_eq!(go("v0.0.0-20210101000000-abcdef123456", "v0.0.0-20220101000000-000000000000"), Ordering::Less);
    assert_eq!(go("v1.2.4-0.20210101000000-abcdef123456", "v1.2.4"), Ordering::Less);
    assert_eq!(go("v1.2.4-0.20210101000000-abcdef123456", "v1.2.3"), Ordering::Greater);
}

#[test]
fn different_schemes_are_ordered_consistently() {
    let a = parse(&Ecosystem::PyPI, "1.0").unwrap();
    let b = parse(&Ecosystem::Maven, "1.0").unwrap();
    let c = parse(&Ecosystem::Npm, "1.0.0").unwrap();
    assert_ne!(a, b);
    assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
    // npm, crates.io and OSV SEMVER share one scheme.
    assert_eq!(c, parse_semver("1.0.0").unwrap());
    assert_eq!(c, parse(&Ecosystem::CratesIo, "v1").unwrap());
}

#[test]
fn lenient_schemes_accept_odd_text_and_stay_ordered() {
    // PyPI legacy, Maven, Packagist and Alpine order any non-empty text.
    for (e, odd) in [
        (Ecosystem::PyPI, "-class.-jw.util.version.version-pre"),
        (Ecosystem::Maven, "0.0.0-2021-05-17T01-01-51-5ec03a8b"),
        (Ecosystem::Packagist, "dev-main"),
        (Ecosystem::Alpine, "1.2.0A"),
    ] {
        let v = parse(&e, odd).unwrap();
        let w = parse(&e, "1.0").unwrap();
        assert_eq!(v.cmp(&w), w.cmp(&v).reverse(), "{e:?}");
        assert_eq!(v.cmp(&v), Ordering::Equal);
    }
}

#[test]
fn deepest_maven_nesting_compares_without_overflowing_the_stack() {
    // Every '-' opens a nested list: MAX_LEN of them is the deepest input there is.
    let deep = "-".repeat(MAX_LEN);
    let deep1 = format!("{}1", "-".repeat(MAX_LEN - 1));
    let (a, b) = (parse(&Ecosystem::Maven, &deep).unwrap(), parse(&Ecosystem::Maven, &deep1).unwrap());
    assert_eq!(a.cmp(&b), Ordering::Less);
    assert_eq!(a, parse(&Ecosystem::Maven, "0").unwrap());
    let alt = "1-a".repeat(MAX_LEN / 3);
    let alt2 = "1-a".repeat(MAX_LEN / 3 - 1);
    assert_eq!(compare(&Ecosystem::Maven, &alt, &alt2).unwrap(), Ordering::Less);
}
