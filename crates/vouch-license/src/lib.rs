//! `vouch license`: is a model really open, and what do its terms forbid?
//!
//! The license is resolved from the model card (`license`, `license_name`, `license_link`), the
//! `LICENSE*` / `NOTICE*` texts (recognised by content), SPDX expressions and GGUF metadata. Its
//! restrictions come from a curated catalog (`data/model-licenses.toml`) where every restriction
//! cites its clause. Restrictions of base models flow to derivatives along the `base_model` chain,
//! and a derivative that declares a license its base does not allow is reported as a conflict.
//! Openness is assessed three ways: the OSI Open Source AI Definition 1.0, the Model Openness
//! Framework class (with the Model Openness Tool rules in [`mof`]), and the European Open Source
//! AI Index parameters.

pub mod catalog;
pub mod mof;
pub mod openness;
mod resolve;

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use vouch_model::ModelRecord;

pub use mof::{mof_class_from_mot, MotEvaluation};
pub use openness::{Component, ComponentStatus, EuParameter, Openness, Osaid, OsaidVerdict};

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum LicenseError {
    /// A Model Openness Tool record could not be read.
    #[error("MOT record: {0}")]
    MotRecord(String),
}

/// What a restriction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RestrictionKind {
    /// Commercial use is not licensed.
    NonCommercial,
    /// Users above a monthly-active-user count need another license.
    MauCap,
    /// Licensees above a revenue need another license.
    RevenueCap,
    /// An acceptable-use policy is part of the terms.
    AcceptableUsePolicy,
    /// A name or a "Built with" mention is required.
    NamingDuty,
    /// Outputs may not be used for some purpose (improving other models).
    OutputUseBan,
    /// Some places or residents are excluded.
    GeographicExclusion,
    /// The licensor may restrict use remotely, or rights end on guardrail removal.
    RemoteRestriction,
    /// Listed fields of use are forbidden.
    FieldOfUse,
    /// Notices or attribution must be kept.
    Attribution,
}

impl RestrictionKind {
    /// Every kind, in a stable order.
    pub const ALL: [RestrictionKind; 10] = [
        RestrictionKind::NonCommercial,
        RestrictionKind::MauCap,
        RestrictionKind::RevenueCap,
        RestrictionKind::AcceptableUsePolicy,
        RestrictionKind::NamingDuty,
        RestrictionKind::OutputUseBan,
        RestrictionKind::GeographicExclusion,
        RestrictionKind::RemoteRestriction,
        RestrictionKind::FieldOfUse,
        RestrictionKind::Attribution,
    ];

    /// The kebab-case name used in JSON and by `--deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionKind::NonCommercial => "non-commercial",
            RestrictionKind::MauCap => "mau-cap",
            RestrictionKind::RevenueCap => "revenue-cap",
            RestrictionKind::AcceptableUsePolicy => "acceptable-use-policy",
            RestrictionKind::NamingDuty => "naming-duty",
            RestrictionKind::OutputUseBan => "output-use-ban",
            RestrictionKind::GeographicExclusion => "geographic-exclusion",
            RestrictionKind::RemoteRestriction => "remote-restriction",
            RestrictionKind::FieldOfUse => "field-of-use",
            RestrictionKind::Attribution => "attribution",
        }
    }

    /// Parses a kebab-case name (case-insensitive).
    pub fn parse(s: &str) -> Option<RestrictionKind> {
        RestrictionKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// Which input decided the license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenseSource {
    /// Card front matter `license`.
    CardLicense,
    /// Card front matter `license_name`.
    CardLicenseName,
    /// Card front matter `license_link`.
    CardLicenseLink,
    /// A license text recognised by content (its path).
    LicenseFile(String),
    /// GGUF `general.license`.
    Gguf,
    /// The bundled base-model catalog (for base models not available locally).
    BaseCatalog(String),
    /// Nothing decided it.
    None,
}

impl LicenseSource {
    /// `card:license`, `file:LICENSE`, `gguf:general.license`, `catalog:<pattern>`, `none`.
    pub fn label(&self) -> String {
        match self {
            LicenseSource::CardLicense => "card:license".into(),
            LicenseSource::CardLicenseName => "card:license_name".into(),
            LicenseSource::CardLicenseLink => "card:license_link".into(),
            LicenseSource::LicenseFile(p) => format!("file:{p}"),
            LicenseSource::Gguf => "gguf:general.license".into(),
            LicenseSource::BaseCatalog(p) => format!("catalog:{p}"),
            LicenseSource::None => "none".into(),
        }
    }
}

/// The license that governs the model.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLicense {
    /// Catalog id, SPDX id or expression, or the value as written when unknown.
    pub id: Option<String>,
    /// Full name, when known.
    pub name: Option<String>,
    /// Public URL of the text.
    pub url: Option<String>,
    /// Whether `id` is SPDX (id or expression).
    pub spdx: bool,
    /// OSI approval; `None` when the license is not identified.
    pub osi_approved: Option<bool>,
    /// Which input decided it.
    pub source: LicenseSource,
    /// The SPDX expression, when the value was one.
    pub expression: Option<String>,
}

/// Where a restriction comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseSource {
    /// The license id.
    pub license: String,
    /// Section or paragraph.
    pub clause: String,
    /// Public URL of the license.
    pub url: String,
}

/// One thing the terms forbid or require.
#[derive(Debug, Clone, PartialEq)]
pub struct Restriction {
    /// The kind.
    pub kind: RestrictionKind,
    /// What it says.
    pub detail: String,
    /// Cap number (users, USD), when the kind has one.
    pub limit: Option<u64>,
    /// The clause.
    pub source: ClauseSource,
    /// The base model it is inherited from, when not the model's own license.
    pub inherited_from: Option<String>,
}

/// A contradiction between what the model declares and what binds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// `license-conflict`, `open-washing`, `license-file-mismatch`.
    pub kind: String,
    /// Explanation.
    pub detail: String,
    /// The base model, for inherited conflicts.
    pub base: Option<String>,
    /// The base model's (or the text's) license.
    pub base_license: Option<String>,
    /// The license the model declares.
    pub declared: Option<String>,
}

/// Everything `vouch license` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseReport {
    /// The governing license.
    pub license: ResolvedLicense,
    /// Own and inherited restrictions.
    pub restrictions: Vec<Restriction>,
    /// OSAID, MOF and EU index assessments.
    pub openness: Openness,
    /// Contradictions found.
    pub conflicts: Vec<Conflict>,
    /// What could not be decided, and why.
    pub notes: Vec<String>,
}

/// Options of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Folders holding model folders or a Hugging Face cache (used by [`find_local_model`]).
    pub search_roots: Vec<PathBuf>,
    /// Restriction kinds the caller refuses (see [`denied`]).
    pub deny: Vec<String>,
}

/// Base-model chains longer than this are cut (and noted).
const MAX_DEPTH: usize = 8;

/// Evaluates a model record. `lookup` resolves a base model id to a local record (the CLI reads
/// folders found with [`find_local_model`]); base models it does not find are looked up in the
/// bundled base-model catalog.
pub fn evaluate(record: &ModelRecord, opts: &Options, lookup: &dyn Fn(&str) -> Option<ModelRecord>) -> LicenseReport {
    let mut notes = vec![];
    // `opts.search_roots` serves the caller's `lookup` (see `find_local_model`).
    for k in unknown_kinds(&opts.deny) {
        notes.push(format!("--deny {k}: not a restriction kind (known: {})", RestrictionKind::ALL.map(RestrictionKind::as_str).join(", ")));
    }
    let mut conflicts = vec![];
    let license = resolve::resolve(record, &mut notes, &mut conflicts);
    let mut restrictions = own_restrictions(&license, None);
    if let Some(p) = record.license_files.iter().find(|f| f.kind == vouch_model::LicenseFileKind::UsePolicy) {
        if !restrictions.iter().any(|r| r.kind == RestrictionKind::AcceptableUsePolicy) {
            restrictions.push(Restriction {
                kind: RestrictionKind::AcceptableUsePolicy,
                detail: "the repository ships a use policy; its terms bind users".into(),
                limit: None,
                source: ClauseSource { license: license.id.clone().unwrap_or_default(), clause: p.path.clone(), url: p.path.clone() },
                inherited_from: None,
            });
        }
    }

    let mut visited: HashSet<String> = HashSet::new();
    if let Some(id) = &record.repo_id {
        visited.insert(id.to_ascii_lowercase());
    }
    inherit(record, &license, lookup, 0, &mut visited, &mut restrictions, &mut conflicts, &mut notes);

    let openness = openness::assess(record, &license, &restrictions);
    if openness.osaid.verdict == OsaidVerdict::Fail && claims_open_source(record) {
        conflicts.push(Conflict {
            kind: "open-washing".into(),
            detail: format!(
                "the card calls the model open source, but it fails the Open Source AI Definition: {}",
                openness.osaid.reasons.join("; ")
            ),
            base: None,
            base_license: None,
            declared: license.id.clone(),
        });
    }
    LicenseReport { license, restrictions, openness, conflicts, notes }
}

/// Restrictions of a resolved license from the catalog.
fn own_restrictions(license: &ResolvedLicense, inherited_from: Option<&str>) -> Vec<Restriction> {
    let Some(l) = license.id.as_deref().and_then(|id| catalog::catalog().find(id)) else { return vec![] };
    l.restrictions
        .iter()
        .map(|r| Restriction {
            kind: r.kind,
            detail: r.detail.clone(),
            limit: r.limit,
            source: ClauseSource { license: l.id.clone(), clause: r.clause.clone(), url: l.url.clone() },
            inherited_from: inherited_from.map(str::to_string),
        })
        .collect()
}

/// Walks the base-model chain of `record`, adding inherited restrictions and conflicts.
#[allow(clippy::too_many_arguments)]
fn inherit(
    record: &ModelRecord,
    declared: &ResolvedLicense,
    lookup: &dyn Fn(&str) -> Option<ModelRecord>,
    depth: usize,
    visited: &mut HashSet<String>,
    restrictions: &mut Vec<Restriction>,
    conflicts: &mut Vec<Conflict>,
    notes: &mut Vec<String>,
) {
    for base in record.base_models() {
        if !visited.insert(base.to_ascii_lowercase()) {
            continue;
        }
        if depth >= MAX_DEPTH {
            notes.push(format!("base-model chain cut at depth {MAX_DEPTH} (at {base})"));
            continue;
        }
        let local = lookup(&base);
        let base_license = match &local {
            Some(rec) => {
                let mut n = vec![];
                let mut c = vec![];
                let l = resolve::resolve(rec, &mut n, &mut c);
                if l.name.is_none() {
                    from_base_catalog(&base).unwrap_or(l)
                } else {
                    l
                }
            }
            None => match from_base_catalog(&base) {
                Some(l) => l,
                None => {
                    notes.push(format!("base model {base}: not found locally nor in the bundled catalog; its terms were not checked"));
                    continue;
                }
            },
        };
        for r in own_restrictions(&base_license, Some(&base)) {
            let dup =
                restrictions.iter().any(|o| o.kind == r.kind && o.source.license == r.source.license && o.source.clause == r.source.clause);
            if !dup {
                restrictions.push(r);
            }
        }
        check_conflict(&base, &base_license, declared, conflicts);
        if let Some(rec) = &local {
            inherit(rec, declared, lookup, depth + 1, visited, restrictions, conflicts, notes);
        }
    }
}

/// The base-model catalog entry of `id`, as a resolved license.
fn from_base_catalog(id: &str) -> Option<ResolvedLicense> {
    let e = catalog::base_catalog().license_of(id)?;
    let src = LicenseSource::BaseCatalog(e.pattern.clone());
    Some(match catalog::catalog().find(&e.license) {
        Some(l) => resolve::from_catalog(l, src),
        None => resolve::from_spdx(&e.license, src.clone()).unwrap_or(ResolvedLicense {
            id: Some(e.license.clone()),
            name: None,
            url: None,
            spdx: false,
            osi_approved: None,
            source: src,
            expression: None,
        }),
    })
}

/// A derivative declaring a license its base's restrictive terms do not allow.
fn check_conflict(base: &str, base_license: &ResolvedLicense, declared: &ResolvedLicense, conflicts: &mut Vec<Conflict>) {
    let Some(base_id) = base_license.id.as_deref() else { return };
    let Some(cat) = catalog::catalog().find(base_id) else { return };
    if cat.restrictions.is_empty() {
        return;
    }
    let declared_id = declared.id.as_deref();
    if declared_id.is_some_and(|d| d.eq_ignore_ascii_case(&cat.id) || cat.aliases.iter().any(|a| a.eq_ignore_ascii_case(d))) {
        return;
    }
    let declared_restrictions: HashSet<RestrictionKind> = own_restrictions(declared, None).iter().map(|r| r.kind).collect();
    let missing: Vec<&str> =
        cat.restrictions.iter().map(|r| r.kind).filter(|k| !declared_restrictions.contains(k)).map(RestrictionKind::as_str).collect();
    let Some(declared_id) = declared_id.filter(|_| declared.source != LicenseSource::None) else {
        return;
    };
    if missing.is_empty() {
        return;
    }
    let mut uniq: Vec<&str> = vec![];
    for m in missing {
        if !uniq.contains(&m) {
            uniq.push(m);
        }
    }
    conflicts.push(Conflict {
        kind: "license-conflict".into(),
        detail: format!(
            "derived from {base} under {} ({}), but declares `{declared_id}`, which drops the base terms: {}",
            cat.name,
            cat.id,
            uniq.join(", ")
        ),
        base: Some(base.to_string()),
        base_license: Some(cat.id.clone()),
        declared: Some(declared_id.to_string()),
    });
}

/// Whether the card (tags or prose) calls the model open source.
fn claims_open_source(record: &ModelRecord) -> bool {
    let Some(card) = &record.card else { return false };
    let tag = card.tags.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t == "open-source" || t == "opensource" || t == "open source"
    });
    tag || card.sections.iter().any(|(h, t)| {
        let s = catalog::normalize_text(&format!("{h} {t}"));
        s.contains("open source") || s.contains("open-source") || s.contains("fully open")
    })
}

/// Restrictions whose kind is in `kinds` (kebab-case names, case-insensitive; `all` matches every kind).
pub fn denied<'a>(report: &'a LicenseReport, kinds: &[String]) -> Vec<&'a Restriction> {
    let all = kinds.iter().any(|k| k.trim().eq_ignore_ascii_case("all"));
    let set: HashSet<RestrictionKind> = kinds.iter().filter_map(|k| RestrictionKind::parse(k)).collect();
    report.restrictions.iter().filter(|r| all || set.contains(&r.kind)).collect()
}

/// Kinds in `kinds` that are not restriction kinds (for the CLI to reject `--deny` typos).
pub fn unknown_kinds(kinds: &[String]) -> Vec<String> {
    kinds.iter().filter(|k| !k.trim().eq_ignore_ascii_case("all") && RestrictionKind::parse(k).is_none()).cloned().collect()
}

/// Finds a local copy of `model_id` (`org/name`) under the search roots: a Hugging Face cache
/// (`models--org--name/snapshots/<rev>`, the most recently modified snapshot), `root/org/name`, or
/// `root/name`.
pub fn find_local_model(roots: &[PathBuf], model_id: &str) -> Option<PathBuf> {
    let id = model_id.trim().trim_start_matches("https://huggingface.co/").trim_matches('/');
    if id.is_empty() || id.split('/').any(|p| p == ".." || p == ".") {
        return None;
    }
    for root in roots {
        for hub in [root.clone(), root.join("hub")] {
            let snaps = hub.join(format!("models--{}", id.replace('/', "--"))).join("snapshots");
            if let Some(p) = newest_dir(&snaps) {
                return Some(p);
            }
        }
        let direct = root.join(id);
        if direct.is_dir() {
            return Some(direct);
        }
        if let Some(name) = id.rsplit('/').next() {
            let p = root.join(name);
            if p.is_dir() {
                return Some(p);
            }
        }
    }
    None
}

fn newest_dir(dir: &Path) -> Option<PathBuf> {
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let p = e.path();
        if !p.is_dir() {
            continue;
        }
        let t = e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
        if best.as_ref().is_none_or(|(b, _)| t > *b) {
            best = Some((t, p));
        }
    }
    best.map(|(_, p)| p)
}

/// The report as JSON (`vouch.license/1`).
pub fn to_json(report: &LicenseReport) -> serde_json::Value {
    use serde_json::json;
    let l = &report.license;
    json!({
        "schema": "vouch.license/1",
        "catalog": {"version": catalog::catalog().version, "updated": catalog::catalog().updated},
        "license": {
            "id": l.id, "name": l.name, "url": l.url, "spdx": l.spdx, "osi_approved": l.osi_approved,
            "expression": l.expression, "source": l.source.label(),
        },
        "restrictions": report.restrictions.iter().map(|r| json!({
            "kind": r.kind.as_str(), "detail": r.detail, "limit": r.limit,
            "source": {"license": r.source.license, "clause": r.source.clause, "url": r.source.url},
            "inherited_from": r.inherited_from,
        })).collect::<Vec<_>>(),
        "openness": openness::to_json(&report.openness),
        "conflicts": report.conflicts.iter().map(|c| json!({
            "kind": c.kind, "detail": c.detail, "base": c.base, "base_license": c.base_license, "declared": c.declared,
        })).collect::<Vec<_>>(),
        "notes": report.notes,
    })
}

/// The report for people.
pub fn human(report: &LicenseReport) -> String {
    let mut s = String::new();
    let l = &report.license;
    let osi = match l.osi_approved {
        Some(true) => "OSI-approved",
        Some(false) => "not OSI-approved",
        None => "OSI status unknown",
    };
    let _ = writeln!(
        s,
        "License: {} ({}) — {osi}; decided by {}",
        l.id.as_deref().unwrap_or("unknown"),
        l.name.as_deref().unwrap_or("unidentified"),
        l.source.label()
    );
    if let Some(u) = &l.url {
        let _ = writeln!(s, "  {u}");
    }
    if report.restrictions.is_empty() {
        let _ = writeln!(s, "Restrictions: none known");
    } else {
        let _ = writeln!(s, "Restrictions:");
        for r in &report.restrictions {
            let from = r.inherited_from.as_deref().map(|b| format!(" [inherited from {b}]")).unwrap_or_default();
            let _ = writeln!(s, "  - {}{from}: {}", r.kind.as_str(), r.detail);
            let _ = writeln!(s, "      {} {} <{}>", r.source.license, r.source.clause, r.source.url);
        }
    }
    let _ = write!(s, "{}", openness::human(&report.openness));
    if !report.conflicts.is_empty() {
        let _ = writeln!(s, "Conflicts:");
        for c in &report.conflicts {
            let _ = writeln!(s, "  - {}: {}", c.kind, c.detail);
        }
    }
    for n in &report.notes {
        let _ = writeln!(s, "Note: {n}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse_and_every_restriction_cites_a_clause() {
        let c = catalog::catalog();
        assert!(c.version >= 1 && !c.updated.is_empty());
        assert!(c.licenses.len() >= 20);
        for l in &c.licenses {
            assert!(l.url.starts_with("https://"), "{}", l.id);
            assert!(!l.osi_approved, "{}", l.id);
            for r in &l.restrictions {
                assert!(!r.clause.trim().is_empty() && !r.detail.trim().is_empty(), "{}", l.id);
                if matches!(r.kind, RestrictionKind::MauCap | RestrictionKind::RevenueCap) {
                    assert!(r.limit.is_some(), "{} {:?} needs a limit", l.id, r.kind);
                }
            }
        }
        for b in &catalog::base_catalog().bases {
            assert!(
                catalog::catalog().find(&b.license).is_some() || catalog::spdx_id(&b.license).is_some(),
                "base-models.toml: {} -> {} is neither a catalog id nor SPDX",
                b.pattern,
                b.license
            );
        }
    }

    #[test]
    fn kinds_round_trip() {
        for k in RestrictionKind::ALL {
            assert_eq!(RestrictionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(RestrictionKind::parse("bogus"), None);
    }
}
