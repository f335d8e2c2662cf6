//! SARIF output validates against the official OASIS SARIF 2.1.0 schema.

use std::path::PathBuf;
use vouch_report::rules::*;
use vouch_report::{render, FileReport, Finding, Location, ScanReport};

fn corpus(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let p = root.join(rel);
    assert!(p.exists(), "test data not found: looked for {} (the shared corpus must sit beside the repository)", p.display());
    p
}

fn sample_report() -> ScanReport {
    let files = vec![
        FileReport::new(
            "model/pytorch_model.bin".into(),
            "pytorch-zip",
            vec![
                Finding::new(&PKL_DANGEROUS_CALL, "calls posix.system")
                    .at(Location { member: Some("archive/data.pkl".into()), offset: Some(12), line: None })
                    .evidence("posix.system"),
                Finding::new(&ARC_BAD_CRC, "bad crc").evidence("expected 1, got 2"),
            ],
        ),
        FileReport::new("clean.pkl".into(), "pickle", vec![]),
        FileReport::error("gone.pkl".into(), "No such file"),
    ];
    ScanReport::new("0.1.0", files, 0.5)
}

#[test]
fn sarif_validates_against_oasis_schema() {
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus("schemas/sarif/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let doc: serde_json::Value = serde_json::from_str(&render::sarif(&sample_report())).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
    // GitHub code scanning needs rule ids, help and security-severity, and a startLine per result.
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for r in rules {
        assert!(r["id"].is_string() && r["help"]["text"].is_string());
        assert!(r["properties"]["security-severity"].as_str().unwrap().parse::<f64>().is_ok());
    }
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["ruleId"], "VCH-PKL-001");
    assert_eq!(results[0]["level"], "error");
    assert_eq!(results[0]["locations"][0]["physicalLocation"]["region"]["startLine"], 1);
}

#[test]
fn schema_check_rejects_broken_sarif() {
    // Proves the validator is live: a result without a message is invalid SARIF.
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus("schemas/sarif/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&render::sarif(&sample_report())).unwrap();
    doc["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&doc));
}

#[test]
fn json_contract_shape() {
    let doc: serde_json::Value = serde_json::from_str(&render::json(&sample_report())).unwrap();
    assert_eq!(doc["schema"], "vouch.scan/1");
    assert_eq!(doc["tool"]["name"], "vouch");
    let f = &doc["files"][0];
    assert_eq!(f["verdict"], "dangerous");
    assert_eq!(f["findings"][0]["rule"], "VCH-PKL-001");
    assert_eq!(f["findings"][0]["severity"], "critical");
    assert_eq!(f["findings"][0]["location"]["member"], "archive/data.pkl");
    assert_eq!(f["findings"][0]["location"]["offset"], 12);
    assert_eq!(f["findings"][0]["evidence"], "posix.system");
    for k in ["files", "dangerous", "suspicious", "incomplete", "clean", "bytes_read", "seconds"] {
        assert!(doc["summary"].get(k).is_some(), "summary lacks {k}");
    }
    assert_eq!(doc["summary"]["dangerous"], 1);
    assert_eq!(doc["summary"]["clean"], 1);
}
