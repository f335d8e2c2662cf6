//! A git repository read through the git command-line tool, read-only.
//!
//! Every command runs as `git -c core.quotepath=off -c core.fsmonitor=false --no-pager
//! --git-dir=ABS ...` with `GIT_CONFIG_NOSYSTEM=1`, `GIT_TERMINAL_PROMPT=0`,
//! `GIT_NO_LAZY_FETCH=1`, `GIT_OPTIONAL_LOCKS=0` and the caller's `GIT_DIR`-style variables
//! removed. No command writes to the repository; none looks at the work tree.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde::Serialize;

use crate::snapshot::{Entry, Snapshot};
use crate::version::{parse_query, parse_tag_version, versions_equal};
use crate::{Limits, SourceError};

/// A tag that points (directly or through an annotated tag object) at a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// "curl-8_10_1" (without refs/tags/).
    pub name: String,
    /// Full hex id of the commit.
    pub commit: String,
    /// Unix seconds: the tagger date of an annotated tag, the committer date otherwise.
    pub time: i64,
    /// The version in the name: "8.10.1".
    pub version: Option<String>,
    /// The name has a suffix after the version numbers (rc, alpha, beta, pre, ...).
    pub prerelease: bool,
}

/// One commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// Full hex id.
    pub id: String,
    /// Committer date, unix seconds.
    pub time: i64,
    /// First line of the message.
    pub summary: String,
}

impl CommitInfo {
    /// The first 12 hex digits.
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(12)]
    }
}

/// A git work tree or bare repository.
#[derive(Debug, Clone)]
pub struct GitRepo {
    dir: PathBuf,
    git_dir: PathBuf,
    /// The release tags, read once: version choice and version claims look them up per claim.
    tags: std::sync::OnceLock<Vec<Tag>>,
    /// Whether the clone is shallow, asked once: the checks ask per claim.
    shallow: std::sync::OnceLock<bool>,
}

const SCRUBBED_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "PAGER",
];

/// `git` with the global options and environment every command gets; `git_dir` None → `-C dir`.
fn base_command(git_dir: Option<&Path>, cwd: Option<&Path>) -> Command {
    let mut c = Command::new("git");
    for k in SCRUBBED_ENV {
        c.env_remove(k);
    }
    c.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("LC_ALL", "C");
    c.args(["-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "-c", "log.showSignature=false", "--no-pager"]);
    if let Some(cwd) = cwd {
        c.arg("-C").arg(cwd);
    }
    if let Some(g) = git_dir {
        let mut a = OsString::from("--git-dir=");
        a.push(g.as_os_str());
        c.arg(a);
    }
    c.stdin(Stdio::null());
    c
}

fn spawn_error(e: std::io::Error, args: &[&str]) -> SourceError {
    if e.kind() == std::io::ErrorKind::NotFound {
        SourceError::GitMissing
    } else {
        SourceError::Git { args: args.join(" "), stderr: e.to_string() }
    }
}

struct Output {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

fn run_raw(mut c: Command, args: &[&str]) -> Result<Output, SourceError> {
    c.args(args);
    let out = c.output().map_err(|e| spawn_error(e, args))?;
    Ok(Output { code: out.status.code(), stdout: out.stdout, stderr: String::from_utf8_lossy(&out.stderr).into_owned() })
}

/// Refs given by users or reports must not be taken for options.
fn check_rev(rev: &str) -> Result<(), SourceError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains(['\0', '\n', ' ']) {
        return Err(SourceError::BadRef(rev.to_string()));
    }
    Ok(())
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn parse_commit_line(line: &str) -> Option<CommitInfo> {
    let mut parts = line.splitn(3, '\0');
    let id = parts.next()?.trim().to_string();
    let time = parts.next()?.trim().parse().ok()?;
    let summary = parts.next().unwrap_or("").trim_end().to_string();
    is_hex(&id).then_some(CommitInfo { id, time, summary })
}

impl GitRepo {
    /// Open a git work tree (a folder with `.git`) or a bare repository.
    ///
    /// A folder that merely sits *inside* some other repository is not a repository.
    pub fn open(dir: &Path) -> Result<GitRepo, SourceError> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SourceError::NotFound(dir.to_path_buf())),
            Err(error) => return Err(SourceError::Io { path: dir.to_path_buf(), error }),
            Ok(m) if !m.is_dir() => return Err(SourceError::NotARepo(dir.to_path_buf())),
            Ok(_) => {}
        }
        let dotgit = dir.join(".git");
        let bare = dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir();
        if !dotgit.exists() && !bare {
            return Err(SourceError::NotARepo(dir.to_path_buf()));
        }
        let args = ["rev-parse", "--absolute-git-dir"];
        let out = run_raw(base_command(None, Some(dir)), &args)?;
        if out.code != Some(0) {
            if out.stderr.contains("not a git repository") {
                return Err(SourceError::NotARepo(dir.to_path_buf()));
            }
            return Err(SourceError::Git { args: args.join(" "), stderr: out.stderr });
        }
        let git_dir = String::from_utf8_lossy(&out.stdout).trim_end_matches(['\n', '\r']).to_string();
        let git_dir = PathBuf::from(git_dir);
        if !git_dir.is_dir() {
            return Err(SourceError::NotARepo(dir.to_path_buf()));
        }
        Ok(GitRepo { dir: dir.to_path_buf(), git_dir, tags: std::sync::OnceLock::new(), shallow: std::sync::OnceLock::new() })
    }

    /// The folder this was opened from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The repository's git directory (absolute).
    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    pub(crate) fn command(&self) -> Command {
        base_command(Some(&self.git_dir), None)
    }

    fn run_status(&self, args: &[&str]) -> Result<Output, SourceError> {
        run_raw(self.command(), args)
    }

    /// Run, require exit status 0, return stdout.
    fn run(&self, args: &[&str]) -> Result<Vec<u8>, SourceError> {
        let out = self.run_status(args)?;
        if out.code != Some(0) {
            return Err(SourceError::Git { args: args.join(" "), stderr: out.stderr });
        }
        Ok(out.stdout)
    }

    /// `rev-parse --verify` of `rev^{commit}`: the full id, None when it names no commit.
    fn verify_commit(&self, rev: &str) -> Result<Option<String>, SourceError> {
        check_rev(rev)?;
        let spec = format!("{rev}^{{commit}}");
        let out = self.run_status(&["rev-parse", "--verify", "--quiet", &spec])?;
        if out.code != Some(0) {
            // Unknown, ambiguous, or not a commit.
            return Ok(None);
        }
        let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
        Ok(is_hex(&id).then_some(id))
    }

    fn commit_info(&self, id: &str) -> Result<CommitInfo, SourceError> {
        let out = self.run(&["log", "-1", "--no-walk", "--format=%H%x00%ct%x00%s", id, "--"])?;
        let text = String::from_utf8_lossy(&out);
        parse_commit_line(text.lines().next().unwrap_or("")).ok_or_else(|| SourceError::BadRef(id.to_string()))
    }

    /// The commit HEAD points at.
    pub fn head(&self) -> Result<CommitInfo, SourceError> {
        match self.verify_commit("HEAD")? {
            Some(id) => self.commit_info(&id),
            None => Err(SourceError::BadRef("HEAD".into())),
        }
    }

    /// The branch development happens on: what `origin/HEAD` points at ("origin/main"), else
    /// `main`, else `master`, else "HEAD".
    pub fn default_branch(&self) -> Result<String, SourceError> {
        let out = self.run(&[
            "for-each-ref",
            "--format=%(refname)%00%(symref)",
            "refs/remotes/origin/HEAD",
            "refs/heads/main",
            "refs/heads/master",
        ])?;
        let text = String::from_utf8_lossy(&out);
        let mut refs: Vec<(&str, &str)> = Vec::new();
        for line in text.lines() {
            let mut p = line.splitn(2, '\0');
            refs.push((p.next().unwrap_or(""), p.next().unwrap_or("")));
        }
        if let Some((_, target)) = refs.iter().find(|(r, s)| *r == "refs/remotes/origin/HEAD" && !s.is_empty()) {
            if let Some(b) = target.strip_prefix("refs/remotes/") {
                return Ok(b.to_string());
            }
        }
        for want in ["refs/heads/main", "refs/heads/master"] {
            if refs.iter().any(|(r, _)| *r == want) {
                return Ok(want.trim_start_matches("refs/heads/").to_string());
            }
        }
        Ok("HEAD".into())
    }

    /// All tags that lead to a commit, oldest first (one `git for-each-ref` call, kept for the
    /// life of this value: tags added later are not seen).
    pub fn tags(&self) -> Result<Vec<Tag>, SourceError> {
        if let Some(t) = self.tags.get() {
            return Ok(t.clone());
        }
        let tags = self.read_tags()?;
        Ok(self.tags.get_or_init(|| tags).clone())
    }

    fn read_tags(&self) -> Result<Vec<Tag>, SourceError> {
        let out = self.run(&[
            "for-each-ref",
            "--format=%(refname:strip=2)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(taggerdate:unix)%00%(committerdate:unix)%00%(*committerdate:unix)",
            "refs/tags",
        ])?;
        let text = String::from_utf8_lossy(&out);
        let mut tags = Vec::new();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\0').collect();
            if f.len() < 8 {
                continue;
            }
            let (commit, time) = match f[1] {
                "commit" => (f[2], f[6]),
                "tag" if f[3] == "commit" => (f[4], if f[5].is_empty() { f[7] } else { f[5] }),
                _ => continue,
            };
            let Ok(time) = time.trim().parse::<i64>() else { continue };
            let parsed = parse_tag_version(f[0]);
            tags.push(Tag {
                name: f[0].to_string(),
                commit: commit.to_string(),
                time,
                prerelease: parsed.as_ref().is_some_and(|v| v.prerelease),
                version: parsed.map(|v| v.version),
            });
        }
        tags.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.name.cmp(&b.name)));
        Ok(tags)
    }

    /// The tag of a released version: "8.10.1" finds `curl-8_10_1`, `v8.10.1`, `8.10.1`;
    /// "8.10" also finds "8.10.0". Release tags are preferred; "8.10.1-rc1" finds an rc tag.
    /// Development versions ("8.11.0-DEV") → None.
    pub fn tag_for_version(&self, version: &str) -> Result<Option<Tag>, SourceError> {
        let Some(q) = parse_query(version) else { return Ok(None) };
        let tags = self.tags()?;
        let matching = |t: &&Tag| t.version.as_deref().is_some_and(|v| versions_equal(v, &q.version));
        let found = if q.prerelease {
            tags.iter().filter(matching).find(|t| parse_tag_version(&t.name).is_some_and(|p| p.suffix == q.suffix))
        } else {
            // Prefer an exact spelling ("8.10" over "8.10.0"), then the oldest.
            let rel: Vec<&Tag> = tags.iter().filter(matching).filter(|t| !t.prerelease).collect();
            rel.iter().find(|t| t.version.as_deref() == Some(q.version.as_str())).or(rel.first()).copied()
        };
        Ok(found.cloned())
    }

    /// The newest release tag (a version, no rc/alpha/beta/pre suffix) created at or before `time`.
    pub fn release_at(&self, time: i64) -> Result<Option<Tag>, SourceError> {
        Ok(self.tags()?.into_iter().rfind(|t| t.time <= time && t.version.is_some() && !t.prerelease))
    }

    /// The oldest release (a version tag, not a pre-release) made after `time`.
    pub fn release_after(&self, time: i64) -> Result<Option<Tag>, SourceError> {
        Ok(self.tags()?.into_iter().find(|t| t.time > time && t.version.is_some() && !t.prerelease))
    }

    /// The newest commit on `branch`'s first-parent line committed at or before `time`.
    pub fn branch_at(&self, branch: &str, time: i64) -> Result<Option<CommitInfo>, SourceError> {
        let Some(tip) = self.verify_commit(branch)? else { return Err(SourceError::BadRef(branch.to_string())) };
        let before = format!("--before=@{time}");
        let out = self.run(&["log", "-1", "--first-parent", &before, "--format=%H%x00%ct%x00%s", &tip, "--"])?;
        let text = String::from_utf8_lossy(&out);
        Ok(text.lines().next().and_then(parse_commit_line))
    }

    /// The commit an abbreviated (4+ hex digits) or full id names; None for unknown, ambiguous
    /// or non-hex ids, and for ids of non-commit objects.
    pub fn commit(&self, prefix: &str) -> Result<Option<CommitInfo>, SourceError> {
        let prefix = prefix.trim();
        if prefix.len() < 4 || prefix.len() > 64 || !is_hex(prefix) {
            return Ok(None);
        }
        match self.verify_commit(prefix)? {
            Some(id) if id.starts_with(&prefix.to_ascii_lowercase()) => Ok(Some(self.commit_info(&id)?)),
            _ => Ok(None),
        }
    }

    /// A user's `--ref`: tag, branch, remote branch or commit id.
    pub fn resolve(&self, rev: &str) -> Result<CommitInfo, SourceError> {
        match self.verify_commit(rev.trim())? {
            Some(id) => self.commit_info(&id),
            None => Err(SourceError::BadRef(rev.to_string())),
        }
    }

    /// Whether commit `a` is an ancestor of (or equal to) commit `b`.
    pub fn is_ancestor(&self, a: &str, b: &str) -> Result<bool, SourceError> {
        let ia = self.verify_commit(a)?.ok_or_else(|| SourceError::BadRef(a.to_string()))?;
        let ib = self.verify_commit(b)?.ok_or_else(|| SourceError::BadRef(b.to_string()))?;
        let args = ["merge-base", "--is-ancestor", ia.as_str(), ib.as_str()];
        let out = self.run_status(&args)?;
        match out.code {
            Some(0) => Ok(true),
            Some(1) => Ok(false),
            _ => Err(SourceError::Git { args: args.join(" "), stderr: out.stderr }),
        }
    }

    /// How to name `rev` in a label: "tag curl-8_10_1 (abc123456789)".
    fn label_for(&self, rev: &str, info: &CommitInfo) -> String {
        let short = info.short();
        if is_hex(rev) && info.id.starts_with(&rev.to_ascii_lowercase()) {
            return format!("commit {short}");
        }
        let full = self
            .run(&["rev-parse", "--symbolic-full-name", rev])
            .map(|o| String::from_utf8_lossy(&o).trim().to_string())
            .unwrap_or_default();
        if let Some(t) = full.strip_prefix("refs/tags/") {
            format!("tag {t} ({short})")
        } else if let Some(b) = full.strip_prefix("refs/heads/").or_else(|| full.strip_prefix("refs/remotes/")) {
            format!("branch {b} ({short})")
        } else {
            format!("{rev} ({short})")
        }
    }

    /// The files of a commit (`git ls-tree -r -z -l`); contents are read on demand through one
    /// long-lived `git cat-file --batch` process.
    pub fn snapshot(&self, commit: &str, limits: &Limits) -> Result<Snapshot, SourceError> {
        let info = self.resolve(commit)?;
        let label = self.label_for(commit.trim(), &info);
        let args = ["ls-tree", "-r", "-z", "-l", "--full-tree", info.id.as_str()];
        let out = self.run(&args)?;
        let entries = parse_ls_tree(&out, limits)?;
        Ok(Snapshot::from_git(label, info, entries, self.git_dir.clone(), limits.clone()))
    }
}

/// `<mode> SP <type> SP <object> SP+ <size> TAB <path> NUL`, blobs only.
fn parse_ls_tree(out: &[u8], limits: &Limits) -> Result<Vec<Entry>, SourceError> {
    let mut entries = Vec::new();
    for rec in out.split(|&b| b == 0) {
        if rec.is_empty() {
            continue;
        }
        let Some(tab) = memchr::memchr(b'\t', rec) else { continue };
        let meta = String::from_utf8_lossy(&rec[..tab]);
        let path = String::from_utf8_lossy(&rec[tab + 1..]).into_owned();
        let mut f = meta.split_ascii_whitespace();
        let (Some(mode), Some(kind), Some(oid), Some(size)) = (f.next(), f.next(), f.next(), f.next()) else { continue };
        if kind != "blob" {
            continue;
        }
        let size = size.parse::<u64>().unwrap_or(u64::MAX);
        entries.push(Entry { path, size, oid: oid.to_string(), symlink: mode == "120000" });
        if entries.len() > limits.max_files {
            return Err(SourceError::LimitExceeded(format!(
                "more than {} files in the tree; raise Limits::max_files to read it",
                limits.max_files
            )));
        }
    }
    Ok(entries)
}

/// One `git cat-file --batch` process.
pub(crate) struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl CatFile {
    pub(crate) fn spawn(git_dir: &Path) -> Result<CatFile, SourceError> {
        let args = ["cat-file", "--batch"];
        let mut c = base_command(Some(git_dir), None);
        c.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null());
        let mut child = c.spawn().map_err(|e| spawn_error(e, &args))?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(SourceError::Git { args: args.join(" "), stderr: "no pipes".into() });
        };
        Ok(CatFile { child, stdin, stdout: BufReader::with_capacity(1 << 16, stdout) })
    }

    /// One response: Some(contents) or None for a missing object.
    fn read_response(stdout: &mut BufReader<ChildStdout>, max: u64) -> std::io::Result<Option<Vec<u8>>> {
        let mut header = Vec::with_capacity(100);
        stdout.read_until(b'\n', &mut header)?;
        if header.is_empty() {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "git cat-file ended"));
        }
        let h = String::from_utf8_lossy(&header);
        let mut f = h.split_ascii_whitespace();
        let (_oid, kind, size) = (f.next(), f.next(), f.next());
        if kind == Some("missing") || kind == Some("ambiguous") {
            return Ok(None);
        }
        let size: u64 = size.and_then(|s| s.parse().ok()).ok_or_else(|| bad_header(&h))?;
        if size > max {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("object of {size} bytes over the limit")));
        }
        let mut buf = vec![0u8; size as usize + 1];
        stdout.read_exact(&mut buf)?;
        buf.pop();
        Ok(Some(buf))
    }

    pub(crate) fn read_one(&mut self, oid: &str, max: u64) -> std::io::Result<Option<Vec<u8>>> {
        writeln!(self.stdin, "{oid}")?;
        self.stdin.flush()?;
        Self::read_response(&mut self.stdout, max)
    }

    /// Read many blobs: a writer thread feeds ids while this thread reads the answers, so
    /// neither pipe fills up. `each` gets (index into oids, contents or None).
    pub(crate) fn read_many(&mut self, oids: &[&str], max: u64, mut each: impl FnMut(usize, Option<Vec<u8>>)) -> std::io::Result<()> {
        let CatFile { child, stdin, stdout } = self;
        std::thread::scope(|s| {
            let writer = s.spawn(move || -> std::io::Result<()> {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut *stdin);
                for oid in oids {
                    w.write_all(oid.as_bytes())?;
                    w.write_all(b"\n")?;
                }
                w.flush()
            });
            let mut result = Ok(());
            for i in 0..oids.len() {
                match Self::read_response(stdout, max) {
                    Ok(c) => each(i, c),
                    Err(e) => {
                        // Unblock the writer before joining it.
                        let _ = child.kill();
                        result = Err(e);
                        break;
                    }
                }
            }
            let w = writer.join().unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")));
            result.and(w)
        })
    }
}

fn bad_header(h: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, format!("unexpected git cat-file header {:?}", h.trim()))
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl GitRepo {
    /// Whether an object (blob, tree, commit, tag) with this abbreviated (4+ hex digits) or full
    /// id exists; an ambiguous prefix exists. For checking the `index a1b2c3d..e4f5a6b` lines of
    /// a diff.
    pub fn object_exists(&self, prefix: &str) -> Result<bool, SourceError> {
        let prefix = prefix.trim();
        if prefix.len() < 4 || prefix.len() > 64 || !is_hex(prefix) {
            return Ok(false);
        }
        let out = self.run_status(&["cat-file", "-e", prefix])?;
        if out.code == Some(0) {
            return Ok(true);
        }
        // `cat-file -e` fails on ambiguous short ids too: those exist.
        Ok(out.stderr.contains("ambiguous"))
    }

    /// Whether the clone is shallow (its history is cut off, so a missing commit proves nothing).
    pub fn is_shallow(&self) -> Result<bool, SourceError> {
        if let Some(&s) = self.shallow.get() {
            return Ok(s);
        }
        let out = self.run(&["rev-parse", "--is-shallow-repository"])?;
        let s = String::from_utf8_lossy(&out).trim() == "true";
        Ok(*self.shallow.get_or_init(|| s))
    }
}
