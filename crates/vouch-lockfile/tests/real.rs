//! Real lockfiles of well-known projects: each yields exactly the packages it lists. The expected
//! entries come from a plain line scan of each file, independent of the readers.

use std::path::PathBuf;
use vouch_lockfile::{read, Lockfile, Spec};

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/lockfiles/real");

fn real(name: &str) -> (String, Lockfile) {
    let path = PathBuf::from(BASE).join(name);
    assert!(path.is_file(), "real lockfile not found: looked for {}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    let lock = read(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(lock.problems.is_empty(), "{name}: {:?}", lock.problems);
    (text, lock)
}

/// (name, line, has a `source`) of each `[[package]]` entry, by a line scan.
fn toml_entries(text: &str) -> Vec<(String, usize, bool)> {
    let mut out: Vec<(String, usize, bool)> = Vec::new();
    let mut in_entry = false;
    for (i, line) in text.lines().enumerate() {
        if line == "[[package]]" {
            out.push((String::new(), i + 1, false));
            in_entry = true;
        } else if line.starts_with('[') {
            in_entry = false;
        } else if in_entry {
            let last = out.last_mut().unwrap();
            if let Some(n) = line.strip_prefix("name = \"") {
                if last.0.is_empty() {
                    last.0 = n.trim_end_matches('"').to_string();
                }
            } else if line.starts_with("source = ") {
                last.2 = true;
            }
        }
    }
    out
}

fn check_toml(name: &str, format: &str) -> Lockfile {
    let (text, lock) = real(name);
    assert_eq!(lock.format, format);
    let want = toml_entries(&text);
    assert!(!want.is_empty());
    let got: Vec<(String, usize)> = lock.packages.iter().map(|p| (p.name.clone(), p.line.unwrap())).collect();
    let want_names: Vec<(String, usize)> = want.iter().map(|(n, l, _)| (n.clone(), *l)).collect();
    assert_eq!(got, want_names, "{name}");
    eprintln!("{name}: {} packages", lock.packages.len());
    lock
}

#[test]
fn cargo_lockfiles() {
    for name in ["cargo-deny.Cargo.lock", "ripgrep.Cargo.lock", "uv.Cargo.lock"] {
        let lock = check_toml(name, "Cargo.lock");
        let (text, _) = real(name);
        // Entries without a source are the workspace's own crates.
        for (p, (_, _, has_source)) in lock.packages.iter().zip(toml_entries(&text)) {
            assert_eq!(matches!(p.version, Spec::Path(_)), !has_source, "{name}: {}", p.name);
        }
    }
    let (_, rg) = real("ripgrep.Cargo.lock");
    assert!(rg.packages.iter().any(|p| p.name == "ripgrep" && p.version == Spec::Path(String::new())));
}

#[test]
fn python_lockfiles() {
    for name in ["fickling.uv.lock", "modelaudit.uv.lock"] {
        check_toml(name, "uv.lock");
    }
    let lock = check_toml("modelscan.poetry.lock", "poetry.lock");
    assert!(lock.packages.iter().all(|p| matches!(p.version, Spec::Exact(_))));

    let (text, lock) = real("aibom-generator.requirements.txt");
    assert_eq!(lock.format, "requirements.txt");
    let mut want = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('-') {
            continue;
        }
        let (n, v) = t.split_once("==").expect("every requirement of this file is pinned");
        want.push((n.trim().to_string(), Spec::Exact(v.split_whitespace().next().unwrap().to_string()), i + 1));
    }
    let got: Vec<_> = lock.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.line.unwrap())).collect();
    assert_eq!(got, want);
    eprintln!("aibom-generator.requirements.txt: {} packages", got.len());
}

#[test]
fn pnpm_lockfile() {
    let (text, lock) = real("cdxgen.pnpm-lock.yaml");
    let mut want = Vec::new();
    let mut in_packages = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_packages = line == "packages:";
            continue;
        }
        if in_packages && line.starts_with("  ") && !line.starts_with("   ") && line.ends_with(':') {
            let key = line.trim().trim_end_matches(':').trim_matches('\'');
            let at = key[1..].find('@').unwrap() + 1;
            want.push((key[..at].to_string(), Spec::Exact(key[at + 1..].to_string()), i + 1));
        }
    }
    let got: Vec<_> = lock.packages.iter().map(|p| (p.name.clone(), p.version.clone(), p.line.unwrap())).collect();
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    eprintln!("cdxgen.pnpm-lock.yaml: {} packages", got.len());
}
