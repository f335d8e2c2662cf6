//! Triage against arbitrary project code: the input is the text of the project's one source file
//! `lib/fuzz.c` (anything, not only C: truncated lines, stray bytes, text that is not ASCII),
//! optionally followed by a line `=====` and a report. Without a report, fixed reports of every
//! class the meaning checks look at cite the file's lines. No panic, a score between 0 and 1, and
//! every claim's evidence present: code the project holds is as untrusted as the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_triage::vouch_claims::{parse_for, Limits as ClaimLimits};
use vouch_triage::vouch_source::Limits;
use vouch_triage::{triage, At, Context, Policy, Project};

/// Reports citing `lib/fuzz.c`, one per kind of claim the meaning checks answer.
const REPORTS: &[&str] = &[
    "# Heap buffer overflow in lib/fuzz.c\n\nThe memcpy at `lib/fuzz.c:3` copies `len` bytes without a bounds check (lines 1-40), so a long header overflows `buf`; `s->len + 15` wraps.\n",
    "# Integer overflow in lib/fuzz.c\n\nAt lib/fuzz.c lines 1-40, `p->n + 4` wraps around: p->n could be a large value, since `tick` and `count` are never checked. See lib/fuzz.c:7.\n",
    "# Heap use-after-free in lib/fuzz.c\n\nA heap use-after-free at lib/fuzz.c:2-30: `strcpy(h->errbuf, msg)` writes to freed memory; `h->buf[0]` is read after the free.\n",
    "# Double free in lib/fuzz.c\n\n`free(ctx->data)` at lib/fuzz.c:4 runs twice, a double free; lines 1-40.\n",
    "# Memory leak in lib/fuzz.c\n\nThe allocation at lib/fuzz.c:6 is never freed: a memory leak in lines 1-40.\n",
    "# NULL pointer dereference in lib/fuzz.c\n\nThe pointer at lib/fuzz.c:5 is used without a NULL check (lines 1-40): NULL pointer dereference.\n",
    "# Infinite loop in lib/fuzz.c\n\nThe loop at lib/fuzz.c:2-20 never ends: an infinite loop, denial of service.\n",
];

/// A folder of its own for each thread, with the file rewritten for each input.
fn root() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("vouch-fuzz-triage-code-{}-{:?}", std::process::id(), std::thread::current().id())).join("fuzzproj-1.0.0")
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (code, report) = match text.split_once("\n=====\n") {
        Some((c, r)) => (c, Some(r)),
        None => (text.as_ref(), None),
    };
    let root = root();
    let file = root.join("lib/fuzz.c");
    std::fs::create_dir_all(file.parent().expect("a parent folder")).expect("temp folder");
    std::fs::write(&file, code).expect("temp file");
    let Ok(project) = Project::open(&root, Limits::default()) else { return };
    let policy = Policy::default();
    let reports: Vec<&str> = match report {
        Some(r) => vec![r],
        None => REPORTS.to_vec(),
    };
    for r in reports {
        let Ok(report) = parse_for(r, &ClaimLimits::default(), Some("fuzzproj")) else { continue };
        let cx = Context { project: &project, policy: &policy, advisories: None, earlier: None, at: &At::Auto };
        if let Ok(t) = triage("fuzz.md", &report, &cx) {
            assert!((0.0..=1.0).contains(&t.score), "{}", t.score);
            assert!(t.claims.iter().all(|c| !c.evidence.is_empty()), "{:#?}", t.claims);
        }
    }
});
