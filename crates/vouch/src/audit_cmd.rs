//! `vouch audit` and `vouch db`: argument handling and output; the engines are vouch-audit,
//! vouch-osv (advisory store) and vouch-lockfile (inputs).

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use vouch_audit::config::{AuditConfig, StalePolicy};
use vouch_audit::render::{self, DbInfo};
use vouch_report::Severity;

use crate::{ColorChoice, Level};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AuditFormat {
    Human,
    Json,
    Sarif,
    Cyclonedx,
}

#[derive(clap::Args)]
pub struct AuditArgs {
    /// Lockfiles, manifests, SBOMs, or folders to search for them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Advisory store [default: audit.db in vouch.toml, else $VOUCH_DB, else the user cache folder].
    #[arg(long)]
    db: Option<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1 [default: high, or audit.fail_on in vouch.toml].
    #[arg(long, value_enum)]
    fail_on: Option<Level>,
    /// Configuration file [default: ./vouch.toml when present].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Subcommand)]
pub enum DbCommand {
    /// Import OSV advisories from folders or zip archives (osv.dev all.zip, GitHub, PyPA, RustSec, Go layouts).
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Download osv.dev's per-ecosystem archives and import them.
    Update {
        #[arg(long)]
        db: Option<PathBuf>,
        /// Ecosystems to download (OSV names: PyPI, npm, crates.io, Go, ...) [default: the ones vouch reads lockfiles for].
        #[arg(long = "ecosystem")]
        ecosystems: Vec<String>,
        /// Base URL of the archives.
        #[arg(long, default_value = "https://osv-vulnerabilities.storage.googleapis.com")]
        url: String,
    },
    /// Advisory counts per ecosystem and the age of the store.
    Status {
        #[arg(long)]
        db: Option<PathBuf>,
        /// Warn (or fail, with audit.stale_db = "fail") when the store is older than this.
        #[arg(long)]
        max_age_days: Option<u64>,
        #[arg(long, value_enum, default_value_t = StatusFormat::Human)]
        format: StatusFormat,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum StatusFormat {
    Human,
    Json,
}

/// The ecosystems `vouch db update` downloads by default.
const DEFAULT_ECOSYSTEMS: &[&str] = &["PyPI", "npm", "crates.io", "Go", "Maven", "RubyGems", "Packagist", "NuGet", "Hex", "Pub"];

fn load_config(path: Option<&PathBuf>) -> Result<AuditConfig> {
    let p = match path {
        Some(p) => p.clone(),
        None => {
            let d = PathBuf::from("vouch.toml");
            if !d.is_file() {
                return Ok(AuditConfig::default());
            }
            d
        }
    };
    AuditConfig::load(&p).map_err(anyhow::Error::msg)
}

fn store_dir(arg: Option<&PathBuf>, cfg: &AuditConfig) -> PathBuf {
    arg.cloned().or_else(|| cfg.db.clone()).unwrap_or_else(vouch_osv::default_dir)
}

fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn open_store(dir: &Path) -> Result<vouch_osv::Store> {
    if !dir.exists() {
        bail!(
            "no advisory store at {}: create one with `vouch db import PATH...` (OSV folders or zips) or `vouch db update`",
            dir.display()
        );
    }
    vouch_osv::Store::open(dir).with_context(|| format!("cannot open the advisory store at {}", dir.display()))
}

/// Checks the store's age; `Err` when it is stale and the policy is to fail.
fn check_age(status: &vouch_osv::Status, max_days: Option<u64>, policy: StalePolicy, dir: &Path) -> Result<u64> {
    let age = now_secs().saturating_sub(status.built_at) / 86_400;
    if let Some(max) = max_days {
        if age > max {
            let msg =
                format!("the advisory store at {} is {age} days old (maximum {max}): run `vouch db update` or re-import", dir.display());
            match policy {
                StalePolicy::Fail => bail!(msg),
                StalePolicy::Warn => eprintln!("warning: {msg}"),
            }
        }
    }
    Ok(age)
}

fn threshold(arg: Option<Level>, cfg: Option<&str>) -> Result<Severity> {
    Ok(match (arg, cfg) {
        (Some(l), _) => crate::level_severity(l),
        (None, Some(s)) => match Severity::parse(s) {
            Some(sev) if sev > Severity::Info => sev,
            _ => bail!("audit.fail_on = {s:?} in the configuration is not one of critical, high, medium, low"),
        },
        (None, None) => Severity::High,
    })
}

/// Finds the input files: files as given, folders searched.
fn inputs(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = vec![];
    for p in paths {
        if p.is_dir() {
            let found = vouch_lockfile::find(p);
            if found.is_empty() {
                errors.push(format!("{}: no lockfile, manifest or SBOM that vouch reads was found in this folder", p.display()));
            }
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            errors.push(format!("{}: no such file or folder", p.display()));
        }
    }
    files
}

pub fn audit(args: AuditArgs) -> Result<i32> {
    let start = Instant::now();
    let cfg = load_config(args.config.as_ref())?;
    let threshold = threshold(args.fail_on, cfg.fail_on.as_deref())?;
    let dir = store_dir(args.db.as_ref(), &cfg);
    let store = open_store(&dir)?;
    let status = store.status();
    let age = check_age(&status, cfg.max_db_age_days, cfg.stale_db, &dir)?;
    let mut errors = vec![];
    let mut lockfiles = vec![];
    for f in inputs(&args.paths, &mut errors) {
        match vouch_lockfile::read(&f) {
            Ok(l) => lockfiles.push(l),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let opts = vouch_audit::Options { ignores: cfg.ignore.clone(), today: vouch_audit::config::today() };
    let report = vouch_audit::audit(&lockfiles, &store, &opts).map_err(anyhow::Error::msg)?;
    let db = DbInfo { path: dir.display().to_string(), advisories: status.total, built_at: status.built_at, age_days: age };
    let seconds = start.elapsed().as_secs_f64();
    let color = crate::use_color(args.color, args.output.is_none());
    let text = match args.format {
        AuditFormat::Human => render::human(&report, &db, color, seconds),
        AuditFormat::Json => render::json(&report, &db, seconds),
        AuditFormat::Sarif => render::sarif(&report),
        AuditFormat::Cyclonedx => render::cyclonedx(&report, &render::serial_number(), &render::timestamp_now()),
    };
    match &args.output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write the report to {}", p.display()))?,
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    Ok(render::exit_code(&report, threshold))
}

pub fn db(cmd: DbCommand) -> Result<i32> {
    let cfg = load_config(None)?;
    match cmd {
        DbCommand::Import { paths, db } => {
            let dir = store_dir(db.as_ref(), &cfg);
            for p in &paths {
                if !p.exists() {
                    bail!("{}: no such file or folder", p.display());
                }
            }
            let report = vouch_osv::import(&dir, &paths).with_context(|| format!("import into {} failed", dir.display()))?;
            print_import(&dir, &report);
            Ok(if report.advisories == 0 { 2 } else { 0 })
        }
        DbCommand::Update { db, ecosystems, url } => {
            let dir = store_dir(db.as_ref(), &cfg);
            let ecos: Vec<String> =
                if ecosystems.is_empty() { DEFAULT_ECOSYSTEMS.iter().map(|s| s.to_string()).collect() } else { ecosystems };
            let report = vouch_osv::update(&dir, &ecos, &url).with_context(|| format!("update of {} from {url} failed", dir.display()))?;
            print_import(&dir, &report);
            Ok(0)
        }
        DbCommand::Status { db, max_age_days, format } => {
            let dir = store_dir(db.as_ref(), &cfg);
            let store = open_store(&dir)?;
            let st = store.status();
            let age = check_age(&st, max_age_days.or(cfg.max_db_age_days), cfg.stale_db, &dir)?;
            match format {
                StatusFormat::Json => {
                    let v = serde_json::json!({"schema": "vouch.db-status/1", "path": dir.display().to_string(), "age_days": age, "status": st});
                    println!("{}", serde_json::to_string_pretty(&v)?);
                }
                StatusFormat::Human => {
                    println!("advisory store {}", dir.display());
                    println!("  built {} ({age} days ago)", render::format_unix(st.built_at));
                    println!("  {} advisories ({} withdrawn)", st.total, st.withdrawn);
                    for (eco, n) in &st.by_ecosystem {
                        println!("  {eco:<20} {n}");
                    }
                }
            }
            Ok(0)
        }
    }
}

fn print_import(dir: &Path, r: &vouch_osv::ImportReport) {
    println!("imported {} advisories into {}", r.advisories, dir.display());
    for (eco, n) in &r.by_ecosystem {
        println!("  {eco:<20} {n}");
    }
    if r.withdrawn > 0 {
        println!("  ({} withdrawn advisories are kept for reference and never match)", r.withdrawn);
    }
    if !r.skipped_files.is_empty() {
        eprintln!("warning: {} files were not imported:", r.skipped_files.len());
        for (p, why) in r.skipped_files.iter().take(20) {
            eprintln!("  {}: {why}", p.display());
        }
        if r.skipped_files.len() > 20 {
            eprintln!("  ... and {} more", r.skipped_files.len() - 20);
        }
    }
}
