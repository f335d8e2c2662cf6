//! The `vouch` binary: argument parsing and output only; the engines live in library crates.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use vouch_report::{render, ScanReport, Severity};
use vouch_scan::{Config, HashMode};

mod audit_cmd;
mod model_cmd;
mod triage_cmd;

#[derive(Parser)]
#[command(
    name = "vouch",
    version,
    about = "Trust but verify open-source AI: scan model files without loading them, and audit dependencies against OSV advisories offline."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The exit codes of the commands that compare findings with a severity threshold.
const THRESHOLD_EXIT_CODES: &str = "Exit codes: 0 nothing at or above the threshold; 1 findings at or above it; 2 a usage, I/O \
                                    or internal error; 3 incomplete analysis and nothing at or above the threshold.";

#[derive(Subcommand)]
enum Command {
    /// Scan model files, archives and folders for code execution and hidden payloads.
    #[command(after_help = THRESHOLD_EXIT_CODES)]
    Scan(ScanArgs),
    /// Check dependencies (lockfiles, manifests, SBOMs) against OSV advisories, offline.
    #[command(after_help = THRESHOLD_EXIT_CODES)]
    Audit(audit_cmd::AuditArgs),
    /// Manage the offline advisory store used by `vouch audit`.
    #[command(subcommand)]
    Db(audit_cmd::DbCommand),
    /// An AI bill of materials for a model repository (CycloneDX 1.6/1.7 ML-BOM or SPDX 3.0.1).
    #[command(after_help = "Exit codes: 0 the BOM is complete; 2 a usage or I/O error; 3 something could not be read, so the BOM \
                             is incomplete (the warnings say what).")]
    Bom(model_cmd::BomArgs),
    /// A model's license: restrictions (with their clauses), inheritance from base models, openness.
    #[command(after_help = "Exit codes: 0 no denied restriction; 1 a restriction kind given to --deny applies; 2 a usage or I/O \
                             error; 3 something could not be read and nothing denied applies.")]
    License(model_cmd::LicenseArgs),
    /// Verify vulnerability reports against the project's code at the right version, and rank them.
    #[command(after_help = "Exit codes: 0 nothing flagged; 1 some report flagged; 2 an error (the other reports are still \
                             triaged); 3 nothing flagged, but some report could not be fully checked (VCH-TRI-015).")]
    Triage(triage_cmd::TriageArgs),
    /// List every rule vouch can report, with its code, severity and remediation.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum RulesFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Level {
    Critical,
    High,
    Medium,
    Low,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum HashChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or folders to scan (folders are walked, hidden files included).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1 [default: high, or scan.fail_on in vouch.toml].
    #[arg(long, value_enum)]
    fail_on: Option<Level>,
    /// Files scanned in parallel [default: number of CPUs].
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Configuration file [default: ./vouch.toml when present].
    #[arg(long)]
    config: Option<PathBuf>,
    /// When to compute SHA-256 of each file (auto: files whose bytes are read anyway: up to 256 KiB, or mostly read by the analysis).
    #[arg(long, value_enum)]
    hash: Option<HashChoice>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Audit(args) => audit_cmd::audit(args),
        Command::Db(cmd) => audit_cmd::db(cmd),
        Command::Bom(args) => model_cmd::bom(args),
        Command::License(args) => model_cmd::license(args),
        Command::Triage(args) => triage_cmd::triage(args),
        Command::Rules { format } => rules(format).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether human output gets colour: asked for, or writing to a terminal without `NO_COLOR`.
fn use_color(choice: ColorChoice, to_stdout: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_stdout && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    }
}

fn level_severity(l: Level) -> Severity {
    match l {
        Level::Critical => Severity::Critical,
        Level::High => Severity::High,
        Level::Medium => Severity::Medium,
        Level::Low => Severity::Low,
    }
}

fn load_config(path: Option<&PathBuf>) -> Result<Config> {
    match path {
        Some(p) => Ok(Config::load(p)?),
        None => {
            let default = PathBuf::from("vouch.toml");
            if default.is_file() {
                Ok(Config::load(&default)?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

fn scan(args: ScanArgs) -> Result<i32> {
    let mut cfg = load_config(args.config.as_ref())?;
    if let Some(h) = args.hash {
        cfg.hash = match h {
            HashChoice::Auto => HashMode::Auto,
            HashChoice::Always => HashMode::Always,
            HashChoice::Never => HashMode::Never,
        };
    }
    let threshold = match (args.fail_on, cfg.fail_on.as_deref()) {
        (Some(l), _) => level_severity(l),
        (None, Some(s)) => match Severity::parse(s) {
            Some(sev) if sev > Severity::Info => sev,
            _ => bail!("scan.fail_on = {s:?} in the configuration is not one of critical, high, medium, low"),
        },
        (None, None) => Severity::High,
    };
    if args.jobs == Some(0) {
        bail!("--jobs must be at least 1");
    }
    vouch_scan::walk::start_workers(args.jobs).context("cannot start worker threads")?;
    let start = Instant::now();
    let show_progress = !args.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let bar = if show_progress {
        // Files are scanned while the walk finds them: the length comes when the walk ends.
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} scanning [{bar:30}] {pos}/{len} files {elapsed}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        Some(b)
    } else {
        None
    };
    let tick = |_: &vouch_report::FileReport| {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let walked = |n: usize| {
        if let Some(b) = &bar {
            b.set_length(n as u64);
            if n <= 1 {
                b.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
        }
    };
    let files = vouch_scan::walk::scan_paths_with(&args.paths, &cfg, &walked, &tick);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let report = ScanReport::new(env!("CARGO_PKG_VERSION"), files, start.elapsed().as_secs_f64());
    let color = use_color(args.color, args.output.is_none());
    let text = match args.format {
        Format::Human => render::human(&report, color),
        Format::Json => render::json(&report),
        Format::Sarif => render::sarif(&report),
    };
    match &args.output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write the report to {}", p.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (| head) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
        }
    }
    let code = report.exit_code(threshold);
    // The process ends with this scan: the operating system takes the memory back at once,
    // where dropping every report, finding and string one by one is a serial tail of the run.
    std::mem::forget((report, cfg));
    Ok(code)
}

fn rules(format: RulesFormat) -> Result<()> {
    let rules = vouch_report::RULES;
    let text = match format {
        RulesFormat::Json => {
            let v: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "severity": r.severity.as_str(),
                        "incomplete": r.incomplete, "summary": r.summary, "remediation": r.remediation,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        RulesFormat::Markdown => {
            let mut s = String::from("# vouch rules\n\n| code | name | severity | description | remediation |\n|---|---|---|---|---|\n");
            for r in rules {
                let sev = if r.incomplete { format!("{} (incomplete)", r.severity.as_str()) } else { r.severity.as_str().to_string() };
                let cell = |t: &str| t.replace('|', "\\|");
                s.push_str(&format!("| {} | {} | {} | {} | {} |\n", r.code, r.name, sev, cell(r.summary), cell(r.remediation)));
            }
            s
        }
        RulesFormat::Human => {
            let mut s = String::new();
            for r in rules {
                let inc = if r.incomplete { ", marks the file incomplete" } else { "" };
                s.push_str(&format!(
                    "{} {} ({}{inc})\n    {}\n    fix: {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary,
                    r.remediation
                ));
            }
            s
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}
