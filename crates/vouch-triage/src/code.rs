//! Small helpers over source text: line access, normalisation for fuzzy matching, identifiers.

use std::collections::HashMap;

/// Source extensions whose lines are indexed for snippet search.
pub(crate) const SOURCE_EXTENSIONS: &[&str] = &[
    "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "hxx", "inc", "inl", "ipp", "tcc", "tpp", "txx", "m", "mm", "py", "rs", "go", "js", "ts",
    "java", "rb", "php", "pl", "pm", "sh", "cs", "swift", "kt", "scala", "lua", "cmake", "am", "ac", "in",
];

pub(crate) fn is_source_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if matches!(name, "CMakeLists.txt" | "Makefile" | "configure.ac" | "Makefile.am") {
        return true;
    }
    name.rsplit_once('.').is_some_and(|(_, ext)| SOURCE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// The 1-based line `n` of `text`.
pub(crate) fn line_of(text: &str, n: u32) -> Option<&str> {
    if n == 0 {
        return None;
    }
    text.lines().nth(n as usize - 1)
}

/// The lines of a `#define` that starts on line `n`: the first and its continuations (lines ending
/// in `\`), at most `max`.
pub(crate) fn macro_lines(text: &str, n: u32, max: u32) -> Vec<&str> {
    let mut out = Vec::new();
    for k in n..n.saturating_add(max) {
        let Some(l) = line_of(text, k) else { break };
        out.push(l);
        if !l.trim_end().ends_with('\\') {
            break;
        }
    }
    out
}

/// The text without any whitespace (`sizeof( buf ) - 1` → `sizeof(buf)-1`), for comparing
/// expressions across formatting.
pub(crate) fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The lines of C source with everything but code blanked to spaces, column for column:
/// comments (also across lines), the contents and quotes of string and character literals,
/// preprocessor directives (with their continuation lines), and bytes that are not ASCII. A
/// brace or a parenthesis left is the code's own.
pub(crate) fn blank_non_code<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_comment = false;
    let mut directive = false;
    for l in lines {
        let l = l.as_ref();
        let mut code = String::with_capacity(l.len());
        if directive || !in_comment && l.trim_start().starts_with('#') {
            directive = l.trim_end().ends_with('\\');
            code.push_str(&" ".repeat(l.len()));
            out.push(code);
            continue;
        }
        let b = l.as_bytes();
        let mut i = 0;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            if in_comment {
                if c == b'*' && b.get(i + 1) == Some(&b'/') {
                    in_comment = false;
                    code.push_str("  ");
                    i += 2;
                    continue;
                }
                code.push(' ');
            } else if let Some(q) = quote {
                if c == b'\\' && i + 1 < b.len() {
                    code.push_str("  ");
                    i += 2;
                    continue;
                }
                if c == q {
                    quote = None;
                }
                code.push(' ');
            } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                in_comment = true;
                code.push_str("  ");
                i += 2;
                continue;
            } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
                code.push_str(&" ".repeat(b.len() - i));
                break;
            } else if c == b'"' || c == b'\'' {
                quote = Some(c);
                code.push(' ');
            } else if c.is_ascii() {
                code.push(c as char);
            } else {
                code.push(' ');
            }
            i += 1;
        }
        out.push(code);
    }
    out
}

/// A line with comments and all whitespace removed, for comparing code across formatting.
pub(crate) fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_str: Option<char> = None;
    while let Some(c) = rest.chars().next() {
        if in_str.is_none() {
            if rest.starts_with("//") || rest.starts_with('#') && out.is_empty() && rest.starts_with("# ") {
                break;
            }
            if rest.starts_with("/*") {
                match rest[2..].find("*/") {
                    Some(end) => {
                        rest = &rest[2 + end + 2..];
                        continue;
                    }
                    None => break,
                }
            }
        }
        match in_str {
            Some(q) if c == q => in_str = None,
            Some(_) if c == '\\' => {
                out.push(c);
                rest = &rest[1..];
                if let Some(n) = rest.chars().next() {
                    out.push(n);
                    rest = &rest[n.len_utf8()..];
                }
                continue;
            }
            None if c == '"' || c == '\'' => in_str = Some(c),
            _ => {}
        }
        if in_str.is_some() || !c.is_whitespace() {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether a normalised line says something specific enough to be matched.
pub(crate) fn significant(norm: &str) -> bool {
    norm.len() >= 6
        && norm.bytes().filter(|b| b.is_ascii_alphabetic()).count() >= 3
        && !norm.contains("...")
        && !norm.contains('…')
        && !matches!(norm, "#endif" | "#else" | "}else{" | "break;" | "default:" | "continue;" | "returnNULL;" | "return0;" | "return-1;")
}

/// Whether a line compares values (`<`, `>`, `==`, `!=`): `p->member` is no comparison, nor is a shift.
pub(crate) fn is_comparison(line: &str) -> bool {
    let line = line.replace("->", "").replace("<<", "").replace(">>", "");
    line.contains('<') || line.contains('>') || line.contains("!=") || line.contains("==")
}

/// A normalised line that is an `if` (or `else if`) whose condition compares values: the check a
/// report argues about, which quotes copy rather than paraphrase.
pub(crate) fn is_condition(norm: &str) -> bool {
    let t = norm.trim_start_matches('}');
    let t = t.strip_prefix("else").unwrap_or(t);
    t.starts_with("if(") && is_comparison(t)
}

/// `text` split at `sep` where no parenthesis or bracket is open.
pub(crate) fn split_top_level<'a>(text: &'a str, sep: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let (mut depth, mut from, mut i) = (0i32, 0usize, 0usize);
    let b = text.as_bytes();
    while i < b.len() {
        match b[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ if depth == 0 && text[i..].starts_with(sep) => {
                out.push(&text[from..i]);
                i += sep.len();
                from = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&text[from..]);
    out
}

/// Names called on a line of C: identifiers followed by `(` (not keywords).
pub(crate) fn called_names(line: &str) -> Vec<&str> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_') || i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let name = &line[start..i];
        if line[i..].trim_start().starts_with('(') && !matches!(name, "if" | "while" | "for" | "switch" | "return" | "sizeof" | "defined") {
            out.push(name);
        }
    }
    out
}

/// Identifier tokens of a line.
pub(crate) fn identifiers(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(&text[start..i]);
        } else {
            i += 1;
        }
    }
    out
}

/// Dice similarity of the identifier sets of two lines (1 when both have none and are equal).
pub(crate) fn token_similarity(a: &str, b: &str) -> f64 {
    let ta: std::collections::HashSet<&str> = identifiers(a).into_iter().collect();
    let tb: std::collections::HashSet<&str> = identifiers(b).into_iter().collect();
    if ta.is_empty() || tb.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let inter = ta.intersection(&tb).count() as f64;
    2.0 * inter / (ta.len() + tb.len()) as f64
}

/// Normalised lines of a file: `normalised text -> line numbers`, plus the lines in order.
pub(crate) struct FileLines {
    pub lines: Vec<String>,
    pub by_text: HashMap<String, Vec<u32>>,
}

impl FileLines {
    pub fn new(text: &str) -> FileLines {
        let lines: Vec<String> = text.lines().map(normalise).collect();
        let mut by_text: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            for key in match_keys(l) {
                by_text.entry(key.to_string()).or_default().push(i as u32 + 1);
            }
        }
        FileLines { lines, by_text }
    }
}

/// The texts a quote may give for a normalised line of the project: the line, when it is
/// significant, and the value it assigns (a quote may leave out what the value is assigned to:
/// `Curl_client_write(data, ...` of `result = Curl_client_write(data, ...`).
pub(crate) fn match_keys(norm: &str) -> impl Iterator<Item = &str> {
    Some(norm).filter(|l| significant(l)).into_iter().chain(assigned_value(norm).filter(|v| significant(v)))
}

/// The value of a normalised assignment (`result=Curl_client_write(...` gives
/// `Curl_client_write(...`): what follows the first `=` that is no comparison or compound
/// operator, when only a name (with members and indexes) stands before it.
fn assigned_value(norm: &str) -> Option<&str> {
    let i = norm.find('=')?;
    let (target, value) = (&norm[..i], &norm[i + 1..]);
    let simple = !target.is_empty()
        && target.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '>' | '-' | '[' | ']' | '*'))
        && !target.ends_with(['-', '>', '*'])
        && !target.starts_with(|c: char| c.is_ascii_digit());
    (simple && !value.starts_with('=') && !value.is_empty()).then_some(value)
}

/// Result of matching a code excerpt against a file.
#[derive(Debug, Clone)]
pub(crate) struct Match {
    /// Significant lines of the excerpt.
    pub wanted: usize,
    /// How many were found (exactly or nearly).
    pub found: usize,
    /// 1-based lines of the file where they were found, in excerpt order.
    pub at: Vec<u32>,
}

impl Match {
    pub fn fraction(&self) -> f64 {
        if self.wanted == 0 {
            0.0
        } else {
            self.found as f64 / self.wanted as f64
        }
    }
    /// The range holding most of the matched lines (the densest window of 80 lines).
    pub fn span(&self) -> Option<(u32, u32)> {
        let mut at = self.at.clone();
        at.sort_unstable();
        let mut best = (0usize, 0usize);
        let mut j = 0;
        for i in 0..at.len() {
            while at[i] - at[j] > 80 {
                j += 1;
            }
            if i + 1 - j > best.1 - best.0 {
                best = (j, i + 1);
            }
        }
        (best.1 > best.0).then(|| (at[best.0], at[best.1 - 1]))
    }
}

/// Matches the significant lines of `excerpt` (already normalised) against a file, exactly and
/// then by identifier similarity near the exact matches.
pub(crate) fn match_lines(excerpt: &[String], file: &FileLines) -> Match {
    match_lines_near(excerpt, &[], file)
}

/// The lines of a quote too plain to match on their own (`fail:`, `return NULL;`): among places
/// that match the quote's other lines equally well, the one with these lines around it is the
/// place quoted.
pub(crate) fn plain_lines(code: &str) -> Vec<String> {
    unnumbered(code).lines().map(normalise).filter(|l| l.len() >= 4 && !significant(l)).collect()
}

/// [`match_lines`], preferring among equally tight matches the one with more of the quote's
/// `near` lines (its plain lines) within a few lines of it.
pub(crate) fn match_lines_near(excerpt: &[String], near: &[String], file: &FileLines) -> Match {
    // Each exact line at the occurrence closest to the previous match, starting from the
    // occurrence of the first found line that keeps the whole excerpt tightest: a line repeated
    // in the file (`lock(x);`) must not pull the match to an earlier copy of it.
    let walk = |seed: u32| {
        let mut at = Vec::new();
        let mut missing = Vec::new();
        let mut last = seed;
        for (i, l) in excerpt.iter().enumerate() {
            match file.by_text.get(l) {
                Some(lines) => {
                    last = *lines.iter().min_by_key(|&&n| (n as i64 - last as i64).unsigned_abs()).unwrap_or(&lines[0]);
                    at.push(last);
                }
                None => missing.push(i),
            }
        }
        (at, missing)
    };
    let seeds: &[u32] = excerpt.iter().find_map(|l| file.by_text.get(l)).map_or(&[], |v| v.as_slice());
    let width = |at: &[u32]| at.iter().max().copied().unwrap_or(0) - at.iter().min().copied().unwrap_or(0);
    let (mut at, missing) = match seeds.first() {
        None => (Vec::new(), (0..excerpt.len()).collect()),
        Some(&first) => {
            let mut best = walk(first);
            // Bounded work for long quotes: at most 64 starts, fewer the longer the quote.
            let tries = (4096 / excerpt.len().max(1)).clamp(1, 64);
            let reach = (excerpt.len() + near.len() + 2) as u32;
            let around = |at: &[u32]| {
                let (lo, hi) = (at.iter().min().copied().unwrap_or(0), at.iter().max().copied().unwrap_or(0));
                let lo = lo.saturating_sub(reach).max(1) as usize;
                let hi = (hi + reach).min(file.lines.len() as u32) as usize;
                near.iter().filter(|l| file.lines.get(lo - 1..hi).is_some_and(|w| w.contains(l))).count()
            };
            let mut best_near = if near.is_empty() { 0 } else { around(&best.0) };
            for &seed in seeds.iter().skip(1).take(tries - 1) {
                let w = walk(seed);
                let (a, b) = (width(&w.0), width(&best.0));
                if a < b {
                    best_near = if near.is_empty() { 0 } else { around(&w.0) };
                    best = w;
                } else if a == b && !near.is_empty() {
                    let n = around(&w.0);
                    if n > best_near {
                        best_near = n;
                        best = w;
                    }
                }
            }
            best
        }
    };
    let anchor = {
        let mut s = at.clone();
        s.sort_unstable();
        s.get(s.len() / 2).copied()
    };
    for i in missing {
        let l = &excerpt[i];
        let (lo, hi) = match anchor {
            Some(a) => (a.saturating_sub(120) as usize, (a as usize + 120).min(file.lines.len())),
            None => (0, file.lines.len().min(20_000)),
        };
        let mut best = (0.0, 0u32);
        for (j, fl) in file.lines[lo..hi].iter().enumerate() {
            if !significant(fl) {
                continue;
            }
            let s = token_similarity(l, fl);
            if s > best.0 {
                best = (s, (lo + j) as u32 + 1);
            }
        }
        // Most identifiers shared: one renamed argument in a four-identifier line is not enough.
        if best.0 > 0.8 {
            at.push(best.1);
        }
    }
    Match { wanted: excerpt.len(), found: at.len(), at }
}

/// Whether a quote marks that it leaves code out: `...`, `…`, or a line of its own that says so
/// (`// --- snip ---`, `/* omitted for brevity */`, `[snip]`, `<cut>`). Words a comment of the
/// code itself may use (`shortcut`, `the rest of the buffer`) do not count.
pub(crate) fn marks_elision(code: &str) -> bool {
    code.contains("...")
        || code.contains('…')
        || code.lines().any(|l| {
            let t = l.trim();
            let note = ["//", "/*", "#", "[", "<", "--"].iter().any(|p| t.starts_with(p)) && t.len() <= 80;
            let t = t.to_ascii_lowercase();
            note && ["snip", "omitted", "elided", "for brevity", "<cut>", "[cut]", "code removed", "removed for"]
                .iter()
                .any(|w| t.contains(w))
        })
}

/// The significant normalised lines of a code excerpt (reporter annotations and elisions dropped).
pub(crate) fn excerpt_lines(code: &str) -> Vec<String> {
    unnumbered(code).lines().map(normalise).flat_map(|l| split_statements(&l)).filter(|l| significant(l)).collect()
}

/// A normalised line holding several statements (`case'=':action=set;break;`), as quotes
/// compress them, split into one per line as code is usually written: after each `;` and after a
/// `case X:` or `default:` label, outside parentheses, strings and character literals. `for(;;)`
/// headers stay whole.
fn split_statements(line: &str) -> Vec<String> {
    if line.starts_with("for(") {
        return vec![line.to_string()];
    }
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        cur.push(c);
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ';' if depth == 0 => parts.push(std::mem::take(&mut cur)),
            ':' if depth == 0 && (cur.starts_with("case") || cur == "default:") && !cur.ends_with("::") => {
                parts.push(std::mem::take(&mut cur))
            }
            _ => {}
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    if parts.len() <= 1 {
        return vec![line.to_string()];
    }
    parts
}

/// The line number a copied line starts with: `730   code`, `730: code`, `730 | code`, the same
/// after a file name (`fsck.minix.c:551  code`, as `grep -n` prints), or a `git blame` line
/// (`d1e7d9197b file (Name 2021-09-26 23:20:53 +0200 731) code`). Returns the number and the code
/// after it.
fn numbered_line(line: &str) -> Option<(u64, &str)> {
    let t = line.trim_start();
    // git blame: hash, optional path, "(author date time zone N)".
    let hash_len = t.trim_start_matches('^').bytes().take_while(|b| b.is_ascii_hexdigit()).count();
    if hash_len >= 7 {
        if let Some(open) = t.find(" (") {
            if let Some(close) = t[open..].find(')').map(|c| open + c) {
                let inside = &t[open + 2..close];
                if let Some(n) = inside.rsplit(' ').next().and_then(|w| w.parse::<u64>().ok()) {
                    if inside.contains('-') && inside.contains(':') {
                        return Some((n, t[close + 1..].strip_prefix(' ').unwrap_or(&t[close + 1..])));
                    }
                }
            }
        }
    }
    // `grep -n` and reporters' listings: `fsck.minix.c:551  code`, `lib/x.c:551: code`.
    let t = match t.split_once(':') {
        Some((path, rest))
            if path.rsplit_once('.').is_some_and(|(stem, ext)| {
                !stem.is_empty() && (1..=4).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphabetic())
            }) && path.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'))
                && rest.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => t,
    };
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let n = t[..digits].parse().ok()?;
    let rest = &t[digits..];
    let rest = if let Some(r) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('|')) {
        r.strip_prefix(' ').unwrap_or(r)
    } else if rest.is_empty() {
        rest
    } else if rest.starts_with([' ', '\t']) {
        &rest[1..]
    } else {
        return None;
    };
    Some((n, rest))
}

/// A source view's line with a gutter of marks instead of a number (`||||: /* note */`,
/// `----: }`): two or more of `|`, `-`, `.` or `*`, then a colon.
fn gutter_mark(line: &str) -> bool {
    let t = line.trim_start();
    let marks = t.bytes().take_while(|b| matches!(b, b'|' | b'-' | b'.' | b'*')).count();
    marks >= 2 && t[marks..].starts_with(':')
}

/// Code copied with its line numbers (an editor, `cat -n`, `git blame`): without them, when most
/// lines carry one and the numbers never go down.
///
/// An analyser's event list (Coverity's "3. Overrunning array ..." sentences between the numbered
/// source lines it quotes) is its numbered lines alone, when no unnumbered line looks like code.
pub(crate) fn unnumbered(code: &str) -> std::borrow::Cow<'_, str> {
    // A source view's gutter marks for lines it leaves out or annotates (`||||:`, `----:`) are
    // neither numbered code nor code between numbered lines.
    let lines: Vec<&str> = code.lines().filter(|l| !l.trim().is_empty() && !gutter_mark(l)).collect();
    let numbered: Vec<(u64, &str)> = lines.iter().filter_map(|l| numbered_line(l)).collect();
    if numbered.len() < 2 || numbered.windows(2).any(|w| w[1].0 < w[0].0) {
        return std::borrow::Cow::Borrowed(code);
    }
    if numbered.len() * 10 < lines.len() * 6 {
        let code_between = lines.iter().filter(|l| numbered_line(l).is_none()).any(|l| {
            let t = l.trim();
            t.ends_with([';', '{', '}', ')']) || t.starts_with("#if") || t.starts_with("#define") || t.starts_with("#include")
        });
        if code_between {
            return std::borrow::Cow::Borrowed(code);
        }
        let mut out = String::with_capacity(code.len());
        for (_, rest) in &numbered {
            out.push_str(rest);
            out.push('\n');
        }
        return std::borrow::Cow::Owned(out);
    }
    let mut out = String::with_capacity(code.len());
    for l in code.lines().filter(|l| !gutter_mark(l)) {
        match numbered_line(l) {
            Some((_, rest)) => out.push_str(rest),
            None => out.push_str(l),
        }
        out.push('\n');
    }
    std::borrow::Cow::Owned(out)
}

/// British and American spellings that identifiers and file names differ by (`analyse.c` for
/// `analyze.c`, `initialise` for `initialize`, `colour` for `color`), each swapped at one place:
/// the names a report may write for the project's, at most eight.
pub(crate) fn spelling_variants(name: &str) -> Vec<String> {
    const SWAPS: &[(&str, &str)] = &[
        ("yse", "yze"),
        ("yze", "yse"),
        ("isation", "ization"),
        ("ization", "isation"),
        ("ise", "ize"),
        ("ize", "ise"),
        ("our", "or"),
        ("olor", "olour"),
        ("avior", "aviour"),
    ];
    let mut out: Vec<String> = Vec::new();
    for (from, to) in SWAPS {
        for (at, _) in name.match_indices(from) {
            let v = format!("{}{to}{}", &name[..at], &name[at + from.len()..]);
            if v != name && !out.contains(&v) && out.len() < 8 {
                out.push(v);
            }
        }
    }
    out
}

/// Words that C names shorten and reports write out, or the other way round (`http_rw_headers`
/// for `http_rw_hd`, `conn_buffer_free` for `conn_buf_free`), each swapped at one `_`-separated
/// part of the name: the names a report may write for the project's, at most eight.
pub(crate) fn abbreviation_variants(name: &str) -> Vec<String> {
    const WORDS: &[(&str, &str)] = &[
        ("hd", "header"),
        ("hd", "headers"),
        ("hdr", "header"),
        ("hdrs", "headers"),
        ("buf", "buffer"),
        ("len", "length"),
        ("msg", "message"),
        ("ctx", "context"),
        ("cb", "callback"),
        ("conn", "connection"),
        ("req", "request"),
        ("resp", "response"),
        ("str", "string"),
        ("cfg", "config"),
        ("addr", "address"),
        ("param", "parameter"),
        ("params", "parameters"),
        ("cnt", "count"),
        ("idx", "index"),
        ("err", "error"),
        ("attr", "attribute"),
        ("cert", "certificate"),
        ("pkt", "packet"),
        ("auth", "authentication"),
    ];
    let parts: Vec<&str> = name.split('_').collect();
    let mut out: Vec<String> = Vec::new();
    if parts.len() < 2 {
        return out;
    }
    for (i, part) in parts.iter().enumerate() {
        for (short, long) in WORDS {
            let to = if part == short {
                long
            } else if part == long {
                short
            } else {
                continue;
            };
            let mut v: Vec<&str> = parts.clone();
            v[i] = to;
            let v = v.join("_");
            if !out.contains(&v) && out.len() < 8 {
                out.push(v);
            }
        }
    }
    out
}

/// The bundled dependency a path lies in: the folder under a folder of bundled dependencies
/// (`deps/lua` of `deps/lua/src/lua.c`; `third_party`, `vendor` and the like), if any.
pub(crate) fn bundled_dependency(path: &str) -> Option<&str> {
    const FOLDERS: &[&str] = &["deps", "third_party", "thirdparty", "third-party", "3rdparty", "vendor", "vendored", "external", "extern"];
    let mut at = 0;
    let parts: Vec<&str> = path.split('/').collect();
    for (i, p) in parts.iter().enumerate() {
        // The dependency's folder, not its file: `deps/atoi.c` is no dependency's.
        if FOLDERS.contains(p) && i + 2 < parts.len() {
            return Some(&path[..at + p.len() + 1 + parts[i + 1].len()]);
        }
        at += p.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_swapped_one_part_at_a_time() {
        let v = abbreviation_variants("http_rw_headers");
        assert_eq!(v, vec!["http_rw_hd".to_string(), "http_rw_hdrs".to_string()]);
        assert_eq!(abbreviation_variants("conn_buf_free"), vec!["connection_buf_free".to_string(), "conn_buffer_free".to_string()]);
        // Only whole parts: `bufsize` and `strlen` are words of their own.
        assert!(abbreviation_variants("get_bufsize").is_empty());
        assert!(abbreviation_variants("strlen").is_empty());
    }

    #[test]
    fn normalising_ignores_layout_and_comments() {
        assert_eq!(normalise("  if(len > max) {   // <-- check"), "if(len>max){");
        assert_eq!(normalise("if (len > max) { /* x */"), "if(len>max){");
        assert_eq!(normalise("  strcpy(buf, \"a // b\");"), "strcpy(buf,\"a // b\");");
        assert!(significant(&normalise("result = Curl_http_output_auth(data);")));
        assert!(!significant(&normalise("  }")));
        assert!(!significant(&normalise("  ...")));
    }

    #[test]
    fn quotes_mark_what_they_leave_out() {
        assert!(marks_elision("f();\n  // --- snip ---\ng();"));
        assert!(marks_elision("f();\n/* omitted for brevity */\ng();"));
        assert!(marks_elision("f();\n[snip]"));
        assert!(marks_elision("f(a, ...);"));
        // Comments the code itself holds are not elisions.
        assert!(!marks_elision("f();\n/* shortcut for the rest of the buffer */\ng();"));
        assert!(!marks_elision("f();\ng();"));
    }

    #[test]
    fn member_arrows_and_shifts_are_not_comparisons() {
        assert!(!is_comparison("if(!ftpc->dirs)"));
        assert!(!is_comparison("x = a << 2 | b >> 1;"));
        assert!(is_comparison("if(p->len > max)"));
        assert!(is_comparison("if(n <= sizeof(buf))"));
        assert!(is_comparison("if(a != b)"));
    }

    #[test]
    fn a_quote_may_leave_out_the_assignment() {
        assert_eq!(assigned_value("result=Curl_client_write(data,CLIENTWRITE_BODY,"), Some("Curl_client_write(data,CLIENTWRITE_BODY,"));
        assert_eq!(assigned_value("conn->bits.close=TRUE;"), Some("TRUE;"));
        assert_eq!(assigned_value("if(a==b)"), None);
        assert_eq!(assigned_value("if(n>=max)"), None);
        assert_eq!(assigned_value("len+=n;"), None);
        assert_eq!(assigned_value("p->x-=1;"), None);
        let file = FileLines::new(
            "static int f(void)\n{\n  result = Curl_client_write(data, CLIENTWRITE_BODY,\n                             buf, len);\n}\n",
        );
        let m = match_lines(&excerpt_lines("Curl_client_write(data, CLIENTWRITE_BODY,\n  buf, len);"), &file);
        assert_eq!((m.found, m.at.clone()), (2, vec![3, 4]));
    }

    #[test]
    fn compressed_statements_are_split() {
        assert_eq!(excerpt_lines("case '=': action = set;   break;"), ["case'=':", "action=set;"]);
        assert_eq!(excerpt_lines("a = f(x; y); bb = gg(2);"), ["a=f(x;y);", "bb=gg(2);"]);
        assert_eq!(excerpt_lines("for(i = 0; i < n; i++) {"), ["for(i=0;i<n;i++){"]);
        assert_eq!(excerpt_lines("sep = \"a;b\"; term = ';';"), ["sep=\"a;b\";", "term=';';"]);
        assert_eq!(excerpt_lines("memcpy(dst, src, len);"), ["memcpy(dst,src,len);"]);
    }

    #[test]
    fn copied_line_numbers_are_not_code() {
        let code = " 729     if((pub_pos != b64_pos) ||\n 730        strncmp(a, b, n)) {\n ...\n 731       free(a);\n";
        assert_eq!(excerpt_lines(code), ["if((pub_pos!=b64_pos)||", "strncmp(a,b,n)){", "free(a);"]);
        let blame = "d1e7d9197b lib/x.c (Mats L 2021-09-26 23:20:53 +0200  731)       free(fp);\nd1e7d9197b lib/x.c (Mats L 2021-09-26 23:20:53 +0200  732)   rc = close(fd);\n";
        assert_eq!(excerpt_lines(blame), ["free(fp);", "rc=close(fd);"]);
        // After a file name, as `grep -n` prints and reporters list them.
        let listed = "    fsck.minix.c:551  for (size = 16; size + 2 < MINIX_BLOCK_SIZE; size <<= 1)\n    fsck.minix.c:554      namelen = size - 2;\n";
        assert_eq!(excerpt_lines(listed), ["for(size=16;size+2<MINIX_BLOCK_SIZE;size<<=1)", "namelen=size-2;"]);
        let grep = "lib/ws.c:581:  memcpy(out, in, len);\nlib/ws.c:590:  out[len] = 0;\n";
        assert_eq!(excerpt_lines(grep), ["memcpy(out,in,len);", "out[len]=0;"]);
        // Not a file name: a member before a conditional expression's colon.
        assert_eq!(numbered_line("x ? s.len:1 : 2;"), None);
        // Numbers that are code stay: a table of values, or lines that do not count up.
        let table = "  10, 20,\n  5, 6,\n";
        assert_eq!(unnumbered(table), table);
        let one = "42 = x;\nint y;\nint z;\n";
        assert_eq!(unnumbered(one), one);
        // An analyser's event list: the sentences between the numbered lines are not code.
        let events = "In file ssl_tls.c\n\n1. In function f() condition \"v == 0\", taking true branch.\n\n3459:    len = (v == 0) ? 36 : 12;\n\n3. Overrunning array \"buf\" of 12 bytes.\n\n3463:    memcpy(buf, src, len);\n3464:#endif\n";
        assert_eq!(excerpt_lines(events), ["len=(v==0)?36:12;", "memcpy(buf,src,len);"]);
        // Unnumbered code between them keeps the whole block as it is.
        let mixed = "3459:    len = f(v);\n  g(len);\n  h(len);\n3463:    memcpy(buf, src, len);\n";
        assert_eq!(unnumbered(mixed), mixed);
        // A source view's gutter marks (`||||:`, `----:`) for left-out or annotated lines.
        let view = "   1045: size_t release(mstate m) {\n   ||||:\n   ||||: /* Local reference: mstate m = 0x7f; */\n   1064:     m->dvsize = 0;\n   1065:   } else {\n   1066:     unlink_chunk(m, tp);\n   ----: }\n";
        assert_eq!(unnumbered(view), "size_t release(mstate m) {\n    m->dvsize = 0;\n  } else {\n    unlink_chunk(m, tp);\n");
    }

    #[test]
    fn matching_tolerates_drift_and_small_edits() {
        let file = "int a;\nstatic int f(int x)\n{\n  if(x > 10)\n    return 1;\n  memcpy(dst, src, x);\n  return 0;\n}\n";
        let fl = FileLines::new(file);
        let ex = excerpt_lines("if (x > 10)\n  return 1;\nmemcpy(dst, src, x);   // overflow here");
        let m = match_lines(&ex, &fl);
        assert_eq!((m.wanted, m.found), (3, 3));
        assert_eq!(m.span(), Some((4, 6)));
        let ex = excerpt_lines("memcpy(dst, src, len);\nfoo_bar_baz(qux);");
        let m = match_lines(&ex, &fl);
        assert_eq!(m.wanted, 2);
        assert_eq!(m.found, 0, "{m:?}");
    }

    #[test]
    fn a_repeated_first_line_does_not_pull_the_match_to_its_earlier_copy() {
        let file = "void a(void)\n{\n  lock(m);\n  x = 1;\n  unlock(m);\n}\nvoid b(void)\n{\n  lock(m);\n  rc = cb(data);\n  unlock(m);\n  if(rc == -1)\n    return;\n}\n";
        let fl = FileLines::new(file);
        let m = match_lines(&excerpt_lines("lock(m);\nrc = cb(data);\nunlock(m);\nif(rc == -1)"), &fl);
        assert_eq!((m.wanted, m.found), (4, 4));
        assert_eq!(m.span(), Some((9, 12)), "{m:?}");
    }

    #[test]
    fn identifiers_and_similarity() {
        assert_eq!(identifiers("a_b(c, 12x) + _d"), ["a_b", "c", "x", "_d"]);
        assert!(token_similarity("memcpy(dst,src,len);", "memcpy(dst,src,n);") > 0.6);
        assert!(is_source_path("lib/http.c") && is_source_path("CMakeLists.txt") && !is_source_path("README.md"));
        assert_eq!(line_of("a\nb\nc", 2), Some("b"));
        assert_eq!(line_of("a\nb\nc", 4), None);
    }
}
