//! TensorFlow graphs: `saved_model.pb` (SavedModel), frozen `GraphDef` `.pb` files and
//! `MetaGraphDef` (`.meta`) files. Loading a graph runs its ops, so the question is which ops:
//! a graph can call back into Python, read, write or list files, or reach the network.
//! Every node of every meta graph and of every library function is checked.
//!
//! Checkpoint and table ops (SaveV2, RestoreV2, InitializeTableFromTextFileV2, ...) are part of
//! every real SavedModel: they take their path from the loader (a function argument, a
//! placeholder, or an asset tensor the loader feeds), so they are reported only when the graph
//! itself pins the path to a constant that is absolute, climbs with `..`, or names a remote
//! file system. Constants are followed through Identity, PlaceholderWithDefault, StringJoin,
//! Select, Pack and ShardedFilename, as TensorFlow's own saver builds its paths.
//!
//! `keras_metadata.pb` is not a graph (it holds Keras layer configs) and belongs to the Keras
//! analyser.

use crate::proto_gen;
use crate::proto_gen::tensorflow::{
    attr_value, collection_def, tensor_info, AssetFileDef, GraphDef, MetaGraphDef, NodeDef, SavedModel, TensorProto,
};
pub use crate::proto_gen::ProtoLimits;
use crate::source::Source;
use prost::Message;
use std::collections::{BTreeMap, HashMap, HashSet};
use vouch_report::rules::{Rule, TF_FILE_OP, TF_MALFORMED, TF_NETWORK_OP, TF_PYTHON_OP};
use vouch_report::Finding;

/// Ops that run arbitrary Python registered by the process that built the graph
/// (tensorflow/core/ops/script_ops.cc: tf.py_function, tf.numpy_function, tf.compat.v1.py_func).
const PYTHON_OPS: &[&str] = &["PyFunc", "PyFuncStateless", "EagerPyFunc"];

/// Ops that touch the file system whatever their arguments, with the input that names the path
/// (op names and argument positions from the TensorFlow 2.21 op registry).
const FILE_OPS: &[(&str, Option<usize>, &str)] = &[
    ("ReadFile", Some(0), "reads a file"),
    ("WriteFile", Some(0), "writes a file"),
    ("MatchingFiles", Some(0), "lists files"),
    ("MatchingFilesDataset", Some(0), "lists files"),
    ("ExperimentalMatchingFilesDataset", Some(0), "lists files"),
    ("WholeFileReader", None, "reads whole files"),
    ("WholeFileReaderV2", None, "reads whole files"),
    ("DatasetToTFRecord", Some(1), "writes a TFRecord file"),
    ("ExperimentalDatasetToTFRecord", Some(1), "writes a TFRecord file"),
    ("SaveDataset", Some(1), "writes a dataset to disk"),
    ("SaveDatasetV2", Some(1), "writes a dataset to disk"),
    ("LoadDataset", Some(0), "reads a dataset from disk"),
    ("SnapshotDataset", Some(1), "writes dataset snapshots to disk"),
    ("SnapshotDatasetV2", Some(1), "writes dataset snapshots to disk"),
    ("CreateSummaryFileWriter", Some(1), "creates an event-file writer"),
    ("CreateSummaryDbWriter", Some(1), "creates a summary database writer"),
    ("FileSystemSetConfiguration", None, "reconfigures a file system (endpoints, credentials)"),
];

/// Ops whose path normally comes from the loader; reported when it is a risky constant.
const PATH_OPS: &[(&str, &[usize], &str)] = &[
    ("Save", &[0], "writes a checkpoint"),
    ("SaveSlices", &[0], "writes a checkpoint"),
    ("SaveV2", &[0], "writes a checkpoint"),
    ("Restore", &[0], "reads a checkpoint"),
    ("RestoreSlice", &[0], "reads a checkpoint"),
    ("RestoreV2", &[0], "reads a checkpoint"),
    ("MergeV2Checkpoints", &[0, 1], "merges and deletes checkpoint files"),
    ("InitializeTableFromTextFile", &[1], "reads a vocabulary file"),
    ("InitializeTableFromTextFileV2", &[1], "reads a vocabulary file"),
    ("LoadAndRemapMatrix", &[0], "reads a checkpoint"),
    ("GenerateVocabRemapping", &[0, 1], "reads vocabulary files"),
    ("TFRecordDataset", &[0], "reads files"),
    ("TFRecordDatasetV2", &[0], "reads files"),
    ("TextLineDataset", &[0], "reads files"),
    ("FixedLengthRecordDataset", &[0], "reads files"),
    ("FixedLengthRecordDatasetV2", &[0], "reads files"),
    ("CSVDataset", &[0], "reads files"),
    ("CSVDatasetV2", &[0], "reads files"),
    ("ExperimentalCSVDataset", &[0], "reads files"),
    ("LMDBDataset", &[0], "reads files"),
    ("ExperimentalLMDBDataset", &[0], "reads files"),
    ("CacheDataset", &[1], "writes cache files"),
    ("CacheDatasetV2", &[1], "writes cache files"),
];

/// Attribute-named paths of the same kind.
const PATH_ATTR_OPS: &[(&str, &str, &str)] =
    &[("FixedUnigramCandidateSampler", "vocab_file", "reads a vocabulary file"), ("RecordInput", "file_pattern", "reads files")];

/// Ops that open connections. Rpc/TryRpc: tensorflow/core/ops/rpc_ops.cc (TF 1.x contrib.rpc);
/// Rpc{Server,Client,Call,...}: tf.distribute.experimental.rpc; DataService*/RegisterDataset/
/// DistributedSave: the tf.data service at an address; RemoteCall: runs a function on another task.
const NETWORK_OPS: &[&str] = &[
    "Rpc",
    "TryRpc",
    "RpcServer",
    "RpcClient",
    "RpcCall",
    "RpcServerStart",
    "RpcServerRegister",
    "DataServiceDataset",
    "DataServiceDatasetV2",
    "DataServiceDatasetV3",
    "DataServiceDatasetV4",
    "RegisterDataset",
    "RegisterDatasetV2",
    "DistributedSave",
    "RemoteCall",
];

/// tfdbg ops stream tensors to their `debug_urls` (grpc:// or file://).
const DEBUG_OPS: &[&str] = &["DebugIdentity", "DebugIdentityV2", "DebugIdentityV3", "DebugNanCount", "DebugNumericSummary"];

/// Findings of one rule listed one by one before the rest are counted.
const MAX_PER_RULE: usize = 32;
/// How far string constants are followed through graph edges.
const MAX_RESOLVE_DEPTH: u32 = 16;
/// Candidate strings kept per resolved input (Select and StringJoin multiply them).
const MAX_CANDIDATES: usize = 16;
/// Nodes visited while resolving one input: StringJoin over StringJoin fans out exponentially.
const MAX_RESOLVE_VISITS: usize = 4096;
/// Stands for a value only known at run time (an argument, a placeholder, an op's output).
const UNKNOWN: &str = "<?>";

/// Analyses a SavedModel, frozen GraphDef or MetaGraphDef.
pub fn analyse(src: &dyn Source, limits: &ProtoLimits) -> Vec<Finding> {
    let data = match proto_gen::read_all(src, limits) {
        Ok(d) => d,
        Err(e) => return vec![Finding::new(&TF_MALFORMED, format!("TensorFlow protobuf not analysed: {e}"))],
    };
    let metas = match decode_graphs(&data) {
        Ok(m) => m,
        Err(e) => return vec![Finding::new(&TF_MALFORMED, format!("not a decodable SavedModel, GraphDef or MetaGraphDef: {e}"))],
    };
    drop(data);
    let mut walk = Walk::default();
    let many = metas.len() > 1;
    for (i, (mg, label)) in metas.iter().enumerate() {
        let label = if many { format!("{label} {i}") } else { label.clone() };
        walk.meta_graph(mg, &label);
    }
    walk.finish()
}

/// Protobuf carries no type tag, so each reading that decodes is scored by how many nodes with
/// plausible op names it yields; SavedModel wins ties, then GraphDef.
fn decode_graphs(data: &prost::bytes::Bytes) -> Result<Vec<(MetaGraphDef, String)>, String> {
    let mut best: Option<(usize, Vec<(MetaGraphDef, String)>)> = None;
    let mut errors = Vec::new();
    let mut consider = |metas: Vec<(MetaGraphDef, String)>| {
        let score: usize = metas.iter().map(|(m, _)| m.graph_def.as_ref().map_or(0, plausible_nodes)).sum();
        if score > 0 && best.as_ref().is_none_or(|(s, _)| score > *s) {
            best = Some((score, metas));
        }
    };
    match proto_gen::decode::<SavedModel>(data) {
        Ok(sm) => consider(sm.meta_graphs.into_iter().map(|m| (m, "meta graph".to_string())).collect()),
        Err(e) => errors.push(format!("as SavedModel: {e}")),
    }
    match proto_gen::decode::<GraphDef>(data) {
        Ok(g) => consider(vec![(MetaGraphDef { graph_def: Some(g), ..MetaGraphDef::default() }, "graph".to_string())]),
        Err(e) => errors.push(format!("as GraphDef: {e}")),
    }
    match proto_gen::decode::<MetaGraphDef>(data) {
        Ok(m) => consider(vec![(m, "meta graph".to_string())]),
        Err(e) => errors.push(format!("as MetaGraphDef: {e}")),
    }
    match best {
        Some((_, metas)) => Ok(metas),
        None if errors.is_empty() => Err("no graph nodes".to_string()),
        None => Err(errors.join("; ")),
    }
}

fn plausible_nodes(g: &GraphDef) -> usize {
    let ok = |n: &NodeDef| {
        let mut c = n.op.chars();
        c.next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
            && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '>' || x == '.')
    };
    let lib = g.library.iter().flat_map(|l| &l.function).flat_map(|f| &f.node_def);
    g.node.iter().chain(lib).filter(|n| ok(n)).count()
}

/// Nodes of one graph or function body, by name, for following inputs back to constants.
struct Scope<'a> {
    label: String,
    nodes: HashMap<&'a str, &'a NodeDef>,
    /// Nodes the loader feeds with asset paths: their constant value is never used.
    assets: &'a HashSet<String>,
}

#[derive(Default)]
struct Walk {
    findings: Vec<Finding>,
    per_rule: BTreeMap<&'static str, (usize, &'static Rule)>,
}

impl Walk {
    fn push(&mut self, f: Finding) {
        let e = self.per_rule.entry(f.rule.code).or_insert((0, f.rule));
        e.0 += 1;
        if e.0 <= MAX_PER_RULE {
            self.findings.push(f);
        }
    }

    fn finish(mut self) -> Vec<Finding> {
        for (code, (n, rule)) in std::mem::take(&mut self.per_rule) {
            if n > MAX_PER_RULE {
                self.findings.push(Finding::new(rule, format!("{} more {code} findings not listed", n - MAX_PER_RULE)));
            }
        }
        self.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        self.findings
    }

    fn meta_graph(&mut self, mg: &MetaGraphDef, label: &str) {
        let tags = mg.meta_info_def.as_ref().map(|m| m.tags.join(",")).unwrap_or_default();
        let label = if tags.is_empty() { label.to_string() } else { format!("{label} [{tags}]") };
        let mut assets = HashSet::new();
        let mut asset_defs: Vec<AssetFileDef> = mg.asset_file_def.clone();
        for (name, c) in &mg.collection_def {
            match (&c.kind, name.as_str()) {
                (Some(collection_def::Kind::NodeList(l)), "asset_filepaths") => {
                    assets.extend(l.value.iter().map(|t| node_of(t).to_string()))
                }
                (Some(collection_def::Kind::AnyList(l)), "saved_model_assets") => {
                    for any in l.value.iter().filter(|a| a.type_url.ends_with("tensorflow.AssetFileDef")) {
                        match AssetFileDef::decode(any.value.clone()) {
                            Ok(a) => asset_defs.push(a),
                            Err(e) => self.push(Finding::new(&TF_MALFORMED, format!("{label}: undecodable asset entry: {e}"))),
                        }
                    }
                }
                _ => {}
            }
        }
        for a in &asset_defs {
            if let Some(tensor_info::Encoding::Name(t)) = a.tensor_info.as_ref().and_then(|t| t.encoding.as_ref()) {
                assets.insert(node_of(t).to_string());
            }
            // The loader opens <export_dir>/assets/<filename>.
            if let Some(why) = path_risk(&a.filename) {
                self.push(
                    Finding::new(
                        &TF_FILE_OP,
                        format!("asset {:?} in {label} points outside the assets folder ({})", a.filename, why.describe()),
                    )
                    .evidence(format!("asset_file_def filename={}", a.filename)),
                );
            }
        }
        let Some(g) = &mg.graph_def else { return };
        let scope = Scope { label: label.clone(), nodes: g.node.iter().map(|n| (n.name.as_str(), n)).collect(), assets: &assets };
        for n in &g.node {
            self.node(n, &scope);
        }
        let none = HashSet::new();
        for f in g.library.iter().flat_map(|l| &l.function) {
            let fname = f.signature.as_ref().map_or("", |s| s.name.as_str());
            let scope = Scope {
                label: format!("function {fname:?}"),
                nodes: f.node_def.iter().map(|n| (n.name.as_str(), n)).collect(),
                assets: &none,
            };
            for n in &f.node_def {
                self.node(n, &scope);
            }
        }
    }

    fn node(&mut self, n: &NodeDef, scope: &Scope) {
        let op = n.op.as_str();
        let at = format!("node {:?} in {}", n.name, scope.label);
        let evidence = |extra: &str| format!("op={op} node={} in {}{extra}", n.name, scope.label);
        if PYTHON_OPS.contains(&op) {
            let token = attr_str(n, "token").map(|t| format!(" token={t}")).unwrap_or_default();
            self.push(
                Finding::new(&TF_PYTHON_OP, format!("{op} runs Python code when the graph executes ({at})")).evidence(evidence(&token)),
            );
        } else if let Some((_, input, what)) = FILE_OPS.iter().find(|(o, _, _)| *o == op) {
            let paths = input.map(|i| self.resolve_input(n, i, scope)).unwrap_or_default();
            let known: Vec<&String> = paths.iter().filter(|p| p.as_str() != UNKNOWN).collect();
            let shown = if known.is_empty() { String::new() } else { format!(" {}", quote_list(&known)) };
            let remote = known.iter().find_map(|p| match path_risk(p) {
                Some(PathRisk::Remote(s)) => Some(s),
                _ => None,
            });
            let rule = if remote.is_some() { &TF_NETWORK_OP } else { &TF_FILE_OP };
            let suffix = if known.is_empty() {
                String::new()
            } else {
                format!(" path={}", known.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("|"))
            };
            self.push(Finding::new(rule, format!("{op} {what}{shown} ({at})")).evidence(evidence(&suffix)));
        } else if let Some((_, inputs, what)) = PATH_OPS.iter().find(|(o, _, _)| *o == op) {
            for &i in *inputs {
                let paths = self.resolve_input(n, i, scope);
                self.risky_paths(op, what, &paths, &at, &evidence);
            }
        } else if let Some((_, attr, what)) = PATH_ATTR_OPS.iter().find(|(o, _, _)| *o == op) {
            let paths: Vec<String> = attr_str(n, attr).into_iter().collect();
            self.risky_paths(op, what, &paths, &at, &evidence);
        } else if NETWORK_OPS.contains(&op) {
            let address = match op {
                "Rpc" | "TryRpc" | "RpcServer" | "RpcClient" => self.resolve_input(n, 0, scope),
                "DataServiceDataset" | "DataServiceDatasetV2" | "DataServiceDatasetV3" | "DataServiceDatasetV4" => {
                    self.resolve_input(n, 4, scope)
                }
                "RegisterDataset" | "RegisterDatasetV2" => self.resolve_input(n, 1, scope),
                "DistributedSave" => self.resolve_input(n, 2, scope),
                "RemoteCall" => self.resolve_input(n, 0, scope),
                _ => Vec::new(),
            };
            let known: Vec<&String> = address.iter().filter(|p| p.as_str() != UNKNOWN).collect();
            let shown = if known.is_empty() { String::new() } else { format!(" to {}", quote_list(&known)) };
            self.push(Finding::new(&TF_NETWORK_OP, format!("{op} connects{shown} ({at})")).evidence(evidence("")));
        } else if op == "ImmutableConst" {
            // Memmapped graphs (convert_graphdef_memmapped_format) name regions of their own
            // package; any other name is opened through the file system and mapped.
            let region = attr_str(n, "memory_region_name").unwrap_or_default();
            if !region.starts_with("memmapped_package://") {
                self.push(
                    Finding::new(&TF_FILE_OP, format!("ImmutableConst memory-maps the file {region:?} ({at})"))
                        .evidence(evidence(&format!(" memory_region_name={region}"))),
                );
            }
        } else if op == "PrintV2" {
            if let Some(stream) = attr_str(n, "output_stream").filter(|s| s.starts_with("file://")) {
                self.push(
                    Finding::new(&TF_FILE_OP, format!("PrintV2 writes to the file {stream:?} ({at})"))
                        .evidence(evidence(&format!(" output_stream={stream}"))),
                );
            }
        } else if op == "DecodeProtoV2" || op == "EncodeProto" {
            // "local://" uses compiled-in descriptors and "bytes://" inline ones; anything else
            // is a path to a FileDescriptorSet the op reads.
            if let Some(src) = attr_str(n, "descriptor_source").filter(|s| s != "local://" && !s.starts_with("bytes://")) {
                let rule = if matches!(path_risk(&src), Some(PathRisk::Remote(_))) { &TF_NETWORK_OP } else { &TF_FILE_OP };
                self.push(
                    Finding::new(rule, format!("{op} reads protobuf descriptors from {src:?} ({at})"))
                        .evidence(evidence(&format!(" descriptor_source={src}"))),
                );
            }
        } else if DEBUG_OPS.contains(&op) {
            for url in attr_list(n, "debug_urls") {
                let rule = if url.starts_with("file://") { &TF_FILE_OP } else { &TF_NETWORK_OP };
                self.push(
                    Finding::new(rule, format!("{op} streams tensors to {url:?} ({at})")).evidence(evidence(&format!(" debug_url={url}"))),
                );
            }
        }
    }

    fn risky_paths(&mut self, op: &str, what: &str, paths: &[String], at: &str, evidence: &dyn Fn(&str) -> String) {
        for p in paths {
            match path_risk(p) {
                Some(PathRisk::Remote(scheme)) => {
                    self.push(
                        Finding::new(&TF_NETWORK_OP, format!("{op} {what} on a {scheme}:// file system: {p:?} ({at})"))
                            .evidence(evidence(&format!(" path={p}"))),
                    );
                }
                Some(r) => {
                    self.push(
                        Finding::new(&TF_FILE_OP, format!("{op} {what} at the fixed path {p:?}, {} ({at})", r.describe()))
                            .evidence(evidence(&format!(" path={p}"))),
                    );
                }
                None => {}
            }
        }
    }

    /// The strings input `i` of `n` can carry, as far as constants tell.
    fn resolve_input(&self, n: &NodeDef, i: usize, scope: &Scope) -> Vec<String> {
        let inputs: Vec<&String> = n.input.iter().filter(|s| !s.starts_with('^')).collect();
        match inputs.get(i) {
            Some(name) => resolve(node_of(name), scope, 0, &std::cell::Cell::new(MAX_RESOLVE_VISITS)),
            None => vec![UNKNOWN.to_string()],
        }
    }
}

fn resolve(name: &str, scope: &Scope, depth: u32, visits: &std::cell::Cell<usize>) -> Vec<String> {
    let unknown = || vec![UNKNOWN.to_string()];
    if depth > MAX_RESOLVE_DEPTH || visits.get() == 0 || scope.assets.contains(name) {
        return unknown();
    }
    visits.set(visits.get() - 1);
    let Some(n) = scope.nodes.get(name) else { return unknown() };
    let data: Vec<&str> = n.input.iter().filter(|s| !s.starts_with('^')).map(|s| node_of(s)).collect();
    let follow = |i: usize| data.get(i).map_or_else(unknown, |x| resolve(x, scope, depth + 1, visits));
    let mut out = match n.op.as_str() {
        "Const" => match n.attr.get("value").and_then(|v| v.value.as_ref()) {
            Some(attr_value::Value::Tensor(t)) => tensor_strings(t).unwrap_or_else(unknown),
            _ => unknown(),
        },
        "Identity" | "PlaceholderWithDefault" | "StopGradient" => follow(0),
        "Select" | "SelectV2" => {
            let mut v = follow(1);
            v.extend(follow(2));
            v
        }
        "Pack" => (0..data.len()).flat_map(follow).collect(),
        "ShardedFilename" => follow(0).into_iter().map(|p| format!("{p}-?????-of-?????")).collect(),
        "StringJoin" => {
            let sep = attr_str(n, "separator").unwrap_or_default();
            let mut acc = vec![String::new()];
            for (k, _) in data.iter().enumerate() {
                let parts = follow(k);
                let sep = if k == 0 { "" } else { sep.as_str() };
                acc = acc.iter().flat_map(|a| parts.iter().map(move |p| format!("{a}{sep}{p}"))).take(MAX_CANDIDATES).collect();
            }
            acc
        }
        _ => unknown(),
    };
    out.sort();
    out.dedup();
    out.truncate(MAX_CANDIDATES);
    out
}

/// String elements of a DT_STRING tensor, from `string_val` or TensorFlow's own encoding in
/// `tensor_content` (all lengths as varints, then the bytes).
fn tensor_strings(t: &TensorProto) -> Option<Vec<String>> {
    const DT_STRING: i32 = 7;
    if t.dtype != DT_STRING {
        return None;
    }
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if !t.string_val.is_empty() {
        return Some(t.string_val.iter().take(MAX_CANDIDATES).map(|b| lossy(b)).collect());
    }
    let count = t.tensor_shape.as_ref()?.dim.iter().try_fold(1u64, |acc, d| acc.checked_mul(u64::try_from(d.size).ok()?))?;
    let c = &t.tensor_content;
    let mut pos = 0usize;
    let mut lens = Vec::new();
    for _ in 0..count.min(MAX_CANDIDATES as u64) {
        let mut len = 0u64;
        let mut shift = 0;
        loop {
            let b = *c.get(pos)?;
            pos += 1;
            len |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                return None;
            }
        }
        lens.push(len as usize);
    }
    if count > MAX_CANDIDATES as u64 {
        return None;
    }
    let mut out = Vec::new();
    for len in lens {
        let end = pos.checked_add(len)?;
        out.push(lossy(c.get(pos..end)?));
        pos = end;
    }
    Some(out)
}

enum PathRisk {
    Absolute,
    Climbs,
    Remote(String),
}

impl PathRisk {
    fn describe(&self) -> String {
        match self {
            PathRisk::Absolute => "an absolute path".to_string(),
            PathRisk::Climbs => "a path that climbs out with ..".to_string(),
            PathRisk::Remote(s) => format!("a {s}:// location"),
        }
    }
}

/// TensorFlow resolves `scheme://` through its file-system registry: gs, s3, hdfs, http reach
/// the network; file is local; ram is in-process memory.
fn path_risk(p: &str) -> Option<PathRisk> {
    if let Some((scheme, rest)) = p.split_once("://") {
        if !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') {
            return match scheme.to_ascii_lowercase().as_str() {
                "file" => path_risk(rest).or(Some(PathRisk::Absolute)),
                "ram" => None,
                s => Some(PathRisk::Remote(s.to_string())),
            };
        }
    }
    let b = p.as_bytes();
    if p.starts_with('/') || p.starts_with('\\') || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':') {
        Some(PathRisk::Absolute)
    } else if p.split(['/', '\\']).any(|c| c == "..") {
        Some(PathRisk::Climbs)
    } else {
        None
    }
}

/// "node:0", "node:out:0", "^node" -> "node".
fn node_of(input: &str) -> &str {
    let s = input.trim_start_matches('^');
    s.split(':').next().unwrap_or(s)
}

fn attr_str(n: &NodeDef, key: &str) -> Option<String> {
    match n.attr.get(key)?.value.as_ref()? {
        attr_value::Value::S(s) => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

fn attr_list(n: &NodeDef, key: &str) -> Vec<String> {
    match n.attr.get(key).and_then(|a| a.value.as_ref()) {
        Some(attr_value::Value::List(l)) => l.s.iter().take(MAX_CANDIDATES).map(|s| String::from_utf8_lossy(s).into_owned()).collect(),
        _ => Vec::new(),
    }
}

fn quote_list(v: &[&String]) -> String {
    v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto_gen::tensorflow::{
        tensor_shape_proto, AttrValue, CollectionDef, FunctionDef, FunctionDefLibrary, OpDef, TensorInfo, TensorShapeProto,
    };
    use std::path::PathBuf;

    fn run(bytes: Vec<u8>) -> Vec<Finding> {
        analyse(&bytes, &ProtoLimits::default())
    }

    fn fixture(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tf").join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
    }

    fn corpus(rel: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus").join(rel);
        assert!(p.exists(), "test data not found: looked for {} (../shared/corpus must sit beside the repository)", p.display());
        std::fs::read(p).unwrap()
    }

    fn has(f: &[Finding], code: &str, needle: &str) -> bool {
        f.iter().any(|f| f.rule.code == code && (f.message.contains(needle) || f.evidence.contains(needle)))
    }

    fn node(name: &str, op: &str, inputs: &[&str]) -> NodeDef {
        NodeDef { name: name.into(), op: op.into(), input: inputs.iter().map(|s| s.to_string()).collect(), ..NodeDef::default() }
    }

    fn with_attr(mut n: NodeDef, key: &str, v: attr_value::Value) -> NodeDef {
        n.attr.insert(key.into(), AttrValue { value: Some(v) });
        n
    }

    fn s(v: &str) -> attr_value::Value {
        attr_value::Value::S(v.as_bytes().to_vec().into())
    }

    fn string_const(name: &str, values: &[&str]) -> NodeDef {
        let t =
            TensorProto { dtype: 7, string_val: values.iter().map(|v| v.as_bytes().to_vec().into()).collect(), ..TensorProto::default() };
        with_attr(node(name, "Const", &[]), "value", attr_value::Value::Tensor(t))
    }

    fn graph(nodes: Vec<NodeDef>) -> GraphDef {
        GraphDef { node: nodes, library: None }
    }

    fn saved_model(g: GraphDef) -> Vec<u8> {
        SavedModel { saved_model_schema_version: 1, meta_graphs: vec![MetaGraphDef { graph_def: Some(g), ..MetaGraphDef::default() }] }
            .encode_to_vec()
    }

    #[test]
    fn corpus_samples() {
        let f = run(corpus("models/modelaudit/samples/tensorflow/malicious_pyfunc/saved_model.pb"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(&f, "VCH-TF-001", "op=PyFunc node=bad"), "{f:?}");
        let f = run(corpus("models/modelaudit/samples/tensorflow/safe_savedmodel/saved_model.pb"));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn real_benign_models_are_clean() {
        for name in ["benign_module.pb", "benign_keras.pb", "benign_v1.pb", "benign_table.pb", "benign_frozen.pb"] {
            let f = run(fixture(name));
            assert!(f.is_empty(), "{name}: {f:?}");
        }
    }

    #[test]
    fn real_python_ops() {
        let f = run(fixture("malicious_pyfunc.pb"));
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(has(&f, "VCH-TF-001", "op=EagerPyFunc node=EagerPyFunc in function \"__inference___call___"), "{f:?}");
        assert!(has(&f, "VCH-TF-001", "token=pyfunc_0"), "{f:?}");
        assert!(has(&f, "VCH-TF-001", "op=PyFunc node=PyFunc"), "{f:?}");
    }

    #[test]
    fn real_file_ops() {
        let f = run(fixture("malicious_fileio.pb"));
        assert_eq!(f.len(), 3, "{f:?}");
        assert!(has(&f, "VCH-TF-002", "ReadFile reads a file \"/etc/passwd\""), "{f:?}");
        assert!(has(&f, "VCH-TF-002", "WriteFile writes a file \"/tmp/../etc/cron.d/vouch\""), "{f:?}");
        assert!(has(&f, "VCH-TF-002", "PrintV2 writes to the file \"file:///tmp/exfil.txt\""), "{f:?}");
    }

    #[test]
    fn saver_paths_from_constants() {
        // TF1 saver shape: the filename is a PlaceholderWithDefault over a Const.
        let saver = |prefix: &str| {
            vec![
                string_const("save/filename/input", &[prefix]),
                node("save/filename", "PlaceholderWithDefault", &["save/filename/input"]),
                node("save/Const", "PlaceholderWithDefault", &["save/filename"]),
                string_const("save/Const_1", &[".part"]),
                string_const("save/Const_2", &["_temp/part"]),
                node("save/StaticRegexFullMatch", "StaticRegexFullMatch", &["save/Const"]),
                node("save/Select", "Select", &["save/StaticRegexFullMatch", "save/Const_1", "save/Const_2"]),
                node("save/StringJoin", "StringJoin", &["save/Const", "save/Select"]),
                node("save/ShardedFilename", "ShardedFilename", &["save/StringJoin", "shard", "num"]),
                node("save/SaveV2", "SaveV2", &["save/ShardedFilename", "names", "slices", "^dep"]),
                node("save/RestoreV2", "RestoreV2", &["save/Const", "names", "slices"]),
            ]
        };
        assert!(run(saved_model(graph(saver("model")))).is_empty());
        let f = run(saved_model(graph(saver("/etc/cron.d/x"))));
        assert!(has(&f, "VCH-TF-002", "SaveV2 writes a checkpoint at the fixed path \"/etc/cron.d/x_temp/part-?????-of-?????\""), "{f:?}");
        assert!(has(&f, "VCH-TF-002", "RestoreV2 reads a checkpoint at the fixed path \"/etc/cron.d/x\""), "{f:?}");
        let f = run(saved_model(graph(saver("../../home/u/.ssh/authorized_keys"))));
        assert!(has(&f, "VCH-TF-002", "climbs out"), "{f:?}");
        let f = run(saved_model(graph(saver("gs://attacker-bucket/ckpt"))));
        assert!(has(&f, "VCH-TF-004", "on a gs:// file system"), "{f:?}");
        // A function argument is only known at run time: never flagged.
        let fun = FunctionDef {
            signature: Some(OpDef { name: "__inference__traced_save_1".into() }),
            node_def: vec![
                string_const("Const_1", &["_temp/part"]),
                node("StringJoin", "StringJoin", &["file_prefix", "Const_1:output:0"]),
                node("SaveV2", "SaveV2", &["StringJoin:output:0"]),
            ],
        };
        let g = GraphDef { node: vec![], library: Some(FunctionDefLibrary { function: vec![fun] }) };
        assert!(run(saved_model(g)).is_empty());
    }

    #[test]
    fn asset_tensors_are_fed_by_the_loader() {
        let g = graph(vec![
            string_const("vocab_path", &["/home/builder/vocab.txt"]),
            node("init", "InitializeTableFromTextFileV2", &["table", "vocab_path"]),
        ]);
        let f = run(saved_model(g.clone()));
        assert!(has(&f, "VCH-TF-002", "reads a vocabulary file at the fixed path \"/home/builder/vocab.txt\""), "{f:?}");
        let asset = |filename: &str| AssetFileDef {
            tensor_info: Some(TensorInfo { encoding: Some(tensor_info::Encoding::Name("vocab_path:0".into())) }),
            filename: filename.into(),
        };
        let mg = MetaGraphDef { graph_def: Some(g.clone()), asset_file_def: vec![asset("vocab.txt")], ..MetaGraphDef::default() };
        assert!(run(SavedModel { saved_model_schema_version: 1, meta_graphs: vec![mg] }.encode_to_vec()).is_empty());
        // TF1 builders record assets in collections instead.
        let mut mg = MetaGraphDef { graph_def: Some(g), ..MetaGraphDef::default() };
        mg.collection_def.insert(
            "saved_model_assets".into(),
            CollectionDef {
                kind: Some(collection_def::Kind::AnyList(collection_def::AnyList {
                    value: vec![crate::proto_gen::tensorflow::Any {
                        type_url: "type.googleapis.com/tensorflow.AssetFileDef".into(),
                        value: asset("../../../etc/passwd").encode_to_vec().into(),
                    }],
                })),
            },
        );
        let f = run(SavedModel { saved_model_schema_version: 1, meta_graphs: vec![mg] }.encode_to_vec());
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(&f, "VCH-TF-002", "points outside the assets folder"), "{f:?}");
    }

    #[test]
    fn op_table() {
        let cases: Vec<(NodeDef, &str, &str)> = vec![
            (node("p", "PyFuncStateless", &[]), "VCH-TF-001", "PyFuncStateless runs Python"),
            (node("m", "MatchingFiles", &["pat"]), "VCH-TF-002", "MatchingFiles lists files"),
            (
                with_attr(node("i", "ImmutableConst", &[]), "memory_region_name", s("/dev/mem")),
                "VCH-TF-002",
                "memory-maps the file \"/dev/mem\"",
            ),
            (node("w", "CreateSummaryFileWriter", &["writer", "logdir"]), "VCH-TF-002", "creates an event-file writer"),
            (node("r", "RpcClient", &["addr"]), "VCH-TF-004", "RpcClient connects"),
            (node("r", "TryRpc", &["a", "m", "r"]), "VCH-TF-004", "TryRpc connects"),
            (node("d", "DataServiceDatasetV4", &["id", "mode", "addr"]), "VCH-TF-004", "DataServiceDatasetV4 connects"),
            (node("c", "RemoteCall", &["target"]), "VCH-TF-004", "RemoteCall connects"),
            (
                with_attr(node("d", "DecodeProtoV2", &[]), "descriptor_source", s("/tmp/evil.desc")),
                "VCH-TF-002",
                "reads protobuf descriptors from \"/tmp/evil.desc\"",
            ),
            (with_attr(node("d", "EncodeProto", &[]), "descriptor_source", s("gs://b/d")), "VCH-TF-004", "gs://b/d"),
            (
                with_attr(
                    node("d", "DebugIdentity", &[]),
                    "debug_urls",
                    attr_value::Value::List(attr_value::ListValue { s: vec![b"grpc://10.0.0.1:6064".to_vec().into()] }),
                ),
                "VCH-TF-004",
                "streams tensors to \"grpc://10.0.0.1:6064\"",
            ),
            (
                with_attr(
                    node("d", "DebugIdentityV2", &[]),
                    "debug_urls",
                    attr_value::Value::List(attr_value::ListValue { s: vec![b"file:///tmp/dump".to_vec().into()] }),
                ),
                "VCH-TF-002",
                "file:///tmp/dump",
            ),
            (
                with_attr(node("s", "FixedUnigramCandidateSampler", &[]), "vocab_file", s("/etc/passwd")),
                "VCH-TF-002",
                "reads a vocabulary file",
            ),
        ];
        for (n, code, needle) in cases {
            let f = run(saved_model(graph(vec![n.clone()])));
            assert!(has(&f, code, needle), "{n:?}: {f:?}");
            assert_eq!(f.len(), 1, "{n:?}: {f:?}");
        }
        // Ordinary values of the same attributes are fine.
        for n in [
            with_attr(node("d", "DecodeProtoV2", &[]), "descriptor_source", s("local://")),
            with_attr(node("d", "DecodeProtoV2", &[]), "descriptor_source", s("bytes://\n\x03abc")),
            with_attr(node("p", "PrintV2", &[]), "output_stream", s("stderr")),
            with_attr(node("i", "ImmutableConst", &[]), "memory_region_name", s("memmapped_package://conv1_weights")),
            node("t", "TFRecordDataset", &["files"]),
            with_attr(node("s", "FixedUnigramCandidateSampler", &[]), "vocab_file", s("")),
        ] {
            assert!(run(saved_model(graph(vec![n.clone()]))).is_empty(), "{n:?}");
        }
        let f = run(saved_model(graph(vec![string_const("a", &["evil.example:443"]), node("r", "RpcClient", &["a", "t"])])));
        assert!(has(&f, "VCH-TF-004", "RpcClient connects to \"evil.example:443\""), "{f:?}");
        // A remote path on an always-reported file op counts as network access.
        let f = run(saved_model(graph(vec![string_const("f", &["https://evil.example/x"]), node("r", "ReadFile", &["f"])])));
        assert!(has(&f, "VCH-TF-004", "ReadFile reads a file \"https://evil.example/x\""), "{f:?}");
    }

    #[test]
    fn string_constants_in_tensor_content() {
        // TensorFlow writes all lengths first, then the bytes.
        let content = [&[11u8, 5][..], b"/etc/passwd", b"model"].concat();
        let t = TensorProto {
            dtype: 7,
            tensor_shape: Some(TensorShapeProto { dim: vec![tensor_shape_proto::Dim { size: 2 }], unknown_rank: false }),
            tensor_content: content.into(),
            string_val: vec![],
        };
        assert_eq!(tensor_strings(&t).unwrap(), ["/etc/passwd", "model"]);
        let g = graph(vec![
            with_attr(node("c", "Const", &[]), "value", attr_value::Value::Tensor(t)),
            node("r", "MergeV2Checkpoints", &["c", "dst"]),
        ]);
        assert!(has(&run(saved_model(g)), "VCH-TF-002", "\"/etc/passwd\""));
        // Truncated or oversized content resolves to nothing rather than failing.
        let bad = TensorProto {
            dtype: 7,
            tensor_shape: Some(TensorShapeProto { dim: vec![tensor_shape_proto::Dim { size: 1 }], unknown_rank: false }),
            tensor_content: vec![200u8, 1, b'x'].into(),
            string_val: vec![],
        };
        assert!(tensor_strings(&bad).is_none());
    }

    #[test]
    fn frozen_graph_and_meta_graph_files() {
        let g = graph(vec![node("Placeholder", "Placeholder", &[]), node("bad", "EagerPyFunc", &["Placeholder"])]);
        assert!(has(&run(g.encode_to_vec()), "VCH-TF-001", "op=EagerPyFunc node=bad in graph"));
        let mg = MetaGraphDef {
            meta_info_def: Some(crate::proto_gen::tensorflow::meta_graph_def::MetaInfoDef { tags: vec!["serve".into()] }),
            graph_def: Some(g),
            ..MetaGraphDef::default()
        };
        assert!(has(&run(mg.encode_to_vec()), "VCH-TF-001", "in meta graph [serve]"));
    }

    #[test]
    fn undecodable_oversized_and_empty() {
        let f = run(vec![0x0a, 0xff, 0xff, 0xff, 0x0f, 1]);
        assert!(has(&f, "VCH-TF-003", "not a decodable"), "{f:?}");
        let f = run(Vec::new());
        assert!(has(&f, "VCH-TF-003", "no graph nodes"), "{f:?}");
        let f = analyse(&fixture("benign_module.pb"), &ProtoLimits { max_decode_bytes: 1000, ..ProtoLimits::default() });
        assert!(has(&f, "VCH-TF-003", "over the decode limit of 1000 bytes"), "{f:?}");
    }

    #[test]
    fn findings_are_capped() {
        let nodes = (0..50).map(|i| node(&format!("p{i}"), "PyFunc", &[])).collect();
        let f = run(saved_model(graph(nodes)));
        assert_eq!(f.len(), MAX_PER_RULE + 1);
        assert!(has(&f, "VCH-TF-001", "18 more VCH-TF-001 findings not listed"));
    }

    #[test]
    fn resolution_is_bounded() {
        // A long Identity chain and a StringJoin fan-out stay cheap and end in "unknown".
        let mut nodes = vec![string_const("c0", &["/etc/x"])];
        for i in 1..100 {
            nodes.push(node(&format!("c{i}"), "Identity", &[&format!("c{}", i - 1)]));
        }
        nodes.push(node("r", "RestoreV2", &["c99"]));
        assert!(run(saved_model(graph(nodes))).is_empty());
        let mut nodes = vec![string_const("j0", &["x", "y", "z", "w"])];
        for i in 1..13 {
            let prev = format!("j{}", i - 1);
            nodes.push(node(&format!("j{i}"), "StringJoin", &[prev.as_str(); 6]));
        }
        nodes.push(node("r0", "RestoreV2", &["j12"]));
        nodes.push(node("cycle1", "Identity", &["cycle2"]));
        nodes.push(node("cycle2", "Identity", &["cycle1"]));
        nodes.push(node("r", "RestoreV2", &["cycle1"]));
        assert!(run(saved_model(graph(nodes))).is_empty());
    }

    #[test]
    fn mutations_never_panic() {
        let seeds = [fixture("malicious_fileio.pb"), fixture("benign_v1.pb"), fixture("benign_frozen.pb")];
        let mut next = crate::testutil::xorshift(0x1234_5678_9abc_def1u64);
        for i in 0..20_000 {
            let mut m = seeds[i % seeds.len()].clone();
            crate::testutil::mutate(&mut m, &mut next);
            let _ = run(m);
        }
    }
}

/// Text-format graphs (`.pbtxt`, `saved_model.pbtxt`): the same op checks on every
/// `op: "Name"` field, with the enclosing node's `name`. Paths in text graphs are not resolved,
/// so path-dependent ops (Save/Restore with a loader-fed filename) are not reported here.
pub fn analyse_pbtxt(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut last_name = String::new();
    // Tokens: identifiers, ':' and quoted strings (with backslash escapes); the rest is skipped.
    let b = text.as_bytes();
    let (mut i, mut line) = (0usize, 1u64);
    let mut prev_ident: Option<(String, u64)> = None;
    let mut expect_value = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'"' || c == b'\'' {
            let start = i + 1;
            i += 1;
            while i < b.len() && b[i] != c && b[i] != b'\n' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            let value = String::from_utf8_lossy(&b[start..i.min(b.len())]).into_owned();
            i += 1;
            if expect_value {
                if let Some((key, at)) = prev_ident.take() {
                    match key.as_str() {
                        "name" => last_name = value,
                        "op" => {
                            if let Some(f) = classify_op(&value) {
                                out.push(
                                    f.at(vouch_report::Location { line: Some(at), ..Default::default() })
                                        .evidence(format!("node {last_name:?} op {value}")),
                                );
                            }
                        }
                        _ => {}
                    }
                }
            }
            expect_value = false;
        } else if c == b':' {
            expect_value = prev_ident.is_some();
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            prev_ident = Some((text[start..i].to_string(), line));
            expect_value = false;
        } else {
            i += 1;
        }
    }
    out.truncate(MAX_PER_RULE * 3);
    out
}

/// The finding an op name alone deserves, whatever its inputs.
fn classify_op(op: &str) -> Option<Finding> {
    if PYTHON_OPS.contains(&op) {
        return Some(Finding::new(&TF_PYTHON_OP, format!("graph op {op} runs arbitrary Python")));
    }
    if let Some((_, _, why)) = FILE_OPS.iter().find(|(n, _, _)| *n == op) {
        return Some(Finding::new(&TF_FILE_OP, format!("graph op {op} {why}")));
    }
    if NETWORK_OPS.contains(&op) {
        return Some(Finding::new(&TF_NETWORK_OP, format!("graph op {op} reaches the network or other processes")));
    }
    None
}

#[cfg(test)]
mod pbtxt_tests {
    #[test]
    fn text_graphs() {
        let g = "node {\n  name: \"x\"\n  op: \"Const\"\n}\nnode {\n  name: \"bad\"\n  op: \"PyFunc\"\n  attr { key: \"token\" value { s: \"pyfunc_0\" } }\n}\nnode { name: \"r\" op: \"ReadFile\" input: \"x\" }\n# op: \"EagerPyFunc\" in a comment\n";
        let f = super::analyse_pbtxt(g);
        let got: Vec<(&str, Option<u64>, &str)> = f.iter().map(|x| (x.rule.code, x.location.line, x.evidence.as_str())).collect();
        assert_eq!(got, vec![("VCH-TF-001", Some(7), "node \"bad\" op PyFunc"), ("VCH-TF-002", Some(10), "node \"r\" op ReadFile")]);
        assert!(super::analyse_pbtxt("node { name: \"a\" op: \"SaveV2\" }").is_empty());
    }
}
