//! Openness of a model repository: the OSI Open Source AI Definition 1.0 (OSAID), the Model
//! Openness Framework class from what the repository holds, and the European Open Source AI Index
//! parameters. Anything a repository cannot show (a paper's license, whether data information is
//! sufficient) is `needs-human`, never assumed.

use crate::mof::{class_from_outcomes, is_open_for_component, ComponentOutcome, COMPONENTS};
use crate::{ResolvedLicense, Restriction, RestrictionKind};
use serde_json::json;
use std::fmt::Write as _;
use vouch_model::{FileRole, ModelRecord};

/// Found, missing, or a human must check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentStatus {
    /// Present in the repository.
    Found,
    /// Not present, nor referenced.
    Missing,
    /// Referenced (a link, a section) but not verifiable offline.
    NeedsHuman,
}

impl ComponentStatus {
    /// `found`, `missing`, `needs-human`.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentStatus::Found => "found",
            ComponentStatus::Missing => "missing",
            ComponentStatus::NeedsHuman => "needs-human",
        }
    }
}

/// One MOF component as found in the repository.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// MOT component id.
    pub id: u32,
    /// Component name.
    pub name: String,
    /// MOF class of the component.
    pub class: u8,
    /// Found / missing / needs-human.
    pub status: ComponentStatus,
    /// File or card section that shows it.
    pub evidence: Option<String>,
    /// The license that covers it, when known.
    pub license: Option<String>,
    /// Whether that license is open for the component's content type.
    pub license_open: Option<bool>,
}

/// OSAID verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OsaidVerdict {
    /// Meets the definition as far as the repository shows.
    Pass,
    /// Fails it (reasons given).
    Fail,
    /// Cannot be decided offline (human checks listed).
    Undetermined,
}

/// The OSAID assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Osaid {
    /// Verdict.
    pub verdict: OsaidVerdict,
    /// Why it fails.
    pub reasons: Vec<String>,
    /// What a human must check.
    pub human_checks: Vec<String>,
}

/// One parameter of the European Open Source AI Index.
#[derive(Debug, Clone, PartialEq)]
pub struct EuParameter {
    /// Parameter name.
    pub name: &'static str,
    /// Found / missing / needs-human.
    pub status: ComponentStatus,
    /// What shows it.
    pub evidence: Option<String>,
}

/// All openness assessments.
#[derive(Debug, Clone, PartialEq)]
pub struct Openness {
    /// OSI Open Source AI Definition 1.0.
    pub osaid: Osaid,
    /// MOF class reached by what the repository shows: 3, 2, 1, or 0 (none). Components that need a
    /// human count as not met, so this is a lower bound.
    pub mof_class: u8,
    /// The 17 MOF components.
    pub components: Vec<Component>,
    /// European Open Source AI Index parameters.
    pub eu_osai: Vec<EuParameter>,
}

struct Evidence<'a> {
    record: &'a ModelRecord,
}

impl Evidence<'_> {
    fn file(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        self.record.files.iter().find(|f| pred(&f.path.to_ascii_lowercase())).map(|f| f.path.clone())
    }
    fn section(&self, words: &[&str]) -> Option<String> {
        let card = self.record.card.as_ref()?;
        card.sections
            .iter()
            .find(|(h, _)| {
                let h = h.to_ascii_lowercase();
                words.iter().any(|w| h.contains(w))
            })
            .map(|(h, _)| format!("README.md section \"{h}\""))
    }
    fn prose_contains(&self, needles: &[&str]) -> Option<String> {
        let card = self.record.card.as_ref()?;
        for (h, t) in &card.sections {
            let s = t.to_ascii_lowercase();
            if let Some(n) = needles.iter().find(|n| s.contains(*n)) {
                return Some(format!("README.md section \"{h}\" mentions {n}"));
            }
        }
        None
    }
}

fn is_weights(p: &str) -> bool {
    [".safetensors", ".gguf", ".bin", ".pt", ".pth", ".onnx", ".h5", ".msgpack", ".ckpt"].iter().any(|e| p.ends_with(e))
}

/// Components from the repository contents.
fn components(record: &ModelRecord, license: &ResolvedLicense) -> Vec<Component> {
    let ev = Evidence { record };
    let card = record.card.as_ref();
    let lic = license.id.clone();
    COMPONENTS
        .iter()
        .map(|def| {
            let (status, evidence) = match def.id {
                9 => match ev.file(|p| p.ends_with(".py") && (p.contains("model") || p.contains("arch"))) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => match ev.file(|p| p == "config.json") {
                        Some(f) => (ComponentStatus::NeedsHuman, Some(format!("{f} names the architecture; its code lives elsewhere"))),
                        None => (ComponentStatus::Missing, None),
                    },
                },
                10 => match record.files.iter().find(|f| f.role == FileRole::Weights || is_weights(&f.path.to_ascii_lowercase())) {
                    Some(f) => (ComponentStatus::Found, Some(f.path.clone())),
                    None => (ComponentStatus::Missing, None),
                },
                24 => match ev.file(|p| p.contains("checkpoint-") || p.contains("intermediate")) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => (ComponentStatus::Missing, None),
                },
                17 => match ev.file(|p| p == "config.json" || p == "generation_config.json" || p.ends_with("training_args.bin")) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => (ComponentStatus::Missing, None),
                },
                13 => match card {
                    Some(_) => (ComponentStatus::Found, Some("README.md".into())),
                    None => (ComponentStatus::Missing, None),
                },
                12 => match card.filter(|c| !c.eval_results.is_empty()) {
                    Some(c) => (ComponentStatus::Found, Some(format!("README.md model-index ({} results)", c.eval_results.len()))),
                    None => opt_human(ev.section(&["evaluation", "benchmark", "results"])),
                },
                14 => opt_human(ev.section(&["training data", "dataset", "data card"])),
                15 => match card.filter(|c| !c.datasets.is_empty()) {
                    Some(c) => (ComponentStatus::NeedsHuman, Some(format!("card datasets: {}", c.datasets.join(", ")))),
                    None => opt_human(ev.section(&["training data"])),
                },
                19 => match card.and_then(|c| c.eval_results.iter().find_map(|r| r.dataset_name.clone().or(r.dataset_type.clone()))) {
                    Some(d) => (ComponentStatus::NeedsHuman, Some(format!("evaluated on {d}"))),
                    None => (ComponentStatus::Missing, None),
                },
                11 | 21 => opt_human(ev.prose_contains(&["arxiv.org", "technical report", "paper"])),
                7 => match ev.file(|p| p.ends_with(".py") && p.contains("train")) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => opt_human(ev.section(&["training procedure", "training code", "fine-tuning", "training"])),
                },
                8 => match ev.file(|p| p.ends_with(".py") && (p.contains("infer") || p.contains("generate") || p.contains("pipeline"))) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => opt_human(ev.section(&["usage", "how to use", "inference", "quickstart", "quick start"])),
                },
                18 => match ev.file(|p| p.ends_with(".py") && p.contains("eval")) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => (ComponentStatus::Missing, None),
                },
                16 => match ev.file(|p| p.ends_with(".py") && (p.contains("preprocess") || p.contains("prepare"))) {
                    Some(f) => (ComponentStatus::Found, Some(f)),
                    None => (ComponentStatus::Missing, None),
                },
                22 => match card.and_then(|c| c.library_name.clone()) {
                    Some(l) => (ComponentStatus::NeedsHuman, Some(format!("library_name: {l}"))),
                    None => (ComponentStatus::Missing, None),
                },
                20 => opt_human(ev.section(&["example", "sample output"])),
                _ => (ComponentStatus::Missing, None),
            };
            // Repository files are covered by the repository license; referenced material is not.
            let (license, license_open) = if status == ComponentStatus::Found {
                (lic.clone(), Some(lic.as_deref().is_some_and(|l| license.osi_approved == Some(true) || is_open_for_component(l, def))))
            } else {
                (None, None)
            };
            Component { id: def.id, name: def.name.to_string(), class: def.class, status, evidence, license, license_open }
        })
        .collect()
}

fn opt_human(e: Option<String>) -> (ComponentStatus, Option<String>) {
    match e {
        Some(e) => (ComponentStatus::NeedsHuman, Some(e)),
        None => (ComponentStatus::Missing, None),
    }
}

/// OSAID 1.0 requires the weights, the code and sufficiently detailed data information under
/// terms that grant the four freedoms (use, study, modify, share) without field-of-use limits.
fn osaid(license: &ResolvedLicense, restrictions: &[Restriction], comps: &[Component]) -> Osaid {
    let mut reasons = vec![];
    let mut checks = vec![];
    match license.osi_approved {
        Some(false) => reasons.push(format!("weights license `{}` is not OSI-approved", license.id.as_deref().unwrap_or("?"))),
        None => checks.push("identify the weights license and whether it is OSI-approved".to_string()),
        Some(true) => {}
    }
    for r in restrictions {
        let limits_freedom = matches!(
            r.kind,
            RestrictionKind::NonCommercial
                | RestrictionKind::MauCap
                | RestrictionKind::RevenueCap
                | RestrictionKind::AcceptableUsePolicy
                | RestrictionKind::OutputUseBan
                | RestrictionKind::GeographicExclusion
                | RestrictionKind::RemoteRestriction
                | RestrictionKind::FieldOfUse
        );
        if limits_freedom {
            let from = r.inherited_from.as_deref().map(|b| format!(" (inherited from {b})")).unwrap_or_default();
            reasons.push(format!("{}{from}: {} [{} {}]", r.kind.as_str(), r.detail, r.source.license, r.source.clause));
        }
    }
    let status = |id: u32| comps.iter().find(|c| c.id == id).map(|c| c.status).unwrap_or(ComponentStatus::Missing);
    if status(10) == ComponentStatus::Missing {
        checks.push("the weights are not in this repository: check where they are published and under which terms".into());
    }
    let code = [7u32, 8, 9, 16];
    if code.iter().all(|id| status(*id) != ComponentStatus::Found) {
        checks.push("training and inference code: check that the complete code is published under an OSI-approved license".into());
    }
    if [15u32, 14].iter().all(|id| status(*id) == ComponentStatus::Missing) {
        checks.push("data information: the repository does not describe the training data; check the paper or data card".into());
    } else {
        checks.push(
            "data information: check that the description of the training data is sufficient to build a substantially equivalent system"
                .into(),
        );
    }
    let verdict = if !reasons.is_empty() {
        OsaidVerdict::Fail
    } else if checks.is_empty() {
        OsaidVerdict::Pass
    } else {
        OsaidVerdict::Undetermined
    };
    Osaid { verdict, reasons, human_checks: checks }
}

/// European Open Source AI Index parameters (availability, documentation, access).
fn eu_index(record: &ModelRecord, license: &ResolvedLicense, comps: &[Component]) -> Vec<EuParameter> {
    let comp = |id: u32| comps.iter().find(|c| c.id == id);
    let from = |id: u32| comp(id).map(|c| (c.status, c.evidence.clone())).unwrap_or((ComponentStatus::Missing, None));
    let is_base = record.base_models().is_empty();
    let ev = Evidence { record };
    let mut out = vec![];
    let weights = from(10);
    let data = from(15);
    let (base_w, end_w) = if is_base {
        (weights.clone(), (ComponentStatus::NeedsHuman, Some("no instruction-tuned variant in this repository".to_string())))
    } else {
        ((ComponentStatus::NeedsHuman, Some(format!("base model: {}", record.base_models().join(", ")))), weights.clone())
    };
    out.push(EuParameter {
        name: "Base model data",
        status: if is_base { data.0 } else { ComponentStatus::NeedsHuman },
        evidence: data.1.clone(),
    });
    out.push(EuParameter {
        name: "End-user model data",
        status: if is_base { ComponentStatus::NeedsHuman } else { data.0 },
        evidence: data.1.clone(),
    });
    out.push(EuParameter { name: "Base model weights", status: base_w.0, evidence: base_w.1 });
    out.push(EuParameter { name: "End-user model weights", status: end_w.0, evidence: end_w.1 });
    let t = from(7);
    out.push(EuParameter { name: "Training code", status: t.0, evidence: t.1 });
    let docs = ev.file(|p| p.ends_with(".md") && p != "readme.md").or_else(|| ev.section(&["usage", "how to use"]));
    out.push(EuParameter {
        name: "Code documentation",
        status: if docs.is_some() { ComponentStatus::NeedsHuman } else { ComponentStatus::Missing },
        evidence: docs,
    });
    let hw = record
        .card
        .as_ref()
        .and_then(|c| c.co2.as_ref())
        .and_then(|c| c.hardware_used.clone())
        .or_else(|| ev.section(&["hardware", "compute"]));
    out.push(EuParameter {
        name: "Hardware architecture",
        status: if hw.is_some() { ComponentStatus::NeedsHuman } else { ComponentStatus::Missing },
        evidence: hw,
    });
    let paper = from(21);
    out.push(EuParameter { name: "Preprint", status: paper.0, evidence: paper.1.clone() });
    out.push(EuParameter {
        name: "Paper (peer-reviewed)",
        status: if paper.0 == ComponentStatus::Missing { ComponentStatus::Missing } else { ComponentStatus::NeedsHuman },
        evidence: paper.1,
    });
    let card = from(13);
    out.push(EuParameter { name: "Model card", status: card.0, evidence: card.1 });
    let dc = from(14);
    out.push(EuParameter { name: "Datasheet", status: dc.0, evidence: dc.1 });
    let pkg = record.card.as_ref().and_then(|c| c.library_name.clone()).map(|l| format!("library_name: {l}"));
    out.push(EuParameter {
        name: "Package",
        status: if pkg.is_some() { ComponentStatus::NeedsHuman } else { ComponentStatus::Missing },
        evidence: pkg,
    });
    out.push(EuParameter { name: "API and meta prompts", status: ComponentStatus::NeedsHuman, evidence: None });
    let lic_status = match license.osi_approved {
        Some(true) => ComponentStatus::Found,
        Some(false) => ComponentStatus::Missing,
        None => ComponentStatus::NeedsHuman,
    };
    out.push(EuParameter {
        name: "Licenses",
        status: lic_status,
        evidence: Some(format!("{} ({})", license.id.as_deref().unwrap_or("unknown"), license.source.label())),
    });
    out
}

/// Assesses openness of `record` under `license` with `restrictions` (own and inherited).
pub(crate) fn assess(record: &ModelRecord, license: &ResolvedLicense, restrictions: &[Restriction]) -> Openness {
    let comps = components(record, license);
    let outcomes: Vec<ComponentOutcome> = COMPONENTS
        .iter()
        .map(|def| {
            let c = comps.iter().find(|c| c.id == def.id);
            let included = c.is_some_and(|c| c.status == ComponentStatus::Found);
            ComponentOutcome {
                id: def.id,
                name: def.name,
                included,
                license: c.and_then(|c| c.license.clone()),
                open: c.and_then(|c| c.license_open).unwrap_or(false),
            }
        })
        .collect();
    // Restrictions that limit use make the weights' license not open, whatever the card says.
    let restricted = restrictions.iter().any(|r| !matches!(r.kind, RestrictionKind::Attribution | RestrictionKind::NamingDuty));
    let conditional = outcomes.iter().any(|o| crate::mof::CONDITIONAL_CLASS_3.contains(&o.id) && o.included && o.open);
    let (mut class, _) = class_from_outcomes(&outcomes, conditional);
    if restricted {
        class = 0;
    }
    let osaid = osaid(license, restrictions, &comps);
    let eu = eu_index(record, license, &comps);
    Openness { osaid, mof_class: class, components: comps, eu_osai: eu }
}

/// JSON of the openness section.
pub(crate) fn to_json(o: &Openness) -> serde_json::Value {
    json!({
        "osaid": {
            "verdict": match o.osaid.verdict { OsaidVerdict::Pass => "pass", OsaidVerdict::Fail => "fail", OsaidVerdict::Undetermined => "undetermined" },
            "reasons": o.osaid.reasons,
            "human_checks": o.osaid.human_checks,
        },
        "mof_class": o.mof_class,
        "components": o.components.iter().map(|c| json!({
            "id": c.id, "name": c.name, "class": c.class, "status": c.status.as_str(),
            "evidence": c.evidence, "license": c.license, "license_open": c.license_open,
        })).collect::<Vec<_>>(),
        "eu_osai": o.eu_osai.iter().map(|p| json!({"name": p.name, "status": p.status.as_str(), "evidence": p.evidence})).collect::<Vec<_>>(),
    })
}

/// Human text of the openness section.
pub(crate) fn human(o: &Openness) -> String {
    let mut s = String::new();
    let v = match o.osaid.verdict {
        OsaidVerdict::Pass => "pass",
        OsaidVerdict::Fail => "fail",
        OsaidVerdict::Undetermined => "undetermined",
    };
    let _ = writeln!(s, "OSAID 1.0: {v}");
    for r in &o.osaid.reasons {
        let _ = writeln!(s, "  - {r}");
    }
    for c in &o.osaid.human_checks {
        let _ = writeln!(s, "  ? {c}");
    }
    let class = match o.mof_class {
        1 => "Class I (open science)",
        2 => "Class II (open tooling)",
        3 => "Class III (open model)",
        _ => "unclassified",
    };
    let _ = writeln!(s, "MOF: {class}");
    for c in &o.components {
        let _ = writeln!(s, "  {:<32} {:<11} {}", c.name, c.status.as_str(), c.evidence.as_deref().unwrap_or(""));
    }
    let _ = writeln!(s, "EU Open Source AI Index:");
    for p in &o.eu_osai {
        let _ = writeln!(s, "  {:<32} {:<11} {}", p.name, p.status.as_str(), p.evidence.as_deref().unwrap_or(""));
    }
    s
}
