//! The validators the BOM tests rely on are the real thing: they accept every official
//! `valid-*.json` CycloneDX example and reject every `invalid-*.json` one.

mod common;

use vouch_bom::CdxSpec;

/// Official examples the validator judges differently from their name, with the reason.
const EXCEPTIONS: &[(&str, &str)] = &[];

fn check(dir: &str, spec: CdxSpec) -> (usize, usize) {
    let v = common::cdx(spec);
    let path = common::schemas().join("cyclonedx").join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let (mut valid, mut invalid, mut wrong) = (0, 0, vec![]);
    for n in &names {
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path.join(n)).unwrap()).unwrap();
        let ok = v.is_valid(&doc);
        let expect_valid = n.starts_with("valid-");
        assert!(expect_valid || n.starts_with("invalid-"), "{dir}/{n}: neither valid- nor invalid-");
        if ok != expect_valid && !EXCEPTIONS.iter().any(|(e, _)| *e == n) {
            wrong.push(format!(
                "{dir}/{n}: expected {}, got {:?}",
                if expect_valid { "valid" } else { "invalid" },
                common::errors(v, &doc)
            ));
        }
        if expect_valid {
            valid += 1;
        } else {
            invalid += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    (valid, invalid)
}

#[test]
fn cyclonedx_1_6_examples_are_judged_as_named() {
    let (valid, invalid) = check("examples-1.6", CdxSpec::V1_6);
    println!("1.6: {valid} valid accepted, {invalid} invalid rejected");
    assert!(valid >= 40 && invalid >= 20, "{valid} valid, {invalid} invalid examples");
}

#[test]
fn cyclonedx_1_7_examples_are_judged_as_named() {
    let (valid, invalid) = check("examples-1.7", CdxSpec::V1_7);
    println!("1.7: {valid} valid accepted, {invalid} invalid rejected");
    assert!(valid >= 40 && invalid >= 20, "{valid} valid, {invalid} invalid examples");
}
