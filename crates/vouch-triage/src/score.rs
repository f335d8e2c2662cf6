//! The score: a logistic combination of what the checks found. Confirmed claims and a reproducer
//! against a released version push up; contradictions, impossible evidence, duplicates and policy
//! exclusions push down. A report without code claims keeps the prior: many genuine reports make
//! none.

use vouch_claims::{BlockKind, Report};
use vouch_report::rules;

use crate::policy::Policy;
use crate::project::Checked;
use crate::{ClaimResult, Finding, Status};

pub(crate) struct Scored {
    pub score: f64,
    pub flagged: bool,
    pub reasons: Vec<String>,
}

/// Prior log-odds: a report nothing speaks for or against.
const PRIOR: f64 = 0.4;
/// What a static analyser's warning with no run of the code shown (VCH-TRI-034) takes off the
/// logit: a ranking prior that never flags a report by itself. Over 62 projects' trackers (1794
/// reports), 8.1 % of the claims maintainers rejected rested on such a warning against 3.2 % of
/// the bugs they confirmed, a ratio like the hedged title's, so it weighs as much.
const ANALYSER_PRIOR: f64 = -0.6;
/// What a title that only says the problem may exist (VCH-TRI-036) takes off the logit: a
/// ranking prior that never flags a report by itself. Over 62 projects' trackers (1794 reports),
/// 17 % of the claims maintainers rejected had such a title, or conceded the problem has no
/// impact, against 7 % of the bugs they confirmed (15 % and 6 % over the first 31).
const HEDGED_PRIOR: f64 = -0.6;

/// Findings that only lower the ranking: each is weak evidence on its own and several together
/// are no stronger, so none of them counts towards flagging a report as too unlikely.
const RANKING_ONLY: &[&vouch_report::Rule] = &[
    &rules::TRI_LOCAL_INPUT,
    &rules::TRI_NOTHING_SPECIFIC,
    &rules::TRI_ANALYSER_ONLY,
    &rules::TRI_HEDGED,
    &rules::TRI_DUPLICATE_REPORT,
    &rules::TRI_OTHER_VERSION,
    &rules::TRI_DEFINED_WRAPAROUND,
    &rules::TRI_POC_PRIVATE_STATE,
    &rules::TRI_TEST_PROGRAM_LEAK,
];

pub(crate) fn score(report: &Report, claims: &[ClaimResult], findings: &[Finding], checked: &Checked, policy: &Policy) -> Scored {
    let mut parts: Vec<(f64, String)> = Vec::new();

    let confirmed: Vec<&ClaimResult> = claims.iter().filter(|c| c.status == Status::Confirmed && c.weight > 0.0).collect();
    let contradicted: Vec<&ClaimResult> = claims.iter().filter(|c| c.status == Status::Contradicted && c.weight > 0.0).collect();
    // When the cited code exists but does not do what the report says (the copy is guarded, its
    // source is a literal), its existence is weak evidence for the report.
    // Code from after the report (no release before its date): a guard found there may be the
    // fix, so what the checks of meaning find cannot count against the report.
    let postdates = checked.main.postdates_report();
    let refuting = |f: &Finding| {
        [
            rules::TRI_GUARDED_COPY.code,
            rules::TRI_LITERAL_SOURCE.code,
            rules::TRI_DEBUG_ONLY.code,
            rules::TRI_TEST_CODE.code,
            rules::TRI_QUOTE_OMITS_CHECK.code,
            rules::TRI_POC_OUTSIDE_PROJECT.code,
            rules::TRI_CALLER_FORMAT.code,
            rules::TRI_POC_UNTERMINATED.code,
            rules::TRI_CHECK_PRESENT.code,
            rules::TRI_GUARDED_ARITHMETIC.code,
            rules::TRI_QUOTE_ADDS_CALL.code,
            rules::TRI_FREE_RESETS.code,
            rules::TRI_DECLARATION_ONLY.code,
            rules::TRI_LEAK_OWNED.code,
            rules::TRI_SINGLE_FREE.code,
            rules::TRI_LOOP_TERMINATES.code,
            rules::TRI_MEMBER_FREED.code,
            rules::TRI_ALLOCATION_RETURNED.code,
            rules::TRI_LEAK_HELD.code,
            rules::TRI_FREE_REPEATABLE.code,
            rules::TRI_CONTRACT_DENIED.code,
            rules::TRI_MARKED_FALSE_POSITIVE.code,
            rules::TRI_BUNDLED_PROGRAM.code,
            rules::TRI_ALLOCATOR_NEVER_NULL.code,
            rules::TRI_POC_RELEASES_UNOWNED.code,
            rules::TRI_POC_OWN_LIFETIME.code,
            rules::TRI_BOUNDED_VALUE.code,
            rules::TRI_BORROWED_MEMORY.code,
            rules::TRI_INPUT_CAPPED.code,
            rules::TRI_OWN_MEASUREMENTS.code,
            rules::TRI_NOTHING_ALLOCATED.code,
            rules::TRI_POINTER_RESTORED.code,
            rules::TRI_CALL_UNCONDITIONAL.code,
            rules::TRI_NO_COMMAND_RUNNER.code,
            rules::TRI_POC_SKIPS_INIT.code,
        ]
        .contains(&f.rule)
    };
    // What the reproducer does with a function's signature holds whatever version is checked: an
    // API rarely drops a length it took. So does where a file lies: a bundled dependency's
    // program stays one. And so do the reproducer's own mistakes with what it owns.
    let about_poc = |f: &Finding| {
        [
            rules::TRI_POC_UNTERMINATED.code,
            rules::TRI_BUNDLED_PROGRAM.code,
            rules::TRI_POC_RELEASES_UNOWNED.code,
            rules::TRI_POC_OWN_LIFETIME.code,
            rules::TRI_OWN_MEASUREMENTS.code,
            rules::TRI_POC_SKIPS_INIT.code,
        ]
        .contains(&f.rule)
    };
    let refuted = findings.iter().any(|f| refuting(f) && (!postdates || about_poc(f)));
    // What anyone can name says nothing for a report: that a file, a release or a public API
    // exists. Only claims about what the code is and does count for it: functions, lines and
    // quoted code that hold (and the commits, structure members and the like that go with them).
    // On the sets vouch was measured on, fabricated reports named real files, releases and API
    // as often as genuine ones did, and more of them.
    let specific: Vec<&&ClaimResult> =
        confirmed.iter().filter(|c| !matches!(c.kind, "file" | "api" | "version" | "cve" | "ghsa") && !c.public_api).collect();
    let code: f64 = specific.iter().map(|c| c.weight).sum();
    // Diminishing returns rather than a hard cap: every further confirmed specific still counts a
    // little, so a report whose dozens of claims hold ranks above one with a handful.
    let up: f64 = 2.6 * (1.0 - (-code / 2.5).exp()) * if refuted { 0.5 } else { 1.0 };
    if up > 0.0 {
        let but = if refuted { ", but the code does not do what the report says" } else { "" };
        let named = confirmed.len() - specific.len();
        let also = if named > 0 {
            format!(" (and {named} file, release or API name(s) that exist, which anyone can name)")
        } else {
            String::new()
        };
        parts.push((up, format!("{} claim(s) about the code confirmed{also}{but}", specific.len())));
    } else if !confirmed.is_empty() {
        parts.push((
            0.0,
            format!("{} file, release or API name(s) confirmed; anyone can name those, so they do not count", confirmed.len()),
        ));
    }
    let down: f64 = contradicted.iter().map(|c| c.weight).sum::<f64>().min(6.0) * 1.5;
    if down > 0.0 {
        let some: Vec<String> = contradicted.iter().take(3).map(|c| format!("{} {}", c.kind, c.text)).collect();
        parts.push((-down, format!("{} claim(s) contradicted by the code ({})", contradicted.len(), some.join("; "))));
        let checked_code = confirmed.len() + contradicted.len();
        if contradicted.len() * 2 > checked_code {
            parts.push((-0.5, "most checked claims do not hold".into()));
        }
    }
    if confirmed.is_empty() && contradicted.is_empty() {
        parts.push((0.0, "no claim about the code could be checked; nothing speaks for or against it".into()));
    }

    let mut seen: Vec<&str> = Vec::new();
    // What the priors that only rank (RANKING_ONLY) took off the logit.
    let mut ranking_only = 0.0;
    let mut dup_flag = false;
    let mut scope_flag = false;
    for f in findings {
        let (w, once) = match f.rule {
            r if r == rules::TRI_PLACEHOLDER_EVIDENCE.code => (-2.5, true),
            r if r == rules::TRI_TRACE_OUTSIDE_PROJECT.code => (-1.2, true),
            r if r == rules::TRI_FABRICATED_PATCH.code => (-2.5, true),
            r if r == rules::TRI_GUARDED_COPY.code => (-2.0, true),
            r if r == rules::TRI_LITERAL_SOURCE.code => (-1.2, true),
            r if r == rules::TRI_DEBUG_ONLY.code => (-1.5, true),
            r if r == rules::TRI_TEST_CODE.code => (-1.5, true),
            r if r == rules::TRI_QUOTE_OMITS_CHECK.code => (-1.5, true),
            // Local input lowers the ranking; it is not enough to flag a report whose policy
            // does not rule local attackers out (curl has issued CVEs for local attacks).
            r if r == rules::TRI_LOCAL_INPUT.code => (-0.35, true),
            r if r == rules::TRI_POC_OUTSIDE_PROJECT.code => (-1.5, true),
            r if r == rules::TRI_CALLER_FORMAT.code => (-2.0, true),
            r if r == rules::TRI_POC_UNTERMINATED.code => (-2.0, true),
            // A report naming nothing of the project is shown (ask which code), but keeps the
            // prior, as one making no code claims does: on 31 projects' trackers, 16 % of the
            // bugs maintainers confirmed named nothing (a fuzzer's crash file, a short fix
            // request) against 5 % of the claims they rejected.
            r if r == rules::TRI_NOTHING_SPECIFIC.code => (0.0, true),
            // A prior, not a refutation: ranks lower, never flags alone.
            r if r == rules::TRI_ANALYSER_ONLY.code => (ANALYSER_PRIOR, true),
            r if r == rules::TRI_HEDGED.code => (HEDGED_PRIOR, true),
            // A prior: the test program may leak by itself, or the library for it.
            r if r == rules::TRI_TEST_PROGRAM_LEAK.code => (-0.6, true),
            r if r == rules::TRI_CHECK_PRESENT.code => (-2.0, true),
            r if r == rules::TRI_GUARDED_ARITHMETIC.code => (-1.5, true),
            r if r == rules::TRI_BOUNDED_VALUE.code => (-1.5, true),
            r if r == rules::TRI_BORROWED_MEMORY.code => (-1.5, true),
            r if r == rules::TRI_INPUT_CAPPED.code => (-2.0, true),
            // The report's numbers against its own words: whatever version is checked.
            r if r == rules::TRI_OWN_MEASUREMENTS.code => (-2.0, true),
            r if r == rules::TRI_NOTHING_ALLOCATED.code => (-1.5, true),
            r if r == rules::TRI_POINTER_RESTORED.code => (-1.5, true),
            r if r == rules::TRI_CALL_UNCONDITIONAL.code => (-1.5, true),
            r if r == rules::TRI_NO_COMMAND_RUNNER.code => (-1.5, true),
            r if r == rules::TRI_QUOTE_ADDS_CALL.code => (-1.5, true),
            r if r == rules::TRI_FREE_RESETS.code => (-2.0, true),
            r if r == rules::TRI_DECLARATION_ONLY.code => (-1.5, true),
            r if r == rules::TRI_LEAK_OWNED.code => (-2.0, true),
            r if r == rules::TRI_SINGLE_FREE.code => (-1.5, true),
            r if r == rules::TRI_LOOP_TERMINATES.code => (-1.5, true),
            r if r == rules::TRI_MEMBER_FREED.code => (-1.5, true),
            // Defined behaviour, but a wrapped size can still be the bug (an allocation made too
            // small): a prior that ranks, not a refutation.
            r if r == rules::TRI_DEFINED_WRAPAROUND.code => (-0.6, true),
            r if r == rules::TRI_ALLOCATION_RETURNED.code => (-1.5, true),
            r if r == rules::TRI_LEAK_HELD.code => (-1.5, true),
            r if r == rules::TRI_FREE_REPEATABLE.code => (-1.5, true),
            r if r == rules::TRI_CONTRACT_DENIED.code => (-2.0, true),
            r if r == rules::TRI_MARKED_FALSE_POSITIVE.code => (-1.5, true),
            r if r == rules::TRI_BUNDLED_PROGRAM.code => (-1.5, true),
            r if r == rules::TRI_ALLOCATOR_NEVER_NULL.code => (-2.0, true),
            r if r == rules::TRI_POC_RELEASES_UNOWNED.code => (-2.0, true),
            r if r == rules::TRI_POC_OWN_LIFETIME.code => (-2.0, true),
            r if r == rules::TRI_POC_SKIPS_INIT.code => (-2.0, true),
            // An earlier report in the queue saying the same is read together with it; the two
            // may both be right (two finders of one bug, an issue and the pull request fixing
            // it), so it is shown, not scored: over 62 projects' trackers, 3.9 % of confirmed bugs
            // matched an earlier report against 2.7 % of rejected claims (DESIGN: only a known
            // advisory flags).
            r if r == rules::TRI_DUPLICATE_REPORT.code => (0.0, true),
            r if r == rules::TRI_OUT_OF_SCOPE.code => {
                scope_flag = true;
                (-2.5, false)
            }
            // Shown, not scored: claims holding at another version than the one checked are
            // what a reporter reading the development code writes. Genuine reports did so more
            // often than fabricated ones: 9 of 81 against 6 of 67 on curl's HackerOne reports,
            // 44 of 771 against 1 of 196 on 31 projects' trackers.
            r if r == rules::TRI_OTHER_VERSION.code => (0.0, true),
            // API misuse by the reproducer: out of scope where the policy says so, else a prior.
            r if r == rules::TRI_POC_PRIVATE_STATE.code => {
                if policy.excludes("api-misuse") {
                    scope_flag = true;
                    (-2.0, true)
                } else {
                    (-0.6, true)
                }
            }
            _ => (0.0, true),
        };
        if w == 0.0 || once && seen.contains(&f.rule) {
            continue;
        }
        if postdates && refuting(f) && !about_poc(f) {
            if !seen.contains(&"postdates") {
                seen.push("postdates");
                parts.push((0.0, format!("not counted: {} (the code checked postdates the report; the check may be its fix)", f.message)));
            }
            continue;
        }
        // Code from after the report has moved on: a trace's lines that land elsewhere or past
        // the end of their file there say nothing about the code the reporter ran.
        if postdates && f.rule == rules::TRI_TRACE_OUTSIDE_PROJECT.code {
            if !seen.contains(&"postdates-trace") {
                seen.push("postdates-trace");
                parts
                    .push((0.0, format!("not counted: {} (the code checked postdates the report; its lines have moved since)", f.message)));
            }
            continue;
        }
        seen.push(f.rule);
        if RANKING_ONLY.iter().any(|r| r.code == f.rule) {
            ranking_only += w;
        }
        parts.push((w, f.message.clone()));
    }
    // Duplicates of published advisories (the finding is added per duplicate; score the best).
    if let Some(d) = findings.iter().find(|f| f.rule == rules::TRI_DUPLICATE_ADVISORY.code) {
        if d.evidence.contains(crate::CITED_ADVISORY) {
            parts.push((-0.7, format!("{} (the report cites it, perhaps as a related issue)", d.message)));
        } else if d.evidence.ends_with(crate::UNDATED_COPY) {
            parts.push((-0.7, format!("{} (the report has no date; the advisory may quote it)", d.message)));
        } else {
            dup_flag = true;
            parts.push((-2.0, d.message.clone()));
        }
    }

    // A reproducer against a released version.
    let has_repro = report.blocks.iter().any(|b| matches!(b.kind, BlockKind::ReporterCode | BlockKind::Command));
    // Only a reproducer whose claims hold earns credit.
    let poc_invented = findings.iter().any(|f| f.rule == rules::TRI_UNKNOWN_API.code);
    // A development build (`8.16.0-DEV`) is not a release, though it is checked at the release before it.
    if has_repro && !poc_invented && !refuted && contradicted.is_empty() && checked.main.names_release() {
        parts.push((0.5, format!("reproducer against a released version ({})", checked.main.label)));
    }
    // A sanitizer line without frames (UBSan's `file.c:12:5: runtime error:`) reaches the project
    // only when the line it names is there; a sanitizer header whose frames the reporter cut off
    // names no line and is judged on its own.
    let trace_lines: Vec<&ClaimResult> = claims.iter().filter(|c| c.origin == "trace" && c.kind == "line").collect();
    let trace_line_holds = trace_lines.is_empty() || trace_lines.iter().any(|c| c.status == Status::Confirmed);
    let real_trace =
        report.traces.iter().any(|t| !t.placeholder_addresses && !t.elided_addresses && (!t.frames.is_empty() || trace_line_holds))
            && !findings
                .iter()
                .any(|f| f.rule == rules::TRI_TRACE_OUTSIDE_PROJECT.code && !postdates || f.rule == rules::TRI_PLACEHOLDER_EVIDENCE.code);
    if real_trace {
        parts.push((0.4, "a trace that reaches project code".into()));
    }

    let mut reasons_flag: Vec<String> = Vec::new();
    let logit = PRIOR + parts.iter().map(|(w, _)| w).sum::<f64>();
    let score = 1.0 / (1.0 + (-logit).exp());
    let score = (score * 1000.0).round() / 1000.0;
    parts.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()));
    let mut reasons: Vec<String> =
        parts.into_iter().map(|(w, r)| if w == 0.0 { r } else { format!("{}{:.1} {r}", if w > 0.0 { "+" } else { "" }, w) }).collect();
    // DESIGN: flagged when the report's concrete claims about the code are contradicted — a file,
    // function or quoted code of its own text that the code does not have.
    // One slip among many claims that hold is not enough: two, or one that most of the rest do not outweigh.
    let core =
        |c: &&&ClaimResult| matches!(c.kind, "file" | "function" | "snippet") && matches!(c.origin, "prose" | "project-code") && !c.negated;
    let core_bad = contradicted.iter().filter(core).count();
    // A struct member used somewhere in the project (`s->len`) is too common a name to stand for
    // the report's claims holding.
    let core_good = confirmed.iter().filter(core).filter(|c| !c.member).count();
    // A function under the project's own prefix (`Curl_follow_Location`) that the project never
    // had is an invented part of the project rather than a slip of the pen, unless the report is
    // one whose many other claims hold (a report citing dozens of places correctly may name a
    // helper from code newer than the clone).
    let invented = contradicted.iter().find(|c| core(c) && c.kind == "function" && c.namespaced).filter(|_| core_good < 10);
    let core_contradicted = core_bad >= 2 || core_bad == 1 && (core_good <= 3 || invented.is_some());
    if let Some(c) = invented {
        reasons_flag.push(format!("it names {}, a function in the project's own namespace that the project does not have", c.text));
    } else if core_contradicted {
        reasons_flag.push("a claim of the report's own text about the code is contradicted".to_string());
    }
    // Evidence no real run produces (placeholder addresses in a sanitizer report or backtrace)
    // is a claim of the report contradicted by itself.
    let impossible = findings.iter().any(|f| f.rule == rules::TRI_PLACEHOLDER_EVIDENCE.code);
    if impossible {
        reasons_flag.push("its evidence is impossible (placeholder values no real run produces)".to_string());
    }
    // Priors that only rank (RANKING_ONLY: an analyser's warning with no run shown, a hedged
    // title, local input, ...) do not flag a report that would not be flagged without them.
    let low = score < policy.flag_below && 1.0 / (1.0 + (-(logit - ranking_only)).exp()) < policy.flag_below;
    let flagged = low || dup_flag || scope_flag || core_contradicted || impossible;
    reasons.extend(reasons_flag.into_iter().map(|r| format!("flagged: {r}")));
    Scored { score, flagged, reasons }
}
