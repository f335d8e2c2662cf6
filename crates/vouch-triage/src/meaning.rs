//! Meaning checks on the cited code (C family): is the cited copy guarded, is its source fixed,
//! is the code debug- or test-only, does the input come from the local user — and the project's
//! policy on each.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use vouch_claims::{BlockKind, InputSource, Report, VulnClass};
use vouch_report::rules;
use vouch_source::{DefKind, SourceError};

use crate::code::{
    bundled_dependency, called_names, compact, identifiers, is_comparison, line_of, marks_elision, normalise, split_top_level,
};
use crate::policy::{contains_identifier, identifier_uses, Policy};
use crate::project::View;
use crate::{ClaimResult, Finding, Location, Status};

/// Copy functions whose size the meaning checks look at: (name, index of the size argument or
/// `None` for string copies, index of the source argument).
const COPIES: &[(&str, Option<usize>, usize)] = &[
    ("memcpy", Some(2), 1),
    ("memmove", Some(2), 1),
    ("strncpy", Some(2), 1),
    ("strncat", Some(2), 1),
    ("strcpy", None, 1),
    ("strcat", None, 1),
    ("sprintf", None, 2),
    ("wcscpy", None, 1),
    ("CopyMemory", Some(2), 1),
    ("snprintf", Some(1), 2),
    ("vsnprintf", Some(1), 2),
    ("msnprintf", Some(1), 2),
    ("curl_msnprintf", Some(1), 2),
    ("curl_mvsnprintf", Some(1), 2),
];

pub(crate) fn check(
    report: &Report,
    claims: &[ClaimResult],
    view: &View,
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    // Where the report says the problem is: confirmed line and snippet claims of its own text,
    // and definitions of the functions it names.
    let focus: Vec<&Location> = claims
        .iter()
        .filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated)
        .filter(|c| matches!(c.kind, "line" | "snippet") && !c.member && matches!(c.origin, "prose" | "project-code"))
        .filter_map(|c| c.location.as_ref())
        .collect();
    let mut unique: Vec<&Location> = Vec::new();
    for l in focus {
        if !unique.contains(&l) {
            unique.push(l);
        }
    }
    let focus = unique;
    let functions: Vec<&Location> = claims
        .iter()
        .filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated && c.kind == "function" && c.origin == "prose")
        .filter_map(|c| c.location.as_ref())
        .collect();
    let places: Vec<&Location> = if focus.is_empty() { functions.clone() } else { focus.clone() };

    // Test code: every place the report points at is in tests/examples/docs, and so is every
    // function it names (a test's failure output quoted beside a library function is evidence,
    // not the place of the bug).
    // A test program that only runs into shipped code (its trace goes on into the library) is the
    // reproducer, not the place of the bug.
    let shipped_trace = claims.iter().any(|c| {
        c.origin == "trace"
            && c.status == Status::Confirmed
            && c.at.is_none()
            && c.location.as_ref().is_some_and(|l| policy.is_test_path(&l.path).is_none())
    });
    // Nor is a report whose prose names a shipped source file of the project (the fix goes in
    // `src/module.c`, the test only shows it).
    let shipped_file = claims.iter().any(|c| {
        c.kind == "file"
            && c.origin == "prose"
            && c.status == Status::Confirmed
            && !c.negated
            && c.location.as_ref().is_some_and(|l| crate::code::is_source_path(&l.path) && policy.is_test_path(&l.path).is_none())
    });
    if !places.is_empty() && !shipped_trace && !shipped_file {
        let dirs: Vec<Option<&str>> = places.iter().chain(functions.iter()).map(|l| policy.is_test_path(&l.path)).collect();
        if dirs.iter().all(Option::is_some) {
            let l = places[0];
            findings.push(
                Finding::new(
                    &rules::TRI_TEST_CODE,
                    format!("the cited code is in {} (not shipped code)", dirs[0].unwrap_or_default()),
                    format!("{}:{}", l.path, l.line),
                )
                .at(Some(l.clone())),
            );
            if policy.excludes("test-code") {
                findings.push(
                    Finding::new(
                        &rules::TRI_OUT_OF_SCOPE,
                        "policy: test code is not a security issue for this project (test-code)".into(),
                        l.path.clone(),
                    )
                    .at(Some(l.clone())),
                );
            }
        }
    }

    // A bundled dependency's own program: the first place the report cites is in a file under a
    // folder of bundled dependencies that defines `main()` (Lua's interpreter,
    // `deps/lua/src/lua.c`, in Redis), and every other place is in that dependency (the library
    // code it calls): the project links the dependency as a library and never runs that program.
    if !places.is_empty() && !shipped_trace && !findings.iter().any(|f| f.rule == rules::TRI_TEST_CODE.code) {
        let index = view.snapshot.index()?;
        // A `main()` under a preprocessor conditional (`#ifdef SDS_TEST_MAIN`) is a test's: the
        // file is library code.
        let mains: HashSet<&str> = index
            .definitions("main")
            .iter()
            .filter(|d| d.kind == DefKind::Function && index.file(&d.path).is_some_and(|f| f.conditions_at(d.line).is_empty()))
            .map(|d| d.path.as_str())
            .collect();
        let first = &places[0].path;
        let dependency = bundled_dependency(first);
        let program = dependency.is_some() && mains.contains(first.as_str());
        if program && places.iter().chain(functions.iter()).all(|l| bundled_dependency(&l.path) == dependency) {
            let dir = dependency.unwrap_or_default();
            let l = places[0];
            findings.push(
                Finding::new(
                    &rules::TRI_BUNDLED_PROGRAM,
                    format!(
                        "the cited code is in {}, the program of a dependency the project bundles in {dir}/ (the file defines main()): the project links the dependency as a library and does not run it",
                        l.path
                    ),
                    format!("{}:{}", l.path, l.line),
                )
                .at(Some(l.clone())),
            );
        }
    }

    // Debug-only code: every place is inside a debug macro's conditional.
    if !places.is_empty() {
        let index = view.snapshot.index()?;
        let mut debug: Vec<(String, u32, &Location)> = Vec::new();
        for l in &places {
            // A citation that starts at the `#ifdef` line itself: look at the code under it.
            let text = view.snapshot.read(&l.path)?;
            let end = l.end_line.unwrap_or(l.line).min(l.line + 10);
            let line = (l.line..=end)
                .find(|&n| text.as_deref().and_then(|t| line_of(t, n)).is_some_and(|c| !c.trim_start().starts_with('#')))
                .unwrap_or(l.line);
            let conds = index.file(&l.path).map(|f| f.conditions_at(line)).unwrap_or_default();
            match conds
                .iter()
                .find_map(|c| policy.debug_macro_in(&c.text).filter(|m| positive(&c.text, m) != c.negated).map(|m| (m.to_string(), c.line)))
            {
                Some((m, line)) => debug.push((m, line, l)),
                None => break,
            }
        }
        if debug.len() == places.len() {
            let (m, line, l) = &debug[0];
            let text = view.snapshot.read(&l.path)?.and_then(|t| line_of(&t, *line).map(|s| s.trim().to_string())).unwrap_or_default();
            findings.push(
                Finding::new(
                    &rules::TRI_DEBUG_ONLY,
                    format!("the cited code is only compiled when {m} is defined ({}:{line})", l.path),
                    text,
                )
                .at(Some((*l).clone())),
            );
            if policy.excludes("debug-build") {
                findings.push(
                    Finding::new(
                        &rules::TRI_OUT_OF_SCOPE,
                        format!("policy: debug-build-only code ({m}) is not a security issue for this project (debug-build)"),
                        m.clone(),
                    )
                    .at(Some((*l).clone())),
                );
            }
        }
    }

    // The project's own note, at the cited code, that an analyser's warning there is wrong.
    if !shows_trace(report) {
        if let Some(f) = marked_false_positive(&places, view)? {
            findings.push(f);
        }
    }
    // Quotes that skip a check: the file has a bounds check between lines the report quotes.
    omitted_checks(report, claims, view, findings)?;
    // Quotes that add a call the function never makes.
    added_calls(report, claims, view, findings)?;
    // A double free of an object every free of which resets it.
    if matches!(report.class, Some(VulnClass::DoubleFree)) {
        resetting_frees(claims, view, findings)?;
        if !findings.iter().any(|f| f.rule == rules::TRI_FREE_RESETS.code) {
            single_frees(report, claims, view, findings)?;
        }
        if !findings.iter().any(|f| f.rule == rules::TRI_FREE_RESETS.code || f.rule == rules::TRI_SINGLE_FREE.code) {
            reassigned_frees(report, claims, view, findings)?;
        }
        if !findings.iter().any(|f| f.rule == rules::TRI_FREE_RESETS.code || f.rule == rules::TRI_SINGLE_FREE.code) {
            repeatable_frees(report, claims, view, findings)?;
        }
    }
    // A use after free of memory the project only borrows from its caller.
    if matches!(report.class, Some(VulnClass::UseAfterFree)) {
        if let Some(f) = crate::values::borrowed_member(report, view, &focus)? {
            findings.push(f);
        }
    }
    // A leak of memory that an object holds and the function frees with it.
    if matches!(report.class, Some(VulnClass::MemoryLeak)) {
        freed_with_owner(report, claims, view, findings)?;
        if !findings.iter().any(|f| f.rule == rules::TRI_LEAK_OWNED.code) {
            setter_owned(claims, view, findings)?;
        }
    }
    // A leak of a member the report says nothing frees (also under a resource-limit class, as
    // "Memory Leak ... (CWE-770)" is).
    let leak_titled = report.title.as_deref().is_some_and(|t| t.to_ascii_lowercase().contains("memory leak"));
    if (matches!(report.class, Some(VulnClass::MemoryLeak)) || leak_titled)
        && !findings.iter().any(|f| f.rule == rules::TRI_LEAK_OWNED.code)
    {
        member_freed(report, view, findings)?;
    }
    if matches!(report.class, Some(VulnClass::MemoryLeak)) && !findings.iter().any(|f| f.rule == rules::TRI_LEAK_OWNED.code) {
        held_by_parameter(report, claims, view, findings)?;
    }
    // A leak on a failed call of a function that releases the argument itself.
    if !findings.iter().any(|f| f.rule == rules::TRI_LEAK_OWNED.code) {
        if let Some(f) = crate::consumed::consumed_argument(report, view)? {
            findings.push(f);
        }
    }
    // A leak shown only through one of the project's test programs.
    if let Some(f) = test_program_leak(report, leak_titled, view, policy)? {
        findings.push(f);
    }

    // A NULL dereference after an allocation by the project's wrapper that never returns NULL.
    if !shows_trace(report) {
        if let Some(f) = never_null_allocators(report, claims, view)? {
            findings.push(f);
        }
    }

    // A statement about an interface that the project records as false.
    if let Some(f) = denied_contract(report, &crate::known::contracts(policy, view)?) {
        findings.push(f);
    }

    // A reproducer that sets the project's internal state itself.
    if let Some(f) = private_state_write(report, view)? {
        findings.push(f);
    }

    // A title that only says the problem may exist, or prose that concedes it has no impact.
    if let Some(f) = hedged_title(report).or_else(|| conceded_no_impact(report)) {
        findings.push(f);
    }

    // A static analyser's warning and nothing that ran the code.
    if let Some(f) = analyser_only(report) {
        findings.push(f);
    }

    // An allocation the report says goes unchecked, which the cited line hands to its caller.
    if let Some(f) = returned_allocation(report, view, &focus)? {
        findings.push(f);
    }

    // Sanitizer output that reports only wraparound C defines.
    if matches!(report.class, Some(VulnClass::IntegerOverflow) | None) {
        if let Some(f) = defined_wraparound(report) {
            findings.push(f);
        }
    }

    // A loop the report says never ends, where every loop of the cited code counts toward a bound.
    if says_endless(report) {
        let spans: Vec<&Location> = if focus.is_empty() { functions.clone() } else { focus.clone() };
        if let Some(f) = counting_loops(view, &spans, focus.is_empty())? {
            findings.push(f);
        }
    }

    // Copies the report calls overflows.
    // A copy between overlapping buffers is wrong whatever its size: a size check answers no such
    // report.
    let memory = matches!(report.class, Some(VulnClass::BufferOverflow | VulnClass::OutOfBoundsRead | VulnClass::IntegerOverflow))
        || report.class.is_none() && !says_overlap(report);
    if memory {
        // Code cited only as a function's declaration in a header runs nothing.
        if let Some(f) = declarations_only(view, &focus)? {
            findings.push(f);
        }
        // The project's own comments in a quote (found in the files it cites) are not remarks.
        let mut cited_texts = Vec::new();
        for l in &focus {
            if let Some(text) = view.snapshot.read(&l.path)? {
                cited_texts.push(text);
            }
        }
        let own = |comment: &str| cited_texts.iter().any(|t| t.contains(comment));
        let argued = ArguedChecks::of(report, &own);
        // An over-read is about the source: a destination-sized write does not answer it.
        let reads = matches!(report.class, Some(VulnClass::OutOfBoundsRead));
        if !reads {
            for l in &focus {
                if let Some(text) = view.snapshot.read(&l.path)? {
                    if let Some(f) = guarded_pointer_write(&text, l) {
                        findings.push(f);
                    }
                }
            }
        }
        for l in &focus {
            copy_checks(view, l, &argued, reads, findings)?;
        }
        // A cited line a few lines from the copy the report names, in a tree older or newer than
        // the one it read (`memcpy` four lines below `filter.c:78`): that copy.
        if let Some((near, cited)) = copy_near_cited_line(report, view, &focus)? {
            let first_new = findings.len();
            copy_checks(view, &near, &argued, reads, findings)?;
            for f in findings.iter_mut().skip(first_new) {
                f.message.push_str(&format!(" (the {} nearest line {cited} that the report cites)", near_copy_name(&f.evidence)));
            }
        }
        // A copy the report says leaves its string without a terminator, into zeroed memory with
        // room for one.
        if says_unterminated(report) {
            for l in &focus {
                if let Some(f) = terminated_by_calloc(view, l)? {
                    findings.push(f);
                    break;
                }
            }
        }
        // A copy the report names only by its call (`strcpy(keyval, randstr)` in prose, or the
        // line a proposed fix replaces) and cites no code: find that call in the project and
        // check it there.
        if focus.is_empty() {
            for l in named_copies(report, view)? {
                copy_checks(view, &l, &argued, reads, findings)?;
            }
            named_calls(claims, &functions, view, findings)?;
        }
        // A value the report says goes unchecked that the function it names checks. A report
        // that argues about a check is answered only by the comparison it says is missing.
        present_checks(report, claims, view, if argued.argues { Present::Argued } else { Present::Bound }, findings)?;
        // A limit the report says the function lacks that every caller enforces.
        caller_bounds(report, claims, view, findings)?;
    }
    // A pointer the report says goes unchecked that the function it names tests for NULL.
    if matches!(report.class, Some(VulnClass::NullDeref)) {
        present_checks(report, claims, view, Present::Null, findings)?;
    }
    // Arithmetic the report calls an overflow behind the standard overflow check.
    if matches!(report.class, Some(VulnClass::IntegerOverflow)) || report.class.is_none() {
        for l in &focus {
            guarded_arithmetic(view, l, findings)?;
        }
        if let Some(f) = constants_only(view, &focus)? {
            findings.push(f);
        }
        // A member the arithmetic adds a constant to that every write keeps small.
        if let Some(f) = crate::values::bounded_member(report, view, &focus)? {
            findings.push(f);
        }
    }
    // A subtraction whose operands are compared just before it, in a report calling it an
    // integer overflow, or an over-read or overflow that an underflow causes.
    if matches!(report.class, Some(VulnClass::IntegerOverflow)) || report.class.is_none() || memory && says_underflow(report) {
        if let Some(f) = crate::ordered::ordered_subtraction(view, &focus)? {
            findings.push(f);
        }
    }
    // An overflow needing an input longer than the project accepts.
    if matches!(report.class, Some(VulnClass::IntegerOverflow | VulnClass::BufferOverflow) | None) {
        if let Some(f) = crate::values::capped_input(report, view, policy)? {
            findings.push(f);
        }
    }

    // Input said to be run as a command, in a project whose C code runs none.
    {
        let named_files: Vec<&str> = claims
            .iter()
            .filter(|c| c.kind == "file" && c.status == Status::Confirmed && !c.negated)
            .filter_map(|c| c.location.as_ref().map(|l| l.path.as_str()))
            .collect();
        if let Some(f) = crate::commands::no_runner(report, view, policy, &places, &named_files)? {
            findings.push(f);
        }
    }

    // Input from the local user or the environment only.
    let remote = report.inputs.iter().any(|i| matches!(i, InputSource::Network | InputSource::Server | InputSource::File));
    let local: Vec<&InputSource> = report
        .inputs
        .iter()
        .filter(|i| matches!(i, InputSource::Environment | InputSource::LocalUser | InputSource::CommandLine))
        .collect();
    let mut env_code = None;
    if !remote {
        for l in &places {
            if let Some(found) = getenv_near(view, l, policy)? {
                env_code = Some(found);
                break;
            }
        }
    }
    // Without code reading the environment, only what the report itself says counts, and a PoC's
    // own command line (a harness taking argv) says nothing about the project's input.
    let local: Vec<&InputSource> =
        if env_code.is_some() { local } else { local.into_iter().filter(|i| **i != InputSource::CommandLine).collect() };
    if !remote && (!local.is_empty() || env_code.is_some()) {
        let what: Vec<&str> = local
            .iter()
            .map(|i| match i {
                InputSource::Environment => "the environment",
                InputSource::LocalUser => "the local user",
                _ => "the command line",
            })
            .collect();
        let (message, evidence, location) = match env_code {
            Some((loc, code)) => {
                (format!("the cited code reads its input from the environment ({}:{})", loc.path, loc.line), code, Some(loc))
            }
            None => (format!("the report's attacker-controlled input comes from {}", what.join(" and ")), String::new(), None),
        };
        findings.push(Finding::new(&rules::TRI_LOCAL_INPUT, message, evidence).at(location.clone()));
        if policy.excludes("local-attacker") {
            findings.push(
                Finding::new(
                    &rules::TRI_OUT_OF_SCOPE,
                    "policy: attacks needing local access are not security issues for this project (local-attacker)".into(),
                    String::new(),
                )
                .at(location),
            );
        }
    }

    // Scope rules that follow from the report alone.
    if policy.excludes("null-deref-crash") && matches!(report.class, Some(VulnClass::NullDeref)) {
        findings.push(Finding::new(
            &rules::TRI_OUT_OF_SCOPE,
            "policy: a NULL pointer dereference (a crash) is not a security issue for this project (null-deref-crash)".into(),
            "class: NULL pointer dereference".into(),
        ));
    }
    // Input that reaches the code through the API is how every library is used; only a report that
    // says the application must misuse the API to trigger the problem is out of scope.
    if policy.excludes("api-misuse")
        && !report.inputs.iter().any(|i| matches!(i, InputSource::Network | InputSource::Server | InputSource::File))
    {
        if let Some((line, sentence)) = api_misuse_sentence(report) {
            findings.push(Finding::new(
                &rules::TRI_OUT_OF_SCOPE,
                "policy: applications misusing the API is not a security issue for this project (api-misuse)".into(),
                format!("report line {line}: {}", sentence.chars().take(200).collect::<String>()),
            ));
        }
    }
    for (kind, what, found) in [
        ("small-memory-leak", "a small memory leak", if policy.excludes("small-memory-leak") { small_leak(report) } else { None }),
        ("crlf-in-data", "CR/LF characters passed in by the user or application", policy_phrase(report, "crlf-in-data")),
        (
            "command-line-trickery",
            "tricking a user into running a command line (or injecting its arguments)",
            policy_phrase(report, "command-line-trickery"),
        ),
        ("terminal-escape", "escape sequences shown on a terminal", policy_phrase(report, "terminal-escape")),
        ("url-inconsistency", "URL parsing that differs from browsers", policy_phrase(report, "url-inconsistency")),
        ("visible-arguments", "command-line arguments readable in process listings", policy_phrase(report, "visible-arguments")),
        ("local-file-url", "a file:// URL reading local files", local_file_url(report)),
        ("crafted-bytecode", "a crash from loading crafted or modified bytecode", crafted_bytecode(report, policy)),
        ("large-allocation", "a sanitizer stopping at a large allocation request", large_allocation(report)),
    ] {
        if let Some(evidence) = found.filter(|_| policy.excludes(kind)) {
            findings.push(Finding::new(
                &rules::TRI_OUT_OF_SCOPE,
                format!("policy: {what} is not a security issue for this project ({kind})"),
                evidence,
            ));
        }
    }
    if policy.excludes("weak-crypto-required-by-protocol") {
        if let Some(line) = weak_crypto(report) {
            findings.push(Finding::new(
                &rules::TRI_OUT_OF_SCOPE,
                "policy: weak algorithms a protocol requires are not security issues for this project (weak-crypto-required-by-protocol)"
                    .into(),
                line,
            ));
        }
    }
    Ok(())
}

/// The line of a sanitizer's or fuzzer's output that stops the program at a large allocation
/// request (ASan's "failed to allocate" and allocation-size-too-big, libFuzzer's out-of-memory on a
/// malloc), when the output reports no memory error besides: the release build would attempt the
/// allocation or refuse it.
fn large_allocation(report: &Report) -> Option<String> {
    const STOPS: &[&str] = &[
        "addresssanitizer failed to allocate",
        "allocation-size-too-big",
        "requested allocation size",
        "addresssanitizer: out of memory",
        "addresssanitizer out-of-memory",
        "addresssanitizer: out-of-memory",
        "out-of-memory (malloc(",
        "malloc limit",
    ];
    const ERRORS: &[&str] = &[
        "buffer-overflow",
        "use-after-free",
        "double-free",
        "use-after-return",
        "use-after-scope",
        "segv on unknown address",
        "deadlysignal",
        "memcpy-param-overlap",
        "negative-size-param",
        "attempting free",
        "bad-free",
        "runtime error:",
        "stack-overflow",
        "unknown-crash",
    ];
    let text = whole_text(report);
    let lower = text.to_ascii_lowercase();
    if ERRORS.iter().any(|e| lower.contains(e)) {
        return None;
    }
    let line = lower.lines().position(|l| STOPS.iter().any(|s| l.contains(s)))?;
    text.lines().nth(line).map(|l| l.trim().chars().take(200).collect())
}

/// The allocation functions a NULL-dereference report names (in its prose or in the project code
/// it quotes), when each is the project's wrapper that never returns NULL (see
/// `never_null_wrapper`): the finding, with the chain from the name to the failure handler.
fn never_null_allocators(report: &Report, claims: &[ClaimResult], view: &View) -> Result<Option<Finding>, SourceError> {
    const LIBC: &[&str] =
        &["malloc", "calloc", "realloc", "reallocarray", "strdup", "strndup", "aligned_alloc", "posix_memalign", "alloca"];
    // Narrower than `allocates`: no constructors (`*_new`, `*_create`), and not the C library's.
    let allocator_name = |n: &str| {
        let l = n.to_ascii_lowercase();
        (l.contains("alloc") || l.contains("strdup")) && !LIBC.contains(&n) && !l.contains("free")
    };
    let mut names: Vec<String> = Vec::new();
    for c in claims.iter().filter(|c| c.kind == "function" && c.status == Status::Confirmed && !c.negated) {
        let n = identifiers(&c.text).last().copied().unwrap_or("");
        if allocator_name(n) && !names.iter().any(|x| x == n) {
            names.push(n.to_string());
        }
    }
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::ProjectCode) {
        for line in b.text.lines() {
            for n in called_names(line) {
                if allocator_name(n) && !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            }
        }
    }
    if names.is_empty() {
        return Ok(None);
    }
    // A NULL dereference, or a sentence saying the allocation returns NULL ("if s_malloc return
    // null, memset will coredump").
    let says_null = headed_sentences(report).iter().any(|(_, s)| {
        let lower = s.to_ascii_lowercase();
        lower.contains("null") && names.iter().any(|n| contains_identifier(s, n))
    });
    if !matches!(report.class, Some(VulnClass::NullDeref)) && !says_null {
        return Ok(None);
    }
    let mut chains = Vec::new();
    for n in &names {
        match never_null_wrapper(view, n)? {
            Some(chain) => chains.push(chain),
            None => return Ok(None),
        }
    }
    let (first_loc, _) = chains[0].clone();
    let evidence: Vec<String> = chains.iter().map(|(_, e)| e.clone()).collect();
    Ok(Some(
        Finding::new(
            &rules::TRI_ALLOCATOR_NEVER_NULL,
            format!(
                "{} never return{} NULL: the project's allocator calls a failure handler that does not return instead",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                if names.len() == 1 { "s" } else { "" }
            ),
            evidence.join(" | "),
        )
        .at(Some(first_loc)),
    ))
}

/// Whether the allocation function `name` never returns NULL: followed through object-like or
/// function-like macros (`#define s_malloc zmalloc`, at most three), it is a function the project
/// defines whose body tests the allocation for NULL and then calls a handler that does not return
/// (a name with abort, exit, fatal, panic, die, oom, nomem, out_of_memory or raise:
/// `if (!ptr) zmalloc_oom_handler(size);`), and that never returns NULL itself. The location of
/// the handler call and the chain as evidence.
fn never_null_wrapper(view: &View, name: &str) -> Result<Option<(Location, String)>, SourceError> {
    const NORETURN: &[&str] = &["abort", "exit", "fatal", "panic", "die", "oom", "nomem", "out_of_memory", "memory_exhausted", "raise"];
    let index = view.snapshot.index()?;
    let mut current = name.to_string();
    let mut chain: Vec<String> = Vec::new();
    for _ in 0..4 {
        let defs = index.definitions(&current);
        let own = |d: &&vouch_source::Def| bundled_dependency(&d.path).is_none();
        if let Some(d) =
            defs.iter().find(|d| d.kind == DefKind::Function && own(d)).or_else(|| defs.iter().find(|d| d.kind == DefKind::Function))
        {
            let Some(text) = view.snapshot.read(&d.path)? else { return Ok(None) };
            let Some(span) = index.file(&d.path).and_then(|f| f.function_at(d.line)) else { return Ok(None) };
            let body: Vec<(u32, &str)> =
                (span.name_line..=span.end_line.min(span.name_line + 80)).filter_map(|n| line_of(&text, n).map(|l| (n, l))).collect();
            if body.iter().any(|(_, l)| {
                let t = compact(l);
                t.contains("returnNULL;") || t.contains("return(NULL);") || t.contains("return0;") || t.contains("returnNULL}")
            }) {
                return Ok(None);
            }
            for (k, &(n, l)) in body.iter().enumerate() {
                let t = compact(l);
                let tests_null = t.contains("==NULL") || t.contains("(!") || t.contains("==0)");
                if !t.starts_with("if(") || !tests_null {
                    continue;
                }
                // The handler on the test's line or the statement after it.
                let next = body[k + 1..].iter().find(|(_, x)| !x.trim().is_empty() && x.trim() != "{").map(|(m, x)| (*m, *x));
                for (m, code) in std::iter::once((n, l)).chain(next) {
                    let after_test = if m == n { l.split_once(')').map_or("", |(_, r)| r) } else { code };
                    let handled = called_names(after_test).into_iter().any(|c| {
                        let lc = c.to_ascii_lowercase();
                        NORETURN.iter().any(|w| lc.contains(w))
                    });
                    if handled {
                        chain.push(format!("{}:{}: {}", d.path, m, code.trim()));
                        return Ok(Some((Location { path: d.path.clone(), line: m, end_line: None }, chain.join(" → "))));
                    }
                }
            }
            return Ok(None);
        }
        // A macro standing for another allocator: `#define s_malloc zmalloc`, `#define
        // xalloc(n) zmalloc(n)`.
        let Some(d) = defs.iter().find(|d| d.kind == DefKind::Macro && own(d)).or_else(|| defs.iter().find(|d| d.kind == DefKind::Macro))
        else {
            return Ok(None);
        };
        let Some(text) = view.snapshot.read(&d.path)? else { return Ok(None) };
        let Some(line) = line_of(&text, d.line) else { return Ok(None) };
        let Some(rest) = line.split_once(current.as_str()).map(|(_, r)| r) else { return Ok(None) };
        // Past a function-like macro's parameters.
        let rest = if rest.starts_with('(') { rest.split_once(')').map_or("", |(_, r)| r) } else { rest };
        let Some(target) = identifiers(rest).first().copied() else { return Ok(None) };
        if target == current || target == "malloc" || target == "calloc" || target == "realloc" {
            return Ok(None);
        }
        chain.push(format!("{}:{}: {}", d.path, d.line, line.trim()));
        current = target.to_string();
    }
    Ok(None)
}

/// Whether `macro_name` appears un-negated in a condition (`defined(M)`, `M`, not `!defined(M)`).
fn positive(text: &str, macro_name: &str) -> bool {
    let flat = compact(text);
    !(flat.contains(&format!("!defined({macro_name})"))
        || flat.contains(&format!("!defined{macro_name}"))
        || flat.contains(&format!("!{macro_name}")))
}

/// The arguments of the first call to `name` on `line`, split at top-level commas.
pub(crate) fn call_args(line: &str, name: &str) -> Option<Vec<String>> {
    let mut from = 0;
    while let Some(i) = line[from..].find(name) {
        let s = from + i;
        let e = s + name.len();
        from = e;
        let ok_before = s == 0 || !line.as_bytes()[s - 1].is_ascii_alphanumeric() && line.as_bytes()[s - 1] != b'_';
        let rest = line[e..].trim_start();
        if !ok_before || !rest.starts_with('(') {
            continue;
        }
        let mut depth = 0i32;
        let mut args = Vec::new();
        let mut cur = String::new();
        let mut in_str = false;
        let mut prev = ' ';
        for c in rest[1..].chars() {
            if in_str {
                cur.push(c);
                if c == '"' && prev != '\\' {
                    in_str = false;
                }
                prev = c;
                continue;
            }
            match c {
                '"' => {
                    in_str = true;
                    cur.push(c)
                }
                '(' | '[' => {
                    depth += 1;
                    cur.push(c)
                }
                ')' | ']' if depth == 0 => {
                    args.push(cur.trim().to_string());
                    return Some(args);
                }
                ')' | ']' => {
                    depth -= 1;
                    cur.push(c)
                }
                ',' if depth == 0 => {
                    args.push(cur.trim().to_string());
                    cur.clear();
                }
                _ => cur.push(c),
            }
            prev = c;
        }
        // The call continues on the next line: what we have is enough for the first arguments.
        args.push(cur.trim().to_string());
        return Some(args);
    }
    None
}

/// Fix-style copies that name the same destination and source as a project copy.
const FIX_COPIES: &[(&str, usize)] = &[("strlcpy", 1), ("strcpy_s", 2), ("strncpy_s", 2), ("memcpy_s", 2)];

/// Project lines holding a copy call whose destination and source are those of a copy call in the
/// report's text (prose, quotes, the reporter's code, fixes): at most three lines in all, so that
/// generic names (`buf`, `src`) do not point everywhere.
/// The copy the report names in its prose (`memcpy`) nearest the one line it cites, when that
/// line holds no copy and the copy is at most six lines away: line numbers of a slightly
/// different tree. Returns the copy's line and the cited line.
fn copy_near_cited_line(report: &Report, view: &View, focus: &[&Location]) -> Result<Option<(Location, u32)>, SourceError> {
    let [l] = focus else { return Ok(None) };
    if l.end_line.is_some_and(|e| e != l.line) {
        return Ok(None);
    }
    let named: Vec<&str> = COPIES
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).any(|b| crate::policy::contains_identifier(&b.text, n)))
        .collect();
    if named.is_empty() {
        return Ok(None);
    }
    let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
    let is_copy = |n: u32| line_of(&text, n).is_some_and(|t| COPIES.iter().any(|(c, _, _)| call_args(t, c).is_some()));
    if is_copy(l.line) {
        return Ok(None);
    }
    // Within the function around the cited line, when the index knows it.
    let index = view.snapshot.index()?;
    let span = index.file(&l.path).and_then(|f| f.function_at(l.line)).map(|f| (f.start_line, f.end_line));
    let near = (1..=6u32)
        .flat_map(|d| [l.line.checked_add(d), l.line.checked_sub(d)])
        .flatten()
        .filter(|&n| n > 0 && span.is_none_or(|(a, b)| (a..=b).contains(&n)))
        .find(|&n| line_of(&text, n).is_some_and(|t| named.iter().any(|c| call_args(t, c).is_some())));
    Ok(near.map(|n| (Location { path: l.path.clone(), line: n, end_line: None }, l.line)))
}

/// The copy function a finding's evidence line calls, for its message.
fn near_copy_name(evidence: &str) -> &'static str {
    COPIES.iter().map(|(n, _, _)| *n).find(|n| call_args(evidence, n).is_some()).unwrap_or("copy")
}

fn named_copies(report: &Report, view: &View) -> Result<Vec<Location>, SourceError> {
    let plain = |s: &str| !s.is_empty() && !s.starts_with('"') && s.bytes().all(|c| c.is_ascii_alphanumeric() || b"_->.[]&*".contains(&c));
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in report.blocks.iter().flat_map(|b| b.text.lines()) {
        let calls = COPIES.iter().map(|(n, _, src)| (*n, *src)).chain(FIX_COPIES.iter().copied());
        for (name, src_arg) in calls {
            let Some(args) = call_args(line, name) else { continue };
            if let (Some(d), Some(s)) = (args.first().map(|a| compact(a)), args.get(src_arg).map(|a| compact(a))) {
                if plain(&d) && plain(&s) && !pairs.contains(&(d.clone(), s.clone())) {
                    pairs.push((d, s));
                }
            }
        }
    }
    let index = view.snapshot.index()?;
    let mut out: Vec<Location> = Vec::new();
    for (dst, src) in pairs.iter().take(8) {
        let Some(key) = identifiers(src).last().copied() else { continue };
        if index.mention_count(key) > 2000 {
            continue;
        }
        // Only the lines that mention the source (a call spread over lines starts there too).
        for (path, line) in index.mentions(key) {
            let Some(text) = view.snapshot.read(&path)? else { continue };
            let hit = |code: &str| {
                COPIES.iter().any(|(name, _, src_arg)| {
                    call_args(code, name).is_some_and(|a| {
                        a.first().map(|x| compact(x)).as_deref() == Some(dst.as_str())
                            && a.get(*src_arg).map(|x| compact(x)).as_deref() == Some(src.as_str())
                    })
                })
            };
            let this = line_of(&text, line).unwrap_or("");
            let prev = line.checked_sub(1).and_then(|n| line_of(&text, n)).unwrap_or("");
            let at = if hit(this) {
                line
            } else if hit(&format!("{prev} {this}")) {
                line - 1
            } else {
                continue;
            };
            let here = Location { path: path.clone(), line: at, end_line: None };
            if !out.contains(&here) {
                out.push(here);
            }
        }
    }
    Ok(if out.len() <= 3 { out } else { Vec::new() })
}

/// `sizeof(dst)` for `dst`, or `sizeof(X) - off` for `&X[off]` / `X + off`: the size argument
/// cannot exceed the room in the destination.
fn sized_by_destination(dst: &str, size: &str) -> bool {
    let (dst, size) = (compact(dst), compact(size));
    // Casts in front of the destination: `(char *)&temp[len]`.
    let d = strip_casts(&dst);
    let whole = |x: &str| size == format!("sizeof({x})") || size == format!("sizeof{x}");
    if whole(d) || identifiers(d).last().is_some_and(|id| whole(id) && d.ends_with(id)) {
        return true;
    }
    let (array, off) = if let Some(inner) = d.strip_prefix('&').and_then(|r| r.strip_suffix(']')) {
        match inner.split_once('[') {
            Some(x) => x,
            None => return false,
        }
    } else if let Some((a, o)) = d.split_once('+') {
        (a, o)
    } else {
        return false;
    };
    !array.is_empty() && !off.is_empty() && (size == format!("sizeof({array})-{off}") || size == format!("sizeof({array})-({off})"))
}

/// What the report says about the checks in the code: a report that argues that a check is wrong
/// ("off-by-one", "the check can be bypassed") is about the check, so finding the check is no
/// evidence against it. Quoting the check alone is not arguing about it ("despite the check,
/// strcpy is unsafe").
struct ArguedChecks {
    argues: bool,
    /// The conditions the report quotes as the project's code, whitespace removed.
    quoted: HashSet<String>,
    /// Quoted lines of the project's code the reporter marked with a comment of their own
    /// (`if( X->p[n] != 0 )  // when X->n == 0 this reads out of bounds`, `p[i] = c; <-- here`):
    /// the code and the comment, whitespace removed. Where a quote marks lines, those are the
    /// lines it is about.
    pointed: Vec<(String, String)>,
    /// Members the report says change after the buffer they size was made (`psf->sf.channels =
    /// 255;` in a quote, "overwrites `psf->sf.channels` each time" in prose), whitespace removed:
    /// a check against one of them is one the report argues is stale.
    changed: Vec<String>,
    /// Every line of the project's code the report quotes, whitespace removed (empty lines left
    /// out): where a quote leaves out lines between the ones it shows, the copies on the lines
    /// left out are not what it is about.
    quoted_lines: HashSet<String>,
    /// The functions those quoted lines call.
    quoted_calls: HashSet<String>,
}

impl ArguedChecks {
    /// `own`: whether a comment in a quote is the project's (its text is in a file the report
    /// cites), not the reporter's remark.
    fn of(report: &Report, own: &dyn Fn(&str) -> bool) -> ArguedChecks {
        let words = [
            "off-by-one",
            "off by one",
            "bypass",
            "insufficient check",
            "insufficient bounds",
            "incorrect check",
            "wrong check",
            "check is wrong",
            "check is incorrect",
            "check is insufficient",
            "check does not",
            "check doesn't",
            "the only check",
            "check passes",
            "underflow",
            "wraps around",
            "wrap around",
            "truncat",
            "signedness",
            "sign extension",
            "negative",
            "no effect",
            "ineffective",
            "not effective",
            "does not prevent",
            "doesn't prevent",
            "fails to prevent",
        ];
        // The reporter's remarks inside a quote of the project's code count as what the report
        // says (`// [2] These checks have no effect` above the checks it means).
        let remarks: Vec<String> = report
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ProjectCode)
            .flat_map(|b| b.text.lines())
            .filter_map(|l| {
                let code = code_before_comment(l);
                let comment = l[code.len()..].trim();
                (!comment.is_empty() && !own(comment)).then(|| comment.to_string())
            })
            .collect();
        let remarks = remarks.join("\n");
        let argues = matches!(report.class, Some(VulnClass::IntegerOverflow))
            || report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).map(|b| b.text.as_str()).chain([remarks.as_str()]).any(|text| {
                let prose = text.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
                // A buffer underflow (a write before the buffer) is another memory error, not an
                // integer that wraps past the check.
                let prose = prose.replace("buffer underflow", "buffer under-run").replace("buffer under-flow", "buffer under-run");
                words.iter().any(|w| prose.contains(w))
            });
        let quoted = report
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ProjectCode)
            .flat_map(|b| b.text.lines())
            .map(condition_key)
            .filter(|l| l.starts_with("if") || l.starts_with("elseif") || l.starts_with("while"))
            .collect();
        let pointed = report
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ProjectCode)
            .flat_map(|b| b.text.lines())
            .filter_map(reporter_mark)
            .collect();
        let changed = changed_members(report);
        let quoted_lines = report
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ProjectCode)
            .flat_map(|b| b.text.lines())
            .map(|l| compact(code_before_comment(l)))
            .filter(|l| l.len() > 1)
            .collect();
        let quoted_calls = report
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::ProjectCode)
            .flat_map(|b| b.text.lines())
            .flat_map(|l| called_names(code_before_comment(l)).into_iter().map(String::from).collect::<Vec<_>>())
            .collect();
        ArguedChecks { argues, quoted, pointed, changed, quoted_lines, quoted_calls }
    }

    /// The lines of `l`'s span that a quote of the report shows, when it shows some of them but
    /// not every code line between its first and last (a quote of two lines found 16 lines
    /// apart); empty when the span is not such a quote's.
    fn quoted_in(&self, text: &str, l: &Location) -> Vec<u32> {
        let end = l.end_line.unwrap_or(l.line);
        if self.quoted_lines.is_empty() || end <= l.line {
            return Vec::new();
        }
        let mut shown = Vec::new();
        let mut gap = false;
        for n in l.line..=end.min(l.line + 200) {
            let Some(t) = line_of(text, n) else { break };
            let code = compact(code_before_comment(t));
            if code.len() <= 1 {
                continue;
            }
            // The line as quoted, with a marker the reporter appended (`memcpy(p, a, n); (4)`), or a
            // function it calls that the quote calls too (the quote of another version, or with
            // its line numbers: `76   memcpy(&buf[bar->bar], "-=O=-", 5);`).
            let seen = self.quoted_lines.contains(&code)
                || code.len() >= 6 && self.quoted_lines.iter().any(|q| q.starts_with(&code))
                || called_names(t).into_iter().any(|c| self.quoted_calls.contains(c));
            if seen {
                shown.push(n);
            } else {
                gap = true;
            }
        }
        if gap {
            shown
        } else {
            Vec::new()
        }
    }

    /// Whether a condition compares against a member the report says changed.
    fn stale(&self, condition: &str) -> bool {
        let c = compact(condition);
        self.changed.iter().any(|m| {
            c.match_indices(m.as_str()).any(|(i, _)| {
                // The whole member expression, not the tail of a longer one (`x.psf->len`).
                let before = c[..i].chars().next_back();
                let after = c[i + m.len()..].chars().next();
                !before.is_some_and(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '>'))
                    && !after.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            })
        })
    }

    /// The lines of `l`'s span in `text` that the report marks (empty when it marks none there).
    fn pointed_in(&self, text: &str, l: &Location) -> Vec<u32> {
        if self.pointed.is_empty() {
            return Vec::new();
        }
        let end = l.end_line.unwrap_or(l.line);
        (l.line..=end.min(l.line + 200))
            .filter(|&n| {
                line_of(text, n).is_some_and(|t| {
                    let whole = compact(t);
                    let code = compact(code_before_comment(t));
                    self.pointed.iter().any(|(c, comment)| !c.is_empty() && *c == code && !whole.contains(comment.as_str()))
                })
            })
            .collect()
    }
}

/// Member expressions (`a->b`, `a.b.c`) the report shows assigned in its code, or says in its
/// prose are overwritten, updated or changed; whitespace removed.
fn changed_members(report: &Report) -> Vec<String> {
    let member = |e: &str| {
        let e = compact(e);
        let ok = (e.contains("->") || e.contains('.'))
            && e.len() >= 4
            && e.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && e.bytes().all(|c| c.is_ascii_alphanumeric() || b"_->.".contains(&c));
        ok.then_some(e)
    };
    let mut out: Vec<String> = Vec::new();
    for b in report.blocks.iter().filter(|b| b.kind != BlockKind::Prose) {
        for line in b.text.lines() {
            let code = code_before_comment(line).trim();
            let Some((lhs, rhs)) = code.split_once('=') else { continue };
            if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>', '=', '+', '-', '*', '/', '|', '&', '^', '%']) {
                continue;
            }
            if let Some(m) = member(lhs).filter(|m| !out.contains(m)) {
                out.push(m);
            }
        }
    }
    const VERBS: &[&str] = &["overwrit", "updat", "changes ", "changed", "modifies", "modified", "reassign", "re-assign"];
    for (_, sentence) in prose_sentences(report) {
        let lower = sentence.to_ascii_lowercase();
        if !VERBS.iter().any(|v| lower.contains(v)) {
            continue;
        }
        for word in sentence.split(|c: char| c.is_whitespace() || matches!(c, '`' | ',' | '(' | ')' | ';' | ':')) {
            if let Some(m) = member(word.trim_end_matches('.')).filter(|m| !out.contains(m)) {
                out.push(m);
            }
        }
    }
    out
}

/// A quoted line's code and the comment or arrow after it (`x[n] = 0; // overflow here`,
/// `x[n] = 0;  <-- here`, `**// here**`), whitespace removed; `None` for a line without one
/// or with no code before it.
fn reporter_mark(line: &str) -> Option<(String, String)> {
    let code = code_before_comment(line);
    let arrow = line.find("<--").or_else(|| line.find("<=="));
    let cut = match arrow {
        Some(a) if a < code.len() => a,
        _ => code.len(),
    };
    if cut >= line.trim_end().len() {
        return None;
    }
    let code = compact(line[..cut].trim_end().trim_end_matches('*'));
    let comment = compact(line[cut..].trim_start_matches(['/', '*', '<', '-', '=', ' ', '\t']).trim_end_matches(['*', '/', ' ']));
    (code.len() >= 3 && comment.len() >= 2 && code.contains(['(', '[', '=', ';'])).then_some((code, comment))
}

/// The part of a line before a `//` or `/*` comment that is not inside a string literal.
pub(crate) fn code_before_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && matches!(bytes.get(i + 1), Some(b'/' | b'*')) => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

/// A condition line as quotes and code compare: whitespace and a trailing `{`, `...` or `;`
/// removed (`if (a != b) ...` in a quote is the code's `if (a != b)`).
fn condition_key(line: &str) -> String {
    compact(line).trim_end_matches(['{', '.', ';']).to_string()
}

/// Whether every comparison of a condition tests a pointer against NULL
/// (`if ((p = malloc (n)) == NULL)`), which bounds no size.
fn null_tests_only(cond: &str) -> bool {
    let c = compact(cond).replace("->", "");
    let nulls = c.matches("==NULL").count() + c.matches("!=NULL").count();
    let all = c.matches("==").count() + c.matches("!=").count() + c.matches('<').count() + c.matches('>').count();
    nulls > 0 && nulls == all
}

/// `reads`: the report claims an over-read, which a write bounded by its destination does not
/// prevent; only checks on the source (a literal, a checked length) answer it.
fn copy_checks(view: &View, l: &Location, argued: &ArguedChecks, reads: bool, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let Some(text) = view.snapshot.read(&l.path)? else { return Ok(()) };
    // The project's own names for the copies (`#define zmemcpy memcpy`) read as the copies; what
    // is found is shown with the project's name.
    let (text, aliases) = with_copy_aliases(view, &text, l)?;
    let first_new = findings.len();
    copy_checks_in(&text, view, l, argued, reads, findings)?;
    for f in findings.iter_mut().skip(first_new) {
        for (alias, target) in &aliases {
            f.evidence = f.evidence.replace(&format!("{target}("), &format!("{alias}("));
            f.message = f.message.replace(&format!("{target} at "), &format!("{alias} (a {target}) at "));
        }
    }
    Ok(())
}

fn copy_checks_in(
    text: &str,
    view: &View,
    l: &Location,
    argued: &ArguedChecks,
    reads: bool,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    let info = index.file(&l.path);
    let end = l.end_line.unwrap_or(l.line);
    let mut accessed = false;
    let first = findings.len();
    let mut copies = 0usize;
    // A quote that marks some of its lines is about those; one that leaves out lines between
    // those it shows is about the ones it shows.
    let mut pointed = argued.pointed_in(text, l);
    if pointed.is_empty() {
        pointed = argued.quoted_in(text, l);
    }
    for n in l.line..=end.min(l.line + 60) {
        let Some(code) = line_of(text, n) else { break };
        if !pointed.is_empty() && !pointed.contains(&n) {
            continue;
        }
        // Where the enclosing function starts, when the index knows it.
        let function_start = info.and_then(|f| f.function_at(n)).map(|f| f.start_line);
        let floor = function_start.unwrap_or(1).max(n.saturating_sub(15)).max(1);
        let body_start = function_start.unwrap_or(n.saturating_sub(40).max(1));
        if !reads {
            if let Some(f) = bounded_write(text, n, body_start, &l.path) {
                findings.push(f);
            }
            if let Some(f) = room_left(text, n, body_start, &l.path) {
                findings.push(f);
            }
            if let Some(f) = allocated_for_copy(text, n, body_start, &l.path) {
                findings.push(f);
            } else if let Some(f) = allocated_to_size(text, n, body_start, &l.path) {
                findings.push(f);
            }
        }
        if !argued.argues && !accessed {
            if let Some(f) = guarded_access(text, n, floor, &l.path) {
                findings.push(f);
                accessed = true;
            }
        }
        for (name, size_arg, src_arg) in COPIES {
            let Some(args) = call_args(code, name) else { continue };
            copies += 1;
            let here = Location { path: l.path.clone(), line: n, end_line: None };
            // A string literal source.
            if let Some(src) = args.get(*src_arg) {
                if src.starts_with('"') && src.ends_with('"') && !(name.contains("printf") && src.contains('%')) {
                    findings.push(
                        Finding::new(
                            &rules::TRI_LITERAL_SOURCE,
                            format!("{name} at {}:{n} copies the string literal {src}", l.path),
                            code.trim().to_string(),
                        )
                        .at(Some(here.clone())),
                    );
                    continue;
                }
            }
            // The size is the destination's own size, or the room left after an offset into it.
            if let (Some(i), Some(dst)) = (size_arg, args.first()) {
                if let Some(size) = args.get(*i) {
                    if sized_by_destination(dst, size) && !reads {
                        findings.push(
                            Finding::new(
                                &rules::TRI_GUARDED_COPY,
                                format!("{name} at {}:{n} writes at most the size of its destination ({size})", l.path),
                                code.trim().to_string(),
                            )
                            .at(Some(here.clone())),
                        );
                        continue;
                    }
                }
            }
            // The report argues about the check (an off-by-one): only arithmetic that settles it
            // answers the report. The check on the destination's size may be anywhere before the
            // copy in its function.
            if argued.argues && matches!(*name, "strcpy" | "memcpy" | "memmove") && !reads {
                let dst = args.first().map(|d| compact(d)).unwrap_or_default();
                let src = args.get(1).map(|d| compact(d)).unwrap_or_default();
                for g in (body_start..n).rev() {
                    let Some(prev) = line_of(text, g) else { continue };
                    let t = prev.trim_start();
                    let flat = compact(t);
                    // The source or destination changed between the check and the copy.
                    let changes = |v: &str| {
                        !v.is_empty()
                            && (flat.contains(&format!("{v}=")) && !flat.contains(&format!("{v}=="))
                                || ["strcat(", "strcpy(", "memcpy(", "strncat("].iter().any(|c| flat.contains(&format!("{c}{v},"))))
                    };
                    if changes(&src) || changes(&dst) {
                        break;
                    }
                    if !(t.starts_with("if(") || t.starts_with("if (")) || !flat.contains(&format!("sizeof({dst})")) {
                        continue;
                    }
                    if let Some(why) = exact_bound(name, &args, t, text, body_start, g, n) {
                        let message = format!("{name} at {}:{n} cannot overflow by one: {why}", l.path);
                        findings.push(guard_finding(&l.path, g, n, t, code, message));
                    }
                    break;
                }
            }
            // A bounds check on the same size (or the source's length) in the lines before.
            let watched: Vec<String> = match size_arg {
                Some(i) => args
                    .get(*i)
                    .map(|s| identifiers(s).into_iter().filter(|w| *w != "sizeof").map(String::from).collect())
                    .unwrap_or_default(),
                None => args.get(*src_arg).map(|s| identifiers(s).into_iter().map(String::from).collect()).unwrap_or_default(),
            };
            if watched.is_empty() {
                continue;
            }
            // Each watched name as the size names it: a variable (`sizeof(err)`) is not the member
            // of the same name of another object (`c->err`), nor the other way round.
            let size_text = match size_arg {
                Some(i) => args.get(*i),
                None => args.get(*src_arg),
            }
            .map(String::as_str)
            .unwrap_or("");
            let as_member: Vec<bool> = watched.iter().map(|w| names_member(size_text, w)).collect();
            for g in (floor..n).rev() {
                let Some(prev) = line_of(text, g) else { continue };
                let t = prev.trim_start();
                let line = compact(t);
                let on_destination = size_arg.is_none()
                    && args.first().is_some_and(|d| {
                        let d = compact(d);
                        !d.is_empty() && (line.contains(&format!("sizeof({d})")) || line.contains(&format!("sizeof{d}")))
                    });
                // `if ((p = malloc (size)) == NULL)` tests the allocation, not the size.
                let guard = (t.starts_with("if")
                    || t.starts_with("else if")
                    || t.starts_with("while")
                    || t.contains("DEBUGASSERT")
                    || t.contains("assert("))
                    && is_comparison(t)
                    && !null_tests_only(t)
                    && (on_destination
                        || watched.iter().zip(&as_member).any(|(w, m)| uses_as(t, w, *m) || size_arg.is_none() && t.contains("strlen")));
                // An over-read is about the source's real length: a comparison of the size that
                // the report quotes itself, beside the copy, is one it has read and argues past.
                if guard && reads && argued.quoted.contains(&condition_key(t)) {
                    break;
                }

                // `if(parse(&src, &val, MAX_LEN, ':'))` before `memcpy(name, val...)` into a
                // `char name[MAX_LEN + 1]`: the value was read with the destination's limit.
                let limit = (!guard && (t.starts_with("if") || t.starts_with("else if")))
                    .then(|| parse_limit(t, &watched, args.first().map(String::as_str).unwrap_or(""), text, body_start, n))
                    .flatten();
                if let Some((k, decl)) = limit {
                    if argued.argues {
                        break;
                    }
                    let message = format!(
                        "{name} at {}:{n} copies a value read at line {g} with the limit {k}, and its destination holds {k} (line {decl})",
                        l.path
                    );
                    findings.push(guard_finding(&l.path, g, n, t, code, message));
                    break;
                }
                if guard && (argued.argues || argued.stale(t)) {
                    break;
                }
                if guard {
                    let message = format!("{name} at {}:{n} is preceded by a check of its size at line {g}", l.path);
                    findings.push(guard_finding(&l.path, g, n, t, code, message));
                    break;
                }
            }
        }
    }
    // A quote with several copies, one of them neither guarded nor of a literal: the report may be
    // about that one (`strcat(dimnames, ",")` then `strcat(dimnames, utlstr)`), so what answers
    // the others answers nothing.
    let answers = |f: &Finding| f.rule == rules::TRI_LITERAL_SOURCE.code || f.rule == rules::TRI_GUARDED_COPY.code;
    let answered = findings[first..].iter().filter(|f| answers(f)).count();
    if answered > 0 && answered < copies {
        let these = findings.split_off(first);
        findings.extend(these.into_iter().filter(|f| !answers(f)));
    }
    Ok(())
}

/// The report says a copied string is left without its terminator.
fn says_unterminated(report: &Report) -> bool {
    report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).any(|b| {
        let t = b.text.to_ascii_lowercase();
        ["nul-terminat", "null-terminat", "nul terminat", "null terminat", "nul‑terminat", "null‑terminat", "zero-terminat"]
            .iter()
            .any(|w| t.contains(w))
    })
}

/// The size of the char array `member` declared in `struct name` (`char name[1];`), from the
/// project's definition of the struct.
fn member_array_size(view: &View, name: &str, member: &str) -> Result<Option<u64>, SourceError> {
    let index = view.snapshot.index()?;
    for d in index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::Type)) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        for m in d.line..d.line + 80 {
            let Some(line) = line_of(&text, m) else { break };
            let flat = compact(line);
            if let Some(rest) = flat.strip_prefix("char").and_then(|r| r.strip_prefix(member)).and_then(|r| r.strip_prefix('[')) {
                return Ok(rest.split(']').next().and_then(|k| k.parse().ok()));
            }
            if m > d.line && flat.starts_with('}') {
                break;
            }
        }
    }
    Ok(None)
}

/// `memcpy(p->name, src, len)` after `p = calloc(1, sizeof(struct T) + len)` (or
/// `sizeof(*p)` with `struct T *p` declared in the function), where `T` declares `char name[k]`
/// with `k >= 1`: the byte after the copy lies in the allocation, and calloc zeroed it. Also
/// `memcpy(p, src, len)` after `p = calloc(1, len + 1)`.
fn terminated_by_calloc(view: &View, l: &Location) -> Result<Option<Finding>, SourceError> {
    let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
    let index = view.snapshot.index()?;
    let info = index.file(&l.path);
    let end = l.end_line.unwrap_or(l.line);
    for n in l.line..=end.min(l.line + 60) {
        let Some(code) = line_of(&text, n) else { break };
        let Some(args) = ["memcpy", "memmove", "strncpy"].iter().find_map(|c| call_args(code, c)) else { continue };
        let (Some(dst), Some(len)) = (args.first().map(|a| compact(a)), args.get(2).map(|a| compact(a))) else { continue };
        let start = info.and_then(|f| f.function_at(n)).map(|f| f.start_line).unwrap_or(n.saturating_sub(20)).max(1);
        let (base, member) = match dst.split_once("->") {
            Some((b, m)) => (b.to_string(), Some(m.to_string())),
            None => (dst.clone(), None),
        };
        if base.is_empty() || !base.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') || len.is_empty() {
            continue;
        }
        let Some((g, call)) = allocation_of(&text, &base, start, n) else { continue };
        let Some(call) = call.strip_prefix("calloc(") else { continue };
        let room = match &member {
            // `calloc(1, len + 1)` or `calloc(len + 1, 1)`.
            None => call.contains(&format!("{len}+1")) || call.contains(&format!("1+{len}")),
            Some(m) => {
                // `calloc(1, sizeof(struct T) + len)`, `calloc(1, sizeof(*p) + len)`.
                let adds = call.contains(&format!("+{len})")) || call.contains(&format!("+{len},"));
                let ty = if let Some(t) = call.split_once("sizeof(struct").map(|(_, r)| r.split(')').next().unwrap_or("")) {
                    Some(t.to_string())
                } else if call.contains(&format!("sizeof(*{base})")) {
                    // `struct T *p;` declared in the function.
                    (start..g).find_map(|k| {
                        let f = compact(line_of(&text, k).unwrap_or(""));
                        let decl = f.strip_prefix("struct")?;
                        let (t, rest) = decl.split_once('*')?;
                        (rest.starts_with(&format!("{base};")) || rest.starts_with(&format!("{base}="))).then(|| t.to_string())
                    })
                } else {
                    None
                };
                adds && match ty {
                    Some(t) => member_array_size(view, &t, m)?.is_some_and(|k| k >= 1),
                    None => false,
                }
            }
        };
        if !room {
            continue;
        }
        let alloc = line_of(&text, g).unwrap_or("");
        let message = format!(
            "the copy at {}:{n} is terminated: {base} was allocated zeroed at line {g} with a byte to spare after the {len} bytes copied ({})",
            l.path,
            alloc.trim()
        );
        return Ok(Some(guard_finding(&l.path, g, n, alloc, code, message)));
    }
    Ok(None)
}

/// The nearest line in `from..n` that allocates `base` (`p = calloc(...)`, `struct T *p =
/// (struct T *)malloc(...)`): its number and the call, compacted from the allocator's name on
/// (`calloc(1,sizeof(*p)+len);`).
fn allocation_of(text: &str, base: &str, from: u32, n: u32) -> Option<(u32, String)> {
    (from..n).rev().find_map(|g| {
        let flat = compact(line_of(text, g)?);
        let rest = flat.strip_prefix(&format!("{base}=")).or_else(|| flat.split_once(&format!("*{base}=")).map(|(_, r)| r))?;
        let at = rest.find("alloc(")?;
        let start = rest[..at].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        Some((g, rest[start..].to_string()))
    })
}

/// A guarded-copy finding for the check at line `g` and the copy at line `n` of `path`.
fn guard_finding(path: &str, g: u32, n: u32, check: &str, copy: &str, message: String) -> Finding {
    Finding::new(&rules::TRI_GUARDED_COPY, message, format!("{g}: {} | {n}: {}", check.trim(), copy.trim())).at(Some(Location {
        path: path.to_string(),
        line: g,
        end_line: Some(n),
    }))
}

/// `strlen(src) + 1`, `strlen(src)`, `len + 1`: the expression's base and constant addend.
fn base_and_addend(e: &str) -> (String, i64) {
    let e = compact(e);
    // `(strlen(src) + 1)`: one pair of parentheses around the whole.
    let e = match e.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if inner.matches('(').count() == inner.matches(')').count() => inner,
        _ => e.as_str(),
    };
    match e.rsplit_once('+') {
        Some((base, k)) if k.bytes().all(|c| c.is_ascii_digit()) && !k.is_empty() && !base.is_empty() => {
            (base.to_string(), k.parse().unwrap_or(0))
        }
        _ => (e.to_string(), 0),
    }
}

/// Exact arithmetic for a copy behind a check of the form `if(E > sizeof(dst))` or
/// `if(E >= sizeof(dst))` that exits, when `E` is `strlen(src) + k` (or a variable the function
/// sets to that once) before `strcpy(dst, src)`, or `E` is the size passed to
/// `memcpy(dst, x, E)` (with `dst[E] = 0` after it or not). Says why the largest copy the check
/// lets through still fits; None when it does not, or the code is not of that form.
fn exact_bound(name: &str, args: &[String], guard_line: &str, text: &str, body_start: u32, g: u32, n: u32) -> Option<String> {
    let dst = compact(args.first()?);
    let size = format!("sizeof({dst})");
    let exits = |s: &str| ["return", "goto ", "break;"].iter().any(|w| s.contains(w));
    if !(exits(guard_line) || line_of(text, g + 1).is_some_and(exits)) {
        return None;
    }
    // The compared expression and whether equality passes (`>`) or exits (`>=`).
    let flat = compact(guard_line);
    let cond = flat.strip_prefix("if(")?;
    let (expr, strict) = if let Some(i) = cond.find(&format!(">={size}")) {
        (&cond[..i], false)
    } else if let Some(i) = cond.find(&format!(">{size}")) {
        (&cond[..i], true)
    } else if let Some(rest) = cond.strip_prefix(&format!("{size}<=")) {
        (rest.split([')', '|', '&']).next()?, false)
    } else if let Some(rest) = cond.strip_prefix(&format!("{size}<")) {
        (rest.split([')', '|', '&']).next()?, true)
    } else {
        return None;
    };
    let expr = expr.trim_start_matches('(');
    if expr.is_empty() || expr.contains("||") || expr.contains("&&") {
        return None;
    }
    // Largest value of the expression that passes the check, as sizeof(dst) + pass.
    let pass: i64 = if strict { 0 } else { -1 };
    let (mut base, mut k) = base_and_addend(expr);
    // A variable set once in the function: `const size_t byte_count = strlen(req->path) + 1;`.
    let is_var = base.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') && k == 0;
    let var = is_var.then(|| base.clone());
    if let Some(v) = &var {
        let mut set: Option<(String, i64)> = None;
        for m in body_start..n {
            let line = compact(line_of(text, m).unwrap_or(""));
            let Some(at) = line.find(&format!("{v}=")) else { continue };
            let before = &line[..at];
            if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '>' || c == '.')
                && !before.ends_with("size_t")
                && !before.ends_with("int")
                && !before.ends_with("long")
            {
                continue;
            }
            if line[at + v.len() + 1..].starts_with('=') {
                continue;
            }
            if set.is_some() || m > g {
                return None; // assigned twice, or after the check
            }
            let rhs = line[at + v.len() + 1..].trim_end_matches(';');
            set = Some(base_and_addend(rhs));
        }
        if let Some((b, kk)) = set {
            base = b;
            k = kk;
        }
    }
    match name {
        "strcpy" => {
            let src = compact(args.get(1)?);
            if base != format!("strlen({src})") {
                return None;
            }
            // strcpy writes strlen(src) + 1 bytes; the check lets strlen(src) + k <= sizeof + pass.
            let most = pass - k + 1;
            (most <= 0).then(|| {
                format!(
                    "the check at line {g} lets through at most strlen({src}) = {size}{}, so it writes at most {size}{} bytes with the terminator",
                    signed(pass - k),
                    signed(most)
                )
            })
        }
        "memcpy" | "memmove" => {
            let len = compact(args.get(2)?);
            if k != 0 || len != compact(expr) && var.as_deref() != Some(len.as_str()) {
                return None;
            }
            let term = (n + 1..=n + 3).any(|m| {
                let l = compact(line_of(text, m).unwrap_or(""));
                l.starts_with(&format!("{dst}[{len}]=")) || l.starts_with(&format!("{dst}[{len}]='\\0'"))
            });
            let most = pass + i64::from(term);
            (most <= 0).then(|| {
                format!(
                    "the check at line {g} lets through at most {len} = {size}{}, so it writes at most {size}{} bytes{}",
                    signed(pass),
                    signed(most),
                    if term { " with the terminator" } else { "" }
                )
            })
        }
        _ => None,
    }
}

fn signed(v: i64) -> String {
    match v {
        0 => String::new(),
        v if v > 0 => format!(" + {v}"),
        v => format!(" - {}", -v),
    }
}

/// Whether `text`'s first use of the identifier `ident` is a member's (`c->err`, `s.len`).
fn names_member(text: &str, ident: &str) -> bool {
    identifier_uses(text, ident).next().is_some_and(|member| member)
}

/// Whether `text` uses the identifier `ident` as a member (`member`) or as a name of its own.
fn uses_as(text: &str, ident: &str, member: bool) -> bool {
    identifier_uses(text, ident).any(|m| m == member)
}

/// For a condition that parses a watched value through a call (`curlx_str_until(&in, &prov,
/// MAX_PROVIDER_LEN, ':')`: the value passed by address), the limit in capitals it passes when
/// the copy's destination is declared with that limit (`char name[MAX_PROVIDER_LEN + 1]`)
/// between `body_start` and `n`: the constant and the declaration's line.
fn parse_limit(cond: &str, watched: &[String], dst: &str, text: &str, body_start: u32, n: u32) -> Option<(String, u32)> {
    let dst = compact(dst);
    if dst.is_empty() || !dst.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return None;
    }
    let flat = compact(cond);
    if !watched.iter().any(|w| flat.contains(&format!("&{w},")) || flat.contains(&format!("&{w})"))) {
        return None;
    }
    for name in called_names(cond) {
        let Some(args) = call_args(cond, name) else { continue };
        if !args.iter().any(|a| watched.iter().any(|w| compact(a) == format!("&{w}"))) {
            continue;
        }
        for a in &args {
            let k = a.trim();
            let constant = k.len() >= 3
                && k.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
                && k.bytes().any(|c| c.is_ascii_uppercase());
            if !constant {
                continue;
            }
            let decl = (body_start..n).find(|&d| line_of(text, d).is_some_and(|l| compact(l).contains(&format!("{dst}[{k}"))));
            if let Some(d) = decl {
                return Some((k.to_string(), d));
            }
        }
    }
    None
}

/// Words that name types rather than values in a C expression.
const TYPE_WORDS: &[&str] = &[
    "sizeof",
    "char",
    "unsigned",
    "signed",
    "int",
    "long",
    "short",
    "size_t",
    "ssize_t",
    "const",
    "struct",
    "void",
    "uint8_t",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "curl_off_t",
];

/// The values an expression depends on: its identifiers, without type words, constants in
/// capitals and what `sizeof(...)` measures.
fn value_names(expr: &str) -> Vec<String> {
    let mut flat = compact(expr);
    while let Some(i) = flat.find("sizeof(") {
        let mut depth = 0;
        let mut end = flat.len();
        for (j, c) in flat[i + 6..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 6 + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        flat.replace_range(i..end, "0");
    }
    let mut out: Vec<String> = Vec::new();
    for id in identifiers(&flat) {
        let constant = id.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_');
        if !TYPE_WORDS.contains(&id) && !constant && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// A pointer at an offset, `base + off` or `&base[off]`: the values of the base and of the offset.
fn pointer_offset(arg: &str) -> Option<(Vec<String>, Vec<String>)> {
    let a = compact(arg);
    let (base, off) =
        if let Some(inner) = a.strip_prefix('&').and_then(|r| r.strip_suffix(']')) { inner.split_once('[')? } else { base_plus(&a)? };
    let (base, off) = (value_names(base), value_names(off));
    (!base.is_empty() && !off.is_empty()).then_some((base, off))
}

/// A statement starting at line `n`, joined with its continuation lines until its parentheses
/// balance (at most six lines).
fn statement_at(text: &str, n: u32) -> String {
    let mut out = String::new();
    let mut depth = 0i32;
    for k in n..n + 6 {
        let Some(line) = line_of(text, k) else { break };
        out.push_str(line.trim());
        out.push(' ');
        depth += line.matches('(').count() as i32 - line.matches(')').count() as i32;
        if depth <= 0 {
            break;
        }
    }
    out
}

/// A call on line `n` that hands its callee a pointer at an offset and a length
/// (`write(data, msg + off, len)`) after a check, between `floor` and `n`, that compares offset
/// and length together against a limit (`if(off + len > got)`, `if(len > got - off)`): the access
/// the report calls out of bounds is checked as a whole. Any callee, not only the copy functions:
/// the check is on what the call is given. The caller skips it when the report argues that the
/// check is wrong.
fn guarded_access(text: &str, n: u32, floor: u32, path: &str) -> Option<Finding> {
    let code = line_of(text, n)?;
    let stmt = statement_at(text, n);
    for name in called_names(code) {
        if matches!(name, "if" | "while" | "for" | "switch" | "return" | "sizeof") || COPIES.iter().any(|(c, _, _)| *c == name) {
            continue;
        }
        let Some(args) = call_args(&stmt, name) else { continue };
        for (p, arg) in args.iter().enumerate() {
            let Some((base, offset)) = pointer_offset(arg) else { continue };
            let lengths: Vec<Vec<String>> = args
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != p)
                .map(|(_, a)| value_names(a))
                .filter(|v| !v.is_empty() && v.iter().all(|x| !base.contains(x) && !offset.contains(x)))
                .collect();
            for g in (floor..n).rev() {
                let Some(prev) = line_of(text, g) else { continue };
                let t = prev.trim_start();
                let cond = t.starts_with("if") || t.starts_with("else if") || t.contains("DEBUGASSERT");
                let flat = compact(t).replace("->", ".");
                let ordered = flat.contains('<') || flat.contains('>');
                let arithmetic = flat.contains('+') || flat.contains('-');
                if !(cond && ordered && arithmetic && offset.iter().all(|o| contains_identifier(t, o))) {
                    continue;
                }
                let Some(len) = lengths.iter().find(|v| v.iter().all(|x| contains_identifier(t, x))) else { continue };
                return Some(
                    Finding::new(
                        &rules::TRI_GUARDED_COPY,
                        format!(
                            "{name} at {path}:{n} is given {} bytes at offset {} of {}, and line {g} checks offset and length together first",
                            len.join("."),
                            offset.join(" + "),
                            base.join("."),
                        ),
                        format!("{g}: {} | {n}: {}", t.trim(), code.trim()),
                    )
                    .at(Some(Location { path: path.to_string(), line: g, end_line: Some(n) })),
                );
            }
        }
    }
    None
}

/// Leading casts of a compacted expression: `(char*)buf` is `buf`.
fn strip_casts(mut e: &str) -> &str {
    while let Some(rest) = e.strip_prefix('(').and_then(|r| r.split_once(')')).map(|(_, r)| r) {
        if rest.is_empty() {
            break;
        }
        e = rest;
    }
    e
}

/// `P+K` split at its first top-level `+` (a compacted expression).
fn base_plus(e: &str) -> Option<(&str, &str)> {
    let mut depth = 0i32;
    for (i, c) in e.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '+' if depth == 0 && i > 0 => return Some((&e[..i], &e[i + 1..])),
            _ => {}
        }
    }
    None
}

/// A call on line `n` that hands its callee a pointer at an offset into a buffer and, as the next
/// argument, the buffer's size minus that same offset (`f(buf + sizeof(h), SIZE - sizeof(h))`), where
/// the buffer holds that size: allocated with it between `floor` and `n` (`buf = calloc(1, SIZE)`)
/// or measured by `sizeof`. The callee is given exactly the room left, whatever it writes.
fn room_left(text: &str, n: u32, floor: u32, path: &str) -> Option<Finding> {
    let code = line_of(text, n)?;
    let stmt = statement_at(text, n);
    for name in called_names(code) {
        let Some(args) = call_args(&stmt, name) else { continue };
        let copy = COPIES.iter().any(|(c, _, _)| *c == name);
        for pair in args.windows(2) {
            let (ptr, size) = (compact(&pair[0]), compact(&pair[1]));
            let Some((base, off)) = base_plus(strip_casts(&ptr)) else { continue };
            let base = strip_casts(base);
            if base.is_empty() || off.is_empty() || !base.bytes().all(|c| c.is_ascii_alphanumeric() || b"_->.".contains(&c)) {
                continue;
            }
            let total = size
                .strip_suffix(off)
                .and_then(|r| r.strip_suffix('-'))
                .or_else(|| size.strip_suffix(&format!("({off})")).and_then(|r| r.strip_suffix('-')));
            let Some(total) = total.filter(|t| !t.is_empty()) else { continue };
            let measured = total == format!("sizeof({base})") || total == format!("sizeof{base}");
            if measured && copy {
                // The copy checks say so already.
                continue;
            }
            let allocated = if measured {
                None
            } else {
                (floor..n).rev().find(|&g| {
                    line_of(text, g).is_some_and(|l| {
                        let flat = compact(l);
                        flat.contains(&format!("{base}="))
                            && [format!("alloc({total})"), format!("alloc(1,{total})"), format!("alloc({total},1)")]
                                .iter()
                                .any(|a| flat.contains(a.as_str()))
                    })
                })
            };
            if !measured && allocated.is_none() {
                continue;
            }
            let holds = match allocated {
                Some(g) => format!("allocated with {total} at line {g}"),
                None => format!("{total} bytes"),
            };
            return Some(
                Finding::new(
                    &rules::TRI_GUARDED_COPY,
                    format!(
                        "{name} at {path}:{n} is given `{}` and `{}`: the room left in {base} ({base} is {holds})",
                        pair[0].split_whitespace().collect::<Vec<_>>().join(" "),
                        pair[1].split_whitespace().collect::<Vec<_>>().join(" "),
                    ),
                    stmt.trim().to_string(),
                )
                .at(Some(Location { path: path.to_string(), line: allocated.unwrap_or(n), end_line: Some(n) })),
            );
        }
    }
    None
}

/// A copy into a member of a structure (`memcpy(p->name, src, len)`) whose allocation between
/// `floor` and `n` added that same length to the structure's size (`p = calloc(1, sizeof(*p) +
/// len)`, `malloc(sizeof(struct T) + len)`): the structure with a trailing buffer, whose copy ends
/// inside the allocation whatever the member's declared size.
fn allocated_for_copy(text: &str, n: u32, floor: u32, path: &str) -> Option<Finding> {
    let code = line_of(text, n)?;
    let stmt = statement_at(text, n);
    for (name, size_arg, _) in COPIES.iter().filter(|(c, size, _)| size.is_some() && !c.contains("printf")) {
        if !called_names(code).contains(name) {
            continue;
        }
        let Some(args) = call_args(&stmt, name) else { continue };
        let (Some(dst), Some(len)) = (args.first().map(|a| compact(a)), size_arg.and_then(|i| args.get(i)).map(|a| compact(a))) else {
            continue;
        };
        let Some((base, _member)) = dst.split_once("->") else { continue };
        if base.is_empty() || len.is_empty() || !base.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            continue;
        }
        // `p = calloc(1, sizeof(*p) + len)`: room for the copy after the structure.
        let sized = |call: &str| {
            let adds_len = [format!("+{len})"), format!("+{len},"), format!("({len}+sizeof"), format!(",{len}+sizeof")]
                .iter()
                .any(|p| call.contains(p.as_str()));
            call.contains("sizeof(") && adds_len
        };
        let Some((g, _)) = allocation_of(text, base, floor, n).filter(|(_, call)| sized(call)) else { continue };
        let alloc = line_of(text, g).unwrap_or("");
        let message = format!(
            "{name} at {path}:{n} copies {} bytes into {}, and {base} was allocated at line {g} with room for them after the structure ({})",
            args.get(size_arg.unwrap_or(2)).map(|a| a.trim()).unwrap_or_default(),
            args[0].trim(),
            alloc.trim()
        );
        return Some(guard_finding(path, g, n, alloc, &stmt, message));
    }
    None
}

/// A copy of `len` bytes into `dst` (`memcpy(bucket->buf, buf, buflen)`) after the last assignment
/// of `dst` between `floor` and `n` allocated it with that length or more (`bucket->buf =
/// pemalloc(buflen, 1)`, `calloc(1, len + 1)`, `realloc(p, len)`), and neither changed since: the
/// copy ends inside the allocation, whatever the length is.
fn allocated_to_size(text: &str, n: u32, floor: u32, path: &str) -> Option<Finding> {
    let code = line_of(text, n)?;
    let stmt = statement_at(text, n);
    for (name, size_arg, _) in COPIES.iter().filter(|(c, size, _)| size == &Some(2) && !c.contains("printf") && *c != "strncat") {
        if !called_names(code).contains(name) {
            continue;
        }
        let Some(args) = call_args(&stmt, name) else { continue };
        let (Some(dst), Some(len)) =
            (args.first().map(|a| compact(strip_casts(a))), size_arg.and_then(|i| args.get(i)).map(|a| compact(a)))
        else {
            continue;
        };
        let lvalue = |e: &str| !e.is_empty() && e.bytes().all(|c| c.is_ascii_alphanumeric() || b"_->.()*[]".contains(&c));
        if !lvalue(&dst) || len.is_empty() || len.bytes().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let assigns = |flat: &str, v: &str| {
            flat.match_indices(&format!("{v}=")).any(|(i, _)| {
                let before_ok = i == 0 || !flat.as_bytes()[i - 1].is_ascii_alphanumeric() && flat.as_bytes()[i - 1] != b'_';
                before_ok && !flat[i + v.len() + 1..].starts_with('=')
            }) || [format!("{v}+="), format!("{v}-="), format!("{v}++"), format!("++{v}"), format!("&{v}")]
                .iter()
                .any(|p| flat.contains(p.as_str()))
        };
        // The last assignment of the destination before the copy.
        let Some(g) = (floor..n).rev().find(|&g| line_of(text, g).is_some_and(|l| assigns(&compact(l), &dst))) else { continue };
        let flat = compact(&statement_at(text, g));
        let Some(at) = flat.find(&format!("{dst}=")) else { continue };
        let rhs = &flat[at + dst.len() + 1..];
        let Some(open) = rhs.find("alloc(") else { continue };
        let start = rhs[..open].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let allocator = &rhs[start..open + 5];
        let Some(alloc_args) = call_args(rhs, allocator) else { continue };
        let alloc_args: Vec<String> = alloc_args.iter().map(|a| compact(a)).collect();
        let at_least = |a: &str| {
            a == len
                || a.strip_prefix(&format!("{len}+")).is_some_and(|k| k.bytes().all(|c| c.is_ascii_digit()))
                || a.strip_prefix(&format!("({len})+")).is_some_and(|k| k.bytes().all(|c| c.is_ascii_digit()))
        };
        let sized = if allocator.ends_with("calloc") {
            alloc_args.len() >= 2
                && (at_least(&alloc_args[0]) && matches!(alloc_args[1].as_str(), "1" | "sizeof(char)")
                    || at_least(&alloc_args[1]) && matches!(alloc_args[0].as_str(), "1" | "sizeof(char)"))
        } else if allocator.ends_with("realloc") {
            alloc_args.get(1).is_some_and(|a| at_least(a))
        } else {
            alloc_args.first().is_some_and(|a| at_least(a))
        };
        if !sized {
            continue;
        }
        // Neither the length nor the destination changes between the allocation and the copy.
        let changed = (g + 1..n).any(|k| line_of(text, k).is_some_and(|l| assigns(&compact(l), &len) || assigns(&compact(l), &dst)));
        if changed {
            continue;
        }
        let alloc = line_of(text, g).unwrap_or("");
        let message = format!(
            "{name} at {path}:{n} copies {} bytes into {}, which line {g} allocated with room for them ({})",
            args.get(2).map(|a| a.trim()).unwrap_or_default(),
            args[0].trim(),
            alloc.trim()
        );
        return Some(guard_finding(path, g, n, alloc, &stmt, message));
    }
    None
}

/// With no code cited, the calls a report names (`gethostbyname_r`) inside the functions it names
/// and the project defines: each is checked for being handed only the room left in its buffer.
fn named_calls(claims: &[ClaimResult], functions: &[&Location], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let callees: Vec<&str> = claims.iter().filter(|c| c.kind == "function" && !c.negated).map(|c| c.text.as_str()).collect();
    let index = view.snapshot.index()?;
    for l in functions.iter().take(4) {
        let Some(span) = index.file(&l.path).and_then(|f| f.function_at(l.line)) else { continue };
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        for n in span.start_line..=span.end_line.min(span.start_line + 400) {
            let Some(code) = line_of(&text, n) else { break };
            if !called_names(code).iter().any(|c| callees.contains(c) && *c != span.name) {
                continue;
            }
            if let Some(f) = room_left(&text, n, span.start_line, &l.path) {
                findings.push(f);
                return Ok(());
            }
        }
    }
    Ok(())
}

/// An indexed write `NAME[IDX++] = ...` (or `NAME[IDX] = ...`) in a loop whose condition bounds
/// IDX by a number (`IDX < 15`, `IDX <= 14`, `IDX < sizeof(NAME) - 1`) that keeps it inside the
/// local array `NAME[N]` declared earlier in the function. Only single-statement loops: the loop
/// header on the same line or on the line before (without an opening brace), so nothing else in
/// the loop changes IDX. The bound is checked by arithmetic, so the finding stands even when the
/// report quotes or argues about the loop.
fn bounded_write(text: &str, n: u32, body_start: u32, path: &str) -> Option<Finding> {
    let code = line_of(text, n)?;
    let (array, index) = indexed_write(code)?;
    let header = if is_loop_header(code) {
        code
    } else {
        let prev = line_of(text, n.checked_sub(1)?)?;
        if !is_loop_header(prev) || prev.trim_end().ends_with('{') {
            return None;
        }
        prev
    };
    let (size, decl_line) = (body_start..n).rev().find_map(|g| local_array_size(line_of(text, g)?, array).map(|s| (s, g)))?;
    let max_index = loop_bound(header, index, array, size)?;
    if max_index >= size {
        return None;
    }
    Some(
        Finding::new(
            &rules::TRI_GUARDED_COPY,
            format!(
                "the write {array}[{index}] at {path}:{n} is bounded by its loop condition to index {max_index}; \
                 {array} has {size} elements ({path}:{decl_line})"
            ),
            format!("{decl_line}: {} | {n}: {}", line_of(text, decl_line).unwrap_or("").trim(), code.trim()),
        )
        .at(Some(Location { path: path.to_string(), line: decl_line, end_line: Some(n) })),
    )
}

fn is_loop_header(line: &str) -> bool {
    let t = line.trim_start();
    ["while(", "while (", "for(", "for ("].iter().any(|w| t.starts_with(w))
}

/// `NAME[IDX++] =` or `NAME[IDX] =` (not `==`): the array and index identifiers.
fn indexed_write(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let mut from = 0;
    while let Some(i) = line[from..].find('[') {
        let open = from + i;
        from = open + 1;
        let close = open + line[open..].find(']')?;
        let array = identifiers(&line[..open]).last().copied()?;
        if !line[..open].trim_end().ends_with(array) {
            continue;
        }
        let inner = line[open + 1..close].trim();
        let index = inner.strip_suffix("++").unwrap_or(inner).trim();
        if index.is_empty() || !index.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') || index.as_bytes()[0].is_ascii_digit() {
            continue;
        }
        let rest = line[close + 1..].trim_start();
        if rest.starts_with('=') && !rest.starts_with("==") && b.get(open.wrapping_sub(1)) != Some(&b'.') {
            return Some((array, index));
        }
    }
    None
}

/// The element count of `TYPE NAME[N];` declared on this line (a local array, N a number).
fn local_array_size(line: &str, array: &str) -> Option<u32> {
    let t = line.trim();
    let at = t.find(&format!("{array}["))?;
    let before = t[..at].trim_end();
    // A declaration: a type word before the name, not an expression (`x = NAME[...]`).
    let ty = identifiers(before).last().copied()?;
    if !before.ends_with(ty) && !before.ends_with('*') || before.contains('=') || before.contains('(') {
        return None;
    }
    if at > 0 && (t.as_bytes()[at - 1].is_ascii_alphanumeric() || t.as_bytes()[at - 1] == b'_') {
        return None;
    }
    let rest = &t[at + array.len() + 1..];
    let close = rest.find(']')?;
    let size: u32 = rest[..close].trim().parse().ok()?;
    rest[close + 1..].trim_start().starts_with([';', '=', ',']).then_some(size)
}

/// The largest value of IDX the loop condition allows when IDX is written, from `IDX < X`,
/// `IDX <= X`, `X > IDX` or `X >= IDX` joined by `&&` to the rest of the condition; X is a number
/// or `sizeof(NAME)` with an optional `- k`.
fn loop_bound(header: &str, index: &str, array: &str, size: u32) -> Option<u32> {
    let open = header.find('(')?;
    let cond = header[open + 1..].split(';').nth(if header.trim_start().starts_with("for") { 1 } else { 0 })?;
    if cond.contains("||") {
        return None;
    }
    let value = |x: &str| -> Option<i64> {
        let x: String = x.chars().filter(|c| !c.is_whitespace() && *c != '(' && *c != ')').collect();
        if let Ok(v) = x.parse::<i64>() {
            return Some(v);
        }
        let rest = x.strip_prefix(&format!("sizeof{array}"))?;
        if rest.is_empty() {
            return Some(size as i64);
        }
        rest.strip_prefix('-')?.parse::<i64>().ok().map(|k| size as i64 - k)
    };
    let mut best: Option<i64> = None;
    for part in cond.split("&&") {
        let part = part.trim().trim_start_matches('(').trim_end_matches([')', '{', ' ']);
        for (op, strict, flipped) in [("<=", false, false), (">=", false, true), ("<", true, false), (">", true, true)] {
            let Some((a, b)) = part.split_once(op) else { continue };
            if b.starts_with('=') && !op.ends_with('=') {
                continue;
            }
            let (var, bound) = if flipped { (b.trim(), a.trim()) } else { (a.trim(), b.trim()) };
            let var = var.trim_start_matches('(').trim();
            if var != index {
                break;
            }
            if let Some(v) = value(bound) {
                let max = if strict { v - 1 } else { v };
                best = Some(best.map_or(max, |m: i64| m.min(max)));
            }
            break;
        }
    }
    best.and_then(|m| u32::try_from(m).ok())
}

/// Confirmed quotes of project code whose span in the file holds an `if(...)` comparison with an
/// early exit that the quote leaves out.
fn omitted_checks(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    // A check cannot answer a race (two threads pass it alike) or a leak (an early exit is
    // where leaks happen): leaving one out of the quote misleads about neither.
    if matches!(report.class, Some(VulnClass::RaceCondition | VulnClass::MemoryLeak)) {
        return Ok(());
    }
    // The words of the report's prose: a check matters to the report when it tests a value the
    // report talks about (a timeout check left out of a quote about a handshake does not).
    let prose = prose_names(report);
    let relevant = |check: &str| identifiers(check).iter().any(|w| prose.contains(w) && !matches!(*w, "if" | "sizeof" | "return" | "NULL"));
    for c in claims.iter().filter(|c| c.kind == "snippet" && !c.member && c.status == Status::Confirmed && c.at.is_none() && !c.negated) {
        let Some(l) = c.location.as_ref() else { continue };
        let Some(end) = l.end_line.filter(|&e| e > l.line && e - l.line <= 80) else { continue };
        let Some(code) = report.claims.iter().find(|k| k.report_line == c.report_line && k.text == c.text).and_then(|k| k.code.as_deref())
        else {
            continue;
        };
        // An elision the quote marks ("...", "/* ... */", "// --- snip ---") is honest: only
        // silent omissions count.
        if marks_elision(code) {
            continue;
        }
        let quoted: std::collections::HashSet<String> = code.lines().map(normalise).collect();
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        for n in l.line + 1..end {
            let Some(line) = line_of(&text, n) else { break };
            let t = line.trim_start();
            if !(t.starts_with("if(") || t.starts_with("if (")) || quoted.contains(&normalise(line)) {
                continue;
            }
            // A comparison of a value the prose names, or a test of a check function the prose
            // names (`if(!ssh_config_matches(needle, conn))` left out of a quote said to lack it).
            // An allocation's NULL test (`if ((p = malloc (n)) == NULL)`) bounds nothing.
            let compares = is_comparison(t) && relevant(t) && !null_tests_only(t);
            let calls_named = called_names(t).iter().any(|f| f.len() >= 6 && f.contains('_') && prose.contains(f));
            if !compares && !calls_named {
                continue;
            }
            let next = line_of(&text, n + 1).unwrap_or("").trim_start();
            let exits = |s: &str| ["return", "goto ", "break;", "continue;", "abort()"].iter().any(|w| s.contains(w));
            if exits(t) || exits(next) {
                findings.push(
                    Finding::new(
                        &rules::TRI_QUOTE_OMITS_CHECK,
                        format!("the quote at report line {} leaves out the check at {}:{n}", c.report_line, l.path),
                        format!("{n}: {} | {}: {}", t.trim(), n + 1, next.trim()),
                    )
                    .at(Some(Location { path: l.path.clone(), line: n, end_line: None }))
                    .line(c.report_line),
                );
                break;
            }
        }
    }
    Ok(())
}

/// Phrases saying that a value is not checked (or a buffer not resized for it).
const MISSING_CHECK: &[&str] = &[
    "without check",
    "without any check",
    "without validat",
    "without verif",
    "without bound",
    "without limit",
    "without proper",
    "without realloc",
    "without resiz",
    "fails to check",
    "fails to validat",
    "fails to verif",
    "fails to limit",
    "fails to realloc",
    "fails to resize",
    "does not check",
    "doesn't check",
    "does not validat",
    "doesn't validat",
    "does not verif",
    "doesn't verif",
    "does not limit",
    "doesn't limit",
    "does not enforce",
    "doesn't enforce",
    "fails to enforce",
    "never enforces",
    "without enforcing",
    "never checks",
    "never validat",
    "no bounds check",
    "no length check",
    "no size check",
    "no check",
    "missing bounds",
    "missing length",
    "missing size",
    "missing check",
    "not checked",
    "not validated",
    "not verified",
    "unchecked",
    "unvalidated",
    "lacks",
];

/// The identifiers of the report's prose that can stand for a value it means (three letters or
/// more, not generic).
fn prose_names(report: &Report) -> std::collections::HashSet<&str> {
    report
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Prose)
        .flat_map(|b| identifiers(&b.text))
        .filter(|w| w.len() >= 3 && !GENERIC_NAMES.contains(&w.to_ascii_lowercase().as_str()))
        .collect()
}

/// Names too generic to stand for the value a report means.
const GENERIC_NAMES: &[&str] = &["data", "ptr", "buf", "buffer", "the", "and", "for", "this", "that", "with", "null"];

/// Sentences of the report's prose, each with its report line.
pub(crate) fn prose_sentences(report: &Report) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::Prose) {
        let mut para = String::new();
        let mut first = b.start_line;
        for (i, line) in b.text.lines().chain(std::iter::once("")).enumerate() {
            if line.trim().is_empty() || line.trim_start().starts_with(['#', '-', '*', '|']) && !para.is_empty() {
                for s in para.split(". ").flat_map(|s| s.split("; ")) {
                    if !s.trim().is_empty() {
                        out.push((first, s.trim().to_string()));
                    }
                }
                para.clear();
                first = b.start_line + i;
            }
            if !line.trim().is_empty() {
                if para.is_empty() {
                    first = b.start_line + i;
                }
                para.push_str(line.trim());
                para.push(' ');
            }
        }
    }
    out
}

/// The largest leak a policy calls small.
const SMALL_LEAK: u64 = 64 * 1024;

/// A sanitizer summary of the report measuring a leak of at most [`SMALL_LEAK`] bytes, when the
/// sanitizer reported nothing but leaks: the measured size, not the report's words about it.
fn small_leak(report: &Report) -> Option<String> {
    let mut leak: Option<(u64, String)> = None;
    for b in &report.blocks {
        for line in b.text.lines() {
            let t = line.trim();
            if let Some(i) = t.find("ERROR: ") {
                let what = &t[i..];
                if what.contains("Sanitizer") && !what.contains("LeakSanitizer") && !what.contains("memory leaks") {
                    return None;
                }
            }
            let Some(i) = t.find("Sanitizer: ") else { continue };
            let rest = &t[i + "Sanitizer: ".len()..];
            let Some((n, _)) = rest.split_once(" byte(s) leaked") else { continue };
            let Ok(bytes) = n.trim().parse::<u64>() else { continue };
            if t.starts_with("SUMMARY") || t.contains("SUMMARY:") {
                let total = leak.as_ref().map_or(0, |(b, _)| *b) + bytes;
                leak = Some((total, t.chars().take(200).collect()));
            }
        }
    }
    leak.filter(|(bytes, _)| *bytes <= SMALL_LEAK).map(|(bytes, line)| format!("{bytes} byte(s) leaked: {line}"))
}

/// A report about a `file://` URL reading or reaching local files (path traversal, arbitrary file
/// read), with the sentence that says so. A share on another host (UNC paths, SMB) or a redirect
/// to a `file://` URL reaches further than the local files the user already has, so a report that
/// mentions either is not this kind.
fn local_file_url(report: &Report) -> Option<String> {
    const URL: &[&str] = &["file://", "file: url", "file url", "file protocol", "file scheme", "file handler"];
    // A sentence of the report's own that puts a file URL together with one of these (a `curl -V`
    // protocol list naming smb is no such sentence).
    const FURTHER: &[&str] = &[
        "unc ",
        "unc path",
        "\\\\",
        "smb",
        "network share",
        "remote share",
        "windows share",
        "redirect",
        "location:",
        "server push",
        "push promise",
        "pushed",
    ];
    let sentences = headed_sentences(report);
    if sentences
        .iter()
        .map(|(_, s)| s.to_ascii_lowercase())
        .any(|s| URL.iter().any(|u| s.contains(u)) && FURTHER.iter().any(|w| s.contains(w)))
    {
        return None;
    }
    const LOCAL: &[&str] = &[
        "traversal",
        "arbitrary file",
        "local file",
        "/etc/passwd",
        "/etc/shadow",
        "file read",
        "read any file",
        "read arbitrary",
        "file disclosure",
        "file access",
        "file inclusion",
        "unauthorized file",
    ];
    sentences.into_iter().find_map(|(line, sentence)| {
        let lower = sentence.to_ascii_lowercase();
        let about = URL.iter().any(|u| lower.contains(u)) && LOCAL.iter().any(|w| lower.contains(w));
        about.then(|| sentence_evidence(line, &sentence))
    })
}

/// The report's title and weakness (as line 0), then its prose sentences with their lines.
fn headed_sentences(report: &Report) -> Vec<(usize, String)> {
    [report.title.clone(), report.meta.weakness.clone()].into_iter().flatten().map(|t| (0usize, t)).chain(prose_sentences(report)).collect()
}

/// A sentence shown as a finding's evidence: the title or weakness as it is, a prose sentence
/// with its report line.
fn sentence_evidence(line: usize, sentence: &str) -> String {
    let text: String = sentence.trim().chars().take(200).collect();
    if line == 0 {
        text
    } else {
        format!("report line {line}: {text}")
    }
}

/// A sentence of the report's title, weakness or prose placing it in one of the scope kinds that
/// follow from the report's own words, with the sentence as evidence. Denied sentences ("this is
/// not a CRLF injection") do not count.
fn policy_phrase(report: &Report, kind: &str) -> Option<String> {
    let matches = |lower: &str| -> Option<usize> {
        // The byte offset of `w` as a whole word (not inside `crlfile`).
        let word = |w: &str| {
            let b = lower.as_bytes();
            let inner = |c: u8| c.is_ascii_alphanumeric() || c == b'-';
            lower.match_indices(w).map(|(i, _)| i).find(|&i| (i == 0 || !inner(b[i - 1])) && b.get(i + w.len()).is_none_or(|&c| !inner(c)))
        };
        match kind {
            // CR/LF bytes the user passes in: curl sends what it is given.
            "crlf-in-data" => word("crlf").filter(|_| ["injection", "inject", "smuggling", "splitting"].iter().any(|w| lower.contains(w))),
            // Tricking the user into a command line, or an attacker whose text becomes options of
            // the command line an application builds (argument injection): either way the
            // attacker writes curl's command line.
            "command-line-trickery" => ["trick", "tricked", "tricking", "tricks"]
                .iter()
                .filter_map(|w| word(w))
                .min()
                .filter(|&i| {
                    ["into running", "into executing", "into invoking", "into using", "to run ", "to execute "]
                        .iter()
                        .any(|p| lower[i..].contains(p))
                })
                .or_else(|| ["argument injection", "option injection", "flag injection"].iter().filter_map(|p| lower.find(p)).min()),
            "terminal-escape" => ["escape sequence", "escape code", "ansi escape"]
                .iter()
                .filter_map(|p| lower.find(p))
                .min()
                .filter(|_| lower.contains("terminal") || lower.contains("console")),
            "url-inconsistency" => word("whatwg").or_else(|| {
                ["parser differential", "parsing differential", "parser inconsistency", "parser discrepancy", "parsing discrepancy"]
                    .iter()
                    .filter_map(|p| lower.find(p))
                    .min()
                    .filter(|_| lower.contains("url"))
            }),
            // Arguments others can read in `ps` or /proc/<pid>/cmdline. The complaint is itself
            // a negation ("curl does not hide ..."), so no denial is looked for.
            "visible-arguments" => ["process list", "process table", "process command line", "/cmdline", "ps aux", "ps -ef", "`ps`"]
                .iter()
                .any(|p| lower.contains(p))
                .then_some(0)
                .filter(|_| {
                    ["credential", "password", "secret", "token", "argument", "visible", "mask", "hide", "hidden", "blank", "scrub"]
                        .iter()
                        .any(|w| lower.contains(w))
                }),
            _ => None,
        }
    };
    const DENIED: &[&str] = &["not ", "n't", "no ", "never", "without", "rather than", "instead of"];
    headed_sentences(report).into_iter().find_map(|(line, sentence)| {
        let lower = sentence.to_ascii_lowercase();
        let i = matches(&lower)?;
        if DENIED.iter().any(|d| lower[..i].contains(d)) {
            return None;
        }
        Some(sentence_evidence(line, &sentence))
    })
}

/// A sentence of the report's title, weakness or prose that has the problem come from compiled
/// bytecode crafted, modified or loaded malformed: it names bytecode (or one of the policy's
/// `bytecode_terms`, the project's names for its bytecode loader and format) and says the input
/// is loaded, deserialized, crafted, malformed, corrupt, invalid or truncated. A VM that trusts
/// what its own compiler writes (mruby, LuaJIT) does not verify it.
fn crafted_bytecode(report: &Report, policy: &Policy) -> Option<String> {
    const TERMS: &[&str] = &["bytecode", "byte code", "byte-code", "binary chunk", "precompiled", "compiled binary", "string.dump"];
    const INPUT: &[&str] = &[
        "load",
        "deserializ",
        "crafted",
        "malformed",
        "modified",
        "corrupt",
        "invalid",
        "truncated",
        "too-short",
        "too short",
        "declares",
    ];
    const DENIED: &[&str] = &["not ", "n't", "no ", "never", "without", "rather than", "instead of"];
    let extra: Vec<String> = policy.bytecode_terms.iter().map(|t| t.to_ascii_lowercase()).collect();
    headed_sentences(report).into_iter().find_map(|(line, sentence)| {
        let lower = sentence.to_ascii_lowercase();
        // As a word (or its plural): `rite` is not in "writes"; `read_irep` is in `mrb_read_irep_buf`.
        let b = lower.as_bytes();
        let word = |t: &str| {
            lower.match_indices(t).map(|(i, _)| i).find(|&i| {
                let end = if b.get(i + t.len()) == Some(&b's') { i + t.len() + 1 } else { i + t.len() };
                (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && b.get(end).is_none_or(|c| !c.is_ascii_alphanumeric())
            })
        };
        let i = TERMS.iter().copied().chain(extra.iter().map(String::as_str)).filter_map(word).min()?;
        if !INPUT.iter().any(|w| lower.contains(w)) || DENIED.iter().any(|d| lower[..i].contains(d)) {
            return None;
        }
        Some(sentence_evidence(line, &sentence))
    })
}

/// A sentence of the report's prose conceding that the application has to misuse the API: it
/// passes invalid values, or uses the API against its documentation. Sentences denying it ("this
/// is not API misuse", "does not require API misuse") and sentences blaming the project for
/// breaking its documentation do not count.
fn api_misuse_sentence(report: &Report) -> Option<(usize, String)> {
    const SAYS: &[&str] = &[
        "api misuse",
        "misuse of the api",
        "misuses the api",
        "misusing the api",
        "misuse of libcurl",
        "misuses libcurl",
        "against the documentation",
        "contrary to the documentation",
        "not documented to work",
        "documented to not work",
        "documented not to work",
    ];
    const PASSES: &[&str] = &["application passes", "application supplies", "caller passes", "caller supplies", "user passes"];
    const INVALID: &[&str] =
        &["invalid", "null", "negative", "uninitialized", "uninitialised", "too small", "too short", "wrong size", "freed", "dangling"];
    const DENIED: &[&str] =
        &["not ", "no ", "n't", "without", "never", "neither", "nor ", "rather than", "instead of", "no need", "regardless"];
    prose_sentences(report).into_iter().find(|(_, sentence)| {
        let lower = sentence.to_ascii_lowercase();
        let at = SAYS.iter().filter_map(|p| lower.find(p)).min().or_else(|| {
            // What is passed: the few words after the verb, up to the end of the clause.
            PASSES.iter().filter_map(|p| lower.find(p).map(|i| (i, i + p.len()))).find_map(|(i, e)| {
                let object: String =
                    lower[e..].split([',', ';', ':', '(']).next().unwrap_or("").split_whitespace().take(6).collect::<Vec<_>>().join(" ");
                (INVALID.iter().any(|w| object.contains(w)) && !object.contains("documented")).then_some(i)
            })
        });
        at.is_some_and(|i| !DENIED.iter().any(|d| lower[..i].contains(d)))
    })
}

/// Sentences of the report's prose that say a check is missing, with the phrase that says so.
/// The phrase is the sentence's own words, to the end of the word the cue starts
/// ("fails to validate" for the cue "fails to validat").
fn missing_check_sentences(report: &Report) -> Vec<(usize, String, String)> {
    prose_sentences(report)
        .into_iter()
        .filter_map(|(line, sentence)| {
            let lower = sentence.to_ascii_lowercase();
            let (at, cue) = MISSING_CHECK.iter().find_map(|w| lower.find(w).map(|i| (i, w.len())))?;
            let end = sentence[at + cue..].find(|c: char| !c.is_ascii_alphabetic()).map_or(sentence.len(), |e| at + cue + e);
            let phrase = sentence[at..end].to_string();
            Some((line, sentence, phrase))
        })
        .collect()
}

/// The code names of a sentence: the last identifier of each token that is marked as code
/// (backticks, bold) or looks like code (`a->b`, `a.b`, `snake_case`), except calls.
fn code_names(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in sentence.split_whitespace() {
        let marked = raw.contains('`') || raw.contains("**");
        let t = raw.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
        if t.is_empty() || raw.contains("()") || raw.contains('(') {
            continue;
        }
        let codeish = marked || t.contains("->") || t.contains('_') || t.split('.').filter(|p| !p.is_empty()).count() > 1;
        if !codeish || t.contains('/') {
            continue;
        }
        let Some(last) = identifiers(t).last().copied() else { continue };
        let lower = last.to_ascii_lowercase();
        if last.len() < 3 || GENERIC_NAMES.contains(&lower.as_str()) || last.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        if !out.iter().any(|o| o == last) {
            out.push(last.to_string());
        }
    }
    out
}

/// Whether a comparison in a condition has `name` on its greater side (`name > x`, `name >= x`,
/// `x < name`, `x <= name`) or, with `greater` false, on its lesser side (`name < x`, `x > name`).
/// The condition is split at `&&` (and at `||` when `or_atoms`; otherwise a part holding `||` is
/// skipped).
fn compares(cond: &str, name: &str, greater: bool, or_atoms: bool) -> bool {
    let cond = shielded(cond);
    let atoms: Vec<&str> = if or_atoms { cond.split("&&").flat_map(|a| a.split("||")).collect() } else { cond.split("&&").collect() };
    for atom in atoms {
        if atom.contains("||") {
            continue;
        }
        for (op, name_left) in [(">=", greater), ("<=", !greater), (">", greater), ("<", !greater)] {
            let Some((left, right)) = atom.split_once(op) else { continue };
            if contains_identifier(if name_left { left } else { right }, name) {
                return true;
            }
            break;
        }
    }
    false
}

/// A condition with `->`, `>>` and `<<` replaced by characters that are no comparison operator.
fn shielded(cond: &str) -> String {
    cond.replace("->", "\u{2192}").replace(">>", "\u{226b}").replace("<<", "\u{226a}")
}

/// Two values compared with each other in one part of a condition (`a > b`, `b <= a`).
fn compared_together(cond: &str, a: &str, b: &str) -> bool {
    let cond = shielded(cond);
    cond.split("&&").flat_map(|p| p.split("||")).any(|atom| {
        ["<=", ">=", "<", ">"].iter().find_map(|op| atom.split_once(op)).is_some_and(|(left, right)| {
            contains_identifier(left, a) && contains_identifier(right, b) || contains_identifier(left, b) && contains_identifier(right, a)
        })
    })
}

/// `name` compared against an upper bound (`if(name > max) fail;`).
fn upper_bound(cond: &str, name: &str) -> bool {
    compares(cond, name, true, true)
}

/// A loop condition that keeps `name` below a bound (`while(n < max)`).
fn kept_below(cond: &str, name: &str) -> bool {
    compares(cond, name, false, false)
}

/// What answers a report saying a value goes unchecked.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Present {
    /// A comparison against an upper bound.
    Bound,
    /// The comparison of the two values the report's sentence names.
    Argued,
    /// A NULL test of the pointer.
    Null,
}

/// The report says a value goes unchecked (or a buffer is not resized for it) in a function it
/// names, and that function compares the value against an upper bound and stops (returns, jumps
/// to an error exit, fails) when it is exceeded. A report that `argues` that a check is wrong
/// (an overflow past it) is answered only by the very comparison it says is missing: the two
/// values its sentence names, compared with each other ("fails to validate if `start` is greater
/// than `end`" against `if(start > end) return`). A NULL-dereference report saying a pointer goes
/// unchecked is answered by the function's NULL test of it (`if(!ctx) return -1;`).
fn present_checks(
    report: &Report,
    claims: &[ClaimResult],
    view: &View,
    kind: Present,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let functions: Vec<(&ClaimResult, &Location)> = claims
        .iter()
        .filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated && c.kind == "function" && c.origin == "prose")
        .filter_map(|c| c.location.as_ref().map(|l| (c, l)))
        .collect();
    if functions.is_empty() {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    for (report_line, sentence, cue) in missing_check_sentences(report) {
        let mut names = code_names(&sentence);
        // "reads `Ts` ... without validating it against `ndpts`": what comes after "against" is
        // what the unchecked value should have been compared with, not the value itself.
        if kind != Present::Argued {
            if let Some(target) = sentence.find(&cue).and_then(|i| sentence[i..].find(" against ").map(|j| i + j)) {
                let targets = code_names(&sentence[target..]);
                let before = code_names(&sentence[..target]);
                names.retain(|n| !targets.contains(n) || before.contains(n));
            }
        }
        if names.is_empty() || kind == Present::Argued && names.len() < 2 {
            continue;
        }
        let pairs: Vec<(&String, &String)> =
            names.iter().enumerate().flat_map(|(i, a)| names[i + 1..].iter().map(move |b| (a, b))).collect();
        // The functions this sentence names, else every function the report names.
        let bare = |t: &str| t.trim_end_matches("()").rsplit("::").next().unwrap_or(t).to_string();
        let here: Vec<&(&ClaimResult, &Location)> =
            functions.iter().filter(|(c, _)| contains_identifier(&sentence, &bare(&c.text))).collect();
        let scope: Vec<&(&ClaimResult, &Location)> = if here.is_empty() { functions.iter().take(4).collect() } else { here };
        for (c, l) in scope {
            let Some(text) = view.snapshot.read(&l.path)? else { continue };
            let Some(span) = index.file(&l.path).and_then(|f| f.function_at(l.line)) else { continue };
            for n in span.start_line..=span.end_line.min(span.start_line + 400) {
                let Some(code) = line_of(&text, n) else { break };
                let t = code.trim_start().trim_start_matches('}').trim_start();
                // `assert(ctx);`, `BUG_ON(!ctx);`, `g_return_val_if_fail(ctx != NULL, -1);`: an
                // assertion that stops the program (or returns) when the pointer is NULL.
                if kind == Present::Null {
                    if let Some((macro_name, subject)) = names.iter().find_map(|v| null_assertion(t, v).map(|m| (m, v.clone()))) {
                        findings.push(
                            Finding::new(
                                &rules::TRI_CHECK_PRESENT,
                                format!(
                                    "the report says \"{cue}\" about {subject}, but {} asserts that {subject} is not NULL ({macro_name}) at {}:{n}",
                                    bare(&c.text),
                                    l.path
                                ),
                                format!("{n}: {}", code.trim()),
                            )
                            .at(Some(Location { path: l.path.clone(), line: n, end_line: None }))
                            .line(report_line),
                        );
                        return Ok(());
                    }
                }
                if !(t.starts_with("if") || t.starts_with("else if")) || kind != Present::Null && !is_comparison(t) {
                    continue;
                }
                let found = match kind {
                    Present::Argued => pairs
                        .iter()
                        .find(|(a, b)| compared_together(t, a, b))
                        .map(|(a, b)| (format!("{a} and {b}"), format!("{a} against {b}"))),
                    Present::Bound => names.iter().find(|v| upper_bound(t, v)).map(|v| (v.clone(), format!("{v} against an upper bound"))),
                    Present::Null => {
                        let cond = compact(t);
                        names.iter().find(|v| null_test(&cond, v)).map(|v| (v.clone(), format!("{v} for NULL")))
                    }
                };
                let Some((subject, what)) = found else { continue };
                // The exit: within the next four lines, before the block closes.
                let mut exit = None;
                for k in n..=n + 4 {
                    let Some(next) = line_of(&text, k) else { break };
                    let s = if k == n { t } else { next.trim() };
                    if ["return", "goto ", "failf("].iter().any(|w| s.contains(w)) && !s.contains("return CURLE_OK") {
                        exit = Some((k, next.trim().to_string()));
                        break;
                    }
                    if k > n && s.starts_with('}') {
                        break;
                    }
                }
                let Some((k, exit_code)) = exit else { continue };
                findings.push(
                    Finding::new(
                        &rules::TRI_CHECK_PRESENT,
                        format!(
                            "the report says \"{cue}\" about {subject}, but {} checks {what} at {}:{n} and stops when the check fails",
                            bare(&c.text),
                            l.path
                        ),
                        format!("{n}: {} | {k}: {exit_code}", code.trim()),
                    )
                    .at(Some(Location { path: l.path.clone(), line: n, end_line: Some(k) }))
                    .line(report_line),
                );
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Whether the condition `cond` (compacted) tests `name` for NULL: `!name`, `name == NULL`,
/// `NULL == name`, `name == 0`, also through a member chain (`!s->name`).
fn null_test(cond: &str, name: &str) -> bool {
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let b = cond.as_bytes();
    for (i, _) in cond.match_indices(name) {
        let end = i + name.len();
        if i > 0 && ident(b[i - 1]) || end < b.len() && ident(b[end]) {
            continue;
        }
        // The start of the expression (`s->name`, `s.name`).
        let mut start = i;
        while start > 0 && (ident(b[start - 1]) || b[start - 1] == b'.' || b[start - 1] == b'>' && start >= 2 && b[start - 2] == b'-') {
            start -= if b[start - 1] == b'>' { 2 } else { 1 };
        }
        let before = &cond[..start];
        let after = &cond[end..];
        let negated = before.ends_with('!')
            && !before.ends_with("!!")
            && matches!(before.as_bytes().get(start.wrapping_sub(2)), Some(b'(' | b'|' | b'&') | None);
        if negated && !after.starts_with('=') && !after.starts_with("->") && !after.starts_with('.') && !after.starts_with('[') {
            return true;
        }
        if after.starts_with("==NULL") || after.starts_with("==0)") || before.ends_with("NULL==") {
            return true;
        }
    }
    false
}

/// The assertion macro on the code line `t` that stops (or returns) when `name` is NULL: one whose
/// condition is the failure (`BUG_ON(!ctx)`, `BUG_ON_HOT(ctx == NULL)`) holding a NULL test of
/// it, or one whose condition is the requirement (`assert(ctx)`, `assert_return(ctx, -EINVAL)`,
/// `g_return_val_if_fail(ctx != NULL, -1)`, `ASSERT(s->ctx)`) holding `ctx` or `ctx != NULL` as
/// one of its `&&` terms. `WARN_ON` and the like, which carry on, do not count.
fn null_assertion(t: &str, name: &str) -> Option<String> {
    let call = called_names(t).into_iter().next()?;
    if !t.starts_with(call) {
        return None;
    }
    let lower = call.to_ascii_lowercase();
    let failure_form = lower.starts_with("bug_on") || lower == "panic_if" || lower == "abort_if";
    let requirement_form = !failure_form
        && (lower == "assert"
            || lower.ends_with("_assert")
            || lower.starts_with("assert_")
            || lower.starts_with("g_assert")
            || lower.ends_with("return_if_fail")
            || lower.ends_with("return_val_if_fail"))
        && !lower.contains("not_reached")
        && !lower.starts_with("static_assert");
    if !failure_form && !requirement_form {
        return None;
    }
    let args = call_args(t, call)?;
    let cond = compact(args.first()?);
    let held = if failure_form {
        null_test(&format!("if({cond})"), name)
    } else {
        split_top_level(&cond, "&&").iter().any(|term| nonnull_term(term, name))
    };
    held.then(|| call.to_string())
}

/// Whether the compacted condition term `term` requires `name` (the whole expression, or its
/// last member) to be non-NULL: `name`, `s->name`, `name!=NULL`, `NULL!=name`, `name!=0`.
fn nonnull_term(term: &str, name: &str) -> bool {
    let t = term.trim_matches(|c| c == '(' || c == ')');
    let subject = t.strip_suffix("!=NULL").or_else(|| t.strip_suffix("!=0")).or_else(|| t.strip_prefix("NULL!=")).unwrap_or(t);
    if !subject.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' || c == '>') {
        return false;
    }
    let last = subject.rsplit("->").next().unwrap_or(subject).rsplit('.').next().unwrap_or(subject);
    last == name
}

/// The parameter names of the function defined at `span`.
pub(crate) fn parameters(text: &str, span: &vouch_source::FunctionSpan) -> Vec<String> {
    let mut header = String::new();
    for n in span.name_line..=span.end_line.min(span.name_line + 8) {
        let Some(l) = line_of(text, n) else { break };
        header.push_str(l);
        header.push(' ');
        if l.contains('{') || l.contains(')') && !l.trim_end().ends_with(',') {
            break;
        }
    }
    let Some(open) = header.find('(') else { return Vec::new() };
    let Some(close) = header.rfind(')') else { return Vec::new() };
    if close <= open {
        return Vec::new();
    }
    header[open + 1..close]
        .split(',')
        .filter_map(|p| identifiers(p.split('[').next().unwrap_or(p)).last().map(|s| s.to_string()))
        .filter(|p| p != "void")
        .collect()
}

/// The report says a function does not limit something; the function's loop is bounded by one
/// of its parameters, and every call of it in the project passes a value bounded from above by a
/// check in the lines before the call (`while(... && (mq->npacket < 4))`).
fn caller_bounds(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    // The functions the report names, and those holding the code it quotes.
    let mut functions: Vec<(String, Location)> = Vec::new();
    for c in claims.iter().filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated) {
        let Some(l) = c.location.as_ref() else { continue };
        let name = match c.kind {
            "function" if c.origin == "prose" => c.text.trim_end_matches("()").rsplit("::").next().unwrap_or(&c.text).to_string(),
            "snippet" | "line" if !c.member && matches!(c.origin, "prose" | "project-code") => {
                match index.file(&l.path).and_then(|f| f.function_at(l.line)) {
                    Some(f) => f.name.clone(),
                    None => continue,
                }
            }
            _ => continue,
        };
        if !functions.iter().any(|(n, _)| *n == name) {
            functions.push((name, l.clone()));
        }
    }
    for (report_line, sentence, cue) in missing_check_sentences(report) {
        for (name, l) in &functions {
            let name = name.clone();
            if !contains_identifier(&sentence, &name) {
                continue;
            }
            let Some(text) = view.snapshot.read(&l.path)? else { continue };
            let Some(span) = index.file(&l.path).and_then(|f| f.function_at(l.line)) else { continue };
            let params = parameters(&text, span);
            // The loop of the function bounded by a parameter.
            let mut bounded: Option<(usize, u32, String)> = None;
            for n in span.name_line..=span.end_line.min(span.name_line + 200) {
                let Some(code) = line_of(&text, n) else { break };
                let t = code.trim_start().trim_start_matches('}').trim_start();
                if !is_loop_header(t) {
                    continue;
                }
                if let Some(i) = params.iter().position(|p| upper_bound(t, p)) {
                    bounded = Some((i, n, code.trim().to_string()));
                    break;
                }
            }
            let Some((param, loop_line, loop_code)) = bounded else { continue };
            // Every call site, and the check before each.
            if index.mention_count(&name) > 40 {
                continue;
            }
            let mut guards: Vec<(String, u32, String, String)> = Vec::new();
            let mut calls = 0;
            let mut all = true;
            for (path, line) in index.mentions(&name) {
                let Some(ctext) = view.snapshot.read(&path)? else { continue };
                let Some(code) = line_of(&ctext, line) else { continue };
                let Some(args) = call_args(code, &name) else { continue };
                let Some(caller) = index.file(&path).and_then(|f| f.function_at(line)) else { continue };
                if caller.name_line == line || caller.name == name {
                    continue;
                }
                calls += 1;
                let Some(arg) = args.get(param) else {
                    all = false;
                    break;
                };
                let Some(key) = identifiers(arg).last().map(|s| s.to_string()) else {
                    all = false;
                    break;
                };
                let floor = caller.start_line.max(line.saturating_sub(30));
                let guard = (floor..line).rev().find_map(|g| {
                    let prev = line_of(&ctext, g)?;
                    let p = prev.trim_start().trim_start_matches('}').trim_start();
                    // `if(n > max) fail;` before the call, or a loop that runs while `n < max`.
                    let check = (p.starts_with("if") || p.starts_with("else if")) && upper_bound(p, &key);
                    let loop_bound = is_loop_header(p) && kept_below(p, &key);
                    (check || loop_bound).then(|| (g, prev.trim().to_string()))
                });
                match guard {
                    Some((g, code)) => guards.push((path.clone(), g, code, arg.trim().to_string())),
                    None => {
                        all = false;
                        break;
                    }
                }
            }
            if !all || calls == 0 || calls > 4 || guards.len() != calls {
                continue;
            }
            let (gpath, gline, gcode, arg) = &guards[0];
            let p = &params[param];
            findings.push(
                Finding::new(
                    &rules::TRI_CHECK_PRESENT,
                    format!(
                        "the report says \"{cue}\" about {name}, but its loop is bounded by {p} ({}:{loop_line}) and {} passes {arg}, bounded at {gpath}:{gline}",
                        l.path,
                        if calls == 1 { "its only caller".to_string() } else { format!("each of its {calls} callers") }
                    ),
                    format!("{loop_line}: {loop_code} | {gline}: {gcode}"),
                )
                .at(Some(Location { path: gpath.clone(), line: *gline, end_line: None }))
                .line(report_line),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// Whether a condition is an overflow check in the standard form on `operand`: `MAX - operand`
/// or `MAX / operand` compared with something, MAX a `*_MAX` constant.
fn overflow_check_on(cond: &str) -> Option<Vec<String>> {
    if !is_comparison(cond) {
        return None;
    }
    let ids = identifiers(cond);
    let mut operands = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        if !(id.ends_with("_MAX") || *id == "MAX") {
            continue;
        }
        let at = cond.find(id)? + id.len();
        let rest = cond[at..].trim_start();
        if rest.starts_with('-') || rest.starts_with('/') {
            operands.extend(ids.iter().skip(i + 1).filter(|x| !x.ends_with("_MAX")).map(|x| x.to_string()));
        }
    }
    (!operands.is_empty()).then_some(operands)
}

/// `*P++ = c` / `*P = c` in a compacted line: the pointer expression P written through.
fn pointer_write_target(flat: &str) -> Option<&str> {
    let rest = flat.strip_prefix('*')?;
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '>' | '.' | '(' | ')')))?;
    let (p, after) = rest.split_at(end);
    let p = p.trim_end_matches("->").trim_end_matches('-');
    let wrote = after.starts_with("++=") || after.starts_with('=') && !after.starts_with("==");
    (wrote && !p.is_empty() && !p.contains("->>")).then_some(p)
}

/// A write through a pointer (`*x->p++ = c`) that only runs under `if(P < B + sizeof(B))` on the
/// line before (or the same line): with a strict comparison against the end of the buffer, the
/// last byte written is the buffer's last. The cited lines are widened to the whole macro when
/// they are part of a `#define` (a bounded write is often an accumulator macro). This holds
/// whatever the report argues about the check: the comparison is the exact bound.
fn guarded_pointer_write(text: &str, l: &Location) -> Option<Finding> {
    let continued = |n: u32| line_of(text, n).is_some_and(|x| x.trim_end().ends_with('\\'));
    let (mut a, mut b) = (l.line, l.end_line.unwrap_or(l.line).max(l.line));
    let mut start = a;
    while start > 1 && continued(start - 1) {
        start -= 1;
    }
    if line_of(text, start).is_some_and(|x| x.trim_start().trim_start_matches('#').trim_start().starts_with("define")) {
        a = start;
        while continued(b) {
            b += 1;
        }
    }
    for n in a..=b.min(a + 60) {
        let code = line_of(text, n)?;
        let flat = compact(code.trim_end().trim_end_matches('\\'));
        let Some(p) = pointer_write_target(&flat) else { continue };
        let p = p.trim_start_matches('(').replace("(", "").replace(")", "");
        for g in (n.saturating_sub(2).max(a)..=n).rev() {
            let cond = compact(line_of(text, g)?.trim_end().trim_end_matches('\\')).replace("(", "").replace(")", "");
            if !(cond.starts_with("if") || cond.starts_with("while")) {
                continue;
            }
            let Some(i) = cond.find(&format!("{p}<")) else { continue };
            let bound = &cond[i + p.len() + 1..];
            if bound.starts_with('=') {
                continue;
            }
            let Some((base, rest)) = bound.split_once("+sizeof") else { continue };
            if base.is_empty() || !rest.starts_with(base) {
                continue;
            }
            let shown = line_of(text, g).unwrap_or("").trim().trim_end_matches('\\').trim().to_string();
            return Some(
                Finding::new(
                    &rules::TRI_GUARDED_COPY,
                    format!(
                        "the write through {p} at {}:{n} only happens while {p} < {base} + sizeof({base}) (line {g}): the last byte written is the buffer's last",
                        l.path
                    ),
                    format!("{g}: {shown} | {n}: {}", code.trim().trim_end_matches('\\').trim()),
                )
                .at(Some(Location { path: l.path.clone(), line: g, end_line: Some(n) })),
            );
        }
    }
    None
}

/// `#define NAME (10 * 1024 * 1024)`: a macro whose value is built only from numbers, operators
/// and other constants' names (capitals).
fn constant_define(line: &str) -> bool {
    let Some(rest) = line.trim().strip_prefix("#define").or_else(|| line.trim().strip_prefix("# define")) else { return false };
    let rest = rest.trim_start();
    let name_len = rest.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'_').count();
    if name_len == 0 || rest[name_len..].starts_with('(') {
        return false;
    }
    let value = rest[name_len..].split("/*").next().unwrap_or("").trim();
    let mut prev_digit = false;
    !value.is_empty()
        && value.bytes().any(|c| c.is_ascii_digit())
        && value.bytes().all(|c| {
            let ok = c.is_ascii_digit()
                || c.is_ascii_uppercase()
                || c == b'_'
                || b" \t()*+-/<>|&~^%x".contains(&c)
                || prev_digit && (c.is_ascii_hexdigit() || matches!(c, b'u' | b'l'));
            prev_digit = c.is_ascii_digit() || prev_digit && (c.is_ascii_hexdigit() || matches!(c, b'u' | b'l' | b'x'));
            ok
        })
}

/// When every line of code the report cites (at least one) defines a compile-time constant,
/// arithmetic there is the compiler's: no input reaches it.
fn constants_only(view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    let mut defines: Vec<(String, u32, String)> = Vec::new();
    for l in focus {
        let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
        let end = l.end_line.unwrap_or(l.line).min(l.line + 40);
        for n in l.line..=end {
            let Some(code) = line_of(&text, n) else { break };
            let t = code.trim();
            if t.is_empty() || t.starts_with("/*") || t.starts_with('*') || t.starts_with("//") {
                continue;
            }
            if !constant_define(t) {
                return Ok(None);
            }
            defines.push((l.path.clone(), n, t.to_string()));
        }
    }
    let Some((path, line, first)) = defines.first().cloned() else { return Ok(None) };
    let shown: Vec<String> = defines.iter().take(3).map(|(_, n, t)| format!("{n}: {t}")).collect();
    Ok(Some(
        Finding::new(
            &rules::TRI_GUARDED_ARITHMETIC,
            format!("the code the report cites at {path}:{line} only defines compile-time constants ({first}): the compiler computes them and no input reaches them"),
            shown.join(" | "),
        )
        .at(Some(Location { path, line, end_line: defines.last().map(|d| d.1) })),
    ))
}

/// The code the report cites for a memory-safety bug is, everywhere, a function's declaration in
/// a header (`CURL_EXTERN int curl_msprintf(char *buffer, const char *format, ...);`): outside any
/// function body, not a macro, no array, no initialiser. A prototype copies nothing.
fn declarations_only(view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    if focus.is_empty() {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    let mut first: Option<(&Location, String)> = None;
    for l in focus {
        let header = l.path.rsplit('/').next().is_some_and(|b| b.ends_with(".h") || b.ends_with(".hpp") || b.ends_with(".hh"));
        let Some(text) = view.snapshot.read(&l.path)?.filter(|_| header) else { return Ok(None) };
        let Some(code) = line_of(&text, l.line) else { return Ok(None) };
        let inside = index.file(&l.path).and_then(|f| f.function_at(l.line)).is_some();
        let continued = l.line > 1 && line_of(&text, l.line - 1).is_some_and(|p| p.trim_end().ends_with('\\'));
        // The declaration up to its `;` (a prototype may span lines).
        let mut decl = String::new();
        for n in l.line..l.line + 8 {
            let Some(t) = line_of(&text, n) else { break };
            decl.push_str(t.trim());
            decl.push(' ');
            if t.contains(';') || t.contains('{') {
                break;
            }
        }
        let t = code.trim();
        let prototype = t.contains('(')
            && !t.starts_with('#')
            && !inside
            && !continued
            && decl.contains(");")
            && !decl.contains('{')
            && !decl.contains('=')
            && !decl.contains('[');
        if !prototype {
            return Ok(None);
        }
        if first.is_none() {
            first = Some((l, t.to_string()));
        }
    }
    let Some((l, code)) = first else { return Ok(None) };
    Ok(Some(
        Finding::new(
            &rules::TRI_DECLARATION_ONLY,
            format!("the only code the report cites ({}:{}) declares a function in a header: a declaration runs nothing", l.path, l.line),
            code,
        )
        .at(Some((*l).clone())),
    ))
}

/// An addition or multiplication in the cited lines that only runs after an overflow check in
/// the standard form on one of its operands, in the lines before it in the same function.
fn guarded_arithmetic(view: &View, l: &Location, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let Some(text) = view.snapshot.read(&l.path)? else { return Ok(()) };
    let index = view.snapshot.index()?;
    let info = index.file(&l.path);
    let end = l.end_line.unwrap_or(l.line).min(l.line + 40);
    for n in l.line..=end {
        let Some(code) = line_of(&text, n) else { break };
        let t = code.trim();
        let arith = t.contains("+=")
            || t.contains("*=")
            || (t.contains(" + ") || t.contains(" * ")) && (t.contains('=') || t.starts_with("return"));
        if !arith || t.starts_with("if") || t.starts_with("else if") || t.starts_with("for") || t.starts_with("//") || t.starts_with("/*") {
            continue;
        }
        let floor = info.and_then(|f| f.function_at(n)).map(|f| f.start_line).unwrap_or(1).max(n.saturating_sub(12)).max(1);
        for g in (floor..n).rev() {
            let Some(prev) = line_of(&text, g) else { continue };
            let p = prev.trim_start().trim_start_matches('}').trim_start();
            if !(p.starts_with("if") || p.starts_with("else if")) {
                continue;
            }
            let Some(operands) = overflow_check_on(p) else { continue };
            if !operands.iter().any(|o| contains_identifier(t, o)) {
                continue;
            }
            findings.push(
                Finding::new(
                    &rules::TRI_GUARDED_ARITHMETIC,
                    format!("the arithmetic at {}:{n} is only reached through the overflow check at line {g}", l.path),
                    format!("{g}: {} | {n}: {t}", p.trim()),
                )
                .at(Some(Location { path: l.path.clone(), line: g, end_line: Some(n) })),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// Confirmed quotes of project code with a line, not in the file, that calls a function of the
/// project which the quoted function (the functions spanning the match) never calls, nor any
/// other code of that file.
fn added_calls(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    for c in claims.iter().filter(|c| c.kind == "snippet" && !c.member && c.status == Status::Confirmed && c.at.is_none() && !c.negated) {
        if c.origin != "project-code" {
            continue;
        }
        let Some(l) = c.location.as_ref() else { continue };
        let Some(code) = report.claims.iter().find(|k| k.report_line == c.report_line && k.text == c.text).and_then(|k| k.code.as_deref())
        else {
            continue;
        };
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let Some(info) = index.file(&l.path) else { continue };
        // The functions the match spans.
        let end = l.end_line.unwrap_or(l.line);
        let lo = info.function_at(l.line).map_or(l.line, |f| f.start_line);
        let hi = info.function_at(end).map_or(end, |f| f.end_line);
        if hi < lo || hi - lo > 1500 {
            continue;
        }
        let body: Vec<&str> = (lo..=hi).filter_map(|n| line_of(&text, n)).collect();
        let present: std::collections::HashSet<String> = body.iter().map(|x| normalise(x)).collect();
        let body_text = body.join("\n");
        let quoted: Vec<&str> = code.lines().collect();
        let matched_fn = info.function_at(l.line).map(|f| f.name.clone());
        for (i, qline) in quoted.iter().copied().enumerate() {
            let t = qline.trim_start();
            if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') || t.starts_with('#') {
                continue;
            }
            // The quote goes on with another function of the project (`size_t` then
            // `bufferevent_read(struct bufferevent *bufev, ...)` after `...`): what follows is
            // that function's, not the matched one's.
            let prev = if i > 0 { quoted[i - 1].trim() } else { "" };
            let other_definition = called_names(qline).into_iter().any(|name| {
                let starts = t.starts_with(&format!("{name}(")) && !t.trim_end().ends_with(';') && {
                    !prev.is_empty() && !prev.ends_with([';', '{', '}', ')', ',']) && !prev.contains('(')
                };
                (starts || crate::verify::defines(qline, name))
                    && matched_fn.as_deref() != Some(name)
                    && index.definitions(name).iter().any(|d| matches!(d.kind, vouch_source::DefKind::Function))
            });
            // The quote's own first line, the head of the function it says the lines are in:
            // the lines that follow are still the ones to check against where they were found.
            if other_definition && i == 0 {
                continue;
            }
            if other_definition {
                break;
            }
            let norm = normalise(qline);
            if norm.is_empty() || present.contains(&norm) {
                continue;
            }
            for name in called_names(qline) {
                let defs = index.definitions(name);
                let project_fn = defs.iter().any(|d| matches!(d.kind, vouch_source::DefKind::Function));
                if !project_fn || contains_identifier(&body_text, name) {
                    continue;
                }
                // Quotes join pieces of several functions of a file: only a call that the whole
                // file never makes (its definition aside) is added code.
                let called_in_file = text.lines().enumerate().any(|(k, x)| {
                    let n = k as u32 + 1;
                    contains_identifier(x, name) && !defs.iter().any(|d| d.path == l.path && (d.line == n || d.line + 1 == n))
                });
                if called_in_file {
                    continue;
                }
                let what = info.function_at(l.line).map(|f| format!("{}()", f.name)).unwrap_or_else(|| "the code".into());
                findings.push(
                    Finding::new(
                        &rules::TRI_QUOTE_ADDS_CALL,
                        format!(
                            "the quote at report line {} calls {name}(), which {what} at {}:{lo}-{hi} never calls",
                            c.report_line, l.path
                        ),
                        qline.trim().to_string(),
                    )
                    .at(Some(Location { path: l.path.clone(), line: lo, end_line: Some(hi) }))
                    .line(c.report_line + i),
                );
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Whether the report's prose says an integer underflows or wraps below zero (a buffer
/// underflow, a write before a buffer, is another error).
fn says_underflow(report: &Report) -> bool {
    report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).any(|b| {
        let prose = b.text.to_ascii_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
        let prose = prose.replace("buffer underflow", "").replace("buffer under-flow", "");
        ["underflow", "under-flow", "wraps around", "wrap around", "wraparound", "becomes negative", "goes negative"]
            .iter()
            .any(|w| prose.contains(w))
    })
}

/// How far from a cited line, inside its function, code reading the environment counts.
const GETENV_REACH: u32 = 80;

/// A `getenv` call in the function holding a cited place, near it.
/// A read of a variable only debug builds compile (`#ifdef DEBUGBUILD` around a `getenv` of a test
/// knob) is not the input of a released build, so it does not count.
fn getenv_near(view: &View, l: &Location, policy: &Policy) -> Result<Option<(Location, String)>, SourceError> {
    let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
    let index = view.snapshot.index()?;
    let file = index.file(&l.path);
    let (lo, hi) = match file.and_then(|f| f.function_at(l.line)) {
        // In a long function (a state machine of a thousand lines), only the code near the
        // cited line: another state's input is not this line's.
        Some(f) => (f.start_line.max(l.line.saturating_sub(GETENV_REACH)), f.end_line.min(l.end_line.unwrap_or(l.line) + GETENV_REACH)),
        None => (l.line.saturating_sub(10).max(1), l.line + 10),
    };
    for n in lo..=hi {
        let Some(code) = line_of(&text, n) else { break };
        if ["getenv", "curl_getenv", "secure_getenv", "GetEnvironmentVariable", "_wgetenv"].iter().any(|f| contains_identifier(code, f))
            && !file.is_some_and(|f| {
                f.conditions_at(n).iter().any(|c| policy.debug_macro_in(&c.text).is_some_and(|m| positive(&c.text, m) != c.negated))
            })
        {
            return Ok(Some((Location { path: l.path.clone(), line: n, end_line: None }, code.trim().to_string())));
        }
    }
    Ok(None)
}

/// A prose line saying a weak algorithm is the problem.
fn weak_crypto(report: &Report) -> Option<String> {
    let algos = ["md5", "sha-1", "sha1", "md4", "rc4", "des", "3des", "ntlm", "crc32"];
    let words = ["weak", "insecure", "deprecated", "broken", "obsolete"];
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::Prose) {
        for line in b.text.lines() {
            let lower = line.to_ascii_lowercase();
            if algos.iter().any(|a| contains_identifier(&lower.replace('-', "_"), &a.replace('-', "_")))
                && words.iter().any(|w| lower.contains(w))
            {
                return Some(line.trim().chars().take(200).collect());
            }
        }
    }
    None
}

/// A double free the report describes where every free of the object it names (`a->buf`) in the
/// functions and files it cites resets that object: through a macro or function that sets the
/// pointer to NULL after freeing it (`Curl_safefree`, a `dyn_free` that calls it), or with
/// `x = NULL;` on the next line. The second free then frees nothing. Two frees at least must be
/// found, and all of them must reset.
fn resetting_frees(claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    // The objects: the members the report names (`doh_req->resp_body` → `resp_body`).
    let mut objects: Vec<String> = Vec::new();
    for c in claims.iter().filter(|c| c.member && !c.negated) {
        if let Some(last) = identifiers(&c.text).last() {
            if !objects.iter().any(|o| o == last) {
                objects.push(last.to_string());
            }
        }
    }
    if objects.is_empty() {
        return Ok(());
    }
    let places = cited_places(claims, index, true);
    let mut resets_cache: HashMap<String, bool> = HashMap::new();
    for object in &objects {
        // (path, line, code, resets)
        let mut sites: Vec<(String, u32, String, bool)> = Vec::new();
        for (path, first, last) in &places {
            let Some(text) = view.snapshot.read(path)? else { continue };
            // Local copies of the pointer (`char *ptr = mq->buf;`): freeing one frees the object
            // and resets nothing.
            let mut aliases: Vec<String> = Vec::new();
            for n in *first..=(*last).min(first + 5000) {
                let Some(code) = line_of(&text, n) else { break };
                if let Some((lhs, rhs)) = code.trim().trim_end_matches(';').split_once('=') {
                    let copies = !rhs.contains('(') && !rhs.starts_with('=') && identifiers(rhs).last().copied() == Some(object.as_str());
                    if let Some(name) =
                        identifiers(lhs).last().filter(|n| copies && !lhs.contains("->") && !lhs.contains('.') && **n != object)
                    {
                        aliases.push(name.to_string());
                    }
                }
                for callee in called_names(code) {
                    if !callee.to_ascii_lowercase().contains("free") {
                        continue;
                    }
                    let Some(arg) = call_args(code, callee).and_then(|a| a.into_iter().next()) else { continue };
                    let arg = arg.trim_start_matches('&').trim().to_string();
                    if aliases.contains(&arg) {
                        sites.push((path.clone(), n, code.trim().to_string(), false));
                        continue;
                    }
                    if identifiers(&arg).last().copied() != Some(object.as_str()) {
                        continue;
                    }
                    if sites.iter().any(|(p, l, _, _)| p == path && *l == n) {
                        continue;
                    }
                    let nulled_next = line_of(&text, n + 1).is_some_and(|next| {
                        let t = compact(next);
                        t.starts_with(&format!("{}=NULL;", compact(&arg))) || t.starts_with(&format!("{}=0;", compact(&arg)))
                    });
                    let resets = nulled_next || resets_after_free(view, callee, &mut resets_cache, 1)?;
                    sites.push((path.clone(), n, code.trim().to_string(), resets));
                }
            }
        }
        if sites.len() >= 2 && sites.iter().all(|s| s.3) {
            let evidence: Vec<String> = sites.iter().take(4).map(|(p, l, c, _)| format!("{p}:{l}: {c}")).collect();
            let (p, l, _, _) = &sites[0];
            findings.push(
                Finding::new(
                    &rules::TRI_FREE_RESETS,
                    format!("each of the {} frees of `{object}` found resets it to NULL, so a second free frees nothing", sites.len()),
                    evidence.join(" | "),
                )
                .at(Some(Location { path: p.clone(), line: *l, end_line: None })),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// A sentence of the report's prose that denies a contract the policy records or vouch knows of a
/// library the project uses, in a report that names the interface: the first contract that applies.
fn denied_contract(report: &Report, contracts: &[crate::policy::Contract]) -> Option<Finding> {
    if contracts.is_empty() {
        return None;
    }
    let text = whole_text(report);
    let sentences = prose_sentences(report);
    for c in contracts {
        let source = c.source.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
        if !c.requires.is_empty() {
            if let Some(f) = skipped_precondition(report, c, &text, &source) {
                return Some(f);
            }
            continue;
        }
        if !c.forbids.is_empty() {
            if let Some(f) = forbidden_use(report, c, &text, &source) {
                return Some(f);
            }
            continue;
        }
        let Some(name) = c.names.iter().find(|n| crate::policy::contains_identifier(&text, n)) else { continue };
        for (line, sentence) in &sentences {
            let lower = sentence.to_ascii_lowercase().replace(['‘', '’', '\'', '"', '*', '`'], "");
            let Some(phrase) = c.denies.iter().find(|d| lower.contains(&d.to_ascii_lowercase())) else { continue };
            return Some(
                Finding::new(
                    &rules::TRI_CONTRACT_DENIED,
                    format!("the report says \"{phrase}\" of `{name}`, but {}{source}", c.fact),
                    format!("report line {line}: {}", sentence.chars().take(200).collect::<String>()),
                )
                .line(*line),
            );
        }
    }
    None
}

/// A report that names the contract's interface and uses what the contract forbids: in its own
/// code, commands, inputs or logs, or in a prose sentence that does not negate it ("without
/// PCRE2_NO_UTF_CHECK", "not set").
fn forbidden_use(report: &Report, c: &crate::policy::Contract, text: &str, source: &str) -> Option<Finding> {
    let name = c.names.iter().find(|n| crate::policy::contains_identifier(text, n))?;
    let negated = |line: &str, word: &str| {
        let lower = line.to_ascii_lowercase();
        let Some(at) = lower.find(&word.to_ascii_lowercase()) else { return false };
        let before = &lower[..at];
        // The 40 bytes before it, moved forward to a character boundary (prose may hold `—`).
        let mut from = before.len().saturating_sub(40);
        while !before.is_char_boundary(from) {
            from += 1;
        }
        let window = &before[from..];
        ["without", "not ", "n't", "no ", "never", "unless"].iter().any(|w| window.contains(w))
    };
    let mut hits = Vec::new();
    for b in report.blocks.iter().filter(|b| !matches!(b.kind, BlockKind::Prose | BlockKind::ProjectCode | BlockKind::Patch)) {
        for (i, l) in b.text.lines().enumerate() {
            if let Some(f) = c.forbids.iter().find(|f| crate::policy::contains_identifier(l, f)) {
                hits.push((b.start_line + i, f, l.trim().to_string()));
            }
        }
    }
    for (line, sentence) in prose_sentences(report) {
        if let Some(f) = c.forbids.iter().find(|f| crate::policy::contains_identifier(&sentence, f) && !negated(&sentence, f)) {
            hits.push((line, f, sentence));
        }
    }
    let (line, used, evidence) = hits.into_iter().min_by_key(|h| h.0)?;
    Some(
        Finding::new(
            &rules::TRI_CONTRACT_DENIED,
            format!("the report uses `{used}` with `{name}`, and {}{source}", c.fact),
            format!("report line {line}: {}", evidence.chars().take(200).collect::<String>()),
        )
        .line(line),
    )
}

/// A reproducer of the report's (its own C code) that calls one of the contract's functions and
/// none of the calls the contract requires, anywhere in the report.
fn skipped_precondition(report: &Report, c: &crate::policy::Contract, text: &str, source: &str) -> Option<Finding> {
    let block = report.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode).find_map(|b| {
        b.text.lines().enumerate().find_map(|(i, l)| {
            let code = l.split("//").next().unwrap_or(l);
            called_names(code)
                .into_iter()
                .find(|n| c.names.iter().any(|x| x == n))
                .map(|n| (b.start_line + i, n.to_string(), l.trim().to_string()))
        })
    });
    let (line, name, code) = block?;
    if c.requires.iter().any(|r| crate::policy::contains_identifier(text, r)) {
        return None;
    }
    let needed = c.requires.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(" or ");
    Some(
        Finding::new(
            &rules::TRI_CONTRACT_DENIED,
            format!("the reproducer calls `{name}` but never {needed}, and {}{source}", c.fact),
            format!("report line {line}: {code}"),
        )
        .line(line),
    )
}

/// Words with which a project's comment says that a warning at that place is wrong. A bare
/// suppression (`NOLINT`, `coverity[...]`) is left out: it also silences style checks (an "insecure
/// API" lint) that say nothing about the report's claim.
const FALSE_POSITIVE_MARKS: &[&str] = &["false positive", "false-positive"];

/// A comment within 20 lines of a place the report cites in which the project marks an
/// analyser's warning as a false positive.
fn marked_false_positive(places: &[&Location], view: &View) -> Result<Option<Finding>, SourceError> {
    for l in places {
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let lines: Vec<&str> = text.lines().collect();
        let lo = l.line.saturating_sub(20).max(1) as usize;
        let hi = (l.end_line.unwrap_or(l.line) as usize + 20).min(lines.len());
        for n in lo..=hi {
            let line = lines[n - 1];
            let comment = line.find("//").or_else(|| line.find("/*")).map(|i| &line[i..]).or_else(|| {
                let t = line.trim_start();
                t.starts_with('*').then_some(t)
            });
            let Some(comment) = comment else { continue };
            let lower = comment.to_ascii_lowercase();
            if let Some(mark) = FALSE_POSITIVE_MARKS.iter().find(|m| lower.contains(*m)) {
                return Ok(Some(
                    Finding::new(
                        &rules::TRI_MARKED_FALSE_POSITIVE,
                        format!(
                            "{}:{n}, near the code the report cites ({}:{}), marks a warning there as a false positive (\"{mark}\")",
                            l.path, l.path, l.line
                        ),
                        line.trim().chars().take(200).collect(),
                    )
                    .at(Some(Location { path: l.path.clone(), line: n as u32, end_line: None })),
                ));
            }
        }
    }
    Ok(None)
}

/// Whether the report shows a trace with frames (sanitizer or debugger output of a run).
pub(crate) fn shows_trace(report: &Report) -> bool {
    report.traces.iter().any(|t| !t.frames.is_empty())
}

/// The report's title and every block's text, one after another.
pub(crate) fn whole_text(report: &Report) -> String {
    report.title.iter().map(String::as_str).chain(report.blocks.iter().map(|b| b.text.as_str())).collect::<Vec<_>>().join("\n")
}

/// Words with which a title says a problem may exist rather than that it does.
const HEDGES: &[&str] = &["potential", "potentially", "possible", "possibly", "suspicious", "suspected", "may", "might", "could"];

/// A title that hedges (`Potential NULL pointer dereference in ...`) or asks a question; "could
/// not connect" says what happened.
fn hedged_title(report: &Report) -> Option<Finding> {
    let title = report.title.as_deref()?;
    let lower = title.to_ascii_lowercase();
    // A question ("Cross-border access?", "Question about ...") claims nothing either.
    if lower.trim_end().ends_with(['?', '？']) || lower.trim_start().starts_with("question") {
        return Some(Finding::new(
            &rules::TRI_HEDGED,
            "the report's title asks a question rather than stating a problem".into(),
            title.to_string(),
        ));
    }
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let word = words
        .iter()
        .enumerate()
        .find(|(i, w)| HEDGES.contains(w) && !(**w == "could" && words.get(i + 1) == Some(&"not")))
        .map(|(_, w)| *w)?;
    Some(Finding::new(&rules::TRI_HEDGED, format!("the report's title only says the problem may exist (\"{word}\")"), title.to_string()))
}

/// Writes in the reporter's own code to a member through a pointer (`dctx->dStage = ...`,
/// `s->allc = 0;`, `x->a.b = 1`): (report line, the member, the statement).
fn member_writes(report: &Report) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode && reproducer_like(&b.text)) {
        for (i, line) in b.text.lines().enumerate() {
            let code = without_block_comments(line.split("//").next().unwrap_or(line));
            let code = code.as_str();
            let mut rest = code;
            while let Some(at) = rest.find("->") {
                let after = &rest[at + 2..];
                let path: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.').collect();
                let tail = after[path.len()..].trim_start();
                let assigns = tail.starts_with('=') && !tail.starts_with("==")
                    || ["+=", "-=", "|=", "&=", "++", "--"].iter().any(|op| tail.starts_with(op));
                let member = path.rsplit('.').next().unwrap_or("").to_string();
                // The object the reproducer got from a call in the same block (`f(&ctx)`,
                // `ctx = f(...)`): not one of the project's own functions rewritten.
                let before = &code[..code.len() - rest.len() + at];
                let var: String = before
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let obtained = !var.is_empty()
                    && b.text.lines().any(|l| {
                        let l = l.split("//").next().unwrap_or(l);
                        l.contains(&format!("&{var}")) && l.contains('(')
                            || l.split_once('=').is_some_and(|(lhs, rhs)| {
                                crate::policy::contains_identifier(lhs, &var)
                                    && !lhs.contains("->")
                                    && !rhs.starts_with('=')
                                    && rhs.trim_start().starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                                    && rhs.contains('(')
                            })
                    });
                if assigns && obtained && member.len() >= 3 && member.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                    out.push((b.start_line + i, member, code.trim().to_string()));
                }
                rest = after;
            }
        }
    }
    out
}

/// A line without its `/* ... */` comments (an unclosed one runs to the end of the line).
fn without_block_comments(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        rest = rest[at + 2..].split_once("*/").map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// The fields declared inside the `struct` and `union` bodies of a C file: (name, line).
fn struct_fields(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut pending = false;
    for (i, line) in text.lines().enumerate() {
        let t = without_block_comments(line.split("//").next().unwrap_or(line));
        let t = t.trim();
        let opens_struct =
            (t.starts_with("struct ") || t.starts_with("typedef struct") || t.starts_with("union ") || t.starts_with("typedef union"))
                && (t.contains('{') || !t.ends_with(';'))
                && !t.contains('(');
        if depth == 0 && (opens_struct || pending && t.starts_with('{')) {
            // The brace may be on this line or the next; a body may sit on the line itself
            // (`struct fake { int stage; };`).
            let opened = t.matches('{').count();
            pending = opened == 0;
            depth = opened.saturating_sub(t.matches('}').count());
            if let Some((_, body)) = t.split_once('{') {
                let body = body.split('}').next().unwrap_or(body);
                for piece in body.split(';').filter(|p| !p.trim().is_empty()) {
                    if let Some(name) = declared_field(&format!("{};", piece.trim())) {
                        out.push((name, i as u32 + 1));
                    }
                }
            }
            continue;
        }
        pending = false;
        if depth > 0 {
            if let Some(name) = declared_field(t) {
                out.push((name, i as u32 + 1));
            }
            depth += t.matches('{').count();
            depth = depth.saturating_sub(t.matches('}').count());
        }
    }
    out
}

/// A block that runs the project as a program would: a `main` or fuzzer entry point, or bare
/// statements that define no function. A block defining other functions is more likely the
/// project's code rewritten (a proposed fix), whose writes to internal members are the project's.
fn reproducer_like(text: &str) -> bool {
    if text.contains("LLVMFuzzerTestOneInput") || text.lines().any(|l| l.contains(" main(") || l.starts_with("main(")) {
        return true;
    }
    !text.lines().any(|l| {
        let t = l.trim_end();
        !t.is_empty()
            && !l.starts_with([' ', '\t', '#', '/', '*', '}', '{'])
            && t.contains('(')
            && !t.ends_with(';')
            && !["if", "for", "while", "switch", "return", "else", "do"].iter().any(|k| t.starts_with(k))
    })
}

/// Field names the report's own code declares (`struct spray_hold { void **items; size_t count; }`):
/// members of the reporter's structures, not the project's.
fn reporter_fields(report: &Report) -> HashSet<String> {
    report
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::ReporterCode)
        .flat_map(|b| struct_fields(&b.text).into_iter().map(|(name, _)| name))
        .collect()
}

/// The name a struct field declaration (`size_t count;`, `char *name[4];`, `unsigned x : 1;`)
/// declares.
fn declared_field(line: &str) -> Option<String> {
    let t = line.trim().strip_suffix(';')?;
    let t = t.split(':').next().unwrap_or(t).split('[').next().unwrap_or(t).trim_end();
    if t.contains('(') || t.contains('=') || !t.contains(|c: char| c.is_whitespace() || c == '*') {
        return None;
    }
    let name: String =
        t.chars().rev().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<Vec<_>>().into_iter().rev().collect();
    (!name.is_empty() && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')).then_some(name)
}

/// The reproducer writes a member that the project declares only outside the headers it gives
/// applications (only in `.c` files, or, when the project has an `include/` folder, only outside
/// it): state no caller of the API can set.
fn private_state_write(report: &Report, view: &View) -> Result<Option<Finding>, SourceError> {
    let writes = member_writes(report);
    if writes.is_empty() {
        return Ok(None);
    }
    let own = reporter_fields(report);
    let candidates: Vec<&(usize, String, String)> = writes.iter().filter(|(_, m, _)| !own.contains(m)).collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let public_dir = view.snapshot.has_dir("include");
    let paths: Vec<String> = view.snapshot.paths().filter(|p| p.ends_with(".c") || p.ends_with(".h")).map(str::to_string).collect();
    // Where each candidate member is declared as a field.
    let mut declared: HashMap<&str, Vec<(String, u32)>> = HashMap::new();
    for path in &paths {
        let Some(text) = view.snapshot.read(path)? else { continue };
        if !candidates.iter().any(|(_, m, _)| text.contains(m.as_str())) {
            continue;
        }
        for (name, line) in struct_fields(&text) {
            if let Some((_, m, _)) = candidates.iter().find(|(_, m, _)| *m == name) {
                declared.entry(m.as_str()).or_default().push((path.clone(), line));
            }
        }
    }
    for (line, member, code) in &candidates {
        let Some(places) = declared.get(member.as_str()) else { continue };
        let public = |p: &str| if public_dir { p.starts_with("include/") } else { p.ends_with(".h") };
        // A name many structures share (`len`, `index`) does not say which one the code writes.
        if places.len() > 3 || places.iter().any(|(p, _)| public(p)) {
            continue;
        }
        let (path, at) = &places[0];
        let kind = if path.ends_with(".c") { "a source file" } else { "an internal header" };
        return Ok(Some(
            Finding::new(
                &rules::TRI_POC_PRIVATE_STATE,
                format!(
                    "the reproducer writes `{member}`, which the project declares only in {kind} ({path}:{at}), not in the headers it gives applications"
                ),
                format!("report line {line}: {code}"),
            )
            .at(Some(Location { path: path.clone(), line: *at, end_line: None }))
            .line(*line),
        ));
    }
    Ok(None)
}

/// Phrases with which a report says its own finding has no effect that matters.
const CONCESSIONS: &[&str] = &[
    "not practically exploitable",
    "not exploitable",
    "no security impact",
    "no big impact",
    "no real impact",
    "no practical impact",
    "only a logic error",
    "only logic error",
    "only a logical error",
    "not practical due to",
    "exploitation is unlikely",
    "exploitation is impractical",
    "exploitation is highly impractical",
    "impractical to exploit",
];

/// Words that narrow a concession to one path or platform ("not exploitable on 32-bit systems",
/// "cannot be exploited via the strlen path", "in most situations"): the rest may still be.
const NARROWING: &[&str] = &[" on ", " via ", " through ", " in most", " unless", " without", " by ", " when ", " if ", " for "];

/// A prose sentence or heading of the report that concedes the problem has no security impact
/// ("Severity: Low — not practically exploitable due to upstream validation", "Here no big impact
/// and only logic error"), not narrowed to one path or platform.
fn conceded_no_impact(report: &Report) -> Option<Finding> {
    for (line, sentence) in prose_sentences(report) {
        let lower = sentence.to_ascii_lowercase();
        let Some(phrase) = CONCESSIONS.iter().find(|c| lower.contains(*c)) else { continue };
        let after = &lower[lower.find(phrase).unwrap_or(0) + phrase.len()..];
        let after = after.split(" due to ").next().unwrap_or(after);
        let before = &lower[..lower.find(phrase).unwrap_or(0)];
        // Narrowed after the phrase, or before it to a condition or a platform ("32-bit systems
        // not exploitable", in a sentence that calls 64-bit systems exploitable).
        let platform = ["32-bit", "64-bit", "32 bit", "64 bit", "systems", "platform", "windows", "linux", "macos"];
        if NARROWING.iter().any(|w| after.contains(w))
            || [" if ", " when ", "on 32"].iter().any(|w| before.contains(w))
            || platform.iter().any(|w| before.contains(w))
            || lower.contains("exploitable") && lower.replace(phrase, "").contains("exploitable")
        {
            continue;
        }
        return Some(
            Finding::new(
                &rules::TRI_HEDGED,
                format!("the report concedes the problem has no security impact (\"{phrase}\")"),
                sentence.clone(),
            )
            .line(line),
        );
    }
    None
}

/// Phrases by which a report says the code it is about is in no release.
const UNRELEASED: &[&str] = &[
    "unreleased regression",
    "unreleased code",
    "unreleased change",
    "unreleased commit",
    "is unreleased",
    "not in any release",
    "not yet in a release",
    "not yet released",
    "not been released",
    "not on a released",
    "not in a released",
    "no release contains",
    "no released version",
];

/// A sentence of the report's prose saying that the code it is about is in no release, with its
/// report line; not one that says the opposite ("not only in unreleased code").
pub(crate) fn says_unreleased(report: &Report) -> Option<(usize, String)> {
    prose_sentences(report).into_iter().find(|(_, s)| {
        let lower = s.to_ascii_lowercase();
        UNRELEASED.iter().any(|p| lower.contains(p))
            && !["not only", "also affects", "also in released", "and released"].iter().any(|w| lower.contains(w))
    })
}

/// Static analysers, as reports name them (lower case).
const ANALYSERS: &[&str] = &[
    "coverity",
    "scan-build",
    "static analy",
    // As reports misspell it ("During the static analisys was found ...").
    "static anali",
    "static code analy",
    "static scan",
    "svace",
    "veracode",
    "pvs-studio",
    "cppcheck",
    "-fanalyzer",
    "codeql",
    "sonarqube",
    "sonarcloud",
    "klocwork",
    "fortify sca",
    "fortify static",
    "hp fortify",
    "flawfinder",
    "semgrep",
    "checkmarx",
    "clang-tidy",
    "openscanhub",
    "-wanalyzer",
    "lgtm alert",
    "polyspace",
    "parasoft",
    "deepsource",
    "snyk code",
    "splint",
    // A scanner the report does not name ("the output of my self-development code scan tool").
    "scan tool",
    "scanning tool",
    // Scanners that run language models over the code and file their output as fixes, and
    // their templates' own words ("Scanner re-scan confirms fix", "LLM code review passed").
    "multi_agent_ai",
    "scanner re-scan",
    "llm code review",
    "automated security fix",
    // Compilers' own flow analyses, named by their warning flags.
    "-wnull-dereference",
    "-warray-bounds",
    "-wstringop-overflow",
    "-wstringop-overread",
    "-wmaybe-uninitialized",
    "-wuse-after-free",
    "-wfree-nonheap-object",
];

/// Words that show the code was run: sanitizer and debugger output, crashes, reproducers, fuzzing.
const RUN_SHOWN: &[&str] = &[
    "sanitizer",
    "runtime error:",
    "valgrind",
    "segmentation fault",
    "sigsegv",
    "sigabrt",
    "crash",
    "fuzz",
    "reproduc",
    "proof of concept",
    "proof-of-concept",
    "testcase",
    "test case",
    "exploit",
];

/// A report resting on a static analyser's warning that shows no run of the code.
fn analyser_only(report: &Report) -> Option<Finding> {
    if shows_trace(report) {
        return None;
    }
    let text = whole_text(report);
    let lower = text.to_ascii_lowercase();
    let tool = ANALYSERS.iter().find(|t| lower.contains(**t))?;
    // An issue template's heading ("**To Reproduce**", "## Steps to reproduce") is there whatever
    // the reporter wrote under it ("Check code"), so it shows no run.
    let ran = lower
        .lines()
        .filter(|l| !template_heading(l))
        .any(|l| RUN_SHOWN.iter().any(|w| l.contains(w)) || l.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "poc"));
    if ran {
        return None;
    }
    let line = lower.lines().find(|l| l.contains(tool)).map(|l| l.trim().chars().take(160).collect::<String>()).unwrap_or_default();
    Some(Finding::new(
        &rules::TRI_ANALYSER_ONLY,
        format!("the report rests on a static analyser's warning (\"{tool}\") and shows no run of the code (no sanitizer output, crash or reproducer)"),
        line,
    ))
}

/// Headings that issue templates put in every report, lower case, without their markup.
const TEMPLATE_HEADINGS: &[&str] = &[
    "to reproduce",
    "steps to reproduce",
    "steps to reproduce the behavior",
    "steps to reproduce the behaviour",
    "steps to reproduce the issue",
    "steps to reproduce the bug",
    "how to reproduce",
    "how to reproduce it",
    "how to reproduce the bug",
    "reproduction steps",
    "steps to reproduction",
];

/// Whether a line (lower case) is only an issue template's heading (`**To Reproduce**`,
/// `### Steps to reproduce:`), with nothing written after it.
fn template_heading(line: &str) -> bool {
    let markup = |c: char| c == '#' || c == '*' || c == '_' || c == ':' || c.is_whitespace();
    TEMPLATE_HEADINGS.contains(&line.trim_matches(markup))
}

/// Whether the report's prose speaks of threads or races.
fn says_concurrent(report: &Report) -> bool {
    prose_says(report, &["thread", "concurren", "simultaneous", "in parallel", "at the same time"])
        || prose_sentences(report).iter().any(|(_, s)| {
            s.to_ascii_lowercase().split(|c: char| !c.is_ascii_alphabetic()).any(|w| matches!(w, "race" | "races" | "racing" | "racy"))
        })
}

/// A double free the report pins on a release function it names being called twice on one
/// object (`mbedtls_x509_crt_free()` called by the parser on failure, then by the caller), where
/// that function clears the whole object after releasing what it holds
/// (`mbedtls_platform_zeroize(cert_prv, sizeof(mbedtls_x509_crt));`, through a cursor that
/// starts at the object) and never frees the object itself: a second call finds nothing to free.
fn repeatable_frees(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    if shows_trace(report) || says_concurrent(report) {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    let mut seen: Vec<&str> = Vec::new();
    for c in claims.iter().filter(|c| c.kind == "function" && c.status == Status::Confirmed && c.at.is_none() && !c.negated) {
        if !releases(&c.text) || seen.contains(&c.text.as_str()) {
            continue;
        }
        seen.push(&c.text);
        let Some(d) = index.definitions(&c.text).iter().find(|d| matches!(d.kind, DefKind::Function)) else { continue };
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let Some(span) = index.file(&d.path).and_then(|f| f.function_at(d.line)) else { continue };
        let Some(object) = parameters(&text, span).into_iter().next() else { continue };
        if let Some(f) = clears_what_it_frees(&text, span, &object).map(|(n, code)| {
            Finding::new(
                &rules::TRI_FREE_REPEATABLE,
                format!(
                    "{}() clears the object it is handed after releasing what it holds ({}:{n}) and never frees `{object}` itself: a second call on the same object frees nothing",
                    c.text, d.path
                ),
                format!("{}:{n}: {code}", d.path),
            )
            .at(Some(Location { path: d.path.clone(), line: n, end_line: None }))
        }) {
            findings.push(f);
            return Ok(());
        }
    }
    Ok(())
}

/// The line and code where a release function clears the object `object` it is handed, or a
/// cursor that starts at it (`memset(p, 0, sizeof(*p))`, `*_zeroize(prv, sizeof(T))`), after
/// every release of a member; None when it also frees the object (a release of a cursor counts
/// only under `if (cursor != object)`), clears nothing, or releases a member after clearing.
fn clears_what_it_frees(text: &str, span: &vouch_source::FunctionSpan, object: &str) -> Option<(u32, String)> {
    let mut names: Vec<String> = vec![object.to_string()];
    let mut cleared: Option<(u32, String)> = None;
    let mut last_member_free = 0;
    for n in span.name_line..=span.end_line.min(span.name_line + 300) {
        let l = line_of(text, n)?;
        let t = compact(l);
        // Cursors: `cur = crt;`, `prv = cur;` (declarations with an initialiser too).
        if let Some((lhs, rhs)) = t.trim_end_matches(';').split_once('=') {
            let lhs_name = identifiers(lhs).last().copied().unwrap_or_default();
            // `struct crt *cur = crt, *prv;` declares more than the cursor.
            let rhs = rhs.split(',').next().unwrap_or(rhs);
            if !rhs.starts_with('=') && !lhs.contains("->") && names.iter().any(|v| v == rhs) && !lhs_name.is_empty() {
                names.push(lhs_name.to_string());
            }
        }
        for callee in called_names(l) {
            let args = call_args(l, callee).unwrap_or_default();
            let Some(first) = args.first().map(|a| compact(a)) else { continue };
            let lower = callee.to_ascii_lowercase();
            if ["zeroize", "memset", "bzero", "cleanse", "memzero"].iter().any(|w| lower.contains(w)) {
                let whole = args.iter().skip(1).any(|a| a.contains("sizeof"));
                if whole && plain_arg(&first).is_some_and(|v| names.iter().any(|x| x == v)) && cleared.is_none() {
                    cleared = Some((n, l.trim().to_string()));
                }
                continue;
            }
            if !releases(callee) {
                continue;
            }
            match plain_arg(&first) {
                Some(v) if v == object => return None,
                Some(v) if names.iter().any(|x| x == v) => {
                    let guard = format!("{v}!={object}");
                    let guarded = (n.saturating_sub(2)..=n).filter_map(|k| line_of(text, k)).any(|g| compact(g).contains(&guard));
                    if !guarded {
                        return None;
                    }
                }
                _ => {
                    let base = first.trim_start_matches('&');
                    if names.iter().any(|x| base.starts_with(&format!("{x}->")) || base.starts_with(&format!("{x}."))) {
                        last_member_free = n;
                    }
                }
            }
        }
    }
    cleared.filter(|(n, _)| *n > last_member_free && last_member_free > 0)
}

/// A double free the report shows only in code it quotes from the project, where the function
/// holding each quoted free releases that object once: the object is a local variable of the
/// function, exactly one release call in the whole function is handed it, and no loop encloses
/// that call. The quotes then show one free, not two, and without a sanitizer trace nothing else
/// in the report shows the second.
fn single_frees(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    if shows_trace(report) {
        return Ok(());
    }
    // Another thread may free it the second time: nothing in one function rules that out.
    if says_concurrent(report) {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    // (path, line, code, object, function)
    let mut sites: Vec<(String, u32, String, String, String)> = Vec::new();
    let snippets = claims.iter().filter(|c| {
        c.kind == "snippet" && c.origin == "project-code" && c.status == Status::Confirmed && c.at.is_none() && !c.negated && !c.member
    });
    for c in snippets {
        let Some(l) = c.location.as_ref() else { continue };
        let Some(block) =
            report.blocks.iter().find(|b| b.kind == BlockKind::ProjectCode && b.start_line <= c.report_line && c.report_line <= b.end_line)
        else {
            continue;
        };
        let quoted = compact(&block.text);
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let Some(span) = index.file(&l.path).and_then(|f| f.function_at(l.line)) else { continue };
        for n in l.line..=l.end_line.unwrap_or(l.line).min(l.line + 200) {
            let Some(code) = line_of(&text, n) else { break };
            for callee in called_names(code).into_iter().filter(|c| releases(c)) {
                let Some(arg) = call_args(code, callee).and_then(|a| a.into_iter().next()) else { continue };
                let Some(v) = plain_arg(&arg) else { continue };
                if !quoted.contains(&format!("{callee}({v}")) || sites.iter().any(|s| s.0 == l.path && s.1 == n) {
                    continue;
                }
                // A local variable: declared in the body before the free (`struct Cookie *repl =`),
                // not a parameter the caller may free as well.
                let declared = (span.start_line..n).filter_map(|m| line_of(&text, m)).any(|d| declares_pointer(d, v));
                if !declared || parameters(&text, span).iter().any(|p| p == v) {
                    return Ok(());
                }
                // Every release in the function handed the object.
                let frees: Vec<u32> = (span.start_line..=span.end_line.min(span.start_line + 3000))
                    .filter(|&m| {
                        line_of(&text, m).is_some_and(|d| {
                            called_names(d).into_iter().filter(|c| releases(c)).any(|c| {
                                call_args(d, c)
                                    .is_some_and(|a| a.iter().any(|x| plain_arg(x) == Some(v) || identifiers(x).last() == Some(&v)))
                            })
                        })
                    })
                    .collect();
                if frees.len() != 1 || in_loop(&text, span.start_line, n) || !owned_here(&text, span.start_line, n, v) {
                    return Ok(());
                }
                sites.push((l.path.clone(), n, code.trim().to_string(), v.to_string(), span.name.clone()));
            }
        }
    }
    if sites.is_empty() {
        return Ok(());
    }
    let each: Vec<String> = sites.iter().map(|(p, n, _, v, f)| format!("`{v}` once in {f}() ({p}:{n})")).collect();
    let evidence: Vec<String> = sites.iter().take(4).map(|(p, n, c, _, _)| format!("{p}:{n}: {c}")).collect();
    findings.push(
        Finding::new(
            &rules::TRI_SINGLE_FREE,
            format!(
                "the code the report quotes frees {}, outside any loop, and nothing in the report shows a second free",
                each.join(" and ")
            ),
            evidence.join(" | "),
        )
        .at(Some(Location { path: sites[0].0.clone(), line: sites[0].1, end_line: None })),
    );
    Ok(())
}

/// Whether the line declares the pointer `v` (`struct Cookie *repl =`, `char *a, *v;`).
fn declares_pointer(line: &str, v: &str) -> bool {
    let t = compact(line);
    [format!("*{v}="), format!("*{v};"), format!("*{v},")].iter().any(|pat| {
        t.find(pat.as_str()).is_some_and(|i| {
            let before = &t[..i];
            let prev = before.bytes().last().unwrap_or(b' ');
            // After the type (`Cookie*repl`) with no assignment or call before it (`x=a*v;`
            // multiplies), or after another declarator (`char*buf=NULL,*line;`).
            (prev.is_ascii_alphanumeric() || prev == b'_') && !before.contains(['=', '(']) || prev == b',' && !before.contains('(')
        })
    })
}

/// A double free the report pins on a variable it names in quotes (`Variable 'line' was freed
/// twice`, as pattern scanners word it) in a file it cites, where every function there that
/// frees that variable gives it a new value before each free: the variable is a local pointer
/// of the function, each free follows an assignment to it since the last free (a free inside a
/// loop, one inside the same loop's body: `line = grid_string_cells(...)` at its top), it is
/// copied to no other variable, and no project function it is handed frees it. Each free then
/// releases different memory. Without a sanitizer trace nothing in the report shows a second
/// free of the same memory.
fn reassigned_frees(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    if shows_trace(report) || says_concurrent(report) {
        return Ok(());
    }
    let names = doubly_freed_names(report);
    if names.is_empty() {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    let places = cited_places(claims, index, true);
    let mut param_frees: HashMap<(String, usize), bool> = HashMap::new();
    for v in &names {
        // (path, line, code, function)
        let mut sites: Vec<(String, u32, String, String)> = Vec::new();
        let mut seen: Vec<(String, u32)> = Vec::new();
        for (path, first, last) in &places {
            let Some(text) = view.snapshot.read(path)? else { continue };
            let Some(info) = index.file(path) else { continue };
            for n in *first..=(*last).min(first + 20_000) {
                let Some(code) = line_of(&text, n) else { break };
                if !frees_variable(code, v) {
                    continue;
                }
                // A free outside any function the index knows: nothing to read.
                let Some(span) = info.function_at(n) else { return Ok(()) };
                if seen.contains(&(path.clone(), span.start_line)) {
                    continue;
                }
                seen.push((path.clone(), span.start_line));
                match fresh_before_each_free(view, &text, span, v, &mut param_frees)? {
                    Some(frees) => sites.extend(frees.into_iter().map(|(l, c)| (path.clone(), l, c, span.name.clone()))),
                    None => return Ok(()),
                }
            }
        }
        if sites.is_empty() {
            continue;
        }
        let mut functions: Vec<String> = Vec::new();
        for (p, _, _, f) in &sites {
            let each = format!("{f}() ({p})");
            if !functions.contains(&each) {
                functions.push(each);
            }
        }
        let evidence: Vec<String> = sites.iter().take(4).map(|(p, n, c, _)| format!("{p}:{n}: {c}")).collect();
        findings.push(
            Finding::new(
                &rules::TRI_SINGLE_FREE,
                format!(
                    "every free of `{v}` in the code the report cites follows a new assignment to it ({} free(s) in {}), so each frees different memory, and nothing in the report shows a second free",
                    sites.len(),
                    functions.join(", ")
                ),
                evidence.join(" | "),
            )
            .at(Some(Location { path: sites[0].0.clone(), line: sites[0].1, end_line: None })),
        );
        return Ok(());
    }
    Ok(())
}

/// Plain variable names the report puts in quotes or backticks in its title or in a sentence
/// that speaks of a double free (`Variable 'line' was freed twice`).
fn doubly_freed_names(report: &Report) -> Vec<String> {
    const SAYS: &[&str] = &[
        "freed twice",
        "free twice",
        "double free",
        "double-free",
        "freed again",
        "second free",
        "freed a second time",
        "freed more than once",
    ];
    let mut names: Vec<String> = Vec::new();
    let title = report.title.iter().map(|t| (0, t.clone()));
    for (_, s) in title.chain(prose_sentences(report)) {
        let lower = s.to_ascii_lowercase();
        if !SAYS.iter().any(|p| lower.contains(p)) {
            continue;
        }
        let b = s.as_bytes();
        for q in [b'\'', b'`', b'"'] {
            let mut i = 0;
            while i < b.len() {
                if b[i] != q || i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
                    i += 1;
                    continue;
                }
                let Some(len) = b[i + 1..].iter().position(|&c| c == q) else { break };
                let inner = &s[i + 1..i + 1 + len];
                let after = b.get(i + 2 + len).copied().unwrap_or(b' ');
                if plain_arg(inner) == Some(inner) && !(after.is_ascii_alphanumeric() || after == b'_') && !names.iter().any(|n| n == inner)
                {
                    names.push(inner.to_string());
                }
                i += len + 2;
            }
        }
    }
    names
}

/// Whether the line hands the plain variable `v` to a release function (`free(line)`,
/// `xfree(v)`).
fn frees_variable(code: &str, v: &str) -> bool {
    called_names(code)
        .into_iter()
        .filter(|c| releases(c))
        .any(|c| call_args(code, c).and_then(|a| a.into_iter().next()).is_some_and(|a| plain_arg(&a) == Some(v)))
}

/// Whether the line assigns the variable `v` itself (`v = ...`, `while ((v = next()))`), not a
/// member of it or a comparison: the byte offset of the first assignment.
fn assigns_variable(code: &str, v: &str) -> Option<usize> {
    let t = compact(code);
    let b = t.as_bytes();
    t.match_indices(v).map(|(i, _)| i).find(|&i| {
        let end = i + v.len();
        let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'>' || b[i - 1] == b'.');
        before_ok && t[end..].starts_with('=') && !t[end..].starts_with("==")
    })
}

/// The frees of the local pointer `v` in the function, if each follows a new assignment to it
/// (see `reassigned_frees`); None when one may not, or when `v` is not a plain local pointer.
fn fresh_before_each_free(
    view: &View,
    text: &str,
    span: &vouch_source::FunctionSpan,
    v: &str,
    param_frees: &mut HashMap<(String, usize), bool>,
) -> Result<Option<Vec<(u32, String)>>, SourceError> {
    if parameters(text, span).iter().any(|p| p == v) {
        return Ok(None);
    }
    let end = span.end_line.min(span.start_line + 3000);
    let lines: Vec<(u32, &str)> = (span.start_line..=end).filter_map(|n| line_of(text, n).map(|l| (n, l))).collect();
    // A local pointer, declared in the body; a static one keeps its value from the last call.
    let Some(&(declared_at, declaration)) = lines.iter().find(|(_, l)| declares_pointer(l, v)) else { return Ok(None) };
    if compact(declaration).starts_with("static") {
        return Ok(None);
    }
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut frees: Vec<(u32, String)> = Vec::new();
    // Positions: twice the line, plus one for what comes after a free on the same line. The last
    // free on the path being read (None after a return ends it), and the assignments since the
    // declaration: (position, indentation, in a one-line conditional).
    let mut last_free: Option<u32> = None;
    let mut assigns: Vec<(u32, usize, bool)> = Vec::new();
    for (k, &(n, code)) in lines.iter().enumerate() {
        if n < declared_at {
            continue;
        }
        let t = code.trim();
        if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
            continue;
        }
        let frees_here = frees_variable(code, v);
        for callee in called_names(code) {
            let Some(args) = call_args(code, callee) else { continue };
            for (pos, a) in args.iter().enumerate() {
                let a = a.trim();
                // Its address handed on: the callee may free or replace it.
                if a.trim_start_matches('&') != a && plain_arg(a) == Some(v) {
                    return Ok(None);
                }
                if plain_arg(a) != Some(v) || releases(callee) && pos == 0 {
                    continue;
                }
                // `realloc(v, n)` frees `v` unless it stores the result in `v`.
                if callee.to_ascii_lowercase().contains("realloc") && assigns_variable(code, v).is_none() {
                    return Ok(None);
                }
                if frees_parameter(view, callee, pos, param_frees)? {
                    return Ok(None);
                }
            }
        }
        // A plain copy (`p = v;`): freeing the copy frees the same memory.
        if let Some((lhs, rhs)) = compact(code).trim_end_matches(';').split_once('=') {
            if !rhs.starts_with('=') && rhs == v && !lhs.ends_with(['!', '<', '>']) && identifiers(lhs).last().is_some_and(|l| *l != v) {
                return Ok(None);
            }
        }
        let assigned = assigns_variable(code, v);
        let free_at = compact(code).find(&format!("({v})")).unwrap_or(0);
        let conditional = ["if", "else", "case", "default"].iter().any(|w| t.starts_with(w)) || t.contains('?');
        if assigned.is_some_and(|a| !frees_here || a < free_at) {
            assigns.push((2 * n, indent(code), conditional));
        }
        if !frees_here {
            continue;
        }
        // A new value on every path to this free: an assignment after `from`, not nested deeper
        // than the free (inside a branch it may be skipped) nor a one-line conditional.
        let ind = indent(code);
        let fresh_since = |from: u32| assigns.iter().any(|&(m, i, cond)| m > from && i <= ind && !cond);
        if last_free.is_some_and(|f| !fresh_since(f)) {
            return Ok(None);
        }
        // In a loop: the same loop's body gives it a new value first; its header counts too, as it
        // runs before every pass (`while((v = next()))`).
        if let Some(h) = loop_header(text, span.start_line, n) {
            let in_header = line_of(text, h).is_some_and(|l| assigns_variable(l, v).is_some());
            if !in_header && !fresh_since(2 * h) {
                return Ok(None);
            }
        }
        frees.push((n, t.to_string()));
        // Assigned again after the free on the same line (`free(v); v = NULL;`): fresh.
        last_free = Some(2 * n);
        if assigned.is_some_and(|a| a > free_at) {
            assigns.push((2 * n + 1, ind, conditional));
        }
        // A return right after ends the path: the next free is on another.
        let next = lines[k + 1..].iter().map(|(_, l)| l.trim()).find(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("/*"));
        if next.is_some_and(|l| l.starts_with("return")) {
            last_free = None;
        }
    }
    Ok((!frees.is_empty()).then_some(frees))
}

/// Whether the project function `callee` releases its parameter at position `pos` (depth one:
/// a release call handed that parameter in its body). Functions the project does not define
/// (the C library's) free nothing they are handed but `free` and `realloc`, handled apart.
fn frees_parameter(view: &View, callee: &str, pos: usize, cache: &mut HashMap<(String, usize), bool>) -> Result<bool, SourceError> {
    if let Some(&r) = cache.get(&(callee.to_string(), pos)) {
        return Ok(r);
    }
    let index = view.snapshot.index()?;
    let mut result = false;
    for d in index.definitions(callee).iter().take(3) {
        if d.kind != DefKind::Function {
            // A macro handed the variable: what it expands to is not read here.
            result = d.kind == DefKind::Macro;
            if result {
                break;
            }
            continue;
        }
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let Some(f) = index.file(&d.path).and_then(|f| f.function_at(d.line)) else { continue };
        let Some(param) = parameters(&text, f).into_iter().nth(pos) else { continue };
        if (f.name_line..=f.end_line.min(f.name_line + 3000)).filter_map(|n| line_of(&text, n)).any(|l| frees_variable(l, &param)) {
            result = true;
            break;
        }
    }
    cache.insert((callee.to_string(), pos), result);
    Ok(result)
}

/// Whether the local `v` freed at line `n` holds memory only this call of the function owns: its
/// last assignment before the free is an allocation (`co = calloc(1, sizeof(*co));`), or an
/// element taken from a container (`repl = Curl_node_elem(replace_n);`) that a later call
/// removes from it before the free (`Curl_node_remove(replace_n);`). A copy of a member
/// (`ptr = mq->sendleftovers;`) is not: the member still holds it for the next call.
fn owned_here(text: &str, start: u32, n: u32, v: &str) -> bool {
    let mut assigned: Option<(u32, String)> = None;
    for m in start..n {
        let Some(l) = line_of(text, m) else { continue };
        let t = compact(l);
        for (i, _) in t.match_indices(v) {
            let b = t.as_bytes();
            let end = i + v.len();
            let before_ok = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'>' || b[i - 1] == b'.');
            if before_ok && t[end..].starts_with('=') && !t[end..].starts_with("==") {
                assigned = Some((m, t[end + 1..].trim_end_matches(';').to_string()));
            }
        }
    }
    let Some((at, rhs)) = assigned else { return false };
    let Some(callee) = called_names(&rhs).first().copied() else { return false };
    if allocates(callee) {
        return true;
    }
    // Taken from a container: removed from it before the free.
    let held: Vec<String> = call_args(&rhs, callee).unwrap_or_default().iter().filter_map(|a| plain_arg(a).map(String::from)).collect();
    (at + 1..n).filter_map(|m| line_of(text, m)).any(|l| {
        called_names(l).into_iter().any(|c| {
            let c_lower = c.to_ascii_lowercase();
            ["remove", "unlink", "detach", "pop"].iter().any(|w| c_lower.contains(w))
                && call_args(l, c)
                    .is_some_and(|args| args.iter().any(|a| identifiers(a).iter().any(|id| *id == v || held.iter().any(|h| h == id))))
        })
    })
}

/// Whether a loop (`for`, `while`, `do`) encloses line `n` of the function starting at `start`,
/// read from the indentation: each statement that opens a less indented level above the line.
fn in_loop(text: &str, start: u32, n: u32) -> bool {
    loop_header(text, start, n).is_some()
}

/// The line of the innermost loop (`for`, `while`, `do`) enclosing line `n` of the function
/// starting at `start`, read from the indentation as `in_loop` does.
fn loop_header(text: &str, start: u32, n: u32) -> Option<u32> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut level = line_of(text, n).map(indent)?;
    for m in (start..n).rev() {
        let Some(l) = line_of(text, m) else { continue };
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with('}') || t.starts_with("/*") || t.starts_with('*') || t.starts_with("//") {
            continue;
        }
        // Labels (`fail:`) sit at the left edge without opening a level.
        if t.ends_with(':') && !t.contains(' ') {
            continue;
        }
        if indent(l) < level {
            level = indent(l);
            if is_loop_header(l) || t.starts_with("do ") || t == "do" || t.starts_with("do{") {
                return Some(m);
            }
        }
    }
    None
}

/// Every sanitizer runtime error the report shows is one that C defines: `unsigned integer
/// overflow` (from `-fsanitize=unsigned-integer-overflow`) or an `implicit conversion` (from
/// `-fsanitize=implicit-conversion`). Unsigned arithmetic wraps modulo its range by the
/// standard; these checks flag intended wraparound, not undefined behaviour.
fn defined_wraparound(report: &Report) -> Option<Finding> {
    let errors: Vec<(usize, &str)> = crate::verify::numbered_lines(report).filter(|(_, l)| l.contains("runtime error:")).collect();
    let defined = |l: &str| l.contains("unsigned integer overflow") || l.contains("implicit conversion");
    if errors.is_empty() || !errors.iter().all(|(_, l)| defined(l)) {
        return None;
    }
    let (line, first) = errors[0];
    Some(
        Finding::new(
            &rules::TRI_DEFINED_WRAPAROUND,
            format!(
                "the {} sanitizer error(s) the report shows are all unsigned wraparound or implicit conversions, which C defines: not undefined behaviour",
                errors.len()
            ),
            first.trim().to_string(),
        )
        .line(line),
    )
}

/// The report says an allocation's result is not checked, and every line it cites returns that
/// result to the caller (`return (voidpf)malloc(items * size);` in an allocator such as
/// zcalloc): the function hands the NULL on, and checking it is the caller's part.
fn returned_allocation(report: &Report, view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    if focus.is_empty() {
        return Ok(None);
    }
    const ALLOCS: &[&str] = &["malloc", "calloc", "realloc", "strdup", "strndup"];
    let says = prose_sentences(report).into_iter().find(|(_, s)| {
        let lower = s.to_ascii_lowercase();
        ALLOCS.iter().any(|a| lower.contains(a))
            && ["not checked", "unchecked", "without checking", "never checked", "no check", "does not check", "doesn't check"]
                .iter()
                .any(|w| lower.contains(w))
    });
    let Some((report_line, _)) = says else { return Ok(None) };
    let mut seen: Option<(String, u32, String)> = None;
    for l in focus {
        let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
        let lines: Vec<(u32, &str)> =
            (l.line..=l.end_line.unwrap_or(l.line).min(l.line + 10)).filter_map(|n| line_of(&text, n).map(|c| (n, c))).collect();
        let allocating: Vec<&(u32, &str)> = lines.iter().filter(|(_, c)| called_names(c).iter().any(|n| ALLOCS.contains(n))).collect();
        if allocating.is_empty() || !allocating.iter().all(|(_, c)| c.trim_start().starts_with("return")) {
            return Ok(None);
        }
        if seen.is_none() {
            seen = Some((l.path.clone(), allocating[0].0, allocating[0].1.trim().to_string()));
        }
    }
    let Some((path, n, code)) = seen else { return Ok(None) };
    Ok(Some(
        Finding::new(
            &rules::TRI_ALLOCATION_RETURNED,
            format!("the report says an allocation goes unchecked, but {path}:{n} returns it to the caller, whose part checking it is"),
            format!("{n}: {code}"),
        )
        .at(Some(Location { path, line: n, end_line: None }))
        .line(report_line),
    ))
}

/// A project's name for a copy function, and that function (`("zmemcpy", "memcpy")`).
type CopyAlias = (String, &'static str);

/// `text` with the project's macros that name a copy function (`#define zmemcpy memcpy`,
/// `#define COPY(d, s, n) memcpy(d, s, n)`) replaced by that function where the lines of `l`
/// and the 40 before them call them, so that the copy checks read them as the copy. Line
/// numbers are kept.
fn with_copy_aliases<'t>(view: &View, text: &'t str, l: &Location) -> Result<(Cow<'t, str>, Vec<CopyAlias>), SourceError> {
    let index = view.snapshot.index()?;
    let end = l.end_line.unwrap_or(l.line).min(l.line + 60);
    let mut aliases: Vec<CopyAlias> = Vec::new();
    for n in l.line.saturating_sub(40).max(1)..=end {
        let Some(code) = line_of(text, n) else { break };
        for name in called_names(code) {
            if COPIES.iter().any(|(c, _, _)| *c == name) || aliases.iter().any(|(a, _)| a == name) {
                continue;
            }
            for d in index.definitions(name).iter().filter(|d| d.kind == DefKind::Macro).take(4) {
                let Some(dtext) = view.snapshot.read(&d.path)? else { continue };
                let Some(def) = line_of(&dtext, d.line) else { continue };
                // What follows the name (and its parameters): a copy function alone or called.
                let Some(at) = def.find(name) else { continue };
                let mut rest = def[at + name.len()..].trim_start();
                if rest.starts_with('(') {
                    rest = rest.split_once(')').map_or("", |(_, r)| r).trim_start();
                }
                let target = identifiers(rest).first().copied().unwrap_or("");
                if let Some((c, _, _)) = COPIES.iter().find(|(c, _, _)| *c == target) {
                    aliases.push((name.to_string(), c));
                    break;
                }
            }
        }
    }
    if aliases.is_empty() {
        return Ok((Cow::Borrowed(text), aliases));
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut line = line.to_string();
        for (alias, target) in &aliases {
            let mut from = 0;
            while let Some(i) = line[from..].find(alias.as_str()).map(|i| i + from) {
                let before_ok = i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric() && line.as_bytes()[i - 1] != b'_';
                let after = &line[i + alias.len()..];
                if before_ok && after.trim_start().starts_with('(') {
                    line.replace_range(i..i + alias.len(), target);
                    from = i + target.len();
                } else {
                    from = i + alias.len();
                }
            }
        }
        out.push_str(&line);
    }
    Ok((Cow::Owned(out), aliases))
}

/// The report says a loop never ends.
pub(crate) fn says_endless(report: &Report) -> bool {
    prose_says(
        report,
        &["infinite loop", "endless loop", "never terminates", "loops forever", "loop forever", "never exits the loop", "loop never ends"],
    )
}

/// A report about a copy whose source and destination overlap (ASan's `strcpy-param-overlap`),
/// which says nothing of an overflow.
fn says_overlap(report: &Report) -> bool {
    let text = whole_text(report).to_ascii_lowercase();
    text.contains("overlap") && !["overflow", "out of bounds", "out-of-bounds", "overrun", "past the end"].iter().any(|w| text.contains(w))
}

/// Whether a sentence of the report's prose contains one of `phrases` (lower case), in any case.
fn prose_says(report: &Report, phrases: &[&str]) -> bool {
    prose_sentences(report).iter().any(|(_, s)| {
        let lower = s.to_ascii_lowercase();
        phrases.iter().any(|w| lower.contains(w))
    })
}

/// Every loop in the cited code (the cited lines, or with `whole` the bodies of the functions
/// named) is a counting `for` loop that ends: its step moves one variable by a constant toward a
/// strict bound (`for(i = n - 2; i > 0; i--)`), and its body assigns neither that variable nor
/// anything in the bound. A `while` or `do` loop, a `>=`/`<=` bound (an unsigned counter can
/// wrap around it), or a body that changes the counter leaves the question open.
fn counting_loops(view: &View, spans: &[&Location], whole: bool) -> Result<Option<Finding>, SourceError> {
    let index = view.snapshot.index()?;
    let mut seen: Vec<(String, u32, String)> = Vec::new();
    for l in spans.iter().take(8) {
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let (first, last) = if whole {
            match index.file(&l.path).and_then(|f| f.function_at(l.line)) {
                Some(f) => (f.start_line, f.end_line),
                None => continue,
            }
        } else {
            (l.line, l.end_line.unwrap_or(l.line))
        };
        for n in first..=last.min(first + 400) {
            let Some(code) = line_of(&text, n) else { break };
            let t = code.trim_start();
            let is_while = t.starts_with("while(") || t.starts_with("while (");
            let is_do = t == "do" || t.starts_with("do ") || t.starts_with("do{");
            // `} while(x);` closes a `do` loop already seen (or outside the citation).
            if is_do || is_while && !code.trim_start().starts_with('}') {
                return Ok(None);
            }
            if !(t.starts_with("for(") || t.starts_with("for (")) {
                continue;
            }
            if !terminates(&text, n) {
                return Ok(None);
            }
            if !seen.iter().any(|(p, m, _)| *p == l.path && *m == n) {
                seen.push((l.path.clone(), n, t.trim_end().to_string()));
            }
        }
    }
    let Some((p, n, header)) = seen.first().cloned() else { return Ok(None) };
    let evidence: Vec<String> = seen.iter().take(3).map(|(p, n, c)| format!("{p}:{n}: {c}")).collect();
    Ok(Some(
        Finding::new(
            &rules::TRI_LOOP_TERMINATES,
            format!(
                "the report says a loop never ends, but {} in the code it cites count{} toward a fixed bound and never change{} the counter in the body ({p}:{n}: {header})",
                if seen.len() == 1 { "the one loop".to_string() } else { format!("all {} loops", seen.len()) },
                if seen.len() == 1 { "s" } else { "" },
                if seen.len() == 1 { "s" } else { "" },
            ),
            evidence.join(" | "),
        )
        .at(Some(Location { path: p, line: n, end_line: None })),
    ))
}

/// Whether the `for` loop whose header is on line `n` ends: see [`counting_loops`].
fn terminates(text: &str, n: u32) -> bool {
    // The header, up to its closing parenthesis (at most three lines).
    let mut header = String::new();
    let mut end = n;
    for m in n..n + 3 {
        let Some(l) = line_of(text, m) else { return false };
        header.push_str(l.trim());
        header.push(' ');
        end = m;
        if paren_closed(&header) {
            break;
        }
    }
    let Some(open) = header.find('(') else { return false };
    let inner = &header[open + 1..];
    let mut depth = 1i32;
    let mut close = None;
    for (i, c) in inner.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(close) = close else { return false };
    let parts: Vec<String> = inner[..close].split(';').map(compact).collect();
    let [_, cond, step] = parts.as_slice() else { return false };
    // The step: one variable moved by a constant.
    let by_constant = |op: &str| step.split_once(op).filter(|(_, c)| c.parse::<u32>().is_ok_and(|c| c > 0)).map(|(v, _)| v);
    let (var, up) = if let Some(v) = step.strip_suffix("++").or_else(|| step.strip_prefix("++")) {
        (v, true)
    } else if let Some(v) = step.strip_suffix("--").or_else(|| step.strip_prefix("--")) {
        (v, false)
    } else if let Some(v) = by_constant("+=") {
        (v, true)
    } else if let Some(v) = by_constant("-=") {
        (v, false)
    } else {
        return false;
    };
    if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return false;
    }
    // The condition: one strict comparison with the counter alone on one side.
    if cond.contains("&&") || cond.contains("||") || cond.contains("<=") || cond.contains(">=") || cond.contains("->") {
        return false;
    }
    // The bound: the other side of a comparison the counter moves toward.
    let side = |op: char, counter_left: bool| -> Option<&str> {
        let (l, r) = cond.split_once(op)?;
        let (counter, other) = if counter_left { (l, r) } else { (r, l) };
        (counter == var && !contains_identifier(other, var)).then_some(other)
    };
    let bound = if up { side('<', true).or_else(|| side('>', false)) } else { side('>', true).or_else(|| side('<', false)) };
    let Some(bound) = bound else { return false };
    let watched: Vec<&str> = std::iter::once(var).chain(identifiers(bound)).collect();
    // The body: a braced block, or the one statement after the header.
    let after = &header[open + 1 + close + 1..];
    let mut body: Vec<String> = Vec::new();
    let mut depth = 0i32;
    let mut started = false;
    let rest = std::iter::once(after.to_string()).chain((end + 1..end + 400).map_while(|m| line_of(text, m).map(str::to_string)));
    for l in rest {
        let t = l.trim();
        if !started && t.is_empty() {
            continue;
        }
        for c in t.chars() {
            if c == '{' {
                depth += 1;
                started = true;
            } else if c == '}' {
                depth -= 1;
            }
        }
        body.push(compact(t));
        if !started && t.ends_with(';') || started && depth <= 0 {
            break;
        }
    }
    !body.iter().any(|l| watched.iter().any(|w| assigns(l, w)))
}

/// A compacted line that changes `name`: `name=` (not `==`), `name+=`, `name++`, `--name`, or
/// hands out its address (`&name`).
pub(crate) fn assigns(line: &str, name: &str) -> bool {
    let b = line.as_bytes();
    line.match_indices(name).any(|(i, _)| {
        let end = i + name.len();
        let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
        if i > 0 && (ident(b[i - 1]) || b[i - 1] == b'.' || b[i - 1] == b'>') || end < b.len() && ident(b[end]) {
            return false;
        }
        let after = &line[end..];
        let before = &line[..i];
        after.starts_with("++")
            || after.starts_with("--")
            || before.ends_with("++")
            || before.ends_with("--")
            || before.ends_with('&') && !before.ends_with("&&")
            || ["+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "|=", "^="].iter().any(|op| after.starts_with(op))
            || after.starts_with('=') && !after.starts_with("==")
    })
}

/// Whether every parenthesis opened in `s` is closed.
fn paren_closed(s: &str) -> bool {
    s.contains('(') && s.matches('(').count() <= s.matches(')').count()
}

/// The places the report cites, as (path, first line, last line): bodies of the functions it
/// names or quotes or whose lines it cites, and with `files` the files it names.
fn cited_places(claims: &[ClaimResult], index: &vouch_source::CodeIndex, files: bool) -> Vec<(String, u32, u32)> {
    let mut places: Vec<(String, u32, u32)> = Vec::new();
    for c in claims.iter().filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated && !c.member) {
        let Some(l) = c.location.as_ref() else { continue };
        let Some(info) = index.file(&l.path) else { continue };
        let place = match c.kind {
            "file" if files && c.origin == "prose" => (l.path.clone(), 1, info.lines),
            "function" | "snippet" | "line" if matches!(c.origin, "prose" | "project-code") => match info.function_at(l.line) {
                Some(f) => (l.path.clone(), f.start_line, f.end_line),
                None => continue,
            },
            _ => continue,
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    places
}

/// Names of functions that return fresh memory (`calloc`, `strdup`, `Curl_memdup0`,
/// `ossl_ecx_key_create`, `buf_new`).
fn allocates(callee: &str) -> bool {
    let lower = callee.to_ascii_lowercase();
    ["alloc", "dup", "create"].iter().any(|w| lower.contains(w)) || lower.ends_with("new") || lower.starts_with("new")
}

/// Names of functions that release an object (`ossl_ecx_key_free`, `tree_destroy`).
pub(crate) fn releases(callee: &str) -> bool {
    let lower = callee.to_ascii_lowercase();
    ["free", "destroy", "release", "cleanup", "unref", "delete"].iter().any(|w| lower.contains(w))
}

/// The plain variable an argument names (`&key`, `(void *)key` → `key`), if it is one.
fn plain_arg(arg: &str) -> Option<&str> {
    let a = arg.trim().trim_start_matches('&');
    let a = a.rsplit(')').next().unwrap_or(a).trim();
    (!a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !a.as_bytes()[0].is_ascii_digit()).then_some(a)
}

/// A leak the report describes of a local pointer (`privkey`) that a function it cites gets from
/// an allocator storing it in a member of the object it is handed (`key->privkey =
/// OPENSSL_secure_zalloc(..); return key->privkey;`), or stores in a member itself
/// (`key->privkey = privkey;`), and that function frees the object (`ossl_ecx_key_free(key)`)
/// while never freeing the pointer itself: the memory is released with its owner.
fn freed_with_owner(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    let named = prose_names(report);
    for (path, first, last) in cited_places(claims, index, false) {
        let Some(text) = view.snapshot.read(&path)? else { continue };
        let body: Vec<(u32, &str)> = (first..=last.min(first + 3000)).filter_map(|n| line_of(&text, n).map(|l| (n, l))).collect();
        // Every release call of the body, read once: (line, callee, the variable it is handed, code).
        let frees: Vec<(u32, &str, String, &str)> = body
            .iter()
            .flat_map(|&(m, l)| {
                called_names(l).into_iter().filter(|c| releases(c)).filter_map(move |c| {
                    let arg = call_args(l, c)?.into_iter().next()?;
                    Some((m, c, plain_arg(&arg)?.to_string(), l.trim()))
                })
            })
            .collect();
        for &(n, line) in &body {
            let Some((lhs, rhs)) = line.trim().trim_end_matches(';').split_once('=') else { continue };
            if rhs.starts_with('=') || lhs.contains("->") || lhs.contains('.') || lhs.ends_with(['!', '<', '>']) {
                continue;
            }
            let Some(var) = identifiers(lhs).last().copied().filter(|v| named.contains(v)) else { continue };
            let Some(alloc) = called_names(rhs).first().copied() else { continue };
            // Freed itself somewhere in the function: the report may be about another path.
            if frees.iter().any(|f| f.2 == var) {
                continue;
            }
            // The owner: the argument the allocator stores its result in, or an object the
            // function stores the pointer in.
            let mut owner: Option<(String, String, String)> = None;
            if let Some(args) = call_args(rhs, alloc) {
                owner = allocator_owner(view, alloc)?.and_then(|(k, member, at)| {
                    let arg = args.get(k).and_then(|a| plain_arg(a))?;
                    Some((arg.to_string(), member.clone(), format!("{alloc}() stores it in `{arg}->{member}` ({at})")))
                });
            }
            if owner.is_none() {
                for &(m, l) in body.iter().filter(|(m, _)| *m > n) {
                    let t = compact(l);
                    let Some((lhs, rhs)) = t.trim_end_matches(';').split_once('=') else { continue };
                    if rhs == var && (lhs.contains("->") || lhs.contains('.')) && !rhs.starts_with('=') {
                        let ids = identifiers(lhs);
                        if let (Some(o), Some(member)) = (ids.first(), ids.last()) {
                            owner = Some((o.to_string(), member.to_string(), format!("line {m} stores it in `{lhs}`")));
                            break;
                        }
                    }
                }
            }
            let Some((owner, member, how)) = owner else { continue };
            let Some(&(m, callee, _, code)) = frees.iter().find(|f| f.2 == owner) else { continue };
            // The owner's free must release the member: read where the project defines it.
            let Some(released) = frees_member(view, callee, &member)? else { continue };
            findings.push(
                Finding::new(
                    &rules::TRI_LEAK_OWNED,
                    format!("`{var}` is held by `{owner}`: {how}, and {path}:{m} frees `{owner}` with {callee}(), which frees `{member}` ({released})"),
                    format!("{n}: {} | {m}: {code}", line.trim()),
                )
                .at(Some(Location { path: path.clone(), line: n, end_line: None })),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// A leak the report places in a setter: a function it cites that frees what a pointer parameter
/// held (`free(*str);`) and stores a fresh allocation through it (`*str = strdup(val);`). Calling
/// it again leaks nothing, and the last value belongs to what the callers hand it: members of
/// their objects (`getstr(&config->range, ...)`), each of which the project frees somewhere
/// (`Curl_safefree(config->range);`). Every member the callers hand it must be freed (at most 40
/// are read), and so must every member the report names.
fn setter_owned(claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    let named_members: Vec<String> =
        claims.iter().filter(|c| c.member && !c.negated).filter_map(|c| identifiers(&c.text).last().map(|m| m.to_string())).collect();
    for (path, first, last) in cited_places(claims, index, false) {
        let Some(text) = view.snapshot.read(&path)? else { continue };
        let Some(span) = index.file(&path).and_then(|f| f.function_at(first)) else { continue };
        let params = parameters(&text, span);
        let body: Vec<(u32, String)> = (first..=last.min(first + 400)).filter_map(|n| line_of(&text, n).map(|l| (n, compact(l)))).collect();
        for (n, t) in &body {
            let Some(rest) = t.strip_prefix('*') else { continue };
            let Some((p, rhs)) = rest.split_once('=') else { continue };
            if rhs.starts_with('=') || !params.iter().any(|q| q == p) {
                continue;
            }
            let Some(alloc) = called_names(rhs).first().copied() else { continue };
            if !allocates(alloc) {
                continue;
            }
            // The old value freed first.
            let deref = format!("*{p}");
            let Some((m, _)) = body.iter().filter(|(m, _)| m < n).find(|(_, l)| {
                called_names(l)
                    .into_iter()
                    .filter(|c| releases(c))
                    .any(|c| call_args(l, c).is_some_and(|a| a.first().is_some_and(|a| a == &deref)))
            }) else {
                continue;
            };
            let Some(k) = params.iter().position(|q| q == p) else { continue };
            // The members the callers hand it, read from every file that calls it.
            let mut files: Vec<String> = index.mentions(&span.name).into_iter().map(|(f, _)| f).collect();
            files.dedup();
            let mut members: Vec<(String, String)> = Vec::new();
            for cpath in &files {
                let Some(ctext) = view.snapshot.read(cpath)? else { continue };
                for (i, cl) in ctext.lines().enumerate() {
                    let Some(args) = call_args(cl, &span.name) else { continue };
                    let Some(arg) = args.get(k).map(|a| compact(a)) else { continue };
                    let Some(target) = arg.strip_prefix('&').filter(|a| a.contains("->") || a.contains('.')) else { continue };
                    if !members.iter().any(|(x, _)| x == target) {
                        members.push((target.to_string(), format!("{cpath}:{}", i + 1)));
                    }
                }
            }
            if members.is_empty() || members.len() > 200 {
                continue;
            }
            let member_of = |target: &str| identifiers(target).last().map(|s| s.to_string()).unwrap_or_default();
            if named_members.iter().any(|nm| !members.iter().any(|(t, _)| member_of(t) == *nm)) {
                continue;
            }
            // Each freed somewhere: a release call handed `X->member` (or `X.member`), found in
            // one pass over the project's C files.
            // A member of that name freed in the caller's folder: the same name in another
            // module (`data->state.url` in lib/ for `url->url` in src/) is another struct's.
            let all_frees = member_frees(view)?;
            let freed_for = |(t, at): &(String, String)| -> Option<String> {
                let (member, folder) = (member_of(t), folder_of(at.split(':').next().unwrap_or("")));
                all_frees.iter().find(|f| f.member == member && folder_of(&f.path) == folder).map(MemberFree::evidence)
            };
            let freed: HashMap<String, String> = members.iter().filter_map(|m| freed_for(m).map(|e| (member_of(&m.0), e))).collect();
            let unfreed: Vec<&str> = members.iter().filter(|(t, _)| !freed.contains_key(&member_of(t))).map(|(t, _)| t.as_str()).collect();
            // Nearly all freed, and every one the report names: a member left over is a leak of
            // its own (shown), not the setter's.
            if unfreed.len() * 10 > members.len() || named_members.iter().any(|nm| unfreed.iter().any(|t| member_of(t) == *nm)) {
                continue;
            }
            let shown = named_members
                .first()
                .and_then(|nm| members.iter().position(|(t, _)| member_of(t) == *nm))
                .or_else(|| members.iter().position(|(t, _)| freed.contains_key(&member_of(t))))
                .unwrap_or(0);
            let freed_shown = freed.get(&member_of(&members[shown].0)).cloned().unwrap_or_default();
            let except = if unfreed.is_empty() {
                String::new()
            } else {
                format!(
                    "; no free found in the caller's folder for {}",
                    unfreed.iter().take(3).map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                )
            };
            findings.push(
                Finding::new(
                    &rules::TRI_LEAK_OWNED,
                    format!(
                        "{}() frees what `*{p}` held ({path}:{m}) before storing the new copy ({path}:{n}), and its callers hand it members of their objects that the project frees: {} of {}, such as `{}` ({}, freed at {freed_shown}){except}",
                        span.name,
                        members.len() - unfreed.len(),
                        members.len(),
                        members[shown].0,
                        members[shown].1,
                    ),
                    format!("{m}: {} | {n}: {}", line_of(&text, *m).unwrap_or("").trim(), line_of(&text, *n).unwrap_or("").trim()),
                )
                .at(Some(Location { path: path.clone(), line: *n, end_line: None })),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// Phrases saying that memory is never released.
const NEVER_FREED: &[&str] = &[
    "never freed",
    "not freed",
    "never free",
    "does not free",
    "doesn't free",
    "does not explicitly free",
    "without freeing",
    "never deallocated",
    "not deallocated",
    "not properly deallocated",
    "never released",
    "not released",
];

/// A leak the report pins on a member it says is never freed (`req->location`), which the
/// project frees: a release call handed the same object and member (`Curl_safefree(data->req.location)`
/// for `req->location`), wherever it is.
fn member_freed(report: &Report, view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    // A run that shows the leak (a sanitizer trace with frames) is the evidence to read.
    if shows_trace(report) {
        return Ok(());
    }
    // (report line, sentence cue, object, member)
    let mut wanted: Vec<(usize, String, String, String)> = Vec::new();
    for (line, sentence) in prose_sentences(report) {
        let lower = sentence.to_ascii_lowercase();
        let Some(cue) = NEVER_FREED.iter().find(|w| lower.contains(*w)) else { continue };
        // Not freed on one path ("on error", "when the transfer fails"): a free elsewhere does
        // not answer that.
        if ["error", "fail", "early return", "returns early", "before return", "path", "branch", "abort"].iter().any(|w| lower.contains(w))
        {
            continue;
        }
        // A value overwritten before it is freed ("overwrote edata->flags_system on each
        // iteration without freeing the previous allocation"): the free of the last value
        // elsewhere does not answer the ones lost before it.
        if ["overwr", "reassign", "re-assign", "previous", "each iteration", "every iteration", "each time", "every time", "in a loop"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        for raw in sentence.split_whitespace() {
            let t = raw.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
            if !(t.contains("->") || t.contains('.')) || t.contains('(') {
                continue;
            }
            let ids = identifiers(t);
            if let [.., object, member] = ids.as_slice() {
                if member.len() >= 3 && !wanted.iter().any(|w| w.2 == *object && w.3 == *member) {
                    wanted.push((line, cue.to_string(), object.to_string(), member.to_string()));
                }
            }
        }
    }
    if wanted.is_empty() {
        return Ok(());
    }
    for f in member_frees(view)? {
        let Some((line, cue, o, m)) = wanted.iter().find(|w| w.2 == f.object && w.3 == f.member) else { continue };
        findings.push(
            Finding::new(
                &rules::TRI_MEMBER_FREED,
                format!("the report says \"{cue}\" of `{o}->{m}`, but the project frees that member at {}:{}", f.path, f.line),
                f.evidence(),
            )
            .at(Some(Location { path: f.path.clone(), line: f.line, end_line: None }))
            .line(*line),
        );
        return Ok(());
    }
    Ok(())
}

/// Words saying a leak comes from a value being replaced, which the object's free does not answer.
const REPLACED_VALUE: &[&str] =
    &["overwrit", "reassign", "called twice", "called again", "second call", "calling it again", "previous value", "old value", "realloc"];

/// A leak the report places in a function that keeps everything it allocates in members of an
/// object it is handed (`state->in = malloc(state->want);`) and does not free that object: on
/// an early return the memory stays with the object, and the project frees each of those
/// members in another function (`free(state->in);` in the close function).
fn held_by_parameter(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    // A run that shows the leak (a sanitizer trace with frames) is the evidence to read.
    if shows_trace(report) {
        return Ok(());
    }
    if prose_says(report, REPLACED_VALUE) {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    let mut frees: Option<Vec<MemberFree>> = None;
    for (path, first, last) in cited_places(claims, index, false) {
        let Some(text) = view.snapshot.read(&path)? else { continue };
        let Some(span) = index.file(&path).and_then(|f| f.function_at(first)) else { continue };
        let params = parameters(&text, span);
        // (line, object, member) of each allocation the body stores; None when one goes elsewhere.
        let mut stores: Option<Vec<(u32, String, String)>> = Some(Vec::new());
        for n in first..=last.min(first + 400) {
            let Some(l) = line_of(&text, n) else { break };
            let released = called_names(l).into_iter().filter(|c| releases(c)).any(|c| {
                call_args(l, c)
                    .and_then(|a| a.into_iter().next())
                    .is_some_and(|a| plain_arg(&a).is_some_and(|a| params.iter().any(|p| p == a)))
            });
            if released {
                stores = None;
                break;
            }
            let t = compact(l);
            let t = t.strip_prefix("if(").or_else(|| t.strip_prefix("while(")).unwrap_or(&t).trim_start_matches('(');
            let Some((lhs, rhs)) = t.trim_end_matches(';').split_once('=') else { continue };
            if rhs.starts_with('=') || lhs.ends_with(['!', '<', '>']) {
                continue;
            }
            let Some(alloc) = called_names(rhs).into_iter().find(|c| allocates(c)) else { continue };
            let ids = identifiers(lhs);
            let held = match ids.as_slice() {
                [o, .., m] if lhs.starts_with(&format!("{o}->")) && params.iter().any(|p| p == o) => Some((o.to_string(), m.to_string())),
                _ => None,
            };
            // `s->buf = realloc(s->buf, n)` loses the old block when it fails: a leak of its own.
            let resized = call_args(rhs, alloc).is_some_and(|a| a.iter().any(|a| compact(a) == lhs));
            match (held, stores.as_mut()) {
                (Some((o, m)), Some(v)) if !resized => v.push((n, o, m)),
                _ => {
                    stores = None;
                    break;
                }
            }
        }
        let Some(stores) = stores.filter(|v| !v.is_empty()) else { continue };
        if frees.is_none() {
            frees = Some(member_frees(view)?);
        }
        let all = frees.as_deref().unwrap_or_default();
        // Each member freed outside this function, by name of the same object.
        let freed: Vec<&MemberFree> = stores
            .iter()
            .filter_map(|(_, o, m)| {
                all.iter()
                    .find(|f| f.object == *o && f.member == *m && !(f.path == path && (span.start_line..=span.end_line).contains(&f.line)))
            })
            .collect();
        if freed.len() < stores.len() {
            continue;
        }
        let (n, o, m) = &stores[0];
        let names: Vec<String> = stores.iter().map(|(_, o, m)| format!("`{o}->{m}`")).collect::<Vec<_>>();
        findings.push(
            Finding::new(
                &rules::TRI_LEAK_HELD,
                format!(
                    "{}() keeps what it allocates in {} of the object it is handed and does not free `{o}`; the project frees `{o}->{m}` in another function ({}:{}), so memory left there by an early return is released with the object",
                    span.name,
                    names.join(", "),
                    freed[0].path,
                    freed[0].line,
                ),
                format!("{path}:{n}: {} | {}", line_of(&text, *n).unwrap_or("").trim(), freed[0].evidence()),
            )
            .at(Some(Location { path: path.clone(), line: *n, end_line: None })),
        );
        return Ok(());
    }
    Ok(())
}

/// The folder of a path (`src` for `src/tool_cfgable.c`, empty at the top).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A release of an object's member somewhere in the project (`Curl_safefree(config->range);`).
struct MemberFree {
    /// The identifier before the member (`config`; `req` in `data->req.location`).
    object: String,
    member: String,
    path: String,
    line: u32,
    code: String,
}

impl MemberFree {
    /// `path:line: code`.
    fn evidence(&self) -> String {
        format!("{}:{}: {}", self.path, self.line, self.code)
    }
}

/// Every release call of the project's C code handed an object's member, in path order.
fn member_frees(view: &View) -> Result<Vec<MemberFree>, SourceError> {
    let mut out: Vec<MemberFree> = Vec::new();
    let paths: Vec<String> = view.snapshot.paths().filter(|p| vouch_source::is_c_family(p)).map(String::from).collect();
    for path in paths {
        let Some(text) = view.snapshot.read(&path)? else { continue };
        for (i, l) in text.lines().enumerate() {
            if !(l.contains("->") || l.contains('.')) || !l.contains('(') {
                continue;
            }
            for c in called_names(l).into_iter().filter(|c| releases(c)) {
                let Some(arg) = call_args(l, c).and_then(|a| a.into_iter().next()) else { continue };
                let arg = compact(&arg);
                if !(arg.contains("->") || arg.contains('.')) {
                    continue;
                }
                if let [.., object, member] = identifiers(&arg).as_slice() {
                    out.push(MemberFree {
                        object: object.to_string(),
                        member: member.to_string(),
                        path: path.clone(),
                        line: i as u32 + 1,
                        code: l.trim().to_string(),
                    });
                }
            }
        }
    }
    Ok(out)
}

/// Where the project's function `name` releases the member `member` of what it is handed (a
/// call such as `OPENSSL_secure_clear_free(key->privkey, key->keylen)` in its body), as
/// `path:line`; None when the project does not define it so.
fn frees_member(view: &View, name: &str, member: &str) -> Result<Option<String>, SourceError> {
    let index = view.snapshot.index()?;
    let arrow = format!("->{member}");
    let dot = format!(".{member}");
    for d in index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::Function | DefKind::Macro)).take(3) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let end = index.file(&d.path).and_then(|f| f.function_at(d.line)).map_or(d.line + 10, |f| f.end_line.min(d.line + 200));
        for n in d.line..=end {
            let Some(l) = line_of(&text, n) else { break };
            let held = called_names(l).into_iter().any(|c| {
                releases(c)
                    && call_args(l, c).and_then(|a| a.into_iter().next()).is_some_and(|a| {
                        let a = compact(&a);
                        a.ends_with(&arrow) || a.ends_with(&dot)
                    })
            });
            if held {
                return Ok(Some(format!("{}:{n}", d.path)));
            }
        }
    }
    Ok(None)
}

/// An allocator that stores what it allocates in a member of one of its parameters and returns
/// that member (`key->privkey = zalloc(n); return key->privkey;`): the parameter's position, the
/// member and where the store is.
fn allocator_owner(view: &View, name: &str) -> Result<Option<(usize, String, String)>, SourceError> {
    let index = view.snapshot.index()?;
    for d in index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::Function)).take(3) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let Some(span) = index.file(&d.path).and_then(|f| f.function_at(d.line)) else { continue };
        if span.end_line - span.start_line > 40 {
            continue;
        }
        let params = parameters(&text, span);
        let lines: Vec<(u32, String)> =
            (span.name_line..=span.end_line).filter_map(|n| line_of(&text, n).map(|l| (n, compact(l)))).collect();
        for (k, p) in params.iter().enumerate() {
            let arrow = format!("{p}->");
            for (n, t) in &lines {
                let Some(rest) = t.strip_prefix(&arrow) else { continue };
                let Some((member, rhs)) = rest.split_once('=') else { continue };
                if rhs.starts_with('=') || !member.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                    continue;
                }
                let ret = format!("return{arrow}{member};");
                if lines.iter().any(|(_, l)| *l == ret || *l == format!("return({arrow}{member});")) {
                    return Ok(Some((k, member.to_string(), format!("{}:{n}", d.path))));
                }
            }
        }
    }
    Ok(None)
}

/// Whether the macro or function `name` sets what it is handed to NULL after freeing it: a
/// macro whose body assigns NULL to its first parameter (`(ptr) = NULL`), or a function that
/// assigns NULL to something reached through its first parameter (`s->buf = NULL`) or hands that
/// to such a macro or function (`depth` levels down). NULL stored elsewhere does not count.
fn resets_after_free(view: &View, name: &str, cache: &mut HashMap<String, bool>, depth: u32) -> Result<bool, SourceError> {
    if let Some(&r) = cache.get(name) {
        return Ok(r);
    }
    if name == "free" {
        return Ok(false);
    }
    let index = view.snapshot.index()?;
    let mut result = false;
    for d in index.definitions(name).iter().take(3) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let (param, body): (Option<String>, Vec<&str>) = match d.kind {
            DefKind::Macro => {
                let lines = crate::code::macro_lines(&text, d.line, 12);
                // `#define NAME(ptr) ...`: the first parameter.
                let head = lines.first().copied().unwrap_or("");
                let param = head
                    .find(&format!("{name}("))
                    .and_then(|i| head[i + name.len() + 1..].split([',', ')']).next())
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty());
                (param, lines)
            }
            DefKind::Function => match index.file(&d.path).and_then(|f| f.function_at(d.line)) {
                Some(f) if f.end_line - f.start_line <= 60 => {
                    (parameters(&text, f).into_iter().next(), (f.name_line..=f.end_line).filter_map(|n| line_of(&text, n)).collect())
                }
                _ => continue,
            },
            _ => continue,
        };
        let Some(param) = param else { continue };
        let reaches = |lhs: &str| identifiers(lhs).contains(&param.as_str());
        for line in &body[1..] {
            let t = compact(line);
            // `(ptr) = NULL`, `s->buf = NULL`, also inside `do { ...; } while(0)`.
            for (i, _) in t.match_indices("=NULL") {
                let lhs_start = t[..i].rfind([';', '{', '(', ')', '}']).map_or(0, |j| j + 1);
                let lhs = &t[lhs_start..i];
                // `(ptr)=NULL` leaves the parameter inside parentheses just before.
                let lhs = if lhs.is_empty() { t[..i].trim_end_matches(')').rsplit('(').next().unwrap_or("") } else { lhs };
                if !t[i + 5..].starts_with('=') && reaches(lhs) {
                    result = true;
                }
            }
            if !result && depth > 0 {
                for callee in called_names(line) {
                    if callee == name || !callee.to_ascii_lowercase().contains("free") {
                        continue;
                    }
                    let handed = call_args(line, callee).and_then(|a| a.into_iter().next()).is_some_and(|a| reaches(&a));
                    if handed && resets_after_free(view, callee, cache, depth - 1)? {
                        result = true;
                    }
                }
            }
            if result {
                break;
            }
        }
        if result {
            break;
        }
    }
    cache.insert(name.to_string(), result);
    Ok(result)
}

/// Test folders whose programs are built for the project's own checks and never shipped.
/// Examples and documentation are programs users copy; a fuzzing harness runs the library as an
/// attacker's input would, and its leaks are usually the library's: neither is among them.
fn test_program_dir<'a>(policy: &'a Policy, path: &str) -> Option<&'a str> {
    policy.is_test_path(path).filter(|d| !d.contains("example") && !d.contains("doc") && !d.contains("fuzz"))
}

/// A program of the project's test folders that the report's commands run (`./tests/run-parser
/// input.txt`, `build/tests/run-parser`), with the source file it is built from.
fn test_program_run(report: &Report, view: &View, policy: &Policy) -> Result<Option<(usize, String, String)>, SourceError> {
    let mut runs: Vec<(usize, &str)> = Vec::new();
    for b in &report.blocks {
        match b.kind {
            BlockKind::Command => {
                for (k, line) in b.text.lines().enumerate() {
                    runs.push((b.start_line + k, line));
                }
            }
            BlockKind::Prose => {
                for (k, line) in b.text.lines().enumerate() {
                    // Inline code: every other piece between backticks.
                    for piece in line.split('`').skip(1).step_by(2) {
                        runs.push((b.start_line + k, piece));
                    }
                }
            }
            _ => {}
        }
    }
    for (line, run) in runs {
        let run = run.trim().trim_start_matches("$ ").trim_start_matches("# ");
        let program = run.split_whitespace().next().unwrap_or_default();
        let program = program.trim_start_matches("./");
        if !program.contains('/') || program.contains("://") {
            continue;
        }
        // The folder may sit under a build folder (`build/tests/x`): start where a test folder does.
        let segments: Vec<&str> = program.split('/').collect();
        for start in 0..segments.len().saturating_sub(1) {
            let rel = segments[start..].join("/");
            let Some(dir) = test_program_dir(policy, &rel) else { continue };
            let stem = rel.trim_end_matches(".exe");
            for ext in ["c", "cc", "cpp", "cxx"] {
                if let Some(source) = view.snapshot.find(&format!("{stem}.{ext}")).first() {
                    return Ok(Some((line, run.to_string(), format!("{source} (in {dir})"))));
                }
            }
        }
    }
    Ok(None)
}

/// A leak the report shows only through a test program of the project: its reproducer runs one,
/// or its leak trace passes through a test's code.
fn test_program_leak(report: &Report, leak_titled: bool, view: &View, policy: &Policy) -> Result<Option<Finding>, SourceError> {
    let leak_traced = report.blocks.iter().any(|b| b.kind == BlockKind::Trace && b.text.contains("LeakSanitizer"));
    if !(matches!(report.class, Some(VulnClass::MemoryLeak)) || leak_titled || leak_traced) {
        return Ok(None);
    }
    // A frame of the leak trace in a test program's file of the project (traces name files by
    // the build's paths: `../tests/runtests.c`, `/src/expat/tests/runtests.c`).
    for trace in &report.traces {
        for frame in &trace.frames {
            let Some(file) = frame.file.as_deref() else { continue };
            let segments: Vec<&str> = file.split('/').filter(|s| !s.is_empty() && *s != "." && *s != "..").collect();
            for start in 0..segments.len().saturating_sub(1) {
                let rel = segments[start..].join("/");
                let Some(dir) = test_program_dir(policy, &rel) else { continue };
                // The project may keep its tests below its own folder (`expat/tests/`).
                let Some(path) = view.snapshot.find(&rel).first().map(|p| p.to_string()) else { continue };
                let at = frame.line.unwrap_or(0);
                let line = trace.start_line;
                return Ok(Some(
                    Finding::new(
                        &rules::TRI_TEST_PROGRAM_LEAK,
                        format!(
                            "the leak trace passes through the project's test code ({path}, in {dir}): a test program that exits without freeing what it allocated leaks by itself"
                        ),
                        format!("report line {line}: {} in {file}", frame.function),
                    )
                    .at(Some(Location { path, line: at, end_line: None }))
                    .line(line),
                ));
            }
        }
    }
    if let Some((line, run, source)) = test_program_run(report, view, policy)? {
        return Ok(Some(
            Finding::new(
                &rules::TRI_TEST_PROGRAM_LEAK,
                format!(
                    "the leak is shown by running a test program of the project, built from {source}: a test program that exits without freeing what it allocated leaks by itself"
                ),
                format!("report line {line}: {run}"),
            )
            .line(line),
        ));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporter_marks_on_quoted_lines() {
        assert_eq!(
            reporter_mark("  if( X->p[n] != 0 )  **// when X->n == 0, illegal access**"),
            Some(("if(X->p[n]!=0)".into(), "whenX->n==0,illegalaccess".into()))
        );
        assert_eq!(reporter_mark("buf[i] = c;   <-- here"), Some(("buf[i]=c;".into(), "here".into())));
        assert_eq!(reporter_mark("memcpy(d, s, n); /* overflow */"), Some(("memcpy(d,s,n);".into(), "overflow".into())));
        // No mark, a comment alone, or `//` inside a string.
        assert_eq!(reporter_mark("memcpy(d, s, n);"), None);
        assert_eq!(reporter_mark("  // the copy"), None);
        assert_eq!(reporter_mark("puts(\"http://host\");"), None);
    }

    #[test]
    fn bases_and_addends() {
        assert_eq!(base_and_addend("strlen(req->path) + 1"), ("strlen(req->path)".to_string(), 1));
        assert_eq!(base_and_addend("(strlen(p) + 2)"), ("strlen(p)".to_string(), 2));
        assert_eq!(base_and_addend("strlen(p)"), ("strlen(p)".to_string(), 0));
        assert_eq!(base_and_addend("len + n"), ("len+n".to_string(), 0));
        assert_eq!(signed(0), "");
        assert_eq!(signed(-1), " - 1");
        assert_eq!(signed(2), " + 2");
    }

    #[test]
    fn null_assertions() {
        for (line, macro_name) in [
            ("assert(ctx);", "assert"),
            ("assert(s->ctx != NULL);", "assert"),
            ("assert_return(ctx && len > 0, -EINVAL);", "assert_return"),
            ("g_return_val_if_fail(ctx != NULL, -1);", "g_return_val_if_fail"),
            ("BUG_ON(!ctx);", "BUG_ON"),
            ("BUG_ON_HOT(ctx == NULL);", "BUG_ON_HOT"),
            ("DBG_ASSERT(NULL != ctx);", "DBG_ASSERT"),
        ] {
            assert_eq!(null_assertion(line, "ctx").as_deref(), Some(macro_name), "{line}");
        }
        for line in [
            "assert(!ctx);",
            "assert(ctx || len == 0);",
            "assert(ctxlen > 0);",
            "BUG_ON(ctx);",
            "WARN_ON(!ctx);",
            "x = assert(ctx);",
            "assert(ctx->ok);",
            "static_assert(sizeof(ctx) == 8);",
            "assert(myctx);",
        ] {
            assert_eq!(null_assertion(line, "ctx"), None, "{line}");
        }
        assert_eq!(split_top_level("a&&(b&&c)&&d", "&&"), vec!["a", "(b&&c)", "d"]);
    }

    #[test]
    fn null_tests() {
        for cond in ["if(!ctx)", "if(!ctx||!buf)", "if(ctx==NULL)", "if(NULL==ctx)", "if(!s->ctx)", "if(a&&!ctx)", "elseif(ctx==0)"] {
            assert!(null_test(cond, "ctx"), "{cond}");
        }
        for cond in ["if(!ctx->ok)", "if(ctx)", "if(ctx!=NULL)", "if(!ctxlen)", "if(!ctx[0])", "if(!!ctx)", "if(myctx==NULL)"] {
            assert!(!null_test(cond, "ctx"), "{cond}");
        }
    }

    #[test]
    fn pointer_writes() {
        assert_eq!(pointer_write_target("*x->subpointer++=(c);"), Some("x->subpointer"));
        assert_eq!(pointer_write_target("*p=0;"), Some("p"));
        assert_eq!(pointer_write_target("*p==0"), None);
        assert_eq!(pointer_write_target("x=*p;"), None);
        let text = "#define SB_ACCUM(x, c)                          \\\n  do {                                            \\\n    if(x->sp < (x->sb + sizeof(x->sb)))           \\\n      *x->sp++ = (c);                             \\\n  } while(0)\n";
        let l = Location { path: "lib/t.c".into(), line: 2, end_line: None };
        let f = guarded_pointer_write(text, &l).expect("guarded");
        assert!(f.message.contains("x->sp < x->sb + sizeof(x->sb) (line 3)"), "{}", f.message);
        // `<=` lets the write reach one past the end.
        let loose = text.replace("x->sp < (x->sb", "x->sp <= (x->sb");
        assert!(guarded_pointer_write(&loose, &l).is_none());
    }

    #[test]
    fn constant_defines() {
        assert!(constant_define("#define PROXY_H2_CHUNK_SIZE  (16*1024)"));
        assert!(constant_define("#define H2_TUNNEL_WINDOW_SIZE        (10 * 1024 * 1024)"));
        assert!(constant_define("#define NW_RECV_CHUNKS  (H2_TUNNEL_WINDOW_SIZE / PROXY_H2_CHUNK_SIZE) /* chunks */"));
        assert!(constant_define("#define MAX_LEN 0x7fffffffUL"));
        assert!(!constant_define("#define LEN(x) ((x) * 2)"));
        assert!(!constant_define("#define SIZE (len * 2)"));
        assert!(!constant_define("#define NAME \"curl\""));
        assert!(!constant_define("size_t n = 16 * 1024;"));
    }

    #[test]
    fn call_arguments() {
        assert_eq!(call_args("  memcpy(buf, src + 1, len * 2);", "memcpy").unwrap(), ["buf", "src + 1", "len * 2"]);
        assert_eq!(call_args("x = strcpy(d, \"a,b\");", "strcpy").unwrap(), ["d", "\"a,b\""]);
        assert_eq!(call_args("mymemcpy(a,b,c)", "memcpy"), None);
        assert_eq!(call_args("memcpy(f(a, b), c, sizeof(d))", "memcpy").unwrap(), ["f(a, b)", "c", "sizeof(d)"]);
    }

    #[test]
    fn pointers_at_an_offset_and_the_values_they_depend_on() {
        assert_eq!(value_names("(char *)msg + sizeof(struct smb_header) + off"), ["msg", "off"]);
        assert_eq!(value_names("MAX_LEN - h->used"), ["h", "used"]);
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(pointer_offset("(char *)msg + off + sizeof(unsigned int)"), Some((v(&["msg"]), v(&["off"]))));
        assert_eq!(pointer_offset("&buf[pos]"), Some((v(&["buf"]), v(&["pos"]))));
        assert_eq!(pointer_offset("f(a + b)"), None);
        assert_eq!(pointer_offset("buf + 4"), None);
        assert_eq!(pointer_offset("len"), None);
    }

    #[test]
    fn copies_sized_by_their_destination() {
        assert!(sized_by_destination("keyval", "sizeof(keyval)"));
        assert!(sized_by_destination("req->host", "sizeof(req->host)"));
        assert!(sized_by_destination("(char *)&temp[len]", "sizeof(temp) - len"));
        assert!(sized_by_destination("buf + off", "sizeof(buf) - off"));
        assert!(!sized_by_destination("(char *)&temp[len]", "sizeof(temp)"));
        assert!(!sized_by_destination("buf + off", "sizeof(buf) - n"));
        assert!(!sized_by_destination("dst", "len"));
    }

    #[test]
    fn calls_given_the_room_left_in_their_buffer() {
        let code = "struct hostent *r(const char *name)\n{\n  struct hostent *buf = calloc(1, HOSTENT_SIZE);\n  h = lookup_r(name, buf,\n               (char *)buf + sizeof(struct hostent),\n               HOSTENT_SIZE - sizeof(struct hostent), &err);\n  snprintf(line + used, sizeof(line) - used, \"%s\", s);\n  n = read_into(out + off, sizeof(out) - (off));\n}\n";
        let f = room_left(code, 4, 1, "lib/r.c").expect("room left");
        assert_eq!(f.location.as_ref().map(|l| (l.line, l.end_line)), Some((3, Some(4))));
        assert!(f.message.contains("lookup_r at lib/r.c:4"), "{}", f.message);
        assert!(f.message.contains("allocated with HOSTENT_SIZE at line 3"), "{}", f.message);
        // A copy sized by its destination is the copy checks' to report.
        assert!(room_left(code, 7, 1, "lib/r.c").is_none());
        let g = room_left(code, 8, 1, "lib/r.c").expect("sizeof minus the offset");
        assert!(g.message.contains("out is sizeof(out) bytes"), "{}", g.message);
        // Another size, another allocation, or no offset: nothing to say.
        for bad in [
            "{\n  buf = calloc(1, HOSTENT_SIZE);\n  lookup_r(name, (char *)buf + sizeof(struct hostent), HOSTENT_SIZE - 1);\n}\n",
            "{\n  buf = calloc(1, OTHER_SIZE);\n  lookup_r(name, (char *)buf + sizeof(struct hostent), HOSTENT_SIZE - sizeof(struct hostent));\n}\n",
            "{\n  buf = calloc(1, HOSTENT_SIZE);\n  lookup_r(name, (char *)other + sizeof(struct hostent), HOSTENT_SIZE - sizeof(struct hostent));\n}\n",
            "{\n  buf = calloc(1, HOSTENT_SIZE);\n  lookup_r(name, buf, HOSTENT_SIZE - sizeof(struct hostent));\n}\n",
        ] {
            assert!(room_left(bad, 3, 1, "lib/r.c").is_none(), "{bad}");
        }
    }

    #[test]
    fn bounded_loop_writes() {
        let code = "static int f(const char *h)\n{\n  char zoneid[16];\n  int i = 0;\n  while(*h && (*h != ']') && (i < 15))\n    zoneid[i++] = *h++;\n  zoneid[i] = 0;\n  return 0;\n}\n";
        let f = bounded_write(code, 6, 1, "lib/u.c").expect("bounded");
        assert!(f.message.contains("index 14") && f.message.contains("16 elements"), "{}", f.message);
        // The bound must keep the index inside the array.
        let loose = code.replace("i < 15", "i < 17");
        assert!(bounded_write(&loose, 6, 1, "lib/u.c").is_none());
        let equal = code.replace("i < 15", "i <= 16");
        assert!(bounded_write(&equal, 6, 1, "lib/u.c").is_none());
        // A bound on another variable, or an `||`, proves nothing.
        assert!(bounded_write(&code.replace("(i < 15)", "(j < 15)"), 6, 1, "lib/u.c").is_none());
        assert!(bounded_write(&code.replace("&& (i < 15)", "|| (i < 15)"), 6, 1, "lib/u.c").is_none());
        // A loop with a block body may change the index elsewhere.
        let block = code.replace("(i < 15))\n", "(i < 15)) {\n");
        assert!(bounded_write(&block, 6, 1, "lib/u.c").is_none());
        // for loops and sizeof bounds.
        let for_loop = "void g(void)\n{\n  char b[8];\n  size_t k;\n  for(k = 0; k < sizeof(b) - 1; k++) b[k] = 'a';\n}\n";
        assert!(bounded_write(for_loop, 5, 1, "x.c").is_some());
        assert!(bounded_write(&for_loop.replace("sizeof(b) - 1", "n"), 5, 1, "x.c").is_none());
        // Parsing pieces.
        assert_eq!(indexed_write("    zoneid[i++] = *h++;"), Some(("zoneid", "i")));
        assert_eq!(indexed_write("  if(buf[i] == 0)"), None);
        assert_eq!(local_array_size("  char zoneid[16];", "zoneid"), Some(16));
        assert_eq!(local_array_size("  x = zoneid[16];", "zoneid"), None);
        assert_eq!(local_array_size("  unsigned char buf[MAX];", "buf"), None);
    }

    #[test]
    fn macro_polarity() {
        assert!(positive("defined(DEBUGBUILD)", "DEBUGBUILD"));
        assert!(!positive("!defined(DEBUGBUILD)", "DEBUGBUILD"));
        assert!(!positive("! defined (DEBUGBUILD) && X", "DEBUGBUILD"));
        assert!(!positive("!DEBUGBUILD", "DEBUGBUILD"));
    }
}

#[cfg(test)]
mod scope_tests {
    use super::*;

    fn report(text: &str) -> Report {
        vouch_claims::parse_bytes(text.as_bytes(), &vouch_claims::Limits::default()).expect("parses")
    }

    #[test]
    fn a_concession_of_no_impact_is_found_unless_narrowed() {
        let f =
            conceded_no_impact(&report("# Overflow in x\n\n**Severity:** Low — not practically exploitable due to upstream validation\n"))
                .expect("conceded");
        assert!(f.message.contains("not practically exploitable"), "{}", f.message);
        assert!(conceded_no_impact(&report("# Overflow\n\nThe tick can wrap. Here no big impact and only logic error.\n")).is_some());
        // Conceding that the attack is impractical (4 billion handles, terabytes of memory).
        let stress = "# Overflow\n\nThe following code shows the attack path (not practical due to memory requirements):\n";
        assert!(conceded_no_impact(&report(stress)).is_some());
        assert!(conceded_no_impact(&report("# Off by one\n\nThis is a real bug, even though exploitation is unlikely.\n")).is_some());
        // A sentence about something else being impractical concedes nothing.
        assert!(conceded_no_impact(&report("# Injection\n\nIf preserving the values is not practical in POSIX shell, reject them.\n"))
            .is_none());
        // Narrowed to a platform, a path or a condition: the rest may still be exploitable.
        for text in [
            "# Overflow\n\nAll platforms (64-bit systems theoretically exploitable, 32-bit systems not exploitable due to address space limits).\n",
            "# Overflow\n\nThe overflow is not exploitable via the strlen path.\n",
            "# Overflow\n\nIt is not exploitable unless the application passes its own length.\n",
            "# Overflow\n\nA heap overflow in the parser, exploitable by any server.\n",
        ] {
            assert!(conceded_no_impact(&report(text)).is_none(), "{text}");
        }
    }

    #[test]
    fn unsigned_wraparound_is_defined() {
        let only = report("# UB in adler32\n\n```\nadler32.c:121:19: runtime error: unsigned integer overflow: 0 - 1 cannot be represented in type 'z_size_t'\ninflate.c:1002:32: runtime error: implicit conversion from type 'int' of value -1 changes value\n```\n");
        let f = defined_wraparound(&only).expect("all defined");
        assert!(f.message.contains("2 sanitizer error(s)"), "{}", f.message);
        let mixed = report("# UB\n\n```\nadler32.c:121:19: runtime error: unsigned integer overflow: 0 - 1\nx.c:9:3: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'\n```\n");
        assert!(defined_wraparound(&mixed).is_none());
        assert!(defined_wraparound(&report("# Overflow\n\nNo sanitizer here.\n")).is_none());
    }

    #[test]
    fn counting_loops_that_end() {
        let ends = |code: &str| terminates(code, 1);
        assert!(ends("for(i = 0; i < n; i += 2)\n  out[i] = 0;\n"));
        assert!(ends("for (size_t k = len;\n     k > 0;\n     --k) {\n  buf[k - 1] = 0;\n}\n"));
        assert!(ends("for(i = 0; max > i; i++) { total += v[i]; }\n"));
        for open in [
            "for(;;) {\n  if(done) break;\n}\n",
            "for(i = 0; i < n; i += step)\n  x++;\n",
            "for(i = 0; i < n && ok; i++)\n  x++;\n",
            "for(i = 0; i != n; i++)\n  x++;\n",
            "for(i = 0; i < n; i++) {\n  next(&i);\n}\n",
            "for(p = head; p; p = p->next)\n  x++;\n",
        ] {
            assert!(!ends(open), "{open}");
        }
    }

    #[test]
    fn api_misuse_needs_the_reports_own_admission() {
        let conceded = report("# Crash\n\nThe crash needs API misuse: the application passes a NULL handle to the function.\n");
        assert!(api_misuse_sentence(&conceded).is_some());
        let passes = report("# Crash\n\nIt happens when the application passes an invalid length to curl_easy_setopt.\n");
        assert!(api_misuse_sentence(&passes).is_some());
        for denied in [
            "# Leak\n\nThis is not API misuse. The function explicitly allows repeated calls.\n",
            "# Leak\n\nThe issue affects default behaviour and does not require API misuse or local access.\n",
            "# Bypass\n\nThis violates the documented guarantee that curl aborts the connection.\n",
            "# Overread\n\nThe application passes the server's certificate to the parser, which reads past the end.\n",
            "# Varargs\n\nWhen a caller passes a `long double` as documented, va_arg reads an uninitialized register slot.\n",
        ] {
            assert_eq!(api_misuse_sentence(&report(denied)), None, "{denied}");
        }
    }

    #[test]
    fn small_leaks_are_measured_not_read() {
        let small = "# Leak\n\n```\n==1==ERROR: LeakSanitizer: detected memory leaks\n\nDirect leak of 2 byte(s) in 1 object(s) allocated from:\n    #0 0x1 in strdup\nSUMMARY: AddressSanitizer: 2 byte(s) leaked in 1 allocation(s).\n```\n";
        assert!(small_leak(&report(small)).unwrap().starts_with("2 byte(s) leaked"));
        let big = small.replace("2 byte(s) leaked", "900000 byte(s) leaked");
        assert_eq!(small_leak(&report(&big)), None);
        let overflow = format!("{small}\n```\n==2==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6020\n```\n");
        assert_eq!(small_leak(&report(&overflow)), None, "a leak next to a memory error is not just a leak");
        assert_eq!(small_leak(&report("# Leak\n\nThe function leaks a few bytes.\n")), None);
    }

    #[test]
    fn scope_phrases_from_the_reports_words() {
        let crlf = report("# CRLF Injection via custom headers\n\nA header value with CR LF adds a header.\n");
        assert!(policy_phrase(&crlf, "crlf-in-data").is_some());
        let crl_file = report("# Revocation ignored\n\nThe CRLfile option is ignored by the backend.\n");
        assert_eq!(policy_phrase(&crl_file, "crlf-in-data"), None);
        let trick = report("# Config inclusion\n\nAn attacker can trick a user into running curl with a malicious config file.\n");
        assert!(policy_phrase(&trick, "command-line-trickery").is_some());
        let injected = report(
            "# Argument Injection via short-flag grouping\n\nAn application that runs curl with the user's URL runs `-os` as options.\n",
        );
        assert!(policy_phrase(&injected, "command-line-trickery").is_some());
        let own = report("# Overwrite\n\nThe victim runs their usual command and the file is replaced.\n");
        assert_eq!(policy_phrase(&own, "command-line-trickery"), None);
        let esc = report("# Escapes\n\nThe server sends ANSI escape sequences that the terminal interprets.\n");
        assert!(policy_phrase(&esc, "terminal-escape").is_some());
        let url = report("# Parser\n\ncurl and browsers disagree: a WHATWG parser reads the host differently.\n");
        assert!(policy_phrase(&url, "url-inconsistency").is_some());
        let wide = report("# Header — smuggling\n\nA value — with “CRLF” — injects a header.\n");
        assert!(policy_phrase(&wide, "crlf-in-data").is_some());
        let denied = report("# Smuggling\n\nThis is not a CRLF injection: the bytes come from the server.\n");
        assert_eq!(policy_phrase(&denied, "crlf-in-data"), None);
        let ps = report("# Credentials in /proc/1234/cmdline\n\ncurl does not hide the password given with -u.\n");
        assert!(policy_phrase(&ps, "visible-arguments").is_some());
        let listing = report("# Token exposure\n\nAnother local user sees the bearer token in the process listing.\n");
        assert!(policy_phrase(&listing, "visible-arguments").is_some());
        let docs = report("# Resume\n\nSee docs/cmdline-opts/continue-at.md for the option.\n");
        assert_eq!(policy_phrase(&docs, "visible-arguments"), None);
    }

    #[test]
    fn file_urls_reading_local_files() {
        let traversal = report("# Path traversal in the file:// handler\n\nRunning `curl file:///tmp/../etc/passwd` prints the file.\n");
        assert_eq!(local_file_url(&traversal).as_deref(), Some("Path traversal in the file:// handler"));
        let read = report("# Disclosure\n\nProtocols: dict file ftp smb smbs http https\n\nAn application passing user URLs lets file:// URLs read arbitrary files.\n");
        assert!(local_file_url(&read).is_some_and(|e| e.contains("read arbitrary files")), "{:?}", local_file_url(&read));
        // Reaching another host, or a URL the server chooses, is more than reading local files.
        let unc = report("# Path traversal\n\nA file:// URL with a UNC path reads arbitrary files from another host.\n");
        assert_eq!(local_file_url(&unc), None);
        let redirect = report("# Local file read\n\nA redirect to file:///etc/passwd makes curl read the local file.\n");
        assert_eq!(local_file_url(&redirect), None);
        // A file URL mentioned in passing is not what the report is about.
        let passing =
            report("# Option injection in wcurl\n\nThe command still contains `--url=file:///tmp/.../source.txt` as an option.\n");
        assert_eq!(local_file_url(&passing), None);
    }
}
