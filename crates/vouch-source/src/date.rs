//! Dates as reports and users write them.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    if !(1..=12).contains(&m) || d == 0 || !(1900..=9999).contains(&y) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    d <= days[m as usize - 1]
}

fn num(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A date or time as unix seconds.
///
/// * `2026-03-11` (also `2026/03/11`): the *end* of that day, 23:59:59 UTC, so "the code as of that
///   day" includes the day's commits;
/// * `2026-03-11T10:20:30Z`, `2026-03-11 10:20:30 +0100` (ISO 8601 / git style);
/// * RFC 2822 mail dates: `Tue, 11 Mar 2026 14:03:22 +0100` (weekday optional, `GMT`/`UTC`/`Z`
///   and US zone names accepted);
/// * `@1700000000` (unix seconds).
pub fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('@') {
        return num(rest);
    }
    parse_iso(s).or_else(|| parse_rfc2822(s))
}

fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    let (y, m, d) = (num(&s[0..4])?, num(&s[5..7])? as u32, num(&s[8..10])? as u32);
    if !valid(y, m, d) {
        return None;
    }
    let day = days_from_civil(y, m, d) * 86_400;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(day + 86_399);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?.trim_start();
    let (clock, zone) = split_clock(rest)?;
    Some(day + clock - zone_offset(zone.trim())?)
}

/// "10:20[:30][.123]" followed by an optional zone → (seconds, zone text).
fn split_clock(s: &str) -> Option<(i64, &str)> {
    let end = s.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(s.len());
    let (clock, zone) = s.split_at(end);
    let clock = clock.split('.').next()?;
    let mut parts = clock.split(':');
    let h = num(parts.next()?)?;
    let mi = num(parts.next()?)?;
    let sec = match parts.next() {
        Some(x) => num(x)?,
        None => 0,
    };
    if parts.next().is_some() || h > 24 || mi > 59 || sec > 60 {
        return None;
    }
    Some((h * 3600 + mi * 60 + sec, zone))
}

/// Seconds east of UTC.
fn zone_offset(z: &str) -> Option<i64> {
    let z = z.trim_matches(|c: char| c == '(' || c == ')');
    match z.to_ascii_uppercase().as_str() {
        "" | "Z" | "UT" | "UTC" | "GMT" => return Some(0),
        "EST" => return Some(-5 * 3600),
        "EDT" => return Some(-4 * 3600),
        "CST" => return Some(-6 * 3600),
        "CDT" => return Some(-5 * 3600),
        "MST" => return Some(-7 * 3600),
        "MDT" => return Some(-6 * 3600),
        "PST" => return Some(-8 * 3600),
        "PDT" => return Some(-7 * 3600),
        "CET" => return Some(3600),
        "CEST" => return Some(2 * 3600),
        _ => {}
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 {
        return None;
    }
    let h = num(&digits[..2])?;
    let m = num(&digits[2..])?;
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn parse_rfc2822(s: &str) -> Option<i64> {
    // Drop an optional "Tue," weekday.
    let s = match s.find(',') {
        Some(i) if i <= 10 && s[..i].chars().all(|c| c.is_ascii_alphabetic()) => &s[i + 1..],
        _ => s,
    };
    let mut it = s.split_whitespace();
    let d = num(it.next()?)? as u32;
    let mon = it.next()?;
    let m = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .iter()
        .position(|x| mon.len() >= 3 && mon[..3].eq_ignore_ascii_case(x))? as u32
        + 1;
    let mut y = num(it.next()?)?;
    if y < 50 {
        y += 2000;
    } else if y < 100 {
        y += 1900;
    }
    if !valid(y, m, d) {
        return None;
    }
    let day = days_from_civil(y, m, d) * 86_400;
    let Some(clock) = it.next() else { return Some(day + 86_399) };
    let (secs, extra) = split_clock(clock)?;
    if !extra.is_empty() {
        return None;
    }
    let zone = it.next().unwrap_or("");
    Some(day + secs - zone_offset(zone)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2024-01-01"), Some(1_704_153_599));
        assert_eq!(parse_date("2024-01-01T00:00:00Z"), Some(1_704_067_200));
        assert_eq!(parse_date("2024-01-01 01:00:00 +0100"), Some(1_704_067_200));
        assert_eq!(parse_date("Mon, 01 Jan 2024 00:00:00 +0000"), Some(1_704_067_200));
        assert_eq!(parse_date("1 Jan 2024 02:00:00 +0200"), Some(1_704_067_200));
        assert_eq!(parse_date("Mon, 1 Jan 2024 00:00:00 GMT"), Some(1_704_067_200));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("@1700000000"), Some(1_700_000_000));
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29) * 86400 + 86399));
    }
}
