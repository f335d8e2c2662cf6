//! One small hand-written report per extraction rule.

use vouch_claims::{
    parse, parse_bytes, BlockKind, Claim, ClaimKind, InputSource, Limits, Origin, ParseError, Report, TraceKind, VulnClass,
};

const HEADER: &str = "# CVE-2026-0001: test\n\n| | |\n|---|---|\n| **Report ID** | [42](https://hackerone.com/reports/42) |\n| **Program** | curl |\n| **Weakness** | Heap Overflow |\n| **Asset** | https://github.com/curl/curl |\n| **CVE** | CVE-2026-0001, CVE-2025-14524 |\n| **Disclosed** | 2026-03-11 |\n\n";

fn report(body: &str) -> Report {
    parse(&format!("{HEADER}{body}"), &Limits::default()).expect("parses")
}

fn of(r: &Report, kind: ClaimKind) -> Vec<&Claim> {
    r.claims.iter().filter(|c| c.kind == kind).collect()
}

fn texts(r: &Report, kind: ClaimKind) -> Vec<String> {
    of(r, kind).iter().map(|c| c.text.clone()).collect()
}

fn find<'a>(r: &'a Report, kind: ClaimKind, text: &str) -> &'a Claim {
    r.claims.iter().find(|c| c.kind == kind && c.text == text).unwrap_or_else(|| panic!("no {kind:?} {text}: {:#?}", r.claims))
}

#[test]
fn metadata_and_ids() {
    let r = report("See GHSA-abcd-efgh-2345 and cwe-122.\n");
    assert_eq!(r.meta.id.as_deref(), Some("42"));
    assert_eq!(r.meta.project.as_deref(), Some("curl"));
    assert_eq!(r.meta.date.as_deref(), Some("2026-03-11"));
    let cves = of(&r, ClaimKind::Cve);
    assert!(cves.iter().all(|c| c.origin == Origin::Metadata));
    assert_eq!(texts(&r, ClaimKind::Cve), vec!["CVE-2026-0001", "CVE-2025-14524"]);
    assert_eq!(texts(&r, ClaimKind::Ghsa), vec!["GHSA-abcd-efgh-2345"]);
    assert_eq!(texts(&r, ClaimKind::Cwe), vec!["CWE-122"]);
    assert_eq!(r.class, Some(VulnClass::BufferOverflow));
}

#[test]
fn files_lines_and_citations() {
    let r = report(
        "The bypass at `http.c:822` skips the check; see lib/ws.c:581 and line 704 of lib/http.c.\n\
         Also lines 10-12 in `lib/url.c`, and (lib/smb.c ~line 398-435).\n\n\
         **The netrc bypass** (`lib/http.c:820-827`):\n```c\n  if(Curl_auth_allowed_to_host(data)\n    result = output_auth_headers(data);\n```\n",
    );
    assert!(texts(&r, ClaimKind::File).contains(&"http.c".to_string()));
    let lines = texts(&r, ClaimKind::Line);
    for want in ["http.c:822", "lib/ws.c:581", "lib/http.c:704", "lib/url.c:10-12", "lib/smb.c:398-435", "lib/http.c:820-827"] {
        assert!(lines.contains(&want.to_string()), "{want} missing from {lines:?}");
    }
    let b = r.blocks.iter().find(|b| b.kind == BlockKind::ProjectCode).expect("project block");
    let cited = b.cited.as_ref().unwrap();
    assert_eq!((cited.file.as_deref(), cited.lines), (Some("lib/http.c"), Some((820, 827))));
    let s = find(&r, ClaimKind::Snippet, "if(Curl_auth_allowed_to_host(data)");
    assert_eq!((s.file.as_deref(), s.lines, s.origin), (Some("lib/http.c"), Some((820, 827)), Origin::ProjectCode));
    assert!(s.code.as_deref().unwrap().contains("output_auth_headers"));
    // The Line claim for the cited range carries the quoted code.
    assert!(find(&r, ClaimKind::Line, "lib/http.c:820-827").code.is_some());
    // Functions called in project code are ProjectCode functions tied to the cited file.
    let f = r.claims.iter().find(|c| c.kind == ClaimKind::Function && c.text == "output_auth_headers").unwrap();
    assert_eq!((f.origin, f.file.as_deref()), (Origin::ProjectCode, Some("lib/http.c")));
}

#[test]
fn unfenced_quote_opened_by_a_file_comment() {
    let r = report(
        "Technical Root Cause\n\n// File: src/tool_cfgable.c (Line ~512)\ngetstr(&config->output, nextarg, DENY_BLANK); // CWE-22: no validation\n\nNo normalisation is performed on the path.\n",
    );
    let b = r.blocks.iter().find(|b| b.kind == BlockKind::ProjectCode).expect("project block");
    let cited = b.cited.as_ref().unwrap();
    assert_eq!((cited.file.as_deref(), cited.lines), (Some("src/tool_cfgable.c"), Some((512, 512))));
    let s = find(&r, ClaimKind::Snippet, "getstr(&config->output, nextarg, DENY_BLANK); // CWE-22: no validation");
    assert_eq!((s.file.as_deref(), s.origin), (Some("src/tool_cfgable.c"), Origin::ProjectCode));
    // The comment's line number is a claim of the report's own text.
    let l = find(&r, ClaimKind::Line, "src/tool_cfgable.c:512");
    assert_eq!(l.origin, Origin::Prose);
}

#[test]
fn a_fix_opened_by_a_comment_naming_its_file_is_the_reporters() {
    let r = report(
        "The fix is a one-line change:\n\n```c\n/* lib/vtls/hostcheck.c: replace the guard at line 96 */\n  if(hostlen >= sizeof(copy))\n    return FALSE;\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(!r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Line).iter().all(|c| c.origin != Origin::Prose || c.code.is_none()), "{:#?}", r.claims);
}

#[test]
fn code_written_after_a_pattern_of_the_project_is_the_reporters() {
    let r = report(
        "The fix should check the effective host, similar to the pattern in `url.c:3235`:\n```c\nconst char *check_host = conn->bits.conn_to_host ?\n                         conn->conn_to_host.name : conn->host.name;\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(!r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:#?}", r.blocks);
    // The reporter's code is not attached to the line the sentence points at.
    assert!(of(&r, ClaimKind::Line).iter().all(|c| c.code.is_none()), "{:#?}", r.claims);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:#?}", r.claims);
}

#[test]
fn inline_code_shown_for_a_cited_line() {
    let r = report(
        "The function at `lib/urlapi.c:836` checks `if(ISSLASH(*input))` only.\n\
         - `lib/urlapi.c:1233`: `dedotdotify(path, pathlen, &dedot)` is called on the raw path\n\
         - `lib/url.c:1077` | `url_match_auth_ntlm()` |\n\
         - `lib/easy.c:970` sets `data->share` and lib/setopt.c:88 takes `verifypeer=0`.\n\
         The `ISCNTRL()` filter at `lib/ftp.c:3095` expands to `ISLOWCNTRL(x) || IS7F(x)`.\n",
    );
    let code = |t: &str| find(&r, ClaimKind::Line, t).code.clone();
    // What the line's code expands to is not what the line holds.
    assert_eq!(code("lib/ftp.c:3095"), None);
    assert_eq!(code("lib/urlapi.c:836").as_deref(), Some("if(ISSLASH(*input))"));
    assert_eq!(code("lib/urlapi.c:1233").as_deref(), Some("dedotdotify(path, pathlen, &dedot)"));
    // Names of functions, member paths and settings are not code shown for the line.
    for t in ["lib/url.c:1077", "lib/easy.c:970", "lib/setopt.c:88"] {
        assert_eq!(code(t), None, "{t}");
    }
}

#[test]
fn data_files_in_folders() {
    let r = report(
        "The key in tests/data/server-key.pem and the credentials in `docs/examples/auth.txt` are real.\n\
         I saved the output to out.txt, /tmp/run/log.json and ~/dump/x.json; see example.com/a.json, .gitleaks/report.json and text/html.\n",
    );
    let files = texts(&r, ClaimKind::File);
    assert!(files.contains(&"tests/data/server-key.pem".to_string()), "{files:?}");
    assert!(files.contains(&"docs/examples/auth.txt".to_string()), "{files:?}");
    for not in
        ["out.txt", "/tmp/run/log.json", "tmp/run/log.json", "~/dump/x.json", "example.com/a.json", ".gitleaks/report.json", "text/html"]
    {
        assert!(!files.contains(&not.to_string()), "{not} in {files:?}");
    }
}

#[test]
fn poc_is_reporter_code() {
    let r = report(
        "Save as `poc.c`:\n\n```c\n#include <curl/curl.h>\nstatic int helper(int x) { return x; }\nint main(void) {\n  CURL *h = curl_easy_init();\n  curl_easy_setopt(h, CURLOPT_URL, \"http://x\");\n  curl_easy_perform(h);\n  printf(\"%d\", helper(1));\n  return 0;\n}\n```\n\nCompile with `gcc poc.c -lcurl` and run `python3 redirect_servers.py`.\n",
    );
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode).count(), 1);
    let api = texts(&r, ClaimKind::Api);
    for want in ["curl_easy_init", "curl_easy_setopt", "curl_easy_perform", "CURLOPT_URL"] {
        assert!(api.contains(&want.to_string()), "{want} not in {api:?}");
    }
    assert!(!api.iter().any(|a| a == "printf" || a == "helper" || a == "main"));
    assert!(of(&r, ClaimKind::Function).is_empty(), "{:?}", of(&r, ClaimKind::Function));
    assert!(of(&r, ClaimKind::File).is_empty(), "reporter files claimed: {:?}", of(&r, ClaimKind::File));
}

#[test]
fn a_demo_or_code_through_the_projects_namespace_is_the_reporters() {
    // Code after a bare "demo:", even without a fence.
    let r = report("demo:\nstd::queue<Json::Value> _queue;\nthread1:\nJson::Value root;\nroot[\"Name\"] = \"Lucy\";\n_queue.push(root);\n\nIt crashes.\n");
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(!r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:#?}", r.blocks);
    // C++ that reaches the project through its namespace on several lines (the project is curl
    // here, as the header says).
    let r = report("The following code crashes:\n\n```\nclass Config {\n  curl::easy handle;\n  curl::options opts;\n  Config() { handle.perform(); }\n};\n```\n");
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode).count(), 1, "{:#?}", r.blocks);
    // One qualified name is not enough.
    let r = report(
        "The following code crashes:\n\n```\nstatic int setup(struct conn *c)\n{\n  c->h = curl::easy();\n  return c->h == NULL;\n}\n```\n",
    );
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ProjectCode).count(), 1, "{:#?}", r.blocks);
}

#[test]
fn code_after_saying_there_is_no_poc_is_the_projects() {
    let r = report(
        "## Steps To Reproduce:\nI don't have PoC, but here there is a little description of the problem (vulnerable code)\n\n```\nstatic CURLcode header_append(struct Curl_easy *data, size_t length)\n{\n  size_t newsize = k->hbuflen + length; // <-- here\n  if(newsize > CURL_MAX_HTTP_HEADER) {\n    return CURLE_OUT_OF_MEMORY;\n  }\n  memcpy(k->hbufp, k->str_start, length);\n}\n```\n",
    );
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ProjectCode).count(), 1, "{:#?}", r.blocks);
    assert_eq!(find(&r, ClaimKind::Function, "header_append").origin, Origin::ProjectCode);
    // The same code under "Here is my PoC" is the reporter's.
    let r = report(
        "## Steps To Reproduce:\nHere is my PoC:\n\n```\nstatic CURLcode header_append(struct Curl_easy *data, size_t length)\n{\n  size_t newsize = k->hbuflen + length;\n  memcpy(k->hbufp, k->str_start, length);\n}\n```\n",
    );
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode).count(), 1, "{:#?}", r.blocks);
}

#[test]
fn scripts_commands_logs() {
    let r = report(
        "Run:\n\n```bash\n./configure --with-openssl\nmake -j4\ncurl -v http://127.0.0.1:8080/\n```\n\nServer:\n\n```python\nimport socket\ns = socket.socket()\n```\n\nOutput:\n\n```\nHTTP/1.1 200 OK\nContent-Length: 2\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::Command, BlockKind::ReporterCode, BlockKind::Log]);
    assert!(of(&r, ClaimKind::Api).is_empty());
    // An unlabelled PHP page serving the test: the reporter's, however code-like its lines.
    let r = report(
        "1. [Prepare the following php.]\n```\n<?php\n$random = rand(0, 1);\nif($random == 0){\n        header(\"strict-transport-security: max-age=9999\");\n}\n?>\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::ReporterCode]);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
    // PHP written into a container by a shell here-document: its curl_* calls are PHP's binding,
    // not the C API; the CURLOPT constants are the project's.
    let r = report(
        "```\npodman exec -i app bash -lc 'cat > /var/www/html/probe.php' <<'PHP'\n<?php\nfunction http($u){\n  $ch=curl_init($u);\n  curl_setopt($ch,CURLOPT_COOKIEFILE,'/tmp/j');\n  $r=curl_exec($ch); curl_close($ch); return $r;\n}\nPHP\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::ReporterCode]);
    let api = texts(&r, ClaimKind::Api);
    assert!(!api.iter().any(|a| a.starts_with("curl_")), "{api:?}");
    assert!(api.contains(&"CURLOPT_COOKIEFILE".to_string()), "{api:?}");
    // A Perl test server with its interpreter line: the reporter's, and Perl's builtins are no API.
    let r = report(
        "Here's a sample server:\n```\n#!/usr/bin/env perl\nuse strict;\nmy $sock = IO::Socket::INET->new(LocalPort => 8080);\nwhile (my $c = $sock->accept()) {\n  print $c join(\"\\r\\n\", map { \"a:\" } 1..300000);\n  next unless substr($line, 0, 1);\n}\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::ReporterCode]);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
    assert!(of(&r, ClaimKind::Api).is_empty() && of(&r, ClaimKind::Function).is_empty(), "{:?}", r.claims);
}

#[test]
fn a_fragment_under_a_poc_heading_or_build_comment_is_the_reporters() {
    // No `main`, but a heading and a first comment that say it is the reproducer.
    let r = report(
        "### PoC\n#### Minimal C reproduction (with ASan):\n```C\n// Compile x509asn1.c with -fsanitize=address\nuint8_t bitstring[] = {0x00, 0x30, 0x02, 0x02, 0x00};\nuint8_t *buf = malloc(sizeof(bitstring));\nmemcpy(buf, bitstring, sizeof(bitstring));\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
}

#[test]
fn a_block_whose_first_comment_calls_it_application_code_is_the_reporters() {
    // The sentence before names the API the code calls; the comment says whose code it is.
    let r = report(
        "Applications that call `curl_easy_escape()` directly are fully vulnerable:\n\n```c\n// Vulnerable application code\nchar *user_data = get_untrusted_input();\nint user_length = get_untrusted_length();\nchar *encoded = curl_easy_escape(NULL, user_data, user_length);\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
    // Without that comment, the same lines after the same sentence are read as quoted code.
    let r = report(
        "Applications that call `curl_easy_escape()` directly are fully vulnerable:\n\n```c\nchar *user_data = get_untrusted_input();\nint user_length = get_untrusted_length();\nchar *encoded = curl_easy_escape(NULL, user_data, user_length);\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:?}", r.blocks);
}

#[test]
fn suggested_fix_is_not_project_code() {
    let r = report(
        "## Suggested Fix\n\nOption B — make `url_match_result()` check the result:\n\n```c\nstatic bool url_match_result(bool result) {\n  if(result && found) {\n    Curl_attach_connection(a, b);\n  }\n}\n```\n",
    );
    assert!(r.blocks.iter().all(|b| b.kind != BlockKind::ProjectCode));
    assert!(of(&r, ClaimKind::Snippet).is_empty());
}

#[test]
fn functions_in_prose() {
    let r = report(
        "The netrc bypass skips `Curl_auth_allowed_to_host()`; `Curl_pretransfer()` drops it. Then smb_send_open() reads.\n\
         The `mev_assess` helper and `match_ssl_primary_config` at `lib/vtls/vtls.c:194-225` matter.\n\
         Vulnerable code location: **lib/tftp.c**, function: **tftp_parse_option_ack**; the bold setting **max_body_size** is not.\n\
         **Function:** mqtt_decode_len\n\
         A stack overflow is in the wssl_strerror function of cURL's wolfSSL backend; the read_all_cb function of the harness is not curl's.\n\
         Not functions: `--netrc`, `native_ca_store`, plain words (like this), `STRING_BEARER`.\n\
         The DNS resolution function Curl_ipv4_resolve_r located in lib/amigaos.c overflows; the option ssl_verify located in a config is not.\n\
         Decompression functions like inflate_stream run in loops, and functions such as brotli_do_write too; values like max_body_len are not.\n",
    );
    let f = texts(&r, ClaimKind::Function);
    assert!(!f.contains(&"max_body_size".to_string()), "{f:?}");
    assert!(!f.contains(&"read_all_cb".to_string()), "{f:?}");
    for want in [
        "Curl_auth_allowed_to_host",
        "Curl_pretransfer",
        "smb_send_open",
        "mev_assess",
        "match_ssl_primary_config",
        "tftp_parse_option_ack",
        "Curl_ipv4_resolve_r",
        "inflate_stream",
        "brotli_do_write",
    ] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:?}");
    }
    for not in ["netrc", "native_ca_store", "like", "STRING_BEARER", "ssl_verify", "max_body_len"] {
        assert!(!f.contains(&not.to_string()), "{not} in {f:?}");
    }
    assert_eq!(find(&r, ClaimKind::Function, "match_ssl_primary_config").file.as_deref(), Some("lib/vtls/vtls.c"));
    assert_eq!(find(&r, ClaimKind::Function, "Curl_ipv4_resolve_r").file.as_deref(), Some("lib/amigaos.c"));
}

#[test]
fn a_line_number_without_a_file_is_the_only_files() {
    // One source file named: the report's bare line numbers are that file's.
    let r = report("The bug is in lib/vssh/libssh2.c.\n\nIn ssh_statemach_act(), at line 2547, the size wraps.\n");
    assert_eq!(find(&r, ClaimKind::Line, "lib/vssh/libssh2.c:2547").lines, Some((2547, 2547)));
    // Two files: whose line it is cannot be told.
    let r = report("The bug is in lib/a.c, called from lib/b.c.\n\nAt line 25, the size wraps.\n");
    assert!(of(&r, ClaimKind::Line).is_empty(), "{:#?}", r.claims);
    // A line of the reporter's program or its output is not the project's.
    let r = report("The bug is in lib/a.c.\n\nLine 12 of the PoC output shows the crash.\n");
    assert!(of(&r, ClaimKind::Line).is_empty(), "{:#?}", r.claims);
    // A report that cites a line with its file already says which lines it means.
    let r = report("The bug is in lib/a.c:40.\n\nAt line 25 the size wraps.\n");
    assert_eq!(texts(&r, ClaimKind::Line), vec!["lib/a.c:40".to_string()]);
}

#[test]
fn an_analysers_file_colon_space_line_is_a_line() {
    let r = report("> Source: inflate.c: 430, inflate.c: 433\n\nSee lib/x.c: the start, and lib/y.c: 12 words.\n");
    for want in ["inflate.c:430", "inflate.c:433", "lib/y.c:12"] {
        assert!(texts(&r, ClaimKind::Line).contains(&want.to_string()), "{want}: {:#?}", r.claims);
    }
    assert!(!texts(&r, ClaimKind::Line).iter().any(|t| t.starts_with("lib/x.c")), "{:#?}", r.claims);
}

#[test]
fn compiler_diagnostics_are_output_naming_project_lines() {
    let r = report(
        "inflate.c triggers the following warning in clang:\n\n```\ninflate.c:1507:61: warning: shifting a negative signed value is undefined [-Wshift-negative-value]\n    if (strm == Z_NULL) return -1L << 16;\n                                ~~~ ^\ndeflate.c:90:3: note: expanded from macro\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::Log), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:#?}", r.claims);
    let l = find(&r, ClaimKind::Line, "inflate.c:1507");
    assert_eq!(l.origin, Origin::Trace);
    assert_eq!(l.code.as_deref(), Some("if (strm == Z_NULL) return -1L << 16;"));
    // A diagnostic with no source line under it quotes none.
    assert_eq!(find(&r, ClaimKind::Line, "deflate.c:90").code, None);
    // The file the output is about is the project's, not a file of the reporter.
    assert!(texts(&r, ClaimKind::File).contains(&"inflate.c".to_string()), "{:#?}", r.claims);
}

#[test]
fn code_fenced_inside_a_markdown_quote_is_read_without_the_quote_marks() {
    let r = report(
        "As the reviewer explained:\n\n> We don't do anything with the tag bindings until later:\n>\n> ```\n>   while (tag->bindings) {\n>     BINDING *b = tag->bindings;\n> ```\n",
    );
    let s = of(&r, ClaimKind::Snippet);
    assert_eq!(s.len(), 1, "{:#?}", r.claims);
    assert!(s[0].text.starts_with("while (tag->bindings) {"), "{:#?}", s[0]);
    assert!(!s.iter().any(|c| c.text.contains('>') && !c.text.contains("->")), "{:#?}", s);
}

#[test]
fn an_include_line_names_a_header_the_program_uses_not_the_file_quoted() {
    let r = report(
        "following code reproduces the issue\n\n    #include <stdlib.h>\n    #include <jq.h>\n\n    int my_parse(jq_state *jq)\n    {\n        jv value = jv_parser_next(parser);\n        return 0;\n    }\n",
    );
    let code: Vec<_> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).collect();
    assert_eq!(code.len(), 1, "{:#?}", r.blocks);
    assert!(code[0].cited.as_ref().is_none_or(|c| c.file.is_none()), "{:#?}", code[0]);
    assert_eq!(code[0].kind, BlockKind::ReporterCode, "{:#?}", code[0]);
    // A comment naming the file still cites it.
    let r = report("The code:\n\n```c\n# lib/ws.c\nsize_t n = strlen(name);\nmemcpy(buf, name, n);\n```\n");
    let b = r.blocks.iter().find(|b| b.kind != BlockKind::Prose).expect("a code block");
    assert_eq!(b.cited.as_ref().and_then(|c| c.file.as_deref()), Some("lib/ws.c"), "{:#?}", b);
}

#[test]
fn a_cue_word_inside_another_word_is_no_cue() {
    // "script" in "Description" does not make the files of the line the reporter's.
    let r = report("**Description**: The memcpy calls in jv_print.c copy data past the buffer.\n");
    assert!(texts(&r, ClaimKind::File).contains(&"jv_print.c".to_string()), "{:#?}", r.claims);
    // The word itself still does.
    let r = report("Save the script as repro.c and run it.\n");
    assert!(!texts(&r, ClaimKind::File).contains(&"repro.c".to_string()), "{:#?}", r.claims);
}

#[test]
fn a_debuggers_printout_is_output_not_code() {
    let r = report(
        "`item` argument is like:\n\n```C\np *item\n$1 = {\n  next = 0x0,\n  prev = 0x0,\n  valuestring = 0x602000000010 \"ciao\",\n}\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::Log), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:#?}", r.claims);
    // Code beside it is still code.
    let r = report("The parser does this:\n\n```c\nsize_t n = strlen(name);\nmemcpy(buf, name, n);\n```\n");
    assert!(!r.blocks.iter().any(|b| b.kind == BlockKind::Log), "{:#?}", r.blocks);
}

#[test]
fn describing_a_replacement_is_no_fix_cue() {
    // "replaced", an identifier holding "replace", or "adding" in an earlier step of the
    // paragraph do not make a quote the reporter's proposal.
    let r = report(
        "### Case 1: `replace_existing` Function\n\n1. Trigger a replacement by adding a new cookie.\n2. A replaced cookie is freed in the following code:\n\n```c\nif(replace_n) {\n  struct Cookie *repl = Curl_node_elem(replace_n);\n  freecookie(repl);\n}\n```\n\nTo fix it, replace it with this:\n\n```c\nif(replace_n) {\n  Curl_safefree(repl);\n}\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::ProjectCode, BlockKind::ReporterCode], "{:#?}", r.blocks);
}

#[test]
fn one_word_function_names_need_the_word_function_after_them() {
    let r = report(
        "**Location**: `msdosify` function overflows.\n\
         **Function:** `sanitize`\n\
         At the beginning of the function `result` is set; the `sizes` are wrong and the `parse` step too.\n",
    );
    let f = texts(&r, ClaimKind::Function);
    for want in ["msdosify", "sanitize"] {
        assert!(f.contains(&want.to_string()), "{want} not in {f:?}");
    }
    for not in ["result", "sizes", "parse"] {
        assert!(!f.contains(&not.to_string()), "{not} in {f:?}");
    }
}

#[test]
fn api_constants_in_prose() {
    let r = report("Setting CURLOPT_USE_SSL and `CURLE_OK` but not OPENSSL_VERSION.\n");
    assert_eq!(texts(&r, ClaimKind::Api), vec!["CURLOPT_USE_SSL", "CURLE_OK"]);
}

#[test]
fn versions_of_the_project_only() {
    let r = report(
        "## Affected version\ncurl 8.10.1 (confirmed) on Ubuntu 22.04 with OpenSSL 3.0.2 and Python 3.11.4.\nPresent in curl 8.17.0, 8.18.0 and libcurl/8.19.0 and 8.21.0-DEV.\n\n## Details\nBuilt with gcc 13 on macOS 14.2.1; the rewrite in 8.13.0 added it. Host 127.0.0.1.\n",
    );
    let v = texts(&r, ClaimKind::Version);
    assert_eq!(v, vec!["8.10.1", "8.17.0", "8.18.0", "8.19.0", "8.21.0-DEV", "8.13.0"]);
    assert!(of(&r, ClaimKind::Version).iter().all(|c| !c.negated));
}

#[test]
fn version_negations() {
    let r = report(
        "The explicit path appears to be fixed in 8.20.0.\n\nUnaffected versions: `libcurl <= 8.7.1` do not contain the change.\n\nAffected versions: `8.8.0 <= libcurl <= 8.20.0` are affected.\n",
    );
    let neg = |t: &str| r.claims.iter().filter(|c| c.kind == ClaimKind::Version && c.text == t).map(|c| c.negated).collect::<Vec<_>>();
    assert_eq!(neg("8.7.1"), vec![true]);
    assert_eq!(neg("8.8.0"), vec![false]);
    assert_eq!(neg("8.20.0"), vec![true, false]);
}

#[test]
fn file_and_function_negations() {
    let r = report(
        "**Custom -H Authorization IS correctly protected** (`lib/http.c:1828-1833`):\n```c\n  if(!Curl_auth_allowed_to_host(data))\n    ;\n```\n\n\
         **Redirect path does NOT clear bearer** (`lib/http.c:1254-1257`):\n```c\n  if(clear) {\n    Curl_safefree(data->state.aptr.user);\n  }\n```\n\n\
         `lib/ftp.c` is not affected. Unlike `ftp_conns_match()`, the IMAP path has no check.\n",
    );
    assert!(find(&r, ClaimKind::Snippet, "if(!Curl_auth_allowed_to_host(data))").negated);
    assert!(!find(&r, ClaimKind::Snippet, "if(clear) {").negated, "a positive claim about the code's behaviour");
    assert!(find(&r, ClaimKind::File, "lib/ftp.c").negated);
    assert!(find(&r, ClaimKind::Function, "ftp_conns_match").negated);
}

#[test]
fn names_a_report_proposes_are_not_claims_about_the_code() {
    let r = report(
        "`ZSTD_generateSequences()` is broken for compressed blocks. We should replace it with `ZSTD_extractSequences()` which operates on a compressed frame, and add a new `ZSTD_checkSequences()` helper.
",
    );
    assert!(!find(&r, ClaimKind::Function, "ZSTD_generateSequences").negated);
    assert!(find(&r, ClaimKind::Function, "ZSTD_extractSequences").negated);
    assert!(find(&r, ClaimKind::Function, "ZSTD_checkSequences").negated);
    // A setting a question proposes ("Shouldn't that be protected by setting a X config option?").
    let r = report(
        "The MRF driver in `frmts/mrf/marfa_dataset.cpp` writes the data file wherever the header says. Shouldn't that be protected by setting a `mrf_enable_datafile_writing()` config option? We should add a `mrf_check_path()` helper.\n",
    );
    assert!(!find(&r, ClaimKind::File, "frmts/mrf/marfa_dataset.cpp").negated);
    for name in ["mrf_enable_datafile_writing", "mrf_check_path"] {
        let named: Vec<_> = r.claims.iter().filter(|c| c.text == name).collect();
        assert!(!named.is_empty() && named.iter().all(|c| c.negated), "{name}: {:#?}", r.claims);
    }
}

#[test]
fn commits() {
    let r = report(
        "Fixed by commit `1a822275d3`, also present in current master d9c2c64337 and https://github.com/curl/curl/commit/81cdf4d0123. \
         Not commits: deadbeef, `20260101`, `0xdeadbeef1`, https://github.com/other/proj/commit/abcdef1234.\n\
         See https://github.com/curl/curl/blob/455bebc2c7/lib/url.c#L1024-L1036 too.\n\n\
         ### Version\n\nLatest: 460b8d71e70ceb1b88bca6ce8d3aefb2ace05900\n",
    );
    let mut c = texts(&r, ClaimKind::Commit);
    c.sort();
    assert_eq!(c, vec!["1a822275d3", "455bebc2c7", "460b8d71e70ceb1b88bca6ce8d3aefb2ace05900", "81cdf4d0123", "d9c2c64337"]);
    assert!(find(&r, ClaimKind::Line, "lib/url.c:1024-1036").file.is_some());
}

#[test]
fn links_to_a_repository_named_as_the_project() {
    // A tracker issue names no asset: `facebook/zstd` is zstd's own repository, its files and
    // lines are claims; its commit may be a fork's, so it is not one. Another repository is not.
    let text = "# Out of bounds\n\nAt https://github.com/facebook/zstd/blob/9215de52c7029bdad06d5fa59a4777edf0c92df9/lib/compress/zstd_compress_internal.h#L720 \
                `repCode` wraps; compare https://github.com/other/lib/blob/abcdef1234/src/x.c#L3.\n";
    let r = vouch_claims::parse_for(text, &Limits::default(), Some("zstd")).expect("parses");
    assert!(find(&r, ClaimKind::Line, "lib/compress/zstd_compress_internal.h:720").file.is_some());
    assert!(of(&r, ClaimKind::Commit).is_empty(), "{:?}", of(&r, ClaimKind::Commit));
    assert!(!of(&r, ClaimKind::File).iter().any(|c| c.text == "src/x.c"));
}

#[test]
fn traces_fenced_and_plain() {
    let r = report(
        "ASan:\n\n```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011\nREAD of size 1\n    #0 0x55d4c0a1 in ws_dec_read lib/ws.c:581:12\n    #1 0x55d4c0b7 in main poc.c:20\n\nSUMMARY: AddressSanitizer: heap-buffer-overflow lib/ws.c:581:12 in ws_dec_read\n```\n",
    );
    assert_eq!(r.traces.len(), 1);
    let t = &r.traces[0];
    assert_eq!(
        (t.kind, t.summary.as_deref(), t.frames.len(), t.placeholder_addresses),
        (TraceKind::Asan, Some("heap-buffer-overflow"), 2, false)
    );
    let l = find(&r, ClaimKind::Line, "lib/ws.c:581");
    assert_eq!(l.origin, Origin::Trace);
    assert!(!r.claims.iter().any(|c| c.text.contains("poc.c")), "the PoC frame is not a project line");

    let plain = "From: someone <a@example.org>\nSubject: overflow in parse_it\nDate: Tue, 3 Mar 2026 10:00:00 +0100\n\nHi,\n\nrunning the fuzzer gives\n\n==77==ERROR: AddressSanitizer: heap-use-after-free on address 0xXXXXXXXX\n    #0 0xXXXXXXXX in parse_it src/parse.c:44:3\n    #1 0xXXXXXXXX in run src/run.c:10:1\n\nThe code in src/parse.c:\n\n    static int parse_it(char *p) {\n        free(p);\n        return p[0];\n    }\n\n> quoted mail\n";
    let r = parse(plain, &Limits::default()).unwrap();
    assert_eq!(r.title.as_deref(), Some("overflow in parse_it"));
    assert_eq!(r.meta.date.as_deref(), Some("2026-03-03"));
    assert_eq!(r.traces.len(), 1);
    assert!(r.traces[0].placeholder_addresses);
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:?}", r.blocks);
    assert!(texts(&r, ClaimKind::Line).contains(&"src/parse.c:44".to_string()));
    assert_eq!(r.class, Some(VulnClass::UseAfterFree));
}

#[test]
fn the_title_names_code_like_a_sentence() {
    let r =
        parse("# CVE-2026-0002: use-after-free in Curl_ssl_addsessionid() in lib/vtls/vtls.c\n\nI ran into this.\n", &Limits::default())
            .unwrap();
    assert_eq!(find(&r, ClaimKind::Function, "Curl_ssl_addsessionid").origin, Origin::Prose);
    assert!(texts(&r, ClaimKind::File).contains(&"lib/vtls/vtls.c".to_string()), "{:#?}", r.claims);
    // Its ids stay metadata, once.
    let cves: Vec<&Claim> = of(&r, ClaimKind::Cve);
    assert_eq!(cves.len(), 1, "{cves:#?}");
    assert_eq!(cves[0].origin, Origin::Metadata);
}

#[test]
fn a_lone_ubsan_line_is_a_trace() {
    // UBSan without frames prints only the line it stopped at; that line is the claim.
    let r = report(
        "Output:\n\n```\ntool_progress.c:312:17: runtime error: signed integer overflow: 9000000000000000000 + 9000000000000000000 cannot be represented in type 'long int'\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::Trace), "{:?}", r.blocks);
    assert_eq!(r.traces.len(), 1);
    assert_eq!(r.traces[0].kind, TraceKind::Ubsan);
    let l = find(&r, ClaimKind::Line, "tool_progress.c:312");
    assert_eq!(l.origin, Origin::Trace);
    // A line that only mentions the phrase names no source line and stays a log.
    let r = report("Output:\n\n```\nno runtime error: seen here\n```\n");
    assert!(r.traces.is_empty());
}

#[test]
fn patches() {
    let r = report(
        "Fix:\n\n```diff\ndiff --git a/lib/x.c b/lib/x.c\nindex 1a2b3c4..5d6e7f8 100644\n--- a/lib/x.c\n+++ b/lib/x.c\n@@ -10,3 +10,3 @@ static int parse_it(void)\n   a();\n-  b();\n+  c();\n   d();\n```\n",
    );
    assert_eq!(r.patches.len(), 1);
    let p = &r.patches[0];
    assert_eq!(p.files, vec!["lib/x.c"]);
    assert_eq!(p.hunks[0].old_start, 10);
    let s = r.claims.iter().find(|c| c.kind == ClaimKind::Snippet && c.origin == Origin::Patch).unwrap();
    assert_eq!((s.text.as_str(), s.lines), ("a();", Some((10, 12))));
    assert_eq!(s.code.as_deref(), Some("  a();\n  b();\n  d();"));
    assert_eq!(find(&r, ClaimKind::Function, "parse_it").origin, Origin::Patch);
}

#[test]
fn inputs() {
    let r = report("A malicious server can send this when the client follows a redirect. The environment variable CURL_HOME matters.\n");
    assert_eq!(r.inputs, vec![InputSource::Network, InputSource::Server, InputSource::Environment]);
}

#[test]
fn dedup_keeps_first() {
    let r = report("`lib/a.c` and `lib/a.c` again; lib/a.c.\n");
    assert_eq!(of(&r, ClaimKind::File).len(), 1);
}

#[test]
fn errors_and_limits() {
    let l = Limits::default();
    assert_eq!(parse_bytes(b"", &l), Err(ParseError::Empty));
    assert_eq!(parse_bytes(b"  \n\t\r\n", &l), Err(ParseError::Empty));
    assert_eq!(parse_bytes(b"a\0b\0c\0d\0", &l), Err(ParseError::NotText));
    assert_eq!(parse("x\0y\0", &l), Err(ParseError::NotText));
    let small = Limits { max_bytes: 10, ..Limits::default() };
    assert_eq!(parse_bytes(b"01234567890", &small), Err(ParseError::TooLarge { size: 11, limit: 10 }));
    assert!(ParseError::TooLarge { size: 11, limit: 10 }.to_string().contains("11"));
    // BOM and CRLF.
    let r = parse_bytes(b"\xEF\xBB\xBF# CVE-2026-1: t\r\n\r\nsee `lib/a.c:3`\r\n", &l).unwrap();
    assert_eq!(r.title.as_deref(), Some("CVE-2026-1: t"));
    assert_eq!(texts(&r, ClaimKind::Line), vec!["lib/a.c:3"]);
    // Claim and block limits truncate.
    let many: String = (0..100).map(|i| format!("`lib/f{i}.c`\n\n```\nx\n```\n")).collect();
    let r = parse(&many, &Limits { max_claims: 5, max_blocks: 1000, ..Limits::default() }).unwrap();
    assert!(r.truncated && r.claims.len() == 5);
    let r = parse(&many, &Limits { max_blocks: 10, ..Limits::default() }).unwrap();
    assert!(r.truncated && r.blocks.len() <= 10);
}

#[test]
fn hostile_shapes_are_fast() {
    let l = Limits::default();
    let cases: Vec<String> = vec![
        format!("# t\n{}", "a".repeat(1 << 18)),
        "`".repeat(1 << 18),
        "` `` ``` ".repeat(25_000),
        "```\n".repeat(50_000),
        "```c\nint x;\n".repeat(12_000),
        format!("{}\n", "lib/a.c:1 ".repeat(25_000)),
        format!("{}\n", "foo_bar() 8.1.2 curl 1.2.3 `abcdef1` CVE-2024-1234 ".repeat(5_000)),
        "    #0 0x1 in f a.c:1\n".repeat(25_000),
        "+a\n-b\n @@ -1,2 +1,2 @@\n".repeat(12_000),
        "\t\t\t\r\n> > >\r\n".repeat(25_000),
        "https://github.com/curl/curl/blob/abcdef1/lib/a.c#L1-L2 ".repeat(10_000),
    ];
    for (i, c) in cases.iter().enumerate() {
        let t = std::time::Instant::now();
        let r = parse(c, &l);
        let secs = t.elapsed().as_secs_f64();
        eprintln!("case {i}: {secs:.2} s");
        // 256 KiB shapes: a quadratic pass would take hours; linear ones take a few seconds in debug builds.
        assert!(secs < 60.0, "case {i} took {secs:.1} s");
        if let Ok(r) = r {
            assert!(r.claims.len() <= l.max_claims && r.blocks.len() <= l.max_blocks);
        }
    }
}

#[test]
fn code_introduced_as_a_file_the_reporter_builds_is_reporter_code() {
    // The block sits in a list item (indented); its file is named only by the reporter's gcc line.
    let r = report(
        "1. **Create the payload.** Save the following C code as `evil_engine.c`. It runs when loaded.\n\n    ```c\n    #include <stdlib.h>\n\n    __attribute__((constructor))\n    static void rce_init(void) {\n        system(\"id\");\n    }\n    ```\n\n2. Build it:\n\n    ```bash\n    gcc -fPIC -shared -o evil_engine.so evil_engine.c\n    ```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
    // rce_init is defined by the reporter's code, not called as the project's API.
    assert!(!texts(&r, ClaimKind::Api).contains(&"rce_init".to_string()), "{:?}", texts(&r, ClaimKind::Api));
    assert!(of(&r, ClaimKind::Function).is_empty(), "{:?}", of(&r, ClaimKind::Function));
}

#[test]
fn key_value_sketches_of_a_message_are_data_not_code() {
    let r = report(
        "The server staples this response (conceptual DER structure):\n\n```\nOCSPResponse {\n  responseStatus: successful\n  responses: [\n    SingleResponse {          <- index 0\n      certID: { <unrelated hash> }\n      certStatus: good\n    },\n  ]\n}\n```\n\nwhile `gtls_verify_ocsp_status()` in `lib/vtls/gtls.c` does this:\n\n```\nstatic int check(struct ocsp *o)\n{\n  switch(o->status) {\n  case GOOD:\n    return 0;\n  default:\n    return -1;\n  }\n}\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    // The sketch is data; the C code with `case` labels and statements is still the project's.
    assert_eq!(kinds, vec![BlockKind::Log, BlockKind::ProjectCode], "{:#?}", r.blocks);
    assert!(!texts(&r, ClaimKind::Snippet).iter().any(|s| s.contains("OCSPResponse")), "{:?}", texts(&r, ClaimKind::Snippet));
}

#[test]
fn a_block_introduced_as_output_is_a_log() {
    let r = report(
        "Run the server, then curl.\n\nOutput:\n```\n[private] Auth received: Authorization: Bearer SECRET\n[private] Returned account data\n{\"account\": \"user\"}\n```\n\nThe check in `lib/http.c` reads:\n\n```\nif(!checkprefix(\"Authorization:\", hd))\n  return FALSE;\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    // What the run printed is a log; the quoted code after it is still the project's.
    assert_eq!(kinds, vec![BlockKind::Log, BlockKind::ProjectCode], "{:#?}", r.blocks);
    assert!(!texts(&r, ClaimKind::Snippet).iter().any(|s| s.contains("Auth received")), "{:?}", texts(&r, ClaimKind::Snippet));
}

#[test]
fn code_quoted_again_from_the_reporters_program_is_the_reporters() {
    let harness = "Save this harness as `poc.c`:\n\n```c\n#include <sys/socket.h>\nstatic int my_recv(struct conn *c, char *buf, size_t blen)\n{\n  int fd = c->fd[0];\n  ssize_t r = recv(fd, buf, blen, 0);\n  return (int)r;\n}\nint main(void) { return my_recv(0, 0, 0); }\n```\n\n";
    let r =
        report(&format!("{harness}The problem is this call:\n\n```\n  int fd = c->fd[0];\n  ssize_t r = recv(fd, buf, blen, 0);\n```\n"));
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::ReporterCode, BlockKind::ReporterCode], "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
    // Cited as a project file's code, the same lines are a quote of the project.
    let r = report(&format!(
        "{harness}The project's `lib/krb5.c` line 200 reads:\n\n```\n  int fd = c->fd[0];\n  ssize_t r = recv(fd, buf, blen, 0);\n```\n"
    ));
    assert_eq!(r.blocks.iter().filter(|b| b.kind == BlockKind::ProjectCode).count(), 1, "{:#?}", r.blocks);
}

#[test]
fn code_the_report_says_the_project_lacks_is_not_a_quote() {
    let r = report(
        "The GnuTLS backend checks the chain and the host name. What is missing is the purpose check. There is no equivalent of:\n\n```c\ngnutls_x509_crt_check_key_purpose(cert,\n                                  GNUTLS_KP_TLS_WWW_SERVER, 0);\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
}

#[test]
fn grep_transcripts_are_logs_and_fix_comments_open_proposals() {
    let r = report(
        "Expected output:\n\n```\nResults\n$ grep -n \"strcpy(\" lib/ws.c lib/vtls/vtls.c\nlib/ws.c:1261:  strcpy(keyval, randstr);\nlib/vtls/vtls.c:1066:      strcpy(buffer, backends);\n```\n\n2. Enhanced validation\n\n```\n// Add comprehensive bounds checking\nif(strlen(source) >= sizeof(destination)) {\n    return CURLE_OUT_OF_MEMORY;\n}\n```\n",
    );
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, vec![BlockKind::Log, BlockKind::ReporterCode]);
    assert!(of(&r, ClaimKind::Snippet).is_empty(), "{:?}", of(&r, ClaimKind::Snippet));
}

#[test]
fn struct_members_in_prose() {
    let r = report("The `conn->ntlm` struct keeps its state in conn->ntlm.state, and `data->set.postfields` is copied; `conn->handler->doit()` is a call and `a->b` too short. A redirect HTTP->HTTPS or client->server is prose.\n");
    let members: Vec<(String, Option<String>)> = of(&r, ClaimKind::Member).iter().map(|c| (c.text.clone(), c.code.clone())).collect();
    assert_eq!(
        members,
        vec![
            // The same member again (conn->ntlm.state) is one claim.
            ("ntlm".to_string(), Some("conn->ntlm".to_string())),
            ("set".to_string(), Some("data->set.postfields".to_string())),
            ("handler".to_string(), Some("conn->handler->doit".to_string())),
        ]
    );
}

#[test]
fn placeholder_names_in_prose_are_not_members() {
    let r = report(
        "Avoid the form 'x = func(foo)->bar', also `foo->value` and `ctx->bar`, which dereference NULL; `ssl->handshake` is real.\n",
    );
    let members: Vec<String> = of(&r, ClaimKind::Member).iter().map(|c| c.text.clone()).collect();
    assert_eq!(members, vec!["handshake".to_string()]);
}

#[test]
fn an_unlabelled_python_script_named_by_its_file_is_the_reporters() {
    let r = report(
        "## Steps To Reproduce:\n\n1.MQTT Server ( mqtt_server.py )\n```\nimport socket\nimport struct\n\ndef serve(port):\n    s = socket.socket()\n    s.bind((\"127.0.0.1\", port))\n    s.listen(1)\n\nserve(1883)\n```\n",
    );
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    assert!(of(&r, ClaimKind::File).is_empty(), "{:?}", of(&r, ClaimKind::File));
}

#[test]
fn blob_urls_name_files_of_any_name() {
    let body = "At https://github.com/curl/curl/blob/curl-8_21_0/scripts/wcurl#L198, `get_url_filename()` keeps a backslash.\n\
                The folder https://github.com/curl/curl/tree/master/docs is not a file.\n";
    let r = report(body);
    assert_eq!(find(&r, ClaimKind::File, "scripts/wcurl").origin, Origin::Prose);
    assert!(texts(&r, ClaimKind::Line).contains(&"scripts/wcurl:198".to_string()), "{:?}", texts(&r, ClaimKind::Line));
    assert!(!texts(&r, ClaimKind::File).contains(&"docs".to_string()));
    // Without an asset, the repository named like the program is the project's.
    let bare = "# test\n\n| | |\n|---|---|\n| **Program** | curl |\n\n";
    let r = parse(&format!("{bare}{body}"), &Limits::default()).expect("parses");
    assert!(texts(&r, ClaimKind::File).contains(&"scripts/wcurl".to_string()), "{:?}", r.claims);
    // Another repository's file is not the project's.
    let other = parse(&format!("{bare}See https://github.com/other/tool/blob/main/scripts/run#L3.\n"), &Limits::default()).expect("parses");
    assert!(texts(&other, ClaimKind::File).is_empty(), "{:?}", other.claims);
}

#[test]
fn code_under_a_fix_heading_is_the_reporters_proposal() {
    let fix = "## Remediation\n\n### Code Fix in lib/urlapi.c\n\n```c\n#ifdef WIN32\n  else {\n    return CURLUE_BAD_FILE_URL;\n  }\n#endif\n```\n";
    let r = report(fix);
    let kinds: Vec<BlockKind> = r.blocks.iter().filter(|b| b.kind != BlockKind::Prose).map(|b| b.kind).collect();
    assert_eq!(kinds, [BlockKind::ReporterCode], "{:#?}", r.blocks);
    // A comment that tells the maintainer what to do opens a proposal anywhere.
    let r = report("The check should be:\n\n```c\n// Reject hostnames other than localhost\nif(host && strcmp(host, \"localhost\"))\n  return CURLUE_BAD_FILE_URL;\n```\n");
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ReporterCode), "{:#?}", r.blocks);
    // The same code quoted with its lines under an analysis heading is the project's.
    let quoted = "## Analysis\n\nIn `lib/urlapi.c` lines 310-314:\n\n```c\n#ifdef WIN32\n  else {\n    return CURLUE_BAD_FILE_URL;\n  }\n#endif\n```\n";
    let r = report(quoted);
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:#?}", r.blocks);
}

#[test]
fn a_fuzz_harness_is_the_reporters_code() {
    // A libFuzzer harness after a trace, with no sentence introducing it: it defines the fuzzer's
    // entry point, so it is the reporter's program, whatever project functions it calls.
    let body = "```\n==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x521000001100 at pc 0x560eb82db97e bp 0x7ffc sp 0x7ffc\n    #0 0x560eb8485db9 in Curl_dyn_addn /src/curl/lib/dynbuf.c:114:4\n```\n\n```c\n#include \"dynbuf.h\"\n#include <stdint.h>\n\nstatic void check(struct dynbuf *b) { (void)Curl_dyn_len(b); }\n\nextern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {\n  struct dynbuf b;\n  Curl_dyn_init(&b, 1024);\n  Curl_dyn_addn(&b, data, size);\n  check(&b);\n  Curl_dyn_free(&b);\n  return 0;\n}\n```\n";
    let r = report(body);
    let code = r.blocks.iter().find(|b| b.text.contains("LLVMFuzzerTestOneInput")).expect("the harness block");
    assert_eq!(code.kind, BlockKind::ReporterCode, "{:#?}", r.blocks);
    // A declaration of the entry point (a prototype) is no harness of the reporter's.
    let proto = "```c\nint LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);\nstatic int parse_block(struct state *s, const unsigned char *p, size_t n)\n{\n  if(n > s->max)\n    return -1;\n  return 0;\n}\n```\n";
    let r = report(&format!("The fuzzer's entry calls `parse_block()` in `lib/parse.c`:\n\n{proto}"));
    let code = r.blocks.iter().find(|b| b.text.contains("parse_block")).expect("the quote");
    assert_ne!(code.kind, BlockKind::ReporterCode, "{:#?}", r.blocks);
}

#[test]
fn coverity_markers_in_a_quoted_listing_are_not_code() {
    let body = "# src/pipe.c: use after free suspected by coverity\n\n```\n*** CID 1452251:  Memory - illegal accesses  (USE_AFTER_FREE)\n/src/pipe.c: 263 in pipe_io_cb()\n257             else {\n258                     trace_devel(\"subscribing\", ctx->conn);\n259                     ctx->conn->ops->subscribe(ctx->conn, ctx->conn->ops_ctx, SUB_RECV,\n260                                               &ctx->wait_event);\n261             }\n262     \n>>>     CID 1452251:  Memory - illegal accesses  (USE_AFTER_FREE)\n>>>     Dereferencing freed pointer \"ctx\".\n263             trace_leave(ctx->conn);\n264             return t;\n265     }\n```\n";
    let r = report(body);
    assert!(r.blocks.iter().any(|b| b.kind == BlockKind::ProjectCode), "{:#?}", r.blocks);
    let functions: Vec<&str> = r.claims.iter().filter(|c| c.kind == ClaimKind::Function).map(|c| c.text.as_str()).collect();
    assert!(!functions.contains(&"accesses"), "{functions:?}");
    assert!(functions.contains(&"trace_leave"), "{functions:?}");
}

#[test]
fn unfenced_code_written_as_a_list_loses_the_list_markers() {
    let r = report(
        "### Root cause\n\nAfter opening the dataset, the driver (simplified) performs:\n\n- H5Sget_simple_extent_dims(dataspace, dims, maxdims);\n- buf = static_cast<char *>(CPLCalloc(static_cast<int>(dims[0] + 1), 1));\n- H5Dread(hMDDS, native, H5S_ALL, dataspace, H5P_DEFAULT, buf);\n\nThe cast truncates the size.\n",
    );
    let s = of(&r, ClaimKind::Snippet);
    assert!(!s.is_empty(), "{:#?}", r.claims);
    assert!(s.iter().all(|c| !c.text.starts_with("- ") && !c.code.as_deref().unwrap_or_default().contains("\n- ")), "{s:#?}");
    assert!(s[0].code.as_deref().unwrap_or(&s[0].text).contains("H5Sget_simple_extent_dims(dataspace"), "{s:#?}");
    // A diff with both signs keeps its markers.
    let d = report("The change:\n\n- memcpy(dst, src, n);\n+ memcpy(dst, src, MIN(n, sizeof(dst)));\n\nDone.\n");
    assert!(d.blocks.iter().any(|b| b.kind != BlockKind::Prose && b.text.contains("- memcpy(dst, src, n);")), "{:#?}", d.blocks);
}

#[test]
fn a_function_named_after_the_projects_possessive_is_a_claim() {
    let r = report("A heap-buffer-overread occurs in curl's parse_connect_to_string function when using the option.\n");
    let f = find(&r, ClaimKind::Function, "parse_connect_to_string");
    assert_eq!(f.origin, Origin::Prose);
    // Another owner's function is not the project's claim.
    let r = report("A heap-buffer-overread occurs in glibc's parse_connect_to_string function when using the option.\n");
    assert!(of(&r, ClaimKind::Function).is_empty(), "{:#?}", r.claims);
}
