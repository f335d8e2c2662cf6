//! CycloneDX 1.6 / 1.7 JSON. The model is `metadata.component` (a `machine-learning-model` with
//! its `modelCard`); datasets and files are top-level `components`; base models are
//! `pedigree.ancestors` of the model.

use crate::facts::{self, Facts};
use crate::{license_choice, BomOptions, CdxSpec, LicenseChoice};
use serde_json::{json, Map, Value};
use vouch_model::{FileRole, ModelRecord, RepoKind};

fn prop(name: &str, value: impl ToString) -> Value {
    json!({"name": name, "value": value.to_string()})
}

fn role(r: FileRole) -> &'static str {
    match r {
        FileRole::Weights => "weights",
        FileRole::Config => "config",
        FileRole::Tokenizer => "tokenizer",
        FileRole::Card => "card",
        FileRole::License => "license",
        FileRole::Code => "code",
        FileRole::Other => "other",
    }
}

/// The `licenses` array of the model component (empty when the repository says nothing).
fn licenses(record: &ModelRecord) -> Vec<Value> {
    let text = |t: &Option<String>| t.as_ref().map(|t| json!({"contentType": "text/plain", "content": t}));
    let mut lic = Map::new();
    match license_choice(record) {
        LicenseChoice::Spdx(id) if crate::NOT_IN_CYCLONEDX_ENUM.contains(&id.as_str()) => {
            return vec![json!({"expression": id, "acknowledgement": "declared"})];
        }
        LicenseChoice::Spdx(id) => {
            lic.insert("id".into(), json!(id));
        }
        LicenseChoice::Named { name, url, text: t, .. } => {
            lic.insert("name".into(), json!(name));
            if let Some(u) = url {
                lic.insert("url".into(), json!(u));
            }
            if let Some(t) = text(&t) {
                lic.insert("text".into(), t);
            }
        }
        LicenseChoice::Ref { id, text: t } => {
            lic.insert("name".into(), json!(id));
            if let Some(t) = text(&t) {
                lic.insert("text".into(), t);
            }
        }
        LicenseChoice::None => return vec![],
    }
    lic.insert("acknowledgement".into(), json!("declared"));
    vec![json!({ "license": lic })]
}

fn model_card(record: &ModelRecord, f: &Facts) -> Value {
    let card = record.card.clone().unwrap_or_default();
    let mut params = Map::new();
    if let Some(a) = facts::approach(record) {
        params.insert("approach".into(), json!({"type": a}));
    }
    if let Some(t) = &card.pipeline_tag {
        params.insert("task".into(), json!(t));
    }
    if let Some(c) = &record.config {
        if let Some(m) = &c.model_type {
            params.insert("architectureFamily".into(), json!(m));
        }
        if let Some(a) = c.architectures.first() {
            params.insert("modelArchitecture".into(), json!(a));
        }
    }
    if !params.contains_key("architectureFamily") {
        if let Some(a) = record.gguf.as_ref().and_then(|g| g.architecture.clone()) {
            params.insert("architectureFamily".into(), json!(a));
        }
    }
    if !f.datasets.is_empty() {
        let refs: Vec<Value> = f.datasets.iter().map(|d| json!({"ref": dataset_ref(&d.id)})).collect();
        params.insert("datasets".into(), json!(refs));
    }
    if let Some((i, o)) = card.pipeline_tag.as_deref().and_then(facts::io_formats) {
        params.insert("inputs".into(), i.iter().map(|x| json!({"format": x})).collect());
        params.insert("outputs".into(), o.iter().map(|x| json!({"format": x})).collect());
    }
    let mut mc = Map::new();
    if !params.is_empty() {
        mc.insert("modelParameters".into(), Value::Object(params));
    }
    if !f.metrics.is_empty() {
        let m: Vec<Value> = f
            .metrics
            .iter()
            .map(|m| {
                let mut o = json!({"type": m.kind, "value": m.value});
                if let Some(s) = &m.slice {
                    o["slice"] = json!(s);
                }
                o
            })
            .collect();
        mc.insert("quantitativeAnalysis".into(), json!({"performanceMetrics": m}));
    }
    let c = &f.considerations;
    let mut cons = Map::new();
    for (key, list) in
        [("users", &c.users), ("useCases", &c.use_cases), ("technicalLimitations", &c.limitations), ("performanceTradeoffs", &c.tradeoffs)]
    {
        if !list.is_empty() {
            cons.insert(key.into(), json!(list));
        }
    }
    if !c.risks.is_empty() {
        let risks: Vec<Value> = c
            .risks
            .iter()
            .map(|(h, t)| {
                let mut r = json!({"name": format!("{h}: {t}")});
                if let Some(m) = &c.mitigation {
                    r["mitigationStrategy"] = json!(m);
                }
                r
            })
            .collect();
        cons.insert("ethicalConsiderations".into(), json!(risks));
    }
    if let Some(co2) = &card.co2 {
        // energyConsumptions needs the energy in kWh and its providers, which a card's
        // co2_eq_emissions does not give; the figures go in as properties.
        let mut p = vec![];
        if let Some(g) = co2.emissions_grams {
            p.push(prop("vouch:co2eq-emissions-grams", g));
        }
        for (n, v) in [
            ("vouch:co2eq-source", &co2.source),
            ("vouch:co2eq-training-type", &co2.training_type),
            ("vouch:co2eq-geographical-location", &co2.geographical_location),
            ("vouch:co2eq-hardware-used", &co2.hardware_used),
        ] {
            if let Some(v) = v {
                p.push(prop(n, v));
            }
        }
        if !p.is_empty() {
            cons.insert("environmentalConsiderations".into(), json!({"properties": p}));
        }
    }
    if !cons.is_empty() {
        mc.insert("considerations".into(), Value::Object(cons));
    }
    Value::Object(mc)
}

fn dataset_ref(id: &str) -> String {
    format!("dataset/{id}")
}

fn model_properties(record: &ModelRecord) -> Vec<Value> {
    let mut p = vec![];
    let w = &record.weights;
    if let Some(n) = w.parameter_count.or_else(|| record.gguf.as_ref().and_then(|g| g.parameter_count)) {
        p.push(prop("vouch:parameter-count", n));
    }
    for (dtype, n) in &w.dtypes {
        p.push(prop("vouch:dtype", dtype));
        p.push(prop(&format!("vouch:parameters:{dtype}"), n));
    }
    for fmt in &w.formats {
        p.push(prop("vouch:weights-format", fmt));
    }
    if !w.shards.is_empty() {
        p.push(prop("vouch:shard-count", w.shards.len()));
    }
    if let Some(c) = &record.config {
        if let Some(d) = &c.torch_dtype {
            p.push(prop("vouch:torch-dtype", d));
        }
        for (k, v) in [
            ("hidden-size", c.hidden_size),
            ("num-hidden-layers", c.num_hidden_layers),
            ("num-attention-heads", c.num_attention_heads),
            ("vocab-size", c.vocab_size),
            ("max-position-embeddings", c.max_position_embeddings),
        ] {
            if let Some(v) = v {
                p.push(prop(&format!("vouch:config:{k}"), v));
            }
        }
    }
    if let Some(g) = &record.gguf {
        if let Some(q) = &g.quantization {
            p.push(prop("vouch:quantization", q));
        }
        if let Some(a) = &g.architecture {
            p.push(prop("vouch:gguf:architecture", a));
        }
    }
    if let Some(o) = &record.onnx {
        for (k, v) in [("producer-name", &o.producer_name), ("producer-version", &o.producer_version)] {
            if let Some(v) = v {
                p.push(prop(&format!("vouch:onnx:{k}"), v));
            }
        }
        if let Some(v) = o.ir_version {
            p.push(prop("vouch:onnx:ir-version", v));
        }
        for (domain, version) in &o.opsets {
            let d = if domain.is_empty() { "ai.onnx" } else { domain };
            p.push(prop("vouch:onnx:opset", format!("{d} {version}")));
        }
    }
    if let Some(a) = &record.adapter {
        if let Some(t) = &a.peft_type {
            p.push(prop("vouch:adapter:peft-type", t));
        }
        if let Some(t) = &a.task_type {
            p.push(prop("vouch:adapter:task-type", t));
        }
        if let Some(r) = a.r {
            p.push(prop("vouch:adapter:r", r));
        }
        if !a.target_modules.is_empty() {
            p.push(prop("vouch:adapter:target-modules", a.target_modules.join(",")));
        }
    }
    if let Some(card) = &record.card {
        if let Some(l) = &card.library_name {
            p.push(prop("vouch:library", l));
        }
        for l in &card.languages {
            p.push(prop("vouch:language", l));
        }
    }
    let pointers = record.files.iter().filter(|f| f.lfs.is_some()).count();
    if pointers > 0 {
        p.push(prop("vouch:lfs-pointer-files", pointers));
    }
    for problem in &record.problems {
        p.push(prop("vouch:problem", problem));
    }
    p
}

fn file_components(record: &ModelRecord) -> Vec<Value> {
    let mut out = vec![];
    for f in &record.files {
        let mut c = json!({"type": "file", "bom-ref": format!("file/{}", f.path), "name": f.path});
        let mut props = vec![prop("vouch:role", role(f.role))];
        let hash = match &f.lfs {
            // The pointer's oid is the SHA-256 of the real content, which is what identifies it.
            Some(l) => {
                props.push(prop("vouch:lfs-pointer", "true"));
                props.push(prop("vouch:lfs-note", "only the Git LFS pointer is present; the hash and size are those the pointer declares"));
                props.push(prop("vouch:size", l.size));
                facts::sha256_hex(&l.oid_sha256)
            }
            None => {
                props.push(prop("vouch:size", f.size));
                f.sha256.as_deref().and_then(facts::sha256_hex)
            }
        };
        match hash {
            Some(h) => c["hashes"] = json!([{"alg": "SHA-256", "content": h}]),
            None => props.push(prop("vouch:sha256", "not computed")),
        }
        c["properties"] = json!(props);
        out.push(c);
    }
    out
}

fn base_component(b: &facts::Base) -> Value {
    let (ns, name) = facts::split_id(&b.id);
    let mut c = json!({"type": "machine-learning-model", "bom-ref": format!("base-model/{}", b.id), "name": name});
    if let Some(ns) = ns {
        c["group"] = json!(ns);
    }
    if let Some(p) = facts::hf_purl(&b.id, None) {
        c["purl"] = json!(p);
        c["externalReferences"] = json!([{"type": "distribution", "url": format!("https://huggingface.co/{}", b.id)}]);
    }
    c["properties"] = json!([prop("vouch:relation", &b.relation), prop("vouch:relation-source", b.relation_source)]);
    c
}

fn data_component(d: &facts::Dataset) -> Value {
    let (ns, _) = facts::split_id(&d.id);
    let mut data = json!({"type": "dataset", "name": d.display.clone().unwrap_or_else(|| d.id.clone())});
    let uses: Vec<&str> = [(d.training, "training"), (d.evaluation, "evaluation")].iter().filter(|(b, _)| *b).map(|(_, u)| *u).collect();
    data["description"] = json!(format!("{} dataset named in the model card", uses.join(" and ")));
    let mut c = json!({"type": "data", "bom-ref": dataset_ref(&d.id), "name": d.id});
    if let Some(ns) = ns {
        c["group"] = json!(ns);
    }
    if let Some(u) = d.url() {
        data["contents"] = json!({"url": u});
        c["externalReferences"] = json!([{"type": "distribution", "url": u}]);
    }
    c["data"] = json!([data]);
    c["properties"] = uses.iter().map(|u| prop("vouch:dataset-use", u)).collect();
    c
}

/// The CycloneDX ML-BOM of `record` (JSON), for CycloneDX `spec`.
pub fn cyclonedx(record: &ModelRecord, spec: CdxSpec, opts: &BomOptions) -> Value {
    let f = Facts::new(record);
    let mut model = Map::new();
    model.insert("type".into(), json!("machine-learning-model"));
    model.insert("bom-ref".into(), json!(format!("model/{}", f.id)));
    let (ns, name) = facts::split_id(&f.id);
    if f.hub_id.is_some() {
        if let Some(ns) = ns {
            model.insert("supplier".into(), json!({"name": ns, "url": [format!("https://huggingface.co/{ns}")]}));
            model.insert("group".into(), json!(ns));
        }
        model.insert("name".into(), json!(name));
    } else {
        model.insert("name".into(), json!(f.id));
    }
    if let Some(r) = &f.revision {
        model.insert("version".into(), json!(r));
    }
    if let Some(d) = &f.description {
        model.insert("description".into(), json!(d));
    }
    if record.kind == RepoKind::SingleFile {
        if let Some(h) = record.files.first().and_then(|x| x.lfs.as_ref().map(|l| l.oid_sha256.clone()).or_else(|| x.sha256.clone())) {
            if let Some(h) = facts::sha256_hex(&h) {
                model.insert("hashes".into(), json!([{"alg": "SHA-256", "content": h}]));
            }
        }
    }
    let lic = licenses(record);
    if !lic.is_empty() {
        model.insert("licenses".into(), json!(lic));
    }
    if let Some(p) = f.purl() {
        model.insert("purl".into(), json!(p));
    }
    if let Some(id) = &f.hub_id {
        if facts::is_hub_id(id) {
            let url = format!("https://huggingface.co/{id}");
            model.insert("externalReferences".into(), json!([{"type": "distribution", "url": url}, {"type": "model-card", "url": url}]));
        }
    }
    if !f.bases.is_empty() {
        model.insert("pedigree".into(), json!({"ancestors": f.bases.iter().map(base_component).collect::<Vec<_>>()}));
    }
    model.insert("modelCard".into(), model_card(record, &f));
    if let Some(tags) = record.card.as_ref().map(|c| c.tags.clone()).filter(|t| !t.is_empty()) {
        model.insert("tags".into(), json!(tags));
    }
    let props = model_properties(record);
    if !props.is_empty() {
        model.insert("properties".into(), json!(props));
    }

    let mut components: Vec<Value> = f.datasets.iter().map(data_component).collect();
    if record.kind != RepoKind::SingleFile {
        components.extend(file_components(record));
    }
    let v = spec.as_str();
    json!({
        "$schema": format!("http://cyclonedx.org/schema/bom-{v}.schema.json"),
        "bomFormat": "CycloneDX",
        "specVersion": v,
        "serialNumber": opts.serial,
        "version": 1,
        "metadata": {
            "timestamp": opts.timestamp,
            "tools": {"components": [{"type": "application", "group": "vouch", "name": "vouch", "version": opts.tool_version}]},
            "component": Value::Object(model),
        },
        "components": components,
    })
}
