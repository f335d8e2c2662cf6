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
