//! Every labelled sample in ../shared/corpus/models gets the verdict its label demands.

mod common;

use vouch_report::Verdict;
use vouch_scan::{scan_file, Config};

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
        let ok = match label {
            "malicious" => v == Verdict::Dangerous,
            "suspicious" => matches!(v, Verdict::Suspicious | Verdict::Dangerous),
            "benign" => v == Verdict::Clean,
            "opaque" => v == Verdict::Incomplete,
            "not-a-model" => v != Verdict::Dangerous && v != Verdict::Error,
            other => panic!("unknown label {other} for {path}"),
        };
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
    assert_eq!(checked, 105, "every labelled sample is checked, with no skip list");
    println!("{checked} labelled samples checked");
}
