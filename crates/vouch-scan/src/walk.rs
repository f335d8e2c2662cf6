//! Walking the paths given on the command line: directories recursively (hidden and
//! git-ignored files included), in parallel, with deterministic output order. Symbolic links
//! are followed only while they stay inside the scanned root, or inside the same Hugging Face
//! cache repository (`models--org--name/snapshots/<rev>/` links into `../../blobs/`).

use crate::analyse::scan_file;
use crate::config::Config;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use vouch_report::rules::*;
use vouch_report::{FileReport, Finding};

/// One file to scan, or a note about a path that will not be scanned.
#[derive(Debug, Clone)]
pub enum Target {
    File { path: PathBuf, display: String },
    Note(FileReport),
}

/// The folder links may point into: the root, widened to the whole `models--*` repository
/// when the root lies inside a Hugging Face cache.
fn link_base(root: &Path) -> PathBuf {
    let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut cur = Some(canon.as_path());
    while let Some(p) = cur {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if (name.starts_with("models--") || name.starts_with("datasets--") || name.starts_with("spaces--")) && p.join("blobs").is_dir() {
            return p.to_path_buf();
        }
        cur = p.parent();
    }
    canon
}

/// Expands the given paths into scan targets, sorted by display path.
pub fn collect(paths: &[PathBuf]) -> Vec<Target> {
    let mut out = Vec::new();
    for root in paths {
        let display = root.display().to_string();
        match std::fs::metadata(root) {
            Err(e) => out.push(Target::Note(FileReport::error(display, format!("cannot read {}: {e}", root.display())))),
            Ok(m) if m.is_dir() => {
                let base = link_base(root);
                let mut visited = HashSet::new();
                if let Ok(c) = root.canonicalize() {
                    visited.insert(c);
                }
                walk_dir(root, &base, &mut visited, &mut out);
            }
            Ok(_) => out.push(Target::File { path: root.clone(), display }),
        }
    }
    out.sort_by(|a, b| key(a).cmp(key(b)));
    out
}

fn key(t: &Target) -> &str {
    match t {
        Target::File { display, .. } => display,
        Target::Note(r) => &r.path,
    }
}

fn walk_dir(dir: &Path, base: &Path, visited: &mut HashSet<PathBuf>, out: &mut Vec<Target>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.push(Target::Note(FileReport::error(dir.display().to_string(), format!("cannot list {}: {e}", dir.display()))));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let display = path.display().to_string();
        // The repository's own object store is not part of the artifact.
        if entry.file_name() == ".git" {
            continue;
        }
        let ft = match entry.file_type() {
            Ok(ft) => ft,
            Err(e) => {
                out.push(Target::Note(FileReport::error(display, format!("cannot stat: {e}"))));
                continue;
            }
        };
        if ft.is_symlink() {
            let target = match path.canonicalize() {
                Ok(t) => t,
                Err(_) => {
                    let dest = std::fs::read_link(&path).map(|p| p.display().to_string()).unwrap_or_default();
                    let f = Finding::new(&GEN_BROKEN_SYMLINK, format!("symbolic link to {dest} points to nothing")).evidence(dest);
                    out.push(Target::Note(FileReport::new(display, "symlink", vec![f])));
                    continue;
                }
            };
            if !target.starts_with(base) {
                let f = Finding::new(
                    &GEN_SYMLINK_OUTSIDE,
                    format!("symbolic link to {} leaves the scanned folder; not followed", target.display()),
                )
                .evidence(target.display().to_string());
                out.push(Target::Note(FileReport::new(display, "symlink", vec![f])));
                continue;
            }
            if target.is_dir() {
                if visited.insert(target.clone()) {
                    walk_dir(&path, base, visited, out);
                }
            } else {
                out.push(Target::File { path: target, display });
            }
        } else if ft.is_dir() {
            if let Ok(c) = path.canonicalize() {
                if !visited.insert(c) {
                    continue;
                }
            }
            walk_dir(&path, base, visited, out);
        } else if ft.is_file() {
            out.push(Target::File { path, display });
        }
    }
}

/// Starts the global worker pool (`jobs` threads, or one per core) with stacks large enough
/// for every analysis, so no analysis needs a thread of its own. Without it, the scan runs on
/// rayon's default pool and template analysis starts a big-stack thread per template.
pub fn start_workers(jobs: Option<usize>) -> Result<(), rayon::ThreadPoolBuildError> {
    let mut b = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::template::ANALYSIS_STACK)
        .thread_name(|i| format!("vouch-worker-{i}"))
        .start_handler(|_| crate::template::mark_big_stack_thread());
    if let Some(j) = jobs {
        b = b.num_threads(j);
    }
    b.build_global()
}

/// Scans every target in parallel; `progress` is called once per finished file.
pub fn scan_targets(targets: Vec<Target>, cfg: &Config, progress: &(dyn Fn(&FileReport) + Sync)) -> Vec<FileReport> {
    targets
        .into_par_iter()
        .map(|t| {
            let r = match t {
                Target::File { path, display } => scan_file(&path, display, cfg),
                Target::Note(r) => r,
            };
            progress(&r);
            r
        })
        .collect()
}

/// Collects and scans.
pub fn scan_paths(paths: &[PathBuf], cfg: &Config) -> Vec<FileReport> {
    scan_targets(collect(paths), cfg, &|_| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn symlinks_inside_followed_outside_reported_and_hf_cache_resolved() {
        let t = tempfile::tempdir().unwrap();
        let outside = t.path().join("secret.pkl");
        std::fs::write(&outside, b"N.").unwrap();
        let root = t.path().join("model");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("a.pkl"), b"N.").unwrap();
        std::os::unix::fs::symlink(root.join("a.pkl"), root.join("inside.pkl")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("out.pkl")).unwrap();
        std::os::unix::fs::symlink(root.join("nothing"), root.join("dangling")).unwrap();
        let r = scan_paths(std::slice::from_ref(&root), &Config::default());
        let by: Vec<(String, &str)> = r.iter().map(|f| (f.path.rsplit('/').next().unwrap().to_string(), f.format.as_str())).collect();
        assert_eq!(
            by,
            vec![
                ("a.pkl".into(), "pickle"),
                ("dangling".into(), "symlink"),
                ("inside.pkl".into(), "pickle"),
                ("out.pkl".into(), "symlink")
            ]
        );
        assert_eq!(r[3].findings[0].rule.code, "VCH-GEN-003");

        // Hugging Face cache: snapshots/<rev>/file -> ../../blobs/<sha>
        let repo = t.path().join("hub/models--org--name");
        std::fs::create_dir_all(repo.join("blobs")).unwrap();
        std::fs::create_dir_all(repo.join("snapshots/abc")).unwrap();
        std::fs::write(repo.join("blobs/deadbeef"), b"cposix\nsystem\n(S'id'\ntR.").unwrap();
        std::os::unix::fs::symlink("../../blobs/deadbeef", repo.join("snapshots/abc/pytorch_model.bin")).unwrap();
        let r = scan_paths(&[repo.join("snapshots/abc")], &Config::default());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].verdict, vouch_report::Verdict::Dangerous);
        assert!(r[0].path.ends_with("snapshots/abc/pytorch_model.bin"));
    }
}
