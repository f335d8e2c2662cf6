//! Memory that cannot grow where the report says it does: a report claiming that memory is
//! consumed without bound in a function it names, when that function, and the project's
//! functions it calls and those they call, allocate nothing. Data such code handles goes through buffers it was given
//! or keeps at a fixed size (a decompressor refilling one output buffer and handing each chunk
//! on), so what it holds does not grow with the input.

use vouch_claims::Report;
use vouch_report::rules;
use vouch_source::SourceError;

use crate::code::{identifiers, line_of};
use crate::project::View;
use crate::{ClaimResult, Finding, Location, Status};

/// Longest function body read, in lines.
const MAX_BODY: u32 = 400;
/// How many calls down from the named functions their callees are read.
const DEPTH: u32 = 2;
/// Most function bodies read for one report: past that, where memory goes cannot be told.
const MAX_BODIES: usize = 60;

pub(crate) fn check(report: &Report, claims: &[ClaimResult], view: &View, findings: &mut Vec<Finding>) -> Result<(), SourceError> {
    // A run the report shows (a fuzzer's out-of-memory stack) says where the memory went.
    if crate::meaning::shows_trace(report) {
        return Ok(());
    }
    let sentences: Vec<(usize, String, String)> =
        crate::meaning::prose_sentences(report).into_iter().filter_map(|(line, s)| growth_phrase(&s).map(|p| (line, s, p))).collect();
    let Some((claim_line, _, phrase)) = sentences.first().cloned() else { return Ok(()) };
    let functions: Vec<(&ClaimResult, &Location)> = claims
        .iter()
        .filter(|c| c.status == Status::Confirmed && c.at.is_none() && !c.negated && c.kind == "function" && c.origin == "prose")
        .filter_map(|c| c.location.as_ref().map(|l| (c, l)))
        .collect();
    // The functions the sentences saying memory grows name, else every function the report names.
    let bare = |t: &str| t.trim_end_matches("()").rsplit("::").next().unwrap_or(t).to_string();
    let named: Vec<&(&ClaimResult, &Location)> =
        functions.iter().filter(|(c, _)| sentences.iter().any(|(_, s, _)| crate::policy::contains_identifier(s, &bare(&c.text)))).collect();
    let scope: Vec<&(&ClaimResult, &Location)> = if named.is_empty() { functions.iter().collect() } else { named };
    if scope.is_empty() || scope.len() > 4 {
        return Ok(());
    }
    let index = view.snapshot.index()?;
    // Every function reached from the named ones, down to DEPTH calls, must allocate nothing.
    let mut read = Vec::new();
    // Functions already read, the direct callees as shown, and the bodies still to read.
    let mut seen: Vec<String> = scope.iter().map(|(c, _)| bare(&c.text)).collect();
    let mut shown: Vec<String> = Vec::new();
    let mut queue: Vec<(Vec<String>, u32)> = Vec::new();
    for (c, l) in &scope {
        let Some(body) = body_of(view, &l.path, l.line)? else { return Ok(()) };
        queue.push((body, 0));
        read.push((bare(&c.text), (*l).clone()));
    }
    let mut bodies = 0;
    while let Some((body, depth)) = queue.pop() {
        bodies += 1;
        if bodies > MAX_BODIES || body.iter().any(|line| allocates(line)) {
            return Ok(());
        }
        if depth == DEPTH {
            continue;
        }
        for called in body.iter().flat_map(|line| calls(line)) {
            if seen.contains(&called) {
                continue;
            }
            seen.push(called.clone());
            // A macro may hide an allocation, unless it only renames a function (a platform's
            // name for a library's function: `#define inflate Curl_os400_inflate`), which is
            // then read in its place.
            let mut targets = vec![called.clone()];
            for m in index.definitions(&called).iter().filter(|d| matches!(d.kind, vouch_source::DefKind::Macro)) {
                match view.snapshot.read(&m.path)?.and_then(|t| line_of(&t, m.line).and_then(|l| alias_target(l, &called))) {
                    Some(t) => targets.push(t),
                    None => return Ok(()),
                }
            }
            let mut defined = None;
            for t in &targets {
                for d in index.definitions(t).iter().filter(|d| matches!(d.kind, vouch_source::DefKind::Function)) {
                    let Some(inner) = body_of(view, &d.path, d.line)? else { return Ok(()) };
                    queue.push((inner, depth + 1));
                    defined = Some(t.clone());
                }
            }
            match defined {
                Some(t) if depth == 0 && t != called => shown.push(format!("{t} (for {called})")),
                Some(_) if depth == 0 => shown.push(called.clone()),
                _ => {}
            }
        }
    }
    let (first, loc) = &read[0];
    let names: Vec<&str> = read.iter().map(|(n, _)| n.as_str()).collect();
    let also = if shown.is_empty() {
        String::new()
    } else {
        format!(
            ", nor do the project's functions {} call{} ({}) and those they call",
            if names.len() > 1 { "they" } else { "it" },
            if names.len() > 1 { "" } else { "s" },
            shown.join(", ")
        )
    };
    findings.push(
        Finding::new(
            &rules::TRI_NOTHING_ALLOCATED,
            format!(
                "the report says memory grows (\"{phrase}\", report line {claim_line}), but {} allocate{} nothing{also}: what {} handle{} stays in buffers of a fixed size or is passed on",
                names.join(", "),
                if names.len() > 1 { "" } else { "s" },
                if names.len() > 1 { "they" } else { "it" },
                if names.len() > 1 { "" } else { "s" },
            ),
            format!("{first} at {}:{}", loc.path, loc.line),
        )
        .at(Some(loc.clone()))
        .line(claim_line),
    );
    Ok(())
}

/// The name `#define NAME TARGET` renames NAME to, when its whole body is one identifier.
fn alias_target(line: &str, name: &str) -> Option<String> {
    let rest = line.trim_start().strip_prefix('#')?.trim_start().strip_prefix("define")?.trim_start().strip_prefix(name)?;
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let target = rest.trim();
    (!target.is_empty() && target.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then(|| target.to_string())
}

/// The lines of the function defined at `path:line`, comments and string literals removed.
fn body_of(view: &View, path: &str, line: u32) -> Result<Option<Vec<String>>, SourceError> {
    let index = view.snapshot.index()?;
    let Some(text) = view.snapshot.read(path)? else { return Ok(None) };
    let Some(span) = index.file(path).and_then(|f| f.function_at(line)) else { return Ok(None) };
    if span.end_line < span.start_line || span.end_line - span.start_line > MAX_BODY {
        return Ok(None);
    }
    let mut out = Vec::new();
    let mut in_comment = false;
    for n in span.start_line..=span.end_line {
        let Some(code) = line_of(&text, n) else { break };
        out.push(strip(code, &mut in_comment));
    }
    Ok(Some(out))
}

/// A line without its comments and string literals.
fn strip(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    while !rest.is_empty() {
        if *in_comment {
            match rest.find("*/") {
                Some(e) => {
                    rest = &rest[e + 2..];
                    *in_comment = false;
                }
                None => return out,
            }
            continue;
        }
        if rest.starts_with("//") {
            return out;
        }
        if rest.starts_with("/*") {
            *in_comment = true;
            rest = &rest[2..];
            continue;
        }
        if rest.starts_with('"') {
            let end = rest[1..].find('"').map(|e| e + 2).unwrap_or(rest.len());
            out.push_str("\"\"");
            rest = &rest[end..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The words of an identifier: `Curl_dyn_addn` is curl, dyn, addn; `bufqWrite` is bufq, write.
fn words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in ident.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_ascii_uppercase() && prev_lower {
                out.push(word.to_ascii_lowercase());
                word.clear();
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            word.push(c);
        }
        out.push(word.to_ascii_lowercase());
    }
    out
}

/// The identifiers of a line in order, each with whether it is called (`name(`) and whether it
/// is reached through a pointer or a structure (`p->fn`, `s.fn`).
fn tokens(line: &str) -> Vec<(&str, bool, bool)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    for id in identifiers(line) {
        let Some(at) = line[from..].find(id).map(|i| from + i) else { continue };
        from = at + id.len();
        let called = b[from..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'(');
        let member = at >= 1 && (b[at - 1] == b'.' || at >= 2 && &line[at - 2..at] == "->");
        out.push((id, called, member));
    }
    out
}

/// Whether a line of code allocates or grows something: a call of an allocator, or of anything
/// whose name says it adds, appends, stores or duplicates (`Curl_dyn_addn`, `strdup`,
/// `Curl_llist_append`), writes into a growing buffer (`Curl_bufq_write`), or C++'s `new`.
fn allocates(line: &str) -> bool {
    const GROWING: &[&str] = &[
        "alloc", "malloc", "calloc", "realloc", "zalloc", "dup", "strdup", "strndup", "memdup", "memdup0", "aprintf", "maprintf",
        "vaprintf", "asprintf", "add", "addn", "addf", "append", "push", "grow", "resize", "reserve", "insert", "new", "create", "store",
        "save", "enqueue", "queue", "sipn", "slurp", "extend", "concat",
    ];
    const BUFFERS: &[&str] = &["bufq", "dyn", "buf", "buffer", "list", "llist", "hash"];
    tokens(line).into_iter().any(|(id, called, _)| {
        if id == "new" && !called {
            return true;
        }
        let w = words(id);
        called
            && (w.iter().any(|x| GROWING.contains(&x.as_str()) || x.ends_with("alloc"))
                || w.iter().any(|x| x == "write" || x == "set") && w.iter().any(|x| BUFFERS.contains(&x.as_str())))
    })
}

/// The names a line calls directly (`name(`), other than C's keywords and calls through a
/// pointer (`writer->cwt->do_write(`), whose target the index cannot name.
fn calls(line: &str) -> Vec<String> {
    const KEYWORDS: &[&str] = &["if", "while", "for", "switch", "return", "sizeof", "defined", "do", "else", "case"];
    tokens(line)
        .into_iter()
        .filter(|(id, called, member)| *called && !member && !KEYWORDS.contains(id))
        .map(|(id, _, _)| id.to_string())
        .collect()
}

/// The words of a sentence saying memory grows without bound, unless the sentence denies it.
fn growth_phrase(sentence: &str) -> Option<String> {
    const SAYS: &[&str] = &[
        "unbounded memory",
        "memory exhaustion",
        "exhaust memory",
        "exhausts memory",
        "exhausting memory",
        "exhaust all memory",
        "exhaust available memory",
        "exhaust all available memory",
        "excessive memory",
        "memory grows",
        "memory usage grows",
        "memory growth",
        "grows without bound",
        "grow without bound",
        "grows unbounded",
        "consume all memory",
        "consume all available memory",
        "consumes all available memory",
        "unlimited memory",
        "out-of-memory",
        "out of memory",
        "memory consumption",
        "memory to be exhausted",
        "until memory is exhausted",
        "continuously allocate",
        "continuously buffer",
        "expand into excessive memory",
    ];
    const DENIED: &[&str] = &["not ", "n't", "no ", "without", "never", "rather than", "instead of", "prevent", "avoid"];
    let lower = sentence.to_ascii_lowercase();
    let (at, p) = SAYS.iter().filter_map(|p| lower.find(p).map(|i| (i, *p))).min()?;
    let clause = lower[..at].rsplit([',', ';', ':']).next().unwrap_or("");
    if DENIED.iter().any(|d| clause.contains(d)) {
        return None;
    }
    Some(sentence.get(at..at + p.len()).unwrap_or(p).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_and_calls() {
        assert!(allocates("  s = malloc(len + 1);"));
        assert!(allocates("result = Curl_dyn_addn(&buf, ptr, len);"));
        assert!(allocates("Curl_llist_append(&list, e, &e->node);"));
        assert!(allocates("nwritten = Curl_bufq_write(&ctx->buf, mem, len, &result);"));
        assert!(allocates("auto *p = new Item;"));
        assert!(!allocates("z->next_out = (Bytef *) zp->buffer;"));
        assert!(!allocates("status = inflate(z, Z_BLOCK);"));
        assert!(!allocates("size_t address = base + offset;"));
        assert!(!allocates("result = Curl_cwriter_write(data, writer->next, type, zp->buffer, n);"));
        assert!(allocates("result = curlx_dyn_setlen(&out, n); Curl_dyn_add(&b, s);"));
        assert_eq!(words("Curl_dyn_addn"), ["curl", "dyn", "addn"]);
        assert_eq!(alias_target("#define inflate                 Curl_os400_inflate", "inflate").as_deref(), Some("Curl_os400_inflate"));
        assert_eq!(alias_target("#define inflate(z, f) my_inflate(z, f)", "inflate"), None);
        assert_eq!(alias_target("#define inflater x", "inflate"), None);
        assert_eq!(words("bufqWrite"), ["bufq", "write"]);
        assert_eq!(calls("result = Curl_cwriter_write(data, writer->next, type, buf, n);"), ["Curl_cwriter_write"]);
        assert_eq!(calls("return writer->cwt->do_write(data, writer, type, buf, nbytes);"), Vec::<String>::new());
        assert_eq!(calls("if(status == Z_OK) {"), Vec::<String>::new());
        let mut c = false;
        assert_eq!(strip("a = 1; /* malloc( */ b = 2; // free(", &mut c), "a = 1;  b = 2; ");
        assert_eq!(strip("x = \"append(\";", &mut c), "x = \"\";");
    }

    #[test]
    fn sentences_saying_memory_grows() {
        assert_eq!(
            growth_phrase("A tiny compressed input may expand into excessive memory usage").as_deref(),
            Some("expand into excessive memory")
        );
        assert_eq!(
            growth_phrase("This causes curl to continuously buffer incoming data until memory is exhausted").as_deref(),
            Some("continuously buffer")
        );
        assert_eq!(growth_phrase("Curl should handle fragmented messages without unbounded memory growth"), None);
        assert_eq!(growth_phrase("The limit prevents memory exhaustion"), None);
        assert_eq!(growth_phrase("The header is copied into a fixed buffer"), None);
    }
}
