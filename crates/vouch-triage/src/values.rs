//! Value ranges followed across the project: a structure member the report says grows until
//! arithmetic on it wraps, when every write of that member anywhere in the project keeps it small
//! (a progress counter set to 150 and brought back under 200 after each step).

use std::collections::HashSet;

use vouch_claims::{BlockKind, Report};
use vouch_report::rules;
use vouch_source::SourceError;

use crate::code::{compact, identifiers, line_of};
use crate::meaning::code_before_comment;
use crate::project::View;
use crate::{Finding, Location};

/// Most lines mentioning a member's name that are read: a name that common is written in too many
/// ways to follow.
const MAX_MENTIONS: usize = 400;

/// The largest value the arithmetic may reach for the check to speak: far below the limit of any
/// integer type a counter is kept in (16-bit ones included).
const SMALL: u64 = 1 << 15;

/// Lines writing a member: (path, line, the code).
type Writes = Vec<(String, u32, String)>;

/// What one write does to a member.
#[derive(Debug, PartialEq)]
enum Write {
    /// The member is set to at most this value.
    AtMost(u64),
    /// Increased by this much; safe only when brought back under a limit right after.
    Grows(u64),
    /// Decreased by this much; safe only behind a test that it is at least that large (an
    /// unsigned member would wrap).
    Shrinks(u64),
    /// Anything else: an assignment from an expression, its address taken, a multiplication.
    Unknown,
}

/// The lines the report cites, each place's first 41: (the place, the line's number, its code).
fn cited_lines<'l>(view: &View, focus: &[&'l Location]) -> Result<Vec<(&'l Location, u32, String)>, SourceError> {
    let mut out = Vec::new();
    for l in focus {
        let Some(text) = view.snapshot.read(&l.path)? else { continue };
        let end = l.end_line.unwrap_or(l.line).max(l.line).min(l.line + 40);
        for n in l.line..=end {
            let Some(code) = line_of(&text, n) else { break };
            out.push((*l, n, code.to_string()));
        }
    }
    Ok(out)
}

/// A member (`bar->tick`) of arithmetic on the cited lines (`bar->tick + 15`) in a report saying
/// it overflows, that every write of that member in the project keeps small. The member must be
/// named in the report's prose, so the finding answers the value the report argues about.
pub(crate) fn bounded_member(report: &Report, view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    let named: HashSet<&str> = report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).flat_map(|b| identifiers(&b.text)).collect();
    // Each member's writes are followed once, whatever arithmetic the lines do on it.
    let mut bounds: std::collections::HashMap<String, Option<(u64, Writes)>> = std::collections::HashMap::new();
    for (l, n, code) in cited_lines(view, focus)? {
        for (access, member, op, k) in member_arithmetic(&code) {
            if !named.contains(member.as_str()) {
                continue;
            }
            if !bounds.contains_key(&member) {
                bounds.insert(member.clone(), member_bound(view, &member)?);
            }
            let Some((most, writes)) = bounds[&member].as_ref() else { continue };
            let most = *most;
            let reached = if op == '+' { most.saturating_add(k) } else { most.saturating_mul(k) };
            if reached >= SMALL {
                continue;
            }
            let places: Vec<String> = writes.iter().take(4).map(|(p, line, _)| format!("{p}:{line}")).collect();
            let evidence: Vec<String> = writes.iter().take(6).map(|(p, line, code)| format!("{p}:{line}: {code}")).collect();
            let message = format!(
                "every write of the member {member} in the project keeps it at most {most} ({}{}), so {access} {op} {k} at {}:{n} is at most {reached}: it cannot wrap",
                places.join(", "),
                if writes.len() > 4 { ", ..." } else { "" },
                l.path
            );
            let at = writes.first().map(|(p, line, _)| Location { path: p.clone(), line: *line, end_line: None });
            return Ok(Some(Finding::new(&rules::TRI_BOUNDED_VALUE, message, evidence.join(" | ")).at(at)));
        }
    }
    Ok(None)
}

/// A use after free of the memory a member points at (`strcpy(data->set.errorbuffer, error)` on
/// the cited lines), when no code of the project releases that member and every value the project
/// stores in it is a pointer its caller passed in (`s->errorbuffer = ptr;` in a function taking
/// `ptr`) or NULL: the memory is the caller's, so only the caller can have freed it. A report that
/// shows a sanitizer's trace reaching the project is left to that trace.
pub(crate) fn borrowed_member(report: &Report, view: &View, focus: &[&Location]) -> Result<Option<Finding>, SourceError> {
    if crate::meaning::shows_trace(report) {
        return Ok(None);
    }
    let text_of_report = crate::meaning::whole_text(report);
    let mut tried: HashSet<String> = HashSet::new();
    for (l, n, code) in cited_lines(view, focus)? {
        for (access, member) in memory_members(&code) {
            if !crate::policy::contains_identifier(&text_of_report, &member) || !tried.insert(member.clone()) {
                continue;
            }
            let Some(stores) = borrowed_stores(view, &member, component(&l.path))? else { continue };
            let (path, line, _) = &stores[0];
            let message = format!(
                "no code of the project frees {access}: every value it stores in the member {member} is a pointer its caller passed in ({path}:{line}){}, so memory freed under it at {}:{n} was freed by its owner, the caller",
                if stores.len() > 1 { format!(" or NULL, in {} places", stores.len()) } else { String::new() },
                l.path
            );
            let evidence: Vec<String> = stores.iter().take(4).map(|(p, line, code)| format!("{p}:{line}: {code}")).collect();
            return Ok(Some(Finding::new(&rules::TRI_BORROWED_MEMORY, message, evidence.join(" | ")).at(Some(Location {
                path: path.clone(),
                line: *line,
                end_line: None,
            }))));
        }
    }
    Ok(None)
}

/// An overflow whose input must be longer than the project accepts: the report's prose says the
/// input exceeds a size ("longer than 2GB"), its prose names an input a limit of the policy covers
/// (`[[triage.input_limits]]`) and its text none the limit leaves out (anywhere, in any case), its input does not come from a
/// server, the network or a file, and the macro holding the limit is defined, with a smaller
/// value, in the code checked.
pub(crate) fn capped_input(report: &Report, view: &View, policy: &crate::policy::Policy) -> Result<Option<Finding>, SourceError> {
    use vouch_claims::InputSource;
    if policy.input_limits.is_empty()
        || report.inputs.iter().any(|i| matches!(i, InputSource::Network | InputSource::Server | InputSource::File))
    {
        return Ok(None);
    }
    let Some((needed, line, phrase)) = needed_input(report) else { return Ok(None) };
    let prose: String =
        report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).map(|b| b.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
    let whole = crate::meaning::whole_text(report).to_ascii_lowercase();
    let index = view.snapshot.index()?;
    for limit in &policy.input_limits {
        let names = |w: &String| crate::policy::contains_identifier(&prose, &w.to_ascii_lowercase());
        if !limit.inputs.iter().any(names) || limit.except.iter().any(|w| whole.contains(&w.to_ascii_lowercase())) {
            continue;
        }
        let Some(def) = index.definitions(&limit.macro_name).iter().find(|d| matches!(d.kind, vouch_source::DefKind::Macro)) else {
            continue;
        };
        let Some(text) = view.snapshot.read(&def.path)? else { continue };
        let Some(code) = line_of(&text, def.line) else { continue };
        let Some(value) = macro_value(code, &limit.macro_name) else { continue };
        if needed <= value {
            continue;
        }
        let source = limit.source.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
        let message = format!(
            "the report's overflow needs an input longer than {} (report line {line}: \"{phrase}\"), but {}{source}: {} is {value} bytes at {}:{}",
            human_size(needed),
            limit.fact,
            limit.macro_name,
            def.path,
            def.line
        );
        return Ok(Some(
            Finding::new(&rules::TRI_INPUT_CAPPED, message, format!("{}:{}: {}", def.path, def.line, code.trim()))
                .at(Some(Location { path: def.path.clone(), line: def.line, end_line: None }))
                .line(line),
        ));
    }
    Ok(None)
}

/// The smallest input size a sentence of the report's prose says the problem needs ("longer than
/// 2GB", "more than 2^31 bytes"), with the sentence's line and the words that say it. Sentences
/// about memory ("needs 32TB of memory") measure something else.
fn needed_input(report: &Report) -> Option<(u64, usize, String)> {
    const LENGTH_WORDS: &[&str] = &["long", "length", "larger", "bigger", "exceed", "more than", "over ", "input", "string", "size"];
    let mut best: Option<(u64, usize, String)> = None;
    for (line, sentence) in crate::meaning::prose_sentences(report) {
        let lower = sentence.to_ascii_lowercase();
        if !LENGTH_WORDS.iter().any(|w| lower.contains(w)) || lower.contains("memory") || lower.contains(" ram") {
            continue;
        }
        for (at, bytes) in sizes_in(&lower) {
            if best.as_ref().is_none_or(|b| bytes < b.0) {
                // From a word start some forty characters before the size.
                let from = lower[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| lower[i..at].find(' ').map_or(i, |s| i + s + 1));
                let to = lower[at..].char_indices().nth(20).map_or(lower.len(), |(i, _)| at + i);
                best = Some((bytes, line, sentence[from..to].trim().to_string()));
            }
        }
    }
    best
}

/// Sizes written in a text: a number with a unit (`2GB`, `4 gigabytes`, `1.5 TiB`) or a power of
/// two (`2^32`, `2**31`), each with where it starts. Sizes under a megabyte are not inputs anyone
/// would call too long for a limit.
fn sizes_in(lower: &str) -> Vec<(usize, u64)> {
    const UNITS: &[(&str, u64)] = &[
        ("terabytes", 1 << 40),
        ("terabyte", 1 << 40),
        ("gigabytes", 1 << 30),
        ("gigabyte", 1 << 30),
        ("megabytes", 1 << 20),
        ("megabyte", 1 << 20),
        ("tib", 1 << 40),
        ("tb", 1 << 40),
        ("gib", 1 << 30),
        ("gb", 1 << 30),
        ("mib", 1 << 20),
        ("mb", 1 << 20),
    ];
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.') {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i += 1;
        }
        let number: f64 = lower[start..i].parse().unwrap_or(0.0);
        let rest = &lower[i..];
        // `2^32`, `2**31`: a power of two.
        if &lower[start..i] == "2" {
            if let Some(p) = rest.strip_prefix('^').or_else(|| rest.strip_prefix("**")) {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(e) = digits.parse::<u32>() {
                    if (20..64).contains(&e) {
                        out.push((start, 1u64 << e));
                    }
                }
                continue;
            }
        }
        let unit_text = rest.trim_start_matches([' ', '-']);
        for (unit, mult) in UNITS {
            if unit_text.starts_with(unit) && !unit_text[unit.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                let bytes = number * *mult as f64;
                if bytes >= (1u64 << 20) as f64 && bytes < u64::MAX as f64 {
                    out.push((start, bytes as u64));
                }
                break;
            }
        }
    }
    out
}

/// The value of `#define NAME 8000000` or `#define NAME (10 * 1024 * 1024)`: a product of
/// integer literals, perhaps in parentheses.
pub(crate) fn macro_value(line: &str, name: &str) -> Option<u64> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start().strip_prefix("define")?.trim_start().strip_prefix(name)?;
    if rest.starts_with('(') {
        return None; // a function-like macro
    }
    let value = compact(code_before_comment(rest));
    let value = value.trim_start_matches('(').trim_end_matches(')');
    let mut product: u64 = 1;
    for factor in value.split('*') {
        let factor = factor.trim_start_matches('(').trim_end_matches(')');
        let digits = factor.trim_end_matches(['u', 'U', 'l', 'L']);
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        product = product.checked_mul(digits.parse().ok()?)?;
    }
    Some(product)
}

/// A byte count in the largest binary unit it fills (`2 GiB`).
fn human_size(bytes: u64) -> String {
    for (unit, size) in [("TiB", 1u64 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)] {
        if bytes >= size {
            let v = bytes as f64 / size as f64;
            return if v.fract() == 0.0 { format!("{v:.0} {unit}") } else { format!("{v:.1} {unit}") };
        }
    }
    format!("{bytes} bytes")
}

/// Members whose memory a line uses: a member chain passed whole to a call (`strcpy(data->set.errorbuffer, e)`)
/// or indexed (`s->buf[0] = 0`): (the access as written, the member).
fn memory_members(line: &str) -> Vec<(String, String)> {
    let flat = compact(code_before_comment(line));
    let mut out: Vec<(String, String)> = Vec::new();
    let mut push = |expr: &str| {
        let expr = expr.trim_start_matches('(').trim_end_matches(')');
        let expr = expr.rsplit(')').next().unwrap_or(expr);
        if !(expr.contains("->") || expr.contains('.')) || !chain(expr) {
            return;
        }
        let Some(member) = identifiers(expr).last().map(|m| m.to_string()) else { return };
        if !expr.ends_with(member.as_str()) || out.iter().any(|(_, m)| *m == member) {
            return;
        }
        out.push((expr.to_string(), member));
    };
    for name in crate::code::called_names(&flat) {
        if matches!(name, "sizeof" | "if" | "while" | "for" | "return") {
            continue;
        }
        for arg in crate::meaning::call_args(&flat, name).unwrap_or_default() {
            push(&arg);
        }
    }
    for (at, _) in flat.match_indices('[') {
        let start = object_start(&flat, at);
        if start < at && chain(&flat[start..at]) {
            push(&flat[start..at]);
        }
    }
    out
}

/// The part of the project a file belongs to: its top folder (`lib` for `lib/vtls/openssl.c`; the
/// command-line tool in `src` is a caller of the library like any other program), or the whole
/// project for a file at the top.
fn component(path: &str) -> &str {
    path.split_once('/').map_or("", |(top, _)| top)
}

/// Every line of the project's part `component` that stores a value in the member `member`, when
/// each stores a parameter of the function it is in (or NULL) and no line releases the member or
/// takes its address; None otherwise, or when no line stores a parameter.
fn borrowed_stores(view: &View, member: &str, component: &str) -> Result<Option<Writes>, SourceError> {
    let index = view.snapshot.index()?;
    let mentions = index.mentions(member);
    if mentions.is_empty() || mentions.len() > MAX_MENTIONS || index.mention_count(member) > mentions.len() {
        return Ok(None);
    }
    let inside = |p: &str| component.is_empty() || p.strip_prefix(component).is_some_and(|r| r.starts_with('/'));
    let mentions: Vec<(String, u32)> = mentions.into_iter().filter(|(p, _)| inside(p)).collect();
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut stores: Writes = Vec::new();
    let mut from_parameter = false;
    for (path, line) in mentions {
        let Some(text) = view.snapshot.read(&path)? else { return Ok(None) };
        let Some(code) = line_of(&text, line) else { return Ok(None) };
        let flat = compact(code_before_comment(code));
        // Released here: a release function given the member.
        for callee in crate::code::called_names(&flat).into_iter().filter(|c| crate::meaning::releases(c)) {
            let args = crate::meaning::call_args(&flat, callee).unwrap_or_default();
            if args.iter().any(|a| {
                let a = a.trim_start_matches('&');
                a.ends_with(&format!("->{member}")) || a.ends_with(&format!(".{member}"))
            }) {
                return Ok(None);
            }
        }
        let b = flat.as_bytes();
        for (at, _) in flat.match_indices(member) {
            let end = at + member.len();
            if at == 0 || end < b.len() && is_id(b[end]) || is_id(b[at - 1]) {
                continue;
            }
            let arrow = flat[..at].ends_with("->");
            if !(arrow || b[at - 1] == b'.') {
                continue;
            }
            let start = object_start(&flat, at - if arrow { 2 } else { 1 });
            if flat[..start].ends_with('&') && !flat[..start].ends_with("&&") {
                return Ok(None);
            }
            let rest = &flat[end..];
            if !rest.starts_with('=') || rest.starts_with("==") {
                if ["+=", "-=", "++", "--"].iter().any(|op| rest.starts_with(op)) {
                    return Ok(None);
                }
                continue;
            }
            let rhs = rest[1..].split(';').next().unwrap_or("");
            // `(char *)ptr`: a cast in front of the value.
            let value = rhs.rsplit(')').next().unwrap_or(rhs);
            if matches!(value, "NULL" | "0") {
                stores.push((path.clone(), line, code.trim().to_string()));
                continue;
            }
            let span = index.file(&path).and_then(|f| f.function_at(line));
            let params = span.map(|s| crate::meaning::parameters(&text, s)).unwrap_or_default();
            let Some(pos) = params.iter().position(|p| p == value) else { return Ok(None) };
            if rhs.contains('(') && !rhs.starts_with('(') {
                return Ok(None);
            }
            // The function's own callers in the component hand it what they were handed.
            let Some(span) = span else { return Ok(None) };
            if !passed_through(view, &span.name, pos, &inside)? {
                return Ok(None);
            }
            from_parameter = true;
            stores.insert(0, (path.clone(), line, code.trim().to_string()));
        }
    }
    Ok(from_parameter.then_some(stores))
}

/// Whether every call of `function` in the files `inside` accepts passes, at argument `pos`,
/// what its caller was itself passed: one of the caller's parameters, an argument taken with
/// `va_arg`, or NULL. A function no code calls (an entry point, or one reached through a table of
/// pointers) passes.
fn passed_through(view: &View, function: &str, pos: usize, inside: &dyn Fn(&str) -> bool) -> Result<bool, SourceError> {
    let index = view.snapshot.index()?;
    let mentions = index.mentions(function);
    if mentions.len() > MAX_MENTIONS || index.mention_count(function) > mentions.len() {
        return Ok(false);
    }
    for (path, line) in mentions.into_iter().filter(|(p, _)| inside(p)) {
        let Some(text) = view.snapshot.read(&path)? else { return Ok(false) };
        let span = index.file(&path).and_then(|f| f.function_at(line));
        // The definition's own line names the function without calling it.
        if span.is_some_and(|s| s.name == function && s.name_line == line) {
            continue;
        }
        let joined: String = (line..line + 4).filter_map(|n| line_of(&text, n)).map(code_before_comment).collect::<Vec<_>>().join(" ");
        let Some(args) = crate::meaning::call_args(&joined, function) else { continue };
        let Some(arg) = args.get(pos).map(|a| compact(a)) else { return Ok(false) };
        let arg = arg.rsplit(')').next().filter(|_| arg.starts_with('(')).map(str::to_string).unwrap_or(arg);
        let caller_params = span.map(|s| crate::meaning::parameters(&text, s)).unwrap_or_default();
        if !(arg.starts_with("va_arg(") || matches!(arg.as_str(), "NULL" | "0") || caller_params.contains(&arg)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `x->m + 15` / `s.m * 4` on a line: (the access as written, the member, the operator, the
/// constant).
fn member_arithmetic(line: &str) -> Vec<(String, String, char, u64)> {
    let flat = compact(code_before_comment(line));
    let b = flat.as_bytes();
    let mut out = Vec::new();
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let after = if b[i..].starts_with(b"->") {
            i + 2
        } else if b[i] == b'.' && i > 0 && (is_id(b[i - 1]) || matches!(b[i - 1], b')' | b']')) && !b[i - 1].is_ascii_digit() {
            i + 1
        } else {
            i += 1;
            continue;
        };
        let mut e = after;
        while e < b.len() && is_id(b[e]) {
            e += 1;
        }
        if e == after || b[after].is_ascii_digit() {
            i = after;
            continue;
        }
        let member = &flat[after..e];
        let op = b.get(e).copied();
        let next = b.get(e + 1).copied();
        if matches!(op, Some(b'+' | b'*')) && !matches!(next, Some(b'+' | b'=')) {
            if let Some(k) = literal_prefix(&flat[e + 1..]) {
                let start = object_start(&flat, i);
                out.push((flat[start..e].to_string(), member.to_string(), op.map(char::from).unwrap_or('+'), k));
            }
        }
        i = e;
    }
    out
}

/// Where the object expression ending at `end` (`bar` in `bar->tick`, `s->a.b`) starts.
fn object_start(flat: &str, end: usize) -> usize {
    let b = flat.as_bytes();
    let mut s = end;
    while s > 0 {
        let c = b[s - 1];
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
            s -= 1;
        } else if c == b'>' && s >= 2 && b[s - 2] == b'-' {
            s -= 2;
        } else {
            break;
        }
    }
    s
}

/// A decimal or hexadecimal integer literal (with `u`/`l` suffixes) at the start of `s`, not
/// followed by more of an expression that binds tighter (`15*n`).
pub(crate) fn literal_prefix(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let (digits, radix, skip) = if s.starts_with("0x") || s.starts_with("0X") { (&s[2..], 16, 2) } else { (s, 10, 0) };
    let len = digits.bytes().take_while(|c| c.is_ascii_hexdigit() && (radix == 16 || c.is_ascii_digit())).count();
    if len == 0 {
        return None;
    }
    let mut end = skip + len;
    while end < b.len() && matches!(b[end], b'u' | b'U' | b'l' | b'L') {
        end += 1;
    }
    if end < b.len() && (b[end].is_ascii_alphanumeric() || matches!(b[end], b'_' | b'*' | b'/' | b'(' | b'[' | b'.')) {
        return None;
    }
    u64::from_str_radix(&digits[..len], radix).ok()
}

/// The largest value every write of the member `member` in the project leaves it at, with the
/// writes: None when one of them is not of a kind followed here, a name too common to follow, or
/// no write at all.
fn member_bound(view: &View, member: &str) -> Result<Option<(u64, Writes)>, SourceError> {
    let index = view.snapshot.index()?;
    let mentions = index.mentions(member);
    if mentions.is_empty() || mentions.len() > MAX_MENTIONS || index.mention_count(member) > mentions.len() {
        return Ok(None);
    }
    let mut most = 0u64;
    let mut writes: Writes = Vec::new();
    for (path, line) in mentions {
        let Some(text) = view.snapshot.read(&path)? else { return Ok(None) };
        let Some(code) = line_of(&text, line) else { return Ok(None) };
        for w in member_writes(code, member) {
            let bound = match w {
                Write::AtMost(v) => Some(v),
                Write::Grows(k) => brought_back(&text, line, member, k)
                    .or_else(|| tested_before_growing(&text, line, member))
                    .map(|limit| limit.saturating_add(k)),
                Write::Shrinks(k) => tested_before_shrinking(&text, line, member, k).then_some(0),
                Write::Unknown => None,
            };
            let Some(v) = bound else { return Ok(None) };
            most = most.max(v);
            if !writes.iter().any(|(p, l, _)| *p == path && *l == line) {
                writes.push((path.clone(), line, code.trim().to_string()));
            }
        }
    }
    Ok((!writes.is_empty()).then_some((most, writes)))
}

/// The writes of `member` (as `->member` or `.member`) on one line.
fn member_writes(line: &str, member: &str) -> Vec<Write> {
    let flat = compact(code_before_comment(line));
    let b = flat.as_bytes();
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    for (at, _) in flat.match_indices(member) {
        let end = at + member.len();
        if end < b.len() && is_id(b[end]) || at == 0 {
            continue;
        }
        let arrow = flat[..at].ends_with("->");
        let dot = !arrow && b[at - 1] == b'.';
        if !(arrow || dot) {
            continue;
        }
        let start = object_start(&flat, at - if arrow { 2 } else { 1 });
        let before = &flat[..start];
        let rest = &flat[end..];
        if before.ends_with('&') && !before.ends_with("&&") {
            out.push(Write::Unknown);
        } else if before.ends_with("++") || rest.starts_with("++") {
            out.push(Write::Grows(1));
        } else if before.ends_with("--") || rest.starts_with("--") {
            out.push(Write::Shrinks(1));
        } else if let Some(r) = rest.strip_prefix("+=") {
            out.push(literal_prefix(r.trim_end_matches(';')).map_or(Write::Unknown, Write::Grows));
        } else if let Some(r) = rest.strip_prefix("-=") {
            out.push(literal_prefix(r.trim_end_matches(';')).map_or(Write::Unknown, Write::Shrinks));
        } else if rest.starts_with(">>=") || rest.starts_with("/=") {
            // Never larger than before, never below zero: adds nothing to the bound.
            out.push(Write::AtMost(0));
        } else if let Some(r) = rest.strip_prefix("%=").or_else(|| rest.strip_prefix("&=")) {
            let modulo = rest.starts_with('%');
            out.push(
                literal_prefix(r.trim_end_matches(';'))
                    .map_or(Write::Unknown, |c| Write::AtMost(if modulo { c.saturating_sub(1) } else { c })),
            );
        } else if rest.starts_with('=') && !rest.starts_with("==") {
            out.push(assigned_bound(&rest[1..]));
        } else if ["*=", "<<=", "|=", "^="].iter().any(|op| rest.starts_with(op)) {
            out.push(Write::Unknown);
        }
    }
    out
}

/// What `= rhs;` leaves the member at: a literal, a boolean, or a remainder by a literal.
fn assigned_bound(rhs: &str) -> Write {
    let rhs = rhs.split(';').next().unwrap_or("").trim_start_matches('(');
    let rhs = rhs.trim_end_matches(')');
    if let Some(v) = literal_prefix(rhs).filter(|_| rhs.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return Write::AtMost(v);
    }
    if matches!(rhs, "TRUE" | "FALSE" | "true" | "false" | "NULL") {
        return Write::AtMost(1);
    }
    if let Some((_, m)) = rhs.rsplit_once('%') {
        if let Some(c) = literal_prefix(m).filter(|_| m.bytes().all(|c| c.is_ascii_alphanumeric())) {
            return Write::AtMost(c.saturating_sub(1));
        }
    }
    Write::Unknown
}

/// The tests of a condition a line opens with (`if(`, `} else if(`, `while(`), when they are
/// joined by `&&` only (no `||`, no `?:`): the tests, and where the condition's closing
/// parenthesis ends in the compacted line.
fn conjuncts(flat: &str) -> Option<(Vec<&str>, usize)> {
    let opened = ["if(", "}elseif(", "elseif(", "while("].iter().find(|o| flat.starts_with(**o))?;
    let cond = &flat[opened.len()..];
    let mut depth = 1;
    let end = cond.char_indices().find_map(|(i, c)| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    })?;
    let inner = &cond[..end];
    if inner.contains("||") || inner.contains('?') {
        return None;
    }
    Some((inner.split("&&").collect(), opened.len() + end + 1))
}

/// A chain of member accesses (`c->a.b`), nothing else.
fn chain(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'>' | b'.'))
}

/// A test of the member against a literal that a line opens with (`if(bar->tick >= 200)`,
/// `while(c->n > 0 && ok)`), joined to other tests by `&&` at most: (the smallest value that
/// passes it, whether it is the only test, where the condition ends in the compacted line).
fn member_test(flat: &str, member: &str) -> Option<(u64, bool, usize)> {
    let (parts, end) = conjuncts(flat)?;
    for part in &parts {
        let part = part.strip_prefix('(').and_then(|p| p.strip_suffix(')')).unwrap_or(part);
        // The comparison's `>`: not the one of an arrow, nor of a shift.
        let b = part.as_bytes();
        let Some(at) = (0..b.len()).find(|&i| b[i] == b'>' && (i == 0 || !matches!(b[i - 1], b'-' | b'>')) && b.get(i + 1) != Some(&b'>'))
        else {
            continue;
        };
        let (lhs, rhs, strict) = match part[at + 1..].strip_prefix('=') {
            Some(r) => (&part[..at], r, false),
            None => (&part[..at], &part[at + 1..], true),
        };
        let lhs = lhs.strip_prefix("++").unwrap_or(lhs);
        let names_member = lhs.strip_suffix(member).is_some_and(|o| o.ends_with("->") || o.ends_with('.'));
        if !names_member || !chain(lhs) || !rhs.bytes().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let v = literal_prefix(rhs)?;
        return Some((if strict { v.saturating_add(1) } else { v }, parts.len() == 1, end));
    }
    None
}

/// An increase by `k` on line `n` that the lines right after undo whenever it reaches a limit
/// (`if(bar->tick >= 200)` then `bar->tick -= 200;`, or `= 0;`): the limit, which the member then
/// stays under before each increase. The test must be the only one (a reset that also needs
/// something else may not happen), and a decrease must take off at least `k` and at most the
/// limit, so that the member neither creeps up nor wraps below zero.
fn brought_back(text: &str, n: u32, member: &str, k: u64) -> Option<u64> {
    for g in n..=n + 2 {
        let flat = compact(code_before_comment(line_of(text, g)?));
        let Some((limit, true, end)) = member_test(&flat, member) else { continue };
        // The branch: the rest of the test's line, else the next line (past a lone `{`).
        let mut body = flat[end..].trim_start_matches('{').to_string();
        let mut h = g;
        while body.is_empty() && h < g + 2 {
            h += 1;
            body = compact(code_before_comment(line_of(text, h)?)).trim_start_matches('{').to_string();
        }
        let resets = member_writes(&body, member);
        if resets.iter().any(|w| match w {
            Write::Shrinks(s) => *s >= k && *s <= limit,
            Write::AtMost(_) => true,
            _ => false,
        }) {
            return Some(limit);
        }
    }
    None
}

/// An increase on line `n` behind a test, on the same line or the one before, that the member is
/// below a limit (`if(c->n < 16) c->n++;`, `while(s->len < 64 && more)`): the largest value that
/// passes the test, to which the increase adds.
fn tested_before_growing(text: &str, n: u32, member: &str) -> Option<u64> {
    (n.saturating_sub(1).max(1)..=n).find_map(|g| {
        let flat = compact(code_before_comment(line_of(text, g)?));
        let (most, end) = upper_test(&flat, member)?;
        governs(&flat, end, g, n).then_some(most)
    })
}

/// Whether a test whose condition ends at `end` of line `g` governs line `n`: the same line (the
/// write is its body), or the line before ending with the condition (a one-line body of its own,
/// `if(c->n < 16) x = 1;`, leaves the next line unconditional).
fn governs(flat: &str, end: usize, g: u32, n: u32) -> bool {
    g == n || flat[end..].trim_start_matches('{').is_empty()
}

/// A test that the member is below a literal that a line opens with (`if(c->n < 16)`), joined to
/// other tests by `&&` at most: the largest value that passes it.
fn upper_test(flat: &str, member: &str) -> Option<(u64, usize)> {
    let (parts, end) = conjuncts(flat)?;
    parts.into_iter().find_map(|part| {
        let part = part.strip_prefix('(').and_then(|p| p.strip_suffix(')')).unwrap_or(part);
        let b = part.as_bytes();
        let at = (0..b.len()).find(|&i| b[i] == b'<' && b.get(i + 1) != Some(&b'<') && (i == 0 || b[i - 1] != b'<'))?;
        let (lhs, rhs, inclusive) = match part[at + 1..].strip_prefix('=') {
            Some(r) => (&part[..at], r, true),
            None => (&part[..at], &part[at + 1..], false),
        };
        let names_member = lhs.strip_suffix(member).is_some_and(|o| o.ends_with("->") || o.ends_with('.'));
        if !names_member || !chain(lhs) || !rhs.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        let v = literal_prefix(rhs)?;
        let most = if inclusive { Some(v) } else { v.checked_sub(1) }?;
        Some((most, end))
    })
}

/// A decrease by `k` on line `n` behind a test, on the same line or the one before, that the
/// member is at least `k` (`if(x->n > 0)` for `x->n--`, `if(x->tick >= 200)` for `-= 200`).
fn tested_before_shrinking(text: &str, n: u32, member: &str, k: u64) -> bool {
    (n.saturating_sub(1).max(1)..=n).any(|g| {
        let Some(flat) = line_of(text, g).map(|l| compact(code_before_comment(l))) else { return false };
        member_test(&flat, member).is_some_and(|(least, _, end)| least >= k && governs(&flat, end, g, n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_on_members_is_found() {
        let got = member_arithmetic("  pos = sinus[(bar->tick + 15) % 200] / (10000 / check);");
        assert_eq!(got, vec![("bar->tick".to_string(), "tick".to_string(), '+', 15)]);
        assert_eq!(member_arithmetic("n = s.count * 4u;"), vec![("s.count".to_string(), "count".to_string(), '*', 4)]);
        // A constant that is only part of a product, an increment, a number's decimal point.
        assert!(member_arithmetic("x = a->len + 4 * n;").is_empty());
        assert!(member_arithmetic("a->len += 4;").is_empty());
        assert!(member_arithmetic("d = 1.5 + 2;").is_empty());
        // Text that is not ASCII (a string literal) around the access.
        assert_eq!(member_arithmetic("printf(\"→ %u\", s->n + 1);").len(), 1);
        assert!(member_writes("s.label = \"é\"; s->n = 2;", "n") == vec![Write::AtMost(2)]);
    }

    #[test]
    fn sizes_and_limits_are_read() {
        assert_eq!(sizes_in("when the inputbuff is longer than 2gb"), vec![(34, 1 << 30 << 1)]);
        assert_eq!(sizes_in("more than 2^31 bytes, or 4 gigabytes"), vec![(10, 1 << 31), (25, 4 << 30)]);
        assert_eq!(sizes_in("1.5 tib"), vec![(0, 3 << 39)]);
        // Too small to be about a limit, part of a word or a version, or not a size.
        assert!(sizes_in("a 512 byte buffer, 64kb, v8.2gb, 2^8, 10 gbps").is_empty());
        assert_eq!(macro_value("#define CURL_MAX_INPUT_LENGTH 8000000", "CURL_MAX_INPUT_LENGTH"), Some(8_000_000));
        assert_eq!(macro_value("#  define MAX_LEN (10 * 1024 * 1024) /* ten MiB */", "MAX_LEN"), Some(10 << 20));
        assert_eq!(macro_value("#define MAX_LEN(x) (x * 2)", "MAX_LEN"), None);
        assert_eq!(macro_value("#define MAX_LEN SIZE_MAX / 2", "MAX_LEN"), None);
        assert_eq!(human_size(2 << 30), "2 GiB");
        assert_eq!(human_size(3 << 29), "1.5 GiB");
    }

    #[test]
    fn members_whose_memory_a_line_uses() {
        let got = memory_members("      strcpy(data->set.errorbuffer, error);");
        assert_eq!(got, vec![("data->set.errorbuffer".to_string(), "errorbuffer".to_string())]);
        assert_eq!(memory_members("s->buf[0] = 0;"), vec![("s->buf".to_string(), "buf".to_string())]);
        assert_eq!(memory_members("memcpy((char *)p->out, src, n);"), vec![("p->out".to_string(), "out".to_string())]);
        // Plain variables, and members only compared or called through, are not.
        assert!(memory_members("strcpy(buf, error);").is_empty());
        assert!(memory_members("if(h->len > 4)").is_empty());
    }

    #[test]
    fn writes_are_classified() {
        assert_eq!(member_writes("bar->tick = 150;", "tick"), vec![Write::AtMost(150)]);
        assert_eq!(member_writes("  bar->tick += 2;", "tick"), vec![Write::Grows(2)]);
        assert_eq!(member_writes("++s.count;", "count"), vec![Write::Grows(1)]);
        assert_eq!(member_writes("bar->tick -= 200;", "tick"), vec![Write::Shrinks(200)]);
        assert_eq!(member_writes("--p->n;", "n"), vec![Write::Shrinks(1)]);
        assert_eq!(member_writes("p->n -= len;", "n"), vec![Write::Unknown]);
        assert_eq!(member_writes("p->n = (p->n + 1) % 64;", "n"), vec![Write::AtMost(63)]);
        assert_eq!(member_writes("p->n = len;", "n"), vec![Write::Unknown]);
        assert_eq!(member_writes("read(fd, &p->n, 4);", "n"), vec![Write::Unknown]);
        assert_eq!(member_writes("p->n *= 2;", "n"), vec![Write::Unknown]);
        // Reads and comparisons are not writes.
        assert!(member_writes("if(bar->tick >= 200)", "tick").is_empty());
        assert!(member_writes("x = bar->tick + 5; // bar->tick = y", "tick").is_empty());
        assert!(member_writes("unsigned int tick;", "tick").is_empty());
    }

    #[test]
    fn an_increase_brought_back_under_a_limit_is_bounded() {
        let text = "void step(struct bar *bar)\n{\n  bar->tick += 2;\n  if(bar->tick >= 200)\n    bar->tick -= 200;\n}\n";
        assert_eq!(brought_back(text, 3, "tick", 2), Some(200));
        let text = "void step(struct bar *bar)\n{\n  bar->tick += 2;\n  if(bar->tick >= 200)\n    log_it(bar);\n}\n";
        assert_eq!(brought_back(text, 3, "tick", 2), None);
        assert_eq!(brought_back("  if(++c->n > 9) c->n = 0;\n", 1, "n", 1), Some(10));
        assert_eq!(brought_back("  c->n++;\n  if(c->n > 9) {\n    c->n = 0;\n", 1, "n", 1), Some(10));
        // A reset that needs something else too may not happen; one taking off less than the
        // increase lets the member creep up; one taking off more than the limit wraps it.
        assert_eq!(brought_back("  c->n += 2;\n  if(c->n >= 9 && busy)\n    c->n = 0;\n", 1, "n", 2), None);
        assert_eq!(brought_back("  c->n += 2;\n  if(c->n >= 9)\n    c->n -= 1;\n", 1, "n", 2), None);
        assert_eq!(brought_back("  c->n += 2;\n  if(c->n >= 9)\n    c->n -= 20;\n", 1, "n", 2), None);
        // A test before the increase that the member is below a limit.
        assert_eq!(tested_before_growing("  if(c->n < 16)\n    c->n++;\n", 2, "n"), Some(15));
        assert_eq!(tested_before_growing("  while(s->len <= 64 && more) s->len += 4;\n", 1, "len"), Some(64));
        assert_eq!(tested_before_growing("  if(c->n < 16 || force)\n    c->n++;\n", 2, "n"), None);
        assert_eq!(tested_before_growing("  if(c->m < 16)\n    c->n++;\n", 2, "n"), None);
        assert_eq!(tested_before_growing("  if(c->n << 2)\n    c->n++;\n", 2, "n"), None);
        // A test with a body of its own on its line leaves the next line unconditional.
        assert_eq!(tested_before_growing("  if(c->n < 16) x = 1;\n  c->n++;\n", 2, "n"), None);
        assert!(!tested_before_shrinking("  if(c->n > 0) x = 1;\n  c->n--;\n", 2, "n", 1));
        assert!(tested_before_shrinking("  if(c->n > 0) c->n--;\n", 1, "n", 1));
        assert!(tested_before_shrinking("  if(bar->tick >= 200)\n    bar->tick -= 200;\n", 2, "tick", 200));
        assert!(tested_before_shrinking("  if(c->n > 0 && ready)\n    c->n--;\n", 2, "n", 1));
        assert!(!tested_before_shrinking("  if(c->n > 0)\n    c->n -= 5;\n", 2, "n", 5));
        assert!(!tested_before_shrinking("  if(c->n > 0 || force)\n    c->n--;\n", 2, "n", 1));
        assert!(!tested_before_shrinking("  x = 1;\n  bar->tick -= 200;\n", 2, "tick", 200));
    }
}
