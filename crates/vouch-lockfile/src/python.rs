//! Python lockfiles other than requirements files: uv.lock, poetry.lock, Pipfile.lock, pdm.lock and
//! pylock.toml (PEP 751).

use crate::text::{header_lines, json, jstr, nth, split_rev, toml, toml_without_lists, tstr, KeyLines};
use crate::{pkg, Ecosystem, Input, LockError, Output, Spec};

/// The `[[key]]` array of a TOML lockfile, with the line of each entry.
fn entries<'a>(input: &Input, table: &'a toml::Table, key: &str) -> Result<Vec<(&'a toml::Value, Option<usize>)>, LockError> {
    let Some(v) = table.get(key) else { return Ok(Vec::new()) };
    let Some(arr) = v.as_array() else {
        return Err(input.syntax(None, format!("`{key}` is not an array of tables")));
    };
    let lines = header_lines(input.text, key);
    Ok(arr.iter().enumerate().map(|(i, p)| (p, nth(&lines, arr.len(), i))).collect())
}

fn no_name(out: &mut Output, line: Option<usize>, what: &str) {
    out.problem(line, format!("{what} entry without a string `name`"));
}

pub fn uv(input: &Input) -> Result<Output, LockError> {
    let table = toml_without_lists(input, &["wheels"])?;
    let mut out = Output { explicit_empty: table.contains_key("version") || table.contains_key("package"), ..Default::default() };
    for (p, line) in entries(input, &table, "package")? {
        let Some(name) = tstr(p, "name") else {
            no_name(&mut out, line, "[[package]]");
            continue;
        };
        let version = tstr(p, "version");
        let source = p.get("source");
        let kind = source.and_then(|s| s.as_table()).and_then(|t| t.iter().next()).and_then(|(k, v)| Some((k.as_str(), v.as_str()?)));
        let (spec, src) = match kind {
            Some(("git", url)) => {
                let (u, rev) = split_rev(url);
                let repo = u.split_once('?').map_or(u.as_str(), |(r, _)| r).to_string();
                (Spec::Git { url: repo, rev }, Some(url.to_string()))
            }
            Some(("path" | "directory" | "editable" | "virtual", path)) => (Spec::Path(path.to_string()), Some(path.to_string())),
            Some((_, url)) => match version {
                Some(v) => (Spec::Exact(v.to_string()), Some(url.to_string())),
                None => {
                    out.problem(line, format!("package {name} has no version"));
                    continue;
                }
            },
            None => match version {
                Some(v) => (Spec::Exact(v.to_string()), None),
                None => {
                    out.problem(line, format!("package {name} has neither version nor source"));
                    continue;
                }
            },
        };
        out.packages.push(pkg(name, Ecosystem::PyPI, spec, src, line, None));
    }
    Ok(out)
}

pub fn poetry(input: &Input) -> Result<Output, LockError> {
    let table = toml_without_lists(input, &["files"])?;
    let mut out = Output { explicit_empty: table.contains_key("metadata") || table.contains_key("package"), ..Default::default() };
    for (p, line) in entries(input, &table, "package")? {
        let (Some(name), Some(version)) = (tstr(p, "name"), tstr(p, "version")) else {
            out.problem(line, "[[package]] entry without a string `name` and `version`");
            continue;
        };
        let source = p.get("source");
        let stype = source.and_then(|s| tstr(s, "type"));
        let url = source.and_then(|s| tstr(s, "url"));
        let spec = match (stype, url) {
            (Some("git"), Some(url)) => {
                let rev = source.and_then(|s| tstr(s, "resolved_reference").or_else(|| tstr(s, "reference")));
                Spec::Git { url: url.to_string(), rev: rev.map(str::to_string) }
            }
            (Some("directory" | "file"), Some(path)) => Spec::Path(path.to_string()),
            _ => Spec::Exact(version.to_string()),
        };
        // Poetry < 1.5 writes `category = "dev"`; later versions `groups = [...]`.
        let dev = match (tstr(p, "category"), p.get("groups").and_then(|g| g.as_array())) {
            (Some(c), _) => Some(c == "dev"),
            (None, Some(groups)) => Some(!groups.iter().any(|g| g.as_str() == Some("main"))),
            _ => None,
        };
        out.packages.push(pkg(name, Ecosystem::PyPI, spec, url.map(str::to_string), line, dev));
    }
    Ok(out)
}

pub fn pdm(input: &Input) -> Result<Output, LockError> {
    let table = toml(input)?;
    let mut out = Output { explicit_empty: table.contains_key("metadata") || table.contains_key("package"), ..Default::default() };
    for (p, line) in entries(input, &table, "package")? {
        let Some(name) = tstr(p, "name") else {
            no_name(&mut out, line, "[[package]]");
            continue;
        };
        let (spec, src) = if let Some(git) = tstr(p, "git") {
            let rev = tstr(p, "revision").or_else(|| tstr(p, "ref")).map(str::to_string);
            (Spec::Git { url: git.to_string(), rev }, Some(git.to_string()))
        } else if let Some(path) = tstr(p, "path") {
            (Spec::Path(path.to_string()), Some(path.to_string()))
        } else if let Some(v) = tstr(p, "version") {
            (Spec::Exact(v.to_string()), tstr(p, "url").map(str::to_string))
        } else {
            out.problem(line, format!("package {name} has no version"));
            continue;
        };
        let groups = p.get("groups").or_else(|| p.get("sections")).and_then(|g| g.as_array());
        let dev = groups.map(|g| !g.iter().any(|g| g.as_str() == Some("default")));
        out.packages.push(pkg(name, Ecosystem::PyPI, spec, src, line, dev));
    }
    Ok(out)
}

pub fn pylock(input: &Input) -> Result<Output, LockError> {
    let table = toml(input)?;
    let mut out = Output { explicit_empty: table.contains_key("lock-version") || table.contains_key("packages"), ..Default::default() };
    for (p, line) in entries(input, &table, "packages")? {
        let Some(name) = tstr(p, "name") else {
            no_name(&mut out, line, "[[packages]]");
            continue;
        };
        let (spec, src) = if let Some(vcs) = p.get("vcs") {
            let url = tstr(vcs, "url").or_else(|| tstr(vcs, "path")).unwrap_or("");
            let rev = tstr(vcs, "commit-id").or_else(|| tstr(vcs, "requested-revision")).map(str::to_string);
            (Spec::Git { url: url.to_string(), rev }, Some(url.to_string()))
        } else if let Some(dir) = p.get("directory") {
            let path = tstr(dir, "path").unwrap_or("");
            (Spec::Path(path.to_string()), Some(path.to_string()))
        } else if let Some(v) = tstr(p, "version") {
            let src = tstr(p, "index").or_else(|| p.get("archive").and_then(|a| tstr(a, "url").or_else(|| tstr(a, "path"))));
            (Spec::Exact(v.to_string()), src.map(str::to_string))
        } else if let Some(path) = p.get("archive").and_then(|a| tstr(a, "path")) {
            (Spec::Path(path.to_string()), Some(path.to_string()))
        } else {
            out.problem(line, format!("package {name} has no version"));
            continue;
        };
        out.packages.push(pkg(name, Ecosystem::PyPI, spec, src, line, None));
    }
    Ok(out)
}

pub fn pipenv(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let keys = KeyLines::new(input.text);
    let mut out = Output { explicit_empty: v.get("default").is_some() || v.get("develop").is_some(), ..Default::default() };
    if !v.is_object() {
        return Err(input.syntax(Some(1), "Pipfile.lock is not a JSON object"));
    }
    for (group, dev) in [("default", false), ("develop", true)] {
        let Some(map) = v.get(group).and_then(|g| g.as_object()) else { continue };
        for (name, entry) in map {
            let line = keys.get(name);
            let spec = if let Some(git) = jstr(entry, "git") {
                Spec::Git { url: git.to_string(), rev: jstr(entry, "ref").map(str::to_string) }
            } else if let Some(path) = jstr(entry, "path") {
                Spec::Path(path.to_string())
            } else if let Some(version) = jstr(entry, "version") {
                match version.strip_prefix("===").or_else(|| version.strip_prefix("==")) {
                    Some(v) => Spec::Exact(v.trim().to_string()),
                    None => Spec::Unpinned(version.to_string()),
                }
            } else if let Some(file) = jstr(entry, "file") {
                Spec::Unpinned(file.to_string())
            } else {
                out.problem(line, format!("package {name} has no version, git, path or file"));
                continue;
            };
            let src = jstr(entry, "git").or_else(|| jstr(entry, "path")).or_else(|| jstr(entry, "file")).map(str::to_string);
            out.packages.push(pkg(name, Ecosystem::PyPI, spec, src, line, Some(dev)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{read_bytes, Spec};

    #[test]
    fn wheel_lists_are_skipped_with_lines_kept() {
        let text = "version = 1\n\n[[package]]\nname = \"a\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\nwheels = [\n    { url = \"https://x/a.whl\", hash = \"sha256:00\", size = 1 },\n    { url = \"https://x/b.whl\", hash = \"sha256:11\", size = 2 },\n]\n\n[[package]]\nname = \"b\"\nversion = \"2.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let l = read_bytes("uv.lock", text.as_bytes()).unwrap();
        assert_eq!(l.packages.len(), 2);
        assert_eq!((l.packages[1].name.as_str(), l.packages[1].line), ("b", Some(12)));
        // An unterminated list: the original text's error, with its line.
        let broken = "version = 1\n[[package]]\nname = \"a\"\nversion = \"1.0\"\nwheels = [\n    { url = \"x\" },\n";
        let e = read_bytes("uv.lock", broken.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("invalid TOML"), "{e}");
    }

    #[test]
    fn uv_sources() {
        let l = read_bytes(
            "uv.lock",
            br#"version = 1
requires-python = ">=3.9"

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]

[[package]]
name = "proj"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "g"
version = "1.0"
source = { git = "https://github.com/a/g?rev=main#0123" }

[[package]]
name = "broken"
source = { registry = "https://pypi.org/simple" }
"#,
        )
        .unwrap();
        assert_eq!(l.packages.len(), 3);
        assert_eq!(l.packages[0].version, Spec::Exact("4.4.0".into()));
        assert_eq!(l.packages[0].line, Some(4));
        assert_eq!(l.packages[1].version, Spec::Path(".".into()));
        assert_eq!(l.packages[2].version, Spec::Git { url: "https://github.com/a/g".into(), rev: Some("0123".into()) });
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].line, Some(20));
    }

    #[test]
    fn poetry_groups_and_sources() {
        let l = read_bytes(
            "poetry.lock",
            b"[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"dev\"]\n\n[[package]]\nname = \"b\"\nversion = \"2\"\ncategory = \"main\"\n\
              [package.source]\ntype = \"git\"\nurl = \"https://x/b\"\nreference = \"main\"\nresolved_reference = \"abc\"\n",
        )
        .unwrap();
        assert_eq!(l.packages[0].dev, Some(true));
        assert_eq!(l.packages[1].dev, Some(false));
        assert_eq!(l.packages[1].version, Spec::Git { url: "https://x/b".into(), rev: Some("abc".into()) });
        assert_eq!(l.packages[1].line, Some(6));
    }

    #[test]
    fn pipenv_and_pylock() {
        let l = read_bytes(
            "Pipfile.lock",
            br#"{"_meta": {}, "default": {"a": {"version": "==1.0"}, "b": {"git": "https://x/b", "ref": "abc"}},
"develop": {"c": {"version": "*"}}}"#,
        )
        .unwrap();
        assert_eq!(l.packages.len(), 3);
        assert_eq!(l.packages[2].version, Spec::Unpinned("*".into()));
        assert_eq!(l.packages[2].dev, Some(true));
        let l = read_bytes(
            "pylock.toml",
            b"lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\nversion = \"1.0\"\nindex = \"https://pypi.org/simple\"\n\
              [[packages]]\nname = \"b\"\nvcs = { type = \"git\", url = \"https://x/b\", commit-id = \"abc\" }\n",
        )
        .unwrap();
        assert_eq!(l.packages[0].version, Spec::Exact("1.0".into()));
        assert_eq!(l.packages[1].version, Spec::Git { url: "https://x/b".into(), rev: Some("abc".into()) });
        assert_eq!(l.packages[1].line, Some(6));
    }
}
