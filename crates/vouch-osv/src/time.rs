//! Ordering of OSV `modified` timestamps (RFC 3339), for "the newer advisory wins".

use std::cmp::Ordering;

/// Seconds since 1970 (proleptic Gregorian, UTC) and nanoseconds of an RFC 3339 timestamp.
fn instant(s: &str) -> Option<(i64, u32)> {
    let b = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') || !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let mut scale = 100_000_000u32;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            nanos += u32::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    let offset = match b.get(i) {
        None | Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let oh = num(i + 1..i + 3)?;
            let om = num(i + 4..i + 6)?;
            let o = oh * 3600 + om * 60;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + se - offset, nanos))
}

/// Orders two `modified` values: a missing one is the oldest; timestamps compare as instants
/// (so `...23.5Z` is after `...23Z` and offsets are honoured); unparsable ones compare as text,
/// before every parsable one (a well-formed timestamp is trusted over a malformed one).
pub fn compare_modified(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => match (instant(a), instant(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Greater,
            (None, Some(_)) => Ordering::Less,
            (None, None) => a.cmp(b),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("2000-03-01T00:00:00Z"), Some((951_868_800, 0)));
        assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(instant("1970-01-01T00:00:01.5Z"), Some((1, 500_000_000)));
        assert!(instant("0001-01-01T00:00:00Z").is_some());
        assert_eq!(instant("yesterday"), None);
    }

    #[test]
    fn ordering() {
        use Ordering::*;
        assert_eq!(compare_modified(Some("2023-11-07T20:24:23.946863Z"), Some("2023-11-07T20:24:23Z")), Greater);
        assert_eq!(compare_modified(Some("2023-01-01T00:00:00+02:00"), Some("2022-12-31T23:00:00Z")), Less);
        assert_eq!(compare_modified(None, Some("2020-01-01T00:00:00Z")), Less);
        assert_eq!(compare_modified(Some("garbage"), Some("2020-01-01T00:00:00Z")), Less);
        assert_eq!(compare_modified(Some("2020-01-01T00:00:00Z"), Some("2020-01-01T00:00:00.000Z")), Equal);
    }
}
