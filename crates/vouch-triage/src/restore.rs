//! A pointer said to underflow where it is moved back by what it was just moved forward: the
//! report quotes `p -= 2;` as an underflow, and the two statements before it each write through
//! the pointer and advance it by one, unless it already stands at the end of its buffer
//! (`if(x->p < x->buf + sizeof(x->buf)) *x->p++ = c;`). The pointer returns to where it was, or
//! to two before the end of a buffer longer than two: never below the buffer's start.

use vouch_claims::Report;
use vouch_report::rules;
use vouch_source::{DefKind, SourceError};

use crate::code::{compact, identifiers, line_of, macro_lines};
use crate::project::View;
use crate::{ClaimResult, Finding, Location, Status};

/// The largest step back looked at.
const MAX_STEP: usize = 8;

pub(crate) fn check(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    let prose = crate::meaning::prose_sentences(report);
    if !prose.iter().any(|(_, s)| s.to_ascii_lowercase().contains("underflow")) {
        return Ok(());
    }
    let mentioned = |name: &str| prose.iter().any(|(_, s)| crate::policy::contains_identifier(s, name));
    let places: Vec<&Location> = claims
        .iter()
        .filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated && matches!(c.kind, "line" | "snippet"))
        .filter_map(|c| c.location.as_ref())
        .collect();
    let index = view.snapshot.index()?;
    for l in places {
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let end = l.end_line.unwrap_or(l.line).max(l.line).min(l.line + 40);
        for n in l.line..=end {
            let Some(code) = line_of(&text, n) else { break };
            let Some((object, member, step)) = step_back(code) else { continue };
            if !mentioned(&member) {
                continue;
            }
            // The `step` statements before it, each advancing the pointer by one at most.
            let mut before = Vec::new();
            let mut m = n;
            while before.len() < step && m > 1 {
                m -= 1;
                let Some(prev) = line_of(&text, m) else { break };
                if !prev.trim().is_empty() {
                    before.push((m, prev.trim().to_string()));
                }
            }
            let mut guard = None;
            let all_advance = before.len() == step
                && before.iter().all(|(_, s)| match advances(view, index, s, &object, &member) {
                    Ok(Some(g)) => {
                        guard = Some(g);
                        true
                    }
                    _ => false,
                });
            let Some((macro_name, buffer, guard_code)) = guard.filter(|_| all_advance) else { continue };
            let Some(size) = array_size(view, index, &l.path, &buffer)? else { continue };
            if size <= step as u64 {
                continue;
            }
            findings.push(
                Finding::new(
                    &rules::TRI_POINTER_RESTORED,
                    format!(
                        "the report says {object}->{member} underflows, but at {}:{n} it is moved back by {step} right after {step} uses of {macro_name} that each move it forward by one unless it stands at the end of {buffer} ({size} bytes): it returns to where it was, or to {step} before that end, never below the buffer's start",
                        l.path
                    ),
                    format!("{}; {guard_code}", code.trim()),
                )
                .at(Some(Location { path: l.path.clone(), line: n, end_line: None })),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// `tn->subpointer -= 2;`: the object, the member and the step.
fn step_back(line: &str) -> Option<(String, String, usize)> {
    let flat = compact(line);
    let (lhs, rhs) = flat.split_once("-=")?;
    let step: usize = rhs.strip_suffix(';')?.parse().ok()?;
    let (object, member) = lhs.rsplit_once("->")?;
    let name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (name(object) && name(member) && (1..=MAX_STEP).contains(&step)).then(|| (object.to_string(), member.to_string(), step))
}

/// Whether the statement `stmt` advances `object->member` by at most one, only while it is below
/// the end of a buffer: a call of a macro whose body, for its first parameter `x`, writes
/// `*x->member++` behind `if(x->member < x->buf + sizeof(x->buf))`. Gives the macro's name, the
/// buffer and the guard.
fn advances(
    view: &View,
    index: &vouch_source::CodeIndex,
    stmt: &str,
    object: &str,
    member: &str,
) -> Result<Option<(String, String, String)>, SourceError> {
    let flat = compact(stmt);
    let Some(name) = identifiers(&flat).first().copied() else { return Ok(None) };
    if !flat.starts_with(&format!("{name}({object},")) {
        return Ok(None);
    }
    for d in index.definitions(name).iter().filter(|d| d.kind == DefKind::Macro).take(2) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        // The definition with its continuation lines.
        let body: String = macro_lines(&text, d.line, 14).iter().map(|l| format!("{}\n", l.trim_end().trim_end_matches('\\'))).collect();
        let flat_body = compact(&body);
        let Some(params) = flat_body.split_once(&format!("define{name}(")).and_then(|(_, r)| r.split_once(')')).map(|(p, _)| p.to_string())
        else {
            continue;
        };
        let Some(x) = params.split(',').next().filter(|p| !p.is_empty()) else { continue };
        let write = format!("*{x}->{member}++=");
        let Some(guard_at) = flat_body.find(&format!("if({x}->{member}<")) else { continue };
        // The write is the guarded statement: right after the condition, nothing else between.
        let Some(w) = flat_body.find(&write) else { continue };
        let condition = &flat_body[guard_at..w];
        if flat_body[guard_at + 3..].find(&write).is_none() || condition.contains(';') {
            continue;
        }
        // `x->buf + sizeof(x->buf)` (in parentheses or not): the buffer's end.
        let Some(buffer) = condition
            .split_once(&format!("{x}->"))
            .and_then(|(_, _)| condition.split(&format!("sizeof({x}->")).nth(1))
            .and_then(|r| r.split(')').next())
            .filter(|b| condition.contains(&format!("{x}->{b}+sizeof({x}->{b})")))
        else {
            continue;
        };
        let guard = body.lines().find(|l| compact(l).contains(&format!("if({x}->{member}<"))).unwrap_or("").trim().to_string();
        return Ok(Some((name.to_string(), buffer.to_string(), guard)));
    }
    Ok(None)
}

/// The size of an array member declared `unsigned char buf[512];` or `buf[SIZE];` with `#define
/// SIZE 512`, in the file at `path` or the project headers it includes, when they agree on one.
fn array_size(view: &View, index: &vouch_source::CodeIndex, path: &str, buffer: &str) -> Result<Option<u64>, SourceError> {
    let mut sizes = Vec::new();
    // The file itself and the project headers it includes.
    let mut files = vec![path.to_string()];
    if let Some(text) = view.snapshot.read(path)? {
        for l in text.lines() {
            let included =
                l.trim_start().strip_prefix("#include").map(str::trim).and_then(|r| r.strip_prefix('"')).and_then(|r| r.split('"').next());
            if let Some(h) = included {
                files.extend(view.snapshot.find(h).iter().take(2).map(|p| p.to_string()));
            }
        }
    }
    for f in &files {
        let Some(text) = view.snapshot.read(f)? else { continue };
        if !text.contains(&format!("{buffer}[")) {
            continue;
        }
        for l in text.lines() {
            let l = l.trim();
            let Some(at) = l.find(&format!("{buffer}[")) else { continue };
            let (before, rest) = (&l[..at], &l[at + buffer.len() + 1..]);
            // A declaration, not a use: a type right before the name.
            let typed = before.ends_with([' ', '\t', '*'])
                && ["char", "int", "short", "long", "uint8_t", "int8_t"]
                    .iter()
                    .any(|t| before.split_whitespace().any(|w| w.trim_end_matches('*') == *t));
            let Some((dim, after)) = rest.split_once(']') else { continue };
            if !typed || !after.trim_start().starts_with(';') {
                continue;
            }
            let dim = dim.trim();
            let n = match dim.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => macro_number(view, index, dim)?,
            };
            if let Some(n) = n {
                sizes.push(n);
            }
        }
    }
    sizes.sort_unstable();
    sizes.dedup();
    Ok(match sizes.as_slice() {
        [one] => Some(*one),
        _ => None,
    })
}

/// The value of `#define NAME 512` (or a product of literals), read by values.rs's reader.
fn macro_number(view: &View, index: &vouch_source::CodeIndex, name: &str) -> Result<Option<u64>, SourceError> {
    for d in index.definitions(name).iter().filter(|d| d.kind == DefKind::Macro) {
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        if let Some(v) = line_of(&text, d.line).and_then(|l| crate::values::macro_value(l, name)) {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_back() {
        assert_eq!(step_back("            tn->subpointer -= 2;"), Some(("tn".into(), "subpointer".into(), 2)));
        assert_eq!(step_back("len -= 2;"), None);
        assert_eq!(step_back("tn->subpointer -= n;"), None);
        assert_eq!(step_back("tn->subpointer -= 100;"), None);
    }
}
