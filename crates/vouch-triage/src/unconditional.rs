//! A call said to be skipped when a setting is off, where the code makes it regardless: the
//! report says `Curl_wssl_verify_pinned` is skipped when `verifyhost` is disabled, but the
//! function calling it tests `verifyhost` in a block that closes before the call. That test
//! neither leaves the function nor sets anything the call depends on (beyond an error code it
//! can only set, `if(!result)`), and no caller of the function tests the setting around its
//! call: with the setting off, the call is made.

use vouch_claims::Report;
use vouch_report::rules;
use vouch_source::{FileInfo, SourceError};

use crate::code::{called_names, identifiers, line_of, macro_lines};
use crate::policy::contains_identifier;
use crate::project::{Checked, Project, View, COMMIT_NAMED, DEFAULT_BRANCH_AT_DATE};
use crate::{ClaimResult, Finding, Location, Status};

/// Most files of the report looked at.
const MAX_FILES: usize = 4;
/// Longest function read, in lines.
const MAX_FUNCTION: u32 = 600;
/// Most calls of the enclosing function whose surroundings are read; past that, a caller may
/// test the setting.
const MAX_CALLERS: usize = 20;

/// Words that leave a block early: a test holding one may keep the call from running.
const EXITS: &[&str] = &["return", "goto", "break", "continue", "exit", "abort", "longjmp", "_exit"];

pub(crate) fn check(
    report: &Report,
    claims: &[ClaimResult],
    project: &Project,
    checked: &Checked,
    primary: &View,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let sentences: Vec<(usize, Vec<String>)> = crate::meaning::prose_sentences(report)
        .into_iter()
        .filter(|(_, s)| says_skipped(s))
        .map(|(line, s)| (line, code_names(&s)))
        .filter(|(_, names)| names.len() >= 2)
        .collect();
    if sentences.is_empty() {
        return Ok(());
    }
    // The files the report places its claim in; without any, every file that calls the function.
    let mut named: Vec<String> = Vec::new();
    for c in
        claims.iter().filter(|c| c.status == Status::Confirmed && !c.negated && matches!(c.kind, "file" | "function" | "line" | "snippet"))
    {
        if let Some(l) = &c.location {
            if vouch_source::is_c_family(&l.path) && !named.contains(&l.path) {
                named.push(l.path.clone());
            }
        }
    }
    named.truncate(MAX_FILES);
    // The version checked, then the code of the report's own day: a development snapshot the
    // report read may have a function its release lacks. Not later code, which may hold the fix.
    let mut others = checked.also.iter().filter(|v| v.how == DEFAULT_BRANCH_AT_DATE || v.how == COMMIT_NAMED);
    let mut view = primary.clone();
    loop {
        let mut seen_call = false;
        for (line, names) in &sentences {
            for f in names {
                let files = if named.is_empty() {
                    match calling_files(&view, f)? {
                        Some(files) => files,
                        None => return Ok(()),
                    }
                } else {
                    named.clone()
                };
                for v in names.iter().filter(|v| *v != f) {
                    // Every call in those files must be made regardless: one behind the test may
                    // be the one the report means.
                    let mut made = None;
                    let mut seen = false;
                    for path in &files {
                        match unconditional(&view, path, f, v)? {
                            Outcome::NoCall => {}
                            Outcome::Unsure => return Ok(()),
                            Outcome::Seen => seen = true,
                            Outcome::Made(site) => {
                                made.get_or_insert((path.clone(), site));
                            }
                        }
                    }
                    if seen {
                        seen_call = true;
                        continue;
                    }
                    let Some((path, site)) = made else { continue };
                    let at = if view.version.label == primary.version.label {
                        String::new()
                    } else {
                        format!(" (at {}, {})", view.version.label, view.version.how)
                    };
                    findings.push(
                        Finding::new(
                            &rules::TRI_CALL_UNCONDITIONAL,
                            format!(
                                "the report says {f} is skipped when {v} is off, but {} in {path} calls it at line {} after its test of {v} at line {}, not inside it; that test does not leave the function or decide anything the call depends on, and no caller tests {v} around it: with {v} off the call is made{at}",
                                site.function, site.call_line, site.test_line
                            ),
                            format!("line {}: {}  line {}: {}", site.test_line, site.test_code, site.call_line, site.call_code),
                        )
                        .at(Some(Location { path, line: site.call_line, end_line: None }))
                        .line(*line),
                    );
                    return Ok(());
                }
            }
        }
        if seen_call {
            return Ok(());
        }
        match others.next() {
            Some(v) => view = project.alternate(v)?,
            None => return Ok(()),
        }
    }
}

/// The C files that call `f`, at most [`MAX_FILES`]: None when more do, or when the name is
/// too common to follow.
fn calling_files(view: &View, f: &str) -> Result<Option<Vec<String>>, SourceError> {
    let Some(lines) = call_lines(view, f)? else { return Ok(None) };
    let mut files: Vec<String> = Vec::new();
    for (path, _) in lines {
        if vouch_source::is_c_family(&path) && !files.contains(&path) {
            files.push(path);
        }
    }
    Ok((files.len() <= MAX_FILES).then_some(files))
}

/// The lines of the project that call `name`: None when the name
/// is mentioned more than [`MAX_CALLERS`] times, or a file mentioning it cannot be read.
fn call_lines(view: &View, name: &str) -> Result<Option<Vec<(String, u32)>>, SourceError> {
    let index = view.snapshot.index()?;
    if index.mention_count(name) > MAX_CALLERS {
        return Ok(None);
    }
    let mut out = Vec::new();
    for (path, line) in index.mentions(name) {
        let Some(text) = view.snapshot.read(&path)? else { return Ok(None) };
        if line_of(&text, line).is_some_and(|l| called_names(l).contains(&name)) {
            out.push((path, line));
        }
    }
    Ok(Some(out))
}

/// Whether a sentence says something is skipped when a setting is off: "is silently ignored if
/// the user disables", "appears to be conditionally skipped ... when `verifyhost` is disabled".
fn says_skipped(sentence: &str) -> bool {
    let lower = format!(" {}", sentence.to_ascii_lowercase());
    const SKIPPED: &[&str] = &[
        "skipped",
        "bypassed",
        "not called",
        "never called",
        "not invoked",
        "never invoked",
        "not performed",
        "not executed",
        "never executed",
        "ignored",
        "not enforced",
        "not applied",
        "omitted",
        "not reached",
        "never reached",
    ];
    const DENIED: &[&str] =
        &["not skipped", "never skipped", "not bypassed", "not ignored", "isn't skipped", "is still called", "always called"];
    const OFF: &[&str] = &[
        "disabled",
        "is off",
        "turned off",
        "switched off",
        "set to 0",
        "set to false",
        "set to zero",
        "is false",
        "is zero",
        "is 0",
        "is not set",
        "is unset",
    ];
    const ON: &[&str] = &["enabled", "is on", "turned on", "is set", "is true", "is non-zero", "is nonzero", "set to 1", "set to true"];
    const RUNS: &[&str] = &["called", "invoked", "performed", "executed", "run", "checked", "applied", "enforced", "verified"];
    if DENIED.iter().any(|d| lower.contains(d)) || lower.trim_end().ends_with('?') {
        return false;
    }
    // "`verify_pinned()` is only called when `verifyhost` is enabled": the same gate, said the
    // other way round.
    let only = lower.match_indices(" only ").any(|(at, _)| {
        let tail = &lower[at + 6..];
        let mut words = tail.split_whitespace();
        let runs = words.next().is_some_and(|w| RUNS.contains(&w.trim_end_matches([',', '.'])));
        let clause = &tail[..tail.find([',', ';']).unwrap_or(tail.len())];
        runs && [" when ", " if ", " whenever "].iter().any(|cue| clause.contains(cue)) && ON.iter().any(|o| clause.contains(o))
    });
    if only {
        return true;
    }
    if !SKIPPED.iter().any(|w| lower.contains(w)) {
        return false;
    }
    // The condition, after the skip ("is skipped when X is disabled") or before it ("when X is
    // disabled, Y is skipped"), up to the end of its clause.
    [" when ", " if ", " whenever ", " once "].iter().any(|cue| {
        lower.match_indices(cue).any(|(at, _)| {
            let tail = &lower[at..];
            let clause = &tail[..tail.find([',', ';']).unwrap_or(tail.len())];
            OFF.iter().any(|o| clause.contains(o))
        })
    })
}

/// The names a sentence writes as code: `Curl_wssl_verify_pinned`, `verify()`, the member of
/// `conn_config->verifyhost`.
fn code_names(sentence: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (k, span) in sentence.split('`').enumerate() {
        if k % 2 == 0 {
            continue;
        }
        let s = span.trim().trim_end_matches("()");
        let last = s.rsplit("->").next().unwrap_or(s).rsplit('.').next().unwrap_or(s);
        let ident = last.len() >= 3
            && last.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if ident && !out.iter().any(|o| o == last) {
            out.push(last.to_string());
        }
    }
    out
}

enum Outcome {
    /// The file does not call the function.
    NoCall,
    /// The file calls it, but not (only) after a test of the setting.
    Seen,
    /// Something could not be read as plain C: say nothing.
    Unsure,
    Made(Site),
}

struct Site {
    function: String,
    call_line: u32,
    call_code: String,
    test_line: u32,
    test_code: String,
}

/// Every call of `f` in `path`, and whether each is made whatever `v` holds.
fn unconditional(view: &View, path: &str, f: &str, v: &str) -> Result<Outcome, SourceError> {
    let Some(text) = view.snapshot.read(path)? else { return Ok(Outcome::NoCall) };
    let index = view.snapshot.index()?;
    let Some(info) = index.file(path) else { return Ok(Outcome::NoCall) };
    let mut made = None;
    let mut any = false;
    for span in &info.functions {
        if span.name == f {
            continue;
        }
        let Some(body) = Body::read(&text, span.start_line, span.end_line) else { continue };
        if !body.code.contains(f) {
            continue;
        }
        let Some(walk) = body.walk(f) else { return Ok(Outcome::Unsure) };
        for call in &walk.calls {
            any = true;
            // A macro called between the test and the call may hide a `return`.
            let leaves = |name: &str| macro_leaves(view, index, name);
            match made_anyway(&body, &walk, call, info, v, &leaves) {
                Some((line, code)) => {
                    made.get_or_insert(Site {
                        function: span.name.clone(),
                        call_line: call.line,
                        call_code: line_of(&text, call.line).unwrap_or("").trim().to_string(),
                        test_line: line,
                        test_code: code,
                    });
                }
                None => return Ok(Outcome::Seen),
            }
        }
    }
    let Some(site) = made else { return Ok(if any { Outcome::Seen } else { Outcome::NoCall }) };
    // The function's own callers must not test the setting around their calls.
    if !callers_untested(view, index, &site.function, v)? {
        return Ok(Outcome::Seen);
    }
    Ok(Outcome::Made(site))
}

/// Whether every direct call of `function` in the project is made outside any test of `v`.
fn callers_untested(view: &View, index: &vouch_source::CodeIndex, function: &str, v: &str) -> Result<bool, SourceError> {
    let Some(lines) = call_lines(view, function)? else { return Ok(false) };
    for (path, line) in lines {
        let Some(info) = index.file(&path) else { return Ok(false) };
        let Some(text) = view.snapshot.read(&path)? else { return Ok(false) };
        let Some(span) = info.function_at(line) else { continue };
        if span.name == function {
            continue;
        }
        let Some(body) = Body::read(&text, span.start_line, span.end_line) else { return Ok(false) };
        let Some(walk) = body.walk(function) else { return Ok(false) };
        for call in walk.calls.iter().filter(|c| c.line == line) {
            if call.controls.iter().any(|c| contains_identifier(&c.cond, v)) || contains_identifier(&call.statement, v) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Whether `call` is made whatever `v` holds: it lies outside every test of `v`, after at least
/// one; no test leaves early; what its own conditions read is a local error code the tests can
/// only set. Gives the first test's line and code.
fn made_anyway(
    body: &Body,
    walk: &Walk,
    call: &Call,
    info: &FileInfo,
    v: &str,
    macro_leaves: &dyn Fn(&str) -> bool,
) -> Option<(u32, String)> {
    let same_build = |line: u32| compatible(info, line, call.line);
    if call.controls.iter().any(|c| c.kw == "else" || contains_identifier(&c.cond, v)) || contains_identifier(&call.statement, v) {
        return None;
    }
    // The tests of `v` before the call, in the same build.
    let tests: Vec<&Unit> = walk
        .units
        .iter()
        .filter(|u| u.end < call.pos && same_build(u.line) && u.controls.iter().any(|c| contains_identifier(&c.cond, v)))
        .collect();
    let first = tests.first()?;
    let mut dependent: Vec<&str> = Vec::new();
    for t in &tests {
        // Only `if(v)` or `if(v && ...)`, alone and with no `else`: what it does happens only with
        // the setting on.
        if t.controls.len() != 1
            || t.controls[0].kw != "if"
            || !tests_on(&t.controls[0].cond, v)
            || body.code[t.end + 1..].trim_start().starts_with("else")
        {
            return None;
        }
        dependent.extend(identifiers(&body.code[t.start..=t.end]));
    }
    // Any statement reading `v` outside a test decides something from it.
    for u in walk.units.iter().filter(|u| same_build(u.line) && !u.braced && contains_identifier(&u.text, v)) {
        if !tests.iter().any(|t| t.start <= u.start && u.end <= t.end) {
            return None;
        }
    }
    // Nothing between the first test and the call leaves early.
    let between = &body.code[first.start..call.pos];
    for (k, _) in between.char_indices().filter(|&(k, c)| c.is_ascii_alphabetic() && (k == 0 || !is_id(between.as_bytes()[k - 1]))) {
        let word: String = between[k..].chars().take_while(|&c| c.is_ascii_alphanumeric() || c == '_').collect();
        if EXITS.contains(&word.as_str()) && same_build(body.line_at(first.start + k)) {
            return None;
        }
    }
    if called_names(between).into_iter().any(macro_leaves) {
        return None;
    }
    // The call's own conditions: locals only, and those the tests touch only as an error code
    // that starts clear (`CURLcode result = CURLE_OK;` ... `if(!result)`).
    for c in &call.controls {
        if !called_names(&c.cond).is_empty() {
            return None;
        }
        for x in identifiers(&c.cond) {
            if is_constant(x) {
                continue;
            }
            let decl = walk.units.iter().find(|u| u.end < call.pos && same_build(u.line) && declares(&u.text, x))?;
            if dependent.contains(&x) {
                let flat: String = c.cond.chars().filter(|c| !c.is_whitespace()).collect();
                let clear = flat == format!("!{x}") || flat.strip_prefix(&format!("{x}==")).is_some_and(is_zero);
                let starts_clear = decl.text.split_once('=').is_some_and(|(_, init)| is_zero(init.trim()));
                let touched_elsewhere = walk.units.iter().any(|u| {
                    u.end < call.pos
                        && !u.braced
                        && !std::ptr::eq(u, decl)
                        && same_build(u.line)
                        && contains_identifier(&u.text, x)
                        && !tests.iter().any(|t| t.start <= u.start && u.end <= t.end)
                });
                if !(clear && starts_clear) || touched_elsewhere {
                    return None;
                }
            }
        }
    }
    let code = body.source_line(first.line).trim().to_string();
    Some((first.line, code))
}

/// Whether `name` is a macro of the project whose definition may leave the function: it holds
/// `return`, `goto`, `break` or another exit, or cannot be read.
fn macro_leaves(view: &View, index: &vouch_source::CodeIndex, name: &str) -> bool {
    for d in index.definitions(name).iter().filter(|d| d.kind == vouch_source::DefKind::Macro).take(8) {
        let Ok(Some(text)) = view.snapshot.read(&d.path) else { return true };
        if macro_lines(&text, d.line, 42).iter().any(|l| identifiers(l).iter().any(|w| EXITS.contains(w))) {
            return true;
        }
    }
    false
}

/// Whether a condition holds only with `v` on: `conn_config->verifyhost`, `v && other`; not
/// `!v`, `v == 0`, nor `v || other`.
fn tests_on(cond: &str, v: &str) -> bool {
    let flat: String = cond.chars().filter(|c| !c.is_whitespace()).collect();
    !flat.contains("||")
        && flat.split("&&").any(|part| {
            let part = part.trim_start_matches('(').trim_end_matches(')');
            let is_chain = part.bytes().all(|b| is_id(b) || matches!(b, b'-' | b'>' | b'.'));
            is_chain
                && identifiers(part).last() == Some(&v)
                && (part == v || part.ends_with(&format!("->{v}")) || part.ends_with(&format!(".{v}")))
        })
}

/// Whether two lines of a file are compiled together: no preprocessor condition holds for one
/// and is negated for the other.
fn compatible(info: &FileInfo, a: u32, b: u32) -> bool {
    let (ca, cb) = (info.conditions_at(a), info.conditions_at(b));
    !ca.iter().any(|x| cb.iter().any(|y| x.text == y.text && x.negated != y.negated))
}

fn is_id(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `CURLE_OK`, `NULL`, `TRUE`: a constant, not a variable.
fn is_constant(x: &str) -> bool {
    x.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') || matches!(x, "true" | "false")
}

/// A value that leaves `!x` true: `0`, `NULL`, `FALSE`, `CURLE_OK`.
fn is_zero(v: &str) -> bool {
    matches!(v, "0" | "0L" | "0U" | "NULL" | "FALSE" | "false") || v.len() > 3 && v.ends_with("_OK") && is_constant(v)
}

/// Whether a statement declares the local `x`: `CURLcode result = CURLE_OK`, `struct a *x`.
fn declares(stmt: &str, x: &str) -> bool {
    let lhs = match stmt.find('=') {
        Some(k) if stmt[k + 1..].starts_with('=') => return false,
        Some(k) => &stmt[..k],
        None => stmt,
    };
    let words: Vec<&str> = lhs.split(|c: char| c.is_whitespace() || c == '*').filter(|w| !w.is_empty()).collect();
    words.len() >= 2
        && words.last() == Some(&x)
        && words.iter().all(|w| w.bytes().all(is_id))
        && !matches!(words[0], "return" | "goto" | "case" | "else" | "do")
}

/// One control in front of a statement or block: `if(cond)`, `else`, `for(...)`.
#[derive(Clone)]
struct Control {
    kw: &'static str,
    cond: String,
}

/// A statement (up to its `;`) or a block (from its `{` to its `}`) and the controls in front of it.
struct Unit {
    controls: Vec<Control>,
    /// The statement after its controls (empty for a block).
    text: String,
    braced: bool,
    /// Where the statement or block begins (its controls included) and ends (its `;` or `}`).
    start: usize,
    end: usize,
    line: u32,
}

/// A call of the function looked for.
struct Call {
    pos: usize,
    line: u32,
    /// Every control the call is under, outermost first (the function's own body excluded).
    controls: Vec<Control>,
    /// The statement holding the call, after its controls.
    statement: String,
}

struct Walk {
    units: Vec<Unit>,
    calls: Vec<Call>,
}

/// A function's code with comments, strings and preprocessor lines blanked.
struct Body {
    code: String,
    first_line: u32,
    source: Vec<String>,
}

impl Body {
    fn read(text: &str, start: u32, end: u32) -> Option<Body> {
        if end < start || end - start > MAX_FUNCTION {
            return None;
        }
        let source: Vec<String> = (start..=end).map(|n| line_of(text, n).unwrap_or("").to_string()).collect();
        let code = crate::code::blank_non_code(&source).join("\n") + "\n";
        Some(Body { code, first_line: start, source })
    }

    fn line_at(&self, pos: usize) -> u32 {
        self.first_line + self.code[..pos.min(self.code.len())].bytes().filter(|&b| b == b'\n').count() as u32
    }

    fn source_line(&self, line: u32) -> &str {
        self.source.get((line - self.first_line) as usize).map_or("", String::as_str)
    }

    /// The statements and blocks of the body, and the calls of `f` with the controls they are under.
    fn walk(&self, f: &str) -> Option<Walk> {
        let code = self.code.as_bytes();
        // Open blocks: their controls and where they begin.
        let mut stack: Vec<(Vec<Control>, usize, u32)> = Vec::new();
        let mut units = Vec::new();
        let mut calls: Vec<Call> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let mut stmt_start = 0;
        let mut parens = 0i32;
        let mut i = 0;
        while i < code.len() {
            let c = code[i];
            match c {
                b'(' => parens += 1,
                b')' => parens -= 1,
                b'{' if parens == 0 => {
                    let (controls, _) = controls(&self.code[stmt_start..i])?;
                    stack.push((controls, stmt_start, self.line_at(i)));
                    stmt_start = i + 1;
                }
                b'}' if parens == 0 => {
                    let (controls, start, line) = stack.pop()?;
                    units.push(Unit { controls, text: String::new(), braced: true, start, end: i, line });
                    stmt_start = i + 1;
                }
                b';' if parens == 0 => {
                    let (controls, rest) = controls(&self.code[stmt_start..i])?;
                    for k in pending.drain(..) {
                        let call: &mut Call = &mut calls[k];
                        call.statement.push_str(&self.code[call.pos..i]);
                    }
                    units.push(Unit {
                        controls,
                        text: rest.trim().to_string(),
                        braced: false,
                        start: stmt_start,
                        end: i,
                        line: self.line_at(stmt_start + (self.code[stmt_start..i].len() - self.code[stmt_start..i].trim_start().len())),
                    });
                    stmt_start = i + 1;
                }
                _ if (c.is_ascii_alphabetic() || c == b'_') && (i == 0 || !is_id(code[i - 1])) => {
                    let end = i + code[i..].iter().take_while(|&&b| is_id(b)).count();
                    if &self.code[i..end] == f && self.code[end..].trim_start().starts_with('(') && !stack.is_empty() {
                        let (mut outer, prefix_start) = (Vec::new(), stmt_start);
                        for (ctl, _, _) in stack.iter().skip(1) {
                            outer.extend(ctl.iter().cloned());
                        }
                        let (inner, rest) = controls(&self.code[prefix_start..i])?;
                        outer.extend(inner);
                        calls.push(Call { pos: i, line: self.line_at(i), controls: outer, statement: rest.to_string() });
                        pending.push(calls.len() - 1);
                    }
                    i = end;
                    continue;
                }
                _ => {}
            }
            if parens < 0 {
                return None;
            }
            i += 1;
        }
        stack.is_empty().then_some(Walk { units, calls })
    }
}

/// The controls at the front of a statement's text (`if(a) for(;;) x = 1`), and the rest. `case`
/// and goto labels are skipped. None when a control's parentheses do not close.
fn controls(text: &str) -> Option<(Vec<Control>, &str)> {
    let mut out = Vec::new();
    let mut s = text.trim_start();
    loop {
        let word: &str = &s[..s.bytes().take_while(|&b| is_id(b)).count()];
        let after = s[word.len()..].trim_start();
        match word {
            "if" | "while" | "for" | "switch" if after.starts_with('(') => {
                let mut depth = 0;
                // A condition still open holds the call looked for: it is the statement.
                let Some(close) = after.char_indices().find(|&(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                }) else {
                    return Some((out, s));
                };
                let kw = match word {
                    "if" => "if",
                    "while" => "while",
                    "for" => "for",
                    _ => "switch",
                };
                out.push(Control { kw, cond: after[1..close.0].to_string() });
                s = after[close.0 + 1..].trim_start();
            }
            "else" => {
                out.push(Control { kw: "else", cond: String::new() });
                s = after;
            }
            "do" => {
                out.push(Control { kw: "do", cond: String::new() });
                s = after;
            }
            "default" if after.starts_with(':') => s = after[1..].trim_start(),
            "case" => {
                let colon = after.find(':')?;
                s = after[colon + 1..].trim_start();
            }
            w if !w.is_empty() && after.starts_with(':') && !after.starts_with("::") => s = after[1..].trim_start(),
            _ => return Some((out, s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_sentences() {
        assert!(says_skipped(
            "The logic that triggers the pinning check (`Curl_wssl_verify_pinned`) appears to be conditionally skipped or improperly handled when the primary verification (`verifyhost`) is disabled via configuration"
        ));
        assert!(says_skipped("When `verify` is set to 0, `check_sig()` is never called"));
        assert!(!says_skipped("`check_sig()` is not skipped when `verify` is disabled"));
        assert!(!says_skipped("The check is skipped for empty names"));
        assert!(says_skipped("The pin check `verify_pinned()` is only called when `verifyhost` is enabled"));
        assert!(!says_skipped("The pin check `verify_pinned()` is only called once"));
        assert_eq!(
            code_names("`Curl_wssl_verify_pinned` ... `conn_config->verifyhost` and `a()`"),
            ["Curl_wssl_verify_pinned", "verifyhost"]
        );
    }

    #[test]
    fn controls_in_front() {
        let (c, rest) = controls("  if(!result)\n    result = ").unwrap();
        assert_eq!((c.len(), c[0].cond.as_str(), rest), (1, "!result", "result = "));
        let (c, rest) = controls("case 1: fail: else if(a(b)) x").unwrap();
        assert_eq!((c.len(), c[0].kw, c[1].cond.as_str(), rest), (2, "else", "a(b)", "x"));
        assert!(declares("CURLcode result = CURLE_OK", "result"));
        assert!(declares("struct ssl_primary_config *conn_config", "conn_config"));
        assert!(!declares("result = CURLE_OK", "result"));
        assert!(!declares("return result", "result"));
        assert!(tests_on("conn_config->verifyhost", "verifyhost"));
        assert!(tests_on("(cfg.verifyhost) && x", "verifyhost"));
        assert!(!tests_on("!conn_config->verifyhost", "verifyhost"));
        assert!(!tests_on("conn_config->verifyhost == 0", "verifyhost"));
        assert!(!tests_on("a || conn_config->verifyhost", "verifyhost"));
    }
}
