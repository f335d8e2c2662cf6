//! The model-repository reader (`vouch_model::read_model`) on arbitrary files: the first byte picks
//! the file name (card, configs, safetensors, its index, ONNX, GGUF, LFS pointer, LICENSE) and the
//! rest is written into a fresh folder beside a minimal valid config, then the folder (and the
//! file alone) is read. Errors are fine; panics, hangs and unbounded memory are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "README.md",
    "config.json",
    "adapter_config.json",
    "tokenizer_config.json",
    "tokenizer.json",
    "generation_config.json",
    "model.safetensors",
    "model.safetensors.index.json",
    "model.onnx",
    "model.gguf",
    "LICENSE",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let dir = std::env::temp_dir().join(format!("vouch-fuzz-model-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    if name != "config.json" {
        std::fs::write(dir.join("config.json"), br#"{"model_type": "llama"}"#).expect("write");
    }
    std::fs::write(dir.join(name), rest).expect("write");
    let opts = vouch_model::ReadOptions::default();
    if let Ok(record) = vouch_model::read_model(&dir, &opts) {
        assert!(record.files.iter().any(|f| f.path == name));
    }
    let _ = vouch_model::read_model(&dir.join(name), &opts);
});
