//! Package identity: which ecosystem a package lives in (as OSV spells it), how its name is
//! normalised for matching, and its package URL (purl).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A package ecosystem. The known ones have a version ordering in `vouch-version`; others are
/// kept by name so that nothing read is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Ecosystem {
    PyPI,
    Npm,
    CratesIo,
    Go,
    Hex,
    Pub,
    Debian,
    Maven,
    RubyGems,
    Packagist,
    NuGet,
    Alpine,
    /// Any other OSV ecosystem, by the name OSV gives it (without a `:release` suffix).
    Other(String),
}

impl Ecosystem {
    /// Every ecosystem vouch knows by name.
    pub const KNOWN: [Ecosystem; 12] = [
        Ecosystem::PyPI,
        Ecosystem::Npm,
        Ecosystem::CratesIo,
        Ecosystem::Go,
        Ecosystem::Hex,
        Ecosystem::Pub,
        Ecosystem::Debian,
        Ecosystem::Maven,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::NuGet,
        Ecosystem::Alpine,
    ];

    /// Parses an OSV `affected[].package.ecosystem` value. A release suffix (`Debian:12`,
    /// `Alpine:v3.18`) is ignored here; see [`release`]. Matching is exact on OSV's spelling,
    /// with a case-insensitive fallback for hand-written input.
    pub fn parse(s: &str) -> Ecosystem {
        let base = s.split_once(':').map_or(s, |(b, _)| b).trim();
        for e in Ecosystem::KNOWN {
            if e.as_str() == base {
                return e;
            }
        }
        for e in Ecosystem::KNOWN {
            if e.as_str().eq_ignore_ascii_case(base) {
                return e;
            }
        }
        match base.to_ascii_lowercase().as_str() {
            "pip" | "python" => Ecosystem::PyPI,
            "cargo" | "crates" | "rust" => Ecosystem::CratesIo,
            "golang" => Ecosystem::Go,
            "gem" | "rubygem" => Ecosystem::RubyGems,
            "composer" => Ecosystem::Packagist,
            "deb" => Ecosystem::Debian,
            "apk" => Ecosystem::Alpine,
            _ => Ecosystem::Other(base.to_string()),
        }
    }

    /// The name OSV uses.
    pub fn as_str(&self) -> &str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Go => "Go",
            Ecosystem::Hex => "Hex",
            Ecosystem::Pub => "Pub",
            Ecosystem::Debian => "Debian",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::Other(s) => s,
        }
    }

    /// The package-URL type (purl spec), when there is one.
    pub fn purl_type(&self) -> Option<&'static str> {
        Some(match self {
            Ecosystem::PyPI => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Go => "golang",
            Ecosystem::Hex => "hex",
            Ecosystem::Pub => "pub",
            Ecosystem::Debian => "deb",
            Ecosystem::Maven => "maven",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Alpine => "apk",
            Ecosystem::Other(_) => return None,
        })
    }

    /// The ecosystem of a purl type.
    pub fn from_purl_type(t: &str) -> Option<Ecosystem> {
        Ecosystem::KNOWN.into_iter().find(|e| e.purl_type() == Some(t))
    }

    /// The name under which advisories and lockfiles are matched:
    /// PyPI per PEP 503 (lower case, runs of `-`, `_`, `.` become one `-`); NuGet and Packagist
    /// are case-insensitive (lower case); every other ecosystem compares names exactly (npm
    /// scopes such as `@types/node` are kept as they are).
    pub fn normalise_name(&self, name: &str) -> String {
        let name = name.trim();
        match self {
            Ecosystem::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                        continue;
                    }
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.extend(c.to_lowercase());
                }
                out
            }
            Ecosystem::NuGet | Ecosystem::Packagist => name.to_lowercase(),
            _ => name.to_string(),
        }
    }
}

/// The release part of an OSV ecosystem value (`12` of `Debian:12`), if any.
pub fn release(ecosystem: &str) -> Option<&str> {
    ecosystem.split_once(':').map(|(_, r)| r.trim()).filter(|r| !r.is_empty())
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Ecosystem> for String {
    fn from(e: Ecosystem) -> String {
        e.as_str().to_string()
    }
}

impl From<String> for Ecosystem {
    fn from(s: String) -> Ecosystem {
        Ecosystem::parse(&s)
    }
}

/// Percent-encodes a purl segment (RFC 3986 unreserved characters and `.`, `-`, `_`, `~` kept).
pub fn purl_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The package URL of a package: `pkg:pypi/requests@2.31.0`, `pkg:npm/%40types/node@20.1.0`,
/// `pkg:maven/org.apache/commons@1.0`. `None` for ecosystems without a purl type.
pub fn purl(ecosystem: &Ecosystem, name: &str, version: Option<&str>) -> Option<String> {
    let ty = ecosystem.purl_type()?;
    let name = match ecosystem {
        Ecosystem::PyPI => ecosystem.normalise_name(name),
        _ => name.to_string(),
    };
    // Namespaced ecosystems: the part before the last separator is the namespace.
    let (ns, n) = match ecosystem {
        Ecosystem::Maven => match name.split_once(':') {
            Some((g, a)) => (Some(g.to_string()), a.to_string()),
            None => (None, name),
        },
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Packagist => match name.rsplit_once('/') {
            Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
            None => (None, name),
        },
        _ => (None, name),
    };
    let mut out = format!("pkg:{ty}/");
    if let Some(ns) = ns {
        let parts: Vec<String> = ns.split('/').map(purl_segment).collect();
        out.push_str(&parts.join("/"));
        out.push('/');
    }
    out.push_str(&purl_segment(&n));
    if let Some(v) = version {
        out.push('@');
        out.push_str(&purl_segment(v));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems_parse_from_osv_names_and_aliases() {
        assert_eq!(Ecosystem::parse("PyPI"), Ecosystem::PyPI);
        assert_eq!(Ecosystem::parse("crates.io"), Ecosystem::CratesIo);
        assert_eq!(Ecosystem::parse("Debian:12"), Ecosystem::Debian);
        assert_eq!(release("Debian:12"), Some("12"));
        assert_eq!(Ecosystem::parse("Alpine:v3.18"), Ecosystem::Alpine);
        assert_eq!(Ecosystem::parse("pypi"), Ecosystem::PyPI);
        assert_eq!(Ecosystem::parse("Bitnami"), Ecosystem::Other("Bitnami".into()));
        for e in Ecosystem::KNOWN {
            assert_eq!(Ecosystem::parse(e.as_str()), e);
            assert_eq!(Ecosystem::from_purl_type(e.purl_type().unwrap()), Some(e));
        }
    }

    #[test]
    fn names_normalise_per_ecosystem() {
        assert_eq!(Ecosystem::PyPI.normalise_name("Foo__Bar.baz"), "foo-bar-baz");
        assert_eq!(Ecosystem::PyPI.normalise_name("zope.interface"), "zope-interface");
        assert_eq!(Ecosystem::PyPI.normalise_name("_private"), "private");
        assert_eq!(Ecosystem::Npm.normalise_name("@Types/Node"), "@Types/Node");
        assert_eq!(Ecosystem::NuGet.normalise_name("Newtonsoft.Json"), "newtonsoft.json");
        assert_eq!(Ecosystem::CratesIo.normalise_name("serde_json"), "serde_json");
    }

    #[test]
    fn purls() {
        assert_eq!(purl(&Ecosystem::PyPI, "Zope.Interface", Some("5.0")).unwrap(), "pkg:pypi/zope-interface@5.0");
        assert_eq!(purl(&Ecosystem::Npm, "@types/node", Some("20.1.0")).unwrap(), "pkg:npm/%40types/node@20.1.0");
        assert_eq!(
            purl(&Ecosystem::Maven, "org.apache.commons:commons-text", Some("1.9")).unwrap(),
            "pkg:maven/org.apache.commons/commons-text@1.9"
        );
        assert_eq!(purl(&Ecosystem::Go, "github.com/gin-gonic/gin", Some("v1.9.0")).unwrap(), "pkg:golang/github.com/gin-gonic/gin@v1.9.0");
        assert_eq!(purl(&Ecosystem::CratesIo, "serde", None).unwrap(), "pkg:cargo/serde");
        assert_eq!(purl(&Ecosystem::Other("X".into()), "a", None), None);
    }
}
