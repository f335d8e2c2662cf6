//! SPDX 3.0.1 JSON-LD (Core, Software, AI, Dataset, SimpleLicensing, ExpandedLicensing) and the
//! AI/Dataset profile rules that the JSON schema leaves to prose.

use crate::facts::{self, Facts};
use crate::{license_choice, BomOptions, LicenseChoice};
use serde_json::{json, Map, Value};
use vouch_model::{FileRole, ModelRecord};

const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
const NO_ASSERTION_LICENSE: &str = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense";
const CI: &str = "_:creationinfo";

/// Converts an RFC 3339 time to the `YYYY-MM-DDTHH:MM:SSZ` form SPDX requires (UTC, no
/// fraction). Input that does not parse is returned as given (the schema will say so).
pub(crate) fn spdx_time(ts: &str) -> String {
    let b = ts.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { std::str::from_utf8(b.get(r)?).ok()?.parse().ok() };
    let parsed = (|| {
        let (y, mo, d, h, mi, s) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        let offset = match b.get(i)? {
            b'Z' | b'z' => 0,
            c @ (b'+' | b'-') => {
                let o = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
                if *c == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return None,
        };
        // To Unix seconds and back, which applies the offset.
        let secs = vouch_report::time::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset * 60;
        Some(vouch_report::time::format_unix(secs))
    })();
    parsed.unwrap_or_else(|| ts.to_string())
}

struct Graph {
    ns: String,
    items: Vec<Value>,
    rels: usize,
}

impl Graph {
    fn id(&self, local: &str) -> String {
        let local: String = local.chars().map(|c| if c.is_ascii_alphanumeric() || "-._".contains(c) { c } else { '-' }).collect();
        format!("{}#{local}", self.ns)
    }

    fn push(&mut self, v: Value) {
        self.items.push(v);
    }

    fn rel(&mut self, from: &str, kind: &str, to: Vec<String>, comment: Option<String>) {
        if to.is_empty() {
            return;
        }
        self.rels += 1;
        let mut r = json!({
            "type": "Relationship", "spdxId": self.id(&format!("relationship-{}", self.rels)), "creationInfo": CI,
            "from": from, "relationshipType": kind, "to": to,
        });
        if let Some(c) = comment {
            r["comment"] = json!(c);
        }
        self.push(r);
    }

    fn organization(&mut self, name: &str) -> String {
        let id = self.id(&format!("organization-{name}"));
        if !self.items.iter().any(|i| i["spdxId"] == json!(id)) {
            self.push(json!({"type": "Organization", "spdxId": id, "creationInfo": CI, "name": name}));
        }
        id
    }
}

fn purpose(r: FileRole) -> &'static str {
    match r {
        FileRole::Weights => "model",
        FileRole::Config => "configuration",
        FileRole::Tokenizer => "data",
        FileRole::Card | FileRole::License => "documentation",
        FileRole::Code => "source",
        FileRole::Other => "other",
    }
}

/// The license element for the model, pushed onto the graph; returns its id.
fn license_element(g: &mut Graph, record: &ModelRecord) -> String {
    let expression = |g: &mut Graph, expr: &str, uri: Option<&str>| {
        let id = g.id(&format!("license-{expr}"));
        let mut e = json!({"type": "simplelicensing_LicenseExpression", "spdxId": id, "creationInfo": CI, "simplelicensing_licenseExpression": expr});
        if let Some(u) = uri {
            e["simplelicensing_customIdToUri"] = json!([{"type": "DictionaryEntry", "key": expr, "value": u}]);
        }
        if expr.starts_with("LicenseRef-") {
            e["comment"] = json!("not on the SPDX License List; defined by the repository");
        } else {
            e["simplelicensing_licenseListVersion"] = json!(crate::SPDX_LICENSE_LIST_VERSION);
        }
        g.push(e);
        id
    };
    let custom = |g: &mut Graph, lref: &str, name: &str, url: Option<&str>, text: &str| {
        let id = g.id(lref);
        let mut e = json!({"type": "expandedlicensing_CustomLicense", "spdxId": id, "creationInfo": CI, "name": name, "simplelicensing_licenseText": text});
        if let Some(u) = url {
            e["expandedlicensing_seeAlso"] = json!([u]);
        }
        g.push(e);
        id
    };
    match license_choice(record) {
        LicenseChoice::Spdx(idv) => expression(g, &idv, None),
        LicenseChoice::Named { id, name, url, text: Some(t) } => custom(g, &id, &name, url.as_deref(), &t),
        LicenseChoice::Named { id, url, text: None, .. } => expression(g, &id, url.as_deref()),
        LicenseChoice::Ref { id, text: Some(t) } => custom(g, &id, &id, None, &t),
        LicenseChoice::Ref { id, text: None } => expression(g, &id, None),
        LicenseChoice::None => NO_ASSERTION_LICENSE.to_string(),
    }
}

/// The SPDX 3.0.1 JSON-LD document of `record`.
pub fn spdx3(record: &ModelRecord, opts: &BomOptions) -> Value {
    let f = Facts::new(record);
    let created = spdx_time(&opts.timestamp);
    let mut g = Graph { ns: opts.serial.clone(), items: vec![], rels: 0 };
    let agent = g.id("vouch-agent");
    let tool = g.id("vouch-tool");
    g.push(json!({
        "type": "CreationInfo", "@id": CI, "specVersion": "3.0.1", "created": created,
        "createdBy": [agent], "createdUsing": [tool],
    }));
    g.push(json!({"type": "SoftwareAgent", "spdxId": agent, "creationInfo": CI, "name": "vouch"}));
    g.push(json!({"type": "Tool", "spdxId": tool, "creationInfo": CI, "name": format!("vouch {}", opts.tool_version)}));

    // The model.
    let model = g.id("model");
    let card = record.card.clone().unwrap_or_default();
    let mut m = Map::new();
    m.insert("type".into(), json!("ai_AIPackage"));
    m.insert("spdxId".into(), json!(model));
    m.insert("creationInfo".into(), json!(CI));
    m.insert("name".into(), json!(f.id));
    m.insert("software_primaryPurpose".into(), json!("model"));
    if let Some(d) = &f.description {
        m.insert("description".into(), json!(d));
    }
    if let Some(r) = &f.revision {
        m.insert("software_packageVersion".into(), json!(r));
    }
    if let Some(d) = f.download_location() {
        m.insert("software_downloadLocation".into(), json!(d));
    }
    if let Some(p) = f.purl() {
        m.insert("software_packageUrl".into(), json!(p));
        m.insert(
            "externalIdentifier".into(),
            json!([{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": p}]),
        );
    }
    if let Some(id) = f.hub_id.as_deref().filter(|i| facts::is_hub_id(i)) {
        m.insert("software_homePage".into(), json!(format!("https://huggingface.co/{id}")));
    }
    if let Some(s) = f.supplier().map(str::to_string) {
        let org = g.organization(&s);
        m.insert("suppliedBy".into(), json!(org));
    }
    let mut types = vec![];
    if let Some(c) = &record.config {
        types.extend(c.model_type.iter().cloned());
        types.extend(c.architectures.iter().cloned());
    }
    if types.is_empty() {
        types.extend(record.gguf.as_ref().and_then(|g| g.architecture.clone()));
    }
    if let Some(a) = &record.adapter {
        types.push(format!("{} adapter", a.peft_type.as_deref().unwrap_or("PEFT")));
    }
    if !types.is_empty() {
        m.insert("ai_typeOfModel".into(), json!(types));
    }
    if let Some(d) = card.pipeline_tag.as_deref().and_then(facts::task_domain) {
        m.insert("ai_domain".into(), json!([d]));
    }
    let mut training = vec![];
    for b in &f.bases {
        training.push(format!("Derived from {} ({}, {}).", b.id, b.relation, b.relation_source));
    }
    let train_sets: Vec<&str> = f.datasets.iter().filter(|d| d.training).map(|d| d.id.as_str()).collect();
    if !train_sets.is_empty() {
        training.push(format!("Training datasets named in the model card: {}.", train_sets.join(", ")));
    }
    if let Some(c) = &card.co2 {
        if let Some(gr) = c.emissions_grams {
            let mut s = format!("CO2-equivalent emissions: {gr} g");
            for (k, v) in [
                ("source", &c.source),
                ("training type", &c.training_type),
                ("location", &c.geographical_location),
                ("hardware", &c.hardware_used),
            ] {
                if let Some(v) = v {
                    s.push_str(&format!("; {k}: {v}"));
                }
            }
            training.push(s + ".");
        }
    }
    training.extend(f.considerations.training.iter().cloned());
    if !training.is_empty() {
        m.insert("ai_informationAboutTraining".into(), json!(training.join("\n")));
    }
    let mut app = vec![];
    if let Some(t) = &card.pipeline_tag {
        app.push(format!("Task: {t}."));
    }
    app.extend(f.considerations.use_cases.iter().cloned());
    if !app.is_empty() {
        m.insert("ai_informationAboutApplication".into(), json!(app.join("\n")));
    }
    let lim: Vec<String> =
        f.considerations.limitations.iter().cloned().chain(f.considerations.risks.iter().map(|(h, t)| format!("{h}: {t}"))).collect();
    if !lim.is_empty() {
        m.insert("ai_limitation".into(), json!(lim.join("\n")));
    }
    if !f.metrics.is_empty() {
        let metrics: Vec<Value> = f
            .metrics
            .iter()
            .map(|x| {
                let key = match &x.slice {
                    Some(s) => format!("{} on {s}", x.kind),
                    None => x.kind.clone(),
                };
                json!({"type": "DictionaryEntry", "key": key, "value": x.value})
            })
            .collect();
        m.insert("ai_metric".into(), json!(metrics));
    }
    let mut hyper = vec![];
    if let Some(a) = &record.adapter {
        if let Some(r) = a.r {
            hyper.push(("lora_r".to_string(), r.to_string()));
        }
        if !a.target_modules.is_empty() {
            hyper.push(("target_modules".into(), a.target_modules.join(",")));
        }
    }
    if let Some(c) = &record.config {
        for (k, v) in [
            ("hidden_size", c.hidden_size),
            ("num_hidden_layers", c.num_hidden_layers),
            ("num_attention_heads", c.num_attention_heads),
            ("vocab_size", c.vocab_size),
            ("max_position_embeddings", c.max_position_embeddings),
        ] {
            if let Some(v) = v {
                hyper.push((k.to_string(), v.to_string()));
            }
        }
    }
    if !hyper.is_empty() {
        m.insert(
            "ai_hyperparameter".into(),
            hyper.into_iter().map(|(k, v)| json!({"type": "DictionaryEntry", "key": k, "value": v})).collect(),
        );
    }
    let mut notes = vec![];
    if let Some(n) = record.weights.parameter_count.or_else(|| record.gguf.as_ref().and_then(|g| g.parameter_count)) {
        notes.push(format!("parameters: {n}"));
    }
    if !record.weights.dtypes.is_empty() {
        notes.push(format!("dtypes: {}", record.weights.dtypes.keys().cloned().collect::<Vec<_>>().join(", ")));
    }
    if let Some(q) = record.gguf.as_ref().and_then(|g| g.quantization.clone()) {
        notes.push(format!("quantization: {q}"));
    }
    let pointers = record.files.iter().filter(|x| x.lfs.is_some()).count();
    if pointers > 0 {
        notes.push(format!("{pointers} file(s) present only as Git LFS pointers"));
    }
    notes.extend(record.problems.iter().map(|p| format!("not read: {p}")));
    if !notes.is_empty() {
        m.insert("comment".into(), json!(notes.join("; ")));
    }
    if record.kind == vouch_model::RepoKind::SingleFile {
        if let Some(h) = record.files.first().and_then(|x| x.lfs.as_ref().map(|l| l.oid_sha256.clone()).or_else(|| x.sha256.clone())) {
            if let Some(h) = facts::sha256_hex(&h) {
                m.insert("verifiedUsing".into(), json!([{"type": "Hash", "algorithm": "sha256", "hashValue": h}]));
            }
        }
    }
    g.push(Value::Object(m));
    let lic = license_element(&mut g, record);
    g.rel(&model, "hasDeclaredLicense", vec![lic], None);
    g.rel(&model, "hasConcludedLicense", vec![NO_ASSERTION_LICENSE.into()], Some("vouch bom reports declared licenses only".into()));

    // Datasets.
    let (mut trained, mut tested) = (vec![], vec![]);
    // The index keeps ids apart when sanitising makes two names alike (`a/b-c`, `a-b/c`).
    for (i, d) in f.datasets.iter().enumerate() {
        let id = g.id(&format!("dataset-{}-{}", i + 1, d.id));
        let mut e = json!({
            "type": "dataset_DatasetPackage", "spdxId": id, "creationInfo": CI, "name": d.id,
            "software_primaryPurpose": "data", "dataset_datasetType": ["noAssertion"],
        });
        if let Some(u) = d.url() {
            e["software_downloadLocation"] = json!(u);
        }
        if let Some(disp) = &d.display {
            e["summary"] = json!(disp);
        }
        if let (Some(ns), _) = facts::split_id(&d.id) {
            let ns = ns.to_string();
            e["originatedBy"] = json!([g.organization(&ns)]);
        }
        g.push(e);
        g.rel(&id, "hasDeclaredLicense", vec![NO_ASSERTION_LICENSE.into()], None);
        g.rel(&id, "hasConcludedLicense", vec![NO_ASSERTION_LICENSE.into()], None);
        if d.training {
            trained.push(id.clone());
        }
        if d.evaluation {
            tested.push(id);
        }
    }
    g.rel(&model, "trainedOn", trained, None);
    g.rel(&model, "testedOn", tested, Some("evaluation datasets of the card's model-index".into()));

    // Base models.
    let mut bases = vec![];
    for (i, b) in f.bases.iter().enumerate() {
        let id = g.id(&format!("base-model-{}-{}", i + 1, b.id));
        let mut e = json!({"type": "ai_AIPackage", "spdxId": id, "creationInfo": CI, "name": b.id, "software_primaryPurpose": "model"});
        if facts::is_hub_id(&b.id) {
            e["software_downloadLocation"] = json!(format!("https://huggingface.co/{}", b.id));
            if let Some(p) = facts::hf_purl(&b.id, None) {
                e["software_packageUrl"] = json!(p);
            }
        }
        if let (Some(ns), _) = facts::split_id(&b.id) {
            let ns = ns.to_string();
            e["suppliedBy"] = json!(g.organization(&ns));
        }
        g.push(e);
        g.rel(&id, "hasDeclaredLicense", vec![NO_ASSERTION_LICENSE.into()], None);
        g.rel(&id, "hasConcludedLicense", vec![NO_ASSERTION_LICENSE.into()], None);
        g.rel(&model, "descendantOf", vec![id.clone()], Some(format!("base_model_relation: {} ({})", b.relation, b.relation_source)));
        bases.push(id);
    }

    // Files.
    let mut files = vec![];
    for (i, file) in record.files.iter().enumerate() {
        let id = g.id(&format!("file-{i}"));
        let mut e = json!({"type": "software_File", "spdxId": id, "creationInfo": CI, "name": file.path, "software_primaryPurpose": purpose(file.role)});
        let hash = match &file.lfs {
            Some(l) => {
                e["comment"] =
                    json!(format!("only the Git LFS pointer is present; size {} and SHA-256 are those the pointer declares", l.size));
                facts::sha256_hex(&l.oid_sha256)
            }
            None => file.sha256.as_deref().and_then(facts::sha256_hex),
        };
        if let Some(h) = hash {
            e["verifiedUsing"] = json!([{"type": "Hash", "algorithm": "sha256", "hashValue": h}]);
        }
        g.push(e);
        files.push(id);
    }
    g.rel(&model, "contains", files, None);

    let doc = g.id("document");
    let elements: Vec<Value> = g.items.iter().filter_map(|i| i.get("spdxId").cloned()).collect();
    let document = json!({
        "type": "SpdxDocument", "spdxId": doc, "creationInfo": CI, "name": format!("AI BOM of {}", f.id),
        "dataLicense": "https://spdx.org/licenses/CC0-1.0",
        "profileConformance": ["core", "software", "ai", "dataset", "simpleLicensing", "expandedLicensing"],
        "rootElement": [model], "element": elements,
    });
    g.push(document);
    json!({"@context": CONTEXT, "@graph": g.items})
}

fn present(e: &Value, key: &str) -> bool {
    match e.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

const LICENSE_TYPES: [&str; 10] = [
    "simplelicensing_LicenseExpression",
    "simplelicensing_SimpleLicensingText",
    "expandedlicensing_CustomLicense",
    "expandedlicensing_ListedLicense",
    "expandedlicensing_ConjunctiveLicenseSet",
    "expandedlicensing_DisjunctiveLicenseSet",
    "expandedlicensing_OrLaterOperator",
    "expandedlicensing_WithAdditionOperator",
    "expandedlicensing_IndividualLicensingInfo",
    "expandedlicensing_CustomLicenseAddition",
];

/// The SPDX 3.0.1 AI and Dataset profile requirements that the JSON schema does not enforce, one
/// message per missing item, each naming the element:
/// - every `ai_AIPackage` has `suppliedBy`, `software_downloadLocation`, `software_packageVersion`,
///   `software_primaryPurpose` and `releaseTime` (AIPackage external property restrictions);
/// - every `dataset_DatasetPackage` has `builtTime`, exactly one `originatedBy`, `releaseTime`,
///   `software_downloadLocation` and `software_primaryPurpose`;
/// - every such package is the `from` of exactly one `hasDeclaredLicense` and exactly one
///   `hasConcludedLicense` relationship whose `to` is a license (profile conformance).
pub fn check_spdx_ai_profile(doc: &Value) -> Vec<String> {
    let empty = vec![];
    let graph = doc.get("@graph").and_then(Value::as_array).unwrap_or(&empty);
    let by_id = |id: &str| graph.iter().find(|e| e.get("spdxId").and_then(Value::as_str) == Some(id));
    let mut out = vec![];
    for e in graph {
        let ty = e.get("type").and_then(Value::as_str).unwrap_or("");
        let required: &[&str] = match ty {
            "ai_AIPackage" => {
                &["suppliedBy", "software_packageVersion", "releaseTime", "software_downloadLocation", "software_primaryPurpose"]
            }
            "dataset_DatasetPackage" => {
                &["originatedBy", "builtTime", "releaseTime", "software_downloadLocation", "software_primaryPurpose"]
            }
            _ => continue,
        };
        let id = e.get("spdxId").and_then(Value::as_str).unwrap_or("(no spdxId)");
        let what = match e.get("name").and_then(Value::as_str) {
            Some(n) => format!("{ty} {id} ({n})"),
            None => format!("{ty} {id}"),
        };
        for key in required {
            if !present(e, key) {
                out.push(format!(
                    "{what}: no {key} (required by the SPDX 3.0.1 {} profile)",
                    if ty == "ai_AIPackage" { "AI" } else { "Dataset" }
                ));
            }
        }
        if ty == "dataset_DatasetPackage" && e.get("originatedBy").and_then(Value::as_array).is_some_and(|a| a.len() > 1) {
            out.push(format!("{what}: more than one originatedBy (the Dataset profile allows one)"));
        }
        for kind in ["hasDeclaredLicense", "hasConcludedLicense"] {
            let rels: Vec<&Value> = graph
                .iter()
                .filter(|r| {
                    r.get("type").and_then(Value::as_str) == Some("Relationship")
                        && r.get("from").and_then(Value::as_str) == Some(id)
                        && r.get("relationshipType").and_then(Value::as_str) == Some(kind)
                })
                .collect();
            match rels.len() {
                0 => out.push(format!("{what}: no {kind} relationship (the profile requires exactly one)")),
                1 => {
                    for to in rels[0].get("to").and_then(Value::as_array).unwrap_or(&empty) {
                        let Some(t) = to.as_str() else { continue };
                        if let Some(target) = by_id(t) {
                            let tt = target.get("type").and_then(Value::as_str).unwrap_or("");
                            if !LICENSE_TYPES.contains(&tt) {
                                out.push(format!("{what}: {kind} points to {t}, a {tt}, not a license"));
                            }
                        }
                    }
                }
                n => out.push(format!("{what}: {n} {kind} relationships (the profile requires exactly one)")),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::spdx_time;

    #[test]
    fn times_become_whole_seconds_utc() {
        assert_eq!(spdx_time("2026-12-02T17:00:00Z"), "2026-12-02T17:00:00Z");
        assert_eq!(spdx_time("2026-12-02T17:00:00.123456Z"), "2026-12-02T17:00:00Z");
        assert_eq!(spdx_time("2026-12-31T23:30:00-01:00"), "2027-01-01T00:30:00Z");
        assert_eq!(spdx_time("2024-03-01T01:00:00+02:00"), "2024-02-29T23:00:00Z");
        assert_eq!(spdx_time("yesterday"), "yesterday");
    }
}
