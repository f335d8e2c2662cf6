//! Keras model analysis: the model configuration (Keras 3 `.keras` `config.json`, or the
//! `model_config` / `training_config` attributes of a legacy `.h5` file) decides which code
//! `load_model` runs, so that JSON is what is judged. Nothing is imported or unmarshalled.
//!
//! Two things make loading a Keras model run code of the file's choosing:
//! - Lambda layers carry a Python function: Keras 2 as `[base64 marshal, defaults, closure]`
//!   with `function_type: "lambda"`, Keras 3 as `{"class_name": "__lambda__", "config":
//!   {"code": base64 marshal}}`. Unmarshalling it is code execution (CVE-2024-3660).
//! - Any object whose `module` (or `registered_name` / dotted `class_name`) names a module is
//!   imported and the named attribute fetched and called. CVE-2025-1550 (Keras < 3.9) used this
//!   to call `subprocess.Popen` or `os.system` from `config.json` even with `safe_mode=True`,
//!   either as a functional-model "layer" (`"class_name": "function"`, arguments taken from
//!   `inbound_nodes`) or as a function reference nested in another layer's arguments.
//!
//! The whole JSON tree is walked, so nested models, wrappers (`TimeDistributed`,
//! `Bidirectional`: `config.layer`), shared objects and function references anywhere are seen.

use crate::hdf5::{self, H5Limits, H5Value};
use crate::source::Source;
use std::collections::HashSet;
use vouch_report::rules::{H5_MALFORMED, KER_FOREIGN_MODULE, KER_LAMBDA, KER_MALFORMED};
use vouch_report::{Finding, Severity};

/// Top-level packages whose objects Keras deserialises as its own: Keras 3 (`keras`), Keras 2
/// (`tf_keras`, and `tensorflow` for `tf.keras` / `tensorflow.python.keras`), and the Keras
/// team's model libraries whose saved models name their own classes (`keras_nlp`, renamed
/// `keras_hub`; `keras_cv`). Anything else is code the model asks the loader to import.
const KERAS_PACKAGES: &[&str] = &["keras", "tensorflow", "tf_keras", "keras_nlp", "keras_hub", "keras_cv"];

/// Modules whose import from a model config means command execution, code loading, file or
/// network access: these raise a foreign-module finding to critical.
const DANGEROUS_MODULES: &[&str] = &[
    "os",
    "posix",
    "nt",
    "subprocess",
    "builtins",
    "__builtin__",
    "sys",
    "importlib",
    "runpy",
    "shutil",
    "socket",
    "pty",
    "ctypes",
    "pickle",
    "marshal",
    "code",
    "codeop",
    "commands",
    "multiprocessing",
    "webbrowser",
    "urllib",
    "urllib2",
    "http",
    "requests",
    "tempfile",
    "pathlib",
    "io",
    "glob",
    "asyncio",
];

/// Names that, found in a lambda's bytecode or source, show it reaches the shell, loads code,
/// or touches files or the network. A plain `x * 2` lambda names none of them.
const DANGEROUS_NAMES: &[&str] = &[
    "os",
    "posix",
    "nt",
    "system",
    "popen",
    "Popen",
    "subprocess",
    "spawn",
    "spawnl",
    "spawnv",
    "execv",
    "execve",
    "execl",
    "execvp",
    "fork",
    "eval",
    "exec",
    "execfile",
    "compile",
    "__import__",
    "importlib",
    "import_module",
    "builtins",
    "__builtins__",
    "getattr",
    "globals",
    "__globals__",
    "__subclasses__",
    "open",
    "socket",
    "pty",
    "runpy",
    "run_path",
    "ctypes",
    "shutil",
    "rmtree",
    "urllib",
    "urlopen",
    "requests",
    "pickle",
    "marshal",
    "webbrowser",
    "check_output",
    "check_call",
];

/// Evidence strings are cut to this many characters.
const MAX_EVIDENCE: usize = 400;
/// Findings reported for one configuration before the rest are summarised.
const MAX_FINDINGS: usize = 256;
/// JSON nesting followed (serde_json already refuses more than 128 levels).
const MAX_DEPTH: usize = 256;

/// Judges a Keras model configuration (`config.json` of a `.keras` zip, or `model_config`).
pub fn analyse_config(json: &str) -> Vec<Finding> {
    analyse_json(json, "model config")
}

/// Judges the configuration attributes of a legacy Keras `.h5` file. Plain weight files (no
/// `model_config`) give no findings.
pub fn analyse_h5(src: &dyn Source, limits: &H5Limits) -> Vec<Finding> {
    let attrs = match hdf5::root_attributes(src, limits) {
        Ok(a) => a,
        Err(e) => return vec![Finding::new(&H5_MALFORMED, format!("HDF5 root group attributes could not be read: {e}"))],
    };
    let mut out = Vec::new();
    let text = |key: &str| attrs.iter().find(|(n, _)| n == key).and_then(|(_, v)| as_text(v));
    let saved_by = [text("keras_version").map(|v| format!("Keras {v}")), text("backend").map(|b| format!("{b} backend"))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let suffix = if saved_by.is_empty() { String::new() } else { format!(" (saved by {saved_by})") };
    for (name, value) in &attrs {
        if let H5Value::Other(why) = value {
            if why.starts_with("unreadable") {
                out.push(Finding::new(&H5_MALFORMED, format!("root attribute {name:?} could not be read")).evidence(clip(why)));
                continue;
            }
        }
        // Every attribute with one of these names is judged: a crafted file may carry two, and
        // which one a loader picks depends on its storage order.
        let label = match name.as_str() {
            "model_config" => "model_config",
            "training_config" => "training_config",
            _ => continue,
        };
        match as_text(value) {
            Some(json) => out.extend(analyse_json(&json, label).into_iter().map(|f| {
                let message = format!("{}{suffix}", f.message);
                Finding { message, ..f }
            })),
            None => out.push(
                Finding::new(&KER_MALFORMED, format!("root attribute {label} is not a string")).evidence(clip(&format!("{value:?}"))),
            ),
        }
    }
    out
}

/// True when zip member names look like a Keras 3 `.keras` archive: `config.json` and
/// `metadata.json` at the root (`model.weights.h5` is optional: models without weights omit it).
pub fn is_keras_zip_member_set(names: &[&str]) -> bool {
    let has = |want: &str| names.iter().any(|n| n.strip_prefix("./").unwrap_or(n) == want);
    has("config.json") && has("metadata.json")
}

fn as_text(v: &H5Value) -> Option<String> {
    match v {
        H5Value::Str(s) => Some(s.clone()),
        // h5py writes some strings as one-element arrays.
        H5Value::Strings(v) if v.len() == 1 => Some(v[0].clone()),
        _ => None,
    }
}

fn analyse_json(json: &str, label: &str) -> Vec<Finding> {
    let value: serde_json::Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            return vec![Finding::new(&KER_MALFORMED, format!("{label} is not valid JSON: {e}")).evidence(clip(json))];
        }
    };
    let mut w = Walker { label, findings: Vec::new(), handled: HashSet::new(), dropped: 0 };
    w.walk(&value, 0, "$");
    if w.dropped > 0 {
        let f = Finding::new(&KER_MALFORMED, format!("{label}: {} more findings not listed", w.dropped));
        w.findings.push(f);
    }
    w.findings
}

struct Walker<'l> {
    label: &'l str,
    findings: Vec<Finding>,
    /// JSON nodes (by address: the tree does not move while walked) already reported as part
    /// of their Lambda layer: its function and output_shape values and its config object.
    handled: HashSet<*const ()>,
    dropped: usize,
}

impl Walker<'_> {
    fn push(&mut self, f: Finding) {
        if self.findings.len() < MAX_FINDINGS {
            self.findings.push(f);
        } else {
            self.dropped += 1;
        }
    }

    fn walk(&mut self, v: &serde_json::Value, depth: usize, path: &str) {
        if depth > MAX_DEPTH {
            self.push(Finding::new(&KER_MALFORMED, format!("{}: nested deeper than {MAX_DEPTH} levels at {path}", self.label)));
            return;
        }
        match v {
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, depth + 1, &format!("{path}[{i}]"));
                }
            }
            serde_json::Value::Object(map) => {
                self.check_object(v, map, path);
                for (k, item) in map {
                    self.walk(item, depth + 1, &format!("{path}.{k}"));
                }
            }
            _ => {}
        }
    }

    fn check_object(&mut self, v: &serde_json::Value, o: &serde_json::Map<String, serde_json::Value>, path: &str) {
        let class = o.get("class_name").and_then(|c| c.as_str()).unwrap_or_default();
        let short_class = class.rsplit(['>', '.']).next().unwrap_or_default();
        if short_class == "Lambda" {
            self.lambda_layer(o, path);
        }
        if class == "__lambda__" && !self.handled.contains(&(v as *const serde_json::Value as *const ())) {
            let code = o.get("config").and_then(|c| c.get("code"));
            let (evidence, dangerous) = describe_function(code);
            self.push(lambda_finding(format!("{}: marshalled Python function (__lambda__) at {path}", self.label), evidence, dangerous));
        }
        self.foreign_module(o, class, path);
    }

    fn lambda_layer(&mut self, o: &serde_json::Map<String, serde_json::Value>, path: &str) {
        let cfg = o.get("config").and_then(|c| c.as_object());
        let name = cfg
            .and_then(|c| c.get("name"))
            .or_else(|| o.get("name"))
            .and_then(|n| n.as_str())
            .map_or_else(|| path.to_string(), |n| format!("'{n}'"));
        let get = |k: &str| cfg.and_then(|c| c.get(k));
        let function = get("function");
        let function_type = get("function_type").and_then(|t| t.as_str());
        let (mut evidence, mut dangerous) = match (function, function_type) {
            (None, _) => ("no function in the layer config".to_string(), false),
            // Keras 2 "function" type: a name looked up among registered objects, with the
            // layer's `module` providing globals.
            (Some(f), Some("function")) => {
                let name = f.as_str().unwrap_or_default();
                (format!("named function {}", clip(&f.to_string())), DANGEROUS_NAMES.contains(&name))
            }
            (Some(f), _) => describe_function(Some(f)),
        };
        if let Some(f) = function {
            self.handled.insert(f as *const serde_json::Value as *const ());
        }
        if let Some(c) = cfg {
            self.handled.insert(c as *const serde_json::Map<String, serde_json::Value> as *const ());
        }
        // Keras 2 may marshal output_shape too ("output_shape_type": "lambda").
        if get("output_shape_type").and_then(|t| t.as_str()) == Some("lambda") {
            let (e, d) = describe_function(get("output_shape"));
            evidence = format!("{evidence}; output_shape: {e}");
            dangerous |= d;
        }
        if let Some(shape) = get("output_shape").filter(|s| s.get("class_name").and_then(|c| c.as_str()) == Some("__lambda__")) {
            self.handled.insert(shape as *const serde_json::Value as *const ());
            let (e, d) = describe_function(shape.get("config").and_then(|c| c.get("code")));
            evidence = format!("{evidence}; output_shape: {e}");
            dangerous |= d;
        }
        // The Keras 2 `module` of a lambda supplies its globals when that module is already
        // imported: `os` there hands the bytecode `system` without naming `os` at all.
        for key in ["module", "output_shape_module"] {
            if let Some(m) = get(key).and_then(|m| m.as_str()) {
                if m != "__main__" && !is_keras_module(m) {
                    evidence = format!("{evidence}; {key}: {m}");
                    dangerous |= is_dangerous_module(m);
                }
            }
        }
        let message = format!("{}: Lambda layer {name} carries Python code that runs when the model is loaded", self.label);
        self.push(lambda_finding(message, evidence, dangerous));
    }

    fn foreign_module(&mut self, o: &serde_json::Map<String, serde_json::Value>, class: &str, path: &str) {
        let mut reasons: Vec<String> = Vec::new();
        let mut dangerous = false;
        // A Keras 2 Lambda config's `module` is reported with the Lambda itself (it is known by
        // identity, not by its keys, so no other object can borrow the exemption).
        let lambda_config = self.handled.contains(&(o as *const serde_json::Map<String, serde_json::Value> as *const ()));
        if let Some(m) = o.get("module").and_then(|m| m.as_str()).filter(|_| !lambda_config) {
            if !is_keras_module(m) {
                // Function references name the attribute in `config`; classes in `class_name`.
                let attr = if class == "function" { o.get("config").and_then(|c| c.as_str()).unwrap_or_default() } else { class };
                reasons.push(if attr.is_empty() { format!("module {m}") } else { format!("{m}.{attr}") });
                dangerous |= is_dangerous_module(m);
            }
        }
        for (key, value) in [("registered_name", o.get("registered_name").and_then(|r| r.as_str())), ("class_name", Some(class))] {
            let Some(value) = value else { continue };
            // `package>Name` (registered custom objects) or a dotted `module.Name`.
            let package = match value.split_once('>') {
                Some((p, _)) => p,
                None => match value.rsplit_once('.') {
                    Some((p, _)) => p,
                    None => continue,
                },
            };
            // "Custom" is the default package of register_keras_serializable, and tf_keras
            // files name built-ins such as its optimizers "Custom>Adam": not a module.
            if package == "Custom" || is_keras_module(package) {
                continue;
            }
            reasons.push(format!("{key} {value}"));
            dangerous |= is_dangerous_module(package);
        }
        if reasons.is_empty() {
            return;
        }
        let severity = if dangerous { Severity::Critical } else { KER_FOREIGN_MODULE.severity };
        let what = if class == "function" { "function reference" } else { "object" };
        let message = format!("{}: {what} at {path} names code outside Keras, which loading imports", self.label);
        self.push(Finding::new(&KER_FOREIGN_MODULE, message).severity(severity).evidence(clip(&reasons.join("; "))));
    }
}

fn lambda_finding(message: String, evidence: String, dangerous: bool) -> Finding {
    let f = Finding::new(&KER_LAMBDA, message).evidence(clip(&evidence));
    if dangerous {
        f.severity(Severity::Critical)
    } else {
        f
    }
}

fn is_keras_module(m: &str) -> bool {
    let root = m.split('.').next().unwrap_or_default();
    KERAS_PACKAGES.contains(&root)
}

fn is_dangerous_module(m: &str) -> bool {
    let root = m.split('.').next().unwrap_or_default();
    DANGEROUS_MODULES.contains(&root)
}

/// Evidence for a Lambda's function value and whether it names something dangerous.
fn describe_function(f: Option<&serde_json::Value>) -> (String, bool) {
    let text = match f {
        None => return ("no code".into(), false),
        // Keras 2: [code, defaults, closure].
        Some(serde_json::Value::Array(items)) => match items.first() {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => return (format!("function list {}", clip(&f.map(|v| v.to_string()).unwrap_or_default())), false),
        },
        Some(serde_json::Value::String(s)) => s.clone(),
        // Keras 3: {"class_name": "__lambda__", "config": {"code": ...}} or a function reference
        // (reported by the module check).
        Some(serde_json::Value::Object(o)) => {
            if let Some(code) = o.get("config").and_then(|c| c.get("code")).and_then(|c| c.as_str()) {
                code.to_string()
            } else {
                let module = o.get("module").and_then(|m| m.as_str()).unwrap_or("?");
                let name = o.get("config").and_then(|c| c.as_str()).unwrap_or("?");
                return (format!("function reference {module}.{name}"), is_dangerous_module(module) || DANGEROUS_NAMES.contains(&name));
            }
        }
        Some(other) => return (format!("unexpected function value {}", clip(&other.to_string())), false),
    };
    match base64_decode(&text) {
        Some(bytes) if !bytes.is_empty() => {
            let names = marshal_names(&bytes);
            let bad: Vec<&str> = names.iter().map(String::as_str).filter(|n| DANGEROUS_NAMES.contains(n)).collect();
            let mut ev = format!("marshalled bytecode ({} bytes); names: {}", bytes.len(), names.join(", "));
            if !bad.is_empty() {
                ev = format!("dangerous names: {}; {ev}", bad.join(", "));
            }
            (ev, !bad.is_empty())
        }
        // Not base64: Python source text (older writers and hand-made files store it so).
        _ => {
            let bad: Vec<&str> = identifiers(&text).filter(|n| DANGEROUS_NAMES.contains(n)).collect();
            let ev =
                if bad.is_empty() { format!("source: {text}") } else { format!("dangerous names: {}; source: {text}", bad.join(", ")) };
            (ev, !bad.is_empty())
        }
    }
}

fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|s| !s.is_empty())
}

/// Standard base64 (padding optional, whitespace ignored, as Python's `codecs` writes it with
/// line breaks). `None` when any other character appears.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let compact: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    vouch_pickle::payload::decode_base64(&compact)
}

/// Names and strings in a marshalled code object, found by their marshal type codes (short and
/// long ASCII, interned and unicode strings) rather than by unmarshalling: co_names,
/// co_varnames, co_consts strings, co_filename and co_name all show up.
fn marshal_names(b: &[u8]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut i = 0usize;
    while i < b.len() && names.len() < 64 {
        // The high bit is marshal's FLAG_REF.
        let (start, len) = match b[i] & 0x7f {
            b'z' | b'Z' if i + 1 < b.len() => (i + 2, usize::from(b[i + 1])),
            b'a' | b'A' | b't' | b'u' if i + 5 <= b.len() => {
                let n = u32::from_le_bytes([b[i + 1], b[i + 2], b[i + 3], b[i + 4]]) as usize;
                (i + 5, n)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let token = start
            .checked_add(len)
            .and_then(|end| b.get(start..end))
            .filter(|t| !t.is_empty() && t.len() <= 256 && t.iter().all(|&c| (0x20..0x7f).contains(&c)));
        match token {
            Some(t) => {
                let s = String::from_utf8_lossy(t).into_owned();
                if !names.contains(&s) {
                    names.push(s);
                }
                i = start + len;
            }
            None => i += 1,
        }
    }
    names
}

fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_EVIDENCE {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_EVIDENCE).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn data(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/keras").join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {} not readable: {e}", p.display()))
    }

    /// A file of the shared corpus beside the repository; fails saying where it looked.
    fn corpus(rel: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(rel);
        std::fs::read(&p).unwrap_or_else(|e| {
            panic!("corpus file not found: looked for {} ({e}); ../shared/corpus must sit beside the repository", p.display())
        })
    }

    /// A stored member of a zip (Keras writes `.keras` archives uncompressed), found by walking
    /// the local headers: enough for fixtures, not a zip reader.
    fn zip_member(zip: &[u8], name: &str) -> Vec<u8> {
        let mut at = 0;
        while zip.len() >= at + 30 && zip[at..].starts_with(b"PK\x03\x04") {
            let u16_at = |o: usize| usize::from(u16::from_le_bytes([zip[at + o], zip[at + o + 1]]));
            let size = u32::from_le_bytes(zip[at + 18..at + 22].try_into().unwrap()) as usize;
            assert_eq!(u16_at(8), 0, "fixture members are stored");
            let start = at + 30 + u16_at(26) + u16_at(28);
            if &zip[at + 30..at + 30 + u16_at(26)] == name.as_bytes() {
                return zip[start..start + size].to_vec();
            }
            at = start + size;
        }
        panic!("no member {name}");
    }

    fn keras_config(file: &str) -> String {
        String::from_utf8(zip_member(&data(file), "config.json")).unwrap()
    }

    fn h5(bytes: &[u8]) -> Vec<Finding> {
        analyse_h5(&bytes.to_vec(), &H5Limits::default())
    }

    fn codes(f: &[Finding]) -> Vec<(&'static str, Severity)> {
        f.iter().map(|f| (f.rule.code, f.severity)).collect()
    }

    #[test]
    fn corpus_malicious_lambda_h5() {
        let f = h5(&corpus("models/modelaudit/samples/keras/malicious_lambda.h5"));
        assert_eq!(codes(&f), vec![("VCH-KER-001", Severity::Critical)], "{f:#?}");
        assert!(f[0].evidence.contains("eval"), "{}", f[0].evidence);
    }

    #[test]
    fn corpus_safe_model_h5() {
        let f = h5(&corpus("models/modelaudit/samples/keras/safe_model.h5"));
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn benign_real_models_give_nothing() {
        for file in ["k3_benign_dense.h5", "k2_benign_compiled.h5"] {
            assert!(h5(&data(file)).is_empty(), "{file}: {:#?}", h5(&data(file)));
        }
        let cfg = keras_config("k3_benign_dense.keras");
        assert!(analyse_config(&cfg).is_empty(), "{:#?}", analyse_config(&cfg));
        // The weights member of a .keras archive is a plain HDF5 weights file.
        assert!(h5(&zip_member(&data("k3_benign_dense.keras"), "model.weights.h5")).is_empty());
        // HDF5 files without model_config are weights or data, not models.
        assert!(h5(&data("h5_earliest.h5")).is_empty());
    }

    /// Lambda layers written by real Keras 2 (tf_keras) and Keras 3, in both file formats.
    #[test]
    fn real_lambda_layers_are_found() {
        let configs = [
            ("k3_lambda_times_two.keras", analyse_config(&keras_config("k3_lambda_times_two.keras"))),
            ("k3_lambda_times_two.h5", h5(&data("k3_lambda_times_two.h5"))),
            ("k2_lambda_times_two.h5", h5(&data("k2_lambda_times_two.h5"))),
        ];
        for (file, f) in configs {
            // `x * 2` names nothing dangerous: high, not critical; the Keras 2 lambda's
            // `module: __main__` is not reported as a foreign module.
            assert_eq!(codes(&f), vec![("VCH-KER-001", Severity::High)], "{file}: {f:#?}");
            assert!(f[0].message.contains("'times_two'"), "{file}: {}", f[0].message);
            assert!(f[0].evidence.contains("marshalled bytecode") && f[0].evidence.contains("<lambda>"), "{file}: {}", f[0].evidence);
        }
    }

    /// CVE-2025-1550: config.json makes load_model import subprocess/os and call their
    /// functions, with safe_mode=True, through function references in place of layers or nested
    /// in a Lambda's arguments.
    #[test]
    fn cve_2025_1550_function_references() {
        let f = analyse_config(&keras_config("k3_cve_2025_1550.keras"));
        let foreign: Vec<&str> = f.iter().filter(|f| f.rule.code == "VCH-KER-002").map(|f| f.evidence.as_str()).collect();
        assert!(foreign.contains(&"subprocess.Popen") && foreign.contains(&"os.system") && foreign.contains(&"builtins.map"), "{f:#?}");
        assert!(f.iter().all(|f| f.severity == Severity::Critical), "{f:#?}");
        assert!(f.iter().any(|f| f.rule.code == "VCH-KER-001" && f.message.contains("'lam'")), "{f:#?}");
    }

    /// `lambda x: __import__('os').system('id') or x`, marshalled by CPython 3.11.
    const EVIL_CODE: &str = "4wEAAAAAAAAAAAAAAAMAAAADAAAA80oAAACXAHQBAAAAAAAAAAAAAGQBpgEAAKsBAAAAAAAAAACgAQAAAAAAAAAAAAAAAAAAAAAAAAAAZAKmAQAAqwEAAAAAAAAAAHABfABTACkDTtoCb3PaAmlkKQLaCl9faW1wb3J0X1/aBnN5c3RlbSkB2gF4cwEAAAAg+gg8c3RyaW5nPvoIPGxhbWJkYT5yCAAAAAMAAABzIQAAAIAAjWqYFNEOHtQOHtcOJdIOJaBk0Q4r1A4r0A4wqHGAAPMAAAAA";

    #[test]
    fn dangerous_bytecode_is_critical_in_both_keras_generations() {
        let k2 = format!(
            r#"{{"class_name": "Sequential", "config": {{"layers": [{{"class_name": "Lambda",
                "config": {{"name": "l", "function": ["{EVIL_CODE}", null, null], "function_type": "lambda", "module": "__main__"}}}}]}}}}"#
        );
        let k3 = format!(
            r#"{{"module": "keras", "class_name": "Sequential", "config": {{"layers": [{{"module": "keras.layers", "class_name": "Lambda",
                "config": {{"name": "l", "function": {{"class_name": "__lambda__", "config": {{"code": "{EVIL_CODE}"}}}}}}}}]}}}}"#
        );
        for json in [k2, k3] {
            let f = analyse_config(&json);
            assert_eq!(codes(&f), vec![("VCH-KER-001", Severity::Critical)], "{f:#?}");
            assert!(f[0].evidence.contains("__import__") && f[0].evidence.contains("system"), "{}", f[0].evidence);
        }
    }

    #[test]
    fn lambdas_inside_wrappers_nested_models_and_other_objects() {
        let json = format!(
            r#"{{"class_name": "Sequential", "config": {{"layers": [
                {{"class_name": "TimeDistributed", "config": {{"name": "td", "layer": {{"class_name": "Lambda", "config": {{"name": "inner", "function": ["{EVIL_CODE}", null, null], "function_type": "lambda"}}}}}}}},
                {{"class_name": "Bidirectional", "config": {{"layer": {{"module": "keras.layers", "class_name": "Lambda", "config": {{"name": "bi"}}}}}}}},
                {{"class_name": "Functional", "config": {{"layers": [{{"class_name": "Lambda", "config": {{"name": "deep", "function": "lambda x: x"}}}}]}}}},
                {{"class_name": "Dense", "config": {{"activation": {{"class_name": "__lambda__", "config": {{"code": "{EVIL_CODE}"}}}}}}}}
            ]}}}}"#
        );
        let f = analyse_config(&json);
        let lambdas: Vec<&str> = f.iter().filter(|f| f.rule.code == "VCH-KER-001").map(|f| f.message.as_str()).collect();
        assert_eq!(lambdas.len(), 4, "{f:#?}");
        for want in ["'inner'", "'bi'", "'deep'", "__lambda__"] {
            assert!(lambdas.iter().any(|m| m.contains(want)), "{want}: {lambdas:#?}");
        }
        assert_eq!(f.len(), 4, "{f:#?}");
    }

    #[test]
    fn foreign_modules_and_registered_names() {
        let cases = [
            (r#"{"module": "mypkg.layers", "class_name": "MyLayer", "config": {}}"#, Some(Severity::High), "mypkg.layers.MyLayer"),
            (r#"{"module": "__main__", "class_name": "MyLayer", "config": {}}"#, Some(Severity::High), "__main__.MyLayer"),
            (
                r#"{"module": "keras.src", "class_name": "X", "registered_name": "builtins>eval"}"#,
                Some(Severity::Critical),
                "builtins>eval",
            ),
            (r#"{"class_name": "os.system", "config": {}}"#, Some(Severity::Critical), "os.system"),
            (
                r#"{"class_name": "function", "module": "subprocess", "config": "check_output"}"#,
                Some(Severity::Critical),
                "subprocess.check_output",
            ),
            (r#"{"class_name": "MyLayer", "registered_name": "MyPackage>MyLayer"}"#, Some(Severity::High), "MyPackage>MyLayer"),
            // Keras' own packages, and tf_keras built-ins registered under "Custom>".
            (
                r#"{"module": "keras_hub.src.models", "class_name": "GemmaBackbone", "registered_name": "keras_hub>GemmaBackbone"}"#,
                None,
                "",
            ),
            (r#"{"module": "tensorflow.python.keras.layers", "class_name": "Dense"}"#, None, ""),
            (r#"{"class_name": "Custom>Adam", "config": {}}"#, None, ""),
            (r#"{"module": "kerasevil", "class_name": "X"}"#, Some(Severity::High), "kerasevil.X"),
            (r#"{"class_name": "TFOpLambda", "config": {"function": "math.add"}}"#, None, ""),
        ];
        for (json, severity, evidence) in cases {
            let f = analyse_config(json);
            match severity {
                None => assert!(f.is_empty(), "{json}: {f:#?}"),
                Some(s) => {
                    assert_eq!(codes(&f), vec![("VCH-KER-002", s)], "{json}: {f:#?}");
                    assert!(f[0].evidence.contains(evidence), "{json}: {}", f[0].evidence);
                }
            }
        }
    }

    /// Only a real Lambda layer's config may carry a non-Keras `module` without its own finding.
    #[test]
    fn function_type_key_does_not_exempt_other_objects() {
        let f = analyse_config(r#"{"module": "os", "class_name": "function", "config": "system", "function_type": "lambda"}"#);
        assert_eq!(codes(&f), vec![("VCH-KER-002", Severity::Critical)], "{f:#?}");
    }

    /// A Keras 2 lambda's `module` becomes its globals: `os` there hands the code `system`.
    #[test]
    fn keras2_lambda_module_and_named_functions() {
        let f = analyse_config(
            r#"{"class_name": "Lambda", "config": {"name": "n", "function": "lambda x: system('id')", "function_type": "lambda", "module": "os"}}"#,
        );
        assert_eq!(codes(&f), vec![("VCH-KER-001", Severity::Critical)], "{f:#?}");
        assert!(f[0].evidence.contains("module: os"), "{}", f[0].evidence);
        let f = analyse_config(
            r#"{"class_name": "Lambda", "config": {"name": "n", "function": "system", "function_type": "function", "module": "os"}}"#,
        );
        assert_eq!(codes(&f), vec![("VCH-KER-001", Severity::Critical)], "{f:#?}");
    }

    #[test]
    fn training_config_is_judged_too() {
        // An HDF5 file whose training_config names a loss from os: reuse a real file and only
        // check the JSON route, which is what analyse_h5 applies to training_config.
        let f = analyse_json(
            r#"{"loss": {"module": "os", "class_name": "function", "config": "system"}, "optimizer_config": {"class_name": "Custom>Adam"}}"#,
            "training_config",
        );
        assert_eq!(codes(&f), vec![("VCH-KER-002", Severity::Critical)], "{f:#?}");
        assert!(f[0].message.starts_with("training_config"));
    }

    #[test]
    fn malformed_configs_and_files() {
        for json in ["", "{", "not json", "[1, 2", "\"unterminated"] {
            let f = analyse_config(json);
            assert_eq!(codes(&f), vec![("VCH-KER-003", Severity::Info)], "{json:?}: {f:#?}");
            assert!(f[0].rule.incomplete);
        }
        // Nesting far beyond serde_json's recursion limit: refused, not a stack overflow.
        let deep = "[".repeat(200_000);
        assert_eq!(codes(&analyse_config(&deep)), vec![("VCH-KER-003", Severity::Info)]);
        let f = h5(b"\x89HDF\r\n\x1a\n truncated");
        assert_eq!(codes(&f), vec![("VCH-H5-001", Severity::Info)], "{f:#?}");
        assert!(f[0].rule.incomplete);
    }

    #[test]
    fn findings_are_capped() {
        let layer = r#"{"class_name": "Lambda", "config": {"function": "lambda x: x"}}"#;
        let json = format!(r#"{{"config": {{"layers": [{}]}}}}"#, vec![layer; 1000].join(","));
        let f = analyse_config(&json);
        assert_eq!(f.len(), MAX_FINDINGS + 1);
        assert!(f.last().unwrap().message.contains("744 more findings"), "{}", f.last().unwrap().message);
    }

    #[test]
    fn keras_zip_member_sets() {
        assert!(is_keras_zip_member_set(&["metadata.json", "config.json", "model.weights.h5"]));
        assert!(is_keras_zip_member_set(&["config.json", "metadata.json"]));
        assert!(!is_keras_zip_member_set(&["config.json", "model.safetensors"]));
        assert!(!is_keras_zip_member_set(&["archive/data.pkl", "archive/version"]));
        assert!(!is_keras_zip_member_set(&["sub/config.json", "sub/metadata.json"]));
    }

    #[test]
    fn base64_and_marshal_scanning() {
        assert_eq!(base64_decode("aGVs\nbG8=\n").unwrap(), b"hello");
        assert!(base64_decode("lambda x: x").is_none());
        let names = marshal_names(&base64_decode(EVIL_CODE).unwrap());
        for want in ["os", "id", "__import__", "system", "x", "<lambda>"] {
            assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
        }
        assert!(marshal_names(&[0x7a, 0xff]).is_empty());
        assert!(marshal_names(&[b'a', 0xff, 0xff, 0xff, 0xff, b'x']).is_empty());
    }

    use crate::testutil::Rng as XorShift;

    /// 20,000 mutated configurations (bytes flipped, JSON fragments spliced in, truncations):
    /// the analyser reports, never panics.
    #[test]
    fn config_mutations_never_panic() {
        let seeds: Vec<Vec<u8>> = ["k3_lambda_times_two.keras", "k3_cve_2025_1550.keras", "k3_benign_dense.keras"]
            .iter()
            .map(|f| keras_config(f).into_bytes())
            .chain([format!(r#"{{"class_name": "Lambda", "config": {{"function": ["{EVIL_CODE}", null, null]}}}}"#).into_bytes()])
            .collect();
        let fragments: [&[u8]; 10] = [
            b"{",
            b"}",
            b"[",
            b"\"class_name\": \"Lambda\", ",
            b"\"class_name\": \"__lambda__\", ",
            b"\"module\": \"os\", ",
            b"\"registered_name\": \"a>b\", ",
            b"{\"code\": \"4wEAAA\"}",
            b"\"function_type\": \"lambda\", ",
            b"null",
        ];
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let mut d = seeds[rng.below(seeds.len())].clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(d.len());
                match rng.below(4) {
                    0 if !d.is_empty() => d[at] = rng.next() as u8,
                    1 => {
                        let frag = fragments[rng.below(fragments.len())];
                        d.splice(at..at, frag.iter().copied());
                    }
                    2 => {
                        let end = (at + rng.below(40)).min(d.len());
                        d.drain(at..end);
                    }
                    _ => d.truncate(at),
                }
            }
            let _ = analyse_config(&String::from_utf8_lossy(&d));
        }
    }
}

/// `keras_metadata.pb` (tf.keras SavedModel): a `SavedMetadata` protobuf whose `nodes[].metadata`
/// strings are the JSON configs Keras deserialises for every layer, Lambda layers included.
/// Fields (tensorflow/python/keras/protobuf/saved_metadata.proto): SavedMetadata.nodes = 1;
/// SavedObject.node_path = 3, metadata = 5.
pub fn analyse_saved_metadata(data: &[u8]) -> Vec<Finding> {
    use crate::proto_gen::read_varint as varint;
    /// Length-delimited fields of one message: (field number, bytes); None when malformed.
    fn fields(b: &[u8]) -> Option<Vec<(u64, &[u8])>> {
        let (mut p, mut out) = (0usize, Vec::new());
        while p < b.len() {
            let tag = varint(b, &mut p)?;
            match tag & 7 {
                0 => {
                    varint(b, &mut p)?;
                }
                1 => p = p.checked_add(8)?,
                5 => p = p.checked_add(4)?,
                2 => {
                    let len = usize::try_from(varint(b, &mut p)?).ok()?;
                    let end = p.checked_add(len).filter(|&e| e <= b.len())?;
                    out.push((tag >> 3, &b[p..end]));
                    p = end;
                }
                _ => return None,
            }
        }
        (p == b.len()).then_some(out)
    }
    let malformed = || vec![Finding::new(&KER_MALFORMED, "keras_metadata.pb is not a valid SavedMetadata protobuf")];
    let Some(top) = fields(data) else { return malformed() };
    let mut out = Vec::new();
    for (_, node) in top.iter().filter(|(f, _)| *f == 1) {
        let Some(inner) = fields(node) else { return malformed() };
        let path = inner.iter().find(|(f, _)| *f == 3).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        for (_, meta) in inner.iter().filter(|(f, _)| *f == 5) {
            for f in analyse_config(&String::from_utf8_lossy(meta)) {
                let message = format!("keras_metadata node {path:?}: {}", f.message);
                out.push(Finding { message, ..f });
            }
        }
    }
    out
}

#[cfg(test)]
mod saved_metadata_tests {
    fn field(n: u64, body: &[u8]) -> Vec<u8> {
        let mut v = vec![((n << 3) | 2) as u8];
        let mut len = body.len();
        loop {
            let b = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                v.push(b);
                break;
            }
            v.push(b | 0x80);
        }
        v.extend_from_slice(body);
        v
    }

    #[test]
    fn lambda_layer_in_keras_metadata() {
        let lambda = br#"{"class_name": "Lambda", "config": {"name": "l", "function": "lambda x: __import__('os').system('id')", "function_type": "lambda", "module": "__main__"}}"#;
        let dense = br#"{"class_name": "Dense", "config": {"name": "d", "units": 2}}"#;
        let mut node1 = field(3, b"root.layer-0");
        node1.extend(field(5, lambda));
        let mut node2 = field(3, b"root.layer-1");
        node2.extend(field(5, dense));
        let mut pb = field(1, &node1);
        pb.extend(field(1, &node2));
        let f = super::analyse_saved_metadata(&pb);
        assert!(f.iter().any(|x| x.rule.code == "VCH-KER-001" && x.message.contains("root.layer-0")), "{f:#?}");
        let mut benign = field(1, &node2);
        benign.extend(field(1, &node2));
        assert!(super::analyse_saved_metadata(&benign).is_empty());
        assert_eq!(super::analyse_saved_metadata(b"\x0a\xff\xff")[0].rule.code, "VCH-KER-003");
    }
}
