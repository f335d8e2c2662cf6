//! Reads a vulnerability report (Markdown or plain text) and extracts the claims it makes about a
//! project's code — files, functions, cited lines, quoted code, versions, commits, CVE/GHSA/CWE ids,
//! sanitizer traces and patches — keeping the reporter's own programs apart from the project's code.
//!
//! The input is hostile: every entry point takes [`Limits`], never panics, and runs in time linear in
//! the input size.

use serde::Serialize;

mod classify;
mod extract;
mod meta;
mod patch;
mod segment;
mod text;
mod trace;

/// Bounds on what one report may cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limits {
    /// Largest report accepted, in bytes (default 4 MiB).
    pub max_bytes: usize,
    /// Blocks kept; past it the rest of the report is not read and `truncated` is set.
    pub max_blocks: usize,
    /// Claims kept; past it extraction stops and `truncated` is set.
    pub max_claims: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 4 << 20, max_blocks: 2000, max_claims: 5000 }
    }
}

/// Why a report could not be read at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ParseError {
    /// NUL bytes or invalid UTF-8 beyond a small share: not a text document.
    NotText,
    /// Larger than `Limits::max_bytes`.
    TooLarge { size: usize, limit: usize },
    /// Nothing but whitespace.
    Empty,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::NotText => f.write_str("the report is not text (NUL bytes or invalid UTF-8)"),
            ParseError::TooLarge { size, limit } => write!(f, "the report is {size} bytes, more than the limit of {limit}"),
            ParseError::Empty => f.write_str("the report is empty"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Everything extracted from one report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub title: Option<String>,
    pub meta: Meta,
    /// The report split into prose / code / logs, in order.
    pub blocks: Vec<Block>,
    /// Deduplicated: the same kind+text+file+lines+negated+origin keeps the first.
    pub claims: Vec<Claim>,
    /// Sanitizer / debugger / backtrace output found in the report.
    pub traces: Vec<Trace>,
    /// Unified diffs found in the report.
    pub patches: Vec<Patch>,
    /// The vulnerability class, from the Weakness row, CWE ids and prose keywords.
    pub class: Option<VulnClass>,
    /// Where the report says the attacker-controlled data comes from.
    pub inputs: Vec<InputSource>,
    /// A limit (blocks or claims) was hit; what was read is kept.
    pub truncated: bool,
}

/// The report's metadata (HackerOne table, `**Key:** value` lines or mail headers).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Meta {
    pub id: Option<String>,
    /// `YYYY-MM-DD`: Reported (when it was written), else Disclosed, else a `Date:` line or mail header.
    pub date: Option<String>,
    pub weakness: Option<String>,
    pub severity: Option<String>,
    pub reporter: Option<String>,
    pub asset: Option<String>,
    /// The project the report is about (`Program` row, else the asset repository's name), lowercase.
    pub project: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BlockKind {
    Prose,
    ProjectCode,
    ReporterCode,
    Patch,
    Log,
    Trace,
    Command,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// The fence's language, lowercase, if any.
    pub lang: Option<String>,
    /// 1-based lines in the report (fence lines excluded).
    pub start_line: usize,
    pub end_line: usize,
    pub text: String,
    /// What the report says this code is (the citation in the text right before it).
    pub cited: Option<Citation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    pub file: Option<String>,
    pub function: Option<String>,
    pub lines: Option<(u32, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ClaimKind {
    File,
    Function,
    Line,
    Snippet,
    Version,
    Commit,
    Cve,
    Ghsa,
    Cwe,
    Api,
    /// A struct member the report names in prose (`conn->ntlm`): `text` is the member (`ntlm`),
    /// `code` the whole expression.
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Origin {
    Metadata,
    Prose,
    ProjectCode,
    ReporterCode,
    Trace,
    Patch,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub kind: ClaimKind,
    /// Normalised value: `lib/http.c`, `Curl_auth_allowed_to_host`, `8.10.1`, `1a822275d3`,
    /// `CVE-2025-14524`, `CWE-122`; for Line `lib/http.c:822`; for Snippet the first line of the code.
    pub text: String,
    /// Line/Snippet/Function: the file the report ties it to, if any.
    pub file: Option<String>,
    /// Line/Snippet: the cited line range.
    pub lines: Option<(u32, u32)>,
    /// Snippet: the quoted project code; Line: the code shown for that line, if any.
    pub code: Option<String>,
    /// The report excludes this from the affected set ("not affected", "fixed in", "unlike", ...),
    /// or proposes it as new code ("replace it with `foo()`", "add a new `foo()`").
    pub negated: bool,
    pub origin: Origin,
    /// 1-based line in the report.
    pub report_line: usize,
    /// The sentence or line it came from, trimmed, at most 200 characters.
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum VulnClass {
    BufferOverflow,
    OutOfBoundsRead,
    UseAfterFree,
    DoubleFree,
    IntegerOverflow,
    NullDeref,
    FormatString,
    MemoryLeak,
    InfoLeak,
    CredentialLeak,
    CertValidation,
    Injection,
    PathTraversal,
    DenialOfService,
    RaceCondition,
    Other(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum InputSource {
    Network,
    Server,
    File,
    Environment,
    CommandLine,
    LocalUser,
    ApiCaller,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    pub kind: TraceKind,
    pub start_line: usize,
    pub frames: Vec<Frame>,
    /// Addresses that cannot come from a real run: `0xXXXXXXXX`, `0x????`, the same address in
    /// every frame, all zero, one repeated digit; or a typed process id (`==12345==`).
    pub placeholder_addresses: bool,
    /// Every frame address is left out by the reporter (`#0 0x... in foo`): shortened output
    /// that cannot be checked as a real run's.
    pub elided_addresses: bool,
    /// e.g. `heap-buffer-overflow`.
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum TraceKind {
    Asan,
    Ubsan,
    Msan,
    Valgrind,
    Gdb,
    Backtrace,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Frame {
    pub index: Option<u32>,
    pub function: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patch {
    pub start_line: usize,
    pub files: Vec<String>,
    /// From `index a1b2c3d..e4f5a6b` lines.
    pub index_hashes: Vec<(String, String)>,
    pub hunks: Vec<Hunk>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hunk {
    /// The file the hunk applies to; empty when the diff does not say.
    pub file: String,
    /// 0 when the diff has no `@@` header.
    pub old_start: u32,
    pub old_lines: u32,
    pub removed: Vec<String>,
    pub context: Vec<String>,
    pub added: Vec<String>,
}

/// Reads a report from raw bytes: a UTF-8 BOM is dropped; NUL bytes or invalid UTF-8 beyond a small
/// share mean [`ParseError::NotText`].
/// The (owner, repository) of a GitHub, GitLab, Codeberg or Bitbucket URL, lowercased.
pub fn repo_of(url: &str) -> Option<(String, String)> {
    meta::repo_of(url)
}

pub fn parse_bytes(bytes: &[u8], limits: &Limits) -> Result<Report, ParseError> {
    parse_bytes_for(bytes, limits, None)
}

/// [`parse_bytes`] for a report about a known project (see [`parse_for`]).
pub fn parse_bytes_for(bytes: &[u8], limits: &Limits, project: Option<&str>) -> Result<Report, ParseError> {
    if bytes.len() > limits.max_bytes {
        return Err(ParseError::TooLarge { size: bytes.len(), limit: limits.max_bytes });
    }
    let text = text::decode(bytes)?;
    parse_for(&text, limits, project)
}

/// Reads a report from text.
pub fn parse(text: &str, limits: &Limits) -> Result<Report, ParseError> {
    parse_for(text, limits, None)
}

/// Reads a report about a known project: when the report's own metadata does not name the
/// project, `project` (its name, such as `curl`) is used to recognise `curl 8.1.0`-style versions
/// and the project's own identifiers.
pub fn parse_for(text: &str, limits: &Limits, project: Option<&str>) -> Result<Report, ParseError> {
    if text.len() > limits.max_bytes {
        return Err(ParseError::TooLarge { size: text.len(), limit: limits.max_bytes });
    }
    text::check_text(text)?;
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    Ok(extract::run(text, limits, project))
}
