//! Lockfile, manifest and SBOM readers: every package a project pins, with its ecosystem, its exact
//! version (or the requirement when nothing pins one version), its source and the line it starts on.
//!
//! Formats ([`FORMATS`]): Cargo.lock (v1-v4); requirements files (`-r`/`-c` includes, hashes,
//! markers, extras, continuations, URLs, VCS and paths); uv.lock, poetry.lock, Pipfile.lock,
//! pdm.lock, pylock.toml (PEP 751); package-lock.json / npm-shrinkwrap.json (v1-v3), yarn.lock (v1
//! and berry), pnpm-lock.yaml (v5-v9), bun.lock; go.mod (with `stdlib` for the Go version) and
//! go.sum; composer.lock, Gemfile.lock / gems.locked, mix.lock, pubspec.lock, renv.lock, NuGet
//! packages.lock.json, gradle lockfiles, conan.lock, Maven pom.xml (explicit versions, properties
//! substituted, no parent resolution); CycloneDX JSON and SPDX 2.x / 3.0 JSON SBOMs (from purls).
//!
//! Local packages (workspace members, path dependencies) are reported as [`Spec::Path`], git
//! dependencies as [`Spec::Git`], requirements that pin nothing as [`Spec::Unpinned`]: only
//! [`Spec::Exact`] versions are matched against advisories at one version.
//!
//! The readers never execute or resolve anything: they read the bytes of one file (and, for
//! `requirements.txt`, the files it includes with `-r`/`-c`). Whatever cannot be read is reported as a
//! [`Problem`]; a file that yields no package and does not say explicitly that it has none is an
//! error ([`LockError::Empty`]), never a silent pass.

mod cargo;
mod golang;
mod js;
mod misc;
mod python;
mod requirements;
mod sbom;
mod text;

use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use vouch_pkg::Ecosystem;

/// Files larger than this are refused (a lockfile of this size is not a lockfile).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One package as a lockfile, manifest or SBOM records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    /// The name as written (for aliases, the real package name behind the alias).
    pub name: String,
    /// The ecosystem whose advisories apply.
    pub ecosystem: Ecosystem,
    /// The exact version, or what stands in for it.
    pub version: Spec,
    /// Registry URL, git URL or path, when the file records one.
    pub source: Option<String>,
    /// 1-based line where the entry starts, when known. For packages that a `requirements.txt`
    /// brings in through `-r`/`-c`, the line of that include directive.
    pub line: Option<usize>,
    /// Whether the package is a development-only dependency, when the file says so.
    pub dev: Option<bool>,
}

/// What a package entry pins.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Spec {
    /// One exact version.
    Exact(String),
    /// A requirement such as `>=2,<3` that does not pin one version (empty when there is no
    /// requirement at all).
    Unpinned(String),
    /// A git (or other VCS) dependency: repository URL and the revision, when recorded.
    Git {
        /// Repository URL.
        url: String,
        /// Commit, tag or branch, when recorded.
        rev: Option<String>,
    },
    /// A local directory or file (a workspace member, a path dependency): not a registry package.
    /// Empty when the file does not record the path (Cargo.lock path dependencies).
    Path(String),
}

impl Spec {
    /// The exact version, if this spec pins one.
    pub fn exact(&self) -> Option<&str> {
        match self {
            Spec::Exact(v) => Some(v),
            _ => None,
        }
    }
}

/// Something in a file that could not be read (the rest of the file still was).
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The packages read from one file.
#[derive(Debug, Clone, Serialize)]
pub struct Lockfile {
    /// The file read.
    pub path: PathBuf,
    /// Its format: `"Cargo.lock"`, `"package-lock.json"`, ... (see [`FORMATS`]).
    pub format: &'static str,
    /// Every distinct (name, version, source), in file order.
    pub packages: Vec<Package>,
    /// Every line or entry that could not be read.
    pub problems: Vec<Problem>,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// The file could not be read from disk.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid for its format.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The file yields no package and does not say explicitly that it has none.
    #[error("{}: no packages found (and the file does not say it has none)", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file (or the format asked for) is not one this crate reads.
    #[error("{}: not a supported lockfile, manifest or SBOM format", path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
    },
}

/// Every format this crate reads, by the name used in [`Lockfile::format`] and [`read_as`].
pub const FORMATS: &[&str] = &[
    "Cargo.lock",
    "requirements.txt",
    "uv.lock",
    "poetry.lock",
    "Pipfile.lock",
    "pdm.lock",
    "pylock.toml",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
    "go.mod",
    "go.sum",
    "composer.lock",
    "Gemfile.lock",
    "mix.lock",
    "pubspec.lock",
    "renv.lock",
    "packages.lock.json",
    "gradle.lockfile",
    "conan.lock",
    "pom.xml",
    "CycloneDX",
    "SPDX",
];

/// What a reader gets: the file's path (for messages and includes), its text, and whether it may
/// read other files (includes).
pub(crate) struct Input<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub fs: bool,
}

/// What a reader returns.
#[derive(Default)]
pub(crate) struct Output {
    pub packages: Vec<Package>,
    pub problems: Vec<Problem>,
    /// The file says explicitly that there is nothing (an empty package table, `%{}`, ...).
    pub explicit_empty: bool,
}

impl Output {
    pub fn problem(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.problems.push(Problem { line, message: message.into() });
    }
}

impl Input<'_> {
    pub fn syntax(&self, line: Option<usize>, message: impl Into<String>) -> LockError {
        LockError::Syntax { path: self.path.to_path_buf(), line, message: message.into() }
    }
}

/// Builds a package (the common shape).
pub(crate) fn pkg(
    name: &str,
    ecosystem: Ecosystem,
    version: Spec,
    source: Option<String>,
    line: Option<usize>,
    dev: Option<bool>,
) -> Package {
    Package { name: name.to_string(), ecosystem, version, source, line, dev }
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// `name` is exactly `want`, or ends with `.want` (`ripgrep.Cargo.lock`).
fn named(name: &str, want: &str) -> bool {
    name == want || (name.len() > want.len() && name.ends_with(want) && name.as_bytes()[name.len() - want.len() - 1] == b'.')
}

/// The format of a file by its name alone (`None` when the name says nothing or is ambiguous).
fn detect_by_name(path: &Path) -> Option<&'static str> {
    let name = file_name(path);
    const EXACT: &[(&str, &str)] = &[
        ("Cargo.lock", "Cargo.lock"),
        ("uv.lock", "uv.lock"),
        ("poetry.lock", "poetry.lock"),
        ("Pipfile.lock", "Pipfile.lock"),
        ("pdm.lock", "pdm.lock"),
        ("pylock.toml", "pylock.toml"),
        ("package-lock.json", "package-lock.json"),
        ("npm-shrinkwrap.json", "npm-shrinkwrap.json"),
        ("yarn.lock", "yarn.lock"),
        ("pnpm-lock.yaml", "pnpm-lock.yaml"),
        ("bun.lock", "bun.lock"),
        ("go.mod", "go.mod"),
        ("go.sum", "go.sum"),
        ("composer.lock", "composer.lock"),
        ("Gemfile.lock", "Gemfile.lock"),
        ("gems.locked", "Gemfile.lock"),
        ("mix.lock", "mix.lock"),
        ("pubspec.lock", "pubspec.lock"),
        ("renv.lock", "renv.lock"),
        ("packages.lock.json", "packages.lock.json"),
        ("gradle.lockfile", "gradle.lockfile"),
        ("buildscript-gradle.lockfile", "gradle.lockfile"),
        ("conan.lock", "conan.lock"),
        ("pom.xml", "pom.xml"),
    ];
    for (n, f) in EXACT {
        if named(name, n) {
            return Some(f);
        }
    }
    // PEP 751 allows `pylock.NAME.toml`.
    if name.starts_with("pylock.") && name.ends_with(".toml") {
        return Some("pylock.toml");
    }
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".txt") {
        let in_req_dir =
            path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).is_some_and(|d| d.eq_ignore_ascii_case("requirements"));
        if lower.contains("requirements") || lower.contains("constraints") || in_req_dir {
            return Some("requirements.txt");
        }
    }
    None
}

/// Whether a JSON file's name makes it a possible SBOM (decided by its content).
fn sbom_candidate(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".cdx.json")
        || lower.ends_with(".spdx.json")
        || lower == "bom.json"
        || lower.ends_with(".bom.json")
        || lower == "sbom.json"
        || lower.ends_with(".sbom.json")
        || lower.ends_with(".cyclonedx.json")
}

/// The format of a file: by its name, or for SBOM-looking names (`*.cdx.json`, `*.spdx.json`,
/// `bom.json`, ...) by a sniff of its first bytes. `None` when the file is not one this crate reads.
pub fn detect(path: &Path) -> Option<&'static str> {
    if let Some(f) = detect_by_name(path) {
        return Some(f);
    }
    if sbom_candidate(file_name(path)) {
        use std::io::Read;
        let mut head = Vec::new();
        let file = std::fs::File::open(path).ok()?;
        file.take(256 * 1024).read_to_end(&mut head).ok()?;
        return sbom::sniff(&String::from_utf8_lossy(&head));
    }
    None
}

/// Reads one file, its format detected by [`detect`].
pub fn read(path: &Path) -> Result<Lockfile, LockError> {
    match detect(path) {
        Some(f) => read_as(path, f),
        None => Err(LockError::Unsupported { path: path.to_path_buf() }),
    }
}

/// The format name for `format` as given by a caller (exact names of [`FORMATS`], case-insensitive,
/// and a few aliases).
fn canonical_format(format: &str) -> Option<&'static str> {
    if let Some(f) = FORMATS.iter().find(|f| f.eq_ignore_ascii_case(format)) {
        return Some(f);
    }
    Some(match format.to_ascii_lowercase().as_str() {
        "requirements" | "pip" => "requirements.txt",
        "gems.locked" | "bundler" => "Gemfile.lock",
        "cyclonedx-json" | "cdx" | "cdx.json" => "CycloneDX",
        "spdx-json" | "spdx.json" => "SPDX",
        "buildscript-gradle.lockfile" | "gradle" => "gradle.lockfile",
        "pipenv" => "Pipfile.lock",
        "pnpm" => "pnpm-lock.yaml",
        "yarn" => "yarn.lock",
        "npm" => "package-lock.json",
        "poetry" => "poetry.lock",
        "pdm" => "pdm.lock",
        "uv" => "uv.lock",
        "cargo" => "Cargo.lock",
        _ => return None,
    })
}

/// Reads one file as the given format (a name from [`FORMATS`]).
pub fn read_as(path: &Path, format: &str) -> Result<Lockfile, LockError> {
    let Some(format) = canonical_format(format) else {
        return Err(LockError::Unsupported { path: path.to_path_buf() });
    };
    let data = read_file(path)?;
    parse(path, format, &data, true)
}

/// Reads bytes already in memory. `name_hint` is a format name from [`FORMATS`] or a file name
/// (detected as [`detect`] does, SBOMs by content). Includes (`-r` in requirements files) are not
/// followed: each one is reported as a [`Problem`].
pub fn read_bytes(name_hint: &str, data: &[u8]) -> Result<Lockfile, LockError> {
    let path = Path::new(name_hint);
    let format = canonical_format(name_hint).or_else(|| detect_by_name(path)).or_else(|| {
        if sbom_candidate(name_hint) {
            sbom::sniff(&String::from_utf8_lossy(&data[..data.len().min(256 * 1024)]))
        } else {
            None
        }
    });
    let Some(format) = format else {
        return Err(LockError::Unsupported { path: path.to_path_buf() });
    };
    parse(path, format, data, false)
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, LockError> {
    let io = |source| LockError::Io { path: path.to_path_buf(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LockError::Syntax {
            path: path.to_path_buf(),
            line: None,
            message: format!("file is {} bytes, more than the {} bytes a lockfile may have", meta.len(), MAX_FILE_BYTES),
        });
    }
    std::fs::read(path).map_err(io)
}

/// Decodes a file's bytes as UTF-8 text (a byte-order mark is dropped).
pub(crate) fn decode<'a>(path: &Path, data: &'a [u8]) -> Result<&'a str, LockError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    std::str::from_utf8(data).map_err(|e| {
        let line = data[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
        LockError::Syntax { path: path.to_path_buf(), line: Some(line), message: "not UTF-8 text".into() }
    })
}

fn parse(path: &Path, format: &'static str, data: &[u8], fs: bool) -> Result<Lockfile, LockError> {
    if data.len() as u64 > MAX_FILE_BYTES {
        return Err(LockError::Syntax { path: path.to_path_buf(), line: None, message: "file too large".into() });
    }
    let text = decode(path, data)?;
    let input = Input { path, text, fs };
    let out = match format {
        "Cargo.lock" => cargo::read(&input)?,
        "requirements.txt" => requirements::read(&input)?,
        "uv.lock" => python::uv(&input)?,
        "poetry.lock" => python::poetry(&input)?,
        "Pipfile.lock" => python::pipenv(&input)?,
        "pdm.lock" => python::pdm(&input)?,
        "pylock.toml" => python::pylock(&input)?,
        "package-lock.json" | "npm-shrinkwrap.json" => js::npm(&input)?,
        "yarn.lock" => js::yarn(&input)?,
        "pnpm-lock.yaml" => js::pnpm(&input)?,
        "bun.lock" => js::bun(&input)?,
        "go.mod" => golang::gomod(&input)?,
        "go.sum" => golang::gosum(&input)?,
        "composer.lock" => misc::composer(&input)?,
        "Gemfile.lock" => misc::gemfile(&input)?,
        "mix.lock" => misc::mix(&input)?,
        "pubspec.lock" => misc::pubspec(&input)?,
        "renv.lock" => misc::renv(&input)?,
        "packages.lock.json" => misc::nuget(&input)?,
        "gradle.lockfile" => misc::gradle(&input)?,
        "conan.lock" => misc::conan(&input)?,
        "pom.xml" => misc::pom(&input)?,
        "CycloneDX" => sbom::cyclonedx(&input)?,
        "SPDX" => sbom::spdx(&input)?,
        _ => return Err(LockError::Unsupported { path: path.to_path_buf() }),
    };
    finish(path, format, out)
}

fn finish(path: &Path, format: &'static str, out: Output) -> Result<Lockfile, LockError> {
    let Output { mut packages, problems, explicit_empty } = out;
    if packages.is_empty() && (!explicit_empty || !problems.is_empty()) {
        if let Some(p) = problems.first() {
            return Err(LockError::Syntax {
                path: path.to_path_buf(),
                line: p.line,
                message: format!("no package could be read: {}", p.message),
            });
        }
        return Err(LockError::Empty { path: path.to_path_buf() });
    }
    // JSON maps are read in key order: when every entry's line is known, file order is restored.
    if packages.iter().all(|p| p.line.is_some()) {
        packages.sort_by_key(|p| p.line);
    }
    Ok(Lockfile { path: path.to_path_buf(), format, packages: dedupe(packages), problems })
}

/// Keeps each distinct (name, ecosystem, version, source) once, at its first place; a package that is
/// both a development and a normal dependency is a normal one.
fn dedupe(packages: Vec<Package>) -> Vec<Package> {
    let mut seen: HashMap<(String, Ecosystem, Spec, Option<String>), usize> = HashMap::new();
    let mut out: Vec<Package> = Vec::with_capacity(packages.len());
    for p in packages {
        let key = (p.name.clone(), p.ecosystem.clone(), p.version.clone(), p.source.clone());
        match seen.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                kept.dev = match (kept.dev, p.dev) {
                    (Some(false), _) | (_, Some(false)) => Some(false),
                    (Some(true), _) | (_, Some(true)) => Some(true),
                    _ => None,
                };
            }
            None => {
                seen.insert(key, out.len());
                out.push(p);
            }
        }
    }
    out
}

/// Directories [`find`] never enters.
const SKIP_DIRS: &[&str] = &["node_modules", ".git", "target", ".venv", "venv", "__pycache__"];

/// Every supported file under `dir` (recursively, symbolic links not followed, `node_modules`,
/// `.git`, `target`, `.venv`, `venv` and `__pycache__` skipped), sorted by path.
pub fn find(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, 0, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 64 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(ty) = e.file_type() else { continue };
        let path = e.path();
        if ty.is_dir() {
            let name = e.file_name();
            if SKIP_DIRS.iter().any(|s| name == *s) {
                continue;
            }
            walk(&path, depth + 1, out);
        } else if ty.is_file() && detect(&path).is_some() {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_name_and_suffix() {
        assert_eq!(detect(Path::new("/x/Cargo.lock")), Some("Cargo.lock"));
        assert_eq!(detect(Path::new("ripgrep.Cargo.lock")), Some("Cargo.lock"));
        assert_eq!(detect(Path::new("xCargo.lock")), None);
        assert_eq!(detect(Path::new("requirements-dev.txt")), Some("requirements.txt"));
        assert_eq!(detect(Path::new("requirements/base.txt")), Some("requirements.txt"));
        assert_eq!(detect(Path::new("notes.txt")), None);
        assert_eq!(detect(Path::new("gems.locked")), Some("Gemfile.lock"));
        assert_eq!(detect(Path::new("pylock.dev.toml")), Some("pylock.toml"));
        assert_eq!(detect(Path::new("package.json")), None);
        assert_eq!(detect(Path::new("buildscript-gradle.lockfile")), Some("gradle.lockfile"));
    }

    #[test]
    fn sboms_are_detected_by_content() {
        let dir = std::env::temp_dir().join(format!("vouch-lockfile-sniff-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cdx =
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "purl": "pkg:pypi/torch@2.0.0"}]}"#;
        let spdx = r#"{"spdxVersion": "SPDX-2.3", "packages": []}"#;
        for (name, text, want) in [
            ("bom.json", cdx, Some("CycloneDX")),
            ("app.cdx.json", cdx, Some("CycloneDX")),
            ("app.spdx.json", spdx, Some("SPDX")),
            ("bom.json", r#"{"name": "not an sbom"}"#, None),
            ("other.json", cdx, None),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            assert_eq!(detect(&path), want, "{name}");
            if let Some(format) = want {
                assert_eq!(read(&path).unwrap().format, format);
            } else {
                assert!(matches!(read(&path), Err(LockError::Unsupported { .. })));
            }
        }
        let l = read(&dir.join("app.cdx.json")).unwrap();
        assert_eq!(l.packages[0].ecosystem, Ecosystem::PyPI);
        assert_eq!(l.packages[0].version, Spec::Exact("2.0.0".into()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn read_bytes_by_hint_and_unknown_formats() {
        let l = read_bytes("Cargo.lock", b"version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://x\"\n")
            .unwrap();
        assert_eq!(l.packages.len(), 1);
        assert!(matches!(read_bytes("whatever.bin", b"x"), Err(LockError::Unsupported { .. })));
        assert!(matches!(read_as(Path::new("/nonexistent/Cargo.lock"), "Cargo.lock"), Err(LockError::Io { .. })));
        assert!(matches!(read_as(Path::new("/nonexistent/Cargo.lock"), "no-such-format"), Err(LockError::Unsupported { .. })));
        let e = read_bytes("Cargo.lock", b"\xff\xfe").unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let n = 20_000;
        let json = "[".repeat(n) + &"]".repeat(n);
        let yaml = "[".repeat(n) + &"]".repeat(n);
        let toml = "a = ".to_string() + &"[".repeat(n) + &"]".repeat(n);
        let xml = "<project>".to_string() + &"<a>".repeat(n) + &"</a>".repeat(n) + "</project>";
        for (format, text) in [
            ("package-lock.json", &json),
            ("bun.lock", &json),
            ("CycloneDX", &json),
            ("pnpm-lock.yaml", &yaml),
            ("yarn.lock", &("__metadata:\n  x: ".to_string() + &yaml)),
            ("pubspec.lock", &yaml),
            ("Cargo.lock", &toml),
            ("uv.lock", &toml),
            ("pom.xml", &xml),
        ] {
            let e = read_bytes(format, text.as_bytes()).unwrap_err();
            assert!(matches!(e, LockError::Syntax { .. }), "{format}: {e}");
        }
    }

    #[test]
    fn duplicates_are_kept_once_and_dev_merges() {
        let a = pkg("a", Ecosystem::Npm, Spec::Exact("1".into()), None, Some(1), Some(true));
        let mut b = a.clone();
        b.dev = Some(false);
        b.line = Some(9);
        let c = pkg("a", Ecosystem::Npm, Spec::Exact("2".into()), None, Some(3), None);
        let d = dedupe(vec![a, b, c]);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].dev, Some(false));
        assert_eq!(d[0].line, Some(1));
    }

    #[test]
    fn find_walks_deterministically_and_skips() {
        let dir = std::env::temp_dir().join(format!("vouch-lockfile-find-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for d in ["b", "a", "node_modules/x", ".git", "a/target"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        for f in [
            "b/Cargo.lock",
            "a/uv.lock",
            "a/go.mod",
            "node_modules/x/package-lock.json",
            ".git/yarn.lock",
            "a/target/Cargo.lock",
            "a/readme.md",
        ] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let found: Vec<String> = find(&dir).iter().map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(found, ["a/go.mod", "a/uv.lock", "b/Cargo.lock"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
