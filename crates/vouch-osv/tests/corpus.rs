//! Imports every advisory of the shared corpus (Go vulndb, PyPA, RustSec) into one store and
//! checks the counts against an independent count of the files, then looks things up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use vouch_osv::{import, Store};
use vouch_pkg::Ecosystem;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/advisories");

fn corpus() -> PathBuf {
    let p = PathBuf::from(CORPUS);
    assert!(p.is_dir(), "the advisory corpus is missing: looked in {}", p.display());
    p
}

/// What a source should yield, counted without the crate's parser: JSON through serde_json,
/// YAML by its top-level and `package` lines.
#[derive(Default, Debug)]
struct Expected {
    documents: usize,
    withdrawn: usize,
    ids: BTreeSet<String>,
    by_ecosystem: BTreeMap<String, usize>,
    hidden_files: usize,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn expected(dir: &Path) -> Expected {
    let mut all = Vec::new();
    files(dir, &mut all);
    let mut exp = Expected::default();
    for p in all {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            exp.hidden_files += 1;
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let (id, withdrawn, ecosystems): (String, bool, BTreeSet<String>) = if name.ends_with(".json") {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let ecos = v["affected"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a["package"]["ecosystem"].as_str())
                .map(|e| e.split(':').next().unwrap().to_string())
                .collect();
            (v["id"].as_str().expect("every corpus JSON file has an id").to_string(), v.get("withdrawn").is_some(), ecos)
        } else {
            let id = text.lines().find_map(|l| l.strip_prefix("id: ")).expect("every corpus YAML file has an id");
            let withdrawn = text.lines().any(|l| l.starts_with("withdrawn:"));
            let ecos = text.lines().filter_map(|l| l.trim_start().strip_prefix("ecosystem: ")).map(|e| e.trim().to_string()).collect();
            (id.trim().to_string(), withdrawn, ecos)
        };
        exp.documents += 1;
        exp.withdrawn += usize::from(withdrawn);
        exp.ids.insert(id);
        for e in ecosystems {
            *exp.by_ecosystem.entry(e).or_default() += 1;
        }
    }
    exp
}

#[test]
fn the_whole_corpus_imports_and_answers_lookups() {
    let root = corpus();
    let sources = ["go", "pypa", "rustsec-osv"];
    let inputs: Vec<PathBuf> = sources.iter().map(|s| root.join(s)).collect();
    let exp: Vec<Expected> = inputs.iter().map(|p| expected(p)).collect();

    let tmp = tempfile::tempdir().unwrap();
    let store_dir = tmp.path().join("osv");
    let t = Instant::now();
    let report = import(&store_dir, &inputs).unwrap();
    let import_time = t.elapsed();

    println!("import of {} advisories took {import_time:?}", report.advisories);
    for ((label, n), e) in report.by_input.iter().zip(&exp) {
        println!("source {label}: {n} advisories (expected {})", e.documents);
    }
    for (eco, n) in &report.by_ecosystem {
        println!("ecosystem {eco}: {n}");
    }
    println!("withdrawn: {}, ignored files: {}, leniency: {:?}", report.withdrawn, report.ignored_files, report.leniency);

    assert!(report.skipped_files.is_empty(), "valid files were skipped: {:?}", &report.skipped_files[..report.skipped_files.len().min(5)]);
    assert_eq!(report.by_input.len(), 3);
    for (i, e) in exp.iter().enumerate() {
        assert_eq!(report.by_input[i].1, e.documents, "advisories read from {}", sources[i]);
    }
    // The corpus sizes as shipped, so a silently shrunk corpus is noticed too.
    assert_eq!(exp.iter().map(|e| e.documents).collect::<Vec<_>>(), [4291, 2661, 1206]);
    let mut by_eco: BTreeMap<String, usize> = BTreeMap::new();
    for e in &exp {
        for (k, v) in &e.by_ecosystem {
            *by_eco.entry(k.clone()).or_default() += v;
        }
    }
    assert_eq!(report.by_ecosystem, by_eco);
    assert_eq!(report.withdrawn, exp.iter().map(|e| e.withdrawn).sum::<usize>());
    assert_eq!(report.ignored_files, exp.iter().map(|e| e.hidden_files).sum::<usize>());
    let distinct: BTreeSet<&String> = exp.iter().flat_map(|e| &e.ids).collect();
    assert_eq!(report.duplicates, report.advisories - distinct.len());
    assert_eq!(report.store_total, distinct.len());
    assert_eq!(report.added, distinct.len());

    let t = Instant::now();
    let store = Store::open(&store_dir).unwrap();
    println!("open took {:?}", t.elapsed());
    let status = store.status();
    assert_eq!(status.total, distinct.len());
    assert_eq!(status.by_ecosystem, by_eco);
    assert_eq!(status.withdrawn, report.withdrawn);
    assert_eq!(status.sources.len(), 3);
    assert!(status.newest_modified.as_deref().is_some_and(|m| m.starts_with("20")));
    assert!(status.packages > 1000, "{} packages", status.packages);

    // PyPI by a non-normalised spelling.
    let t = Instant::now();
    let found = store.lookup(&Ecosystem::PyPI, "Oslo_Middleware").unwrap();
    println!("lookup took {:?}", t.elapsed());
    assert!(found.iter().any(|a| a.id == "PYSEC-2018-104"), "{:?}", found.iter().map(|a| &a.id).collect::<Vec<_>>());
    assert!(found.iter().all(|a| a.affected.iter().any(|af| af.package.as_ref().is_some_and(|p| p.name == "oslo-middleware"))));
    let skywalking = store.lookup(&Ecosystem::PyPI, "Apache.SkyWalking").unwrap();
    assert!(skywalking.iter().any(|a| a.id == "PYSEC-2020-342"));

    // A Go module and a crate.
    let gin = store.lookup(&Ecosystem::Go, "github.com/gin-gonic/gin").unwrap();
    assert!(gin.iter().any(|a| a.id == "GO-2020-0001"));
    let openssl = store.lookup(&Ecosystem::CratesIo, "openssl").unwrap();
    assert!(openssl.iter().any(|a| a.id == "RUSTSEC-2016-0001"));
    assert!(store.lookup(&Ecosystem::CratesIo, "no-such-crate-anywhere").unwrap().is_empty());
    // Crate names are not normalised: `OpenSSL` is another crate.
    assert!(store.lookup(&Ecosystem::CratesIo, "OpenSSL").unwrap().is_empty());

    // By alias, in any case.
    let a = store.get("CVE-2016-10931").unwrap().expect("alias of RUSTSEC-2016-0001");
    assert_eq!(a.id, "RUSTSEC-2016-0001");
    assert_eq!(store.get("ghsa-6vm3-jj99-7229").unwrap().unwrap().id, "GO-2020-0001");
    assert_eq!(store.get("GO-2020-0001").unwrap().unwrap().affected[0].ranges[0].events.len(), 2);
    assert!(store.get("CVE-1900-0000").unwrap().is_none());

    // Withdrawn: stored and reachable by id, never returned by lookup.
    let w = store.get("GO-2024-2730").unwrap().expect("the withdrawn Go advisory is stored");
    assert!(w.is_withdrawn());
    let sessions = store.lookup(&Ecosystem::Go, "github.com/gorilla/sessions").unwrap();
    assert!(sessions.iter().all(|a| a.id != "GO-2024-2730" && !a.is_withdrawn()));

    // Every stored advisory decodes back to exactly what the parser read.
    let one = std::fs::read(root.join("rustsec-osv/crates/RUSTSEC-2016-0001.json")).unwrap();
    assert_eq!(vouch_osv::parse_json(&one).unwrap().0, a);

    // Re-importing the same files changes nothing but the sources list.
    let again = import(&store_dir, &inputs[2..]).unwrap();
    assert_eq!(again.updated, exp[2].documents);
    assert_eq!(again.added, 0);
    assert_eq!(again.store_total, distinct.len());
    assert_eq!(Store::open(&store_dir).unwrap().status().sources.len(), 4);
}
