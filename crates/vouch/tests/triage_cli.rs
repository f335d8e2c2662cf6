//! `vouch triage` through the binary: the JSON contract, exit codes, queue ranking, duplicates of
//! earlier reports and published advisories, policies, and errors that name the file.

#[path = "../../vouch-triage/tests/fixture/mod.rs"]
mod fixture;

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

fn vouch(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch")).args(args).current_dir(cwd).env("CI", "true").output().expect("vouch runs")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(o)))
}

struct Setup {
    fx: fixture::Fixture,
    reports: std::path::PathBuf,
}

fn setup() -> Setup {
    let fx = fixture::project();
    let reports = fixture::report_dir(fx.dir.path());
    Setup { fx, reports }
}

fn repo(s: &Setup) -> &str {
    s.fx.path().to_str().unwrap()
}

fn report(s: &Setup, name: &str) -> String {
    s.reports.join(name).to_str().unwrap().to_string()
}

#[test]
fn single_report_json_contract() {
    let s = setup();
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", repo(&s), "--format", "json"], s.fx.dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["schema"], "vouch.triage/1");
    assert_eq!(v["tool"]["name"], "vouch");
    assert_eq!(v["flagged"], false);
    let score = v["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score) && score > 0.9, "{score}");
    assert!(v["checked"]["label"].as_str().unwrap().starts_with("tag v2.0.0"));
    let claims = v["claims"].as_array().unwrap();
    assert!(!claims.is_empty());
    for c in claims {
        let kind = c["kind"].as_str().unwrap();
        assert!(["file", "function", "line", "snippet", "version", "commit", "cve", "api"].contains(&kind), "{kind}");
        assert!(["confirmed", "contradicted", "unverifiable"].contains(&c["status"].as_str().unwrap()));
        assert!(c["evidence"].as_str().is_some_and(|e| !e.is_empty()), "{c}");
        assert!(c["report_line"].as_u64().unwrap() >= 1);
    }
    let f = claims.iter().find(|c| c["kind"] == "function" && c["text"] == "cookie_add").unwrap();
    assert_eq!(f["status"], "confirmed");
    assert_eq!(f["location"], json!({"path": "lib/cookie.c", "line": 10}));
    assert!(v["duplicates"].as_array().unwrap().is_empty());
    assert!(v["summary"]["confirmed"].as_u64().unwrap() >= 5);
}

#[test]
fn flagged_report_exits_one_and_human_output_shows_the_evidence() {
    let s = setup();
    let o = vouch(&["triage", &report(&s, "invented.md"), "--repo", repo(&s), "--color", "never"], s.fx.dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("parse_chunked_extension"), "{out}");
    assert!(out.contains("contradicted"), "{out}");
    assert!(out.contains("VCH-TRI-001"), "{out}");
    assert!(out.contains("never closes or answers"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when asked for none");
}

#[test]
fn sarif_output_validates_and_points_into_the_project_and_the_report() {
    let s = setup();
    let o = vouch(&["triage", "--queue", s.reports.to_str().unwrap(), "--repo", repo(&s), "--format", "sarif"], s.fx.dir.path());
    assert_eq!(o.status.code(), Some(1), "some reports are flagged: {}", text(&o));
    let doc = json_of(&o);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/schemas/sarif/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(&schema_path).expect("the shared corpus sits beside the repository")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(!rules.is_empty() && rules.iter().all(|r| r["id"].as_str().unwrap().starts_with("VCH-TRI-")));
    let results = run["results"].as_array().unwrap();
    // Every result's rule index points at its rule.
    for r in results {
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
    // The invented function is a contradiction located in the report (no project line has it).
    let invented = results
        .iter()
        .find(|r| r["ruleId"] == "VCH-TRI-001" && r["properties"]["report"].as_str().unwrap().ends_with("invented.md"))
        .expect("the invented function's contradiction");
    assert_eq!(invented["properties"]["flagged"], true);
    // The guarded copy points at the project's file, with the report's line beside it.
    let guarded = results.iter().find(|r| r["ruleId"] == "VCH-TRI-006").expect("a guarded copy");
    let loc = &guarded["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "PROJECT");
    assert!(loc["artifactLocation"]["uri"].as_str().unwrap().starts_with("lib/"), "{loc}");
    assert!(run["originalUriBaseIds"]["PROJECT"]["uri"].as_str().unwrap().starts_with("file://"));
    // Each report's score and verdict travel in the run's properties.
    let reports = run["properties"]["reports"].as_array().unwrap();
    assert_eq!(reports.len(), fixture::reports().len());
    assert!(reports.iter().all(|r| r["score"].is_f64() && r["flagged"].is_boolean()));
}

#[test]
fn queue_ranks_reports_and_finds_duplicates_of_earlier_ones() {
    let s = setup();
    // A resubmission of the genuine report under another title, dated after it.
    let genuine = std::fs::read_to_string(s.reports.join("genuine.md")).unwrap();
    let resubmitted = genuine.replacen("# Stack buffer overflow in cookie_add()", "# [URGENT] cookie_add() overflow", 1);
    std::fs::write(s.reports.join("zz_resubmitted.md"), resubmitted).unwrap();
    let out = s.fx.dir.path().join("queue.json");
    let o = vouch(
        &["triage", "--queue", s.reports.to_str().unwrap(), "--repo", repo(&s), "--format", "json", "--output", out.to_str().unwrap()],
        s.fx.dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "some reports are flagged: {}", text(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["schema"], "vouch.triage-queue/1");
    assert_eq!(v["errors"], json!([]));
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), fixture::reports().len() + 1);
    let scores: Vec<f64> = reports.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by score: {scores:?}");
    let name = |r: &Value| Path::new(r["report"].as_str().unwrap()).file_name().unwrap().to_string_lossy().to_string();
    let pos = |n: &str| reports.iter().position(|r| name(r) == n).unwrap();
    for fabricated in ["invented.md", "placeholder_trace.md", "wrong_line.md", "guarded.md"] {
        assert!(pos("genuine.md") < pos(fabricated), "{fabricated}");
        assert!(pos("no_claims.md") < pos(fabricated), "{fabricated}");
    }
    let dup = &reports[pos("zz_resubmitted.md")];
    let d = &dup["duplicates"][0];
    assert_eq!(d["kind"], "report");
    assert!(d["id"].as_str().unwrap().ends_with("genuine.md"), "{d}");
    assert!(dup["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "VCH-TRI-012"));
    // The earlier report is not a duplicate of the later one.
    assert!(reports[pos("genuine.md")]["duplicates"].as_array().unwrap().is_empty());
}

#[test]
fn published_advisory_from_the_store_is_found() {
    let s = setup();
    let dir = s.fx.dir.path();
    std::fs::create_dir_all(dir.join("osv")).unwrap();
    let adv = json!({
        "schema_version": "1.6.0",
        "id": fixture::ADVISORY_ID,
        "modified": "2024-07-01T00:00:00Z",
        "published": "2024-07-01T00:00:00Z",
        "aliases": ["CVE-2024-99999"],
        "summary": fixture::ADVISORY_TITLE,
        "details": fixture::ADVISORY_TEXT,
        "affected": [{"package": {"ecosystem": "GIT", "name": "minihttp"}, "ranges": [{"type": "GIT", "repo": "https://example.invalid/minihttp", "events": [{"introduced": "0"}]}]}],
    });
    std::fs::write(dir.join("osv/MINIHTTP-2024-0001.json"), serde_json::to_vec(&adv).unwrap()).unwrap();
    let o = vouch(&["db", "import", "osv", "--db", "store"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = vouch(&["triage", &report(&s, "duplicate.md"), "--repo", repo(&s), "--advisories", "store", "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["flagged"], true);
    assert_eq!(v["duplicates"][0]["id"], fixture::ADVISORY_ID);
    assert_eq!(v["duplicates"][0]["kind"], "advisory");
    // The same report written before the advisory was published is not its duplicate: the
    // advisory came later (perhaps from this very report).
    let text_of = std::fs::read_to_string(report(&s, "duplicate.md")).unwrap();
    let earlier = dir.join("written-earlier.md");
    std::fs::write(&earlier, text_of.replacen('\n', "\n\n**Reported:** 2024-05-02\n", 1)).unwrap();
    let o = vouch(&["triage", earlier.to_str().unwrap(), "--repo", repo(&s), "--advisories", "store", "--format", "json"], dir);
    let v = json_of(&o);
    assert!(v["duplicates"].as_array().unwrap().is_empty(), "{v}");
    // A report on something else stays clear of it.
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", repo(&s), "--advisories", "store", "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The same report, written after the advisory, with a sentence of the advisory pasted in.
    let genuine = std::fs::read_to_string(report(&s, "genuine.md")).unwrap();
    let pasted = "A malicious server that sends a chunk size line with more than sixteen hexadecimal digits makes the chunk size parser overflow its accumulator.";
    let copy = dir.join("copy.md");
    std::fs::write(&copy, genuine.replacen('\n', &format!("\n\n**Reported:** 2024-08-01\n\n{pasted}\n"), 1)).unwrap();
    let o = vouch(&["triage", copy.to_str().unwrap(), "--repo", repo(&s), "--advisories", "store", "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["duplicates"][0]["copied"]["words"], 23, "{v}");
    assert!(v["duplicates"][0]["copied"]["text"].as_str().unwrap().starts_with("A malicious server"), "{v}");
    let o = vouch(&["triage", copy.to_str().unwrap(), "--repo", repo(&s), "--advisories", "store", "--color", "never"], dir);
    assert!(text(&o).contains(&format!("repeats 23 words of advisory {}", fixture::ADVISORY_ID)), "{}", text(&o));
    // A missing store is an error naming it.
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", repo(&s), "--advisories", "nowhere"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("nowhere"), "{}", text(&o));
}

#[test]
fn policy_from_the_repository_or_a_file() {
    let s = setup();
    let dir = s.fx.dir.path();
    // Without a policy, debug-only code is a finding but not out of scope.
    let o = vouch(&["triage", &report(&s, "debug_only.md"), "--repo", repo(&s), "--format", "json"], dir);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    let v = json_of(&o);
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"VCH-TRI-008") && !rules.contains(&"VCH-TRI-013"), "{rules:?}");
    let policy = dir.join("policy.toml");
    std::fs::write(&policy, "[triage]\nnot_security = [\"debug-build\"]\n").unwrap();
    let o =
        vouch(&["triage", &report(&s, "debug_only.md"), "--repo", repo(&s), "--policy", policy.to_str().unwrap(), "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v = json_of(&o);
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "VCH-TRI-013"), "{v}");
    // The repository's own vouch.toml is read when no --policy is given (from the working tree).
    std::fs::write(s.fx.path().join("vouch.toml"), "[triage]\nnot_security = [\"debug-build\"]\n").unwrap();
    let o = vouch(&["triage", &report(&s, "debug_only.md"), "--repo", repo(&s), "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    // An invalid policy is an error naming the file and the problem.
    std::fs::write(&policy, "[triage]\nnot_security = [\"debug-builds\"]\n").unwrap();
    let o = vouch(&["triage", &report(&s, "debug_only.md"), "--repo", repo(&s), "--policy", policy.to_str().unwrap()], dir);
    assert_eq!(o.status.code(), Some(2));
    let t = text(&o);
    assert!(t.contains("policy.toml") && t.contains("debug-builds"), "{t}");
}

#[test]
fn bad_input_is_an_error_that_names_the_file_and_keeps_the_other_results() {
    let s = setup();
    let dir = s.fx.dir.path();
    // A binary file in the queue: an error for it, results for the others, exit 2.
    std::fs::write(s.reports.join("core.bin"), b"\x7fELF\x00\x00\x00\x01\x02\x00\x00\x00binary").unwrap();
    let o = vouch(&["triage", "--queue", s.reports.to_str().unwrap(), "--repo", repo(&s), "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["reports"].as_array().unwrap().len(), fixture::reports().len());
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].as_str().unwrap().contains("core.bin"), "{errors:?}");

    // A repository that does not exist.
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", "/nonexistent/minihttp"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("/nonexistent/minihttp"), "{}", text(&o));
    // A report that does not exist.
    let o = vouch(&["triage", "missing.md", "--repo", repo(&s)], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("missing.md"), "{}", text(&o));
    // A ref that does not exist, and a date that is not one.
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", repo(&s), "--ref", "v9.9.9"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("v9.9.9"), "{}", text(&o));
    let o = vouch(&["triage", &report(&s, "genuine.md"), "--repo", repo(&s), "--date", "yesterday"], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("yesterday"), "{}", text(&o));
    // No report at all.
    let o = vouch(&["triage", "--repo", repo(&s)], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("no report given"), "{}", text(&o));
    // A queue folder without a report file in it.
    let empty = dir.join("empty-queue");
    std::fs::create_dir_all(empty.join("sub")).unwrap();
    let o = vouch(&["triage", "--queue", empty.to_str().unwrap(), "--repo", repo(&s)], dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("empty-queue: the queue folder holds no report files"), "{}", text(&o));
}

#[cfg(unix)]
#[test]
fn a_queue_of_symbolic_links_is_read_like_the_reports() {
    let s = setup();
    let dir = s.fx.dir.path();
    let links = dir.join("linked-queue");
    std::fs::create_dir_all(&links).unwrap();
    for (name, _) in fixture::reports() {
        std::os::unix::fs::symlink(s.reports.join(name), links.join(name)).unwrap();
    }
    // A dangling link is not a report file.
    std::os::unix::fs::symlink(dir.join("nowhere.md"), links.join("dangling.md")).unwrap();
    let o = vouch(&["triage", "--queue", links.to_str().unwrap(), "--repo", repo(&s), "--format", "json"], dir);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["errors"], json!([]));
    assert_eq!(v["reports"].as_array().unwrap().len(), fixture::reports().len());
}

#[test]
fn curl_reports_parse_through_the_binary() {
    // The 29 disclosed curl reports: every one parses and gets a result (no curl source here, so
    // they are checked against the fixture project, where nothing of curl exists).
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/reports/curl-2026-resolved");
    assert!(corpus.is_dir(), "the curl reports are missing: looked in {}", corpus.display());
    let s = setup();
    let o = vouch(&["triage", "--queue", corpus.to_str().unwrap(), "--repo", repo(&s), "--format", "json"], s.fx.dir.path());
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", text(&o));
    let v = json_of(&o);
    assert_eq!(v["errors"], json!([]));
    assert_eq!(v["reports"].as_array().unwrap().len(), 29);
}

#[test]
fn every_commands_help_gives_its_exit_codes() {
    let dir = std::env::temp_dir();
    let o = vouch(&["triage", "--help"], &dir);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("Exit codes: 0 nothing flagged; 1 some report flagged"), "{}", text(&o));
    for cmd in ["scan", "audit"] {
        let o = vouch(&[cmd, "--help"], &dir);
        assert!(text(&o).contains("Exit codes: 0 nothing at or above the threshold"), "{cmd}: {}", text(&o));
    }
    for (cmd, says) in [("bom", "3 something could not be read"), ("license", "1 a restriction kind given to --deny applies")] {
        let o = vouch(&[cmd, "--help"], &dir);
        assert!(text(&o).contains(says), "{cmd}: {}", text(&o));
    }
}
