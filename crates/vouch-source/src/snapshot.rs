//! The files of one version of a project.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::git::{CatFile, CommitInfo};
use crate::index::{is_c_family, CodeIndex};
use crate::{Limits, SourceError};

/// One listed file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub path: String,
    pub size: u64,
    /// Blob id (git); empty for plain trees.
    pub oid: String,
    pub symlink: bool,
}

enum Source {
    Tree(PathBuf),
    Git { git_dir: PathBuf, cat: Mutex<Option<CatFile>> },
}

/// The files of a project at one version: a commit of a git repository or a plain folder.
///
/// Paths are repository-relative, '/'-separated and sorted. Contents are read on demand and
/// cached; the [`CodeIndex`] is built once, on first use.
pub struct Snapshot {
    label: String,
    commit: Option<CommitInfo>,
    entries: Vec<Entry>,
    source: Source,
    limits: Limits,
    cache: Mutex<Cache>,
    index: OnceLock<CodeIndex>,
    /// The project's name (lower case), when known: a machine path's folder of that name holds
    /// the project's root (see [`Snapshot::find`]).
    project: Option<String>,
}

#[derive(Default)]
struct Cache {
    files: HashMap<String, Option<Arc<str>>>,
    bytes: u64,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot").field("label", &self.label).field("files", &self.entries.len()).finish_non_exhaustive()
    }
}

/// Too big, or looks binary (a NUL byte in the first 8000 bytes, as git decides).
fn is_binary(b: &[u8]) -> bool {
    memchr::memchr(0, &b[..b.len().min(8000)]).is_some()
}

pub(crate) fn to_text(bytes: Vec<u8>) -> Option<Arc<str>> {
    if is_binary(&bytes) {
        return None;
    }
    Some(match String::from_utf8(bytes) {
        Ok(s) => Arc::from(s),
        Err(e) => Arc::from(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    })
}

fn io_err(path: &Path, error: std::io::Error) -> SourceError {
    SourceError::Io { path: path.to_path_buf(), error }
}

/// Read at most `max` bytes of a regular file; None if it is bigger.
fn read_capped(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let f = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    f.take(max + 1).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= max).then_some(buf))
}

impl Snapshot {
    pub(crate) fn from_git(label: String, commit: CommitInfo, mut entries: Vec<Entry>, git_dir: PathBuf, limits: Limits) -> Snapshot {
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        Snapshot {
            label,
            commit: Some(commit),
            entries,
            source: Source::Git { git_dir, cat: Mutex::new(None) },
            limits,
            cache: Mutex::default(),
            index: OnceLock::new(),
            project: None,
        }
    }

    /// The files of a plain folder (`.git` folders skipped, symbolic links listed but not
    /// followed).
    pub fn open_tree(dir: &Path, limits: &Limits) -> Result<Snapshot, SourceError> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SourceError::NotFound(dir.to_path_buf())),
            Err(e) => return Err(io_err(dir, e)),
            Ok(m) if !m.is_dir() => {
                return Err(io_err(dir, std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory")));
            }
            Ok(_) => {}
        }
        let mut entries = Vec::new();
        let mut stack: Vec<(PathBuf, String)> = vec![(dir.to_path_buf(), String::new())];
        while let Some((abs, rel)) = stack.pop() {
            let rd = std::fs::read_dir(&abs).map_err(|e| io_err(&abs, e))?;
            for de in rd {
                let de = de.map_err(|e| io_err(&abs, e))?;
                let name = de.file_name().to_string_lossy().into_owned();
                if name == ".git" {
                    continue;
                }
                let child_rel = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                let ft = de.file_type().map_err(|e| io_err(&de.path(), e))?;
                if ft.is_dir() {
                    stack.push((de.path(), child_rel));
                } else if ft.is_file() || ft.is_symlink() {
                    let size = if ft.is_file() { de.metadata().map(|m| m.len()).unwrap_or(u64::MAX) } else { 0 };
                    entries.push(Entry { path: child_rel, size, oid: String::new(), symlink: ft.is_symlink() });
                    if entries.len() > limits.max_files {
                        return Err(SourceError::LimitExceeded(format!(
                            "more than {} files under {}; raise Limits::max_files to read it",
                            limits.max_files,
                            dir.display()
                        )));
                    }
                }
            }
        }
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Snapshot {
            label: format!("tree {}", dir.display()),
            commit: None,
            entries,
            source: Source::Tree(dir.to_path_buf()),
            limits: limits.clone(),
            cache: Mutex::default(),
            index: OnceLock::new(),
            project: None,
        })
    }

    /// "tag curl-8_10_1 (abc123456789)", "commit abc123456789", "tree /path".
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The commit (None for a plain tree).
    pub fn commit(&self) -> Option<&CommitInfo> {
        self.commit.as_ref()
    }

    /// The limits this snapshot reads with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// All file paths: repository-relative, '/'-separated, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.path.as_str())
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// No files at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.binary_search_by(|e| e.path.as_str().cmp(path)).ok().map(|i| &self.entries[i])
    }

    /// The size in bytes of a listed file.
    pub fn size(&self, path: &str) -> Option<u64> {
        self.entry(path).map(|e| e.size)
    }

    /// Whether the exact path is listed.
    pub fn contains(&self, path: &str) -> bool {
        self.entry(path).is_some()
    }

    /// The files a report's citation may mean, sorted: the exact path, else every path ending
    /// with "/" + the citation ("http.c" → "lib/http.c", "vtls/openssl.c"). Leading "./", "/",
    /// "a/", "b/" (diffs), a project-name folder ("curl/lib/http.c"), quotes, backslashes and a
    /// trailing ":LINE" are tolerated.
    pub fn find(&self, cited: &str) -> Vec<&str> {
        let mut c = cited.trim().trim_matches(|ch: char| matches!(ch, '`' | '"' | '\'' | '(' | ')' | '<' | '>' | ',')).replace('\\', "/");
        // "lib/http.c:123" / "lib/http.c:123:5"
        while let Some(i) = c.rfind(':') {
            if i + 1 < c.len() && c[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
                c.truncate(i);
            } else {
                break;
            }
        }
        // A path of the reporter's machine: "/src/curl/lib/rtsp.c" (OSS-Fuzz), "C:/curl/lib/x.c".
        let absolute = c.starts_with('/') || c.as_bytes().get(1) == Some(&b':') && c.as_bytes().get(2) == Some(&b'/');
        let mut s = c.as_str();
        loop {
            let t = s.trim_start_matches("./").trim_start_matches('/');
            if t.len() == s.len() {
                break;
            }
            s = t;
        }
        if s.is_empty() {
            return Vec::new();
        }
        // "/home/me/stb/tests/./../stb_image.h" (a harness's include from its own folder): the
        // "." and "folder/.." steps go, as the file system reads them.
        let resolved = resolve_dots(s);
        let s = resolved.as_str();
        let mut candidates: Vec<&str> = vec![s];
        if let Some(rest) = s.strip_prefix("a/").or_else(|| s.strip_prefix("b/")) {
            candidates.push(rest);
        }
        // A project-name first folder: "curl/lib/http.c" in a repository without "curl/", or
        // "libheif/libheif/exif.cc", the checkout's folder around the project's own of that name.
        if let Some((first, rest)) = s.split_once('/') {
            if !rest.is_empty() && (!self.has_dir(first) || rest.split('/').next() == Some(first) && rest.contains('/')) {
                candidates.push(rest);
            }
        }
        for cand in &candidates {
            if let Some(e) = self.entry(cand) {
                return vec![e.path.as_str()];
            }
        }
        // A path from the reporter's machine ("/home/me/src/curl/lib/http.c"): the longest tail
        // of at least two components that is a file of the project. An absolute path's first
        // folder is the machine's, even when the project has a folder of that name (`/src/`).
        // So is that of a deep relative path the project lacks (`src/mosquitto/src/proxy_v2.c`:
        // the checkout's folder under the reporter's own `src/`).
        if absolute || !self.has_dir(s.split('/').next().unwrap_or(s)) || s.split('/').count() >= 4 {
            let mut rest = s;
            while let Some((_, r)) = rest.split_once('/') {
                rest = r;
                if !rest.contains('/') {
                    break;
                }
                if let Some(e) = self.entry(rest) {
                    return vec![e.path.as_str()];
                }
            }
        }
        if absolute {
            if let Some(p) = self.project_root_file(s) {
                return vec![p];
            }
        }
        for cand in &candidates {
            let suffix = format!("/{cand}");
            let found: Vec<&str> = self.paths().filter(|p| p.ends_with(&suffix)).collect();
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    /// The snapshot, knowing the project's name: a path of the reporter's machine that names the
    /// project's folder then a file at the project's root (`/home/me/fuzz/stb/stb_image.h`) is
    /// found.
    pub fn with_project(mut self, name: Option<String>) -> Snapshot {
        self.project = name.map(|n| n.to_ascii_lowercase()).filter(|n| !n.is_empty());
        self
    }

    /// The file at the project's root that `path` (a machine path, dots resolved) names below a
    /// folder called as the project: a checkout whose root holds the file. Without the project's
    /// name, a machine path's last name alone (`/usr/include/zlib.h`) says nothing of where the
    /// file lies.
    fn project_root_file(&self, path: &str) -> Option<&str> {
        let project = self.project.as_deref()?;
        let (dir, name) = path.rsplit_once('/')?;
        let folder = dir.rsplit('/').next()?;
        if !folder.eq_ignore_ascii_case(project) {
            return None;
        }
        self.entry(name).map(|e| e.path.as_str())
    }

    /// Whether the tree has a folder `dir` (a path without trailing slash).
    pub fn has_dir(&self, dir: &str) -> bool {
        let prefix = format!("{dir}/");
        let i = self.entries.partition_point(|e| e.path.as_str() < prefix.as_str());
        self.entries.get(i).is_some_and(|e| e.path.starts_with(&prefix))
    }

    /// The text of a file: None if it is not listed, bigger than `max_file_bytes`, a symbolic
    /// link, or binary. Invalid UTF-8 is replaced. Cached.
    pub fn read(&self, path: &str) -> Result<Option<Arc<str>>, SourceError> {
        let Some(e) = self.entry(path) else { return Ok(None) };
        if e.symlink || e.size > self.limits.max_file_bytes {
            return Ok(None);
        }
        if let Some(hit) = self.lock_cache().files.get(path) {
            return Ok(hit.clone());
        }
        let bytes = self.read_bytes(e)?;
        let text = bytes.and_then(to_text);
        let mut cache = self.lock_cache();
        let n = text.as_ref().map_or(0, |t| t.len() as u64);
        if cache.bytes + n <= self.limits.max_total_bytes {
            cache.bytes += n;
            cache.files.insert(path.to_string(), text.clone());
        }
        Ok(text)
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn read_bytes(&self, e: &Entry) -> Result<Option<Vec<u8>>, SourceError> {
        match &self.source {
            Source::Tree(root) => {
                let p = root.join(&e.path);
                match read_capped(&p, self.limits.max_file_bytes) {
                    Ok(b) => Ok(b),
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(err) => Err(io_err(&p, err)),
                }
            }
            Source::Git { git_dir, cat } => {
                let mut guard = cat.lock().unwrap_or_else(|p| p.into_inner());
                if guard.is_none() {
                    *guard = Some(CatFile::spawn(git_dir)?);
                }
                let Some(proc_) = guard.as_mut() else { return Ok(None) };
                match proc_.read_one(&e.oid, self.limits.max_file_bytes) {
                    Ok(b) => Ok(b),
                    Err(err) => {
                        *guard = None;
                        Err(SourceError::Git { args: format!("cat-file --batch ({})", e.path), stderr: err.to_string() })
                    }
                }
            }
        }
    }

    /// The C-family files the index covers: (entry, within limits).
    fn c_entries(&self) -> Result<Vec<&Entry>, SourceError> {
        let list: Vec<&Entry> =
            self.entries.iter().filter(|e| !e.symlink && e.size <= self.limits.max_file_bytes && is_c_family(&e.path)).collect();
        let total: u64 = list.iter().map(|e| e.size).sum();
        if total > self.limits.max_total_bytes {
            return Err(SourceError::LimitExceeded(format!(
                "{} has {total} bytes of C-family source, more than the {} bytes allowed; raise Limits::max_total_bytes",
                self.label, self.limits.max_total_bytes
            )));
        }
        Ok(list)
    }

    /// Read every C-family file at once (as [`Snapshot::index`] does): (path, bytes) in path
    /// order; oversize, symbolic-link and binary files left out. Not cached.
    pub fn c_sources(&self) -> Result<Vec<(String, Vec<u8>)>, SourceError> {
        let list = self.c_entries()?;
        let mut out: Vec<Option<Vec<u8>>> = vec![None; list.len()];
        match &self.source {
            Source::Tree(root) => {
                let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
                let chunk = list.len().div_ceil(threads).max(1);
                let max = self.limits.max_file_bytes;
                let results: Vec<Result<(), SourceError>> = std::thread::scope(|s| {
                    let handles: Vec<_> = out
                        .chunks_mut(chunk)
                        .zip(list.chunks(chunk))
                        .map(|(slots, es)| {
                            s.spawn(move || -> Result<(), SourceError> {
                                for (slot, e) in slots.iter_mut().zip(es) {
                                    let p = root.join(&e.path);
                                    match read_capped(&p, max) {
                                        Ok(b) => *slot = b,
                                        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                                        Err(err) => return Err(io_err(&p, err)),
                                    }
                                }
                                Ok(())
                            })
                        })
                        .collect();
                    handles.into_iter().map(|h| h.join().unwrap_or(Ok(()))).collect()
                });
                for r in results {
                    r?;
                }
            }
            Source::Git { git_dir, cat } => {
                let mut guard = cat.lock().unwrap_or_else(|p| p.into_inner());
                if guard.is_none() {
                    *guard = Some(CatFile::spawn(git_dir)?);
                }
                if let Some(proc_) = guard.as_mut() {
                    let oids: Vec<&str> = list.iter().map(|e| e.oid.as_str()).collect();
                    let r = proc_.read_many(&oids, self.limits.max_file_bytes, |i, b| out[i] = b);
                    if let Err(err) = r {
                        *guard = None;
                        return Err(SourceError::Git { args: "cat-file --batch".into(), stderr: err.to_string() });
                    }
                }
            }
        }
        Ok(list.iter().zip(out).filter_map(|(e, b)| b.filter(|b| !is_binary(b)).map(|b| (e.path.clone(), b))).collect())
    }

    /// The index of all C-family files (.c .h .cc .cpp .cxx .hh .hpp .inc .m), built on first use.
    pub fn index(&self) -> Result<&CodeIndex, SourceError> {
        if let Some(ix) = self.index.get() {
            return Ok(ix);
        }
        let files = self.c_sources()?;
        let ix = CodeIndex::build(&files);
        Ok(self.index.get_or_init(|| ix))
    }
}

/// `path` with its "." steps dropped and each "folder/.." pair removed; ".." steps above the
/// start stay ("../lib/x.c").
fn resolve_dots(path: &str) -> String {
    if !path.split('/').any(|p| p == "." || p == "..") {
        return path.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." if out.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                out.pop();
            }
            _ => out.push(part),
        }
    }
    out.join("/")
}
