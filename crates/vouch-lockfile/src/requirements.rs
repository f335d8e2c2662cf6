//! pip requirements files (`requirements.txt`, constraints files, any `*.txt` given explicitly).
//!
//! Handled: `==`/`===` pins (exact), other specifiers (unpinned), extras, environment markers (kept,
//! not evaluated), `--hash` and other per-requirement options, `\` continuations (joined before
//! comments are stripped, as pip does), `-r`/`-c` includes relative to the including file (each file
//! read once, so cycles end; depth bounded), `-e`, index and other global options, PEP 508 `name @ url`,
//! VCS URLs (`git+https://...@rev#egg=name`), archive URLs and local paths.

use crate::{pkg, read_file, Ecosystem, Input, LockError, Output, Spec};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Includes nested deeper than this are not followed.
const MAX_INCLUDE_DEPTH: usize = 16;
/// At most this many files are read through includes.
const MAX_INCLUDED_FILES: usize = 1000;

struct State {
    out: Output,
    visited: HashSet<PathBuf>,
    files: usize,
    /// `-i/--index-url` (pip applies it to the whole file, wherever it appears).
    index_url: Option<String>,
    /// `--extra-index-url` seen: packages may then come from either index.
    extra_index: bool,
}

pub fn read(input: &Input) -> Result<Output, LockError> {
    let mut st = State { out: Output::default(), visited: HashSet::new(), files: 0, index_url: None, extra_index: false };
    if input.fs {
        if let Ok(c) = input.path.canonicalize() {
            st.visited.insert(c);
        }
    }
    parse_text(input.path, input.text, input.fs, &mut st, 0, None);
    // A single index replacing PyPI is where every registry package comes from (malicious-package
    // reports about PyPI then do not apply to them). With extra indexes pip may take a package
    // from any of them, so no single source is recorded.
    if let (Some(url), false) = (&st.index_url, st.extra_index) {
        for p in &mut st.out.packages {
            if p.source.is_none() && matches!(p.version, Spec::Exact(_) | Spec::Unpinned(_)) {
                p.source = Some(url.clone());
            }
        }
    }
    Ok(st.out)
}

/// Where a line is reported: in the top file directly, or (for included files) at the include
/// directive of the top file, with the included file's own line in the message.
struct Here<'a> {
    file: &'a Path,
    line: usize,
    via: Option<usize>,
}

impl Here<'_> {
    fn line(&self) -> usize {
        self.via.unwrap_or(self.line)
    }

    fn problem(&self, st: &mut State, msg: String) {
        let msg = match self.via {
            Some(_) => format!("{}:{}: {msg}", self.file.display(), self.line),
            None => msg,
        };
        st.out.problem(Some(self.line()), msg);
    }
}

fn parse_text(path: &Path, text: &str, fs: bool, st: &mut State, depth: usize, via: Option<usize>) {
    let mut buf = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if buf.is_empty() {
            start = i + 1;
        }
        let is_comment = raw.trim_start().starts_with('#');
        if let Some(body) = raw.strip_suffix('\\').filter(|_| !is_comment) {
            buf.push_str(body);
            continue;
        }
        buf.push_str(raw);
        let here = Here { file: path, line: start, via };
        logical_line(&buf, &here, fs, st, depth);
        buf.clear();
    }
    if !buf.is_empty() {
        let here = Here { file: path, line: start, via };
        logical_line(&buf, &here, fs, st, depth);
    }
}

/// Drops a comment: `#` at the start or after whitespace.
fn strip_comment(s: &str) -> &str {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && (i == 0 || b[i - 1].is_ascii_whitespace()) {
            return &s[..i];
        }
    }
    s
}

const IGNORED_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "--no-index",
    "-f",
    "--find-links",
    "--no-binary",
    "--only-binary",
    "--prefer-binary",
    "--require-hashes",
    "--pre",
    "--trusted-host",
    "--use-feature",
    "-Z",
    "--always-unzip",
    "--process-dependency-links",
    "--config-settings",
    "-C",
    "--global-option",
    "--install-option",
    "--hash",
];

fn logical_line(line: &str, here: &Here, fs: bool, st: &mut State, depth: usize) {
    let s = strip_comment(line).trim();
    if s.is_empty() {
        return;
    }
    if s.starts_with('-') {
        let (name, value) = split_option(s);
        match name {
            "-r" | "--requirement" | "-c" | "--constraint" => include(value, here, fs, st, depth),
            "-e" | "--editable" => {
                if value.is_empty() {
                    here.problem(st, format!("{name} without a value"));
                } else {
                    requirement(value, here, st);
                }
            }
            "-i" | "--index-url" if !value.is_empty() => st.index_url = Some(value.to_string()),
            "--extra-index-url" => st.extra_index = true,
            n if IGNORED_OPTIONS.contains(&n) => {}
            n => here.problem(st, format!("unknown option {n:?}")),
        }
        return;
    }
    requirement(s, here, st);
}

/// `--name=value`, `--name value`, `-xvalue`, `-x value`.
fn split_option(s: &str) -> (&str, &str) {
    if s.starts_with("--") {
        let end = s.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(s.len());
        let rest = s[end..].trim_start();
        let rest = rest.strip_prefix('=').unwrap_or(rest);
        (&s[..end], rest.trim())
    } else {
        let end = s.char_indices().nth(2).map_or(s.len(), |(i, _)| i);
        (&s[..end], s[end..].trim())
    }
}

fn include(value: &str, here: &Here, fs: bool, st: &mut State, depth: usize) {
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    if value.is_empty() {
        return here.problem(st, "include without a file name".into());
    }
    if value.contains("://") {
        return here.problem(st, format!("remote include {value} not fetched"));
    }
    if !fs {
        return here.problem(st, format!("include {value} not followed (file read from memory)"));
    }
    if depth >= MAX_INCLUDE_DEPTH {
        return here.problem(st, format!("include {value} not followed: includes nested more than {MAX_INCLUDE_DEPTH} deep"));
    }
    if st.files >= MAX_INCLUDED_FILES {
        return here.problem(st, format!("include {value} not followed: more than {MAX_INCLUDED_FILES} files included"));
    }
    let target = here.file.parent().unwrap_or(Path::new(".")).join(value);
    let canonical = match target.canonicalize() {
        Ok(c) => c,
        Err(e) => return here.problem(st, format!("cannot read included file {}: {e}", target.display())),
    };
    if !st.visited.insert(canonical) {
        return; // already read: a duplicate include or a cycle
    }
    st.files += 1;
    let data = match read_file(&target) {
        Ok(d) => d,
        Err(e) => return here.problem(st, e.to_string()),
    };
    let text = match crate::decode(&target, &data) {
        Ok(t) => t,
        Err(e) => return here.problem(st, e.to_string()),
    };
    parse_text(&target, text, fs, st, depth + 1, Some(here.line()));
}

/// A distribution name (PEP 508 identifier).
fn name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if b.first().is_none_or(|c| !c.is_ascii_alphanumeric()) {
        return 0;
    }
    b.iter().position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_'))).unwrap_or(b.len())
}

/// `name` or `name[extra,...]`, the whole of `s`.
fn bare_name(s: &str) -> Option<&str> {
    let s = s.trim();
    let n = name_len(s);
    if n == 0 {
        return None;
    }
    let rest = s[n..].trim();
    (rest.is_empty() || (rest.starts_with('[') && rest.ends_with(']'))).then(|| &s[..n])
}

const VCS: &[&str] = &["git+", "hg+", "svn+", "bzr+"];

fn requirement(s: &str, here: &Here, st: &mut State) {
    // Per-requirement options (`--hash=...`, `--config-settings`, `-C`) end the requirement.
    let mut end = s.len();
    let b = s.as_bytes();
    for i in 1..b.len() {
        if b[i] == b'-' && b[i - 1].is_ascii_whitespace() && b.get(i + 1).is_some_and(|c| *c == b'-' || *c == b'C') {
            end = i;
            break;
        }
    }
    let s = s[..end].trim();
    let is_url = s.contains("://") || VCS.iter().any(|v| s.starts_with(v)) || s.starts_with("file:");
    // Environment markers follow `;` (after whitespace, for URLs). They are kept as written, never
    // evaluated: the package is reported whatever the marker.
    let s =
        if is_url { s.find(" ;").or_else(|| s.find("\t;")).map_or(s, |i| &s[..i]) } else { s.split_once(';').map_or(s, |(a, _)| a) }.trim();
    if s.is_empty() {
        return here.problem(st, "empty requirement".into());
    }
    // PEP 508 `name[extras] @ url`.
    if let Some((left, right)) = s.split_once('@') {
        if let Some(name) = bare_name(left).filter(|_| right.contains("://") || right.trim_start().starts_with("file:")) {
            return url_requirement(right.trim(), Some(name), here, st);
        }
    }
    if is_url {
        return url_requirement(s, None, here, st);
    }
    // A name followed by extras, a specifier, a marker or nothing is a named requirement, whatever
    // characters its version has (`bar == 4.5\\.6`); anything else that looks like a path is one.
    let n = name_len(s);
    let named = n > 0 && archive_name(s).is_none() && s[n..].trim_start().chars().next().is_none_or(|c| "[(=!~<>".contains(c));
    if !named && looks_like_path(s) {
        return path_requirement(s, None, here, st);
    }
    if n == 0 {
        return here.problem(st, format!("invalid requirement {s:?}"));
    }
    let name = &s[..n];
    let mut rest = s[n..].trim_start();
    if rest.starts_with('[') {
        match rest.find(']') {
            Some(i) => rest = rest[i + 1..].trim_start(),
            None => return here.problem(st, format!("invalid requirement {s:?}: unclosed extras")),
        }
    }
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        rest = inner.trim();
    }
    let spec = match specifier(rest) {
        Ok(spec) => spec,
        Err(msg) => return here.problem(st, format!("invalid requirement {s:?}: {msg}")),
    };
    st.out.packages.push(pkg(name, Ecosystem::PyPI, spec, None, Some(here.line()), None));
}

const OPERATORS: &[&str] = &["===", "==", "!=", "~=", "<=", ">=", "<", ">"];

/// A version specifier list: one `==` (no wildcard) or `===` clause is exact, anything else unpinned.
fn specifier(rest: &str) -> Result<Spec, String> {
    if rest.is_empty() {
        return Ok(Spec::Unpinned(String::new()));
    }
    let mut clauses = Vec::new();
    for clause in rest.split(',') {
        let clause = clause.trim();
        let Some(op) = OPERATORS.iter().find(|op| clause.starts_with(**op)) else {
            return Err(format!("{clause:?} is not a version specifier"));
        };
        let version = clause[op.len()..].trim();
        if version.is_empty() || version.contains(char::is_whitespace) {
            return Err(format!("{clause:?} has no valid version"));
        }
        clauses.push((*op, version));
    }
    Ok(match clauses.as_slice() {
        [("===", v)] => Spec::Exact(v.to_string()),
        [("==", v)] if !v.ends_with(".*") => Spec::Exact(v.to_string()),
        _ => Spec::Unpinned(clauses.iter().map(|(o, v)| format!("{o}{v}")).collect::<Vec<_>>().join(",")),
    })
}

fn looks_like_path(s: &str) -> bool {
    let b = s.as_bytes();
    s.starts_with('.')
        || s.starts_with('/')
        || s.starts_with('~')
        || s.starts_with('\\')
        || (b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/'))
        || s.contains('/')
        || s.contains('\\')
        || archive_name(s).is_some()
}

const ARCHIVE_EXTS: &[&str] = &[".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".tar"];

/// Name and version from a wheel or sdist file name.
fn archive_name(file: &str) -> Option<(String, String)> {
    let file = file.rsplit(['/', '\\']).next().unwrap_or(file);
    if let Some(stem) = file.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        return (parts.len() >= 5 && !parts[0].is_empty()).then(|| (parts[0].to_string(), parts[1].to_string()));
    }
    let stem = ARCHIVE_EXTS.iter().find_map(|e| file.strip_suffix(e))?;
    let (name, version) = stem.rsplit_once('-')?;
    (!name.is_empty() && version.starts_with(|c: char| c.is_ascii_digit())).then(|| (name.to_string(), version.to_string()))
}

/// The `egg=` name in a URL fragment.
fn egg(fragment: &str) -> Option<&str> {
    fragment.split('&').find_map(|kv| kv.strip_prefix("egg=")).map(|e| e.split_once('[').map_or(e, |(n, _)| n)).filter(|e| !e.is_empty())
}

fn url_requirement(url: &str, name: Option<&str>, here: &Here, st: &mut State) {
    if url.starts_with("file:") {
        let path = url.trim_start_matches("file://").trim_start_matches("file:");
        return path_requirement(path, name, here, st);
    }
    let (base, fragment) = url.split_once('#').unwrap_or((url, ""));
    let name = name.or_else(|| egg(fragment));
    let line = Some(here.line());
    if let Some(vcs) = VCS.iter().find(|v| base.starts_with(**v)) {
        let plain = &base[vcs.len()..];
        // The revision follows the last `@` of the path (an `@` before the path is user info).
        let path_start = plain.find("://").map(|i| i + 3).and_then(|i| plain[i..].find('/').map(|j| i + j)).unwrap_or(0);
        let (repo, rev) = match plain[path_start..].rfind('@') {
            Some(j) => (&plain[..path_start + j], Some(plain[path_start + j + 1..].to_string())),
            None => (plain, None),
        };
        let derived;
        let name = match name {
            Some(n) => n,
            None => {
                derived = repo.trim_end_matches('/').rsplit('/').next().unwrap_or("").trim_end_matches(".git").to_string();
                if derived.is_empty() {
                    return here.problem(st, format!("cannot tell the package name of {url:?}"));
                }
                &derived
            }
        };
        let spec = Spec::Git { url: repo.to_string(), rev: rev.filter(|r| !r.is_empty()) };
        st.out.packages.push(pkg(name, Ecosystem::PyPI, spec, Some(url.to_string()), line, None));
        return;
    }
    let file = base.split('?').next().unwrap_or(base);
    let parsed = archive_name(file);
    let (name, spec) = match (name, parsed) {
        (Some(n), Some((_, v))) => (n.to_string(), Spec::Exact(v)),
        (None, Some((n, v))) => (n, Spec::Exact(v)),
        (Some(n), None) => (n.to_string(), Spec::Unpinned(String::new())),
        (None, None) => return here.problem(st, format!("cannot tell the package name of {url:?}")),
    };
    st.out.packages.push(pkg(&name, Ecosystem::PyPI, spec, Some(url.to_string()), line, None));
}

fn path_requirement(path: &str, name: Option<&str>, here: &Here, st: &mut State) {
    let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
    let from_file = archive_name(path).map(|(n, _)| n);
    let last = path.trim_end_matches(['/', '\\']).rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    let name = name.map(str::to_string).or_else(|| egg(fragment).map(str::to_string)).or(from_file).unwrap_or(last);
    st.out.packages.push(pkg(&name, Ecosystem::PyPI, Spec::Path(path.to_string()), Some(path.to_string()), Some(here.line()), None));
}

#[cfg(test)]
mod tests {
    use crate::{read_bytes, Package, Spec};

    fn read(text: &str) -> crate::Lockfile {
        read_bytes("requirements.txt", text.as_bytes()).unwrap()
    }

    fn find<'a>(l: &'a crate::Lockfile, name: &str) -> &'a Package {
        l.packages.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("{name} missing: {:?}", l.packages))
    }

    #[test]
    fn pins_ranges_extras_markers_and_hashes() {
        let l = read(
            "a==1.0\nb === 2.0-weird\nc>=1.0,<2\nd\ne[x,y]==3.0 ; python_version < \"3.8\"\nf==1.*\n\
             g (==4.0)\nh==5.0 --hash=sha256:abc \\\n    --hash=sha256:def\nZope.Interface==5.4.0 # comment\nk==1;sys_platform=='win32'\n",
        );
        assert_eq!(find(&l, "a").version, Spec::Exact("1.0".into()));
        assert_eq!(find(&l, "b").version, Spec::Exact("2.0-weird".into()));
        assert_eq!(find(&l, "c").version, Spec::Unpinned(">=1.0,<2".into()));
        assert_eq!(find(&l, "d").version, Spec::Unpinned(String::new()));
        assert_eq!(find(&l, "e").version, Spec::Exact("3.0".into()));
        assert_eq!(find(&l, "f").version, Spec::Unpinned("==1.*".into()));
        assert_eq!(find(&l, "g").version, Spec::Exact("4.0".into()));
        assert_eq!(find(&l, "h").version, Spec::Exact("5.0".into()));
        assert_eq!(find(&l, "h").line, Some(8));
        assert_eq!(find(&l, "Zope.Interface").line, Some(10));
        assert_eq!(find(&l, "k").version, Spec::Exact("1".into()));
        assert!(l.problems.is_empty(), "{:?}", l.problems);
    }

    #[test]
    fn continuations_join_before_comments() {
        let l = read("foo==\\\n\\\n 1.2.3\nbaz == 7.8.9 # \\\nbaz == 1.2.3\nbar == 4.5\\\\\n.6\nqux == 10\\");
        assert_eq!(find(&l, "bar").version, Spec::Exact("4.5\\.6".into()));
        assert_eq!(find(&l, "foo").version, Spec::Exact("1.2.3".into()));
        assert_eq!(l.packages.iter().filter(|p| p.name == "baz").count(), 1);
        assert_eq!(find(&l, "baz").version, Spec::Exact("7.8.9".into()));
        assert_eq!(find(&l, "qux").version, Spec::Exact("10".into()));
        assert_eq!(find(&l, "qux").line, Some(8));
    }

    #[test]
    fn urls_vcs_and_paths() {
        let l = read(
            "-e git+https://github.com/a/b.git@v1.2#egg=bee\n\
             git+ssh://git@github.com/a/c.git@abc123#egg=cee&subdirectory=x\n\
             git+https://github.com/a/dee.git\n\
             pkg @ https://example.com/pkg-1.0.tar.gz\n\
             https://example.com/wheels/Some_Pkg-2.0-py3-none-any.whl\n\
             ./downloads/numpy-1.9.2-cp34-none-win32.whl\n\
             -e .\n\
             local @ file:///tmp/local\n\
             /abs/path/proj\n",
        );
        assert_eq!(find(&l, "bee").version, Spec::Git { url: "https://github.com/a/b.git".into(), rev: Some("v1.2".into()) });
        assert_eq!(find(&l, "cee").version, Spec::Git { url: "ssh://git@github.com/a/c.git".into(), rev: Some("abc123".into()) });
        assert_eq!(find(&l, "dee").version, Spec::Git { url: "https://github.com/a/dee.git".into(), rev: None });
        assert_eq!(find(&l, "pkg").version, Spec::Exact("1.0".into()));
        assert_eq!(find(&l, "pkg").source.as_deref(), Some("https://example.com/pkg-1.0.tar.gz"));
        assert_eq!(find(&l, "Some_Pkg").version, Spec::Exact("2.0".into()));
        assert_eq!(find(&l, "numpy").version, Spec::Path("./downloads/numpy-1.9.2-cp34-none-win32.whl".into()));
        assert_eq!(find(&l, ".").version, Spec::Path(".".into()));
        assert_eq!(find(&l, "local").version, Spec::Path("/tmp/local".into()));
        assert_eq!(find(&l, "proj").version, Spec::Path("/abs/path/proj".into()));
    }

    #[test]
    fn options_and_bad_lines() {
        let l =
            read("-i https://pypi.example/simple\n--extra-index-url=https://x\n--pre\nok==1\n--bogus\nbad line here\nx>=\n-r other.txt\n");
        assert_eq!(l.packages.len(), 1);
        assert_eq!(l.packages[0].source, None, "with an extra index, pip may take a package from either");
        let lines: Vec<_> = l.problems.iter().map(|p| p.line.unwrap()).collect();
        assert_eq!(lines, [5, 6, 7, 8], "{:?}", l.problems);
        // One index replacing PyPI is the source of every registry package, wherever it appears.
        let single = read("ok==1\ngit+https://h/r.git@v1#egg=g\n--index-url https://pypi.corp.example/simple\nloose>=2\n");
        let sources: Vec<_> = single.packages.iter().map(|p| p.source.as_deref()).collect();
        assert_eq!(sources[0], Some("https://pypi.corp.example/simple"));
        assert_eq!(sources[2], Some("https://pypi.corp.example/simple"));
        assert_ne!(sources[1], Some("https://pypi.corp.example/simple"), "a git requirement keeps its own source");
        assert!(l.problems[3].message.contains("not followed"));
        let e = read_bytes("requirements.txt", b"# only comments\n\n").unwrap_err();
        assert!(matches!(e, crate::LockError::Empty { .. }));
        let e = read_bytes("requirements.txt", b"\n\n!!!\n").unwrap_err().to_string();
        assert!(e.starts_with("requirements.txt:3: no package could be read: invalid requirement"), "{e}");
    }

    #[test]
    fn includes_are_relative_read_once_and_cycles_end() {
        let dir = std::env::temp_dir().join(format!("vouch-req-inc-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("top.txt"), "-r sub/a.txt\n-c sub/a.txt\ntop==1\n-r missing.txt\n").unwrap();
        std::fs::write(dir.join("sub/a.txt"), "a==1\n-r ../top.txt\n-r b.txt\n").unwrap();
        std::fs::write(dir.join("sub/b.txt"), "b==2\n-r a.txt\nnot valid!\n").unwrap();
        let l = crate::read_as(&dir.join("top.txt"), "requirements.txt").unwrap();
        let names: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.line)).collect();
        assert_eq!(names, [("a", Some(1)), ("b", Some(1)), ("top", Some(3))]);
        assert_eq!(l.problems.len(), 2, "{:?}", l.problems);
        assert!(l.problems[0].message.contains("b.txt:3: invalid requirement"), "{:?}", l.problems);
        assert_eq!(l.problems[1].line, Some(4));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn deep_include_chains_are_bounded() {
        let dir = std::env::temp_dir().join(format!("vouch-req-deep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..40 {
            std::fs::write(dir.join(format!("r{i}.txt")), format!("p{i}==1\n-r r{}.txt\n", i + 1)).unwrap();
        }
        let l = crate::read_as(&dir.join("r0.txt"), "requirements.txt").unwrap();
        assert_eq!(l.packages.len(), 17);
        assert!(l.problems.iter().any(|p| p.message.contains("nested more than 16")));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
