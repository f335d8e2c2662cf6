//! Which license governs a model repository, and which source decided it.

use crate::catalog::{catalog, normalize_text, recognize_osi_text, spdx_id, CatalogLicense};
use crate::{Conflict, LicenseSource, ResolvedLicense};
use vouch_model::{LicenseFileKind, ModelRecord};

/// Values of `license:` that do not name a license.
fn is_placeholder(v: &str) -> bool {
    matches!(v.trim().to_ascii_lowercase().as_str(), "" | "other" | "unknown" | "none" | "noassertion")
}

/// A license from the catalog.
pub(crate) fn from_catalog(l: &CatalogLicense, source: LicenseSource) -> ResolvedLicense {
    ResolvedLicense {
        id: Some(l.id.clone()),
        name: Some(l.name.clone()),
        url: Some(l.url.clone()),
        spdx: l.spdx,
        osi_approved: Some(l.osi_approved),
        source,
        expression: None,
    }
}

/// A license from an SPDX id or expression; `None` when `value` is neither.
pub(crate) fn from_spdx(value: &str, source: LicenseSource) -> Option<ResolvedLicense> {
    let v = value.trim();
    if let Some(id) = spdx_id(v) {
        return Some(ResolvedLicense {
            id: Some(id.name.to_string()),
            name: Some(id.full_name.to_string()),
            url: Some(format!("https://spdx.org/licenses/{}.html", id.name)),
            spdx: true,
            osi_approved: Some(id.is_osi_approved()),
            source,
            expression: None,
        });
    }
    // An expression (`apache-2.0 OR mit`): normalise every id, then parse.
    let tokens: Vec<String> = v
        .replace(['(', ')'], " ")
        .split_whitespace()
        .map(|t| match t.to_ascii_uppercase().as_str() {
            "AND" | "OR" | "WITH" => t.to_ascii_uppercase(),
            _ => spdx_id(t).map(|i| i.name.to_string()).unwrap_or_else(|| t.to_string()),
        })
        .collect();
    if tokens.len() < 3 {
        return None;
    }
    let normalized = tokens.join(" ");
    let expr = spdx::Expression::parse_mode(&normalized, spdx::ParseMode::LAX).ok()?;
    let ids: Vec<spdx::LicenseId> = expr.requirements().filter_map(|r| r.req.license.id()).collect();
    if ids.is_empty() {
        return None;
    }
    // An OR choice is open when one branch is; an AND needs all of them.
    let osi = if normalized.contains(" OR ") { ids.iter().any(|i| i.is_osi_approved()) } else { ids.iter().all(|i| i.is_osi_approved()) };
    Some(ResolvedLicense {
        id: Some(normalized.clone()),
        name: Some(normalized.clone()),
        url: None,
        spdx: true,
        osi_approved: Some(osi),
        source,
        expression: Some(normalized),
    })
}

/// Resolves a license id written in a card or in GGUF metadata.
pub(crate) fn from_id(value: &str, source: LicenseSource) -> ResolvedLicense {
    if let Some(l) = catalog().find(value) {
        return from_catalog(l, source);
    }
    from_spdx(value, source.clone()).unwrap_or(ResolvedLicense {
        id: Some(value.trim().to_string()),
        name: None,
        url: None,
        spdx: false,
        osi_approved: None,
        source,
        expression: None,
    })
}

/// What a license text is, recognised by content.
pub(crate) fn recognize_text(text: &str, path: &str) -> Option<ResolvedLicense> {
    let source = LicenseSource::LicenseFile(path.to_string());
    if let Some(l) = catalog().recognize(text) {
        return Some(from_catalog(l, source));
    }
    recognize_osi_text(text).and_then(|id| from_spdx(id, source))
}

/// Resolves the license of `record`. Order: card `license`, card `license_name`, card `license_link`,
/// `LICENSE*` / `NOTICE*` / `USE_POLICY*` texts by content, GGUF `general.license`.
pub(crate) fn resolve(record: &ModelRecord, notes: &mut Vec<String>, conflicts: &mut Vec<Conflict>) -> ResolvedLicense {
    let card = record.card.as_ref();
    let mut decided: Option<ResolvedLicense> = None;

    if let Some(v) = card.and_then(|c| c.license.as_deref()).filter(|v| !is_placeholder(v)) {
        let r = from_id(v, LicenseSource::CardLicense);
        if r.name.is_none() {
            notes.push(format!("card license `{v}` is neither in the vouch catalog nor an SPDX id"));
        }
        decided = Some(r);
    }
    if decided.is_none() {
        if let Some(n) = card.and_then(|c| c.license_name.as_deref()).filter(|v| !is_placeholder(v)) {
            if let Some(l) = catalog().find(n) {
                decided = Some(from_catalog(l, LicenseSource::CardLicenseName));
            } else if let Some(r) = from_spdx(n, LicenseSource::CardLicenseName) {
                decided = Some(r);
            } else {
                notes.push(format!("card license_name `{n}` is not in the vouch catalog"));
            }
        }
    }
    if decided.is_none() {
        if let Some(link) = card.and_then(|c| c.license_link.as_deref()) {
            if let Some(l) = catalog().find_by_url(link) {
                decided = Some(from_catalog(l, LicenseSource::CardLicenseLink));
            }
        }
    }

    // License texts: decide when nothing else did, and check the declared license against them.
    let mut files: Vec<_> = record.license_files.iter().collect();
    files.sort_by_key(|f| match f.kind {
        LicenseFileKind::License => 0,
        LicenseFileKind::Notice => 1,
        LicenseFileKind::UsePolicy => 2,
    });
    for f in files {
        if f.kind == LicenseFileKind::UsePolicy {
            continue;
        }
        let Some(found) = recognize_text(&f.text, &f.path) else { continue };
        match &decided {
            None => decided = Some(found),
            Some(d) if !same_license(d, &found) && !d.spdx_or_catalog_unknown() => {
                conflicts.push(Conflict {
                    kind: "license-file-mismatch".into(),
                    detail: format!(
                        "the card declares `{}` but {} is the text of `{}`",
                        d.id.as_deref().unwrap_or("?"),
                        f.path,
                        found.id.as_deref().unwrap_or("?")
                    ),
                    base: None,
                    base_license: found.id.clone(),
                    declared: d.id.clone(),
                });
            }
            _ => {}
        }
    }

    if decided.is_none() {
        if let Some(v) = record.gguf.as_ref().and_then(|g| g.license.as_deref()).filter(|v| !is_placeholder(v)) {
            decided = Some(from_id(v, LicenseSource::Gguf));
        }
    }

    decided.unwrap_or_else(|| {
        let declared_other = card.and_then(|c| c.license.as_deref()).is_some_and(|v| !v.trim().is_empty());
        if declared_other {
            notes.push("the card says `other` and no license text was recognised; a human must read the terms".into());
        } else {
            notes.push("no license found (card, license files, GGUF metadata)".into());
        }
        ResolvedLicense {
            id: card.and_then(|c| c.license.clone()),
            name: card.and_then(|c| c.license_name.clone()),
            url: card.and_then(|c| c.license_link.clone()),
            spdx: false,
            osi_approved: None,
            source: LicenseSource::None,
            expression: None,
        }
    })
}

fn same_license(a: &ResolvedLicense, b: &ResolvedLicense) -> bool {
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y) || normalize_text(x).contains(&normalize_text(y)),
        _ => false,
    }
}

impl ResolvedLicense {
    /// True when the declared value was not identified (no name): a mismatch cannot be judged.
    fn spdx_or_catalog_unknown(&self) -> bool {
        self.name.is_none()
    }
}
