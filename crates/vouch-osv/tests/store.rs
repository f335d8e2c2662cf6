//! The store on small fixtures built here: leniency during import, merging by `modified`, zip
//! archives, corrupt stores, and `update` against a local HTTP server.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use vouch_osv::{import, import_with, update, update_with, Limits, Store, StoreError, INDEX_FILE};
use vouch_pkg::Ecosystem;

fn advisory(id: &str, eco: &str, name: &str, modified: &str, summary: &str) -> Value {
    json!({
        "id": id,
        "modified": modified,
        "aliases": [format!("CVE-{id}")],
        "summary": summary,
        "affected": [{"package": {"ecosystem": eco, "name": name},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]
    })
}

fn write(dir: &Path, rel: &str, contents: &[u8]) -> PathBuf {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, contents).unwrap();
    p
}

fn write_json(dir: &Path, rel: &str, v: &Value) -> PathBuf {
    write(dir, rel, serde_json::to_string_pretty(v).unwrap().as_bytes())
}

fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

fn ids(v: &[vouch_osv::Advisory]) -> Vec<&str> {
    v.iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn one_bad_file_among_good_ones_is_listed_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    write_json(&src, "a/GOOD-1.json", &advisory("GOOD-1", "PyPI", "Requests", "2024-01-01T00:00:00Z", "one"));
    write(&src, "a/GOOD-2.yaml", b"id: GOOD-2\naffected:\n- package: {ecosystem: npm, name: left-pad}\n  versions: ['1.0.0']\n");
    write(&src, "a/BROKEN.json", b"{\"id\": \"BROKEN\", ");
    write(&src, "b/NOID.json", br#"{"summary": "no id"}"#);
    write(&src, "b/list.yml", b"- just\n- a list\n");
    write(&src, "b/README.md", b"# not an advisory");
    write(&src, ".git/HEAD.json", b"{}");
    write_json(
        &src,
        "c/LENIENT-1.json",
        &json!({"id": "LENIENT-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
            "ranges": [{"type": "NEW_KIND", "events": [{"introduced": "0", "fixed": "1"}, {}]}]}]}),
    );

    let store = tmp.path().join("store");
    let report = import(&store, std::slice::from_ref(&src)).unwrap();
    assert_eq!(report.advisories, 3, "{report:#?}");
    assert_eq!(report.by_input, [(src.display().to_string(), 3)]);
    assert_eq!(report.ignored_files, 1, "README.md; .git is not entered");
    let skipped: Vec<(String, &str)> =
        report.skipped_files.iter().map(|(p, r)| (p.file_name().unwrap().to_string_lossy().into_owned(), r.as_str())).collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(skipped[0].0 == "BROKEN.json" && skipped[0].1.starts_with("not valid JSON"), "{skipped:?}");
    assert!(skipped[1].0 == "NOID.json" && skipped[1].1.contains("no `id`"), "{skipped:?}");
    assert!(skipped[2].0 == "list.yml" && skipped[2].1.contains("a list"), "{skipped:?}");
    assert_eq!(report.leniency.unknown_range_types, 1);
    assert_eq!(report.leniency.multi_key_events, 1);
    assert_eq!(report.leniency.unknown_events, 1);
    assert!(report.leniency.notes.iter().all(|n| n.starts_with("LENIENT-1.json: ")), "{:?}", report.leniency.notes);
    assert_eq!(report.by_ecosystem.get("PyPI"), Some(&2));
    assert_eq!(report.by_ecosystem.get("npm"), Some(&1));

    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "REQUESTS").unwrap()), ["GOOD-1", "LENIENT-1"]);
    assert_eq!(ids(&s.lookup(&Ecosystem::Npm, "left-pad").unwrap()), ["GOOD-2"]);
    assert!(s.lookup(&Ecosystem::Npm, "Left-Pad").unwrap().is_empty(), "npm names are exact");
}

#[test]
fn a_json_list_of_advisories_is_a_whole_feed() {
    // curl publishes its advisories as one JSON list (`vuln.json`).
    let tmp = tempfile::tempdir().unwrap();
    let feed = json!([
        advisory("CURL-1", "PyPI", "requests", "2024-01-01T00:00:00Z", "one"),
        {"summary": "no id"},
        advisory("CURL-2", "npm", "left-pad", "2024-02-01T00:00:00Z", "two"),
    ]);
    let file = write_json(tmp.path(), "vuln.json", &feed);
    let store = tmp.path().join("store");
    let report = import(&store, std::slice::from_ref(&file)).unwrap();
    assert_eq!(report.advisories, 2, "{report:#?}");
    assert_eq!(report.skipped_files.len(), 1, "{:?}", report.skipped_files);
    let (label, reason) = &report.skipped_files[0];
    assert!(label.to_string_lossy().ends_with("vuln.json[1]"), "{label:?}");
    assert!(reason.contains("no `id`"), "{reason}");
    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "requests").unwrap()), ["CURL-1"]);
    // An empty list, or a list of something else, is skipped with the reason.
    let empty = write(tmp.path(), "empty.json", b"[]");
    let numbers = write(tmp.path(), "numbers.json", b"[1, 2]");
    let r = import(&tmp.path().join("store2"), &[empty, numbers]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.advisories, 0);
    let reasons: Vec<&str> = r.skipped_files.iter().map(|(_, r)| r.as_str()).collect();
    assert!(reasons.iter().any(|r| r.contains("empty list")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("not an OSV")), "{reasons:?}");
}

#[test]
fn the_newer_modified_wins_and_the_rest_of_the_store_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let v1 = tmp.path().join("v1");
    write_json(&v1, "X-1.json", &advisory("X-1", "crates.io", "foo", "2024-01-01T00:00:00Z", "first"));
    write_json(&v1, "X-2.json", &advisory("X-2", "crates.io", "bar", "2024-01-01T00:00:00Z", "other"));
    let r = import(&store, &[v1]).unwrap();
    assert_eq!((r.added, r.updated, r.kept_existing, r.store_total), (2, 0, 0, 2));

    // Older: ignored.
    let older = tmp.path().join("older");
    write_json(&older, "X-1.json", &advisory("X-1", "crates.io", "foo", "2023-06-01T00:00:00Z", "older"));
    let r = import(&store, &[older]).unwrap();
    assert_eq!((r.added, r.updated, r.kept_existing, r.store_total), (0, 0, 1, 2));
    assert_eq!(Store::open(&store).unwrap().get("X-1").unwrap().unwrap().summary.as_deref(), Some("first"));

    // Newer (by a fraction of a second, which a text comparison would get wrong), and it moved
    // to another package: the old key no longer finds it.
    let newer = tmp.path().join("newer");
    write_json(&newer, "X-1.json", &advisory("X-1", "crates.io", "foo2", "2024-01-01T00:00:00.5Z", "second"));
    write_json(&newer, "X-3.json", &advisory("X-3", "crates.io", "foo", "2020-01-01T00:00:00Z", "new"));
    let r = import(&store, &[newer]).unwrap();
    assert_eq!((r.added, r.updated, r.kept_existing, r.store_total), (1, 1, 0, 3));
    let s = Store::open(&store).unwrap();
    assert_eq!(s.get("x-1").unwrap().unwrap().summary.as_deref(), Some("second"));
    assert_eq!(ids(&s.lookup(&Ecosystem::CratesIo, "foo").unwrap()), ["X-3"]);
    assert_eq!(ids(&s.lookup(&Ecosystem::CratesIo, "foo2").unwrap()), ["X-1"]);
    assert_eq!(s.get("CVE-X-2").unwrap().unwrap().summary.as_deref(), Some("other"));
    let st = s.status();
    assert_eq!(st.total, 3);
    assert_eq!(st.sources.len(), 3);
    assert_eq!(st.newest_modified.as_deref(), Some("2024-01-01T00:00:00.5Z"));
    // Only one data file is left behind.
    let data_files =
        std::fs::read_dir(&store).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("osv-data-")).count();
    assert_eq!(data_files, 1);
    // And no temp file (spill, index or data) survives an import.
    let hidden: Vec<_> =
        std::fs::read_dir(&store).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with('.')).collect();
    assert!(hidden.is_empty(), "{hidden:?}");

    // The same id twice in one import: the newer wins there too.
    let both = tmp.path().join("both");
    write_json(&both, "a/X-9.json", &advisory("X-9", "Go", "m", "2025-01-02T00:00:00Z", "newer"));
    write_json(&both, "b/X-9.json", &advisory("X-9", "Go", "m", "2025-01-01T00:00:00Z", "older"));
    let r = import(&store, &[both]).unwrap();
    assert_eq!((r.advisories, r.duplicates, r.added), (2, 1, 1));
    assert_eq!(Store::open(&store).unwrap().get("X-9").unwrap().unwrap().summary.as_deref(), Some("newer"));
}

#[test]
fn withdrawn_advisories_are_kept_but_not_looked_up() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let mut w = advisory("W-1", "PyPI", "pkg", "2024-01-01T00:00:00Z", "withdrawn");
    w["withdrawn"] = json!("2024-02-01T00:00:00Z");
    write_json(&src, "W-1.json", &w);
    write_json(&src, "A-1.json", &advisory("A-1", "PyPI", "pkg", "2024-01-01T00:00:00Z", "active"));
    let store = tmp.path().join("store");
    let r = import(&store, &[src]).unwrap();
    assert_eq!(r.withdrawn, 1);
    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "pkg").unwrap()), ["A-1"]);
    assert!(s.get("W-1").unwrap().unwrap().is_withdrawn());
    assert_eq!(s.status().withdrawn, 1);
    assert_eq!(s.status().total, 2);
}

#[test]
fn zip_archives_import_like_osv_dev_all_zip() {
    let tmp = tempfile::tempdir().unwrap();
    let mut members: Vec<(&str, Vec<u8>)> = Vec::new();
    let a = advisory("PYSEC-1", "PyPI", "Django", "2024-01-01T00:00:00Z", "a").to_string().into_bytes();
    let b = advisory("GHSA-aaaa-bbbb-cccc", "PyPI", "django", "2024-01-01T00:00:00Z", "b").to_string().into_bytes();
    let c = advisory("DSA-1", "Debian:12", "openssl", "2024-01-01T00:00:00Z", "c").to_string().into_bytes();
    members.push(("PYSEC-1.json", a));
    members.push(("nested/GHSA-aaaa-bbbb-cccc.json", b));
    members.push(("DSA-1.json", c));
    members.push(("notes.txt", b"hello".to_vec()));
    members.push(("BAD.json", b"{ nope".to_vec()));
    members.push(("BIG.json", vec![b' '; 5000]));
    let zip_path = write(tmp.path(), "all.zip", &zip_of(&members));
    // A misleading name: routed by content.
    let renamed = write(tmp.path(), "download.bin", &std::fs::read(&zip_path).unwrap());

    let store = tmp.path().join("store");
    let limits = Limits { max_document_bytes: 4096, ..Limits::default() };
    let r = import_with(&store, std::slice::from_ref(&zip_path), &limits).unwrap();
    assert_eq!(r.advisories, 3, "{r:#?}");
    assert_eq!(r.ignored_files, 1);
    let skipped: Vec<String> = r.skipped_files.iter().map(|(p, why)| format!("{} {why}", p.display())).collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains("all.zip/BAD.json not valid JSON"), "{skipped:?}");
    assert!(skipped[1].contains("all.zip/BIG.json 5000 bytes uncompressed, over the limit of 4096"), "{skipped:?}");
    assert_eq!(r.by_ecosystem.get("Debian"), Some(&1));

    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "DJANGO").unwrap()), ["GHSA-aaaa-bbbb-cccc", "PYSEC-1"]);
    let deb = s.lookup(&Ecosystem::Debian, "openssl").unwrap();
    assert_eq!(deb[0].affected[0].package.as_ref().unwrap().ecosystem, "Debian:12");

    let r = import(&store, &[renamed]).unwrap();
    assert_eq!((r.advisories, r.updated, r.skipped_files.len()), (3, 3, 2), "{r:#?}");

    // A truncated archive is one skipped input, not a failed import.
    let zip_bytes = std::fs::read(&zip_path).unwrap();
    let cut = write(tmp.path(), "cut.zip", &zip_bytes[..zip_bytes.len() / 2]);
    let r = import(&store, &[cut]).unwrap();
    assert_eq!(r.advisories, 0);
    assert!(r.skipped_files[0].1.contains("not a readable zip archive"), "{:?}", r.skipped_files);
    assert_eq!(r.store_total, 3);
}

#[test]
fn inputs_that_do_not_exist_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    let e = import(&tmp.path().join("store"), std::slice::from_ref(&missing)).unwrap_err();
    assert!(matches!(&e, StoreError::Input { path, .. } if *path == missing), "{e}");
    assert!(!tmp.path().join("store").exists(), "nothing is created for a failed import");
}

fn small_store(dir: &Path) -> PathBuf {
    let src = dir.join("src");
    write_json(&src, "A-1.json", &advisory("A-1", "PyPI", "pkg", "2024-01-01T00:00:00Z", "active"));
    write_json(&src, "A-2.json", &advisory("A-2", "npm", "other", "2024-01-01T00:00:00Z", "x"));
    let store = dir.join("store");
    import(&store, &[src]).unwrap();
    store
}

fn data_file(store: &Path) -> PathBuf {
    std::fs::read_dir(store)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("osv-data-"))
        .unwrap()
}

#[test]
fn corrupt_or_foreign_stores_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let store = small_store(tmp.path());
    let index = store.join(INDEX_FILE);
    let good = std::fs::read(&index).unwrap();
    let msg = |e: StoreError| e.to_string();

    // Missing.
    let e = Store::open(&tmp.path().join("empty")).unwrap_err();
    assert!(matches!(e, StoreError::Missing { .. }));
    assert!(msg(e).contains("vouch audit update"));

    // One flipped bit in the body.
    let mut bad = good.clone();
    let last = bad.len() - 3;
    bad[last] ^= 1;
    std::fs::write(&index, &bad).unwrap();
    let e = Store::open(&store).unwrap_err();
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e}");
    assert!(msg(e).contains(INDEX_FILE), "names the file");
    let e = Store::open(&store).unwrap_err();
    assert!(msg(e).contains("checksum"));

    // Truncated.
    std::fs::write(&index, &good[..good.len() - 10]).unwrap();
    assert!(msg(Store::open(&store).unwrap_err()).contains("truncated"));
    std::fs::write(&index, &good[..12]).unwrap();
    assert!(matches!(Store::open(&store).unwrap_err(), StoreError::Corrupt { .. }));

    // Foreign.
    std::fs::write(&index, b"{\"not\": \"a store\"}").unwrap();
    let e = Store::open(&store).unwrap_err();
    assert!(matches!(e, StoreError::Foreign { ref path } if path.ends_with(INDEX_FILE)), "{e}");

    // Another format version.
    let mut v2 = good.clone();
    v2[8] = 99;
    std::fs::write(&index, &v2).unwrap();
    assert!(matches!(Store::open(&store).unwrap_err(), StoreError::Version { found: 99, expected: 1, .. }));

    // Importing onto a corrupt store refuses rather than losing what it held.
    let more = tmp.path().join("more");
    write_json(&more, "B-1.json", &advisory("B-1", "PyPI", "b", "2024-01-01T00:00:00Z", "b"));
    assert!(import(&store, std::slice::from_ref(&more)).is_err());

    // Data file: shorter than the index says.
    std::fs::write(&index, &good).unwrap();
    let data = data_file(&store);
    let data_bytes = std::fs::read(&data).unwrap();
    std::fs::write(&data, &data_bytes[..data_bytes.len() - 1]).unwrap();
    let e = Store::open(&store).unwrap_err();
    assert!(msg(e).contains("osv-data-"));

    // Data file: a flipped byte inside a record: opens, and the lookup says which file.
    let mut flipped = data_bytes.clone();
    let at = flipped.len() - 5;
    flipped[at] ^= 0x20;
    std::fs::write(&data, &flipped).unwrap();
    let s = Store::open(&store).unwrap();
    let e = s.lookup(&Ecosystem::Npm, "other").unwrap_err();
    assert!(msg(e).contains("fails its checksum"));
    assert!(s.lookup(&Ecosystem::PyPI, "pkg").is_ok(), "other records still read");

    // Data file replaced by something else of the same length.
    let mut foreign = data_bytes.clone();
    foreign[..8].copy_from_slice(b"NOTOURS!");
    std::fs::write(&data, &foreign).unwrap();
    assert!(matches!(Store::open(&store).unwrap_err(), StoreError::Foreign { .. }));

    // Restored, it works and an import goes through.
    std::fs::write(&data, &data_bytes).unwrap();
    assert_eq!(import(&store, &[more]).unwrap().store_total, 3);
}

#[test]
fn index_bytes_of_any_kind_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let store = small_store(tmp.path());
    let good = std::fs::read(store.join(INDEX_FILE)).unwrap();
    assert_eq!(vouch_osv::check_index_bytes(&good).unwrap(), 2);
    for cut in 0..good.len() {
        assert!(vouch_osv::check_index_bytes(&good[..cut]).is_err());
    }
}

/// Serves `body` for `GET {path}` and 404 otherwise, for at most `requests` connections.
fn serve(path: &'static str, body: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
            let response = if target == path {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nContent-Type: application/zip\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                r.extend_from_slice(&body);
                r
            } else {
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
            };
            let _ = stream.write_all(&response);
            let _ = stream.flush();
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        }
    });
    format!("http://{addr}")
}

#[test]
fn update_downloads_all_zip_and_imports_it() {
    let tmp = tempfile::tempdir().unwrap();
    let body = zip_of(&[
        ("PYSEC-7.json", advisory("PYSEC-7", "PyPI", "Flask", "2024-01-01T00:00:00Z", "f").to_string().into_bytes()),
        ("PYSEC-8.json", advisory("PYSEC-8", "PyPI", "jinja2", "2024-01-01T00:00:00Z", "j").to_string().into_bytes()),
    ]);
    let base = serve("/PyPI/all.zip", body.clone(), 3);
    let store = tmp.path().join("store");

    let r = update(&store, &["PyPI".to_string()], &format!("{base}/")).unwrap();
    assert_eq!((r.advisories, r.added), (2, 2), "{r:#?}");
    assert_eq!(r.by_input[0].0, format!("{base}/PyPI/all.zip"));
    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "flask").unwrap()), ["PYSEC-7"]);
    assert_eq!(s.status().sources[0].location, format!("{base}/PyPI/all.zip"));
    // No download is left behind.
    let leftovers: Vec<_> =
        std::fs::read_dir(&store).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().contains("download")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A 404 names the URL and the likely cause; the store is untouched.
    let e = update(&store, &["NoSuchEcosystem".to_string()], &base).unwrap_err();
    let text = e.to_string();
    assert!(text.contains("/NoSuchEcosystem/all.zip") && text.contains("404"), "{text}");
    assert_eq!(Store::open(&store).unwrap().status().total, 2);

    // Not a zip: an error, not an import of nothing.
    let html = serve("/PyPI/all.zip", b"<html>sign in to the hotel wifi</html>".to_vec(), 1);
    let e = update(&store, &["PyPI".to_string()], &html).unwrap_err();
    assert!(e.to_string().contains("not a zip archive"), "{e}");
    assert_eq!(Store::open(&store).unwrap().status().sources.len(), 1);

    // Over the size cap.
    let limits = Limits { max_download_bytes: 100, ..Limits::default() };
    let e = update_with(&store, &["PyPI".to_string()], &base, &limits).unwrap_err();
    assert!(e.to_string().contains("over the limit"), "{e}");
}

#[test]
fn update_reports_an_unreachable_server() {
    let tmp = tempfile::tempdir().unwrap();
    // Bound then dropped: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = update(&tmp.path().join("s"), &["PyPI".to_string()], &format!("http://127.0.0.1:{port}")).unwrap_err();
    assert!(matches!(&e, StoreError::Download { url, .. } if url.ends_with("/PyPI/all.zip")), "{e}");
}

#[test]
fn the_default_dir_follows_vouch_db() {
    // The only test of this binary that touches the environment.
    std::env::set_var("VOUCH_DB", "/tmp/some-vouch-db");
    assert_eq!(vouch_osv::default_dir(), PathBuf::from("/tmp/some-vouch-db"));
    std::env::remove_var("VOUCH_DB");
    assert!(vouch_osv::default_dir().ends_with("osv"));
}

#[test]
fn ids_and_aliases_are_found_ignoring_case() {
    let tmp = tempfile::tempdir().unwrap();
    let store = small_store(tmp.path());
    let s = Store::open(&store).unwrap();
    let mut raw = Vec::new();
    std::fs::File::open(store.join(INDEX_FILE)).unwrap().read_to_end(&mut raw).unwrap();
    assert_eq!(&raw[..8], vouch_osv::INDEX_MAGIC);
    let a = s.get("A-1").unwrap().unwrap();
    assert_eq!(a.summary.as_deref(), Some("active"));
    assert_eq!(s.get_all("cve-a-1").unwrap().len(), 1);
}

#[test]
fn advisory_database_layouts_import_and_hidden_folders_are_passed_over() {
    let tmp = tempfile::tempdir().unwrap();
    let ghsa = tmp.path().join("advisory-database");
    write_json(
        &ghsa,
        "advisories/github-reviewed/2024/01/GHSA-aaaa-bbbb-cccc/GHSA-aaaa-bbbb-cccc.json",
        &advisory("GHSA-aaaa-bbbb-cccc", "npm", "@scope/pkg", "2024-01-01T00:00:00Z", "r"),
    );
    write_json(
        &ghsa,
        "advisories/unreviewed/2024/02/GHSA-dddd-eeee-ffff/GHSA-dddd-eeee-ffff.json",
        &advisory("GHSA-dddd-eeee-ffff", "Maven", "org.example:lib", "2024-02-01T00:00:00Z", "u"),
    );
    write(&ghsa, ".github/workflows/ci.yml", b"name: ci\non: push\n");
    let pypa = tmp.path().join("pypa");
    write(
        &pypa,
        "vulns/zope-interface/PYSEC-2024-1.yaml",
        b"id: PYSEC-2024-1\naffected:\n- package:\n    ecosystem: PyPI\n    name: zope.interface\n  versions: ['5.0']\n",
    );
    write(&pypa, "vulns/.id-allocator", b"PYSEC-2024-1\n");
    let go = tmp.path().join("vulndb");
    write_json(&go, "data/osv/GO-2024-0001.json", &advisory("GO-2024-0001", "Go", "golang.org/x/net", "2024-01-01T00:00:00Z", "g"));

    let store = tmp.path().join("store");
    let r = import(&store, &[ghsa, pypa, go]).unwrap();
    assert_eq!(r.by_input.iter().map(|(_, n)| *n).collect::<Vec<_>>(), [2, 1, 1]);
    assert!(r.skipped_files.is_empty(), "{:?}", r.skipped_files);
    assert_eq!(r.ignored_files, 1, ".id-allocator; .github is not entered");
    let s = Store::open(&store).unwrap();
    assert_eq!(ids(&s.lookup(&Ecosystem::Npm, "@scope/pkg").unwrap()), ["GHSA-aaaa-bbbb-cccc"]);
    assert_eq!(ids(&s.lookup(&Ecosystem::Maven, "org.example:lib").unwrap()), ["GHSA-dddd-eeee-ffff"]);
    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "Zope_Interface").unwrap()), ["PYSEC-2024-1"]);
    assert_eq!(ids(&s.lookup(&Ecosystem::Go, "golang.org/x/net").unwrap()), ["GO-2024-0001"]);
}

#[test]
fn a_store_is_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Store>();
    let tmp = tempfile::tempdir().unwrap();
    let store = small_store(tmp.path());
    let s = Store::open(&store).unwrap();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..50 {
                    assert_eq!(ids(&s.lookup(&Ecosystem::PyPI, "pkg").unwrap()), ["A-1"]);
                    assert_eq!(ids(&s.lookup(&Ecosystem::Npm, "other").unwrap()), ["A-2"]);
                }
            });
        }
    });
}

#[test]
fn for_each_visits_every_advisory_in_id_order_and_checks_records() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    let mut w = advisory("W-1", "PyPI", "pkg", "2024-01-01T00:00:00Z", "withdrawn");
    w["withdrawn"] = json!("2024-02-01T00:00:00Z");
    write_json(&src, "W-1.json", &w);
    write_json(&src, "B-1.json", &advisory("B-1", "npm", "left-pad", "2024-01-01T00:00:00Z", "second"));
    write_json(&src, "A-1.json", &advisory("A-1", "PyPI", "pkg", "2024-01-01T00:00:00Z", "first"));
    let store = tmp.path().join("store");
    import(&store, &[src]).unwrap();
    let s = Store::open(&store).unwrap();
    let mut seen = Vec::new();
    s.for_each(|a| seen.push((a.id.clone(), a.summary.clone().unwrap_or_default()))).unwrap();
    assert_eq!(seen, [("A-1".to_string(), "first".to_string()), ("B-1".into(), "second".into()), ("W-1".into(), "withdrawn".into())]);

    // A flipped byte in a record is a corruption error naming the data file, not a wrong advisory.
    let data = data_file(&store);
    let mut bytes = std::fs::read(&data).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    std::fs::write(&data, &bytes).unwrap();
    let s = Store::open(&store).unwrap();
    let err = s.for_each(|_| {}).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("osv-data-"), "{err}");
}
