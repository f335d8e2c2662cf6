//! Title and metadata: the HackerOne table (`| **Key** | value |`), `**Key:** value` lines, mail headers.

use crate::Meta;

pub(crate) struct MetaInfo {
    pub meta: Meta,
    pub title: Option<String>,
    pub title_line: Option<usize>,
    /// 0-based lines holding metadata (table rows, header lines): CVE ids there are `Origin::Metadata`.
    pub rows: Vec<usize>,
    /// 0-based lines naming the product (`**Product:** curl 8.20.0`): read as prose too, for the
    /// version they may give.
    pub product_rows: Vec<usize>,
}

const SCAN_LINES: usize = 80;

pub(crate) fn parse(lines: &[&str]) -> MetaInfo {
    let mut meta = Meta::default();
    let mut rows = Vec::new();
    let mut product_rows = Vec::new();
    let mut title = None;
    let mut title_line = None;
    let mut subject = None;
    let (mut disclosed, mut reported, mut dated) = (None, None, None);
    let mut program = None;
    let mail = looks_like_mail(lines);
    let plain = if mail { 0..header_end(lines) } else { front_matter(lines) };
    for (i, raw) in lines.iter().enumerate().take(SCAN_LINES) {
        let line = raw.trim();
        if title.is_none() && line.starts_with("# ") && line.len() > 2 {
            title = Some(crate::text::clip(&line[2..], 300));
            title_line = Some(i);
            continue;
        }
        // `**Reporter:** x · **Product:** curl 8.20.0 · **Severity:** Medium`: several pairs on one line.
        let pieces: Vec<&str> = if line.starts_with("**") { line.split(" · ").collect() } else { vec![line] };
        let mut row = false;
        for piece in pieces {
            let Some((key, value)) = key_value(piece.trim(), plain.contains(&i)) else { continue };
            row |= meta_pair(
                &key.to_ascii_lowercase(),
                &clean_value(value),
                i,
                &mut meta,
                &mut MetaSlots {
                    program: &mut program,
                    product_rows: &mut product_rows,
                    disclosed: &mut disclosed,
                    reported: &mut reported,
                    dated: &mut dated,
                    subject: &mut subject,
                },
            );
        }
        if row {
            rows.push(i);
        }
    }
    if title.is_none() {
        if let Some(s) = subject {
            title = Some(crate::text::clip(&s, 300));
            title_line = rows.iter().copied().find(|&r| lines[r].trim_start().to_ascii_lowercase().starts_with("subject"));
        }
    }
    meta.date = [reported, disclosed, dated].into_iter().flatten().find_map(|d| normalise_date(&d));
    meta.project = program.as_deref().and_then(project_name).or_else(|| meta.asset.as_deref().and_then(repo_of).map(|(_, r)| r));
    MetaInfo { meta, title, title_line, rows, product_rows }
}

/// The project's name in a `Program`/`Product` value: its first word, lower case
/// (`curl / libcurl 8.20.0` and `curl (libcurl)` are curl).
fn project_name(value: &str) -> Option<String> {
    let word = value
        .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '(' | ')' | ';' | '|'))
        .find(|w| !w.is_empty())?
        .trim_matches(['`', '*', '_', '"', '\'', '.', ':']);
    (!word.is_empty() && word.bytes().any(|c| c.is_ascii_alphabetic())).then(|| word.to_ascii_lowercase())
}

fn set(slot: &mut Option<String>, value: &str) {
    if slot.is_none() && !value.is_empty() && !matches!(value, "—" | "-" | "–" | "n/a" | "N/A" | "none" | "None") {
        *slot = Some(crate::text::clip(value, 200));
    }
}

/// A mail starts with `Key: value` header lines, one of them From/Subject/Date.
fn looks_like_mail(lines: &[&str]) -> bool {
    let end = header_end(lines);
    end > 0
        && lines[..end].iter().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("from:") || l.starts_with("subject:") || l.starts_with("date:")
        })
}

/// The lines of plain `Key: value` metadata a report that is not a mail may open with: YAML front
/// matter between `---` lines, or a block of such lines right below the title heading
/// (`# Title`, a blank line, `Date: 2025-02-08`, `Source: https://...`), as exports of issue
/// trackers and hand-made copies write them.
fn front_matter(lines: &[&str]) -> std::ops::Range<usize> {
    if lines.first().is_some_and(|l| l.trim() == "---") {
        // Every line between the two rules must be a `key: value` pair (a rule opening prose is not front matter).
        if let Some(end) = lines.iter().take(SCAN_LINES).skip(1).position(|l| l.trim() == "---") {
            if end > 0 && header_end(&lines[1..end + 1]) == end {
                return 1..end + 1;
            }
        }
        return 0..0;
    }
    let Some(title) = lines.iter().take(3).position(|l| l.trim_start().starts_with("# ")) else { return 0..0 };
    let start = title + 1 + lines[title + 1..].iter().take(2).take_while(|l| l.trim().is_empty()).count();
    let len = header_end(&lines[start.min(lines.len())..]);
    if len == 0 || len > 12 {
        return 0..0;
    }
    start..start + len
}

fn header_end(lines: &[&str]) -> usize {
    let mut n = 0;
    for l in lines.iter().take(SCAN_LINES) {
        if l.trim().is_empty() {
            break;
        }
        let is_header = l
            .split_once(':')
            .is_some_and(|(k, _)| !k.is_empty() && k.len() < 30 && k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'));
        if !(is_header || n > 0 && l.starts_with([' ', '\t'])) {
            break;
        }
        n += 1;
    }
    n
}

/// `| **Key** | value |`, `| Key | value |`, `**Key:** value`, `Key: value` (mail headers only).
/// The values of the metadata that are not fields of [`Meta`] itself.
struct MetaSlots<'a> {
    program: &'a mut Option<String>,
    product_rows: &'a mut Vec<usize>,
    disclosed: &'a mut Option<String>,
    reported: &'a mut Option<String>,
    dated: &'a mut Option<String>,
    subject: &'a mut Option<String>,
}

/// Records one `key: value` pair of line `i`; false when the key is not metadata.
fn meta_pair(key: &str, value: &str, i: usize, meta: &mut Meta, slots: &mut MetaSlots<'_>) -> bool {
    match key {
        "report id" | "report" | "id" | "hackerone report" => set(&mut meta.id, value),
        "weakness" | "cwe" | "weakness type" => set(&mut meta.weakness, value),
        "severity" => set(&mut meta.severity, value),
        "reporter" | "reported by" | "from" | "author" | "researcher" => set(&mut meta.reporter, value),
        "asset" | "scope" | "repository" => set(&mut meta.asset, value),
        "program" | "project" | "product" => {
            set(slots.program, value);
            if !slots.product_rows.contains(&i) {
                slots.product_rows.push(i);
            }
        }
        "disclosed" | "disclosed date" | "disclosed at" | "disclosure date" => set(slots.disclosed, value),
        "reported" | "reported at" | "submitted" | "reported date" | "created" => set(slots.reported, value),
        "date" => set(slots.dated, value),
        "subject" => set(slots.subject, value),
        "cve" | "cve id" | "cves" | "bounty" | "to" | "cc" | "message-id" | "status" | "state" => {}
        _ => return false,
    }
    true
}

fn key_value(line: &str, header: bool) -> Option<(&str, &str)> {
    if let Some(rest) = line.strip_prefix('|') {
        let rest = rest.strip_suffix('|').unwrap_or(rest);
        let (k, v) = rest.split_once('|')?;
        if v.contains('|') {
            return None;
        }
        let k = k.trim().trim_matches('*').trim();
        return (!k.is_empty()).then_some((k, v.trim()));
    }
    if let Some(rest) = line.strip_prefix("**") {
        let (k, v) = rest.split_once("**")?;
        let k = k.trim().trim_end_matches(':').trim();
        let v = v.trim().trim_start_matches(':').trim();
        if k.len() > 30 {
            return None;
        }
        return Some((k, v));
    }
    if header {
        let (k, v) = line.split_once(':')?;
        return Some((k.trim(), v.trim()));
    }
    None
}

/// `[text](url)` → text; surrounding `**`/backticks dropped.
fn clean_value(v: &str) -> String {
    let v = v.trim().trim_matches('*').trim_matches('`').trim();
    if let Some(rest) = v.strip_prefix('[') {
        if let Some((text, _)) = rest.split_once("](") {
            return text.trim().to_string();
        }
    }
    v.to_string()
}

/// `https://github.com/curl/curl` → (`curl`, `curl`), lowercase.
pub(crate) fn repo_of(url: &str) -> Option<(String, String)> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut parts = rest.split('/');
    let host = parts.next()?.to_ascii_lowercase();
    if !(host == "github.com" || host == "gitlab.com" || host == "codeberg.org" || host == "bitbucket.org") {
        return None;
    }
    let owner = parts.next()?.to_ascii_lowercase();
    let repo = parts.next()?.trim_end_matches(".git").to_ascii_lowercase();
    (!owner.is_empty() && !repo.is_empty()).then_some((owner, repo))
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// `2026-03-11`, `2026-03-11T10:00Z`, `Tue, 3 Mar 2026 10:00:00 +0100`, `March 8, 2026` → `YYYY-MM-DD`.
pub(crate) fn normalise_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    for i in 0..b.len().saturating_sub(9) {
        let w = &b[i..i + 10];
        if w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5..7].iter().all(u8::is_ascii_digit)
            && w[7] == b'-'
            && w[8..10].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
        {
            let m: u32 = s[i + 5..i + 7].parse().ok()?;
            let d: u32 = s[i + 8..i + 10].parse().ok()?;
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some(s[i..i + 10].to_string());
            }
        }
    }
    // Word forms: a day, a month name and a year in any order.
    let words: Vec<String> = s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    let month = words.iter().find_map(|w| (w.len() >= 3).then(|| MONTHS.iter().position(|m| w.starts_with(m))).flatten())?;
    let year = words.iter().find(|w| w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()))?;
    let day: u32 = words.iter().find(|w| (1..=2).contains(&w.len()) && w.bytes().all(|c| c.is_ascii_digit()))?.parse().ok()?;
    (1..=31).contains(&day).then(|| format!("{year}-{:02}-{day:02}", month + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalise_date("2026-03-11").as_deref(), Some("2026-03-11"));
        assert_eq!(normalise_date("Tue, 3 Mar 2026 10:00:00 +0100").as_deref(), Some("2026-03-03"));
        assert_eq!(normalise_date("March 8, 2026").as_deref(), Some("2026-03-08"));
        assert_eq!(normalise_date("soon"), None);
        assert_eq!(normalise_date("2026-13-40"), None);
    }

    #[test]
    fn hackerone_table() {
        let lines = [
            "# CVE-2026-1: a bug",
            "| **Report ID** | [123](https://hackerone.com/reports/123) |",
            "| **Weakness** | — |",
            "| **Severity** | low |",
            "| **Asset** | https://github.com/curl/curl |",
            "| **Disclosed** | 2026-03-11 |",
            "| **Reporter** | [someone](https://hackerone.com/someone) |",
        ];
        let m = parse(&lines);
        assert_eq!(m.title.as_deref(), Some("CVE-2026-1: a bug"));
        assert_eq!(m.meta.id.as_deref(), Some("123"));
        assert_eq!(m.meta.weakness, None);
        assert_eq!(m.meta.reporter.as_deref(), Some("someone"));
        assert_eq!(m.meta.project.as_deref(), Some("curl"));
        assert_eq!(m.meta.date.as_deref(), Some("2026-03-11"));
    }

    #[test]
    fn plain_metadata_below_the_title_or_in_front_matter() {
        let lines = ["# A bug", "", "Date: 2025-02-08", "Source: https://github.com/o/p/issues/1", "", "Summary: not metadata"];
        assert_eq!(parse(&lines).meta.date.as_deref(), Some("2025-02-08"));
        let lines = ["---", "title: A bug", "date: 2024-03-21", "---", "# A bug", "text"];
        assert_eq!(parse(&lines).meta.date.as_deref(), Some("2024-03-21"));
        // Prose that happens to hold a colon further down is not metadata.
        let lines = ["# A bug", "", "Some text first.", "", "Date: 2025-02-08"];
        assert_eq!(parse(&lines).meta.date, None);
        // A front matter that never closes is not one.
        let lines = ["---", "date: 2024-03-21", "text"];
        assert_eq!(parse(&lines).meta.date, None);
        let lines = ["---", "Some prose.", "Date: 2024-03-21", "---"];
        assert_eq!(parse(&lines).meta.date, None);
    }

    #[test]
    fn the_report_date_is_when_it_was_reported_not_disclosed() {
        // The code a report is about is the code of the day it was written; by disclosure the fix
        // may have landed.
        let lines = ["# A bug", "| **Reported** | 2025-03-13 |", "| **Disclosed** | 2025-06-28 |"];
        assert_eq!(parse(&lines).meta.date.as_deref(), Some("2025-03-13"));
        let lines = ["# A bug", "| **Disclosed** | 2025-06-28 |"];
        assert_eq!(parse(&lines).meta.date.as_deref(), Some("2025-06-28"));
    }

    #[test]
    fn several_pairs_on_one_line() {
        let m = parse(&["# t", "**Reporter:** a_b · **Product:** curl 8.20.0 · **Severity:** Medium (6.5)"]);
        assert_eq!(m.meta.reporter.as_deref(), Some("a_b"));
        assert_eq!(m.meta.severity.as_deref(), Some("Medium (6.5)"));
        assert_eq!((m.rows.clone(), m.product_rows.clone()), (vec![1], vec![1]));
        // A line that is not a run of pairs keeps its one pair.
        let m = parse(&["# t", "**Severity:** High · but see below"]);
        assert_eq!(m.meta.severity.as_deref(), Some("High"));
    }

    #[test]
    fn product_lines_name_the_project() {
        for (line, want) in [
            ("**Product:** curl / libcurl 8.20.0", Some("curl")),
            ("**Program:** `curl` (libcurl)", Some("curl")),
            ("**Project:** minihttp", Some("minihttp")),
            ("**Product:** 8.20.0", None),
            ("**Product:** —", None),
            ("**Reporter:** someone · **Product:** curl / libcurl 8.20.0 · **Severity:** Medium", Some("curl")),
        ] {
            let m = parse(&["# t", line]);
            assert_eq!(m.meta.project.as_deref(), want, "{line}");
        }
    }

    #[test]
    fn mail_headers() {
        let lines = [
            "From: A Person <a@example.org>",
            "Subject: [SECURITY] overflow in foo",
            "Date: Tue, 3 Mar 2026 10:00:00 +0100",
            "",
            "Body: not a header",
        ];
        let m = parse(&lines);
        assert_eq!(m.title.as_deref(), Some("[SECURITY] overflow in foo"));
        assert_eq!(m.meta.date.as_deref(), Some("2026-03-03"));
        assert_eq!(m.meta.reporter.as_deref(), Some("A Person <a@example.org>"));
    }
}
