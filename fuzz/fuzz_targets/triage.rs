//! The whole triage (claim extraction, verification, meaning and evidence checks, scoring) of an
//! arbitrary report against a small C project held as a plain source tree and one published
//! advisory: no panic, a score between 0 and 1, every claim's evidence present, and a passage the
//! report repeats from the advisory at least as long as the minimum and found in the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_triage::vouch_claims::{parse_for, Limits as ClaimLimits};
use vouch_triage::vouch_source::Limits;
use vouch_triage::{triage, At, Context, Corpus, Document, Policy, Project};

/// A project with the code shapes the meaning checks look at: a guarded copy, a copy under a
/// debug macro, an environment read, a room-left call, an indexed loop write, an overflow check,
/// allocations kept in an object's members and a release function that clears what it frees, a
/// counter kept under a limit and a member holding the caller's buffer, an input length limit, a sum a
/// reproducer can recompute on values of its own, a check made after the test of a setting, an
/// assertion that a pointer is not NULL and a function releasing its argument when it fails, a
/// header callback registered with nghttp2 (whose contract vouch knows); the
/// policy records contracts of all three kinds and rules out file:// reads and command-line trickery.
const FILES: &[(&str, &str)] = &[
    (
        "lib/parse.c",
        "#include <string.h>\n#include \"parse.h\"\n\nint request_init(struct request *req)\n{\n  memset(req, 0, sizeof(*req));\n  return 0;\n}\n\nint store_header(struct request *req, const char *name)\n{\n  (void)name;\n  req->nheaders++;\n  return 0;\n}\n\nint parse_header(struct request *req, const char *line, size_t len)\n{\n  char name[64];\n  if(len >= sizeof(name))\n    return -1;\n  memcpy(name, line, len);\n  name[len] = 0;\n  return store_header(req, name);\n}\n",
    ),
    ("lib/parse.h", "#ifndef PARSE_H\n#define PARSE_H\n#define MAX_INPUT_LENGTH 8000000\nstruct request { int nheaders; char host[64]; };\nint parse_header(struct request *req, const char *line, size_t len);\nint request_init(struct request *req);\n#endif\n"),
    (
        "lib/resolve.c",
        "#include <stdlib.h>\n#define HOSTENT_SIZE 9000\n\nstruct hostent *resolve_host(const char *name)\n{\n  struct hostent *h = NULL;\n  struct hostent *buf = calloc(1, HOSTENT_SIZE);\n  int err = 0;\n  if(buf)\n    h = lookup_host_r(name, buf, (char *)buf + sizeof(struct hostent),\n                      HOSTENT_SIZE - sizeof(struct hostent), &err);\n  return h;\n}\n",
    ),
    (
        "lib/debug.c",
        "#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n\n#ifdef DEBUGBUILD\nvoid debug_trace(const char *arg)\n{\n  char buf[32];\n  strcpy(buf, arg);\n  puts(buf);\n}\n#endif\n\nint config_path(char *out)\n{\n  const char *home = getenv(\"HOME\");\n  strcpy(out, home);\n  return 0;\n}\n",
    ),
    (
        "lib/url.c",
        "#include <string.h>\n\nint copy_zone(char *out, const char *h)\n{\n  char zoneid[16];\n  int i = 0;\n  while(*h && (*h != ']') && (i < 15))\n    zoneid[i++] = *h++;\n  zoneid[i] = 0;\n  strcpy(out, zoneid);\n  return 0;\n}\n\nlong expires(long now, long maxage)\n{\n  if(LONG_MAX - now < maxage)\n    return LONG_MAX;\n  return now + maxage;\n}\n",
    ),
    (
        "lib/strv.c",
        "#include <stdlib.h>\n#include <assert.h>\n\nint strv_push(char ***l, char *v);\n\nint strv_consume(char ***l, char *value)\n{\n  int r;\n  assert(l != NULL);\n  r = strv_push(l, value);\n  if(r < 0)\n    free(value);\n  return r;\n}\n\nint strv_take(char ***l, char *label)\n{\n  return strv_consume(l, label);\n}\n",
    ),
    (
        "lib/conn.c",
        "#include <stdlib.h>\n#include <string.h>\n\nint conn_open(struct conn *c)\n{\n  c->in = malloc(c->want);\n  c->out = malloc(c->want);\n  if(!c->in || !c->out)\n    return -1;\n  return fill(c);\n}\n\nvoid conn_free(struct conn *c)\n{\n  struct conn *cur = c, *prv;\n  while(cur) {\n    free(cur->in);\n    free(cur->out);\n    prv = cur;\n    cur = cur->next;\n    memset(prv, 0, sizeof(struct conn));\n    if(prv != c)\n      free(prv);\n  }\n}\n",
    ),
    (
        "lib/progress.c",
        "struct bar { unsigned int tick; char *errbuf; };\n\nvoid fly(struct bar *bar, char *buf)\n{\n  buf[(bar->tick + 15) % 200] = '#';\n  bar->tick += 2;\n  if(bar->tick >= 200)\n    bar->tick -= 200;\n}\n\nvoid bar_init(struct bar *bar, char *ptr)\n{\n  bar->tick = 150;\n  bar->errbuf = ptr;\n}\n\nvoid bar_fail(struct bar *bar, const char *msg)\n{\n  if(bar->errbuf)\n    strcpy(bar->errbuf, msg);\n}\n\nunsigned int bar_total(struct bar *bar, unsigned int extra)\n{\n  unsigned int sum;\n  sum = bar->tick + extra;\n  return sum;\n}\n",
    ),
    (
        "lib/pin.c",
        "#include \"parse.h\"\n\nint verify_peer(struct conn *c, struct config *cfg)\n{\n  int result = 0;\n\n  if(!cfg)\n    return -1;\n#ifdef USE_OTHER\n  result = other_check(c);\n#else\n  if(cfg->verifyhost) {\n    if(!check_host(c))\n      result = 60;\n  }\n  if(!result)\n    result = verify_pinned(c);\n#endif\n  return result;\n}\n\nint connect_peer(struct conn *c, struct config *cfg)\n{\n  return verify_peer(c, cfg);\n}\n",
    ),
    (
        "lib/h2.c",
        "#include <stdio.h>\n\nstatic int on_header(void *s, const void *frame, const unsigned char *name, size_t namelen,\n                     const unsigned char *value, size_t valuelen, unsigned char flags, void *userp)\n{\n  printf(\"%s: %s\\n\", name, value);\n  return 0;\n}\n\nint h2_setup(void *cbs)\n{\n  nghttp2_session_callbacks_set_on_header_callback(\n    cbs, on_header);\n  return 0;\n}\n",
    ),
    ("tests/unit/test_parse.c", "#include <string.h>\nint test_parse_header(void)\n{\n  char b[8];\n  strcpy(b, \"GET\");\n  return 0;\n}\n"),
];

/// The advisory: a sentence of it pasted into a seed report makes a copied passage.
const ADVISORY: &str = "When minihttp receives a response, it stores every header so that the application can read them \
later. It had no limit on the size or number of headers, so a malicious server could send headers without end.";

thread_local! {
    static ADVISORIES: Corpus = {
        let mut c = Corpus::new("advisory");
        c.push(Document::new("MINIHTTP-2024-0002", "Headers eat memory", ADVISORY, vec!["CVE-2024-99998".into()]).dated(Some("2024-01-10")));
        c
    };
    static PROJECT: (Project, Policy) = {
        let root = std::env::temp_dir().join(format!("vouch-fuzz-triage-{}", std::process::id())).join("minihttp-2.0.0");
        for (path, text) in FILES {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().expect("a parent folder")).expect("temp folder");
            std::fs::write(&p, text).expect("temp file");
        }
        let policy = Policy::parse(
            "[triage]\nname = \"minihttp\"\nnot_security = [\"debug-build\", \"test-code\", \"local-attacker\", \"null-deref-crash\", \"crlf-in-data\", \"api-misuse\", \"local-file-url\", \"command-line-trickery\"]\n\
             [[triage.contracts]]\nnames = [\"on_header\"]\ndenies = [\"not null-terminated\"]\nfact = \"names are NUL-terminated\"\n\
             [[triage.contracts]]\nnames = [\"conn_open\"]\nrequires = [\"minihttp_init\"]\nfact = \"minihttp_init() comes first\"\n\
             [[triage.contracts]]\nnames = [\"parse_header\"]\nforbids = [\"MH_NO_CHECK\"]\nfact = \"MH_NO_CHECK needs valid input\"\n\
             [[triage.input_limits]]\nmacro = \"MAX_INPUT_LENGTH\"\ninputs = [\"url\", \"header\"]\nexcept = [\"body\"]\nfact = \"minihttp refuses longer inputs\"\n",
        )
        .expect("policy parses");
        (Project::open(&root, Limits::default()).expect("the tree opens"), policy)
    };
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    PROJECT.with(|(project, policy)| {
        ADVISORIES.with(|advisories| {
            let Ok(report) = parse_for(&text, &ClaimLimits::default(), Some("minihttp")) else { return };
            let cx = Context { project, policy, advisories: Some(advisories), earlier: None, at: &At::Auto };
            if let Ok(t) = triage("fuzz.md", &report, &cx) {
                assert!((0.0..=1.0).contains(&t.score), "{}", t.score);
                assert!(t.claims.iter().all(|c| !c.evidence.is_empty()), "{:#?}", t.claims);
                for c in t.duplicates.iter().filter_map(|d| d.copied.as_ref()) {
                    assert!(c.words >= vouch_triage::MIN_COPIED_WORDS, "{c:?}");
                    let first = c.text.split_whitespace().next().unwrap_or_default();
                    assert!(text.contains(first), "{c:?}");
                }
            }
        })
    });
});
