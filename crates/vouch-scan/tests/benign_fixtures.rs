//! Real benign files written by their producers (torch, transformers, numpy, scikit-learn,
//! joblib, pandas; see tests/fixtures/benign/README.md) stay clean: the allowlist is measured,
//! not guessed.

mod common;

use vouch_report::Verdict;
use vouch_scan::{scan_file, Config};

/// Benign, but only as a user's own code: `__main__.TinyNet` can never be on a shipped allowlist.
const USER_CLASS: &str = "torch_whole_module_custom_class.pt";

#[test]
fn benign_fixtures_are_clean() {
    let dir = common::fixture("benign");
    let cfg = Config::default();
    let mut n = 0;
    let mut bad = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".md") || name.ends_with(".tsv") {
            continue;
        }
        n += 1;
        let r = scan_file(&p, name.clone(), &cfg);
        let expected = if name == USER_CLASS { Verdict::Dangerous } else { Verdict::Clean };
        if r.verdict != expected {
            bad.push(format!(
                "{name}: {} {:?}",
                r.verdict.as_str(),
                r.findings.iter().map(|f| format!("{} {}", f.rule.code, f.message)).collect::<Vec<_>>()
            ));
        }
    }
    assert!(n >= 60, "only {n} fixtures");
    assert!(bad.is_empty(), "benign fixtures misjudged:\n{}", bad.join("\n"));
}

#[test]
fn user_allowlist_clears_a_custom_class() {
    let cfg = Config::parse("[scan.pickle]\nallow = [\"__main__:TinyNet\"]\n").unwrap();
    let r = scan_file(&common::fixture(&format!("benign/{USER_CLASS}")), USER_CLASS.into(), &cfg);
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
}
