//! Version orderings per package ecosystem, as OSV evaluates them.
//!
//! Each ecosystem has its own idea of what a version is and how two versions compare:
//!
//! | ecosystem | scheme |
//! |---|---|
//! | npm, crates.io, Hex, Pub (and OSV's `SEMVER` range type) | SemVer 2.0, leading `v` and partial versions (`1`, `1.2`) tolerated |
//! | Go | SemVer with or without the `v`; pseudo-versions are prereleases, `+incompatible` is build metadata |
//! | PyPI | PEP 440, with packaging's legacy fallback (legacy versions sort before every PEP 440 one) |
//! | Debian (and Ubuntu) | dpkg: epoch, upstream, revision, `~` before everything |
//! | Maven | Maven's `ComparableVersion` |
//! | RubyGems | `Gem::Version` |
//! | Packagist | PHP's `version_compare` as Composer uses it |
//! | NuGet | NuGet's SemVer 2 with four numeric parts, case-insensitive prerelease labels |
//! | Alpine (and Wolfi, Chainguard, MinimOS) | apk-tools version rules |
//! | Red Hat, Rocky Linux, AlmaLinux, SUSE, openSUSE, Mageia, openEuler, Photon OS, Azure Linux | rpm's `rpmvercmp` |
//! | CRAN | R's `package_version` |
//!
//! Numbers are compared as digit strings, so no input overflows an integer. Parsing is bounded
//! by [`MAX_LEN`]; nothing here panics on any input.
//!
//! Every scheme's order is total, except Maven's, which (like Maven's own `ComparableVersion`)
//! is not transitive for some unusual versions: a missing item counts as `0`, as the release
//! qualifier and as an empty sub-list alike, which are ordered among themselves; so
//! `1.0.rc15-2etch4` < `1.0` < `1:1.0.15-2.3` and yet `1.0.rc15-2etch4` > `1:1.0.15-2.3`.
//! Comparing any two versions is always answered; do not `sort()` odd Maven versions (the
//! standard sort may panic on an order that is not total).
//!
//! Versions of different schemes never compare equal: their order is consistent but arbitrary
//! (by scheme). Ask [`compare`] or parse both with the same ecosystem.

use std::cmp::Ordering;
use std::fmt;

mod alpine;
mod cran;
mod debian;
mod maven;
mod nuget;
mod num;
mod packagist;
mod pypi;
mod rpm;
mod rubygems;
mod semver;

/// The package ecosystems (as OSV names them), shared with the other vouch crates.
pub use vouch_pkg::Ecosystem;

/// The longest version text accepted, in bytes. Real versions are far shorter; the bound keeps
/// hostile input (deeply nested Maven qualifiers, say) cheap.
pub const MAX_LEN: usize = 1024;

/// A parsed version: the original text plus the key it sorts by in its ecosystem's scheme.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    key: Key,
}

/// The comparable form of a version, per scheme. The variant order is the (arbitrary) order
/// between schemes.
#[derive(Debug, Clone)]
enum Key {
    SemVer(semver::SemVer),
    Pep440(pypi::PyVersion),
    Debian(debian::DebVersion),
    Maven(maven::MavenVersion),
    RubyGems(rubygems::GemVersion),
    Packagist(packagist::PhpVersion),
    NuGet(nuget::NuGetVersion),
    Alpine(alpine::ApkVersion),
    Rpm(rpm::RpmVersion),
    Cran(cran::CranVersion),
}

impl Key {
    fn rank(&self) -> u8 {
        match self {
            Key::SemVer(_) => 0,
            Key::Pep440(_) => 1,
            Key::Debian(_) => 2,
            Key::Maven(_) => 3,
            Key::RubyGems(_) => 4,
            Key::Packagist(_) => 5,
            Key::NuGet(_) => 6,
            Key::Alpine(_) => 7,
            Key::Rpm(_) => 8,
            Key::Cran(_) => 9,
        }
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Key::SemVer(a), Key::SemVer(b)) => a.cmp(b),
            (Key::Pep440(a), Key::Pep440(b)) => a.cmp(b),
            (Key::Debian(a), Key::Debian(b)) => a.cmp(b),
            (Key::Maven(a), Key::Maven(b)) => a.cmp(b),
            (Key::RubyGems(a), Key::RubyGems(b)) => a.cmp(b),
            (Key::Packagist(a), Key::Packagist(b)) => a.cmp(b),
            (Key::NuGet(a), Key::NuGet(b)) => a.cmp(b),
            (Key::Alpine(a), Key::Alpine(b)) => a.cmp(b),
            (Key::Rpm(a), Key::Rpm(b)) => a.cmp(b),
            (Key::Cran(a), Key::Cran(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

impl Version {
    /// The original text, exactly as it was given to [`parse`].
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Versions compare by their scheme's rules; equal means "the same version" in that scheme
/// (`1.0` and `1.0.0` in PyPI, `1.0.0-BETA` and `1.0.0-beta` in NuGet), not the same text.
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key.cmp(&other.key)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Why a version text could not be parsed, or why an ecosystem cannot order versions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The text is not a version in the scheme.
    #[error("invalid {scheme} version {version:?}: {reason}")]
    Invalid {
        /// The text given (cut to [`MAX_LEN`] bytes when longer).
        version: String,
        /// The scheme it was parsed with (`SemVer`, `PEP 440`, `dpkg`, ...).
        scheme: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The ecosystem has no version ordering here.
    #[error("no version ordering for ecosystem {ecosystem:?} (version {version:?})")]
    Unsupported {
        /// The ecosystem's name.
        ecosystem: String,
        /// The text that was to be parsed (cut to [`MAX_LEN`] bytes when longer).
        version: String,
    },
}

impl VersionError {
    pub(crate) fn invalid(scheme: &'static str, version: &str, reason: impl Into<String>) -> VersionError {
        let mut end = version.len().min(MAX_LEN);
        while !version.is_char_boundary(end) {
            end -= 1;
        }
        VersionError::Invalid { version: version[..end].to_string(), scheme, reason: reason.into() }
    }
}

/// The ordering schemes. Several ecosystems share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    SemVer,
    Go,
    Pep440,
    Debian,
    Maven,
    RubyGems,
    Packagist,
    NuGet,
    Alpine,
    Rpm,
    Cran,
}

fn scheme_of(eco: &Ecosystem) -> Option<Scheme> {
    Some(match eco {
        Ecosystem::PyPI => Scheme::Pep440,
        Ecosystem::Npm | Ecosystem::CratesIo | Ecosystem::Hex | Ecosystem::Pub => Scheme::SemVer,
        Ecosystem::Go => Scheme::Go,
        Ecosystem::Debian => Scheme::Debian,
        Ecosystem::Maven => Scheme::Maven,
        Ecosystem::RubyGems => Scheme::RubyGems,
        Ecosystem::Packagist => Scheme::Packagist,
        Ecosystem::NuGet => Scheme::NuGet,
        Ecosystem::Alpine => Scheme::Alpine,
        // Other OSV ecosystems whose versions follow one of the schemes above (OSV schema,
        // "affected[].ranges[].type" and the ecosystem list).
        Ecosystem::Other(name) => match name.as_str() {
            "Ubuntu" => Scheme::Debian,
            "Wolfi" | "Chainguard" | "MinimOS" => Scheme::Alpine,
            "Red Hat" | "Rocky Linux" | "AlmaLinux" | "SUSE" | "openSUSE" | "Mageia" | "openEuler" | "Photon OS" | "Azure Linux" => {
                Scheme::Rpm
            }
            "CRAN" => Scheme::Cran,
            "Bitnami" | "SwiftURL" => Scheme::SemVer,
            _ => return None,
        },
    })
}

/// Whether versions of `eco` can be parsed and ordered.
pub fn supported(eco: &Ecosystem) -> bool {
    scheme_of(eco).is_some()
}

/// Checks what every scheme requires of the text and returns it without surrounding whitespace.
fn precheck<'a>(scheme: &'static str, s: &'a str) -> Result<&'a str, VersionError> {
    if s.len() > MAX_LEN {
        return Err(VersionError::invalid(scheme, s, format!("longer than {MAX_LEN} bytes")));
    }
    let t = s.trim();
    if t.is_empty() {
        return Err(VersionError::invalid(scheme, s, "it is empty"));
    }
    if let Some(c) = t.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(VersionError::invalid(scheme, s, format!("it contains the character {c:?}")));
    }
    Ok(t)
}

/// Parses `s` as a version of `eco`. Surrounding whitespace is ignored; [`Version::as_str`]
/// keeps the text as given.
pub fn parse(eco: &Ecosystem, s: &str) -> Result<Version, VersionError> {
    let Some(scheme) = scheme_of(eco) else {
        let mut end = s.len().min(MAX_LEN);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        return Err(VersionError::Unsupported { ecosystem: eco.as_str().to_string(), version: s[..end].to_string() });
    };
    let key = match scheme {
        Scheme::SemVer => Key::SemVer(semver::parse("SemVer", precheck("SemVer", s)?, s)?),
        Scheme::Go => Key::SemVer(semver::parse("Go", precheck("Go", s)?, s)?),
        Scheme::Pep440 => Key::Pep440(pypi::parse(precheck("PEP 440", s)?)),
        Scheme::Debian => Key::Debian(debian::parse(precheck("dpkg", s)?, s)?),
        Scheme::Maven => Key::Maven(maven::parse(precheck("Maven", s)?)),
        Scheme::RubyGems => Key::RubyGems(rubygems::parse(precheck("RubyGems", s)?, s)?),
        Scheme::Packagist => Key::Packagist(packagist::parse(precheck("Packagist", s)?)),
        Scheme::NuGet => Key::NuGet(nuget::parse(precheck("NuGet", s)?, s)?),
        Scheme::Alpine => Key::Alpine(alpine::parse(precheck("apk", s)?)),
        Scheme::Rpm => Key::Rpm(rpm::parse(precheck("RPM", s)?)),
        Scheme::Cran => Key::Cran(cran::parse(precheck("CRAN", s)?, s)?),
    };
    Ok(Version { text: s.into(), key })
}

/// Parses `s` as OSV's `SEMVER` range type reads it: SemVer 2.0, with a leading `v` allowed
/// and partial versions (`1`, `1.2`) padded with zeros.
pub fn parse_semver(s: &str) -> Result<Version, VersionError> {
    let key = Key::SemVer(semver::parse("SemVer", precheck("SemVer", s)?, s)?);
    Ok(Version { text: s.into(), key })
}

/// Compares two version texts of `eco`; fails when either does not parse.
pub fn compare(eco: &Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(eco, a)?.cmp(&parse(eco, b)?))
}
