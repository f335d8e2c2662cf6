//! CRAN (R package) versions: non-negative integers separated by `.` or `-`, compared
//! component by component by value; with equal leading components, more components is greater
//! (`0.1.0` < `0.1.0.0`), as R's `package_version` orders them.

use crate::num::{all_digits, Num};
use crate::VersionError;

const SCHEME: &str = "CRAN";

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CranVersion {
    parts: Vec<Num>,
}

pub(crate) fn parse(s: &str, original: &str) -> Result<CranVersion, VersionError> {
    let mut parts = Vec::new();
    for (i, c) in s.split(['.', '-']).enumerate() {
        if !all_digits(c) {
            let what = if c.is_empty() { "empty".to_string() } else { format!("{c:?}, not a number") };
            return Err(VersionError::invalid(SCHEME, original, format!("component {} is {what}", i + 1)));
        }
        parts.push(Num::new(c));
    }
    Ok(CranVersion { parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_components() {
        let p = |s: &str| parse(s, s).unwrap();
        assert_eq!(p("0.01.0"), p("0.1-0"));
        assert!(p("0.9") < p("0.75"));
        assert!(p("0.1.0") < p("0.1.0.0"));
        assert!(parse("1.0a", "1.0a").is_err());
        assert!(parse("1..0", "1..0").is_err());
    }
}
