//! Splits a report into blocks: prose, fenced code, indented code, unfenced traces and code runs.
//! Linear: fence closes are found through precomputed suffix tables.

use crate::{trace, BlockKind};

/// A raw block before its code is classified.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    /// `Prose`, `Trace` (by content, unfenced) or `ReporterCode` as "code, not yet classified".
    pub kind: BlockKind,
    pub lang: Option<String>,
    /// 0-based content lines `[start, end)`.
    pub start: usize,
    pub end: usize,
    pub fenced: bool,
    /// The last heading before the block, lowercase.
    pub heading: String,
    /// The prose right before the block (its last paragraph, at most six lines).
    pub before: String,
}

fn fence_run(line: &str) -> Option<(u8, usize, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 8 {
        return None;
    }
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    if n < 3 {
        return None;
    }
    let info = t[n..].trim();
    if c == b'`' && info.contains('`') {
        return None;
    }
    Some((c, n, info))
}

/// A line that is only a fence (a possible close).
fn bare_fence(line: &str) -> Option<(u8, usize)> {
    let (c, n, info) = fence_run(line)?;
    info.is_empty().then_some((c, n))
}

fn is_heading_break(line: &str) -> bool {
    (line.starts_with("## ") || line.starts_with("### ")) && line[3..].trim_start().starts_with(|c: char| c.is_ascii_uppercase())
}

fn is_indented(line: &str) -> bool {
    (line.starts_with("    ") || line.starts_with('\t')) && !line.trim().is_empty()
}

/// A line of English prose: a capitalised sentence of six words or more, with none of the
/// punctuation of code (`Since name and value are not NUL-terminated, it reads on.`).
fn is_sentence(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    t.starts_with(|c: char| c.is_ascii_uppercase())
        && words >= 6
        && (t.ends_with('.') || t.ends_with(':') || t.contains(". "))
        && !t.contains([';', '{', '}', '=', '<', '>', '"', '`', '$', '|', '\\'])
        && !line.starts_with([' ', '\t'])
        && !t.starts_with("Traceback")
}

/// A line of Python outside a fence: `import x`, `from x import y`, `def f(...):`, `class X:`.
pub(crate) fn is_pythonish(t: &str) -> bool {
    let ident_call =
        |r: &str| r.split('(').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'));
    t.starts_with("import ") && t.split_whitespace().count() <= 4 && !t.ends_with('.')
        || t.starts_with("from ") && t.contains(" import ") && !t.ends_with('.')
        || (t.starts_with("def ") || t.starts_with("async def "))
            && t.ends_with(':')
            && ident_call(t.trim_start_matches("async ").trim_start_matches("def "))
        || t.starts_with("class ") && t.ends_with(':') && t.split_whitespace().count() <= 3
        || t.starts_with("if __name__")
        || python_call_statement(t)
}

/// `server = HTTPServer(("0.0.0.0", 8080), Handler)`, `server.serve_forever()`: a Python statement
/// that is a call (no `;`), with a dotted name or an assignment of one word before it.
fn python_call_statement(t: &str) -> bool {
    if !t.ends_with(')') || t.contains(';') || t.contains("  ") {
        return false;
    }
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.')
    };
    let (target, call) = match t.split_once(" = ") {
        Some((lhs, rhs)) if name_ok(lhs) && !lhs.contains(' ') => (true, rhs),
        Some(_) => return false,
        None => (false, t),
    };
    let Some((callee, _)) = call.split_once('(') else { return false };
    name_ok(callee) && (target || callee.contains('.'))
}

/// A C comment on a line of its own: `// File: lib/x.c (line 12)`, `/* keep going */`.
pub(crate) fn is_comment_line(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("// ") || t == "//" || t.starts_with("/*") && (t.ends_with("*/") || t.len() < 120)
}

/// The code of a line without a trailing `// comment` (`f(x); // no check here` → `f(x);`),
/// when what comes before it ends like a statement. URLs (`http://x`) keep their slashes.
pub(crate) fn without_trailing_comment(t: &str) -> &str {
    match t.find(" //") {
        Some(p) => {
            let code = t[..p].trim_end();
            if code.ends_with([';', '{', '}']) {
                code
            } else {
                t
            }
        }
        None => t,
    }
}

/// A language name alone on a line right before unfenced code: the info string of a fence that
/// the export of the report lost (`c` then `if (s->len + len > s->size) {`).
fn lost_fence_lang(line: &str) -> Option<&'static str> {
    const LANGS: &[&str] = &["c", "cpp", "c++", "h", "python", "py", "javascript", "js", "php", "go", "rust", "java"];
    let t = line.trim();
    LANGS.iter().copied().find(|l| *l == t)
}

/// A line of C-like code outside a fence (plain-text reports).
fn is_codeish(line: &str) -> bool {
    let t = without_trailing_comment(without_list_marker(line.trim()));
    if t.is_empty() || t.len() > 300 {
        return false;
    }
    t.starts_with("#include")
        || t.starts_with("#define")
        || t.starts_with("#if")
        || t.starts_with("#endif")
        || t == "{"
        || t == "}"
        || t == "};"
        || (t.ends_with(';') || t.ends_with('{')) && (t.contains('(') || t.contains('=') || t.starts_with("return")) && !t.contains(". ")
        || matches!(t, "break;" | "continue;" | "default:" | "} else {" | "else")
        || case_label(t)
        || declaration(t)
        || is_pythonish(t)
}

/// The head of a C function definition on a line of its own: type words, the name and its
/// parameters (`int main(void)`, `static size_t cb(char *p, size_t n)`), nothing after them.
fn function_head(line: &str) -> bool {
    let t = line.trim();
    let Some((head, rest)) = t.split_once('(') else { return false };
    let words: Vec<&str> = head.split_whitespace().collect();
    let (Some(&first), Some(last)) = (words.first(), words.last()) else { return false };
    let name = last.trim_start_matches('*');
    let types = words.len() >= 2 || head.contains('*');
    // The first word is a type or a storage class: a keyword, a `_t` name or a typedef's capitals.
    let typed = matches!(
        first,
        "static"
            | "inline"
            | "extern"
            | "const"
            | "unsigned"
            | "signed"
            | "struct"
            | "enum"
            | "union"
            | "void"
            | "int"
            | "char"
            | "short"
            | "long"
            | "float"
            | "double"
            | "bool"
            | "_Bool"
    ) || first.ends_with("_t")
        || first.chars().any(|c| c.is_ascii_uppercase()) && first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    types
        && typed
        && !head.ends_with(char::is_whitespace)
        && !t.starts_with(['#', '-', '*', '>'])
        && t.ends_with(')')
        && !rest.contains(['(', ';', '.', ':'])
        && !name.is_empty()
        && words
            .iter()
            .map(|w| w.trim_start_matches('*'))
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '*'))
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
}

/// A numbered step's text without its marker: `(1) create a file;` → `create a file;`
/// (`1. `, `1) ` too). Code never starts with one.
fn without_list_marker(t: &str) -> &str {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    if let Some(rest) = t.strip_prefix('(') {
        let n = digits(rest);
        if n > 0 && n <= 3 {
            if let Some(r) = rest[n..].strip_prefix(") ") {
                return r.trim_start();
            }
        }
    }
    let n = digits(t);
    if n > 0 && n <= 3 {
        if let Some(r) = t[n..].strip_prefix(". ").or_else(|| t[n..].strip_prefix(") ")) {
            return r.trim_start();
        }
    }
    t
}

/// A single unfenced line of code that the prose introduces ("... continues if one element
/// matches:" then `if(sscanf(v->data, "%127[^,],%127s", a, b)) {`): a statement, not a sentence.
fn quoted_statement(lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim();
    let intro = lines[..i].iter().rev().find(|l| !l.trim().is_empty()).is_some_and(|l| l.trim_end().ends_with(':'));
    let statement = ["if(", "if (", "while(", "while (", "for(", "for (", "return ", "switch("].iter().any(|k| t.starts_with(k))
        || t.contains("->")
        || t.contains("==")
        || t.ends_with(");") && t.split('(').next().is_some_and(|head| head.split_whitespace().count() <= 3)
        || t.ends_with(';') && assignment(t);
    intro && statement && !t.contains('`') && is_codeish(t)
}

/// `dst[i] = src[i];`, `len += n;`, `*p = 0;`: the left side is one C lvalue, without spaces.
fn assignment(t: &str) -> bool {
    let Some((lhs, _)) = t.split_once(" = ").or_else(|| t.split_once(" += ")).or_else(|| t.split_once(" -= ")) else { return false };
    let lhs = lhs.trim_start_matches('*');
    !lhs.is_empty()
        && lhs.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && lhs.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'[' | b']' | b'.' | b'-' | b'>'))
}

/// `case CURLOPT_URL:`, `case 'a': {`, `case 3:`: a label whose value is not an English word.
fn case_label(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("case ") else { return false };
    let Some(value) = rest.strip_suffix(": {").or_else(|| rest.strip_suffix(':')) else { return false };
    let value = value.trim();
    !value.is_empty() && !value.contains(' ') && !value.bytes().all(|c| c.is_ascii_lowercase())
}

/// `va_list param;`, `CURLcode ret;`, `unsigned char buf[64];`, `struct foo *p;`: a C declaration
/// without initialiser (type words then a name, nothing else).
fn declaration(t: &str) -> bool {
    let Some(body) = t.strip_suffix(';') else { return false };
    let words: Vec<&str> = body.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let ident = |w: &str| {
        let w = w.trim_start_matches('*');
        let w = w.split('[').next().unwrap_or("");
        !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') && !w.as_bytes()[0].is_ascii_digit()
    };
    // `This`, `Fix`: a capitalised English word, not a type.
    let english = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && w[1..].bytes().all(|c| c.is_ascii_lowercase());
    let c_words = [
        "static", "const", "unsigned", "signed", "struct", "enum", "union", "volatile", "long", "short", "extern", "char", "int", "void",
        "float", "double", "bool",
    ];
    let types = &words[..words.len() - 1];
    let typed = if types.len() == 1 {
        !english(types[0])
    } else {
        types
            .iter()
            .enumerate()
            .all(|(i, w)| c_words.contains(w) || w.contains('_') || i > 0 && matches!(types[i - 1], "struct" | "enum" | "union"))
    };
    words.iter().all(|w| ident(w)) && typed
}

fn heading_text(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.starts_with('#') {
        let h = t.trim_start_matches('#');
        if h.starts_with(' ') {
            return Some(h.trim().to_ascii_lowercase());
        }
    }
    // `**Steps To Reproduce**` on its own line works as a heading too.
    if t.starts_with("**") && t.trim_end().ends_with("**") && t.len() < 80 {
        return Some(t.trim_matches('*').trim().to_ascii_lowercase());
    }
    None
}

/// The prose right before line `i`: the last non-blank paragraph, at most 6 lines / 600 bytes.
fn before_text(lines: &[&str], i: usize, floor: usize) -> String {
    let mut j = i;
    while j > floor && lines[j - 1].trim().is_empty() {
        j -= 1;
    }
    let mut parts: Vec<&str> = Vec::new();
    let mut total = 0;
    while j > floor && parts.len() < 6 {
        let l = lines[j - 1].trim();
        if l.is_empty() || fence_run(l).is_some() {
            break;
        }
        total += l.len();
        parts.push(l);
        j -= 1;
        if heading_text(l).is_some() || total > 600 {
            break;
        }
    }
    parts.reverse();
    let s = parts.join(" ");
    let start = crate::text::floor_char(&s, s.len().saturating_sub(600));
    s[start..].to_string()
}

/// Splits the report; stops after `max_blocks` blocks (the bool says so).
pub(crate) fn segment(lines: &[&str], max_blocks: usize) -> (Vec<Seg>, bool) {
    let n = lines.len();
    // suffix_max[k][i]: the longest bare fence of char k (0 = backtick, 1 = tilde) at lines >= i;
    // next_bare[i]: the first bare fence line >= i.
    let mut suffix_max = [vec![0usize; n + 1], vec![0usize; n + 1]];
    let mut next_bare = vec![n; n + 1];
    for i in (0..n).rev() {
        suffix_max[0][i] = suffix_max[0][i + 1];
        suffix_max[1][i] = suffix_max[1][i + 1];
        next_bare[i] = next_bare[i + 1];
        if let Some((c, len)) = bare_fence(lines[i]) {
            let k = usize::from(c == b'~');
            suffix_max[k][i] = suffix_max[k][i].max(len);
            next_bare[i] = i;
        }
    }
    let mut segs: Vec<Seg> = Vec::new();
    let mut heading = String::new();
    let mut prose_start: Option<usize> = None;
    let mut last_code_end = 0usize;
    let mut truncated = false;
    let mut i = 0;
    macro_rules! flush {
        ($upto:expr) => {
            if let Some(s) = prose_start.take() {
                if s < $upto {
                    segs.push(Seg {
                        kind: BlockKind::Prose,
                        lang: None,
                        start: s,
                        end: $upto,
                        fenced: false,
                        heading: String::new(),
                        before: String::new(),
                    });
                }
            }
        };
    }
    while i < n {
        if segs.len() >= max_blocks {
            truncated = true;
            break;
        }
        let line = lines[i];
        if let Some(h) = heading_text(line) {
            heading = h;
        }
        if let Some((c, len, info)) = fence_run(line) {
            flush!(i);
            let k = usize::from(c == b'~');
            let lang = info
                .split(|ch: char| ch.is_whitespace() || ch == '{' || ch == ',')
                .next()
                .unwrap_or("")
                .trim_start_matches('.')
                .to_ascii_lowercase();
            let lang = (!lang.is_empty() && lang.len() <= 20).then_some(lang);
            let before = before_text(lines, i, last_code_end);
            let (end, next) = if suffix_max[k][i + 1] >= len {
                let mut j = next_bare[i + 1];
                while j < n {
                    if let Some((c2, len2)) = bare_fence(lines[j]) {
                        if c2 == c && len2 >= len {
                            break;
                        }
                    }
                    j = next_bare[j + 1];
                }
                (j, j + 1)
            } else {
                // Unclosed: the block runs to the next `## Heading`, the end, or the first
                // sentence of prose after some code (a fence the export lost the close of). In a
                // debugger's or program's output (a `gdb`, `log` or `text` fence) sentences are
                // output ("Program terminated with signal SIGSEGV, Segmentation fault."), as is a
                // sentence the next line of a trace follows.
                let output = lang.as_deref().is_some_and(|l| {
                    matches!(l, "gdb" | "lldb" | "log" | "logs" | "console" | "text" | "txt" | "output" | "plaintext" | "shell-session")
                });
                let ends_block = |j: usize| {
                    j > i + 1
                        && !output
                        && is_sentence(lines[j])
                        && !trace::is_trace_start(lines[j])
                        && !lines.get(j + 1).is_some_and(|l| trace::is_trace_line(l) && !l.trim().is_empty())
                };
                let mut j = i + 1;
                while j < n && !is_heading_break(lines[j]) && !ends_block(j) {
                    j += 1;
                }
                (j, j)
            };
            segs.push(Seg {
                kind: BlockKind::ReporterCode,
                lang,
                start: i + 1,
                end: end.min(n),
                fenced: true,
                heading: heading.clone(),
                before,
            });
            last_code_end = next.min(n);
            i = next;
            continue;
        }
        if let Some(end) = crate::patch::unfenced_diff_end(lines, i) {
            flush!(i);
            let before = before_text(lines, i, last_code_end);
            segs.push(Seg {
                kind: BlockKind::ReporterCode,
                lang: Some("diff".into()),
                start: i,
                end,
                fenced: false,
                heading: heading.clone(),
                before,
            });
            last_code_end = end;
            i = end;
            continue;
        }
        let prev_blank = i == 0 || lines[i - 1].trim().is_empty();
        let starts_trace = trace::is_trace_start(line);
        let starts_indented = is_indented(line) && prev_blank && prose_start.is_none_or(|s| s < i);
        // The language of a fence the export lost, on the line before (`c`).
        let lost_lang = i.checked_sub(1).and_then(|p| lost_fence_lang(lines[p]));
        // Python separates its statements with blank lines: the next non-blank line may continue.
        let next_code = lines.get(i + 1).is_some_and(|l| is_codeish(l) || is_comment_line(l))
            || is_pythonish(line.trim())
                && lines[i + 1..].iter().take(3).find(|l| !l.trim().is_empty()).is_some_and(|l| is_codeish(l) || is_indented(l));
        let starts_code = is_codeish(line) && (next_code || quoted_statement(lines, i) || lost_lang.is_some())
            || is_comment_line(line) && lines.get(i + 1).is_some_and(|l| is_codeish(l));
        if starts_trace || starts_indented || starts_code {
            let cont = |l: &str| -> bool {
                if starts_trace {
                    trace::is_trace_line(l) || is_indented(l) || trace::is_debugger_stop(l)
                } else if starts_indented {
                    is_indented(l)
                } else {
                    is_codeish(l) || is_indented(l) || is_comment_line(l)
                }
            };
            let mut j = i + 1;
            loop {
                while j < n && !lines[j].trim().is_empty() && cont(lines[j]) && fence_run(lines[j]).is_none() {
                    j += 1;
                }
                // Blank lines inside: continue when the next non-blank line continues the block.
                let mut k = j;
                while k < n && k < j + 3 && lines[k].trim().is_empty() {
                    k += 1;
                }
                if k > j && k < n && cont(lines[k]) && fence_run(lines[k]).is_none() {
                    j = k;
                    continue;
                }
                break;
            }
            // `int main(void)` alone on the line above the `{` that opens the run (a function
            // written with its brace on the next line): the definition's head belongs to the code.
            let start = if starts_code && line.trim() == "{" && prose_start.is_some_and(|s| s < i) && function_head(lines[i - 1]) {
                i - 1
            } else {
                i
            };
            flush!(start);
            let kind = if starts_trace { BlockKind::Trace } else { BlockKind::ReporterCode };
            let lang = lost_lang.filter(|_| !starts_trace && !starts_indented).map(str::to_string);
            let before = before_text(lines, if lang.is_some() { start - 1 } else { start }, last_code_end);
            segs.push(Seg { kind, lang, start, end: j, fenced: false, heading: heading.clone(), before });
            last_code_end = j;
            i = j;
            continue;
        }
        if prose_start.is_none() {
            prose_start = Some(i);
        }
        i += 1;
    }
    if !truncated {
        flush!(n);
    } else {
        flush!(i);
    }
    // Drop prose segments that are only blank lines.
    segs.retain(|s| s.kind != BlockKind::Prose || lines[s.start..s.end].iter().any(|l| !l.trim().is_empty()));
    (segs, truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, usize, usize, Option<String>)> {
        let lines: Vec<&str> = text.split('\n').collect();
        segment(&lines, 100).0.into_iter().map(|s| (s.kind, s.start, s.end, s.lang)).collect()
    }

    #[test]
    fn a_function_head_above_an_unfenced_brace_opens_the_code() {
        let text = "The program:\n\nint main(void)\n{\n    size_t len = SIZE_MAX;\n    return 0;\n}\n\nThat is all.\n";
        let lines: Vec<&str> = text.lines().collect();
        let (segs, _) = segment(&lines, 100);
        let code = segs.iter().find(|s| s.kind == BlockKind::ReporterCode).expect("a code block");
        assert_eq!(lines[code.start], "int main(void)");
        assert!(function_head("static size_t write_cb(char *ptr, size_t size)"));
        assert!(function_head("CURLcode Curl_http_done(struct Curl_easy *data)"));
        for not in
            ["See the function (below)", "Call it like this: f(x)", "int x = f(y)", "# Heading (draft)", "main(void)", "we call foo(bar)"]
        {
            assert!(!function_head(not), "{not}");
        }
    }

    #[test]
    fn unfenced_c_lines() {
        for code in [
            "va_list param;",
            "CURLcode ret;",
            "unsigned char buf[64];",
            "struct foo *p;",
            "static const char *name;",
            "case CURLOPT_URL:",
            "case X: {",
            "break;",
            "default:",
        ] {
            assert!(is_codeish(code), "{code}");
        }
        assert!(is_codeish("(void)close(fd);"));
        assert!(!is_codeish("(1) create other.txt containing DO NOT TRUNCATE;"));
        assert!(!is_codeish("2. symlink hsts.txt to other.txt;"));
        for prose in ["This is bad;", "See below;", "Fix it;", "case studies:", "Tested on Linux;", "The fix is easy;"] {
            assert!(!is_codeish(prose), "{prose}");
        }
    }

    #[test]
    fn single_quoted_statement() {
        let k = kinds("It checks the wrong value:\nif(sscanf(v->data, \"%127[^,],%127s\", a, b)) {\nAs such it leaks.");
        assert_eq!(k.len(), 3, "{k:?}");
        assert_eq!((k[1].0, k[1].1, k[1].2), (BlockKind::ReporterCode, 1, 2));
        // Without an introducing colon, or for a sentence, the line stays prose.
        assert_eq!(kinds("It checks the wrong value.\nif(sscanf(v->data, \"%s\", a)) {\nAs such.").len(), 1);
        assert_eq!(kinds("Run this:\nThen the function returns (see above);\nok").len(), 1);
        assert_eq!(kinds("The loop copies:\ndst[i] = src[i];\nok").len(), 3);
        assert_eq!(kinds("The fix:\nSet the value a = b;\nok").len(), 1);
    }

    #[test]
    fn an_unclosed_fence_ends_at_the_first_sentence_after_its_code() {
        let k = kinds("Code:\n```c\nh = f(\"%s\", name);\nSince name is not terminated, the call reads past the end.\nimport socket\nimport ssl\ndef run():\n    pass\n");
        assert_eq!((k[1].0, k[1].1, k[1].2), (BlockKind::ReporterCode, 2, 3), "{k:?}");
        assert_eq!(k[2].0, BlockKind::Prose);
        assert_eq!((k[3].0, k[3].1, k[3].2), (BlockKind::ReporterCode, 4, 8), "{k:?}");
        // A comment or an indented line inside the block is not prose.
        let k = kinds("```c\nint x;\n  Since this is indented it stays in the block.\n");
        assert_eq!(k.len(), 1, "{k:?}");
    }

    #[test]
    fn unfenced_python_with_blank_lines() {
        let k = kinds("Run this script:\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n\nclass H(BaseHTTPRequestHandler):\n    def do_GET(self):\n        self.send_response(302)\n\nserver = HTTPServer((\"0.0.0.0\", 8080), H)\nserver.serve_forever()\nThen run curl.");
        assert_eq!((k[1].0, k[1].1, k[1].2), (BlockKind::ReporterCode, 1, 9), "{k:?}");
        assert!(!is_codeish("The result = a mess (see above)"));
        assert!(!is_codeish("Then call foo.bar() again"));
    }

    #[test]
    fn code_whose_fence_the_export_lost() {
        // The info string survives on its own line; the comment inside does not end the block.
        let k = kinds("It checks the size:\nc\nif (s->len + len > s->size) {\n    /* grow */\n}\nHowever, the sum can wrap around here.");
        assert_eq!(k[1], (BlockKind::ReporterCode, 2, 5, Some("c".into())), "{k:?}");
        assert_eq!(k[2].0, BlockKind::Prose);
        // Without the language line, one statement without an introducing colon stays prose.
        assert_eq!(kinds("It checks the size.\nif (s->len + len > s->size) {\nHowever, it wraps.").len(), 1);
        // A comment naming the file, then a statement with a trailing comment.
        let k = kinds("Technical Root Cause\n\n// File: src/tool_cfgable.c (Line ~512)\ngetstr(&config->output, nextarg, DENY_BLANK); // no check\n\nNo normalisation is done.");
        assert_eq!((k[1].0, k[1].1, k[1].2), (BlockKind::ReporterCode, 2, 4), "{k:?}");
        assert!(is_codeish("f(x); // no check here"));
        assert!(!is_codeish("See https://example.com // for more"));
        assert_eq!(without_trailing_comment("a = b; // note"), "a = b;");
        assert_eq!(without_trailing_comment("see http://x.y/z"), "see http://x.y/z");
        assert!(is_comment_line("/* keep going */") && is_comment_line("// File: lib/x.c"));
        assert!(!is_comment_line("/tmp/poc.c"));
        assert_eq!(lost_fence_lang(" c "), Some("c"));
        assert_eq!(lost_fence_lang("C is a language"), None);
    }

    #[test]
    fn unfenced_unified_diff() {
        // A patch made with `diff -u` and pasted without a fence: its hunks run as long as their
        // headers say, blank context lines included; the prose after it is prose again.
        let text = "Fixed it with this patch\n\n--- src/a.c.org 2024-02-23\n+++ src/a.c 2024-03-12\n@@ -262,5 +262,4 @@\n \n error:\n-  free(a);\n-  free(b);\n+  free_all(a, b);\n   return rc;\nThat frees both.";
        let k = kinds(text);
        assert_eq!(k[1], (BlockKind::ReporterCode, 2, 11, Some("diff".into())), "{k:?}");
        assert_eq!(k[2].0, BlockKind::Prose);
        // Two files, the second with git's headers; a hunk cut short ends the block at the end.
        let text = "--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n-a\n+b\n c\ndiff --git a/y.c b/y.c\nindex 1111111..2222222 100644\n--- a/y.c\n+++ b/y.c\n@@ -7 +7,3 @@\n+d";
        assert_eq!(kinds(text), vec![(BlockKind::ReporterCode, 0, 12, Some("diff".into()))]);
        // A `---` line without the `+++` and `@@` lines is prose.
        assert_eq!(kinds("--- Summary ---\n+++ nothing\nmore").len(), 1);
    }

    #[test]
    fn fences() {
        let k = kinds("a\n```c\nx;\n```\nb\n````\n```\n````\nc");
        assert_eq!(k.len(), 5);
        assert_eq!(k[1], (BlockKind::ReporterCode, 2, 3, Some("c".into())));
        assert_eq!(k[3], (BlockKind::ReporterCode, 6, 7, None));
    }

    #[test]
    fn unclosed_fence_stops_at_heading() {
        let k = kinds("a\n```c\nx;\n## Impact\nbad");
        assert_eq!(k[1], (BlockKind::ReporterCode, 2, 3, Some("c".into())));
        assert_eq!(k[2].0, BlockKind::Prose);
    }

    #[test]
    fn an_unclosed_fence_runs_on_through_the_debuggers_stop() {
        // The index cut the post off, so the fence never closes: gdb's "Program received signal"
        // is output, not the sentence that ends the block.
        let k = kinds("It crashes:\n```\nTest: one... done.\nTest: two...\nProgram received signal SIGSEGV, Segmentation fault.\n__GI___libc_free (mem=0x4101) at malloc.c:3375\n3375\t  if (chunk_is_mmapped (p))\n(gdb) bt\n#0  __GI___libc_free (mem=0x4101) at malloc.c:3375\n#1  0x00007ffff7fb5cf6 in system_free () at protobuf-c.c:161");
        assert_eq!(k.len(), 2, "{k:?}");
        assert_eq!((k[1].1, k[1].2), (2, 10), "{k:?}");
        // Unfenced, the stop and its source line continue the trace.
        let k = kinds("It crashes:\n\nProgram received signal SIGSEGV, Segmentation fault.\n__GI___libc_free (mem=0x4101) at malloc.c:3375\n3375\t  if (chunk_is_mmapped (p))\n(gdb) bt\n#0  __GI___libc_free (mem=0x4101) at malloc.c:3375\n\nThat is all.");
        assert!(k.iter().any(|b| b.0 == BlockKind::Trace && (b.1, b.2) == (2, 7)), "{k:?}");
        assert!(trace::is_debugger_stop("parse_member (m=0x5555) at protobuf-c.c:2400"));
        assert!(!trace::is_debugger_stop("See the call (twice) at the end: done"));
        assert!(!trace::is_debugger_stop("2024 was a year"));
    }

    #[test]
    fn unfenced_trace_and_indented_code() {
        let k = kinds("text\n==1==ERROR: AddressSanitizer: heap-buffer-overflow\n    #0 0x1 in f a.c:1\n\nSUMMARY: AddressSanitizer: x\nmore text\n\n    gcc -o x x.c\n\nend");
        assert_eq!(k[1].0, BlockKind::Trace);
        assert_eq!((k[1].1, k[1].2), (1, 5));
        assert_eq!(k[3].0, BlockKind::ReporterCode);
        assert_eq!((k[3].1, k[3].2), (7, 8));
        // An unfenced Helgrind report (its frames name files of the C library, not the project's).
        let k = kinds("Here is one:\n\n==43481== Possible data race during read of size 1 at 0x8325DE8 by thread #7\n==43481== Locks held: none\n==43481==    at 0x8325DE8: ns_name_pton (ns_name.c:160)\n==43481==    by 0x831D8DF: __res_hnok (res_comp.c:202)\n\nend");
        assert!(k.iter().any(|b| b.0 == BlockKind::Trace && b.1 == 2), "{k:?}");
    }

    #[test]
    fn many_unclosed_fences_are_linear() {
        let text = "```x\n".repeat(50_000);
        let lines: Vec<&str> = text.split('\n').collect();
        let t = std::time::Instant::now();
        let _ = segment(&lines, 2000);
        assert!(t.elapsed().as_secs() < 5);
    }
}
