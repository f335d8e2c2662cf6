//! Versions in tag names: `curl-8_10_1`, `v8.10.1`, `release-8.10.1`, `OpenSSL_1_1_1w`, `rel_8_10`.

/// The version a tag name carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagVersion {
    /// Dotted: "8.10.1" (an OpenSSL-style letter stays attached: "1.1.1w").
    pub version: String,
    /// Anything after the numbers other than an OpenSSL letter: rc, alpha, beta, pre, dev, ...
    pub prerelease: bool,
    /// What followed the numbers, lower-cased without separators ("rc1"); empty for releases.
    pub suffix: String,
}

fn boundary_ok(b: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let p = b[i - 1];
    if !p.is_ascii_alphanumeric() {
        return true;
    }
    // "v1.2.3", "foo-v1.2": a lone v before the digits.
    (p == b'v' || p == b'V') && (i == 1 || !b[i - 2].is_ascii_alphanumeric())
}

/// The version in a tag (or version) string, e.g. "curl-8_10_1" → "8.10.1".
///
/// Needs at least two numeric components unless the number is prefixed by `v` or is the whole
/// string; the first matching run of digits wins.
pub fn parse_tag_version(name: &str) -> Option<TagVersion> {
    let b = name.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // Digits glued to a name (`lcms2.16`, `php7.4.0`): a version only when dotted numbers
        // follow (`x86_64` and `md5sum` are names).
        let glued = !boundary_ok(b, i);
        if glued && !b[i - 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        let mut comps: Vec<&str> = Vec::new();
        let mut sep: Option<u8> = None;
        let mut j = i;
        loop {
            let cs = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            comps.push(&name[cs..j]);
            if j + 1 < b.len() && (b[j] == b'.' || b[j] == b'_') && sep.is_none_or(|s| s == b[j]) && b[j + 1].is_ascii_digit() {
                sep = Some(b[j]);
                j += 1;
                continue;
            }
            break;
        }
        if glued && (sep != Some(b'.') || comps.len() < 2) {
            i = j;
            continue;
        }
        let prefixed_v = start > 0 && (b[start - 1] == b'v' || b[start - 1] == b'V');
        let whole = start == 0 && j == b.len();
        if comps.len() < 2 && !prefixed_v && !whole {
            i = j;
            continue;
        }
        let mut version = comps.join(".");
        let mut rest = &name[j..];
        // OpenSSL 1.1.1w: one letter glued to the last number, then the end.
        if rest.len() == 1 && rest.as_bytes()[0].is_ascii_lowercase() {
            version.push_str(rest);
            rest = "";
        }
        // A patch level after a dash (ImageMagick's `7.1.1-43`): one more number of the release.
        if comps.len() >= 2 && rest.len() >= 2 && rest.len() <= 5 && rest.starts_with('-') && rest[1..].bytes().all(|c| c.is_ascii_digit())
        {
            version.push('.');
            version.push_str(&rest[1..]);
            rest = "";
        }
        let mut suffix: String = rest.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect::<String>();
        // Words that mark the release itself (wolfSSL's `v5.5.1-stable`, `2.0.0-final`,
        // `1.4-release`, `3.1.0-GA`), not a version before it.
        if matches!(suffix.as_str(), "stable" | "final" | "release" | "ga") {
            suffix.clear();
        }
        // A release's date after its number (json-c's `json-c-0.16-20220414`).
        if is_date_stamp(&suffix) {
            suffix.clear();
        }
        return Some(TagVersion { version, prerelease: !suffix.is_empty(), suffix });
    }
    None
}

/// An eight-digit YYYYMMDD stamp of a plausible year, month and day.
fn is_date_stamp(s: &str) -> bool {
    if s.len() != 8 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let (year, month, day) = (&s[..4], &s[4..6], &s[6..]);
    let n = |x: &str| x.parse::<u32>().unwrap_or(0);
    (1990..=2099).contains(&n(year)) && (1..=12).contains(&n(month)) && (1..=31).contains(&n(day))
}

/// Component-wise equality with zero padding: "8.10" == "8.10.0", "1.1.1w" == "1.1.1W".
pub(crate) fn versions_equal(a: &str, b: &str) -> bool {
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    let n = pa.len().max(pb.len());
    (0..n).all(|k| {
        let x = pa.get(k).copied().unwrap_or("0");
        let y = pb.get(k).copied().unwrap_or("0");
        match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x == y,
            _ => x.eq_ignore_ascii_case(y),
        }
    })
}

/// A version as a report states it → what to look for, or None for development versions
/// ("8.11.0-DEV") that no tag carries.
pub(crate) fn parse_query(v: &str) -> Option<TagVersion> {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let tv = parse_tag_version(v)?;
    if tv.suffix.contains("dev") || tv.suffix.contains("snapshot") || tv.suffix.contains("git") {
        return None;
    }
    // "8.10.1" must be the whole number: "8.10.1.2" is another version.
    Some(tv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Option<(String, bool)> {
        parse_tag_version(s).map(|t| (t.version, t.prerelease))
    }

    #[test]
    fn tag_names() {
        for (name, want) in [
            ("curl-8_10_1", "8.10.1"),
            ("v8.10.1", "8.10.1"),
            ("8.10.1", "8.10.1"),
            ("release-8.10.1", "8.10.1"),
            ("foo-8.10.1", "8.10.1"),
            ("foo_8_10_1", "8.10.1"),
            ("rel_8_10", "8.10"),
            ("OpenSSL_1_1_1w", "1.1.1w"),
            ("R_2_4_1", "2.4.1"),
            ("v2", "2"),
            ("2", "2"),
            ("libpng-1.6.37", "1.6.37"),
            // A name that ends in a digit, glued to the version (Little CMS tags `lcms2.16`).
            ("lcms2.16", "2.16"),
            ("lcms2.13.1", "2.13.1"),
            ("php7.4.0", "7.4.0"),
            ("libfoo2-1.2.3", "1.2.3"),
            ("x86_64-1.2", "1.2"),
            // Words that mark the release itself (wolfSSL tags `v5.5.1-stable`).
            ("v5.5.1-stable", "5.5.1"),
            ("2.0.0-final", "2.0.0"),
            ("v3.1.0-GA", "3.1.0"),
            // A patch level after a dash (ImageMagick).
            ("7.1.1-43", "7.1.1.43"),
            ("6.9.11-60", "6.9.11.60"),
        ] {
            assert_eq!(v(name), Some((want.to_string(), false)), "{name}");
        }
        assert_eq!(v("curl-8_10_1-rc1"), Some(("8.10.1".into(), true)));
        assert_eq!(v("v2.0.0-beta.1"), Some(("2.0.0".into(), true)));
        assert_eq!(v("openssl-3.0.0-alpha1"), Some(("3.0.0".into(), true)));
        assert_eq!(v("v1.2.3rc2"), Some(("1.2.3".into(), true)));
        assert_eq!(v("json-c-0.16-20220414"), Some(("0.16".into(), false)));
        assert_eq!(v("json-c-0.16-20229999"), Some(("0.16".into(), true)));
        assert_eq!(v("v1.0-12345678"), Some(("1.0".into(), true)));
        assert_eq!(v("latest"), None);
        assert_eq!(v("gtk-3"), None);
        assert_eq!(v("x86_64"), None);
        assert_eq!(v("md5sum"), None);
        assert_eq!(v("lcms2"), None);
        assert_eq!(v("sha256_2"), None);
    }

    #[test]
    fn equality_and_queries() {
        assert!(versions_equal("8.10", "8.10.0"));
        assert!(versions_equal("8.10.01", "8.10.1"));
        assert!(!versions_equal("8.10", "8.10.1"));
        assert!(versions_equal("1.1.1w", "1.1.1W"));
        assert_eq!(parse_query("8.11.0-DEV"), None);
        assert_eq!(parse_query("v8.10.1").map(|t| t.version), Some("8.10.1".into()));
        assert_eq!(parse_query("7.0.6-1").map(|t| (t.version, t.prerelease)), Some(("7.0.6.1".into(), false)));
    }
}
