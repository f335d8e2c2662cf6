//! Matching packages against advisories: the OSV algorithm per affected entry, malicious-package
//! checks that respect private registries, de-duplication by alias, ignores, and the lowest
//! version that fixes every advisory of a package.

use crate::config::Ignore;
use crate::eval::{self, Why};
use crate::severity::{self, Kind, Rating};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use vouch_lockfile::{Lockfile, Problem, Spec};
use vouch_osv::{Advisory, Affected};
use vouch_pkg::Ecosystem;
use vouch_report::Severity;

/// Where advisories come from: the on-disk store, or memory in tests.
pub trait Advisories {
    /// Every advisory (withdrawn ones excluded) with an affected entry for this package; `name`
    /// is as the lockfile writes it.
    fn lookup(&self, eco: &Ecosystem, name: &str) -> Result<Vec<Advisory>, String>;
}

impl Advisories for vouch_osv::Store {
    fn lookup(&self, eco: &Ecosystem, name: &str) -> Result<Vec<Advisory>, String> {
        vouch_osv::Store::lookup(self, eco, name).map_err(|e| e.to_string())
    }
}

/// Advisories held in memory (tests, embedding).
impl Advisories for Vec<Advisory> {
    fn lookup(&self, eco: &Ecosystem, name: &str) -> Result<Vec<Advisory>, String> {
        let want = eco.normalise_name(name);
        Ok(self
            .iter()
            .filter(|a| a.withdrawn.is_none())
            .filter(|a| a.affected.iter().any(|af| entry_is_for(af, eco, &want)))
            .cloned()
            .collect())
    }
}

/// Whether an affected entry names this package (ecosystem and normalised name).
fn entry_is_for(af: &Affected, eco: &Ecosystem, normalised: &str) -> bool {
    af.package.as_ref().is_some_and(|p| {
        let pe = Ecosystem::parse(&p.ecosystem);
        &pe == eco && pe.normalise_name(&p.name) == normalised
    })
}

/// A package as found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageRef {
    pub name: String,
    pub ecosystem: Ecosystem,
    /// The pinned version, or the requirement/git/path text for unaudited packages.
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub file: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// An ignore that applied to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IgnoredBy {
    pub id: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

/// One advisory (with its aliases merged) matching one package.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub package: PackageRef,
    /// The advisory id shown (preference: MAL, GHSA, the ecosystem's database, CVE).
    pub id: String,
    /// Every other id of the merged advisories and their aliases.
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub kind: Kind,
    pub rating: Rating,
    /// Why the installed version matched.
    pub why: Why,
    /// Versions that fix this advisory (from its `fixed` events), lowest first.
    pub fixed: Vec<String>,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ignored: Option<IgnoredBy>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rating.severity
    }
}

/// A package that was not (fully) checked, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unaudited {
    pub package: PackageRef,
    pub reason: String,
}

/// The suggested upgrade for a vulnerable package.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub name: String,
    pub ecosystem: Ecosystem,
    pub installed: String,
    /// The lowest version that none of the package's (non-ignored) advisories affect; `None`
    /// when no fixed version is known.
    pub suggested: Option<String>,
    pub advisories: Vec<String>,
}

/// What one input contributed.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    pub path: PathBuf,
    pub format: String,
    pub packages: usize,
    pub problems: Vec<Problem>,
}

/// The result of an audit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AuditReport {
    pub inputs: Vec<InputSummary>,
    pub findings: Vec<Finding>,
    pub unaudited: Vec<Unaudited>,
    pub fixes: Vec<Fix>,
    /// Ignores in the configuration whose expiry date has passed (they no longer apply).
    pub expired_ignores: Vec<Ignore>,
    /// Other remarks: GIT ranges skipped, malicious-package advisories not applied to private
    /// registries, unreadable severity vectors.
    pub notes: Vec<String>,
    /// Packages checked against the advisories.
    pub audited: usize,
    /// Local (path) packages, which have no published versions to check.
    pub local: usize,
}

impl AuditReport {
    /// Findings that are not ignored.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.ignored.is_none())
    }

    /// Whether some package or input was not fully analysed.
    pub fn incomplete(&self) -> bool {
        !self.unaudited.is_empty() || self.inputs.iter().any(|i| !i.problems.is_empty())
    }
}

/// Audit options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub ignores: Vec<Ignore>,
    /// Today in days since 1970-01-01 (for ignore expiry).
    pub today: i64,
}

/// Audits the packages of `inputs` against `db`. `Err` only when the advisory source fails.
pub fn audit(inputs: &[Lockfile], db: &dyn Advisories, opts: &Options) -> Result<AuditReport, String> {
    let mut report = AuditReport::default();
    let (active_ignores, expired): (Vec<&Ignore>, Vec<&Ignore>) =
        opts.ignores.iter().partition(|ig| ig.expires.as_deref().and_then(crate::config::parse_date).is_none_or(|d| d >= opts.today));
    report.expired_ignores = expired.into_iter().cloned().collect();
    let mut cache: HashMap<(Ecosystem, String), Vec<Advisory>> = HashMap::new();
    let mut git_skipped = 0usize;
    for lf in inputs {
        report.inputs.push(InputSummary {
            path: lf.path.clone(),
            format: lf.format.to_string(),
            packages: lf.packages.len(),
            problems: lf.problems.clone(),
        });
        for p in &lf.packages {
            let pref = |version: String| PackageRef {
                name: p.name.clone(),
                ecosystem: p.ecosystem.clone(),
                purl: match &p.version {
                    Spec::Exact(v) => vouch_pkg::purl(&p.ecosystem, &p.name, Some(v)),
                    _ => vouch_pkg::purl(&p.ecosystem, &p.name, None),
                },
                version,
                source: p.source.clone(),
                file: lf.path.clone(),
                line: p.line,
            };
            let version = match &p.version {
                Spec::Exact(v) => v.clone(),
                Spec::Path(_) => {
                    report.local += 1;
                    continue;
                }
                Spec::Git { url, rev } => {
                    let text = format!("{url}{}", rev.as_deref().map(|r| format!("@{r}")).unwrap_or_default());
                    report.unaudited.push(Unaudited {
                        package: pref(text),
                        reason: "installed from a git repository: advisories name released versions, so it was not checked".into(),
                    });
                    continue;
                }
                Spec::Unpinned(req) => {
                    report.unaudited.push(Unaudited {
                        package: pref(req.clone()),
                        reason: format!("unpinned requirement {req:?}: pin it or audit the lockfile to check the version really installed"),
                    });
                    continue;
                }
            };
            report.audited += 1;
            let key = (p.ecosystem.clone(), p.ecosystem.normalise_name(&p.name));
            if !cache.contains_key(&key) {
                let advs = db.lookup(&p.ecosystem, &p.name)?;
                cache.insert(key.clone(), advs);
            }
            let advs = &cache[&key];
            let pkg = pref(version.clone());
            let mut matches: Vec<Match> = vec![];
            for adv in advs {
                if adv.withdrawn.is_some() {
                    continue;
                }
                let kind = severity::kind(adv);
                if kind == Kind::Malicious && !is_public_registry(&p.ecosystem, p.source.as_deref()) {
                    report.notes.push(format!(
                        "{}: {} {} comes from {}, not the public registry the malicious-package report {} is about; not matched",
                        lf.path.display(),
                        p.name,
                        version,
                        p.source.as_deref().unwrap_or("?"),
                        adv.id
                    ));
                    continue;
                }
                let mut unevaluated: Vec<String> = vec![];
                let mut hit = None;
                for af in adv.affected.iter().filter(|af| entry_is_for(af, &p.ecosystem, &key.1)) {
                    let ev = eval::evaluate(&p.ecosystem, &version, af);
                    if let Some(why) = ev.matched {
                        git_skipped += ev.unevaluated.iter().filter(|u| u.starts_with("GIT")).count();
                        hit = Some((why, ev.fixes, af));
                        break;
                    }
                    // Entries that evaluated some range or list say "not affected"; an entry
                    // with nothing evaluable leaves the question open.
                    let evaluable = af.ranges.iter().any(|r| !matches!(r.kind, vouch_osv::RangeKind::Git)) || !af.versions.is_empty();
                    let only_git = ev.unevaluated.iter().all(|u| u.starts_with("GIT"));
                    if evaluable && only_git {
                        git_skipped += ev.unevaluated.len();
                    } else {
                        unevaluated.extend(ev.unevaluated);
                    }
                }
                match hit {
                    Some((why, fixes, af)) => {
                        let rating = severity::rate(adv, Some(af));
                        for u in &rating.unreadable {
                            report.notes.push(format!("{}: {u}", adv.id));
                        }
                        matches.push(Match { adv, why, fixes, rating, kind, affected: af });
                    }
                    None if !unevaluated.is_empty() => {
                        report.unaudited.push(Unaudited { package: pkg.clone(), reason: format!("{}: {}", adv.id, unevaluated.join("; ")) })
                    }
                    None => {}
                }
            }
            if matches.is_empty() {
                continue;
            }
            let groups = group_by_alias(&matches);
            let mut fixing: Vec<&Match> = vec![];
            let mut fix_ids = vec![];
            for g in groups {
                let f = merge(&pkg, &g, &active_ignores);
                if f.ignored.is_none() {
                    fixing.extend(g.iter().copied());
                    fix_ids.push(f.id.clone());
                }
                report.findings.push(f);
            }
            if !fixing.is_empty() {
                report.fixes.push(Fix {
                    name: p.name.clone(),
                    ecosystem: p.ecosystem.clone(),
                    installed: version.clone(),
                    suggested: suggest(&p.ecosystem, &version, &fixing),
                    advisories: fix_ids,
                });
            }
        }
    }
    if git_skipped > 0 {
        report.notes.push(format!(
            "{git_skipped} GIT range(s) were not evaluated: they are defined by commits; the same advisories' version ranges were"
        ));
    }
    report
        .findings
        .sort_by(|a, b| b.severity().cmp(&a.severity()).then_with(|| a.package.name.cmp(&b.package.name)).then_with(|| a.id.cmp(&b.id)));
    Ok(report)
}

struct Match<'a> {
    adv: &'a Advisory,
    why: Why,
    fixes: Vec<String>,
    rating: Rating,
    kind: Kind,
    affected: &'a Affected,
}

/// Groups matches whose ids or aliases overlap (transitively).
fn group_by_alias<'m, 'a>(matches: &'m [Match<'a>]) -> Vec<Vec<&'m Match<'a>>> {
    let n = matches.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, m) in matches.iter().enumerate() {
        for id in std::iter::once(m.adv.id.as_str()).chain(m.adv.aliases.iter().map(String::as_str)) {
            match owner.get(id) {
                Some(&j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&Match>> = BTreeMap::new();
    for (i, m) in matches.iter().enumerate() {
        let r = find(&mut parent, i);
        groups.entry(r).or_default().push(m);
    }
    groups.into_values().collect()
}

/// Rank of an id as the one to show (lower is preferred).
fn id_rank(id: &str) -> u8 {
    if id.starts_with("MAL-") {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        3
    } else {
        2
    }
}

fn merge(pkg: &PackageRef, group: &[&Match], ignores: &[&Ignore]) -> Finding {
    let primary =
        group.iter().min_by(|a, b| id_rank(&a.adv.id).cmp(&id_rank(&b.adv.id)).then_with(|| a.adv.id.cmp(&b.adv.id))).expect("non-empty");
    let mut ids: Vec<String> = group
        .iter()
        .flat_map(|m| std::iter::once(m.adv.id.clone()).chain(m.adv.aliases.iter().cloned()))
        .filter(|i| *i != primary.adv.id)
        .collect();
    ids.sort();
    ids.dedup();
    let rating = group.iter().map(|m| m.rating.clone()).max_by(|a, b| a.severity.cmp(&b.severity)).expect("non-empty");
    let kind = if group.iter().any(|m| m.kind == Kind::Malicious) { Kind::Malicious } else { primary.kind };
    let mut fixed: Vec<String> = group.iter().flat_map(|m| m.fixes.iter().cloned()).collect();
    eval::sort_by(&mut fixed, |a, b| eval::cmp_versions(&pkg.ecosystem, a, b));
    fixed.dedup();
    let summary = group.iter().find_map(|m| summary(m.adv));
    let url = advisory_url(primary.adv);
    let all_ids: Vec<&str> = std::iter::once(primary.adv.id.as_str()).chain(ids.iter().map(String::as_str)).collect();
    let ignored = ignores.iter().find(|ig| all_ids.iter().any(|i| i.eq_ignore_ascii_case(ig.id.trim()))).map(|ig| IgnoredBy {
        id: ig.id.clone(),
        reason: ig.reason.clone(),
        expires: ig.expires.clone(),
    });
    Finding {
        package: pkg.clone(),
        id: primary.adv.id.clone(),
        aliases: ids,
        summary,
        kind,
        rating,
        why: primary.why.clone(),
        fixed,
        url,
        ignored,
    }
}

fn summary(adv: &Advisory) -> Option<String> {
    let s = adv
        .summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| adv.details.as_deref().and_then(|d| d.lines().find(|l| !l.trim().is_empty())))?;
    let s = s.trim();
    Some(if s.chars().count() > 160 { format!("{}...", s.chars().take(157).collect::<String>()) } else { s.to_string() })
}

/// The advisory's own page when it lists one, else its osv.dev page.
pub fn advisory_url(adv: &Advisory) -> String {
    adv.references
        .iter()
        .find(|r| r.kind.eq_ignore_ascii_case("ADVISORY") && r.url.contains(&adv.id))
        .map(|r| r.url.clone())
        .unwrap_or_else(|| format!("https://osv.dev/vulnerability/{}", adv.id))
}

/// The lowest fixed version above `installed` that none of the matched advisories affect.
fn suggest(eco: &Ecosystem, installed: &str, matches: &[&Match]) -> Option<String> {
    let mut candidates: Vec<String> = matches.iter().flat_map(|m| m.fixes.iter().cloned()).collect();
    candidates.retain(|c| eval::cmp_versions(eco, c, installed) == std::cmp::Ordering::Greater);
    eval::sort_by(&mut candidates, |a, b| eval::cmp_versions(eco, a, b));
    candidates.dedup();
    candidates.into_iter().find(|c| matches.iter().all(|m| !eval::affects(eco, c, m.affected)))
}

/// Whether a lockfile's recorded source is the ecosystem's public registry (malicious-package
/// reports are about the public registry; a private registry's package of the same name is a
/// different package). No recorded source means the default, public registry.
pub fn is_public_registry(eco: &Ecosystem, source: Option<&str>) -> bool {
    let Some(src) = source.map(str::trim).filter(|s| !s.is_empty()) else {
        return true;
    };
    let lower = src.to_ascii_lowercase();
    if !(lower.contains("://") || lower.starts_with("registry+") || lower.starts_with("sparse+")) {
        // Not a URL: a registry name such as "registry" or "pypi".
        return !matches!(lower.as_str(), "git" | "path" | "directory" | "url");
    }
    let public: &[&str] = match eco {
        Ecosystem::PyPI => &["pypi.org", "pythonhosted.org", "pypi.python.org"],
        Ecosystem::Npm => &["registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"],
        Ecosystem::CratesIo => &["github.com/rust-lang/crates.io-index", "index.crates.io"],
        Ecosystem::RubyGems => &["rubygems.org"],
        Ecosystem::Packagist => &["packagist.org", "repo.packagist.org", "github.com", "api.github.com"],
        Ecosystem::NuGet => &["api.nuget.org", "nuget.org"],
        Ecosystem::Go => &["proxy.golang.org"],
        Ecosystem::Maven => &["repo.maven.apache.org", "repo1.maven.org"],
        _ => return true,
    };
    public.iter().any(|h| lower.contains(h))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vouch_lockfile::Package;
    use vouch_osv::{Event, Package as OsvPackage, Range, RangeKind};

    fn adv(id: &str, aliases: &[&str], eco: &str, name: &str, events: Vec<Event>) -> Advisory {
        Advisory {
            id: id.into(),
            modified: None,
            published: None,
            withdrawn: None,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            related: vec![],
            summary: Some(format!("{id} summary")),
            details: None,
            severity: vec![],
            affected: vec![Affected {
                package: Some(OsvPackage { ecosystem: eco.into(), name: name.into(), purl: None }),
                ranges: vec![Range { kind: RangeKind::Ecosystem, repo: None, events }],
                versions: vec![],
                severity: vec![],
                ecosystem_specific: None,
                database_specific: None,
            }],
            references: vec![],
            database_specific: None,
        }
    }

    fn lock(pkgs: Vec<(&str, Spec, Option<&str>)>) -> Lockfile {
        Lockfile {
            path: PathBuf::from("requirements.txt"),
            format: "requirements.txt",
            packages: pkgs
                .into_iter()
                .enumerate()
                .map(|(i, (n, v, src))| Package {
                    name: n.into(),
                    ecosystem: Ecosystem::PyPI,
                    version: v,
                    source: src.map(str::to_string),
                    line: Some(i + 1),
                    dev: None,
                })
                .collect(),
            problems: vec![],
        }
    }

    fn intro(s: &str) -> Event {
        Event::Introduced(s.into())
    }
    fn fixed(s: &str) -> Event {
        Event::Fixed(s.into())
    }

    #[test]
    fn aliases_merge_and_the_fix_covers_every_advisory() {
        let db = vec![
            adv("GHSA-aaaa", &["CVE-2024-1", "PYSEC-2024-1"], "PyPI", "Demo_Pkg", vec![intro("0"), fixed("1.5")]),
            adv("PYSEC-2024-1", &["CVE-2024-1"], "PyPI", "demo-pkg", vec![intro("0"), fixed("1.5")]),
            adv("GHSA-bbbb", &[], "PyPI", "demo.pkg", vec![intro("1.0"), fixed("1.7"), intro("2.0"), fixed("2.1")]),
            adv("GHSA-cccc", &[], "PyPI", "demo-pkg", vec![intro("1.6"), fixed("1.6.3")]),
        ];
        let r = audit(&[lock(vec![("demo-pkg", Spec::Exact("1.2".into()), None)])], &db, &Options::default()).unwrap();
        let ids: Vec<&str> = r.findings.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["GHSA-aaaa", "GHSA-bbbb"], "PYSEC merged into GHSA-aaaa by alias; GHSA-cccc does not affect 1.2");
        assert_eq!(r.findings[0].aliases, vec!["CVE-2024-1".to_string(), "PYSEC-2024-1".to_string()]);
        // 1.5 fixes aaaa but bbbb affects it until 1.7.
        assert_eq!(r.fixes[0].suggested.as_deref(), Some("1.7"));
        assert_eq!(r.findings[1].why.fixed.as_deref(), Some("1.7"));
        assert!(!r.incomplete());
    }

    #[test]
    fn ignores_cover_aliases_and_expire() {
        let db = vec![adv("GHSA-aaaa", &["CVE-2024-1"], "PyPI", "demo", vec![intro("0")])];
        let l = [lock(vec![("demo", Spec::Exact("1.0".into()), None)])];
        let opts = |exp: &str| Options {
            ignores: vec![Ignore { id: "CVE-2024-1".into(), reason: "not reachable".into(), expires: Some(exp.into()) }],
            today: crate::config::parse_date("2026-12-02").unwrap(),
        };
        let r = audit(&l, &db, &opts("2027-01-01")).unwrap();
        assert_eq!(r.findings[0].ignored.as_ref().unwrap().reason, "not reachable");
        assert_eq!(r.active().count(), 0);
        assert!(r.fixes.is_empty());
        let r = audit(&l, &db, &opts("2026-12-01")).unwrap();
        assert!(r.findings[0].ignored.is_none());
        assert_eq!(r.expired_ignores.len(), 1);
        assert_eq!(r.fixes[0].suggested, None, "no fixed version exists");
    }

    #[test]
    fn malicious_packages_respect_private_registries() {
        let mut mal = adv("MAL-2024-9", &[], "PyPI", "internal-utils", vec![intro("0")]);
        mal.affected[0].ranges.clear();
        mal.affected[0].versions = vec!["1.0.0".into()];
        let db = vec![mal];
        let public = audit(&[lock(vec![("internal-utils", Spec::Exact("1.0.0".into()), None)])], &db, &Options::default()).unwrap();
        assert_eq!(public.findings.len(), 1);
        assert_eq!(public.findings[0].severity(), Severity::Critical);
        assert_eq!(public.findings[0].kind, Kind::Malicious);
        let private = audit(
            &[lock(vec![("internal-utils", Spec::Exact("1.0.0".into()), Some("https://pypi.corp.example/simple"))])],
            &db,
            &Options::default(),
        )
        .unwrap();
        assert!(private.findings.is_empty());
        assert!(private.notes[0].contains("not the public registry"));
    }

    #[test]
    fn unpinned_git_and_unevaluable_packages_are_reported_not_passed() {
        let mut gitonly = adv("GHSA-git", &[], "PyPI", "gitpkg", vec![]);
        gitonly.affected[0].ranges = vec![Range { kind: RangeKind::Git, repo: Some("https://x/y".into()), events: vec![intro("abc")] }];
        let db = vec![gitonly];
        let r = audit(
            &[lock(vec![
                ("loose", Spec::Unpinned(">=1.0".into()), None),
                ("fromgit", Spec::Git { url: "https://github.com/a/b".into(), rev: Some("abc".into()) }, None),
                ("gitpkg", Spec::Exact("1.0".into()), None),
                ("local", Spec::Path("./local".into()), None),
            ])],
            &db,
            &Options::default(),
        )
        .unwrap();
        assert_eq!(r.unaudited.len(), 3, "{:#?}", r.unaudited);
        assert!(r.unaudited[0].reason.contains("unpinned"));
        assert!(r.unaudited[2].reason.contains("GIT"));
        assert_eq!(r.local, 1);
        assert!(r.incomplete());
    }

    #[test]
    fn withdrawn_never_match() {
        let mut a = adv("GHSA-w", &[], "PyPI", "demo", vec![intro("0")]);
        a.withdrawn = Some("2024-01-01T00:00:00Z".into());
        let r = audit(&[lock(vec![("demo", Spec::Exact("1.0".into()), None)])], &vec![a], &Options::default()).unwrap();
        assert!(r.findings.is_empty());
    }

    #[test]
    fn public_registry_detection() {
        assert!(is_public_registry(&Ecosystem::CratesIo, Some("registry+https://github.com/rust-lang/crates.io-index")));
        assert!(is_public_registry(&Ecosystem::CratesIo, Some("sparse+https://index.crates.io/")));
        assert!(!is_public_registry(&Ecosystem::CratesIo, Some("registry+https://my.corp/index")));
        assert!(is_public_registry(&Ecosystem::Npm, Some("https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz")));
        assert!(!is_public_registry(&Ecosystem::Npm, Some("https://npm.corp.example/left-pad-1.3.0.tgz")));
        assert!(is_public_registry(&Ecosystem::PyPI, None));
    }
}
