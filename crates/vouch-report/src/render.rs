//! Renderers: human (optionally coloured), JSON (`vouch.scan/1`) and SARIF 2.1.0.

use crate::rules::{Rule, RULES};
use crate::{ScanReport, Severity, Verdict};
use anstyle::{AnsiColor, Style};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The stable JSON document (`vouch.scan/1`).
pub fn json(report: &ScanReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("report serialises");
    s.push('\n');
    s
}

/// `text` in `style` when `color` is on.
pub fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{}{}{}", style.render(), text, style.render_reset())
    } else {
        text.to_string()
    }
}

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Dangerous => AnsiColor::Red.on_default().bold(),
        Verdict::Suspicious => AnsiColor::Yellow.on_default().bold(),
        Verdict::Incomplete => AnsiColor::Magenta.on_default().bold(),
        Verdict::Error => AnsiColor::Red.on_default(),
        Verdict::Clean => AnsiColor::Green.on_default(),
    }
}

/// The colour of a severity in human output.
pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => AnsiColor::Red.on_default().bold(),
        Severity::High => AnsiColor::Red.on_default(),
        Severity::Medium => AnsiColor::Yellow.on_default(),
        Severity::Low => AnsiColor::Cyan.on_default(),
        Severity::Info => AnsiColor::BrightBlack.on_default(),
    }
}

/// Human output: one line per file, then the findings grouped by file, then a summary.
pub fn human(report: &ScanReport, color: bool) -> String {
    let mut out = String::new();
    for f in &report.files {
        let verdict = format!("{:<10}", f.verdict.as_str().to_uppercase());
        let _ = writeln!(out, "{} {} ({})", paint(color, verdict_style(f.verdict), &verdict), f.path, f.format);
    }
    let with_findings: Vec<_> = report.files.iter().filter(|f| !f.findings.is_empty()).collect();
    if !with_findings.is_empty() {
        out.push('\n');
    }
    for f in with_findings {
        let _ = writeln!(out, "{}", paint(color, Style::new().bold(), &f.path));
        for x in &f.findings {
            let sev = format!("{:<8}", x.severity.as_str());
            let _ = write!(out, "  {} {} {}", paint(color, severity_style(x.severity), &sev), x.rule.code, x.message);
            if !x.location.is_empty() {
                let _ = write!(out, " [{}]", x.location);
            }
            out.push('\n');
            if !x.evidence.is_empty() {
                let _ = writeln!(out, "           evidence: {}", x.evidence);
            }
        }
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "\n{} files: {} dangerous, {} suspicious, {} incomplete, {} clean{} ({:.2}s, {} bytes read)",
        s.files,
        s.dangerous,
        s.suspicious,
        s.incomplete,
        s.clean,
        if s.error > 0 { format!(", {} errors", s.error) } else { String::new() },
        s.seconds,
        s.bytes_read
    );
    out
}

/// GitHub's `security-severity` scale (0-10) for a severity.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

/// The SARIF result level of a severity.
pub fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn sarif_rule(r: &Rule) -> Value {
    sarif_rule_tagged(r, &["security", "supply-chain", "ml-model"])
}

/// The SARIF reporting descriptor of a rule, with these tags.
pub fn sarif_rule_tagged(r: &Rule, tags: &[&str]) -> Value {
    json!({
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": format!("{} {}", r.summary, if r.incomplete { "Files with this finding are reported as incomplete, never clean." } else { "" }).trim_end().to_string()},
        "help": {
            "text": r.remediation,
            "markdown": format!("**{}** ({})\n\n{}\n\n**Remediation:** {}", r.code, r.name, r.summary, r.remediation),
        },
        "defaultConfiguration": {"level": sarif_level(r.severity)},
        "properties": {
            "security-severity": security_severity(r.severity),
            "precision": "high",
            "tags": tags,
        },
    })
}

/// A short, stable fingerprint so code scanning de-duplicates alerts across runs.
pub fn fingerprint(parts: &[&str]) -> String {
    // FNV-1a 64: stable across versions and platforms; not a security function.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// SARIF 2.1.0 log with every rule in the driver and one result per finding.
pub fn sarif(report: &ScanReport) -> String {
    let index: BTreeMap<&str, usize> = RULES.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let mut results = Vec::new();
    for f in &report.files {
        let uri = f.path.replace('\\', "/");
        for x in &f.findings {
            let mut text = x.message.clone();
            if !x.location.is_empty() {
                let _ = write!(text, " [{}]", x.location);
            }
            if !x.evidence.is_empty() {
                let _ = write!(text, " Evidence: {}", x.evidence);
            }
            let mut props = json!({"verdict": f.verdict.as_str(), "severity": x.severity.as_str()});
            if let Some(m) = &x.location.member {
                props["member"] = json!(m);
            }
            if let Some(o) = x.location.offset {
                props["offset"] = json!(o);
            }
            results.push(json!({
                "ruleId": x.rule.code,
                "ruleIndex": index[x.rule.code],
                "level": sarif_level(x.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": x.location.line.unwrap_or(1)},
                    }
                }],
                "partialFingerprints": {
                    "vouchFinding/v1": fingerprint(&[x.rule.code, &uri, x.location.member.as_deref().unwrap_or(""), &x.evidence]),
                },
                "properties": props,
            }));
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vouch",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": RULES.iter().map(|r| sarif_rule(r)).collect::<Vec<_>>(),
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("sarif serialises");
    s.push('\n');
    s
}
