//! AI bills of materials from a [`ModelRecord`]: CycloneDX 1.6/1.7 ML-BOM JSON ([`cyclonedx`]),
//! SPDX 3.0.1 JSON-LD with the AI and Dataset profiles ([`spdx3`]), and the AI-profile rules the
//! SPDX JSON schema does not enforce ([`check_spdx_ai_profile`]).
//!
//! Nothing is guessed: a field the repository does not state is left out (and the SPDX checker
//! says which required ones are missing), never filled with a plausible value.

mod cdx;
mod facts;
mod spdx3;

pub use cdx::cyclonedx;
pub use spdx3::{check_spdx_ai_profile, spdx3};

use vouch_model::{LicenseFileKind, ModelRecord};

/// The CycloneDX specification version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CdxSpec {
    /// CycloneDX 1.6.
    V1_6,
    /// CycloneDX 1.7.
    V1_7,
}

impl CdxSpec {
    /// `"1.6"` or `"1.7"`.
    pub fn as_str(self) -> &'static str {
        match self {
            CdxSpec::V1_6 => "1.6",
            CdxSpec::V1_7 => "1.7",
        }
    }

    /// Parses `1.6` / `1.7`.
    pub fn parse(s: &str) -> Option<CdxSpec> {
        match s.trim() {
            "1.6" => Some(CdxSpec::V1_6),
            "1.7" => Some(CdxSpec::V1_7),
            _ => None,
        }
    }
}

/// What the caller supplies so that output is reproducible (tests pass fixed values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomOptions {
    /// `urn:uuid:...`: the CycloneDX serial number; also the SPDX document namespace.
    pub serial: String,
    /// RFC 3339 creation time (SPDX wants whole seconds in UTC; other forms are converted).
    pub timestamp: String,
    /// The vouch version, recorded as the producing tool.
    pub tool_version: String,
}

/// The model's license as the repository declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicenseChoice {
    /// An identifier on the SPDX License List, canonically spelled (`Apache-2.0`).
    Spdx(String),
    /// A license the card names but that is not on the SPDX list (`license: other` with
    /// `license_name` / `license_link`). `id` is the `LicenseRef-` used where an id is needed.
    Named {
        /// `LicenseRef-...` derived from the name.
        id: String,
        /// The card's `license_name`.
        name: String,
        /// An absolute URL of the license text, when the card links one.
        url: Option<String>,
        /// The text of the repository's LICENSE file, when there is one.
        text: Option<String>,
    },
    /// No SPDX id and no name: a `LicenseRef-` of vouch's own (from the card's license value or
    /// the LICENSE file name), with the LICENSE file text when there is one.
    Ref {
        /// `LicenseRef-...`.
        id: String,
        /// The text of the repository's LICENSE file, when there is one.
        text: Option<String>,
    },
    /// The repository says nothing about its license.
    None,
}

/// The SPDX License List version the ids are checked against.
pub const SPDX_LICENSE_LIST_VERSION: &str = spdx::identifiers::VERSION;

/// SPDX License List ids newer than the license enumeration of the CycloneDX 1.6/1.7 schemas:
/// CycloneDX output states them as an `expression` instead of an `id` so that the BOM stays
/// valid (a test keeps this list equal to the difference between the two lists).
pub const NOT_IN_CYCLONEDX_ENUM: &[&str] = &[
    "BSD-2-Clause-pos-unchanged",
    "BSD-3-Clause-OpenWebUI",
    "BSD-Source-Code-no-disclaimer",
    "BSD-Source-alt-GPL",
    "BSD-ask-to-endorse",
    "Brian-Gladman-3-Clause-no-conversion",
    "Bugroff",
    "CC-BY-NC-3.0-IGO",
    "FDK-MPEG-H",
    "GFDL-1.1-invariants",
    "GFDL-1.1-no-invariants",
    "GFDL-1.2-invariants",
    "GFDL-1.2-no-invariants",
    "GFDL-1.3-invariants",
    "GFDL-1.3-no-invariants",
    "Hippocratic-3.0-core",
    "Informatica",
    "MVT-1.1",
    "atc-game",
];

/// The canonical SPDX id for `s`, matched case-insensitively (Hugging Face writes `apache-2.0`).
pub fn spdx_license_id(s: &str) -> Option<&'static str> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("NOASSERTION") || s.eq_ignore_ascii_case("NONE") {
        return None;
    }
    if let Some(id) = spdx::license_id(s) {
        if !s.ends_with('+') {
            return Some(id.name);
        }
    }
    spdx::identifiers::LICENSES.iter().find(|l| l.name.eq_ignore_ascii_case(s)).map(|l| l.name)
}

/// The model's declared license: the SPDX id when the card (or GGUF metadata) names one, else
/// the card's `license_name` + `license_link`, else a `LicenseRef-` with the LICENSE file text.
pub fn license_choice(record: &ModelRecord) -> LicenseChoice {
    let card = record.card.as_ref();
    let declared = card.and_then(|c| c.license.clone()).or_else(|| record.gguf.as_ref().and_then(|g| g.license.clone()));
    let text = record.license_files.iter().find(|f| f.kind == LicenseFileKind::License).map(|f| f.text.clone());
    if let Some(id) = declared.as_deref().and_then(spdx_license_id) {
        return LicenseChoice::Spdx(id.to_string());
    }
    if let Some(name) = card.and_then(|c| c.license_name.clone()).filter(|n| !n.trim().is_empty()) {
        let url = card.and_then(|c| c.license_link.as_deref()).and_then(|l| facts::absolute_link(record, l));
        return LicenseChoice::Named { id: license_ref(&name), name, url, text };
    }
    let said = |d: &String| !["", "other", "noassertion", "none", "unknown"].contains(&d.trim().to_ascii_lowercase().as_str());
    let from = declared.filter(said).or_else(|| {
        record
            .license_files
            .iter()
            .find(|f| f.kind == LicenseFileKind::License)
            .map(|f| f.path.rsplit('/').next().unwrap_or(&f.path).to_string())
    });
    match from {
        Some(f) => LicenseChoice::Ref { id: license_ref(&f), text },
        None if text.is_some() => LicenseChoice::Ref { id: "LicenseRef-vouch-unnamed".into(), text },
        None => LicenseChoice::None,
    }
}

/// `LicenseRef-` + the name with every character outside `[A-Za-z0-9.-]` replaced by `-`.
fn license_ref(name: &str) -> String {
    let body: String = name.trim().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '-' }).collect();
    let body = body.trim_matches('-');
    if body.is_empty() {
        "LicenseRef-vouch-unnamed".into()
    } else {
        format!("LicenseRef-{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn license_ids_match_case_insensitively() {
        assert_eq!(spdx_license_id("apache-2.0"), Some("Apache-2.0"));
        assert_eq!(spdx_license_id("MIT"), Some("MIT"));
        assert_eq!(spdx_license_id("cc-by-nc-4.0"), Some("CC-BY-NC-4.0"));
        assert_eq!(spdx_license_id("llama3.1"), None);
        assert_eq!(spdx_license_id("other"), None);
        assert_eq!(license_ref("My License v2 (custom)"), "LicenseRef-My-License-v2--custom");
    }
}
