//! [`read_model`]: walks a repository, hashes its files in parallel and reads every metadata file
//! it knows. Per-file failures become `problems`; only a missing path or something that is not a
//! model at all is an error.

use crate::card::{one_or_many, parse_card, scalar};
use crate::record::*;
use crate::weights;
use rayon::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// How to read a repository.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Compute the SHA-256 of every file (streams every byte once). Default `true`.
    pub hash: bool,
    /// Longest license/notice text kept, in bytes; longer ones are cut and a problem is recorded.
    /// Default 1 MiB.
    pub max_text_bytes: u64,
    /// Threads for hashing and header reads; `0` uses rayon's global pool.
    pub jobs: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { hash: true, max_text_bytes: 1 << 20, jobs: 0 }
    }
}

/// Why a path could not be read as a model at all.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The path does not exist (or is a broken symbolic link).
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    /// The path exists but could not be read.
    #[error("{}: cannot be read: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// The path was read and holds no model.
    #[error("{}: not a model: {reason}", path.display())]
    NotAModel { path: PathBuf, reason: String },
}

/// Largest JSON config read (`config.json`, `tokenizer_config.json`, indexes).
const MAX_CONFIG_BYTES: u64 = 64 << 20;
/// `tokenizer.json` holds the whole vocabulary and merges; large ones are ~35 MB.
const MAX_TOKENIZER_BYTES: u64 = 256 << 20;
const MAX_CARD_BYTES: u64 = 16 << 20;
/// Git LFS pointers are about 130 bytes; the specification caps them at 1024.
const MAX_LFS_POINTER: u64 = 1024;
const HASH_CHUNK: usize = 1 << 20;
const MAX_DEPTH: usize = 64;

const WEIGHT_EXTENSIONS: &[&str] = &["safetensors", "bin", "pt", "pth", "gguf", "onnx", "h5", "keras", "msgpack", "ckpt", "onnx_data"];
const TOKENIZER_FILES: &[&str] = &[
    "tokenizer.json",
    "tokenizer_config.json",
    "tokenizer.model",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
    "spiece.model",
    "sentencepiece.bpe.model",
    "chat_template.jinja",
    "chat_template.json",
];

/// Reads the model at `path`: a Hugging Face model folder, a Hugging Face cache snapshot folder,
/// or one GGUF, safetensors or ONNX file. Never loads weights and never uses the network.
pub fn read_model(path: &Path, opts: &ReadOptions) -> Result<ModelRecord, ModelError> {
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ModelError::NotFound { path: path.to_path_buf() },
        _ => ModelError::Io { path: path.to_path_buf(), source: e },
    })?;
    let run = || if meta.is_dir() { read_dir_model(path, opts) } else { read_single_file(path, opts) };
    if opts.jobs > 0 {
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs).build() {
            return pool.install(run);
        }
    }
    run()
}

/// A file found by the walk.
struct Found {
    rel: String,
    abs: PathBuf,
}

fn read_single_file(path: &Path, opts: &ReadOptions) -> Result<ModelRecord, ModelError> {
    let io_err = |e: io::Error| ModelError::Io { path: path.to_path_buf(), source: e };
    let mut head = [0u8; 9];
    let n = read_prefix(path, &mut head).map_err(io_err)?;
    let head = &head[..n];
    let rel = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut record = ModelRecord::new(path.to_path_buf(), RepoKind::SingleFile);
    let format = if head.starts_with(b"GGUF") {
        "gguf"
    } else if looks_like_safetensors(head) {
        "safetensors"
    } else {
        match weights::read_onnx(path, &rel) {
            Ok(info) => {
                record.onnx = Some(info);
                "onnx"
            }
            Err(e) => {
                let mut prefix = [0u8; MAX_LFS_POINTER as usize];
                let n = read_prefix(path, &mut prefix).map_err(io_err)?;
                let reason = if let Some(p) = parse_lfs_pointer(&prefix[..n]) {
                    format!("a Git LFS pointer (sha256 {}, {} bytes): the content was not downloaded", p.oid_sha256, p.size)
                } else if has_extension(&rel, "onnx") {
                    format!("cannot read it as ONNX: {e}")
                } else {
                    "not a GGUF, safetensors or ONNX file".to_string()
                };
                return Err(ModelError::NotAModel { path: path.to_path_buf(), reason });
            }
        }
    };
    let found = vec![Found { rel: rel.clone(), abs: path.to_path_buf() }];
    let mut files = file_entries(&found, opts, &mut record.problems);
    if let Some(f) = files.first_mut() {
        f.role = FileRole::Weights;
    }
    record.files = files;
    record.weights.formats.push(format.to_string());
    match format {
        "gguf" => read_gguf_into(&mut record, path, &rel),
        "safetensors" => match weights::safetensors_dtypes(path) {
            Ok(d) => {
                record.weights.parameter_count = d.values().try_fold(0u64, |a, &n| a.checked_add(n));
                record.weights.dtypes = d;
                record.weights.shards.push(rel);
            }
            Err(e) => record.problems.push(format!("{rel}: {e}")),
        },
        _ => {}
    }
    Ok(record)
}

fn read_prefix(path: &Path, buf: &mut [u8]) -> io::Result<usize> {
    let mut f = File::open(path)?;
    let mut done = 0;
    while done < buf.len() {
        let k = f.read(&mut buf[done..])?;
        if k == 0 {
            break;
        }
        done += k;
    }
    Ok(done)
}

fn looks_like_safetensors(head: &[u8]) -> bool {
    head.len() == 9 && u64::from_le_bytes(head[..8].try_into().unwrap_or_default()) <= weights::MAX_SAFETENSORS_HEADER && head[8] == b'{'
}

fn has_extension(name: &str, ext: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, e)| e.eq_ignore_ascii_case(ext))
}

fn extension(name: &str) -> String {
    name.rsplit('/').next().unwrap_or(name).rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `.../models--org--name/snapshots/<revision>` -> (`org/name`, revision).
fn hf_cache_identity(path: &Path) -> Option<(String, String)> {
    let of = |p: &Path| -> Option<(String, String)> {
        let rev = p.file_name()?.to_str()?;
        let snapshots = p.parent()?;
        if snapshots.file_name()? != "snapshots" {
            return None;
        }
        let repo = snapshots.parent()?.file_name()?.to_str()?.strip_prefix("models--").filter(|r| !r.is_empty())?;
        Some((repo.replace("--", "/"), rev.to_string()))
    };
    // `vouch bom .` inside a snapshot: the folder names are only in the absolute path.
    of(path).or_else(|| of(&fs::canonicalize(path).ok()?))
}

/// The commit checked out in `root/.git` (a folder made by `git clone`), read without git.
fn git_revision(root: &Path) -> Option<String> {
    let git = root.join(".git");
    let head = fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let is_sha = |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
    let Some(reference) = head.strip_prefix("ref: ") else {
        return is_sha(head).then(|| head.to_string());
    };
    if let Ok(s) = fs::read_to_string(git.join(reference)) {
        let s = s.trim();
        return is_sha(s).then(|| s.to_string());
    }
    let packed = fs::read_to_string(git.join("packed-refs")).ok()?;
    packed.lines().find_map(|l| l.split_once(' ').filter(|(sha, r)| *r == reference && is_sha(sha)).map(|(sha, _)| sha.to_string()))
}

fn walk(root: &Path, rel: &str, depth: usize, out: &mut Vec<Found>, problems: &mut Vec<String>) -> io::Result<()> {
    let dir = if rel.is_empty() { root.to_path_buf() } else { root.join(rel) };
    let mut entries: Vec<_> = fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let child = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        if name == ".git" || (rel == ".cache" && name == "huggingface") {
            continue;
        }
        let ft = match e.file_type() {
            Ok(ft) => ft,
            Err(err) => {
                problems.push(format!("{child}: {err}"));
                continue;
            }
        };
        let meta = if ft.is_symlink() {
            match fs::metadata(e.path()) {
                Ok(m) => m,
                Err(err) => {
                    problems.push(format!("{child}: symbolic link cannot be followed: {err}"));
                    continue;
                }
            }
        } else {
            match e.metadata() {
                Ok(m) => m,
                Err(err) => {
                    problems.push(format!("{child}: {err}"));
                    continue;
                }
            }
        };
        if meta.is_dir() {
            if ft.is_symlink() {
                problems.push(format!("{child}: symbolic link to a folder, not followed"));
            } else if depth >= MAX_DEPTH {
                problems.push(format!("{child}: folder nested more than {MAX_DEPTH} deep, not read"));
            } else if let Err(err) = walk(root, &child, depth + 1, out, problems) {
                problems.push(format!("{child}: cannot list the folder: {err}"));
            }
        } else if meta.is_file() {
            out.push(Found { rel: child, abs: e.path() });
        } else {
            problems.push(format!("{child}: not a regular file, skipped"));
        }
    }
    Ok(())
}

fn role_of(rel: &str) -> FileRole {
    let name = file_name(rel);
    let lower = name.to_ascii_lowercase();
    let ext = extension(rel);
    if license_kind(name).is_some() {
        FileRole::License
    } else if lower == "readme.md" {
        FileRole::Card
    } else if TOKENIZER_FILES.contains(&lower.as_str()) {
        FileRole::Tokenizer
    } else if WEIGHT_EXTENSIONS.contains(&ext.as_str()) || lower.ends_with(".onnx.data") {
        FileRole::Weights
    } else if ext == "json" || ext == "yaml" || ext == "yml" {
        FileRole::Config
    } else if ext == "py" {
        FileRole::Code
    } else {
        FileRole::Other
    }
}

fn license_kind(name: &str) -> Option<LicenseFileKind> {
    let upper = name.to_ascii_uppercase();
    if upper.starts_with("LICENSE") || upper.starts_with("LICENCE") {
        Some(LicenseFileKind::License)
    } else if upper.starts_with("USE_POLICY") {
        Some(LicenseFileKind::UsePolicy)
    } else if upper.starts_with("NOTICE") {
        Some(LicenseFileKind::Notice)
    } else {
        None
    }
}

/// Sizes, roles, LFS pointers and (when asked) SHA-256 of every file, in parallel.
fn file_entries(found: &[Found], opts: &ReadOptions, problems: &mut Vec<String>) -> Vec<FileEntry> {
    let results: Vec<(FileEntry, Option<String>)> = found
        .par_iter()
        .map(|f| {
            let mut entry = FileEntry { path: f.rel.clone(), size: 0, sha256: None, lfs: None, role: role_of(&f.rel) };
            let problem = match describe_file(&f.abs, opts.hash, &mut entry) {
                Ok(()) => None,
                Err(e) => Some(format!("{}: {e}", f.rel)),
            };
            if entry.role != FileRole::Weights && entry.lfs.is_none() && entry.size >= 4 && read_magic_is_gguf(&f.abs) {
                entry.role = FileRole::Weights;
            }
            (entry, problem)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for (entry, problem) in results {
        problems.extend(problem);
        out.push(entry);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn read_magic_is_gguf(path: &Path) -> bool {
    let mut m = [0u8; 4];
    matches!(read_prefix(path, &mut m), Ok(4)) && &m == b"GGUF"
}

fn describe_file(path: &Path, hash: bool, entry: &mut FileEntry) -> io::Result<()> {
    let mut f = File::open(path)?;
    entry.size = f.metadata()?.len();
    let mut hasher = Sha256::new();
    // Without hashing only the first bytes matter (an LFS pointer is at most 1024 bytes).
    let chunk = if hash { HASH_CHUNK } else { MAX_LFS_POINTER as usize + 1 };
    let mut buf = vec![0u8; chunk.min(usize::try_from(entry.size).unwrap_or(usize::MAX).saturating_add(1))];
    let mut first: Vec<u8> = Vec::new();
    let mut total = 0u64;
    loop {
        let k = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if total < MAX_LFS_POINTER && entry.size <= MAX_LFS_POINTER {
            first.extend_from_slice(&buf[..k]);
        }
        total += k as u64;
        if hash {
            hasher.update(&buf[..k]);
        } else if total >= entry.size.min(MAX_LFS_POINTER) {
            break;
        }
    }
    if hash {
        entry.sha256 = Some(hex::encode(hasher.finalize()));
    }
    entry.lfs = parse_lfs_pointer(&first);
    Ok(())
}

/// A Git LFS pointer (`version https://git-lfs.github.com/spec/v1`, `oid sha256:<hex>`, `size N`).
fn parse_lfs_pointer(b: &[u8]) -> Option<LfsPointer> {
    let text = std::str::from_utf8(b).ok()?;
    let mut lines = text.lines();
    if !lines.next()?.starts_with("version https://git-lfs.github.com/spec/") {
        return None;
    }
    let (mut oid, mut size) = (None, None);
    for l in lines {
        if let Some(h) = l.strip_prefix("oid sha256:") {
            let h = h.trim();
            if h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit()) {
                oid = Some(h.to_ascii_lowercase());
            }
        } else if let Some(s) = l.strip_prefix("size ") {
            size = s.trim().parse().ok();
        }
    }
    Some(LfsPointer { oid_sha256: oid?, size: size? })
}

fn read_dir_model(root: &Path, opts: &ReadOptions) -> Result<ModelRecord, ModelError> {
    let (kind, repo_id, revision) = match hf_cache_identity(root) {
        Some((repo, rev)) => (RepoKind::HfCacheSnapshot, Some(repo), Some(rev)),
        None => (RepoKind::Directory, None, git_revision(root)),
    };
    let mut record = ModelRecord::new(root.to_path_buf(), kind);
    record.repo_id = repo_id;
    record.revision = revision;
    let mut found = vec![];
    walk(root, "", 0, &mut found, &mut record.problems).map_err(|e| ModelError::Io { path: root.to_path_buf(), source: e })?;
    if found.is_empty() {
        return Err(ModelError::NotAModel { path: root.to_path_buf(), reason: "the folder holds no files".to_string() });
    }
    let files = file_entries(&found, opts, &mut record.problems);
    let abs: BTreeMap<&str, &Path> = found.iter().map(|f| (f.rel.as_str(), f.abs.as_path())).collect();
    let ctx = Ctx { abs: &abs, files: &files };
    read_card(&mut record, &ctx);
    read_configs(&mut record, &ctx);
    read_weights(&mut record, &ctx);
    read_license_texts(&mut record, &ctx, opts.max_text_bytes);
    record.files = files;

    let is_model = record.card.as_ref().is_some_and(|c| c.front_matter.is_some())
        || record.config.is_some()
        || record.adapter.is_some()
        || record.tokenizer.is_some()
        || record.files.iter().any(|f| f.role == FileRole::Weights || f.path == "model_index.json");
    if !is_model {
        return Err(ModelError::NotAModel {
            path: root.to_path_buf(),
            reason: "no model card front matter, config.json, adapter_config.json, tokenizer or weights file".to_string(),
        });
    }
    if record.repo_id.is_none() {
        record.repo_id = guess_repo_id(&record);
    }
    Ok(record)
}

fn guess_repo_id(record: &ModelRecord) -> Option<String> {
    let looks_like_id = |s: &str| {
        let mut parts = s.split('/');
        let ok = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p != "." && p != ".." && !p.contains(['\\', ' ', ':']));
        ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
    };
    let from_card =
        record.card.as_ref().and_then(|c| c.eval_results.iter().filter_map(|r| r.model_name.clone()).find(|n| looks_like_id(n)));
    let from_config = record.config.as_ref().and_then(|c| c.name_or_path.clone()).filter(|n| looks_like_id(n));
    from_card.or(from_config)
}

struct Ctx<'a> {
    abs: &'a BTreeMap<&'a str, &'a Path>,
    files: &'a [FileEntry],
}

impl Ctx<'_> {
    fn entry(&self, rel: &str) -> Option<&FileEntry> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(rel)).ok().map(|i| &self.files[i])
    }

    /// The file's bytes, when present, not an LFS pointer, and at most `cap` bytes.
    fn read(&self, rel: &str, cap: u64, problems: &mut Vec<String>) -> Option<Vec<u8>> {
        let entry = self.entry(rel)?;
        let path = self.abs.get(rel)?;
        if entry.lfs.is_some() {
            problems.push(format!("{rel}: Git LFS pointer, the content was not downloaded"));
            return None;
        }
        if entry.size > cap {
            problems.push(format!("{rel}: {} bytes, over the {cap}-byte limit for this file; not read", entry.size));
            return None;
        }
        let mut buf = Vec::new();
        match File::open(path).and_then(|f| f.take(cap + 1).read_to_end(&mut buf)) {
            Ok(_) if buf.len() as u64 > cap => {
                problems.push(format!("{rel}: grew over the {cap}-byte limit while being read; not read"));
                None
            }
            Ok(_) => Some(buf),
            Err(e) => {
                problems.push(format!("{rel}: {e}"));
                None
            }
        }
    }

    fn json(&self, rel: &str, cap: u64, problems: &mut Vec<String>) -> Option<Value> {
        let bytes = self.read(rel, cap, problems)?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v @ Value::Object(_)) => Some(v),
            Ok(_) => {
                problems.push(format!("{rel}: not a JSON object"));
                None
            }
            Err(e) => {
                problems.push(format!("{rel}: not valid JSON: {e}"));
                None
            }
        }
    }
}

fn read_card(record: &mut ModelRecord, ctx: &Ctx) {
    let Some(rel) = ctx.files.iter().find(|f| f.path.eq_ignore_ascii_case("readme.md")).map(|f| f.path.clone()) else { return };
    if let Some(bytes) = ctx.read(&rel, MAX_CARD_BYTES, &mut record.problems) {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                record.problems.push(format!("{rel}: not valid UTF-8; invalid bytes replaced"));
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        };
        record.card = Some(parse_card(&text, &rel, &mut record.problems));
    }
}

fn u64_at(v: &Value, key: &str) -> Option<u64> {
    match v.get(key)? {
        Value::Number(n) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| f.is_finite() && *f >= 0.0 && *f < u64::MAX as f64).map(|f| f as u64))
        }
        _ => None,
    }
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(scalar)
}

fn read_configs(record: &mut ModelRecord, ctx: &Ctx) {
    let problems = &mut record.problems;
    if let Some(c) = ctx.json("config.json", MAX_CONFIG_BYTES, problems) {
        // Multimodal configs (Llava, Gemma 3, ...) keep the language model's sizes in `text_config`.
        let text = c.get("text_config").filter(|t| t.is_object());
        let size = |k: &str| u64_at(&c, k).or_else(|| text.and_then(|t| u64_at(t, k)));
        record.config = Some(ModelConfig {
            architectures: one_or_many(c.get("architectures")),
            model_type: str_at(&c, "model_type"),
            hidden_size: size("hidden_size"),
            num_hidden_layers: size("num_hidden_layers"),
            num_attention_heads: size("num_attention_heads"),
            vocab_size: size("vocab_size"),
            max_position_embeddings: size("max_position_embeddings"),
            // transformers 4.56 renamed `torch_dtype` to `dtype`.
            torch_dtype: str_at(&c, "torch_dtype").or_else(|| str_at(&c, "dtype")),
            name_or_path: str_at(&c, "_name_or_path"),
        });
    }
    record.generation_config = ctx.json("generation_config.json", MAX_CONFIG_BYTES, problems);

    let tok_config = ctx.json("tokenizer_config.json", MAX_CONFIG_BYTES, problems);
    let tok_json = ctx.json("tokenizer.json", MAX_TOKENIZER_BYTES, problems);
    let has_template_file = ctx.entry("chat_template.jinja").is_some() || ctx.entry("chat_template.json").is_some();
    let has_tokenizer_file = ctx.files.iter().any(|f| f.role == FileRole::Tokenizer && !f.path.contains('/'));
    if tok_config.is_some() || tok_json.is_some() || has_tokenizer_file {
        let mut t = TokenizerInfo { has_chat_template: has_template_file, ..TokenizerInfo::default() };
        if let Some(c) = &tok_config {
            t.tokenizer_class = str_at(c, "tokenizer_class");
            t.model_max_length = u64_at(c, "model_max_length");
            t.has_chat_template |= c.get("chat_template").is_some_and(|v| !v.is_null());
        }
        if let Some(j) = &tok_json {
            t.vocab_size = tokenizer_json_vocab(j);
        }
        record.tokenizer = Some(t);
    }

    if let Some(a) = ctx.json("adapter_config.json", MAX_CONFIG_BYTES, problems) {
        record.adapter = Some(AdapterInfo {
            base_model: str_at(&a, "base_model_name_or_path"),
            peft_type: str_at(&a, "peft_type"),
            task_type: str_at(&a, "task_type"),
            r: u64_at(&a, "r"),
            target_modules: one_or_many(a.get("target_modules")),
        });
    }
}

/// Vocabulary size of a `tokenizer.json`: the model's vocabulary, extended by added tokens with
/// ids past its end.
fn tokenizer_json_vocab(j: &Value) -> Option<u64> {
    let vocab = j.get("model").and_then(|m| m.get("vocab"));
    let base = match vocab {
        Some(Value::Object(m)) => Some(m.len() as u64),
        Some(Value::Array(a)) => Some(a.len() as u64),
        _ => None,
    };
    let max_added = j.get("added_tokens").and_then(Value::as_array).and_then(|a| a.iter().filter_map(|t| u64_at(t, "id")).max());
    match (base, max_added) {
        (Some(b), Some(m)) => Some(b.max(m.saturating_add(1))),
        (b, m) => b.or(m.map(|m| m.saturating_add(1))),
    }
}

fn format_of(rel: &str) -> Option<&'static str> {
    if rel.to_ascii_lowercase().ends_with(".onnx.data") {
        return Some("onnx");
    }
    Some(match extension(rel).as_str() {
        "safetensors" => "safetensors",
        "gguf" => "gguf",
        "onnx" | "onnx_data" => "onnx",
        "bin" | "pt" | "pth" => "pytorch",
        "h5" | "keras" => "keras",
        "msgpack" => "flax",
        "ckpt" => "checkpoint",
        _ => return None,
    })
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn join_rel(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Parameters per dtype of one safetensors file, or why its header could not be read.
type DtypeCounts = Result<BTreeMap<String, u64>, String>;

fn read_weights(record: &mut ModelRecord, ctx: &Ctx) {
    let mut formats: BTreeSet<&str> = BTreeSet::new();
    for f in ctx.files.iter().filter(|f| f.role == FileRole::Weights) {
        let fmt = format_of(&f.path)
            .or_else(|| (f.lfs.is_none() && ctx.abs.get(f.path.as_str()).is_some_and(|p| read_magic_is_gguf(p))).then_some("gguf"));
        formats.extend(fmt);
    }
    record.weights.formats = formats.into_iter().map(str::to_string).collect();

    // Safetensors files counted: the shards of every index, plus every file in a folder without an
    // index (a stray `consolidated.safetensors` next to an index would otherwise count twice).
    let mut shards: Vec<String> = vec![];
    let mut complete = true;
    let mut indexed_dirs = BTreeSet::new();
    let indexes: Vec<String> = ctx.files.iter().filter(|f| f.path.ends_with(".safetensors.index.json")).map(|f| f.path.clone()).collect();
    for index in &indexes {
        let Some(v) = ctx.json(index, MAX_CONFIG_BYTES, &mut record.problems) else {
            complete = false;
            continue;
        };
        let Some(map) = v.get("weight_map").and_then(Value::as_object) else {
            record.problems.push(format!("{index}: no weight_map"));
            complete = false;
            continue;
        };
        indexed_dirs.insert(dir_of(index).to_string());
        let names: BTreeSet<&str> = map.values().filter_map(Value::as_str).collect();
        for n in names {
            let rel = join_rel(dir_of(index), n);
            if !shards.contains(&rel) {
                shards.push(rel);
            }
        }
    }
    for f in ctx.files {
        if extension(&f.path) == "safetensors" && !indexed_dirs.contains(dir_of(&f.path)) {
            shards.push(f.path.clone());
        }
    }
    let results: Vec<(String, DtypeCounts)> = shards
        .par_iter()
        .map(|rel| {
            let r = match (ctx.entry(rel), ctx.abs.get(rel.as_str())) {
                (None, _) | (_, None) => Err("listed in the safetensors index but not present".to_string()),
                (Some(e), _) if e.lfs.is_some() => Err("Git LFS pointer, the weights were not downloaded".to_string()),
                (Some(_), Some(p)) => weights::safetensors_dtypes(p),
            };
            (rel.clone(), r)
        })
        .collect();
    let mut total: Option<u64> = Some(0);
    for (rel, r) in results {
        match r {
            Ok(d) => {
                for (dtype, n) in d {
                    let slot = record.weights.dtypes.entry(dtype).or_insert(0);
                    *slot = slot.saturating_add(n);
                    total = total.and_then(|t| t.checked_add(n));
                }
            }
            Err(e) => {
                complete = false;
                record.problems.push(format!("{rel}: {e}"));
            }
        }
    }
    if !shards.is_empty() {
        if complete && total.is_some() {
            record.weights.parameter_count = total;
        } else {
            record.problems.push("safetensors: not every shard header was read; no parameter count".to_string());
        }
    }
    record.weights.shards = shards;

    let readable = |ext: &str| -> Vec<(String, PathBuf)> {
        ctx.files
            .iter()
            .filter(|f| f.lfs.is_none() && extension(&f.path) == ext)
            .filter_map(|f| ctx.abs.get(f.path.as_str()).map(|p| (f.path.clone(), p.to_path_buf())))
            .collect()
    };
    for f in ctx.files.iter().filter(|f| f.lfs.is_some() && f.role == FileRole::Weights && extension(&f.path) != "safetensors") {
        record.problems.push(format!("{}: Git LFS pointer, the weights were not downloaded; metadata not read", f.path));
    }
    let ggufs = readable("gguf");
    for (rel, path) in ggufs.iter().take(1) {
        read_gguf_into(record, path, rel);
    }
    if ggufs.len() > 1 {
        record.problems.push(format!("{} GGUF files; metadata read from {} only", ggufs.len(), ggufs[0].0));
    }
    if let Some((rel, path)) = readable("onnx").first() {
        match weights::read_onnx(path, rel) {
            Ok(info) => record.onnx = Some(info),
            Err(e) => record.problems.push(format!("{rel}: {e}")),
        }
    }
}

fn read_gguf_into(record: &mut ModelRecord, path: &Path, rel: &str) {
    match weights::read_gguf(path, rel) {
        Ok((info, problems)) => {
            if record.weights.parameter_count.is_none() && record.weights.shards.is_empty() {
                record.weights.parameter_count = info.parameter_count;
            }
            record.problems.extend(problems);
            record.gguf = Some(info);
        }
        Err(e) => record.problems.push(format!("{rel}: {e}")),
    }
}

fn read_license_texts(record: &mut ModelRecord, ctx: &Ctx, max: u64) {
    for f in ctx.files.iter().filter(|f| f.role == FileRole::License) {
        let Some(kind) = license_kind(file_name(&f.path)) else { continue };
        if f.lfs.is_some() {
            record.problems.push(format!("{}: Git LFS pointer, the text was not downloaded", f.path));
            continue;
        }
        let Some(path) = ctx.abs.get(f.path.as_str()) else { continue };
        let mut buf = Vec::new();
        if let Err(e) = File::open(path).and_then(|h| h.take(max).read_to_end(&mut buf)) {
            record.problems.push(format!("{}: {e}", f.path));
            continue;
        }
        let cut = f.size > max;
        let mut text = String::from_utf8_lossy(&buf).into_owned();
        if cut {
            // The cut may split a UTF-8 sequence: drop the replacement character it leaves.
            if text.ends_with('\u{fffd}') {
                text.pop();
            }
            record.problems.push(format!("{}: {} bytes, text cut to the first {max}", f.path, f.size));
        }
        record.license_files.push(LicenseFile { path: f.path.clone(), kind, text });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lfs_pointer_needs_oid_and_size() {
        let p = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
        assert_eq!(parse_lfs_pointer(p).map(|p| p.size), Some(12345));
        assert!(parse_lfs_pointer(b"version https://git-lfs.github.com/spec/v1\nsize 3\n").is_none());
        assert!(parse_lfs_pointer(b"hello").is_none());
    }

    #[test]
    fn roles() {
        assert_eq!(role_of("LICENSE.txt"), FileRole::License);
        assert_eq!(role_of("Use_Policy.md"), FileRole::License);
        assert_eq!(role_of("README.md"), FileRole::Card);
        assert_eq!(role_of("model-00001-of-00002.safetensors"), FileRole::Weights);
        assert_eq!(role_of("tokenizer_config.json"), FileRole::Tokenizer);
        assert_eq!(role_of("config.json"), FileRole::Config);
        assert_eq!(role_of("modeling_x.py"), FileRole::Code);
        assert_eq!(role_of("original/params.txt"), FileRole::Other);
        assert_eq!(role_of("onnx/model.onnx.data"), FileRole::Weights);
        assert_eq!(format_of("onnx/model.onnx.data"), Some("onnx"));
    }

    #[test]
    fn cache_identity_from_path() {
        let p = Path::new("/x/hub/models--meta-llama--Llama-3.1-8B/snapshots/0123abc");
        assert_eq!(hf_cache_identity(p), Some(("meta-llama/Llama-3.1-8B".to_string(), "0123abc".to_string())));
        assert_eq!(hf_cache_identity(Path::new("/x/hub/models--gpt2/snapshots/r")).map(|x| x.0), Some("gpt2".to_string()));
        assert_eq!(hf_cache_identity(Path::new("/x/models/llama")), None);
        assert_eq!(hf_cache_identity(Path::new("/x/hub/models--/snapshots/r")), None);
    }
}
