//! Human output of triage results: the verdict first, then every claim with its evidence, so a
//! maintainer can check the check in seconds.

use anstyle::{AnsiColor, Style};
use vouch_report::render::paint;

use crate::{Status, Triage};

fn status_style(s: Status) -> Style {
    match s {
        Status::Confirmed => AnsiColor::Green.on_default(),
        Status::Contradicted => AnsiColor::Red.on_default().bold(),
        Status::Unverifiable => AnsiColor::BrightBlack.on_default(),
    }
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Confirmed => "✓",
        Status::Contradicted => "✗",
        Status::Unverifiable => "?",
    }
}

/// One report in full.
pub fn human(t: &Triage, color: bool) -> String {
    let mut out = String::new();
    let verdict = if t.flagged {
        paint(color, AnsiColor::Red.on_default().bold(), "FLAGGED")
    } else {
        paint(color, AnsiColor::Green.on_default().bold(), "credible")
    };
    out.push_str(&format!("{}  score {:.2}  {}\n", paint(color, Style::new().bold(), &t.report), t.score, verdict));
    if let Some(title) = &t.title {
        out.push_str(&format!("  {title}\n"));
    }
    out.push_str(&format!("  checked at {} — {}\n", t.checked.main.label, t.checked.main.how));
    for v in &t.checked.also {
        out.push_str(&format!("  also consulted: {} — {}\n", v.label, v.how));
    }
    if let Some(note) = &t.checked.note {
        out.push_str(&format!("  {}: {note}\n", paint(color, AnsiColor::Yellow.on_default().bold(), "note")));
    }
    if let Some(c) = &t.class {
        out.push_str(&format!("  class: {c}\n"));
    }
    if !t.reasons.is_empty() {
        out.push_str("  why:\n");
        for r in &t.reasons {
            out.push_str(&format!("    {r}\n"));
        }
    }
    if !t.claims.is_empty() {
        out.push_str(&format!(
            "  claims ({} confirmed, {} contradicted, {} unverifiable):\n",
            t.summary.confirmed, t.summary.contradicted, t.summary.unverifiable
        ));
        for c in &t.claims {
            let neg = if c.negated { " (negated)" } else { "" };
            out.push_str(&format!(
                "    {} {:<8} {}{neg}  [report line {}, {}]\n        {}\n",
                paint(color, status_style(c.status), mark(c.status)),
                c.kind,
                c.text,
                c.report_line,
                c.origin,
                c.evidence
            ));
        }
    }
    if !t.findings.is_empty() {
        out.push_str("  findings:\n");
        for f in &t.findings {
            use vouch_report::Severity as S;
            let sev = match f.severity {
                "critical" => Some(S::Critical),
                "high" => Some(S::High),
                "medium" => Some(S::Medium),
                "low" => Some(S::Low),
                "info" => Some(S::Info),
                _ => None,
            };
            let tag = match sev {
                Some(s) => paint(color, vouch_report::render::severity_style(s), f.severity),
                None => f.severity.to_string(),
            };
            let at = f.location.as_ref().map(|l| format!(" at {}:{}", l.path, l.line)).unwrap_or_default();
            out.push_str(&format!("    {} {tag}: {}{at}\n", f.rule, f.message));
            if !f.evidence.is_empty() {
                out.push_str(&format!("        {}\n", f.evidence));
            }
        }
    }
    out
}

/// A ranked queue: one line per report, most credible first.
pub fn queue(results: &[Triage], color: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!("{:>5}  {:<7}  {:>3} {:>3} {:>3}  report\n", "score", "verdict", "ok", "bad", "?"));
    for t in results {
        let verdict = if t.flagged {
            paint(color, AnsiColor::Red.on_default(), "flagged")
        } else {
            paint(color, AnsiColor::Green.on_default(), "read   ")
        };
        let top = t.reasons.first().cloned().unwrap_or_default();
        out.push_str(&format!(
            "{:>5.2}  {verdict:<7}  {:>3} {:>3} {:>3}  {}  — {}\n",
            t.score, t.summary.confirmed, t.summary.contradicted, t.summary.unverifiable, t.report, top
        ));
    }
    out
}

/// SARIF 2.1.0 log of a triage run: every triage rule in the driver and one result per finding.
/// A finding in the project's code points there (under the base id `PROJECT`, with the report's
/// line as a related location); one about the report points into the report. Each report's score
/// and verdict are in the run's properties and on its results.
pub fn sarif(results: &[Triage], errors: &[String], project_root: Option<&str>) -> String {
    use serde_json::{json, Value};
    use vouch_report::render::{fingerprint, sarif_level, sarif_rule_tagged};
    use vouch_report::RULES;

    let rules: Vec<&vouch_report::Rule> = RULES.iter().copied().filter(|r| r.code.starts_with("VCH-TRI-")).collect();
    let index = |code: &str| rules.iter().position(|r| r.code == code);
    let mut out: Vec<Value> = Vec::new();
    for t in results {
        let report_uri = t.report.replace('\\', "/");
        let report_at =
            |line: usize| json!({"physicalLocation": {"artifactLocation": {"uri": report_uri}, "region": {"startLine": line.max(1)}}});
        for f in &t.findings {
            let Some(i) = index(f.rule) else { continue };
            let rule = rules[i];
            let mut text = format!("{}: {}", t.title.as_deref().unwrap_or(&t.report), f.message);
            if !f.evidence.is_empty() {
                text.push_str(&format!(" Evidence: {}", f.evidence));
            }
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": i,
                "level": sarif_level(rule.severity),
                "message": {"text": text},
                "partialFingerprints": {"vouchTriage/v1": fingerprint(&[f.rule, &report_uri, &f.message, &f.evidence])},
                "properties": {"report": t.report, "score": t.score, "flagged": t.flagged, "severity": f.severity, "checkedAt": t.checked.main.label},
            });
            match &f.location {
                Some(l) => {
                    let mut region = json!({"startLine": l.line.max(1)});
                    if let Some(e) = l.end_line.filter(|&e| e > l.line) {
                        region["endLine"] = json!(e);
                    }
                    result["locations"] =
                        json!([{"physicalLocation": {"artifactLocation": {"uri": l.path, "uriBaseId": "PROJECT"}, "region": region}}]);
                    if let Some(line) = f.report_line {
                        let mut related = report_at(line);
                        related["id"] = json!(0);
                        related["message"] = json!({"text": "the report's text"});
                        result["relatedLocations"] = json!([related]);
                    }
                }
                None => result["locations"] = json!([report_at(f.report_line.unwrap_or(1))]),
            }
            out.push(result);
        }
    }
    let reports: Vec<Value> = results
        .iter()
        .map(|t| json!({"report": t.report, "title": t.title, "score": t.score, "flagged": t.flagged, "checkedAt": t.checked.main.label, "summary": t.summary}))
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "vouch",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules.iter().map(|r| sarif_rule_tagged(r, &["security", "triage"])).collect::<Vec<_>>(),
        }},
        "results": out,
        "columnKind": "unicodeCodePoints",
        "properties": {"reports": reports, "errors": errors},
    });
    if let Some(root) = project_root {
        let mut uri = root.replace('\\', "/");
        if !uri.ends_with('/') {
            uri.push('/');
        }
        let uri = if uri.starts_with('/') {
            format!("file://{uri}")
        } else if uri.as_bytes().get(1) == Some(&b':') {
            format!("file:///{uri}")
        } else {
            uri
        };
        run["originalUriBaseIds"] = json!({"PROJECT": {"uri": uri}});
    }
    let doc = json!({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]});
    let mut s = serde_json::to_string_pretty(&doc).expect("sarif serialises");
    s.push('\n');
    s
}
