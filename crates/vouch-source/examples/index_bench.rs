//! Time each stage of reading and indexing a project:
//!
//!     cargo run --release -p vouch-source --example index_bench -- REPO [REV]
//!
//! REPO is a git repository (REV defaults to HEAD) or a plain folder.

use std::path::PathBuf;
use std::time::Instant;

use vouch_source::{Limits, Repo, Snapshot, SourceError};

fn ms(t: Instant) -> String {
    format!("{:8.1} ms", t.elapsed().as_secs_f64() * 1000.0)
}

/// CPU seconds (user + system, all threads) of this process so far, where /proc tells (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of stat(5), counted after the command name: utime, stime in ticks (100 Hz).
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> Result<(), SourceError> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: index_bench REPO [REV]");
        std::process::exit(2);
    };
    let rev = args.next().unwrap_or_else(|| "HEAD".into());
    let limits = Limits::default();
    let all = Instant::now();

    let t = Instant::now();
    let repo = Repo::open(&dir)?;
    println!("open     {}  {}", ms(t), if matches!(repo, Repo::Git(_)) { "git repository" } else { "plain tree" });

    let snap: Snapshot = match &repo {
        Repo::Git(g) => {
            let t = Instant::now();
            let c = g.resolve(&rev)?;
            println!("resolve  {}  {rev} → {} ({})", ms(t), c.short(), c.summary);
            let t = Instant::now();
            let tags = g.tags()?;
            println!("tags     {}  {} tags", ms(t), tags.len());
            let t = Instant::now();
            let s = g.snapshot(&rev, &limits)?;
            println!("ls-tree  {}  {} files, {}", ms(t), s.len(), s.label());
            s
        }
        Repo::Tree(p) => {
            let t = Instant::now();
            let s = Snapshot::open_tree(p, &limits)?;
            println!("walk     {}  {} files", ms(t), s.len());
            s
        }
    };

    let c_paths: Vec<&str> = snap.paths().filter(|p| vouch_source::is_c_family(p)).collect();
    let t = Instant::now();
    let ix = snap.index()?;
    println!(
        "read+index {}  {} C-family files, {} files indexed, {} lines of code, {} identifiers, {} definitions",
        ms(t),
        c_paths.len(),
        ix.files_count(),
        ix.lines_of_code(),
        ix.identifiers_count(),
        ix.definitions_count()
    );

    // The same split by stage, on a fresh snapshot: bulk read alone, then the scan alone.
    let fresh = match &repo {
        Repo::Git(g) => g.snapshot(&rev, &limits)?,
        Repo::Tree(p) => Snapshot::open_tree(p, &limits)?,
    };
    let t = Instant::now();
    let files = fresh.c_sources()?;
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    println!("  read   {}  {} files, {:.1} MiB", ms(t), files.len(), bytes as f64 / (1 << 20) as f64);
    // Best of several: the scan is CPU-bound and shared machines are noisy.
    const RUNS: usize = 10;
    let mut best = f64::MAX;
    let mut loc = 0;
    let cpu0 = cpu_seconds();
    for _ in 0..RUNS {
        let t = Instant::now();
        let ix2 = vouch_source::CodeIndex::build(&files);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        loc = ix2.lines_of_code();
    }
    let cpu = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) => format!(", {:.1} ms CPU per build", (b - a) * 1000.0 / RUNS as f64),
        _ => String::new(),
    };
    println!("  index  {best:8.1} ms  {loc} lines of code (best of {RUNS}{cpu})");

    // A few look-ups as triage does them.
    let t = Instant::now();
    let mut found = 0;
    for p in c_paths.iter().take(20) {
        let name = p.rsplit('/').next().unwrap_or(p);
        found += fresh.find(name).len();
        if let Some(text) = fresh.read(p)? {
            found += usize::from(!text.is_empty());
        }
    }
    for name in ["memcpy", "strcpy", "DEBUGBUILD", "Curl_dyn_addn", "no_such_identifier"] {
        found += ix.definitions(name).len() + ix.mentions(name).len();
    }
    println!("lookups  {}  ({found} hits: 20 find+read, 5 identifiers)", ms(t));
    println!("total    {}", ms(all));
    Ok(())
}
