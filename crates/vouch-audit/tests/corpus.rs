//! vouch audit on the shared corpus: every advisory imported into a real store, then the real
//! lockfiles and old-version fixtures audited, compared with an independent implementation
//! (`scripts/osv_reference.py`, a separate transcription of the OSV algorithm in Python whose
//! output is kept in tests/data/reference.txt).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use vouch_audit::{audit, Options};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// One store for the whole test binary.
fn store() -> &'static (tempfile::TempDir, vouch_osv::Store, BTreeSet<String>) {
    static S: OnceLock<(tempfile::TempDir, vouch_osv::Store, BTreeSet<String>)> = OnceLock::new();
    S.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let adv = corpus().join("advisories");
        let inputs: Vec<PathBuf> = ["go", "pypa", "rustsec-osv"].iter().map(|d| adv.join(d)).collect();
        let report = vouch_osv::import(dir.path(), &inputs).unwrap();
        assert!(report.advisories > 8000, "{} advisories imported", report.advisories);
        let store = vouch_osv::Store::open(dir.path()).unwrap();
        // Every advisory id in the corpus, to tell ids from alias-only names (CVE, GHSA).
        let mut ids = BTreeSet::new();
        for d in ["go", "pypa", "rustsec-osv"] {
            collect_ids(&adv.join(d), &mut ids);
        }
        (dir, store, ids)
    })
}

fn collect_ids(dir: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect_ids(&p, out);
        } else if let Some(stem) = p.file_stem().and_then(|s| s.to_str()) {
            if matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml")) {
                out.insert(stem.to_string());
            }
        }
    }
}

/// tests/data/reference.txt: `<file> <packages> [('name', 'version', 'ID'), ...]`.
fn reference() -> BTreeMap<String, BTreeSet<(String, String, String)>> {
    let text = std::fs::read_to_string(data("reference.txt")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let (file, rest) = line.split_once(' ').unwrap();
        let list = &rest[rest.find('[').unwrap()..];
        let mut set = BTreeSet::new();
        for tuple in list.trim_matches(|c| c == '[' || c == ']').split("), (") {
            let fields: Vec<String> = tuple.split(", ").map(|f| f.trim_matches(|c| "()'\"".contains(c)).to_string()).collect();
            if fields.len() == 3 {
                set.insert((fields[0].clone(), fields[1].clone(), fields[2].clone()));
            }
        }
        out.insert(file.to_string(), set);
    }
    out
}

fn vouch_matches(path: &Path) -> (BTreeSet<(String, String, String)>, vouch_audit::AuditReport) {
    let (_, store, ids) = store();
    let lf = vouch_lockfile::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = audit(&[lf], store, &Options::default()).unwrap();
    let mut set = BTreeSet::new();
    for f in &report.findings {
        for id in std::iter::once(&f.id).chain(f.aliases.iter()) {
            if ids.contains(id) {
                set.insert((f.package.name.clone(), f.package.version.clone(), id.clone()));
            }
        }
    }
    (set, report)
}

fn check(file: &str, path: &Path) {
    let expected = reference().remove(file).unwrap_or_else(|| panic!("{file} is not in reference.txt"));
    let (got, report) = vouch_matches(path);
    // Go's `go` directive is reported as the `stdlib` package; the reference writes its version
    // as in go.mod, vouch may normalise it; compare on name and id there.
    let strip = |s: &BTreeSet<(String, String, String)>| -> BTreeSet<(String, String, String)> {
        s.iter().map(|(n, v, i)| (n.clone(), if n == "stdlib" { String::new() } else { v.clone() }, i.clone())).collect()
    };
    let (expected, got) = (strip(&expected), strip(&got));
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    println!("{file}: {} matches, {} findings after alias merging", got.len(), report.findings.len());
    assert!(missing.is_empty() && extra.is_empty(), "{file}: missing {missing:?}, extra {extra:?}");
}

#[test]
fn real_lockfiles_match_the_reference() {
    for f in
        ["ripgrep.Cargo.lock", "cargo-deny.Cargo.lock", "uv.Cargo.lock", "fickling.uv.lock", "modelaudit.uv.lock", "modelscan.poetry.lock"]
    {
        check(f, &corpus().join("lockfiles/real").join(f));
    }
}

#[test]
fn old_versions_match_the_reference() {
    check("old-requirements.txt", &data("old-requirements.txt"));
    check("old.Cargo.lock", &data("old.Cargo.lock"));
    check("old.go.mod", &data("old.go.mod"));
}

#[test]
fn unpinned_requirements_are_reported_and_fixes_suggested() {
    let (_, report) = vouch_matches(&data("old-requirements.txt"));
    assert!(report.unaudited.iter().any(|u| u.package.name == "flask" && u.reason.contains("unpinned")), "{:#?}", report.unaudited);
    assert!(report.incomplete());
    let pillow = report.fixes.iter().find(|f| f.name == "Pillow").expect("a fix for Pillow");
    let suggested = pillow.suggested.as_deref().expect("Pillow has fixed versions");
    // The suggestion is not affected by any of the package's advisories.
    let (_, store, _) = store();
    let lf = vouch_lockfile::Lockfile {
        path: "x.txt".into(),
        format: "requirements.txt",
        packages: vec![vouch_lockfile::Package {
            name: "Pillow".into(),
            ecosystem: vouch_pkg::Ecosystem::PyPI,
            version: vouch_lockfile::Spec::Exact(suggested.into()),
            source: None,
            line: None,
            dev: None,
        }],
        problems: vec![],
    };
    let after = audit(&[lf], store, &Options::default()).unwrap();
    let remaining: Vec<&str> = after.findings.iter().filter(|f| pillow.advisories.contains(&f.id)).map(|f| f.id.as_str()).collect();
    assert!(remaining.is_empty(), "upgrading to {suggested} leaves {remaining:?}");
    // And it is the lowest such fixed version: every fixed version below it is still affected.
    let lowest_fix_of_each: Vec<_> =
        report.findings.iter().filter(|f| f.package.name == "Pillow").filter_map(|f| f.why.fixed.clone()).collect();
    assert!(lowest_fix_of_each.iter().any(|v| v == suggested), "{suggested} is one of the advisories' fixed versions");
}

#[test]
fn outputs_are_valid() {
    let (_, report) = vouch_matches(&data("old.Cargo.lock"));
    let db = vouch_audit::render::DbInfo::default();
    let json: serde_json::Value = serde_json::from_str(&vouch_audit::render::json(&report, &db, 0.1)).unwrap();
    assert_eq!(json["schema"], "vouch.audit/1");
    assert_eq!(json["summary"]["findings"], report.findings.len());
    let human = vouch_audit::render::human(&report, &db, false, 0.1);
    assert!(human.contains("RUSTSEC-2022-0013") && human.contains("regex (crates.io)"), "{human}");
    // SARIF against the OASIS schema.
    let sarif: serde_json::Value = serde_json::from_str(&vouch_audit::render::sarif(&report)).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("schemas/sarif/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = v.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // CycloneDX 1.6 against the official schema (with its SPDX and JSF sub-schemas).
    let bom: serde_json::Value =
        serde_json::from_str(&vouch_audit::render::cyclonedx(&report, &vouch_audit::render::serial_number(), "2026-12-02T00:00:00Z"))
            .unwrap();
    assert_eq!(bom["vulnerabilities"].as_array().unwrap().len(), report.findings.len());
    let dir = corpus().join("schemas/cyclonedx");
    let load = |n: &str| -> serde_json::Value { serde_json::from_str(&std::fs::read_to_string(dir.join(n)).unwrap()).unwrap() };
    let validator = jsonschema::options()
        .with_resource(
            "http://cyclonedx.org/schema/spdx.schema.json",
            jsonschema::Resource::from_contents(load("spdx.schema.json")).unwrap(),
        )
        .with_resource(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            jsonschema::Resource::from_contents(load("jsf-0.82.schema.json")).unwrap(),
        )
        .with_resource(
            "http://cyclonedx.org/schema/cryptography-defs.schema.json",
            jsonschema::Resource::from_contents(load("cryptography-defs.schema.json")).unwrap(),
        )
        .build(&load("bom-1.6.schema.json"))
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&bom).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
