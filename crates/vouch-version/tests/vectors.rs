//! The official OSV version-ordering vectors (osv-scanner's `internal/semantic/fixtures`, copied
//! to `../shared/corpus/versions/`): every line `a < b`, `a > b` or `a = b` must hold in both
//! directions, except the few listed in [`EXCEPTIONS`] with the reason each is not followed.
//!
//! Run with `--nocapture` to see the counts per file.

use std::cmp::Ordering;
use std::path::PathBuf;
use vouch_version::{parse, parse_semver, Ecosystem, Version, VersionError};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/versions");

/// Vector lines deliberately not followed: (file, line, reason).
const EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "packagist-versions.txt",
    "1.2.3.# = 1.2.3.1",
    "not transitive with its neighbours `1.2.3.# = 1.2.3` and `1.2.3 < 1.2.3.1` (both followed), so no \
     total order (which `Ord` must be) can hold all three; PHP's version_compare canonicalises `#` to a \
     separator, which gives `1.2.3.# = 1.2.3 < 1.2.3.1`",
)];

fn read(file: &str) -> String {
    let path = PathBuf::from(DIR).join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the version vectors at {} ({e}); they belong in ../shared/corpus/versions/ next to the repository",
            path.display()
        )
    })
}

#[derive(Default, Debug)]
struct Counts {
    checked: usize,
    excepted: usize,
}

/// Checks every vector line of `file` with `parse_fn`; returns the counts, panics listing all
/// unexpected disagreements (and exceptions that no longer disagree).
fn check(file: &str, label: &str, parse_fn: &dyn Fn(&str) -> Result<Version, VersionError>) -> Counts {
    let text = read(file);
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    let mut stale = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("//") {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [a, op, b] = fields[..] else {
            failures.push(format!("{file}:{}: not `a OP b`: {line}", n + 1));
            continue;
        };
        let want = match op {
            "<" => Ordering::Less,
            ">" => Ordering::Greater,
            "=" => Ordering::Equal,
            _ => {
                failures.push(format!("{file}:{}: unknown operator {op:?}", n + 1));
                continue;
            }
        };
        let outcome = match (parse_fn(a), parse_fn(b)) {
            (Ok(x), Ok(y)) => {
                let (ab, ba) = (x.cmp(&y), y.cmp(&x));
                if ab == want && ba == want.reverse() {
                    Ok(())
                } else {
                    Err(format!("got {a} {ab:?} {b} and {b} {ba:?} {a}"))
                }
            }
            (Err(e), _) | (_, Err(e)) => Err(format!("rejected: {e}")),
        };
        let excepted = EXCEPTIONS.iter().any(|(f, l, _)| *f == file && *l == line);
        match (outcome, excepted) {
            (Ok(()), false) => counts.checked += 1,
            (Ok(()), true) => stale.push(format!("{file}:{}: {line} (listed as an exception but now holds)", n + 1)),
            (Err(_), true) => counts.excepted += 1,
            (Err(why), false) => failures.push(format!("{file}:{}: {line}: {why}", n + 1)),
        }
    }
    println!("{label:>10} {file}: {} vectors hold, {} excepted, {} fail", counts.checked, counts.excepted, failures.len());
    assert!(
        failures.is_empty() && stale.is_empty(),
        "{label} {file}: {} hold, {} excepted, {} fail:\n{}\n{}",
        counts.checked,
        counts.excepted,
        failures.len(),
        failures.join("\n"),
        stale.join("\n")
    );
    assert!(counts.checked > 0, "{file}: no vectors found");
    counts
}

fn eco(e: Ecosystem) -> impl Fn(&str) -> Result<Version, VersionError> {
    move |s| parse(&e, s)
}

#[test]
fn pypi() {
    check("pypi-versions.txt", "PyPI", &eco(Ecosystem::PyPI));
    check("pypi-versions-generated.txt", "PyPI", &eco(Ecosystem::PyPI));
}

#[test]
fn semver() {
    check("semver-versions.txt", "SEMVER", &parse_semver);
    for e in [Ecosystem::Npm, Ecosystem::CratesIo, Ecosystem::Hex, Ecosystem::Pub, Ecosystem::Go] {
        check("semver-versions.txt", e.as_str(), &eco(e.clone()));
    }
}

#[test]
fn debian() {
    check("debian-versions.txt", "Debian", &eco(Ecosystem::Debian));
    check("debian-versions-generated.txt", "Debian", &eco(Ecosystem::Debian));
    check("debian-versions.txt", "Ubuntu", &eco(Ecosystem::Other("Ubuntu".into())));
}

#[test]
fn maven() {
    check("maven-versions.txt", "Maven", &eco(Ecosystem::Maven));
    check("maven-versions-generated.txt", "Maven", &eco(Ecosystem::Maven));
}

#[test]
fn rubygems() {
    check("rubygems-versions.txt", "RubyGems", &eco(Ecosystem::RubyGems));
    check("rubygems-versions-generated.txt", "RubyGems", &eco(Ecosystem::RubyGems));
}

#[test]
fn packagist() {
    check("packagist-versions.txt", "Packagist", &eco(Ecosystem::Packagist));
    check("packagist-versions-generated.txt", "Packagist", &eco(Ecosystem::Packagist));
}

#[test]
fn nuget() {
    check("nuget-versions.txt", "NuGet", &eco(Ecosystem::NuGet));
}

#[test]
fn alpine() {
    check("alpine-versions.txt", "Alpine", &eco(Ecosystem::Alpine));
    check("alpine-versions-generated.txt", "Alpine", &eco(Ecosystem::Alpine));
}

#[test]
fn redhat() {
    check("redhat-versions.txt", "Red Hat", &eco(Ecosystem::Other("Red Hat".into())));
}

#[test]
fn cran() {
    check("cran-versions.txt", "CRAN", &eco(Ecosystem::Other("CRAN".into())));
    check("cran-versions-generated.txt", "CRAN", &eco(Ecosystem::Other("CRAN".into())));
}

#[test]
fn every_exception_names_a_vector_file_and_a_reason() {
    for (file, line, reason) in EXCEPTIONS {
        assert!(read(file).lines().any(|l| l.trim() == *line), "exception {line:?} is not a line of {file}");
        assert!(reason.len() > 20, "exception {line:?} needs a real reason");
    }
}
