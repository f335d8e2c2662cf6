//! `vouch bom` and `vouch license`: argument handling and output; the engines are vouch-model
//! (repository reader), vouch-bom (CycloneDX/SPDX writers) and vouch-license.

use anyhow::{bail, Context, Result};
use clap::ValueEnum;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BomFormat {
    Cyclonedx,
    Spdx,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CdxVersion {
    #[value(name = "1.6")]
    V16,
    #[value(name = "1.7")]
    V17,
}

#[derive(clap::Args)]
pub struct BomArgs {
    /// A model folder, a Hugging Face cache snapshot, or one GGUF/safetensors/ONNX file.
    path: PathBuf,
    /// BOM format.
    #[arg(long, short, value_enum, default_value_t = BomFormat::Cyclonedx)]
    format: BomFormat,
    /// CycloneDX specification version.
    #[arg(long, value_enum, default_value_t = CdxVersion::V16)]
    spec: CdxVersion,
    /// Write the BOM to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Do not hash the files (faster; the BOM then has no hashes).
    #[arg(long)]
    no_hash: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LicenseFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
pub struct LicenseArgs {
    /// A model folder, a Hugging Face cache snapshot, or one GGUF/safetensors/ONNX file.
    path: PathBuf,
    #[arg(long, short, value_enum, default_value_t = LicenseFormat::Human)]
    format: LicenseFormat,
    /// Restriction kinds that fail the run (exit 1), comma-separated: non-commercial, mau-cap,
    /// revenue-cap, acceptable-use-policy, naming-duty, output-use-ban, geographic-exclusion,
    /// remote-restriction, field-of-use, attribution [default: license.deny in vouch.toml].
    #[arg(long, value_delimiter = ',')]
    deny: Vec<String>,
    /// Folders with local model folders or a Hugging Face cache, searched for base models
    /// [default: $HF_HOME/hub or ~/.cache/huggingface/hub].
    #[arg(long = "search")]
    search: Vec<PathBuf>,
    /// Configuration file [default: ./vouch.toml when present].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn write_out(output: Option<&PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}

fn read(path: &Path, hash: bool) -> Result<vouch_model::ModelRecord> {
    let opts = vouch_model::ReadOptions { hash, ..vouch_model::ReadOptions::default() };
    vouch_model::read_model(path, &opts).map_err(|e| anyhow::anyhow!("{e}"))
}

pub fn bom(args: BomArgs) -> Result<i32> {
    let record = read(&args.path, !args.no_hash)?;
    let opts = vouch_bom::BomOptions {
        serial: vouch_audit::render::serial_number(),
        timestamp: vouch_audit::render::timestamp_now(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let doc = match args.format {
        BomFormat::Cyclonedx => {
            let spec = match args.spec {
                CdxVersion::V16 => vouch_bom::CdxSpec::V1_6,
                CdxVersion::V17 => vouch_bom::CdxSpec::V1_7,
            };
            vouch_bom::cyclonedx(&record, spec, &opts)
        }
        BomFormat::Spdx => {
            let doc = vouch_bom::spdx3(&record, &opts);
            for w in vouch_bom::check_spdx_ai_profile(&doc) {
                eprintln!("warning: SPDX AI profile: {w}");
            }
            doc
        }
    };
    let mut text = serde_json::to_string_pretty(&doc)?;
    text.push('\n');
    write_out(args.output.as_ref(), &text)?;
    for p in &record.problems {
        eprintln!("warning: {p}");
    }
    // Something could not be read: the BOM is incomplete (exit 3, as for scans).
    Ok(if record.problems.is_empty() { 0 } else { 3 })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LicenseConfigFile {
    license: LicenseSection,
}

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct LicenseSection {
    deny: Vec<String>,
    search: Vec<PathBuf>,
}

fn load_license_config(path: Option<&PathBuf>) -> Result<LicenseSection> {
    let p = match path {
        Some(p) => p.clone(),
        None => {
            let d = PathBuf::from("vouch.toml");
            if !d.is_file() {
                return Ok(LicenseSection::default());
            }
            d
        }
    };
    let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
    let f: LicenseConfigFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{} is not valid vouch configuration: {e}", p.display()))?;
    Ok(f.license)
}

fn default_search_roots() -> Vec<PathBuf> {
    let hub = std::env::var_os("HF_HUB_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HF_HOME").map(|h| PathBuf::from(h).join("hub")))
        .or_else(|| {
            let home = std::env::var_os("HOME")?;
            Some(PathBuf::from(home).join(".cache/huggingface/hub"))
        });
    hub.into_iter().filter(|p| p.is_dir()).collect()
}

pub fn license(args: LicenseArgs) -> Result<i32> {
    let cfg = load_license_config(args.config.as_ref())?;
    let record = read(&args.path, false)?;
    let deny: Vec<String> = if args.deny.is_empty() { cfg.deny } else { args.deny };
    let unknown = vouch_license::unknown_kinds(&deny);
    if !unknown.is_empty() {
        bail!(
            "not a restriction kind: {} (kinds: non-commercial, mau-cap, revenue-cap, acceptable-use-policy, naming-duty, output-use-ban, geographic-exclusion, remote-restriction, field-of-use, attribution, or all)",
            unknown.join(", ")
        );
    }
    let mut roots = if args.search.is_empty() { cfg.search } else { args.search };
    if roots.is_empty() {
        roots = default_search_roots();
    }
    let opts = vouch_license::Options { search_roots: roots.clone(), deny: deny.clone() };
    let lookup = |id: &str| -> Option<vouch_model::ModelRecord> {
        let dir = vouch_license::find_local_model(&roots, id)?;
        read(&dir, false).ok()
    };
    let report = vouch_license::evaluate(&record, &opts, &lookup);
    let text = match args.format {
        LicenseFormat::Json => serde_json::to_string_pretty(&vouch_license::to_json(&report))? + "\n",
        LicenseFormat::Human => vouch_license::human(&report),
    };
    write_out(args.output.as_ref(), &text)?;
    for p in &record.problems {
        eprintln!("warning: {p}");
    }
    let hits = vouch_license::denied(&report, &deny);
    if !hits.is_empty() {
        return Ok(1);
    }
    Ok(if record.problems.is_empty() { 0 } else { 3 })
}
