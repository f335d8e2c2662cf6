//! Unified diffs (with or without `diff --git` / `---`/`+++` headers and `@@` lines).

use crate::{Hunk, Patch};

/// Does this text look like a unified diff?
/// A diff held in a program's string literal (`"--- a/x\n\` continued on the next line) is
/// the program's data, not a diff.
pub(crate) fn looks_like_diff(lines: &[&str]) -> bool {
    let plain = |l: &str| {
        let t = l.trim_end();
        !(t.ends_with('\\') || t.ends_with('"') || t.ends_with("\",") || t.ends_with("\";"))
    };
    let headers = lines.iter().any(|l| (l.starts_with("diff --git ") || l.starts_with("@@ -")) && plain(l));
    let pair = lines.windows(2).any(|w| w[0].starts_with("--- ") && w[1].starts_with("+++ ") && plain(w[0]) && plain(w[1]));
    headers || pair
}

fn strip_ab(path: &str) -> String {
    let p = path.split('\t').next().unwrap_or(path).trim();
    // `diff -u`'s timestamp after the name, its tab turned into spaces by a paste.
    let p = match p.find(char::is_whitespace) {
        Some(k) => {
            let rest = p[k..].trim_start();
            let stamp = rest.as_bytes().first().is_some_and(u8::is_ascii_digit)
                || ["Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "].iter().any(|d| rest.starts_with(d));
            if stamp {
                &p[..k]
            } else {
                p
            }
        }
        None => p,
    };
    let p = p.strip_prefix("a/").or_else(|| p.strip_prefix("b/")).unwrap_or(p);
    p.to_string()
}

/// `@@ -271,9 +271,14 @@ ctx` → (271, 9, ctx).
fn hunk_header(l: &str) -> Option<(u32, u32, &str)> {
    let rest = l.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(' ')?;
    let (start, count) = match old.split_once(',') {
        Some((s, c)) => (s.parse().ok()?, c.parse().ok()?),
        None => (old.parse().ok()?, 1),
    };
    let ctx = rest.split_once("@@").map_or("", |(_, c)| c.trim());
    Some((start, count, ctx))
}

/// `@@ -271,9 +271,14 @@` → the old and new line counts (9, 14).
fn hunk_counts(l: &str) -> Option<(u32, u32)> {
    let rest = l.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let new = rest.split_once(" @@").map_or(rest.trim_end_matches('@').trim(), |(n, _)| n);
    let count = |side: &str| -> Option<u32> {
        match side.split_once(',') {
            Some((s, c)) => s.parse::<u32>().ok().and(c.parse().ok()),
            None => side.parse::<u32>().ok().map(|_| 1),
        }
    };
    Some((count(old)?, count(new)?))
}

/// A unified diff pasted without a fence, starting at `lines[i]`: `diff --git`, `index`, mode
/// lines, then `---`/`+++` and an `@@` hunk header (the `---`/`+++` pair and the hunk at least).
/// Returns the end (exclusive) of its last hunk, each hunk measured by its header's line counts;
/// a blank line inside a hunk is a context line whose leading space was lost.
pub(crate) fn unfenced_diff_end(lines: &[&str], i: usize) -> Option<usize> {
    let header = |j: usize| -> Option<usize> {
        let mut j = j;
        if lines.get(j)?.starts_with("diff ") {
            j += 1;
            while lines.get(j).is_some_and(|l| {
                ["index ", "new file mode", "deleted file mode", "old mode", "new mode", "similarity ", "rename "]
                    .iter()
                    .any(|p| l.starts_with(p))
            }) {
                j += 1;
            }
        }
        (lines.get(j)?.starts_with("--- ") && lines.get(j + 1)?.starts_with("+++ ") && hunk_counts(lines.get(j + 2)?).is_some())
            .then_some(j + 2)
    };
    let mut j = header(i)?;
    loop {
        let (mut old, mut new) = hunk_counts(lines[j])?;
        j += 1;
        while (old > 0 || new > 0) && j < lines.len() {
            let l = lines[j];
            match l.as_bytes().first() {
                None | Some(b' ') => {
                    old = old.saturating_sub(1);
                    new = new.saturating_sub(1);
                }
                Some(b'-') => old = old.saturating_sub(1),
                Some(b'+') => new = new.saturating_sub(1),
                Some(b'\\') => {}
                _ => break,
            }
            j += 1;
        }
        while lines.get(j).is_some_and(|l| l.starts_with('\\')) {
            j += 1;
        }
        if lines.get(j).is_some_and(|l| hunk_counts(l).is_some()) {
            continue;
        }
        match header(j) {
            Some(h) => j = h,
            None => return Some(j),
        }
    }
}

/// The function context of each hunk (`@@ ... @@ static int foo(...)`), by hunk index.
pub(crate) struct Parsed {
    pub patch: Patch,
    pub contexts: Vec<String>,
    /// The old side of each hunk (context and removed lines) in order.
    pub olds: Vec<Vec<String>>,
}

pub(crate) fn parse(lines: &[&str], start_line: usize, fallback_file: Option<&str>) -> Parsed {
    let mut patch = Patch { start_line, files: Vec::new(), index_hashes: Vec::new(), hunks: Vec::new() };
    let mut contexts = Vec::new();
    let mut olds: Vec<Vec<String>> = Vec::new();
    let mut current: Option<String> = fallback_file.map(str::to_string);
    let mut old_file: Option<String> = None;
    let mut in_hunk = false;
    let mut declared: Vec<u32> = Vec::new();
    let add_file = |files: &mut Vec<String>, f: &str| {
        if !f.is_empty() && f != "/dev/null" && !files.iter().any(|x| x == f) {
            files.push(f.to_string());
        }
    };
    // With `@@` headers, only their hunks are diff content: the `---` and diffstat of a mail made
    // by `git format-patch` open no hunk of their own.
    let headed = lines.iter().any(|l| hunk_header(l).is_some());
    for (i, &l) in lines.iter().enumerate() {
        // `-- ` then `2.51.0`: the signature git format-patch ends its mail with.
        if matches!(l.trim_end(), "--" | "-- ")
            && lines.get(i + 1).is_some_and(|n| {
                let n = n.trim();
                !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit() || c == b'.') && n.contains('.')
            })
        {
            break;
        }
        if let Some(rest) = l.strip_prefix("diff --git ") {
            in_hunk = false;
            if let Some(b) = rest.split_whitespace().nth(1) {
                let f = strip_ab(b);
                add_file(&mut patch.files, &f);
                current = Some(f);
            }
            continue;
        }
        if let Some(rest) = l.strip_prefix("index ") {
            if let Some((a, b)) = rest.split_whitespace().next().and_then(|r| r.split_once("..")) {
                if a.len() >= 7 && b.len() >= 7 && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_hexdigit()) {
                    patch.index_hashes.push((a.to_string(), b.to_string()));
                    continue;
                }
            }
        }
        if l.starts_with("--- ") && lines.get(i + 1).is_some_and(|n| n.starts_with("+++ ")) {
            in_hunk = false;
            old_file = Some(strip_ab(&l[4..]));
            continue;
        }
        if let Some(rest) = l.strip_prefix("+++ ") {
            if !in_hunk || i > 0 && lines[i - 1].starts_with("--- ") {
                in_hunk = false;
                let f = strip_ab(rest);
                let f = if f == "/dev/null" { old_file.clone().unwrap_or_default() } else { f };
                add_file(&mut patch.files, &f);
                current = Some(f);
                continue;
            }
        }
        if let Some((start, count, ctx)) = hunk_header(l) {
            in_hunk = true;
            patch.hunks.push(Hunk {
                file: current.clone().unwrap_or_default(),
                old_start: start,
                old_lines: count,
                removed: Vec::new(),
                context: Vec::new(),
                added: Vec::new(),
            });
            declared.push(count);
            contexts.push(ctx.to_string());
            olds.push(Vec::new());
            continue;
        }
        let first = l.as_bytes().first().copied();
        if !in_hunk {
            // A diff without `@@` headers: the first +/-/space line opens an implicit hunk.
            if headed || !matches!(first, Some(b'+' | b'-' | b' ')) {
                continue;
            }
            in_hunk = true;
            patch.hunks.push(Hunk {
                file: current.clone().unwrap_or_default(),
                old_start: 0,
                old_lines: 0,
                removed: Vec::new(),
                context: Vec::new(),
                added: Vec::new(),
            });
            declared.push(u32::MAX);
            contexts.push(String::new());
            olds.push(Vec::new());
        }
        let Some(h) = patch.hunks.last_mut() else { continue };
        let old = olds.last_mut();
        match first {
            Some(b'+') => h.added.push(l[1..].to_string()),
            Some(b'-') => {
                h.removed.push(l[1..].to_string());
                old.into_iter().for_each(|o| o.push(l[1..].to_string()));
            }
            Some(b' ') => {
                h.context.push(l[1..].to_string());
                old.into_iter().for_each(|o| o.push(l[1..].to_string()));
            }
            None => {
                h.context.push(String::new());
                old.into_iter().for_each(|o| o.push(String::new()));
            }
            Some(b'\\') => {}
            _ => in_hunk = false,
        }
    }
    for (h, d) in patch.hunks.iter_mut().zip(declared) {
        if d == u32::MAX {
            h.old_lines = u32::try_from(h.removed.len() + h.context.len()).unwrap_or(u32::MAX);
        }
        if !h.file.is_empty() && !patch.files.contains(&h.file) {
            patch.files.push(h.file.clone());
        }
    }
    Parsed { patch, contexts, olds }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_diff() {
        let text = "diff --git a/lib/x.c b/lib/x.c\nindex 1a2b3c4..5d6e7f8 100644\n--- a/lib/x.c\n+++ b/lib/x.c\n@@ -10,3 +10,4 @@ static int foo(void)\n   a();\n-  b();\n+  c();\n+  d();\n   e();\n--- a/lib/y.c\n+++ b/lib/y.c\n@@ -1 +1 @@\n-x\n+y";
        let lines: Vec<&str> = text.lines().collect();
        let p = parse(&lines, 1, None);
        assert_eq!(p.patch.files, vec!["lib/x.c", "lib/y.c"]);
        assert_eq!(p.patch.index_hashes, vec![("1a2b3c4".to_string(), "5d6e7f8".to_string())]);
        assert_eq!(p.patch.hunks.len(), 2);
        let h = &p.patch.hunks[0];
        assert_eq!((h.file.as_str(), h.old_start, h.old_lines), ("lib/x.c", 10, 3));
        assert_eq!(h.removed, vec!["  b();"]);
        assert_eq!(h.added.len(), 2);
        assert_eq!(h.context.len(), 2);
        assert_eq!(p.contexts[0], "static int foo(void)");
        assert_eq!(p.patch.hunks[1].file, "lib/y.c");
    }

    #[test]
    fn a_diff_inside_a_string_literal_is_not_one() {
        let c = [
            "  const char *a = \"diff --git a/README.md b/README.md\\n\\",
            "--- a/README.md\\n\\",
            "+++ b/README.md\\n\\",
            "@@ -4,1 +4,2 @@ x\\n\\",
            " reusing\\n\\",
            "\";",
        ];
        assert!(!looks_like_diff(&c));
        assert!(looks_like_diff(&["--- a/README.md", "+++ b/README.md", "@@ -4,1 +4,2 @@", " reusing", "+proverb"]));
    }

    #[test]
    fn diff_u_timestamps() {
        assert_eq!(strip_ab("src/lib/ares_init.c 2024-03-12 16:10:13.107757585 +0100"), "src/lib/ares_init.c");
        assert_eq!(strip_ab("a/x.c\tThu Mar 14 10:00:00 2024"), "x.c");
        assert_eq!(strip_ab("x.c.orig Thu Mar 14 10:00:00 2024"), "x.c.orig");
        assert_eq!(strip_ab("b/lib/x.c"), "lib/x.c");
    }

    #[test]
    fn format_patch_mail() {
        let text = "From 4de23f2 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] fix\n---\n lib/x.c | 1 +\n 1 file changed, 1 insertion(+)\n\ndiff --git a/lib/x.c b/lib/x.c\n--- a/lib/x.c\n+++ b/lib/x.c\n@@ -1,2 +1,3 @@\n a();\n+b();\n c();\n-- \n2.51.0\n";
        let lines: Vec<&str> = text.lines().collect();
        let p = parse(&lines, 1, None);
        // The separator and the diffstat open no hunk; the signature is not a removed line.
        assert_eq!(p.patch.hunks.len(), 1, "{:?}", p.patch.hunks);
        let h = &p.patch.hunks[0];
        assert_eq!((h.file.as_str(), h.removed.len(), h.added.len(), h.context.len()), ("lib/x.c", 0, 1, 2));
    }

    #[test]
    fn headerless() {
        let lines = ["   res = f();", "-  free(x);", "+  x = NULL;"];
        let p = parse(&lines, 5, Some("lib/z.c"));
        assert_eq!(p.patch.hunks.len(), 1);
        assert_eq!(p.patch.hunks[0].file, "lib/z.c");
        assert_eq!(p.patch.hunks[0].old_start, 0);
        assert_eq!(p.patch.hunks[0].old_lines, 2);
    }
}
