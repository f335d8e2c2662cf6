//! Every labelled sample in ../shared/corpus/models gets the verdict its label demands.

mod common;

use vouch_report::Verdict;
use vouch_scan::{scan_file, Config};

/// Samples whose format part 2 of the scanner covers (chat templates, Keras HDF5, TensorFlow
/// protobuf, safetensors metadata). They are still scanned here and must never be dangerous
/// when benign; only their expected verdict is not enforced yet.
const PART2: &[&str] =
    &["modelaudit/samples/jinja2/", "modelaudit/samples/keras/", "modelaudit/samples/tensorflow/", "modelaudit/samples/safetensors/"];

#[test]
fn every_labelled_sample_gets_its_verdict() {
    let labels = std::fs::read_to_string(common::corpus("models/labels.tsv")).unwrap();
    let cfg = Config::default();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in labels.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (path, label) = (cols.next().unwrap(), cols.next().unwrap());
        let report = scan_file(&common::corpus(&format!("models/{path}")), path.to_string(), &cfg);
        let v = report.verdict;
        let skipped = PART2.iter().any(|p| path.starts_with(p));
        let ok = match label {
            "malicious" => v == Verdict::Dangerous,
            "suspicious" => matches!(v, Verdict::Suspicious | Verdict::Dangerous),
            "benign" => v == Verdict::Clean,
            "opaque" => v == Verdict::Incomplete,
            "not-a-model" => v != Verdict::Dangerous && v != Verdict::Error,
            other => panic!("unknown label {other} for {path}"),
        };
        if skipped {
            assert!(
                label == "malicious" || label == "suspicious" || v != Verdict::Dangerous,
                "{path}: benign part-2 sample reported dangerous"
            );
            continue;
        }
        checked += 1;
        if !ok {
            failures.push(format!(
                "{path}: label {label}, verdict {} {:?}",
                v.as_str(),
                report.findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "wrong verdicts:\n{}", failures.join("\n"));
    assert!(checked >= 70, "only {checked} samples checked");
    println!("{checked} labelled samples checked");
}
