//! `vouch triage`: verify vulnerability reports against the project's code and rank them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use clap::ValueEnum;
use vouch_triage::vouch_claims::{self, Report};
use vouch_triage::vouch_source::{self, Limits};
use vouch_triage::{At, Context, Corpus, Document, Policy, Project, Triage};

use crate::{use_color, ColorChoice};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TriageFormat {
    Human,
    Json,
    /// SARIF 2.1.0: one result per finding, in the project's code or the report.
    Sarif,
}

#[derive(clap::Args)]
pub struct TriageArgs {
    /// Report files: Markdown or plain text (HackerOne exports, advisory drafts, mails).
    reports: Vec<PathBuf>,
    /// Rank every report in this folder (most credible first); earlier reports are searched for duplicates.
    #[arg(long)]
    queue: Option<PathBuf>,
    /// The project: a git repository (read without checking out) or a plain source tree.
    #[arg(long)]
    repo: PathBuf,
    /// Check at this tag, branch or commit instead of the version the report names.
    #[arg(long = "ref", conflicts_with = "date")]
    git_ref: Option<String>,
    /// Check at the release current on this date (YYYY-MM-DD) when the report names no version.
    #[arg(long)]
    date: Option<String>,
    /// Triage policy (TOML): out-of-scope kinds, debug macros, test folders [default: vouch.toml in the repository, when present].
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Advisory store (from `vouch db import`) to check CVE ids and find duplicates of published advisories.
    #[arg(long)]
    advisories: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = TriageFormat::Human)]
    format: TriageFormat,
    /// Write the result to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// Files of a queue folder: non-hidden regular files, or symbolic links to them, sorted by name.
fn queue_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).with_context(|| format!("{}: cannot read the queue folder", dir.display()))? {
        let e = e.with_context(|| format!("{}: cannot read the queue folder", dir.display()))?;
        let name = e.file_name().to_string_lossy().to_string();
        // metadata() follows a symbolic link: a queue assembled from links to the reports is read
        // like one holding them.
        if name.starts_with('.') || !std::fs::metadata(e.path()).map(|m| m.is_file()).unwrap_or(false) {
            continue;
        }
        out.push(e.path());
    }
    if out.is_empty() {
        bail!("{}: the queue folder holds no report files", dir.display());
    }
    out.sort();
    Ok(out)
}

fn load_policy(arg: Option<&PathBuf>, repo: &Path) -> Result<Policy> {
    if let Some(p) = arg {
        return Ok(Policy::load(p)?);
    }
    let default = repo.join("vouch.toml");
    if default.is_file() {
        let text = std::fs::read_to_string(&default).with_context(|| format!("{}: cannot read", default.display()))?;
        if text.lines().any(|l| l.trim() == "[triage]") {
            return Policy::parse(&text).map_err(|e| anyhow::anyhow!("{}: invalid triage policy: {e}", default.display()));
        }
    }
    Ok(Policy::default())
}

fn load_advisories(dir: &Path) -> Result<Corpus> {
    let store = vouch_osv::Store::open(dir).with_context(|| format!("{}: cannot open the advisory store", dir.display()))?;
    let mut corpus = Corpus::new("advisory");
    store.for_each(|a| {
        if a.is_withdrawn() {
            return;
        }
        let title = a.summary.clone().unwrap_or_else(|| a.id.clone());
        corpus.push(Document::new(&a.id, &title, a.details.as_deref().unwrap_or(""), a.aliases.clone()).dated(a.published.as_deref()));
    })?;
    Ok(corpus)
}

fn read_report(path: &Path, project: Option<&str>) -> Result<Report> {
    let limits = vouch_claims::Limits::default();
    let meta = std::fs::metadata(path).with_context(|| format!("{}: cannot read the report", path.display()))?;
    if meta.len() > limits.max_bytes as u64 {
        bail!("{}: the report is {} bytes, more than the {} bytes a report may have", path.display(), meta.len(), limits.max_bytes);
    }
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read the report", path.display()))?;
    vouch_claims::parse_bytes_for(&bytes, &limits, project).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

pub fn triage(args: TriageArgs) -> Result<i32> {
    let mut files = args.reports.clone();
    if let Some(q) = &args.queue {
        files.extend(queue_files(q)?);
    }
    if files.is_empty() {
        bail!("no report given: name report files, or a folder with --queue");
    }
    let at = match (&args.git_ref, &args.date) {
        (Some(r), _) => At::Ref(r.clone()),
        (None, Some(d)) => match vouch_source::parse_date(d) {
            Some(t) => At::Date(t, d.clone()),
            None => bail!("--date {d}: not a date (use YYYY-MM-DD)"),
        },
        (None, None) => At::Auto,
    };
    let policy = load_policy(args.policy.as_ref(), &args.repo)?;
    let project =
        Project::open(&args.repo, Limits::default()).with_context(|| format!("{}: cannot open the project", args.repo.display()))?;
    let advisories = match &args.advisories {
        Some(dir) => Some(load_advisories(dir)?),
        None => None,
    };

    // Parse every report first; one unreadable report never stops the others.
    let mut errors: Vec<String> = Vec::new();
    let mut parsed: Vec<(String, Report)> = Vec::new();
    let name = project.name(&policy);
    for f in &files {
        match read_report(f, name.as_deref()) {
            Ok(r) => parsed.push((f.display().to_string(), r)),
            Err(e) => errors.push(format!("{e:#}")),
        }
    }
    // Earlier reports first (by date, then name), so each is compared with those before it.
    parsed.sort_by(|a, b| a.1.meta.date.cmp(&b.1.meta.date).then(a.0.cmp(&b.0)));

    let show_progress = !args.quiet && parsed.len() > 1 && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = if show_progress {
        let b = indicatif::ProgressBar::new(parsed.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} triage {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let mut earlier = Corpus::new("report");
    let mut results: Vec<Triage> = Vec::new();
    for (name, report) in &parsed {
        if let Some(b) = &bar {
            b.set_message(name.clone());
        }
        let cx = Context {
            project: &project,
            policy: &policy,
            advisories: advisories.as_ref(),
            earlier: if args.queue.is_some() || parsed.len() > 1 { Some(&earlier) } else { None },
            at: &at,
        };
        match vouch_triage::triage(name, report, &cx) {
            Ok(t) => results.push(t),
            Err(e) => errors.push(format!("{name}: {e}")),
        }
        earlier.push(Document::of_report(name, report));
        if let Some(b) = &bar {
            b.inc(1);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    results.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.report.cmp(&b.report)));

    let single = args.queue.is_none() && files.len() == 1;
    let to_stdout = args.output.is_none();
    let text = match args.format {
        TriageFormat::Json => {
            let v = if single && results.len() == 1 {
                serde_json::to_value(&results[0])?
            } else {
                serde_json::json!({"schema": "vouch.triage-queue/1", "reports": results, "errors": errors})
            };
            let mut s = serde_json::to_string_pretty(&v)?;
            s.push('\n');
            s
        }
        TriageFormat::Sarif => {
            let root = std::fs::canonicalize(&args.repo).ok().map(|p| p.to_string_lossy().into_owned());
            vouch_triage::render::sarif(&results, &errors, root.as_deref())
        }
        TriageFormat::Human => {
            let color = use_color(args.color, to_stdout);
            let mut s = String::new();
            if results.len() > 1 {
                s.push_str(&vouch_triage::render::queue(&results, color));
                s.push('\n');
            }
            for t in &results {
                s.push_str(&vouch_triage::render::human(t, color));
                s.push('\n');
            }
            s.push_str("vouch ranks reports; it never closes or answers one. Check the evidence shown before acting.\n");
            s
        }
    };
    match &args.output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("{}: cannot write the output", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    let incomplete = results.iter().any(|t| t.findings.iter().any(|f| f.rule == vouch_report::rules::TRI_INCOMPLETE.code));
    Ok(if !errors.is_empty() {
        2
    } else if results.iter().any(|t| t.flagged) {
        1
    } else if incomplete {
        3
    } else {
        0
    })
}
