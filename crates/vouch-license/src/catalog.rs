//! The embedded, versioned catalog of model licenses (`data/model-licenses.toml`) and of well-known
//! base models' licenses (`data/base-models.toml`), plus recognition of license texts by content.

use crate::RestrictionKind;
use serde::Deserialize;
use std::sync::OnceLock;

const MODEL_LICENSES: &str = include_str!("../data/model-licenses.toml");
const BASE_MODELS: &str = include_str!("../data/base-models.toml");

/// The model-license catalog.
#[derive(Debug, Clone, Deserialize)]
pub struct Catalog {
    /// Catalog format version.
    pub version: u32,
    /// Date of the last curation (`YYYY-MM-DD`).
    pub updated: String,
    /// Licenses, in file order.
    #[serde(rename = "license")]
    pub licenses: Vec<CatalogLicense>,
}

/// One license of the catalog.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogLicense {
    /// The id as written in Hugging Face cards (`llama3.1`, `gemma`, ...).
    pub id: String,
    /// Other spellings of the id or of `license_name`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Full name.
    pub name: String,
    /// Public URL of the license text.
    pub url: String,
    /// OSI approval (false for every model license here).
    pub osi_approved: bool,
    /// Whether `id` is an SPDX license id.
    #[serde(default)]
    pub spdx: bool,
    /// Distinctive lower-case phrases that identify the license text.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Where the clauses were read.
    #[serde(default)]
    pub verified: String,
    /// Restrictions with their clauses.
    #[serde(default, rename = "restriction")]
    pub restrictions: Vec<CatalogRestriction>,
}

/// One restriction of a catalog license.
#[derive(Debug, Clone, Deserialize)]
pub struct CatalogRestriction {
    /// The restriction kind.
    pub kind: RestrictionKind,
    /// What it forbids or requires.
    pub detail: String,
    /// The clause (section) it comes from.
    pub clause: String,
    /// The number for caps (users, revenue in USD).
    pub limit: Option<u64>,
}

/// Bundled catalog of base models' licenses.
#[derive(Debug, Clone, Deserialize)]
pub struct BaseCatalog {
    /// Format version.
    pub version: u32,
    /// Date of the last curation.
    pub updated: String,
    /// Patterns in priority order.
    #[serde(rename = "base")]
    pub bases: Vec<BaseEntry>,
}

/// A base-model pattern and its license.
#[derive(Debug, Clone, Deserialize)]
pub struct BaseEntry {
    /// `org/name` with `*` wildcards, case-insensitive.
    pub pattern: String,
    /// A catalog id or an SPDX id.
    pub license: String,
}

/// The embedded model-license catalog (parsed once).
pub fn catalog() -> &'static Catalog {
    static CAT: OnceLock<Catalog> = OnceLock::new();
    CAT.get_or_init(|| toml::from_str(MODEL_LICENSES).expect("data/model-licenses.toml is valid (checked by a test)"))
}

/// The embedded base-model catalog (parsed once).
pub fn base_catalog() -> &'static BaseCatalog {
    static CAT: OnceLock<BaseCatalog> = OnceLock::new();
    CAT.get_or_init(|| toml::from_str(BASE_MODELS).expect("data/base-models.toml is valid (checked by a test)"))
}

impl Catalog {
    /// Finds a license by id, alias or name (case-insensitive).
    pub fn find(&self, key: &str) -> Option<&CatalogLicense> {
        let k = key.trim();
        self.licenses
            .iter()
            .find(|l| l.id.eq_ignore_ascii_case(k) || l.name.eq_ignore_ascii_case(k) || l.aliases.iter().any(|a| a.eq_ignore_ascii_case(k)))
    }

    /// Finds a license whose public URL matches `link` (scheme and trailing slash ignored).
    pub fn find_by_url(&self, link: &str) -> Option<&CatalogLicense> {
        let norm =
            |s: &str| s.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/').to_ascii_lowercase();
        let l = norm(link);
        if !l.contains('/') {
            return None;
        }
        self.licenses.iter().find(|c| norm(&c.url) == l)
    }

    /// Recognises a license text by its distinctive phrases; the phrase found earliest in the text wins
    /// (the title comes first).
    pub fn recognize(&self, text: &str) -> Option<&CatalogLicense> {
        let t = normalize_text(text);
        let mut best: Option<(usize, &CatalogLicense)> = None;
        for l in &self.licenses {
            for p in &l.phrases {
                if let Some(pos) = t.find(p.as_str()) {
                    if best.is_none_or(|(b, _)| pos < b) {
                        best = Some((pos, l));
                    }
                }
            }
        }
        best.map(|(_, l)| l)
    }
}

impl BaseCatalog {
    /// The license id of a well-known base model, with the pattern that matched.
    pub fn license_of(&self, model_id: &str) -> Option<&BaseEntry> {
        let id = model_id.trim().trim_start_matches("https://huggingface.co/").trim_end_matches('/');
        self.bases.iter().find(|b| glob_match(&b.pattern.to_ascii_lowercase(), &id.to_ascii_lowercase()))
    }
}

/// `*`-only glob matching.
fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else { return false };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else if let Some(pos) = rest.find(part) {
            rest = &rest[pos + part.len()..];
        } else {
            return false;
        }
    }
    true
}

/// Lower-case, straight quotes, single spaces.
pub(crate) fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        };
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.extend(c.to_lowercase());
            space = false;
        }
    }
    out
}

/// Recognises common OSI-approved license texts; returns the SPDX id.
pub(crate) fn recognize_osi_text(text: &str) -> Option<&'static str> {
    let t = normalize_text(text);
    let has = |p: &str| t.contains(p);
    if has("apache license") && has("version 2.0") {
        return Some("Apache-2.0");
    }
    if has("gnu affero general public license") && has("version 3") {
        return Some("AGPL-3.0-only");
    }
    if has("gnu lesser general public license") {
        if has("version 3, 29 june 2007") {
            return Some("LGPL-3.0-only");
        }
        if has("version 2.1, february 1999") {
            return Some("LGPL-2.1-only");
        }
    }
    if has("gnu general public license") {
        if has("version 3, 29 june 2007") {
            return Some("GPL-3.0-only");
        }
        if has("version 2, june 1991") {
            return Some("GPL-2.0-only");
        }
    }
    if has("mozilla public license version 2.0") || has("mozilla public license, version 2.0") {
        return Some("MPL-2.0");
    }
    if has("permission is hereby granted, free of charge, to any person obtaining a copy") {
        return Some("MIT");
    }
    if has("redistribution and use in source and binary forms") {
        return Some(if has("neither the name") || has("may be used to endorse or promote") { "BSD-3-Clause" } else { "BSD-2-Clause" });
    }
    if has("permission to use, copy, modify, and/or distribute this software for any purpose with or without fee") {
        return Some("ISC");
    }
    None
}

/// Case-insensitive SPDX id lookup (Hugging Face writes `apache-2.0`, SPDX `Apache-2.0`).
pub(crate) fn spdx_id(name: &str) -> Option<spdx::LicenseId> {
    let n = name.trim().trim_end_matches('+');
    if let Some(id) = spdx::license_id(n) {
        return Some(id);
    }
    spdx::identifiers::LICENSES.iter().find(|l| l.name.eq_ignore_ascii_case(n)).and_then(|l| spdx::license_id(l.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        assert!(glob_match("meta-llama/llama-3.1-*", "meta-llama/llama-3.1-8b-instruct"));
        assert!(!glob_match("meta-llama/llama-3.1-*", "meta-llama/llama-3.2-1b"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxbyy"));
        assert!(glob_match("exact", "exact"));
    }

    #[test]
    fn spdx_case_insensitive() {
        assert_eq!(spdx_id("apache-2.0").map(|i| i.name), Some("Apache-2.0"));
        assert_eq!(spdx_id("mit").map(|i| i.name), Some("MIT"));
        assert!(spdx_id("llama3.1").is_none());
    }
}
