//! Real files of the formats scan part 2 covers, written by their producers (see each data
//! folder's generator), scanned end to end: benign ones stay clean, each technique is caught.

mod common;

use std::path::PathBuf;
use vouch_report::Verdict;
use vouch_scan::{scan_file, Config};

fn data(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    assert!(p.exists(), "fixture not found: {}", p.display());
    p
}

fn check(rel: &str, verdict: Verdict, rule: Option<&str>) {
    let r = scan_file(&data(rel), rel.into(), &Config::default());
    assert_eq!(r.verdict, verdict, "{rel}: {:#?}", r.findings);
    if let Some(code) = rule {
        assert!(r.findings.iter().any(|f| f.rule.code == code), "{rel}: no {code} in {:#?}", r.findings);
    }
}

#[test]
fn keras_models() {
    check("keras/k3_benign_dense.keras", Verdict::Clean, None);
    check("keras/k3_benign_dense.h5", Verdict::Clean, None);
    check("keras/k2_benign_compiled.h5", Verdict::Clean, None);
    check("keras/h5_earliest.h5", Verdict::Clean, None);
    check("keras/h5_latest_dense.h5", Verdict::Clean, None);
    check("keras/k3_lambda_times_two.keras", Verdict::Dangerous, Some("VCH-KER-001"));
    check("keras/k3_lambda_times_two.h5", Verdict::Dangerous, Some("VCH-KER-001"));
    check("keras/k2_lambda_times_two.h5", Verdict::Dangerous, Some("VCH-KER-001"));
    // CVE-2025-1550: functions outside keras named in config.json bypass safe_mode.
    check("keras/k3_cve_2025_1550.keras", Verdict::Dangerous, Some("VCH-KER-002"));
}
