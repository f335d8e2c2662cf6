//! The report's own measurements against its own claim: a cost the report calls quadratic
//! (or worse) whose timings, in a table or in output the report shows, grow in proportion to the
//! input. Such a report measured what it claims and got the opposite.

use vouch_claims::{BlockKind, Report};
use vouch_report::rules;

use crate::Finding;

/// The growth exponent at or below which measured times count as linear: a quadratic cost
/// measured over a tenfold input takes a hundredfold time, and even fixed overhead at the small
/// end leaves more than this at the large end.
const LINEAR: f64 = 1.3;
/// The span of input sizes a series must cover to say anything about growth.
const MIN_SPAN: f64 = 10.0;

/// What the report says the cost grows like.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Growth {
    Power(u32),
    Exponential,
}

impl Growth {
    fn describe(self) -> &'static str {
        match self {
            Growth::Power(2) => "quadratic",
            Growth::Power(3) => "cubic",
            Growth::Power(_) => "polynomial",
            Growth::Exponential => "exponential",
        }
    }
}

/// One measurement: an input size and the time it took, as numbers and as the report writes them.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    size: f64,
    secs: f64,
    size_text: String,
    time_text: String,
}

/// One series of measurements and where the report has it.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    line: usize,
    points: Vec<Point>,
}

pub(crate) fn check(report: &Report, findings: &mut Vec<Finding>) {
    let Some((claim_line, growth, words)) = claimed_growth(report) else { return };
    // Every series the report shows must grow linearly: one that bears the claim out (the
    // timings before a fix, beside those after it) answers the others. Of those, the steepest
    // is shown, the fairest to the report.
    let mut steepest: Option<(f64, Series)> = None;
    for s in series(report) {
        let Some(fit) = exponent(&s.points) else { continue };
        if fit > LINEAR {
            return;
        }
        if steepest.as_ref().is_none_or(|(f, _)| fit > *f) {
            steepest = Some((fit, s));
        }
    }
    let Some((fit, s)) = steepest else { return };
    let (lo, hi) = extremes(&s.points);
    let size_ratio = hi.size / lo.size;
    let time_ratio = hi.secs / lo.secs;
    let expected = match growth {
        Growth::Power(k) => format!("{} would take about {}x", growth.describe(), round(size_ratio.powi(k as i32))),
        Growth::Exponential => "an exponential one would take far longer".to_string(),
    };
    findings.push(
        Finding::new(
            &rules::TRI_OWN_MEASUREMENTS,
            format!(
                "the report calls the cost {} (\"{words}\", report line {claim_line}), but its own measurements at report line {} grow linearly: {}x the input took {}x the time (fitted exponent {fit:.2}); a cost that is {expected}",
                growth.describe(),
                s.line,
                round(size_ratio),
                round(time_ratio),
            ),
            format!("{} → {}; {} → {}", lo.size_text, lo.time_text, hi.size_text, hi.time_text),
        )
        .line(s.line),
    );
}

/// A ratio as a reader would say it: 9.7, 115, 2,500.
fn round(x: f64) -> String {
    if x < 10.0 {
        format!("{x:.1}")
    } else {
        let n = x.round() as u64;
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }
}

/// The measurements at the smallest and the largest input. `points` is not empty.
fn extremes(points: &[Point]) -> (&Point, &Point) {
    let lo = points.iter().min_by(|a, b| a.size.total_cmp(&b.size)).expect("non-empty");
    let hi = points.iter().max_by(|a, b| a.size.total_cmp(&b.size)).expect("non-empty");
    (lo, hi)
}

/// The growth exponent the measurements show: the larger of the least-squares slope of log time
/// against log size over all points and the slope between the two largest inputs (fixed costs
/// flatten the small end of a quadratic curve, never the large end). None when the series is too
/// short or too narrow to tell.
fn exponent(points: &[Point]) -> Option<f64> {
    if points.len() < 3 || points.iter().any(|p| p.size <= 0.0 || p.secs <= 0.0 || !p.size.is_finite() || !p.secs.is_finite()) {
        return None;
    }
    let (lo, hi) = extremes(points);
    if hi.size / lo.size < MIN_SPAN {
        return None;
    }
    let xs: Vec<f64> = points.iter().map(|p| p.size.ln()).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.secs.ln()).collect();
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let overall = sxy / sxx;
    let mut sorted: Vec<&Point> = points.iter().collect();
    sorted.sort_by(|a, b| a.size.total_cmp(&b.size));
    let (a, b) = (sorted[sorted.len() - 2], sorted[sorted.len() - 1]);
    let top = if b.size / a.size >= 1.5 { (b.secs / a.secs).ln() / (b.size / a.size).ln() } else { overall };
    Some(overall.max(top))
}

/// The first place the report (title or prose) calls the cost super-linear: O(n²), quadratic,
/// cubic, exponential. Words that speak of a fix ("from O(n²) to O(n)") or deny it do not count.
fn claimed_growth(report: &Report) -> Option<(usize, Growth, String)> {
    let title = report.title.iter().map(|t| (1usize, t.clone()));
    for (line, sentence) in title.chain(crate::meaning::prose_sentences(report)) {
        if let Some((g, w)) = growth_in(&sentence) {
            return Some((line, g, w));
        }
    }
    None
}

fn growth_in(sentence: &str) -> Option<(Growth, String)> {
    let lower = sentence.to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let denied = |at: usize, s: &str| {
        let before: Vec<&str> = s[..at].split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        before.iter().rev().take(3).any(|w| ["not", "no", "from", "instead", "avoid", "avoids", "without", "isn't", "never"].contains(w))
    };
    for (pat, g) in [
        ("o(n²)", Growth::Power(2)),
        ("o(n^2)", Growth::Power(2)),
        ("o(n**2)", Growth::Power(2)),
        ("o(n*n)", Growth::Power(2)),
        ("o(n³)", Growth::Power(3)),
        ("o(n^3)", Growth::Power(3)),
        ("o(2^n)", Growth::Exponential),
    ] {
        if let Some(at) = compact.find(pat) {
            // The same place in the sentence as written, where negation words are looked for.
            let nth = compact[..at].chars().count();
            let upto = lower.char_indices().filter(|(_, c)| !c.is_whitespace()).nth(nth).map(|(i, _)| i).unwrap_or(0);
            if !denied(upto, &lower) {
                let end = lower[upto..].find(')').map(|e| upto + e + 1).unwrap_or(lower.len());
                let shown = sentence.get(upto..end).filter(|_| sentence.len() == lower.len()).unwrap_or(&lower[upto..end]);
                return Some((g, shown.to_string()));
            }
        }
    }
    for (word, g) in [("quadratic", Growth::Power(2)), ("cubic", Growth::Power(3)), ("exponential", Growth::Exponential)] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(word) {
            let at = from + i;
            from = at + word.len();
            // "exponential backoff" is a retry schedule, not a cost.
            let next: String = lower[from..].chars().skip_while(|c| c.is_alphabetic()).collect();
            let next_word = next.split_whitespace().next().unwrap_or("");
            if word == "exponential" && next_word.starts_with("backoff") {
                continue;
            }
            if word == "cubic" && !["time", "complexity", "cost", "behaviour", "behavior"].iter().any(|w| next_word.starts_with(w)) {
                continue;
            }
            if !denied(at, &lower) {
                let end = lower[at..].find(|c: char| !c.is_alphabetic()).map(|e| at + e).unwrap_or(lower.len());
                let tail: String = lower[end..].split_whitespace().take(2).collect::<Vec<_>>().join(" ");
                let shown = sentence.get(at..end).filter(|_| sentence.len() == lower.len()).unwrap_or(&lower[at..end]);
                return Some((g, format!("{shown} {tail}").trim().to_string()));
            }
        }
    }
    None
}

/// Measurement series: Markdown tables with a column of input sizes and a column of times, and
/// runs of output lines that each give one size and one time (`n=1000: 0.02s`).
fn series(report: &Report) -> Vec<Series> {
    let mut out = Vec::new();
    for b in &report.blocks {
        if !matches!(b.kind, BlockKind::Prose | BlockKind::Log | BlockKind::Command) {
            continue;
        }
        let lines: Vec<&str> = b.text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            if lines[i].trim_start().starts_with('|') {
                let start = i;
                while i < lines.len() && lines[i].trim_start().starts_with('|') {
                    i += 1;
                }
                out.extend(table(&lines[start..i], b.start_line + start));
                continue;
            }
            if b.kind != BlockKind::Prose {
                let start = i;
                let mut points = Vec::new();
                while let Some(p) = lines.get(i).and_then(|l| line_point(l)) {
                    points.push(p);
                    i += 1;
                }
                if points.len() >= 3 {
                    out.push(Series { line: b.start_line + start, points });
                }
                if i > start {
                    continue;
                }
            }
            i += 1;
        }
    }
    out
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    t.split('|').map(|c| c.trim().trim_matches('*').trim_matches('`').trim().to_string()).collect()
}

/// A table's (size, time) series: one for each pair of a column whose every cell is a time (or
/// a bare number under a header naming time) and another whose every cell is a count or size.
fn table(rows: &[&str], first_line: usize) -> Vec<Series> {
    if rows.len() < 5 {
        return Vec::new();
    }
    let header = cells(rows[0]);
    if !cells(rows[1]).iter().all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))) {
        return Vec::new();
    }
    let body: Vec<Vec<String>> = rows[2..].iter().map(|r| cells(r)).filter(|r| r.len() == header.len()).collect();
    if body.len() < 3 {
        return Vec::new();
    }
    let head = |i: usize| header[i].to_lowercase();
    let timed_header = |h: &str| ["time", "duration", "elapsed", "latency", "seconds"].iter().any(|w| h.contains(w));
    let not_size = |h: &str| {
        ["ratio", "speedup", "factor", "%", "run", "trial", "attempt", "round", "growth", "increase", "rate", "per "]
            .iter()
            .any(|w| h.contains(w))
            || h == "#"
            || h == "no."
    };
    let secs = |i: usize, cell: &str| time_value(cell).or_else(|| bare_number(cell).filter(|_| timed_header(&head(i))));
    let time_cols: Vec<usize> =
        (0..header.len()).filter(|&i| !not_size(&head(i)) && body.iter().all(|r| secs(i, &r[i]).is_some())).collect();
    let size_cols: Vec<usize> = (0..header.len())
        .filter(|&i| !time_cols.contains(&i) && !not_size(&head(i)) && !timed_header(&head(i)))
        .filter(|&i| body.iter().all(|r| size_value(&r[i]).is_some()))
        .collect();
    let mut out = Vec::new();
    for &t in &time_cols {
        for &z in &size_cols {
            let points = body
                .iter()
                .filter_map(|r| {
                    Some(Point { size: size_value(&r[z])?, secs: secs(t, &r[t])?, size_text: r[z].clone(), time_text: r[t].clone() })
                })
                .collect();
            out.push(Series { line: first_line, points });
        }
    }
    out
}

/// A number as written: digits with thousands commas or underscores, a decimal point, an
/// exponent. Returns the value and the bytes it took.
fn number_at(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut text = String::new();
    while i < b.len() && (b[i].is_ascii_digit() || (b[i] == b',' || b[i] == b'_') && i > 0 && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    {
        if b[i].is_ascii_digit() {
            text.push(b[i] as char);
        }
        i += 1;
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        text.push('.');
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            text.push(b[i] as char);
            i += 1;
        }
    }
    if text.is_empty() || text == "." {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let digits = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits > 0 {
            text.push_str(&s[i..j + digits]);
            i = j + digits;
        }
    }
    text.parse().ok().map(|v| (v, i))
}

fn bare_number(cell: &str) -> Option<f64> {
    let c = cell.trim_start_matches(['~', '≈']).trim();
    let (v, used) = number_at(c)?;
    c[used..].trim().is_empty().then_some(v)
}

/// A time with its unit (`0.000271s`, `12 ms`, `1.5 seconds`), in seconds.
fn time_value(cell: &str) -> Option<f64> {
    let c = cell.trim_start_matches(['~', '≈']).trim();
    let (v, used) = number_at(c)?;
    let unit = c[used..].trim();
    unit_scale(unit).map(|k| v * k)
}

fn unit_scale(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" | "nanoseconds" => 1e-9,
        "µs" | "μs" | "us" | "microseconds" => 1e-6,
        "ms" | "msec" | "milliseconds" => 1e-3,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "min" | "mins" | "minute" | "minutes" => 60.0,
        _ => return None,
    })
}

/// An input size: a bare count or a count of something (`690 bytes`, `10,000 segments`, `4 KB`).
fn size_value(cell: &str) -> Option<f64> {
    let c = cell.trim_start_matches(['~', '≈']).trim();
    let (v, used) = number_at(c)?;
    let unit = c[used..].trim();
    if unit.is_empty() {
        return Some(v);
    }
    if unit.ends_with(['x', '×', '%']) || unit_scale(unit).is_some() || unit.split_whitespace().count() > 2 {
        return None;
    }
    let scale = match unit.split_whitespace().next().unwrap_or("") {
        "k" | "K" | "KB" | "kB" | "kb" => 1e3,
        "KiB" | "KiB)" => 1024.0,
        "M" | "MB" | "mb" => 1e6,
        "MiB" => 1024.0 * 1024.0,
        "G" | "GB" | "gb" => 1e9,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        w if w.chars().all(|ch| ch.is_alphabetic() || ch == '(' || ch == ')') => 1.0,
        _ => return None,
    };
    Some(v * scale)
}

/// One output line giving a size and a time: exactly one number with a time unit and, before
/// it, a number that is not a run's index (`run 3`, `#3`, `[3]`).
fn line_point(line: &str) -> Option<Point> {
    let mut numbers: Vec<(usize, usize, f64)> = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        if b[i].is_ascii_digit() && boundary {
            if let Some((v, used)) = number_at(&line[i..]) {
                numbers.push((i, i + used, v));
                i += used;
                continue;
            }
        }
        i += 1;
    }
    let mut times = Vec::new();
    let mut sizes = Vec::new();
    for &(s, e, v) in &numbers {
        let rest = &line[e..];
        let unit: String = rest.trim_start().chars().take_while(|c| c.is_alphabetic() || *c == 'µ' || *c == 'μ').collect();
        if let Some(k) = unit_scale(&unit) {
            let gap = &rest[..rest.len() - rest.trim_start().len()];
            times.push((s, v * k, format!("{}{gap}{unit}", &line[s..e])));
            continue;
        }
        let before = line[..s].trim_end().to_lowercase();
        let index = before.ends_with('#')
            || before.ends_with('[')
            || ["run", "trial", "attempt", "round", "iteration", "pass", "test", "step"].iter().any(|w| before.ends_with(w));
        let ratio = rest.starts_with(['x', '×', '%']);
        if !index && !ratio {
            sizes.push((s, e, v));
        }
    }
    let [(ts, t, ttext)] = times.as_slice() else { return None };
    let &(s, e, v) = sizes.iter().find(|(s, _, _)| s < ts)?;
    Some(Point { size: v, secs: *t, size_text: line[s..e].to_string(), time_text: ttext.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Report {
        vouch_claims::parse(text, &Default::default()).expect("report")
    }

    const TABLE: &str = "| Segments | Path Length | Processing Time | Time Ratio |\n|----------|-------------|-----------------|------------|\n| 100      | 690 bytes   | 0.000012s       | 1.0x       |\n| 1,000    | 7,890 bytes | 0.000028s       | 2.3x       |\n| 10,000   | 88,890 bytes| 0.000271s       | 22.6x      |\n| 50,000   | 488,890 bytes| 0.001383s      | 115.3x     |\n";

    #[test]
    fn a_quadratic_claim_against_linear_timings() {
        let text = format!(
            "# DoS in path normalisation\n\nThe loop rescans the buffer for every segment, so the cost is O(n²) in the path length.\n\n{TABLE}\nThis reduces complexity from O(n²) to O(n) once fixed.\n"
        );
        let mut findings = Vec::new();
        check(&report(&text), &mut findings);
        let f = findings.first().unwrap_or_else(|| panic!("no finding"));
        assert_eq!(f.rule, "VCH-TRI-048");
        assert!(f.message.contains("quadratic"), "{}", f.message);
        assert!(f.message.contains("500x the input took 115x the time"), "{}", f.message);
        assert_eq!(f.evidence, "100 → 0.000012s; 50,000 → 0.001383s");
    }

    #[test]
    fn timings_that_bear_the_claim_out() {
        // Fixed overhead flattens the small end; the large end grows fourfold per doubling.
        let table = "| n | time |\n|---|---|\n| 100 | 0.010 s |\n| 1000 | 0.012 s |\n| 10000 | 0.4 s |\n| 20000 | 1.6 s |\n";
        let text = format!("# Quadratic blowup in header folding\n\nEach folded line copies the whole header again.\n\n{table}");
        let mut findings = Vec::new();
        check(&report(&text), &mut findings);
        assert!(findings.is_empty(), "{findings:#?}");
        // The same timings without a super-linear claim: nothing to contradict.
        let text = format!("# Slow header folding\n\nEach folded line is copied.\n\n{TABLE}");
        check(&report(&text), &mut findings);
        assert!(findings.is_empty(), "{findings:#?}");
        // Timings before a fix that bear the claim out answer the linear ones after it, in either
        // column order.
        let both = "| n | after fix (time) | before fix (time) |\n|---|---|---|\n| 100 | 1 ms | 1 ms |\n| 1000 | 10 ms | 100 ms |\n| 10000 | 100 ms | 10 s |\n";
        let text = format!("# Quadratic blowup in header folding\n\nEach folded line copies the whole header again.\n\n{both}");
        check(&report(&text), &mut findings);
        assert!(findings.is_empty(), "{findings:#?}");
        // A claim the report denies is none.
        let text = format!("# Slow header folding\n\nThis is not quadratic, but linear with a large constant.\n\n{TABLE}");
        check(&report(&text), &mut findings);
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn output_lines_are_a_series_too() {
        let out = "```\nsize=1000 bytes: 0.50 ms\nsize=10000 bytes: 5.1 ms\nsize=100000 bytes: 49 ms\n```\n";
        let text = format!("# Exponential backtracking in the matcher\n\nThe matcher takes exponential time on nested groups.\n\n{out}");
        let mut findings = Vec::new();
        check(&report(&text), &mut findings);
        let f = findings.first().unwrap_or_else(|| panic!("no finding"));
        assert!(f.message.contains("exponential"), "{}", f.message);
        assert_eq!(f.evidence, "1000 → 0.50 ms; 100000 → 49 ms");
        // Run numbers are no sizes, and a run of three is too narrow anyway.
        assert_eq!(line_point("run 3: 0.5s"), None);
        assert_eq!(line_point("[12] took 0.5s"), None);
        assert_eq!(line_point("n=4096 took 12ms").map(|p| (p.size, p.secs)), Some((4096.0, 0.012)));
        // "exponential backoff" is a schedule, not a cost.
        assert_eq!(growth_in("curl retries with exponential backoff"), None);
        assert_eq!(growth_in("the cost grows as O(n^2) with the input").map(|g| g.0), Some(Growth::Power(2)));
    }

    #[test]
    fn cells_and_units() {
        assert_eq!(time_value("0.000271s"), Some(0.000271));
        assert_eq!(time_value("12 ms"), Some(0.012));
        assert_eq!(time_value("1.5 seconds"), Some(1.5));
        assert_eq!(time_value("115.3x"), None);
        assert_eq!(size_value("88,890 bytes"), Some(88890.0));
        assert_eq!(size_value("4 KB"), Some(4000.0));
        assert_eq!(size_value("2.3x"), None);
        assert_eq!(size_value("0.5 s"), None);
        assert_eq!(bare_number("1e-3"), Some(0.001));
        assert_eq!(round(115.25), "115");
        assert_eq!(round(2500.0), "2,500");
        assert_eq!(round(9.7), "9.7");
    }
}
