//! ONNX models (`ModelProto`). Loading an ONNX model runs no Python, but it does two things an
//! attacker can steer: it reads tensor data from files named in the model (`external_data`
//! `location`, resolved against the model's folder), and it looks up operators by domain, where
//! a non-standard domain means native code from a custom-op library the user is asked to load.
//! Declared tensor sizes are checked too, since runtimes trust them when they map data.
//!
//! Every graph is walked: the main graph, subgraphs held in node attributes (If, Loop, Scan
//! bodies, to a depth bound), training graphs and model-local functions.

use crate::proto_gen;
use crate::proto_gen::onnx::{tensor_proto, AttributeProto, GraphProto, ModelProto, NodeProto, SparseTensorProto, TensorProto};
pub use crate::proto_gen::ProtoLimits;
use crate::source::Source;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use vouch_report::rules::{Rule, ONNX_CUSTOM_DOMAIN, ONNX_MALFORMED, ONNX_PATH_TRAVERSAL};
use vouch_report::Finding;

/// What the model says about itself, for the BOM.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnnxInfo {
    pub ir_version: i64,
    pub producer_name: String,
    pub producer_version: String,
    pub domain: String,
    pub model_version: i64,
    /// `(domain, version)`; the default domain is `""`.
    pub opset_imports: Vec<(String, i64)>,
    pub metadata_props: Vec<(String, String)>,
    /// Initializers (dense and sparse) in every graph, subgraphs included.
    pub initializer_count: usize,
    /// Elements of those initializers (stored values for sparse ones).
    pub parameters: u128,
    /// Distinct external data locations, as written in the model.
    pub external_data: Vec<String>,
}

/// Operator domains whose kernels ship inside onnxruntime itself, so using them loads no
/// foreign native code. From onnxruntime's `core/graph/constants.h`:
/// - `""`/`ai.onnx`, `ai.onnx.ml`: the ONNX standard operator sets (kOnnxDomain, kMLDomain);
/// - `ai.onnx.preview`, `ai.onnx.training`, `ai.onnx.preview.training`: ONNX's own preview
///   and training operator sets (`onnx.defs.AI_ONNX_PREVIEW_DOMAIN`, ...);
/// - `com.microsoft` (kMSDomain): onnxruntime's contrib ops (Attention, FusedMatMul, quantized
///   ops) that its own optimizer and exporters (transformers, olive) write into saved models;
/// - `com.microsoft.nchwc`, `com.ms.internal.nhwc`, `com.microsoft.experimental`,
///   `com.microsoft.dml`: layouts and fused kernels onnxruntime's graph transformers emit when
///   an optimized model is saved.
///
/// Left out on purpose: `ai.onnx.contrib` and `com.microsoft.extensions` (onnxruntime-extensions,
/// a separate library registered with `register_custom_ops_library`), vendor execution-provider
/// domains (`com.intel.ai`, `com.xilinx`, ...) and `org.pytorch.aten` (needs a PyTorch callback).
const STANDARD_DOMAINS: &[&str] = &[
    "",
    "ai.onnx",
    "ai.onnx.ml",
    "ai.onnx.preview",
    "ai.onnx.training",
    "ai.onnx.preview.training",
    "com.microsoft",
    "com.microsoft.nchwc",
    "com.ms.internal.nhwc",
    "com.microsoft.experimental",
    "com.microsoft.dml",
];

/// Findings of one rule listed one by one before the rest are counted.
const MAX_PER_RULE: usize = 32;
/// Operator types named in one custom-domain finding.
const MAX_OPS_LISTED: usize = 16;

/// Analyses one ONNX model file.
pub fn analyse(src: &dyn Source, limits: &ProtoLimits) -> (Option<OnnxInfo>, Vec<Finding>) {
    let data = match proto_gen::read_all(src, limits) {
        Ok(d) => d,
        Err(e) => return (None, vec![Finding::new(&ONNX_MALFORMED, format!("ONNX model not analysed: {e}"))]),
    };
    let model: ModelProto = match proto_gen::decode(&data) {
        Ok(m) => m,
        Err(e) => return (None, vec![Finding::new(&ONNX_MALFORMED, format!("cannot decode the ONNX ModelProto: {e}"))]),
    };
    drop(data);
    let mut info = OnnxInfo {
        ir_version: model.ir_version.unwrap_or(0),
        producer_name: model.producer_name.clone().unwrap_or_default(),
        producer_version: model.producer_version.clone().unwrap_or_default(),
        domain: model.domain.clone().unwrap_or_default(),
        model_version: model.model_version.unwrap_or(0),
        opset_imports: model.opset_import.iter().map(|o| (o.domain.clone().unwrap_or_default(), o.version.unwrap_or(0))).collect(),
        metadata_props: model
            .metadata_props
            .iter()
            .map(|p| (p.key.clone().unwrap_or_default(), p.value.clone().unwrap_or_default()))
            .collect(),
        ..OnnxInfo::default()
    };
    let local_functions =
        model.functions.iter().map(|f| (f.domain.clone().unwrap_or_default(), f.name.clone().unwrap_or_default())).collect();
    let mut walk = Walk {
        limits,
        local_functions,
        findings: Vec::new(),
        per_rule: BTreeMap::new(),
        custom: BTreeMap::new(),
        external: BTreeSet::new(),
        initializers: 0,
        parameters: 0,
        depth_reported: false,
    };
    match &model.graph {
        Some(g) => walk.graph(g, &graph_label(g, "main graph"), 0),
        None => walk.push(Finding::new(&ONNX_MALFORMED, "the model has no graph")),
    }
    for (i, t) in model.training_info.iter().enumerate() {
        for (g, what) in [(&t.initialization, "initialization"), (&t.algorithm, "algorithm")] {
            if let Some(g) = g {
                walk.graph(g, &format!("training_info[{i}] {what} graph"), 1);
            }
        }
    }
    for f in &model.functions {
        let label = format!("function {}:{}", f.domain.as_deref().unwrap_or(""), f.name.as_deref().unwrap_or(""));
        for n in &f.node {
            walk.node(n, &label, 1);
        }
    }
    let mut findings = walk.finish();
    info.initializer_count = walk.initializers;
    info.parameters = walk.parameters;
    info.external_data = walk.external.into_iter().collect();
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    (Some(info), findings)
}

fn graph_label(g: &GraphProto, fallback: &str) -> String {
    match g.name.as_deref() {
        Some(n) if !n.is_empty() => format!("graph {n:?}"),
        _ => fallback.to_string(),
    }
}

struct Walk<'a> {
    limits: &'a ProtoLimits,
    local_functions: HashSet<(String, String)>,
    findings: Vec<Finding>,
    per_rule: BTreeMap<&'static str, (usize, &'static Rule)>,
    /// domain -> (op types, first node seen using it)
    custom: BTreeMap<String, (BTreeSet<String>, String)>,
    external: BTreeSet<String>,
    initializers: usize,
    parameters: u128,
    depth_reported: bool,
}

impl Walk<'_> {
    fn push(&mut self, f: Finding) {
        let e = self.per_rule.entry(f.rule.code).or_insert((0, f.rule));
        e.0 += 1;
        if e.0 <= MAX_PER_RULE {
            self.findings.push(f);
        }
    }

    fn finish(&mut self) -> Vec<Finding> {
        for (domain, (ops, first)) in std::mem::take(&mut self.custom) {
            let mut list: Vec<&str> = ops.iter().map(String::as_str).take(MAX_OPS_LISTED).collect();
            if ops.len() > MAX_OPS_LISTED {
                list.push("…");
            }
            let list = list.join(", ");
            self.push(
                Finding::new(
                    &ONNX_CUSTOM_DOMAIN,
                    format!("operators from the non-standard domain {domain:?} need a custom-op library: {list}"),
                )
                .evidence(format!("domain={domain} ops=[{list}] first node {first}")),
            );
        }
        for (code, (n, rule)) in std::mem::take(&mut self.per_rule) {
            if n > MAX_PER_RULE {
                self.findings.push(Finding::new(rule, format!("{} more {code} findings not listed", n - MAX_PER_RULE)));
            }
        }
        std::mem::take(&mut self.findings)
    }

    fn graph(&mut self, g: &GraphProto, label: &str, depth: u32) {
        for t in &g.initializer {
            self.initializers += 1;
            if let Some(n) = self.tensor(t, &format!("initializer {:?} in {label}", t.name.as_deref().unwrap_or(""))) {
                self.parameters = self.parameters.saturating_add(n);
            }
        }
        for s in &g.sparse_initializer {
            self.initializers += 1;
            if let Some(n) = self.sparse(s, &format!("sparse initializer in {label}")) {
                self.parameters = self.parameters.saturating_add(n);
            }
        }
        for n in &g.node {
            self.node(n, label, depth);
        }
    }

    fn node(&mut self, n: &NodeProto, label: &str, depth: u32) {
        let node_name = n.name.as_deref().unwrap_or("");
        let op = n.op_type.as_deref().unwrap_or("");
        let domain = n.domain.as_deref().unwrap_or("");
        let is_local = self.local_functions.contains(&(domain.to_string(), op.to_string()));
        if !STANDARD_DOMAINS.contains(&domain) && !is_local {
            let e = self.custom.entry(domain.to_string()).or_insert_with(|| (BTreeSet::new(), format!("{node_name:?} in {label}")));
            e.0.insert(op.to_string());
        }
        for a in &n.attribute {
            self.attribute(a, &format!("node {node_name:?} ({op}) in {label}"), depth);
        }
    }

    fn attribute(&mut self, a: &AttributeProto, owner: &str, depth: u32) {
        let attr = a.name.as_deref().unwrap_or("");
        let ctx = format!("attribute {attr:?} of {owner}");
        for t in a.t.iter().chain(&a.tensors) {
            self.tensor(t, &ctx);
        }
        for s in a.sparse_tensor.iter().chain(&a.sparse_tensors) {
            self.sparse(s, &ctx);
        }
        for g in a.g.iter().chain(&a.graphs) {
            if depth + 1 > self.limits.max_depth {
                if !self.depth_reported {
                    self.depth_reported = true;
                    self.push(Finding::new(
                        &ONNX_MALFORMED,
                        format!("subgraphs nested deeper than {} levels were not analysed ({ctx})", self.limits.max_depth),
                    ));
                }
                continue;
            }
            self.graph(g, &format!("subgraph {:?} of {ctx}", g.name.as_deref().unwrap_or("")), depth + 1);
        }
    }

    fn sparse(&mut self, s: &SparseTensorProto, ctx: &str) -> Option<u128> {
        if let Some(i) = &s.indices {
            self.tensor(i, &format!("indices of {ctx}"));
        }
        let values = s.values.as_ref()?;
        self.tensor(values, &format!("values of {ctx}"))
    }

    /// Checks one tensor; returns its element count when the dims are sound.
    fn tensor(&mut self, t: &TensorProto, ctx: &str) -> Option<u128> {
        let name = t.name.as_deref().unwrap_or("");
        let dt = t.data_type.unwrap_or(0);
        let mut count = Some(1u128);
        for &d in &t.dims {
            if d < 0 {
                self.push(
                    Finding::new(&ONNX_MALFORMED, format!("{ctx} has a negative dimension")).evidence(format!("{name} dims={:?}", t.dims)),
                );
                return None;
            }
            count = count.and_then(|c| c.checked_mul(d as u128));
        }
        let Some(n) = count else {
            self.push(
                Finding::new(&ONNX_MALFORMED, format!("{ctx}: element count overflows")).evidence(format!("{name} dims={:?}", t.dims)),
            );
            return None;
        };
        let external = t.data_location == Some(tensor_proto::DataLocation::External as i32);
        if external || !t.external_data.is_empty() {
            self.external_tensor(t, ctx, n, dt, external);
            return Some(n);
        }
        self.inline_tensor(t, ctx, n, dt);
        Some(n)
    }

    fn external_tensor(&mut self, t: &TensorProto, ctx: &str, n: u128, dt: i32, external: bool) {
        let name = t.name.as_deref().unwrap_or("");
        let mut keys: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &t.external_data {
            keys.entry(e.key.as_deref().unwrap_or("")).or_default().push(e.value.as_deref().unwrap_or(""));
        }
        for (k, vals) in &keys {
            if vals.len() > 1 && vals.windows(2).any(|w| w[0] != w[1]) {
                self.push(
                    Finding::new(&ONNX_MALFORMED, format!("{ctx}: external_data repeats {k:?} with different values, so loaders disagree"))
                        .evidence(format!("{name} {k}={vals:?}")),
                );
            }
        }
        let locations = keys.get("location").cloned().unwrap_or_default();
        for loc in &locations {
            self.external.insert(loc.to_string());
            if let Some(why) = escapes_model_folder(loc) {
                self.push(
                    Finding::new(&ONNX_PATH_TRAVERSAL, format!("{ctx} reads its data from {loc:?}, {why}"))
                        .evidence(format!("tensor={name} location={loc}")),
                );
            }
        }
        if external && locations.is_empty() {
            self.push(
                Finding::new(&ONNX_MALFORMED, format!("{ctx} stores its data externally but names no location")).evidence(name.to_string()),
            );
        }
        let number = |k: &str| -> Result<Option<u64>, String> {
            match keys.get(k).and_then(|v| v.last()) {
                None => Ok(None),
                // onnx reads these with int(); a negative or non-numeric value is an error there.
                Some(v) => v.trim().parse::<u64>().map(Some).map_err(|_| format!("{k}={v:?}")),
            }
        };
        let (offset, length) = match (number("offset"), number("length")) {
            (Ok(o), Ok(l)) => (o.unwrap_or(0), l),
            (Err(bad), _) | (_, Err(bad)) => {
                self.push(
                    Finding::new(&ONNX_MALFORMED, format!("{ctx}: external_data {bad} is not a non-negative integer"))
                        .evidence(format!("{name} {bad}")),
                );
                return;
            }
        };
        let end = length.map_or(Some(offset), |l| offset.checked_add(l));
        if end.is_none_or(|e| e > i64::MAX as u64) {
            self.push(
                Finding::new(&ONNX_MALFORMED, format!("{ctx}: external data offset {offset} + length {length:?} exceeds any file size"))
                    .evidence(format!("{name} offset={offset} length={length:?}")),
            );
            return;
        }
        if let (Some(len), Some(need)) = (length, byte_size(dt, n)) {
            if u128::from(len) != need {
                self.push(
                    Finding::new(
                        &ONNX_MALFORMED,
                        format!("{ctx}: external data length {len} but dims {:?} of {} need {need} bytes", t.dims, dtype_name(dt)),
                    )
                    .evidence(format!("{name} length={len} expected={need}")),
                );
            }
        }
    }

    fn inline_tensor(&mut self, t: &TensorProto, ctx: &str, n: u128, dt: i32) {
        use tensor_proto::DataType as D;
        let name = t.name.as_deref().unwrap_or("");
        let fields: Vec<(&str, usize)> = [
            ("raw_data", t.raw_data.as_ref().map(|r| r.len())),
            ("float_data", Some(t.float_data.len()).filter(|&l| l > 0)),
            ("int32_data", Some(t.int32_data.len()).filter(|&l| l > 0)),
            ("string_data", Some(t.string_data.len()).filter(|&l| l > 0)),
            ("int64_data", Some(t.int64_data.len()).filter(|&l| l > 0)),
            ("double_data", Some(t.double_data.len()).filter(|&l| l > 0)),
            ("uint64_data", Some(t.uint64_data.len()).filter(|&l| l > 0)),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let bad = |msg: String| {
            Finding::new(&ONNX_MALFORMED, format!("{ctx}: {msg}")).evidence(format!(
                "{name} dims={:?} data_type={}",
                t.dims,
                dtype_name(dt)
            ))
        };
        if dtype_name(dt) == "unknown" {
            self.push(bad(format!("unknown data_type {dt}")));
            return;
        }
        let [(field, have)] = fields.as_slice() else {
            if fields.len() > 1 {
                let names: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
                self.push(bad(format!("holds data in more than one field ({})", names.join(", "))));
            } else if n > 0 {
                self.push(bad(format!("declares {n} elements but holds no data")));
            }
            return;
        };
        let have = *have as u128;
        let is = |types: &[D]| types.iter().any(|&d| d as i32 == dt);
        let need = match *field {
            "raw_data" => match byte_size(dt, n) {
                Some(b) => b,
                None => return self.push(bad(format!("raw_data cannot hold {}", dtype_name(dt)))),
            },
            "float_data" if is(&[D::Float]) => n,
            "float_data" if is(&[D::Complex64]) => n.saturating_mul(2),
            "double_data" if is(&[D::Double]) => n,
            "double_data" if is(&[D::Complex128]) => n.saturating_mul(2),
            "int64_data" if is(&[D::Int64]) => n,
            "uint64_data" if is(&[D::Uint32, D::Uint64]) => n,
            "string_data" if is(&[D::String]) => n,
            "int32_data" if is(&[D::Uint4, D::Int4, D::Float4e2m1]) => n.div_ceil(2),
            "int32_data" if is(&[D::Uint2, D::Int2]) => n.div_ceil(4),
            "int32_data"
                if !is(&[D::Float, D::Double, D::Int64, D::Uint32, D::Uint64, D::String, D::Complex64, D::Complex128, D::Undefined]) =>
            {
                n
            }
            _ => return self.push(bad(format!("{field} cannot hold {}", dtype_name(dt)))),
        };
        if have != need {
            let unit = if *field == "raw_data" { "bytes" } else { "values" };
            self.push(bad(format!("dims {:?} of {} need {need} {unit} but {field} has {have}", t.dims, dtype_name(dt))));
        }
    }
}

/// Why a location leaves the model's folder, if it does. Loaders join it to the folder.
fn escapes_model_folder(loc: &str) -> Option<&'static str> {
    let b = loc.as_bytes();
    if loc.starts_with('/') || loc.starts_with('\\') {
        Some("an absolute path")
    } else if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        Some("a drive-letter path")
    } else if loc.split(['/', '\\']).any(|c| c == "..") {
        Some("a path that climbs out of the model folder")
    } else if loc.contains('\0') {
        Some("a path with a NUL byte, which C++ loaders cut short")
    } else {
        None
    }
}

fn dtype_name(dt: i32) -> &'static str {
    tensor_proto::DataType::try_from(dt).map_or("unknown", |d| d.as_str_name())
}

/// Bytes of `n` elements packed as raw_data; `None` for strings and unknown types.
fn byte_size(dt: i32, n: u128) -> Option<u128> {
    use tensor_proto::DataType as D;
    let bits: u128 = match D::try_from(dt).ok()? {
        D::Undefined | D::String => return None,
        D::Uint2 | D::Int2 => 2,
        D::Uint4 | D::Int4 | D::Float4e2m1 => 4,
        D::Float6e2m3 | D::Float6e3m2 => 6,
        D::Uint8 | D::Int8 | D::Bool | D::Float8e4m3fn | D::Float8e4m3fnuz | D::Float8e5m2 | D::Float8e5m2fnuz | D::Float8e8m0 => 8,
        D::Uint16 | D::Int16 | D::Float16 | D::Bfloat16 => 16,
        D::Float | D::Int32 | D::Uint32 => 32,
        D::Int64 | D::Uint64 | D::Double | D::Complex64 => 64,
        D::Complex128 => 128,
    };
    Some(n.checked_mul(bits)?.div_ceil(8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto_gen::onnx::{FunctionProto, OperatorSetIdProto, StringStringEntryProto};
    use prost::Message;
    use std::path::PathBuf;

    fn run(bytes: Vec<u8>) -> (Option<OnnxInfo>, Vec<Finding>) {
        analyse(&bytes, &ProtoLimits::default())
    }

    fn fixture(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/onnx").join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
    }

    fn has(f: &[Finding], code: &str, needle: &str) -> bool {
        f.iter().any(|f| f.rule.code == code && (f.message.contains(needle) || f.evidence.contains(needle)))
    }

    fn f32_tensor(name: &str, dims: &[i64], raw: usize) -> TensorProto {
        TensorProto {
            name: Some(name.into()),
            dims: dims.to_vec(),
            data_type: Some(tensor_proto::DataType::Float as i32),
            raw_data: Some(vec![0u8; raw].into()),
            ..TensorProto::default()
        }
    }

    fn model_with(initializer: Vec<TensorProto>, node: Vec<NodeProto>) -> ModelProto {
        ModelProto {
            ir_version: Some(8),
            opset_import: vec![OperatorSetIdProto { domain: Some(String::new()), version: Some(17) }],
            graph: Some(GraphProto { name: Some("g".into()), initializer, node, ..GraphProto::default() }),
            ..ModelProto::default()
        }
    }

    fn external(name: &str, entries: &[(&str, &str)]) -> TensorProto {
        TensorProto {
            name: Some(name.into()),
            dims: vec![4, 3],
            data_type: Some(tensor_proto::DataType::Float as i32),
            data_location: Some(tensor_proto::DataLocation::External as i32),
            external_data: entries
                .iter()
                .map(|(k, v)| StringStringEntryProto { key: Some(k.to_string()), value: Some(v.to_string()) })
                .collect(),
            ..TensorProto::default()
        }
    }

    fn node(op: &str, domain: &str) -> NodeProto {
        NodeProto { name: Some(format!("n_{op}")), op_type: Some(op.into()), domain: Some(domain.into()), ..NodeProto::default() }
    }

    #[test]
    fn real_benign_models_are_clean() {
        let (info, f) = run(fixture("benign.onnx"));
        assert!(f.is_empty(), "{f:?}");
        let info = info.unwrap();
        assert_eq!(info.ir_version, 8);
        assert_eq!(info.producer_name, "vouch-fixtures");
        assert!(info.opset_imports.contains(&(String::new(), 17)));
        assert!(info.metadata_props.contains(&("author".into(), "vouch".into())));
        assert_eq!(info.initializer_count, 3);
        assert_eq!(info.parameters, 12 + 3 + 1);
        let (info, f) = run(fixture("benign_external.onnx"));
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(info.unwrap().external_data, ["benign_external.onnx.data"]);
    }

    #[test]
    fn real_traversal_models() {
        for (file, loc) in [("traversal_relative.onnx", "../../etc/passwd"), ("traversal_absolute.onnx", "/etc/shadow")] {
            let (_, f) = run(fixture(file));
            assert_eq!(f.len(), 1, "{file}: {f:?}");
            assert_eq!(f[0].rule.code, "VCH-ONNX-001");
            assert_eq!(f[0].evidence, format!("tensor=W location={loc}"));
        }
    }

    #[test]
    fn real_custom_domain_model() {
        let (_, f) = run(fixture("custom_domain.onnx"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(&f, "VCH-ONNX-002", "\"com.example.evil\" need a custom-op library: RunShell"));
    }

    #[test]
    fn location_forms() {
        for loc in ["/etc/passwd", "\\\\server\\share\\x", "C:\\Windows\\win.ini", "c:/x", "a/../../b", "..\\x", "..", "w.bin\0../../x"] {
            assert!(escapes_model_folder(loc).is_some(), "{loc}");
        }
        for loc in ["weights.bin", "sub/dir/w.bin", "..weights", "a..b/c", "model.onnx_data"] {
            assert!(escapes_model_folder(loc).is_none(), "{loc}");
        }
    }

    #[test]
    fn external_data_checks() {
        type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
        let cases: Vec<Case> = vec![
            (vec![("location", "w.bin"), ("offset", "0"), ("length", "48")], "", ""),
            (vec![("location", "w.bin")], "", ""),
            (vec![("offset", "0")], "VCH-ONNX-003", "names no location"),
            (vec![("location", "w.bin"), ("offset", "-1")], "VCH-ONNX-003", "offset=\"-1\""),
            (vec![("location", "w.bin"), ("length", "lots")], "VCH-ONNX-003", "length=\"lots\""),
            (vec![("location", "w.bin"), ("offset", "9223372036854775807"), ("length", "48")], "VCH-ONNX-003", "exceeds any file size"),
            (vec![("location", "w.bin"), ("offset", "18446744073709551615"), ("length", "48")], "VCH-ONNX-003", "exceeds any file size"),
            (vec![("location", "w.bin"), ("length", "4096")], "VCH-ONNX-003", "need 48 bytes"),
            (vec![("location", "w.bin"), ("location", "../x")], "VCH-ONNX-003", "repeats \"location\""),
            (vec![("location", "w.bin"), ("location", "../x")], "VCH-ONNX-001", "location=../x"),
        ];
        for (entries, code, needle) in cases {
            let (_, f) = run(model_with(vec![external("W", &entries)], vec![]).encode_to_vec());
            if code.is_empty() {
                assert!(f.is_empty(), "{entries:?}: {f:?}");
            } else {
                assert!(has(&f, code, needle), "{entries:?}: {f:?}");
            }
        }
        // external_data without data_location=EXTERNAL is ignored by loaders, but the path is
        // still reported: another tool may honour it.
        let mut t = external("W", &[("location", "/etc/passwd")]);
        t.data_location = None;
        t.raw_data = Some(vec![0u8; 48].into());
        let (_, f) = run(model_with(vec![t], vec![]).encode_to_vec());
        assert!(has(&f, "VCH-ONNX-001", "/etc/passwd"), "{f:?}");
    }

    #[test]
    fn inline_size_checks() {
        use tensor_proto::DataType as D;
        let ok = |t: TensorProto| {
            let (_, f) = run(model_with(vec![t.clone()], vec![]).encode_to_vec());
            assert!(f.is_empty(), "{t:?}: {f:?}");
        };
        let bad = |t: TensorProto, needle: &str| {
            let (_, f) = run(model_with(vec![t.clone()], vec![]).encode_to_vec());
            assert!(has(&f, "VCH-ONNX-003", needle), "{t:?}: {f:?}");
        };
        ok(f32_tensor("w", &[2, 3], 24));
        ok(f32_tensor("empty", &[0, 3], 0));
        bad(f32_tensor("w", &[2, 3], 20), "need 24 bytes but raw_data has 20");
        bad(f32_tensor("w", &[2, -3], 24), "negative dimension");
        bad(f32_tensor("w", &[i64::MAX, i64::MAX, i64::MAX], 1), "overflows");
        let typed = |dt: D, dims: &[i64]| TensorProto {
            name: Some("t".into()),
            dims: dims.to_vec(),
            data_type: Some(dt as i32),
            ..TensorProto::default()
        };
        ok(TensorProto { float_data: vec![0.0; 6], ..typed(D::Float, &[2, 3]) });
        ok(TensorProto { float_data: vec![0.0; 4], ..typed(D::Complex64, &[2]) });
        ok(TensorProto { int32_data: vec![0; 3], ..typed(D::Int4, &[5]) });
        ok(TensorProto { int32_data: vec![0; 2], ..typed(D::Uint2, &[5]) });
        ok(TensorProto { int32_data: vec![0; 5], ..typed(D::Float16, &[5]) });
        ok(TensorProto { int64_data: vec![1, 2], ..typed(D::Int64, &[2]) });
        ok(TensorProto { uint64_data: vec![1, 2], ..typed(D::Uint32, &[2]) });
        ok(TensorProto { double_data: vec![1.0], ..typed(D::Double, &[]) });
        ok(TensorProto { string_data: vec![b"a".to_vec().into()], ..typed(D::String, &[1]) });
        ok(TensorProto { raw_data: Some(vec![0; 3].into()), ..typed(D::Float6e2m3, &[4]) });
        ok(TensorProto { raw_data: Some(vec![0; 2].into()), ..typed(D::Int4, &[3]) });
        bad(TensorProto { float_data: vec![0.0; 5], ..typed(D::Float, &[2, 3]) }, "need 6 values but float_data has 5");
        bad(TensorProto { int64_data: vec![1], ..typed(D::Float, &[1]) }, "int64_data cannot hold FLOAT");
        bad(TensorProto { int32_data: vec![1], ..typed(D::Int64, &[1]) }, "int32_data cannot hold INT64");
        bad(TensorProto { raw_data: Some(vec![0; 1].into()), ..typed(D::String, &[1]) }, "raw_data cannot hold STRING");
        bad(TensorProto { raw_data: Some(vec![0; 4].into()), float_data: vec![1.0], ..typed(D::Float, &[1]) }, "more than one field");
        bad(typed(D::Float, &[4]), "declares 4 elements but holds no data");
        bad(TensorProto { raw_data: Some(vec![0; 4].into()), ..typed(D::Float, &[1]) }.clone_with_type(99), "unknown data_type 99");
    }

    trait WithType {
        fn clone_with_type(self, dt: i32) -> Self;
    }
    impl WithType for TensorProto {
        fn clone_with_type(mut self, dt: i32) -> Self {
            self.data_type = Some(dt);
            self
        }
    }

    #[test]
    fn domains_functions_and_subgraphs() {
        let body = GraphProto {
            name: Some("body".into()),
            node: vec![node("Add", ""), node("Hidden", "com.evil")],
            initializer: vec![external("inner", &[("location", "../../secret")])],
            ..GraphProto::default()
        };
        let mut looped = node("Loop", "");
        looped.attribute.push(AttributeProto { name: Some("body".into()), g: Some(body), ..AttributeProto::default() });
        let mut constant = node("Constant", "ai.onnx");
        constant.attribute.push(AttributeProto {
            name: Some("value".into()),
            t: Some(f32_tensor("c", &[2], 7)),
            ..AttributeProto::default()
        });
        let mut m = model_with(
            vec![],
            vec![
                looped,
                constant,
                node("Attention", "com.microsoft"),
                node("LinearClassifier", "ai.onnx.ml"),
                node("Local", "my.fns"),
                node("Other", "com.evil"),
            ],
        );
        m.functions.push(FunctionProto {
            name: Some("Local".into()),
            domain: Some("my.fns".into()),
            node: vec![node("Mul", ""), node("InFunction", "ai.onnx.contrib")],
            ..FunctionProto::default()
        });
        let (_, f) = run(m.encode_to_vec());
        assert!(has(&f, "VCH-ONNX-002", "\"com.evil\" need a custom-op library: Hidden, Other"), "{f:?}");
        assert!(has(&f, "VCH-ONNX-002", "\"ai.onnx.contrib\" need a custom-op library: InFunction"), "{f:?}");
        // Model-local functions and onnxruntime's own domains are not custom operators.
        assert!(!f.iter().any(|f| f.message.contains("\"my.fns\"") || f.message.contains("\"com.microsoft\"")), "{f:?}");
        assert!(has(&f, "VCH-ONNX-001", "location=../../secret"), "{f:?}");
        assert!(has(&f, "VCH-ONNX-003", "attribute \"value\" of node \"n_Constant\""), "{f:?}");
        assert_eq!(f.iter().filter(|f| f.rule.code == "VCH-ONNX-002").count(), 2);
    }

    #[test]
    fn depth_bound() {
        let mut g = GraphProto { node: vec![node("Hidden", "deep.evil")], ..GraphProto::default() };
        for _ in 0..6 {
            let mut n = node("If", "");
            n.attribute.push(AttributeProto { name: Some("then_branch".into()), g: Some(g), ..AttributeProto::default() });
            g = GraphProto { node: vec![n], ..GraphProto::default() };
        }
        let m = ModelProto { graph: Some(g), ..ModelProto::default() };
        let (_, f) = analyse(&m.encode_to_vec(), &ProtoLimits { max_depth: 3, ..ProtoLimits::default() });
        assert!(has(&f, "VCH-ONNX-003", "deeper than 3 levels"), "{f:?}");
        let (_, f) = run(m.encode_to_vec());
        assert!(has(&f, "VCH-ONNX-002", "deep.evil"), "{f:?}");
    }

    #[test]
    fn undecodable_oversized_and_graphless() {
        let (info, f) = run(vec![0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]);
        assert!(info.is_none() && has(&f, "VCH-ONNX-003", "cannot decode"), "{f:?}");
        let (_, f) = analyse(&fixture("benign.onnx"), &ProtoLimits { max_decode_bytes: 100, ..ProtoLimits::default() });
        assert!(has(&f, "VCH-ONNX-003", "over the decode limit of 100 bytes"), "{f:?}");
        let (_, f) = run(ModelProto { ir_version: Some(8), ..ModelProto::default() }.encode_to_vec());
        assert!(has(&f, "VCH-ONNX-003", "no graph"), "{f:?}");
        // Nesting deeper than prost's recursion limit is a decode error, not a stack overflow.
        let mut g = GraphProto::default();
        for _ in 0..200 {
            let mut n = node("If", "");
            n.attribute.push(AttributeProto { g: Some(g), ..AttributeProto::default() });
            g = GraphProto { node: vec![n], ..GraphProto::default() };
        }
        let (_, f) = run(ModelProto { graph: Some(g), ..ModelProto::default() }.encode_to_vec());
        assert!(has(&f, "VCH-ONNX-003", "recursion limit"), "{f:?}");
    }

    #[test]
    fn findings_are_capped() {
        let ts = (0..100).map(|i| f32_tensor(&format!("w{i}"), &[2], 1)).collect();
        let (_, f) = run(model_with(ts, vec![]).encode_to_vec());
        assert_eq!(f.len(), MAX_PER_RULE + 1);
        assert!(has(&f, "VCH-ONNX-003", "68 more VCH-ONNX-003 findings not listed"));
    }

    #[test]
    fn mutations_never_panic() {
        let seeds = [fixture("benign.onnx"), fixture("traversal_relative.onnx"), fixture("custom_domain.onnx")];
        let mut next = crate::testutil::xorshift(0x2545_f491_4f6c_dd1du64);
        for i in 0..20_000 {
            let mut m = seeds[i % seeds.len()].clone();
            crate::testutil::mutate(&mut m, &mut next);
            let _ = run(m);
        }
    }
}
