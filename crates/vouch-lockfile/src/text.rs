//! Shared helpers: structured parsing with line numbers in errors, and line lookups for entries.

use crate::{Input, LockError};
use std::collections::HashMap;

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Line numbers of byte offsets, by binary search over the line starts.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// Parses JSON; errors carry the line.
pub fn json(input: &Input) -> Result<serde_json::Value, LockError> {
    json_text(input, input.text)
}

/// Parses JSON text (which may differ from the file's, e.g. with comments blanked out).
pub fn json_text(input: &Input, text: &str) -> Result<serde_json::Value, LockError> {
    serde_json::from_str(text).map_err(|e| input.syntax(Some(e.line()).filter(|&l| l > 0), format!("invalid JSON: {e}")))
}

/// Parses TOML; errors carry the line.
pub fn toml(input: &Input) -> Result<toml::Table, LockError> {
    input.text.parse::<toml::Table>().map_err(|e| {
        let line = e.span().map(|s| line_of(input.text, s.start));
        input.syntax(line, format!("invalid TOML: {}", e.message()))
    })
}

/// Parses a TOML lockfile whose per-file lists (`wheels = [...]` in uv.lock, `files = [...]` in
/// poetry.lock: every wheel's URL, hash and size) are not needed: those multi-line arrays are
/// blanked out first (lines kept, so line numbers hold), which makes large lockfiles several times
/// faster to read. If the blanked text does not parse, the original is parsed and its error reported.
pub fn toml_without_lists(input: &Input, keys: &[&str]) -> Result<toml::Table, LockError> {
    let mut out = String::with_capacity(input.text.len());
    let mut skipping = false;
    let mut blanked = false;
    for line in input.text.split_inclusive('\n') {
        let t = line.trim();
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        if skipping {
            if t == "]" {
                skipping = false;
            }
            out.push_str(newline);
            continue;
        }
        let opens =
            keys.iter().any(|k| t.strip_prefix(k).map(str::trim_start).and_then(|r| r.strip_prefix('=')).is_some_and(|r| r.trim() == "["));
        if opens {
            skipping = true;
            blanked = true;
            out.push_str(newline);
            continue;
        }
        out.push_str(line);
    }
    if blanked && !skipping {
        if let Ok(t) = out.parse::<toml::Table>() {
            return Ok(t);
        }
    }
    toml(input)
}

/// YAML flow collections (`[`, `{`) nested deeper than this are refused before parsing: the YAML
/// parser's time grows with the square of the nesting, and no lockfile nests more than a few levels.
pub const MAX_YAML_FLOW_DEPTH: usize = 64;

/// The deepest flow nesting of a YAML text, with the line where it is first exceeded. Quotes are
/// followed within a line (good enough for a guard); comments are skipped.
fn yaml_flow_depth_exceeded(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut line_no = 1;
    let (mut dq, mut sq) = (false, false);
    let mut prev = b'\n';
    let mut bytes = text.bytes().peekable();
    while let Some(c) = bytes.next() {
        match c {
            b'\n' => {
                line_no += 1;
                dq = false;
                sq = false;
            }
            b'\\' if dq => {
                bytes.next();
            }
            b'"' if !sq => dq = !dq,
            b'\'' if !dq => sq = !sq,
            b'#' if !dq && !sq && prev.is_ascii_whitespace() => {
                while bytes.peek().is_some_and(|b| *b != b'\n') {
                    bytes.next();
                }
            }
            b'[' | b'{' if !dq && !sq => {
                depth += 1;
                if depth > MAX_YAML_FLOW_DEPTH {
                    return Some(line_no);
                }
            }
            b']' | b'}' if !dq && !sq => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Parses YAML; errors carry the line.
pub fn yaml(input: &Input) -> Result<serde_yaml_ng::Value, LockError> {
    if let Some(line) = yaml_flow_depth_exceeded(input.text) {
        return Err(input.syntax(Some(line), format!("YAML collections nested more than {MAX_YAML_FLOW_DEPTH} deep")));
    }
    serde_yaml_ng::from_str(input.text).map_err(|e| {
        let line = e.location().map(|l| l.line());
        input.syntax(line, format!("invalid YAML: {e}"))
    })
}

/// The lines of each `[[name]]` header (array-of-tables entries in order).
pub fn header_lines(text: &str, name: &str) -> Vec<usize> {
    let want = format!("[[{name}]]");
    text.lines().enumerate().filter(|(_, l)| l.trim() == want).map(|(i, _)| i + 1).collect()
}

/// The line of the `i`-th `[[name]]` entry, when the headers line up with the parsed array.
pub fn nth(lines: &[usize], count: usize, i: usize) -> Option<usize> {
    if lines.len() == count {
        lines.get(i).copied()
    } else {
        None
    }
}

/// Lines of mapping keys (JSON `"key":`, YAML `key:`, `'key':`, `"key":`), keyed by the unquoted
/// key text. A key written on several lines maps to `None` (ambiguous).
#[derive(Default)]
pub struct KeyLines {
    map: HashMap<String, Option<usize>>,
}

impl KeyLines {
    /// Indexes every line of `text` that starts (after indentation) with a key.
    pub fn new(text: &str) -> KeyLines {
        let mut map: HashMap<String, Option<usize>> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if let Some(k) = key_of(line.trim_start()) {
                map.entry(k.to_string()).and_modify(|v| *v = None).or_insert(Some(i + 1));
            }
        }
        KeyLines { map }
    }

    /// Indexes the keys of one YAML mapping: the top level (`section` `None`), or the entries of a
    /// top-level `section:` (the keys at that section's first indentation), so that the same key
    /// elsewhere in the file does not make them ambiguous.
    pub fn yaml(text: &str, section: Option<&str>) -> KeyLines {
        let mut map: HashMap<String, Option<usize>> = HashMap::new();
        let mut inside = section.is_none();
        let mut indent: Option<usize> = if section.is_none() { Some(0) } else { None };
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let ind = line.len() - trimmed.len();
            if let Some(sec) = section {
                if ind == 0 {
                    inside = key_of(trimmed) == Some(sec);
                    continue;
                }
            }
            if !inside {
                continue;
            }
            let want = *indent.get_or_insert(ind);
            if ind == want {
                if let Some(k) = key_of(trimmed) {
                    map.entry(k.to_string()).and_modify(|v| *v = None).or_insert(Some(i + 1));
                }
            }
        }
        KeyLines { map }
    }

    /// The line of a key written once.
    pub fn get(&self, key: &str) -> Option<usize> {
        self.map.get(key).copied().flatten()
    }
}

fn key_of(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let first = *b.first()?;
    if first == b'"' || first == b'\'' {
        let mut i = 1;
        while i < b.len() {
            if b[i] == b'\\' && first == b'"' {
                i += 2;
                continue;
            }
            if b[i] == first {
                let rest = line[i + 1..].trim_start();
                return rest.starts_with(':').then(|| &line[1..i]);
            }
            i += 1;
        }
        None
    } else if first == b'#' || first == b'-' {
        None
    } else {
        let end = line.find(": ").or_else(|| line.strip_suffix(':').map(|s| s.len()))?;
        Some(&line[..end])
    }
}

/// A string field of a JSON object.
pub fn jstr<'a>(v: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(|x| x.as_str())
}

/// A string field of a TOML table.
pub fn tstr<'a>(v: &'a toml::Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(|x| x.as_str())
}

/// A string field of a YAML mapping.
pub fn ystr<'a>(v: &'a serde_yaml_ng::Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(|x| x.as_str())
}

/// A YAML scalar as text (numbers and booleans too: `version: 1.10` is read by YAML as a float).
pub fn yscalar(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Splits `url#rev` (the fragment is the revision; `commit=`/`sha=` prefixes dropped).
pub fn split_rev(url: &str) -> (String, Option<String>) {
    match url.split_once('#') {
        Some((u, r)) => {
            let r = r.strip_prefix("commit=").or_else(|| r.strip_prefix("sha=")).unwrap_or(r);
            (u.to_string(), Some(r.to_string()).filter(|r| !r.is_empty()))
        }
        None => (url.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_once() {
        let k = KeyLines::new("{\n  \"a\": 1,\n  \"b\": {\n    \"a\": 2\n  },\n  \"c\\\"d\" : 3\n}\nx: 1\n'y@1': 2\n- z: 1\n");
        assert_eq!(k.get("a"), None);
        assert_eq!(k.get("b"), Some(3));
        assert_eq!(k.get("c\\\"d"), Some(6));
        assert_eq!(k.get("x"), Some(8));
        assert_eq!(k.get("y@1"), Some(9));
        assert_eq!(k.get("z"), None);
        let y = KeyLines::yaml("a: 1\npackages:\n  # c\n  x@1:\n    x@1: 2\n  y@2: {}\nsnapshots:\n  x@1: {}\n", Some("packages"));
        assert_eq!((y.get("x@1"), y.get("y@2"), y.get("a")), (Some(4), Some(6), None));
        let top = KeyLines::yaml("a: 1\n  b: 2\n\"c, d\": 3\n", None);
        assert_eq!((top.get("a"), top.get("b"), top.get("c, d")), (Some(1), None, Some(3)));
    }

    #[test]
    fn yaml_flow_depth_guard() {
        assert_eq!(yaml_flow_depth_exceeded("a: [1, {b: [2]}]\nc: '[[[[' # [[[[\n"), None);
        let deep = "x: 1\ny: ".to_string() + &"[".repeat(65) + &"]".repeat(65);
        assert_eq!(yaml_flow_depth_exceeded(&deep), Some(2));
        assert_eq!(yaml_flow_depth_exceeded(&("\"[\\\"".to_string() + &"[".repeat(65) + "\"")), None);
    }

    #[test]
    fn revisions_split() {
        assert_eq!(split_rev("https://x/y.git#commit=abc"), ("https://x/y.git".into(), Some("abc".into())));
        assert_eq!(split_rev("https://x/y.git"), ("https://x/y.git".into(), None));
        assert_eq!(line_of("a\nb\nc", 2), 2);
        let idx = LineIndex::new("a\nb\nc");
        assert_eq!((idx.line(0), idx.line(1), idx.line(2), idx.line(4), idx.line(99)), (1, 1, 2, 3, 3));
    }
}
