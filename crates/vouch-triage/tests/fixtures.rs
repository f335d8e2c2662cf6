//! Triage of the fixture reports against the fixture project: every check of the engine, at the
//! right version, with the scores ordering genuine reports above fabricated and out-of-scope ones.

mod fixture;

use std::collections::HashMap;

use vouch_triage::vouch_claims::{parse_for, Limits as ClaimLimits};
use vouch_triage::vouch_source::{parse_date, Limits};
use vouch_triage::{triage, At, Context, Corpus, Document, Policy, Project, Status, Triage};

struct Run {
    _fx: fixture::Fixture,
    project: Project,
}

fn open() -> Run {
    let fx = fixture::project();
    let project = Project::open(fx.path(), Limits::default()).expect("fixture opens");
    Run { _fx: fx, project }
}

fn advisories() -> Corpus {
    let mut c = Corpus::new("advisory");
    c.push(Document::new(fixture::ADVISORY_ID, fixture::ADVISORY_TITLE, fixture::ADVISORY_TEXT, vec!["CVE-2024-99999".into()]));
    c
}

fn triage_text(run: &Run, name: &str, text: &str, policy: &Policy, at: &At) -> Triage {
    let advisories = advisories();
    let cx = Context { project: &run.project, policy, advisories: Some(&advisories), earlier: None, at };
    let report = parse_for(text, &ClaimLimits::default(), run.project.name(policy).as_deref()).expect("report parses");
    triage(name, &report, &cx).expect("triage runs")
}

fn run_all(policy: &Policy) -> HashMap<&'static str, Triage> {
    let run = open();
    fixture::reports().into_iter().map(|(name, text)| (name, triage_text(&run, name, &text, policy, &At::Auto))).collect()
}

fn claim<'a>(t: &'a Triage, kind: &str, text: &str) -> &'a vouch_triage::ClaimResult {
    t.claims
        .iter()
        .find(|c| c.kind == kind && c.text == text)
        .unwrap_or_else(|| panic!("{}: no {kind} claim {text:?} in {:#?}", t.report, t.claims))
}

fn rules(t: &Triage) -> Vec<&str> {
    t.findings.iter().map(|f| f.rule).collect()
}

fn project_policy() -> Policy {
    Policy::parse(
        r#"
[triage]
name = "minihttp"
not_security = ["debug-build", "test-code", "local-attacker"]
"#,
    )
    .expect("policy parses")
}

/// A plain source tree of the given files, opened as a project.
struct Tree {
    _dir: tempfile::TempDir,
    project: Project,
}

fn plain_tree(files: &[(&str, &str)]) -> Tree {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let project = Project::open(dir.path(), Limits::default()).unwrap();
    Tree { _dir: dir, project }
}

impl Tree {
    /// Triage of one report text against the tree, without a policy.
    fn triage(&self, text: &str) -> Triage {
        self.triage_with(text, &Policy::default())
    }

    fn triage_with(&self, text: &str, policy: &Policy) -> Triage {
        let report = parse_for(text, &ClaimLimits::default(), self.project.name(policy).as_deref()).unwrap();
        let cx = Context { project: &self.project, policy, advisories: None, earlier: None, at: &At::Auto };
        triage("tree.md", &report, &cx).unwrap()
    }
}

#[test]
fn genuine_report_is_confirmed_at_the_version_it_names() {
    let all = run_all(&Policy::default());
    let t = &all["genuine.md"];
    assert!(t.checked.main.label.starts_with("tag v2.0.0"), "{:?}", t.checked);
    assert!(t.checked.main.how.contains("names version 2.0.0"));
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    assert!(t.summary.confirmed >= 5);
    let f = claim(t, "function", "cookie_add");
    assert_eq!(f.status, Status::Confirmed);
    assert!(f.evidence.starts_with("defined at lib/cookie.c:10: int cookie_add("), "{}", f.evidence);
    let memcpy = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let l = claim(t, "line", &format!("lib/cookie.c:{memcpy}"));
    assert_eq!(l.status, Status::Confirmed);
    assert!(l.evidence.contains("memcpy(buf, value, vlen);"), "the evidence shows the cited line: {}", l.evidence);
    assert_eq!(claim(t, "api", "jar_init").status, Status::Confirmed);
    assert_eq!(claim(t, "version", "2.0.0").status, Status::Confirmed);
    assert!(t.findings.is_empty(), "{:#?}", t.findings);
    assert!(!t.flagged);
    assert!(t.score >= 0.9, "{}", t.score);
    assert!(t.reasons.iter().any(|r| r.contains("reproducer against a released version")), "{:?}", t.reasons);
    // The same reproducer run on a development build is not one against a release.
    let run = open();
    let text = fixture::reports().into_iter().find(|(n, _)| *n == "genuine.md").map(|(_, t)| t).unwrap();
    let dev = triage_text(&run, "dev.md", &text.replace("minihttp 2.0.0", "minihttp 2.1.0-DEV"), &Policy::default(), &At::Auto);
    assert!(dev.checked.main.how.contains("development after 2.0.0"), "{}", dev.checked.main.how);
    assert!(!dev.reasons.iter().any(|r| r.contains("reproducer against a released version")), "{:?}", dev.reasons);
}

#[test]
fn a_ubsan_line_counts_as_a_trace_only_where_the_project_has_it() {
    let run = open();
    let memcpy = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let at = |file: &str| {
        format!(
            "# Overflow in cookie_add (minihttp 2.0.0)\n\nUBSan:\n\n```\n{file}:{memcpy}:5: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'\n```\n"
        )
    };
    let t = triage_text(&run, "ubsan.md", &at("lib/cookie.c"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "line", &format!("lib/cookie.c:{memcpy}")).status, Status::Confirmed);
    assert!(t.reasons.iter().any(|r| r.contains("a trace that reaches project code")), "{:?}", t.reasons);
    // A line in a file the project does not have (another library's) earns nothing.
    let t = triage_text(&run, "ubsan-other.md", &at("crypto/bn/bn_lib.c"), &Policy::default(), &At::Auto);
    assert!(!t.reasons.iter().any(|r| r.contains("a trace that reaches project code")), "{:?}", t.reasons);
}

#[test]
fn a_coredump_of_a_stripped_binary_is_not_a_trace_outside_the_project() {
    let run = open();
    let text = "# Crash on every run\n\n```\nsystemd-coredump[1520304]: Process 1520302 (mhget) of user 1000 dumped core.\n\n    Stack trace of thread 1520302:\n    #0  0x000055b7119b48ef n/a (/usr/bin/mhget + 0x68ef)\n    #1  0x00007f9c829efdee n/a (libminihttp.so.2 + 0x8cdee)\n    #2  0x00007f9c829d4e88 n/a (libminihttp.so.2 + 0x71e88)\n```\n";
    let t = triage_text(&run, "coredump.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    assert!(!t.flagged, "{:?}", t.reasons);
    // Named frames of other code only are still outside the project.
    let named =
        text.replace("n/a (/usr/bin/mhget", "qsort_helper (/usr/bin/mhget").replace("n/a (libminihttp", "other_lib_fn (libminihttp");
    let t = triage_text(&run, "coredump-named.md", &named, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    // libFuzzer's out-of-memory report, pasted only down to its own and the sanitizer's frames:
    // the program's frames are below the cut.
    let oom = "# Large allocation\n\n```\n==16129== ERROR: libFuzzer: out-of-memory (malloc(3200220908))\n    #0 0x528101 in __sanitizer_print_stack_trace (/src/fuzz_my_parser+0x528101)\n    #1 0x4711c8 in fuzzer::PrintStackTrace() (/src/fuzz_my_parser+0x4711c8)\n    #2 0x4563c5 in fuzzer::Fuzzer::HandleMalloc(unsigned long) (/src/fuzz_my_parser+0x4563c5)\n    #3 0x4562da in fuzzer::MallocHook(void const volatile*, unsigned long) (/src/fuzz_my_parser+0x4562da)\n```\n";
    let t = triage_text(&run, "oom.md", oom, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
}

#[test]
fn a_destructor_of_a_project_class_is_a_frame_of_the_project() {
    let tree = plain_tree(&[(
        "include/dom/parser.h",
        "namespace sj { namespace dom {\nclass parser {\n public:\n  int parse(const char *s);\n};\n} }\n",
    )]);
    let trace = |dtor: &str| {
        format!("# Crash\n\nIt crashes on exit:\n\n```\n#0  0x00007ffff7a42e97 in __GI___libc_free (mem=0x32d) at malloc.c:3102\n#1  0x0000555555561380 in sj::dom::{dtor} ()\n#2  0x00005555555622c4 in App::Config::~Config() ()\n```\n")
    };
    let t = tree.triage(&trace("parser::~parser"));
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    let t = tree.triage(&trace("gadget::~gadget"));
    assert!(rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
}

#[test]
fn invented_function_and_poc_api_are_contradicted() {
    let all = run_all(&Policy::default());
    let t = &all["invented.md"];
    let f = claim(t, "function", "parse_chunked_extension");
    assert_eq!(f.status, Status::Contradicted);
    assert!(f.evidence.contains("no definition or use of parse_chunked_extension"), "{}", f.evidence);
    // The file it names exists: that claim holds, which is not enough.
    assert_eq!(claim(t, "file", "lib/parse.c").status, Status::Confirmed);
    let s = claim(t, "snippet", "static int parse_chunked_extension(struct request *req, const char *ext)");
    assert_eq!(s.status, Status::Contradicted);
    // The PoC calls project-prefixed functions that exist nowhere.
    assert_eq!(claim(t, "api", "minihttp_global_init").status, Status::Contradicted);
    assert!(rules(t).contains(&"VCH-TRI-005"), "{:?}", rules(t));
    assert!(rules(t).contains(&"VCH-TRI-001"));
    assert!(t.flagged);
    assert!(t.score < 0.1, "{}", t.score);
}

#[test]
fn an_invented_function_in_the_projects_namespace_flags_a_report_whose_other_claims_hold() {
    let run = open();
    let report = |name: &str| {
        format!(
            "# Cookie jar corruption\n\nIn minihttp 2.0.0, `cookie_add()` in `lib/cookie.c` hands the value to `jar_store()`, \
             `jar_init()` sets up the jar and `jar_free()` releases it. After that `{name}()` in `lib/cookie.c` \
             walks the freed list.\n"
        )
    };
    let t = triage_text(&run, "namespaced.md", &report("minihttp_jar_compact"), &Policy::default(), &At::Auto);
    let f = claim(&t, "function", "minihttp_jar_compact");
    assert_eq!(f.status, Status::Contradicted, "{f:#?}");
    assert!(t.summary.confirmed >= 4, "{:#?}", t.claims);
    assert!(t.flagged, "{:#?}", t.reasons);
    assert!(t.reasons.iter().any(|r| r.contains("minihttp_jar_compact, a function in the project's own namespace")), "{:#?}", t.reasons);
    // The same slip under a name that is not the project's: one contradiction among claims that
    // hold, which does not flag on its own.
    let t = triage_text(&run, "slip.md", &report("jar_compact"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "jar_compact").status, Status::Contradicted);
    assert!(!t.flagged, "{:#?}", t.reasons);
    // A report whose many other claims hold may name a helper of code newer than the clone.
    let long = format!(
        "{}\nThe jar is also reached from `read_len()` and `read_raw()` in `lib/cookie.c`, `cookie_expires()` sets the expiry, \
         `minihttp_jar_size()` counts it, and `parse_header()` and `store_header()` in `lib/parse.c` feed it, \
         after `copy_host()` and `set_method()` in `lib/url.c`.\n",
        report("minihttp_jar_compact")
    );
    let t = triage_text(&run, "many.md", &long, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "minihttp_jar_compact").status, Status::Contradicted);
    assert!(t.summary.confirmed >= 12, "{:#?}", t.claims);
    assert!(!t.flagged, "{:#?}", t.reasons);
}

#[test]
fn a_call_given_the_room_left_in_its_buffer_is_found_in_the_function_the_report_names() {
    let run = open();
    let text = "# Heap overflow in the resolver\n\nIn minihttp 2.0.0 the resolver function resolve_host located in lib/resolve.c \
                computes the buffer offset and size for lookup_host_r() wrongly, so a long DNS answer overflows the heap buffer.\n";
    let t = triage_text(&run, "room.md", text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "resolve_host").status, Status::Confirmed);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let call = fixture::line(fixture::RESOLVE_C, "h = lookup_host_r(");
    let alloc = fixture::line(fixture::RESOLVE_C, "calloc(1, HOSTENT_SIZE)");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line, l.end_line)), Some(("lib/resolve.c", alloc, Some(call))));
    assert!(f.message.contains("the room left in buf"), "{}", f.message);
    assert!(t.flagged, "{:#?}", t.reasons);
}

#[test]
fn a_call_written_out_in_the_sentence_must_be_near_the_cited_line() {
    let run = open();
    let n = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let text = format!("# Overflow in cookies\n\nAt lib/cookie.c:{n} the cookie is copied with memcpy() using the attacker's length.\n");
    let t = triage_text(&run, "memcpy.md", &text, &Policy::default(), &At::Auto);
    let c = claim(&t, "line", &format!("lib/cookie.c:{n}"));
    assert_eq!(c.status, Status::Confirmed, "{c:#?}");
    assert!(c.evidence.contains("names memcpy"), "{}", c.evidence);
    // The file calls free() only far from the line cited.
    let text = format!("# Double free in cookies\n\nAt lib/cookie.c:{n} the value is released with free() a second time.\n");
    let t = triage_text(&run, "free.md", &text, &Policy::default(), &At::Auto);
    let c = claim(&t, "line", &format!("lib/cookie.c:{n}"));
    assert_eq!(c.status, Status::Contradicted, "{c:#?}");
    assert!(c.evidence.contains("free is not within 15 lines"), "{}", c.evidence);
}

#[test]
fn a_cited_line_in_the_function_that_makes_the_call_further_off_is_drift() {
    // parse_status() calls decode_cert() at its top and runs on for thirty lines; the report
    // cites the function's end (line numbers of a newer tree).
    let cert = "int decode_cert(const char *p)\n{\n  return p[0];\n}\n";
    let mut code =
        String::from("int decode_cert(const char *p);\n\nint parse_status(const char *p, int n)\n{\n  int r = decode_cert(p);\n");
    for i in 0..30 {
        code.push_str(&format!("  r += p[{i}] * n;\n"));
    }
    code.push_str("  return r;\n}\n\nint other(const char *p)\n{\n");
    for i in 0..30 {
        code.push_str(&format!("  p += {i};\n"));
    }
    code.push_str("  return p[0];\n}\n");
    let text =
        "# NULL dereference in parse_status\n\nAt line 34 in lib/status.c, in the call to `decode_cert()`, the certificate may be NULL.\n";
    let t = triage_files(&[("lib/status.c", &code), ("lib/cert.c", cert)], text);
    let c = claim(&t, "line", "lib/status.c:34");
    assert_eq!(c.status, Status::Unverifiable, "{c:#?}");
    assert!(c.evidence.contains("the same function calls decode_cert at line 5"), "{}", c.evidence);
    // A line in another function that never calls it is still wrong.
    let t = triage_files(&[("lib/status.c", &code), ("lib/cert.c", cert)], &text.replace("line 34", "line 66"));
    assert_eq!(claim(&t, "line", "lib/status.c:66").status, Status::Contradicted);
}

#[test]
fn a_cited_line_beside_the_copy_the_report_names_is_answered_by_that_copy() {
    let code = "struct bucket { char *buf; size_t len; };\n\nstruct bucket *bucket_new(const char *buf, size_t len)\n{\n  struct bucket *b = malloc(sizeof(*b));\n\n  b->buf = malloc(len);\n  memcpy(b->buf, buf, len);\n  b->len = len;\n  return b;\n}\n";
    let text = "# fix: memcpy in lib/bucket.c\n\n| **File** | `lib/bucket.c:6` |\n\nThe memcpy in lib/bucket.c copies data into the bucket's buffer without checking that the length fits the allocation, a heap buffer overflow.\n";
    let t = triage_tree("lib/bucket.c", code, text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("lib/bucket.c:8") && f.message.contains("nearest line 6"), "{}", f.message);
    // A report that names no copy is not answered by one nearby.
    let t = triage_tree(
        "lib/bucket.c",
        code,
        &text.replace("The memcpy in", "The code in").replace("fix: memcpy in", "fix:"),
        &Policy::default(),
    );
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // Nor by one in another function (the copy at line 8 is six lines above line 14).
    let two = format!("{code}\nint bucket_count(const struct bucket *b)\n{{\n  return b->len > 0;\n}}\n");
    let t = triage_tree("lib/bucket.c", &two, &text.replace("lib/bucket.c:6", "lib/bucket.c:14"), &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_size_check_against_a_count_the_report_says_changed_is_argued_past() {
    let code = "int get_map(struct sf *psf, void *data, int datasize)\n{\n  if (data == NULL || datasize != (int) sizeof(int) * psf->sf.channels)\n    return 0;\n  memcpy(data, psf->channel_map, datasize);\n  return 1;\n}\n";
    let text = "# heap-buffer-overflow in get_map\n\nThe map is allocated for one channel, then a second chunk sets the count:\n\n```c\npsf->sf.channels = 255; // updated\n```\n\n```c\nmemcpy(data, psf->channel_map, datasize); // crash\n```\n";
    let t = triage_tree("src/sf.c", code, text, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // Said in prose, the same.
    let prose = "# heap-buffer-overflow in get_map\n\nA second chunk overwrites psf->sf.channels after the map was allocated.\n\n```c\nmemcpy(data, psf->channel_map, datasize); // crash\n```\n";
    let t = triage_tree("src/sf.c", code, prose, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // Without it, the check answers the copy.
    let t = triage_tree(
        "src/sf.c",
        code,
        &prose.replace("A second chunk overwrites psf->sf.channels after the map was allocated.", "The copy overflows."),
        &Policy::default(),
    );
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_member_of_another_object_named_as_the_size_is_no_check_of_it() {
    // `c->len` is the context's member, not the length copied.
    let code = "void set_error(struct ctx *c, const char *msg, size_t len)\n{\n  if (c->len == 0) {\n    c->count++;\n    memcpy(c->buf, msg, len);\n  }\n}\n";
    let text = "# heap overflow in set_error\n\n```c\n    memcpy(c->buf, msg, len);\n```\n\nThe copy overflows c->buf when msg is long.\n";
    let t = triage_tree("lib/err.c", code, text, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // A check of the length itself answers the copy.
    let checked = code.replace("if (c->len == 0)", "if (len < sizeof(c->buf))");
    let t = triage_tree("lib/err.c", &checked, text, &Policy::default());
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_quote_that_marks_its_line_is_answered_on_that_line() {
    let code = "void print_num(const struct num *x, char *out)\n{\n  char str[64];\n  size_t n;\n  for (n = x->n - 1; n > 0; n--)\n    if (x->p[n] != 0)\n      break;\n  snprintf(str, sizeof(str), \"value %d\", (int)n);\n  strcpy(out, str);\n}\n";
    let marked = "# print_num reads out of bounds when the number is empty\n\n```c\n  for (n = x->n - 1; n > 0; n--)\n    if (x->p[n] != 0)  **// when x->n == 0 this reads far out of bounds**\n      break;\n  snprintf(str, sizeof(str), \"value %d\", (int)n);\n```\n";
    let t = triage_tree("lib/num.c", code, marked, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // Unmarked, the quote is answered by its bounded copy.
    let plain = marked.replace("  **// when x->n == 0 this reads far out of bounds**", "");
    let t = triage_tree("lib/num.c", code, &plain, &Policy::default());
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn wrong_line_is_contradicted_with_what_the_file_holds() {
    let all = run_all(&Policy::default());
    let t = &all["wrong_line.md"];
    let l = claim(t, "line", "lib/parse.c:212");
    assert_eq!(l.status, Status::Contradicted);
    assert!(l.evidence.contains("has only 19 lines"), "{}", l.evidence);
    assert_eq!(claim(t, "file", "lib/parse.c").status, Status::Confirmed);
    assert!(t.flagged, "score {}", t.score);
}

#[test]
fn guarded_strcpy_is_found_and_pulls_the_score_down() {
    let all = run_all(&Policy::default());
    let t = &all["guarded.md"];
    // The code is there...
    let copy = fixture::line(fixture::URL_C, "strcpy(req->host, host);");
    assert_eq!(claim(t, "line", &format!("lib/url.c:{copy}")).status, Status::Confirmed);
    // ...but a length check guards it, and the finding shows both lines.
    let guard: Vec<_> = t.findings.iter().filter(|f| f.rule == "VCH-TRI-006").collect();
    assert_eq!(guard.len(), 1, "one finding for the one copy: {:#?}", t.findings);
    let check = fixture::line(fixture::URL_C, "if(hlen >= sizeof(req->host))");
    assert_eq!(guard[0].evidence, format!("{check}: if(hlen >= sizeof(req->host)) | {copy}: strcpy(req->host, host);"));
    assert_eq!(guard[0].location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/url.c", check)));
    assert!(t.flagged, "score {}", t.score);
    assert!(t.score < all["genuine.md"].score);
}

#[test]
fn a_size_check_does_not_answer_a_copy_between_overlapping_strings() {
    let run = open();
    let copy = fixture::line(fixture::URL_C, "strcpy(req->host, host);");
    let text = format!(
        "# No overlap check in the host setter\n\nAt lib/url.c:{copy} the host is copied with strcpy(), which needs strings that do not \
         overlap; setting the host from its own value copies a string onto itself.\n"
    );
    let t = triage_text(&run, "overlap.md", &text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "line", &format!("lib/url.c:{copy}")).status, Status::Confirmed);
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // The same copy said to overflow is still answered by the check.
    let text = format!("# Overflow in the host setter\n\nAt lib/url.c:{copy} the host is copied with strcpy() and overflows req->host.\n");
    let t = triage_text(&run, "overflow.md", &text, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn code_that_two_files_share_is_located_in_the_one_the_report_names() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    let body = |name: &str| {
        format!(
            "void {name}(char *buf, struct meta *m)\n{{\n  lookup_value(m->table, \"DimensionName\", buf);\n  strcat(m->names, buf);\n}}\n"
        )
    };
    std::fs::write(root.join("lib/grid.c"), body("grid_dims")).unwrap();
    std::fs::write(root.join("lib/swath.c"), body("swath_dims")).unwrap();
    let text = "# Overflow in the swath reader\n\nThe swath reader (lib/swath.c) appends names without a bound.\n\n## Root cause\n\nThe names are appended here:\n\n```c\n  lookup_value(m->table, \"DimensionName\", buf);\n  strcat(m->names, buf);\n```\n";
    let t = triage_in(&root, text, &Policy::default());
    let c = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Confirmed, "{c:#?}");
    assert_eq!(c.location.as_ref().map(|l| l.path.as_str()), Some("lib/swath.c"), "{c:#?}");
}

#[test]
fn a_reproducer_passing_an_unterminated_buffer_to_a_string_function_misuses_it() {
    let code = "#include <string.h>\n\nvoid mh_minify(char *json)\n{\n  char *into = json;\n  while (*json) {\n    *into++ = *json++;\n  }\n  *into = 0;\n}\n\nvoid mh_minify_len(char *json, size_t length)\n{\n  (void)json;\n  (void)length;\n}\n";
    let poc = |body: &str| {
        format!("# Over-read in mh_minify\n\n`mh_minify()` in `lib/minify.c` reads past the end of its input:\n\n```c\n#include \"minify.h\"\n\nint main(void)\n{{\n{body}\n  return 0;\n}}\n```\n")
    };
    let t = triage_tree("lib/minify.c", code, &poc("  char data[4] = {'a', 'b', '\"', '\\\\'};\n  mh_minify(data);"), &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-039").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("`data`") && f.message.contains("mh_minify"), "{}", f.message);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // An array the initialiser leaves room in is zero-filled: terminated.
    let t = triage_tree("lib/minify.c", code, &poc("  char data[8] = {'a', 'b'};\n  mh_minify(data);"), &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-039"), "{:#?}", t.findings);
    // A function that takes the length is told where the buffer ends.
    let t = triage_tree("lib/minify.c", code, &poc("  char data[2] = {'a', 'b'};\n  mh_minify_len(data, 2);"), &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-039"), "{:#?}", t.findings);
    // A loop that never ends is not what a missing terminator causes.
    let hang = poc("  char data[4] = {'a', 'b', '/', 'c'};\n  mh_minify(data);")
        .replace("reads past the end of its input", "never ends: an infinite loop");
    let t = triage_tree("lib/minify.c", code, &hang, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-039"), "{:#?}", t.findings);
    // A fuzzing harness's raw input cast to a string.
    let harness = "# Over-read in mh_minify\n\n`mh_minify()` in `lib/minify.c` reads past the end of its input, found with this harness:\n\n```c\n#include <stdint.h>\n#include \"minify.h\"\n\nint LLVMFuzzerTestOneInput(const uint8_t *buf, size_t len)\n{\n  mh_minify((char *)buf);\n  return 0;\n}\n```\n";
    let t = triage_tree("lib/minify.c", code, harness, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-039").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("raw input `buf`"), "{}", f.message);
}

#[test]
fn an_allocations_null_test_bounds_no_size() {
    let code = "#include <stdlib.h>\n#include <string.h>\n\nint set_map(struct ctx *c, const int *src, size_t n)\n{\n  size_t size = n * sizeof(int);\n  if ((c->map = malloc(size)) == NULL)\n    return -1;\n  memcpy(c->map, src, size);\n  return 0;\n}\n\nint get_map(struct ctx *c, int *data, size_t datasize)\n{\n  if (data == NULL || datasize != sizeof(c->map[0]) * c->channels)\n    return -1;\n  memcpy(data, c->map, datasize);\n  return 0;\n}\n";
    let text = "# Heap overflow in set_map\n\n`set_map()` in `lib/map.c` copies `size` bytes into the map:\n\n```c\n  c->map = malloc(size);\n  memcpy(c->map, src, size);\n```\n";
    let t = triage_tree("lib/map.c", code, text, &Policy::default());
    assert_eq!(claim(&t, "function", "set_map").status, Status::Confirmed);
    // The NULL test is no check of the size; the allocation with the copy's own size is what
    // answers an overflow of the destination.
    assert!(
        !t.findings.iter().any(|f| f.message.contains("check of its size")) && !rules(&t).contains(&"VCH-TRI-017"),
        "{:#?}",
        t.findings
    );
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("line 7 allocated with room for them"), "{}", f.message);
    // An over-read whose report quotes the comparison of the size beside the copy argues past it.
    let read = "# Heap buffer over-read in get_map\n\n`get_map()` in `lib/map.c` reads `datasize` bytes from a map allocated for fewer channels:\n\n```c\n  if (data == NULL || datasize != sizeof(c->map[0]) * c->channels) ...\n  memcpy(data, c->map, datasize);\n```\n";
    let t = triage_tree("lib/map.c", code, read, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // Quoting only the copy leaves the comparison to answer it.
    let unquoted = "# Heap buffer over-read in get_map\n\n`get_map()` in `lib/map.c` reads past the map:\n\n```c\n  memcpy(data, c->map, datasize);\n```\n";
    let t = triage_tree("lib/map.c", code, unquoted, &Policy::default());
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_literal_copy_beside_an_unanswered_one_answers_nothing() {
    let code = "#include <string.h>\n\nvoid join_names(char *dimnames, const char *utlstr, int n)\n{\n  if(n > 0)\n    strcat(dimnames, \",\");\n  strcat(dimnames, utlstr);\n}\n";
    let text = "# Heap overflow in join_names\n\n`join_names()` in `lib/names.c` appends names without a bound:\n\n```c\n  if(n > 0)\n    strcat(dimnames, \",\");\n  strcat(dimnames, utlstr);\n```\n";
    let t = triage_tree("lib/names.c", code, text, &Policy::default());
    assert_eq!(claim(&t, "function", "join_names").status, Status::Confirmed);
    assert!(!rules(&t).contains(&"VCH-TRI-007"), "{:#?}", t.findings);
    // Quoting only the literal copy is answered by it.
    let text = "# Heap overflow in join_names\n\n`join_names()` in `lib/names.c` appends the separator without a bound:\n\n```c\n  if(n > 0)\n    strcat(dimnames, \",\");\n```\n";
    let t = triage_tree("lib/names.c", code, text, &Policy::default());
    assert!(rules(&t).contains(&"VCH-TRI-007"), "{:#?}", t.findings);
}

#[test]
fn a_file_named_with_a_stray_plural_s_is_a_slip_not_an_invention() {
    let run = open();
    let text =
        "# Crash in the URL parser\n\nThe crash is caused in `lib/urls.c`, where the host is copied; `lib/urlx.c` has the same bug.\n";
    let t = triage_text(&run, "plural.md", text, &Policy::default(), &At::Auto);
    let c = claim(&t, "file", "lib/urls.c");
    assert_eq!(c.status, Status::Unverifiable, "{c:#?}");
    assert!(c.evidence.contains("lib/url.c") && c.evidence.contains("plural"), "{}", c.evidence);
    assert_eq!(claim(&t, "file", "lib/urlx.c").status, Status::Contradicted);
}

#[test]
fn a_guard_in_code_from_after_the_report_is_shown_but_not_counted() {
    // Dated before the first release: the code checked is the first release, later than the
    // report, and the guard found there may be the report's own fix.
    let run = open();
    let text = fixture::reports().into_iter().find(|(n, _)| *n == "guarded.md").map(|(_, t)| t).unwrap();
    let dated = format!(
        "{}\n\n| | |\n|---|---|\n| **Reported** | 2023-06-01 |\n{}",
        text.lines().next().unwrap(),
        text.split_once('\n').unwrap().1
    );
    let t = triage_text(&run, "early.md", &dated, &Policy::default(), &At::Auto);
    assert!(t.checked.main.how.ends_with("the repository has none before it"), "{}", t.checked.main.how);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "the guard is still shown: {:#?}", t.findings);
    assert!(t.reasons.iter().any(|r| r.starts_with("not counted:") && r.contains("may be its fix")), "{:?}", t.reasons);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
}

#[test]
fn a_report_that_argues_about_the_check_is_not_refuted_by_it() {
    let run = open();
    let copy = fixture::line(fixture::URL_C, "strcpy(req->host, host);");
    let text = format!(
        "# Off-by-one in copy_host()\n\nThe check in `copy_host()` (lib/url.c:{copy}) is off by one:\n\n```c\n  if(hlen >= sizeof(req->host))\n    return URL_TOO_LONG;\n  strcpy(req->host, host);\n```\n"
    );
    // The check's presence does not answer it; its arithmetic does (`hlen = strlen(host)` and
    // `hlen >= sizeof(req->host)` leave room for the terminator).
    let t = triage_text(&run, "argued.md", &text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().filter(|f| f.rule == "VCH-TRI-006").collect::<Vec<_>>();
    assert!(f.len() == 1 && f[0].message.contains("cannot overflow by one"), "{:#?}", t.findings);
    // Where the arithmetic does not settle it (`>` lets a 64-byte host through), nothing does.
    let off = fixture::URL_C.replace("if(hlen >= sizeof(req->host))", "if(hlen > sizeof(req->host))");
    let t = triage_tree("lib/url.c", &off, &text.replace(">= sizeof", "> sizeof"), &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // An integer underflow argues about the check; a buffer underflow (a write before the
    // buffer) does not.
    let text = text.replace("# Off-by-one in", "# Overflow in");
    let integer = text.replace("is off by one", "fails when `hlen` underflows");
    let t = triage_tree("lib/url.c", &off, &integer.replace(">= sizeof", "> sizeof"), &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    let buffer = text.replace("is off by one", "lets the copy overflow, and a later write is a buffer underflow");
    let t = triage_text(&run, "buffer.md", &buffer, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // The reporter's own remark inside the quote, above the check it means, argues about it too;
    // a remark that says nothing of the check does not.
    let remark = |note: &str| {
        let text = text
            .replace("is off by one", "lets the copy overflow")
            .replace("  if(hlen >= sizeof(req->host))", &format!("  // {note}\n  if(hlen >= sizeof(req->host))"));
        triage_text(&run, "remark.md", &text, &Policy::default(), &At::Auto)
    };
    let presence = |t: &Triage| t.findings.iter().any(|f| f.rule == "VCH-TRI-006" && f.message.contains("is preceded by a check"));
    let t = remark("[2] This check has no effect");
    assert!(!presence(&t), "{:#?}", t.findings);
    let t = remark("[2] the copy follows");
    assert!(presence(&t), "{:#?}", t.findings);
    // The project's own comment, quoted with its code, is no remark of the reporter's.
    let commented = fixture::URL_C
        .replace("  if(hlen >= sizeof(req->host))", "  /* a port in the host has no effect here */\n  if(hlen >= sizeof(req->host))");
    let quoted = text
        .replace("is off by one", "lets the copy overflow")
        .replace("  if(hlen >= sizeof(req->host))", "  /* a port in the host has no effect here */\n  if(hlen >= sizeof(req->host))");
    let t = triage_tree("lib/url.c", &commented, &quoted, &Policy::default());
    assert!(presence(&t), "{:#?}", t.findings);
}

#[test]
fn debug_only_and_test_code_and_local_input_are_recognised() {
    let all = run_all(&Policy::default());
    let d = &all["debug_only.md"];
    let f = d.findings.iter().find(|f| f.rule == "VCH-TRI-008").expect("debug-only finding");
    assert!(f.message.contains("DEBUGBUILD"), "{}", f.message);
    assert_eq!(f.evidence, "#ifdef DEBUGBUILD");
    let t = &all["test_code.md"];
    assert!(rules(t).contains(&"VCH-TRI-009"), "{:#?}", t.findings);
    // Test output quoted beside a shipped function the report names: not a report about tests.
    let run = open();
    let text = "# Stuck parse

`parse_header()` in `lib/parse.c` never returns for a folded header; with the fix the test fails:

  tests/unit/test_parse.c:9 - parse_header(&req, \"Host\", 4)
";
    let t = triage_text(&run, "mixed.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-009"), "{:#?}", t.findings);
    let e = &all["local_env.md"];
    let f = e.findings.iter().find(|f| f.rule == "VCH-TRI-010").expect("local input finding");
    assert!(f.evidence.contains("getenv(\"HOME\")"), "{}", f.evidence);
    // Without a project policy they are findings, not exclusions: scored lower, not flagged.
    for n in ["debug_only.md", "test_code.md", "local_env.md"] {
        assert!(!rules(&all[n]).contains(&"VCH-TRI-013"), "{n}");
        assert!(all[n].score < all["genuine.md"].score, "{n}");
    }
    // With the project's policy they are out of scope, and flagged.
    let scoped = run_all(&project_policy());
    for n in ["debug_only.md", "test_code.md", "local_env.md"] {
        assert!(rules(&scoped[n]).contains(&"VCH-TRI-013"), "{n}: {:#?}", scoped[n].findings);
        assert!(scoped[n].flagged, "{n}");
    }
    assert!(!scoped["genuine.md"].flagged);
    assert!(!scoped["no_claims.md"].flagged);
    // A report that cites no code and whose attacker is the local user ranks lower, but is not
    // flagged for it when the policy does not rule local attackers out.
    let run = open();
    let text = "# Privilege escalation through a library search path\n\nA local user who can write a shared folder can make minihttp load a library of theirs.\n";
    let t = triage_text(&run, "local_only.md", text, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-010"), "{:#?}", t.findings);
    assert!(!t.flagged && t.score < all["no_claims.md"].score, "{} {:?}", t.score, t.reasons);
}

#[test]
fn a_report_older_than_every_release_is_checked_at_the_first_one() {
    let run = open();
    let text = "# Overflow\n\n| | |\n|---|---|\n| **Reported** | 2023-05-01 |\n\n`parse_header()` in `lib/parse.c` copies the name without a check.\n";
    let t = triage_text(&run, "old.md", text, &Policy::default(), &At::Auto);
    assert!(t.checked.main.label.starts_with("tag v1.0.0"), "{:?}", t.checked);
    assert!(t.checked.main.how.contains("first release after the report's date"), "{:?}", t.checked);
    // Code it quotes that the first release no longer has may be what a fix changed: not a
    // contradiction.
    let quoting = format!("{text}\n```c\n  char hdrname[16];\n  strcpy(hdrname, line_in);\n```\n");
    let t = triage_text(&run, "old.md", &quoting, &Policy::default(), &At::Auto);
    let c = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Unverifiable, "{c:#?}");
    assert!(c.evidence.contains("from after the report"), "{}", c.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    // So may a file it names that the first release no longer has: removed or renamed since.
    let naming = format!(
        "{text}
The same copy is in `lib/oldparse.c`.
"
    );
    let t = triage_text(&run, "old.md", &naming, &Policy::default(), &At::Auto);
    let c = t.claims.iter().find(|c| c.kind == "file" && c.text == "lib/oldparse.c").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Unverifiable, "{c:#?}");
    assert!(c.evidence.contains("removed or renamed since"), "{}", c.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    // A sanitizer trace whose line lies past the end of its file there: the file has changed
    // since, so the finding is shown but not counted.
    let traced = format!(
        "{text}\n```\n==41==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd5a3c1e40 at pc 0x4c2b1d bp 0x7ffd5a3c1df0 sp 0x7ffd5a3c1de8\n    #0 0x4c2b1d in parse_header /src/minihttp/lib/parse.c:999:3\n    #1 0x4c3a2e in main /src/minihttp/fuzz/fuzz_header.c:12:5\n```\n"
    );
    let t = triage_text(&run, "old.md", &traced, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    assert!(t.reasons.iter().any(|r| r.starts_with("not counted:") && r.contains("lines have moved since")), "{:?}", t.reasons);
    assert!(!t.reasons.iter().any(|r| r.starts_with("-1.2")), "{:?}", t.reasons);
    assert!(!t.flagged, "{:?}", t.reasons);
}

#[test]
fn placeholder_sanitizer_trace_is_impossible_evidence() {
    let all = run_all(&Policy::default());
    let t = &all["placeholder_trace.md"];
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-002").expect("placeholder finding");
    assert!(f.evidence.contains("0xXXXXXXXX"));
    assert!(rules(t).contains(&"VCH-TRI-003"), "no frame of the trace is project code: {:#?}", t.findings);
    // The prose names it as project code: contradicted. The frames themselves name no project
    // file, so as frames they are the runtime's or another library's (unverifiable).
    let prose = t.claims.iter().find(|c| c.text == "http_request_finalize" && c.origin == "prose").expect("prose claim");
    assert_eq!(prose.status, Status::Contradicted);
    let frame = t.claims.iter().find(|c| c.text == "http_request_finalize" && c.origin == "trace").expect("frame claim");
    assert_eq!(frame.status, Status::Unverifiable, "{}", frame.evidence);
    assert!(t.flagged);
    assert!(t.score < 0.1, "{}", t.score);
}

#[test]
fn fabricated_patch_is_recognised() {
    let all = run_all(&Policy::default());
    let t = &all["fake_patch.md"];
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-004").expect("fabricated patch finding");
    assert!(f.message.contains("1a2b3c4") || f.evidence.contains("1a2b3c4"), "{f:#?}");
    assert!(t.flagged, "score {}", t.score);
}

#[test]
fn duplicate_of_a_published_advisory_is_flagged() {
    let all = run_all(&Policy::default());
    let t = &all["duplicate.md"];
    assert_eq!(t.duplicates.len(), 1, "{:#?}", t.duplicates);
    let d = &t.duplicates[0];
    assert_eq!((d.kind, d.id.as_str()), ("advisory", fixture::ADVISORY_ID));
    assert!(d.similarity >= 0.8, "{}", d.similarity);
    assert!(!d.cited);
    assert!(rules(t).contains(&"VCH-TRI-011"));
    assert!(t.flagged);
    // Reports about something else are not duplicates of it.
    for n in ["genuine.md", "no_claims.md", "invented.md"] {
        assert!(all[n].duplicates.is_empty(), "{n}: {:#?}", all[n].duplicates);
    }
}

#[test]
fn a_report_repeating_an_advisory_word_for_word_is_its_duplicate() {
    let run = open();
    let fx = fixture::reports();
    let genuine = &fx.iter().find(|(n, _)| *n == "genuine.md").expect("fixture").1;
    // A report about other code that pastes a sentence of the published advisory into its prose.
    let pasted = "A malicious server that sends a chunk size line with more than sixteen hexadecimal digits makes the chunk size parser overflow its accumulator.";
    let undated = genuine.replacen("\n\n", &format!("\n\n{pasted}\n\n"), 1);
    // Without the report's date, the advisory may be what quotes the report: shown, not flagged.
    let t = triage_text(&run, "undated.md", &undated, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-011").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.evidence.ends_with("(the report has no date: the advisory may quote it)"), "{f:#?}");
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
    // Dated (the advisory's date is unknown here, so any date of the report will do).
    let copy = undated.replacen("\n\n", "\n\n| | |\n|---|---|\n| **Reported** | 2024-06-14 |\n\n", 1);
    let t = triage_text(&run, "copy.md", &copy, &Policy::default(), &At::Auto);
    assert_eq!(t.duplicates.first().and_then(|d| d.copied.as_ref()).map(|c| c.words), Some(23), "{:#?}", t.duplicates);
    let d = t.duplicates.first().unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(d.id, fixture::ADVISORY_ID);
    assert!(d.similarity < 0.5, "the copy, not the likeness, makes it a duplicate: {}", d.similarity);
    let c = d.copied.as_ref().expect("copied passage");
    assert_eq!(c.words, 23, "{c:?}");
    assert!(c.text.starts_with("A malicious server that sends") && c.text.ends_with("overflow its accumulator"), "{c:?}");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-011").expect("duplicate finding");
    assert!(f.message.starts_with("repeats 23 words of advisory MINIHTTP-2024-0001"), "{f:#?}");
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // Nineteen words in a row are a shared phrase, not a copied passage.
    let short = "A malicious server that sends a chunk size line with more than sixteen hexadecimal digits makes the chunk size";
    let near = genuine.replacen("\n\n", &format!("\n\n{short} field is misread.\n\n"), 1);
    let t = triage_text(&run, "near.md", &near, &Policy::default(), &At::Auto);
    assert!(t.duplicates.is_empty(), "{:#?}", t.duplicates);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
    // A report that names the advisory it quotes (to argue the fix is incomplete) is not flagged for it.
    let cited = copy.replacen(pasted, &format!("CVE-2024-99999 said: \"{pasted}\""), 1);
    let t = triage_text(&run, "cited.md", &cited, &Policy::default(), &At::Auto);
    assert!(t.duplicates.first().is_some_and(|d| d.cited && d.copied.is_some()), "{:#?}", t.duplicates);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
}

#[test]
fn output_the_report_calls_a_placeholder_is_impossible_evidence() {
    let run = open();
    let fx = fixture::reports();
    let genuine = &fx.iter().find(|(n, _)| *n == "genuine.md").expect("fixture").1;
    let t = triage_text(&run, "genuine.md", genuine, &Policy::default(), &At::Auto);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
    // The same report sent as an unfilled draft: its version output is "an example placeholder".
    let draft = format!(
        "{genuine}\n## Affected version\n\nPlease include the exact output of the version command here.\n(Example placeholder — replace with your exact output):\n\nminihttp 2.0.0\n"
    );
    let t = triage_text(&run, "draft.md", &draft, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-002").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(f.evidence, "replace with your exact output");
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // Steps that ask the reader to put their own host in place of a placeholder are no draft.
    let steps = format!("{genuine}\nReplace the placeholder address with your server's address before running it.\n");
    let t = triage_text(&run, "steps.md", &steps, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-002"), "{:#?}", t.findings);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
}

#[test]
fn a_pointer_moved_back_by_what_it_was_just_moved_forward() {
    let code = "#define SUBBUFSIZE 512\n#define SB_ACCUM(x, c) \\\n  do { \\\n    if(x->subpointer < (x->subbuffer + sizeof(x->subbuffer))) \\\n      *x->subpointer++ = (c); \\\n  } while(0)\n\n\
                struct tn { unsigned char subbuffer[SUBBUFSIZE]; unsigned char *subpointer; };\n\nvoid sb_end(struct tn *tn, int c)\n{\n  SB_ACCUM(tn, 255);\n  SB_ACCUM(tn, c);\n  tn->subpointer -= 2;\n}\n";
    let report = |body: &str| {
        format!(
            "# Suboption pointer underflow in lib/tn.c\n\nIn `sb_end()` the decrement `subpointer -= 2` is unconditional and causes an underflow when the buffer is full:\n\n```c\n{body}\n```\n"
        )
    };
    let quoted = "SB_ACCUM(tn, 255);\nSB_ACCUM(tn, c);\ntn->subpointer -= 2;";
    let t = triage_tree("lib/tn.c", code, &report(quoted), &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-050").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(
        f.message.contains("moved back by 2 right after 2 uses of SB_ACCUM") && f.message.contains("subbuffer (512 bytes)"),
        "{}",
        f.message
    );
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // Moved back by three after two steps forward, it can go below the start: no answer.
    let three = code.replace("-= 2;", "-= 3;");
    let t = triage_tree("lib/tn.c", &three, &report(&quoted.replace("-= 2;", "-= 3;")), &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-050"), "{:#?}", t.findings);
    // Writes that are not held at the buffer's end are no answer either.
    let unguarded = code.replace("if(x->subpointer < (x->subbuffer + sizeof(x->subbuffer)))", "if(c)");
    let t = triage_tree("lib/tn.c", &unguarded, &report(quoted), &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-050"), "{:#?}", t.findings);
}

#[test]
fn memory_said_to_grow_where_nothing_is_allocated() {
    let run = open();
    let report = |function: &str| {
        format!(
            "# Unbounded memory consumption in length decoding\n\n## Affected version\n\nminihttp 2.0.0\n\n\
             A server sending a long run of continuation bytes makes the function `{function}` in lib/cookie.c consume memory \
             without limit, until memory is exhausted and the client is killed.\n"
        )
    };
    // read_len and the decode_len it calls only count bytes: nothing there can grow.
    let t = triage_text(&run, "grows.md", &report("read_len"), &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-049").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(
        f.message.contains("read_len allocates nothing, nor do the project's functions it calls (decode_len) and those they call"),
        "{}",
        f.message
    );
    assert!(f.evidence.starts_with("read_len at lib/cookie.c:"), "{}", f.evidence);
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // range_slice allocates (`*out = malloc(len + 1);`): the claim stands for a maintainer to judge.
    let t = triage_text(&run, "allocates.md", &report("range_slice").replace("lib/cookie.c", "lib/range.c"), &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-049"), "{:#?}", t.findings);
    // cookie_add hands what it copied to jar_store, whose name says it keeps it: that may grow.
    let t = triage_text(&run, "caller.md", &report("cookie_add"), &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-049"), "{:#?}", t.findings);
    // Two calls down, a function reallocates: the memory may grow there.
    let chain = "#include <stdlib.h>\n#include <string.h>\n\nstatic char *enlarge(char *buf, size_t n)\n{\n  return realloc(buf, n);\n}\n\n\
                 static int keep(char **buf, size_t *cap, size_t need)\n{\n  if(need > *cap) {\n    *buf = enlarge(*buf, need);\n    *cap = need;\n  }\n  return *buf ? 0 : -1;\n}\n\n\
                 int chain_feed(char **buf, size_t *cap, const char *in, size_t n)\n{\n  if(keep(buf, cap, n))\n    return -1;\n  memcpy(*buf, in, n);\n  return 0;\n}\n";
    let t = triage_tree("lib/chain.c", chain, &report("chain_feed").replace("lib/cookie.c", "lib/chain.c"), &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-049"), "{:#?}", t.findings);
    // A report showing a run's trace (a fuzzer's out-of-memory stack) is answered by the trace.
    let traced = format!(
        "{}\n```\n==1==ERROR: libFuzzer: out-of-memory (malloc(4294967296))\n    #0 0x4a1b2c in malloc\n    #1 0x4c5d6e in read_len lib/cookie.c:183:3\n    #2 0x4c5f00 in LLVMFuzzerTestOneInput fuzz.c:9:3\n```\n",
        report("read_len")
    );
    let t = triage_text(&run, "traced.md", &traced, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-049"), "{:#?}", t.findings);
}

#[test]
fn a_proof_computed_from_constants_proves_nothing() {
    let run = open();
    let fx = fixture::reports();
    // A report of a credential leak on redirect, with no trace or code claim of its own.
    let genuine = &fx.iter().find(|(n, _)| *n == "no_claims.md").expect("fixture").1;
    // The reporter's script fingerprints the same constants before and after the project's call
    // and prints the equality as the proof.
    let script = "```python\nimport hashlib\ndef fp(headers, conn):\n    return hashlib.sha256(str(headers).encode() + conn.encode()).hexdigest()\nbefore = fp(headers={\"Authorization\": \"present\"}, conn=\"conn_1\")\nrun_request()\nafter = fp(headers={\"Authorization\": \"present\"}, conn=\"conn_1\")\nif before == after:\n    print(\"State persisted across the redirect\")\n```\n";
    let text = format!("{genuine}\n## Proof\n\n{script}");
    let t = triage_text(&run, "constant.md", &text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-018").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("compares before and after"), "{}", f.message);
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // The same script fingerprinting what the request returned is a real comparison.
    let real = script.replace("headers={\"Authorization\": \"present\"}", "headers=response_headers()");
    let real = real.replace("run_request()", "response_headers = run_request");
    let text = format!("{genuine}\n## Proof\n\n{real}");
    let t = triage_text(&run, "real.md", &text, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-018"), "{:#?}", t.findings);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
}

#[test]
fn timings_the_report_shows_against_the_growth_it_claims() {
    let run = open();
    let fx = fixture::reports();
    let genuine = &fx.iter().find(|(n, _)| *n == "genuine.md").expect("fixture").1;
    // The report calls the cost quadratic; its own table grows tenfold with a tenfold input.
    let linear = "| Input size | Time |\n|---|---|\n| 1,000 bytes | 0.4 ms |\n| 10,000 bytes | 4.1 ms |\n| 100,000 bytes | 39 ms |\n";
    let claim = "The unescape loop rescans the output for every escape, which is O(n^2) in the URL length.";
    let slow = format!("{genuine}\n## Performance\n\n{claim}\n\n{linear}");
    let t = triage_text(&run, "slow.md", &slow, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-048").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("100x the input took 98x the time"), "{}", f.message);
    assert_eq!(f.evidence, "1,000 bytes → 0.4 ms; 100,000 bytes → 39 ms");
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // Timings that grow as claimed (a hundredfold per tenfold) are the report's evidence, not against it.
    let square = "| Input size | Time |\n|---|---|\n| 1,000 bytes | 0.4 ms |\n| 10,000 bytes | 41 ms |\n| 100,000 bytes | 3.9 s |\n";
    let slow = format!("{genuine}\n## Performance\n\n{claim}\n\n{square}");
    let t = triage_text(&run, "slow.md", &slow, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-048"), "{:#?}", t.findings);
    assert!(!t.flagged, "score {} {:?}", t.score, t.reasons);
}

#[test]
fn claims_that_hold_only_at_an_older_tag_are_checked_there() {
    let all = run_all(&Policy::default());
    let t = &all["older_tag.md"];
    assert!(t.checked.main.label.starts_with("tag v1.0.0"), "{:?}", t.checked);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    assert_eq!(claim(t, "function", "legacy_unescape").status, Status::Confirmed);
    let legacy = fixture::line(fixture::PARSE_C_V1, "dst[i] = src[i];");
    let l = claim(t, "line", &format!("lib/parse.c:{legacy}"));
    assert_eq!(l.status, Status::Confirmed);
    assert!(l.evidence.contains("dst[i] = src[i];"));
    assert!(!t.flagged, "score {}", t.score);
    // The code is gone from the latest code: the maintainer is told it may be fixed already.
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-016").expect("changed-since finding");
    assert!(f.evidence.contains("function legacy_unescape"), "{}", f.evidence);

    // Checked at a later release instead (as a one-ref checker would), the same claims fail.
    let run = open();
    let text = fixture::reports().into_iter().find(|(n, _)| *n == "older_tag.md").unwrap().1;
    let later = triage_text(&run, "older_tag.md", &text, &Policy::default(), &At::Ref("v2.0.0".into()));
    assert!(later.checked.main.label.starts_with("v2.0.0 ("), "{:?}", later.checked);
    assert_eq!(claim(&later, "function", "legacy_unescape").status, Status::Contradicted);
    assert!(later.score < t.score);

    // Without the version line, the report's date picks the release current then.
    let undated: String = text.lines().filter(|l| !l.contains("1.0.0")).collect::<Vec<_>>().join("\n");
    let at = At::Date(parse_date("2024-03-01").unwrap(), "2024-03-01".into());
    let dated = triage_text(&run, "older_tag.md", &undated, &Policy::default(), &at);
    assert!(dated.checked.main.label.starts_with("tag v1.0.0"), "{:?}", dated.checked);
    assert!(dated.checked.main.how.contains("2024-03-01"), "{}", dated.checked.main.how);
    assert_eq!(claim(&dated, "function", "legacy_unescape").status, Status::Confirmed);

    // With neither a version nor a date, HEAD is checked; what HEAD lacks but an earlier release
    // has is found there, not contradicted, while a name no release has stays contradicted.
    let bare = format!(
        "{undated}\n\nThe loop of `legacy_unescape()`:\n\n```c\n    if(src[i] == '%')\n      continue;\n    dst[i] = src[i];\n```\n\nThe old callers go through `legacy_unescape_all()` first.\n"
    );
    let t = triage_text(&run, "older_tag.md", &bare, &Policy::default(), &At::Auto);
    assert!(t.checked.main.how.contains("no version or date"), "{:?}", t.checked);
    let c = claim(&t, "function", "legacy_unescape");
    assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
    assert!(c.evidence.contains("earlier release tag v1.0.0"), "{}", c.evidence);
    let l = claim(&t, "line", &format!("lib/parse.c:{legacy}"));
    assert_ne!(l.status, Status::Contradicted, "{}", l.evidence);
    let q = t.claims.iter().find(|c| c.kind == "snippet" && c.text.contains("src[i] == '%'")).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(q.status, Status::Confirmed, "{}", q.evidence);
    assert!(q.evidence.contains("earlier release tag v1.0.0"), "{}", q.evidence);
    assert_eq!(claim(&t, "function", "legacy_unescape_all").status, Status::Contradicted);
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-014"), "{:#?}", t.findings);
}

#[test]
fn genuine_report_without_code_claims_is_not_penalised() {
    let all = run_all(&Policy::default());
    let t = &all["no_claims.md"];
    assert_eq!(t.summary.confirmed + t.summary.contradicted, 0, "{:#?}", t.claims);
    assert!(t.findings.is_empty(), "{:#?}", t.findings);
    assert!(!t.flagged);
    assert!(t.score >= 0.55, "{}", t.score);
    assert!(t.reasons.iter().any(|r| r.contains("nothing speaks for or against")));
}

#[test]
fn ranking_puts_every_genuine_report_above_every_fabricated_one() {
    let all = run_all(&project_policy());
    let genuine = ["genuine.md", "older_tag.md", "no_claims.md"];
    let fabricated = ["invented.md", "wrong_line.md", "guarded.md", "placeholder_trace.md", "duplicate.md", "fake_patch.md"];
    for g in genuine {
        assert!(!all[g].flagged, "{g} flagged: {:?}", all[g].reasons);
        for f in fabricated {
            assert!(all[g].score > all[f].score, "{g} ({}) <= {f} ({})", all[g].score, all[f].score);
        }
    }
    for f in fabricated {
        assert!(all[f].flagged, "{f} not flagged: {:?}", all[f].reasons);
    }
}

#[test]
fn plain_source_tree_is_checked_as_it_is() {
    // A release tarball: the tree is the version checked.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join("lib/cookie.c"), fixture::COOKIE_C).unwrap();
    std::fs::write(root.join("lib/cookie.h"), fixture::COOKIE_H).unwrap();
    let project = Project::open(&root, Limits::default()).unwrap();
    assert_eq!(project.name(&Policy::default()).as_deref(), Some("minihttp"));
    let text = fixture::reports().into_iter().find(|(n, _)| *n == "genuine.md").unwrap().1;
    let policy = Policy::default();
    let report = parse_for(&text, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
    let t = triage("genuine.md", &report, &cx).unwrap();
    assert!(t.checked.main.label.starts_with("tree "), "{:?}", t.checked);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    assert_eq!(claim(&t, "function", "cookie_add").status, Status::Confirmed);
}

#[test]
fn development_and_distribution_versions_map_to_releases() {
    let run = open();
    let body = "\n\n`cookie_add()` in `lib/cookie.c` copies the value without a length check.\n";
    // A -DEV build comes after the newest release before that version.
    let dev =
        triage_text(&run, "dev.md", &format!("# Overflow\n\nAffected version: minihttp 2.1.0-DEV{body}"), &Policy::default(), &At::Auto);
    assert!(dev.checked.main.label.starts_with("tag v2.0.0"), "{:?}", dev.checked);
    assert!(dev.checked.main.how.contains("development after 2.0.0"), "{}", dev.checked.main.how);
    // A distribution package is its upstream release.
    let distro = triage_text(&run, "distro.md", &format!("# Overflow\n\nTested on minihttp 1.1.0-r2{body}"), &Policy::default(), &At::Auto);
    assert!(distro.checked.main.label.starts_with("tag v1.1.0"), "{:?}", distro.checked);
    assert_eq!(claim(&distro, "version", "1.1.0-r2").status, Status::Confirmed);
    // A report dated on a release day is about the release before it (disclosure comes with the fix).
    let dated = triage_text(&run, "dated.md", &format!("# Overflow\n\n**Disclosed**: 2025-03-01{body}"), &Policy::default(), &At::Auto);
    assert!(dated.checked.main.label.starts_with("tag v1.1.0"), "{:?}", dated.checked);
    assert!(dated.checked.main.how.contains("before the report's date"), "{}", dated.checked.main.how);
}

#[test]
fn line_drift_other_projects_and_proposals_are_not_contradictions() {
    let run = open();
    let policy = Policy::default();
    // Line numbers of another build: the function is in the cited file, elsewhere.
    let far = fixture::line(fixture::COOKIE_C, "free(jar);");
    let text = format!("# Overflow in cookie_add\n\nThe overflow happens in `cookie_add()` at `lib/cookie.c:{far}`.\n");
    let t = triage_text(&run, "drift.md", &text, &policy, &At::Auto);
    let l = claim(&t, "line", &format!("lib/cookie.c:{far}"));
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert!(l.evidence.contains("cookie_add() is defined at lib/cookie.c:10"), "{}", l.evidence);
    // A type named next to the line (`range_spec`, a struct) is no function the line must be in.
    let sum = fixture::line(fixture::RANGE_C, "return end - start + 1;");
    let text = format!("# Range length\n\n- the bounds kept in `range_spec`: `lib/range.c:{sum}`\n");
    let t = triage_text(&run, "type.md", &text, &policy, &At::Auto);
    let l = claim(&t, "line", &format!("lib/range.c:{sum}"));
    assert_eq!(l.status, Status::Confirmed, "{}", l.evidence);
    // Code shown for a line with arguments elided (`memcpy(buf, ..., vlen)`) is compared up to the elision.
    let copy = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let text = format!("# Overflow in cookie_add\n\n`lib/cookie.c:{copy}` calls `memcpy(buf, ..., vlen)` with the attacker's length.\n");
    let t = triage_text(&run, "elided.md", &text, &policy, &At::Auto);
    let l = claim(&t, "line", &format!("lib/cookie.c:{copy}"));
    assert_eq!(l.status, Status::Confirmed, "{}", l.evidence);
    // A file the report links in another project.
    let text = "# Host key check\n\nThe relevant logic is in `src/knownhosts.c` of libssh, see https://git.libssh.org/projects/libssh.git/tree/src/knownhosts.c for details.\n\nThe libssh matching logic is effectively:\n\n```c\nfound = SSH_KNOWN_HOSTS_UNKNOWN;\nif(ssh_key_type(server_key) == ssh_key_type(entry_key))\n    found = SSH_KNOWN_HOSTS_CHANGED;\nreturn found;\n```\n";
    let t = triage_text(&run, "dep.md", text, &policy, &At::Auto);
    let f = claim(&t, "file", "src/knownhosts.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    let s = claim(&t, "snippet", "found = SSH_KNOWN_HOSTS_UNKNOWN;");
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    assert!(s.evidence.contains("libssh"), "{}", s.evidence);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    // A function the report proposes as the fix.
    let text = "# Missing host check\n\nThe cookie code in `lib/cookie.c` never compares hosts.\n\n## Recommendation\n\nImplement a `cookie_host_matches()` function in `lib/cookie.c` and call it from `cookie_add()`.\n";
    let t = triage_text(&run, "proposal.md", text, &policy, &At::Auto);
    let f = claim(&t, "function", "cookie_host_matches");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    // A check the report says to add, and one it offers as a possible fix.
    let text = "# Missing host check\n\nThe cookie code in `lib/cookie.c` never compares hosts.\n\nRecommended fix:\n\n1. lib/cookie.c - Add cookie_host_ok() check before the store\n\nA possible fix is to guard `cookie_add()` with a check analogous to `jar_is_locked(jar)`.\n";
    let t = triage_text(&run, "proposal2.md", text, &policy, &At::Auto);
    for name in ["cookie_host_ok", "jar_is_locked"] {
        let f = claim(&t, "function", name);
        assert_eq!(f.status, Status::Unverifiable, "{name}: {}", f.evidence);
        assert!(f.evidence.contains("proposed by the report"), "{}", f.evidence);
    }
    // A function the report says the project calls is a claim, whatever else the sentence says.
    let text =
        "# Missing host check\n\nIn `lib/cookie.c`, `cookie_add()` calls `cookie_host_ok()` to check the host, but the check is wrong.\n";
    let t = triage_text(&run, "proposal3.md", text, &policy, &At::Auto);
    assert_eq!(claim(&t, "function", "cookie_host_ok").status, Status::Contradicted);
}

#[test]
fn unknown_commits_contradict_only_in_a_full_history() {
    let run = open();
    let text = "# Overflow in cookie_add\n\nIntroduced in commit `0badc0ffee1234` of the cookie code (minihttp 1.0.5), `cookie_add()` in `lib/cookie.c` copies without a check.\n";
    let full = triage_text(&run, "commit.md", text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "commit", "0badc0ffee1234").status, Status::Contradicted);
    assert_eq!(claim(&full, "version", "1.0.5").status, Status::Contradicted);
    // A shallow clone's history is cut off: the commit may be older than it.
    let dir = tempfile::tempdir().unwrap();
    let shallow = dir.path().join("minihttp");
    let url = format!("file://{}", run._fx.path().display());
    let out = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, shallow.to_str().unwrap()])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Two release tags fetched shallowly: 1.0.5 would lie between them.
    for tag in ["v1.0.0", "v2.0.0"] {
        let out = std::process::Command::new("git")
            .args(["-C", shallow.to_str().unwrap(), "fetch", "-q", "--depth", "1", "origin", "tag", tag])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let project = Project::open(&shallow, Limits::default()).unwrap();
    let policy = Policy::default();
    let report = parse_for(text, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
    let t = triage("commit.md", &report, &cx).unwrap();
    let c = claim(&t, "commit", "0badc0ffee1234");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("shallow"));
    // ...and only the tags of the history it fetched.
    let v = claim(&t, "version", "1.0.5");
    assert_eq!(v.status, Status::Unverifiable, "{}", v.evidence);
    assert!(v.evidence.contains("shallow"), "{}", v.evidence);
    // A release the report names that lies between two the shallow clone has, more than a year
    // apart (v1.0.0 and v2.0.0): what they lack may be in it. The full history has every
    // release; there it is contradicted.
    let skipped = "# Overflow in cookie_trim\n\nIn minihttp 1.0.5, `cookie_trim()` in `lib/cookie.c` copies without a check.\n";
    let report = parse_for(skipped, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("skipped.md", &report, &cx).unwrap();
    assert_ne!(claim(&t, "function", "cookie_trim").status, Status::Contradicted);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-015").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("a release this shallow clone lacks"), "{}", f.message);
    assert!(!t.flagged, "{:?}", t.reasons);
    let full = triage_text(&run, "skipped.md", skipped, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "function", "cookie_trim").status, Status::Contradicted);
    // A permalink into the project's repository at a commit the shallow clone lacks: the file it
    // links may have been there. A full history would have the commit, so there it is contradicted.
    let link = "# Double free\n\nIt fails in [`gone_free`](https://github.com/someone/minihttp/blob/0badc0ffee1234aa/lib/gone.c#L3).\n";
    let report = parse_for(link, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("link.md", &report, &cx).unwrap();
    let f = claim(&t, "file", "lib/gone.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("at commit 0badc0ffee"), "{}", f.evidence);
    let full = triage_text(&run, "link.md", link, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "file", "lib/gone.c").status, Status::Contradicted);
    // So is a line past the end of a file the project has, linked at such a commit (the
    // development branch's file, longer than the release's); without the link it is contradicted.
    let long = "# Overflow\n\nThe copy at https://github.com/someone/minihttp/blob/0badc0ffee1234aa/lib/cookie.c#L4000 has no check.\n";
    let report = parse_for(long, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("long.md", &report, &cx).unwrap();
    let l = claim(&t, "line", "lib/cookie.c:4000");
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert!(l.evidence.contains("links this line at commit 0badc0ffee"), "{}", l.evidence);
    let plain = "# Overflow\n\nThe copy at lib/cookie.c:4000 has no check.\n";
    let report = parse_for(plain, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("plain.md", &report, &cx).unwrap();
    assert_eq!(claim(&t, "line", "lib/cookie.c:4000").status, Status::Contradicted);
    // A report dated between the shallow clone's releases, more than a year apart and months
    // after the older one: its line numbers are of code the clone does not have. Names still
    // count; a report naming the release checked is held to its lines; the full history has the
    // release of that day.
    let dated = "# Overflow\n\nDate: 2024-09-01\n\nThe copy at lib/cookie.c:4000 has no check, in `cookie_gone()`:\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x60b0000a3f71\n    #0 0x55d4c1a3f0a2 in cookie_add /src/minihttp/lib/cookie.c:4000:3\n```\n";
    let report = parse_for(dated, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("dated.md", &report, &cx).unwrap();
    let l = claim(&t, "line", "lib/cookie.c:4000");
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert!(
        l.evidence.contains("no code of the report's date (2024-09-01)") && l.evidence.contains("v1.0.0 of 2024-01-10"),
        "{}",
        l.evidence
    );
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    assert_eq!(claim(&t, "function", "cookie_gone").status, Status::Contradicted);
    let named = dated.replace("has no check, in", "has no check in minihttp 1.0.0, in");
    let report = parse_for(&named, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("named.md", &report, &cx).unwrap();
    assert_eq!(claim(&t, "line", "lib/cookie.c:4000").status, Status::Contradicted);
    let full = triage_text(&run, "dated.md", dated, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "line", "lib/cookie.c:4000").status, Status::Contradicted);
    // Another line's link is not this line's.
    let other = long.replace("#L4000 has no check.", "#L4 has no check; so does lib/cookie.c:4000.");
    let report = parse_for(&other, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("other.md", &report, &cx).unwrap();
    assert_eq!(claim(&t, "line", "lib/cookie.c:4000").status, Status::Contradicted);
    let full = triage_text(&run, "long.md", long, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "line", "lib/cookie.c:4000").status, Status::Contradicted);
    // A report that links the commit of the project it tested ("the current main"), which the
    // shallow clone lacks: a file missing from the releases checked may be there, and so may a
    // trace's line past the end of a file.
    let main = "# Heap overflow in jpeg.c\n\nOur fuzzer found it in the current main ([0badc0f](https://github.com/someone/minihttp/commit/0badc0ffee1234aa)).\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x60b0000a3f71\n    #0 0x55d4c1a3e2f1 in jpeg_next /src/minihttp/lib/jpeg.c:2454:5\n    #1 0x55d4c1a3f0a2 in cookie_add /src/minihttp/lib/cookie.c:4000:3\n```\n";
    let report = parse_for(main, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("main.md", &report, &cx).unwrap();
    let f = claim(&t, "file", "jpeg.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("names commit 0badc0ffee"), "{}", f.evidence);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    // Another project's commit says nothing of this one's code.
    let other = main.replace("someone/minihttp/commit", "someone/otherlib/commit");
    let report = parse_for(&other, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("other.md", &report, &cx).unwrap();
    assert_eq!(claim(&t, "file", "jpeg.c").status, Status::Contradicted);
    // A full history would have the commit: there it is contradicted.
    let full = triage_text(&run, "main.md", main, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "file", "jpeg.c").status, Status::Contradicted);
    // The full hash of the commit tested, given in the prose, counts as the link does; a short
    // one, which any text may hold, does not.
    let sha = "0badc0ffee1234aa0badc0ffee1234aa0badc0ff";
    let named = main.replace("([0badc0f](https://github.com/someone/minihttp/commit/0badc0ffee1234aa))", &format!("(commit: {sha})"));
    let report = parse_for(&named, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let t = triage("named.md", &report, &cx).unwrap();
    let f = claim(&t, "file", "jpeg.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("names commit 0badc0ffee"), "{}", f.evidence);
    let short = named.replace(sha, "0badc0ffee12");
    let report = parse_for(&short, &ClaimLimits::default(), Some("minihttp")).unwrap();
    assert_eq!(claim(&triage("short.md", &report, &cx).unwrap(), "file", "jpeg.c").status, Status::Contradicted);
    let full = triage_text(&run, "named.md", &named, &Policy::default(), &At::Auto);
    assert_eq!(claim(&full, "file", "jpeg.c").status, Status::Contradicted);
}

#[test]
fn a_quote_that_silently_leaves_out_the_check_is_found() {
    let run = open();
    let text = "# Stack overflow in parse_header()\n\n`parse_header()` in `lib/parse.c` copies the header name into a 64-byte buffer without checking its length:\n\n```c\n  char name[64];\n  memcpy(name, line, len);\n  name[len] = 0;\n  return store_header(req, name);\n```\n";
    let t = triage_text(&run, "omits.md", text, &Policy::default(), &At::Auto);
    let check = fixture::line(fixture::PARSE_C_V11, "if(len >= sizeof(name))");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-017").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/parse.c", check)));
    assert!(f.evidence.contains("if(len >= sizeof(name))") && f.evidence.contains("return -1;"), "{}", f.evidence);
    assert!(t.flagged, "{:?}", t.reasons);
    // Marking the elision is honest: not a finding.
    let elided = text.replace("  char name[64];\n", "  char name[64];\n  ...\n");
    let t = triage_text(&run, "elided.md", &elided, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-017"), "{:#?}", t.findings);
    let snipped = text.replace("  char name[64];\n", "  char name[64];\n  // --- snip ---\n");
    let t = triage_text(&run, "snipped.md", &snipped, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-017"), "{:#?}", t.findings);
    // A check of values the report never talks about is not the check it left out.
    let other = text.replace(
        "copies the header name into a 64-byte buffer without checking its length",
        "hands a dangling pointer to `store_header()` after a reset",
    );
    let t = triage_text(&run, "other.md", &other, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-017"), "{:#?}", t.findings);
    // Nor does a check answer a race: both threads pass it.
    let race = text
        .replace("# Stack overflow in parse_header()", "# Race condition in parse_header()")
        .replace("copies the header name into a 64-byte buffer without checking its length", "races on the header name and its length");
    let t = triage_text(&run, "race.md", &race, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-017"), "{:#?}", t.findings);
}

#[test]
fn a_quote_that_leaves_out_the_check_function_it_says_is_missing_is_found() {
    let code = "#include \"conn.h\"\n\nstatic int proto_config_matches(struct conn *needle, struct conn *conn)\n{\n  if(!version_matches(needle, conn))\n    return 0;\n\n  if(needle->family == FAMILY_SSH) {\n    if(!ssh_keys_match(needle, conn))\n      return 0;\n  }\n  else if(needle->family == FAMILY_FTP) {\n    if(!ftp_conns_match(needle, conn))\n      return 0;\n  }\n  return 1;\n}\n";
    let text = "# SSH connection reuse ignores the key files\n\nAfter `ssh_keys_match` was removed, `proto_config_matches()` in `lib/conn.c` has no SSH branch, so a transfer with other key files reuses an authenticated connection:\n\n```c\nstatic int proto_config_matches(struct conn *needle, struct conn *conn)\n{\n  if(!version_matches(needle, conn))\n    return 0;\n\n  else if(needle->family == FAMILY_FTP) {\n    if(!ftp_conns_match(needle, conn))\n      return 0;\n  }\n  return 1;\n}\n```\n";
    let t = triage_tree("lib/conn.c", code, text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-017").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(f.location.as_ref().map(|l| l.line), Some(9), "{f:?}");
    assert!(f.evidence.contains("ssh_keys_match") && f.evidence.contains("return 0;"), "{}", f.evidence);
    // The same quote, when the prose never names the check function it leaves out, is no finding.
    let other = text.replace("After `ssh_keys_match` was removed, ", "");
    let t = triage_tree("lib/conn.c", code, &other, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-017"), "{:#?}", t.findings);
    // Nor is a quote that keeps the check.
    let whole = text.replace(
        "  else if(needle->family == FAMILY_FTP) {",
        "  if(needle->family == FAMILY_SSH) {\n    if(!ssh_keys_match(needle, conn))\n      return 0;\n  }\n  else if(needle->family == FAMILY_FTP) {",
    );
    let t = triage_tree("lib/conn.c", code, &whole, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-017"), "{:#?}", t.findings);
}

#[test]
fn names_in_the_other_spelling_or_without_a_static_underscore_are_the_projects() {
    let code = "static int evaluate_subframe_(int order)\n{\n  return order * 8;\n}\n\nint minihttp_analyze_frame(int bytes)\n{\n  return evaluate_subframe_(bytes);\n}\n";
    let text = "# Overflow in the frame analysis\n\nIn `lib/analyse.c`, `minihttp_analyse_frame()` multiplies the frame size by 8, and the function `evaluate_subframe` in `lib/analyse.c` overflows the same way; `minihttp_summarise_frame()` too.\n";
    let t = triage_tree("lib/analyze.c", code, text, &Policy::default());
    let f = claim(&t, "file", "lib/analyse.c");
    assert_eq!(f.status, Status::Confirmed, "{}", f.evidence);
    assert!(f.evidence.contains("lib/analyze.c") && f.evidence.contains("spells it"), "{}", f.evidence);
    let a = claim(&t, "function", "minihttp_analyse_frame");
    assert_eq!(a.status, Status::Confirmed, "{}", a.evidence);
    assert!(a.evidence.contains("minihttp_analyze_frame is defined at lib/analyze.c:6"), "{}", a.evidence);
    let e = claim(&t, "function", "evaluate_subframe");
    assert_eq!(e.status, Status::Confirmed, "{}", e.evidence);
    assert!(e.evidence.contains("evaluate_subframe_ is defined"), "{}", e.evidence);
    // A name no spelling of which the project has is still not the project's.
    assert_eq!(claim(&t, "function", "minihttp_summarise_frame").status, Status::Contradicted);
}

#[test]
fn a_gdb_frame_in_the_c_librarys_source_is_not_a_claim_about_the_project() {
    let code = "#include <string.h>\n\nint minihttp_do_handshake(char *out, const char *in, int len)\n{\n  memcpy(out, in, len);\n  return 0;\n}\n";
    let text = "# Stack smashing in minihttp_do_handshake\n\nThe server crashes on a long handshake message:\n\n```gdb\nProgram terminated with signal SIGSEGV, Segmentation fault.\n#0  0x0000ffff8f0c72a0 in a_crash () at ./src/internal/atomic.h:250\n250     ./src/internal/atomic.h: No such file or directory.\n(gdb) bt\n#0  0x0000ffff8f0c72a0 in a_crash () at ./src/internal/atomic.h:250\n#1  __stack_chk_fail () at src/env/__stack_chk_fail.c:26\n#2  0x0000ffff8ee76744 in minihttp_do_handshake (out=0xffff8ebec170, in=0xffff8ebd46e0, len=<optimized out>) at src/tls.c:5\n```\n";
    let t = triage_tree("src/tls.c", code, text, &Policy::default());
    let l = claim(&t, "line", "./src/internal/atomic.h:250");
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert!(l.evidence.contains("a_crash()"), "{}", l.evidence);
    assert_eq!(claim(&t, "line", "src/tls.c:5").status, Status::Confirmed);
    assert!(!t.flagged, "{:?}", t.reasons);
    // Pasted without a fence, gdb's note that it cannot open the source is its source line,
    // part of the trace: no claim about the project.
    let plain = text.replace("```gdb\n", "").replace("```\n", "");
    let t = triage_tree("src/tls.c", code, &plain, &Policy::default());
    assert!(!t.claims.iter().any(|c| c.text.contains("atomic.h") && c.status == Status::Contradicted), "{:#?}", t.claims);
    assert!(!t.flagged, "{:?}", t.reasons);
    // Retyped with one space, it reads as prose naming the file: the frame's file on the
    // reporter's machine, not a claim that the project has it.
    let retyped = plain.replace("250     ./src", "250 ./src");
    let t = triage_tree("src/tls.c", code, &retyped, &Policy::default());
    let f = claim(&t, "file", "./src/internal/atomic.h");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("debugger could not open it"), "{}", f.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    // An unclosed `gdb` fence (a report cut short) holds the whole output: its sentences
    // ("Program terminated with signal SIGSEGV") are the debugger's, not prose.
    let cut = text.trim_end().trim_end_matches("```");
    let report = vouch_claims::parse_for(cut, &ClaimLimits::default(), Some("minihttp")).unwrap();
    assert!(report.blocks.iter().all(|b| b.kind != vouch_claims::BlockKind::Prose || b.end_line < 5), "{:#?}", report.blocks);
    // A frame under the project's own prefix in a file the project lacks is still contradicted.
    let invented =
        text.replace("in a_crash () at ./src/internal/atomic.h:250\n250", "in minihttp_gone () at ./src/internal/atomic.h:250\n250");
    let t = triage_tree("src/tls.c", code, &invented, &Policy::default());
    let gone = t
        .claims
        .iter()
        .find(|c| c.kind == "line" && c.text == "./src/internal/atomic.h:250" && c.report_line == 7)
        .unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(gone.status, Status::Contradicted, "{}", gone.evidence);
}

#[test]
fn a_report_on_a_release_newer_than_the_clone_is_not_contradicted_by_it() {
    let run = open();
    // The clone's newest release is v2.0.0 and its newest commit is of 2025-09-01: a report of
    // 2026 about 2.1.0 may cite code the clone does not have yet.
    let text = |date: &str, version: &str| {
        format!("# Overflow in parse_trailer\n\n| | |\n|---|---|\n| **Reported** | {date} |\n\nIn minihttp {version}, `parse_trailer()` in `lib/parse.c` copies the trailer without a check.\n")
    };
    let t = triage_text(&run, "newer.md", &text("2026-03-01", "2.1.0"), &Policy::default(), &At::Auto);
    let c = claim(&t, "function", "parse_trailer");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("newer than every release of this clone"), "{}", c.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    assert!(rules(&t).contains(&"VCH-TRI-015"), "{:#?}", t.findings);
    // A version of another major number is no next release of the project (a compiler's, an
    // invented one): the clone still contradicts what it lacks.
    let t = triage_text(&run, "major.md", &text("2026-03-01", "21.1.8"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "parse_trailer").status, Status::Contradicted);
    // Nor is a clone whose newest commit is newer than the report stale for it.
    let t = triage_text(&run, "fresh.md", &text("2025-06-01", "2.1.0"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "parse_trailer").status, Status::Contradicted);
}

#[test]
fn a_call_chain_written_with_arrows_is_not_a_member_access() {
    let code = "struct req { int n; };\n\nstatic int store_header(struct req *r)\n{\n  return r->n;\n}\n\nint parse_header(struct req *r)\n{\n  return store_header(r);\n}\n";
    let text = "# Overflow in store_header\n\nThe overflow is reached through `parse_header->store_header` in `lib/parse.c`, and `r->count` is never checked.\n";
    let t = triage_tree("lib/parse.c", code, text, &Policy::default());
    let chain = t
        .claims
        .iter()
        .find(|c| c.text.contains("parse_header->store_header") || c.text == "store_header")
        .unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(chain.status, Status::Unverifiable, "{}", chain.evidence);
    assert!(chain.evidence.contains("call chain"), "{}", chain.evidence);
    // A member the project's structures do not have is still contradicted.
    let member = t.claims.iter().find(|c| c.text.contains("count")).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(member.status, Status::Contradicted, "{}", member.evidence);
}

#[test]
fn a_loop_bound_that_keeps_the_index_inside_the_array_is_found() {
    let run = open();
    let text = "# Stack overflow in copy_zone()\n\n`copy_zone()` in `lib/url.c` copies the zone id into the 16-byte `zone` array until `]`; a long zone id overflows it (off-by-one at the terminator too):\n\n```c\n  while(*h && (*h != ']') && (i < 15))\n    zone[i++] = *h++;\n```\n";
    let t = triage_text(&run, "zone.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let decl = fixture::line(fixture::URL_C, "char zone[16];");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/url.c", decl)));
    assert!(f.message.contains("index 14") && f.message.contains("16 elements"), "{}", f.message);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
}

#[test]
fn a_quoted_check_on_the_destination_size_still_guards_the_copy() {
    let run = open();
    // The report quotes the check and calls strcpy unsafe anyway: quoting is not arguing.
    let text = "# Buffer overflow in copy_host()\n\n`copy_host()` in `lib/url.c` calls strcpy, which is inherently unsafe, despite a check before it:\n\n```c\n  if(hlen >= sizeof(req->host))\n    return URL_TOO_LONG;\n  strcpy(req->host, host);\n```\n";
    let t = triage_text(&run, "quoted.md", text, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // A print bounded by the room left in its destination cannot overflow it.
    let text = "# Stack overflow in env_pair()\n\n`env_pair()` in `lib/print.c` overflows `temp`: the snprintf adds the `=` the length never counted:\n\n```c\n  len += snprintf(&temp[len], sizeof(temp) - len, \"%s=%s\", name, value);\n```\n";
    let t = triage_text(&run, "bounded.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("sizeof(temp) - len"), "{}", f.message);
    // An over-read of `value` is about the source: the bounded destination does not answer it.
    let text = "# Out-of-bounds read in env_pair()\n\n`env_pair()` in `lib/print.c` reads past the end of an unterminated `value`:\n\n```c\n  len += snprintf(&temp[len], sizeof(temp) - len, \"%s=%s\", name, value);\n```\n";
    let t = triage_text(&run, "overread.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_copy_into_a_structure_allocated_with_room_for_it_is_found() {
    let run = open();
    let text = "# Heap overflow in bundle_create()\n\n`struct bundle` declares `char name[1]`, but `bundle_create()` in `lib/bundle.c` copies `len` bytes into it:\n\n```c\n  memcpy(b->name, name, len);\n```\n\nAny name longer than one byte overflows the heap.\n";
    let t = triage_text(&run, "bundle.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let alloc = fixture::line(fixture::BUNDLE_C, "calloc(1, sizeof(*b) + len)");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/bundle.c", alloc)));
    assert!(f.message.contains("with room for them after the structure"), "{}", f.message);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // A value parsed with the destination's own limit before the copy.
    let text = "# Stack overflow in bundle_rename()\n\n`bundle_rename()` in `lib/bundle.c` copies the parsed name into the stack buffer `name` with no length check:\n\n```c\n  memcpy(name, val.ptr, val.len);\n```\n";
    let t = triage_text(&run, "rename.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("with the limit MAX_NAME_LEN"), "{}", f.message);
    let parse = fixture::line(fixture::BUNDLE_C, "if(parse_until(&in, &val, MAX_NAME_LEN");
    assert_eq!(f.location.as_ref().map(|l| l.line), Some(parse));
}

#[test]
fn an_overflow_in_compile_time_constants_is_found() {
    let run = open();
    let text = "# Integer overflow in the bundle name limit\n\n`lib/bundle.c` sizes names with a limit an attacker can overflow:\n\n```c\n#define MAX_NAME_LEN 32\n```\n";
    let t = triage_text(&run, "constant.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-022").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("compile-time constants"), "{}", f.message);
    // Arithmetic on a runtime value is not a constant.
    let text = "# Integer overflow in bundle_create()\n\n`bundle_create()` in `lib/bundle.c` overflows the size:\n\n```c\n  struct bundle *b = calloc(1, sizeof(*b) + len);\n```\n";
    let t = triage_text(&run, "runtime.md", text, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.message.contains("compile-time constants")), "{:#?}", t.findings);
}

#[test]
fn the_meaning_of_code_that_holds_only_at_another_version_is_checked_there() {
    let run = open();
    // The report names 1.1.0, which has no lib/bundle.c; the quote holds at a later version.
    let text = "# Heap overflow in bundle_create()\n\nTested on minihttp 1.1.0. `bundle_create()` copies `len` bytes into `char name[1]`:\n\n```c\n  struct bundle *b = calloc(1, sizeof(*b) + len);\n  if(!b)\n    return NULL;\n  b->len = len;\n  memcpy(b->name, name, len);\n```\n";
    let t = triage_text(&run, "later.md", text, &Policy::default(), &At::Auto);
    let s = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(s.status, Status::Confirmed, "{}", s.evidence);
    assert!(s.at.is_some(), "{:?}", s.at);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn a_poc_that_only_calls_other_libraries_is_found() {
    let run = open();
    let poc = "```c\n#include <openssl/ssl.h>\nint main(void)\n{\n  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());\n  SSL *ssl = SSL_new(ctx);\n  SSL_free(ssl);\n  SSL_CTX_free(ctx);\n  return 0;\n}\n```\n";
    let text = format!("# Use after free in minihttp TLS handling\n\nminihttp 2.0.0 frees the TLS session twice. Reproducer:\n\n{poc}");
    let t = triage_text(&run, "ssl.md", &text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-018").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.evidence.contains("SSL_new"), "{}", f.evidence);
    // Renaming macros of a dependency's symbols do not make them the project's.
    assert!(t.claims.iter().filter(|c| c.text.starts_with("SSL_")).all(|c| c.status != Status::Confirmed), "{:#?}", t.claims);
    // The same program next to a command that runs the project's tool is a harness, not the PoC.
    let with_run = format!("{text}\n```sh\n$ ./build/minihttp https://localhost:8443/\n```\n");
    let t = triage_text(&run, "ssl-run.md", &with_run, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
}

#[test]
fn a_format_string_chosen_by_the_poc_is_api_misuse() {
    let run = open();
    let text = "# Format string vulnerability in mh_fprintf\n\n`mh_fprintf()` in minihttp 2.0.0 lets an attacker inject format specifiers (CWE-134):\n\n```c\n#include <stdio.h>\nint main(void)\n{\n  char *user_input = \"%x %x %x %x\";\n  mh_fprintf(stdout, user_input);\n  return 0;\n}\n```\n";
    let t = triage_text(&run, "fmt.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-019").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`user_input`") && f.message.contains("parameter 2"), "{}", f.message);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // An overflow "in" a printf-like function without a size parameter is the caller's.
    let text2 = "# Buffer overflow in mh_sprintf\n\n`mh_sprintf()` in minihttp 2.0.0 writes past the end of the buffer without any bounds check:\n\n```c\n#include <stdio.h>\nint main(void)\n{\n  char small[8];\n  mh_sprintf(small, \"%s\", \"AAAAAAAAAAAAAAAAAAAAAAAA\");\n  return 0;\n}\n```\n";
    let t2 = triage_text(&run, "sprintf.md", text2, &Policy::default(), &At::Auto);
    let f = t2.findings.iter().find(|f| f.rule == "VCH-TRI-019").unwrap_or_else(|| panic!("{:#?}", t2.findings));
    assert!(f.message.contains("takes no buffer size"), "{}", f.message);
    assert!(t2.flagged, "{} {:?}", t2.score, t2.reasons);
    // A literal format in the PoC is no misuse.
    let literal = text.replace("mh_fprintf(stdout, user_input);", "mh_fprintf(stdout, \"%s\", user_input);");
    let t = triage_text(&run, "fmt-literal.md", &literal, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-019"), "{:#?}", t.findings);
}

#[test]
fn a_report_that_never_names_the_project_is_found() {
    let run = open();
    let text = "# Buffer overflow leading to remote code execution\n\n| | |\n|---|---|\n| **Program** | minihttp |\n\nThe program copies user input into a stack buffer with an unsafe function. An attacker sends a long string, overwrites the return address and gets a shell.\n";
    let vague = triage_text(&run, "vague.md", text, &Policy::default(), &At::Auto);
    assert!(rules(&vague).contains(&"VCH-TRI-020"), "{:#?}", vague.findings);
    // It is shown, but naming nothing neither flags nor lowers it: a fuzzer's crash file or a
    // short fix request in the project's own tracker needs no names.
    assert!(!vague.flagged, "{} {:?}", vague.score, vague.reasons);
    // Naming the project in its own text is enough: no code claims are needed.
    let named = text.replace("The program copies", "minihttp copies");
    let t = triage_text(&run, "named.md", &named, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-020"), "{:#?}", t.findings);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    assert_eq!(vague.score, t.score, "{:?} {:?}", vague.reasons, t.reasons);
    // So is a bare name the project defines, written without the marks that make it a claim.
    let bare = text.replace("The program copies user input", "The jar_store routine copies user input");
    let t = triage_text(&run, "bare.md", &bare, &Policy::default(), &At::Auto);
    assert!(!t.claims.iter().any(|c| c.text == "jar_store"), "a bare name is no claim: {:#?}", t.claims);
    assert!(!rules(&t).contains(&"VCH-TRI-020"), "{:#?}", t.findings);
}

#[test]
fn a_copy_named_only_by_a_proposed_fix_is_checked_where_it_is() {
    let run = open();
    let text = "# Buffer overflow in minihttp\n\nminihttp copies the host name with strcpy, which can overflow.\n\nFix:\n\n```c\nstrncpy(req->host, host, sizeof(req->host) - 1);\nreq->host[sizeof(req->host) - 1] = '\\0';\n```\n";
    let t = triage_text(&run, "fix.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let copy = fixture::line(fixture::URL_C, "strcpy(req->host, host);");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.end_line)), Some(("lib/url.c", Some(copy))), "{f:#?}");
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // A fix naming a copy the project does not have points nowhere.
    let other = text.replace("req->host, host", "dst, name").replace("req->host[sizeof(req->host)", "dst[sizeof(dst)");
    let t = triage_text(&run, "fix-other.md", &other, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn an_inline_trace_without_project_frames_is_found() {
    let run = open();
    let text = "# Heap overflow in minihttp\n\nminihttp overflows the heap, as the stack trace shows: `#0 __memcpy_avx_unaligned () at ../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:300, #1 0x00007ffff7e31b80 in CRYPTO_strdup () from /lib/x86_64-linux-gnu/libcrypto.so.3, #2 0x00007ffff756ef96 in OPENSSL_sk_new () from /lib/x86_64-linux-gnu/libcrypto.so.3`.\n";
    let t = triage_text(&run, "inline.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-003").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("report line 3") && f.evidence.contains("CRYPTO_strdup"), "{f:#?}");
}

#[test]
fn a_poc_that_runs_its_own_copy_of_the_function_is_found() {
    let run = open();
    let text = "# Stack overflow in copy_zone()\n\n`copy_zone()` in minihttp 2.0.0 overflows its output buffer. Test program:\n\n```c\n#include <string.h>\nint copy_zone(char *out, const char *h)\n{\n  strcpy(out, h);\n  return 0;\n}\nint main(void)\n{\n  char small[4];\n  copy_zone(small, \"AAAAAAAAAAAAAAAA\");\n  return 0;\n}\n```\n";
    let t = triage_text(&run, "copy.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-018").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let def = fixture::line(fixture::URL_C, "int copy_zone(char *out, const char *h)");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/url.c", def)), "{f:#?}");
    // Calling the project's function (declared, not defined) is a real reproducer.
    let calls = text.replace(
        "int copy_zone(char *out, const char *h)\n{\n  strcpy(out, h);\n  return 0;\n}\n",
        "int copy_zone(char *out, const char *h);\n",
    );
    let t = triage_text(&run, "calls.md", &calls, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
    // A helper of the harness that happens to share a name with project code is not the copy.
    let helper = calls.replace("int main(void)", "static int set_method(void)\n{\n  return 0;\n}\nint main(void)");
    let t = triage_text(&run, "helper.md", &helper, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
    // Named only as "the `copy_zone` function in `lib/url.c`" (no call parentheses), which the
    // program also defines: the prose still places it in the project.
    let placed = text.replace(
        "# Stack overflow in copy_zone()\n\n`copy_zone()` in minihttp 2.0.0 overflows",
        "# Stack overflow in zone parsing\n\nThe `copy_zone` function in `lib/url.c` (minihttp 2.0.0) overflows",
    );
    assert_ne!(placed, text);
    let t = triage_text(&run, "placed.md", &placed, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "copy_zone").status, Status::Confirmed);
    assert!(rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
    // Or as the value of a `Function:` label.
    let labelled = text.replace(
        "# Stack overflow in copy_zone()\n\n`copy_zone()` in minihttp 2.0.0 overflows",
        "# Stack overflow in zone parsing\n\nFunction: copy_zone\n\nThe zone parser of minihttp 2.0.0 overflows",
    );
    let t = triage_text(&run, "labelled.md", &labelled, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
}

#[test]
fn a_quote_of_code_that_had_already_changed_is_contradicted_with_where_it_was() {
    let run = open();
    // A one-line quote in plain text, introduced by a colon: the loop of legacy_unescape, which
    // 1.1.0 removed. The report is about 2.0.0.
    let text = "# Overflow in the unescape loop\n\nTested with minihttp 2.0.0. In lib/parse.c the copy never checks the destination:\ndst[i] = src[i];\nA long input overflows dst.\n";
    let t = triage_text(&run, "old_quote.md", text, &Policy::default(), &At::Auto);
    assert!(t.checked.main.label.starts_with("tag v2.0.0"), "{:?}", t.checked);
    let s = claim(&t, "snippet", "dst[i] = src[i];");
    assert_eq!(s.status, Status::Contradicted, "{s:#?}");
    assert!(s.evidence.contains("earlier release tag v1.0.0"), "{}", s.evidence);
    let legacy = fixture::line(fixture::PARSE_C_V1, "dst[i] = src[i];");
    assert_eq!(s.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/parse.c", legacy)));
    assert!(t.flagged, "score {}", t.score);
    // About 1.0.0, the same quote holds.
    let old = text.replace("2.0.0", "1.0.0");
    let t = triage_text(&run, "old_quote.md", &old, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "snippet", "dst[i] = src[i];").status, Status::Confirmed);
    // A report that says it shows the code as it was (its history) quotes it rightly.
    let history = text.replace("In lib/parse.c the copy never checks", "As introduced, the loop in lib/parse.c never checked");
    let t = triage_text(&run, "history.md", &history, &Policy::default(), &At::Auto);
    let s = claim(&t, "snippet", "dst[i] = src[i];");
    assert_eq!(s.status, Status::Confirmed, "{s:#?}");
    assert!(s.evidence.contains("as the report says (\"as introduced\")"), "{}", s.evidence);
    assert_eq!(s.at.as_deref().map(|a| a.starts_with("tag v1.0.0")), Some(true), "{s:#?}");
}

#[test]
fn functions_of_the_platform_are_not_the_projects() {
    let run = open();
    let text = "# File deletion through the cookie store\n\nminihttp 2.0.0 removes its temporary file with `unlink()`, which on Windows runs `remove()` and then `DeleteFileW()` (WINAPI); both follow links. The new file gets the old mode with `fchmod()` after `mkstemp()`.\n";
    let t = triage_text(&run, "platform.md", text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "remove").status, Status::Unverifiable);
    assert_eq!(claim(&t, "function", "fchmod").status, Status::Unverifiable);
    assert_eq!(claim(&t, "function", "mkstemp").status, Status::Unverifiable);
    let d = claim(&t, "function", "DeleteFileW");
    assert_eq!(d.status, Status::Unverifiable, "{d:#?}");
    assert!(d.evidence.contains("platform"), "{}", d.evidence);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
}

#[test]
fn struct_members_are_checked_against_their_uses() {
    let run = open();
    let text = "# Header count overflow\n\nIn minihttp 2.0.0 `store_header()` increments req->nheaders without a limit, and the stale req->header_cache keeps a pointer.\n";
    let t = triage_text(&run, "members.md", text, &Policy::default(), &At::Auto);
    let used = claim(&t, "snippet", "req->nheaders");
    assert_eq!(used.status, Status::Confirmed, "{used:#?}");
    assert_eq!(used.location.as_ref().map(|l| l.path.as_str()), Some("lib/parse.c"));
    let invented = claim(&t, "snippet", "req->header_cache");
    assert_eq!(invented.status, Status::Contradicted, "{invented:#?}");
    assert!(invented.evidence.contains("req->header_cache"), "{}", invented.evidence);
}

#[test]
fn a_check_the_report_says_is_missing_is_found_in_the_function_it_names() {
    let run = open();
    let text = "# Stack overflow in parse_header\n\nThe function **parse_header** in `lib/parse.c` copies the header name into a 64-byte buffer without checking `len`, so a long header overflows the stack.\n";
    let t = triage_text(&run, "present.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let check = fixture::line(fixture::PARSE_C_V11, "if(len >= sizeof(name))");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/parse.c", check)));
    assert!(f.message.contains("parse_header checks len"), "{}", f.message);
    assert!(f.evidence.contains("return -1;"), "{}", f.evidence);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // Where the function has no such check, the same sentence is not refuted.
    let text = "# Stack overflow in cookie_add\n\nThe function **cookie_add** in `lib/cookie.c` copies the cookie value into a 256-byte buffer without checking `vlen`.\n";
    let t = triage_text(&run, "absent.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
    // What the unchecked value should have been compared with (after "against") is not the value
    // the sentence says goes unchecked.
    let text = "# Stack overflow in parse_header\n\nThe function **parse_header** in `lib/parse.c` reads `name_total` from the header and copies that many bytes without validating it against `len`, so a long header overflows the stack.\n";
    let t = triage_text(&run, "against.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
    // A report that argues the check itself is wrong is about the check.
    let text = "# Off-by-one in parse_header\n\nThe function **parse_header** in `lib/parse.c` does not check `len` correctly: an off-by-one lets the terminator overflow.\n";
    let t = triage_text(&run, "argued.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
}

#[test]
fn a_quoted_condition_the_project_does_not_have_is_contradicted() {
    let run = open();
    let quote = |line: &str| {
        format!(
            "# Integer overflow in cookie_expires\n\n`cookie_expires()` in `lib/cookie.c` guards the sum with this check, which wraps:\n\n```c\n{line}\n```\n\nA large Max-Age passes it.\n"
        )
    };
    // The check the report argues about is not the project's.
    let t = triage_text(&run, "invented.md", &quote("  if (maxage > now + jar->max_age) {"), &Policy::default(), &At::Auto);
    let c = claim(&t, "snippet", "if (maxage > now + jar->max_age) {");
    assert_eq!(c.status, Status::Contradicted, "{c:#?}");
    assert!(c.evidence.contains("a condition"), "{}", c.evidence);
    // The project's own check, spaced differently, holds.
    let t = triage_text(&run, "real.md", &quote("  if (LONG_MAX - now < maxage)"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "snippet", "if (LONG_MAX - now < maxage)").status, Status::Confirmed);
    // One line that is not a condition may be a paraphrase: not found says nothing.
    let t = triage_text(&run, "statement.md", &quote("  total = now + maxage * 1000;"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "snippet", "total = now + maxage * 1000;").status, Status::Unverifiable);
    // A statement naming several identifiers, captioned as the file's, that neither the file nor
    // the rest of the project has is not a paraphrase.
    let t = triage_text(&run, "call.md", &quote("  store_cookie_value(&jar->pending, value, COOKIE_MAX);"), &Policy::default(), &At::Auto);
    let c = claim(&t, "snippet", "store_cookie_value(&jar->pending, value, COOKIE_MAX);");
    assert_eq!(c.status, Status::Contradicted, "{c:#?}");
    assert!(c.evidence.contains("in neither lib/cookie.c nor anywhere else"), "{}", c.evidence);
    // The file's own call with an argument renamed is a paraphrase of it.
    let t = triage_text(&run, "renamed.md", &quote("  memcpy(buf, value, jar->vlen_max);"), &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "snippet", "memcpy(buf, value, jar->vlen_max);").status, Status::Unverifiable);
}

#[test]
fn the_comparison_an_overflow_report_says_is_missing_is_found() {
    let run = open();
    let text = "# Integer underflow in range_slice\n\nThe function **range_slice** in `lib/range.c` computes `len = (size_t)(end - start) + 1`. The code fails to validate if `start` is greater than `end` before the subtraction, so `len` wraps to a huge value and the copy overflows the heap.\n";
    let t = triage_text(&run, "range.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let check = fixture::line(fixture::RANGE_C, "if(start < 0 || start > end)");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/range.c", check)));
    assert!(f.message.contains("\"fails to validate\" about start and end"), "{}", f.message);
    assert!(f.message.contains("range_slice checks start against end"), "{}", f.message);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // The same report about a value the function only bounds from above is about that bound:
    // an overflow past it is what the report argues, so the bound does not answer it.
    let text = "# Integer underflow in range_slice\n\nThe function **range_slice** in `lib/range.c` computes `len = (size_t)(end - start) + 1` and fails to validate `inlen` against `len` before the copy, so the copy wraps.\n";
    let t = triage_text(&run, "bound.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
}

#[test]
fn arithmetic_behind_the_standard_overflow_check_is_found() {
    let run = open();
    let text = "# Integer overflow in cookie expiry\n\n`cookie_expires()` in `lib/cookie.c` adds the attacker's Max-Age to the current time, and the check itself can overflow:\n\n```c\n  if(LONG_MAX - now < maxage)\n    return LONG_MAX;\n  return now + maxage;\n```\n";
    let t = triage_text(&run, "expiry.md", text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-022").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let check = fixture::line(fixture::COOKIE_C, "if(LONG_MAX - now < maxage)");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/cookie.c", check)));
    assert!(f.evidence.contains("return now + maxage;"), "{}", f.evidence);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // Arithmetic with no such check before it is not refuted.
    let text = "# Integer overflow in cookie_add\n\n`cookie_add()` in `lib/cookie.c` counts cookies without limit:\n\n```c\n  jar->count++;\n  return jar_store(jar, buf);\n```\n";
    let t = triage_text(&run, "count.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-022"), "{:#?}", t.findings);
}

#[test]
fn a_limit_every_caller_enforces_is_found() {
    let run = open();
    let text = "# Integer overflow in length decoding\n\n**Function:** decode_len\n\nThe length decoder in `lib/cookie.c` does not enforce the four-byte limit of the format: `decode_len` keeps multiplying `mult` for as many bytes as it is given, so a long length field overflows it.\n";
    let t = triage_text(&run, "caller.md", text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "decode_len").status, Status::Confirmed);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    let guard = fixture::line(fixture::COOKIE_C, "while((n < avail) && (in[n] & 0x80) && (n < 4))");
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/cookie.c", guard)));
    assert!(f.message.contains("bounded by buflen") && f.message.contains("its only caller passes n"), "{}", f.message);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // A caller passing what it was given, unchecked, leaves the claim standing.
    let raw = text.replace("decode_len", "decode_raw");
    let t = triage_text(&run, "raw.md", &raw, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "decode_raw").status, Status::Confirmed);
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
}

#[test]
fn script_functions_machine_paths_and_left_out_folders_are_not_contradictions() {
    let run = open();
    let text = "# Path traversal in mhget (minihttp 2.0.0)\n\n`safe_name()` in `scripts/mhget` replaces `%2f` but keeps a literal backslash, so the output file name can leave the folder.\n\nThe crash shows `/home/me/work/minihttp/lib/parse.c:5` and the docs in `docs/examples/fetch.c` show the call; `unsafe_name()` is never called.\n";
    let t = triage_text(&run, "script.md", text, &Policy::default(), &At::Auto);
    let f = claim(&t, "function", "safe_name");
    assert_eq!(f.status, Status::Confirmed, "{}", f.evidence);
    assert!(f.evidence.starts_with("defined in the script scripts/mhget:4"), "{}", f.evidence);
    // A function that no script or source defines is still contradicted.
    assert_eq!(claim(&t, "function", "unsafe_name").status, Status::Contradicted);
    // A path from the reporter's machine is the project's file.
    let l = claim(&t, "line", "/home/me/work/minihttp/lib/parse.c:5");
    assert_ne!(l.status, Status::Contradicted, "{}", l.evidence);
    assert!(l.evidence.contains("lib/parse.c:5"), "{}", l.evidence);
    // The tree has no docs/ folder at all: that file cannot be looked for.
    let d = claim(&t, "file", "docs/examples/fetch.c");
    assert_eq!(d.status, Status::Unverifiable, "{}", d.evidence);
    assert!(d.evidence.contains("no docs/ folder"), "{}", d.evidence);
    // But a file missing from a folder the tree has is contradicted.
    let text = "# Overflow in the test helper (minihttp 2.0.0)\n\nSee `tests/unit/test_cookie.c` and `lib/nothere.c`.\n";
    let t = triage_text(&run, "missing.md", text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "file", "tests/unit/test_cookie.c").status, Status::Contradicted);
    assert_eq!(claim(&t, "file", "lib/nothere.c").status, Status::Contradicted);
}

#[test]
fn a_diff_that_applies_is_not_fabricated_for_its_unknown_blob_hashes() {
    let run = open();
    let diff = "diff --git a/lib/parse.c b/lib/parse.c\nindex cea88e6..ddfb653 100644\n--- a/lib/parse.c\n+++ b/lib/parse.c\n@@ -14,7 +14,7 @@\n int parse_header(struct request *req, const char *line, size_t len)\n {\n   char name[64];\n-  if(len >= sizeof(name))\n+  if(!line || len >= sizeof(name))\n     return -1;\n   memcpy(name, line, len);\n";
    let text = format!("# NULL line in parse_header (minihttp 2.0.0)\n\n`parse_header()` in `lib/parse.c` does not check `line` for NULL. Fix:\n\n```diff\n{diff}```\n");
    // In the full history, a blob it does not have is impossible evidence.
    let t = triage_text(&run, "applies.md", &text, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // A shallow clone lacks history: a diff that applies is not refuted by its hashes.
    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", run._fx.path().display());
    let ok = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", "--no-single-branch", &url])
        .arg(shallow.path().join("repo"))
        .status()
        .unwrap();
    assert!(ok.success());
    let project = Project::open(&shallow.path().join("repo"), Limits::default()).expect("shallow clone opens");
    let shallow_run = Run { _fx: fixture::project(), project };
    let t = triage_text(&shallow_run, "applies.md", &text, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // Made-up hashes are still found, even on a diff that applies.
    let fake = text.replace("cea88e6..ddfb653", "1a2b3c4..5d6e7f8");
    let t = triage_text(&shallow_run, "fake-hash.md", &fake, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // A hunk whose lines are all in the file, but with other code between them, does not apply
    // as written: its unknown hashes are not excused.
    let spread = "diff --git a/lib/parse.c b/lib/parse.c\nindex cea88e6..ddfb653 100644\n--- a/lib/parse.c\n+++ b/lib/parse.c\n@@ -6,7 +6,7 @@\n int store_header(struct request *req, const char *name)\n {\n   (void)name;\n-  req->nheaders++;\n+  req->nheaders += 1;\n   memcpy(name, line, len);\n   name[len] = 0;\n   return store_header(req, name);\n";
    let text = format!("# Header count in store_header (minihttp 2.0.0)\n\n`store_header()` in `lib/parse.c` counts headers. Fix:\n\n```diff\n{spread}```\n");
    let t = triage_text(&shallow_run, "spread.md", &text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-004").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("cea88e6"), "{}", f.message);
    // But a report older than every release of the clone is checked at code that has grown since
    // it was written: a hunk spread out is what that looks like, and its hashes prove nothing.
    let older = text.replace(
        "# Header count in store_header (minihttp 2.0.0)\n\n",
        "# Header count in store_header\n\n| | |\n|---|---|\n| **Reported** | 2020-01-01 |\n\n",
    );
    let t = triage_text(&shallow_run, "old-spread.md", &older, &Policy::default(), &At::Auto);
    assert!(t.checked.main.how.contains("none before it"), "{}", t.checked.main.how);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-004" && f.message.contains("blob")), "{:#?}", t.findings);
    // So is a report much newer than the clone (its note says so): the report's code may have
    // grown since the clone was made.
    let newer = older.replace("2020-01-01", "2099-01-01");
    let t = triage_text(&shallow_run, "new-spread.md", &newer, &Policy::default(), &At::Auto);
    assert!(t.checked.note.is_some(), "{:?}", t.checked);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-004" && f.message.contains("blob")), "{:#?}", t.findings);
    // A diff written against development code the clone lacks (some of its old lines are there,
    // some not, none spread): its unknown hashes are not evidence either.
    let dev = "diff --git a/lib/parse.c b/lib/parse.c\nindex cea88e6..ddfb653 100644\n--- a/lib/parse.c\n+++ b/lib/parse.c\n@@ -14,7 +14,8 @@\n int parse_header(struct request *req, const char *line, size_t len)\n {\n   char name[64];\n+  int folded = 0;\n   int colon = header_colon(line, len);\n   log_header(req, line);\n";
    let text = format!("# Folded headers in parse_header (minihttp 2.0.0)\n\n`parse_header()` in `lib/parse.c` mishandles folded lines. Fix:\n\n```diff\n{dev}```\n");
    let t = triage_text(&shallow_run, "dev-diff.md", &text, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-004" && f.message.contains("blob")), "{:#?}", t.findings);
    // A hunk most of whose lines are gone, in code from after the report (the clone has no
    // release before it): a later change, perhaps the report's own fix, may have rewritten them.
    let rewritten = "diff --git a/lib/parse.c b/lib/parse.c\nindex cea88e6..ddfb653 100644\n--- a/lib/parse.c\n+++ b/lib/parse.c\n@@ -14,7 +14,8 @@\n   char name[64];\n   size_t folded_total = 0;\n   size_t colon_at = find_colon(line);\n+  if(colon_at >= sizeof(name))\n+    return -1;\n";
    let text = format!("# Folded headers in parse_header\n\n| | |\n|---|---|\n| **Reported** | 2020-01-01 |\n\n`parse_header()` in `lib/parse.c` mishandles folded lines. Fix:\n\n```diff\n{rewritten}```\n");
    let t = triage_text(&shallow_run, "old-rewritten.md", &text, &Policy::default(), &At::Auto);
    assert!(t.checked.main.how.contains("none before it"), "{}", t.checked.main.how);
    assert!(!rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // The same diff dated at a release is checked there: its lines are not in the file.
    let named = text.replace("| **Reported** | 2020-01-01 |", "| **Version** | minihttp 2.0.0 |");
    let t = triage_text(&shallow_run, "rewritten.md", &named, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // A diff to another tree's file (an OSS-Fuzz project's Dockerfile) says nothing about this
    // project; one to a file the project's own folders lack does.
    let other = "diff --git a/projects/minihttp/Dockerfile b/projects/minihttp/Dockerfile\n--- a/projects/minihttp/Dockerfile\n+++ b/projects/minihttp/Dockerfile\n@@ -1,4 +1,4 @@\n FROM gcr.io/oss-fuzz-base/base-builder\n RUN apt-get update\n-RUN git clone minihttp\n+RUN git clone -b dev minihttp\n WORKDIR minihttp\n";
    let text = format!("# Leak found by OSS-Fuzz\n\nTo reproduce, build with:\n\n```diff\n{other}```\n");
    let t = triage_text(&run, "oss-fuzz.md", &text, &Policy::default(), &At::Auto);
    assert!(!t.findings.iter().any(|f| f.message.contains("which is not in the project")), "{:#?}", t.findings);
    let invented = other.replace("projects/minihttp/Dockerfile", "lib/http_parser.c");
    let text = format!("# Overflow in the parser\n\nFix:\n\n```diff\n{invented}```\n");
    let t = triage_text(&run, "invented-file.md", &text, &Policy::default(), &At::Auto);
    assert!(t.findings.iter().any(|f| f.message.contains("lib/http_parser.c, which is not in the project")), "{:#?}", t.findings);
}

#[test]
fn placeholder_addresses_flag_a_report_whose_other_claims_hold() {
    let run = open();
    let line = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let text = format!(
        "# Stack overflow in cookie_add (minihttp 2.0.0)\n\n`cookie_add()` in `lib/cookie.c` copies `vlen` bytes into `buf` at `lib/cookie.c:{line}`; `jar_store()` then stores it.\n\n```\n==1==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffc00000000\n    #0 0x000000000000 in cookie_add lib/cookie.c:{line}\n    #1 0x000000000000 in jar_init lib/cookie.c:7\n```\n"
    );
    let t = triage_text(&run, "placeholder_real.md", &text, &Policy::default(), &At::Auto);
    assert_eq!(claim(&t, "function", "cookie_add").status, Status::Confirmed);
    assert!(rules(&t).contains(&"VCH-TRI-002"), "{:#?}", t.findings);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    assert!(t.reasons.iter().any(|r| r.contains("evidence is impossible")), "{:?}", t.reasons);
}

#[test]
fn the_advisory_a_report_became_is_not_its_duplicate() {
    let run = open();
    let fx = fixture::reports();
    let dup = &fx.iter().find(|(n, _)| *n == "duplicate.md").expect("fixture").1;
    // The same text, filed as the report that became CVE-2024-99999 (the advisory's alias).
    let (title, body) = dup.split_once('\n').expect("title line");
    let own = format!("{title}\n\n| | |\n|---|---|\n| **CVE** | CVE-2024-99999 |\n{body}");
    let t = triage_text(&run, "own.md", &own, &Policy::default(), &At::Auto);
    assert!(t.duplicates.is_empty(), "{:#?}", t.duplicates);
    assert!(!rules(&t).contains(&"VCH-TRI-011"), "{:#?}", t.findings);
    // Another CVE in its header does not hide the duplicate.
    let other = own.replace("CVE-2024-99999", "CVE-2024-11111");
    let t = triage_text(&run, "other.md", &other, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-011"), "{:#?}", t.findings);
}

#[test]
fn an_affected_range_is_checked_at_its_newest_release() {
    let run = open();
    let text = "# Overflow in cookie_add\n\nCommit history: the check was dropped in minihttp 1.0.0.\n\n## Affected versions\n\nminihttp 1.0.0 through 2.0.0, and the development version.\n\n`cookie_add()` in `lib/cookie.c` copies `vlen` bytes into `buf` without a check.\n";
    let t = triage_text(&run, "range.md", text, &Policy::default(), &At::Auto);
    assert!(t.checked.main.label.starts_with("tag v2.0.0"), "{:?}", t.checked.main);
    assert!(t.checked.main.how.contains("names version 2.0.0"), "{}", t.checked.main.how);
    // A single version is checked as named; "to" between words is no range.
    let single = text.replace("minihttp 1.0.0 through 2.0.0, and", "minihttp 1.0.0 and").replace("dropped in minihttp 1.0.0", "dropped");
    let t = triage_text(&run, "single.md", &single, &Policy::default(), &At::Auto);
    assert!(t.checked.main.label.starts_with("tag v1.0.0"), "{:?}", t.checked.main);
}

#[test]
fn code_calling_the_api_a_header_exports_is_an_applications() {
    let header = "#ifndef JT_H\n#define JT_H\n#define JT_EXPORT extern\ntypedef struct jt jt;\nJT_EXPORT jt *jt_new(void);\nJT_EXPORT\nint jt_add(jt *o, const char *k, jt *v);\nJT_EXPORT void jt_put(jt *o);\nint jt_grow(jt *o);\n#endif\n";
    let private = "#include \"jt.h\"\nint jt_rehash(jt *o);\nint jt_resize(jt *o, int n);\n";
    let src = "#include \"jt.h\"\n#include \"jt_private.h\"\njt *jt_new(void)\n{\n  return 0;\n}\nint jt_add(jt *o, const char *k, jt *v)\n{\n  return jt_grow(o);\n}\nvoid jt_put(jt *o)\n{\n  jt_rehash(o);\n}\nint jt_grow(jt *o)\n{\n  return jt_resize(o, 2);\n}\nint jt_rehash(jt *o)\n{\n  return 0;\n}\nint jt_resize(jt *o, int n)\n{\n  return n;\n}\n";
    let tree = plain_tree(&[("jt.h", header), ("jt_private.h", private), ("jt.c", src)]);
    // The application's program, quoted without a caption that says so: it calls API that jt.h
    // exports (the mark on the line before counts too).
    let text = "# Assertion failed in jt_put\n\nThis crashes:\n\n```\njt *a = jt_new();\njt *b = jt_new();\njt_add(a, \"k\", b);\njt_put(b);\njt_put(a);\n```\n";
    let t = tree.triage(text);
    let s = claim(&t, "snippet", "jt *a = jt_new();");
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    assert!(s.evidence.contains("public API (jt_new, jt_add, jt_put)"), "{}", s.evidence);
    // The functions it calls exist, but anyone can call them: they do not count for it.
    let f = t.claims.iter().find(|c| c.kind == "function" && c.text == "jt_add" && c.origin == "project-code").expect("jt_add claimed");
    assert_eq!(f.status, Status::Confirmed);
    assert!(f.evidence.contains("API anyone can call"), "{}", f.evidence);
    // Nor does the function the title names: exported, it is API anyone can name.
    let put = t.claims.iter().find(|c| c.kind == "function" && c.text == "jt_put" && c.origin == "prose").expect("jt_put claimed");
    assert!(put.evidence.contains("public API, which anyone can name"), "{}", put.evidence);
    assert!(t.reasons.iter().any(|r| r.contains("4 file, release or API name(s) confirmed; anyone can name those")), "{:?}", t.reasons);
    // An internal function named in prose still counts.
    let t = tree.triage(&text.replace("# Assertion failed in jt_put", "# Assertion failed in jt_put\n\nIt ends in `jt_rehash()`."));
    assert!(t.reasons.iter().any(|r| r.contains(" 1 claim(s) about the code confirmed")), "{:?}", t.reasons);
    // Quoted code calling what only the sources and an internal header declare is quoted as
    // the project's: not there, it is contradicted.
    let internal = "# Overflow in jt_grow\n\n`jt_grow()` does this:\n\n```\nif (jt_rehash(o) < 0)\n    return jt_resize(o, o->n * 2);\nreturn jt_resize(o, 4);\n```\n";
    let t = tree.triage(internal);
    let s = claim(&t, "snippet", "if (jt_rehash(o) < 0)");
    assert_eq!(s.status, Status::Contradicted, "{}", s.evidence);
    // Code whose only call is to exported API is an application's too, however short, even
    // when the report's header links the project's own tracker.
    let one = "# Crash in jt_add\n\n| | |\n|---|---|\n| **Source** | https://github.com/someone/jtlib/issues/7 |\n\nI tried\n\n```\njt_storage a;\njt_add(o, \"k\", (jt *)&a);\n```\n\nwhich corrupts the stack.\n";
    // (Named so that its name does not make every `jt_` function public.)
    let named = Policy::parse("[triage]\nname = \"jtlib\"\n").expect("policy parses");
    let t = tree.triage_with(one, &named);
    let s = claim(&t, "snippet", "jt_storage a;");
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    assert!(s.evidence.contains("public API (jt_add)"), "{}", s.evidence);
    // Quoted code of the project's that is not there stays contradicted when the header links
    // the project's own tracker: that link is not another project's.
    let linked = internal.replace(
        "# Overflow in jt_grow\n\n",
        "# Overflow in jt_grow\n\n| | |\n|---|---|\n| **Source** | https://github.com/someone/jtlib/issues/8 |\n\n",
    );
    let t = tree.triage_with(&linked, &named);
    let s = claim(&t, "snippet", "if (jt_rehash(o) < 0)");
    assert_eq!(s.status, Status::Contradicted, "{}", s.evidence);
}

#[test]
fn the_reporters_programs_and_scripts_are_not_missing_project_code() {
    let run = open();
    let policy = project_policy();
    let text = "# Use after free in cookie_add (minihttp 2.0.0)\n\n`cookie_add()` in `lib/cookie.c` keeps a pointer to the value.\n\n**Vector 2** (uaf_two.c):\n\n```c\nminihttp_setopt(h, MH_COOKIE, \"a=b\");\nminihttp_perform(h);\nminihttp_setopt(h, MH_COOKIE, NULL);\n```\n\nIt needs `mh_server.py` on port 8080 and `run_all.sh` from the same folder; an attacker then reads `config.php` of the web application.\n";
    let t = triage_text(&run, "app.md", text, &policy, &At::Auto);
    let s = claim(&t, "snippet", "minihttp_setopt(h, MH_COOKIE, \"a=b\");");
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    assert!(s.evidence.contains("public API"), "{}", s.evidence);
    for f in ["mh_server.py", "run_all.sh", "config.php"] {
        let c = claim(&t, "file", f);
        assert_eq!(c.status, Status::Unverifiable, "{f}: {}", c.evidence);
    }
    // Quoted code of the project's internals that is not there is still contradicted.
    let text = "# Overflow in cookie_add (minihttp 2.0.0)\n\n`cookie_add()` in `lib/cookie.c` does this:\n\n```c\n  jar_grow(jar, vlen * 2);\n  jar_copy_value(jar->buf, value, vlen);\n```\n";
    let t = triage_text(&run, "internal.md", text, &policy, &At::Auto);
    assert_eq!(claim(&t, "snippet", "jar_grow(jar, vlen * 2);").status, Status::Contradicted);
}

#[test]
fn names_without_their_prefix_and_build_options_are_the_projects() {
    let run = open();
    let policy = project_policy();
    let text = "# Jar size (minihttp 2.0.0)\n\n`jar_size()` in `lib/cookie.c` counts cookies; with `MINIHTTP_USE_ZLIB` on, `jar_shrink()` is never called.\n";
    let t = triage_text(&run, "prefix.md", text, &policy, &At::Auto);
    let f = claim(&t, "function", "jar_size");
    assert_eq!(f.status, Status::Confirmed, "{}", f.evidence);
    assert!(f.evidence.contains("minihttp_jar_size") && f.evidence.contains("leaves out its prefix"), "{}", f.evidence);
    let o = claim(&t, "api", "MINIHTTP_USE_ZLIB");
    assert_eq!(o.status, Status::Confirmed, "{}", o.evidence);
    assert!(o.evidence.starts_with("used by the build files at CMakeLists.txt:2"), "{}", o.evidence);
    // A name with no such variant is still contradicted.
    assert_eq!(claim(&t, "function", "jar_shrink").status, Status::Contradicted);
    // A library's function without its prefix (`libdns_release_cache`), and the project's own under
    // a prefix other than its name (`mh_count_answers`).
    let text = "# Resolver cache (minihttp 2.0.0)\n\n`resolve_host()` in `lib/resolve.c` calls `release_cache()` after `count_answers()` returns more than eight.\n";
    let t = triage_text(&run, "suffix.md", text, &policy, &At::Auto);
    let r = claim(&t, "function", "release_cache");
    assert_eq!(r.status, Status::Unverifiable, "{}", r.evidence);
    assert!(r.evidence.contains("libdns_release_cache") && r.evidence.contains("leaves out its prefix"), "{}", r.evidence);
    let c = claim(&t, "function", "count_answers");
    assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
    assert!(c.evidence.contains("mh_count_answers is defined at lib/resolve.c"), "{}", c.evidence);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
}

#[test]
fn code_the_default_branch_had_at_the_reports_date_is_not_anachronistic() {
    let run = open();
    // config_path() arrives in v2.0.0 (2025-03-01). A report naming 1.1.0, filed after the code
    // was on the default branch, read that branch: no contradiction.
    let body = "minihttp 1.1.0: `config_path()` in `lib/config.c` copies HOME into a 512-byte buffer with strcpy.\n";
    let after = format!("# HOME overflow\n\n| | |\n|---|---|\n| **Disclosed** | 2025-06-01 |\n\n{body}");
    let t = triage_text(&run, "after.md", &after, &Policy::default(), &At::Auto);
    let f = claim(&t, "function", "config_path");
    assert_ne!(f.status, Status::Contradicted, "{}", f.evidence);
    // Filed before the code existed anywhere: it names what it cannot have seen.
    let before = after.replace("2025-06-01", "2024-08-01");
    let t = triage_text(&run, "before.md", &before, &Policy::default(), &At::Auto);
    let f = claim(&t, "function", "config_path");
    assert_eq!(f.status, Status::Contradicted, "{}", f.evidence);
    assert!(f.evidence.contains("exists only later"), "{}", f.evidence);
    // The same history marked shallow (its first commit's parents cut off, as a clone of releases
    // only): the development commits of the date are missing, so the first release after the date
    // stands in for them.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("minihttp");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    git(&["clone", "-q", "--no-local", run._fx.path().to_str().unwrap(), copy.to_str().unwrap()]);
    let root = git(&["-C", copy.to_str().unwrap(), "rev-list", "--max-parents=0", "HEAD"]);
    std::fs::write(copy.join(".git/shallow"), format!("{root}\n")).unwrap();
    let project = Project::open(&copy, Limits::default()).unwrap();
    let policy = Policy::default();
    let report = parse_for(&before, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
    let t = triage("before.md", &report, &cx).unwrap();
    let f = claim(&t, "function", "config_path");
    assert_eq!(f.status, Status::Confirmed, "{}", f.evidence);
    assert!(f.at.as_deref().is_some_and(|a| a.starts_with("tag v2.0.0")), "{f:#?}");
    assert!(t.checked.also.iter().any(|v| v.how.starts_with("the first release after the report's date")), "{:#?}", t.checked);
}

#[test]
fn a_quote_that_adds_a_call_the_function_never_makes_is_found() {
    let run = open();
    let quote = "  char buf[256];\n  if(!jar || !value)\n    return -1;\n  memcpy(buf, value, vlen);\n  jar_free(jar);\n  buf[vlen] = 0;\n  jar->count++;\n  return jar_store(jar, buf);\n";
    let text = format!("# Use after free in cookie_add (minihttp 2.0.0)\n\n`cookie_add()` in `lib/cookie.c` frees the jar and then uses it:\n\n```c\n{quote}```\n");
    let t = triage_text(&run, "adds.md", &text, &Policy::default(), &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-023").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("jar_free()") && f.message.contains("cookie_add()"), "{}", f.message);
    assert_eq!(f.evidence, "jar_free(jar);");
    // The same quote without the invented call: nothing added.
    let honest = text.replace("  jar_free(jar);\n", "");
    let t = triage_text(&run, "honest.md", &honest, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-023"), "{:#?}", t.findings);
    // A call the file makes elsewhere (quotes join pieces of several functions) is not added code.
    let joined = text.replace("  jar_free(jar);\n", "  decode_len(buf, 4);\n");
    let t = triage_text(&run, "joined.md", &joined, &Policy::default(), &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-023"), "{:#?}", t.findings);
}

#[test]
fn a_quote_headed_by_another_function_still_has_its_added_call_found() {
    // The quote names `jar_name()` in its head, but its lines are `jar_add()`'s, with a call to
    // `jar_free()` that `jar_add()` never makes.
    let code = "struct jar { int count; char name[32]; };\n\nvoid jar_free(struct jar *j)\n{\n  j->count = 0;\n}\n\nint jar_add(struct jar *j, const char *v, unsigned n)\n{\n  if(!j || !v)\n    return -1;\n  memcpy(j->name, v, n);\n  j->count++;\n  return 0;\n}\n\nconst char *jar_name(struct jar *j)\n{\n  return j->name;\n}\n";
    let text = "# Use after free in jar_name\n\nIn lib/jar.c:\n\n```c\nconst char *jar_name(struct jar *j)\n{\n  if(!j || !v)\n    return -1;\n  memcpy(j->name, v, n);\n  jar_free(j);\n  j->count++;\n  return 0;\n}\n```\n\nThe jar is used after it is freed.\n";
    let t = triage_tree("lib/jar.c", code, text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-023").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("jar_free()"), "{}", f.message);
    assert_eq!(f.evidence, "jar_free(j);");
}

/// Triage of `text` against a plain tree holding one file.
fn triage_tree(file: &str, code: &str, text: &str, policy: &Policy) -> Triage {
    triage_tree_named("minihttp-2.0.0", file, code, text, policy)
}

fn triage_tree_named(folder: &str, file: &str, code: &str, text: &str, policy: &Policy) -> Triage {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(folder);
    std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
    std::fs::write(root.join(file), code).unwrap();
    triage_in(&root, text, policy)
}

/// Triage of `text` against the plain tree at `root`.
fn triage_in(root: &std::path::Path, text: &str, policy: &Policy) -> Triage {
    let project = Project::open(root, Limits::default()).unwrap();
    let report = parse_for(text, &ClaimLimits::default(), Some("minihttp")).unwrap();
    let cx = Context { project: &project, policy, advisories: None, earlier: None, at: &At::Auto };
    triage("tree.md", &report, &cx).unwrap()
}

#[test]
fn a_debug_build_knob_read_from_the_environment_is_not_the_reports_input() {
    let code = |guard: bool| {
        format!(
            "#include <stdlib.h>\n#include <string.h>\n\nint cookie_host(char *out, const char *host)\n{{\n  size_t n = strlen(host);\n{}  const char *force = getenv(\"MH_FORCE_HOST\");\n  if(force)\n    host = force;\n{}  memcpy(out, host, n);\n  return 0;\n}}\n",
            if guard { "#ifdef DEBUGBUILD\n" } else { "" },
            if guard { "#endif\n" } else { "" },
        )
    };
    let text = "# Stale host in cookie_host\n\nIn minihttp 2.0.0, `cookie_host()` in `lib/cookie.c` keeps a stale host:\n\n```\nminihttp --cookie jar.txt http://a.example/ http://b.example/\n```\n";
    let policy = project_policy();
    let debug = triage_tree("lib/cookie.c", &code(true), text, &policy);
    assert!(!rules(&debug).contains(&"VCH-TRI-010"), "{:#?}", debug.findings);
    assert!(!rules(&debug).contains(&"VCH-TRI-013"), "{:#?}", debug.findings);
    let shipped = triage_tree("lib/cookie.c", &code(false), text, &policy);
    let f = shipped.findings.iter().find(|f| f.rule == "VCH-TRI-010").unwrap_or_else(|| panic!("{:#?}", shipped.findings));
    assert!(f.evidence.contains("getenv(\"MH_FORCE_HOST\")"), "{}", f.evidence);
}

#[test]
fn scope_kinds_follow_the_reports_own_words_and_evidence() {
    let run = open();
    let scoped = Policy::parse(
        "[triage]\nnot_security = [\"api-misuse\", \"small-memory-leak\", \"crlf-in-data\", \"command-line-trickery\", \"terminal-escape\", \"url-inconsistency\", \"visible-arguments\"]\n",
    )
    .unwrap();
    let cases = [
        ("crlf.md", "# CRLF injection in custom headers\n\nA header value the application sets with CR LF in it adds a second header.\n", "crlf-in-data"),
        (
            "leak.md",
            "# Memory leak in the config parser\n\n```\n==7==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 12 byte(s) in 1 object(s) allocated from:\n    #0 0x4f in strdup\nSUMMARY: AddressSanitizer: 12 byte(s) leaked in 1 allocation(s).\n```\n",
            "small-memory-leak",
        ),
        ("trick.md", "# Config file inclusion\n\nAn attacker can trick a user into running minihttp with a config file from /tmp.\n", "command-line-trickery"),
        ("escape.md", "# Terminal escapes\n\nThe server sends ANSI escape sequences in the body and the terminal runs them.\n", "terminal-escape"),
        ("url.md", "# URL parser differential\n\nminihttp and the WHATWG URL standard parse `http://a\\\\b` to different hosts.\n", "url-inconsistency"),
        ("misuse.md", "# Crash\n\nThe crash needs API misuse: the application passes a NULL handle to mh_get().\n", "api-misuse"),
        (
            "ps.md",
            "# Password visible to other users\n\nmhget does not blank the password argument, so any local user reads it in the process listing.\n",
            "visible-arguments",
        ),
    ];
    for (name, text, kind) in cases {
        let off = triage_text(&run, name, text, &Policy::default(), &At::Auto);
        assert!(!rules(&off).contains(&"VCH-TRI-013"), "{name} without a policy: {:#?}", off.findings);
        let on = triage_text(&run, name, text, &scoped, &At::Auto);
        let f = on.findings.iter().find(|f| f.rule == "VCH-TRI-013").unwrap_or_else(|| panic!("{name}: {:#?}", on.findings));
        assert!(f.message.contains(kind), "{name}: {}", f.message);
        assert!(!f.evidence.is_empty(), "{name}");
        assert!(on.flagged, "{name}");
    }
    // Saying the opposite is not the admission.
    let denied = "# Token leak\n\nThis is not API misuse: the documented use leaks the token to the second host.\n";
    assert!(!rules(&triage_text(&run, "denied.md", denied, &scoped, &At::Auto)).contains(&"VCH-TRI-013"));
}

#[test]
fn a_sanitizer_stopping_at_a_large_allocation_is_out_of_scope_where_the_policy_says_so() {
    let run = open();
    let scoped = Policy::parse("[triage]\nnot_security = [\"large-allocation\"]\n").unwrap();
    let asan = "# memory exhausted in read_image\n\n```\n==22056==ERROR: AddressSanitizer failed to allocate 0x4c4b7000 (1280012288) bytes of LargeMmapAllocator: 12\n    #0 0x4d7a78 in malloc\n```\n";
    let fuzzer = "# OOM in the parser\n\n```\n==7== ERROR: libFuzzer: out-of-memory (malloc(4294967296))\n```\n";
    let too_big = "# Huge allocation\n\n```\n==1==ERROR: AddressSanitizer: requested allocation size 0xffffffff00000000 exceeds maximum supported size of 0x10000000000\n```\n";
    for (name, text) in [("asan.md", asan), ("fuzzer.md", fuzzer), ("too-big.md", too_big)] {
        let off = triage_text(&run, name, text, &Policy::default(), &At::Auto);
        assert!(!rules(&off).contains(&"VCH-TRI-013"), "{name} without a policy: {:#?}", off.findings);
        let on = triage_text(&run, name, text, &scoped, &At::Auto);
        let f = on.findings.iter().find(|f| f.rule == "VCH-TRI-013").unwrap_or_else(|| panic!("{name}: {:#?}", on.findings));
        assert!(f.message.contains("large-allocation") && f.evidence.contains("alloc"), "{name}: {f:#?}");
    }
    // A memory error beside it is a memory error.
    let overflow = format!("{asan}\nThen:\n\n```\n==22057==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011\n```\n");
    let on = triage_text(&run, "both.md", &overflow, &scoped, &At::Auto);
    assert!(!rules(&on).contains(&"VCH-TRI-013"), "{:#?}", on.findings);
}

#[test]
fn crashes_from_crafted_bytecode_are_out_of_scope_where_the_policy_says_so() {
    let run = open();
    let scoped = Policy::parse("[triage]\nnot_security = [\"crafted-bytecode\"]\nbytecode_terms = [\"read_irep\", \"rite\"]\n").unwrap();
    let cases = [
        ("bc.md", "# Heap over-read in the bytecode loader\n\nA crafted bytecode file makes the loader read past the end of its buffer.\n"),
        ("plural.md", "# Over-read\n\nLoading truncated bytecodes reads past the buffer.\n"),
        // The project's own names for its loader, from the policy.
        ("term.md", "# Over-read in read_irep()\n\n`mrb_read_irep_buf()` trusts the length a truncated record declares.\n"),
        ("rite.md", "# Crash\n\nA malformed RITE file crashes the VM.\n"),
    ];
    for (name, text) in cases {
        let off = triage_text(&run, name, text, &Policy::default(), &At::Auto);
        assert!(!rules(&off).contains(&"VCH-TRI-013"), "{name} without a policy: {:#?}", off.findings);
        let on = triage_text(&run, name, text, &scoped, &At::Auto);
        let f = on.findings.iter().find(|f| f.rule == "VCH-TRI-013").unwrap_or_else(|| panic!("{name}: {:#?}", on.findings));
        assert!(f.message.contains("crafted-bytecode") && !f.evidence.is_empty(), "{name}: {f:#?}");
        assert!(on.flagged, "{name}");
    }
    // A script's crash, words that only contain a term ("writes"), bytecode shown rather than
    // loaded, and a denial: none is out of scope.
    for (name, text) in [
        (
            "script.md",
            "# Crash in String#prepend\n\nEarlier writes corrupt the source of later reads when a string is prepended to itself.\n",
        ),
        ("shown.md", "# Hang in a loop\n\nThe following shows the bytecode and the tight loop the compiler emits.\n"),
        ("denied.md", "# Crash\n\nThis needs no crafted bytecode: a valid script that is loaded crashes the VM.\n"),
    ] {
        let t = triage_text(&run, name, text, &scoped, &At::Auto);
        assert!(!rules(&t).contains(&"VCH-TRI-013"), "{name}: {:#?}", t.findings);
    }
}

#[test]
fn the_shipped_mruby_policy_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/policies/mruby.toml");
    let p = Policy::load(&path).expect("docs/policies/mruby.toml loads");
    assert_eq!(p.name.as_deref(), Some("mruby"));
    assert!(p.excludes("crafted-bytecode") && p.excludes("api-misuse"));
    assert!(p.bytecode_terms.iter().any(|t| t == "read_irep"));
}

#[test]
fn the_shipped_curl_policy_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/policies/curl.toml");
    let p = Policy::load(&path).expect("docs/policies/curl.toml loads");
    assert_eq!(p.name.as_deref(), Some("curl"));
    for kind in ["crlf-in-data", "small-memory-leak", "null-deref-crash", "debug-build"] {
        assert!(p.excludes(kind), "{kind}");
    }
    assert!(!p.excludes("local-attacker"));
    assert_eq!(p.contracts.len(), 1);
}

#[test]
fn the_shipped_libgit2_policy_is_valid() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/policies/libgit2.toml");
    let p = Policy::load(&path).expect("docs/policies/libgit2.toml loads");
    assert_eq!(p.name.as_deref(), Some("libgit2"));
    assert!(p.not_security.is_empty());
    assert_eq!(p.contracts[0].requires, ["git_libgit2_init"]);
}

#[test]
fn a_tree_of_another_release_does_not_contradict_the_report() {
    let code = "#include <string.h>\n\nint cookie_add(char *out, const char *in)\n{\n  strcpy(out, in);\n  return 0;\n}\n";
    let text = "# Overflow in cookie_parse_expiry\n\nIn minihttp 1.0.0, `cookie_parse_expiry()` in `lib/cookie.c` copies the header without a length check:\n\n```c\n  memcpy(expiry, value, vlen);\n```\n";
    // The tree of the release the report names: what is missing there is contradicted.
    let same = triage_tree_named("minihttp-1.0.0", "lib/cookie.c", code, text, &Policy::default());
    assert_eq!(claim(&same, "function", "cookie_parse_expiry").status, Status::Contradicted);
    assert!(same.flagged, "{:?}", same.reasons);
    // Another release's tree: the code may be in the release the report is about.
    let other = triage_tree_named("minihttp-2.0.0", "lib/cookie.c", code, text, &Policy::default());
    let c = claim(&other, "function", "cookie_parse_expiry");
    assert_eq!(c.status, Status::Unverifiable, "{c:?}");
    assert!(c.evidence.contains("this tree is version 2.0.0 and the report is about 1.0.0"), "{}", c.evidence);
    let f = other.findings.iter().find(|f| f.rule == "VCH-TRI-015").unwrap_or_else(|| panic!("{:#?}", other.findings));
    assert!(f.message.contains("check it against release 1.0.0"), "{}", f.message);
    assert!(f.message.starts_with("this tree is version 2.0.0 and the report is about 1.0.0"), "{}", f.message);
    assert_eq!(other.summary.contradicted, 0, "{:#?}", other.claims);
    assert!(!rules(&other).contains(&"VCH-TRI-001"), "no finding left for a claim that is no longer contradicted: {:#?}", other.findings);
    assert!(rules(&same).contains(&"VCH-TRI-001"), "{:#?}", same.findings);
    assert!(!other.flagged, "{:?}", other.reasons);
    // A tree inside the range the report says is affected is a release it is about.
    for range in ["minihttp 1.0.0 through 2.1.0", "minihttp 1.0.0 and later", "minihttp 1.0.0 - current"] {
        let ranged = text.replace("minihttp 1.0.0", range);
        let t = triage_tree_named("minihttp-2.0.0", "lib/cookie.c", code, &ranged, &Policy::default());
        assert_eq!(claim(&t, "function", "cookie_parse_expiry").status, Status::Contradicted, "{range}");
    }
    let before = text.replace("minihttp 1.0.0", "minihttp 0.9.0 through 1.0.0");
    let t = triage_tree_named("minihttp-2.0.0", "lib/cookie.c", code, &before, &Policy::default());
    assert_eq!(claim(&t, "function", "cookie_parse_expiry").status, Status::Unverifiable);
    // A folder without a version, or a report naming none, is checked as it is.
    let plain = triage_tree_named("minihttp", "lib/cookie.c", code, text, &Policy::default());
    assert_eq!(claim(&plain, "function", "cookie_parse_expiry").status, Status::Contradicted);
}

#[test]
fn a_tree_much_newer_than_a_report_without_versions_does_not_contradict_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    let file = root.join("lib/cookie.c");
    std::fs::write(&file, "#include <string.h>\n\nint cookie_add(char *out, const char *in)\n{\n  strcpy(out, in);\n  return 0;\n}\n")
        .unwrap();
    let text = |date: &str| {
        format!("# Overflow in cookie_parse_expiry\n\n| | |\n|---|---|\n| **Reported** | {date} |\n\n`cookie_parse_expiry()` in `lib/cookie.c` copies the header without a length check.\n")
    };
    let run = |text: &str| triage_in(&root, text, &Policy::default());
    // Files of today, a report of 2019: the tree is years newer than the code the report read.
    let old = run(&text("2019-03-01"));
    assert_eq!(claim(&old, "function", "cookie_parse_expiry").status, Status::Unverifiable, "{:#?}", old.claims);
    let f = old.findings.iter().find(|f| f.rule == "VCH-TRI-015").unwrap_or_else(|| panic!("{:#?}", old.findings));
    assert!(f.message.contains("the report from 2019-03-01") && f.message.contains("the release current on 2019-03-01"), "{}", f.message);
    // The tree of the report's time: what it lacks is contradicted.
    let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_551_398_400); // 2019-03-01
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(then).unwrap();
    let same = run(&text("2019-03-01"));
    assert_eq!(claim(&same, "function", "cookie_parse_expiry").status, Status::Contradicted, "{:#?}", same.claims);
    assert!(same.flagged);
}

#[test]
fn a_report_about_code_no_release_had_is_out_of_scope_when_the_policy_says_so() {
    let run = open();
    let text = "# Stack overflow in alpn_select\n\n| | |\n|---|---|\n| **Reported** | 2025-10-01 |\n\n`alpn_select()` in `lib/alpn.c` copies the offer into a 16-byte stack buffer without checking `len`:\n\n```c\n  memcpy(proto, offer, len);\n  strcpy(out, proto);\n```\n";
    let policy = Policy::parse("[triage]\nnot_security = [\"unreleased-code\"]\n").unwrap();
    let t = triage_text(&run, "unreleased.md", text, &policy, &At::Auto);
    assert_eq!(claim(&t, "function", "alpn_select").status, Status::Confirmed, "{:#?}", t.claims);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-013").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("unreleased-code") && f.message.contains("v2.0.0"), "{}", f.message);
    assert!(f.evidence.contains("function alpn_select"), "{}", f.evidence);
    assert!(t.flagged);
    // Without the policy it is only a report about newer code.
    let plain = triage_text(&run, "unreleased.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&plain).contains(&"VCH-TRI-013"), "{:#?}", plain.findings);
    // A report about released code is not touched by the kind.
    let released =
        triage_text(&run, "released.md", &fixture::reports().into_iter().find(|(n, _)| *n == "genuine.md").unwrap().1, &policy, &At::Auto);
    assert!(!rules(&released).contains(&"VCH-TRI-013"), "{:#?}", released.findings);
}

#[test]
fn a_report_that_says_its_code_is_unreleased_is_out_of_scope_when_the_policy_says_so() {
    let run = open();
    let text = "# Overflow in parse_header\n\nBuilt from master (minihttp 2.1.0-DEV). This is an unreleased regression: `parse_header()` in `lib/parse.c` copies the name without a check.\n";
    let policy = Policy::parse("[triage]\nnot_security = [\"unreleased-code\"]\n").unwrap();
    let t = triage_text(&run, "dev.md", text, &policy, &At::Auto);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-013").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("says the code it is about is unreleased"), "{}", f.message);
    assert!(f.evidence.contains("unreleased regression"), "{}", f.evidence);
    assert!(t.flagged, "{:?}", t.reasons);
    // Without the policy, or when the report names a release it saw the problem in, or says the
    // opposite, the kind does not apply.
    let plain = triage_text(&run, "dev.md", text, &Policy::default(), &At::Auto);
    assert!(!rules(&plain).contains(&"VCH-TRI-013"), "{:#?}", plain.findings);
    let released = text.replace("Built from master (minihttp 2.1.0-DEV).", "Seen in minihttp 1.1.0.");
    let t = triage_text(&run, "rel.md", &released, &policy, &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-013"), "{:#?}", t.findings);
    let opposite = text.replace("This is an unreleased regression", "This is not only in unreleased code");
    let t = triage_text(&run, "opp.md", &opposite, &policy, &At::Auto);
    assert!(!rules(&t).contains(&"VCH-TRI-013"), "{:#?}", t.findings);
}

#[test]
fn a_read_at_an_offset_checked_with_its_length_is_found() {
    let code = |check: &str| {
        format!(
            "#include <stddef.h>\n\nint deliver(void *data, const char *ptr, size_t len);\n\nint read_reply(void *data, const char *msg, size_t got)\n{{\n  size_t off = (unsigned char)msg[4];\n  size_t len = (unsigned char)msg[5];\n  if(len > 0) {{\n    {check}\n      return -1;\n    return deliver(data,\n                   (char *)msg + off + sizeof(unsigned int),\n                   len);\n  }}\n  return 0;\n}}\n"
        )
    };
    let text = "# Heap over-read in read_reply\n\nIn minihttp 2.0.0, `read_reply()` in `lib/reply.c` trusts the server's offset and length:\n\n```c\n    return deliver(data,\n                   (char *)msg + off + sizeof(unsigned int),\n                   len);\n```\n\nA malicious server sends a large length and the client reads past the received data.\n";
    let t = triage_tree("lib/reply.c", &code("if(off + sizeof(unsigned int) + len > got)"), text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("deliver at lib/reply.c:12") && f.message.contains("line 10"), "{}", f.message);
    assert!(f.evidence.contains("if(off + sizeof(unsigned int) + len > got)"), "{}", f.evidence);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // The room left after the offset is the same check.
    let t = triage_tree("lib/reply.c", &code("if(len > got - off)"), text, &Policy::default());
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // A check of the offset alone, or of the length alone, does not bound the read.
    for partial in ["if(off < len)", "if(off + 4 > got)", "if(len + 4 > got)"] {
        let t = triage_tree("lib/reply.c", &code(partial), text, &Policy::default());
        assert!(!rules(&t).contains(&"VCH-TRI-006"), "{partial}: {:#?}", t.findings);
    }
    // A report that argues about the check is about the check.
    let argued = text.replace("A malicious server", "The sum wraps around on 32-bit systems, so a malicious server");
    let t = triage_tree("lib/reply.c", &code("if(off + sizeof(unsigned int) + len > got)"), &argued, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // So is one that says the check shown is all there is, and what passes it.
    let argued = text.replace(
        "A malicious server",
        "The only check performed is `off + sizeof(unsigned int) + len > got`; with an offset of 0 the check passes and a malicious server",
    );
    let t = triage_tree("lib/reply.c", &code("if(off + sizeof(unsigned int) + len > got)"), &argued, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn data_files_are_checked_in_the_projects_folders_only() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    std::fs::create_dir_all(root.join("tests/data")).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join("tests/data/server.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
    std::fs::write(root.join("lib/tls.c"), "int tls_load(const char *path)\n{\n  return path != 0;\n}\n").unwrap();
    let text = "# Hard-coded private keys in minihttp 2.0.0\n\nThe tree ships tests/data/server.pem and tests/data/client-key.pem with their private keys. \
                My scanner wrote its findings to scan/report.json.\n";
    let t = triage_in(&root, text, &Policy::default());
    assert_eq!(claim(&t, "file", "tests/data/server.pem").status, Status::Confirmed);
    let missing = claim(&t, "file", "tests/data/client-key.pem");
    assert_eq!(missing.status, Status::Contradicted, "{}", missing.evidence);
    let own = claim(&t, "file", "scan/report.json");
    assert_eq!(own.status, Status::Unverifiable, "{}", own.evidence);
    assert!(own.evidence.contains("no such folder"), "{}", own.evidence);
}

#[test]
fn inline_code_shown_for_a_line_is_looked_for_at_that_line() {
    let code = "#include <string.h>\n\nint norm(const char *in, size_t len)\n{\n  int n = 0;\n  while(len--) {\n    if(in[len] == '/')\n      n++;\n  }\n  return n;\n}\n";
    let text = |cite: &str, shown: &str| {
        format!("# Path bypass in norm\n\nIn minihttp 2.0.0, the check at `lib/norm.c:{cite}` is `{shown}` and skips `%2f`.\n")
    };
    // At the cited line, or a few lines off.
    for cite in ["7", "4"] {
        let t = triage_tree("lib/norm.c", code, &text(cite, "if(in[len] == '/')"), &Policy::default());
        let c = claim(&t, "line", &format!("lib/norm.c:{cite}"));
        assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
        assert_eq!(c.location.as_ref().map(|l| l.line), Some(7), "{}", c.evidence);
    }
    // Code the file does not have.
    let t = triage_tree("lib/norm.c", code, &text("7", "if(ISSLASH(in[len]))"), &Policy::default());
    let c = claim(&t, "line", "lib/norm.c:7");
    assert_eq!(c.status, Status::Contradicted, "{}", c.evidence);
    assert!(c.evidence.contains("if(ISSLASH(in[len]))") && c.evidence.contains("nowhere in the file"), "{}", c.evidence);
}

#[test]
fn paths_of_the_reporters_machine_and_the_reporters_own_files_are_not_project_claims() {
    let run = open();
    let policy = project_policy();
    let memcpy = fixture::line(fixture::COOKIE_C, "memcpy(buf, value, vlen);");
    let text = format!(
        "# Stack overflow in cookie_add\n\nOSS-Fuzz found a stack buffer overflow in `cookie_add()`.\n\n```\n==1==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffc3a1b2c40\n    #0 0x55d1c2a3b4c5 in cookie_add /src/minihttp/lib/cookie.c:{memcpy}:3\n    #1 0x55d1c2a3b5d6 in LLVMFuzzerTestOneInput /src/minihttp_fuzzer/fuzz_cookie.cc:97:5\n```\n\nThe same unchecked copy is in `cookie_util.c`, in `cookie_util_add()`. The probe program `cookie_probe.c` shows the crash.\n\n```sh\ncc -o probe cookie_probe.c -lminihttp\n./probe\n```\n\n```sh\ncc -I/tmp/minihttp/include \\\n  jar_probe.c \\\n  -o jar_probe\n```\n\nThe client is jar_probe.c, it crashes at once.\n\nA second build, unfenced:\n\ncc -I/tmp/minihttp/include \\\n  jar_unfenced.c \\\n  -o jar_unfenced\n\n## Attachments\n\n- `jar_stress.c`: a second test program\n"
    );
    let t = triage_text(&run, "machine.md", &text, &policy, &At::Auto);
    let l = claim(&t, "line", &format!("/src/minihttp/lib/cookie.c:{memcpy}"));
    assert_eq!(l.status, Status::Confirmed, "{}", l.evidence);
    let other = claim(&t, "line", "/src/minihttp_fuzzer/fuzz_cookie.cc:97");
    assert_eq!(other.status, Status::Unverifiable, "{}", other.evidence);
    assert!(other.evidence.contains("reporter's machine"), "{}", other.evidence);
    let f = claim(&t, "file", "jar_probe.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    let f = claim(&t, "file", "jar_unfenced.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    let f = claim(&t, "file", "jar_stress.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("reporter's own"), "{}", f.evidence);
    // The file the report compiles is not a claim about the project at all.
    assert!(!t.claims.iter().any(|c| c.text == "cookie_probe.c" && c.status == Status::Contradicted), "{:#?}", t.claims);
    // A bare file name the report places in the project, and nothing marks as the reporter's.
    assert_eq!(claim(&t, "file", "cookie_util.c").status, Status::Contradicted);
    // Slips of a genuine reporter: a capital at the start of a sentence, a first letter lost in
    // copying, a helper program the report describes, and the C library's popen.
    let text = "# Stack overflow in cookie_add\n\nCookie.c overflows in `cookie_add()`; the caller `ookie_add()` is reached from `jar_store()`.\n\n* `jar_server.c` is a simple HTTP server that sends the long cookie.\n\nThe harness runs it with `popen()`.\n";
    let t = triage_text(&run, "slips.md", text, &policy, &At::Auto);
    let f = claim(&t, "file", "Cookie.c");
    assert_eq!(f.status, Status::Confirmed, "{}", f.evidence);
    assert!(f.evidence.contains("only the case differs"), "{}", f.evidence);
    let f = claim(&t, "function", "ookie_add");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("cookie_add"), "{}", f.evidence);
    assert_eq!(claim(&t, "file", "jar_server.c").status, Status::Unverifiable);
    assert_eq!(claim(&t, "function", "popen").status, Status::Unverifiable);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    // An unfenced Helgrind report: frames in the C library's sources are not the project's.
    let text = format!("# Data race in cookie_add\n\nOne of the reports:\n\n==43481== Possible data race during read of size 1 at 0x8325DE8 by thread #7\n==43481== Locks held: none\n==43481==    at 0x8325DE8: ns_name_pton (ns_name.c:160)\n==43481==    by 0x831D8DF: __res_hnok (res_comp.c:202)\n==43481==    by 0x4E3A1B2: cookie_add (cookie.c:{memcpy})\n\nThe race is in `cookie_add()`.\n");
    let t = triage_text(&run, "helgrind.md", &text, &policy, &At::Auto);
    let l = claim(&t, "line", "ns_name.c:160");
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert_eq!(l.origin, "trace");
    assert_eq!(claim(&t, "line", &format!("cookie.c:{memcpy}")).status, Status::Confirmed);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
    // A project file cited under another folder (moved, or a slip of the folder).
    let t = triage_text(&run, "moved.md", "# Overflow\n\nThe copy in `lib/parsers/cookie.c` is unchecked.\n", &policy, &At::Auto);
    let f = claim(&t, "file", "lib/parsers/cookie.c");
    assert_eq!(f.status, Status::Unverifiable, "{}", f.evidence);
    assert!(f.evidence.contains("the project has lib/cookie.c"), "{}", f.evidence);
}

#[test]
fn a_diff_against_code_of_a_later_version_consulted_is_not_fabricated() {
    let run = open();
    // The report names 1.1.0, where lib/config.c does not exist yet; the diff is against the
    // code it has from 2.0.0 on, which vouch consults too (the latest code).
    let diff = "diff --git a/lib/config.c b/lib/config.c\n--- a/lib/config.c\n+++ b/lib/config.c\n@@ -4,6 +4,8 @@\n int config_path(char *out)\n {\n   char path[512];\n   const char *home = getenv(\"HOME\");\n+  if(!home || strlen(home) > 400)\n+    return -1;\n   strcpy(path, home);\n   strcat(path, \"/.minihttprc\");\n";
    let text = format!("# Overflow in config_path\n\nTested on minihttp 1.1.0. `config_path()` in `lib/config.c` copies `HOME` without a check. Fix:\n\n```diff\n{diff}```\n");
    let t = triage_text(&run, "later.md", &text, &Policy::default(), &At::Auto);
    assert!(t.checked.main.label.starts_with("tag v1.1.0"), "{:?}", t.checked);
    assert!(!rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    // The same diff to code no version has is still found.
    let made_up = diff
        .replace("char path[512];", "char path[PATH_MAX];")
        .replace("const char *home", "char *home_dir")
        .replace("strcpy(path, home);", "memcpy(path, home_dir, len);")
        .replace("strcat(path, \"/.minihttprc\");", "path[len] = 0;");
    let text = format!("# Overflow in config_path\n\nTested on minihttp 1.1.0. Fix:\n\n```diff\n{made_up}```\n");
    let t = triage_text(&run, "made-up.md", &text, &Policy::default(), &At::Auto);
    assert!(rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
}

#[test]
fn another_trees_files_bare_names_and_shell_variables_are_not_contradictions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    for (file, code) in [("lib/url.c", fixture::URL_C), ("projects/Windows/minihttp.sln", "solution\n"), ("scripts/mhget", fixture::MHGET)]
    {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join(file), code).unwrap();
    }
    // The project has a projects/ folder of its own, but not OSS-Fuzz's projects/minihttp/.
    let diff = "diff --git a/projects/minihttp/Dockerfile b/projects/minihttp/Dockerfile\n--- a/projects/minihttp/Dockerfile\n+++ b/projects/minihttp/Dockerfile\n@@ -1,4 +1,4 @@\n FROM gcr.io/oss-fuzz-base/base-builder\n RUN apt-get update\n-RUN git clone minihttp\n+RUN git clone -b dev minihttp\n WORKDIR minihttp\n";
    let text = format!(
        "# Leak in copy_host (minihttp 2.0.0)\n\n`copy_host()` in `lib/url.c` leaks; the harness is `tests/fuzz/fuzz_url.c` (see `fuzz_url.c`).\nThe full self-contained PoC (server startup and both runs) is in `reports/run.sh`.\n\nBuild with:\n\n```diff\n{diff}```\n\nand run:\n\n```sh\nMH_OPTS=--verbose\nset -- \"$@\" ${{MINIHTTP_OPTIONS}} $MINIHTTP_HOME \"$url\"\n```\n"
    );
    let t = triage_in(&root, &text, &Policy::default());
    assert!(!rules(&t).contains(&"VCH-TRI-004"), "{:#?}", t.findings);
    let s = t.claims.iter().find(|c| c.kind == "snippet" && c.origin == "patch").expect("the diff's snippet");
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    // `fuzz_url.c` is the file the report also names with its folders, which the tree leaves out.
    let bare = claim(&t, "file", "fuzz_url.c");
    assert_eq!(bare.status, Status::Unverifiable, "{}", bare.evidence);
    assert!(bare.evidence.contains("tests/fuzz/fuzz_url.c"), "{}", bare.evidence);
    // A script under a folder the project does not have is the reporter's.
    assert_eq!(claim(&t, "file", "reports/run.sh").status, Status::Unverifiable);
    // Shell variables of a script are not constants of the project's API.
    assert!(!t.claims.iter().any(|c| c.text.starts_with("MINIHTTP_")), "{:#?}", t.claims);
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
}

#[test]
fn an_off_by_one_the_checks_arithmetic_rules_out_is_found_and_a_real_one_is_not() {
    // `open_file()` copies the path behind a check on its length; the report says the check is
    // off by one.
    let code = |len: &str, check: &str, copy: &str| {
        format!(
            "#include <string.h>\n\nstruct msg {{\n  int kind;\n  char bytes[64];\n}};\n\nint send_msg(struct msg *m, size_t n);\n\nint open_file(const char *path)\n{{\n  struct msg m;\n  const size_t count = {len};\n\n  if({check})\n    return -1;\n\n  m.kind = 1;\n  {copy}\n  return send_msg(&m, count);\n}}\n"
        )
    };
    let text = "# Off-by-one overflow in open_file\n\nIn minihttp 2.0.0, `open_file()` in `lib/open.c` checks the path with `>` where it should use `>=`, so a 63-byte path overflows `m.bytes` by one byte:\n\n```c\n  if(count > sizeof(m.bytes))\n    return -1;\n  strcpy(m.bytes, path);\n```\n";
    let t =
        triage_tree("lib/open.c", &code("strlen(path) + 1", "count > sizeof(m.bytes)", "strcpy(m.bytes, path);"), text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("cannot overflow by one"), "{}", f.message);
    assert!(f.message.contains("at most sizeof(m.bytes) bytes"), "{}", f.message);
    // Without the `+ 1`, the same check lets a 64-byte path through: a real off-by-one.
    let t = triage_tree("lib/open.c", &code("strlen(path)", "count > sizeof(m.bytes)", "strcpy(m.bytes, path);"), text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.message.contains("cannot overflow by one")), "{:#?}", t.findings);
    // `>=` settles it again.
    let t =
        triage_tree("lib/open.c", &code("strlen(path)", "count >= sizeof(m.bytes)", "strcpy(m.bytes, path);"), text, &Policy::default());
    assert!(t.findings.iter().any(|f| f.message.contains("cannot overflow by one")), "{:#?}", t.findings);
    // A memcpy of `count` bytes then a terminator at `count`: `>` lets count == 64 through (a real
    // off-by-one), `>=` does not.
    let terminated = "memcpy(m.bytes, path, count);\n  m.bytes[count] = 0;";
    let t = triage_tree("lib/open.c", &code("strlen(path)", "count > sizeof(m.bytes)", terminated), text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.message.contains("cannot overflow by one")), "{:#?}", t.findings);
    let t = triage_tree("lib/open.c", &code("strlen(path)", "count >= sizeof(m.bytes)", terminated), text, &Policy::default());
    assert!(t.findings.iter().any(|f| f.message.contains("with the terminator")), "{:#?}", t.findings);
    // The path changed after the check: nothing is proven.
    let t = triage_tree(
        "lib/open.c",
        &code("strlen(path) + 1", "count > sizeof(m.bytes)", "path = \"x\";\n  strcpy(m.bytes, path);"),
        text,
        &Policy::default(),
    );
    assert!(!t.findings.iter().any(|f| f.message.contains("cannot overflow by one")), "{:#?}", t.findings);
}

#[test]
fn a_copy_into_zeroed_memory_with_a_byte_to_spare_is_terminated() {
    let code = |member: &str, alloc: &str| {
        format!(
            "#include <stdlib.h>\n#include <string.h>\n\nstruct var {{\n  struct var *next;\n  size_t clen;\n  {member}\n}};\n\nstruct var *add_var(const char *name, size_t nlen)\n{{\n  struct var *p;\n  p = {alloc};\n  if(p)\n    memcpy(p->name, name, nlen);\n  return p;\n}}\n"
        )
    };
    let text = "# Over-read: missing NUL termination in add_var()\n\nIn minihttp 2.0.0, `add_var()` in `lib/var.c` copies `nlen` bytes of the name without a NUL terminator, so a later `strlen(p->name)` reads past the allocation:\n\n```c\n  p = calloc(1, sizeof(struct var) + nlen);\n  if(p)\n    memcpy(p->name, name, nlen);\n```\n";
    let t = triage_tree("lib/var.c", &code("char name[1];", "calloc(1, sizeof(struct var) + nlen)"), text, &Policy::default());
    let f = t.findings.iter().find(|f| f.message.contains("is terminated")).unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(f.rule, "VCH-TRI-006");
    assert!(f.message.contains("line 13"), "{}", f.message);
    // `sizeof(*p)` with `p` declared as the struct works the same.
    let t = triage_tree("lib/var.c", &code("char name[1];", "calloc(1, sizeof(*p) + nlen)"), text, &Policy::default());
    assert!(t.findings.iter().any(|f| f.message.contains("is terminated")), "{:#?}", t.findings);
    // A flexible array member has no byte of its own, and malloc does not zero: no finding.
    for (member, alloc) in
        [("char name[];", "calloc(1, sizeof(struct var) + nlen)"), ("char name[1];", "malloc(sizeof(struct var) + nlen)")]
    {
        let t = triage_tree("lib/var.c", &code(member, alloc), text, &Policy::default());
        assert!(!t.findings.iter().any(|f| f.message.contains("is terminated")), "{member} {alloc}: {:#?}", t.findings);
    }
}

#[test]
fn a_double_free_of_an_object_every_free_resets_is_found() {
    // A plain tree: a free-and-NULL macro, a buffer helper that uses it, and two cleanup paths.
    let tree = plain_tree(&[
        ("lib/mem.h", "#define mh_safefree(ptr) \\\n  do { free((ptr)); (ptr) = NULL; } while(0)\n"),
        ("lib/buf.c", "#include \"mem.h\"\n\nvoid buf_free(struct buf *b)\n{\n  mh_safefree(b->data);\n  b->len = 0;\n}\n\nvoid buf_drop(struct buf *b)\n{\n  free(b->data);\n  last_buf = NULL;\n}\n"),
        ("lib/probe.c", "#include \"mem.h\"\n\nstatic void probe_done(struct req *req)\n{\n  send_result(req);\n  buf_free(&req->body);\n}\n\nstatic void probe_dtor(struct req *req)\n{\n  buf_free(&req->body);\n  mh_safefree(req);\n}\n\nstatic void raw_done(struct req *req)\n{\n  char *p = req->raw;\n  free(p);\n}\n\nstatic void raw_dtor(struct req *req)\n{\n  mh_safefree(req->raw);\n}\n\nstatic void raw_reset(struct req *req)\n{\n  mh_safefree(req->raw);\n}\n\nstatic void tail_done(struct req *req)\n{\n  buf_drop(&req->tail);\n}\n\nstatic void tail_dtor(struct req *req)\n{\n  buf_drop(&req->tail);\n}\n"),
    ]);
    let run = |text: &str| tree.triage(text);
    let t = run("# Double free in probe cleanup\n\n`probe_done()` frees `req->body` and then `probe_dtor()` frees `req->body` again: a double free.\n");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-024").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`body`"), "{}", f.message);
    assert!(f.evidence.contains("lib/probe.c:6: buf_free(&req->body);") && f.evidence.contains("lib/probe.c:11"), "{}", f.evidence);
    assert!(t.flagged, "{:?}", t.reasons);
    // Freed once through a plain copy of the pointer, which resets nothing: a real double free.
    let raw = "# Double free of the raw buffer\n\n`raw_done()` frees `req->raw` through a copy and `raw_dtor()` frees `req->raw` again: a double free.\n";
    let t = run(&raw.replace("again", "again, as `raw_reset()` does"));
    assert!(!rules(&t).contains(&"VCH-TRI-024"), "{:#?}", t.findings);
    // Without the copy, the two frees that reset it answer the report.
    let t =
        run("# Double free of the raw buffer\n\n`raw_reset()` frees `req->raw` and `raw_dtor()` frees `req->raw` again: a double free.\n");
    assert!(rules(&t).contains(&"VCH-TRI-024"), "{:#?}", t.findings);
    // A free function that stores NULL somewhere else resets nothing it was handed.
    let t = run(
        "# Double free of the tail buffer\n\n`tail_done()` frees `req->tail` and `tail_dtor()` frees `req->tail` again: a double free.\n",
    );
    assert!(!rules(&t).contains(&"VCH-TRI-024"), "{:#?}", t.findings);
    // Another class of report is not answered by this check.
    let t = run("# Use after free in probe cleanup\n\n`probe_done()` frees `req->body` and `probe_dtor()` then reads `req->body`: a use after free.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-024"), "{:#?}", t.findings);
}

#[test]
fn a_double_free_the_quoted_code_frees_once_is_found() {
    let tree = plain_tree(&[(
        "lib/store.c",
        "#include <stdlib.h>\n\nstatic void item_free(struct item *it)\n{\n  free(it);\n}\n\n         struct item *store_add(struct store *s, const char *line)\n{\n  struct item *it;\n  it = calloc(1, sizeof(*it));\n  if(!it)\n    return NULL;\n  if(parse_item(it, line))\n    goto fail;\n  list_append(&s->items, it);\n  return it;\nfail:\n  item_free(it);\n  return NULL;\n}\n\n         void store_replace(struct store *s, struct node *old_n)\n{\n  struct item *old = node_elem(old_n);\n  node_remove(old_n);\n  item_free(old);\n}\n\n         void store_flush(struct store *s)\n{\n  struct item *it = s->pending;\n  send_item(s, it);\n  item_free(it);\n}\n\n         void store_drop(struct store *s)\n{\n  struct node *n;\n  for(n = s->first; n; n = n->next) {\n    struct item *it = node_elem(n);\n    node_remove(n);\n    item_free(it);\n  }\n}\n\n         static void other(struct item *it)\n{\n  if(check(it))\n    goto fail;\n  return;\nfail:\n  item_free(it);\n  return NULL;\n}\n",
    )]);
    let add = "# Double free in store_add()\n\nOn errors `store_add()` frees the item again, even if it was already released, in the following code:\n\n```c\nfail:\n  item_free(it); // freed again\n  return NULL;\n```\n";
    let t = tree.triage(add);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-027").unwrap_or_else(|| panic!("{:#?}", t.findings));
    // The quote's plain lines (`fail:`, `return NULL;`) place it in store_add(), not in other().
    assert!(f.message.contains("`it` once in store_add() (lib/store.c:19)"), "{}", f.message);
    // "trace" is no race.
    let untraced = add.replace("in the following code:", "in the following code (I have no stack trace):");
    assert!(rules(&tree.triage(&untraced)).contains(&"VCH-TRI-027"));
    // An element taken from its list and removed from it before the free is owned there too.
    let replace = "# Double free in store_replace()\n\nA replaced item is freed without checking that it was already freed:\n\n```c\n  struct item *old = node_elem(old_n);\n  node_remove(old_n);\n  item_free(old);\n```\n";
    assert!(rules(&tree.triage(replace)).contains(&"VCH-TRI-027"));
    // A copy of a member still held by the object, a free in a loop, other threads, or a
    // sanitizer trace of a run: no finding.
    let flush = "# Double free in store_flush()\n\nThe pending item is freed but stays pending, so the next flush frees it again:\n\n```c\n  struct item *it = s->pending;\n  send_item(s, it);\n  item_free(it);\n```\n";
    let drop = "# Double free in store_drop()\n\nEach item is freed twice:\n\n```c\n    struct item *it = node_elem(n);\n    node_remove(n);\n    item_free(it);\n```\n";
    let threads = replace.replace("was already freed", "another thread already freed it");
    let traced = format!("{add}\n```\n==1==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T0:\n    #0 0x4a5b6c in free\n    #1 0x4a5b7d in item_free lib/store.c:5:3\n    #2 0x4a5b8e in store_add lib/store.c:19:3\n```\n");
    for text in [flush, drop, &threads, &traced] {
        let t = tree.triage(text);
        // The quote is found: the check looked at it and declined.
        assert!(t.claims.iter().any(|c| c.kind == "snippet" && c.status == Status::Confirmed), "{text}\n{:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-027"), "{text}\n{:#?}", t.findings);
    }
}

#[test]
fn code_of_a_bundled_dependencys_own_program_is_found() {
    let tree = plain_tree(&[
        (
            "deps/minilua/src/lua.c",
            "#include \"lua.h\"\n\nstruct Smain {\n  int argc;\n  char **argv;\n};\n\nstatic int pmain (lua_State *L) {\n  struct Smain *s = (struct Smain *)lua_touserdata(L, 1);\n  char **argv = s->argv;\n  return run(L, argv);\n}\n\nint main (int argc, char **argv) {\n  struct Smain s;\n  s.argc = argc;\n  s.argv = argv;\n  return lua_cpcall(new_state(), &pmain, &s);\n}\n",
        ),
        (
            "deps/minilua/src/lapi.c",
            "#include \"lua.h\"\n\nvoid *lua_touserdata (lua_State *L, int idx) {\n  TValue *o = index2adr(L, idx);\n  if (o->tt == LUA_TUSERDATA)\n    return o->u;\n  return NULL;\n}\n",
        ),
        (
            "deps/minilua/src/lstr.c",
            "#include \"lua.h\"\n\nchar *str_new (const char *init, size_t len) {\n  char *s = lmalloc(len + 1);\n  memcpy(s, init, len);\n  s[len] = 0;\n  return s;\n}\n\n#ifdef LSTR_TEST_MAIN\nint main (void) {\n  return str_new(\"x\", 1) == NULL;\n}\n#endif\n",
        ),
        (
            "src/server.c",
            "#include <stdio.h>\n\nstatic int serve (struct srv *s) {\n  struct conf *c = conf_get(s);\n  return listen_on(c->port);\n}\n\nint main (int argc, char **argv) {\n  return serve(srv_new(argc, argv));\n}\n",
        ),
    ]);
    let dep = "# NULL Pointer Dereference in pmain\n\nIn `deps/minilua/src/lua.c`, `pmain()` dereferences the result of `lua_touserdata()`, which returns NULL by default:\n\n```c\nstatic int pmain (lua_State *L) {\n  struct Smain *s = (struct Smain *)lua_touserdata(L, 1);\n  char **argv = s->argv;\n```\n\n```c\nvoid *lua_touserdata (lua_State *L, int idx) {\n  TValue *o = index2adr(L, idx);\n  if (o->tt == LUA_TUSERDATA)\n    return o->u;\n  return NULL;\n}\n```\n";
    let t = tree.triage(dep);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-040").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("deps/minilua/src/lua.c") && f.message.contains("deps/minilua/"), "{}", f.message);
    // The dependency's library code, and the project's own program: no finding.
    let lib = "# NULL returned by lua_touserdata\n\nIn `deps/minilua/src/lapi.c`, `lua_touserdata()` returns NULL:\n\n```c\n  if (o->tt == LUA_TUSERDATA)\n    return o->u;\n  return NULL;\n```\n";
    let own = "# NULL dereference in serve\n\nIn `src/server.c`, `serve()` dereferences the result of `conf_get()`:\n\n```c\n  struct conf *c = conf_get(s);\n  return listen_on(c->port);\n```\n";
    // Nor a library file whose main() is a test's, compiled under a macro.
    let tested = "# NULL dereference in str_new\n\nIn `deps/minilua/src/lstr.c`, `str_new()` does not check the allocation:\n\n```c\n  char *s = lmalloc(len + 1);\n  memcpy(s, init, len);\n```\n";
    for text in [lib, own, tested] {
        let t = tree.triage(text);
        assert!(t.claims.iter().any(|c| c.kind == "snippet" && c.status == Status::Confirmed), "{text}\n{:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-040"), "{text}\n{:#?}", t.findings);
    }
}

#[test]
fn the_projects_own_copy_of_code_a_bundled_dependency_shares_is_shown() {
    // Redis keeps its own sds.c and hiredis's copy under deps/: the report means the project's.
    let sds = |alloc: &str| {
        format!("#include \"sdsalloc.h\"\n\nchar *sdsnewlen(const void *init, size_t initlen)\n{{\n  char *sh = s_malloc(initlen + 1);\n  if(!init)\n    memset(sh, 0, initlen + 1);\n  return sh;\n}}\n/* {alloc} */\n")
    };
    let tree = plain_tree(&[
        ("deps/hiredis/sds.c", &sds("hiredis")),
        ("deps/hiredis/sdsalloc.h", "#define s_malloc malloc\n"),
        ("src/sds.c", &sds("redis")),
        ("src/sdsalloc.h", "#include \"zmalloc.h\"\n#define s_malloc zmalloc\n"),
    ]);
    let t = tree.triage("# NULL dereference in sdsnewlen\n\nIf `s_malloc` fails, memset writes through NULL in `sdsnewlen()`:\n\n```c\n  char *sh = s_malloc(initlen + 1);\n  if(!init)\n    memset(sh, 0, initlen + 1);\n```\n");
    let f = t.claims.iter().find(|c| c.kind == "function" && c.text == "s_malloc").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert!(f.evidence.contains("src/sdsalloc.h") && f.evidence.contains("zmalloc"), "{}", f.evidence);
    let q = t.claims.iter().find(|c| c.kind == "snippet" && c.status == Status::Confirmed).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert!(q.evidence.contains("src/sds.c"), "{}", q.evidence);
    let d = t.claims.iter().find(|c| c.kind == "function" && c.text == "sdsnewlen").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert!(d.evidence.contains("src/sds.c"), "{}", d.evidence);
}

#[test]
fn a_null_dereference_after_an_allocator_that_never_returns_null_is_found() {
    let tree = plain_tree(&[
        (
            "src/zmalloc.c",
            "#include <stdlib.h>\n\nstatic void zmalloc_default_oom(size_t size)\n{\n  fprintf(stderr, \"out of memory\\n\");\n  abort();\n}\n\nstatic void (*zmalloc_oom_handler)(size_t) = zmalloc_default_oom;\n\nvoid *zmalloc(size_t size)\n{\n  void *ptr = malloc(size);\n  if (!ptr) zmalloc_oom_handler(size);\n  return ptr;\n}\n\nvoid *ztrymalloc(size_t size)\n{\n  void *ptr = malloc(size);\n  if (!ptr) return NULL;\n  return ptr;\n}\n\nvoid *zquiet(size_t size)\n{\n  void *ptr = malloc(size);\n  if (!ptr)\n    log_warn(size);\n  return ptr;\n}\n",
        ),
        ("src/sdsalloc.h", "#include \"zmalloc.h\"\n#define s_malloc zmalloc\n#define s_trymalloc(n) ztrymalloc(n)\n"),
        (
            "src/sds.c",
            "#include \"sdsalloc.h\"\n\nchar *sdsnewlen(const void *init, size_t initlen)\n{\n  char *sh = s_malloc(initlen + 1);\n  memset(sh, 0, initlen + 1);\n  return sh;\n}\n\nchar *sdstry(size_t n)\n{\n  char *sh = s_trymalloc(n);\n  memset(sh, 0, n);\n  return sh;\n}\n\nchar *sdsquiet(size_t n)\n{\n  char *sh = zquiet(n);\n  memset(sh, 0, n);\n  return sh;\n}\n",
        ),
    ]);
    let report = |alloc: &str, f: &str| {
        format!("# NULL pointer dereference in {f}\n\nIn `{f}()`, if `{alloc}` returns NULL, memset writes through a NULL pointer:\n\n```c\n  char *sh = {alloc}(initlen + 1);\n  memset(sh, 0, initlen + 1);\n```\n")
    };
    let t = tree.triage(&report("s_malloc", "sdsnewlen"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-041").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`s_malloc` never returns NULL"), "{}", f.message);
    assert!(f.evidence.contains("#define s_malloc zmalloc") && f.evidence.contains("zmalloc_oom_handler(size)"), "{}", f.evidence);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // An allocator that returns NULL, one whose failure path returns, and malloc itself: no finding.
    for (alloc, f) in [("s_trymalloc", "sdstry"), ("zquiet", "sdsquiet"), ("malloc", "sdsnewlen")] {
        let t = tree.triage(&report(alloc, f));
        assert!(!rules(&t).contains(&"VCH-TRI-041"), "{alloc}: {:#?}", t.findings);
    }
    // A sanitizer trace of a run: something was NULL; the report is judged on it.
    let traced = format!(
        "{}\n```\n==1==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000\n    #0 0x4a5b6c in sdsnewlen src/sds.c:6:3\n```\n",
        report("s_malloc", "sdsnewlen")
    );
    assert!(!rules(&tree.triage(&traced)).contains(&"VCH-TRI-041"));
}

#[test]
fn a_cpp_trace_names_project_methods_by_class_and_template() {
    let tree = plain_tree(&[(
        "lib/pixel.cc",
        "#include \"pixel.h\"\n\nnamespace heif {\n\nint PixelImage::overlay(std::shared_ptr<PixelImage>& img, int x, int y)\n{\n  memcpy(data + x, img->data, y);\n  return 0;\n}\n\ntemplate <class T> void put_fallback(T* dst, int n)\n{\n  dst[n] = 0;\n}\n\n}\n",
    )]);
    let text = "# OOB write in overlay\n\n```\n==1==ERROR: AddressSanitizer: negative-size-param: (size=-2147482208)\n    #0 0x7ffff76053ff in __interceptor_memcpy ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:827\n    #1 0x7ffff73b61e0 in heif::PixelImage::overlay(std::shared_ptr<heif::PixelImage>&, int, int) (build/libheif.so.1+0x1b61e0)\n    #2 0x7ffff733cabc in void heif::put_fallback<unsigned short>(unsigned short*, int) (build/libheif.so.1+0x13cabc)\n```\n";
    let t = tree.triage(text);
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    // Methods the project does not have are still outside it.
    let other = text.replace("PixelImage::overlay", "Canvas::blit").replace("put_fallback", "put_other");
    assert!(rules(&tree.triage(&other)).contains(&"VCH-TRI-003"));
}

#[test]
fn a_line_of_a_file_name_several_files_share_is_read_in_the_one_the_report_means() {
    // Three files named config.c: an example too short for the line, a test long enough, and the
    // library's, where the line lies in the function the report names.
    let lib = "#include <stdint.h>\n\nint parse_int64(int64_t *out, const char *value)\n{\n  int64_t num;\n  const char *end;\n  if(parse_num(&num, value, &end) < 0)\n    return -1;\n  switch(*end) {\n  case 'g':\n  case 'G':\n    num *= 1024;\n  }\n  *out = num;\n  return 0;\n}\n";
    let test = format!("{}void test_config_parse(void)\n{{\n  check(1);\n}}\n", "/* test */\n".repeat(10));
    let tree =
        plain_tree(&[("examples/config.c", "int main(void)\n{\n  return 0;\n}\n"), ("src/config.c", lib), ("tests/config.c", &test)]);
    let t = tree.triage("# Signed overflow in parse_int64()\n\nWhen `parse_int64()` parses a value with a size suffix, the fallthrough at `config.c:12` multiplies with no overflow check.\n");
    let c = t.claims.iter().find(|c| c.kind == "line").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Confirmed, "{c:#?}");
    assert!(c.evidence.contains("src/config.c:12 is in parse_int64()"), "{}", c.evidence);
    // Named in no function the report names, the line is read in the first file that has it.
    let t = tree.triage("# Overflow\n\nThe multiplication at `config.c:12` has no overflow check.\n");
    let c = t.claims.iter().find(|c| c.kind == "line").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Confirmed, "{c:#?}");
    assert!(!c.evidence.contains("examples/"), "{}", c.evidence);
    // No file of that name has the line: contradicted.
    let t = tree.triage("# Overflow in parse_int64()\n\nIn `parse_int64()` the multiplication at `config.c:400` has no overflow check.\n");
    let c = t.claims.iter().find(|c| c.kind == "line").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Contradicted, "{c:#?}");
}

#[test]
fn a_double_free_of_a_variable_reassigned_before_each_free_is_found() {
    let tree = plain_tree(&[
        (
            "lib/cap.c",
            "#include <stdlib.h>\n\nchar *capture(struct grid *gd, unsigned int top, unsigned int bottom)\n{\n  char *buf = NULL, *line;\n  unsigned int i;\n\n  for(i = top; i <= bottom; i++) {\n    line = grid_line_string(gd, i);\n    buf = buf_append(buf, line);\n    free(line);\n  }\n  return buf;\n}\n\nchar *join(struct grid *gd)\n{\n  char *out, *line;\n  line = grid_line_string(gd, 0);\n  out = buf_append(NULL, line);\n  free(line);\n  line = grid_line_string(gd, 1);\n  out = buf_append(out, line);\n  free(line);\n  return out;\n}\n\nint store(struct ctx *c)\n{\n  char *val = strdup(c->text);\n  if(!valid(val)) {\n    free(val);\n    return -1;\n  }\n  c->count++;\n  free(val);\n  return 0;\n}\n",
        ),
        (
            "lib/queue.c",
            "#include <stdlib.h>\n\nstatic void consume(struct ctx *c, char *msg)\n{\n  log_msg(c, msg);\n  free(msg);\n}\n\nint handle(struct ctx *c)\n{\n  char *msg = strdup(c->text);\n  consume(c, msg);\n  free(msg);\n  return 0;\n}\n\nvoid drain(struct q *q)\n{\n  char *item = q_pop(q);\n  while(q_more(q)) {\n    q_push(q, item);\n    free(item);\n  }\n}\n\nint load(const char *path)\n{\n  char *data = read_all(path);\n  if(parse(data) < 0)\n    free(data);\n  free(data);\n  return 0;\n}\n\nvoid rename_it(struct ctx *c)\n{\n  char *name = strdup(c->text);\n  char *old;\n  old = name;\n  free(old);\n  free(name);\n}\n\nvoid skim(struct q *q)\n{\n  char *line = q_pop(q);\n  while(q_more(q)) {\n    if(q_ready(q))\n      line = q_pop(q);\n    free(line);\n  }\n}\n\nvoid pick(struct q *q)\n{\n  char *tok = q_pop(q);\n  free(tok);\n  if(q_ready(q)) tok = q_pop(q);\n  free(tok);\n}\n",
        ),
    ]);
    // A pattern scanner's finding: the variable is given a new value before each free, in the
    // loop's body and between the two frees of join().
    let scanner = "# fix: variable 'line' was freed twice in lib/cap.c\n\n**Description**: Variable 'line' was freed twice (`lib/cap.c:11`). This can lead to undefined behavior.\n";
    let t = tree.triage(scanner);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-027").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(
        f.message.contains("every free of `line`") && f.message.contains("3 free(s) in capture() (lib/cap.c), join() (lib/cap.c)"),
        "{}",
        f.message
    );
    assert!(f.evidence.contains("lib/cap.c:11: free(line);") && f.evidence.contains("lib/cap.c:24: free(line);"), "{}", f.evidence);
    assert!(t.flagged, "{:?}", t.reasons);
    // A return right after the first free ends that path.
    let t = tree.triage("# Double free in store()\n\nIn `store()` (lib/cap.c), `val` is freed twice when the value is invalid.\n");
    assert!(rules(&t).contains(&"VCH-TRI-027"), "{:#?}", t.findings);
    // Real double frees, or ones this cannot rule out: a callee that frees the variable, a loop
    // that frees the same value again, two frees on one path, a copy freed as well, and a
    // sanitizer trace of a run.
    // So can a new value given only in a branch, or by a one-line conditional.
    for (v, f) in [("msg", "handle"), ("item", "drain"), ("data", "load"), ("name", "rename_it"), ("line", "skim"), ("tok", "pick")] {
        let text = format!("# Double free in {f}()\n\nIn `{f}()` (lib/queue.c), `{v}` is freed twice.\n");
        let t = tree.triage(&text);
        assert!(t.claims.iter().any(|c| c.kind == "function" && c.status == Status::Confirmed), "{text}\n{:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-027"), "{text}\n{:#?}", t.findings);
    }
    let traced = format!("{scanner}\n```\n==1==ERROR: AddressSanitizer: attempting double-free on 0x602000000010 in thread T0:\n    #0 0x4a5b6c in free\n    #1 0x4a5b7d in capture lib/cap.c:11:5\n```\n");
    assert!(!rules(&tree.triage(&traced)).contains(&"VCH-TRI-027"));
}

#[test]
fn a_leak_in_a_setter_whose_callers_members_are_freed_is_found() {
    let opts = |free_old: &str| {
        format!(
            "#include <stdlib.h>\n#include <string.h>\n\nstatic int setstr(char **str, const char *val)\n{{\n{free_old}  if(val) {{\n    *str = strdup(val);\n    if(!*str)\n      return 1;\n  }}\n  return 0;\n}}\n\n\
             int parse_opt(struct config *config, int opt, const char *val)\n{{\n  switch(opt) {{\n  case 1:\n    return setstr(&config->range, val);\n  case 2:\n    return setstr(&config->agent, val);\n  }}\n  return 0;\n}}\n"
        )
    };
    let freeing = "  if(*str) {\n    free(*str);\n    *str = NULL;\n  }\n";
    let config =
        |agent: &str| format!("#include <stdlib.h>\n\nvoid config_free(struct config *config)\n{{\n  free(config->range);\n{agent}}}\n");
    let report = "# Memory leak in setstr()\n\n`setstr()` in `lib/opts.c` duplicates every option value and nothing frees it later, a memory leak:\n\n```c\n  if(val) {\n    *str = strdup(val);\n```\n";
    let tree = plain_tree(&[("lib/opts.c", &opts(freeing)), ("lib/config.c", &config("  free(config->agent);\n"))]);
    let t = tree.triage(report);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-026").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("setstr() frees what `*str` held (lib/opts.c:7)"), "{}", f.message);
    assert!(f.message.contains("2 of 2") && f.message.contains("lib/config.c:5: free(config->range);"), "{}", f.message);
    // A setter that overwrites without freeing leaks on a second call; a member nobody frees
    // leaks too: no finding either way.
    for tree in [
        plain_tree(&[("lib/opts.c", &opts("")), ("lib/config.c", &config("  free(config->agent);\n"))]),
        plain_tree(&[("lib/opts.c", &opts(freeing)), ("lib/config.c", &config(""))]),
    ] {
        let t = tree.triage(report);
        assert!(t.claims.iter().any(|c| c.kind == "snippet" && c.status == Status::Confirmed), "{:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-026"), "{:#?}", t.findings);
    }
}

#[test]
fn an_endless_loop_the_cited_counting_loop_rules_out_is_found() {
    let tree = plain_tree(&[(
        "lib/loop.c",
        "void sum_rows(int *r, int n)\n{\n  int i;\n  for(i = n - 2; i > 0; i--) {\n    r[i] += r[i - 1];\n  }\n}\n\n         void walk_down(unsigned int n)\n{\n  unsigned int i;\n  for(i = n; i >= 0; i--)\n    use(i);\n}\n\n         void skip_neg(int *r, int n)\n{\n  int i;\n  for(i = 0; i < n; i++) {\n    if(r[i] < 0)\n      i--;\n  }\n}\n\n         void grow_rows(int *r, int n)\n{\n  int i;\n  for(i = 0; i < n; i++)\n    n += r[i];\n}\n\n         void drain_queue(struct q *q)\n{\n  while(q->len)\n    pop(q);\n}\n",
    )]);
    let report = |f: &str| {
        format!("# Infinite loop in {f}()\n\n`{f}()` in `lib/loop.c` enters an infinite loop when `n` is 1, a denial of service.\n")
    };
    let t = tree.triage(&report("sum_rows"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-028").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("lib/loop.c:4: for(i = n - 2; i > 0; i--) {"), "{}", f.message);
    // A bound an unsigned counter can wrap around, a body that moves the counter or the bound,
    // a while loop: the loop may not end.
    for name in ["walk_down", "skip_neg", "grow_rows", "drain_queue"] {
        let t = tree.triage(&report(name));
        assert!(t.claims.iter().any(|c| c.kind == "function" && c.status == Status::Confirmed), "{name}: {:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-028"), "{name}: {:#?}", t.findings);
    }
    // A report that does not say the loop never ends is not answered by it.
    let t = tree.triage("# Out-of-bounds read in sum_rows()\n\n`sum_rows()` in `lib/loop.c` reads before `r` when `n` is 1.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-028"), "{:#?}", t.findings);
}

#[test]
fn a_leak_of_a_member_the_project_frees_is_found() {
    let tree = plain_tree(&[
        ("lib/req.c", "#include <stdlib.h>\n\nvoid req_reset(struct req *req)\n{\n  req->location = NULL;\n  req->size = 0;\n}\n"),
        (
            "lib/done.c",
            "#include <stdlib.h>\n\nvoid xfer_done(struct xfer *data)\n{\n  free(data->req.location);\n  data->req.location = NULL;\n}\n",
        ),
    ]);
    let text = "# Memory leak of the Location header\n\n`req_reset()` in `lib/req.c` sets `req->location = NULL;` but it does not free the memory held by `req->location`, so every redirect leaks it.\n";
    let t = tree.triage(text);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-029").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`req->location`") && f.message.contains("lib/done.c:5"), "{}", f.message);
    // Not freed on one path; another object's member of that name; a leak sanitizer run: no finding.
    let on_error = text.replace("so every redirect leaks it", "on the error path");
    // Overwritten before it is freed: the last value's free does not answer the earlier ones.
    let overwritten = text.replace(
        "but it does not free the memory held by `req->location`, so every redirect leaks it",
        "and overwrites `req->location` on each redirect without freeing the previous allocation",
    );
    let other = text.replace("req->location", "conn->location");
    let traced = format!(
        "{text}\n```\n==1==ERROR: LeakSanitizer: detected memory leaks\nDirect leak of 40 byte(s) in 1 object(s) allocated from:\n    #0 0x4a5b6c in malloc\n    #1 0x4a5b7d in req_reset lib/req.c:5:3\n```\n"
    );
    for text in [&on_error, &overwritten, &other, &traced] {
        let t = tree.triage(text);
        assert!(t.claims.iter().any(|c| c.kind == "function" && c.status == Status::Confirmed), "{:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-029"), "{text}\n{:#?}", t.findings);
    }
}

#[test]
fn a_leak_on_an_early_return_of_memory_the_object_holds_is_found() {
    let open_c = "#include <stdlib.h>\n\nint buf_open(struct rd *state)\n{\n  state->in = malloc(state->want);\n  state->out = (unsigned char *)malloc(state->want << 1);\n  if (state->in == NULL || state->out == NULL) {\n    free(state->out);\n    free(state->in);\n    return -1;\n  }\n  if (fill(state) == -1)\n    return -1;\n  return 0;\n}\n\nint buf_local(struct rd *state)\n{\n  char *tmp = malloc(16);\n  state->in = malloc(state->want);\n  if (fill(state) == -1)\n    return -1;\n  free(tmp);\n  return 0;\n}\n\nint buf_give_up(struct rd *state)\n{\n  state->in = malloc(state->want);\n  if (fill(state) == -1) {\n    free(state);\n    return -1;\n  }\n  return 0;\n}\n\nint buf_grow(struct rd *state)\n{\n  state->in = realloc(state->in, state->want);\n  if (fill(state) == -1)\n    return -1;\n  return 0;\n}\n";
    let tree = plain_tree(&[
        ("lib/open.c", open_c),
        ("lib/close.c", "#include <stdlib.h>\n\nint buf_close(struct rd *state)\n{\n  free(state->out);\n  free(state->in);\n  free(state);\n  return 0;\n}\n"),
    ]);
    let report = |f: &str| {
        format!("# Memory leak in {f}\n\nStatic analysis found a memory leak in `{f}()` in `lib/open.c`: if `fill()` fails it returns -1 and the buffers it allocated are not freed.\n")
    };
    let t = tree.triage(&report("buf_open"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-032").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`state->in`, `state->out`") && f.message.contains("lib/close.c:"), "{}", f.message);
    // A local allocation, a function that frees the object itself, a realloc of the member:
    // the memory may be lost.
    for name in ["buf_local", "buf_give_up", "buf_grow"] {
        let t = tree.triage(&report(name));
        assert!(t.claims.iter().any(|c| c.kind == "function" && c.status == Status::Confirmed), "{name}: {:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-032"), "{name}: {:#?}", t.findings);
    }
    // A leak of a value the second call overwrites is not answered by the object's free.
    let t = tree.triage(&report("buf_open").replace("if `fill()` fails it returns -1 and", "calling it twice overwrites `state->in`, so"));
    assert!(!rules(&t).contains(&"VCH-TRI-032"), "{:#?}", t.findings);
    // Without the close function, nothing frees the members.
    let bare = plain_tree(&[("lib/open.c", open_c)]);
    let t = bare.triage(&report("buf_open"));
    assert!(!rules(&t).contains(&"VCH-TRI-032"), "{:#?}", t.findings);
}

#[test]
fn functions_an_application_block_defines_are_the_reporters() {
    let tree = plain_tree(&[(
        "lib/crt.c",
        "void mini_crt_init(mini_crt *c) { c->raw = NULL; }\nint mini_crt_parse(mini_crt *c, const unsigned char *buf, size_t len) { return 0; }\nvoid mini_crt_free(mini_crt *c) { free(c->raw); c->raw = NULL; }\n",
    )]);
    let policy = Policy::parse("[triage]\nname = \"mini\"\n").expect("policy parses");
    let text = "# Double free in mini_crt_free\n\nI want to use mini_crt_parse() to parse a crt, and it goes just like\n\n```c\nint check_cert(const unsigned char *buf, size_t len)\n{\n    mini_crt c;\n    mini_crt_init(&c);\n    if (mini_crt_parse(&c, buf, len) != 0)\n        mini_crt_reset_all(&c);\n    mini_crt_free(&c);\n    return 0;\n}\n```\n\nA scanner says `mini_crt_free()` frees `c->raw` twice.\n";
    let t = tree.triage_with(text, &policy);
    let snippet = t.claims.iter().find(|c| c.kind == "snippet" && !c.member).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert!(snippet.evidence.contains("application's"), "{snippet:#?}");
    let def = t.claims.iter().find(|c| c.kind == "function" && c.text == "check_cert").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(def.status, Status::Unverifiable, "{def:#?}");
    // A call of a function the project lacks is still a claim about the project's API.
    let call = t.claims.iter().find(|c| c.text == "mini_crt_reset_all").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(call.status, Status::Contradicted, "{call:#?}");
    // Called the reporter's own code ("my code"), the block is theirs from the start: the same.
    let t = tree.triage_with(&text.replace("it goes just like", "my code just like"), &policy);
    assert!(!t.claims.iter().any(|c| c.text == "check_cert" && c.status == Status::Contradicted), "{:#?}", t.claims);
    assert!(t.claims.iter().any(|c| c.kind == "api" && c.text == "mini_crt_init" && c.status == Status::Confirmed), "{:#?}", t.claims);
}

#[test]
fn a_double_free_by_a_release_function_that_clears_its_object_is_found() {
    let tree = plain_tree(&[(
        "lib/crt.c",
        "#include <stdlib.h>\n#include <string.h>\n\nvoid crt_free(struct crt *crt)\n{\n  struct crt *cur = crt, *prv;\n  while (cur != NULL) {\n    free(cur->raw);\n    key_free(&cur->key);\n    prv = cur;\n    cur = cur->next;\n    memset(prv, 0, sizeof(struct crt));\n    if (prv != crt)\n      free(prv);\n  }\n}\n\nvoid ctx_free(struct ctx *ctx)\n{\n  free(ctx->raw);\n  free(ctx->buf);\n}\n\nvoid box_free(struct box *box)\n{\n  free(box->raw);\n  memset(box, 0, sizeof(*box));\n  free(box);\n}\n\nvoid late_free(struct late *late)\n{\n  memset(late, 0, sizeof(*late));\n  free(late->raw);\n}\n",
    )]);
    let report = |f: &str| {
        format!("# Double free in {f}\n\n`{f}()` in `lib/crt.c` may already have been called by the parser when parsing fails, so calling `{f}()` again afterwards frees `raw` twice.\n")
    };
    let t = tree.triage(&report("crt_free"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-033").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.evidence.contains("lib/crt.c:12: memset(prv, 0, sizeof(struct crt));"), "{}", f.evidence);
    // No clearing, a free of the object itself, a release after the clearing: no finding.
    for name in ["ctx_free", "box_free", "late_free"] {
        let t = tree.triage(&report(name));
        assert!(t.claims.iter().any(|c| c.kind == "function" && c.status == Status::Confirmed), "{name}: {:#?}", t.claims);
        assert!(!rules(&t).contains(&"VCH-TRI-033"), "{name}: {:#?}", t.findings);
    }
    // Two threads calling it at once are not answered by what one call leaves behind.
    let t = tree.triage(&report("crt_free").replace("when parsing fails", "in another thread"));
    assert!(!rules(&t).contains(&"VCH-TRI-033"), "{:#?}", t.findings);
}

#[test]
fn an_analysers_warning_with_no_run_ranks_lower_without_flagging() {
    let tree = plain_tree(&[("lib/sum.c", "unsigned sum_len(unsigned a, unsigned b)\n{\n  return a + b;\n}\n")]);
    let text = "# Integer overflow in sum_len\n\nCoverity reports an integer overflow in `sum_len()` in `lib/sum.c`: `a + b` may wrap.\n";
    let t = tree.triage(text);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-034").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("coverity"), "{}", f.message);
    let plain = tree.triage(&text.replace("Coverity reports", "There is"));
    assert!(!rules(&plain).contains(&"VCH-TRI-034"), "{:#?}", plain.findings);
    // A compiler's flow analysis, named by its warning flag, is an analyser too.
    let gcc = tree.triage(&text.replace("Coverity reports", "gcc 12 with -Wnull-dereference reports"));
    assert!(rules(&gcc).contains(&"VCH-TRI-034"), "{:#?}", gcc.findings);
    // So is a scanner the report does not name.
    let own = tree.triage(&text.replace("Coverity reports", "The output of my own code scan tool reports"));
    assert!(rules(&own).contains(&"VCH-TRI-034"), "{:#?}", own.findings);
    // So is a language-model scanner that files its output as a fix.
    let bot = tree.triage(&text.replace("Coverity reports", "There is").replace(
        "may wrap.\n",
        "may wrap.\n\n## Verification\n- [x] Build passes\n- [x] Scanner re-scan confirms fix\n- [x] LLM code review passed\n",
    ));
    assert!(rules(&bot).contains(&"VCH-TRI-034"), "{:#?}", bot.findings);
    assert!(t.score < plain.score, "{} {}", t.score, plain.score);
    assert_eq!(t.flagged, plain.flagged, "{:?}", t.reasons);
    // Below the flagging line only because of it: still not flagged.
    let named = Policy::parse("[triage]\nname = \"mini\"\n").expect("policy parses");
    let vague = tree.triage_with("# Possible integer overflow\n\nCoverity reports an integer overflow in the adding code.\n", &named);
    assert!(rules(&vague).contains(&"VCH-TRI-036") && rules(&vague).contains(&"VCH-TRI-034"), "{:#?}", vague.findings);
    assert!(vague.score < 0.5 && !vague.flagged, "{} {:?}", vague.score, vague.reasons);
    // A run of the code shown (a crash, a reproducer, sanitizer output): not an analyser's word alone.
    for run in ["It crashes with the attached input.", "A fuzzer found it; reproducer attached.", "UBSan: runtime error: unsigned overflow"]
    {
        let t = tree.triage(&format!("{text}\n{run}\n"));
        assert!(!rules(&t).contains(&"VCH-TRI-034"), "{run}: {:#?}", t.findings);
    }
    // An issue template's heading shows no run, whatever follows it; steps under it that do, do.
    for heading in ["**To Reproduce**", "### Steps to reproduce:", "To Reproduce"] {
        let t = tree.triage(&format!("{text}\n{heading}\nCheck code\n"));
        assert!(rules(&t).contains(&"VCH-TRI-034"), "{heading}: {:#?}", t.findings);
        let t = tree.triage(&format!("{text}\n{heading}\nRun the attached reproducer: it crashes.\n"));
        assert!(!rules(&t).contains(&"VCH-TRI-034"), "{heading}: {:#?}", t.findings);
    }
    // "To reproduce, run ..." in a sentence is a run shown.
    let t = tree.triage(&format!("{text}\nTo reproduce, call sum_len with two large values.\n"));
    assert!(!rules(&t).contains(&"VCH-TRI-034"), "{:#?}", t.findings);
    // The analysis as reports misspell it.
    let t = tree.triage(&text.replace("Coverity reports", "During the static analisys we found"));
    assert!(rules(&t).contains(&"VCH-TRI-034"), "{:#?}", t.findings);
}

#[test]
fn a_report_denying_a_contract_the_policy_records_is_found() {
    let tree = plain_tree(&[(
        "lib/h2.c",
        "static int on_header(void *s, const char *name, size_t namelen, const char *value, size_t valuelen)\n{\n  char *h = aprintf(\"%s:%s\", name, value);\n  return h ? 0 : -1;\n}\n",
    )]);
    let policy = Policy::parse(
        "[triage]\n[[triage.contracts]]\nnames = [\"on_header\"]\ndenies = [\"not null-terminated\"]\nfact = \"the library NUL-terminates name and value\"\nsource = \"https://example.org/cb\"\n",
    )
    .expect("policy parses");
    let text = "# Over-read in on_header\n\n`on_header()` in `lib/h2.c` formats `name` with `%s`, but the name is **not null-terminated**, so it reads past the buffer.\n";
    let t = tree.triage_with(text, &policy);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-035").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("NUL-terminates") && f.message.contains("https://example.org/cb"), "{}", f.message);
    assert!(t.flagged, "{:?}", t.reasons);
    // Without the policy's fact, or about another function, or not denying it: no finding.
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-035"));
    let other = text.replace("on_header", "on_data");
    assert!(!rules(&tree.triage_with(&other, &policy)).contains(&"VCH-TRI-035"));
    let agrees = text.replace("but the name is **not null-terminated**, so it reads past the buffer", "and the name is null-terminated");
    assert!(!rules(&tree.triage_with(&agrees, &policy)).contains(&"VCH-TRI-035"));
}

#[test]
fn a_hedged_title_ranks_lower_without_flagging() {
    let tree = plain_tree(&[("lib/sum.c", "unsigned sum_len(unsigned a, unsigned b)\n{\n  return a + b;\n}\n")]);
    let body = "\n\n`sum_len()` in `lib/sum.c` adds `a + b` without a check.\n";
    let hedged = tree.triage(&format!("# Potential integer overflow in sum_len{body}"));
    let f = hedged.findings.iter().find(|f| f.rule == "VCH-TRI-036").unwrap_or_else(|| panic!("{:#?}", hedged.findings));
    assert!(f.message.contains("\"potential\""), "{}", f.message);
    let plain = tree.triage(&format!("# Integer overflow in sum_len{body}"));
    assert!(!rules(&plain).contains(&"VCH-TRI-036"), "{:#?}", plain.findings);
    assert!(hedged.score < plain.score && hedged.flagged == plain.flagged, "{} {}", hedged.score, plain.score);
    // A question claims nothing either.
    let asked = tree.triage(&format!("# Integer overflow in sum_len?{body}"));
    let f = asked.findings.iter().find(|f| f.rule == "VCH-TRI-036").unwrap_or_else(|| panic!("{:#?}", asked.findings));
    assert!(f.message.contains("asks a question"), "{}", f.message);
    // "could not" says what happened.
    let t = tree.triage(&format!("# sum_len could not handle large values{body}"));
    assert!(!rules(&t).contains(&"VCH-TRI-023"), "{:#?}", t.findings);
    // Together with an analyser's word alone, still not flagged for them.
    let named = Policy::parse("[triage]\nname = \"mini\"\n").expect("policy parses");
    let vague = tree.triage_with("# Possible integer overflow\n\nCoverity reports an integer overflow in the adding code.\n", &named);
    assert!(rules(&vague).contains(&"VCH-TRI-036") && rules(&vague).contains(&"VCH-TRI-034"), "{:#?}", vague.findings);
    assert!(vague.score < 0.5 && !vague.flagged, "{} {:?}", vague.score, vague.reasons);
}

#[test]
fn a_reproducer_skipping_a_required_call_is_found() {
    let tree = plain_tree(&[(
        "src/repo.c",
        "int lib_init(void) { return 0; }\nint lib_repo_open(struct repo **out, const char *path) { *out = NULL; return -1; }\n",
    )]);
    let policy = Policy::parse(
        "[triage]\nname = \"lib\"\n[[triage.contracts]]\nnames = [\"lib_repo_open\"]\nrequires = [\"lib_init\"]\nfact = \"lib_init() must come first\"\n",
    )
    .expect("policy parses");
    let report = |setup: &str| {
        format!("# Crash in lib_repo_open\n\nThis program crashes:\n\n```c\n#include <lib.h>\n\nint main(void)\n{{\n    struct repo *r;\n{setup}    lib_repo_open(&r, \"/nonexistent\");\n    return 0;\n}}\n```\n")
    };
    let t = tree.triage_with(&report(""), &policy);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-035").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`lib_repo_open` but never `lib_init`"), "{}", f.message);
    assert!(t.flagged, "{:?}", t.reasons);
    // The reproducer that makes the call first, or no policy: no finding.
    let t = tree.triage_with(&report("    lib_init();\n"), &policy);
    assert!(!rules(&t).contains(&"VCH-TRI-035"), "{:#?}", t.findings);
    assert!(!rules(&tree.triage(&report(""))).contains(&"VCH-TRI-035"));
}

#[test]
fn a_copy_under_the_projects_own_name_is_checked_as_the_copy() {
    let tree = plain_tree(&[
        ("util.h", "#ifdef HAVE_MEMCPY\n#  define zcopy memcpy\n#else\n   void zcopy(void *d, const void *s, unsigned n);\n#endif\n"),
        (
            "window.c",
            "#include \"util.h\"\n\nvoid put(struct win *w, const unsigned char *end, unsigned copy)\n{\n  unsigned dist;\n  dist = w->size - w->next;\n  if (dist > copy) dist = copy;\n  zcopy(w->buf + w->next, end - copy, dist);\n}\n",
        ),
    ]);
    let t =
        tree.triage("# Buffer overflow in window.c\n\nAn analyser says this call overflows its destination.\n\n> Source: window.c: 8\n");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("zcopy (a memcpy) at window.c:8"), "{}", f.message);
    assert!(f.evidence.contains("zcopy(w->buf + w->next, end - copy, dist);"), "{}", f.evidence);
}

#[test]
fn an_unchecked_allocation_the_cited_line_returns_is_found() {
    let tree = plain_tree(&[(
        "util.c",
        "#include <stdlib.h>\n\nvoid *zalloc_items(unsigned items, unsigned size)\n{\n  return (void *)malloc(items * size);\n}\n\nvoid fill(struct s *p)\n{\n  p->buf = malloc(64);\n  p->buf[0] = 0;\n}\n",
    )]);
    let text = |line: u32| {
        format!("# Unchecked malloc\n\nA scanner complains that the result of malloc() is not checked for success before being used, at util.c:{line}.\n")
    };
    let t = tree.triage(&text(5));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-031").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("util.c:5 returns it to the caller"), "{}", f.message);
    // An allocation used on the next line: the report may be right.
    let t = tree.triage(&text(10));
    assert!(t.claims.iter().any(|c| c.kind == "line" && c.status == Status::Confirmed), "{:#?}", t.claims);
    assert!(!rules(&t).contains(&"VCH-TRI-031"), "{:#?}", t.findings);
}

#[test]
fn a_memory_bug_cited_only_at_a_prototype_is_found() {
    let tree = plain_tree(&[
        ("include/mh/print.h", "#ifndef MH_PRINT_H\n#define MH_PRINT_H\n\nMH_EXTERN int mh_sprintf(char *buffer, const char *format, ...)\n  MH_PRINTF(2, 3);\n\nstruct mh_name {\n  char text[64];\n};\n\n#endif\n"),
        ("lib/print.c", "#include \"mh/print.h\"\n\nint mh_sprintf(char *buffer, const char *format, ...)\n{\n  return vformat(buffer, format);\n}\n"),
    ]);
    let run = |text: &str| tree.triage(text);
    let t = run("# Buffer overflow in include/mh/print.h\n\nUnsafe sprintf variants without bounds checking lead to a buffer overflow at `include/mh/print.h:4`.\n");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-025").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.evidence.contains("mh_sprintf(char *buffer"), "{}", f.evidence);
    // An array the report says is too small is not a prototype.
    let t = run("# Buffer overflow in mh_name\n\nThe 64-byte `text` field at `include/mh/print.h:8` overflows: a buffer overflow.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-025"), "{:#?}", t.findings);
    // Nor is a report that also cites the code that runs.
    let t = run("# Buffer overflow in mh_sprintf\n\nA buffer overflow: `include/mh/print.h:4` declares it and `lib/print.c:5` writes past `buffer`.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-025"), "{:#?}", t.findings);
}

#[test]
fn a_dependency_prefix_that_is_the_projects_own_name_is_the_projects() {
    // The default dependency prefixes are curl's dependencies; c-ares is one of them, and a
    // project of its own: `ares_` is its namespace.
    let tree = plain_tree(&[
        ("include/ares.h", "int ares_init(ares_channel_t **channel);\nvoid ares_destroy(ares_channel_t *channel);\n"),
        (
            "src/lib/ares_init.c",
            "int ares_init(ares_channel_t **channel)\n{\n  return init(channel);\n}\n\nvoid ares_destroy(ares_channel_t *channel)\n{\n  free(channel);\n}\n\nvoid ares_getaddrinfo(ares_channel_t *channel, const char *name)\n{\n  lookup(channel, name);\n}\n",
        ),
    ]);
    let text = "# NULL dereference in `ares_getaddrinfo()`\n\n```c\n#include \"ares.h\"\nint main(void) {\n  ares_channel_t *channel = NULL;\n  ares_init(&channel);\n  ares_getaddrinfo(channel, NULL);\n  ares_destroy(channel);\n  return 0;\n}\n```\n";
    let own = Policy::parse("[triage]\nname = \"c-ares\"\n").unwrap();
    let t = tree.triage_with(text, &own);
    assert!(!rules(&t).contains(&"VCH-TRI-018"), "{:#?}", t.findings);
    assert_eq!(claim(&t, "function", "ares_getaddrinfo").status, Status::Confirmed);
    // A name under that prefix which c-ares does not have is missing code, not a dependency's.
    let t = tree.triage_with(&text.replace("`ares_getaddrinfo()`", "`ares_getaddrinfo2()`"), &own);
    assert_eq!(claim(&t, "function", "ares_getaddrinfo2").status, Status::Contradicted, "{:#?}", t.claims);
    // For another project (curl's view), `ares_` stays a dependency's prefix.
    let other = Policy::parse("[triage]\nname = \"minihttp\"\n").unwrap();
    let t = tree.triage_with(&text.replace("`ares_getaddrinfo()`", "`ares_getaddrinfo2()`"), &other);
    assert_eq!(claim(&t, "function", "ares_getaddrinfo2").status, Status::Unverifiable, "{:#?}", t.claims);
}

#[test]
fn sources_generated_from_templates_are_found_in_the_template() {
    // OpenSSL generates providers' sources from `.c.in` templates: a report names the generated
    // file and the functions the template defines.
    let tree = plain_tree(&[
        ("kdfs/x942kdf.c.in", "{- use OpenSSL::paramnames; -}\n#include <string.h>\n\nstatic int\nx942_encode_otherinfo(size_t keylen, unsigned char **out)\n{\n    return 0;\n}\n"),
        ("Makefile.inc.in", "SRC = x942kdf.c\n"),
    ]);
    let t = tree.triage("# Leak in x942_encode_otherinfo()\n\n`kdfs/x942kdf.c` leaks `der_buf` on error in `x942_encode_otherinfo()`.\n");
    let f = claim(&t, "file", "kdfs/x942kdf.c");
    assert_eq!(f.status, Status::Confirmed, "{f:?}");
    assert!(f.evidence.contains("x942kdf.c.in"), "{f:?}");
    let g = claim(&t, "function", "x942_encode_otherinfo");
    assert_eq!(g.status, Status::Confirmed, "{g:?}");
    assert_eq!(t.summary.contradicted, 0, "{:#?}", t.claims);
}

#[test]
fn a_leak_of_memory_freed_with_the_object_holding_it_is_found() {
    let key_c = "#include <stdlib.h>\n#include \"key.h\"\n\nunsigned char *key_alloc_priv(KEY *key)\n{\n    key->priv = calloc(1, key->len);\n    return key->priv;\n}\n\nvoid key_free(KEY *key)\n{\n    if (key == NULL)\n        return;\n    free(key->priv);\n    free(key);\n}\n";
    let kem_c = "#include \"key.h\"\n\nKEY *derive(const unsigned char *seed, size_t len)\n{\n    int ok = 0;\n    KEY *key;\n    unsigned char *priv;\n\n    key = key_new(len);\n    if (key == NULL)\n        return NULL;\n    priv = key_alloc_priv(key);\n    if (priv == NULL)\n        goto err;\n    if (len > 64)\n        goto err;\n    if (!key_derive(key, priv, seed, len))\n        goto err;\n    ok = 1;\nerr:\n    if (!ok) {\n        key_free(key);\n        key = NULL;\n    }\n    return key;\n}\n";
    let report = "# Memory leak in derive() in kem.c\n\nIn `kem.c`, `derive()` allocates `priv` with `key_alloc_priv()` at line 12. When `len > 64` the function jumps to `err` at line 16 and `priv` is never freed, a memory leak.\n";
    let tree = plain_tree(&[
        ("src/key.c", key_c),
        ("src/kem.c", kem_c),
        ("src/key.h", "typedef struct { size_t len; unsigned char *priv; } KEY;\n"),
    ]);
    let t = tree.triage(report);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-026").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("`priv` is held by `key`") && f.message.contains("src/key.c:14"), "{}", f.message);
    assert!(f.evidence.contains("key_free(key);"), "{}", f.evidence);
    assert!(t.flagged, "{:?}", t.reasons);
    // The owner's free leaves the member alone: the leak may be real.
    let tree = plain_tree(&[("src/key.c", &key_c.replace("    free(key->priv);\n", "")), ("src/kem.c", kem_c)]);
    assert!(!rules(&tree.triage(report)).contains(&"VCH-TRI-026"));
    // The allocator keeps nothing in the object: nothing holds the memory.
    let tree = plain_tree(&[
        ("src/key.c", &key_c.replace("    key->priv = calloc(1, key->len);\n    return key->priv;", "    return calloc(1, key->len);")),
        ("src/kem.c", kem_c),
    ]);
    assert!(!rules(&tree.triage(report)).contains(&"VCH-TRI-026"));
    // Stored in the object by the function itself.
    let direct = kem_c.replace("    priv = key_alloc_priv(key);\n", "    priv = calloc(1, len);\n    key->priv = priv;\n");
    let tree = plain_tree(&[("src/key.c", key_c), ("src/kem.c", &direct)]);
    let t = tree.triage(&report.replace("with `key_alloc_priv()` at line 12", "with `calloc()` at line 12"));
    assert!(rules(&t).contains(&"VCH-TRI-026"), "{:#?}", t.findings);
}

#[test]
fn a_trace_frame_naming_a_shared_file_name_is_read_in_the_file_defining_its_function() {
    let stream =
        format!("#include <stddef.h>\n{}\nint stream_connect(void *s)\n{{\n    return s == NULL;\n}}\n", "/* padding */\n".repeat(40));
    let tree =
        plain_tree(&[("src/hash/openssl.c", "int hash_init(void)\n{\n    return 0;\n}\n"), ("src/streams/openssl.c", stream.as_str())]);
    let line = fixture::line(&stream, "return s == NULL;");
    let report = |n: u32| {
        format!("# Leak when connecting\n\nvalgrind says:\n\n```\n==16329== 24 bytes in 1 blocks are definitely lost in loss record 1 of 2\n==16329==    at 0x483B7F3: malloc (vg_replace_malloc.c:307)\n==16329==    by 0x4D115CB: stream_connect (openssl.c:{n})\n==16329==    by 0x4D1162B: main (main.c:10)\n```\n")
    };
    // Line 44 of src/hash/openssl.c does not exist, but the frame is stream_connect's.
    let t = tree.triage(&report(line));
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
    // Past the end of the file that defines the function: reported against that file.
    let t = tree.triage(&report(900));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-003").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("src/streams/openssl.c:900"), "{}", f.message);
}

#[test]
fn a_function_placed_in_a_folder_the_tree_leaves_out_is_unverifiable() {
    // A release tree without tests/: the report's test helper cannot be looked up.
    let tree = plain_tree(&[("src/checkout.c", "int checkout_tree(void *repo)\n{\n    return repo == 0;\n}\n")]);
    let t = tree.triage("# NULL dereference\n\nThe NULL dereference happens in int count_callback(), tests/checkout/checkout_helpers.c when `baseline` is NULL.\n");
    let c = claim(&t, "function", "count_callback");
    assert_eq!(c.status, Status::Unverifiable, "{c:?}");
    assert!(c.evidence.contains("no tests/ folder"), "{c:?}");
    assert!(!t.flagged, "{:?}", t.reasons);
    let t = tree.triage("# NULL dereference\n\nIn `tests/checkout/checkout_helpers.c`, `count_callback()` reads `baseline->path`.\n");
    assert_eq!(claim(&t, "function", "count_callback").status, Status::Unverifiable);
    // Placed in a folder the tree has, or only in the same sentence as a left-out file, it is contradicted.
    let t = tree
        .triage("# NULL dereference\n\nThe NULL dereference happens in int count_callback(), src/checkout.c when `baseline` is NULL.\n");
    assert_eq!(claim(&t, "function", "count_callback").status, Status::Contradicted);
    let t = tree.triage(
        "# NULL dereference\n\n`count_callback()` dereferences `baseline`, as the example in `tests/checkout/checkout_helpers.c` shows.\n",
    );
    assert_eq!(claim(&t, "function", "count_callback").status, Status::Contradicted);
}

#[test]
fn a_leak_on_a_failed_call_of_a_function_that_consumes_its_argument_is_answered() {
    let strv_h = "#include <stdlib.h>\nint strv_consume_with_size(char ***l, size_t *n, char *value);\nstatic inline int strv_consume(char ***l, char *value) {\n        return strv_consume_with_size(l, NULL, value);\n}\nint strv_keep(char ***l, char *value);\n";
    let strv_c = "#include \"strv.h\"\n\nint strv_push(char ***l, size_t *n, char *value);\n\nint strv_consume_with_size(char ***l, size_t *n, char *value) {\n        int r;\n\n        r = strv_push(l, n, value);\n        if (r < 0)\n                free(value);\n\n        return r;\n}\n\nint strv_keep(char ***l, char *value) {\n        int r;\n\n        r = strv_push(l, NULL, value);\n        if (r >= 0)\n                free(value);\n        return r;\n}\n";
    let path_c = "#include \"strv.h\"\n\nchar *escape(const char *s);\n\nint path_encode_many(char ***labels, const char *s) {\n        char *label = escape(s);\n        if (!label)\n                return -1;\n        if (strv_consume(labels, label) < 0)\n                return -1;\n        return 0;\n}\n\nint path_keep_many(char ***labels, const char *s) {\n        char *label = escape(s);\n        if (!label)\n                return -1;\n        if (strv_keep(labels, label) < 0)\n                return -1;\n        return 0;\n}\n";
    let tree = plain_tree(&[("src/strv.h", strv_h), ("src/strv.c", strv_c), ("src/path.c", path_c)]);
    let report = "# Memory leak in path_encode_many\n\nIn `path_encode_many` (src/path.c), `escape` returns a newly allocated string stored in `label`. If `strv_consume(labels, label)` fails, the function returns immediately and never frees `label`, causing a memory leak.\n";
    let t = tree.triage(report);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-026").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("`label` leaks when `strv_consume()` fails"), "{}", f.message);
    assert!(f.evidence.contains("src/strv.c:10: free(value);"), "{}", f.evidence);
    assert!(f.evidence.contains("strv_consume_with_size(l, NULL, value)"), "{}", f.evidence);
    // A callee that frees the argument only when the call succeeds leaves the failure's leak.
    let t = tree.triage(&report.replace("path_encode_many", "path_keep_many").replace("strv_consume(", "strv_keep("));
    assert!(!rules(&t).contains(&"VCH-TRI-026"), "{:#?}", t.findings);
}

#[test]
fn a_quote_of_two_lines_far_apart_is_about_those_lines_and_a_dependencys_member_is_not_contradicted() {
    let src = "#include <stdio.h>\n\nint attach(int id, const char *field, const char *dims)\n{\n    char name[80];\n    char buf[64];\n    int n = 0;\n\n    snprintf(buf, sizeof(buf), \"%s:%s\", field, dims);\n    n += 1;\n    n += 2;\n    n += 3;\n    Vgetname(id, name);\n    return n + name[0] + buf[0];\n}\n";
    let tree = plain_tree(&[("src/swath.c", src)]);
    let report = "# Stack buffer overflow via Vgetname() in src/swath.c\n\n`attach()` in src/swath.c passes a fixed-size 80-byte stack buffer to Vgetname() with no length validation:\n\n    char name[80];\n    Vgetname(id, name);\n\nVgetname() performs an unbounded strcpy() from vg->vgname into the caller buffer, so a crafted file overflows `name`.\n";
    let t = tree.triage(report);
    assert!(!rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    let c = claim(&t, "snippet", "vg->vgname");
    assert_eq!(c.status, Status::Unverifiable, "{c:?}");
    assert!(c.evidence.contains("Vgetname(), which the project calls but does not define"), "{c:?}");
    // Quoting the bounded copy itself is answered by it.
    let t = tree.triage(&report.replace("    Vgetname(id, name);\n\n", "    snprintf(buf, sizeof(buf), \"%s:%s\", field, dims);\n\n"));
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // So is a quote of it with its line numbers, from a version whose arguments differed.
    let numbered = report.replace("    char name[80];\n    Vgetname(id, name);\n", "```c\n5   char name[80];\n6   char buf[64];\n7   int n = 0;\n9   snprintf(line, sizeof(line), \"%s\", field);\n14  return n + name[0] + buf[0];\n```\n");
    let t = tree.triage(&numbered);
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
}

#[test]
fn trace_lines_of_another_release_built_are_not_held_against_the_tree() {
    let mut src = String::from(
        "#include <string.h>\n\nint foo(char *d, const char *s)\n{\n    strcpy(d, s);\n    return 0;\n}\n\nint bar(int n)\n{\n",
    );
    for i in 0..990 {
        src.push_str(&format!("    n += {i};\n"));
    }
    src.push_str("    return n;\n}\n");
    let tree = plain_tree(&[("src/a.c", &src)]);
    let report = |dir: &str| {
        format!(
            "# Heap overflow in foo\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011\n    #0 0x4a1b2c in strcpy\n    #1 0x4b2c3d in foo {dir}/src/a.c:900\n    #2 0x4b2c3e in main /home/u/poc.c:10\n```\n"
        )
    };
    let t = tree.triage(&report("/home/u/proj"));
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-003" && f.message.contains("that line is in bar()")), "{:#?}", t.findings);
    let t = tree.triage(&report("/usr/src/debug/proj-1.2.3-1.fc38.x86_64"));
    assert!(!rules(&t).contains(&"VCH-TRI-003"), "{:#?}", t.findings);
}

#[test]
fn lines_of_a_file_named_under_the_wrong_folder_are_not_contradicted() {
    let src = "#include <string.h>\n\nint read_stat(char *location)\n{\n    char *p = strchr(location, ' ');\n    return *p;\n}\n";
    let tree = plain_tree(&[("lib/stat.c", src)]);
    let t = tree.triage("# NULL dereference\n\nIn the file **src/linux/stat.c**, the function **read_stat** calls **strchr** at line 5 but does not check the result for NULL.\n");
    let c = claim(&t, "line", "src/linux/stat.c:5");
    assert_eq!(c.status, Status::Unverifiable, "{c:?}");
    assert!(c.evidence.contains("the project has lib/stat.c"), "{c:?}");
    assert_eq!(claim(&t, "file", "src/linux/stat.c").status, Status::Unverifiable);
    // A file found nowhere is still contradicted, lines and all.
    let t = tree.triage("# NULL dereference\n\nThe function **read_stat** calls **strchr** at src/linux/proc.c:5.\n");
    assert_eq!(claim(&t, "line", "src/linux/proc.c:5").status, Status::Contradicted);
}

#[test]
fn a_report_saying_its_input_lacks_the_terminator_of_a_c_string_parameter_is_the_callers() {
    let src = "#include <string.h>\n\ntypedef int (*handler)(void *user, const char *line);\n\nint ini_parse_string(const char *string, handler h, void *user)\n{\n    return h(user, string + strlen(string));\n}\n\nint ini_parse_buffer(const char *buf, size_t len, handler h, void *user)\n{\n    (void)len;\n    return h(user, buf);\n}\n";
    let tree = plain_tree(&[("ini.c", src)]);
    let t = tree.triage("# ini_parse_string() crash on non-NULL terminated strings\n\n`ini_parse_string()` will crash if string is not NULL terminated. Maybe it would be better to add a check?\n");
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-039").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("ini_parse_string takes a C string (parameter 1) and no length"), "{}", f.message);
    // A function given the length is another matter; so is the project's own copy leaving a string unterminated.
    let t = tree.triage("# ini_parse_buffer() crash\n\n`ini_parse_buffer()` reads past the end if the buffer is not null-terminated.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-039"), "{:#?}", t.findings);
    let t = tree
        .triage("# Over-read\n\n`ini_parse_string()` uses strncpy, which leaves the line not null-terminated, and then reads past it.\n");
    assert!(!rules(&t).contains(&"VCH-TRI-039"), "{:#?}", t.findings);
}

#[test]
fn a_name_the_report_only_proposes_is_not_contradicted_by_its_absence() {
    let src = "#include <stdio.h>\n\nint open_data(const char *path)\n{\n    FILE *f = fopen(path, \"wb\");\n    if(!f)\n        return -1;\n    fclose(f);\n    return 0;\n}\n";
    let tree = plain_tree(&[("lib/data.c", src)]);
    let t = tree.triage("# Arbitrary file creation\n\n`open_data()` in `lib/data.c` creates whatever file the header names. Shouldn't that be protected by setting a `data_allow_writing()` switch? We should add a `data_check_path()` helper.\n");
    for name in ["data_allow_writing", "data_check_path"] {
        let c = claim(&t, "function", name);
        assert_eq!(c.status, Status::Unverifiable, "{c:?}");
        assert!(c.evidence.contains("propose"), "{c:?}");
    }
    assert_eq!(claim(&t, "function", "open_data").status, Status::Confirmed);
    assert!(!t.flagged, "{:?}", t.reasons);
}

#[test]
fn an_assertion_that_the_pointer_is_not_null_answers_a_missing_check() {
    let src = "#include <assert.h>\n#include <stddef.h>\n\nstruct ctx { int (*cb)(void); };\n\nint run_cb(struct ctx *ctx)\n{\n    assert(ctx != NULL);\n    return ctx->cb();\n}\n\nint run_bug(struct ctx *ctx)\n{\n    BUG_ON(!ctx);\n    return ctx->cb();\n}\n\nint run_warn(struct ctx *ctx)\n{\n    WARN_ON(!ctx);\n    return ctx->cb();\n}\n";
    let tree = plain_tree(&[("lib/run.c", src)]);
    let report = "# NULL pointer dereference in run_cb()\n\n`run_cb()` in `lib/run.c` calls `ctx->cb` without checking that `ctx` is not NULL, so a NULL `ctx` crashes.\n";
    let t = tree.triage(report);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("asserts that ctx is not NULL (assert) at lib/run.c:8"), "{}", f.message);
    assert!(f.evidence.contains("assert(ctx != NULL);"), "{}", f.evidence);
    let t = tree.triage(&report.replace("run_cb", "run_bug"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("(BUG_ON) at lib/run.c:14"), "{}", f.message);
    // A warning that carries on answers nothing.
    let t = tree.triage(&report.replace("run_cb", "run_warn"));
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
}

#[test]
fn a_null_check_the_report_says_is_missing_is_found() {
    let src = "#include <stddef.h>\n\nstruct ctx { int (*cb)(void); };\n\nint run_cb(struct ctx *ctx)\n{\n    if(!ctx)\n        return -1;\n    return ctx->cb();\n}\n\nint run_raw(struct ctx *ctx)\n{\n    return ctx->cb();\n}\n";
    let tree = plain_tree(&[("lib/run.c", src)]);
    let report = "# NULL pointer dereference in run_cb()\n\n`run_cb()` in `lib/run.c` calls `ctx->cb` without checking that `ctx` is not NULL, so a NULL `ctx` crashes.\n";
    let t = tree.triage(report);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-021").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("checks ctx for NULL at lib/run.c:7"), "{}", f.message);
    assert!(f.evidence.contains("return -1;"), "{}", f.evidence);
    // The function without the check: nothing to answer the report with.
    let t = tree.triage(&report.replace("run_cb", "run_raw"));
    assert!(!rules(&t).contains(&"VCH-TRI-021"), "{:#?}", t.findings);
}

#[test]
fn a_clone_older_than_the_report_is_noted() {
    let run = open();
    let text = "# Overflow in parse_header()\n\n`parse_header()` in `lib/parse.c` copies the name without checking its length, \
                then `parse_header_ex()` copies it again.\n";
    // The fixture's newest commit is from 2025-09-01 and the clone was written just now: a
    // report from a later date than the clone's last update may read code the clone lacks.
    let at = At::Date(parse_date("2099-01-01").unwrap(), "2099-01-01".into());
    let t = triage_text(&run, "late.md", text, &Policy::default(), &at);
    let note = t.checked.note.as_deref().unwrap_or_else(|| panic!("{:?}", t.checked));
    assert!(note.contains("newest commit is from 2025-09-01") && note.contains("fetch"), "{note}");
    assert!(
        vouch_triage::render::human(&t, false).contains("note: the repository's newest commit"),
        "{}",
        vouch_triage::render::human(&t, false)
    );
    // A function the clone does not have may be newer than it: not contradicted.
    let c = claim(&t, "function", "parse_header_ex");
    assert_eq!(c.status, Status::Unverifiable, "{c:?}");
    assert!(c.evidence.contains("the clone is older than the report"), "{c:?}");
    // A report from before the clone's last update: the clone holds what there was.
    let at = At::Date(parse_date("2026-01-01").unwrap(), "2026-01-01".into());
    let t = triage_text(&run, "quiet.md", text, &Policy::default(), &at);
    assert_eq!(t.checked.note, None);
    assert_eq!(claim(&t, "function", "parse_header_ex").status, Status::Contradicted);
    // A trace line past the end of the clone's file, or naming only functions the clone lacks:
    // the file may have grown since, and the functions be new.
    let traced = "# Overflow\n\n```\n==41==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd5a3c1e40 at pc 0x4c2b1d bp 0x7ffd5a3c1df0 sp 0x7ffd5a3c1de8\n    #0 0x4c2b1d in parse_header /src/minihttp/lib/parse.c:999:3\n    #1 0x4c3a2e in parse_all_headers_v2 /src/minihttp/lib/parse.c:1040:5\n```\n";
    for (date, held) in [("2099-01-01", false), ("2026-01-01", true)] {
        let at = At::Date(parse_date(date).unwrap(), date.into());
        let t = triage_text(&run, "trace.md", traced, &Policy::default(), &at);
        assert_eq!(rules(&t).contains(&"VCH-TRI-003"), held, "{date}: {:#?}", t.findings);
    }
}

#[test]
fn a_member_is_shown_in_the_file_the_report_names() {
    let tree = plain_tree(&[
        ("apps/asn1.c", "void f(struct buf *b)\n{\n    b->data = 0;\n}\n"),
        ("lib/rec.c", "/* rr->data is the payload */\nvoid g(struct rec *rr, unsigned char *p)\n{\n    rr->data = p;\n}\n"),
    ]);
    let t = tree.triage("# Overflow in the record layer\n\nIn `lib/rec.c`, the copy into `rr->data` is not bounded.\n");
    let c = claim(&t, "snippet", "rr->data");
    assert_eq!(c.status, Status::Confirmed, "{c:?}");
    assert!(c.evidence.contains("lib/rec.c:4: rr->data = p;"), "{}", c.evidence);
    // A file the report does not name is the fallback.
    let t = tree.triage("# Overflow in the record layer\n\nThe copy into `rr->data` is not bounded.\n");
    assert_eq!(claim(&t, "snippet", "rr->data").status, Status::Confirmed);
}

#[test]
fn code_a_partial_tree_may_hold_in_a_folder_it_leaves_out_is_not_contradicted() {
    // A tarball that ships only the library, as vendored copies do.
    let tree = plain_tree(&[("lib/zcore.c", "int z_compress(char *dst, const char *src)\n{\n  return dst[0] = src[0];\n}\n")]);
    let text = "# Division by zero in the CLI trace\n\nIn `programs/cli_trace.c:80`, `trace_log()` divides by the duration:\n\n```c\nstatic void trace_log(const char *method, unsigned long duration)\n{\n  double speed = total / duration;\n}\n```\n\nIt is called after `z_compress()`.\n";
    let t = tree.triage(text);
    let f = claim(&t, "function", "trace_log");
    assert_eq!(f.status, Status::Unverifiable, "{f:#?}");
    assert!(f.evidence.contains("programs/ (programs/cli_trace.c)"), "{}", f.evidence);
    assert_eq!(claim(&t, "function", "z_compress").status, Status::Confirmed);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // Without a file in a folder the tree leaves out, code found nowhere is contradicted.
    let text = "# Division by zero\n\nIn `lib/zcore.c`, `trace_log()` divides by the duration, and `trace_speed()` too.\n";
    let t = tree.triage(text);
    assert_eq!(claim(&t, "function", "trace_log").status, Status::Contradicted);
}

#[test]
fn code_of_a_bundled_library_the_tree_leaves_out_is_not_contradicted() {
    // Debian's Node.js tarball drops `deps/undici`, which the GN build file still lists; a clone
    // without its submodules lacks such folders too.
    let gni = "node_builtin_shareable_builtins = [\n  \"deps/cjs-module-lexer/lexer.js\",\n  \"deps/undici/undici.js\",\n]\n";
    let src = "int node_start(int argc, char **argv)\n{\n  return argc > 1 && argv[1][0] == '-';\n}\n";
    let report = "# Unbounded decompression chain in fetch()\n\n`node_start()` runs the fetch code below. This patch limits the chain:\n\n```diff\ndiff --git a/deps/undici/src/lib/web/fetch/index.js b/deps/undici/src/lib/web/fetch/index.js\nindex a0dd75df7a5..2e5edef764d 100644\n--- a/deps/undici/src/lib/web/fetch/index.js\n+++ b/deps/undici/src/lib/web/fetch/index.js\n@@ -2120,6 +2120,9 @@ async function httpNetworkFetch (\n       const codings = contentEncoding ? contentEncoding.toLowerCase().split(',') : []\n       const maxContentEncodings = 5\n+      if (codings.length > maxContentEncodings) {\n+        return makeNetworkError('too many content-encodings')\n+      }\n       for (let i = codings.length - 1; i >= 0; --i) {\n         const coding = codings[i].trim()\n```\n";
    let tree = plain_tree(&[("node.gni", gni), ("src/node.cc", src), ("deps/cjs-module-lexer/lexer.js", "export function parse () {}\n")]);
    let t = tree.triage(report);
    let file = claim(&t, "file", "deps/undici/src/lib/web/fetch/index.js");
    assert_eq!(file.status, Status::Unverifiable, "{file:#?}");
    assert!(file.evidence.contains("node.gni:3"), "{}", file.evidence);
    let f = claim(&t, "function", "httpNetworkFetch");
    assert_eq!(f.status, Status::Unverifiable, "{f:#?}");
    assert!(f.evidence.contains("no deps/undici/ folder") && f.evidence.contains("node.gni:3"), "{}", f.evidence);
    assert!(t.claims.iter().filter(|c| c.kind == "snippet").all(|c| c.status == Status::Unverifiable), "{:#?}", t.claims);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-004" && f.message.contains("not in the project")), "{:#?}", t.findings);
    assert_eq!(claim(&t, "function", "node_start").status, Status::Confirmed);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // A bundled library no build file names is not one the tree left out: the patch is refuted.
    let tree = plain_tree(&[
        ("node.gni", "node_sources = [ \"src/node.cc\" ]\n"),
        ("src/node.cc", src),
        ("deps/cjs-module-lexer/lexer.js", "export function parse () {}\n"),
    ]);
    let t = tree.triage(report);
    assert_eq!(claim(&t, "function", "httpNetworkFetch").status, Status::Contradicted);
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-004" && f.message.contains("not in the project")), "{:#?}", t.findings);
    // A tree with no bundling folder at all: a file under one is the host tree's (Chromium's
    // `third_party/openscreen/...` beside the project it bundles), not this project's; a file of
    // the project's own folders stays contradicted.
    let tree = plain_tree(&[("src/lib_json/json_reader.cpp", "bool Reader::parse(const char *b, const char *e) { return b < e; }\n")]);
    let text = "# Over-read in the reader\n\nIn Chrome, `Reader::parse()` is reached through `third_party/openscreen/src/util/json/json_serialization.cc:29`; the read is in `src/lib_json/json_value.cpp`.\n";
    let t = tree.triage(text);
    let f = claim(&t, "file", "third_party/openscreen/src/util/json/json_serialization.cc");
    assert_eq!(f.status, Status::Unverifiable, "{f:#?}");
    assert!(f.evidence.contains("no third_party/ folder") && f.evidence.contains("(openscreen)"), "{}", f.evidence);
    assert_eq!(claim(&t, "file", "src/lib_json/json_value.cpp").status, Status::Contradicted);
}

#[test]
fn code_the_reporter_added_to_reproduce_a_bug_is_not_the_projects() {
    let relay = "int connection_ap_process_end_not_open(relay_msg_t *msg)\n{\n  int reason = get_uint8(msg->body);\n  return reason;\n}\n";
    let test = "static void\ntest_relaycell_resolved(void *arg)\n{\n  (void)arg;\n}\n";
    let tree = plain_tree(&[("src/or/relay.c", relay), ("src/test/test_relaycell.c", test)]);
    let report = |poc: &str| {
        format!(
            "# Heap over-read in connection_ap_process_end_not_open\n\n`connection_ap_process_end_not_open()` reads `msg->body` without checking its length.\n\n## Proof of Concept\n\n{poc}\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011 at pc 0x4f2a3b bp 0x7ffd1 sp 0x7ffd0\nREAD of size 1 at 0x602000000011 thread T0\n    #0 0x4f2a3b in connection_ap_process_end_not_open /home/me/tor/src/or/relay.c:3:10\n    #1 0x4f2b3b in copy_msg_ooo /home/me/tor/src/test/test_relaycell.c:214:3\n    #2 0x4f2c3b in test_end_cell_copy_oob /home/me/tor/src/test/test_relaycell.c:1136:5\n```\n"
        )
    };
    let added = "I added a local ASan regression PoC as a patch to this checkout. The relevant patched files are:\n\n- `src/test/test_relaycell.c`\n\nThe attachment contains the `test_end_cell_copy_oob()` test and its `copy_msg_ooo()` helper.";
    let t = tree.triage(&report(added));
    for name in ["test_end_cell_copy_oob", "copy_msg_ooo"] {
        assert!(
            t.claims.iter().filter(|c| c.kind == "function" && c.text == name).all(|c| c.status == Status::Unverifiable),
            "{:#?}",
            t.claims
        );
        let c = claim(&t, "function", name);
        assert!(c.evidence.contains("\"i added\""), "{}", c.evidence);
    }
    assert!(t.claims.iter().filter(|c| c.kind == "line").all(|c| c.status != Status::Contradicted), "{:#?}", t.claims);
    assert!(!t.findings.iter().any(|f| f.message.contains("test_relaycell.c:1136")), "{:#?}", t.findings);
    assert_eq!(claim(&t, "function", "connection_ap_process_end_not_open").status, Status::Confirmed);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // Without the words saying the reporter added them, test code the project lacks is contradicted.
    let t = tree.triage(&report("The attachment contains the `test_end_cell_copy_oob()` test and its `copy_msg_ooo()` helper."));
    assert_eq!(claim(&t, "function", "test_end_cell_copy_oob").status, Status::Contradicted);
}

#[test]
fn a_file_in_a_language_the_project_has_none_of_is_another_projects() {
    let relay = "int relay_send(const char *buf, int len)\n{\n  return len > 0 && buf[0];\n}\n";
    let report = "# Snowflake server: leak of TLS packets from other clients\n\nOpen `./lib/snowflake.go`, search `kcp.NewConn2` and go to its definition: the session is shared.\n";
    let t = plain_tree(&[("src/core/relay.c", relay)]).triage(report);
    let f = claim(&t, "file", "./lib/snowflake.go");
    assert_eq!(f.status, Status::Unverifiable, "{f:#?}");
    assert!(f.evidence.contains("no Go code at all"), "{}", f.evidence);
    // A project with Go code of its own would have the file.
    let t = plain_tree(&[("src/core/relay.c", relay), ("tools/gen.go", "package main\n\nfunc main() {}\n")]).triage(report);
    assert_eq!(claim(&t, "file", "./lib/snowflake.go").status, Status::Contradicted);
}

#[test]
fn a_function_named_with_a_prefix_its_files_neighbours_carry_is_a_slip() {
    let scache = "static int cf_ssl_peer_key_add_path(char *buf)\n{\n  return buf[0];\n}\n\nstatic int ssl_peer_key_build(char *buf, int n)\n{\n  return buf[n];\n}\n";
    let tree = plain_tree(&[("lib/vtls/vtls_scache.c", scache)]);
    let report = "# Session cache key ignores the TLS options\n\nThe key built by `cf_ssl_peer_key_build()` in `lib/vtls/vtls_scache.c:7` leaves the options out.\n";
    let t = tree.triage(report);
    let f = claim(&t, "function", "cf_ssl_peer_key_build");
    assert_eq!(f.status, Status::Confirmed, "{f:#?}");
    assert!(
        f.evidence.contains("ssl_peer_key_build is defined at lib/vtls/vtls_scache.c:6") && f.evidence.contains("adds their prefix"),
        "{}",
        f.evidence
    );
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // Without a neighbour carrying that prefix, or without the report naming the file, the name is invented.
    let plain = plain_tree(&[("lib/vtls/vtls_scache.c", "static int ssl_peer_key_build(char *buf, int n)\n{\n  return buf[n];\n}\n")]);
    assert_eq!(claim(&plain.triage(report), "function", "cf_ssl_peer_key_build").status, Status::Contradicted);
    let unnamed = "# Session cache key ignores the TLS options\n\nThe key built by `cf_ssl_peer_key_build()` leaves the options out.\n";
    assert_eq!(claim(&tree.triage(unnamed), "function", "cf_ssl_peer_key_build").status, Status::Contradicted);
}

#[test]
fn a_call_of_the_host_program_the_trace_runs_the_project_from_is_not_contradicted() {
    let tree = plain_tree(&[("lib/zcore.c", "int z_compress(char *dst, const char *src)\n{\n  return dst[0] = src[0];\n}\n")]);
    let report = |frames: &str| {
        format!(
            "# Heap overflow in z_compress\n\n`zc_pack(\"abc\", 3)` produces this overflow:\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011 at pc 0x4f2a3b bp 0x7ffd1 sp 0x7ffd0\nREAD of size 1 at 0x602000000011 thread T0\n    #0 0x4f2a3b in z_compress /home/me/zlib/lib/zcore.c:3:10\n{frames}```\n"
        )
    };
    // The trace runs the library from PHP: the call is PHP's.
    let t = tree.triage(&report("    #1 0x4f3b4c in zc_pack_impl /home/me/php-src/ext/zc/php_zc.c:88:3\n"));
    let c = claim(&t, "function", "zc_pack");
    assert_eq!(c.status, Status::Unverifiable, "{c:#?}");
    assert!(c.evidence.contains("(php_zc.c)"), "{}", c.evidence);
    // With only the project's frames (and the runtime's), it is the project's and does not exist.
    let t = tree.triage(&report("    #1 0x4f3b4c in __libc_start_main /usr/src/glibc/csu/libc-start.c:308:16\n"));
    assert_eq!(claim(&t, "function", "zc_pack").status, Status::Contradicted);
}

#[test]
fn an_analyser_warning_the_project_marks_as_a_false_positive_is_found() {
    let src = "#include <stdio.h>\n\nint read_config(const char *name)\n{\n  FILE *f = fopen(name, \"r\");\n  int err = 0;\n  if(!f)\n    return -1;\n  if(f != stdin)\n    fclose(f);\n  /* Silence the analyser's false positive about stdin.\n     NOLINTNEXTLINE(clang-analyzer-unix.Stream) */\n  if(err)\n    return -2;\n  return 0;\n}\n";
    let tree = plain_tree(&[("src/config.c", src)]);
    let text = "# Potential resource leak in config.c\n\nThe analyser reports that the stream opened at src/config.c:5 leaks when `err` is set at src/config.c:13.\n";
    let t = tree.triage(text);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-037").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("src/config.c", 11)));
    assert!(f.message.contains("\"false positive\""), "{}", f.message);
    // A report that shows a run of the code is not answered by the note.
    let run = format!(
        "{text}\n```\n==1==ERROR: LeakSanitizer: detected memory leaks\nDirect leak of 472 byte(s) in 1 object(s) allocated from:\n    #0 0x4c1 in malloc\n    #1 0x4d2 in read_config /home/me/app/src/config.c:5:13\n```\n"
    );
    let t = tree.triage(&run);
    assert!(!rules(&t).contains(&"VCH-TRI-037"), "{:#?}", t.findings);
}

#[test]
fn priors_that_only_rank_do_not_flag_together() {
    let tree = plain_tree(&[("lib/env.c", "#include <stdlib.h>\n\nconst char *home_dir(void)\n{\n  return getenv(\"HOME\");\n}\n")]);
    let named = Policy::parse("[triage]\nname = \"mini\"\n").expect("policy parses");
    // A hedged title, and input that is the local user's: two priors, no refutation.
    let t = tree.triage_with(
        "# Possible buffer overflow\n\nA local user who sets a very long HOME environment variable overflows a buffer.\n",
        &named,
    );
    assert!(rules(&t).contains(&"VCH-TRI-036") && rules(&t).contains(&"VCH-TRI-010"), "{:#?}", t.findings);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
}

#[test]
fn a_trace_past_the_end_of_the_release_file_is_not_evidence_when_the_next_release_reaches_it() {
    // lib/frame.c has 17 lines at v1.0.0 and 207 at v1.1.0; the report, filed between them, ran
    // development code. Its frame at line 150 is past the end at v1.0.0, within the file at v1.1.0
    // (in another function there: the code moved again before the release).
    let fx = fixture::growing_project();
    let project = Project::open(fx.path(), Limits::default()).unwrap();
    let trace = |line: u32| {
        format!(
            "# Heap overflow in frame_decode\n\n| | |\n|---|---|\n| **Reported** | 2024-05-01 |\n\n\
             ```\n==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000019\n\
             WRITE of size 64 at 0x602000000019 thread T0\n\
             \x20   #0 0x4c3a1b in __asan_memcpy (/work/fuzz+0x4c3a1b)\n\
             \x20   #1 0x4f1c2d in frame_decode /work/minihttp/lib/frame.c:{line}:3\n\
             \x20   #2 0x4f0a11 in main /work/fuzz.c:12:3\n```\n"
        )
    };
    let policy = Policy::default();
    let run = |text: &str| {
        let report = parse_for(text, &ClaimLimits::default(), Some("minihttp")).unwrap();
        let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
        triage("dev.md", &report, &cx).unwrap()
    };
    let t = run(&trace(150));
    assert!(t.checked.main.label.starts_with("tag v1.0.0"), "{:?}", t.checked.main);
    let l = claim(&t, "line", "/work/minihttp/lib/frame.c:150");
    assert_eq!(l.status, Status::Unverifiable, "{}", l.evidence);
    assert!(l.evidence.contains("has only 17 lines") && l.evidence.contains("tag v1.1.0"), "{}", l.evidence);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-003"), "{:#?}", t.findings);
    // Past the end of the file at both releases: the frame cannot be right.
    let t = run(&trace(900));
    let l = claim(&t, "line", "/work/minihttp/lib/frame.c:900");
    assert_eq!(l.status, Status::Contradicted, "{}", l.evidence);
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-003" && f.message.contains("lib/frame.c:900")), "{:#?}", t.findings);
}

#[test]
fn head_of_an_untagged_clone_from_after_the_report_does_not_contradict_its_quote() {
    // The report quotes the copy as it was before the length check was added; the shallow clone
    // of a project that tags no releases holds only a commit from a year later.
    let text = "# Heap overflow in frame_decode\n\n| | |\n|---|---|\n| **Reported** | 2024-05-01 |\n\n`frame_decode()` in lib/frame.c copies without a check:\n\n```c\n  char tmp[32];\n  strcpy(tmp, src);\n  memcpy(dst, tmp, len + 8);\n  tmp[len] = 0;\n```\n";
    let policy = Policy::default();
    let run = |fx: &fixture::Fixture| {
        let project = Project::open(fx.path(), Limits::default()).unwrap();
        let report = parse_for(text, &ClaimLimits::default(), Some("minihttp")).unwrap();
        let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
        triage("old.md", &report, &cx).unwrap()
    };
    let t = run(&fixture::untagged_project("2025-06-01"));
    assert!(t.checked.main.how.contains("from after the report"), "{:?}", t.checked.main);
    let s = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(s.status, Status::Unverifiable, "{}", s.evidence);
    assert!(!t.flagged, "{:?}", t.reasons);
    // The same clone made before the report: its code is what the report read, and the quote
    // does not hold.
    let t = run(&fixture::untagged_project("2024-01-01"));
    assert!(!t.checked.main.how.contains("from after the report"), "{:?}", t.checked.main);
    let s = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(s.status, Status::Contradicted, "{}", s.evidence);
}

#[test]
fn a_name_the_project_pastes_a_width_onto_is_the_projects() {
    // PCRE2's way: the public name is a macro that hands a stem to a pasting macro, so
    // `mh_compile_8` is in no file.
    let header = "#define MH_JOIN(a,b) a ## b\n#define MH_GLUE(a,b) MH_JOIN(a,b)\n#define MH_SUFFIX(a) MH_GLUE(a,MH_CODE_UNIT_WIDTH)\n\
                  #define mh_compile MH_SUFFIX(mh_compile_)\n#define MH_SPTR MH_SUFFIX(MH_SPTR)\n\
                  int mh_config_get(int what)\n{\n  return what;\n}\nint mh_config_set(int what)\n{\n  return what;\n}\nint mh_config_reset(void)\n{\n  return 0;\n}\n";
    let text = "# Overflow in mh_compile (minihttp 2.0.0)\n\n```c\n#include <stdio.h>\nint main(void) {\n  MH_SPTR8 p = (MH_SPTR8)\"a\";\n  mh_compile_8(p, 1);\n  mh_frobnicate_8(p);\n  return 0;\n}\n```\n";
    let t = triage_tree("include/mh.h", header, text, &Policy::default());
    let c = claim(&t, "api", "mh_compile_8");
    assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
    assert!(c.evidence.contains("made by the project's macro mh_compile") && c.evidence.contains("pastes a width"), "{}", c.evidence);
    // A width on a name the project has no pasting macro for is still invented.
    let c = claim(&t, "api", "mh_frobnicate_8");
    assert_eq!(c.status, Status::Contradicted, "{}", c.evidence);
}

#[test]
fn a_report_using_an_option_the_contract_forbids_breaks_it() {
    let policy = Policy::parse(
        "[triage]\nname = \"minihttp\"\n[[triage.contracts]]\nnames = [\"mh_match\", \"mhtest\"]\n\
         forbids = [\"MH_NO_UTF_CHECK\", \"no_utf_check\"]\n\
         fact = \"minihttp documents that with MH_NO_UTF_CHECK the subject must be valid UTF\"\nsource = \"https://example.invalid/utf\"\n",
    )
    .unwrap();
    let code = "int mh_match(const char *subject, int len, int options)\n{\n  return subject[len];\n}\n";
    let contract = |t: &Triage| t.findings.iter().find(|f| f.rule == "VCH-TRI-035").cloned();
    // The reproducer passes the option.
    let poc = "# Overflow in mh_match\n\n```c\nint main(void) {\n  mh_match(\"\\xff\", 1, MH_NO_UTF_CHECK);\n  return 0;\n}\n```\n";
    let t = triage_tree("lib/match.c", code, poc, &policy);
    let f = contract(&t).unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(
        f.message.contains("uses `MH_NO_UTF_CHECK` with `mh_match`") && f.message.contains("https://example.invalid/utf"),
        "{}",
        f.message
    );
    assert!(t.flagged, "{:#?}", t.summary);
    // The test program's modifier, in its input.
    let input = "# mhtest crashes\n\n```\n/a/utf\n  \\xff\\=no_utf_check\n```\n";
    assert!(contract(&triage_tree("lib/match.c", code, input, &policy)).is_some());
    // Prose that says the option is not needed, and a report that does not name the interface.
    let without = "# Overflow in mh_match\n\nThe overflow happens without MH_NO_UTF_CHECK: `mh_match()` reads past the subject.\n";
    assert!(contract(&triage_tree("lib/match.c", code, without, &policy)).is_none());
    let elsewhere = "# Crash in the parser\n\nThe parser crashes when MH_NO_UTF_CHECK is set.\n";
    assert!(contract(&triage_tree("lib/match.c", code, elsewhere, &policy)).is_none());
    // Prose with multi-byte characters right before the option (the look-back window must not
    // split one).
    let wide = "# Overflow in mh_match\n\n`mh_match()` — “ünïcödé” — ‘überlang’ — ☃☃☃☃☃☃☃☃☃☃☃☃☃☃ x MH_NO_UTF_CHECK set.\n";
    assert!(contract(&triage_tree("lib/match.c", code, wide, &policy)).is_some());
}

#[test]
fn a_reproducer_writing_the_projects_private_state_is_api_misuse() {
    // `struct mh_ctx` is defined in the source file; the public header only declares it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    std::fs::create_dir_all(root.join("include/mh")).unwrap();
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(
        root.join("include/mh/mh.h"),
        "typedef struct mh_ctx mh_ctx;\nstruct mh_options {\n  int verbose;\n};\nint mh_ctx_new(mh_ctx **out);\nint mh_decode(mh_ctx *c, const char *in, int len);\n",
    )
    .unwrap();
    std::fs::write(
        root.join("lib/ctx.c"),
        "#include <mh/mh.h>\nstruct mh_ctx {\n  int stage;\n  char buf[64];\n};\n\
         int mh_ctx_new(mh_ctx **out)\n{\n  *out = 0;\n  return 0;\n}\n\
         int mh_decode(mh_ctx *c, const char *in, int len)\n{\n  while(c->stage < 9) c->stage++;\n  return len;\n}\n",
    )
    .unwrap();
    let poc = |body: &str| format!("# Infinite loop in mh_decode\n\nA demo example that shows it:\n\n```c\n{body}```\n");
    let private = poc("mh_ctx *ctx;\nmh_ctx_new(&ctx);\nctx->stage = 42;  /* an impossible stage */\nmh_decode(ctx, \"x\", 1);\n");
    let t = triage_in(&root, &private, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-038").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("writes `stage`") && f.message.contains("lib/ctx.c:3"), "{}", f.message);
    assert!(!t.flagged, "a prior without a policy: {:#?}", t.summary);
    // With api-misuse out of scope, it flags.
    let policy = Policy::parse("[triage]\nnot_security = [\"api-misuse\"]\n").unwrap();
    assert!(triage_in(&root, &private, &policy).flagged);
    // A member of a public structure, one of the reporter's own structure, a write inside a
    // comment, and an object the reproducer did not get from a call: none.
    for body in [
        "struct mh_options *o;\no = mh_options_new();\no->verbose = 1;\n",
        "struct fake { int stage; };\nstruct fake *f;\nf = make_fake();\nf->stage = 1;\n",
        "mh_ctx *ctx;\nmh_ctx_new(&ctx);\nmh_decode(ctx, \"x\", 1); /* ctx->stage = 42 */\n",
        "if(c->stage > 9)\n  c->stage = 0;\n",
    ] {
        let t = triage_in(&root, &poc(body), &policy);
        assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-038"), "{body}: {:#?}", t.findings);
    }
}

/// Triage of `text` against a plain tree of several files.
fn triage_files(files: &[(&str, &str)], text: &str) -> Triage {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    for (path, code) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), code).unwrap();
    }
    triage_in(&root, text, &Policy::default())
}

#[test]
fn a_function_defined_under_a_macro_name_is_the_projects() {
    // HDF5's way: a file names the function through a macro, then includes a template that
    // defines the macro's function.
    let template = "static int\nDECODE_FN(const unsigned char *p, int n)\n{\n  return p[n];\n}\n";
    let attr = "#define DECODE_FN              attr_shared_decode\n#include \"shared.h\"\n\nint attr_count;\n";
    let text = "# Heap overflow in attr_shared_decode\n\nA crafted file makes `attr_shared_decode()` read past the buffer, and `attr_other_decode()` too.\n";
    let t = triage_files(&[("lib/shared.h", template), ("lib/attr.c", attr)], text);
    let c = claim(&t, "function", "attr_shared_decode");
    assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
    assert!(c.evidence.contains("through the macro DECODE_FN") && c.evidence.contains("lib/shared.h:2"), "{}", c.evidence);
    // A name no macro stands for is still contradicted.
    assert_eq!(claim(&t, "function", "attr_other_decode").status, Status::Contradicted);
}

#[test]
fn a_function_a_macro_pastes_together_is_the_projects() {
    // LuaJIT's way: `LJLIB_CF(string_format)` defines lj_cf_string_format.
    let lib = "#define LJLIB_CF(name)  static int lj_cf_##name(lua_State *L)\n\nLJLIB_CF(string_format)\n{\n  return 0;\n}\n";
    let text = "# Crash in lj_cf_string_format\n\nCalling `string.format` with `%q` on a huge string crashes in `lj_cf_string_format()`; `lj_cf_string_frobnicate()` is fine.\n";
    let t = triage_files(&[("src/lib_string.c", lib)], text);
    let c = claim(&t, "function", "lj_cf_string_format");
    assert_eq!(c.status, Status::Confirmed, "{}", c.evidence);
    assert!(c.evidence.contains("made by the macro LJLIB_CF") && c.evidence.contains("LJLIB_CF(string_format)"), "{}", c.evidence);
    // The macro makes no function of an argument it is never given.
    assert_eq!(claim(&t, "function", "lj_cf_string_frobnicate").status, Status::Contradicted);
}

#[test]
fn a_file_of_the_memory_checker_is_not_the_projects() {
    let code = "int parse(const char *s)\n{\n  return s[0];\n}\n";
    let text = "# Out-of-bounds read and write in vg_replace_strmem.c\n\nvalgrind reports invalid reads in `vg_replace_strmem.c` and `asan_interceptors.cpp` when `parse()` in `lib/parse.c` runs; `lib/parser.c` is the culprit.\n";
    let t = triage_tree("lib/parse.c", code, text, &Policy::default());
    for tool in ["vg_replace_strmem.c", "asan_interceptors.cpp"] {
        let c = claim(&t, "file", tool);
        assert_eq!(c.status, Status::Unverifiable, "{tool}: {}", c.evidence);
        assert!(c.evidence.contains("analysis tool"), "{}", c.evidence);
    }
    // A project-like file the project lacks is still contradicted.
    assert_eq!(claim(&t, "file", "lib/parser.c").status, Status::Contradicted);
    // glibc's file of the function it implements, bare or under glibc's folders; not in a folder
    // of the project's kind.
    let text = "# NULL dereference in parse

- **Source Files**: `lib/parse.c:3`, `strtol_l.c:291`, `../stdlib/vfprintf-internal.c:1200`

The fix belongs in `lib/strdup.c`.
";
    let t = triage_tree("lib/parse.c", code, text, &Policy::default());
    for glibc in ["strtol_l.c", "../stdlib/vfprintf-internal.c"] {
        let c = claim(&t, "file", glibc);
        assert_eq!(c.status, Status::Unverifiable, "{glibc}: {}", c.evidence);
        assert!(c.evidence.contains("C library"), "{}", c.evidence);
    }
    // So are the lines it cites in them.
    let c = claim(&t, "line", "strtol_l.c:291");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert_eq!(claim(&t, "file", "lib/strdup.c").status, Status::Contradicted);
}

#[test]
fn a_file_named_beside_a_c_library_function_is_that_functions_source() {
    let code = "int parse(const char *s)\n{\n  return s[0];\n}\n";
    let text = "# Fortify abort in parse\n\nFuzzing `parse()` aborts.\n\n- **Affected Function**: `__GI___chk_fail`\n- **Source File**: `chk_fail.c`\n- **Line Number**: 28\n\nThe bug is somewhere in `lib/parser.c`.\n";
    let t = triage_tree("lib/parse.c", code, text, &Policy::default());
    let c = claim(&t, "file", "chk_fail.c");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("beside __GI___chk_fail"), "{}", c.evidence);
    assert!(!t.findings.iter().any(|f| f.message.contains("chk_fail.c")), "{:#?}", t.findings);
    // A project-like file further from the runtime function is still contradicted.
    assert_eq!(claim(&t, "file", "lib/parser.c").status, Status::Contradicted);
}

#[test]
fn a_relative_path_up_into_another_projects_folder_is_not_the_projects() {
    let code = "int parse(const char *s)\n{\n  return s[0];\n}\n";
    let text = "# UB in parse\n\n```\n../librz/analysis/op.c:105:4: runtime error: index -1 out of bounds\n../lib/parse.c:90:1: runtime error: index -1 out of bounds\n```\n";
    let t = triage_tree("lib/parse.c", code, text, &Policy::default());
    let other = t.claims.iter().find(|c| c.text.starts_with("../librz/analysis/op.c")).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(other.status, Status::Unverifiable, "{}", other.evidence);
    assert!(other.evidence.contains("does not lead into the project"), "{}", other.evidence);
    // Up into a folder the project has: checked there, and line 90 is past the end.
    let own = t.claims.iter().find(|c| c.text.starts_with("../lib/parse.c")).unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(own.status, Status::Contradicted, "{}", own.evidence);
}

#[test]
fn sample_code_and_what_follows_it_are_the_reporters() {
    let code = "void dec_destroy(struct dec *d)\n{\n  free(d);\n}\n\nint dec_frame(struct dec *d, const unsigned char *buf, int len)\n{\n  return d->decode(buf, len);\n}\n";
    let text = "# Crash in dec_destroy after commit 1234abcd\n\nHere is the sample code that worked before this commit, now crashed in the release call.\nvoid decode()\n{\n....................\n    pData[0] = 0;\n    state = my_decoder->run_frame(framebuffer, framelength, pData);\n....................\n}\n\nvoid release()\n{\n        my_decoder->shutdown_all();\n        dec_destroy(my_decoder);\n}\n";
    let t = triage_tree("lib/dec.c", code, text, &Policy::default());
    assert!(!t.claims.iter().any(|c| c.status == Status::Contradicted), "the reporter's program contradicts nothing: {:#?}", t.claims);
    // Without the cue, the same lines quoted as the project's are contradicted.
    let quoted =
        text.replace("Here is the sample code that worked before this commit, now crashed in the release call.", "The decoder does this:");
    let t = triage_tree("lib/dec.c", code, &quoted, &Policy::default());
    assert!(t.claims.iter().any(|c| c.status == Status::Contradicted), "{:#?}", t.claims);
}

#[test]
fn a_call_stack_listed_as_bare_names_is_output() {
    let code = "int ws_read_finish(char *p)\n{\n  return p[0];\n}\n";
    let text = "# free invalid pointer in ws_read_finish\n\nGDB:\n\n```c\nSIGABRT (Aborted)\n__GI_raise\n__GI_abort\nmalloc_printerr\n_int_free\nws_read_finish\nws_recv_magic\n```\n";
    let t = triage_tree("lib/ws.c", code, text, &Policy::default());
    assert!(!t.claims.iter().any(|c| c.kind == "snippet"), "a call stack is no quote: {:#?}", t.claims);
    assert!(!t.claims.iter().any(|c| c.status == Status::Contradicted), "{:#?}", t.claims);
}

#[test]
fn glibcs_own_functions_in_its_messages_are_not_the_projects() {
    let code = "int msg_insert(char *p, int n)\n{\n  return p[n];\n}\n";
    let text = "# msg_insert: munmap_chunk(): invalid pointer\n\nAfter `msg_insert()` the program dies in `munmap_chunk()`, under `_int_free()`.\n\nThe copy is made by `msg_inserter()`.\n";
    let t = triage_tree("lib/msg.c", code, text, &Policy::default());
    for name in ["munmap_chunk", "_int_free"] {
        let c = t.claims.iter().find(|c| c.text == name).unwrap_or_else(|| panic!("{name}: {:#?}", t.claims));
        assert_eq!(c.status, Status::Unverifiable, "{name}: {}", c.evidence);
    }
    assert_eq!(claim(&t, "function", "msg_inserter").status, Status::Contradicted);
}

#[test]
fn c_library_headers_and_declarations_a_report_quotes_are_not_the_projects() {
    let code = "int msg_insert(char *p, int n)\n{\n  return p[n];\n}\n";
    let text = "# msg_insert() may overflow\n\n`msg_insert()` in lib/msg.c calls `calloc()`; the manual page of `stdlib.h` says\n\n```c\n#include <stdlib.h>\n\nvoid *calloc(size_t nmemb, size_t size);\nvoid free(void *ptr);\n```\n\nand `sys/socket.h` is included too, as is `lib/socket.h`.\n";
    let t = triage_tree("lib/msg.c", code, text, &Policy::default());
    for name in ["stdlib.h", "sys/socket.h"] {
        let c = claim(&t, "file", name);
        assert_eq!(c.status, Status::Unverifiable, "{name}: {}", c.evidence);
    }
    // A header in a folder of the project's is the project's, and missing.
    assert_eq!(claim(&t, "file", "lib/socket.h").status, Status::Contradicted);
    let c = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("C library"), "{}", c.evidence);
    // The same lines calling the functions are code the project lacks.
    let calls = text.replace("void *calloc(size_t nmemb, size_t size);\nvoid free(void *ptr);", "p = calloc(n, size);\nfree(q);");
    let t = triage_tree("lib/msg.c", code, &calls, &Policy::default());
    let c = t.claims.iter().find(|c| c.kind == "snippet").unwrap_or_else(|| panic!("{:#?}", t.claims));
    assert_eq!(c.status, Status::Contradicted, "{}", c.evidence);
}

#[test]
fn a_typo_of_a_name_the_report_spells_right_elsewhere_is_a_slip() {
    let code = "static int http_uri_canonify(char *path)\n{\n  return path[0];\n}\n";
    let text = "# http_uri_canonify() out-of-bounds\n\nThe loop in `http_uri_canofify()` reads past the end of `path`; so does `http_uri_sanitize()`.\n";
    let t = triage_tree("lib/http.c", code, text, &Policy::default());
    let c = claim(&t, "function", "http_uri_canofify");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("http_uri_canonify"), "{}", c.evidence);
    // A name with a letter added is another function, not a slip.
    let t2 = triage_tree("lib/http.c", code, &text.replace("`http_uri_canofify()`", "`http_uri_canonify2()`"), &Policy::default());
    assert_eq!(claim(&t2, "function", "http_uri_canonify2").status, Status::Contradicted);
    // A name far from every name the report gives is no slip.
    assert_eq!(claim(&t, "function", "http_uri_sanitize").status, Status::Contradicted);
    // Nor is a near name the report never spells right.
    let t = triage_tree(
        "lib/http.c",
        code,
        "# Out-of-bounds read\n\nThe loop in `http_uri_canofify()` reads past the end of `path`.\n",
        &Policy::default(),
    );
    assert_eq!(claim(&t, "function", "http_uri_canofify").status, Status::Contradicted);
}

#[test]
fn a_function_named_with_its_words_in_another_order_is_a_slip() {
    let code = "int mpx_mpi_exp_mod(int *x, const int *a, int n)\n{\n  return a[n] + x[0];\n}\n";
    let text = "# NULL dereference in mpx_mpi_mod_exp\n\n`mpx_mpi_mod_exp(X, A, E, N)` with A having no limbs crashes.\n";
    let t = triage_tree("lib/bignum.c", code, text, &Policy::default());
    let c = claim(&t, "function", "mpx_mpi_mod_exp");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("mpx_mpi_exp_mod"), "{}", c.evidence);
    // Other words, or the namespace moved, are another name.
    for other in ["mpx_mpi_mod_pow", "mpi_mpx_exp_mod"] {
        let t = triage_tree("lib/bignum.c", code, &text.replace("mpx_mpi_mod_exp", other), &Policy::default());
        assert_eq!(claim(&t, "function", other).status, Status::Contradicted, "{other}");
    }
}

#[test]
fn a_marker_inside_a_quoted_name_does_not_make_a_new_name() {
    let code = "void fill(unsigned char *data, int w, int y, int x, int c, int n)\n{\n  int i;\n  for (i = 0; i < n; ++i)\n    memset(data + w * y + x, c, (size_t)n);\n}\n";
    let text = "# Heap overflow in fill\n\n```c\n  for (i = 0; i < n; ++i)\n>    me \\*bug=>*\\ mset(data + w * y + x, c, (size_t)n);\n```\n\nAlso `data` is then passed to ` /* see */ frob_pixels()`.\n";
    let t = triage_tree("lib/fill.c", code, text, &Policy::default());
    let c = claim(&t, "function", "mset");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("part of memset"), "{}", c.evidence);
}

#[test]
fn a_quote_that_goes_on_with_another_function_adds_no_call() {
    let buffer = "int\nbuf_remove(struct buf *b, void *out, size_t n)\n{\n  long r = (long)n;\n  if (r > 0) {\n    if (buf_drain(b, r) < 0)\n      r = -1;\n  }\n  return (int)r;\n}\n\nint\nbuf_drain(struct buf *b, long n)\n{\n  return n > 0 ? 0 : -1;\n}\n";
    let event = "size_t\nev_read(struct ev *e, void *data, size_t size)\n{\n  return (buf_remove(e->input, data, size));\n}\n";
    let text = "# A negative return of buf_remove becomes a huge size_t in ev_read\n\n```c\nint\nbuf_remove(struct buf *b, void *out, size_t n)\n{\n  long r = (long)n;\n  ....\n  if (r > 0) {\n    if (buf_drain(b, r) < 0)\n      r = -1;\n  }\n  ....\n  return (int)r;\n}\n...\nsize_t\nev_read(struct ev *e, void *data, size_t size)\n{\n  return (buf_remove(e->input, data, size));\n}\n```\n";
    let t = triage_files(&[("lib/buffer.c", buffer), ("lib/event.c", event)], text);
    assert!(!rules(&t).contains(&"VCH-TRI-023"), "{:#?}", t.findings);
}

#[test]
fn a_file_the_build_names_but_the_tree_lacks_is_not_contradicted() {
    // A tree that ships tests/fuzz/CMakeLists.txt without the harness sources it lists (as
    // open62541-sys does): the report's harness file is left out, not invented.
    let build = "macro(add_fuzzer NAME SOURCE)\n  add_executable(${NAME} ${SOURCE})\nendmacro()\nadd_fuzzer(fuzz_decode fuzz_decode.cc)\n";
    let code = "int decode(const unsigned char *p, int n)\n{\n  return p[n];\n}\n";
    let text = "# Assertion failure in fuzz_decode\n\n```\nfuzz_decode: /src/minihttp/tests/fuzz/fuzz_decode.cc:79: int LLVMFuzzerTestOneInput(const uint8_t *, size_t): Assertion `ret == 0' failed.\n```\n\nThe assertion in `LLVMFuzzerTestOneInput()` of the harness `tests/fuzz/fuzz_decode.cc` fails after `decode()`; `tests/fuzz/fuzz_encode.cc` does not.\n";
    let t = triage_files(&[("tests/fuzz/CMakeLists.txt", build), ("lib/decode.c", code)], text);
    let c = claim(&t, "file", "tests/fuzz/fuzz_decode.cc");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("tests/fuzz/CMakeLists.txt:4"), "{}", c.evidence);
    let entry = claim(&t, "function", "LLVMFuzzerTestOneInput");
    assert_eq!(entry.status, Status::Unverifiable, "{}", entry.evidence);
    // A file of that folder the build does not name is still contradicted.
    assert_eq!(claim(&t, "file", "tests/fuzz/fuzz_encode.cc").status, Status::Contradicted);
}

#[test]
fn a_test_program_whose_trace_runs_into_the_library_is_only_the_reproducer() {
    let test = "static void run_zap_tests(void)\n{\n  start_thread();\n}\n\nint main(void)\n{\n  run_zap_tests();\n  return 0;\n}\n";
    let lib = "int start_thread(void)\n{\n  int rc = 0;\n  rc = spawn();\n  return rc;\n}\n";
    let trace = "\n```\n#0  0x00007f0b1c2d3e4f in start_thread () at src/thread.c:4\n#1  0x00007f0b1c2d3f00 in run_zap_tests () at tests/test_zap.c:3\n```\n";
    let text = format!("# test_zap crash\n\nThe test crashes at `tests/test_zap.c:3`:\n{trace}");
    let t = triage_files(&[("tests/test_zap.c", test), ("src/thread.c", lib)], &text);
    assert!(!rules(&t).contains(&"VCH-TRI-009"), "{:#?}", t.findings);
    // Without the trace into the library, the cited place is test code.
    let t = triage_files(
        &[("tests/test_zap.c", test), ("src/thread.c", lib)],
        "# test_zap crash\n\nThe test crashes at `tests/test_zap.c:3`.\n",
    );
    assert!(rules(&t).contains(&"VCH-TRI-009"), "{:#?}", t.findings);
    // A report that names the shipped file the fix goes in is about that file; the test only
    // shows the problem.
    let t = triage_files(
        &[("tests/test_zap.c", test), ("src/thread.c", lib)],
        "# test_zap crash\n\nThe test crashes at `tests/test_zap.c:3`; the fix belongs in `src/thread.c`.\n",
    );
    assert!(!rules(&t).contains(&"VCH-TRI-009"), "{:#?}", t.findings);
}

#[test]
fn the_librarys_name_without_lib_names_its_versions() {
    let run = open();
    // The fixture project is minihttp; a project called libminihttp would be "minihttp 2.0.0" too.
    let text = "# Overflow\n\nIn minihttp 1.0.0 the header parser overflows.\n";
    let t = triage_text(&run, "v.md", text, &Policy::default(), &At::Auto);
    assert!(t.claims.iter().any(|c| c.kind == "version" && c.text == "1.0.0"), "{:#?}", t.claims);
    let report =
        vouch_claims::parse_for("# Double free in ZMQ 4.3.4\n\nZMQ 4.3.4 crashes.\n", &ClaimLimits::default(), Some("libzmq")).unwrap();
    assert!(report.claims.iter().any(|c| c.kind == vouch_claims::ClaimKind::Version && c.text == "4.3.4"), "{:#?}", report.claims);
    // Two letters are too short to be the library's name (`uv 1.2.3` for libuv).
    let report = vouch_claims::parse_for("# Bug\n\nSee uv 1.2.3 notes.\n", &ClaimLimits::default(), Some("libuv")).unwrap();
    assert!(!report.claims.iter().any(|c| c.kind == vouch_claims::ClaimKind::Version), "{:#?}", report.claims);
}

#[test]
fn a_leak_shown_only_through_a_test_program_ranks_lower() {
    let tree = plain_tree(&[
        ("src/api.c", "#include <stdlib.h>\n\nvoid *\nyaml_malloc(size_t size)\n{\n    return malloc(size ? size : 1);\n}\n"),
        ("tests/run-parser-test-suite.c", "int main(int argc, char **argv)\n{\n    return parse(argv[1]);\n}\n"),
        (
            "tests/runtests.c",
            "static void run_check(void)\n{\n    parse_doc();\n}\n\nint main(void)\n{\n    run_check();\n    return 0;\n}\n",
        ),
        ("examples/convert.c", "int main(int argc, char **argv)\n{\n    return convert(argv[1]);\n}\n"),
    ]);
    let trace = "```\n==3391==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 50176 byte(s) in 5 object(s) allocated from:\n    #0 0x7ffff7682887 in __interceptor_malloc ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:145\n    #1 0x55555555bc75 in yaml_malloc /libyaml-asan/src/api.c:6\n```\n";
    let leak = |run: &str| {
        format!("# Memory Leak in api.c\n\nThe leak is triggered by an invalid UTF-8 octet. To reproduce, simply run `{run} input.txt` after building with ASAN.\n\n{trace}")
    };
    let t = tree.triage(&leak("./tests/run-parser-test-suite"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-042").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("tests/run-parser-test-suite.c"), "{}", f.message);
    assert!(f.evidence.contains("./tests/run-parser-test-suite input.txt"), "{}", f.evidence);
    // A prior: it ranks the report lower, it does not flag it.
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    let plain = tree.triage(&leak("./src/yaml-parse"));
    assert!(!rules(&plain).contains(&"VCH-TRI-042"), "{:#?}", plain.findings);
    assert!(t.score < plain.score, "{} {}", t.score, plain.score);
    // A build folder in front of the test folder is the same program.
    assert!(rules(&tree.triage(&leak("build/tests/run-parser-test-suite"))).contains(&"VCH-TRI-042"));
    // An example is a program users copy; a test folder with no such program's source names none.
    for run in ["./examples/convert", "./tests/no-such-program"] {
        let t = tree.triage(&leak(run));
        assert!(!rules(&t).contains(&"VCH-TRI-042"), "{run}: {:#?}", t.findings);
    }
    // A leak trace that passes through a test's code.
    let through = "# Fix memory leak\n\n```\n==1==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 32 byte(s) in 1 object(s) allocated from:\n    #0 0x7f73d736f602 in malloc (/usr/lib/x86_64-linux-gnu/libasan.so.2+0x98602)\n    #1 0x404358 in yaml_malloc ../src/api.c:6\n    #2 0x404358 in run_check ../tests/runtests.c:3\n    #3 0x4072f4 in main ../tests/runtests.c:8\n```\n";
    let t = tree.triage(through);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-042").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("tests/runtests.c"), "{}", f.message);
    // The same crash that is not a leak: nothing.
    let crash = through
        .replace("LeakSanitizer: detected memory leaks", "AddressSanitizer: heap-buffer-overflow")
        .replace("# Fix memory leak", "# Fix overflow");
    assert!(!rules(&tree.triage(&crash)).contains(&"VCH-TRI-042"));
}

#[test]
fn a_method_many_drivers_define_is_found_in_the_one_the_title_names() {
    let method = |class: &str| {
        format!("#include \"gdal.h\"\n\nvoid {class}::LoadMetadata()\n{{\n    char *psz = static_cast<char *>(CPLCalloc(n + 1, 1));\n    read(psz);\n}}\n")
    };
    let tree = plain_tree(&[
        ("frmts/fits/fitsdataset.cpp", &method("FITSDataset")),
        ("frmts/hdf5/bagdataset.cpp", &method("BAGDataset")),
        ("frmts/pds/pdsdataset.cpp", &method("PDSDataset")),
    ]);
    let t = tree.triage("# Heap buffer overflow in GDAL BAG driver LoadMetadata() (integer truncation)\n\nThe metadata buffer is allocated with a truncated size.\n");
    let c = claim(&t, "function", "LoadMetadata");
    assert!(c.evidence.contains("frmts/hdf5/bagdataset.cpp"), "{}", c.evidence);
    // A title naming no driver keeps the first definition: nothing says which one is meant.
    let t = tree.triage("# Heap buffer overflow in LoadMetadata()\n\nThe metadata buffer is allocated with a truncated size.\n");
    assert!(claim(&t, "function", "LoadMetadata").evidence.contains("frmts/fits/fitsdataset.cpp"));
}

#[test]
fn a_copy_into_a_buffer_just_allocated_with_its_length_is_found() {
    let tree = plain_tree(&[(
        "main/filter.c",
        "#include \"php.h\"\n\nbucket *bucket_new(char *buf, size_t buflen, int is_persistent)\n{\n\tbucket *b = pemalloc(sizeof(bucket), is_persistent);\n\n\tb->buf = pemalloc(buflen, 1);\n\tmemcpy(b->buf, buf, buflen);\n\treturn b;\n}\n\nvoid bucket_split(bucket *in, bucket **left, size_t length)\n{\n\t(*left)->buf = pemalloc(length, in->is_persistent);\n\t(*left)->buflen = length;\n\tmemcpy((*left)->buf, in->buf, length);\n}\n\nvoid bucket_grow(bucket *b, char *src, size_t n)\n{\n\tb->buf = pemalloc(n, 1);\n\tn += 16;\n\tmemcpy(b->buf, src, n);\n}\n\nvoid bucket_wide(bucket *b, int *src, size_t n)\n{\n\tb->buf = malloc(n);\n\tmemcpy(b->buf, src, n * sizeof(int));\n}\n",
    )]);
    let report = |line: u32, code: &str| {
        format!("# Heap overflow in filter.c\n\nThe memcpy at `main/filter.c:{line}` copies into the heap-allocated bucket buffer without verifying that the length does not exceed the destination's size:\n\n```c\n{code}\n```\n")
    };
    let t = tree.triage(&report(8, "\tb->buf = pemalloc(buflen, 1);\n\tmemcpy(b->buf, buf, buflen);"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-006").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("line 7 allocated with room for them"), "{}", f.message);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    let t = tree.triage(&report(
        16,
        "\t(*left)->buf = pemalloc(length, in->is_persistent);\n\t(*left)->buflen = length;\n\tmemcpy((*left)->buf, in->buf, length);",
    ));
    assert!(rules(&t).contains(&"VCH-TRI-006"), "{:#?}", t.findings);
    // The length grew after the allocation, or counts other units: the copy may not fit.
    for (line, code) in [(23, "\tn += 16;\n\tmemcpy(b->buf, src, n);"), (29, "\tmemcpy(b->buf, src, n * sizeof(int));")] {
        let t = tree.triage(&report(line, code));
        assert!(!rules(&t).contains(&"VCH-TRI-006"), "{line}: {:#?}", t.findings);
    }
}

#[test]
fn a_file_name_mistyped_once_beside_its_right_spelling_is_a_slip() {
    let tree = plain_tree(&[("libfaad/huffman.c", "int huffman_spectral_data_2(int cb)\n{\n    return cb;\n}\n")]);
    let t = tree.triage("# Incorrect table boundaries checks in huffmanc.c\n\nIn `huffman.c`, `huffman_spectral_data_2()` checks the table bounds too late.\n");
    let c = claim(&t, "file", "huffmanc.c");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("libfaad/huffman.c"), "{}", c.evidence);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // Named alone, the wrong name is a file the project does not have.
    let t =
        tree.triage("# Incorrect table boundaries checks in huffmanc.c\n\n`huffman_spectral_data_2()` checks the table bounds too late.\n");
    assert_eq!(claim(&t, "file", "huffmanc.c").status, Status::Contradicted);
}

#[test]
fn a_file_name_close_to_the_file_defining_a_function_beside_it_is_a_slip() {
    let tree = plain_tree(&[("cups/raster-interpret.c", "static int scan_ps(void *st, char **ptr)\n{\n  return **ptr;\n}\n")]);
    let t = tree.triage("# raster-interpreter.c: Fix crash in 'scan_ps()' found by fuzzer\n\nA fuzzer passes NULL into `scan_ps()`.\n");
    let c = claim(&t, "file", "raster-interpreter.c");
    assert_eq!(c.status, Status::Unverifiable, "{}", c.evidence);
    assert!(c.evidence.contains("cups/raster-interpret.c"), "{}", c.evidence);
    assert!(!t.flagged, "{} {:?}", t.score, t.reasons);
    // A name not that close, or with no function beside it: a file the project does not have.
    for title in ["# raster-printer.c: Fix crash in 'scan_ps()'", "# raster-interpreter.c: Fix crash in the scanner"] {
        let t = tree.triage(&format!("{title}\n\nA fuzzer passes NULL into `scan_ps()`.\n"));
        let name = if title.contains("printer") { "raster-printer.c" } else { "raster-interpreter.c" };
        assert_eq!(claim(&t, "file", name).status, Status::Contradicted, "{title}");
    }
}

#[test]
fn a_reproducer_releasing_what_it_does_not_own_is_found() {
    let header = "#ifndef OBJ_H\n#define OBJ_H\n\nstruct obj;\n\n/** Create an object; the caller owns it. */\nstruct obj *obj_new(void);\n\n/**\n * Look a member up.\n *\n * *No* reference counts will be changed: the member stays owned by `o`.\n */\nstruct obj *obj_get_member(struct obj *o, const char *key);\n\n/**\n * Add a member, transferring ownership of `val` to `o`:\n *   obj_add(o, \"k\", obj_new());\n */\nint obj_add(struct obj *o, const char *key, struct obj *val);\n\n/** Take a reference of one's own. */\nstruct obj *obj_ref(struct obj *o);\n\n/** Drop a reference; the object is freed with its last one. */\nvoid obj_put(struct obj *o);\n\n#endif\n";
    let source = "#include \"obj.h\"\n\nstruct obj *obj_new(void) { return calloc(1, sizeof(struct obj)); }\nstruct obj *obj_get_member(struct obj *o, const char *key) { return lookup(o, key); }\nint obj_add(struct obj *o, const char *key, struct obj *val) { return insert(o, key, val); }\nstruct obj *obj_ref(struct obj *o) { o->refs++; return o; }\nvoid obj_put(struct obj *o) { if (--o->refs == 0) free(o); }\n";
    let tree = plain_tree(&[("include/obj.h", header), ("src/obj.c", source)]);
    let report = |code: &str| {
        format!(
            "# Double free in obj_put\n\nThis program aborts in `obj_put()`:\n\n```c\nint main(void)\n{{\n{code}\n    return 0;\n}}\n```\n"
        )
    };
    let t = tree.triage(&report(
        "    struct obj *root = obj_new();\n    struct obj *m = obj_get_member(root, \"a\");\n    obj_put(m);\n    obj_put(root);",
    ));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-043").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("releases `m` with obj_put() though it got it from obj_get_member()"), "{}", f.message);
    assert!(f.message.contains("no reference counts will be changed"), "{}", f.message);
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // Handing over a borrowed member, or releasing what was handed over.
    let t = tree.triage(&report("    struct obj *a = obj_new();\n    struct obj *b = obj_new();\n    struct obj *m = obj_get_member(a, \"k\");\n    obj_add(b, \"k\", m);\n    obj_put(a);\n    obj_put(b);"));
    assert!(rules(&t).contains(&"VCH-TRI-043"), "{:#?}", t.findings);
    let t = tree.triage(&report(
        "    struct obj *a = obj_new();\n    struct obj *v = obj_new();\n    obj_add(a, \"k\", v);\n    obj_put(v);\n    obj_put(a);",
    ));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-043").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("after handing it to obj_add()") && f.message.contains("transferring ownership"), "{}", f.message);
    // A reference of its own first, or only what it created: the program keeps the contract.
    for code in [
        "    struct obj *root = obj_new();\n    struct obj *m = obj_get_member(root, \"a\");\n    obj_ref(m);\n    obj_put(m);\n    obj_put(root);",
        "    struct obj *a = obj_new();\n    struct obj *v = obj_new();\n    obj_put(v);\n    obj_put(a);",
    ] {
        let t = tree.triage(&report(code));
        assert!(!rules(&t).contains(&"VCH-TRI-043"), "{code}: {:#?}", t.findings);
    }
}

#[test]
fn a_reproducer_using_what_it_released_or_losing_what_it_made_is_found() {
    let header = "struct item;\n\n/** Create an object. */\nstruct item *item_create(void);\n/** Parse text into a new item. */\nstruct item *item_parse(const char *text);\n/** Print an item into a new string. */\nchar *item_print(const struct item *i);\n/** Delete an item and everything in it. */\nvoid item_delete(struct item *i);\n/** Empty a buffer for reuse. */\nvoid buf_free(struct buf *b);\n/** Append to a buffer. */\nint buf_add(struct buf *b, const char *s);\n";
    let source = "#include \"item.h\"\n\nstruct item *item_create(void) { return calloc(1, 8); }\nstruct item *item_parse(const char *text) { return parse(text); }\nchar *item_print(const struct item *i) { return render(i); }\nvoid item_delete(struct item *i) { free(i); }\nvoid buf_free(struct buf *b) { free(b->p); b->p = NULL; }\nint buf_add(struct buf *b, const char *s) { return grow(b, s); }\n";
    let tree = plain_tree(&[("include/item.h", header), ("src/item.c", source)]);
    let report =
        |title: &str, code: &str| format!("# {title}\n\nMy program:\n\n```c\nint main(void)\n{{\n{code}\n    return 0;\n}}\n```\n");
    let t = tree.triage(&report(
        "Use after free in item_print",
        "    struct item *m = item_create();\n    item_delete(m);\n    char *s = item_print(m);\n    puts(s);",
    ));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-044").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(
        f.message.contains("passes `m` to item_print()") && f.message.contains("releasing it itself with item_delete()"),
        "{}",
        f.message
    );
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    let t = tree.triage(&report(
        "Memory leak in item_delete",
        "    struct item *m = item_create();\n    m = item_parse(text);\n    item_delete(m);",
    ));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-044").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("gives `m` a new value") && f.message.contains("item_create()"), "{}", f.message);
    // A new value before the use, a structure emptied for reuse, an object released once after
    // its last use: the program is right.
    for (title, code) in [
        (
            "Use after free in item_print",
            "    struct item *m = item_create();\n    item_delete(m);\n    m = item_create();\n    char *s = item_print(m);",
        ),
        ("Use after free in buf_add", "    struct buf b = {0};\n    buf_free(&b);\n    buf_add(&b, \"x\");"),
        (
            "Memory leak in item_delete",
            "    struct item *m = item_create();\n    item_delete(m);\n    m = item_parse(text);\n    item_delete(m);",
        ),
    ] {
        let t = tree.triage(&report(title, code));
        assert!(!rules(&t).contains(&"VCH-TRI-044"), "{code}: {:#?}", t.findings);
    }
}

#[test]
fn a_reproducer_skipping_the_initialiser_is_found() {
    let header = "typedef struct doc_s {\n    int count;\n    struct node *nodes;\n} doc_t;\n\n/** Set a document up before use. */\nint doc_initialize(doc_t *doc, int flags);\n/** Add a scalar. */\nint doc_add_scalar(doc_t *doc, const char *value);\n/** Release what a document holds. */\nvoid doc_delete(doc_t *doc);\n/** Read a document from text. */\nint doc_load(doc_t *doc, const char *text);\n\ntypedef struct plain {\n    int n;\n} plain;\nint plain_add(plain *p, int v);\n";
    let source = "#include \"doc.h\"\n\nint doc_initialize(doc_t *doc, int flags)\n{\n    memset(doc, 0, sizeof(*doc));\n    return flags;\n}\n\nint doc_add_scalar(doc_t *doc, const char *value)\n{\n    doc->nodes[doc->count++].value = value;\n    return 1;\n}\n\nvoid doc_delete(doc_t *doc) { free(doc->nodes); }\nint doc_load(doc_t *doc, const char *text) { return parse(doc, text); }\nint plain_add(plain *p, int v) { return p->n += v; }\n";
    let tree = plain_tree(&[("include/doc.h", header), ("src/doc.c", source)]);
    let report = |code: &str| {
        format!(
            "# Heap buffer overflow in doc_add_scalar\n\nASan reports a write out of bounds in `doc_add_scalar()` with this program:\n\n```c\n#include <doc.h>\n\nint main(void)\n{{\n{code}\n    return 0;\n}}\n```\n"
        )
    };
    let t = tree
        .triage(&report("    doc_t document;\n    document.count = 0;\n    doc_add_scalar(&document, \"x\");\n    doc_delete(&document);"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-053").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(
        f.message.contains("declares `document`, a doc_t,")
            && f.message.contains("hands it to doc_add_scalar()")
            && f.message.contains("doc_initialize()"),
        "{}",
        f.message
    );
    assert_eq!(f.location.as_ref().map(|l| l.path.as_str()), Some("include/doc.h"));
    assert!(t.flagged, "{} {:?}", t.score, t.reasons);
    // Memory from malloc, cast or not, is no better.
    let t = tree.triage(&report("    doc_t *d = (doc_t *)malloc(sizeof(doc_t));\n    doc_add_scalar(d, \"x\");"));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-053").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("the memory `d` points at"), "{}", f.message);
    // Set up first (by the initialiser, a loader, memset or the reproducer's own helper), given an
    // initialiser in its declaration, zeroed because static, or a type with no initialiser: the
    // program keeps the contract, or vouch cannot tell.
    for code in [
        "    doc_t document;\n    doc_initialize(&document, 0);\n    doc_add_scalar(&document, \"x\");",
        "    doc_t document;\n    doc_load(&document, \"a: b\");\n    doc_add_scalar(&document, \"x\");",
        "    doc_t document;\n    memset(&document, 0, sizeof(document));\n    doc_add_scalar(&document, \"x\");",
        "    doc_t document;\n    my_setup(&document);\n    doc_add_scalar(&document, \"x\");",
        "    doc_t document = {0};\n    doc_add_scalar(&document, \"x\");",
        "    static doc_t document;\n    doc_add_scalar(&document, \"x\");",
        "    doc_t *d = calloc(1, sizeof(doc_t));\n    doc_add_scalar(d, \"x\");",
        "    plain p;\n    plain_add(&p, 1);",
    ] {
        let t = tree.triage(&report(code));
        assert!(!rules(&t).contains(&"VCH-TRI-053"), "{code}: {:#?}", t.findings);
    }
    // A type of the reproducer's own, even named like the project's.
    let own = "typedef struct doc_s { int count; } doc_t;\n\nint main(void)\n{\n    doc_t document;\n    doc_add_scalar(&document, \"x\");\n    return 0;\n}";
    let t = tree.triage(&format!("# Heap buffer overflow in doc_add_scalar\n\n```c\n{own}\n```\n"));
    assert!(!rules(&t).contains(&"VCH-TRI-053"), "{:#?}", t.findings);
}

#[test]
fn a_member_every_write_keeps_small_does_not_wrap() {
    let progress = "struct bar {\n  unsigned int tick;\n  int width;\n};\n\nstatic const int sinus[200] = {0};\n\nvoid fly(struct bar *bar, char *buf)\n{\n  int pos;\n  pos = sinus[bar->tick % 200];\n  buf[pos] = '#';\n  pos = sinus[(bar->tick + 15) % 200];\n  buf[pos] = '#';\n  bar->tick += 2;\n  if(bar->tick >= 200)\n    bar->tick -= 200;\n}\n\nvoid bar_init(struct bar *bar)\n{\n  bar->tick = 150;\n  bar->width = 79;\n}\n";
    let tree = plain_tree(&[("src/progress.c", progress)]);
    let wrap = fixture::line(progress, "pos = sinus[(bar->tick + 15) % 200];");
    let text = format!(
        "# Integer overflow in fly()\n\nIn `src/progress.c` line {wrap} the type of `tick` is `unsigned int`; bar->tick could be a large value, so `bar->tick + 15` wraps around to a small value.\n\n```c\n  pos = sinus[(bar->tick + 15) % 200];\n```\n"
    );
    let t = tree.triage(&text);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-045").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("keeps it at most 202"), "{}", f.message);
    assert!(f.message.contains("bar->tick + 15"), "{}", f.message);
    assert!(f.evidence.contains("bar->tick = 150;") && f.evidence.contains("bar->tick -= 200;"), "{}", f.evidence);
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // A write from input anywhere in the project leaves the member unbounded.
    let reader = "#include <stdio.h>\nstruct bar { unsigned int tick; int width; };\nvoid bar_load(struct bar *bar, FILE *f)\n{\n  bar->tick = (unsigned int)getc(f) << 24;\n}\n";
    let tree = plain_tree(&[("src/progress.c", progress), ("src/load.c", reader)]);
    let t = tree.triage(&text);
    assert!(!rules(&t).contains(&"VCH-TRI-045"), "{:#?}", t.findings);
    // An increase only made below a limit keeps the member small too.
    let queue = "struct q { unsigned short n; int items[16]; };\n\nvoid q_push(struct q *c, int v)\n{\n  if(c->n < 16)\n    c->items[c->n++] = v;\n}\n\nint q_last(struct q *c)\n{\n  return c->items[(c->n + 15) % 16];\n}\n";
    let qtree = plain_tree(&[("lib/queue.c", queue)]);
    let qline = fixture::line(queue, "return c->items[(c->n + 15) % 16];");
    let t = qtree.triage(&format!(
        "# Integer overflow in q_last\n\nAt `lib/queue.c:{qline}` the counter c->n grows without limit, so `c->n + 15` wraps.\n"
    ));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-045").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("keeps it at most 16") && f.message.contains("is at most 31"), "{}", f.message);
    // So does an increase nothing brings back.
    let unchecked = progress.replace("  if(bar->tick >= 200)\n    bar->tick -= 200;\n", "");
    let tree = plain_tree(&[("src/progress.c", &unchecked)]);
    let t = tree.triage(&text);
    assert!(!rules(&t).contains(&"VCH-TRI-045"), "{:#?}", t.findings);
}

#[test]
fn a_use_after_free_of_memory_the_caller_lends_is_the_callers() {
    let header = "struct handle {\n  char *errbuf;\n  char *name;\n  int verbose;\n};\n";
    let setopt = "#include \"handle.h\"\nint handle_set_errbuf(struct handle *h, char *ptr)\n{\n  h->errbuf = ptr;\n  return 0;\n}\nvoid handle_reset(struct handle *h)\n{\n  h->errbuf = NULL;\n}\n";
    let err = "#include <string.h>\n#include \"handle.h\"\nvoid handle_fail(struct handle *h, const char *msg)\n{\n  if(h->errbuf)\n    strcpy(h->errbuf, msg);\n}\n";
    let text = "# Heap use-after-free in handle_fail\n\nA heap use-after-free happens in `lib/err.c` when an error is reported after the error buffer was freed:\n\n```c\n  if(h->errbuf)\n    strcpy(h->errbuf, msg);\n```\n\nI found it with a fuzzer; the write goes to freed memory.\n";
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", setopt), ("lib/err.c", err)]);
    let t = tree.triage(text);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-046").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("no code of the project frees h->errbuf"), "{}", f.message);
    assert!(f.evidence.starts_with("lib/setopt.c:4: h->errbuf = ptr;"), "{}", f.evidence);
    assert_eq!(f.location.as_ref().map(|l| (l.path.as_str(), l.line)), Some(("lib/setopt.c", 4)));
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // A program of the project outside the library that frees its own member of that name is a
    // caller like any other.
    let tool = "#include <stdlib.h>\nstruct per { char *errbuf; };\nvoid per_done(struct per *p)\n{\n  free(p->errbuf);\n}\n";
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", setopt), ("lib/err.c", err), ("src/tool.c", tool)]);
    assert!(rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
    // Memory the library frees, or allocates itself, is its own.
    let freeing = format!("{setopt}void handle_close(struct handle *h)\n{{\n  free(h->errbuf);\n}}\n");
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", &freeing), ("lib/err.c", err)]);
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
    let allocating = setopt.replace("h->errbuf = NULL;", "h->errbuf = malloc(256);");
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", &allocating), ("lib/err.c", err)]);
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
    // So is memory the library itself hands the storing function.
    let internal =
        format!("{setopt}int handle_open(struct handle *h)\n{{\n  char *buf = malloc(256);\n  return handle_set_errbuf(h, buf);\n}}\n");
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", &internal), ("lib/err.c", err)]);
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
    // A caller that only passes on what it was given keeps it the application's.
    let relay = format!("{setopt}int handle_setopt(struct handle *h, int option, char *value)\n{{\n  if(option == 1)\n    return handle_set_errbuf(h,\n                              value);\n  return 1;\n}}\n");
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", &relay), ("lib/err.c", err)]);
    assert!(rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
    // So is a value copied from a local rather than taken from the caller.
    let local = setopt.replace("  h->errbuf = ptr;\n", "  char *copy = ptr;\n  h->errbuf = copy;\n");
    let tree = plain_tree(&[("lib/handle.h", header), ("lib/setopt.c", &local), ("lib/err.c", err)]);
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-046"));
}

#[test]
fn a_function_named_with_a_shortened_word_written_out_is_a_slip() {
    let http = "static int http_rw_hd(const char *buf, unsigned long blen)\n{\n  return buf[0] == '\\n' && blen > 0;\n}\n";
    let tree = plain_tree(&[("lib/http.c", http)]);
    let t = tree.triage("# Header splitting\n\nThe function `http_rw_headers()` in `lib/http.c` splits header lines on a bare LF.\n");
    let c = claim(&t, "function", "http_rw_headers");
    assert_eq!(c.status, Status::Confirmed, "{:#?}", c);
    assert!(c.evidence.contains("http_rw_hd is defined at lib/http.c:1"), "{}", c.evidence);
    // A name that differs in another word is not that function.
    let t = tree.triage("# Header splitting\n\nThe function `http_read_headers()` in `lib/http.c` splits header lines on a bare LF.\n");
    assert_eq!(claim(&t, "function", "http_read_headers").status, Status::Contradicted);
}

#[test]
fn an_overflow_needing_an_input_longer_than_the_project_accepts_is_answered() {
    let urldata = "#define MAX_INPUT_LENGTH 8000000 /* longest string option */\n";
    let dict = "#include <stdlib.h>\nstatic char *unescape_word(const char *in, size_t len)\n{\n  char *out = malloc(len * 2 + 1);\n  return out;\n}\n";
    let tree = plain_tree(&[("lib/urldata.h", urldata), ("lib/dict.c", dict)]);
    let policy = Policy::parse(
        "[triage]\n[[triage.input_limits]]\nmacro = \"MAX_INPUT_LENGTH\"\ninputs = [\"url\", \"setopt\"]\nexcept = [\"POSTFIELDS\"]\nfact = \"the library refuses URLs and string options longer than MAX_INPUT_LENGTH\"\nsource = \"https://example.org/docs/setopt\"\n",
    )
    .unwrap();
    let text = "# Integer overflow in unescape_word\n\nIn `lib/dict.c`, `malloc(len*2 + 1)` overflows on a 32-bit OS.\nThis happens when the url is longer than 2GB, so the allocation is too small.\n";
    let t = tree.triage_with(text, &policy);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-047").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("needs an input longer than 2 GiB"), "{}", f.message);
    assert!(f.message.contains("MAX_INPUT_LENGTH is 8000000 bytes at lib/urldata.h:1"), "{}", f.message);
    assert!(f.message.contains("(https://example.org/docs/setopt)"), "{}", f.message);
    assert!(t.score < 0.5 && t.flagged, "{} {:?}", t.score, t.reasons);
    // Without the policy's limit, an input the limit leaves out, one from a server, one within
    // the limit, or a version without the macro: nothing to say.
    assert!(!rules(&tree.triage(text)).contains(&"VCH-TRI-047"));
    for other in [
        text.replace("the url is", "the CURLOPT_POSTFIELDS data set with setopt is"),
        text.replace("the url is", "a malicious server sends a url"),
        text.replace("2GB", "4MB"),
    ] {
        assert!(!rules(&tree.triage_with(&other, &policy)).contains(&"VCH-TRI-047"), "{other}");
    }
    let older = plain_tree(&[("lib/dict.c", dict)]);
    assert!(!rules(&older.triage_with(text, &policy)).contains(&"VCH-TRI-047"));
    // A malformed limit is refused.
    let bad = Policy::parse("[triage]\n[[triage.input_limits]]\nmacro = \"\"\ninputs = [\"url\"]\nfact = \"x\"\n");
    assert!(bad.unwrap_err().contains("input_limits[0]"));
}

#[test]
fn a_reproducer_the_report_says_simulates_the_problem_runs_no_project_code() {
    let multi = "#include <stdlib.h>\nstruct multi { unsigned int count; void **handles; };\nvoid **multi_get_handles(struct multi *m)\n{\n  void **a = malloc(sizeof(void *) * (m->count + 1));\n  return a;\n}\n";
    let tree = plain_tree(&[("lib/multi.c", multi)]);
    let at = fixture::line(multi, "void **a = malloc(sizeof(void *) * (m->count + 1));");
    let report = |poc: &str| {
        format!(
            "# Integer overflow in multi_get_handles()\n\nIn `lib/multi.c` at line {at}, `m->count + 1` wraps when the count is UINT_MAX, so the allocation is too small.\n\n```c\n  void **a = malloc(sizeof(void *) * (m->count + 1));\n```\n\n## Proof of concept\n\n{poc}\n"
        )
    };
    let simulated = report("The Python simulation demonstrates the overflow concept:\n\n```python\n# Simulate integer overflow\ncount = 0xFFFFFFFF\nprint((count + 1) & 0xFFFFFFFF)\n```");
    let t = tree.triage(&simulated);
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-018").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("\"python simulation\""), "{}", f.message);
    assert!(f.report_line.is_some(), "{f:?}");
    assert!(t.score < 0.5, "{} {:?}", t.score, t.reasons);
    // The same words in a comment of the reporter's code.
    let commented = report("```python\n# Simulate integer overflow\ncount = 0xFFFFFFFF\nprint((count + 1) & 0xFFFFFFFF)\n```");
    assert!(rules(&tree.triage(&commented)).contains(&"VCH-TRI-018"));
    // A server simulating the other side is how genuine reports test.
    let server = report("A Python test server simulating the vulnerable peer sends the reply:\n\n```python\nimport socket\n```");
    assert!(!rules(&tree.triage(&server)).contains(&"VCH-TRI-018"), "{:#?}", tree.triage(&server).findings);
    // A trace of a run shows the project doing it, whatever the words.
    let traced = format!(
        "{commented}\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000010\n    #0 0x4c1 in multi_get_handles lib/multi.c:{at}:13\n```\n"
    );
    assert!(!tree.triage(&traced).findings.iter().any(|f| f.rule == "VCH-TRI-018" && f.message.contains("simulates")));
}

#[test]
fn a_program_that_computes_the_projects_line_on_values_it_sets_runs_no_project_code() {
    let send = "#include <stdlib.h>\nstruct part { unsigned long size; char *data; };\nint send_record(struct part *outbuf)\n{\n  size_t len;\n  len = outbuf[0].size + outbuf[1].size + outbuf[2].size;\n  return (int)len;\n}\n";
    let tree = plain_tree(&[("lib/send.c", send)]);
    let at = fixture::line(send, "len = outbuf[0].size + outbuf[1].size + outbuf[2].size;");
    let report = |program: &str| {
        format!(
            "# Integer overflow in send_record\n\nIn `lib/send.c` the three sizes are added without an overflow check:\n\n```c\n  len = outbuf[0].size + outbuf[1].size + outbuf[2].size;\n```\n\n## PoC\n\n```c\n{program}\n```\n"
        )
    };
    let math = "#include <stdio.h>\nstruct part { unsigned long size; };\nint main(void)\n{\n  struct part outbuf[3];\n  outbuf[0].size = 0x80000000;\n  outbuf[1].size = 0x80000001;\n  outbuf[2].size = 0;\n  size_t len = outbuf[0].size + outbuf[1].size + outbuf[2].size;\n  printf(\"%zx\\n\", len);\n  return 0;\n}";
    let t = tree.triage(&report(math));
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-018").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains(&format!("(lib/send.c:{at})")) && f.message.contains("`outbuf[0].size = 0x80000000;`"), "{}", f.message);
    assert_eq!(f.location.as_ref().map(|l| l.line), Some(at));
    // A program that runs the project's function is a reproducer, whatever it computes besides.
    let runs = math.replace("  printf(\"%zx\\n\", len);", "  printf(\"%zx\\n\", len);\n  send_record(outbuf);");
    assert!(!rules(&tree.triage(&report(&runs))).contains(&"VCH-TRI-018"));
    // And a second program that does makes the first an illustration beside the reproducer.
    let beside = format!("{math}\n```\n\n```c\nint main(void)\n{{\n  struct part p[3] = {{{{0}}}};\n  return send_record(p);\n}}");
    assert!(!rules(&tree.triage(&report(&beside))).contains(&"VCH-TRI-018"));
    // So is one whose operands come from elsewhere than its own literals.
    let read = math
        .replace("0x80000000", "strtoul(argv[1], NULL, 0)")
        .replace("0x80000001", "strtoul(argv[2], NULL, 0)")
        .replace("outbuf[2].size = 0;", "outbuf[2].size = strtoul(argv[3], NULL, 0);");
    assert!(!rules(&tree.triage(&report(&read))).contains(&"VCH-TRI-018"));
}

#[test]
fn a_call_said_skipped_that_is_made_after_the_test() {
    let code = |inside: bool| {
        format!(
            "#include \"pin.h\"\n\nCURLcode verify_peer(struct ctx *ctx, struct config *conn_config)\n{{\n  CURLcode result = CURLE_OK;\n\n  if(!conn_config)\n    return CURLE_FAILED_INIT;\n#ifdef USE_OTHER\n  result = other_check(ctx);\n#else\n  if(conn_config->verifyhost) {{\n    if(!check_host(ctx))\n      result = CURLE_PEER_FAILED_VERIFICATION;\n{}  }}\n  if(!result)\n    result = verify_pinned(ctx);\n{}#endif\n  return result;\n}}\n",
            if inside { "    if(!result)\n      result = verify_pinned(ctx);\n" } else { "" },
            if inside { "  /* done */\n" } else { "" },
        )
    };
    let text = "# Pinning bypass in lib/vtls/peer.c\n\nIn minihttp 2.0.0 the public key pinning is silently ignored with `--insecure`.\n\nThe issue is located in `lib/vtls/peer.c`. The pinning check (`verify_pinned`) appears to be conditionally skipped when the primary verification (`verifyhost`) is disabled via configuration.\n";
    let t = triage_tree("lib/vtls/peer.c", &code(false), text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-051").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(
        f.message.contains("verify_peer in lib/vtls/peer.c calls it at line 17 after its test of verifyhost at line 12"),
        "{}",
        f.message
    );
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // A report naming no file: the files that call the function are read.
    let unnamed = "# Pinning bypass\n\nIn minihttp 2.0.0 the public key pinning is silently ignored with `--insecure`.\n\nThe pinning check (`verify_pinned`) appears to be conditionally skipped when the primary verification (`verifyhost`) is disabled via configuration.\n";
    let t = triage_tree("lib/vtls/peer.c", &code(false), unnamed, &Policy::default());
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // Another file that makes the call only behind the test may be the one the report means.
    let gated = "#include \"pin.h\"\n\nCURLcode quic_verify(struct ctx *ctx, struct config *conn_config)\n{\n  CURLcode result = CURLE_OK;\n  if(conn_config->verifyhost)\n    result = verify_pinned(ctx);\n  return result;\n}\n";
    let t = triage_files(&[("lib/vtls/peer.c", &code(false)), ("lib/vquic/quic.c", gated)], unnamed);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    let t =
        triage_files(&[("lib/vtls/peer.c", &code(false)), ("lib/vquic/quic.c", &gated.replace("verify_pinned", "check_other"))], unnamed);
    assert!(t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A call inside the test is skipped when the setting is off: the report may be right.
    let inside = code(true).replace("  if(!result)\n    result = verify_pinned(ctx);\n  /* done */", "  /* done */");
    assert!(inside.matches("verify_pinned").count() == 1, "{inside}");
    let t = triage_tree("lib/vtls/peer.c", &inside, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A test that returns when the setting is off keeps the call from running.
    let leaves =
        code(false).replace("  if(conn_config->verifyhost) {\n", "  if(!conn_config->verifyhost) {\n    return CURLE_OK;\n  }\n  {\n");
    let t = triage_tree("lib/vtls/peer.c", &leaves, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A flag the test sets, which the call then needs, makes the call depend on the setting.
    let flag = code(false)
        .replace("  CURLcode result = CURLE_OK;\n", "  CURLcode result = CURLE_OK;\n  bool pin = FALSE;\n")
        .replace("    if(!check_host(ctx))\n", "    pin = TRUE;\n    if(!check_host(ctx))\n")
        .replace("  if(!result)\n    result = verify_pinned", "  if(pin)\n    result = verify_pinned");
    let t = triage_tree("lib/vtls/peer.c", &flag, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A test that sets the error code when the setting is off keeps the call from running.
    let off = code(false).replace("  if(conn_config->verifyhost) {\n", "  if(!conn_config->verifyhost) {\n");
    let t = triage_tree("lib/vtls/peer.c", &off, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A macro that may return, used between the test and the call, may keep it from running.
    let hidden = code(false)
        .replace(
            "#include \"pin.h\"\n",
            "#include \"pin.h\"\n#define NEED(x) do { \\\n  if(!(x)) \\\n    return CURLE_BAD; \\\n} while(0)\n",
        )
        .replace("  if(!result)\n    result = verify_pinned", "  NEED(ctx);\n  if(!result)\n    result = verify_pinned");
    assert!(hidden.contains("NEED(ctx);") && hidden.contains("return CURLE_BAD; \\\n"), "{hidden}");
    let t = triage_tree("lib/vtls/peer.c", &hidden, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
    // A caller that only calls the function when the setting is on skips the call with it.
    let gated = format!("{}\nCURLcode connect_peer(struct ctx *ctx, struct config *conn_config)\n{{\n  if(conn_config->verifyhost)\n    return verify_peer(ctx, conn_config);\n  return CURLE_OK;\n}}\n", code(false));
    let t = triage_tree("lib/vtls/peer.c", &gated, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-051"), "{:#?}", t.findings);
}

#[test]
fn a_library_contract_known_without_a_policy() {
    let code = |registered: bool| {
        format!(
            "#include <nghttp2/nghttp2.h>\n#include <stdio.h>\n\nstatic int on_header(nghttp2_session *s, const nghttp2_frame *frame, const uint8_t *name, size_t namelen,\n                     const uint8_t *value, size_t valuelen, uint8_t flags, void *userp)\n{{\n  printf(\"%s: %s\\n\", name, value);\n  return 0;\n}}\n\nint h2_setup(nghttp2_session_callbacks *cbs)\n{{\n{}  return 0;\n}}\n",
            if registered { "  nghttp2_session_callbacks_set_on_header_callback(\n    cbs, on_header);\n" } else { "" }
        )
    };
    let text = "# Heap over-read in lib/h2.c on_header\n\nIn minihttp 2.0.0, `on_header()` in `lib/h2.c` prints `name` and `value` with `%s`, but the header name and value are not null-terminated, so printf reads past the end of the heap buffer.\n";
    let t = triage_tree("lib/h2.c", &code(true), text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-035").unwrap_or_else(|| panic!("{:#?}", t.findings));
    assert!(f.message.contains("of `on_header`") && f.message.contains("nghttp2 documents"), "{}", f.message);
    assert!(t.flagged, "score {} {:?}", t.score, t.reasons);
    // A project that registers no header callback with nghttp2 is not bound by it.
    let t = triage_tree("lib/h2.c", &code(false), text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-035"), "{:#?}", t.findings);
}

#[test]
fn a_subtraction_called_an_overflow_that_only_runs_with_its_operands_in_order() {
    let head = "#include <stdlib.h>\n\nlong range_size(long from, long to, long size)\n{\n  if(to >= size)\n    to = size - 1;\n";
    let guarded = format!(
        "{head}  if(from > to) {{\n    from = to;\n    size = 0;\n  }}\n  else {{\n    size = to - from + 1;\n  }}\n  return size;\n}}\n"
    );
    let open = format!("{head}  if(from > 3) {{\n    size = 0;\n  }}\n  else {{\n    size = to - from + 1;\n  }}\n  return size;\n}}\n");
    let n = guarded.lines().position(|l| l.contains("to - from")).unwrap() + 1;
    let text = format!(
        "# Integer overflow in lib/range.c\n\nFile: lib/range.c\n\nIn range_size(), at line {n}, the size is computed as `to - from + 1`:\n\n```c\nsize = to - from + 1;\n```\n\nIf to is close to the maximum, the subtraction overflows, which is an integer overflow.\n"
    );
    let t = triage_tree("lib/range.c", &guarded, &text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-022").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("to - from") && f.message.contains("else"), "{}", f.message);
    assert!(t.flagged, "{:#?}", t.reasons);

    // Without the test, nothing orders the operands.
    let t = triage_tree("lib/range.c", &open, &text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-022"), "{:#?}", t.findings);
}

#[test]
fn a_cited_line_calling_the_projects_wrapper_of_the_named_function_holds() {
    let code = "#include <stdlib.h>\n\nstruct buf { char *p; };\n\nvoid buf_free(struct buf *b)\n{\n  free(b->p);\n  b->p = NULL;\n}\n\nint name_decode(struct buf *b, int left)\n{\n  if(left <= 0) {\n    buf_free(b);\n    return -1;\n  }\n  return 0;\n}\n";
    let text = "# Free of an uninitialised pointer in lib/name.c\n\nIn `name_decode()` (`lib/name.c`), when `left` is 0, line 14 is executed, `free()`-ing the pointer.\n";
    let t = triage_tree("lib/name.c", code, text, &Policy::default());
    let c = claim(&t, "line", "lib/name.c:14");
    assert_eq!(c.status, Status::Confirmed, "{c:#?}");
    assert!(c.evidence.contains("buf_free"), "{}", c.evidence);
}

#[test]
fn an_over_read_said_to_follow_from_an_underflow_of_an_ordered_subtraction() {
    let code = "#include <string.h>\n\nint frame_body(const unsigned char *msg, size_t len, size_t off, unsigned char *out)\n{\n  if(len < off)\n    return -1;\n  size_t n = len - off;\n  memcpy(out, msg + off, n);\n  return 0;\n}\n";
    let text = "# Heap over-read in frame_body\n\nIn `lib/frame.c`, `frame_body()` computes the body length at line 7:\n\n```c\n  size_t n = len - off;\n```\n\nWhen `off` is larger than `len` the length underflows and the copy reads far past the message: a heap buffer over-read.\n";
    let t = triage_tree("lib/frame.c", code, text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-022").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("len - off") && f.message.contains("after"), "{}", f.message);
}

#[test]
fn input_said_to_be_run_as_a_command_by_a_project_that_runs_none() {
    let expand = "#include <string.h>\n\nint expand(char *out, const char *in, size_t n)\n{\n  if(strlen(in) >= n)\n    return -1;\n  strcpy(out, in);\n  return 0;\n}\n";
    let text = "# OS Command Injection in expand()\n\nThe `expand()` function in `lib/expand.c` takes user-controlled input without sanitisation, which is then evaluated and executed, so an attacker runs arbitrary shell commands.\n";
    let t = triage_tree("lib/expand.c", expand, text, &Policy::default());
    let f = t.findings.iter().find(|f| f.rule == "VCH-TRI-052").unwrap_or_else(|| panic!("{:#?} {:#?}", t.findings, t.claims));
    assert!(f.message.contains("lib/expand.c:3"), "{}", f.message);
    // An issue form's own instructions, left in italics, say nothing about the input.
    let form = "# Crash in expand()\n\n### Steps to reproduce\n_Please explain the steps required, e.g. what shell commands to enter._\n\n`expand()` in `lib/expand.c` crashes on a long line.\n";
    let t = triage_tree("lib/expand.c", expand, form, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-052"), "{:#?}", t.findings);

    // A project whose C code opens a pipe to a command can run one.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("minihttp-2.0.0");
    std::fs::create_dir_all(root.join("lib")).unwrap();
    std::fs::write(root.join("lib/expand.c"), expand).unwrap();
    std::fs::write(
        root.join("lib/hook.c"),
        "#include <stdio.h>\n\nint hook(const char *cmd)\n{\n  FILE *p = popen(cmd, \"r\");\n  return p ? pclose(p) : -1;\n}\n",
    )
    .unwrap();
    let t = triage_in(&root, text, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-052"), "{:#?}", t.findings);

    // Nor is anything said about a report on a script, or one on a memory-corruption exploit.
    std::fs::remove_file(root.join("lib/hook.c")).unwrap();
    std::fs::write(root.join("lib/gen.sh"), "#!/bin/sh\neval \"$1\"\n").unwrap();
    let script = "# OS Command Injection in lib/gen.sh\n\nThe argument of `lib/gen.sh` is then evaluated and executed by the shell; `expand()` in `lib/expand.c` calls nothing of it.\n";
    let t = triage_in(&root, script, &Policy::default());
    assert_eq!(claim(&t, "file", "lib/gen.sh").status, Status::Confirmed);
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-052"), "{:#?}", t.findings);
    let exploit = "# Overflow in expand()\n\nThe copy in `expand()` (`lib/expand.c`) overwrites the return address, and the shellcode then runs a shell command.\n";
    let t = triage_in(&root, exploit, &Policy::default());
    assert!(!t.findings.iter().any(|f| f.rule == "VCH-TRI-052"), "{:#?}", t.findings);
}
