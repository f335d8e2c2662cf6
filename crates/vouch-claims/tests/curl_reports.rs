//! Snapshot tests over the 29 disclosed curl HackerOne reports in the shared corpus: each report's
//! extraction is rendered to a stable text form and compared with `tests/snapshots/<id>.txt`.
//! `UPDATE_SNAPSHOTS=1 cargo test -p vouch-claims --test curl_reports` rewrites them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use vouch_claims::{parse_bytes, BlockKind, ClaimKind, Limits, Origin, Report};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/reports/curl-2026-resolved")
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn reports() -> Vec<PathBuf> {
    let dir = corpus_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("the curl report corpus is missing: looked in {} ({e})", dir.display()));
    let mut out: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
    out.sort();
    assert_eq!(out.len(), 29, "expected the 29 curl reports in {}", dir.display());
    out
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

fn range(r: Option<(u32, u32)>) -> String {
    match r {
        Some((a, b)) if a == b => format!("{a}"),
        Some((a, b)) => format!("{a}-{b}"),
        None => String::new(),
    }
}

pub fn render(r: &Report) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "title\t{}", r.title.as_deref().unwrap_or("-"));
    let m = &r.meta;
    let f = |x: &Option<String>| x.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(
        o,
        "meta\tid={} date={} weakness={} severity={} reporter={} asset={} project={}",
        f(&m.id),
        f(&m.date),
        f(&m.weakness),
        f(&m.severity),
        f(&m.reporter),
        f(&m.asset),
        f(&m.project)
    );
    let _ = writeln!(o, "class\t{:?}", r.class);
    let _ = writeln!(o, "inputs\t{:?}", r.inputs);
    let _ = writeln!(o, "truncated\t{}", r.truncated);
    let _ = writeln!(o, "\n## claims ({})", r.claims.len());
    for c in &r.claims {
        let loc = match (&c.file, c.lines) {
            (None, None) => "-".to_string(),
            (file, lines) => format!("{}:{}", file.as_deref().unwrap_or(""), range(lines)),
        };
        let code = if c.code.is_some() { "\tcode" } else { "" };
        let _ = writeln!(
            o,
            "{:?}\t{}\t{}\t{:?}\t{}\t{}{}",
            c.kind,
            esc(&c.text),
            loc,
            c.origin,
            if c.negated { "negated" } else { "-" },
            c.report_line,
            code
        );
    }
    let _ = writeln!(o, "\n## blocks ({})", r.blocks.len());
    for b in &r.blocks {
        let cited = b
            .cited
            .as_ref()
            .map(|c| format!("{}|{}|{}", c.file.as_deref().unwrap_or(""), c.function.as_deref().unwrap_or(""), range(c.lines)))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(o, "{:?}\t{}-{}\t{}\t{}", b.kind, b.start_line, b.end_line, b.lang.as_deref().unwrap_or("-"), cited);
    }
    let _ = writeln!(o, "\n## traces ({})", r.traces.len());
    for t in &r.traces {
        let _ = writeln!(
            o,
            "{:?}\tline {}\tsummary={}\tplaceholder={}\tframes={}",
            t.kind,
            t.start_line,
            t.summary.as_deref().unwrap_or("-"),
            t.placeholder_addresses,
            t.frames.len()
        );
        for fr in &t.frames {
            let idx = fr.index.map(|i| i.to_string()).unwrap_or_else(|| "-".into());
            let loc = fr
                .file
                .as_deref()
                .map(|f| format!("{f}:{}", fr.line.map(|l| l.to_string()).unwrap_or_default()))
                .unwrap_or_else(|| "-".into());
            let _ = writeln!(o, "  #{idx}\t{}\t{loc}\t{}", fr.function, fr.address.as_deref().unwrap_or("-"));
        }
    }
    let _ = writeln!(o, "\n## patches ({})", r.patches.len());
    for p in &r.patches {
        let _ = writeln!(o, "line {}\tfiles={:?}\tindex={:?}", p.start_line, p.files, p.index_hashes);
        for h in &p.hunks {
            let _ = writeln!(
                o,
                "  hunk\t{}\t-{},{}\tremoved={} context={} added={}",
                h.file,
                h.old_start,
                h.old_lines,
                h.removed.len(),
                h.context.len(),
                h.added.len()
            );
        }
    }
    o
}

#[test]
fn curl_reports_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut totals: std::collections::BTreeMap<String, usize> = Default::default();
    for path in reports() {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let report = parse_bytes(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(!report.blocks.is_empty(), "{id}: no blocks");
        assert!(!report.claims.is_empty(), "{id}: no claims");
        assert!(!report.truncated, "{id}: truncated");
        for c in &report.claims {
            *totals.entry(format!("{:?}", c.kind)).or_default() += 1;
        }
        let got = render(&report);
        let snap = snapshot_dir().join(format!("{id}.txt"));
        if update {
            std::fs::create_dir_all(snapshot_dir()).unwrap();
            std::fs::write(&snap, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&snap)
            .unwrap_or_else(|e| panic!("{id}: no snapshot at {} ({e}); run with UPDATE_SNAPSHOTS=1", snap.display()));
        if want != got {
            let first = want.lines().zip(got.lines()).position(|(a, b)| a != b).unwrap_or(want.lines().count().min(got.lines().count()));
            failures.push(format!(
                "{id}: differs from {} at line {}:\n  want: {}\n  got:  {}",
                snap.display(),
                first + 1,
                want.lines().nth(first).unwrap_or("<end>"),
                got.lines().nth(first).unwrap_or("<end>")
            ));
        }
    }
    eprintln!("claims per kind over the corpus: {totals:?}");
    assert!(failures.is_empty(), "{} snapshot(s) differ (UPDATE_SNAPSHOTS=1 to accept):\n{}", failures.len(), failures.join("\n"));
}

/// Properties that must hold on every report whatever the snapshots say.
#[test]
fn curl_reports_invariants() {
    for path in reports() {
        let id = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let r = vouch_claims::parse(&text, &Limits::default()).unwrap();
        assert!(r.title.as_deref().is_some_and(|t| t.starts_with("CVE-")), "{id}: title {:?}", r.title);
        assert_eq!(r.meta.id.as_deref(), Some(id.as_str()), "{id}: report id");
        assert_eq!(r.meta.project.as_deref(), Some("curl"), "{id}");
        assert!(r.meta.date.as_deref().is_some_and(|d| d.len() == 10 && d.starts_with("2026-")), "{id}: date {:?}", r.meta.date);
        // The title's CVE is a metadata claim.
        assert!(r.claims.iter().any(|c| c.kind == ClaimKind::Cve && c.origin == Origin::Metadata), "{id}: no metadata CVE");
        // Blocks are in order and inside the report.
        let n = text.lines().count();
        let mut last = 0;
        for b in &r.blocks {
            assert!(
                b.start_line >= last && b.start_line <= b.end_line && b.end_line <= n + 1,
                "{id}: block {}-{}",
                b.start_line,
                b.end_line
            );
            last = b.start_line;
        }
        for c in &r.claims {
            assert!(c.report_line >= 1 && c.report_line <= n, "{id}: claim line {}", c.report_line);
            assert!(c.context.chars().count() <= 200);
            // No reporter-program function is a project function.
            if c.kind == ClaimKind::Function {
                assert_ne!(c.text, "main", "{id}: main as a function claim");
                assert_ne!(c.origin, Origin::ReporterCode, "{id}: {}", c.text);
            }
            if c.kind == ClaimKind::File || c.kind == ClaimKind::Line {
                let f = c.file.as_deref().unwrap_or(&c.text).to_ascii_lowercase();
                assert!(!f.starts_with("/tmp/") && !f.contains("poc"), "{id}: reporter file {f} claimed");
            }
        }
        // Every ProjectCode block yields a snippet claim.
        let snippets = r.claims.iter().filter(|c| c.kind == ClaimKind::Snippet && c.origin == Origin::ProjectCode).count();
        let project_blocks = r.blocks.iter().filter(|b| b.kind == BlockKind::ProjectCode).count();
        assert!(snippets >= project_blocks.min(1) || project_blocks == 0, "{id}: {project_blocks} project blocks, {snippets} snippets");
    }
}
