//! End to end with the real reader: a Hugging Face cache snapshot written to disk, read by
//! `vouch_model::read_model`, turned into BOMs that validate and carry what the files say.

mod common;

use std::fs;
use vouch_bom::{check_spdx_ai_profile, cyclonedx, spdx3, CdxSpec};

const README: &str = "---
license: apache-2.0
base_model: mistralai/Mistral-7B-v0.1
datasets:
- HuggingFaceH4/ultrachat_200k
pipeline_tag: text-generation
library_name: transformers
model-index:
- name: acme/tiny-chat
  results:
  - task:
      type: text-generation
    dataset:
      name: GSM8K
      type: openai/gsm8k
      split: test
    metrics:
    - type: acc
      value: 41.2
---
# tiny-chat

## Limitations

Tiny; answers are often wrong.
";

/// A safetensors file with one F32 tensor of 4 values.
fn safetensors() -> Vec<u8> {
    let header = br#"{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#;
    let mut out = (header.len() as u64).to_le_bytes().to_vec();
    out.extend_from_slice(header);
    out.extend_from_slice(&[0u8; 16]);
    out
}

#[test]
fn a_snapshot_read_from_disk_becomes_valid_boms() {
    let dir = tempfile::tempdir().unwrap();
    let rev = "1111111111111111111111111111111111111111";
    let snap = dir.path().join("models--acme--tiny-chat").join("snapshots").join(rev);
    fs::create_dir_all(&snap).unwrap();
    fs::write(snap.join("README.md"), README).unwrap();
    fs::write(snap.join("config.json"), r#"{"architectures": ["MistralForCausalLM"], "model_type": "mistral", "hidden_size": 64}"#)
        .unwrap();
    fs::write(snap.join("model.safetensors"), safetensors()).unwrap();
    let record = vouch_model::read_model(&snap, &vouch_model::ReadOptions::default()).unwrap();
    assert_eq!(record.repo_id.as_deref(), Some("acme/tiny-chat"), "{record:#?}");

    let o = common::opts();
    for spec in [CdxSpec::V1_6, CdxSpec::V1_7] {
        let c = cyclonedx(&record, spec, &o);
        let e = common::errors(common::cdx(spec), &c);
        assert!(e.is_empty(), "{e:#?}\n{c:#}");
        let m = &c["metadata"]["component"];
        assert_eq!(m["purl"], format!("pkg:huggingface/acme/tiny-chat@{rev}"));
        assert_eq!(m["licenses"][0]["license"]["id"], "Apache-2.0");
        assert_eq!(m["pedigree"]["ancestors"][0]["purl"], "pkg:huggingface/mistralai/Mistral-7B-v0.1");
        assert_eq!(m["modelCard"]["modelParameters"]["modelArchitecture"], "MistralForCausalLM");
        let data: Vec<&str> =
            c["components"].as_array().unwrap().iter().filter(|x| x["type"] == "data").map(|d| d["name"].as_str().unwrap()).collect();
        assert_eq!(data, ["HuggingFaceH4/ultrachat_200k", "openai/gsm8k"]);
        let metric = &m["modelCard"]["quantitativeAnalysis"]["performanceMetrics"][0];
        assert_eq!(metric["slice"], "GSM8K (test split)");
        assert!(metric["value"].as_str().unwrap().starts_with("41.2"));
        assert_eq!(m["modelCard"]["considerations"]["technicalLimitations"][0], "Tiny; answers are often wrong.");
        let weights = c["components"].as_array().unwrap().iter().find(|x| x["name"] == "model.safetensors").unwrap();
        assert_eq!(weights["hashes"][0]["content"].as_str().unwrap().len(), 64);
    }
    let s = spdx3(&record, &o);
    let e = common::errors(common::spdx(), &s);
    assert!(e.is_empty(), "{e:#?}");
    let w = check_spdx_ai_profile(&s);
    assert!(w.iter().any(|m| m.contains("#model (acme/tiny-chat): no releaseTime")), "{w:#?}");
    assert!(!w.iter().any(|m| m.contains("#model (acme/tiny-chat): no suppliedBy")), "{w:#?}");
}
