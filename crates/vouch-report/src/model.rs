use crate::rules::{self, Rule};
use serde::{Serialize, Serializer};

/// How bad a finding is. Ordered: `Info < Low < Medium < High < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s.to_ascii_lowercase().as_str() {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// The verdict about one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Clean,
    Suspicious,
    Incomplete,
    Dangerous,
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Suspicious => "suspicious",
            Verdict::Incomplete => "incomplete",
            Verdict::Dangerous => "dangerous",
            Verdict::Error => "error",
        }
    }

    /// The verdict implied by a set of findings (DESIGN.md): critical/high make the file
    /// dangerous; otherwise anything not analysed makes it incomplete; otherwise medium/low
    /// make it suspicious.
    pub fn from_findings(findings: &[Finding]) -> Verdict {
        if findings.iter().any(|f| f.severity >= Severity::High) {
            Verdict::Dangerous
        } else if findings.iter().any(|f| f.rule.incomplete) {
            Verdict::Incomplete
        } else if findings.iter().any(|f| f.severity >= Severity::Low) {
            Verdict::Suspicious
        } else {
            Verdict::Clean
        }
    }
}

/// Where inside a file a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Archive member path, `/`-joined through nested archives (`outer.zip/inner.pkl`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// Byte offset inside the member (or the file when there is no member).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// 1-based line, for text formats.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

impl Location {
    pub fn offset(offset: u64) -> Location {
        Location { offset: Some(offset), ..Location::default() }
    }

    pub fn is_empty(&self) -> bool {
        self.member.is_none() && self.offset.is_none() && self.line.is_none()
    }

    /// Prefixes the member path with an enclosing archive member.
    pub fn within(mut self, member: &str) -> Location {
        self.member = Some(match self.member.take() {
            Some(inner) => format!("{member}/{inner}"),
            None => member.to_string(),
        });
        self
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(m) = &self.member {
            parts.push(m.clone());
        }
        if let Some(o) = self.offset {
            parts.push(format!("@{o}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        f.write_str(&parts.join(" "))
    }
}

/// One observation about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    #[serde(serialize_with = "ser_rule_code")]
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Location::is_empty")]
    pub location: Location,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub evidence: String,
}

fn ser_rule_code<S: Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.code)
}

impl Finding {
    /// A finding of `rule` at the rule's default severity.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Finding {
        Finding { rule, severity: rule.severity, message: message.into(), location: Location::default(), evidence: String::new() }
    }

    pub fn severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }

    pub fn at(mut self, location: Location) -> Finding {
        self.location = location;
        self
    }

    pub fn offset(mut self, offset: u64) -> Finding {
        self.location.offset = Some(offset);
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = evidence.into();
        self
    }

    /// Re-roots the finding inside an archive member.
    pub fn within(mut self, member: &str) -> Finding {
        self.location = self.location.within(member);
        self
    }
}

/// Everything vouch found about one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    /// Bytes of the file actually read.
    #[serde(skip)]
    pub bytes_read: u64,
}

impl FileReport {
    /// Builds a report and derives its verdict from the findings.
    pub fn new(path: String, format: impl Into<String>, mut findings: Vec<Finding>) -> FileReport {
        // Worst first; the analysers' order (by position) is kept within a severity.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let verdict = Verdict::from_findings(&findings);
        FileReport { path, format: format.into(), sha256: None, verdict, findings, bytes_read: 0 }
    }

    /// A file that could not be read at all.
    pub fn error(path: String, message: impl Into<String>) -> FileReport {
        let finding = Finding::new(&rules::GEN_READ_ERROR, message);
        FileReport { path, format: "unknown".into(), sha256: None, verdict: Verdict::Error, findings: vec![finding], bytes_read: 0 }
    }

    pub fn max_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub dangerous: usize,
    pub suspicious: usize,
    pub incomplete: usize,
    pub clean: usize,
    pub error: usize,
    pub bytes_read: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// The result of one `vouch scan` run.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    pub schema: &'static str,
    pub tool: Tool,
    pub files: Vec<FileReport>,
    pub summary: Summary,
}

impl ScanReport {
    pub fn new(tool_version: &'static str, files: Vec<FileReport>, seconds: f64) -> ScanReport {
        let mut summary = Summary { files: files.len(), seconds, ..Summary::default() };
        for f in &files {
            summary.bytes_read += f.bytes_read;
            match f.verdict {
                Verdict::Clean => summary.clean += 1,
                Verdict::Suspicious => summary.suspicious += 1,
                Verdict::Incomplete => summary.incomplete += 1,
                Verdict::Dangerous => summary.dangerous += 1,
                Verdict::Error => summary.error += 1,
            }
        }
        ScanReport { schema: crate::SCAN_SCHEMA, tool: Tool { name: "vouch", version: tool_version }, files, summary }
    }

    /// Exit code per DESIGN.md: 1 when a finding reaches `threshold`, else 2 on errors,
    /// else 3 when something was not fully analysed, else 0.
    pub fn exit_code(&self, threshold: Severity) -> i32 {
        let hit = self.files.iter().any(|f| f.findings.iter().any(|x| x.severity >= threshold));
        if hit {
            1
        } else if self.summary.error > 0 {
            2
        } else if self.files.iter().any(|f| f.verdict == Verdict::Incomplete) {
            3
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::*;

    #[test]
    fn verdict_order() {
        assert_eq!(Verdict::from_findings(&[]), Verdict::Clean);
        let info = Finding::new(&PKL_STACKED, "x");
        assert_eq!(Verdict::from_findings(std::slice::from_ref(&info)), Verdict::Clean);
        let med = Finding::new(&PKL_EMBEDDED_PICKLE, "x");
        assert_eq!(Verdict::from_findings(&[info.clone(), med.clone()]), Verdict::Suspicious);
        let inc = Finding::new(&PKL_MALFORMED, "x");
        assert_eq!(Verdict::from_findings(&[med.clone(), inc.clone()]), Verdict::Incomplete);
        let crit = Finding::new(&PKL_DANGEROUS_CALL, "x");
        assert_eq!(Verdict::from_findings(&[inc, crit, med]), Verdict::Dangerous);
    }

    #[test]
    fn exit_codes() {
        let clean = FileReport::new("a".into(), "pickle", vec![]);
        let inc = FileReport::new("b".into(), "pickle", vec![Finding::new(&PKL_MALFORMED, "x")]);
        let med = FileReport::new("c".into(), "pickle", vec![Finding::new(&PKL_CODE_IN_DATA, "x")]);
        let r = ScanReport::new("0", vec![clean.clone()], 0.0);
        assert_eq!(r.exit_code(Severity::High), 0);
        let r = ScanReport::new("0", vec![clean.clone(), inc], 0.0);
        assert_eq!(r.exit_code(Severity::High), 3);
        let r = ScanReport::new("0", vec![clean.clone(), med.clone()], 0.0);
        assert_eq!(r.exit_code(Severity::High), 0);
        assert_eq!(r.exit_code(Severity::Medium), 1);
        let r = ScanReport::new("0", vec![FileReport::error("d".into(), "gone"), med], 0.0);
        assert_eq!(r.exit_code(Severity::High), 2);
        assert_eq!(r.exit_code(Severity::Low), 1);
    }

    #[test]
    fn location_nesting() {
        let l = Location::offset(7).within("inner.pkl").within("outer.zip");
        assert_eq!(l.member.as_deref(), Some("outer.zip/inner.pkl"));
        assert_eq!(l.to_string(), "outer.zip/inner.pkl @7");
    }
}
