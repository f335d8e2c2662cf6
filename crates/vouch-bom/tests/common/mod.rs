//! Schema validators for the official CycloneDX 1.6/1.7 and SPDX 3.0.1 schemas kept in the
//! shared corpus, and the fixture records.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;
use vouch_bom::{BomOptions, CdxSpec};
use vouch_model::*;

pub fn schemas() -> PathBuf {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/schemas"));
    assert!(p.is_dir(), "the schema corpus is missing: looked in {}", p.display());
    p
}

pub fn load(rel: &str) -> Value {
    let p = schemas().join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn cdx_validator(version: &str) -> jsonschema::Validator {
    let mut o = jsonschema::options();
    for sub in ["spdx.schema.json", "jsf-0.82.schema.json", "cryptography-defs.schema.json"] {
        o.with_resource(
            format!("http://cyclonedx.org/schema/{sub}"),
            jsonschema::Resource::from_contents(load(&format!("cyclonedx/{sub}"))).unwrap(),
        );
    }
    o.build(&load(&format!("cyclonedx/bom-{version}.schema.json"))).unwrap()
}

pub fn cdx(spec: CdxSpec) -> &'static jsonschema::Validator {
    static V16: OnceLock<jsonschema::Validator> = OnceLock::new();
    static V17: OnceLock<jsonschema::Validator> = OnceLock::new();
    match spec {
        CdxSpec::V1_6 => V16.get_or_init(|| cdx_validator("1.6")),
        CdxSpec::V1_7 => V17.get_or_init(|| cdx_validator("1.7")),
    }
}

pub fn spdx() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| jsonschema::validator_for(&load("spdx3/schema.json")).unwrap())
}

pub fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{e} at {}", e.instance_path)).collect()
}

pub fn opts() -> BomOptions {
    BomOptions {
        serial: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
        timestamp: "2026-12-02T18:00:00Z".into(),
        tool_version: "0.1.0".into(),
    }
}

pub fn sha(c: char) -> String {
    std::iter::repeat_n(c, 64).collect()
}

pub fn file(path: &str, role: FileRole, c: char) -> FileEntry {
    FileEntry { path: path.into(), size: 1000, sha256: Some(sha(c)), lfs: None, role }
}

pub fn record(id: &str, rev: Option<&str>) -> ModelRecord {
    let mut r = ModelRecord::new(PathBuf::from(format!("/models/{}", id.replace('/', "--"))), RepoKind::Directory);
    r.repo_id = Some(id.into());
    r.revision = rev.map(Into::into);
    r
}

/// A Llama-style base model: config, one safetensors file, Llama 3.1 community license
/// (not on the SPDX list) with its LICENSE file, card prose with limitations and risks.
pub fn llama_base() -> ModelRecord {
    let mut r = record("meta-llama/Llama-3.1-8B", Some("d04e592bb4f6aa9cfee91e2e20afa771667e1d4b"));
    r.card = Some(ModelCard {
        license: Some("llama3.1".into()),
        languages: vec!["en".into(), "de".into()],
        pipeline_tag: Some("text-generation".into()),
        library_name: Some("transformers".into()),
        tags: vec!["facebook".into(), "meta".into(), "llama-3".into()],
        sections: vec![
            ("Model Information".into(), "[More Information Needed]".into()),
            ("Model Details".into(), "A collection of pretrained multilingual large language models.".into()),
            ("Intended Use".into(), "Commercial and research use in multiple languages.".into()),
            ("Out-of-scope".into(), "Use in any manner that violates applicable laws.".into()),
            ("Limitations".into(), "May produce inaccurate or biased responses.".into()),
            ("Ethical Considerations and Limitations".into(), "Testing was done in English only.".into()),
            ("Recommendations".into(), "[More Information Needed]".into()),
        ],
        ..ModelCard::default()
    });
    r.config = Some(ModelConfig {
        architectures: vec!["LlamaForCausalLM".into()],
        model_type: Some("llama".into()),
        hidden_size: Some(4096),
        num_hidden_layers: Some(32),
        num_attention_heads: Some(32),
        vocab_size: Some(128256),
        max_position_embeddings: Some(131072),
        torch_dtype: Some("bfloat16".into()),
        name_or_path: None,
    });
    r.weights = WeightsInfo {
        formats: vec!["safetensors".into()],
        dtypes: BTreeMap::from([("BF16".into(), 8_030_261_248)]),
        parameter_count: Some(8_030_261_248),
        shards: vec![],
    };
    r.files = vec![
        file("LICENSE", FileRole::License, 'a'),
        file("README.md", FileRole::Card, 'b'),
        file("config.json", FileRole::Config, 'c'),
        file("model.safetensors", FileRole::Weights, 'd'),
        file("tokenizer.json", FileRole::Tokenizer, 'e'),
    ];
    r.license_files = vec![LicenseFile {
        path: "LICENSE".into(),
        kind: LicenseFileKind::License,
        text: "LLAMA 3.1 COMMUNITY LICENSE AGREEMENT ...".into(),
    }];
    r
}

/// A fine-tune with two training datasets and a model-index evaluation on a third, Apache-2.0,
/// with CO2 figures.
pub fn finetune() -> ModelRecord {
    let mut r = record("acme/llama-chat-ft", Some("0123456789abcdef0123456789abcdef01234567"));
    r.card = Some(ModelCard {
        license: Some("apache-2.0".into()),
        base_models: vec!["meta-llama/Llama-3.1-8B".into()],
        base_model_relation: Some("finetune".into()),
        datasets: vec!["HuggingFaceH4/ultrachat_200k".into(), "Open-Orca/OpenOrca".into()],
        pipeline_tag: Some("text-generation".into()),
        tags: vec!["sft".into()],
        eval_results: vec![
            EvalResult {
                task_type: Some("text-generation".into()),
                dataset_type: Some("cais/mmlu".into()),
                dataset_name: Some("MMLU".into()),
                dataset_split: Some("test".into()),
                metric_type: Some("acc".into()),
                metric_name: Some("accuracy".into()),
                value: "66.4".into(),
                ..EvalResult::default()
            },
            EvalResult {
                dataset_type: Some("cais/mmlu".into()),
                dataset_name: Some("MMLU".into()),
                metric_type: Some("f1".into()),
                value: "0.61".into(),
                ..EvalResult::default()
            },
        ],
        co2: Some(Co2 {
            emissions_grams: Some(1234.5),
            source: Some("CodeCarbon".into()),
            training_type: Some("fine-tuning".into()),
            geographical_location: Some("Iowa, USA".into()),
            hardware_used: Some("8 x A100".into()),
        }),
        sections: vec![("Bias, Risks, and Limitations".into(), "Inherits the biases of its base model.".into())],
        ..ModelCard::default()
    });
    r.config =
        Some(ModelConfig { architectures: vec!["LlamaForCausalLM".into()], model_type: Some("llama".into()), ..ModelConfig::default() });
    r.weights.formats = vec!["safetensors".into()];
    r.files = vec![file("config.json", FileRole::Config, '1'), file("model.safetensors", FileRole::Weights, '2')];
    r
}

/// A PEFT LoRA adapter on Mistral, MIT license, base model only in adapter_config.json.
pub fn adapter() -> ModelRecord {
    let mut r = record("someone/mistral-lora", None);
    r.card = Some(ModelCard { license: Some("mit".into()), library_name: Some("peft".into()), ..ModelCard::default() });
    r.adapter = Some(AdapterInfo {
        base_model: Some("mistralai/Mistral-7B-v0.1".into()),
        peft_type: Some("LORA".into()),
        task_type: Some("CAUSAL_LM".into()),
        r: Some(16),
        target_modules: vec!["q_proj".into(), "v_proj".into()],
    });
    r.files = vec![file("adapter_config.json", FileRole::Config, '3'), file("adapter_model.safetensors", FileRole::Weights, '4')];
    r
}

/// One GGUF file (Q4_K_M) whose metadata names its base model by URL.
pub fn gguf() -> ModelRecord {
    let mut r = ModelRecord::new(PathBuf::from("/models/qwen2.5-7b-instruct-q4_k_m.gguf"), RepoKind::SingleFile);
    r.gguf = Some(GgufInfo {
        file: "qwen2.5-7b-instruct-q4_k_m.gguf".into(),
        architecture: Some("qwen2".into()),
        name: Some("Qwen2.5 7B Instruct".into()),
        quantization: Some("Q4_K_M".into()),
        base_models: vec!["https://huggingface.co/Qwen/Qwen2.5-7B-Instruct".into()],
        license: Some("apache-2.0".into()),
        parameter_count: Some(7_615_616_512),
    });
    r.weights.formats = vec!["gguf".into()];
    r.files = vec![file("qwen2.5-7b-instruct-q4_k_m.gguf", FileRole::Weights, '5')];
    r
}

/// `license: other` with a license name and a relative link, and a custom LICENSE file.
pub fn custom_license() -> ModelRecord {
    let mut r = record("bigcorp/research-model", Some("89abcdef0123456789abcdef0123456789abcdef"));
    r.card = Some(ModelCard {
        license: Some("other".into()),
        license_name: Some("BigCorp Research License".into()),
        license_link: Some("LICENSE.md".into()),
        ..ModelCard::default()
    });
    r.files = vec![file("LICENSE.md", FileRole::License, '6'), file("pytorch_model.bin", FileRole::Weights, '7')];
    r.license_files = vec![LicenseFile {
        path: "LICENSE.md".into(),
        kind: LicenseFileKind::License,
        text: "BigCorp Research License\n\nNon-commercial research use only.".into(),
    }];
    r
}

/// A sharded safetensors model, one shard present only as a Git LFS pointer.
pub fn sharded() -> ModelRecord {
    let mut r = record("acme/big-model", Some("fedcba9876543210fedcba9876543210fedcba98"));
    r.card = Some(ModelCard { license: Some("bsd-3-clause".into()), pipeline_tag: Some("text-generation".into()), ..ModelCard::default() });
    r.weights = WeightsInfo {
        formats: vec!["safetensors".into()],
        dtypes: BTreeMap::from([("BF16".into(), 1_000_000), ("F32".into(), 2000)]),
        parameter_count: Some(1_002_000),
        shards: vec!["model-00001-of-00002.safetensors".into(), "model-00002-of-00002.safetensors".into()],
    };
    let mut pointer = file("model-00002-of-00002.safetensors", FileRole::Weights, '0');
    pointer.size = 134;
    pointer.lfs = Some(LfsPointer { oid_sha256: sha('9'), size: 4_000_000_000 });
    r.files = vec![
        file("model-00001-of-00002.safetensors", FileRole::Weights, '8'),
        pointer,
        file("model.safetensors.index.json", FileRole::Config, 'f'),
    ];
    r
}

pub fn all() -> Vec<(&'static str, ModelRecord)> {
    vec![
        ("llama-base", llama_base()),
        ("finetune", finetune()),
        ("adapter", adapter()),
        ("gguf", gguf()),
        ("custom-license", custom_license()),
        ("sharded", sharded()),
    ]
}
