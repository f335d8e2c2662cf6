//! Fixture repositories written into temp folders, read back with `read_model`.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;
use vouch_model::*;

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> Vec<u8> {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes.as_ref()).unwrap();
    bytes.as_ref().to_vec()
}

fn read(dir: &Path) -> ModelRecord {
    read_model(dir, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn dtype_bytes(dtype: &str) -> u64 {
    match dtype {
        "F32" | "I32" => 4,
        "BF16" | "F16" => 2,
        "U8" | "I8" => 1,
        _ => 8,
    }
}

/// A real safetensors file: header with contiguous offsets, zeroed data.
fn safetensors(tensors: &[(&str, &str, &[u64])]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    header.insert("__metadata__".into(), serde_json::json!({"format": "pt"}));
    let mut offset = 0u64;
    for (name, dtype, shape) in tensors {
        let n: u64 = shape.iter().product::<u64>() * dtype_bytes(dtype);
        header.insert(name.to_string(), serde_json::json!({"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + n]}));
        offset += n;
    }
    let mut h = serde_json::to_vec(&header).unwrap();
    h.resize(h.len().next_multiple_of(8), b' ');
    let mut out = (h.len() as u64).to_le_bytes().to_vec();
    out.extend(h);
    out.extend(std::iter::repeat_n(0u8, offset as usize));
    out
}

enum Kv<'a> {
    U32(u32),
    Str(&'a str),
}

fn gguf_str(out: &mut Vec<u8>, s: &str) {
    out.extend((s.len() as u64).to_le_bytes());
    out.extend(s.as_bytes());
}

/// A valid GGUF v3 file: metadata, a tensor table of F32 tensors, aligned zeroed data.
fn gguf(kvs: &[(&str, Kv)], tensors: &[(&str, &[u64])]) -> Vec<u8> {
    let mut out = b"GGUF".to_vec();
    out.extend(3u32.to_le_bytes());
    out.extend((tensors.len() as u64).to_le_bytes());
    out.extend((kvs.len() as u64).to_le_bytes());
    for (k, v) in kvs {
        gguf_str(&mut out, k);
        match v {
            Kv::U32(n) => {
                out.extend(4u32.to_le_bytes());
                out.extend(n.to_le_bytes());
            }
            Kv::Str(s) => {
                out.extend(8u32.to_le_bytes());
                gguf_str(&mut out, s);
            }
        }
    }
    let mut offset = 0u64;
    for (name, dims) in tensors {
        gguf_str(&mut out, name);
        out.extend((dims.len() as u32).to_le_bytes());
        for d in *dims {
            out.extend(d.to_le_bytes());
        }
        out.extend(0u32.to_le_bytes()); // GGML_TYPE_F32
        out.extend(offset.to_le_bytes());
        offset += (dims.iter().product::<u64>() * 4).div_ceil(32) * 32;
    }
    out.resize(out.len().next_multiple_of(32), 0);
    out.extend(std::iter::repeat_n(0u8, offset as usize));
    out
}

fn llama_card() -> &'static str {
    "---\nlicense: llama3.1\nlanguage:\n- en\n- de\npipeline_tag: text-generation\nlibrary_name: transformers\ntags:\n- facebook\n- llama-3\nco2_eq_emissions: 1200.5\n---\n\n## Model Information\n\nThe Meta Llama 3.1 collection.\n\n```\n# not a heading\n```\n\n## Intended Use\n\nCommercial and research use.\n"
}

/// Llama-style base model: card, config, two sharded safetensors with index, tokenizer files,
/// license and use policy.
fn write_llama(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![];
    let mut put = |rel: &str, b: Vec<u8>| files.push((rel.to_string(), write(dir, rel, b)));
    put("README.md", llama_card().into());
    put(
        "config.json",
        serde_json::to_vec(&serde_json::json!({
            "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4, "num_hidden_layers": 1,
            "num_attention_heads": 2, "vocab_size": 10, "max_position_embeddings": 131072, "torch_dtype": "bfloat16",
            "_name_or_path": "meta-llama/Llama-3.1-8B"
        }))
        .unwrap(),
    );
    put("generation_config.json", br#"{"bos_token_id": 1, "do_sample": true, "temperature": 0.6}"#.to_vec());
    put(
        "tokenizer_config.json",
        br#"{"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": 131072, "chat_template": "{{ messages }}"}"#.to_vec(),
    );
    put(
        "tokenizer.json",
        br#"{"model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4}}, "added_tokens": [{"id": 9, "content": "<|eot|>"}]}"#
            .to_vec(),
    );
    put("special_tokens_map.json", br#"{"bos_token": "<s>"}"#.to_vec());
    put(
        "model-00001-of-00002.safetensors",
        safetensors(&[("model.embed_tokens.weight", "BF16", &[10, 4]), ("model.norm.weight", "F32", &[4])]),
    );
    put(
        "model-00002-of-00002.safetensors",
        safetensors(&[("lm_head.weight", "BF16", &[10, 4]), ("model.layers.0.mlp.weight", "BF16", &[4, 4, 2])]),
    );
    put(
        "model.safetensors.index.json",
        serde_json::to_vec(&serde_json::json!({"metadata": {"total_size": 0}, "weight_map": {
            "lm_head.weight": "model-00002-of-00002.safetensors",
            "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
            "model.layers.0.mlp.weight": "model-00002-of-00002.safetensors",
            "model.norm.weight": "model-00001-of-00002.safetensors"
        }}))
        .unwrap(),
    );
    put("LICENSE", b"LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\n...700 million monthly active users...".to_vec());
    put("USE_POLICY.md", b"# Llama 3.1 Acceptable Use Policy\n".to_vec());
    put("original/params.json", br#"{"dim": 4}"#.to_vec());
    put(".git/HEAD", b"ref: refs/heads/main\n".to_vec());
    put(".git/refs/heads/main", b"0123456789abcdef0123456789abcdef01234567\n".to_vec());
    files
}

#[test]
fn llama_base_model() {
    let tmp = tempfile::tempdir().unwrap();
    let written = write_llama(tmp.path());
    let r = read(tmp.path());
    assert_eq!(r.problems, Vec::<String>::new());
    assert_eq!(r.kind, RepoKind::Directory);
    assert_eq!(r.revision.as_deref(), Some("0123456789abcdef0123456789abcdef01234567"));
    // No cache folder and no model-index: `_name_or_path` names the repository.
    assert_eq!(r.repo_id.as_deref(), Some("meta-llama/Llama-3.1-8B"));

    let card = r.card.as_ref().unwrap();
    assert_eq!(card.license.as_deref(), Some("llama3.1"));
    assert_eq!(card.languages, ["en", "de"]);
    assert_eq!(card.pipeline_tag.as_deref(), Some("text-generation"));
    assert_eq!(card.library_name.as_deref(), Some("transformers"));
    assert_eq!(card.tags, ["facebook", "llama-3"]);
    assert_eq!(card.co2.as_ref().and_then(|c| c.emissions_grams), Some(1200.5));
    assert!(card.base_models.is_empty());
    let headings: Vec<&str> = card.sections.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(headings, ["Model Information", "Intended Use"]);
    assert!(card.sections[0].1.contains("# not a heading"));
    assert_eq!(card.front_matter.as_ref().unwrap()["license"], "llama3.1");

    let config = r.config.as_ref().unwrap();
    assert_eq!(config.architectures, ["LlamaForCausalLM"]);
    assert_eq!(config.model_type.as_deref(), Some("llama"));
    assert_eq!(config.hidden_size, Some(4));
    assert_eq!(config.max_position_embeddings, Some(131072));
    assert_eq!(config.torch_dtype.as_deref(), Some("bfloat16"));
    assert_eq!(r.generation_config.as_ref().unwrap()["temperature"], 0.6);
    let tok = r.tokenizer.as_ref().unwrap();
    assert_eq!(tok.tokenizer_class.as_deref(), Some("PreTrainedTokenizerFast"));
    assert_eq!(tok.vocab_size, Some(10), "5 vocabulary entries, an added token with id 9");
    assert_eq!(tok.model_max_length, Some(131072));
    assert!(tok.has_chat_template);

    // 10*4 + 4 + 10*4 + 4*4*2
    assert_eq!(r.weights.parameter_count, Some(116));
    assert_eq!(r.weights.dtypes.get("BF16"), Some(&112));
    assert_eq!(r.weights.dtypes.get("F32"), Some(&4));
    assert_eq!(r.weights.shards, ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    assert_eq!(r.weights.formats, ["safetensors"]);
    assert!(r.gguf.is_none() && r.onnx.is_none() && r.adapter.is_none());

    // Every file but `.git/`, sorted, with its real hash and size.
    let mut expected: Vec<(String, Vec<u8>)> = written.into_iter().filter(|(p, _)| !p.starts_with(".git/")).collect();
    expected.sort();
    let got: Vec<(&str, u64, Option<&str>)> = r.files.iter().map(|f| (f.path.as_str(), f.size, f.sha256.as_deref())).collect();
    let want: Vec<(&str, u64, String)> = expected.iter().map(|(p, b)| (p.as_str(), b.len() as u64, sha(b))).collect();
    assert_eq!(got, want.iter().map(|(p, s, h)| (*p, *s, Some(h.as_str()))).collect::<Vec<_>>());
    let role = |p: &str| r.files.iter().find(|f| f.path == p).unwrap().role;
    assert_eq!(role("README.md"), FileRole::Card);
    assert_eq!(role("LICENSE"), FileRole::License);
    assert_eq!(role("USE_POLICY.md"), FileRole::License);
    assert_eq!(role("config.json"), FileRole::Config);
    assert_eq!(role("tokenizer.json"), FileRole::Tokenizer);
    assert_eq!(role("model-00002-of-00002.safetensors"), FileRole::Weights);
    assert_eq!(role("original/params.json"), FileRole::Config);
    assert!(r.files.iter().all(|f| f.lfs.is_none()));

    let lic: Vec<(&str, LicenseFileKind)> = r.license_files.iter().map(|l| (l.path.as_str(), l.kind)).collect();
    assert_eq!(lic, [("LICENSE", LicenseFileKind::License), ("USE_POLICY.md", LicenseFileKind::UsePolicy)]);
    assert!(r.license_files[0].text.contains("700 million monthly active users"));
}

#[test]
fn hashing_can_be_skipped_and_threads_chosen() {
    let tmp = tempfile::tempdir().unwrap();
    write_llama(tmp.path());
    let hashed = read_model(tmp.path(), &ReadOptions { jobs: 2, ..ReadOptions::default() }).unwrap();
    assert_eq!(hashed, read(tmp.path()));
    let r = read_model(tmp.path(), &ReadOptions { hash: false, ..ReadOptions::default() }).unwrap();
    assert!(r.files.iter().all(|f| f.sha256.is_none()));
    assert_eq!(r.weights.parameter_count, Some(116));
}

#[test]
fn finetune_with_datasets_and_evaluation() {
    let tmp = tempfile::tempdir().unwrap();
    let card = r#"---
license: apache-2.0
base_model: meta-llama/Llama-3.1-8B
base_model_relation: finetune
datasets:
  - HuggingFaceH4/ultrachat_200k
  - Open-Orca/SlimOrca
language: en
co2_eq_emissions:
  emissions: 340
  source: CodeCarbon
  training_type: fine-tuning
  geographical_location: Paris, France
  hardware_used: 8 x A100
model-index:
- name: acme/llama-chat
  results:
  - task:
      type: text-generation
      name: Text Generation
    dataset:
      type: cais/mmlu
      name: MMLU
      split: test
    metrics:
    - type: acc
      name: accuracy
      value: 66.7
    - type: f1
      value: "0.61"
---
# Llama chat
Fine-tuned on chats.
"#;
    write(tmp.path(), "README.md", card);
    write(tmp.path(), "config.json", r#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "_name_or_path": "/home/me/ckpt"}"#);
    write(tmp.path(), "model.safetensors", safetensors(&[("w", "F16", &[3, 5]), ("b", "F32", &[5])]));
    let r = read(tmp.path());
    assert_eq!(r.problems, Vec::<String>::new());
    let c = r.card.as_ref().unwrap();
    assert_eq!(c.base_models, ["meta-llama/Llama-3.1-8B"]);
    assert_eq!(c.base_model_relation.as_deref(), Some("finetune"));
    assert_eq!(c.datasets, ["HuggingFaceH4/ultrachat_200k", "Open-Orca/SlimOrca"]);
    assert_eq!(c.languages, ["en"]);
    assert_eq!(
        c.co2,
        Some(Co2 {
            emissions_grams: Some(340.0),
            source: Some("CodeCarbon".into()),
            training_type: Some("fine-tuning".into()),
            geographical_location: Some("Paris, France".into()),
            hardware_used: Some("8 x A100".into()),
        })
    );
    assert_eq!(c.eval_results.len(), 2);
    let e = &c.eval_results[0];
    assert_eq!(e.model_name.as_deref(), Some("acme/llama-chat"));
    assert_eq!((e.task_type.as_deref(), e.task_name.as_deref()), (Some("text-generation"), Some("Text Generation")));
    assert_eq!(
        (e.dataset_type.as_deref(), e.dataset_name.as_deref(), e.dataset_split.as_deref()),
        (Some("cais/mmlu"), Some("MMLU"), Some("test"))
    );
    assert_eq!((e.metric_type.as_deref(), e.metric_name.as_deref(), e.value.as_str()), (Some("acc"), Some("accuracy"), "66.7"));
    assert_eq!((c.eval_results[1].metric_type.as_deref(), c.eval_results[1].value.as_str()), (Some("f1"), "0.61"));
    assert_eq!(c.sections, [("Llama chat".to_string(), "Fine-tuned on chats.".to_string())]);
    // The model-index name is an id; a local `_name_or_path` is not.
    assert_eq!(r.repo_id.as_deref(), Some("acme/llama-chat"));
    assert_eq!(r.weights.parameter_count, Some(20));
    assert_eq!(r.weights.shards, ["model.safetensors"]);
    assert_eq!(r.base_models(), ["meta-llama/Llama-3.1-8B"]);
}

#[test]
fn peft_adapter() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "README.md", "---\nbase_model: Meta-Llama/Llama-3.1-8B\nlibrary_name: peft\n---\n");
    write(
        tmp.path(),
        "adapter_config.json",
        r#"{"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 16,
            "target_modules": ["q_proj", "v_proj"], "lora_alpha": 32}"#,
    );
    write(tmp.path(), "adapter_model.safetensors", safetensors(&[("lora_A", "F32", &[16, 4]), ("lora_B", "F32", &[4, 16])]));
    let r = read(tmp.path());
    assert_eq!(r.problems, Vec::<String>::new());
    let a = r.adapter.as_ref().unwrap();
    assert_eq!(a.base_model.as_deref(), Some("meta-llama/Llama-3.1-8B"));
    assert_eq!(a.peft_type.as_deref(), Some("LORA"));
    assert_eq!(a.task_type.as_deref(), Some("CAUSAL_LM"));
    assert_eq!(a.r, Some(16));
    assert_eq!(a.target_modules, ["q_proj", "v_proj"]);
    assert_eq!(r.weights.parameter_count, Some(128));
    assert_eq!(r.files.iter().find(|f| f.path == "adapter_config.json").unwrap().role, FileRole::Config);
    // Card and adapter name the same base model in different case: listed once.
    assert_eq!(r.base_models(), ["Meta-Llama/Llama-3.1-8B"]);

    // A single string `target_modules` (PEFT allows a regex) is one module.
    write(tmp.path(), "adapter_config.json", r#"{"base_model_name_or_path": "x/y", "target_modules": ".*proj"}"#);
    assert_eq!(read(tmp.path()).adapter.unwrap().target_modules, [".*proj"]);
}

fn quantized_gguf() -> Vec<u8> {
    gguf(
        &[
            ("general.architecture", Kv::Str("llama")),
            ("general.name", Kv::Str("Llama 3.1 8B Instruct")),
            ("general.file_type", Kv::U32(15)),
            ("general.license", Kv::Str("llama3.1")),
            ("general.base_model.count", Kv::U32(2)),
            ("general.base_model.0.name", Kv::Str("Llama 3.1 8B Instruct")),
            ("general.base_model.0.organization", Kv::Str("Meta Llama")),
            ("general.base_model.0.repo_url", Kv::Str("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct")),
            ("general.base_model.1.name", Kv::Str("extra-base")),
            ("llama.context_length", Kv::U32(131072)),
        ],
        &[("token_embd.weight", &[8, 4]), ("output_norm.weight", &[8]), ("blk.0.attn_q.weight", &[8, 8, 1])],
    )
}

#[test]
fn gguf_quantization_single_file_and_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = quantized_gguf();
    write(tmp.path(), "repo/llama-3.1-8b-instruct-Q4_K_M.gguf", &bytes);
    write(tmp.path(), "repo/README.md", "---\nbase_model: meta-llama/Llama-3.1-8B-Instruct\nbase_model_relation: quantized\n---\n");

    let file = tmp.path().join("repo/llama-3.1-8b-instruct-Q4_K_M.gguf");
    let r = read_model(&file, &ReadOptions::default()).unwrap();
    assert_eq!(r.problems, Vec::<String>::new());
    assert_eq!(r.kind, RepoKind::SingleFile);
    assert_eq!(r.weights.formats, ["gguf"]);
    let g = r.gguf.as_ref().unwrap();
    assert_eq!(g.file, "llama-3.1-8b-instruct-Q4_K_M.gguf");
    assert_eq!(g.architecture.as_deref(), Some("llama"));
    assert_eq!(g.name.as_deref(), Some("Llama 3.1 8B Instruct"));
    assert_eq!(g.quantization.as_deref(), Some("Q4_K_M"));
    assert_eq!(g.license.as_deref(), Some("llama3.1"));
    assert_eq!(g.base_models, ["meta-llama/Llama-3.1-8B-Instruct", "extra-base"]);
    assert_eq!(g.parameter_count, Some(32 + 8 + 64));
    assert_eq!(r.weights.parameter_count, Some(104));
    assert_eq!(r.files.len(), 1);
    assert_eq!(r.files[0].sha256.as_deref(), Some(sha(&bytes).as_str()));
    assert_eq!(r.files[0].role, FileRole::Weights);

    let d = read(&tmp.path().join("repo"));
    assert_eq!(d.problems, Vec::<String>::new());
    assert_eq!(d.gguf, r.gguf);
    assert_eq!(d.weights.parameter_count, Some(104));
    assert_eq!(d.base_models(), ["meta-llama/Llama-3.1-8B-Instruct", "extra-base"]);
}

#[test]
fn gguf_routed_by_content_and_truncation_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = quantized_gguf();
    // No `.gguf` extension: the magic decides.
    write(tmp.path(), "model.q4", &bytes);
    let r = read_model(&tmp.path().join("model.q4"), &ReadOptions::default()).unwrap();
    assert_eq!(r.gguf.unwrap().quantization.as_deref(), Some("Q4_K_M"));

    let split = gguf(&[("general.architecture", Kv::Str("llama")), ("split.count", Kv::U32(3))], &[("a", &[8])]);
    write(tmp.path(), "split/model-00001-of-00003.gguf", &split);
    let r = read(&tmp.path().join("split"));
    assert_eq!(r.gguf.as_ref().and_then(|g| g.architecture.as_deref()), Some("llama"));
    assert_eq!(r.weights.parameter_count, None);
    assert!(r.problems.iter().any(|p| p.starts_with("model-00001-of-00003.gguf: one part of a split GGUF")), "{:?}", r.problems);

    write(tmp.path(), "cut/model.gguf", &bytes[..60]);
    let r = read(&tmp.path().join("cut"));
    assert!(r.gguf.is_none());
    assert!(r.problems.iter().any(|p| p.starts_with("model.gguf: ")), "{:?}", r.problems);
}

#[test]
fn custom_license_other() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "README.md", "---\nlicense: other\nlicense_name: acme-research-license\nlicense_link: LICENSE.md\n---\n# Acme\n");
    let text = "ACME RESEARCH LICENSE\nNon-commercial use only. ".repeat(10);
    write(tmp.path(), "LICENSE.md", &text);
    write(tmp.path(), "Notice.txt", "Copyright Acme");
    write(tmp.path(), "model.safetensors", safetensors(&[("w", "F32", &[2])]));
    let r = read(tmp.path());
    assert_eq!(r.problems, Vec::<String>::new());
    let c = r.card.as_ref().unwrap();
    assert_eq!(c.license.as_deref(), Some("other"));
    assert_eq!(c.license_name.as_deref(), Some("acme-research-license"));
    assert_eq!(c.license_link.as_deref(), Some("LICENSE.md"));
    let lic: Vec<(&str, LicenseFileKind, &str)> = r.license_files.iter().map(|l| (l.path.as_str(), l.kind, l.text.as_str())).collect();
    assert_eq!(lic, [("LICENSE.md", LicenseFileKind::License, text.as_str()), ("Notice.txt", LicenseFileKind::Notice, "Copyright Acme")]);

    let r = read_model(tmp.path(), &ReadOptions { max_text_bytes: 21, ..ReadOptions::default() }).unwrap();
    assert_eq!(r.license_files[0].text, "ACME RESEARCH LICENSE");
    assert_eq!(r.problems, [format!("LICENSE.md: {} bytes, text cut to the first 21", text.len())]);
}

#[test]
fn lfs_pointers_only() {
    let tmp = tempfile::tempdir().unwrap();
    let oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    let pointer = format!("version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 16060522560\n");
    write(tmp.path(), "config.json", r#"{"model_type": "llama"}"#);
    write(tmp.path(), "model.safetensors", &pointer);
    write(tmp.path(), "model.gguf", &pointer);
    let r = read(tmp.path());
    let st = r.files.iter().find(|f| f.path == "model.safetensors").unwrap();
    assert_eq!(st.lfs, Some(LfsPointer { oid_sha256: oid.to_string(), size: 16060522560 }));
    assert_eq!(st.sha256.as_deref(), Some(sha(pointer.as_bytes()).as_str()));
    assert_eq!(st.size, pointer.len() as u64);
    assert_eq!(st.role, FileRole::Weights);
    assert!(r.files.iter().find(|f| f.path == "config.json").unwrap().lfs.is_none());
    assert_eq!(r.weights.parameter_count, None);
    assert_eq!(r.weights.formats, ["gguf", "safetensors"]);
    assert!(r.gguf.is_none());
    assert!(r.problems.iter().any(|p| p.starts_with("model.safetensors: Git LFS pointer")), "{:?}", r.problems);
    assert!(r.problems.iter().any(|p| p.contains("no parameter count")), "{:?}", r.problems);
    assert!(r.problems.iter().any(|p| p.starts_with("model.gguf: Git LFS pointer")), "{:?}", r.problems);

    // A pointer given as the model file says what it is.
    let e = read_model(&tmp.path().join("model.gguf"), &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().contains(&format!("not a model: a Git LFS pointer (sha256 {oid}, 16060522560 bytes)")), "{e}");

    // Without hashing the pointer is still recognised.
    let r = read_model(tmp.path(), &ReadOptions { hash: false, ..ReadOptions::default() }).unwrap();
    assert_eq!(r.files.iter().find(|f| f.path == "model.safetensors").unwrap().lfs.as_ref().map(|l| l.size), Some(16060522560));
}

#[cfg(unix)]
#[test]
fn hf_cache_snapshot_with_symlinks() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("hub/models--acme--tiny-llama");
    let rev = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    let snap = repo.join("snapshots").join(rev);
    fs::create_dir_all(snap.join("onnx")).unwrap();
    let blobs: Vec<(&str, Vec<u8>)> = vec![
        ("README.md", b"---\nlicense: mit\n---\nTiny.\n".to_vec()),
        ("config.json", br#"{"model_type": "llama", "hidden_size": 8}"#.to_vec()),
        ("model.safetensors", safetensors(&[("w", "BF16", &[8, 8])])),
    ];
    for (name, bytes) in &blobs {
        let blob = repo.join("blobs").join(sha(bytes));
        write(&repo, &format!("blobs/{}", sha(bytes)), bytes);
        symlink(format!("../../blobs/{}", blob.file_name().unwrap().to_str().unwrap()), snap.join(name)).unwrap();
    }
    symlink(format!("../../../blobs/{}", sha(&blobs[1].1)), snap.join("onnx/config.json")).unwrap();
    // A blob that was never downloaded.
    symlink("../../blobs/missing", snap.join("tokenizer.json")).unwrap();

    let r = read(&snap);
    // The same snapshot reached through `.` from inside it.
    let dot = read(&snap.join("onnx/.."));
    assert_eq!(
        (dot.kind, dot.repo_id.as_deref(), dot.revision.as_deref()),
        (RepoKind::HfCacheSnapshot, Some("acme/tiny-llama"), Some(rev))
    );
    assert_eq!(r.kind, RepoKind::HfCacheSnapshot);
    assert_eq!(r.repo_id.as_deref(), Some("acme/tiny-llama"));
    assert_eq!(r.revision.as_deref(), Some(rev));
    let got: Vec<(&str, u64, Option<&str>)> = r.files.iter().map(|f| (f.path.as_str(), f.size, f.sha256.as_deref())).collect();
    let h: Vec<String> = blobs.iter().map(|(_, b)| sha(b)).collect();
    assert_eq!(
        got,
        [
            ("README.md", blobs[0].1.len() as u64, Some(h[0].as_str())),
            ("config.json", blobs[1].1.len() as u64, Some(h[1].as_str())),
            ("model.safetensors", blobs[2].1.len() as u64, Some(h[2].as_str())),
            ("onnx/config.json", blobs[1].1.len() as u64, Some(h[1].as_str())),
        ]
    );
    assert_eq!(r.card.unwrap().license.as_deref(), Some("mit"));
    assert_eq!(r.config.unwrap().hidden_size, Some(8));
    assert_eq!(r.weights.parameter_count, Some(64));
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert!(r.problems[0].starts_with("tokenizer.json: symbolic link cannot be followed"), "{:?}", r.problems);
}

/// A minimal ONNX ModelProto: ir_version, producer, a graph (skipped), opset, metadata.
fn onnx_model() -> Vec<u8> {
    fn field(out: &mut Vec<u8>, num: u8, bytes: &[u8]) {
        out.push(num << 3 | 2);
        out.push(bytes.len() as u8);
        out.extend(bytes);
    }
    let mut m = vec![1 << 3, 8]; // ir_version 8
    field(&mut m, 2, b"pytorch");
    field(&mut m, 3, b"2.1.0");
    let mut graph = vec![];
    field(&mut graph, 2, b"main"); // GraphProto.name
    field(&mut m, 7, &graph);
    let mut opset = vec![];
    field(&mut opset, 1, b"");
    opset.extend([2 << 3, 17]);
    field(&mut m, 8, &opset);
    let mut prop = vec![];
    field(&mut prop, 1, b"author");
    field(&mut prop, 2, b"acme");
    field(&mut m, 14, &prop);
    m
}

#[test]
fn onnx_single_file() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "model.onnx", onnx_model());
    let r = read_model(&tmp.path().join("model.onnx"), &ReadOptions::default()).unwrap();
    assert_eq!(r.problems, Vec::<String>::new());
    let o = r.onnx.as_ref().unwrap();
    assert_eq!(o.file, "model.onnx");
    assert_eq!(o.ir_version, Some(8));
    assert_eq!(o.producer_name.as_deref(), Some("pytorch"));
    assert_eq!(o.producer_version.as_deref(), Some("2.1.0"));
    assert_eq!(o.opsets, [(String::new(), 17)]);
    assert_eq!(o.metadata.get("author").map(String::as_str), Some("acme"));
    assert_eq!(r.weights.formats, ["onnx"]);

    // In a folder, external data belongs to the weights.
    write(tmp.path(), "dir/model.onnx", onnx_model());
    write(tmp.path(), "dir/model.onnx_data", [0u8; 64]);
    let d = read(&tmp.path().join("dir"));
    assert_eq!(d.problems, Vec::<String>::new());
    assert_eq!(d.onnx.as_ref().map(|o| o.file.as_str()), Some("model.onnx"));
    assert!(d.files.iter().all(|f| f.role == FileRole::Weights), "{:?}", d.files);

    let mut cut = onnx_model();
    cut.truncate(cut.len() - 3);
    write(tmp.path(), "cut.onnx", cut);
    let e = read_model(&tmp.path().join("cut.onnx"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, ModelError::NotAModel { .. }), "{e}");
    assert!(e.to_string().contains("cut.onnx: not a model: cannot read it as ONNX"), "{e}");
}

#[test]
fn errors_name_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    let e = read_model(&missing, &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, ModelError::NotFound { .. }));
    assert_eq!(e.to_string(), format!("{}: no such file or directory", missing.display()));

    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let e = read_model(&empty, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.to_string(), format!("{}: not a model: the folder holds no files", empty.display()));

    // A code project with a README is not a model.
    write(tmp.path(), "code/README.md", "# A library\n");
    write(tmp.path(), "code/main.py", "print(1)\n");
    let e = read_model(&tmp.path().join("code"), &ReadOptions::default()).unwrap_err();
    assert!(matches!(e, ModelError::NotAModel { .. }), "{e}");

    write(tmp.path(), "notes.txt", "hello world");
    let e = read_model(&tmp.path().join("notes.txt"), &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().ends_with("notes.txt: not a model: not a GGUF, safetensors or ONNX file"), "{e}");
}

#[test]
fn malformed_front_matter_is_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "README.md", "---\nlicense: [apache-2.0\ntags: x\n---\n# Title\nBody\n");
    write(tmp.path(), "config.json", r#"{"model_type": "bert"}"#);
    let r = read(tmp.path());
    let c = r.card.as_ref().unwrap();
    assert_eq!(c.license, None);
    assert_eq!(c.front_matter, None);
    assert_eq!(c.sections, [("Title".to_string(), "Body".to_string())]);
    assert_eq!(r.config.unwrap().model_type.as_deref(), Some("bert"));
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert!(r.problems[0].starts_with("README.md: front matter is not valid YAML"), "{:?}", r.problems);
}

#[test]
fn truncated_safetensors_header_is_a_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let good = safetensors(&[("a", "F32", &[3])]);
    let mut bad = safetensors(&[("b", "F32", &[1000])]);
    bad.truncate(20);
    write(tmp.path(), "model-00001-of-00002.safetensors", &good);
    write(tmp.path(), "model-00002-of-00002.safetensors", &bad);
    write(
        tmp.path(),
        "model.safetensors.index.json",
        r#"{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00003-of-00003.safetensors"}}"#,
    );
    let r = read(tmp.path());
    assert_eq!(r.weights.parameter_count, None);
    assert_eq!(r.weights.dtypes.get("F32"), Some(&3), "headers that were read still count");
    assert_eq!(r.weights.shards.len(), 3);
    let has = |prefix: &str| r.problems.iter().any(|p| p.starts_with(prefix));
    assert!(has("model-00002-of-00002.safetensors: safetensors header is truncated"), "{:?}", r.problems);
    assert!(has("model-00003-of-00003.safetensors: listed in the safetensors index but not present"), "{:?}", r.problems);
    assert!(has("safetensors: not every shard header was read"), "{:?}", r.problems);
    // The file itself is still listed and hashed.
    assert_eq!(
        r.files.iter().find(|f| f.path == "model-00002-of-00002.safetensors").unwrap().sha256.as_deref(),
        Some(sha(&bad[..20]).as_str())
    );
}
