//! Model Openness Framework (MOF 1.0) classes and the Model Openness Tool (MOT) rules.
//!
//! The MOF defines 17 components, each tied to a class: Class III (open model), Class II (open
//! tooling), Class I (open science). A model reaches a class when every required component of that
//! class and of the classes below it is released under a license that is open for the component's
//! content type: OSI-approved for code, an open-data license for data, an open-content (or
//! FSF-libre) license for documents. The component table (ids, classes, content types, required
//! flags) follows the MOT's `mof.settings.yml`; the license is resolved per component as the MOT
//! does: the component's own license, else a global license for one of its content types, else the
//! global distribution license.

use crate::catalog::spdx_id;
use crate::LicenseError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Content types of MOF components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    /// Source code.
    Code,
    /// Data (datasets, weights as data).
    Data,
    /// Documents (papers, cards).
    Document,
}

impl ContentType {
    fn key(self) -> &'static str {
        match self {
            ContentType::Code => "code",
            ContentType::Data => "data",
            ContentType::Document => "document",
        }
    }
}

/// One MOF component definition.
#[derive(Debug, Clone, Copy)]
pub struct ComponentDef {
    /// MOT component id.
    pub id: u32,
    /// Name as written in MOT records.
    pub name: &'static str,
    /// The MOF class (3, 2, 1) the component belongs to.
    pub class: u8,
    /// Content types, in the order the MOT checks them.
    pub types: &'static [ContentType],
    /// Whether the class requires it.
    pub required: bool,
}

use ContentType::{Code, Data, Document};

/// The 17 MOF components (MOT `mof.settings.yml`).
pub const COMPONENTS: [ComponentDef; 17] = [
    ComponentDef { id: 9, name: "Model architecture", class: 3, types: &[Code], required: true },
    ComponentDef { id: 10, name: "Model parameters (Final)", class: 3, types: &[Data, Code], required: true },
    ComponentDef { id: 12, name: "Evaluation results", class: 3, types: &[Document, Code], required: true },
    ComponentDef { id: 13, name: "Model card", class: 3, types: &[Document, Code], required: true },
    ComponentDef { id: 14, name: "Data card", class: 3, types: &[Document, Code], required: true },
    ComponentDef { id: 11, name: "Technical report", class: 3, types: &[Document, Code], required: true },
    ComponentDef { id: 20, name: "Sample model outputs", class: 3, types: &[Data, Code, Document], required: false },
    ComponentDef { id: 7, name: "Training code", class: 2, types: &[Code], required: true },
    ComponentDef { id: 8, name: "Inference code", class: 2, types: &[Code], required: true },
    ComponentDef { id: 18, name: "Evaluation code", class: 2, types: &[Code], required: true },
    ComponentDef { id: 19, name: "Evaluation data", class: 2, types: &[Data], required: true },
    ComponentDef { id: 22, name: "Supporting libraries and tools", class: 2, types: &[Code], required: false },
    ComponentDef { id: 15, name: "Datasets", class: 1, types: &[Data, Code, Document], required: true },
    ComponentDef { id: 16, name: "Data preprocessing code", class: 1, types: &[Code], required: true },
    ComponentDef { id: 24, name: "Model parameters (Intermediate)", class: 1, types: &[Data], required: true },
    ComponentDef { id: 21, name: "Research paper", class: 1, types: &[Document], required: true },
    ComponentDef { id: 17, name: "Model metadata", class: 1, types: &[Data], required: false },
];

/// The definition of the component named `name` (case-insensitive).
pub fn component_by_name(name: &str) -> Option<&'static ComponentDef> {
    COMPONENTS.iter().find(|c| c.name.eq_ignore_ascii_case(name.trim()))
}

/// Open-data license families (SPDX id prefixes) accepted for data components.
const OPEN_DATA_PREFIXES: &[&str] = &["CDLA-Permissive-", "CDLA-Sharing-", "ODbL-", "ODC-By-", "PDDL-", "CC0-"];

/// Creative Commons licenses without NonCommercial or NoDerivatives terms (any version or port).
fn is_free_creative_commons(l: &str) -> bool {
    let u = l.to_ascii_uppercase();
    u.starts_with("CC0-") || (u.starts_with("CC-BY-") && !u.contains("-NC") && !u.contains("-ND"))
}

/// Whether `license` is open for content type `t`: OSI-approved or FSF-libre for code; an open-data license for
/// data; an open-content (free Creative Commons, GFDL) or FSF-libre license for documents.
pub fn is_open_for(license: &str, t: ContentType) -> bool {
    let l = license.trim();
    match t {
        Code => spdx_id(l).is_some_and(|i| i.is_osi_approved() || i.is_fsf_free_libre()),
        Data => {
            is_free_creative_commons(l) || OPEN_DATA_PREFIXES.iter().any(|p| l.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase()))
        }
        Document => {
            is_free_creative_commons(l) || l.to_ascii_uppercase().starts_with("GFDL-") || spdx_id(l).is_some_and(|i| i.is_fsf_free_libre())
        }
    }
}

/// Whether `license` is open for any of the component's content types.
pub fn is_open_for_component(license: &str, c: &ComponentDef) -> bool {
    c.types.iter().any(|t| is_open_for(license, *t))
}

/// How one component fares in a class computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentOutcome {
    /// Component id.
    pub id: u32,
    /// Component name.
    pub name: &'static str,
    /// Whether the component is present.
    pub included: bool,
    /// The license resolved for it.
    pub license: Option<String>,
    /// Whether that license is open for the component's content type.
    pub open: bool,
}

/// Components whose own open license gives a conditional Class III pass when the other Class III
/// components present are not under a non-open license (MOT rule: the final weights).
pub const CONDITIONAL_CLASS_3: [u32; 1] = [10];

/// The class reached from per-component outcomes: Class III when its required components are all
/// present and openly licensed, or on a conditional pass; Class II and I additionally need every
/// required component of their own class. 0 when none. Progress is the share of required
/// components met, cumulative per class.
pub fn class_from_outcomes(outcomes: &[ComponentOutcome], conditional: bool) -> (u8, BTreeMap<u8, f64>) {
    let ok = |id: u32| outcomes.iter().any(|o| o.id == id && o.included && o.open);
    let mut progress = BTreeMap::new();
    let mut class = 0;
    let mut required: Vec<u32> = vec![];
    for c in [3u8, 2, 1] {
        let own: Vec<u32> = COMPONENTS.iter().filter(|d| d.class == c && d.required).map(|d| d.id).collect();
        required.extend(&own);
        let met = required.iter().filter(|id| ok(**id)).count();
        progress.insert(c, met as f64 / required.len() as f64 * 100.0);
        let invalid = |id: &u32| outcomes.iter().any(|o| o.id == *id && o.included && o.license.is_some() && !o.open);
        let passed = if c == 3 {
            own.iter().all(|id| ok(*id)) || (conditional && !own.iter().any(invalid))
        } else {
            class == c + 1 && own.iter().all(|id| ok(*id))
        };
        if passed {
            class = c;
        } else {
            break;
        }
    }
    (class, progress)
}

/// A Model Openness Tool record evaluated with the MOF rules.
#[derive(Debug, Clone, PartialEq)]
pub struct MotEvaluation {
    /// The release name.
    pub name: String,
    /// MOF class: 3, 2, 1, or 0 (unclassified).
    pub class: u8,
    /// Share of required components met, per class (cumulative).
    pub progress: BTreeMap<u8, f64>,
    /// Per-component outcomes (all 17 components).
    pub components: Vec<ComponentOutcome>,
    /// Component names in the record that are not MOF components.
    pub unknown_components: Vec<String>,
}

#[derive(Deserialize)]
struct MotFile {
    release: MotRelease,
}

#[derive(Deserialize)]
struct MotRelease {
    name: serde_yaml_ng::Value,
    #[serde(default)]
    license: BTreeMap<String, Option<MotGlobal>>,
    #[serde(default)]
    components: Vec<MotComponent>,
}

#[derive(Deserialize)]
struct MotGlobal {
    #[serde(default)]
    name: Option<serde_yaml_ng::Value>,
}

#[derive(Deserialize)]
struct MotComponent {
    name: String,
    #[serde(default)]
    license: Option<serde_yaml_ng::Value>,
}

fn value_text(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// License placeholders the MOT offers that are not licenses.
fn is_unlicensed(s: &str) -> bool {
    let s = s.trim().to_ascii_lowercase();
    s.is_empty() || s == "unlicensed" || s == "license not specified" || s == "pending evaluation"
}

/// Computes the MOF class of a Model Openness Tool record (`models/*.yml`).
pub fn mof_class_from_mot(record_yaml: &str) -> Result<MotEvaluation, LicenseError> {
    let file: MotFile = serde_yaml_ng::from_str(record_yaml).map_err(|e| LicenseError::MotRecord(e.to_string()))?;
    let rel = file.release;
    let global = |key: &str| -> Option<String> {
        rel.license.get(key).and_then(|g| g.as_ref()).and_then(|g| g.name.as_ref()).and_then(value_text).filter(|s| !is_unlicensed(s))
    };
    let mut unknown = vec![];
    let mut present: BTreeMap<u32, Option<String>> = BTreeMap::new();
    for c in &rel.components {
        let Some(def) = component_by_name(&c.name) else {
            unknown.push(c.name.clone());
            continue;
        };
        let own = c.license.as_ref().map(|v| value_text(v).unwrap_or_default());
        if own.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("component not included")) {
            continue;
        }
        present.insert(def.id, own);
    }
    let components: Vec<ComponentOutcome> = COMPONENTS
        .iter()
        .map(|def| {
            let Some(own) = present.get(&def.id) else {
                return ComponentOutcome { id: def.id, name: def.name, included: false, license: None, open: false };
            };
            let license = match own {
                // A component license key, even empty, decides (empty means unlicensed).
                Some(s) => Some(s.clone()).filter(|s| !is_unlicensed(s)),
                None => def.types.iter().find_map(|t| global(t.key())).or_else(|| global("distribution")),
            };
            let open = license.as_deref().is_some_and(|l| is_open_for_component(l, def));
            ComponentOutcome { id: def.id, name: def.name, included: true, license, open }
        })
        .collect();
    // The conditional pass looks at component-specific licenses only.
    let conditional = components.iter().any(|c| {
        CONDITIONAL_CLASS_3.contains(&c.id)
            && c.open
            && present.get(&c.id).is_some_and(|own| own.as_deref().is_some_and(|s| !is_unlicensed(s)))
    });
    let (class, progress) = class_from_outcomes(&components, conditional);
    Ok(MotEvaluation { name: value_text(&rel.name).unwrap_or_default(), class, progress, components, unknown_components: unknown })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_openness_by_type() {
        assert!(is_open_for("Apache-2.0", Code));
        assert!(is_open_for("Apache-1.0", Code));
        assert!(!is_open_for("zlib-acknowledgement", Code));
        assert!(is_open_for("ODbL-1.0", Data));
        assert!(!is_open_for("Apache-2.0", Data));
        assert!(is_open_for("CC-BY-4.0", Document));
        assert!(!is_open_for("CC-BY-NC-4.0", Document));
    }

    #[test]
    fn seventeen_components_with_the_mof_class_sizes() {
        let req = |c: u8| COMPONENTS.iter().filter(|d| d.class == c && d.required).count();
        assert_eq!((req(3), req(2), req(1)), (6, 4, 4));
    }
}
