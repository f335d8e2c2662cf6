//! Decoding, line splitting and the small string tools every pass uses. All linear.

use crate::ParseError;

/// Bytes to text: a UTF-8 BOM is dropped, a UTF-16/32 BOM or too many NUL / invalid bytes refuse.
pub(crate) fn decode(bytes: &[u8]) -> Result<String, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ParseError::NotText);
    }
    let mut bad = bytes.iter().filter(|&&b| b == 0).count();
    let mut rest = bytes;
    let mut out = String::with_capacity(bytes.len());
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(good).unwrap_or_default());
                out.push('\u{FFFD}');
                let skip = e.error_len().unwrap_or(after.len()).max(1).min(after.len());
                bad += skip;
                rest = &after[skip..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    if too_bad(bad, bytes.len()) {
        return Err(ParseError::NotText);
    }
    Ok(out)
}

fn too_bad(bad: usize, len: usize) -> bool {
    // More than 1 % of the bytes, or more than 16 of them in a short text.
    bad > 0 && (bad * 100 > len || bad > 16 && bad * 1000 > len)
}

/// A text that arrived as `&str` can still hold NULs.
pub(crate) fn check_text(text: &str) -> Result<(), ParseError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let nul = memchr_count(text.as_bytes());
    if too_bad(nul, text.len()) {
        return Err(ParseError::NotText);
    }
    Ok(())
}

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == 0).count()
}

/// Lines without their `\n` / `\r\n`; a leading BOM is dropped.
pub(crate) fn split_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect()
}

/// `line` without Markdown's quote markers (`> `, `>> `, `> > `, up to three spaces before).
pub(crate) fn unquoted(line: &str) -> &str {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 || !line[indent..].starts_with('>') {
        return line;
    }
    let mut rest = &line[indent..];
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.strip_prefix(' ').unwrap_or(r);
        let spaces = rest.len() - rest.trim_start_matches(' ').len();
        if !rest[spaces..].starts_with('>') {
            break;
        }
        rest = &rest[spaces..];
    }
    rest
}

/// The largest char boundary `<= i`.
pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary `>= i`.
pub(crate) fn ceil_char(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// At most `max` characters of `s`, trimmed, with NULs and control characters made spaces.
pub(crate) fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out.trim_end().to_string()
}

/// The sentence around `[start, end)` in `line`, looking at most 300 bytes either way.
pub(crate) fn sentence(line: &str, start: usize, end: usize) -> &str {
    let b = line.as_bytes();
    let lo_limit = start.saturating_sub(300);
    let mut lo = start.min(b.len());
    while lo > lo_limit {
        let c = b[lo - 1];
        if matches!(c, b'.' | b'!' | b'?') && lo < b.len() && b[lo] == b' ' && lo < start {
            break;
        }
        lo -= 1;
    }
    while lo < start && b[lo] == b' ' {
        lo += 1;
    }
    let hi_limit = (end + 300).min(b.len());
    let mut hi = end.min(b.len());
    while hi < hi_limit {
        let c = b[hi];
        if matches!(c, b'.' | b'!' | b'?') && (hi + 1 >= b.len() || b[hi + 1] == b' ') {
            hi += 1;
            break;
        }
        hi += 1;
    }
    let lo = ceil_char(line, lo);
    let hi = floor_char(line, hi).max(lo);
    &line[lo..hi]
}

/// Inline code spans of a line: the content ranges between matching backtick runs (CommonMark:
/// a run closes on the next run of the same length). Linear in the line length.
pub(crate) fn code_spans(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    if memchr_byte(b'`', b).is_none() {
        return Vec::new();
    }
    // Runs of backticks: (start, len).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let s = i;
            while i < b.len() && b[i] == b'`' {
                i += 1;
            }
            runs.push((s, i - s));
        } else {
            i += 1;
        }
    }
    // next_same[k]: the next run with the same length.
    let mut next_same = vec![usize::MAX; runs.len()];
    let mut last: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for k in (0..runs.len()).rev() {
        if let Some(&n) = last.get(&runs[k].1) {
            next_same[k] = n;
        }
        last.insert(runs[k].1, k);
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        let n = next_same[k];
        if n != usize::MAX {
            spans.push((runs[k].0 + runs[k].1, runs[n].0));
            k = n + 1;
        } else {
            k += 1;
        }
    }
    spans
}

pub(crate) fn memchr_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// A word of a line: a maximal run of path/identifier/version characters.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    /// Trimmed text.
    pub s: &'a str,
    /// Byte range of the trimmed text in the line.
    pub start: usize,
    pub end: usize,
    /// Inside an inline code span.
    pub in_code: bool,
    /// The trimmed token is the whole inline code span (allowing a trailing `()`).
    pub whole_code: bool,
    /// Followed by `(` (a call or a definition).
    pub call: bool,
    /// The raw token started with `-` (a command-line option).
    pub option: bool,
}

fn is_tok_byte(b: &[u8], i: usize) -> bool {
    let c = b[i];
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-' | b':' | b'~' | b'+') || (c == b'>' && i > 0 && b[i - 1] == b'-')
}

/// The words of a line. `spans` are its inline code spans.
pub(crate) fn tokens<'a>(line: &'a str, spans: &[(usize, usize)]) -> Vec<Tok<'a>> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut span_idx = 0;
    while i < b.len() {
        if !is_tok_byte(b, i) {
            i += 1;
            continue;
        }
        let raw_start = i;
        while i < b.len() && is_tok_byte(b, i) {
            i += 1;
        }
        let raw_end = i;
        let mut s = raw_start;
        let mut e = raw_end;
        while s < e && matches!(b[s], b'~' | b':' | b'-' | b'+') {
            s += 1;
        }
        while e > s && matches!(b[e - 1], b'.' | b':' | b',' | b'-' | b'+' | b'~' | b'/' | b'>') {
            e -= 1;
        }
        if s >= e {
            continue;
        }
        while span_idx < spans.len() && spans[span_idx].1 < raw_start {
            span_idx += 1;
        }
        let (in_code, whole_code) = match spans.get(span_idx) {
            Some(&(cs, ce)) if cs <= raw_start && raw_end <= ce => {
                let tail = line[raw_end..ce].trim();
                (
                    true,
                    line[cs..raw_start].trim().is_empty()
                        && (tail.is_empty() || tail == "()" || tail.starts_with('(') && tail.ends_with(')')),
                )
            }
            _ => (false, false),
        };
        let call = raw_end < b.len() && b[raw_end] == b'(' && e == raw_end;
        out.push(Tok { s: &line[s..e], start: s, end: e, in_code, whole_code, call, option: b[raw_start] == b'-' });
    }
    out
}

pub(crate) fn is_ident(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && (b[0].is_ascii_alphabetic() || b[0] == b'_') && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// `N` or `N-M` (also `N–M`, `N:col`), as a line range.
pub(crate) fn parse_range(s: &str) -> Option<(u32, u32)> {
    let s = s.trim_start_matches(['L', '~']);
    let (a, rest) = split_digits(s)?;
    if rest.is_empty() || rest.starts_with(':') {
        return (a > 0).then_some((a, a));
    }
    let rest = rest.strip_prefix('-').or_else(|| rest.strip_prefix('–')).or_else(|| rest.strip_prefix('‑'))?;
    let rest = rest.trim_start_matches('L');
    let (b, tail) = split_digits(rest)?;
    if !(tail.is_empty() || tail.starts_with(':')) {
        return None;
    }
    (a > 0 && b >= a).then_some((a, b))
}

fn split_digits(s: &str) -> Option<(u32, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 7 {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_pair_runs_of_the_same_length() {
        let l = "a `x` b ``y ` z`` c `unclosed";
        let spans: Vec<&str> = code_spans(l).into_iter().map(|(s, e)| &l[s..e]).collect();
        assert_eq!(spans, vec!["x", "y ` z"]);
    }

    #[test]
    fn ranges() {
        assert_eq!(parse_range("820-827"), Some((820, 827)));
        assert_eq!(parse_range("581:12"), Some((581, 581)));
        assert_eq!(parse_range("L1024-L1036"), Some((1024, 1036)));
        assert_eq!(parse_range("827-820"), None);
        assert_eq!(parse_range("12x"), None);
    }

    #[test]
    fn sentence_is_bounded() {
        let l = "First one. The bug is at `x.c:1` here. Next.";
        let p = l.find("x.c").unwrap();
        assert_eq!(sentence(l, p, p + 5), "The bug is at `x.c:1` here.");
    }

    #[test]
    fn decode_refuses_binary() {
        assert_eq!(decode(b"\0\0\0abc"), Err(ParseError::NotText));
        assert_eq!(decode(b"\xFF\xFEa\0b\0"), Err(ParseError::NotText));
        assert_eq!(decode(b"\xEF\xBB\xBFhello").unwrap(), "hello");
        let mut long = vec![b'a'; 1000];
        long[10] = 0xFF;
        assert!(decode(&long).is_ok());
    }
}
