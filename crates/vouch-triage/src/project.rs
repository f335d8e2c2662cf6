//! The project under triage: a plain source tree or a git repository, the choice of the version a
//! report is about, and a cache of the snapshots read (a queue of reports reuses them).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use serde::Serialize;
use vouch_claims::{ClaimKind, Report};
use vouch_source::{GitRepo, Limits, Repo, Snapshot, SourceError};

use crate::policy::Policy;

/// Which version to check, as the user asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// From the report: the version it names, else the release current at its date, else HEAD.
    Auto,
    /// A tag, branch or commit given with `--ref`.
    Ref(String),
    /// `--date`: the release current at that time (Unix seconds), with the text given.
    Date(i64, String),
}

/// One version of the project that claims are checked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    /// `tag curl-8_10_1`, `commit abc1234`, `tree /src/curl-8.10.1`.
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Why this version: `the report names version 8.10.1`, `release current at 2026-03-11`, ...
    pub how: String,
}

impl Version {
    /// Whether this is a release the report names itself (`8.10.1`), not the release before a
    /// development build it names (`8.11.0-DEV`).
    pub(crate) fn names_release(&self) -> bool {
        self.how.starts_with("the report names version") && !self.how.contains("development after")
    }

    /// Whether this is code of the report's own time consulted besides the version checked: the
    /// next release, or the default branch at the report's date (not the latest code, whose files
    /// have grown over the years).
    pub(crate) fn near_report_date(&self) -> bool {
        self.how == NEXT_RELEASE || self.how == DEFAULT_BRANCH_AT_DATE
    }

    /// Whether this is code from after the report, checked because the repository has no
    /// release before the report's date: a check found in it may be the report's own fix.
    pub(crate) fn postdates_report(&self) -> bool {
        self.how.ends_with(NONE_BEFORE)
    }
}

/// The end of `Version::how` when the first release after the report's date, or HEAD of a clone
/// with no release and no commit before that date, stands in for the code the report read.
const NONE_BEFORE: &str = "; the repository has none before it";

/// `Version::how` of a commit the report names.
pub(crate) const COMMIT_NAMED: &str = "a commit the report names";
/// How the main version was chosen when the report names neither a version nor a date.
pub(crate) const UNDATED_HEAD: &str = "the report names no version or date; HEAD";
/// `Version::how` of the default branch at the report's date.
pub(crate) const DEFAULT_BRANCH_AT_DATE: &str = "the default branch at the report's date";
/// `Version::how` of the first release after the report's date, consulted when a shallow clone's
/// default branch holds only releases (no development commits to read the date's code from).
pub(crate) const NEXT_RELEASE: &str =
    "the first release after the report's date (the shallow clone has no development commits of that date)";

/// The version checked, and the others a claim may hold at instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub main: Version,
    /// Other versions consulted when a claim does not hold at the main one.
    pub also: Vec<Version>,
    /// What the reader should know about the code checked: a clone older than the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A snapshot of the project at one version.
#[derive(Clone)]
pub struct View {
    pub version: Version,
    pub snapshot: Rc<Snapshot>,
}

/// The project a report is about.
pub struct Project {
    repo: Repo,
    /// The project's name as its folder says it (`curl` for `curl-8.10.1/` or `curl.git`).
    dir_name: Option<String>,
    /// The version a plain tree's folder name carries (`curl-8.10.1`).
    dir_version: Option<String>,
    /// A plain tree's date (its newest file), read once.
    tree_date: std::cell::OnceCell<Option<i64>>,
    /// For a git repository, the time of its newest commit or tag (one lookup per run).
    clone_date: std::cell::OnceCell<Option<i64>>,
    limits: Limits,
    snapshots: Recent<Snapshot>,
    line_maps: Recent<LineMap>,
    member_maps: Recent<MemberMap>,
}

/// The few most recently used entries of a cache keyed by commit: a queue of reports about many
/// releases reuses the versions it just read without keeping every release's index in memory.
struct Recent<T> {
    cap: usize,
    items: RefCell<Vec<(String, Rc<T>)>>,
}

impl<T> Recent<T> {
    fn new(cap: usize) -> Recent<T> {
        Recent { cap: cap.max(1), items: RefCell::new(Vec::new()) }
    }

    fn get(&self, key: &str) -> Option<Rc<T>> {
        let mut items = self.items.borrow_mut();
        let i = items.iter().position(|(k, _)| k == key)?;
        let entry = items.remove(i);
        let value = entry.1.clone();
        items.push(entry);
        Some(value)
    }

    fn put(&self, key: String, value: Rc<T>) {
        let mut items = self.items.borrow_mut();
        items.retain(|(k, _)| *k != key);
        if items.len() >= self.cap {
            items.remove(0);
        }
        items.push((key, value));
    }
}

/// Where each struct member name is first used (`->name` or `.name` in source), per snapshot.
pub(crate) struct MemberMap {
    pub paths: Vec<String>,
    pub first: HashMap<String, (u32, u32)>,
}

/// Where each significant normalised source line occurs, for finding the file of an uncited snippet.
struct LineMap {
    paths: Vec<String>,
    lines: HashMap<String, Vec<u32>>,
}

const HEAD_KEY: &str = "\0tree";

/// `curl-8.10.1` → `curl`, `curl.git` → `curl`, `openssl_3.0` → `openssl`; `None` for names that
/// say nothing (`src`, `tmp.X`, all digits).
/// The version a release folder's name carries (`curl-8.10.1` → `8.10.1`, `libssh2-v1.11` →
/// `1.11`, `curl-8_10_1` → `8.10.1`), when the suffix looks like a version.
fn version_of_folder(name: &str) -> Option<String> {
    let n = name.strip_suffix(".git").unwrap_or(name);
    let (i, _) = n
        .char_indices()
        .find(|&(i, c)| i > 0 && matches!(c, '-' | '_' | '.') && n[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == 'v'))?;
    let v = n[i + 1..].trim_start_matches('v').replace('_', ".");
    let parts: Vec<&str> = v.split('.').collect();
    (parts.len() >= 2 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))).then_some(v)
}

fn name_of_folder(name: &str) -> Option<String> {
    let n = name.strip_suffix(".git").unwrap_or(name);
    let cut = n
        .char_indices()
        .find(|&(i, c)| i > 0 && matches!(c, '-' | '_' | '.') && n[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == 'v'))
        .map_or(n, |(i, _)| &n[..i]);
    let lower = cut.to_ascii_lowercase();
    let ok = lower.len() >= 2
        && lower.bytes().any(|b| b.is_ascii_alphabetic())
        && lower.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !matches!(lower.as_str(), "src" | "source" | "repo" | "repository" | "project" | "code" | "work" | "main" | "master" | "tmp");
    ok.then_some(lower)
}

impl Project {
    /// Opens `dir`: a git repository (read without checking out) or a plain source tree.
    pub fn open(dir: &Path, limits: Limits) -> Result<Project, SourceError> {
        let folder = std::fs::canonicalize(dir).ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().to_string()));
        let dir_name = folder.as_deref().and_then(name_of_folder);
        let dir_version = folder.as_deref().and_then(version_of_folder);
        Ok(Project {
            repo: Repo::open(dir)?,
            dir_name,
            dir_version,
            tree_date: std::cell::OnceCell::new(),
            clone_date: std::cell::OnceCell::new(),
            limits,
            snapshots: Recent::new(12),
            line_maps: Recent::new(6),
            member_maps: Recent::new(6),
        })
    }

    /// The project's name: the policy's `name`, else its folder's name without a version suffix.
    pub fn name(&self, policy: &Policy) -> Option<String> {
        policy.name.clone().or_else(|| self.dir_name.clone())
    }

    /// For a plain source tree that is visibly another release than the report's: why. A tree
    /// whose folder names its version is one when the report names versions and none of them (nor
    /// a range they span) is it. Claims that fail in such a tree may hold in the release the report
    /// is about, so they are not contradictions.
    ///
    /// A report naming no version is about the code of its date: a tree whose files are more
    /// than [`TREE_NEWER`] seconds newer than the report is another release too. The tree's date
    /// is the newest modification time among its top two folder levels (release tarballs and
    /// `git archive` keep the release's times; a copy that lost them looks newer, which only
    /// makes fewer claims count against the report).
    pub fn tree_mismatch(&self, report: &Report) -> Option<Mismatch> {
        let dir = match &self.repo {
            Repo::Tree(dir) => dir,
            Repo::Git(g) => {
                let latest = *self.clone_date.get_or_init(|| clone_date(g));
                return latest.and_then(|latest| newer_than_clone(g, latest, report)).or_else(|| skipped_release(g, report));
            }
        };
        let named: Vec<&vouch_claims::Claim> = report.claims.iter().filter(|c| c.kind == ClaimKind::Version && !c.negated).collect();
        if named.is_empty() {
            let reported = report.meta.date.as_deref().and_then(vouch_source::parse_date)?;
            let newest = (*self.tree_date.get_or_init(|| newest_mtime(dir)))?;
            return (newest - reported > TREE_NEWER).then(|| Mismatch {
                why: format!("this tree's files date from {} and the report from {}", day(newest), day(reported)),
                check: format!("the release current on {}", day(reported)),
                versions: false,
            });
        }
        let tree = self.dir_version.as_deref()?;
        let base = |v: &str| split_suffix(v).map_or(v, |(b, _)| b).trim_start_matches('v').to_string();
        let same = |v: &str| crate::verify::compare_versions(&base(v), tree).is_eq();
        if named.iter().any(|c| same(&c.text)) {
            return None;
        }
        // "7.64.0 through 8.5.0": a tree inside the affected range is a release the report is about.
        let cmp = |a: &str, b: &str| crate::verify::compare_versions(&base(a), &base(b));
        if let Some(end) = named.iter().find(|c| ends_range(c)) {
            if named.iter().any(|c| cmp(&c.text, tree).is_le()) && cmp(tree, &end.text).is_le() {
                return None;
            }
        }
        // "8.5.0 and later", "v7.43.0 - current": every release from it on.
        if named.iter().any(|c| open_range(c) && cmp(&c.text, tree).is_le()) {
            return None;
        }
        let about = named.iter().find(|c| ends_range(c)).or(named.first()).map(|c| c.text.clone())?;
        Some(Mismatch {
            why: format!("this tree is version {tree} and the report is about {about}"),
            check: format!("release {about}"),
            versions: false,
        })
    }

    /// Why line numbers of the report's day cannot be placed in this clone: it is shallow and
    /// the releases it has around the report's date are more than a year apart (libbpf 0.3, of
    /// 2021-01, and 1.1.2, of 2024-09, around a report of 2022-04). The code of that day lies
    /// between them; a file such as `src/libbpf.c` grows by thousands of lines in a year, so a
    /// line number cited then says nothing about either release. Names and quoted code are not
    /// excused this way (on the trackers vouch was measured on, excusing them by date alone let
    /// as many rejected claims through as confirmed bugs).
    pub(crate) fn lines_unplaced(&self, report: &Report) -> Option<String> {
        let Repo::Git(git) = &self.repo else { return None };
        let reported = report.meta.date.as_deref().and_then(vouch_source::parse_date)?;
        if !git.is_shallow().ok()? {
            return None;
        }
        let tags = git.tags().ok()?;
        let releases = || tags.iter().filter(|t| !t.prerelease && t.version.is_some());
        let below = releases().filter(|t| t.time <= reported).max_by_key(|t| t.time)?;
        let above = releases().filter(|t| t.time > reported).min_by_key(|t| t.time)?;
        (above.time - below.time > SPARSE_GAP && reported - below.time > LINES_MOVE).then(|| {
            format!(
                "this shallow clone has no code of the report's date ({}): its releases around it, {} of {} and {} of {}, are more than a year apart, and line numbers move in between",
                day(reported),
                below.name,
                day(below.time),
                above.name,
                day(above.time)
            )
        })
    }

    /// The git repository, when the project is one.
    pub fn git(&self) -> Option<&GitRepo> {
        match &self.repo {
            Repo::Git(g) => Some(g),
            Repo::Tree(_) => None,
        }
    }

    /// Decides which version `report` is checked at.
    pub fn choose(&self, report: &Report, at: &At, _policy: &Policy) -> Result<Checked, SourceError> {
        let git = match &self.repo {
            Repo::Tree(dir) => {
                if let At::Ref(r) = at {
                    return Err(SourceError::BadRef(format!(
                        "{r}: {} is a plain source tree, not a git repository, so --ref cannot select a version",
                        dir.display()
                    )));
                }
                let main = Version { label: format!("tree {}", dir.display()), commit: None, how: "the source tree given".into() };
                return Ok(Checked { main, also: Vec::new(), note: None });
            }
            Repo::Git(g) => g,
        };
        // A report's own date is when it was filed or disclosed: projects disclose on the day of
        // the release that fixes it, so the release current on that day is already fixed. The
        // report is about what was released before that day. `--date` is taken as given.
        let date = match at {
            At::Date(t, _) => Some(*t),
            _ => report.meta.date.as_deref().and_then(vouch_source::parse_date).map(|t| t - 86_400),
        };
        let date_text = match at {
            At::Date(_, s) => Some(s.clone()),
            _ => report.meta.date.clone(),
        };
        let mut main = None;
        if let At::Ref(r) = at {
            let c = git.resolve(r)?;
            main = Some(Version { label: format!("{r} ({})", short(&c.id)), commit: Some(c.id), how: "--ref".into() });
        }
        if main.is_none() && matches!(at, At::Auto) {
            let versions: Vec<&vouch_claims::Claim> = report.claims.iter().filter(|c| c.kind == ClaimKind::Version && !c.negated).collect();
            // "curl 7.77.0 through 8.21.0" (the affected range, wherever it is): the report read
            // the newest code of the range. Then the versions in the order the report names them.
            let range_end = versions.iter().find(|c| ends_range(c)).copied();
            let ordered: Vec<&vouch_claims::Claim> = range_end.into_iter().chain(versions.iter().copied()).collect();
            for claim in ordered {
                let found = release_for(git, &claim.text)?.map(|(tag, note)| (claim, tag, note));
                if let Some((claim, tag, note)) = found {
                    main = Some(Version {
                        label: format!("tag {} ({})", tag.name, short(&tag.commit)),
                        commit: Some(tag.commit.clone()),
                        how: format!("the report names version {}{note} (report line {})", claim.text, claim.report_line),
                    });
                    break;
                }
            }
        }
        if main.is_none() {
            if let Some(t) = date {
                if let Some(tag) = git.release_at(t)? {
                    main = Some(Version {
                        label: format!("tag {} ({})", tag.name, short(&tag.commit)),
                        commit: Some(tag.commit.clone()),
                        how: match at {
                            At::Date(..) => format!("the release current at {}", date_text.clone().unwrap_or_default()),
                            _ => format!("the release current before the report's date ({})", date_text.clone().unwrap_or_default()),
                        },
                    });
                } else if let Some(tag) = git.release_after(t)? {
                    // Older than every release of the repository (a history cut off, or a report
                    // from before the first release): the first release is the closest code.
                    main = Some(Version {
                        label: format!("tag {} ({})", tag.name, short(&tag.commit)),
                        commit: Some(tag.commit.clone()),
                        how: format!("the first release after the report's date ({}){NONE_BEFORE}", date_text.clone().unwrap_or_default()),
                    });
                }
            }
        }
        let head = git.head()?;
        // No release at all: HEAD. When the clone holds no commit from before the report (a
        // shallow clone of a project that tags no releases), HEAD is code from after it.
        let head_after = match date {
            Some(t) if main.is_none() && head.time > t => {
                git.default_branch().ok().and_then(|b| git.branch_at(&b, t).ok()).is_some_and(|c| c.is_none())
            }
            _ => false,
        };
        let main = main.unwrap_or_else(|| Version {
            label: format!("HEAD ({})", short(&head.id)),
            commit: Some(head.id.clone()),
            how: if head_after {
                format!("HEAD, from after the report's date ({}){NONE_BEFORE}", date_text.clone().unwrap_or_default())
            } else if date.is_some() {
                "no release before the report's date; HEAD".into()
            } else {
                UNDATED_HEAD.into()
            },
        });
        let mut also = Vec::new();
        let branch = git.default_branch()?;
        if let Some(t) = date {
            if let Some(c) = git.branch_at(&branch, t)? {
                // A shallow clone whose default branch holds only releases has lost the
                // development commits of the report's date: what the reporter read then is
                // closest to the first release after it. (In a full history that lacks them, the
                // code of the date is the release's, and later code is later.)
                let only_releases = git.is_shallow()? && git.release_at(t)?.is_some_and(|r| r.commit == c.id);
                also.push(Version {
                    label: format!("{branch} at {} ({})", date_text.clone().unwrap_or_default(), short(&c.id)),
                    commit: Some(c.id),
                    how: DEFAULT_BRANCH_AT_DATE.into(),
                });
                if only_releases {
                    if let Some(next) = git.release_after(t)? {
                        also.push(Version {
                            label: format!("tag {} ({})", next.name, short(&next.commit)),
                            commit: Some(next.commit.clone()),
                            how: NEXT_RELEASE.into(),
                        });
                    }
                }
            }
        }
        // Commits the report names ("also present in current master d9c2c64337"): what it saw.
        for claim in report.claims.iter().filter(|c| c.kind == ClaimKind::Commit && !c.negated).take(3) {
            if let Some(c) = git.commit(&claim.text)? {
                also.push(Version {
                    label: format!("commit {} (report line {})", short(&c.id), claim.report_line),
                    commit: Some(c.id),
                    how: COMMIT_NAMED.into(),
                });
            }
        }
        also.push(Version { label: format!("HEAD ({})", short(&head.id)), commit: Some(head.id.clone()), how: "the latest code".into() });
        let mut seen = vec![main.commit.clone()];
        also.retain(|v| {
            if seen.contains(&v.commit) {
                false
            } else {
                seen.push(v.commit.clone());
                true
            }
        });
        let note = date.and_then(|t| stale_clone(git, &head, &branch, t));
        Ok(Checked { main, also, note })
    }

    fn snapshot_of(&self, version: &Version) -> Result<Rc<Snapshot>, SourceError> {
        let key = version.commit.clone().unwrap_or_else(|| HEAD_KEY.to_string());
        if let Some(s) = self.snapshots.get(&key) {
            return Ok(s);
        }
        let snap = Rc::new(
            match &self.repo {
                Repo::Tree(dir) => Snapshot::open_tree(dir, &self.limits)?,
                Repo::Git(g) => g.snapshot(version.commit.as_deref().unwrap_or("HEAD"), &self.limits)?,
            }
            .with_project(self.dir_name.clone()),
        );
        self.snapshots.put(key, snap.clone());
        Ok(snap)
    }

    /// The snapshot at the main version.
    pub fn view(&self, checked: &Checked) -> Result<View, SourceError> {
        Ok(View { version: checked.main.clone(), snapshot: self.snapshot_of(&checked.main)? })
    }

    /// The snapshot at an alternative version.
    pub fn alternate(&self, version: &Version) -> Result<View, SourceError> {
        Ok(View { version: version.clone(), snapshot: self.snapshot_of(version)? })
    }
}

impl Project {
    /// The files (at most five) holding the most of these normalised lines, best first.
    pub(crate) fn files_containing(&self, view: &View, lines: &[String]) -> Result<Vec<String>, SourceError> {
        let key = view.version.commit.clone().unwrap_or_else(|| HEAD_KEY.to_string());
        let cached = self.line_maps.get(&key);
        let map = match cached {
            Some(m) => m,
            None => {
                let snap = &view.snapshot;
                let paths: Vec<String> = snap.paths().filter(|p| crate::code::is_source_path(p)).map(String::from).collect();
                let mut map: HashMap<String, Vec<u32>> = HashMap::new();
                for (i, p) in paths.iter().enumerate() {
                    let Some(text) = snap.read(p)? else { continue };
                    for l in text.lines() {
                        let n = crate::code::normalise(l);
                        for key in crate::code::match_keys(&n) {
                            let v = map.entry(key.to_string()).or_default();
                            if v.last() != Some(&(i as u32)) {
                                v.push(i as u32);
                            }
                        }
                    }
                }
                let m = Rc::new(LineMap { paths, lines: map });
                self.line_maps.put(key, m.clone());
                m
            }
        };
        let mut count: HashMap<u32, usize> = HashMap::new();
        for l in lines {
            if let Some(files) = map.lines.get(l) {
                // A line found in very many files (boilerplate) says little about which file.
                if files.len() <= 20 {
                    for &f in files {
                        *count.entry(f).or_default() += 1;
                    }
                }
            }
        }
        let mut ranked: Vec<(usize, u32)> = count.into_iter().map(|(f, c)| (c, f)).collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(map.paths[a.1 as usize].cmp(&map.paths[b.1 as usize])));
        Ok(ranked.into_iter().take(5).map(|(_, f)| map.paths[f as usize].clone()).collect())
    }
}

impl Project {
    /// The struct member names used in the project's source at `view` (`->name`, `.name` after an
    /// identifier, `)` or `]`), each with its first use (file index, line).
    pub(crate) fn members(&self, view: &View) -> Result<Rc<MemberMap>, SourceError> {
        let key = view.version.commit.clone().unwrap_or_else(|| HEAD_KEY.to_string());
        if let Some(m) = self.member_maps.get(&key) {
            return Ok(m);
        }
        let snap = &view.snapshot;
        let paths: Vec<String> = snap.paths().filter(|p| crate::code::is_source_path(p)).map(String::from).collect();
        let mut first: HashMap<String, (u32, u32)> = HashMap::new();
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        for (i, p) in paths.iter().enumerate() {
            let Some(text) = snap.read(p)? else { continue };
            for (ln, l) in text.lines().enumerate() {
                let b = l.as_bytes();
                let mut k = 0;
                while k < b.len() {
                    let start = if b[k] == b'-' && b.get(k + 1) == Some(&b'>') {
                        k + 2
                    } else if b[k] == b'.' && k > 0 && (ident(b[k - 1]) || matches!(b[k - 1], b')' | b']')) && !b[k - 1].is_ascii_digit() {
                        k + 1
                    } else {
                        k += 1;
                        continue;
                    };
                    let mut e = start;
                    while e < b.len() && ident(b[e]) {
                        e += 1;
                    }
                    if e > start && (b[start].is_ascii_alphabetic() || b[start] == b'_') {
                        first.entry(l[start..e].to_string()).or_insert((i as u32, ln as u32 + 1));
                    }
                    k = e.max(k + 1);
                }
            }
        }
        let m = Rc::new(MemberMap { paths, first });
        self.member_maps.put(key, m.clone());
        Ok(m)
    }
}

/// The first ten characters of a commit id.
/// The release tag a version named in a report stands for, and a note on how it was mapped:
/// the tag of that version; for a distribution package (`8.14.1-r2`, `8.5.0-2ubuntu10.6`,
/// `7.88.1-10+deb12u5`) the upstream release; for a development version (`8.21.0-DEV`) the
/// newest release before it.
/// Whether a version claim ends a range in its sentence: `7.77.0 through 8.21.0`, `from 8.5.0 to
/// 8.21.0`, `8.3.0 - 8.21.0`, `curl 7.68.0 up to curl 8.10.1`.
fn ends_range(c: &vouch_claims::Claim) -> bool {
    let ctx = c.context.to_ascii_lowercase();
    let Some(pos) = ctx.find(&c.text.to_ascii_lowercase()) else { return false };
    let before = ctx[..pos].trim_end();
    let before = before.strip_suffix("libcurl").or_else(|| before.strip_suffix("curl")).unwrap_or(before).trim_end();
    let Some(rest) = ["through", "thru", "up to", "until", "to", "-", "\u{2013}", "\u{2014}", "...", ".."]
        .iter()
        .find_map(|w| before.strip_suffix(w).filter(|r| w.len() <= 2 || r.is_empty() || r.ends_with(' ')))
    else {
        return false;
    };
    let rest = rest.trim_end();
    let rest = rest.strip_suffix(',').unwrap_or(rest).trim_end();
    // The start of the range: a version right before (`8.5.0`, `v8.5.0`, `curl-8_5_0`, `7.x`).
    let start = rest.rsplit(|ch: char| ch.is_whitespace() || ch == '(').next().unwrap_or("");
    let digits = start.trim_start_matches(|ch: char| !ch.is_ascii_digit());
    digits.len() >= 3 && digits.contains(['.', '_']) && digits.starts_with(|ch: char| ch.is_ascii_digit())
}

/// Why a plain tree is not the release a report is about, and what to check it against instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub why: String,
    pub check: String,
    /// Whether the versions the report names are among what the repository cannot know (releases
    /// newer than a stale clone), not only its code.
    pub versions: bool,
}

/// How far apart two releases of a shallow clone must be for the code between them to be unknown
/// to it: a year of development commits the clone lacks.
const SPARSE_GAP: i64 = 365 * 86_400;

/// How long after the release checked a report's line numbers may still be that release's.
const LINES_MOVE: i64 = 90 * 86_400;

/// A shallow clone that holds only some releases (as one fetched tag by tag, or built from
/// release tarballs), of which the report names only releases it lacks, each between two it has
/// that are more than a year apart (`1.17.5` in a clone of 1.15.1, of 2023-02, and 1.19.7, of
/// 2025-03): the code the report cites may be of that release, so what the neighbouring releases
/// lack cannot contradict it. Where the clone's releases are close (8.12.1 and 8.14.1, four
/// months apart) it still can. A report naming no release is not placed by its date this way:
/// on the trackers vouch was measured on, that excused as many rejected claims as confirmed bugs.
fn skipped_release(git: &vouch_source::GitRepo, report: &Report) -> Option<Mismatch> {
    let base = |v: &str| split_suffix(v).map_or(v, |(b, _)| b).trim_start_matches('v').to_string();
    let named: Vec<String> = report.claims.iter().filter(|c| c.kind == ClaimKind::Version && !c.negated).map(|c| base(&c.text)).collect();
    if named.is_empty() || !git.is_shallow().ok()? {
        return None;
    }
    let tags = git.tags().ok()?;
    // (time, version, tag), by version.
    let mut releases: Vec<(i64, &str, &str)> =
        tags.iter().filter(|t| !t.prerelease).filter_map(|t| t.version.as_deref().map(|v| (t.time, v, t.name.as_str()))).collect();
    releases.sort_by(|a, b| crate::verify::compare_versions(a.1, b.1));
    let far = |below: &(i64, &str, &str), above: &(i64, &str, &str)| above.0 - below.0 > SPARSE_GAP;
    let mut around: Vec<(&str, &str)> = Vec::new();
    for v in &named {
        if releases.iter().any(|r| crate::verify::compare_versions(r.1, v).is_eq()) {
            return None;
        }
        let i = releases.partition_point(|r| crate::verify::compare_versions(r.1, v).is_lt());
        let (Some(below), Some(above)) = (i.checked_sub(1).and_then(|k| releases.get(k)), releases.get(i)) else { return None };
        if !far(below, above) {
            return None;
        }
        around.push((below.2, above.2));
    }
    let (below, above) = around[0];
    Some(Mismatch {
        why: format!(
            "the report names {}, a release this shallow clone lacks (it has {below} and {above}, more than a year apart)",
            named.join(", ")
        ),
        check: format!("a clone that has release {}", named[0]),
        versions: true,
    })
}

/// A git repository older than the report, which names only releases newer than every release
/// the repository has (`1.6.51` in a clone whose newest release is 1.6.50 and whose newest commit
/// predates the report): the code the report cites may be newer than the clone, so what the clone
/// lacks cannot contradict it. A release the repository should have had by the report's date (a
/// version older than its newest) still can.
fn newer_than_clone(git: &vouch_source::GitRepo, latest: i64, report: &Report) -> Option<Mismatch> {
    let reported = report.meta.date.as_deref().and_then(vouch_source::parse_date)?;
    let base = |v: &str| split_suffix(v).map_or(v, |(b, _)| b).trim_start_matches('v').to_string();
    let named: Vec<String> = report.claims.iter().filter(|c| c.kind == ClaimKind::Version && !c.negated).map(|c| base(&c.text)).collect();
    if named.is_empty() {
        return None;
    }
    if latest >= reported {
        return None;
    }
    let tags = git.tags().ok()?;
    let newest = tags
        .iter()
        .filter(|t| !t.prerelease)
        .filter_map(|t| t.version.as_deref().map(|v| (v, t)))
        .max_by(|a, b| crate::verify::compare_versions(a.0, b.0))?;
    // Only the project's next releases: a version of the same major number (`21.1.8` beside
    // lcms 2.17 is a compiler's).
    let major = |v: &str| v.split('.').next().unwrap_or("").to_string();
    let next = |v: &String| crate::verify::compare_versions(v, newest.0).is_gt() && major(v) == major(newest.0);
    if !named.iter().all(next) {
        return None;
    }
    Some(Mismatch {
        why: format!(
            "the report names {}, newer than every release of this clone (the newest, {}, and its latest commit, of {}, predate the report of {})",
            named.join(", "),
            newest.1.name,
            day(latest),
            day(reported)
        ),
        check: format!("a clone that has release {}", named[0]),
        versions: true,
    })
}

/// The time of a clone's newest commit at HEAD or tag.
fn clone_date(git: &vouch_source::GitRepo) -> Option<i64> {
    let head = git.head().ok()?;
    Some(head.time.max(git.tags().ok()?.iter().map(|t| t.time).max().unwrap_or(0)))
}

/// How much newer than a report (which names no version) a tree may be and still be its release.
const TREE_NEWER: i64 = 90 * 86_400;

/// How much older than the report a repository's newest commit may be before the clone may be
/// stale.
const STALE_AFTER: i64 = 14 * 86_400;

/// A clone that may lack the code a report read: its newest commit (HEAD or the default branch)
/// is more than two weeks older than the report, and git last wrote to it (a fetch, pull,
/// checkout or the clone itself) before the report's date. A quiet project fetched since has no
/// note: its newest commit is the code of the report's day.
fn stale_clone(git: &vouch_source::GitRepo, head: &vouch_source::CommitInfo, branch: &str, report: i64) -> Option<String> {
    let tip = git.commit(branch).ok().flatten().map_or(head.time, |c| c.time.max(head.time));
    if report - tip <= STALE_AFTER {
        return None;
    }
    let dir = git.git_dir();
    let updated = ["FETCH_HEAD", "ORIG_HEAD", "HEAD", "index", "packed-refs", "logs/HEAD"]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok()?.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs() as i64)
        .max()?;
    (updated < report).then(|| {
        format!(
            "the repository's newest commit is from {}, {} days before the report, and the clone was last updated on {}: code \
             the report read may be missing (fetch, then triage again; a name \"not found\" may only be newer than the clone)",
            day(tip),
            (report - tip) / 86_400,
            day(updated)
        )
    })
}

/// `YYYY-MM-DD` of unix seconds.
fn day(secs: i64) -> String {
    vouch_report::time::format_unix(secs)[..10].to_string()
}

/// The newest modification time (unix seconds) of the files in `dir` and its direct subfolders,
/// hidden ones (`.git`) left out.
fn newest_mtime(dir: &Path) -> Option<i64> {
    let mtime = |m: &std::fs::Metadata| m.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs() as i64);
    let mut newest: Option<i64> = None;
    let visible = |e: &std::fs::DirEntry| !e.file_name().to_string_lossy().starts_with('.');
    for entry in std::fs::read_dir(dir).ok()?.flatten().filter(visible) {
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            for sub in std::fs::read_dir(entry.path()).into_iter().flatten().flatten().filter(visible).take(5_000) {
                if let Some(t) = sub.metadata().ok().filter(|m| m.is_file()).as_ref().and_then(mtime) {
                    newest = newest.max(Some(t));
                }
            }
        } else if let Some(t) = meta.is_file().then(|| mtime(&meta)).flatten() {
            newest = newest.max(Some(t));
        }
    }
    newest
}

/// Whether the report names `c` as the start of an open range ("8.5.0 and later", "7.43.0 - current").
fn open_range(c: &vouch_claims::Claim) -> bool {
    let ctx = c.context.to_ascii_lowercase();
    let Some(pos) = ctx.find(&c.text.to_ascii_lowercase()) else { return false };
    let after = ctx[pos + c.text.len()..].trim_start().trim_start_matches(['-', '\u{2013}', '\u{2014}', ',']).trim_start();
    let after =
        after.strip_prefix("to ").or_else(|| after.strip_prefix("through ")).or_else(|| after.strip_prefix("until ")).unwrap_or(after);
    [
        "and later",
        "or later",
        "and newer",
        "or newer",
        "and above",
        "onwards",
        "onward",
        "and up",
        "+",
        "current",
        "latest",
        "present",
        "now",
        "master",
        "head",
    ]
    .iter()
    .any(|w| after.starts_with(w) || after.starts_with(&format!("the {w}")))
}

pub(crate) fn release_for(git: &GitRepo, version: &str) -> Result<Option<(vouch_source::Tag, String)>, SourceError> {
    if let Some(t) = git.tag_for_version(version)? {
        return Ok(Some((t, String::new())));
    }
    let Some((base, suffix)) = split_suffix(version) else { return Ok(None) };
    match suffix_kind(suffix) {
        Suffix::Distribution => Ok(git.tag_for_version(base)?.map(|t| (t, format!(", a distribution package of {base}")))),
        Suffix::Development => {
            let before = git
                .tags()?
                .into_iter()
                .filter(|t| !t.prerelease)
                .filter(|t| t.version.as_deref().is_some_and(|v| crate::verify::compare_versions(v, base).is_lt()))
                .max_by(|a, b| {
                    crate::verify::compare_versions(a.version.as_deref().unwrap_or(""), b.version.as_deref().unwrap_or(""))
                        .then(a.time.cmp(&b.time))
                });
            Ok(before.map(|t| {
                let v = t.version.clone().unwrap_or_default();
                (t, format!(", development after {v}: its newest release"))
            }))
        }
        Suffix::Other => Ok(None),
    }
}

/// `8.14.1-r2` → (`8.14.1`, `r2`).
pub(crate) fn split_suffix(version: &str) -> Option<(&str, &str)> {
    let v = version.trim().trim_start_matches(['v', 'V']);
    let p = v.find(['-', '+', '~'])?;
    let (base, suffix) = (&v[..p], &v[p + 1..]);
    (base.split('.').count() >= 2 && base.split('.').all(|x| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit())) && !suffix.is_empty())
        .then_some((base, suffix))
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Suffix {
    Distribution,
    Development,
    Other,
}

pub(crate) fn suffix_kind(suffix: &str) -> Suffix {
    let s = suffix.to_ascii_lowercase();
    if s.starts_with("dev") || s.starts_with("git") || s.starts_with("snapshot") || s == "master" || s == "main" || s.starts_with("nightly")
    {
        Suffix::Development
    } else if s.starts_with(|c: char| c.is_ascii_digit())
        || (s.starts_with('r') || s.starts_with('p')) && s[1..].bytes().all(|b| b.is_ascii_digit()) && s.len() > 1
        || s.starts_with("deb")
        || s.starts_with("ubuntu")
        || s.starts_with("el")
        || s.starts_with("fc")
    {
        Suffix::Distribution
    } else {
        Suffix::Other
    }
}

pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(10)]
}

#[cfg(test)]
mod tests {
    use super::{name_of_folder, Recent};
    use std::rc::Rc;

    #[test]
    fn the_cache_keeps_the_most_recently_used() {
        let c: Recent<u32> = Recent::new(2);
        c.put("a".into(), Rc::new(1));
        c.put("b".into(), Rc::new(2));
        assert_eq!(c.get("a").as_deref(), Some(&1));
        // "b" is now the least recently used and goes first.
        c.put("c".into(), Rc::new(3));
        assert!(c.get("b").is_none());
        assert_eq!(c.get("a").as_deref(), Some(&1));
        assert_eq!(c.get("c").as_deref(), Some(&3));
        c.put("c".into(), Rc::new(4));
        assert_eq!(c.get("c").as_deref(), Some(&4));
        assert_eq!(c.items.borrow().len(), 2);
    }

    #[test]
    fn version_suffixes() {
        use super::{split_suffix, suffix_kind, Suffix};
        assert_eq!(split_suffix("8.14.1-r2"), Some(("8.14.1", "r2")));
        assert_eq!(split_suffix("8.21.0-DEV"), Some(("8.21.0", "DEV")));
        assert_eq!(split_suffix("7.88.1-10+deb12u5"), Some(("7.88.1", "10+deb12u5")));
        assert_eq!(split_suffix("8.10.1"), None);
        assert_eq!(suffix_kind("r2"), Suffix::Distribution);
        assert_eq!(suffix_kind("2ubuntu10.6"), Suffix::Distribution);
        assert_eq!(suffix_kind("2"), Suffix::Distribution);
        assert_eq!(suffix_kind("DEV"), Suffix::Development);
        assert_eq!(suffix_kind("rc1"), Suffix::Other);
        assert_eq!(suffix_kind("beta"), Suffix::Other);
    }

    #[test]
    fn project_names_from_folders() {
        assert_eq!(name_of_folder("curl-8.10.1").as_deref(), Some("curl"));
        assert_eq!(name_of_folder("curl.git").as_deref(), Some("curl"));
        assert_eq!(name_of_folder("openssl_3.0.2").as_deref(), Some("openssl"));
        assert_eq!(name_of_folder("libssh2-v1.11").as_deref(), Some("libssh2"));
        assert_eq!(name_of_folder("minihttp").as_deref(), Some("minihttp"));
        assert_eq!(name_of_folder("src"), None);
        assert_eq!(name_of_folder("1234"), None);
        assert_eq!(name_of_folder(".tmpAbC12"), None);
        assert_eq!(super::version_of_folder("curl-8.10.1").as_deref(), Some("8.10.1"));
        assert_eq!(super::version_of_folder("curl-8_10_1").as_deref(), Some("8.10.1"));
        assert_eq!(super::version_of_folder("libssh2-v1.11").as_deref(), Some("1.11"));
        assert_eq!(super::version_of_folder("minihttp"), None);
        assert_eq!(super::version_of_folder("curl-master"), None);
        assert_eq!(super::version_of_folder("curl-8"), None);
    }
}
