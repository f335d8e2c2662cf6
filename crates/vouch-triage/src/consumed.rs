//! Consumed arguments: a leak the report says happens when a call fails ("if
//! `strv_consume(&labels, label)` fails, the function returns and never frees `label`"), where
//! the function called is the project's and frees that argument itself when it fails (or
//! always): it takes the memory over, so the caller has nothing left to free.
//!
//! The callee is followed through calls that hand the argument on at most three levels deep
//! (`strv_consume(l, v)` → `strv_consume_with_size(l, NULL, v)`, which does `if (r < 0)
//! free(value);`). The release must be unconditional in the callee's body or under a test of
//! failure (`if (r < 0)`, `if (!x)`, `== NULL`, `== -1`); a release on the success path only
//! says nothing about the failure the report describes.

use vouch_claims::{Report, VulnClass};
use vouch_report::rules;
use vouch_source::{DefKind, SourceError};

use crate::code::{bundled_dependency, called_names, compact, line_of};
use crate::meaning::{call_args, parameters, prose_sentences, releases, shows_trace};
use crate::policy::contains_identifier;
use crate::project::View;
use crate::{Finding, Location};

/// Words of a sentence that put the leak on a failed call.
const FAILS: &[&str] = &["fail", "error", "unsuccessful", "returns early", "returns immediately", "returns before"];

/// Words of a sentence that say the memory is lost.
const LOST: &[&str] = &["leak", "never free", "not free", "without free", "no free", "lost", "not released", "never released"];

/// How many calls deep the argument is followed.
const DEPTH: usize = 3;

/// Lines of a callee's body read.
const BODY: u32 = 120;

/// The finding, when a leak sentence of the report names a failed call of the project's function
/// and the variable said to leak is one of its arguments, which the function releases itself.
pub(crate) fn consumed_argument(report: &Report, view: &View) -> Result<Option<Finding>, SourceError> {
    if !matches!(report.class, Some(VulnClass::MemoryLeak)) || shows_trace(report) {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    for (report_line, sentence) in prose_sentences(report) {
        let lower = sentence.to_ascii_lowercase();
        if !FAILS.iter().any(|w| lower.contains(w)) || !LOST.iter().any(|w| lower.contains(w)) {
            continue;
        }
        for callee in called_names(&sentence) {
            if callee.len() < 4 || releases(callee) {
                continue;
            }
            let Some(args) = call_args(&sentence, callee) else { continue };
            for (i, arg) in args.iter().enumerate() {
                let Some(var) = plain_variable(arg) else { continue };
                // The variable is named again in the sentence, outside the call: the one said to leak.
                if !contains_identifier(&without_call(&sentence, callee), var) {
                    continue;
                }
                if index.definitions(callee).iter().all(|d| d.kind != DefKind::Function) {
                    continue;
                }
                let Some((loc, chain)) = released_by(view, callee, i, 0)? else { continue };
                return Ok(Some(
                    Finding::new(
                        &rules::TRI_LEAK_OWNED,
                        format!(
                            "the report says `{var}` leaks when `{callee}()` fails, but {callee}() releases that argument itself: it takes the memory over, so the caller has nothing to free"
                        ),
                        chain.join(" → "),
                    )
                    .at(Some(loc))
                    .line(report_line),
                ));
            }
        }
    }
    Ok(None)
}

/// The sentence with the first call of `callee` (name, parentheses and arguments) cut out.
fn without_call(sentence: &str, callee: &str) -> String {
    let Some(start) = sentence.find(&format!("{callee}(")) else { return sentence.to_string() };
    let open = start + callee.len();
    let mut depth = 0i32;
    for (k, c) in sentence[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return format!("{}{}", &sentence[..start], &sentence[open + k + 1..]);
                }
            }
            _ => {}
        }
    }
    sentence[..start].to_string()
}

/// A plain variable passed as an argument (`label`, `TAKE_PTR(label)` is not one).
fn plain_variable(arg: &str) -> Option<&str> {
    let a = arg.trim();
    let ok = !a.is_empty() && a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !a.as_bytes()[0].is_ascii_digit();
    (ok && a.len() >= 2).then_some(a)
}

/// Where the project's function `name` releases its parameter number `index`, directly or through
/// a call it hands the parameter to; with the chain of code lines as evidence.
fn released_by(view: &View, name: &str, index: usize, depth: usize) -> Result<Option<(Location, Vec<String>)>, SourceError> {
    if depth >= DEPTH {
        return Ok(None);
    }
    let code_index = view.snapshot.index()?;
    let defs = code_index.definitions(name);
    let Some(d) = defs.iter().find(|d| d.kind == DefKind::Function && bundled_dependency(&d.path).is_none()) else {
        return Ok(None);
    };
    let Some(text) = view.snapshot.read(&d.path)? else { return Ok(None) };
    let Some(span) = code_index.file(&d.path).and_then(|f| f.function_at(d.line)) else { return Ok(None) };
    let params = parameters(&text, span);
    let Some(param) = params.get(index) else { return Ok(None) };
    let head = format!("{}:{}: {}", d.path, span.name_line, line_of(&text, span.name_line).unwrap_or("").trim());
    let last = span.end_line.min(span.name_line + BODY);
    let mut depth_at = 0i32;
    let mut prev = String::new();
    for n in span.name_line..=last {
        let Some(line) = line_of(&text, n) else { break };
        let t = compact(line);
        // Brace depth before this line: 1 is the function's top level.
        let top = depth_at;
        for c in t.chars() {
            match c {
                '{' => depth_at += 1,
                '}' => depth_at -= 1,
                _ => {}
            }
        }
        // An assignment to the parameter first: what is released later is something else.
        if t.starts_with(&format!("{param}=")) && !t.starts_with(&format!("{param}==")) {
            return Ok(None);
        }
        for c in called_names(line) {
            let Some(args) = call_args(line, c) else { continue };
            let Some(j) = args.iter().position(|a| compact(a) == *param) else { continue };
            if releases(c) && j == 0 {
                let on_failure = failure_test(&t) || failure_test(&prev);
                let unconditional = top == 1 && !t.starts_with("if(") && !prev.starts_with("if(");
                if on_failure || unconditional {
                    let here = format!("{}:{n}: {}", d.path, line.trim());
                    return Ok(Some((Location { path: d.path.clone(), line: n, end_line: None }, vec![head, here])));
                }
                continue;
            }
            if c == name || releases(c) {
                continue;
            }
            if let Some((loc, mut chain)) = released_by(view, c, j, depth + 1)? {
                chain.insert(0, format!("{}:{n}: {}", d.path, line.trim()));
                chain.insert(0, head);
                return Ok(Some((loc, chain)));
            }
        }
        if !t.is_empty() {
            prev = t;
        }
    }
    Ok(None)
}

/// Whether a compacted line tests for a failure: `if(r<0)`, `if(!x)`, `if(x==NULL)`,
/// `if(r==-1)`, `if(r!=0)`.
fn failure_test(t: &str) -> bool {
    let Some(cond) = t.strip_prefix("if(").or_else(|| t.strip_prefix("}elseif(")).or_else(|| t.strip_prefix("elseif(")) else {
        return false;
    };
    cond.contains("<0") || cond.starts_with('!') || cond.contains("==NULL") || cond.contains("==-1") || cond.contains("!=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_tests() {
        for t in ["if(r<0)", "if(!p)", "if(p==NULL)", "if(r==-1)", "if(rc!=0){", "}elseif(r<0)"] {
            assert!(failure_test(t), "{t}");
        }
        for t in ["if(r>=0)", "if(p)", "r=f(x);", "while(r<0)"] {
            assert!(!failure_test(t), "{t}");
        }
    }

    #[test]
    fn calls_cut_out() {
        let s = "If `strv_consume(&labels, label)` fails, `label` leaks";
        assert_eq!(without_call(s, "strv_consume"), "If `` fails, `label` leaks");
        assert_eq!(without_call("f(a, g(b)) and c", "f"), " and c");
    }

    #[test]
    fn plain_variables() {
        assert_eq!(plain_variable(" label "), Some("label"));
        assert_eq!(plain_variable("&labels"), None);
        assert_eq!(plain_variable("TAKE_PTR(label)"), None);
        assert_eq!(plain_variable("0"), None);
    }
}
