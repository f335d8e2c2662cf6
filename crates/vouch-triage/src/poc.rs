//! Checks on what the reporter brings rather than on the project's code: does their program
//! exercise the project at all, is the format string of a "format string bug" their own, and does
//! the report name anything of the project beyond its metadata.

use vouch_claims::{BlockKind, Report, VulnClass};
use vouch_report::rules;
use vouch_source::{DefKind, SourceError};

use crate::code::{identifiers, line_of};
use crate::meaning::call_args;
use crate::policy::Policy;
use crate::project::View;
use crate::verify::names_prefix;
use crate::{ClaimResult, Finding, Location, Status};

pub(crate) fn check(
    report: &Report,
    claims: &[ClaimResult],
    view: &View,
    project: Option<&str>,
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    poc_outside_project(report, claims, view, project, policy, findings)?;
    poc_own_copy(report, claims, view, findings)?;
    if !findings.iter().any(|f| f.rule == rules::TRI_POC_OUTSIDE_PROJECT.code) {
        findings.extend(simulated_reproducer(report, project));
    }
    if !findings.iter().any(|f| f.rule == rules::TRI_POC_OUTSIDE_PROJECT.code) {
        findings.extend(poc_own_arithmetic(report, claims, view)?);
    }
    if !findings.iter().any(|f| f.rule == rules::TRI_POC_OUTSIDE_PROJECT.code) {
        findings.extend(constant_proof(report));
    }
    caller_format(report, claims, view, findings)?;
    unterminated_string(report, claims, view, findings)?;
    if !findings.iter().any(|f| f.rule == rules::TRI_POC_UNTERMINATED.code) {
        unterminated_input_said(report, claims, view, findings)?;
    }
    if let Some(f) = released_unowned(report, view)? {
        findings.push(f);
    } else if let Some(f) = own_lifetime_error(report, view)? {
        findings.push(f);
    }
    findings.extend(skipped_initialiser(report, view)?);
    if let Some(name) = project {
        nothing_specific(report, claims, view, name, findings)?;
    }
    Ok(())
}

/// A C program of the reporter's that calls several functions, none of them the project's (only
/// a dependency's or the system's), in a report with no command line running the project: what
/// it shows happens outside the project.
fn poc_outside_project(
    report: &Report,
    claims: &[ClaimResult],
    view: &View,
    project: Option<&str>,
    policy: &Policy,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let programs: Vec<_> = report
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::ReporterCode && (b.text.contains("#include") || b.text.contains("int main")))
        .collect();
    if programs.is_empty() {
        return Ok(());
    }
    let runs_project = project.is_some_and(|p| {
        report.blocks.iter().filter(|b| b.kind == BlockKind::Command).any(|b| {
            b.text.lines().any(|l| {
                let first = l.trim_start().trim_start_matches(['$', '#', '>', ' ']).split_whitespace().next().unwrap_or("");
                first.rsplit('/').next() == Some(p)
            })
        })
    });
    if runs_project {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    let calls: Vec<&ClaimResult> = claims
        .iter()
        .filter(|c| {
            c.kind == "api" && c.origin == "reporter-code" && programs.iter().any(|b| (b.start_line..=b.end_line).contains(&c.report_line))
        })
        .collect();
    let mut names: Vec<&str> = calls.iter().map(|c| c.text.trim_end_matches("()")).collect();
    names.sort_unstable();
    names.dedup();
    // A dependency prefix that is the project's own name (`ares_` in c-ares) is not a dependency's:
    // the default list names curl's dependencies.
    let foreign = |n: &str| policy.dependency_prefix(n).is_some_and(|p| !project.is_some_and(|name| names_prefix(name, p)));
    let own = |n: &str| {
        !foreign(n) && index.definitions(n).iter().any(|d| !matches!(d.kind, DefKind::FunctionDecl) || d.path.starts_with("include/"))
    };
    let dependency = names.iter().filter(|n| foreign(n)).count();
    if names.len() < 3 || dependency == 0 || names.iter().any(|n| own(n)) {
        return Ok(());
    }
    let shown: Vec<&str> = names.iter().copied().take(6).collect();
    findings.push(
        Finding::new(
            &rules::TRI_POC_OUTSIDE_PROJECT,
            format!("the reporter's program calls no function of the project, only {} others", names.len()),
            shown.join(", "),
        )
        .line(programs[0].start_line),
    );
    Ok(())
}

/// A program of the reporter's (it has a `main`) that defines its own function of the same name
/// as the project function the report is about (named in its title or prose) and runs that: it
/// tests the copy, not the project. (Helpers such as a `write_cb` that happen to share a name
/// with project code do not count.)
fn poc_own_copy(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    let about = |name: &str| {
        report.title.as_deref().is_some_and(|t| crate::policy::contains_identifier(t, name))
            || claims.iter().any(|c| c.kind == "function" && c.origin == "prose" && c.text.trim_end_matches("()") == name)
    };
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode && b.text.contains("main(")) {
        let lines: Vec<&str> = b.text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let next = lines.get(i + 1).map(|n| n.trim()).unwrap_or("");
            let Some(name) = defined_here(l, next) else { continue };
            if name == "main" || !about(name) {
                continue;
            }
            let Some(def) = index.definitions(name).iter().find(|d| matches!(d.kind, DefKind::Function)) else { continue };
            findings.push(
                Finding::new(
                    &rules::TRI_POC_OUTSIDE_PROJECT,
                    format!(
                        "the reporter's program defines its own {name}() (the project's is at {}:{}) and runs that copy, not the project",
                        def.path, def.line
                    ),
                    l.trim().to_string(),
                )
                .at(Some(Location { path: def.path.clone(), line: def.line, end_line: None }))
                .line(b.start_line + i),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// A program of the reporter's that computes a line of the project on values it sets itself: the
/// right-hand side of an assignment of project code the report quotes (and vouch found) is in
/// the program word for word, the program gives one of its operands a literal value
/// (`outbuf[0].cbBuffer = 0x80000000;`), and neither it nor any other program of the report calls
/// a function the project defines. It shows what the arithmetic does with those values, not that
/// the project ever holds them. A report showing a trace of a run is left alone.
fn poc_own_arithmetic(report: &Report, claims: &[ClaimResult], view: &View) -> Result<Option<Finding>, SourceError> {
    if crate::meaning::shows_trace(report) {
        return Ok(None);
    }
    let programs: Vec<_> = report.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode && b.text.contains("main(")).collect();
    if programs.is_empty() {
        return Ok(None);
    }
    // The computed right-hand sides of the project's quoted lines, with where each is.
    let mut computed: Vec<(String, Location, String)> = Vec::new();
    for c in claims.iter().filter(|c| c.kind == "snippet" && c.origin == "project-code" && c.status == Status::Confirmed && !c.member) {
        let Some(l) = c.location.as_ref() else { continue };
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        for n in l.line..=l.end_line.unwrap_or(l.line).min(l.line + 60) {
            let Some(code) = line_of(&text, n) else { break };
            if let Some(rhs) = arithmetic_rhs(code) {
                computed.push((rhs, Location { path: l.path.clone(), line: n, end_line: None }, code.trim().to_string()));
            }
        }
    }
    if computed.is_empty() {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    // Another program of the report that runs the project is the reproducer; the arithmetic
    // beside it only illustrates.
    let calls_project = |b: &&vouch_claims::Block| {
        b.text
            .lines()
            .flat_map(crate::code::called_names)
            .any(|name| name != "main" && index.definitions(name).iter().any(|d| matches!(d.kind, DefKind::Function)))
    };
    if programs.iter().any(calls_project) {
        return Ok(None);
    }
    for b in programs {
        for (i, line) in b.text.lines().enumerate() {
            let Some(rhs) = arithmetic_rhs(line) else { continue };
            let Some((_, at, project_line)) = computed.iter().find(|(r, _, _)| *r == rhs) else { continue };
            let operands = rhs_operands(&rhs);
            let Some(set) = b.text.lines().map(str::trim).find(|l| operands.iter().any(|o| assigns_literal(l, o))) else { continue };
            return Ok(Some(
                Finding::new(
                    &rules::TRI_POC_OUTSIDE_PROJECT,
                    format!(
                        "the reporter's program computes the project's `{project_line}` ({}:{}) on values it sets itself (`{set}`) and calls \
                         no function of the project: it shows the arithmetic, not that the project reaches those values",
                        at.path, at.line
                    ),
                    line.trim().to_string(),
                )
                .at(Some(at.clone()))
                .line(b.start_line + i),
            ));
        }
    }
    Ok(None)
}

/// The right-hand side, compacted, of an assignment or initialisation whose value is arithmetic
/// on at least two named operands (`len = a + b.c + d[2].e;` gives `a+b.c+d[2].e`).
fn arithmetic_rhs(line: &str) -> Option<String> {
    let code = crate::meaning::code_before_comment(line);
    let flat = crate::code::compact(code);
    let t = flat.trim_start_matches('}');
    if ["if(", "while(", "for(", "return", "#"].iter().any(|k| t.starts_with(k)) {
        return None;
    }
    let b = t.as_bytes();
    let eq = (0..b.len()).find(|&i| b[i] == b'=' && b.get(i + 1) != Some(&b'=') && (i == 0 || !b"=!<>+-*/%&|^".contains(&b[i - 1])))?;
    let rhs = t[eq + 1..].trim_end_matches(';');
    if !rhs.contains(['+', '*']) && !rhs.contains("<<") {
        return None;
    }
    (rhs_operands(rhs).len() >= 2).then(|| rhs.to_string())
}

/// The named operands of a compacted expression: `outbuf[0].cbBuffer`, `k->hbuflen`, `n`.
fn rhs_operands(rhs: &str) -> Vec<String> {
    // `->` joins a chain of members; a NUL stands in for it while the operators split the rest.
    rhs.replace("->", "\0")
        .split(['+', '-', '*', '/', '<', '>', '(', ')', '%', '&', '|', '^', '~', '!', '?', ':', ','])
        .filter(|o| o.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && !o.starts_with("sizeof"))
        .map(|o| o.replace('\0', "->"))
        .collect()
}

/// Whether a line of C gives `operand` a literal value: `operand = 0x80000000;`, or declares it
/// so (`unsigned int count = UINT_MAX;`).
fn assigns_literal(line: &str, operand: &str) -> bool {
    let code = crate::meaning::code_before_comment(line);
    code.match_indices(operand).any(|(i, _)| {
        let before_ok = code[..i].chars().next_back().is_none_or(|c| c.is_whitespace() || c == '*');
        let rest = code[i + operand.len()..].trim_start();
        before_ok
            && rest.starts_with('=')
            && !rest.starts_with("==")
            && literal_value(&crate::code::compact(rest[1..].split(';').next().unwrap_or("")))
    })
}

/// A literal the program writes: a number (`0x80000000`, `4294967295U`), possibly negative, or a
/// `*_MAX` limit (`UINT_MAX`).
fn literal_value(v: &str) -> bool {
    let v = v.trim_start_matches('-');
    let v = v.strip_prefix("(").and_then(|x| x.strip_suffix(")")).unwrap_or(v);
    !v.is_empty()
        && (crate::values::literal_prefix(v).is_some() && v.bytes().all(|c| c.is_ascii_hexdigit() || b"xXuUlL".contains(&c))
            || v.ends_with("_MAX") && v.bytes().all(|c| c.is_ascii_uppercase() || c == b'_'))
}

/// A report that says its own reproducer simulates the vulnerability rather than running it: in
/// its prose ("It simulates the vulnerable sequence", "a Python simulation demonstrating the
/// overflow") or in a comment of its own code or patch ("// Simulate the exact curl
/// vulnerability", "/* POC SIMULATION: ... */"). What such a reproducer shows is the reporter's
/// model of the code, with values they chose. A program or server simulating the other side
/// (a malicious server, a victim's session) is how genuine reports test, and does not count; nor
/// does a report that shows a trace of a run.
fn simulated_reproducer(report: &Report, project: Option<&str>) -> Option<Finding> {
    if crate::meaning::shows_trace(report) {
        return None;
    }
    let mut texts: Vec<(usize, String)> = crate::meaning::prose_sentences(report);
    for b in report.blocks.iter().filter(|b| matches!(b.kind, BlockKind::ReporterCode | BlockKind::Patch)) {
        for (i, l) in b.text.lines().enumerate() {
            let comment = ["//", "/*", "# "].iter().filter_map(|m| l.find(m).map(|at| &l[at + m.len()..])).next();
            if let Some(c) = comment {
                texts.push((b.start_line + i, c.trim().trim_end_matches("*/").trim().to_string()));
            }
        }
    }
    texts.into_iter().find_map(|(line, text)| {
        simulation_claim(&text, project).map(|phrase| {
            Finding::new(
                &rules::TRI_POC_OUTSIDE_PROJECT,
                format!(
                    "the report says its reproducer simulates the problem (\"{phrase}\"): it runs the reporter's model of the code, \
                     not the project's"
                ),
                text.chars().take(200).collect::<String>(),
            )
            .line(line)
        })
    })
}

/// A reproducer whose proof is a comparison of two variables it computes the same way from the
/// same constants (`initial = fingerprint(headers={"Authorization": "present"}, conn_id="conn_1")`
/// before the project's call, the same after it, then `if initial == post:`): the comparison holds
/// whatever the project does, so what it prints proves nothing about the project.
fn constant_proof(report: &Report) -> Option<Finding> {
    let code = || report.blocks.iter().filter(|b| b.kind == BlockKind::ReporterCode);
    let modules: Vec<&str> = code().flat_map(|b| imported(&b.text)).collect();
    for b in code() {
        let assigned = assignments(&b.text);
        for (i, line) in b.text.lines().enumerate() {
            let Some((x, y)) = compared(line) else { continue };
            // The value a variable is given once, before the comparison, and never changed
            // (`x += ...`, `x++`, `&x` handed out) anywhere else in the program.
            let changes = |name: &str| b.text.lines().filter(|l| crate::meaning::assigns(&crate::code::compact(l), name)).count();
            let value = |name: &str| {
                let mut it = assigned.iter().filter(|(n, _, _)| n == name);
                match (it.next(), it.next()) {
                    (Some((_, rhs, at)), None) if *at < i && changes(name) == 1 => Some(rhs.clone()),
                    _ => None,
                }
            };
            let (Some(a), Some(c)) = (value(x), value(y)) else { continue };
            if a == c && constant_expression(&a, &modules) {
                return Some(
                    Finding::new(
                        &rules::TRI_POC_OUTSIDE_PROJECT,
                        format!(
                            "the reproducer's proof compares {x} and {y} (report line {}), which it computes the same way from the same constants: the comparison holds whatever the project does",
                            b.start_line + i
                        ),
                        format!("{x} = {a}; {y} = {a}; {}", line.trim()),
                    )
                    .line(b.start_line + i),
                );
            }
        }
    }
    None
}

/// Assignments of the reporter's code: (the variable, its value with all whitespace removed, the
/// line it starts on). A value continues over the lines its brackets stay open (a call written
/// one argument per line). Declarations (`char *h = f(...);`) count; compound assignments do not.
fn assignments(code: &str) -> Vec<(String, String, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let start = i;
        i += 1;
        let b = line.as_bytes();
        let Some(eq) =
            (0..b.len()).find(|&k| b[k] == b'=' && b.get(k + 1) != Some(&b'=') && (k == 0 || !b"=!<>+-*/%&|^:".contains(&b[k - 1])))
        else {
            continue;
        };
        let lhs = line[..eq].trim();
        let Some(name) = lhs.rsplit(|c: char| c.is_whitespace() || c == '*').next() else { continue };
        let simple = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        // `f(a=1)`, `x[i] = ...`, `obj.attr = ...`: not a variable of the proof.
        if !simple || lhs.contains(['(', '[', '.', '"', '\'']) {
            continue;
        }
        let mut rhs = line[eq + 1..].to_string();
        let depth = |t: &str| {
            t.chars().fold(0i32, |d, c| match c {
                '(' | '[' | '{' => d + 1,
                ')' | ']' | '}' => d - 1,
                _ => d,
            })
        };
        while depth(&rhs) > 0 && i < lines.len() && i - start < 20 {
            rhs.push_str(lines[i]);
            i += 1;
        }
        let value: String = rhs.trim().trim_end_matches(';').chars().filter(|c| !c.is_whitespace()).collect();
        out.push((name.to_string(), value, start));
    }
    out
}

/// The names a Python program's imports bind: `import hashlib, os`, `import numpy as np`,
/// `from io import BytesIO`.
fn imported(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for l in code.lines().map(str::trim) {
        let names = if let Some(r) = l.strip_prefix("import ") {
            r
        } else if let Some((_, r)) = l.strip_prefix("from ").and_then(|r| r.split_once(" import ")) {
            r
        } else {
            continue;
        };
        for n in names.split(',') {
            let n = n.trim().trim_matches(['(', ')']);
            if let Some(bound) = n.rsplit(" as ").next().map(str::trim).filter(|b| !b.is_empty()) {
                out.push(bound);
            }
        }
    }
    out
}

/// The two variables a line compares for equality as its proof: `if a == b:`, `assert a == b`,
/// `if(a == b)`, `if(!strcmp(a, b))`, `strcmp(a, b) == 0`.
fn compared(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !s.starts_with(|c: char| c.is_ascii_digit());
    let cond = ["if", "assert", "elif", "while"].iter().find_map(|k| t.strip_prefix(k).filter(|r| r.starts_with([' ', '('])))?;
    let cond = cond.trim().trim_end_matches(['{', ':', ';']).trim();
    let cond = cond.strip_prefix('(').and_then(|c| c.strip_suffix(')')).unwrap_or(cond).trim();
    if let Some((a, c)) = cond.split_once("==") {
        let (a, c) = (a.trim(), c.trim());
        if is_name(a) && is_name(c) && a != c {
            return Some((a, c));
        }
    }
    for f in ["strcmp(", "memcmp(", "strncmp("] {
        if let Some(at) = cond.find(f) {
            let args = &cond[at + f.len()..];
            let mut parts = args.split([',', ')']).map(str::trim);
            let (Some(a), Some(c)) = (parts.next(), parts.next()) else { continue };
            if is_name(a) && is_name(c) && a != c {
                return Some((a, c));
            }
        }
    }
    None
}

/// A value built from constants only: a call (or nested calls) whose arguments are string and
/// number literals, keyword names and literal containers, with at least one literal. A value that
/// reads any variable (`conn`, or `buffer.getvalue()`: a method of anything but a module the code
/// imports) could differ between two computations.
fn constant_expression(value: &str, modules: &[&str]) -> bool {
    let mut literal = false;
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let end = b[i + 1..].iter().position(|&d| d == c).map(|p| i + 1 + p);
            let Some(end) = end else { return false };
            literal = true;
            i = end + 1;
            continue;
        }
        if c.is_ascii_digit() {
            literal = true;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let word = &value[start..i];
            let next = b.get(i).copied();
            // A string literal's prefix (`b"x"`, `r'\d'`); an f-string reads variables.
            if matches!(word, "b" | "r" | "u" | "br" | "rb" | "L") && matches!(next, Some(b'"' | b'\'')) {
                continue;
            }
            // A function called, a keyword argument named, or a literal of the language.
            let keyword = next == Some(b'=') && b.get(i + 1) != Some(&b'=');
            let receiver = word.split('.').next().unwrap_or(word);
            let method_of_variable = word.contains('.') && !modules.contains(&receiver);
            // A function called with nothing (`headers()`) may return any state; a method of the
            // value before it (`.hexdigest()`) only transforms that value.
            let of_value = start > 0 && b[start - 1] == b'.';
            if next == Some(b'(') && b.get(i + 1) == Some(&b')') && !of_value && !modules.contains(&receiver) {
                return false;
            }
            if next == Some(b'(') && !method_of_variable
                || keyword
                || matches!(word, "True" | "False" | "None" | "true" | "false" | "NULL" | "nullptr")
            {
                continue;
            }
            return false;
        }
        i += 1;
    }
    literal
}

/// The words of `text` saying that the reporter's code simulates the vulnerability itself:
/// `simulate` or `mimic`, followed within five words by what is simulated (the
/// vulnerability, the overflow, the bug, "the exact", "curl's functions"); or "simulation PoC".
fn simulation_claim(text: &str, project: Option<&str>) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '_')).filter(|w| !w.is_empty()).collect();
    // The other side of a test, which genuine reports simulate too.
    const SIDES: &[&str] = &[
        "server",
        "servers",
        "client",
        "service",
        "services",
        "endpoint",
        "environment",
        "network",
        "peer",
        "proxy",
        "gateway",
        "site",
        "host",
        "victim",
        "attacker",
        "user",
        "attack",
        "login",
        "latency",
        "installation",
        "compiler",
        "admin",
    ];
    if words.iter().any(|w| SIDES.contains(w)) {
        return None;
    }
    let own = project.map(|p| format!("{}'s", p.to_ascii_lowercase()));
    for (i, w) in words.iter().enumerate() {
        // Not "replicate", which reporters use for "reproduce" ("to replicate the overflow, run ...").
        let verb = ["simulat", "mimic"].iter().any(|v| w.starts_with(v));
        if !verb || i > 0 && (["not", "no", "without", "never", "cannot"].contains(&words[i - 1]) || words[i - 1].ends_with("n't")) {
            continue;
        }
        if *w == "simulation" {
            if i > 0 && ["poc", "python"].contains(&words[i - 1]) {
                return Some(words[i - 1..=i].join(" "));
            }
            if words.get(i + 1).is_some_and(|n| ["poc", "proof"].contains(n)) {
                return Some(words[i..=i + 1].join(" "));
            }
        }
        for (k, o) in words.iter().enumerate().skip(i + 1).take(5) {
            let object = o.starts_with("vulnerab")
                || ["overflow", "underflow", "bug", "flaw"].contains(o)
                || *o == "exact" && words[k - 1] == "the"
                || *o == "bypass" && words[k - 1] == "logic"
                || own.as_deref() == Some(*o) && words.get(k + 1).is_some_and(|n| ["function", "functions", "code", "logic"].contains(n));
            if object {
                return Some(words[i..=k].join(" "));
            }
        }
    }
    None
}

/// The function a C definition line introduces: `static char *name(args) {`, or `type name(args)`
/// followed by a line holding `{`.
fn defined_here<'a>(line: &'a str, next: &str) -> Option<&'a str> {
    let t = line.trim();
    if !(t.ends_with('{') || t.ends_with(')') && next == "{") || t.starts_with('#') || t.contains('=') {
        return None;
    }
    let open = t.find('(')?;
    let head = t[..open].trim_end();
    let name_start =
        head.char_indices().rev().find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_')).map_or(0, |(p, c)| p + c.len_utf8());
    let name = &head[name_start..];
    let before = head[..name_start].trim();
    let keyword = ["if", "while", "for", "switch", "return", "else", "do", "sizeof"];
    if name.is_empty()
        || before.is_empty()
        || keyword.contains(&name)
        || keyword.iter().any(|k| before.split_whitespace().next() == Some(k))
    {
        return None;
    }
    let start = line.find(name)?;
    Some(&line[start..start + name.len()])
}

/// A "format string" report whose proof of concept passes its own non-literal format string to
/// a printf-like function of the project: the format is the caller's choice (API misuse).
fn caller_format(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let overflow = report.class == Some(VulnClass::BufferOverflow);
    if report.class != Some(VulnClass::FormatString) && !overflow {
        return Ok(());
    }
    for c in claims.iter().filter(|c| c.kind == "api" && c.origin == "reporter-code" && c.status == Status::Confirmed) {
        let Some(l) = c.location.as_ref() else { continue };
        let name = c.text.trim_end_matches("()");
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let Some((fmt_at, no_size)) = format_parameter(&text, l.line, name) else { continue };
        if overflow {
            // An overflow "in" a printf-like function that takes no size: like sprintf, the
            // caller sizes the buffer, and the proof of concept's own buffer is too small.
            if no_size {
                let message = format!(
                    "{name} takes no buffer size ({}:{}), like sprintf: the proof of concept overflows a buffer it sized itself",
                    l.path, l.line
                );
                findings.push(poc_call(&rules::TRI_CALLER_FORMAT, message, line_of(&text, l.line).unwrap_or(""), l, c.report_line));
                return Ok(());
            }
            continue;
        }
        let Some(block) = reporter_block(report, c.report_line) else { continue };
        for code in block.text.lines() {
            let Some(args) = call_args(code, name) else { continue };
            let Some(fmt) = args.get(fmt_at) else { continue };
            if fmt.is_empty() || fmt.starts_with('"') || fmt.starts_with("L\"") {
                continue;
            }
            let message = format!(
                "the proof of concept passes its own `{fmt}` as the format string of {name} (parameter {} at {}:{}): \
                 the format is the caller's choice",
                fmt_at + 1,
                l.path,
                l.line
            );
            findings.push(poc_call(&rules::TRI_CALLER_FORMAT, message, code, l, c.report_line));
            return Ok(());
        }
    }
    Ok(())
}

/// The reproducer hands a buffer without a terminating NUL to a project function that takes a C
/// string and no length: a `char` array its initialiser fills to the last byte, or a fuzzing
/// harness's raw input cast to `char *`.
fn unterminated_string(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    // Only a read or write past the buffer's end follows from the missing terminator; a loop that
    // never ends on some character (cJSON_Minify on a lone `/`) is another matter.
    if !matches!(report.class, Some(VulnClass::BufferOverflow | VulnClass::OutOfBoundsRead) | None) || says_hang(report) {
        return Ok(());
    }
    for c in claims.iter().filter(|c| c.kind == "api" && c.origin == "reporter-code" && c.status == Status::Confirmed) {
        let Some(l) = c.location.as_ref() else { continue };
        let name = c.text.trim_end_matches("()");
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let Some(strings) = string_parameters(&text, l.line, name) else { continue };
        if overloaded(view, name)? {
            continue;
        }
        let Some(block) = reporter_block(report, c.report_line) else { continue };
        let fuzz_input = fuzz_input_name(&block.text);
        for code in block.text.lines() {
            let Some(args) = call_args(code, name) else { continue };
            for &i in &strings {
                let Some(arg) = args.get(i) else { continue };
                let bare = strip_casts_and_address(arg);
                let why = if fuzz_input.as_deref() == Some(bare) {
                    Some(format!("the fuzzing harness's raw input `{bare}`, which carries no terminating NUL"))
                } else {
                    unterminated_array(&block.text, bare)
                        .map(|decl| format!("`{bare}`, a char array its initialiser fills with no NUL (`{decl}`)"))
                };
                let Some(why) = why else { continue };
                let message = format!(
                    "the proof of concept passes {why} to {name}, which takes a C string (parameter {}) and no length ({}:{})",
                    i + 1,
                    l.path,
                    l.line
                );
                findings.push(poc_call(&rules::TRI_POC_UNTERMINATED, message, code, l, c.report_line));
                return Ok(());
            }
        }
    }
    Ok(())
}

/// How a report says the input it passes lacks its terminator.
const UNTERMINATED: &[&str] = &[
    "not null terminated",
    "not null-terminated",
    "non-null terminated",
    "non-null-terminated",
    "not nul terminated",
    "not nul-terminated",
    "non-nul-terminated",
    "not zero terminated",
    "not zero-terminated",
    "not 0-terminated",
    "without a null terminator",
    "without a terminating null",
    "without a terminating nul",
    "without null termination",
    "lacks a null terminator",
    "last byte is not '\\0'",
    "last byte is not \\0",
];

/// Words of a sentence that put the missing terminator on the project's own code (a copy that
/// leaves its result unterminated), not on the caller's input.
const OWN_TERMINATOR: &[&str] = &[
    "strncpy",
    "does not terminate",
    "doesn't terminate",
    "fails to",
    "forgets",
    "leaves",
    "left ",
    "copied",
    "copies",
    "returns a",
    "produces",
];

/// The report's prose says the crash needs a string without its terminator, handed to a project
/// function it names that takes a C string and no length: the terminator is the caller's to
/// provide (`ini_parse_string() will crash if string is not NULL terminated`).
fn unterminated_input_said(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    if !matches!(report.class, Some(VulnClass::BufferOverflow | VulnClass::OutOfBoundsRead | VulnClass::DenialOfService) | None) {
        return Ok(());
    }
    let title = report.title.clone().unwrap_or_default();
    let sentences = crate::meaning::prose_sentences(report);
    for (line, sentence) in sentences.iter().map(|(l, s)| (*l, s.as_str())).chain(std::iter::once((0, title.as_str()))) {
        let lower = sentence.to_ascii_lowercase();
        if !UNTERMINATED.iter().any(|w| lower.contains(w)) || OWN_TERMINATOR.iter().any(|w| lower.contains(w)) {
            continue;
        }
        for c in claims.iter().filter(|c| matches!(c.kind, "api" | "function") && c.status == Status::Confirmed && !c.negated) {
            let name = c.text.trim_end_matches("()");
            let named = crate::policy::contains_identifier(sentence, name) || crate::policy::contains_identifier(&title, name);
            let Some(l) = c.location.as_ref().filter(|_| named) else { continue };
            let Some(text) = view.snapshot.read(&l.path)? else { continue };
            let Some(strings) = string_parameters(&text, l.line, name) else { continue };
            if overloaded(view, name)? {
                continue;
            }
            let message = format!(
                "the report says the input lacks its terminating NUL, but {name} takes a C string (parameter {}) and no length ({}:{}): the terminator is the caller's to provide",
                strings[0] + 1,
                l.path,
                l.line
            );
            let evidence = line_of(&text, l.line).unwrap_or("").trim().to_string();
            let mut f = Finding::new(&rules::TRI_POC_UNTERMINATED, message, evidence).at(Some(l.clone()));
            if line > 0 {
                f = f.line(line);
            }
            findings.push(f);
            return Ok(());
        }
    }
    Ok(())
}

/// What the project's documentation of a function says when it takes over what it is given (the
/// caller may no longer free it) ...
const TAKES_OVER: &[&str] = &[
    "takes the responsibility for",
    "takes ownership",
    "transferring ownership",
    "transfers ownership",
    "ownership transfers",
    "ownership of val transfers",
    "destroys its content",
    "is destroyed even if",
    "steals the reference",
    "steals a reference",
];
/// ... and when what it returns is still owned by something else (the caller must not free it).
const LENDS: &[&str] = &[
    "no reference counts will be changed",
    "ownership of the returned value is retained",
    "reference count is not incremented",
    "does not increment the reference",
    "borrowed reference",
    "must not be freed",
    "should not be freed",
    "do not free the returned",
];

/// Words that name a function releasing what it is given (`yaml_event_delete`,
/// `json_object_put`, `cJSON_Delete`, `json_decref`).
fn releases(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["delete", "free", "destroy", "_put", "decref", "unref", "release", "dispose"].iter().any(|w| lower.ends_with(w))
}

/// Words that name a function taking a reference of its own (`json_object_get`, `json_incref`).
fn takes_reference(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["_get", "incref", "_ref", "retain", "_copy", "_dup"].iter().any(|w| lower.ends_with(w))
}

/// The comment right above the project's declaration of `name` (in a header first), lowercase and
/// on one line, with where the declaration is.
fn documentation(view: &View, name: &str) -> Result<Option<(String, Location)>, SourceError> {
    let index = view.snapshot.index()?;
    let mut defs: Vec<&vouch_source::Def> =
        index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::Function | DefKind::FunctionDecl)).collect();
    defs.sort_by_key(|d| !d.path.ends_with(".h"));
    for d in defs {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let mut lines: Vec<&str> = Vec::new();
        let mut n = d.line;
        // A return type or export macro on the lines before the name (`YAML_DECLARE(int)`).
        while n > 1 && lines.len() < 60 {
            n -= 1;
            let Some(l) = line_of(&text, n) else { break };
            let t = l.trim();
            // A comment may quote code (`json_object_put(obj);`): only code outside one ends the
            // search (the previous declaration, a preprocessor line).
            let comment = t.starts_with("/*") || t.starts_with('*') || t.starts_with("//") || t.ends_with("*/");
            if comment {
                lines.push(t);
            } else if t.ends_with(';') || t.ends_with('}') || t.starts_with('#') || !lines.is_empty() && !t.is_empty() {
                break;
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.reverse();
        let doc = lines
            .iter()
            .map(|l| {
                l.trim_start_matches("/**")
                    .trim_start_matches("/*")
                    .trim_start_matches("//")
                    .trim_start_matches('*')
                    .trim_end_matches("*/")
                    .trim()
            })
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase()
            .replace(['`', '*'], "");
        return Ok(Some((doc, Location { path: d.path.clone(), line: d.line, end_line: None })));
    }
    Ok(None)
}

/// The bare variable an argument names (`&event` → `event`, `(yaml_event_t *)ev` → `ev`).
fn variable(arg: &str) -> Option<&str> {
    let a = strip_casts_and_address(arg.trim()).trim();
    (!a.is_empty() && a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') && !a.bytes().next().is_some_and(|c| c.is_ascii_digit()))
        .then_some(a)
}

/// The functions `line` calls with the variable `x` as one of their arguments.
fn callees_given<'l>(line: &'l str, x: &str) -> Vec<&'l str> {
    crate::code::called_names(line)
        .into_iter()
        .filter(|n| call_args(line, n).is_some_and(|a| a.iter().any(|a| variable(a) == Some(x))))
        .collect()
}

/// A reproducer that releases what it does not own: it frees an object after handing it to a
/// project function whose documentation says the function takes it over (`yaml_emitter_emit`:
/// "the emitter takes the responsibility for the event object"), or one it got from a function
/// whose documentation says the result stays owned elsewhere (`json_object_object_get`: "no
/// reference counts will be changed"), or it hands such a borrowed object over. The double free,
/// or the failed reference-count assertion, is the reproducer's.
fn released_unowned(report: &Report, view: &View) -> Result<Option<Finding>, SourceError> {
    if matches!(report.class, Some(VulnClass::MemoryLeak)) {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    let project_function = |n: &str| declares_function(index, n);
    let mut docs: std::collections::HashMap<String, Option<(String, Location)>> = std::collections::HashMap::new();
    let mut doc_of = |f: &str| -> Result<Option<(String, Location)>, SourceError> {
        if let Some(d) = docs.get(f) {
            return Ok(d.clone());
        }
        let d = documentation(view, f)?;
        docs.insert(f.to_string(), d.clone());
        Ok(d)
    };
    for (b, lines) in program_blocks(report, view)? {
        for (k, line) in lines.iter().enumerate() {
            // What this line does with a variable: releases it, or hands it over to a function
            // documented to take it over.
            let mut acts: Vec<(String, String, bool)> = Vec::new();
            for name in crate::code::called_names(line).into_iter().filter(|n| project_function(n)) {
                let Some(args) = call_args(line, name) else { continue };
                if releases(name) {
                    if let Some(x) = args.first().and_then(|a| variable(a)) {
                        acts.push((name.to_string(), x.to_string(), true));
                    }
                } else if args.len() > 1 {
                    if let Some((doc, _)) = doc_of(name)? {
                        if TAKES_OVER.iter().any(|p| doc.contains(p)) {
                            for a in args.iter().skip(1).filter_map(|a| variable(a)) {
                                acts.push((name.to_string(), a.to_string(), false));
                            }
                        }
                    }
                }
            }
            for (act, x, release) in acts {
                let x = x.as_str();
                for j in (0..k).rev() {
                    let earlier = lines[j];
                    if starts_definition(&lines, j) {
                        break;
                    }
                    let calls = crate::code::called_names(earlier);
                    let first_is_x = |n: &&str| call_args(earlier, n).is_some_and(|a| a.first().and_then(|a| variable(a)) == Some(x));
                    // Taking a reference of one's own, or releasing it already, settles ownership.
                    if calls.iter().any(|n| (takes_reference(n) || releases(n)) && first_is_x(n)) {
                        break;
                    }
                    let mut found = None;
                    for f in calls.iter().filter(|n| project_function(n) && !releases(n)) {
                        let Some(fargs) = call_args(earlier, f) else { continue };
                        // Handed over: a later argument (the first is the container or the object acted on).
                        let handed = release && fargs.iter().skip(1).any(|a| variable(a) == Some(x));
                        // On loan: assigned from the call, or filled in through `&x`.
                        let flat = crate::code::compact(earlier);
                        let assigned = flat.contains(&format!("{x}={f}(")) || flat.contains(&format!("*{x}={f}("));
                        let filled = fargs.iter().any(|a| crate::code::compact(a) == format!("&{x}"));
                        if !(handed || assigned || filled) {
                            continue;
                        }
                        let Some((doc, at)) = doc_of(f)? else { continue };
                        let phrase = if handed { TAKES_OVER.iter().find(|p| doc.contains(*p)) } else { None }.or_else(|| {
                            if assigned || filled {
                                LENDS.iter().find(|p| doc.contains(*p))
                            } else {
                                None
                            }
                        });
                        if let Some(phrase) = phrase {
                            found = Some((f.to_string(), *phrase, at, handed));
                            break;
                        }
                    }
                    let Some((f, phrase, at, handed)) = found else { continue };
                    let what = if release {
                        format!("releases `{x}` with {act}()")
                    } else {
                        format!("hands `{x}` over to {act}(), which takes it over,")
                    };
                    let how = if handed { format!("after handing it to {f}()") } else { format!("though it got it from {f}()") };
                    let documented = if handed { "takes over what it is given" } else { "keeps ownership of what it returns" };
                    let message = format!(
                        "the proof of concept {what} {how}, and the project documents that {f}() {documented} (\"{phrase}\"): the double release is the reproducer's"
                    );
                    let evidence = format!("{} | {}", earlier.trim(), line.trim());
                    return Ok(Some(Finding::new(&rules::TRI_POC_RELEASES_UNOWNED, message, evidence).at(Some(at)).line(b.start_line + k)));
                }
            }
        }
    }
    Ok(None)
}

/// Words that name a project function handing the caller a new object to release
/// (`cJSON_CreateObject`, `cJSON_Parse`, `json_object_new_int`, `yaml_strdup`).
fn creates(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["create", "_new", "parse", "alloc", "strdup", "_dup", "_copy", "_load"].iter().any(|w| lower.contains(w)) && !releases(name)
}

/// The reporter's code blocks that are a program of theirs, each as its lines. Code quoted
/// without naming a file of the project, calling only functions its headers declare
/// (`json_object_new_object()`, `json_object_put(b)`), is an application's, whatever the report
/// calls it.
fn program_blocks<'r>(report: &'r Report, view: &View) -> Result<Vec<(&'r vouch_claims::Block, Vec<&'r str>)>, SourceError> {
    let index = view.snapshot.index()?;
    let project_function = |n: &str| declares_function(index, n);
    let in_header = |n: &str| index.definitions(n).iter().any(|d| d.path.ends_with(".h"));
    let application = |b: &vouch_claims::Block| {
        let names: Vec<&str> = b.text.lines().flat_map(crate::code::called_names).filter(|n| project_function(n)).collect();
        b.cited.is_none() && names.len() >= 3 && names.iter().all(|n| in_header(n))
    };
    Ok(report
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::ReporterCode || b.kind == BlockKind::ProjectCode && application(b))
        .map(|b| (b, b.text.lines().collect()))
        .collect())
}

/// Whether the project defines or declares a function `name`.
fn declares_function(index: &vouch_source::CodeIndex, name: &str) -> bool {
    index.definitions(name).iter().any(|d| matches!(d.kind, DefKind::Function | DefKind::FunctionDecl))
}

/// Whether line `j` starts a function's definition: where one function's code ends and another's
/// begins, in a listing of several.
fn starts_definition(lines: &[&str], j: usize) -> bool {
    defined_here(lines[j], lines.get(j + 1).map(|l| l.trim()).unwrap_or("")).is_some()
}

/// Whether `line` gives `x` a new value (`x = ...;`, not `x == ...`).
fn assigns(line: &str, x: &str) -> bool {
    let flat = crate::code::compact(line);
    flat.match_indices(&format!("{x}=")).any(|(i, _)| {
        let ok_before = i == 0 || !flat.as_bytes()[i - 1].is_ascii_alphanumeric() && !b"_.>".contains(&flat.as_bytes()[i - 1]);
        ok_before && !flat[i + x.len() + 1..].starts_with('=')
    })
}

/// A reproducer whose own code mismanages an object's lifetime: it passes the object to the
/// project after releasing it itself (`cJSON_Delete(monitor)` then `cJSON_Print(monitor)`), or,
/// for a leak, gives the variable holding a new object another value before releasing it
/// (`obj = cJSON_CreateObject()` then `obj = cJSON_Parse(text)`). What the report shows follows
/// from that code, not from the project's.
fn own_lifetime_error(report: &Report, view: &View) -> Result<Option<Finding>, SourceError> {
    let index = view.snapshot.index()?;
    let project_function = |n: &str| declares_function(index, n);
    let leak = matches!(report.class, Some(VulnClass::MemoryLeak));
    for (b, lines) in program_blocks(report, view)? {
        for (k, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
                continue;
            }
            let calls: Vec<&str> = crate::code::called_names(line).into_iter().filter(|n| project_function(n)).collect();
            let found = if leak {
                // `x = create(...)`, later `x = ...` with no release or hand-over of x between.
                calls.iter().filter(|f| creates(f)).find_map(|f| {
                    let flat = crate::code::compact(line);
                    let x = flat.split_once(&format!("={f}("))?.0.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next()?.to_string();
                    if x.is_empty() || !assigns(line, &x) {
                        return None;
                    }
                    for (j, later) in lines.iter().enumerate().skip(k + 1) {
                        if starts_definition(&lines, j) {
                            return None;
                        }
                        let used = !callees_given(later, &x).is_empty();
                        if used || later.contains(&format!("return {x}")) {
                            return None;
                        }
                        if assigns(later, &x) {
                            return Some((
                                format!(
                                    "the proof of concept gives `{x}` a new value at its line {} before releasing the object {f}() made at its line {}: the memory lost is the reproducer's",
                                    j + 1,
                                    k + 1
                                ),
                                format!("{} | {}", line.trim(), later.trim()),
                                b.start_line + j,
                            ));
                        }
                    }
                    None
                })
            } else {
                // `release(x)`, later `f(..., x, ...)` with no new value of x between.
                calls.iter().filter(|f| releases(f)).find_map(|r| {
                    let args = call_args(line, r)?;
                    // `curlx_dyn_free(&s)`: the structure lives on (its contents were released, and
                    // such functions leave it empty for reuse).
                    if args.first().is_some_and(|a| a.trim_start().starts_with('&')) {
                        return None;
                    }
                    let x = args.first().and_then(|a| variable(a))?.to_string();
                    // A reference taken before makes the release one of several.
                    let body = (0..k).rev().find(|&j| starts_definition(&lines, j)).unwrap_or(0);
                    if lines[body..k].iter().any(|l| {
                        crate::code::called_names(l).into_iter().any(|n| takes_reference(n) && call_args(l, n).is_some_and(|a| a.first().and_then(|a| variable(a)) == Some(x.as_str())))
                    }) {
                        return None;
                    }
                    for (j, later) in lines.iter().enumerate().skip(k + 1) {
                        if assigns(later, &x) || starts_definition(&lines, j) {
                            return None;
                        }
                        let user = callees_given(later, &x).into_iter().find(|n| project_function(n));
                        if let Some(user) = user {
                            return Some((
                                format!(
                                    "the proof of concept passes `{x}` to {user}() at its line {} after releasing it itself with {r}() at its line {}: the use after free is the reproducer's",
                                    j + 1,
                                    k + 1
                                ),
                                format!("{} | {}", line.trim(), later.trim()),
                                b.start_line + j,
                            ));
                        }
                    }
                    None
                })
            };
            if let Some((message, evidence, at)) = found {
                return Ok(Some(Finding::new(&rules::TRI_POC_OWN_LIFETIME, message, evidence).line(at)));
            }
        }
    }
    Ok(None)
}

/// Words in the name of a function that sets an object up (or makes, resets or opens it): the
/// first project call a reproducer hands its object to may be one whatever the project's
/// initialiser is called.
fn sets_up(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        "init",
        "setup",
        "set_up",
        "create",
        "new",
        "open",
        "reset",
        "clear",
        "zero",
        "default",
        "prepare",
        "begin",
        "start",
        "alloc",
        "load",
        "construct",
        "make",
        "read",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// The project's initialiser for objects of the C type `ty` (`yaml_document_initialize` for
/// `yaml_document_t`, `wc_AesInit` for `Aes`): a function named after the type and `init`
/// (`initialize`, `Init`, behind one prefix or none) whose definition or declaration takes a
/// pointer to the type. With where it is declared (a header first).
fn initialiser(view: &View, ty: &str) -> Result<Option<(String, Location)>, SourceError> {
    let index = view.snapshot.index()?;
    let mut stems = vec![ty.to_string()];
    for suffix in ["_t", "_s", "_st", "_type"] {
        if let Some(stem) = ty.strip_suffix(suffix).filter(|s| s.len() >= 2) {
            stems.push(stem.to_string());
        }
    }
    let mut names: Vec<String> = Vec::new();
    for stem in &stems {
        for form in ["{}_init", "{}_initialize", "{}_initialise", "{}Init", "{}_Init", "init_{}", "{}_init_ex"] {
            let name = form.replace("{}", stem);
            names.push(name.clone());
            names.extend(index.with_prefix_dropped(&name).iter().map(|n| n.to_string()));
        }
    }
    for name in names {
        let mut defs: Vec<&vouch_source::Def> =
            index.definitions(&name).iter().filter(|d| matches!(d.kind, DefKind::Function | DefKind::FunctionDecl)).collect();
        defs.sort_by_key(|d| !d.path.ends_with(".h"));
        for d in defs {
            let Some(text) = view.snapshot.read(&d.path)? else { continue };
            let Some(params) = definition_params(&text, d.line, &name) else { continue };
            let takes = params.iter().any(|p| {
                let words = identifiers(p);
                words.contains(&ty) && p.contains('*')
            });
            if takes {
                return Ok(Some((name, Location { path: d.path.clone(), line: d.line, end_line: None })));
            }
        }
    }
    Ok(None)
}

/// An object of a project type the reproducer declares itself, left uninitialised: `T x;` inside
/// a function (no initialiser, not static), or `T *x = malloc(...)`. With the type, the variable
/// and whether it is a pointer.
fn uninitialised_object<'l>(line: &'l str, project_type: &dyn Fn(&str) -> bool) -> Option<(&'l str, &'l str, bool)> {
    let t = line.trim();
    let t = t.strip_prefix("struct ").map(str::trim_start).unwrap_or(t);
    if t.starts_with("static ") || t.starts_with("extern ") || t.starts_with("return") || t.starts_with("typedef") {
        return None;
    }
    let words = identifiers(t);
    let (&ty, rest) = words.split_first()?;
    let &x = rest.first()?;
    if !project_type(ty) || ty == x {
        return None;
    }
    let after_type = t.strip_prefix(ty)?.trim_start();
    if let Some(ptr) = after_type.strip_prefix('*') {
        // `T *x = malloc(sizeof(T));`, `T *x = (T *)malloc(sizeof *x);`
        let decl = ptr.trim_start();
        let rhs = decl.strip_prefix(x)?.trim_start().strip_prefix('=')?;
        let flat = crate::code::compact(rhs);
        let flat = flat.strip_prefix(&format!("({ty}*)")).unwrap_or(&flat);
        return (flat.starts_with("malloc(") && flat.ends_with(");")).then_some((ty, x, true));
    }
    // `T x;` exactly: no initialiser, no array, no second declarator.
    let decl = after_type.strip_prefix(x)?.trim();
    (decl == ";").then_some((ty, x, false))
}

/// Whether an argument is the object `x` itself: `&x` for one declared by value, `x` for one
/// behind a pointer (casts allowed).
fn is_object(arg: &str, x: &str, pointer: bool) -> bool {
    let flat = crate::code::compact(arg);
    let a = strip_casts_and_address(&flat);
    if pointer {
        a == x
    } else {
        a.strip_prefix('&') == Some(x)
    }
}

/// A reproducer that hands the project an object it never set up: it declares an object of a
/// project type (`yaml_document_t document;`, or `Aes *aes = malloc(sizeof(Aes))`) and passes it
/// to a project function before any initialiser has run on it, though the project has one for
/// that type (`yaml_document_initialize`, `wc_AesInit`). What follows reads memory the reproducer
/// left undefined.
fn skipped_initialiser(report: &Report, view: &View) -> Result<Option<Finding>, SourceError> {
    let index = view.snapshot.index()?;
    let project_function = |n: &str| declares_function(index, n);
    let project_type = |n: &str| {
        let defs = index.definitions(n);
        !defs.is_empty()
            && defs.iter().any(|d| d.kind == DefKind::Type)
            && defs.iter().all(|d| d.path.ends_with(".h") || d.path.ends_with(".c"))
    };
    for (b, lines) in program_blocks(report, view)? {
        // A type the reproducer defines itself is its own.
        let own_types: Vec<&str> = lines
            .iter()
            .filter(|l| l.trim_start().starts_with("typedef") || l.trim_start().starts_with("struct ") && l.contains('{'))
            .flat_map(|l| identifiers(l))
            .collect();
        let mut depth: i32 = 0;
        for (k, line) in lines.iter().enumerate() {
            let inside = depth > 0;
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            let t = line.trim_start();
            if !inside || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
                continue;
            }
            let is_type = |n: &str| project_type(n) && !own_types.contains(&n);
            let Some((ty, x, pointer)) = uninitialised_object(line, &is_type) else { continue };
            // The first statement after it that does anything with the object as a whole.
            let mut level = depth;
            let mut first_use: Option<(usize, &str)> = None;
            for (j, later) in lines.iter().enumerate().skip(k + 1) {
                level += later.matches('{').count() as i32 - later.matches('}').count() as i32;
                if level <= 0 || starts_definition(&lines, j) {
                    break;
                }
                if assigns(later, x) {
                    break;
                }
                let flat = crate::code::compact(later);
                // Filled or copied wholesale (`memset(&x, 0, sizeof x)`), or its address kept.
                if flat.contains(&format!("=&{x};")) || flat.contains(&format!("=&{x},")) {
                    break;
                }
                let given: Vec<&str> = crate::code::called_names(later)
                    .into_iter()
                    .filter(|n| call_args(later, n).is_some_and(|a| a.iter().any(|a| is_object(a, x, pointer))))
                    .collect();
                if given.is_empty() {
                    continue;
                }
                // The reproducer's own helper, the C library, or an initialiser of any name:
                // what it does to the object is not known to be nothing.
                if given.iter().any(|n| !project_function(n) || sets_up(n)) {
                    break;
                }
                first_use = Some((j, given[0]));
                break;
            }
            let Some((j, user)) = first_use else { continue };
            let Some((init, at)) = initialiser(view, ty)? else { continue };
            let what = if pointer { format!("the memory `{x}` points at (from malloc, uninitialised)") } else { format!("`{x}`") };
            let ty = if line.trim_start().starts_with("struct ") { format!("struct {ty}") } else { ty.to_string() };
            return Ok(Some(
                Finding::new(
                    &rules::TRI_POC_SKIPS_INIT,
                    format!(
                        "the proof of concept declares {what}, a {ty}, at its line {} and hands it to {user}() at its line {} without first calling {init}(), the project's initialiser for a {ty}: what {user}() reads is the reproducer's undefined memory",
                        k + 1,
                        j + 1
                    ),
                    format!("{} | {}", line.trim(), lines[j].trim()),
                )
                .at(Some(at))
                .line(b.start_line + j),
            ));
        }
    }
    Ok(None)
}

/// Whether the report says the program hangs: its prose says a loop never ends (as the loop
/// checks read it), or its title or text says the program does not stop.
fn says_hang(report: &Report) -> bool {
    let text = crate::meaning::whole_text(report).to_ascii_lowercase();
    crate::meaning::says_endless(report)
        || ["infinite loop", "endless loop", "will not end", "does not stop", "doesn't stop", "hangs"].iter().any(|w| text.contains(w))
}

/// Whether the project has C++ overloads of `name` (definitions or declarations with different
/// numbers of parameters: `valueToQuotedString(const char *)` beside
/// `valueToQuotedString(const char *, size_t)`): which one a report means is not known, and one of
/// them may take the length.
fn overloaded(view: &View, name: &str) -> Result<bool, SourceError> {
    let index = view.snapshot.index()?;
    let mut counts: Vec<usize> = Vec::new();
    for d in index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::Function | DefKind::FunctionDecl)).take(20) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        if let Some(params) = definition_params(&text, d.line, name) {
            if !counts.contains(&params.len()) {
                counts.push(params.len());
            }
        }
    }
    Ok(counts.len() > 1)
}

/// The 0-based indexes of the plain `char *` parameters of the definition starting at `line`,
/// when it takes no length, size or count besides (None otherwise).
fn string_parameters(text: &str, line: u32, name: &str) -> Option<Vec<usize>> {
    let params = definition_params(text, line, name)?;
    let sized = params.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        ["size_t", "len", "size", "length", "count", "bytes", "..."].iter().any(|w| p.contains(w))
    });
    if sized {
        return None;
    }
    let strings: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            let words = identifiers(p);
            words.contains(&"char") && !words.iter().any(|w| matches!(*w, "unsigned" | "signed" | "wchar_t")) && p.matches('*').count() == 1
        })
        .map(|(i, _)| i)
        .collect();
    (!strings.is_empty()).then_some(strings)
}

/// `(const char *)data` → `data`; `&buf[0]` → `buf`; `buf` stays.
fn strip_casts_and_address(arg: &str) -> &str {
    let mut a = arg.trim();
    while let Some(rest) = a.strip_prefix('(') {
        match rest.find(')') {
            Some(e) if rest[..e].contains('*') => a = rest[e + 1..].trim_start(),
            _ => break,
        }
    }
    if let Some(inner) = a.strip_prefix('&').and_then(|r| r.strip_suffix("[0]")) {
        a = inner.trim();
    }
    a
}

/// The name of the data parameter of a libFuzzer entry point the block defines
/// (`LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)` → `data`).
fn fuzz_input_name(block: &str) -> Option<String> {
    let at = block.find("LLVMFuzzerTestOneInput")?;
    let params = call_args(&block[at..], "LLVMFuzzerTestOneInput")?;
    let first = params.first()?;
    identifiers(first).last().map(|s| s.to_string())
}

/// The declaration of `name` in `block` as a `char` array whose brace initialiser lists one
/// character or number per element, fills every element, and holds no zero.
fn unterminated_array(block: &str, name: &str) -> Option<String> {
    for line in block.lines() {
        let t = line.trim();
        let Some(open) = t.find('[') else { continue };
        let head = &t[..open];
        let words = identifiers(head);
        if words.last() != Some(&name) || !words.contains(&"char") {
            continue;
        }
        let close = open + t[open..].find(']')?;
        let size = t[open + 1..close].trim();
        let rest = t[close + 1..].trim_start().strip_prefix('=')?.trim_start();
        let items = rest.strip_prefix('{')?.split('}').next()?;
        let items: Vec<&str> = items.split(',').map(str::trim).filter(|i| !i.is_empty()).collect();
        if items.is_empty() {
            return None;
        }
        let zero = items.iter().any(|i| matches!(*i, "0" | "'\\0'" | "'\\x00'" | "0x00" | "0x0" | "'\\000'"));
        let chars = items.iter().all(|i| i.starts_with('\'') || i.bytes().all(|b| b.is_ascii_hexdigit() || b == b'x'));
        let full = size.is_empty() || size.parse::<usize>().is_ok_and(|n| n == items.len());
        return (!zero && chars && full).then(|| t.trim_end_matches(';').to_string());
    }
    None
}

/// The reporter's code block holding report line `line`.
fn reporter_block(report: &Report, line: usize) -> Option<&vouch_claims::Block> {
    report.blocks.iter().find(|b| b.kind == BlockKind::ReporterCode && (b.start_line..=b.end_line).contains(&line))
}

/// The parameters of the definition of `name` starting at `line` (its signature may span up to six
/// lines).
fn definition_params(text: &str, line: u32, name: &str) -> Option<Vec<String>> {
    let mut sig = String::new();
    for n in line..line + 6 {
        sig.push_str(line_of(text, n)?);
        sig.push(' ');
        if sig.contains(')') {
            break;
        }
    }
    call_args(&sig, name)
}

/// A finding about the reproducer's call of a project function defined at `def`, reported at
/// report line `report_line`.
fn poc_call(rule: &'static vouch_report::Rule, message: String, call: &str, def: &Location, report_line: usize) -> Finding {
    Finding::new(rule, message, call.trim().to_string())
        .at(Some(Location { path: def.path.clone(), line: def.line, end_line: None }))
        .line(report_line)
}

/// The 0-based index of the format parameter of a variadic printf-like definition starting at
/// `line` (a `const char *format`/`fmt` parameter followed by `...`), and whether it writes to a
/// `char *` buffer without taking its size (sprintf-like).
fn format_parameter(text: &str, line: u32, name: &str) -> Option<(usize, bool)> {
    let params = definition_params(text, line, name)?;
    let at = params.iter().position(|p| {
        let last = p.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
        p.contains("char") && p.contains('*') && (last == "fmt" || last == "format" || last.ends_with("_format"))
    })?;
    if params.get(at + 1).map(|p| p.trim()) != Some("...") {
        return None;
    }
    let before = &params[..at];
    let to_buffer = before.first().is_some_and(|p| p.contains("char") && p.contains('*') && !p.contains("**"));
    let sized = before.iter().any(|p| {
        let p = p.to_ascii_lowercase();
        ["size_t", "size", "len", "max", "count"].iter().any(|w| p.contains(w))
    });
    Some((at, to_buffer && !sized))
}

/// The report's own text (title, prose and code, not its metadata rows) never names the project, and it
/// makes no claim about the code, versions, commits or API: nothing in it can be checked or is
/// even about this project. (A report without code claims that names the project, an option or a
/// version is not affected.)
fn nothing_specific(
    report: &Report,
    claims: &[ClaimResult],
    view: &View,
    project: &str,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let specific = claims.iter().any(|c| c.origin != "metadata" && !matches!(c.kind, "cve"));
    if specific {
        return Ok(());
    }
    let meta_row = |l: &str| {
        let t = l.trim_start().to_ascii_lowercase();
        t.starts_with('|') || ["**program", "**product", "**project", "**asset", "**scope"].iter().any(|k| t.starts_with(k))
    };
    let text: String = report
        .title
        .iter()
        .map(String::as_str)
        .chain(report.blocks.iter().flat_map(|b| b.text.lines()).filter(|l| !meta_row(l)))
        .collect::<Vec<&str>>()
        .join("\n")
        .to_ascii_lowercase();
    if names_project(&text, project) {
        return Ok(());
    }
    // A bare name the project defines (`sftp_read`, `SSH_FXP_DATA`), written without the marks
    // that make it a claim: the report is about the project after all.
    let index = view.snapshot.index()?;
    let original = crate::meaning::whole_text(report);
    let named = identifiers(&original)
        .into_iter()
        .filter(|w| w.len() >= 5 && w.trim_matches('_').contains('_'))
        .any(|w| !index.definitions(w).is_empty());
    if named {
        return Ok(());
    }
    findings.push(Finding::new(
        &rules::TRI_NOTHING_SPECIFIC,
        format!("the report's own text never names {project} or anything in it (no file, function, API, option, version or command)"),
        report.title.clone().unwrap_or_default(),
    ));
    Ok(())
}

/// `curl`, `libcurl`, `curl_easy_init`, `CURLOPT_URL` in lower-cased text: the name at the start
/// of a word (after an optional `lib`).
fn names_project(lower: &str, project: &str) -> bool {
    let p = project.to_ascii_lowercase();
    let b = lower.as_bytes();
    lower.match_indices(p.as_str()).any(|(i, _)| {
        // Bytes, not a string slice: the three bytes before may cut a multi-byte character.
        let start = if i >= 3 && &b[i - 3..i] == b"lib" { i - 3 } else { i };
        start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninitialised_objects_of_project_types() {
        let project = |n: &str| n == "doc_t";
        assert_eq!(uninitialised_object("    doc_t d;", &project), Some(("doc_t", "d", false)));
        assert_eq!(uninitialised_object("doc_t *d = (doc_t *) malloc(sizeof *d);", &project), Some(("doc_t", "d", true)));
        for line in ["doc_t d = {0};", "doc_t d, e;", "doc_t d[2];", "static doc_t d;", "doc_t *d = calloc(1, 8);", "other_t d;"] {
            assert_eq!(uninitialised_object(line, &project), None, "{line}");
        }
        // Text before the type that is not an identifier: no slicing inside a character.
        assert_eq!(uninitialised_object("é doc_t d;", &project), None);
        assert_eq!(uninitialised_object("(doc_t) d;", &project), None);
        assert!(is_object("&d", "d", false) && is_object("(void *)&d", "d", false) && is_object("d", "d", true));
        assert!(!is_object("d", "d", false) && !is_object("&d", "d", true) && !is_object("dd", "d", true));
    }

    #[test]
    fn project_names_after_multibyte_characters() {
        assert!(names_project("see libcurl and curl_easy_init", "curl"));
        assert!(!names_project("xcurl", "curl"));
        // Three bytes before the name ending inside a multi-byte character: no slice inside it.
        assert!(!names_project("\u{e9}xycurl", "curl"));
        assert!(!names_project("\u{fffd}xcurl", "curl"));
        assert!(names_project("\u{fffd}x curl", "curl"));
    }

    #[test]
    fn proofs_computed_from_constants() {
        let report = |code: &str| {
            let text = format!("# Credential state persists\n\nThe reproducer below shows it.\n\n```python\n{code}```\n");
            vouch_claims::parse(&text, &Default::default()).expect("report")
        };
        // Two fingerprints of the same constants: equal whatever curl did in between.
        let tautology = "import pycurl, hashlib\ndef fp(headers, conn_id):\n    return hashlib.sha256(str(headers).encode()).hexdigest()\nc = pycurl.Curl()\nbefore = fp(\n    headers={\"Authorization\": \"present\"},\n    conn_id=\"conn_1\"\n)\nc.perform()\nafter = fp(\n    headers={\"Authorization\": \"present\"},\n    conn_id=\"conn_1\"\n)\nif before == after:\n    print(\"State persisted\")\n";
        let f = constant_proof(&report(tautology)).expect("finding");
        assert_eq!(f.rule, "VCH-TRI-018");
        assert!(f.message.contains("compares before and after"), "{}", f.message);
        assert!(f.evidence.contains(r#"fp(headers={"Authorization":"present"},conn_id="conn_1")"#), "{}", f.evidence);
        // Values read from what the project returned can differ: a real comparison.
        let real = "from io import BytesIO\nbuffer = BytesIO()\nc = pycurl.Curl()\nbefore = fp(buffer.getvalue(), \"conn_1\")\nc.perform()\nafter = fp(buffer.getvalue(), \"conn_1\")\nif before == after:\n    print(\"same\")\n";
        assert_eq!(constant_proof(&report(real)), None);
        // Different constants, or a variable given a value twice, prove nothing either way.
        let differ = "before = fp(\"a\")\nafter = fp(\"b\")\nif before == after:\n    print(1)\n";
        assert_eq!(constant_proof(&report(differ)), None);
        let twice = "before = fp(\"a\")\nbefore = fp(\"a\")\nafter = fp(\"a\")\nassert before == after\n";
        assert_eq!(constant_proof(&report(twice)), None);
        let changed = "before = fp(\"a\")\nafter = fp(\"a\")\nafter += run()\nassert before == after\n";
        assert_eq!(constant_proof(&report(changed)), None);
        // C: two digests of one literal compared with strcmp.
        let c = "int main(void) {\n  const char *a = digest(\"key\", 3);\n  curl_easy_perform(h);\n  const char *b = digest(\"key\", 3);\n  if(!strcmp(a, b)) {\n    puts(\"leaked\");\n  }\n}\n";
        assert!(constant_proof(&report(c)).is_some());
        assert!(constant_expression(r#"hashlib.sha256(b"x").hexdigest()"#, &["hashlib"]));
        assert!(!constant_expression(r#"hashlib.sha256(b"x").hexdigest()"#, &[]));
        assert!(!constant_expression(r#"fp(f"{token}")"#, &[]));
        assert!(!constant_expression("time.time()", &["time"]));
        assert!(!constant_expression(r#"fp(headers(), "a")"#, &[]));
        assert_eq!(
            imported("import pycurl, hashlib\nfrom io import BytesIO\nimport numpy as np\n"),
            ["pycurl", "hashlib", "BytesIO", "np"]
        );
    }

    #[test]
    fn format_parameters() {
        let src = "int curl_mfprintf(FILE *whereto, const char *format, ...)\n{\n}\nint curl_mprintf(const char *fmt,\n                 ...)\n{\n}\nint plain(const char *format, int x)\nint curl_msprintf(char *buffer, const char *format, ...)\nint curl_msnprintf(char *buffer, size_t maxlength, const char *format, ...)\n";
        assert_eq!(format_parameter(src, 1, "curl_mfprintf"), Some((1, false)));
        assert_eq!(format_parameter(src, 4, "curl_mprintf"), Some((0, false)));
        assert_eq!(format_parameter(src, 8, "plain"), None);
        assert_eq!(format_parameter(src, 9, "curl_msprintf"), Some((1, true)));
        assert_eq!(format_parameter(src, 10, "curl_msnprintf"), Some((2, false)));
    }

    #[test]
    fn definitions_in_reporter_code() {
        assert_eq!(defined_here("static char *inet_ntop4(const unsigned char *src, char *dst, size_t size) {", ""), Some("inet_ntop4"));
        assert_eq!(defined_here("int copy_zone(char *out, const char *h)", "{"), Some("copy_zone"));
        assert_eq!(defined_here("int main() {", ""), Some("main"));
        assert_eq!(defined_here("    if (inet_ntop4(ipv4, buf, sizeof(buf)) == NULL) {", ""), None);
        assert_eq!(defined_here("  while(i < n) {", ""), None);
        assert_eq!(defined_here("extern char *inet_ntop4(const unsigned char *src, char *dst, size_t size);", ""), None);
        assert_eq!(defined_here("  x = f(a) {", ""), None);
        assert_eq!(defined_here("  } else if(f(a)) {", ""), None);
        // A multi-byte character right before the name (found by the triage fuzz target).
        assert_eq!(defined_here("static size_\u{fffd}len(int a) {", ""), Some("len"));
    }

    #[test]
    fn project_names() {
        assert!(names_project("tested with libcurl 8.1", "curl"));
        assert!(names_project("set curlopt_url", "curl"));
        assert!(names_project("curl", "curl"));
        assert!(!names_project("the program uses strcpy()", "curl"));
        assert!(!names_project("recurl it", "curl"));
    }

    #[test]
    fn simulations_of_the_vulnerability() {
        let c = |t: &str| simulation_claim(t, Some("curl"));
        assert_eq!(c("It simulates the vulnerable sequence:").as_deref(), Some("simulates the vulnerable"));
        assert_eq!(c("Simulate the exact curl vulnerability").as_deref(), Some("simulate the exact"));
        assert_eq!(c("Create a buffer to simulate the overflow").as_deref(), Some("simulate the overflow"));
        assert_eq!(c("Simulate integer overflow").as_deref(), Some("simulate integer overflow"));
        assert_eq!(c("using a debugger (GDB) to simulate the logic bypass").as_deref(), Some("simulate the logic bypass"));
        assert_eq!(c("Mimicking curl's functions").as_deref(), Some("mimicking curl's"));
        assert_eq!(c("curl_multi_overflow_poc.py - Python simulation demonstrating the overflow").as_deref(), Some("python simulation"));
        assert_eq!(c("POC SIMULATION: If the header arrives, we add a CRLF").as_deref(), Some("poc simulation"));
        // The other side of the test, which genuine reports simulate too.
        assert_eq!(c("Python test server simulating vulnerable behavior:"), None);
        assert_eq!(c("an exploit server designed to simulate a vulnerability where many headers arrive"), None);
        assert_eq!(c("Access the site with curl to simulate a victim login"), None);
        assert_eq!(c("In this case we simulate the issue by calling curl locally"), None);
        assert_eq!(c("This does not simulate the overflow, it triggers it"), None);
        assert_eq!(c("It does not mimic anything: curl's own code crashes"), None);
        assert_eq!(c("The harness doesn't simulate the overflow, it triggers it in curl"), None);
        assert_eq!(c("To replicate the overflow, run the command below"), None);
        // Too far from the verb.
        assert_eq!(c("simulate a slow reader that makes the later read overflow"), None);
    }

    #[test]
    fn arithmetic_a_program_recomputes() {
        assert_eq!(
            arithmetic_rhs("  len = outbuf[0].cbBuffer + outbuf[1].cbBuffer + outbuf[2].cbBuffer; /* sum */").as_deref(),
            Some("outbuf[0].cbBuffer+outbuf[1].cbBuffer+outbuf[2].cbBuffer")
        );
        assert_eq!(arithmetic_rhs("size_t newsize = k->hbuflen + length;").as_deref(), Some("k->hbuflen+length"));
        assert_eq!(arithmetic_rhs("  n += len + 1;"), None);
        assert_eq!(arithmetic_rhs("  if(a == b + c)"), None);
        assert_eq!(arithmetic_rhs("  x = len + 1;"), None);
        assert_eq!(arithmetic_rhs("  x = y;"), None);
        assert_eq!(rhs_operands("outbuf[0].cbBuffer+outbuf[1].cbBuffer*2"), vec!["outbuf[0].cbBuffer", "outbuf[1].cbBuffer"]);
        assert_eq!(rhs_operands("sizeof(*p)+(size_t)len"), vec!["p", "size_t", "len"]);
        assert_eq!(rhs_operands("k->hbuflen+length"), vec!["k->hbuflen", "length"]);
        assert_eq!(rhs_operands("a->b->c*2-d"), vec!["a->b->c", "d"]);
        assert!(literal_value("0x80000000"));
        assert!(literal_value("4294967295U"));
        assert!(literal_value("UINT_MAX"));
        assert!(literal_value("-1"));
        assert!(!literal_value("strlen(s)"));
        assert!(!literal_value("len"));
        assert!(!literal_value(""));
        assert!(assigns_literal("  outbuf[0].cbBuffer = 0x80000000;", "outbuf[0].cbBuffer"));
        assert!(assigns_literal("unsigned int count = UINT_MAX; // wraps", "count"));
        assert!(!assigns_literal("  count == 4;", "count"));
        assert!(!assigns_literal("  count = n;", "count"));
        assert!(!assigns_literal("  mycount = 4;", "count"));
    }
}
