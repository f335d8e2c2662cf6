//! The data read from a model repository. Every field is optional where the repository may not
//! say it; nothing is guessed. `problems` lists what could not be read (file and reason).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What the input path was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RepoKind {
    /// A folder as downloaded (`git clone`, `huggingface-cli download --local-dir`).
    Directory,
    /// `~/.cache/huggingface/hub/models--org--name/snapshots/<revision>`.
    HfCacheSnapshot,
    /// One weights file (GGUF, safetensors, ONNX).
    SingleFile,
}

/// Everything read from one repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelRecord {
    /// The path given.
    pub root: PathBuf,
    pub kind: RepoKind,
    /// `org/name` when known (HF cache folder name, card `model-index` name, or `_name_or_path`).
    pub repo_id: Option<String>,
    /// The commit the files come from, when known (HF cache snapshot folder name, `.git`).
    pub revision: Option<String>,
    pub card: Option<ModelCard>,
    pub config: Option<ModelConfig>,
    /// `generation_config.json` as read.
    pub generation_config: Option<serde_json::Value>,
    /// Tokenizer facts (`tokenizer_config.json`, `tokenizer.json`).
    pub tokenizer: Option<TokenizerInfo>,
    pub adapter: Option<AdapterInfo>,
    pub weights: WeightsInfo,
    pub gguf: Option<GgufInfo>,
    pub onnx: Option<OnnxInfo>,
    /// Every file, sorted by path.
    pub files: Vec<FileEntry>,
    /// `LICENSE*`, `USE_POLICY*`, `NOTICE*` texts (bounded in size).
    pub license_files: Vec<LicenseFile>,
    /// What could not be read: `path: reason`.
    pub problems: Vec<String>,
}

/// The model card (`README.md`): YAML front matter fields and prose sections.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub license: Option<String>,
    pub license_name: Option<String>,
    pub license_link: Option<String>,
    /// `base_model` (a string or a list).
    pub base_models: Vec<String>,
    /// `base_model_relation`: `finetune`, `adapter`, `quantized`, `merge`.
    pub base_model_relation: Option<String>,
    pub datasets: Vec<String>,
    pub languages: Vec<String>,
    pub pipeline_tag: Option<String>,
    pub library_name: Option<String>,
    pub tags: Vec<String>,
    /// `model-index` results.
    pub eval_results: Vec<EvalResult>,
    pub co2: Option<Co2>,
    /// Prose: (heading, text) in order; text before the first heading has an empty heading.
    pub sections: Vec<(String, String)>,
    /// The front matter as JSON, for fields not modelled here.
    pub front_matter: Option<serde_json::Value>,
}

/// One `model-index` result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvalResult {
    pub model_name: Option<String>,
    pub task_type: Option<String>,
    pub task_name: Option<String>,
    pub dataset_type: Option<String>,
    pub dataset_name: Option<String>,
    pub dataset_split: Option<String>,
    pub metric_type: Option<String>,
    pub metric_name: Option<String>,
    /// As written (a number or text).
    pub value: String,
}

/// `co2_eq_emissions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Co2 {
    pub emissions_grams: Option<f64>,
    pub source: Option<String>,
    pub training_type: Option<String>,
    pub geographical_location: Option<String>,
    pub hardware_used: Option<String>,
}

/// `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub architectures: Vec<String>,
    pub model_type: Option<String>,
    pub hidden_size: Option<u64>,
    pub num_hidden_layers: Option<u64>,
    pub num_attention_heads: Option<u64>,
    pub vocab_size: Option<u64>,
    pub max_position_embeddings: Option<u64>,
    pub torch_dtype: Option<String>,
    /// `_name_or_path`.
    pub name_or_path: Option<String>,
}

/// Tokenizer facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenizerInfo {
    pub tokenizer_class: Option<String>,
    pub vocab_size: Option<u64>,
    pub model_max_length: Option<u64>,
    pub has_chat_template: bool,
}

/// `adapter_config.json` (PEFT).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdapterInfo {
    pub base_model: Option<String>,
    /// `LORA`, `IA3`, ...
    pub peft_type: Option<String>,
    pub task_type: Option<String>,
    pub r: Option<u64>,
    pub target_modules: Vec<String>,
}

/// Weights metadata from safetensors headers and `model.safetensors.index.json` (never the data).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WeightsInfo {
    /// `safetensors`, `gguf`, `onnx`, `pytorch`, `keras`, ...
    pub formats: Vec<String>,
    /// Parameters per dtype (`BF16` -> count), summed over shards.
    pub dtypes: BTreeMap<String, u64>,
    /// Exact parameter count when every shard header was read.
    pub parameter_count: Option<u64>,
    /// Shard files, in index order.
    pub shards: Vec<String>,
}

/// GGUF metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GgufInfo {
    pub file: String,
    pub architecture: Option<String>,
    pub name: Option<String>,
    /// `general.file_type` as a name (`Q4_K_M`, ...), else the number.
    pub quantization: Option<String>,
    /// `general.base_model.N.name` / `.repo_url` / `.organization`.
    pub base_models: Vec<String>,
    pub license: Option<String>,
    pub parameter_count: Option<u64>,
}

/// ONNX metadata.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OnnxInfo {
    pub file: String,
    pub producer_name: Option<String>,
    pub producer_version: Option<String>,
    pub ir_version: Option<i64>,
    /// (domain, version).
    pub opsets: Vec<(String, i64)>,
    pub metadata: BTreeMap<String, String>,
}

/// What a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    Weights,
    Config,
    Tokenizer,
    Card,
    License,
    Code,
    Other,
}

/// A Git LFS pointer file (the weights themselves were not downloaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LfsPointer {
    pub oid_sha256: String,
    pub size: u64,
}

/// One file of the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub size: u64,
    /// SHA-256 of the content (hex), when it was read.
    pub sha256: Option<String>,
    pub lfs: Option<LfsPointer>,
    pub role: FileRole,
}

/// Which kind of license-related text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenseFileKind {
    License,
    UsePolicy,
    Notice,
}

/// A license-related text file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseFile {
    pub path: String,
    pub kind: LicenseFileKind,
    /// The text (at most 1 MiB; longer files are cut and a problem is recorded).
    pub text: String,
}

impl ModelRecord {
    /// An empty record for `root` (readers fill it in; tests build fixtures from it).
    pub fn new(root: PathBuf, kind: RepoKind) -> ModelRecord {
        ModelRecord {
            root,
            kind,
            repo_id: None,
            revision: None,
            card: None,
            config: None,
            generation_config: None,
            tokenizer: None,
            adapter: None,
            weights: WeightsInfo::default(),
            gguf: None,
            onnx: None,
            files: vec![],
            license_files: vec![],
            problems: vec![],
        }
    }

    /// Base models from every source (card, adapter config, GGUF), de-duplicated, in that order.
    pub fn base_models(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![];
        let card = self.card.iter().flat_map(|c| c.base_models.iter().cloned());
        let adapter = self.adapter.iter().filter_map(|a| a.base_model.clone());
        let gguf = self.gguf.iter().flat_map(|g| g.base_models.iter().cloned());
        for b in card.chain(adapter).chain(gguf) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&b)) {
                out.push(b);
            }
        }
        out
    }
}
