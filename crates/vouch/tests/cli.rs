//! The command line contract: exit codes, JSON and SARIF output, rules listing, errors.

use std::path::PathBuf;
use std::process::Command;

fn vouch() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
}

fn corpus(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(rel);
    assert!(p.exists(), "test data not found: looked for {}", p.display());
    p
}

#[test]
fn exit_codes_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.pkl");
    std::fs::write(&clean, b"\x80\x04}\x94.").unwrap();
    let bad = dir.path().join("bad.bin");
    std::fs::write(&bad, b"cposix\nsystem\n(S'id'\ntR.").unwrap();
    let odd = dir.path().join("odd.bin");
    std::fs::write(&odd, [0xde, 0xad, 0xbe, 0xef, 0, 1]).unwrap();
    let code = |args: &[&std::ffi::OsStr]| vouch().arg("scan").args(args).output().unwrap().status.code().unwrap();
    assert_eq!(code(&[clean.as_os_str()]), 0);
    assert_eq!(code(&[bad.as_os_str()]), 1);
    assert_eq!(code(&[odd.as_os_str()]), 3);
    assert_eq!(code(&[dir.path().join("missing").as_os_str()]), 2);
    // A finding below the threshold does not fail the run; lowering the threshold does.
    let embedded = dir.path().join("embedded.pkl");
    let inner: &[u8] = b"cposix\nsystem\n(S'id'\ntR.";
    let mut p = b"\x80\x04}\x94\x8c\x01p\x94C".to_vec();
    p.push(inner.len() as u8);
    p.extend_from_slice(inner);
    p.extend_from_slice(b"s.");
    std::fs::write(&embedded, &p).unwrap();
    assert_eq!(code(&[embedded.as_os_str()]), 0);
    assert_eq!(code(&[embedded.as_os_str(), "--fail-on".as_ref(), "medium".as_ref()]), 1);
    // Usage errors are 2.
    assert_eq!(vouch().arg("scan").output().unwrap().status.code(), Some(2));
    assert_eq!(vouch().args(["scan", "--format", "xml", "x"]).output().unwrap().status.code(), Some(2));
}

#[test]
fn json_report_on_a_folder() {
    let out = vouch().args(["scan", "--format", "json"]).arg(corpus("models/picklescan")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "vouch.scan/1");
    let files = doc["files"].as_array().unwrap();
    let paths: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "output order is deterministic");
    let m = files.iter().find(|f| f["path"].as_str().unwrap().ends_with("malicious1_v4.pkl")).unwrap();
    assert_eq!(m["verdict"], "dangerous");
    assert_eq!(m["findings"][0]["rule"], "VCH-PKL-001");
    assert_eq!(m["findings"][0]["evidence"], "builtins.eval");
    assert_eq!(m["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(doc["summary"]["files"].as_u64().unwrap() as usize, files.len());
    assert!(doc["summary"]["bytes_read"].as_u64().unwrap() > 0);
}

#[test]
fn sarif_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("report.sarif");
    let st = vouch()
        .args(["scan", "--format", "sarif", "--output"])
        .arg(&out_file)
        .arg(corpus("models/picklescan/malicious0.pkl"))
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn human_output_has_verdict_lines_and_evidence() {
    let out = vouch().args(["scan", "--color", "never"]).arg(corpus("models/picklescan/malicious2_v0.pkl")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("DANGEROUS "), "{text}");
    assert!(text.contains("VCH-PKL-001") && text.contains("evidence: posix.system"), "{text}");
    assert!(!text.contains('\x1b'), "no colour when asked for none");
}

#[test]
fn rules_lists_every_rule() {
    let out = vouch().args(["rules", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), vouch_report::RULES.len());
    assert!(rules.as_array().unwrap().iter().all(|r| r["remediation"].as_str().is_some_and(|s| !s.is_empty())));
    let md = vouch().args(["rules", "--format", "markdown"]).output().unwrap();
    assert!(String::from_utf8(md.stdout).unwrap().contains("| VCH-PKL-001 |"));
}

#[test]
fn bad_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("vouch.toml");
    std::fs::write(&cfg, "[limits]\nmax_dept = 1\n").unwrap();
    let out = vouch().args(["scan", "--config"]).arg(&cfg).arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("vouch.toml") && err.contains("max_dept"), "{err}");
}

#[test]
fn docs_rules_page_is_current() {
    let out = vouch().args(["rules", "--format", "markdown"]).output().unwrap();
    let page = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let committed = std::fs::read_to_string(&page).unwrap();
    assert_eq!(
        committed,
        String::from_utf8(out.stdout).unwrap(),
        "docs/rules.md is stale: regenerate it with `cargo run -p vouch -- rules --format markdown > docs/rules.md`"
    );
}
