//! The MOF class vouch computes from Model Openness Tool records equals the class the MOT assigns.
//!
//! Ground truth: `Test_Data/expected_results.json` (the MOT's own evaluation of its test records,
//! exported from its REST API). Every record of `models/` must also be read and classified.

use std::collections::BTreeMap;
use std::path::PathBuf;
use vouch_license::mof_class_from_mot;

fn corpus() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/openness/mot");
    assert!(p.is_dir(), "MOT corpus not found: looked in {}", p.display());
    p
}

/// Records where vouch and the MOT export disagree, with the reason. Keep this list explicit: a
/// record that starts agreeing, or a new disagreement, fails the test.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

/// The export is JSON with trailing commas; strip them before parsing.
fn lenient_json(text: &str) -> serde_json::Value {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut in_str = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_str {
            out.push(c);
            if c == '\\' && i + 1 < chars.len() {
                out.push(chars[i + 1]);
                i += 1;
            } else if c == '"' {
                in_str = false;
            }
        } else if c == '"' {
            in_str = true;
            out.push(c);
        } else if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if !matches!(next, Some('}') | Some(']')) {
                out.push(c);
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    serde_json::from_str(&out).expect("expected_results.json parses once trailing commas are removed")
}

#[test]
fn mof_class_agrees_with_the_mot_on_its_test_records() {
    let dir = corpus().join("Test_Data");
    let expected = lenient_json(&std::fs::read_to_string(dir.join("expected_results.json")).unwrap());
    let mut by_name: BTreeMap<String, i64> = BTreeMap::new();
    for m in expected["models"].as_array().unwrap() {
        by_name.insert(m["release"]["name"].as_str().unwrap().to_string(), m["classification"]["class"].as_i64().unwrap());
    }
    let mut agree = 0;
    let mut disagreements: Vec<(String, String)> = vec![];
    let mut compared = 0;
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "yml")).collect();
    files.sort();
    for path in files {
        let eval = mof_class_from_mot(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some(want) = by_name.get(&eval.name) else { continue };
        compared += 1;
        if i64::from(eval.class) == *want {
            agree += 1;
        } else {
            let detail = eval
                .components
                .iter()
                .filter(|c| c.included)
                .map(|c| format!("{}={}{}", c.name, c.license.as_deref().unwrap_or("-"), if c.open { "" } else { "(not open)" }))
                .collect::<Vec<_>>()
                .join(", ");
            disagreements.push((eval.name.clone(), format!("vouch {} / MOT {want}: {detail}", eval.class)));
        }
    }
    println!("MOT test records: {agree}/{compared} agree");
    for (n, d) in &disagreements {
        println!("  disagree: {n}: {d}");
    }
    assert!(compared >= 25, "only {compared} records matched the export");
    let got: Vec<&str> = disagreements.iter().map(|(n, _)| n.as_str()).collect();
    let known: Vec<&str> = KNOWN_DISAGREEMENTS.iter().map(|(n, _)| *n).collect();
    assert_eq!(got, known, "disagreements changed");
}

#[test]
fn every_mot_model_record_is_classified() {
    let dir = corpus().join("models");
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let p = e.path();
        if !p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
            continue;
        }
        let eval = mof_class_from_mot(&std::fs::read_to_string(&p).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(eval.unknown_components.is_empty(), "{}: unknown components {:?}", p.display(), eval.unknown_components);
        // Any class needs openly licensed final weights (fully, or as the conditional pass); Class II
        // and I need every Class II component openly licensed.
        let ok = |id: u32| eval.components.iter().any(|c| c.id == id && c.included && c.open);
        if eval.class > 0 {
            assert!(ok(10), "{}: class {} without open weights", p.display(), eval.class);
        }
        if eval.class > 0 && eval.class <= 2 {
            for id in [7u32, 8, 18, 19] {
                assert!(ok(id), "{}: class {} without component {id}", p.display(), eval.class);
            }
        }
        *counts.entry(eval.class).or_default() += 1;
        n += 1;
    }
    println!("MOT model records: {n}; by class: {counts:?}");
    assert!(n >= 250, "only {n} records in {}", dir.display());
}
