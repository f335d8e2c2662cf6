//! `vouch bom` and `vouch license` through the binary.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn vouch(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(cwd)
        .env("HOME", cwd)
        .env_remove("HF_HOME")
        .output()
        .expect("vouch runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A small fine-tune: card, config and a real (tiny) safetensors file.
fn model(dir: &Path, license: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("README.md"),
        format!(
            "---\nlicense: {license}\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: finetune\ndatasets:\n- org/train-a\n- org/train-b\npipeline_tag: text-generation\n---\n# Demo\n\nA fine-tune.\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), r#"{"architectures": ["LlamaForCausalLM"], "model_type": "llama"}"#).unwrap();
    let header = br#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#;
    let mut st = (header.len() as u64).to_le_bytes().to_vec();
    st.extend_from_slice(header);
    st.extend_from_slice(&[0u8; 24]);
    std::fs::write(dir.join("model.safetensors"), st).unwrap();
}

#[test]
fn bom_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    model(&dir.path().join("m"), "llama3.1");
    let o = vouch(&["bom", "m"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    let s = o.stdout.clone();
    let all = String::from_utf8(s).unwrap();
    assert!(
        all.contains("meta-llama/Llama-3.1-8B") && all.contains("org/train-b") && all.contains("\"6\""),
        "base model, datasets and the parameter count: {all}"
    );
    let o = vouch(&["bom", "m", "--spec", "1.7", "-o", "bom.json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("bom.json")).unwrap()).unwrap();
    assert_eq!(v["specVersion"], "1.7");
    let o = vouch(&["bom", "m", "--format", "spdx"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["@context"], "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
    assert!(String::from_utf8_lossy(&o.stderr).contains("SPDX AI profile"), "missing AI-profile fields are warned about");
    let o = vouch(&["bom", "no-such-model"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no-such-model"), "{}", text(&o));
}

#[test]
fn license_restrictions_conflicts_and_deny() {
    let dir = tempfile::tempdir().unwrap();
    model(&dir.path().join("m"), "llama3.1");
    let o = vouch(&["license", "m", "--format", "json"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema"], "vouch.license/1");
    let kinds: Vec<&str> = v["restrictions"].as_array().unwrap().iter().filter_map(|r| r["kind"].as_str()).collect();
    assert!(kinds.contains(&"mau-cap") && kinds.contains(&"naming-duty"), "{kinds:?}");
    let o = vouch(&["license", "m", "--deny", "mau-cap"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let o = vouch(&["license", "m", "--deny", "non-commercial"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = vouch(&["license", "m", "--deny", "bogus"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("bogus"));
    // A Llama 3.1 fine-tune that declares apache-2.0 inherits the base terms: a conflict.
    model(&dir.path().join("relicensed"), "apache-2.0");
    let o = vouch(&["license", "relicensed", "--format", "json"], dir.path());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let conflicts: Vec<&str> = v["conflicts"].as_array().unwrap().iter().filter_map(|c| c["kind"].as_str()).collect();
    assert!(conflicts.contains(&"license-conflict"), "{}", text(&o));
    let inherited = v["restrictions"].as_array().unwrap().iter().any(|r| r["kind"] == "mau-cap" && !r["inherited_from"].is_null());
    assert!(inherited, "{}", text(&o));
    // vouch.toml supplies the deny list.
    std::fs::write(dir.path().join("vouch.toml"), "[license]\ndeny = [\"naming-duty\"]\n").unwrap();
    let o = vouch(&["license", "m"], dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}
