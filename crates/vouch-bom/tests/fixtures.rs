//! Every fixture's BOMs validate against the official schemas, and every dataset, base model
//! and license lands where each specification puts it.

mod common;

use serde_json::Value;
use vouch_bom::{check_spdx_ai_profile, cyclonedx, license_choice, spdx3, CdxSpec, LicenseChoice};

fn graph(doc: &Value) -> &Vec<Value> {
    doc["@graph"].as_array().unwrap()
}

fn by_type<'a>(doc: &'a Value, ty: &str) -> Vec<&'a Value> {
    graph(doc).iter().filter(|e| e["type"] == ty).collect()
}

fn element<'a>(doc: &'a Value, id: &str) -> &'a Value {
    graph(doc).iter().find(|e| e["spdxId"] == id).unwrap_or_else(|| panic!("no element {id}"))
}

/// Targets of `from`'s relationships of `kind`.
fn related<'a>(doc: &'a Value, from: &str, kind: &str) -> Vec<&'a Value> {
    by_type(doc, "Relationship")
        .into_iter()
        .filter(|r| r["from"] == from && r["relationshipType"] == kind)
        .flat_map(|r| r["to"].as_array().unwrap().iter().map(|t| element_or_iri(doc, t.as_str().unwrap())))
        .collect()
}

fn element_or_iri<'a>(doc: &'a Value, id: &'a str) -> &'a Value {
    graph(doc).iter().find(|e| e["spdxId"] == id).unwrap_or_else(|| Box::leak(Box::new(Value::String(id.to_string()))))
}

fn model(doc: &Value) -> &Value {
    by_type(doc, "ai_AIPackage").into_iter().find(|e| e["spdxId"].as_str().unwrap().ends_with("#model")).unwrap()
}

fn props(c: &Value, name: &str) -> Vec<String> {
    c["properties"]
        .as_array()
        .map_or(vec![], |p| p.iter().filter(|x| x["name"] == name).map(|x| x["value"].as_str().unwrap().to_string()).collect())
}

fn boms(r: &vouch_model::ModelRecord) -> (Value, Value, Value) {
    let o = common::opts();
    (cyclonedx(r, CdxSpec::V1_6, &o), cyclonedx(r, CdxSpec::V1_7, &o), spdx3(r, &o))
}

#[test]
fn every_fixture_validates_against_the_official_schemas() {
    for (name, r) in common::all() {
        let (c16, c17, s) = boms(&r);
        assert_eq!(c16["specVersion"], "1.6");
        assert_eq!(c17["specVersion"], "1.7");
        let e16 = common::errors(common::cdx(CdxSpec::V1_6), &c16);
        assert!(e16.is_empty(), "{name} CycloneDX 1.6: {e16:#?}\n{c16:#}");
        let e17 = common::errors(common::cdx(CdxSpec::V1_7), &c17);
        assert!(e17.is_empty(), "{name} CycloneDX 1.7: {e17:#?}");
        let es = common::errors(common::spdx(), &s);
        assert!(es.is_empty(), "{name} SPDX 3.0.1: {es:#?}\n{s:#}");
        // Every bom-ref is unique.
        let text = c16.to_string();
        let mut refs: Vec<&str> =
            text.match_indices("\"bom-ref\":\"").map(|(i, m)| &text[i + m.len()..]).map(|s| &s[..s.find('"').unwrap()]).collect();
        let n = refs.len();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), n, "{name}: duplicate bom-ref");
        // Every element of the SPDX graph is listed by the document, and every relationship
        // end exists (or is a well-known individual).
        let doc = by_type(&s, "SpdxDocument")[0];
        let listed: Vec<&str> = doc["element"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        for e in graph(&s) {
            if let Some(id) = e["spdxId"].as_str() {
                assert!(id == doc["spdxId"] || listed.contains(&id), "{name}: {id} not in the document's element list");
            }
        }
        for r in by_type(&s, "Relationship") {
            for end in std::iter::once(&r["from"]).chain(r["to"].as_array().unwrap()) {
                let end = end.as_str().unwrap();
                assert!(end.starts_with("https://spdx.org/rdf/") || listed.contains(&end), "{name}: dangling {end}");
            }
        }
    }
}

#[test]
fn llama_base_model() {
    let r = common::llama_base();
    assert_eq!(license_choice(&r), LicenseChoice::Ref { id: "LicenseRef-llama3.1".into(), text: Some(r.license_files[0].text.clone()) });
    let (c, _, s) = boms(&r);
    let m = &c["metadata"]["component"];
    assert_eq!(m["type"], "machine-learning-model");
    assert_eq!(m["group"], "meta-llama");
    assert_eq!(m["name"], "Llama-3.1-8B");
    assert_eq!(m["purl"], "pkg:huggingface/meta-llama/Llama-3.1-8B@d04e592bb4f6aa9cfee91e2e20afa771667e1d4b");
    assert_eq!(m["supplier"]["name"], "meta-llama");
    assert_eq!(m["description"], "A collection of pretrained multilingual large language models.");
    assert!(m.get("pedigree").is_none(), "a base model has no ancestors");
    let params = &m["modelCard"]["modelParameters"];
    assert_eq!(params["task"], "text-generation");
    assert_eq!(params["architectureFamily"], "llama");
    assert_eq!(params["modelArchitecture"], "LlamaForCausalLM");
    assert_eq!(params["inputs"], serde_json::json!([{"format": "text"}]));
    assert_eq!(params["outputs"], serde_json::json!([{"format": "text"}]));
    assert!(params.get("approach").is_none(), "the card does not say how it was trained");
    let cons = &m["modelCard"]["considerations"];
    assert_eq!(cons["useCases"][0], "Commercial and research use in multiple languages.");
    let lim: Vec<&str> = cons["technicalLimitations"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(lim.contains(&"Out-of-scope: Use in any manner that violates applicable laws."), "{lim:?}");
    assert!(lim.contains(&"May produce inaccurate or biased responses."), "{lim:?}");
    let risks = cons["ethicalConsiderations"].as_array().unwrap();
    assert_eq!(risks.len(), 1);
    assert!(risks[0]["name"].as_str().unwrap().contains("Testing was done in English only."));
    assert!(risks[0].get("mitigationStrategy").is_none(), "placeholder recommendations are not copied");
    // License: a LicenseRef with the LICENSE text.
    let lic = &m["licenses"][0]["license"];
    assert_eq!(lic["name"], "LicenseRef-llama3.1");
    assert!(lic["text"]["content"].as_str().unwrap().starts_with("LLAMA 3.1 COMMUNITY LICENSE"));
    assert_eq!(props(m, "vouch:parameter-count"), ["8030261248"]);
    assert_eq!(props(m, "vouch:dtype"), ["BF16"]);
    assert_eq!(props(m, "vouch:language"), ["en", "de"]);
    // Every file is a component with its SHA-256.
    let files: Vec<&Value> = c["components"].as_array().unwrap().iter().filter(|x| x["type"] == "file").collect();
    assert_eq!(files.len(), 5);
    let weights = files.iter().find(|f| f["name"] == "model.safetensors").unwrap();
    assert_eq!(weights["hashes"][0], serde_json::json!({"alg": "SHA-256", "content": common::sha('d')}));
    assert_eq!(props(weights, "vouch:role"), ["weights"]);

    let pkg = model(&s);
    assert_eq!(pkg["software_packageVersion"], "d04e592bb4f6aa9cfee91e2e20afa771667e1d4b");
    assert_eq!(
        pkg["software_downloadLocation"],
        "https://huggingface.co/meta-llama/Llama-3.1-8B/tree/d04e592bb4f6aa9cfee91e2e20afa771667e1d4b"
    );
    assert_eq!(pkg["software_primaryPurpose"], "model");
    assert_eq!(pkg["description"], "A collection of pretrained multilingual large language models.");
    assert_eq!(element(&s, pkg["suppliedBy"].as_str().unwrap())["name"], "meta-llama");
    assert_eq!(pkg["ai_typeOfModel"], serde_json::json!(["llama", "LlamaForCausalLM"]));
    assert_eq!(pkg["ai_domain"], serde_json::json!(["natural language processing"]));
    let declared = related(&s, pkg["spdxId"].as_str().unwrap(), "hasDeclaredLicense");
    assert_eq!(declared.len(), 1);
    assert_eq!(declared[0]["type"], "expandedlicensing_CustomLicense");
    assert!(declared[0]["spdxId"].as_str().unwrap().ends_with("#LicenseRef-llama3.1"));
    assert!(declared[0]["simplelicensing_licenseText"].as_str().unwrap().starts_with("LLAMA 3.1"));
    let contained = related(&s, pkg["spdxId"].as_str().unwrap(), "contains");
    assert_eq!(contained.len(), 5);
    let w = contained.iter().find(|f| f["name"] == "model.safetensors").unwrap();
    assert_eq!(w["verifiedUsing"][0], serde_json::json!({"type": "Hash", "algorithm": "sha256", "hashValue": common::sha('d')}));
    assert_eq!(w["software_primaryPurpose"], "model");
    // No release time in a repository: the checker says so, naming the model; nothing else.
    let warnings = check_spdx_ai_profile(&s);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("#model (meta-llama/Llama-3.1-8B): no releaseTime"), "{warnings:?}");
}

#[test]
fn finetune_with_training_and_evaluation_datasets() {
    let r = common::finetune();
    assert_eq!(license_choice(&r), LicenseChoice::Spdx("Apache-2.0".into()));
    let (c, c17, s) = boms(&r);
    for c in [&c, &c17] {
        let m = &c["metadata"]["component"];
        assert_eq!(m["licenses"], serde_json::json!([{"license": {"id": "Apache-2.0", "acknowledgement": "declared"}}]));
        // Datasets: one data component each, referenced from the model card.
        let data: Vec<&Value> = c["components"].as_array().unwrap().iter().filter(|x| x["type"] == "data").collect();
        let names: Vec<&str> = data.iter().map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["HuggingFaceH4/ultrachat_200k", "Open-Orca/OpenOrca", "cais/mmlu"]);
        let refs: Vec<&str> =
            m["modelCard"]["modelParameters"]["datasets"].as_array().unwrap().iter().map(|d| d["ref"].as_str().unwrap()).collect();
        let bom_refs: Vec<&str> = data.iter().map(|d| d["bom-ref"].as_str().unwrap()).collect();
        assert_eq!(refs, bom_refs);
        assert_eq!(props(data[0], "vouch:dataset-use"), ["training"]);
        assert_eq!(props(data[2], "vouch:dataset-use"), ["evaluation"]);
        assert_eq!(data[0]["data"][0]["type"], "dataset");
        assert_eq!(data[0]["data"][0]["contents"]["url"], "https://huggingface.co/datasets/HuggingFaceH4/ultrachat_200k");
        assert_eq!(data[2]["data"][0]["name"], "MMLU");
        // Metrics with their dataset as the slice.
        let metrics = m["modelCard"]["quantitativeAnalysis"]["performanceMetrics"].as_array().unwrap();
        assert_eq!(metrics[0], serde_json::json!({"type": "accuracy", "value": "66.4", "slice": "MMLU (test split)"}));
        assert_eq!(metrics[1], serde_json::json!({"type": "f1", "value": "0.61", "slice": "MMLU"}));
        assert_eq!(m["modelCard"]["modelParameters"]["approach"]["type"], "supervised");
        // Base model as the ancestor, with the relation.
        let anc = m["pedigree"]["ancestors"].as_array().unwrap();
        assert_eq!(anc.len(), 1);
        assert_eq!(anc[0]["purl"], "pkg:huggingface/meta-llama/Llama-3.1-8B");
        assert_eq!(props(&anc[0], "vouch:relation"), ["finetune"]);
        assert_eq!(props(&anc[0], "vouch:relation-source"), ["card"]);
        // CO2 as environmental properties.
        let env = &m["modelCard"]["considerations"]["environmentalConsiderations"];
        assert_eq!(props(env, "vouch:co2eq-emissions-grams"), ["1234.5"]);
        assert_eq!(props(env, "vouch:co2eq-hardware-used"), ["8 x A100"]);
        assert!(m["modelCard"]["considerations"]["ethicalConsiderations"][0]["name"]
            .as_str()
            .unwrap()
            .contains("biases of its base model"));
    }

    let pkg = model(&s);
    let id = pkg["spdxId"].as_str().unwrap();
    let trained: Vec<&str> = related(&s, id, "trainedOn").iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(trained, ["HuggingFaceH4/ultrachat_200k", "Open-Orca/OpenOrca"]);
    let tested = related(&s, id, "testedOn");
    assert_eq!(tested.len(), 1);
    assert_eq!(tested[0]["type"], "dataset_DatasetPackage");
    assert_eq!(tested[0]["name"], "cais/mmlu");
    assert_eq!(tested[0]["software_downloadLocation"], "https://huggingface.co/datasets/cais/mmlu");
    assert_eq!(element(&s, tested[0]["originatedBy"][0].as_str().unwrap())["name"], "cais");
    let bases = related(&s, id, "descendantOf");
    assert_eq!(bases.len(), 1);
    assert_eq!(bases[0]["type"], "ai_AIPackage");
    assert_eq!(bases[0]["name"], "meta-llama/Llama-3.1-8B");
    let declared = related(&s, id, "hasDeclaredLicense");
    assert_eq!(declared[0]["type"], "simplelicensing_LicenseExpression");
    assert_eq!(declared[0]["simplelicensing_licenseExpression"], "Apache-2.0");
    let metrics = pkg["ai_metric"].as_array().unwrap();
    assert_eq!(metrics[0], serde_json::json!({"type": "DictionaryEntry", "key": "accuracy on MMLU (test split)", "value": "66.4"}));
    let training = pkg["ai_informationAboutTraining"].as_str().unwrap();
    assert!(training.contains("meta-llama/Llama-3.1-8B (finetune, card)"), "{training}");
    assert!(training.contains("HuggingFaceH4/ultrachat_200k, Open-Orca/OpenOrca"), "{training}");
    assert!(training.contains("1234.5 g"), "{training}");
    // Datasets lack release/build times in a model card; the checker names each one.
    let w = check_spdx_ai_profile(&s);
    for d in ["HuggingFaceH4/ultrachat_200k", "Open-Orca/OpenOrca", "cais/mmlu"] {
        assert!(w.iter().any(|m| m.contains(&format!("({d}): no builtTime"))), "{d}: {w:#?}");
        assert!(w.iter().any(|m| m.contains(&format!("({d}): no releaseTime"))), "{d}: {w:#?}");
    }
    assert!(w.iter().any(|m| m.contains("(meta-llama/Llama-3.1-8B): no software_packageVersion")), "{w:#?}");
    assert!(!w.iter().any(|m| m.contains("License")), "license relationships are complete: {w:#?}");
}

#[test]
fn peft_adapter() {
    let r = common::adapter();
    let (c, _, s) = boms(&r);
    let m = &c["metadata"]["component"];
    assert!(m.get("version").is_none(), "no revision known");
    assert_eq!(m["purl"], "pkg:huggingface/someone/mistral-lora");
    assert_eq!(m["licenses"][0]["license"]["id"], "MIT");
    let anc = &m["pedigree"]["ancestors"][0];
    assert_eq!(anc["group"], "mistralai");
    assert_eq!(anc["name"], "Mistral-7B-v0.1");
    assert_eq!(props(anc, "vouch:relation"), ["adapter"]);
    assert_eq!(props(anc, "vouch:relation-source"), ["inferred"]);
    assert_eq!(props(m, "vouch:adapter:peft-type"), ["LORA"]);
    assert_eq!(props(m, "vouch:adapter:r"), ["16"]);
    assert_eq!(props(m, "vouch:adapter:target-modules"), ["q_proj,v_proj"]);
    let pkg = model(&s);
    assert_eq!(pkg["ai_typeOfModel"], serde_json::json!(["LORA adapter"]));
    let bases = related(&s, pkg["spdxId"].as_str().unwrap(), "descendantOf");
    assert_eq!(bases[0]["name"], "mistralai/Mistral-7B-v0.1");
    let rel = by_type(&s, "Relationship").into_iter().find(|r| r["relationshipType"] == "descendantOf").unwrap();
    assert_eq!(rel["comment"], "base_model_relation: adapter (inferred)");
    assert!(pkg["ai_hyperparameter"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"type": "DictionaryEntry", "key": "lora_r", "value": "16"})));
    let w = check_spdx_ai_profile(&s);
    assert!(w.iter().any(|m| m.contains("#model (someone/mistral-lora): no software_packageVersion")), "{w:#?}");
}

#[test]
fn gguf_quantization() {
    let r = common::gguf();
    assert_eq!(license_choice(&r), LicenseChoice::Spdx("Apache-2.0".into()));
    let (c, _, s) = boms(&r);
    let m = &c["metadata"]["component"];
    assert_eq!(m["name"], "Qwen2.5 7B Instruct");
    assert!(m.get("purl").is_none(), "no Hub id for a lone file");
    // A single file: its hash is on the model, and there are no file components.
    assert_eq!(m["hashes"], serde_json::json!([{"alg": "SHA-256", "content": common::sha('5')}]));
    assert!(c["components"].as_array().unwrap().is_empty());
    assert_eq!(props(m, "vouch:quantization"), ["Q4_K_M"]);
    assert_eq!(props(m, "vouch:parameter-count"), ["7615616512"]);
    assert_eq!(m["modelCard"]["modelParameters"]["architectureFamily"], "qwen2");
    let anc = &m["pedigree"]["ancestors"][0];
    assert_eq!(anc["purl"], "pkg:huggingface/Qwen/Qwen2.5-7B-Instruct", "the URL becomes a Hub id");
    assert_eq!(props(anc, "vouch:relation"), ["quantized"]);
    assert_eq!(m["licenses"][0]["license"]["id"], "Apache-2.0");
    let pkg = model(&s);
    assert_eq!(pkg["verifiedUsing"][0]["hashValue"], common::sha('5'));
    assert!(pkg["comment"].as_str().unwrap().contains("quantization: Q4_K_M"));
    assert_eq!(related(&s, pkg["spdxId"].as_str().unwrap(), "descendantOf")[0]["name"], "Qwen/Qwen2.5-7B-Instruct");
    // Nothing identifies the supplier, version or download location of a lone file.
    let w = check_spdx_ai_profile(&s);
    for key in ["suppliedBy", "software_packageVersion", "releaseTime", "software_downloadLocation"] {
        assert!(
            w.iter()
                .any(|m| m.contains("(Qwen2.5 7B Instruct)") && m.ends_with(&format!("no {key} (required by the SPDX 3.0.1 AI profile)"))),
            "{key}: {w:#?}"
        );
    }
}

#[test]
fn license_other_with_custom_license_file() {
    let r = common::custom_license();
    let url = "https://huggingface.co/bigcorp/research-model/blob/89abcdef0123456789abcdef0123456789abcdef/LICENSE.md";
    match license_choice(&r) {
        LicenseChoice::Named { id, name, url: u, text } => {
            assert_eq!(id, "LicenseRef-BigCorp-Research-License");
            assert_eq!(name, "BigCorp Research License");
            assert_eq!(u.as_deref(), Some(url));
            assert!(text.unwrap().contains("Non-commercial research use only."));
        }
        other => panic!("{other:?}"),
    }
    let (c, c17, s) = boms(&r);
    for c in [&c, &c17] {
        let lic = &c["metadata"]["component"]["licenses"][0]["license"];
        assert_eq!(lic["name"], "BigCorp Research License");
        assert_eq!(lic["url"], url);
        assert!(lic.get("id").is_none());
        assert_eq!(lic["text"]["contentType"], "text/plain");
        assert!(lic["text"]["content"].as_str().unwrap().contains("Non-commercial"));
    }
    let declared = related(&s, model(&s)["spdxId"].as_str().unwrap(), "hasDeclaredLicense");
    assert_eq!(declared.len(), 1);
    assert_eq!(declared[0]["type"], "expandedlicensing_CustomLicense");
    assert_eq!(declared[0]["name"], "BigCorp Research License");
    assert_eq!(declared[0]["expandedlicensing_seeAlso"], serde_json::json!([url]));
    assert!(declared[0]["simplelicensing_licenseText"].as_str().unwrap().contains("Non-commercial"));
    let concluded = related(&s, model(&s)["spdxId"].as_str().unwrap(), "hasConcludedLicense");
    assert_eq!(concluded, [&Value::String("https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense".into())]);

    // Without the LICENSE file, the name and link still land, as a LicenseRef expression.
    let mut bare = r.clone();
    bare.license_files.clear();
    let s = spdx3(&bare, &common::opts());
    assert!(common::errors(common::spdx(), &s).is_empty());
    let declared = related(&s, model(&s)["spdxId"].as_str().unwrap(), "hasDeclaredLicense");
    assert_eq!(declared[0]["simplelicensing_licenseExpression"], "LicenseRef-BigCorp-Research-License");
    assert_eq!(declared[0]["simplelicensing_customIdToUri"][0]["value"], url);
}

#[test]
fn sharded_safetensors_with_an_lfs_pointer() {
    let r = common::sharded();
    let (c, _, s) = boms(&r);
    let m = &c["metadata"]["component"];
    assert_eq!(props(m, "vouch:shard-count"), ["2"]);
    assert_eq!(props(m, "vouch:dtype"), ["BF16", "F32"]);
    assert_eq!(props(m, "vouch:parameters:F32"), ["2000"]);
    assert_eq!(props(m, "vouch:lfs-pointer-files"), ["1"]);
    assert_eq!(m["licenses"][0]["license"]["id"], "BSD-3-Clause");
    let files: Vec<&Value> = c["components"].as_array().unwrap().iter().filter(|x| x["type"] == "file").collect();
    assert_eq!(files.len(), 3);
    let shard1 = files.iter().find(|f| f["name"] == "model-00001-of-00002.safetensors").unwrap();
    assert_eq!(shard1["hashes"][0]["content"], common::sha('8'));
    assert!(props(shard1, "vouch:lfs-pointer").is_empty());
    // The pointer: the hash and size the pointer declares, and it says it is a pointer.
    let shard2 = files.iter().find(|f| f["name"] == "model-00002-of-00002.safetensors").unwrap();
    assert_eq!(shard2["hashes"][0]["content"], common::sha('9'));
    assert_eq!(props(shard2, "vouch:lfs-pointer"), ["true"]);
    assert_eq!(props(shard2, "vouch:size"), ["4000000000"]);
    let spdx_files = related(&s, model(&s)["spdxId"].as_str().unwrap(), "contains");
    let p = spdx_files.iter().find(|f| f["name"] == "model-00002-of-00002.safetensors").unwrap();
    assert_eq!(p["verifiedUsing"][0]["hashValue"], common::sha('9'));
    assert!(p["comment"].as_str().unwrap().contains("Git LFS pointer"));
    assert!(model(&s)["comment"].as_str().unwrap().contains("1 file(s) present only as Git LFS pointers"));
}

#[test]
fn checker_flags_missing_supplier_version_and_release_time() {
    let mut r = common::finetune();
    r.repo_id = None;
    r.revision = None;
    let s = spdx3(&r, &common::opts());
    assert!(common::errors(common::spdx(), &s).is_empty(), "the schema accepts it: only the profile rules catch it");
    let w = check_spdx_ai_profile(&s);
    let model_warnings: Vec<&String> =
        w.iter().filter(|m| m.starts_with("ai_AIPackage urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79#model ")).collect();
    let missing: Vec<&str> = model_warnings.iter().map(|m| m.split(": no ").nth(1).unwrap().split(' ').next().unwrap()).collect();
    assert_eq!(missing, ["suppliedBy", "software_packageVersion", "releaseTime", "software_downloadLocation"], "{w:#?}");

    // Hand-edited documents: a missing license relationship, a duplicate one, a non-license target.
    let mut doc = spdx3(&common::adapter(), &common::opts());
    let graph = doc["@graph"].as_array_mut().unwrap();
    let model_id = graph.iter().find(|e| e["spdxId"].as_str().is_some_and(|i| i.ends_with("#model"))).unwrap()["spdxId"].clone();
    graph.retain(|e| !(e["from"] == model_id && e["relationshipType"] == "hasConcludedLicense"));
    let declared = graph.iter().find(|e| e["from"] == model_id && e["relationshipType"] == "hasDeclaredLicense").unwrap().clone();
    let mut dup = declared.clone();
    dup["spdxId"] = serde_json::json!("urn:x#dup");
    dup["to"] = serde_json::json!([model_id.clone()]);
    graph.push(dup);
    let w = check_spdx_ai_profile(&doc);
    assert!(w.iter().any(|m| m.contains("#model (someone/mistral-lora): no hasConcludedLicense relationship")), "{w:#?}");
    assert!(w.iter().any(|m| m.contains("#model (someone/mistral-lora): 2 hasDeclaredLicense relationships")), "{w:#?}");
    let mut doc2 = spdx3(&common::adapter(), &common::opts());
    for e in doc2["@graph"].as_array_mut().unwrap() {
        if e["from"] == model_id && e["relationshipType"] == "hasDeclaredLicense" {
            e["to"] = serde_json::json!([model_id.clone()]);
        }
    }
    let w = check_spdx_ai_profile(&doc2);
    assert!(w.iter().any(|m| m.contains("hasDeclaredLicense points to") && m.ends_with("a ai_AIPackage, not a license")), "{w:#?}");
}

#[test]
fn timestamps_are_normalised_for_spdx_and_kept_for_cyclonedx() {
    let mut o = common::opts();
    o.timestamp = "2026-12-02T19:30:15.250+01:00".into();
    let r = common::sharded();
    let s = spdx3(&r, &o);
    assert_eq!(by_type(&s, "CreationInfo")[0]["created"], "2026-12-02T18:30:15Z");
    assert!(common::errors(common::spdx(), &s).is_empty());
    let c = cyclonedx(&r, CdxSpec::V1_6, &o);
    assert_eq!(c["metadata"]["timestamp"], "2026-12-02T19:30:15.250+01:00");
    assert!(common::errors(common::cdx(CdxSpec::V1_6), &c).is_empty());
}

#[test]
fn an_empty_record_still_makes_valid_boms() {
    let r = vouch_model::ModelRecord::new("/tmp/empty".into(), vouch_model::RepoKind::Directory);
    assert_eq!(license_choice(&r), LicenseChoice::None);
    let (c16, c17, s) = boms(&r);
    assert!(common::errors(common::cdx(CdxSpec::V1_6), &c16).is_empty());
    assert!(common::errors(common::cdx(CdxSpec::V1_7), &c17).is_empty());
    assert!(common::errors(common::spdx(), &s).is_empty());
    assert_eq!(c16["metadata"]["component"]["name"], "empty");
    assert!(c16["metadata"]["component"].get("licenses").is_none());
}

/// A named way to break a document.
type Breaker = (&'static str, Box<dyn Fn(&mut Value)>);

#[test]
fn the_validators_reject_broken_variants_of_our_boms() {
    let r = common::finetune();
    let (c, _, s) = boms(&r);
    let broken_cdx: Vec<Breaker> = vec![
        (
            "unknown approach",
            Box::new(|c| c["metadata"]["component"]["modelCard"]["modelParameters"]["approach"]["type"] = "guessing".into()),
        ),
        ("unknown data type", Box::new(|c| c["components"][0]["data"][0]["type"] = "corpus".into())),
        ("unknown model card field", Box::new(|c| c["metadata"]["component"]["modelCard"]["license"] = "MIT".into())),
        ("short hash", Box::new(|c| c["components"][3]["hashes"][0]["content"] = "abc".into())),
    ];
    for (what, f) in broken_cdx {
        for spec in [CdxSpec::V1_6, CdxSpec::V1_7] {
            let mut b = c.clone();
            b["specVersion"] = spec.as_str().into();
            f(&mut b);
            assert!(!common::cdx(spec).is_valid(&b), "CycloneDX {}: {what} accepted", spec.as_str());
        }
    }
    let model_at = graph(&s).iter().position(|e| e["type"] == "ai_AIPackage").unwrap();
    let rel_at = graph(&s).iter().position(|e| e["type"] == "Relationship").unwrap();
    let broken_spdx: Vec<Breaker> = vec![
        ("unknown relationship type", Box::new(move |s| s["@graph"][rel_at]["relationshipType"] = "trainedWith".into())),
        ("no creationInfo", Box::new(move |s| _ = s["@graph"][model_at].as_object_mut().unwrap().remove("creationInfo"))),
        ("unknown property", Box::new(move |s| s["@graph"][model_at]["ai_parameterCount"] = "8".into())),
        ("bad purpose", Box::new(move |s| s["@graph"][model_at]["software_primaryPurpose"] = "weights".into())),
    ];
    for (what, f) in broken_spdx {
        let mut b = s.clone();
        f(&mut b);
        assert!(!common::spdx().is_valid(&b), "SPDX: {what} accepted");
    }
}

#[test]
fn every_spdx_id_vouch_knows_is_valid_cyclonedx() {
    let cdx_enum: Vec<String> =
        common::load("cyclonedx/spdx.schema.json")["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    let missing: Vec<&str> =
        spdx::identifiers::LICENSES.iter().map(|l| l.name).filter(|n| *n != "NOASSERTION" && !cdx_enum.iter().any(|e| e == n)).collect();
    assert_eq!(missing, vouch_bom::NOT_IN_CYCLONEDX_ENUM, "update NOT_IN_CYCLONEDX_ENUM");
    // Such an id becomes an expression, and the BOM stays valid.
    let mut r = common::adapter();
    r.card.as_mut().unwrap().license = Some("bugroff".into());
    assert_eq!(license_choice(&r), LicenseChoice::Spdx("Bugroff".into()));
    for spec in [CdxSpec::V1_6, CdxSpec::V1_7] {
        let c = cyclonedx(&r, spec, &common::opts());
        assert_eq!(c["metadata"]["component"]["licenses"], serde_json::json!([{"expression": "Bugroff", "acknowledgement": "declared"}]));
        assert!(common::errors(common::cdx(spec), &c).is_empty());
    }
    r.card.as_mut().unwrap().license = Some("NOASSERTION".into());
    assert_eq!(license_choice(&r), LicenseChoice::None, "NOASSERTION is not a license name");
}

#[test]
fn several_base_models_without_a_relation_are_a_merge() {
    let mut r = common::finetune();
    let card = r.card.as_mut().unwrap();
    card.base_model_relation = None;
    card.base_models = vec!["org/a".into(), "https://huggingface.co/org/b".into(), "org/A".into()];
    let (c, _, s) = boms(&r);
    let anc = c["metadata"]["component"]["pedigree"]["ancestors"].as_array().unwrap();
    let names: Vec<&str> = anc.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["a", "b"], "URL and case duplicates collapse");
    for a in anc {
        assert_eq!(props(a, "vouch:relation"), ["merge"]);
        assert_eq!(props(a, "vouch:relation-source"), ["inferred"]);
    }
    assert_eq!(related(&s, model(&s)["spdxId"].as_str().unwrap(), "descendantOf").len(), 2);
    assert!(common::errors(common::cdx(CdxSpec::V1_6), &c).is_empty());
}
