//! Real files of the formats scan part 2 covers, written by their producers (see each data
//! folder's generator), scanned end to end: benign ones stay clean, each technique is caught.

mod common;

use std::path::PathBuf;
use vouch_report::Verdict;
use vouch_scan::{scan_file, Config};

fn data(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    assert!(p.exists(), "fixture not found: {}", p.display());
    p
}

fn check(rel: &str, verdict: Verdict, rule: Option<&str>) {
    let r = scan_file(&data(rel), rel.into(), &Config::default());
    assert_eq!(r.verdict, verdict, "{rel}: {:#?}", r.findings);
    if let Some(code) = rule {
        assert!(r.findings.iter().any(|f| f.rule.code == code), "{rel}: no {code} in {:#?}", r.findings);
    }
}

#[test]
fn keras_models() {
    check("keras/k3_benign_dense.keras", Verdict::Clean, None);
    check("keras/k3_benign_dense.h5", Verdict::Clean, None);
    check("keras/k2_benign_compiled.h5", Verdict::Clean, None);
    check("keras/h5_earliest.h5", Verdict::Clean, None);
    check("keras/h5_latest_dense.h5", Verdict::Clean, None);
    check("keras/k3_lambda_times_two.keras", Verdict::Dangerous, Some("VCH-KER-001"));
    check("keras/k3_lambda_times_two.h5", Verdict::Dangerous, Some("VCH-KER-001"));
    check("keras/k2_lambda_times_two.h5", Verdict::Dangerous, Some("VCH-KER-001"));
    // CVE-2025-1550: functions outside keras named in config.json bypass safe_mode.
    check("keras/k3_cve_2025_1550.keras", Verdict::Dangerous, Some("VCH-KER-002"));
}

#[test]
fn real_chat_templates_stay_clean() {
    let dir = data("templates");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "jinja") {
            n += 1;
            let r = scan_file(&p, p.display().to_string(), &Config::default());
            assert_eq!(r.verdict, Verdict::Clean, "{}: {:#?}", p.display(), r.findings);
            assert_eq!(r.format, "jinja");
        }
    }
    assert!(n >= 10, "only {n} templates");
}

#[test]
fn chat_templates_in_tokenizer_configs() {
    let dir = tempfile::tempdir().unwrap();
    let evil = "{{ cycler.__init__.__globals__.os.popen('id').read() }}";
    let good = std::fs::read_to_string(data("templates/meta-llama-3.1-8b-instruct.jinja")).unwrap();
    let cases = [
        ("tokenizer_config.json", serde_json::json!({"chat_template": evil, "bos_token": "<s>"}), Verdict::Dangerous),
        (
            "tokenizer_config.json",
            serde_json::json!({"chat_template": [{"name": "default", "template": good}, {"name": "tool_use", "template": evil}]}),
            Verdict::Dangerous,
        ),
        ("chat_template.json", serde_json::json!({"chat_template": good}), Verdict::Clean),
    ];
    for (name, doc, verdict) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_vec(&doc).unwrap()).unwrap();
        let r = scan_file(&p, name.into(), &Config::default());
        assert_eq!(r.verdict, verdict, "{name}: {:#?}", r.findings);
    }
    // A .jinja file with the payload.
    let p = dir.path().join("chat_template.jinja");
    std::fs::write(&p, evil).unwrap();
    let r = scan_file(&p, "chat_template.jinja".into(), &Config::default());
    assert_eq!(r.verdict, Verdict::Dangerous);
    assert!(r.findings.iter().any(|f| f.rule.code == "VCH-TPL-001"), "{:#?}", r.findings);
}

#[test]
fn onnx_models() {
    check("onnx/benign.onnx", Verdict::Clean, None);
    check("onnx/benign_external.onnx", Verdict::Clean, None);
    check("onnx/benign_external.onnx.data", Verdict::Clean, None);
    check("onnx/traversal_relative.onnx", Verdict::Dangerous, Some("VCH-ONNX-001"));
    check("onnx/traversal_absolute.onnx", Verdict::Dangerous, Some("VCH-ONNX-001"));
    check("onnx/custom_domain.onnx", Verdict::Suspicious, Some("VCH-ONNX-002"));
}

#[test]
fn tensorflow_graphs() {
    for benign in ["benign_frozen.pb", "benign_keras.pb", "benign_module.pb", "benign_table.pb", "benign_v1.pb"] {
        check(&format!("tf/{benign}"), Verdict::Clean, None);
    }
    check("tf/malicious_pyfunc.pb", Verdict::Dangerous, Some("VCH-TF-001"));
    check("tf/malicious_fileio.pb", Verdict::Dangerous, Some("VCH-TF-002"));
}

#[test]
fn safetensors_files() {
    check("safetensors/benign_numpy.safetensors", Verdict::Clean, None);
}

#[test]
fn gguf_files_written_by_llama_cpp_gguf_py() {
    check("gguf/benign_llama.gguf", Verdict::Clean, None);
    check("gguf/malicious_template.gguf", Verdict::Dangerous, Some("VCH-TPL-001"));
    // Source code that quotes a malicious template is not a template that any loader renders.
    check("gguf/make_gguf.py", Verdict::Clean, None);
}

#[test]
fn text_format_tensorflow_graph() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("saved_model.pbtxt");
    std::fs::write(&p, "meta_graphs {\n  graph_def {\n    node {\n      name: \"bad\"\n      op: \"EagerPyFunc\"\n    }\n  }\n}\n")
        .unwrap();
    let r = scan_file(&p, "saved_model.pbtxt".into(), &Config::default());
    assert_eq!(r.verdict, Verdict::Dangerous, "{:#?}", r.findings);
    assert_eq!(r.findings[0].location.line, Some(5));
}

#[test]
fn keras_metadata_written_by_tf_keras() {
    check("keras_metadata/benign_dense.keras_metadata.pb", Verdict::Clean, None);
    check("keras_metadata/lambda.keras_metadata.pb", Verdict::Dangerous, Some("VCH-KER-001"));
}
