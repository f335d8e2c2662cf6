//! Every osv-scanner fixture of a supported format is read with the expected result; deliberately
//! invalid fixtures give errors that name the file (and the line, where there is one); fixtures of
//! unsupported formats are refused as unsupported.

mod common;
use common::files_under;
use std::path::PathBuf;
use vouch_lockfile::{read, read_as, Ecosystem, LockError, Lockfile, Spec};

const BASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/lockfiles/osv-scanner-fixtures");

fn base() -> PathBuf {
    let p = PathBuf::from(BASE);
    assert!(p.is_dir(), "fixture corpus not found: looked in {}", p.display());
    p
}

#[derive(Debug, Clone, Copy)]
enum Want {
    /// Packages and problems.
    Read(usize, usize),
    /// A syntax error (invalid file).
    Syntax,
    /// No package and nothing saying there is none.
    Empty,
}
use Want::*;

/// (fixture, format, expectation). Counts are distinct (name, version, source) per file.
const FIXTURES: &[(&str, &str, Want)] = &[
    ("bundler/has-git-gem.lock", "Gemfile.lock", Read(5, 0)),
    ("bundler/has-local-gem.lock", "Gemfile.lock", Read(30, 0)),
    ("bundler/multiple-gems.lock", "Gemfile.lock", Read(6, 0)),
    ("bundler/no-gem-section.lock", "Gemfile.lock", Read(0, 0)),
    ("bundler/no-gems.lock", "Gemfile.lock", Read(0, 0)),
    ("bundler/no-spec-section.lock", "Gemfile.lock", Read(0, 0)),
    ("bundler/one-gem.lock", "Gemfile.lock", Read(1, 0)),
    ("bundler/rails.lock", "Gemfile.lock", Read(46, 0)),
    ("bundler/rubocop.lock", "Gemfile.lock", Read(10, 0)),
    ("bundler/some-gems.lock", "Gemfile.lock", Read(3, 0)),
    ("cargo/empty.lock", "Cargo.lock", Read(0, 0)),
    ("cargo/not-toml.txt", "Cargo.lock", Syntax),
    ("cargo/one-package.lock", "Cargo.lock", Read(1, 0)),
    ("cargo/package-with-build-string.lock", "Cargo.lock", Read(1, 0)),
    ("cargo/two-packages-with-local.lock", "Cargo.lock", Read(2, 0)),
    ("cargo/two-packages.lock", "Cargo.lock", Read(2, 0)),
    ("composer/empty.json", "composer.lock", Read(0, 0)),
    ("composer/not-json.txt", "composer.lock", Syntax),
    ("composer/one-package-dev.json", "composer.lock", Read(1, 0)),
    ("composer/one-package.json", "composer.lock", Read(1, 0)),
    ("composer/two-packages-alt.json", "composer.lock", Read(2, 0)),
    ("composer/two-packages.json", "composer.lock", Read(2, 0)),
    ("conan/empty.v1.json", "conan.lock", Read(0, 0)),
    ("conan/empty.v1.revisions.json", "conan.lock", Read(0, 0)),
    ("conan/empty.v2.json", "conan.lock", Read(0, 0)),
    ("conan/nested-dependencies.v1.json", "conan.lock", Read(5, 0)),
    ("conan/nested-dependencies.v1.revisions.json", "conan.lock", Read(5, 0)),
    ("conan/nested-dependencies.v2.json", "conan.lock", Read(5, 0)),
    ("conan/no-name.v1.json", "conan.lock", Read(1, 1)),
    ("conan/no-name.v1.revisions.json", "conan.lock", Read(1, 1)),
    ("conan/no-name.v2.json", "conan.lock", Read(1, 1)),
    ("conan/not-json.txt", "conan.lock", Syntax),
    ("conan/old-format-0.0.json", "conan.lock", Read(1, 0)),
    ("conan/old-format-0.1.json", "conan.lock", Read(1, 0)),
    ("conan/old-format-0.2.json", "conan.lock", Read(1, 0)),
    ("conan/old-format-0.3.json", "conan.lock", Read(1, 0)),
    ("conan/one-package-dev.v1.json", "conan.lock", Read(1, 0)),
    ("conan/one-package-dev.v1.revisions.json", "conan.lock", Read(1, 0)),
    ("conan/one-package-dev.v2.json", "conan.lock", Read(1, 0)),
    ("conan/one-package.v1.json", "conan.lock", Read(1, 0)),
    ("conan/one-package.v1.revisions.json", "conan.lock", Read(1, 0)),
    ("conan/one-package.v2.json", "conan.lock", Read(1, 0)),
    ("conan/two-packages.v1.json", "conan.lock", Read(2, 0)),
    ("conan/two-packages.v1.revisions.json", "conan.lock", Read(2, 0)),
    ("conan/two-packages.v2.json", "conan.lock", Read(2, 0)),
    ("go/empty.mod", "go.mod", Empty),
    ("go/indirect-packages.mod", "go.mod", Read(6, 0)),
    ("go/not-go-mod.txt", "go.mod", Syntax),
    ("go/one-package.mod", "go.mod", Read(1, 0)),
    ("go/replace-different.mod", "go.mod", Read(2, 0)),
    ("go/replace-local.mod", "go.mod", Read(2, 0)),
    ("go/replace-mixed.mod", "go.mod", Read(2, 0)),
    ("go/replace-no-version.mod", "go.mod", Read(1, 0)),
    ("go/replace-not-required.mod", "go.mod", Read(2, 0)),
    ("go/replace-one.mod", "go.mod", Read(1, 0)),
    ("go/two-packages.mod", "go.mod", Read(3, 0)),
    ("gradle/5-pkg", "gradle.lockfile", Read(5, 0)),
    ("gradle/one-pkg", "gradle.lockfile", Read(1, 0)),
    ("gradle/only-comments", "gradle.lockfile", Empty),
    ("gradle/only-empty", "gradle.lockfile", Read(0, 0)),
    ("gradle/with-bad-pkg", "gradle.lockfile", Read(2, 4)),
    ("maven/empty.xml", "pom.xml", Read(0, 0)),
    ("maven/interpolation.xml", "pom.xml", Read(3, 0)),
    ("maven/invalid-syntax.xml", "pom.xml", Syntax),
    ("maven/not-pom.txt", "pom.xml", Syntax),
    ("maven/one-package.xml", "pom.xml", Read(1, 0)),
    ("maven/two-packages.xml", "pom.xml", Read(2, 0)),
    ("maven/with-dependency-management.xml", "pom.xml", Read(4, 0)),
    ("maven/with-scope.xml", "pom.xml", Read(2, 0)),
    ("mix/empty.lock", "mix.lock", Read(0, 0)),
    ("mix/git.lock", "mix.lock", Read(3, 0)),
    ("mix/many.lock", "mix.lock", Read(21, 0)),
    ("mix/one-package.lock", "mix.lock", Read(1, 0)),
    ("mix/two-packages.lock", "mix.lock", Read(2, 0)),
    ("npm/alias.v1.json", "package-lock.json", Read(3, 0)),
    ("npm/alias.v2.json", "package-lock.json", Read(3, 0)),
    ("npm/commits.v1.json", "package-lock.json", Read(15, 0)),
    ("npm/commits.v2.json", "package-lock.json", Read(14, 0)),
    ("npm/empty.v1.json", "package-lock.json", Read(0, 0)),
    ("npm/empty.v2.json", "package-lock.json", Read(0, 0)),
    ("npm/files.v1.json", "package-lock.json", Read(2, 0)),
    ("npm/files.v2.json", "package-lock.json", Read(3, 0)),
    ("npm/nested-dependencies-dup.v1.json", "package-lock.json", Read(39, 0)),
    ("npm/nested-dependencies-dup.v2.json", "package-lock.json", Read(2, 0)),
    ("npm/nested-dependencies.v1.json", "package-lock.json", Read(5, 0)),
    ("npm/nested-dependencies.v2.json", "package-lock.json", Read(5, 0)),
    ("npm/not-json.txt", "package-lock.json", Syntax),
    ("npm/one-package-dev.v1.json", "package-lock.json", Read(1, 0)),
    ("npm/one-package-dev.v2.json", "package-lock.json", Read(1, 0)),
    ("npm/one-package.v1.json", "package-lock.json", Read(1, 0)),
    ("npm/one-package.v2.json", "package-lock.json", Read(1, 0)),
    ("npm/optional-package.v1.json", "package-lock.json", Read(2, 0)),
    ("npm/optional-package.v2.json", "package-lock.json", Read(2, 0)),
    ("npm/same-package-different-groups.v1.json", "package-lock.json", Read(3, 0)),
    ("npm/same-package-different-groups.v2.json", "package-lock.json", Read(3, 0)),
    ("npm/scoped-packages.v1.json", "package-lock.json", Read(2, 0)),
    ("npm/scoped-packages.v2.json", "package-lock.json", Read(2, 0)),
    ("npm/two-packages.v1.json", "package-lock.json", Read(2, 0)),
    ("npm/two-packages.v2.json", "package-lock.json", Read(2, 0)),
    ("nuget/empty.v0.json", "packages.lock.json", Read(0, 0)),
    ("nuget/empty.v1.json", "packages.lock.json", Read(0, 0)),
    ("nuget/not-json.txt", "packages.lock.json", Syntax),
    ("nuget/one-framework-one-package.v1.json", "packages.lock.json", Read(1, 0)),
    ("nuget/one-framework-two-packages.v1.json", "packages.lock.json", Read(2, 0)),
    ("nuget/two-frameworks-different-packages.v1.json", "packages.lock.json", Read(2, 0)),
    ("nuget/two-frameworks-duplicate-packages.v1.json", "packages.lock.json", Read(1, 0)),
    ("nuget/two-frameworks-mixed-packages.v1.json", "packages.lock.json", Read(3, 0)),
    ("pdm/dev-dependency.toml", "pdm.lock", Read(3, 0)),
    ("pdm/empty.toml", "pdm.lock", Read(0, 0)),
    ("pdm/git-dependency.toml", "pdm.lock", Read(1, 0)),
    ("pdm/not-toml.txt", "pdm.lock", Syntax),
    ("pdm/optional-dependency.toml", "pdm.lock", Read(3, 0)),
    ("pdm/single-package.toml", "pdm.lock", Read(1, 0)),
    ("pdm/two-packages.toml", "pdm.lock", Read(2, 0)),
    ("pip/cyclic-r-complex-1.txt", "requirements.txt", Read(3, 0)),
    ("pip/cyclic-r-complex-2.txt", "requirements.txt", Read(3, 0)),
    ("pip/cyclic-r-complex-3.txt", "requirements.txt", Read(3, 0)),
    ("pip/cyclic-r-self.txt", "requirements.txt", Read(2, 0)),
    ("pip/duplicate-r-base.txt", "requirements.txt", Read(1, 0)),
    ("pip/duplicate-r-dev.txt", "requirements.txt", Read(4, 0)),
    ("pip/duplicate-r-test.txt", "requirements.txt", Read(3, 0)),
    ("pip/empty.txt", "requirements.txt", Empty),
    ("pip/file-format-example.txt", "requirements.txt", Read(12, 0)),
    ("pip/line-continuation.txt", "requirements.txt", Read(4, 0)),
    ("pip/multiple-packages-constrained.txt", "requirements.txt", Read(13, 0)),
    ("pip/multiple-packages-mixed.txt", "requirements.txt", Read(8, 0)),
    ("pip/non-normalized-names.txt", "requirements.txt", Read(3, 0)),
    ("pip/one-package-constrained.txt", "requirements.txt", Read(1, 0)),
    ("pip/one-package-unconstrained.txt", "requirements.txt", Read(1, 0)),
    ("pip/only-comments.txt", "requirements.txt", Empty),
    ("pip/other-file.txt", "requirements.txt", Read(1, 0)),
    ("pip/with-added-support.txt", "requirements.txt", Read(1, 0)),
    ("pip/with-bad-r-option.txt", "requirements.txt", Read(1, 1)),
    ("pip/with-multiple-r-options.txt", "requirements.txt", Read(10, 0)),
    ("pip/with-per-requirement-options.txt", "requirements.txt", Read(4, 0)),
    ("pipenv/empty.json", "Pipfile.lock", Read(0, 0)),
    ("pipenv/multiple-packages.json", "Pipfile.lock", Read(4, 0)),
    ("pipenv/no-version.json", "Pipfile.lock", Read(2, 0)),
    ("pipenv/not-json.txt", "Pipfile.lock", Syntax),
    ("pipenv/one-package-dev.json", "Pipfile.lock", Read(1, 0)),
    ("pipenv/one-package.json", "Pipfile.lock", Read(1, 0)),
    ("pipenv/two-packages-alt.json", "Pipfile.lock", Read(2, 0)),
    ("pipenv/two-packages.json", "Pipfile.lock", Read(2, 0)),
    ("pnpm/commits.v9.yaml", "pnpm-lock.yaml", Read(2, 0)),
    ("pnpm/commits.yaml", "pnpm-lock.yaml", Read(5, 0)),
    ("pnpm/empty.yaml", "pnpm-lock.yaml", Empty),
    ("pnpm/exotic.yaml", "pnpm-lock.yaml", Read(8, 1)),
    ("pnpm/files.yaml", "pnpm-lock.yaml", Read(5, 1)),
    ("pnpm/invalid-package-path.yaml", "pnpm-lock.yaml", Read(9, 0)),
    ("pnpm/mixed-groups.v53.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/mixed-groups.v54.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/mixed-groups.v6.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/mixed-groups.v9.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/multiple-packages.yaml", "pnpm-lock.yaml", Read(14, 0)),
    ("pnpm/multiple-versions.v9.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/multiple-versions.yaml", "pnpm-lock.yaml", Read(3, 0)),
    ("pnpm/no-packages.v9.yaml", "pnpm-lock.yaml", Read(0, 0)),
    ("pnpm/no-packages.yaml", "pnpm-lock.yaml", Read(0, 0)),
    ("pnpm/not-yaml.txt", "pnpm-lock.yaml", Syntax),
    ("pnpm/one-package-dev.v9.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/one-package-dev.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/one-package-v6-lockfile.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/one-package.v9.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/one-package.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/peer-dependencies-advanced.v9.yaml", "pnpm-lock.yaml", Read(13, 0)),
    ("pnpm/peer-dependencies-advanced.yaml", "pnpm-lock.yaml", Read(9, 0)),
    ("pnpm/peer-dependencies.v9.yaml", "pnpm-lock.yaml", Read(2, 0)),
    ("pnpm/peer-dependencies.yaml", "pnpm-lock.yaml", Read(2, 0)),
    ("pnpm/scoped-packages-v6-lockfile.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/scoped-packages.v9.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/scoped-packages.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("pnpm/tarball.yaml", "pnpm-lock.yaml", Read(1, 0)),
    ("poetry/empty.lock", "poetry.lock", Read(0, 0)),
    ("poetry/not-toml.txt", "poetry.lock", Syntax),
    ("poetry/one-package-with-metadata.lock", "poetry.lock", Read(1, 0)),
    ("poetry/one-package.lock", "poetry.lock", Read(1, 0)),
    ("poetry/optional-package.lock", "poetry.lock", Read(1, 0)),
    ("poetry/source-git.lock", "poetry.lock", Read(1, 0)),
    ("poetry/source-legacy.lock", "poetry.lock", Read(1, 0)),
    ("poetry/two-packages.lock", "poetry.lock", Read(2, 0)),
    ("pub/empty.lock", "pubspec.lock", Empty),
    ("pub/mixed-packages.lock", "pubspec.lock", Read(4, 0)),
    ("pub/no-packages.lock", "pubspec.lock", Read(0, 0)),
    ("pub/not-yaml.txt", "pubspec.lock", Syntax),
    ("pub/one-package-dev.lock", "pubspec.lock", Read(1, 0)),
    ("pub/one-package.lock", "pubspec.lock", Read(1, 0)),
    ("pub/source-git.lock", "pubspec.lock", Read(5, 0)),
    ("pub/source-path.lock", "pubspec.lock", Read(1, 0)),
    ("pub/source-sdk.lock", "pubspec.lock", Read(1, 0)),
    ("pub/two-packages.lock", "pubspec.lock", Read(2, 0)),
    ("renv/empty.lock", "renv.lock", Empty),
    ("renv/not-json.txt", "renv.lock", Syntax),
    ("renv/one-package.lock", "renv.lock", Read(1, 0)),
    ("renv/two-packages.lock", "renv.lock", Read(2, 0)),
    ("renv/with-bioconductor.lock", "renv.lock", Read(2, 0)),
    ("renv/with-mixed-sources.lock", "renv.lock", Read(2, 0)),
    ("renv/without-repository.lock", "renv.lock", Read(1, 0)),
    ("yarn/commits.v1.lock", "yarn.lock", Read(18, 0)),
    ("yarn/commits.v2.lock", "yarn.lock", Read(7, 0)),
    ("yarn/empty.v1.lock", "yarn.lock", Read(0, 0)),
    ("yarn/empty.v2.lock", "yarn.lock", Empty),
    ("yarn/files.v1.lock", "yarn.lock", Read(6, 0)),
    ("yarn/files.v2.lock", "yarn.lock", Read(1, 0)),
    ("yarn/metadata-only.v2.lock", "yarn.lock", Read(0, 0)),
    ("yarn/multiple-constraints.v1.lock", "yarn.lock", Read(2, 0)),
    ("yarn/multiple-versions.v1.lock", "yarn.lock", Read(4, 0)),
    ("yarn/multiple-versions.v2.lock", "yarn.lock", Read(3, 0)),
    ("yarn/one-package.v1.lock", "yarn.lock", Read(1, 0)),
    ("yarn/one-package.v2.lock", "yarn.lock", Read(1, 0)),
    ("yarn/scoped-packages.v1.lock", "yarn.lock", Read(2, 0)),
    ("yarn/scoped-packages.v2.lock", "yarn.lock", Read(3, 0)),
    ("yarn/two-packages.v1.lock", "yarn.lock", Read(2, 0)),
    ("yarn/two-packages.v2.lock", "yarn.lock", Read(2, 0)),
    ("yarn/with-aliases.v1.lock", "yarn.lock", Read(3, 0)),
    ("yarn/with-aliases.v2.lock", "yarn.lock", Read(4, 0)),
    ("yarn/with-build-string.v1.lock", "yarn.lock", Read(2, 0)),
    ("yarn/with-build-string.v2.lock", "yarn.lock", Read(3, 0)),
    ("yarn/with-prerelease.v1.lock", "yarn.lock", Read(5, 0)),
    ("yarn/with-prerelease.v2.lock", "yarn.lock", Read(3, 0)),
    ("yarn/with-quotes.v1.lock", "yarn.lock", Read(2, 0)),
    ("yarn/with-quotes.v2.lock", "yarn.lock", Read(2, 0)),
];

/// Directories of fixtures in formats this crate does not read (installed-package databases,
/// osv-scanner's own outputs, CSV, Go binaries, Gradle verification metadata).
const UNSUPPORTED_DIRS: &[&str] = &["apk", "dpkg", "csv", "osvscannerresults", "go/binaries", "gradle-verification-metadata"];

fn fixture(name: &str) -> Lockfile {
    let (_, format, _) = FIXTURES.iter().find(|(n, _, _)| *n == name).unwrap_or_else(|| panic!("{name} not in FIXTURES"));
    read_as(&base().join(name), format).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn has<'a>(l: &'a Lockfile, name: &str, version: Spec) -> &'a vouch_lockfile::Package {
    l.packages.iter().find(|p| p.name == name && p.version == version).unwrap_or_else(|| {
        panic!("{}: no {name} {version:?} in {:?}", l.path.display(), l.packages.iter().map(|p| (&p.name, &p.version)).collect::<Vec<_>>())
    })
}

fn exact(v: &str) -> Spec {
    Spec::Exact(v.to_string())
}

fn git(url: &str, rev: &str) -> Spec {
    Spec::Git { url: url.to_string(), rev: Some(rev.to_string()) }
}

#[test]
fn every_fixture_gives_the_expected_result() {
    let base = base();
    let mut failures = Vec::new();
    for (name, format, want) in FIXTURES {
        let path = base.join(name);
        let got = read_as(&path, format);
        let ok = match (&got, want) {
            (Ok(l), Read(n, p)) => l.packages.len() == *n && l.problems.len() == *p && l.format == *format,
            (Err(LockError::Syntax { path: ep, .. }), Syntax) | (Err(LockError::Empty { path: ep }), Empty) => *ep == path,
            _ => false,
        };
        if !ok {
            failures.push(format!("{name}: want {want:?}, got {:?}", got.as_ref().map(|l| (l.packages.len(), &l.problems))));
        }
        if let Err(e) = &got {
            let msg = e.to_string();
            assert!(msg.contains(name), "error does not name the file: {msg}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let ok = FIXTURES.iter().filter(|f| matches!(f.2, Read(..))).count();
    let invalid = FIXTURES.len() - ok;
    eprintln!("{} fixtures: {ok} read, {invalid} rejected as invalid or empty", FIXTURES.len());
}

#[test]
fn no_fixture_is_left_out_and_unsupported_ones_are_refused() {
    let base = base();
    let mut all = Vec::new();
    files_under(&base, &mut all);
    let mut unsupported = 0;
    for path in &all {
        let rel = path.strip_prefix(&base).unwrap().to_string_lossy().replace('\\', "/");
        if UNSUPPORTED_DIRS.iter().any(|d| rel.starts_with(&format!("{d}/"))) {
            assert!(matches!(read(path), Err(LockError::Unsupported { .. })), "{rel} should be unsupported");
            unsupported += 1;
        } else {
            assert!(FIXTURES.iter().any(|(n, _, _)| *n == rel), "fixture {rel} has no expectation in FIXTURES");
        }
    }
    assert_eq!(all.len(), FIXTURES.len() + unsupported);
    eprintln!("{} fixture files: {} in supported formats, {unsupported} unsupported", all.len(), FIXTURES.len());
}

#[test]
fn invalid_fixtures_say_where() {
    let e = read_as(&base().join("npm/not-json.txt"), "package-lock.json").unwrap_err().to_string();
    assert!(e.ends_with("npm/not-json.txt:1: invalid JSON: expected ident at line 1 column 2"), "{e}");
    let e = read_as(&base().join("cargo/not-toml.txt"), "Cargo.lock").unwrap_err().to_string();
    assert!(e.contains("cargo/not-toml.txt:1: invalid TOML"), "{e}");
    let e = read_as(&base().join("maven/invalid-syntax.xml"), "pom.xml").unwrap_err().to_string();
    assert!(e.contains("maven/invalid-syntax.xml:3: invalid XML: invalid element name \"${Id}.version\""), "{e}");
    let e = read_as(&base().join("go/not-go-mod.txt"), "go.mod").unwrap_err().to_string();
    assert!(e.contains("go/not-go-mod.txt:1: no package could be read: unknown directive"), "{e}");
    let e = read_as(&base().join("pnpm/not-yaml.txt"), "pnpm-lock.yaml").unwrap_err().to_string();
    assert!(e.contains("pnpm/not-yaml.txt:1: not a pnpm lockfile"), "{e}");
    let e = read_as(&base().join("pip/only-comments.txt"), "requirements.txt").unwrap_err().to_string();
    assert!(e.contains("pip/only-comments.txt: no packages found"), "{e}");
}

#[test]
fn rust_and_python_fixture_entries() {
    let l = fixture("cargo/two-packages-with-local.lock");
    assert_eq!(has(&l, "addr2line", exact("0.15.2")).line, Some(5));
    assert_eq!(has(&l, "local-rust-pkg", Spec::Path(String::new())).source, None);
    has(&fixture("cargo/package-with-build-string.lock"), "wasi", exact("0.10.2+wasi-snapshot-preview1"));

    let l = fixture("pip/file-format-example.txt");
    has(&l, "docopt", exact("0.6.1"));
    has(&l, "keyring", Spec::Unpinned(">=4.1.1".into()));
    has(&l, "Mopidy-Dirble", Spec::Unpinned("~=1.1".into()));
    has(&l, "pytest", Spec::Unpinned(String::new()));
    assert_eq!(has(&l, "django", exact("2.2.24")).line, Some(15), "brought in by `-r other-file.txt` on line 15");
    has(&l, "numpy", Spec::Path("./downloads/numpy-1.9.2-cp34-none-win32.whl".into()));
    has(&l, "wxPython_Phoenix", exact("3.0.3.dev1820+49a8884"));
    let l = fixture("pip/line-continuation.txt");
    has(&l, "foo", exact("1.2.3"));
    has(&l, "bar", exact("4.5\\.6"));
    has(&l, "baz", exact("7.8.9"));
    has(&l, "qux", exact("10.11.12"));
    let l = fixture("pip/with-bad-r-option.txt");
    has(&l, "requests", exact("1.2.3"));
    assert_eq!(l.problems[0].line, Some(3));
    assert!(l.problems[0].message.contains("does-not-exist.txt"), "{:?}", l.problems);
    let l = fixture("pip/cyclic-r-complex-1.txt");
    for v in ["1", "2", "3"] {
        has(&l, "cyclic-r-complex", exact(v));
    }
    has(&fixture("pip/non-normalized-names.txt"), "Twisted", exact("20.3.0"));
    let l = fixture("pip/with-per-requirement-options.txt");
    has(&l, "FooProject", exact("1.2"));
    has(&l, "BarProject", Spec::Unpinned(">=1.2".into()));

    let l = fixture("poetry/source-git.lock");
    has(&l, "ike", git("https://github.com/dzshn/ike", "cd66602cd29f61a2d2e7fb995fef1e61708c034d"));
    assert_eq!(has(&fixture("pipenv/one-package-dev.json"), "markupsafe", exact("2.1.1")).dev, Some(true));
    let l = fixture("pdm/dev-dependency.toml");
    assert_eq!(has(&l, "pyroute2", exact("0.7.11")).dev, Some(true));
    assert_eq!(has(&l, "toml", exact("0.10.2")).dev, Some(false));
    has(&fixture("pdm/git-dependency.toml"), "toml", git("https://github.com/uiri/toml.git", "65bab7582ce14c55cdeec2244c65ea23039c9e6f"));
}

#[test]
fn javascript_fixture_entries() {
    let l = fixture("npm/alias.v2.json");
    has(&l, "string-width", exact("4.2.0"));
    has(&l, "string-width", exact("5.1.2"));
    has(&l, "@babel/code-frame", exact("7.0.0"));
    has(&fixture("npm/alias.v1.json"), "string-width", exact("4.2.0"));
    let l = fixture("npm/commits.v2.json");
    has(&l, "raven-js", git("git+ssh://git@github.com/getsentry/raven-js.git", "c2b377e7a254264fd4a1fe328e4e3cfc9e245570"));
    assert_eq!(has(&fixture("npm/one-package-dev.v2.json"), "wrappy", exact("1.0.2")).dev, Some(true));
    assert_eq!(has(&fixture("npm/one-package.v2.json"), "wrappy", exact("1.0.2")).dev, Some(false));
    has(&fixture("npm/files.v2.json"), "etag", Spec::Path("deps/etag".into()));

    has(&fixture("yarn/with-aliases.v1.lock"), "ansi-regex", exact("5.0.1"));
    has(&fixture("yarn/with-aliases.v2.lock"), "@babel/helper-validator-identifier", exact("7.22.20"));
    let l = fixture("yarn/commits.v1.lock");
    has(&l, "mine2", git("https://github.com/G-Rath/npm-git-repo-2", "0a2d2506c1fe299691fc5db53a2097db3bd615bc"));
    has(
        &fixture("yarn/with-build-string.v1.lock"),
        "domino",
        git("git+ssh://git@github.com/angular/domino.git", "f2435fe1f9f7c91ade0bd472c4723e5eacd7d19a"),
    );
    has(&fixture("yarn/files.v2.lock"), "my-package", Spec::Path("../../deps/my-local-package".into()));
    has(&fixture("yarn/with-prerelease.v1.lock"), "resolve", exact("2.0.0-next.3"));

    has(&fixture("pnpm/peer-dependencies.yaml"), "acorn-jsx", exact("5.3.2"));
    for v in ["v53", "v54", "v6", "v9"] {
        let l = fixture(&format!("pnpm/mixed-groups.{v}.yaml"));
        let dev = |n: &str| l.packages.iter().find(|p| p.name == n).unwrap().dev;
        assert_eq!((dev("ansi-regex"), dev("uuid"), dev("is-number")), (Some(false), Some(false), Some(true)), "{v}");
    }
    assert_eq!(has(&fixture("pnpm/tarball.yaml"), "@my-org/my-package", exact("3.2.3")).dev, Some(true));
    has(
        &fixture("pnpm/commits.v9.yaml"),
        "is-number",
        git("https://github.com/jonschlinkert/is-number", "98e8ff1da1a89f93d1397a24d7413ed15421c139"),
    );
    has(&fixture("pnpm/scoped-packages-v6-lockfile.yaml"), "@typescript-eslint/types", exact("5.57.1"));
    let l = fixture("pnpm/exotic.yaml");
    has(&l, "foo", exact("1.4.0"));
    has(&l, "@foo/bar", exact("1.1.0"));
    assert!(l.problems[0].message.contains("/foo/bar"));
}

#[test]
fn other_ecosystem_fixture_entries() {
    let l = fixture("go/two-packages.mod");
    assert_eq!(has(&l, "stdlib", exact("1.17")).ecosystem, Ecosystem::Go);
    has(&l, "gopkg.in/yaml.v2", exact("v2.4.0"));
    has(&fixture("go/replace-local.mod"), "golang.org/x/net", Spec::Path("./fork/net".into()));
    let l = fixture("go/replace-mixed.mod");
    has(&l, "example.com/fork/net", exact("v1.4.5"));
    has(&l, "golang.org/x/net", exact("v0.5.6"));
    has(
        &fixture("bundler/has-git-gem.lock"),
        "hanami-utils",
        git("https://github.com/hanami/utils.git", "5904fc9a70683b8749aa2861257d0c8c01eae4aa"),
    );
    has(&fixture("bundler/has-local-gem.lock"), "backbone-on-rails", Spec::Path("vendor/gem/backbone-on-rails".into()));
    assert_eq!(has(&fixture("composer/one-package-dev.json"), "sentry/sdk", exact("2.0.4")).dev, Some(true));
    let l = fixture("gradle/with-bad-pkg");
    assert_eq!(l.problems.iter().map(|p| p.line.unwrap()).collect::<Vec<_>>(), [3, 4, 9, 10]);
    has(&l, "org.springframework.boot:spring-boot-configuration-processor", exact("2.7.5"));
    let l = fixture("maven/interpolation.xml");
    has(&l, "org.mine:my.package", exact("2.3.4"));
    has(&l, "org.mine:ranged-package", Spec::Unpinned("[9.4.35.v20201120,9.5)".into()));
    assert_eq!(has(&fixture("maven/with-scope.xml"), "junit:junit", exact("4.12")).dev, Some(true));
    has(&fixture("mix/git.lock"), "bar", git("https://github.com/my-org/bar", "bef3ee1d3618017061498b96c75043e8449ef9b5"));
    assert_eq!(has(&fixture("mix/one-package.lock"), "plug", exact("1.11.1")).ecosystem, Ecosystem::Hex);
    assert_eq!(
        has(&fixture("renv/with-bioconductor.lock"), "BSgenome", exact("1.60.0")).ecosystem,
        Ecosystem::Other("Bioconductor".into())
    );
    has(&fixture("renv/with-mixed-sources.lock"), "mime", git("https://github.com/yihui/mime", "1763e0dcb72fb58d97bab97bb834fc71f1e012bc"));
    has(&fixture("pub/source-sdk.lock"), "flutter_web_plugins", Spec::Path("sdk:flutter".into()));
    assert_eq!(has(&fixture("pub/one-package-dev.lock"), "build_runner", exact("2.2.1")).dev, Some(true));
    assert_eq!(has(&fixture("conan/one-package-dev.v1.json"), "ninja", exact("1.11.1")).dev, Some(true));
    has(&fixture("conan/old-format-0.3.json"), "zlib", exact("1.2.11"));
    has(&fixture("nuget/two-frameworks-mixed-packages.v1.json"), "Test.System", exact("2.15.0"));
}
