//! What both writers need, derived once from the record: names, ids, datasets with their use,
//! base models with their relation, and card sections sorted by what they are about.

use vouch_model::ModelRecord;
use vouch_pkg::purl_segment;

const HF: &str = "https://huggingface.co/";

/// A Hugging Face id from a string that may be a URL (`https://huggingface.co/org/name`).
pub(crate) fn hf_id(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix(HF).or_else(|| s.strip_prefix("http://huggingface.co/")).or_else(|| s.strip_prefix("hf.co/")).unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

/// `(namespace, name)` of an id (`meta-llama/Llama-3.1-8B` -> `(Some("meta-llama"), "Llama-3.1-8B")`).
pub(crate) fn split_id(id: &str) -> (Option<&str>, &str) {
    match id.split_once('/') {
        Some((ns, n)) if !ns.is_empty() && !n.is_empty() && !n.contains('/') => (Some(ns), n),
        _ => (None, id),
    }
}

/// Looks like a Hub repository id (no spaces, at most one `/`, no scheme).
pub(crate) fn is_hub_id(id: &str) -> bool {
    !id.is_empty()
        && !id.contains("://")
        && id.matches('/').count() <= 1
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// `pkg:huggingface/org/name@revision` (purl spec `huggingface` type: the version is the commit,
/// lower case).
pub(crate) fn hf_purl(id: &str, revision: Option<&str>) -> Option<String> {
    if !is_hub_id(id) {
        return None;
    }
    let (ns, name) = split_id(id);
    let mut out = String::from("pkg:huggingface/");
    if let Some(ns) = ns {
        out.push_str(&purl_segment(ns));
        out.push('/');
    }
    out.push_str(&purl_segment(name));
    if let Some(r) = revision {
        out.push('@');
        out.push_str(&purl_segment(&r.to_ascii_lowercase()));
    }
    Some(out)
}

/// A link from the card made absolute: kept when it is already a URL, resolved against the
/// repository on the Hub when it is a path and the repository id is known.
pub(crate) fn absolute_link(record: &ModelRecord, link: &str) -> Option<String> {
    let link = link.trim();
    if link.starts_with("https://") || link.starts_with("http://") {
        return Some(link.to_string());
    }
    let id = record.repo_id.as_deref().filter(|i| is_hub_id(i))?;
    let rev = record.revision.as_deref().unwrap_or("main");
    Some(format!("{HF}{id}/blob/{rev}/{}", link.trim_start_matches("./").trim_start_matches('/')))
}

/// How a dataset is used by the model.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dataset {
    pub id: String,
    /// Display name from `model-index` when it differs from the id.
    pub display: Option<String>,
    pub training: bool,
    pub evaluation: bool,
    /// The id is a Hub dataset id (card `datasets`, `model-index` `dataset.type`), not only a
    /// display name.
    pub hub: bool,
}

impl Dataset {
    pub fn url(&self) -> Option<String> {
        (self.hub && is_hub_id(&self.id)).then(|| format!("{HF}datasets/{}", self.id))
    }
}

/// One `model-index` metric.
#[derive(Debug, Clone)]
pub(crate) struct Metric {
    pub kind: String,
    pub value: String,
    /// The dataset (display name, else id), with the split when given.
    pub slice: Option<String>,
}

/// A base model and how this model derives from it.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub id: String,
    pub relation: String,
    /// `card` when `base_model_relation` says so, `inferred` otherwise.
    pub relation_source: &'static str,
}

/// Card prose sorted by topic.
#[derive(Debug, Clone, Default)]
pub(crate) struct Considerations {
    pub users: Vec<String>,
    pub use_cases: Vec<String>,
    pub limitations: Vec<String>,
    pub tradeoffs: Vec<String>,
    /// (heading, text).
    pub risks: Vec<(String, String)>,
    pub mitigation: Option<String>,
    pub training: Vec<String>,
}

/// Everything derived from the record.
pub(crate) struct Facts {
    /// Hub id when known, else a name from the path or GGUF metadata.
    pub id: String,
    pub hub_id: Option<String>,
    pub revision: Option<String>,
    pub datasets: Vec<Dataset>,
    pub metrics: Vec<Metric>,
    pub bases: Vec<Base>,
    pub considerations: Considerations,
    /// The card's description: the first prose under no heading, the model's own name, or a
    /// heading such as "Model description" (at most 2000 characters).
    pub description: Option<String>,
}

/// Headings the Hugging Face template leaves unfilled say this.
fn placeholder(text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || t.eq_ignore_ascii_case("[More Information Needed]") || t.eq_ignore_ascii_case("More Information Needed")
}

impl Facts {
    pub fn new(record: &ModelRecord) -> Facts {
        let hub_id = record.repo_id.as_deref().map(hf_id).filter(|i| !i.is_empty());
        let id = hub_id.clone().unwrap_or_else(|| {
            record
                .gguf
                .as_ref()
                .and_then(|g| g.name.clone())
                .or_else(|| record.root.file_name().map(|f| f.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "model".into())
        });
        let card = record.card.clone().unwrap_or_default();

        let mut datasets: Vec<Dataset> = vec![];
        for d in &card.datasets {
            let d = hf_id(d);
            if d.is_empty() {
                continue;
            }
            match datasets.iter_mut().find(|x| x.id.eq_ignore_ascii_case(&d)) {
                Some(x) => x.training = true,
                None => datasets.push(Dataset { id: d, training: true, hub: true, ..Dataset::default() }),
            }
        }
        let mut metrics = vec![];
        for r in &card.eval_results {
            let hub = r.dataset_type.as_deref().is_some_and(|t| !t.trim().is_empty());
            let ds = r.dataset_type.as_deref().or(r.dataset_name.as_deref()).map(hf_id).filter(|d| !d.is_empty());
            if let Some(d) = &ds {
                match datasets.iter_mut().find(|x| x.id.eq_ignore_ascii_case(d)) {
                    Some(x) => {
                        x.evaluation = true;
                        x.hub |= hub;
                        if x.display.is_none() {
                            x.display = r.dataset_name.clone().filter(|n| n != d);
                        }
                    }
                    None => datasets.push(Dataset {
                        id: d.clone(),
                        display: r.dataset_name.clone().filter(|n| n != d),
                        evaluation: true,
                        hub,
                        ..Dataset::default()
                    }),
                }
            }
            let kind = r.metric_name.clone().or_else(|| r.metric_type.clone()).unwrap_or_else(|| "metric".into());
            let mut slice = r.dataset_name.clone().or(ds);
            if let (Some(s), Some(split)) = (&mut slice, &r.dataset_split) {
                s.push_str(&format!(" ({split} split)"));
            }
            if !r.value.trim().is_empty() {
                metrics.push(Metric { kind, value: r.value.trim().to_string(), slice });
            }
        }

        let mut bases: Vec<Base> = vec![];
        let declared = card.base_model_relation.clone().filter(|r| !r.trim().is_empty());
        let all: Vec<String> = record.base_models().iter().map(|b| hf_id(b)).filter(|b| !b.is_empty()).collect();
        let inferred = if record.adapter.is_some() {
            "adapter"
        } else if record.gguf.is_some() || record.weights.formats.iter().any(|f| f.eq_ignore_ascii_case("gguf")) {
            "quantized"
        } else if all.len() > 1 {
            "merge"
        } else {
            "finetune"
        };
        for b in all {
            if hub_id.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(&b)) || bases.iter().any(|x| x.id.eq_ignore_ascii_case(&b)) {
                continue;
            }
            let (relation, relation_source) = match &declared {
                Some(r) => (r.trim().to_ascii_lowercase(), "card"),
                None => (inferred.to_string(), "inferred"),
            };
            bases.push(Base { id: b, relation, relation_source });
        }

        let short = split_id(&id).1.to_ascii_lowercase();
        let description = card
            .sections
            .iter()
            .find(|(h, t)| {
                let h = h.trim().to_ascii_lowercase();
                !placeholder(t)
                    && (h.is_empty()
                        || h == short
                        || ["model description", "model details", "model summary", "description", "overview", "summary"]
                            .contains(&h.as_str()))
            })
            .map(|(_, t)| {
                let t = t.trim();
                match t.char_indices().nth(2000) {
                    Some((cut, _)) => format!("{}...", &t[..cut]),
                    None => t.to_string(),
                }
            });

        let mut c = Considerations::default();
        for (heading, text) in &card.sections {
            if placeholder(text) {
                continue;
            }
            let h = heading.to_ascii_lowercase();
            let text = text.trim().to_string();
            if h.contains("out-of-scope") || h.contains("out of scope") || h.contains("misuse") {
                c.limitations.push(format!("{}: {text}", heading.trim()));
            } else if h.contains("bias") || h.contains("risk") || h.contains("ethic") || h.contains("safety") || h.contains("fairness") {
                c.risks.push((heading.trim().to_string(), text));
            } else if h.contains("limitation") {
                c.limitations.push(text);
            } else if h.contains("tradeoff") || h.contains("trade-off") {
                c.tradeoffs.push(text);
            } else if h.contains("recommendation") || h.contains("mitigation") {
                c.mitigation = Some(text);
            } else if h.contains("intended user") || h == "users" {
                c.users.push(text);
            } else if h.contains("intended use")
                || h.contains("direct use")
                || h.contains("downstream use")
                || h.contains("use case")
                || h == "uses"
            {
                c.use_cases.push(text);
            } else if h.contains("training") {
                c.training.push(format!("{}: {text}", heading.trim()));
            }
        }

        Facts { id, hub_id, revision: record.revision.clone(), datasets, metrics, bases, considerations: c, description }
    }

    /// The supplier: the namespace of the Hub id.
    pub fn supplier(&self) -> Option<&str> {
        self.hub_id.as_deref().and_then(|i| split_id(i).0)
    }

    pub fn purl(&self) -> Option<String> {
        self.hub_id.as_deref().and_then(|i| hf_purl(i, self.revision.as_deref()))
    }

    pub fn download_location(&self) -> Option<String> {
        let id = self.hub_id.as_deref().filter(|i| is_hub_id(i))?;
        Some(match &self.revision {
            Some(r) => format!("{HF}{id}/tree/{r}"),
            None => format!("{HF}{id}"),
        })
    }
}

/// Model inputs and outputs for a Hugging Face `pipeline_tag`.
pub(crate) fn io_formats(pipeline_tag: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match pipeline_tag {
        "text-generation"
        | "text2text-generation"
        | "summarization"
        | "translation"
        | "question-answering"
        | "conversational"
        | "fill-mask" => (&["text"], &["text"]),
        "text-classification" | "zero-shot-classification" | "token-classification" => (&["text"], &["label"]),
        "feature-extraction" | "sentence-similarity" => (&["text"], &["embedding"]),
        "table-question-answering" => (&["table", "text"], &["text"]),
        "text-to-image" => (&["text"], &["image"]),
        "text-to-video" => (&["text"], &["video"]),
        "text-to-speech" | "text-to-audio" => (&["text"], &["audio"]),
        "image-to-text" => (&["image"], &["text"]),
        "image-text-to-text" | "visual-question-answering" | "document-question-answering" => (&["image", "text"], &["text"]),
        "image-classification" => (&["image"], &["label"]),
        "zero-shot-image-classification" => (&["image", "text"], &["label"]),
        "object-detection" | "zero-shot-object-detection" => (&["image"], &["bounding boxes"]),
        "image-segmentation" | "mask-generation" => (&["image"], &["mask"]),
        "image-to-image" | "depth-estimation" => (&["image"], &["image"]),
        "image-feature-extraction" => (&["image"], &["embedding"]),
        "automatic-speech-recognition" => (&["audio"], &["text"]),
        "audio-classification" => (&["audio"], &["label"]),
        "audio-to-audio" => (&["audio"], &["audio"]),
        "video-classification" => (&["video"], &["label"]),
        "tabular-classification" => (&["table"], &["label"]),
        "tabular-regression" | "time-series-forecasting" => (&["table"], &["number"]),
        _ => return None,
    })
}

/// The Hugging Face task category of a `pipeline_tag` (used as the SPDX AI domain).
pub(crate) fn task_domain(pipeline_tag: &str) -> Option<&'static str> {
    let (i, o) = io_formats(pipeline_tag).unwrap_or((&[], &[]));
    if pipeline_tag == "reinforcement-learning" || pipeline_tag == "robotics" {
        return Some("reinforcement learning");
    }
    let all: Vec<&str> = i.iter().chain(o.iter()).copied().collect();
    if all.is_empty() {
        return None;
    }
    let has = |k: &str| all.contains(&k);
    Some(if has("table") {
        "tabular"
    } else if (has("image") || has("video") || has("audio")) && has("text") {
        "multimodal"
    } else if has("image") || has("video") {
        "computer vision"
    } else if has("audio") {
        "audio"
    } else {
        "natural language processing"
    })
}

/// The learning approach, only when the card states it (pipeline tag or a tag naming it).
pub(crate) fn approach(record: &ModelRecord) -> Option<&'static str> {
    let card = record.card.as_ref()?;
    if card.pipeline_tag.as_deref() == Some("reinforcement-learning") {
        return Some("reinforcement-learning");
    }
    for t in &card.tags {
        match t.to_ascii_lowercase().as_str() {
            "supervised" | "sft" => return Some("supervised"),
            "unsupervised" => return Some("unsupervised"),
            "reinforcement-learning" => return Some("reinforcement-learning"),
            "semi-supervised" => return Some("semi-supervised"),
            "self-supervised" => return Some("self-supervised"),
            _ => {}
        }
    }
    None
}

/// A 64-digit hex SHA-256, lower case; `None` for anything else.
pub(crate) fn sha256_hex(s: &str) -> Option<String> {
    let s = s.trim();
    (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())).then(|| s.to_ascii_lowercase())
}
