//! Verify a vulnerability report's claims against the project's code at the version the report is
//! about, check its evidence, scope and duplicates, and score it, so maintainers read credible
//! reports first. Reports are read by `vouch-claims`, code by `vouch-source`.
//!
//! The result never closes or answers a report: it ranks it and shows, for every claim, what
//! was checked and the code seen.

mod code;
mod commands;
mod consumed;
mod evidence;
mod known;
mod meaning;
mod measure;
mod ordered;
mod poc;
pub mod policy;
mod project;
pub mod render;
mod restore;
mod score;
mod similar;
mod streamed;
mod unconditional;
mod values;
mod verify;

use serde::Serialize;
use vouch_claims::Report;

pub use policy::{Policy, PolicyError};
pub use project::{At, Checked, Project, View};
pub use similar::{Copied, Corpus, Document, Duplicate, MIN_COPIED_WORDS};
pub use vouch_claims;
pub use vouch_source;

/// Status of one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The code at the version checked shows it.
    Confirmed,
    /// The code at the version checked shows otherwise.
    Contradicted,
    /// Cannot be checked here (dependency symbol, no advisory store, plain tree, ...).
    Unverifiable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Contradicted => "contradicted",
            Status::Unverifiable => "unverifiable",
        }
    }
}

/// A place in the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub path: String,
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<u32>,
}

/// One checked claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimResult {
    /// `file|function|line|snippet|version|commit|cve|api` (GHSA ids are `cve` claims).
    pub kind: &'static str,
    pub text: String,
    pub status: Status,
    /// What was seen: the path and line of a definition, the code at a cited line, the tag.
    pub evidence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Who wrote the text the claim came from: `prose`, `project-code`, `reporter-code`, `trace`, `patch`, `metadata`.
    pub origin: &'static str,
    /// The report says the thing is *not* affected / not involved.
    pub negated: bool,
    /// Line of the report the claim came from.
    pub report_line: usize,
    /// Where the check held when it did not at the main version (`tag v1.0 (abc1234)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// A `snippet` that is a struct member named in prose (`conn->ntlm`), checked against the
    /// members the project uses rather than as lines of code.
    #[serde(skip)]
    pub member: bool,
    /// A contradicted function named in the project's own namespace (`Curl_foo` in curl): the
    /// project has no such function, though the name says it is the project's.
    #[serde(skip)]
    pub namespaced: bool,
    /// A confirmed function that is the project's public API, named in prose or called by an
    /// application's code the report shows: anyone can name it, so it does not count for the
    /// report (as a file, a release or a reproducer's API call does not).
    #[serde(skip)]
    pub public_api: bool,
    /// How much this claim says about the report (set by the checker; 0 = not a code claim).
    #[serde(skip)]
    pub weight: f64,
}

/// A finding about the report as a whole (evidence, meaning of the cited code, scope, duplicates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The code or report text behind the finding.
    pub evidence: String,
    /// Line of the report the finding is about, when it is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_line: Option<usize>,
}

impl Finding {
    pub(crate) fn new(rule: &'static vouch_report::Rule, message: String, evidence: String) -> Finding {
        Finding { rule: rule.code, severity: rule.severity.as_str(), message, location: None, evidence, report_line: None }
    }
    pub(crate) fn at(mut self, location: Option<Location>) -> Finding {
        self.location = location;
        self
    }
    pub(crate) fn line(mut self, report_line: usize) -> Finding {
        self.report_line = Some(report_line);
        self
    }
}

/// Tool identification in JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// The result of triaging one report (`vouch.triage/1`).
#[derive(Debug, Clone, Serialize)]
pub struct Triage {
    pub schema: &'static str,
    pub tool: Tool,
    /// The report file.
    pub report: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Probability that the report describes a real, in-scope issue (0-1).
    pub score: f64,
    /// The report's concrete claims are contradicted, it duplicates a known advisory, or the policy rules it out.
    pub flagged: bool,
    /// Why the score is what it is, strongest first.
    pub reasons: Vec<String>,
    /// The version checked and how it was chosen.
    pub checked: Checked,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub claims: Vec<ClaimResult>,
    pub findings: Vec<Finding>,
    pub duplicates: Vec<Duplicate>,
    /// Counts of claims by status.
    pub summary: Summary,
}

/// Claim counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub confirmed: usize,
    pub contradicted: usize,
    pub unverifiable: usize,
}

/// Everything a triage run needs besides the report.
pub struct Context<'a> {
    pub project: &'a Project,
    pub policy: &'a Policy,
    /// Published advisories (from the OSV store) to search for duplicates.
    pub advisories: Option<&'a Corpus>,
    /// Earlier reports of the queue to search for duplicates.
    pub earlier: Option<&'a Corpus>,
    pub at: &'a At,
}

/// Errors that stop the triage of one report.
#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    #[error(transparent)]
    Source(#[from] vouch_source::SourceError),
}

/// Triage one parsed report. `name` is how the report is named in the output (its path).
pub fn triage(name: &str, report: &Report, cx: &Context<'_>) -> Result<Triage, TriageError> {
    let checked = cx.project.choose(report, cx.at, cx.policy)?;
    let mut findings = Vec::new();
    // A commit of the project's that the report links and the shallow clone lacks.
    let tested = verify::missing_linked_commit(report, cx.project)?;
    // Why the code checked may not be the release the report is about: looked for once.
    let mismatch = cx.project.tree_mismatch(report);
    let claims = verify::check_claims(report, cx, &checked, tested.as_ref(), mismatch.as_ref(), &mut findings)?;
    let primary = cx.project.view(&checked)?;
    meaning::check(report, &claims, &primary, cx.policy, &mut findings)?;
    streamed::check(report, &claims, &primary, &mut findings)?;
    restore::check(report, &claims, &primary, &mut findings)?;
    unconditional::check(report, &claims, cx.project, &checked, &primary, &mut findings)?;
    // When the code the report cites holds only at another version it was checked at (a
    // development snapshot, the next release), its meaning is checked there.
    let cites = |c: &ClaimResult| c.status == Status::Confirmed && matches!(c.kind, "line" | "snippet") && !c.member && !c.negated;
    if !claims.iter().any(|c| cites(c) && c.at.is_none()) {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for c in claims.iter().filter(|c| cites(c)) {
            if let Some(at) = c.at.as_deref() {
                match counts.iter_mut().find(|(l, _)| *l == at) {
                    Some(e) => e.1 += 1,
                    None => counts.push((at, 1)),
                }
            }
        }
        let best = counts.iter().max_by_key(|(_, n)| *n).map(|(l, _)| l.to_string());
        if let Some(v) = best.and_then(|label| checked.also.iter().find(|v| v.label == label)) {
            let alt = cx.project.alternate(v)?;
            let shifted: Vec<ClaimResult> = claims
                .iter()
                .map(|c| {
                    let at = if c.at.as_deref() == Some(v.label.as_str()) {
                        None
                    } else {
                        Some(c.at.clone().unwrap_or_else(|| checked.main.label.clone()))
                    };
                    ClaimResult { at, ..c.clone() }
                })
                .collect();
            meaning::check(report, &shifted, &alt, cx.policy, &mut findings)?;
        }
    }
    // Code of a release the clone lacks (newer than it, or skipped by it) may have the functions
    // and lines a trace names, as a commit the report links may.
    let unseen = tested.is_some() || mismatch.is_some();
    evidence::check(report, cx.project, &primary, &checked.also, checked.note.is_some(), unseen, &mut findings)?;
    poc::check(report, &claims, &primary, cx.project.name(cx.policy).as_deref(), cx.policy, &mut findings)?;
    measure::check(report, &mut findings);
    let mut duplicates = Vec::new();
    let doc = Document::of_report(name, report);
    if let Some(adv) = cx.advisories {
        duplicates.extend(adv.similar(&doc, cx.policy.duplicate_advisory, 3));
    }
    if let Some(earlier) = cx.earlier {
        duplicates.extend(earlier.similar(&doc, cx.policy.duplicate_report, 3));
    }
    for d in &duplicates {
        let rule =
            if d.kind == "advisory" { &vouch_report::rules::TRI_DUPLICATE_ADVISORY } else { &vouch_report::rules::TRI_DUPLICATE_REPORT };
        let cited = if d.cited { CITED_ADVISORY } else { "" };
        findings.push(match &d.copied {
            // An advisory may quote the report it came from: without the report's date, which
            // came first is unknown.
            Some(c) => Finding::new(
                rule,
                format!("repeats {} words of {} {} word for word", c.words, d.kind, d.id),
                format!("{}; the report says: \"{}\"{cited}{}", d.title, c.text, if doc.date.is_none() { UNDATED_COPY } else { "" }),
            ),
            None => Finding::new(
                rule,
                format!("{:.0}% similar to {} {}", d.similarity * 100.0, d.kind, d.id),
                format!("{}; shared terms: {}{cited}", d.title, d.shared.join(", ")),
            ),
        });
    }
    // The same finding reached from two claims (a line and its snippet) is reported once.
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert((f.rule, f.message.clone(), f.evidence.clone())));
    if report.truncated {
        findings.push(Finding::new(
            &vouch_report::rules::TRI_INCOMPLETE,
            "the report hit a parser limit; claims after it were not extracted".into(),
            String::new(),
        ));
    }
    let summary = Summary {
        confirmed: claims.iter().filter(|c| c.status == Status::Confirmed).count(),
        contradicted: claims.iter().filter(|c| c.status == Status::Contradicted).count(),
        unverifiable: claims.iter().filter(|c| c.status == Status::Unverifiable).count(),
    };
    let scored = score::score(report, &claims, &findings, &checked, cx.policy);
    Ok(Triage {
        schema: "vouch.triage/1",
        tool: Tool { name: "vouch", version: env!("CARGO_PKG_VERSION") },
        report: name.to_string(),
        title: report.title.clone(),
        score: scored.score,
        flagged: scored.flagged,
        reasons: scored.reasons,
        checked,
        class: report.class.as_ref().map(class_name),
        claims,
        findings,
        duplicates,
        summary,
    })
}

/// Marks the evidence of a duplicate the report names itself (it may argue the fix is incomplete).
pub(crate) const CITED_ADVISORY: &str = " (cited by the report)";
/// Marks a passage an undated report shares with an advisory, which may have quoted the report.
pub(crate) const UNDATED_COPY: &str = " (the report has no date: the advisory may quote it)";

/// A readable name of a vulnerability class.
pub fn class_name(c: &vouch_claims::VulnClass) -> String {
    use vouch_claims::VulnClass as V;
    match c {
        V::BufferOverflow => "buffer overflow".into(),
        V::OutOfBoundsRead => "out-of-bounds read".into(),
        V::UseAfterFree => "use after free".into(),
        V::DoubleFree => "double free".into(),
        V::IntegerOverflow => "integer overflow".into(),
        V::NullDeref => "NULL pointer dereference".into(),
        V::FormatString => "format string".into(),
        V::MemoryLeak => "memory leak".into(),
        V::InfoLeak => "information leak".into(),
        V::CredentialLeak => "credential leak".into(),
        V::CertValidation => "certificate validation".into(),
        V::Injection => "injection".into(),
        V::PathTraversal => "path traversal".into(),
        V::DenialOfService => "denial of service".into(),
        V::RaceCondition => "race condition".into(),
        V::Other(s) => s.clone(),
    }
}
