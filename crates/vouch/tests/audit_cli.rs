//! `vouch audit` and `vouch db` through the binary: exit codes, formats, ignores, errors.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

fn vouch(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch")).args(args).current_dir(cwd).env_remove("VOUCH_DB").output().expect("vouch runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn advisory(id: &str, aliases: &[&str], name: &str, events: Value, severity: Option<&str>) -> Value {
    let mut a = json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": "2024-01-01T00:00:00Z",
        "aliases": aliases,
        "summary": format!("{id} in {name}"),
        "affected": [{"package": {"ecosystem": "PyPI", "name": name}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}],
    });
    if let Some(v) = severity {
        a["severity"] = json!([{"type": "CVSS_V3", "score": v}]);
    }
    a
}

/// A store with three advisories (one malformed file beside them) and a project folder.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let adv = dir.path().join("advisories");
    std::fs::create_dir_all(&adv).unwrap();
    let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    let medium = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"; // 5.4
    let files = [
        (
            "GHSA-aaaa-bbbb-cccc.json",
            advisory(
                "GHSA-aaaa-bbbb-cccc",
                &["CVE-2024-0001"],
                "Demo_Pkg",
                json!([{"introduced": "0"}, {"fixed": "2.0.1"}]),
                Some(critical),
            ),
        ),
        (
            "PYSEC-2024-1.json",
            advisory("PYSEC-2024-1", &["CVE-2024-0001"], "demo-pkg", json!([{"introduced": "0"}, {"fixed": "2.0.1"}]), None),
        ),
        (
            "GHSA-dddd-eeee-ffff.json",
            advisory("GHSA-dddd-eeee-ffff", &[], "other", json!([{"introduced": "1.0"}, {"fixed": "1.4"}]), Some(medium)),
        ),
    ];
    for (n, v) in files {
        std::fs::write(adv.join(n), serde_json::to_string_pretty(&v).unwrap()).unwrap();
    }
    std::fs::write(adv.join("broken.json"), "{ this is not json").unwrap();
    let o = vouch(&["db", "import", "advisories", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("imported 3 advisories"), "{}", text(&o));
    assert!(text(&o).contains("broken.json"), "the malformed file is named: {}", text(&o));
    dir
}

#[test]
fn vulnerable_pins_fail_with_explanations_and_a_fix() {
    let dir = setup();
    std::fs::write(dir.path().join("requirements.txt"), "demo.pkg==1.9\nother==1.2\nsafe==1.0\n").unwrap();
    let o = vouch(&["audit", "requirements.txt", "--db", "store", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "vouch.audit/1");
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "PYSEC-2024-1 merges into the GHSA by its CVE alias: {findings:#?}");
    assert_eq!(findings[0]["id"], "GHSA-aaaa-bbbb-cccc");
    assert_eq!(findings[0]["rating"]["severity"], "critical");
    assert_eq!(findings[0]["why"]["fixed"], "2.0.1");
    assert_eq!(findings[0]["package"]["line"], 1);
    assert!(findings[0]["aliases"].as_array().unwrap().contains(&json!("PYSEC-2024-1")));
    assert_eq!(v["fixes"][0]["suggested"], "2.0.1");
    // The medium finding alone does not fail at the default threshold (high).
    std::fs::write(dir.path().join("requirements.txt"), "other==1.2\n").unwrap();
    let o = vouch(&["audit", "requirements.txt", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("GHSA-dddd-eeee-ffff"), "{}", text(&o));
    let o = vouch(&["audit", "requirements.txt", "--db", "store", "--fail-on", "medium"], dir.path());
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn unpinned_requirements_make_the_result_incomplete() {
    let dir = setup();
    std::fs::write(dir.path().join("requirements.txt"), "demo-pkg>=1.0\nsafe==1.0\n").unwrap();
    let o = vouch(&["audit", "requirements.txt", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("unpinned"), "{}", text(&o));
}

#[test]
fn ignores_apply_to_aliases_and_need_a_reason() {
    let dir = setup();
    std::fs::write(dir.path().join("requirements.txt"), "demo-pkg==1.0\n").unwrap();
    std::fs::write(
        dir.path().join("vouch.toml"),
        "[[audit.ignore]]\nid = \"CVE-2024-0001\"\nreason = \"only the CLI is used\"\nexpires = \"2999-01-01\"\n",
    )
    .unwrap();
    let o = vouch(&["audit", "requirements.txt", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("only the CLI is used"), "{}", text(&o));
    std::fs::write(dir.path().join("vouch.toml"), "[[audit.ignore]]\nid = \"CVE-2024-0001\"\nreason = \"\"\n").unwrap();
    let o = vouch(&["audit", "requirements.txt", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("reason is required"), "{}", text(&o));
}

#[test]
fn bad_inputs_are_errors_that_keep_earlier_results() {
    let dir = setup();
    std::fs::write(dir.path().join("requirements.txt"), "demo-pkg==1.0\n").unwrap();
    std::fs::write(dir.path().join("package-lock.json"), "{ not json").unwrap();
    let o = vouch(&["audit", "requirements.txt", "package-lock.json", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("package-lock.json"), "the bad file is named: {t}");
    assert!(t.contains("GHSA-aaaa-bbbb-cccc"), "the good file's result is still shown: {t}");
    let o = vouch(&["audit", "requirements.txt", "--db", "no-such-store"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("vouch db import"), "{}", text(&o));
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let o = vouch(&["audit", "empty", "--db", "store"], dir.path());
    assert_eq!(o.status.code(), Some(2), "a folder without inputs is not a pass: {}", text(&o));
}

#[test]
fn status_sarif_and_cyclonedx() {
    let dir = setup();
    let o = vouch(&["db", "status", "--db", "store", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"]["total"], 3);
    std::fs::write(dir.path().join("requirements.txt"), "demo-pkg==1.0\n").unwrap();
    let o = vouch(&["audit", ".", "--db", "store", "--format", "sarif"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["runs"][0]["results"][0]["ruleId"], "GHSA-aaaa-bbbb-cccc");
    let o = vouch(&["audit", "requirements.txt", "--db", "store", "--format", "cyclonedx", "-o", "bom.json"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let b: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("bom.json")).unwrap()).unwrap();
    assert_eq!(b["specVersion"], "1.6");
    assert_eq!(b["vulnerabilities"][0]["affects"][0]["ref"], "pkg:pypi/demo-pkg@1.0");
}
