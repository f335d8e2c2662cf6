//! One fixture per license family, resolution paths, inheritance, conflicts and `--deny`.

use std::path::PathBuf;
use vouch_license::{
    denied, evaluate, find_local_model, human, to_json, unknown_kinds, ComponentStatus, LicenseReport, Options, OsaidVerdict,
    RestrictionKind as K,
};
use vouch_model::{EvalResult, FileEntry, FileRole, GgufInfo, LicenseFile, LicenseFileKind, ModelCard, ModelRecord, RepoKind};

fn record(license: Option<&str>) -> ModelRecord {
    let mut r = ModelRecord::new(PathBuf::from("/models/m"), RepoKind::Directory);
    r.card = Some(ModelCard { license: license.map(str::to_string), ..Default::default() });
    r
}

fn with_card(mut r: ModelRecord, f: impl FnOnce(&mut ModelCard)) -> ModelRecord {
    f(r.card.as_mut().unwrap());
    r
}

fn file(path: &str, kind: LicenseFileKind, text: &str) -> LicenseFile {
    LicenseFile { path: path.into(), kind, text: text.into() }
}

fn entry(path: &str, role: FileRole) -> FileEntry {
    FileEntry { path: path.into(), size: 10, sha256: None, lfs: None, role }
}

fn eval(r: &ModelRecord) -> LicenseReport {
    evaluate(r, &Options::default(), &|_| None)
}

/// (kind, clause fragment, limit) of every own restriction.
fn has(rep: &LicenseReport, kind: K, clause: &str) -> bool {
    rep.restrictions.iter().any(|r| r.kind == kind && r.source.clause.contains(clause))
}

#[test]
fn each_license_family_yields_its_restrictions_with_clauses() {
    // (card license, [(kind, clause fragment)], expected cap)
    type Case<'a> = (&'a str, &'a [(K, &'a str)], Option<(K, u64)>);
    let cases: &[Case] = &[
        (
            "llama2",
            &[(K::MauCap, "Section 2"), (K::OutputUseBan, "1.b.v"), (K::AcceptableUsePolicy, "1.b.iv"), (K::Attribution, "1.b.iii")],
            Some((K::MauCap, 700_000_000)),
        ),
        (
            "llama3",
            &[(K::MauCap, "Section 2"), (K::OutputUseBan, "1.b.v"), (K::NamingDuty, "1.b.i"), (K::AcceptableUsePolicy, "1.b.iv")],
            Some((K::MauCap, 700_000_000)),
        ),
        (
            "llama3.1",
            &[(K::MauCap, "Section 2"), (K::NamingDuty, "1.b.i"), (K::AcceptableUsePolicy, "1.b.iv"), (K::Attribution, "1.b.iii")],
            Some((K::MauCap, 700_000_000)),
        ),
        (
            "llama3.2",
            &[(K::MauCap, "Section 2"), (K::NamingDuty, "1.b.i"), (K::GeographicExclusion, "Acceptable Use Policy")],
            Some((K::MauCap, 700_000_000)),
        ),
        (
            "llama3.3",
            &[(K::MauCap, "Section 2"), (K::NamingDuty, "1.b.i"), (K::AcceptableUsePolicy, "1.b.iv")],
            Some((K::MauCap, 700_000_000)),
        ),
        (
            "llama4",
            &[(K::MauCap, "Section 2"), (K::NamingDuty, "1.b.i"), (K::GeographicExclusion, "Llama 4 Acceptable Use Policy")],
            Some((K::MauCap, 700_000_000)),
        ),
        ("gemma", &[(K::AcceptableUsePolicy, "Section 3.2"), (K::RemoteRestriction, "Section 3.2"), (K::Attribution, "Section 3.1")], None),
        ("creativeml-openrail-m", &[(K::FieldOfUse, "Paragraph 5"), (K::RemoteRestriction, "Paragraph 7")], None),
        ("bigscience-openrail-m", &[(K::FieldOfUse, "Attachment A"), (K::RemoteRestriction, "Paragraph 7")], None),
        ("bigscience-bloom-rail-1.0", &[(K::FieldOfUse, "Attachment A")], None),
        ("openrail++", &[(K::FieldOfUse, "Attachment A")], None),
        ("openrail", &[(K::FieldOfUse, "Use-based")], None),
        ("qwen", &[(K::MauCap, "Section 4"), (K::NamingDuty, "Section 5.b")], Some((K::MauCap, 100_000_000))),
        ("qwen-research", &[(K::NonCommercial, "non-commercial")], None),
        ("tongyi-qianwen", &[(K::MauCap, "Section 4")], Some((K::MauCap, 100_000_000))),
        ("deepseek", &[(K::FieldOfUse, "Attachment A")], None),
        ("nvidia-open-model-license", &[(K::AcceptableUsePolicy, "Trustworthy AI"), (K::RemoteRestriction, "Guardrail")], None),
        ("stabilityai-community", &[(K::RevenueCap, "Annual Revenue"), (K::NamingDuty, "Attribution")], Some((K::RevenueCap, 1_000_000))),
        ("cc-by-nc-4.0", &[(K::NonCommercial, "2(a)(1)"), (K::Attribution, "3(a)")], None),
        ("cc-by-nc-sa-4.0", &[(K::NonCommercial, "2(a)(1)")], None),
        ("cc-by-nc-nd-4.0", &[(K::NonCommercial, "2(a)(1)")], None),
    ];
    for (id, want, cap) in cases {
        let rep = eval(&record(Some(id)));
        assert_eq!(rep.license.id.as_deref(), Some(*id), "{id}");
        assert_eq!(rep.license.osi_approved, Some(false), "{id}");
        assert_eq!(rep.license.source.label(), "card:license", "{id}");
        for (kind, clause) in *want {
            assert!(has(&rep, *kind, clause), "{id}: missing {} from {clause}: {:#?}", kind.as_str(), rep.restrictions);
        }
        if let Some((kind, n)) = cap {
            assert!(rep.restrictions.iter().any(|r| r.kind == *kind && r.limit == Some(*n)), "{id}: cap {n}");
        }
        for r in &rep.restrictions {
            assert!(r.inherited_from.is_none() && r.source.url.starts_with("https://") && r.source.license == *id, "{id}: {r:?}");
        }
        assert_eq!(rep.openness.osaid.verdict, OsaidVerdict::Fail, "{id}");
        assert_eq!(rep.openness.mof_class, 0, "{id}");
    }
    // Falcon 180B: the acceptable-use policy (5.1, 5.3) and the hosted-services note.
    let falcon = eval(&record(Some("falcon-180b")));
    let kinds: Vec<String> = falcon.restrictions.iter().map(|r| format!("{:?}", r.kind)).collect();
    assert_eq!(falcon.license.osi_approved, Some(false));
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(falcon.restrictions.iter().any(|r| r.source.clause.contains("5.1")), "{:?}", falcon.restrictions);
    assert_eq!(falcon.openness.osaid.verdict, OsaidVerdict::Fail);
}

#[test]
fn osi_licenses_and_spdx_expressions() {
    let rep = eval(&record(Some("apache-2.0")));
    assert_eq!(rep.license.id.as_deref(), Some("Apache-2.0"));
    assert!(rep.license.spdx);
    assert_eq!(rep.license.osi_approved, Some(true));
    assert!(rep.restrictions.is_empty());
    assert_ne!(rep.openness.osaid.verdict, OsaidVerdict::Fail);

    let rep = eval(&record(Some("apache-2.0 OR mit")));
    assert_eq!(rep.license.expression.as_deref(), Some("Apache-2.0 OR MIT"));
    assert_eq!(rep.license.osi_approved, Some(true));

    let rep = eval(&record(Some("mit AND cc-by-nc-4.0")));
    assert_eq!(rep.license.osi_approved, Some(false), "an AND with a non-OSI license is not OSI");

    let rep = eval(&record(Some("my-own-license")));
    assert_eq!(rep.license.osi_approved, None);
    assert!(rep.notes.iter().any(|n| n.contains("my-own-license")));
    assert_eq!(rep.openness.osaid.verdict, OsaidVerdict::Undetermined);
}

#[test]
fn license_other_is_recognised_from_the_license_text() {
    let llama = "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024\n\u{201c}Agreement\u{201d} means ...";
    let mut r = with_card(record(Some("other")), |c| c.license_name = Some("custom".into()));
    r.license_files.push(file("LICENSE", LicenseFileKind::License, llama));
    let rep = eval(&r);
    assert_eq!(rep.license.id.as_deref(), Some("llama3.1"));
    assert_eq!(rep.license.source.label(), "file:LICENSE");
    assert!(has(&rep, K::MauCap, "Section 2"));

    let mut r = record(Some("other"));
    r.license_files.push(file(
        "NOTICE",
        LicenseFileKind::Notice,
        "Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms",
    ));
    assert_eq!(eval(&r).license.id.as_deref(), Some("gemma"));

    let mut r = record(Some("other"));
    r.license_files.push(file(
        "LICENSE.txt",
        LicenseFileKind::License,
        "                Apache License\n           Version 2.0, January 2004\n   http://www.apache.org/licenses/",
    ));
    let rep = eval(&r);
    assert_eq!((rep.license.id.as_deref(), rep.license.osi_approved), (Some("Apache-2.0"), Some(true)));

    let mut r = ModelRecord::new(PathBuf::from("/m"), RepoKind::Directory);
    r.license_files.push(file(
        "LICENSE",
        LicenseFileKind::License,
        "Copyright (c) 2024 X\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software",
    ));
    assert_eq!(eval(&r).license.id.as_deref(), Some("MIT"));

    // Nothing recognisable: undetermined, with a note saying a human must read it.
    let mut r = record(Some("other"));
    r.license_files.push(file("LICENSE", LicenseFileKind::License, "All rights reserved. Ask us."));
    let rep = eval(&r);
    assert_eq!(rep.license.source.label(), "none");
    assert!(rep.notes.iter().any(|n| n.contains("human")));
}

#[test]
fn license_name_link_and_gguf_sources() {
    let r = with_card(record(Some("other")), |c| c.license_name = Some("google-gemma-terms-of-use".into()));
    let rep = eval(&r);
    assert_eq!((rep.license.id.as_deref(), rep.license.source.label().as_str()), (Some("gemma"), "card:license_name"));

    let r = with_card(record(Some("other")), |c| c.license_link = Some("https://ai.google.dev/gemma/terms/".into()));
    assert_eq!(eval(&r).license.source.label(), "card:license_link");

    let mut r = ModelRecord::new(PathBuf::from("/m.gguf"), RepoKind::SingleFile);
    r.gguf = Some(GgufInfo { file: "m.gguf".into(), license: Some("llama3.2".into()), ..Default::default() });
    let rep = eval(&r);
    assert_eq!((rep.license.id.as_deref(), rep.license.source.label().as_str()), (Some("llama3.2"), "gguf:general.license"));
    assert!(has(&rep, K::GeographicExclusion, "Acceptable Use Policy"));
}

#[test]
fn declared_license_contradicted_by_the_license_text() {
    let mut r = record(Some("apache-2.0"));
    r.license_files.push(file(
        "LICENSE",
        LicenseFileKind::License,
        "META LLAMA 3 COMMUNITY LICENSE AGREEMENT\nMeta Llama 3 Version Release Date: April 18, 2024",
    ));
    let rep = eval(&r);
    let c = rep.conflicts.iter().find(|c| c.kind == "license-file-mismatch").expect("mismatch reported");
    assert_eq!((c.declared.as_deref(), c.base_license.as_deref()), (Some("Apache-2.0"), Some("llama3")));
}

#[test]
fn fine_tune_of_llama_3_1_inherits_its_terms_and_conflicts_with_apache() {
    let r = with_card(record(Some("apache-2.0")), |c| {
        c.base_models = vec!["meta-llama/Llama-3.1-8B-Instruct".into()];
        c.tags = vec!["open-source".into()];
    });
    let rep = eval(&r);
    let base = Some("meta-llama/Llama-3.1-8B-Instruct");
    for (kind, clause) in [(K::MauCap, "Section 2"), (K::NamingDuty, "1.b.i"), (K::AcceptableUsePolicy, "1.b.iv")] {
        assert!(
            rep.restrictions.iter().any(|x| x.kind == kind && x.source.clause.contains(clause) && x.inherited_from.as_deref() == base),
            "inherited {}",
            kind.as_str()
        );
    }
    let c = rep.conflicts.iter().find(|c| c.kind == "license-conflict").expect("conflict");
    assert_eq!((c.base.as_deref(), c.base_license.as_deref(), c.declared.as_deref()), (base, Some("llama3.1"), Some("Apache-2.0")));
    assert!(c.detail.contains("mau-cap"));
    // Apache-2.0 on the card, but the inherited terms fail the OSAID, and the card says open source.
    assert_eq!(rep.openness.osaid.verdict, OsaidVerdict::Fail);
    assert!(rep.openness.osaid.reasons.iter().any(|r| r.contains("inherited from meta-llama/Llama-3.1-8B-Instruct")));
    assert!(rep.conflicts.iter().any(|c| c.kind == "open-washing"));

    // Declaring the base's own license is no conflict, and restrictions are not listed twice.
    let r = with_card(record(Some("llama3.1")), |c| c.base_models = vec!["meta-llama/Llama-3.1-8B-Instruct".into()]);
    let rep = eval(&r);
    assert!(rep.conflicts.is_empty(), "{:?}", rep.conflicts);
    assert_eq!(rep.restrictions.iter().filter(|r| r.kind == K::MauCap).count(), 1);

    // A base model nobody knows: noted, not guessed.
    let r = with_card(record(Some("mit")), |c| c.base_models = vec!["someone/unknown-model".into()]);
    let rep = eval(&r);
    assert!(rep.restrictions.is_empty() && rep.conflicts.is_empty());
    assert!(rep.notes.iter().any(|n| n.contains("someone/unknown-model")));
}

#[test]
fn base_model_chain_is_walked_through_local_records() {
    // mine (MIT) -> org/mid (license other, LICENSE text of Llama 3.2) -> meta-llama/Llama-2-7b-hf (bundled catalog)
    let mine = with_card(record(Some("mit")), |c| c.base_models = vec!["org/mid".into()]);
    let lookup = |id: &str| -> Option<ModelRecord> {
        match id {
            "org/mid" => {
                let mut m =
                    with_card(record(Some("other")), |c| c.base_models = vec!["meta-llama/Llama-2-7b-hf".into(), "org/mine".into()]);
                m.license_files.push(file("LICENSE", LicenseFileKind::License, "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT"));
                Some(m)
            }
            // A cycle back to the start must not loop.
            "org/mine" => Some(with_card(record(Some("mit")), |c| c.base_models = vec!["org/mid".into()])),
            _ => None,
        }
    };
    let mut me = mine;
    me.repo_id = Some("org/mine".into());
    let rep = evaluate(&me, &Options::default(), &lookup);
    assert!(rep.restrictions.iter().any(|r| r.kind == K::GeographicExclusion && r.inherited_from.as_deref() == Some("org/mid")));
    assert!(rep.restrictions.iter().any(|r| r.kind == K::OutputUseBan && r.inherited_from.as_deref() == Some("meta-llama/Llama-2-7b-hf")));
    let bases: Vec<_> = rep.conflicts.iter().filter(|c| c.kind == "license-conflict").filter_map(|c| c.base.as_deref()).collect();
    assert_eq!(bases, vec!["org/mid", "meta-llama/Llama-2-7b-hf"]);
}

#[test]
fn adapters_and_gguf_base_models_count_too() {
    let mut r = record(Some("apache-2.0"));
    r.adapter = Some(vouch_model::AdapterInfo { base_model: Some("google/gemma-2-9b".into()), ..Default::default() });
    let rep = eval(&r);
    assert!(rep.restrictions.iter().any(|x| x.kind == K::RemoteRestriction && x.inherited_from.as_deref() == Some("google/gemma-2-9b")));
    // Gemma 4 is Apache-2.0: nothing inherited.
    let mut r = record(Some("apache-2.0"));
    r.gguf = Some(GgufInfo { file: "x.gguf".into(), base_models: vec!["google/gemma-4-31b".into()], ..Default::default() });
    assert!(eval(&r).restrictions.is_empty());
}

#[test]
fn deny_kinds_select_restrictions() {
    let rep = eval(&with_card(record(Some("apache-2.0")), |c| c.base_models = vec!["meta-llama/Llama-3.1-8B-Instruct".into()]));
    let d = denied(&rep, &["mau-cap".into()]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, K::MauCap);
    assert!(denied(&rep, &["non-commercial".into()]).is_empty());
    assert_eq!(denied(&rep, &["MAU-CAP".into(), "naming-duty".into()]).len(), 2);
    assert_eq!(denied(&rep, &["all".into()]).len(), rep.restrictions.len());
    assert_eq!(unknown_kinds(&["mau-cap".into(), "bogus".into()]), vec!["bogus".to_string()]);
    let opts = Options { deny: vec!["mau-cap".into(), "bogus".into()], ..Default::default() };
    let rep = evaluate(&record(Some("mit")), &opts, &|_| None);
    assert!(rep.notes.iter().any(|n| n.starts_with("--deny bogus")), "{:?}", rep.notes);
    let nc = eval(&record(Some("cc-by-nc-4.0")));
    assert_eq!(denied(&nc, &["non-commercial".into()]).len(), 1);
}

#[test]
fn use_policy_file_adds_an_acceptable_use_restriction() {
    let mut r = record(Some("apache-2.0"));
    r.license_files.push(file("USE_POLICY.md", LicenseFileKind::UsePolicy, "You agree you will not use the model to ..."));
    let rep = eval(&r);
    let aup: Vec<_> = rep.restrictions.iter().filter(|x| x.kind == K::AcceptableUsePolicy).collect();
    assert_eq!(aup.len(), 1);
    assert_eq!(aup[0].source.clause, "USE_POLICY.md");
}

#[test]
fn openness_components_and_mof_class_from_the_repository() {
    let mut r = with_card(record(Some("apache-2.0")), |c| {
        c.datasets = vec!["HuggingFaceFW/fineweb".into()];
        c.eval_results = vec![EvalResult { dataset_name: Some("MMLU".into()), value: "60".into(), ..Default::default() }];
        c.sections = vec![("Training Data".into(), "See https://arxiv.org/abs/2401.00001".into())];
        c.library_name = Some("transformers".into());
    });
    r.files = vec![
        entry("README.md", FileRole::Card),
        entry("config.json", FileRole::Config),
        entry("modeling_tiny.py", FileRole::Code),
        entry("model.safetensors", FileRole::Weights),
    ];
    let rep = eval(&r);
    let st = |name: &str| rep.openness.components.iter().find(|c| c.name == name).map(|c| c.status).unwrap();
    assert_eq!(rep.openness.components.len(), 17);
    assert_eq!(st("Model parameters (Final)"), ComponentStatus::Found);
    assert_eq!(st("Model architecture"), ComponentStatus::Found);
    assert_eq!(st("Evaluation results"), ComponentStatus::Found);
    assert_eq!(st("Datasets"), ComponentStatus::NeedsHuman);
    assert_eq!(st("Research paper"), ComponentStatus::NeedsHuman);
    assert_eq!(st("Data preprocessing code"), ComponentStatus::Missing);
    // Open weights under their own OSI license: Class III by the MOT's conditional pass.
    assert_eq!(rep.openness.mof_class, 3);
    assert_eq!(rep.openness.eu_osai.len(), 14);
    let lic = rep.openness.eu_osai.iter().find(|p| p.name == "Licenses").unwrap();
    assert_eq!(lic.status, ComponentStatus::Found);

    // The same repository under Llama terms: no class.
    let mut l = r.clone();
    l.card.as_mut().unwrap().license = Some("llama3.1".into());
    let rep = eval(&l);
    assert_eq!(rep.openness.mof_class, 0);
    assert_eq!(rep.openness.eu_osai.iter().find(|p| p.name == "Licenses").unwrap().status, ComponentStatus::Missing);
}

#[test]
fn json_and_human_output() {
    let rep = eval(&with_card(record(Some("apache-2.0")), |c| c.base_models = vec!["meta-llama/Llama-3.1-8B-Instruct".into()]));
    let j = to_json(&rep);
    assert_eq!(j["schema"], "vouch.license/1");
    assert_eq!(j["license"]["id"], "Apache-2.0");
    assert_eq!(j["license"]["source"], "card:license");
    let r0 = &j["restrictions"][0];
    for k in ["kind", "detail", "source", "inherited_from"] {
        assert!(r0.get(k).is_some(), "restriction field {k}");
    }
    assert_eq!(r0["inherited_from"], "meta-llama/Llama-3.1-8B-Instruct");
    assert!(r0["source"]["url"].as_str().unwrap().starts_with("https://"));
    let c = j["conflicts"].as_array().unwrap().iter().find(|c| c["kind"] == "license-conflict").unwrap();
    for k in ["detail", "base", "base_license", "declared"] {
        assert!(c.get(k).is_some(), "conflict field {k}");
    }
    assert_eq!(j["openness"]["osaid"]["verdict"], "fail");
    assert_eq!(j["openness"]["components"].as_array().unwrap().len(), 17);
    assert!(j["openness"]["eu_osai"].is_array());
    let h = human(&rep);
    assert!(h.contains("inherited from meta-llama/Llama-3.1-8B-Instruct"));
    assert!(h.contains("license-conflict"));
}

#[test]
fn local_models_are_found_in_a_hugging_face_cache_and_in_folders() {
    let root = std::env::temp_dir().join(format!("vouch-license-find-{}", std::process::id()));
    let snap = root.join("hub/models--meta-llama--Llama-3.1-8B/snapshots/abc123");
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::create_dir_all(root.join("org/plain")).unwrap();
    let roots = vec![root.clone()];
    assert_eq!(find_local_model(&roots, "meta-llama/Llama-3.1-8B"), Some(snap));
    assert_eq!(find_local_model(&roots, "org/plain"), Some(root.join("org/plain")));
    assert_eq!(find_local_model(&roots, "org/absent"), None);
    assert_eq!(find_local_model(&roots, "../etc"), None);
    std::fs::remove_dir_all(&root).unwrap();
}
