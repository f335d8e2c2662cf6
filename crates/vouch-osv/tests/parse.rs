//! The lenient reader: what it keeps, what it skips and counts, what it refuses.

use serde_json::json;
use vouch_osv::{parse, parse_json, parse_json_with, parse_yaml, Event, Limits, OsvError, RangeKind};

#[test]
fn documents_that_are_not_osv_are_errors_with_a_reason() {
    let e = parse_json(b"[1, 2]").unwrap_err();
    assert_eq!(e, OsvError::NotOsv("the document is a list, not an OSV object".into()));
    let e = parse_json(br#"{"summary": "x"}"#).unwrap_err();
    assert!(e.to_string().contains("no `id`"), "{e}");
    let e = parse_json(br#"{"id": 7}"#).unwrap_err();
    assert!(e.to_string().contains("`id` is a number"), "{e}");
    let e = parse_json(br#"{"id": "   "}"#).unwrap_err();
    assert!(matches!(e, OsvError::NotOsv(_)));
    let e = parse_json(b"{\"id\": \"X\"").unwrap_err();
    assert!(matches!(e, OsvError::Syntax { format: "JSON", .. }), "{e}");
    let e = parse_yaml(b"id: [unclosed").unwrap_err();
    assert!(matches!(e, OsvError::Syntax { format: "YAML", .. }), "{e}");
    let e = parse_yaml(b"just a string").unwrap_err();
    assert!(e.to_string().contains("a string"), "{e}");
    let limits = Limits { max_document_bytes: 10, ..Limits::default() };
    assert!(matches!(parse_json_with(br#"{"id": "long-enough"}"#, &limits), Err(OsvError::TooLarge { .. })));
}

#[test]
fn a_minimal_advisory_is_enough() {
    let (a, l) = parse_json(b"\xEF\xBB\xBF{\"id\": \"X-1\", \"unknown\": {\"deep\": [1]}}").unwrap();
    assert_eq!(a.id, "X-1");
    assert!(a.affected.is_empty() && a.modified.is_none());
    assert!(l.is_empty());
}

#[test]
fn malformed_parts_are_skipped_and_counted() {
    let doc = json!({
        "id": "LENIENT-1",
        "modified": "2024-01-01T00:00:00Z",
        "aliases": "CVE-2024-0001",
        "related": ["R-1", 5, null],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"}, {"type": "CVSS_V2"}],
        "references": [{"type": "WEB", "url": "https://e.x"}, {"type": "WEB"}, {"url": "https://no-type"}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "Foo.Bar"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1.0"}, {}, {"bogus": "1"}, "x", {"last_affected": 2}]},
                    {"type": "WEIRD", "events": [{"introduced": "0"}]},
                    {"type": "SEMVER", "events": []},
                    {"events": [{"limit": "abc"}]}
                ],
                "versions": ["0.9", 1]
            },
            {"ranges": [{"type": "GIT", "repo": "https://g.x/r", "events": [{"introduced": "abc"}, {"limit": "def"}]}]},
            {"package": {"ecosystem": "Bitnami", "name": "thing"}},
            {"package": {"name": "no-ecosystem"}},
            17,
            {}
        ],
        "database_specific": {"k": "v"}
    });
    let (a, l) = parse_json(doc.to_string().as_bytes()).unwrap();
    assert_eq!(a.aliases, ["CVE-2024-0001"]);
    assert_eq!(a.related, ["R-1", "5"]);
    assert_eq!(a.severity.len(), 1);
    assert_eq!(a.references.len(), 2);
    assert_eq!(a.references[1].kind, "");
    assert_eq!(a.affected.len(), 3, "{:#?}", a.affected);

    let first = &a.affected[0];
    assert_eq!(first.package.as_ref().unwrap().name, "Foo.Bar");
    assert_eq!(first.versions, ["0.9", "1"]);
    assert_eq!(first.ranges.len(), 3);
    assert_eq!(first.ranges[0].kind, RangeKind::Ecosystem);
    assert_eq!(first.ranges[0].events, [Event::Introduced("0".into()), Event::Fixed("1.0".into()), Event::LastAffected("2".into())]);
    assert_eq!(first.ranges[1].kind, RangeKind::Other("WEIRD".into()));
    assert_eq!(first.ranges[2].kind, RangeKind::Other(String::new()));
    assert_eq!(first.ranges[2].events, [Event::Limit("abc".into())]);

    let git = &a.affected[1];
    assert!(git.package.is_none());
    assert_eq!(git.ranges[0].kind, RangeKind::Git);
    assert_eq!(git.ranges[0].repo.as_deref(), Some("https://g.x/r"));
    assert_eq!(a.affected[2].package.as_ref().unwrap().ecosystem, "Bitnami");

    assert_eq!(l.multi_key_events, 1);
    assert_eq!(l.unknown_events, 3, "{:#?}", l.notes);
    assert_eq!(l.unknown_range_types, 2);
    assert_eq!(l.empty_ranges, 1);
    assert_eq!(l.affected_without_package, 1);
    // `17`, `{}` and the package without ecosystem (which has nothing else).
    assert_eq!(l.malformed_affected, 3);
    assert_eq!(l.unknown_ecosystems, 1);
    // Severity without score, reference without url, related `null`, package without ecosystem.
    assert_eq!(l.malformed_fields, 4, "{:#?}", l.notes);
    // aliases as a string, related 5, last_affected 2, versions 1.
    assert_eq!(l.coerced_values, 4, "{:#?}", l.notes);
    assert_eq!(l.total(), l.notes.len());
    assert!(l.notes.iter().any(|n| n.contains("affected[0].ranges[0].events[0] has 2 keys")), "{:#?}", l.notes);
}

#[test]
fn yaml_and_json_read_the_same() {
    let yaml = br#"
id: PYSEC-0000-1
modified: 2023-11-07T20:24:23.946863Z
aliases:
- CVE-2020-1
affected:
- package:
    ecosystem: PyPI
    name: zope.interface
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 5.0.1
  versions:
  - '1.0'
severity:
- type: CVSS_V3
  score: CVSS:3.1/AV:N
"#;
    let json = br#"{"id": "PYSEC-0000-1", "modified": "2023-11-07T20:24:23.946863Z", "aliases": ["CVE-2020-1"],
        "affected": [{"package": {"ecosystem": "PyPI", "name": "zope.interface"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "5.0.1"}]}], "versions": ["1.0"]}],
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N"}]}"#;
    let (y, ly) = parse_yaml(yaml).unwrap();
    let (j, lj) = parse_json(json).unwrap();
    assert_eq!(y, j);
    assert!(ly.is_empty() && lj.is_empty());
    // `parse` routes by content.
    assert_eq!(parse(yaml).unwrap().0, y);
    assert_eq!(parse(json).unwrap().0, j);
}

#[test]
fn yaml_alias_bombs_are_refused() {
    let mut doc = String::from("id: BOMB\na: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = "a".to_string();
    for i in 0..12 {
        let name = format!("l{i}");
        doc.push_str(&format!(
            "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
        prev = name;
    }
    let start = std::time::Instant::now();
    assert!(parse_yaml(doc.as_bytes()).is_err());
    assert!(start.elapsed().as_secs() < 5);
}

#[test]
fn unquoted_yaml_versions_keep_their_text() {
    let yaml = b"id: Y-1\naffected:\n- package: {ecosystem: PyPI, name: p}\n  ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: 0\n    - fixed: 1.10\n    - introduced: 2.0\n    - last_affected: 3.1.0\n  versions: [1.0, 1.10, 7]\n";
    let (a, l) = parse_yaml(yaml).unwrap();
    assert_eq!(
        a.affected[0].ranges[0].events,
        [Event::Introduced("0".into()), Event::Fixed("1.10".into()), Event::Introduced("2.0".into()), Event::LastAffected("3.1.0".into())]
    );
    assert_eq!(a.affected[0].versions, ["1.0", "1.10", "7"]);
    assert!(l.is_empty(), "{:?}", l.notes);

    // An odd shape elsewhere (an event that is a list) falls back to the lossy reading, counted.
    let odd = b"id: Y-2\naffected:\n- ranges:\n  - type: ECOSYSTEM\n    events:\n    - introduced: [x]\n    - fixed: 1.10\n";
    let (a, l) = parse_yaml(odd).unwrap();
    assert_eq!(a.affected[0].ranges[0].events, [Event::Fixed("1.1".into())]);
    assert!(l.notes.iter().any(|n| n.contains("trailing zeros")), "{:?}", l.notes);
}
