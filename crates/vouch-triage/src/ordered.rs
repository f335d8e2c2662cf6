//! Ordered operands: a subtraction the report calls an integer overflow (an underflow, a value
//! that wraps below zero) that only runs where its first operand is at least its second. Four
//! shapes put the operands in order before the cited line, in the same function:
//!
//! - the line is inside `if(a >= b) { … }` (or `while`, or a `for` whose test says so);
//! - it is in the `else` of `if(b > a) { … }`;
//! - an earlier `if(a < b) return …;` (or `goto`, `break`, `continue`) leaves the function;
//! - an earlier `if(b > a) b = a;` clamps one operand to the other.
//!
//! No assignment to either operand may come between the guard and the cited line. Every
//! subtraction of the cited lines must be so guarded and they may do no other arithmetic on
//! variables (adding a constant, as in `to - from + 1`, is allowed), or nothing is said.

use vouch_report::rules;
use vouch_source::SourceError;

use crate::code::{compact, line_of, split_top_level};
use crate::project::View;
use crate::{Finding, Location};

/// How far above a cited line its guard is looked for.
const REACH: u32 = 60;

/// Most cited lines looked at: a longer quote is about more than one subtraction.
const MAX_CITED: u32 = 5;

/// Lines `from` to `to` of the source with comments, literals and directives blanked (a brace in
/// a string or comment opens no block).
fn stripped(text: &str, from: u32, to: u32) -> Vec<String> {
    let lines: Vec<&str> = (from..=to).map(|n| line_of(text, n).unwrap_or("")).collect();
    crate::code::blank_non_code(&lines)
}

/// One token of a line of C, as the subtraction check sees it.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A variable, member chain or element (`to`, `p->len`, `a[i].n`) or `sizeof(…)`.
    Operand(String),
    /// A call (`f(x)`), which may return anything.
    Call,
    Number,
    /// `if`, `return`, … and type names: words that are not operands.
    Word(String),
    Op(&'static str),
    Open(char),
    Close(char),
}

const OPS: &[&str] = &[
    "<<=", ">>=", "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "+",
    "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "?", ":", ",", ";",
];

const KEYWORDS: &[&str] = &["if", "else", "while", "for", "do", "switch", "case", "return", "goto", "break", "continue", "default"];

/// The end of the bracketed group opening at `open` (`(` or `[`), just past its close.
fn group_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn tokens(line: &str) -> Option<Vec<Tok>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let skip = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let word = &line[start..i];
            let next = skip(i);
            if word == "sizeof" {
                let end = if b.get(next) == Some(&b'(') { group_end(b, next)? } else { i };
                out.push(Tok::Operand(compact(&line[start..end])));
                i = end;
            } else if KEYWORDS.contains(&word) {
                out.push(Tok::Word(word.to_string()));
            } else if b.get(next) == Some(&b'(') {
                out.push(Tok::Call);
                i = group_end(b, next)?;
            } else {
                // Members and elements: `p->len`, `s.n`, `a[i]`.
                loop {
                    let k = skip(i);
                    if line[k..].starts_with("->") || b.get(k) == Some(&b'.') {
                        let mut m = skip(k + if b[k] == b'.' { 1 } else { 2 });
                        if !(m < b.len() && (b[m].is_ascii_alphabetic() || b[m] == b'_')) {
                            return None;
                        }
                        while m < b.len() && (b[m].is_ascii_alphanumeric() || b[m] == b'_') {
                            m += 1;
                        }
                        i = m;
                    } else if b.get(k) == Some(&b'[') {
                        i = group_end(b, k)?;
                    } else {
                        break;
                    }
                }
                let text = compact(&line[start..i]);
                // A word followed by a word is a type (`size_t n`): the word that follows is
                // the operand.
                if let Some(Tok::Operand(prev)) = out.last() {
                    if !prev.contains(['-', '.', '[', '(']) {
                        let prev = prev.clone();
                        out.pop();
                        out.push(Tok::Word(prev));
                    }
                }
                out.push(Tok::Operand(text));
            }
        } else if c.is_ascii_digit() {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                i += 1;
            }
            out.push(Tok::Number);
        } else if c == b'(' || c == b'[' || c == b'{' {
            out.push(Tok::Open(c as char));
            i += 1;
        } else if c == b')' || c == b']' || c == b'}' {
            out.push(Tok::Close(c as char));
            i += 1;
        } else {
            let op = OPS.iter().find(|o| line[i..].starts_with(**o))?;
            out.push(Tok::Op(op));
            i += op.len();
        }
    }
    Some(out)
}

fn is_value(t: Option<&Tok>) -> bool {
    matches!(t, Some(Tok::Operand(_) | Tok::Call | Tok::Number | Tok::Close(')' | ']')))
}

/// The subtractions `a - b` of a line of code, as (a, b), when they are its only arithmetic on
/// variables; None when the line does other arithmetic, is a condition, or cannot be read.
fn subtractions(line: &str) -> Option<Vec<(String, String)>> {
    let toks = tokens(line)?;
    if let Some(Tok::Word(w)) = toks.first() {
        if matches!(w.as_str(), "if" | "while" | "for" | "switch" | "case") {
            return None;
        }
    }
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Tok::Op(op) = t else { continue };
        let prev = i.checked_sub(1).and_then(|p| toks.get(p));
        let next = toks.get(i + 1);
        match *op {
            "-" if is_value(prev) => {
                let (Some(Tok::Operand(a)), Some(Tok::Operand(b))) = (prev, next) else {
                    // `x - 1` changes nothing the check speaks of; anything else is arithmetic
                    // it cannot follow.
                    if matches!(next, Some(Tok::Number)) && matches!(prev, Some(Tok::Operand(_))) {
                        continue;
                    }
                    return None;
                };
                // The left operand starts the expression (`= a - b`, `(a - b`, `return a - b`),
                // and nothing binding tighter follows the right one.
                let before = i.checked_sub(2).and_then(|p| toks.get(p));
                let starts = match before {
                    None => true,
                    Some(Tok::Op(o)) => matches!(*o, "=" | "," | "?" | ":" | "-"),
                    Some(Tok::Open('(' | '[')) => true,
                    Some(Tok::Word(w)) => w == "return",
                    _ => false,
                };
                let after = toks.get(i + 2);
                let ends = match after {
                    None => true,
                    Some(Tok::Op(o)) => matches!(*o, ";" | "," | "+" | "-" | "?" | ":" | "<" | ">" | "<=" | ">=" | "==" | "!="),
                    Some(Tok::Close(_)) => true,
                    _ => false,
                };
                // `c - a - b`: the second subtraction is `(c - a) - b`, not `a - b`.
                if !starts || !ends || matches!(before, Some(Tok::Op("-"))) {
                    return None;
                }
                out.push((a.clone(), b.clone()));
            }
            // Only a constant may be added to the result (`to - from + 1`).
            "+" if is_value(prev) && !matches!(next, Some(Tok::Number)) => return None,
            "-=" => {
                let (Some(Tok::Operand(a)), Some(Tok::Operand(b))) = (prev, next) else { return None };
                if !matches!(toks.get(i + 2), Some(Tok::Op(";")) | None) {
                    return None;
                }
                out.push((a.clone(), b.clone()));
            }
            "*" if is_value(prev) => return None,
            "+=" | "*=" | "<<=" | "<<" | "++" | "--" => return None,
            _ => {}
        }
    }
    Some(out)
}

/// `(size_t)x`, `((x))` → `x`: an operand as compared.
fn operand(s: &str) -> String {
    let mut s = compact(s);
    loop {
        if s.starts_with('(') && group_end(s.as_bytes(), 0) == Some(s.len()) {
            s = s[1..s.len() - 1].to_string();
            continue;
        }
        // A cast: a parenthesised type name before the value.
        if s.starts_with('(') {
            if let Some(end) = group_end(s.as_bytes(), 0) {
                let inner = &s[1..end - 1];
                if !inner.is_empty() && end < s.len() && inner.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'*') {
                    s = s[end..].to_string();
                    continue;
                }
            }
        }
        return s;
    }
}

/// The parts of a condition joined at its top level by `sep` (`&&` or `||`); None when the other
/// one joins at the top level too.
fn top_level<'c>(cond: &'c str, sep: &str) -> Option<Vec<&'c str>> {
    let other = if sep == "&&" { "||" } else { "&&" };
    let parts = split_top_level(cond, sep);
    parts.iter().all(|p| split_top_level(p, other).len() == 1).then_some(parts)
}

/// A comparison `L op R` (op one of `<`, `<=`, `>`, `>=`) at the top level of a condition.
fn comparison(atom: &str) -> Option<(String, &'static str, String)> {
    let atom = operand(atom);
    let b = atom.as_bytes();
    let mut depth = 0i32;
    let mut found = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            b'-' if b.get(i + 1) == Some(&b'>') => {
                i += 2;
                continue;
            }
            b'<' | b'>' if depth == 0 => {
                if b.get(i + 1) == Some(&c) {
                    return None;
                }
                if found.is_some() {
                    return None;
                }
                let eq = b.get(i + 1) == Some(&b'=');
                let op = match (c, eq) {
                    (b'<', false) => "<",
                    (b'<', true) => "<=",
                    (b'>', false) => ">",
                    _ => ">=",
                };
                found = Some((i, op));
                i += op.len();
                continue;
            }
            b'=' | b'!' if depth == 0 && b.get(i + 1) == Some(&b'=') => return None,
            b'&' | b'|' | b'?' if depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    let (at, op) = found?;
    Some((operand(&atom[..at]), op, operand(&atom[at + op.len()..])))
}

/// Whether `L op R` says a >= b.
fn orders(c: &(String, &str, String), a: &str, b: &str) -> bool {
    let (l, op, r) = (c.0.as_str(), c.1, c.2.as_str());
    l == a && r == b && matches!(op, ">" | ">=") || l == b && r == a && matches!(op, "<" | "<=")
}

/// Whether the condition, when true, says a >= b: one of its `&&` parts does.
fn holds(cond: &str, a: &str, b: &str) -> bool {
    top_level(cond, "&&").is_some_and(|parts| parts.iter().filter_map(|p| comparison(p)).any(|c| orders(&c, a, b)))
}

/// Whether the condition, when false, says a >= b: one of its `||` parts is a < b (or b > a).
fn fails(cond: &str, a: &str, b: &str) -> bool {
    // `a < b`, `a <= b`, `b > a`, `b >= a` false: a >= b.
    top_level(cond, "||").is_some_and(|parts| parts.iter().filter_map(|p| comparison(p)).any(|c| orders(&c, b, a)))
}

/// Whether a line assigns `name` (`name =`, `name +=`, `name++`, `--name`, `&name` passed on).
fn assigns(line: &str, name: &str) -> bool {
    let flat = compact(line);
    let mut from = 0;
    while let Some(p) = flat[from..].find(name) {
        let s = from + p;
        let e = s + name.len();
        from = e;
        let before = flat[..s].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') || flat[..s].ends_with("->") {
            continue;
        }
        let rest = &flat[e..];
        if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') || rest.starts_with("->") || rest.starts_with('.') {
            continue;
        }
        let written = rest.starts_with('=') && !rest.starts_with("==")
            || ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--"].iter().any(|o| rest.starts_with(o))
            || flat[..s].ends_with("++")
            || flat[..s].ends_with("--")
            || flat[..s].ends_with('&') && !flat[..s].ends_with("&&");
        if written {
            return true;
        }
    }
    false
}

/// The condition of the `if`/`while`/`for` that a compacted head starts with: its parentheses'
/// contents (a `for` gives its test).
fn head_condition(head: &str) -> Option<(&'static str, String)> {
    let h = head.trim_start_matches('}');
    let (kw, rest) =
        ["elseif", "if", "while", "for"].iter().find_map(|k| h.strip_prefix(k).filter(|r| r.starts_with('(')).map(|r| (*k, r)))?;
    let end = group_end(rest.as_bytes(), 0)?;
    let inner = &rest[1..end - 1];
    if kw == "for" {
        let mut parts = inner.split(';');
        let (_, test) = (parts.next()?, parts.next()?);
        return Some((kw, test.to_string()));
    }
    Some((kw, inner.to_string()))
}

/// Where the guard of one subtraction was found.
struct Guard {
    line: u32,
    code: String,
    how: &'static str,
}

/// The lines [from, to] of the function around `n`, stripped, with `n`'s index.
struct Lines {
    base: u32,
    lines: Vec<String>,
}

impl Lines {
    fn get(&self, n: u32) -> &str {
        n.checked_sub(self.base).and_then(|k| self.lines.get(k as usize)).map_or("", |s| s.as_str())
    }
    /// The text of an `if`/`while`/`for` head that the opener at (n, col) closes: what precedes
    /// the brace, with up to three lines above when the condition spans lines.
    fn head(&self, n: u32, col: usize) -> (u32, String) {
        let mut text = self.get(n)[..col].to_string();
        let mut at = n;
        while at > self.base && n - at < 4 {
            let flat = compact(&text);
            let f = flat.trim_start_matches('}');
            if ["if(", "elseif(", "while(", "for(", "else", "do", "switch("].iter().any(|k| f.starts_with(k)) || flat.ends_with(';') {
                break;
            }
            at -= 1;
            text = format!("{} {}", self.get(at), text);
        }
        (at, compact(&text))
    }
    /// The `if` statement starting on line `n`: its condition, whether its body ends by leaving
    /// (return, goto, break, continue), the body's statements, and the body's last line.
    fn if_statement(&self, n: u32, last: u32) -> Option<(String, bool, String, u32)> {
        let mut joined = String::new();
        let mut ends = Vec::new();
        for k in n..=last {
            joined.push_str(self.get(k));
            joined.push(' ');
            ends.push(joined.len());
        }
        let line_at = |pos: usize| n + ends.iter().position(|&e| pos < e).unwrap_or(ends.len()) as u32;
        let t = joined.trim_start();
        let off = joined.len() - t.len();
        let rest = t.strip_prefix("if")?;
        let open = off + 2 + (rest.len() - rest.trim_start().len());
        if joined.as_bytes().get(open) != Some(&b'(') {
            return None;
        }
        let close = group_end(joined.as_bytes(), open)?;
        let cond = compact(&joined[open + 1..close - 1]);
        let after = close + (joined[close..].len() - joined[close..].trim_start().len());
        let (body, end) = if joined[after..].starts_with('{') {
            let mut depth = 0;
            let mut end = None;
            for (i, c) in joined[after..].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(after + i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let end = end?;
            (joined[after + 1..end].to_string(), end)
        } else {
            let end = after + joined[after..].find(';')?;
            (joined[after..=end].to_string(), end)
        };
        let statements: Vec<&str> = body.split(';').map(str::trim).filter(|s| !s.is_empty()).collect();
        let leaves = statements.last().is_some_and(|s| {
            let s = s.trim_start_matches(['{', '}', ' ', '\t', '\n']);
            let word: String = s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            matches!(word.as_str(), "return" | "goto" | "break" | "continue")
        });
        let statements: Vec<String> = statements.iter().map(|s| compact(s)).collect();
        Some((cond, leaves, statements.join(";"), line_at(end)))
    }
}

/// The guard that orders `a` before `b` (a >= b) for line `n`.
fn guard(lines: &Lines, n: u32, a: &str, b: &str) -> Option<Guard> {
    // The cited line as the single statement of a braceless `if(…)` or `else` above it.
    let above = (lines.base..n).rev().find(|k| !lines.get(*k).trim().is_empty())?;
    let flat = compact(lines.get(above));
    if let Some((kw, cond)) = head_condition(&flat).filter(|_| !flat.ends_with(';') && !flat.ends_with('{') && !flat.ends_with('}')) {
        if holds(&cond, a, b) {
            return Some(Guard { line: above, code: flat.clone(), how: if kw == "for" { "inside the loop" } else { "inside" } });
        }
    }
    if matches!(flat.as_str(), "else" | "}else") {
        let text = lines.get(above).to_string();
        if let Some((g, cond)) = then_of(lines, above, &text, text.len()).filter(|(_, c)| fails(c, a, b)) {
            return Some(Guard { line: g, code: format!("if({cond})"), how: "in the else of" });
        }
    }
    let mut depth = 0i32;
    let mut writes: Vec<u32> = Vec::new();
    let mut k = n;
    while k > lines.base {
        k -= 1;
        let line = lines.get(k).to_string();
        if assigns(&line, a) || assigns(&line, b) {
            writes.push(k);
        }
        let bytes = line.as_bytes();
        for col in (0..bytes.len()).rev() {
            match bytes[col] {
                b'}' => depth += 1,
                b'{' if depth > 0 => depth -= 1,
                b'{' => {
                    // A block the line is inside: its head.
                    let (at, head) = lines.head(k, col);
                    // Writes after the head (the head itself may set a loop's counter).
                    let before_head = |w: &u32| *w <= k;
                    if let Some((kw, cond)) = head_condition(&head) {
                        if holds(&cond, a, b) {
                            if writes.iter().all(before_head) {
                                return Some(Guard { line: at, code: head, how: if kw == "for" { "inside the loop" } else { "inside" } });
                            }
                            return None;
                        }
                    } else if head.trim_start_matches('}').starts_with("else") && !head.trim_start_matches('}').starts_with("elseif") {
                        // The `if` whose `else` this is: the block closed just before `else`.
                        let (else_line, else_col) =
                            if at == k { (line.clone(), col) } else { (lines.get(at).to_string(), lines.get(at).len()) };
                        if let Some((g, cond)) = then_of(lines, at, &else_line, else_col) {
                            if fails(&cond, a, b) {
                                if writes.iter().all(before_head) {
                                    return Some(Guard { line: g, code: format!("if({cond})"), how: "in the else of" });
                                }
                                return None;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        // A statement at the level of the cited line: an `if` that leaves, or clamps.
        if depth == 0 && compact(&line).starts_with("if(") {
            if let Some((cond, leaves, body, end)) = lines.if_statement(k, n - 1) {
                if end < n {
                    let within = |w: &u32| *w >= k && *w <= end;
                    if leaves && fails(&cond, a, b) && writes.iter().all(within) {
                        return Some(Guard { line: k, code: format!("if({cond})"), how: "after" });
                    }
                    let clamp = body == format!("{b}={a}") || body == format!("{a}={b}");
                    if clamp && holds(&cond, b, a) && writes.iter().all(within) {
                        return Some(Guard { line: k, code: format!("if({cond}) {body};"), how: "after the clamp" });
                    }
                }
            }
        }
    }
    None
}

/// The condition and line of the `if` whose then-block closes just before the `else` that
/// opens at (k, col); `else_line` is line k's text.
fn then_of(lines: &Lines, k: u32, else_line: &str, col: usize) -> Option<(u32, String)> {
    // The `}` before `else`, on the same line or the lines above.
    let before = else_line[..col].trim_end();
    let before = before.strip_suffix("else")?.trim_end();
    let (mut n, mut text) = if before.is_empty() {
        let mut m = k;
        loop {
            m = m.checked_sub(1).filter(|m| *m >= lines.base)?;
            let t = lines.get(m).trim_end();
            if !t.is_empty() {
                break (m, t.to_string());
            }
        }
    } else {
        (k, before.to_string())
    };
    if !text.ends_with('}') {
        return None;
    }
    text.pop();
    let mut depth = 1;
    loop {
        for col in (0..text.len()).rev() {
            match text.as_bytes()[col] {
                b'}' => depth += 1,
                b'{' => {
                    depth -= 1;
                    if depth == 0 {
                        let (at, head) = lines.head(n, col);
                        let (kw, cond) = head_condition(&head)?;
                        return matches!(kw, "if" | "elseif").then_some((at, cond));
                    }
                }
                _ => {}
            }
        }
        n = n.checked_sub(1).filter(|m| *m >= lines.base)?;
        text = lines.get(n).to_string();
    }
}

/// The finding for cited lines whose every subtraction only runs with its operands in order.
pub(crate) fn ordered_subtraction(view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    let index = view.snapshot.index()?;
    let mut found: Vec<(String, u32, String, String, String, Guard)> = Vec::new();
    for l in focus {
        let Some(text) = view.snapshot.read(&l.path)? else { return Ok(None) };
        let end = l.end_line.unwrap_or(l.line).max(l.line);
        if end - l.line >= MAX_CITED {
            return Ok(None);
        }
        let start =
            index.file(&l.path).and_then(|f| f.function_at(l.line)).map_or(1, |f| f.start_line).max(l.line.saturating_sub(REACH)).max(1);
        let lines = Lines { base: start, lines: stripped(&text, start, end) };
        for n in l.line..=end {
            let code = lines.get(n).trim().to_string();
            if code.is_empty() {
                continue;
            }
            let Some(subs) = subtractions(&code) else { return Ok(None) };
            for (a, b) in subs {
                let (a, b) = (operand(&a), operand(&b));
                let Some(g) = guard(&lines, n, &a, &b) else { return Ok(None) };
                found.push((l.path.clone(), n, code.clone(), a, b, g));
            }
        }
    }
    let Some((path, n, code, a, b, g)) = found.into_iter().next() else { return Ok(None) };
    Ok(Some(
        Finding::new(
            &rules::TRI_GUARDED_ARITHMETIC,
            format!(
                "the subtraction {a} - {b} at {path}:{n} only runs {} `{}` (line {}), where {a} >= {b}: it cannot go below zero",
                g.how, g.code, g.line
            ),
            format!("{}: {} | {n}: {code}", g.line, g.code),
        )
        .at(Some(Location { path, line: g.line, end_line: Some(n) })),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(src: &str) -> Lines {
        let n = src.lines().count() as u32;
        Lines { base: 1, lines: stripped(src, 1, n) }
    }

    /// The guard of the subtraction on the last line of `src`, as (line, how).
    fn guarded(src: &str) -> Option<(u32, &'static str)> {
        let l = lines(src);
        let n = src.lines().count() as u32;
        let subs = subtractions(l.get(n).trim())?;
        let (a, b) = subs.first()?.clone();
        guard(&l, n, &operand(&a), &operand(&b)).map(|g| (g.line, g.how))
    }

    #[test]
    fn subtractions_of_a_line() {
        assert_eq!(subtractions("size = to - from + 1;"), Some(vec![("to".into(), "from".into())]));
        assert_eq!(subtractions("len -= hdr->size;"), Some(vec![("len".into(), "hdr->size".into())]));
        assert_eq!(subtractions("return end - p;"), Some(vec![("end".into(), "p".into())]));
        assert_eq!(subtractions("n = len - sizeof(struct hdr);"), Some(vec![("len".into(), "sizeof(structhdr)".into())]));
        assert_eq!(subtractions("x = a * b - c;"), None, "a product");
        assert_eq!(subtractions("x = c - a - b;"), None, "a chain");
        assert_eq!(subtractions("x = a - f(b);"), None, "a call's value");
        assert_eq!(subtractions("x = a + b;"), None, "an addition of variables");
        assert_eq!(subtractions("if(a - b > 3)"), None, "a condition");
        assert_eq!(subtractions("x = n - 1;"), Some(vec![]), "a constant");
        assert_eq!(subtractions("size_t left = total - used;"), Some(vec![("total".into(), "used".into())]));
    }

    #[test]
    fn conditions_that_order_two_operands() {
        assert!(holds("a>=b", "a", "b"));
        assert!(holds("b<a&&x", "a", "b"));
        assert!(!holds("a>=b||x", "a", "b"), "a disjunction says nothing");
        assert!(!holds("a<=b", "a", "b"));
        assert!(fails("from>to", "to", "from"));
        assert!(fails("x||(size_t)a<b", "a", "b"));
        assert!(!fails("a<b&&x", "a", "b"), "a conjunction false says nothing of its parts");
        assert!(fails("a<=b", "a", "b"));
        assert!(!fails("a>b", "a", "b"));
        assert!(!holds("p->a>b", "a", "b"), "another operand");
        assert!(!holds("a>>b", "a", "b"), "a shift");
    }

    #[test]
    fn the_else_of_a_reversed_test() {
        let src = "int f(long to, long from) {\n  long size;\n  if(from > to) {\n    from = to;\n    size = 0;\n  }\n  else {\n    size = to - from + 1;";
        assert_eq!(guarded(src), Some((3, "in the else of")));
        let same_line = "int f(long to, long from) {\n  if(from > to) {\n    size = 0;\n  } else {\n    size = to - from + 1;";
        assert_eq!(guarded(same_line), Some((2, "in the else of")));
        let braceless = "int f(long to, long from) {\n  if(from > to) {\n    size = 0;\n  }\n  else\n    size = to - from + 1;";
        assert_eq!(guarded(braceless), Some((2, "in the else of")));
        let single = "int f(size_t len, size_t used) {\n  if(len > used)\n    left = len - used;";
        assert_eq!(guarded(single), Some((2, "inside")));
        let other = "int f(long to, long from) {\n  if(from > 3) {\n    size = 0;\n  } else {\n    size = to - from + 1;";
        assert_eq!(guarded(other), None, "a test of something else");
    }

    #[test]
    fn inside_an_ordered_test_or_after_an_exit() {
        let inside = "int f(size_t len) {\n  if(len >= sizeof(struct hdr) && ok) {\n    n = 2;\n    rest = len - sizeof(struct hdr);";
        assert_eq!(guarded(inside), Some((2, "inside")));
        let exit = "int f(size_t len, size_t used) {\n  if(len < used)\n    return -1;\n  left = len - used;";
        assert_eq!(guarded(exit), Some((2, "after")));
        let block =
            "int f(size_t len, size_t used) {\n  if(used > len || !len) {\n    log(\"{\");\n    goto fail;\n  }\n  left = len - used;";
        assert_eq!(guarded(block), Some((2, "after")));
        let clamp = "int f(size_t len, size_t used) {\n  if(used > len)\n    used = len;\n  left = len - used;";
        assert_eq!(guarded(clamp), Some((2, "after the clamp")));
        let loop_ = "int f(size_t n) {\n  for(i = 0; i < n; i++) {\n    left = n - i;";
        assert_eq!(guarded(loop_), Some((2, "inside the loop")));
    }

    #[test]
    fn no_guard_when_an_operand_changes_after_it_or_the_test_does_not_leave() {
        let changed = "int f(size_t len, size_t used) {\n  if(len < used)\n    return -1;\n  used += extra;\n  left = len - used;";
        assert_eq!(guarded(changed), None);
        let stays = "int f(size_t len, size_t used) {\n  if(len < used)\n    warn();\n  left = len - used;";
        assert_eq!(guarded(stays), None);
        let inner = "int f(size_t len, size_t used) {\n  if(len >= used) {\n    used = more();\n    left = len - used;";
        assert_eq!(guarded(inner), None);
        let closed = "int f(size_t len, size_t used) {\n  if(len >= used) {\n    x = 1;\n  }\n  left = len - used;";
        assert_eq!(guarded(closed), None, "a block already closed guards nothing after it");
    }
    #[test]
    fn arbitrary_text_never_panics() {
        // Source text is the project's and may be anything: brackets that never close, a `->` at
        // the end of a line, quotes left open, bytes that are not ASCII.
        const ALPHABET: &[&str] = &[
            "a", "b", " ", "(", ")", "[", "]", "{", "}", "<", ">", "=", "-", "+", "*", ";", ",", ".", "&", "|", "!", "?", ":", "\"", "'",
            "/", "\\", "0", "1", "\n", "_", "->", "if", "else", "for", "return", "sizeof", "é",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..4000 {
            let mut src = String::from("int f(void) {\n");
            for _ in 0..60 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                src.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
            }
            src.push_str("\nx = a - b;");
            let l = lines(&src);
            let n = src.lines().count() as u32;
            for k in 1..=n {
                let code = l.get(k).to_string();
                let _ = subtractions(&code);
                let _ = comparison(&code);
                let _ = head_condition(&compact(&code));
                let _ = assigns(&code, "a");
                let _ = l.if_statement(k, n);
            }
            let _ = guard(&l, n, "a", "b");
        }
    }
}
