//! Git repositories built on the fly: tags, dates, refs, snapshots at old and new versions.

use std::path::Path;
use std::process::Command;

use vouch_source::{parse_date, DefKind, GitRepo, Limits, Repo, Snapshot, SourceError};

const DAY: i64 = 86_400;
/// 2023-01-10 00:00:00 UTC
const T1: i64 = 1_673_308_800;
const T2: i64 = T1 + 50 * DAY;
const T3: i64 = T1 + 80 * DAY;
const T4: i64 = T1 + 110 * DAY;

fn git(dir: &Path, time: i64, args: &[&str]) -> String {
    let date = format!("@{time} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.invalid")
        .env("GIT_COMMITTER_NAME", "Ann Author")
        .env("GIT_COMMITTER_EMAIL", "ann@example.invalid")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap_or_else(|e| panic!("these tests need the `git` program on PATH (running git {args:?}: {e})"));
    assert!(out.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, path: &str, contents: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, contents).expect("write");
}

fn commit(dir: &Path, time: i64, msg: &str) -> String {
    git(dir, time, &["add", "-A"]);
    git(dir, time, &["commit", "-q", "-m", msg]);
    git(dir, time, &["rev-parse", "HEAD"])
}

struct Fixture {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    c: [String; 4],
}

const HTTP_V1: &str = "#include \"curl.h\"\n\nstatic CURLcode\nhttp_output_bearer(struct Curl_easy *data)\n{\n  return CURLE_OK;\n}\n";
const HTTP_V3: &str = "#include \"curl.h\"\n\nstatic CURLcode\nhttp_output_bearer(struct Curl_easy *data)\n{\n  if(!data)\n    return CURLE_BAD;\n  return CURLE_OK;\n}\n\nint Curl_http_new(void)\n{\n  return 1;\n}\n";

/// c1 (T1) tag curl-8_9_0 (annotated, T1+1d) · c2 (T2) tag curl-8_10_0-rc1 (lightweight) and a
/// tag of a blob · c3 (T3) tag curl-8_10_1 (annotated, T3+1d) · c4 (T4), main.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("curl");
    std::fs::create_dir(&dir).expect("mkdir");
    git(&dir, T1, &["init", "-q", "-b", "main"]);
    write(&dir, "lib/http.c", HTTP_V1.as_bytes());
    write(&dir, "include/curl/curl.h", b"#define CURL_VERSION \"8.9.0\"\nCURL_EXTERN CURLcode curl_easy_perform(CURL *curl);\n");
    write(&dir, "README", b"curl\n");
    let c1 = commit(&dir, T1, "first");
    git(&dir, T1 + DAY, &["tag", "-a", "-m", "release 8.9.0", "curl-8_9_0"]);

    write(&dir, "lib/vtls/openssl.c", b"int ossl_connect(void)\n{\n  return 0;\n}\n");
    write(&dir, "tests/data.bin", b"\x7fELF\x00\x01\x02binary");
    let mut big = String::new();
    while big.len() < 5000 {
        big.push_str("int big_filler_function_name(void);\n");
    }
    write(&dir, "lib/big.c", big.as_bytes());
    let c2 = commit(&dir, T2, "second: openssl");
    git(&dir, T2, &["tag", "curl-8_10_0-rc1"]);
    let blob = git(&dir, T2, &["rev-parse", "HEAD:README"]);
    git(&dir, T2, &["tag", "blob-tag", &blob]);

    write(&dir, "lib/http.c", HTTP_V3.as_bytes());
    let c3 = commit(&dir, T3, "third: check data");
    git(&dir, T3 + DAY, &["tag", "-a", "-m", "release 8.10.1", "curl-8_10_1"]);

    write(&dir, "docs/NEWS.md", b"news\n");
    let c4 = commit(&dir, T4, "fourth");
    Fixture { _tmp: tmp, dir, c: [c1, c2, c3, c4] }
}

#[test]
fn open_kinds() {
    let f = fixture();
    assert!(matches!(Repo::open(&f.dir), Ok(Repo::Git(_))));
    // A folder inside a repository is a plain tree, not the enclosing repository.
    assert!(matches!(Repo::open(&f.dir.join("lib")), Ok(Repo::Tree(_))));
    assert!(matches!(GitRepo::open(&f.dir.join("lib")), Err(SourceError::NotARepo(_))));
    let missing = f.dir.join("nope");
    match Repo::open(&missing) {
        Err(e @ SourceError::NotFound(_)) => assert!(e.to_string().contains("nope")),
        other => panic!("expected NotFound, got {other:?}"),
    }
    let plain = tempfile::tempdir().expect("tempdir");
    assert!(matches!(Repo::open(plain.path()), Ok(Repo::Tree(_))));
    // A bare clone.
    let bare = f.dir.parent().expect("parent").join("curl.git");
    git(f.dir.parent().expect("parent"), T4, &["clone", "-q", "--bare", "curl", "curl.git"]);
    let Ok(Repo::Git(g)) = Repo::open(&bare) else { panic!("bare repository not recognised") };
    assert_eq!(g.head().expect("head").id, f.c[3]);
    assert_eq!(g.tags().expect("tags").len(), 3);
}

#[test]
fn tags_versions_and_dates() {
    let f = fixture();
    let g = GitRepo::open(&f.dir).expect("open");
    let tags = g.tags().expect("tags");
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["curl-8_9_0", "curl-8_10_0-rc1", "curl-8_10_1"], "blob tag skipped, sorted by time");
    assert_eq!(tags[0].time, T1 + DAY, "annotated: tagger date");
    assert_eq!(tags[0].commit, f.c[0], "annotated tags peel to the commit");
    assert_eq!(tags[1].time, T2, "lightweight: committer date");
    assert_eq!(tags[1].version.as_deref(), Some("8.10.0"));
    assert!(tags[1].prerelease);
    assert_eq!(tags[2].version.as_deref(), Some("8.10.1"));
    assert!(!tags[2].prerelease);

    let name = |v: &str| g.tag_for_version(v).expect("tag_for_version").map(|t| t.name);
    assert_eq!(name("8.10.1").as_deref(), Some("curl-8_10_1"));
    assert_eq!(name("v8.10.1").as_deref(), Some("curl-8_10_1"));
    assert_eq!(name("8.9").as_deref(), Some("curl-8_9_0"));
    assert_eq!(name("8.10.0"), None, "only an rc exists");
    assert_eq!(name("8.10.0-rc1").as_deref(), Some("curl-8_10_0-rc1"));
    assert_eq!(name("8.10"), None);
    assert_eq!(name("8.11.0-DEV"), None);
    assert_eq!(name("garbage"), None);

    let rel = |t: i64| g.release_at(t).expect("release_at").map(|t| t.name);
    assert_eq!(rel(T1), None, "the tag was made a day after the commit");
    assert_eq!(rel(T1 + DAY).as_deref(), Some("curl-8_9_0"));
    assert_eq!(rel(T2 + 1).as_deref(), Some("curl-8_9_0"), "rc ignored");
    assert_eq!(rel(T4).as_deref(), Some("curl-8_10_1"));
    // c3 is from 2023-03-31, its tag from 2023-04-01 00:00.
    assert_eq!(rel(parse_date("2023-03-31").expect("date")).as_deref(), Some("curl-8_9_0"));
    assert_eq!(rel(parse_date("2023-04-01").expect("date")).as_deref(), Some("curl-8_10_1"));

    let at = |t: i64| g.branch_at("main", t).expect("branch_at").map(|c| c.id);
    assert_eq!(at(T1 - 1), None);
    assert_eq!(at(T1).as_deref(), Some(f.c[0].as_str()));
    assert_eq!(at(T3 - 1).as_deref(), Some(f.c[1].as_str()));
    assert_eq!(at(parse_date("2023-03-31").expect("date")).as_deref(), Some(f.c[2].as_str()));
    assert_eq!(at(T4 + DAY).as_deref(), Some(f.c[3].as_str()));
    assert!(matches!(g.branch_at("no-such-branch", T4), Err(SourceError::BadRef(_))));
}

#[test]
fn tag_name_styles() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    git(dir, T1, &["init", "-q", "-b", "master"]);
    for (i, tag) in ["v1.2.3", "2.0.0", "foo_3_1_0", "rel_4_0", "v5.0.0-beta.1", "release-6.1.2", "OpenSSL_1_1_1w"].iter().enumerate() {
        let t = T1 + i as i64 * DAY;
        write(dir, "f.c", format!("int v{i};\n").as_bytes());
        commit(dir, t, tag);
        git(dir, t, &["tag", tag]);
    }
    let g = GitRepo::open(dir).expect("open");
    let name = |v: &str| g.tag_for_version(v).expect("tag_for_version").map(|t| t.name);
    assert_eq!(name("1.2.3").as_deref(), Some("v1.2.3"));
    assert_eq!(name("2.0").as_deref(), Some("2.0.0"));
    assert_eq!(name("3.1.0").as_deref(), Some("foo_3_1_0"));
    assert_eq!(name("4.0").as_deref(), Some("rel_4_0"));
    assert_eq!(name("4.0.0").as_deref(), Some("rel_4_0"));
    assert_eq!(name("5.0.0"), None, "beta is not the release");
    assert_eq!(name("6.1.2").as_deref(), Some("release-6.1.2"));
    assert_eq!(name("1.1.1w").as_deref(), Some("OpenSSL_1_1_1w"));
    assert_eq!(g.release_at(T1 + 4 * DAY).expect("release_at").map(|t| t.name).as_deref(), Some("rel_4_0"));
    assert_eq!(g.default_branch().expect("default branch"), "master");
}

#[test]
fn commits_and_refs() {
    let f = fixture();
    let g = GitRepo::open(&f.dir).expect("open");
    let head = g.head().expect("head");
    assert_eq!(head.id, f.c[3]);
    assert_eq!(head.time, T4);
    assert_eq!(head.summary, "fourth");
    assert_eq!(g.default_branch().expect("default branch"), "main");

    let c2 = g.commit(&f.c[1][..7]).expect("commit").expect("abbreviated id found");
    assert_eq!(c2.id, f.c[1]);
    assert_eq!(c2.summary, "second: openssl");
    assert_eq!(g.commit(&f.c[1].to_uppercase()).expect("commit").map(|c| c.id), Some(f.c[1].clone()));
    assert_eq!(g.commit("deadbeefdeadbeef").expect("unknown id is not an error"), None);
    assert_eq!(g.commit("zzzz").expect("non-hex"), None);
    assert_eq!(g.commit("12").expect("too short"), None);
    // A blob id is not a commit.
    let blob = git(&f.dir, T4, &["rev-parse", "HEAD:README"]);
    assert_eq!(g.commit(&blob).expect("blob"), None);

    assert_eq!(g.resolve("curl-8_9_0").expect("tag").id, f.c[0]);
    assert_eq!(g.resolve("main").expect("branch").id, f.c[3]);
    assert_eq!(g.resolve(&f.c[2][..10]).expect("commit").id, f.c[2]);
    assert!(matches!(g.resolve("no-such-ref"), Err(SourceError::BadRef(_))));
    assert!(matches!(g.resolve("--output=/tmp/x"), Err(SourceError::BadRef(_))));

    assert!(g.is_ancestor(&f.c[0], &f.c[2]).expect("ancestor"));
    assert!(g.is_ancestor("curl-8_9_0", "main").expect("ancestor"));
    assert!(!g.is_ancestor(&f.c[2], &f.c[0]).expect("ancestor"));
    assert!(g.is_ancestor("nope", "main").is_err());
}

#[test]
fn snapshots_old_and_new() {
    let f = fixture();
    let g = GitRepo::open(&f.dir).expect("open");
    let limits = Limits { max_file_bytes: 1000, ..Limits::default() };
    let old = g.snapshot("curl-8_9_0", &limits).expect("old snapshot");
    let new = g.snapshot("main", &limits).expect("new snapshot");
    assert!(old.label().starts_with("tag curl-8_9_0 ("), "{}", old.label());
    assert!(new.label().starts_with("branch main ("), "{}", new.label());
    assert!(g.snapshot(&f.c[1][..8], &limits).expect("by id").label().starts_with("commit "));
    assert_eq!(old.commit().map(|c| c.id.as_str()), Some(f.c[0].as_str()));

    let old_paths: Vec<&str> = old.paths().collect();
    assert_eq!(old_paths, ["README", "include/curl/curl.h", "lib/http.c"]);
    assert!(!old.contains("lib/vtls/openssl.c"));
    assert!(new.contains("lib/vtls/openssl.c"));
    assert!(old.find("openssl.c").is_empty());
    assert_eq!(new.find("openssl.c"), ["lib/vtls/openssl.c"]);
    assert_eq!(new.find("vtls/openssl.c"), ["lib/vtls/openssl.c"]);
    for cited in ["http.c", "lib/http.c", "./lib/http.c", "a/lib/http.c", "curl/lib/http.c", "`lib/http.c:42`", "lib\\http.c"] {
        assert_eq!(new.find(cited), ["lib/http.c"], "{cited}");
    }
    assert!(new.find("ttp.c").is_empty());
    // The reporter's checkout under a folder of their own that the project also has (`lib/`).
    assert_eq!(new.find("lib/curl/lib/vtls/openssl.c"), ["lib/vtls/openssl.c"]);
    assert!(new.find("lib/curl/lib/vtls/gnutls.c").is_empty());

    assert_eq!(old.read("lib/http.c").expect("read").as_deref(), Some(HTTP_V1));
    assert_eq!(new.read("lib/http.c").expect("read").as_deref(), Some(HTTP_V3));
    assert_eq!(new.read("lib/http.c").expect("cached").as_deref(), Some(HTTP_V3));
    assert_eq!(old.read("lib/vtls/openssl.c").expect("absent"), None);
    assert_eq!(new.read("tests/data.bin").expect("binary"), None);
    assert!(new.contains("lib/big.c"), "big files are listed");
    assert_eq!(new.read("lib/big.c").expect("oversize"), None);
    assert_eq!(new.size("lib/big.c").map(|s| s > 1000), Some(true));

    let oi = old.index().expect("old index");
    let ni = new.index().expect("new index");
    assert_eq!(oi.definitions("http_output_bearer").len(), 1);
    assert!(oi.definitions("Curl_http_new").is_empty());
    assert!(oi.definitions("ossl_connect").is_empty());
    assert_eq!(ni.definitions("Curl_http_new")[0].line, 11);
    assert_eq!(ni.definitions("ossl_connect")[0].path, "lib/vtls/openssl.c");
    assert_eq!(ni.definitions("curl_easy_perform")[0].kind, DefKind::FunctionDecl);
    assert!(!ni.mentioned("big_filler_function_name"), "oversize files are not indexed");
    assert!(ni.mentioned("CURLE_BAD"));
    assert!(!oi.mentioned("CURLE_BAD"));
    let span = ni.file("lib/http.c").and_then(|fi| fi.function_at(7)).expect("span");
    assert_eq!((span.name.as_str(), span.start_line, span.end_line), ("http_output_bearer", 3, 9));
    // Reads after the bulk index read still work on the same cat-file process.
    assert_eq!(new.read("README").expect("read").as_deref(), Some("curl\n"));

    assert!(matches!(g.snapshot("v9.9.9", &limits), Err(SourceError::BadRef(_))));
    let tight = Limits { max_files: 2, ..Limits::default() };
    assert!(matches!(g.snapshot("main", &tight), Err(SourceError::LimitExceeded(_))));
    let small_total = Limits { max_total_bytes: 10, ..Limits::default() };
    let s = g.snapshot("main", &small_total).expect("snapshot");
    assert!(matches!(s.index(), Err(SourceError::LimitExceeded(_))));
}

#[test]
fn plain_tree_snapshot() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    write(dir, "lib/http.c", HTTP_V3.as_bytes());
    write(dir, "lib/vtls/openssl.c", b"int ossl_connect(void) { return 0; }\n");
    write(dir, "sub/.git/config", b"[core]\n");
    write(dir, "data.bin", b"ab\x00cd");
    write(dir, "big.h", &[b'x'; 3000]);
    write(dir, "src/tool.c", b"int main(void) { return 0; }\n");
    let limits = Limits { max_file_bytes: 2000, ..Limits::default() };
    let s = Snapshot::open_tree(dir, &limits).expect("tree");
    assert!(s.label().starts_with("tree "));
    assert!(s.commit().is_none());
    let paths: Vec<&str> = s.paths().collect();
    assert_eq!(paths, ["big.h", "data.bin", "lib/http.c", "lib/vtls/openssl.c", "src/tool.c"]);
    assert_eq!(s.find("openssl.c"), ["lib/vtls/openssl.c"]);
    // Paths of the reporter's machine: an OSS-Fuzz checkout under /src/ even though the project
    // has a src/ folder of its own, a Windows path, and a file of another checkout.
    assert_eq!(s.find("/src/curl/lib/http.c:784"), ["lib/http.c"]);
    assert_eq!(s.find("C:\\work\\curl\\lib\\vtls\\openssl.c"), ["lib/vtls/openssl.c"]);
    assert!(s.find("/src/curl_fuzzer/curl_fuzzer.cc").is_empty());
    assert_eq!(s.find("src/tool.c"), ["src/tool.c"]);
    // A checkout folder around the project's own folder of that name: `lib/lib/http.c`.
    assert_eq!(s.find("lib/lib/http.c"), ["lib/http.c"]);
    assert!(s.find("lib/lib/gone.c").is_empty());
    // A harness's include from its own folder: "." and "folder/.." steps resolve.
    assert_eq!(s.find("/home/me/curl/tests/./../lib/http.c:12"), ["lib/http.c"]);
    assert_eq!(s.find("lib/vtls/../http.c"), ["lib/http.c"]);
    assert!(s.find("/home/me/curl/lib/../gone/http.c").is_empty());
    // A root file under a folder named for the project, once the snapshot knows the name;
    // another folder's, or a file the root lacks, is no match.
    assert!(s.find("/home/me/fuzz/curl/tests/./../big.h:3").is_empty());
    let s = s.with_project(Some("Curl".into()));
    assert_eq!(s.find("/home/me/fuzz/curl/tests/./../big.h:3"), ["big.h"]);
    assert!(s.find("/usr/include/big.h").is_empty());
    assert!(s.find("/home/me/curl/gone.h").is_empty());
    assert!(s.find("big2.h").is_empty());
    assert_eq!(s.read("lib/http.c").expect("read").as_deref(), Some(HTTP_V3));
    assert_eq!(s.read("data.bin").expect("binary"), None);
    assert_eq!(s.read("big.h").expect("oversize"), None);
    assert_eq!(s.read("../etc/passwd").expect("unlisted"), None);
    let ix = s.index().expect("index");
    assert_eq!(ix.definitions("ossl_connect").len(), 1);
    assert_eq!(ix.definitions("Curl_http_new").len(), 1);
    assert_eq!(ix.files_count(), 3);
    assert!(matches!(Snapshot::open_tree(&dir.join("missing"), &limits), Err(SourceError::NotFound(_))));
    let tight = Limits { max_files: 3, ..Limits::default() };
    assert!(matches!(Snapshot::open_tree(dir, &tight), Err(SourceError::LimitExceeded(_))));
}

#[test]
fn snapshot_is_shareable_across_threads() {
    fn assert_sync<T: Send + Sync>() {}
    assert_sync::<Snapshot>();
    assert_sync::<GitRepo>();
    let f = fixture();
    let g = GitRepo::open(&f.dir).expect("open");
    let s = g.snapshot("main", &Limits::default()).expect("snapshot");
    std::thread::scope(|sc| {
        for _ in 0..4 {
            sc.spawn(|| {
                for p in ["lib/http.c", "README", "lib/vtls/openssl.c"] {
                    assert!(s.read(p).expect("read").is_some());
                }
                assert!(s.index().expect("index").mentioned("ossl_connect"));
            });
        }
    });
}
