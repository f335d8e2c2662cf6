//! How severe an advisory is: CVSS v2/v3/v4 vectors scored with the `cvss` crate (the highest
//! score of the advisory's and the matched entry's vectors), else the database's own rating
//! (GitHub's `database_specific.severity`, RustSec's informational kinds), else unscored.
//! Malicious packages (`MAL-` advisories) are always critical.

use serde::Serialize;
use std::str::FromStr;
use vouch_osv::{Advisory, Affected};
use vouch_report::Severity;

/// What kind of advisory this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A malicious package (OpenSSF malicious-packages, `MAL-` ids).
    Malicious,
    Vulnerability,
    /// RustSec informational advisories.
    Unmaintained,
    Unsound,
    Notice,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Malicious => "malicious",
            Kind::Vulnerability => "vulnerability",
            Kind::Unmaintained => "unmaintained",
            Kind::Unsound => "unsound",
            Kind::Notice => "notice",
        }
    }
}

/// A scored CVSS vector.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cvss {
    /// `CVSS_V2`, `CVSS_V3` or `CVSS_V4`.
    pub kind: String,
    pub vector: String,
    pub score: f64,
}

/// The rating of one advisory for one package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    pub severity: Severity,
    /// Where the severity comes from: `cvss`, `database`, `malicious`, `informational` or
    /// `unscored` (no rating at all: treated as high so that CI gates on it).
    pub source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cvss: Option<Cvss>,
    /// Vectors present but unreadable, with the reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<String>,
}

/// The kind of an advisory.
pub fn kind(adv: &Advisory) -> Kind {
    if adv.id.starts_with("MAL-") || adv.aliases.iter().any(|a| a.starts_with("MAL-")) {
        return Kind::Malicious;
    }
    let informational = adv.database_specific.as_ref().and_then(|d| d.get("informational")).and_then(|v| v.as_str());
    match informational {
        Some("unmaintained") => Kind::Unmaintained,
        Some("unsound") => Kind::Unsound,
        Some(_) => Kind::Notice,
        None => Kind::Vulnerability,
    }
}

/// Scores one vector; `None` for types that are not CVSS.
pub fn score_vector(kind: &str, vector: &str) -> Option<Result<Cvss, String>> {
    if !kind.starts_with("CVSS_V") {
        return None;
    }
    Some(match cvss::Cvss::from_str(vector.trim()) {
        Ok(c) => Ok(Cvss { kind: kind.to_string(), vector: vector.to_string(), score: c.score() }),
        Err(e) => Err(format!("{kind} vector {vector:?} is not valid: {e}")),
    })
}

/// CVSS qualitative rating (v3/v4 scale; v2 scores use the same boundaries, so a v2 9.0 is
/// critical here, as NVD's v3 scale would put it).
pub fn from_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// Rates `adv` as it applies to the matched `affected` entry.
pub fn rate(adv: &Advisory, affected: Option<&Affected>) -> Rating {
    let k = kind(adv);
    if k == Kind::Malicious {
        return Rating { severity: Severity::Critical, source: "malicious", cvss: None, unreadable: vec![] };
    }
    let mut best: Option<Cvss> = None;
    let mut unreadable = vec![];
    let vectors = adv.severity.iter().chain(affected.into_iter().flat_map(|a| a.severity.iter()));
    for s in vectors {
        match score_vector(&s.kind, &s.score) {
            Some(Ok(c)) => {
                // Prefer the newest CVSS version; among equals, the highest score.
                let better = match &best {
                    None => true,
                    Some(b) => (c.kind.as_str(), c.score) > (b.kind.as_str(), b.score),
                };
                if better {
                    best = Some(c);
                }
            }
            Some(Err(e)) => unreadable.push(e),
            None => {}
        }
    }
    if let Some(c) = best {
        return Rating { severity: from_score(c.score), source: "cvss", cvss: Some(c), unreadable };
    }
    match k {
        Kind::Unmaintained => return Rating { severity: Severity::Low, source: "informational", cvss: None, unreadable },
        Kind::Unsound => return Rating { severity: Severity::Medium, source: "informational", cvss: None, unreadable },
        Kind::Notice => return Rating { severity: Severity::Info, source: "informational", cvss: None, unreadable },
        _ => {}
    }
    let db = adv
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|v| v.as_str())
        .or_else(|| affected.and_then(|a| a.database_specific.as_ref()).and_then(|d| d.get("severity")).and_then(|v| v.as_str()));
    if let Some(s) = db {
        let sev = match s.to_ascii_uppercase().as_str() {
            "CRITICAL" => Some(Severity::Critical),
            "HIGH" | "IMPORTANT" => Some(Severity::High),
            "MODERATE" | "MEDIUM" => Some(Severity::Medium),
            "LOW" => Some(Severity::Low),
            _ => None,
        };
        if let Some(sev) = sev {
            return Rating { severity: sev, source: "database", cvss: None, unreadable };
        }
    }
    Rating { severity: Severity::High, source: "unscored", cvss: None, unreadable }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adv(id: &str, sev: Vec<(&str, &str)>, db: Option<serde_json::Value>) -> Advisory {
        Advisory {
            id: id.into(),
            modified: None,
            published: None,
            withdrawn: None,
            aliases: vec![],
            related: vec![],
            summary: None,
            details: None,
            severity: sev.into_iter().map(|(k, s)| vouch_osv::Severity { kind: k.into(), score: s.into() }).collect(),
            affected: vec![],
            references: vec![],
            database_specific: db,
        }
    }

    #[test]
    fn cvss_vectors_of_every_version_are_scored() {
        let r = rate(&adv("GHSA-1", vec![("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")], None), None);
        assert_eq!((r.severity, r.source), (Severity::Critical, "cvss"));
        assert_eq!(r.cvss.unwrap().score, 9.8);
        let r = rate(&adv("X", vec![("CVSS_V2", "AV:N/AC:M/Au:N/C:P/I:N/A:N")], None), None);
        assert_eq!(r.cvss.as_ref().unwrap().score, 4.3);
        assert_eq!(r.severity, Severity::Medium);
        let r = rate(&adv("X", vec![("CVSS_V4", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")], None), None);
        assert_eq!(r.severity, Severity::Critical);
        // v4 preferred over v3 when both are given.
        let r = rate(
            &adv(
                "X",
                vec![
                    ("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                    ("CVSS_V4", "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"),
                ],
                None,
            ),
            None,
        );
        assert_eq!(r.cvss.unwrap().kind, "CVSS_V4");
    }

    #[test]
    fn fallbacks() {
        let bad = rate(&adv("X", vec![("CVSS_V3", "CVSS:3.1/nonsense")], Some(serde_json::json!({"severity": "MODERATE"}))), None);
        assert_eq!((bad.severity, bad.source), (Severity::Medium, "database"));
        assert_eq!(bad.unreadable.len(), 1);
        let mal = rate(&adv("MAL-2024-1", vec![], None), None);
        assert_eq!((mal.severity, mal.source), (Severity::Critical, "malicious"));
        let unm = adv("RUSTSEC-1", vec![], Some(serde_json::json!({"informational": "unmaintained"})));
        assert_eq!(kind(&unm), Kind::Unmaintained);
        assert_eq!(rate(&unm, None).severity, Severity::Low);
        let none = rate(&adv("GO-1", vec![], None), None);
        assert_eq!((none.severity, none.source), (Severity::High, "unscored"));
    }
}
