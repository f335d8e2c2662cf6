//! The `[audit]` section of `vouch.toml`.
//!
//! ```toml
//! [audit]
//! fail_on = "high"            # critical | high | medium | low
//! max_db_age_days = 7         # advisory store older than this: warn, or fail with stale_db = "fail"
//! stale_db = "warn"
//!
//! [[audit.ignore]]
//! id = "GHSA-xxxx-xxxx-xxxx"  # also ignores the advisory's aliases (CVE, PYSEC, ...)
//! reason = "the vulnerable API is not used; see ADR-12"
//! expires = "2027-03-31"      # after this date the ignore no longer applies
//! ```

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What to do when the advisory store is older than `max_db_age_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StalePolicy {
    #[default]
    Warn,
    Fail,
}

/// One ignored advisory.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    pub id: String,
    pub reason: String,
    /// `YYYY-MM-DD`; the ignore applies up to and including this day (UTC).
    pub expires: Option<String>,
}

/// Audit settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    pub fail_on: Option<String>,
    /// Advisory store folder.
    pub db: Option<PathBuf>,
    pub max_db_age_days: Option<u64>,
    pub stale_db: StalePolicy,
    pub ignore: Vec<Ignore>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct File {
    audit: AuditConfig,
}

impl AuditConfig {
    /// Reads the `[audit]` section of a `vouch.toml` (other sections are ignored here).
    pub fn load(path: &Path) -> Result<AuditConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        AuditConfig::parse(&text).map_err(|e| format!("{} is not valid vouch configuration: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<AuditConfig, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        for ig in &f.audit.ignore {
            if ig.id.trim().is_empty() {
                return Err("an [[audit.ignore]] entry has an empty id".into());
            }
            if ig.reason.trim().is_empty() {
                return Err(format!("[[audit.ignore]] {}: a reason is required", ig.id));
            }
            if let Some(e) = &ig.expires {
                if parse_date(e).is_none() {
                    return Err(format!("[[audit.ignore]] {}: expires = {e:?} is not a YYYY-MM-DD date", ig.id));
                }
            }
        }
        Ok(f.audit)
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(vouch_report::time::days_from_civil(y, i64::from(m), i64::from(d)))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Today, in days since 1970-01-01 (UTC).
pub fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    (secs / 86_400) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01"), Some(11_017));
        assert_eq!(parse_date("2024-02-29").map(|d| d - parse_date("2024-02-28").unwrap()), Some(1));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn config_is_validated() {
        let c = AuditConfig::parse(
            "[scan]\nfail_on = \"low\"\n[audit]\nfail_on = \"medium\"\nmax_db_age_days = 3\nstale_db = \"fail\"\n[[audit.ignore]]\nid = \"GHSA-1\"\nreason = \"not used\"\nexpires = \"2030-01-01\"\n",
        )
        .unwrap();
        assert_eq!(c.fail_on.as_deref(), Some("medium"));
        assert_eq!(c.stale_db, StalePolicy::Fail);
        assert_eq!(c.ignore.len(), 1);
        assert!(AuditConfig::parse("[[audit.ignore]]\nid = \"X\"\nreason = \"\"\n").unwrap_err().contains("reason is required"));
        assert!(AuditConfig::parse("[[audit.ignore]]\nid = \"X\"\nreason = \"r\"\nexpires = \"next week\"\n")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(AuditConfig::parse("[audit]\nfail_onn = \"x\"\n").unwrap_err().contains("unknown field"));
    }
}
