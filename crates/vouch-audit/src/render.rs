//! Audit output: a human table, JSON (`vouch.audit/1`), SARIF 2.1.0 and CycloneDX 1.6 with a
//! `vulnerabilities` section (each finding with its analysis state, so the BOM can be used as VEX).

use crate::audit::{AuditReport, Finding};
use crate::severity::Kind;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use vouch_report::render::{fingerprint, paint, sarif_level, security_severity, severity_style};
use vouch_report::Severity;

/// Facts about the advisory store used, for the outputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DbInfo {
    pub path: String,
    pub advisories: usize,
    /// Unix seconds when the store was last built.
    pub built_at: u64,
    pub age_days: u64,
}

/// Counts for the summary line and the JSON summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub packages: usize,
    pub vulnerable_packages: usize,
    pub findings: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub malicious: usize,
    pub ignored: usize,
    pub unaudited: usize,
    pub problems: usize,
    pub seconds: f64,
}

pub fn summary(r: &AuditReport, seconds: f64) -> Summary {
    let mut s = Summary {
        inputs: r.inputs.len(),
        packages: r.audited,
        unaudited: r.unaudited.len(),
        problems: r.inputs.iter().map(|i| i.problems.len()).sum(),
        ignored: r.findings.iter().filter(|f| f.ignored.is_some()).count(),
        seconds,
        ..Summary::default()
    };
    let mut vulnerable = std::collections::BTreeSet::new();
    for f in r.active() {
        s.findings += 1;
        vulnerable.insert((f.package.file.clone(), f.package.name.clone(), f.package.version.clone()));
        if f.kind == Kind::Malicious {
            s.malicious += 1;
        }
        match f.severity() {
            Severity::Critical => s.critical += 1,
            Severity::High => s.high += 1,
            Severity::Medium => s.medium += 1,
            Severity::Low => s.low += 1,
            Severity::Info => s.info += 1,
        }
    }
    s.vulnerable_packages = vulnerable.len();
    s
}

/// The exit code for a threshold (DESIGN.md): 1 findings at or above it, 3 nothing at or above
/// it but the audit is incomplete, else 0.
pub fn exit_code(r: &AuditReport, threshold: Severity) -> i32 {
    if r.active().any(|f| f.severity() >= threshold) {
        1
    } else if r.incomplete() {
        3
    } else {
        0
    }
}

/// The stable JSON document.
pub fn json(r: &AuditReport, db: &DbInfo, seconds: f64) -> String {
    let doc = json!({
        "schema": "vouch.audit/1",
        "tool": {"name": "vouch", "version": env!("CARGO_PKG_VERSION")},
        "db": db,
        "inputs": r.inputs,
        "findings": r.findings,
        "fixes": r.fixes,
        "unaudited": r.unaudited,
        "expired_ignores": r.expired_ignores.iter().map(|i| json!({"id": i.id, "reason": i.reason, "expires": i.expires})).collect::<Vec<_>>(),
        "notes": r.notes,
        "summary": summary(r, seconds),
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("report serialises");
    s.push('\n');
    s
}

fn location(f: &Finding) -> String {
    match f.package.line {
        Some(l) => format!("{}:{l}", f.package.file.display()),
        None => f.package.file.display().to_string(),
    }
}

/// Human output: one row per finding (package, installed version, advisory, severity, fixed
/// version, why it matched), then fixes, unaudited packages, notes and a summary.
pub fn human(r: &AuditReport, db: &DbInfo, color: bool, seconds: f64) -> String {
    let mut out = String::new();
    let active: Vec<&Finding> = r.active().collect();
    if !active.is_empty() {
        let rows: Vec<[String; 5]> = active
            .iter()
            .map(|f| {
                [
                    format!("{} ({})", f.package.name, f.package.ecosystem),
                    f.package.version.clone(),
                    f.id.clone(),
                    f.fixed
                        .iter()
                        .find(|v| crate::eval::cmp_versions(&f.package.ecosystem, v, &f.package.version).is_gt())
                        .cloned()
                        .unwrap_or_else(|| "-".into()),
                    f.why.describe(),
                ]
            })
            .collect();
        let w = |i: usize, h: &str| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0).max(h.len());
        let (w0, w1, w2, w3) = (w(0, "PACKAGE"), w(1, "INSTALLED"), w(2, "ADVISORY"), w(3, "FIXED"));
        let header = format!("{:<w0$}  {:<w1$}  {:<w2$}  {:<8}  {:<w3$}  WHY", "PACKAGE", "INSTALLED", "ADVISORY", "SEVERITY", "FIXED");
        let _ = writeln!(out, "{}", paint(color, anstyle::Style::new().bold(), &header));
        for (f, row) in active.iter().zip(&rows) {
            let sev = format!("{:<8}", f.severity().as_str());
            let _ = writeln!(
                out,
                "{:<w0$}  {:<w1$}  {:<w2$}  {}  {:<w3$}  {}",
                row[0],
                row[1],
                row[2],
                paint(color, severity_style(f.severity()), &sev),
                row[3],
                row[4]
            );
            let mut detail = vec![];
            if f.kind != Kind::Vulnerability {
                detail.push(f.kind.as_str().to_uppercase());
            }
            if let Some(s) = &f.summary {
                detail.push(s.clone());
            }
            let _ = writeln!(out, "    {}", detail.join(": "));
            let mut meta = vec![location(f)];
            if !f.aliases.is_empty() {
                meta.push(format!("aliases {}", f.aliases.join(", ")));
            }
            meta.push(match &f.rating.cvss {
                Some(c) => format!("{} {}", c.kind.replace('_', " "), c.score),
                None => format!("severity: {}", f.rating.source),
            });
            meta.push(f.url.clone());
            let _ = writeln!(out, "    {}", meta.join(" | "));
        }
    }
    if !r.fixes.is_empty() {
        let _ = writeln!(out, "\n{}", paint(color, anstyle::Style::new().bold(), "Fixes"));
        for fx in &r.fixes {
            match &fx.suggested {
                Some(v) => {
                    let _ = writeln!(out, "  {} ({}) {} -> {}  fixes {}", fx.name, fx.ecosystem, fx.installed, v, fx.advisories.join(", "));
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  {} ({}) {}: no fixed version known for {}",
                        fx.name,
                        fx.ecosystem,
                        fx.installed,
                        fx.advisories.join(", ")
                    );
                }
            }
        }
    }
    let ignored: Vec<&Finding> = r.findings.iter().filter(|f| f.ignored.is_some()).collect();
    if !ignored.is_empty() {
        let _ = writeln!(out, "\nIgnored (vouch.toml)");
        for f in ignored {
            let ig = f.ignored.as_ref().expect("filtered");
            let until = ig.expires.as_deref().map(|e| format!(" until {e}")).unwrap_or_default();
            let _ = writeln!(out, "  {} {} {}: {}{until}", f.package.name, f.package.version, f.id, ig.reason);
        }
    }
    for ig in &r.expired_ignores {
        let _ = writeln!(out, "warning: the ignore of {} expired on {} and no longer applies", ig.id, ig.expires.as_deref().unwrap_or("?"));
    }
    if !r.unaudited.is_empty() {
        let _ = writeln!(out, "\n{}", paint(color, anstyle::AnsiColor::Magenta.on_default().bold(), "Not fully audited"));
        for u in &r.unaudited {
            let _ = writeln!(out, "  {} {} ({}): {}", u.package.name, u.package.version, u.package.file.display(), u.reason);
        }
    }
    let problems: Vec<_> = r.inputs.iter().filter(|i| !i.problems.is_empty()).collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "\n{}", paint(color, anstyle::AnsiColor::Magenta.on_default().bold(), "Entries that could not be read"));
        for i in problems {
            for p in &i.problems {
                let at = p.line.map(|l| format!(":{l}")).unwrap_or_default();
                let _ = writeln!(out, "  {}{at}: {}", i.path.display(), p.message);
            }
        }
    }
    if !r.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for n in &r.notes {
            let _ = writeln!(out, "  {n}");
        }
    }
    let s = summary(r, seconds);
    let _ = writeln!(
        out,
        "\n{} packages in {} files: {} vulnerable, {} findings ({} critical, {} high, {} medium, {} low), {} malicious, {} not fully audited, {} ignored; {} advisories, store {} days old ({:.2}s)",
        s.packages,
        s.inputs,
        s.vulnerable_packages,
        s.findings,
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.malicious,
        s.unaudited + s.problems,
        s.ignored,
        db.advisories,
        db.age_days,
        seconds
    );
    out
}

/// SARIF 2.1.0: one rule per advisory, one result per finding at its lockfile line; ignored
/// findings carry a suppression with the reason.
pub fn sarif(r: &AuditReport) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for f in &r.findings {
        rules.entry(f.id.as_str()).or_insert_with(|| {
            let text = f.summary.clone().unwrap_or_else(|| format!("{} advisory {}", f.kind.as_str(), f.id));
            json!({
                "id": f.id,
                "name": f.kind.as_str(),
                "shortDescription": {"text": text},
                "fullDescription": {"text": format!("{text} Aliases: {}.", if f.aliases.is_empty() { "none".to_string() } else { f.aliases.join(", ") })},
                "helpUri": f.url,
                "help": {"text": format!("See {} and upgrade to a fixed version.", f.url), "markdown": format!("**{}**: {}\n\nSee <{}>.", f.id, text, f.url)},
                "defaultConfiguration": {"level": sarif_level(f.severity())},
                "properties": {
                    "security-severity": f.rating.cvss.as_ref().map(|c| format!("{:.1}", c.score)).unwrap_or_else(|| security_severity(f.severity()).to_string()),
                    "tags": ["security", "dependency", f.kind.as_str()],
                },
            })
        });
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let uri = f.package.file.to_string_lossy().replace('\\', "/");
            let mut msg = format!("{} {} ({}) is affected by {}: {}", f.package.name, f.package.version, f.package.ecosystem, f.id, f.why.describe());
            if let Some(s) = &f.summary {
                let _ = write!(msg, ". {s}");
            }
            let mut res = json!({
                "ruleId": f.id,
                "ruleIndex": index[f.id.as_str()],
                "level": sarif_level(f.severity()),
                "message": {"text": msg},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": f.package.line.unwrap_or(1)}}}],
                "partialFingerprints": {"vouchAudit/v1": fingerprint(&[&f.id, &uri, &f.package.name, &f.package.version])},
                "properties": {"package": f.package.name, "version": f.package.version, "ecosystem": f.package.ecosystem.as_str(), "severity": f.severity().as_str(), "fixed": f.fixed},
            });
            if let Some(ig) = &f.ignored {
                res["suppressions"] = json!([{"kind": "external", "justification": ig.reason}]);
            }
            res
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vouch", "version": env!("CARGO_PKG_VERSION"), "semanticVersion": env!("CARGO_PKG_VERSION"), "informationUri": "https://osv.dev", "rules": rules.into_values().collect::<Vec<_>>()}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("sarif serialises");
    s.push('\n');
    s
}

fn cdx_method(kind: &str, vector: &str) -> &'static str {
    match kind {
        "CVSS_V2" => "CVSSv2",
        "CVSS_V4" => "CVSSv4",
        _ if vector.starts_with("CVSS:3.1") => "CVSSv31",
        _ => "CVSSv3",
    }
}

/// CycloneDX 1.6 JSON: every audited package as a component, every finding as a vulnerability
/// affecting it, with ratings, fix recommendation and an analysis state (`in_triage` for
/// active findings, `not_affected` with the reason for ignored ones).
pub fn cyclonedx(r: &AuditReport, serial: &str, timestamp: &str) -> String {
    let mut components: BTreeMap<String, Value> = BTreeMap::new();
    let bom_ref =
        |f: &Finding| f.package.purl.clone().unwrap_or_else(|| format!("{}:{}@{}", f.package.ecosystem, f.package.name, f.package.version));
    for f in &r.findings {
        let reference = bom_ref(f);
        components.entry(reference.clone()).or_insert_with(|| {
            let mut c = json!({"type": "library", "bom-ref": reference, "name": f.package.name, "version": f.package.version});
            if let Some(p) = &f.package.purl {
                c["purl"] = json!(p);
            }
            c
        });
    }
    let vulns: Vec<Value> = r
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut rating = json!({"source": {"name": "OSV", "url": f.url}, "severity": f.severity().as_str()});
            if let Some(c) = &f.rating.cvss {
                rating["score"] = json!(c.score);
                rating["method"] = json!(cdx_method(&c.kind, &c.vector));
                rating["vector"] = json!(c.vector);
            }
            let mut v = json!({
                "bom-ref": format!("vuln-{}-{i}", f.id),
                "id": f.id,
                "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{}", f.id)},
                "ratings": [rating],
                "advisories": [{"url": f.url}],
                "affects": [{"ref": bom_ref(f), "versions": [{"version": f.package.version, "status": "affected"}]}],
                "analysis": match &f.ignored {
                    Some(ig) => json!({"state": "not_affected", "detail": ig.reason}),
                    None => json!({"state": "in_triage", "detail": format!("matched by vouch: {}", f.why.describe())}),
                },
            });
            if !f.aliases.is_empty() {
                v["references"] = json!(f
                    .aliases
                    .iter()
                    .map(|a| json!({"id": a, "source": {"name": "OSV", "url": format!("https://osv.dev/vulnerability/{a}")}}))
                    .collect::<Vec<_>>());
            }
            if let Some(s) = &f.summary {
                v["description"] = json!(s);
            }
            if let Some(fix) =
                r.fixes.iter().find(|x| x.name == f.package.name && x.installed == f.package.version && x.advisories.contains(&f.id))
            {
                if let Some(s) = &fix.suggested {
                    v["recommendation"] = json!(format!("Upgrade {} to {s} or later.", f.package.name));
                }
            }
            v
        })
        .collect();
    let doc = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": {
            "timestamp": timestamp,
            "tools": {"components": [{"type": "application", "name": "vouch", "version": env!("CARGO_PKG_VERSION")}]},
        },
        "components": components.into_values().collect::<Vec<_>>(),
        "vulnerabilities": vulns,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("bom serialises");
    s.push('\n');
    s
}

/// A random RFC 4122 version-4 UUID URN for `serialNumber` (entropy from the OS via
/// `RandomState`, the clock and the process id; not a security function).
pub fn serial_number() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        h.write_u32(std::process::id());
        h.write_usize(i);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:uuid:{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Now as an RFC 3339 UTC timestamp (second precision).
pub fn timestamp_now() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    format_unix(secs)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_unix(secs: u64) -> String {
    vouch_report::time::format_unix(i64::try_from(secs).unwrap_or(i64::MAX / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_formatting_round_trips_with_date_parsing() {
        assert_eq!(format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_unix(951_782_400), "2000-02-29T00:00:00Z");
        let d = crate::config::parse_date("2026-12-02").unwrap() as u64;
        assert_eq!(format_unix(d * 86_400 + 3661), "2026-12-02T01:01:01Z");
        let s = serial_number();
        assert_eq!(s.len(), "urn:uuid:".len() + 36);
        assert_ne!(s, serial_number());
    }
}
