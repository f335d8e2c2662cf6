//! Walking the paths given on the command line: directories recursively (hidden and
//! git-ignored files included), in parallel, with deterministic output order. Symbolic links
//! are followed only while they stay inside the scanned root, or inside the same Hugging Face
//! cache repository (`models--org--name/snapshots/<rev>/` links into `../../blobs/`).

use crate::analyse::scan_file;
use crate::config::Config;
use std::collections::HashSet;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
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
    walk(paths, &mut |t| out.push(t));
    out.sort_by(|a, b| key(a).cmp(key(b)));
    out
}

/// Hands every target under `paths` to `sink`, in walk order.
fn walk(paths: &[PathBuf], sink: &mut dyn FnMut(Target)) {
    for root in paths {
        let display = root.display().to_string();
        match std::fs::metadata(root) {
            Err(e) => sink(Target::Note(FileReport::error(display, format!("cannot read {}: {e}", root.display())))),
            Ok(m) if m.is_dir() => {
                let base = link_base(root);
                let mut visited = HashSet::new();
                if let Some(k) = dir_key(root) {
                    visited.insert(k);
                }
                walk_dir(root, &base, &mut visited, sink);
            }
            Ok(_) => sink(Target::File { path: root.clone(), display }),
        }
    }
}

fn key(t: &Target) -> &str {
    match t {
        Target::File { display, .. } => display,
        Target::Note(r) => &r.path,
    }
}

/// Identifies a folder however it is reached, so that link cycles are walked once.
#[cfg(unix)]
type DirKey = (u64, u64);
#[cfg(not(unix))]
type DirKey = PathBuf;

/// Device and inode: one `stat`, where resolving the canonical path costs a `readlink` per
/// path component.
#[cfg(unix)]
fn dir_key(dir: &Path) -> Option<DirKey> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn dir_key(dir: &Path) -> Option<DirKey> {
    dir.canonicalize().ok()
}

fn walk_dir(dir: &Path, base: &Path, visited: &mut HashSet<DirKey>, out: &mut dyn FnMut(Target)) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out(Target::Note(FileReport::error(dir.display().to_string(), format!("cannot list {}: {e}", dir.display()))));
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
                out(Target::Note(FileReport::error(display, format!("cannot stat: {e}"))));
                continue;
            }
        };
        if ft.is_symlink() {
            let target = match path.canonicalize() {
                Ok(t) => t,
                Err(_) => {
                    let dest = std::fs::read_link(&path).map(|p| p.display().to_string()).unwrap_or_default();
                    let f = Finding::new(&GEN_BROKEN_SYMLINK, format!("symbolic link to {dest} points to nothing")).evidence(dest);
                    out(Target::Note(FileReport::new(display, "symlink", vec![f])));
                    continue;
                }
            };
            if !target.starts_with(base) {
                let f = Finding::new(
                    &GEN_SYMLINK_OUTSIDE,
                    format!("symbolic link to {} leaves the scanned folder; not followed", target.display()),
                )
                .evidence(target.display().to_string());
                out(Target::Note(FileReport::new(display, "symlink", vec![f])));
                continue;
            }
            if target.is_dir() {
                if dir_key(&target).is_none_or(|k| visited.insert(k)) {
                    walk_dir(&path, base, visited, out);
                }
            } else {
                out(Target::File { path: target, display });
            }
        } else if ft.is_dir() {
            if let Some(k) = dir_key(&path) {
                if !visited.insert(k) {
                    continue;
                }
            }
            walk_dir(&path, base, visited, out);
        } else if ft.is_file() {
            out(Target::File { path, display });
        }
    }
}

/// Worker threads per scan; 0 means one per core.
static JOBS: AtomicUsize = AtomicUsize::new(0);

/// Sets how many files are scanned at once (`None`: one per core). The threads start with
/// each scan ([`scan_targets`], [`scan_paths_with`]), never more than there are files to scan
/// when that number is known up front.
pub fn start_workers(jobs: Option<usize>) -> Result<(), std::io::Error> {
    if jobs == Some(0) {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "at least one worker is needed"));
    }
    JOBS.store(jobs.unwrap_or(0), Ordering::Relaxed);
    Ok(())
}

fn jobs() -> usize {
    match JOBS.load(Ordering::Relaxed) {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// Targets waiting for a worker, numbered in the order they were found.
struct Queue {
    state: Mutex<QueueState>,
    ready: Condvar,
}

struct QueueState {
    items: VecDeque<(usize, Target)>,
    /// No more targets will come.
    closed: bool,
    /// Workers asleep on `ready`.
    waiting: usize,
}

impl Queue {
    fn new() -> Queue {
        Queue { state: Mutex::new(QueueState { items: VecDeque::new(), closed: false, waiting: 0 }), ready: Condvar::new() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn push(&self, item: (usize, Target)) {
        let mut s = self.lock();
        s.items.push_back(item);
        let wake = s.waiting > 0;
        drop(s);
        if wake {
            self.ready.notify_one();
        }
    }

    fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_all();
    }

    /// The next target, waiting for one while the queue is open; `None` once it is drained.
    fn pop(&self) -> Option<(usize, Target)> {
        let mut s = self.lock();
        loop {
            if let Some(item) = s.items.pop_front() {
                return Some(item);
            }
            if s.closed {
                return None;
            }
            s.waiting += 1;
            s = self.ready.wait(s).unwrap_or_else(|p| p.into_inner());
            s.waiting -= 1;
        }
    }
}

/// Scans what `feed` puts in the queue on `threads` workers, started before `feed` runs so that
/// scanning overlaps with finding the files. Workers get stacks large enough for every
/// analysis; the calling thread only scans when no worker could be started. Reports come
/// back with the number of their target.
fn run(threads: usize, cfg: &Config, progress: &(dyn Fn(&FileReport) + Sync), feed: &mut dyn FnMut(&Queue)) -> Vec<(usize, FileReport)> {
    let queue = Queue::new();
    let work = || {
        let mut done = Vec::new();
        while let Some((i, t)) = queue.pop() {
            let r = match t {
                Target::File { path, display } => scan_file(&path, display, cfg),
                Target::Note(r) => r,
            };
            progress(&r);
            done.push((i, r));
        }
        done
    };
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .filter_map(|i| {
                std::thread::Builder::new()
                    .name(format!("vouch-worker-{i}"))
                    .stack_size(crate::template::ANALYSIS_STACK)
                    .spawn_scoped(scope, || {
                        crate::template::mark_big_stack_thread();
                        work()
                    })
                    .ok()
            })
            .collect();
        feed(&queue);
        queue.close();
        let mut done = if workers.is_empty() { work() } else { Vec::new() };
        for w in workers {
            match w.join() {
                Ok(mut d) => done.append(&mut d),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    })
}

/// Scans every target in parallel; `progress` is called once per finished file. Reports
/// come back in the order of `targets`.
pub fn scan_targets(targets: Vec<Target>, cfg: &Config, progress: &(dyn Fn(&FileReport) + Sync)) -> Vec<FileReport> {
    let threads = jobs().min(targets.len()).max(1);
    let mut targets = Some(targets);
    let mut done = run(threads, cfg, progress, &mut |q| {
        for item in targets.take().into_iter().flatten().enumerate() {
            q.push(item);
        }
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Walks `paths` and scans the files while it finds them. `walked` learns how many targets
/// there are once the walk is over; `progress` is called once per finished file. Reports
/// come sorted by path, like [`collect`]'s targets.
pub fn scan_paths_with(
    paths: &[PathBuf],
    cfg: &Config,
    walked: &dyn Fn(usize),
    progress: &(dyn Fn(&FileReport) + Sync),
) -> Vec<FileReport> {
    let mut threads = jobs();
    if paths.iter().all(|p| !p.is_dir()) {
        threads = threads.min(paths.len()).max(1);
    }
    let mut done = run(threads, cfg, progress, &mut |q| {
        let mut n = 0;
        walk(paths, &mut |t| {
            q.push((n, t));
            n += 1;
        });
        walked(n);
    });
    done.sort_by(|(i, a), (j, b)| a.path.cmp(&b.path).then(i.cmp(j)));
    done.into_iter().map(|(_, r)| r).collect()
}

/// Collects and scans.
pub fn scan_paths(paths: &[PathBuf], cfg: &Config) -> Vec<FileReport> {
    scan_paths_with(paths, cfg, &|_| {}, &|_| {})
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
